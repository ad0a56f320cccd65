"""`csctl rules`: the rulebook by id with the policy values in force, and docs/rules.md.

The rule texts live in csctl/rulebook.py. These tests hold docs/rules.md to it, hold it to
every rule id csctl's code raises, and run the command through the runner. After editing a
text in csctl/rulebook.py, `CSCTL_UPDATE_GOLDEN=1 pytest tests/test_cli_rules.py` rewrites
the rule sections of docs/rules.md (the prose around them is left alone).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csctl import rulebook
from csctl.cli import app
from csctl.errors import ExitStatus
from csctl.services.rulebook import in_force

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "rules.md"
CODE = ROOT / "csctl"
# The groups csctl implements today, each id of them.
IMPLEMENTED = ([f"D{i}" for i in range(1, 11)] + [f"O{i}" for i in range(1, 4)] + [f"C{i}" for i in range(1, 8)]
               + [f"L{i}" for i in range(1, 5)] + [f"H{i}" for i in range(1, 7)] + [f"Z{i}" for i in range(1, 7)] + [f"K{i}" for i in range(1, 9)])


def default_values() -> dict:
    return {k["key"]: k["value"] for k in in_force(None, "2026-01")["keys"]}


# ----------------------------------------------------------------------------- the command


def test_rules_lists_every_id_with_its_values(dept):
    listed = dept("rules", "--json").json()
    ids = [r["id"] for r in listed["rules"]]
    assert ids == [r.id for r in rulebook.RULES]
    assert set(IMPLEMENTED) <= set(ids)
    assert listed["version"] is None
    d5 = next(r for r in listed["rules"] if r["id"] == "D5")
    assert d5["values"] == "quota 4; absence_points 2"
    table = dept("rules").out
    for rule_id in ids:
        assert re.search(rf"│ {rule_id} +│", table), rule_id
    assert "not yet enforced" not in table  # every rule of the rulebook is applied
    rows = dept("rules", "--csv").out.splitlines()
    assert rows[0] == "id,title,values,enforced" and len(rows) == len(ids) + 1


def test_one_rule_shows_the_value_in_force_and_who_set_it(dept, tmp_path):
    shown = dept("rules", "d5", "--json").json()  # any case
    assert shown["id"] == "D5" and shown["title"] and "allowance of 4 a month" in shown["text"]
    keys = {k["key"]: k for k in shown["keys"]}
    assert keys["discipline.quota"] == {"key": "discipline.quota", "value": 4, "source": "default"}

    stricter = tmp_path / "stricter.toml"
    stricter.write_text("[discipline]\nquota = 3\n")
    version = dept("policy", "set", str(stricter), "--from", "2026-12", "--json", by="M01").json()["id"]

    later = dept("rules", "D5", "--month", "2026-12", "--json").json()
    assert {k["key"]: k for k in later["keys"]}["discipline.quota"] == {
        "key": "discipline.quota", "value": 3, "source": f"version {version}"}
    assert {k["key"]: k for k in later["keys"]}["discipline.absence_points"]["source"] == "default"
    assert later["version"] == version and later["effective_from"] == "2026-12"
    assert "allowance of 3 a month" in later["text"]

    earlier = dept("rules", "D5", "--month", "2026-11", "--json").json()
    assert {k["key"]: k for k in earlier["keys"]}["discipline.quota"] == {
        "key": "discipline.quota", "value": 4, "source": "default"}
    assert earlier["version"] is None

    text = dept("rules", "d5", "--month", "2026-12").out
    assert text.startswith("D5 Leave, days off") and f"version {version} (from 2026-12)" in text
    assert re.search(rf"discipline\.quota +│ +3 │ version {version}", text)
    assert dept("rules", "D5", "--month", "2026-12", "--csv").out.splitlines()[1:3] == [
        f"discipline.quota,3,version {version}", "discipline.absence_points,2,default"]


@pytest.mark.parametrize("given, hint", [
    ("D55", "did you mean D5?"),
    ("o4", "did you mean O3 or O2?"),
    ("K55", "did you mean K5?"),
    ("xyz", "is not a rule id."),
])
def test_an_unknown_id_is_bad_input_with_a_suggestion(dept, given, hint):
    run = dept("rules", given, code=ExitStatus.BAD_INPUT)
    assert run.out == ""
    assert run.err.startswith(f"rule: '{given}' is not a rule id")
    assert hint in run.err
    assert "Rule ids: D1 D2 D3" in run.err and " L7" in run.err


def test_a_bad_month_is_bad_input(dept):
    run = dept("rules", "D5", "--month", "2026-13", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("month:")


def test_a_ledger_asked_for_by_name_must_exist(cli):
    run = cli("rules", code=ExitStatus.BAD_INPUT)  # --db names a file that is not there
    assert "there is no ledger at" in run.err
    assert not Path(cli.db).exists()


def test_with_no_ledger_at_all_the_shipped_defaults_are_shown(tmp_path):
    """No --db, no $CSCTL_DB and nothing at the per-user path: the rules are still there."""
    data_home = tmp_path / "xdg"
    result = CliRunner().invoke(app, ["rules", "C4", "--json"], env={"XDG_DATA_HOME": str(data_home)})
    assert result.exit_code == ExitStatus.OK, result.output
    assert "no ledger at" in result.stderr and "shipped default policy" in result.stderr
    shown = json.loads(result.stdout)
    assert shown["version"] is None
    assert {k["key"]: k["value"] for k in shown["keys"]}["plans.orders_logistics.floor"] == "1500.00"
    assert not data_home.exists()  # nothing created


# ----------------------------------------------------------------------------- one place for the texts


def rule_ids_in_code() -> dict[str, set[str]]:
    """Every rule id csctl's code raises or names as a string: `RuleViolation("D5"`, `rule="C1"`,
    `KIND_RULE` values, `AUTHORITY = "L6"`, a table's `kept=("L1", ...)`. Staff ids such as
    "L01" have a leading zero and are not rule ids."""
    found: dict[str, set[str]] = {}
    pattern = re.compile(r"""["']([DOCLKHZP][1-9][0-9]?)["']""")
    for path in CODE.rglob("*.py"):
        if path.name == "rulebook.py" and path.parent == CODE:
            continue
        for rule_id in pattern.findall(path.read_text(encoding="utf-8")):
            found.setdefault(rule_id, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_rule_id_the_code_raises_has_an_entry():
    found = rule_ids_in_code()
    for must in ("D5", "C1", "C5", "C7", "L1", "L2", "L6"):  # the scan sees what it should
        assert must in found
    missing = {rule_id: sorted(where) for rule_id, where in found.items() if rulebook.find(rule_id) is None}
    assert not missing, f"rule ids used in csctl/ with no entry in csctl/rulebook.py: {missing}"


def test_every_policy_key_is_read_by_a_rule_and_every_placeholder_names_one():
    values = default_values()
    unread = [k for k in values if not any(rulebook.keys_of(r, [k]) for r in rulebook.RULES)]
    assert not unread, f"policy keys no rule reads: {unread}"
    for r in rulebook.RULES:
        assert re.fullmatch(r"[DOCLPHZK][1-9][0-9]?", r.id) and r.title and r.text
        for key in rulebook.placeholders(r.text):
            assert key in values, f"{r.id}: {{{key}}} is not a policy key"
            assert rulebook.keys_of(r, [key]), f"{r.id}: its text uses {key}, not among its keys"
        for pattern in r.keys:
            assert rulebook.keys_of(r._replace(keys=(pattern,)), list(values)) or pattern.startswith("staff."), (
                f"{r.id}: {pattern} matches no policy key")
        assert "(not set" not in rulebook.fill(r.text, values)
    assert [r.id for r in rulebook.RULES] == list(rulebook.BY_ID)  # no id twice


SECTION = re.compile(r"^### (\S+) .*?(?=^#|\Z)", re.M | re.S)


def test_docs_rules_md_holds_every_rule_as_the_rulebook_says_it():
    values = default_values()
    docs = DOCS.read_text(encoding="utf-8")
    expected = {r.id: rulebook.markdown(r, values) for r in rulebook.RULES}
    if os.environ.get("CSCTL_UPDATE_GOLDEN"):
        DOCS.write_text(SECTION.sub(lambda m: expected.get(m.group(1), m.group(0)) + "\n", docs), encoding="utf-8")
        pytest.skip("docs/rules.md rule sections rewritten")
    headings = [m.group(1) for m in SECTION.finditer(docs)]
    assert headings == list(expected), "docs/rules.md's ### headings are not the rulebook's ids, in order"
    for rule_id, section in expected.items():
        assert section in docs, (f"docs/rules.md's {rule_id} differs from csctl/rulebook.py; "
                                 "CSCTL_UPDATE_GOLDEN=1 pytest tests/test_cli_rules.py rewrites it")
    assert "shared/spec" not in docs  # the page stands on its own
    assert "Not built yet" not in docs  # every group of the rulebook is built
