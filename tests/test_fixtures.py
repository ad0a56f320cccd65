"""The shared fixtures themselves: a ledger built once and copied is the test's own, whole and
the same as one built in the test."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing

from conftest import DEPARTMENT, Cli, add_department


def _rows(db: str) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT id, staff, name, dept, rank, level, hired FROM staff ORDER BY id").fetchall()


def test_dept_is_a_copy_that_verifies_and_is_owner_only(dept, dept_template):
    assert dept.db != dept_template
    assert (os.stat(dept.db).st_mode & 0o777) == 0o600
    assert dept("verify", "--json").json()["ok"] is True
    assert [r[1] for r in _rows(dept.db)] == [row[0] for row in DEPARTMENT]


def test_a_write_to_the_copy_leaves_the_template_alone(dept, dept_template):
    before = Cli(dept_template).total_rows()
    dept("log", "absent", "S01", "--at", "2026-10-02", by="L01")
    assert dept.total_rows() == before + 2  # the event and its link
    assert Cli(dept_template).total_rows() == before


def test_the_copy_holds_what_registering_here_would(dept, tmp_path):
    """Same rows and ids (tests keep ids such as #1 for G01's staff record), not only the same count."""
    here = add_department(Cli(str(tmp_path / "here.db")))
    assert _rows(here.db) == _rows(dept.db)
