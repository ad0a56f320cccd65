"""Use cases: open the ledger, load what a rule needs, run it, append, in one transaction.

A `Session` is one command's view of the ledger: who is recording, what time it is, and
the staff list, closed months and policy versions it reads. Every write goes through
`Session.write(need=..., rule=..., dated=...)`: one transaction in which the state is read
again (so that two supervisors at two terminals cannot both pass a check that only one of
them should), the recorder is resolved and must hold the rank the write needs (L6, or the
rule given), and a row dated in a closed month is refused (L2).
"""

from __future__ import annotations

from ..i18n import _

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import parse
from ..errors import InputError, RuleViolation
from ..ledger import Ledger, Writer, os_account
from ..ledger.queries import months as month_queries
from ..ledger.queries import staff as staff_queries
from ..models import Month, Staff, from_cents
from ..policy import Policy, load_cached, zone_of
from ..rules import authority
from ..rules.months import closed_month
from ..suggest import did_you_mean
from ..tables import FLAG_COLUMNS

ENV_DB = "CSCTL_DB"
ENV_USER = "CSCTL_USER"


def default_db_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("csctl")) / "ledger.db"


def demo_db_path() -> Path:
    """Where `csctl demo` writes when no --db is given: demo.db beside the default ledger."""
    return default_db_path().with_name("demo.db")


def resolve_db(db: str | None) -> Path:
    """--db, else CSCTL_DB, else the per-user data file. An empty --db is a mistake, not a default."""
    if db is not None and not db.strip():
        raise InputError("db", _("an empty path; give the ledger file (or leave --db out for the default)"))
    chosen = db if db is not None else os.environ.get(ENV_DB) or None
    return Path(chosen).expanduser() if chosen else default_db_path()


