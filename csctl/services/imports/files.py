"""What the two imports share: the file's digest, never the same file twice, a read through
a running hash, and errors that name the file's physical line (the header is line 1) and
its column."""

from __future__ import annotations

from ...i18n import _

import csv
import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ...errors import CsctlError, InputError, RuleViolation
from ...ledger.queries import imports as import_queries
from ...parse import shown
from .. import Session


def digest(path: Path) -> tuple[str, int]:
    """The SHA-256 and size of a file to import; refuses one that is missing, empty or unreadable."""
    try:
        if not path.is_file():
            raise InputError("file", _("{path} does not exist").format(path=path) if not path.exists() else _("{path} is not a file").format(path=path))
    except OSError as exc:  # a name too long for the file system, say
        raise InputError("file", _("cannot read {path}: {strerror}").format(path=shown(str(path)), strerror=exc.strerror)) from None
    sha = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                sha.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise InputError("file", _("cannot read {path}: {strerror}").format(path=path, strerror=exc.strerror)) from None
    if size == 0:
        raise InputError("file", _("{name} is empty; expected a header line and rows").format(name=path.name))
    return sha.hexdigest(), size


def refuse_repeat(s: Session, kind: str, sha256: str, name: str) -> None:
    """C1: the same file twice would count its rows twice."""
    earlier = import_queries.live_import(s.ledger, kind, sha256)
    if earlier:
        raise InputError("file", _("{name} was already imported as import #{id} on {recorded_at}; importing it again would count its rows twice (void import #{id} first to replace it)").format(name=name, id=earlier['id'], recorded_at=earlier['recorded_at'][:10]))


def at_line(name: str, line: int, exc: CsctlError, fields: dict[str, str] | None = None) -> CsctlError:
    """An error found in a record, placed: `file: NAME line N, column C: ...` or `refused (R): NAME line N: ...`."""
    if isinstance(exc, RuleViolation):
        return RuleViolation(exc.rule, _("{name} line {line}: {message}").format(name=name, line=line, message=exc.message))
    field = getattr(exc, "field", "")
    column = (fields or {}).get(field, field)
    if column:
        return InputError("file", _("{name} line {line}, column {column}: {message}").format(
            name=name, line=line, column=column, message=exc.message))
    return InputError("file", _("{name} line {line}: {message}").format(name=name, line=line, message=exc.message))


def refuse_multiline(cells: list[str], names: list[str]) -> None:
    """A cell running over several lines is CSV's quoting at work, but in these files it is a
    quote left open, swallowing the lines after it: refused, naming the column."""
    for cell, name in zip(cells, names):
        if "\n" in cell or "\r" in cell:
            raise InputError(name, _("runs over several lines; is a quote (\") left open?"))


class _NulByte(Exception):
    def __init__(self, offset: int):
        super().__init__(offset)
        self.offset = offset


class Hashed(io.RawIOBase):
    """A file read through a running SHA-256, so the bytes checked are the bytes counted.

    A NUL byte, which no text export holds and SQLite text should not, stops the read."""

    def __init__(self, handle: Any):
        self.handle = handle
        self.sha = hashlib.sha256()
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.handle.readinto(buffer)
        if count:
            chunk = bytes(memoryview(buffer)[:count])
            nul = chunk.find(b"\x00")
            if nul >= 0:
                raise _NulByte(self.read_bytes + nul)
            self.sha.update(chunk)
            self.read_bytes += count
        return count


@contextmanager
def records(path: Path, name: str, sha256: str) -> Iterator[tuple[Any, Hashed]]:
    """A csv.reader over a UTF-8 file (BOM or not), and the hashing reader beneath it.

    On leaving, the file must still be the one whose digest was taken: a file saved over
    while it was read is refused. Encoding and CSV errors name their line.
    """
    with path.open("rb") as handle:
        raw = Hashed(handle)
        reader = csv.reader(io.TextIOWrapper(io.BufferedReader(raw, 1 << 16), encoding="utf-8-sig", newline=""))
        try:
            yield reader, raw
        except UnicodeDecodeError:
            raise InputError("file", _("{name} line {path}: not UTF-8 text; save it as UTF-8").format(name=name, path=first_bad_line(path))) from None
        except _NulByte as nul:
            with path.open("rb") as handle:
                line = handle.read(nul.offset).count(b"\n") + 1
            raise InputError("file", _("{name} line {line}: holds a NUL byte; is this a text CSV file?").format(name=name, line=line)) from None
        except csv.Error as exc:
            raise InputError("file", _("{name} line {line_num}: {exc}").format(name=name, line_num=reader.line_num, exc=exc)) from None
        while raw.read(1 << 16):  # whatever the reader left unread still counts
            pass
        if raw.sha.hexdigest() != sha256:
            raise InputError("file", _("{name} changed while it was being imported; nothing was recorded").format(name=name))


def first_bad_line(path: Path) -> int:
    """The physical line holding the first bytes that are not UTF-8 (the decoder reads ahead
    of the CSV reader, so its line count cannot tell)."""
    number = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                return number
    return number
