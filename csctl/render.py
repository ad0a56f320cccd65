"""Output: the only module that imports rich. stdout is data, stderr is talk.

Tables for people, one JSON document for `--json`, CSV for `--csv`, a one-line
confirmation for a write. Rich is imported only when a table or a progress bar is drawn,
so a one-line write does not pay for it.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import Any, Iterator, NamedTuple

from .i18n import _, word

PIPE_WIDTH = 240
_NUMBER = r"-?[0-9]+(\.[0-9]+)?\Z"  # compiled on first use, by re

# What a column holds, which decides how it may be drawn in a narrow terminal.
NUMBER = "number"  # money, points, counts: right-aligned, never split
DATE = "date"      # 2026-10-02: never split
TIME = "time"      # an ISO time, shown as 2026-10-02 09:40 (the date alone at midnight): never split
ID = "id"          # a staff id, a row id: never split
CODE = "code"      # one word of the department's vocabulary (customer_service, forgot-signin): never split
TEXT = "text"      # names, notes, reasons, products: wrapped at spaces, a very long word folded
PROSE = "prose"    # as TEXT, but never cut short: every line is shown (a review's conditions)
AUTO = "auto"      # NUMBER if every value is a number, CODE if each is one short word, else TEXT
TEXT_MIN = 8       # a text column is not made narrower than this, nor than its longest word with a
WORD_MAX = 16      # digit in it (an order number, a phone number) up to this; other words may fold
TEXT_FLOOR = 4     # a text column squeezed below its least, when nothing else can give way
TEXT_LINES = 4     # a narrowed text cell shows this many lines at most, the last ending in …
_DIGIT = r"[0-9]"


class Col(NamedTuple):
    """A table column: the row's key, its header, what it holds, and when it may be left out.

    `drop` 0: always shown. When a table does not fit the terminal even with its text columns
    wrapped, the columns of the highest `drop` level are left out, a level at a time, and the
    caption names them. Numbers, dates, times, ids and codes are never split across lines;
    their headers wrap at spaces instead.

    `words` names the catalogue's context for a column of codes that --json and --csv print as
    they are (an outcome, a state, a department): the table shows each in the language in use
    (csctl/words.py lists them), a code the catalogue does not know as it is.
    """

    key: str
    header: str
    kind: str = AUTO
    drop: int = 0
    words: str | None = None  # the values are codes, shown in the language in use: pgettext(words, code)


Column = Col | tuple[str, str]  # a plain (key, header) pair is Col(key, header, AUTO)


def out_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return " ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


_BOM = [False]


def csv_bom(on: bool) -> None:
    """Begin the next CSV with a UTF-8 byte-order mark (`--bom`), which Excel needs to read
    Chinese text right; scripts reading the CSV usually do not want it, so it is asked for."""
    _BOM[0] = on


# Where a listing goes instead of CSV on stdout when `--format xlsx --out FILE` asked for a
# spreadsheet: (path, sheet name), and the rows written once it has been.
_SHEET: dict[str, Any] = {}


def to_sheet(path: Any, name: str) -> None:
    """Send the next `out_csv` to a spreadsheet at `path`, one sheet called `name` (csctl/sheet.py)."""
    _SHEET.clear()
    _SHEET.update(path=path, name=name)


def sheet_written() -> bool:
    """Whether the spreadsheet asked for was written (and forget it)."""
    written = "rows" in _SHEET
    _SHEET.clear()
    return written


def out_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    """The listing as CSV on stdout; or, asked for a spreadsheet, as its sheet (the same columns)."""
    import csv

    if _SHEET:
        from . import sheet

        _SHEET["rows"] = sheet.write(_SHEET["path"], _SHEET["name"], rows, columns)
        line(f"wrote {_SHEET['rows']} row(s) to {_SHEET['path']} (sheet \"{_SHEET['name']}\")")
        return
    if _BOM[0]:
        sys.stdout.write("\ufeff")
        _BOM[0] = False
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])


def line(text: str) -> None:
    sys.stdout.write(text + "\n")


def note(text: str) -> None:
    sys.stderr.write(text + "\n")


def error(text: str) -> None:
    if sys.stderr.isatty() and not os.environ.get("NO_COLOR"):
        sys.stderr.write(f"\x1b[31m{text}\x1b[0m\n")
    else:
        sys.stderr.write(text + "\n")


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # A terminal is drawn to its width; a pipe or file gets each table at its natural width
    # (up to PIPE_WIDTH) rather than Rich's 80 columns, so dates and ids are never folded.
    width = None if stream.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    caption: str | None = None,
    styles: Callable[[dict[str, Any]], str | None] | None = None,
    footer: dict[str, Any] | None = None,
) -> None:
    """A Rich table of rows, fitted to the terminal; `styles(row)` may colour a row (e.g. voided
    rows dim); `footer` (key -> value) is a last line under the rows, such as totals.

    Each column is drawn as its kind allows (see `Col`): numbers, dates, times, ids and codes
    whole on one line, text wrapped. A table wider than the terminal first wraps its headers,
    then its text columns, then leaves out columns by their `drop` level and says so in the
    caption.
    """
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    cols = [c if isinstance(c, Col) else Col(*c) for c in columns]
    cells = [[_shown(row.get(c.key), c.kind, c.words) for c in cols] for row in rows]
    feet = [_shown(footer.get(c.key), c.kind) if footer else "" for c in cols]
    kinds = [_kind(c.kind, [line[i] for line in cells]) for i, c in enumerate(cols)]
    specs = [_measure(c.header, [line[i] for line in cells] + [feet[i]], kinds[i], cell_len)
             for i, c in enumerate(cols)]
    console = _console()
    kept, widths = _fit(specs, [c.drop for c in cols], console.width)
    left_out = [c.header for i, c in enumerate(cols) if i not in kept]
    if left_out:
        caption = (f"{caption}; " if caption else "") + (
            _("hidden at {width} columns: {columns}").format(width=console.width, columns=", ".join(left_out)))

    grid = Table(title=title, caption=caption, show_lines=False, header_style="bold", show_footer=bool(footer),
                 footer_style="bold")
    for i, width in zip(kept, widths):
        whole = kinds[i] not in (TEXT, PROSE)
        grid.add_column(Text(cols[i].header, no_wrap=False, overflow="fold"), footer=Text(feet[i]),
                        justify="right" if kinds[i] == NUMBER else "left", no_wrap=whole,
                        overflow="ellipsis" if whole else "fold", width=width)
    narrowed = {i: width for i, width in zip(kept, widths) if kinds[i] == TEXT and width < specs[i].natural}
    for row, line in zip(rows, cells):
        grid.add_row(*(_clipped(console, line[i], narrowed[i]) if i in narrowed else Text(line[i]) for i in kept),
                     style=styles(row) if styles else None)
    console.print(grid)


def _clipped(console: Any, text: str, width: int) -> Any:
    """Text wrapped to `width`, cut to TEXT_LINES lines ending in … if it is longer."""
    from rich.text import Text

    lines = Text(text).wrap(console, width, justify="left", overflow="fold")
    if len(lines) <= TEXT_LINES:
        return Text(text)
    kept = [line.plain.rstrip() for line in lines[:TEXT_LINES]]
    last = Text(kept[-1])
    last.truncate(width - 1)
    kept[-1] = last.plain.rstrip() + "…"
    return Text("\n".join(kept))


def _shown(value: Any, kind: str, words: str | None = None) -> str:
    text = _cell(value)
    if words and text:
        return word(words, text)
    return _time(text) if kind == TIME and text else text


def _time(text: str) -> str:
    """2026-10-02T09:40:00+08:00 as 2026-10-02 09:40, in its own offset; midnight (an event
    recorded by its date alone) as 2026-10-02."""
    from datetime import datetime

    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return text
    if (at.hour, at.minute, at.second, at.microsecond) == (0, 0, 0, 0):
        return at.strftime("%Y-%m-%d")
    return at.strftime("%Y-%m-%d %H:%M")


def zones(times: Sequence[str | None]) -> str:
    """The offsets of ISO times, as a caption says them: `UTC+08:00` (or several, comma-separated)."""
    from datetime import datetime

    found: list[str] = []
    for text in times:
        try:
            offset = datetime.fromisoformat(text).utcoffset() if text else None
        except ValueError:
            continue
        if offset is None:
            continue
        minutes = int(offset.total_seconds()) // 60
        name = f"UTC{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        if name not in found:
            found.append(name)
    return ", ".join(found)


def _kind(kind: str, shown: list[str]) -> str:
    if kind != AUTO:
        return kind
    values = [text for text in shown if text]
    if values and all(re.match(_NUMBER, text) for text in values):
        return NUMBER  # figures (money, points, counts) line up on the right, as on a pay slip
    if all(" " not in text and len(text) <= WORD_MAX for text in values):
        return CODE
    return TEXT


class _Spec(NamedTuple):
    natural: int  # the widest line of a cell or the whole header
    least: int    # the narrowest it may be drawn: its widest cell if whole, else wrapped (TEXT_MIN)
    whole: bool   # never split: only its header may wrap


def _measure(header: str, shown: list[str], kind: str, cell_len: Callable[[str], int]) -> _Spec:
    head_word = max((cell_len(w) for w in header.split()), default=0)
    widest = max((cell_len(part) for text in shown for part in text.split("\n")), default=0)
    natural = max(widest, cell_len(header), 1)
    if kind not in (TEXT, PROSE):
        return _Spec(natural, max(widest, head_word, 1), True)
    figure = max((cell_len(w) for text in shown for w in text.split() if re.search(_DIGIT, w)), default=0)
    return _Spec(natural, min(natural, max(head_word, TEXT_MIN, min(figure, WORD_MAX))), False)


def _fit(specs: Sequence[_Spec], drops: Sequence[int], width: int) -> tuple[list[int], list[int]]:
    """Which columns to draw and how wide (without padding) so that the table fits `width`.

    Natural widths if they fit; else headers of whole columns wrap, then text columns narrow,
    widest first, down to their least; when even that does not fit, the columns of the highest
    drop level are left out and it starts again. A Rich table with a heavy head has one rule
    per column and one more, and a space each side of every cell.
    """
    kept = list(range(len(specs)))
    levels = sorted({d for d in drops if d > 0}, reverse=True)
    while True:
        room = width - (3 * len(kept) + 1)
        if sum(specs[i].least for i in kept) <= room or not levels:
            break
        level = levels.pop(0)
        kept = [i for i in kept if drops[i] != level]
    widths = {i: specs[i].natural for i in kept}
    excess = sum(widths.values()) - room
    # The header of a whole column wraps before any cell does, the longest header first.
    for i in sorted(kept, key=lambda j: specs[j].least - specs[j].natural):
        give = min(max(excess, 0), widths[i] - specs[i].least) if specs[i].whole else 0
        widths[i] -= give
        excess -= give
    # Then the widest text column narrows, a column at a time: to its least, and only if the
    # table still does not fit (nothing left to leave out), further, before a number is cut.
    for floor in (lambda i: specs[i].least, lambda i: min(specs[i].least, TEXT_FLOOR)):
        while excess > 0:
            wide = [i for i in kept if not specs[i].whole and widths[i] > floor(i)]
            if not wide:
                break
            i = max(wide, key=lambda j: (widths[j], j))
            widths[i] -= 1
            excess -= 1
    return kept, [widths[i] for i in kept]


def fields(data: dict[str, Any], *, title: str | None = None) -> None:
    """One record as a two-column table of field and value."""
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=title, show_header=False)
    grid.add_column("field", style="bold", no_wrap=True)
    numbers = all(re.match(_NUMBER, _cell(v)) or v is None for v in data.values())
    grid.add_column("value", overflow="fold", justify="right" if numbers else "left")  # money lines up
    for key, value in data.items():
        grid.add_row(Text(key), Text(_cell(value)))
    _console().print(grid)


@contextmanager
def progress(label: str, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr while a long file loads; nothing when not enabled or not a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn(label), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=_console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def html_page(title: str, body: str, lang: str) -> str:
    """A printable page (statements on pay day)."""
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
  @page {{ size: A4; margin: 18mm 16mm; }}
  body {{ font-family: "Noto Sans", "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 2.5em; color: #111; }}
  .company {{ font-weight: bold; letter-spacing: 0.02em; }}
  td.basis {{ color: #333; font-size: 0.92em; }}
  th.money {{ text-align: right; }}
  .beside {{ margin-top: 1.2em; padding: 0.4em 0.6em; border-left: 3px solid #888; }}
  .note {{ color: #8a1c1c; }}
  .draft-mark {{ position: fixed; top: 38%; left: 0; right: 0; text-align: center; font-size: 7em; font-weight: bold;
                 color: rgba(180, 0, 0, 0.14); transform: rotate(-30deg); pointer-events: none; }}
  h1 {{ font-size: 1.4em; margin-bottom: 0.2em; }}
  .meta {{ color: #444; margin-bottom: 1.5em; }}
  table {{ border-collapse: collapse; width: 100%; max-width: 40em; }}
  td, th {{ border-bottom: 1px solid #ccc; padding: 0.35em 0.6em; text-align: left; }}
  td.money {{ text-align: right; font-variant-numeric: tabular-nums; }}
  tr.total td {{ font-weight: bold; border-top: 2px solid #111; }}
  .sign {{ margin-top: 4em; display: flex; gap: 4em; }}
  .sign div {{ border-top: 1px solid #111; padding-top: 0.3em; min-width: 14em; }}
  @media print {{ body {{ margin: 1.5cm; }} }}
</style>
</head>
<body>
{body}
</body>
</html>
"""
