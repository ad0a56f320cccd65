"""L2: what a closed month refuses."""

from __future__ import annotations

from ..i18n import _

from collections.abc import Collection
from datetime import date

from ..errors import RuleViolation
from ..models import Month


def closed_month(when: date | Month, closed: Collection[str], what: str) -> RuleViolation | None:
    """A row `what` dated in a closed month is refused until the month is reopened."""
    month = when if isinstance(when, Month) else Month.of(when)
    if str(month) not in closed:
        return None
    return RuleViolation("L2", _("{month} is closed; {what} dated in it is refused until a manager runs `csctl month reopen {month} --reason ...`").format(month=month, what=what))
