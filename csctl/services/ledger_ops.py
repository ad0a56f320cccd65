"""The ledger as a whole: init, void (L1), verify, backup."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from .. import parse
from ..parse import shown
from ..errors import InputError, LedgerError, RuleViolation, TamperedError
from ..ledger import Ledger
from ..models import Month
from . import Session, jsonable
from .staff import first_month_without


def init(s: Session) -> dict[str, Any]:
    return {"db": str(s.ledger.path), "migrations": s.ledger.migration_names(), "applied_now": list(s.ledger.applied)}


# Tables whose rows a void may cancel, and who may void them.
VOID_RANK = {
    "events": "shift_lead",
    "departures": "supervisor",
    "sales": "shift_lead",
    "bonuses": "supervisor",
    "costs": "supervisor",
    "imports": "shift_lead",
    "policies": "manager",
}
NOT_VOIDABLE = {
    "staff": ("L1", "a staff record is never removed; mark a leaver with `csctl staff leave`"),
    "closes": ("L2", "a month close is undone with `csctl month reopen`"),
    "reopens": ("L2", "a reopen is undone by closing the month again"),
    "voids": ("L1", "a void cannot itself be voided; record the row again instead"),
    "reveals": ("L1", "the record of a look at personal data is kept"),
}


def _refuse_if_closed(s: Session, table: str, row: Any, what: str) -> None:
    """L2: voiding a row changes the months it counts in; none of them may be closed."""
    if table in ("events", "sales", "bonuses"):
        s.refuse_if_closed(Month.parse(row["at"][:7]), what)
    elif table == "costs":
        s.refuse_if_closed(Month.parse(row["month"]), what)
    elif table == "imports":
        for month in s.ledger.import_rows(row)[0]:
            s.refuse_if_closed(Month.parse(month), what)
    elif table == "departures":
        left = date.fromisoformat(row["on_date"])
        s.refuse_if_closed(first_month_without(left), what, onward=True)
    elif table == "policies":
        month = Month.parse(row["effective_from"])
        s.refuse_if_closed(month, what, onward=True, until=s.next_policy_month(month, besides=row["id"]))


def void(s: Session, row_id: int, reason: str) -> dict[str, Any]:
    """Cancel a row (L1): it stays in the ledger and the listings, and leaves every figure."""
    why = parse.text(reason, "reason")
    if not 1 <= row_id < 2**63:
        raise InputError("row", f"{shown(str(row_id))} is not a row id")
    with s.transaction() as w:
        me = s.recorder()
        table = s.ledger.table_of(row_id)
        if table is None:
            raise InputError("row", f"there is no row {row_id}")
        if table in NOT_VOIDABLE:
            rule, message = NOT_VOIDABLE[table]
            raise RuleViolation(rule, f"row {row_id} is in {table}: {message}")
        earlier = s.ledger.void_of(row_id)
        if earlier:
            raise RuleViolation("L1", f"row {row_id} was already voided by #{earlier['id']} ({earlier['reason']})")
        row = s.ledger.recorded_row(table, row_id)
        s.require_rank(me, VOID_RANK[table], "L1", f"voiding a row of {table}")
        subjects = set()
        if table in ("events", "sales", "bonuses"):
            subjects.add(row["staff"])
        if table == "imports":
            subjects |= set(s.ledger.import_rows(row)[1])
        if me.id in subjects:
            raise RuleViolation("L1", f"nobody voids a row about themselves; row {row_id} concerns {me.id}")
        _refuse_if_closed(s, table, row, f"voiding row {row_id}")
        out = w.append("voids", {"target": row_id, "reason": why})
    result = jsonable(out)
    result["table"] = table
    return result


def verify(s: Session, expect: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """L1: the whole ledger against its chain, and against fingerprints taken earlier."""
    for fingerprint in expect:
        if not (12 <= len(fingerprint) <= 64 and all(c in "0123456789abcdefABCDEF" for c in fingerprint)):
            raise InputError("expect", f"{shown(fingerprint)} is not a fingerprint (12 to 64 hex digits, as verify prints)")
    result = s.ledger.verify(expect)
    if not result.ok:
        raise TamperedError(result.message)
    return {"ok": True, "links": result.links, "rows": result.rows, "db": str(s.ledger.path),
            "head_link": result.head[0] if result.head else None,
            "fingerprint": result.head[1] if result.head else None, "expected": list(expect)}


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
    copy = Ledger.open(target)
    try:
        result = copy.verify()
    finally:
        copy.close()
    if not result.ok:
        raise TamperedError(f"the copy at {target} does not verify: {result.message}")
    return {"dest": str(target), "links": result.links, "rows": result.rows, "bytes": target.stat().st_size,
            "fingerprint": result.head[1] if result.head else None}
