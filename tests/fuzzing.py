"""Command lines and files made up by hypothesis for every csctl command (issue 15, scope 3).

Not a test module (no test_ prefix): tests/test_fuzz.py runs a small sample in the suite and
bench/stress.py runs thousands. The commands are read from csctl's own tree (every noun, every
command, every option), so a command added later is fuzzed without an edit here. Each value is
drawn from a pool that fits the option's name (ids of the ledger's staff, dates in every form
csctl reads and some it must refuse, months, amounts, enum words), or is junk; an option is
sometimes left out, so a required one goes missing too. Files (`sales import`, `log import`,
`keys audit --file`, `policy set`) are CSVs and TOML made up the same way.

What must hold after every run: the exit code is one csctl documents (0, 1 or 2), no exception
escapes and no traceback is printed, and a run that exits non-zero leaves every table's row
count as it was.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from contextlib import closing
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SKIP = {("demo",)}  # fills a second ledger of its own, a few seconds a run: not what is fuzzed here
STAFF = ("G01", "M01", "P01", "P02", "L01", "S01", "S02", "S03", "S04", "S05", "S07", "K01", "T01", "D01", "X99")
DAYS = ("2026-10-03", "2026-09-30", "2026-08-01", "09:40", "9:40am", "2026-10-03 9:40", "yesterday 9am",
        "today 14:00", "tomorrow", "2026-10-03T09:40:30+08:00", "2026-02-30", "03/04/2026", "2026-13-01",
        "1999-01-01", "2090-01-01", "now", "-1", "")
MONTHS = ("2026-10", "2026-09", "2026-11", "2026-12", "2025-12", "2026-13", "2026-1", "2026-Q3", "2026-Q5", "10",
          "")
NUMBERS = ("0", "1", "3", "12", "31", "45", "0.5", "1.5", "-1", "-0", "1280.50", "1,280.50", "1e9", "NaN", "inf",
           "0.0001", "99999999999999999999", "abc", "", " 7 ", "１２")
WORDS = {
    "dept": ("customer_service", "security", "logistics", "data", "marketing", "nowhere"),
    "rank": ("staff", "shift_lead", "supervisor", "manager", "general_manager", "boss"),
    "level": ("probation", "junior", "intermediate", "senior", "reserve_supervisor", "expert"),
    "kind": ("slow", "attitude", "late", "absent", "leave", "offline", "rude"),
    "source": ("customer", "colleague", "robot"),
    "grade": ("A", "B", "C", "D", "a"),
    "shift": ("early", "middle", "day", "night", "graveyard"),
    "unit": ("g", "ml", "pieces", "kg", ""),
    "category": ("office", "storeroom", "equipment_room", "fire_exit", "gate", "unit", "area", "attic"),
    "state": ("in", "out", "sealed", "lost", "retired", "gone"),
    "format": ("html", "pdf", "xlsx", "doc"),
    "rule_id": ("D1", "D5", "O3", "C7", "K5", "H2", "Z3", "P4", "L6", "Q9", "d1"),
    "item": ("keys=ok", "mail=bad:parcel", "keys=bad", "lights=ok", "=", "keys"),
    "cause": ("OF-01=took it home", "ST-01=", "=x", "nothing"),
    "code": ("OF-01", "ST-01", "EQ-01", "GT-01", "U-1203", "AR-01", "NO-SUCH", ""),
    "name": ("rat poison", "alcohol", "thinner", "bleach", "Li Na", ""),
}
IDISH = ("row_id", "handover_id", "draw_id", "note_id", "request_id", "opening_id", "close", "limit")
DAYISH = ("at", "on", "hired", "until", "approved_on", "due", "day", "date", "from")
MONTHISH = ("month", "as_of", "quarter")
NUMISH = ("minutes", "points", "amount", "orders", "qty", "product_cost", "marketing", "shipping_loss", "other")
STAFFISH = ("staff", "staff_id", "by_staff", "approved_by", "to", "with", "received_by", "special_approval",
            "witness", "from")
PATHS = ("file", "dest", "out")

junk = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=24)


def mostly(pool: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A word of the pool three times in four, else junk."""
    return st.one_of(st.sampled_from(pool), st.sampled_from(pool), st.sampled_from(pool), junk)


def noun_of(words: tuple[str, ...]) -> str:
    """The noun a command is counted under: ledger (init, void, verify, backup), levels (the
    staff level, grade, title and probation commands and review), or its first word."""
    if words[0] in ("init", "void", "verify", "backup"):
        return "ledger"
    if words[0] == "review" or words[:2] in (("staff", "level"), ("staff", "grade"), ("staff", "title"),
                                             ("staff", "probation")):
        return "levels"
    return words[0]


