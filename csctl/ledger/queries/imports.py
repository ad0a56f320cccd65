"""Imported files (C1: never the same file twice) and what each brought in."""

from __future__ import annotations

import sqlite3

from ...tables import IMPORT_KINDS
from ..store import Ledger


def live_import(ledger: Ledger, kind: str, sha256: str) -> sqlite3.Row | None:
    """A live import of the same file, if there is one (C1: never the same file twice)."""
    return ledger.row("SELECT * FROM live_imports WHERE sha256 = ? AND kind = ?", (sha256, kind))


def import_rows(ledger: Ledger, import_row: sqlite3.Row) -> tuple[list[str], list[str]]:
    """The months and the staff of the rows an import brought in."""
    table = IMPORT_KINDS[import_row["kind"]].name
    months = [r[0] for r in ledger.rows(f"SELECT DISTINCT substr(at, 1, 7) FROM {table} WHERE import = ?",
                                        (import_row["id"],))]
    staff = [r[0] for r in ledger.rows(f"SELECT DISTINCT staff FROM {table} WHERE import = ?", (import_row["id"],))]
    return months, staff
