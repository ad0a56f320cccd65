"""Text a supervisor typed (or a CSV held) into values, or an InputError naming the field.

Pure: "now" is an argument. Used by the commands and by the importers alike, so a bad date
reads the same whether it came from `--at` or from line 14 of a file.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from .errors import InputError
from .models import FIRST_YEAR, LAST_YEAR, Month, in_years

_D = TypeVar("_D", date, datetime)

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$")
# ASCII digits only: Python's \d and int() also take other scripts' digits (١٢), which no
# export or keyboard here means as money or time.
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\Z")
MONEY = re.compile(r"([+-]?)([0-9]{1,12})(?:\.([0-9]{1,2}))?\Z")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")  # fromisoformat takes more in 3.11 (20261003, 2026-W40-6)
MAX_CENTS = 10**12  # 10,000,000,000.00: a line above this is a typing slip, not a sale
AT_FORMATS = "2026-10-03, 2026-10-03 09:40, 09:40 (today) or yesterday 09:40"


def staff_id(text: str, field: str = "staff") -> str:
    """Staff ids are short codes (S07); case does not matter, they are kept upper-case."""
    value = (text or "").strip()
    if not _ID.match(value):
        raise InputError(field, f"{shown(text)} is not a staff id (letters, digits, - and _, e.g. S07)")
    return value.upper()


def day(text: str, field: str = "date") -> date:
    value = (text or "").strip()
    try:
        if not _DAY.match(value):
            raise ValueError
        found = date.fromisoformat(value)
    except ValueError:
        raise InputError(field, f"{shown(text)} is not a date; expected YYYY-MM-DD, e.g. 2026-10-03") from None
    return _in_years(found, field)


def _in_years(when: _D, field: str) -> _D:
    if not in_years(when if isinstance(when, date) else when.date()):
        raise InputError(field, f"{when.isoformat()[:10]} is outside the years a ledger holds ({FIRST_YEAR}-{LAST_YEAR})")
    return when


def shown(text: str | None, limit: int = 40) -> str:
    """A value as an error message quotes it: never more than a short line."""
    value = repr(text)
    return value if len(value) <= limit else value[: limit - 4] + "...'"


def month(text: str, field: str = "month") -> Month:
    try:
        return Month.parse(text or "")
    except ValueError as exc:
        raise InputError(field, str(exc)) from None


def _clock(text: str, field: str) -> time:
    found = _TIME.match(text)
    if not found:
        raise InputError(field, f"{shown(text)} is not a time of day; expected HH:MM, e.g. 09:40")
    hour, minute, second = int(found[1]), int(found[2]), int(found[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InputError(field, f"{shown(text)} is not a time of day; expected HH:MM from 00:00 to 23:59")
    return time(hour, minute, second)


def at(text: str | None, now: datetime, field: str = "at") -> datetime:
    """When an event happened: `2026-10-03`, `2026-10-03 09:40`, `09:40`, `yesterday 09:40`,
    `today`, or a full ISO 8601 time. Local time unless an offset is given; default now."""
    if text is None:
        return now.replace(microsecond=0)
    value = " ".join(text.strip().split())
    lowered = value.lower()
    base: date | None = None
    rest = value
    for word, delta in (("yesterday", 1), ("today", 0)):
        if lowered == word or lowered.startswith(word + " "):
            base = now.date() - timedelta(days=delta)
            rest = value[len(word):].strip()
            break
    if base is not None:
        clock = _clock(rest, field) if rest else time(0, 0)
        return _local(datetime.combine(base, clock), field)
    if _TIME.match(value):
        return _local(datetime.combine(now.date(), _clock(value, field)), field)
    if len(value) == 10:
        return _local(datetime.combine(day(value, field), time(0, 0)), field)
    try:
        if not (value.isascii() and _DAY.match(value[:10]) and value[10:11] in ("T", " ")):
            raise ValueError  # the date first, as YYYY-MM-DD, whichever forms the Python takes
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        raise InputError(field, f"{shown(text)} is not a time; use {AT_FORMATS}") from None
    _in_years(parsed, field)
    if parsed.tzinfo is None:
        return _local(parsed, field)
    return parsed.replace(microsecond=0)


def _local(naive: datetime, field: str) -> datetime:
    """A wall-clock time in the machine's zone, with the offset in force on that day."""
    _in_years(naive, field)
    return naive.astimezone().replace(microsecond=0)


def minutes(text: str, field: str = "minutes") -> int:
    value = (text or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 6:
        raise InputError(field, f"{shown(text)} is not a number of minutes (a whole number from 1) (D1)")
    return int(value)


def points(text: str, field: str = "points") -> Decimal:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        raise InputError(field, f"{shown(text)} is not a number of points (D9)") from None
    if not value.is_finite() or abs(value.adjusted()) > 6:
        raise InputError(field, f"{shown(text)} is not a number of points a supervisor gives (D9)")
    return value if value != 0 else Decimal(0)  # -0 is 0


def cents(text: str, field: str = "amount") -> int:
    """Money typed as text (`1234.5`, `-20.00`) into integer cents: never through a float.

    Refuses NaN, infinities, exponents, more than two decimal places and absurd sizes.
    """
    value = (text or "").strip()
    found = MONEY.match(value)
    if not found:
        raise InputError(field, f"{shown(text)} is not an amount of money; expected e.g. 1234.50 or -20.00, at most 2 decimal places")
    sign, whole, frac = found.groups()
    amount = int(whole) * 100 + int((frac or "0").ljust(2, "0"))
    if amount > MAX_CENTS:
        raise InputError(field, f"{shown(text)} is larger than any amount csctl accepts (10000000000.00)")
    return -amount if sign == "-" else amount


def text(value: str | None, field: str, *, required: bool = True, limit: int = 500) -> str | None:
    """Free text (a name, a note, a reason): runs of spaces folded, at most `limit` characters,
    valid Unicode without NUL (what a terminal sends as broken UTF-8 arrives as surrogates)."""
    cleaned = " ".join((value or "").split())
    if not cleaned:
        if required:
            raise InputError(field, "must not be empty")
        return None
    if len(cleaned) > limit:
        raise InputError(field, f"is {len(cleaned)} characters long; at most {limit}")
    if "\x00" in cleaned or any("\ud800" <= c <= "\udfff" for c in cleaned):
        raise InputError(field, "is not valid text (a NUL character or bytes that are not UTF-8)")
    return cleaned
