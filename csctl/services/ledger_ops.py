"""The ledger as a whole: init, void (L1), verify, backup."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from .. import parse
from ..parse import shown
from ..errors import InputError, LedgerError, RuleViolation, TamperedError
from .. import tables
from ..ledger import Ledger, fingerprint
from ..ledger.queries import imports as import_queries
from ..ledger.queries import rows as row_queries
from ..models import Month
from ..rules import authority
from ..tables import TABLES, Table
from . import Session, jsonable
from .staff import first_month_without


def init(s: Session) -> dict[str, Any]:
    return {"db": str(s.ledger.path), "migrations": row_queries.migration_names(s.ledger), "applied_now": list(s.ledger.applied)}


def _months_touched(s: Session, table: Table, row: Any) -> tuple[Month, Month | None, bool] | None:
    """The months a row counts in, as (first, before, onward): its own month, or from a month
    on (to before `before`); None for a table whose rows have no month (tables.py)."""
    if table.month == tables.AT:
        return Month.parse(row["at"][:7]), None, False
    if table.month == tables.MONTH:
        return Month.parse(row["month"]), None, False
    if table.month == tables.ONWARD:
        return first_month_without(date.fromisoformat(row[table.dated])), None, True
    if table.month == tables.POLICY:
        month = Month.parse(row["effective_from"])
        return month, s.next_policy_month(month, besides=row["id"]), True
    return None


def _refuse_if_closed(s: Session, table: Table, row: Any, what: str) -> None:
    """L2: voiding a row changes the months it counts in; none of them may be closed."""
    if table.month == tables.IMPORTED:
        for month in import_queries.import_rows(s.ledger, row)[0]:
            s.refuse_if_closed(Month.parse(month), what)
        return
    touched = _months_touched(s, table, row)
    if touched is not None:
        first, before, onward = touched
        s.refuse_if_closed(first, what, onward=onward, until=before)


def _subjects(s: Session, table: Table, row: Any) -> set[str]:
    """The staff a row is about: its subject columns, or for an import those of its rows."""
    found = {row[c] for c in table.subjects}
    if table.month == tables.IMPORTED:
        found |= set(import_queries.import_rows(s.ledger, row)[1])
    return found


def void(s: Session, row_id: int, reason: str) -> dict[str, Any]:
    """Cancel a row (L1): it stays in the ledger and the listings, and leaves every figure."""
    why = parse.text(reason, "reason")
    if not 1 <= row_id < 2**63:
        raise InputError("row", f"{shown(str(row_id))} is not a row id")
    with s.write(tables.write_rank("voids"), rule="L1", doing="voiding a row") as w:
        name = row_queries.table_of(s.ledger, row_id)
        if name is None:
            raise InputError("row", f"there is no row {row_id}")
        table = TABLES[name]
        if table.kept is not None:
            rule, message = table.kept
            raise RuleViolation(rule, f"row {row_id} is in {name}: {message}")
        earlier = row_queries.void_of(s.ledger, row_id)
        if earlier:
            raise RuleViolation("L1", f"row {row_id} was already voided by #{earlier['id']} ({earlier['reason']})")
        row = row_queries.recorded_row(s.ledger, name, row_id)
        s.check(authority.rank_at_least(w.me, table.void_rank, f"voiding a row of {name}", "L1"))
        for column in table.approvals:  # L6: and the rank of any approval the row carried
            approver = s.staff().get(row[column]) if row[column] else None
            if approver is not None:
                s.check(authority.rank_at_least(w.me, approver.rank, f"voiding a row approved by {approver.id}", "L1"))
        if w.me.id in _subjects(s, table, row):
            raise RuleViolation("L1", f"nobody voids a row about themselves; row {row_id} concerns {w.me.id}")
        _refuse_if_closed(s, table, row, f"voiding row {row_id}")
        out = w.append("voids", {"target": row_id, "reason": why})
    result = jsonable(out)
    result["table"] = name
    return result


def verify(s: Session, expect: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """L1: the whole ledger against its chain, and against fingerprints taken earlier."""
    for given in expect:
        if not (12 <= len(given) <= 64 and all(c in "0123456789abcdefABCDEF" for c in given)):
            raise InputError("expect", f"{shown(given)} is not a fingerprint (12 to 64 hex digits, as verify prints)")
    if s.ledger.newer:
        raise TamperedError(f"the ledger was written by a newer csctl ({s.ledger.newer}), or edited outside csctl "
                            "to look so; this csctl cannot check it: upgrade csctl and verify it again")
    result = s.ledger.verify(expect)
    if not result.ok:
        raise TamperedError(result.message)
    return {"ok": True, "links": result.links, "rows": result.rows, "db": str(s.ledger.path),
            "head_link": result.head[0] if result.head else None,
            "fingerprint": fingerprint(result.head[1]) if result.head else None, "expected": list(expect)}


def backup(s: Session, dest: str) -> dict[str, Any]:
    """A consistent copy of the ledger (SQLite's online backup), verified after writing."""
    target = Path(dest).expanduser()
    try:
        target.exists()
    except OSError as exc:
        raise InputError("dest", f"cannot use {shown(str(target))}: {exc.strerror}") from None
    if target.exists():
        raise InputError("dest", f"{target} already exists; choose a new file name")
    if not target.parent.is_dir():
        raise InputError("dest", f"the folder {target.parent} does not exist")
    try:
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as exc:
        raise InputError("dest", f"cannot create {target}: {exc.strerror}") from None
    try:
        s.ledger.backup(target)
    except LedgerError as exc:
        raise InputError("dest", f"could not write {target}: {exc.message.removeprefix('db: ')}") from None
    copy = Ledger.open(target, create=False)
    try:
        result = copy.verify()
    finally:
        copy.close()
    if not result.ok:
        raise TamperedError(f"the copy at {target} does not verify: {result.message}")
    return {"dest": str(target), "links": result.links, "rows": result.rows, "bytes": target.stat().st_size,
            "fingerprint": fingerprint(result.head[1]) if result.head else None}
