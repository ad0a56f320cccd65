"""H5, H6 and D4's left-post, pure: each rule named and broken in a table of cases (rules/duty.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from csctl.errors import RuleViolation
from csctl.models import Staff
from csctl.rules import duty as rules

T = datetime(2026, 10, 5, 18, 0, tzinfo=timezone.utc)
LEAD = Staff("L01", "Wang Fang", "customer_service", "shift_lead", "senior", date(2023, 1, 1))
S01 = Staff("S01", "Li Na", "customer_service", "staff", "senior", date(2024, 1, 1))
S02 = Staff("S02", "Zhang Wei", "customer_service", "staff", "intermediate", date(2024, 6, 1))
MANAGER = Staff("M01", "Chen Hui", "customer_service", "manager", hired=date(2021, 1, 1))
OTHER_MANAGER = Staff("M02", "He Ping", "security", "manager", hired=date(2021, 1, 1))
SUPERVISOR = Staff("P01", "Xu Lan", "customer_service", "supervisor", hired=date(2022, 1, 1))
GM = Staff("G01", "Zhou Jian", "operations", "general_manager", hired=date(2020, 1, 1))


def rule_of(problem):
    return problem.rule if isinstance(problem, RuleViolation) else ("input", problem.field) if problem else None


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


# ----------------------------------------------------------------------------- H5 duties


def test_h5_spells_pair_each_end_with_the_start_before_it():
    rows = [(3, "end", T + hours(4)), (1, "start", T), (5, "start", T + hours(24)), (9, "end", T + hours(30))]
    assert rules.spells(rows) == [rules.Spell(1, T, 3, T + hours(4)), rules.Spell(5, T + hours(24), 9, T + hours(30))]
    assert rules.spells([(1, "start", T)]) == [rules.Spell(1, T)]


CLOSED = [rules.Spell(1, T, 2, T + hours(4))]
OPEN = [rules.Spell(1, T)]


@pytest.mark.parametrize("case, check, kwargs, expected", [
    ("a duty starts", "start", {}, None),
    ("a shift lead starts it for them", "start", {"recorder": LEAD}, None),
    ("a colleague starts it for them", "start", {"recorder": S02}, "H5"),
    ("already on duty", "start", {"held": OPEN, "at": T + hours(1)}, "H5"),
    ("inside a duty already recorded", "start", {"held": CLOSED, "at": T + hours(1)}, "H5"),
    ("before a later duty", "start", {"held": CLOSED, "at": T - hours(1)}, ("input", "at")),
    ("a duty ends", "end", {"held": OPEN, "at": T + hours(4)}, None),
    ("a duty end without a start", "end", {}, "H5"),
    ("a duty end after the duty ended", "end", {"held": CLOSED, "at": T + hours(5)}, "H5"),
    ("a duty ends before it began", "end", {"held": OPEN, "at": T - hours(1)}, ("input", "at")),
    ("a note on duty", "note", {"held": OPEN, "at": T + hours(2)}, None),
    ("a note within a duty that has ended", "note", {"held": CLOSED, "at": T + hours(2)}, None),
    ("a note off duty", "note", {"held": CLOSED, "at": T + hours(6)}, "H5"),
    ("a colleague writes their log", "note", {"held": OPEN, "recorder": S02}, "H5"),
])
def test_h5_who_is_on_duty_from_when_to_when(case, check, kwargs, expected):
    fn = {"start": rules.check_start, "end": rules.check_end, "note": rules.check_note}[check]
    args = {"person": S01, "recorder": S01, "at": T, "held": [], **kwargs}
    assert rule_of(fn(**args)) == expected, case


def reporting(**kwargs):
    args = {"note": 11, "major": True, "earlier": None, "author": S01, "recorder": S01, "noted": T,
            "at": T + hours(15), **kwargs}
    return rules.check_report(**args)


@pytest.mark.parametrize("case, kwargs, expected", [
    ("the report of a major incident", {}, None),
    ("a shift lead records it for them", {"recorder": LEAD}, None),
    ("a report for a note that was not major", {"major": False}, "H5"),
    ("a second report", {"earlier": 12}, "H5"),
    ("a colleague files it for them", {"recorder": S02}, "H5"),
    ("before the incident", {"at": T - hours(1)}, ("input", "at")),
])
def test_h5_a_major_incident_has_one_written_report(case, kwargs, expected):
    assert rule_of(reporting(**kwargs)) == expected, case


def test_h5_the_report_is_due_the_next_day_and_overdue_after():
    noted = date(2026, 10, 5)
    assert rules.report_due(noted, 1) == date(2026, 10, 6)
    assert not rules.is_overdue(noted, 1, date(2026, 10, 6))
    assert rules.is_overdue(noted, 1, date(2026, 10, 7))
    assert rules.is_overdue(noted, 0, date(2026, 10, 6))


# ----------------------------------------------------------------------------- H6 swaps

SWAP_DAY = date(2026, 10, 8)


def swapping(**kwargs):
    args = {"person": S01, "other": S02, "approver": MANAGER, "day": SWAP_DAY, "at": T, "earlier": None, **kwargs}
    return rules.check_swap(**args)


@pytest.mark.parametrize("case, kwargs, expected", [
    ("arranged in advance with the customer-service manager", {}, None),
    ("arranged the evening before", {"at": datetime(2026, 10, 7, 23, 59, tzinfo=timezone.utc)}, None),
    ("a swap with oneself", {"other": S01}, ("input", "with")),
    ("a swap without a manager", {"approver": None}, "H6"),
    ("approved by a supervisor", {"approver": SUPERVISOR}, "H6"),
    ("approved by another department's manager", {"approver": OTHER_MANAGER}, "H6"),
    ("approved by the general manager", {"approver": GM}, "H6"),
    ("after the day has started", {"at": datetime(2026, 10, 8, 7, 0, tzinfo=timezone.utc)}, "H6"),
    ("a second swap that day", {"earlier": 40}, "H6"),
    ("the manager approves their own swap", {"person": MANAGER, "approver": MANAGER}, "H6"),
    ("the colleague has left by then", {"other": S02._replace(left=date(2026, 10, 8))}, "H6"),
    ("the manager had left when approving", {"approver": MANAGER._replace(left=date(2026, 10, 1))}, "H6"),
])
def test_h6_a_swap_is_arranged_in_advance_with_the_managers_approval(case, kwargs, expected):
    assert rule_of(swapping(**kwargs)) == expected, case


def test_d4_h6_a_post_left_on_a_day_of_an_approved_swap_is_no_awol():
    assert rules.left_post_covered("S01", SWAP_DAY, []) is None
    problem = rules.left_post_covered("S01", SWAP_DAY, [41])
    assert problem.rule == "H6" and "#41" in problem.message and "D4" in problem.message
