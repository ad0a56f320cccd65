"""Named schema migrations over the connection, applied when a ledger is opened. Never edit
one once released.

A fresh ledger is made by executing schema.sql, the whole current schema, and is stamped
with every migration name (it needs none of them). An older ledger runs, in order, each
migration it has not recorded. A new migration therefore comes with the same change made
to schema.sql, and tests/test_ledger.py checks that both roads give the same schema.

This package knows nothing of the ledger package (which imports it to migrate a file it
opens): a migration is a function of an sqlite3 connection.
"""

from __future__ import annotations

from ..i18n import _

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from ..errors import LedgerError


@lru_cache(maxsize=1)
def schema_text() -> str:
    """schema.sql as shipped inside the package (the wheel carries it as csctl/schema.sql).

    From a source checkout that was not built, the file stands one folder up.
    """
    from importlib import resources  # here, not at the top: an up-to-date ledger never needs it

    shipped = resources.files("csctl").joinpath("schema.sql")
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parent.parent.parent / "schema.sql").read_text(encoding="utf-8")


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


def _script(name: str) -> str:
    """A released migration's own SQL, shipped beside this module."""
    from importlib import resources

    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def _current(kind: str, name: str | None = None) -> list[str]:
    """schema.sql's CREATE statements of one kind (TABLE, VIEW, TRIGGER), or of one name."""
    return [sql for sql in statements(schema_text()) if sql.upper().startswith(f"CREATE {kind} ")
            and (name is None or sql.split()[2] == name)]


def _initial(conn: sqlite3.Connection) -> None:
    """0001: the schema as first released."""
    for statement in statements(_script("0001_initial.sql")):
        conn.execute(statement)


def _live_views(conn: sqlite3.Connection) -> None:
    """0002: the live_* views every figure reads, and imports.kind without its CHECK (the kinds
    are csctl/tables.py's, so a new import kind needs no rebuild of the table)."""
    conn.execute("ALTER TABLE imports RENAME TO imports_0001")
    for statement in _current("TABLE", "imports"):
        conn.execute(statement)
    conn.execute("INSERT INTO imports SELECT * FROM imports_0001")
    conn.execute("DROP TABLE imports_0001")  # and its triggers, made again below; DROP fires none
    for statement in _current("TRIGGER"):
        if statement.split()[2].startswith("imports_"):
            conn.execute(statement)
    for table in ("departures", "imports", "events", "policies", "sales", "bonuses", "costs"):
        for statement in _current("VIEW", f"live_{table}"):
            conn.execute(statement)


def _staff_changes(conn: sqlite3.Connection) -> None:
    """0003: dated corrections and changes of staff records (`csctl staff change`)."""
    for kind, name in (("TABLE", "staff_changes"), ("INDEX", "staff_changes_staff"), ("VIEW", "live_staff_changes"),
                       ("TRIGGER", "staff_changes_no_update"), ("TRIGGER", "staff_changes_no_delete")):
        for statement in _current(kind, name):
            conn.execute(statement)


def _events(conn: sqlite3.Connection) -> None:
    """0008: events without the CHECK on their kind (the kinds are csctl's: early-leave joins
    them), and with approved_on and until (D5), before the trailer, as late columns (tables.py)
    whose NULL the chain does not hash: every row keeps its hash."""
    old = [r[1] for r in conn.execute("PRAGMA table_info(events)")]
    conn.execute("DROP VIEW live_events")  # a rename checks every view; this one names the table
    conn.execute("ALTER TABLE events RENAME TO events_0001")
    for statement in _current("TABLE", "events"):
        conn.execute(statement)
    conn.execute(f"INSERT INTO events ({', '.join(old)}) SELECT {', '.join(old)} FROM events_0001")
    conn.execute("DROP TABLE events_0001")  # and its index and triggers, made again below
    for kind, name in (("INDEX", "events_at"), ("TRIGGER", "events_no_update"), ("TRIGGER", "events_no_delete"),
                       ("VIEW", "live_events")):
        for statement in _current(kind, name):
            conn.execute(statement)


def _levels(conn: sqlite3.Connection) -> None:
    """0007: quarterly grades, excellent-staff titles and probation reviews (P2, P3). Level
    changes are staff_changes rows (P1) and a level history is read from the staff rows and
    those changes, so no row is written here: a migration never writes ledger rows."""
    for name in ("grades", "titles", "probation_reviews"):
        for kind, object_name in (("TABLE", name), ("VIEW", f"live_{name}"), ("TRIGGER", f"{name}_no_update"),
                                  ("TRIGGER", f"{name}_no_delete")):
            for statement in _current(kind, object_name):
                conn.execute(statement)
    for statement in _current("INDEX", "grades_staff"):
        conn.execute(statement)


