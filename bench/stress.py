#!/usr/bin/env python3
"""Stress: the probe of issue 15 as a script. Concurrent writers, SIGKILLs at random moments and
just after a commit, tampering behind csctl's back, made-up command lines for every command,
and the month model with many more runs than the suite's; each checked; prints one table.

  writers   W processes at once, each R one-row writes (`log late`), every one its own csctl
            run: every write recorded or refused as busy, nothing lost, the chain intact,
            one witness line per write.
  kills     K runs of `sales import` (a file large enough for the reader process), `log
            import`, `month close` and `log late`, each SIGKILLed after a random delay (some
            land after the commit, some after the run ended), and of writes killed the moment
            their commit shows in the ledger ("after commit"); after each: PRAGMA
            integrity_check, verify (chain and witness), the write all or nothing, and no
            process left behind.
  tampers   T edits made directly in SQLite with the triggers dropped, of every kind the
            issue lists; after each, verify alone (the witness moved away) and verify with
            the ledger's witness; counts caught by kind.
  fuzz      tests/fuzzing.py: F made-up command lines and files for every command of csctl's
            tree, in this process (typer's runner), then a sample of them through `python -m
            csctl`: exits 0, 1 or 2 only, no traceback, nothing written by a refusal.
  model     tests/test_month_model.py with M runs: every month report equal to the model.

By default about a minute on two cores; `--full` runs the issue's sizes (8 x 100 writers, 210
kills, 504 tampers, 25 made-up runs of each of ~83 commands, 300 model runs), about four
minutes. Needs csctl with its test extras (hypothesis, pytest). Everything happens in a
temporary folder, witnesses included (XDG_STATE_HOME points there). Not a pytest module.

    python bench/stress.py
    python bench/stress.py --full
    python bench/stress.py --writers 8 --rows 100 --kills 200 --tampers 500 --fuzz 25 --model 300
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


def events_file(path: Path, month: str, rows: int, tag: int) -> None:
    with open(path, "w") as f:
        f.write("date,staff,kind,minutes,approved_by,points,source,note\n")
        f.writelines(f"{month}-{i % 28 + 1:02d} 09:{i % 60:02d},S{i % 10 + 1:02d},late,{i % 20 + 1},,,,kill {tag}-{i}\n"
                     for i in range(rows))


# What is killed, in turn. "after commit": a write (a single event, a small import or a close)
# killed as soon as its commit shows in the ledger, while it still appends to its witness and
# prints; the others at a random moment from their start to past the time they take alone.
TARGETS = ("sales import", "log import", "month close", "log late", "after commit")


def chain_top(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT coalesce(max(id), 0) FROM chain").fetchone()[0]


def fresh(pristine: Path, db: Path) -> None:
    """`db` made again as a copy of the pristine ledger, with its witness: every kill starts from
    the demo ledger, so the imports that went through do not make each verify after it longer."""
    from csctl.ledger import witness

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with closing(sqlite3.connect(pristine)) as a, closing(sqlite3.connect(db)) as b:
        a.backup(b)
    shutil.copyfile(witness.default_path(pristine), witness.default_path(db))


def kills(env: dict[str, str], pristine: Path, root: Path, open_month: str, n: int, rows: dict[str, int],
          marker: str) -> dict:
    seen: dict[str, Counter[str]] = {t: Counter() for t in TARGETS}
    problems: list[str] = []
    rng = random.Random(15)
    span: dict[str, float] = {}
    db = root / "kill.db"

    def trial(k: int, target: str) -> tuple[str, list[str]]:
        """The kind of write of trial k and its command, on a fresh copy of the demo ledger."""
        fresh(pristine, db)
        if open_month in closed_months(db):
            done = run(env, db, "month", "reopen", open_month, "--reason", "stress", by="M01")
            if done.returncode != 0:
                problems.append(f"reopen before trial {k}: {done.stderr.strip()}")
        kind = ("log late", "log import", "month close")[k % 3] if target == "after commit" else target
        if kind == "sales import":
            csv = root / f"shop-{k}.csv"
            sales_file(csv, open_month, rows["sales"], k)
            return kind, csctl_cmd(db, "sales", "import", str(csv), by="P01")
        if kind == "log import":
            csv = root / f"clock-{k}.csv"
            events_file(csv, open_month, rows["log"] if target != "after commit" else 200, k)
            return kind, csctl_cmd(db, "log", "import", str(csv), by="P01")
        if kind == "month close":
            return kind, csctl_cmd(db, "month", "close", open_month, by="P01")
        return kind, csctl_cmd(db, "log", "late", "S01", "--minutes", "3", "--at",
                               f"{open_month}-{k % 28 + 1:02d} 08:{k % 60:02d}", "--note", f"kill {k}", by="L01")

    for target in TARGETS[:4]:  # how long each runs when left alone: the kills land from its start to past its end
        cmd = trial(-1 - TARGETS.index(target), target)[1]
        started = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        span[target] = time.perf_counter() - started
        if done.returncode != 0:
            problems.append(f"calibration of {target}: {done.stderr.strip()}")
    for k in range(n):
        target = TARGETS[k % len(TARGETS)]
        kind, cmd = trial(k, target)
        before = counts(db)
        top = chain_top(db)
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if target == "after commit":
            while proc.poll() is None and chain_top(db) == top:
                time.sleep(0.0005)
        else:
            time.sleep(rng.uniform(0.05, 1.15 * span[target]))
        killed = proc.poll() is None
        if killed:
            readers = [pid for pid in map(int, filter(str.isdigit, os.listdir("/proc")))
                       if (_stat(pid) or ("", "", 0))[2] == proc.pid]
            proc.send_signal(signal.SIGKILL)
            seen[target]["killed"] += 1
            if readers:
                seen[target]["killed while its reader process ran"] += 1
        else:
            seen[target]["ended before the kill"] += 1
        proc.wait()
        after = counts(db)
        found: list[str] = []
        left = leftovers(marker)
        if left:
            found.append(f"{len(left)} process(es) left: {[_stat(p) for p in left]}")
            for pid in left:
                os.kill(pid, signal.SIGKILL)
        if not integrity(db):
            found.append("integrity_check failed")
        outcome = verify(db)
        if outcome != "ok":
            found.append(f"verify {outcome}")
        links = after["chain"] - before["chain"]
        rows_in = {"sales import": rows["sales"], "log import": rows["log"] if target != "after commit" else 200}
        whole = {
            "sales import": (after["sales"] - before["sales"], after["imports"] - before["imports"])
            in ((0, 0), (rows_in.get(kind, 0), 1)),
            "log import": (after["events"] - before["events"], after["imports"] - before["imports"])
            in ((0, 0), (rows_in.get(kind, 0), 1)),
            "month close": after["closes"] - before["closes"] in (0, 1),
            "log late": after["events"] - before["events"] in (0, 1),
        }[kind] and links in (0, 1)
        if not whole:
            found.append(f"not all or nothing: {before} -> {after}")
        if target == "after commit" and killed and not links:
            found.append("killed after its commit showed, yet nothing is recorded")
        seen[target]["recorded" if links else "nothing recorded"] += 1
        seen[target]["problems"] += bool(found)
        problems.extend(f"kill {k} ({target}, {kind}): {f}" for f in found)
    for p in problems[:10]:
        log(f"  {p}")
    return {"kills": n, "by_target": {t: dict(c) for t, c in seen.items()}, "problems": len(problems),
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


# ----------------------------------------------------------------------------- fuzz and model

TESTS = Path(__file__).resolve().parent.parent / "tests"


def fuzz(pristine: Path, root: Path, env: dict[str, str], per_command: int, sample: int) -> dict:
    """tests/fuzzing.py over every command of csctl's tree, `per_command` made-up runs each, in
    this process (typer's runner), on a copy of the demo ledger; then `sample` of the same
    command lines through a real `python -m csctl`."""
    sys.path.insert(0, str(TESTS))
    from fuzzing import Fuzz

    db = root / "fuzz.db"
    with closing(sqlite3.connect(pristine)) as a, closing(sqlite3.connect(db)) as b:
        a.backup(b)
    folder = root / "fuzz"
    folder.mkdir()
    started = time.perf_counter()
    f = Fuzz(str(db), folder)
    f.run(per_command)
    in_process = time.perf_counter() - started
    sub = f.subprocess_round(sample, env)
    for p in f.problems[:10]:
        log(f"  {p}")
    return {"per_command": per_command, "examples": dict(sorted(f.examples.items())),
            "codes": {noun: dict(sorted(c.items())) for noun, c in sorted(f.codes.items())},
            "problems": len(f.problems), "subprocess": sub, "seconds_in_process": round(in_process, 1),
            "seconds": round(time.perf_counter() - started, 1)}


def model(env: dict[str, str], examples: int, steps: int) -> dict:
    """tests/test_month_model.py with `examples` runs of `steps` steps (the suite runs a few)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-x",
                           str(TESTS / "test_month_model.py")], cwd=TESTS.parent, capture_output=True, text=True,
                          env={**env, "CSCTL_MODEL_EXAMPLES": str(examples), "CSCTL_MODEL_STEPS": str(steps)},
                          check=False)
    if done.returncode != 0:
        log(done.stdout[-3000:] + done.stderr[-2000:])
    return {"examples": examples, "steps": steps, "passed": done.returncode == 0,
            "seconds": round(time.perf_counter() - started, 1)}


