"""Table-driven tests of the pure commission rules (shared/spec/rules.md C1-C7).

No ledger: Staff and Month values go in, Statement and Pools values come out, and every
money figure is checked as an exact Decimal written with two places (so "2000" or "-0.00"
where "2000.00" / "0.00" is due fails too). The policy comes from
`csctl.policy.default_policy()` or from `csctl.policy.load(toml)`, which lays a TOML text
over the shipped defaults.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from csctl import policy as policy_mod
from csctl.errors import InputError
from csctl.models import Month, Staff
from csctl.rules.commission import (
    Costs,
    Statement,
    base_salary,
    floor_of,
    pools,
    round_money,
    service_months,
    statement,
)

OCT = Month(2026, 10)
DEFAULT = policy_mod.default_policy()
LONG_AGO = date(2020, 1, 1)  # a veteran in every month tested
RECENT = date(2026, 3, 1)  # 7 full months of service on 2026-10-01


# -- helpers -------------------------------------------------------------------------------


def assert_money(actual: Decimal, expected: str) -> None:
    """Exact value and exactly two places, no negative zero."""
    assert isinstance(actual, Decimal), f"{actual!r} is not a Decimal"
    assert actual == Decimal(expected), f"{actual} != {expected}"
    assert str(actual) == expected, f"{actual!r} is not written {expected!r}"


def person(
    dept: str = "customer_service",
    *,
    sid: str = "S01",
    level: str | None = None,
    hired: date | None = LONG_AGO,
    rank: str = "staff",
) -> Staff:
    if dept == "customer_service" and level is None:
        level = "junior"
    return Staff(sid, f"Name {sid}", dept, rank, level=level, hired=hired)


def run(
    who: Staff,
    *,
    policy: policy_mod.Policy = DEFAULT,
    sales: str | Decimal = "0.00",
    orders: int = 0,
    special: str | Decimal = "0.00",
    month: Month = OCT,
) -> Statement:
    return statement(who, month, policy, sales=Decimal(sales), orders=orders, special=Decimal(special))


def net_of(rows: list[str]) -> Decimal:
    """C1: the month's sales rows, refunds and returns negative, summed exactly."""
    return sum((Decimal(r) for r in rows), Decimal("0.00"))


# -- money rounding (one half-up rounding per line) ----------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("0.0049", "0.00"),
        ("0.006", "0.01"),
        ("0.0048", "0.00"),
        ("0.025", "0.03"),  # half-up, not banker's (half-even would give 0.02)
        ("2.675", "2.68"),  # a binary float would give 2.67
        ("1999.995", "2000.00"),
        ("2000", "2000.00"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_C6_round_money_is_half_up_to_the_cent(value, expected):
    assert_money(round_money(Decimal(value)), expected)


# -- C1 / C2: sales commission ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "net", "commission"),
    [
        pytest.param(["100000.00"], "100000.00", "2000.00", id="C2-100k-at-2pct-is-2000"),
        pytest.param(["60000.00", "40000.00"], "100000.00", "2000.00", id="C2-two-sales-summed"),
        pytest.param(["100000.00", "-5000.00"], "95000.00", "1900.00", id="C1-C2-refund-reduces-base"),
        pytest.param(["100000.00", "-0.50"], "99999.50", "1999.99", id="C1-C2-small-return-reduces-base"),
        pytest.param(["0.10", "0.10", "0.10"], "0.30", "0.01", id="C2-0.30-gives-0.006-rounds-up-once"),
        pytest.param(["0.24"], "0.24", "0.00", id="C2-0.24-gives-0.0048-rounds-down"),
        pytest.param(["0.08", "0.08", "0.08"], "0.24", "0.00", id="C2-three-rows-0.24-rounds-down"),
        pytest.param(["0.25"], "0.25", "0.01", id="C2-exact-half-cent-rounds-up"),
        pytest.param(["1.25"], "1.25", "0.03", id="C2-0.025-half-up-not-half-even"),
        pytest.param(["12345.67"], "12345.67", "246.91", id="C2-odd-amount"),
        pytest.param(["1000.00", "-1500.00"], "-500.00", "0.00", id="C1-C2-net-negative-earns-nothing"),
        pytest.param(["-20000.00"], "-20000.00", "0.00", id="C1-C2-refund-only-month-earns-nothing"),
        pytest.param([], "0.00", "0.00", id="C2-no-sales"),
    ],
)
def test_C2_sales_commission_at_two_percent(rows, net, commission):
    st = run(person("customer_service", level="junior"), sales=net_of(rows))
    assert st.plan == "sales_2pct"
    assert_money(st.sales, net)
    assert_money(st.sales_commission, commission)
    assert_money(st.order_commission, "0.00")
    assert_money(st.guarantee_topup, "0.00")
    # junior 2200 + meal allowance 300 + commission; a negative month takes no pay back
    assert_money(st.total, str(Decimal("2500.00") + Decimal(commission)))


