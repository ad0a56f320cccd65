"""The ledger as a whole: init, void (L1), verify, backup."""

from __future__ import annotations

from ..i18n import _

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
        raise InputError("row", _("{row_id} is not a row id").format(row_id=shown(str(row_id))))
    with s.write(tables.write_rank("voids"), rule="L1", doing=_("voiding a row")) as w:
        name = row_queries.table_of(s.ledger, row_id)
        if name is None:
            raise InputError("row", _("there is no row {row_id}").format(row_id=row_id))
        table = TABLES[name]
        if table.kept is not None:
            rule, message = table.kept
            raise RuleViolation(rule, _("row {row_id} is in {name}: {message}").format(row_id=row_id, name=name, message=message))
        earlier = row_queries.void_of(s.ledger, row_id)
        if earlier:
            raise RuleViolation("L1", _("row {row_id} was already voided by #{id} ({reason})").format(row_id=row_id, id=earlier['id'], reason=earlier['reason']))
        row = row_queries.recorded_row(s.ledger, name, row_id)
        s.check(authority.rank_at_least(w.me, table.void_rank, _("voiding a row of {table}").format(table=name), "L1"))
        for column in table.approvals:  # L6: and the rank of any approval the row carried
            approver = s.staff().get(row[column]) if row[column] else None
            if approver is not None:
                s.check(authority.rank_at_least(w.me, approver.rank, _("voiding a row approved by {id}").format(id=approver.id), "L1"))
        if w.me.id in _subjects(s, table, row):
            raise RuleViolation("L1", _("nobody voids a row about themselves; row {row_id} concerns {id}").format(row_id=row_id, id=w.me.id))
        _refuse_if_closed(s, table, row, _("voiding row {row_id}").format(row_id=row_id))
        if table.guard is not None:  # a noun's own check (tables.py), imported only here
            import importlib

            importlib.import_module(f"{__package__}.{table.guard}").check_void(s, name, row)
        out = w.append("voids", {"target": row_id, "reason": why})
    result = jsonable(out)
    result["table"] = name
    return result


