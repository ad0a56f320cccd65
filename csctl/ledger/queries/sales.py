"""Sales (C1) and special commission (C5)."""

from __future__ import annotations

import sqlite3

from ..store import Ledger
from .rows import filters


def sales_listing(ledger: Ledger, start: str | None, end: str | None, staff: str | None,
                  limit: int | None) -> tuple[list[sqlite3.Row], int]:
    """Sales, voided ones included with the void that cancels each (or its import), and how many match."""
    clause, params = filters("x", start, end, staff=staff)
    total = ledger.value(f"SELECT count(*) FROM sales x {clause}", params)
    rows = ledger.rows(
        f"""SELECT x.*, coalesce(v.id, vi.id) AS voided_by FROM sales x
            LEFT JOIN voids v ON v.target = x.id LEFT JOIN voids vi ON vi.target = x.import
            {clause} ORDER BY x.at, x.id LIMIT ?""",
        [*params, limit if limit else -1],
    )
    return rows, total


def sales_totals(ledger: Ledger, start: str, end: str) -> dict[str, tuple[int, int]]:
    """Each seller's live (cents, orders) with start <= at < end."""
    return {
        r[0]: (r[1], r[2])
        for r in ledger.rows(
            "SELECT staff, sum(amount_cents), sum(orders) FROM live_sales WHERE at >= ? AND at < ? GROUP BY staff",
            (start, end),
        )
    }


def bonus_totals(ledger: Ledger, start: str, end: str) -> dict[str, int]:
    """Each person's live special commission (cents) with start <= at < end."""
    return {
        r[0]: r[1]
        for r in ledger.rows(
            "SELECT staff, sum(amount_cents) FROM live_bonuses WHERE at >= ? AND at < ? GROUP BY staff",
            (start, end),
        )
    }


# Seven digits, anywhere in the text: the least a masked phone number holds (sealing.mask_phone).
_SEVEN_DIGITS = "*" + "[0-9]*" * 7


def sealed_by_key(ledger: Ledger) -> dict[str, int]:
    """How many sales hold a sealed customer, by the key id each names (sealing.py's format).

    A ledger's rows are most often sealed with one key: one pass finds its first and last id
    and the count, which is the answer when the two are one; grouping a million rows by key
    (a sort) takes five times as long, and is done only when there are several keys."""
    key = "substr(customer_sealed, 3, 8)"
    low, high, count = ledger.rows(f"SELECT min({key}), max({key}), count(*) FROM sales "
                                   "WHERE customer_sealed IS NOT NULL")[0]
    if low == high:
        return {low: count} if count else {}
    return {r[0]: r[1] for r in ledger.rows(
        f"SELECT {key}, count(*) FROM sales WHERE customer_sealed IS NOT NULL GROUP BY 1")}


def unsealed_customers(ledger: Ledger) -> list[str]:
    """The customers of sales stored without a sealed copy that hold seven digits or more:
    those that may show a phone number in clear (the caller masks them to be sure)."""
    return [r[0] for r in ledger.rows("SELECT customer FROM sales WHERE customer_sealed IS NULL AND customer GLOB ?",
                                      (_SEVEN_DIGITS,))]
