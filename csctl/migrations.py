"""Named schema migrations, applied when a ledger is opened. Never edit one once released.

A fresh ledger is made by executing schema.sql, the whole current schema, and is stamped
with every migration name (it needs none of them). An older ledger runs, in order, each
migration it has not recorded. A new migration therefore comes with the same change made
to schema.sql, and tests/test_ledger.py checks that both roads give the same schema.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import LedgerError

if TYPE_CHECKING:
    from .ledger import Ledger


@lru_cache(maxsize=1)
def schema_text() -> str:
    """schema.sql as shipped inside the package (the wheel carries it as csctl/schema.sql).

    From a source checkout that was not built, the file stands one folder up.
    """
    shipped = resources.files("csctl").joinpath("schema.sql")
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parent.parent / "schema.sql").read_text(encoding="utf-8")


def statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (triggers keep their inner `;`)."""
    out: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        if not pending and (not line.strip() or line.lstrip().startswith("--")):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            out.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"schema.sql ends inside a statement: {pending[:60]!r}")
    return out


def _initial(conn: sqlite3.Connection) -> None:
    for statement in statements(schema_text()):
        conn.execute(statement)


# (name, function) in the order they were released.
MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("0001_initial", _initial),
]


def migrate(ledger: Ledger) -> list[str]:
    """Bring the ledger to the current schema in one transaction; returns what was applied."""
    conn = ledger.conn
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "_migrations" in names:
        done = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
        if all(name in done for name, _ in MIGRATIONS):
            return []
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError as exc:
        raise LedgerError(f"db: cannot prepare the ledger: {exc}") from None
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        applied: list[str] = []
        if "_migrations" not in names:
            if names:
                raise LedgerError(
                    f"db: {ledger.path} is an SQLite database but not a csctl ledger "
                    f"(it has tables {', '.join(sorted(names)[:5])}); pass another --db"
                )
            _initial(conn)
            for name, _ in MIGRATIONS:
                conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, now))
                applied.append(name)
        else:
            done = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
            for name, step in MIGRATIONS:
                if name not in done:
                    step(conn)
                    conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, now))
                    applied.append(name)
        conn.execute("COMMIT")
        return applied
    except sqlite3.DatabaseError as exc:  # a full disk, a read-only file
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise LedgerError(f"db: cannot prepare the ledger at {ledger.path}: {exc}; nothing was written") from None
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