def test_C2_small_net_negative_sales_give_plain_zero_commission():
    st = run(person("customer_service"), sales=net_of(["0.10", "-0.34"]))  # net -0.24
    assert_money(st.sales, "-0.24")
    assert_money(st.sales_commission, "0.00")


@pytest.mark.parametrize(
    ("rate", "sales", "commission"),
    [
        pytest.param("0.035", "100000.00", "3500.00", id="C2-rate-3.5pct-from-policy"),
        pytest.param("0.000125", "100000.00", "12.50", id="C2-six-place-rate"),
        pytest.param("0.01", "0.50", "0.01", id="C2-1pct-of-0.50-half-up"),
    ],
)
def test_C2_rate_comes_from_the_policy(rate, sales, commission):
    policy = policy_mod.load(f'[plans.sales_2pct]\nsales_rate = "{rate}"\n')
    st = run(person("customer_service", level="senior"), policy=policy, sales=sales)
    assert_money(st.sales_commission, commission)
    assert_money(st.total, str(Decimal("3300.00") + Decimal(commission)))


# -- C3: per-order commission --------------------------------------------------------------


@pytest.mark.parametrize(
    ("dept", "hired", "sales", "orders", "order_commission", "base", "topup", "total"),
    [
        pytest.param("logistics", RECENT, "0.00", 1830, "1830.00", "0.00", "0.00", "2130.00",
                     id="C3-logistics-1830-orders-at-1.00"),
        pytest.param("logistics", LONG_AGO, "0.00", 3000, "3000.00", "0.00", "0.00", "3300.00",
                     id="C3-logistics-veteran-3000-orders"),
        pytest.param("data", RECENT, "0.00", 2950, "1475.00", "1500.00", "0.00", "3275.00",
                     id="C3-data-2950-orders-at-0.50"),
        pytest.param("data", RECENT, "0.00", 1, "0.50", "1500.00", "0.00", "1800.50",
                     id="C3-data-one-order"),
        pytest.param("data", RECENT, "0.00", 3, "1.50", "1500.00", "0.00", "1801.50",
                     id="C3-data-three-orders"),
        pytest.param("data", RECENT, "0.00", 0, "0.00", "1500.00", "0.00", "1800.00",
                     id="C3-C4-data-no-orders-no-floor"),
        pytest.param("logistics", RECENT, "50000.00", 1830, "1830.00", "0.00", "0.00", "2130.00",
                     id="C3-logistics-sales-amount-earns-no-C2"),
    ],
)
def test_C3_per_order_commission(dept, hired, sales, orders, order_commission, base, topup, total):
    st = run(person(dept, sid="L01", hired=hired), sales=sales, orders=orders)
    assert st.orders == orders
    assert_money(st.order_commission, order_commission)
    assert_money(st.sales_commission, "0.00")
    assert_money(st.base, base)
    assert_money(st.guarantee_topup, topup)
    assert_money(st.total, total)


def test_C3_customer_service_orders_earn_no_per_order_commission():
    st = run(person("customer_service", level="junior"), sales="100000.00", orders=400)
    assert_money(st.order_commission, "0.00")
    assert_money(st.sales_commission, "2000.00")
    assert_money(st.total, "4500.00")


# -- C4: guaranteed minimum ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hired", "first_day", "months"),
    [
        pytest.param(date(2025, 10, 1), date(2026, 10, 1), 12, id="C4-hired-2025-10-01-has-12"),
        pytest.param(date(2025, 10, 2), date(2026, 10, 1), 11, id="C4-hired-2025-10-02-has-11"),
        pytest.param(date(2025, 9, 30), date(2026, 10, 1), 12, id="C4-hired-2025-09-30-has-12"),
        pytest.param(date(2025, 10, 31), date(2026, 10, 1), 11, id="C4-hired-2025-10-31-has-11"),
        pytest.param(date(2026, 10, 1), date(2026, 10, 1), 0, id="C4-hired-on-the-day"),
        pytest.param(date(2026, 10, 15), date(2026, 10, 1), 0, id="C4-hired-later-in-month"),
        pytest.param(date(2026, 9, 1), date(2026, 10, 1), 1, id="C4-one-month"),
        pytest.param(date(2023, 10, 1), date(2026, 10, 1), 36, id="C4-three-years"),
        pytest.param(date(2025, 1, 31), date(2026, 2, 1), 12, id="C4-end-of-month-hire"),
        pytest.param(None, date(2026, 10, 1), 0, id="C4-no-hire-date"),
    ],
)
def test_C4_service_months(hired, first_day, months):
    assert service_months(hired, first_day) == months


