"""csctl duty: the duty log and duty swaps (rules.md H5, H6)."""

from __future__ import annotations

from ..i18n import _

from typing import Annotated, Any, Optional

import typer

from . import Call, command, sub_app

app = sub_app("Keep the duty log: who is on duty, incidents and reports, swaps (H5, H6).")

StaffArg = Annotated[str, typer.Argument(help="Staff id of the person on duty, e.g. L01.", show_default=False)]
AtOpt = Annotated[Optional[str], typer.Option("--at", help="When: 2026-10-03, '2026-10-03 18:00', 18:00 (today), 'yesterday 22:00'. Default now.", show_default=False)]
TextOpt = Annotated[Optional[str], typer.Option("--text", help="What happened.", show_default=False)]
COLUMNS = ["kind", "id", "at", "staff", "from", "to", "end_id", "text", "handled", "major", "report", "due", "overdue",
           "note", "other", "approved_by", "arranged", "recorded_by", "voided_by"]


def _done(call: Call, row: dict[str, Any], text: str) -> None:
    from .. import render

    if call.json:
        render.out_json(row)
    else:
        render.line(text)


@command(app, "start")
def start(staff: StaffArg, at: AtOpt = None, *, call: Call) -> None:
    """Go on duty: who, from when (H5).

    Example: csctl duty start L01 --at "2026-10-03 18:00"
    """
    from ..services import duty

    row = duty.start(call.session(), staff, at)
    _done(call, row, _("recorded #{id}: {staff} on duty from {at}").format(id=row['id'], staff=row['staff'], at=row['at']))


@command(app, "end")
def end(staff: StaffArg, at: AtOpt = None, *, call: Call) -> None:
    """End a duty: to when (H5); an end without a start is refused.

    Example: csctl duty end L01 --at "2026-10-03 22:00"
    """
    from ..services import duty

    row = duty.end(call.session(), staff, at)
    _done(call, row, _("recorded #{id}: {staff} off duty at {at} (on since {started})").format(id=row['id'], staff=row['staff'], at=row['at'], started=row['started']))


@command(app, "note")
def note(
    staff: StaffArg,
    text: TextOpt = None,
    handled: Annotated[Optional[str], typer.Option("--handled", help="How it was handled.", show_default=False)] = None,
    major: Annotated[bool, typer.Option("--major", help="A major incident: its written report is due the next day.")] = False,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Note an incident on duty and how it was handled; --major needs a report the next day (H5).

    Example: csctl duty note L01 --text "water leak in lobby B" --handled "valve closed, engineering called" --major
    """
    from ..services import duty

    row = duty.note(call.session(), staff, text=text, handled=handled, major=major, at=at)
    due = f"; major: written report due by {row['report_due']}" if row["major"] else ""
    _done(call, row, _("recorded #{id}: {staff} at {at}: {text}{due}").format(id=row['id'], staff=row['staff'], at=row['at'], text=row['text'], due=due))


@command(app, "report")
def report(
    note_id: Annotated[str, typer.Argument(help="The id of the major incident's note.", show_default=False)],
    text: Annotated[Optional[str], typer.Option("--text", help="The written report.", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """File the written report of a major incident, due the day after it (H5).

    Example: csctl duty report 1311 --text "At 21:15 water came through the lobby ceiling..."
    """
    from ..services import duty

    row = duty.report(call.session(), note_id, text=text, at=at)
    late = f", late (due by {row['due']})" if row["late"] else ""
    _done(call, row, _("recorded #{id}: the report of note #{note} by {staff}{late}").format(id=row['id'], note=row['note'], staff=row['staff'], late=late))


@command(app, "swap")
def swap(
    staff: Annotated[str, typer.Argument(help="Staff id of the person leaving the post that day.", show_default=False)],
    other: Annotated[str, typer.Option("--with", help="Staff id of the colleague taking the post.", show_default=False)],
    on: Annotated[str, typer.Option("--on", help="The day swapped, YYYY-MM-DD; arranged before it starts.", show_default=False)],
    approved_by: Annotated[Optional[str], typer.Option("--approved-by", help="The customer-service manager who approved it.", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Record a duty swap arranged in advance, approved by the customer-service manager (H6).

    Example: csctl duty swap S03 --with S04 --on 2026-10-10 --approved-by M01
    """
    from ..services import duty

    row = duty.swap(call.session(), staff, other=other, on=on, approved_by=approved_by, at=at)
    _done(call, row, _("recorded #{id}: on {day} {staff} leaves the post to {other}, approved by {approved_by}").format(id=row['id'], day=row['day'], staff=row['staff'], other=row['other'], approved_by=row['approved_by']))


@command(app, "list", listing=True)
def list_(
    day: Annotated[Optional[str], typer.Option("--date", help="Only this day, YYYY-MM-DD.", show_default=False)] = None,
    month: Annotated[Optional[str], typer.Option("--month", help="Only this month, YYYY-MM.", show_default=False)] = None,
    staff: Annotated[Optional[str], typer.Option("--staff", help="Only this person.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """The duty log: duties from when to when, notes and reports, swaps; voided rows marked.

    Example: csctl duty list --month 2026-10
    """
    from .. import render
    from ..services import duty

    rows = duty.listing(call.session(), day_text=day, month=month, staff=staff)
    if call.json:
        render.out_json(rows)
    elif call.csv:
        render.out_csv(rows, COLUMNS)
    else:
        for r in rows:
            r["detail"] = _detail(r)
        render.table(rows, [("id", _("Id")), render.Col("at", _("At"), render.TIME), render.Col("kind", _("Kind"), words="duty entry"), ("staff", _("Staff")), ("detail", _("Detail"))],
                     title=_("Duty log"), caption=_("{rows} row(s)").format(rows=len(rows)),
                     styles=lambda r: "dim strike" if r["voided_by"] else ("red" if r.get("overdue") else None))


def _detail(r: dict[str, Any]) -> str:
    if r["kind"] == "duty":
        return _("{start} to {end}").format(start=r['from'] or '?', end=r['to'] or _("on duty"))
    if r["kind"] == "note":
        parts = [(_("MAJOR: ") if r["major"] else "") + r["text"]]
        if r["handled"]:
            parts.append(_("handled: {handled}").format(handled=r['handled']))
        if r["major"]:
            parts.append(_("report #{report}").format(report=r['report']) if r["report"] else
                         _("report due by {due}").format(due=r['due']) + (_(", OVERDUE") if r["overdue"] else ""))
        return "; ".join(parts)
    if r["kind"] == "report":
        return _("report of note #{note}: {text}").format(note=r['note'], text=r['text'])
    return _("swap: {staff} leaves the post to {other}, approved by {approved_by} ({arranged})").format(staff=r['staff'], other=r['other'], approved_by=r['approved_by'], arranged=r['arranged'])
