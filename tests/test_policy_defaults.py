"""default_policy.json is default_policy.toml's tree, exactly: every command reads the JSON
(no TOML parser at start-up), people read and edit the TOML.

After editing default_policy.toml, `CSCTL_UPDATE_GOLDEN=1 pytest tests/test_policy_defaults.py`
rewrites the JSON.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from csctl import policy

JSON_FILE = Path(policy.__file__).with_name("default_policy.json")


def typed(value):
    """A tree with each leaf's type beside it: Decimal("2") and 2 compare equal, but differ here."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, str(value))


def test_the_json_twin_is_the_toml_tree():
    expected = policy.defaults_json()
    if os.environ.get("CSCTL_UPDATE_GOLDEN"):
        JSON_FILE.write_text(expected, encoding="utf-8")
        pytest.skip("default_policy.json rewritten")
    assert JSON_FILE.read_text(encoding="utf-8") == expected, (
        "default_policy.json differs from default_policy.toml; "
        "CSCTL_UPDATE_GOLDEN=1 pytest tests/test_policy_defaults.py rewrites it")
    toml_tree = policy._toml().loads(policy.default_text(), parse_float=Decimal)
    assert typed(json.loads(JSON_FILE.read_text(encoding="utf-8"), parse_float=Decimal)) == typed(toml_tree)


@pytest.mark.parametrize("value", [Decimal("0.5"), Decimal("2.0"), Decimal("2"), Decimal("1E+3"), Decimal("-0.25"),
                                   7, "3000.00", True, [1, Decimal("0.5")], {"a": {"b": Decimal("10")}}, {}])
def test_exact_json_reads_back_the_same_values_and_types(value):
    assert typed(json.loads(policy.exact_json(value), parse_float=Decimal)) == typed(value)


def test_a_parsed_policy_text_is_kept_and_read_back_exactly(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = '[discipline]\nlate_points = 1.0\nquota = 3\n[pay]\nallowance = "320.00"\n'
    first = policy.parse_text(text)
    [kept] = list((tmp_path / "csctl" / "policy").iterdir())
    assert kept.name.endswith(".json") and oct(kept.stat().st_mode)[-3:] == "600"
    assert typed(policy.parse_text(text)) == typed(first) == typed({"discipline": {"late_points": Decimal("1.0"),
                                                                                   "quota": 3},
                                                                    "pay": {"allowance": "320.00"}})
    kept.write_text("{ not json", encoding="utf-8")  # a damaged cache is parsed again, and mended
    assert typed(policy.parse_text(text)) == typed(first)
    assert typed(json.loads(kept.read_text(encoding="utf-8"), parse_float=Decimal)) == typed(first)
    with pytest.raises(policy.InputError):
        policy.parse_text("not = [toml")
