"""`csctl hazmat` through the CLI runner: the register, stock, draws, returns, hand-ons,
stock-takes and anomalies (Z1-Z6), void and verify over its tables, L2, and the bad-input
table of issue 12: one line naming the field, exit 2, nothing written."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from conftest import Cli, copy_ledger_file, ledger_template

from csctl.errors import ExitStatus

OCT = "2026-10"


def stock_the_store(cli: Cli) -> None:
    """Rat poison (g), thinner (ml) and bait (pieces) in stock since 1 October."""
    for name, unit, qty in (("rat poison", "g", "500"), ("thinner", "ml", "800"), ("bait", "pieces", "40")):
        cli("hazmat", "add", name, "--unit", unit, by="L01")
        cli("hazmat", "stock-in", name, "--qty", qty, "--at", f"{OCT}-01 09:00", by="L01")


@pytest.fixture(scope="module")
def store_template(tmp_path_factory, dept_template) -> str:
    return ledger_template(tmp_path_factory, "hazmat-store", stock_the_store, start_from=dept_template)[0]


@pytest.fixture
def store(store_template, cli) -> Cli:
    """This test's own ledger: the department, with the store stocked (a copy of `store_template`)."""
    copy_ledger_file(store_template, cli.db)
    return cli


def draw(cli: Cli, *args: str, by: str = "L01") -> int:
    return cli("hazmat", "draw", *args, "--json", by=by).json()["id"]


def stock_of(cli: Cli, name: str, month: str = OCT) -> dict:
    return next(m for m in cli("hazmat", "stock", "--month", month, "--json").json() if m["material"] == name)


# ----------------------------------------------------------------------------- a day at the store


def test_a_draw_handed_on_returned_and_used_up(store):
    row = store("hazmat", "draw", "rat poison", "--qty", "120", "--staff", "S01", "--approved-by", "L01",
                "--purpose", "car park traps", "--at", f"{OCT}-12 09:30", "--json", by="L01").json()
    assert list(row)[0] == "id"
    assert {k: row[k] for k in ("material", "unit", "staff", "qty", "approved_by", "purpose", "balance")} == {
        "material": "rat poison", "unit": "g", "staff": "S01", "qty": "120.000", "approved_by": "L01",
        "purpose": "car park traps", "balance": "380.000"}
    assert row["due"] == "2026-10-13T00:00:00+08:00"
    lent = store("hazmat", "lend", str(row["id"]), "--to", "S02", "--approved-by", "P01", "--at", f"{OCT}-12 11:00",
                 "--json", by="S01").json()
    assert (lent["from_staff"], lent["to_staff"], lent["approved_by"]) == ("S01", "S02", "P01")
    back = store("hazmat", "return", str(row["id"]), "--qty", "45.25", "--staff", "S02", "--at", f"{OCT}-12 17:00",
                 "--json", by="L01").json()
    assert (back["qty"], back["outstanding"], back["state"]) == ("45.250", "74.750", "open")
    done = store("hazmat", "used", str(row["id"]), "--at", f"{OCT}-12 17:05", "--json", by="S02").json()
    assert (done["staff"], done["used"]) == ("S02", "74.750")

    poison = stock_of(store, "rat poison")
    assert poison == {"material": "rat poison", "unit": "g", "balance": "425.250", "month": OCT,
                      "stocked_in": "500.000", "drawn": "120.000", "returned": "45.250", "outstanding": []}
    [listed] = store("hazmat", "draws", "--json").json()
    assert (listed["state"], listed["holder"], listed["returned"], listed["outstanding"], listed["flagged"]) == (
        "used", "S02", "45.250", "0.000", False)
    assert store("verify", "--json").json()["ok"] is True


def test_text_and_csv_output(store):
    out = store("hazmat", "draw", "thinner", "--qty", "150", "--staff", "L01", "--purpose", "graffiti",
                "--at", f"{OCT}-22 10:00", by="L01").out
    assert out.startswith("recorded #") and "L01 drew 150.000 ml of thinner" in out and "balance 650.000 ml" in out
    table = store("hazmat", "stock", "--month", OCT).out
    assert "thinner" in table and "650.000" in table and "FLAGGED" in table
    csv = store("hazmat", "stock", "--month", OCT, "--csv").out.splitlines()
    assert csv[0] == "material,unit,balance,month,stocked_in,drawn,returned,out"
    assert any(line.startswith("thinner,ml,650.000,2026-10,800.000,150.000,0.000,#") for line in csv)
    assert store("hazmat", "draws", "--csv").out.splitlines()[0].startswith("id,at,material,unit,staff,holder,qty")
    assert store("hazmat", "anomalies", "--csv").out.splitlines() == [
        "id,material,unit,at,note,count,expected,counted,recorded_by,voided_by"]


