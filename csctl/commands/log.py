"""csctl log: record discipline events as they happen (rules.md D1-D10)."""

from __future__ import annotations

from ..i18n import _, spoken, word

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from . import Call, command, sub_app

app = sub_app("Record discipline events (D1-D10) and list or import them.")

StaffArg = Annotated[str, typer.Argument(help="Staff id of the person the event is about, e.g. S07.", show_default=False)]
AtOpt = Annotated[Optional[str], typer.Option("--at", help="When: 2026-10-03, '2026-10-03 9:40', 9:40 or 9:40am (today), 'yesterday 9am'; an offset (+08:00) may follow. Default now.", show_default=False)]
NoteOpt = Annotated[Optional[str], typer.Option("--note", help="A remark kept with the row.", show_default=False)]


def _record(call: Call, kind: str, staff: str, at: str | None, **fields: Any) -> None:
    from .. import render
    from ..services import discipline

    row = discipline.log(call.session(), kind, staff, at, **fields)
    if call.json:
        render.out_json(row)
    else:
        render.line(_("recorded #{id}: {kind} {staff} at {at} ({rule}: {effect})").format(
            id=row['id'], kind=word("event kind", kind), staff=row['staff'], at=row['at'], rule=row['rule'],
            effect=spoken(row['effect'])))


@command(app, "late")
def late(
    staff: StaffArg,
    minutes: Annotated[str, typer.Option("--minutes", help="How many minutes late (1-1440).", show_default=False)],
    at: AtOpt = None,
    note: NoteOpt = None,
    *,
    call: Call,
) -> None:
    """Record a late arrival (D1: 0.5; over 30 minutes counts as an absence, D2).

    Example: csctl log late S07 --minutes 12 --at 09:40
    """
    from .. import parse

    _record(call, "late", staff, at, minutes=parse.minutes(minutes), note=_note(note))


@command(app, "early-leave")
def early_leave(
    staff: StaffArg,
    minutes: Annotated[str, typer.Option("--minutes", help="How many minutes before the end of the shift (1-1440).", show_default=False)],
    at: AtOpt = None,
    note: NoteOpt = None,
    *,
    call: Call,
) -> None:
    """Record leaving early, 早退, counted like a late arrival (D1: 0.5; over 30 minutes an absence, D2).

    Example: csctl log early-leave S07 --minutes 20 --at 17:40
    """
    from .. import parse

    _record(call, "early-leave", staff, at, minutes=parse.minutes(minutes), note=_note(note))


@command(app, "absent")
def absent(staff: StaffArg, at: AtOpt = None, note: NoteOpt = None, *, call: Call) -> None:
    """Record an absence, 缺勤 (D3: 2 points).

    Example: csctl log absent S07 --at 2026-10-03
    """
    _record(call, "absent", staff, at, note=_note(note))


