"""Golden output: whole command runs on a fixed ledger, compared to tests/golden/ byte for byte
after normalising only what legitimately varies from run to run.

The ledger is built here through the CLI, always in the same order and at fixed `--at` dates:
a small department, September 2026 (closed), a policy version from October, and October's
events (one voided), sales, refunds, order counts and a special commission. Row ids are
therefore the same on every run and are kept in the golden text, as are `at` times, figures,
columns and every line of the tables (drawn COLUMNS=160 wide, without colour).

Normalised (see `normalise`):
  - times of writing: each `recorded_at` the ledger holds (also shown as a close's time)
    becomes <recorded_at>;
  - the OS user in `"recorded_os": ...` becomes <os user>;
  - hex runs of 16 digits or more (chain fingerprints, the policy digest) become <hex:N>;
  - the id of the random key that seals customers' phone numbers becomes <key id>;
  - the ledger's path becomes <db>;
  - the current month that `policy show` reports by default becomes <this month>;
  - trailing spaces at the ends of lines (Rich pads titles and captions) are dropped.

When a change of output is intended, regenerate the files and review the diff:

    CSCTL_UPDATE_GOLDEN=1 pytest tests/test_golden.py
    git diff tests/golden/

(in that mode each test writes its file and reports itself as skipped).
"""

from __future__ import annotations

import difflib
import os
import pwd
import re
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from conftest import Cli, ledger_template

from csctl.tables import ROW_TABLES
from csctl.models import Month

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = bool(os.environ.get("CSCTL_UPDATE_GOLDEN"))

