"""Levels and promotion (rules.md P1-P6): dated level changes, quarterly grades, titles and
probation reviews, and the review of closed months (`csctl review`).

A level change is a staff_changes row with `level` set and nothing else, so every month's
report and statement already reads the level held on its first day (Session.staff_on).
The level given at `staff add` is the first dated level, from the hire date.
"""

from __future__ import annotations

from ..i18n import _, word

from datetime import date
from decimal import Decimal
from typing import Any

from .. import parse, tables
from ..errors import InputError
from ..ledger.queries import levels as queries
from ..models import LEVELS, Month, Quarter
from ..rules import levels as rules
from ..rules.discipline import is_scored
from . import Session, jsonable
from .staff import first_month_without


# ---------------------------------------------------------------------------- P1
def history(s: Session, staff: str) -> list[rules.LevelEntry]:
    """A person's live dated levels, in the order they take effect."""
    return [rules.LevelEntry(date.fromisoformat(r["from_date"]) if r["from_date"] else None, r["level"], r["id"],
                             r["reason"], r["approved_by"])
            for r in queries.level_history(s.ledger, staff)]


def change_level(s: Session, staff_id: str, *, to: str, from_date: str, reason: str | None,
                 approved_by: str | None = None) -> dict[str, Any]:
    """P1: a dated level change by a supervisor or above, with a reason; one step, or a skip up
    approved by the general manager. Refused into a closed month (L2): neither dated in one
    nor changing one."""
    level = (to or "").strip().lower()
    if level not in LEVELS:
        raise InputError("to", _("{to} is not a level; one of {levels}").format(to=parse.shown(to), levels=', '.join(LEVELS)))
    since = parse.day(from_date, "from")
    why = parse.text(reason, "reason", required=False)
    if why is None:
        raise InputError("reason", _("a level change needs --reason saying why (P1)"))
    with s.write(tables.write_rank("staff_changes"), rule="P1", doing=_("changing a level")) as w:
        person = s.person(staff_id, on=since)
        approver = s.person(approved_by, "approved-by") if approved_by is not None else None
        changes = [e for e in history(s, person.id) if e.row != person.row]
        s.check(rules.check_level_change(person=person, to=level, since=since, recorder=w.me, approver=approver,
                                         latest_change=changes[-1] if changes else None))
        s.refuse_if_closed(since, _("a level change dated {since}").format(since=since))
        s.refuse_if_closed(first_month_without(since), _("changing {id}'s level from {since}").format(id=person.id, since=since), onward=True)
        row = w.append("staff_changes", {"staff": person.id, "from_date": since, "level": level, "reason": why,
                                         "approved_by": approver.id if approver else None})
    out = jsonable(row)
    out["changed"] = {"level": {"from": person.level, "to": level}}
    return out


# ---------------------------------------------------------------------------- P2, P3
def _scored_on(s: Session, staff_id: str, months: tuple[Month, ...]) -> tuple[Any, bool]:
    """A person, and whether they are scored in any of `months` (their record as each month's
    figures read it)."""
    person = s.person(staff_id)
    return person, any(is_scored(s.staff_in(m)[person.id], m) for m in months)


def grade(s: Session, staff_id: str, *, quarter: str, letter: str, note: str | None = None) -> dict[str, Any]:
    """P2: a quarter's grade (A, B, or C for below B) of a scored member, by a supervisor or
    above. About a period: a closed month does not refuse it (L2 does not apply)."""
    q = parse.quarter(quarter, "quarter")
    g = rules.grade_letter(letter)
    text = parse.text(note, "note", required=False)
    if q.first_day > s.today:
        raise InputError("quarter", _("{q} has not begun; a quarter is graded from its first day on").format(q=q))
    with s.write(tables.write_rank("grades"), rule="P2", doing=_("recording a quarterly grade")) as w:
        person, scored = _scored_on(s, staff_id, q.months)
        s.check(rules.check_subject(person=person, recorder=w.me, scored=scored, rule="P2",
                                    doing=_("a quarterly grade"), when=f"in {q}"))
        earlier = queries.grade_of(s.ledger, person.id, str(q))
        if earlier is not None:
            raise InputError("quarter", _("{id} already has {grade} for {q} (#{id2}); void it first (`csctl void {id2} --reason ...`) to grade the quarter again").format(id=person.id, grade=earlier['grade'], q=q, id2=earlier['id']))
        row = w.append("grades", {"staff": person.id, "quarter": str(q), "grade": g, "note": text})
    return jsonable(row)


