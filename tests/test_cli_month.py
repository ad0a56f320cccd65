"""`csctl month`, `void`, `policy`, `verify`, `backup`, `demo` through the CLI runner."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from datetime import date

import pytest
from conftest import copy_ledger_file, ledger_template

from csctl.errors import ExitStatus
from csctl.models import Month

REPORT_FIELDS = {"staff", "name", "score", "raw_score", "deductions", "outcome", "rank", "referred"}


def _october(dept):
    """A month with something for most rules; returns the row ids by name. Tests take it
    through the `october` fixture, which runs it once per session and copies the result."""
    ids = {}

    def log(name, *args, by="L01"):
        ids[name] = dept("log", *args, "--json", by=by).json()["id"]

    log("late12", "late", "S01", "--minutes", "12", "--at", "2026-10-02 09:12")
    log("late45", "late", "S01", "--minutes", "45", "--at", "2026-10-03 09:45")
    for n, day in enumerate(("05", "06", "07", "08", "09")):
        log(f"leave{n}", "leave", "S02", "--approved-by", "P01", "--at", f"2026-10-{day}", by="P01")
    for n, day in enumerate(("10", "11", "12")):
        log(f"offline{n}", "offline", "S03", "--at", f"2026-10-{day} 12:30")
    log("refer", "refer", "S03", "--reason", "rude again", "--at", "2026-10-20 17:00", by="P01")
    return ids


@pytest.fixture(scope="session")
def _october_template(tmp_path_factory, dept_template):
    return ledger_template(tmp_path_factory, "october", _october, start_from=dept_template)


@pytest.fixture
def october(_october_template, dept) -> dict[str, int]:
    """`dept` holding `_october`'s rows (built once per session, copied); their ids by name."""
    path, ids = _october_template
    copy_ledger_file(path, dept.db)
    return dict(ids)


def test_month_report_lists_rows_behind_each_deduction(dept, october):
    ids = october
    lines = {line["staff"]: line for line in dept("month", "report", "2026-10", "--json").json()}
    assert set(lines) == {"L01", "S01", "S02", "S03", "S04"}
    assert all(REPORT_FIELDS <= set(line) for line in lines.values())
    s01 = lines["S01"]
    assert s01["deductions"] == [
        {"rule": "D1", "count": 1, "points": 0.5, "rows": [ids["late12"]]},
        {"rule": "D2", "count": 1, "points": 2, "rows": [ids["late45"]]},
    ]
    assert s01["score"] == 7.5 and s01["raw_score"] == 7.5
    s02 = lines["S02"]
    assert s02["deductions"] == [{"rule": "D5", "count": 1, "points": 2, "rows": [ids["leave4"]], "days": 1}]
    s03 = lines["S03"]
    assert s03["deductions"][0]["rule"] == "D6" and s03["deductions"][0]["points"] == 5
    assert s03["score"] == 5 and s03["outcome"] == "warning"
    assert s03["referred"] is True and s03["referrals"] == [ids["refer"]]
    assert lines["L01"]["score"] == 10 and lines["L01"]["rank"] == 1 and lines["S04"]["rank"] == 1
    assert dept("month", "report", "2026-10", "--staff", "S03", "--json").json() == [s03]
    table = dept("month", "report", "2026-10").out
    assert "D6" in table and "referred" in table
    csv_text = dept("month", "report", "2026-10", "--csv").out
    assert csv_text.splitlines()[0] == "staff,name,score,raw_score,outcome,rank,referred,deductions,referrals"
    dept("month", "report", "2026-10", "--staff", "M01", code=ExitStatus.BAD_INPUT)


