"""Shared fixtures: a fixed time zone, a ledger per test, a CLI runner."""

from __future__ import annotations

import os
import time

import pytest

# Tests read times in one zone, whatever the machine's, so offsets in golden output are stable.
os.environ["TZ"] = "Asia/Shanghai"
time.tzset()
os.environ.pop("CSCTL_USER", None)
os.environ.pop("CSCTL_DB", None)


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "ledger.db")
