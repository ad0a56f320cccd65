"""Sales (C1), special commission (C5), costs (C7), and the statements and pools of a month."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from .. import parse
from ..parse import shown
from ..errors import InputError, RuleViolation
from ..ledger import json_chunk
from ..models import Month, Staff, from_cents
from ..policy import Policy
from ..rules import commission
from . import Session, jsonable, month_span
from . import csvfile
from .relay import relay

SALES_COLUMNS = ("date", "staff", "product", "amount", "orders", "customer")
# The shop system's Chinese headers (traditional and simplified) for the same columns.
HEADER_ALIASES = {
    "日期": "date",
    "客服": "staff",
    "商品": "product",
    "金額": "amount",
    "金额": "amount",
    "訂單數": "orders",
    "订单数": "orders",
    "客戶": "customer",
    "客户": "customer",
}
MAX_ORDERS = 1_000_000
_PHONE = re.compile(r"\+?\d[\d\- ]{5,}\d")


def mask_phone(text: str | None) -> str | None:
    """Customers' phone numbers are personal data: 13812345678 shows as 138****5678."""
    if not text:
        return text

    def hide(found: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", found.group())
        if len(digits) < 7:
            return found.group()
        if len(digits) >= 11:
            return digits[:3] + "****" + digits[-4:]
        return "****" + digits[-4:]

    return _PHONE.sub(hide, text)


def _orders(text: str, amount_cents: int, field: str = "orders") -> int:
    """Orders default to 1 for a sale and 0 for a refund or return."""
    value = (text or "").strip()
    if not value:
        return 1 if amount_cents >= 0 else 0
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ORDERS:
        raise InputError(field, f"{shown(text)} is not a number of orders (a whole number from 0 to {MAX_ORDERS})")
    return int(value)


def _seller(s: Session, staff_id: str, day: date, field: str = "staff") -> Staff:
    person = s.person(staff_id, field)
    if not person.active_on(day):
        raise InputError(field, f"{person.id} was not active on {day}")
    return person


def add(
    s: Session,
    staff_id: str,
    *,
    amount: str,
    orders: str | None = None,
    product: str | None = None,
    customer: str | None = None,
    at: str | None = None,
) -> dict[str, Any]:
    """Record one sale, refund (negative amount) or a count of orders handled (C1)."""
    cents = parse.cents(amount, "amount")
    count = _orders(orders or "", cents)
    day = parse.at(at, s.now).date()
    if day > s.today:
        raise InputError("at", f"{day} is in the future")
    product_text = parse.text(product, "product", required=False, limit=TEXT_LIMIT)
    customer_text = parse.text(customer, "customer", required=False, limit=TEXT_LIMIT)
    with s.transaction() as w:
        me = s.recorder()
        person = _seller(s, staff_id, day)
        s.require_rank(me, "shift_lead", "C1", "recording a sale")
        if me.id == person.id:
            raise RuleViolation("C1", "nobody records a sale of their own; ask a shift lead or supervisor")
        s.refuse_if_closed(day, "a sale")
        row = w.append("sales", {"at": day, "staff": person.id, "product": product_text, "amount_cents": cents,
                                 "orders": count, "customer": customer_text})
    return view(row)  # masked like every other output; the person typing it has just seen it


def view(row: Any, reveal: bool = False) -> dict[str, Any]:
    out = jsonable(row)
    if not reveal:
        out["customer"] = mask_phone(out.get("customer"))
    return out


# ------------------------------------------------------------------------------ import
def _header(cells: list[str], name: str) -> dict[str, int]:
    """Column positions by name, English or Chinese; refuses a missing or unknown column."""
    positions: dict[str, int] = {}
    for i, raw in enumerate(cells):
        key = raw.strip().lstrip("\ufeff")
        key = HEADER_ALIASES.get(key, key.lower())
        if key not in SALES_COLUMNS:
            raise InputError("file", f"{name} line 1: unknown column {shown(raw.strip())}; columns: {','.join(SALES_COLUMNS)} "
                             f"(or 日期,客服,商品,金額,訂單數,客戶)")
        if key in positions:
            raise InputError("file", f"{name} line 1: column {shown(key)} appears twice")
        positions[key] = i
    for required in ("date", "staff", "amount"):
        if required not in positions:
            raise InputError("file", f"{name} line 1: missing column {required!r}; columns: {','.join(SALES_COLUMNS)}")
    return positions


# Files smaller than this are read in this process; larger ones by a second process, so
# that parsing the file and writing the ledger run on two cores at once.
RELAY_FROM_BYTES = 4 << 20
TEXT_LIMIT = 200  # a product's or a customer's text, as `sales add` allows
CHUNK_ROWS = 5_000
CHECK_ROWS = 1_000


def import_file(
    s: Session, file: str, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """Load a month of sales from the shop system's CSV export: all or nothing (C1).

    Every row is checked (date, staff active that day, amount, orders, open month) and the
    first bad one refuses the whole file, naming its line (the header is line 1) and column.
    The same file twice is refused. The file streams through in chunks, so memory stays
    flat; `progress(bytes_read, total_bytes)` follows it.
    """
    path = Path(file).expanduser()
    digest, size = csvfile.digest(path)
    with s.transaction() as w:
        me = s.recorder()
        s.require_rank(me, "shift_lead", "C1", "importing sales")
        csvfile.refuse_repeat(s, "sales", digest, path.name)
        imp = w.append("imports", {"kind": "sales", "file_name": path.name, "sha256": digest})
        check = ImportCheck(name=path.name, sha256=digest, import_id=imp["id"], me=me.id, today=s.today,
                            closed=frozenset(s.closed_months()), staff=s.staff())
        chunks = relay(produce_sales_chunks, (str(path), check), in_process=size < RELAY_FROM_BYTES)

        def hashed() -> Iterator[tuple[bytes, list[tuple]]]:
            for read, (text, rows) in chunks:
                yield (json_chunk(rows) if text is None else text), rows
                if progress is not None:
                    progress(read, size)

        first, count = w.append_chunks("sales", hashed())
        if count == 0:
            raise InputError("file", f"{path.name} has a header but no rows")
    return {"id": imp["id"], "import": imp["id"], "file": path.name, "rows": count, "first_id": first,
            "last_id": first + count - 1, "sha256": digest}


@dataclass(frozen=True)
class ImportCheck:
    """What checking a sales file needs to know of the ledger, handed to the reading process."""

    name: str
    sha256: str  # of the file as it was when the import began
    import_id: int
    me: str
    today: date
    closed: frozenset[str]
    staff: dict[str, Staff]


def produce_sales_chunks(path: str, check: ImportCheck) -> Iterator[tuple[int, tuple[bytes | None, list[tuple]]]]:
    """Read and check a sales file; yield (bytes read, (canonical JSON of the rows or None,
    the rows in the table's column order)), or raise on the first bad row naming its line
    and column.

    The chain hashes each chunk's JSON, made from the very rows that are inserted. This side
    makes it for every other chunk and the writing side for the rest (`import_file`), which
    shares the work of an import about evenly between the two processes."""
    with csvfile.records(Path(path), check.name, check.sha256) as (reader, raw):
        for number, rows in enumerate(_sales_batches(reader, check)):
            yield raw.read_bytes, (json_chunk(rows) if number % 2 else None, rows)


def _sales_batches(reader: Any, check: ImportCheck) -> Iterator[list[tuple]]:
    """Checked sales tuples (at, staff, product, amount_cents, orders, customer, import), in
    chunks of about CHUNK_ROWS; raises on the first bad record, naming its line.

    Records are checked in batches of CHECK_ROWS, small enough to stay in the processor's
    cache. csv.reader counts the lines it reads, not records: when a batch's records took
    one line each (the usual case), record i of a batch is on the batch's first line + i;
    otherwise `records` counts the line breaks inside the cells. When reading fails part
    way through a batch (a broken quote, bytes that are not UTF-8, a NUL), the records read
    before it are checked first, so the error named is still the first in the file.
    """
    header = next(reader, None)
    if header is None:
        raise InputError("file", f"{check.name} is empty; expected a header line and rows")
    sales = _SalesCheck(check, header)
    line = reader.line_num  # the last line read
    rows: list[tuple] = []
    while True:
        batch: list[list[str]] = []
        try:
            batch.extend(islice(reader, CHECK_ROWS))  # what was read stays in batch if this fails
        except Exception:
            sales.records(batch, line + 1, spans_lines=True)  # raises on an earlier bad record
            raise
        if not batch:
            break
        rows += sales.rows(batch, line + 1, spans_lines=reader.line_num - line != len(batch))
        line = reader.line_num
        if len(rows) >= CHUNK_ROWS:
            yield rows
            rows = []
    if rows:
        yield rows


# The common shape of an export's amounts and order counts, read a whole column at a time.
_AMOUNTS = re.compile(r"(?:-?[0-9]{1,10}\.[0-9]{2}\n)*")  # 1234.50 and -20.00: two decimals
_COUNTS = re.compile(r"(?:[0-9]{1,6}\n)*")  # below MAX_ORDERS
_NONE_IF_EMPTY = {"": None}
CACHE_LIMIT = 100_000  # distinct amounts or order counts remembered at once; memory stays flat


class _SalesCheck:
    """Checking one sales file: the header's layout, and the cells already checked.

    The import's hot path. Each distinct (date, seller) pair is checked once and remembered;
    money is parsed from its text to integer cents, never through a float. A batch is read
    first a column at a time (`columns`), which takes the usual file and nothing else; any
    batch it does not take goes record by record (`records`), which gives the same rows or
    names the first bad record.
    """

    def __init__(self, check: ImportCheck, header: list[str]):
        self.check = check
        pos = _header(header, check.name)
        self.header = [*header, ""]
        self.width = len(header)
        self.positions = (pos["date"], pos["staff"], pos["amount"], pos.get("orders"), pos.get("product"),
                          pos.get("customer"))
        optional = self.positions[3:]
        self.pad = None in optional  # a missing column reads as an empty cell appended to the record
        # One C call pulls a record's cells in a fixed order, whatever the header's order.
        self.pick = itemgetter(*self.positions[:3], *(self.width if i is None else i for i in optional))
        self.pairs: dict[tuple[str, str], tuple[str, str]] = {}  # (date, staff) cells -> (date, staff id)
        self.renamed = False  # some pair's cells are not already its ISO date and staff id
        self.cents: dict[str, int] = {}  # amount cell -> cents
        self.counts: dict[str, int] = {}  # orders cell (not blank) -> count

    # ---------------------------------------------------------------- one cell, checked once
    def pair(self, day_text: str, staff_text: str) -> tuple[str, str]:
        """A (date, seller) pair not met before: the day is real, not future, in an open month,
        and the seller is on the staff list, active that day and not the importer."""
        check = self.check
        day = parse.day(day_text, "date")
        if str(Month.of(day)) in check.closed:
            raise RuleViolation("L2", f"{Month.of(day)} is closed; reopen it to add sales")
        if day > check.today:
            raise InputError("date", f"{day} is in the future")
        person = check.staff.get(parse.staff_id(staff_text, "staff"))
        if person is None:
            raise InputError("staff", f"{staff_text.strip()} is not on the staff list")
        if person.id == check.me:
            raise RuleViolation("C1", f"nobody imports sales of their own ({check.me})")
        if not person.active_on(day):
            raise InputError("staff", f"{person.id} was not active on {day}")
        found = self.pairs[(day_text, staff_text)] = (day.isoformat(), person.id)
        self.renamed = self.renamed or found != (day_text, staff_text)
        return found

    def amount_cents(self, text: str) -> int:
        """An amount not met before, parsed (and refused) as `sales add` does."""
        cents = self.cents[text] = parse.cents(text, "amount")
        return cents

    def order_count(self, text: str, cents: int) -> int:
        """An orders cell not met before; a blank one's count depends on the amount's sign."""
        count = _orders(text, cents)
        if text.strip():
            self.counts[text] = count
        return count

    # ---------------------------------------------------------------- a batch
    def rows(self, batch: list[list[str]], first_line: int, *, spans_lines: bool) -> list[tuple]:
        """A batch's rows in the table's column order; raises on the first bad record."""
        for cache in (self.cents, self.counts):
            if len(cache) > CACHE_LIMIT:
                cache.clear()
        fast = None if spans_lines else self.columns(batch)
        return fast if fast is not None else self.records(batch, first_line, spans_lines=spans_lines)

    def columns(self, batch: list[list[str]]) -> list[tuple] | None:
        """The batch's rows, read a column at a time; None when it needs `records`: a blank line
        or a short record, a long text, a bad pair, amounts not all with two decimals, order
        counts neither all plain numbers nor all blank."""
        if set(map(len, batch)) != {self.width}:
            return None
        cols = list(zip(*batch))
        blank = ("",) * len(batch)
        days, staff, amounts, orders, products, customers = (blank if i is None else cols[i] for i in self.positions)
        if max(map(len, products)) > TEXT_LIMIT or max(map(len, customers)) > TEXT_LIMIT:
            return None
        keys = list(zip(days, staff))
        pairs = self.pairs
        try:
            for key in set(keys).difference(pairs):
                self.pair(*key)
        except (InputError, RuleViolation):
            return None
        if self.renamed:
            found = list(map(pairs.__getitem__, keys))
            days, staff = tuple(map(itemgetter(0), found)), tuple(map(itemgetter(1), found))
        text = "\n".join(amounts) + "\n"
        if not _AMOUNTS.fullmatch(text):
            return None
        cents = list(map(int, text.replace(".", "").split()))
        text = "\n".join(orders) + "\n"
        if _COUNTS.fullmatch(text):
            counts: Iterable[int] = map(int, text.split())
        elif not any(orders):
            counts = [1 if c >= 0 else 0 for c in cents]  # C1: a sale is one order, a refund none
        else:
            return None
        return list(zip(days, staff, map(_NONE_IF_EMPTY.get, products, products), cents, counts,
                        map(_NONE_IF_EMPTY.get, customers, customers), repeat(self.check.import_id)))

    def records(self, batch: list[list[str]], first_line: int, *, spans_lines: bool) -> list[tuple]:
        """The batch's rows, checked record by record; raises on the first bad one, naming its line.

        `spans_lines`: some record may run over several lines. A record that does, and is not
        blank, is refused; a blank one is skipped, and the lines it took are counted."""
        name, width, pick, pad = self.check.name, self.width, self.pick, self.pad
        pairs, amounts, counts, import_id = self.pairs, self.cents, self.counts, self.check.import_id
        out: list[tuple] = []
        append = out.append
        extra = 0  # lines taken, beyond one each, by the blank records skipped so far
        for offset, cells in enumerate(batch):
            try:
                if len(cells) != width:
                    if not any(c.strip() for c in cells):
                        if spans_lines:
                            extra += sum(c.count("\n") + c.count("\r") - c.count("\r\n") for c in cells)
                        continue  # a blank line
                    raise InputError("", f"{len(cells)} cells where the header has {width}")
                if pad:
                    cells = [*cells, ""]
                day_text, staff_text, amount, orders_text, product, customer = pick(cells)
                if len(product) > TEXT_LIMIT or len(customer) > TEXT_LIMIT:
                    column = "product" if len(product) > TEXT_LIMIT else "customer"
                    raise InputError(column, f"is longer than {TEXT_LIMIT} characters")
                if spans_lines:  # a quoted cell may hold a line break
                    csvfile.refuse_multiline(cells, self.header)
                found = pairs.get((day_text, staff_text)) or self.pair(day_text, staff_text)
                cents = amounts.get(amount)
                if cents is None:
                    cents = self.amount_cents(amount)
                orders = counts.get(orders_text)
                if orders is None:
                    orders = self.order_count(orders_text, cents)
            except (InputError, RuleViolation) as exc:
                raise csvfile.at_line(name, first_line + offset + extra, exc) from None
            append((found[0], found[1], product or None, cents, orders, customer or None, import_id))
        return out


# ------------------------------------------------------------------------------ listing
def list_rows(
    s: Session, *, month: str | None, staff: str | None, reveal: bool, limit: int | None
) -> tuple[list[dict[str, Any]], int]:
    """Sales rows, voided ones marked; customers masked unless revealed (and the reveal recorded)."""
    start, end = month_span(month)
    rows, total = s.ledger.sales_listing(start, end, s.person(staff).id if staff is not None else None, limit)
    if reveal:
        scope = json.dumps({"month": month, "staff": staff, "limit": limit}, ensure_ascii=False)
        with s.transaction() as w:
            me = s.recorder()
            s.require_rank(me, "supervisor", None, "revealing customers' phone numbers")
            w.append("reveals", {"command": "sales list", "scope": scope, "rows": len(rows)})
    out = []
    for r in rows:
        item = view({k: r[k] for k in r.keys() if k != "voided_by"}, reveal=reveal)
        item["voided_by"] = r["voided_by"]
        out.append(item)
    return out, total


# ------------------------------------------------------------------------------ C5, C7
def bonus(s: Session, staff_id: str, *, amount: str, reason: str | None, approved_by: str | None,
          at: str | None = None) -> dict[str, Any]:
    """C5: a special commission, entered by a supervisor or above with a reason, approved by
    the general manager."""
    cents = parse.cents(amount, "amount")
    if cents <= 0:
        raise InputError("amount", f"{shown(amount)}: a special commission is a positive amount (C5)")
    why = parse.text(reason, "reason", required=False)
    if why is None:
        raise InputError("reason", "a special commission needs --reason saying what it rewards (C5)")
    day = parse.at(at, s.now).date()
    if day > s.today:
        raise InputError("at", f"{day} is in the future")
    with s.transaction() as w:
        me = s.recorder()
        person = _seller(s, staff_id, day)
        s.require_rank(me, "supervisor", "C5", "entering a special commission")
        if approved_by is None:
            raise RuleViolation("C5", "a special commission is paid only once the general manager approves it (--approved-by)")
        approver = s.person(approved_by, "approved-by")
        if approver.rank != "general_manager":
            raise RuleViolation("C5", f"a special commission is approved by the general manager; {approver.id} is {approver.rank.replace('_', ' ')}")
        if person.id in (me.id, approver.id):
            raise RuleViolation("C5", f"nobody enters or approves a special commission for themselves ({person.id})")
        s.refuse_if_closed(day, "a special commission")
        row = w.append("bonuses", {"staff": person.id, "at": day, "amount_cents": cents, "reason": why,
                                   "approved_by": approver.id})
    return jsonable(row)


COST_FIELDS = ("product_cost", "marketing", "shipping_loss", "other")


def record_costs(s: Session, month_text: str, **amounts: str | None) -> dict[str, Any]:
    """C7: the month's product cost, marketing spend, after-sales shipping losses and other costs."""
    month = parse.month(month_text)
    values = {}
    for key in COST_FIELDS:
        text = amounts.get(key)
        flag = "--" + key.replace("_", "-")
        if text is None:
            raise InputError(flag.lstrip("-"), f"the month's costs need {flag} (0 if there were none)")
        cents = parse.cents(text, key.replace("_", "-"))
        if cents < 0:
            raise InputError(key.replace("_", "-"), f"{shown(text)}: a cost is not negative")
        values[f"{key}_cents"] = cents
    with s.transaction() as w:
        me = s.recorder()
        s.require_rank(me, "supervisor", "C7", "recording the month's costs")
        s.refuse_if_closed(month, "costs")
        previous = _costs_row(s, month)
        row = w.append("costs", {"month": str(month), **values})
    out = jsonable(row)
    out["replaces"] = previous["id"] if previous else None
    return out


def _costs_row(s: Session, month: Month) -> Any:
    return s.ledger.costs_of(str(month))


# ------------------------------------------------------------------------------ the month
def statement_objects(s: Session, month: Month, policy: Policy) -> list[commission.Statement]:
    span = (str(month.first_day), str(month.next().first_day))
    totals = s.ledger.sales_totals(*span)
    specials = s.ledger.bonus_totals(*span)
    out = []
    for person in sorted(s.staff().values(), key=lambda p: p.id):
        if not person.active_in(month):
            continue
        cents, orders = totals.get(person.id, (0, 0))
        out.append(commission.statement(person, month, policy, sales=from_cents(cents), orders=orders or 0,
                                        special=from_cents(specials.get(person.id, 0))))
    return out


def statement_json(st: commission.Statement, outcome: str | None, score: Any) -> dict[str, Any]:
    return {
        "staff": st.staff,
        "name": st.name,
        "dept": st.dept,
        "level": st.level,
        "plan": st.plan,
        "base": str(st.base),
        "allowance": str(st.allowance),
        "sales": str(st.sales),
        "orders": st.orders,
        "sales_commission": str(st.sales_commission),
        "order_commission": str(st.order_commission),
        "guarantee_topup": str(st.guarantee_topup),
        "special": str(st.special),
        "total": str(st.total),
        "base_set": st.base_set,
        "outcome": outcome,
        "score": score,
    }


def statements(s: Session, month: Month, policy: Policy, report: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Everyone active in the month, with the discipline outcome beside the pay (C6)."""
    by_staff = {line["staff"]: line for line in report}
    return [
        statement_json(st, by_staff[st.staff]["outcome"] if st.staff in by_staff else None,
                       by_staff[st.staff]["score"] if st.staff in by_staff else None)
        for st in statement_objects(s, month, policy)
    ]


def pools(s: Session, month: Month, policy: Policy) -> dict[str, Any] | None:
    """C7, once the month's costs are recorded; None before."""
    row = _costs_row(s, month)
    if row is None:
        return None
    costs = commission.Costs(*(from_cents(row[f"{k}_cents"]) for k in COST_FIELDS))
    result = commission.pools(statement_objects(s, month, policy), costs)
    out: dict[str, Any] = {"month": str(month), "costs_row": row["id"]}
    for key, value in vars(result).items():
        out[key] = value if isinstance(value, bool) else str(value)
    return out