@pytest.mark.parametrize(
    ("plan", "hired", "floor"),
    [
        pytest.param("orders_logistics", date(2025, 10, 1), "2500.00", id="C4-veteran-floor-at-12-months"),
        pytest.param("orders_logistics", date(2025, 10, 2), "1500.00", id="C4-one-day-short-ordinary-floor"),
        pytest.param("orders_logistics", LONG_AGO, "2500.00", id="C4-long-service-veteran-floor"),
        pytest.param("orders_logistics", RECENT, "1500.00", id="C4-new-hire-ordinary-floor"),
        pytest.param("orders_logistics", None, "1500.00", id="C4-no-hire-date-not-veteran"),
        pytest.param("orders_data", LONG_AGO, None, id="C4-data-plan-has-no-floor"),
        pytest.param("sales_2pct", LONG_AGO, None, id="C4-sales-plan-has-no-floor"),
    ],
)
def test_C4_floor_of(plan, hired, floor):
    got = floor_of(DEFAULT.plans[plan], person("logistics", hired=hired), OCT)
    if floor is None:
        assert got is None
    else:
        assert_money(got, floor)


@pytest.mark.parametrize(
    ("hired", "orders", "order_commission", "topup", "total"),
    [
        pytest.param(RECENT, 1200, "1200.00", "300.00", "1800.00", id="C4-below-ordinary-floor-topped-up"),
        pytest.param(date(2025, 10, 1), 1200, "1200.00", "1300.00", "2800.00",
                     id="C4-hired-2025-10-01-veteran-in-2026-10"),
        pytest.param(date(2025, 10, 2), 1200, "1200.00", "300.00", "1800.00",
                     id="C4-hired-2025-10-02-not-veteran-in-2026-10"),
        pytest.param(None, 1200, "1200.00", "300.00", "1800.00", id="C4-no-hire-date-ordinary-floor"),
        pytest.param(RECENT, 0, "0.00", "1500.00", "1800.00", id="C4-no-orders-whole-floor"),
        pytest.param(RECENT, 1500, "1500.00", "0.00", "1800.00", id="C4-exactly-at-floor-no-topup"),
        pytest.param(RECENT, 1501, "1501.00", "0.00", "1801.00", id="C4-above-floor-no-topup"),
        pytest.param(RECENT, 1830, "1830.00", "0.00", "2130.00", id="C4-1830-orders-above-1500"),
        pytest.param(LONG_AGO, 1830, "1830.00", "670.00", "2800.00", id="C4-1830-orders-veteran-topped-up"),
        pytest.param(LONG_AGO, 2499, "2499.00", "1.00", "2800.00", id="C4-veteran-one-short"),
        pytest.param(LONG_AGO, 2600, "2600.00", "0.00", "2900.00", id="C4-veteran-above-floor-no-topup"),
    ],
)
def test_C4_logistics_guaranteed_minimum(hired, orders, order_commission, topup, total):
    st = run(person("logistics", sid="L01", hired=hired), orders=orders)
    assert_money(st.order_commission, order_commission)
    assert_money(st.guarantee_topup, topup)
    assert_money(st.base, "0.00")
    assert_money(st.total, total)


@pytest.mark.parametrize(
    ("sales", "commission", "topup"),
    [
        pytest.param("10000.00", "200.00", "800.00", id="C4-floor-raises-C2-commission"),
        pytest.param("49999.99", "1000.00", "0.00", id="C4-C2-commission-rounded-to-floor"),
        pytest.param("49999.50", "999.99", "0.01", id="C4-one-cent-short"),
        pytest.param("60000.00", "1200.00", "0.00", id="C4-C2-commission-above-floor"),
        pytest.param("-3000.00", "0.00", "1000.00", id="C4-net-negative-sales-whole-floor"),
    ],
)
def test_C4_floor_applies_to_sales_commission_plans_too(sales, commission, topup):
    policy = policy_mod.load('[plans.sales_floor]\nsales_rate = "0.02"\nfloor = "1000.00"\n'
                             '[staff.M01]\nplan = "sales_floor"\n')
    st = run(person("marketing", sid="M01"), policy=policy, sales=sales)
    assert_money(st.sales_commission, commission)
    assert_money(st.guarantee_topup, topup)
    # marketing base 1500 + allowance 300 + commission raised to at least 1000
    assert_money(st.total, str(Decimal("1800.00") + Decimal(commission) + Decimal(topup)))