def commands() -> list[tuple[tuple[str, ...], list[Any]]]:
    """Every leaf command of csctl's tree with its parameters (but --db and --by, set here)."""
    from typer.main import get_command

    from csctl.cli import app

    root = get_command(app)
    ctx = root.make_context("csctl", ["--help"], resilient_parsing=True)
    found = []

    def walk(group, prefix):
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            if hasattr(cmd, "list_commands"):
                walk(cmd, prefix + (name,))
            elif prefix + (name,) not in SKIP:
                found.append((prefix + (name,), [p for p in cmd.params if p.name not in ("db", "by")]))
    walk(root, ())
    return found


class Files:
    """Where made-up files and the outputs commands write go: one folder of the run."""

    def __init__(self, root: Path):
        self.root = Path(tempfile.mkdtemp(prefix="files-", dir=root))
        self.n = 0

    def path(self, suffix: str) -> Path:
        self.n += 1
        return self.root / f"f{self.n}{suffix}"


def _csv_cell(values: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(values), junk.map(lambda s: s.replace("\n", " ")))


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n') else cell


def csv_text(kind: str) -> st.SearchStrategy[str]:
    """A CSV for an import: a header csctl knows (or not) and rows of cells from the pools."""
    if kind == "sales":
        headers = ("date,staff,product,amount,orders,customer", "日期,客服,商品,金額,訂單數,客戶", "date,staff,amount",
                   "date,staff,product,amount,orders,customer,extra")
        cells = (DAYS, STAFF, ("tea set", "", "cup"), NUMBERS, NUMBERS, ("Wang 13812345678", "", "Li"))
    else:
        headers = ("date,staff,kind,minutes,approved_by,points,source,note",
                   "date,staff,kind,minutes,approved_by,points,source,note,approved_on,until", "date,kind")
        kinds = ("late", "early-leave", "absent", "awol", "leave", "dayoff", "offline", "offline-excused",
                 "complaint-slow", "complaint-attitude", "unfinished", "refer", "party")
        cells = (DAYS, STAFF, kinds, NUMBERS, STAFF, ("0", "0.5", "1", "2"), ("customer", "colleague", ""),
                 ("", "note"), DAYS, DAYS)
    row = st.tuples(*(_csv_cell(c) for c in cells)).map(lambda r: ",".join(_quoted(c) for c in r))
    return st.tuples(st.sampled_from(headers), st.lists(row, max_size=6), st.sampled_from(("\n", "\r\n"))).map(
        lambda t: t[2].join([t[0], *t[1]]) + t[2])


TOML_KEYS = ("[discipline]\nlate_points = {v}\n", "[discipline]\nquota = {v}\n", "[outcomes]\nwarning = {v}\n",
             "[company]\nname = \"{v}\"\n", "[witness]\npath = \"{v}\"\n", "timezone = \"{v}\"\n", "{v}\n",
             "[hazmat]\ncutoff = \"{v}\"\n", "[keys]\ndue_time = \"{v}\"\n")


def toml_text() -> st.SearchStrategy[str]:
    value = st.one_of(st.sampled_from(NUMBERS + ("Asia/Shanghai", "local", "Mars/Base", "18:00", "25:61")), junk)
    return st.tuples(st.sampled_from(TOML_KEYS), value).map(lambda t: t[0].replace("{v}", t[1].replace('"', "")))


def value_for(param: Any, words: tuple[str, ...], files: Files) -> st.SearchStrategy[list[str]]:
    """The strategy of one parameter's argv: [] (left out), or its option and a value."""
    name = param.name
    if getattr(param, "is_flag", False):
        return st.sampled_from(([], [param.opts[0]]))
    if name in PATHS:
        def made(content: str | None, suffix: str, what: str) -> str:
            path = files.path(suffix)
            if what == "folder":
                path.mkdir(exist_ok=True)
            elif content is not None:
                path.write_text(content, encoding="utf-8")
            return str(path)
        if name == "file" and words == ("policy", "set"):
            content = st.one_of(toml_text(), st.none())  # None: a file that does not exist
        elif name == "file":
            content = st.one_of(csv_text("sales" if words[0] == "sales" else "log"), st.none())
        else:  # dest, out: a new name in the run's folder, or (out) a folder there
            content = st.none()
        value = st.builds(made, content, st.sampled_from((".csv", ".toml", ".db", "")),
                          st.sampled_from(("file", "folder")) if name == "out" else st.just("file"))
    elif name in IDISH:
        value = st.one_of(st.integers(-3, 3000).map(str), st.sampled_from(NUMBERS))
    elif name in WORDS or name in ("present",):
        value = mostly(WORDS.get(name, WORDS["code"]))
    elif name in MONTHISH:
        value = mostly(MONTHS)
    elif name in NUMISH:
        value = st.one_of(mostly(NUMBERS), st.decimals(-10**6, 10**7, places=2).map(str))
    elif name in STAFFISH or name == "codes":
        pool = WORDS["code"] if name == "codes" else STAFF + (DAYS if name == "from" else ()) + (
            WORDS["level"] if name == "to" else ())
        value = mostly(pool)
    elif name in DAYISH:
        value = mostly(DAYS)
    elif name == "expect":
        value = mostly(("3f2a9c01d4e5b6a7", "zz", "0" * 64))
    else:  # free text: names, notes, reasons
        value = mostly(("x", "a note", "Lin Mei", "返回", ""))
    if getattr(param, "multiple", False) or name in ("codes",):
        many = st.lists(value, max_size=3)
        if param.param_type_name == "argument":
            return many
        return many.map(lambda vs: [x for v in vs for x in (param.opts[0], v)])
    if param.param_type_name == "argument":
        return st.one_of(value.map(lambda v: [v]), st.just([]) if not param.required else value.map(lambda v: [v]))
    given = value.map(lambda v: [param.opts[0], v])
    return st.one_of(st.just([]), given, given, given)  # left out one time in four


