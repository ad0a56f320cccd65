"""The forms people type (issue 9, item 5): times like `yesterday 9am` and `2026-10-13 9:10`,
amounts like `1,280.50`, and "did you mean S01?" for `S1`; and the ambiguous forms still
refused (03/04/2026: the 3rd of April or the 4th of March?).

Tables of parse.at / parse.day / parse.cents with a fixed `now`, the pure suggestion, then
the same through the CLI.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest
from conftest import Cli

from csctl import parse
from csctl.errors import ExitStatus, InputError
from csctl.suggest import did_you_mean, nearest

CST = timezone(timedelta(hours=8))  # conftest's Asia/Shanghai: local times read as +08:00
NOW = datetime(2026, 10, 14, 15, 30, 12, 345, tzinfo=CST)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=CST)


# ----------------------------------------------------------------------------- --at

AT_ACCEPTED = [
    # the forms of the issue
    ("2026-10-13 9:10", local(2026, 10, 13, 9, 10)),
    ("2026-10-13 09:10", local(2026, 10, 13, 9, 10)),
    ("9:10", local(2026, 10, 14, 9, 10)),
    ("09:40", local(2026, 10, 14, 9, 40)),
    ("9am", local(2026, 10, 14, 9, 0)),
    ("9AM", local(2026, 10, 14, 9, 0)),
    ("9 am", local(2026, 10, 14, 9, 0)),
    ("9 a.m.", local(2026, 10, 14, 9, 0)),
    ("9:10pm", local(2026, 10, 14, 21, 10)),
    ("9:10 PM", local(2026, 10, 14, 21, 10)),
    ("12am", local(2026, 10, 14, 0, 0)),
    ("12:30am", local(2026, 10, 14, 0, 30)),
    ("12pm", local(2026, 10, 14, 12, 0)),
    ("12:45pm", local(2026, 10, 14, 12, 45)),
    ("1am", local(2026, 10, 14, 1, 0)),
    ("11pm", local(2026, 10, 14, 23, 0)),
    ("yesterday 9am", local(2026, 10, 13, 9, 0)),
    ("Yesterday 09:40", local(2026, 10, 13, 9, 40)),
    ("yesterday", local(2026, 10, 13, 0, 0)),
    ("today 14:00", local(2026, 10, 14, 14, 0)),
    ("today", local(2026, 10, 14, 0, 0)),
    ("tomorrow", local(2026, 10, 15, 0, 0)),  # for leave; other events: "in the future" (services)
    ("tomorrow 9am", local(2026, 10, 15, 9, 0)),
    ("2026-10-13T09:10", local(2026, 10, 13, 9, 10)),
    ("2026-10-13t9:10", local(2026, 10, 13, 9, 10)),
    ("09:10:30", local(2026, 10, 14, 9, 10, 30)),
    ("2026-10-13 09:10:30", local(2026, 10, 13, 9, 10, 30)),
    ("2026-10-13 09:10:30.250", local(2026, 10, 13, 9, 10, 30)),  # ISO fractions dropped, as before
    ("2026-10-13 09:10+08:00", local(2026, 10, 13, 9, 10)),
    # L7: the offset typed is honoured, then the time is read on the local clock (the tests' +08:00).
    ("2026-10-13 09:10-05:00", datetime(2026, 10, 13, 9, 10, tzinfo=timezone(timedelta(hours=-5))).astimezone(CST)),
    ("2026-10-13T09:10:00+05:30",
     datetime(2026, 10, 13, 9, 10, tzinfo=timezone(timedelta(hours=5, minutes=30))).astimezone(CST)),
    ("2026-10-13 09:10 +0100", datetime(2026, 10, 13, 9, 10, tzinfo=timezone(timedelta(hours=1))).astimezone(CST)),
    ("2026-10-13 09:10Z", datetime(2026, 10, 13, 9, 10, tzinfo=timezone.utc).astimezone(CST)),
    ("2026-10-13T09:40:00+08:00", local(2026, 10, 13, 9, 40)),  # what csctl itself prints
    # dates
    ("2026-10-03", local(2026, 10, 3, 0, 0)),
    ("2026-10-3", local(2026, 10, 3, 0, 0)),
    ("2026-1-5 9am", local(2026, 1, 5, 9, 0)),
    ("  2026-10-03   09:40  ", local(2026, 10, 3, 9, 40)),
    ("9998-12-31 11:59pm", local(9998, 12, 31, 23, 59)),
    ("00:00", local(2026, 10, 14, 0, 0)),
    ("23:59:59", local(2026, 10, 14, 23, 59, 59)),
]


@pytest.mark.parametrize("text, expected", AT_ACCEPTED, ids=[t for t, _ in AT_ACCEPTED])
def test_at_accepts(text, expected):
    found = parse.at(text, NOW)
    assert found == expected and found.utcoffset() == expected.utcoffset(), found.isoformat()
    assert found.microsecond == 0


def test_at_none_is_now():
    assert parse.at(None, NOW) == NOW.replace(microsecond=0)


AT_REFUSED = [
    # (text, a fragment of the message)
    ("03/04/2026", "day and month could be read either way"),
    ("3/4", "day and month could be read either way"),
    ("04-03-2026", "day and month could be read either way"),
    ("3/4 9am", "day and month could be read either way"),
    ("10-13", "day and month could be read either way"),
    ("2026/10/13", "use 2026-10-03"),
    ("13.10.2026", "use 2026-10-03"),
    ("20261010", "use 2026-10-03"),
    ("2026-W41-6", "use 2026-10-03"),
    ("20261010T0940", "use 2026-10-03"),
    ("2026-10-13T0910", "use 2026-10-03"),
    ("2026-10-13T09", "use 2026-10-03"),  # an hour alone needs am or pm
    ("9", "use 2026-10-03"),
    ("9:5", "use 2026-10-03"),
    ("9:100", "use 2026-10-03"),
    ("2026-10-13T", "use 2026-10-03"),
    ("next tuesday", "use 2026-10-03"),
    ("noon", "use 2026-10-03"),
    ("yesterday 2026-10-01", "use 2026-10-03"),
    ("the day before yesterday", "use 2026-10-03"),
    ("2026-10-13 9:10 tomorrow", "use 2026-10-03"),
    ("٠٩:٤٠", "write digits as 0-9"),
    ("2026-10-10 ٠٩:٤٠", "write digits as 0-9"),
    ("０９:４０", "write digits as 0-9"),
    ("24:00", "from 00:00 to 23:59"),
    ("yesterday 25:00", "from 00:00 to 23:59"),
    ("2026-10-03 09:60", "from 00:00 to 23:59"),
    ("23:59:60", "from 00:00 to 23:59"),
    ("13pm", "with am or pm the hour is 1 to 12"),
    ("0am", "with am or pm the hour is 1 to 12"),
    ("13:00pm", "with am or pm the hour is 1 to 12"),
    ("2026-10-13 09:10+24:00", "no such UTC offset"),
    ("2026-02-29", "no such day"),
    ("2026-13-01", "no such day or month"),
    ("0000-01-01", "outside the years a ledger holds (1900-9998)"),
    ("1899-12-31T10:00:00+00:00", "outside the years a ledger holds"),
    ("9999-01-01 9am", "outside the years a ledger holds"),
    ("", "is empty"),
    ("   ", "is empty"),
]


@pytest.mark.parametrize("text, fragment", AT_REFUSED, ids=[t or "empty" for t, _ in AT_REFUSED])
def test_at_refuses(text, fragment):
    with pytest.raises(InputError) as caught:
        parse.at(text, NOW, "when")
    assert caught.value.field == "when"
    line = caught.value.line()
    assert fragment in line and "\n" not in line, line


# ----------------------------------------------------------------------------- dates alone

@pytest.mark.parametrize("text, expected", [
    ("2026-10-03", date(2026, 10, 3)), ("2026-10-3", date(2026, 10, 3)), ("2026-1-5", date(2026, 1, 5)),
    (" 2026-10-03 ", date(2026, 10, 3)),
])
def test_day_accepts(text, expected):
    assert parse.day(text, "hired") == expected


@pytest.mark.parametrize("text, fragment", [
    ("03/04/2026", "day and month could be read either way"), ("04-03-2026", "either way"),
    ("2026-10-03 09:40", "expected YYYY-MM-DD"), ("yesterday", "expected YYYY-MM-DD"),
    ("20261003", "expected YYYY-MM-DD"), ("2026-10-003", "expected YYYY-MM-DD"), ("٢٠٢٦-١٠-٠٣", "YYYY-MM-DD"),
    ("2026-02-30", "no such day"), ("1899-12-31", "outside the years"), ("", "expected YYYY-MM-DD"),
])
def test_day_refuses(text, fragment):
    with pytest.raises(InputError) as caught:
        parse.day(text, "hired")
    assert caught.value.field == "hired" and fragment in caught.value.message, caught.value.message


# ----------------------------------------------------------------------------- money

@pytest.mark.parametrize("text, expected", [
    ("1280.50", 128050), ("1,280.50", 128050), ("12,345", 1234500), ("-1,280.50", -128050),
    ("1,234,567.89", 123456789), ("+1,000.5", 100050), ("1,000", 100000), ("999", 99900),
    ("9,999,999,999.99", 999999999999), ("10,000,000,000.00", 10**12), (" 1,280.50 ", 128050),
])
def test_cents_accepts(text, expected):
    assert parse.cents(text) == expected


@pytest.mark.parametrize("text, fragment", [
    ("1,28.50", "commas only between groups of three"), ("12,34", "commas only between groups of three"),
    ("1,2345", "commas only between groups of three"), ("1.280,50", "commas only between groups of three"),
    ("0,123", "commas only between groups of three"), (",100", "commas only between groups of three"),
    ("1,000,", "commas only between groups of three"), ("1,,000", "commas only between groups of three"),
    ("1, 000", "commas only between groups of three"), ("1,234,567,890,123", "commas only between groups of three"),
    ("1,000.123", "commas only between groups of three"), ("1.234", "at most 2 decimal places"),
    ("1,٢٣٤.00", "is not an amount"), ("١٢.٥٠", "is not an amount"), ("10,000,000,000.01", "larger than any"),
    ("1e3", "is not an amount"), ("", "is not an amount"),
])
def test_cents_refuses(text, fragment):
    with pytest.raises(InputError) as caught:
        parse.cents(text, "amount")
    assert caught.value.field == "amount" and fragment in caught.value.message, caught.value.message


# ----------------------------------------------------------------------------- did you mean

KNOWN = ["G01", "M01", "P01", "P02", "L01", "S01", "S02", "S03", "S04", "T01", "D01", "K01", "CS-07"]


@pytest.mark.parametrize("wanted, expected", [
    ("S1", ["S01"]),  # same letters, same number
    ("S001", ["S01"]),
    ("P1", ["P01"]),
    ("S-1", ["S01"]),
    ("CS7", ["CS-07"]),
    ("S10", ["S01"]),  # two neighbours swapped
    ("SO1", ["S01"]),  # a letter O for a zero: the closest by far
    ("S011", ["S01"]),
    ("S12", ["S01", "S02"]),  # two equally near
    ("S05", []),  # S01-S04 all equally near: no hint
    ("X99", []),
    ("ZZ", []),
])
def test_nearest(wanted, expected):
    assert nearest(wanted, KNOWN) == expected


def test_did_you_mean_reads_as_the_end_of_a_message():
    assert did_you_mean("S1", KNOWN) == "; did you mean S01?"
    assert did_you_mean("S12", KNOWN) == "; did you mean S01 or S02?"
    assert did_you_mean("X99", KNOWN) == ""
    assert did_you_mean("S1", []) == ""


# ----------------------------------------------------------------------------- through the CLI

def test_log_late_yesterday_9am(dept: Cli):
    row = dept("log", "late", "S01", "--minutes", "5", "--at", "yesterday 9am", "--json", by="L01").json()
    yesterday = date.today() - timedelta(days=1)
    assert row["at"] == f"{yesterday.isoformat()}T09:00:00+08:00"


def test_log_refuses_an_ambiguous_date(dept: Cli):
    run = dept("log", "late", "S01", "--minutes", "5", "--at", "03/04/2026", by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("at: '03/04/2026' is not a time; day and month could be read either way")
    assert run.err.count("\n") == 1 and dept.count("events") == 0


def test_log_late_tomorrow_is_in_the_future(dept: Cli):
    run = dept("log", "late", "S01", "--minutes", "5", "--at", "tomorrow 9am", by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("at:") and "in the future" in run.err and dept.count("events") == 0


def test_sales_add_with_thousands_separators(dept: Cli):
    row = dept("sales", "add", "S01", "--amount", "1,280.50", "--at", "2026-10-05", "--json", by="L01").json()
    assert row["amount"] == "1280.50"
    with sqlite3.connect(dept.db) as conn:
        assert conn.execute("SELECT amount_cents FROM sales").fetchall() == [(128050,)]


def test_sales_import_a_quoted_amount_with_separators(dept: Cli, tmp_path):
    path = tmp_path / "shop.csv"
    path.write_text('date,staff,product,amount\n2026-10-03,S01,tea set,"1,280.50"\n2026-10-04,S02,cup,-12.00\n',
                    encoding="utf-8")
    assert dept("sales", "import", str(path), "--json", by="P01").json()["rows"] == 2
    with sqlite3.connect(dept.db) as conn:
        cents = conn.execute("SELECT staff, amount_cents FROM sales ORDER BY id").fetchall()
    assert cents == [("S01", 128050), ("S02", -1200)]


def test_sales_import_an_unquoted_amount_with_separators_is_refused(dept: Cli, tmp_path):
    # 1,280.50 unquoted is two cells, "1" and "280.50": refused naming the line, never read as 1.00.
    path = tmp_path / "shop.csv"
    path.write_text("date,staff,product,amount\n2026-10-03,S01,tea set,1,280.50\n", encoding="utf-8")
    run = dept("sales", "import", str(path), by="P01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("file: shop.csv line 2") and dept.count("sales") == 0


def test_log_absent_s1_did_you_mean_s01(dept: Cli):
    run = dept("log", "absent", "S1", "--at", "2026-10-03", by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err == "staff: S1 is not on the staff list (see `csctl staff list`); did you mean S01?\n"
    assert dept.count("events") == 0


def test_sales_add_and_import_say_did_you_mean(dept: Cli, tmp_path):
    run = dept("sales", "add", "S1", "--amount", "5", "--at", "2026-10-03", by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("staff: S1 is not on the staff list") and run.err.endswith("; did you mean S01?\n")
    path = tmp_path / "shop.csv"
    path.write_text("date,staff,amount\n2026-10-03,S01,1.00\n2026-10-03,S2,2.00\n", encoding="utf-8")
    run = dept("sales", "import", str(path), by="P01", code=ExitStatus.BAD_INPUT)
    assert "line 3, column staff" in run.err and run.err.endswith("; did you mean S02?\n"), run.err
    assert dept.count("sales") == 0


def test_no_suggestion_when_nothing_is_near(dept: Cli):
    run = dept("log", "absent", "X99", "--at", "2026-10-03", by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err == "staff: X99 is not on the staff list (see `csctl staff list`)\n"
