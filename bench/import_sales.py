#!/usr/bin/env python3
"""Sales-import benchmark: `csctl sales import` against `sqlite3 .import` and `sqlite-utils insert`.

Generates one month of shop-export CSV (deterministic seed), then times, each in a fresh
database and as a subprocess (wall time, time.perf_counter):

  csctl         csctl --db L.db --by M01 sales import FILE.csv --json   (ledger + staff set up, untimed)
  csctl clear   the same on a ledger whose policy keeps customers in clear (privacy.seal_phones =
                false): the cost of sealing phone numbers is csctl's time less this one's
  sqlite3       sqlite3 DB ".import --csv FILE sales_raw"               (the floor: no checks at all)
  sqlite-utils  sqlite-utils insert DB sales FILE --csv                 (a Python peer; slow, fewer runs)

Figures are medians over --runs (min and max beside them); runs of the tools are interleaved so
that noise on a shared machine hits them alike. Peak RSS of each csctl import is read from
os.wait4's rusage for that one process. Standard library only; not a pytest module.

    python bench/import_sales.py --rows 1000000
    python bench/import_sales.py --rows 20000 --runs 2 --memory-check
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import Failed, child_env, log, run_in  # bench/common.py, beside this script

HEADER = "date,staff,product,amount,orders,customer\n"
STAFF = [f"S{i:02d}" for i in range(1, 21)]
PRODUCTS = [
    "Rice Cooker", "Air Fryer", "Electric Kettle", "Soy Milk Maker", "Blender", "Steam Iron",
    "Hair Dryer", "Desk Lamp", "Vacuum Cleaner", "Water Purifier", "Microwave Oven", "Toaster",
    "Humidifier", "Space Heater", "Electric Fan", "Induction Hob", "Coffee Machine", "Juicer",
]
SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun"]
PHONE_PREFIXES = ["138", "139", "136", "150", "186", "188", "135", "177"]
TARGET_RATIO = 3.0  # csctl <= 3.0 x sqlite3 .import


# ----------------------------------------------------------------------------- data
def days_of(month: str) -> list[str]:
    year, mon = (int(x) for x in month.split("-"))
    return [f"{year:04d}-{mon:02d}-{d:02d}" for d in range(1, calendar.monthrange(year, mon)[1] + 1)]


def generate_csv(path: Path, rows: int, month: str, seed: int) -> None:
    """N rows of one month's sales; ~2% refunds (negative), ~10% without a customer."""
    rng = random.Random(seed)
    days = days_of(month)
    rand, choice, randint = rng.random, rng.choice, rng.randint
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        batch: list[str] = []
        for _ in range(rows):
            cents = randint(990, 299_999)
            if rand() < 0.02:
                cents = -cents
            sign = "-" if cents < 0 else ""
            cents = abs(cents)
            customer = "" if rand() < 0.10 else (
                f"{choice(SURNAMES)} {choice(PHONE_PREFIXES)}{randint(0, 99_999_999):08d}")
            batch.append(f"{choice(days)},{choice(STAFF)},{choice(PRODUCTS)},"
                         f"{sign}{cents // 100}.{cents % 100:02d},{randint(1, 3)},{customer}\n")
            if len(batch) >= 50_000:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))


# ----------------------------------------------------------------------------- running
def run(cmd: list[str], cwd: Path, what: str) -> tuple[float, int, str, float]:
    """Run cmd; return (wall seconds, peak RSS in bytes of that process, stdout, CPU seconds of it
    and the children it waited for: csctl's reading process). Raises on exit != 0."""
    out_path, err_path = cwd / ".stdout", cwd / ".stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=child_env())
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
        raise Failed(f"{what} failed (exit {proc.returncode}):\n  $ {' '.join(cmd)}\n{stderr.strip()}\n{stdout.strip()}")
    # ru_maxrss is kilobytes on Linux, bytes on macOS.
    rss = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return wall, rss, stdout, usage.ru_utime + usage.ru_stime


def quiet(cmd: list[str], cwd: Path, what: str) -> None:
    res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=child_env())
    if res.returncode != 0:
        raise Failed(f"{what} failed (exit {res.returncode}):\n  $ {' '.join(cmd)}\n{res.stderr.strip()}")


def fresh_dir(root: Path, name: str) -> Path:
    d = root / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    return d


