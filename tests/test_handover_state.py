"""A state machine over `handover open|accept|refuse|review` (H1-H3): after every step,
`handover list --open` names exactly the handovers a model in this file says are not accepted
and the days it says are not signed off, and every command was accepted or refused as the model
expected (exit 0, 1 or 2)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from conftest import Cli, copy_ledger_file
from csctl.errors import ExitStatus

DAYS = ("2026-10-05", "2026-10-06")
# The shifts the machine uses, each with its outgoing and incoming person and its time.
SHIFTS = {"early": ("S01", "S02", "14:00"), "middle": ("S02", "S03", "16:00")}
OTHERS = ("S01", "S03", "L01")  # people who are not the incoming person of every handover


class Model:
    """What the book should say: each handover's state, and the days signed off."""

    def __init__(self) -> None:
        self.handovers: dict[int, dict] = {}  # id -> {day, shift, to, state}
        self.signed: set[str] = set()

    def live_of(self, day: str, shift: str) -> int | None:
        return next((h for h, v in self.handovers.items() if v["day"] == day and v["shift"] == shift), None)

    def on_the_hook(self) -> set[tuple]:
        hook = {("handover", h, v["state"]) for h, v in self.handovers.items() if v["state"] != "accepted"}
        days = {v["day"] for v in self.handovers.values()} - self.signed
        return hook | {("day", d, "open") for d in days}


def test_handover_list_open_follows_the_model(dept_template, tmp_path_factory):
    class Book(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            path = tmp_path_factory.mktemp("book") / "ledger.db"
            self.cli = Cli(copy_ledger_file(dept_template, path))
            self.model = Model()

        def run(self, *args: str, by: str, expect: ExitStatus):
            return self.cli(*args, by=by, code=expect)

        @rule(day=st.sampled_from(DAYS), shift=st.sampled_from(sorted(SHIFTS)))
        def open_(self, day, shift):
            frm, to, clock = SHIFTS[shift]
            taken = self.model.live_of(day, shift) is not None  # one handover a shift a day
            run = self.run("handover", "open", "--shift", shift, "--from", frm, "--to", to, "--at", f"{day} {clock}",
                           "--json", by=frm, expect=ExitStatus.BAD_INPUT if taken else ExitStatus.OK)
            if not taken:
                self.model.handovers[run.json()["id"]] = {"day": day, "shift": shift, "to": to, "state": "open"}

        @precondition(lambda self: self.model.handovers)
        @rule(pick=st.integers(0, 10), accept=st.booleans(), incoming=st.booleans(), other=st.sampled_from(OTHERS))
        def answer(self, pick, accept, incoming, other):
            hid = sorted(self.model.handovers)[pick % len(self.model.handovers)]
            h = self.model.handovers[hid]
            who = h["to"] if incoming or other == h["to"] else other
            state = h["state"]
            allowed = who == h["to"] and state != "accepted" and not (state == "refused" and not accept)
            args = ["handover", "accept" if accept else "refuse", str(hid), "--by-staff", who,
                    "--at", f"{h['day']} 20:00"] + ([] if accept else ["--reason", "refund queue not handed over"])
            self.run(*args, by=who, expect=ExitStatus.OK if allowed else ExitStatus.REFUSED)
            if allowed:
                h["state"] = "accepted" if accept else "refused"

        @rule(day=st.sampled_from(DAYS), note=st.booleans(), lead=st.sampled_from(("L01", "S01")))
        def review(self, day, note, lead):
            mine = [v for v in self.model.handovers.values() if v["day"] == day]
            open_left = any(v["state"] != "accepted" for v in mine)
            if not mine:
                expect = ExitStatus.BAD_INPUT  # nothing to sign
            elif lead != "L01" or day in self.model.signed or (open_left and not note):
                expect = ExitStatus.REFUSED  # H3
            else:
                expect = ExitStatus.OK
            self.run("handover", "review", day, "--by-staff", lead, "--at", f"{day} 22:00",
                     *(["--note", "left with the supervisor"] if note else []), by="L01", expect=expect)
            if expect == ExitStatus.OK:
                self.model.signed.add(day)

        @invariant()
        def the_open_list_is_the_models(self):
            listed = self.cli("handover", "list", "--open", "--json").json()
            seen = {(e["kind"], e["id"] if e["kind"] == "handover" else e["date"], e["state"]) for e in listed}
            assert seen == self.model.on_the_hook()
            assert all(e["kind"] in ("handover", "day") for e in listed)

    run_state_machine_as_test(Book, settings=settings(max_examples=20, stateful_step_count=12, deadline=None,
                                                      suppress_health_check=[HealthCheck.too_slow]))