# ----------------------------------------------------------------------------- main

SIZES = {  # name: (default, --full): the sizes are the full run's
    "writers": (8, 8), "rows": (25, 100), "kills": (30, 210), "tampers": (300, 504), "fuzz": (5, 25),
    "fuzz_subprocess": (20, 60), "model": (40, 300),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--full", action="store_true", help="the issue's sizes: 8 x 100 writers, 210 kills, 504 tampers, "
                                                        "25 fuzz runs of every command, 300 model runs")
    ap.add_argument("--writers", type=int)
    ap.add_argument("--rows", type=int, help="writes per writer")
    ap.add_argument("--kills", type=int)
    ap.add_argument("--import-rows", type=int, default=120_000, help="rows of each killed sales import (>4 MB: relayed)")
    ap.add_argument("--log-rows", type=int, default=20_000, help="rows of each killed log import")
    ap.add_argument("--tampers", type=int)
    ap.add_argument("--fuzz", type=int, help="made-up runs of every command (about 83 commands)")
    ap.add_argument("--fuzz-subprocess", type=int, help="of those, how many again through a real process")
    ap.add_argument("--model", type=int, help="runs of the month model (tests/test_month_model.py)")
    ap.add_argument("--model-steps", type=int, default=14)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args(argv)
    for name, (default, full) in SIZES.items():
        if getattr(args, name) is None:
            setattr(args, name, full if args.full else default)

    root = Path(tempfile.mkdtemp(prefix="csctl-stress-"))
    marker = str(root / "state")
    for name in [k for k in os.environ if k.startswith("CSCTL_")]:  # the in-process runs too
        del os.environ[name]
    os.environ["XDG_STATE_HOME"] = marker  # the witnesses of this run, for this process and its children
    os.environ["XDG_CACHE_HOME"] = str(root / "cache")
    env = child_env()
    env["XDG_STATE_HOME"] = marker
    env["XDG_CACHE_HOME"] = str(root / "cache")
    os.chdir(root)  # whatever a made-up command line writes lands here
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    try:
        shown_month, open_month = months()
        base = root / "base.db"
        done = run(env, base, "demo", "--month", shown_month, "--json")
        if done.returncode != 0:
            log(f"FAILED: csctl demo: {done.stderr}")
            return 1
        for i in range(3):  # a few writes of csctl's own, so the witness has heads to hold
            run(env, base, "log", "late", "S02", "--minutes", "4", "--at", f"{open_month}-0{i + 1} 09:00", by="L01")
        report: dict = {"open_month": open_month, "sizes": {name: getattr(args, name) for name in SIZES}}

        pristine = root / "pristine.db"
        with closing(sqlite3.connect(base)) as a, closing(sqlite3.connect(pristine)) as b:
            a.backup(b)
        from csctl.ledger import witness

        shutil.copyfile(witness.default_path(base), witness.default_path(pristine))

        def step(name: str, what: str, body) -> None:
            log(f"{name}: {what} ...")
            t = time.perf_counter()
            report[name] = body()
            seconds[name] = round(time.perf_counter() - t, 1)
            log(f"  {report[name]}")

        step("writers", f"{args.writers} x {args.rows}",
             lambda: writers(env, base, open_month, args.writers, args.rows, marker))
        step("kills", str(args.kills), lambda: kills(env, pristine, root, open_month, args.kills,
                                                     {"sales": args.import_rows, "log": args.log_rows}, marker))
        step("tampers", str(args.tampers), lambda: tampers(pristine, root, args.tampers))
        step("fuzz", f"{args.fuzz} per command, {args.fuzz_subprocess} again in a process",
             lambda: fuzz(pristine, root, env, args.fuzz, args.fuzz_subprocess))
        step("model", f"{args.model} runs", lambda: model(env, args.model, args.model_steps))
        seconds["all"] = round(time.perf_counter() - started, 1)
        report["seconds"] = seconds
    finally:
        os.chdir(Path(__file__).resolve().parent)
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    w, k, f, m = report["writers"], report["kills"], report["fuzz"], report["model"]
    ok = (w["nothing_lost"] and not w["other_errors"] and not k["problems"] and not f["problems"] and m["passed"])
    if args.json:
        print(json.dumps(report, indent=2))
        return 0 if ok else 1
    print_table(report)
    return 0 if ok else 1


