"""Levels and promotion (P1-P6): level histories, quarterly grades, titles, probation reviews."""

from __future__ import annotations

import sqlite3

from ..store import Ledger

_HISTORY = """SELECT * FROM (
    SELECT s.staff, s.hired AS from_date, s.level, s.id, NULL AS reason, NULL AS approved_by, NULL AS voided_by,
           0 AS change FROM staff s WHERE s.level IS NOT NULL
    UNION ALL
    SELECT c.staff, c.from_date, c.level, c.id, c.reason, c.approved_by, v.id AS voided_by, 1 AS change
    FROM staff_changes c LEFT JOIN voids v ON v.target = c.id WHERE c.level IS NOT NULL)"""


def level_history(ledger: Ledger, staff: str | None = None, *, live: bool = True) -> list[sqlite3.Row]:
    """P1: each person's dated levels: the level on the staff record, from the hire date (or
    from the start), then every level change, in the order they take effect; voided changes
    only when not `live`."""
    where = [] if staff is None else ["staff = :staff"]
    if live:
        where.append("voided_by IS NULL")
    sql = _HISTORY + (" WHERE " + " AND ".join(where) if where else "")
    return ledger.rows(sql + " ORDER BY staff, change, from_date, id", {"staff": staff})


def rows_of(ledger: Ledger, table: str, staff: str | None = None, *, live: bool = True) -> list[sqlite3.Row]:
    """The grades, titles or probation reviews of one person (or of everyone), with the void
    of each; voided ones only when not `live`."""
    if table not in ("grades", "titles", "probation_reviews"):
        raise ValueError(table)
    order = "quarter, id" if table == "grades" else "on_date, id"
    where = [] if staff is None else ["t.staff = :staff"]
    if live:
        where.append("v.id IS NULL")
    sql = f"SELECT t.*, v.id AS voided_by FROM {table} t LEFT JOIN voids v ON v.target = t.id"
    return ledger.rows(sql + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY t.staff, {order}",
                       {"staff": staff})


def grade_of(ledger: Ledger, staff: str, quarter: str) -> sqlite3.Row | None:
    """The live grade of a person's quarter, if one is recorded."""
    return ledger.row("SELECT * FROM live_grades WHERE staff = ? AND quarter = ? ORDER BY id DESC LIMIT 1",
                      (staff, quarter))


def title_on(ledger: Ledger, staff: str, day: str) -> sqlite3.Row | None:
    return ledger.row("SELECT * FROM live_titles WHERE staff = ? AND on_date = ? LIMIT 1", (staff, day))
