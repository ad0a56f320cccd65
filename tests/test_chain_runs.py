"""verify's two walks of the chain agree: `_verify_runs` (a run of rows at a time, the one an
intact ledger takes) says ok exactly when `_verify_rows` (row by row, which names what is wrong)
does, whatever the tables' interleaving, the late columns' values and the size of its batches."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing

import pytest

from conftest import copy_ledger_file
from csctl.ledger import Ledger, chain

TRAILERS = [("M01", "u", "2026-10-01T00:00:00+08:00"), ("P01", "v", "2026-10-02T08:00:00+08:00")]


def build(path) -> None:
    """Links that mix tables within a link (staff, sales sealed and not, events with and without
    their late columns), runs of one row and runs longer than a batch, and bulk appends."""
    rng = random.Random(17)
    hired: list[str] = []
    ledger = Ledger.open(path)
    with ledger.write(by="M01", os_user="u", at="2026-10-01T00:00:00+08:00") as w:
        for sid in ("M01", "P01", "S01"):
            w.append("staff", {"staff": sid, "name": f"n\"{sid}\\\n\u00e9\u4e2d", "dept": "customer_service",
                               "rank": "manager"})
    for n in range(12):
        by, os_user, at = TRAILERS[n % 2]
        with ledger.write(by=by, os_user=os_user, at=at, bulk=n % 3 == 0) as w:
            for _ in range(rng.randint(1, 9)):
                kind = rng.choice(["sale", "event", "staff"])
                if kind == "sale":
                    sealed = rng.choice([None, f"1:abcdef01:{rng.random()}"])
                    w.append("sales", {"at": "2026-10-01", "staff": "S01", "amount_cents": rng.randint(-99, 99),
                                       "orders": 1, "customer": rng.choice([None, "Wang 138****5678", "\x00\x1f\""]),
                                       "customer_sealed": sealed})
                elif kind == "event":
                    w.append("events", {"kind": "late", "staff": "S01", "at": "2026-10-01T09:05:00+08:00",
                                        "minutes": rng.randint(1, 40), "points": "1", "excused": 0,
                                        "approved_on": rng.choice([None, "2026-10-02"]),
                                        "until": rng.choice([None, "2026-10-09"])})
                else:
                    hired.append(f"T{len(hired):03d}")
                    w.append("staff", {"staff": hired[-1], "name": "t", "dept": "admin",
                                       "rank": "staff", "level": "junior"})
            if n % 4 == 1:
                w.append_many("sales", [("2026-10-02", "S01", "p", c, 1, "c", None, rng.choice([None, "1:x:y"]))
                                        for c in range(rng.randint(1, 30))])
    ledger.close()


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("runs") / "mixed.db"
    build(path)
    return str(path)


def both(db: str, expect=()) -> tuple[chain.VerifyResult | None, chain.VerifyResult]:
    with closing(sqlite3.connect(db)) as conn:
        return chain._verify_runs(conn, expect), chain._verify_rows(conn, expect)


@pytest.mark.parametrize("split", [False, True])
@pytest.mark.parametrize("batch", [1, 2, 3, 7, 20_000])
def test_an_intact_ledger_takes_the_runs_and_gets_the_rows_answer(mixed, monkeypatch, batch, split):
    monkeypatch.setattr(chain, "FETCH_ROWS", batch)
    monkeypatch.setattr(chain, "SPLIT_FROM_ROWS", 1 if split else 10**9)
    runs, rows = both(mixed)
    assert rows.ok and runs == rows and runs.links == 13
    with closing(sqlite3.connect(mixed)) as conn:
        tables = {t for t in chain.ROW_TABLES if conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()}
    assert {"staff", "sales", "events"} <= tables


def test_verify_walks_an_intact_ledger_once_by_runs(mixed, monkeypatch):
    def row_by_row(*_):
        raise AssertionError("an intact ledger was walked row by row")

    monkeypatch.setattr(chain, "_verify_rows", row_by_row)
    with closing(sqlite3.connect(mixed)) as conn:
        assert chain.verify(conn).ok


@pytest.mark.parametrize("split", [False, True])
def test_fingerprints_expected(mixed, monkeypatch, split):
    monkeypatch.setattr(chain, "SPLIT_FROM_ROWS", 1 if split else 10**9)
    with closing(sqlite3.connect(mixed)) as conn:
        hashes = [r[0] for r in conn.execute("SELECT hash FROM chain ORDER BY id")]
    runs, rows = both(mixed, (hashes[3][:12].upper(), hashes[-1][:16]))
    assert runs == rows and rows.ok
    runs, rows = both(mixed, (hashes[3][:12], "0123456789ab"))
    assert runs is None and not rows.ok and "0123456789ab" in rows.message


# Each changes the ledger behind csctl's back, triggers dropped.
TAMPERS = {
    "a cell": "UPDATE sales SET amount_cents = amount_cents + 1 WHERE id = (SELECT max(id) FROM sales)",
    "a late cell set": "UPDATE events SET until = '2026-10-10' WHERE until IS NULL AND id = (SELECT min(id) FROM events "
                       "WHERE until IS NULL)",
    "a late cell cleared": "UPDATE sales SET customer_sealed = NULL WHERE id = (SELECT min(id) FROM sales "
                           "WHERE customer_sealed IS NOT NULL)",
    "a sealed value": "UPDATE sales SET customer_sealed = customer_sealed || 'A' WHERE customer_sealed IS NOT NULL",
    "a value's type": "UPDATE sales SET amount_cents = amount_cents + 0.5 WHERE id = (SELECT min(id) FROM sales)",
    "a blob": "UPDATE staff SET name = CAST(name AS BLOB) WHERE id = 2",
    "a trailer": "UPDATE events SET recorded_os = 'w' WHERE id = (SELECT max(id) FROM events)",
    "a row removed": "DELETE FROM staff WHERE id = (SELECT max(id) FROM staff)",
    "a row added": "INSERT INTO sales (id, at, staff, amount_cents, orders, recorded_by, recorded_os, recorded_at) "
                   "SELECT max(last_id) + 1, '2026-10-01', 'S01', 1, 1, 'M01', 'u', '2026-10-01T00:00:00+08:00' FROM chain",
    "a row's id changed": "UPDATE sales SET id = id + 100000 WHERE id = (SELECT min(id) FROM sales)",
    "a link's count": "UPDATE chain SET rows = rows + 1 WHERE id = 5",
    "a link's hash": "UPDATE chain SET hash = replace(hash, substr(hash, 1, 1), 'x') WHERE id = 7",
    "the last link removed": "DELETE FROM chain WHERE id = (SELECT max(id) FROM chain)",
    "a middle link removed": "DELETE FROM chain WHERE id = 6",
}


@pytest.mark.parametrize("what", list(TAMPERS))
@pytest.mark.parametrize("batch,split", [(2, False), (20_000, False), (20_000, True)])
def test_a_change_fails_the_runs_and_the_rows_name_it(mixed, tmp_path, monkeypatch, what, batch, split):
    db = copy_ledger_file(mixed, tmp_path / "t.db")
    with closing(sqlite3.connect(db)) as conn:
        for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            conn.execute(f"DROP TRIGGER {trigger}")
        try:
            conn.execute(TAMPERS[what])
        except sqlite3.IntegrityError:  # a table's own constraint refuses the row: the column stays as csctl wrote it
            pytest.skip("SQLite refuses this change")
        conn.commit()
    monkeypatch.setattr(chain, "FETCH_ROWS", batch)
    monkeypatch.setattr(chain, "SPLIT_FROM_ROWS", 1 if split else 10**9)
    runs, rows = both(db)
    assert runs is None and not rows.ok
    with closing(sqlite3.connect(db)) as conn:
        assert chain.verify(conn) == rows


def test_a_split_walk_takes_both_parts_and_a_child_that_cannot_open_leaves_its_part_here(mixed, monkeypatch):
    monkeypatch.setattr(chain, "SPLIT_FROM_ROWS", 1)
    with closing(sqlite3.connect(mixed)) as conn:
        at = chain._split(conn)
        assert at is not None and 1 < at[0] < 13
        whole = chain._walk(conn, frozenset())
        assert chain._walk_in_two(conn, frozenset(), at) == whole and whole[:2] == (13, 87)
        first = chain._walk(conn, frozenset(), stop=at[:3])
        assert first is not None and first[0] == at[0] - 1
        unopenable = (*at[:3], "file:/no/such/folder/l.db?mode=ro")
        assert chain._walk_in_two(conn, frozenset(), unopenable) == whole


def test_a_split_walk_holds_the_parts_together(mixed, tmp_path, monkeypatch):
    """The links from the split on rewritten consistently from another `prev`: each part
    matches its rows, and only the seam between them shows the cut."""
    from test_trust import sql

    monkeypatch.setattr(chain, "SPLIT_FROM_ROWS", 1)
    db = copy_ledger_file(mixed, tmp_path / "t.db")
    with closing(sqlite3.connect(db)) as conn:
        k = chain._split(conn)[0]
        rows = sorted((r[0], t, tuple(r)) for t in chain.ROW_TABLES for r in conn.execute(f"SELECT * FROM {t}"))
        late = {t: chain.late_positions([c[1] for c in conn.execute(f"PRAGMA table_info({t})")], t)
                for t in chain.ROW_TABLES}
        marked = "migrations" in {c[1] for c in conn.execute("PRAGMA table_info(chain)")}
        links = conn.execute("SELECT id, first_id, last_id, rows, recorded_by, recorded_os, recorded_at, "
                             f"{'migrations' if marked else 'NULL'} FROM chain WHERE id >= ? ORDER BY id",
                             (k,)).fetchall()
    prev, updates = "f" * 64, []
    for link_id, first, last, count, by, os_user, at, mark in links:
        trailer = (by, os_user, at)
        digest = chain.RowDigest()
        for row_id, table, values in rows:
            if first <= row_id <= last:
                digest.row(table, chain.hashed_values(values[1:-3], late[table]))
        link = chain.link_hash_of(prev, first, last, count, trailer, digest.hexdigest(),
                                  *(() if mark is None else (mark,)))
        updates.append(("UPDATE chain SET prev = ?, hash = ? WHERE id = ?", (prev, link, link_id)))
        prev = link
    sql(db, *updates)
    runs, rows_answer = both(db)
    assert runs is None and not rows_answer.ok and rows_answer.link == k
