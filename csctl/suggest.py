"""Did you mean: the staff ids on the list nearest to one that is not on it.

Pure: the caller gives the ids it knows. Used by the messages that say "X is not on the
staff list", so that `S1` gets "did you mean S01?" from `log`, `sales add` and each row of an
import alike.
"""

from __future__ import annotations

from .i18n import _

import re
from collections.abc import Iterable

_CODE = r"([A-Z]*)([0-9]+)"  # compiled on first use, by re
CLOSE_ENOUGH = 0.6  # difflib's ratio: S0l -> S01 (0.67); X99 -> nothing
MOST = 2  # more ids equally near than this is no hint at all (S05 among S01-S04)


def _code(staff_id: str) -> tuple[str, int] | None:
    """S01, s1, S-001 -> ('S', 1): the letters and the number, zeros in front and - _ aside."""
    found = re.fullmatch(_CODE, staff_id.upper().replace("-", "").replace("_", ""))
    return (found[1], int(found[2])) if found else None


def nearest(wanted: str, known: Iterable[str]) -> list[str]:
    """The ids in `known` that `wanted` most likely means, best first; [] when none is near.

    First the ids with the same letters and the same number (S1, S001 -> S01); else the ids one
    swap of two neighbouring characters away (S10 -> S01); else the closest by difflib's ratio,
    if at most MOST of them are that close."""
    ids = sorted(set(known) - {wanted})
    code = _code(wanted)
    same = [k for k in ids if code is not None and _code(k) == code]
    if same:
        return same
    upper = wanted.upper()
    swapped = {upper[:i] + upper[i + 1] + upper[i] + upper[i + 2:] for i in range(len(upper) - 1)}
    same = [k for k in ids if k.upper() in swapped]
    if same:
        return same[:MOST]
    import difflib  # only on the way to an error message

    scored = [(difflib.SequenceMatcher(None, upper, k.upper()).ratio(), k) for k in ids]
    best = max((score for score, _ in scored), default=0.0)
    if best < CLOSE_ENOUGH:
        return []
    found = [k for score, k in scored if score == best]
    return found if len(found) <= MOST else []


def did_you_mean(wanted: str, known: Iterable[str]) -> str:
    """'; did you mean S01?' (or 'S01 or S02?') to end a message with, or '' when nothing is near."""
    found = nearest(wanted, known)
    return _("; did you mean {ids}?").format(ids=_(" or ").join(found)) if found else ""
