"""Customers' phone numbers sealed at rest (C1; issue #15, scope 4): a copy of the ledger file
alone does not reveal them; `--reveal` does, for a supervisor holding the key; `backup` names
the key and does not copy it; `verify` works without it; older ledgers upgrade and verify."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Cli, copy_ledger_file, ledger_of_release, migrations_before
from csctl import migrations, sealing
from csctl.errors import ExitStatus
from csctl.ledger import Ledger

# The phone numbers these tests type, and the demo's (after "customer " or "return "): a bare
# 11-digit pattern would also find runs of digits inside hashes.
PHONES = (b"13812345678", b"13987654321", b"13712345678", b"13998765432")
DEMO_PHONE = re.compile(rb"(?:customer|return) 1[3-9][0-9]{9}")

SHOP = ("date,staff,product,amount,orders,customer\n"
        "2026-10-03,S01,Steam Iron,120.00,1,Wang 13812345678\n"
        "2026-10-04,S02,Kettle,80.00,1,\"Li, +86 139-8765-4321\"\n"
        "2026-10-05,S01,Tea,10.00,1,Zhao\n"
        "2026-10-06,S02,Tea,-10.00,0,\n")


def ledger_bytes(db: str) -> bytes:
    """The ledger as a copy of its files would carry it: the file, its -wal, and a dump."""
    raw = b"".join(Path(f"{db}{s}").read_bytes() for s in ("", "-wal") if Path(f"{db}{s}").exists())
    with closing(sqlite3.connect(db)) as conn:
        dump = "\n".join(conn.iterdump()).encode()
    return raw + dump


def phones_in(db: str, *more: bytes) -> list[bytes]:
    data = ledger_bytes(db)
    return [p for p in PHONES + more if p in data] + DEMO_PHONE.findall(data)


def key_of(db: str) -> Path:
    return sealing.default_key_path(Path(db))


@pytest.fixture
def sold(dept, tmp_path):
    """The department with a sale typed in and a shop file imported, both with phone numbers."""
    dept("sales", "add", "S01", "--amount", "99.00", "--customer", "Wang 13812345678", "--at", "2026-10-02",
         by="L01")
    shop = tmp_path / "shop.csv"
    shop.write_text(SHOP, encoding="utf-8")
    dept("sales", "import", str(shop), by="L01")
    return dept


def test_the_ledger_file_holds_no_full_phone_after_sales_add_and_import(sold):
    assert phones_in(sold.db) == []
    listed = {r["id"]: r["customer"] for r in sold("sales", "list", "--json", by="P01").json()}
    assert sorted(v for v in listed.values() if v) == ["Li, 861****4321", "Wang 138****5678", "Wang 138****5678",
                                                        "Zhao"]
    with closing(sqlite3.connect(sold.db)) as conn:
        stored = conn.execute("SELECT customer, customer_sealed FROM sales ORDER BY id").fetchall()
    assert [c for c, _ in stored] == ["Wang 138****5678", "Wang 138****5678", "Li, 861****4321", "Zhao", None]
    assert [s is not None for _, s in stored] == [True, True, True, False, False]  # sealed where masking changed it
    assert sold("verify", "--json").json()["ok"] is True


def test_a_large_import_seals_in_its_reader_process(dept, tmp_path, monkeypatch):
    from csctl.services.imports import sales as sales_reader

    monkeypatch.setattr(sales_reader, "RELAY_FROM_BYTES", 1)  # every file through the second process
    monkeypatch.setattr(sales_reader, "CHUNK_ROWS", 7)
    lines = [f"2026-10-{1 + i % 28:02d},S0{1 + i % 3},Tea,{i}.50,1,customer 13{i:09d}" for i in range(100)]
    shop = tmp_path / "big.csv"
    shop.write_text("date,staff,product,amount,orders,customer\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert dept("sales", "import", str(shop), "--json", by="L01").json()["rows"] == 100
    assert phones_in(dept.db, *(f"13{i:09d}".encode() for i in range(100))) == []
    revealed = dept("sales", "list", "--reveal", "--limit", "0", "--json", by="P01").json()
    assert sorted(r["customer"] for r in revealed) == sorted(f"customer 13{i:09d}" for i in range(100))
    assert dept("verify", "--json").json()["ok"] is True


def test_reveal_shows_the_full_text_with_the_key_and_is_recorded(sold):
    before = sold.count("reveals")
    rows = sold("sales", "list", "--reveal", "--json", by="P01").json()
    assert sorted(r["customer"] for r in rows if r["customer"]) == [
        "Li, +86 139-8765-4321", "Wang 13812345678", "Wang 13812345678", "Zhao"]
    assert all("customer_sealed" not in r for r in rows)
    assert sold.count("reveals") == before + 1
    table = sold("sales", "list", "--reveal", by="P01").out
    assert "Wang 13812345678" in table


def test_reveal_without_the_key_fails_cleanly_and_records_nothing(sold, tmp_path):
    key = key_of(sold.db)
    assert key.exists()
    key.rename(tmp_path / "elsewhere.key")
    before = sold.count("reveals")
    run = sold("sales", "list", "--reveal", by="P01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("key: ") and str(key) in run.err and "not here" in run.err
    assert "Traceback" not in run.err and len(run.err.strip().splitlines()) == 1
    assert sold.count("reveals") == before
    # Listing masked needs no key; neither does verify, which says the key is missing here.
    assert "Wang 138****5678" in sold("sales", "list", by="P01").out
    result = sold("verify", "--json").json()
    assert result["ok"] is True and result["customers"]["keys"][0]["path"] is None
    assert "not found on this machine" in sold("verify").out


def test_reveal_needs_a_supervisor_before_any_key_is_read(sold):
    run = sold("sales", "list", "--reveal", by="L01", code=ExitStatus.REFUSED)
    assert "supervisor" in run.err


def test_a_key_file_that_is_not_a_key_is_named(sold):
    key_of(sold.db).write_text("not a key\n")
    run = sold("sales", "add", "S01", "--amount", "1.00", "--customer", "13812345678", "--at", "2026-10-02",
               by="L01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("key: ") and "is not a csctl key" in run.err


def test_the_key_is_owner_only_outside_the_ledgers_folder(sold):
    key = key_of(sold.db)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert key.parent != Path(sold.db).parent
    assert sealing.read_key(key) is not None and bytes(sealing.read_key(key)) not in ledger_bytes(sold.db)
    assert "other accounts" not in sold("verify").out
    key.chmod(0o644)
    assert f"{key} may be read by other accounts" in sold("verify").out


def test_backup_names_the_key_and_does_not_copy_it(sold, tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    run = sold("backup", str(folder / "copy.db"), by="P01")
    key = key_of(sold.db)
    assert f"kept at {key}" in run.out and "NOT copied beside the backup" in run.out
    assert sorted(p.name for p in folder.iterdir()) == ["copy.db", "copy.db.witness"]
    assert phones_in(str(folder / "copy.db")) == []
    data = sold("backup", str(folder / "again.db"), "--json", by="P01").json()
    assert data["customers"]["keys"] == [{"id": sealing.key_id(sealing.read_key(key)), "rows": 3, "path": str(key),
                                          "shared": False}]
    # The copy, opened where it lies, still finds its key on this machine by the key's id.
    copy = Cli(str(folder / "copy.db"))
    rows = copy("sales", "list", "--reveal", "--json", by="P01").json()
    assert "Wang 13812345678" in {r["customer"] for r in rows}


def test_a_changed_sealed_value_is_caught_by_verify(sold):
    with closing(sqlite3.connect(sold.db)) as conn:
        conn.execute("DROP TRIGGER sales_no_update")
        other = conn.execute("SELECT customer_sealed FROM sales WHERE customer LIKE 'Li%'").fetchone()[0]
        conn.execute("UPDATE sales SET customer_sealed = ? WHERE customer LIKE 'Zhao'", (other,))
        conn.commit()
    assert "altered" in sold("verify", code=ExitStatus.REFUSED).err


def test_the_policy_may_keep_phones_in_clear_and_verify_counts_them(dept, tmp_path):
    policy = tmp_path / "clear.toml"
    policy.write_text("[privacy]\nseal_phones = false\n")
    dept("policy", "set", str(policy), "--from", "2026-10", by="M01")
    dept("sales", "add", "S01", "--amount", "5.00", "--customer", "Wang 13812345678", "--at", "2026-10-02", by="L01")
    assert phones_in(dept.db) == [b"13812345678"]
    assert not key_of(dept.db).exists()  # nothing sealed, no key made
    result = dept("verify", "--json").json()["customers"]
    assert (result["sealed"], result["clear"]) == (0, 1)
    assert "1 sale(s) hold a phone number in clear" in dept("verify").out


def test_the_policy_may_name_the_key_file(dept, tmp_path):
    vault = tmp_path / "vault"
    vault.mkdir()
    policy = tmp_path / "key.toml"
    policy.write_text(f'[privacy]\nkey_file = "{vault / "cs.key"}"\n')
    dept("policy", "set", str(policy), "--from", "2026-10", by="M01")
    dept("sales", "add", "S01", "--amount", "5.00", "--customer", "13812345678", "--at", "2026-10-02", by="L01")
    assert stat.S_IMODE((vault / "cs.key").stat().st_mode) == 0o600 and not key_of(dept.db).exists()
    assert phones_in(dept.db) == []
    assert dept("sales", "list", "--reveal", "--json", by="P01").json()[0]["customer"] == "13812345678"
    gone = tmp_path / "no-such-disk" / "cs.key"
    policy.write_text(f'[privacy]\nkey_file = "{gone}"\n')
    dept("policy", "set", str(policy), "--from", "2026-11", by="M01")
    # a key file on a disk not mounted: refused when it is needed, and nothing recorded
    before = dept.count("sales")
    err = dept("sales", "add", "S01", "--amount", "5.00", "--customer", "13812345678", by="L01",
               code=ExitStatus.BAD_INPUT).err
    assert "does not exist" in err and str(gone.parent) in err and dept.count("sales") == before
    assert not gone.parent.exists()
    relative = tmp_path / "rel.toml"
    relative.write_text('[privacy]\nkey_file = "keys/cs.key"\n')
    assert "privacy.key_file" in dept("policy", "set", str(relative), "--from", "2026-12", by="M01",
                                      code=ExitStatus.BAD_INPUT).err


def test_the_demo_seals_its_customers_and_reveals_them(every_table_template, tmp_path):
    db = copy_ledger_file(every_table_template, tmp_path / "demo.db")
    assert phones_in(db) == []
    cli = Cli(db)
    revealed = cli("sales", "list", "--reveal", "--limit", "0", "--json", by="M01").json()
    assert any(re.fullmatch(r"customer 1[3-9]\d{9}", r["customer"] or "") for r in revealed)
    assert cli("verify", "--json").json()["customers"]["clear"] == 0


def test_a_ledger_of_the_release_before_0009_upgrades_keeps_its_chain_and_seals_from_then_on(tmp_path):
    """0009_sealed_customers rebuilds sales with the late column: old rows keep their values (the
    phone in clear) and their hash; new rows are sealed; verify says how many stay in clear."""
    path = tmp_path / "before.db"
    shipped = migrations_before("0009_sealed_customers")
    conn = ledger_of_release(path, shipped)
    assert "customer_sealed" not in {r[1] for r in conn.execute("PRAGMA table_info(sales)")}
    old = Ledger(conn, path)
    with old.write(by="M01", os_user="cs", at="2026-10-01T09:00:00+08:00") as w:
        for sid, rank, level in (("M01", "manager", None), ("P01", "supervisor", None), ("L01", "shift_lead", "senior"),
                                 ("S01", "staff", "junior")):
            w.append("staff", {"staff": sid, "name": sid, "dept": "customer_service", "rank": rank, "level": level,
                               "hired": "2025-01-01"})
        w.append("sales", {"at": "2026-10-02", "staff": "S01", "amount_cents": 1250, "orders": 1,
                           "customer": "Qian 13712345678"})
    imp_rows = [("2026-10-03", "S01", None, 500, 1, f"Sun 1361234567{i}", None) for i in range(3)]
    with old.write(by="M01", os_user="cs", at="2026-10-02T09:00:00+08:00", bulk=True) as w:
        w.append_many("sales", imp_rows)
    before = old.head()
    kept = [tuple(r) for r in conn.execute("SELECT * FROM sales ORDER BY id")]
    conn.close()

    ledger = Ledger.open(path)
    try:
        assert ledger.applied == [name for name, _ in migrations.MIGRATIONS[len(shipped):]]
        assert ledger.verify().ok and ledger.head() == before
        now = [tuple(r) for r in ledger.rows("SELECT * FROM sales ORDER BY id")]
        assert [r[:8] + r[9:] for r in now] == kept and all(r[8] is None for r in now)
    finally:
        ledger.close()
    cli = Cli(str(path))
    cli("sales", "add", "S01", "--amount", "3.00", "--customer", "Zhou 13998765432", "--at", "2026-10-04", by="L01")
    assert b"13998765432" not in ledger_bytes(str(path)) and b"13712345678" in ledger_bytes(str(path))
    result = cli("verify", "--json").json()
    assert result["ok"] is True and (result["customers"]["sealed"], result["customers"]["clear"]) == (1, 4)
    shown = {r["customer"] for r in cli("sales", "list", "--json", by="P01").json()}
    assert shown == {"Qian 137****5678", "Sun 136****5670", "Sun 136****5671", "Sun 136****5672", "Zhou 139****5432"}
    opened = {r["customer"] for r in cli("sales", "list", "--reveal", "--json", by="P01").json()}
    assert {"Qian 13712345678", "Zhou 13998765432"} <= opened


texts = st.text(alphabet=st.sampled_from("0123456789 -+()abc\n一"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=8))
def test_masking_a_column_is_masking_each_text(column):
    assert sealing.mask_many(column) == [sealing.mask_phone(t) or "" for t in column]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=6))
def test_sealing_opens_to_the_same_text_and_never_repeats_a_value(column):
    sealer = sealing.Sealer(os.urandom(32))
    sealed = sealer.seal_many(column)
    assert [sealer.unseal(v) for v in sealed] == column
    assert len(set(sealed)) == len(sealed)
    assert all(sealing.id_of(v) == sealer.id for v in sealed)
    with pytest.raises(ValueError):
        sealing.Sealer(os.urandom(32)).unseal(sealer.seal("13812345678"))


def test_rows_may_leave_out_the_trailing_late_column_and_nothing_else(tmp_path):
    """An import the policy does not seal writes rows as before 0009 (customer_sealed NULL, not
    hashed); a row short of any other column is refused, nothing written."""
    ledger = Ledger.open(tmp_path / "l.db")
    try:
        with ledger.write(by="M01", os_user="u", at="2026-10-01T00:00:00+08:00") as w:
            w.append("staff", {"staff": "M01", "name": "Boss", "dept": "admin", "rank": "manager"})
        with ledger.write(by="M01", os_user="u", at="2026-10-02T00:00:00+08:00", bulk=True) as w:
            w.append_many("sales", [("2026-10-01", "M01", None, 100, 1, "Li 138****5678", None)])
            w.append_many("sales", [("2026-10-01", "M01", None, 100, 1, "Li 138****5678", None, "1:abcd:x"),
                                    ("2026-10-01", "M01", None, 100, 1, None, None, None)])
        assert ledger.verify().ok
        assert [r[0] for r in ledger.rows("SELECT customer_sealed FROM sales ORDER BY id")] == [None, "1:abcd:x", None]
        with pytest.raises(ValueError):
            with ledger.write(by="M01", os_user="u", at="2026-10-03T00:00:00+08:00") as w:
                w.append_many("sales", [("2026-10-01", "M01", None, 100, 1, None)])
        assert ledger.value("SELECT count(*) FROM sales") == 3 and ledger.verify().ok
    finally:
        ledger.close()


def test_verify_counts_the_sealed_rows_of_each_key(dept, tmp_path):
    dept("sales", "add", "S01", "--amount", "5.00", "--customer", "13812345678", "--at", "2026-10-02", by="L01")
    dept("sales", "add", "S02", "--amount", "6.00", "--customer", "13912345678", "--at", "2026-10-02", by="L01")
    one = dept("verify", "--json").json()["customers"]
    assert one["sealed"] == 2 and [k["rows"] for k in one["keys"]] == [2]
    policy = tmp_path / "key.toml"
    policy.write_text(f'[privacy]\nkey_file = "{tmp_path / "second.key"}"\n')
    dept("policy", "set", str(policy), "--from", "2026-10", by="M01")
    dept("sales", "add", "S01", "--amount", "7.00", "--customer", "13712345678", "--at", "2026-10-03", by="L01")
    two = dept("verify", "--json").json()["customers"]
    second = sealing.key_id(sealing.read_key(tmp_path / "second.key"))
    assert two["sealed"] == 3 and {k["id"]: k["rows"] for k in two["keys"]} == {one["keys"][0]["id"]: 2, second: 1}
