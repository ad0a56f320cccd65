"""The sales import (C1): the shop system's CSV export, read and checked, the reader of the
import engine (services/imports/__init__.py).

Each distinct (date, seller) pair is checked once by rules/sales.check_sale, the check of
`sales add`; money is parsed from its text to integer cents, never through a float. A file
larger than RELAY_FROM_BYTES is read in a second process (relay.py), so that parsing it and
writing the ledger run on two cores at once.
"""

from __future__ import annotations

from ...i18n import _

import re
from collections.abc import Iterable, Iterator
from itertools import islice, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from ... import parse
from ...errors import InputError, RuleViolation
from ...ledger import hashed_chunk
from ...parse import shown
from ...rules.sales import TEXT_LIMIT, check_sale, order_count
from ...sealing import Sealer, sealed_columns
from . import Chunk, Context, files
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

# A row as the reader makes it: sales' columns between its id and its trailer, in order. The
# sealed customer (csctl/sealing.py) is a late column (tables.py): the chain hashes it only
# when it holds a value, and a row the policy does not seal leaves it out (NULL).
ROW = ("at", "staff", "product", "amount_cents", "orders", "customer", "import", "customer_sealed")
LATE = ((ROW.index("customer_sealed"), "customer_sealed"),)

# Files smaller than this are read in this process; larger ones by a second process.
RELAY_FROM_BYTES = 4 << 20
CHUNK_ROWS = 5_000
# The reading side makes the chain's JSON of one chunk in this many (0: none), the writing
# side of the rest; measured on two cores (bench/import_sales.py).
JSON_EVERY = 2
JSON_EVERY_SEALED = 0
CHECK_ROWS = 1_000
# What a check calls a field, as the CSV's column is named.
CSV_FIELD = {"at": "date"}


def read(context: Context) -> Iterator[tuple[int, Chunk]]:
    """The engine's reader of a sales file: here for a small file, in a second process for a large one."""
    return relay(produce_sales_chunks, (context,), in_process=context.size < RELAY_FROM_BYTES)


def _header(cells: list[str], name: str) -> dict[str, int]:
    """Column positions by name, English or Chinese; refuses a missing or unknown column."""
    positions: dict[str, int] = {}
    for i, raw in enumerate(cells):
        key = raw.strip().lstrip("\ufeff")
        key = HEADER_ALIASES.get(key, key.lower())
        if key not in SALES_COLUMNS:
            raise InputError("file", _("{name} line 1: unknown column {strip}; columns: {sales_columns} (or 日期,客服,商品,金額,訂單數,客戶)").format(name=name, strip=shown(raw.strip()), sales_columns=','.join(SALES_COLUMNS)))
        if key in positions:
            raise InputError("file", _("{name} line 1: column {key} appears twice").format(name=name, key=shown(key)))
        positions[key] = i
    for required in ("date", "staff", "amount"):
        if required not in positions:
            raise InputError("file", _("{name} line 1: missing column {required!r}; columns: {sales_columns}").format(name=name, required=required, sales_columns=','.join(SALES_COLUMNS)))
    return positions




def produce_sales_chunks(check: Context) -> Iterator[tuple[int, Chunk]]:
    """Read and check a sales file; yield (bytes read, (canonical JSON of the rows or None,
    the rows in the table's column order)), or raise on the first bad row naming its line
    and column.

    The chain hashes each chunk's JSON, made from the very rows that are inserted. This side
    makes it for one chunk in JSON_EVERY and the writing side for the rest (the engine), which
    shares the work of an import about evenly between the two processes. Customers' phone
    numbers are masked and sealed here, when the context carries a key: that is work enough
    for this side, and the writing side makes every chunk's JSON."""
    every = JSON_EVERY_SEALED if check.seal_key is not None else JSON_EVERY
    with files.records(Path(check.path), check.name, check.sha256) as (reader, raw):
        for number, rows in enumerate(_sales_batches(reader, check)):
            yield raw.read_bytes, (hashed_chunk(rows, LATE) if every and number % every == every - 1 else None, rows)


