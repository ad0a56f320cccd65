"""csctl hazmat: the hazardous materials register (rules Z1-Z6, doc 11)."""

from __future__ import annotations

from ..i18n import _

from typing import Annotated, Any, Optional

import typer

from . import Call, command, sub_app

app = sub_app("Keep the hazardous materials register: stock, draws, returns, counts and anomalies (Z1-Z6).")

NameArg = Annotated[str, typer.Argument(help="The material, as on the register (any case), e.g. 'rat poison'.", show_default=False)]
DrawArg = Annotated[str, typer.Argument(help="The draw's id, as `hazmat draw` printed it.", show_default=False)]
QtyOpt = Annotated[str, typer.Option("--qty", help="Quantity in the material's unit, e.g. 12.5 (at most 3 decimals; pieces whole).", show_default=False)]
AtOpt = Annotated[Optional[str], typer.Option("--at", help="When: 2026-10-03, '2026-10-03 09:40', 09:40 (today), 'yesterday 09:40'. Default now.", show_default=False)]
ApproverOpt = Annotated[Optional[str], typer.Option("--approved-by", help="The customer-service shift lead or above who approves it (and issues a draw in person).", show_default=False)]
MonthOpt = Annotated[Optional[str], typer.Option("--month", help="YYYY-MM.", show_default=False)]


def _echo(call: Call, row: Any, text: str) -> None:
    from .. import render

    if call.json:
        render.out_json(row)
    else:
        render.line(text)


@command(app, "add")
def add(
    name: Annotated[str, typer.Argument(help="The material's name, e.g. 'rat poison'.", show_default=False)],
    unit: Annotated[str, typer.Option("--unit", help="Its unit: g, ml, pieces ...", show_default=False)],
    *,
    call: Call,
) -> None:
    """Put a hazardous material on the register, with its unit (Z1).

    Example: csctl hazmat add "rat poison" --unit g
    """
    from ..services import hazmat

    row = hazmat.add(call.session(), name, unit=unit)
    _echo(call, row, _("added #{id}: {name} ({unit})").format(id=row['id'], name=row['name'], unit=row['unit']))


