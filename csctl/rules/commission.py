"""Commission statements and team bonus pools (rules.md C1-C7).

Pure: a person's month of sales totals, special commissions and the policy in; a
statement out. Money is Decimal throughout and each line is rounded half-up to 0.01 once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..models import Month, Staff
from ..policy import Placement, Plan, Policy

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_money(value: Decimal) -> Decimal:
    """Half-up to the cent, once per line (C6)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def service_months(hired: date | None, first_day: date) -> int:
    """Full months of service from the hire date to the month's first day (C4).

    Hired 2025-10-01 has 12 full months on 2026-10-01; hired 2025-10-02 has 11.
    """
    if hired is None or hired > first_day:
        return 0
    from dateutil.relativedelta import relativedelta

    gap = relativedelta(first_day, hired)
    return gap.years * 12 + gap.months


@dataclass(frozen=True)
class Statement:
    """One person's pay for a month (C6 pay lines)."""

    staff: str
    name: str
    dept: str
    level: str | None
    plan: str | None
    base: Decimal
    allowance: Decimal
    sales: Decimal
    orders: int
    sales_commission: Decimal
    order_commission: Decimal
    guarantee_topup: Decimal
    special: Decimal
    total: Decimal
    base_set: bool = True  # False: the policy gives this person no base (see base_is_set)
    days_active: int = 0  # C6: calendar days of the month the person was active
    days_in_month: int = 0
    rank: str = ""


def base_salary(person: Staff, place: Placement, policy: Policy) -> Decimal:
    """C6: the department's (or the person's own) base; "level" pays by the level held, or by
    the rank for a rank the policy pays a base of its own (a customer-service supervisor or
    manager: no management base in customer service, doc 6 §3)."""
    if place.base == "level":
        if person.rank in policy.rank_base:
            return policy.rank_base[person.rank]
        return policy.level_base.get(person.level or "", ZERO)
    return Decimal(place.base)


def base_is_set(person: Staff, policy: Policy) -> bool:
    """Whether the policy gives this person a base at all: their own, their department's, or
    their level's. A customer-service supervisor has no level, and a department the policy
    does not list has no base: both are paid 0 until the policy says otherwise."""
    own = policy.staff.get(person.id)
    if own is not None and own.base is not None:
        base = own.base
    elif person.dept in policy.departments:
        base = policy.departments[person.dept].base
    else:
        return False
    return base != "level" or person.rank in policy.rank_base or (person.level or "") in policy.level_base


def floor_of(plan: Plan, person: Staff, month: Month) -> Decimal | None:
    """C4: the plan's guaranteed minimum, the veteran's once their service is long enough, or
    from the first month for the plan's veteran rank and above (managers, doc 6 §3)."""
    if plan.veteran_floor is not None and plan.veteran_rank is not None and person.at_least(plan.veteran_rank):
        return plan.veteran_floor
    if plan.veteran_floor is not None and plan.veteran_months is not None:
        if service_months(person.hired, month.first_day) >= plan.veteran_months:
            return plan.veteran_floor
    return plan.floor


def statement(
    person: Staff,
    month: Month,
    policy: Policy,
    *,
    sales: Decimal,
    orders: int,
    special: Decimal,
) -> Statement:
    """C2-C6 for one person active in the month.

    `sales` is the net of the month's sales, refunds and returns (C1); `orders` the orders
    recorded; `special` the approved special commissions (C5).
    """
    place = policy.placement(person.id, person.dept)
    plan = policy.plans.get(place.plan) if place.plan else None
    days, active = month.last_day.day, person.days_active(month)
    # C6 part months: base, allowance and floor by calendar days active, rounded once per line.
    share = Decimal(active) / Decimal(days) if policy.prorate == "days" else Decimal(1)
    base = round_money(base_salary(person, place, policy) * share)
    sales_commission = order_commission = topup = ZERO
    if plan is not None:
        if plan.sales_rate is not None:
            # C2: a refund reduces the base; a month whose refunds exceed its sales earns nothing,
            # it does not take pay back.
            earned = round_money(sales * plan.sales_rate)
            sales_commission = earned if earned > 0 else ZERO
        if plan.per_order is not None:
            order_commission = round_money(Decimal(orders) * plan.per_order)  # C3
        floor = floor_of(plan, person, month)
        floor = round_money(floor * share) if floor is not None else None
        if floor is not None and sales_commission + order_commission < floor:
            topup = floor - sales_commission - order_commission  # C4
    allowance = round_money(policy.allowance * share)  # C6, every active employee
    special = round_money(special)  # C5
    total = base + allowance + sales_commission + order_commission + topup + special
    return Statement(
        staff=person.id,
        name=person.name,
        dept=person.dept,
        rank=person.rank,
        level=person.level,
        plan=place.plan,
        base=base,
        allowance=allowance,
        sales=round_money(sales),
        orders=orders,
        sales_commission=sales_commission,
        order_commission=order_commission,
        guarantee_topup=topup,
        special=special,
        total=total,
        base_set=base_is_set(person, policy),
        days_active=active,
        days_in_month=days,
    )


@dataclass(frozen=True)
class Costs:
    """C7: the month's costs, as recorded by `csctl month costs`."""

    product_cost: Decimal
    marketing: Decimal
    shipping_loss: Decimal
    other: Decimal


@dataclass(frozen=True)
class Pools:
    sales: Decimal
    sales_commission: Decimal
    product_cost: Decimal
    gross_margin: Decimal
    order_commission: Decimal
    target_commission: Decimal
    marketing: Decimal
    shipping_loss: Decimal
    other: Decimal
    net_profit: Decimal
    total_target: Decimal
    threshold: Decimal
    payable: bool
    excellent_pool: Decimal
    management_pool: Decimal
    operations_pool: Decimal


POOL_SHARES = (Decimal("0.40"), Decimal("0.40"), Decimal("0.20"))  # doc 6 §6: 40 / 40 / 20


def pools(statements: Sequence[Statement], costs: Costs, target_commission: Decimal = ZERO) -> Pools:
    """C7: gross margin, net profit, the total target (a third of net profit), and the pools,
    paid only if the target reaches the base salaries of everyone active in the month."""
    sales = sum((s.sales for s in statements), ZERO)
    sales_commission = sum((s.sales_commission for s in statements), ZERO)
    order_commission = sum((s.order_commission for s in statements), ZERO)
    threshold = sum((s.base for s in statements), ZERO)
    gross = sales - sales_commission - costs.product_cost
    net = gross - order_commission - target_commission - costs.marketing - costs.shipping_loss - costs.other
    total_target = round_money(net / 3)
    payable = total_target >= threshold and total_target > 0
    shares = [round_money(total_target * share) if payable else ZERO for share in POOL_SHARES]
    return Pools(
        sales=sales,
        sales_commission=sales_commission,
        product_cost=costs.product_cost,
        gross_margin=gross,
        order_commission=order_commission,
        target_commission=target_commission,
        marketing=costs.marketing,
        shipping_loss=costs.shipping_loss,
        other=costs.other,
        net_profit=net,
        total_target=total_target,
        threshold=threshold,
        payable=payable,
        excellent_pool=shares[0],
        management_pool=shares[1],
        operations_pool=shares[2],
    )
