"""The command tree is lazy: a command imports its own noun's module and builds only itself,
while help, typo suggestions and exit codes stay what they were when the tree was built whole.

cli.TREE routes each name to a module of csctl/commands; these tests hold the table and the
modules to each other, and run real commands in a fresh interpreter to see what was imported.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import csctl.commands
from csctl.cli import TREE, app

MODULES = sorted(m.name for m in pkgutil.iter_modules(csctl.commands.__path__))
NOUNS = [name for name, (where, _) in TREE.items() if ":" not in where]
TOP_LEVEL = [name for name, (where, _) in TREE.items() if ":" in where]

# What the help listed when Typer built the whole tree on every run, in that order.
ROOT_LISTING = ["init", "demo", "void", "verify", "backup", "staff", "log", "sales", "month", "policy", "rules",
                "review", "handover", "duty", "hazmat", "keys"]
NOUN_LISTING = {
    "staff": ["add", "change", "list", "show", "leave", "level", "grade", "title", "probation"],
    "log": ["late", "early-leave", "absent", "awol", "left-post", "leave", "dayoff", "forgot-signin", "offline", "complaint",
            "unfinished", "refer", "list", "import"],
    "sales": ["add", "import", "list", "bonus"],
    "month": ["report", "close", "reopen", "statement", "costs", "pools", "history", "status", "letters"],
    "policy": ["show", "set"],
    "handover": ["open", "accept", "refuse", "review", "resolve", "list", "show"],
    "duty": ["start", "end", "note", "report", "swap", "list"],
    "hazmat": ["add", "stock-in", "draw", "return", "used", "lend", "anomaly", "anomalies", "draws", "count", "stock"],
    "keys": ["add", "list", "borrow", "return", "hand-on", "lost", "replace", "open-sealed", "reseal", "paperwork",
             "found", "check", "audit", "out", "history"],
}
# Services and rules of other nouns, and libraries a one-line write has no use for:
# `log late` must not import them.
NOT_FOR_LOG_LATE = ("csctl.services.sales", "csctl.services.month", "csctl.services.staff",
                    "csctl.services.policies", "csctl.services.ledger_ops", "csctl.services.demo",
                    "csctl.rules.commission", "rich", "dateutil", "zipfile", "importlib.readers",
                    "calendar", "csctl.rulebook", "csctl.services.rulebook",
                    "csctl.services.levels", "csctl.rules.levels", "csctl.ledger.queries.levels",
                    "csctl.services.handover", "csctl.services.duty", "csctl.rules.handover", "csctl.rules.duty",
                    "csctl.ledger.queries.handover", "csctl.ledger.queries.duty",
                    "csctl.services.hazmat", "csctl.rules.hazmat", "csctl.ledger.queries.hazmat",
                    "csctl.services.keys", "csctl.rules.keys", "csctl.ledger.queries.keys",
                    "csctl.sheet", "xlsxwriter", "csctl.pdf", "weasyprint",
                    "csctl.sealing", "csctl.services.privacy", "cryptography")

# Runs csctl's `main` with the given arguments in a fresh interpreter; writes the exit code,
# every module imported and the name of every Click command Typer built, as JSON.
PROBE = r"""
import json, sys
import typer.main

built = []
_build = typer.main.get_command_from_info


def spy(info, **kwargs):
    built.append(info.name)
    return _build(info, **kwargs)


typer.main.get_command_from_info = spy
out, sys.argv = sys.argv[1], ["csctl"] + json.loads(sys.argv[2])
from csctl.cli import main

try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code
with open(out, "w") as f:
    json.dump({"code": code, "modules": sorted(sys.modules), "built": built}, f)
