"""The hash chain: one link per write transaction over the rows it appended, and `verify`,
which recomputes every link from the rows and names the first that no longer matches.

A link hashes the previous link, the ids it covers, who wrote them and when (the rows'
trailer, carried once by the link), and the digest of the rows' canonical bytes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from ..digest import sha256
from ..tables import ROW_TABLES, TABLES

GENESIS = "0" * 64
# A fingerprint, as csctl prints it everywhere: the first 16 hex digits of a link's hash
# (64 bits; `verify --expect` takes 12 to 64 digits of it).
FINGERPRINT_DIGITS = 16


def fingerprint(link_hash: str | None) -> str | None:
    """The ledger's fingerprint at a link, as printed: its hash's first FINGERPRINT_DIGITS digits."""
    return None if link_hash is None else link_hash[:FINGERPRINT_DIGITS]


def canonical_row(values: Sequence[Any]) -> bytes:
    """One row's values between its id and its trailer, as the chain hashes them: compact JSON.

    JSON of text, integers and nulls reads the same in every Python, and a whole chunk of rows
    encodes in one call: `json_chunk(rows)[1:-1] + b","` is the rows' canonical bytes in a row.
    """
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode() + b","


LatePositions = tuple[tuple[int, str], ...]


def late_positions(columns: Sequence[str], table: str) -> LatePositions:
    """Where a table's late columns (tables.py: added after rows were first written) stand in a
    row's middle, between its id and its trailer."""
    late = TABLES[table].late
    return tuple((i, c) for i, c in enumerate(columns[1:-3]) if c in late)


def hashed_values(middle: Sequence[Any], late: LatePositions) -> Sequence[Any]:
    """A row's middle as the chain hashes it. A late column counts only when it holds a value,
    as one object after the others, so a row written before the column existed hashes as it
    did then, and one written after hashes every value it holds."""
    if not late:
        return middle
    skip = {i for i, _ in late}
    given = {c: middle[i] for i, c in late if middle[i] is not None}
    core = [v for i, v in enumerate(middle) if i not in skip]
    return [*core, given] if given else core


# Rows are lists of plain values and hold no cycle to look for: the same text, sooner.
_CHUNK_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def json_chunk(rows: Sequence[Sequence[Any]]) -> bytes:
    return _CHUNK_ENCODER.encode(rows).encode()


def hasher(late: LatePositions, width: int) -> Callable[[Sequence[Any]], Sequence[Any]]:
    """`hashed_values` for rows of `width` values between id and trailer, as one function. A
    single late column standing last, as sales' customer_sealed does, takes a quicker road to
    the same values: a million rows are hashed at a time (an import, verify)."""
    if not late:
        return _same
    if len(late) == 1 and late[0][0] == width - 1:
        name = late[0][1]
        return lambda middle: middle[:-1] if middle[-1] is None else [*middle[:-1], {name: middle[-1]}]
    return lambda middle: hashed_values(middle, late)


def _same(middle: Sequence[Any]) -> Sequence[Any]:
    return middle


def hashed_chunk(rows: Sequence[Sequence[Any]], late: LatePositions) -> bytes:
    """The JSON text of rows as the chain hashes them (`hashed_values` of each). Rows may leave
    out trailing late columns (store.Writer.append_chunks): NULL, which is not hashed."""
    if not rows:
        return json_chunk(rows)
    width = len(rows[0])
    late = tuple((i, c) for i, c in late if i < width)
    if not late:
        return json_chunk(rows)
    if len(late) == 1 and late[0][0] == width - 1:  # sales' customer_sealed: no call per row
        cut, name = width - 1, late[0][1]
        return json_chunk([r[:cut] if r[cut] is None else (*r[:cut], {name: r[cut]}) for r in rows])
    return json_chunk(list(map(hasher(late, width), rows)))


class RowDigest:
    """The digest of the rows one chain link covers, in id order.

    Each row contributes its canonical bytes; a line naming the table goes in wherever the
    table changes. The ids and the trailer are not hashed per row: the link carries them
    once and `verify` checks every row against it.
    """

    def __init__(self, bulk: bool = False) -> None:
        self._hash = sha256(bulk=bulk)  # bulk: megabytes to hash (an import, verify): OpenSSL's
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