def _day(s: Session, on: str | None, person: Any) -> date:
    day = parse.day(on, "on") if on else s.today
    if day > s.today:
        raise InputError("on", _("{day} is in the future").format(day=day))
    if person.hired is not None and day < person.hired:
        raise InputError("on", _("{day} is before {id} was hired ({hired})").format(day=day, id=person.id, hired=person.hired))
    return day


def title(s: Session, staff_id: str, *, on: str | None = None, note: str | None = None) -> dict[str, Any]:
    """P3: an excellent-staff title (優秀客服), dated, by a supervisor or above."""
    text = parse.text(note, "note", required=False)
    with s.write(tables.write_rank("titles"), rule="P3", doing=_("recording a title")) as w:
        day = _day(s, on, s.person(staff_id))
        person, scored = _scored_on(s, staff_id, (Month.of(day),))
        s.check(rules.check_subject(person=person, recorder=w.me, scored=scored, rule="P3",
                                    doing=_("an excellent-staff title"), when=f"in {Month.of(day)}"))
        if queries.title_on(s.ledger, person.id, str(day)) is not None:
            raise InputError("on", _("{id} already has a title on {day}").format(id=person.id, day=day))
        row = w.append("titles", {"staff": person.id, "on_date": day, "note": text})
    return jsonable(row)


def probation(s: Session, staff_id: str, *, passed: bool | None, on: str | None = None,
              note: str | None = None) -> dict[str, Any]:
    """P3, P4: the probation review (轉正考核) of a member on probation, passed or failed."""
    if passed is None:
        raise InputError("passed", _("say how the review went: --passed or --failed"))
    text = parse.text(note, "note", required=False)
    with s.write(tables.write_rank("probation_reviews"), rule="P3", doing=_("recording a probation review")) as w:
        day = _day(s, on, s.person(staff_id))
        person, scored = _scored_on(s, staff_id, (Month.of(day),))
        s.check(rules.check_subject(person=person, recorder=w.me, scored=scored, rule="P3",
                                    doing=_("a probation review"), when=f"in {Month.of(day)}"))
        level = s.staff_on(day)[person.id].level
        if level != "probation":
            raise InputError("staff", (_("{id} is {level} on {day}; a probation review is of a member on probation") if level else
                                       _("{id} has no level on {day}; a probation review is of a member on probation")).format(
                id=person.id, level=word("level", level or ""), day=day))
        row = w.append("probation_reviews", {"staff": person.id, "on_date": day, "passed": int(passed),
                                             "note": text})
    return jsonable(row)


# ---------------------------------------------------------------------------- staff show
def profile(s: Session, staff: str) -> dict[str, Any]:
    """What `staff show` adds: the level history (voided changes marked), grades and titles."""
    levels = [{"from": r["from_date"], "level": r["level"], "id": r["id"], "reason": r["reason"],
               "approved_by": r["approved_by"], "voided_by": r["voided_by"]}
              for r in queries.level_history(s.ledger, staff, live=False)]
    grades = [{"quarter": r["quarter"], "grade": r["grade"], "id": r["id"], "note": r["note"],
               "voided_by": r["voided_by"]} for r in queries.rows_of(s.ledger, "grades", staff, live=False)]
    titles = [{"on": r["on_date"], "id": r["id"], "note": r["note"], "voided_by": r["voided_by"]}
              for r in queries.rows_of(s.ledger, "titles", staff, live=False)]
    reviews = [{"on": r["on_date"], "passed": bool(r["passed"]), "id": r["id"], "voided_by": r["voided_by"]}
               for r in queries.rows_of(s.ledger, "probation_reviews", staff, live=False)]
    return {"levels": levels, "grades": grades, "titles": titles, "probation_reviews": reviews}


