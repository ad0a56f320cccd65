"""The ledger file: opening it, reading, and the one way of writing.

Every connection runs in WAL mode with synchronous=FULL, foreign keys on and a busy
timeout. Every write is one `BEGIN IMMEDIATE ... COMMIT` (a `Writer`), which appends rows
and, last, one link of the hash chain covering them; a kill at any moment leaves the ledger
as it was before the transaction or after it.
"""

from __future__ import annotations

from ..i18n import _

import gc
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
from .chain import RowDigest, link_hash_of

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
        self._kinds: dict[str, tuple[type | None, ...]] = {}  # each column's type as SQLite returns it
        self._late: dict[str, chain.LatePositions] = {}
        self.applied: list[str] = []  # migrations this open applied
        self.read_only: str | None = None  # why the ledger cannot be written (opened read-only)
        self.newer: str | None = None  # why it was written by a newer csctl (never written to)
        self.warnings: list[str] = []  # lines for the user's stderr (commands print them)

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | os.PathLike[str], create: bool = True, *, empty_ok: bool = False) -> Ledger:
        """Open the ledger at `path` and bring it to this csctl's schema.

        `create`: the command writes, and may create the ledger (owner-only, and its folder)
        where there is none; a read-only ledger or one written by a newer csctl is refused.
        Otherwise the command only reads: a read-only file, folder or mount is opened
        read-only, and a newer ledger is read with a warning (`warnings`).
        `empty_ok`: an existing empty file may be made a ledger (`csctl init`); else it is
        refused as not a ledger. What this open created is removed again if it fails.
        """
        from .. import migrations

        path = Path(path).expanduser()
        try:
            path.is_dir()
        except OSError as exc:  # a name too long for the file system, say
            raise LedgerError(_("db: cannot use {path}...: {strerror}").format(path=str(path)[:60], strerror=exc.strerror)) from None
        if path.is_dir():
            raise LedgerError(_("db: {path} is a folder, not a ledger file").format(path=path))
        if not create and not path.exists():
            raise LedgerError(_("db: there is no ledger at {path}; `csctl init --db {path}` creates one (or `csctl demo` fills a sample)").format(path=path))
        made: list[Path] = []  # what this open created: removed again if it fails
        read_only: str | None = None
        if path.exists():
            if _empty(path) and not empty_ok:
                raise LedgerError(_("db: {path} is an empty file, not a csctl ledger; `csctl init --db {path}` makes a ledger of it").format(path=path))
            read_only = _read_only(path)
            if read_only and create:
                raise LedgerError(_read_only_refusal(path, read_only))
        else:
            made = _create(path)
        try:
            ledger = cls._connect(path, read_only)
        except BaseException:
            _remove(made)
            raise
        try:
            ledger.newer = migrations.newer(ledger.conn)
            if ledger.newer and create:
                raise LedgerError(_newer_refusal(path, ledger.newer))
            if ledger.newer:
                ledger.warnings.append(_("warning: the ledger at {path} was written by a newer csctl ({newer}); reading it, but writing is refused until csctl is upgraded").format(path=path, newer=ledger.newer))
            else:
                ledger.applied = migrations.migrate(ledger.conn, path, read_only=bool(read_only))
        except BaseException:
            ledger.conn.close()
            _remove(made)
            raise
        return ledger

    @classmethod
    def _connect(cls, path: Path, read_only: str | None) -> Ledger:
        """A connection with the pragmas every write relies on; a read-only ledger opened with
        SQLite's read-only URI, and `immutable` when not even its -shm can be made."""
        uri = None
        if read_only:
            from urllib.parse import quote

            uri = f"file:{quote(str(path.absolute()))}?mode=ro"
        try:
            conn = sqlite3.connect(uri or path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, uri=bool(uri))
        except sqlite3.Error as exc:
            raise LedgerError(_("db: cannot open {path}: {exc}").format(path=path, exc=exc)) from None
        conn.row_factory = sqlite3.Row
        ledger = cls(conn, path)
        ledger.read_only = read_only
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not read_only:
                conn.execute("PRAGMA journal_mode = WAL").fetchone()
                conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            conn.close()
            if "not a database" in str(exc) or "malformed" in str(exc):
                raise LedgerError(_("db: {path} is not an SQLite file ({exc})").format(path=path, exc=exc)) from None
            if uri and isinstance(exc, sqlite3.OperationalError):  # "unable to open", "readonly": no -shm
                return cls._immutable(path, read_only, uri)
            raise LedgerError(_("db: cannot use {path}: {exc}").format(path=path, exc=exc)) from None
        return ledger

    @classmethod
    def _immutable(cls, path: Path, read_only: str, uri: str) -> Ledger:
        """A read-only ledger whose -shm cannot be made (a read-only folder or mount): SQLite
        reads the file alone, as if nothing could change it; a -wal beside it goes unread."""
        try:
            conn = sqlite3.connect(uri + "&immutable=1", isolation_level=None, uri=True)
            conn.row_factory = sqlite3.Row
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise LedgerError(_("db: cannot read {path} ({read_only}): {exc}").format(path=path, read_only=read_only, exc=exc)) from None
        ledger = cls(conn, path)
        ledger.read_only = read_only
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            ledger.warnings.append(_("warning: {path} is read-only ({read_only}) and its -wal cannot be read without a -shm; the latest writes may be missing from what is shown").format(path=path, read_only=read_only))
        return ledger

    def close(self) -> None:
        self.conn.close()

    # ----------------------------------------------------------------- reading
    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise _database(exc) from None

    def tuples(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple]:
        """As `rows`, but plain tuples: for many rows read by position, without a Row each."""
        try:
            cursor = self.conn.cursor()
            cursor.row_factory = None
            return cursor.execute(sql, params).fetchall()
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
            info = self.conn.execute(f"PRAGMA table_info({table})").fetchall()
            self._columns[table] = tuple(r[1] for r in info)
            self._kinds[table] = tuple(_KINDS.get(r[2].upper()) for r in info)
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
        row = tuple(_plain(values.get(c)) for c in middle)
        # SQLite would store an int given to a TEXT column as text (and text of digits given to an
        # INTEGER one as a number), while the chain hashed what it was given: a row `verify`
        # would later call changed. A fault of csctl's own, refused before anything is written.
        for column, value, kind in zip(middle, row, self._kinds[table][1:-3]):
            if value is not None and kind is not None and type(value) is not kind:
                raise TypeError(f"{table}.{column} is {kind.__name__} in the schema, given {type(value).__name__} {value!r}")
        return row

    # ----------------------------------------------------------------- writing
    @contextmanager
    def write(self, *, by: str, os_user: str, at: str, bulk: bool = False) -> Iterator[Writer]:
        """One write transaction; appends a chain link over its rows, then commits, then appends
        the new head to the ledger's witnesses (witness.py). `bulk`: it will append megabytes
        (an import), hashed with OpenSSL's SHA-256 (digest.py)."""
        if self.read_only:
            raise LedgerError(_read_only_refusal(self.path, self.read_only))
        if self.newer:
            raise LedgerError(_newer_refusal(self.path, self.newer))
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise _database(exc) from None
        writer = Writer(self, by=by, os_user=os_user, at=at, bulk=bulk)
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
        if writer.link is not None:
            self._witness(*writer.link, at, writer.witnesses)

    def _witness(self, link: int, link_hash: str, at: str, also: Sequence[Path]) -> None:
        """Append the head just committed to the per-user witness and to `also`; a witness that
        cannot be written is a warning: the write is recorded all the same."""
        from . import witness

        data = witness.line(link, link_hash, at)
        for path, own in ((witness.default_path(self.path), True), *((p, False) for p in also)):
            try:
                witness.append(path, data, self.path, make_folder=own)
            except OSError as exc:
                self.warnings.append(_("witness: could not append to {path} ({value}); the write is recorded, but not witnessed there").format(path=path, value=exc.strerror or exc))

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