# ----------------------------------------------------------------------------- Z2, Z3 authority


@pytest.mark.parametrize("args, by, rule", [
    (["stock-in", "thinner", "--qty", "1"], "S01", "Z2"),
    (["stock-in", "thinner", "--qty", "1"], "P02", "Z2"),  # a logistics supervisor: not customer service
    (["count", "thinner", "--qty", "1"], "S01", "Z2"),
    (["add", "acid", "--unit", "ml"], "K01", "Z2"),
    # Z3: a staff member draws only with a lead named, whoever records it.
    (["draw", "thinner", "--qty", "1", "--staff", "S01", "--purpose", "p"], "L01", "Z3"),
    (["draw", "thinner", "--qty", "1", "--staff", "S01", "--purpose", "p", "--approved-by", "S02"], "L01", "Z3"),
    (["draw", "thinner", "--qty", "1", "--staff", "S01", "--purpose", "p", "--approved-by", "P02"], "L01", "Z3"),
    (["draw", "thinner", "--qty", "1", "--staff", "L01", "--purpose", "p", "--approved-by", "L01"], "L01", "Z3"),
    (["draw", "thinner", "--qty", "800.001", "--staff", "L01", "--purpose", "p"], "L01", "Z3"),
    (["draw", "thinner", "--qty", "1", "--staff", "L01", "--purpose", "p", "--at", "2026-09-30"], "L01", "Z3"),
])
def test_z2_z3_refusals_name_the_rule_and_write_nothing(store, args, by, rule):
    before = store.total_rows()
    run = store("hazmat", *args, by=by, code=ExitStatus.REFUSED)
    assert run.err.startswith(f"refused ({rule}):") and run.err.count("\n") == 1 and run.out == ""
    assert store.total_rows() == before


def test_z3_a_lead_draws_alone_and_anyone_with_a_lead_named(store):
    draw(store, "thinner", "--qty", "10", "--staff", "P01", "--purpose", "p", by="P01")
    draw(store, "thinner", "--qty", "10", "--staff", "K01", "--approved-by", "L01", "--purpose", "p", by="K01")
    assert stock_of(store, "thinner", str(date.today())[:7])["balance"] == "780.000"


# ----------------------------------------------------------------------------- Z4 flags


def test_z4_flagged_draws_as_of_now(store):
    kept = draw(store, "thinner", "--qty", "30", "--staff", "S01", "--approved-by", "L01", "--purpose", "drains",
                "--at", f"{OCT}-20 15:00")
    same_day = draw(store, "thinner", "--qty", "5", "--staff", "S02", "--approved-by", "L01", "--purpose", "door",
                    "--at", f"{OCT}-21 09:00")
    store("hazmat", "return", str(same_day), "--qty", "5", "--staff", "S02", "--at", f"{OCT}-21 16:00", by="L01")
    late = draw(store, "thinner", "--qty", "5", "--staff", "S03", "--approved-by", "L01", "--purpose", "sign",
                "--at", f"{OCT}-22 09:00")
    store("hazmat", "used", str(late), "--staff", "S03", "--at", f"{OCT}-23 08:00", by="L01")
    today = draw(store, "thinner", "--qty", "1", "--staff", "L01", "--purpose", "now")  # made now: not yet due

    flagged = store("hazmat", "draws", "--flagged", "--json").json()
    assert [(d["id"], d["state"]) for d in flagged] == [(kept, "open"), (late, "used")]
    assert [d["id"] for d in store("hazmat", "draws", "--open", "--json").json()] == [kept, today]
    assert [d["id"] for d in store("hazmat", "draws", "--open", "--flagged", "--json").json()] == [kept]
    out = stock_of(store, "thinner")["outstanding"]
    assert [(d["id"], d["staff"], d["qty"], d["flagged"]) for d in out] == [(kept, "S01", "30.000", True),
                                                                          (today, "L01", "1.000", False)]


