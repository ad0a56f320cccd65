"""csctl staff: the department's people (rules.md "People")."""

from __future__ import annotations

from ..i18n import _, pgettext, word

from typing import Annotated, Optional

import typer

from . import Call, command, sub_app

app = sub_app("Register the department's people, list them, mark leavers.")

IdArg = Annotated[str, typer.Argument(help="Staff id, a short code such as S07.", show_default=False)]


@command(app, "add")
def add(
    staff_id: IdArg,
    name: Annotated[str, typer.Option("--name", help="Full name.", show_default=False)],
    dept: Annotated[str, typer.Option("--dept", help="customer_service, security, engineering, cleaning, logistics, data, marketing, product, operations or admin.", show_default=False)],
    rank: Annotated[str, typer.Option("--rank", help="staff, shift_lead, supervisor, manager or general_manager.", show_default=False)],
    level: Annotated[Optional[str], typer.Option("--level", help="Customer service: probation, junior, intermediate, senior or reserve_supervisor.", show_default=False)] = None,
    hired: Annotated[Optional[str], typer.Option("--hired", help="Hire date, YYYY-MM-DD.", show_default=False)] = None,
    os_user: Annotated[Optional[str], typer.Option("--os-user", help="Their operating-system account, so csctl knows them without --by.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Register a person. The first person on a new ledger records themselves.

    Example: csctl staff add S07 --name "Lin Mei" --dept customer_service --rank staff --level junior --hired 2025-03-01
    """
    from .. import render
    from ..services import staff

    row = staff.add(call.session(), staff_id, name=name, dept=dept.strip().lower(), rank=rank.strip().lower(),
                    level=level.strip().lower() if level else None, hired=hired, os_user=os_user)
    if call.json:
        render.out_json(row)
    else:
        added = _("added #{id}: {staff} {name} ({dept}, {rank}, {level})") if row['level'] else _("added #{id}: {staff} {name} ({dept}, {rank})")
        render.line(added.format(id=row['id'], staff=row['staff'], name=row['name'], dept=word("department", row['dept']),
                                 rank=word("rank", row['rank']), level=word("level", row['level'] or "")))


@command(app, "change")
def change(
    staff_id: IdArg,
    from_date: Annotated[str, typer.Option("--from", help="First day the change holds, YYYY-MM-DD; a month's figures read the record as it stood on its first day.", show_default=False)],
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why: a typing mistake corrected, a promotion, a move.", show_default=False)] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="The full name as it should read.", show_default=False)] = None,
    dept: Annotated[Optional[str], typer.Option("--dept", help="The department from that day.", show_default=False)] = None,
    rank: Annotated[Optional[str], typer.Option("--rank", help="The rank from that day (a promotion to shift lead gives its authority from then).", show_default=False)] = None,
    hired: Annotated[Optional[str], typer.Option("--hired", help="The corrected hire date, YYYY-MM-DD.", show_default=False)] = None,
    level: Annotated[Optional[str], typer.Option("--level", help="A first level, for someone who has none (moving into customer service).", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Correct or change a staff record from a date on; never into a closed month (L2).

    Example: csctl staff change S07 --rank shift_lead --from 2026-12-01 --reason "promoted to shift lead"
    """
    from .. import render
    from ..services import staff

    row = staff.change(call.session(), staff_id, from_date=from_date, reason=reason, name=name, dept=dept,
                       rank=rank, hired=hired, level=level)
    if call.json:
        render.out_json(row)
    else:
        what = "; ".join(f"{word('record field', k)} {_value(k, v['from'])} -> {_value(k, v['to'])}"
                         for k, v in row["changed"].items())
        render.line(_("recorded #{id}: {staff} from {from_date}: {what}").format(id=row['id'], staff=row['staff'], from_date=row['from_date'], what=what))


@command(app, "list", listing=True)
def list_(
    dept: Annotated[Optional[str], typer.Option("--dept", help="Only this department.", show_default=False)] = None,
    active: Annotated[bool, typer.Option("--active", help="Only people still active today.")] = False,
    *,
    call: Call,
) -> None:
    """List the staff, leavers included (dimmed) unless --active.

    Example: csctl staff list --dept customer_service --active
    """
    from .. import render
    from ..services import staff

    rows = staff.listing(call.session(), include_left=not active, dept=dept)
    columns = ["id", "name", "dept", "rank", "level", "hired", "left", "active", "os_user", "row"]
    if call.json:
        render.out_json(rows)
    elif call.csv:
        render.out_csv(rows, columns)
    else:
        # Narrow, Active is left out first (Left says it), then Hired, then Level.
        code = render.CODE
        render.table(rows, [render.Col("id", _("Id"), render.ID), render.Col("name", _("Name"), render.TEXT),
                            render.Col("dept", _("Dept"), code, words="department"), render.Col("rank", _("Rank"), code, words="rank"),
                            render.Col("level", _("Level"), code, drop=1, words="level"), render.Col("hired", _("Hired"), render.DATE, drop=2),
                            render.Col("left", _("Left"), render.DATE), render.Col("active", _("Active"), code, drop=3, words="active")],
                     title=_("Staff"), caption=_("{rows} person(s)").format(rows=len(rows)), styles=lambda r: None if r["active"] else "dim")


@command(app, "show", read_only=True)
def show(staff_id: IdArg, *, call: Call) -> None:
    """Show one person: their record, events by month and recent closed months.

    Example: csctl staff show S07
    """
    from .. import render
    from ..services import staff

    data = staff.show(call.session(), staff_id)
    if call.json:
        render.out_json(data)
        return
    events = data.pop("events_by_month")
    history = data.pop("closed_months")
    changes = data.pop("changes")
    promotion = {k: data.pop(k) for k in ("levels", "grades", "titles", "probation_reviews")}
    render.fields({word("record field", k): _value(k, v) if k in ("dept", "rank", "level") and v else
                   word("active", str(v).lower()) if isinstance(v, bool) else v for k, v in data.items()},
                  title=f"{data['id']} {data['name']}")
    if changes:
        render.table([{**c, "what": ", ".join(f"{word('record field', k)} {_value(k, c[k])}"
                                              for k in ("name", "dept", "rank", "level", "hired") if k in c),
                       "void": _("voided #{id}").format(id=c['voided_by']) if c["voided_by"] else ""} for c in changes],
                     [("id", _("Id")), ("from", _("From")), ("what", _("Change")), ("reason", _("Reason")), ("void", _("Void"))],
                     title=_("Changes to the record"))
    if events:
        render.table([{"month": m, "events": ", ".join(f"{word('event kind', k)} {n}" for k, n in kinds.items())}
                      for m, kinds in events.items()], [("month", _("Month")), ("events", _("Events"))],
                     title=_("Events by month"))
    if history:
        render.table(history, [("month", _("Month")), ("score", _("Score")), ("rank", pgettext("ranking", "Rank")),
                                render.Col("outcome", _("Outcome"), words="outcome")],
                     title=_("Closed months"))
    _show_promotion(promotion)


def _value(field: str, value: object) -> str:
    """A record's value as a table or a confirmation shows it: a department, rank or level in words."""
    if value is None or value == "":
        return "-"
    return word({"dept": "department", "rank": "rank", "level": "level"}[field], str(value)) \
        if field in ("dept", "rank", "level") else str(value)


def _show_promotion(data: dict) -> None:
    """staff show: the level history, grades, titles and probation reviews (P1-P3)."""
    from .. import render

    void = {"void": lambda r: _("voided #{id}").format(id=r['voided_by']) if r["voided_by"] else ""}
    for key, title, columns in (
        ("levels", _("Levels"), [("from", _("From")), render.Col("level", _("Level"), words="level"), ("reason", _("Reason")), ("approved_by", _("Approved by"))]),
        ("grades", _("Quarterly grades"), [("quarter", _("Quarter")), ("grade", _("Grade")), ("note", _("Note"))]),
        ("titles", _("Excellent-staff titles"), [("on", _("On")), ("note", _("Note"))]),
        ("probation_reviews", _("Probation reviews"), [("on", _("On")), ("passed", _("Passed"))]),
    ):
        if data[key]:
            rows = [{**r, "void": void["void"](r)} for r in data[key]]
            render.table(rows, [("id", _("Id")), *columns, ("void", _("Void"))], title=title)


@command(app, "leave")
def leave(
    staff_id: IdArg,
    on: Annotated[str, typer.Option("--on", help="First day they are no longer active, YYYY-MM-DD.", show_default=False)],
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why they leave.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Mark a person inactive from a date (they leave the company); nothing is deleted.

    Example: csctl staff leave S07 --on 2026-11-01 --reason "resigned"
    """
    from .. import render
    from ..services import staff

    row = staff.leave(call.session(), staff_id, on, reason)
    if call.json:
        render.out_json(row)
    else:
        render.line(_("recorded #{id}: {staff} inactive from {on_date}").format(id=row['id'], staff=row['staff'], on_date=row['on_date']))


# ------------------------------------------------------------------ levels and promotion (P1-P3)
@command(app, "level")
def level(
    staff_id: IdArg,
    to: Annotated[str, typer.Option("--to", help="The level from that day: probation, junior, intermediate, senior or reserve_supervisor.", show_default=False)],
    from_date: Annotated[str, typer.Option("--from", help="First day of the new level, YYYY-MM-DD; a month is paid at the level held on its first day.", show_default=False)],
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why: the review behind a promotion, the watch behind a demotion, the contribution behind a skip.", show_default=False)] = None,
    approved_by: Annotated[Optional[str], typer.Option("--approved-by", help="The general manager, who approves a promotion that skips a step.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Change a level from a date (P1): one step up or down; a skip needs the general manager.

    Example: csctl staff level S04 --to intermediate --from 2026-12-01 --reason "review 2026-11: due (P4)"
    """
    from .. import render
    from ..services import levels

    row = levels.change_level(call.session(), staff_id, to=to, from_date=from_date, reason=reason,
                              approved_by=approved_by)
    if call.json:
        render.out_json(row)
    else:
        change = row["changed"]["level"]
        render.line(_("recorded #{id}: {staff} {from_} -> {to} from {from_date}").format(id=row['id'], staff=row['staff'], from_=change['from'], to=change['to'], from_date=row['from_date']))


@command(app, "grade")
def grade(
    staff_id: IdArg,
    quarter: Annotated[str, typer.Option("--quarter", help="The quarter graded, YYYY-Qn (2026-Q3).", show_default=False)],
    grade_: Annotated[str, typer.Option("--grade", help="A, B, or C for below B.", show_default=False)],
    note: Annotated[Optional[str], typer.Option("--note", help="What the grade rests on.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Record a quarterly grade (P2): A, B, or C for below B; closed months do not refuse it.

    Example: csctl staff grade S04 --quarter 2026-Q3 --grade A
    """
    from .. import render
    from ..services import levels

    row = levels.grade(call.session(), staff_id, quarter=quarter, letter=grade_, note=note)
    if call.json:
        render.out_json(row)
    else:
        render.line(_("recorded #{id}: {staff} {quarter} grade {grade}").format(id=row['id'], staff=row['staff'], quarter=row['quarter'], grade=row['grade']))


@command(app, "title")
def title(
    staff_id: IdArg,
    on: Annotated[Optional[str], typer.Option("--on", help="The day the title was given, YYYY-MM-DD (default today).", show_default=False)] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What it was given for.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Record an excellent-staff title (P3, 優秀客服) with its date.

    Example: csctl staff title S10 --on 2026-09-30 --note "third quarter"
    """
    from .. import render
    from ..services import levels

    row = levels.title(call.session(), staff_id, on=on, note=note)
    if call.json:
        render.out_json(row)
    else:
        render.line(_("recorded #{id}: {staff} excellent-staff title on {on_date}").format(id=row['id'], staff=row['staff'], on_date=row['on_date']))


@command(app, "probation")
def probation(
    staff_id: IdArg,
    passed: Annotated[Optional[bool], typer.Option("--passed/--failed", help="How the probation review went.", show_default=False)] = None,
    on: Annotated[Optional[str], typer.Option("--on", help="The day of the review, YYYY-MM-DD (default today).", show_default=False)] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What the review found.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Record a probation review (P3), passed or failed; a pass makes the next review list them as due (P4).

    Example: csctl staff probation S07 --passed --on 2026-11-28
    """
    from .. import render
    from ..services import levels

    row = levels.probation(call.session(), staff_id, passed=passed, on=on, note=note)
    if call.json:
        render.out_json(row)
    else:
        done = (_("recorded #{id}: {staff} probation review passed on {on_date}") if row['passed'] else
                _("recorded #{id}: {staff} probation review failed on {on_date}"))
        render.line(done.format(id=row['id'], staff=row['staff'], on_date=row['on_date']))