def _empty(path: Path) -> bool:
    """A file of no bytes, and no -wal beside it holding any: nothing SQLite ever wrote."""
    try:
        return path.stat().st_size == 0 and not os.path.getsize(f"{path}-wal")
    except FileNotFoundError:  # no -wal
        return True
    except OSError:
        return False


def _read_only(path: Path) -> str | None:
    """Why the ledger at `path` cannot be written (a read-only mount, file or folder), or None."""
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return _("it is on a read-only file system")
    except (OSError, AttributeError):  # no statvfs (Windows): the checks below
        pass
    if not os.access(path, os.W_OK):
        return _("the file is read-only")
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        if all(os.access(f"{path}{suffix}", os.W_OK) for suffix in ("-wal", "-shm")):
            return None  # SQLite needs to create nothing beside it
        return _("its folder is read-only")
    return None


def _read_only_refusal(path: Path, why: str) -> str:
    return _("db: the ledger cannot be written: {path} is read-only ({why}); nothing was recorded").format(path=path, why=why)


def _newer_refusal(path: Path, why: str) -> str:
    return (_("db: the ledger at {path} was written by a newer csctl ({why}); upgrade csctl to write to it (pip install --upgrade csctl); nothing was recorded").format(path=path, why=why))


def _create(path: Path) -> list[Path]:
    """Create an empty owner-only file at `path` (and its folders); returns what was created."""
    made: list[Path] = []
    folder = path.parent
    if not folder.exists():
        missing = [folder, *(p for p in folder.parents if not p.exists())]
        try:
            folder.mkdir(mode=0o700, parents=True)
            os.chmod(folder, 0o700)
        except OSError as exc:
            raise LedgerError(_("db: cannot create the folder {folder}: {strerror}").format(folder=folder, strerror=exc.strerror)) from None
        made += missing
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
        made.insert(0, path)
    except FileExistsError:
        pass
    except OSError as exc:
        _remove(made)
        raise LedgerError(_("db: cannot create {path}: {strerror}").format(path=path, strerror=exc.strerror)) from None
    return made


def _remove(made: Sequence[Path]) -> None:
    """Remove what an open created (a file and the folders made for it), after a failure."""
    for path in made:
        try:
            if path.is_dir():
                path.rmdir()
            else:
                for suffix in ("-wal", "-shm", "-journal", ""):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError:
            pass


