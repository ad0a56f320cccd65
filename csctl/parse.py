"""Text a supervisor typed (or a CSV held) into values, or an InputError naming the field.

Pure: "now" is an argument. Used by the commands and by the importers alike, so a bad date
reads the same whether it came from `--at` or from line 14 of a file.
"""

from __future__ import annotations

from .i18n import N_, _, tr

import re
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from .errors import InputError
from .models import FIRST_YEAR, LAST_YEAR, Month, Quarter, in_years

_D = TypeVar("_D", date, datetime)

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$")
# ASCII digits only: Python's \d and int() also take other scripts' digits (١٢), which no
# export or keyboard here means as money or time.
# Money: plain digits, or thousands grouped by commas in threes (1,280.50); a point for decimals.
# Patterns used by some commands only are compiled on first use (re keeps them): every
# command pays for the ones compiled at import.
MONEY = r"([+-]?)([0-9]{1,12}|[1-9][0-9]{0,2}(?:,[0-9]{3}){1,3})(?:\.([0-9]{1,2}))?\Z"
# A date is year first, always: YYYY-MM-DD, the month and day with or without a leading zero.
# Never fromisoformat, which takes more in 3.11 (20261003, 2026-W40-6) than in 3.10.
_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
# A time of day: 9:10, 09:10:30 (a fraction of a second is dropped), 9am, 9:10pm, 12am, and an
# optional UTC offset (Z, +08:00, +0800, +08). An hour alone needs am or pm.
_CLOCK = re.compile(
    r"(?P<hour>[0-9]{1,2})(?::(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2})(?:\.[0-9]{1,6})?)?)?"
    r"(?: ?(?P<half>[ap])\.?m\.?)?"
    r"(?: ?(?P<zone>z|(?P<sign>[+-])(?P<zh>[0-9]{2})(?::?(?P<zm>[0-9]{2}))?))?\Z")
# Day and month side by side without a year in front (03/04/2026, 3/4, 04-03-2026): which is
# which depends on who typed it, so it is refused rather than guessed.
_DAY_MONTH = re.compile(r"(?<![0-9A-Za-z/-])[0-9]{1,2}[/-][0-9]{1,2}(?![0-9:])")
_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1}
MAX_CENTS = 10**12  # 10,000,000,000.00: a line above this is a typing slip, not a sale
AT_FORMATS = ("2026-10-03, 2026-10-03 9:40, 09:40 or 9:40am (today), yesterday 9am, today 14:00, "
              "2026-10-03T09:40:30+08:00")
DAY_FORMAT = N_("expected YYYY-MM-DD, year first, e.g. 2026-10-03")


def staff_id(text: str, field: str = "staff") -> str:
    """Staff ids are short codes (S07); case does not matter, they are kept upper-case."""
    value = (text or "").strip()
    if not _ID.match(value):
        raise InputError(field, _("{text} is not a staff id (letters, digits, - and _, e.g. S07)").format(text=shown(text)))
    return value.upper()


def day(text: str, field: str = "date") -> date:
    """A date alone (--hired, --on, an import's date column): YYYY-MM-DD; 2026-10-3 is 2026-10-03."""
    value = (text or "").strip()
    found = _DAY.fullmatch(value)
    if not found:
        raise InputError(field, _("{text} is not a date; {day_hint}").format(text=shown(text), day_hint=_day_hint(value)))
    return _ymd(found, text, field)


def _ymd(found: re.Match[str], text: str | None, field: str) -> date:
    """The date of a _DAY match: a real day, in the years a ledger holds."""
    year, month_no, day_no = map(int, found.groups())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(field, _("{text} is outside the years a ledger holds ({first_year}-{last_year})").format(text=shown(text), first_year=FIRST_YEAR, last_year=LAST_YEAR))
    try:
        return date(year, month_no, day_no)
    except ValueError:
        raise InputError(field, _("{text} is not a date (no such day or month); {day_format}").format(text=shown(text), day_format=tr(DAY_FORMAT))) from None


def _day_hint(value: str) -> str:
    if _DAY_MONTH.search(value):
        return _("day and month could be read either way; {day_format}").format(day_format=tr(DAY_FORMAT))
    return tr(DAY_FORMAT)


def _in_years(when: _D, field: str) -> _D:
    if not in_years(when if isinstance(when, date) else when.date()):
        raise InputError(field, _("{isoformat} is outside the years a ledger holds ({first_year}-{last_year})").format(isoformat=when.isoformat()[:10], first_year=FIRST_YEAR, last_year=LAST_YEAR))
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


