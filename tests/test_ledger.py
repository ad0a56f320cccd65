"""The ledger itself: schema, migrations, append-only triggers, the hash chain, atomic writes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest
from conftest import copy_ledger_file
from sqlite_utils import Database

from csctl import migrations
from csctl.ledger import Ledger
from csctl.tables import ROW_TABLES


def _schema(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return sorted(
        (r[0], r[1], " ".join(r[2].split()))
        for r in conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")
    )


def test_schema_sql_ships_inside_the_installed_package():
    import csctl

    if (Path(csctl.__file__).resolve().parent.parent / "pyproject.toml").exists():
        pytest.skip("csctl is imported from a source checkout (editable install), not from a wheel")
    shipped = resources.files("csctl").joinpath("schema.sql")
    assert shipped.is_file(), "schema.sql must be inside the wheel (pyproject force-include)"
    top = Path(__file__).resolve().parent.parent / "schema.sql"
    if top.exists():
        assert shipped.read_text(encoding="utf-8") == top.read_text(encoding="utf-8")


def test_a_fresh_ledger_equals_schema_sql(tmp_path):
    ledger = Ledger.open(tmp_path / "fresh.db")
    expected = sqlite3.connect(":memory:")
    expected.executescript(migrations.schema_text())
    assert _schema(ledger.conn) == _schema(expected)
    db = Database(ledger.conn)
    assert set(ROW_TABLES) | {"chain", "_migrations"} == set(db.table_names())
    assert [r[0] for r in ledger.conn.execute("SELECT name FROM _migrations")] == [n for n, _ in migrations.MIGRATIONS]
    ledger.close()


def test_every_migration_applied_in_order_gives_schema_sql(tmp_path):
    """The upgrade road (each named migration in turn) and the fresh road (schema.sql) agree."""
    conn = sqlite3.connect(tmp_path / "upgraded.db")
    for _, step in migrations.MIGRATIONS:
        step(conn)
    expected = sqlite3.connect(":memory:")
    expected.executescript(migrations.schema_text())
    assert _schema(conn) == _schema(expected)


def test_every_recorded_table_has_its_triggers_and_trailer(tmp_path):
    ledger = Ledger.open(tmp_path / "l.db")
    db = Database(ledger.conn)
    triggers = {t.name for t in db.triggers}
    for table in ROW_TABLES:
        assert {f"{table}_no_update", f"{table}_no_delete"} <= triggers
        columns = db[table].columns_dict
        assert {"id", "recorded_by", "recorded_os", "recorded_at"} <= set(columns)
    assert {"chain_no_update", "chain_no_delete"} <= triggers


@pytest.mark.parametrize("table", ROW_TABLES + ("chain",))
def test_the_database_itself_refuses_update_and_delete(cli, every_table_template, table):
    """L1: even a plain sqlite3 connection, bypassing csctl, cannot change a recorded row."""
    copy_ledger_file(every_table_template, cli.db)  # conftest.a_row_in_every_table, run once per session
    with sqlite3.connect(cli.db) as conn:
        row_id = conn.execute(f"SELECT min(id) FROM {table}").fetchone()[0]
        assert row_id is not None, f"the demo leaves {table} empty"
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(f"UPDATE {table} SET id = id WHERE id = ?", (row_id,))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))


def test_connection_pragmas(tmp_path):
    ledger = Ledger.open(tmp_path / "l.db")
    pragma = lambda name: ledger.conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 5000
    assert ledger.conn.isolation_level is None


def test_rows_share_one_id_sequence_and_one_link_per_write(dept):
    with sqlite3.connect(dept.db) as conn:
        ids = sorted(r[0] for t in ROW_TABLES for r in conn.execute(f"SELECT id FROM {t}"))
        links = conn.execute("SELECT first_id, last_id, rows FROM chain ORDER BY id").fetchall()
    assert ids == list(range(1, len(ids) + 1))
    assert len(links) == len(ids)  # each staff add was one write
    assert all(first == last and n == 1 for first, last, n in links)


def test_verify_finds_a_sale_whose_seller_is_not_on_the_staff_list(dept):
    # sales.staff has no foreign key (an import's speed); csctl checks sellers, verify backs it up.
    ledger = Ledger.open(dept.db)
    assert ledger.verify().ok
    with ledger.write(by="P01", os_user="u", at="2026-10-02T00:00:00+08:00") as w:
        w.append_many("sales", [("2026-10-01", "X99", None, 100, 1, None, None, None)])
    result = ledger.verify()
    ledger.close()
    assert not result.ok and result.table == "sales" and "'X99'" in result.message


def test_recorded_os_comes_from_the_password_database(dept, monkeypatch):
    import pwd

    expected = pwd.getpwuid(os.getuid()).pw_name
    run = dept("log", "absent", "S01", "--at", "2026-10-02", "--json", by="L01",
               env={"USER": "mallory", "LOGNAME": "mallory"})
    assert run.json()["recorded_os"] == expected


def test_a_failed_write_leaves_nothing(dept):
    ledger = Ledger.open(dept.db)
    before = ledger.value("SELECT count(*) FROM chain")
    with pytest.raises(RuntimeError):
        with ledger.write(by="M01", os_user="u", at="2026-10-01T00:00:00+08:00") as w:
            w.append("reveals", {"command": "c", "scope": "s", "rows": 1})
            raise RuntimeError("power cut")
    assert ledger.value("SELECT count(*) FROM reveals") == 0
    assert ledger.value("SELECT count(*) FROM chain") == before


KILLER = r"""
import sys
from csctl.ledger import Ledger
ledger = Ledger.open(sys.argv[1])
rows = (("2026-10-01", "S01", "p", 100, 1, None, None, None) for _ in range(10**9))
with ledger.write(by="M01", os_user="u", at="2026-10-01T00:00:00+08:00") as w:
    imp = w.append("imports", {"kind": "sales", "file_name": "f", "sha256": "x"})
    print("writing", flush=True)
    w.append_many("sales", ((d, s, p, c, o, cu, imp["id"], None) for d, s, p, c, o, cu, _, _ in rows))
