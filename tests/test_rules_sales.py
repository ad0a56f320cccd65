"""rules/sales.py: the one check of a sale (C1), run by `sales add` and by each (date, seller)
pair of `sales import`, and the check of a special commission (C5)."""

from __future__ import annotations

from datetime import date

import pytest

from csctl.errors import InputError, RuleViolation
from csctl.models import Staff
from csctl.rules.sales import check_bonus, check_sale, order_count

S01 = Staff("S01", "Li", "customer_service", "staff", "junior", hired=date(2024, 1, 1))
L01 = Staff("L01", "Wang", "customer_service", "shift_lead", "senior", hired=date(2023, 1, 1))
P01 = Staff("P01", "Xu", "customer_service", "supervisor", hired=date(2022, 1, 1))
G01 = Staff("G01", "Zhou", "operations", "general_manager", hired=date(2020, 1, 1))
GONE = Staff("S09", "Ma", "customer_service", "staff", "junior", hired=date(2024, 1, 1), left=date(2026, 10, 10))
STAFF = {p.id: p for p in (S01, L01, P01, G01, GONE)}
TODAY = date(2026, 11, 20)


@pytest.mark.parametrize("seller, day, recorder, closed, expect", [
    pytest.param("S01", date(2026, 11, 3), "L01", (), None, id="C1-sale-ok"),
    pytest.param("S01", date(2026, 11, 21), "L01", (), (InputError, "at", "in the future"), id="C1-future"),
    pytest.param("X99", date(2026, 11, 3), "L01", (), (InputError, "staff", "not on the staff list"),
                 id="C1-unknown-seller"),
    pytest.param("S09", date(2026, 10, 10), "L01", (), (InputError, "staff", "not active on 2026-10-10"),
                 id="C1-seller-gone-that-day"),
    pytest.param("S09", date(2026, 10, 9), "L01", (), None, id="C1-seller-last-day-ok"),
    pytest.param("L01", date(2026, 11, 3), "L01", (), (RuleViolation, "C1", "nobody records a sale of their own"),
                 id="C1-own-sale"),
    pytest.param("S01", date(2026, 10, 3), "L01", ("2026-10",), (RuleViolation, "L2", "2026-10 is closed"),
                 id="L2-closed-month"),
])
def test_check_sale(seller, day, recorder, closed, expect):
    problem = check_sale(seller=STAFF.get(seller), seller_id=seller, day=day, recorder=STAFF[recorder], today=TODAY,
                         closed=closed)
    if expect is None:
        assert problem is None
        return
    kind, where, fragment = expect
    assert isinstance(problem, kind) and fragment in problem.message
    assert (problem.rule if isinstance(problem, RuleViolation) else problem.field) == where


@pytest.mark.parametrize("person, approver, recorder, day, closed, expect", [
    pytest.param(S01, G01, P01, date(2026, 11, 3), (), None, id="C5-ok"),
    pytest.param(S01, None, P01, date(2026, 11, 3), (), ("C5", "once the general manager approves"),
                 id="C5-no-approver"),
    pytest.param(S01, P01, P01, date(2026, 11, 3), (), ("C5", "is the general manager; P01 is a supervisor"),
                 id="C5-approver-not-gm"),
    pytest.param(P01, G01, P01, date(2026, 11, 3), (), ("C5", "for themselves (P01)"), id="C5-enters-own"),
    pytest.param(G01, G01, P01, date(2026, 11, 3), (), ("C5", "for themselves (G01)"), id="C5-approves-own"),
    pytest.param(S01, G01, P01, date(2026, 10, 3), ("2026-10",), ("L2", "2026-10 is closed"), id="L2-bonus-closed"),
    pytest.param(GONE, G01, P01, date(2026, 11, 3), (), ("staff", "not active"), id="C5-person-gone"),
])
def test_check_bonus(person, approver, recorder, day, closed, expect):
    problem = check_bonus(person=person, approver=approver, recorder=recorder, day=day, today=TODAY, closed=closed)
    if expect is None:
        assert problem is None
        return
    where, fragment = expect
    assert problem is not None and fragment in problem.message
    assert getattr(problem, "rule", None) == where or getattr(problem, "field", None) == where


@pytest.mark.parametrize("text, cents, expect", [
    ("", 100, 1), ("", -100, 0), (" 3 ", 100, 3), ("0", 0, 0), ("1000000", 0, 1_000_000),
    ("1000001", 0, None), ("-1", 0, None), ("1.5", 0, None), ("٣", 0, None),
])
def test_order_count(text, cents, expect):
    if expect is None:
        with pytest.raises(InputError):
            order_count(text, cents)
    else:
        assert order_count(text, cents) == expect
