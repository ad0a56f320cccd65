"""The import engine: a CSV file into one recorded table, all or nothing, never twice (C1).

Every import runs the same way, whatever it brings in (`sales import`, `log import`):
the file's SHA-256 is taken; one write opens (the recorder's rank checked); the same file
imported before and not voided is refused; an `imports` row names the file; the rows are read,
checked and appended in chunks, each chunk hashed into the write's chain link; a file with a
header and no rows, or one that changed while it was read, is refused and nothing is kept.

A kind of import gives the engine a reader: a function of the `Context` (what checking
needs to know of the ledger) that yields `(bytes read, (chunk JSON or None, rows))`, each
row a tuple of the table's columns between its id and its trailer, the chunk's JSON being
the rows as the chain hashes them (`ledger.hashed_chunk`). The sales reader runs in a second
process for a large file (relay.py), and seals customers' phone numbers there when the
context carries a key (csctl/sealing.py); the events reader runs here.
"""

from __future__ import annotations

from ...i18n import _

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ...errors import InputError
from ...ledger import hashed_chunk
from ...models import Staff
from ...tables import IMPORT_KINDS
from .. import Session
from . import files

Chunk = tuple[bytes | None, list[tuple]]
Reader = Callable[["Context"], Iterator[tuple[int, Chunk]]]


@dataclass(frozen=True)
class Context:
    """What checking a file needs to know of the ledger; handed to a reading process as is."""

    path: str
    name: str
    sha256: str  # of the file as it was when the import began
    size: int
    import_id: int
    me: str
    today: date
    now: datetime
    closed: frozenset[str]
    staff: dict[str, Staff]
    seal_key: bytes | None = None  # the key that seals customers' phone numbers; None: kept as given


def run(s: Session, file: str | Path, kind: str, read: Reader, *, need: str, rule: str, doing: str,
        progress: Callable[[int, int], None] | None = None,
        seal_key: Callable[[], bytes | None] | None = None) -> dict[str, Any]:
    """Import `file` as `kind` (tables.IMPORT_KINDS) through `read`; returns what was recorded.
    `seal_key`: called once the recorder may import and the file is new, the key the reader
    seals with (csctl/sealing.py), if any."""
    table = IMPORT_KINDS[kind].name
    path = Path(file).expanduser()
    digest, size = files.digest(path)
    with s.write(need, rule=rule, doing=doing, bulk=True) as w:  # megabytes to hash: OpenSSL
        files.refuse_repeat(s, kind, digest, path.name)
        imp = w.append("imports", {"kind": kind, "file_name": path.name, "sha256": digest})
        context = Context(path=str(path), name=path.name, sha256=digest, size=size, import_id=imp["id"],
                          me=w.me.id, today=s.today, now=s.now, closed=frozenset(s.closed_months()),
                          staff=s.staff(), seal_key=seal_key() if seal_key is not None else None)
        late = s.ledger.late(table)

        def hashed() -> Iterator[tuple[bytes, list[tuple]]]:
            for read_bytes, (text, rows) in read(context):
                yield (hashed_chunk(rows, late) if text is None else text), rows
                if progress is not None:
                    progress(read_bytes, size)

        first, count = w.append_chunks(table, hashed())
        if count == 0:
            raise InputError("file", _("{name} has a header but no rows").format(name=path.name))
    return {"id": imp["id"], "import": imp["id"], "file": path.name, "rows": count, "first_id": first,
            "last_id": first + count - 1, "sha256": digest}