@pytest.mark.parametrize(
    ("hired", "topup"),
    [
        pytest.param(date(2026, 4, 1), "2000.00", id="C4-policy-veteran-after-6-months"),
        pytest.param(date(2026, 4, 2), "500.00", id="C4-policy-5-months-ordinary"),
    ],
)
def test_C4_veteran_rule_is_a_policy_value(hired, topup):
    policy = policy_mod.load('[plans.orders_logistics]\nfloor = "1000.00"\n'
                             'veteran_floor = "2500.00"\nveteran_months = 6\n')
    st = run(person("logistics", hired=hired), policy=policy, orders=500)
    assert_money(st.guarantee_topup, topup)


# -- C5: special commission ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sales", "special", "expected_special", "total"),
    [
        pytest.param("0.00", "500.00", "500.00", "3000.00", id="C5-special-added-to-total"),
        pytest.param("100000.00", "250.50", "250.50", "4750.50", id="C5-special-beside-C2"),
        pytest.param("0.00", "123.455", "123.46", "2623.46", id="C5-special-rounded-half-up"),
        # two approved specials of 0.004 each: rounded once on their sum (0.008 -> 0.01),
        # not once per entry (0.00 + 0.00)
        pytest.param("0.00", Decimal("0.004") + Decimal("0.004"), "0.01", "2500.01",
                     id="C5-specials-summed-then-rounded-once"),
        pytest.param("0.00", "0.00", "0.00", "2500.00", id="C5-no-special"),
    ],
)
def test_C5_special_commission(sales, special, expected_special, total):
    st = run(person("customer_service", level="junior"), sales=sales, special=special)
    assert_money(st.special, expected_special)
    assert_money(st.total, total)


def test_C5_special_reaches_a_person_without_a_plan():
    st = run(person("security", sid="G01"), special="88.80")
    assert st.plan is None
    assert_money(st.special, "88.80")
    assert_money(st.total, "388.80")


# -- C6: pay lines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "base", "total"),
    [
        pytest.param("probation", "1800.00", "2100.00", id="C6-probation-1800"),
        pytest.param("junior", "2200.00", "2500.00", id="C6-junior-2200"),
        pytest.param("intermediate", "2500.00", "2800.00", id="C6-intermediate-2500"),
        pytest.param("senior", "3000.00", "3300.00", id="C6-senior-3000"),
        pytest.param("reserve_supervisor", "4000.00", "4300.00", id="C6-reserve-supervisor-4000"),
    ],
)
def test_C6_customer_service_base_by_level(level, base, total):
    who = person("customer_service", level=level)
    assert_money(base_salary(who, DEFAULT.placement(who.id, who.dept), DEFAULT), base)
    st = run(who)
    assert st.level == level
    assert_money(st.base, base)
    assert_money(st.allowance, "300.00")
    assert_money(st.total, total)


@pytest.mark.parametrize(
    ("dept", "base", "plan", "total"),
    [
        pytest.param("data", "1500.00", "orders_data", "1800.00", id="C6-data-base-1500"),
        pytest.param("marketing", "1500.00", None, "1800.00", id="C6-marketing-base-1500-no-plan"),
        pytest.param("product", "1500.00", None, "1800.00", id="C6-product-base-1500-no-plan"),
        pytest.param("logistics", "0.00", "orders_logistics", "1800.00", id="C6-logistics-base-0-floor"),
        pytest.param("security", "0.00", None, "300.00", id="C6-security-base-0-no-plan"),
        pytest.param("engineering", "0.00", None, "300.00", id="C6-engineering-base-0-no-plan"),
        pytest.param("cleaning", "0.00", None, "300.00", id="C6-cleaning-base-0-no-plan"),
        pytest.param("operations", "0.00", None, "300.00", id="C6-operations-base-0-no-plan"),
        pytest.param("admin", "0.00", None, "300.00", id="C6-admin-base-0-no-plan"),
    ],
)
def test_C6_base_and_plan_by_department(dept, base, plan, total):
    who = person(dept, sid="X01", hired=RECENT)
    assert_money(base_salary(who, DEFAULT.placement(who.id, who.dept), DEFAULT), base)
    st = run(who)
    assert st.plan == plan
    assert_money(st.base, base)
    assert_money(st.allowance, "300.00")
    assert_money(st.total, total)