def test_z4_an_earlier_cutoff_from_the_policy(store, tmp_path):
    policy = tmp_path / "cutoff.toml"
    policy.write_text('[hazmat]\ncutoff = "18:00"\n', encoding="utf-8")
    store("policy", "set", str(policy), "--from", OCT, by="M01")
    before = draw(store, "thinner", "--qty", "5", "--staff", "L01", "--purpose", "p", "--at", f"{OCT}-05 10:00")
    after = draw(store, "thinner", "--qty", "5", "--staff", "L01", "--purpose", "p", "--at", f"{OCT}-05 19:00")
    store("hazmat", "return", str(before), "--qty", "5", "--staff", "L01", "--at", f"{OCT}-05 18:30", by="L01")
    store("hazmat", "return", str(after), "--qty", "5", "--staff", "L01", "--at", f"{OCT}-05 23:00", by="L01")
    listed = {d["id"]: d for d in store("hazmat", "draws", "--json").json()}
    assert listed[before]["due"] == "2026-10-05T18:00:00+08:00" and listed[before]["flagged"] is True
    assert listed[after]["due"] == "2026-10-06T00:00:00+08:00" and listed[after]["flagged"] is False


# ----------------------------------------------------------------------------- Z5 lending


def test_z5_only_the_holder_returns_and_a_lend_needs_a_named_lead(store):
    d = draw(store, "rat poison", "--qty", "10", "--staff", "S01", "--approved-by", "L01", "--purpose", "traps",
             "--at", f"{OCT}-03 10:00")
    before = store.total_rows()
    run = store("hazmat", "return", str(d), "--qty", "1", "--staff", "S02", by="L01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (Z5): draw #") and "S01's to answer for" in run.err
    store("hazmat", "used", str(d), by="S02", code=ExitStatus.REFUSED)  # --staff defaults to the recorder
    # The recorder is a lead, but --approved-by is never implied.
    run = store("hazmat", "lend", str(d), "--to", "S02", by="L01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (Z5): no lending without permission")
    store("hazmat", "lend", str(d), "--to", "S02", "--approved-by", "S03", by="L01", code=ExitStatus.REFUSED)
    assert store.total_rows() == before
    store("hazmat", "lend", str(d), "--to", "S02", "--approved-by", "L01", by="L01")
    store("hazmat", "return", str(d), "--qty", "1", "--staff", "S01", by="L01", code=ExitStatus.REFUSED)
    store("hazmat", "return", str(d), "--qty", "1", "--staff", "S02", by="L01")
    assert store("hazmat", "used", str(d), "--json", by="S02").json()["used"] == "9.000"


# ----------------------------------------------------------------------------- Z6 and the stock-take


def test_z6_a_count_that_differs_records_an_anomaly_with_both_figures(store):
    store("hazmat", "draw", "thinner", "--qty", "150", "--staff", "L01", "--purpose", "p", "--at", f"{OCT}-22 10:00",
          by="L01")
    same = store("hazmat", "count", "thinner", "--qty", "650", "--at", f"{OCT}-25 18:00", "--json", by="L01").json()
    assert len(same) == 1 and (same[0]["qty"], same[0]["balance"], same[0]["difference"]) == ("650.000", "650.000",
                                                                                              "0.000")
    rows = store("hazmat", "count", "thinner", "--qty", "630", "--at", f"{OCT}-26 18:00", "--json", by="L01").json()
    count, anomaly = rows
    assert (count["qty"], count["balance"], count["difference"]) == ("630.000", "650.000", "-20.000")
    assert (anomaly["from_count"], anomaly["expected"], anomaly["counted"]) == (count["id"], "650.000", "630.000")
    assert "short by 20.000 ml" in anomaly["note"]
    # A count taken before the draw compares with the balance as it stood then.
    early = store("hazmat", "count", "thinner", "--qty", "800", "--at", f"{OCT}-10", "--json", by="L01").json()
    assert len(early) == 1 and early[0]["balance"] == "800.000"
    store("hazmat", "anomaly", "thinner", "--note", "cap left off", "--at", f"{OCT}-27 09:00", by="S03")
    listed = store("hazmat", "anomalies", "--month", OCT, "--json").json()
    assert [(a["material"], a["count"], a["counted"]) for a in listed] == [("thinner", count["id"], "630.000"),
                                                                           ("thinner", None, None)]
    assert set(listed[0]) >= {"id", "material", "at", "note"}
    assert stock_of(store, "thinner")["balance"] == "650.000"  # a count never changes the balance
    assert store("hazmat", "anomalies", "--month", "2026-09", "--json").json() == []
    # Voiding the count takes its anomaly with it.
    store("void", str(count["id"]), "--reason", "miscounted", by="P01")
    assert store("hazmat", "anomalies", "--json").json()[0]["voided_by"] is not None


