#!/usr/bin/env python3
"""Stress: the probe of issue 15 as a script. Concurrent writers, SIGKILLs at random moments,
and tampering behind csctl's back, each checked; prints the counts.

  writers   W processes at once, each R one-row writes (`log late`), every one its own csctl
            run: every write recorded or refused as busy, nothing lost, the chain intact,
            one witness line per write.
  kills     K runs of `sales import` (a file large enough for the reader process), `month
            close` and `log late`, each SIGKILLed after a random delay (some land after the
            commit, some after the run ended); after each: PRAGMA integrity_check, verify
            (chain and witness), the write all or nothing, and no process left behind.
  tampers   T edits made directly in SQLite with the triggers dropped, of every kind the
            issue lists; after each, verify alone (the witness moved away) and verify with
            the ledger's witness; counts caught by kind.

Sized for a few minutes on two cores by default. Standard library and csctl only; not a
pytest module (no test_ prefix, outside tests/). Everything happens in a temporary folder,
witnesses included (XDG_STATE_HOME points there).

    python bench/stress.py
    python bench/stress.py --writers 8 --rows 100 --kills 200 --tampers 500   # the larger run
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import closing
from datetime import date
from pathlib import Path

from common import child_env, log  # bench/common.py, beside this script


def csctl_cmd(db: Path, *args: str, by: str | None = None) -> list[str]:
    return [sys.executable, "-m", "csctl", "--db", str(db), *(["--by", by] if by else []), *args]


def run(env: dict[str, str], db: Path, *args: str, by: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(csctl_cmd(db, *args, by=by), env=env, capture_output=True, text=True, timeout=600,
                          check=False)


def months() -> tuple[str, str]:
    """The demo's last closed month and the month after it, open and wholly in the past."""
    today = date.today()
    y, m = today.year, today.month - 1
    if m == 0:
        y, m = y - 1, 12
    open_month = f"{y}-{m:02d}"
    y2, m2 = (y, m - 1) if m > 1 else (y - 1, 12)
    return f"{y2}-{m2:02d}", open_month


def counts(db: Path) -> dict[str, int]:
    with closing(sqlite3.connect(db)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("events", "sales", "imports", "closes", "reopens", "chain")}


def integrity(db: Path) -> bool:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def verify(db: Path) -> str:
    """csctl's verify, in this process: "ok", "caught" (L1, exit 1), "refused" (exit 2: the file
    cannot be used as a ledger) or "crash" (anything else: a fault)."""
    from csctl.errors import CsctlError, TamperedError
    from csctl.services import Session, ledger_ops

    session = None
    try:
        session = Session.open(str(db), None, create=False)
        ledger_ops.verify(session)
        return "ok"
    except TamperedError:
        return "caught"
    except CsctlError:
        return "refused"
    except Exception as exc:  # noqa: BLE001 - counted, and shown
        log(f"  crash: {type(exc).__name__}: {exc}")
        return "crash"
    finally:
        if session is not None:
            session.close()


# ----------------------------------------------------------------------------- processes

def _stat(pid: int) -> tuple[str, str, int] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, ppid = raw[raw.rindex(")") + 2:].split()[:2]
    return raw[raw.index("(") + 1:raw.rindex(")")], state, int(ppid)


def _ours(pid: int, marker: str) -> bool:
    try:
        return marker.encode() in Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False