def test_close_is_reproducible_byte_for_byte(dept, october):
    """L3: close, reopen, close again with the same rows and policy: the same bytes."""
    first = dept("month", "close", "2026-10", "--json", by="P01").json()
    report_first = dept("month", "report", "2026-10", "--json").out
    dept("month", "reopen", "2026-10", "--reason", "check", by="M01")
    second = dept("month", "close", "2026-10", "--json", by="P01").json()
    assert second["id"] != first["id"]
    assert dept("month", "report", "2026-10", "--json").out == report_first
    with sqlite3.connect(dept.db) as conn:
        snaps = [r[0] for r in conn.execute("SELECT snapshot FROM closes ORDER BY id")]
    assert len(snaps) == 2 and snaps[0] == snaps[1]  # L2: the earlier snapshot is kept beside the new
    assert "recorded_at" not in snaps[0] and "2026-11" not in snaps[0]


def test_closed_month_refuses_rows_until_reopened(dept, october):
    dept("month", "close", "2026-10", by="P01")
    before = dept.total_rows()
    run = dept("log", "absent", "S04", "--at", "2026-10-20", by="L01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L2):") and "month reopen" in run.err
    assert dept.total_rows() == before
    run = dept("month", "reopen", "2026-10", "--reason", "fix", by="P01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L2):") and "manager" in run.err
    dept("month", "reopen", "2026-10", by="M01", code=ExitStatus.BAD_INPUT)  # a reason is required
    dept("month", "reopen", "2026-10", "--reason", "S04 absence missed", by="M01")
    dept("log", "absent", "S04", "--at", "2026-10-20", by="L01")
    dept("log", "absent", "S04", "--at", "2026-11-02", by="L01")  # an open month is unaffected


def test_close_refusals(dept):
    dept("month", "close", "2026-10", by="P01")
    run = dept("month", "close", "2026-10", by="P01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L2):") and "already closed" in run.err
    this_month = str(Month.of(date.today()))
    run = dept("month", "close", this_month, by="P01", code=ExitStatus.BAD_INPUT)
    assert "has not ended" in run.err
    run = dept("month", "close", "2026-09", by="L01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L6): closing a month needs a supervisor or above")
    dept("month", "close", "2026-9", by="P01", code=ExitStatus.BAD_INPUT)
    dept("month", "reopen", "2026-08", "--reason", "x", by="M01", code=ExitStatus.BAD_INPUT)


def test_severe_after_three_months_at_or_below_the_line(dept):
    """O3: S01 at 5 in August, September and October is severe in October; S02 only twice."""
    for month in ("2026-08", "2026-09", "2026-10"):
        dept("log", "awol", "S01", "--at", f"{month}-10", by="P01")
        if month != "2026-08":
            dept("log", "awol", "S02", "--at", f"{month}-11", by="P01")
    dept("month", "close", "2026-08", by="P01")  # a closed month's snapshot and open months alike
    lines = {line["staff"]: line for line in dept("month", "report", "2026-10", "--json").json()}
    assert lines["S01"]["outcome"] == "severe" and lines["S01"]["score"] == 5
    assert lines["S02"]["outcome"] == "warning"


def test_void_excludes_a_row_and_keeps_it_visible(dept, october):
    ids = october
    run = dept("void", str(ids["late45"]), "--reason", "clock fault", "--json", by="P01")
    void = run.json()
    assert void["target"] == ids["late45"] and void["table"] == "events"
    lines = {line["staff"]: line for line in dept("month", "report", "2026-10", "--json").json()}
    assert lines["S01"]["score"] == 9.5
    listed = {r["id"]: r for r in dept("log", "list", "--json").json()}
    assert listed[ids["late45"]]["voided_by"] == void["id"]
    assert listed[ids["late45"]]["void_reason"] == "clock fault"
    assert "voided" in dept("log", "list").out


@pytest.mark.parametrize(
    "target, by, code, start",
    [
        ("late45", "P01", ExitStatus.REFUSED, "refused (L1): row"),  # twice
        ("staff", "P01", ExitStatus.REFUSED, "refused (L1):"),
        ("missing", "P01", ExitStatus.BAD_INPUT, "row: there is no row"),
        ("late12", "S02", ExitStatus.REFUSED, "refused (L1):"),  # a staff member cannot void
        ("own", "L01", ExitStatus.REFUSED, "refused (L1): nobody voids"),
    ],
)
def test_void_refusals(dept, october, target, by, code, start):
    ids = october
    dept("void", str(ids["late45"]), "--reason", "first", by="P01")
    ids["staff"] = 1
    ids["missing"] = 99999
    ids["own"] = dept("log", "absent", "L01", "--at", "2026-10-20", "--json", by="P01").json()["id"]
    before = dept.total_rows()
    run = dept("void", str(ids[target]), "--reason", "again", by=by, code=code)
    assert run.err.startswith(start), run.err
    assert dept.total_rows() == before


