"""csctl handover: the shift handover book (rules.md H1-H4)."""

from __future__ import annotations

from ..i18n import _, spoken

from typing import Annotated, Any, Optional

import typer

from . import Call, command, sub_app

app = sub_app("Open, answer and sign off shift handovers (H1-H4); list who is still on the hook.")

HandoverArg = Annotated[str, typer.Argument(help="The handover's id, as `handover open` printed it.", show_default=False)]
ByStaffOpt = Annotated[str, typer.Option("--by-staff", help="Staff id of the incoming person answering.", show_default=False)]
AtOpt = Annotated[Optional[str], typer.Option("--at", help="When: 2026-10-03, '2026-10-03 08:00', 08:00 (today), 'yesterday 18:00'. Default now.", show_default=False)]
LIST_COLUMNS = ["id", "date", "at", "shift", "from", "from_name", "to", "to_name", "state", "note", "bad", "unchecked",
                "requests_open", "reviewed", "recorded_by", "voided_by"]
OPEN_COLUMNS = ["kind", "id", "date", "shift", "from", "to", "state", "who", "what", "due", "overdue"]


@command(app, "open")
def open_(
    shift: Annotated[str, typer.Option("--shift", help="A shift of the policy: early, middle, day (08:00, security to customer service), night (18:00, customer service to security).", show_default=False)],
    from_staff: Annotated[str, typer.Option("--from", help="Staff id of the outgoing person.", show_default=False)],
    to_staff: Annotated[str, typer.Option("--to", help="Staff id of the incoming person.", show_default=False)],
    note: Annotated[Optional[str], typer.Option("--note", help="Unfinished work and what the next shift must know.", show_default=False)] = None,
    item: Annotated[Optional[list[str]], typer.Option("--item", help="A checklist item: NAME=ok or NAME=bad:remark (repeatable); an item not given is recorded as not checked.", show_default=False)] = None,
    carry: Annotated[Optional[list[str]], typer.Option("--carry", help="A complaint or request made after hours, carried across (H4; repeatable).", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Open a handover: shift, outgoing and incoming person, checklist, carried requests (H1, H2, H4).

    Example: csctl handover open --shift day --from K01 --to S01 --item keys=ok --item mail=bad:"parcel for 8-1 not delivered" --carry "12-3: leaking tap"
    """
    from .. import render
    from ..services import handover

    row = handover.open_(call.session(), shift=shift, from_staff=from_staff, to_staff=to_staff, note=note,
                         items=item, carry=carry, at=at)
    if call.json:
        render.out_json(row)
        return
    marks = "; ".join(f"{sign} {', '.join(i['item'] for i in row['items'] if i['mark'] == mark)}"
                      for mark, sign in (("ok", "✓"), ("bad", "×"), ("unchecked", "not checked:"))
                      if any(i["mark"] == mark for i in row["items"]))
    carried = f"; {len(row['requests'])} request(s) carried" if row["requests"] else ""
    render.line(_("opened #{id}: {shift} handover {from_staff} -> {to_staff} at {at} ({marks}){carried}; waiting for {to_staff} to accept").format(id=row['id'], shift=row['shift'], from_staff=row['from_staff'], to_staff=row['to_staff'], at=row['at'], marks=marks, carried=carried))


def _answered(call: Call, row: dict[str, Any]) -> None:
    from .. import render

    if call.json:
        render.out_json(row)
    else:
        why = f": {row['reason']}" if row["reason"] else ""
        render.line(_("recorded #{id}: handover #{handover} {answer} by {staff} at {at}{why}").format(id=row['id'], handover=row['handover'], answer=row['answer'], staff=row['staff'], at=row['at'], why=why))


@command(app, "accept")
def accept(handover_id: HandoverArg, by_staff: ByStaffOpt, at: AtOpt = None, *, call: Call) -> None:
    """The incoming person accepts a handover; the outgoing person's duty ends (H2).

    Example: csctl handover accept 1204 --by-staff S01
    """
    from ..services import handover

    _answered(call, handover.answer(call.session(), handover_id, by_staff=by_staff, accepted=True, at=at))


@command(app, "refuse")
def refuse(
    handover_id: HandoverArg,
    by_staff: ByStaffOpt,
    reason: Annotated[Optional[str], typer.Option("--reason", help="The unfinished work or the questions left unanswered.", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """The incoming person refuses a handover with a reason; it stays open for the supervisor (H2).

    Example: csctl handover refuse 1204 --by-staff S01 --reason "refund queue not handed over"
    """
    from ..services import handover

    _answered(call, handover.answer(call.session(), handover_id, by_staff=by_staff, accepted=False, reason=reason,
                                    at=at))


@command(app, "review")
def review(
    day: Annotated[str, typer.Argument(help="The day whose handovers are signed off, YYYY-MM-DD.", show_default=False)],
    by_staff: Annotated[str, typer.Option("--by-staff", help="Staff id of the shift lead (or above) signing.", show_default=False)],
    note: Annotated[Optional[str], typer.Option("--note", help="What is left open; needed when a handover of the day is not accepted.", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """A shift lead or above reviews and signs off a day's handovers (H3).

    Example: csctl handover review 2026-10-03 --by-staff L01
    """
    from .. import render
    from ..services import handover

    row = handover.review(call.session(), day, by_staff=by_staff, note=note, at=at)
    if call.json:
        render.out_json(row)
    else:
        left = f"; left open: {', '.join('#' + str(h) for h in row['left_open'])}" if row["left_open"] else ""
        render.line(_("recorded #{id}: {day} signed off by {staff} ({handovers} handover(s)){left}").format(id=row['id'], day=row['day'], staff=row['staff'], handovers=len(row['handovers']), left=left))


@command(app, "resolve")
def resolve(
    request_id: Annotated[str, typer.Argument(help="The carried request's id, as `handover list --open` shows it.", show_default=False)],
    note: Annotated[Optional[str], typer.Option("--note", help="How it was handled.", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Close a complaint or request carried across a handover, saying how it was handled (H4).

    Example: csctl handover resolve 1207 --note "plumber booked for 15:00, tenant told"
    """
    from .. import render
    from ..services import handover

    row = handover.resolve(call.session(), request_id, note=note, at=at)
    if call.json:
        render.out_json(row)
    else:
        render.line(_("recorded #{id}: request #{request} resolved at {at}: {note}").format(id=row['id'], request=row['request'], at=row['at'], note=row['note']))


@command(app, "list", listing=True)
def list_(
    open_only: Annotated[bool, typer.Option("--open", help="Who is still on the hook: handovers not accepted, days not signed off, carried requests not resolved, major incidents without a report.")] = False,
    day: Annotated[Optional[str], typer.Option("--date", help="Only this day, YYYY-MM-DD.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """List handovers with their state, or with --open what is still on the hook (H2-H5).

    Example: csctl handover list --open
    """
    from .. import render
    from ..services import handover

    rows = handover.listing(call.session(), open_only=open_only, day_text=day)
    columns = OPEN_COLUMNS if open_only else LIST_COLUMNS
    if call.json:
        render.out_json(rows)
    elif call.csv:
        render.out_csv(rows, columns)
    elif open_only:
        for r in rows:
            r["what"] = spoken(r["what"])
        render.table(rows, [render.Col("kind", _("What"), words="on the hook"), ("id", _("Id")), ("date", _("Date")),
                            ("who", _("Who")), ("what", _("Detail")),
                            render.Col("due", _("Due"), render.TIME)], title=_("Still on the hook"), caption=_("{rows} item(s)").format(rows=len(rows)),
                     styles=lambda r: "red" if r["overdue"] or r["state"] == "refused" else None)
    else:
        for r in rows:
            r["checklist"] = "; ".join([f"× {i}" for i in r["bad"]] + [f"? {i}" for i in r["unchecked"]])
        # A narrow terminal leaves out who signed the day off, then the open requests' count; the
        # caption says which. The checklist wraps.
        render.table(rows, [render.Col("id", _("Id"), render.ID), render.Col("at", _("At"), render.TIME),
                            render.Col("shift", _("Shift"), render.CODE), render.Col("from", _("From"), render.ID),
                            render.Col("to", _("To"), render.ID), render.Col("state", _("State"), words="handover state"),
                            ("checklist", _("Checklist")), render.Col("requests_open", _("Requests open"), render.NUMBER, drop=1),
                            render.Col("reviewed", _("Signed off"), drop=2)], title=_("Handovers") + (f" {day}" if day else ""),
                     caption=_("{rows} handover(s)").format(rows=len(rows)),
                     styles=lambda r: "dim strike" if r["voided_by"] else ("red" if r["state"] == "refused" else None))


@command(app, "show", read_only=True)
def show(handover_id: HandoverArg, *, call: Call) -> None:
    """Show one handover as the paper form: ✓ and × items, both names, times, requests, the answer.

    Example: csctl handover show 1204
    """
    from .. import render
    from ..services import handover

    form = handover.show(call.session(), handover_id)
    if call.json:
        render.out_json(form)
        return
    due = f" (due {form['due_at']})" if form["due_at"] else ""
    head = {
        _("shift"): f"{form['shift']}{due}",
        _("handed over"): form["at"],
        _("outgoing"): f"{form['from']} {form['from_name']}",
        _("incoming"): f"{form['to']} {form['to_name']}",
        _("state"): form["state"] + (f", voided by #{form['voided_by']}" if form["voided_by"] else ""),
        _("unfinished work"): form["note"] or "—",
        _("recorded by"): form["recorded_by"],
    }
    render.fields(head, title=_("Shift handover #{id}, {date}").format(id=form['id'], date=form['date']))
    render.table(form["items"], [("sign", _("Mark")), ("item", _("Item")), ("remark", _("Remark"))], title=_("Checklist"))
    if form["requests"]:
        render.table([{**q, "done": f"#{q['resolved']} {q['resolved_at']} {q['resolved_by']}: {q['resolution']}"
                       if q["resolved"] else _("not resolved")} for q in form["requests"]],
                     [("id", _("Id")), ("text", _("Carried request")), ("done", _("Resolved"))], title=_("Requests carried"))
    answers = [{**a, "who": f"{a['staff']} {a['name']}", "void": _("voided #{id}").format(id=a['voided_by']) if a["voided_by"] else ""}
               for a in form["answers"]]
    if answers:
        render.table(answers, [("id", _("Id")), ("answer", _("Answer")), ("who", _("Incoming")), render.Col("at", _("At"), render.TIME),
                               ("reason", _("Reason")), ("void", _("Void"))], title=_("Acceptance"))
    else:
        render.line(_("not answered yet: {from_} is on duty until {to} accepts").format(from_=form['from'], to=form['to']))
    review_row = form["review"]
    render.line(_("day signed off: #{id} by {staff} at {at}").format(id=review_row['id'], staff=review_row['staff'], at=review_row['at'])
                + (f" ({review_row['note']})" if review_row["note"] else "") if review_row else _("day not signed off yet"))