def argv_for(words: tuple[str, ...], params: list[Any], files: Files) -> st.SearchStrategy[list[str]]:
    parts = [value_for(p, words, files) for p in params]
    by = st.one_of(mostly(STAFF).map(lambda s: ["--by", s]), st.just([]))
    tail = st.lists(junk, max_size=2)  # a stray word now and then
    stray = st.sampled_from((False,) * 9 + (True,))
    return st.tuples(by, st.tuples(*parts), stray, tail).map(
        lambda t: [*t[0], *words, *(a for part in t[1] for a in part), *(t[3] if t[2] else [])])


def row_counts(db: str) -> tuple[int, ...]:
    from csctl.tables import ROW_TABLES

    with closing(sqlite3.connect(db)) as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in (*ROW_TABLES, "chain", "_migrations"))


class Fuzz:
    """Runs made-up command lines against one ledger and counts what happened."""

    def __init__(self, db: str, root: Path):
        from typer.testing import CliRunner

        self.db, self.files = db, Files(root)
        self.runner = CliRunner()
        self.examples: Counter[str] = Counter()
        self.codes: dict[str, Counter[int]] = defaultdict(Counter)
        self.problems: list[str] = []
        self.kept: list[list[str]] = []  # a sample for the subprocess round

    def one(self, noun: str, argv: list[str]) -> None:
        from csctl.cli import app

        before = row_counts(self.db)
        result = self.runner.invoke(app, ["--db", self.db, *argv])
        code = result.exit_code
        self.examples[noun] += 1
        self.codes[noun][code] += 1
        if len(self.kept) < 400 and self.examples[noun] % 7 == 1:
            self.kept.append(argv)
        escaped = result.exception is not None and not isinstance(result.exception, SystemExit)
        if escaped or code not in (0, 1, 2) or "Traceback" in result.output:
            self.problems.append(f"exit {code} ({type(result.exception).__name__ if escaped else 'no exception'}): "
                                 f"csctl {' '.join(argv)!r}: {result.output.strip()[-300:]}")
        elif code != 0 and row_counts(self.db) != before:
            self.problems.append(f"exit {code} but rows changed: csctl {' '.join(argv)!r}: {result.output.strip()[-200:]}")

    def run(self, per_command: int, derandomize: bool = False) -> None:
        """`per_command` made-up runs of every command of csctl's tree."""
        for words, params in commands():
            noun = noun_of(words)

            @settings(max_examples=per_command, deadline=None, database=None, derandomize=derandomize,
                      suppress_health_check=list(HealthCheck))
            @given(argv=argv_for(words, params, self.files))
            def fuzz(argv: list[str]) -> None:
                self.one(noun, argv)

            fuzz()

    def subprocess_round(self, count: int, env: dict[str, str]) -> dict[str, Any]:
        """Some of the same command lines through a real `python -m csctl`: no traceback on stderr."""
        seen: Counter[int] = Counter()
        for argv in self.kept[:count]:
            before = row_counts(self.db)
            done = subprocess.run([sys.executable, "-m", "csctl", "--db", self.db, *argv], env=env,
                                  capture_output=True, text=True, timeout=120, check=False)
            seen[done.returncode] += 1
            if done.returncode not in (0, 1, 2) or "Traceback" in done.stderr:
                self.problems.append(f"subprocess exit {done.returncode}: csctl {' '.join(argv)!r}: "
                                     f"{done.stderr.strip()[-300:]}")
            elif done.returncode != 0 and row_counts(self.db) != before:
                self.problems.append(f"subprocess exit {done.returncode} but rows changed: csctl {' '.join(argv)!r}")
        return {"runs": sum(seen.values()), "codes": dict(sorted(seen.items()))}


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="csctl-fuzz-"))


def env_without_csctl() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSCTL_")}
    env["NO_COLOR"] = "1"
    return env
