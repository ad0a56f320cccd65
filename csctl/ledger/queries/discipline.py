"""Discipline events (D1-D10)."""

from __future__ import annotations

import sqlite3

from ..store import Ledger
from .rows import filters


def events_between(ledger: Ledger, start: str, end: str, staff: str | None = None) -> list[sqlite3.Row]:
    """Live events (neither voided nor from a voided import) with start <= at < end, of
    everyone or of one person."""
    if staff is None:
        return ledger.rows("SELECT * FROM live_events WHERE at >= ? AND at < ? ORDER BY at, id", (start, end))
    return ledger.rows("SELECT * FROM live_events WHERE at >= ? AND at < ? AND staff = ? ORDER BY at, id",
                       (start, end, staff))


def event_listing(ledger: Ledger, start: str | None, end: str | None, staff: str | None,
                  kind: str | None) -> list[sqlite3.Row]:
    """Events, voided ones included, with the void that cancels each (or its import)."""
    clause, params = filters("e", start, end, staff=staff, kind=kind)
    return ledger.rows(
        f"""SELECT e.*, v.id AS void_id, v.reason AS void_reason, vi.id AS import_void_id
            FROM events e LEFT JOIN voids v ON v.target = e.id LEFT JOIN voids vi ON vi.target = e.import
            {clause} ORDER BY e.at, e.id""",
        params,
    )


def event_counts(ledger: Ledger, staff: str) -> list[sqlite3.Row]:
    """A person's live events counted by month and kind, the latest month first."""
    return ledger.rows(
        """SELECT substr(at, 1, 7) AS month, kind, count(*) AS n FROM live_events
           WHERE staff = ? GROUP BY month, kind ORDER BY month DESC, kind""",
        (staff,),
    )
