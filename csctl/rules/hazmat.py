"""Hazardous materials (Z1-Z6, doc 11): who may stock, draw, approve, return and hand on, and
what a material's stock and a draw's state are.

Pure decisions over values the caller has looked up: no database, clock or terminal ("now"
and the policy's cut-off are arguments). Quantities are integer thousandths of the material's
unit (`milli`); `amount` shows them as exact decimals. Each check returns an error value
(InputError for a fact that is wrong, RuleViolation for a rule that says no) or None.
"""

from __future__ import annotations

from ..i18n import N_, _

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from ..errors import CsctlError, InputError, RuleViolation
from ..models import Staff
from . import authority

LEAD_DEPARTMENT = "customer_service"
LEAD_RANK = "shift_lead"
_PLACES = Decimal("0.001")


def amount(milli: int) -> Decimal:
    """Thousandths of a unit as the exact quantity they are, always with three places: 12.500."""
    return Decimal(milli).scaleb(-3).quantize(_PLACES)


def shown(milli: int, unit: str) -> str:
    return f"{amount(milli)} {unit}"


def is_lead(who: Staff) -> bool:
    """A customer-service shift lead or above (doc 11 §2-§3: 客服部領班級以上人員)."""
    return who.dept == LEAD_DEPARTMENT and who.at_least(LEAD_RANK)


def lead_check(who: Staff, doing: str, role: str, rule: str) -> RuleViolation | None:
    """`who`, in `role`, is a customer-service shift lead or above, refused under `rule`."""
    return authority.first(
        authority.in_department(who, (LEAD_DEPARTMENT,), role, rule),
        authority.rank_at_least(who, LEAD_RANK, doing, rule),
    )


# ----------------------------------------------------------------------------- stock


class Move(NamedTuple):
    """One change of a material's stock: + a stock-in or a return, - a draw."""

    at: datetime
    id: int
    delta: int
    what: str  # "stock-in #12", "draw #14", ...


def balance(moves: Iterable[Move], until: datetime | None = None) -> int:
    """The stock: stock-ins - draws + returns, of the moves up to `until` (all when None)."""
    return sum(m.delta for m in moves if until is None or m.at <= until)


def lowest(moves: Iterable[Move]) -> tuple[int, Move | None, int]:
    """The lowest the stock stands at any time, moves taken in time order (then in the order
    they were recorded); the move that first takes it below zero (None if none does), and the
    stock just before that move."""
    running = 0
    for move in sorted(moves, key=lambda m: (m.at, m.id)):
        if running + move.delta < 0:
            return running + move.delta, move, running
        running += move.delta
    return 0, None, running


def check_stock(moves: Sequence[Move], material: str, unit: str, doing: str) -> RuleViolation | None:
    """Stock never goes below zero, at any time (Z3: never more than is in stock)."""
    _low, where, before = lowest(moves)
    if where is None:
        return None
    return RuleViolation("Z3", _("{doing} would take the stock of {material} below zero: at {isoformat} {what} needs {shown} and only {shown2} would be in stock (never more than is in stock)").format(doing=doing, material=material, isoformat=where.at.isoformat(sep=' '), what=where.what, shown=shown(-where.delta, unit), shown2=shown(before, unit)))


def check_custody(recorder: Staff, doing: str) -> RuleViolation | None:
    """Z2: stock goes into (and is counted in) the locked store by a customer-service shift
    lead or above."""
    return lead_check(recorder, doing, N_("whoever keeps the hazmat store"), "Z2")


# ----------------------------------------------------------------------------- draws


def due(at: datetime, cutoff: time | None) -> datetime:
    """When a draw made `at` is due back (Z4): the end of its day, midnight in the zone of the
    draw's own time, or the policy's earlier cut-off that day if the draw was made before it
    (a draw made after the cut-off is due by midnight)."""
    midnight = datetime.combine(at.date() + timedelta(days=1), time(0), at.tzinfo)
    if cutoff is None:
        return midnight
    cut = datetime.combine(at.date(), cutoff, at.tzinfo)
    return cut if at < cut else midnight


class Draw(NamedTuple):
    """A draw as it stands: how much went out, what came back, who answers for it now."""

    id: int
    material: str
    unit: str
    staff: str  # who drew it
    holder: str  # who answers for it now: the drawer, or whom a lead handed it on to (Z5)
    at: datetime
    qty: int
    returned: int
    used_at: datetime | None  # marked used (the rest used up)
    closed_at: datetime | None  # returned in full or marked used, whichever closed it
    due: datetime

    @property
    def state(self) -> str:
        if self.used_at is not None:
            return "used"
        return "returned" if self.returned >= self.qty else "open"

    @property
    def outstanding(self) -> int:
        """What is still out: nothing once the draw is closed."""
        return self.qty - self.returned if self.state == "open" else 0

    def flagged(self, now: datetime) -> bool:
        """Z4: past its due time, and not returned in full nor marked used by then."""
        return self.due <= now and (self.closed_at is None or self.closed_at > self.due)


