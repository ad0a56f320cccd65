"""Policy versions: show the one in force, store a new one from a month on."""

from __future__ import annotations

from ..i18n import _

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import parse, tables
from ..errors import InputError
from ..ledger.queries import rows as row_queries
from ..models import DEPARTMENTS, Month
from ..policy import load, parse_text
from . import Session, jsonable, number


def _flatten(tree: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out += _flatten(value, path + ".")
        elif not isinstance(value, dict):
            out.append((path, value))
    return out


def show(s: Session, month_text: str | None = None) -> dict[str, Any]:
    month = parse.month(month_text) if month_text is not None else Month.of(s.today)
    version, policy = s.policy_for(month)
    overridden: set[str] = set()
    effective_from = None
    if version is not None:
        row = row_queries.recorded_row(s.ledger, "policies", version)
        overridden = {k for k, _ in _flatten(parse_text(row["body"]))}
        effective_from = row["effective_from"]
    keys = [
        {"key": k, "value": _shown_value(v), "source": f"version {version}" if k in overridden else "default"}
        for k, v in _flatten(policy.data)
    ]
    unset = [d for d in DEPARTMENTS if d not in policy.departments]
    return {
        "month": str(month),
        "version": version,
        "effective_from": effective_from,
        "digest": policy.digest,
        "keys": keys,
        "departments_not_set": unset,
        "policy": _shown_value(policy.data),
    }


def _shown_value(value: Any) -> Any:
    """Policy values as JSON shows them: exact decimals as numbers (0.5), the rest as they are."""
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, list):
        return [_shown_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _shown_value(v) for k, v in value.items()}
    return value


def read_file(file: str) -> str:
    path = Path(file).expanduser()
    try:
        if not path.is_file():
            raise InputError("file", _("{path} does not exist").format(path=path) if not path.exists() else _("{path} is not a file").format(path=path))
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file", _("{path} does not exist").format(path=path)) from None
    except UnicodeDecodeError:
        raise InputError("file", _("{path} is not UTF-8 text").format(path=path)) from None
    except OSError as exc:
        raise InputError("file", _("cannot read {path}: {strerror}").format(path=path, strerror=exc.strerror)) from None


def set_version(s: Session, text: str, from_month: str) -> dict[str, Any]:
    """Store a policy text as a new version in force from a month on; refused if malformed."""
    month = parse.month(from_month, "from")
    policy = load(text)  # refuses naming the key that is wrong
    with s.write(tables.write_rank("policies"), doing=_("setting the policy")) as w:
        # A version reaches from its month to the next version's: no closed month may lie in it.
        s.refuse_if_closed(month, _("a policy in force from {month}").format(month=month), onward=True, until=s.next_policy_month(month))
        row = w.append("policies", {"effective_from": str(month), "body": text,
                                    "digest": hashlib.sha256(text.encode()).hexdigest()})
    out = jsonable(row)
    out["effective_digest"] = policy.digest
    return out
