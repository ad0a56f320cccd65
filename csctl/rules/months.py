"""L2: what a closed month refuses."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from ..errors import RuleViolation
from ..models import Month


def closed_month(when: date | Month, closed: Collection[str], what: str) -> RuleViolation | None:
    """A row `what` dated in a closed month is refused until the month is reopened."""
    month = when if isinstance(when, Month) else Month.of(when)
    if str(month) not in closed:
        return None
    return RuleViolation("L2", f"{month} is closed; {what} dated in it is refused until a manager runs "
                               f"`csctl month reopen {month} --reason ...`")
