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
from typing import Any, Iterator

Column = tuple[str, str]  # (key in the row, header shown)
PIPE_WIDTH = 240
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")


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


def out_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    import csv

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
) -> None:
    """A Rich table of rows; `styles(row)` may colour a row (e.g. voided rows dim)."""
    from rich.table import Table

    grid = Table(title=title, caption=caption, show_lines=False, header_style="bold")
    cells = [[_cell(row.get(key)) for key, _ in columns] for row in rows]
    for i, (_, header) in enumerate(columns):
        shown = [line[i] for line in cells if line[i]]
        # Figures (money, points, counts) line up on the right, as on a pay slip.
        numeric = bool(shown) and all(_NUMBER.match(text) for text in shown)
        grid.add_column(header, overflow="fold", justify="right" if numeric else "left")
    for row, line in zip(rows, cells):
        grid.add_row(*line, style=styles(row) if styles else None)
    _console().print(grid)


def fields(data: dict[str, Any], *, title: str | None = None) -> None:
    """One record as a two-column table of field and value."""
    from rich.table import Table

    grid = Table(title=title, show_header=False)
    grid.add_column("field", style="bold")
    grid.add_column("value", overflow="fold")
    for key, value in data.items():
        grid.add_row(key, _cell(value))
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
  body {{ font-family: "Noto Sans", "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 2.5em; color: #111; }}
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
