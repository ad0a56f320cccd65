"""Property (issue 15, scope 3): random runs of staff added and leaving, discipline events, sales,
voids, and months closed and reopened, all through the command line, keep every month's report
equal to a model kept in this file, and every month's sales equal to the model's.

The model is its own plain re-statement of docs/rules.md (D1-D10, O1-O3 and the ranking), in a
few dozen lines; it imports nothing of csctl's rules. It knows the L2 refusals too: a row dated
in a closed month, or a void of one, is refused (exit 1) and writes nothing; an event or sale
for someone not active that day is bad input (exit 2).

`CSCTL_MODEL_EXAMPLES` raises the number of runs (bench/stress.py runs it with many more).
"""

from __future__ import annotations

import os
from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from conftest import DEPARTMENT, Cli, copy_ledger_file
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test

from csctl.errors import ExitStatus

MONTHS = ("2026-07", "2026-08", "2026-09")
BEFORE = ("2026-05", "2026-06")  # read by O3 for July and August; nothing is ever dated in them
# A supervisor records; a manager approves leave, voids (a void needs the approver's rank) and reopens.
RECORDER, APPROVER, VOIDER, REOPENER = "P01", "M01", "M01", "M01"
EXAMPLES = int(os.environ.get("CSCTL_MODEL_EXAMPLES", "6"))
STEPS = int(os.environ.get("CSCTL_MODEL_STEPS", "14"))

# The rulebook's numbers, as docs/rules.md gives them (the default policy).
START, WARNING, PUNISHMENT, SEVERE_MONTHS = Decimal(10), Decimal(5), Decimal(2), 3
LATE, ABSENCE, AWOL, QUOTA, LONG_LATE = Decimal("0.5"), Decimal(2), Decimal(5), 4, 30
OFFLINE_TIERS = ((3, Decimal(5)),)
SLOW_TIERS = ((3, Decimal(5)), (5, Decimal(10)))
ATTITUDE, ATTITUDE_TIERS = Decimal(1), ((3, Decimal(5)), (5, Decimal(10)))
RANK_MIN_DAYS = 15

KINDS = ("late", "early-leave", "absent", "awol", "left-post", "leave", "dayoff", "forgot-signin", "offline",
         "offline-excused", "complaint-slow", "complaint-attitude", "unfinished", "refer")


class Person:
    def __init__(self, sid: str, dept: str, rank: str, hired: str, level: str | None):
        self.sid, self.dept, self.rank, self.level = sid, dept, rank, level
        self.hired = date.fromisoformat(hired)
        self.left: date | None = None

    def active(self, day: date) -> bool:
        return self.hired <= day and (self.left is None or day < self.left)

    def days_in(self, month: str) -> int:
        y, m = map(int, month.split("-"))
        return sum(self.active(date(y, m, d)) for d in range(1, monthrange(y, m)[1] + 1))

    def scored_in(self, month: str) -> bool:
        """Customer service, staff or shift lead (a reserve supervisor is not), active some day."""
        return (self.dept == "customer_service" and self.rank in ("staff", "shift_lead")
                and self.level != "reserve_supervisor" and self.days_in(month) > 0)


def tier(count: int, tiers: tuple[tuple[int, Decimal], ...]) -> Decimal | None:
    reached = [points for at_least, points in tiers if count >= at_least]
    return reached[-1] if reached else None


def deductions(events: list[dict]) -> tuple[dict[str, tuple[int, Decimal, list[int]]], list[int]]:
    """One person's month: {rule: (count, points, rows)} for every rule that takes points, and
    the referrals."""
    out: dict[str, tuple[int, Decimal, list[int]]] = {}

    def add(rule: str, rows: list[int], points: Decimal) -> None:
        if rows and points:
            out[rule] = (len(rows), points, sorted(rows))

    of = lambda *kinds: [e for e in events if e["kind"] in kinds]  # noqa: E731
    short = [e["id"] for e in of("late", "early-leave") if e["minutes"] <= LONG_LATE]
    add("D1", short, LATE * len(short))
    long = [e["id"] for e in of("late", "early-leave") if e["minutes"] > LONG_LATE]
    add("D2", long, ABSENCE * len(long))
    absent = [e["id"] for e in of("absent")]
    add("D3", absent, ABSENCE * len(absent))
    awol = [e["id"] for e in of("awol", "left-post")]
    add("D4", awol, AWOL * len(awol))
    quota = sorted(of("leave", "dayoff", "forgot-signin"), key=lambda e: (e["at"], e["id"]))[QUOTA:]
    add("D5", [e["id"] for e in quota], ABSENCE * len(quota))
    for rule_id, rows, tiers in (("D6", of("offline"), OFFLINE_TIERS), ("D7", of("complaint-slow"), SLOW_TIERS)):
        add(rule_id, [e["id"] for e in rows], tier(len(rows), tiers) or Decimal(0))
    rude = of("complaint-attitude")
    add("D8", [e["id"] for e in rude], tier(len(rude), ATTITUDE_TIERS) or ATTITUDE * len(rude))
    undone = of("unfinished")
    add("D9", [e["id"] for e in undone], sum((e["points"] for e in undone), Decimal(0)))
    return out, sorted(e["id"] for e in of("refer"))


