"""The duty log (H5) and duty swaps (H6)."""

from __future__ import annotations

import sqlite3
from datetime import date

from ..store import Ledger
from .rows import filters


def duty_rows(ledger: Ledger, staff: str) -> list[sqlite3.Row]:
    """A person's live duty starts and ends, in time order."""
    return ledger.rows("SELECT id, kind, at FROM live_duties WHERE staff = ? ORDER BY at, id", (staff,))


def note(ledger: Ledger, note_id: int) -> sqlite3.Row | None:
    """One duty note, with the void that cancels it and its first live report."""
    return ledger.row(
        """SELECT n.*, (SELECT v.id FROM voids v WHERE v.target = n.id) AS voided_by,
                  (SELECT r.id FROM live_duty_reports r WHERE r.note = n.id ORDER BY r.id LIMIT 1) AS report_id
           FROM duty_notes n WHERE n.id = ?""", (note_id,))


def unreported(ledger: Ledger) -> list[sqlite3.Row]:
    """Live major incidents without a live written report, in time order (H5)."""
    return ledger.rows(
        """SELECT n.* FROM live_duty_notes n WHERE n.major = 1
           AND NOT EXISTS (SELECT 1 FROM live_duty_reports r WHERE r.note = n.id) ORDER BY n.at, n.id""")


def swaps_on(ledger: Ledger, staff: str, day: date) -> list[int]:
    """The ids of the live swaps by which `staff` leaves the post to a colleague on `day` (H6)."""
    return [r[0] for r in ledger.rows("SELECT id FROM live_duty_swaps WHERE staff = ? AND day = ? ORDER BY id",
                                      (staff, day.isoformat()))]


def log(ledger: Ledger, start: str | None, end: str | None, staff: str | None) -> dict[str, list[sqlite3.Row]]:
    """The duty log of a period (start <= at < end) or all of it, voided rows included and
    marked: duty starts and ends, notes with their report, reports, and swaps (by their day)."""
    out: dict[str, list[sqlite3.Row]] = {}
    clause, params = filters("d", start, end, staff=staff)
    out["duties"] = ledger.rows(
        f"""SELECT d.*, v.id AS voided_by FROM duties d LEFT JOIN voids v ON v.target = d.id
            {clause} ORDER BY d.at, d.id""", params)
    clause, params = filters("n", start, end, staff=staff)
    out["notes"] = ledger.rows(
        f"""SELECT n.*, v.id AS voided_by,
                   (SELECT r.id FROM live_duty_reports r WHERE r.note = n.id ORDER BY r.id LIMIT 1) AS report_id,
                   (SELECT r.at FROM live_duty_reports r WHERE r.note = n.id ORDER BY r.id LIMIT 1) AS report_at
            FROM duty_notes n LEFT JOIN voids v ON v.target = n.id {clause} ORDER BY n.at, n.id""", params)
    clause, params = filters("r", start, end, staff=staff)
    out["reports"] = ledger.rows(
        f"""SELECT r.*, v.id AS voided_by FROM duty_reports r LEFT JOIN voids v ON v.target = r.id
            {clause} ORDER BY r.at, r.id""", params)
    where, params = [], []
    if start is not None and end is not None:
        where.append("s.day >= ? AND s.day < ?")
        params += [start, end]
    if staff is not None:
        where.append("(s.staff = ? OR s.other = ?)")
        params += [staff, staff]
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    out["swaps"] = ledger.rows(
        f"""SELECT s.*, v.id AS voided_by FROM duty_swaps s LEFT JOIN voids v ON v.target = s.id
            {clause} ORDER BY s.day, s.id""", params)
    return out