def at(text: str | None, now: datetime, field: str = "at") -> datetime:
    """When an event happened; default now. A date (`2026-10-03`, year first; `today`,
    `yesterday` or `tomorrow`) and/or a time of day (`09:40`, `9:40`, `9am`, `9:40pm`,
    `09:40:30`), separated by a space or a `T`; a time alone is today. Local time unless an
    offset is given (`2026-10-03 09:40+08:00`, `Z`), which is kept.

    Nothing is guessed: day/month orders other than year first (03/04/2026), an hour alone
    without am/pm, a missing date part, words other than the three are refused."""
    if text is None:
        return now.replace(microsecond=0)
    value = " ".join(text.split()).lower()
    if not value:
        raise InputError(field, _("is empty; use {at_formats}").format(at_formats=AT_FORMATS))
    if not value.isascii():
        raise InputError(field, _("{text} is not a time; write digits as 0-9 and use {at_formats}").format(text=shown(text), at_formats=AT_FORMATS))
    base, rest = _date_part(value, text, now, field)
    if base is not None and not rest:
        return _local(datetime.combine(base, time(0, 0)), field, now)
    clock = _CLOCK.fullmatch(rest)
    if not clock or not (clock["minute"] or clock["half"]):
        if _DAY_MONTH.search(value):
            raise InputError(field, _("{text} is not a time; day and month could be read either way; write the date year first, e.g. 2026-10-03 09:40").format(text=shown(text)))
        raise InputError(field, _("{text} is not a time; use {at_formats}").format(text=shown(text), at_formats=AT_FORMATS))
    when = datetime.combine(now.date() if base is None else base, _time_of_day(clock, text, field))
    if clock["zone"] is None:
        return _local(when, field, now)
    # L7: an offset typed is honoured, and the time is then read on the department's clock.
    given = _in_years(when.replace(tzinfo=_offset(clock, text, field)), field)
    return given.astimezone(_zone(now))


def _date_part(value: str, text: str, now: datetime, field: str) -> tuple[date | None, str]:
    """The date `value` starts with, if any, and what follows it (the time of day, or '')."""
    for word, days in _WORDS.items():
        if value == word or value.startswith(word + " "):
            return now.date() + timedelta(days=days), value[len(word) + 1:]
    found = _DAY.match(value)
    if found is None or value[found.end():found.end() + 1] not in ("", " ", "t"):
        return None, value
    rest = value[found.end() + 1:]
    if value[found.end():] == "t":  # 2026-10-03T and nothing after
        raise InputError(field, _("{text} is not a time; use {at_formats}").format(text=shown(text), at_formats=AT_FORMATS))
    return _ymd(found, text, field), rest