"""


def probe(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "probe.json"
    res = subprocess.run([sys.executable, "-c", PROBE, str(out), json.dumps(list(args))],
                         capture_output=True, text=True, timeout=60)
    assert out.exists(), f"the probe did not finish:\n{res.stderr}"
    return {**json.loads(out.read_text()), "stdout": res.stdout, "stderr": res.stderr}


def command_modules(modules: list[str]) -> set[str]:
    return {m for m in modules if m.startswith("csctl.commands.")}


def wide(*args: str):
    """Run csctl in-process with a terminal wide enough that no help line wraps."""
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "400", "NO_COLOR": "1"})


def listing(text: str) -> dict[str, str]:
    """The rows of a help screen's Commands panel: name -> its one line of help."""
    panel = text.split("─ Commands ─", 1)[1]
    rows = {}
    for line in panel.splitlines():
        found = re.match(r"│ (\S+) +(.*?) *│$", line)
        if found:
            rows[found.group(1)] = found.group(2)
    return rows


def first_paragraph(text: str) -> str:
    return inspect.cleandoc(text).split("\n\n")[0].replace("\n", " ").strip()


# ----------------------------------------------------------------------------- (a) what a run imports


def test_log_late_imports_its_noun_only_and_builds_one_command(dept, tmp_path):
    run = probe(tmp_path, "--db", dept.db, "--by", "L01", "log", "late", "S01", "--minutes", "5",
                "--at", f"{date.today().isoformat()} 00:00")
    assert run["code"] == 0, run["stderr"]
    assert run["stdout"].startswith("recorded #"), run["stdout"]  # the real path ran: a row was written
    assert dept.count("events") == 1
    assert command_modules(run["modules"]) == {"csctl.commands.log"}
    assert run["built"] == ["late"]
    assert not [m for m in NOT_FOR_LOG_LATE if m in run["modules"]]


def test_only_sealing_or_revealing_a_phone_loads_cryptography(dept, tmp_path):
    """`cryptography` is imported to seal a phone number or to reveal one, never to list masked."""
    today = date.today().isoformat()
    plain = probe(tmp_path, "--db", dept.db, "--by", "L01", "sales", "add", "S01", "--amount", "3.00", "--at", today)
    listed = probe(tmp_path, "--db", dept.db, "--by", "P01", "sales", "list")
    sealed = probe(tmp_path, "--db", dept.db, "--by", "L01", "sales", "add", "S01", "--amount", "3.00",
                   "--customer", "Wang 13812345678", "--at", today)
    assert plain["code"] == listed["code"] == sealed["code"] == 0, (plain["stderr"], sealed["stderr"])
    assert "cryptography" not in plain["modules"] and "cryptography" not in listed["modules"]
    assert "cryptography" in sealed["modules"]


@pytest.mark.parametrize("args, modules, built, code", [
    pytest.param(args, modules, built, code, id=" ".join(args) or "(no arguments)")
    for args, modules, built, code in [
        (["--version"], set(), [], 0),
        (["--help"], set(), [], 0),
        ([], set(), [], 2),
        (["lgo"], set(), [], 2),
        (["log", "--help"], {"csctl.commands.log"}, [], 0),
        (["log"], {"csctl.commands.log"}, [], 2),
        (["log", "lte"], {"csctl.commands.log"}, [], 2),
        (["month", "report", "--help"], {"csctl.commands.month"}, ["report"], 0),
        (["init", "--help"], {"csctl.commands.ledger"}, ["init"], 0),
    ]
])
def test_help_version_and_typos_import_and_build_no_more_than_needed(tmp_path, args, modules, built, code):
    run = probe(tmp_path, *args)
    assert run["code"] == code, run["stderr"]
    assert command_modules(run["modules"]) == modules
    assert run["built"] == built
    assert "csctl.services" not in run["modules"]


# ----------------------------------------------------------------------------- what replaced an import


def test_the_default_policy_reads_as_importlib_resources_reads_it():
    from importlib import resources

    from csctl import policy

    shipped = resources.files("csctl").joinpath("default_policy.toml").read_text(encoding="utf-8")
    assert policy.default_text() == shipped


def test_last_day_is_the_day_calendar_gives():
    import calendar

    from csctl.models import Month

    for year in range(1900, 2401):
        for month in range(1, 13):
            assert Month(year, month).last_day == date(year, month, calendar.monthrange(year, month)[1])


# ----------------------------------------------------------------------------- (b) table and modules agree


