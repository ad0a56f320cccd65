"""Upgrading a ledger written by an earlier csctl: its rows and chain survive every migration."""

from __future__ import annotations

from conftest import ledger_of_release, migrations_before

from csctl import migrations
from csctl.ledger import Ledger


def test_a_0001_ledger_with_rows_upgrades_and_still_verifies(tmp_path, monkeypatch):
    import csctl.ledger.store as store

    # The tables of 0001, as the csctl of then numbered its rows across them.
    monkeypatch.setattr(store, "ROW_TABLES", ("staff", "departures", "imports", "events", "voids", "policies",
                                              "closes", "reopens", "sales", "bonuses", "costs", "reveals"))
    path = tmp_path / "old.db"
    conn = ledger_of_release(path, migrations.MIGRATIONS[:1])  # the schema as first released
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
    conn = ledger_of_release(path, [(name, step) for name, step in migrations.MIGRATIONS if name != "0007_levels"])
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


def test_a_ledger_of_the_release_before_0005_upgrades_with_its_rows_and_takes_handovers(tmp_path, monkeypatch):
    """0005_handover: a ledger made by every migration before it, with rows, gains the handover
    and duty tables; its rows and chain stay as they were, and it takes a handover."""
    import csctl.ledger.store as store
    from conftest import Cli
    from csctl.tables import ROW_TABLES

    path = tmp_path / "before.db"
    shipped = migrations_before("0005_handover")
    conn = ledger_of_release(path, shipped)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "handovers" not in tables
    monkeypatch.setattr(store, "ROW_TABLES", tuple(t for t in ROW_TABLES if t in tables))  # that release's tables
    old = Ledger(conn, path)
    with old.write(by="M01", os_user="cs", at="2026-10-01T09:00:00+08:00") as w:
        for sid, rank, level in (("M01", "manager", None), ("S01", "staff", "junior"), ("S02", "staff", "senior")):
            w.append("staff", {"staff": sid, "name": sid, "dept": "customer_service", "rank": rank, "level": level,
                               "hired": "2025-01-01"})
        late = w.append("events", {"kind": "late", "staff": "S01", "at": "2026-10-02T09:10:00+08:00", "minutes": 10,
                                    "excused": 0})
        w.append("sales", {"at": "2026-10-02", "staff": "S02", "amount_cents": 1250, "orders": 1})
    with old.write(by="M01", os_user="cs", at="2026-10-04T09:00:00+08:00") as w:
        w.append("voids", {"target": late["id"], "reason": "clock fault"})
    before = old.head()
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("staff", "events", "sales", "voids")}
    conn.close()
    monkeypatch.undo()

    ledger = Ledger.open(path)
    try:
        assert ledger.applied == [name for name, _ in migrations.MIGRATIONS[len(shipped):]]
        result = ledger.verify()
        assert result.ok, result.message
        assert ledger.head() == before  # no link added, no row changed
        assert {t: ledger.value(f"SELECT count(*) FROM {t}") for t in counts} == counts
        assert ledger.value("SELECT count(*) FROM live_events") == 0
        assert ledger.value("SELECT count(*) FROM live_handovers") == 0
    finally:
        ledger.close()
    cli = Cli(str(path))
    row = cli("handover", "open", "--shift", "early", "--from", "S01", "--to", "S02", "--at", "2026-10-05 14:00",
              "--json", by="S01").json()
    cli("handover", "accept", str(row["id"]), "--by-staff", "S02", "--at", "2026-10-05 14:10", by="S02")
    assert cli("verify", "--json").json()["ok"] is True


