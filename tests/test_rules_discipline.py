"""The monthly 10-point score, as rules.md states it (D1-D10, O1-O3), on the pure rule functions.

No database: events, staff and months are built here and handed to csctl.rules.discipline with
the shipped default policy. Each table reads like the rulebook; every test id names its rule.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from csctl.errors import InputError, RuleViolation
from csctl.models import Event, Month, Staff
from csctl.policy import default_policy
from csctl.rules.discipline import (
    EventRequest,
    check_approver,
    check_event,
    competition_ranks,
    deductions,
    is_scored,
    outcome,
    score_month,
    tier_points,
)

POLICY = default_policy()
DISC = POLICY.discipline
OUTCOMES = POLICY.outcomes
TZ = timezone(timedelta(hours=8))
MONTH = Month(2026, 10)  # every event below happens in October 2026


# ----------------------------------------------------------------------------- builders
def D(text: str | int) -> Decimal:
    return Decimal(str(text))


def at(day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=TZ)


def ev(id: int, kind: str, day: int, *, staff: str = "S01", hour: int = 9, **kw) -> Event:
    """A recorded event of October 2026: row `id`, `kind` on `day` at `hour`."""
    return Event(id=id, kind=kind, staff=staff, at=at(day, hour), **kw)


def late(id, day, minutes, **kw):
    return ev(id, "late", day, minutes=minutes, **kw)


def leave(id, day, **kw):
    return ev(id, "leave", day, approved_by="M01", **kw)


def dayoff(id, day, **kw):
    return ev(id, "dayoff", day, approved_by="M01", **kw)


def forgot(id, day, **kw):
    return ev(id, "forgot-signin", day, **kw)


def offline(id, day, excused=False, **kw):
    return ev(id, "offline", day, excused=excused, reason="network down" if excused else None, **kw)


def slow(id, day, source="customer", **kw):
    return ev(id, "complaint", day, complaint="slow", source=source, **kw)


def attitude(id, day, **kw):
    return ev(id, "complaint", day, complaint="attitude", source="customer", **kw)


def person(id: str, rank: str = "staff", *, dept: str = "customer_service", level: str | None = "junior",
           hired: date | None = date(2025, 1, 1), left: date | None = None) -> Staff:
    if dept != "customer_service":
        level = None
    return Staff(id=id, name=f"Name {id}", dept=dept, rank=rank, level=level, hired=hired, left=left)


def taken_of(events):
    """The deductions of one person's month, as (rule, count, points, rows)."""
    taken, _, _ = deductions(events, DISC)
    for d in taken:
        assert isinstance(d.points, Decimal)
    return [(d.rule, d.count, d.points, d.rows) for d in taken]


def spared_of(events):
    """The rows listed without points, as (rule, count, points, rows, note)."""
    _, spared, _ = deductions(events, DISC)
    return [(d.rule, d.count, d.points, d.rows, d.note) for d in spared]


def line_of(events, who: Staff | None = None):
    """The one score line of a single scored person."""
    who = who or person("S01")
    (line,) = score_month(MONTH, [who], events, POLICY)
    return line


