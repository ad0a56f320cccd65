"""Shared fixtures: a fixed time zone, a ledger per test, a CLI runner, a small department.

A ledger that many tests start from (the department, a month of events) is built once per
session through the CLI, checkpointed into one file, and copied into each test's own
`tmp_path` (`ledger_template` / `copy_ledger_file`): every test still gets a ledger of its own
to write to, without paying for the same dozen CLI runs again. A copy's rows keep the
`recorded_at` times of the session's start, earlier than anything the test writes.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
from typer.testing import CliRunner

# Tests read times in one zone, whatever the machine's, so offsets in golden output are stable.
os.environ["TZ"] = "Asia/Shanghai"
time.tzset()
# The tests speak English unless one asks for Chinese (--lang, CSCTL_LANG, LANG=zh_...).
for name in ("CSCTL_USER", "CSCTL_DB", "CSCTL_DEBUG", "NO_COLOR", "CSCTL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
    os.environ.pop(name, None)
# Every write appends to a witness in the per-user state folder (csctl/ledger/witness.py):
# the tests' witnesses go to a folder of this run, not to the user's own.
STATE_HOME = tempfile.mkdtemp(prefix="csctl-test-state-")
os.environ["XDG_STATE_HOME"] = STATE_HOME
# Parsed policy texts are kept in the per-user cache folder (csctl/policy.py): this run's own.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="csctl-test-cache-")

from csctl.cli import app  # noqa: E402  (after the environment is fixed)
from csctl.errors import ExitStatus  # noqa: E402
from csctl import i18n  # noqa: E402


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A test that ran a command in Chinese leaves the next one in English."""
    yield
    i18n.use("en")


def _status(code: int) -> str:
    """`2 (BAD_INPUT)`: an exit code with its name, for assertion messages."""
    try:
        return f"{int(code)} ({ExitStatus(code).name})"
    except ValueError:
        return str(code)


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Cli:
    """`cli("log", "late", "S01", "--minutes", "5", by="L01")` runs csctl on this test's ledger."""

    def __init__(self, db: str):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, by: str | None = None, code: ExitStatus | None = ExitStatus.OK,
                 env: dict | None = None) -> Run:
        """Run csctl; unless `code` is None, assert it exits with `code` (an ExitStatus)."""
        argv = ["--db", self.db]
        if by:
            argv += ["--by", by]
        result = self.runner.invoke(app, argv + [str(a) for a in args], env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        run = Run(result.exit_code, result.stdout, result.stderr)
        if code is not None:
            assert run.code == code, (f"exit {_status(run.code)}, expected {_status(code)}\n"
                                      f"stdout: {run.out}\nstderr: {run.err}")
        return run

    def count(self, table: str) -> int:
        with sqlite3.connect(self.db) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def total_rows(self) -> int:
        from csctl.tables import ROW_TABLES

        with sqlite3.connect(self.db) as conn:
            return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ROW_TABLES + ("chain",))


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "ledger.db")


@pytest.fixture
def cli(db) -> Cli:
    return Cli(db)


# A small department: a general manager, a customer-service manager and supervisor, a shift
# lead, four customer-service staff, a logistics and a data clerk, a security guard.
DEPARTMENT = [
    ("G01", "Zhou Jian", "operations", "general_manager", None, "2020-01-01"),
    ("M01", "Chen Hui", "customer_service", "manager", None, "2021-01-01"),
    ("P01", "Xu Lan", "customer_service", "supervisor", None, "2022-01-01"),
    ("L01", "Wang Fang", "customer_service", "shift_lead", "senior", "2023-01-01"),
    ("S01", "Li Na", "customer_service", "staff", "senior", "2024-01-01"),
    ("S02", "Zhang Wei", "customer_service", "staff", "intermediate", "2024-06-01"),
    ("S03", "Liu Yang", "customer_service", "staff", "junior", "2025-01-01"),
    ("S04", "Chen Jing", "customer_service", "staff", "probation", "2026-08-01"),
    ("T01", "Ma Jun", "logistics", "staff", None, "2025-10-01"),
    ("D01", "Guo Xin", "data", "staff", None, "2025-01-01"),
    ("K01", "Lin Feng", "security", "staff", None, "2024-01-01"),
    ("P02", "Qian Bo", "logistics", "supervisor", None, "2022-01-01"),
]


