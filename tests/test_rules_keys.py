"""rules/keys.py (K1-K8) as a table of cases: each rule id named and broken, every approver
and witness rule among them (the same person twice, a witness who is the one opening, an
approver of the wrong rank or department, an inactive approver).

Pure: keys, people and times are values here; the CLI tests (test_cli_keys.py) run the same
rules through the ledger.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from csctl.errors import InputError, RuleViolation
from csctl.models import Staff
from csctl.rules.keys import (HandedOver, Row, audit, audit_due, check_borrow, check_due, check_found, check_hand_on, check_lost,
                              check_open, check_paperwork, check_replace, check_reseal, check_return, daily_check,
                              default_due, in_order, in_time, last_audited, paperwork, registered, replay,
                              shift_count)

CST = timezone(timedelta(hours=8))
DAY = date(2026, 10, 12)
AT = datetime(2026, 10, 12, 9, 0, tzinfo=CST)
NOW = datetime(2026, 10, 14, 9, 0, tzinfo=CST)

G01 = Staff("G01", "Zhou", "operations", "general_manager", hired=date(2020, 1, 1))
M01 = Staff("M01", "Chen", "customer_service", "manager", hired=date(2021, 1, 1))
M02 = Staff("M02", "Gao", "logistics", "manager", hired=date(2021, 1, 1))
P01 = Staff("P01", "Xu", "customer_service", "supervisor", hired=date(2022, 1, 1))
P02 = Staff("P02", "Qian", "logistics", "supervisor", hired=date(2022, 1, 1))
L01 = Staff("L01", "Wang", "customer_service", "shift_lead", "senior", hired=date(2023, 1, 1))
S01 = Staff("S01", "Li", "customer_service", "staff", "senior", hired=date(2024, 1, 1))
S02 = Staff("S02", "Zhang", "customer_service", "staff", "junior", hired=date(2024, 1, 1))
S03 = Staff("S03", "Liu", "customer_service", "staff", "junior", hired=date(2024, 1, 1))
K01 = Staff("K01", "Lin", "security", "staff", hired=date(2024, 1, 1))
T01 = Staff("T01", "Ma", "logistics", "staff", hired=date(2024, 1, 1))
E01 = Staff("E01", "Fang", "engineering", "staff", hired=date(2024, 1, 1))
E02 = Staff("E02", "Du", "engineering", "supervisor", hired=date(2022, 1, 1))
GONE = Staff("P09", "Ma", "customer_service", "supervisor", hired=date(2022, 1, 1), left=date(2026, 10, 1))
GONE_S = Staff("S09", "He", "customer_service", "staff", "junior", hired=date(2024, 1, 1), left=date(2026, 10, 1))

REGISTERED = datetime(2026, 10, 1, 8, 0, tzinfo=CST)


def key(code: str = "ST-01", category: str = "storeroom", kept: str = "board") -> object:
    return registered(code, "a key", category, kept, REGISTERED)


def rows(code: str, *kinds: tuple) -> list[Row]:
    """Rows of one key: (kind, staff[, extra fields]) at 09:00, 09:01, ..."""
    out = []
    for i, (kind, staff, *extra) in enumerate(kinds):
        fields = extra[0] if extra else {}
        out.append(Row(i + 1, kind, code, AT + timedelta(minutes=i), staff, **fields))
    return out


def state(k, *kinds: tuple):
    return replay([k], rows(k.code, *kinds))[k.code]


STORE = key()
STORE_OUT = state(STORE, ("borrow", "S01", {"due": AT.replace(hour=18)}))
EQUIPMENT = key("EQ-01", "equipment_room")
AREA = key("AR-01", "area")
AREA_OUT = state(AREA, ("borrow", "S01"))
AREA_ON = state(AREA, ("borrow", "S01"), ("hand_on", "S02"))
SEALED = key("U-1203", "unit", "sealed")
OPENED = state(SEALED, ("open", "L01", {"mode": "tenant_lost"}))
LOST = state(STORE, ("lost", None))
RETIRED = state(STORE, ("retire", None, {"new_code": "ST-02"}))


def borrow(k=STORE, borrower=S01, approver=P01, **kw):
    return check_borrow(k, borrower=borrower, approver=approver, day=DAY, **kw)


def emergency(opener=L01, approvers=(M01, G01), witnesses=(S01, S02, K01), reason="water leak", k=SEALED):
    return check_open(k, mode="emergency", opener=opener, approvers=list(approvers), witnesses=list(witnesses),
                      reason=reason, application=None, confirmed_with=None, day=DAY)


def tenant_lost(opener=L01, approvers=(M01,), application="APP-1", confirmed_with="Ms Qian"):
    return check_open(SEALED, mode="tenant_lost", opener=opener, approvers=list(approvers), witnesses=[],
                      reason=None, application=application, confirmed_with=confirmed_with, day=DAY)


HANDED = HandedOver(40, "S01", "S02", "ok")  # the early shift's handover, accepted, keys counted ok


def hand_on(k=AREA_OUT, giver=S01, receiver=S02, shift="early", handover=HANDED):
    return check_hand_on(k, giver=giver, receiver=receiver, shift=shift, shift_from="early", shift_to="middle", day=DAY,
                         handover=handover)


# (rule, what it shows, the check, a fragment of the refusal); rule None: allowed.
CASES = [
    # K1: the register, a key's state, rows in time order
    ("K1", "a key that is in is lent", lambda: borrow(), None, None),
    # K2: borrowing
    ("K2", "a key out is not lent again", lambda: borrow(STORE_OUT, borrower=S02), "K2", "out with S01"),
    ("K2", "the borrower is active that day", lambda: borrow(borrower=GONE_S), "K2", "the borrower S09 was not active"),
    ("K2", "a contractor's key through engineering", lambda: borrow(borrower=E01, approver=E02, contractor="Acme"),
     None, None),
    ("K2", "a contractor's key by anyone else", lambda: borrow(contractor="Acme"), "K2",
     "whoever borrows a key for a contractor (Acme) must be of engineering"),
    ("K2", "no approver", lambda: borrow(approver=None), "K2", "head of the borrower's department"),
    ("K2", "the approver is the borrower", lambda: borrow(borrower=P01, approver=P01), "K2",
     "nobody approves a key loan to themselves (P01)"),
    ("K2", "an approver of another department", lambda: borrow(approver=P02), "K2",
     "must be of customer service; P02 is in logistics"),
    ("K2", "an approver of the wrong rank", lambda: borrow(approver=L01), "K2",
     "needs a supervisor or above; L01 is a shift lead"),
    ("K2", "an inactive approver", lambda: borrow(approver=GONE), "K2", "P09 was not active on 2026-10-12"),
    # K3: returning, never handing on
    ("K3", "the borrower returns it to a keeper", lambda: check_return(STORE_OUT, returner=S01, keeper=K01, day=DAY),
     None, None),
    ("K3", "a key that is in is not returned", lambda: check_return(STORE, returner=S01, keeper=K01, day=DAY), "K3",
     "ST-01 is in; only a key that is out"),
    ("K3", "someone else returns it", lambda: check_return(STORE_OUT, returner=S02, keeper=K01, day=DAY), "K3",
     "held by S01"),
    ("K3", "a keeper of another department", lambda: check_return(STORE_OUT, returner=S01, keeper=T01, day=DAY), "K3",
     "must be of customer service or security; T01 is in logistics"),
    ("K3", "the keeper is the one returning", lambda: check_return(STORE_OUT, returner=S01, keeper=S01, day=DAY), "K3",
     "nobody receives a key back from themselves"),
    ("K3", "an inactive keeper", lambda: check_return(STORE_OUT, returner=S01, keeper=GONE, day=DAY), "K3",
     "not active"),
    ("K3", "any key but a shift key is never handed on", lambda: hand_on(STORE_OUT), "K3",
     "a key is never handed on"),
    # K4: equipment rooms
    ("K4", "customer-service staff without a special approval", lambda: borrow(EQUIPMENT), "K4",
     "only with a manager's special approval and a reason"),
    ("K4", "a special approval without a reason", lambda: borrow(EQUIPMENT, special=M01), "K4", "records why"),
    ("K4", "a special approval and a reason", lambda: borrow(EQUIPMENT, special=M01, special_reason="router"),
     None, None),
    ("K4", "a special approval below manager", lambda: borrow(EQUIPMENT, approver=M01, special=P01,
                                                            special_reason="router"),
     "K4", "needs a manager or above; P01 is a supervisor"),
    ("K4", "the same manager approving twice", lambda: borrow(EQUIPMENT, approver=M01, special=M01,
                                                              special_reason="router"),
     "K4", "M01 cannot be both the approver of the loan and the manager giving the special approval"),
    ("K4", "an inactive manager", lambda: borrow(EQUIPMENT, special=Staff("M09", "x", "customer_service", "manager",
                                                                           left=date(2026, 9, 1)),
                                                 special_reason="router"), "K4", "M09 was not active"),
    ("K4", "a shift lead needs no special approval", lambda: borrow(EQUIPMENT, borrower=L01), None, None),
    ("K4", "nor someone of another department", lambda: borrow(EQUIPMENT, borrower=E01, approver=E02), None, None),
    # K5: sealed custody keys
    ("K5", "a sealed key is not borrowed", lambda: borrow(SEALED), "K5", "opened only with `csctl keys open-sealed`"),
    ("K5", "an emergency opening with everything", lambda: emergency(), None, None),
    ("K5", "the approvers in either order", lambda: emergency(approvers=(G01, M01)), None, None),
    ("K5", "a key that is not sealed", lambda: emergency(k=STORE), "K5", "not a sealed custody key"),
    ("K5", "a sealed key already open", lambda: emergency(k=OPENED), "K5", "only a key that is sealed"),
    ("K5", "neither way", lambda: check_open(SEALED, mode=None, opener=L01, approvers=[], witnesses=[], reason=None,
                                             application=None, confirmed_with=None, day=DAY), "K5",
     "opened only in an emergency"),
    ("K5", "an emergency without its reason", lambda: emergency(reason=None), "K5", "cannot be reached"),
    ("K5", "one approval only", lambda: emergency(approvers=(M01,)), "K5", "customer-service manager and the general"),
    ("K5", "no general manager", lambda: emergency(approvers=(M01, P01)), "K5",
     "the second approver of an emergency opening is the general manager; P01 is a supervisor"),
    ("K5", "a manager of the wrong department", lambda: emergency(approvers=(M02, G01)), "K5",
     "must be of customer service; M02 is in logistics"),
    ("K5", "an approver of the wrong rank", lambda: emergency(approvers=(P01, G01)), "K5",
     "the approver of an opening is the manager; P01 is a supervisor"),
    ("K5", "the same person approving twice", lambda: emergency(approvers=(M01, M01)), "K5",
     "M01 cannot be both the approving manager and the approving general manager"),
    ("K5", "two witnesses only", lambda: emergency(witnesses=(S01, K01)), "K5", "three witnesses"),
    ("K5", "the same witness twice", lambda: emergency(witnesses=(S01, S01, K01)), "K5",
     "S01 cannot be both the first witness and the second witness"),
    ("K5", "a witness who is the one opening", lambda: emergency(opener=S01), "K5",
     "S01 cannot be both the one opening it and the first witness"),
    ("K5", "an approver who witnesses", lambda: emergency(witnesses=(S01, M01, K01)), "K5",
     "M01 cannot be both the approving manager and the second witness"),
    ("K5", "no security guard", lambda: emergency(witnesses=(S01, S02, S03)), "K5",
     "one witness (the security guard) must be of security; S03 is in customer service"),
    ("K5", "a witness of another department", lambda: emergency(witnesses=(S01, T01, K01)), "K5",
     "two of the witnesses must be of customer service; T01 is in logistics"),
    ("K5", "an inactive witness", lambda: emergency(witnesses=(S01, GONE_S, K01)), "K5", "S09 was not active"),
    ("K5", "an inactive approver", lambda: emergency(approvers=(Staff("M09", "x", "customer_service", "manager",
                                                                      left=date(2026, 9, 1)), G01)), "K5",
     "M09 was not active"),
    ("K5", "a tenant-lost opening with everything", lambda: tenant_lost(), None, None),
    ("K5", "a tenant-lost opening without the application", lambda: tenant_lost(application=None), "K5",
     "written application"),
    ("K5", "without who confirmed it", lambda: tenant_lost(confirmed_with=None), "K5", "who at the unit confirmed"),
    ("K5", "without the manager's approval", lambda: tenant_lost(approvers=()), "K5", "customer-service manager"),
    ("K5", "approved by a supervisor", lambda: tenant_lost(approvers=(P01,)), "K5", "P01 is a supervisor"),
    ("K5", "approved by the one opening", lambda: tenant_lost(opener=M01), "K5",
     "M01 cannot be both the one opening it and the approving manager"),
    ("K5", "an opened key goes back by re-sealing", lambda: check_return(OPENED, returner=L01, keeper=K01, day=DAY),
     "K5", "`csctl keys reseal`"),
    ("K5", "an opened key is re-sealed", lambda: check_reseal(OPENED), None, None),
    ("K5", "a sealed key is not re-sealed", lambda: check_reseal(SEALED), "K5", "only an opened sealed key"),
    # K6: lost, found, replaced
    ("K6", "a lost key is not lent", lambda: borrow(LOST), "K6", "ST-01 is lost"),
    ("K6", "a retired key is not lent", lambda: borrow(RETIRED), "K6", "its replacement is ST-02"),
    ("K6", "a keeper reports a loss", lambda: check_lost(STORE_OUT, recorder=K01), None, None),
    ("K6", "a loss reported twice", lambda: check_lost(LOST, recorder=K01), "K6", "lost already"),
    ("K6", "a loss recorded by another department", lambda: check_lost(STORE, recorder=T01), "K6",
     "whoever records a lost key must be of customer service or security"),
    ("K6", "a lost key found", lambda: check_found(LOST, recorder=S01), None, None),
    ("K6", "a key that is in is not found", lambda: check_found(STORE, recorder=S01), "K6", "only a key reported lost"),
    ("K6", "a find recorded by another department", lambda: check_found(LOST, recorder=T01), "K6", "T01 is in logistics"),
    ("K6", "a lock change approved by security", lambda: check_replace(LOST, approver=K01, day=DAY), None, None),
    ("K6", "a key out is not replaced", lambda: check_replace(STORE_OUT, approver=K01, day=DAY), "K6",
     "returned or reported lost"),
    ("K6", "a lock change approved by another department", lambda: check_replace(LOST, approver=M01, day=DAY), "K6",
     "the approver of a lock change must be of security; M01 is in customer service"),
    ("K6", "an inactive approver of a lock change",
     lambda: check_replace(LOST, approver=Staff("K09", "x", "security", "staff", left=date(2026, 9, 1)), day=DAY),
     "K6", "K09 was not active"),
    ("K6", "a retired key is not replaced again", lambda: check_replace(RETIRED, approver=K01, day=DAY), "K6",
     "already"),
    # K8: shift keys
    ("K8", "the early shift hands an area key to the middle shift", lambda: hand_on(), None, None),
    ("K8", "handed on twice", lambda: hand_on(AREA_ON, giver=S02, receiver=S03), "K8", "handed on to S02 already"),
    ("K8", "by another shift", lambda: hand_on(shift="middle"), "K8", "the middle shift does not hand them on"),
    ("K8", "a shift key that is not out", lambda: hand_on(AREA), "K8", "AR-01 is in"),
    ("K8", "by someone who does not have it", lambda: hand_on(giver=S02, receiver=S03), "K3", "held by S01, not S02"),
    ("K8", "to oneself", lambda: hand_on(receiver=S01), "K8", "S01 cannot be both"),
    ("K8", "to someone inactive", lambda: hand_on(receiver=GONE_S), "K8", "S09 was not active"),
    ("K8", "without an accepted handover of the shift", lambda: hand_on(handover=None), "K8",
     "no handover of the early shift on"),
    ("K8", "through another pair's handover", lambda: hand_on(handover=HANDED._replace(to_staff="S03")), "K8",
     "is from S01 to S03, not from S01 to S02"),
    ("K8", "with the keys item marked bad", lambda: hand_on(handover=HANDED._replace(keys_mark="bad")), "K8",
     "marked bad"),
    ("K8", "with the keys item not checked", lambda: hand_on(handover=HANDED._replace(keys_mark="unchecked")), "K8",
     "marked unchecked"),
    ("K8", "the middle shift returns it", lambda: check_return(AREA_ON, returner=S02, keeper=K01, day=DAY), None, None),
    ("K8", "the early shift no longer has it", lambda: check_return(AREA_ON, returner=S01, keeper=K01, day=DAY), "K3",
     "held by S02; whoever has a key returns it"),
]


@pytest.mark.parametrize("rule, check, expect_rule, fragment",
                         [pytest.param(r, c, e, f, id=f"{r}-{what}") for r, what, c, e, f in CASES])
def test_rule_table(rule, check, expect_rule, fragment):
    refusal = check()
    if expect_rule is None:
        assert refusal is None, refusal and refusal.line()
        return
    assert isinstance(refusal, RuleViolation), refusal
    assert refusal.rule == expect_rule and fragment in refusal.message, refusal.line()


def test_every_refusing_key_rule_is_broken_by_the_table():
    # K1 refuses through bad input (the tests below) and K7 computes (below); the recorder of the
    # daily check (K7) is held to a keeper's department in test_cli_keys.py.
    assert {e for *_, e, _ in CASES if e} == {f"K{i}" for i in range(2, 9) if i != 7}


# ----------------------------------------------------------------------------- K1: state and time
def test_K1_a_key_rests_where_it_is_kept_and_its_rows_move_it():
    assert STORE.state == "in" and SEALED.state == "sealed"
    assert STORE_OUT.state == "out" and STORE_OUT.holder == "S01" and STORE_OUT.since == AT
    assert state(STORE, ("borrow", "S01"), ("return", "S01")).state == "in"
    assert state(SEALED, ("open", "L01"), ("reseal", "L01")).state == "sealed"
    assert state(STORE, ("lost", None), ("found", "S02")).state == "in"
    assert RETIRED.state == "retired" and RETIRED.replaced_by == "ST-02"
    # A return whose borrow was voided (so not replayed) leaves the key as it was.
    assert state(STORE, ("return", "S01")).state == "in"


def test_K1_replay_until_a_moment_gives_the_state_then():
    history = rows("ST-01", ("borrow", "S01"), ("return", "S01"))
    assert replay([STORE], history, until=AT)["ST-01"].state == "out"
    assert replay([STORE], history, until=AT + timedelta(minutes=1))["ST-01"].state == "in"
    assert replay([STORE], history, until=REGISTERED - timedelta(seconds=1)) == {}


@pytest.mark.parametrize("at, fragment", [
    (REGISTERED - timedelta(minutes=1), "before ST-01 was registered"),
    (AT - timedelta(minutes=1), "before ST-01's latest recorded row"),
])
def test_K1_a_keys_rows_are_in_time_order(at, fragment):
    problem = in_time(STORE_OUT, at)
    assert isinstance(problem, InputError) and problem.field == "at" and fragment in problem.message
    assert in_time(STORE_OUT, AT) is None


# ----------------------------------------------------------------------------- K5: paperwork
def test_K5_paperwork_awaits_until_filed():
    assert paperwork("tenant_lost", filed=False) == "awaiting"
    assert paperwork("tenant_lost", filed=True) == "filed"
    assert paperwork("emergency", filed=False) == "none"
    assert OPENED.awaiting == (1,)
    filed = state(SEALED, ("open", "L01", {"mode": "tenant_lost"}), ("reseal", "L01"),
                  ("paperwork", "L01", {"ref": 1}))
    assert filed.awaiting == () and filed.state == "sealed"
    assert in_order([G01, M01]) == [M01, G01] and in_order([M01, G01]) == [M01, G01]


@pytest.mark.parametrize("opening, filed_by, fragment", [
    (None, None, "there is no opening"),
    ({"kind": "borrow", "voided_by": None, "mode": None}, None, "there is no opening"),
    ({"kind": "open", "voided_by": 9, "mode": "tenant_lost"}, None, "voided by #9"),
    ({"kind": "open", "voided_by": None, "mode": "emergency"}, None, "emergency opening"),
    ({"kind": "open", "voided_by": None, "mode": "tenant_lost"}, 12, "filed already (#12)"),
])
def test_K5_paperwork_of_an_unknown_or_wrong_opening_is_bad_input(opening, filed_by, fragment):
    problem = check_paperwork(7, opening, filed_by)
    assert isinstance(problem, InputError) and problem.field == "opening" and fragment in problem.message
    assert check_paperwork(7, {"kind": "open", "voided_by": None, "mode": "tenant_lost"}, None) is None


# ----------------------------------------------------------------------------- K7: due, overdue, the check
def test_K7_due_by_default_at_the_end_of_the_borrowing_day_in_its_own_zone():
    assert default_due(AT, 24 * 60) == datetime(2026, 10, 13, 0, 0, tzinfo=CST)
    assert default_due(AT, 18 * 60) == datetime(2026, 10, 12, 18, 0, tzinfo=CST)
    late_utc = datetime(2026, 10, 12, 20, 0, tzinfo=timezone.utc)  # 04:00 on the 13th in Shanghai
    assert default_due(late_utc, 24 * 60) == datetime(2026, 10, 13, 0, 0, tzinfo=timezone.utc)
    assert isinstance(check_due(AT, AT), InputError) and check_due(AT, AT + timedelta(seconds=1)) is None


def test_K7_overdue_compares_with_the_moment_given():
    due = STORE_OUT.due
    assert not STORE_OUT.overdue(due) and STORE_OUT.overdue(due + timedelta(seconds=1))
    assert not STORE.overdue(NOW)


def test_K7_the_daily_check_is_complete_when_every_overdue_key_has_a_cause():
    keys = {k.code: k for k in (STORE_OUT, state(key("OF-01", "office"), ("borrow", "S02", {"due": NOW})), EQUIPMENT)}
    at = AT.replace(hour=20)
    first = daily_check(keys, at, {}, explained=set())
    assert [k.code for k in first.out] == ["OF-01", "ST-01"] and [k.code for k in first.overdue] == ["ST-01"]
    assert first.missing == ("ST-01",) and not first.complete and first.day == DAY
    assert daily_check(keys, at, {"ST-01": "still in the stockroom"}, explained=set()).complete
    assert daily_check(keys, at, {}, explained={"ST-01"}).complete  # a cause from an earlier check that day
    bad = daily_check(keys, at, {"EQ-01": "?"}, explained=set())
    assert isinstance(bad, InputError) and bad.field == "cause" and "a cause is recorded for a key not returned" in bad.message
    assert isinstance(daily_check(keys, at, {"XX-1": "?"}, explained=set()), InputError)


# ----------------------------------------------------------------------------- K8: the count
def test_K8_shift_keys_are_counted_back_in():
    other = state(key("AR-02", "area"), ("borrow", "S01"), ("hand_on", "S02"))
    keys = {"AR-01": AREA_ON, "AR-02": other, "ST-01": STORE_OUT}
    assert shift_count(keys, "S02", ["AR-01"]) == (1, 2, ("AR-02",))
    assert shift_count(keys, "S02", ["AR-01", "AR-02"]) == (2, 2, ())
    assert shift_count(keys, "S01", ["ST-01"]) is None  # not a shift key


# ----------------------------------------------------------------------------- stock-take
def test_a_stock_take_lists_missing_out_lost_and_unknown():
    keys = {k.code: k for k in (STORE_OUT, EQUIPMENT, SEALED, state(key("GT-01", "gate"), ("lost", None)))}
    found = audit(keys, {"ST-01", "GT-01", "ZZ-9", "U-1203"})
    assert found == (("EQ-01",), ("ST-01",), ("GT-01",), ("ZZ-9",))


def test_a_key_no_stock_take_has_counted_lately_is_flagged():
    audits = [REGISTERED - timedelta(days=1), REGISTERED + timedelta(days=2)]
    assert last_audited(STORE, audits) == REGISTERED + timedelta(days=2)
    assert last_audited(STORE, audits[:1]) is None
    assert not audit_due(STORE, None, REGISTERED + timedelta(days=30), 30)  # counted from its registration
    assert audit_due(STORE, None, REGISTERED + timedelta(days=30, seconds=1), 30)
    assert not audit_due(STORE, audits[1], audits[1] + timedelta(days=29), 30)
