"""Z1-Z6 as tables of cases: each rule named, kept and broken, on pure values (rules/hazmat.py,
parse.quantity and the policy's hazmat keys). The same rules through the command line are in
test_cli_hazmat.py."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from csctl import parse
from csctl.errors import InputError, RuleViolation
from csctl.models import Staff
from csctl.policy import load
from csctl.rules import hazmat as z

CST = timezone(timedelta(hours=8))
DAY = date(2026, 10, 3)


def at(clock: str, day: date = DAY, zone: timezone = CST) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), zone)


def person(sid: str, dept: str = "customer_service", rank: str = "staff", left: date | None = None) -> Staff:
    return Staff(sid, sid, dept, rank, "junior" if rank in ("staff", "shift_lead") else None, date(2024, 1, 1), left)


LEAD = person("L01", rank="shift_lead")
SUPERVISOR = person("P01", rank="supervisor")
STAFF = person("S01")
OTHER = person("S02")
GUARD = person("K01", dept="security", rank="supervisor")
LEFT = person("S09", left=date(2026, 10, 1))


def refused(result, rule: str) -> None:
    assert isinstance(result, RuleViolation), result
    assert result.rule == rule, result.line()


def bad(result, field: str) -> None:
    assert isinstance(result, InputError), result
    assert result.field == field, result.line()


# ----------------------------------------------------------------------------- Z1 quantities


@pytest.mark.parametrize("text, places, milli", [
    ("12.5", 3, 12500), ("0.001", 3, 1), ("3", 0, 3000), ("1.5000", 3, 1500), ("007.25", 3, 7250),
    (" 2 ", 0, 2000), ("1.20", 1, 1200),
])
def test_z1_quantities_are_exact_thousandths(text, places, milli):
    assert parse.quantity(text, places=places, unit="g") == milli
    assert z.amount(milli) == Decimal(milli) / 1000 and str(z.amount(milli)).count(".") == 1


@pytest.mark.parametrize("text, places, says", [
    ("0", 3, "more than 0"), ("0.000", 3, "more than 0"), ("-1", 3, "more than 0"), ("+2", 3, "without a sign"),
    ("abc", 3, "is not a quantity"), ("", 3, "is not a quantity"), ("1e3", 3, "is not a quantity"),
    ("NaN", 3, "is not a quantity"), ("1,000", 3, "is not a quantity"), ("١٢", 3, "is not a quantity"),
    ("1.2345", 3, "4 decimal places; g takes at most 3"), ("1.5", 0, "takes whole numbers only"),
    ("1.25", 1, "at most 1 decimal place"), ("1000000001", 3, "more than any quantity"),
])
def test_z1_a_quantity_that_is_not_one_is_bad_input_naming_qty(text, places, says):
    with pytest.raises(InputError) as caught:
        parse.quantity(text, places=places, unit="g")
    assert caught.value.field == "qty" and says in caught.value.message


def test_z1_a_count_may_be_zero():
    assert parse.quantity("0", zero=True) == 0


def test_z1_places_come_from_the_policy_overall_and_by_unit():
    default = load(None).hazmat
    assert (default.places("g"), default.places("pieces"), default.cutoff) == (3, 0, None)
    custom = load('[hazmat]\ndecimals = 2\ncutoff = "18:00"\n[hazmat.unit_decimals]\nbottles = 0\n').hazmat
    assert (custom.places("g"), custom.places("bottles"), custom.places("pieces")) == (2, 0, 0)
    assert custom.cutoff == time(18, 0)


@pytest.mark.parametrize("text, key", [
    ("[hazmat]\ndecimals = 4\n", "hazmat.decimals"),
    ('[hazmat]\ncutoff = "00:00"\n', "hazmat.cutoff"),
    ('[hazmat]\ncutoff = "24:01"\n', "hazmat.cutoff"),
    ('[hazmat]\ncutoff = "6pm"\n', "hazmat.cutoff"),
    ("[hazmat.unit_decimals]\nml = 5\n", "hazmat.unit_decimals.ml"),
])
def test_z1_z4_a_policy_with_bad_hazmat_keys_is_refused(text, key):
    with pytest.raises(InputError) as caught:
        load(text)
    assert caught.value.field == f"policy {key}"


# ----------------------------------------------------------------------------- Z2 custody


@pytest.mark.parametrize("who, rule", [(LEAD, None), (SUPERVISOR, None), (STAFF, "Z2"), (GUARD, "Z2")])
def test_z2_only_a_customer_service_lead_or_above_keeps_the_store(who, rule):
    result = z.check_custody(who, "stocking hazardous materials")
    if rule is None:
        assert result is None
    else:
        refused(result, rule)


def test_z2_z3_stock_never_goes_below_zero_at_any_time():
    stock_in = z.Move(at("09:00"), 1, 10_000, "stock-in #1")
    later_draw = z.Move(at("15:00"), 3, -8_000, "draw #3")
    assert z.balance([stock_in, later_draw]) == 2_000
    assert z.check_stock([stock_in, later_draw], "rat poison", "g", "x") is None
    # A draw now of 3 g: only 2 g left.
    refused(z.check_stock([stock_in, later_draw, z.Move(at("16:00"), 9, -3_000, "this draw")], "rat poison", "g",
                          "drawing 3.000 g"), "Z3")
    # Backdated before the stock came in: refused even though the balance today would do.
    early = z.Move(at("08:00"), 9, -1_000, "this draw")
    assert z.balance([stock_in, early]) == 9_000
    refused(z.check_stock([stock_in, early], "rat poison", "g", "drawing 1.000 g"), "Z3")
    # Leaving too little for a later draw already recorded: refused too.
    refused(z.check_stock([stock_in, later_draw, z.Move(at("10:00"), 9, -2_500, "this draw")], "rat poison", "g",
                          "drawing 2.500 g"), "Z3")
    # Voiding the stock-in the later draw needed.
    refused(z.check_stock([later_draw], "rat poison", "g", "voiding stock-in #1"), "Z3")


# ----------------------------------------------------------------------------- Z3 draws


@pytest.mark.parametrize("drawer, approver, rule", [
    pytest.param(LEAD, None, None, id="a lead draws on their own authority"),
    pytest.param(SUPERVISOR, None, None, id="a supervisor too"),
    pytest.param(STAFF, LEAD, None, id="staff with a lead approving"),
    pytest.param(GUARD, LEAD, None, id="another department's person with a lead approving"),
    pytest.param(LEAD, SUPERVISOR, None, id="a lead may name an approver"),
    pytest.param(STAFF, None, "Z3", id="staff without an approver"),
    pytest.param(GUARD, None, "Z3", id="a security supervisor is no customer-service lead"),
    pytest.param(STAFF, OTHER, "Z3", id="approved by staff"),
    pytest.param(STAFF, GUARD, "Z3", id="approved by security"),
    pytest.param(LEAD, LEAD, "Z3", id="approving one's own draw"),
    pytest.param(LEFT, LEAD, "Z3", id="a drawer who has left"),
    pytest.param(STAFF, person("L09", rank="shift_lead", left=date(2026, 9, 1)), "Z3", id="an approver who has left"),
])
def test_z3_who_draws_and_who_approves(drawer, approver, rule):
    result = z.check_draw(drawer=drawer, approver=approver, day=DAY)
    if rule is None:
        assert result is None
    else:
        refused(result, rule)


# ----------------------------------------------------------------------------- Z4 returns and flags


def a_draw(*, returns=(), used_at=None, lends=(), cutoff=None, when="10:00", qty=10_000) -> z.Draw:
    return z.draw_of(id=7, material="rat poison", unit="g", staff="S01", at=at(when), qty=qty, returns=returns,
                     used_at=used_at, lends=lends, cutoff=cutoff)


@pytest.mark.parametrize("when, cutoff, due", [
    ("10:00", None, at("00:00", DAY + timedelta(days=1))),
    ("23:59", None, at("00:00", DAY + timedelta(days=1))),
    ("10:00", time(18, 0), at("18:00")),
    ("19:00", time(18, 0), at("00:00", DAY + timedelta(days=1))),  # drawn after the cut-off: midnight
])
def test_z4_a_draw_is_due_by_the_end_of_its_day_or_the_cutoff(when, cutoff, due):
    assert z.due(at(when), cutoff) == due


def test_z4_midnight_is_in_the_zone_of_the_draws_own_time():
    utc = datetime(2026, 10, 3, 20, 0, tzinfo=timezone.utc)  # 04:00 on the 4th in Shanghai
    assert z.due(utc, None) == datetime(2026, 10, 4, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("draw, now, state, flagged", [
    pytest.param(a_draw(), at("23:00"), "open", False, id="open, not yet due"),
    pytest.param(a_draw(), at("00:00", DAY + timedelta(days=1)), "open", True, id="open at midnight"),
    pytest.param(a_draw(returns=[(at("16:00"), 4_000)]), at("09:00", DAY + timedelta(days=1)), "open", True,
                 id="partly returned"),
    pytest.param(a_draw(returns=[(at("16:00"), 4_000), (at("17:00"), 6_000)]),
                 at("09:00", DAY + timedelta(days=5)), "returned", False, id="returned in full that day"),
    pytest.param(a_draw(returns=[(at("16:00"), 4_000)], used_at=at("17:00")),
                 at("09:00", DAY + timedelta(days=5)), "used", False, id="the rest marked used"),
    pytest.param(a_draw(used_at=at("09:00", DAY + timedelta(days=1))), at("10:00", DAY + timedelta(days=1)), "used",
                 True, id="closed late stays flagged"),
    pytest.param(a_draw(cutoff=time(18, 0), returns=[(at("18:30"), 10_000)]), at("20:00"), "returned", True,
                 id="returned after the policy's cut-off"),
])
def test_z4_a_draw_not_closed_by_its_due_time_is_flagged(draw, now, state, flagged):
    assert draw.state == state
    assert draw.flagged(now) is flagged


def test_z4_returns_close_a_draw_and_never_exceed_what_is_out():
    d = a_draw(returns=[(at("11:00"), 4_000)])
    assert d.outstanding == 6_000
    assert z.check_return(d, STAFF, 6_000, at("12:00")) is None
    bad(z.check_return(d, STAFF, 6_001, at("12:00")), "qty")
    bad(z.check_return(d, STAFF, 1_000, at("09:00")), "at")  # before the draw was made
    bad(z.check_return(a_draw(returns=[(at("11:00"), 10_000)]), STAFF, 1, at("12:00")), "draw")  # closed
    bad(z.check_return(a_draw(used_at=at("11:00")), STAFF, 1, at("12:00")), "draw")
    bad(z.check_used(a_draw(used_at=at("11:00")), STAFF, at("12:00")), "draw")
    assert z.check_used(d, STAFF, at("12:00")) is None


# ----------------------------------------------------------------------------- Z5 lending


def test_z5_only_the_person_answering_for_a_draw_returns_it_or_marks_it_used():
    d = a_draw()
    refused(z.check_return(d, OTHER, 1_000, at("12:00")), "Z5")
    refused(z.check_used(d, OTHER, at("12:00")), "Z5")
    handed = a_draw(lends=["S02"])
    assert handed.holder == "S02"
    assert z.check_return(handed, OTHER, 1_000, at("12:00")) is None
    refused(z.check_return(handed, STAFF, 1_000, at("12:00")), "Z5")  # the drawer no longer answers for it
    refused(z.check_used(handed, STAFF, at("12:00")), "Z5")


@pytest.mark.parametrize("to, approver, expect", [
    pytest.param(OTHER, LEAD, None, id="handed on with a lead's approval"),
    pytest.param(OTHER, None, "Z5", id="no lending without permission"),
    pytest.param(OTHER, person("S05"), "Z5", id="approved by staff"),
    pytest.param(OTHER, GUARD, "Z5", id="approved outside customer service"),
    pytest.param(person("L02", rank="shift_lead"), person("L02", rank="shift_lead"), "Z5", id="approving a hand-on to oneself"),
    pytest.param(LEFT, LEAD, "Z5", id="to someone who has left"),
    pytest.param(STAFF, LEAD, "to", id="to the person who already holds it"),
])
def test_z5_a_hand_on_needs_a_lead_named_as_approving_it(to, approver, expect):
    result = z.check_lend(a_draw(), to, approver, at("12:00"))
    if expect is None:
        assert result is None
    elif expect == "to":
        bad(result, "to")
    else:
        refused(result, expect)


def test_z5_the_holder_cannot_approve_handing_on_their_own_draw():
    lead_draw = z.draw_of(id=8, material="thinner", unit="ml", staff="L01", at=at("10:00"), qty=1_000, returns=[],
                          used_at=None, lends=[], cutoff=None)
    refused(z.check_lend(lead_draw, OTHER, LEAD, at("11:00")), "Z5")
    assert z.check_lend(lead_draw, OTHER, SUPERVISOR, at("11:00")) is None
    bad(z.check_lend(a_draw(used_at=at("11:00")), OTHER, LEAD, at("12:00")), "draw")  # closed


# ----------------------------------------------------------------------------- Z6 anomalies


@pytest.mark.parametrize("counted, expected, words", [
    (630_000, 650_000, "counted 630.000 ml, the ledger holds 650.000 ml (short by 20.000 ml)"),
    (651_500, 650_000, "counted 651.500 ml, the ledger holds 650.000 ml (over by 1.500 ml)"),
])
def test_z6_a_count_that_differs_is_an_anomaly_with_both_figures(counted, expected, words):
    assert z.count_note("thinner", "ml", counted, expected) == f"stock-take of thinner: {words}"