class Session:
    """One command's view of the ledger: who records (`by`), the time (`now`), the OS account."""

    def __init__(self, ledger: Ledger, by: str | None, now: datetime, os_user: str):
        self.ledger = ledger
        self.by = by
        self.now = now
        self.os_user = os_user
        self._staff: dict[date, dict[str, Staff]] = {}
        self._records: tuple[dict[str, Staff], list[tuple[date, str, dict[str, Any]]]] | None = None
        # One person's record and changes, read alone while the whole list is not needed: a
        # write names a few people, and reading every record costs milliseconds on a
        # department of hundreds (on every write).
        self._one: dict[str, tuple[Staff, list[tuple[date, dict[str, Any]]]] | None] = {}

    @classmethod
    def open(cls, db: str | None, by: str | None, now: datetime | None = None, create: bool = True,
             empty_ok: bool = False, clock: bool = True) -> Session:
        """A session on the ledger at `db`. `clock` False: `now` stays in the machine's zone and no
        policy is read on opening (verify: a policy text edited outside csctl is then named by
        the chain as a changed row, not met first as a policy that does not parse)."""
        given = by if by is not None else os.environ.get(ENV_USER) or None
        if given is not None and not given.strip():
            raise InputError("by", _("an empty staff id; give who is recording, e.g. --by P01"))
        session = cls(
            ledger=Ledger.open(resolve_db(db), create=create, empty_ok=empty_ok),
            by=parse.staff_id(given, "by") if given else None,
            now=(now or datetime.now().astimezone()).replace(microsecond=0),
            os_user=os_account(),
        )
        # L7: the department's clock, when the policy names its zone: `now` is read in it, and so
        # every time typed without an offset (parse.at), and every day and month taken of one.
        zone = zone_of(session.policy_for(Month.of(session.now.date()))[1].timezone) if clock else None
        if zone is not None:
            session.now = session.now.astimezone(zone)
        return session

    def close(self) -> None:
        self.ledger.close()

    @property
    def language(self) -> str:
        """The language the policy in force names: en, zh, or auto (the locale's)."""
        return self.policy_for(Month.of(self.today))[1].language

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def stamp(self) -> str:
        return self.now.isoformat()

    # ------------------------------------------------------------------ people
    def staff(self) -> dict[str, Staff]:
        """Everyone ever registered, as their records stand today, with the day each left."""
        return self.staff_on(self.today)

    def staff_in(self, month: Month) -> dict[str, Staff]:
        """Everyone as their records stood on the month's first day: what the month's figures read."""
        return self.staff_on(month.first_day)

    def staff_on(self, day: date) -> dict[str, Staff]:
        """Everyone as their records stood on `day`: each record with its live changes from
        that day or before laid over it, in the order they take effect."""
        if day not in self._staff:
            people, changes = self._read_records()
            people = dict(people)
            for since, sid, values in changes:
                if since > day:
                    break
                people[sid] = with_change(people[sid], values)
            self._staff[day] = people
        return self._staff[day]

    def _read_records(self) -> tuple[dict[str, Staff], list[tuple[date, str, dict[str, Any]]]]:
        if self._records is None:
            people = {r["staff"]: staff_record(r) for r in staff_queries.staff_rows(self.ledger)}
            changes = [(date.fromisoformat(r["from_date"]), r["staff"], changed_values(r))
                       for r in staff_queries.changes(self.ledger)]
            self._records = people, changes
        return self._records

    def forget_staff(self) -> None:
        """Read the staff list again at the next look (a write changed it)."""
        self._staff = {}
        self._records = None
        self._one = {}

    def one_on(self, sid: str, day: date) -> Staff | None:
        """One person as their record stood on `day` (as `staff_on(day)[sid]`), or None; reads
        only their rows unless the whole list is read already."""
        if self._records is not None:
            return self.staff_on(day).get(sid)
        if sid not in self._one:
            row = staff_queries.staff_row(self.ledger, sid)
            self._one[sid] = None if row is None else (
                staff_record(row),
                [(date.fromisoformat(r["from_date"]), changed_values(r))
                 for r in staff_queries.changes_in_force(self.ledger, sid)])
        found = self._one[sid]
        if found is None:
            return None
        person, changes = found
        for since, values in changes:  # in the order they take effect, as staff_on lays them
            if since > day:
                break
            person = with_change(person, values)
        return person

    def person(self, staff_id: str, field_name: str = "staff", on: date | None = None) -> Staff:
        sid = parse.staff_id(staff_id, field_name)
        found = self.one_on(sid, self.today if on is None else on)
        if found is None:
            raise InputError(field_name, _("{sid} is not on the staff list (see `csctl staff list`){did_you_mean}").format(sid=sid, did_you_mean=did_you_mean(sid, self.staff())))
        return found

    def recorder(self) -> Staff:
        """Who is recording: --by, else CSCTL_USER, else the staff member mapped to this OS account."""
        if self.by is None:
            mapped = [p for p in self.staff().values() if p.os_user and p.os_user == self.os_user]
            if len(mapped) == 1:
                self.by = mapped[0].id
            else:
                raise InputError(
                    "by", _("who is recording? pass --by STAFF_ID or set CSCTL_USER=STAFF_ID "
                    "(or register your OS account with `csctl staff add ... --os-user`)")
                )
        who = self.person(self.by, "by")
        if not who.active_on(self.today):
            raise InputError("by", _("{id} is not active (left on {left}) and can no longer record").format(id=who.id, left=who.left))
        return who

    @staticmethod
    def check(*refusals: RuleViolation | None) -> None:
        """Raise the first refusal of the checks given (rules/authority.py), if any."""
        for refusal in refusals:
            if refusal is not None:
                raise refusal

    # ------------------------------------------------------------------ months
    def closed_months(self) -> dict[str, int]:
        """Closed months and the id of the close in force (L2)."""
        return month_queries.closed_months(self.ledger)

    def refuse_if_closed(self, when: date | Month, what: str = "a row", *, onward: bool = False,
                         until: Month | None = None) -> None:
        """L2: refuse a row dated in a closed month or, with `onward`, one whose effect runs from
        that month on (to before `until`): a policy version, a departure."""
        first = when if isinstance(when, Month) else Month.of(when)
        if not onward:
            self.check(closed_month(first, self.closed_months(), what))
            return
        closed = sorted(Month.parse(m) for m in self.closed_months())
        hit = [m for m in closed if m >= first and (until is None or m < until)]
        if hit:
                raise RuleViolation("L2", _("{hit} is closed and {what} would change it; refused until a manager runs `csctl month reopen {hit} --reason ...`").format(hit=hit[0], what=what))

    # ------------------------------------------------------------------ policy
    def next_policy_month(self, after: Month, besides: int | None = None) -> Month | None:
        """The month the next live policy version after `after` takes effect (a version's reach ends there)."""
        found = month_queries.next_policy_from(self.ledger, str(after), besides)
        return Month.parse(found) if found else None

    def policy_for(self, month: Month) -> tuple[int | None, Policy]:
        """The policy version in force in a month: the latest live one from that month or before."""
        row = month_queries.policy_in_force(self.ledger, str(month))
        if row is None:
            return None, load_cached(None)
        return row["id"], load_cached(row["body"])

    # ------------------------------------------------------------------ writing
    @contextmanager
    def write(self, need: str | None, *, rule: str | None = None, doing: str = "this", dated: date | Month | None = None,
              what: str = "a row", bulk: bool = False) -> Iterator[Write]:
        """One write, the only way csctl writes: BEGIN IMMEDIATE; the state read again; the
        recorder resolved (active today); the recorder holding rank `need` or above for
        `doing`, refused under `rule` (else L6); a row `what` `dated` in a closed month refused
        (L2); then the caller's checks and appends, committed with one chain link.

        `need=None` leaves the rank to the caller's rule (a discipline event's rank is part of
        its rule, D1-D10)."""
        with self.ledger.write(by=self.by or "", os_user=self.os_user, at=self.stamp, bulk=bulk) as writer:
            self.forget_staff()  # read again under the write lock
            me = self.recorder()
            writer.by = me.id
            if need is not None:
                self.check(authority.rank_at_least(me, need, doing, rule))
            if dated is not None:
                self.refuse_if_closed(dated, what)
            yield Write(writer, me)
            writer.witnesses += self.policy_witnesses()

    def policy_witnesses(self) -> list[Path]:
        """The witness the policy in force this month names (`witness.path`), besides the
        per-user one every write appends to (ledger/witness.py)."""
        folder = self.policy_for(Month.of(self.today))[1].witness_path
        if not folder:
            return []
        from ..ledger import witness

        return [witness.in_folder(Path(folder).expanduser(), self.ledger.path)]

    @contextmanager
    def first_write(self, staff_id: str) -> Iterator[Write]:
        """The one write with no recorder yet: the first person on a new ledger registers
        themselves. Any other write (a ledger that already has staff) must use `write`."""
        with self.ledger.write(by=staff_id, os_user=self.os_user, at=self.stamp) as writer:
            self.forget_staff()
            yield Write(writer, None)