def link_hash_of(prev: str, first: int, last: int, count: int, trailer: Sequence[str], rows_digest: str,
                 migrations: str | None = None) -> str:
    """A link's hash: the previous link, the ids it covers, who wrote them and when, their digest,
    and (links written since migration 0011) the mark of `_migrations` as it stood then."""
    by, os_user, at = trailer
    text = f"{prev}\n{first}-{last}:{count}\n{by}\n{os_user}\n{at}\n{rows_digest}\n"
    if migrations is not None:
        text += f"{migrations}\n"
    return sha256(text.encode()).hexdigest()


def migrations_marks(conn: sqlite3.Connection) -> list[str]:
    """The marks of `_migrations`: mark n (list item n) stands for its first n rows in the order they
    were written ("n:" and the SHA-256 of each name and applied_at, a line each).

    The table is never updated nor deleted from, so the rows a ledger held when a link was
    written are a first part of the rows it holds now, and every link written since 0011
    carries the mark of all of them (`chain.migrations`): an `applied_at` or a name edited, or
    a row removed and written again, leaves that link's mark matching no mark of the table.
    """
    rows = conn.execute("SELECT name, applied_at FROM _migrations ORDER BY rowid").fetchall()
    digest = sha256()
    marks = [f"0:{digest.hexdigest()}"]
    for n, (name, applied_at) in enumerate(rows, 1):
        digest.update(f"{name}\t{applied_at}\n".encode())
        marks.append(f"{n}:{digest.copy().hexdigest()}")
    return marks


def head(conn: sqlite3.Connection) -> tuple[int, str] | None:
    """The chain's last link (id, hash): the ledger's fingerprint as it stands."""
    found = conn.execute("SELECT id, hash FROM chain ORDER BY id DESC LIMIT 1").fetchone()
    return (found[0], found[1]) if found else None


def verify(conn: sqlite3.Connection, expect: Sequence[str] = ()) -> VerifyResult:
    """Recompute every chain link from the rows; name the first that does not match.

    The links are walked twice at most: first by `_verify_runs`, which takes the rows a run at
    a time and can only say "every link matches" or "something does not"; on the second answer
    (and only then) by `_verify_rows`, row by row, which names the first link, table and rows
    that do not match. Both hash every stored value of every row; an intact ledger, the usual
    case, is walked once, by the quicker.
    """
    import gc

    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived tuples and not one cycle: the collector would only walk them
    try:
        chained = _verify_runs(conn, expect) or _verify_rows(conn, expect)
    finally:
        if collecting:
            gc.enable()
    if not chained.ok:
        return chained
    return _after_chain(conn, chained)


