"""What a newcomer trips over: honest labels, one fingerprint, the demo in its own file,
corrections of staff records, earlier closes."""

from __future__ import annotations

import os

import pytest

from csctl.errors import ExitStatus

from conftest import Cli


# ------------------------------------------------------------------ a confirmation says what the row does
def test_each_row_says_what_it_does_in_its_month(dept):
    for day in range(1, 6):
        dept("log", "leave", "S02", "--approved-by", "P01", "--at", f"2026-10-0{day}", by="L01")
    fifth = dept("log", "list", "--staff", "S02", "--json").json()[-1]
    assert (fifth["rule"], fifth["effect"]) == ("D5", "quota use 5 of 4: beyond the quota, counts as an absence, 2 points")
    run = dept("log", "late", "S01", "--minutes", "45", "--at", "2026-10-02 09:45", by="L01")
    assert "(D2: over 30 minutes: counts as an absence, 2 points)" in run.out
    row = dept("log", "list", "--staff", "S01", "--json").json()[-1]
    assert row["rule"] == "D2"
    run = dept("log", "offline", "S01", "--excused", "--reason", "outage", "--at", "2026-10-03 10:00", by="L01")
    assert "(D6: excused: does not count)" in run.out
    # A void keeps the rule and says the row no longer counts; the quota positions move up.
    dept("void", str(row["id"]), "--reason", "clock fault", by="P01")
    voided = next(r for r in dept("log", "list", "--staff", "S01", "--json").json() if r["id"] == row["id"])
    assert (voided["rule"], voided["effect"]) == ("D2", "voided: counts for nothing")
    first = dept("log", "list", "--staff", "S02", "--json").json()[0]
    dept("void", str(first["id"]), "--reason", "not taken", by="P01")
    fifth = next(r for r in dept("log", "list", "--staff", "S02", "--json").json() if r["id"] == fifth["id"])
    assert fifth["effect"] == "quota use 4 of 4: no points"


# ------------------------------------------------------------------ the demo's own file
def test_the_demo_writes_its_own_file_never_the_ledger(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "CSCTL_DB": str(tmp_path / "real.db")}
    cli = Cli(str(tmp_path / "unused.db"))
    run = cli.runner.invoke(__import__("csctl.cli", fromlist=["app"]).app, ["demo", "--json"], env=env)
    assert run.exit_code == ExitStatus.OK, run.stderr
    demo = tmp_path / "data" / "csctl" / "demo.db"
    assert run.stdout and demo.exists()
    assert not (tmp_path / "real.db").exists() and not (tmp_path / "data" / "csctl" / "ledger.db").exists()
    run = cli.runner.invoke(__import__("csctl.cli", fromlist=["app"]).app, ["demo"], env=env)
    assert f"the demo has its own file, {demo}" in run.stderr and f"--db {demo}" in run.stderr
    assert os.path.exists(demo)


