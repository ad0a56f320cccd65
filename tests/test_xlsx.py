"""Spreadsheets: `--format xlsx --out FILE` on every listing and report (csctl/sheet.py).

Each file is opened with openpyxl and read back: numbers are numbers, money is a number shown
with two decimals, dates are dates and times date-times, the header row is frozen and the
columns fitted. The demo ledger (conftest.a_row_in_every_table) is copied once for the module;
every command here only reads it.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from conftest import Cli, copy_ledger_file
from csctl import sheet
from csctl.errors import ExitStatus, InputError

CLOSED = "2026-09"  # the demo's months up to 2026-10 are closed; the fixture reopened 2026-10
OPEN = "2026-10"


@pytest.fixture(scope="module")
def demo(every_table_template, tmp_path_factory) -> Cli:
    return Cli(copy_ledger_file(every_table_template, tmp_path_factory.mktemp("xlsx") / "demo.db"))


def widths(ws) -> dict[str, float]:
    """Each column's width by letter; openpyxl keeps a run of equal widths under its first letter."""
    found = {}
    for dim in ws.column_dimensions.values():
        for index in range(dim.min, dim.max + 1):
            found[get_column_letter(index)] = dim.width
    return found


def sheet_of(cli: Cli, tmp_path: Path, *args: str) -> tuple[list[str], list[dict]]:
    """Run a listing with --format xlsx, check the file's form, and return its header and rows
    (each a dict of header -> cell)."""
    out = tmp_path / "out.xlsx"
    run = cli(*args, "--format", "xlsx", "--out", str(out))
    assert run.out.startswith("wrote ") and str(out) in run.out and run.err == ""
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]  # no temporary file left beside it
    book = openpyxl.load_workbook(out)
    assert len(book.sheetnames) == 1
    ws = book.active
    assert ws.title.startswith(" ".join(a for a in args[:2] if not a.startswith("-"))[:31])
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert all(c.font.b for c in ws[1])
    shown = widths(ws)
    for i, name in enumerate(header, start=1):
        assert shown[get_column_letter(i)] >= min(len(name), sheet.WIDTH_MAX), name  # fitted, never zero
    rows = [dict(zip(header, (c for c in line))) for line in ws.iter_rows(min_row=2)]
    return header, rows


def money(cell, text: str) -> None:
    """A money cell: a number shown with two decimals, equal to the exact text --json prints."""
    assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool), cell.value
    assert cell.number_format == "0.00"
    assert Decimal(str(cell.value)).quantize(Decimal("0.01")) == Decimal(text)


def when(text: str) -> datetime:
    """The wall-clock time of an ISO time in its own offset, as the sheet holds it."""
    return datetime.fromisoformat(text).replace(tzinfo=None)


def test_month_report(demo, tmp_path):
    header, rows = sheet_of(demo, tmp_path, "month", "report", CLOSED)
    report = demo("month", "report", CLOSED, "--json").json()
    assert header[:4] == ["staff", "name", "score", "raw_score"] and len(rows) == len(report)
    for row, line in zip(rows, report):
        assert row["staff"].value == line["staff"] and row["staff"].data_type == "s"
        assert isinstance(row["score"].value, (int, float)) and row["score"].value == line["score"]
        assert row["rank"].value == line["rank"] and isinstance(row["rank"].value, int)
        assert row["referred"].value is line["referred"]
    docked = next(row for row, line in zip(rows, report) if line["deductions"])
    assert "#" in docked["deductions"].value  # the rows behind it, as in --csv


def test_month_statement_money_is_numbers_in_two_decimals(demo, tmp_path):
    header, rows = sheet_of(demo, tmp_path, "month", "statement", CLOSED)
    lines = demo("month", "statement", CLOSED, "--json").json()
    assert len(rows) == len(lines) and "total" in header
    for row, line in zip(rows, lines):
        for key in ("base", "allowance", "sales", "sales_commission", "order_commission", "guarantee_topup",
                    "special", "total"):
            money(row[key], line[key])
        assert row["orders"].value == line["orders"] and isinstance(row["orders"].value, int)
    assert sum(Decimal(str(r["total"].value)) for r in rows) == sum(Decimal(line["total"]) for line in lines)


def test_month_statement_out_alone_with_an_xlsx_name_is_a_spreadsheet(demo, tmp_path):
    out = tmp_path / "pay.xlsx"
    demo("month", "statement", CLOSED, "--out", str(out))
    assert openpyxl.load_workbook(out).active.title == f"month statement {CLOSED}"


def test_month_pools(demo, tmp_path):
    header, [row] = sheet_of(demo, tmp_path, "month", "pools", CLOSED)
    pools = demo("month", "pools", CLOSED, "--json").json()
    for key in ("sales", "gross_margin", "net_profit", "threshold", "excellent_pool", "operations_pool"):
        money(row[key], pools[key])
    assert row["payable"].value is pools["payable"]
    assert row["month"].value == CLOSED  # a month is a label, not a date