def _handover(conn: sqlite3.Connection) -> None:
    """0005: shift handovers and the duty log (H1-H6): their tables, indexes, live_* views and
    append-only triggers, as schema.sql has them."""
    tables = ("handovers", "handover_items", "handover_requests", "handover_resolutions", "handover_answers",
              "handover_reviews", "duties", "duty_notes", "duty_reports", "duty_swaps")
    indexes = ("handovers_at", "handover_items_handover", "handover_requests_handover", "handover_answers_handover",
               "duties_staff", "duty_swaps_staff")
    for table in tables:
        for statement in _current("TABLE", table):
            conn.execute(statement)
    for index in indexes:
        for statement in _current("INDEX", index):
            conn.execute(statement)
    for table in tables:
        for kind, name in (("VIEW", f"live_{table}"), ("TRIGGER", f"{table}_no_update"),
                           ("TRIGGER", f"{table}_no_delete")):
            for statement in _current(kind, name):
                conn.execute(statement)


# The hazmat register's tables, in schema.sql's order (0006).
HAZMAT_TABLES = ("hazmat_materials", "hazmat_stock_ins", "hazmat_draws", "hazmat_returns", "hazmat_uses",
                 "hazmat_lends", "hazmat_counts", "hazmat_anomalies")


def _hazmat(conn: sqlite3.Connection) -> None:
    """0006: the hazardous materials register (Z1-Z6): materials, stock-ins, draws, returns,
    uses, lends, counts and anomalies, each with its triggers and (all but materials) its live view."""
    for table in HAZMAT_TABLES:
        for kind, name in (("TABLE", table), ("VIEW", f"live_{table}"), ("TRIGGER", f"{table}_no_update"),
                           ("TRIGGER", f"{table}_no_delete")):
            for statement in _current(kind, name):
                conn.execute(statement)


def _keys(conn: sqlite3.Connection) -> None:
    """0004: the key cabinet (K1-K8): the register, what happens to each key, daily checks, audits."""
    for kind, name in (("TABLE", "keys"), ("TABLE", "key_events"), ("INDEX", "key_events_code"),
                       ("TABLE", "key_checks"), ("TABLE", "key_audits")):
        for statement in _current(kind, name):
            conn.execute(statement)
    for table in ("key_events", "key_checks", "key_audits"):
        for statement in _current("VIEW", f"live_{table}"):
            conn.execute(statement)
    for table in ("keys", "key_events", "key_checks", "key_audits"):
        for statement in _current("TRIGGER", f"{table}_no_update") + _current("TRIGGER", f"{table}_no_delete"):
            conn.execute(statement)


def _sealed_customers(conn: sqlite3.Connection) -> None:
    """0009: sales with customer_sealed, a customer's full text sealed under a key outside the
    ledger (csctl/sealing.py), before the trailer, as a late column (tables.py) whose NULL the
    chain does not hash: every row written before keeps its values, in clear, and its hash."""
    old = [r[1] for r in conn.execute("PRAGMA table_info(sales)")]
    conn.execute("DROP VIEW live_sales")  # a rename checks every view; this one names the table
    conn.execute("ALTER TABLE sales RENAME TO sales_0001")
    for statement in _current("TABLE", "sales"):
        conn.execute(statement)
    conn.execute(f"INSERT INTO sales ({', '.join(old)}) SELECT {', '.join(old)} FROM sales_0001")
    conn.execute("DROP TABLE sales_0001")  # and its triggers, made again below
    for kind, name in (("TRIGGER", "sales_no_update"), ("TRIGGER", "sales_no_delete"), ("VIEW", "live_sales")):
        for statement in _current(kind, name):
            conn.execute(statement)


def _chain_migrations(conn: sqlite3.Connection) -> None:
    """0011: chain.migrations, the mark of `_migrations` each link holds from now on (ledger/chain.py
    `migrations_marks`), so `verify` catches an `applied_at` edited outside csctl. The table is
    made again from schema.sql with its links as they were (a column added by ALTER would not
    read as schema.sql does); older links hold no mark and hash as before."""
    old = [r[1] for r in conn.execute("PRAGMA table_info(chain)")]
    conn.execute("ALTER TABLE chain RENAME TO chain_0010")
    for statement in _current("TABLE", "chain"):
        conn.execute(statement)
    conn.execute(f"INSERT INTO chain ({', '.join(old)}) SELECT {', '.join(old)} FROM chain_0010")
    conn.execute("DROP TABLE chain_0010")  # and its triggers, made again below; DROP fires none
    for name in ("chain_no_update", "chain_no_delete"):
        for statement in _current("TRIGGER", name):
            conn.execute(statement)