# ------------------------------------------------------------------- D1-D10 deductions
DEDUCTION_CASES = [
    # D1 / D2: lates
    pytest.param([late(1, 5, 30)], [("D1", 1, D("0.5"), (1,))], id="D1-late-30-minutes-is-0.5"),
    pytest.param([late(1, 5, 1)], [("D1", 1, D("0.5"), (1,))], id="D1-late-1-minute-is-0.5"),
    pytest.param([late(1, 5, 10), late(2, 6, 30), late(3, 7, 5)], [("D1", 3, D("1.5"), (1, 2, 3))],
                 id="D1-three-short-lates-0.5-each"),
    pytest.param([late(1, 5, 31)], [("D2", 1, D(2), (1,))], id="D2-late-31-minutes-is-one-absence-2"),
    pytest.param([late(1, 5, 31), late(2, 6, 30)], [("D1", 1, D("0.5"), (2,)), ("D2", 1, D(2), (1,))],
                 id="D1-D2-late-30-and-31-split"),
    pytest.param([late(1, 5, 240), late(2, 9, 45)], [("D2", 2, D(4), (1, 2))], id="D2-two-long-lates-2-each"),
    # D3: absence
    pytest.param([ev(1, "absent", 5)], [("D3", 1, D(2), (1,))], id="D3-one-absence-2"),
    pytest.param([ev(1, "absent", 5), ev(2, "absent", 6), ev(3, "absent", 7)], [("D3", 3, D(6), (1, 2, 3))],
                 id="D3-three-absences-2-each"),
    # D4: AWOL and leaving the post, 5 each, one rule
    pytest.param([ev(1, "awol", 5)], [("D4", 1, D(5), (1,))], id="D4-awol-5"),
    pytest.param([ev(1, "left-post", 5)], [("D4", 1, D(5), (1,))], id="D4-left-post-5"),
    pytest.param([ev(1, "left-post", 9), ev(2, "awol", 5)], [("D4", 2, D(10), (2, 1))],
                 id="D4-awol-and-left-post-5-each-in-time-order"),
    # D5: quota of 4 (leave, dayoff, forgot-signin), each beyond the 4th is an absence (2)
    pytest.param([leave(1, 2), dayoff(2, 3), forgot(3, 4), leave(4, 5)], [], id="D5-quota-4-mixed-no-points"),
    pytest.param([leave(1, 20), dayoff(2, 3), forgot(3, 5), leave(4, 7), dayoff(5, 9)],
                 [("D5", 1, D(2), (1,))], id="D5-5th-in-time-order-not-id-order-is-2"),
    pytest.param([leave(1, 20), dayoff(2, 3), forgot(3, 5), leave(4, 7), dayoff(5, 9), forgot(6, 1)],
                 [("D5", 2, D(4), (5, 1))], id="D5-6-quota-rows-the-two-last-4-points"),
    pytest.param([forgot(1, 2), forgot(2, 3), forgot(3, 4), forgot(4, 5), forgot(5, 6)],
                 [("D5", 1, D(2), (5,))], id="D5-forgot-signin-alone-draws-on-quota"),
    # D6: offline, excused not counted, highest tier once
    pytest.param([offline(1, 2), offline(2, 3)], [], id="D6-offline-2-is-0"),
    pytest.param([offline(1, 2), offline(2, 3), offline(3, 4)], [("D6", 3, D(5), (1, 2, 3))], id="D6-offline-3-is-5"),
    pytest.param([offline(i, i) for i in range(1, 7)], [("D6", 6, D(5), (1, 2, 3, 4, 5, 6))],
                 id="D6-offline-6-is-5-highest-tier-once"),
    pytest.param([offline(1, 2), offline(2, 3, excused=True), offline(3, 4)], [],
                 id="D6-offline-3-with-one-excused-is-0"),
    pytest.param([offline(1, 2), offline(2, 3, excused=True), offline(3, 4), offline(4, 5)],
                 [("D6", 3, D(5), (1, 3, 4))], id="D6-offline-4-with-one-excused-counts-3-is-5"),
    # D7: slow complaints, from customer or colleague
    pytest.param([slow(1, 2), slow(2, 3, "colleague")], [], id="D7-slow-2-is-0"),
    pytest.param([slow(1, 2), slow(2, 3, "colleague"), slow(3, 4)], [("D7", 3, D(5), (1, 2, 3))],
                 id="D7-slow-3-customer-and-colleague-is-5"),
    pytest.param([slow(1, 2, "colleague"), slow(2, 3, "colleague"), slow(3, 4, "colleague")],
                 [("D7", 3, D(5), (1, 2, 3))], id="D7-slow-3-from-colleagues-is-5"),
    pytest.param([slow(i, i) for i in range(1, 5)], [("D7", 4, D(5), (1, 2, 3, 4))], id="D7-slow-4-is-5"),
    pytest.param([slow(i, i, "colleague" if i % 2 else "customer") for i in range(1, 6)],
                 [("D7", 5, D(10), (1, 2, 3, 4, 5))], id="D7-slow-5-is-10"),
    # D8: attitude complaints from customers, 1 each, reaching 3: 5 in all, reaching 5: 10 in all
    pytest.param([attitude(1, 2)], [("D8", 1, D(1), (1,))], id="D8-attitude-1-is-1"),
    pytest.param([attitude(1, 2), attitude(2, 3)], [("D8", 2, D(2), (1, 2))], id="D8-attitude-2-is-2"),
    pytest.param([attitude(i, i) for i in range(1, 4)], [("D8", 3, D(5), (1, 2, 3))], id="D8-attitude-3-is-5"),
    pytest.param([attitude(i, i) for i in range(1, 5)], [("D8", 4, D(5), (1, 2, 3, 4))], id="D8-attitude-4-is-5"),
    pytest.param([attitude(i, i) for i in range(1, 6)], [("D8", 5, D(10), (1, 2, 3, 4, 5))],
                 id="D8-attitude-5-is-10"),
    pytest.param([attitude(1, 2), attitude(2, 3),
                  ev(3, "complaint", 4, complaint="attitude", source="colleague")],
                 [("D8", 2, D(2), (1, 2))], id="D8-attitude-from-colleague-never-counts"),
    pytest.param([attitude(1, 2), attitude(2, 3), slow(3, 4), slow(4, 5)],
                 [("D8", 2, D(2), (1, 2))], id="D7-D8-slow-and-attitude-counted-apart"),
    # D9: unfinished work, the supervisor's choice of points
    pytest.param([ev(1, "unfinished", 2, points=D("0.5"))], [("D9", 1, D("0.5"), (1,))], id="D9-unfinished-0.5"),
    pytest.param([ev(1, "unfinished", 2, points=D(1))], [("D9", 1, D(1), (1,))], id="D9-unfinished-1"),
    pytest.param([ev(1, "unfinished", 2, points=D(0))], [], id="D9-unfinished-0-verbal-criticism"),
    pytest.param([ev(1, "unfinished", 2, points=D("0.5")), ev(2, "unfinished", 3, points=D(1))],
                 [("D9", 2, D("1.5"), (1, 2))], id="D9-unfinished-points-add-up"),
    # D10: a referral takes no points
    pytest.param([ev(1, "refer", 2, reason="rude again")], [], id="D10-refer-no-points"),
]


