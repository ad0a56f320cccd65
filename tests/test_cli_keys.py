"""`csctl keys` through the CLI runner: the key cabinet's day, each rule's refusal writing
nothing, and the bad-input table of issue 10.

Times are fixed days of November 2026 (past), and "now" for what is due or overdue now.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from conftest import Cli, copy_ledger_file, ledger_template

from csctl.errors import ExitStatus

REGISTERED = "2026-11-02 07:00"
KEYS = [("ST-01", "Storeroom B1", "storeroom"), ("EQ-01", "Network equipment room", "equipment_room"),
        ("AR-01", "Lobby and mailroom", "area"), ("AR-02", "Service corridors", "area"), ("GT-01", "North gate", "gate")]


def build_cabinet(cli: Cli) -> None:
    """The department, an engineering member and their supervisor, and a cabinet of keys."""
    for sid, rank in (("E01", "staff"), ("E02", "supervisor")):
        cli("staff", "add", sid, "--name", f"Engineer {sid}", "--dept", "engineering", "--rank", rank, "--hired",
            "2024-01-01", by="G01")
    for code, label, category in KEYS:
        cli("keys", "add", code, "--label", label, "--category", category, "--at", REGISTERED, by="P01")
    cli("keys", "add", "U-1203", "--label", "Unit 1203, tenant's key", "--category", "unit", "--sealed", "--at",
        REGISTERED, by="P01")


@pytest.fixture(scope="module")
def cabinet_template(tmp_path_factory, dept_template) -> str:
    return ledger_template(tmp_path_factory, "cabinet", build_cabinet, start_from=dept_template)[0]


@pytest.fixture
def cab(cabinet_template, cli) -> Cli:
    """This test's own copy of the department with its key cabinet."""
    copy_ledger_file(cabinet_template, cli.db)
    return cli


def states(cli: Cli) -> dict[str, str]:
    return {k["code"]: k["state"] for k in cli("keys", "list", "--json").json()}


def refused(cli: Cli, *args: str, by: str, rule: str, fragment: str = "") -> str:
    """A refusal: exit 1 naming the rule, one line, and nothing written."""
    before = cli.total_rows()
    run = cli(*args, by=by, code=ExitStatus.REFUSED)
    assert run.err.startswith(f"refused ({rule}): ") and fragment in run.err, run.err
    assert run.err.count("\n") == 1 and run.out == ""
    assert cli.total_rows() == before
    return run.err


def borrow(cli: Cli, code: str, staff: str = "S01", approver: str = "P01", *extra: str, at: str = "2026-11-03 09:00",
           by: str | None = None, code_: ExitStatus = ExitStatus.OK):
    return cli("keys", "borrow", code, "--by-staff", staff, "--approved-by", approver, "--purpose", "work",
               "--at", at, *extra, "--json", by=by or staff, code=code_)


# ----------------------------------------------------------------------------- K1-K3, K7: a day
def test_a_key_is_registered_lent_and_taken_back(cab):
    keys = cab("keys", "list", "--json").json()
    assert [k["code"] for k in keys] == sorted(c for c, *_ in KEYS + [("U-1203",)])
    assert {k["code"]: k["state"] for k in keys}["U-1203"] == "sealed"  # K1: registered sealed
    assert all(set(k) >= {"code", "label", "category", "state"} for k in keys)

    loan = borrow(cab, "ST-01").json()
    assert loan["kind"] == "borrow" and loan["id"] > 0 and loan["approved_by"] == "P01"
    assert loan["due"] == "2026-11-04T00:00:00+08:00"  # K7: the end of the borrowing day, in its zone
    [out] = cab("keys", "out", "--json").json()
    assert out["code"] == "ST-01" and out["staff"] == "S01" and out["since"] == "2026-11-03T09:00:00+08:00"
    assert out["due"] == loan["due"] and out["overdue"] is True  # long past, compared with the present moment
    assert [k["code"] for k in cab("keys", "out", "--overdue", "--json").json()] == ["ST-01"]
    assert [k["code"] for k in cab("keys", "list", "--state", "out", "--json").json()] == ["ST-01"]
    assert cab("keys", "out", "--csv").out.splitlines()[0].startswith("code,label,category,state,staff,")

    back = cab("keys", "return", "ST-01", "--by-staff", "S01", "--received-by", "K01", "--at", "2026-11-03 11:00",
               "--json", by="S01").json()
    assert back["kind"] == "return" and back["received_by"] == "K01"
    assert cab("keys", "out", "--json").json() == [] and states(cab)["ST-01"] == "in"
    history = cab("keys", "history", "ST-01", "--json").json()
    assert [r["kind"] for r in history] == ["registered", "borrow", "return"]
    assert history[1]["approved_by"] == "P01" and history[2]["received_by"] == "K01"


