"""Hazardous materials (Z1-Z6, doc 11): the register, stock-ins, draws, returns, uses, hand-ons,
stock-takes and anomalies, and the listings of draws, anomalies and stock.

Quantities are integer thousandths of the material's unit inside, and exact decimal strings
with three places outside (`"12.500"`). Every write reads the state again under its lock
(`Session.write`) before the pure rules of rules/hazmat.py decide.
"""

from __future__ import annotations

from ..i18n import N_, _, tr

import difflib
from datetime import datetime, timedelta
from typing import Any

from .. import parse, tables
from ..errors import InputError
from ..ledger.queries import hazmat as queries
from ..models import Month
from ..parse import shown
from ..rules import hazmat as rules
from . import Session, month_span

NAME_LIMIT = 60
# How a Z3 refusal names a change of stock, by its kind (ledger/queries/hazmat.py's moves).
MOVE_LABELS = {"stock-in": N_("stock-in #{id}"), "draw": N_("draw #{id}"), "return": N_("return #{id}")}
UNIT_LIMIT = 12


# ----------------------------------------------------------------------------- reading helpers


def _material(s: Session, name: str | None) -> Any:
    """A material on the register by name (any case), or bad input naming the ones there are."""
    text = parse.text(name, "material", limit=NAME_LIMIT)
    found = queries.material(s.ledger, text)
    if found is not None:
        return found
    names = [r["name"] for r in queries.materials(s.ledger)]
    near = difflib.get_close_matches(text.lower(), [n.lower() for n in names], n=1, cutoff=0.6)
    if near:
        hint = _(" (did you mean {name!r}?)").format(name=next(n for n in names if n.lower() == near[0]))
    else:
        hint = f" (on it: {', '.join(names)})" if names else " (it is empty)"
    raise InputError("material", _("{name} is not on the hazmat register{hint}; `csctl hazmat add NAME --unit U` registers a material").format(name=shown(name), hint=hint))


def _when(s: Session, at: str | None) -> datetime:
    when = parse.at(at, s.now)
    if when.date() > s.today:
        raise InputError("at", _("{isoformat} is in the future").format(isoformat=when.isoformat(sep=' ')))
    return when


def _qty(s: Session, text: str | None, material: Any, when: datetime, *, zero: bool = False) -> int:
    """A quantity of `material` in thousandths of its unit, with at most the decimal places the
    policy in force that month gives its unit (Z1)."""
    places = s.policy_for(Month.of(when.date()))[1].hazmat.places(material["unit"])
    return parse.quantity(text, "qty", places=places, unit=material["unit"], zero=zero)


def _moves_around(s: Session, material_id: int, when: datetime) -> list[rules.Move]:
    """The moves Z3's check of a new move at `when` needs, giving the same answer as every
    move: when the stock never went below zero up to a day before `when`, those older moves
    are summed in SQL into one opening move, and only the day before and what follows are read
    (a draw on a ledger of years reads a few rows, not its thousands); else every move."""
    edge = when - timedelta(days=1)
    count, total, low = queries.settled(s.ledger, material_id, edge.isoformat())
    if count == 0 or low is None or low < 0:
        return _moves(s, material_id)
    opening = rules.Move(edge - timedelta(days=1), 0, total, _("the stock before {at}").format(at=edge.isoformat(sep=' ')))
    return [opening, *(_move(r) for r in queries.moves(s.ledger, material_id, since=edge.isoformat()))]


def _move(r: Any) -> rules.Move:
    return rules.Move(datetime.fromisoformat(r["at"]), r["id"], r["delta"], tr(MOVE_LABELS[r["kind"]]).format(id=r["id"]))


def _moves(s: Session, material_id: int) -> list[rules.Move]:
    return [_move(r) for r in queries.moves(s.ledger, material_id)]


def _cutoff(s: Session, at: datetime) -> Any:
    return s.policy_for(Month.of(at.date()))[1].hazmat.cutoff