# ---------------------------------------------------------------------------- P4-P6
def review(s: Session, as_of: str | None = None) -> dict[str, Any]:
    """P4-P6 as of the end of a closed month (default the last closed): for each person scored
    in it, the next level and each condition of that step, and any watch with its months and
    rows. Reads the closed months' stored snapshots only."""
    from .month import snapshot_of

    wanted = parse.month(as_of, "as-of") if as_of is not None else None
    closed = s.closed_months()
    if not closed:
        raise InputError("as-of", _("no month is closed yet; the review reads closed months only "
                                  "(`csctl month close YYYY-MM`)"))
    month = wanted or Month.parse(max(closed))
    if str(month) not in closed:
        raise InputError("as-of", _("{month} is not closed; the review reads closed months only (the last closed is {closed})").format(month=month, closed=max(closed)))
    months: dict[Month, dict[str, rules.MonthLine]] = {}
    for text, close in closed.items():
        m = Month.parse(text)
        if m <= month:
            months[m] = {line["staff"]: rules.MonthLine(Decimal(str(line["score"])), line["rank"],
                                                        line["outcome"] != "none", close)
                         for line in snapshot_of(s, close)["report"]}
    end = month.last_day
    records = s.staff_on(end)
    grades = _by_staff(queries.rows_of(s.ledger, "grades"),
                       lambda r: rules.Grade(Quarter.parse(r["quarter"]), r["grade"], r["id"]))
    titles = _by_staff(queries.rows_of(s.ledger, "titles"),
                       lambda r: rules.Dated(date.fromisoformat(r["on_date"]), r["id"]))
    reviews = _by_staff(queries.rows_of(s.ledger, "probation_reviews"),
                        lambda r: rules.Dated(date.fromisoformat(r["on_date"]), r["id"], bool(r["passed"])))
    people = []
    for sid in months[month]:
        record = records[sid]
        held = [e for e in history(s, sid) if e.since is None or e.since <= end]
        people.append(rules.Person(sid, record.name, record.level, held[-1].since if held else None, record.hired,
                                   tuple(grades.get(sid, ())), tuple(titles.get(sid, ())),
                                   tuple(reviews.get(sid, ()))))
    found = rules.review(month, people, months)
    return {"as_of": str(month), "months": [str(m) for m in sorted(months)],
            "people": [review_json(r) for r in found]}


def _by_staff(rows: list[Any], make: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for r in rows:
        out.setdefault(r["staff"], []).append(make(r))
    return out


def review_json(r: rules.Review) -> dict[str, Any]:
    return {
        "staff": r.staff,
        "name": r.name,
        "level": r.level,
        "next_level": r.next_level,
        "promotion_due": r.promotion_due,
        "conditions": [{"condition": c.condition, "holds": c.holds, "detail": c.detail} for c in r.conditions],
        "watch": r.watch,
        "watch_months": [str(m) for m in r.watch_months],
        "watch_reasons": [{"rule": w.rule, "reason": w.reason, "months": [str(m) for m in w.months],
                           "rows": list(w.rows)} for w in r.reasons],
    }


# ---------------------------------------------------------------------------- the demo
EARLIER = 9  # months before the demo's three, so that a year is closed


def demo_start(target: Month) -> Month:
    """The first month of the demo's year, ending with `target`."""
    return rules.months_ending(target, EARLIER + 3)[0]


def demo(s: Session, target: Month) -> tuple[list[Month], int]:
    """The demo's first nine months of its year (before its three months of every rule), and
    the levels, grades, titles and probation reviews that make its review worth reading:
    S10 and S08 due for promotion, S02 and S03 on demotion watch, S09 on dismissal watch.
    Returns those nine months, to be closed before the three, and the events written."""
    from . import discipline

    earlier = rules.months_ending(target, EARLIER + 3)[:EARLIER]
    events = 0
    # A few events a month (none for S09 or S10): S02 late every month, S05 and S06 now and then.
    for i, m in enumerate(earlier):
        plan = [("L01", "late", "S02", 8, {"minutes": 10}), ("L01", "late", "S01", 12, {"minutes": 5})]
        if i % 3 == 1:
            plan += [("L01", "absent", "S05", 16, {}), ("L01", "late", "S06", 21, {"minutes": 15})]
        if i % 4 == 2:
            plan += [("L01", "complaint", "S03", 11, {"complaint": "slow", "source": "customer"}),
                     ("L01", "absent", "S04", 19, {})]
        for by, kind, who, day, fields in plan:
            person = s.staff().get(who)
            when = m.first_day.replace(day=day)
            if person is not None and person.active_on(when):
                s.by = by
                discipline.log(s, kind, who, f"{when} 09:30", **fields)
                events += 1
    s.by = "P01"
    quarters = [Quarter.of(m) for m in rules.months_ending(target, 6) if m.month % 3 == 0]
    for q in quarters:  # the two quarters of S10's six months: A and A (P4); S03: B and B (P5)
        grade(s, "S10", quarter=str(q), letter="A", note="fast, careful answers")
        grade(s, "S03", quarter=str(q), letter="B")
    grade(s, "S04", quarter=str(quarters[-1]), letter="A")
    title(s, "S10", on=str(target.prev().last_day), note="excellent-staff title of the quarter")
    probation(s, "S08", passed=True, on=str(target.first_day.replace(day=28)), note="knows the returns process")
    # P1: the review's promotion of S08, paid from the month after the demo's last.
    change_level(s, "S08", to="junior", from_date=str(target.next().first_day),
                 reason=f"probation passed; review as of {target} (P4)")
    return earlier, events
