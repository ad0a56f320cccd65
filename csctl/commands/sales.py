"""csctl sales: sales, refunds, order counts and special commission (C1, C5)."""

from __future__ import annotations

from ..i18n import _

from typing import Annotated, Optional

import typer

from . import Call, command, sub_app

app = sub_app("Record sales and refunds, import the shop's export, list them, enter special commission.")

StaffArg = Annotated[str, typer.Argument(help="Staff id of the seller, e.g. S07.", show_default=False)]
AmountOpt = Annotated[str, typer.Option("--amount", help="Amount in CNY, e.g. 1280.50 or 1,280.50; negative for a refund or return.", show_default=False)]
AtOpt = Annotated[Optional[str], typer.Option("--at", help="Date of the sale or refund, YYYY-MM-DD (default today).", show_default=False)]
# A special commission is not a sale: its own words (a negative amount is refused, C5).
BonusStaffArg = Annotated[str, typer.Argument(help="Staff id of the person it pays, e.g. S07.", show_default=False)]
BonusAmountOpt = Annotated[str, typer.Option("--amount", help="Amount in CNY, positive, e.g. 500.", show_default=False)]
BonusAtOpt = Annotated[Optional[str], typer.Option("--at", help="The date it is for, YYYY-MM-DD, in an open month (default today).", show_default=False)]


@command(app, "add")
def add(
    staff: StaffArg,
    amount: AmountOpt,
    orders: Annotated[Optional[str], typer.Option("--orders", help="Orders in it (default 1; 0 for a refund).", show_default=False)] = None,
    product: Annotated[Optional[str], typer.Option("--product", help="Product sold.", show_default=False)] = None,
    customer: Annotated[Optional[str], typer.Option("--customer", help="Customer name and/or phone.", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Record a sale, a refund (negative amount) or orders handled (C1).

    Example: csctl sales add S07 --amount 1280.50 --product "tea set" --customer "Wang 13812345678"
    """
    from .. import render
    from ..services import sales

    row = sales.add(call.session(), staff, amount=amount, orders=orders, product=product, customer=customer, at=at)
    if call.json:
        render.out_json(row)
    else:
        render.line(_("recorded #{id}: {staff} {amount} ({orders} order(s)) on {at}").format(id=row['id'], staff=row['staff'], amount=row['amount'], orders=row['orders'], at=row['at']))


@command(app, "import")
def import_(
    file: Annotated[str, typer.Argument(help="CSV: date,staff,product,amount,orders,customer (or 日期,客服,商品,金額,訂單數,客戶).", show_default=False)],
    *,
    call: Call,
) -> None:
    """Import a month of sales from the shop system's CSV export, all or nothing; never twice.

    Example: csctl sales import shop-2026-10.csv
    """
    from .. import render
    from ..services import sales

    with render.progress(_("importing"), enabled=not call.json) as progress:
        result = sales.import_file(call.session(), file, progress)
    if call.json:
        render.out_json(result)
    else:
        render.line(_("imported {rows} sale(s) from {file} as import #{import_} (rows #{first_id}-#{last_id})").format(rows=result['rows'], file=result['file'], import_=result['import'], first_id=result['first_id'], last_id=result['last_id']))


@command(app, "list", listing=True)
def list_(
    month: Annotated[Optional[str], typer.Option("--month", help="YYYY-MM.", show_default=False)] = None,
    staff: Annotated[Optional[str], typer.Option("--staff", help="Only this person.", show_default=False)] = None,
    reveal: Annotated[bool, typer.Option("--reveal", help="Show customers' phone numbers in full (supervisor or above; recorded).")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", help="At most this many rows; 0 for all (a table shows 200 unless told).", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """List sales; customers' phone numbers are masked (138****5678) unless revealed.

    Example: csctl sales list --month 2026-10 --staff S07
    """
    from .. import render
    from ..errors import InputError
    from ..services import sales

    if limit is not None and not 0 <= limit <= 10**9:
        raise InputError("limit", _("{limit} is not a number of rows (0 for all)").format(limit=limit))
    table = not (call.json or call.csv)
    cap = limit if limit is not None else (200 if table else None)
    rows, total = sales.list_rows(call.session(), month=month, staff=staff, reveal=reveal, limit=cap or None)
    columns = ["id", "at", "staff", "product", "amount", "orders", "customer", "import", "recorded_by",
               "recorded_os", "recorded_at", "voided_by"]
    if call.json:
        render.out_json(rows)
    elif call.csv:
        render.out_csv(rows, columns)
    else:
        shown = (_("{shown} of {total} row(s)").format(shown=len(rows), total=total)
                 + (_("; --limit 0 shows all") if len(rows) < total else "")
                 + _("; total of the rows shown, voided ones left out"))
        # Narrow, By is left out first, then Customer; dates, amounts and ids are never split.
        columns = [render.Col("id", _("Id"), render.ID), render.Col("at", _("Date"), render.DATE),
                   render.Col("staff", _("Staff"), render.ID), render.Col("product", _("Product"), render.TEXT),
                   render.Col("amount", _("Amount"), render.NUMBER), render.Col("orders", _("Orders"), render.NUMBER),
                   render.Col("customer", _("Customer"), render.TEXT, drop=1),
                   render.Col("recorded_by", _("By"), render.ID, drop=2),
                   render.Col("voided_by", _("Voided by"), render.ID)]
        render.table(rows, columns, title=_("Sales{value}").format(value=' ' + month if month else ''), caption=shown,
                     footer={"at": _("Total"), **sales.live_totals(rows)},
                     styles=lambda r: "dim strike" if r["voided_by"] else None)


@command(app, "bonus")
def bonus(
    staff: BonusStaffArg,
    amount: BonusAmountOpt,
    reason: Annotated[Optional[str], typer.Option("--reason", help="What it rewards (required).", show_default=False)] = None,
    approved_by: Annotated[Optional[str], typer.Option("--approved-by", help="Staff id of the general manager who approved it (required).", show_default=False)] = None,
    at: BonusAtOpt = None,
    *,
    call: Call,
) -> None:
    """Enter a special commission (C5): a supervisor or above, with a reason, approved by the general manager.

    Example: csctl sales bonus S07 --amount 500 --reason "recovered the 8812 order" --approved-by G01
    """
    from .. import render
    from ..services import sales

    row = sales.bonus(call.session(), staff, amount=amount, reason=reason, approved_by=approved_by, at=at)
    if call.json:
        render.out_json(row)
    else:
        render.line(_("recorded #{id}: special commission {amount} for {staff}, approved by {approved_by}").format(id=row['id'], amount=row['amount'], staff=row['staff'], approved_by=row['approved_by']))