@command(app, "stock-in")
def stock_in(
    name: NameArg,
    qty: QtyOpt,
    at: AtOpt = None,
    note: Annotated[Optional[str], typer.Option("--note", help="Where it came from.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Bring stock into the locked hazmat store: a customer-service shift lead or above (Z2).

    Example: csctl hazmat stock-in "rat poison" --qty 500 --note "from the storeroom"
    """
    from ..services import hazmat

    row = hazmat.stock_in(call.session(), name, qty=qty, at=at, note=note)
    _echo(call, row, _("recorded #{id}: {qty} {unit} of {material} into the store; balance {balance} {unit}").format(id=row['id'], qty=row['qty'], unit=row['unit'], material=row['material'], balance=row['balance']))


@command(app, "draw")
def draw(
    name: NameArg,
    qty: QtyOpt,
    staff: Annotated[str, typer.Option("--staff", help="Who draws it, e.g. S07.", show_default=False)],
    purpose: Annotated[Optional[str], typer.Option("--purpose", help="What it is for.", show_default=False)] = None,
    approved_by: ApproverOpt = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Draw what is needed for a job (Z3): a lead draws, anyone else with a lead's --approved-by.

    Example: csctl hazmat draw "rat poison" --qty 120 --staff S07 --approved-by L01 --purpose "car park traps"
    """
    from ..services import hazmat

    row = hazmat.draw(call.session(), name, qty=qty, staff=staff, approved_by=approved_by, purpose=purpose, at=at)
    approved = f" (approved by {row['approved_by']})" if row["approved_by"] else ""
    _echo(call, row, _("recorded #{id}: {staff} drew {qty} {unit} of {material}{approved}, due back by {due}; balance {balance} {unit}").format(id=row['id'], staff=row['staff'], qty=row['qty'], unit=row['unit'], material=row['material'], approved=approved, due=row['due'], balance=row['balance']))


@command(app, "return")
def return_(
    draw_id: DrawArg,
    qty: QtyOpt,
    staff: Annotated[str, typer.Option("--staff", help="Who returns it: the drawer, or whom a lead handed it on to (Z5).", show_default=False)],
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Return what was not used to the store (Z4); only the person answering for the draw (Z5).

    Example: csctl hazmat return 1412 --qty 45.5 --staff S07
    """
    from ..services import hazmat

    row = hazmat.return_(call.session(), draw_id, qty=qty, staff=staff, at=at)
    rest = _("closed, returned in full") if row["state"] == "returned" else \
        _("{qty} {unit} still out").format(qty=row["outstanding"], unit=row["unit"])
    _echo(call, row, _("recorded #{id}: {staff} returned {qty} {unit} of {material} from draw #{draw}; {rest}").format(id=row['id'], staff=row['staff'], qty=row['qty'], unit=row['unit'], material=row['material'], draw=row['draw'], rest=rest))


@command(app, "used")
def used(
    draw_id: DrawArg,
    staff: Annotated[Optional[str], typer.Option("--staff", help="Who used it up (default: the recorder, --by).", show_default=False)] = None,
    at: AtOpt = None,
    note: Annotated[Optional[str], typer.Option("--note", help="Where it went.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Mark the rest of a draw used up, closing it (Z4); only the person answering for it (Z5).

    Example: csctl hazmat used 1412 --staff S07 --note "all 12 traps set"
    """
    from ..services import hazmat

    row = hazmat.used(call.session(), draw_id, staff=staff, at=at, note=note)
    _echo(call, row, _("recorded #{id}: draw #{draw} marked used by {staff} ({used} {unit} of {material} used); closed").format(id=row['id'], draw=row['draw'], staff=row['staff'], used=row['used'], unit=row['unit'], material=row['material']))


@command(app, "lend")
def lend(
    draw_id: DrawArg,
    to: Annotated[str, typer.Option("--to", help="Who takes the draw on and answers for it from now.", show_default=False)],
    approved_by: ApproverOpt = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Hand a draw on to another person, with a lead's approval; they answer for it from then (Z5).

    Example: csctl hazmat lend 1412 --to S05 --approved-by L01
    """
    from ..services import hazmat

    row = hazmat.lend(call.session(), draw_id, to=to, approved_by=approved_by, at=at)
    _echo(call, row, _("recorded #{id}: draw #{draw} ({outstanding} {unit} of {material}) handed on from {from_staff} to {to_staff}, approved by {approved_by}").format(id=row['id'], draw=row['draw'], outstanding=row['outstanding'], unit=row['unit'], material=row['material'], from_staff=row['from_staff'], to_staff=row['to_staff'], approved_by=row['approved_by']))


@command(app, "anomaly")
def anomaly(
    name: NameArg,
    note: Annotated[Optional[str], typer.Option("--note", help="What happened: a spill, a shortfall, anything unusual.", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Record an anomaly: a spill, a shortfall, anything unusual (Z6).

    Example: csctl hazmat anomaly alcohol --note "about 20 ml spilt in the cabinet"
    """
    from ..services import hazmat

    row = hazmat.anomaly(call.session(), name, note=note, at=at)
    _echo(call, row, _("recorded #{id}: anomaly in {material}: {note}").format(id=row['id'], material=row['material'], note=row['note']))


@command(app, "anomalies", listing=True)
def anomalies(month: MonthOpt = None, *, call: Call) -> None:
    """List the anomalies, a stock-take's with both figures; voided ones marked (Z6).

    Example: csctl hazmat anomalies --month 2026-10
    """
    from .. import render
    from ..services import hazmat

    rows = hazmat.anomalies(call.session(), month=month)
    columns = ["id", "material", "unit", "at", "note", "count", "expected", "counted", "recorded_by", "voided_by"]
    if call.json:
        render.out_json(rows)
    elif call.csv:
        render.out_csv(rows, columns)
    else:
        render.table(rows, [("id", _("Id")), render.Col("at", _("At"), render.TIME), ("material", _("Material")), ("note", _("Note")),
                            ("recorded_by", _("By")), ("voided_by", _("Voided by"))],
                     title=_("Hazmat anomalies{value}").format(value=' ' + month if month else ''), caption=_("{rows} row(s)").format(rows=len(rows)),
                     styles=lambda r: "dim strike" if r["voided_by"] else None)


@command(app, "draws", listing=True)
def draws(
    open_: Annotated[bool, typer.Option("--open", help="Only draws still out (neither returned in full nor marked used).")] = False,
    flagged: Annotated[bool, typer.Option("--flagged", help="Only draws not closed by the end of their day (Z4), as of now.")] = False,
    month: MonthOpt = None,
    material: Annotated[Optional[str], typer.Option("--material", help="Only this material.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """List draws with what came back and who answers for each; --flagged: not closed by the end of their day (Z4).

    Example: csctl hazmat draws --flagged
    """
    from .. import render
    from ..services import hazmat

    rows = hazmat.draws(call.session(), open_only=open_, flagged_only=flagged, month=month, material=material)
    columns = ["id", "at", "material", "unit", "staff", "holder", "qty", "returned", "outstanding", "state", "due",
               "closed_at", "flagged", "purpose", "approved_by", "recorded_by", "voided_by"]
    if call.json:
        render.out_json(rows)
    elif call.csv:
        render.out_csv(rows, columns)
    else:
        for row in rows:
            row["flag"] = _("FLAGGED") if row["flagged"] else ""
        # A narrow terminal leaves out the unit (the quantities carry it in --json), then the
        # holder, what was drawn and returned and the due time, then the purpose; the caption
        # says which.
        render.table(rows, [render.Col("id", _("Id"), render.ID), render.Col("at", _("At"), render.TIME),
                            ("material", _("Material")), render.Col("unit", _("Unit"), drop=3),
                            render.Col("staff", _("Drawer"), render.ID), render.Col("holder", _("Holder"), render.ID, drop=2),
                            render.Col("qty", _("Drawn"), render.NUMBER, drop=2), render.Col("returned", _("Returned"), render.NUMBER, drop=2),
                            render.Col("outstanding", _("Out"), render.NUMBER), render.Col("state", _("State"), words="draw state"),
                            render.Col("due", _("Due"), render.TIME, drop=2), ("flag", _("Z4")),
                            render.Col("purpose", _("Purpose"), drop=1)],
                     title=_("Hazmat draws"), caption=_("{rows} draw(s)").format(rows=len(rows)),
                     styles=lambda r: "dim strike" if r["voided_by"] else ("red" if r["flagged"] else None))


@command(app, "count")
def count(name: NameArg, qty: QtyOpt, at: AtOpt = None, *, call: Call) -> None:
    """Record a stock-take; a count that differs from the ledger is recorded as an anomaly (Z6).

    Example: csctl hazmat count thinner --qty 630
    """
    from ..services import hazmat

    rows = hazmat.count(call.session(), name, qty=qty, at=at)
    row = rows[0]
    found = (f"; it differs: anomaly #{rows[1]['id']} recorded (Z6), {rows[1]['note']}" if len(rows) > 1
             else f": {row['qty']} {row['unit']} of {row['material']}, as the ledger holds")
    _echo(call, rows, _("recorded #{id}: stock-take{found}").format(id=row['id'], found=found))


@command(app, "stock", listing=True)
def stock(month: Annotated[Optional[str], typer.Option("--month", help="The month whose stock-ins, draws and returns are summed (default this month).", show_default=False)] = None,
          *, call: Call) -> None:
    """Show each material's balance, the month's stock-ins, draws and returns, and the draws still out.

    Example: csctl hazmat stock --json
    """
    from .. import render
    from ..services import hazmat

    rows = hazmat.stock(call.session(), month=month)
    if call.json:
        render.out_json(rows)
        return
    for row in rows:
        row["out"] = "; ".join(f"#{d['id']} {d['staff']} {d['qty']}{' FLAGGED' if d['flagged'] else ''}"
                               for d in row["outstanding"])
    if call.csv:
        render.out_csv(rows, ["material", "unit", "balance", "month", "stocked_in", "drawn", "returned", "out"])
    else:
        render.table(rows, [("material", _("Material")), ("unit", _("Unit")), ("balance", _("Balance")),
                            ("stocked_in", _("In")), ("drawn", _("Drawn")), ("returned", _("Returned")),
                            ("out", _("Still out (draw, holder, qty)"))],
                     title=_("Hazmat stock ({value})").format(value=rows[0]['month'] if rows else month or _('this month')),
                     caption=_("{rows} material(s)").format(rows=len(rows)))
