"""The staff list and departures."""

from __future__ import annotations

import sqlite3

from ..store import Ledger


def staff_rows(ledger: Ledger) -> list[sqlite3.Row]:
    """Every staff record with the day its latest live departure takes effect (left_on)."""
    return ledger.rows(
        """SELECT s.*, (SELECT d.on_date FROM live_departures d WHERE d.staff = s.staff
                         ORDER BY d.id DESC LIMIT 1) AS left_on
           FROM staff s ORDER BY s.staff"""
    )