@pytest.mark.parametrize("events, expected", DEDUCTION_CASES)
def test_deductions_by_rule(events, expected):
    assert taken_of(events) == expected


SPARED_CASES = [
    pytest.param([leave(1, 2), dayoff(2, 3), forgot(3, 4)],
                 [("D5", 3, D(0), (1, 2, 3), "quota used 3 of 4")], id="D5-quota-3-listed-as-used"),
    pytest.param([leave(1, 2), dayoff(2, 3), forgot(3, 4), leave(4, 5)],
                 [("D5", 4, D(0), (1, 2, 3, 4), "quota used 4 of 4")], id="D5-quota-4-listed-as-used"),
    pytest.param([leave(1, 20), dayoff(2, 3), forgot(3, 5), leave(4, 7), dayoff(5, 9)],
                 [("D5", 4, D(0), (2, 3, 4, 5), "quota used 4 of 4")], id="D5-5-first-four-in-time-order-listed"),
    pytest.param([offline(1, 2), offline(2, 3)],
                 [("D6", 2, D(0), (1, 2), "2 below the tier of 3")], id="D6-offline-2-listed-below-tier"),
    pytest.param([offline(1, 2), offline(2, 3, excused=True), offline(3, 4)],
                 [("D6", 2, D(0), (1, 3), "2 below the tier of 3"), ("D6", 1, D(0), (2,), "excused")],
                 id="D6-excused-listed-apart"),
    pytest.param([slow(1, 2), slow(2, 3, "colleague")],
                 [("D7", 2, D(0), (1, 2), "2 below the tier of 3")], id="D7-slow-2-listed-below-tier"),
    pytest.param([ev(1, "unfinished", 2, points=D(0))],
                 [("D9", 1, D(0), (1,), "verbal criticism")], id="D9-unfinished-0-listed-verbal-criticism"),
    pytest.param([ev(1, "refer", 2, reason="rude again")], [], id="D10-refer-not-a-deduction-row"),
]


@pytest.mark.parametrize("events, expected", SPARED_CASES)
def test_rows_listed_without_points(events, expected):
    assert spared_of(events) == expected


def test_D10_refer_is_listed_in_referrals():
    events = [ev(1, "refer", 2, reason="rude again"), late(2, 3, 5), ev(3, "refer", 20, reason="again")]
    _, _, referrals = deductions(events, DISC)
    assert referrals == [1, 3]
    line = line_of(events)
    assert line.referred is True
    assert line.referrals == (1, 3)
    assert line.score == D("9.5")  # only the late (D1) took points


def test_D10_no_refer_not_referred():
    line = line_of([late(1, 3, 5)])
    assert line.referred is False
    assert line.referrals == ()