def test_void_needs_a_reason_and_an_open_month(dept, october):
    ids = october
    dept("void", str(ids["late12"]), by="P01", code=ExitStatus.BAD_INPUT)
    dept("month", "close", "2026-10", by="P01")
    run = dept("void", str(ids["late12"]), "--reason", "x", by="P01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L2):")
    run = dept("void", "1", "--reason", "x", by="P01", code=ExitStatus.REFUSED)  # never a staff record


def test_policy_show_and_set(dept, tmp_path):
    shown = dept("policy", "show", "--json").json()
    keys = {k["key"]: k for k in shown["keys"]}
    assert keys["discipline.late_points"]["value"] == 0.5 and keys["discipline.quota"]["value"] == 4
    assert shown["version"] is None and "security" in shown["departments_not_set"]
    assert "discipline.late_absence_minutes" in dept("policy", "show").out
    stricter = tmp_path / "stricter.toml"
    stricter.write_text("[discipline]\nlate_points = 1\n")
    row = dept("policy", "set", str(stricter), "--from", "2026-10", "--json", by="M01").json()
    dept("log", "late", "S01", "--minutes", "5", "--at", "2026-10-02 09:05", by="L01")
    dept("log", "late", "S01", "--minutes", "5", "--at", "2026-09-02 09:05", by="L01")
    assert dept("month", "report", "2026-10", "--staff", "S01", "--json").json()[0]["score"] == 9
    assert dept("month", "report", "2026-09", "--staff", "S01", "--json").json()[0]["score"] == 9.5
    shown = dept("policy", "show", "--month", "2026-10", "--json").json()
    assert shown["version"] == row["id"]
    assert {k["key"]: k["source"] for k in shown["keys"]}["discipline.late_points"] == f"version {row['id']}"