def test_a_ledger_of_the_release_before_hazmat_upgrades_with_its_rows_and_takes_hazmat_rows(tmp_path, monkeypatch):
    """0006_hazmat: a ledger made by every migration before it, with rows, gains the hazmat tables;
    its rows and chain are intact, it verifies, and the new tables take rows at once."""
    import csctl.ledger.store as store
    from csctl.services import Session, hazmat

    monkeypatch.setattr(store, "ROW_TABLES", tuple(t for t in store.ROW_TABLES if not t.startswith("hazmat_")))
    path = tmp_path / "before-hazmat.db"
    shipped = migrations_before("0006_hazmat")
    conn = ledger_of_release(path, shipped, "2026-11-01T00:00:00+00:00")
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "hazmat_draws" not in present
    monkeypatch.setattr(store, "ROW_TABLES", tuple(t for t in store.ROW_TABLES if t in present))  # that release's
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
        assert ledger.applied == [name for name, _ in migrations.MIGRATIONS[len(shipped):]]
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


def test_a_0003_ledger_with_rows_upgrades_to_keys_and_still_verifies(tmp_path, monkeypatch):
    """0004_keys: a ledger of the release before it (0001-0003, with staff, a change, a sale and
    a void) gains the key cabinet with its rows and chain intact, and takes a key's rows after."""
    import csctl.ledger.store as store

    monkeypatch.setattr(store, "ROW_TABLES", ("staff", "staff_changes", "departures", "imports", "events", "voids",
                                              "policies", "closes", "reopens", "sales", "bonuses", "costs", "reveals"))
    path = tmp_path / "0003.db"
    shipped = migrations_before("0004_keys")
    conn = ledger_of_release(path, shipped)
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
        assert ledger.applied == [name for name, _ in migrations.MIGRATIONS[len(shipped):]]
        assert ledger.verify().ok
        assert ledger.head() == before
        for table, kept in rows.items():  # every value kept; a later migration may add a late column (NULL)
            now = ledger.rows(f"SELECT * FROM {table} ORDER BY id")
            assert [{k: r[k] for k in was.keys()} for r, was in zip(now, kept)] == [dict(r) for r in kept]
            assert len(now) == len(kept)
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


def test_a_ledger_before_0011_keeps_its_links_and_holds_migrations_from_its_next_write(tmp_path):
    """0011_chain_migrations makes the chain table again with a `migrations` column: the old links
    keep their hashes and hold no mark; every link written after holds the mark of `_migrations`,
    so an `applied_at` edited later is caught by verify."""
    from csctl.ledger.chain import migrations_marks

    path = tmp_path / "before.db"
    conn = ledger_of_release(path, [(name, step) for name, step in migrations.MIGRATIONS
                                    if name != "0011_chain_migrations"])
    assert "migrations" not in {r[1] for r in conn.execute("PRAGMA table_info(chain)")}
    old = Ledger(conn, path)
    with old.write(by="M01", os_user="cs", at="2026-10-01T09:00:00+08:00") as w:
        w.append("staff", {"staff": "M01", "name": "Chen", "dept": "customer_service", "rank": "manager"})
    before = old.head()
    conn.close()

    ledger = Ledger.open(path)
    try:
        assert ledger.applied == ["0011_chain_migrations"]
        assert ledger.head() == before and ledger.verify().ok
        assert ledger.value("SELECT migrations FROM chain") is None
        with ledger.write(by="M01", os_user="cs", at="2026-10-02T09:00:00+08:00") as w:
            w.append("staff", {"staff": "S01", "name": "Li", "dept": "customer_service", "rank": "staff"})
        mark = ledger.value("SELECT migrations FROM chain ORDER BY id DESC LIMIT 1")
        assert mark == migrations_marks(ledger.conn)[-1] and mark.startswith(f"{len(migrations.MIGRATIONS)}:")
        assert ledger.verify().ok
        trigger = ledger.value("SELECT sql FROM sqlite_master WHERE name = 'migrations_no_update'")
        ledger.conn.execute("DROP TRIGGER migrations_no_update")
        ledger.conn.execute("UPDATE _migrations SET applied_at = '2026-09-30T00:00:00+00:00' "
                            "WHERE name = '0001_initial'")
        ledger.conn.execute(trigger)
        result = ledger.verify()
        assert not result.ok and result.table == "_migrations" and result.link == 2, result.message
    finally:
        ledger.close()
