"""Trust under attack and accident (issue 15): no reader left behind by a killed import, a
ledger from a newer csctl refused for writing, read-only ledgers read, empty files refused,
and witnesses of the chain's head kept outside the ledger.

Each test names the item of issue 15 it holds (items 1-5 of the brief; scope 2 is item 5).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from conftest import Cli, copy_ledger_file

from csctl import migrations
from csctl.errors import ExitStatus, LedgerError
from csctl.ledger import Ledger, witness
from csctl.models import Month

HEADER = "date,staff,product,amount,orders,customer\n"


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSCTL_")}
    env["NO_COLOR"] = "1"
    return env


# ============================================================================ item 1: no orphaned reader

RUN_RELAYED = r"""
import sys
import csctl.children as children
import csctl.services.imports.sales as sales
sales.RELAY_FROM_BYTES = 0  # every file is read by the reader process
children.USE_PDEATHSIG = sys.argv.pop(1) == "prctl"
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


def _kill_when_forked(proc: subprocess.Popen, never: str, settle: float = 0.0) -> dict:
    """SIGKILL csctl (`proc`) once it has a child, and return the children still alive (not
    zombies) 10 s later, by pid with their /proc stat; they are killed here whatever the result,
    so a failing test leaves nothing behind."""
    children: list[int] = []
    deadline = time.monotonic() + 60
    while not children and proc.poll() is None and time.monotonic() < deadline:
        children = _children(proc.pid)
        time.sleep(0.005)
    assert children, never
    time.sleep(settle)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    alive = children
    while alive and time.monotonic() < deadline:
        alive = [c for c in alive if (_proc_stat(c) or ("", "Z"))[1] != "Z"]
        time.sleep(0.05)
    left = {c: _proc_stat(c) for c in alive}
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    return left


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
    left = _kill_when_forked(proc, "the import ended (or never started its reader) before it could be killed")
    assert not left, f"reader process(es) outlived the killed csctl: {left}"
    assert dept("verify", "--json").json()["ok"] is True
    assert dept.count("sales") == 0