def leftovers(marker: str, wait: float = 3.0) -> list[int]:
    """Processes of this run (their environment names its state folder) other than this one,
    still alive (not zombies) after `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) != os.getpid():
                stat = _stat(int(entry))
                if stat and stat[1] != "Z" and _ours(int(entry), marker):
                    found.append(int(entry))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


# ----------------------------------------------------------------------------- writers

def writers(env: dict[str, str], db: Path, open_month: str, n: int, rows: int, marker: str) -> dict:
    from csctl.ledger import witness

    before = counts(db)
    witnessed = len(witness.read(witness.default_path(db))[0])
    outcomes: Counter[str] = Counter()
    errors: list[str] = []
    lock = threading.Lock()

    def one(w: int) -> None:
        for i in range(rows):
            day = 1 + (w * rows + i) % 28
            done = run(env, db, "log", "late", f"S{1 + (w + i) % 10:02d}", "--minutes", str(1 + i % 20),
                       "--at", f"{open_month}-{day:02d} 09:{w:02d}", "--note", f"writer {w} row {i}", by="L01")
            with lock:
                if done.returncode == 0:
                    outcomes["recorded"] += 1
                elif "busy" in done.stderr:
                    outcomes["busy"] += 1
                else:
                    outcomes["other"] += 1
                    errors.append(done.stderr.strip())

    started = time.perf_counter()
    threads = [threading.Thread(target=one, args=(w,)) for w in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after = counts(db)
    result = {
        "writers": n, "rows_each": rows, "seconds": round(time.perf_counter() - started, 1),
        "recorded": outcomes["recorded"], "busy": outcomes["busy"], "other_errors": outcomes["other"],
        "rows_added": after["events"] - before["events"], "links_added": after["chain"] - before["chain"],
        "witness_lines_added": len(witness.read(witness.default_path(db))[0]) - witnessed,
        "verify": verify(db), "integrity_ok": integrity(db), "left_behind": len(leftovers(marker, 0.5)),
    }
    result["nothing_lost"] = result["rows_added"] == result["recorded"] == result["links_added"] \
        == result["witness_lines_added"]
    for e in errors[:3]:
        log(f"  writer error: {e}")
    return result


# ----------------------------------------------------------------------------- kills

def sales_file(path: Path, month: str, rows: int, tag: int) -> None:
    with open(path, "w") as f:
        f.write("date,staff,product,amount,orders,customer\n")
        f.writelines(f"{month}-{i % 28 + 1:02d},S{i % 10 + 1:02d},item {tag}-{i},{i % 900 + 1}.50,1,\n"
                     for i in range(rows))


def kills(env: dict[str, str], db: Path, root: Path, open_month: str, n: int, rows: int, marker: str) -> dict:
    kinds = ("import", "close", "write")
    seen: Counter[str] = Counter()
    problems: list[str] = []
    rng = random.Random(15)
    span: dict[str, float] = {}

    def trial(k: int, kind: str) -> list[str]:
        """The command of trial k, the month opened again first if a close went through."""
        if open_month in closed_months(db):
            done = run(env, db, "month", "reopen", open_month, "--reason", "stress", by="M01")
            if done.returncode != 0:
                problems.append(f"reopen before trial {k}: {done.stderr.strip()}")
        if kind == "import":
            csv = root / f"shop-{k}.csv"
            sales_file(csv, open_month, rows, k)
            return csctl_cmd(db, "sales", "import", str(csv), by="P01")
        if kind == "close":
            return csctl_cmd(db, "month", "close", open_month, by="P01")
        return csctl_cmd(db, "log", "late", "S01", "--minutes", "3", "--at",
                         f"{open_month}-{k % 28 + 1:02d} 08:{k % 60:02d}", "--note", f"kill {k}", by="L01")

    for kind in kinds:  # how long each runs when left alone: the kills land from its start to past its end
        cmd = trial(-1 - kinds.index(kind), kind)
        started = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        span[kind] = time.perf_counter() - started
        if done.returncode != 0:
            problems.append(f"calibration of {kind}: {done.stderr.strip()}")
    for k in range(n):
        kind = kinds[k % len(kinds)]
        cmd = trial(k, kind)
        before = counts(db)
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 1.15 * span[kind]))
        if proc.poll() is None:
            readers = [pid for pid in map(int, filter(str.isdigit, os.listdir("/proc")))
                       if (_stat(pid) or ("", "", 0))[2] == proc.pid]
            proc.send_signal(signal.SIGKILL)
            seen[f"{kind}: killed"] += 1
            if readers:
                seen[f"{kind}: killed while its reader process ran"] += 1
        else:
            seen[f"{kind}: ended before the kill"] += 1
        proc.wait()
        after = counts(db)
        left = leftovers(marker)
        if left:
            problems.append(f"kill {k} ({kind}): {len(left)} process(es) left: {[_stat(p) for p in left]}")
            for pid in left:
                os.kill(pid, signal.SIGKILL)
        if not integrity(db):
            problems.append(f"kill {k} ({kind}): integrity_check failed")
        outcome = verify(db)
        if outcome != "ok":
            problems.append(f"kill {k} ({kind}): verify {outcome}")
        links = after["chain"] - before["chain"]
        whole = {
            "import": (after["sales"] - before["sales"], after["imports"] - before["imports"]) in ((0, 0), (rows, 1)),
            "close": after["closes"] - before["closes"] in (0, 1),
            "write": after["events"] - before["events"] in (0, 1),
        }[kind] and links in (0, 1)
        if not whole:
            problems.append(f"kill {k} ({kind}): not all or nothing: {before} -> {after}")
        seen[f"{kind}: {'recorded' if links else 'nothing recorded'}"] += 1
    for p in problems[:10]:
        log(f"  {p}")
    return {"kills": n, "by_outcome": dict(sorted(seen.items())), "problems": len(problems),
            "seconds_alone": {k: round(v, 2) for k, v in span.items()}}


def closed_months(db: Path) -> set[str]:
    with closing(sqlite3.connect(db)) as conn:
        closes = dict(conn.execute("SELECT month, max(id) FROM closes GROUP BY month").fetchall())
        reopens = dict(conn.execute("SELECT month, max(id) FROM reopens GROUP BY month").fetchall())
    return {m for m, c in closes.items() if c > reopens.get(m, 0)}


# ----------------------------------------------------------------------------- tampers

def untriggered(db: Path, *steps: tuple[str, tuple] | str, version: int | None = None) -> None:
    """Run SQL behind csctl's back: the triggers dropped meanwhile and made again as they were."""
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        conn.execute("BEGIN")
        for name, _ in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        for step in steps:
            text, params = (step, ()) if isinstance(step, str) else step
            conn.execute(text, params)
        for name, text in triggers:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is None:
                try:
                    conn.execute(text)
                except sqlite3.OperationalError:  # its table is gone
                    pass
        conn.execute("COMMIT")
        if version is not None:
            conn.execute(f"PRAGMA user_version = {version}")