@pytest.mark.parametrize(
    "text, start",
    [
        ("[discipline]\nlate_pionts = 1\n", "policy discipline.late_pionts: unknown key"),
        ("[discipline]\nlate_points = 'lots'\n", "policy discipline.late_points: expected a number"),
        ("[discipline]\nquota = -1\n", "policy discipline.quota:"),
        ("[discipline]\noffline_tiers = [[3, 5], [2, 10]]\n", "policy discipline.offline_tiers:"),
        ("[outcomes]\npunishment = 6\n", "policy outcomes.punishment:"),
        ("[departments.logistics]\nplan = 'nope'\n", "policy departments.logistics.plan:"),
        ("language = 'fr'\n", "policy language:"),
        ("this is = not toml [\n", "policy: not valid TOML"),
    ],
)
def test_malformed_policy_is_refused_naming_the_key(dept, tmp_path, text, start):
    path = tmp_path / "p.toml"
    path.write_text(text)
    before = dept.total_rows()
    run = dept("policy", "set", str(path), "--from", "2026-12", by="M01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith(start), run.err
    assert dept.total_rows() == before


def test_policy_set_needs_a_manager_and_an_open_month(dept, tmp_path):
    path = tmp_path / "p.toml"
    path.write_text("[discipline]\nlate_points = 1\n")
    run = dept("policy", "set", str(path), "--from", "2026-12", by="P01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L6): setting the policy needs a manager or above")
    dept("month", "close", "2026-10", by="P01")
    run = dept("policy", "set", str(path), "--from", "2026-10", by="M01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L2):")


def test_verify_and_backup(dept, october, tmp_path):
    assert dept("verify", "--json").json()["ok"] is True
    dest = tmp_path / "copy.db"
    result = dept("backup", str(dest), "--json").json()
    assert result["rows"] == dept.total_rows() - dept.count("chain")
    assert "already exists" in dept("backup", str(dest), code=ExitStatus.BAD_INPUT).err


def test_verify_names_a_row_altered_outside_csctl(dept, october):
    ids = october
    with sqlite3.connect(dept.db) as conn:
        conn.execute("DROP TRIGGER events_no_update")
        conn.execute("UPDATE events SET minutes = 5 WHERE id = ?", (ids["late45"],))
    run = dept("verify", code=ExitStatus.REFUSED)
    assert run.err.startswith("verify failed (L1):") and f"rows {ids['late45']}" in run.err and "events" in run.err


def test_verify_names_a_removed_row_and_a_missing_trigger(dept, october):
    ids = october
    with sqlite3.connect(dept.db) as conn:
        conn.execute("DROP TRIGGER events_no_delete")
        conn.execute("DELETE FROM events WHERE id = ?", (ids["late12"],))
    assert "removed" in dept("verify", code=ExitStatus.REFUSED).err


def test_demo_fills_closes_and_reports(cli):
    run = cli("demo", "--json")
    data = run.json()
    assert data["created"] is True and len(data["closed"]) == 12  # a year, for the review (P4-P6)
    lines = {line["staff"]: line for line in data["report"]}
    outcomes = {line["outcome"] for line in lines.values()}
    assert {"none", "warning", "punishment", "severe"} <= outcomes
    rules = {d["rule"] for line in lines.values() for d in line["deductions"] + line["not_deducted"]}
    assert {f"D{n}" for n in range(1, 10)} <= rules
    assert any(line["referred"] for line in lines.values())  # D10
    assert cli("verify", "--json").json()["ok"] is True
    again = cli("demo")
    assert "already holds the demo" in again.err and "Discipline" in again.out


def test_demo_refuses_a_ledger_with_other_people(dept):
    run = dept("demo", code=ExitStatus.BAD_INPUT)
    assert "fresh ledger" in run.err


def test_a_policy_reaching_into_a_closed_month_is_refused(dept, tmp_path):
    """L2: a version in force from August also rules October, if October is closed it may not change."""
    path = tmp_path / "p.toml"
    path.write_text("[discipline]\nlate_points = 1\n")
    dept("month", "close", "2026-10", by="P01")
    run = dept("policy", "set", str(path), "--from", "2026-08", by="M01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L2): 2026-10 is closed")
    later = dept("policy", "set", str(path), "--from", "2026-11", "--json", by="M01").json()
    # A version from September that a later one (November) bounds still reaches October.
    dept("policy", "set", str(path), "--from", "2026-09", by="M01", code=ExitStatus.REFUSED)
    dept("month", "reopen", "2026-10", "--reason", "policy", by="M01")
    earlier = dept("policy", "set", str(path), "--from", "2026-09", "--json", by="M01").json()
    dept("month", "close", "2026-10", by="P01")
    assert dept("void", str(earlier["id"]), "--reason", "x", by="M01",
                code=ExitStatus.REFUSED).err.startswith("refused (L2):")
    dept("void", str(later["id"]), "--reason", "x", by="M01")  # November is open


def test_a_departure_reaching_into_a_closed_month_is_refused(dept):
    dept("month", "close", "2026-10", by="P01")
    run = dept("staff", "leave", "S03", "--on", "2026-10-01", by="P01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L2): 2026-10 is closed")
    # Leaving on the 2nd, she was active one day of October: its rank (rank_min_days) and its
    # prorated pay change, so that is October's row too. Leaving on November 1st is not.
    run = dept("staff", "leave", "S03", "--on", "2026-10-02", by="P01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L2): 2026-10 is closed")
    row = dept("staff", "leave", "S03", "--on", "2026-11-01", "--json", by="P01").json()
    dept("void", str(row["id"]), "--reason", "stays", by="P01")
    row = dept("staff", "leave", "S04", "--on", "2026-09-15", "--json", by="P01", code=ExitStatus.REFUSED)


def _untrigger(conn, *names):
    for name in names:
        conn.execute(f"DROP TRIGGER {name}")


def test_a_fingerprint_catches_a_ledger_cut_back(dept, october):
    """A hash chain alone cannot see its own tail cut off; a fingerprint written down can."""
    ids = october
    fingerprint = dept("verify", "--json").json()["fingerprint"]
    void = dept("void", str(ids["late45"]), "--reason", "clock fault", "--json", by="P01").json()
    after = dept("verify", "--json").json()["fingerprint"]
    assert dept("verify", "--expect", fingerprint[:16], "--expect", after, "--json").json()["ok"] is True
    with sqlite3.connect(dept.db) as conn:  # someone removes the void and its link
        _untrigger(conn, "voids_no_delete", "chain_no_delete")
        conn.execute("DELETE FROM voids WHERE id = ?", (void["id"],))
        conn.execute("DELETE FROM chain WHERE id = (SELECT max(id) FROM chain)")
        conn.executescript(
            "CREATE TRIGGER voids_no_delete BEFORE DELETE ON voids BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;"
            "CREATE TRIGGER chain_no_delete BEFORE DELETE ON chain BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;")
    # The per-user witness of the ledger's head sees the cut (issue 15, scope 2) ...
    assert "it was cut back to link" in dept("verify", code=ExitStatus.REFUSED).err
    # ... and with no witness kept, only a fingerprint written down does.
    from csctl.ledger import witness

    witness.default_path(Path(dept.db)).unlink()
    assert dept("verify", "--expect", fingerprint[:16], "--json").json()["ok"] is True
    run = dept("verify", "--expect", after[:16], code=ExitStatus.REFUSED)
    assert run.err.startswith("verify failed (L1): no link has the fingerprint")
    dept("verify", "--expect", "xyz", code=ExitStatus.BAD_INPUT)


def test_the_close_keeps_the_fingerprint_and_the_statement_prints_it(dept, october, tmp_path):
    """One fingerprint, one length: what close prints is what verify prints straight after, and
    what the month's statements carry (issue: close and verify printed two different values)."""
    before = dept("verify", "--json").json()["fingerprint"]
    closed = dept("month", "close", "2026-10", "--json", by="P01").json()
    assert closed["chain_head"].startswith(before)  # stored: the link before the close
    after = dept("verify", "--json").json()["fingerprint"]
    assert closed["fingerprint"] == after != before and len(after) == 16
    human = dept("month", "close", "2026-09", by="P01").err
    assert f"ledger fingerprint {dept('verify', '--json').json()['fingerprint']}:" in human
    assert dept("verify").out.splitlines()[0].endswith(f"fingerprint {dept('verify', '--json').json()['fingerprint']}")
    dept("month", "statement", "2026-10", "--staff", "S01", "--format", "html", "--out", str(tmp_path))
    [page] = [p for p in tmp_path.iterdir() if p.name.startswith("2026-10-S01-close")]
    assert after in page.read_text(encoding="utf-8")
    assert dept("verify", "--expect", after, "--json").json()["ok"] is True


def test_verify_catches_a_trigger_replaced_by_one_that_does_nothing(dept, october):
    with sqlite3.connect(dept.db) as conn:
        conn.execute("DROP TRIGGER events_no_update")
        conn.execute("CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT 1; END")
    run = dept("verify", code=ExitStatus.REFUSED)
    assert "events_no_update" in run.err and "changed" in run.err


def test_verify_reports_a_value_csctl_never_writes(dept, october):
    ids = october
    with sqlite3.connect(dept.db) as conn:
        _untrigger(conn, "events_no_update")
        conn.execute("UPDATE events SET note = x'00ff' WHERE id = ?", (ids["late12"],))
    run = dept("verify", code=ExitStatus.REFUSED)
    assert run.err.startswith("verify failed (L1):") and "altered" in run.err


@pytest.mark.parametrize("month", ["1900-01", "2000-02", "2999-01", "2026-13"])
def test_demo_refuses_an_impossible_month_and_writes_nothing(cli, month):
    run = cli("demo", "--month", month, code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("month:")
    assert cli.count("staff") == 0
