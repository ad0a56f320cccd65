"""Staff: register people, correct or change a record from a date, list them, show one, mark
a leaver (rules.md "People")."""

from __future__ import annotations

from ..i18n import N_, _

from datetime import date
from typing import Any

from .. import parse, tables
from ..parse import shown
from ..errors import InputError
from ..ledger.queries import discipline as event_queries
from ..ledger.queries import staff as staff_queries
from ..models import DEPARTMENTS, LEVELS, RANKS, Month, Staff
from ..rules import authority
from . import CHANGED_FIELDS, Session, jsonable, with_change


def add(
    s: Session,
    staff_id: str,
    *,
    name: str,
    dept: str,
    rank: str,
    level: str | None = None,
    hired: str | None = None,
    os_user: str | None = None,
) -> dict[str, Any]:
    sid = parse.staff_id(staff_id, "id")
    clean_name = parse.text(name, "name", limit=80)
    _check_record(_known("dept", dept, DEPARTMENTS), _known("rank", rank, RANKS),
                  _known("level", level, LEVELS) if level is not None else None)
    hired_on = parse.day(hired, "hired") if hired else None
    if hired_on and hired_on > s.today:
        raise InputError("hired", _("{hired_on} is in the future").format(hired_on=hired_on))
    os_name = parse.text(os_user, "os-user", required=False, limit=64)
    values = {"staff": sid, "name": clean_name, "dept": dept, "rank": rank, "level": level, "hired": hired_on,
              "os_user": os_name}
    if not s.staff():
        # The first person on a new ledger records themselves; they must be able to add the rest.
        if not Staff(sid, "", dept, rank).at_least(tables.write_rank("staff")):
            raise InputError("rank", _("the first person on a new ledger must be a supervisor or above, to add the others"))
        with s.first_write(sid) as w:
            if not s.staff():  # nobody registered in the meantime
                return jsonable(w.append("staff", values))
    with s.write(tables.write_rank("staff"), doing=_("adding staff")) as w:
        if hired_on:  # L2: a hire date sets the month's active days (rank_min_days, prorated pay)
            s.refuse_if_closed(hired_on, _("{sid} hired on {hired_on}").format(sid=sid, hired_on=hired_on))
        everyone = s.staff()
        if sid in everyone:
            raise InputError("id", _("{sid} is already on the staff list ({name})").format(sid=sid, name=everyone[sid].name))
        if os_name and any(p.os_user == os_name for p in everyone.values()):
            raise InputError("os-user", _("the OS account {os_name} is already mapped to another person").format(os_name=os_name))
        row = w.append("staff", values)
    return jsonable(row)


