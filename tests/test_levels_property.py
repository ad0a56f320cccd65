"""Property (P1, L2): whatever level changes a supervisor tries, in whatever order, with months
being closed and the last change voided, the ledger takes exactly those the rules allow, a
month's statement pays the level held on its first day, and a closed month's pay never moves."""

from __future__ import annotations

import sqlite3
from datetime import date

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from csctl.errors import ExitStatus
from csctl.models import LEVELS, Month
from csctl.rules.levels import first_month_at

from conftest import Cli, copy_ledger_file

BASE = {"probation": "1800.00", "junior": "2200.00", "intermediate": "2500.00", "senior": "3000.00",
        "reserve_supervisor": "4000.00"}
MONTHS = [Month(2026, m) for m in range(1, 11)]


class LevelChanges(RuleBasedStateMachine):
    """S03, junior since 2025-01-01, in the small department; P01 records, G01 may approve."""

    template: str = ""
    folder = None

    @initialize()
    def start(self):
        path = self.folder.mktemp("levels-prop") / "l.db"
        self.cli = Cli(copy_ledger_file(self.template, path))
        self.history: list[tuple[date, str, int]] = [(date(2025, 1, 1), "junior", 0)]  # (since, level, row)
        self.closed: list[Month] = []
        self.paid: dict[str, str] = {}  # closed month -> S03's base in its snapshot

    def level_on(self, day: date) -> str:
        return [lv for since, lv, _ in self.history if since <= day][-1]

    @rule(to=st.sampled_from(LEVELS), month=st.sampled_from(MONTHS), day=st.sampled_from([1, 2, 15]),
          approver=st.sampled_from([None, "G01", "M01"]))
    def change(self, to, month, day, approver):
        since = month.first_day.replace(day=day)
        now = self.history[-1][1]
        step = LEVELS.index(to) - LEVELS.index(now)
        if since <= self.history[-1][0] or to == now:
            expected = ExitStatus.BAD_INPUT
        elif step < -1 or approver == "M01" or (step > 1 and approver is None):
            expected = ExitStatus.REFUSED  # P1
        elif self.closed and month <= self.closed[-1]:
            expected = ExitStatus.REFUSED  # L2: dated in a closed month (those after it are open)
        else:
            expected = ExitStatus.OK
        args = ["staff", "level", "S03", "--to", to, "--from", str(since), "--reason", "property", "--json"]
        run = self.cli(*args, *(["--approved-by", approver] if approver else []), by="P01", code=None)
        assert run.code == expected, (since, now, to, approver, run.err)
        if expected == ExitStatus.OK:
            self.history.append((since, to, run.json()["id"]))

    @rule()
    def void_the_last_change(self):
        if len(self.history) == 1:
            return
        since, _, row = self.history[-1]
        blocked = bool(self.closed) and first_month_at(since) <= self.closed[-1]  # L2: a month it pays
        # L6: a change the general manager approved (a skip) is voided by the general manager.
        run = self.cli("void", str(row), "--reason", "property", by="G01", code=None)
        assert run.code == (ExitStatus.REFUSED if blocked else ExitStatus.OK), run.err
        if not blocked:
            self.history.pop()

    @rule()
    def close_the_next_month(self):
        month = MONTHS[len(self.closed)] if len(self.closed) < len(MONTHS) - 1 else None
        if month is None:
            return
        self.cli("month", "close", str(month), by="P01")
        self.closed.append(month)
        self.paid[str(month)] = self.base(month)

    def base(self, month: Month) -> str:
        return self.cli("month", "statement", str(month), "--staff", "S03", "--json").json()[0]["base"]

    @invariant()
    def months_pay_the_level_of_their_first_day_and_closed_ones_never_move(self):
        if not hasattr(self, "cli"):
            return
        for month in (self.closed[-1] if self.closed else None, MONTHS[-1]):
            if month is not None:
                assert self.base(month) == BASE[self.level_on(month.first_day)]
        for month, paid in self.paid.items():
            assert paid == BASE[self.level_on(Month.parse(month).first_day)]
        with sqlite3.connect(self.cli.db) as conn:
            live = conn.execute("SELECT count(*) FROM live_staff_changes WHERE staff = 'S03'").fetchone()[0]
        assert live == len(self.history) - 1


def test_level_changes_follow_p1_and_l2(dept_template, tmp_path_factory):
    LevelChanges.template = dept_template
    LevelChanges.folder = tmp_path_factory
    runner = LevelChanges.TestCase
    runner.settings = settings(max_examples=12, stateful_step_count=8, deadline=None,
                               suppress_health_check=[HealthCheck.function_scoped_fixture])
    runner().runTest()