def _time_of_day(clock: re.Match[str], text: str, field: str) -> time:
    hour, minute, second = int(clock["hour"]), int(clock["minute"] or 0), int(clock["second"] or 0)
    if clock["half"]:
        if not 1 <= hour <= 12:
            raise InputError(field, _("{text} is not a time of day; with am or pm the hour is 1 to 12 (12am is midnight, 12pm noon), e.g. 9:40am").format(text=shown(text)))
        hour = hour % 12 + (12 if clock["half"] == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InputError(field, _("{text} is not a time of day; expected HH:MM from 00:00 to 23:59 (seconds 00-59), e.g. 09:40 or 9:40pm").format(text=shown(text)))
    return time(hour, minute, second)


def _offset(clock: re.Match[str], text: str, field: str) -> timezone:
    if clock["zone"] == "z":
        return timezone.utc
    hours, minutes_ = int(clock["zh"]), int(clock["zm"] or 0)
    if hours > 23 or minutes_ > 59:
        raise InputError(field, _("{text} has no such UTC offset; expected e.g. +08:00 or -05:00").format(text=shown(text)))
    delta = timedelta(hours=hours, minutes=minutes_)
    return timezone(-delta if clock["sign"] == "-" else delta)


def _zone(now: datetime) -> Any:
    """The department's zone, if the session runs on one (a zone with a name, L7), else None:
    the machine's zone, with the offset in force on each day."""
    return now.tzinfo if getattr(now.tzinfo, "key", None) else None


def _local(naive: datetime, field: str, now: datetime) -> datetime:
    """A wall-clock time on the department's clock (else the machine's), with the offset in
    force on that day."""
    _in_years(naive, field)
    zone = _zone(now)
    if zone is not None:
        return naive.replace(tzinfo=zone, microsecond=0)
    return naive.astimezone().replace(microsecond=0)


def minutes(text: str, field: str = "minutes") -> int:
    value = (text or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 6:
        raise InputError(field, _("{text} is not a number of minutes (a whole number from 1) (D1)").format(text=shown(text)))
    return int(value)


def points(text: str, field: str = "points") -> Decimal:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        raise InputError(field, _("{text} is not a number of points (D9)").format(text=shown(text))) from None
    if not value.is_finite() or abs(value.adjusted()) > 6:
        raise InputError(field, _("{text} is not a number of points a supervisor gives (D9)").format(text=shown(text)))
    return value if value != 0 else Decimal(0)  # -0 is 0


def cents(text: str, field: str = "amount") -> int:
    """Money typed as text (`1234.5`, `-20.00`, `1,280.50`) into integer cents: never through a float.

    Thousands may be grouped by commas, in threes (1,234,567.89); a comma anywhere else is
    refused, not guessed (1,28.50; 1.280,50 with a decimal comma). Refuses NaN, infinities,
    exponents, more than two decimal places and absurd sizes.
    """
    value = (text or "").strip()
    found = re.match(MONEY, value)
    if not found:
        raise InputError(field, _("{text} is not an amount of money; expected e.g. 1234.50, 1,280.50 or -20.00: at most 2 decimal places, commas only between groups of three digits").format(text=shown(text)))
    sign, whole, frac = found.groups()
    amount = int(whole.replace(",", "")) * 100 + int((frac or "0").ljust(2, "0"))
    if amount > MAX_CENTS:
        raise InputError(field, _("{text} is larger than any amount csctl accepts (10000000000.00)").format(text=shown(text)))
    return -amount if sign == "-" else amount


# A quantity of a hazardous material (Z1): plain digits and a point, no sign, exponent or grouping.
_QUANTITY = r"([0-9]{1,10})(?:\.([0-9]{1,12}))?\Z"
MAX_QUANTITY = 10**9  # units of a material in one row: more is a typing slip


def quantity(text: str | None, field: str = "qty", *, places: int = 3, unit: str = "", zero: bool = False) -> int:
    """A quantity of a material typed as text (`12.5`, `0.125`, `3`) into integer thousandths of
    its unit, never through a float (Z1): more than 0 (0 too for a count, `zero`), at most
    `places` decimal places that are not zeros (`unit`'s places: pieces take none)."""
    value = (text or "").strip()
    found = re.match(_QUANTITY, value)
    what = f" {unit}" if unit else ""
    if not found:
        if value[:1] in "+-" and re.match(_QUANTITY, value[1:]):
            raise InputError(field, _("{text}: a quantity is more than 0, written without a sign (Z1)").format(text=shown(text)))
        raise InputError(field, (_("{text} is not a quantity; expected a number of {unit} such as 12.5, in digits with a point (Z1)") if unit else
                                 _("{text} is not a quantity; expected a number of units such as 12.5, in digits with a point (Z1)")).format(text=shown(text), unit=unit))
    whole, frac = found.group(1), (found.group(2) or "").rstrip("0")
    if len(frac) > places:
        allowed = _("whole numbers only") if places == 0 else (
            _("at most 1 decimal place") if places == 1 else _("at most {places} decimal places").format(places=places))
        has = (_("{text} has 1 decimal place; {unit} takes {allowed} (Z1)") if len(frac) == 1 else
               _("{text} has {frac} decimal places; {unit} takes {allowed} (Z1)"))
        raise InputError(field, has.format(text=shown(text), frac=len(frac), unit=unit or _("a quantity"), allowed=allowed))
    milli = int(whole) * 1000 + int(frac.ljust(3, "0") or 0)
    if milli == 0 and not zero:
        raise InputError(field, _("{text}: a quantity is more than 0 (Z1)").format(text=shown(text)))
    if milli > MAX_QUANTITY * 1000:
        raise InputError(field, _("{text} is more than any quantity csctl accepts ({max_quantity}{what})").format(text=shown(text), max_quantity=MAX_QUANTITY, what=what))
    return milli


def row_id(text: str | None, field: str) -> int:
    """A row's id as printed (`12` or `#12`)."""
    value = (text or "").strip().removeprefix("#")
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) < 2**63:
        raise InputError(field, _("{text} is not a row id (a whole number, as printed: #12)").format(text=shown(text)))
    return int(value)


def text(value: str | None, field: str, *, required: bool = True, limit: int = 500) -> str | None:
    """Free text (a name, a note, a reason): runs of spaces folded, at most `limit` characters,
    valid Unicode without NUL (what a terminal sends as broken UTF-8 arrives as surrogates)."""
    cleaned = " ".join((value or "").split())
    if not cleaned:
        if required:
            raise InputError(field, _("must not be empty"))
        return None
    if len(cleaned) > limit:
        raise InputError(field, _("is {cleaned} characters long; at most {limit}").format(cleaned=len(cleaned), limit=limit))
    if "\x00" in cleaned or any("\ud800" <= c <= "\udfff" for c in cleaned):
        raise InputError(field, _("is not valid text (a NUL character or bytes that are not UTF-8)"))
    return cleaned


def quarter(text: str, field: str = "quarter") -> Quarter:
    """A calendar quarter, YYYY-Qn (a quarterly grade's, P2)."""
    try:
        return Quarter.parse(text or "")
    except ValueError as exc:
        raise InputError(field, str(exc)) from None


_KEY_CODE = r"^[A-Za-z0-9][A-Za-z0-9_./-]{0,23}$"


def key_code(text: str | None, field: str = "code") -> str:
    """A key's code as its tag reads (EQ-01, U1203, B2/7): letters, digits, - _ . /, up to 24;
    case does not matter, it is kept upper-case."""
    value = (text or "").strip()
    if not re.match(_KEY_CODE, value):
        raise InputError(field, _("{text} is not a key code (letters, digits, - _ . and /, e.g. EQ-01)").format(text=shown(text)))
    return value.upper()


def pair(text: str | None, field: str, form: str = "NAME=TEXT") -> tuple[str, str]:
    """`NAME=TEXT` split at its first `=`, both sides stripped and not empty (`--cause EQ-01=...`)."""
    name, sign, value = (text or "").partition("=")
    if not sign or not name.strip() or not value.strip():
        raise InputError(field, _("{text} is not written {form}").format(text=shown(text), form=form))
    return name.strip(), value.strip()