RUN_SPLIT_VERIFY = r"""
import sys, time
import csctl.children as children
import csctl.ledger.chain as chain
children.USE_PDEATHSIG = sys.argv.pop(1) == "prctl"
chain.SPLIT_FROM_ROWS = 1  # every ledger walked in two
walk = chain._walk
def slow(conn, wanted, *, start=None, stop=None):
    if start is not None:  # the child's part: long enough to be killed in
        time.sleep(60)
    return walk(conn, wanted, start=start, stop=stop)
chain._walk = slow
sys.argv[0] = "csctl"
from csctl.cli import main
main()
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("how", ["prctl", "watcher"])
def test_a_verify_killed_mid_walk_leaves_no_walker_behind(dept, tmp_path, how):
    """verify walks a large ledger in two processes; `kill -9` of csctl leaves no child walking."""
    script = tmp_path / "verify.py"
    script.write_text(RUN_SPLIT_VERIFY)
    proc = subprocess.Popen([sys.executable, str(script), how, "--db", dept.db, "verify"], env=clean_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    left = _kill_when_forked(proc, "verify ended (or never forked its walker) before it could be killed", settle=0.3)
    assert not left, f"verify's walker outlived the killed csctl: {left}"


# ============================================================================ helpers for items 2-5

def sql(db: str, *statements: str | tuple[str, tuple]) -> None:
    """Run SQL on a ledger behind csctl's back, the append-only triggers dropped meanwhile and
    made again as they were."""
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        conn.execute("BEGIN")
        for name, _ in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        for statement in statements:
            text, params = statement if isinstance(statement, tuple) else (statement, ())
            conn.execute(text, params)
        for _, text in triggers:
            conn.execute(text)
        conn.execute("COMMIT")


def rechain(db: str) -> None:
    """Recompute every chain link from the rows as they now stand: a consistent rewrite."""
    from csctl.ledger.chain import GENESIS, RowDigest, hashed_values, late_positions, link_hash_of
    from csctl.tables import ROW_TABLES

    with closing(sqlite3.connect(db)) as conn:
        rows = sorted((r[0], t, tuple(r)) for t in ROW_TABLES for r in conn.execute(f"SELECT * FROM {t}"))
        late = {t: late_positions([c[1] for c in conn.execute(f"PRAGMA table_info({t})")], t) for t in ROW_TABLES}
        links = conn.execute("SELECT id, first_id, last_id, rows, recorded_by, recorded_os, recorded_at, migrations "
                             "FROM chain ORDER BY id").fetchall()
    prev = GENESIS
    updates = []
    for link_id, first, last, count, by, os_user, at, mark in links:
        digest = RowDigest()
        for row_id, table, values in rows:
            if first <= row_id <= last:
                digest.row(table, hashed_values(values[1:-3], late[table]))
        link = link_hash_of(prev, first, last, count, (by, os_user, at), digest.hexdigest(), mark)
        updates.append(("UPDATE chain SET prev = ?, hash = ? WHERE id = ?", (prev, link, link_id)))
        prev = link
    sql(db, *updates)


def one_line(run, code: ExitStatus, *says: str) -> None:
    assert run.code == code, f"exit {run.code}, expected {code}: {run.err}"
    assert run.err.count("\n") == 1 and "Traceback" not in run.err, run.err
    for text in says:
        assert text in run.err, run.err


def user_version(db: str) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


def rows_and_links(db: str) -> tuple[int, int]:
    with closing(sqlite3.connect(db)) as conn:
        return (conn.execute("SELECT count(*) FROM events").fetchone()[0],
                conn.execute("SELECT count(*) FROM chain").fetchone()[0])


ABSENT = ("log", "absent", "S01", "--at", "2026-10-03 09:40")


# ============================================================================ item 2: a newer ledger

def test_item2_every_ledger_this_csctl_creates_or_migrates_carries_its_schema_version(cli, tmp_path):
    """Issue 15 item 2: user_version is set on a new ledger, and on an older one when opened."""
    cli("init")
    assert user_version(cli.db) == migrations.schema_version() == len(migrations.MIGRATIONS)
    sql(cli.db, "PRAGMA user_version = 0")  # as a csctl before schema versions left it
    cli("staff", "list")
    assert user_version(cli.db) == migrations.schema_version()


@pytest.mark.parametrize("newer", [
    "PRAGMA user_version = 99",
    "INSERT INTO _migrations (name, applied_at) VALUES ('0099_from_the_future', '2031-01-01T00:00:00+00:00')",
], ids=["user_version", "unknown-migration"])
def test_item2_a_ledger_of_a_newer_csctl_is_read_with_a_warning_and_never_written(dept, newer):
    """Issue 15 item 2: writing is refused (exit 2, upgrade csctl); reading goes on with one warning."""
    sql(dept.db, newer)
    before = rows_and_links(dept.db)
    one_line(dept(*ABSENT, by="L01", code=None), ExitStatus.BAD_INPUT, "newer csctl", "upgrade csctl")
    one_line(dept("init", code=None), ExitStatus.BAD_INPUT, "newer csctl", "upgrade csctl")
    assert rows_and_links(dept.db) == before
    listed = dept("staff", "list", "--json")
    assert len(listed.json()) == 12
    assert listed.err.count("\n") == 1 and listed.err.startswith("warning:") and "newer csctl" in listed.err
    refused = dept("verify", code=ExitStatus.REFUSED)
    assert "verify failed (L1): the ledger was written by a newer csctl" in refused.err
    # and a listing that records a reveal does not record it either
    assert "newer csctl" in dept("sales", "list", "--reveal", by="M01", code=ExitStatus.BAD_INPUT).err


def test_item2_a_migration_record_deleted_is_not_run_again_and_verify_names_it(dept):
    """Issue 15 scope 2: `_migrations` is checked by verify; a stamped ledger is never migrated twice."""
    sql(dept.db, "DELETE FROM _migrations WHERE name = '0003_staff_changes'")
    one_line(dept("verify", code=None), ExitStatus.REFUSED, "_migrations no longer records 0003_staff_changes")
    dept(*ABSENT, by="L01")  # the migration is not run again over the schema that has it


@pytest.mark.parametrize("edit", [
    ("UPDATE _migrations SET applied_at = '2020-01-01T00:00:00+00:00' WHERE name = '0004_keys'",),
    ("DELETE FROM _migrations WHERE name = '0002_live_views'",
     "INSERT INTO _migrations SELECT '0002_live_views', applied_at FROM _migrations WHERE name = '0001_initial'"),
], ids=["applied_at", "removed-and-written-again"])
def test_item5_every_link_holds_migrations_as_it_stood_so_an_edit_is_caught(dept, edit):
    """Issue 15 scope 3: `_migrations` is inside the chain. Each link written since 0011 holds the
    mark of the table's rows (chain.migrations); a date edited, or a row written again in another
    place, no longer reads as the links say, and verify alone says so (a name edited reads as a
    migration this csctl does not know: test_item2)."""
    assert dept("verify", "--json").json()["ok"] is True
    sql(dept.db, *edit)
    assert not witness.default_path(Path(dept.db)).exists()  # a copied ledger: verify alone
    one_line(dept("verify", code=None), ExitStatus.REFUSED, "_migrations no longer reads as link",
             "edited outside csctl")


def test_item5_a_migration_applied_after_the_last_write_is_held_from_the_next_write(dept):
    """A link holds `_migrations` as it stood: a row written after it is not yet vouched for, and
    the next write's link holds it too."""
    with closing(sqlite3.connect(dept.db)) as conn:
        marks = conn.execute("SELECT DISTINCT migrations FROM chain").fetchall()
        rows = conn.execute("SELECT count(*) FROM _migrations").fetchone()[0]
    assert marks == [(f"{rows}:" + marks[0][0].split(":")[1],)], "every link holds every row of _migrations"
    dept(*ABSENT, by="L01")
    with closing(sqlite3.connect(dept.db)) as conn:
        last = conn.execute("SELECT migrations FROM chain ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert last == marks[0][0]


@pytest.mark.parametrize("change", [
    ["CREATE TABLE shadow (x)"],
    ["ALTER TABLE events ADD COLUMN bonus_points TEXT"],
    ["CREATE TABLE loose AS SELECT * FROM reveals", "DROP TABLE reveals", "ALTER TABLE loose RENAME TO reveals"],
], ids=["added", "altered", "rebuilt-without-its-checks"])
def test_item5_verify_holds_the_tables_to_schema_sql(dept, change):
    """Issue 15 scope 2: every table csctl writes is held to schema.sql by verify, not only
    the triggers and views."""
    sql(dept.db, *change)
    one_line(dept("verify", code=None), ExitStatus.REFUSED, "verify failed (L1): the table")


# ============================================================================ item 3: read-only ledgers

READS = [
    ("verify",),
    ("month", "report", "2026-10"),
    ("log", "list"),
    ("sales", "list"),
    ("staff", "list"),
]


@pytest.fixture
def read_only_mount(tmp_path):
    """A folder bind-mounted read-only onto itself (root only): a USB stick, a read-only share."""
    folder = tmp_path / "stick"
    folder.mkdir()
    mounted = []

    def seal() -> None:
        done = subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True,
                              check=False)
        if done.returncode != 0:
            pytest.skip("cannot bind-mount a folder read-only here (needs root)")
        mounted.append(folder)

    yield folder, seal
    for path in mounted:
        if subprocess.run(["umount", str(path)], capture_output=True, check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


@pytest.mark.parametrize("files", ["ledger-alone", "with-wal-and-shm"])
def test_item3_a_ledger_on_a_read_only_mount_opens_for_every_read_only_command(dept, tmp_path, read_only_mount,
                                                                              files):
    """Issue 15 item 3: verify, month report, log list, sales list, staff list and backup read a
    ledger on a read-only mount (SQLite's read-only URI; `immutable` when no -shm can be made),
    and a write says in one line that it is read-only."""
    folder, seal = read_only_mount
    dept(*ABSENT, by="L01")
    stick = folder / "ledger.db"
    if files == "ledger-alone":
        copy_ledger_file(dept.db, stick)
    else:  # a copy taken while a writer held the ledger open: the newest row only in the -wal
        with closing(sqlite3.connect(dept.db, isolation_level=None)) as holder:
            holder.execute("PRAGMA wal_autocheckpoint = 0")
            holder.execute("SELECT count(*) FROM chain").fetchone()
            dept("log", "absent", "S02", "--at", "2026-10-04 09:40", by="L01")
            for suffix in ("", "-wal", "-shm"):
                shutil.copyfile(f"{dept.db}{suffix}", f"{stick}{suffix}")
    seal()
    ro = Cli(str(stick))
    for args in READS:
        run = ro(*args)
        assert "unable to open" not in run.err
    assert len(ro("log", "list", "--json").json()) == (1 if files == "ledger-alone" else 2)
    copied = ro("backup", str(tmp_path / "copy.db"), "--json").json()
    assert copied["rows"] == ro("verify", "--json").json()["rows"]
    one_line(ro(*ABSENT, by="L01", code=None), ExitStatus.BAD_INPUT, "db: the ledger cannot be written:", "read-only")


def as_another_user() -> list[str]:
    """How to run csctl so that file permissions apply: as is, or as nobody when running as root."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: chmod does not bind root")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def csctl(prefix: list[str], db: str, *args: str, by: str | None = None) -> subprocess.CompletedProcess:
    cmd = [*prefix, sys.executable, "-m", "csctl", "--db", db, *(["--by", by] if by else []), *args]
    return subprocess.run(cmd, env=clean_env(), capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_item3_a_read_only_file_or_folder_opens_for_reading_and_refuses_a_write(dept, what):
    """Issue 15 item 3: chmod a-w on the ledger file, or on its folder (where no -shm can be
    made); every read-only command reads it, a write says it is read-only (exit 2)."""
    prefix = as_another_user()
    world = Path(tempfile.mkdtemp(prefix="csctl-trust-", dir="/tmp"))
    backups = Path(tempfile.mkdtemp(prefix="csctl-trust-out-", dir="/tmp"))
    try:
        world.chmod(0o755)
        db = world / "ledger.db"
        copy_ledger_file(dept.db, db)
        if what == "file":
            db.chmod(0o444)
        else:
            db.chmod(0o666)
            world.chmod(0o555)
        if not prefix and os.access(db if what == "file" else world, os.W_OK):
            pytest.skip("chmod does not bind this user")
        backups.chmod(0o777)
        for args in [*READS, ("backup", str(backups / "copy.db"))]:
            done = csctl(prefix, str(db), *args)
            assert done.returncode == ExitStatus.OK, (args, done.stderr)
            assert "unable to open" not in done.stderr
        wrote = csctl(prefix, str(db), *ABSENT, by="L01")
        assert wrote.returncode == ExitStatus.BAD_INPUT and wrote.stderr.count("\n") == 1, wrote.stderr
        assert "read-only" in wrote.stderr and wrote.stderr.startswith("db: the ledger cannot be written"), wrote.stderr
    finally:
        world.chmod(0o755)
        shutil.rmtree(world, ignore_errors=True)
        shutil.rmtree(backups, ignore_errors=True)


def test_item3_the_read_only_uri_road_where_no_permission_can_be_taken_away(dept, monkeypatch):
    """Issue 15 item 3, for any user: a ledger csctl finds read-only is opened with mode=ro
    (and immutable=1 when its -shm cannot be made) and never written."""
    from csctl.ledger import store

    monkeypatch.setattr(store, "_read_only", lambda path: "a flag of this test")
    for args in READS:
        dept(*args)
    one_line(dept(*ABSENT, by="L01", code=None), ExitStatus.BAD_INPUT, "read-only (a flag of this test)")
    ledger = Ledger.open(dept.db, create=False)
    try:
        assert ledger.read_only == "a flag of this test"
        with pytest.raises(LedgerError, match="read-only"):
            with ledger.write(by="L01", os_user="u", at="2026-10-03T09:40:00+08:00"):
                pass
    finally:
        ledger.close()


# ============================================================================ item 4: empty files

@pytest.mark.parametrize("args", [("verify",), ("log", "list"), ("staff", "list"), ("month", "report", "2026-10"),
                                  ("backup", "x.db"), ABSENT], ids=lambda a: " ".join(a[:2]))
def test_item4_an_empty_file_is_not_made_a_ledger_but_by_init(tmp_path, args):
    """Issue 15 item 4: an existing empty file is refused as not a csctl ledger (exit 2), and
    left as it was; `csctl init` makes a ledger of it."""
    empty = tmp_path / "empty.db"
    empty.touch()
    cli = Cli(str(empty))
    one_line(cli(*args, by="L01", code=None), ExitStatus.BAD_INPUT, "is an empty file, not a csctl ledger",
             "csctl init")
    assert empty.stat().st_size == 0 and not Path(f"{empty}-wal").exists()
    cli("init")
    assert cli("verify", "--json").json()["ok"] is True


@pytest.fixture
def tiny_disk(tmp_path):
    """A 512 KiB tmpfs (root only), nearly full: room for a file, not for a ledger's schema."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)], capture_output=True,
                      check=False).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        with open(mount / "filler", "wb") as f:
            f.write(b"\0" * (512 * 1024 - 48 * 1024))
        yield mount
    finally:
        if subprocess.run(["umount", str(mount)], capture_output=True, check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


@pytest.mark.parametrize("where", ["ledger.db", "new/folder/ledger.db"])
def test_item4_a_failed_init_leaves_nothing_behind(tiny_disk, where):
    """Issue 15 item 4: `init` on a full disk fails cleanly and removes what it created: no
    0-byte ledger (nor the folders made for it) is left to be taken for one later."""
    db = tiny_disk / where
    done = csctl([], str(db), "init")
    assert done.returncode == ExitStatus.BAD_INPUT and done.stderr.startswith("db:"), done.stderr
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]