@pytest.mark.parametrize(
    "dept",
    [pytest.param(d, id=f"C6-{d}-sales-earn-nothing-without-plan")
     for d in ("security", "marketing", "product", "admin")],
)
def test_C6_no_plan_means_no_commission(dept):
    st = run(person(dept, sid="X01"), sales="100000.00", orders=500)
    assert_money(st.sales_commission, "0.00")
    assert_money(st.order_commission, "0.00")
    assert_money(st.guarantee_topup, "0.00")
    assert_money(st.total, str(st.base + Decimal("300.00")))


@pytest.mark.parametrize(
    ("dept", "level", "allowance", "total"),
    [
        pytest.param("customer_service", "senior", "350.00", "3350.00", id="C6-allowance-from-policy-cs"),
        pytest.param("security", None, "350.00", "350.00", id="C6-allowance-from-policy-security"),
        pytest.param("security", None, "0.00", "0.00", id="C6-allowance-zero"),
    ],
)
def test_C6_meal_allowance_is_a_policy_value_for_everyone(dept, level, allowance, total):
    policy = policy_mod.load(f'[pay]\nallowance = "{allowance}"\n')
    st = run(person(dept, level=level), policy=policy)
    assert_money(st.allowance, allowance)
    assert_money(st.total, total)


@pytest.mark.parametrize("dept", [pytest.param("marketing", id="C6-marketing-plan-set-by-policy")])
def test_C6_policy_can_give_a_planless_department_a_plan(dept):
    policy = policy_mod.load(f'[departments.{dept}]\nplan = "orders_data"\n')
    assert policy.placement("M01", dept) == policy_mod.Placement(Decimal("1500.00"), "orders_data")
    st = run(person(dept, sid="M01"), policy=policy, orders=100)
    assert_money(st.order_commission, "50.00")
    assert_money(st.total, "1850.00")


def test_C6_total_is_base_allowance_commissions_topup_and_special():
    policy = policy_mod.load(
        '[plans.mix]\nsales_rate = "0.01"\nper_order = "0.25"\nfloor = "800.00"\n'
        '[staff.S09]\nplan = "mix"\nbase = "1000.00"\n'
    )
    st = run(person("logistics", sid="S09", hired=LONG_AGO), policy=policy,
             sales="12345.67", orders=1001, special="50.00")
    assert st.plan == "mix"
    assert_money(st.base, "1000.00")
    assert_money(st.allowance, "300.00")
    assert_money(st.sales_commission, "123.46")  # 123.4567
    assert_money(st.order_commission, "250.25")
    assert_money(st.guarantee_topup, "426.29")  # 800.00 - 373.71
    assert_money(st.special, "50.00")
    assert_money(st.total, "2150.00")
    assert st.total == (st.base + st.allowance + st.sales_commission + st.order_commission
                        + st.guarantee_topup + st.special)


S07_POLICY = '[staff.S07]\nplan = "orders_logistics"\nbase = "2000.00"\n'


@pytest.mark.parametrize(
    ("toml", "who", "sales", "orders", "plan", "base", "sc", "oc", "topup", "total"),
    [
        pytest.param(S07_POLICY, person("security", sid="S07", hired=RECENT), "0.00", 100,
                     "orders_logistics", "2000.00", "0.00", "100.00", "1400.00", "3800.00",
                     id="C6-S07-override-plan-and-base"),
        pytest.param(S07_POLICY, person("security", sid="S08", hired=RECENT), "0.00", 100,
                     None, "0.00", "0.00", "0.00", "0.00", "300.00",
                     id="C6-S08-same-dept-not-overridden"),
        pytest.param('[staff.S07]\nbase = "3500.00"\n', person("customer_service", sid="S07", level="junior"),
                     "100000.00", 0, "sales_2pct", "3500.00", "2000.00", "0.00", "0.00", "5800.00",
                     id="C6-S07-base-only-keeps-dept-plan"),
        pytest.param('[staff.S07]\nplan = "orders_data"\n', person("customer_service", sid="S07", level="senior"),
                     "100000.00", 100, "orders_data", "3000.00", "0.00", "50.00", "0.00", "3350.00",
                     id="C6-S07-plan-only-keeps-level-base"),
    ],
)
def test_C6_per_person_override(toml, who, sales, orders, plan, base, sc, oc, topup, total):
    policy = policy_mod.load(toml)
    st = run(who, policy=policy, sales=sales, orders=orders)
    assert st.plan == plan
    assert_money(st.base, base)
    assert_money(st.sales_commission, sc)
    assert_money(st.order_commission, oc)
    assert_money(st.guarantee_topup, topup)
    assert_money(st.total, total)


