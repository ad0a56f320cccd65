"""Shift handovers (H1-H4): who opens, answers and signs off a handover, and its checklist.

Pure decisions over values the caller has looked up (the people as their records stand, the
handover's state, the policy's shifts and items): each returns an error value (InputError
for a fact that is wrong, RuleViolation for a rule that says no) or None. The recorder's
rank for the write itself is the session's (services/handover.py); who may act for whom is
decided here, through rules/authority.py.
"""

from __future__ import annotations

from ..i18n import N_, _, tr

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import NamedTuple

from ..errors import CsctlError, InputError, RuleViolation
from ..models import Staff
from ..parse import shown
from ..policy import Shift
from ..suggest import did_you_mean
from . import authority

MARKS = ("ok", "bad")  # what a person marks an item; an item left unmarked is "unchecked"
UNCHECKED = "unchecked"
SIGN = {"ok": "✓", "bad": "×", UNCHECKED: "not checked"}  # the paper form's marks (doc 4 §2.1)
STATES = ("open", "accepted", "refused")
LEAD = "shift_lead"
TEXT_LIMIT = 500


class Mark(NamedTuple):
    """One checklist item as marked at the open (H1)."""

    item: str
    mark: str  # ok | bad | unchecked
    remark: str | None = None


def row_id(text: str, field: str, what: str) -> int:
    """A row id typed on the command line (a handover's, a request's, a note's)."""
    value = (text or "").strip().lstrip("#")
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) < 2**63:
        raise InputError(field, _("{text} is not {what} id (a row number, e.g. 1204)").format(text=shown(text), what=tr(what)))
    return int(value)


def shift_of(name: str, shifts: Mapping[str, Shift]) -> Shift:
    """H1, H4: a shift the policy names."""
    value = (name or "").strip().lower()
    if value not in shifts:
        raise InputError("shift", _("{name} is not a shift of the policy; one of {shifts}{did_you_mean}").format(name=shown(name), shifts=', '.join(shifts), did_you_mean=did_you_mean(value, shifts)))
    return shifts[value]


def item_mark(text: str, items: Sequence[str]) -> Mark:
    """H1: `NAME=ok`, `NAME=bad:remark` (a remark may follow ok too). The name is one of the
    policy's items; the mark is ok or bad."""
    name, sep, rest = (text or "").partition("=")
    name = name.strip().lower()
    if not sep or not name:
        raise InputError("item", _("{text} is not an item mark; write NAME=ok or NAME=bad:remark, e.g. keys=bad:one key missing").format(text=shown(text)))
    if name not in items:
        raise InputError("item", _("{name} is not an item of the checklist; one of {items}{did_you_mean}").format(name=shown(name), items=', '.join(items), did_you_mean=did_you_mean(name, items)))
    mark, _sep, remark = rest.partition(":")
    mark = mark.strip().lower()
    if mark not in MARKS:
        raise InputError("item", _("{name}: {mark} is not a mark; ok (✓) or bad (×), e.g. {name}=bad:remark").format(name=name, mark=shown(mark)))
    cleaned = " ".join(remark.split()) or None
    if cleaned is not None and len(cleaned) > TEXT_LIMIT:
        raise InputError("item", _("{name}: the remark is {cleaned} characters long; at most {text_limit}").format(name=name, cleaned=len(cleaned), text_limit=TEXT_LIMIT))
    return Mark(name, mark, cleaned)


def checklist(marks: Sequence[Mark], items: Sequence[str]) -> tuple[list[Mark], CsctlError | None]:
    """H1: the handover's checklist in the policy's order, an item not marked recorded as not
    checked; refused if an item is marked twice or a bad item has no remark."""
    given: dict[str, Mark] = {}
    for m in marks:
        if m.item in given:
            return [], InputError("item", _("{item} is marked twice; mark each item once").format(item=m.item))
        given[m.item] = m
    for m in marks:
        if m.mark == "bad" and not m.remark:
            return [], RuleViolation("H1", _("{item} is marked bad (×) without a remark; say what is wrong: --item {item}=bad:REMARK").format(item=m.item))
    return [given.get(item, Mark(item, UNCHECKED)) for item in items], None


