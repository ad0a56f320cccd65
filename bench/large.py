#!/usr/bin/env python3
"""Large-ledger benchmark: csctl on years of rows, each figure beside its peer and its target.

Generates (once, cached in bench/out/ by size and seed) a realistic ledger through csctl's own
services, so that every row passes the rules and the hash chain is real: ~500 staff, 24 months,
the sales as one `sales import` CSV per month, the discipline events as one `log import` CSV
per month, keys, handovers, duty, hazmat and level changes through their services, all 24
months closed. A second, small ledger holds only the benchmarked month. Then times, as
subprocesses (wall time, interleaved, medians with min/max):

  start-up   log late, keys borrow, hazmat draw  vs  the one-command Typer app (startup.py)
             and python -c "import sqlite3"
  month      month close (after an untimed reopen) and month statement --json, large vs small
  history    review, staff show, keys out --overdue, hazmat stock
  ledger     verify (rows/s), backup (MB/s) vs sqlite3 .backup

  import     sales import of 1,000,000 rows (a fresh ledger, as a subprocess) vs sqlite3 .import
             and sqlite-utils insert --csv, and its peak memory at 250,000 and 1,000,000 rows
             (bench/import_sales.py's measure())

Standard library and csctl only (sqlite-utils, a peer, comes with csctl's test extras); not a
pytest module.

    python bench/large.py              # full size: 1,000,000 sales, 200,000 events
    python bench/large.py --quick      # 1/20 of that, about a minute
    python bench/large.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable

import import_sales  # bench/import_sales.py, beside this script
from common import log, run_in  # bench/common.py, beside this script
from startup import PEER_SCHEMA, TYPER_APP, call, copy_ledger

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
STAFF_N = 500
MONTHS_N = 24
SHIFTS = ("day", "night")  # one handover of each a day (H1): security to the desk and back
ITEMS = ["equipment=ok", "front_desk=ok", "keys=ok", "mail=ok", "logbook=ok"]
KEYS_N = 40  # keys on the cabinet; the start-up scenario borrows each in turn
PRODUCTS = ["Rice Cooker", "Air Fryer", "Electric Kettle", "Blender", "Steam Iron", "Desk Lamp", "Thermos"]
EVENT_MIX = [("late", 40), ("absent", 10), ("offline", 15), ("complaint-slow", 15), ("forgot-signin", 10),
             ("complaint-attitude", 5), ("early-leave", 5)]
TARGET_APP = 1.3      # start-up: x the one-command Typer app
TARGET_MONTH_S = 1.0  # month close / statement, seconds
TARGET_RATIO = 1.5    # large / small ledger
TARGET_READ_S = 2.0   # review, histories, listings
TARGET_VERIFY = 300_000  # rows/s
TARGET_IMPORT = import_sales.TARGET_RATIO  # sales import: x sqlite3 .import
TARGET_MEMORY = 1.5  # peak RSS at 1,000,000 rows / at 250,000: flat, as the import streams


def months_back(today: date, n: int) -> list[str]:
    """The n whole months ending two months before today's (so the last month and this one stay open)."""
    y, m = today.year, today.month - 2
    out = []
    for _ in range(n):
        if m < 1:
            y, m = y - 1, m + 12
        out.append(f"{y:04d}-{m:02d}")
        m -= 1
    return out[::-1]


def days_in(month: str) -> list[date]:
    y, m = (int(x) for x in month.split("-"))
    d = date(y, m, 1)
    out = []
    while d.month == m:
        out.append(d)
        d += timedelta(days=1)
    return out