def rechain(db: Path) -> list[str]:
    """Recompute every link from the rows as they stand (a consistent rewrite); returns the heads."""
    from csctl.ledger.chain import GENESIS, RowDigest, hashed_values, late_positions, link_hash_of
    from csctl.tables import ROW_TABLES

    with closing(sqlite3.connect(db)) as conn:
        rows = sorted((r[0], t, tuple(r)) for t in ROW_TABLES for r in conn.execute(f"SELECT * FROM {t}"))
        late = {t: late_positions([c[1] for c in conn.execute(f"PRAGMA table_info({t})")], t) for t in ROW_TABLES}
        links = conn.execute("SELECT id, first_id, last_id, rows, recorded_by, recorded_os, recorded_at, migrations "
                             "FROM chain ORDER BY id").fetchall()
    prev, updates, position = GENESIS, [], 0
    for link_id, first, last, count, by, os_user, at, mark in links:
        digest = RowDigest()
        while position < len(rows) and rows[position][0] <= last:
            row_id, table, values = rows[position]
            if row_id >= first:
                digest.row(table, hashed_values(values[1:-3], late[table]))
            position += 1
        link = link_hash_of(prev, first, last, count, (by, os_user, at), digest.hexdigest(), mark)
        updates.append(("UPDATE chain SET prev = ?, hash = ? WHERE id = ?", (prev, link, link_id)))
        prev = link
    untriggered(db, *updates)
    with closing(sqlite3.connect(db)) as conn:
        return [f"{i} {h}" for i, h in conn.execute("SELECT id, hash FROM chain ORDER BY id")]


def _changed(value):
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    return "x"


def _random_cell(conn: sqlite3.Connection, rng: random.Random, below: int | None = None):
    from csctl.tables import ROW_TABLES

    tables = [t for t in ROW_TABLES if conn.execute(f"SELECT count(*) FROM {t}"
                                                    + (f" WHERE id < {below}" if below else "")).fetchone()[0]]
    table = rng.choice(tables)
    columns = [c[1] for c in conn.execute(f"PRAGMA table_info({table})")][1:-3]
    column = rng.choice(columns)
    where = f" WHERE id < {below}" if below else ""
    row_id, value = conn.execute(f"SELECT id, {column} FROM {table}{where} ORDER BY random() LIMIT 1").fetchone()
    return table, column, row_id, value


def edit_cell(db: Path, rng: random.Random) -> None:
    """Change one cell of a random row, to a value its table's constraints accept."""
    for _ in range(50):
        with closing(sqlite3.connect(db)) as conn:
            table, column, row_id, value = _random_cell(conn, rng)
        try:
            untriggered(db, (f"UPDATE {table} SET {column} = ? WHERE id = ?", (_changed(value), row_id)))
            return
        except sqlite3.IntegrityError:  # a CHECK or UNIQUE of the table: another cell
            continue
    raise RuntimeError("no cell could be changed")


