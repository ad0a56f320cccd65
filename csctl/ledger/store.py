"""The ledger file: opening it, reading, and the one way of writing.

Every connection runs in WAL mode with synchronous=FULL, foreign keys on and a busy
timeout. Every write is one `BEGIN IMMEDIATE ... COMMIT` (a `Writer`), which appends rows
and, last, one link of the hash chain covering them; a kill at any moment leaves the ledger
as it was before the transaction or after it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import LedgerError
from ..tables import ROW_TABLES
from . import chain
from .chain import RowDigest, json_chunk, link_hash_of

TRAILER = ("recorded_by", "recorded_os", "recorded_at")
BUSY_TIMEOUT_MS = 10_000

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


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class Ledger:
    """An open ledger file."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._columns: dict[str, tuple[str, ...]] = {}
        self._late: dict[str, chain.LatePositions] = {}
        self.applied: list[str] = []  # migrations this open applied

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | os.PathLike[str], create: bool = True) -> Ledger:
        """Open (creating owner-only if need be and `create`) and migrate the ledger at `path`."""
        from .. import migrations

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
            ledger.applied = migrations.migrate(conn, path)
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

    def late(self, table: str) -> chain.LatePositions:
        """Where the table's late columns stand in a row's middle (chain.hashed_values)."""
        if table not in self._late:
            self._late[table] = chain.late_positions(self.columns(table), table)
        return self._late[table]

    def values_of(self, table: str, values: dict[str, Any]) -> tuple:
        """A row's values in the table's column order between its id and its trailer, as
        SQLite stores them (and the chain hashes them); a missing column is NULL."""
        middle = self.columns(table)[1:-3]
        unknown = set(values) - set(middle)
        if unknown:
            raise ValueError(f"{table} has no column {', '.join(sorted(unknown))}")
        return tuple(_plain(values.get(c)) for c in middle)

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
        return chain.head(self.conn)

    def verify(self, expect: Sequence[str] = ()) -> chain.VerifyResult:
        """Recompute every chain link (chain.verify); a file too damaged to read is reported as such."""
        try:
            return chain.verify(self.conn, expect)
        except sqlite3.DatabaseError as exc:
            raise _database(exc) from None


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
        middle = self.ledger.values_of(table, values)
        row = (self.next_id, *middle, *self.trailer)
        self.conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", row
        )
        self._digest.row(table, chain.hashed_values(middle, self.ledger.late(table)))
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
            late = self.ledger.late(table)
            self._digest.chunk(table, json_chunk([chain.hashed_values(r, late) for r in rows]) if late else data)
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
        prev_hash = prev[0] if prev else chain.GENESIS
        last = self.next_id - 1
        link = link_hash_of(prev_hash, self.first_id, last, self._count, self.trailer, self._digest.hexdigest())
        self.conn.execute(
            "INSERT INTO chain (first_id, last_id, rows, recorded_by, recorded_os, recorded_at, prev, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (self.first_id, last, self._count, *self.trailer, prev_hash, link),
        )