# ------------------------------------------------------------------------ tier_points
@pytest.mark.parametrize("tiers_name, count, points", [
    pytest.param("offline_tiers", 0, D(0), id="D6-tier-0"),
    pytest.param("offline_tiers", 2, D(0), id="D6-tier-2-below"),
    pytest.param("offline_tiers", 3, D(5), id="D6-tier-3-reached"),
    pytest.param("offline_tiers", 6, D(5), id="D6-tier-6-highest-once"),
    pytest.param("slow_complaint_tiers", 2, D(0), id="D7-tier-2-below"),
    pytest.param("slow_complaint_tiers", 3, D(5), id="D7-tier-3"),
    pytest.param("slow_complaint_tiers", 4, D(5), id="D7-tier-4"),
    pytest.param("slow_complaint_tiers", 5, D(10), id="D7-tier-5"),
    pytest.param("slow_complaint_tiers", 9, D(10), id="D7-tier-9-highest-once"),
    pytest.param("attitude_tiers", 2, D(0), id="D8-tier-2-below"),
    pytest.param("attitude_tiers", 3, D(5), id="D8-tier-3"),
    pytest.param("attitude_tiers", 5, D(10), id="D8-tier-5"),
])
def test_tier_points(tiers_name, count, points):
    assert tier_points(count, getattr(DISC, tiers_name)) == points


# ------------------------------------------------------------------------- the score
SCORE_CASES = [
    pytest.param([], D(10), D(10), id="no-events-scores-10"),
    pytest.param([late(1, 2, 30)], D("9.5"), D("9.5"), id="D1-late-30-scores-9.5"),
    pytest.param([late(1, 2, 31)], D(8), D(8), id="D2-late-31-scores-8"),
    pytest.param([ev(1, "absent", 2)], D(8), D(8), id="D3-absence-scores-8"),
    pytest.param([ev(1, "awol", 2)], D(5), D(5), id="D4-awol-scores-5"),
    pytest.param([ev(1, "awol", 2), ev(2, "awol", 3), ev(3, "absent", 4)], D(0), D(-2),
                 id="D3-D4-two-awol-one-absence-raw-minus-2-floored-0"),
    pytest.param([ev(1, "awol", 2), ev(2, "left-post", 3)], D(0), D(0), id="D4-two-awol-exactly-0"),
    pytest.param([leave(i, i) for i in range(1, 7)], D(6), D(6), id="D5-six-quota-rows-scores-6"),
    pytest.param([offline(i, i) for i in range(1, 7)], D(5), D(5), id="D6-six-offline-scores-5"),
    pytest.param([attitude(i, i) for i in range(1, 6)] + [slow(i, i) for i in range(6, 11)], D(0), D(-10),
                 id="D7-D8-both-top-tiers-raw-minus-10"),
    pytest.param([late(1, 2, 10), late(2, 3, 40), ev(3, "unfinished", 4, points=D("0.5")), attitude(4, 5)],
                 D(6), D(6), id="D1-D2-D8-D9-mixed-scores-6"),
]


@pytest.mark.parametrize("events, score, raw", SCORE_CASES)
def test_score_month_score_and_raw(events, score, raw):
    line = line_of(events)
    assert (line.score, line.raw_score) == (score, raw)
    assert isinstance(line.score, Decimal) and isinstance(line.raw_score, Decimal)


def test_score_month_report_lists_rules_and_rows():
    events = [late(1, 2, 30), late(2, 3, 31), ev(3, "awol", 4), leave(4, 5), ev(5, "refer", 6, reason="r")]
    line = line_of(events)
    assert [(d.rule, d.count, d.points, d.rows) for d in line.deductions] == [
        ("D1", 1, D("0.5"), (1,)),
        ("D2", 1, D(2), (2,)),
        ("D4", 1, D(5), (3,)),
    ]
    assert [(d.rule, d.rows, d.note) for d in line.not_deducted] == [("D5", (4,), "quota used 1 of 4")]
    assert line.raw_score == D("2.5")
    assert line.outcome == "warning"
    assert line.referrals == (5,)


def test_score_month_only_counts_the_months_events_of_each_person():
    events = [
        ev(1, "awol", 2, staff="S02"),  # someone else's
        Event(id=2, kind="awol", staff="S01", at=datetime(2026, 9, 30, 9, tzinfo=TZ)),  # last month
        Event(id=3, kind="awol", staff="S01", at=datetime(2026, 11, 1, 9, tzinfo=TZ)),  # next month
        late(4, 31, 10),
    ]
    line = line_of(events)
    assert line.score == D("9.5")
    assert [d.rows for d in line.deductions] == [(4,)]