"""


def test_a_kill_mid_import_leaves_the_ledger_as_before(dept, tmp_path):
    """Nothing is lost: SIGKILL during a long import; the ledger is as before and verifies."""
    before = dept.total_rows()
    script = tmp_path / "killer.py"
    script.write_text(KILLER)
    proc = subprocess.Popen([sys.executable, str(script), dept.db], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert dept.total_rows() == before
    assert dept("verify", "--json").json()["ok"] is True
    dept("log", "absent", "S01", "--at", "2026-10-02", by="L01")  # and it takes writes again


def test_the_two_sha256_implementations_give_one_digest():
    """digest.py: the interpreter's own SHA-256 for small writes, OpenSSL's for bulk; the chain
    may be written with one and verified with the other."""
    import hashlib

    from csctl.digest import sha256

    for data in (b"", b"abc", "欄位".encode() * 1000, bytes(range(256)) * 4099):
        small, bulk = sha256(data), sha256(data, bulk=True)
        small.update(b"more")
        bulk.update(b"more")
        assert small.hexdigest() == bulk.hexdigest() == hashlib.sha256(data + b"more").hexdigest()


def test_a_value_of_the_wrong_type_for_its_column_is_refused_before_it_is_written(dept):
    """SQLite stores an int given to a TEXT column as text, but the chain would hash the int:
    a row verify later calls changed. The one gate of single writes refuses it first."""
    ledger = Ledger.open(dept.db)
    before = ledger.value("SELECT count(*) FROM events")
    with pytest.raises(TypeError, match=r"events\.note is str in the schema, given int 7"):
        with ledger.write(by="P01", os_user="u", at="2026-10-02T00:00:00+08:00") as w:
            w.append("events", {"kind": "absent", "staff": "S01", "at": "2026-10-02", "note": 7})
    with pytest.raises(TypeError, match=r"events\.minutes is int in the schema, given str '12'"):
        with ledger.write(by="P01", os_user="u", at="2026-10-02T00:00:00+08:00") as w:
            w.append("events", {"kind": "late", "staff": "S01", "at": "2026-10-02", "minutes": "12"})
    assert ledger.value("SELECT count(*) FROM events") == before and ledger.verify().ok
    ledger.close()
