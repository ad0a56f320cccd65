"""Levels and promotion through the command line: `staff level|grade|title|probation` (P1-P3)
and `review` (P4-P6), on the small department and on the demo's year."""

from __future__ import annotations

import pytest

from csctl.errors import ExitStatus
from csctl.models import Month

from conftest import Cli, copy_ledger_file, ledger_template


def base(cli: Cli, month: str, staff: str = "S03") -> str:
    return cli("month", "statement", month, "--staff", staff, "--json").json()[0]["base"]


# ----------------------------------------------------------------------------- P1
@pytest.mark.parametrize("since, september, october, november", [
    ("2026-10-01", "2200.00", "2500.00", "2500.00"),  # from the 1st: October is paid at the new level
    ("2026-10-02", "2200.00", "2200.00", "2500.00"),  # from the 2nd: November is
])
def test_p1_a_month_pays_the_level_held_on_its_first_day(dept, since, september, october, november):
    row = dept("staff", "level", "S03", "--to", "intermediate", "--from", since, "--reason", "review: due",
               "--json", by="P01").json()
    assert row["level"] == "intermediate" and row["from_date"] == since and row["approved_by"] is None
    assert row["changed"] == {"level": {"from": "junior", "to": "intermediate"}}
    assert [base(dept, m) for m in ("2026-09", "2026-10", "2026-11")] == [september, october, november]


def test_p1_a_skip_needs_the_general_manager(dept):
    run = dept("staff", "level", "S03", "--to", "senior", "--from", "2026-10-01", "--reason", "key account",
               by="P01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (P1):") and "general manager" in run.err
    run = dept("staff", "level", "S03", "--to", "senior", "--from", "2026-10-01", "--reason", "key account",
               "--approved-by", "M01", by="P01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (P1): the approver of a level change is the general manager")
    row = dept("staff", "level", "S03", "--to", "senior", "--from", "2026-10-01", "--reason", "key account",
               "--approved-by", "G01", "--json", by="P01").json()
    assert row["approved_by"] == "G01" and base(dept, "2026-10") == "3000.00"


@pytest.mark.parametrize("args, by, rule", [
    (["S01", "--to", "junior"], "P01", "P1"),  # a demotion of two steps
    (["S03", "--to", "intermediate"], "L01", "P1"),  # a shift lead may not
    (["S03", "--to", "intermediate"], "S01", "P1"),
])
def test_p1_refusals_write_nothing(dept, args, by, rule):
    before = dept.total_rows()
    run = dept("staff", "level", *args, "--from", "2026-10-01", "--reason", "x", by=by, code=ExitStatus.REFUSED)
    assert run.err.startswith(f"refused ({rule}):")
    assert dept.total_rows() == before


@pytest.mark.parametrize("since", ["2026-10-15", "2026-09-20"])
def test_p1_never_into_a_closed_month(dept, since):
    """L2: a change dated in a closed month, or one that would change how a closed month pays."""
    dept("month", "close", "2026-10", by="P01")
    run = dept("staff", "level", "S03", "--to", "intermediate", "--from", since, "--reason", "x", by="P01",
               code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L2): 2026-10 is closed")
    dept("staff", "level", "S03", "--to", "intermediate", "--from", "2026-11-01", "--reason", "x", by="P01")


