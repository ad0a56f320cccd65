"""H1-H4, pure: each rule named and broken in a table of cases (rules/handover.py)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from csctl.errors import InputError, RuleViolation
from csctl.models import Staff
from csctl.policy import default_policy
from csctl.rules import handover as rules

DAY = date(2026, 10, 5)
OPENED = datetime(2026, 10, 5, 14, 0, tzinfo=timezone.utc)
POLICY = default_policy().handover
ITEMS = POLICY.items
GUARD = Staff("K01", "Lin Feng", "security", "staff", hired=date(2024, 1, 1))
GUARD2 = Staff("K02", "Sun Hao", "security", "staff", hired=date(2025, 1, 1))
LEAD = Staff("L01", "Wang Fang", "customer_service", "shift_lead", "senior", date(2023, 1, 1))
S01 = Staff("S01", "Li Na", "customer_service", "staff", "senior", date(2024, 1, 1))
S02 = Staff("S02", "Zhang Wei", "customer_service", "staff", "intermediate", date(2024, 6, 1))
LEFT = S02._replace(left=date(2026, 10, 1))
NEW = S02._replace(hired=date(2026, 11, 1))


def rule_of(problem):
    return problem.rule if isinstance(problem, RuleViolation) else ("input", problem.field) if problem else None


# ----------------------------------------------------------------------------- H1 the form


def test_the_policy_gives_the_checklist_and_the_shifts():
    assert ITEMS == ("equipment", "front_desk", "keys", "mail", "logbook")
    assert list(POLICY.shifts) == ["early", "middle", "day", "night"]
    assert POLICY.shifts["day"].at == "08:00" and POLICY.shifts["night"].at == "18:00"


@pytest.mark.parametrize("text, expected", [
    ("keys=ok", rules.Mark("keys", "ok")),
    (" Keys = OK ", rules.Mark("keys", "ok")),
    ("mail=bad:parcel for 8-1 not delivered", rules.Mark("mail", "bad", "parcel for 8-1 not delivered")),
    ("mail=bad:  a:b  c ", rules.Mark("mail", "bad", "a:b c")),
    ("logbook=ok:signed twice", rules.Mark("logbook", "ok", "signed twice")),
    ("mail=bad", rules.Mark("mail", "bad")),
])
def test_h1_an_item_is_marked_ok_or_bad(text, expected):
    assert rules.item_mark(text, ITEMS) == expected


@pytest.mark.parametrize("text, says", [
    ("keys=fine", "'fine' is not a mark; ok (✓) or bad (×)"),
    ("keys=", "'' is not a mark"),
    ("keys", "is not an item mark; write NAME=ok"),
    ("=ok", "is not an item mark"),
    ("kyes=ok", "'kyes' is not an item of the checklist; one of equipment, front_desk, keys, mail, logbook"),
])
def test_h1_an_item_marked_otherwise_is_bad_input(text, says):
    with pytest.raises(InputError) as caught:
        rules.item_mark(text, ITEMS)
    assert caught.value.field == "item" and says in caught.value.message


def test_h1_unmarked_items_are_recorded_as_not_checked_in_the_policys_order():
    listed, problem = rules.checklist([rules.Mark("mail", "bad", "late post"), rules.Mark("keys", "ok")], ITEMS)
    assert problem is None
    assert listed == [rules.Mark("equipment", "unchecked"), rules.Mark("front_desk", "unchecked"),
                      rules.Mark("keys", "ok"), rules.Mark("mail", "bad", "late post"),
                      rules.Mark("logbook", "unchecked")]


@pytest.mark.parametrize("marks, expected", [
    ([rules.Mark("keys", "bad")], "H1"),  # a bad item without its remark
    ([rules.Mark("keys", "ok"), rules.Mark("keys", "bad", "x")], ("input", "item")),  # marked twice
])
def test_h1_a_bad_item_needs_its_remark(marks, expected):
    assert rule_of(rules.checklist(marks, ITEMS)[1]) == expected


@pytest.mark.parametrize("name, found", [("early", "early"), ("NIGHT", "night"), (" day ", "day")])
def test_h1_a_shift_is_one_of_the_policy(name, found):
    assert rules.shift_of(name, POLICY.shifts).name == found


def test_h1_a_shift_the_policy_does_not_name_is_bad_input():
    with pytest.raises(InputError) as caught:
        rules.shift_of("evening", POLICY.shifts)
    assert caught.value.field == "shift" and "one of early, middle, day, night" in caught.value.message


# ----------------------------------------------------------------------------- H2, H4 opening


def opening(shift="early", outgoing=S01, incoming=S02, recorder=S01, day=DAY):
    return rules.check_open(shift=POLICY.shifts[shift], outgoing=outgoing, incoming=incoming, recorder=recorder,
                            day=day)


@pytest.mark.parametrize("case, kwargs, expected", [
    ("the outgoing person opens it", {}, None),
    ("a shift lead records it for them", {"recorder": LEAD}, None),
    ("security hands the night over at 08:00", {"shift": "day", "outgoing": GUARD, "incoming": S01,
                                                 "recorder": GUARD}, None),
    ("customer service hands the book to security at 18:00", {"shift": "night", "incoming": GUARD}, None),
    ("a handover to oneself", {"incoming": S01}, "H2"),
    ("someone else below shift lead records it", {"recorder": S02}, "H2"),
    ("the incoming person has left", {"incoming": LEFT}, "H2"),
    ("the incoming person is not hired yet", {"incoming": NEW}, "H2"),
    ("a guard takes over an early shift", {"incoming": GUARD}, "H4"),
    ("customer service hands over the day shift", {"shift": "day", "incoming": S02}, "H4"),
    ("security takes over at night only from customer service", {"shift": "night", "outgoing": GUARD2,
                                                                 "incoming": GUARD, "recorder": GUARD2}, "H4"),
    ("the night goes to security", {"shift": "night"}, "H4"),
])
def test_h2_h4_who_hands_over_to_whom(case, kwargs, expected):
    assert rule_of(opening(**kwargs)) == expected, case


def test_h2_a_handover_to_oneself_names_both_roles():
    problem = opening(incoming=S01)
    assert problem.line() == "refused (H2): S01 cannot be both the outgoing person and the incoming person"


# ----------------------------------------------------------------------------- H2 answering


def answering(state="open", answerer=S02, recorder=S02, answer="accepted", at=OPENED, answer_id=None):
    return rules.check_answer(handover=7, state=state, answer_id=answer_id, incoming="S02", answerer=answerer,
                              recorder=recorder, answer=answer, opened=OPENED, at=at)


@pytest.mark.parametrize("case, kwargs, expected", [
    ("the incoming person accepts", {}, None),
    ("the incoming person refuses", {"answer": "refused"}, None),
    ("a refused handover is accepted once things are put right", {"state": "refused", "answer_id": 9}, None),
    ("a shift lead records the answer for them", {"recorder": LEAD}, None),
    ("someone else accepts", {"answerer": S01, "recorder": S01}, "H2"),
    ("someone else refuses", {"answerer": LEAD, "recorder": LEAD, "answer": "refused"}, "H2"),
    ("a second acceptance", {"state": "accepted", "answer_id": 9}, "H2"),
    ("a refusal after the acceptance", {"state": "accepted", "answer": "refused", "answer_id": 9}, "H2"),
    ("a second refusal", {"state": "refused", "answer": "refused", "answer_id": 9}, "H2"),
    ("another staff member records it for them", {"recorder": S01}, "H2"),
    ("the incoming person has left", {"answerer": LEFT, "recorder": LEFT}, "H2"),
    ("before the handover was opened", {"at": OPENED.replace(hour=13)}, ("input", "at")),
])
def test_h2_only_the_incoming_person_answers_once(case, kwargs, expected):
    assert rule_of(answering(**kwargs)) == expected, case


def test_h2_a_second_acceptance_names_the_first():
    assert "already accepted (#9)" in answering(state="accepted", answer_id=9).message


@pytest.mark.parametrize("accepted, refused, expected", [
    (None, None, "open"), (None, 5, "refused"), (6, 5, "accepted"), (6, None, "accepted")])
def test_h2_state(accepted, refused, expected):
    assert rules.state(accepted, refused) == expected


# ----------------------------------------------------------------------------- H3 reviewing


def reviewing(reviewer=LEAD, handovers=((1, "accepted"),), earlier=None, note=None, day=DAY, on=DAY):
    return rules.check_review(day=day, reviewer=reviewer, on=on, handovers=handovers, earlier=earlier, note=note)


@pytest.mark.parametrize("case, kwargs, expected", [
    ("a shift lead signs a day whose handovers were all accepted", {}, None),
    ("a day with one refused, said so", {"handovers": ((1, "refused"),), "note": "with the supervisor"}, None),
    ("a rank below shift lead", {"reviewer": S01}, "H3"),
    ("a day with an open handover, not said", {"handovers": ((1, "accepted"), (2, "open"))}, "H3"),
    ("a day with a refused handover, not said", {"handovers": ((1, "refused"),)}, "H3"),
    ("signed twice", {"earlier": 12}, "H3"),
    ("a reviewer who has left", {"reviewer": LEAD._replace(left=date(2026, 10, 1))}, "H3"),
    ("a day with nothing to sign", {"handovers": ()}, ("input", "date")),
    ("a day still to come", {"day": date(2026, 10, 6)}, ("input", "date")),
])
def test_h3_a_shift_lead_signs_each_day_once(case, kwargs, expected):
    assert rule_of(reviewing(**kwargs)) == expected, case


def test_h3_the_refusal_lists_what_is_open():
    problem = reviewing(handovers=((1, "accepted"), (2, "open"), (3, "refused")))
    assert "#2 (open), #3 (refused)" in problem.message and "--note" in problem.message


# ----------------------------------------------------------------------------- ids


@pytest.mark.parametrize("text", ["abc", "", "-3", "0", "1.5", "١٢", "9" * 30])
def test_a_row_id_that_is_not_one_is_bad_input(text):
    with pytest.raises(InputError) as caught:
        rules.row_id(text, "handover", "a handover")
    assert caught.value.field == "handover"


def test_a_row_id_may_be_typed_with_its_hash():
    assert rules.row_id("#1204", "handover", "a handover") == 1204