@command(app, "awol")
def awol(
    staff: StaffArg,
    at: AtOpt = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="What happened.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Record AWOL, 曠工: rest without prior approval, or not back from leave on time (D4: 5).

    Example: csctl log awol S07 --at 2026-10-03 --reason "no leave approved"
    """
    _record(call, "awol", staff, at, reason=_note(reason, "reason"))


@command(app, "left-post")
def left_post(staff: StaffArg, at: AtOpt = None, note: NoteOpt = None, *, call: Call) -> None:
    """Record leaving the post without an arranged shift swap, counted as AWOL (D4: 5).

    Example: csctl log left-post S07 --at "2026-10-03 14:00"
    """
    _record(call, "left-post", staff, at, note=_note(note))


# Leave and day-offs are days, and the only events recorded ahead: not late's 09:40 "default now".
DayOpt = Annotated[Optional[str], typer.Option("--at", help="The day, YYYY-MM-DD; may be ahead (default today).", show_default=False)]
ApproverOpt = Annotated[Optional[str], typer.Option("--approved-by", help="Supervisor or manager of the department (or the general manager) who approved it in advance.", show_default=False)]
ApprovedOnOpt = Annotated[Optional[str], typer.Option("--approved-on", help="The day it was approved, YYYY-MM-DD; after the first day it is refused (AWOL). Without it, the recorder attests it came first.", show_default=False)]
UntilOpt = Annotated[Optional[str], typer.Option("--until", help="The last day, YYYY-MM-DD, for several days: one use of the quota.", show_default=False)]


@command(app, "leave")
def leave(staff: StaffArg, approved_by: ApproverOpt = None, at: DayOpt = None, approved_on: ApprovedOnOpt = None,
          until: UntilOpt = None, note: NoteOpt = None, *, call: Call) -> None:
    """Record approved leave, 請假; it draws on the monthly quota of 4 (D5).

    Example: csctl log leave S07 --approved-by M01 --approved-on 2026-10-06 --at 2026-10-09 --until 2026-10-10
    """
    _record(call, "leave", staff, at, approved_by=_approver(approved_by), note=_note(note), **_dates(approved_on, until))


@command(app, "dayoff")
def dayoff(staff: StaffArg, approved_by: ApproverOpt = None, at: DayOpt = None, approved_on: ApprovedOnOpt = None,
           until: UntilOpt = None, note: NoteOpt = None, *, call: Call) -> None:
    """Record an approved day off in lieu, 調休; it draws on the monthly quota of 4 (D5).

    Example: csctl log dayoff S07 --approved-by M01 --at 2026-10-10
    """
    _record(call, "dayoff", staff, at, approved_by=_approver(approved_by), note=_note(note), **_dates(approved_on, until))


@command(app, "forgot-signin")
def forgot_signin(staff: StaffArg, at: AtOpt = None, note: NoteOpt = None, *, call: Call) -> None:
    """Record a forgotten attendance sign-in, counted as a day off (D5 quota).

    Example: csctl log forgot-signin S07 --at 2026-10-12
    """
    _record(call, "forgot-signin", staff, at, note=_note(note))


@command(app, "offline")
def offline(
    staff: StaffArg,
    at: AtOpt = None,
    excused: Annotated[bool, typer.Option("--excused", help="There was good reason; the incident does not count.")] = False,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why it is excused.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Record being on duty but not logged in to the online client, 千牛 (D6: 5 on reaching 3).

    Example: csctl log offline S07 --at "2026-10-03 12:30"
    """
    _record(call, "offline", staff, at, excused=excused, reason=_note(reason, "reason"))


@command(app, "complaint")
def complaint(
    staff: StaffArg,
    kind: Annotated[str, typer.Option("--kind", help="slow (D7) or attitude (D8).", show_default=False)],
    source: Annotated[str, typer.Option("--source", help="customer or colleague.", show_default=False)],
    at: AtOpt = None,
    note: NoteOpt = None,
    *,
    call: Call,
) -> None:
    """Record a complaint found true: slow answer (D7) or bad attitude from a customer (D8).

    Example: csctl log complaint S07 --kind slow --source customer --note "order 8812"
    """
    _record(call, "complaint", staff, at, complaint=kind.strip().lower(), source=source.strip().lower(),
            note=_note(note))


@command(app, "unfinished")
def unfinished(
    staff: StaffArg,
    points: Annotated[str, typer.Option("--points", help="0 (verbal criticism), 0.5 or 1.", show_default=False)],
    at: AtOpt = None,
    note: NoteOpt = None,
    *,
    call: Call,
) -> None:
    """Record daily work left unfinished without good reason (D9: 0, 0.5 or 1).

    Example: csctl log unfinished S07 --points 0.5 --note "returns not filed"
    """
    from .. import parse

    _record(call, "unfinished", staff, at, points=parse.points(points), note=_note(note))


@command(app, "refer")
def refer(
    staff: StaffArg,
    reason: Annotated[Optional[str], typer.Option("--reason", help="The repeated poor attitude being referred.", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Refer poor attitude, repeated after correction, to the general manager (D10).

    Example: csctl log refer S07 --reason "third warning this month about tone"
    """
    _record(call, "refer", staff, at, reason=_note(reason, "reason"))


@command(app, "list", listing=True)
def list_(
    month: Annotated[Optional[str], typer.Option("--month", help="YYYY-MM.", show_default=False)] = None,
    staff: Annotated[Optional[str], typer.Option("--staff", help="Only this person.", show_default=False)] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="Only this kind (a `log` command word).", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """List discipline events, voided ones included and marked.

    Example: csctl log list --month 2026-10 --staff S07
    """
    from .. import render
    from ..services import discipline

    rows = discipline.listing(call.session(), month=month, staff=staff, kind=kind)
    columns = ["id", "at", "staff", "kind", "rule", "minutes", "approved_by", "points", "complaint", "source",
               "excused", "reason", "note", "import", "recorded_by", "recorded_os", "recorded_at", "voided_by",
               "void_reason"]
    if call.json:
        render.out_json(rows)
    elif call.csv:
        render.out_csv(rows, columns)
    else:
        for row in rows:
            row["detail"] = _detail(row)
            row["void"] = _("voided #{id}: {reason}").format(id=row['voided_by'], reason=row['void_reason']) if row["voided_by"] else ""
        # At 80 columns By is left out first, then Rule; times, ids and kinds are never split.
        columns = [render.Col("id", _("Id"), render.ID), render.Col("at", _("At"), render.TIME),
                   render.Col("staff", _("Staff"), render.ID), render.Col("name", _("Name"), render.TEXT),
                   render.Col("kind", _("Kind"), render.CODE, words="event kind"), render.Col("rule", _("Rule"), render.CODE, drop=1),
                   render.Col("detail", _("Detail"), render.TEXT), render.Col("recorded_by", _("By"), render.ID, drop=2),
                   render.Col("void", _("Void"), render.TEXT)]
        zones = render.zones([row["at"] for row in rows])
        render.table(rows, columns, title=_("Discipline events{value}").format(value=' ' + month if month else ''),
                     caption=_("{rows} row(s)").format(rows=len(rows)) + (_("; times in {zones}").format(zones=zones) if zones else ""),
                     styles=lambda r: "dim strike" if r["voided_by"] else None)


@command(app, "import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV with columns date,staff,kind,minutes,approved_by,points,source,note.", show_default=False)],
    *,
    call: Call,
) -> None:
    """Import a month of events from a CSV (an attendance clock's export), all or nothing.

    Example: csctl log import october-clock.csv
    """
    from .. import render
    from ..services import discipline

    result = discipline.import_file(call.session(), file)
    if call.json:
        render.out_json(result)
    else:
        render.line(_("imported {rows} event(s) from {file} as import #{import_} (rows #{first_id}-#{last_id})").format(rows=result['rows'], file=result['file'], import_=result['import'], first_id=result['first_id'], last_id=result['last_id']))


def _note(text: str | None, field: str = "note") -> str | None:
    from .. import parse

    return parse.text(text, field, required=False)


def _dates(approved_on: str | None, until: str | None) -> dict[str, Any]:
    from .. import parse

    return {"approved_on": parse.day(approved_on, "approved-on") if approved_on is not None else None,
            "until": parse.day(until, "until") if until is not None else None}


def _approver(text: str | None) -> str | None:
    from .. import parse

    return parse.staff_id(text, "approved-by") if text is not None else None


def _detail(row: dict[str, Any]) -> str:
    parts = []
    if row.get("minutes") is not None:
        parts.append(_("{minutes} min").format(minutes=row['minutes']))
    if row.get("until"):
        parts.append(_("to {until}").format(until=row['until']))
    if row.get("approved_by"):
        parts.append(_("approved by {approved_by}").format(approved_by=row['approved_by']) + (_(" on {approved_on}").format(approved_on=row['approved_on']) if row.get("approved_on") else ""))
    if row.get("points") is not None:
        parts.append(_("{points} pt").format(points=row['points']))
    if row.get("complaint"):
        parts.append(_("{complaint} from {source}").format(complaint=word("complaint", row['complaint']), source=word("complaint source", row['source'])))
    if row.get("excused"):
        parts.append(_("excused"))
    if "counts as an absence" in (row.get("effect") or "") and not row.get("voided_by"):
        parts.append(spoken(row["effect"]))  # a late over the line, a quota use beyond the quota
    for key in ("reason", "note"):
        if row.get(key):
            parts.append(str(row[key]))
    return "; ".join(parts)
