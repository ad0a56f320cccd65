#!/usr/bin/env python3
"""Spreadsheet benchmark: a month of sales written as xlsx, beside the same listing as CSV.

Builds a demo ledger (`csctl demo`, untimed), imports --rows synthetic sales into its open
month (untimed), then times as subprocesses (wall time, interleaved, --runs times each):

  csctl sales list --month M --csv > /dev/null          the peer: the same rows as CSV
  csctl sales list --month M --format xlsx --out F      the spreadsheet: typed cells, fitted
                                                        widths, written whole then moved in

and reports medians (min and max beside them), the ratio of the spreadsheet to the CSV, and
the spreadsheet's size. Standard library only; not a pytest module.

    python bench/xlsx.py                 # 100,000 rows, 5 runs
    python bench/xlsx.py --rows 20000 --runs 9 --json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import Failed, child_env, log, run_in  # bench/common.py, beside this script


def call(cmd: list[str], cwd: Path, what: str) -> tuple[float, str]:
    start = time.perf_counter()
    res = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                         env=child_env())
    wall = time.perf_counter() - start
    if res.returncode != 0:
        raise Failed(f"{what} failed (exit {res.returncode}):\n  $ {' '.join(cmd)}\n"
                     f"{res.stderr.decode(errors='replace').strip()}")
    return wall, res.stdout.decode("utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000, help="sales in the month (default 100,000)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each command (default 5)")
    ap.add_argument("--csctl", help="csctl executable (default: the one beside this Python)")
    ap.add_argument("--keep-dir", action="store_true", help="keep the work directory and print its path")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")
    args = ap.parse_args(argv)
    if args.runs < 1 or args.rows < 1:
        ap.error("--runs and --rows must be at least 1")
    csctl = args.csctl or str(Path(sys.executable).parent / "csctl")
    if not Path(csctl).exists() and not shutil.which(csctl):
        ap.error(f"{csctl} not found; pass --csctl")
    root = Path(tempfile.mkdtemp(prefix="csctl-bench-xlsx-"))
    os.environ["XDG_STATE_HOME"] = str(root / "state")  # the witness of the untimed writes
    return run_in(root, args.keep_dir, lambda: bench(args, root, csctl))


def bench(args: argparse.Namespace, root: Path, csctl: str) -> int:
    db = str(root / "DEMO.db")
    _, out = call([csctl, "--db", db, "demo", "--json"], root, "csctl demo")
    closed = sorted(json.loads(out)["closed"])
    year, month = map(int, closed[-1].split("-"))
    open_month = f"{year + month // 12}-{month % 12 + 1:02d}"  # the month after the last closed one
    today = date.today()
    last_day = today.day if open_month == today.strftime("%Y-%m") else 28  # no sale dated in the future
    rng = random.Random(20261129)
    sales = root / "sales.csv"
    with open(sales, "w", encoding="utf-8") as f:
        f.write("date,staff,product,amount,orders,customer\n")
        for _ in range(args.rows):
            f.write(f"{open_month}-{rng.randint(1, last_day):02d},S0{rng.randint(1, 6)},tea set,"
                    f"{rng.randint(100, 500_000) / 100:.2f},1,Wang 138{rng.randint(10**7, 10**8 - 1)}\n")
    call([csctl, "--db", db, "--by", "P01", "sales", "import", str(sales)], root, "csctl sales import")
    log(f"{args.rows} sales imported into {open_month}")
    sheet = root / "sales.xlsx"
    cases = {
        "csv": (f"csctl sales list --month {open_month} --csv  (peer)",
                [csctl, "--db", db, "sales", "list", "--month", open_month, "--csv"]),
        "xlsx": (f"csctl sales list --month {open_month} --format xlsx --out F",
                 [csctl, "--db", db, "sales", "list", "--month", open_month, "--format", "xlsx", "--out", str(sheet)]),
    }
    times: dict[str, list[float]] = {key: [] for key in cases}
    for key, (label, cmd) in cases.items():  # one untimed warm-up each
        call(cmd, root, label)
    for i in range(args.runs):  # interleaved, so noise on a shared machine hits both alike
        for key, (label, cmd) in cases.items():
            times[key].append(call(cmd, root, label)[0])
        log(f"run {i + 1}/{args.runs}: " + ", ".join(f"{k} {t[-1]:.2f} s" for k, t in times.items()))
    csv_median = statistics.median(times["csv"])
    figures = [{"key": key, "command": label, "rows": args.rows, "median_s": statistics.median(times[key]),
                "min_s": min(times[key]), "max_s": max(times[key]),
                "ratio_to_csv": statistics.median(times[key]) / csv_median}
               for key, (label, _) in cases.items()]
    size = sheet.stat().st_size
    if args.json:
        print(json.dumps({"rows": args.rows, "runs": args.runs, "xlsx_bytes": size, "figures": figures}, indent=2))
        return 0
    print(f"sales list of {args.rows} rows: medians over {args.runs} runs (1 warm-up)\n")
    print(f"{'command':70} {'median s':>9} {'min s':>7} {'max s':>7} {'x csv':>6}")
    for f in figures:
        print(f"{f['command']:70} {f['median_s']:9.2f} {f['min_s']:7.2f} {f['max_s']:7.2f} {f['ratio_to_csv']:6.2f}")
    print(f"\nspreadsheet: {size / 1e6:.1f} MB, {size / args.rows:.0f} bytes a row")
    return 0


if __name__ == "__main__":
    sys.exit(main())
