"""Shift handovers (H1-H4): handovers, their checklists, carried requests, answers and reviews.

A handover's day is the date of its `at`; a day's rows are those with day <= at < next day.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from ..store import Ledger

# A handover with what its state is read from: its first live acceptance and latest live
# refusal (rules/handover.py `state`), the void that cancels it, and the names of both people.
_HANDOVER = """
    SELECT h.*, substr(h.at, 1, 10) AS day, v.id AS voided_by,
           fs.name AS from_name, ts.name AS to_name,
           (SELECT a.id FROM live_handover_answers a WHERE a.handover = h.id AND a.answer = 'accepted'
             ORDER BY a.id LIMIT 1) AS accepted_id,
           (SELECT a.id FROM live_handover_answers a WHERE a.handover = h.id AND a.answer = 'refused'
             ORDER BY a.id DESC LIMIT 1) AS refused_id
    FROM handovers h LEFT JOIN voids v ON v.target = h.id
         LEFT JOIN staff fs ON fs.staff = h.from_staff LEFT JOIN staff ts ON ts.staff = h.to_staff
"""


def _span(day: date | str) -> tuple[str, str]:
    first = day if isinstance(day, date) else date.fromisoformat(day)
    return first.isoformat(), (first + timedelta(days=1)).isoformat()


def handover(ledger: Ledger, handover_id: int) -> sqlite3.Row | None:
    """One handover, voided or not, with its state's answers."""
    return ledger.row(_HANDOVER + " WHERE h.id = ?", (handover_id,))


def handovers(ledger: Ledger, day: date | None = None, *, live: bool = False) -> list[sqlite3.Row]:
    """Handovers in time order, of one day or all; voided ones too unless `live`."""
    where, params = [], []
    if day is not None:
        where.append("h.at >= ? AND h.at < ?")
        params += list(_span(day))
    if live:
        where.append("v.id IS NULL")
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    return ledger.rows(f"{_HANDOVER} {clause} ORDER BY h.at, h.id", params)


def live_of_shift(ledger: Ledger, day: date, shift: str) -> sqlite3.Row | None:
    """The live handover of a day and shift, if one is recorded."""
    return ledger.row("SELECT * FROM live_handovers WHERE at >= ? AND at < ? AND shift = ? ORDER BY id LIMIT 1",
                      (*_span(day), shift))


def accepted_handover(ledger: Ledger, day: date | str, shift: str) -> sqlite3.Row | None:
    """The live handover of `day` and `shift` that its incoming person accepted, with the
    acceptance (`accepted_id`, `accepted_at`), or None: whether the shift was handed over (K8:
    shift keys pass only through an accepted handover)."""
    return ledger.row(
        """SELECT h.*, a.id AS accepted_id, a.at AS accepted_at FROM live_handovers h
           JOIN live_handover_answers a ON a.handover = h.id AND a.answer = 'accepted'
           WHERE h.at >= ? AND h.at < ? AND h.shift = ? ORDER BY h.id, a.id LIMIT 1""",
        (*_span(day), shift))


def items(ledger: Ledger, handover_id: int) -> list[sqlite3.Row]:
    """A handover's checklist, in the order it was written (the policy's)."""
    return ledger.rows("SELECT * FROM handover_items WHERE handover = ? ORDER BY id", (handover_id,))


def answers(ledger: Ledger, handover_id: int) -> list[sqlite3.Row]:
    """Every answer to a handover, voided ones marked, in time order."""
    return ledger.rows(
        """SELECT a.*, v.id AS voided_by, s.name AS name FROM handover_answers a
           LEFT JOIN voids v ON v.target = a.id LEFT JOIN staff s ON s.staff = a.staff
           WHERE a.handover = ? ORDER BY a.at, a.id""", (handover_id,))


def requests(ledger: Ledger, handover_id: int | None = None, *, open_only: bool = False,
             day: date | None = None) -> list[sqlite3.Row]:
    """Carried requests (H4) of live handovers, with their live resolution if any: of one
    handover, of one day, or all; only those not resolved with `open_only`."""
    where, params = [], []
    if handover_id is not None:
        where.append("r.handover = ?")
        params.append(handover_id)
    if day is not None:
        where.append("h.at >= ? AND h.at < ?")
        params += list(_span(day))
    if open_only:
        where.append("x.id IS NULL")
    clause = (" AND " + " AND ".join(where)) if where else ""
    return ledger.rows(
        f"""SELECT r.*, substr(h.at, 1, 10) AS day, h.shift, h.from_staff, h.to_staff,
                   x.id AS resolved_id, x.at AS resolved_at, x.note AS resolution, x.recorded_by AS resolved_by
            FROM handover_requests r JOIN handovers h ON h.id = r.handover
            LEFT JOIN live_handover_resolutions x ON x.request = r.id
            WHERE h.id NOT IN (SELECT target FROM voids){clause} ORDER BY h.at, r.id""", params)


def request(ledger: Ledger, request_id: int) -> sqlite3.Row | None:
    """One carried request, with its handover's time and whether that handover is voided."""
    return ledger.row(
        """SELECT r.*, h.at AS handover_at, (SELECT v.id FROM voids v WHERE v.target = h.id) AS handover_voided,
                  (SELECT x.id FROM live_handover_resolutions x WHERE x.request = r.id ORDER BY x.id LIMIT 1)
                    AS resolved_id
           FROM handover_requests r JOIN handovers h ON h.id = r.handover WHERE r.id = ?""", (request_id,))


def review_of(ledger: Ledger, day: date) -> sqlite3.Row | None:
    """The live review (H3) of a day, if it was signed off."""
    return ledger.row("SELECT * FROM live_handover_reviews WHERE day = ? ORDER BY id LIMIT 1", (day.isoformat(),))


def reviews(ledger: Ledger) -> dict[str, sqlite3.Row]:
    """Every live review by the day it signs off."""
    out: dict[str, sqlite3.Row] = {}
    for r in ledger.rows("SELECT * FROM live_handover_reviews ORDER BY id"):
        out.setdefault(r["day"], r)
    return out
