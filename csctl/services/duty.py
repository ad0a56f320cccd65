"""The duty log (H5) and duty swaps (H6): start and end a duty, note what happened and how it
was handled, file a major incident's written report, arrange a swap, list the log.

The decisions are rules/duty.py's; the reads are ledger/queries/duty.py's.
"""

from __future__ import annotations

from ..i18n import N_, _

from datetime import date, datetime, timedelta
from typing import Any

from .. import parse, tables
from ..errors import InputError
from ..ledger.queries import duty as queries
from ..models import Month, Staff
from ..rules import duty as rules
from ..rules.handover import TEXT_LIMIT, row_id
from . import Session, jsonable, month_span


def _when(s: Session, at: str | None) -> datetime:
    when = parse.at(at, s.now)
    if when.date() > s.today:
        raise InputError("at", _("{date} is in the future").format(date=when.date()))
    return when


def _held(s: Session, person: Staff) -> list[rules.Spell]:
    return rules.spells([(r["id"], r["kind"], datetime.fromisoformat(r["at"]))
                         for r in queries.duty_rows(s.ledger, person.id)])


def start(s: Session, staff_id: str, at: str | None = None) -> dict[str, Any]:
    """A person goes on duty (H5): the duty log's `who` and `from when`."""
    when = _when(s, at)
    with s.write(tables.write_rank("duties"), rule="H5", doing=_("starting a duty"), dated=when.date(),
                 what=_("a duty")) as w:
        person = s.person(staff_id, on=when.date())
        s.check(rules.check_start(person=person, recorder=w.me, at=when, held=_held(s, person)))
        row = w.append("duties", {"staff": person.id, "kind": "start", "at": when})
    return jsonable(row)


def end(s: Session, staff_id: str, at: str | None = None) -> dict[str, Any]:
    """A person's duty ends (H5): `to when`; an end without a start is refused."""
    when = _when(s, at)
    with s.write(tables.write_rank("duties"), rule="H5", doing=_("ending a duty"), dated=when.date(),
                 what=_("a duty")) as w:
        person = s.person(staff_id, on=when.date())
        held = _held(s, person)
        s.check(rules.check_end(person=person, recorder=w.me, at=when, held=held))
        row = w.append("duties", {"staff": person.id, "kind": "end", "at": when})
    out = jsonable(row)
    out["started"] = held[-1].start.isoformat()
    out["start_id"] = held[-1].start_id
    return out


def note(s: Session, staff_id: str, *, text: str | None, major: bool = False, handled: str | None = None,
         at: str | None = None) -> dict[str, Any]:
    """What happened on duty and how it was handled (H5); `major` flags an incident whose
    written report is due the next day."""
    what = parse.text(text, "text", required=False, limit=TEXT_LIMIT)
    if what is None:
        raise InputError("text", _("say what happened (--text)"))
    how = parse.text(handled, "handled", required=False, limit=TEXT_LIMIT)
    when = _when(s, at)
    with s.write(tables.write_rank("duty_notes"), rule="H5", doing=_("writing the duty log"), dated=when.date(),
                 what=_("a duty note")) as w:
        person = s.person(staff_id, on=when.date())
        s.check(rules.check_note(person=person, recorder=w.me, at=when, held=_held(s, person)))
        row = w.append("duty_notes", {"staff": person.id, "at": when, "text": what, "handled": how, "major": major})
    out = jsonable(row)
    if major:
        out["report_due"] = rules.report_due(when.date(), _report_days(s, when.date())).isoformat()
    return out


def _report_days(s: Session, day: date) -> int:
    return s.policy_for(Month.of(day))[1].handover.report_days


def report(s: Session, note_id: str, *, text: str | None, at: str | None = None) -> dict[str, Any]:
    """A major incident's written report (H5: the next day), by the person who was on duty or
    a shift lead or above for them."""
    nid = row_id(note_id, "note", N_("a duty note"))
    what = parse.text(text, "text", required=False, limit=4000)
    if what is None:
        raise InputError("text", _("the written report is its text (--text)"))
    when = _when(s, at)
    with s.write(tables.write_rank("duty_reports"), rule="H5", doing=_("recording a duty report"), dated=when.date(),
                 what=_("a duty report")) as w:
        found = queries.note(s.ledger, nid)
        if found is None:
            raise InputError("note", _("there is no duty note {nid} (see `csctl duty list`)").format(nid=nid))
        if found["voided_by"] is not None:
            raise InputError("note", _("duty note {nid} was voided (#{voided_by})").format(nid=nid, voided_by=found['voided_by']))
        author = s.person(found["staff"], "note", on=when.date())
        noted = datetime.fromisoformat(found["at"])
        s.check(rules.check_report(note=nid, major=bool(found["major"]), earlier=found["report_id"], author=author,
                                   recorder=w.me, noted=noted, at=when))
        row = w.append("duty_reports", {"note": nid, "staff": author.id, "at": when, "text": what})
    out = jsonable(row)
    due = rules.report_due(noted.date(), _report_days(s, noted.date()))
    out["due"] = due.isoformat()
    out["late"] = when.date() > due
    return out


