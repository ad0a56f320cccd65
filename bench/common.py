"""What both benchmarks share: talk on stderr, a clean environment for the tools they time."""

from __future__ import annotations

import os
import sys

ENV_DROP = ("CSCTL_USER", "CSCTL_DB", "CSCTL_DEBUG")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class Failed(RuntimeError):
    """A timed tool exited non-zero: the benchmark stops and prints the command."""


def child_env() -> dict[str, str]:
    """The environment for a timed command: none of csctl's own settings, no colour."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_DROP}
    env["NO_COLOR"] = "1"
    return env