def check_open(*, shift: Shift, outgoing: Staff, incoming: Staff, recorder: Staff, day: date) -> CsctlError | None:
    """H2: a handover passes from one person to another, both active that day; the outgoing
    person opens it, or a shift lead or above records it for them. H4: each is of the
    departments the policy gives the shift (security hands the night over to customer
    service at `day`, customer service hands the book to security at `night`)."""
    return authority.first(
        authority.distinct(((N_("the outgoing person"), outgoing), (N_("the incoming person"), incoming)), "H2"),
        authority.active_on(outgoing, day, N_("the outgoing person"), "H2"),
        authority.active_on(incoming, day, N_("the incoming person"), "H2"),
        None if recorder.id == outgoing.id else
        authority.rank_at_least(recorder, LEAD, _("recording a handover for {id}").format(id=outgoing.id), "H2"),
        authority.in_department(outgoing, shift.from_depts, _("the outgoing person of a {shift} handover").format(shift=shift.name), "H4"),
        authority.in_department(incoming, shift.to_depts, _("the incoming person of a {shift} handover").format(shift=shift.name), "H4"),
    )


def check_answer(*, handover: int, state: str, answer_id: int | None, incoming: str, answerer: Staff,
                 recorder: Staff, answer: str, opened: datetime, at: datetime) -> CsctlError | None:
    """H2: only the incoming person accepts or refuses, and once: an accepted handover is not
    answered again, and a refused one is not refused again (it stays open, listed for the
    supervisor, until the incoming person accepts it). The answer comes after the opening; the
    answerer is active that day; a shift lead or above may record it for them."""
    if at < opened:
        return InputError("at", _("{isoformat} is before handover #{handover} was opened ({isoformat2})").format(isoformat=at.isoformat(), handover=handover, isoformat2=opened.isoformat()))
    if answerer.id != incoming:
        return RuleViolation("H2", _("only the incoming person ({incoming}) accepts or refuses handover #{handover}; {id} is not").format(incoming=incoming, handover=handover, id=answerer.id))
    if state == "accepted":
        return RuleViolation("H2", _("handover #{handover} was already accepted (#{answer_id}); it is answered once").format(handover=handover, answer_id=answer_id))
    if state == "refused" and answer == "refused":
        return RuleViolation("H2", _("handover #{handover} was already refused (#{answer_id}); it stays open for the supervisor until {incoming} accepts it").format(handover=handover, answer_id=answer_id, incoming=incoming))
    return authority.first(
        authority.active_on(answerer, at.date(), N_("the incoming person"), "H2"),
        None if recorder.id == answerer.id else
        authority.rank_at_least(recorder, LEAD, _("recording an answer for {id}").format(id=answerer.id), "H2"),
    )


def check_review(*, day: date, reviewer: Staff, on: date, handovers: Sequence[tuple[int, str]],
                 earlier: int | None, note: str | None) -> CsctlError | None:
    """H3: a shift lead or above, active that day, reviews and signs each day's handovers,
    once; a day with a handover not accepted is signed off only with a note saying so.
    `handovers` are the day's live ones as (id, state); `earlier` a live review of the day."""
    if day > on:
        return InputError("date", _("{day} is after the signing ({on}); a day's book is signed once it is written").format(day=day, on=on))
    if not handovers:
        return InputError("date", _("no handover is recorded on {day}; there is nothing to sign").format(day=day))
    refused = authority.first(
        authority.rank_at_least(reviewer, LEAD, N_("reviewing a day's handovers"), "H3"),
        authority.active_on(reviewer, on, N_("the reviewer"), "H3"),
    )
    if refused:
        return refused
    if earlier is not None:
        return RuleViolation("H3", _("{day} was already signed off (#{earlier}); void that review to sign again").format(day=day, earlier=earlier))
    still_open = [f"#{hid} ({state})" for hid, state in handovers if state != "accepted"]
    if still_open and not note:
        return RuleViolation("H3", _("{day} has handovers not accepted: {still_open}; sign it off with --note saying what is left open").format(day=day, still_open=', '.join(still_open)))
    return None


def state(accepted_id: int | None, refused_id: int | None) -> str:
    """H2: a handover is accepted once its incoming person accepts it; refused while a refusal
    stands and no acceptance; open before any answer. Only an accepted one is closed."""
    if accepted_id is not None:
        return "accepted"
    return "refused" if refused_id is not None else "open"
