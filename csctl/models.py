"""The department's nouns as frozen values: staff, months, discipline events, sales.

They are named tuples: immutable, compared and hashed by value like frozen dataclasses,
and about a tenth of the cost to define, which every command pays at start-up.

Money is Decimal, times are aware datetimes, dates are dates. Nothing here reads the
database, the clock or the environment.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

DEPARTMENTS = (
    "customer_service",
    "security",
    "engineering",
    "cleaning",
    "logistics",
    "data",
    "marketing",
    "product",  # 產品部
    "operations",
    "admin",
)

# Low to high (rules.md, "People").
RANKS = ("staff", "shift_lead", "supervisor", "manager", "general_manager")

# Customer-service levels, low to high (doc 14 §3).
LEVELS = ("probation", "junior", "intermediate", "senior", "reserve_supervisor")


# The years a ledger holds: wide enough for any hire date and any month a business keeps,
# narrow enough that a month's successor is still a date.
FIRST_YEAR, LAST_YEAR = 1900, 9998


def in_years(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def from_cents(cents: int) -> Decimal:
    """Integer cents as exact money."""
    return Decimal(cents).scaleb(-2).quantize(Decimal("0.01"))


def rank_at_least(rank: str, minimum: str) -> bool:
    return RANKS.index(rank) >= RANKS.index(minimum)


class Month(NamedTuple):
    """A calendar month, written YYYY-MM."""

    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse 'YYYY-MM'; raises ValueError with a reason otherwise."""
        shown = repr(text) if len(text) <= 20 else repr(text[:16]) + "..."
        value = text.strip()
        # Four ASCII digits, a dash, two: int() alone would take "+1", " 1" or other scripts' digits.
        if not (len(value) == 7 and value[4] == "-" and value[:4].isascii() and value[5:].isascii()
                and value[:4].isdigit() and value[5:].isdigit()):
            raise ValueError(f"{shown} is not a month; expected YYYY-MM, e.g. 2026-10")
        year, month = int(value[:4]), int(value[5:])
        if not 1 <= month <= 12:
            raise ValueError(f"{shown} is not a month; expected YYYY-MM, e.g. 2026-10")
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"{shown} is outside the years a ledger holds ({FIRST_YEAR}-{LAST_YEAR})")
        return cls(year, month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def prev(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def contains(self, day: date) -> bool:
        return day.year == self.year and day.month == self.month


class Staff(NamedTuple):
    """A person of the department. Never deleted: a leaver is inactive from `left`."""

    id: str
    name: str
    dept: str
    rank: str
    level: str | None = None
    hired: date | None = None
    left: date | None = None
    os_user: str | None = None
    row: int = 0

    def active_on(self, day: date) -> bool:
        if self.hired is not None and day < self.hired:
            return False
        return self.left is None or day < self.left

    def active_in(self, month: Month) -> bool:
        """Active on at least one day of the month."""
        if self.hired is not None and self.hired > month.last_day:
            return False
        return self.left is None or self.left > month.first_day

    def days_active(self, month: Month) -> int:
        """Calendar days of the month on which the person is active (hired, not yet left)."""
        first = month.first_day if self.hired is None else max(month.first_day, self.hired)
        end = month.last_day if self.left is None else min(month.last_day, self.left - timedelta(days=1))
        return max((end - first).days + 1, 0)

    def at_least(self, minimum: str) -> bool:
        return rank_at_least(self.rank, minimum)


# The `csctl log` command words, each a kind of discipline event (rules.md D1-D10).
EVENT_KINDS = (
    "late",  # D1, D2
    "early-leave",  # D1, D2: leaving early, 早退, counted like a late arrival
    "absent",  # D3 缺勤
    "awol",  # D4 曠工
    "left-post",  # D4 私自離崗
    "leave",  # D5 請假
    "dayoff",  # D5 調休
    "forgot-signin",  # D5, recorded as a day off
    "offline",  # D6 千牛 not online
    "complaint",  # D7 slow, D8 attitude
    "unfinished",  # D9
    "refer",  # D10
)
QUOTA_KINDS = ("leave", "dayoff", "forgot-signin")
COMPLAINT_KINDS = ("slow", "attitude")
COMPLAINT_SOURCES = ("customer", "colleague")


class EventRequest(NamedTuple):
    """A discipline event as a supervisor asks to record it; fields that do not belong to the
    kind are None. `id` is the row's once it is recorded (an `Event`), else 0."""

    kind: str
    staff: str
    at: datetime
    minutes: int | None = None
    approved_by: str | None = None
    points: Decimal | None = None
    complaint: str | None = None
    source: str | None = None
    excused: bool = False
    reason: str | None = None
    note: str | None = None
    approved_on: date | None = None  # D5: when the approval was given (None: the recorder attests it came first)
    until: date | None = None  # D5: the last day of a leave or day off of several days
    id: int = 0

    @property
    def day(self) -> date:
        return self.at.date()

    @property
    def days(self) -> int:
        """The calendar days a leave or day off covers: 1, or to `until`."""
        return (self.until - self.day).days + 1 if self.until is not None else 1


class Event(EventRequest):
    """One recorded discipline event, as the rules see it (voided rows never reach them)."""

    __slots__ = ()


class Deduction(NamedTuple):
    """What one rule took from one person in one month, and the rows behind it."""

    rule: str
    count: int
    points: Decimal
    rows: tuple[int, ...]
    note: str = ""  # why no points were taken, for rows listed without a deduction
    days: int | None = None  # D5: the calendar days the rows cover (a leave of several days is one use)


class ScoreLine(NamedTuple):
    """One scored person's month: rules.md D1-D10, O1-O3 and the rank."""

    staff: str
    name: str
    score: Decimal
    raw_score: Decimal
    deductions: tuple[Deduction, ...]
    outcome: str  # none | warning | punishment | severe
    rank: int | None  # None: scored, not ranked (a part month, see unranked)
    referred: bool
    referrals: tuple[int, ...] = ()
    not_deducted: tuple[Deduction, ...] = ()
    unranked: str | None = None  # why a scored person is not ranked


class Quarter(NamedTuple):
    """A calendar quarter, written YYYY-Qn: what a quarterly grade is about (P2)."""

    year: int
    number: int

    @classmethod
    def of(cls, month: Month) -> Quarter:
        return cls(month.year, (month.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Parse 'YYYY-Qn' (n from 1 to 4, q in either case); raises ValueError with a reason otherwise."""
        shown = repr(text) if len(text) <= 20 else repr(text[:16]) + "..."
        value = text.strip().upper()
        if not (len(value) == 7 and value[4:6] == "-Q" and value[:4].isascii() and value[:4].isdigit()
                and value[6] in "1234"):
            raise ValueError(f"{shown} is not a quarter; expected YYYY-Qn with n from 1 to 4, e.g. 2026-Q3")
        year = int(value[:4])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"{shown} is outside the years a ledger holds ({FIRST_YEAR}-{LAST_YEAR})")
        return cls(year, int(value[6]))

    def __str__(self) -> str:
        return f"{self.year:04d}-Q{self.number}"

    @property
    def months(self) -> tuple[Month, Month, Month]:
        first = 3 * (self.number - 1) + 1
        return Month(self.year, first), Month(self.year, first + 1), Month(self.year, first + 2)

    @property
    def first_day(self) -> date:
        return self.months[0].first_day

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)