def test_a_due_time_given_and_the_text_confirmation(cab):
    run = cab("keys", "borrow", "GT-01", "--by-staff", "S02", "--approved-by", "M01", "--purpose", "parcel van",
              "--due", "17:30", "--at", "2026-11-03 09:00", by="L01")
    assert run.out.startswith("recorded #") and "due 2026-11-03T17:30:00+08:00" in run.out


def test_K2_a_key_out_is_not_lent_twice_and_a_contractor_borrows_through_engineering(cab):
    borrow(cab, "ST-01")
    refused(cab, "keys", "borrow", "ST-01", "--by-staff", "S02", "--approved-by", "P01", "--purpose", "x",
            by="S02", rule="K2", fragment="out with S01")
    refused(cab, "keys", "borrow", "GT-01", "--by-staff", "S02", "--approved-by", "P01", "--purpose", "x",
            "--for", "Acme Lifts", by="S02", rule="K2", fragment="must be of engineering")
    row = cab("keys", "borrow", "GT-01", "--by-staff", "E01", "--approved-by", "E02", "--purpose", "lift repair",
              "--for", "Acme Lifts", "--json", by="E01").json()
    assert row["contractor"] == "Acme Lifts" and row["staff"] == "E01"
    assert {k["code"]: k["contractor"] for k in cab("keys", "out", "--json").json()}["GT-01"] == "Acme Lifts"


@pytest.mark.parametrize("approver, fragment", [
    (None, "head of the borrower's department"),
    ("S01", "nobody approves a key loan to themselves (S01)"),  # the same person twice
    ("P02", "must be of customer service; P02 is in logistics"),  # the wrong department
    ("L01", "needs a supervisor or above; L01 is a shift lead"),  # the wrong rank
])
def test_K2_the_approver(cab, approver, fragment):
    args = ["keys", "borrow", "ST-01", "--by-staff", "S01", "--purpose", "x"]
    refused(cab, *args, *(["--approved-by", approver] if approver else []), by="S01", rule="K2", fragment=fragment)


def test_K2_an_inactive_approver_and_borrower(cab):
    cab("staff", "leave", "P01", "--on", "2026-11-10", by="M01")
    refused(cab, "keys", "borrow", "ST-01", "--by-staff", "S01", "--approved-by", "P01", "--purpose", "x",
            "--at", "2026-11-12 09:00", by="S01", rule="K2", fragment="P01 was not active on 2026-11-12")
    borrow(cab, "ST-01", at="2026-11-09 09:00")  # still there that day


def test_K3_only_whoever_has_it_returns_it_to_a_keeper(cab):
    refused(cab, "keys", "return", "ST-01", "--by-staff", "S01", "--received-by", "K01", by="S01", rule="K3",
            fragment="ST-01 is in")
    borrow(cab, "ST-01")
    refused(cab, "keys", "return", "ST-01", "--by-staff", "S02", "--received-by", "K01", by="S02", rule="K3",
            fragment="held by S01")
    refused(cab, "keys", "return", "ST-01", "--by-staff", "S01", "--received-by", "T01", by="S01", rule="K3",
            fragment="T01 is in logistics")
    refused(cab, "keys", "return", "ST-01", "--by-staff", "S01", "--received-by", "S01", by="S01", rule="K3",
            fragment="from themselves")
    refused(cab, "keys", "hand-on", "ST-01", "--from", "S01", "--to", "S02", by="S01", rule="K3",
            fragment="never handed on")


