"""P1-P6 as tables of cases: each rule named and broken at the boundaries issue 13 names (2 vs 3
months of service, a top-three tie, a B grade between two A grades, three months out of the
top three that are not consecutive, a skip without the general manager, a change from the
1st vs the 2nd)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from csctl.errors import InputError, RuleViolation
from csctl.models import Month, Quarter, Staff
from csctl.rules import levels as P

GM = Staff("G01", "Zhou", "operations", "general_manager", hired=date(2020, 1, 1))
MGR = Staff("M01", "Chen", "customer_service", "manager", hired=date(2021, 1, 1))
SUP = Staff("P01", "Xu", "customer_service", "supervisor", level="senior", hired=date(2022, 1, 1))


def cs(level: str, hired: date = date(2025, 1, 1), **kw) -> Staff:
    return Staff("S01", "Li", "customer_service", "staff", level=level, hired=hired, **kw)


def change(person: Staff, to: str, since: date = date(2026, 10, 1), recorder: Staff = SUP,
           approver: Staff | None = None, latest: P.LevelEntry | None = None):
    return P.check_level_change(person=person, to=to, since=since, recorder=recorder, approver=approver,
                                latest_change=latest)


# ----------------------------------------------------------------------------- P1
@pytest.mark.parametrize("person, to, kw, expected", [
    pytest.param(cs("junior"), "intermediate", {}, None, id="P1-one-step-up"),
    pytest.param(cs("intermediate"), "junior", {}, None, id="P1-one-step-down"),
    pytest.param(cs("junior"), "senior", {}, "P1", id="P1-skip-without-the-general-manager"),
    pytest.param(cs("junior"), "senior", {"approver": GM}, None, id="P1-skip-approved-by-the-general-manager"),
    pytest.param(cs("junior"), "senior", {"approver": MGR}, "P1", id="P1-skip-approved-by-a-manager"),
    pytest.param(cs("probation"), "reserve_supervisor", {"approver": GM}, None, id="P1-long-skip-approved"),
    pytest.param(cs("senior"), "junior", {"approver": GM}, "P1", id="P1-demotion-of-two-steps"),
    pytest.param(SUP._replace(id="P02"), "reserve_supervisor", {}, None, id="P1-a-supervisor-s-level"),
    pytest.param(SUP, "reserve_supervisor", {}, "P1", id="P1-never-one-s-own"),
    pytest.param(cs("junior"), "senior", {"approver": GM._replace(left=date(2026, 9, 1))}, "P1",
                 id="P1-approver-not-active"),
    pytest.param(cs("junior", hired=date(2026, 10, 1)), "intermediate", {}, None, id="P1-from-the-hire-date"),
    pytest.param(cs("junior", hired=date(2026, 10, 2)), "intermediate", {}, "from", id="L4-before-the-hire-date"),
    pytest.param(cs("junior"), "junior", {}, "to", id="L4-the-same-level"),
    pytest.param(cs("junior"), "chief", {}, "to", id="L4-an-unknown-level"),
    pytest.param(cs("junior", left=date(2026, 10, 1)), "intermediate", {}, "from", id="L4-after-leaving"),
    pytest.param(Staff("T01", "Ma", "logistics", "staff", hired=date(2025, 1, 1)), "junior", {}, "staff",
                 id="L4-no-level-outside-customer-service"),
    pytest.param(cs("junior"), "intermediate", {"latest": P.LevelEntry(date(2026, 10, 1), "junior", 9)}, "from",
                 id="L4-on-the-day-of-the-last-change"),
    pytest.param(cs("junior"), "intermediate", {"latest": P.LevelEntry(date(2026, 9, 30), "junior", 9)}, None,
                 id="P1-the-day-after-the-last-change"),
])
def test_p1_level_changes(person, to, kw, expected):
    found = change(person, to, **kw)
    if expected is None:
        assert found is None
    elif expected.startswith("P"):
        assert isinstance(found, RuleViolation) and found.rule == expected, found
    else:
        assert isinstance(found, InputError) and found.field == expected, found


def test_p1_a_skip_says_what_it_needs():
    found = change(cs("junior"), "senior")
    assert "general manager" in found.message and "junior -> intermediate" in found.message


@pytest.mark.parametrize("since, first", [
    (date(2026, 3, 1), Month(2026, 3)),  # from the 1st: that month is paid at the new level
    (date(2026, 3, 2), Month(2026, 4)),  # from the 2nd: the next month is
    (date(2026, 12, 15), Month(2027, 1)),
    (None, None),
])
def test_p1_a_level_counts_from_the_first_month_whose_first_day_it_holds(since, first):
    assert P.first_month_at(since) == first


# ----------------------------------------------------------------------------- P2, P3
@pytest.mark.parametrize("text, expected", [("A", "A"), ("b", "B"), (" c ", "C"), ("D", None), ("A+", None),
                                            ("", None)])
def test_p2_a_grade_is_a_b_or_c(text, expected):
    if expected is None:
        with pytest.raises(InputError) as err:
            P.grade_letter(text)
        assert err.value.field == "grade"
    else:
        assert P.grade_letter(text) == expected


@pytest.mark.parametrize("text, ok", [("2026-Q1", True), ("2026-q4", True), ("2026-Q5", False), ("2026-Q0", False),
                                      ("2026Q1", False), ("26-Q1", False), ("2026-10", False)])
def test_p2_a_quarter_is_yyyy_qn(text, ok):
    if ok:
        assert str(Quarter.parse(text)) == text.upper()
    else:
        with pytest.raises(ValueError):
            Quarter.parse(text)


@pytest.mark.parametrize("rule", ["P2", "P3"])
def test_p2_p3_scored_staff_only_never_oneself(rule):
    person = cs("junior")
    assert P.check_subject(person=person, recorder=SUP, scored=True, rule=rule, doing="x", when="") is None
    assert P.check_subject(person=person, recorder=SUP, scored=False, rule=rule, doing="x", when="").rule == rule
    assert P.check_subject(person=person, recorder=person, scored=True, rule=rule, doing="x", when="").rule == rule


# ----------------------------------------------------------------------------- P4-P6
AS_OF = Month(2026, 9)


def line(score: str, rank: int | None = 1, warned: bool | None = None, close: int = 1) -> P.MonthLine:
    value = Decimal(score)
    return P.MonthLine(value, rank, value <= 5 if warned is None else warned, close)


def months_of(table: dict[str, list[str | None]], end: Month = AS_OF) -> dict[Month, dict[str, P.MonthLine]]:
    """{staff: [score or None, ...]} for the months ending with `end`; ranks as a month ranks them."""
    length = len(next(iter(table.values())))
    span = P.months_ending(end, length)
    out: dict[Month, dict[str, P.MonthLine]] = {}
    for i, m in enumerate(span):
        scores = {sid: Decimal(v[i]) for sid, v in table.items() if v[i] is not None}
        out[m] = {sid: P.MonthLine(s, 1 + sum(1 for o in scores.values() if o > s), s <= 5, 100 + i)
                  for sid, s in scores.items()}
    return out


def person(level: str, *, hired: date = date(2024, 1, 1), since: date | None = date(2024, 1, 1),
           grades: dict[str, str] | None = None, titles: tuple[date, ...] = (),
           reviews: tuple[tuple[date, bool], ...] = (), staff: str = "S01") -> P.Person:
    return P.Person(staff, "Li", level, since, hired,
                    tuple(P.Grade(Quarter.parse(q), g, 10 + i) for i, (q, g) in enumerate((grades or {}).items())),
                    tuple(P.Dated(d, 50 + i) for i, d in enumerate(titles)),
                    tuple(P.Dated(d, 60 + i, ok) for i, (d, ok) in enumerate(reviews)))


def holds(p: P.Person, months, name: str) -> bool:
    _, found = P.conditions(p, AS_OF, months)
    return {c.condition: c.holds for c in found}[name]


OTHERS = {"S02": ["10", "10", "10"], "S03": ["9", "9", "9"], "S04": ["8", "8", "8"]}


@pytest.mark.parametrize("mine, expected", [
    pytest.param(["10", "10", "10"], True, id="P4-first"),
    pytest.param(["9", "9", "9"], True, id="P4-tied-third-with-S03"),
    pytest.param(["8", "8", "8"], False, id="P4-tied-fifth-with-S04"),
    pytest.param(["10", "10", "7"], True, id="P4-mean-9-ties-S03"),
    pytest.param(["10", "10", "6.5"], False, id="P4-mean-8.83-fourth"),
    pytest.param([None, "10", "10"], False, id="P4-not-scored-every-month"),
])
def test_p4_top_three_by_mean_score_ties_share(mine, expected):
    months = months_of({"S01": mine, **OTHERS, "S05": ["9.5", "9.5", "9.5"]})
    # Means: S02 10, S05 9.5, S03 9: a tie at 3rd puts four people in, a 4th place is out.
    assert P.top_three("S01", P.months_ending(AS_OF, 3), months).holds is expected


def test_p4_a_top_three_tie_lets_more_than_three_in():
    months = months_of({"S01": ["9", "9", "9"], "S02": ["10", "10", "10"], "S03": ["10", "10", "10"],
                        "S04": ["9", "9", "9"], "S05": ["8", "8", "8"]})
    ranks = {sid: P.top_three(sid, P.months_ending(AS_OF, 3), months) for sid in ("S01", "S04", "S05")}
    assert ranks["S01"].holds and ranks["S04"].holds and "rank 3 of 5" in ranks["S01"].detail
    assert not ranks["S05"].holds and "rank 5 of 5" in ranks["S05"].detail


def test_p4_a_month_not_closed_fails_the_top_three_and_is_named():
    months = months_of({"S01": ["10", "10", "10"], **OTHERS})
    del months[Month(2026, 8)]
    found = P.top_three("S01", P.months_ending(AS_OF, 3), months)
    assert not found.holds and "2026-08" in found.detail and "not closed" in found.detail


@pytest.mark.parametrize("hired, expected", [
    pytest.param(date(2026, 7, 1), True, id="P4-3-months-of-service"),
    pytest.param(date(2026, 7, 2), False, id="P4-2-months-and-some-days"),
    pytest.param(None, False, id="P4-no-hire-date"),
])
def test_p4_junior_needs_3_full_months_of_service(hired, expected):
    p = person("junior", hired=hired, since=hired)
    assert holds(p, months_of({"S01": ["10", "10", "10"], **OTHERS}), "service") is expected


def test_p4_service_months_count_like_c4():
    assert P.service_months(date(2026, 1, 1), date(2026, 4, 1)) == 3
    assert P.service_months(date(2026, 1, 2), date(2026, 4, 1)) == 2
    assert P.service_months(date(2026, 5, 1), date(2026, 4, 1)) == 0


def test_p4_junior_due_with_everything_and_not_without_the_a():
    months = months_of({"S01": ["10", "10", "10"], **OTHERS})
    due = person("junior", grades={"2026-Q3": "A"})
    found = P.review(AS_OF, [due], months)[0]
    assert found.next_level == "intermediate" and found.promotion_due
    assert [c.condition for c in found.conditions] == ["top_three", "quarterly_grades", "service"]
    no_a = person("junior", grades={"2026-Q2": "A", "2026-Q3": "B"})  # Q2 ended before the three months
    assert not P.review(AS_OF, [no_a], months)[0].promotion_due


@pytest.mark.parametrize("grades, expected", [
    pytest.param({"2026-Q2": "A", "2026-Q3": "A"}, True, id="P4-last-two-A"),
    pytest.param({"2026-Q1": "A", "2026-Q2": "B", "2026-Q3": "A"}, False, id="P4-a-B-between-two-A"),
    pytest.param({"2026-Q1": "A", "2026-Q2": "A", "2026-Q3": "B"}, False, id="P4-the-last-is-B"),
    pytest.param({"2026-Q3": "A"}, False, id="P4-a-quarter-not-graded"),
])
def test_p4_intermediate_needs_the_last_two_quarters_a(grades, expected):
    p = person("intermediate", grades=grades, titles=(date(2026, 3, 8),))
    assert holds(p, months_of({"S01": ["10"] * 6, "S02": ["9"] * 6}), "quarterly_grades") is expected


def test_p4_intermediate_needs_a_title_and_senior_three():
    months = months_of({"S01": ["10"] * 12, "S02": ["9"] * 12})
    grades = {"2025-Q4": "A", "2026-Q1": "A", "2026-Q2": "B", "2026-Q3": "A"}
    senior = person("senior", grades=grades, titles=(date(2025, 1, 5), date(2025, 6, 30)))
    assert not holds(senior, months, "titles")
    senior = senior._replace(titles=senior.titles + (P.Dated(date(2026, 9, 30), 99),))
    found = P.review(AS_OF, [senior], months)[0]
    assert found.next_level == "reserve_supervisor" and found.promotion_due  # three A of four quarters
    late_title = senior._replace(titles=senior.titles[:2] + (P.Dated(date(2026, 10, 1), 99),))
    assert not holds(late_title, months, "titles")  # after the month reviewed


@pytest.mark.parametrize("reviews, expected", [
    pytest.param(((date(2026, 9, 20), True),), True, id="P4-probation-passed"),
    pytest.param(((date(2026, 9, 20), False),), False, id="P4-probation-failed"),
    pytest.param(((date(2026, 8, 1), False), (date(2026, 9, 20), True)), True, id="P4-failed-then-passed"),
    pytest.param(((date(2026, 10, 2), True),), False, id="P4-passed-after-the-month-reviewed"),
    pytest.param((), False, id="P4-no-review"),
])
def test_p4_probation_to_junior_on_a_passed_review(reviews, expected):
    found = P.review(AS_OF, [person("probation", reviews=reviews)], months_of({"S01": ["10"]}))[0]
    assert found.next_level == "junior" and found.promotion_due is expected


def test_p4_the_top_level_has_no_next_step():
    found = P.review(AS_OF, [person("reserve_supervisor")], months_of({"S01": ["10"]}))[0]
    assert found.next_level is None and found.conditions == () and not found.promotion_due


# An intermediate among four colleagues who score 10 every month: a 9 is 5th place (out), a 10 is 1st.
def _ranked(mine: list[str], level: str = "intermediate", **kw) -> P.Review:
    table = {"S01": mine, **{f"S0{i}": ["10"] * len(mine) for i in range(2, 6)}}
    return P.review(AS_OF, [person(level, **kw)], months_of(table))[0]


@pytest.mark.parametrize("mine, watch, months", [
    pytest.param(["10", "9", "9", "9"], "demotion", ["2026-07", "2026-08", "2026-09"], id="P5-three-running"),
    pytest.param(["9", "9", "10", "9"], "none", [], id="P5-three-not-consecutive"),
    pytest.param(["9", "9", "9", "10"], "demotion", ["2026-06", "2026-07", "2026-08"], id="P5-an-earlier-run"),
])
def test_p5_intermediate_out_of_the_top_three_three_months_running(mine, watch, months):
    found = _ranked(mine)
    assert found.watch == watch and [str(m) for m in found.watch_months] == months
    if watch != "none":  # the closes of the months behind it
        assert found.reasons[0].rule == "P5" and len(found.reasons[0].rows) == len(months)


def test_p5_a_month_not_scored_breaks_a_run():
    table = {"S01": ["9", None, "9", "9"], **{f"S0{i}": ["10"] * 4 for i in range(2, 6)}}
    assert P.review(AS_OF, [person("intermediate")], months_of(table))[0].watch == "none"


def test_p5_counts_only_since_the_promotion():
    # Out of the top three in June, July, August and September; intermediate from 2026-07-02:
    # paid as one from August, so only August and September count.
    found = _ranked(["9", "9", "9", "9"], since=date(2026, 7, 2))
    assert found.watch == "none"
    assert _ranked(["9", "9", "9", "9"], since=date(2026, 7, 1)).watch == "demotion"


@pytest.mark.parametrize("grades, watch", [
    pytest.param({"2026-Q1": "B", "2026-Q2": "B"}, "demotion", id="P5-two-B-in-a-row"),
    pytest.param({"2025-Q4": "B", "2026-Q1": "A", "2026-Q2": "B"}, "none", id="P5-two-B-not-in-a-row"),
    pytest.param({"2026-Q2": "C"}, "demotion", id="P5-one-below-B"),
    pytest.param({"2026-Q1": "A", "2026-Q2": "B", "2026-Q3": "A"}, "none", id="P5-a-B-between-two-A"),
])
def test_p5_intermediate_quarterly_grades(grades, watch):
    found = _ranked(["10"] * 4, grades=grades)
    assert found.watch == watch
    if watch == "demotion":
        assert {r.rule for r in found.reasons} == {"P5"} and all(r.rows for r in found.reasons)


def test_p5_a_grade_from_before_the_promotion_does_not_count():
    assert _ranked(["10"] * 4, grades={"2026-Q1": "C"}, since=date(2026, 2, 1)).watch == "none"


@pytest.mark.parametrize("mine, since, watch", [
    pytest.param(["9", "10", "9", "10", "9"], date(2026, 5, 1), "demotion", id="P5-senior-three-not-consecutive"),
    pytest.param(["9", "10", "9", "10", "10"], date(2026, 5, 1), "none", id="P5-senior-two"),
    # Senior from 2025-05: the year ran to 2026-04; May to September 2026 are past it.
    pytest.param(["9", "10", "9", "10", "9"], date(2025, 5, 1), "none", id="P5-senior-after-the-first-year"),
])
def test_p5_senior_out_of_the_top_three_in_three_months_within_a_year(mine, since, watch):
    assert _ranked(mine, level="senior", since=since).watch == watch


@pytest.mark.parametrize("grades, watch", [
    pytest.param({"2025-Q4": "B", "2026-Q2": "B"}, "demotion", id="P5-senior-two-B-apart"),
    pytest.param({"2026-Q2": "C"}, "demotion", id="P5-senior-one-below-B"),
    pytest.param({"2026-Q2": "B"}, "none", id="P5-senior-one-B"),
])
def test_p5_senior_quarterly_grades_within_a_year(grades, watch):
    assert _ranked(["10"] * 12, level="senior", since=date(2025, 10, 1), grades=grades).watch == watch


@pytest.mark.parametrize("scores, level, watch", [
    pytest.param(["10", "5", "4", "2"], "junior", "dismissal", id="P6-three-at-or-below-5"),
    pytest.param(["5", "5", "6", "5"], "junior", "none", id="P6-broken-by-a-6"),
    pytest.param(["5", "5", "5"], "probation", "dismissal", id="P6-probation"),
    pytest.param(["5", "5", "5"], "intermediate", "none", id="P6-not-for-an-intermediate"),
    pytest.param(["5.5", "5.5", "5.5"], "junior", "none", id="P6-above-the-line"),
])
def test_p6_at_or_below_the_warning_line_three_months_running(scores, level, watch):
    found = P.review(AS_OF, [person(level)], months_of({"S01": scores}))[0]
    assert found.watch == watch
    if watch == "dismissal":
        assert found.reasons[0].rule == "P6" and len(found.watch_months) == 3


def test_p6_a_run_on_probation_does_not_follow_a_junior():
    found = P.review(AS_OF, [person("junior", since=date(2026, 9, 1))], months_of({"S01": ["5", "5", "5"]}))[0]
    assert found.watch == "none"