def test_p1_changes_follow_each_other_and_a_void_takes_one_back(dept):
    first = dept("staff", "level", "S03", "--to", "intermediate", "--from", "2026-09-01", "--reason", "x",
                 "--json", by="P01").json()
    run = dept("staff", "level", "S03", "--to", "senior", "--from", "2026-08-01", "--reason", "x", by="P01",
               code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("from: S03's level already changes on 2026-09-01")
    dept("staff", "level", "S03", "--to", "senior", "--from", "2026-10-01", "--reason", "x", by="P01")
    assert base(dept, "2026-10") == "3000.00"
    levels = dept("staff", "show", "S03", "--json").json()["levels"]
    assert [(lv["from"], lv["level"]) for lv in levels] == [("2025-01-01", "junior"), ("2026-09-01", "intermediate"),
                                                            ("2026-10-01", "senior")]
    run = dept("void", str(first["id"]), "--reason", "x", by="L01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L1):")
    dept("void", str(first["id"]), "--reason", "recorded early", by="P01")
    assert base(dept, "2026-09") == "2200.00"
    levels = dept("staff", "show", "S03", "--json").json()["levels"]
    assert [lv["voided_by"] is not None for lv in levels] == [False, True, False]
    assert dept("verify", "--json").json()["ok"] is True


def test_staff_change_still_refuses_a_level_change(dept):
    run = dept("staff", "change", "S03", "--level", "senior", "--from", "2026-10-01", "--reason", "x", by="P01",
               code=ExitStatus.BAD_INPUT)
    assert "P1" in run.err


# ----------------------------------------------------------------------------- P2, P3
def test_p2_p3_grades_titles_and_reviews_are_recorded_even_in_a_closed_month(dept):
    dept("month", "close", "2026-10", by="P01")
    grade = dept("staff", "grade", "S03", "--quarter", "2026-q4", "--grade", "a", "--json", by="P01").json()
    assert (grade["quarter"], grade["grade"]) == ("2026-Q4", "A")
    title = dept("staff", "title", "S02", "--on", "2026-10-15", "--note", "best answers", "--json", by="P01").json()
    assert title["on_date"] == "2026-10-15"
    review = dept("staff", "probation", "S04", "--passed", "--on", "2026-10-20", "--json", by="M01").json()
    assert review["passed"] is True
    failed = dept("staff", "probation", "S04", "--failed", "--on", "2026-10-21", by="P01")
    assert failed.out.startswith("recorded #") and "failed on 2026-10-21" in failed.out
    shown = dept("staff", "show", "S03", "--json").json()
    assert [(g["quarter"], g["grade"]) for g in shown["grades"]] == [("2026-Q4", "A")]
    assert "Quarterly grades" in dept("staff", "show", "S03").out
    assert dept("verify", "--json").json()["ok"] is True


def test_p2_one_grade_a_quarter_until_it_is_voided(dept):
    grade = dept("staff", "grade", "S03", "--quarter", "2026-Q3", "--grade", "B", "--json", by="P01").json()
    run = dept("staff", "grade", "S03", "--quarter", "2026-Q3", "--grade", "A", by="P01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith(f"quarter: S03 already has B for 2026-Q3 (#{grade['id']})")
    dept("void", str(grade["id"]), "--reason", "graded the wrong person", by="P01")
    dept("staff", "grade", "S03", "--quarter", "2026-Q3", "--grade", "A", by="P01")


@pytest.mark.parametrize("args, by, rule", [
    (["grade", "P01", "--quarter", "2026-Q3", "--grade", "A"], "M01", "P2"),  # a supervisor is not scored
    (["grade", "T01", "--quarter", "2026-Q3", "--grade", "A"], "P01", "P2"),  # nor is logistics
    (["grade", "S03", "--quarter", "2026-Q3", "--grade", "A"], "L01", "P2"),  # a shift lead may not grade
    (["grade", "S04", "--quarter", "2026-Q2", "--grade", "A"], "P01", "P2"),  # S04 was not there in Q2
    (["title", "M01", "--on", "2026-10-01"], "P01", "P3"),
    (["title", "S01", "--on", "2026-10-01"], "L01", "P3"),
    (["probation", "S04", "--passed", "--on", "2026-10-01"], "S01", "P3"),
])
def test_p2_p3_refusals_write_nothing(dept, args, by, rule):
    before = dept.total_rows()
    run = dept("staff", *args, by=by, code=ExitStatus.REFUSED)
    assert run.err.startswith(f"refused ({rule}):")
    assert dept.total_rows() == before


# ----------------------------------------------------------------------------- bad input (L4)
@pytest.mark.parametrize("args, field", [
    (["level", "S03", "--to", "chief", "--from", "2026-10-01", "--reason", "x"], "to"),  # an unknown level
    (["level", "S04", "--to", "junior", "--from", "2026-07-31", "--reason", "x"], "from"),  # before the hire date
    (["level", "S03", "--to", "junior", "--from", "2026-10-01", "--reason", "x"], "to"),  # already junior
    (["level", "S03", "--to", "intermediate", "--from", "2026-10-01"], "reason"),
    (["level", "S03", "--to", "intermediate", "--from", "2026-13-01", "--reason", "x"], "from"),
    (["level", "T01", "--to", "junior", "--from", "2026-10-01", "--reason", "x"], "staff"),  # no level in logistics
    (["level", "S03", "--to", "senior", "--from", "2026-10-01", "--reason", "x", "--approved-by", "X99"],
     "approved-by"),
    (["grade", "S03", "--quarter", "2026-Q3", "--grade", "D"], "grade"),  # a grade other than A/B/C
    (["grade", "S03", "--quarter", "2026-Q5", "--grade", "A"], "quarter"),  # no such quarter
    (["grade", "S03", "--quarter", "2026-10", "--grade", "A"], "quarter"),
    (["grade", "S03", "--quarter", "2099-Q1", "--grade", "A"], "quarter"),  # not begun
    (["title", "S03", "--on", "2099-01-01"], "on"),
    (["title", "S04", "--on", "2026-07-01"], "on"),  # before the hire date
    (["probation", "S04", "--on", "2026-10-01"], "passed"),  # neither --passed nor --failed
    (["probation", "S03", "--passed", "--on", "2026-10-01"], "staff"),  # S03 is junior
])
def test_bad_input_is_one_line_naming_the_field_and_writes_nothing(dept, args, field):
    before = dept.total_rows()
    run = dept("staff", *args, by="P01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith(f"{field}: ") and run.err.count("\n") == 1, run.err
    assert dept.total_rows() == before


@pytest.mark.parametrize("args, message", [
    ([], "as-of: no month is closed yet"),
    (["--as-of", "2026-13"], "as-of: '2026-13' is not a month"),
])
def test_review_needs_a_closed_month(dept, args, message):
    run = dept("review", *args, code=ExitStatus.BAD_INPUT)
    assert run.err.startswith(message)


# ----------------------------------------------------------------------------- the review on the demo's year
@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> str:
    return ledger_template(tmp_path_factory, "levels-demo", lambda cli: cli("demo", "--json").json()["month"])


@pytest.fixture
def demo(demo_template, cli) -> Cli:
    copy_ledger_file(demo_template[0], cli.db)
    cli.month = demo_template[1]  # type: ignore[attr-defined]
    return cli


def test_the_demo_year_has_someone_due_and_someone_on_each_watch(demo):
    people = {p["staff"]: p for p in demo("review", "--json").json()}
    assert set(people) == {"L01", "S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09", "S10"}
    for p in people.values():
        assert {"staff", "level", "next_level", "promotion_due", "conditions", "watch", "watch_months"} <= set(p)
        assert all(set(c) == {"condition", "holds", "detail"} for c in p["conditions"])
    assert {s for s, p in people.items() if p["promotion_due"]} == {"S08", "S10"}
    assert (people["S10"]["level"], people["S10"]["next_level"]) == ("intermediate", "senior")
    assert {s: p["watch"] for s, p in people.items() if p["watch"] != "none"} == {
        "S02": "demotion", "S03": "demotion", "S09": "dismissal"}
    last = Month.parse(demo.month)  # type: ignore[attr-defined]
    assert people["S09"]["watch_months"] == [str(last.prev().prev()), str(last.prev()), str(last)]
    # S08 passed probation, is due, and the promotion is recorded from the month after.
    shown = demo("staff", "show", "S08", "--json").json()
    assert [lv["level"] for lv in shown["levels"]] == ["probation", "junior"]
    assert shown["probation_reviews"][0]["passed"] is True


def test_the_review_reads_closed_months_only(demo):
    month = demo.month  # type: ignore[attr-defined]
    earlier = demo("review", "--as-of", "2026-01", "--json").json()
    assert all(not p["promotion_due"] for p in earlier if p["level"] != "probation")
    run = demo("review", "--as-of", "2027-06", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith(f"as-of: 2027-06 is not closed; the review reads closed months only (the last closed "
                              f"is {month})")
    demo("month", "reopen", month, "--reason", "a late to correct", by="M01")
    demo("review", "--as-of", month, code=ExitStatus.BAD_INPUT)
    before = next(p for p in earlier if p["staff"] == "S09")
    after = {p["staff"]: p for p in demo("review", "--json").json()}  # as of the month before, now the last closed
    assert after["S09"]["watch"] == "none" and before["watch"] == "none"  # two months at 2.5 are not three


def test_the_review_table_reads_on_80_columns(demo):
    run = demo("review", env={"COLUMNS": "80"})
    lines = run.out.splitlines()
    assert max(len(line) for line in lines) <= 80
    # Conditions fold between words, never inside a number, a month or a row id.
    words = {w.strip("(),;:") for line in lines for w in line.replace("│", " ").split()}
    for p in demo("review", "--json").json():
        for text in [c["detail"] for c in p["conditions"]]:
            for token in text.split():
                if any(ch.isdigit() for ch in token):
                    assert token.strip("(),;:") in words, token
    assert "✓ probation review: passed on" in run.out and "! dismissal watch (P6)" in run.out
    csv = demo("review", "--csv").out.splitlines()
    assert csv[0] == "staff,name,level,next_level,promotion_due,conditions,watch,watch_months"
    assert len(csv) == 12


def test_voiding_a_grade_changes_the_review(demo):
    s10 = next(p for p in demo("review", "--json").json() if p["staff"] == "S10")
    grade_row = int(next(c for c in s10["conditions"] if c["condition"] == "quarterly_grades")["detail"]
                    .split("(#")[1].split(")")[0])
    demo("void", str(grade_row), "--reason", "graded twice", by="M01")
    s10 = next(p for p in demo("review", "--json").json() if p["staff"] == "S10")
    assert not s10["promotion_due"]