class Department(RuleBasedStateMachine):
    template = ""
    folder = Path()
    runs = 0

    def __init__(self) -> None:
        super().__init__()
        Department.runs += 1
        self.cli = Cli(copy_ledger_file(self.template, self.folder / f"model{Department.runs}.db"))
        self.people = {sid: Person(sid, d, rank, hired, level) for sid, _, d, rank, level, hired in DEPARTMENT}
        self.events: dict[int, dict] = {}  # live events by id
        self.sales: dict[int, tuple[str, str, Decimal]] = {}  # live sales: id -> (month, staff, amount)
        self.closed: dict[str, dict] = {}  # month -> the model's report stored when it was closed
        self.clock = 0  # every event its own minute, so time order is never a tie
        self.added = 0

    # ------------------------------------------------------------------ the model
    def scores(self, month: str) -> dict[str, Decimal]:
        if month in self.closed:
            return {sid: line["score"] for sid, line in self.closed[month].items()}
        return {sid: line["score"] for sid, line in self.report(month, earlier=False).items()}

    def report(self, month: str, earlier: bool = True) -> dict[str, dict]:
        if month in self.closed:
            return self.closed[month]
        lines: dict[str, dict] = {}
        for sid, person in self.people.items():
            if not person.scored_in(month):
                continue
            found, referrals = deductions([e for e in self.events.values()
                                           if e["staff"] == sid and e["at"].startswith(month)])
            raw = START - sum((points for _, points, _ in found.values()), Decimal(0))
            lines[sid] = {"score": max(raw, Decimal(0)), "raw_score": raw, "deductions": found,
                          "referrals": referrals, "ranked": person.days_in(month) >= RANK_MIN_DAYS}
        if earlier:
            back = [self.scores(m) for m in self.months_before(month)]
            for sid, line in lines.items():
                run = [line["score"], *(scores.get(sid) for scores in back)]
                if all(s is not None and s <= WARNING for s in run):
                    line["outcome"] = "severe"
                elif line["score"] <= PUNISHMENT:
                    line["outcome"] = "punishment"
                elif line["score"] <= WARNING:
                    line["outcome"] = "warning"
                else:
                    line["outcome"] = "none"
            ranked = [line["score"] for line in lines.values() if line["ranked"]]
            for line in lines.values():
                line["rank"] = 1 + sum(s > line["score"] for s in ranked) if line["ranked"] else None
        return lines

    @staticmethod
    def months_before(month: str) -> list[str]:
        y, m = map(int, month.split("-"))
        out = []
        for _ in range(SEVERE_MONTHS - 1):
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
            out.append(f"{y}-{m:02d}")
        return out

    # ------------------------------------------------------------------ csctl
    def run(self, *args: str, by: str = RECORDER, code: ExitStatus | None = None):
        before = self.cli.total_rows()
        done = self.cli(*args, by=by, code=None)
        assert done.code in (0, 1, 2), (args, done.code, done.err)
        assert "Traceback" not in done.err, done.err
        if code is not None:
            assert done.code == code, (args, done.code, done.err)
        if done.code != 0:
            assert self.cli.total_rows() == before, f"a refusal wrote rows: {args}"
        return done

    def csctl_report(self, month: str) -> dict[str, dict]:
        out = {}
        for line in self.run("month", "report", month, "--json", code=ExitStatus.OK).json():
            out[line["staff"]] = {
                "score": Decimal(str(line["score"])), "raw_score": Decimal(str(line["raw_score"])),
                "deductions": {d["rule"]: (d["count"], Decimal(str(d["points"])), sorted(d["rows"]))
                               for d in line["deductions"]},
                "referrals": sorted(line["referrals"]), "ranked": line["unranked"] is None,
                "outcome": line["outcome"], "rank": line["rank"]}
            assert line["referred"] == bool(line["referrals"])
        return out

    def check(self, month: str) -> None:
        assert self.csctl_report(month) == self.report(month), month
        listed = self.run("sales", "list", "--month", month, "--json", code=ExitStatus.OK).json()
        totals: dict[str, Decimal] = {}
        for sale in listed:
            if sale["voided_by"] is None:
                totals[sale["staff"]] = totals.get(sale["staff"], Decimal(0)) + Decimal(sale["amount"])
        model: dict[str, Decimal] = {}
        for m, sid, amount in self.sales.values():
            if m == month:
                model[sid] = model.get(sid, Decimal(0)) + amount
        assert totals == model, month

    # ------------------------------------------------------------------ rules
    @rule(month=st.sampled_from(MONTHS), day=st.integers(1, 28), kind=st.sampled_from(KINDS),
          who=st.integers(0, 20), minutes=st.integers(1, 60), points=st.sampled_from(("0", "0.5", "1")))
    def event(self, month, day, kind, who, minutes, points):
        self.record(month, day, kind, self.subject(who), minutes, points)

    @rule(month=st.sampled_from(MONTHS), days=st.lists(st.integers(1, 28), min_size=2, max_size=6),
          kind=st.sampled_from(KINDS), who=st.integers(0, 20), minutes=st.integers(1, 60))
    def burst(self, month, days, kind, who, minutes):
        """Several of one kind for one person in one month: quotas and tiers are reached."""
        sid = self.subject(who)
        for i, day in enumerate(days):
            self.record(month, day, kind, sid, minutes + i, ("0", "0.5", "1")[i % 3])

    def subject(self, who: int) -> str:
        """A customer-service member of a rank that is scored (some not active in every month)."""
        scored = sorted(sid for sid, p in self.people.items() if p.dept == "customer_service"
                        and p.rank in ("staff", "shift_lead"))
        return scored[who % len(scored)]

    def record(self, month, day, kind, sid, minutes, points):
        self.clock += 1
        at = f"{month}-{day:02d} {8 + self.clock // 60 % 10:02d}:{self.clock % 60:02d}"
        args = {"late": ["log", "late", sid, "--minutes", str(minutes)],
                "early-leave": ["log", "early-leave", sid, "--minutes", str(minutes)],
                "leave": ["log", "leave", sid, "--approved-by", APPROVER],
                "dayoff": ["log", "dayoff", sid, "--approved-by", APPROVER],
                "offline-excused": ["log", "offline", sid, "--excused", "--reason", "network down"],
                "complaint-slow": ["log", "complaint", sid, "--kind", "slow", "--source",
                                   ("customer", "colleague")[minutes % 2]],
                "complaint-attitude": ["log", "complaint", sid, "--kind", "attitude", "--source", "customer"],
                "unfinished": ["log", "unfinished", sid, "--points", points],
                "refer": ["log", "refer", sid, "--reason", "again after two talks"],
                }.get(kind, ["log", kind, sid])
        y, m = map(int, month.split("-"))
        if not self.people[sid].active(date(y, m, day)):
            expected = ExitStatus.BAD_INPUT  # the person is checked before the month
        elif month in self.closed:
            expected = ExitStatus.REFUSED
        else:
            expected = ExitStatus.OK
        done = self.run(*args, "--at", at, "--json", code=expected)
        if expected == ExitStatus.OK and kind != "offline-excused":
            row = done.json()
            self.events[row["id"]] = {"id": row["id"], "kind": kind, "staff": sid, "at": row["at"],
                                      "minutes": minutes, "points": Decimal(points)}

    @precondition(lambda self: self.events)
    @rule(pick=st.integers(0, 10_000))
    def void_event(self, pick):
        row_id = sorted(self.events)[pick % len(self.events)]
        closed = self.events[row_id]["at"][:7] in self.closed
        self.run("void", str(row_id), "--reason", "entered by mistake", by=VOIDER,
                 code=ExitStatus.REFUSED if closed else ExitStatus.OK)
        if not closed:
            del self.events[row_id]

    @rule(month=st.sampled_from(MONTHS), day=st.integers(1, 28), who=st.sampled_from(("S01", "S02", "S03", "L01")),
          cents=st.integers(-50_000, 500_000))
    def sale(self, month, day, who, cents):
        amount = Decimal(cents) / 100
        y, m = map(int, month.split("-"))
        if not self.people[who].active(date(y, m, day)):
            expected = ExitStatus.BAD_INPUT  # the seller is checked first
        elif month in self.closed:
            expected = ExitStatus.REFUSED
        else:
            expected = ExitStatus.OK
        done = self.run("sales", "add", who, "--amount", f"{amount:.2f}", "--at", f"{month}-{day:02d}", "--json",
                        code=expected)
        if expected == ExitStatus.OK:
            self.sales[done.json()["id"]] = (month, who, amount)

    @precondition(lambda self: self.sales)
    @rule(pick=st.integers(0, 10_000))
    def void_sale(self, pick):
        row_id = sorted(self.sales)[pick % len(self.sales)]
        closed = self.sales[row_id][0] in self.closed
        self.run("void", str(row_id), "--reason", "typed twice", by=VOIDER, code=ExitStatus.REFUSED if closed else ExitStatus.OK)
        if not closed:
            del self.sales[row_id]

    @rule(month=st.sampled_from(MONTHS))
    def close(self, month):
        if month in self.closed:
            return
        model = self.report(month)
        self.run("month", "close", month, code=ExitStatus.OK)
        self.closed[month] = model

    @rule(month=st.sampled_from(MONTHS))
    def reopen(self, month):
        if month not in self.closed:
            return
        self.run("month", "reopen", month, "--reason", "a correction", by=REOPENER, code=ExitStatus.OK)
        del self.closed[month]

    @precondition(lambda self: self.added < 3)
    @rule(offset=st.integers(0, 91), rank=st.sampled_from(("staff", "shift_lead")))
    def hire(self, offset, rank):
        self.added += 1
        sid, hired = f"N{self.added:02d}", (date(2026, 7, 1) + timedelta(days=offset)).isoformat()
        self.run("staff", "add", sid, "--name", f"New {self.added}", "--dept", "customer_service", "--rank", rank,
                 "--level", "junior", "--hired", hired, by="G01", code=ExitStatus.OK)
        self.people[sid] = Person(sid, "customer_service", rank, hired, "junior")

    @rule(who=st.sampled_from(("S02", "S03", "N01")), offset=st.integers(0, 91))
    def leave(self, who, offset):
        person = self.people.get(who)
        on = date(2026, 7, 1) + timedelta(days=offset)
        if person is None or person.left is not None or on <= person.hired:
            return
        if any(e["staff"] == who and date.fromisoformat(e["at"][:10]) >= on for e in self.events.values()):
            return  # a departure before rows already recorded: not what this model is about
        # L2 as csctl reads a departure: it counts from the first month the person is away whole
        # (the month of a 1st, else the next); a closed month from then on refuses it.
        away = f"{on.year}-{on.month:02d}" if on.day == 1 else f"{(on.replace(day=28) + timedelta(days=4)):%Y-%m}"
        refused = any(month >= away for month in self.closed)
        self.run("staff", "leave", who, "--on", on.isoformat(), "--reason", "resigned", by="G01",
                 code=ExitStatus.REFUSED if refused else ExitStatus.OK)
        if not refused:
            person.left = on

    @rule(month=st.sampled_from(MONTHS))
    def report_matches(self, month):
        self.check(month)

    def teardown(self):
        try:
            for month in MONTHS:
                self.check(month)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.cli.db}{suffix}").unlink(missing_ok=True)


def test_month_reports_equal_the_model(dept_template, tmp_path):
    """D1-D10 and O1-O3 restated here, against csctl's month report, through every kind of row."""
    Department.template, Department.folder = dept_template, tmp_path
    run_state_machine_as_test(Department, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, database=None,
        phases=[p for p in Phase if p != Phase.shrink or not os.environ.get("CSCTL_MODEL_NO_SHRINK")],
        suppress_health_check=list(HealthCheck)))