# ============================================================================ item 5: witnesses

def witness_of(db: str) -> Path:
    return witness.default_path(Path(db))


def test_item5_every_write_appends_the_new_head_to_an_owner_only_witness(dept):
    """Issue 15 scope 2: one line per write, link id and hash, in the per-user state folder."""
    path = witness_of(dept.db)
    assert not path.exists()  # a copy of the template: a ledger at a new path has none yet
    dept(*ABSENT, by="L01")
    dept("log", "absent", "S02", "--at", "2026-10-04 09:40", by="L01")
    assert path.parent.parent.parent == Path(os.environ["XDG_STATE_HOME"])
    assert path.stat().st_mode & 0o777 == 0o600
    records, torn = witness.read(path)
    with closing(sqlite3.connect(dept.db)) as conn:
        links = conn.execute("SELECT id, hash FROM chain ORDER BY id DESC LIMIT 2").fetchall()
    assert [(r.link, r.hash) for r in records] == links[::-1] and torn == 0
    assert path.read_text().startswith(f"# csctl witness of {os.path.realpath(dept.db)}")


def test_item5_the_state_folder_is_platformdirs_user_state_dir(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert witness.state_dir() == Path(platformdirs.user_state_dir("csctl"))
    monkeypatch.delenv("XDG_STATE_HOME")
    assert witness.state_dir() == Path(platformdirs.user_state_dir("csctl"))


def test_item5_a_cut_at_the_end_is_reported_as_such(dept):
    """Issue 15 scope 2: the newest row deleted with its link, which the chain alone cannot see."""
    dept(*ABSENT, by="L01")
    dept("log", "absent", "S02", "--at", "2026-10-04 09:40", by="L01")
    last = witness.read(witness_of(dept.db))[0][-1]
    sql(dept.db, "DELETE FROM events WHERE id = (SELECT max(id) FROM events)",
        "DELETE FROM chain WHERE id = (SELECT max(id) FROM chain)")
    one_line(dept("verify", code=None), ExitStatus.REFUSED,
             f"verify failed (L1): the ledger no longer holds link {last.link} (fingerprint {last.hash[:16]}) that "
             f"the witness at {witness_of(dept.db)} recorded on {last.at[:10]}", f"cut back to link {last.link - 1}")
    witness_of(dept.db).unlink()
    assert dept("verify", "--json").json()["ok"] is True  # what the chain alone says


def test_item5_a_consistent_rewrite_is_reported_as_such(dept):
    """Issue 15 scope 2: a cell edited and every link recomputed passes the chain, not the witness."""
    dept(*ABSENT, by="L01")
    dept("log", "absent", "S02", "--at", "2026-10-04 09:40", by="L01")
    sql(dept.db, "UPDATE staff SET name = 'Mallory' WHERE staff = 'S01'")
    rechain(dept.db)
    one_line(dept("verify", code=None), ExitStatus.REFUSED, "the ledger no longer holds link",
             "its history was rewritten")
    witness_of(dept.db).unlink()
    ok = dept("verify")
    assert "no witness of this ledger was found" in ok.out  # a missing witness is said, not an error


def test_item5_a_folder_the_policy_names_keeps_a_witness_too(dept, tmp_path):
    """Issue 15 scope 2: `witness.path` in the policy: a second witness, read by verify even
    when the per-user one is gone (or rewritten with the ledger)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    policy = tmp_path / "witness.toml"
    policy.write_text(f'[witness]\npath = "{shared}"\n')
    this_month = str(Month.of(date.today()))
    dept("policy", "set", str(policy), "--from", this_month, by="M01")
    dept(*ABSENT, by="L01")
    kept = witness.in_folder(shared, Path(dept.db))
    assert len(witness.read(kept)[0]) == 2  # the policy's own write and the one after
    assert len(dept("verify", "--json").json()["witnesses"]) == 2
    sql(dept.db, "DELETE FROM events WHERE id = (SELECT max(id) FROM events)",
        "DELETE FROM chain WHERE id = (SELECT max(id) FROM chain)")
    witness_of(dept.db).unlink()
    one_line(dept("verify", code=None), ExitStatus.REFUSED, f"that the witness at {kept} recorded", "cut back")


def test_item5_a_witness_that_cannot_be_written_is_a_warning_not_a_lost_write(dept, tmp_path):
    policy = tmp_path / "witness.toml"
    policy.write_text(f'[witness]\npath = "{tmp_path / "not-mounted"}"\n')
    dept("policy", "set", str(policy), "--from", str(Month.of(date.today())), by="M01")
    run = dept(*ABSENT, by="L01")
    assert run.err.startswith("witness: could not append to") and run.err.count("\n") == 1, run.err
    assert not (tmp_path / "not-mounted").exists()  # a folder the policy names is never made
    assert rows_and_links(dept.db)[0] == 1


@pytest.mark.parametrize("value", ["relative/folder", 7, "/a\0b"])
def test_item5_witness_path_must_be_an_absolute_folder(dept, tmp_path, value):
    policy = tmp_path / "witness.toml"
    policy.write_text(f"[witness]\npath = {json.dumps(value)}\n")
    one_line(dept("policy", "set", str(policy), "--from", "2026-12", by="M01", code=None), ExitStatus.BAD_INPUT,
             "policy witness.path")


def test_item5_backup_keeps_the_witness_beside_its_copy(dept, tmp_path):
    """Issue 15 scope 2: `backup` copies the witness; the copy verifies against it."""
    dept(*ABSENT, by="L01")
    dept("log", "absent", "S02", "--at", "2026-10-04 09:40", by="L01")
    dest = tmp_path / "copy.db"
    made = dept("backup", str(dest), "--json").json()
    assert made["witness"] == f"{dest}.witness" and made["witness_heads"] == 2
    copy = Cli(str(dest))
    seen = copy("verify", "--json").json()["witnesses"]
    assert [w["path"] for w in seen] == [f"{dest}.witness"]
    sql(str(dest), "DELETE FROM events WHERE id = (SELECT max(id) FROM events)",
        "DELETE FROM chain WHERE id = (SELECT max(id) FROM chain)")
    one_line(copy("verify", code=None), ExitStatus.REFUSED, f"the witness at {dest}.witness", "cut back")
    refused = dept("backup", str(dest), code=ExitStatus.BAD_INPUT)
    assert "already exists" in refused.err


def test_item5_a_write_imports_nothing_heavy_for_its_witness(dept):
    """Issue 15 scope 2: start-up stays flat; the witness append needs os and hashlib only."""
    code = ("import sys\nfrom csctl.cli import main\nsys.argv = ['csctl', *sys.argv[1:]]\n"
            "try:\n    main()\nfinally:\n    print(' '.join(sorted(sys.modules)), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code, "--db", dept.db, "--by", "L01", *ABSENT], env=clean_env(),
                          capture_output=True, text=True, check=False)
    assert done.returncode == ExitStatus.OK, done.stderr
    loaded = set(done.stderr.split())
    assert "csctl.ledger.witness" in loaded
    assert not loaded & {"platformdirs", "ctypes", "tomllib"}


def test_a_policy_text_edited_outside_csctl_is_named_by_verify_as_a_changed_row(dept, tmp_path):
    """The stress probe's one weak result: an edited `policies.body` used to be met first as a
    policy that does not parse (exit 2), before the chain could name the row (exit 1, L1)."""
    policy = tmp_path / "p.toml"
    policy.write_text('language = "en"\n')
    row = dept("policy", "set", str(policy), "--from", "2026-10", "--json", by="M01").json()["id"]
    sql(dept.db, ("UPDATE policies SET body = ? WHERE id = ?", ("language = [not toml", row)))
    one_line(dept("verify", code=ExitStatus.REFUSED), ExitStatus.REFUSED, "verify failed (L1)", "policies")
