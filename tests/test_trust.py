"""Trust under attack and accident (issue 15): no reader left behind by a killed import, a
ledger from a newer csctl refused for writing, read-only ledgers read, empty files refused,
and witnesses of the chain's head kept outside the ledger.

Each test names the item of issue 15 it holds (items 1-5 of the brief; scope 2 is item 5).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from csctl.errors import ExitStatus

HEADER = "date,staff,product,amount,orders,customer\n"


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSCTL_")}
    env["NO_COLOR"] = "1"
    return env


# ============================================================================ item 1: no orphaned reader

RUN_RELAYED = r"""
import sys
import csctl.services.imports.relay as relay
import csctl.services.imports.sales as sales
sales.RELAY_FROM_BYTES = 0  # every file is read by the reader process
relay.USE_PDEATHSIG = sys.argv.pop(1) == "prctl"
sys.argv[0] = "csctl"
from csctl.cli import main
main()
"""


def _proc_stat(pid: int) -> tuple[str, str, int] | None:
    """(name, state, ppid) of a process from /proc, None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    name = raw[raw.index("(") + 1:raw.rindex(")")]
    state, ppid = raw[raw.rindex(")") + 2:].split()[:2]
    return name, state, int(ppid)


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _proc_stat(int(entry))
            if stat is not None and stat[2] == pid:
                found.append(int(entry))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("how", ["prctl", "watcher"])
def test_item1_sigkill_of_csctl_mid_import_leaves_no_reader_process(dept, tmp_path, how):
    """Issue 15 item 1: `kill -9` of csctl while its reader process reads a sales file leaves
    no reader behind (parent-death signal; or, without it, the child watching its parent)."""
    shop = tmp_path / "shop.csv"
    with open(shop, "w") as f:
        f.write(HEADER)
        f.writelines(f"2026-10-{i % 28 + 1:02d},S0{i % 4 + 1},item {i},{i % 900}.50,1,\n" for i in range(300_000))
    script = tmp_path / "relayed.py"
    script.write_text(RUN_RELAYED)
    proc = subprocess.Popen([sys.executable, str(script), how, "--db", dept.db, "--by", "P01", "sales", "import",
                             str(shop)], env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    deadline = time.monotonic() + 60
    while not children and proc.poll() is None and time.monotonic() < deadline:
        children = _children(proc.pid)  # the reader is csctl's only child
        time.sleep(0.005)
    assert children, "the import ended (or never started its reader) before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    alive = children
    while alive and time.monotonic() < deadline:
        alive = [c for c in alive if (_proc_stat(c) or ("", "Z"))[1] != "Z"]
        time.sleep(0.05)
    left = {c: _proc_stat(c) for c in alive}
    for pid in alive:  # leave nothing behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"reader process(es) outlived the killed csctl: {left}"
    assert dept("verify", "--json").json()["ok"] is True
    assert dept.count("sales") == 0
