"""Spreadsheets: a listing or report as one Excel sheet (`--format xlsx --out FILE`).

Every listing hands its rows to `render.out_csv`; asked for a spreadsheet, that writes them
here instead, with the same columns as the CSV. The cells are typed from the values the
listing carries, which the output contract fixes (the same values `--json` prints): a number
stays a number (points, counts, ids), true/false a boolean, and a column whose every text is an
exact decimal (money "2000.00", a quantity "250.000"), a date ("2026-10-03") or an ISO time
becomes numbers shown with those decimals, dates or date-times. A column with any other text
in it stays text, so a product called "12.50" among others is never turned into a number.
Times are written as the ledger's own clock shows them (Excel has no time zones); `--csv` and
`--json` keep the offset.

The header row is frozen and filtered, the columns fitted to their contents. The file is
written owner-only (0600) beside its name and moved into place whole, so a failed run leaves
no half-written file and an earlier file of that name is replaced only by a complete one.

XlsxWriter is imported only here, and this module only when a spreadsheet is asked for.
"""

from __future__ import annotations

from .i18n import _

import os
import re
import tempfile
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any, Sequence

from .errors import InputError
from .render import _cell  # the text of a list or a dict, as --csv writes it

MAX_ROWS = 1_048_576  # what one Excel sheet holds, the header included
WIDTH_MAX = 60        # a wider column wraps its text instead
WIDTH_MIN = 4
NAME_MAX = 31         # Excel's limit on a sheet name
_DECIMAL = re.compile(r"-?([0-9]+)\.([0-9]+)\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?\Z")
DIGITS = 15           # the significant digits a spreadsheet number keeps exactly


def target(out: Path) -> Path:
    """The file to write, checked before anything is read or written: an .xlsx name in a
    folder that exists, not a folder itself; and the writer installed."""
    if out.suffix.lower() != ".xlsx":
        raise InputError("out", _("{out} is not an .xlsx file name; a spreadsheet is written as NAME.xlsx").format(out=out))
    if out.is_dir():
        raise InputError("out", _("{out} is a folder; give the spreadsheet's file name, NAME.xlsx").format(out=out))
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("out", _("folder {folder} does not exist; create it first or write elsewhere").format(folder=folder))
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        raise InputError("format", _("xlsx needs the XlsxWriter package, which csctl installs: "
                                   "pip install XlsxWriter (or reinstall csctl)")) from None
    return out


def sheet_name(words: Sequence[str]) -> str:
    """A sheet name that says what the listing is (`month report 2026-10`), as Excel allows it."""
    name = re.sub(r"[\[\]:*?/\\]", "-", " ".join(w for w in words if w)).strip("' ") or "listing"
    return name[:NAME_MAX].rstrip()


