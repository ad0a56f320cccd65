"""Adversarial input from the command line: every command, fed what a tired supervisor (or a
broken attendance clock) might type or export.

The contract under test (shared/spec/cli.md, "Output contract"; rules.md L4): bad input gets
ONE line on stderr naming the field (or `refused (RULE): ...` for a rule), exit 2 (1 for a
rule), nothing on stdout, nothing written to the ledger, never a traceback. Exit 3
("internal error: ...") is a fault of csctl.

Cases that behave are regression tests. Cases that misbehave are marked
`xfail(strict=True)` with the behaviour observed, and assert what the contract asks for, so
that a fix turns them into failures to be unmarked. Cases that misbehaved when this file was
begun and have been fixed since keep what was seen in `was=` / `@was(...)`.

`run()` drives the CLI in-process like the existing tests, but the way `csctl.cli.main` does:
an exception escaping the command tree is reported as exit 3. `proc()` runs the real
`python -m csctl` for what needs a separate process (another OS user, a full disk, a broken
pipe, two writers at once).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from contextlib import closing
from pathlib import Path

import pytest
from conftest import Cli, Run

from csctl.cli import app
from csctl.errors import ExitStatus

NOTE_10K = "n" * 10_000
BAD_UTF8 = "\udcff"  # what Python makes of the byte 0xFF in argv ($'\xff' in bash)
LONG_NAME = "y" * 300  # longer than NAME_MAX (255)


def bug(reason: str):
    """A misbehaviour: the test states the contract, and currently fails as `reason` says."""
    return pytest.mark.xfail(strict=True, reason=reason)


def was(reason: str):
    """A misbehaviour seen while this file was written, since fixed: now a regression test;
    `reason` keeps what was observed."""
    return lambda test: test


def case(*values, bug_reason: str | None = None, was: str | None = None, id: str | None = None):
    """A row of a table: `bug_reason` marks a misbehaviour (xfail); `was` documents a fixed one."""
    return pytest.param(*values, marks=bug(bug_reason) if bug_reason else (), id=id)


# ----------------------------------------------------------------------------- helpers

def run(cli: Cli, *args: str, by: str | None = None, env: dict | None = None, db: bool = True) -> Run:
    """Run csctl in-process as `csctl.cli.main` would: an escaping exception is exit 3."""
    argv = (["--db", cli.db] if db else []) + (["--by", by] if by else []) + [str(a) for a in args]
    result = cli.runner.invoke(app, argv, env=env)
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        return Run(ExitStatus.INTERNAL, result.stdout, f"internal error: {type(exc).__name__}: {exc}\n")
    return Run(result.exit_code, result.stdout, result.stderr)


def refused_cleanly(r: Run, code: int, start: str) -> None:
    """The contract for bad input: one line naming the field or rule, the exit code, no stdout."""
    assert r.code == code, f"exit {r.code}, expected {code}\nstdout: {r.out[:500]}\nstderr: {r.err[:500]}"
    assert r.err.startswith(start), r.err[:500]
    assert r.err.count("\n") == 1, r.err[:1000]
    assert "Traceback" not in r.err and "internal error" not in r.err
    assert r.out == ""


def usage_error(r: Run, mentions: str) -> None:
    """Click's own usage errors: a boxed message, exit 2, naming the parameter, no traceback."""
    assert r.code == ExitStatus.BAD_INPUT, r.err
    assert mentions.lower() in r.err.lower() and "Traceback" not in r.err and r.out == ""


