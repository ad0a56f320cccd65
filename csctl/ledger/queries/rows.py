"""Any recorded row by its id, and the void that cancels it (L1)."""

from __future__ import annotations

import sqlite3

from ...tables import ROW_TABLES
from ..store import Ledger


def table_of(ledger: Ledger, row_id: int) -> str | None:
    """Which recorded table holds the row with this id."""
    for table in ROW_TABLES:
        if ledger.value(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)):
            return table
    return None


def recorded_row(ledger: Ledger, table: str, row_id: int) -> sqlite3.Row | None:
    return ledger.row(f"SELECT * FROM {table} WHERE id = ?", (row_id,))


def void_of(ledger: Ledger, row_id: int) -> sqlite3.Row | None:
    """The void that cancels a row, if any."""
    return ledger.row("SELECT * FROM voids WHERE target = ?", (row_id,))


def link_of(ledger: Ledger, row_id: int) -> str | None:
    """The hash of the chain link that covers a row: the ledger's fingerprint once the row's
    write was committed."""
    return ledger.value("SELECT hash FROM chain WHERE first_id <= ? AND last_id >= ? ORDER BY id LIMIT 1",
                        (row_id, row_id))


def links(ledger: Ledger) -> dict[int, str]:
    """Every chain link's hash by its id: what a witness is compared with."""
    return {r[0]: r[1] for r in ledger.rows("SELECT id, hash FROM chain")}


def policy_texts(ledger: Ledger) -> list[str]:
    """The text of every policy version ever stored, voided or not (the witness folders they named)."""
    return [r[0] for r in ledger.rows("SELECT body FROM policies ORDER BY id")]


def migration_names(ledger: Ledger) -> list[str]:
    return [r[0] for r in ledger.rows("SELECT name FROM _migrations ORDER BY name")]


def filters(alias: str, start: str | None, end: str | None, **equal: str | None) -> tuple[str, list]:
    """A WHERE clause over `alias`: start <= at < end when both are given, and column = value
    for each value given."""
    where, params = [], []
    if start is not None and end is not None:
        where.append(f"{alias}.at >= ? AND {alias}.at < ?")
        params += [start, end]
    for column, value in equal.items():
        if value is not None:
            where.append(f"{alias}.{column} = ?")
            params.append(value)
    return ("WHERE " + " AND ".join(where)) if where else "", params
