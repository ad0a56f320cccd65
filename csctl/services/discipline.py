"""Discipline events: record one (`csctl log ...`), list them, import a month from a CSV."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import parse
from ..parse import shown
from ..errors import InputError
from ..ledger.queries import discipline as queries
from ..models import EVENT_KINDS, Event, Month
from ..rules.discipline import EventRequest, check_event, rule_of
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
    }


def checked(s: Session, req: EventRequest) -> dict[str, Any]:
    """Run every check of one event against the session's state (inside its write); the
    row's values if it passes."""
    staff = s.person(req.staff)
    approver = None
    if req.approved_by is not None:
        approver = s.staff().get(req.approved_by)
    day = req.at.date()
    if day > s.today and req.kind not in ("leave", "dayoff"):
        raise InputError("at", f"{req.at.isoformat()} is in the future; only leave and day-offs are recorded ahead")
    _, policy = s.policy_for(Month.of(day))
    problem = check_event(req, staff=staff, recorder=s.recorder(), approver=approver, policy=policy)
    if problem is not None:
        raise problem
    s.refuse_if_closed(day, f"this {req.kind} event")
    return _row_values(req)


def log(s: Session, kind: str, staff: str, at: str | None, **fields: Any) -> dict[str, Any]:
    """`csctl log KIND STAFF`: the text typed, parsed, checked and recorded."""
    return record(s, EventRequest(kind=kind, staff=parse.staff_id(staff), at=parse.at(at, s.now), **fields))


def record(s: Session, req: EventRequest) -> dict[str, Any]:
    """Record one discipline event (D1-D10) after every check; returns the stored row."""
    # The recorder's rank and the closed month are part of each event's checks (checked),
    # which an import runs row by row.
    with s.write(None) as w:
        row = w.append("events", checked(s, req))
    return view(row)


def view(row: Any) -> dict[str, Any]:
    out = jsonable(row)
    out["rule"] = _rule_of(out)
    return out


def _rule_of(row: dict[str, Any]) -> str:
    return rule_of(row["kind"], row.get("complaint"))


def events_of_month(s: Session, month: Month) -> list[Event]:
    """The month's live events: neither voided nor from a voided import."""
    rows = queries.events_between(s.ledger, str(month.first_day), str(month.next().first_day))
    return [
        Event(
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
        )
        for r in rows
    ]


def listing(s: Session, *, month: str | None, staff: str | None, kind: str | None) -> list[dict[str, Any]]:
    """Events in time order, voided ones included and marked, each with the person's name."""
    start, end = month_span(month)
    if kind is not None and kind not in EVENT_KINDS:
        raise InputError("kind", f"{shown(kind)} is not an event kind; one of {', '.join(EVENT_KINDS)}")
    rows = queries.event_listing(s.ledger, start, end, s.person(staff).id if staff is not None else None, kind)
    everyone = s.staff()
    out = []
    for r in rows:
        item = {}
        for key, value in view({k: r[k] for k in r.keys() if k not in ("void_id", "void_reason", "import_void_id")}).items():
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