# -- C7: team bonus pools ------------------------------------------------------------------------


def _team() -> list[Statement]:
    """Threshold 2200 + 3000 + 0 + 1500 + 0 = 6700.00; sales 800,000.00; C2 16,000.00;
    per-order 2,600.00 + 1,475.00 = 4,075.00."""
    return [
        run(person("customer_service", sid="S01", level="junior"), sales="500000.00"),
        run(person("customer_service", sid="S02", level="senior"), sales="300000.00"),
        run(person("logistics", sid="L01", hired=LONG_AGO), orders=2600),
        run(person("data", sid="D01"), orders=2950),
        run(person("security", sid="G01")),
    ]


# net = 800000.00 - 16000.00 - product - 4075.00 - 500.00 - 50000.00 - 1234.56 - 3000.00
#     = 725190.44 - product
@pytest.mark.parametrize(
    ("product", "gross", "net", "target", "payable", "excellent", "management", "operations"),
    [
        pytest.param("705090.44", "78909.56", "20100.00", "6700.00", True, "2680.00", "2680.00", "1340.00",
                     id="C7-exactly-at-threshold-payable"),
        pytest.param("705090.47", "78909.53", "20099.97", "6699.99", False, "0.00", "0.00", "0.00",
                     id="C7-one-cent-below-threshold-not-payable"),
        pytest.param("705090.45", "78909.55", "20099.99", "6700.00", True, "2680.00", "2680.00", "1340.00",
                     id="C7-target-rounded-half-up-before-comparing"),
        pytest.param("600000.00", "184000.00", "125190.44", "41730.15", True, "16692.06", "16692.06", "8346.03",
                     id="C7-well-above-threshold-40-40-20"),
        pytest.param("800000.00", "-16000.00", "-74809.56", "-24936.52", False, "0.00", "0.00", "0.00",
                     id="C7-loss-not-payable"),
    ],
)
def test_C7_pools(product, gross, net, target, payable, excellent, management, operations):
    costs = Costs(product_cost=Decimal(product), marketing=Decimal("50000.00"),
                  shipping_loss=Decimal("1234.56"), other=Decimal("3000.00"))
    p = pools(_team(), costs, Decimal("500.00"))
    assert_money(p.sales, "800000.00")
    assert_money(p.sales_commission, "16000.00")
    assert_money(p.product_cost, product)
    assert_money(p.gross_margin, gross)
    assert_money(p.order_commission, "4075.00")
    assert_money(p.target_commission, "500.00")
    assert_money(p.marketing, "50000.00")
    assert_money(p.shipping_loss, "1234.56")
    assert_money(p.other, "3000.00")
    assert_money(p.net_profit, net)
    assert_money(p.total_target, target)
    assert_money(p.threshold, "6700.00")
    assert p.payable is payable
    assert_money(p.excellent_pool, excellent)
    assert_money(p.management_pool, management)
    assert_money(p.operations_pool, operations)


@pytest.mark.parametrize(
    ("sales", "target", "excellent", "management", "operations"),
    [
        pytest.param("300.00", "100.00", "40.00", "40.00", "20.00", id="C7-split-100"),
        pytest.param("3703.71", "1234.57", "493.83", "493.83", "246.91", id="C7-split-each-pool-rounded"),
        pytest.param("10.00", "3.33", "1.33", "1.33", "0.67", id="C7-split-third-rounded"),
        pytest.param("0.05", "0.02", "0.01", "0.01", "0.00", id="C7-split-tiny"),
    ],
)
def test_C7_pool_split_40_40_20(sales, target, excellent, management, operations):
    # one security person: base 0, no plan, so threshold 0 and net profit = sales
    team = [run(person("security", sid="G01"), sales=sales)]
    zero = Decimal("0.00")
    p = pools(team, Costs(zero, zero, zero, zero))
    assert_money(p.threshold, "0.00")
    assert_money(p.net_profit, sales)
    assert_money(p.total_target, target)
    assert p.payable is True
    assert_money(p.excellent_pool, excellent)
    assert_money(p.management_pool, management)
    assert_money(p.operations_pool, operations)


