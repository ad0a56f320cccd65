"""The exit codes: the ExitStatus enum, which error becomes which code, and one real run of
`csctl.cli.main` ending in each code with its line on stderr (shared/spec/cli.md, "Output
contract")."""

from __future__ import annotations

import json
import sys

import pytest

from csctl import errors
from csctl.cli import main
from csctl.errors import CsctlError, ExitStatus, InputError, LedgerError, RuleViolation, TamperedError


def test_the_codes_and_their_names():
    assert {status.name: status.value for status in ExitStatus} == {
        "OK": 0, "REFUSED": 1, "BAD_INPUT": 2, "INTERNAL": 3}


ERRORS = [
    # (the error, its exit status, its line on stderr)
    (InputError("minutes", "'abc' is not a whole number"), ExitStatus.BAD_INPUT,
     "minutes: 'abc' is not a whole number"),
    (RuleViolation("D5", "leave needs an approver"), ExitStatus.REFUSED, "refused (D5): leave needs an approver"),
    (TamperedError("row 7 of events was altered"), ExitStatus.REFUSED,
     "verify failed (L1): row 7 of events was altered"),
    (LedgerError("db: the ledger is busy"), ExitStatus.BAD_INPUT, "db: the ledger is busy"),
    (CsctlError("--json and --csv: choose one"), ExitStatus.BAD_INPUT, "--json and --csv: choose one"),
]


@pytest.mark.parametrize("error, status, line", ERRORS, ids=[type(e[0]).__name__ for e in ERRORS])
def test_each_error_class_maps_to_its_status(error, status, line):
    assert error.status is status
    assert error.line() == line


def _subclasses(cls: type) -> set[type]:
    return {cls} | {c for sub in cls.__subclasses__() for c in _subclasses(sub)}


def test_every_error_class_of_errors_py_is_in_the_table():
    """A new error class must say which code it becomes, here as well."""
    defined = {c for c in _subclasses(CsctlError) if c.__module__ == errors.__name__}
    assert defined == {type(e) for e, _, _ in ERRORS}


# ----------------------------------------------------------------------------- whole runs

def _main(monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    """Run `csctl ARGV` through csctl.cli.main, the installed script's entry point."""
    monkeypatch.delenv("CSCTL_DEBUG", raising=False)
    monkeypatch.setattr(sys, "argv", ["csctl", *argv])
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    code = exited.value.code
    return (0 if code is None else code), out, err


def test_a_run_that_works_exits_ok(dept, monkeypatch, capsys):
    code, out, err = _main(monkeypatch, capsys, "--db", dept.db, "staff", "show", "S01", "--json")
    assert code == ExitStatus.OK and json.loads(out)["id"] == "S01" and err == ""


def test_a_rule_refusal_exits_refused(dept, monkeypatch, capsys):
    code, out, err = _main(monkeypatch, capsys, "--db", dept.db, "--by", "S02", "log", "late", "S01",
                           "--minutes", "5", "--at", "2026-10-03 09:05")
    assert code == ExitStatus.REFUSED and out == ""
    assert err.startswith("refused (D1): ") and err.count("\n") == 1, err


def test_bad_input_exits_bad_input_naming_the_field(dept, monkeypatch, capsys):
    code, out, err = _main(monkeypatch, capsys, "--db", dept.db, "--by", "L01", "log", "late", "S01",
                           "--minutes", "abc", "--at", "2026-10-03 09:05")
    assert code == ExitStatus.BAD_INPUT and out == ""
    assert err.startswith("minutes: ") and err.count("\n") == 1, err


def test_a_fault_of_csctl_exits_internal_in_one_line(dept, monkeypatch, capsys):
    from csctl.services import staff

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(staff, "listing", broken)
    code, out, err = _main(monkeypatch, capsys, "--db", dept.db, "staff", "list")
    assert code == ExitStatus.INTERNAL and out == ""
    assert err == "internal error: RuntimeError: a bug (CSCTL_DEBUG=1 shows the traceback)\n"