_KINDS = {"TEXT": str, "INTEGER": int}  # the Python type SQLite hands back for a declared type


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
        return LedgerError(_("db: the ledger file is damaged ({text}); restore it from a backup").format(text=text))
    if "locked" in text or "busy" in text:
        return LedgerError(_("db: the ledger is busy (another csctl is writing); try again in a moment"))
    if "readonly" in text or "read-only" in text:
        return LedgerError(_("db: the ledger cannot be written: it is read-only ({text}); nothing was recorded").format(text=text))
    if "disk" in text or "full" in text:
        return LedgerError(_("db: the ledger could not be written: {text}; nothing was recorded").format(text=text))
    return LedgerError(_("db: {text}").format(text=text))


class Writer:
    """Appends rows inside one transaction; ids continue the ledger's one sequence."""

    def __init__(self, ledger: Ledger, *, by: str, os_user: str, at: str, bulk: bool = False):
        self.ledger = ledger
        self.conn = ledger.conn
        self._by = by
        self.os_user = os_user
        self.at = at
        union = " UNION ALL ".join(f"SELECT max(id) AS m FROM {t}" for t in ROW_TABLES)
        self.first_id = (self.conn.execute(f"SELECT max(m) FROM ({union})").fetchone()[0] or 0) + 1
        self.next_id = self.first_id
        self._digest = RowDigest(bulk=bulk)
        self._count = 0
        self.link: tuple[int, str] | None = None  # the link this write appended: (id, hash)
        self.witnesses: list[Path] = []  # witnesses besides the per-user one (the policy's)

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
        late = self.ledger.late(table)
        return self.append_chunks(table, ((chain.hashed_chunk(batch, late), batch) for batch in batches))

    def append_chunks(
        self, table: str, chunks: Iterable[tuple[bytes, Sequence[Sequence[Any]]]]
    ) -> tuple[int, int]:
        """Append rows chunk by chunk, each chunk given twice: as the JSON text of the rows as the
        chain hashes them (`chain.hashed_chunk`: `json_chunk` for a table without late columns),
        and as the rows themselves, which are inserted. Both must come from the same rows;
        `verify` recomputes the first from the second.

        A chunk's rows may leave out the table's trailing late columns (tables.py), which are
        then NULL: rows as an older release wrote them, at no cost for the columns they lack.

        Memory stays flat however many chunks come. The first row takes the next id
        explicitly and SQLite numbers the rest on from it (an INTEGER PRIMARY KEY takes the
        largest id plus one). Returns (first id, count).
        """
        columns = self.ledger.columns(table)
        middle = columns[1:-3]
        late = {c for _, c in self.ledger.late(table)}
        trailer_sql = ", ".join(_sql_text(v) for v in self.trailer)
        inserts: dict[int, tuple[str, str]] = {}

        def sql(width: int) -> tuple[str, str]:
            if width not in inserts:
                if not 0 < width <= len(middle) or not late.issuperset(middle[width:]):
                    raise ValueError(f"{table}: rows of {width} values; expected {len(middle)}, or fewer "
                                     "leaving out only trailing late columns")
                given = ", ".join((*middle[:width], *columns[-3:]))
                marks = ", ".join("?" * width)
                inserts[width] = (f"INSERT INTO {table} ({columns[0]}, {given}) VALUES (?, {marks}, {trailer_sql})",
                                  f"INSERT INTO {table} ({given}) VALUES ({marks}, {trailer_sql})")
            return inserts[width]

        first = self.next_id
        count = 0
        # Each chunk brings thousands of tuples (and, hashing a late column, lists and dicts),
        # all freed with the chunk and none in a cycle: the collector, run every 700 of them,
        # would only walk them (about a microsecond a row of an import with sealed phones).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for data, rows in chunks:
                if not rows:
                    continue
                head_sql, rest_sql = sql(len(rows[0]))
                if count == 0:
                    self.conn.execute(head_sql, (first, *rows[0]))
                    self.conn.executemany(rest_sql, rows[1:])
                else:
                    self.conn.executemany(rest_sql, rows)
                self._digest.chunk(table, data)
                count += len(rows)
        finally:
            if collecting:
                gc.enable()
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
        # _migrations as it stands, held by the link (chain.migrations_marks); a ledger before
        # 0011 (only ever written here by tests that build one) has no column for it.
        mark = chain.migrations_marks(self.conn)[-1] if "migrations" in self.ledger.columns("chain") else None
        link = link_hash_of(prev_hash, self.first_id, last, self._count, self.trailer, self._digest.hexdigest(), mark)
        cursor = self.conn.execute(
            "INSERT INTO chain (first_id, last_id, rows, recorded_by, recorded_os, recorded_at, prev, hash, migrations) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)" if mark is not None else
            "INSERT INTO chain (first_id, last_id, rows, recorded_by, recorded_os, recorded_at, prev, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (self.first_id, last, self._count, *self.trailer, prev_hash, link, *((mark,) if mark else ())),
        )
        self.link = (cursor.lastrowid, link)
