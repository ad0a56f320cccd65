"""The events import (`csctl log import`): an attendance clock's CSV export, a reader of the
import engine (services/imports/__init__.py).

Every record passes every check a `csctl log` command would make (services/discipline.py),
against the ledger as it stands inside the import's write, or the file is refused naming
the line (the header is line 1) and the column.
"""

from __future__ import annotations

from ...i18n import _

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ... import parse, tables
from ...errors import InputError, RuleViolation
from ...models import EVENT_KINDS
from ...parse import shown
from ...rules.discipline import EventRequest
from .. import Session
from ..discipline import checked
from . import Chunk, Context, files, run

IMPORT_COLUMNS = ("date", "staff", "kind", "minutes", "approved_by", "points", "source", "note", "approved_on", "until")
# CSV kind words beyond the `log` command words.
IMPORT_KINDS = {
    "complaint-slow": ("complaint", {"complaint": "slow"}),
    "complaint-attitude": ("complaint", {"complaint": "attitude"}),
    "offline-excused": ("offline", {"excused": True}),
}
# What a check calls a field, as the CSV's column is named.
CSV_FIELD = {"at": "date", "approved-by": "approved_by", "reason": "note", "approved-on": "approved_on"}
CHUNK_ROWS = 5_000


def _import_request(rec: dict[str, str], now: datetime) -> EventRequest:
    """One CSV record as an EventRequest; on error, the column at fault is in the exception."""
    def cell(name: str) -> str:
        return (rec.get(name) or "").strip()

    at = parse.at(cell("date"), now, "date")
    staff = parse.staff_id(cell("staff"), "staff")
    word = cell("kind").lower()
    kind, extra = IMPORT_KINDS.get(word, (word, {}))
    if kind not in EVENT_KINDS or word == "complaint":
        allowed = [k for k in EVENT_KINDS if k != "complaint"] + list(IMPORT_KINDS)
        raise InputError("kind", _("{cell} is not an event kind; one of {allowed}").format(cell=shown(cell('kind')), allowed=', '.join(allowed)))
    fields: dict[str, Any] = dict(extra)
    if cell("minutes"):
        if kind not in ("late", "early-leave"):
            raise InputError("minutes", _("only a late or leaving early has minutes, not {word}").format(word=word))
        fields["minutes"] = parse.minutes(cell("minutes"))
    elif kind in ("late", "early-leave"):
        raise InputError("minutes", _("a late needs its minutes (D1)") if kind == "late" else _("leaving early needs its minutes (D1)"))
    for name in ("approved_on", "until"):  # D5; check_event refuses them on other kinds
        if cell(name):
            fields[name] = parse.day(cell(name), name)
    if cell("approved_by"):
        if kind not in ("leave", "dayoff"):
            raise InputError("approved_by", _("only leave and day-offs have an approver, not {word}").format(word=word))
        fields["approved_by"] = parse.staff_id(cell("approved_by"), "approved_by")
    if cell("points"):
        if kind != "unfinished":
            raise InputError("points", _("only unfinished work has points, not {word}").format(word=word))
        fields["points"] = parse.points(cell("points"))
    if cell("source"):
        if kind != "complaint":
            raise InputError("source", _("only a complaint has a source, not {word}").format(word=word))
        fields["source"] = cell("source").lower()
    note = parse.text(cell("note"), "note", required=False)
    if kind in ("refer", "awol") or (kind == "offline" and fields.get("excused")):
        fields["reason"] = note
    else:
        fields["note"] = note
    return EventRequest(kind=kind, staff=staff, at=at, **fields)


def import_file(s: Session, path: Path) -> dict[str, Any]:
    """Load a month of events from a CSV (an attendance clock's export): all or nothing."""
    return run(s, path, "events", lambda context: _chunks(s, context), need=tables.write_rank("imports"),
               rule="L6", doing=_("importing events"))


def _header(reader: Any, name: str) -> list[str]:
    header = [h.strip().lower() for h in next(reader, [])]
    twice = [h for h in header if header.count(h) > 1]
    if twice:
        raise InputError("file", _("{name} line 1: column {twice} appears twice").format(name=name, twice=shown(twice[0])))
    for column in ("date", "staff", "kind"):
        if column not in header:
            raise InputError("file", _("{name} line 1: missing column {column!r}; columns: {import_columns}").format(name=name, column=column, import_columns=','.join(IMPORT_COLUMNS)))
    unknown = [h for h in header if h not in IMPORT_COLUMNS]
    if unknown:
        raise InputError("file", _("{name} line 1: unknown column {unknown}; columns: {import_columns}").format(name=name, unknown=shown(unknown[0]), import_columns=','.join(IMPORT_COLUMNS)))
    return header


def _chunks(s: Session, context: Context) -> Iterator[tuple[int, Chunk]]:
    """The file's events, checked one by one inside the import's write, as rows of `events`."""
    name = context.name
    with files.records(Path(context.path), name, context.sha256) as (reader, raw):
        header = _header(reader, name)
        rows: list[tuple] = []
        line = reader.line_num  # csv.reader counts the line a record ends on; errors name its first
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue  # a blank line
            try:
                if len(cells) > len(header):
                    raise InputError("", _("more cells than columns"))
                if line != start:  # a record over several lines: a quoted cell holds a line break
                    files.refuse_multiline(cells, header)
                values = checked(s, _import_request(dict(zip(header, cells)), context.now))
            except (InputError, RuleViolation) as exc:
                raise files.at_line(name, start, exc, CSV_FIELD) from None
            rows.append(s.ledger.values_of("events", {**values, "import": context.import_id}))
            if len(rows) >= CHUNK_ROWS:
                yield raw.read_bytes, (None, rows)
                rows = []
        if rows:
            yield raw.read_bytes, (None, rows)
