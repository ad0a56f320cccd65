"""What a newcomer trips over: honest labels, one fingerprint, the demo in its own file,
corrections of staff records, earlier closes."""

from __future__ import annotations

import os

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
