"""Shared fixtures: a fixed time zone, a ledger per test, a CLI runner, a small department."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

import pytest
from typer.testing import CliRunner

# Tests read times in one zone, whatever the machine's, so offsets in golden output are stable.
os.environ["TZ"] = "Asia/Shanghai"
time.tzset()
for name in ("CSCTL_USER", "CSCTL_DB", "CSCTL_DEBUG", "NO_COLOR"):
    os.environ.pop(name, None)

from csctl.cli import app  # noqa: E402  (after the environment is fixed)


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

    def __call__(self, *args: str, by: str | None = None, code: int | None = 0, env: dict | None = None) -> Run:
        argv = ["--db", self.db]
        if by:
            argv += ["--by", by]
        result = self.runner.invoke(app, argv + [str(a) for a in args], env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        run = Run(result.exit_code, result.stdout, result.stderr)
        if code is not None:
            assert run.code == code, f"exit {run.code}, expected {code}\nstdout: {run.out}\nstderr: {run.err}"
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


@pytest.fixture
def dept(cli) -> Cli:
    """The ledger holding DEPARTMENT, registered by the general manager."""
    for sid, name, d, rank, level, hired in DEPARTMENT:
        args = ["staff", "add", sid, "--name", name, "--dept", d, "--rank", rank, "--hired", hired]
        if level:
            args += ["--level", level]
        cli(*args, by="G01")
    return cli