def test_K4_an_equipment_room_needs_a_managers_special_approval(cab):
    refused(cab, "keys", "borrow", "EQ-01", "--by-staff", "S01", "--approved-by", "P01", "--purpose", "router",
            by="S01", rule="K4", fragment="special approval")
    refused(cab, "keys", "borrow", "EQ-01", "--by-staff", "S01", "--approved-by", "M01", "--purpose", "router",
            "--special-approval", "M01", "--reason", "down", by="S01", rule="K4", fragment="cannot be both")
    row = borrow(cab, "EQ-01", "S01", "P01", "--special-approval", "M01", "--reason", "network down").json()
    assert row["special_by"] == "M01" and row["reason"] == "network down"
    borrow(cab, "EQ-01", "L01", "P01", at="2026-11-04 09:00", by="L01", code_=ExitStatus.REFUSED)  # out (K2)


# ----------------------------------------------------------------------------- K5
EMERGENCY = ["--emergency", "--approved-by", "M01", "--approved-by", "G01", "--witness", "S01", "--witness", "S02",
             "--witness", "K01", "--reason", "water leak, tenant abroad"]


def test_K5_an_emergency_opening_and_its_reseal(cab):
    row = cab("keys", "open-sealed", "U-1203", *EMERGENCY, "--at", "2026-11-03 20:15", "--json", by="L01").json()
    assert row["mode"] == "emergency" and row["staff"] == "L01" and row["paperwork"] == "none"
    assert (row["approved_by"], row["approved_by_2"]) == ("M01", "G01")
    assert (row["witness_1"], row["witness_2"], row["witness_3"]) == ("S01", "S02", "K01")
    assert states(cab)["U-1203"] == "out"
    refused(cab, "keys", "return", "U-1203", "--by-staff", "L01", "--received-by", "K01", by="L01", rule="K5",
            fragment="reseal")
    cab("keys", "reseal", "U-1203", "--at", "2026-11-03 21:00", by="L01")
    assert states(cab)["U-1203"] == "sealed"
    opening = [r for r in cab("keys", "history", "U-1203", "--json").json() if r["kind"] == "open"][0]
    assert opening["witness_3"] == "K01" and opening["paperwork"] == "none"


@pytest.mark.parametrize("change, fragment", [
    ({"--approved-by": ["M01"]}, "the customer-service manager and the general manager"),
    ({"--approved-by": ["M01", "M01"]}, "M01 cannot be both"),  # the same person twice
    ({"--approved-by": ["P01", "G01"]}, "P01 is a supervisor"),  # an approver of the wrong rank
    ({"--witness": ["S01", "S02", "S03"]}, "must be of security"),  # a witness of the wrong department
    ({"--witness": ["L01", "S02", "K01"]}, "L01 cannot be both the one opening it and the first witness"),
    ({"--witness": ["S01", "S01", "K01"]}, "S01 cannot be both the first witness and the second witness"),
    ({"--reason": []}, "cannot be reached"),
])
def test_K5_anything_less_is_refused(cab, change, fragment):
    args = {"--approved-by": ["M01", "G01"], "--witness": ["S01", "S02", "K01"], "--reason": ["water leak"]} | change
    argv = ["--emergency"] + [x for option, values in args.items() for v in values for x in (option, v)]
    refused(cab, "keys", "open-sealed", "U-1203", *argv, by="L01", rule="K5", fragment=fragment)


def test_K5_an_inactive_witness(cab):
    cab("staff", "leave", "S02", "--on", "2026-11-10", by="M01")
    refused(cab, "keys", "open-sealed", "U-1203", *EMERGENCY, "--at", "2026-11-12 09:00", by="L01", rule="K5",
            fragment="S02 was not active")


