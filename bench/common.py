"""What both benchmarks share: talk on stderr, a clean environment for the tools they time."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

# PYTHONDONTWRITEBYTECODE too: with it, an editable install compiles csctl's sources on every
# run (about 20 ms of a one-line command), which no installed csctl does.
ENV_DROP = ("CSCTL_USER", "CSCTL_DB", "CSCTL_DEBUG", "PYTHONDONTWRITEBYTECODE")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class Failed(RuntimeError):
    """A timed tool exited non-zero: the benchmark stops and prints the command."""


def child_env() -> dict[str, str]:
    """The environment for a timed command: none of csctl's own settings, no colour, and
    bytecode cached as an installed csctl has it (the untimed warm-up run writes it)."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_DROP}
    env["NO_COLOR"] = "1"
    return env


def run_in(root: Path, keep: bool, body: Callable[[], int]) -> int:
    """Run a benchmark in its work directory: a failed or missing tool is one FAILED line and
    exit 1; the directory is removed afterwards unless `keep`."""
    try:
        return body()
    except (Failed, OSError) as exc:  # OSError: a tool that cannot be started
        log(f"FAILED: {exc}")
        return 1
    finally:
        if keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