# ----------------------------------------------------------------------------- generating
def generate(path: Path, *, sales: int, events: int, nouns: int, months: list[str], seed: int) -> dict[str, Any]:
    """Build the ledger at `path` in this process through csctl's services (so the chain is real)."""
    from csctl.services import Session, discipline, duty, handover, hazmat, keys, levels, pay, staff
    from csctl.services import month as months_svc
    from csctl.services import sales as sales_svc
    from csctl.services.demo import PEOPLE

    rng = random.Random(seed)
    s = Session.open(str(path), by="G01")
    # Generation only: no fsync per transaction (each csctl command keeps synchronous=FULL).
    s.ledger.conn.execute("PRAGMA synchronous = OFF")
    t = {"start": time.perf_counter()}
    counts: dict[str, int] = {}
    refused: dict[str, int] = {}

    def attempt(what: str, fn: Callable[[], Any]) -> Any:
        try:
            r = fn()
            counts[what] = counts.get(what, 0) + 1
            return r
        except Exception as exc:  # a rule refused the row: counted, shown at the end
            refused[what] = refused.get(what, 0) + 1
            if refused[what] <= 2:
                log(f"  refused {what}: {exc}")
            return None

    hired = "2022-01-01"
    for sid, name, dept, rank, level, _ in PEOPLE:
        s.by = "G01"
        staff.add(s, sid, name=name, dept=dept, rank=rank, level=level, hired=hired)
    sellers = [p[0] for p in PEOPLE if p[2] == "customer_service" and p[3] == "staff"]
    lvls = ["junior", "intermediate", "senior"]
    for i in range(1, STAFF_N - len(PEOPLE) + 1):
        sid = f"C{i:03d}"
        s.by = "G01"
        staff.add(s, sid, name=f"Clerk {i}", dept="customer_service", rank="staff", level=rng.choice(lvls[:2]),
                  hired=hired)
        sellers.append(sid)
    counts["staff"] = STAFF_N
    s.by = "P01"
    for k in range(KEYS_N):
        keys.add(s, f"OF-{k:02d}", label=f"Office {k}", category="office", at=f"{months[0]}-01 07:00")
    for k in range(5):  # never lent while generating: the start-up scenario borrows these
        keys.add(s, f"BN-{k:02d}", label=f"Bench {k}", category="office", at=f"{months[0]}-01 07:00")
    s.by = "L01"
    for name, unit in hazmat.DEMO_MATERIALS:
        hazmat.add(s, name, unit=unit)
    t["staff"] = time.perf_counter()
    level_of = {sid: s.staff()[sid].level for sid in sellers}
    work = Path(tempfile.mkdtemp(prefix="csctl-large-gen-"))
    sales_s = events_s = 0.0
    per_sales, per_events, per_noun = sales // len(months), events // len(months), max(1, nouns // len(months))
    try:
        for mi, m in enumerate(months):
            days = days_in(m)
            # sales: the shop's export, one CSV a month, through `sales import`
            csv = work / f"sales-{m}.csv"
            with csv.open("w", encoding="utf-8") as f:
                f.write("date,staff,product,amount,orders,customer\n")
                for _ in range(per_sales):
                    cents = rng.randint(990, 99_999) * (-1 if rng.random() < 0.02 else 1)
                    cust = "" if rng.random() < 0.1 else f"Wang 138{rng.randint(0, 99_999_999):08d}"
                    sign = "-" if cents < 0 else ""
                    f.write(f"{rng.choice(days)},{rng.choice(sellers)},{rng.choice(PRODUCTS)},"
                            f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d},{rng.randint(1, 3)},{cust}\n")
            s.by = "L01"
            t0 = time.perf_counter()
            sales_svc.import_file(s, str(csv))
            sales_s += time.perf_counter() - t0
            counts["sales"] = counts.get("sales", 0) + per_sales
            # discipline: the attendance clock's export, one CSV a month, through `log import`
            csv = work / f"events-{m}.csv"
            kinds = [k for k, w in EVENT_MIX for _ in range(w)]
            with csv.open("w", encoding="utf-8") as f:
                f.write("date,staff,kind,minutes,approved_by,points,source,note,approved_on,until\n")
                for _ in range(per_events):
                    kind = rng.choice(kinds)
                    minutes = str(rng.randint(1, 29)) if kind in ("late", "early-leave") else ""
                    source = "customer" if kind.startswith("complaint") else ""
                    f.write(f"{rng.choice(days)} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d},"
                            f"{rng.choice(sellers)},{kind},{minutes},,,{source},,,\n")
            s.by = "L01"
            t0 = time.perf_counter()
            discipline.import_file(s, csv)
            events_s += time.perf_counter() - t0
            counts["events"] = counts.get("events", 0) + per_events
            # the nouns, through their services, one command's write each
            s.by = "L01"
            attempt("hazmat_stock_ins", lambda: hazmat.stock_in(s, "alcohol", qty=str(per_noun * 20),
                                                                  at=f"{m}-01 08:00", note="monthly delivery"))
            last = mi == len(months) - 1
            for j in range(per_noun):
                # in time order (each noun refuses rows recorded out of order): a few a day, 3 h apart
                day = days[j * len(days) // per_noun]
                slot = j - -(-(day.day - 1) * per_noun // len(days))  # the j-th of that day: 0, 1, 2 ...
                who = sellers[(mi * per_noun + j) % len(sellers)]
                code = f"OF-{j % KEYS_N:02d}"
                hh = 8 + 3 * slot
                shift = SHIFTS[slot % len(SHIFTS)]
                at = lambda mm, h=hh, d=day: f"{d} {h:02d}:{mm:02d}"  # noqa: E731
                s.by = who
                attempt("key borrows", lambda: keys.borrow(s, code, by_staff=who, approved_by="P01",
                                                           purpose="office work", at=at(1)))
                if not (last and j >= per_noun - 5):  # the last few stay out: overdue
                    attempt("key returns", lambda: keys.give_back(s, [code], by_staff=who, received_by="L01",
                                                                  at=at(40)))
                a, b = ("K01", who) if shift == "day" else (who, "K01")
                s.by = a
                h = slot < len(SHIFTS) and attempt("handovers", lambda: handover.open_(
                    s, shift=shift, from_staff=a, to_staff=b, items=ITEMS, at=at(5)))
                if h:
                    s.by = b
                    attempt("handover answers", lambda: handover.answer(s, str(h["id"]), by_staff=b,
                                                                        accepted=True, at=at(10)))
                s.by = "L01"
                attempt("duty starts", lambda: duty.start(s, "L01", at=at(12)))
                attempt("duty notes", lambda: duty.note(s, "L01", text="rounds done", handled="nothing found",
                                                        at=at(20)))
                attempt("duty ends", lambda: duty.end(s, "L01", at=at(30)))
                d = attempt("hazmat draws", lambda: hazmat.draw(s, "alcohol", qty="10", staff=who, approved_by="L01",
                                                                purpose="wipe the desk", at=at(15)))
                if d:
                    attempt("hazmat uses", lambda: hazmat.used(s, str(d["id"]), staff=who, at=at(25)))
            s.by = "P01"
            for j in range(max(1, per_noun // 10)):  # P1: a few level changes a month
                who = sellers[rng.randrange(len(sellers))]
                cur = level_of.get(who)
                if cur in ("junior", "intermediate"):
                    nxt = lvls[lvls.index(cur) + 1]
                    if attempt("level changes", lambda: levels.change_level(s, who, to=nxt, from_date=f"{m}-01",
                                                                            reason="quarterly review")):
                        level_of[who] = nxt
            s.by = "P01"
            pay.record_costs(s, m, product_cost="300000.00", marketing="12000.00", shipping_loss="860.00",
                             other="3200.00")
            log(f"  {m}: generated ({time.perf_counter() - t['start']:.0f}s)")
        t["rows"] = time.perf_counter()
        s.by = "P01"
        for m in months:
            months_svc.close(s, m)
        t["close"] = time.perf_counter()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        s.ledger.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        s.close()
    return {"counts": counts, "refused": refused, "staff_s": t["staff"] - t["start"],
            "rows_s": t["rows"] - t["staff"], "close_s": t["close"] - t["rows"], "total_s": t["close"] - t["start"],
            "sales_import_s": sales_s, "sales_import_rows_per_s": counts.get("sales", 0) / sales_s if sales_s else None,
            "events_import_s": events_s}


def cached(sales: int, events: int, nouns: int, months: list[str], seed: int) -> tuple[Path, dict[str, Any]]:
    OUT.mkdir(exist_ok=True)
    key = f"ledger-v3-s{sales}-e{events}-n{nouns}-m{len(months)}-{months[-1]}-seed{seed}"
    db, meta = OUT / f"{key}.db", OUT / f"{key}.json"
    if db.exists() and meta.exists():
        log(f"using cached {db.name}")
        return db, json.loads(meta.read_text())
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    log(f"generating {db.name} ...")
    # Each write appends the new head to a witness and fsyncs it (README, "Trust"). The witness
    # of the generation is thrown away with it, so it goes to memory (/dev/shm) when there is
    # one: on a shared disk each fsync took up to 15 ms, about 15 s a month of ~1,000 writes.
    # The ledger's own writes and chain are as csctl makes them; the timed commands witness on disk.
    keep_state = os.environ.get("XDG_STATE_HOME")
    shm = Path("/dev/shm")
    state = Path(tempfile.mkdtemp(prefix="csctl-large-state-", dir=shm if shm.is_dir() else None))
    os.environ["XDG_STATE_HOME"] = str(state)
    try:
        info = generate(db, sales=sales, events=events, nouns=nouns, months=months, seed=seed)
    finally:
        shutil.rmtree(state, ignore_errors=True)
        if keep_state is None:
            os.environ.pop("XDG_STATE_HOME", None)
        else:
            os.environ["XDG_STATE_HOME"] = keep_state
    meta.write_text(json.dumps(info, default=str, indent=2))
    log(f"generated {db.name} in {info['total_s']:.0f}s; refused: {info['refused'] or 'none'}")
    return db, info


# ----------------------------------------------------------------------------- timing
def summary(t: list[float]) -> dict[str, Any]:
    return {"runs": len(t), "median_s": statistics.median(t), "min_s": min(t), "max_s": max(t), "times_s": t}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="1/20 of the size (50,000 sales, 10,000 events)")
    ap.add_argument("--sales", type=int, help="sales rows over the 24 months (default 1,000,000)")
    ap.add_argument("--events", type=int, help="discipline events (default 200,000)")
    ap.add_argument("--nouns", type=int, help="key borrowings, handovers, duties, hazmat draws each (default 2,400)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each command (default 5)")
    ap.add_argument("--startup-runs", type=int, default=21,
                    help="timed runs of the start-up rows and their peers, which take milliseconds (default 21)")
    ap.add_argument("--import-rows", type=int, help="rows of the timed sales import (default 1,000,000; 0 skips it)")
    ap.add_argument("--import-runs", type=int, default=3, help="timed runs of the import and sqlite3 .import (default 3)")
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--csctl", help="csctl executable (default: the one beside this Python)")
    ap.add_argument("--keep-dir", action="store_true", help="keep the work directory")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")
    args = ap.parse_args(argv)
    scale = 20 if args.quick else 1
    args.sales = args.sales or 1_000_000 // scale
    args.events = args.events or 200_000 // scale
    args.nouns = args.nouns or 2_400 // scale
    args.import_rows = 1_000_000 // scale if args.import_rows is None else args.import_rows
    csctl = args.csctl or str(Path(sys.executable).parent / "csctl")
    root = Path(tempfile.mkdtemp(prefix="csctl-bench-large-"))
    # Every write appends to a witness in the per-user state folder (README, "Trust"): the
    # benchmark's go to its own folder, and leave with it.
    os.environ["XDG_STATE_HOME"] = str(root / "state")
    return run_in(root, args.keep_dir, lambda: bench(args, root, csctl))


def bench(args: argparse.Namespace, root: Path, csctl: str) -> int:
    t_all = time.perf_counter()
    months = months_back(date.today(), MONTHS_N)
    big, info = cached(args.sales, args.events, args.nouns, months, args.seed)
    month = months[-1]
    share = lambda n: max(1, n // MONTHS_N)  # noqa: E731
    small, small_info = cached(share(args.sales), share(args.events), share(args.nouns), [month], args.seed)
    t_gen = time.perf_counter() - t_all
    work, work_small = root / "WORK.db", root / "SMALL.db"
    copy_ledger(big, work)
    copy_ledger(small, work_small)
    rows_total = sqlite3.connect(big).execute("SELECT sum(rows) FROM chain").fetchone()[0]
    size = big.stat().st_size
    today = date.today()
    app = root / "typer_app.py"
    app.write_text(TYPER_APP, encoding="utf-8")
    peer_db = root / "PEER.db"
    with sqlite3.connect(peer_db) as c:
        c.execute(PEER_SCHEMA)
    sqlite3_cli = shutil.which("sqlite3")
    n = {"i": 0}

    def cs(*a: str, db: Path = work) -> list[str]:
        return [csctl, "--db", str(db), *a]

    def clock() -> str:  # a fresh minute today for each write, so no two writes collide
        n["i"] += 1
        return f"{today} {(n['i'] // 60) % 24:02d}:{n['i'] % 60:02d}"

    def t(cmd: list[str], what: str) -> Callable[[], float]:
        return lambda: call(cmd, root, what)[0]

    def borrow() -> float:
        code = f"BN-{n['i'] % 5:02d}"
        wall = call(cs("--by", "C001", "keys", "borrow", code, "--by-staff", "C001", "--approved-by", "P01",
                       "--purpose", "bench", "--at", clock()), root, "csctl keys borrow")[0]
        call(cs("--by", "C001", "keys", "return", code, "--by-staff", "C001", "--received-by", "L01",
                "--at", clock()), root, "csctl keys return (untimed)")
        return wall

    def close(db: Path) -> Callable[[], float]:
        def run() -> float:
            call(cs("--by", "M01", "month", "reopen", month, "--reason", "bench", db=db), root, "month reopen (untimed)")
            return call(cs("--by", "P01", "month", "close", month, db=db), root, "csctl month close")[0]
        return run

    def backup_cs() -> float:
        dest = root / "backup.db"
        dest.unlink(missing_ok=True)
        Path(f"{dest}.witness").unlink(missing_ok=True)  # the witness backup leaves beside its copy
        return call(cs("backup", str(dest)), root, "csctl backup")[0]

    def backup_sq() -> float:
        dest = root / "backup-sq.db"
        dest.unlink(missing_ok=True)
        return call([sqlite3_cli, str(work), f".backup {dest}"], root, "sqlite3 .backup")[0]

    cases: list[tuple[str, str, Callable[[], float]]] = [
        ("python", 'python -c "import sqlite3"  (floor)', t([sys.executable, "-c", "import sqlite3"], "python")),
        ("app", "typer_app.py: one Typer command, one insert  (peer)",
         lambda: call([sys.executable, str(app), str(peer_db), "S01", "--minutes", "12", "--at", clock()],
                      root, "typer app")[0]),
        ("late", "log late C001 --minutes 12",
         lambda: call(cs("--by", "L01", "log", "late", "C001", "--minutes", "12", "--at", clock()), root,
                      "csctl log late")[0]),
        ("borrow", "keys borrow BN-nn  (return untimed)", borrow),
        ("draw", "hazmat draw alcohol --qty 1",
         lambda: call(cs("--by", "L01", "hazmat", "draw", "alcohol", "--qty", "1", "--staff", "C001",
                         "--approved-by", "L01", "--purpose", "bench", "--at", clock()), root, "hazmat draw")[0]),
        ("close", f"month close {month}  (large; reopen untimed)", close(work)),
        ("close_small", f"month close {month}  (one-month ledger)", close(work_small)),
        ("stmt", f"month statement {month} --json  (large)", t(cs("month", "statement", month, "--json"), "statement")),
        ("stmt_small", f"month statement {month} --json  (one-month ledger)",
         t(cs("month", "statement", month, "--json", db=work_small), "statement small")),
        ("review", "review", t(cs("review"), "review")),
        ("show", "staff show C001  (24 months)", t(cs("staff", "show", "C001"), "staff show")),
        ("keys_out", "keys out --overdue", t(cs("keys", "out", "--overdue"), "keys out")),
        ("stock", "hazmat stock", t(cs("hazmat", "stock"), "hazmat stock")),
        ("verify", f"verify  ({rows_total:,} rows)", t(cs("verify"), "verify")),
        ("backup", f"backup  ({size / 2**20:.0f} MB)", backup_cs),
    ]
    if sqlite3_cli:
        cases.append(("backup_sq", "sqlite3 .backup  (peer)", backup_sq))
    else:
        log("sqlite3 CLI not on PATH: the backup peer is skipped")
    times: dict[str, list[float]] = {k: [] for k, _, _ in cases}
    log("warm-up (untimed)")
    for _, _, fn in cases:
        fn()
    quick = ("python", "app", "late", "borrow", "draw")  # start-ups: milliseconds, so more runs
    total = max(args.runs, args.startup_runs)
    for i in range(total):  # interleaved, so noise on the shared machine hits every command alike
        for k, _, fn in cases:
            if i < (args.startup_runs if k in quick else args.runs):
                times[k].append(fn())
        log(f"run {i + 1}/{total}: " + ", ".join(f"{k} {v[-1] * 1000:.0f}" for k, v in times.items()))
    med = {k: statistics.median(v) for k, v in times.items()}
    imported = None
    if args.import_rows:
        log(f"sales import: {args.import_rows:,} rows, {args.import_runs} runs (and 1 of sqlite-utils)")
        folder = root / "import"
        folder.mkdir()
        su = import_sales.find_tool(None, "sqlite-utils")
        imported = import_sales.measure(folder, csctl, sqlite3_cli, su, rows=args.import_rows,
                                        runs=args.import_runs, peer_runs=1 if su else 0, month=month,
                                        seed=args.seed, memory_check=True)
        shutil.rmtree(folder, ignore_errors=True)

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    rows: list[dict[str, Any]] = []
    for k, label, _ in cases:
        r = {"key": k, "command": label, **summary(times[k]), "peer": "", "ratio": None, "target": "", "result": ""}
        if k in ("late", "borrow", "draw"):
            r.update(peer="app", ratio=med[k] / med["app"], target=f"<= {TARGET_APP} x app",
                     result=verdict(med[k] / med["app"] <= TARGET_APP))
            r["x_python"] = med[k] / med["python"]
        elif k in ("close", "stmt"):
            ratio = med[k] / med[k + "_small"]
            r.update(peer=k + "_small", ratio=ratio, target=f"< {TARGET_MONTH_S:.0f} s, <= {TARGET_RATIO} x small",
                     result=verdict(med[k] < TARGET_MONTH_S and ratio <= TARGET_RATIO))
        elif k in ("review", "show", "keys_out", "stock"):
            r.update(target=f"< {TARGET_READ_S:.0f} s", result=verdict(med[k] < TARGET_READ_S))
        elif k == "verify":
            rate = rows_total / med[k]
            r.update(rate=f"{rate:,.0f} rows/s", target=f">= {TARGET_VERIFY:,} rows/s", result=verdict(rate >= TARGET_VERIFY))
        elif k == "backup":
            r["rate"] = f"{size / 2**20 / med[k]:,.0f} MB/s"
            if "backup_sq" in med:
                r.update(peer="backup_sq", ratio=med[k] / med["backup_sq"])
        elif k == "backup_sq":
            r["rate"] = f"{size / 2**20 / med[k]:,.0f} MB/s"
        rows.append(r)
    if imported:
        n_rows = imported["rows"]
        for f in imported["figures"]:
            key = {"csctl sales import": "import", "sqlite3 .import": "import_sq"}.get(f["tool"], "import_su")
            label = {"import": f"sales import  ({n_rows:,} rows, fresh ledger)",
                     "import_sq": "sqlite3 .import  (peer)", "import_su": "sqlite-utils insert --csv  (peer)"}[key]
            r = {"key": key, "command": label, **{k: f[k] for k in ("runs", "median_s", "min_s", "max_s", "times_s")},
                 "peer": "", "ratio": None, "target": "", "result": "", "rate": f"{f['rows_per_s']:,.0f} rows/s"}
            if key != "import_sq":
                r.update(peer="sqlite3", ratio=f["ratio_to_sqlite3"])
            if key == "import":
                r.update(target=f"<= {TARGET_IMPORT} x sqlite3", result=verdict(f["ratio_to_sqlite3"] <= TARGET_IMPORT))
            rows.append(r)
        m = imported["memory_check"]
        growth = m["peak_rss_mb_full"] / m["peak_rss_mb_quarter"]
        rows.append({"key": "import_rss", "command": f"sales import peak RSS  ({m['rows_quarter']:,} -> {n_rows:,} rows)",
                     "runs": 1, "median_s": None, "min_s": None, "max_s": None, "times_s": [], "peer": "",
                     "ratio": None, "rate": f"{m['peak_rss_mb_quarter']:.0f} -> {m['peak_rss_mb_full']:.0f} MB",
                     "target": f"<= {TARGET_MEMORY} x (flat)", "result": verdict(growth <= TARGET_MEMORY),
                     "growth": growth})
    result = {"benchmark": "large", "date": datetime.now().isoformat(timespec="seconds"),
              "command": " ".join(["python", "bench/large.py", *(sys.argv[1:])]),
              "machine": f"{platform.platform()}, {os.cpu_count()} cores (shared with other work)",
              "python": sys.version.split()[0], "runs": args.runs, "startup_runs": args.startup_runs, "month": month,
              "ledger": {"file": big.name, "mb": size / 2**20, "rows": rows_total, **info},
              "small_ledger": {"file": small.name, "counts": small_info["counts"]},
              "generation_or_cache_s": t_gen, "bench_s": time.perf_counter() - t_all - t_gen, "figures": rows}
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return 0
    c = info["counts"]
    print(f"large ledger: {rows_total:,} rows, {size / 2**20:.0f} MB, {STAFF_N} staff, {MONTHS_N} months closed "
          f"({c.get('sales', 0):,} sales, {c.get('events', 0):,} events, "
          + ", ".join(f"{v:,} {k}" for k, v in c.items() if k not in ("sales", "events", "staff")) + ")")
    print(f"{result['date']}; {result['machine']}; python {result['python']}; medians over {args.startup_runs} runs "
          f"(start-ups and their peers) or {args.runs} (the rest)")
    print()
    w = max(len(r["command"]) for r in rows)
    head = f"{'command':<{w}} {'median':>8} {'min':>8} {'max':>8}  {'vs peer':<30} {'target':<26} result"
    print(head)
    print("-" * len(head))
    for r in rows:
        vs = f"{r['ratio']:.2f} x {r['peer']}" if r["ratio"] is not None else r.get("rate", "")
        if r["ratio"] is not None and r.get("rate"):
            vs = f"{r['rate']}, {r['ratio']:.2f} x sqlite3"
        if r.get("growth"):
            vs = f"{r['rate']}, x{r['growth']:.2f}"
        secs = "".join(f"{v:>7.3f}s " if v is not None else f"{'':>8} "
                       for v in (r["median_s"], r["min_s"], r["max_s"]))
        print(f"{r['command']:<{w}} {secs} {vs:<30} {r['target']:<26} {r['result']}")
    print()
    if info.get("sales_import_rows_per_s"):
        print(f"generation (in-process, once, cached): {info['total_s']:.0f}s, of it sales import "
              f"{info['sales_import_s']:.0f}s at {info['sales_import_rows_per_s']:,.0f} rows/s, log import "
              f"{info['events_import_s']:.0f}s, closing the months {info['close_s']:.0f}s")
    print(f"this run: {t_gen:.0f}s generating or loading the cache, {result['bench_s']:.0f}s timing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
