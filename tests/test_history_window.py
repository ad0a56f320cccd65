"""Writes that read a window of the history, not all of it, and answer as if they read all.

A draw's stock check (Z3) sums the moves older than a day before it into one opening move
(services/hazmat.py `_moves_around`); a key's return replays the keys it names and the shift
keys (services/keys.py `returned_keys`). On a ledger of years that is a few rows instead of
thousands. Each must answer as reading every row does: the same refusal (or none) and the
same balance for draws at any time, back-dated or not, with times written in two offsets,
and when a void has taken the history below zero; the same state of every key returned.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from conftest import copy_ledger_file

from csctl.errors import CsctlError
from csctl.ledger.queries import hazmat as queries
from csctl.rules import hazmat as rules
from csctl.services import Session, hazmat, ledger_ops

ZONES = (timezone.utc, timezone(timedelta(hours=8)))


def _answer(moves: list[rules.Move], when: datetime, qty: int) -> tuple[str | None, int]:
    this = rules.Move(when, 10**9, -qty, "this draw")
    refusal = rules.check_stock([*moves, this], "rat poison", "g", "drawing")
    return (None if refusal is None else str(refusal)), rules.balance([*moves, this])


def _record(s: Session, rng: random.Random, start: datetime, n: int) -> list[int]:
    """n random stock-ins, draws and returns over about 60 days, some refused; the ids kept."""
    kept: list[int] = []
    for _ in range(n):
        at = (start + timedelta(minutes=rng.randrange(60 * 24 * 60))).astimezone(rng.choice(ZONES))
        text = at.isoformat(sep=" ", timespec="minutes")
        try:
            if rng.random() < 0.3:
                row = hazmat.stock_in(s, "rat poison", qty=str(rng.randint(1, 40)), at=text)
            else:
                row = hazmat.draw(s, "rat poison", qty=str(rng.randint(1, 15)), staff="L01", approved_by=None,
                                  purpose="job", at=text)
            kept.append(int(row["id"]))
        except CsctlError:
            pass
    return kept


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_window_answers_as_every_move_does(dept_template, tmp_path, seed):
    rng = random.Random(seed)
    s = Session.open(copy_ledger_file(dept_template, tmp_path / "l.db"), "L01")
    s.now = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
    hazmat.add(s, "rat poison", unit="g")
    material = queries.material(s.ledger, "rat poison")["id"]
    start = datetime(2026, 9, 1, 8, 0, tzinfo=timezone.utc)
    kept = _record(s, rng, start, 120)
    stock_ins = [r["id"] for r in queries.moves(s.ledger, material) if r["kind"] == "stock-in"]
    ledger_ops.void(s, stock_ins[0], "wrong delivery")  # the history may now dip below zero
    assert len(kept) > 20
    checked = fallback = 0
    for _ in range(200):
        when = (start + timedelta(minutes=rng.randrange(60 * 24 * 75))).astimezone(rng.choice(ZONES))
        qty = rng.randint(1, 60)
        window = hazmat._moves_around(s, material, when)
        every = hazmat._moves(s, material)
        assert _answer(window, when, qty) == _answer(every, when, qty)
        checked += 1
        fallback += len(window) == len(every)
    assert checked == 200 and fallback < checked  # most probes used the window, not every move
    s.close()


def test_a_draw_late_on_a_long_history_reads_the_window(dept_template, tmp_path):
    """Through the service: a draw refused and one recorded, on a month of moves, as before."""
    s = Session.open(copy_ledger_file(dept_template, tmp_path / "l.db"), "L01")
    s.now = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
    hazmat.add(s, "rat poison", unit="g")
    for day in range(1, 29):
        hazmat.stock_in(s, "rat poison", qty="10", at=f"2026-10-{day:02d} 08:00")
        hazmat.draw(s, "rat poison", qty="9", staff="L01", approved_by=None, purpose="job", at=f"2026-10-{day:02d} 09:00")
    material = queries.material(s.ledger, "rat poison")["id"]
    window = hazmat._moves_around(s, material, datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc))
    assert len(window) == 1 and window[0].delta == 28 * 1000  # every move older than a day, summed
    with pytest.raises(CsctlError, match="below zero"):
        hazmat.draw(s, "rat poison", qty="29", staff="L01", approved_by=None, purpose="job", at="2026-11-02 09:00")
    row = hazmat.draw(s, "rat poison", qty="28", staff="L01", approved_by=None, purpose="job", at="2026-11-02 09:00")
    assert row["balance"] == "0.000"
    s.close()


def test_a_return_reads_the_keys_it_names_and_the_shift_keys(every_table_template, tmp_path):
    """keys.give_back replays the keys returned and every shift key (K8's count), not the whole
    cabinet's history; each comes out as replaying every key leaves it."""
    from csctl.rules.keys import SHIFT_KEYS
    from csctl.services import keys

    s = Session.open(copy_ledger_file(every_table_template, tmp_path / "l.db"), "L01")
    every = keys.all_keys(s)
    assert len(every) > 3
    for code in every:
        some = keys.returned_keys(s, [code])
        assert set(some) == {code} | {c for c, k in every.items() if k.category == SHIFT_KEYS}
        assert all(some[c] == every[c] for c in some)
    assert keys.returned_keys(s, ["NO-SUCH"]) == {c: k for c, k in every.items() if k.category == SHIFT_KEYS}
    s.close()
