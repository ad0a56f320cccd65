"""Discipline events: record one (`csctl log ...`), list them, import a month from a CSV."""

from __future__ import annotations

from ..i18n import N_, Said, _, tr

# What a refusal calls the event it is about, a whole phrase a kind, as a language's grammar
# wants it ("此遲到事件"), not a kind spliced into one phrase.
THIS_EVENT = {
    "late": N_("this late arrival"), "early-leave": N_("this early leave"), "absent": N_("this absence"),
    "awol": N_("this AWOL"), "left-post": N_("this post left"), "leave": N_("this leave"),
    "dayoff": N_("this day off"), "forgot-signin": N_("this forgotten sign-in"), "offline": N_("this offline incident"),
    "complaint": N_("this complaint"), "unfinished": N_("this unfinished work"), "refer": N_("this referral"),
}

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import parse
from ..parse import shown
from ..errors import InputError
from ..ledger.queries import discipline as queries
from ..models import EVENT_KINDS, Event, Month
from ..rules.discipline import EventRequest, check_event, row_effects, rule_of
from . import Session, jsonable, month_span

def _row_values(req: EventRequest) -> dict[str, Any]:
    return {
        "kind": req.kind,
        "staff": req.staff,
        "at": req.at.isoformat(),
        "minutes": req.minutes,
        "approved_by": req.approved_by,
        "points": None if req.points is None else format(req.points.normalize(), "f"),
        "complaint": req.complaint,
        "source": req.source,
        "excused": req.excused,
        "reason": req.reason,
        "note": req.note,
        "approved_on": req.approved_on,
        "until": req.until,
    }


def checked(s: Session, req: EventRequest) -> dict[str, Any]:
    """Run every check of one event against the session's state (inside its write); the
    row's values if it passes."""
    # The subject as their record stood on the month's first day, as the month's report reads it.
    staff = s.person(req.staff, on=Month.of(req.day).first_day)
    approver = None
    if req.approved_by is not None:
        approver = s.staff().get(req.approved_by)
    day = req.at.date()
    if day > s.today and req.kind not in ("leave", "dayoff"):
        raise InputError("at", _("{isoformat} is in the future; only leave and day-offs are recorded ahead").format(isoformat=req.at.isoformat()))
    _version, policy = s.policy_for(Month.of(day))
    problem = check_event(req, staff=staff, recorder=s.recorder(), approver=approver, policy=policy)
    if problem is not None:
        raise problem
    if req.kind == "left-post":  # D4 and H6: a post left on a day of an approved swap is no AWOL
        from ..ledger.queries.duty import swaps_on
        from ..rules.duty import left_post_covered

        s.check(left_post_covered(staff.id, day, swaps_on(s.ledger, staff.id, day)))
    s.refuse_if_closed(day, tr(THIS_EVENT[req.kind]) if req.kind in THIS_EVENT else req.kind)
    return _row_values(req)


def log(s: Session, kind: str, staff: str, at: str | None, **fields: Any) -> dict[str, Any]:
    """`csctl log KIND STAFF`: the text typed, parsed, checked and recorded."""
    return record(s, EventRequest(kind=kind, staff=parse.staff_id(staff), at=parse.at(at, s.now), **fields))


def record(s: Session, req: EventRequest) -> dict[str, Any]:
    """Record one discipline event (D1-D10) after every check; returns the stored row, with
    the rule it counts under and what it does (`effect`) in the month as it now stands."""
    # The recorder's rank and the closed month are part of each event's checks (checked),
    # which an import runs row by row.
    with s.write(None) as w:
        row = w.append("events", checked(s, req))
    return view(row, Effects(s, staff=row["staff"]))


def view(row: Any, effects: Effects) -> dict[str, Any]:
    out = jsonable(row)
    out["rule"], out["effect"] = effects.of(out)
    return out


def _event(r: Any) -> Event:
    return Event(
        id=r["id"],
        kind=r["kind"],
        staff=r["staff"],
        at=datetime.fromisoformat(r["at"]),
        minutes=r["minutes"],
        approved_by=r["approved_by"],
        points=Decimal(r["points"]) if r["points"] is not None else None,
        complaint=r["complaint"],
        source=r["source"],
        excused=bool(r["excused"]),
        reason=r["reason"],
        note=r["note"],
        approved_on=date.fromisoformat(r["approved_on"]) if r["approved_on"] else None,
        until=date.fromisoformat(r["until"]) if r["until"] else None,
    )


def events_of_month(s: Session, month: Month, staff: str | None = None) -> list[Event]:
    """The month's live events (neither voided nor from a voided import), everyone's or one person's."""
    return [_event(r) for r in queries.events_between(s.ledger, str(month.first_day), str(month.next().first_day),
                                                      staff)]


class Effects:
    """What each event does in its month, as the month's report counts it (rules/discipline.py
    `row_effects`): the rule it is listed under (D2 for a late over the line) and the effect in
    words. A voided row keeps its rule and counts for nothing. Each month is worked out once."""

    def __init__(self, s: Session, staff: str | None = None):
        self.s = s
        self.staff = staff  # only this person's rows will be asked for
        self._months: dict[str, tuple[dict[int, tuple[str, str]], Any]] = {}

    def _month(self, month_text: str) -> tuple[dict[int, tuple[str, str]], Any]:
        if month_text not in self._months:
            month = Month.parse(month_text)
            discipline = self.s.policy_for(month)[1].discipline
            mine: dict[str, list[Event]] = {}
            for event in events_of_month(self.s, month, self.staff):
                mine.setdefault(event.staff, []).append(event)
            effects: dict[int, tuple[str, str]] = {}
            for events in mine.values():
                effects.update(row_effects(events, discipline))
            self._months[month_text] = (effects, discipline)
        return self._months[month_text]

    def of(self, row: dict[str, Any]) -> tuple[str, str]:
        effects, discipline = self._month(row["at"][:7])
        if row["id"] in effects:
            return effects[row["id"]]
        rule, _effect = row_effects([_event(row)], discipline).get(row["id"], (rule_of(row["kind"], row["complaint"]), ""))
        return rule, Said(N_("voided: counts for nothing"))


def listing(s: Session, *, month: str | None, staff: str | None, kind: str | None) -> list[dict[str, Any]]:
    """Events in time order, voided ones included and marked, each with the person's name, its
    rule and its effect."""
    start, end = month_span(month)
    if kind is not None and kind not in EVENT_KINDS:
        raise InputError("kind", _("{kind} is not an event kind; one of {event_kinds}").format(kind=shown(kind), event_kinds=', '.join(EVENT_KINDS)))
    rows = queries.event_listing(s.ledger, start, end, s.person(staff).id if staff is not None else None, kind)
    effects = Effects(s)
    everyone = s.staff()
    out = []
    for r in rows:
        item = {}
        for key, value in view({k: r[k] for k in r.keys() if k not in ("void_id", "void_reason", "import_void_id")},
                               effects).items():
            item[key] = value
            if key == "staff":  # the person's name beside the id, for people reading the list
                item["name"] = everyone[value].name if value in everyone else None
        item["voided_by"] = r["void_id"] or r["import_void_id"]
        item["void_reason"] = r["void_reason"] if r["void_id"] else ("import voided" if r["import_void_id"] else None)
        out.append(item)
    return out


def import_file(s: Session, path: Path) -> dict[str, Any]:
    """`csctl log import`: a month of events from a CSV, all or nothing (services/imports/events.py)."""
    from .imports import events

    return events.import_file(s, path)
