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


def test_a_ledger_of_the_release_before_hazmat_upgrades_with_its_rows_and_takes_hazmat_rows(tmp_path, monkeypatch):
    """0006_hazmat: a ledger made by every migration before it, with rows, gains the hazmat tables;
    its rows and chain are intact, it verifies, and the new tables take rows at once."""
    import csctl.ledger.store as store
    from csctl.services import Session, hazmat

    mine = [name for name, _ in migrations.MIGRATIONS].index("0006_hazmat")
    monkeypatch.setattr(store, "ROW_TABLES", tuple(t for t in store.ROW_TABLES if not t.startswith("hazmat_")))
    path = tmp_path / "before-hazmat.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    for name, step in migrations.MIGRATIONS[:mine]:
        step(conn)
        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, '2026-11-01T00:00:00+00:00')", (name,))
    assert "hazmat_draws" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    old = Ledger(conn, path)
    with old.write(by="M01", os_user="cs", at="2026-11-01T09:00:00+08:00") as w:
        w.append("staff", {"staff": "M01", "name": "Chen", "dept": "customer_service", "rank": "manager",
                           "hired": "2021-01-01"})
        w.append("staff", {"staff": "L01", "name": "Wang", "dept": "customer_service", "rank": "shift_lead",
                           "level": "senior", "hired": "2023-01-01"})
        event = w.append("events", {"kind": "absent", "staff": "L01", "at": "2026-11-02T00:00:00+08:00", "excused": 0})
        w.append("sales", {"at": "2026-11-03", "staff": "L01", "amount_cents": 4200, "orders": 1})
    with old.write(by="M01", os_user="cs", at="2026-11-04T09:00:00+08:00") as w:
        w.append("voids", {"target": event["id"], "reason": "was on leave"})
    before, rows = old.head(), conn.execute("SELECT * FROM staff ORDER BY id").fetchall()
    conn.close()
    monkeypatch.undo()

    ledger = Ledger.open(path)
    try:
        assert ledger.applied == [name for name, _ in migrations.MIGRATIONS[mine:]]
        assert ledger.verify().ok
        assert ledger.head() == before
        assert [tuple(r) for r in ledger.rows("SELECT * FROM staff ORDER BY id")] == [tuple(r) for r in rows]
        assert ledger.rows("SELECT id FROM live_events") == [] and ledger.value("SELECT count(*) FROM sales") == 1
    finally:
        ledger.close()
    s = Session.open(str(path), "L01")
    try:
        hazmat.add(s, "thinner", unit="ml")
        assert hazmat.stock_in(s, "thinner", qty="250.5")["balance"] == "250.500"
        assert s.ledger.verify().ok
    finally:
        s.close()
