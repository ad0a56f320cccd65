"""The ledger: the only module that speaks SQL.

Every connection runs in WAL mode with synchronous=FULL, foreign keys on and a busy
timeout. Every write is one `BEGIN IMMEDIATE ... COMMIT` (a `Writer`), which appends rows
and, last, one link of the hash chain covering them; a kill at any moment leaves the ledger
as it was before the transaction or after it.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import LedgerError

# The append-only tables whose rows share one id sequence (schema.sql).
ROW_TABLES = (
    "staff",
    "departures",
    "imports",
    "events",
    "voids",
    "policies",
    "closes",
    "reopens",
    "sales",
    "bonuses",
    "costs",
    "reveals",
)
TRAILER = ("recorded_by", "recorded_os", "recorded_at")
BUSY_TIMEOUT_MS = 10_000
GENESIS = "0" * 64


def os_account() -> str:
    """The operating-system account running csctl, from the password database.

    Unlike USER or LOGNAME it cannot be changed by setting an environment variable.
    """
    try:
        import pwd
    except ImportError:  # pragma: no cover - Windows has no password database
        import getpass

        return getpass.getuser()
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a uid with no entry (some containers)
        return f"uid:{os.getuid()}"


def canonical_row(values: Sequence[Any]) -> bytes:
    """One row's values between its id and its trailer, as the chain hashes them: compact JSON.

    JSON of text, integers and nulls reads the same in every Python, and a whole chunk of rows
    encodes in one call: `json_chunk(rows)[1:-1] + b","` is the rows' canonical bytes in a row.
    """
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode() + b","


def json_chunk(rows: Sequence[Sequence[Any]]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()


class RowDigest:
    """The digest of the rows one chain link covers, in id order.

    Each row contributes its canonical bytes; a line naming the table goes in wherever the
    table changes. The ids and the trailer are not hashed per row: the link carries them
    once and `verify` checks every row against it.
    """

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self._table: str | None = None

    def _table_is(self, table: str) -> None:
        if table != self._table:
            self._hash.update(b"\n" + table.encode() + b"\n")
            self._table = table

    def row(self, table: str, values: Sequence[Any]) -> None:
        self._table_is(table)
        self._hash.update(canonical_row(values))

    def chunk(self, table: str, data: bytes) -> None:
        """Rows given as the JSON text of a non-empty list of rows (see `json_chunk`)."""
        self._table_is(table)
        self._hash.update(data[1:-1] + b",")

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _link_hash(prev: str, first: int, last: int, count: int, trailer: Sequence[str], rows_digest: str) -> str:
    """A link's hash: the previous link, the ids it covers, who wrote them and when, and their digest."""
    by, os_user, at = trailer
    text = f"{prev}\n{first}-{last}:{count}\n{by}\n{os_user}\n{at}\n{rows_digest}\n"
    return hashlib.sha256(text.encode()).hexdigest()


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class Ledger:
    """An open ledger file."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._columns: dict[str, tuple[str, ...]] = {}
        self.applied: list[str] = []  # migrations this open applied

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | os.PathLike[str], create: bool = True) -> Ledger:
        """Open (creating owner-only if need be and `create`) and migrate the ledger at `path`."""
        from . import migrations

        path = Path(path).expanduser()
        try:
            path.is_dir()
        except OSError as exc:  # a name too long for the file system, say
            raise LedgerError(f"db: cannot use {str(path)[:60]}...: {exc.strerror}") from None
        if path.is_dir():
            raise LedgerError(f"db: {path} is a folder, not a ledger file")
        if not create and not path.exists():
            raise LedgerError(f"db: there is no ledger at {path}; `csctl init --db {path}` creates one "
                              "(or `csctl demo` fills a sample)")
        folder = path.parent
        if not folder.exists():
            try:
                folder.mkdir(mode=0o700, parents=True)
                os.chmod(folder, 0o700)
            except OSError as exc:
                raise LedgerError(f"db: cannot create the folder {folder}: {exc.strerror}") from None
        if not path.exists():
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                os.close(fd)
                os.chmod(path, 0o600)
            except FileExistsError:
                pass
            except OSError as exc:
                raise LedgerError(f"db: cannot create {path}: {exc.strerror}") from None
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise LedgerError(f"db: cannot open {path}: {exc}") from None
        conn.row_factory = sqlite3.Row
        ledger = cls(conn, path)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            conn.close()
            if "not a database" in str(exc) or "malformed" in str(exc):
                raise LedgerError(f"db: {path} is not an SQLite file ({exc})") from None
            raise LedgerError(f"db: cannot use {path}: {exc}") from None
        try:
            ledger.applied = migrations.migrate(ledger)
        except BaseException:
            conn.close()
            raise
        return ledger

    def close(self) -> None:
        self.conn.close()

    # ----------------------------------------------------------------- reading
    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise _database(exc) from None

    def row(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def value(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        found = self.row(sql, params)
        return None if found is None else found[0]

    def columns(self, table: str) -> tuple[str, ...]:
        if table not in self._columns:
            self._columns[table] = tuple(r[1] for r in self.conn.execute(f"PRAGMA table_info({table})"))
        return self._columns[table]

    def table_of(self, row_id: int) -> str | None:
        """Which recorded table holds the row with this id."""
        for table in ROW_TABLES:
            if self.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone():
                return table
        return None

    @staticmethod
    def live_clause(alias: str = "", with_import: bool = False) -> str:
        """SQL that keeps a recorded table's rows that are not voided (nor their import)."""
        p = f"{alias}." if alias else ""
        clause = f"{p}id NOT IN (SELECT target FROM voids)"
        if with_import:
            clause += f" AND ({p}import IS NULL OR {p}import NOT IN (SELECT target FROM voids))"
        return clause

    # ----------------------------------------------------------------- the queries services ask
    def recorded_row(self, table: str, row_id: int) -> sqlite3.Row | None:
        return self.row(f"SELECT * FROM {table} WHERE id = ?", (row_id,))

    def void_of(self, row_id: int) -> sqlite3.Row | None:
        """The void that cancels a row, if any."""
        return self.row("SELECT * FROM voids WHERE target = ?", (row_id,))

    def migration_names(self) -> list[str]:
        return [r[0] for r in self.rows("SELECT name FROM _migrations ORDER BY name")]

    def staff_rows(self) -> list[sqlite3.Row]:
        """Every staff record with the day its latest live departure takes effect (left_on)."""
        return self.rows(
            f"""SELECT s.*, (SELECT d.on_date FROM departures d WHERE d.staff = s.staff AND {self.live_clause("d")}
                             ORDER BY d.id DESC LIMIT 1) AS left_on
                FROM staff s ORDER BY s.staff"""
        )

    def closed_months(self) -> dict[str, int]:
        """Closed months and the id of the close in force: a close not followed by a reopen (L2)."""
        closes = {r[0]: r[1] for r in self.rows("SELECT month, max(id) FROM closes GROUP BY month")}
        reopens = {r[0]: r[1] for r in self.rows("SELECT month, max(id) FROM reopens GROUP BY month")}
        return {m: cid for m, cid in closes.items() if cid > reopens.get(m, 0)}

    def close_row(self, close_id: int) -> sqlite3.Row:
        return self.row("SELECT * FROM closes WHERE id = ?", (close_id,))  # type: ignore[return-value]

    def policy_in_force(self, month: str) -> sqlite3.Row | None:
        """The latest live policy version in force from `month` or before."""
        return self.row(
            f"""SELECT * FROM policies WHERE effective_from <= ? AND {self.live_clause()}
                ORDER BY effective_from DESC, id DESC LIMIT 1""",
            (month,),
        )

    def next_policy_from(self, month: str, besides: int | None = None) -> str | None:
        """The earliest month after `month` from which another live policy version is in force."""
        return self.value(
            f"""SELECT min(effective_from) FROM policies WHERE effective_from > ? AND id IS NOT ?
                AND {self.live_clause()}""",
            (month, besides),
        )

    def live_import(self, kind: str, sha256: str) -> sqlite3.Row | None:
        """A live import of the same file, if there is one (C1: never the same file twice)."""
        return self.row(
            f"SELECT * FROM imports WHERE sha256 = ? AND kind = ? AND {self.live_clause()}", (sha256, kind)
        )

    def import_rows(self, import_row: sqlite3.Row) -> tuple[list[str], list[str]]:
        """The months and the staff of the rows an import brought in."""
        table = "events" if import_row["kind"] == "events" else "sales"
        months = [r[0] for r in self.rows(f"SELECT DISTINCT substr(at, 1, 7) FROM {table} WHERE import = ?",
                                          (import_row["id"],))]
        staff = [r[0] for r in self.rows(f"SELECT DISTINCT staff FROM {table} WHERE import = ?", (import_row["id"],))]
        return months, staff

    def events_between(self, start: str, end: str) -> list[sqlite3.Row]:
        """Live events (neither voided nor from a voided import) with start <= at < end."""
        return self.rows(
            f"""SELECT * FROM events WHERE at >= ? AND at < ? AND {self.live_clause(with_import=True)}
                ORDER BY at, id""",
            (start, end),
        )

    @staticmethod
    def _filters(alias: str, start: str | None, end: str | None, **equal: str | None) -> tuple[str, list[Any]]:
        where, params = [], []
        if start is not None and end is not None:
            where.append(f"{alias}.at >= ? AND {alias}.at < ?")
            params += [start, end]
        for column, value in equal.items():
            if value is not None:
                where.append(f"{alias}.{column} = ?")
                params.append(value)
        return ("WHERE " + " AND ".join(where)) if where else "", params

    def event_listing(self, start: str | None, end: str | None, staff: str | None, kind: str | None) -> list[sqlite3.Row]:
        """Events, voided ones included, with the void that cancels each (or its import)."""
        clause, params = self._filters("e", start, end, staff=staff, kind=kind)
        return self.rows(
            f"""SELECT e.*, v.id AS void_id, v.reason AS void_reason, vi.id AS import_void_id
                FROM events e LEFT JOIN voids v ON v.target = e.id LEFT JOIN voids vi ON vi.target = e.import
                {clause} ORDER BY e.at, e.id""",
            params,
        )

    def event_counts(self, staff: str) -> list[sqlite3.Row]:
        """A person's live events counted by month and kind, the latest month first."""
        return self.rows(
            f"""SELECT substr(at, 1, 7) AS month, kind, count(*) AS n FROM events
                WHERE staff = ? AND {self.live_clause(with_import=True)}
                GROUP BY month, kind ORDER BY month DESC, kind""",
            (staff,),
        )

    def sales_listing(self, start: str | None, end: str | None, staff: str | None,
                      limit: int | None) -> tuple[list[sqlite3.Row], int]:
        """Sales, voided ones included with the void that cancels each (or its import), and how many match."""
        clause, params = self._filters("x", start, end, staff=staff)
        total = self.value(f"SELECT count(*) FROM sales x {clause}", params)
        rows = self.rows(
            f"""SELECT x.*, coalesce(v.id, vi.id) AS voided_by FROM sales x
                LEFT JOIN voids v ON v.target = x.id LEFT JOIN voids vi ON vi.target = x.import
                {clause} ORDER BY x.at, x.id LIMIT ?""",
            [*params, limit if limit else -1],
        )
        return rows, total

    def sales_totals(self, start: str, end: str) -> dict[str, tuple[int, int]]:
        """Each seller's live (cents, orders) with start <= at < end."""
        return {
            r[0]: (r[1], r[2])
            for r in self.rows(
                f"""SELECT staff, sum(amount_cents), sum(orders) FROM sales
                    WHERE at >= ? AND at < ? AND {self.live_clause(with_import=True)} GROUP BY staff""",
                (start, end),
            )
        }

    def bonus_totals(self, start: str, end: str) -> dict[str, int]:
        """Each person's live special commission (cents) with start <= at < end."""
        return {
            r[0]: r[1]
            for r in self.rows(
                f"""SELECT staff, sum(amount_cents) FROM bonuses
                    WHERE at >= ? AND at < ? AND {self.live_clause()} GROUP BY staff""",
                (start, end),
            )
        }

    def costs_of(self, month: str) -> sqlite3.Row | None:
        """The month's costs in force: its latest live costs row (C7)."""
        return self.row(
            f"SELECT * FROM costs WHERE month = ? AND {self.live_clause()} ORDER BY id DESC LIMIT 1", (month,)
        )

    # ----------------------------------------------------------------- writing
    @contextmanager
    def write(self, *, by: str, os_user: str, at: str) -> Iterator[Writer]:
        """One write transaction; appends a chain link over its rows, then commits."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise _database(exc) from None
        writer = Writer(self, by=by, os_user=os_user, at=at)
        try:
            yield writer
            writer._seal()
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, (sqlite3.OperationalError, sqlite3.DatabaseError)) and not isinstance(
                    exc, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)):
                raise _database(exc) from None
            raise

    # --------------------------------------------------------------- verifying
    def head(self) -> tuple[int, str] | None:
        """The chain's last link (id, hash): the ledger's fingerprint as it stands."""
        found = self.conn.execute("SELECT id, hash FROM chain ORDER BY id DESC LIMIT 1").fetchone()
        return (found[0], found[1]) if found else None

    def verify(self, expect: Sequence[str] = ()) -> VerifyResult:
        """Recompute every chain link; a file too damaged to read is reported as such."""
        try:
            return self._verify(expect)
        except sqlite3.DatabaseError as exc:
            raise _database(exc) from None

    def _verify(self, expect: Sequence[str] = ()) -> VerifyResult:
        """Recompute every chain link from the rows; name the first that does not match.

        `expect` holds fingerprints written down earlier (a close's, a printed statement's,
        a backup's): each must still be a link of the chain, or the ledger was cut back or
        rewritten since. Last, the append-only triggers must be those of schema.sql.
        """
        from .migrations import schema_text, statements

        links = self.conn.execute(
            "SELECT id, first_id, last_id, rows, recorded_by, recorded_os, recorded_at, prev, hash FROM chain ORDER BY id"
        )
        merged = heapq.merge(*(self._stream(table) for table in ROW_TABLES), key=lambda item: item[0])
        pending = next(merged, None)
        prev = GENESIS
        next_first = 1
        checked_links = checked_rows = 0
        wanted = {e.lower(): False for e in expect}
        head: tuple[int, str] | None = None

        def broken(link: int | None, table: str | None, ids: Sequence[int], message: str) -> VerifyResult:
            return VerifyResult(False, checked_links, checked_rows, link, table, tuple(ids), message, head)

        for link_id, first, last, count, by, os_user, at, link_prev, link_hash in links:
            trailer = (by, os_user, at)
            if pending is not None and pending[0] < first:
                return broken(link_id, pending[1], (pending[0],),
                              f"row {pending[0]} in {pending[1]} was added outside csctl (no link covers it)")
            if link_prev != prev or first != next_first:
                return broken(link_id, "chain", (), f"link {link_id} does not follow the link before it "
                              "(a link was removed or altered)")
            digest = RowDigest()
            seen: list[int] = []
            tables: list[str] = []
            altered = False
            while pending is not None and pending[0] <= last:
                row_id, table, values = pending
                try:
                    digest.row(table, values[1:-3])
                except (TypeError, ValueError):  # a value csctl never writes (a blob, a float)
                    altered = True
                altered = altered or values[-3:] != trailer or row_id != first + len(seen)
                seen.append(row_id)
                if table not in tables:
                    tables.append(table)
                pending = next(merged, None)
            where = ", ".join(tables) or "no table"
            if len(seen) != count:
                return broken(link_id, where, seen, f"link {link_id} covered {count} row(s) {first}-{last}, "
                              f"found {len(seen)} in {where}: rows were removed")
            if altered or _link_hash(prev, first, last, count, trailer, digest.hexdigest()) != link_hash:
                return broken(link_id, where, seen, f"link {link_id} no longer matches its rows {_span(seen)} "
                              f"in {where}: a row was altered")
            for fingerprint in wanted:
                if link_hash.startswith(fingerprint):
                    wanted[fingerprint] = True
            prev, next_first, head = link_hash, last + 1, (link_id, link_hash)
            checked_links += 1
            checked_rows += count
        if pending is not None:
            return broken(None, pending[1], (pending[0],),
                          f"row {pending[0]} in {pending[1]} was added outside csctl (no link covers it)")
        lost = [f for f, found in wanted.items() if not found]
        if lost:
            return broken(None, "chain", (), f"no link has the fingerprint {lost[0]}: the ledger was cut back or "
                          "rewritten since that fingerprint was taken")
        for table in ("events", "sales"):
            orphan = self.conn.execute(
                f"SELECT id FROM {table} WHERE import IS NOT NULL AND import NOT IN (SELECT id FROM imports) LIMIT 1"
            ).fetchone()
            if orphan:
                return broken(None, table, (orphan[0],), f"row {orphan[0]} in {table} names an import that does not exist")
        stray = self.conn.execute("SELECT id, staff FROM sales WHERE staff NOT IN (SELECT staff FROM staff) LIMIT 1").fetchone()
        if stray:
            return broken(None, "sales", (stray[0],), f"row {stray[0]} in sales names {stray[1]!r}, who is not on the staff list")
        expected = {_trigger_name(sql): " ".join(sql.split()) for sql in statements(schema_text())
                    if sql.upper().startswith("CREATE TRIGGER")}
        present = {r[0]: " ".join(r[1].split()) for r in
                   self.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
        changed = sorted(name for name, sql in expected.items() if present.get(name) != sql.rstrip(";"))
        if changed:
            return broken(None, ", ".join(changed), (), f"the append-only trigger {changed[0]} was removed or changed")
        return VerifyResult(True, checked_links, checked_rows, None, None, (), "ok", head)

    def _stream(self, table: str) -> Iterator[tuple[int, str, tuple]]:
        for row in self.conn.execute(f"SELECT * FROM {table} ORDER BY id"):
            yield row[0], table, tuple(row)

    def backup(self, dest: Path) -> None:
        """SQLite's online backup into `dest`; on failure (a full disk) nothing is left there."""
        target = sqlite3.connect(dest)
        try:
            self.conn.backup(target)
        except sqlite3.DatabaseError as exc:
            target.close()
            dest.unlink(missing_ok=True)
            raise _database(exc) from None
        finally:
            target.close()


def _plain(value: Any) -> Any:
    """A value as SQLite stores it and hands it back, so the chain hashes the same bytes."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _span(ids: Sequence[int]) -> str:
    if not ids:
        return "(none)"
    return str(ids[0]) if len(ids) == 1 else f"{ids[0]}-{ids[-1]}"


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    links: int
    rows: int
    link: int | None
    table: str | None
    row_ids: tuple[int, ...]
    message: str
    head: tuple[int, str] | None = None  # the last link checked: id and fingerprint


def _trigger_name(sql: str) -> str:
    return sql.split()[2]


def _database(exc: sqlite3.DatabaseError) -> LedgerError:
    """What SQLite reports, as a line a supervisor can act on."""
    text = str(exc)
    if "malformed" in text or "not a database" in text:
        return LedgerError(f"db: the ledger file is damaged ({text}); restore it from a backup")
    if "locked" in text or "busy" in text:
        return LedgerError("db: the ledger is busy (another csctl is writing); try again in a moment")
    if "readonly" in text or "read-only" in text:
        return LedgerError(f"db: the ledger cannot be written ({text})")
    if "disk" in text or "full" in text:
        return LedgerError(f"db: the ledger could not be written: {text}; nothing was recorded")
    return LedgerError(f"db: {text}")


class Writer:
    """Appends rows inside one transaction; ids continue the ledger's one sequence."""

    def __init__(self, ledger: Ledger, *, by: str, os_user: str, at: str):
        self.ledger = ledger
        self.conn = ledger.conn
        self._by = by
        self.os_user = os_user
        self.at = at
        union = " UNION ALL ".join(f"SELECT max(id) AS m FROM {t}" for t in ROW_TABLES)
        self.first_id = (self.conn.execute(f"SELECT max(m) FROM ({union})").fetchone()[0] or 0) + 1
        self.next_id = self.first_id
        self._digest = RowDigest()
        self._count = 0

    @property
    def by(self) -> str:
        return self._by

    @by.setter
    def by(self, staff_id: str) -> None:
        # One transaction, one recorder: the chain link carries it for all its rows.
        if self._count:
            raise RuntimeError("the recorder of a write cannot change once rows are appended")
        self._by = staff_id

    @property
    def trailer(self) -> tuple[str, str, str]:
        return (self._by, self.os_user, self.at)

    def append(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        """Append one row; returns it as stored, with its id and who recorded it."""
        columns = self.ledger.columns(table)
        unknown = set(values) - set(columns[1:-3])
        if unknown:
            raise ValueError(f"{table} has no column {', '.join(sorted(unknown))}")
        middle = tuple(_plain(values.get(c)) for c in columns[1:-3])
        row = (self.next_id, *middle, *self.trailer)
        self.conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", row
        )
        self._digest.row(table, middle)
        self.next_id += 1
        self._count += 1
        return dict(zip(columns, row))

    def append_many(self, table: str, rows: Iterable[Sequence[Any]], chunk: int = 20_000) -> tuple[int, int]:
        """Append many rows, each the table's columns between id and the trailer; see append_chunks."""
        source = iter(rows)
        batches = iter(lambda: list(islice(source, chunk)), [])
        return self.append_chunks(table, ((json_chunk(batch), batch) for batch in batches))

    def append_chunks(
        self, table: str, chunks: Iterable[tuple[bytes, Sequence[Sequence[Any]]]]
    ) -> tuple[int, int]:
        """Append rows chunk by chunk, each chunk given twice: as its canonical JSON text
        (`json_chunk`), which the chain hashes, and as the rows themselves, which are inserted.
        Both must come from the same rows; `verify` recomputes the first from the second.

        Memory stays flat however many chunks come. The first row takes the next id
        explicitly and SQLite numbers the rest on from it (an INTEGER PRIMARY KEY takes the
        largest id plus one). Returns (first id, count).
        """
        columns = self.ledger.columns(table)
        middle = columns[1:-3]
        trailer_sql = ", ".join(_sql_text(v) for v in self.trailer)
        head_sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES (?, {', '.join('?' * len(middle))}, {trailer_sql})")
        rest_sql = (f"INSERT INTO {table} ({', '.join(columns[1:])}) "
                    f"VALUES ({', '.join('?' * len(middle))}, {trailer_sql})")
        first = self.next_id
        count = 0
        for data, rows in chunks:
            if not rows:
                continue
            if count == 0:
                self.conn.execute(head_sql, (first, *rows[0]))
                self.conn.executemany(rest_sql, rows[1:])
            else:
                self.conn.executemany(rest_sql, rows)
            self._digest.chunk(table, data)
            count += len(rows)
        if count:
            last = self.conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
            if last != first + count - 1:  # another table's id ran ahead: never expected
                raise RuntimeError(f"{table}: ids {first}..{last} for {count} rows")
        self.next_id = first + count
        self._count += count
        return first, count

    def _seal(self) -> None:
        """Append the chain link covering what this transaction appended."""
        if self._count == 0:
            return
        prev = self.conn.execute("SELECT hash FROM chain ORDER BY id DESC LIMIT 1").fetchone()
        prev_hash = prev[0] if prev else GENESIS
        last = self.next_id - 1
        link = _link_hash(prev_hash, self.first_id, last, self._count, self.trailer, self._digest.hexdigest())
        self.conn.execute(
            "INSERT INTO chain (first_id, last_id, rows, recorded_by, recorded_os, recorded_at, prev, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (self.first_id, last, self._count, *self.trailer, prev_hash, link),
        )
