"""Upgrading a ledger written by an earlier csctl: its rows and chain survive every migration."""

from __future__ import annotations

import sqlite3

from csctl import migrations
from csctl.ledger import Ledger


def test_a_0001_ledger_with_rows_upgrades_and_still_verifies(tmp_path, monkeypatch):
    import csctl.ledger.store as store

    # The tables of 0001, as the csctl of then numbered its rows across them.
    monkeypatch.setattr(store, "ROW_TABLES", ("staff", "departures", "imports", "events", "voids", "policies",
                                              "closes", "reopens", "sales", "bonuses", "costs", "reveals"))
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    migrations.MIGRATIONS[0][1](conn)  # the schema as first released
    conn.execute("INSERT INTO _migrations (name, applied_at) VALUES ('0001_initial', '2026-10-01T00:00:00+00:00')")
    old = Ledger(conn, path)
    with old.write(by="M01", os_user="cs", at="2026-10-01T09:00:00+08:00") as w:
        w.append("staff", {"staff": "M01", "name": "Chen", "dept": "customer_service", "rank": "manager"})
        w.append("staff", {"staff": "S01", "name": "Li", "dept": "customer_service", "rank": "staff",
                           "level": "junior"})
        imp = w.append("imports", {"kind": "sales", "file_name": "shop.csv", "sha256": "ab" * 32})
        w.append("sales", {"at": "2026-10-02", "staff": "S01", "amount_cents": 1250, "orders": 1, "import": imp["id"]})
        sale = w.append("sales", {"at": "2026-10-03", "staff": "S01", "amount_cents": 990, "orders": 1})
    with old.write(by="M01", os_user="cs", at="2026-10-04T09:00:00+08:00") as w:
        w.append("voids", {"target": sale["id"], "reason": "typed twice"})
    before = old.head()
    conn.close()
    monkeypatch.undo()

    ledger = Ledger.open(path)
    try:
        assert ledger.applied == [name for name, _ in migrations.MIGRATIONS[1:]]
        result = ledger.verify()
        assert result.ok, result.message
        assert ledger.head() == before  # a migration adds no link and changes no row
        assert [tuple(r) for r in ledger.rows("SELECT id, kind, file_name FROM imports")] == [(3, "sales", "shop.csv")]
        assert [r["id"] for r in ledger.rows("SELECT id FROM live_sales")] == [4]
    finally:
        ledger.close()


def test_a_0003_ledger_with_rows_upgrades_to_keys_and_still_verifies(tmp_path, monkeypatch):
    """0004_keys: a ledger of the release before it (0001-0003, with staff, a change, a sale and
    a void) gains the key cabinet with its rows and chain intact, and takes a key's rows after."""
    import csctl.ledger.store as store

    monkeypatch.setattr(store, "ROW_TABLES", ("staff", "staff_changes", "departures", "imports", "events", "voids",
                                              "policies", "closes", "reopens", "sales", "bonuses", "costs", "reveals"))
    path = tmp_path / "0003.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    released = [name for name, _ in migrations.MIGRATIONS].index("0004_keys")
    for name, step in migrations.MIGRATIONS[:released]:
        step(conn)
        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, '2026-10-01T00:00:00+00:00')", (name,))
    old = Ledger(conn, path)
    with old.write(by="M01", os_user="cs", at="2026-10-01T09:00:00+08:00") as w:
        w.append("staff", {"staff": "M01", "name": "Chen", "dept": "customer_service", "rank": "manager"})
        w.append("staff", {"staff": "S01", "name": "Li", "dept": "customer_service", "rank": "staff",
                           "level": "junior"})
        w.append("staff_changes", {"staff": "S01", "from_date": "2026-11-01", "name": "Li Na", "reason": "as signed"})
        sale = w.append("sales", {"at": "2026-10-03", "staff": "S01", "amount_cents": 990, "orders": 1})
    with old.write(by="M01", os_user="cs", at="2026-10-04T09:00:00+08:00") as w:
        w.append("voids", {"target": sale["id"], "reason": "typed twice"})
    before = old.head()
    rows = {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in ("staff", "staff_changes", "sales")}
    conn.close()
    monkeypatch.undo()

    ledger = Ledger.open(path)
    try:
        assert ledger.applied == [name for name, _ in migrations.MIGRATIONS[released:]]
        assert ledger.verify().ok
        assert ledger.head() == before
        for table, kept in rows.items():
            assert [tuple(r) for r in ledger.rows(f"SELECT * FROM {table} ORDER BY id")] == [tuple(r) for r in kept]
        assert ledger.rows("SELECT * FROM live_sales") == []
        with ledger.write(by="M01", os_user="cs", at="2026-10-05T09:00:00+08:00") as w:
            key = w.append("keys", {"code": "ST-01", "label": "Storeroom", "category": "storeroom", "kept": "board",
                                    "at": "2026-10-05T09:00:00+08:00"})
            w.append("key_events", {"kind": "borrow", "code": "ST-01", "at": "2026-10-05T09:00:00+08:00",
                                    "staff": "S01", "purpose": "stock", "approved_by": "M01"})
        assert key["id"] == 6  # the one id sequence goes on across the new tables
        assert ledger.verify().ok
    finally:
        ledger.close()
