"""rules/authority.py (L6): who may do what, as a table of cases.

Each check returns None when the person may, else a RuleViolation naming the rule given
(L6 when none is given) and saying who and why.
"""

from __future__ import annotations

from datetime import date

import pytest

from csctl.errors import ExitStatus, RuleViolation
from csctl.models import Staff
from csctl.rules import authority

G01 = Staff("G01", "Zhou", "operations", "general_manager", hired=date(2020, 1, 1))
M01 = Staff("M01", "Chen", "customer_service", "manager", hired=date(2021, 1, 1))
P01 = Staff("P01", "Xu", "customer_service", "supervisor", hired=date(2022, 1, 1))
L01 = Staff("L01", "Wang", "customer_service", "shift_lead", "senior", hired=date(2023, 1, 1))
S01 = Staff("S01", "Li", "customer_service", "staff", "junior", hired=date(2024, 1, 1))
K01 = Staff("K01", "Lin", "security", "staff", hired=date(2024, 1, 1))
GONE = Staff("P09", "Ma", "customer_service", "supervisor", hired=date(2022, 1, 1), left=date(2026, 10, 1))
DAY = date(2026, 10, 5)


@pytest.mark.parametrize("check, rule, fragment", [
    pytest.param(lambda: authority.rank_at_least(P01, "supervisor", "closing a month"), None, None,
                 id="L6-rank-exactly-ok"),
    pytest.param(lambda: authority.rank_at_least(G01, "supervisor", "closing a month"), None, None,
                 id="L6-rank-above-ok"),
    pytest.param(lambda: authority.rank_at_least(L01, "supervisor", "closing a month"), "L6",
                 "closing a month needs a supervisor or above; L01 is a shift lead", id="L6-rank-below"),
    pytest.param(lambda: authority.rank_at_least(S01, "supervisor", "entering a bonus", "C5"), "C5",
                 "needs a supervisor or above; S01 is a staff", id="C5-rank-names-its-rule"),
    pytest.param(lambda: authority.rank_is(G01, "general_manager", "the approver"), None, None,
                 id="L6-rank-is-ok"),
    pytest.param(lambda: authority.rank_is(M01, "general_manager", "the approver", "C5"), "C5",
                 "the approver is the general manager; M01 is a manager", id="C5-rank-is-other"),
    pytest.param(lambda: authority.in_department(K01, ["security"], "a witness"), None, None,
                 id="L6-department-ok"),
    pytest.param(lambda: authority.in_department(S01, ["security", "engineering"], "a witness", "K5"), "K5",
                 "a witness must be of security or engineering; S01 is in customer service",
                 id="K5-department-other"),
    pytest.param(lambda: authority.active_on(P01, DAY, "approver"), None, None, id="L6-active-ok"),
    pytest.param(lambda: authority.active_on(GONE, DAY, "approver"), "L6",
                 "approver P09 was not active on 2026-10-05 (left on 2026-10-01)", id="L6-left-before"),
    pytest.param(lambda: authority.active_on(S01, date(2023, 12, 31), "borrower"), "L6",
                 "hired on 2024-01-01", id="L6-not-yet-hired"),
    pytest.param(lambda: authority.active_on(GONE, date(2026, 9, 30), "approver"), None, None,
                 id="L6-active-on-the-last-day"),
    pytest.param(lambda: authority.not_self(L01, S01, "records an event against"), None, None,
                 id="L6-not-self-ok"),
    pytest.param(lambda: authority.not_self(L01, "L01", "records an event against", "D1"), "D1",
                 "nobody records an event against themselves (L01)", id="D1-self"),
    pytest.param(lambda: authority.distinct([("witness", S01), ("witness", K01), ("approver", M01)]), None, None,
                 id="L6-distinct-ok"),
    pytest.param(lambda: authority.distinct([("first witness", S01), ("second witness", S01)], "K5"), "K5",
                 "S01 cannot be both first witness and second witness", id="K5-same-person-twice"),
    pytest.param(lambda: authority.first(None, authority.rank_at_least(S01, "manager", "x"),
                                         authority.rank_at_least(S01, "supervisor", "y")), "L6",
                 "x needs a manager", id="L6-first-refusal-wins"),
])
def test_authority(check, rule, fragment):
    refusal = check()
    if rule is None:
        assert refusal is None
        return
    assert isinstance(refusal, RuleViolation)
    assert refusal.rule == rule and fragment in refusal.message
    assert refusal.status == ExitStatus.REFUSED and refusal.line().startswith(f"refused ({rule}): ")