def _known(field: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InputError(field, _("{shown} is not a {replace}; one of {allowed}").format(shown=shown(value), replace=field.replace('dept', 'department'), allowed=', '.join(allowed)))
    return value


def _check_record(dept: str, rank: str, level: str | None) -> None:
    """A record's department, rank and level fit together: a level is customer service's, and
    its staff and shift leads have one."""
    if level is not None and dept != "customer_service":
        raise InputError("level", _("levels belong to customer service only (doc 14)"))
    if level is None and dept == "customer_service" and rank in ("staff", "shift_lead"):
        raise InputError("level", _("customer-service {replace}s need --level ({levels})").format(replace=rank.replace('_', ' '), levels=', '.join(LEVELS)))


def change(
    s: Session,
    staff_id: str,
    *,
    from_date: str,
    reason: str | None,
    name: str | None = None,
    dept: str | None = None,
    rank: str | None = None,
    hired: str | None = None,
    level: str | None = None,
) -> dict[str, Any]:
    """Correct or change a staff record from a date on (a mistyped name, a move, a promotion to
    shift lead, a corrected hire date). Append-only: the change is a row of its own, applied
    to every month whose first day is on or after the date, and refused if such a month is
    closed (L2). A first level may be given; changing a level is P1's."""
    since = parse.day(from_date, "from")
    why = parse.text(reason, "reason", required=False)
    if why is None:
        raise InputError("reason", _("a change of a staff record needs --reason saying why"))
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = parse.text(name, "name", limit=80)
    if dept is not None:
        values["dept"] = _known("dept", dept.strip().lower(), DEPARTMENTS)
    if rank is not None:
        values["rank"] = _known("rank", rank.strip().lower(), RANKS)
    if level is not None:
        values["level"] = _known("level", level.strip().lower(), LEVELS)
    if hired is not None:
        hired_on = parse.day(hired, "hired")
        if hired_on > s.today:
            raise InputError("hired", _("{hired_on} is in the future").format(hired_on=hired_on))
        values["hired"] = hired_on.isoformat()
    if not values:
        raise InputError("change", _("nothing to change: give --name, --dept, --rank, --hired (or a first --level)"))
    with s.write(tables.write_rank("staff_changes"), doing=_("changing a staff record")) as w:
        person = s.person(staff_id, on=since)
        s.check(authority.not_self(w.me, person, N_("changes the record of")))
        if person.left is not None and since >= person.left:
            raise InputError("from", _("{id} left on {left}; a record is not changed after that").format(id=person.id, left=person.left))
        if "level" in values and person.level is not None:
            raise InputError("level", _("{id} is {level}; a level changes under its own rules (P1), not by `staff change`, which gives only a first level").format(id=person.id, level=person.level))
        after = with_change(person, values)
        _check_record(after.dept, after.rank, after.level if after.dept == "customer_service" else values.get("level"))
        if after == person:
            raise InputError("change", _("{id}'s record already reads so on {since}; nothing would change").format(id=person.id, since=since))
        s.refuse_if_closed(first_month_without(since), _("changing {id} from {since}").format(id=person.id, since=since), onward=True)
        row = w.append("staff_changes", {"staff": person.id, "from_date": since, **values, "reason": why})
    out = jsonable(row)
    out["changed"] = {k: {"from": _shown(getattr(person, k)), "to": _shown(getattr(after, k))}
                      for k in CHANGED_FIELDS if getattr(person, k) != getattr(after, k)}
    return out


def _shown(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def leave(s: Session, staff_id: str, on: str, reason: str | None = None) -> dict[str, Any]:
    """Mark a person inactive from a date (they leave the company); records are kept."""
    on_day = parse.day(on, "on")
    why = parse.text(reason, "reason", required=False)
    with s.write(tables.write_rank("departures"), doing=_("marking a leaver")) as w:
        person = s.person(staff_id)
        if person.left is not None:
            raise InputError("staff", _("{id} already left on {left}").format(id=person.id, left=person.left))
        if person.hired and on_day < person.hired:
            raise InputError("on", _("{on_day} is before {id} was hired ({hired})").format(on_day=on_day, id=person.id, hired=person.hired))
        # L2: the departure changes its own month (its active days: rank_min_days, prorated pay)
        # and every month after it.
        s.refuse_if_closed(Month.of(on_day), _("{id} leaving on {on_day}").format(id=person.id, on_day=on_day), onward=True)
        row = w.append("departures", {"staff": person.id, "on_date": on_day, "reason": why})
    return jsonable(row)


def first_month_without(left: date) -> Month:
    """The first month whose first day is on or after `left`: the first month a leaver is no
    longer active in, and the first a staff change applies to. Such a row changes that month
    and those after."""
    month = Month.of(left)
    return month if left == month.first_day else month.next()


def view(person: Staff, today: date) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "dept": person.dept,
        "rank": person.rank,
        "level": person.level,
        "hired": person.hired.isoformat() if person.hired else None,
        "left": person.left.isoformat() if person.left else None,
        "active": person.active_on(today),
        "os_user": person.os_user,
        "row": person.row,
    }


def listing(s: Session, *, include_left: bool = True, dept: str | None = None) -> list[dict[str, Any]]:
    dept = dept.strip().lower() if dept is not None else None
    if dept is not None and dept not in DEPARTMENTS:
        raise InputError("dept", _("{dept} is not a department; one of {departments}").format(dept=shown(dept), departments=', '.join(DEPARTMENTS)))
    people = [view(p, s.today) for p in s.staff().values() if dept is None or p.dept == dept]
    return [p for p in people if include_left or p["active"]]


def show(s: Session, staff_id: str) -> dict[str, Any]:
    """One person, with this month's discipline rows and their recent months."""
    from ..rules.discipline import is_scored
    from .month import snapshot_of

    person = s.person(staff_id)
    out = view(person, s.today)
    month = Month.of(s.today)
    out["scored"] = is_scored(s.staff_in(month)[person.id], month)
    out["changes"] = [{"id": r["id"], "from": r["from_date"], "reason": r["reason"], "voided_by": r["voided_by"],
                       **{k: r[k] for k in CHANGED_FIELDS if r[k] is not None}}
                      for r in staff_queries.changes_of(s.ledger, person.id)]
    out["events_by_month"] = {}
    for r in event_queries.event_counts(s.ledger, person.id):
        out["events_by_month"].setdefault(r["month"], {})[r["kind"]] = r["n"]
    closed = s.closed_months()
    history = []
    for m in sorted(closed, reverse=True)[:6]:
        snap = snapshot_of(s, closed[m])
        for line in snap["report"]:
            if line["staff"] == person.id:
                history.append({"month": m, "score": line["score"], "rank": line["rank"], "outcome": line["outcome"]})
    out["closed_months"] = history
    from .levels import profile

    out.update(profile(s, person.id))  # P1-P3: level history, grades, titles, probation reviews
    return out

