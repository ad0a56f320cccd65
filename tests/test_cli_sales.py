"""`csctl sales`, `month costs|statement|pools` through the CLI runner (C1-C7)."""

from __future__ import annotations

import re
import sqlite3

import pytest

from csctl.errors import ExitStatus

STATEMENT_FIELDS = {"staff", "base", "allowance", "sales", "orders", "sales_commission", "order_commission",
                    "guarantee_topup", "special", "total", "outcome"}
POOL_FIELDS = {"sales", "sales_commission", "product_cost", "gross_margin", "order_commission", "target_commission",
               "marketing", "shipping_loss", "other", "net_profit", "total_target", "threshold", "payable",
               "excellent_pool", "management_pool", "operations_pool"}


def _file(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_sales_add_keeps_money_exact_and_masks_the_customer(dept):
    row = dept("sales", "add", "S01", "--amount", "1280.50", "--product", "tea set", "--customer",
               "Wang 13812345678", "--at", "2026-10-03", "--json", by="L01").json()
    assert row["amount"] == "1280.50" and row["orders"] == 1 and row["at"] == "2026-10-03"
    refund = dept("sales", "add", "S01", "--amount", "-80.5", "--at", "2026-10-04", "--json", by="L01").json()
    assert refund["amount"] == "-80.50" and refund["orders"] == 0
    with sqlite3.connect(dept.db) as conn:
        assert conn.execute("SELECT amount_cents FROM sales ORDER BY id").fetchall() == [(128050,), (-8050,)]
    listed = dept("sales", "list", "--month", "2026-10", "--json").json()
    assert listed[0]["customer"] == "Wang 138****5678"
    table = dept("sales", "list", env={"COLUMNS": "200"}).out
    assert "138****5678" in table and "13812345678" not in table
    assert "13812345678" not in dept("sales", "list", "--csv").out


def test_reveal_is_for_supervisors_and_is_recorded(dept):
    dept("sales", "add", "S01", "--amount", "10", "--customer", "13812345678", "--at", "2026-10-03", by="L01")
    run = dept("sales", "list", "--reveal", by="L01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L6):") and "supervisor" in run.err
    assert dept.count("reveals") == 0
    rows = dept("sales", "list", "--reveal", "--json", by="P01").json()
    assert rows[0]["customer"] == "13812345678"
    with sqlite3.connect(dept.db) as conn:
        assert conn.execute("SELECT command, recorded_by, rows FROM reveals").fetchall() == [("sales list", "P01", 1)]


@pytest.mark.parametrize(
    "amount",
    ["1e999", "NaN", "inf", "12.345678901234", "12,50", "", "abc", "99999999999999", "1.234"],
)
def test_bad_amounts_are_refused(dept, amount):
    before = dept.total_rows()
    run = dept("sales", "add", "S01", "--amount", amount, "--at", "2026-10-03", by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("amount:") and run.err.count("\n") == 1
    assert dept.total_rows() == before


@pytest.mark.parametrize(
    "args, by, code, start",
    [
        (["S99", "--amount", "10"], "L01", ExitStatus.BAD_INPUT, "staff:"),
        (["S01", "--amount", "10"], "S02", ExitStatus.REFUSED, "refused (C1):"),
        (["L01", "--amount", "10"], "L01", ExitStatus.REFUSED, "refused (C1):"),
        (["S01", "--amount", "10", "--orders", "-2"], "L01", ExitStatus.BAD_INPUT, "orders:"),
        (["S01", "--amount", "10", "--orders", "many"], "L01", ExitStatus.BAD_INPUT, "orders:"),
    ],
)
def test_sales_add_refusals(dept, args, by, code, start):
    before = dept.total_rows()
    run = dept("sales", "add", *args, "--at", "2026-10-03", by=by, code=code)
    assert run.err.startswith(start), run.err
    assert dept.total_rows() == before


SHOP = """date,staff,product,amount,orders,customer
2026-10-01,S01,tea set,0.10,1,Wang 13812345678
2026-10-02,S01,tea set,0.10,1,
2026-10-03,S01,tea set,0.10,1,
2026-10-04,S02,rice cooker,100000.00,2,Li
2026-10-05,S02,rice cooker,-899.00,0,Li (return)
2026-10-31,T01,orders handled,0,1300,
2026-10-31,D01,orders handled,0,2950,
"""


def test_import_then_statement_figures(dept, tmp_path):
    result = dept("sales", "import", _file(tmp_path, "shop.csv", SHOP), "--json", by="P01").json()
    assert result["rows"] == 7
    lines = {s["staff"]: s for s in dept("month", "statement", "2026-10", "--json").json()}
    assert all(STATEMENT_FIELDS <= set(s) for s in lines.values())
    s01 = lines["S01"]
    # C2: 0.10 + 0.10 + 0.10 at 2% is 0.006, rounded half-up once: 0.01.
    assert s01["sales"] == "0.30" and s01["sales_commission"] == "0.01"
    assert s01["base"] == "3000.00" and s01["allowance"] == "300.00" and s01["total"] == "3300.01"
    assert s01["outcome"] == "none"
    s02 = lines["S02"]
    # C1, C2: the refund reduces the base: (100000.00 - 899.00) x 2% = 1982.02
    assert s02["sales"] == "99101.00" and s02["sales_commission"] == "1982.02"
    t01 = lines["T01"]  # C3 1.00 an order; C4 hired 2025-10-01, a veteran in 2026-10: floor 2500
    assert t01["order_commission"] == "1300.00" and t01["guarantee_topup"] == "1200.00"
    assert t01["base"] == "0.00" and t01["total"] == "2800.00" and t01["outcome"] is None
    d01 = lines["D01"]  # C3 0.50 an order on a base of 1500, no floor
    assert d01["order_commission"] == "1475.00" and d01["base"] == "1500.00" and d01["guarantee_topup"] == "0.00"
    assert lines["K01"]["total"] == "300.00"  # security: base 0 until the policy sets it, meal allowance
    csv_head = dept("month", "statement", "2026-10", "--csv").out.splitlines()[0].split(",")
    assert STATEMENT_FIELDS <= set(csv_head)
    assert "Pay statements" in dept("month", "statement", "2026-10").out
    assert dept("month", "statement", "2026-10", "--staff", "S02", "--json").json() == [s02]


def test_import_chinese_headers_with_bom(dept, tmp_path):
    text = "日期,客服,商品,金額,訂單數,客戶\n2026-10-01,S01,茶具,168.00,1,王先生 13812345678\n"
    result = dept("sales", "import", _file(tmp_path, "店鋪.csv", "\ufeff" + text), "--json", by="P01").json()
    assert result["rows"] == 1
    row = dept("sales", "list", "--json").json()[0]
    assert row["product"] == "茶具" and row["amount"] == "168.00" and row["customer"] == "王先生 138****5678"


def test_importing_the_same_file_twice_is_refused(dept, tmp_path):
    path = _file(tmp_path, "shop.csv", SHOP)
    first = dept("sales", "import", path, "--json", by="P01").json()
    before = dept.total_rows()
    run = dept("sales", "import", path, by="P01", code=ExitStatus.BAD_INPUT)
    assert "already imported" in run.err and f"#{first['import']}" in run.err
    assert dept.total_rows() == before
    # Voiding the import takes all its rows out and lets a corrected file in.
    dept("void", str(first["import"]), "--reason", "wrong export", by="P01")
    assert dept("month", "statement", "2026-10", "--staff", "S02", "--json").json()[0]["sales"] == "0.00"
    dept("sales", "import", path, by="P01")


@pytest.mark.parametrize(
    "body, start",
    [
        ("2026-10-02,S01,tea,abc,1,", "file: shop.csv line 3, column amount"),
        ("2026-10-02,S01,tea,1e999,1,", "file: shop.csv line 3, column amount"),
        ("2026-10-02,S01,tea,NaN,1,", "file: shop.csv line 3, column amount"),
        ("2026-10-02,S01,tea,1.123456789012,1,", "file: shop.csv line 3, column amount"),
        ("2026-13-02,S01,tea,1.00,1,", "file: shop.csv line 3, column date"),
        ("2026-10-02,S99,tea,1.00,1,", "file: shop.csv line 3, column staff"),
        ("2026-10-02,S01,tea,1.00,-1,", "file: shop.csv line 3, column orders"),
        ("2026-10-02,S01,tea,1.00", "file: shop.csv line 3: 4 cells where the header has 6"),
    ],
)
def test_import_refuses_the_whole_file_naming_line_and_column(dept, tmp_path, body, start):
    text = "date,staff,product,amount,orders,customer\n2026-10-01,S01,tea,1.00,1,\n" + body + "\n"
    before = dept.total_rows()
    run = dept("sales", "import", _file(tmp_path, "shop.csv", text), by="P01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith(start), run.err
    assert dept.total_rows() == before


def test_import_file_problems(dept, tmp_path):
    assert "empty" in dept("sales", "import", _file(tmp_path, "e.csv", ""), by="P01", code=ExitStatus.BAD_INPUT).err
    assert "no rows" in dept("sales", "import", _file(tmp_path, "h.csv", "date,staff,amount\n"), by="P01",
                             code=ExitStatus.BAD_INPUT).err
    latin = "date,staff,product,amount\n2026-10-01,S01,caf\xe9,1.00\n"
    assert "not UTF-8" in dept("sales", "import", _file(tmp_path, "l.csv", latin, "latin-1"), by="P01",
                               code=ExitStatus.BAD_INPUT).err
    missing = dept("sales", "import", _file(tmp_path, "m.csv", "date,staff,product\n2026-10-01,S01,x\n"), by="P01",
                   code=ExitStatus.BAD_INPUT)
    assert "missing column 'amount'" in missing.err
    unknown = dept("sales", "import", _file(tmp_path, "u.csv", "date,staff,amout\n2026-10-01,S01,1\n"), by="P01",
                   code=ExitStatus.BAD_INPUT)
    assert "unknown column 'amout'" in unknown.err
    assert dept.count("sales") == 0 and dept.count("imports") == 0


def test_import_into_a_closed_month_is_refused(dept, tmp_path):
    dept("month", "close", "2026-10", by="P01")
    run = dept("sales", "import", _file(tmp_path, "shop.csv", SHOP), by="P01", code=ExitStatus.REFUSED)
    assert run.err.startswith("refused (L2):") and "line 2" in run.err


def test_special_commission(dept):
    row = dept("sales", "bonus", "S01", "--amount", "500", "--reason", "recovered an order", "--approved-by", "G01",
               "--at", "2026-10-18", "--json", by="P01").json()
    assert row["amount"] == "500.00" and row["approved_by"] == "G01"
    line = dept("month", "statement", "2026-10", "--staff", "S01", "--json").json()[0]
    assert line["special"] == "500.00" and line["total"] == "3800.00"


@pytest.mark.parametrize(
    "args, by, code, start",
    [
        (["--amount", "500", "--approved-by", "G01"], "P01", ExitStatus.BAD_INPUT, "reason:"),
        (["--amount", "500", "--reason", "x", "--approved-by", "G01"], "L01", ExitStatus.REFUSED, "refused (C5):"),
        (["--amount", "500", "--reason", "x"], "P01", ExitStatus.REFUSED, "refused (C5):"),
        (["--amount", "500", "--reason", "x", "--approved-by", "M01"], "P01", ExitStatus.REFUSED, "refused (C5):"),
        (["--amount", "-5", "--reason", "x", "--approved-by", "G01"], "P01", ExitStatus.BAD_INPUT, "amount:"),
    ],
)
def test_special_commission_refusals(dept, args, by, code, start):
    before = dept.total_rows()
    run = dept("sales", "bonus", "S01", *args, "--at", "2026-10-18", by=by, code=code)
    assert run.err.startswith(start), run.err
    assert dept.total_rows() == before


def test_costs_and_pools(dept, tmp_path):
    dept("sales", "import", _file(tmp_path, "shop.csv", SHOP), by="P01")
    assert "no costs are recorded" in dept("month", "pools", "2026-10", code=ExitStatus.BAD_INPUT).err
    dept("month", "costs", "2026-10", "--product-cost", "1000", "--marketing", "0", "--shipping-loss", "0",
         "--other", "0", by="P01")
    row = dept("month", "costs", "2026-10", "--product-cost", "22000", "--marketing", "2000", "--shipping-loss",
               "100", "--other", "500", "--json", by="P01").json()
    assert row["replaces"] is not None
    pools = dept("month", "pools", "2026-10", "--json").json()
    assert POOL_FIELDS <= set(pools)
    # sales 99101.30, sales commission 1982.03, order commission 1300 + 1475
    assert pools["sales"] == "99101.30" and pools["sales_commission"] == "1982.03"
    assert pools["gross_margin"] == "75119.27"
    # net = 75119.27 - (1300.00 + 1475.00) - 0 - 2000 - 100 - 500; target = net / 3, half-up
    assert pools["order_commission"] == "2775.00" and pools["target_commission"] == "0.00"
    assert pools["net_profit"] == "69744.27" and pools["total_target"] == "23248.09"
    # threshold: bases of all active: L01 3000, S01 3000, S02 2500, S03 2200, S04 1800, D01 1500,
    # and customer service's supervisor P01 4000 and manager M01 5000 (C6, the base of their rank)
    assert pools["threshold"] == "23000.00" and pools["payable"] is True
    assert (pools["excellent_pool"], pools["management_pool"], pools["operations_pool"]) == (
        "9299.24", "9299.24", "4649.62")
    dept("month", "costs", "2026-10", "--product-cost", "30000", "--marketing", "2000", "--shipping-loss",
         "100", "--other", "500", by="P01")
    short = dept("month", "pools", "2026-10", "--json").json()  # target 20581.42 < 23000.00
    assert short["total_target"] == "20581.42" and short["payable"] is False
    assert (short["excellent_pool"], short["management_pool"], short["operations_pool"]) == ("0.00",) * 3
    dept("month", "costs", "2026-10", "--product-cost", "1000", by="P01", code=ExitStatus.BAD_INPUT)
    dept("month", "costs", "2026-10", "--product-cost", "-1", "--marketing", "0", "--shipping-loss", "0",
         "--other", "0", by="P01", code=ExitStatus.BAD_INPUT)


def test_statement_snapshot_and_printable_pages(dept, tmp_path):
    dept("sales", "import", _file(tmp_path, "shop.csv", SHOP), by="P01")
    dept("month", "close", "2026-10", by="P01")
    closed = dept("month", "statement", "2026-10", "--json").json()
    dept("sales", "add", "S01", "--amount", "5", "--at", "2026-11-01", by="L01")
    assert dept("month", "statement", "2026-10", "--json").json() == closed
    out = tmp_path / "pages"
    dept("month", "statement", "2026-10", "--format", "html", "--out", str(out))
    pages = sorted(p.name for p in out.iterdir())
    close = dept("month", "history", "2026-10", "--json").json()["entries"][-1]["id"]
    assert f"2026-10-S01-close{close}.html" in pages and len(pages) == len(closed)
    page = (out / f"2026-10-S02-close{close}.html").read_text(encoding="utf-8")
    assert "1982.02" in page and "Pay statement" in page and "signature" in page
    policy = tmp_path / "zh.toml"
    policy.write_text('language = "zh"\n', encoding="utf-8")
    dept("month", "reopen", "2026-10", "--reason", "language", by="M01")
    dept("policy", "set", str(policy), "--from", "2026-10", by="M01")
    dept("month", "statement", "2026-10", "--staff", "S02", "--format", "html", "--out", str(tmp_path / "zh"))
    assert "工資單" in (tmp_path / "zh" / "2026-10-S02-draft.html").read_text(encoding="utf-8")
    dept("month", "statement", "2026-10", "--format", "html", code=ExitStatus.BAD_INPUT)
    dept("month", "statement", "2026-10", "--format", "docx", "--out", str(out), code=ExitStatus.BAD_INPUT)


def test_statement_out_alone_writes_the_printable_pages(dept, tmp_path):
    """--out DIR without --format used to write nothing and say nothing."""
    dept("sales", "import", _file(tmp_path, "shop.csv", SHOP), by="P01")
    out = tmp_path / "pages"
    run = dept("month", "statement", "2026-10", "--out", str(out))
    pages = sorted(p.name for p in out.iterdir())
    assert "2026-10-S01-draft.html" in pages and run.out.startswith(f"wrote {len(pages)} statement(s) to ")
    table_too = tmp_path / "table"
    run = dept("month", "statement", "2026-10", "--format", "table", "--out", str(table_too),
               code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("format:") and run.err.count("\n") == 1 and run.out == ""
    assert not table_too.exists()


def test_bonus_help_speaks_of_a_special_commission_not_a_sale():
    from typer.testing import CliRunner

    from csctl.cli import app

    text = " ".join(CliRunner().invoke(app, ["sales", "bonus", "--help"], env={"COLUMNS": "400"}).stdout.split())
    assert "refund" not in text and "seller" not in text and "of the sale" not in text
    assert "positive" in text and "the date it is for" in text.lower() and "the person it pays" in text


def test_statement_table_lines_money_up_on_the_right(dept, tmp_path):
    dept("sales", "import", _file(tmp_path, "shop.csv", SHOP), by="P01")
    table = dept("month", "statement", "2026-10", env={"COLUMNS": None}).out
    header = next(line for line in table.splitlines() if "Staff" in line and "Total" in line)
    column = [cell.strip() for cell in header.split("┃")].index("Total")
    cells = [line.split("│")[column] for line in table.splitlines() if line.startswith("│")]
    assert cells and all(re.fullmatch(r" +[0-9]+\.[0-9]{2} ", cell) for cell in cells), cells  # padded before
    assert any(cell.startswith("  ") for cell in cells)  # the shorter ones are padded before it


def _big_shop(tmp_path, rows, bad_at=None):
    lines = ["date,staff,product,amount,orders,customer"]
    for i in range(rows):
        staff = ("S01", "S02", "S03")[i % 3]
        amount = f"{(i % 9000) + 1}.{i % 100:02d}"
        lines.append(f"2026-10-{i % 28 + 1:02d},{staff},item {i % 40},{amount},{i % 3 + 1},Wang 13812345678")
    if bad_at is not None:
        lines[bad_at - 1] = "2026-10-05,S01,item,12.345,1,"
    return _file(tmp_path, "big.csv", "\n".join(lines) + "\n")


def test_a_long_file_goes_through_the_reader_process(dept, tmp_path, monkeypatch):
    """The same file gives the same ledger whether read here or by the reader process."""
    import csctl.services.imports.sales as sales

    path = _big_shop(tmp_path, 30_000)
    monkeypatch.setattr(sales, "RELAY_FROM_BYTES", 0)
    result = dept("sales", "import", path, "--json", by="P01").json()
    assert result["rows"] == 30_000
    assert dept("verify", "--json").json()["ok"] is True
    relayed = dept("month", "statement", "2026-10", "--json").json()
    dept("void", str(result["import"]), "--reason", "again, read in process", by="P01")
    monkeypatch.setattr(sales, "RELAY_FROM_BYTES", 1 << 40)
    dept("sales", "import", path, by="P01")
    assert dept("month", "statement", "2026-10", "--json").json() == relayed
    with sqlite3.connect(dept.db) as conn:
        a, b = (conn.execute("SELECT group_concat(at || staff || amount_cents || orders || customer, '|') "
                             "FROM sales WHERE import = ? ORDER BY id", (imp,)).fetchone()[0]
                for imp in [r[0] for r in conn.execute("SELECT id FROM imports ORDER BY id")])
    assert a == b


def test_the_reader_process_refuses_a_bad_line_and_nothing_is_written(dept, tmp_path, monkeypatch):
    import csctl.services.imports.sales as sales

    path = _big_shop(tmp_path, 30_000, bad_at=29_990)
    monkeypatch.setattr(sales, "RELAY_FROM_BYTES", 0)
    before = dept.total_rows()
    run = dept("sales", "import", path, by="P01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("file: big.csv line 29990, column amount:"), run.err
    assert dept.total_rows() == before


def test_a_bad_byte_far_into_a_file_is_named_by_its_own_line(dept, tmp_path):
    lines = ["date,staff,product,amount,orders,customer"]
    lines += [f"2026-10-{i % 28 + 1:02d},S01,item {i},1.00,1," for i in range(3000)]
    data = ("\n".join(lines) + "\n").encode()
    at = data.index(b"item 2500,")
    path = tmp_path / "bad.csv"
    path.write_bytes(data[:at] + b"\xff" + data[at:])
    run = dept("sales", "import", str(path), by="P01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("file: bad.csv line 2502: not UTF-8"), run.err


def test_a_file_that_changes_during_the_import_is_refused(dept, tmp_path, monkeypatch):
    import csctl.services.imports.files as csvfile

    path = tmp_path / "shop.csv"
    path.write_text(SHOP)
    real = csvfile.digest

    def digest_then_change(p):
        found = real(p)
        path.write_text(SHOP.replace("100000.00", "900000.00"))  # someone saves over it meanwhile
        return found

    monkeypatch.setattr(csvfile, "digest", digest_then_change)
    before = dept.total_rows()
    run = dept("sales", "import", str(path), by="P01", code=ExitStatus.BAD_INPUT)
    assert "changed while it was being imported" in run.err
    assert dept.total_rows() == before


def test_a_long_product_in_an_import_is_refused(dept, tmp_path):
    text = "date,staff,product,amount\n2026-10-01,S01," + "x" * 201 + ",1.00\n"
    run = dept("sales", "import", _file(tmp_path, "long.csv", text), by="P01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("file: long.csv line 2, column product: is longer than 200")


def test_a_statement_says_when_the_policy_gives_no_base(dept):
    lines = {s["staff"]: s for s in dept("month", "statement", "2026-10", "--json").json()}
    assert lines["S01"]["base_set"] is True and lines["D01"]["base_set"] is True
    # C6: a customer-service supervisor and manager are paid the base of their rank (they had 0.00).
    assert (lines["P01"]["base"], lines["M01"]["base"]) == ("4000.00", "5000.00") and lines["P01"]["base_set"]
    assert lines["K01"]["base_set"] is False  # security: a department the policy does not list
    run = dept("month", "statement", "2026-10")
    assert "no base salary in the policy for" in run.err and "K01" in run.err and "P01" not in run.err


@pytest.mark.parametrize("amount", ["١٢.٥٠", "１２.５０", "12.5０"])
def test_amounts_are_ascii_digits(dept, amount):
    # int() and a regex's \d take other scripts' digits; money is typed with 0-9.
    run = dept("sales", "add", "S01", "--amount", amount, "--at", "2026-10-03", by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("amount:") and dept.count("sales") == 0


def test_an_import_date_is_yyyy_mm_dd(dept, tmp_path):
    body = "date,staff,amount\n2026-10-03,S01,1.00\n20261004,S01,2.00\n"
    run = dept("sales", "import", _file(tmp_path, "shop.csv", body), by="P01", code=ExitStatus.BAD_INPUT)
    assert "line 3, column date" in run.err and dept.count("sales") == 0
