"""Property (issue 12): random sequences of stock-ins, draws, returns, uses, hand-ons and
stock-takes, run through the services on a real ledger, keep every material's balance equal
to a model kept here in exact decimals, and never below zero; every draw's outstanding
quantity and holder agree with the model too, and a refused step writes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import copy_ledger_file
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from csctl.errors import InputError, RuleViolation
from csctl.services import Session, hazmat

MATERIALS = {"rat poison": ("g", 3), "bait": ("pieces", 0)}
DRAWERS = ("L01", "S01", "S02", "S03")  # L01 draws alone; the others with L01 approving
HOLDERS = ("S01", "S02", "S03", "S04")


def quantities(places: int, high: int = 60) -> st.SearchStrategy[Decimal]:
    if places == 0:
        return st.integers(1, high).map(Decimal)
    return st.decimals(min_value=Decimal("0.001"), max_value=Decimal(high), places=places)


def text(q: Decimal) -> str:
    return format(q, "f")


material = st.sampled_from(sorted(MATERIALS))


class Store(RuleBasedStateMachine):
    template: str = ""  # a ledger holding the department, copied for every run
    folder: Path = Path()

    draws = Bundle("draws")

    def __init__(self) -> None:
        super().__init__()
        Store.runs += 1
        db = copy_ledger_file(self.template, self.folder / f"run{Store.runs}.db")
        self.s = Session.open(db, "L01")
        for name, (unit, _) in MATERIALS.items():
            self.as_("L01", hazmat.add, name, unit=unit)
        self.balance = {name: Decimal(0) for name in MATERIALS}
        self.out: dict[int, tuple[str, Decimal, str]] = {}  # open draw -> (material, outstanding, holder)
        self.closed: set[int] = set()

    runs = 0

    def as_(self, who: str, action, *args, **kwargs):
        self.s.by = who
        return action(self.s, *args, **kwargs)

    def teardown(self) -> None:
        self.s.close()

    def refused(self, error: type, action, *args, **kwargs) -> None:
        before = self.s.ledger.value("SELECT count(*) FROM chain")
        with pytest.raises(error):
            action(*args, **kwargs)
        assert self.s.ledger.value("SELECT count(*) FROM chain") == before  # nothing written

    # ------------------------------------------------------------------ steps
    @initialize(amounts=st.tuples(quantities(3, 200), quantities(0, 200)))
    def open_the_store(self, amounts):
        for name, q in zip(MATERIALS, amounts):
            self.as_("L01", hazmat.stock_in, name, qty=text(q))
            self.balance[name] += q

    @rule(name=material, take_stock=st.booleans(), data=st.data())
    def at_the_shelf(self, name, take_stock, data):
        """A stock-in, or a stock-take that agrees or is off by a unit (one rule, so that the steps
        go mostly to draws and what follows them)."""
        if not take_stock:
            q = data.draw(quantities(MATERIALS[name][1], 200))
            row = self.as_("L01", hazmat.stock_in, name, qty=text(q))
            self.balance[name] += q
            assert Decimal(row["balance"]) == self.balance[name]
            return
        off = data.draw(st.sampled_from([Decimal(0), Decimal(1), Decimal(-1)]))
        counted = max(self.balance[name] + off, Decimal(0))
        rows = self.as_("L01", hazmat.count, name, qty=text(counted))
        assert Decimal(rows[0]["balance"]) == self.balance[name]
        assert len(rows) == (1 if counted == self.balance[name] else 2)
        if len(rows) == 2:
            assert (Decimal(rows[1]["expected"]), Decimal(rows[1]["counted"])) == (self.balance[name], counted)

    @rule(target=draws, name=material, who=st.sampled_from(DRAWERS), data=st.data())
    def draw(self, name, who, data):
        q = data.draw(quantities(MATERIALS[name][1]))
        approver = None if who == "L01" else "L01"
        if q > self.balance[name]:
            self.refused(RuleViolation, self.as_, "L01", hazmat.draw, name, qty=text(q), staff=who,
                         approved_by=approver, purpose="job")
            return -1
        row = self.as_("L01", hazmat.draw, name, qty=text(q), staff=who, approved_by=approver, purpose="job")
        self.balance[name] -= q
        self.out[row["id"]] = (name, q, who)
        return row["id"]

    @rule(d=draws, data=st.data())
    def return_(self, d, data):
        if d < 0:
            return
        if d in self.closed:
            self.refused(InputError, self.as_, "L01", hazmat.return_, str(d), qty="1", staff="S01")
            return
        name, outstanding, holder = self.out[d]
        places = MATERIALS[name][1]
        step = Decimal(1).scaleb(-places)  # the least quantity the unit takes
        self.refused(InputError, self.as_, "L01", hazmat.return_, str(d), qty=text(outstanding + step), staff=holder)
        stranger = next(h for h in HOLDERS + ("L01",) if h != holder)
        self.refused(RuleViolation, self.as_, "L01", hazmat.return_, str(d), qty=text(step), staff=stranger)  # Z5
        part = st.decimals(min_value=step, max_value=outstanding, places=places) if places else st.integers(
            1, int(outstanding)).map(Decimal)
        q = data.draw(st.one_of(part, st.just(outstanding)))
        self.as_("L01", hazmat.return_, str(d), qty=text(q), staff=holder)
        self.balance[name] += q
        if q == outstanding:
            del self.out[d]
            self.closed.add(d)
        else:
            self.out[d] = (name, outstanding - q, holder)

    @rule(d=draws)
    def used(self, d):
        if d < 0:
            return
        if d in self.closed:
            self.refused(InputError, self.as_, "L01", hazmat.used, str(d), staff="S01")
            return
        holder = self.out[d][2]
        self.as_(holder, hazmat.used, str(d))  # --staff is the recorder
        del self.out[d]
        self.closed.add(d)

    @rule(d=draws, to=st.sampled_from(HOLDERS))
    def lend(self, d, to):
        if d < 0 or d in self.closed or self.out[d][2] == to:
            return
        name, outstanding, _ = self.out[d]
        self.refused(RuleViolation, self.as_, "L01", hazmat.lend, str(d), to=to, approved_by=None)  # Z5
        self.as_("S04", hazmat.lend, str(d), to=to, approved_by="P01")
        self.out[d] = (name, outstanding, to)

    # ------------------------------------------------------------------ what must always hold
    @invariant()
    def balances_match_the_model_and_never_go_below_zero(self):
        shown = {m["material"]: m for m in hazmat.stock(self.s)}
        for name, expected in self.balance.items():
            balance = Decimal(shown[name]["balance"])
            assert balance == expected and balance >= 0
            assert shown[name]["balance"] == f"{expected:.3f}"  # exact, three places
            outstanding = {d["id"]: (Decimal(d["qty"]), d["staff"]) for d in shown[name]["outstanding"]}
            assert outstanding == {d: (q, h) for d, (m, q, h) in self.out.items() if m == name}


def test_the_store_keeps_exact_balances(dept_template, tmp_path):
    Store.template, Store.folder = dept_template, tmp_path
    run_state_machine_as_test(Store, settings=settings(max_examples=25, stateful_step_count=15, deadline=None,
                                                       suppress_health_check=[HealthCheck.too_slow]))
