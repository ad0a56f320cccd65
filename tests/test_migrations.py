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
        w.append("events", {"kind": "leave", "staff": "S01", "at": "2026-10-05T00:00:00+08:00", "approved_by": "M01",
                            "excused": 0})
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
        # 0008 rebuilt events with two late columns; the old row keeps its values and its hash.
        event = ledger.row("SELECT * FROM events")
        assert (event["id"], event["kind"], event["approved_on"], event["until"]) == (6, "leave", None, None)
    finally:
        ledger.close()


def test_a_ledger_of_the_release_before_0007_upgrades_with_its_rows_and_level_history(tmp_path, monkeypatch):
    """0007_levels adds the grades, titles and probation reviews and writes no row: the levels of
    the staff records and the level changes already recorded are the level history."""
    import csctl.ledger.store as store
    from csctl.ledger.queries import levels as level_queries

    mine = ("grades", "titles", "probation_reviews")
    monkeypatch.setattr(store, "ROW_TABLES", tuple(t for t in store.ROW_TABLES if t not in mine))
    path = tmp_path / "before.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    before_mine = [(name, step) for name, step in migrations.MIGRATIONS if name != "0007_levels"]
    for name, step in before_mine:
        step(conn)
        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, '2026-10-01T00:00:00+00:00')", (name,))
    old = Ledger(conn, path)
    with old.write(by="M01", os_user="cs", at="2026-10-01T09:00:00+08:00") as w:
        w.append("staff", {"staff": "M01", "name": "Chen", "dept": "customer_service", "rank": "manager"})
        w.append("staff", {"staff": "S01", "name": "Li", "dept": "customer_service", "rank": "staff",
                           "level": "junior", "hired": "2026-01-01"})
    with old.write(by="M01", os_user="cs", at="2026-10-02T09:00:00+08:00") as w:
        w.append("staff_changes", {"staff": "S01", "from_date": "2026-10-01", "level": "intermediate",
                                   "reason": "promoted"})
    before = old.head()
    conn.close()
    monkeypatch.undo()

    ledger = Ledger.open(path)
    try:
        assert ledger.applied == ["0007_levels"]
        result = ledger.verify()
        assert result.ok, result.message
        assert ledger.head() == before  # no row written, no link added
        history = [(r["from_date"], r["level"]) for r in level_queries.level_history(ledger, "S01")]
        assert history == [("2026-01-01", "junior"), ("2026-10-01", "intermediate")]
        assert ledger.rows("SELECT count(*) AS n FROM live_grades")[0]["n"] == 0
    finally:
        ledger.close()
