"""The duty log and duty swaps (H5, H6), and what a swap means for D4's `left-post`.

Pure decisions over values the caller has looked up: each returns an error value (InputError
for a fact that is wrong, RuleViolation for a rule that says no) or None, or computes a date.
"""

from __future__ import annotations

from ..i18n import N_, _

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from ..errors import CsctlError, InputError, RuleViolation
from ..models import Staff
from . import authority

LEAD = "shift_lead"
MANAGER = "manager"
SWAP_DEPARTMENT = "customer_service"  # doc 15: 報客服部經理


class Spell(NamedTuple):
    """One duty: its start row and time, and its end's, if it has ended."""

    start_id: int
    start: datetime
    end_id: int | None = None
    end: datetime | None = None

    def covers(self, at: datetime) -> bool:
        return self.start <= at and (self.end is None or at <= self.end)


def spells(rows: Sequence[tuple[int, str, datetime]]) -> list[Spell]:
    """A person's duties from their live start and end rows (id, kind, at), in time order: an
    end closes the start before it."""
    out: list[Spell] = []
    for row_id, kind, at in sorted(rows, key=lambda r: (r[2], r[0])):
        if kind == "start":
            out.append(Spell(row_id, at))
        elif out and out[-1].end is None:
            out[-1] = out[-1]._replace(end_id=row_id, end=at)
    return out


def _for(person: Staff, recorder: Staff, doing: str) -> RuleViolation | None:
    """H5: the person on duty records their own log, or a shift lead or above records it for them."""
    if recorder.id == person.id:
        return None
    return authority.rank_at_least(recorder, LEAD, f"{doing} for {person.id}", "H5")


def check_start(*, person: Staff, recorder: Staff, at: datetime, held: Sequence[Spell]) -> CsctlError | None:
    """H5: a duty starts when the person is not already on duty, and they are active that day."""
    current = [sp for sp in held if sp.end is None or sp.covers(at)]
    if current:
        since = current[-1]
        return RuleViolation("H5", _("{id} is already on duty since {isoformat} (#{start_id}); end that duty first").format(id=person.id, isoformat=since.start.isoformat(), start_id=since.start_id))
    later = [sp for sp in held if sp.start > at]
    if later:
        return InputError("at", _("{id} has a later duty (#{start_id}, from {isoformat}); a duty is recorded in time order").format(id=person.id, start_id=later[0].start_id, isoformat=later[0].start.isoformat()))
    return authority.first(authority.active_on(person, at.date(), N_("the person on duty"), "H5"),
                           _for(person, recorder, "starting a duty"))


def check_end(*, person: Staff, recorder: Staff, at: datetime, held: Sequence[Spell]) -> CsctlError | None:
    """H5: a duty end closes a duty started before it; an end without a start is refused."""
    current = held[-1] if held and held[-1].end is None else None
    if current is None:
        return RuleViolation("H5", _("{id} is not on duty: a duty end needs its start (`csctl duty start {id}`)").format(id=person.id))
    if at < current.start:
        return InputError("at", _("{isoformat} is before the duty began ({isoformat2}, #{start_id})").format(isoformat=at.isoformat(), isoformat2=current.start.isoformat(), start_id=current.start_id))
    return _for(person, recorder, "ending a duty")


def check_note(*, person: Staff, recorder: Staff, at: datetime, held: Sequence[Spell]) -> CsctlError | None:
    """H5: a note of the duty log is written by the person on duty at that time."""
    if not any(sp.covers(at) for sp in held):
        return RuleViolation("H5", _("{id} was not on duty at {isoformat}; the duty log is the person on duty's (`csctl duty start {id}` first)").format(id=person.id, isoformat=at.isoformat()))
    return _for(person, recorder, "writing the duty log")


def report_due(noted: date, report_days: int) -> date:
    """H5: the last day a major incident's written report is on time (doc 15: the next day)."""
    return noted + timedelta(days=report_days)


def is_overdue(noted: date, report_days: int, today: date) -> bool:
    """H5: a major incident without a report is overdue once its due day is over."""
    return today > report_due(noted, report_days)


def check_report(*, note: int, major: bool, earlier: int | None, author: Staff, recorder: Staff,
                 noted: datetime, at: datetime) -> CsctlError | None:
    """H5: a written report follows a major incident's note, once, after it; the person who
    was on duty writes it, or a shift lead or above records it for them."""
    if not major:
        return RuleViolation("H5", _("note #{note} is not a major incident; a written report follows a note recorded with --major").format(note=note))
    if earlier is not None:
        return RuleViolation("H5", _("note #{note} already has its report (#{earlier})").format(note=note, earlier=earlier))
    if at < noted:
        return InputError("at", _("{isoformat} is before the incident was noted ({isoformat2})").format(isoformat=at.isoformat(), isoformat2=noted.isoformat()))
    return authority.first(authority.active_on(author, at.date(), N_("the author of the report"), "H5"),
                           _for(author, recorder, "recording a duty report"))


def check_swap(*, person: Staff, other: Staff, approver: Staff | None, day: date, at: datetime,
               earlier: int | None) -> CsctlError | None:
    """H6: a duty swap is with someone else, arranged before the day starts, approved by the
    customer-service manager, neither of the two; everyone is active: the two on the day, the
    manager when approving. `earlier`: a live swap of the person on that day."""
    if other.id == person.id:
        return InputError("with", _("{id} cannot swap a duty with themselves; name the colleague who takes the post (H6)").format(id=person.id))
    if approver is None:
        return RuleViolation("H6", _("a duty swap is reported to the customer-service manager and needs their "
                                   "approval (--approved-by)"))
    if at.date() >= day:
        return RuleViolation("H6", _("a swap is arranged in advance; {day} had started when it was recorded ({isoformat})").format(day=day, isoformat=at.isoformat()))
    if earlier is not None:
        return RuleViolation("H6", _("{id} already has a swap on {day} (#{earlier}); void it to arrange another").format(id=person.id, day=day, earlier=earlier))
    return authority.first(
        authority.rank_is(approver, MANAGER, N_("the approver of a duty swap"), "H6"),
        authority.in_department(approver, (SWAP_DEPARTMENT,), N_("the approver of a duty swap"), "H6"),
        authority.distinct(((N_("the one swapping"), person), (N_("the colleague"), other), (N_("the approver"), approver)),
                           "H6"),
        authority.active_on(approver, at.date(), N_("the approver"), "H6"),
        authority.active_on(person, day, N_("the one swapping"), "H6"),
        authority.active_on(other, day, N_("the colleague"), "H6"),
    )


def left_post_covered(staff: str, day: date, swaps: Sequence[int]) -> RuleViolation | None:
    """D4 and H6 agree: leaving the post on a day covered by an approved swap (`swaps`: the
    live swaps of `staff` on `day`) is no AWOL, so `log left-post` is refused naming the swap."""
    if not swaps:
        return None
    ids = ", ".join(f"#{s}" for s in swaps)
    return RuleViolation("H6", _("{staff} has an approved duty swap on {day} ({ids}): leaving the post that day is not AWOL (D4); void the swap first if it did not happen").format(staff=staff, day=day, ids=ids))
