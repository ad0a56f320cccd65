"""`csctl demo`: a sample department, a year of its life (three months of every rule after nine
quieter ones, services/levels.py `demo`), closed and reported.

Everything goes through the same services a supervisor's commands use, so the demo obeys
every rule; it covers each of D1-D10, the three outcomes O1-O3, and the pay of C1-C7.
"""

from __future__ import annotations

from ..i18n import _

import random
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import parse
from ..errors import InputError
from ..models import Month
from . import Session, discipline, handover, keys, levels, pay, policies, sales, staff
from . import month as months
from . import hazmat

# (id, name, dept, rank, level, months of service before the demo's last month)
PEOPLE = [
    ("G01", "Zhou Jian", "operations", "general_manager", None, 60),
    ("M01", "Chen Hui", "customer_service", "manager", None, 48),
    ("P01", "Xu Lan", "customer_service", "supervisor", None, 36),
    ("L01", "Wang Fang", "customer_service", "shift_lead", "senior", 30),
    ("S01", "Li Na", "customer_service", "staff", "senior", 26),
    ("S02", "Zhang Wei", "customer_service", "staff", "intermediate", 18),
    ("S03", "Liu Yang", "customer_service", "staff", "intermediate", 15),
    ("S04", "Chen Jing", "customer_service", "staff", "junior", 9),
    ("S05", "Yang Min", "customer_service", "staff", "junior", 8),
    ("S06", "Huang Lei", "customer_service", "staff", "junior", 7),
    ("S07", "Zhao Li", "customer_service", "staff", "probation", 2),
    ("S08", "Wu Tao", "customer_service", "staff", "probation", 3),
    ("S09", "Zhou Qiang", "customer_service", "staff", "junior", 10),
    ("S10", "Sun Yue", "customer_service", "staff", "intermediate", 14),
    ("T01", "Ma Jun", "logistics", "staff", None, 13),
    ("T02", "Hu Bin", "logistics", "staff", None, 5),
    ("D01", "Guo Xin", "data", "staff", None, 20),
    ("K01", "Lin Feng", "security", "staff", None, 24),
]
PRODUCTS = [("tea set", 168, 980), ("thermos", 59, 239), ("rice cooker", 299, 899), ("desk lamp", 79, 329),
            ("umbrella", 29, 119), ("water filter", 199, 699)]


def _event(s: Session, by: str, kind: str, who: str, when: str, **fields: Any) -> None:
    s.by = by
    discipline.log(s, kind, who, when, **fields)


def _month_events(s: Session, m: Month, main: bool) -> int:
    """The month's events; the last month (main) covers every rule, the earlier two set up O3."""
    d = lambda day, clock="09:00": f"{m.first_day.replace(day=day)} {clock}"  # noqa: E731
    lead, sup = "L01", "P01"
    plan: list[tuple[str, str, str, str, dict[str, Any]]] = [
        # S09 sits at or below the warning line month after month (O3 in the last month).
        (sup, "awol", "S09", d(6), {"reason": "did not come in, no leave asked"}),
        (lead, "late", "S09", d(13, "09:20"), {"minutes": 20}),
        (lead, "absent", "S09", d(20), {}),
        (lead, "late", "S02", d(8, "09:10"), {"minutes": 10}),
    ]
    if main:
        plan += [
            (lead, "late", "S01", d(3, "09:12"), {"minutes": 12}),  # D1
            (lead, "late", "S02", d(14, "09:05"), {"minutes": 5}),  # D1
            (lead, "late", "S03", d(9, "09:45"), {"minutes": 45}),  # D2: counts as an absence
            (lead, "absent", "S04", d(15), {}),  # D3
            # S05 leaves the post (D4), misses a day and comes late twice: 2 points left (O2).
            (sup, "left-post", "S05", d(17, "15:30"), {"note": "left the desk for 2 hours, no swap"}),  # D4
            (lead, "absent", "S05", d(23), {}),
            (lead, "late", "S05", d(6, "09:25"), {"minutes": 25}),
            (lead, "late", "S05", d(27, "09:08"), {"minutes": 8}),
            # D5: S06 draws on the quota five times; the fifth counts as an absence.
            (sup, "leave", "S06", d(2), {"approved_by": "P01"}),
            (sup, "dayoff", "S06", d(9), {"approved_by": "M01"}),
            (lead, "forgot-signin", "S06", d(12), {}),
            (sup, "leave", "S06", d(19), {"approved_by": "P01"}),
            (sup, "dayoff", "S06", d(26), {"approved_by": "P01"}),
            (sup, "leave", "S01", d(22), {"approved_by": "M01"}),
            # D6: S07 offline three times (5 points); S08 twice, one excused (nothing).
            (lead, "offline", "S07", d(5, "12:20"), {}),
            (lead, "offline", "S07", d(11, "12:35"), {}),
            (lead, "offline", "S07", d(18, "12:10"), {}),
            (lead, "offline", "S08", d(7, "12:40"), {}),
            (lead, "offline", "S08", d(21, "12:15"), {"excused": True, "reason": "network outage, IT ticket 4471"}),
            # D7: slow answers; S08 reaches 3 (5 points), S10 has one.
            (lead, "complaint", "S08", d(4, "14:00"), {"complaint": "slow", "source": "customer"}),
            (lead, "complaint", "S08", d(16, "10:30"), {"complaint": "slow", "source": "colleague"}),
            (lead, "complaint", "S08", d(23, "16:45"), {"complaint": "slow", "source": "customer"}),
            (lead, "complaint", "S10", d(24, "11:00"), {"complaint": "slow", "source": "customer"}),
            # D8: attitude complaints from customers; S07 has one.
            (sup, "complaint", "S07", d(25, "15:00"), {"complaint": "attitude", "source": "customer", "note": "order 88123"}),
            # D9: unfinished work, the supervisor's choice of 0, 0.5 or 1.
            (sup, "unfinished", "S02", d(27, "18:00"), {"points": Decimal("0.5"), "note": "returns not filed"}),
            (sup, "unfinished", "S03", d(28, "18:00"), {"points": Decimal("1"), "note": "refund queue left"}),
            (sup, "unfinished", "S10", d(10, "18:00"), {"points": Decimal("0"), "note": "verbal criticism"}),
            # D10: S07's attitude, repeated after correction, goes to the general manager.
            (sup, "refer", "S07", d(26, "17:00"), {"reason": "rude to customers again after two talks"}),
        ]
    for by, kind, who, when, fields in plan:
        _event(s, by, kind, who, when, **fields)
    return len(plan)