def tamper(kind: str, db: Path, rng: random.Random) -> None:
    from csctl import migrations

    with closing(sqlite3.connect(db)) as conn:
        last_link = conn.execute("SELECT first_id FROM chain ORDER BY id DESC LIMIT 1").fetchone()[0]
        table = _random_cell(conn, rng)[0]
        views = conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall()
        triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
        migration = rng.choice(conn.execute("SELECT name FROM _migrations").fetchall())[0]
        link_count = conn.execute("SELECT count(*) FROM chain").fetchone()[0]
    if kind == "cell edited":
        edit_cell(db, rng)
    elif kind == "cell edited, chain recomputed":
        edit_cell(db, rng)
        rechain(db)
    elif kind == "cell edited, chain and witness recomputed":
        edit_cell(db, rng)
        heads = rechain(db)
        from csctl.ledger import witness

        path = witness.default_path(db)
        keep = [line for line in path.read_text().splitlines() if line.startswith("#")]
        at = "2026-01-01T00:00:00+00:00"
        path.write_text("\n".join(keep + [f"{h} {at}" for h in heads]) + "\n")
    elif kind == "newest rows cut with their links":
        cut = rng.randint(1, min(3, link_count - 1))
        with closing(sqlite3.connect(db)) as conn:
            first = conn.execute("SELECT min(first_id) FROM (SELECT first_id FROM chain ORDER BY id DESC LIMIT ?)",
                                 (cut,)).fetchone()[0]
        from csctl.tables import ROW_TABLES

        untriggered(db, *(f"DELETE FROM {t} WHERE id >= {first}" for t in ROW_TABLES),
                    f"DELETE FROM chain WHERE first_id >= {first}")
    elif kind == "older row deleted":
        with closing(sqlite3.connect(db)) as conn:
            t, _, rid, _ = _random_cell(conn, rng, below=last_link)
        untriggered(db, f"DELETE FROM {t} WHERE id = {rid}")
    elif kind == "row added outside csctl":
        target = rng.choice(("events", "sales"))  # tables with no unique column but the id
        with closing(sqlite3.connect(db)) as conn:
            top = conn.execute("SELECT max(last_id) FROM chain").fetchone()[0]
            columns = [c[1] for c in conn.execute(f"PRAGMA table_info({target})")]
        untriggered(db, f"INSERT INTO {target} SELECT {top + 1}, {', '.join(columns[1:])} FROM {target} "
                        f"ORDER BY random() LIMIT 1")
    elif kind == "chain link edited":
        untriggered(db, ("UPDATE chain SET recorded_by = 'X99' WHERE id = ?", (rng.randint(1, link_count),)))
    elif kind == "_migrations row deleted":
        untriggered(db, ("DELETE FROM _migrations WHERE name = ?", (migration,)))
    elif kind == "_migrations row added":
        untriggered(db, "INSERT INTO _migrations VALUES ('0099_unknown', '2026-01-01T00:00:00+00:00')")
    elif kind == "_migrations applied_at edited":
        untriggered(db, ("UPDATE _migrations SET applied_at = '2020-01-01T00:00:00+00:00' WHERE name = ?",
                         (migration,)))
    elif kind == "user_version raised":
        untriggered(db, version=migrations.schema_version() + rng.randint(1, 90))
    elif kind == "trigger dropped":
        untriggered(db)
        with closing(sqlite3.connect(db)) as conn:
            conn.execute(f"DROP TRIGGER {rng.choice(triggers)[0]}")
    elif kind == "view changed":
        name = rng.choice(views)[0]
        with closing(sqlite3.connect(db)) as conn:
            base = name.removeprefix("live_")
            conn.execute(f"DROP VIEW {name}")
            conn.execute(f"CREATE VIEW {name} AS SELECT * FROM {base} WHERE id > 0")
    elif kind == "table added or altered":
        step = rng.choice(["CREATE TABLE shadow (x)", f"ALTER TABLE {table} ADD COLUMN extra TEXT"])
        untriggered(db, step)
    else:
        raise ValueError(kind)


TAMPERS = ("cell edited", "cell edited, chain recomputed", "newest rows cut with their links", "older row deleted",
           "row added outside csctl", "chain link edited", "_migrations row deleted", "_migrations row added",
           "_migrations applied_at edited", "user_version raised", "trigger dropped", "view changed",
           "table added or altered", "cell edited, chain and witness recomputed")