def test_every_module_of_commands_is_routed_from_the_table():
    routed = {where.partition(":")[0] for where, _ in TREE.values()}
    assert routed == set(MODULES)
    for name in NOUNS:
        assert TREE[name][0] == name, f"the noun {name} lives in commands/{name}.py"


@pytest.mark.parametrize("module", MODULES)
def test_every_command_a_module_declares_is_reachable_and_listed(module):
    sub = importlib.import_module(f"csctl.commands.{module}").app
    declared = {info.name: info for info in sub.registered_commands}
    assert declared, f"commands/{module}.py declares no command"
    if module in NOUNS:
        words = [[module, name] for name in declared]
        rows = listing(wide(module, "--help").stdout)
        assert list(rows) == list(declared)
    else:  # top-level commands, routed one by one
        words = [[name] for name in declared]
        assert {n for n in TOP_LEVEL if TREE[n][0].startswith(f"{module}:")} == set(declared)
        assert all(TREE[name][0] == f"{module}:{name}" for name in declared)
        rows = listing(wide("--help").stdout)
    for name, info in declared.items():
        assert rows[name] == first_paragraph(info.callback.__doc__), f"{module} {name}: help row"
    for argv in words:
        result = wide(*argv, "--help")
        assert result.exit_code == 0, result.output
        assert f"Usage: csctl {' '.join(argv)} [OPTIONS]" in result.stdout


def test_the_table_shows_what_the_modules_say():
    """The root's listing comes from TREE; it must be what the noun or command itself says."""
    for name, (where, line) in TREE.items():
        module_name, _, command_name = where.partition(":")
        sub = importlib.import_module(f"csctl.commands.{module_name}").app
        if command_name:
            [info] = [i for i in sub.registered_commands if i.name == command_name]
            assert line == first_paragraph(info.callback.__doc__), name
        else:
            assert line == first_paragraph(sub.info.help), name


# ----------------------------------------------------------------------------- (c) help and typos as before


def test_root_help_lists_the_same_commands_as_before():
    result = wide("--help")
    assert result.exit_code == 0
    rows = listing(result.stdout)
    assert list(rows) == ROOT_LISTING
    assert rows["log"] == "Record discipline events (D1-D10) and list or import them."


@pytest.mark.parametrize("noun", sorted(NOUN_LISTING))
def test_noun_help_lists_the_same_commands_as_before(noun):
    result = wide(noun, "--help")
    assert result.exit_code == 0
    assert list(listing(result.stdout)) == NOUN_LISTING[noun]
    bare = wide(noun)  # no arguments: the same help, exit 2 as before
    assert bare.exit_code == 2 and listing(bare.stdout) == listing(result.stdout)


def test_no_arguments_shows_the_root_help():
    result = wide()
    assert result.exit_code == 2
    assert list(listing(result.stdout)) == ROOT_LISTING


@pytest.mark.parametrize("args, message", [
    (["lgo"], "No such command 'lgo'. Did you mean 'log'?"),
    (["mnth", "report"], "No such command 'mnth'. Did you mean 'month'?"),
    (["verfy"], "No such command 'verfy'. Did you mean 'verify'?"),
    (["log", "lte", "S01"], "No such command 'lte'. Did you mean 'late'?"),
    (["month", "reprot"], "No such command 'reprot'. Did you mean 'report'?"),
    (["xyz"], "No such command 'xyz'."),
    (["log", "xyz"], "No such command 'xyz'."),
])
def test_an_unknown_word_exits_2_with_a_suggestion(args, message):
    result = wide(*args)
    assert result.exit_code == 2
    assert message in result.output
    if message.endswith("'xyz'."):
        assert "Did you mean" not in result.output


def test_global_options_before_the_noun_reach_the_command(dept):
    result = CliRunner().invoke(app, ["--db", dept.db, "--by", "L01", "--json", "log", "late", "S01",
                                      "--minutes", "5", "--at", f"{date.today().isoformat()} 00:00"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rule"] == "D1"


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and re.fullmatch(r"csctl \S+\n", result.stdout)