# The fields of a staff record that a dated change may give (staff_changes, `csctl staff change`).
CHANGED_FIELDS = ("name", "dept", "rank", "level", "hired")


def staff_record(r: Any) -> Staff:
    """A stored staff row (with its `left_on`) as a Staff record."""
    return Staff(
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


def changed_values(r: Any) -> dict[str, Any]:
    """What a stored staff change gives: its non-empty fields."""
    return {k: r[k] for k in CHANGED_FIELDS if r[k] is not None}


def with_change(person: Staff, values: dict[str, Any]) -> Staff:
    """A staff record with a change's values laid over it. A level belongs to customer service
    only: a record moved to another department holds none."""
    fields = dict(values)
    if "hired" in fields:
        fields["hired"] = date.fromisoformat(fields["hired"])
    changed = person._replace(**fields)
    return changed._replace(level=None) if changed.dept != "customer_service" else changed


class Write:
    """One open write: who is recording (`me`) and the appends of the transaction."""

    __slots__ = ("writer", "me")

    def __init__(self, writer: Writer, me: Staff | None):
        self.writer = writer
        self.me = me

    def append(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        return self.writer.append(table, values)

    def append_chunks(self, table: str, chunks: Any) -> tuple[int, int]:
        return self.writer.append_chunks(table, chunks)


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
        elif key in FLAG_COLUMNS:
            out[key] = bool(value)
        else:
            out[key] = value
    return out