# ------------------------------------------------------------------ earlier snapshots are visible
def test_month_history_and_an_earlier_close(dept):
    late = dept("log", "late", "S01", "--minutes", "45", "--at", "2026-10-02 09:45", "--json", by="L01").json()
    first = dept("month", "close", "2026-10", "--json", by="P01").json()
    dept("month", "reopen", "2026-10", "--reason", "clock fault on the 2nd", by="M01")
    dept("void", str(late["id"]), "--reason", "clock fault", by="P01")
    second = dept("month", "close", "2026-10", "--json", by="P01").json()
    history = dept("month", "history", "2026-10", "--json").json()
    assert history["state"] == "closed"
    kinds = [(e["kind"], e["id"]) for e in history["entries"]]
    assert kinds[0] == ("close", first["id"]) and kinds[-1] == ("close", second["id"]) and kinds[1][0] == "reopen"
    last = history["entries"][-1]
    assert last["in_force"] is True and last["fingerprint"] == second["fingerprint"]
    assert "S01 score 8 -> 10" in last["changes"] and history["entries"][0]["in_force"] is False
    assert history["entries"][1]["reason"] == "clock fault on the 2nd"
    old = dept("month", "report", "2026-10", "--close", str(first["id"]), "--staff", "S01", "--json").json()
    assert old[0]["score"] == 8
    assert dept("month", "report", "2026-10", "--staff", "S01", "--json").json()[0]["score"] == 10
    table = dept("month", "report", "2026-10", "--close", str(first["id"])).out
    assert "no longer in force" in table
    run = dept("month", "report", "2026-10", "--close", "3", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("close: #3 is not a close of 2026-10")


# ------------------------------------------------------------------ staff records can be corrected
def test_a_staff_change_applies_from_its_date_and_never_into_a_closed_month(dept):
    dept("month", "close", "2026-09", by="P01")
    run = dept("staff", "change", "S03", "--name", "Liu Yan", "--from", "2026-09-01", "--reason", "typo", by="P01",
               code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L2): 2026-09 is closed")
    row = dept("staff", "change", "S03", "--name", "Liu Yan", "--from", "2026-10-01", "--reason", "typo", "--json",
               by="P01").json()
    assert row["changed"] == {"name": {"from": "Liu Yang", "to": "Liu Yan"}}
    names = {m: next(line["name"] for line in dept("month", "report", m, "--json").json() if line["staff"] == "S03")
             for m in ("2026-09", "2026-10")}
    assert names == {"2026-09": "Liu Yang", "2026-10": "Liu Yan"}
    # A change from mid-month holds for the months after: the month's first day decides.
    dept("staff", "change", "S03", "--dept", "logistics", "--from", "2026-10-15", "--reason", "moved", by="P01")
    assert "S03" in {line["staff"] for line in dept("month", "report", "2026-10", "--json").json()}
    assert "S03" not in {line["staff"] for line in dept("month", "report", "2026-11", "--json").json()}
    show = dept("staff", "show", "S03", "--json").json()
    assert show["dept"] == "logistics" and show["level"] is None and len(show["changes"]) == 2


def test_a_promotion_to_shift_lead_gives_its_authority_from_its_date(dept):
    run = dept("log", "absent", "S03", "--at", "2026-10-05", by="S02", code=ExitStatus.REFUSED)
    assert "shift lead or above" in run.err
    dept("staff", "change", "S02", "--rank", "shift_lead", "--from", "2026-10-01", "--reason", "promoted", by="M01")
    dept("log", "absent", "S03", "--at", "2026-10-05", by="S02")
    assert dept("staff", "show", "S02", "--json").json()["rank"] == "shift_lead"


@pytest.mark.parametrize("args, by, code, fragment", [
    (["S01", "--rank", "shift_lead", "--from", "2026-10-01", "--reason", "x"], "L01", ExitStatus.REFUSED,
     "refused (L6): changing a staff record needs a supervisor or above"),
    (["P01", "--name", "Xu", "--from", "2026-10-01", "--reason", "x"], "P01", ExitStatus.REFUSED,
     "refused (L6): nobody changes the record of themselves (P01)"),
    (["S01", "--from", "2026-10-01", "--reason", "x"], "P01", ExitStatus.BAD_INPUT, "change: nothing to change"),
    (["S01", "--name", "Li Na", "--from", "2026-10-01", "--reason", "x"], "P01", ExitStatus.BAD_INPUT,
     "change: S01's record already reads so"),
    (["S01", "--name", "Li", "--from", "2026-10-01"], "P01", ExitStatus.BAD_INPUT, "reason: a change of a staff record"),
    (["S01", "--rank", "boss", "--from", "2026-10-01", "--reason", "x"], "P01", ExitStatus.BAD_INPUT,
     "rank: 'boss' is not a rank"),
    (["S01", "--level", "junior", "--from", "2026-10-01", "--reason", "x"], "P01", ExitStatus.BAD_INPUT,
     "level: S01 is senior; a level changes under its own rules (P1)"),
    (["T01", "--dept", "customer_service", "--from", "2026-10-01", "--reason", "x"], "P01", ExitStatus.BAD_INPUT,
     "level: customer-service staffs need --level"),
    (["X99", "--name", "A", "--from", "2026-10-01", "--reason", "x"], "P01", ExitStatus.BAD_INPUT,
     "staff: X99 is not on the staff list"),
])
def test_staff_change_refusals_write_nothing(dept, args, by, code, fragment):
    before = dept.total_rows()
    run = dept("staff", "change", *args, by=by, code=code)
    assert run.err.startswith(fragment), run.err
    assert dept.total_rows() == before


def test_a_first_level_moving_into_customer_service_and_a_void(dept):
    row = dept("staff", "change", "T01", "--dept", "customer_service", "--level", "junior", "--from", "2026-10-01",
               "--reason", "moved to the phones", "--json", by="P01").json()
    assert "T01" in {line["staff"] for line in dept("month", "report", "2026-10", "--json").json()}
    dept("void", str(row["id"]), "--reason", "the move was cancelled", by="P01")
    assert "T01" not in {line["staff"] for line in dept("month", "report", "2026-10", "--json").json()}
    assert dept("verify", "--json").json()["ok"] is True


def test_a_departure_or_a_hire_dated_in_a_closed_month_is_refused_l2(dept):
    """A departure or a hire mid-month sets that month's active days (rank_min_days, prorated
    pay), so it is a row of that month: refused while the month is closed (L2)."""
    dept("month", "close", "2026-10", by="P01")
    left = dept("staff", "leave", "S03", "--on", "2026-10-20", by="M01", code=ExitStatus.REFUSED)
    assert left.err.startswith("refused (L2): 2026-10 is closed") and "S03 leaving on 2026-10-20" in left.err
    hired = dept("staff", "add", "S40", "--name", "New One", "--dept", "customer_service", "--rank", "staff",
                 "--level", "junior", "--hired", "2026-10-25", by="M01", code=ExitStatus.REFUSED)
    assert hired.err.startswith("refused (L2): 2026-10 is closed") and "S40 hired on 2026-10-25" in hired.err
    assert dept("staff", "show", "S03", "--json").json()["left"] is None
    dept("staff", "leave", "S03", "--on", "2026-11-02", by="M01")  # an open month: recorded