# ------------------------------------------------------------------------ scored staff
SCORED_CASES = [
    pytest.param(person("S01"), True, id="cs-staff-scored"),
    pytest.param(person("S01", "shift_lead"), True, id="cs-shift-lead-scored"),
    pytest.param(person("S01", level="probation"), True, id="cs-probation-scored"),
    pytest.param(person("S01", level="senior"), True, id="cs-senior-scored"),
    pytest.param(person("S01", level="reserve_supervisor"), False, id="reserve-supervisor-level-not-scored"),
    pytest.param(person("S01", "shift_lead", level="reserve_supervisor"), False,
                 id="reserve-supervisor-shift-lead-not-scored"),
    pytest.param(person("S01", "supervisor"), False, id="cs-supervisor-not-scored"),
    pytest.param(person("S01", "manager"), False, id="cs-manager-not-scored"),
    pytest.param(person("S01", "general_manager"), False, id="general-manager-not-scored"),
    pytest.param(person("X01", dept="security"), False, id="security-staff-not-scored"),
    pytest.param(person("X01", "shift_lead", dept="logistics"), False, id="logistics-shift-lead-not-scored"),
    pytest.param(person("S01", hired=date(2026, 11, 1)), False, id="hired-after-the-month-not-scored"),
    pytest.param(person("S01", hired=date(2026, 10, 31)), True, id="hired-on-last-day-scored"),
    pytest.param(person("S01", hired=date(2026, 10, 15)), True, id="hired-mid-month-scored"),
    pytest.param(person("S01", left=date(2026, 10, 1)), False, id="left-on-first-day-not-scored"),
    pytest.param(person("S01", left=date(2026, 9, 20)), False, id="left-before-the-month-not-scored"),
    pytest.param(person("S01", left=date(2026, 10, 2)), True, id="left-on-second-day-scored"),
    pytest.param(person("S01", hired=None), True, id="no-hire-date-scored"),
]


@pytest.mark.parametrize("who, scored", SCORED_CASES)
def test_is_scored(who, scored):
    assert is_scored(who, MONTH) is scored


def test_score_month_lists_only_scored_staff_and_they_start_at_10():
    people = [
        person("S01"),
        person("S02", "shift_lead"),
        person("S03", level="reserve_supervisor"),
        person("M01", "supervisor"),
        person("X01", dept="security"),
        person("S04", hired=date(2026, 11, 1)),
        person("S05", left=date(2026, 10, 1)),
    ]
    events = [ev(1, "awol", 2, staff="S03"), ev(2, "awol", 3, staff="X01")]
    lines = score_month(MONTH, people, events, POLICY)
    assert [(ln.staff, ln.score, ln.rank, ln.outcome, ln.deductions) for ln in lines] == [
        ("S01", D(10), 1, "none", ()),
        ("S02", D(10), 1, "none", ()),
    ]


# ------------------------------------------------------------------------ O1-O3 outcome
OUTCOME_CASES = [
    pytest.param("10", [], "none", id="O1-10-none"),
    pytest.param("5.5", [], "none", id="O1-5.5-none"),
    pytest.param("5.0", [], "warning", id="O1-5.0-warning"),
    pytest.param("5", [], "warning", id="O1-5-warning"),
    pytest.param("2.5", [], "warning", id="O1-O2-2.5-warning"),
    pytest.param("2.0", [], "punishment", id="O2-2.0-punishment"),
    pytest.param("0", [], "punishment", id="O2-0-punishment"),
    pytest.param("5", ["5", "5"], "severe", id="O3-three-months-at-5-severe"),
    pytest.param("4", ["3", "0"], "severe", id="O3-three-months-below-5-severe"),
    pytest.param("2", ["5", "4.5"], "severe", id="O3-severe-replaces-O2-punishment"),
    pytest.param("0", ["0", "0"], "severe", id="O3-three-months-at-0-severe"),
    pytest.param("5", ["5", "5", "10"], "severe", id="O3-only-the-two-months-before-count"),
    pytest.param("5", ["5", None], "warning", id="O3-earlier-month-not-scored-not-severe"),
    pytest.param("5", [None, "5"], "warning", id="O3-last-month-not-scored-not-severe"),
    pytest.param("5", ["5.5", "5"], "warning", id="O3-last-month-5.5-not-severe"),
    pytest.param("5", ["5", "5.5"], "warning", id="O3-month-before-last-5.5-not-severe"),
    pytest.param("5", ["10", "5", "5"], "warning", id="O3-latest-first-not-in-a-row"),
    pytest.param("2", ["5", None], "punishment", id="O2-when-O3-broken-by-unscored-month"),
    pytest.param("5", ["5"], "warning", id="O3-only-one-earlier-month-not-severe"),
    pytest.param("5.5", ["5", "5"], "none", id="O3-this-month-5.5-none"),
]