def print_table(report: dict) -> None:
    import platform

    w, k, f, m, s = report["writers"], report["kills"], report["fuzz"], report["model"], report["seconds"]
    print(f"stress run {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}: {s['all']} s in all (writers {s['writers']}, kills {s['kills']}, tampers "
          f"{s['tampers']}, fuzz {s['fuzz']}, model {s['model']})")
    print()
    print(f"{'writers':14}{'runs':>6}  recorded / busy / other errors; rows, links, witness lines added")
    print(f"  {w['writers']} x {w['rows_each']:<8}{w['writers'] * w['rows_each']:>6}  {w['recorded']} / {w['busy']} / "
          f"{w['other_errors']}; {w['rows_added']}, {w['links_added']}, {w['witness_lines_added']}; nothing lost: "
          f"{'yes' if w['nothing_lost'] else 'NO'}; verify {w['verify']}; integrity "
          f"{'ok' if w['integrity_ok'] else 'FAILED'}; processes left {w['left_behind']}")
    print()
    print(f"{'kills':14}{'runs':>6}  killed (reader running) / ended first; recorded / nothing; problems "
          "(integrity, verify, all or nothing, process left)")
    total = Counter()
    for target, c in k["by_target"].items():
        runs = c.get("killed", 0) + c.get("ended before the kill", 0)
        total.update(runs=runs, problems=c.get("problems", 0))
        print(f"  {target:12}{runs:>6}  {c.get('killed', 0)} ({c.get('killed while its reader process ran', 0)}) / "
              f"{c.get('ended before the kill', 0)}; {c.get('recorded', 0)} / {c.get('nothing recorded', 0)}; "
              f"{c.get('problems', 0)}")
    print(f"  {'all':12}{total['runs']:>6}  problems {total['problems']}")
    print()
    print(f"{'tampers':46}{'made':>5}{'verify alone':>14}{'with witness':>14}   (caught: exit 1; refused: exit 2)")
    total = Counter()
    for kind, c in report["tampers"].items():
        alone, witnessed = c.get("alone: caught", 0), c.get("witness: caught", 0)
        extra = ", ".join(f"{key} {v}" for key, v in sorted(c.items()) if key.endswith(("refused", "crash")))
        print(f"  {kind:44}{c['made']:>5}{alone:>14}{witnessed:>14}" + (f"   ({extra})" if extra else ""))
        total.update(made=c["made"], alone=alone, witness=witnessed)
    print(f"  {'all':44}{total['made']:>5}{total['alone']:>14}{total['witness']:>14}")
    print()
    print(f"{'fuzz':14}{'runs':>6}  exit 0 / 1 / 2 / other   ({f['per_command']} made-up runs of every command, "
          "in process; problems: a traceback, another exit, rows written by a refusal)")
    total = Counter()
    for noun, n in f["examples"].items():
        c = f["codes"][noun]
        other = sum(v for code, v in c.items() if code not in (0, 1, 2))
        print(f"  {noun:12}{n:>6}  {c.get(0, 0)} / {c.get(1, 0)} / {c.get(2, 0)} / {other}")
        total.update(runs=n, **{f"e{code}": v for code, v in c.items()})
    print(f"  {'all':12}{total['runs']:>6}  {total['e0']} / {total['e1']} / {total['e2']} / "
          f"{total['runs'] - total['e0'] - total['e1'] - total['e2']}; problems {f['problems']}")
    sub = f["subprocess"]
    print(f"  {'subprocess':12}{sub['runs']:>6}  exits {sub['codes']}, through `python -m csctl`: no traceback on "
          "stderr" + (" (see problems)" if f["problems"] else ""))
    print()
    print(f"model         {m['examples']:>6}  runs of {m['steps']} steps (tests/test_month_model.py): "
          f"{'every report equal to the model' if m['passed'] else 'FAILED'} in {m['seconds']} s")


if __name__ == "__main__":
    sys.exit(main())