def _verify_rows(conn: sqlite3.Connection, expect: Sequence[str] = ()) -> VerifyResult:
    """The chain checked row by row; the first link that does not match is named.

    `expect` holds fingerprints written down earlier (a close's, a printed statement's,
    a backup's): each must still be a link of the chain, or the ledger was cut back or
    rewritten since. Then every table declared to name an import or a staff member must
    name one that exists, and last the append-only triggers, the live views and the tables
    must be those of schema.sql, and `_migrations` must record every migration this csctl
    knows (a ledger of a newer csctl is refused before: services/ledger_ops.py) and read as
    every link written since migration 0011 recorded it (`migrations_marks`).
    """
    import heapq

    marked = "migrations" in {r[1] for r in conn.execute("PRAGMA table_info(chain)")}  # since 0011
    links = conn.execute(
        "SELECT id, first_id, last_id, rows, recorded_by, recorded_os, recorded_at, prev, hash, "
        f"{'migrations' if marked else 'NULL'} FROM chain ORDER BY id"
    )
    merged = heapq.merge(*(_stream(conn, table) for table in ROW_TABLES), key=lambda item: item[0])
    widths = {table: [r[1] for r in conn.execute(f"PRAGMA table_info({table})")] for table in ROW_TABLES}
    hashed = {table: hasher(late_positions(columns, table), len(columns) - 4) for table, columns in widths.items()}
    pending = next(merged, None)
    prev = GENESIS
    next_first = 1
    checked_links = checked_rows = 0
    wanted = {e.lower(): False for e in expect}
    head: tuple[int, str] | None = None

    def broken(link: int | None, table: str | None, ids: Sequence[int], message: str) -> VerifyResult:
        return VerifyResult(False, checked_links, checked_rows, link, table, tuple(ids), message, head)

    for link_id, first, last, count, by, os_user, at, link_prev, link_hash, mark in links:
        trailer = (by, os_user, at)
        if pending is not None and pending[0] < first:
            return broken(link_id, pending[1], (pending[0],),
                          f"row {pending[0]} in {pending[1]} was added outside csctl (no link covers it)")
        if link_prev != prev or first != next_first:
            return broken(link_id, "chain", (), f"link {link_id} does not follow the link before it "
                          "(a link was removed or altered)")
        digest = RowDigest(bulk=True)
        seen: list[int] = []
        tables: list[str] = []
        altered = False
        run: list[Sequence[Any]] = []  # the link's rows of one table in a row, hashed in one go
        run_table = ""
        while pending is not None and pending[0] <= last:
            row_id, table, values = pending
            if table != run_table:
                altered = _hash_run(digest, run_table, run) or altered
                run, run_table = [], table
            run.append(hashed[table](values[1:-3]))
            altered = altered or values[-3:] != trailer or row_id != first + len(seen)
            seen.append(row_id)
            if table not in tables:
                tables.append(table)
            pending = next(merged, None)
        altered = _hash_run(digest, run_table, run) or altered
        where = ", ".join(tables) or "no table"
        if len(seen) != count:
            return broken(link_id, where, seen, f"link {link_id} covered {count} row(s) {first}-{last}, "
                          f"found {len(seen)} in {where}: rows were removed")
        if altered or link_hash_of(prev, first, last, count, trailer, digest.hexdigest(), mark) != link_hash:
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
    return VerifyResult(True, checked_links, checked_rows, None, None, (), "ok", head)


def _after_chain(conn: sqlite3.Connection, chained: VerifyResult) -> VerifyResult:
    """With every link matching: the tables' references, the schema and `_migrations`."""
    checked_links, checked_rows, head = chained.links, chained.rows, chained.head

    def broken(link: int | None, table: str | None, ids: Sequence[int], message: str) -> VerifyResult:
        return VerifyResult(False, checked_links, checked_rows, link, table, tuple(ids), message, head)

    for t in TABLES.values():
        if t.imported:
            orphan = conn.execute(
                f"SELECT id FROM {t.name} WHERE import IS NOT NULL AND import NOT IN (SELECT id FROM imports) LIMIT 1"
            ).fetchone()
            if orphan:
                return broken(None, t.name, (orphan[0],), f"row {orphan[0]} in {t.name} names an import that does not exist")
        for column in t.on_staff:
            stray = conn.execute(f"SELECT id, {column} FROM {t.name} WHERE {column} NOT IN (SELECT staff FROM staff) "
                                 "LIMIT 1").fetchone()
            if stray:
                return broken(None, t.name, (stray[0],),
                              f"row {stray[0]} in {t.name} names {stray[1]!r}, who is not on the staff list")
    changed = changed_schema(conn)
    if changed:
        kind, names = changed
        return broken(None, ", ".join(names), (), f"the {kind} {names[0]} was removed or changed")
    from ..migrations import unrecorded

    missing = unrecorded(conn)
    if missing:
        return broken(None, "_migrations", (), f"_migrations no longer records {missing[0]}, a migration this "
                      "ledger's schema has: the table was edited outside csctl")
    unmarked = _unmarked(conn)
    if unmarked is not None:
        link_id, mark = unmarked
        rows = mark.split(":")[0]
        return broken(link_id, "_migrations", (), f"_migrations no longer reads as link {link_id} recorded its first "
                      f"{rows} row(s): a migration's name or applied_at was edited outside csctl")
    return VerifyResult(True, checked_links, checked_rows, None, None, (), "ok", head)


