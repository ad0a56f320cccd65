"""Who may do what (L6): rank, department, active on the day, distinct persons, never oneself.

Pure checks over staff records: each returns a `RuleViolation` naming the rule that sets
the requirement (D9, C5, K2, ...; L6 where no rule of the act's own sets it), or None when
the person may. Every refusal of authority, for every noun, comes from here in one format:
`refused (RULE): ...`, exit 1. A role or a doing is given as the catalogue marks it (`N_("the
approver")`, or already translated) and said here in the language in use.
"""

from __future__ import annotations

from ..i18n import _, tr, word

from collections.abc import Iterable
from datetime import date

from ..errors import RuleViolation
from ..models import Staff

AUTHORITY = "L6"


def _rank(rank: str) -> str:
    return rank.replace("_", " ")


def _an(text: str) -> str:
    return ("an " if text[:1] in "aeiou" else "a ") + text


def _in_words(context: str, code: str, english: str) -> str:
    """A code as a refusal names it: the catalogue's word for it (主管), or in English `english`
    ("a supervisor"), which no catalogue entry holds."""
    said = word(context, code)
    return english if said == code else said


def _a_rank(rank: str) -> str:
    return _in_words("rank", rank, _an(_rank(rank)))


def _the_rank(rank: str) -> str:
    return _in_words("rank", rank, _rank(rank))


def _department(dept: str) -> str:
    return _in_words("department", dept, dept.replace("_", " "))


def rank_at_least(who: Staff, minimum: str, doing: str, rule: str | None = None) -> RuleViolation | None:
    """`who` holds `minimum` rank or above."""
    if who.at_least(minimum):
        return None
    return RuleViolation(rule or AUTHORITY, _("{doing} needs {minimum} or above; {id} is {rank}").format(doing=tr(doing), minimum=_a_rank(minimum), id=who.id, rank=_a_rank(who.rank)))


def rank_is(who: Staff, rank: str, role: str, rule: str | None = None) -> RuleViolation | None:
    """`who` holds exactly `rank` (the general manager, say)."""
    if who.rank == rank:
        return None
    return RuleViolation(rule or AUTHORITY, _("{role} is the {rank}; {id} is {rank2}").format(role=tr(role), rank=_the_rank(rank), id=who.id, rank2=_a_rank(who.rank)))


def in_department(who: Staff, departments: Iterable[str], role: str, rule: str | None = None) -> RuleViolation | None:
    """`who` belongs to one of `departments`."""
    allowed = tuple(departments)
    if who.dept in allowed:
        return None
    names = _(" or ").join(_department(d) for d in allowed)
    return RuleViolation(rule or AUTHORITY, _("{role} must be of {names}; {id} is in {replace}").format(role=tr(role), names=names, id=who.id, replace=_department(who.dept)))


def active_on(who: Staff, day: date, role: str, rule: str | None = None) -> RuleViolation | None:
    """`who` is active on `day`: hired by then and not yet left."""
    if who.active_on(day):
        return None
    why = (_("left on {day}").format(day=who.left) if who.left is not None and day >= who.left
           else _("hired on {day}").format(day=who.hired))
    return RuleViolation(rule or AUTHORITY, _("{role} {id} was not active on {day} ({why})").format(role=tr(role), id=who.id, day=day, why=why))


def not_self(actor: Staff, subject: Staff | str, doing: str, rule: str | None = None) -> RuleViolation | None:
    """Nobody acts on a row of which they are the subject."""
    subject_id = subject if isinstance(subject, str) else subject.id
    if actor.id != subject_id:
        return None
    return RuleViolation(rule or AUTHORITY, _("nobody {doing} themselves ({id})").format(doing=tr(doing), id=actor.id))


def distinct(people: Iterable[tuple[str, Staff]], rule: str | None = None) -> RuleViolation | None:
    """Every (role, person) pair names a different person: two witnesses, outgoing and incoming."""
    seen: dict[str, str] = {}
    for role, who in people:
        if who.id in seen:
            return RuleViolation(rule or AUTHORITY, _("{id} cannot be both {seen} and {role}").format(id=who.id, seen=tr(seen[who.id]), role=tr(role)))
        seen[who.id] = role
    return None


def first(*checks: RuleViolation | None) -> RuleViolation | None:
    """The first refusal of several checks, in the order given."""
    return next((c for c in checks if c is not None), None)
