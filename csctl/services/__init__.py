"""Use cases: open the ledger, load what a rule needs, run it, append, in one transaction.

A `Session` is one command's view of the ledger: who is recording, what time it is, and
the staff list, closed months and policy versions it reads. Writes go through
`Session.transaction()`, inside which the state is read again, so that two supervisors at
two terminals cannot both pass a check that only one of them should.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import parse
from ..errors import InputError, RuleViolation
from ..ledger import Ledger, Writer, os_account
from ..models import Month, Staff, from_cents
from ..policy import Policy, load_cached

ENV_DB = "CSCTL_DB"
ENV_USER = "CSCTL_USER"


def default_db_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("csctl")) / "ledger.db"


def resolve_db(db: str | None) -> Path:
    """--db, else CSCTL_DB, else the per-user data file. An empty --db is a mistake, not a default."""
    if db is not None and not db.strip():
        raise InputError("db", "an empty path; give the ledger file (or leave --db out for the default)")
    chosen = db if db is not None else os.environ.get(ENV_DB) or None
    return Path(chosen).expanduser() if chosen else default_db_path()


@dataclass
class Session:
    ledger: Ledger
    by: str | None
    now: datetime
    os_user: str
    _staff: dict[str, Staff] | None = field(default=None, repr=False)

    @classmethod
    def open(cls, db: str | None, by: str | None, now: datetime | None = None, create: bool = True) -> Session:
        given = by if by is not None else os.environ.get(ENV_USER) or None
        if given is not None and not given.strip():
            raise InputError("by", "an empty staff id; give who is recording, e.g. --by P01")
        return cls(
            ledger=Ledger.open(resolve_db(db), create=create),
            by=parse.staff_id(given, "by") if given else None,
            now=(now or datetime.now().astimezone()).replace(microsecond=0),
            os_user=os_account(),
        )

    def close(self) -> None:
        self.ledger.close()

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def stamp(self) -> str:
        return self.now.isoformat()

    # ------------------------------------------------------------------ people
    def staff(self) -> dict[str, Staff]:
        """Everyone ever registered, with the day each left (if they did)."""
        if self._staff is None:
            self._staff = {
                r["staff"]: Staff(
                    id=r["staff"],
                    name=r["name"],
                    dept=r["dept"],
                    rank=r["rank"],
                    level=r["level"],
                    hired=date.fromisoformat(r["hired"]) if r["hired"] else None,
                    left=date.fromisoformat(r["left_on"]) if r["left_on"] else None,
                    os_user=r["os_user"],
                    row=r["id"],
                )
                for r in self.ledger.staff_rows()
            }
        return self._staff

    def person(self, staff_id: str, field_name: str = "staff") -> Staff:
        sid = parse.staff_id(staff_id, field_name)
        found = self.staff().get(sid)
        if found is None:
            raise InputError(field_name, f"{sid} is not on the staff list (see `csctl staff list`)")
        return found

    def recorder(self) -> Staff:
        """Who is recording: --by, else CSCTL_USER, else the staff member mapped to this OS account."""
        if self.by is None:
            mapped = [p for p in self.staff().values() if p.os_user and p.os_user == self.os_user]
            if len(mapped) == 1:
                self.by = mapped[0].id
            else:
                raise InputError(
                    "by", "who is recording? pass --by STAFF_ID or set CSCTL_USER=STAFF_ID "
                    "(or register your OS account with `csctl staff add ... --os-user`)"
                )
        who = self.person(self.by, "by")
        if not who.active_on(self.today):
            raise InputError("by", f"{who.id} is not active (left on {who.left}) and can no longer record")
        return who

    def require_rank(self, who: Staff, minimum: str, rule: str | None, doing: str) -> None:
        """Refuse unless `who` holds `minimum` rank: under `rule` when rules.md sets it,
        else as bad input of --by (a permission of the tool, not of the rulebook)."""
        if who.at_least(minimum):
            return
        message = f"{doing} needs a {minimum.replace('_', ' ')} or above; {who.id} is {who.rank.replace('_', ' ')}"
        if rule is None:
            raise InputError("by", message)
        raise RuleViolation(rule, message)

    # ------------------------------------------------------------------ months
    def closed_months(self) -> dict[str, int]:
        """Closed months and the id of the close in force (L2)."""
        return self.ledger.closed_months()

    def refuse_if_closed(self, when: date | Month, what: str = "a row", *, onward: bool = False,
                         until: Month | None = None) -> None:
        """L2: refuse a row dated in a closed month or, with `onward`, one whose effect runs from
        that month on (to before `until`): a policy version, a departure."""
        first = when if isinstance(when, Month) else Month.of(when)
        closed = sorted(Month.parse(m) for m in self.closed_months())
        hit = [m for m in closed if (m >= first and (until is None or m < until)) if onward or m == first]
        if not hit:
            return
        reopen = f"a manager runs `csctl month reopen {hit[0]} --reason ...`"
        if onward:
            raise RuleViolation("L2", f"{hit[0]} is closed and {what} would change it; refused until {reopen}")
        raise RuleViolation("L2", f"{hit[0]} is closed; {what} dated in it is refused until {reopen}")

    # ------------------------------------------------------------------ policy
    def next_policy_month(self, after: Month, besides: int | None = None) -> Month | None:
        """The month the next live policy version after `after` takes effect (a version's reach ends there)."""
        found = self.ledger.next_policy_from(str(after), besides)
        return Month.parse(found) if found else None

    def policy_for(self, month: Month) -> tuple[int | None, Policy]:
        """The policy version in force in a month: the latest live one from that month or before."""
        row = self.ledger.policy_in_force(str(month))
        if row is None:
            return None, load_cached(None)
        return row["id"], load_cached(row["body"])

    # ------------------------------------------------------------------ writing
    @contextmanager
    def transaction(self, *, recorder: bool = True) -> Iterator[Writer]:
        """One write: BEGIN IMMEDIATE, fresh state, the recorder resolved, then the caller's appends."""
        with self.ledger.write(by=self.by or "", os_user=self.os_user, at=self.stamp) as writer:
            self._staff = None  # read again under the write lock
            if recorder:
                writer.by = self.recorder().id
            yield writer


def month_span(month_text: str | None) -> tuple[str | None, str | None]:
    """A --month filter as the half-open range of `at` it covers: (first day, next month's first day)."""
    if month_text is None:
        return None, None
    month = parse.month(month_text)
    return str(month.first_day), str(month.next().first_day)


def money(cents: int) -> str:
    """Integer cents as the JSON contract writes money: a string with two decimals."""
    return str(from_cents(cents))


def number(points: Decimal) -> int | float:
    """Points as a JSON number: 10, 7.5."""
    return int(points) if points == points.to_integral_value() else float(points)


def jsonable(row: Any) -> dict[str, Any]:
    """A stored row as output: money columns as strings, flags as booleans."""
    out: dict[str, Any] = {}
    for key, value in dict(row).items():
        if key.endswith("_cents"):
            out[key[: -len("_cents")]] = None if value is None else money(value)
        elif key == "excused":
            out[key] = bool(value)
        else:
            out[key] = value
    return out
