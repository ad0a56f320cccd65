"""The hazmat register (Z1-Z6): materials, their moves, draws and what closed them, anomalies.

Figures read the `live_*` views: a voided draw takes its returns, uses and lends with it, and a
voided count its anomaly. Listings read the tables themselves, voided rows included and marked.
"""

from __future__ import annotations

import sqlite3

from ..store import Ledger
from .rows import filters


def material(ledger: Ledger, name: str) -> sqlite3.Row | None:
    """A material by its name, whatever its case (the column collates NOCASE)."""
    return ledger.row("SELECT * FROM hazmat_materials WHERE name = ?", (name,))


def materials(ledger: Ledger) -> list[sqlite3.Row]:
    return ledger.rows("SELECT * FROM hazmat_materials ORDER BY name")


_MOVES = """SELECT * FROM (
              SELECT material, 'stock-in' AS kind, id, at, qty_milli AS delta FROM live_hazmat_stock_ins
              UNION ALL SELECT material, 'draw', id, at, -qty_milli FROM live_hazmat_draws
              UNION ALL SELECT d.material, 'return', r.id, r.at, r.qty_milli
                        FROM live_hazmat_returns r JOIN hazmat_draws d ON d.id = r.draw
            )"""


def moves(ledger: Ledger, material_id: int | None = None, since: str | None = None) -> list[sqlite3.Row]:
    """Every live change of stock, of one material or of all: (material, kind, id, at, delta in
    thousandths): + a stock-in or a return, - a draw. `since` (an ISO time with its offset):
    only the moves at that instant or later."""
    where, params = [], []
    if material_id is not None:
        where.append("material = ?")
        params.append(material_id)
    if since is not None:
        where.append("julianday(at) >= julianday(?)")
        params.append(since)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    return ledger.rows(f"{_MOVES} {clause} ORDER BY id", params)


def settled(ledger: Ledger, material_id: int, before: str) -> tuple[int, int, int | None]:
    """Of one material's live moves before the instant `before` (an ISO time with its offset),
    in time order (julianday reads each time's own offset) then in the order recorded: how
    many, their sum, and the lowest the running stock stood after any of them (None if none).
    Read as plain (julian day, id, delta) tuples and summed here: SQLite's window functions
    take three times as long on a few thousand moves."""
    moves = ledger.tuples(f"SELECT julianday(at), id, delta FROM ({_MOVES}) WHERE material = ? "
                          "AND julianday(at) < julianday(?)", (material_id, before))
    moves.sort()
    running, low = 0, None
    for _, _, delta in moves:
        running += delta
        if low is None or running < low:
            low = running
    return len(moves), running, low


_DRAWS = """SELECT d.*, m.name AS material_name, m.unit, v.id AS voided_by
            FROM hazmat_draws d JOIN hazmat_materials m ON m.id = d.material
            LEFT JOIN voids v ON v.target = d.id"""


def draw(ledger: Ledger, draw_id: int) -> sqlite3.Row | None:
    """One draw with its material's name and unit, and the void that cancels it (if any)."""
    return ledger.row(f"{_DRAWS} WHERE d.id = ?", (draw_id,))


def draws(ledger: Ledger, start: str | None = None, end: str | None = None,
          material_id: int | None = None) -> list[sqlite3.Row]:
    """Draws (voided ones included and marked) with start <= at < end when given, in time order."""
    clause, params = filters("d", start, end, material=material_id)
    return ledger.rows(f"{_DRAWS} {clause} ORDER BY d.at, d.id", params)


def closings(ledger: Ledger, draw_id: int | None = None) -> dict[str, list[sqlite3.Row]]:
    """The live returns, uses and lends of one draw or of all, each in the order recorded."""
    where = "" if draw_id is None else "WHERE draw = ?"
    params = () if draw_id is None else (draw_id,)
    return {table: ledger.rows(f"SELECT * FROM live_hazmat_{table} {where} ORDER BY id", params)
            for table in ("returns", "uses", "lends")}


def anomalies(ledger: Ledger, start: str | None, end: str | None) -> list[sqlite3.Row]:
    """Anomalies (voided ones included, with the void that cancels each or its count), in time order."""
    clause, params = filters("a", start, end)
    return ledger.rows(
        f"""SELECT a.*, m.name AS material_name, m.unit, coalesce(v.id, vc.id) AS voided_by
            FROM hazmat_anomalies a JOIN hazmat_materials m ON m.id = a.material
            LEFT JOIN voids v ON v.target = a.id LEFT JOIN voids vc ON vc.target = a.from_count
            {clause} ORDER BY a.at, a.id""",
        params,
    )
