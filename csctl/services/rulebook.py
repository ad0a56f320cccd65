"""The rules by id, each with the policy values it reads in a month (`csctl rules`).

The texts are csctl/rulebook.py's; the values and who set them are `policy show`'s (the
version in force in the month, from the ledger). With no ledger at the per-user default
path and none asked for, the shipped defaults stand in: a supervisor asking what D5 says on
a machine that has no ledger yet gets the rule, not a refusal.
"""

from __future__ import annotations

from ..i18n import _

import difflib
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import parse, rulebook
from ..errors import InputError
from ..models import Month
from ..policy import load_cached
from . import ENV_DB, Session, default_db_path
from .policies import _flatten, _shown_value, show


def missing_default_ledger(db: str | None) -> Path | None:
    """The per-user ledger's path when no ledger was asked for (no --db, no $CSCTL_DB) and
    there is none there yet; None otherwise. A ledger that was asked for by name and is
    missing is refused as every reading command refuses it."""
    if db is not None or os.environ.get(ENV_DB):
        return None
    path = default_db_path()
    return None if path.exists() else path


def rule(rule_id: str) -> rulebook.Rule:
    """The rule of an id, any case; an unknown id is bad input with the nearest ids."""
    found = rulebook.find(rule_id)
    if found is not None:
        return found
    wanted = rule_id.strip().upper()
    ids = [r.id for r in rulebook.RULES]
    same = [i for i in ids if i[:1] == wanted[:1]]  # o4 means an O rule before a P4
    near = (difflib.get_close_matches(wanted, same, n=2, cutoff=0.5)
            or difflib.get_close_matches(wanted, ids, n=2, cutoff=0.5))
    hint = _("; did you mean {ids}?").format(ids=_(" or ").join(near)) if near else "."
    raise InputError("rule", _("{rule_id} is not a rule id{hint} Rule ids: {ids}").format(rule_id=parse.shown(rule_id), hint=hint, ids=' '.join(ids)))


def in_force(s: Session | None, month_text: str | None) -> dict[str, Any]:
    """The policy in force in a month (default: this month): version, and each key's value
    and source, as `policy show` gives them; the shipped defaults when there is no ledger."""
    if s is not None:
        data = show(s, month_text)
        return {k: data[k] for k in ("month", "version", "effective_from", "keys")}
    today = datetime.now().astimezone().date()
    month = parse.month(month_text) if month_text is not None else Month.of(today)
    keys = [{"key": k, "value": _shown_value(v), "source": "default"} for k, v in _flatten(load_cached(None).data)]
    return {"month": str(month), "version": None, "effective_from": None, "keys": keys}


def _entry(r: rulebook.Rule, policy: dict[str, Any]) -> dict[str, Any]:
    values = {k["key"]: k["value"] for k in policy["keys"]}
    by_key = {k["key"]: k for k in policy["keys"]}
    return {
        "id": r.id,
        "title": r.title,
        "group": rulebook.group_of(r).title,
        "enforced": r.enforced,
        "text": rulebook.fill(r.text, values),
        "keys": [by_key[k] for k in rulebook.keys_of(r, list(values))],
    }


def explain(s: Session | None, rule_id: str, month_text: str | None = None) -> dict[str, Any]:
    """One rule: its text with the values in force, and each key it reads with its source."""
    r = rule(rule_id)
    policy = in_force(s, month_text)
    return {**_entry(r, policy), "month": policy["month"], "version": policy["version"],
            "effective_from": policy["effective_from"]}


def listing(s: Session | None, month_text: str | None = None) -> dict[str, Any]:
    """Every rule, with its title and the values it reads in the month."""
    policy = in_force(s, month_text)
    rules = []
    for r in rulebook.RULES:
        entry = _entry(r, policy)
        shown = [f"{_short(k['key'])} {rulebook.shown(k['value'])}" for k in entry["keys"]]
        extra = len(shown) - LISTED
        entry["values"] = "; ".join(shown[:LISTED]) + (f"; and {extra} more" if extra > 0 else "")
        rules.append(entry)
    return {"month": policy["month"], "version": policy["version"], "effective_from": policy["effective_from"],
            "rules": rules}


LISTED = 4  # values a rule shows in the listing; `csctl rules ID` shows them all


def _short(key: str) -> str:
    """A key as the listing names it: without its table where the rule's group makes it plain."""
    head, _sep, rest = key.partition(".")
    return rest if head in ("discipline", "outcomes", "pay") and rest else key
