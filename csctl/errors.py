"""Errors a supervisor reads, and the exit codes they become.

Inside csctl an error is a value with a message fit for the person at the terminal; only the
command layer turns it into a red line on stderr and one of these exit codes.
"""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """Exit codes of every csctl command (README, "Output and exit codes")."""

    OK = 0
    REFUSED = 1  # a rule said no; the message names the rule id
    BAD_INPUT = 2  # bad usage or bad input: a field that does not parse, an unknown id, ...
    INTERNAL = 3  # a fault of csctl itself; never expected, reported without a traceback


class CsctlError(Exception):
    """Base of every error csctl reports to its user."""

    status = ExitStatus.BAD_INPUT

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def line(self) -> str:
        return self.message


class InputError(CsctlError):
    """Bad input: names the field, the value and what was expected."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field

    def line(self) -> str:
        return f"{self.field}: {self.message}"


class LedgerError(CsctlError):
    """The ledger cannot be opened or used (not SQLite, no permission, locked, damaged)."""


class TamperedError(CsctlError):
    """The ledger no longer matches its hash chain: rows were changed outside csctl (L1)."""

    status = ExitStatus.REFUSED

    def line(self) -> str:
        return f"verify failed (L1): {self.message}"


class RuleViolation(CsctlError):
    """A rule of docs/rules.md refuses the request; `rule` is its id (D5, L2, ...)."""

    status = ExitStatus.REFUSED

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule = rule

    def line(self) -> str:
        return f"refused ({self.rule}): {self.message}"
