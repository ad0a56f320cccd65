"""The staff list and departures."""

from __future__ import annotations

import sqlite3

from ..store import Ledger


def changes(ledger: Ledger) -> list[sqlite3.Row]:
    """Every live staff change, in the order they take effect (their date, then their id)."""
    return ledger.rows("SELECT * FROM live_staff_changes ORDER BY from_date, id")


def changes_of(ledger: Ledger, staff: str) -> list[sqlite3.Row]:
    """One person's staff changes, voided ones included, in the order they take effect."""
    return ledger.rows(
        """SELECT c.*, v.id AS voided_by FROM staff_changes c LEFT JOIN voids v ON v.target = c.id
           WHERE c.staff = ? ORDER BY c.from_date, c.id""", (staff,))


def changes_in_force(ledger: Ledger, staff: str) -> list[sqlite3.Row]:
    """One person's live staff changes, in the order they take effect (their date, then their id)."""
    return ledger.rows("SELECT * FROM live_staff_changes WHERE staff = ? ORDER BY from_date, id", (staff,))


def staff_row(ledger: Ledger, staff: str) -> sqlite3.Row | None:
    """One staff record, as `staff_rows` gives it, or None."""
    return ledger.row(
        """SELECT s.*, (SELECT d.on_date FROM live_departures d WHERE d.staff = s.staff
                         ORDER BY d.id DESC LIMIT 1) AS left_on
           FROM staff s WHERE s.staff = ?""", (staff,))


def staff_rows(ledger: Ledger) -> list[sqlite3.Row]:
    """Every staff record with the day its latest live departure takes effect (left_on)."""
    return ledger.rows(
        """SELECT s.*, (SELECT d.on_date FROM live_departures d WHERE d.staff = s.staff
                         ORDER BY d.id DESC LIMIT 1) AS left_on
           FROM staff s ORDER BY s.staff"""
    )
