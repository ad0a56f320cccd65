"""`csctl staff` and `csctl log` through the CLI runner: each command's happy path and refusals.

Every refusal is checked for its exit code, its one line naming the field or rule, and that
nothing was written.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import date

import pytest
from conftest import Cli

from csctl import migrations
from csctl.errors import ExitStatus

# ----------------------------------------------------------------------------- staff


def test_first_staff_add_needs_no_recorder_and_records_themselves(cli):
    run = cli("staff", "add", "G01", "--name", "Zhou Jian", "--dept", "operations", "--rank", "general_manager",
              "--json")
    row = run.json()
    assert row["staff"] == "G01" and row["recorded_by"] == "G01" and isinstance(row["id"], int)
    assert row["recorded_os"] and row["recorded_at"]


def test_first_staff_must_be_able_to_add_the_rest(cli):
    run = cli("staff", "add", "S01", "--name", "A", "--dept", "customer_service", "--rank", "staff",
              "--level", "junior", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("rank: the first person on a new ledger must be a supervisor or above")
    assert cli.count("staff") == 0 and cli.count("chain") == 0  # nothing written
    assert cli.count("staff") == 0


def test_staff_add_list_show_leave(dept):
    rows = dept("staff", "list", "--json").json()
    assert [r["id"] for r in rows][:3] == ["D01", "G01", "K01"]
    assert all(r["active"] for r in rows)
    shown = dept("staff", "show", "S01", "--json").json()
    assert shown["level"] == "senior" and shown["scored"] is True
    left = dept("staff", "leave", "S03", "--on", "2026-10-15", "--reason", "resigned", "--json", by="P01").json()
    assert left["staff"] == "S03" and left["on_date"] == "2026-10-15"
    rows = {r["id"]: r for r in dept("staff", "list", "--json").json()}
    assert rows["S03"]["left"] == "2026-10-15" and rows["S03"]["active"] is False
    active = [r["id"] for r in dept("staff", "list", "--active", "--json").json()]
    assert "S03" not in active
    table = dept("staff", "list", env={"COLUMNS": None}).out
    assert "Liu Yang" in table
    # Piped, a table is drawn at its natural width: no date or department folded in two.
    assert "2025-01-01" in table and "customer_service" in table
    narrow = dept("staff", "list", env={"COLUMNS": "60"}).out
    assert "Liu" in narrow and max(len(line) for line in narrow.splitlines()) <= 60
    assert dept("staff", "list", "--csv").out.splitlines()[0].startswith("id,name,dept")


@pytest.mark.parametrize(
    "args, field",
    [
        (["S09", "--name", "X", "--dept", "sales", "--rank", "staff"], "dept"),
        (["S09", "--name", "X", "--dept", "security", "--rank", "boss"], "rank"),
        (["S09", "--name", "X", "--dept", "customer_service", "--rank", "staff"], "level"),
        (["S09", "--name", "X", "--dept", "security", "--rank", "staff", "--level", "junior"], "level"),
        (["S09", "--name", "X", "--dept", "customer_service", "--rank", "staff", "--level", "guru"], "level"),
        (["S01", "--name", "X", "--dept", "security", "--rank", "staff"], "id"),
        (["S 9", "--name", "X", "--dept", "security", "--rank", "staff"], "id"),
        (["S09", "--name", " ", "--dept", "security", "--rank", "staff"], "name"),
        (["S09", "--name", "X", "--dept", "security", "--rank", "staff", "--hired", "2026-02-30"], "hired"),
    ],
)
def test_staff_add_bad_input(dept, args, field):
    before = dept.total_rows()
    run = dept("staff", "add", *args, by="M01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith(f"{field}:") and run.err.count("\n") == 1
    assert dept.total_rows() == before


def test_staff_add_needs_a_supervisor(dept):
    run = dept("staff", "add", "S09", "--name", "X", "--dept", "security", "--rank", "staff", by="L01",
               code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L6): adding staff needs a supervisor or above; L01 is a shift lead")


def test_write_without_recorder_says_how_to_set_it(dept):
    run = dept("log", "late", "S01", "--minutes", "5", "--at", "2026-10-03 09:05", code=ExitStatus.BAD_INPUT)
    assert "--by" in run.err and "CSCTL_USER" in run.err


def test_recorder_from_environment(dept):
    run = dept("log", "late", "S01", "--minutes", "5", "--at", "2026-10-03 09:05", "--json",
               env={"CSCTL_USER": "L01"})
    assert run.json()["recorded_by"] == "L01"


def test_unknown_recorder(dept):
    run = dept("log", "absent", "S01", "--at", "2026-10-03", by="X99", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("by: X99 is not on the staff list")


# ----------------------------------------------------------------------------- log: happy paths

LOG_CASES = [
    ("late", ["--minutes", "12"], "D1", {"minutes": 12}),
    ("late", ["--minutes", "31"], "D2", {"minutes": 31}),  # over 30 minutes: listed under D2
    ("absent", [], "D3", {}),
    ("awol", ["--reason", "no leave asked"], "D4", {"reason": "no leave asked"}),
    ("left-post", [], "D4", {}),
    ("leave", ["--approved-by", "P01"], "D5", {"approved_by": "P01"}),
    ("dayoff", ["--approved-by", "M01"], "D5", {"approved_by": "M01"}),
    ("leave", ["--approved-by", "G01"], "D5", {"approved_by": "G01"}),
    ("forgot-signin", [], "D5", {}),
    ("offline", [], "D6", {"excused": False}),
    ("offline", ["--excused", "--reason", "network outage"], "D6", {"excused": True, "reason": "network outage"}),
    ("complaint", ["--kind", "slow", "--source", "colleague"], "D7", {"complaint": "slow", "source": "colleague"}),
    ("complaint", ["--kind", "attitude", "--source", "customer"], "D8", {"complaint": "attitude"}),
    ("unfinished", ["--points", "0.5"], "D9", {"points": "0.5"}),
    ("unfinished", ["--points", "0"], "D9", {"points": "0"}),
    ("refer", ["--reason", "rude again"], "D10", {"reason": "rude again"}),
]


@pytest.mark.parametrize("kind, args, rule, expect", LOG_CASES, ids=[f"{c[2]}-{c[0]}" for c in LOG_CASES])
def test_log_each_kind(dept, kind, args, rule, expect):
    row = dept("log", kind, "S01", *args, "--at", "2026-10-03 09:40", "--json", by="P01").json()
    assert row["kind"] == kind and row["staff"] == "S01" and row["rule"] == rule
    assert row["at"] == "2026-10-03T09:40:00+08:00"
    assert row["recorded_by"] == "P01"
    for key, value in expect.items():
        assert row[key] == value
    listed = dept("log", "list", "--json").json()
    assert [r["id"] for r in listed] == [row["id"]]


def test_log_confirmation_names_the_row(dept):
    run = dept("log", "late", "S02", "--minutes", "7", "--at", "2026-10-05 09:07", by="L01")
    assert run.out.startswith("recorded #") and "late S02" in run.out and "(D1: 0.5 points)" in run.out


@pytest.mark.parametrize("text, expected", [
    ("2026-10-03", "2026-10-03T00:00:00+08:00"),
    ("2026-10-03 09:40", "2026-10-03T09:40:00+08:00"),
    ("2026-10-03T09:40:00+02:00", "2026-10-03T15:40:00+08:00"),  # L7: on the department's clock
])
def test_at_formats(dept, text, expected):
    row = dept("log", "absent", "S02", "--at", text, "--json", by="L01").json()
    assert row["at"] == expected


def test_at_relative_words(dept):
    today = date.today()
    row = dept("log", "late", "S02", "--minutes", "3", "--at", "00:00", "--json", by="L01").json()
    assert row["at"].startswith(today.isoformat() + "T00:00:00")
    row = dept("log", "late", "S02", "--minutes", "3", "--at", "yesterday 09:40", "--json", by="L01").json()
    assert row["at"][:10] == date.fromordinal(today.toordinal() - 1).isoformat() and row["at"][11:16] == "09:40"


def test_global_options_before_and_after_the_noun(dept):
    from typer.testing import CliRunner

    from csctl.cli import app

    runner = CliRunner()
    before = runner.invoke(app, ["--db", dept.db, "--by", "L01", "--json", "log", "absent", "S02", "--at",
                                 "2026-10-06"])
    after = runner.invoke(app, ["log", "absent", "S02", "--at", "2026-10-07", "--db", dept.db, "--by", "L01",
                                "--json"])
    assert before.exit_code == ExitStatus.OK and after.exit_code == ExitStatus.OK
    import json

    assert json.loads(before.stdout)["at"][:10] == "2026-10-06"
    assert json.loads(after.stdout)["at"][:10] == "2026-10-07"


# ----------------------------------------------------------------------------- log: refusals

REFUSALS = [
    # (args, recorder, exit code, start of the error line)
    (["late", "S99", "--minutes", "5"], "L01", ExitStatus.BAD_INPUT, "staff: S99 is not on the staff list"),
    (["late", "S01", "--minutes", "-5"], "L01", ExitStatus.BAD_INPUT, "minutes:"),
    (["late", "S01", "--minutes", "abc"], "L01", ExitStatus.BAD_INPUT, "minutes:"),
    (["late", "S01", "--minutes", "0"], "L01", ExitStatus.BAD_INPUT, "minutes:"),
    (["late", "S01", "--minutes", "5", "--at", "2026-02-30"], "L01", ExitStatus.BAD_INPUT, "at:"),
    (["late", "S01", "--minutes", "5", "--at", "2026-10-03 25:00"], "L01", ExitStatus.BAD_INPUT, "at:"),
    (["late", "S01", "--minutes", "5", "--at", "next tuesday"], "L01", ExitStatus.BAD_INPUT, "at:"),
    (["late", "S01", "--minutes", "5", "--at", "2099-01-01 09:00"], "L01", ExitStatus.BAD_INPUT, "at:"),
    (["complaint", "S01", "--kind", "rude", "--source", "customer"], "L01", ExitStatus.BAD_INPUT, "kind:"),
    (["complaint", "S01", "--kind", "slow", "--source", "boss"], "L01", ExitStatus.BAD_INPUT, "source:"),
    (["complaint", "S01", "--kind", "attitude", "--source", "colleague"], "L01", ExitStatus.REFUSED, "refused (D8):"),
    (["unfinished", "S01", "--points", "0.7"], "P01", ExitStatus.BAD_INPUT, "points:"),
    (["unfinished", "S01", "--points", "2"], "P01", ExitStatus.BAD_INPUT, "points:"),
    (["unfinished", "S01", "--points", "lots"], "P01", ExitStatus.BAD_INPUT, "points:"),
    (["offline", "S01", "--excused"], "L01", ExitStatus.BAD_INPUT, "reason:"),
    (["refer", "S01"], "P01", ExitStatus.BAD_INPUT, "reason:"),
    (["leave", "S01"], "P01", ExitStatus.REFUSED, "refused (D5):"),
    (["dayoff", "S01"], "P01", ExitStatus.REFUSED, "refused (D5):"),
    (["leave", "S01", "--approved-by", "S01"], "P01", ExitStatus.REFUSED, "refused (D5):"),
    (["leave", "S01", "--approved-by", "L01"], "P01", ExitStatus.REFUSED, "refused (D5):"),
    (["leave", "S01", "--approved-by", "P02"], "P01", ExitStatus.REFUSED, "refused (D5):"),
    (["leave", "S01", "--approved-by", "X99"], "P01", ExitStatus.REFUSED, "refused (D5):"),
    (["late", "S01", "--minutes", "5"], "S02", ExitStatus.REFUSED, "refused (D1):"),
    (["late", "L01", "--minutes", "5"], "L01", ExitStatus.REFUSED, "refused (D1):"),
    (["late", "K01", "--minutes", "5"], "L01", ExitStatus.REFUSED, "refused (D1): K01 is in security"),
    (["absent", "M01"], "G01", ExitStatus.REFUSED, "refused (D3): M01 is a manager"),
]


@pytest.mark.parametrize("args, by, code, start", REFUSALS, ids=[" ".join(r[0]) for r in REFUSALS])
def test_log_refusals_write_nothing(dept, args, by, code, start):
    at = [] if "--at" in args else ["--at", "2026-10-03 09:40"]
    before = dept.total_rows()
    run = dept("log", *args, *at, by=by, code=code)
    assert run.err.startswith(start), run.err
    assert run.err.count("\n") == 1 and "Traceback" not in run.err
    assert dept.total_rows() == before


def test_leave_without_approver_hints_at_awol(dept):
    run = dept("log", "leave", "S01", "--at", "2026-10-03", by="P01", code=ExitStatus.REFUSED)
    assert "csctl log awol S01" in run.err


def test_event_after_a_person_left_is_refused(dept):
    dept("staff", "leave", "S03", "--on", "2026-10-15", by="P01")
    run = dept("log", "absent", "S03", "--at", "2026-10-20", by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("at:") and "left on 2026-10-15" in run.err
    dept("log", "absent", "S03", "--at", "2026-10-14", by="L01")


def test_leave_may_be_recorded_ahead(dept):
    ahead = date.fromordinal(date.today().toordinal() + 3).isoformat()
    row = dept("log", "leave", "S01", "--approved-by", "P01", "--at", ahead, "--json", by="P01").json()
    assert row["at"].startswith(ahead)


# ----------------------------------------------------------------------------- the ledger file

def test_db_that_is_not_sqlite(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("shopping list: tea, rice, more tea\n" * 200)
    run = Cli(str(bad))("staff", "list", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("db:") and "not an SQLite file" in run.err and run.err.count("\n") == 1
    assert bad.read_text().startswith("shopping list")


def test_db_that_is_another_programs_database(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    run = Cli(str(other))("staff", "list", code=ExitStatus.BAD_INPUT)
    assert "not a csctl ledger" in run.err


def test_db_in_a_folder_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    run = Cli(str(blocker / "sub" / "ledger.db"))("init", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("db: cannot create the folder")


@pytest.mark.parametrize("args", [["staff", "list"], ["verify"], ["month", "report", "2026-10"], ["log", "list"]])
def test_a_command_that_only_reads_never_creates_a_ledger(tmp_path, args):
    missing = tmp_path / "typo" / "ledger.db"
    run = Cli(str(missing))(*args, code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("db: there is no ledger at") and not missing.parent.exists()


def test_ledger_file_and_folder_are_owner_only(tmp_path):
    path = tmp_path / "fresh" / "ledger.db"
    Cli(str(path))("init")
    assert (os.stat(path).st_mode & 0o777) == 0o600
    assert (os.stat(path.parent).st_mode & 0o777) == 0o700


def test_default_ledger_location_is_the_user_data_dir(tmp_path, monkeypatch):
    from csctl.services import resolve_db

    monkeypatch.delenv("CSCTL_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_db(None) == tmp_path / "xdg" / "csctl" / "ledger.db"
    monkeypatch.setenv("CSCTL_DB", str(tmp_path / "env.db"))
    assert resolve_db(None) == tmp_path / "env.db"
    assert resolve_db(str(tmp_path / "flag.db")) == tmp_path / "flag.db"


def test_init_is_idempotent(cli):
    first = cli("init", "--json").json()
    second = cli("init", "--json").json()
    assert first["applied_now"] == [name for name, _ in migrations.MIGRATIONS] and second["applied_now"] == []
    assert first["migrations"] == second["migrations"]
    assert "up to date" in cli("init").out


# ----------------------------------------------------------------------------- log list and import

def test_log_list_filters_and_csv(dept):
    dept("log", "late", "S01", "--minutes", "5", "--at", "2026-09-30 09:05", by="L01")
    dept("log", "late", "S02", "--minutes", "6", "--at", "2026-10-01 09:06", by="L01")
    dept("log", "absent", "S02", "--at", "2026-10-02", by="L01")
    assert len(dept("log", "list", "--json").json()) == 3
    assert [r["staff"] for r in dept("log", "list", "--month", "2026-10", "--json").json()] == ["S02", "S02"]
    assert [r["kind"] for r in dept("log", "list", "--staff", "S02", "--kind", "absent", "--json").json()] == ["absent"]
    csv_lines = dept("log", "list", "--csv").out.splitlines()
    assert csv_lines[0].startswith("id,at,staff,kind,rule") and len(csv_lines) == 4
    assert "S02" in dept("log", "list").out
    dept("log", "list", "--kind", "napping", code=ExitStatus.BAD_INPUT)
    dept("log", "list", "--month", "2026-13", code=ExitStatus.BAD_INPUT)


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return str(path)


CLOCK = """date,staff,kind,minutes,approved_by,points,source,note
2026-10-01 09:12,S01,late,12,,,,
2026-10-02,S02,absent,,,,,
2026-10-03,S02,leave,,P01,,,
2026-10-04 12:30,S03,offline-excused,,,,,network down
2026-10-05 14:00,S03,complaint-slow,,,,customer,order 77
2026-10-06,S01,unfinished,,,0.5,,
2026-10-07,S01,refer,,,,,rude after two talks
"""


def test_log_import_all_rows(dept, tmp_path):
    path = _write(tmp_path, "clock.csv", CLOCK)
    result = dept("log", "import", path, "--json", by="P01").json()
    assert result["rows"] == 7
    rows = dept("log", "list", "--json").json()
    assert [r["kind"] for r in rows] == ["late", "absent", "leave", "offline", "complaint", "unfinished", "refer"]
    assert rows[3]["excused"] is True and rows[3]["reason"] == "network down"
    assert rows[4]["complaint"] == "slow" and rows[6]["reason"] == "rude after two talks"
    assert all(r["import"] == result["import"] for r in rows)


def test_log_import_twice_is_refused(dept, tmp_path):
    path = _write(tmp_path, "clock.csv", CLOCK)
    dept("log", "import", path, by="P01")
    before = dept.total_rows()
    run = dept("log", "import", path, by="P01", code=ExitStatus.BAD_INPUT)
    assert "already imported" in run.err
    assert dept.total_rows() == before


@pytest.mark.parametrize(
    "line, start",
    [
        ("2026-10-08,S01,late,,,,,", "file: clock.csv line 3, column minutes"),
        ("2026-10-08,S01,late,abc,,,,", "file: clock.csv line 3, column minutes"),
        ("2026-02-30,S01,absent,,,,,", "file: clock.csv line 3, column date"),
        ("2026-10-08,S77,absent,,,,,", "file: clock.csv line 3, column staff"),
        ("2026-10-08,S01,napping,,,,,", "file: clock.csv line 3, column kind"),
        ("2026-10-08,S01,leave,,,,,", "refused (D5): clock.csv line 3"),
        ("2026-10-08,S01,complaint-attitude,,,,colleague,", "refused (D8): clock.csv line 3"),
        ("2026-10-08,S01,unfinished,,,0.7,,", "file: clock.csv line 3, column points"),
        ("2026-10-08,S01,absent,5,,,,", "file: clock.csv line 3, column minutes"),
        ("2026-10-08,S01,absent,,,,,,extra", "file: clock.csv line 3: more cells than columns"),
    ],
)
def test_log_import_refuses_the_whole_file_naming_line_and_column(dept, tmp_path, line, start):
    text = "date,staff,kind,minutes,approved_by,points,source,note\n2026-10-01,S02,absent,,,,,\n" + line + "\n"
    path = _write(tmp_path, "clock.csv", text)
    before = dept.total_rows()
    run = dept("log", "import", path, by="P01", code=None)
    assert run.code in (ExitStatus.REFUSED, ExitStatus.BAD_INPUT)
    assert run.err.startswith(start), run.err
    assert dept.total_rows() == before


def test_log_import_file_problems(dept, tmp_path):
    dept("log", "import", _write(tmp_path, "empty.csv", ""), by="P01", code=ExitStatus.BAD_INPUT)
    run = dept("log", "import", _write(tmp_path, "latin.csv", "date,staff,kind\n2026-10-01,S01,absent\xe9\n", "latin-1"),
               by="P01", code=ExitStatus.BAD_INPUT)
    assert "not UTF-8" in run.err
    run = dept("log", "import", _write(tmp_path, "nokind.csv", "date,staff\n2026-10-01,S01\n"), by="P01",
               code=ExitStatus.BAD_INPUT)
    assert "missing column 'kind'" in run.err
    dept("log", "import", str(tmp_path / "missing.csv"), by="P01", code=ExitStatus.BAD_INPUT)


@pytest.mark.parametrize(
    "args, by, code, start",
    [
        (["staff", "show", "S99"], None, ExitStatus.BAD_INPUT, "staff: S99 is not on the staff list"),
        (["staff", "list", "--dept", "sales"], None, ExitStatus.BAD_INPUT, "dept:"),
        (["staff", "leave", "S99", "--on", "2026-10-01"], "P01", ExitStatus.BAD_INPUT, "staff:"),
        (["staff", "leave", "S01", "--on", "2023-12-31"], "P01", ExitStatus.BAD_INPUT, "on:"),
        (["staff", "leave", "S01", "--on", "2026-10-32"], "P01", ExitStatus.BAD_INPUT, "on:"),
        (["staff", "leave", "S01", "--on", "2026-10-01"], "L01", ExitStatus.REFUSED, "refused (L6):"),
        (["policy", "show", "--month", "2026-13"], None, ExitStatus.BAD_INPUT, "month:"),
        (["policy", "set", "/nonexistent/p.toml", "--from", "2026-12"], "M01", ExitStatus.BAD_INPUT, "file:"),
        (["void", "0", "--reason", "x"], "P01", ExitStatus.BAD_INPUT, "row:"),
    ],
)
def test_more_refusals(dept, args, by, code, start):
    before = dept.total_rows()
    run = dept(*args, by=by, code=code)
    assert run.err.startswith(start), run.err
    assert dept.total_rows() == before


def test_a_leaver_is_marked_once(dept):
    dept("staff", "leave", "S01", "--on", "2026-10-01", by="P01")
    run = dept("staff", "leave", "S01", "--on", "2026-10-02", by="P01", code=ExitStatus.BAD_INPUT)
    assert "already left" in run.err


def test_voiding_a_departure_makes_the_person_active_again(dept):
    row = dept("staff", "leave", "S01", "--on", "2026-10-01", "--json", by="P01").json()
    dept("log", "absent", "S01", "--at", "2026-10-05", by="L01", code=ExitStatus.BAD_INPUT)
    dept("void", str(row["id"]), "--reason", "she stayed", by="P01")
    dept("log", "absent", "S01", "--at", "2026-10-05", by="L01")


def test_the_recorder_can_come_from_the_os_account(cli):
    import pwd

    me = pwd.getpwuid(os.getuid()).pw_name
    cli("staff", "add", "M01", "--name", "Boss", "--dept", "customer_service", "--rank", "manager", "--os-user", me)
    run = cli("staff", "add", "S01", "--name", "A", "--dept", "security", "--rank", "staff", "--json")
    assert run.json()["recorded_by"] == "M01"


@pytest.mark.parametrize("cells, column", [
    ('2026-10-02,S01,absent,,,,,"a note\nthat runs on"', "note"),
    ('2026-10-02,S01,absent,,,,,"an open quote\n2026-10-03,S01,absent,,,,,\n', "note"),
])
def test_log_import_refuses_a_cell_over_several_lines(dept, tmp_path, cells, column):
    text = "date,staff,kind,minutes,approved_by,points,source,note\n" + cells + "\n"
    run = dept("log", "import", _write(tmp_path, "clock.csv", text), by="P01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith(f"file: clock.csv line 2, column {column}: runs over several lines"), run.err


def test_log_import_refuses_a_column_twice_and_a_nul(dept, tmp_path):
    twice = "date,staff,kind,date\n2026-10-02,S01,absent,2026-10-04\n"
    assert "appears twice" in dept("log", "import", _write(tmp_path, "t.csv", twice), by="P01",
                                   code=ExitStatus.BAD_INPUT).err
    nul = "date,staff,kind,note\n2026-10-02,S01,absent,a\x00b\n"
    run = dept("log", "import", _write(tmp_path, "n.csv", nul), by="P01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("file: n.csv line 2: holds a NUL byte")


@pytest.mark.parametrize("at", ["2026-W41-6", "20261010", "2026-W41-6 09:40", "20261010T0940", "٠٩:٤٠",
                                "2026-10-10 ٠٩:٤٠"])
def test_at_takes_only_the_documented_forms_whatever_the_python(dept, at):
    # Python 3.11's fromisoformat takes week dates and basic forms that 3.10 refuses; int()
    # takes other scripts' digits. The ledger takes the same text on every Python.
    run = dept("log", "late", "S01", "--minutes", "5", "--at", at, by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("at:") and dept.count("events") == 0
