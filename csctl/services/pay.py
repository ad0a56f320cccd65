"""Pay: the month's costs (C7), its statements (C1-C6) and team bonus pools (C7).

Statements and pools are computed from the live sales and special commission of the month
(rules/commission.py) and stored whole by a month close (services/month.py).
"""

from __future__ import annotations

from ..i18n import _

from decimal import Decimal
from typing import Any

from .. import parse, tables
from ..parse import shown
from ..errors import InputError
from ..ledger.queries import months as month_queries
from ..ledger.queries import sales as sales_queries
from ..models import Month, from_cents
from ..policy import Policy
from ..rules import commission
from . import Session, jsonable


COST_FIELDS = ("product_cost", "marketing", "shipping_loss", "other")


def record_costs(s: Session, month_text: str, **amounts: str | None) -> dict[str, Any]:
    """C7: the month's product cost, marketing spend, after-sales shipping losses and other costs."""
    month = parse.month(month_text)
    values = {}
    for key in COST_FIELDS:
        text = amounts.get(key)
        flag = "--" + key.replace("_", "-")
        if text is None:
            raise InputError(flag.lstrip("-"), _("the month's costs need {flag} (0 if there were none)").format(flag=flag))
        cents = parse.cents(text, key.replace("_", "-"))
        if cents < 0:
            raise InputError(key.replace("_", "-"), _("{text}: a cost is not negative").format(text=shown(text)))
        values[f"{key}_cents"] = cents
    with s.write(tables.write_rank("costs"), rule="C7", doing=_("recording the month's costs"), dated=month,
                 what=_("costs")) as w:
        previous = _costs_row(s, month)
        row = w.append("costs", {"month": str(month), **values})
    out = jsonable(row)
    out["replaces"] = previous["id"] if previous else None
    return out




def _costs_row(s: Session, month: Month) -> Any:
    return month_queries.costs_of(s.ledger, str(month))


# ------------------------------------------------------------------------------ the month
def statement_objects(s: Session, month: Month, policy: Policy) -> list[commission.Statement]:
    span = (str(month.first_day), str(month.next().first_day))
    totals = sales_queries.sales_totals(s.ledger, *span)
    specials = sales_queries.bonus_totals(s.ledger, *span)
    out = []
    for person in sorted(s.staff_in(month).values(), key=lambda p: p.id):
        if not person.active_in(month):
            continue
        cents, orders = totals.get(person.id, (0, 0))
        # C3: a returned order takes one off; a person's orders in a month never go below 0.
        out.append(commission.statement(person, month, policy, sales=from_cents(cents), orders=max(orders or 0, 0),
                                        special=from_cents(specials.get(person.id, 0))))
    return out


def statement_json(st: commission.Statement, outcome: str | None, score: Any) -> dict[str, Any]:
    return {
        "staff": st.staff,
        "name": st.name,
        "dept": st.dept,
        "rank": st.rank,
        "level": st.level,
        "plan": st.plan,
        "base": str(st.base),
        "allowance": str(st.allowance),
        "sales": str(st.sales),
        "orders": st.orders,
        "sales_commission": str(st.sales_commission),
        "order_commission": str(st.order_commission),
        "guarantee_topup": str(st.guarantee_topup),
        "special": str(st.special),
        "total": str(st.total),
        "base_set": st.base_set,
        "days_active": st.days_active,
        "days_in_month": st.days_in_month,
        "outcome": outcome,
        "score": score,
    }


def statements(s: Session, month: Month, policy: Policy, report: list[dict[str, Any]],
               objects: list[commission.Statement] | None = None) -> list[dict[str, Any]]:
    """Everyone active in the month, with the discipline outcome beside the pay (C6);
    `objects`: the month's statement_objects when the caller has them already."""
    by_staff = {line["staff"]: line for line in report}
    return [
        statement_json(st, by_staff[st.staff]["outcome"] if st.staff in by_staff else None,
                       by_staff[st.staff]["score"] if st.staff in by_staff else None)
        for st in (statement_objects(s, month, policy) if objects is None else objects)
    ]


STATEMENT_MONEY = ("base", "allowance", "sales", "sales_commission", "order_commission", "guarantee_topup",
                   "special", "total")


def statement_totals(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """The sum of each money column of the statements (and of their orders): the table's totals
    row. Money is added as Decimal from its exact text, never as float."""
    out: dict[str, Any] = {key: str(sum((Decimal(line[key]) for line in lines), Decimal("0.00")))
                           for key in STATEMENT_MONEY}
    out["orders"] = sum(line["orders"] or 0 for line in lines)
    return out


def pools(s: Session, month: Month, policy: Policy,
          objects: list[commission.Statement] | None = None) -> dict[str, Any] | None:
    """C7, once the month's costs are recorded; None before. `objects` as for statements."""
    row = _costs_row(s, month)
    if row is None:
        return None
    costs = commission.Costs(*(from_cents(row[f"{k}_cents"]) for k in COST_FIELDS))
    result = commission.pools(statement_objects(s, month, policy) if objects is None else objects, costs)
    out: dict[str, Any] = {"month": str(month), "costs_row": row["id"]}
    for key, value in vars(result).items():
        out[key] = value if isinstance(value, bool) else str(value)
    return out