# Output as a pipe of fixed width would show it: no colour, whatever the terminal says.
ENV = {"COLUMNS": "160", "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "TTY_INTERACTIVE": None}

PEOPLE = [
    ("G01", "Zhou Jian", "operations", "general_manager", None, "2020-01-01"),
    ("M01", "Chen Hui", "customer_service", "manager", None, "2021-01-01"),
    ("P01", "Xu Lan", "customer_service", "supervisor", None, "2022-01-01"),
    ("L01", "Wang Fang", "customer_service", "shift_lead", "senior", "2023-01-01"),
    ("S01", "Li Na", "customer_service", "staff", "senior", "2024-01-01"),
    ("S02", "Zhang Wei", "customer_service", "staff", "junior", "2025-01-01"),
    ("S03", "Liu Yang", "customer_service", "staff", "probation", "2026-08-01"),
    ("T01", "Ma Jun", "logistics", "staff", None, "2026-03-01"),
    ("D01", "Guo Xin", "data", "staff", None, "2025-01-01"),
    ("K01", "Lin Feng", "security", "staff", None, "2024-01-01"),
]


def build(cli: Cli) -> None:
    """The fixed ledger. Append only at the end: a change above renumbers every later row."""
    for sid, name, dept, rank, level, hired in PEOPLE:
        cli("staff", "add", sid, "--name", name, "--dept", dept, "--rank", rank, "--hired", hired,
            *(["--level", level] if level else []), by="G01")
    cli("staff", "leave", "K01", "--on", "2026-09-30", "--reason", "moved to another site", by="P01")

    # September: an AWOL, a late, a sale; then closed.
    cli("log", "awol", "S02", "--at", "2026-09-08", "--reason", "no leave asked", by="P01")
    cli("log", "late", "S01", "--minutes", "7", "--at", "2026-09-15 09:07", by="L01")
    cli("sales", "add", "S01", "--amount", "2400.00", "--product", "tea set", "--at", "2026-09-20", by="L01")
    cli("month", "close", "2026-09", by="P01")

    # A stricter late from October on.
    policy = Path(cli.db).parent / "stricter.toml"
    policy.write_text("[discipline]\nlate_points = 1\n", encoding="utf-8")
    cli("policy", "set", str(policy), "--from", "2026-10", by="M01")

    # October: something for most rules.
    cli("log", "late", "S01", "--minutes", "12", "--at", "2026-10-02 09:12", by="L01")
    cli("log", "late", "S01", "--minutes", "45", "--at", "2026-10-03 09:45", by="L01")
    for day in ("05", "06", "07", "08", "09"):
        cli("log", "leave", "S02", "--approved-by", "P01", "--at", f"2026-10-{day}", by="P01")
    cli("log", "awol", "S02", "--at", "2026-10-13", "--reason", "not back from leave", by="P01")
    cli("log", "offline", "S03", "--at", "2026-10-10 12:30", by="L01")
    cli("log", "offline", "S03", "--excused", "--reason", "network outage", "--at", "2026-10-11 12:30", by="L01")
    cli("log", "complaint", "S03", "--kind", "attitude", "--source", "customer", "--at", "2026-10-14 15:00",
        "--note", "order 8812", by="L01")
    cli("log", "unfinished", "S03", "--points", "0.5", "--at", "2026-10-16", by="P01")  # D9 points are a supervisor's
    cli("log", "refer", "S02", "--reason", "AWOL after five days of leave", "--at", "2026-10-20 17:00", by="P01")
    wrong = cli("log", "absent", "L01", "--at", "2026-10-21", "--json", by="P01").json()["id"]
    cli("void", str(wrong), "--reason", "was on a day off", by="M01")
    cli("sales", "add", "S01", "--amount", "1280.50", "--product", "tea set", "--customer", "Wang 13812345678",
        "--at", "2026-10-03", by="L01")
    cli("sales", "add", "S01", "--amount", "-80.50", "--product", "tea set", "--at", "2026-10-04", by="L01")
    cli("sales", "add", "S02", "--amount", "99.90", "--orders", "3", "--at", "2026-10-12", by="L01")
    cli("sales", "add", "T01", "--amount", "0", "--orders", "1300", "--product", "orders handled",
        "--at", "2026-10-31", by="P01")
    cli("sales", "add", "D01", "--amount", "0", "--orders", "2950", "--product", "orders handled",
        "--at", "2026-10-31", by="P01")
    cli("sales", "bonus", "S01", "--amount", "500", "--reason", "recovered an order", "--approved-by", "G01",
        "--at", "2026-10-18", by="P01")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Cli:
    """The fixed ledger, built once; the golden commands only read it."""
    return Cli(ledger_template(tmp_path_factory, "golden", build)[0])


def normalise(text: str, db: str) -> str:
    with closing(sqlite3.connect(db)) as conn:
        written = {r[0] for table in ROW_TABLES + ("chain",)
                   for r in conn.execute(f"SELECT DISTINCT recorded_at FROM {table}")}
    for stamp in sorted(written, key=len, reverse=True):
        text = text.replace(stamp, "<recorded_at>")
    text = re.sub(r'("recorded_os": )"[^"]*"', r'\1"<os user>"', text)
    text = re.sub(r"[0-9a-f]{16,}", lambda m: f"<hex:{len(m.group())}>", text)
    text = re.sub(r'(key |"id": ")[0-9a-f]{8}\b', r"\1<key id>", text)  # a random key's (csctl/sealing.py)
    text = text.replace(db, "<db>")
    text = text.replace(os.environ["XDG_STATE_HOME"], "<state>")  # the witnesses' folder (conftest)
    this_month = str(Month.of(date.today()))
    text = text.replace(f'"month": "{this_month}"', '"month": "<this month>"')
    return "\n".join(line.rstrip() for line in text.split("\n"))


CASES = {
    # golden file: the command
    "month-report-2026-10.txt": ["month", "report", "2026-10"],
    "month-report-2026-10.json": ["month", "report", "2026-10", "--json"],
    "month-report-2026-09-closed.txt": ["month", "report", "2026-09"],
    "month-statement-2026-10.json": ["month", "statement", "2026-10", "--json"],
    "month-statement-2026-10.csv": ["month", "statement", "2026-10", "--csv"],
    "log-list-2026-10.txt": ["log", "list", "--month", "2026-10"],
    "log-list-2026-10.json": ["log", "list", "--month", "2026-10", "--json"],
    "sales-list-2026-10.txt": ["sales", "list", "--month", "2026-10"],
    "staff-list.txt": ["staff", "list"],
    "policy-show.json": ["policy", "show", "--json"],
    "verify.txt": ["verify"],
    "verify.json": ["verify", "--json"],
}


@pytest.mark.parametrize("name", CASES)
def test_golden_output(ledger, name):
    run = ledger(*CASES[name], env=ENV)
    assert run.err == ""
    actual = normalise(run.out, ledger.db)
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        pytest.skip(f"wrote {path.relative_to(GOLDEN.parent.parent)}")
    assert path.exists(), f"no golden file {path}; CSCTL_UPDATE_GOLDEN=1 pytest tests/test_golden.py writes it"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                            f"golden/{name}", f"csctl {' '.join(CASES[name])}"))
        pytest.fail(f"output differs from golden/{name} (CSCTL_UPDATE_GOLDEN=1 to accept):\n{diff}")


def test_every_golden_file_has_its_command():
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(CASES)


def test_normalise_keeps_what_does_not_vary(ledger):
    """Only times of writing, the OS user, hashes, the path and this month are masked: ids,
    dates of events and figures are not."""
    text = normalise(ledger("log", "list", "--month", "2026-10", "--json", env=ENV).out, ledger.db)
    assert '"id": 17' in text and '"at": "2026-10-02T09:12:00+08:00"' in text
    assert '"recorded_at": "<recorded_at>"' in text and '"recorded_os": "<os user>"' in text
    assert pwd.getpwuid(os.getuid()).pw_name not in re.findall(r'"recorded_os": "([^"]*)"', text)
