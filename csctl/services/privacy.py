"""Customers' phone numbers at rest (C1; csctl/sealing.py): the key that seals them, finding
the keys that unseal them, and what the ledger holds sealed and in clear."""

from __future__ import annotations

from ..i18n import _

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import sealing
from ..errors import InputError, TamperedError
from ..ledger.queries import rows as row_queries
from ..ledger.queries import sales as sales_queries
from ..models import Month
from . import Session


def key_path(s: Session) -> tuple[Path, bool]:
    """The key file new rows are sealed with, and whether it is the per-user one (whose folder
    csctl may create): the policy's privacy.key_file, else the per-user keys folder's."""
    named = s.policy_for(Month.of(s.today))[1].key_file
    if named:
        return Path(named).expanduser(), False
    return sealing.default_key_path(s.ledger.path), True


def sealer(s: Session) -> sealing.Sealer | None:
    """What seals new rows' phone numbers, or None when the policy in force seals nothing."""
    secret = seal_key(s)
    return None if secret is None else sealing.Sealer(secret)


def seal_key(s: Session) -> bytes | None:
    """The key that seals new rows, created owner-only on first need; None when the policy in
    force keeps customers as typed (privacy.seal_phones = false)."""
    if not s.policy_for(Month.of(s.today))[1].seal_phones:
        return None
    path, own = key_path(s)
    secret = sealing.read_key(path)
    return secret if secret is not None else sealing.create_key(path, s.ledger.path, make_folder=own)


def named_key_files(s: Session) -> list[Path]:
    """Every key file a policy version ever named (voided or not), besides the one in force."""
    from ..policy import parse_text

    found: list[Path] = []
    for text in row_queries.policy_texts(s.ledger):
        try:
            named = parse_text(text).get("privacy", {}).get("key_file")
        except (InputError, AttributeError):
            continue
        if isinstance(named, str) and named:
            found.append(Path(named).expanduser())
    return found


def where_keys_are_looked_for(s: Session) -> list[Path]:
    return sealing.key_files([key_path(s)[0], *named_key_files(s)])


def find_keys(s: Session, ids: Iterable[str]) -> dict[str, tuple[bytes, Path]]:
    """Each key id wanted that a key file here holds: its key and the file."""
    wanted = set(ids)
    found: dict[str, tuple[bytes, Path]] = {}
    for path in where_keys_are_looked_for(s):
        if not wanted - found.keys():
            break
        try:
            secret = sealing.read_key(path)
        except InputError:
            continue  # not a key: another file may hold it
        if secret is not None and sealing.key_id(secret) in wanted:
            found.setdefault(sealing.key_id(secret), (secret, path))
    return found


def unseal(s: Session, rows: Iterable[Any]) -> dict[int, str]:
    """The full customer text of each row given that holds a sealed one, by row id. Refuses, with
    nothing revealed, when a key is missing (exit 2, saying where it was looked for) or a sealed
    value does not open with its key (exit 1: it was altered)."""
    sealed = {r["id"]: r["customer_sealed"] for r in rows if r["customer_sealed"] is not None}
    if not sealed:
        return {}
    ids = {sealing.id_of(v) for v in sealed.values()}
    keys = find_keys(s, ids)
    missing = sorted(ids - keys.keys())
    if missing:
        count = sum(1 for v in sealed.values() if sealing.id_of(v) in missing)
        own = key_path(s)[0]
        looked = [str(own), *(str(p) for p in named_key_files(s) if p != own), f"{sealing.keys_folder()}/*.key"]
        raise InputError("key", _("{count} customer(s) are sealed with key {missing}, which is not here: looked in {looked}; copy that key file there from the machine that sealed them (`csctl verify` names it there) and try again; nothing was revealed").format(count=count, missing=', '.join(missing), looked=', '.join(dict.fromkeys(looked))))
    sealers = {kid: sealing.Sealer(secret) for kid, (secret, _) in keys.items()}
    out: dict[int, str] = {}
    for row_id, value in sealed.items():
        try:
            out[row_id] = sealers[sealing.id_of(value)].unseal(value)
        except ValueError as exc:
            raise TamperedError(_("row {row_id} in sales: its sealed customer {exc}; run `csctl verify`").format(row_id=row_id, exc=exc)) from None
    return out


def summary(s: Session) -> dict[str, Any]:
    """What the ledger holds of customers' phone numbers: how many are sealed, with which keys
    and where each is found here (None: not on this machine), and how many rows hold one in
    clear (written before csctl sealed them, or while the policy said not to)."""
    by_key = sales_queries.sealed_by_key(s.ledger)
    found = find_keys(s, by_key) if by_key else {}
    clear = sum(1 for text in sales_queries.unsealed_customers(s.ledger) if sealing.mask_phone(text) != text)
    path, _ = key_path(s)
    return {"sealed": sum(by_key.values()), "clear": clear,
            "keys": [{"id": kid, "rows": n, "path": str(found[kid][1]) if kid in found else None,
                      "shared": kid in found and _readable_by_others(found[kid][1])}
                     for kid, n in sorted(by_key.items())],
            "key_file": str(path)}


def _readable_by_others(path: Path) -> bool:
    """A key file whose mode lets another account read it (csctl makes it 0600)."""
    try:
        return bool(path.stat().st_mode & 0o077)
    except OSError:
        return False