def _unmarked(conn: sqlite3.Connection) -> tuple[int, str] | None:
    """The first link (id, mark) whose mark of `_migrations` (links written since 0011) the table
    no longer has: it was edited since that link was written."""
    if "migrations" not in {r[1] for r in conn.execute("PRAGMA table_info(chain)")}:
        return None
    marks = set(migrations_marks(conn))
    for link_id, mark in conn.execute("SELECT id, migrations FROM chain WHERE migrations IS NOT NULL ORDER BY id"):
        if mark not in marks:
            return link_id, mark
    return None


# What `verify` holds to schema.sql: the triggers that keep the ledger append-only, the views
# every figure is computed from (a view changed to hide a row would change figures), and the
# tables, `_migrations` and `chain` among them (a table added or changed outside csctl).
GUARDED = {"trigger": "append-only trigger", "view": "live view", "table": "table"}


def changed_schema(conn: sqlite3.Connection) -> tuple[str, list[str]] | None:
    """The first kind of guarded object (trigger, view) whose set differs from schema.sql's, and
    the names that differ; None when all match."""
    from ..migrations import schema_text, statements

    for kind, label in GUARDED.items():
        expected = {sql.split()[2]: " ".join(sql.split()).rstrip(";") for sql in statements(schema_text())
                    if sql.upper().startswith(f"CREATE {kind.upper()}")}
        present = {r[0]: " ".join(r[1].split()) for r in
                   conn.execute("SELECT name, sql FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite~_%' "
                                "ESCAPE '~'", (kind,))}
        changed = sorted(name for name in expected.keys() | present.keys() if present.get(name) != expected.get(name))
        if changed:
            return label, changed
    return None


# The rows a table yields at a time to `_verify_runs`: large enough that SQLite's stepping and
# the interpreter's loop are paid per batch, small enough to keep its memory flat (a few MB).
FETCH_ROWS = 20_000
_ID = itemgetter(0)
_TRAILER = itemgetter(-3, -2, -1)
_MIDDLE = itemgetter(slice(1, -3))


def run_hasher(late: LatePositions, width: int) -> Callable[[list[tuple]], list[Sequence[Any]]]:
    """Whole stored rows (id, the `width` values, the trailer) to their values as the chain
    hashes them (`hashed_values` of each middle), a run at a time. Late columns that stand
    last, as tables.py adds them, take a road without a call per row when they are NULL."""
    if not late:
        return lambda run: list(map(_MIDDLE, run))
    if [i for i, _ in late] != list(range(width - len(late), width)):
        return lambda run: [hashed_values(r[1:-3], late) for r in run]
    cut = 1 + width - len(late)  # where the late columns begin in a whole row
    if len(late) == 1:
        name = late[0][1]
        return lambda run: [r[1:cut] if r[cut] is None else (*r[1:cut], {name: r[cut]}) for r in run]
    nulls = (None,) * len(late)
    return lambda run: [r[1:cut] if r[cut:-3] == nulls else hashed_values(r[1:-3], late) for r in run]


# A ledger of this many rows or more is walked by two processes at once, each taking half of
# the links (Linux, where a fork is cheap and safe: the child opens a connection of its own).
SPLIT_FROM_ROWS = 400_000
# What a walk of some of the links returns when all of them match: how many links and rows, the
# last link (id, hash), and the fingerprints expected that some link of them has.
Walked = tuple[int, int, "tuple[int, str] | None", frozenset]


def _verify_runs(conn: sqlite3.Connection, expect: Sequence[str]) -> VerifyResult | None:
    """The chain checked a run of rows at a time: the result when every link matches and every
    fingerprint expected is found, else None (`_verify_rows` then says what is wrong).

    A large ledger's links are split in two at the link that holds its middle row: a forked
    child walks the second part on a connection of its own while this process walks the
    first, and each part must end where the other begins (the first part's last hash is the
    stored `prev` of the second's first link, its last id plus one the second's first id).
    A child that cannot open the ledger (a read-only mount that SQLite opens only as
    immutable) leaves its part to this process.
    """
    wanted = frozenset(e.lower() for e in expect)
    split = _split(conn)
    if split is None:
        walked = _walk(conn, wanted)
    else:
        walked = _walk_in_two(conn, wanted, split)
    if walked is None:
        return None
    links, rows, head, found = walked
    if found != wanted:
        return None
    return VerifyResult(True, links, rows, None, None, (), "ok", head)


