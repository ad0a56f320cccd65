#!/usr/bin/env python3
"""Command-latency benchmark: everyday csctl commands against a bare interpreter start.

Builds a demo ledger once (`csctl --db DEMO.db demo`, untimed), then times as subprocesses
(wall time, time.perf_counter), interleaved, --runs times each:

  python -c "import sqlite3"                         the peer: a bare interpreter start
  python typer_app.py FILE S01 --minutes 12          the peer: a one-command Typer app, written
                                                     here, that records one row the way csctl
                                                     does (pragmas, one BEGIN IMMEDIATE)
  csctl --version                                    csctl's own start-up (imports, no ledger)
  csctl --by L01 log late S01 --minutes 12 --at ...  a write in the open month (fresh copy each run)
  csctl --by L01 sales add S01 ... --customer ...    a sale with a phone number, sealed (the one
                                                     write that loads `cryptography`; fresh copy)
  csctl --by P01 month close YYYY-MM                 the demo's last closed month, reopened untimed
                                                     on a fresh copy first
  csctl month report YYYY-MM --json                  read-only, on the demo ledger itself

Figures are medians (min and max beside them) and ratios of medians to both peers; the
target is `log late` at most 1.3 x the Typer app (the goal is 1.0 x): what csctl adds to a
one-line write beyond the framework it is built on. Standard library only (the Typer app
imports typer, which csctl installs); not a pytest module.

    python bench/startup.py
    python bench/startup.py --runs 30 --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any, Callable

from common import Failed, child_env, log, run_in  # bench/common.py, beside this script

TARGET = 1.3  # csctl log late / the one-command Typer app, at most (the goal is 1.0)

# The peer: the least a Typer command that records one row can do. It opens the file with the
# pragmas csctl sets on every connection (csctl/ledger.py) and writes in one BEGIN IMMEDIATE.
TYPER_APP = """\
import sqlite3
from datetime import datetime
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False)


@app.command()
def late(
    db: Annotated[str, typer.Argument(help="Database file.")],
    staff: Annotated[str, typer.Argument(help="Staff id.")],
    minutes: Annotated[int, typer.Option("--minutes", help="Minutes late.")],
    at: Annotated[Optional[str], typer.Option("--at", help="When.")] = None,
) -> None:
    \"\"\"Record one late arrival.\"\"\"
    conn = sqlite3.connect(db, isolation_level=None, timeout=10.0)
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN IMMEDIATE")
    cur = conn.execute("INSERT INTO events (at, staff, kind, minutes, recorded_at) VALUES (?, ?, 'late', ?, ?)",
                       (at or datetime.now().isoformat(timespec="seconds"), staff, minutes,
                        datetime.now().isoformat(timespec="seconds")))
    conn.execute("COMMIT")
    conn.close()
    print(f"recorded #{cur.lastrowid}: late {staff}")


if __name__ == "__main__":
    app()
