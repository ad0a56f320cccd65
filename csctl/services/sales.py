"""Sales (C1) and special commission (C5): record one, import the shop's export, list them.

The month's statements, costs and pools are services/pay.py's; the import engine and the
sales file's reader are services/imports/.
"""

from __future__ import annotations

from ..i18n import _

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .. import parse, tables
from ..errors import InputError
from ..ledger.queries import sales as sales_queries
from ..parse import shown
from ..rules.sales import TEXT_LIMIT, check_bonus, check_sale, order_count
from ..sealing import mask_phone
from . import Session, jsonable, month_span


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
    count = order_count(orders or "", cents)
    day = parse.at(at, s.now).date()
    if day > s.today:
        raise InputError("at", _("{day} is in the future").format(day=day))
    product_text = parse.text(product, "product", required=False, limit=TEXT_LIMIT)
    customer_text = parse.text(customer, "customer", required=False, limit=TEXT_LIMIT)
    seller_id = parse.staff_id(staff_id, "staff")
    with s.write(tables.write_rank("sales"), rule="C1", doing=_("recording a sale")) as w:
        s.check(check_sale(seller=s.staff().get(seller_id), seller_id=seller_id, day=day, recorder=w.me,
                           today=s.today, closed=s.closed_months(), known=s.staff()))
        values = {"at": day, "staff": seller_id, "product": product_text, "amount_cents": cents, "orders": count,
                  "customer": customer_text}
        masked = mask_phone(customer_text)
        if masked != customer_text:  # a phone number: stored masked, and sealed when the policy says so
            from . import privacy

            sealer = privacy.sealer(s)
            if sealer is not None:
                values.update(customer=masked, customer_sealed=sealer.seal(customer_text))
        row = w.append("sales", values)
    return view(row)  # masked like every other output; the person typing it has just seen it


def view(row: Any, reveal: bool = False, opened: str | None = None) -> dict[str, Any]:
    """A sale as output: its customer masked, or with `reveal` as typed (`opened`: the text its
    sealed copy holds). A sealed row's stored customer is already masked; an older row's is
    masked as it is shown."""
    out = jsonable(row)
    sealed = out.pop("customer_sealed", None)
    if reveal and opened is not None:
        out["customer"] = opened
    elif not reveal and sealed is None:
        out["customer"] = mask_phone(out.get("customer"))
    return out



def import_file(s: Session, file: str, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Load a month of sales from the shop system's CSV export: all or nothing (C1).

    Every row is checked as `sales add` checks it (rules/sales.check_sale) and the first bad
    one refuses the whole file, naming its line (the header is line 1) and column. The same
    file twice is refused. The file streams through in chunks, so memory stays flat;
    `progress(bytes_read, total_bytes)` follows it.
    """
    from . import privacy
    from .imports import run
    from .imports.sales import read

    return run(s, file, "sales", read, need=tables.write_rank("imports"), rule="C1", doing=_("importing sales"),
               progress=progress, seal_key=lambda: privacy.seal_key(s))


# ------------------------------------------------------------------------------ listing
def list_rows(
    s: Session, *, month: str | None, staff: str | None, reveal: bool, limit: int | None
) -> tuple[list[dict[str, Any]], int]:
    """Sales rows, voided ones marked; customers masked unless revealed (and the reveal recorded).
    Revealing a sealed customer needs its key (services/privacy.py); without it nothing is
    revealed nor recorded."""
    start, end = month_span(month)
    rows, total = sales_queries.sales_listing(s.ledger, start, end, s.person(staff).id if staff is not None else None, limit)
    opened: dict[int, str] = {}
    if reveal:
        scope = json.dumps({"month": month, "staff": staff, "limit": limit}, ensure_ascii=False)
        with s.write(tables.write_rank("reveals"), doing=_("revealing customers' phone numbers")) as w:
            from . import privacy

            opened = privacy.unseal(s, rows)  # a missing key refuses before the reveal is recorded
            w.append("reveals", {"command": "sales list", "scope": scope, "rows": len(rows)})
    out = []
    for r in rows:
        item = view({k: r[k] for k in r.keys() if k != "voided_by"}, reveal=reveal, opened=opened.get(r["id"]))
        item["voided_by"] = r["voided_by"]
        out.append(item)
    return out, total


def live_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The amount and orders of the rows given that are not voided: a listing's total line.
    Money is added as Decimal from its exact text."""
    live = [r for r in rows if not r["voided_by"]]
    return {"amount": str(sum((Decimal(r["amount"]) for r in live), Decimal("0.00"))),
            "orders": sum(r["orders"] or 0 for r in live)}




# ------------------------------------------------------------------------------ C5
def bonus(s: Session, staff_id: str, *, amount: str, reason: str | None, approved_by: str | None,
          at: str | None = None) -> dict[str, Any]:
    """C5: a special commission, entered by a supervisor or above with a reason, approved by
    the general manager."""
    cents = parse.cents(amount, "amount")
    if cents <= 0:
        raise InputError("amount", _("{amount}: a special commission is a positive amount (C5)").format(amount=shown(amount)))
    why = parse.text(reason, "reason", required=False)
    if why is None:
        raise InputError("reason", _("a special commission needs --reason saying what it rewards (C5)"))
    day = parse.at(at, s.now).date()
    if day > s.today:
        raise InputError("at", _("{day} is in the future").format(day=day))
    with s.write(tables.write_rank("bonuses"), rule="C5", doing=_("entering a special commission")) as w:
        person = s.person(staff_id)
        approver = s.person(approved_by, "approved-by") if approved_by is not None else None
        s.check(check_bonus(person=person, approver=approver, recorder=w.me, day=day, today=s.today,
                            closed=s.closed_months()))
        row = w.append("bonuses", {"staff": person.id, "at": day, "amount_cents": cents, "reason": why,
                                   "approved_by": approver.id})
    return jsonable(row)