def _month_sales(s: Session, m: Month, rng: random.Random, folder: Path) -> tuple[int, Decimal]:
    """A month of the shop's sales, loaded as its CSV export would be; returns (rows, total)."""
    sellers = [p[0] for p in PEOPLE if p[2] == "customer_service" and p[3] in ("staff", "shift_lead") and p[0] != "L01"]
    lines = ["date,staff,product,amount,orders,customer"]
    total = Decimal(0)
    for who in sellers:
        for _time in range(rng.randint(35, 45)):
            product, low, high = rng.choice(PRODUCTS)
            amount = Decimal(rng.randint(low * 100, high * 100)).scaleb(-2) * rng.randint(1, 5)
            phone = f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
            day = m.first_day.replace(day=rng.randint(1, 28))
            lines.append(f"{day},{who},{product},{amount},1,customer {phone}")
            total += amount
    # A return reduces the seller's base (C1, C2).
    lines.append(f"{m.first_day.replace(day=20)},S03,thermos,-239.00,0,return 13912345678")
    total -= Decimal("239.00")
    # Orders shipped by logistics and processed by data: amount 0 and their count (C3).
    for who, orders in (("T01", rng.randint(1500, 2100)), ("T02", rng.randint(1100, 1400)), ("D01", rng.randint(2600, 3200))):
        lines.append(f"{m.last_day},{who},orders handled,0,{orders},")
    path = folder / f"shop-{m}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s.by = "L01"
    result = sales.import_file(s, str(path))
    return result["rows"], total


# Bases the policy leaves to each company: the demo's managers and its other departments.
DEMO_POLICY = """# The demo company's own bases, over the shipped defaults.
[staff.G01]
base = "12000.00"

[staff.M01]
base = "6500.00"

[staff.P01]
base = "4800.00"

[departments.security]
base = "2600.00"

[departments.operations]
base = "3500.00"
"""


def run(s: Session, month_text: str | None = None) -> dict[str, Any]:
    """Fill an empty ledger with the demo (or report the demo already there)."""
    target = parse.month(month_text) if month_text else Month.of(s.today).prev()
    if target.last_day >= s.today:
        raise InputError("month", _("{target} has not ended; the demo month must be over").format(target=target))
    if target < Month(2000, 12):
        raise InputError("month", _("{target} is too early: the demo's year begins in 2000 or later").format(target=target))
    existing = s.staff()
    if existing:
        if {(p.id, p.name) for p in existing.values()} == {(p[0], p[1]) for p in PEOPLE}:
            closed = sorted(s.closed_months())
            return {"db": str(s.ledger.path), "month": closed[-1] if closed else str(target), "created": False,
                    "staff": len(existing), "events": None, "sales": None, "closed": closed}
        raise InputError("db", _("{path} already has staff; the demo needs a fresh ledger (pass --db demo.db)").format(path=s.ledger.path))
    first = target.prev().prev()
    months_list = [first, first.next(), target]
    for sid, name, dept, rank, level, tenure in PEOPLE:
        hired = _months_before(target.first_day, tenure)
        s.by = "G01"  # the general manager registers the department (and, first, themselves)
        staff.add(s, sid, name=name, dept=dept, rank=rank, level=level, hired=str(hired))
    s.by = "G01"
    policies.set_version(s, DEMO_POLICY, str(levels.demo_start(target)))
    rng = random.Random(20261001)
    events = sold = 0
    with tempfile.TemporaryDirectory(prefix="csctl-demo-") as folder:
        for m in months_list:
            events += _month_events(s, m, main=m == target)
            rows, total = _month_sales(s, m, rng, Path(folder))
            sold += rows
            s.by = "P01"
            # C7: the product cost runs at about 30% of sales; the other costs are the month's bills.
            pay.record_costs(s, str(m), product_cost=str((total * Decimal("0.3")).quantize(Decimal("0.01"))),
                               marketing="12000.00", shipping_loss="860.00", other="3200.00")
    handover.demo(s, target)  # a week of handovers and the duty log (H1-H6)
    s.by = "G01"
    sales.bonus(s, "S01", amount="500.00", reason="recovered a lost wholesale order", approved_by="G01",
                at=str(target.first_day.replace(day=18)))
    earlier, more = levels.demo(s, target)  # the year's first nine months, for the review (P4-P6)
    months_list, events = earlier + months_list, events + more
    hazmat.demo(s, target)  # Z1-Z6: the store room's month, a flagged draw and a count that disagrees
    keys.demo(s, target)
    s.by = "P01"
    for m in months_list:
        months.close(s, str(m))
    return {"db": str(s.ledger.path), "month": str(target), "created": True, "staff": len(PEOPLE),
            "events": events, "sales": sold, "closed": [str(m) for m in months_list]}


def _months_before(first_day: date, count: int) -> date:
    year, month = divmod(first_day.year * 12 + first_day.month - 1 - count, 12)
    return date(year, month + 1, 1)