@pytest.mark.parametrize(
    ("team", "threshold"),
    [
        pytest.param([("customer_service", "probation"), ("customer_service", "reserve_supervisor")],
                     "5800.00", id="C7-threshold-cs-levels"),
        pytest.param([("data", None), ("marketing", None), ("product", None), ("logistics", None),
                      ("security", None)], "4500.00", id="C7-threshold-other-depts"),
        pytest.param([], "0.00", id="C7-threshold-empty-month"),
    ],
)
def test_C7_threshold_is_the_sum_of_base_salaries(team, threshold):
    statements = [run(person(dept, sid=f"X{i:02d}", level=level)) for i, (dept, level) in enumerate(team)]
    zero = Decimal("0.00")
    p = pools(statements, Costs(zero, zero, zero, zero))
    assert_money(p.threshold, threshold)


def test_C7_target_commission_defaults_to_zero():
    zero = Decimal("0.00")
    team = [run(person("customer_service", sid="S01", level="junior"), sales="100000.00")]
    p = pools(team, Costs(Decimal("10000.00"), zero, zero, zero))
    assert_money(p.target_commission, "0.00")
    assert_money(p.gross_margin, "88000.00")  # 100000 - 2000 - 10000
    assert_money(p.net_profit, "88000.00")
    assert_money(p.total_target, "29333.33")
    assert p.payable is True
    assert_money(p.excellent_pool, "11733.33")
    assert_money(p.management_pool, "11733.33")
    assert_money(p.operations_pool, "5866.67")


def test_C7_topups_and_specials_are_not_costs():
    """C7 lists the costs: per-order commission is one, the C4 top-up and C5 special are not."""
    zero = Decimal("0.00")
    team = [run(person("logistics", sid="L01", hired=RECENT), sales="9000.00", orders=100, special="700.00")]
    assert_money(team[0].guarantee_topup, "1400.00")
    p = pools(team, Costs(zero, zero, zero, zero))
    assert_money(p.gross_margin, "9000.00")
    assert_money(p.net_profit, "8900.00")
    assert_money(p.total_target, "2966.67")