def _sales_batches(reader: Any, check: Context) -> Iterator[list[tuple]]:
    """Checked sales tuples (ROW: at, staff, product, amount_cents, orders, customer, import, and
    customer_sealed when the context carries a key), in chunks of about CHUNK_ROWS; raises on the
    first bad record, naming its line.

    Records are checked in batches of CHECK_ROWS, small enough to stay in the processor's
    cache. csv.reader counts the lines it reads, not records: when a batch's records took
    one line each (the usual case), record i of a batch is on the batch's first line + i;
    otherwise `records` counts the line breaks inside the cells. When reading fails part
    way through a batch (a broken quote, bytes that are not UTF-8, a NUL), the records read
    before it are checked first, so the error named is still the first in the file.
    """
    header = next(reader, None)
    if header is None:
        raise InputError("file", _("{name} is empty; expected a header line and rows").format(name=check.name))
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
# The same with thousands grouped (1,280.50), as parse.cents takes them: at most ten digits
# before the point, as above, so that no amount here is above MAX_CENTS.
_GROUPED_AMOUNTS = re.compile(r"(?:-?(?:[0-9]{1,10}|[1-9][0-9]{0,2}(?:,[0-9]{3}){1,2}|[1-9](?:,[0-9]{3}){3})"
                              r"\.[0-9]{2}\n)*")
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

    def __init__(self, check: Context, header: list[str]):
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
        # Customers' phone numbers sealed under the context's key (cryptography loads here, if at all).
        self.sealer = Sealer(check.seal_key) if check.seal_key is not None else None

    # ---------------------------------------------------------------- one cell, checked once
    def pair(self, day_text: str, staff_text: str) -> tuple[str, str]:
        """A (date, seller) pair not met before: the day is real, not future, in an open month,
        and the seller is on the staff list, active that day and not the importer."""
        check = self.check
        day = parse.day(day_text, "date")
        seller_id = parse.staff_id(staff_text, "staff")
        person = check.staff.get(seller_id)
        refused = check_sale(seller=person, seller_id=seller_id, day=day, recorder=check.staff[check.me], today=check.today,
                             closed=check.closed, known=check.staff)
        if refused is not None:
            raise refused
        assert person is not None
        found = self.pairs[(day_text, staff_text)] = (day.isoformat(), person.id)
        self.renamed = self.renamed or found != (day_text, staff_text)
        return found

    def amount_cents(self, text: str) -> int:
        """An amount not met before, parsed (and refused) as `sales add` does."""
        cents = self.cents[text] = parse.cents(text, "amount")
        return cents

    def order_count(self, text: str, cents: int) -> int:
        """An orders cell not met before; a blank one's count depends on the amount's sign."""
        count = order_count(text, cents)
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
        or a short record, a long text, a bad pair, amounts not all with two decimals (thousands
        grouped or not), order
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
            if not _GROUPED_AMOUNTS.fullmatch(text):
                return None
            text = text.replace(",", "")
        cents = list(map(int, text.replace(".", "").split()))
        text = "\n".join(orders) + "\n"
        if _COUNTS.fullmatch(text):
            counts: Iterable[int] = map(int, text.split())
        elif not any(orders):
            counts = [1 if c >= 0 else 0 for c in cents]  # C1: a sale is one order, a refund none
        else:
            return None
        if self.sealer is None:
            return list(zip(days, staff, map(_NONE_IF_EMPTY.get, products, products), cents, counts,
                            map(_NONE_IF_EMPTY.get, customers, customers), repeat(self.check.import_id)))
        customers, sealed = sealed_columns(customers, self.sealer)
        return list(zip(days, staff, map(_NONE_IF_EMPTY.get, products, products), cents, counts,
                        map(_NONE_IF_EMPTY.get, customers, customers), repeat(self.check.import_id), sealed))

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
                    raise InputError("", _("{cells} cells where the header has {width}").format(cells=len(cells), width=width))
                if pad:
                    cells = [*cells, ""]
                day_text, staff_text, amount, orders_text, product, customer = pick(cells)
                if len(product) > TEXT_LIMIT or len(customer) > TEXT_LIMIT:
                    column = "product" if len(product) > TEXT_LIMIT else "customer"
                    raise InputError(column, _("is longer than {text_limit} characters").format(text_limit=TEXT_LIMIT))
                if spans_lines:  # a quoted cell may hold a line break
                    files.refuse_multiline(cells, self.header)
                found = pairs.get((day_text, staff_text)) or self.pair(day_text, staff_text)
                cents = amounts.get(amount)
                if cents is None:
                    cents = self.amount_cents(amount)
                orders = counts.get(orders_text)
                if orders is None:
                    orders = self.order_count(orders_text, cents)
            except (InputError, RuleViolation) as exc:
                raise files.at_line(name, first_line + offset + extra, exc, CSV_FIELD) from None
            append((found[0], found[1], product or None, cents, orders, customer or None, import_id))
        if self.sealer is not None and out:
            masked, sealed = sealed_columns([r[5] or "" for r in out], self.sealer)
            out = [(*r[:5], m or None, r[6], v) for r, m, v in zip(out, masked, sealed)]
        return out