def add_department(cli: Cli) -> Cli:
    """Register DEPARTMENT on `cli`'s ledger, one `staff add` each, by the general manager."""
    for sid, name, d, rank, level, hired in DEPARTMENT:
        args = ["staff", "add", sid, "--name", name, "--dept", d, "--rank", rank, "--hired", hired]
        if level:
            args += ["--level", level]
        cli(*args, by="G01")
    return cli


# ----------------------------------------------------------------------------- ledgers built once

def migrations_before(name: str) -> list:
    """The named migrations a release shipped before `name` (csctl/migrations)."""
    from csctl import migrations

    steps = migrations.MIGRATIONS
    return steps[:[n for n, _ in steps].index(name)]


def ledger_of_release(path: str | Path, steps: list, applied_at: str = "2026-10-01T00:00:00+00:00") -> sqlite3.Connection:
    """A connection to a new ledger at `path` as an older csctl left it: each of `steps` (name,
    migration) applied in turn and recorded in _migrations, as that release recorded it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    for name, step in steps:
        step(conn)
        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, applied_at))
    return conn


def copy_ledger_file(src: str | Path, dest: str | Path) -> str:
    """Copy a ledger file (and its -wal, if one is left) to `dest`, owner-only like csctl's own."""
    for suffix in ("", "-wal"):
        if suffix == "" or os.path.exists(f"{src}{suffix}"):
            shutil.copyfile(f"{src}{suffix}", f"{dest}{suffix}")
            os.chmod(f"{dest}{suffix}", 0o600)
    return str(dest)


def ledger_template(tmp_path_factory, name: str, build: Callable[[Cli], Any],
                    start_from: str | None = None) -> tuple[str, Any]:
    """Build a ledger once for the session: `build(cli)` on a fresh ledger (or on a copy of the
    template `start_from`), then fold the WAL into the file so that one file is the whole ledger.
    Returns the template's path and whatever `build` returned (row ids, say)."""
    path = tmp_path_factory.mktemp(name) / "ledger.db"
    if start_from is not None:
        copy_ledger_file(start_from, path)
    result = build(Cli(str(path)))
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return str(path), result


@pytest.fixture(scope="session")
def dept_template(tmp_path_factory) -> str:
    """DEPARTMENT registered once for the whole session; `dept` copies it."""
    return ledger_template(tmp_path_factory, "dept", add_department)[0]


def a_row_in_every_table(cli: Cli) -> None:
    """The demo, then a reopen, a void, a departure, a staff change, a reveal and a probation
    review: a row in every recorded table (tests/test_tables.py checks that none is left empty)."""
    month = cli("demo", "--json").json()["month"]
    cli("month", "reopen", month, "--reason", "check", by="M01")
    cli("void", "1200", "--reason", "typo", by="M01")
    cli("staff", "leave", "S08", "--on", "2026-11-20", by="M01")
    cli("staff", "change", "S06", "--name", "Huang Lei (Leo)", "--from", "2029-12-01", "--reason", "as signed",
        by="P01")
    cli("sales", "list", "--reveal", "--limit", "1", by="M01")
    cli("staff", "probation", "S07", "--failed", by="P01")  # the demo has grades, titles, a passed review


@pytest.fixture(scope="session")
def every_table_template(tmp_path_factory) -> str:
    return ledger_template(tmp_path_factory, "every-table", a_row_in_every_table)[0]


@pytest.fixture
def dept(dept_template, cli) -> Cli:
    """This test's own ledger holding DEPARTMENT, registered by the general manager (a copy of
    the session's `dept_template`: the same rows, ids and hash chain as registering it here)."""
    copy_ledger_file(dept_template, cli.db)
    return cli


def pytest_sessionfinish(session, exitstatus) -> None:
    shutil.rmtree(STATE_HOME, ignore_errors=True)
