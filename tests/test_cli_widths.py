"""Listings and reports at 80 columns: every line fits, and no number, date, time or id is
split across lines. Long names, notes, products and customers may wrap; they are free text.

The ledger has long Latin names, a Chinese name (two columns a character), long notes and a
long product, large amounts, a refund and a voided sale. Each check takes the figures it
expects from the same command's --json (or from the ledger's own rows), never from the table.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from conftest import Cli, ledger_template
from rich.cells import cell_len

WIDTH = 80
NARROW = {"COLUMNS": str(WIDTH), "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None,
          "TTY_INTERACTIVE": None}
WIDE = {**NARROW, "COLUMNS": "200"}

PEOPLE = [
    ("G01", "Zhou Jian", "operations", "general_manager", None),
    ("M01", "Chen Hui", "customer_service", "manager", None),
    ("P01", "Xu Lan", "customer_service", "supervisor", None),
    ("L01", "Wilhelmina Anastasia Oyelaran-Fitzgerald", "customer_service", "shift_lead", "senior"),
    ("S01", "Alexandria Konstantinopoulou-Vasquez", "customer_service", "staff", "senior"),
    ("S02", "歐陽明月", "customer_service", "staff", "junior"),
    ("S03", "Maximilian Bartholomew Featherstonehaugh", "customer_service", "staff", "probation"),
    ("S04", "Bao", "customer_service", "staff", "reserve_supervisor"),
    ("T01", "Guadalupe Evangelina Montenegro-Echeverría", "logistics", "staff", None),
]
NOTE = ("customer said the parcel for order 8812 arrived two days late and the reply took forty minutes; "
        "escalated to the shift lead after the second call")


def build(cli: Cli) -> None:
    for sid, name, dept, rank, level in PEOPLE:
        cli("staff", "add", sid, "--name", name, "--dept", dept, "--rank", rank, "--hired", "2024-02-29",
            *(["--level", level] if level else []), by="G01")
    cli("staff", "leave", "T01", "--on", "2026-10-20", "--reason", "moved to the warehouse in another city",
        by="P01")
    cli("log", "late", "S01", "--minutes", "12", "--at", "2026-10-02 09:40", "--note", NOTE, by="L01")
    cli("log", "late", "S02", "--minutes", "45", "--at", "2026-10-03 09:45", by="L01")
    cli("log", "awol", "S03", "--at", "2026-10-13", "--reason", "did not come back from leave and did not "
        "answer the phone all day", by="P01")
    cli("log", "complaint", "S02", "--kind", "attitude", "--source", "customer", "--at", "2026-10-14 15:00",
        "--note", NOTE, by="L01")
    cli("log", "unfinished", "S03", "--points", "0.5", "--at", "2026-10-16", "--note", "returns not filed",
        by="P01")
    cli("log", "refer", "S02", "--reason", "third warning this month about tone with customers",
        "--at", "2026-10-20 17:00", by="P01")
    wrong = cli("log", "absent", "L01", "--at", "2026-10-21", "--json", by="P01").json()["id"]
    cli("void", str(wrong), "--reason", "was on an approved day off, the clock export was wrong", by="M01")
    product = "hand-painted porcelain tea set with twelve cups and a bamboo tray"
    cli("sales", "add", "S01", "--amount", "123456.78", "--product", product,
        "--customer", "Konstantinopoulou Wang 13812345678", "--at", "2026-10-03", by="L01")
    cli("sales", "add", "S01", "--amount", "-1080.50", "--product", product, "--at", "2026-10-04", by="L01")
    cli("sales", "add", "S02", "--amount", "99999.99", "--orders", "3", "--product", product,
        "--at", "2026-10-12", by="L01")
    voided = cli("sales", "add", "S03", "--amount", "55555.55", "--at", "2026-10-13", "--json", by="L01").json()["id"]
    cli("void", str(voided), "--reason", "entered under the wrong person", by="M01")
    cli("sales", "add", "T01", "--amount", "0", "--orders", "13000", "--product", "orders handled",
        "--at", "2026-10-19", by="P01")
    cli("sales", "bonus", "S01", "--amount", "12345.67", "--reason", "recovered the largest order of the year",
        "--approved-by", "G01", "--at", "2026-10-18", by="P01")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Cli:
    return Cli(ledger_template(tmp_path_factory, "widths", build)[0])


def lines_of(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def assert_fits_and_whole(text: str, expected: set[str]) -> None:
    lines = lines_of(text)
    too_wide = [line for line in lines if cell_len(line) > WIDTH]
    assert not too_wide, f"wider than {WIDTH} columns:\n" + "\n".join(too_wide)
    split = sorted(value for value in expected if value and not any(value in line for line in lines))
    assert not split, f"split across lines or missing: {split}\n{text}"


def shown_time(iso: str) -> str:
    at = datetime.fromisoformat(iso)
    return at.strftime("%Y-%m-%d") if at.time() == datetime.min.time() else at.strftime("%Y-%m-%d %H:%M")


def money_sum(rows, key) -> str:
    return str(sum((Decimal(r[key]) for r in rows), Decimal("0.00")))


def test_log_list_fits_80_columns_with_times_and_names_whole(ledger):
    rows = ledger("log", "list", "--month", "2026-10", "--json").json()
    run = ledger("log", "list", "--month", "2026-10", env=NARROW)
    assert run.err == ""
    expected = {shown_time(r["at"]) for r in rows} | {str(r["id"]) for r in rows} | {r["staff"] for r in rows}
    expected |= {r["kind"] for r in rows} | {"#" + str(r["voided_by"]) for r in rows if r["voided_by"]}
    assert_fits_and_whole(run.out, expected | {"2026-10-02 09:40", "2026-10-13", "歐陽明月"})
    assert "T09:40" not in run.out and ":00+08:00" not in run.out  # no seconds nor offset in the cells
    assert "times in UTC+08:00" in " ".join(run.out.split())
    assert all(r["name"] for r in rows)  # JSON gains the name and keeps the full ISO time
    assert rows[0]["at"] == "2026-10-02T09:40:00+08:00" and rows[0]["name"] == PEOPLE[4][1]


def test_sales_list_fits_80_columns_with_a_live_total(ledger):
    rows = ledger("sales", "list", "--month", "2026-10", "--json").json()
    live = [r for r in rows if not r["voided_by"]]
    amount, orders = money_sum(live, "amount"), str(sum(r["orders"] for r in live))
    assert amount == "222376.27" and orders == "13004"  # the voided 55555.55 is left out
    run = ledger("sales", "list", "--month", "2026-10", env=NARROW)
    expected = {r["amount"] for r in rows} | {r["at"] for r in rows} | {str(r["id"]) for r in rows}
    assert_fits_and_whole(run.out, expected | {amount, orders})
    total = next(line for line in lines_of(run.out) if "Total" in line)
    assert amount in total and orders in total
    # Amounts this large leave no room for Customer at 80; a little wider it is back, and a
    # phone number in it, a word with digits, is not folded.
    assert "hidden at 80 columns: Customer, By" in " ".join(run.out.split())
    wider = ledger("sales", "list", "--month", "2026-10", env={**NARROW, "COLUMNS": "90"}).out
    assert "138****5678" in wider and max(cell_len(line) for line in lines_of(wider)) <= 90
    wide = ledger("sales", "list", "--month", "2026-10", env=WIDE).out
    assert "hidden at" not in wide and "By" in wide


def test_statement_fits_80_columns_and_adds_each_money_column(ledger):
    lines = ledger("month", "statement", "2026-10", "--json").json()
    run = ledger("month", "statement", "2026-10", env=NARROW)
    kept = ("base", "sales_commission", "order_commission", "total")
    expected = {line[key] for line in lines for key in kept} | {money_sum(lines, key) for key in kept}
    expected |= {line["staff"] for line in lines} | {line["outcome"] for line in lines if line["outcome"]}
    assert_fits_and_whole(run.out, expected)
    caption = " ".join(run.out.split())
    assert "hidden at 80 columns: Dept, Meal, Sales, Orders, Floor top-up, Special" in caption
    # Wide, every money column is shown and summed on the totals row, as exact Decimal text.
    wide = ledger("month", "statement", "2026-10", env=WIDE).out
    total = next(line for line in lines_of(wide) if line.startswith("│ Total"))
    money = ("base", "allowance", "sales", "sales_commission", "order_commission", "guarantee_topup", "special",
             "total")
    assert [cell.strip() for cell in total.split("│")[1:-1] if cell.strip()] == (
        ["Total", *(money_sum(lines, key) for key in money[:3]), str(sum(line["orders"] for line in lines)),
         *(money_sum(lines, key) for key in money[3:])])
    assert "hidden at" not in wide


def test_month_report_fits_80_columns(ledger):
    lines = ledger("month", "report", "2026-10", "--json").json()
    run = ledger("month", "report", "2026-10", env=NARROW)
    expected = {str(line["score"]) for line in lines} | {str(line["rank"]) for line in lines}
    expected |= {line["staff"] for line in lines} | {line["outcome"] for line in lines}
    expected |= {f"(#{row})" for line in lines for d in line["deductions"] for row in d["rows"]}
    assert_fits_and_whole(run.out, expected)


def test_staff_list_fits_80_columns(ledger):
    rows = ledger("staff", "list", "--json").json()
    run = ledger("staff", "list", env=NARROW)
    expected = {r["id"] for r in rows} | {r["dept"] for r in rows} | {r["rank"] for r in rows}
    expected |= {r["left"] for r in rows if r["left"]}
    assert_fits_and_whole(run.out, expected)
    assert "hidden at 80 columns:" in " ".join(run.out.split())


@pytest.mark.parametrize("args", [["log", "list"], ["sales", "list"], ["month", "statement", "2026-10"],
                                  ["month", "report", "2026-10"], ["staff", "list"]])
def test_csv_keeps_its_columns_whatever_the_width(ledger, args):
    assert ledger(*args, "--csv", env=NARROW).out == ledger(*args, "--csv", env=WIDE).out


def test_fit_leaves_out_the_highest_drop_level_first():
    from csctl.render import _fit, _Spec

    specs = [_Spec(10, 10, True), _Spec(30, 8, False), _Spec(10, 10, True), _Spec(10, 10, True)]
    assert _fit(specs, [0, 0, 1, 2], 200) == ([0, 1, 2, 3], [10, 30, 10, 10])  # natural widths
    assert _fit(specs, [0, 0, 1, 2], 50) == ([0, 1, 2], [10, 20, 10])  # level 2 first; text narrows
    assert _fit(specs, [0, 0, 1, 2], 34) == ([0, 1], [10, 17])


@pytest.mark.parametrize("args, keys", [
    (("keys", "list"), ("code", "since", "due")),
    (("handover", "list"), ("id", "at", "from", "to")),
    (("hazmat", "draws"), ("id", "at", "staff")),
    (("duty", "list"), ("id", "at", "staff")),
    (("keys", "history", "EQ-01"), ("id", "at", "staff")),
])
def test_the_newer_listings_fit_80_columns_with_ids_and_times_whole(every_table_template, tmp_path, args, keys):
    """Keys, handovers, hazmat and duty at 80 columns: each row's ids and times whole on one
    line (a narrow terminal leaves out whole columns, named in the caption, never cuts an id)."""
    from conftest import copy_ledger_file

    cli = Cli(copy_ledger_file(every_table_template, tmp_path / "l.db"))
    rows = cli(*args, "--json").json()
    assert rows, args
    run = cli(*args, env=NARROW)
    expected = {shown_time(r[k]) if k in ("at", "since", "due") else str(r[k]) for r in rows for k in keys if r.get(k)}
    assert_fits_and_whole(run.out, expected)
