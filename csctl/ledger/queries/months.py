"""Month closes and reopens (L2), policy versions, the month's costs (C7)."""

from __future__ import annotations

import sqlite3

from ..store import Ledger


def closed_months(ledger: Ledger) -> dict[str, int]:
    """Closed months and the id of the close in force: a close not followed by a reopen (L2)."""
    closes = {r[0]: r[1] for r in ledger.rows("SELECT month, max(id) FROM closes GROUP BY month")}
    reopens = {r[0]: r[1] for r in ledger.rows("SELECT month, max(id) FROM reopens GROUP BY month")}
    return {m: cid for m, cid in closes.items() if cid > reopens.get(m, 0)}


def closes_of(ledger: Ledger, month: str) -> list[sqlite3.Row]:
    """Every close of a month, the earliest first, without its snapshot text."""
    return ledger.rows("""SELECT id, month, policy_version, policy_digest, chain_head, recorded_by, recorded_os,
                          recorded_at FROM closes WHERE month = ? ORDER BY id""", (month,))


def reopens_of(ledger: Ledger, month: str) -> list[sqlite3.Row]:
    """Every reopen of a month, the earliest first."""
    return ledger.rows("SELECT * FROM reopens WHERE month = ? ORDER BY id", (month,))


def months_with_closes(ledger: Ledger) -> list[sqlite3.Row]:
    """Every month that was ever closed."""
    return ledger.rows("SELECT DISTINCT month FROM closes ORDER BY month")


def first_month_with_rows(ledger: Ledger) -> str | None:
    """The earliest month of any live event or sale, YYYY-MM."""
    return ledger.value("""SELECT min(m) FROM (SELECT min(substr(at, 1, 7)) AS m FROM live_events
                           UNION ALL SELECT min(substr(at, 1, 7)) FROM live_sales)""")


def close_row(ledger: Ledger, close_id: int) -> sqlite3.Row:
    return ledger.row("SELECT * FROM closes WHERE id = ?", (close_id,))  # type: ignore[return-value]


def policy_in_force(ledger: Ledger, month: str) -> sqlite3.Row | None:
    """The latest live policy version in force from `month` or before."""
    return ledger.row(
        """SELECT * FROM live_policies WHERE effective_from <= ?
           ORDER BY effective_from DESC, id DESC LIMIT 1""",
        (month,),
    )


def next_policy_from(ledger: Ledger, month: str, besides: int | None = None) -> str | None:
    """The earliest month after `month` from which another live policy version is in force."""
    return ledger.value(
        "SELECT min(effective_from) FROM live_policies WHERE effective_from > ? AND id IS NOT ?",
        (month, besides),
    )


def costs_of(ledger: Ledger, month: str) -> sqlite3.Row | None:
    """The month's costs in force: its latest live costs row (C7)."""
    return ledger.row("SELECT * FROM live_costs WHERE month = ? ORDER BY id DESC LIMIT 1", (month,))