# ----------------------------------------------------------------------------- void, verify, L2


def test_voids_keep_the_stock_from_going_below_zero(store):
    extra = store("hazmat", "stock-in", "bait", "--qty", "5", "--at", f"{OCT}-02", "--json", by="L01").json()["id"]
    d = draw(store, "bait", "--qty", "30", "--staff", "S01", "--approved-by", "L01", "--purpose", "pantry",
             "--at", f"{OCT}-03 10:00")
    back = store("hazmat", "return", str(d), "--qty", "10", "--staff", "S01", "--at", f"{OCT}-03 12:00", "--json",
                 by="L01").json()["id"]
    later = draw(store, "bait", "--qty", "25", "--staff", "L01", "--purpose", "bins", "--at", f"{OCT}-04 10:00")
    assert stock_of(store, "bait")["balance"] == "0.000"
    run = store("void", str(extra), "--reason", "x", by="P01", code=ExitStatus.REFUSED)
    assert run.err.startswith(f"refused (Z3): voiding stock-in #{extra} would take the stock of bait below zero")
    assert f"draw #{later} needs 25.000 pieces and only 20.000 pieces would be in stock" in run.err
    store("void", str(back), "--reason", "x", by="P01", code=ExitStatus.REFUSED)  # the later draw needed it
    store("void", str(d), "--reason", "drawn by mistake", by="P01")  # takes its return with it
    assert stock_of(store, "bait")["balance"] == "20.000"
    assert [x["state"] for x in store("hazmat", "draws", "--material", "BAIT", "--json").json()] == ["voided", "open"]
    run = store("hazmat", "return", str(d), "--qty", "1", "--staff", "S01", by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith(f"draw: draw #{d} was voided")
    store("void", str(later), "--reason", "x", by="S01", code=ExitStatus.REFUSED)  # voiding needs a shift lead
    store("void", str(extra), "--reason", "typed twice", by="P01")  # nothing needs it any more
    assert stock_of(store, "bait")["balance"] == "15.000"
    assert store("verify", "--json").json()["ok"] is True


def test_a_closed_month_refuses_hazmat_rows_dated_in_it(store):
    d = draw(store, "thinner", "--qty", "5", "--staff", "S01", "--approved-by", "L01", "--purpose", "p",
             "--at", f"{OCT}-03 10:00")
    store("month", "close", OCT, by="P01")
    for args in (["stock-in", "thinner", "--qty", "1", "--at", f"{OCT}-30"],
                 ["draw", "thinner", "--qty", "1", "--staff", "L01", "--purpose", "p", "--at", f"{OCT}-30"],
                 ["return", str(d), "--qty", "1", "--staff", "S01", "--at", f"{OCT}-30"],
                 ["anomaly", "thinner", "--note", "n", "--at", f"{OCT}-30"]):
        run = store("hazmat", *args, by="L01", code=ExitStatus.REFUSED)
        assert run.err.startswith("refused (L2):"), run.err
    # Returned after the month closed: a row of the open month.
    store("hazmat", "return", str(d), "--qty", "5", "--staff", "S01", by="L01")


# ----------------------------------------------------------------------------- bad input (issue 12)


def one_draw(store: Cli) -> tuple[int, int]:
    """An open draw of 10 g and a closed one of 4 bait."""
    open_ = draw(store, "rat poison", "--qty", "10", "--staff", "S01", "--approved-by", "L01", "--purpose", "traps",
                 "--at", f"{OCT}-03 10:00")
    closed = draw(store, "bait", "--qty", "4", "--staff", "S01", "--approved-by", "L01", "--purpose", "pantry",
                  "--at", f"{OCT}-03 10:00")
    store("hazmat", "used", str(closed), "--staff", "S01", "--at", f"{OCT}-03 11:00", by="L01")
    return open_, closed


@pytest.fixture(scope="module")
def drawn_template(tmp_path_factory, store_template) -> tuple[str, tuple[int, int]]:
    return ledger_template(tmp_path_factory, "hazmat-drawn", one_draw, start_from=store_template)


DRAW = ["--staff", "S01", "--approved-by", "L01", "--purpose", "traps"]

BAD_INPUT = [
    # (command after `hazmat`, with {open} and {closed} for the two draws; field the error names)
    pytest.param(["draw", "arsenic", "--qty", "1", *DRAW], "material", id="unknown material"),
    pytest.param(["stock-in", "rat poisn", "--qty", "1"], "material", id="unknown material, a slip"),
    pytest.param(["count", "", "--qty", "1"], "material", id="no material"),
    pytest.param(["draw", "rat poison", "--qty", "0", *DRAW], "qty", id="zero"),
    pytest.param(["stock-in", "rat poison", "--qty", "0.000"], "qty", id="zero with decimals"),
    pytest.param(["draw", "rat poison", "--qty", "-5", *DRAW], "qty", id="negative"),
    pytest.param(["return", "{open}", "--qty", "-1", "--staff", "S01"], "qty", id="negative return"),
    pytest.param(["stock-in", "rat poison", "--qty", "ten"], "qty", id="non-numeric"),
    pytest.param(["stock-in", "rat poison", "--qty", "1e3"], "qty", id="exponent"),
    pytest.param(["stock-in", "rat poison", "--qty", "NaN"], "qty", id="NaN"),
    pytest.param(["count", "thinner", "--qty", "-1"], "qty", id="negative count"),
    pytest.param(["stock-in", "rat poison", "--qty", "1.2345"], "qty", id="more decimals than g allows"),
    pytest.param(["draw", "bait", "--qty", "1.5", *DRAW], "qty", id="a piece and a half"),
    pytest.param(["return", "{open}", "--qty", "10.001", "--staff", "S01"], "qty", id="return larger than outstanding"),
    pytest.param(["return", "{closed}", "--qty", "1", "--staff", "S01"], "draw", id="return of a closed draw"),
    pytest.param(["used", "{closed}", "--staff", "S01"], "draw", id="used of a closed draw"),
    pytest.param(["lend", "999999", "--to", "S02", "--approved-by", "L01"], "draw", id="lend of an unknown draw"),
    pytest.param(["lend", "1", "--to", "S02", "--approved-by", "L01"], "draw", id="lend of a row that is no draw"),
    pytest.param(["return", "abc", "--qty", "1", "--staff", "S01"], "draw", id="draw id not a number"),
    pytest.param(["return", "{open}", "--qty", "1", "--staff", "S99"], "staff", id="unknown staff"),
    pytest.param(["return", "{open}", "--qty", "1", "--staff", "S01", "--at", f"{OCT}-03 09:00"], "at",
                 id="returned before it was drawn"),
    pytest.param(["draw", "rat poison", "--qty", "1", "--staff", "S01", "--approved-by", "L01"], "purpose",
                 id="no purpose"),
    pytest.param(["draw", "rat poison", "--qty", "1", *DRAW, "--at", "2999-01-01"], "at", id="in the future"),
    pytest.param(["anomaly", "thinner", "--note", "  "], "note", id="empty note"),
    pytest.param(["add", "rat poison", "--unit", "kg"], "name", id="a material twice"),
    pytest.param(["add", "acid", "--unit", "fl oz"], "unit", id="a unit of two words"),
    pytest.param(["stocks"], None, id="no such command"),
]


@pytest.mark.parametrize("args, field", BAD_INPUT)
def test_bad_input_is_one_line_naming_the_field_and_writes_nothing(drawn_template, cli, args, field):
    template, (open_, closed) = drawn_template
    store = Cli(copy_ledger_file(template, cli.db))
    args = [a.format(open=open_, closed=closed) for a in args]
    before = store.total_rows()
    run = store("hazmat", *args, by="L01", code=ExitStatus.BAD_INPUT)
    assert run.out == "" and "Traceback" not in run.err
    if field is not None:
        assert run.err.startswith(f"{field}: ") and run.err.count("\n") == 1, run.err
    assert store.total_rows() == before


def test_a_draw_made_now_and_returned_now(store):
    """Default --at (now) everywhere, as a supervisor at the store types it."""
    d = draw(store, "thinner", "--qty", "2.5", "--staff", "S04", "--approved-by", "L01", "--purpose", "p")
    store("hazmat", "return", str(d), "--qty", "2.5", "--staff", "S04", by="L01")
    this_month = stock_of(store, "thinner", str(date.today())[:7])
    assert (this_month["drawn"], this_month["returned"], this_month["balance"]) == ("2.500", "2.500", "800.000")
    assert datetime.fromisoformat(store("hazmat", "draws", "--json").json()[0]["due"]) - timedelta(days=1) <= \
        datetime.now().astimezone()
