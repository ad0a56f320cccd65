"""`csctl handover` and `csctl duty` through the CLI runner: the handover book, the duty log and
swaps (H1-H6), each rule broken, the bad-input table, and how the rest of csctl sees them
(void, verify, closed months, `log left-post`)."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import Cli

from csctl.errors import ExitStatus
from csctl.ledger import Ledger
from csctl.ledger.queries.handover import accepted_handover

DAY = "2026-10-05"
ALL_OK = ["--item", "equipment=ok", "--item", "front_desk=ok", "--item", "keys=ok", "--item", "mail=ok",
          "--item", "logbook=ok"]


def open_(cli: Cli, shift="early", frm="S01", to="S02", at=f"{DAY} 14:00", by=None, *extra: str, **kw):
    return cli("handover", "open", "--shift", shift, "--from", frm, "--to", to, "--at", at, *extra, "--json",
               by=by or frm, **kw)


def nothing_written(cli: Cli, before: int, run) -> None:
    assert cli.total_rows() == before, "a refused command wrote rows"
    assert run.out == "" and run.err.count("\n") == 1 and "Traceback" not in run.err


# ----------------------------------------------------------------------------- H1, H2 the happy path


def test_open_accept_list_show(dept):
    row = open_(dept, "day", "K01", "S01", f"{DAY} 08:00", None, "--item", "keys=ok", "--item",
                "mail=bad:parcel for 8-1 not delivered", "--carry", "12-3: leaking tap", "--carry",
                "8-1: noise after 23:00", "--note", "quiet night").json()
    assert row["shift"] == "day" and row["from_staff"] == "K01" and row["to_staff"] == "S01"
    assert row["recorded_by"] == "K01" and row["at"].startswith(f"{DAY}T08:00")
    assert [(i["item"], i["mark"], i["remark"]) for i in row["items"]] == [
        ("equipment", "unchecked", None), ("front_desk", "unchecked", None), ("keys", "ok", None),
        ("mail", "bad", "parcel for 8-1 not delivered"), ("logbook", "unchecked", None)]
    assert [r["text"] for r in row["requests"]] == ["12-3: leaking tap", "8-1: noise after 23:00"]
    assert all(isinstance(r["id"], int) for r in row["items"] + row["requests"])

    listed = dept("handover", "list", "--json").json()
    assert [{k: h[k] for k in ("id", "date", "shift", "from", "to", "state")} for h in listed] == [
        {"id": row["id"], "date": DAY, "shift": "day", "from": "K01", "to": "S01", "state": "open"}]
    assert listed[0]["bad"] == ["mail"] and listed[0]["unchecked"] == ["equipment", "front_desk", "logbook"]

    answer = dept("handover", "accept", str(row["id"]), "--by-staff", "S01", "--at", f"{DAY} 08:10", "--json",
                  by="S01").json()
    assert answer["handover"] == row["id"] and answer["answer"] == "accepted" and answer["staff"] == "S01"
    assert dept("handover", "list", "--date", DAY, "--json").json()[0]["state"] == "accepted"
    assert dept("handover", "list", "--date", "2026-10-06", "--json").json() == []

    form = dept("handover", "show", str(row["id"]), "--json").json()
    assert form["from_name"] == "Lin Feng" and form["to_name"] == "Li Na" and form["due_at"] == "08:00"
    assert [i["sign"] for i in form["items"]] == ["not checked", "not checked", "✓", "×", "not checked"]
    paper = dept("handover", "show", str(row["id"])).out
    for text in ("Shift handover", "K01 Lin Feng", "S01 Li Na", "✓", "×", "parcel for 8-1 not delivered",
                 "12-3: leaking tap", "accepted", "08:10", "day not signed off yet"):
        assert text in paper, text
    assert dept("handover", "list", "--csv").out.splitlines()[0].startswith("id,date,at,shift,from,")


def test_a_refusal_keeps_the_handover_open_until_it_is_accepted(dept):
    hid = str(open_(dept).json()["id"])
    refused = dept("handover", "refuse", hid, "--by-staff", "S02", "--reason", "refund queue not handed over",
                   "--at", f"{DAY} 14:10", "--json", by="S02").json()
    assert refused["answer"] == "refused" and refused["reason"] == "refund queue not handed over"
    on_hook = dept("handover", "list", "--open", "--json").json()
    assert {(e["kind"], e["id"], e["state"], e["who"]) for e in on_hook} == {
        ("handover", int(hid), "refused", "S01"), ("day", None, "open", None)}
    before = dept.total_rows()
    run = dept("handover", "refuse", hid, "--by-staff", "S02", "--reason", "still", by="S02", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (H2):") and "already refused" in run.err
    nothing_written(dept, before, run)
    # Put right, the incoming person accepts it; a shift lead may record that for them.
    dept("handover", "accept", hid, "--by-staff", "S02", "--at", f"{DAY} 15:00", by="L01")
    assert [e["kind"] for e in dept("handover", "list", "--open", "--json").json()] == ["day"]


# ----------------------------------------------------------------------------- H3 the day's book


def test_a_shift_lead_signs_off_the_day_once_and_says_what_is_left_open(dept):
    first = open_(dept).json()["id"]
    second = open_(dept, "night", "S02", "K01", f"{DAY} 18:00").json()["id"]
    dept("handover", "accept", str(first), "--by-staff", "S02", "--at", f"{DAY} 14:05", by="S02")
    run = dept("handover", "review", DAY, "--by-staff", "L01", by="L01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (H3):") and f"#{second} (open)" in run.err and "--note" in run.err
    signed = dept("handover", "review", DAY, "--by-staff", "L01", "--note", "night not yet taken over",
                  "--at", f"{DAY} 20:00", "--json", by="L01").json()
    assert signed["day"] == DAY and signed["staff"] == "L01" and signed["left_open"] == [second]
    assert signed["handovers"] == [first, second]
    run = dept("handover", "review", DAY, "--by-staff", "P01", "--note", "x", by="P01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (H3):") and f"already signed off (#{signed['id']})" in run.err
    on_hook = dept("handover", "list", "--open", "--json").json()
    assert [(e["kind"], e["id"]) for e in on_hook] == [("handover", second)]  # the day is signed off
    assert dept("handover", "list", "--json").json()[0]["reviewed"] == signed["id"]


# ----------------------------------------------------------------------------- H4 carried requests


def test_requests_carried_across_are_listed_until_resolved(dept):
    row = open_(dept, "day", "K01", "S01", f"{DAY} 08:00", None, "--carry", "12-3: leaking tap").json()
    request = row["requests"][0]["id"]
    assert {e["kind"] for e in dept("handover", "list", "--open", "--json").json()} == {"handover", "day", "request"}
    done = dept("handover", "resolve", str(request), "--note", "plumber booked", "--at", f"{DAY} 11:00", "--json",
                by="S01").json()
    assert done["request"] == request and done["note"] == "plumber booked"
    assert "request" not in {e["kind"] for e in dept("handover", "list", "--open", "--json").json()}
    run = dept("handover", "resolve", str(request), "--note", "again", by="S01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (H4):")
    assert "plumber booked" in dept("handover", "show", str(row["id"])).out


# ----------------------------------------------------------------------------- every rule broken


def _handover(dept, **kw):
    return str(open_(dept, **kw).json()["id"])


def _note(dept, major: bool):
    dept("duty", "start", "S01", "--at", f"{DAY} 18:00", by="S01")
    return str(dept("duty", "note", "S01", "--text", "lift stuck", *(["--major"] if major else []),
                    "--at", f"{DAY} 19:00", "--json", by="S01").json()["id"])


BROKEN = [
    ("H2", "accept by someone other than the incoming person",
     lambda d: ("handover", "accept", _handover(d), "--by-staff", "S03"), "S03"),
    ("H2", "refuse by someone other than the incoming person",
     lambda d: ("handover", "refuse", _handover(d), "--by-staff", "L01", "--reason", "x"), "L01"),
    ("H2", "a second acceptance",
     lambda d: (lambda h: (d("handover", "accept", h, "--by-staff", "S02", by="S02"),
                           ("handover", "accept", h, "--by-staff", "S02"))[1])(_handover(d)), "S02"),
    ("H2", "a handover to oneself", lambda d: ("handover", "open", "--shift", "early", "--from", "S01", "--to", "S01",
                                               "--at", f"{DAY} 14:00"), "S01"),
    ("H2", "a handover recorded for someone else below shift lead",
     lambda d: ("handover", "open", "--shift", "early", "--from", "S01", "--to", "S02", "--at", f"{DAY} 14:00"), "S03"),
    ("H1", "a bad item without a remark", lambda d: ("handover", "open", "--shift", "early", "--from", "S01", "--to",
                                                     "S02", "--item", "keys=bad", "--at", f"{DAY} 14:00"), "S01"),
    ("H3", "a review by a rank below shift lead",
     lambda d: (_handover(d), ("handover", "review", DAY, "--by-staff", "S03"))[1], "L01"),
    ("H3", "a review recorded by a rank below shift lead",
     lambda d: (_handover(d), ("handover", "review", DAY, "--by-staff", "L01"))[1], "S03"),
    ("H4", "customer service hands over the day shift",
     lambda d: ("handover", "open", "--shift", "day", "--from", "S01", "--to", "S02", "--at", f"{DAY} 08:00"), "S01"),
    ("H4", "the night handed to customer service",
     lambda d: ("handover", "open", "--shift", "night", "--from", "S01", "--to", "S02", "--at", f"{DAY} 18:00"), "S01"),
    ("H5", "a duty end without a start", lambda d: ("duty", "end", "S01", "--at", f"{DAY} 22:00"), "S01"),
    ("H5", "a report for a note that was not major",
     lambda d: ("duty", "report", _note(d, major=False), "--text", "report"), "S01"),
    ("H5", "a second report",
     lambda d: (lambda n: (d("duty", "report", n, "--text", "r", "--at", f"{DAY} 21:00", by="S01"),
                           ("duty", "report", n, "--text", "again"))[1])(_note(d, major=True)), "S01"),
    ("H5", "a note off duty", lambda d: ("duty", "note", "S01", "--text", "x", "--at", f"{DAY} 12:00"), "S01"),
    ("H6", "a swap without a manager", lambda d: ("duty", "swap", "S01", "--with", "S02", "--on", "2026-10-08",
                                                  "--at", DAY), "L01"),
    ("H6", "a swap approved by a supervisor", lambda d: ("duty", "swap", "S01", "--with", "S02", "--on",
                                                         "2026-10-08", "--approved-by", "P01", "--at", DAY), "L01"),
    ("H6", "a swap after the day has started", lambda d: ("duty", "swap", "S01", "--with", "S02", "--on", DAY,
                                                          "--approved-by", "M01", "--at", f"{DAY} 09:00"), "L01"),
    ("H6", "a swap recorded below shift lead", lambda d: ("duty", "swap", "S01", "--with", "S02", "--on",
                                                          "2026-10-08", "--approved-by", "M01", "--at", DAY), "S01"),
]


@pytest.mark.parametrize("rule, case, setup, by", [pytest.param(*b, id=f"{b[0]}: {b[1]}") for b in BROKEN])
def test_each_rule_broken_is_refused_naming_it_and_writes_nothing(dept, rule, case, setup, by):
    args = setup(dept)
    before = dept.total_rows()
    run = dept(*args, by=by, code=ExitStatus.REFUSED)
    assert run.err.startswith(f"refused ({rule}):"), run.err
    nothing_written(dept, before, run)


# ----------------------------------------------------------------------------- bad input


BAD = [
    ("handover", "unknown handover id", ("handover", "accept", "99999", "--by-staff", "S02"), "S02"),
    ("handover", "unknown handover id to refuse", ("handover", "refuse", "4242", "--by-staff", "S02", "--reason", "x"),
     "S02"),
    ("handover", "unknown handover id to show", ("handover", "show", "99999"), None),
    ("handover", "a handover id that is not one", ("handover", "accept", "abc", "--by-staff", "S02"), "S02"),
    ("handover", "a row that is not a handover", ("handover", "accept", "1", "--by-staff", "S02"), "S02"),
    ("item", "an item marked other than ok/bad", ("handover", "open", "--shift", "early", "--from", "S01", "--to", "S02",
                                                  "--item", "keys=fine"), "S01"),
    ("item", "an item the checklist does not have", ("handover", "open", "--shift", "early", "--from", "S01", "--to",
                                                     "S02", "--item", "cash=ok"), "S01"),
    ("shift", "a shift the policy does not name", ("handover", "open", "--shift", "evening", "--from", "S01", "--to",
                                                   "S02"), "S01"),
    ("note", "a duty report of an unknown note", ("duty", "report", "99999", "--text", "x"), "S01"),
    ("with", "a swap with oneself", ("duty", "swap", "S01", "--with", "S01", "--on", "2026-12-20",
                                     "--approved-by", "M01"), "L01"),
    ("reason", "a refusal without a reason", ("handover", "refuse", "1", "--by-staff", "S02"), "S02"),
    ("to", "an incoming person not on the staff list", ("handover", "open", "--shift", "early", "--from", "S01",
                                                        "--to", "S99"), "S01"),
    ("date", "a review of a day with no handover", ("handover", "review", "2026-10-09", "--by-staff", "L01"), "L01"),
    ("date", "a review of a date that is not one", ("handover", "review", "09/10/2026", "--by-staff", "L01"), "L01"),
    ("at", "a handover in the future", ("handover", "open", "--shift", "early", "--from", "S01", "--to", "S02",
                                        "--at", "2099-01-01 08:00"), "S01"),
    ("text", "a duty note without text", ("duty", "note", "S01"), "S01"),
    ("on", "a swap day that is not a date", ("duty", "swap", "S01", "--with", "S02", "--on", "soon",
                                             "--approved-by", "M01"), "L01"),
]


@pytest.mark.parametrize("field, case, args, by", [pytest.param(*b, id=b[1]) for b in BAD])
def test_bad_input_is_one_line_naming_the_field_exit_2_and_nothing_written(dept, field, case, args, by):
    before = dept.total_rows()
    run = dept(*args, by=by, code=ExitStatus.BAD_INPUT)
    assert run.err.startswith(f"{field}:"), run.err
    nothing_written(dept, before, run)


# ----------------------------------------------------------------------------- H5 the duty log


def test_a_duty_from_when_to_when_with_a_major_incident_and_its_report(dept):
    start = dept("duty", "start", "L01", "--at", f"{DAY} 18:00", "--json", by="L01").json()
    assert start["kind"] == "start" and start["staff"] == "L01"
    run = dept("duty", "start", "L01", "--at", f"{DAY} 19:00", by="L01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (H5):") and "already on duty" in run.err
    note = dept("duty", "note", "L01", "--text", "water leak in lobby B", "--handled", "valve closed", "--major",
                "--at", f"{DAY} 21:15", "--json", by="L01").json()
    assert note["major"] is True and note["report_due"] == "2026-10-06"
    end = dept("duty", "end", "L01", "--at", f"{DAY} 23:30", "--json", by="L01").json()
    assert end["kind"] == "end" and end["start_id"] == start["id"]
    incident = [e for e in dept("handover", "list", "--open", "--json").json() if e["kind"] == "incident"]
    assert incident == [{"kind": "incident", "id": note["id"], "date": DAY, "shift": None, "from": None, "to": None,
                         "state": "open", "who": "L01", "what": "major incident without its written report: "
                         "water leak in lobby B", "due": "2026-10-06", "overdue": True}]
    report = dept("duty", "report", str(note["id"]), "--text", "the riser coupling failed", "--at", "2026-10-07 09:00",
                  "--json", by="P01").json()
    assert report["note"] == note["id"] and report["staff"] == "L01" and report["late"] is True
    assert not [e for e in dept("handover", "list", "--open", "--json").json() if e["kind"] == "incident"]
    log = dept("duty", "list", "--month", "2026-10", "--json").json()
    assert [(e["kind"], e["id"]) for e in log] == [("duty", start["id"]), ("note", note["id"]),
                                                    ("report", report["id"])]
    assert log[0]["from"].startswith(f"{DAY}T18:00") and log[0]["to"].startswith(f"{DAY}T23:30")
    assert log[1]["report"] == report["id"] and log[1]["overdue"] is False
    assert dept("duty", "list", "--date", "2026-10-07", "--json").json()[0]["kind"] == "report"
    assert dept("duty", "list", "--csv").out.splitlines()[0].startswith("kind,id,at,staff,from,to")
    assert "water leak in lobby B" in dept("duty", "list").out


# ----------------------------------------------------------------------------- H6 and D4


def test_left_post_on_a_day_of_an_approved_swap_is_refused_naming_the_swap(dept):
    swap = dept("duty", "swap", "S01", "--with", "S02", "--on", "2026-10-08", "--approved-by", "M01",
                "--at", "2026-10-06 10:00", "--json", by="L01").json()
    assert (swap["staff"], swap["other"], swap["day"], swap["approved_by"]) == ("S01", "S02", "2026-10-08", "M01")
    before = dept.total_rows()
    run = dept("log", "left-post", "S01", "--at", "2026-10-08 15:00", by="L01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (H6):") and f"#{swap['id']}" in run.err
    nothing_written(dept, before, run)
    dept("log", "left-post", "S02", "--at", "2026-10-08 15:00", by="L01")  # the colleague holds the post
    dept("log", "left-post", "S01", "--at", "2026-10-09 15:00", by="L01")  # another day
    run = dept("duty", "swap", "S01", "--with", "S03", "--on", "2026-10-08", "--approved-by", "M01",
               "--at", "2026-10-06 11:00", by="L01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (H6):") and "already has a swap" in run.err
    run = dept("void", str(swap["id"]), "--reason", "x", by="P01", code=ExitStatus.REFUSED)  # the manager's approval
    assert "needs a manager or above" in run.err
    dept("void", str(swap["id"]), "--reason", "did not happen", by="M01")
    dept("log", "left-post", "S01", "--at", "2026-10-08 15:00", by="L01")


def test_a_left_post_row_of_an_import_is_refused_on_a_swapped_day(dept, tmp_path):
    dept("duty", "swap", "S01", "--with", "S02", "--on", "2026-10-08", "--approved-by", "M01",
         "--at", "2026-10-06 10:00", by="L01")
    path = tmp_path / "clock.csv"
    path.write_text("date,staff,kind,minutes,approved_by,points,source,note\n2026-10-08,S01,left-post,,,,,\n")
    run = dept("log", "import", str(path), by="L01", code=ExitStatus.REFUSED)
    assert "H6" in run.err and dept.count("events") == 0


# ----------------------------------------------------------------------------- the rest of csctl


def test_void_verify_and_closed_months(dept):
    hid = open_(dept).json()["id"]
    answer = dept("handover", "accept", str(hid), "--by-staff", "S02", "--json", by="S02").json()
    run = dept("void", str(answer["id"]), "--reason", "x", by="S02", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L1):")
    dept("void", str(answer["id"]), "--reason", "accepted by mistake", by="L01")
    assert dept("handover", "list", "--json").json()[0]["state"] == "open"
    dept("void", str(hid), "--reason", "wrong shift", by="L01")
    assert dept("handover", "list", "--open", "--json").json() == []
    assert dept("handover", "list", "--json").json()[0]["voided_by"] is not None
    run = dept("handover", "accept", str(hid), "--by-staff", "S02", by="S02", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("handover:") and "voided" in run.err
    assert dept("verify", "--json").json()["ok"] is True
    dept("month", "close", "2026-10", by="P01")
    run = open_(dept, at="2026-10-20 14:00", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L2):")


def test_accepted_handover_answers_k8(dept):
    """K8's question, as a plain function: was the handover of this day and shift accepted?"""
    hid = open_(dept).json()["id"]

    def ask(day: str, shift: str):
        ledger = Ledger.open(dept.db)
        try:
            return accepted_handover(ledger, day, shift)
        finally:
            ledger.close()

    assert ask(DAY, "early") is None
    dept("handover", "accept", str(hid), "--by-staff", "S02", "--at", f"{DAY} 14:10", by="S02")
    found = ask(DAY, "early")
    assert found["id"] == hid and found["to_staff"] == "S02" and found["accepted_at"].startswith(f"{DAY}T14:10")
    assert ask(DAY, "middle") is None and ask("2026-10-06", "early") is None


def test_a_handover_recorded_for_the_outgoing_person_and_one_a_shift(dept):
    row = open_(dept, by="L01").json()
    assert row["recorded_by"] == "L01" and row["from_staff"] == "S01"
    run = open_(dept, "early", "S03", "S04", f"{DAY} 15:00", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("shift:") and f"#{row['id']}" in run.err
    with sqlite3.connect(dept.db) as conn:
        assert conn.execute("SELECT count(*) FROM handover_items WHERE handover = ?", (row["id"],)).fetchone()[0] == 5
