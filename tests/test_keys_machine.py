"""A hypothesis state machine over the key cabinet (issue 10): random sequences of add, borrow,
return, lost, found, replace and audit through the CLI, against a model kept here.

After every step: no key is out twice nor returned when in (the CLI refuses what the model
says it must, and writes nothing then), and `keys out` and `keys list --state S` equal the
model. Each example starts from a copy of the session's department, in memory-backed
storage where the machine has it (/dev/shm), so that the syncs of a real disk do not set
the pace.
"""

from __future__ import annotations

import os
import tempfile

from conftest import Cli, copy_ledger_file
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from csctl.errors import ExitStatus

CODES = ("A1", "A2", "B1", "B2", "C1")
BORROWERS = ("S01", "S02", "S03")
STATES = ("in", "out", "sealed", "lost", "retired")
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


class Cabinet(RuleBasedStateMachine):
    """The model: each registered code's state and, while out, who has it."""

    template: str = ""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory(dir=SCRATCH, prefix="csctl-keys-")
        self.cli = Cli(copy_ledger_file(self.template, os.path.join(self.folder.name, "ledger.db")))
        self.state: dict[str, str] = {}
        self.holder: dict[str, str] = {}
        self.sealed: set[str] = set()
        self.step = 0

    def teardown(self) -> None:
        self.folder.cleanup()

    def run(self, *args: str, by: str, ok: bool, rule: str | None = None) -> None:
        """Run a keys command; it succeeds when the model says it may, else it is refused (exit 1
        naming `rule`, or exit 2 for an unknown key) and writes nothing."""
        before = self.cli.total_rows()
        result = self.cli("keys", *args, by=by, code=None)
        if ok:
            assert result.code == ExitStatus.OK, (args, result.err)
            return
        assert result.code in (ExitStatus.REFUSED, ExitStatus.BAD_INPUT), (args, result.code, result.out)
        if rule is not None:
            assert result.code == ExitStatus.REFUSED and result.err.startswith(f"refused ({rule})"), (args, result.err)
        assert self.cli.total_rows() == before

    def rest(self, code: str) -> str:
        return "sealed" if code in self.sealed else "in"

    # ------------------------------------------------------------------ steps
    @rule(code=st.sampled_from(CODES), sealed=st.booleans())
    def add(self, code: str, sealed: bool) -> None:
        args = ["add", code, "--label", f"key {code}", "--category", "unit" if sealed else "storeroom"]
        self.run(*args, *(["--sealed"] if sealed else []), by="L01", ok=code not in self.state)
        if code not in self.state:
            self.state[code] = "sealed" if sealed else "in"
            if sealed:
                self.sealed.add(code)

    @rule(code=st.sampled_from(CODES), who=st.sampled_from(BORROWERS))
    def borrow(self, code: str, who: str) -> None:
        may = self.state.get(code) == "in"
        rule_id = {"out": "K2", "sealed": "K5", "lost": "K6", "retired": "K6"}.get(self.state.get(code, ""))
        self.run("borrow", code, "--by-staff", who, "--approved-by", "P01", "--purpose", "work", by=who, ok=may,
                 rule=rule_id)
        if may:
            self.state[code], self.holder[code] = "out", who

    @rule(code=st.sampled_from(CODES), who=st.sampled_from(BORROWERS))
    def give_back(self, code: str, who: str) -> None:
        may = self.state.get(code) == "out" and self.holder[code] == who
        rule_id = "K3" if code in self.state else None  # returned when in, or by someone else: K3
        self.run("return", code, "--by-staff", who, "--received-by", "K01", by=who, ok=may, rule=rule_id)
        if may:
            self.state[code] = self.rest(code)
            del self.holder[code]

    @rule(code=st.sampled_from(CODES))
    def lose(self, code: str) -> None:
        may = self.state.get(code) in ("in", "out", "sealed")
        self.run("lost", code, "--note", "not on its hook", by="K01", ok=may,
                 rule="K6" if code in self.state else None)
        if may:
            self.state[code] = "lost"
            self.holder.pop(code, None)

    @rule(code=st.sampled_from(CODES))
    def find(self, code: str) -> None:
        may = self.state.get(code) in ("lost", "out")
        self.run("found", code, "--by-staff", "S03", by="K01", ok=may, rule="K6" if code in self.state else None)
        if may:
            self.state[code] = self.rest(code)
            self.holder.pop(code, None)

    @rule(code=st.sampled_from(CODES), new=st.sampled_from(CODES))
    def replace(self, code: str, new: str) -> None:
        may = self.state.get(code) in ("in", "lost", "sealed") and new not in self.state
        refusal = "K6" if self.state.get(code) in ("out", "retired") and new not in self.state else None
        self.run("replace", code, "--new", new, "--approved-by", "K01", by="L01", ok=may, rule=refusal)
        if may:
            self.state[code] = "retired"
            self.state[new] = self.rest(code)
            if code in self.sealed:
                self.sealed.add(new)

    @precondition(lambda self: self.state)
    @rule(present=st.sets(st.sampled_from(CODES + ("ZZ-9",)), min_size=1))
    def audit(self, present: set[str]) -> None:
        args = [x for code in sorted(present) for x in ("--present", code)]
        row = self.cli("keys", "audit", *args, "--json", by="L01").json()
        on_board = {c for c, s in self.state.items() if s in ("in", "sealed")}
        assert row["missing"] == sorted(on_board - present)
        assert row["out"] == sorted(c for c in present if self.state.get(c) == "out")
        assert row["unknown"] == sorted(c for c in present if c not in self.state)

    # ------------------------------------------------------------------ after every step
    @invariant()
    def listings_equal_the_model(self) -> None:
        self.step += 1
        if not self.state:
            return
        out = self.cli("keys", "out", "--json").json()
        assert {k["code"]: k["staff"] for k in out} == self.holder
        assert len({k["code"] for k in out}) == len(out)  # no key out twice
        wanted = STATES[self.step % len(STATES)]
        listed = self.cli("keys", "list", "--state", wanted, "--json").json()
        assert sorted(k["code"] for k in listed) == sorted(c for c, s in self.state.items() if s == wanted)


def test_the_cabinet_against_a_model(dept_template):
    Cabinet.template = dept_template
    run_state_machine_as_test(Cabinet, settings=settings(max_examples=25, stateful_step_count=15, deadline=None,
                                                         suppress_health_check=[HealthCheck.too_slow]))