@pytest.mark.parametrize("score, earlier, expected", OUTCOME_CASES)
def test_outcome(score, earlier, expected):
    assert outcome(D(score), [None if s is None else D(s) for s in earlier], OUTCOMES) == expected


def test_O3_score_month_uses_earlier_scores_latest_first():
    people = [person("S01"), person("S02"), person("S03")]
    events = [ev(1, "awol", 2, staff=s) for s in ("S01", "S02", "S03")]  # 5 each
    earlier = {"S01": [D(5), D(4)], "S02": [D(4), None], "S03": [D("5.5"), D(5)]}
    lines = score_month(MONTH, people, events, POLICY, earlier)
    assert {ln.staff: ln.outcome for ln in lines} == {"S01": "severe", "S02": "warning", "S03": "warning"}


# ------------------------------------------------------------------------------ ranks
@pytest.mark.parametrize("scores, ranks", [
    pytest.param(["10", "8", "8", "5"], [1, 2, 2, 4], id="ranks-1-2-2-4"),
    pytest.param(["8", "10", "5", "8"], [2, 1, 4, 2], id="ranks-unsorted-input-keeps-order"),
    pytest.param(["7", "7", "7"], [1, 1, 1], id="ranks-all-equal"),
    pytest.param(["9.5", "9", "10"], [2, 3, 1], id="ranks-distinct"),
    pytest.param(["10", "10", "9", "9", "8"], [1, 1, 3, 3, 5], id="ranks-two-ties"),
    pytest.param([], [], id="ranks-empty"),
])
def test_competition_ranks(scores, ranks):
    assert competition_ranks([D(s) for s in scores]) == ranks


def test_score_month_ranks_share_equal_scores_in_rank_order():
    people = [person(f"S0{i}") for i in range(1, 5)]
    events = [
        late(1, 2, 10, staff="S01"),  # 9.5
        ev(2, "absent", 2, staff="S02"),  # 8
        ev(3, "absent", 3, staff="S03"),  # 8
    ]
    lines = score_month(MONTH, people, events, POLICY)
    assert [(ln.staff, ln.score, ln.rank) for ln in lines] == [
        ("S04", D(10), 1),
        ("S01", D("9.5"), 2),
        ("S02", D(8), 3),
        ("S03", D(8), 3),
    ]


def test_score_month_equal_floored_scores_share_rank_whatever_raw():
    people = [person("S01"), person("S02"), person("S03")]
    events = [
        ev(1, "awol", 2, staff="S01"), ev(2, "awol", 3, staff="S01"), ev(3, "absent", 4, staff="S01"),  # raw -2
        ev(4, "awol", 2, staff="S02"), ev(5, "awol", 3, staff="S02"),  # raw 0
        late(6, 2, 5, staff="S03"),  # 9.5
    ]
    lines = score_month(MONTH, people, events, POLICY)
    assert [(ln.staff, ln.score, ln.raw_score, ln.rank) for ln in lines] == [
        ("S03", D("9.5"), D("9.5"), 1),
        ("S01", D(0), D(-2), 2),
        ("S02", D(0), D(0), 2),
    ]


# ---------------------------------------------------------------------- check_event
STAFF = person("S01")
LEAD = person("L01", "shift_lead")
OTHER_STAFF = person("S02")
SUP = person("M01", "supervisor")
MGR = person("M02", "manager")
GM = person("G01", "general_manager", dept="admin")
SEC_MGR = person("X01", "manager", dept="security")
SEC_GM = person("X02", "general_manager", dept="security")
ALL = {p.id: p for p in (STAFF, LEAD, OTHER_STAFF, SUP, MGR, GM, SEC_MGR, SEC_GM)}


def req(kind: str, day: int = 5, **kw) -> EventRequest:
    return EventRequest(kind=kind, staff=kw.pop("staff", "S01"), at=at(day), **kw)


def check(request: EventRequest, *, recorder: str = "M01", staff: str | None = None):
    subject = ALL[staff or request.staff]
    approver = ALL.get(request.approved_by) if request.approved_by else None
    return check_event(request, staff=subject, recorder=ALL[recorder], approver=approver, policy=POLICY)