def test_K5_a_tenant_lost_opening_awaits_its_paperwork(cab):
    refused(cab, "keys", "open-sealed", "U-1203", "--tenant-lost", "--application", "APP-7", "--approved-by", "M01",
            by="L01", rule="K5", fragment="who at the unit confirmed")
    refused(cab, "keys", "open-sealed", "U-1203", by="L01", rule="K5", fragment="only in an emergency")
    refused(cab, "keys", "borrow", "U-1203", "--by-staff", "S01", "--approved-by", "P01", "--purpose", "x",
            by="S01", rule="K5", fragment="open-sealed")
    opening = cab("keys", "open-sealed", "U-1203", "--tenant-lost", "--application", "APP-7", "--confirmed-with",
                  "Ms Qian", "--approved-by", "M01", "--by-staff", "S01", "--at", "2026-11-04 10:00", "--json",
                  by="L01").json()
    assert opening["paperwork"] == "awaiting" and opening["staff"] == "S01"
    cab("keys", "reseal", "U-1203", "--at", "2026-11-04 10:30", by="L01")
    assert {k["code"]: k["paperwork"] for k in cab("keys", "list", "--json").json()}["U-1203"] == [opening["id"]]
    filed = cab("keys", "paperwork", str(opening["id"]), "--filed", "APP-7 stamped", "--json", by="L01").json()
    assert filed["ref"] == opening["id"] and filed["application"] == "APP-7 stamped"
    history = {r["id"]: r for r in cab("keys", "history", "U-1203", "--json").json()}
    assert history[opening["id"]]["paperwork"] == "filed" and history[opening["id"]]["filed_by"] == filed["id"]
    assert {k["code"]: k["paperwork"] for k in cab("keys", "list", "--json").json()}["U-1203"] == []
    run = cab("keys", "paperwork", str(opening["id"]), "--filed", "again", by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("opening: ") and "filed already" in run.err


# ----------------------------------------------------------------------------- K6
def test_K6_lost_found_and_replaced(cab):
    lost = cab("keys", "lost", "GT-01", "--note", "dropped on the bus", "--at", "2026-11-03 09:00", "--json",
               by="K01").json()
    assert lost["kind"] == "lost" and states(cab)["GT-01"] == "lost"
    refused(cab, "keys", "borrow", "GT-01", "--by-staff", "S01", "--approved-by", "P01", "--purpose", "x",
            by="S01", rule="K6", fragment="GT-01 is lost")
    refused(cab, "keys", "lost", "ST-01", "--note", "x", by="T01", rule="K6", fragment="T01 is in logistics")
    cab("keys", "found", "GT-01", "--by-staff", "S03", "--at", "2026-11-03 12:00", by="K01")
    assert states(cab)["GT-01"] == "in"
    refused(cab, "keys", "found", "GT-01", "--by-staff", "S03", by="K01", rule="K6", fragment="only a key reported")
    refused(cab, "keys", "replace", "GT-01", "--new", "GT-01B", "--approved-by", "M01", by="L01", rule="K6",
            fragment="must be of security")
    rows = cab("keys", "replace", "GT-01", "--new", "gt-01b", "--approved-by", "K01", "--at", "2026-11-04 09:00",
               "--json", by="L01").json()
    assert [r.get("kind") for r in rows] == ["retire", None] and rows[0]["new_code"] == "GT-01B"
    assert rows[1]["code"] == "GT-01B" and rows[1]["replaces"] == "GT-01" and rows[1]["category"] == "gate"
    assert states(cab)["GT-01"] == "retired" and states(cab)["GT-01B"] == "in"
    refused(cab, "keys", "borrow", "GT-01", "--by-staff", "S01", "--approved-by", "P01", "--purpose", "x",
            by="S01", rule="K6", fragment="its replacement is GT-01B")
    assert cab("keys", "history", "GT-01B", "--json").json()[0]["replaces"] == "GT-01"


# ----------------------------------------------------------------------------- K7
def test_K7_the_daily_check_records_causes_and_says_what_lacks_one(cab):
    borrow(cab, "ST-01", at="2026-11-03 09:00")
    borrow(cab, "GT-01", "S02", at="2026-11-03 10:00")
    borrow(cab, "AR-01", "S03", at="2026-11-04 07:00", by="S03")
    first = cab("keys", "check", "--cause", "ST-01=S01 on leave, key in her locker", "--at", "2026-11-04 08:30",
                "--json", by="L01").json()
    assert first["out"] == ["AR-01", "GT-01", "ST-01"] and first["overdue"] == ["GT-01", "ST-01"]
    assert first["missing"] == ["GT-01"] and first["complete"] is False and first["day"] == "2026-11-04"
    assert [c["code"] for c in first["causes"]] == ["ST-01"] and first["causes"][0]["staff"] == "S01"
    later = cab("keys", "check", "--cause", "GT-01=van still out", "--at", "2026-11-04 09:00", by="L01")
    assert "check of 2026-11-04: 3 key(s) out, 2 overdue; complete" in later.out
    refused(cab, "keys", "check", by="T01", rule="K7", fragment="must be of customer service or security")
    run = cab("keys", "check", "--cause", "EQ-01=?", by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("cause: EQ-01 is in")
    history = cab("keys", "history", "ST-01", "--json").json()
    assert history[-1]["kind"] == "cause" and history[-1]["note"] == "S01 on leave, key in her locker"


# ----------------------------------------------------------------------------- K8
def test_K8_shift_keys_pass_early_to_middle_and_are_counted_back(cab):
    for code in ("AR-01", "AR-02"):
        borrow(cab, code, at="2026-11-03 07:55")
    # K8: only through the early shift's handover of the day, accepted, with the keys counted ok.
    refused(cab, "keys", "hand-on", "--from", "S01", "--to", "S04", "--at", "2026-11-03 15:00", by="S01", rule="K8",
            fragment="no handover of the early shift on 2026-11-03 was accepted")
    handed = cab("handover", "open", "--shift", "early", "--from", "S01", "--to", "S04", "--item", "keys=ok",
                 "--at", "2026-11-03 14:55", "--json", by="S01").json()["id"]
    refused(cab, "keys", "hand-on", "--from", "S01", "--to", "S04", "--at", "2026-11-03 15:00", by="S01", rule="K8",
            fragment="was accepted")  # opened, not yet accepted
    cab("handover", "accept", str(handed), "--by-staff", "S04", "--at", "2026-11-03 14:58", by="S04")
    refused(cab, "keys", "hand-on", "--from", "S01", "--to", "S03", "--at", "2026-11-03 15:00", by="S01", rule="K8",
            fragment="is from S01 to S04, not from S01 to S03")
    rows = cab("keys", "hand-on", "--from", "S01", "--to", "S04", "--at", "2026-11-03 15:00", "--json",
               by="S01").json()
    assert [(r["code"], r["from_staff"], r["staff"], r["shift"], r["handover"]) for r in rows] == [
        ("AR-01", "S01", "S04", "early", handed), ("AR-02", "S01", "S04", "early", handed)]
    assert {k["code"]: k["staff"] for k in cab("keys", "out", "--json").json()} == {"AR-01": "S04", "AR-02": "S04"}
    refused(cab, "keys", "hand-on", "AR-01", "--from", "S04", "--to", "S03", by="S04", rule="K8",
            fragment="handed on to S04 already")
    refused(cab, "keys", "return", "AR-01", "--by-staff", "S01", "--received-by", "K01", by="S01", rule="K3",
            fragment="held by S04")
    run = cab("keys", "return", "AR-01", "--by-staff", "S04", "--received-by", "K01", "--at", "2026-11-03 23:00",
              by="S04")
    assert "shift keys counted back (K8): 1 of 2; still out: AR-02" in run.out
    run = cab("keys", "return", "AR-02", "--by-staff", "S04", "--received-by", "K01", "--at", "2026-11-03 23:01",
              by="S04")
    assert "counted back (K8): 1 of 1" in run.out
    borrow(cab, "AR-01", at="2026-11-04 07:55")
    refused(cab, "keys", "hand-on", "--from", "S01", "--to", "S04", "--shift", "middle", by="S01", rule="K8",
            fragment="the middle shift does not hand them on")


# ----------------------------------------------------------------------------- stock-take
def test_a_stock_take_compares_the_board_with_the_ledger(cab, tmp_path):
    borrow(cab, "ST-01")
    board = tmp_path / "board.txt"
    board.write_text("# Monday morning\nST-01, EQ-01\nAR-01 AR-02  # both hooks\nZZ-99\n")
    row = cab("keys", "audit", "--file", str(board), "--at", "2026-11-05 08:00", "--json", by="L01").json()
    assert row["present"] == ["AR-01", "AR-02", "EQ-01", "ST-01", "ZZ-99"]
    assert (row["missing"], row["out"], row["unknown"]) == (["GT-01", "U-1203"], ["ST-01"], ["ZZ-99"])
    flagged = {k["code"]: (k["audited"], k["audit_due"]) for k in cab("keys", "list", "--json").json()}
    assert flagged["EQ-01"][0] == "2026-11-05T08:00:00+08:00"
    run = cab("keys", "audit", "--present", "EQ-01", "--present", "GT-01", by="L01")
    assert "missing from the board:" in run.out and "ST-01" not in run.out.split("missing from the board:")[1]


def test_keys_out_flags_a_key_no_stock_take_counted_lately(cab, tmp_path):
    path = tmp_path / "short.toml"
    path.write_text("[keys]\naudit_max_days = 1\n")
    cab("policy", "set", str(path), "--from", date.today().strftime("%Y-%m"), by="M01")
    borrow(cab, "ST-01")
    [out] = cab("keys", "out", "--json").json()
    assert out["audited"] is None and out["audit_due"] is True  # registered 2026-11-02, never counted


# ----------------------------------------------------------------------------- the ledger
def test_L2_a_key_row_dated_in_a_closed_month_is_refused(cab):
    cab("month", "close", "2026-10", by="P01")
    refused(cab, "keys", "borrow", "ST-01", "--by-staff", "S01", "--approved-by", "P01", "--purpose", "x",
            "--at", "2026-10-20 09:00", by="S01", rule="L2", fragment="2026-10 is closed")


def test_a_voided_loan_leaves_the_key_in_and_verify_covers_the_cabinet(cab):
    loan = borrow(cab, "ST-01").json()
    refused(cab, "void", str(loan["id"]), "--reason", "x", by="L01", rule="L1", fragment="needs a supervisor")
    cab("void", str(loan["id"]), "--reason", "typed on the wrong key", by="P01")
    assert states(cab)["ST-01"] == "in"
    history = cab("keys", "history", "ST-01", "--json").json()
    assert history[1]["voided_by"] is not None
    assert cab("verify", "--json").json()["ok"] is True
    with sqlite3.connect(cab.db) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE key_events SET staff = 'S02' WHERE id = ?", (loan["id"],))


def test_a_registered_key_is_never_voided(cab):
    first = cab("keys", "history", "ST-01", "--json").json()[0]["id"]
    refused(cab, "void", str(first), "--reason", "x", by="G01", rule="K1", fragment="stays on the register")


def test_the_demo_has_a_key_cabinet(every_table_template, tmp_path):
    cli = Cli(copy_ledger_file(every_table_template, tmp_path / "demo.db"))
    keys = {k["code"]: k for k in cli("keys", "list", "--json").json()}
    assert [c for c, k in keys.items() if k["overdue"]] == ["OF-01"]
    opening = [r for r in cli("keys", "history", "U-1203", "--json").json() if r["kind"] == "open"]
    assert opening and opening[0]["mode"] == "emergency" and keys["U-1203"]["state"] == "sealed"
    kinds = {r["kind"] for code in keys for r in cli("keys", "history", code, "--json").json()}
    assert {"registered", "borrow", "return", "hand_on", "open", "reseal", "cause"} <= kinds


# ----------------------------------------------------------------------------- bad input (issue 10)
BAD = [
    (["borrow", "XX-99", "--by-staff", "S01", "--approved-by", "P01", "--purpose", "x"], "code:",
     "XX-99 is not on the key register", "unknown key"),
    (["borrow", "ST-0l", "--by-staff", "S01", "--approved-by", "P01", "--purpose", "x"], "code:",
     "did you mean ST-01?", "a key mistyped"),
    (["return", "ZZ-1", "--by-staff", "S01", "--received-by", "K01"], "code:", "not on the key register",
     "unknown key returned"),
    (["history", "ZZ-1"], "code:", "not on the key register", "history of an unknown key"),
    (["borrow", "ST-01", "--by-staff", "S99", "--approved-by", "P01", "--purpose", "x"], "by-staff:",
     "S99 is not on the staff list", "unknown staff"),
    (["borrow", "ST-01", "--by-staff", "S01", "--approved-by", "X01", "--purpose", "x"], "approved-by:",
     "not on the staff list", "unknown approver"),
    (["return", "ST-01", "--by-staff", "S01", "--received-by", "Q77"], "received-by:", "not on the staff list",
     "unknown keeper"),
    (["open-sealed", "U-1203", *EMERGENCY[:-2], "--witness", "W09", "--reason", "x"], "witness:",
     "not on the staff list", "unknown witness"),
    (["add", "KX-1", "--label", "x", "--category", "cupboard"], "category:", "'cupboard' is not a key category",
     "unknown category"),
    (["list", "--category", "vault"], "category:", "not a key category", "unknown category listed"),
    (["list", "--state", "missing"], "state:", "'missing' is not a key state; one of in, out, sealed", "unknown state"),
    (["borrow", "ST-01", "--by-staff", "S01", "--approved-by", "P01", "--purpose", "x", "--at",
      "2026-11-03 09:00", "--due", "2026-11-03 08:00"], "due:", "is not after the borrowing", "due before the borrow"),
    (["borrow", "ST-01", "--by-staff", "S01", "--approved-by", "P01", "--purpose", "x", "--due", "soon"], "due:",
     "is not a time", "due not a time"),
    (["check", "--cause", "ST-01 lost in the lift"], "cause:", "is not written CODE=TEXT", "cause without ="),
    (["check", "--cause", "=nobody knows"], "cause:", "is not written CODE=TEXT", "cause without a code"),
    (["check", "--cause", "ST-01="], "cause:", "is not written CODE=TEXT", "cause without a text"),
    (["paperwork", "99999", "--filed", "APP-1"], "opening:", "there is no opening of a sealed key #99999",
     "paperwork for an unknown opening"),
    (["paperwork", "1", "--filed", "APP-1"], "opening:", "there is no opening", "paperwork for a row that is no opening"),
    (["paperwork", "abc", "--filed", "APP-1"], "opening:", "is not a row id", "paperwork for no id"),
    (["add", "ST-01", "--label", "again", "--category", "storeroom"], "code:", "on the key register already",
     "a code registered twice"),
    (["add", "bad code", "--label", "x", "--category", "office"], "code:", "is not a key code", "a code with a space"),
    (["borrow", "ST-01", "--by-staff", "S01", "--approved-by", "P01"], "purpose:", "what the key is for",
     "no purpose"),
    (["borrow", "ST-01", "--by-staff", "S01", "--approved-by", "P01", "--purpose", "x", "--reason", "y"], "reason:",
     "goes with --special-approval", "a reason alone"),
    (["borrow", "ST-01", "--by-staff", "S01", "--approved-by", "P01", "--purpose", "x", "--at", "2026-11-01 09:00"],
     "at:", "before ST-01 was registered", "before the key was registered"),
    (["borrow", "ST-01", "--by-staff", "S01", "--approved-by", "P01", "--purpose", "x", "--at", "2999-01-01"],
     "at:", "in the future", "in the future"),
    (["open-sealed", "U-1203", "--emergency", "--tenant-lost"], "emergency:", "choose one", "both ways"),
    (["open-sealed", "U-1203", "--tenant-lost", "--witness", "S01"], "witness:", "emergency opening",
     "witnesses for a tenant-lost opening"),
    (["replace", "GT-01", "--new", "ST-01", "--approved-by", "K01"], "new:", "on the key register already",
     "a replacement code taken"),
    (["return", "ST-01", "ST-01", "--by-staff", "S01", "--received-by", "K01"], "code:", "ST-01 is given twice",
     "a code twice"),
    (["audit"], "present:", "which keys are on the board", "a stock-take of nothing"),
    (["audit", "--present", "ST-01", "--file", "board.txt"], "file:", "not both", "a stock-take both ways"),
    (["audit", "--file", "/nonexistent/board.txt"], "file:", "does not exist", "a stock-take file missing"),
    (["lost", "ST-01"], "note:", "what happened", "a loss without a note"),
]


@pytest.mark.parametrize("args, field, fragment", [pytest.param(a, f, m, id=i) for a, f, m, i in BAD])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(cab, args, field, fragment):
    before = cab.total_rows()
    run = cab("keys", *args, by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith(field) and fragment in run.err, run.err
    assert run.err.count("\n") == 1 and run.out == "" and "Traceback" not in run.err
    assert cab.total_rows() == before