def csctl_run(csctl: str, root: Path, csv_path: Path, rows: int, tag: str, *, seal: bool = True,
              month: str = "2026-09") -> tuple[float, int, float]:
    """One timed `csctl sales import`; `seal=False`: on a ledger whose policy, from `month` on,
    keeps customers' phone numbers in clear (the import as it was before they were sealed)."""
    d = fresh_dir(root, tag)
    db = str(d / "L.db")
    quiet([csctl, "--db", db, "staff", "add", "M01", "--name", "Boss", "--dept", "customer_service",
           "--rank", "manager"], d, "csctl staff add M01")
    if not seal:
        policy = d / "clear.toml"
        policy.write_text("[privacy]\nseal_phones = false\n", encoding="utf-8")
        quiet([csctl, "--db", db, "--by", "M01", "policy", "set", str(policy), "--from", month], d,
              "csctl policy set (phones in clear)")
    for sid in STAFF:
        quiet([csctl, "--db", db, "--by", "M01", "staff", "add", sid, "--name", f"S {sid[1:]}",
               "--dept", "customer_service", "--rank", "staff", "--level", "junior", "--hired", "2025-01-01"],
              d, f"csctl staff add {sid}")
    cmd = [csctl, "--db", db, "--by", "M01", "sales", "import", str(csv_path), "--json"]
    wall, rss, out, cpu = run(cmd, d, "csctl sales import")
    try:
        got = json.loads(out)["rows"]
    except (ValueError, KeyError, TypeError):
        raise Failed(f"csctl sales import printed no JSON with 'rows':\n  $ {' '.join(cmd)}\n{out[:500]}") from None
    if got != rows:
        raise Failed(f"csctl sales import reported {got} rows, expected {rows}")
    return wall, rss, cpu