def test_log_list_times_are_date_times(demo, tmp_path):
    header, rows = sheet_of(demo, tmp_path, "log", "list", "--month", CLOSED)
    events = demo("log", "list", "--month", CLOSED, "--json").json()
    assert len(rows) == len(events) > 0
    for row, event in zip(rows, events):
        assert row["id"].value == event["id"]
        assert row["at"].is_date and row["at"].value == when(event["at"])
        assert row["recorded_at"].is_date
        if event["minutes"] is not None:
            assert row["minutes"].value == event["minutes"]
    assert rows[0]["at"].number_format in ("yyyy-mm-dd hh:mm", "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss")


def test_sales_list_amounts_and_days(demo, tmp_path):
    header, rows = sheet_of(demo, tmp_path, "sales", "list", "--month", CLOSED)
    sales = demo("sales", "list", "--month", CLOSED, "--limit", "0", "--json").json()
    assert len(rows) == len(sales) > 200  # the whole month, not the 200 rows a table shows
    for row, sale in zip(rows, sales):
        money(row["amount"], sale["amount"])
        assert row["at"].is_date and row["at"].value == when(sale["at"])
        assert row["customer"].value == (sale["customer"] or None)  # masked text, never a number
    assert rows[0]["at"].number_format == "yyyy-mm-dd"  # a sale recorded by its day alone


def test_hazmat_draws_quantities_keep_their_decimals(demo, tmp_path):
    header, rows = sheet_of(demo, tmp_path, "hazmat", "draws")
    draws = demo("hazmat", "draws", "--json").json()
    assert len(rows) == len(draws) > 0
    for row, draw in zip(rows, draws):
        assert row["qty"].number_format == "0.000" and Decimal(str(row["qty"].value)) == Decimal(draw["qty"])
        assert row["due"].is_date and row["flagged"].value is draw["flagged"]


def test_keys_list_and_staff_list(demo, tmp_path):
    header, rows = sheet_of(demo, tmp_path, "keys", "list")
    keys = demo("keys", "list", "--json").json()
    assert [r["code"].value for r in rows] == [k["code"] for k in keys]
    assert all(isinstance(r["overdue"].value, bool) for r in rows)
    (tmp_path / "out.xlsx").unlink()
    header, rows = sheet_of(demo, tmp_path, "staff", "list")
    staff = demo("staff", "list", "--json").json()
    for row, person in zip(rows, staff):
        assert row["hired"].value.date() == date.fromisoformat(person["hired"])
        assert row["hired"].number_format == "yyyy-mm-dd"


# Every listing and report, with the arguments it needs on the demo ledger. A listing added to
# the tree without a line here fails the test below it.
LISTINGS = {
    "staff list": [],
    "log list": [],
    "sales list": [],
    "month report": [OPEN],
    "month statement": [OPEN],
    "month pools": [CLOSED],
    "month history": [CLOSED],
    "month status": [],
    "policy show": [],
    "rules": ["D5"],
    "review": [],
    "keys list": [],
    "keys out": [],
    "keys history": ["EQ-01"],
    "handover list": [],
    "duty list": [],
    "hazmat draws": [],
    "hazmat stock": [],
    "hazmat anomalies": [],
}


def listing_commands() -> set[str]:
    """Every command of the tree declared with `listing=True`."""
    import importlib

    from csctl.cli import TREE

    found = set()
    for name, (where, _) in TREE.items():
        module_name, _, command_name = where.partition(":")
        app = importlib.import_module(f"csctl.commands.{module_name}").app
        for info in app.registered_commands:
            words = name if command_name else f"{name} {info.name}"
            if command_name and info.name != command_name:
                continue
            if getattr(info.callback, "_listing", False):
                found.add(words)
    return found


def test_the_table_names_every_listing():
    assert set(LISTINGS) == listing_commands()


@pytest.mark.parametrize("words", sorted(LISTINGS))
def test_every_listing_writes_a_spreadsheet(demo, tmp_path, words):
    args = [*words.split(), *LISTINGS[words]]
    out = tmp_path / "listing.xlsx"
    demo(*args, "--format", "xlsx", "--out", str(out))
    book = openpyxl.load_workbook(out)
    ws = book.active
    assert ws.freeze_panes == "A2" and ws.title == " ".join(args)[:31]
    header = [c.value for c in ws[1]]
    csv_header = demo(*args, "--csv").out.splitlines()[0].split(",")
    assert header == csv_header  # the same columns as --csv


# ----------------------------------------------------------------------------- bad input


