"""The rulebook's intent (docs/rules.md readings): part months, the base of customer service's
supervisors and managers, the managers' floor, returned orders."""

from __future__ import annotations

import pytest

from csctl.errors import ExitStatus


def _statement(cli, sid: str, month: str = "2026-10") -> dict:
    return next(s for s in cli("month", "statement", month, "--json").json() if s["staff"] == sid)


def _line(cli, sid: str, month: str = "2026-10") -> dict:
    return next(line for line in cli("month", "report", month, "--json").json() if line["staff"] == sid)


# ------------------------------------------------------------------ C6 part months
def test_C6_a_leaver_is_paid_the_days_active(dept):
    dept("staff", "leave", "S02", "--on", "2026-10-04", by="P01")  # active 1-3 October
    st = _statement(dept, "S02")
    # intermediate 2500.00 x 3/31 = 241.935 -> 241.94; allowance 300 x 3/31 = 29.032 -> 29.03
    assert (st["base"], st["allowance"], st["days_active"], st["days_in_month"]) == ("241.94", "29.03", 3, 31)


def test_C6_prorate_none_pays_whole_months(dept, tmp_path):
    policy = tmp_path / "p.toml"
    policy.write_text('[pay]\nprorate = "none"\n')
    dept("policy", "set", str(policy), "--from", "2026-10", by="M01")
    dept("staff", "leave", "S02", "--on", "2026-10-04", by="P01")
    st = _statement(dept, "S02")
    assert (st["base"], st["allowance"]) == ("2500.00", "300.00")


def test_C4_the_floor_is_prorated_too(dept):
    dept("staff", "add", "T09", "--name", "New Driver", "--dept", "logistics", "--rank", "staff",
         "--hired", "2026-10-17", by="P01")  # 15 of 31 days
    st = _statement(dept, "T09")
    assert st["guarantee_topup"] == "725.81"  # 1500.00 x 15/31 = 725.806


# ------------------------------------------------------------------ ranking of part months
@pytest.mark.parametrize("hired, ranked", [("2026-10-17", True), ("2026-10-18", False), ("2026-10-28", False)],
                         ids=["rank-15-days-ranked", "rank-14-days-unranked", "rank-joined-on-the-28th"])
def test_someone_active_fewer_than_rank_min_days_is_scored_not_ranked(dept, hired, ranked):
    dept("staff", "add", "S09", "--name", "New", "--dept", "customer_service", "--rank", "staff", "--level",
         "probation", "--hired", hired, by="P01")
    dept("log", "late", "S01", "--minutes", "5", "--at", "2026-10-05 09:05", by="L01")
    line = _line(dept, "S09")
    assert line["score"] == 10
    if ranked:
        assert line["rank"] == 1 and line["unranked"] is None
    else:
        assert line["rank"] is None and line["unranked"].startswith("active ")
        assert _line(dept, "S02")["rank"] == 1  # the first place is a full month's
        assert "not ranked: S09 (active" in dept("month", "report", "2026-10").out.replace("\n", " ")


# ------------------------------------------------------------------ C6 customer service's managers, C4 managers' floor
def test_C6_customer_service_supervisor_and_manager_are_paid_their_rank(dept):
    assert (_statement(dept, "P01")["base"], _statement(dept, "M01")["base"]) == ("4000.00", "5000.00")


def test_C4_a_logistics_manager_gets_the_higher_floor_from_the_first_month(dept):
    dept("staff", "add", "P09", "--name", "New Boss", "--dept", "logistics", "--rank", "supervisor",
         "--hired", "2026-10-01", by="M01")
    assert _statement(dept, "P09")["guarantee_topup"] == "2500.00"
    dept("staff", "add", "T09", "--name", "New Driver", "--dept", "logistics", "--rank", "staff",
         "--hired", "2026-10-01", by="M01")
    assert _statement(dept, "T09")["guarantee_topup"] == "1500.00"