"""
PEER_SCHEMA = ("CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT NOT NULL, staff TEXT NOT NULL, "
               "kind TEXT NOT NULL, minutes INTEGER, recorded_at TEXT NOT NULL)")


def call(cmd: list[str], cwd: Path, what: str) -> tuple[float, str]:
    """Run cmd; return (wall seconds, stdout). Raises on exit != 0."""
    start = time.perf_counter()
    res = subprocess.run(cmd, cwd=cwd, capture_output=True, stdin=subprocess.DEVNULL, env=child_env())
    wall = time.perf_counter() - start
    if res.returncode != 0:
        raise Failed(f"{what} failed (exit {res.returncode}):\n  $ {' '.join(cmd)}\n"
                     f"{res.stderr.decode(errors='replace').strip()}\n{res.stdout.decode(errors='replace').strip()}")
    return wall, res.stdout.decode("utf-8", errors="replace")


def copy_ledger(src: Path, dst: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    wal = Path(str(src) + "-wal")
    if wal.exists():
        shutil.copyfile(wal, str(dst) + "-wal")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=15, help="timed runs of each command (default 15)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs of each command first (default 1)")
    ap.add_argument("--csctl", help="csctl executable (default: the one beside this Python)")
    ap.add_argument("--keep-dir", action="store_true", help="keep the work directory and print its path")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")
    args = ap.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        ap.error("--runs must be at least 1 and --warmup at least 0")
    csctl = args.csctl or str(Path(sys.executable).parent / "csctl")
    if not Path(csctl).exists() and not shutil.which(csctl):
        ap.error(f"{csctl} not found; pass --csctl")
    root = Path(tempfile.mkdtemp(prefix="csctl-bench-startup-"))
    # Each write appends to a witness in the per-user state folder (README, "Trust"): the
    # benchmark's go to its own folder, on the same disk, and leave with it.
    os.environ["XDG_STATE_HOME"] = str(root / "state")
    return run_in(root, args.keep_dir, lambda: bench(args, root, csctl))


def bench(args: argparse.Namespace, root: Path, csctl: str) -> int:
    demo = root / "DEMO.db"
    t0 = time.perf_counter()
    _, out = call([csctl, "--db", str(demo), "demo", "--json"], root, "csctl demo")
    try:
        closed = sorted(json.loads(out)["closed"])
        month = closed[-1]
    except (ValueError, KeyError, IndexError, TypeError):
        raise Failed(f"csctl demo --json printed no list of closed months:\n{out[:500]}") from None
    today = date.today()
    at = f"{today.isoformat()} 09:05"
    log(f"demo ledger built in {time.perf_counter() - t0:.1f}s; last closed month {month}; late arrival at {at}")
    copy = root / "COPY.db"
    typer_app = root / "typer_app.py"
    typer_app.write_text(TYPER_APP, encoding="utf-8")
    peer_db = root / "PEER.db"
    with sqlite3.connect(peer_db) as conn:
        conn.execute(PEER_SCHEMA)
    conn.close()

    def peer() -> float:
        return call([sys.executable, "-c", "import sqlite3"], root, "python -c 'import sqlite3'")[0]

    def typer_peer() -> float:
        return call([sys.executable, str(typer_app), str(peer_db), "S01", "--minutes", "12", "--at", at],
                    root, "the one-command Typer app")[0]

    def version() -> float:
        return call([csctl, "--version"], root, "csctl --version")[0]

    def late() -> float:
        copy_ledger(demo, copy)
        return call([csctl, "--db", str(copy), "--by", "L01", "log", "late", "S01", "--minutes", "12",
                     "--at", at], root, "csctl log late")[0]

    def sale() -> float:
        copy_ledger(demo, copy)
        return call([csctl, "--db", str(copy), "--by", "L01", "sales", "add", "S01", "--amount", "12.50",
                     "--customer", "Wang 13812345678", "--at", today.isoformat()], root, "csctl sales add")[0]

    def close() -> float:
        copy_ledger(demo, copy)
        call([csctl, "--db", str(copy), "--by", "M01", "month", "reopen", month, "--reason", "bench"],
             root, "csctl month reopen (untimed)")
        return call([csctl, "--db", str(copy), "--by", "P01", "month", "close", month], root, "csctl month close")[0]

    def report() -> float:
        wall, out = call([csctl, "--db", str(demo), "month", "report", month, "--json"], root, "csctl month report")
        json.loads(out)  # must be JSON
        return wall

    cases: list[tuple[str, str, Callable[[], float]]] = [
        ("python", 'python -c "import sqlite3"  (peer)', peer),
        ("typer", "python typer_app.py: one Typer command, one row  (peer)", typer_peer),
        ("version", "csctl --version", version),
        ("late", f'csctl --by L01 log late S01 --minutes 12 --at "{at}"', late),
        ("sale", 'csctl --by L01 sales add S01 --amount 12.50 --customer "Wang 13812345678"', sale),
        ("close", f"csctl --by P01 month close {month}  (after untimed reopen)", close),
        ("report", f"csctl month report {month} --json  (read-only)", report),
    ]
    times: dict[str, list[float]] = {key: [] for key, _, _ in cases}
    for _ in range(args.warmup):
        for _, _, fn in cases:
            fn()
    for i in range(args.runs):  # interleaved, so noise on a shared machine hits every command alike
        for key, _, fn in cases:
            times[key].append(fn())
        log(f"run {i + 1}/{args.runs}: " + ", ".join(f"{k} {t[-1] * 1000:.0f} ms" for k, t in times.items()))

    base = statistics.median(times["python"])
    app_base = statistics.median(times["typer"])
    figures: list[dict[str, Any]] = []
    for key, label, _ in cases:
        t = times[key]
        med = statistics.median(t)
        figures.append({"key": key, "command": label, "runs": len(t), "median_ms": med * 1000,
                        "min_ms": min(t) * 1000, "max_ms": max(t) * 1000, "ratio_to_python": med / base,
                        "ratio_to_typer_app": med / app_base,
                        "times_ms": [x * 1000 for x in t]})
    late_ratio = statistics.median(times["late"]) / app_base
    result = {"benchmark": "startup", "runs": args.runs, "warmup": args.warmup, "month_closed": month,
              "late_to_typer_app": late_ratio, "target_late_to_typer_app": TARGET,
              "late_at": at, "python": sys.version.split()[0], "executable": sys.executable,
              "csctl": csctl, "platform": platform.platform(), "figures": figures}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"command latency: medians over {args.runs} runs ({args.warmup} warm-up), "
          f"python {result['python']} on {result['platform']}")
    print()
    width = max(len(f["command"]) for f in figures)
    head = f"{'command':<{width}} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'x python':>9} {'x app':>6}"
    print(head)
    print("-" * len(head))
    for f in figures:
        print(f"{f['command']:<{width}} {f['median_ms']:>10.0f} {f['min_ms']:>8.0f} {f['max_ms']:>8.0f} "
              f"{f['ratio_to_python']:>9.1f} {f['ratio_to_typer_app']:>6.2f}")
    print()
    print(f"target: csctl log late <= {TARGET:.1f} x the one-command Typer app (goal 1.0 x): "
          f"{late_ratio:.2f} x  {'PASS' if late_ratio <= TARGET else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
