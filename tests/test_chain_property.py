"""Property: whatever text a row holds, the chain verifies it, and any change to it is caught."""

from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csctl.ledger import Ledger

# Text as a supervisor might type it or a shop export might hold it: any Unicode scalar
# value (surrogates cannot be stored as UTF-8), control characters and quotes included.
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.tuples(texts, st.integers(-(10**12), 10**12), st.one_of(st.none(), texts)),
                       min_size=1, max_size=8))
def test_any_row_content_verifies_and_a_change_is_caught(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("chain") / "l.db"
    ledger = Ledger.open(path)
    with ledger.write(by="M01", os_user="u", at="2026-10-01T00:00:00+08:00") as w:
        w.append("staff", {"staff": "M01", "name": "Boss", "dept": "admin", "rank": "manager"})
    with ledger.write(by="M01", os_user="u", at="2026-10-02T00:00:00+08:00") as w:
        first, count = w.append_many(
            "sales", [("2026-10-01", "M01", product, cents, 1, customer, None, None) for product, cents, customer in values]
        )
    assert ledger.verify().ok
    ledger.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER sales_no_update")
        conn.execute("UPDATE sales SET amount_cents = amount_cents + 1 WHERE id = ?", (first + count - 1,))
    ledger = Ledger.open(path)
    result = ledger.verify()
    assert not result.ok and result.table == "sales" and first + count - 1 in result.row_ids
    ledger.close()
