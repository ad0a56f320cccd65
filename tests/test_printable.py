"""Pages a payroll clerk signs (C6) and warning letters (O1-O3)."""

from __future__ import annotations

import os
import re
import stat
from decimal import Decimal

from csctl.errors import ExitStatus


def _pages(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_closed_statement_is_a4_adds_up_says_its_basis_and_is_owner_only(dept, tmp_path):
    dept("sales", "add", "S01", "--amount", "3280.50", "--at", "2026-10-03", by="L01")
    dept("sales", "add", "D01", "--amount", "0", "--orders", "2950", "--at", "2026-10-31", by="P01")
    dept("month", "close", "2026-10", by="P01")
    out = tmp_path / "st"
    dept("month", "statement", "2026-10", "--out", str(out))
    name = next(n for n in _pages(out) if n.startswith("2026-10-S01-close"))
    text = (out / name).read_text(encoding="utf-8")
    assert "@page { size: A4" in text and "Customer service department" in text and "CNY" in text
    assert "2026-10-01 - 2026-10-31" in text and "Employee signature" in text and "DRAFT" not in text
    assert "2% x net sales 3280.50" in text and "65.61" in text  # the basis beside the line
    assert "Customer service" in text and "customer_service" not in text  # the department's words
    amounts = [Decimal(a) for a in re.findall(r'<td class="money">(-?\d+\.\d\d)</td>', text)]
    assert sum(amounts[:-1]) == amounts[-1]  # the pay lines add up to the total
    assert stat.S_IMODE(os.stat(out / name).st_mode) == 0o600
    data = next(n for n in _pages(out) if n.startswith("2026-10-D01"))
    assert "2950 orders x 0.50" in (out / data).read_text(encoding="utf-8")
    security = next(n for n in _pages(out) if n.startswith("2026-10-K01"))
    assert "no base salary is set in the policy" in (out / security).read_text(encoding="utf-8")


def test_a_draft_is_marked_and_has_no_signature_lines(dept, tmp_path):
    tmp_path = tmp_path / "out"
    dept("month", "statement", "2026-11", "--out", str(tmp_path), "--staff", "S01")
    [name] = _pages(tmp_path)
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert name == "2026-11-S01-draft.html" and 'class="draft-mark"' in text and 'class="sign"' not in text


def test_a_revised_statement_goes_beside_the_earlier_one(dept, tmp_path):
    tmp_path = tmp_path / "out"
    dept("month", "close", "2026-10", by="P01")
    dept("month", "statement", "2026-10", "--out", str(tmp_path), "--staff", "S01")
    first = _pages(tmp_path)
    dept("month", "statement", "2026-10", "--out", str(tmp_path), "--staff", "S01")  # the same page: kept
    assert _pages(tmp_path) == first
    dept("month", "reopen", "2026-10", "--reason", "a late was a clock fault", by="M01")
    dept("month", "close", "2026-10", by="P01")
    dept("month", "statement", "2026-10", "--out", str(tmp_path), "--staff", "S01")
    pages = _pages(tmp_path)
    assert len(pages) == 2 and first[0] in pages
    revised = (tmp_path / next(p for p in pages if p not in first)).read_text(encoding="utf-8")
    close = int(first[0].split("close")[1].split(".")[0])
    assert f"replaces the one of close #{close}" in revised


def test_chinese_statements_name_the_department_in_chinese(dept, tmp_path):
    policy = tmp_path / "zh.toml"
    policy.write_text('language = "zh"\n[company]\nname = "星河物業"\n', encoding="utf-8")
    dept("policy", "set", str(policy), "--from", "2026-10", by="M01")
    dept("month", "statement", "2026-10", "--out", str(tmp_path / "st"), "--staff", "S01")
    [name] = _pages(tmp_path / "st")
    text = (tmp_path / "st" / name).read_text(encoding="utf-8")
    assert "星河物業" in text and "客服部" in text and "customer_service" not in text and "草稿" in text


def test_warning_letters_name_each_deduction_with_its_date_and_row(dept, tmp_path):
    awol = dept("log", "awol", "S02", "--at", "2026-10-06", "--reason", "no leave", "--json", by="P01").json()
    dept("log", "late", "S03", "--minutes", "5", "--at", "2026-10-07 09:05", by="L01")  # 9.5: no letter
    dept("month", "close", "2026-10", by="P01")
    tmp_path = tmp_path / "out"
    dept("month", "letters", "2026-10", "--out", str(tmp_path))
    [name] = _pages(tmp_path)
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert name.startswith("2026-10-S02-letter-close")
    assert "verbal warning (O1)" in text and "2026-10-06" in text and f"#{awol['id']}" in text
    assert "Employee signature" in text and "Date:" in text
    run = dept("month", "letters", "2026-10", code=ExitStatus.BAD_INPUT)
    assert "--out" in run.err


def test_csv_for_excel_and_plain_ascii_operators(dept):
    dept("log", "late", "S01", "--minutes", "5", "--at", "2026-10-05 09:05", by="L01")
    plain = dept("month", "report", "2026-10", "--csv").out
    assert not plain.startswith("\ufeff") and "D1 x1 -0.5" in plain and "×" not in plain and "−" not in plain
    excel = dept("month", "report", "2026-10", "--csv", "--bom").out
    assert excel.startswith("\ufeff") and excel[1:] == plain
    assert dept("month", "report", "2026-10", "--bom", code=ExitStatus.BAD_INPUT).err.startswith("--bom goes with --csv")


def test_a_refused_csv_with_bom_leaves_no_mark_for_the_next_command_in_the_process(dept):
    """Found by tests/fuzzing.py: `--csv --bom` refused before its CSV (a month csctl cannot
    read) left the mark set, and the next CSV printed in the same process began with it."""
    dept("month", "report", "2026-13", "--csv", "--bom", code=ExitStatus.BAD_INPUT)
    assert not dept("month", "report", "2026-10", "--csv").out.startswith("\ufeff")


def test_pools_say_in_words_why_they_are_not_payable(dept):
    dept("sales", "add", "S01", "--amount", "1000", "--at", "2026-10-03", by="L01")
    dept("month", "costs", "2026-10", "--product-cost", "100", "--marketing", "0", "--shipping-loss", "0",
         "--other", "0", by="P01")
    out = dept("month", "pools", "2026-10").out
    assert "Excellent-staff pool (40%)" in out and "Net profit" in out
    assert "not payable (C7): the total target, net profit / 3 = " in out.replace("\n", " ")


def test_a_letter_spans_a_deductions_points_over_its_rows_and_states_no_currency(dept, tmp_path):
    # D7: three offline incidents make one deduction of 5; its points belong to the three rows.
    ids = [dept("log", "offline", "S04", "--at", f"2026-10-{d:02d} 10:00", "--json",
                by="L01").json()["id"] for d in (5, 12, 19)]
    dept("month", "close", "2026-10", by="P01")
    dept("month", "letters", "2026-10", "--out", str(tmp_path / "out"))
    [name] = _pages(tmp_path / "out")
    text = (tmp_path / "out" / name).read_text(encoding="utf-8")
    assert all(f"#{i}" in text for i in ids)
    assert text.count('rowspan="3"') == 1 and "Assessment period" in text
    assert "Currency" not in text and "Pay period" not in text