def count_rows(db: Path, table: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def sqlite3_run(sqlite3_cli: str, root: Path, csv_path: Path, rows: int, tag: str) -> float:
    d = fresh_dir(root, tag)
    db = d / "peer.db"
    quoted = '"' + str(csv_path).replace("\\", "\\\\").replace('"', '\\"') + '"'
    wall, _, _, _ = run([sqlite3_cli, str(db), f".import --csv {quoted} sales_raw"], d, "sqlite3 .import")
    got = count_rows(db, "sales_raw")
    if got != rows:
        raise Failed(f"sqlite3 .import loaded {got} rows, expected {rows}")
    return wall


def sqlite_utils_run(su: str, root: Path, csv_path: Path, rows: int, tag: str) -> float:
    d = fresh_dir(root, tag)
    db = d / "peer.db"
    wall, _, _, _ = run([su, "insert", str(db), "sales", str(csv_path), "--csv"], d, "sqlite-utils insert")
    got = count_rows(db, "sales")
    if got != rows:
        raise Failed(f"sqlite-utils insert loaded {got} rows, expected {rows}")
    return wall


# ----------------------------------------------------------------------------- figures
def summary(times: list[float], rows: int) -> dict[str, Any]:
    med = statistics.median(times)
    return {"runs": len(times), "median_s": med, "min_s": min(times), "max_s": max(times),
            "rows_per_s": rows / med if med > 0 else None, "times_s": times}


def mb(n: float) -> float:
    return n / (1024 * 1024)


def find_tool(given: str | None, name: str) -> str | None:
    if given:
        return given
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows in the CSV (default 1000000)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of csctl and sqlite3 (default 3)")
    ap.add_argument("--peer-runs", type=int, default=1, help="timed runs of sqlite-utils, the slow peer (default 1; 0 skips it)")
    ap.add_argument("--clear-runs", type=int, default=None,
                    help="timed runs of csctl keeping phone numbers in clear, the cost of sealing them "
                         "(default: as many as --runs; 0 skips it)")
    ap.add_argument("--month", default="2026-09", help="month the rows fall in (default 2026-09)")
    ap.add_argument("--seed", type=int, default=20260901, help="random seed of the generated CSV")
    ap.add_argument("--keep-dir", nargs="?", const="", default=None, metavar="DIR",
                    help="keep the work directory (the CSV and every database); with DIR, work there")
    ap.add_argument("--memory-check", action="store_true",
                    help="also import N/4 rows and print csctl's peak RSS for N/4 and N rows")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")
    ap.add_argument("--csctl", help="csctl executable (default: the one beside this Python)")
    ap.add_argument("--sqlite3", dest="sqlite3_cli", help="sqlite3 CLI (default: sqlite3 on PATH)")
    ap.add_argument("--sqlite-utils", dest="sqlite_utils", help="sqlite-utils CLI (default: beside this Python)")
    args = ap.parse_args(argv)
    if args.clear_runs is None:
        args.clear_runs = args.runs
    if args.rows < 1 or args.runs < 1 or args.peer_runs < 0 or args.clear_runs < 0:
        ap.error("--rows and --runs must be at least 1, --peer-runs and --clear-runs at least 0")

    csctl = find_tool(args.csctl, "csctl")
    sqlite3_cli = args.sqlite3_cli or shutil.which("sqlite3")
    su = find_tool(args.sqlite_utils, "sqlite-utils") if args.peer_runs else None
    if not csctl:
        ap.error("csctl not found beside this Python or on PATH; pass --csctl")
    if not sqlite3_cli:
        ap.error("the sqlite3 CLI is not on PATH; pass --sqlite3 (it is the baseline)")
    if args.peer_runs and not su:
        log("sqlite-utils not found; skipping that peer (pass --sqlite-utils)")

    if args.keep_dir:
        root = Path(args.keep_dir).resolve()
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = Path(tempfile.mkdtemp(prefix="csctl-bench-import-"))
    # Each write appends to a witness in the per-user state folder (README, "Trust"): the
    # benchmark's go to its own folder, on the same disk, and leave with it.
    os.environ["XDG_STATE_HOME"] = str(root / "state")
    return run_in(root, args.keep_dir is not None, lambda: bench(args, root, csctl, sqlite3_cli, su))


def bench(args: argparse.Namespace, root: Path, csctl: str, sqlite3_cli: str, su: str | None) -> int:
    result = measure(root, csctl, sqlite3_cli, su, rows=args.rows, runs=args.runs, peer_runs=args.peer_runs,
                     month=args.month, seed=args.seed, memory_check=args.memory_check,
                     clear_runs=args.clear_runs)
    n, size, figures, memory = result["rows"], result["csv_mb"] * 2**20, result["figures"], result["memory_check"]
    cs_rss_mb, ratio, passed = result["csctl_peak_rss_mb"], result["target"]["ratio"], result["target"]["pass"]
    su_runs = result["peer_runs"]
    if args.json:
        print(json.dumps(result, indent=2))
        return 0

    print(f"sales import: {n} rows, CSV {mb(size):.1f} MB, month {args.month}, seed {args.seed}; "
          f"medians over runs (csctl/sqlite3 {args.runs}, sqlite-utils {su_runs})")
    print(f"python {result['python']} on {result['platform']}; sqlite3 CLI {result['sqlite3_cli']}")
    print()
    head = f"{'tool':<22} {'runs':>4} {'median s':>9} {'min s':>8} {'max s':>8} {'rows/s':>11} {'x sqlite3':>10}"
    print(head)
    print("-" * len(head))
    for f in figures:
        print(f"{f['tool']:<22} {f['runs']:>4} {f['median_s']:>9.2f} {f['min_s']:>8.2f} {f['max_s']:>8.2f} "
              f"{f['rows_per_s']:>11,.0f} {f['ratio_to_sqlite3']:>10.2f}")
    print()
    print(f"target: csctl <= {TARGET_RATIO} x sqlite3 .import: {ratio:.2f} x -> {'PASS' if passed else 'MISS'}")
    cost, cpu = result["sealing_cost_s"], result["csctl_cpu_s"]
    if cost is not None:
        clear = next(f["median_s"] for f in figures if f["tool"] == "csctl, phones in clear")
        print(f"sealing customers' phone numbers: {figures[0]['median_s']:.2f}s against {clear:.2f}s in clear "
              f"({cost:+.2f}s, {cost / clear:+.0%}); CPU {cpu['sealed']:.2f}s against {cpu['clear']:.2f}s")
    print(f"csctl import peak RSS: median {cs_rss_mb['median']:.0f} MB, max {cs_rss_mb['max']:.0f} MB")
    if memory:
        print(f"memory check: peak RSS {memory['peak_rss_mb_quarter']:.0f} MB at {memory['rows_quarter']} rows, "
              f"{memory['peak_rss_mb_full']:.0f} MB at {n} rows (x{memory['growth']:.2f} for x{n / memory['rows_quarter']:.0f} rows)")
    return 0


def measure(root: Path, csctl: str, sqlite3_cli: str, su: str | None, *, rows: int, runs: int, peer_runs: int,
            month: str, seed: int, memory_check: bool, clear_runs: int = 0) -> dict[str, Any]:
    """Generate the CSV in `root`, time the tools on it (interleaved) and return the figures;
    bench/large.py calls this too."""
    args = argparse.Namespace(rows=rows, runs=runs, peer_runs=peer_runs, month=month, seed=seed,
                              memory_check=memory_check, clear_runs=clear_runs)
    n = args.rows
    csv_path = root / f"sales-{args.month}-{n}.csv"
    t0 = time.perf_counter()
    generate_csv(csv_path, n, args.month, args.seed)
    size = csv_path.stat().st_size
    log(f"generated {csv_path.name}: {n} rows, {mb(size):.1f} MB in {time.perf_counter() - t0:.1f}s")

    cs_times: list[float] = []
    cs_rss: list[int] = []
    sq_times: list[float] = []
    su_times: list[float] = []
    clear_times: list[float] = []
    cpu: dict[str, list[float]] = {"sealed": [], "clear": []}  # CPU seconds: a shared machine's load aside
    peer_runs = args.peer_runs if su else 0
    # Interleave the tools so a noisy neighbour hits them alike.
    for i in range(max(args.runs, peer_runs, args.clear_runs)):
        if i < args.runs:
            wall, rss, used = csctl_run(csctl, root, csv_path, n, f"csctl-{i + 1}", month=args.month)
            cs_times.append(wall)
            cs_rss.append(rss)
            cpu["sealed"].append(used)
            log(f"run {i + 1}: csctl sales import {wall:.2f}s, CPU {used:.2f}s (peak RSS {mb(rss):.0f} MB)")
        if i < args.clear_runs:
            wall, _, used = csctl_run(csctl, root, csv_path, n, f"csctl-clear-{i + 1}", seal=False, month=args.month)
            clear_times.append(wall)
            cpu["clear"].append(used)
            log(f"run {i + 1}: csctl sales import, phones in clear {wall:.2f}s, CPU {used:.2f}s")
        if i < args.runs:
            wall = sqlite3_run(sqlite3_cli, root, csv_path, n, f"sqlite3-{i + 1}")
            sq_times.append(wall)
            log(f"run {i + 1}: sqlite3 .import {wall:.2f}s")
        if i < peer_runs:
            wall = sqlite_utils_run(su, root, csv_path, n, f"sqlite-utils-{i + 1}")
            su_times.append(wall)
            log(f"run {i + 1}: sqlite-utils insert {wall:.2f}s")

    memory: dict[str, Any] | None = None
    if args.memory_check:
        quarter = max(1, n // 4)
        q_path = root / f"sales-{args.month}-{quarter}.csv"
        generate_csv(q_path, quarter, args.month, args.seed)
        _, q_rss, _ = csctl_run(csctl, root, q_path, quarter, "csctl-quarter")
        full_rss = max(cs_rss)
        memory = {"rows_quarter": quarter, "peak_rss_mb_quarter": mb(q_rss),
                  "rows_full": n, "peak_rss_mb_full": mb(full_rss), "growth": full_rss / q_rss}
        log(f"memory check: csctl peak RSS {mb(q_rss):.0f} MB at {quarter} rows, {mb(full_rss):.0f} MB at {n} rows")

    base = statistics.median(sq_times)
    tools = [("csctl sales import", cs_times), ("sqlite3 .import", sq_times)]
    if clear_times:
        tools.append(("csctl, phones in clear", clear_times))
    if su_times:
        tools.append(("sqlite-utils insert", su_times))
    figures = []
    for name, times in tools:
        f = summary(times, n)
        f["tool"] = name
        f["ratio_to_sqlite3"] = f["median_s"] / base if base > 0 else None
        figures.append(f)
    ratio = figures[0]["ratio_to_sqlite3"]
    passed = ratio is not None and ratio <= TARGET_RATIO
    result = {
        "benchmark": "import_sales",
        "rows": n,
        "csv_mb": mb(size),
        "month": args.month,
        "seed": args.seed,
        "runs": args.runs,
        "peer_runs": len(su_times),
        "clear_runs": len(clear_times),
        "sealing_cost_s": (statistics.median(cs_times) - statistics.median(clear_times)) if clear_times else None,
        "csctl_cpu_s": {k: statistics.median(v) for k, v in cpu.items() if v},
        "figures": figures,
        "target": {"text": f"csctl <= {TARGET_RATIO} x sqlite3 .import", "ratio": ratio, "pass": passed},
        "csctl_peak_rss_mb": {"median": mb(statistics.median(cs_rss)), "max": mb(max(cs_rss))},
        "memory_check": memory,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "sqlite3_cli": " ".join(subprocess.run([sqlite3_cli, "--version"], capture_output=True,
                                               text=True).stdout.split()[:1]),
    }
    return result


if __name__ == "__main__":
    sys.exit(main())