def swap(s: Session, staff_id: str, *, other: str, on: str, approved_by: str | None,
         at: str | None = None) -> dict[str, Any]:
    """A duty swap arranged in advance (H6): on DAY `staff_id` leaves the post to `other`, with
    the customer-service manager's approval. A `log left-post` of that person that day is then
    refused (D4 and H6)."""
    day = parse.day(on, "on")
    when = _when(s, at)
    with s.write(tables.write_rank("duty_swaps"), rule="H6", doing=_("recording a duty swap"), dated=when.date(),
                 what=_("a duty swap")) as w:
        person = s.person(staff_id, on=day)
        colleague = s.person(other, "with", on=day)
        approver = s.person(approved_by, "approved-by", on=when.date()) if approved_by is not None else None
        earlier = queries.swaps_on(s.ledger, person.id, day)
        s.check(rules.check_swap(person=person, other=colleague, approver=approver, day=day, at=when,
                                 earlier=earlier[0] if earlier else None))
        s.refuse_if_closed(day, _("a duty swap"))
        row = w.append("duty_swaps", {"staff": person.id, "other": colleague.id, "day": day,
                                      "approved_by": approver.id, "at": when})  # type: ignore[union-attr]
    return jsonable(row)


def listing(s: Session, *, day_text: str | None = None, month: str | None = None,
            staff: str | None = None) -> list[dict[str, Any]]:
    """The duty log in time order: duties (from, to), notes with their report, and swaps (by
    their day); voided rows marked."""
    if day_text is not None and month is not None:
        raise InputError("date", _("give --date or --month, not both"))
    if day_text is not None:
        day = parse.day(day_text, "date")
        start, stop = day.isoformat(), (day + timedelta(days=1)).isoformat()
    else:
        start, stop = month_span(month)
    who = s.person(staff).id if staff is not None else None
    log = queries.log(s.ledger, start, stop, who)
    out: list[dict[str, Any]] = []
    open_spells: dict[str, dict[str, Any]] = {}
    for r in log["duties"]:
        if r["kind"] == "end" and not r["voided_by"] and r["staff"] in open_spells:
            open_spells.pop(r["staff"]).update({"to": r["at"], "end_id": r["id"]})  # closes the duty before it
            continue
        started = r["kind"] == "start"
        entry = _entry("duty", r, staff=r["staff"], at=r["at"], **{"from": r["at"] if started else None,
                                                                   "to": None if started else r["at"],
                                                                   "end_id": None if started else r["id"]})
        if started and not r["voided_by"]:
            open_spells[r["staff"]] = entry
        out.append(entry)
    today = s.today
    for r in log["notes"]:
        noted = datetime.fromisoformat(r["at"]).date()
        entry = _entry("note", r, staff=r["staff"], at=r["at"], text=r["text"], handled=r["handled"],
                       major=bool(r["major"]), report=r["report_id"])
        if r["major"]:
            days = _report_days(s, noted)
            entry["due"] = rules.report_due(noted, days).isoformat()
            entry["overdue"] = r["report_id"] is None and not r["voided_by"] and rules.is_overdue(noted, days, today)
        out.append(entry)
    for r in log["reports"]:
        out.append(_entry("report", r, staff=r["staff"], at=r["at"], text=r["text"], note=r["note"]))
    for r in log["swaps"]:
        out.append(_entry("swap", r, staff=r["staff"], at=r["day"], other=r["other"], approved_by=r["approved_by"],
                          arranged=r["at"]))
    return sorted(out, key=lambda e: (e["at"], e["id"]))


def _entry(kind: str, r: Any, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, "id": r["id"], **fields, "recorded_by": r["recorded_by"], "voided_by": r["voided_by"]}


def demo(s: Session, month: Month) -> None:
    """The demo week's duty log: two evening duties, one with a major incident (a water leak)
    written up the next morning; and a swap arranged three days ahead."""
    first = month.last_day - timedelta(days=6)

    def at(n: int, clock: str) -> str:
        return f"{first + timedelta(days=n)} {clock}"

    s.by = "L01"
    start(s, "L01", at(1, "18:00"))
    note(s, "L01", text="lobby lights on the timer checked", handled="all on at 18:30", at=at(1, "18:40"))
    end(s, "L01", at(1, "22:00"))
    s.by = "P01"
    start(s, "P01", at(3, "18:00"))
    leak = note(s, "P01", text="water leak from the 12th floor riser into the lobby", major=True,
                handled="valve closed, engineering called, lobby cordoned off", at=at(3, "21:15"))
    end(s, "P01", at(3, "23:30"))
    report(s, str(leak["id"]), text="At 21:15 water came through the lobby ceiling from the 12th-floor riser. "
           "The duty supervisor closed the riser valve, cordoned off the lobby and called engineering, who "
           "replaced a failed coupling by 23:00. No tenant's property was damaged.", at=at(4, "09:30"))
    s.by = "L01"
    swap(s, "S03", other="S04", on=str(first + timedelta(days=5)), approved_by="M01", at=at(2, "10:00"))