def _width(text: str) -> int:
    """Display width in character cells: a Chinese character takes two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _time(text: str) -> datetime | None:
    if not _TIME.match(text):
        return None
    try:
        at = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return None
    return at.replace(tzinfo=None)  # the wall-clock time in its own offset, as the tables show it


def _day(text: str) -> date | None:
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _decimal(text: str) -> tuple[float, int] | None:
    m = _DECIMAL.match(text)
    if m is None or len(m.group(1).lstrip("0")) + len(m.group(2)) > DIGITS:
        return None
    return float(text) + 0.0, len(m.group(2))  # "-0.00" is 0.00, not a negative zero


_READERS = {"decimal": _decimal, "date": _day, "time": _time}


def _column_kind(values: list[Any]) -> str:
    """How a column's texts are written: "decimal", "date" or "time" when every one of them
    reads as that, else "text". Values that are not text (numbers, booleans) keep their type."""
    texts = [v for v in values if isinstance(v, str) and v != ""]
    if not texts:
        return "text"
    for kind, read in _READERS.items():
        if all(read(v) is not None for v in texts):
            return kind
    return "text"


def write(path: Path, name: str, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> int:
    """Write `rows` (the `columns` of each) as the one sheet `name` of a new workbook at `path`;
    returns the number of rows written."""
    if len(rows) + 1 > MAX_ROWS:
        raise InputError("format", _("{rows} rows are more than a spreadsheet holds ({max_rows}); narrow the listing (--month, --staff) or use --csv").format(rows=len(rows), max_rows=MAX_ROWS - 1))
    import xlsxwriter

    kinds = [_column_kind([row.get(c) for row in rows]) for c in columns]
    widths = [_width(c) + 2 for c in columns]  # the filter button beside the header
    folder = path.parent if str(path.parent) else Path(".")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)  # 0600
    os.close(fd)
    try:
        # constant_memory: each row goes to disk as the next begins, so a year of sales does not
        # sit in memory; no text is ever read as a formula or a link.
        book = xlsxwriter.Workbook(temp, {"constant_memory": True, "strings_to_formulas": False,
                                          "strings_to_urls": False, "strings_to_numbers": False})
        book.set_properties({"title": name, "comments": "written by csctl"})
        formats: dict[str, Any] = {}

        def fmt(spec: str) -> Any:
            if spec not in formats:
                formats[spec] = book.add_format({"bold": {"bold": True}, "wrap": {"text_wrap": True}}.get(
                    spec, {"num_format": spec}))
            return formats[spec]

        sheet = book.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        for j, column in enumerate(columns):
            sheet.write_string(0, j, column, fmt("bold"))
        cells: list[list[tuple[Any, ...]]] = []
        for row in rows:
            line = []
            for j, column in enumerate(columns):
                cell = _typed(row.get(column), kinds[j])
                line.append(cell)
                widths[j] = max(widths[j], cell[-1])
            cells.append(line)
        wide = [w > WIDTH_MAX for w in widths]
        for j, w in enumerate(widths):
            sheet.set_column(j, j, max(WIDTH_MIN, min(w, WIDTH_MAX) + 1))
        for i, line in enumerate(cells, start=1):
            for j, cell in enumerate(line):
                how, value, spec, _rest = cell
                if how == "blank":
                    continue
                if how == "string":
                    sheet.write_string(i, j, value, fmt("wrap") if wide[j] else None)
                elif how == "bool":
                    sheet.write_boolean(i, j, value)
                elif how == "number":
                    sheet.write_number(i, j, value, fmt(spec) if spec else None)
                else:
                    sheet.write_datetime(i, j, value, fmt(spec))
        if columns:
            sheet.autofilter(0, 0, len(rows), len(columns) - 1)
        book.close()
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except OSError as exc:
        raise InputError("out", _("cannot write {path}: {value}").format(path=path, value=exc.strerror or exc)) from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return len(rows)


def _typed(value: Any, kind: str) -> tuple[str, Any, str | None, int]:
    """(how, value, number format, width) of one cell."""
    if value is None or value == "":
        return ("blank", None, None, 0)
    if isinstance(value, bool):
        return ("bool", value, None, 5)
    if isinstance(value, int) and abs(value) < 10**DIGITS:
        return ("number", value, None, len(str(value)))
    if isinstance(value, float):
        return ("number", value, None, len(repr(value)))
    if isinstance(value, str) and kind == "decimal":
        number, places = _decimal(value)  # type: ignore[misc]
        return ("number", number, "0." + "0" * places, len(value))
    if isinstance(value, str) and kind == "date":
        return ("datetime", _day(value), "yyyy-mm-dd", 10)
    if isinstance(value, str) and kind == "time":
        at = _time(value)
        assert at is not None
        if (at.hour, at.minute, at.second, at.microsecond) == (0, 0, 0, 0):
            return ("datetime", at, "yyyy-mm-dd", 10)  # an event recorded by its date alone
        if at.second or at.microsecond:
            return ("datetime", at, "yyyy-mm-dd hh:mm:ss", 19)
        return ("datetime", at, "yyyy-mm-dd hh:mm", 16)
    text = value if isinstance(value, str) else _cell(value)
    if text == "":
        return ("blank", None, None, 0)  # an empty list
    return ("string", text, None, _width(text) if "\n" not in text else max(_width(p) for p in text.split("\n")))