def _by_draw(closings: dict[str, list[Any]]) -> dict[str, dict[int, list[Any]]]:
    """Live returns, uses and lends grouped by the draw they close or hand on, in recorded order."""
    grouped: dict[str, dict[int, list[Any]]] = {}
    for table, rows in closings.items():
        for r in rows:
            grouped.setdefault(table, {}).setdefault(r["draw"], []).append(r)
    return grouped


def _state(s: Session, row: Any, closings: dict[str, dict[int, list[Any]]]) -> rules.Draw:
    """A draw's state from its row and its live returns, uses and lends (`_by_draw`)."""
    at = datetime.fromisoformat(row["at"])
    returns, uses, lends = (closings.get(table, {}).get(row["id"], []) for table in ("returns", "uses", "lends"))
    return rules.draw_of(
        id=row["id"], material=row["material_name"], unit=row["unit"], staff=row["staff"], at=at,
        qty=row["qty_milli"], returns=[(datetime.fromisoformat(r["at"]), r["qty_milli"]) for r in returns],
        used_at=datetime.fromisoformat(uses[0]["at"]) if uses else None,
        lends=[lend["to_staff"] for lend in lends], cutoff=_cutoff(s, at),
    )


def _draw(s: Session, draw_id: int) -> tuple[rules.Draw, dict[str, Any]]:
    """An open or closed live draw by id, and its material; bad input if there is none."""
    row = queries.draw(s.ledger, draw_id)
    if row is None:
        raise InputError("draw", _("there is no draw #{draw_id} (see `csctl hazmat draws`)").format(draw_id=draw_id))
    if row["voided_by"] is not None:
        raise InputError("draw", _("draw #{draw_id} was voided by #{voided_by}").format(draw_id=draw_id, voided_by=row['voided_by']))
    material = {"id": row["material"], "name": row["material_name"], "unit": row["unit"]}
    return _state(s, row, _by_draw(queries.closings(s.ledger, draw_id))), material


# ----------------------------------------------------------------------------- output


def view(row: Any, material: Any) -> dict[str, Any]:
    """A stored row as output: the material by name with its unit, quantities as exact decimal
    strings with three places (`qty_milli` 12500 is `"qty": "12.500"`)."""
    out: dict[str, Any] = {}
    for key, value in dict(row).items():
        if key.endswith("_milli"):
            out[key[: -len("_milli")]] = None if value is None else str(rules.amount(value))
        elif key == "material":
            out["material"], out["unit"] = material["name"], material["unit"]
        else:
            out[key] = value
            if key == "draw":  # a row of a draw names its material through it
                out["material"], out["unit"] = material["name"], material["unit"]
    return out


def _amount(milli: int | None) -> str | None:
    """Thousandths of a unit as the JSON contract writes a quantity: an exact decimal string."""
    return None if milli is None else str(rules.amount(milli))