ACCEPTED = [
    pytest.param(req("late", minutes=1), "M01", id="D1-late-1-minute-accepted"),
    pytest.param(req("late", minutes=30), "L01", id="D1-late-by-shift-lead-accepted"),
    pytest.param(req("late", minutes=31), "M01", id="D2-late-31-accepted"),
    pytest.param(req("absent"), "M01", id="D3-absent-accepted"),
    pytest.param(req("awol"), "M01", id="D4-awol-accepted"),
    pytest.param(req("left-post"), "L01", id="D4-left-post-accepted"),
    pytest.param(req("leave", approved_by="M01"), "L01", id="D5-leave-approved-by-supervisor-accepted"),
    pytest.param(req("dayoff", approved_by="M02"), "M01", id="D5-dayoff-approved-by-manager-accepted"),
    pytest.param(req("leave", approved_by="G01"), "M01", id="D5-leave-approved-by-gm-of-other-dept-accepted"),
    pytest.param(req("leave", approved_by="X02"), "M01", id="D5-leave-approved-by-security-gm-accepted"),
    pytest.param(req("forgot-signin"), "M01", id="D5-forgot-signin-needs-no-approver"),
    pytest.param(req("offline"), "M01", id="D6-offline-accepted"),
    pytest.param(req("offline", excused=True, reason="power cut"), "M01", id="D6-excused-with-reason-accepted"),
    pytest.param(req("complaint", complaint="slow", source="customer"), "M01", id="D7-slow-from-customer-accepted"),
    pytest.param(req("complaint", complaint="slow", source="colleague"), "L01", id="D7-slow-from-colleague-accepted"),
    pytest.param(req("complaint", complaint="attitude", source="customer"), "M01",
                 id="D8-attitude-from-customer-accepted"),
    pytest.param(req("unfinished", points=D(0)), "M01", id="D9-unfinished-0-accepted"),
    pytest.param(req("unfinished", points=D("0.5")), "M01", id="D9-unfinished-0.5-accepted"),
    pytest.param(req("unfinished", points=D(1)), "M01", id="D9-unfinished-1-accepted"),
    pytest.param(req("refer", reason="rude after correction"), "M02", id="D10-refer-with-reason-accepted"),
    pytest.param(req("absent", staff="L01"), "M01", id="D3-against-a-shift-lead-accepted"),
]


@pytest.mark.parametrize("request_, recorder", ACCEPTED)
def test_check_event_accepts(request_, recorder):
    assert check(request_, recorder=recorder) is None


# (request, recorder, error type, rule or field, words the message must contain)
REFUSED = [
    pytest.param(req("late", minutes=10), "S02", RuleViolation, "D1", "shift lead or above",
                 id="D1-recorder-staff-below-shift-lead-refused"),
    pytest.param(req("absent"), "S02", RuleViolation, "D3", "shift lead or above",
                 id="D3-recorder-below-shift-lead-refused"),
    pytest.param(req("complaint", complaint="attitude", source="customer"), "S02", RuleViolation, "D8",
                 "shift lead or above", id="D8-recorder-below-shift-lead-refused"),
    pytest.param(req("awol", staff="L01"), "L01", RuleViolation, "D4", "against themselves",
                 id="D4-recording-against-oneself-refused"),
    pytest.param(req("late", minutes=5, staff="M01"), "G01", RuleViolation, "D1", "customer-service staff",
                 id="D1-a-manager-is-not-scored-refused"),
    pytest.param(req("absent", staff="M02"), "G01", RuleViolation, "D3", "customer-service staff",
                 id="D3-a-manager-is-not-scored-refused"),
    pytest.param(req("late", minutes=5, staff="L01"), "L01", RuleViolation, "D1", "against themselves",
                 id="D1-shift-lead-recording-own-late-refused"),
    pytest.param(req("leave"), "M01", RuleViolation, "D5", "csctl log awol S01",
                 id="D5-leave-without-approver-refused-says-log-awol"),
    pytest.param(req("dayoff"), "M01", RuleViolation, "D5", "csctl log awol S01",
                 id="D5-dayoff-without-approver-refused-says-log-awol"),
    pytest.param(req("leave", staff="S01", approved_by="S01"), "M01", RuleViolation, "D5", "own leave",
                 id="D5-approver-is-the-staff-member-refused"),
    pytest.param(req("leave", approved_by="L01"), "M01", RuleViolation, "D5", "supervisor or above",
                 id="D5-approver-shift-lead-below-supervisor-refused"),
    pytest.param(req("dayoff", approved_by="S02"), "M01", RuleViolation, "D5", "supervisor or above",
                 id="D5-approver-staff-below-supervisor-refused"),
    pytest.param(req("leave", approved_by="X01"), "M01", RuleViolation, "D5", "security",
                 id="D5-approver-manager-of-other-department-refused"),
    pytest.param(req("leave", approved_by="Z99"), "M01", RuleViolation, "D5", "not on the staff list",
                 id="D5-approver-unknown-refused"),
    pytest.param(req("late", minutes=0), "M01", InputError, "minutes", "D1", id="D1-late-0-minutes-refused"),
    pytest.param(req("late"), "M01", InputError, "minutes", "D1", id="D1-late-without-minutes-refused"),
    pytest.param(req("late", minutes=24 * 60 + 1), "M01", InputError, "minutes", "D1",
                 id="D1-late-over-a-day-refused"),
    pytest.param(req("offline", excused=True), "M01", InputError, "reason", "D6",
                 id="D6-excused-offline-without-reason-refused"),
    pytest.param(req("offline", excused=True, reason="   "), "M01", InputError, "reason", "D6",
                 id="D6-excused-offline-blank-reason-refused"),
    pytest.param(req("complaint", complaint="attitude", source="colleague"), "M01", RuleViolation, "D8",
                 "customer", id="D8-attitude-from-colleague-refused"),
    pytest.param(req("complaint", complaint="rude", source="customer"), "M01", InputError, "kind", "D7",
                 id="D7-D8-unknown-complaint-kind-refused"),
    pytest.param(req("complaint", complaint="slow", source="boss"), "M01", InputError, "source", "D7",
                 id="D7-unknown-complaint-source-refused"),
    pytest.param(req("unfinished", points=D("0.7")), "M01", InputError, "points", "D9",
                 id="D9-unfinished-0.7-refused"),
    pytest.param(req("unfinished", points=D(2)), "M01", InputError, "points", "D9", id="D9-unfinished-2-refused"),
    pytest.param(req("unfinished"), "M01", InputError, "points", "D9", id="D9-unfinished-without-points-refused"),
    pytest.param(req("refer"), "M01", InputError, "reason", "D10", id="D10-refer-without-reason-refused"),
]