def draw_of(*, id: int, material: str, unit: str, staff: str, at: datetime, qty: int,
            returns: Iterable[tuple[datetime, int]], used_at: datetime | None, lends: Iterable[str],
            cutoff: time | None) -> Draw:
    """A draw's state from its live returns (time, quantity), its live use and the people its
    live lends handed it on to, in the order recorded."""
    returns = list(returns)
    returned = sum(q for _draw, q in returns)
    holders = list(lends)
    closed = used_at
    if closed is None and returned >= qty and returns:
        closed = max(t for t, _ in returns)
    return Draw(id, material, unit, staff, holders[-1] if holders else staff, at, qty, returned, used_at, closed,
                due(at, cutoff))


def check_draw(*, drawer: Staff, approver: Staff | None, day: date) -> RuleViolation | None:
    """Z3: a draw is made by a customer-service shift lead or above, or by anyone with such a lead
    named as the approver who issues it in person; never implied by who records it (Z5). The
    drawer and the approver are active that day, and nobody approves their own draw (L6)."""
    checks = [authority.active_on(drawer, day, N_("the drawer"), "Z3")]
    if approver is None:
        if not is_lead(drawer):
            checks.append(RuleViolation(
                "Z3", _("{id} is not a customer-service shift lead or above: a draw needs such a lead, named with --approved-by, who approves it and issues it in person").format(id=drawer.id)))
    else:
        checks += [
            lead_check(approver, N_("approving a draw"), N_("the approver of a draw"), "Z3"),
            authority.active_on(approver, day, N_("the approver"), "Z3"),
            authority.not_self(approver, drawer, N_("approves a draw by"), "Z3"),
        ]
    return authority.first(*checks)


def check_closing(draw: Draw, at: datetime, doing: str) -> InputError | None:
    """A draw takes a return, a use or a lend only while open, and not before it was made."""
    if at < draw.at:
        return InputError("at", _("{isoformat} is before draw #{id} was made ({isoformat2})").format(isoformat=at.isoformat(sep=' '), id=draw.id, isoformat2=draw.at.isoformat(sep=' ')))
    if draw.state != "open":
        how = _("marked used") if draw.state == "used" else _("returned in full")
        when = f" {draw.closed_at.isoformat(sep=' ')}" if draw.closed_at else ""
        return InputError("draw", _("draw #{id} is closed ({how}{when}); {doing} is refused").format(id=draw.id, how=how, when=when, doing=doing))
    return None


def check_holder(draw: Draw, who: Staff, doing: str) -> RuleViolation | None:
    """Z5: only the person answering for a draw returns it or marks it used: the drawer, or the
    person a lead handed it on to."""
    if who.id == draw.holder:
        return None
    handed = "" if draw.holder == draw.staff else f", handed on by a lead from {draw.staff}"
    return RuleViolation("Z5", _("draw #{id} is {holder}'s to answer for{handed}; {id2} may not {doing} it (no lending without a lead's record: `csctl hazmat lend`)").format(id=draw.id, holder=draw.holder, handed=handed, id2=who.id, doing=doing))


def check_return(draw: Draw, who: Staff, qty: int, at: datetime) -> CsctlError | None:
    """Z4, Z5: a return of an open draw, at most what is outstanding, by the person answering for it."""
    closing = check_closing(draw, at, "a return")
    if closing is not None:
        return closing
    if qty > draw.outstanding:
        return InputError("qty", _("{shown} is more than the {shown2} of draw #{id} still out").format(shown=shown(qty, draw.unit), shown2=shown(draw.outstanding, draw.unit), id=draw.id))
    return check_holder(draw, who, "return")


def check_used(draw: Draw, who: Staff, at: datetime) -> CsctlError | None:
    """Z4, Z5: an open draw marked used up, by the person answering for it."""
    return check_closing(draw, at, "marking it used") or check_holder(draw, who, "mark used")


def check_lend(draw: Draw, to: Staff, approver: Staff | None, at: datetime) -> CsctlError | None:
    """Z5: an open draw is handed on only with a customer-service shift lead or above named as
    approving it (never implied by the recorder), to someone active, never by or to the approver."""
    closing = check_closing(draw, at, "handing it on")
    if closing is not None:
        return closing
    if to.id == draw.holder:
        return InputError("to", _("{id} already answers for draw #{id2}").format(id=to.id, id2=draw.id))
    if approver is None:
        return RuleViolation("Z5", _("no lending without permission: handing draw #{id} on to {id2} needs a customer-service shift lead or above named with --approved-by").format(id=draw.id, id2=to.id))
    return authority.first(
        lead_check(approver, N_("approving a hand-on"), N_("the approver of a hand-on"), "Z5"),
        authority.active_on(approver, at.date(), N_("the approver"), "Z5"),
        authority.active_on(to, at.date(), N_("the person taking it on"), "Z5"),
        authority.not_self(approver, draw.holder, N_("approves handing on a draw held by"), "Z5"),
        authority.not_self(approver, to, N_("approves handing a draw on to"), "Z5"),
    )


# ----------------------------------------------------------------------------- counts


def count_note(material: str, unit: str, counted: int, expected: int) -> str:
    """Z6: the anomaly a stock-take that disagrees records, with both figures."""
    gap = counted - expected
    word = "short" if gap < 0 else "over"
    return (f"stock-take of {material}: counted {shown(counted, unit)}, the ledger holds {shown(expected, unit)} "
            f"({word} by {shown(abs(gap), unit)})")