# -- policy validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "field"),
    [
        pytest.param('[plans.x]\nsales_rate = "two percent"\n', "policy plans.x.sales_rate",
                     id="C2-rate-not-a-number"),
        pytest.param('[plans.sales_2pct]\nsales_rate = "2%"\n', "policy plans.sales_2pct.sales_rate",
                     id="C2-rate-percent-sign"),
        pytest.param('[plans.sales_2pct]\nsales_rate = true\n', "policy plans.sales_2pct.sales_rate",
                     id="C2-rate-boolean"),
        pytest.param('[plans.sales_2pct]\nsales_rate = "NaN"\n', "policy plans.sales_2pct.sales_rate",
                     id="C2-rate-nan"),
        pytest.param('[plans.sales_2pct]\nsales_rate = "-0.02"\n', "policy plans.sales_2pct.sales_rate",
                     id="C2-rate-negative"),
        pytest.param('[plans.sales_2pct]\nsales_rate = "0.0000001"\n', "policy plans.sales_2pct.sales_rate",
                     id="C2-rate-seven-places"),
        pytest.param('[plans.orders_data]\nper_order = "0.505"\n', "policy plans.orders_data.per_order",
                     id="C3-per-order-three-places"),
        pytest.param('[plans.orders_logistics]\nper_order = [1]\n', "policy plans.orders_logistics.per_order",
                     id="C3-per-order-a-list"),
        pytest.param('[plans.orders_logistics]\nfloor = "1500.005"\n', "policy plans.orders_logistics.floor",
                     id="C4-floor-three-places"),
        pytest.param('[plans.orders_logistics]\nveteran_months = "12"\n',
                     "policy plans.orders_logistics.veteran_months", id="C4-veteran-months-a-string"),
        pytest.param('[plans.x]\nper_order = "1.00"\nveteran_floor = "2000.00"\n', "policy plans.x",
                     id="C4-veteran-floor-without-months"),
        pytest.param('[pay]\nallowance = "300.001"\n', "policy pay.allowance", id="C6-allowance-three-places"),
        pytest.param('[pay]\nallowance = "lots"\n', "policy pay.allowance", id="C6-allowance-not-a-number"),
        pytest.param('[pay.level_base]\njunior = "2200.555"\n', "policy pay.level_base.junior",
                     id="C6-level-base-three-places"),
        pytest.param('[pay.level_base]\nexpert = "5000.00"\n', "policy pay.level_base.expert",
                     id="C6-unknown-level"),
        pytest.param('[staff.S07]\nbase = "2000.001"\n', "policy staff.S07.base", id="C6-override-base-three-places"),
        pytest.param('[pay]\nbonus = "1.00"\n', "policy pay.bonus", id="C6-unknown-pay-key"),
        pytest.param('currency = "CNY"\n', "policy currency", id="unknown-top-level-key"),
        pytest.param('[plans.sales_2pct]\nrate = "0.02"\n', "policy plans.sales_2pct.rate",
                     id="C2-unknown-key-in-shipped-plan"),
        pytest.param('[plans.x]\nrate = "0.02"\n', "policy plans.x.rate", id="C2-unknown-key-in-new-plan"),
        pytest.param('[departments.data]\nbonus = "1.00"\n', "policy departments.data.bonus",
                     id="C6-unknown-key-in-placement"),
        pytest.param('[departments.atlantis]\nbase = "1.00"\n', "policy departments.atlantis",
                     id="C6-unknown-department"),
        pytest.param('[departments.logistics]\nplan = "orders_logistic"\n', "policy departments.logistics.plan",
                     id="C6-department-plan-does-not-exist"),
        pytest.param('[departments.security]\nplan = "nope"\n', "policy departments.security.plan",
                     id="C6-new-department-plan-does-not-exist"),
        pytest.param('[staff.S07]\nplan = "nope"\n', "policy staff.S07.plan", id="C6-staff-plan-does-not-exist"),
    ],
)
def test_policy_load_refuses_naming_the_key(toml, field):
    with pytest.raises(InputError) as caught:
        policy_mod.load(toml)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("toml", "check"),
    [
        pytest.param('[pay]\nallowance = "300.1"\n', lambda p: str(p.allowance) == "300.10",
                     id="C6-one-place-money-accepted"),
        pytest.param('[pay]\nallowance = 320\n', lambda p: str(p.allowance) == "320.00",
                     id="C6-integer-money-accepted"),
        pytest.param('[plans.sales_2pct]\nsales_rate = 0.025\n',
                     lambda p: p.plans["sales_2pct"].sales_rate == Decimal("0.025"),
                     id="C2-toml-float-rate-read-exactly"),
        pytest.param('[plans.x]\nper_order = "2.00"\n[departments.security]\nplan = "x"\n',
                     lambda p: p.placement("G01", "security") == policy_mod.Placement(Decimal("0.00"), "x"),
                     id="C3-new-plan-for-new-department"),
        pytest.param(None, lambda p: p.plans["sales_2pct"].sales_rate == Decimal("0.02")
                     and p.plans["orders_logistics"].per_order == Decimal("1.00")
                     and p.plans["orders_data"].per_order == Decimal("0.50")
                     and p.plans["orders_logistics"].floor == Decimal("1500.00")
                     and p.plans["orders_logistics"].veteran_floor == Decimal("2500.00")
                     and p.plans["orders_logistics"].veteran_months == 12
                     and p.allowance == Decimal("300.00"),
                     id="C2-C3-C4-C6-shipped-defaults"),
    ],
)
def test_policy_load_accepts(toml, check):
    assert check(policy_mod.load(toml))


@pytest.mark.parametrize(
    "who, policy_text, expected",
    [
        pytest.param(person("customer_service", level="senior"), "", True, id="C6-level-base-set"),
        pytest.param(Staff("P01", "Sup", "customer_service", "supervisor"), "", True, id="C6-supervisor-rank-base-set"),
        pytest.param(Staff("G09", "GM", "customer_service", "general_manager"), "", False,
                     id="C6-cs-general-manager-no-rank-base-unset"),
        pytest.param(Staff("P01", "Sup", "customer_service", "supervisor"), '[staff.P01]\nbase = "4800.00"\n', True,
                     id="C6-supervisor-own-base-set"),
        pytest.param(person("security"), "", False, id="C6-security-not-in-policy-unset"),
        pytest.param(person("security"), '[departments.security]\nbase = "2600.00"\n', True, id="C6-security-set"),
        pytest.param(person("logistics"), "", True, id="C6-logistics-base-0-is-set-on-purpose"),
    ],
)
def test_C6_the_statement_says_whether_the_policy_gives_a_base(who, policy_text, expected):
    st = run(who, policy=policy_mod.load(policy_text or None))
    assert st.base_set is expected
    if not expected:
        assert_money(st.base, "0.00")