def _when_text(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _draw_view(row: Any, d: rules.Draw | None, now: datetime) -> dict[str, Any]:
    amount = _amount
    return {
        "id": row["id"], "at": row["at"], "material": row["material_name"], "unit": row["unit"],
        "staff": row["staff"], "holder": d.holder if d else row["staff"], "qty": amount(row["qty_milli"]),
        "returned": amount(d.returned if d else 0), "outstanding": amount(d.outstanding if d else 0),
        "state": d.state if d else "voided", "due": _when_text(d.due) if d else None,
        "closed_at": _when_text(d.closed_at) if d else None, "flagged": d.flagged(now) if d else False,
        "purpose": row["purpose"], "approved_by": row["approved_by"], "recorded_by": row["recorded_by"],
        "voided_by": row["voided_by"],
    }


# ----------------------------------------------------------------------------- writes


def add(s: Session, name: str, *, unit: str) -> dict[str, Any]:
    """Z1: put a material on the register with its unit (g, ml, pieces, ...)."""
    clean = parse.text(name, "name", limit=NAME_LIMIT)
    unit_text = (parse.text(unit, "unit", limit=UNIT_LIMIT) or "").lower()
    if " " in unit_text:
        raise InputError("unit", _("{unit} is not a unit; one word such as g, ml or pieces").format(unit=shown(unit)))
    doing = N_("registering a hazardous material")
    with s.write(tables.write_rank("hazmat_materials"), rule="Z2", doing=doing) as w:
        s.check(rules.check_custody(w.me, doing))
        there = queries.material(s.ledger, clean)
        if there is not None:
            raise InputError("name", _("{name} is already on the register (in {unit})").format(name=there['name'], unit=there['unit']))
        row = w.append("hazmat_materials", {"name": clean, "unit": unit_text})
    return dict(row)


def stock_in(s: Session, name: str, *, qty: str, at: str | None = None, note: str | None = None) -> dict[str, Any]:
    """Z2: stock brought into the locked store, by a customer-service shift lead or above."""
    when = _when(s, at)
    remark = parse.text(note, "note", required=False)
    doing = N_("stocking hazardous materials")
    with s.write(tables.write_rank("hazmat_stock_ins"), rule="Z2", doing=doing, dated=when.date(),
                 what=_("a stock-in")) as w:
        s.check(rules.check_custody(w.me, doing))
        material = _material(s, name)
        milli = _qty(s, qty, material, when)
        row = w.append("hazmat_stock_ins", {"material": material["id"], "at": when, "qty_milli": milli,
                                            "note": remark})
        after = rules.balance(_moves(s, material["id"]))
    return {**view(row, material), "balance": str(rules.amount(after))}


def draw(s: Session, name: str, *, qty: str, staff: str, approved_by: str | None, purpose: str | None,
         at: str | None = None) -> dict[str, Any]:
    """Z3: a draw of what is needed, for a purpose, by a customer-service shift lead or above, or
    by anyone with such a lead named as approving and issuing it; never more than is in stock."""
    when = _when(s, at)
    why = parse.text(purpose, "purpose", required=False)
    if why is None:
        raise InputError("purpose", _("a draw needs --purpose saying what it is for (Z3)"))
    drawer_id = parse.staff_id(staff, "staff")
    approver_id = parse.staff_id(approved_by, "approved-by") if approved_by is not None else None
    with s.write(tables.write_rank("hazmat_draws"), rule="Z3", doing=_("recording a draw"), dated=when.date(),
                 what=_("a draw")) as w:
        material = _material(s, name)
        milli = _qty(s, qty, material, when)
        drawer = s.person(drawer_id, "staff", on=when.date())
        approver = s.person(approver_id, "approved-by", on=when.date()) if approver_id is not None else None
        s.check(rules.check_draw(drawer=drawer, approver=approver, day=when.date()))
        moves = _moves_around(s, material["id"], when)
        this = rules.Move(when, w.writer.next_id, -milli, _("this draw"))
        s.check(rules.check_stock([*moves, this], material["name"], material["unit"],
                                  _("drawing {qty}").format(qty=rules.shown(milli, material['unit']))))
        row = w.append("hazmat_draws", {"material": material["id"], "staff": drawer.id, "at": when,
                                        "qty_milli": milli, "purpose": why,
                                        "approved_by": approver.id if approver else None})
        after = rules.balance([*moves, this])
    cutoff = _cutoff(s, when)
    return {**view(row, material), "due": rules.due(when, cutoff).isoformat(), "balance": str(rules.amount(after))}


def return_(s: Session, draw_id: str, *, qty: str, staff: str, at: str | None = None) -> dict[str, Any]:
    """Z4, Z5: what was not used goes back, by the person answering for the draw; never more
    than is still out, never to a closed draw."""
    number = parse.row_id(draw_id, "draw")
    when = _when(s, at)
    who_id = parse.staff_id(staff, "staff")
    with s.write(tables.write_rank("hazmat_returns"), rule="Z4", doing=_("recording a return"), dated=when.date(),
                 what=_("a return")) as w:
        d, material = _draw(s, number)
        milli = _qty(s, qty, material, when)
        who = s.person(who_id, "staff", on=when.date())
        s.check(rules.check_return(d, who, milli, when))
        row = w.append("hazmat_returns", {"draw": d.id, "staff": who.id, "at": when, "qty_milli": milli})
    left = d.outstanding - milli
    return {**view(row, material), "outstanding": str(rules.amount(left)),
            "state": "returned" if left == 0 else "open"}


def used(s: Session, draw_id: str, *, staff: str | None = None, at: str | None = None,
         note: str | None = None) -> dict[str, Any]:
    """Z4, Z5: the rest of a draw marked used up, by the person answering for it (`staff`, else
    the recorder); the draw is closed."""
    number = parse.row_id(draw_id, "draw")
    when = _when(s, at)
    who_id = parse.staff_id(staff, "staff") if staff is not None else None
    remark = parse.text(note, "note", required=False)
    with s.write(tables.write_rank("hazmat_uses"), rule="Z4", doing=_("marking a draw used"), dated=when.date(),
                 what=_("a use")) as w:
        d, material = _draw(s, number)
        who = s.person(who_id, "staff", on=when.date()) if who_id is not None else w.me
        s.check(rules.check_used(d, who, when))
        row = w.append("hazmat_uses", {"draw": d.id, "staff": who.id, "at": when, "note": remark})
    return {**view(row, material), "used": str(rules.amount(d.outstanding))}


def lend(s: Session, draw_id: str, *, to: str, approved_by: str | None, at: str | None = None) -> dict[str, Any]:
    """Z5: a draw handed on to another named person, with a customer-service shift lead or above
    named as approving it; from then on that person answers for it."""
    number = parse.row_id(draw_id, "draw")
    when = _when(s, at)
    to_id = parse.staff_id(to, "to")
    approver_id = parse.staff_id(approved_by, "approved-by") if approved_by is not None else None
    with s.write(tables.write_rank("hazmat_lends"), rule="Z5", doing=_("handing a draw on"), dated=when.date(),
                 what=_("a hand-on")) as w:
        d, material = _draw(s, number)
        taker = s.person(to_id, "to", on=when.date())
        approver = s.person(approver_id, "approved-by", on=when.date()) if approver_id is not None else None
        s.check(rules.check_lend(d, taker, approver, when))
        row = w.append("hazmat_lends", {"draw": d.id, "from_staff": d.holder, "to_staff": taker.id,
                                        "approved_by": approver.id, "at": when})  # type: ignore[union-attr]
    return {**view(row, material), "outstanding": str(rules.amount(d.outstanding))}


def anomaly(s: Session, name: str, *, note: str | None, at: str | None = None) -> dict[str, Any]:
    """Z6: an anomaly (a spill, a shortfall, anything unusual), recorded as it is reported."""
    when = _when(s, at)
    what = parse.text(note, "note", required=False)
    if what is None:
        raise InputError("note", _("an anomaly needs --note saying what happened (Z6)"))
    with s.write(tables.write_rank("hazmat_anomalies"), rule="Z6", doing=_("recording an anomaly"),
                 dated=when.date(), what=_("an anomaly")) as w:
        material = _material(s, name)
        row = w.append("hazmat_anomalies", {"material": material["id"], "at": when, "note": what})
    return view(row, material)


def count(s: Session, name: str, *, qty: str, at: str | None = None) -> list[dict[str, Any]]:
    """A stock-take as an assertion: the physical count beside the ledger's balance at that time;
    a difference is recorded as a Z6 anomaly with both figures. The rows appended, the count first."""
    when = _when(s, at)
    doing = N_("taking stock of hazardous materials")
    with s.write(tables.write_rank("hazmat_counts"), rule="Z2", doing=doing, dated=when.date(),
                 what=_("a stock-take")) as w:
        s.check(rules.check_custody(w.me, doing))
        material = _material(s, name)
        counted = _qty(s, qty, material, when, zero=True)
        expected = rules.balance(_moves(s, material["id"]), until=when)
        row = w.append("hazmat_counts", {"material": material["id"], "at": when, "qty_milli": counted,
                                         "balance_milli": expected})
        note = rules.count_note(material["name"], material["unit"], counted, expected)
        out = [{**view(row, material), "difference": str(rules.amount(counted - expected))}]
        if counted != expected:
            found = w.append("hazmat_anomalies", {"material": material["id"], "at": when, "note": note,
                                                  "from_count": row["id"], "expected_milli": expected,
                                                  "counted_milli": counted})
            out.append(view(found, material))
    return out


def check_void(s: Session, table: str, row: Any) -> None:
    """Voiding a stock-in or a return must not take the stock below zero at any time (Z3): the
    draws that took that stock are voided (or returned) first. Called by `csctl void`."""
    if table == "hazmat_returns":
        d = queries.draw(s.ledger, row["draw"])
        material_id, what = d["material"], tr(MOVE_LABELS["return"]).format(id=row["id"])  # type: ignore[index]
    else:
        material_id, what = row["material"], tr(MOVE_LABELS["stock-in"]).format(id=row["id"])
    material = next(m for m in queries.materials(s.ledger) if m["id"] == material_id)
    moves = [m for m in _moves(s, material_id) if m.id != row["id"]]
    s.check(rules.check_stock(moves, material["name"], material["unit"], _("voiding {what}").format(what=what)))


# ----------------------------------------------------------------------------- listings


def draws(s: Session, *, open_only: bool = False, flagged_only: bool = False, month: str | None = None,
          material: str | None = None) -> list[dict[str, Any]]:
    """Draws in time order, voided ones included and marked unless only open or flagged ones are
    asked for. Z4: a draw is flagged once its due time has passed (by the session's now) without
    its being returned in full or marked used by then."""
    start, end = month_span(month)
    material_id = _material(s, material)["id"] if material is not None else None
    closings = _by_draw(queries.closings(s.ledger))
    out = []
    for row in queries.draws(s.ledger, start, end, material_id):
        d = None if row["voided_by"] is not None else _state(s, row, closings)
        item = _draw_view(row, d, s.now)
        if (open_only and item["state"] != "open") or (flagged_only and not item["flagged"]):
            continue
        out.append(item)
    return out


def anomalies(s: Session, *, month: str | None = None) -> list[dict[str, Any]]:
    """Z6: anomalies in time order, a count's with both figures; voided ones included and marked."""
    start, end = month_span(month)
    out = []
    amount = _amount
    for r in queries.anomalies(s.ledger, start, end):
        out.append({"id": r["id"], "material": r["material_name"], "unit": r["unit"], "at": r["at"],
                    "note": r["note"], "count": r["from_count"], "expected": amount(r["expected_milli"]),
                    "counted": amount(r["counted_milli"]), "recorded_by": r["recorded_by"],
                    "voided_by": r["voided_by"]})
    return out


def stock(s: Session, *, month: str | None = None) -> list[dict[str, Any]]:
    """Each material: its balance now, what came in, went out and came back in the month (this
    month by default), and the draws still out with who answers for each."""
    shown_month = parse.month(month) if month is not None else Month.of(s.today)
    start, end = str(shown_month.first_day), str(shown_month.next().first_day)
    by_material: dict[int, list[Any]] = {}
    for r in queries.moves(s.ledger):
        by_material.setdefault(r["material"], []).append(r)
    closings = _by_draw(queries.closings(s.ledger))
    out_draws: dict[int, list[dict[str, Any]]] = {}
    for row in queries.draws(s.ledger):
        if row["voided_by"] is None:
            d = _state(s, row, closings)
            if d.state == "open":
                out_draws.setdefault(row["material"], []).append(
                    {"id": d.id, "staff": d.holder, "drawer": d.staff, "qty": str(rules.amount(d.outstanding)),
                     "at": row["at"], "due": d.due.isoformat(), "flagged": d.flagged(s.now)})
    result = []
    for m in queries.materials(s.ledger):
        moves = by_material.get(m["id"], [])
        in_month = {kind: 0 for kind in ("stock-in", "draw", "return")}
        for r in moves:
            if start <= r["at"] < end:  # its own day's month, as L2 reads it
                in_month[r["kind"]] += abs(r["delta"])
        result.append({
            "material": m["name"], "unit": m["unit"],
            "balance": _amount(sum(r["delta"] for r in moves)),
            "month": str(shown_month),
            "stocked_in": _amount(in_month["stock-in"]),
            "drawn": _amount(in_month["draw"]),
            "returned": _amount(in_month["return"]),
            "outstanding": out_draws.get(m["id"], []),
        })
    return result


# ----------------------------------------------------------------------------- the demo


DEMO_MATERIALS = (("rat poison", "g"), ("dichlorvos", "ml"), ("cockroach bait", "pieces"), ("alcohol", "ml"),
                  ("thinner", "ml"))


def demo(s: Session, month: Month) -> None:
    """The demo's store room in its last month: every material stocked; draws returned, used up and
    handed on; one draw never returned (flagged, Z4); a spill; a stock-take that disagrees (Z6)."""
    def d(day: int, clock: str) -> str:
        return f"{month.first_day.replace(day=day)} {clock}"

    s.by = "L01"  # the customer-service shift lead keeps the store
    for name, unit in DEMO_MATERIALS:
        add(s, name, unit=unit)
    for name, qty in (("rat poison", "500"), ("dichlorvos", "1000"), ("cockroach bait", "40"), ("alcohol", "2500"),
                      ("thinner", "800")):
        stock_in(s, name, qty=qty, at=d(1, "09:00"), note="from the storeroom, into the locked cabinet")
    s.by = "L01"
    first = draw(s, "alcohol", qty="250", staff="S02", approved_by="L01", purpose="wipe down the front desk",
                 at=d(3, "10:00"))
    return_(s, str(first["id"]), qty="80.5", staff="S02", at=d(3, "16:30"))
    used(s, str(first["id"]), staff="S02", at=d(3, "16:31"))
    bait = draw(s, "cockroach bait", qty="6", staff="S03", approved_by="L01", purpose="pantry and bin room",
                at=d(8, "14:00"))
    used(s, str(bait["id"]), staff="S03", at=d(8, "15:10"))
    poison = draw(s, "rat poison", qty="120", staff="S04", approved_by="L01", purpose="car park traps",
                  at=d(12, "09:30"))
    s.by = "P01"
    lend(s, str(poison["id"]), to="S05", approved_by="P01", at=d(12, "11:00"))  # S04 called away
    return_(s, str(poison["id"]), qty="45.25", staff="S05", at=d(12, "17:00"))
    used(s, str(poison["id"]), staff="S05", at=d(12, "17:05"))
    s.by = "L01"
    draw(s, "dichlorvos", qty="30", staff="S06", approved_by="L01", purpose="drains in the loading bay",
         at=d(20, "15:00"))  # never returned nor marked used: flagged
    draw(s, "thinner", qty="150", staff="L01", approved_by=None, purpose="graffiti on the stairwell door",
         at=d(22, "10:00"))  # the lead's own draw needs no approver; not returned either
    s.by = "S07"
    anomaly(s, "alcohol", note="about 20 ml spilt in the cabinet; wiped up, reported to L01", at=d(24, "11:20"))
    s.by = "L01"
    count(s, "thinner", qty="630", at=d(26, "18:00"))  # the ledger holds 650: short by 20