BAD = [
    (["--format", "xlsx"], "out:"),                        # no file named
    (["--format", "docx", "--out", "{tmp}/a.docx"], "format:"),
    (["--format", "xlsx", "--out", "{tmp}/missing/a.xlsx"], "out:"),  # into a folder that does not exist
    (["--format", "xlsx", "--out", "{tmp}"], "out:"),     # a folder, not a file
    (["--format", "xlsx", "--out", "{tmp}/a.csv"], "out:"),  # not an .xlsx name
    (["--format", "table", "--out", "{tmp}/a.xlsx"], "format:"),
    (["--format", "xlsx", "--out", "{tmp}/a.xlsx", "--json"], "--format xlsx and --json"),
    (["--format", "xlsx", "--out", "{tmp}/a.xlsx", "--csv"], "--format xlsx and --csv"),
    (["--format", "xlsx", "--out", "{tmp}/a.xlsx", "--bom"], "--bom goes with --csv"),
]
LISTING_ONLY = [(["--out", "{tmp}/a.csv"], "out:")]  # month statement --out FOLDER alone means html


@pytest.mark.parametrize("listing, extra, start", [
    (listing, extra, start)
    for listing in (["month", "report", CLOSED], ["sales", "list"], ["month", "statement", CLOSED])
    for extra, start in BAD + (LISTING_ONLY if listing[1] != "statement" else [])
])
def test_bad_spreadsheet_options_are_one_line_and_write_nothing(demo, tmp_path, listing, extra, start):
    args = [a.replace("{tmp}", str(tmp_path)) for a in extra]
    run = demo(*listing, *args, code=ExitStatus.BAD_INPUT)
    assert run.err.startswith(start) and run.err.count("\n") == 1 and run.out == "", run.err
    assert list(tmp_path.iterdir()) == []


def test_an_earlier_file_is_replaced_whole(demo, tmp_path):
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"an earlier export")
    demo("month", "report", CLOSED, "--out", str(out))
    assert openpyxl.load_workbook(out).active["A1"].value == "staff"
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


# ----------------------------------------------------------------------------- the writer itself


def test_a_column_is_typed_only_when_every_text_reads_so(tmp_path):
    out = tmp_path / "t.xlsx"
    rows = [{"product": "12.50", "amount": "12.50", "day": "2026-10-03", "phone": "13812345678", "big": "1" * 16 + ".00",
             "name": "陳慧", "rows": [843, 850]},
            {"product": "tea set", "amount": "-3.00", "day": "", "phone": "138****5678", "big": "1.00",
             "name": "Li Na", "rows": []},
            {"product": "", "amount": "-0.00", "day": None, "phone": None, "big": None, "name": None, "rows": None}]
    sheet.write(out, "test", rows, list(rows[0]))
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[2]] == ["12.50", 12.5, datetime(2026, 10, 3), "13812345678", "1111111111111111.00",
                                        "陳慧", "843 850"]
    assert [c.value for c in ws[3]] == ["tea set", -3, None, "138****5678", "1.00", "Li Na", None]
    assert ws["B2"].number_format == "0.00" and ws["C2"].number_format == "yyyy-mm-dd"
    import zipfile

    assert "<v>-0</v>" not in zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()  # no negative zero
    assert widths(ws)["F"] >= 5  # a Chinese character takes two cells


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    out = tmp_path / "t.xlsx"
    sheet.write(out, "test", [{"note": "=HYPERLINK(\"http://x\")"}], ["note"])
    cell = openpyxl.load_workbook(out).active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_more_rows_than_a_sheet_holds_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sheet, "MAX_ROWS", 3)
    with pytest.raises(InputError, match="more than a spreadsheet holds"):
        sheet.write(tmp_path / "t.xlsx", "test", [{"a": 1}] * 3, ["a"])
    assert list(tmp_path.iterdir()) == []


def test_a_sheet_name_is_one_excel_accepts():
    assert sheet.sheet_name(["keys", "history", "A/B:C"]) == "keys history A-B-C"
    assert len(sheet.sheet_name(["x" * 40])) == 31


def test_only_a_spreadsheet_imports_the_writer(demo, tmp_path):
    probe = ("import sys, json; sys.argv = ['csctl'] + json.loads(sys.argv[1]); from csctl.cli import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "sys.stderr.write(json.dumps(['xlsxwriter' in sys.modules, 'csctl.sheet' in sys.modules]))")

    def imported(*args: str) -> list[bool]:
        res = subprocess.run([sys.executable, "-c", probe, json.dumps(["--db", demo.db, *args])],
                             capture_output=True, text=True, timeout=60)
        return json.loads(res.stderr.strip().splitlines()[-1])

    assert imported("month", "report", CLOSED) == [False, False]
    assert imported("month", "report", CLOSED, "--csv") == [False, False]
    assert imported("month", "report", CLOSED, "--out", str(tmp_path / "r.xlsx")) == [True, True]


def test_a_refused_spreadsheet_leaves_no_byte_order_mark_for_the_next_csv(demo, tmp_path):
    run = demo("month", "status", "--csv", "--bom", "--out", str(tmp_path / "s.xlsx"), code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("--format xlsx and --csv")
    assert demo("month", "status", "--csv").out.startswith("month,state")