# ------------------------------------------------------------------ C3 returned orders
def test_C3_a_returned_order_takes_one_back_and_orders_never_go_below_zero(dept):
    dept("sales", "add", "T01", "--amount", "0", "--orders", "3", "--at", "2026-10-03", by="P02")
    dept("sales", "add", "T01", "--amount", "-10", "--orders", "-1", "--at", "2026-10-04", by="P02")
    assert _statement(dept, "T01")["orders"] == 2
    dept("sales", "add", "T01", "--amount", "-10", "--orders", "-5", "--at", "2026-10-05", by="P02")
    assert _statement(dept, "T01")["orders"] == 0
    run = dept("sales", "add", "T01", "--amount", "10", "--orders", "-1", "--at", "2026-10-05", by="P02",
               code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("orders: '-1': only a return (a negative amount) takes orders back (C3)")


# ------------------------------------------------------------------ L5 corrections that reach forward
def test_L5_a_month_closed_again_marks_the_later_months_that_read_it_stale(dept):
    # S03 sits at or below the warning line in August, September and October: O3 in October.
    for month in ("2026-08", "2026-09", "2026-10"):
        dept("log", "awol", "S03", "--at", f"{month}-06", "--reason", "no leave", by="P01")
    for month in ("2026-08", "2026-09", "2026-10"):
        dept("month", "close", month, by="P01")
    assert _line(dept, "S03")["outcome"] == "severe"
    assert {r["month"]: r["state"] for r in dept("month", "status", "--json").json()}["2026-10"] == "closed"
    # September is corrected: the AWOL was a clock fault. October still says severe, read the old September.
    dept("month", "reopen", "2026-09", "--reason", "clock fault", by="M01")
    september = next(r for r in dept("log", "list", "--month", "2026-09", "--staff", "S03", "--json").json())
    dept("void", str(september["id"]), "--reason", "clock fault", by="P01")
    states = {r["month"]: r["state"] for r in dept("month", "status", "--json").json()}
    assert states["2026-09"] == "reopened" and states["2026-10"] == "closed"  # reopened is not yet closed again
    dept("month", "close", "2026-09", by="P01")
    states = {r["month"]: r for r in dept("month", "status", "--json").json()}
    assert states["2026-10"]["state"] == "stale" and states["2026-08"]["state"] == "closed"
    assert "2026-09 was closed again" in states["2026-10"]["stale"]
    line = _line(dept, "S03")
    assert line["stale"] is True and line["outcome"] == "severe" and "2026-09" in line["stale_because"]
    assert _statement(dept, "S03")["stale"] is True
    assert "STALE: 2026-09 was closed again" in dept("month", "report", "2026-10").out.replace("\n", " ")
    # Closing October again clears the mark, and October now reads the corrected September.
    dept("month", "reopen", "2026-10", "--reason", "September was corrected", by="M01")
    dept("month", "close", "2026-10", by="P01")
    line = _line(dept, "S03")
    assert "stale" not in line and line["outcome"] == "warning"  # O1: September no longer at the line
    assert {r["month"]: r["state"] for r in dept("month", "status", "--json").json()}["2026-10"] == "closed"


def test_L5_closing_again_with_the_same_scores_marks_nothing(dept):
    dept("month", "close", "2026-09", by="P01")
    dept("month", "close", "2026-10", by="P01")
    dept("month", "reopen", "2026-09", "--reason", "look again", by="M01")
    dept("month", "close", "2026-09", by="P01")
    assert {r["month"]: r["state"] for r in dept("month", "status", "--json").json()}["2026-10"] == "closed"


# ------------------------------------------------------------------ D1 leaving early, D5 approval dates and length
def test_D1_leaving_early_counts_like_a_late_arrival(dept):
    run = dept("log", "early-leave", "S01", "--minutes", "20", "--at", "2026-10-05 17:40", by="L01")
    assert "(D1: 0.5 points)" in run.out
    run = dept("log", "early-leave", "S01", "--minutes", "45", "--at", "2026-10-06 17:15", by="L01")
    assert "(D2: over 30 minutes: counts as an absence, 2 points)" in run.out
    assert _line(dept, "S01")["score"] == 7.5


@pytest.mark.parametrize("approved_on, ok", [("2026-10-05", True), ("2026-10-09", True), ("2026-10-10", False)],
                         ids=["D5-approved-before", "D5-approved-on-its-own-day", "D5-approved-after-refused"])
def test_D5_an_approval_comes_in_advance(dept, approved_on, ok):
    args = ["log", "dayoff", "S01", "--approved-by", "P01", "--approved-on", approved_on, "--at", "2026-10-09"]
    if ok:
        assert dept(*args, "--json", by="L01").json()["approved_on"] == approved_on
    else:
        run = dept(*args, by="L01", code=ExitStatus.REFUSED)
        assert run.err.startswith("refused (D5): approved on 2026-10-10, after the first day") and "log awol S01" in run.err


def test_D5_a_leave_of_several_days_is_one_use_of_the_quota(dept):
    dept("log", "leave", "S02", "--approved-by", "P01", "--at", "2026-10-05", "--until", "2026-10-09", by="L01")
    row = dept("log", "list", "--staff", "S02", "--json").json()[0]
    assert row["until"] == "2026-10-09" and row["effect"] == "quota use 1 of 4 (5 days, to 2026-10-09): no points"
    spared = _line(dept, "S02")["not_deducted"]
    assert spared == [{"rule": "D5", "count": 1, "note": "quota used 1 of 4", "rows": [row["id"]], "days": 5}]
    assert "to 2026-10-09" in dept("log", "list", "--staff", "S02").out
    run = dept("log", "leave", "S02", "--approved-by", "P01", "--at", "2026-10-12", "--until", "2026-10-11", by="L01",
               code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("until: 2026-10-11 is before the first day")
    run = dept("log", "absent", "S02", "--at", "2026-10-12", "--until", "2026-10-13", by="L01", code=ExitStatus.BAD_INPUT)
    assert "No such option" in run.err or run.err.startswith("until:")


def test_early_leave_approved_on_and_until_in_an_import(dept, tmp_path):
    path = tmp_path / "clock.csv"
    path.write_text("date,staff,kind,minutes,approved_by,approved_on,until\n"
                    "2026-10-05 17:40,S01,early-leave,20,,,\n"
                    "2026-10-09,S02,leave,,P01,2026-10-01,2026-10-10\n", encoding="utf-8")
    dept("log", "import", str(path), by="P01")
    rows = dept("log", "list", "--json").json()
    assert [(r["kind"], r["until"], r["approved_on"]) for r in rows] == [
        ("early-leave", None, None), ("leave", "2026-10-10", "2026-10-01")]
    assert dept("verify", "--json").json()["ok"] is True


@pytest.mark.parametrize("change", ["until = '2026-10-20'", "approved_on = '2026-10-01'"],
                         ids=["late-value-changed", "late-null-filled"])
def test_verify_sees_a_late_column_changed(dept, change):
    import sqlite3

    leave = dept("log", "leave", "S02", "--approved-by", "P01", "--at", "2026-10-05", "--until", "2026-10-09", "--json",
                 by="L01").json()
    with sqlite3.connect(dept.db) as conn:
        conn.execute("DROP TRIGGER events_no_update")
        conn.execute(f"UPDATE events SET {change} WHERE id = ?", (leave["id"],))
    run = dept("verify", code=ExitStatus.REFUSED)
    assert run.err.startswith("verify failed (L1):") and "altered" in run.err


# ------------------------------------------------------------------ L7 one clock
@pytest.mark.parametrize("typed, month", [("2026-11-01T07:00+08:00", "2026-10"), ("2026-10-31T22:00-05:00", "2026-11")],
                         ids=["L7-east-offset-read-in-utc", "L7-west-offset-read-in-utc"])
def test_L7_every_time_is_read_on_the_departments_clock(dept, tmp_path, typed, month):
    policy = tmp_path / "utc.toml"
    policy.write_text('timezone = "UTC"\n')
    dept("policy", "set", str(policy), "--from", "2026-01", by="M01")
    row = dept("log", "absent", "S01", "--at", typed, "--json", by="L01").json()
    assert row["at"][:7] == month and row["at"].endswith("+00:00")
    assert [r["id"] for r in dept("log", "list", "--month", month, "--json").json()] == [row["id"]]
    naive = dept("log", "absent", "S02", "--at", "2026-10-20 09:00", "--json", by="L01").json()
    assert naive["at"] == "2026-10-20T09:00:00+00:00"  # typed without an offset: the department's zone


def test_L7_a_zone_the_policy_cannot_name_is_refused(dept, tmp_path):
    policy = tmp_path / "bad.toml"
    policy.write_text('timezone = "Mars/Olympus"\n')
    run = dept("policy", "set", str(policy), "--from", "2026-12", by="M01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("policy timezone:")