def verify(s: Session, expect: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """L1: the whole ledger against its chain, against fingerprints taken earlier, and against
    every witness of its head that can be read (ledger/witness.py)."""
    for given in expect:
        if not (12 <= len(given) <= 64 and all(c in "0123456789abcdefABCDEF" for c in given)):
            raise InputError("expect", _("{given} is not a fingerprint (12 to 64 hex digits, as verify prints)").format(given=shown(given)))
    if s.ledger.newer:
        raise TamperedError(_("the ledger was written by a newer csctl ({newer}), or edited outside csctl to look so; this csctl cannot check it: upgrade csctl and verify it again").format(newer=s.ledger.newer))
    result = s.ledger.verify(expect)
    if not result.ok:
        raise TamperedError(result.message)
    seen, notes = check_witnesses(s.ledger)
    from . import privacy

    return {"ok": True, "links": result.links, "rows": result.rows, "db": str(s.ledger.path),
            "head_link": result.head[0] if result.head else None,
            "fingerprint": fingerprint(result.head[1]) if result.head else None, "expected": list(expect),
            "witnesses": seen, "witness_notes": notes, "customers": privacy.summary(s)}


def witnesses_of(ledger: Ledger) -> list[Path]:
    """Where the witnesses of a ledger are looked for: the per-user one, the one beside the file
    (a backup's), and one in every folder any stored policy version named (`witness.path`)."""
    from ..ledger import witness
    from ..policy import parse_text

    found = [witness.default_path(ledger.path), witness.beside(ledger.path)]
    for text in row_queries.policy_texts(ledger):
        try:
            folder = parse_text(text).get("witness", {}).get("path")
        except (InputError, AttributeError):
            continue
        if isinstance(folder, str) and folder:
            found.append(witness.in_folder(Path(folder).expanduser(), ledger.path))
    return list(dict.fromkeys(found))


def check_witnesses(ledger: Ledger) -> tuple[list[dict[str, Any]], list[str]]:
    """Check the ledger's links against every witness of it that can be read; raises
    TamperedError naming the last witnessed link it lacks. Returns what each witness held, and
    notes on those that could not be read, or that none was found."""
    from ..ledger import witness

    links = row_queries.links(ledger)
    seen: list[dict[str, Any]] = []
    notes: list[str] = []
    for path in witnesses_of(ledger):
        try:
            records, torn = witness.read(path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            notes.append(f"cannot read the witness at {path} ({exc.strerror or exc})")
            continue
        problem = witness.check(links, records, path)
        if problem:
            raise TamperedError(problem)
        seen.append({"path": str(path), "heads": len(records),
                     "last_link": max((r.link for r in records), default=None), "unreadable_lines": torn})
    if not seen and not notes:
        notes.append(f"no witness of this ledger was found (its own would be {witness.default_path(ledger.path)}): the "
                     "chain alone cannot show a cut at the end or a consistent rewrite")
    return seen, notes


def backup(s: Session, dest: str) -> dict[str, Any]:
    """A consistent copy of the ledger (SQLite's online backup), verified after writing, and
    beside it DEST.witness: the heads the ledger's witnesses recorded, up to the copy's. The key
    that seals customers' phone numbers is not copied (services/privacy.py): the result says
    where it is."""
    from ..ledger import witness

    target = Path(dest).expanduser()
    try:
        target.exists()
    except OSError as exc:
        raise InputError("dest", _("cannot use {target}: {strerror}").format(target=shown(str(target)), strerror=exc.strerror)) from None
    if target.exists():
        raise InputError("dest", _("{target} already exists; choose a new file name").format(target=target))
    if not target.parent.is_dir():
        raise InputError("dest", _("the folder {parent} does not exist").format(parent=target.parent))
    kept = witness.beside(target)
    if kept.exists():
        raise InputError("dest", _("{kept} already exists (the witness a backup leaves beside its copy); choose a new file name").format(kept=kept))
    try:
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as exc:
        raise InputError("dest", _("cannot create {target}: {strerror}").format(target=target, strerror=exc.strerror)) from None
    try:
        s.ledger.backup(target)
    except LedgerError as exc:
        raise InputError("dest", _("could not write {target}: {removeprefix}").format(target=target, removeprefix=exc.message.removeprefix('db: '))) from None
    copy = Ledger.open(target, create=False)
    try:
        result = copy.verify()
        if not result.ok:
            raise TamperedError(_("the copy at {target} does not verify: {message}").format(target=target, message=result.message))
        heads = _copy_witnesses(s.ledger, copy, kept)
    finally:
        copy.close()
    from . import privacy

    return {"dest": str(target), "links": result.links, "rows": result.rows, "bytes": target.stat().st_size,
            "fingerprint": fingerprint(result.head[1]) if result.head else None,
            "witness": str(kept) if heads else None, "witness_heads": heads, "customers": privacy.summary(s)}


def _copy_witnesses(source: Ledger, copy: Ledger, kept: Path) -> int:
    """Write beside the copy every head its source's witnesses recorded up to the copy's head
    (a write after the copy was taken is not in it), once each; they must agree with the copy.
    Returns how many were written."""
    from ..ledger import witness

    links = row_queries.links(copy)
    top = max(links, default=0)
    heads: dict[int, witness.Record] = {}
    for path in witnesses_of(source):
        try:
            records = [r for r in witness.read(path)[0] if r.link <= top]
        except OSError:
            continue
        problem = witness.check(links, records, path)
        if problem:
            raise TamperedError(_("the copy at {path} {removeprefix}").format(path=copy.path, removeprefix=problem.removeprefix('the ledger ')))
        heads.update((r.link, r) for r in records)
    if heads:
        data = b"".join(witness.line(*heads[link]) for link in sorted(heads))
        try:
            witness.append(kept, data, copy.path)
        except OSError as exc:
            raise InputError("dest", _("could not write {kept}: {value}").format(kept=kept, value=exc.strerror or exc)) from None
    return len(heads)