def tampers(pristine: Path, root: Path, n: int) -> dict:
    from csctl.ledger import witness

    rng = random.Random(1515)
    own = witness.read(witness.default_path(pristine))
    assert own[0], "the pristine ledger has no witness"
    lines = witness.default_path(pristine).read_bytes()
    table: dict[str, Counter[str]] = {k: Counter() for k in TAMPERS}
    for i in range(n):
        kind = TAMPERS[i % len(TAMPERS)]
        trial = root / "tamper" / f"t{i}.db"
        trial.parent.mkdir(exist_ok=True)
        shutil.copyfile(pristine, trial)
        kept = witness.default_path(trial)
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(lines)
        tamper(kind, trial, rng)
        table[kind]["made"] += 1
        with_witness = verify(trial)
        kept.rename(kept.with_suffix(".aside"))
        alone = verify(trial)
        table[kind][f"alone: {alone}"] += 1
        table[kind][f"witness: {with_witness}"] += 1
        for suffix in ("", "-wal", "-shm"):
            Path(f"{trial}{suffix}").unlink(missing_ok=True)
        kept.with_suffix(".aside").unlink()
    return {kind: dict(c) for kind, c in table.items()}


# ----------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--rows", type=int, default=25, help="writes per writer")
    ap.add_argument("--kills", type=int, default=30)
    ap.add_argument("--import-rows", type=int, default=120_000, help="rows of each killed import (>4 MB: relayed)")
    ap.add_argument("--tampers", type=int, default=300)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="csctl-stress-"))
    marker = str(root / "state")
    os.environ["XDG_STATE_HOME"] = marker  # the witnesses of this run, for this process and its children
    env = child_env()
    env["XDG_STATE_HOME"] = marker
    try:
        shown_month, open_month = months()
        base = root / "base.db"
        done = run(env, base, "demo", "--month", shown_month, "--json")
        if done.returncode != 0:
            log(f"FAILED: csctl demo: {done.stderr}")
            return 1
        for i in range(3):  # a few writes of csctl's own, so the witness has heads to hold
            run(env, base, "log", "late", "S02", "--minutes", "4", "--at", f"{open_month}-0{i + 1} 09:00", by="L01")
        report: dict = {"open_month": open_month}

        pristine = root / "pristine.db"
        with closing(sqlite3.connect(base)) as a, closing(sqlite3.connect(pristine)) as b:
            a.backup(b)
        from csctl.ledger import witness

        shutil.copyfile(witness.default_path(base), witness.default_path(pristine))

        log(f"writers: {args.writers} x {args.rows} ...")
        report["writers"] = writers(env, base, open_month, args.writers, args.rows, marker)
        log(f"  {report['writers']}")
        log(f"kills: {args.kills} ...")
        report["kills"] = kills(env, base, root, open_month, args.kills, args.import_rows, marker)
        log(f"  {report['kills']}")
        log(f"tampers: {args.tampers} ...")
        report["tampers"] = tampers(pristine, root, args.tampers)
    finally:
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    w = report["writers"]
    print(f"writers: {w['writers']} x {w['rows_each']} in {w['seconds']} s: {w['recorded']} recorded, {w['busy']} "
          f"refused as busy, {w['other_errors']} other errors; {w['rows_added']} rows, {w['links_added']} links, "
          f"{w['witness_lines_added']} witness lines added; nothing lost: {w['nothing_lost']}; verify {w['verify']}; "
          f"integrity {'ok' if w['integrity_ok'] else 'FAILED'}; processes left: {w['left_behind']}")
    k = report["kills"]
    print(f"kills: {k['kills']} SIGKILLs, problems (integrity, verify, all-or-nothing, process left): {k['problems']}; "
          f"seconds each runs alone: {k['seconds_alone']}")
    for what, n in k["by_outcome"].items():
        print(f"  {what:40} {n}")
    print("tampers: kind, made, caught by verify alone, caught with the witness (caught = exit 1; refused = "
          "exit 2)")
    total = Counter()
    for kind, c in report["tampers"].items():
        alone = c.get("alone: caught", 0)
        witnessed = c.get("witness: caught", 0)
        extra = ", ".join(f"{key} {v}" for key, v in sorted(c.items()) if key.endswith(("refused", "crash")))
        print(f"  {kind:45} {c['made']:4} {alone:6} {witnessed:6}" + (f"   ({extra})" if extra else ""))
        total.update(made=c["made"], alone=alone, witness=witnessed)
    print(f"  {'all':45} {total['made']:4} {total['alone']:6} {total['witness']:6}")
    return 0 if not k["problems"] and w["nothing_lost"] else 1


if __name__ == "__main__":
    sys.exit(main())