# ------------------------------------------------------------------ L6 across the nouns (issue 14)
def test_D9_points_and_D10_referrals_are_a_supervisors(dept):
    for args in (["unfinished", "S01", "--points", "1"], ["refer", "S01", "--reason", "rude again"]):
        run = dept("log", *args, "--at", "2026-10-05", by="L01", code=ExitStatus.REFUSED)
        rule = "D9" if args[0] == "unfinished" else "D10"
        assert run.err.startswith(f"refused ({rule}):") and "needs a supervisor or above" in run.err
        dept("log", *args, "--at", "2026-10-05", by="P01")


def test_a_recorder_and_an_approver_are_active_on_the_day(dept):
    # L02 joins on 2026-10-10: a shift lead from then, not before.
    dept("staff", "add", "L02", "--name", "New Lead", "--dept", "customer_service", "--rank", "shift_lead",
         "--level", "junior", "--hired", "2026-10-10", by="P01")
    run = dept("log", "absent", "S01", "--at", "2026-10-05", by="L02", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L6): the recorder L02 was not active on 2026-10-05")
    dept("log", "absent", "S01", "--at", "2026-10-12", by="L02")
    run = dept("sales", "add", "S01", "--amount", "10", "--at", "2026-10-05", by="L02", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L6): the recorder L02 was not active")
    # A general manager who left on 2026-09-01 does not approve a bonus dated 2026-10-10.
    dept("staff", "add", "G02", "--name", "Old Boss", "--dept", "operations", "--rank", "general_manager",
         "--hired", "2020-01-01", by="P01")
    dept("staff", "leave", "G02", "--on", "2026-09-01", by="P01")
    run = dept("sales", "bonus", "S01", "--amount", "100", "--reason", "x", "--approved-by", "G02",
               "--at", "2026-10-10", by="P01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L6): the approver G02 was not active on 2026-10-10")


def test_voiding_needs_the_rank_of_the_approval_the_row_carried(dept):
    bonus = dept("sales", "bonus", "S01", "--amount", "100", "--reason", "x", "--approved-by", "G01",
                 "--at", "2026-10-10", "--json", by="P01").json()
    run = dept("void", str(bonus["id"]), "--reason", "x", by="M01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L1): voiding a row approved by G01 needs a general manager or above")
    dept("void", str(bonus["id"]), "--reason", "x", by="G01")
    leave = dept("log", "leave", "S01", "--approved-by", "M01", "--at", "2026-10-11", "--json", by="L01").json()
    run = dept("void", str(leave["id"]), "--reason", "x", by="P01", code=ExitStatus.REFUSED)
    assert "approved by M01 needs a manager or above" in run.err
    dept("void", str(leave["id"]), "--reason", "x", by="M01")


def test_voiding_a_level_skip_needs_the_general_manager_who_approved_it(dept):
    row = dept("staff", "level", "S03", "--to", "senior", "--from", "2026-11-01", "--reason", "outstanding work",
               "--approved-by", "G01", "--json", by="P01").json()
    run = dept("void", str(row["id"]), "--reason", "x", by="M01", code=ExitStatus.REFUSED)
    assert "approved by G01 needs a general manager or above" in run.err
    dept("void", str(row["id"]), "--reason", "x", by="G01")