# (name, function) in the order they were released.
MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("0001_initial", _initial),
    ("0002_live_views", _live_views),
    ("0003_staff_changes", _staff_changes),
    ("0004_keys", _keys),
    ("0005_handover", _handover),
    ("0006_hazmat", _hazmat),
    ("0007_levels", _levels),
    ("0008_events", _events),
    ("0009_sealed_customers", _sealed_customers),
    ("0011_chain_migrations", _chain_migrations),
]


def schema_version() -> int:
    """The schema version this csctl writes into every ledger it creates or migrates
    (`PRAGMA user_version`): the number of migrations it knows. A ledger stamped higher, or
    recording a migration not in MIGRATIONS, was written by a newer csctl."""
    return len(MIGRATIONS)


def _recorded(conn: sqlite3.Connection) -> tuple[int, set[str] | None]:
    """The ledger's stamped schema version and the migrations it records (None: no `_migrations`)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    try:
        return version, {r[0] for r in conn.execute("SELECT name FROM _migrations")}
    except sqlite3.OperationalError:  # no such table: a new file, or not a csctl ledger
        return version, None


def newer(conn: sqlite3.Connection) -> str | None:
    """Why the ledger was written by a newer csctl (as a clause), or None if it was not."""
    version, done = _recorded(conn)
    unknown = sorted((done or set()) - {name for name, _step in MIGRATIONS})
    if unknown:
        return f"it records migration {', '.join(unknown)}, which this csctl does not know"
    if version > schema_version():
        return f"its schema version is {version}; this csctl knows up to {schema_version()}"
    return None


def unrecorded(conn: sqlite3.Connection) -> list[str]:
    """Migrations this csctl knows that the ledger does not record. After `migrate`, any such
    name was removed from `_migrations` outside csctl (verify reports it)."""
    done = _recorded(conn)[1] or set()
    return [name for name, _step in MIGRATIONS if name not in done]


def migrate(conn: sqlite3.Connection, path: Path, *, read_only: bool = False) -> list[str]:
    """Bring the ledger at `path` to the current schema in one transaction; returns what was applied.

    A ledger stamped with this csctl's schema version is complete whatever `_migrations` says
    (a name missing there was deleted, not left to run: verify names it). A read-only ledger is
    never written; one that would need a migration is refused."""
    version, done = _recorded(conn)
    if done is not None and (version >= schema_version() or all(name in done for name, _step in MIGRATIONS)):
        if version < schema_version() and not read_only:
            try:  # an up-to-date ledger of a csctl before schema versions: stamp it
                conn.execute(f"PRAGMA user_version = {schema_version()}")
            except sqlite3.DatabaseError:  # busy or full: the next open stamps it
                pass
        return []
    if read_only and done is None:
        raise LedgerError(_("db: {path} is not a csctl ledger (it has no _migrations table); pass another --db").format(path=path))
    if read_only:
        raise LedgerError(_("db: the ledger at {path} needs `csctl init` to upgrade it to this csctl's schema, but it is read-only; upgrade a writable copy (or read it with the csctl that wrote it)").format(path=path))
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError as exc:
        raise LedgerError(_("db: cannot prepare the ledger: {exc}").format(exc=exc)) from None
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        applied: list[str] = []
        if "_migrations" not in names:
            if names:
                raise LedgerError(
                    _("db: {path} is an SQLite database but not a csctl ledger (it has tables {names}); pass another --db").format(path=path, names=', '.join(sorted(names)[:5]))
                )
            for statement in statements(schema_text()):
                conn.execute(statement)
            for name, _step in MIGRATIONS:
                conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, now))
                applied.append(name)
        else:
            done = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
            for name, step in MIGRATIONS:
                if name not in done:
                    step(conn)
                    conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, now))
                    applied.append(name)
        conn.execute(f"PRAGMA user_version = {schema_version()}")
        conn.execute("COMMIT")
        return applied
    except sqlite3.DatabaseError as exc:  # a full disk, a read-only file
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise LedgerError(_("db: cannot prepare the ledger at {path}: {exc}; nothing was written").format(path=path, exc=exc)) from None
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