@pytest.mark.parametrize("request_, recorder, error, rule_or_field, words", REFUSED)
def test_check_event_refuses(request_, recorder, error, rule_or_field, words):
    problem = check(request_, recorder=recorder)
    assert type(problem) is error
    if error is RuleViolation:
        assert problem.rule == rule_or_field
    else:
        assert problem.field == rule_or_field
    assert words in problem.message


def test_check_event_refuses_a_day_the_staff_member_was_not_active():
    gone = person("S09", left=date(2026, 10, 5))
    problem = check_event(req("absent", day=6, staff="S09"), staff=gone, recorder=SUP, approver=None, policy=POLICY)
    assert isinstance(problem, InputError) and problem.field == "at"


# ------------------------------------------------------------------- check_approver
@pytest.mark.parametrize("subject, approver_id, fragment", [
    pytest.param(STAFF, None, "csctl log awol S01", id="D5-no-approver-is-awol"),
    pytest.param(STAFF, "S01", "cannot approve their own", id="D5-self-approval"),
    pytest.param(MGR, "M02", "cannot approve their own", id="D5-manager-self-approval"),
    pytest.param(STAFF, "L01", "supervisor or above", id="D5-shift-lead-approver"),
    pytest.param(STAFF, "X01", "customer_service", id="D5-other-department-manager"),
    pytest.param(STAFF, "M01", None, id="D5-supervisor-of-department-ok"),
    pytest.param(STAFF, "M02", None, id="D5-manager-of-department-ok"),
    pytest.param(STAFF, "G01", None, id="D5-general-manager-ok"),
    pytest.param(STAFF, "X02", None, id="D5-general-manager-of-any-department-ok"),
])
def test_check_approver(subject, approver_id, fragment):
    approver = ALL.get(approver_id) if approver_id else None
    problem = check_approver(subject, approver, approver_id, date(2026, 10, 5))
    if fragment is None:
        assert problem is None
    else:
        assert problem is not None and fragment in problem


def test_D5_approver_not_active_refused():
    gone = person("M05", "supervisor", left=date(2026, 10, 1))
    problem = check_approver(STAFF, gone, "M05", date(2026, 10, 5))
    assert problem is not None and "not active" in problem


# ----------------------------------------------------------- every rule id is tested
def test_every_rule_id_appears_in_a_test_id():
    ids = " ".join(
        p.id for table in (DEDUCTION_CASES, SPARED_CASES, SCORE_CASES, SCORED_CASES, OUTCOME_CASES,
                           ACCEPTED, REFUSED) for p in table
    )
    for rule in [f"D{i}" for i in range(1, 11)] + ["O1", "O2", "O3"]:
        assert f"{rule}-" in ids, rule
