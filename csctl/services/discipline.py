"""Discipline events: record one (`csctl log ...`), list them, import a month from a CSV."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import parse
from ..parse import shown
from ..errors import InputError, RuleViolation
from ..models import EVENT_KINDS, Event, Month
from ..rules.discipline import EventRequest, check_event, rule_of
from . import Session, csvfile, jsonable, month_span

IMPORT_COLUMNS = ("date", "staff", "kind", "minutes", "approved_by", "points", "source", "note")
# CSV kind words beyond the `log` command words.
IMPORT_KINDS = {
    "complaint-slow": ("complaint", {"complaint": "slow"}),
    "complaint-attitude": ("complaint", {"complaint": "attitude"}),
    "offline-excused": ("offline", {"excused": True}),
}

# What a check calls a field, as the CSV's column is named.
CSV_FIELD = {"at": "date", "approved-by": "approved_by", "reason": "note"}


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


def _checked(s: Session, req: EventRequest) -> dict[str, Any]:
    """Run every check of one event against the session's state; the row's values if it passes."""
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
    with s.transaction() as w:
        row = w.append("events", _checked(s, req))
    return view(row)


def view(row: Any) -> dict[str, Any]:
    out = jsonable(row)
    out["rule"] = _rule_of(out)
    return out


def _rule_of(row: dict[str, Any]) -> str:
    return rule_of(row["kind"], row.get("complaint"))


def events_of_month(s: Session, month: Month) -> list[Event]:
    """The month's live events: neither voided nor from a voided import."""
    rows = s.ledger.events_between(str(month.first_day), str(month.next().first_day))
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
    """Events in time order, voided ones included and marked."""
    start, end = month_span(month)
    if kind is not None and kind not in EVENT_KINDS:
        raise InputError("kind", f"{shown(kind)} is not an event kind; one of {', '.join(EVENT_KINDS)}")
    rows = s.ledger.event_listing(start, end, s.person(staff).id if staff is not None else None, kind)
    out = []
    for r in rows:
        item = view({k: r[k] for k in r.keys() if k not in ("void_id", "void_reason", "import_void_id")})
        item["voided_by"] = r["void_id"] or r["import_void_id"]
        item["void_reason"] = r["void_reason"] if r["void_id"] else ("import voided" if r["import_void_id"] else None)
        out.append(item)
    return out


# ----------------------------------------------------------------------------- import
def _import_request(rec: dict[str, str], now: datetime) -> EventRequest:
    """One CSV record as an EventRequest; on error, the column at fault is in the exception."""
    def cell(name: str) -> str:
        return (rec.get(name) or "").strip()

    at = parse.at(cell("date"), now, "date")
    staff = parse.staff_id(cell("staff"), "staff")
    word = cell("kind").lower()
    kind, extra = IMPORT_KINDS.get(word, (word, {}))
    if kind not in EVENT_KINDS or word == "complaint":
        allowed = [k for k in EVENT_KINDS if k != "complaint"] + list(IMPORT_KINDS)
        raise InputError("kind", f"{shown(cell('kind'))} is not an event kind; one of {', '.join(allowed)}")
    fields: dict[str, Any] = dict(extra)
    if cell("minutes"):
        if kind != "late":
            raise InputError("minutes", f"only a late has minutes, not {word}")
        fields["minutes"] = parse.minutes(cell("minutes"))
    elif kind == "late":
        raise InputError("minutes", "a late needs its minutes (D1)")
    if cell("approved_by"):
        if kind not in ("leave", "dayoff"):
            raise InputError("approved_by", f"only leave and day-offs have an approver, not {word}")
        fields["approved_by"] = parse.staff_id(cell("approved_by"), "approved_by")
    if cell("points"):
        if kind != "unfinished":
            raise InputError("points", f"only unfinished work has points, not {word}")
        fields["points"] = parse.points(cell("points"))
    if cell("source"):
        if kind != "complaint":
            raise InputError("source", f"only a complaint has a source, not {word}")
        fields["source"] = cell("source").lower()
    note = parse.text(cell("note"), "note", required=False)
    if kind in ("refer", "awol") or (kind == "offline" and fields.get("excused")):
        fields["reason"] = note
    else:
        fields["note"] = note
    return EventRequest(kind=kind, staff=staff, at=at, **fields)


def import_file(s: Session, path: Path) -> dict[str, Any]:
    """Load a month of events from a CSV (an attendance clock's export): all or nothing.

    Every row passes every check a `csctl log` command would make, or the file is refused
    naming the line (the header is line 1) and the column.
    """
    digest, _ = csvfile.digest(path)
    with s.transaction() as w:
        csvfile.refuse_repeat(s, "events", digest, path.name)
        rows: list[dict[str, Any]] = []
        with csvfile.records(path, path.name, digest) as (reader, _):
            header = [h.strip().lower() for h in next(reader, [])]
            twice = [h for h in header if header.count(h) > 1]
            if twice:
                raise InputError("file", f"{path.name} line 1: column {shown(twice[0])} appears twice")
            for name in ("date", "staff", "kind"):
                if name not in header:
                    raise InputError("file", f"{path.name} line 1: missing column {name!r}; "
                                     f"columns: {','.join(IMPORT_COLUMNS)}")
            unknown = [h for h in header if h not in IMPORT_COLUMNS]
            if unknown:
                raise InputError("file", f"{path.name} line 1: unknown column {shown(unknown[0])}; "
                                 f"columns: {','.join(IMPORT_COLUMNS)}")
            line = reader.line_num  # csv.reader counts the line a record ends on; errors name its first
            for cells in reader:
                start, line = line + 1, reader.line_num
                if not any(c.strip() for c in cells):
                    continue  # a blank line
                try:
                    if len(cells) > len(header):
                        raise InputError("", "more cells than columns")
                    if line != start:  # a record over several lines: a quoted cell holds a line break
                        csvfile.refuse_multiline(cells, header)
                    req = _import_request(dict(zip(header, cells)), s.now)
                    rows.append(_checked(s, req))
                except (InputError, RuleViolation) as exc:
                    raise csvfile.at_line(path.name, start, exc, CSV_FIELD) from None
        if not rows:
            raise InputError("file", f"{path.name} has a header but no rows")
        imp = w.append("imports", {"kind": "events", "file_name": path.name, "sha256": digest})
        for values in rows:
            w.append("events", {**values, "import": imp["id"]})
    return {"id": imp["id"], "import": imp["id"], "file": path.name, "rows": len(rows), "sha256": digest,
            "first_id": imp["id"] + 1, "last_id": imp["id"] + len(rows)}
