"""Every command has help text with an example, and appears in the README with an example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from csctl.cli import app
from csctl.errors import ExitStatus

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(command=None, prefix=()):
    command = command or get_command(app)
    for name, sub in getattr(command, "commands", {}).items():
        if getattr(sub, "commands", None):
            yield from _commands(sub, prefix + (name,))
        else:
            yield " ".join(prefix + (name,)), sub


COMMANDS = dict(_commands())


def test_the_tree_has_the_commands_of_the_issue():
    expected = {"init", "demo", "void", "verify", "backup", "staff add", "staff list", "staff show", "staff leave",
                "log late", "log absent", "log awol", "log left-post", "log leave", "log dayoff", "log forgot-signin",
                "log offline", "log complaint", "log unfinished", "log refer", "log list", "log import",
                "sales add", "sales import", "sales list", "sales bonus", "month report", "month close",
                "month reopen", "month statement", "month costs", "month pools", "policy show", "policy set",
                "hazmat add", "hazmat stock-in", "hazmat draw", "hazmat return", "hazmat used", "hazmat lend",
                "hazmat anomaly", "hazmat anomalies", "hazmat draws", "hazmat count", "hazmat stock"}
    assert expected <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(name):
    command = COMMANDS[name]
    assert command.help and len(command.help.splitlines()[0]) > 15
    assert f"Example: csctl {name}" in command.help
    result = CliRunner().invoke(app, name.split() + ["--help"])
    assert result.exit_code == ExitStatus.OK and "--db" in result.stdout and "--by" in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_readme(name):
    assert f"`csctl {name}" in README, f"the README's tables do not list csctl {name}"
    assert re.search(rf"^csctl {re.escape(name)}\b", README, re.M), f"the README has no example of csctl {name}"


def test_readme_starts_with_the_two_commands():
    block = README.split("```")[1].strip().splitlines()
    assert block[1:] == ["pip install . && csctl demo", "pip install '.[test]' && pytest"]


def test_ci_runs_the_readmes_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert "pip install '.[test]' && pytest" in ci