def write(path: Path, data: str | bytes) -> str:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def proc(*args: str, db: str | None = None, by: str | None = None, as_nobody: bool = False,
         timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    """The real `csctl` in its own process (python -m csctl, i.e. csctl.cli.main)."""
    cmd = [sys.executable, "-m", "csctl"] + (["--db", db] if db else []) + (["--by", by] if by else []) + list(args)
    if as_nobody and os.geteuid() == 0:  # root ignores file permissions: run as nobody
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot test file permissions")
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSCTL_")}
    env["NO_COLOR"] = "1"
    kw.setdefault("capture_output", True)
    return subprocess.run(cmd, env=env, timeout=timeout, text=True, check=False, **kw)


def copy_ledger(src: str, dest: str) -> str:
    """A consistent copy of a ledger, WAL folded in, as one plain file."""
    with closing(sqlite3.connect(src)) as a, closing(sqlite3.connect(dest)) as b:
        a.backup(b)
    return dest


def count(db: str, table: str) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def world_dir():
    """A folder any user may enter (pytest's tmp_path is owner-only): for the runs as `nobody`."""
    path = Path(tempfile.mkdtemp(prefix="csctl-bad-input-", dir="/tmp"))
    path.chmod(0o777)
    yield path
    for sub in path.rglob("*"):
        try:
            sub.chmod(0o700 if sub.is_dir() else 0o600)
        except OSError:
            pass
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def tiny_fs(tmp_path):
    """A mounted 512 KiB tmpfs (root only): for a full disk."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)], capture_output=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    if subprocess.run(["umount", str(mount)], capture_output=True, check=False).returncode != 0:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def fill(folder: Path) -> None:
    """Fill the file system holding `folder` to the last byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


AT = ["--at", "2026-10-03 09:40"]


# ============================================================================= csctl log ...

LOG_CASES = [
    # (command words and options, recorder, exit, start of the error line)
    case(["late", "S01", "--minutes", "99999999999999999999999"], "L01", ExitStatus.BAD_INPUT, "minutes:",
         id="late-minutes-huge"),
    case(["late", "S01", "--minutes", "1e3"], "L01", ExitStatus.BAD_INPUT, "minutes:", id="late-minutes-exponent"),
    case(["late", "S01", "--minutes", "5.0"], "L01", ExitStatus.BAD_INPUT, "minutes:", id="late-minutes-float"),
    case(["late", "S01", "--minutes", ""], "L01", ExitStatus.BAD_INPUT, "minutes:", id="late-minutes-empty"),
    case(["late", "S01", "--minutes", "   "], "L01", ExitStatus.BAD_INPUT, "minutes:", id="late-minutes-blank"),
    case(["late", "S01", "--minutes", "٥"], "L01", ExitStatus.BAD_INPUT, "minutes:", id="late-minutes-arabic-digit"),
    case(["late", "S01", "--minutes", "1441"], "L01", ExitStatus.BAD_INPUT, "minutes:", id="late-minutes-over-a-day"),
    case(["late", "S01", "--minutes", "5", "--at", "0000-01-01"], "L01", ExitStatus.BAD_INPUT, "at:", id="at-year-0"),
    case(["late", "S01", "--minutes", "5", "--at", "2026-02-29"], "L01", ExitStatus.BAD_INPUT, "at:",
         id="at-2026-02-29"),
    case(["late", "S01", "--minutes", "5", "--at", "2028-02-29"], "L01", ExitStatus.BAD_INPUT, "at:",
         id="at-2028-02-29-future"),
    case(["late", "S01", "--minutes", "5", "--at", "9999-12-31"], "L01", ExitStatus.BAD_INPUT, "at:",
         id="at-9999-12-31"),
    case(["late", "S01", "--minutes", "5", "--at", "24:00"], "L01", ExitStatus.BAD_INPUT, "at:", id="at-24h"),
    case(["late", "S01", "--minutes", "5", "--at", "23:59:60"], "L01", ExitStatus.BAD_INPUT, "at:",
         id="at-leap-second"),
    case(["late", "S01", "--minutes", "5", "--at", "9:5"], "L01", ExitStatus.BAD_INPUT, "at:", id="at-9:5"),
    case(["late", "S01", "--minutes", "5", "--at", "yesterday 25:00"], "L01", ExitStatus.BAD_INPUT, "at:",
         id="at-yesterday-25h"),
    case(["late", "S01", "--minutes", "5", "--at", ""], "L01", ExitStatus.BAD_INPUT, "at:", id="at-empty"),
    case(["late", "S01", "--minutes", "5", "--at", BAD_UTF8], "L01", ExitStatus.BAD_INPUT, "at:", id="at-invalid-utf8"),
    case(["absent", "S01", "--at", "0001-01-01"], "L01", ExitStatus.BAD_INPUT, "at:", id="at-0001-01-01",
         was="exit 3 'internal error: ValueError: year 0 is out of range' (parse._local: "
                    "naive.astimezone() on 0001-01-01)"),
    case(["absent", "S01", "--at", "0001-01-01 10:00"], "L01", ExitStatus.BAD_INPUT, "at:", id="at-0001-01-01-10:00",
         was="exit 3 'internal error: ValueError: year 0 is out of range' (parse._local)"),
    case(["unfinished", "S01", "--points", "NaN"], "P01", ExitStatus.BAD_INPUT, "points:", id="points-nan"),
    case(["unfinished", "S01", "--points", "sNaN"], "P01", ExitStatus.BAD_INPUT, "points:", id="points-snan"),
    case(["unfinished", "S01", "--points", "Infinity"], "P01", ExitStatus.BAD_INPUT, "points:", id="points-inf"),
    case(["unfinished", "S01", "--points", "-1"], "P01", ExitStatus.BAD_INPUT, "points:", id="points-negative"),
    case(["unfinished", "S01", "--points", "1e-999999999999"], "P01", ExitStatus.BAD_INPUT, "points:",
         id="points-tiny-exponent"),
    case(["unfinished", "S01", "--points", "1e999999999999"], "P01", ExitStatus.BAD_INPUT, "points:",
         id="points-huge-exponent",
         was="exit 3 \"internal error: Overflow: [<class 'decimal.Overflow'>]\" (parse.points: "
                    "Decimal() raises decimal.Overflow, only InvalidOperation is caught)"),
    case(["absent", "S01", "--note", NOTE_10K], "L01", ExitStatus.BAD_INPUT, "note:", id="note-10000-chars"),
    case(["awol", "S01", "--reason", NOTE_10K], "L01", ExitStatus.BAD_INPUT, "reason:", id="awol-reason-10000-chars"),
    case(["absent", "S01", "--note", BAD_UTF8], "L01", ExitStatus.BAD_INPUT, "note:", id="note-invalid-utf8",
         was="exit 3 \"internal error: UnicodeEncodeError: 'utf-8' codec can't encode character "
                    "'\\udcff' ...: surrogates not allowed\" (parse.text lets lone surrogates through; "
                    "SQLite refuses them in Writer.append)"),
    case(["awol", "S01", "--reason", "caf" + "\udce9"], "L01", ExitStatus.BAD_INPUT, "reason:", id="awol-reason-latin1",
         was="exit 3 'internal error: UnicodeEncodeError ... surrogates not allowed' (parse.text)"),
    case(["refer", "S01", "--reason", BAD_UTF8], "P01", ExitStatus.BAD_INPUT, "reason:", id="refer-reason-invalid-utf8",
         was="exit 3 'internal error: UnicodeEncodeError ... surrogates not allowed' (parse.text)"),
    case(["offline", "S01", "--excused", "--reason", BAD_UTF8], "L01", ExitStatus.BAD_INPUT, "reason:",
         id="offline-reason-invalid-utf8",
         was="exit 3 'internal error: UnicodeEncodeError ... surrogates not allowed' (parse.text)"),
    case(["offline", "S01", "--excused", "--reason", "   "], "L01", ExitStatus.BAD_INPUT, "reason:",
         id="offline-excused-blank-reason"),
    case(["refer", "S01", "--reason", ""], "P01", ExitStatus.BAD_INPUT, "reason:", id="refer-empty-reason"),
    case(["complaint", "S01", "--kind", "", "--source", "customer"], "L01", ExitStatus.BAD_INPUT, "kind:",
         id="complaint-kind-empty"),
    case(["complaint", "S01", "--kind", "slow", "--source", ""], "L01", ExitStatus.BAD_INPUT, "source:",
         id="complaint-source-empty"),
    case(["absent", ""], "L01", ExitStatus.BAD_INPUT, "staff:", id="staff-empty"),
    case(["absent", "S 1"], "L01", ExitStatus.BAD_INPUT, "staff:", id="staff-space"),
    case(["absent", "ＳＸ1"], "L01", ExitStatus.BAD_INPUT, "staff:", id="staff-fullwidth"),
    case(["absent", BAD_UTF8], "L01", ExitStatus.BAD_INPUT, "staff:", id="staff-invalid-utf8"),
    case(["absent", "S99999999999999999999999999999"], "L01", ExitStatus.BAD_INPUT, "staff:", id="staff-too-long"),
    case(["absent", "S01"], BAD_UTF8, ExitStatus.BAD_INPUT, "by:", id="by-invalid-utf8"),
    case(["absent", "S01"], "X99", ExitStatus.BAD_INPUT, "by:", id="by-unknown"),
    case(["leave", "S01", "--approved-by", ""], "P01", ExitStatus.BAD_INPUT, "approved-by:", id="approver-empty"),
    case(["leave", "S01", "--approved-by", "G 1"], "P01", ExitStatus.BAD_INPUT, "approved-by:", id="approver-space"),
]


@pytest.mark.parametrize("args, by, code, start", LOG_CASES)
def test_log_bad_input(dept, args, by, code, start):
    at = [] if "--at" in args else AT
    before = dept.total_rows()
    r = run(dept, "log", *args, *at, by=by)
    refused_cleanly(r, code, start)
    assert dept.total_rows() == before


@pytest.mark.parametrize("note", ["👩‍👩‍👧‍👦 ok", "مرحبا بالعالم", "\u202eevil RTL override", "訂單 8812，等了 40 分鐘",
                                  "x" * 500])
def test_log_odd_but_valid_text_round_trips(dept, note):
    row = run(dept, "log", "absent", "S01", "--note", note, *AT, "--json", by="L01")
    assert row.code == ExitStatus.OK, row.err
    assert row.json()["note"] == note
    assert run(dept, "log", "list", "--json").json()[0]["note"] == note
    assert run(dept, "log", "list").code == ExitStatus.OK and run(dept, "log", "list", "--csv").code == ExitStatus.OK


def test_log_blank_note_is_no_note(dept):
    row = run(dept, "log", "absent", "S01", "--note", "   ", *AT, "--json", by="L01").json()
    assert row["note"] is None


@was("`log unfinished S01 --points -0` exits 0 and stores points '-0' (JSON \"points\": \"-0\", listed as "
     "'-0 pt'): parse.points accepts negative zero and services.discipline._row_values keeps its sign")
def test_points_negative_zero_is_stored_as_zero(dept):
    row = run(dept, "log", "unfinished", "S01", "--points", "-0", *AT, "--json", by="P01").json()
    assert row["points"] == "0"


@was("`log leave S01 --approved-by P01 --at 9999-12-31` exits 0 and records a leave 7,973 years ahead "
     "(services.discipline._checked puts no bound on leave recorded ahead); the month it lands in then "
     "cannot be listed or reported (exit 3, see test_month_9999_12_is_refused_or_works)")
def test_leave_far_in_the_future_is_refused(dept):
    before = dept.total_rows()
    r = run(dept, "log", "leave", "S01", "--approved-by", "P01", "--at", "9999-12-31", by="P01")
    refused_cleanly(r, ExitStatus.BAD_INPUT, "at:")
    assert dept.total_rows() == before


@was("a person hired 1899-06-01 can be logged absent on 1899-12-31 (exit 0), and `void` of that row then "
     "exits 3 \"internal error: ValueError: '1899-12' is not a month\" (services.ledger_ops: Month.parse "
     "of the row's month; models.Month.parse refuses years before 1900 that parse.at accepts)")
def test_rows_dated_before_1900_are_refused(dept):
    before = dept.total_rows()
    refused_cleanly(run(dept, "staff", "add", "X01", "--name", "Old Timer", "--dept", "security", "--rank",
                        "staff", "--hired", "1899-06-01", by="G01"), ExitStatus.BAD_INPUT, "hired:")
    refused_cleanly(run(dept, "log", "absent", "S01", "--at", "1899-12-31T10:00:00+00:00", by="L01"),
                    ExitStatus.BAD_INPUT, "at:")
    assert dept.total_rows() == before


def test_usage_errors_are_clear(dept):
    usage_error(run(dept, "log", "late", "S01", by="L01"), "--minutes")
    usage_error(run(dept, "log", "napping", "S01", by="L01"), "napping")
    usage_error(run(dept, "log", "complaint", "S01", "--kind", "slow", by="L01"), "--source")
    usage_error(run(dept, "void", "abc", "--reason", "x", by="P01"), "row_id")
    usage_error(run(dept, "void", "1e3", "--reason", "x", by="P01"), "row_id")
    usage_error(run(dept, "void", "-1", "--reason", "x", by="P01"), "-1")  # read as an option
    usage_error(run(dept, "sales", "list", "--limit", "abc"), "--limit")
    usage_error(run(dept, "kyes", "list"), "kyes")  # a noun mistyped


# ============================================================================= csctl staff ...

STAFF_CASES = [
    case(["add", "S09", "--name", NOTE_10K, "--dept", "security", "--rank", "staff"], ExitStatus.BAD_INPUT, "name:",
         id="name-10000"),
    case(["add", "S09", "--name", "", "--dept", "security", "--rank", "staff"], ExitStatus.BAD_INPUT, "name:",
         id="name-empty"),
    case(["add", "S09", "--name", BAD_UTF8, "--dept", "security", "--rank", "staff"], ExitStatus.BAD_INPUT, "name:",
         id="name-invalid-utf8",
         was="exit 3 'internal error: UnicodeEncodeError ... surrogates not allowed' (parse.text)"),
    case(["add", "S09", "--name", "X", "--dept", "security", "--rank", "staff", "--os-user", BAD_UTF8],
         ExitStatus.BAD_INPUT, "os-user:", id="os-user-invalid-utf8",
         was="exit 3 'internal error: UnicodeEncodeError ... surrogates not allowed' (parse.text)"),
    case(["add", "", "--name", "X", "--dept", "security", "--rank", "staff"], ExitStatus.BAD_INPUT, "id:",
         id="id-empty"),
    case(["add", "S01\n", "--name", "X", "--dept", "security", "--rank", "staff"], ExitStatus.BAD_INPUT, "id:",
         id="id-newline"),
    case(["add", "S09", "--name", "X", "--dept", "", "--rank", "staff"], ExitStatus.BAD_INPUT, "dept:",
         id="dept-empty"),
    case(["add", "S09", "--name", "X", "--dept", "security", "--rank", ""], ExitStatus.BAD_INPUT, "rank:",
         id="rank-empty"),
    case(["add", "S09", "--name", "X", "--dept", "security", "--rank", "staff", "--hired", "2026-02-29"],
         ExitStatus.BAD_INPUT, "hired:", id="hired-2026-02-29"),
    case(["add", "S09", "--name", "X", "--dept", "security", "--rank", "staff", "--hired", "9999-12-31"],
         ExitStatus.BAD_INPUT, "hired:", id="hired-future"),
    case(["add", "S09", "--name", "X", "--dept", "security", "--rank", "staff", "--hired", "0000-01-01"],
         ExitStatus.BAD_INPUT, "hired:", id="hired-year-0"),
    case(["leave", "S03", "--on", ""], ExitStatus.BAD_INPUT, "on:", id="leave-on-empty"),
    case(["leave", "S03", "--on", "2026-02-29"], ExitStatus.BAD_INPUT, "on:", id="leave-on-2026-02-29"),
    case(["leave", "S03", "--on", "0001-01-01"], ExitStatus.BAD_INPUT, "on:", id="leave-before-hired"),
    case(["leave", "X99", "--on", "2026-10-20"], ExitStatus.BAD_INPUT, "staff:", id="leave-unknown"),
    case(["leave", "S03", "--on", "2026-10-20", "--reason", "r" * 600], ExitStatus.BAD_INPUT, "reason:",
         id="leave-reason-600"),
]


@pytest.mark.parametrize("args, code, start", STAFF_CASES)
def test_staff_bad_input(dept, args, code, start):
    before = dept.total_rows()
    refused_cleanly(run(dept, "staff", *args, by="M01"), code, start)
    assert dept.total_rows() == before


@pytest.mark.parametrize("args, start", [
    (["show", ""], "staff:"),
    (["show", "X99"], "staff:"),
    (["show", BAD_UTF8], "staff:"),
    (["list", "--dept", ""], "dept:"),
    (["list", "--dept", "sales"], "dept:"),
])
def test_staff_reads_bad_input(dept, args, start):
    refused_cleanly(run(dept, "staff", *args), 2, start)


def test_staff_unicode_names(dept):
    for sid, name in (("X1", "😀"), ("X2", "\u202eevil"), ("X3", "林美")):
        assert run(dept, "staff", "add", sid, "--name", name, "--dept", "security", "--rank", "staff",
                   by="M01").code == ExitStatus.OK
    names = {r["id"]: r["name"] for r in run(dept, "staff", "list", "--json").json()}
    assert names["X1"] == "😀" and names["X3"] == "林美"
    assert run(dept, "staff", "list").code == ExitStatus.OK


# ============================================================================= csctl sales ...

SALES_CASES = [
    *[case(["add", "S01", "--amount", a], "L01", ExitStatus.BAD_INPUT, "amount:", id=f"amount-{a or 'empty'}")
      for a in ["", " ", "abc", "1e3", "1.234", "NaN", "Infinity", "10000000000.01", "99999999999999999999",
                "1,00", "1,28.50", "1.280,50", "0x10", "5.", ".5", "- 5"]],  # 1,000 is taken since issue 9
    case(["add", "S01", "--amount", "5", "--orders", "-1"], "L01", ExitStatus.BAD_INPUT, "orders:",
         id="orders-negative"),
    case(["add", "S01", "--amount", "5", "--orders", "1000001"], "L01", ExitStatus.BAD_INPUT, "orders:",
         id="orders-huge"),
    case(["add", "S01", "--amount", "5", "--orders", "1.5"], "L01", ExitStatus.BAD_INPUT, "orders:", id="orders-float"),
    case(["add", "S01", "--amount", "5", "--at", "9999-12-31"], "L01", ExitStatus.BAD_INPUT, "at:", id="sale-at-9999"),
    case(["add", "S01", "--amount", "5", "--at", "0001-01-01"], "L01", ExitStatus.BAD_INPUT, "at:", id="sale-at-0001",
         was="exit 3 'internal error: ValueError: year 0 is out of range' (parse._local)"),
    case(["add", "S01", "--amount", "5", "--product", NOTE_10K], "L01", ExitStatus.BAD_INPUT, "product:",
         id="product-10000"),
    case(["add", "S01", "--amount", "5", "--product", BAD_UTF8], "L01", ExitStatus.BAD_INPUT, "product:",
         id="product-invalid-utf8",
         was="exit 3 'internal error: UnicodeEncodeError ... surrogates not allowed' (parse.text)"),
    case(["add", "S01", "--amount", "5", "--customer", BAD_UTF8], "L01", ExitStatus.BAD_INPUT, "customer:",
         id="customer-invalid-utf8",
         was="exit 3 'internal error: UnicodeEncodeError ... surrogates not allowed' (parse.text)"),
    case(["bonus", "S01", "--amount", "0", "--reason", "r", "--approved-by", "G01"], "P01", ExitStatus.BAD_INPUT,
         "amount:", id="bonus-zero"),
    case(["bonus", "S01", "--amount", "5", "--reason", "", "--approved-by", "G01"], "P01", ExitStatus.BAD_INPUT,
         "reason:", id="bonus-reason-empty"),
    case(["bonus", "S01", "--amount", "5", "--reason", "r" * 600, "--approved-by", "G01"], "P01", ExitStatus.BAD_INPUT,
         "reason:", id="bonus-reason-600"),
    case(["bonus", "S01", "--amount", "5", "--reason", "r", "--approved-by", ""], "P01", ExitStatus.BAD_INPUT,
         "approved-by:", id="bonus-approver-empty"),
    case(["bonus", "S01", "--amount", "5", "--reason", "r", "--approved-by", "X99"], "P01", ExitStatus.BAD_INPUT,
         "approved-by:", id="bonus-approver-unknown"),
    case(["bonus", "S01", "--amount", "5", "--reason", "r", "--approved-by", "G01", "--at", "0001-01-01"], "P01",
         ExitStatus.BAD_INPUT, "at:", id="bonus-at-0001",
         was="exit 3 'internal error: ValueError: year 0 is out of range' (parse._local)"),
    case(["list", "--limit", "-1"], None, ExitStatus.BAD_INPUT, "limit:", id="list-limit-negative"),
    case(["list", "--limit", "99999999999999999999"], None, ExitStatus.BAD_INPUT, "limit:", id="list-limit-huge",
         was="exit 3 'internal error: IntegrityError: datatype mismatch' (Ledger.sales_listing pastes "
                    "the limit into 'LIMIT n'; nothing bounds it in commands/sales.list_)"),
    case(["list", "--reveal"], "L01", ExitStatus.REFUSED, "refused (L6):", id="reveal-by-shift-lead"),
    case(["list", "--reveal", "--month", "2026-13"], "P01", ExitStatus.BAD_INPUT, "month:", id="reveal-bad-month"),
]


@pytest.mark.parametrize("args, by, code, start", SALES_CASES)
def test_sales_bad_input(dept, args, by, code, start):
    at = [] if ("--at" in args or args[0] == "list") else ["--at", "2026-10-05"]
    before = dept.total_rows()
    refused_cleanly(run(dept, "sales", *args, *at, by=by), code, start)
    assert dept.total_rows() == before


@pytest.mark.parametrize("args, start", [
    (["--product-cost", "1", "--marketing", "1", "--shipping-loss", "1"], "other:"),
    (["--product-cost", "-1", "--marketing", "1", "--shipping-loss", "1", "--other", "1"], "product-cost:"),
    (["--product-cost", "1e3", "--marketing", "1", "--shipping-loss", "1", "--other", "1"], "product-cost:"),
    (["--product-cost", "", "--marketing", "1", "--shipping-loss", "1", "--other", "1"], "product-cost:"),
])
def test_month_costs_bad_input(dept, args, start):
    before = dept.total_rows()
    refused_cleanly(run(dept, "month", "costs", "2026-10", *args, by="P01"), 2, start)
    assert dept.total_rows() == before


# ============================================================================= csctl void

@pytest.mark.parametrize("row, reason, start", [
    case("0", "x", "row:", id="zero"),
    case("9223372036854775807", "x", "row:", id="int64-max"),
    case("1", "", "reason:", id="reason-empty"),
    case("1", "   ", "reason:", id="reason-blank"),
    case("1", NOTE_10K, "reason:", id="reason-10000"),
    case("99999999999999999999", "x", "row:", id="20-digits",
         was="exit 3 'internal error: OverflowError: Python int too large to convert to SQLite INTEGER' "
                    "(services.ledger_ops.void checks row_id < 1 only; Ledger.table_of binds it)"),
    case("9223372036854775808", "x", "row:", id="int64-max-plus-1",
         was="exit 3 'internal error: OverflowError: Python int too large to convert to SQLite INTEGER' "
                    "(services.ledger_ops.void)"),
    case("1", BAD_UTF8, "reason:", id="reason-invalid-utf8",
         was="exit 3 'internal error: UnicodeEncodeError ... surrogates not allowed' (parse.text)"),
])
def test_void_bad_input(dept, row, reason, start):
    before = dept.total_rows()
    refused_cleanly(run(dept, "void", row, "--reason", reason, by="P01"), 2, start)
    assert dept.total_rows() == before


def test_void_refusals_by_rule(dept):
    staff_row = run(dept, "staff", "show", "S01", "--json").json()["row"]
    refused_cleanly(run(dept, "void", str(staff_row), "--reason", "x", by="P01"), ExitStatus.REFUSED, "refused (L1):")
    event = run(dept, "log", "absent", "S01", *AT, "--json", by="L01").json()["id"]
    first = run(dept, "void", str(event), "--reason", "wrong day", by="P01")
    assert first.code == ExitStatus.OK
    refused_cleanly(run(dept, "void", str(event), "--reason", "again", by="P01"), ExitStatus.REFUSED, "refused (L1):")


# ============================================================================= csctl month ...

@pytest.mark.parametrize("args, by, code, start", [
    (["report", "2026-13"], None, ExitStatus.BAD_INPUT, "month:"),
    (["report", "2026-00"], None, ExitStatus.BAD_INPUT, "month:"),
    (["report", "1899-12"], None, ExitStatus.BAD_INPUT, "month:"),
    (["report", ""], None, ExitStatus.BAD_INPUT, "month:"),
    (["report", "2026-1"], None, ExitStatus.BAD_INPUT, "month:"),
    (["report", BAD_UTF8], None, ExitStatus.BAD_INPUT, "month:"),
    (["report", "2026-10", "--staff", "M01"], None, ExitStatus.BAD_INPUT, "staff:"),
    (["statement", "2026-13"], None, ExitStatus.BAD_INPUT, "month:"),
    (["statement", "2026-10", "--format", "docx"], None, ExitStatus.BAD_INPUT, "format:"),
    (["statement", "2026-10", "--format", "pdf"], None, ExitStatus.BAD_INPUT, "out:"),
    (["statement", "2026-10", "--format", "html"], None, ExitStatus.BAD_INPUT, "out:"),
    (["pools", "2026-10"], None, ExitStatus.BAD_INPUT, "month:"),  # no costs recorded
    (["close", "2026-13"], "P01", ExitStatus.BAD_INPUT, "month:"),
    (["close", "9999-12"], "P01", ExitStatus.BAD_INPUT, "month:"),
    (["close", "2026-10"], "L01", ExitStatus.REFUSED, "refused (L6):"),
    (["reopen", "2026-10", "--reason", "x"], "M01", ExitStatus.BAD_INPUT, "month:"),  # not closed
    (["reopen", "2026-00", "--reason", "x"], "M01", ExitStatus.BAD_INPUT, "month:"),
    (["costs", "2026-13", "--product-cost", "1", "--marketing", "1", "--shipping-loss", "1", "--other", "1"],
     "P01", ExitStatus.BAD_INPUT, "month:"),
])
def test_month_bad_input(dept, args, by, code, start):
    before = dept.total_rows()
    refused_cleanly(run(dept, "month", *args, by=by), code, start)
    assert dept.total_rows() == before


@pytest.mark.parametrize("args", [
    case(["log", "list", "--month", "9999-12"], id="log-list"),
    case(["sales", "list", "--month", "9999-12"], id="sales-list"),
    case(["month", "report", "9999-12"], id="month-report"),
    case(["month", "statement", "9999-12"], id="month-statement"),
])
@was("exit 3 'internal error: ValueError: year 10000 is out of range': parse.month accepts 9999-12 but "
     "Month.next().first_day (services.month_span, services.month.report, sales.statement_objects) cannot "
     "build 10000-01-01")
def test_month_9999_12_is_refused(dept, args):
    refused_cleanly(run(dept, *args), ExitStatus.BAD_INPUT, "month:")


@was("`month costs 9999-12 ...` exits 0 and records the costs; `month pools 9999-12` then exits 3 "
     "'internal error: ValueError: year 10000 is out of range' (sales.statement_objects)")
def test_costs_of_9999_12(dept):
    costs = run(dept, "month", "costs", "9999-12", "--product-cost", "1", "--marketing", "1", "--shipping-loss",
                "1", "--other", "1", by="P01")
    refused_cleanly(costs, ExitStatus.BAD_INPUT, "month:")
    refused_cleanly(run(dept, "month", "pools", "9999-12"), ExitStatus.BAD_INPUT, "month:")


@pytest.mark.parametrize("month", [
    case("2026-+1", id="plus-sign", was="`log list --month 2026-+1` exits 0 and lists 2026-01 "
                                              "(models.Month.parse: int('+1') is accepted)"),
    case("2026- 1", id="inner-space", was="`log list --month '2026- 1'` exits 0 and lists 2026-01 "
                                                "(models.Month.parse: int(' 1') is accepted)"),
    case("٢٠٢٦-١٠", id="arabic-digits", was="`log list --month ٢٠٢٦-١٠` exits 0 and lists 2026-10 "
                                                   "(models.Month.parse: int() takes any Unicode digit)"),
])
def test_month_text_must_be_yyyy_mm(dept, month):
    refused_cleanly(run(dept, "log", "list", "--month", month), ExitStatus.BAD_INPUT, "month:")


def test_month_close_and_reopen_in_odd_orders(dept):
    """L2: reopen an earlier month while a later one stays closed, close twice, reopen twice..."""
    run(dept, "log", "absent", "S01", "--at", "2026-09-10", by="L01")
    run(dept, "log", "absent", "S02", "--at", "2026-10-10", by="L01")
    assert run(dept, "month", "close", "2026-10", by="P01").code == ExitStatus.OK  # before September
    assert run(dept, "month", "close", "2026-09", by="P01").code == ExitStatus.OK
    refused_cleanly(run(dept, "month", "close", "2026-09", by="P01"), ExitStatus.REFUSED, "refused (L2):")
    refused_cleanly(run(dept, "month", "reopen", "2026-09", "--reason", "fix", by="P01"), ExitStatus.REFUSED,
                    "refused (L2):")
    refused_cleanly(run(dept, "log", "absent", "S03", "--at", "2026-09-11", by="L01"), ExitStatus.REFUSED,
                    "refused (L2):")
    assert run(dept, "month", "reopen", "2026-09", "--reason", "fix", by="M01").code == ExitStatus.OK
    refused_cleanly(run(dept, "month", "reopen", "2026-09", "--reason", "again", by="M01"), ExitStatus.BAD_INPUT,
                    "month:")
    assert run(dept, "log", "absent", "S03", "--at", "2026-09-11", by="L01").code == ExitStatus.OK
    assert run(dept, "month", "close", "2026-09", by="P01").code == ExitStatus.OK
    stale = run(dept, "month", "report", "2026-10", "--json").json()  # L5: it read September, closed again since
    assert all(line.pop("stale") is True and line.pop("stale_because") for line in stale)
    assert run(dept, "month", "reopen", "2026-10", "--reason", "recheck", by="M01").code == ExitStatus.OK
    assert run(dept, "month", "close", "2026-10", by="P01").code == ExitStatus.OK
    assert run(dept, "month", "report", "2026-10", "--json").json() == stale  # L3: the same figures, no mark
    refused_cleanly(run(dept, "month", "close", "2099-01", by="P01"), ExitStatus.BAD_INPUT, "month:")
    assert run(dept, "verify").code == ExitStatus.OK


# ============================================================================= listings

@pytest.mark.parametrize("args, start", [
    case(["log", "list", "--month", ""], "month:", id="log-month-empty",
         was="exits 0 and lists every month (services.month_span: `if not month_text` treats '' as no filter)"),
    case(["sales", "list", "--month", ""], "month:", id="sales-month-empty",
         was="exits 0 and lists every month (services.month_span)"),
    case(["policy", "show", "--month", ""], "month:", id="policy-month-empty",
         was="exits 0 and shows the current month (services.policies.show: `if month_text`)"),
    case(["log", "list", "--staff", ""], "staff:", id="log-staff-empty",
         was="exits 0 and lists everyone (services.discipline.listing: `if staff`)"),
    case(["sales", "list", "--staff", ""], "staff:", id="sales-staff-empty",
         was="exits 0 and lists everyone (services.sales.list_rows: `if staff`)"),
    case(["log", "list", "--kind", ""], "kind:", id="log-kind-empty"),
    case(["log", "list", "--kind", "LATE"], "kind:", id="log-kind-upper"),
    case(["log", "list", "--staff", "X99"], "staff:", id="log-staff-unknown"),
    case(["log", "list", "--month", "2026-13"], "month:", id="log-month-13"),
    case(["policy", "show", "--month", "1899-12"], "month:", id="policy-month-1899"),
])
def test_listing_filters(dept, args, start):
    refused_cleanly(run(dept, *args), 2, start)


@pytest.mark.parametrize("where", ["after", "before", "split"])
@pytest.mark.parametrize("words", [["log", "list"], ["staff", "list"], ["sales", "list"], ["month", "report", "2026-10"],
                                   ["month", "statement", "2026-10"], ["policy", "show"]])
def test_json_and_csv_together(dept, words, where):
    argv = {"after": [*words, "--json", "--csv"], "before": ["--json", "--csv", *words],
            "split": ["--json", *words, "--csv"]}[where]
    refused_cleanly(run(dept, *argv), ExitStatus.BAD_INPUT, "--json and --csv")


def test_json_and_csv_on_a_write_writes_nothing(dept):
    before = dept.total_rows()
    refused_cleanly(run(dept, "--json", "--csv", "log", "absent", "S01", *AT, by="L01"), ExitStatus.BAD_INPUT,
                    "--json and --csv")
    assert dept.total_rows() == before


# ============================================================================= policy set FILE

POLICY_CASES = [
    case("discipline.quota = \n", "policy:", id="not-toml"),
    case("bogus = 1\n", "policy bogus:", id="unknown-key"),
    case("discipline.quota = -1\n", "policy discipline.quota:", id="negative"),
    case("discipline.quota = 1e400\n", "policy discipline.quota:", id="inf-int"),
    case("discipline.late_points = nan\n", "policy discipline.late_points:", id="nan"),
    case("discipline.late_points = 1e400\n", "policy discipline.late_points:", id="inf"),
    case("pay.allowance = 2026-10-01\n", "policy pay.allowance:", id="date-value"),
    case(b"\xff\xfe\x00garbage", "file:", id="binary"),
    case('language = "fr"\n', "policy language:", id="language"),
    case("discipline.offline_tiers = [[3, 5], [2, 1]]\n", "policy discipline.offline_tiers:", id="tiers-fall"),
    case("discipline.unfinished_points = []\n", "policy discipline.unfinished_points:", id="no-points"),
    case("discipline = 5\n", "policy discipline:", id="table-as-value"),
    case('[staff.G01]\nplan = "nope"\n', "policy staff.G01.plan:", id="unknown-plan"),
]


@pytest.mark.parametrize("text, start", POLICY_CASES)
def test_policy_set_bad_files(dept, tmp_path, text, start):
    path = write(tmp_path / "p.toml", text)
    before = dept.total_rows()
    refused_cleanly(run(dept, "policy", "set", path, "--from", "2026-10", by="M01"), 2, start)
    assert dept.total_rows() == before


@was("`policy set` of `outcomes.severe_months = 100000` is accepted (exit 0); then `month report 2026-10` "
     "(and `statement`, `close`) exits 3 'internal error: ValueError: year 0 is out of range' after walking "
     "back 100,000 months for O3 (policy._build puts no upper bound on severe_months; "
     "services.month.earlier_scores steps Month.prev() below year 1)")
def test_policy_severe_months_huge(dept, tmp_path):
    path = write(tmp_path / "p.toml", "outcomes.severe_months = 100000\n")
    stored = run(dept, "policy", "set", path, "--from", "2026-10", by="M01")
    if stored.code != ExitStatus.OK:
        refused_cleanly(stored, ExitStatus.BAD_INPUT, "policy outcomes.severe_months:")
    else:
        report = run(dept, "month", "report", "2026-10")
        assert report.code == ExitStatus.OK, report.err


def test_policy_set_file_problems(dept, tmp_path):
    (tmp_path / "dir.toml").mkdir()
    before = dept.total_rows()
    refused_cleanly(run(dept, "policy", "set", str(tmp_path / "dir.toml"), "--from", "2026-10", by="M01"),
                    ExitStatus.BAD_INPUT, "file:")
    refused_cleanly(run(dept, "policy", "set", str(tmp_path / "none.toml"), "--from", "2026-10", by="M01"),
                    ExitStatus.BAD_INPUT, "file:")
    refused_cleanly(run(dept, "policy", "set", str(tmp_path / LONG_NAME), "--from", "2026-10", by="M01"),
                    ExitStatus.BAD_INPUT, "file:")
    ok = write(tmp_path / "ok.toml", "discipline.quota = 5\n")
    for month in ("2026-13", "1899-12", ""):
        refused_cleanly(run(dept, "policy", "set", ok, "--from", month, by="M01"), ExitStatus.BAD_INPUT, "from:")
    refused_cleanly(run(dept, "policy", "set", ok, "--from", "2026-10", by="P01"), ExitStatus.REFUSED, "refused (L6):")
    assert dept.total_rows() == before
    bom = write(tmp_path / "bom.toml", "\ufeffdiscipline.quota = 6\n")
    assert run(dept, "policy", "set", bom, "--from", "2026-10", by="M01").code == ExitStatus.OK


# ============================================================================= CSV imports

LOG_HEADER = "date,staff,kind,minutes,approved_by,points,source,note"
SALES_HEADER = "date,staff,product,amount,orders,customer"

# A cell quoted over two lines is valid CSV, but in a clock's or a shop's export it is more
# likely a quote left open: csctl may import it whole or refuse it naming the line, either is fine.
EITHER = "imported whole, or refused naming the line"

LOG_IMPORT_CASES = [
    # (file bytes, expected: int rows imported, (exit, start of the error line), or (EITHER, rows))
    case(f'{LOG_HEADER}\n2026-10-03,S01,absent,,,,,"a, b"\n2026-10-04,S02,absent,,,,,"say ""hi"""\n', 2,
         id="quoted-comma-and-quotes"),
    case(f'{LOG_HEADER}\n2026-10-03,S01,absent,,,,,"a\nb"\n2026-10-04,S02,absent,,,,,\n', (EITHER, 2),
         id="quoted-newline"),
    case(f"{LOG_HEADER}\r\n2026-10-03,S01,absent,,,,,\r\n2026-10-04,S02,absent,,,,,\r\n", 2, id="crlf"),
    case(f"\ufeff{LOG_HEADER}\n2026-10-03,S01,absent,,,,,\n", 1, id="bom"),
    case(f"{LOG_HEADER}\n\n2026-10-03,S01,absent,,,,,\n\n", 1, id="blank-lines"),
    case("DATE , Staff,KIND\n2026-10-03,S01,Absent\n", 1, id="header-case-and-spaces"),
    case(f"{LOG_HEADER}\n", (ExitStatus.BAD_INPUT, "file: x.csv has a header but no rows"), id="header-only"),
    case("", (ExitStatus.BAD_INPUT, "file: x.csv is empty"), id="empty"),
    case("x", (ExitStatus.BAD_INPUT, "file: x.csv line 1: missing column 'date'"), id="one-cell"),
    case(f"{LOG_HEADER},extra\n2026-10-03,S01,absent,,,,,,y\n", (ExitStatus.BAD_INPUT,
                                                                 "file: x.csv line 1: unknown column 'extra'"),
         id="extra-column"),
    case(f"{LOG_HEADER}\n2026-10-03,S01,absent,,,,,,y\n", (ExitStatus.BAD_INPUT,
                                                           "file: x.csv line 2: more cells than columns"),
         id="extra-cell"),
    case(bytes(range(256)) * 8, (ExitStatus.BAD_INPUT, "file: x.csv line"), id="binary-garbage"),
    case(f"{LOG_HEADER}\n2026-10-03,S01,absent,,,,,caf".encode() + b"\xe9\n", (ExitStatus.BAD_INPUT,
                                                                               "file: x.csv line 2: not UTF-8"),
         id="latin-1"),
    case(f"{LOG_HEADER}\n2026-10-03,S01,absent,,,,,{'n' * 1000}\n", (ExitStatus.BAD_INPUT,
                                                                     "file: x.csv line 2, column note"),
         id="note-1000"),
    case(f"{LOG_HEADER}\n2026-10-03,S01,late,5.5,,,,\n", (ExitStatus.BAD_INPUT, "file: x.csv line 2, column minutes"),
         id="minutes-float"),
    case(f"{LOG_HEADER}\n2026-10-03,S01,absent,,,,,{'n' * 200_000}\n", (ExitStatus.BAD_INPUT, "file: x.csv line 2"),
         id="field-200k",
         was="exit 3 'internal error: Error: field larger than field limit (131072)' "
                    "(services.discipline.import_file does not catch csv.Error; the sales import does)"),
    case(f"{LOG_HEADER}\n2026-10-03,S01,unfinished,,,1e99999999999,,\n", (ExitStatus.BAD_INPUT,
                                                                          "file: x.csv line 2, column points"),
         id="points-overflow",
         was="exit 3 \"internal error: Overflow: [<class 'decimal.Overflow'>]\" (parse.points)"),
    case(f"{LOG_HEADER}\n0001-01-01,S01,absent,,,,,\n", (ExitStatus.BAD_INPUT, "file: x.csv line 2, column date"),
         id="date-0001",
         was="exit 3 'internal error: ValueError: year 0 is out of range' (parse._local)"),
    case(f'{LOG_HEADER}\n2026-10-03,S01,absent,,,,,"open\n2026-10-04,S02,absent,,,,,\n2026-10-05,S03,absent,,,,,\n',
         (ExitStatus.BAD_INPUT, "file: x.csv line"), id="unterminated-quote",
         was="exit 0, 'imported 1 event(s)': the open quote swallows lines 3-4 into the note of line 2, "
                    "two absences silently lost (services.csvfile.records: csv.reader without strict=True "
                    "accepts a quote still open at the end of the file)"),
    case("date,staff,kind,date\n2026-10-03,S01,absent,2026-10-04\n", (ExitStatus.BAD_INPUT, "file: x.csv line 1"),
         id="duplicate-column",
         was="exit 0: the second 'date' column silently wins (the event is dated 2026-10-04); the sales "
                    "import refuses a column that appears twice (services.discipline.import_file: "
                    "dict(zip(header, cells)) with no duplicate check)"),
    case(f"{LOG_HEADER}\n2026-10-03,S01,absent,,,,,te\x00a\n", (ExitStatus.BAD_INPUT, "file: x.csv line 2"),
         id="nul-byte",
         was="exit 0: a NUL byte is stored inside the note (the sqlite3 shell shows it cut at the NUL); "
                    "parse.text keeps control characters"),
]


def check_import(dept: Cli, r: Run, expect, before: int) -> None:
    if isinstance(expect, tuple) and expect[0] == EITHER:
        expect = expect[1] if r.code == ExitStatus.OK else (ExitStatus.BAD_INPUT, "file: x.csv line")
    if isinstance(expect, int):
        assert r.code == ExitStatus.OK, r.err
        assert r.json()["rows"] == expect
    else:
        refused_cleanly(r, *expect)
        assert dept.total_rows() == before


@pytest.mark.parametrize("data, expect", LOG_IMPORT_CASES)
def test_log_import_files(dept, tmp_path, data, expect):
    path = write(tmp_path / "x.csv", data)
    before = dept.total_rows()
    r = run(dept, "log", "import", path, "--json", by="P01")
    check_import(dept, r, expect, before)


@was("`log import <300-character name>` exits 3 'internal error: OSError: [Errno 36] File name too long' "
     "(a regression of 9a6a824: before it the log import said 'file: cannot read ...: File name too long'; "
     "now services.csvfile.digest asks Path.is_file(), which raises ENAMETOOLONG)")
def test_log_import_name_too_long(dept, tmp_path):
    refused_cleanly(run(dept, "log", "import", str(tmp_path / LONG_NAME), by="P01"), ExitStatus.BAD_INPUT, "file:")


SALES_IMPORT_CASES = [
    case(f'{SALES_HEADER}\n2026-10-03,S01,"tea, set",10.00,1,"Wang ""VIP"" 13812345678"\n', 1,
         id="quoted-comma-and-quotes"),
    case(f'{SALES_HEADER}\n2026-10-03,S01,"tea, set",10.00,1,"Wang\n13812345678"\n', (EITHER, 1), id="quoted-newline"),
    case(f"{SALES_HEADER}\r\n2026-10-03,S01,tea,10.00,1,x\r\n", 1, id="crlf"),
    case(f"\ufeff{SALES_HEADER}\n2026-10-03,S01,tea,10.00,1,x\n", 1, id="bom"),
    case(f"{SALES_HEADER}\n\n\n2026-10-03,S01,tea,2,1,x\n\n", 1, id="blank-lines"),
    case(f"{SALES_HEADER}\n2026-10-03,S01,tea, 5 ,1,x\n", 1, id="amount-with-spaces"),
    case(f"{SALES_HEADER}\n", (ExitStatus.BAD_INPUT, "file: x.csv has a header but no rows"), id="header-only"),
    case("x", (ExitStatus.BAD_INPUT, "file: x.csv line 1: unknown column 'x'"), id="one-cell"),
    case(f"{SALES_HEADER},extra\n2026-10-03,S01,tea,1,1,x,y\n", (ExitStatus.BAD_INPUT,
                                                                 "file: x.csv line 1: unknown column 'extra'"),
         id="extra-column"),
    case(f"{SALES_HEADER}\n2026-10-03,S01,tea,1,1,x,y\n", (ExitStatus.BAD_INPUT,
                                                           "file: x.csv line 2: 7 cells where the header has 6"),
         id="extra-cell"),
    case(bytes(range(256)) * 8, (ExitStatus.BAD_INPUT, "file: x.csv line"), id="binary-garbage"),
    case(f"{SALES_HEADER}\n2026-10-03,S01,{'p' * 200_000},1,1,x\n", (ExitStatus.BAD_INPUT,
                                                                     "file: x.csv line 2: field larger"),
         id="field-200k"),
    case(f"{SALES_HEADER}\n2026-10-03,S01,tea,,1,x\n", (ExitStatus.BAD_INPUT, "file: x.csv line 2, column amount"),
         id="amount-empty"),
    case(f"{SALES_HEADER}\n2026-10-03,S01,tea,1,٣,x\n", (ExitStatus.BAD_INPUT, "file: x.csv line 2, column orders"),
         id="orders-arabic"),
    case(f"{SALES_HEADER}\n2026-10-03,S01,tea,1,1,caf".encode() + b"\xe9\n", (ExitStatus.BAD_INPUT,
                                                                              "file: x.csv line 2: not UTF-8"),
         id="latin-1-line-2",
         was="the error names line 1 ('file: x.csv line 1: not UTF-8 text'), the bad byte is on line 2 "
                    "(services.sales.produce_sales_chunks reports reader.line_num + 1, but the decoder "
                    "reads ahead of the csv reader; with 120,000 rows it named line 119968 for line 120002)"),
    case(f'{SALES_HEADER}\n2026-10-03,S01,tea,1,1,"open\n2026-10-04,S02,tea,2,1,x\n2026-10-05,S03,tea,3,1,x\n',
         (ExitStatus.BAD_INPUT, "file: x.csv line"), id="unterminated-quote",
         was="exit 0, 'imported 1 sale(s)': the open quote swallows lines 3-4 into the customer of line 2, "
                    "two sales silently lost (services.csvfile.records: csv.reader without strict=True)"),
    case(f"{SALES_HEADER}\n2026-10-03,S01,{'p' * 10_000},1,1,x\n", (ExitStatus.BAD_INPUT,
                                                                    "file: x.csv line 2, column product"),
         id="product-10000",
         was="exit 0: a 10,000-character product is stored; `sales add --product` refuses more than 200 "
                    "(services.sales._sales_rows stores product and customer cells unchecked)"),
    case(f"{SALES_HEADER}\n2026-10-03,S01,te\x00a,1,1,x\n", (ExitStatus.BAD_INPUT, "file: x.csv line 2"),
         id="nul-byte",
         was="exit 0: a NUL byte is stored inside the product, where `log import` now refuses one in a "
                    "note (services.sales._sales_rows checks the length of product/customer cells, not that "
                    "they are valid text as parse.text does)"),
]


@pytest.mark.parametrize("relay", [False, True], ids=["in-process", "reader-process"])
@pytest.mark.parametrize("data, expect", SALES_IMPORT_CASES)
def test_sales_import_files(dept, tmp_path, monkeypatch, data, expect, relay):
    from csctl.services.imports import sales

    monkeypatch.setattr(sales, "RELAY_FROM_BYTES", 0 if relay else 1 << 40)
    path = write(tmp_path / "x.csv", data)
    before = dept.total_rows()
    r = run(dept, "sales", "import", path, "--json", by="P01")
    check_import(dept, r, expect, before)


@pytest.mark.parametrize("noun", ["log", "sales"])
def test_import_paths_that_are_not_files(dept, tmp_path, noun):
    (tmp_path / "d.csv").mkdir()
    refused_cleanly(run(dept, noun, "import", str(tmp_path / "d.csv"), by="P01"), ExitStatus.BAD_INPUT, "file:")
    refused_cleanly(run(dept, noun, "import", str(tmp_path / "none.csv"), by="P01"), ExitStatus.BAD_INPUT, "file:")
    refused_cleanly(run(dept, noun, "import", "/dev/null", by="P01"), ExitStatus.BAD_INPUT, "file:")


@was("`sales import <300-character name>` exits 3 'internal error: OSError: [Errno 36] File name too long' "
     "(services.csvfile.digest: Path.is_file() raises ENAMETOOLONG)")
def test_sales_import_name_too_long(dept, tmp_path):
    refused_cleanly(run(dept, "sales", "import", str(tmp_path / LONG_NAME), by="P01"), ExitStatus.BAD_INPUT, "file:")


# ============================================================================= the ledger file

def test_ledger_paths_that_cannot_be_ledgers(tmp_path):
    folder = tmp_path / "folder.db"
    folder.mkdir()
    refused_cleanly(run(Cli(str(folder)), "staff", "list"), ExitStatus.BAD_INPUT, "db:")
    half = tmp_path / "half.db"
    full = tmp_path / "full.db"
    cli = Cli(str(full))
    run(cli, "staff", "add", "G01", "--name", "Zhou Jian", "--dept", "operations", "--rank", "general_manager")
    copy_ledger(str(full), str(tmp_path / "copy.db"))
    half.write_bytes((tmp_path / "copy.db").read_bytes()[:40_000])
    refused_cleanly(run(Cli(str(half)), "staff", "list"), ExitStatus.BAD_INPUT, "db:")
    refused_cleanly(run(Cli(str(half)), "verify"), ExitStatus.BAD_INPUT, "db:")
    header = tmp_path / "header.db"
    header.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    refused_cleanly(run(Cli(str(header)), "staff", "list"), ExitStatus.BAD_INPUT, "db:")


@was("`--db <300-character name> staff list` exits 3 'internal error: OSError: [Errno 36] File name too "
     "long' (ledger.Ledger.open: Path.is_dir() raises ENAMETOOLONG before any check)")
def test_db_name_too_long(tmp_path):
    refused_cleanly(run(Cli(str(tmp_path / (LONG_NAME + ".db"))), "staff", "list"), ExitStatus.BAD_INPUT, "db:")


@was("`--db '' init` exits 0 and uses $CSCTL_DB (else the per-user ledger) instead of refusing the empty "
     "path (services.resolve_db: `db or os.environ.get(...)`; commands.command also drops '' for the root --db)")
def test_db_empty_string_is_refused(tmp_path):
    cli = Cli(str(tmp_path / "unused.db"))
    other = tmp_path / "env.db"
    r = run(cli, "--db", "", "init", db=False, env={"CSCTL_DB": str(other), "XDG_DATA_HOME": str(tmp_path / "xdg")})
    refused_cleanly(r, ExitStatus.BAD_INPUT, "db:")
    assert not other.exists()


def _corrupt_a_sales_page(cli: Cli) -> None:
    """Overwrite one leaf page of the sales table, as a bad disk block would."""
    with closing(sqlite3.connect(cli.db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("SELECT pageno FROM dbstat WHERE name = 'sales' AND pagetype = 'leaf' "
                            "ORDER BY pageno LIMIT 1 OFFSET 3").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    with open(cli.db, "r+b") as f:
        f.seek((page - 1) * size)
        f.write(b"\xde\xad\xbe\xef" * (size // 4))


@pytest.fixture
def damaged(dept, tmp_path):
    rows = [SALES_HEADER] + [f"2026-10-{i % 28 + 1:02d},S0{i % 4 + 1},item {i},{i}.50,1,Wang 1381234{i % 10000:04d}"
                             for i in range(3000)]
    assert run(dept, "sales", "import", write(tmp_path / "shop.csv", "\n".join(rows) + "\n"),
               by="P01").code == ExitStatus.OK
    _corrupt_a_sales_page(dept)
    return dept


@pytest.mark.parametrize("args", [
    case(["verify"], id="verify",
         was="on a ledger with one damaged page of the sales table, `verify` exits 3 'internal error: "
                    "DatabaseError: database disk image is malformed' (ledger.Ledger.verify/_stream read through "
                    "self.conn.execute, not Ledger.rows, so the DatabaseError is not turned into a LedgerError); "
                    "verify is the command meant to report damage"),
    case(["sales", "list", "--json"], id="sales-list",
         was="exit 3 'internal error: DatabaseError: database disk image is malformed' (Ledger.rows caught only "
             "sqlite3.OperationalError)"),
])
def test_damaged_ledger_is_reported_not_crashed(damaged, args):
    r = run(damaged, *args)
    assert r.code in (ExitStatus.REFUSED,
                      ExitStatus.BAD_INPUT) and r.err.count("\n") == 1 and "internal error" not in r.err, r.err


def test_damaged_ledger_other_tables_still_read(damaged):
    assert run(damaged, "staff", "list", "--json").code == ExitStatus.OK


@pytest.mark.parametrize("value", ["", "zzzz", "0123456789a", "a" * 10_000, BAD_UTF8, "12 34 56 78 90 ab"])
def test_verify_expect_bad_fingerprints(dept, value):
    refused_cleanly(run(dept, "verify", "--expect", value), ExitStatus.BAD_INPUT, "expect:")


def test_verify_expect_a_fingerprint_the_chain_never_had(dept):
    refused_cleanly(run(dept, "verify", "--expect", "0123456789ab"), ExitStatus.REFUSED, "verify failed (L1):")
    head = run(dept, "verify", "--json").json()["fingerprint"]
    assert run(dept, "verify", "--expect", head[:12], "--expect", head.upper()).code == ExitStatus.OK


# ----------------------------------------------------------------------------- permissions (another OS user)

def test_ledger_permissions(dept, world_dir):
    """Read-only ledger, unreadable ledger, a folder where nothing may be created."""
    ro = copy_ledger(dept.db, str(world_dir / "ro.db"))
    os.chmod(ro, 0o444)
    listed = proc("staff", "list", "--json", db=ro, as_nobody=True)
    assert listed.returncode == ExitStatus.OK, listed.stderr
    wrote = proc("log", "absent", "S01", *AT, db=ro, by="L01", as_nobody=True)
    assert wrote.returncode == ExitStatus.BAD_INPUT, wrote.stderr
    assert wrote.stderr.startswith("db: the ledger cannot be written"), wrote.stderr
    assert wrote.stderr.count("\n") == 1 and wrote.stdout == ""
    assert count(ro, "events") == 0

    locked = copy_ledger(dept.db, str(world_dir / "zero.db"))
    os.chmod(locked, 0o000)
    r = proc("staff", "list", db=locked, as_nobody=True)
    assert (r.returncode == ExitStatus.BAD_INPUT and r.stderr.startswith("db: cannot open")
            and r.stderr.count("\n") == 1), r.stderr

    closed = world_dir / "closed"
    closed.mkdir()
    closed.chmod(0o555)
    r = proc("init", db=str(closed / "new.db"), as_nobody=True)
    assert (r.returncode == ExitStatus.BAD_INPUT and r.stderr.startswith("db: cannot create")
            and r.stderr.count("\n") == 1), r.stderr
    r = proc("init", db=str(closed / "sub" / "new.db"), as_nobody=True)
    assert r.returncode == ExitStatus.BAD_INPUT and r.stderr.startswith("db: cannot create the folder"), r.stderr


def test_backup_into_a_folder_without_write_permission(dept, world_dir):
    ledger = copy_ledger(dept.db, str(world_dir / "l.db"))
    os.chmod(ledger, 0o666)
    closed = world_dir / "closed"
    closed.mkdir()
    closed.chmod(0o555)
    r = proc("backup", str(closed / "b.db"), db=ledger, as_nobody=True)
    assert (r.returncode == ExitStatus.BAD_INPUT and r.stderr.startswith("dest: cannot create")
            and r.stderr.count("\n") == 1), r.stderr


@was("`month statement 2026-10 --format html --out DIR` with DIR not writable exits 3 'internal error: "
     "PermissionError: [Errno 13] Permission denied: DIR/2026-10-D01.html' (printable.write_statements "
     "catches errors of mkdir only)")
def test_statement_into_a_folder_without_write_permission(dept, world_dir):
    ledger = copy_ledger(dept.db, str(world_dir / "l.db"))
    os.chmod(ledger, 0o666)
    closed = world_dir / "closed"
    closed.mkdir()
    closed.chmod(0o555)
    r = proc("month", "statement", "2026-10", "--format", "html", "--out", str(closed), db=ledger, as_nobody=True)
    assert r.returncode == ExitStatus.BAD_INPUT and r.stderr.startswith("out:") and r.stderr.count("\n") == 1, r.stderr


# ----------------------------------------------------------------------------- a full disk

def test_write_on_a_full_disk_writes_nothing(tiny_fs):
    ledger = str(tiny_fs / "l.db")
    assert proc("staff", "add", "G01", "--name", "Zhou Jian", "--dept", "operations", "--rank",
                "general_manager", db=ledger).returncode == ExitStatus.OK
    fill(tiny_fs)
    r = proc("staff", "add", "M01", "--name", "Chen Hui", "--dept", "operations", "--rank", "manager",
             db=ledger, by="G01")
    assert r.returncode == ExitStatus.BAD_INPUT and r.stderr.startswith("db:") and r.stderr.count("\n") == 1, r.stderr
    (tiny_fs / "filler").unlink()
    assert count(ledger, "staff") == 1
    assert proc("verify", db=ledger).returncode == ExitStatus.OK


@was("`init` on a disk too full for the schema exits 3 'internal error: OperationalError: database or disk "
     "is full' (migrations.migrate does not turn sqlite3 errors into LedgerError)")
def test_init_on_a_full_disk(tiny_fs):
    fill(tiny_fs)
    (tiny_fs / "filler").unlink()
    with open(tiny_fs / "filler", "wb") as f:  # leave a few KiB: enough for the file, not the schema
        f.write(b"\0" * (512 * 1024 - 64 * 1024))
    r = proc("init", db=str(tiny_fs / "new.db"))
    assert r.returncode == ExitStatus.BAD_INPUT and r.stderr.startswith("db:") and r.stderr.count("\n") == 1, r.stderr


@was("`backup DEST` onto a full disk exits 3 'internal error: OperationalError: database or disk is full' "
     "and leaves an empty DEST behind (services.ledger_ops.backup / Ledger.backup: errors of the copy are "
     "not caught and the half-made file is not removed)")
def test_backup_onto_a_full_disk(dept, tiny_fs):
    fill(tiny_fs)
    (tiny_fs / "filler").unlink()
    with open(tiny_fs / "filler", "wb") as f:
        f.write(b"\0" * (512 * 1024 - 64 * 1024))
    dest = tiny_fs / "b.db"
    r = proc("backup", str(dest), db=dept.db)
    assert r.returncode == ExitStatus.BAD_INPUT and r.stderr.startswith("dest:") and r.stderr.count("\n") == 1, r.stderr
    assert not dest.exists()


# ----------------------------------------------------------------------------- backup DEST

def test_backup_bad_destinations(dept, tmp_path):
    (tmp_path / "exists.db").write_text("x")
    for dest, start in ((str(tmp_path / "exists.db"), "dest:"), (str(tmp_path), "dest:"),
                        (str(tmp_path / "nofolder" / "b.db"), "dest:"), ("", "dest:"), (dept.db, "dest:")):
        refused_cleanly(run(dept, "backup", dest), 2, start)
    assert (tmp_path / "exists.db").read_text() == "x"


@was("`backup <300-character name>` exits 3 'internal error: OSError: [Errno 36] File name too long' "
     "(services.ledger_ops.backup: Path.exists() raises ENAMETOOLONG)")
def test_backup_name_too_long(dept, tmp_path):
    refused_cleanly(run(dept, "backup", str(tmp_path / (LONG_NAME + ".db"))), ExitStatus.BAD_INPUT, "dest:")


# ----------------------------------------------------------------------------- month statement --out

def test_statement_out_problems(dept, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    refused_cleanly(run(dept, "month", "statement", "2026-10", "--format", "html", "--out", str(afile)),
                    ExitStatus.BAD_INPUT, "out:")
    refused_cleanly(run(dept, "month", "statement", "2026-10", "--format", "html", "--out", str(afile / "sub")),
                    ExitStatus.BAD_INPUT, "out:")
    refused_cleanly(run(dept, "month", "statement", "2026-10", "--format", "html", "--out",
                        str(tmp_path / LONG_NAME)), ExitStatus.BAD_INPUT, "out:")


def test_statement_pages_step_around_what_is_in_the_way(dept, tmp_path):
    """A page is never written over anything: a folder (or an earlier page) where a page goes is
    left as it is and the page goes beside it; a file where the folder goes is refused."""
    out = tmp_path / "st"
    (out / "2026-10-S01-draft.html").mkdir(parents=True)
    assert run(dept, "month", "statement", "2026-10", "--out", str(out), "--staff", "S01").code == ExitStatus.OK
    assert sorted(p.name for p in out.iterdir()) == ["2026-10-S01-draft-2.html", "2026-10-S01-draft.html"]
    blocked = tmp_path / "file"
    blocked.write_text("x")
    refused_cleanly(run(dept, "month", "statement", "2026-10", "--out", str(blocked)), ExitStatus.BAD_INPUT, "out:")


# ============================================================================= demo

def test_demo_bad_months(dept, tmp_path):
    fresh = Cli(str(tmp_path / "demo.db"))
    refused_cleanly(run(fresh, "demo", "--month", "2026-13"), ExitStatus.BAD_INPUT, "month:")
    refused_cleanly(run(fresh, "demo", "--month", "9999-12"), ExitStatus.BAD_INPUT, "month:")
    assert fresh.total_rows() == 0
    refused_cleanly(run(dept, "demo"), ExitStatus.BAD_INPUT, "db:")  # not a fresh ledger


@was("`demo --month 1900-01` exits 2 with \"from: '1899-11' is not a month\" (a field the user never typed) "
     "after committing the 18 demo staff; a second `demo` then says the ledger 'already holds the demo "
     "department' and shows an empty report (services.demo.run writes in several transactions and sets a "
     "policy from two months earlier, before 1900)")
def test_demo_that_fails_writes_nothing(cli):
    r = run(cli, "demo", "--month", "1900-01")
    assert r.code == ExitStatus.BAD_INPUT and r.err.startswith("month:"), r.err
    assert cli.total_rows() == 0


# ============================================================================= two writers at once

def test_concurrent_writers(dept):
    """Two csctl processes appending in a loop: each write succeeds or says the ledger is busy."""
    results: list[subprocess.CompletedProcess] = []
    lock = threading.Lock()

    def writer(staff: str, by: str) -> None:
        for i in range(8):
            done = proc("log", "absent", staff, "--at", f"2026-10-{i + 1:02d}", "--note", f"{staff} {i}",
                        db=dept.db, by=by)
            with lock:
                results.append(done)

    threads = [threading.Thread(target=writer, args=a) for a in (("S01", "L01"), ("S02", "P01"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = [r for r in results if r.returncode == ExitStatus.OK]
    for r in results:
        assert r.returncode == ExitStatus.OK or (
            r.returncode == ExitStatus.BAD_INPUT and r.stderr.startswith("db: the ledger is busy")), r.stderr
    assert dept.count("events") == len(ok)
    assert run(dept, "verify").code == ExitStatus.OK


def test_a_writer_waiting_too_long_gives_up_cleanly(dept, monkeypatch):
    import csctl.ledger

    monkeypatch.setattr(csctl.ledger, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(dept.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        before = dept.total_rows()
        refused_cleanly(run(dept, "log", "absent", "S01", *AT, by="L01"), ExitStatus.BAD_INPUT,
                        "db: the ledger is busy")
        assert run(dept, "log", "list", "--json").code == ExitStatus.OK  # readers are not blocked
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert dept.total_rows() == before


def test_concurrent_imports_of_the_same_file(dept, tmp_path):
    rows = [SALES_HEADER] + [f"2026-10-{i % 28 + 1:02d},S0{i % 4 + 1},item,{i}.00,1," for i in range(2000)]
    path = write(tmp_path / "shop.csv", "\n".join(rows) + "\n")
    out: list[subprocess.CompletedProcess] = []
    threads = [threading.Thread(target=lambda by=by: out.append(proc("sales", "import", path, db=dept.db, by=by)))
               for by in ("P01", "L01", "M01")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.returncode for r in out) == [ExitStatus.OK, ExitStatus.BAD_INPUT,
                                                 ExitStatus.BAD_INPUT], [r.stderr for r in out]
    assert all("already imported" in r.stderr for r in out if r.returncode == ExitStatus.BAD_INPUT)
    assert dept.count("sales") == 2000 and run(dept, "verify").code == ExitStatus.OK


# ============================================================================= output streams

@pytest.fixture
def many_sales(dept, tmp_path):
    rows = [SALES_HEADER] + [f"2026-10-{i % 28 + 1:02d},S0{i % 4 + 1},item {i},{i}.00,1,Wang 13812345678"
                             for i in range(4000)]
    assert run(dept, "sales", "import", write(tmp_path / "shop.csv", "\n".join(rows) + "\n"),
               by="P01").code == ExitStatus.OK
    return dept


@was("`csctl sales list --csv | head -1` exits 1 (the code of a rule refusal) with nothing said: click's "
     "standalone mode turns EPIPE into exit 1 before csctl.cli.main's BrokenPipeError handler (exit 0) runs")
def test_reader_going_away_is_not_a_refusal(many_sales):
    cmd = [sys.executable, "-m", "csctl", "--db", many_sales.db, "sales", "list", "--csv"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSCTL_")}
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert p.stdout.readline().startswith(b"id,")
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=60) == ExitStatus.OK and "Traceback" not in err, (p.returncode, err)


@was("`csctl log list --json > /dev/full` exits 3 'internal error: OSError: [Errno 28] No space left on "
     "device' (render.out_json / cli.main: a failed write to stdout is reported as a bug of csctl)")
def test_stdout_on_a_full_device(dept):
    run(dept, "log", "absent", "S01", *AT, by="L01")
    with open("/dev/full", "w") as full:
        r = proc("log", "list", "--json", db=dept.db, stdout=full, stderr=subprocess.PIPE, capture_output=False)
    assert r.returncode in (ExitStatus.REFUSED, ExitStatus.BAD_INPUT) and "internal error" not in r.stderr, r.stderr
