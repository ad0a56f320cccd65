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
