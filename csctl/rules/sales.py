"""Who and when a sale (C1) or a special commission (C5) may be recorded for.

Pure decisions over values the caller has looked up: the same checks run for `sales add`
and for every (date, seller) pair of `sales import`, in its reading process. Each returns
an error value (InputError for a fact that is wrong, RuleViolation for a rule that says no)
or None. The recorder's rank is the write's (services, L6, C1, C5).
"""

from __future__ import annotations

from ..i18n import N_, _

from collections.abc import Collection, Iterable
from datetime import date

from ..errors import CsctlError, InputError, RuleViolation
from ..parse import shown
from ..models import Staff
from ..suggest import did_you_mean
from . import authority
from .months import closed_month


def check_sale(*, seller: Staff | None, seller_id: str, day: date, recorder: Staff, today: date,
               closed: Collection[str], known: Iterable[str] = ()) -> CsctlError | None:
    """C1: a sale is dated today or before, in an open month (L2); the seller is on the staff
    list and active that day; nobody records a sale of their own. `known`: the ids on the list,
    to suggest the one meant."""
    if day > today:
        return InputError("at", _("{day} is in the future").format(day=day))
    if seller is None:
        return InputError("staff", _("{seller_id} is not on the staff list (see `csctl staff list`){did_you_mean}").format(seller_id=seller_id, did_you_mean=did_you_mean(seller_id, known)))
    if not seller.active_on(day):
        return InputError("staff", _("{id} was not active on {day}").format(id=seller.id, day=day))
    if seller.id == recorder.id:
        return RuleViolation("C1", _("nobody records a sale of their own ({id}); ask a shift lead or supervisor").format(id=recorder.id))
    return authority.first(authority.active_on(recorder, day, N_("the recorder")),  # L6
                           closed_month(day, closed, "a sale"))


GENERAL_MANAGER = "general_manager"
MAX_ORDERS = 1_000_000
TEXT_LIMIT = 200  # a product's or a customer's text


def order_count(text: str, amount_cents: int, field: str = "orders") -> int:
    """C1: the orders in a sale, from the text given; blank is 1 for a sale and 0 for a refund
    or return. C3: a return (a negative amount) may carry a negative count, the orders it
    takes back. Raises InputError naming `field` for anything but a whole number up to
    MAX_ORDERS, or a negative count on anything but a return."""
    value = (text or "").strip()
    if not value:
        return 1 if amount_cents >= 0 else 0
    digits = value[1:] if value.startswith("-") else value
    if not (digits.isascii() and digits.isdigit()) or int(digits) > MAX_ORDERS:
        raise InputError(field, _("{text} is not a number of orders (a whole number from -{max_orders} to {max_orders})").format(text=shown(text), max_orders=MAX_ORDERS))
    if value.startswith("-") and amount_cents >= 0:
        raise InputError(field, _("{text}: only a return (a negative amount) takes orders back (C3)").format(text=shown(text)))
    return int(value)


def check_bonus(*, person: Staff, approver: Staff | None, recorder: Staff, day: date, today: date,
                closed: Collection[str]) -> CsctlError | None:
    """C5: a special commission is dated today or before, for someone active that day; it is
    approved by the general manager; neither the one entering it nor the approver is the one
    it pays; the month is open (L2)."""
    if day > today:
        return InputError("at", _("{day} is in the future").format(day=day))
    if not person.active_on(day):
        return InputError("staff", _("{id} was not active on {day}").format(id=person.id, day=day))
    if approver is None:
        return RuleViolation("C5", _("a special commission is paid only once the general manager approves it "
                                   "(--approved-by)"))
    return authority.first(
        authority.rank_is(approver, GENERAL_MANAGER, N_("the approver of a special commission"), "C5"),
        authority.active_on(approver, day, N_("the approver")),  # L6
        authority.active_on(recorder, day, N_("the recorder")),  # L6
        authority.not_self(recorder, person, N_("enters or approves a special commission for"), "C5"),
        authority.not_self(approver, person, N_("enters or approves a special commission for"), "C5"),
        closed_month(day, closed, "a special commission"),
    )