def _split(conn: sqlite3.Connection) -> tuple[int, int, str, str] | None:
    """Where to split a large ledger's links: (link id, its first row id, its stored prev, the
    ledger's file as a read-only URI), or None to walk them here in one part."""
    import sys

    if not sys.platform.startswith("linux"):
        return None
    total = conn.execute("SELECT max(last_id) FROM chain").fetchone()[0] or 0
    if total < SPLIT_FROM_ROWS:
        return None
    files = [r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"]
    at = conn.execute("SELECT id, first_id, prev FROM chain WHERE last_id >= ? ORDER BY id LIMIT 1",
                      (total // 2,)).fetchone()
    if not files or not files[0] or at is None or at[0] == 1:
        return None
    from urllib.parse import quote

    return at[0], at[1], at[2], f"file:{quote(files[0])}?mode=ro"


def _walk_in_two(conn: sqlite3.Connection, wanted: frozenset, split: tuple[int, int, str, str]) -> Walked | None:
    import marshal
    import os
    import signal

    link_id, first_id, prev, uri = split
    read_end, write_end = os.pipe()
    parent = os.getpid()
    child = os.fork()
    if child == 0:  # the child: the second part, on its own connection; never returns
        status = 0
        try:
            from ..children import die_with

            die_with(parent, b"csctl-verify")  # a verify killed leaves no walker behind
            os.close(read_end)
            try:
                own = sqlite3.connect(uri, uri=True)
                own.execute("SELECT 1 FROM chain LIMIT 1").fetchone()
            except sqlite3.Error:
                answer: Any = "unopened"
            else:
                answer = _walk(own, wanted, start=(link_id, first_id, prev))
            data = marshal.dumps(answer)
            while data:
                data = data[os.write(write_end, data):]
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    answer: Any = None
    try:
        mine = _walk(conn, wanted, stop=(link_id, first_id, prev))
        if mine is None:
            os.kill(child, signal.SIGKILL)
        else:
            with os.fdopen(read_end, "rb", closefd=False) as pipe:
                data = pipe.read()
            answer = marshal.loads(data) if data else None
    finally:
        os.close(read_end)
        os.waitpid(child, 0)
    if mine is None:
        return None
    if answer == "unopened":
        answer = _walk(conn, wanted, start=(link_id, first_id, prev))
    if answer is None:
        return None
    links, rows, head, found = answer
    return mine[0] + links, mine[1] + rows, tuple(head) if head else mine[2], mine[3] | frozenset(found)


def _walk(conn: sqlite3.Connection, wanted: frozenset, *, start: tuple[int, int, str] | None = None,
          stop: tuple[int, int, str] | None = None) -> Walked | None:
    """Check the links from `start` (link id, its first row id, its stored prev; None: the
    first link) up to `stop` (the same of the link where another walk begins; None: the
    last), and every row from the start's first id (up to the stop's); None when something
    does not match.

    Each table's rows are read in id order, FETCH_ROWS at a time; a heap holds each table's
    next id. A run is the rows of one table that come before the next row of any other table
    within the link: their ids must follow on from the link's first without a gap, each must
    carry the link's trailer, and their values are hashed in one call, in the same bytes as
    row by row. What `_verify_rows` checks of each row is checked here of each run: the ids
    of a run of rows increasing in the table's order follow without a gap exactly when its
    first and last ids are `n - 1` apart.
    """
    import heapq
    from bisect import bisect_right

    low, prev, next_first = (1, GENESIS, 1) if start is None else (start[0], start[2], start[1])
    high, high_id = (None, None) if stop is None else (stop[0], stop[1])
    tables = list(ROW_TABLES)
    cursors, buffers, positions, hashers = [], [], [], []
    heap: list[tuple[int, int]] = []
    for t, table in enumerate(tables):
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        hashers.append(run_hasher(late_positions(columns, table), len(columns) - 4))
        cursor = conn.cursor()
        cursor.row_factory = None
        if high_id is None:
            cursor.execute(f"SELECT * FROM {table} WHERE id >= ? ORDER BY id", (next_first,))
        else:
            cursor.execute(f"SELECT * FROM {table} WHERE id >= ? AND id < ? ORDER BY id", (next_first, high_id))
        rows = cursor.fetchmany(FETCH_ROWS)
        cursors.append(cursor)
        buffers.append(rows)
        positions.append(0)
        if rows:
            heap.append((rows[0][0], t))
    heapq.heapify(heap)
    marked = "migrations" in {r[1] for r in conn.execute("PRAGMA table_info(chain)")}  # since 0011
    links = conn.execute(
        "SELECT id, first_id, last_id, rows, recorded_by, recorded_os, recorded_at, prev, hash, "
        f"{'migrations' if marked else 'NULL'} FROM chain WHERE id >= ? AND id < ? ORDER BY id",
        (low, high if high is not None else 1 << 62),
    )
    found: set[str] = set()
    checked_links = checked_rows = 0
    head: tuple[int, str] | None = None
    expected_link = low
    for link_id, first, last, count, by, os_user, at, link_prev, link_hash, mark in links:
        if link_id != expected_link or link_prev != prev or first != next_first:
            return None
        trailer = (by, os_user, at)
        digest = RowDigest(bulk=True)
        expected = first  # the id the next row must have
        while heap and heap[0][0] <= last:
            row_id, t = heap[0]
            if row_id != expected:
                return None
            bound = last
            if len(heap) > 1:  # the next row of another table ends the run
                bound = min(bound, heap[1][0] - 1 if len(heap) == 2 else min(heap[1][0], heap[2][0]) - 1)
            rows, at_row = buffers[t], positions[t]
            end = bisect_right(rows, bound, at_row, len(rows), key=_ID)
            run = rows[at_row:end]
            n = len(run)
            if run[-1][0] != expected + n - 1 or list(map(_TRAILER, run)).count(trailer) != n:
                return None
            if _hash_run(digest, tables[t], hashers[t](run)):
                return None
            expected += n
            if end == len(rows):
                rows = buffers[t] = cursors[t].fetchmany(FETCH_ROWS)
                end = 0
            positions[t] = end
            if rows:
                heapq.heapreplace(heap, (rows[end][0], t))
            else:
                heapq.heappop(heap)
        if expected - first != count:
            return None
        if link_hash_of(prev, first, last, count, trailer, digest.hexdigest(), mark) != link_hash:
            return None
        found.update(f for f in wanted if link_hash.startswith(f))
        prev, next_first, head = link_hash, last + 1, (link_id, link_hash)
        expected_link += 1
        checked_links += 1
        checked_rows += count
    if heap:
        return None
    if stop is not None and (expected_link != stop[0] or prev != stop[2] or next_first != stop[1]):
        return None
    return checked_links, checked_rows, head, frozenset(found)


def _hash_run(digest: RowDigest, table: str, run: list[Sequence[Any]]) -> bool:
    """Hash rows of one table in one call (`json_chunk`, the same bytes as row by row); True
    when a value is one csctl never writes (a blob, a float that is not finite)."""
    if not run:
        return False
    try:
        digest.chunk(table, json_chunk(run))
    except (TypeError, ValueError):
        return True
    return False


def _stream(conn: sqlite3.Connection, table: str) -> Iterator[tuple[int, str, tuple]]:
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: no Row objects to make and convert, row after row
    for row in cursor.execute(f"SELECT * FROM {table} ORDER BY id"):
        yield row[0], table, row


def _span(ids: Sequence[int]) -> str:
    if not ids:
        return "(none)"
    return str(ids[0]) if len(ids) == 1 else f"{ids[0]}-{ids[-1]}"


class VerifyResult(NamedTuple):
    ok: bool
    links: int
    rows: int
    link: int | None
    table: str | None
    row_ids: tuple[int, ...]
    message: str
    head: tuple[int, str] | None = None  # the last link checked: id and fingerprint

