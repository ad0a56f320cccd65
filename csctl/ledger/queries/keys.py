"""Keys (K1-K8): the register, what happened to each key, daily checks and stock-takes."""

from __future__ import annotations

import sqlite3

from ..store import Ledger


def registered(ledger: Ledger, code: str | None = None) -> list[sqlite3.Row]:
    """The key register (every key, or one), in the order the keys were registered."""
    if code is None:
        return ledger.rows("SELECT * FROM keys ORDER BY id")
    return ledger.rows("SELECT * FROM keys WHERE code = ?", (code,))


def registered_of(ledger: Ledger, codes: list[str], category: str) -> list[sqlite3.Row]:
    """The keys named, and every key of `category`, in the order they were registered."""
    marks = ", ".join("?" * len(codes)) or "NULL"
    return ledger.rows(f"SELECT * FROM keys WHERE code IN ({marks}) OR category = ? ORDER BY id", (*codes, category))


def live_events_of(ledger: Ledger, codes: list[str], category: str) -> list[sqlite3.Row]:
    """The live rows of key_events of the keys named and of every key of `category`, in the
    order they were recorded."""
    marks = ", ".join("?" * len(codes)) or "NULL"
    return ledger.rows(
        f"""SELECT * FROM live_key_events WHERE code IN ({marks})
              OR code IN (SELECT code FROM keys WHERE category = ?) ORDER BY id""", (*codes, category))


def codes(ledger: Ledger) -> list[str]:
    return [r[0] for r in ledger.rows("SELECT code FROM keys ORDER BY code")]


def live_events(ledger: Ledger, code: str | None = None) -> list[sqlite3.Row]:
    """The live rows of key_events (of every key, or one) in the order they were recorded."""
    if code is None:
        return ledger.rows("SELECT * FROM live_key_events ORDER BY id")
    return ledger.rows("SELECT * FROM live_key_events WHERE code = ? ORDER BY id", (code,))


def history(ledger: Ledger, code: str) -> list[sqlite3.Row]:
    """A key's rows, voided ones included with the void that cancels each, in the order recorded."""
    return ledger.rows(
        """SELECT e.*, v.id AS voided_by FROM key_events e LEFT JOIN voids v ON v.target = e.id
           WHERE e.code = ? ORDER BY e.id""", (code,))


def event(ledger: Ledger, row_id: int) -> sqlite3.Row | None:
    """One row of key_events, with the void that cancels it, if any."""
    return ledger.row("""SELECT e.*, v.id AS voided_by FROM key_events e LEFT JOIN voids v ON v.target = e.id
                         WHERE e.id = ?""", (row_id,))


def filed(ledger: Ledger, opening: int) -> int | None:
    """The live paperwork row filing an opening's application (K5 b), if any."""
    return ledger.value("SELECT id FROM live_key_events WHERE kind = 'paperwork' AND ref = ? ORDER BY id LIMIT 1",
                        (opening,))


def explained_on(ledger: Ledger, day: str) -> set[str]:
    """The keys with a cause recorded by a live check of that day (K7), the day as the check's
    time was given (its first ten characters)."""
    return {r[0] for r in ledger.rows(
        """SELECT e.code FROM live_key_events e JOIN live_key_checks c ON c.id = e.ref
           WHERE e.kind = 'cause' AND substr(c.at, 1, 10) = ?""", (day,))}


def audit_times(ledger: Ledger) -> list[str]:
    """When each live stock-take was taken."""
    return [r[0] for r in ledger.rows("SELECT at FROM live_key_audits ORDER BY id")]
