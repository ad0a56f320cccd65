"""The table registry (csctl/tables.py) against the schema, `verify` and `void`.

Every recorded table is declared once; these tests hold each declaration to the schema
(triggers, live view, columns) and to what `verify` and `void` do with a row of it, on a
ledger that has rows in every recorded table.
"""

from __future__ import annotations

import sqlite3

import pytest

from csctl import migrations
from csctl.errors import ExitStatus
from csctl.models import RANKS
from csctl.tables import FLAG_COLUMNS, IMPORT_KINDS, ROW_TABLES, TABLES

from conftest import Cli, copy_ledger_file

NOT_RECORDED = {"chain", "_migrations"}


def schema_objects(kind: str) -> list[str]:
    return [sql.split()[2] for sql in migrations.statements(migrations.schema_text())
            if sql.upper().startswith(f"CREATE {kind} ")]


def test_every_recorded_table_is_declared_once_in_schema_order():
    tables = [t for t in schema_objects("TABLE") if t not in NOT_RECORDED]
    assert tuple(tables) == ROW_TABLES


@pytest.mark.parametrize("name", ROW_TABLES)
def test_each_table_has_its_triggers_and_its_live_view(name):
    table = TABLES[name]
    triggers = set(schema_objects("TRIGGER"))
    assert {f"{name}_no_update", f"{name}_no_delete"} <= triggers
    views = set(schema_objects("VIEW"))
    assert (table.live in views) == table.voidable, "a voidable table has a live view; a kept one has none"


@pytest.mark.parametrize("name", [n for n in ROW_TABLES if TABLES[n].voidable])
def test_voiding_needs_at_least_the_rank_of_writing(name):
    table = TABLES[name]
    assert RANKS.index(table.void_rank) >= RANKS.index(table.write_rank)  # L6


def test_declared_columns_exist(tmp_path):
    from csctl.ledger import Ledger

    ledger = Ledger.open(tmp_path / "l.db")
    try:
        for table in TABLES.values():
            columns = set(ledger.columns(table.name))
            assert set(table.subjects) | set(table.flags) | set(table.on_staff) | set(table.approvals) <= columns, table.name
            # L6: a column naming who approved a row is declared, so voiding it needs their rank.
            approving = {c for c in columns if c.startswith(("approved_by", "special_by"))}
            assert approving <= set(table.approvals), f"{table.name}: undeclared approvals {approving}"
            assert ("import" in columns) == bool(table.imported), table.name
            if table.month == "at":
                assert "at" in columns
        assert set(IMPORT_KINDS) == {"events", "sales"}
        assert FLAG_COLUMNS == {"excused", "passed", "major"}
    finally:
        ledger.close()


# ------------------------------------------------------------------- a row in every table
@pytest.fixture
def ledger_copy(every_table_template, tmp_path) -> tuple[Cli, dict[str, int]]:
    """A copy of the session's ledger with a row in every recorded table, and the latest row
    id of each table."""
    cli = Cli(copy_ledger_file(every_table_template, tmp_path / "copy.db"))
    with sqlite3.connect(cli.db) as conn:
        latest = {t: conn.execute(f"SELECT max(id) FROM {t}").fetchone()[0] for t in ROW_TABLES}
    assert all(latest.values()), f"a table with no row: {latest}"
    return cli, latest


@pytest.mark.parametrize("name", ROW_TABLES)
def test_verify_sees_a_changed_row_in_every_table(ledger_copy, name):
    cli, latest = ledger_copy
    assert cli("verify", "--json").json()["ok"] is True
    with sqlite3.connect(cli.db) as conn:
        conn.execute(f"DROP TRIGGER {name}_no_update")
        columns = conn.execute(f"SELECT name, type FROM pragma_table_info('{name}') WHERE cid > 0").fetchall()[:-3]
        for column, kind in columns:  # the first value that can change (not NULL, no CHECK in the way)
            change = f"{column} + 1" if kind == "INTEGER" else f"{column} || 'x'"
            try:
                changed = conn.execute(f"UPDATE {name} SET {column} = {change} WHERE id = ? AND {column} IS NOT NULL",
                                       (latest[name],)).rowcount
            except sqlite3.IntegrityError:
                continue
            if changed:
                break
        else:
            pytest.fail(f"no column of {name} row {latest[name]} could be changed")
    run = cli("verify", code=ExitStatus.REFUSED)
    assert run.err.startswith("verify failed (L1):") and name in run.err


@pytest.mark.parametrize("name", ROW_TABLES)
def test_void_follows_the_declaration(ledger_copy, name):
    cli, latest = ledger_copy
    table = TABLES[name]
    row = str(latest[name])
    if not table.voidable:
        rule, _ = table.kept
        run = cli("void", row, "--reason", "x", by="G01", code=ExitStatus.REFUSED)
        assert run.err.startswith(f"refused ({rule}): row {row} is in {name}")
        return
    below = RANKS[RANKS.index(table.void_rank) - 1]
    who = {"staff": "S01", "shift_lead": "L01", "supervisor": "P01", "manager": "M01"}[below]
    run = cli("void", row, "--reason", "x", by=who, code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L1):") and f"needs a {table.void_rank.replace('_', ' ')} or above" in run.err
