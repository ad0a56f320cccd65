"""Levels and promotion (rules.md P1-P6, doc 14): who may change a level and how far (P1),
who may be graded, titled or reviewed (P2, P3), and the review of closed months that says
who is due for promotion (P4), on watch for demotion (P5) or for dismissal (P6).

Pure decisions over values the caller has looked up: staff records, the scores and ranks
of closed months as their snapshots hold them, grades, titles and probation reviews. Each
check returns an error value (InputError for a fact that is wrong, RuleViolation for a rule
that says no) or None; the review returns one `Review` per scored person.

Readings where doc 14 is loose (docs/rules.md says the same):
- "top three over the last N closed months" (月均前三名): the N calendar months ending at the
  month reviewed, every one closed; each person's mean of their monthly scores over them,
  among the people scored in every one of them, ranked like a month's score (ties share);
- the quarterly grades a step reads are those of the quarters that end inside that period
  (one for 3 months, two for 6, four for 12), a quarter not graded counting as not A;
- titles count from the start of a career, up to the end of the month reviewed;
- "since promotion" (P5, P6) counts the months whose first day the person already held the
  level (a level from the 15th counts from the next month, as pay does);
- a run of months "running" is consecutive calendar months, each closed and scored: a month
  the person was not scored in, or that is not closed, breaks it; a run counts wherever it
  falls since the level began, not only when it ends at the month reviewed;
- a senior's "within a year" is the source's 晉升后一年內: the first twelve months at the level.
"""

from __future__ import annotations

from ..i18n import N_, Joined, Said, _, code

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import NamedTuple

from ..errors import CsctlError, InputError, RuleViolation
from ..models import LEVELS, Month, Quarter, Staff
from . import authority

GENERAL_MANAGER = "general_manager"
GRADES = ("A", "B", "C")  # C: below B (B等級以下)
TOP = 3  # "前三名"


class Step(NamedTuple):
    """P4: what a step up needs. `months`: the period of the top-three condition (0: the
    probation review decides); `a_grades`: the A grades needed among the quarters ending in
    that period; `titles`: excellent-staff titles; `service`: full months since the hire date."""

    to: str
    months: int
    a_grades: int
    titles: int
    service: int


STEPS: dict[str, Step] = {
    "probation": Step("junior", 0, 0, 0, 0),
    "junior": Step("intermediate", 3, 1, 0, 3),
    "intermediate": Step("senior", 6, 2, 1, 6),
    "senior": Step("reserve_supervisor", 12, 3, 3, 12),
}


# ---------------------------------------------------------------------------- P1-P3
class LevelEntry(NamedTuple):
    """One dated level of a person: from the staff record (`since` the hire date, None for a
    record without one) or from a level change (a staff_changes row with `level`)."""

    since: date | None
    level: str
    row: int
    reason: str | None = None
    approved_by: str | None = None


def check_level_change(*, person: Staff, to: str, since: date, recorder: Staff, approver: Staff | None,
                       latest_change: LevelEntry | None) -> CsctlError | None:
    """P1: a level changes from a date within the person's service, after their last level
    change, never by themselves; one step up or down, and a skip up only with the general
    manager's approval (the outstanding contribution in the reason)."""
    if to not in LEVELS:
        return InputError("to", _("{to!r} is not a level; one of {levels}").format(to=to, levels=', '.join(LEVELS)))
    if person.dept != "customer_service" or person.level is None:
        return InputError("staff", _("{id} holds no level on {since}: levels are customer service's (doc 14); a first level is given with `csctl staff change {id} --level L`").format(id=person.id, since=since))
    if person.hired is not None and since < person.hired:
        return InputError("from", _("{since} is before {id} was hired ({hired}); a level is held from the hire date on").format(since=since, id=person.id, hired=person.hired))
    if person.left is not None and since >= person.left:
        return InputError("from", _("{id} left on {left}; a level does not change after that").format(id=person.id, left=person.left))
    if latest_change is not None and latest_change.since is not None and since <= latest_change.since:
        return InputError("from", _("{id}'s level already changes on {since} (#{row}); a change comes after the last one (void that one first to record an earlier change)").format(id=person.id, since=latest_change.since, row=latest_change.row))
    if to == person.level:
        return InputError("to", _("{id} is already {to} on {since}").format(id=person.id, to=to, since=since))
    now, step = LEVELS.index(person.level), LEVELS.index(to) - LEVELS.index(person.level)
    refusal = authority.first(
        authority.not_self(recorder, person, N_("changes the level of"), "P1"),
        RuleViolation("P1", _("a demotion moves one step: {level} -> {levels}, not {to}").format(level=person.level, levels=LEVELS[now - 1], to=to))
        if step < -1 else None,
    )
    if refusal is not None:
        return refusal
    if approver is not None:
        refusal = authority.first(
            authority.rank_is(approver, GENERAL_MANAGER, N_("the approver of a level change"), "P1"),
            authority.not_self(approver, person, N_("approves a level change of"), "P1"),
            authority.active_on(approver, since, N_("the approver"), "P1"),
        )
        if refusal is not None:
            return refusal
    if step > 1 and approver is None:
        return RuleViolation("P1", _("{level} -> {to} skips {step} level(s): a promotion moves one step ({level} -> {levels}); a skip needs an outstanding contribution approved by the general manager (--approved-by GM, the contribution in --reason)").format(level=person.level, to=to, step=step - 1, levels=LEVELS[now + 1]))
    return None


def check_subject(*, person: Staff, recorder: Staff, scored: bool, rule: str, doing: str,
                  when: str) -> RuleViolation | None:
    """P2, P3: grades, titles and probation reviews are about scored staff, never by themselves."""
    if not scored:
        return RuleViolation(rule, _("{id} is not scored {when}: {doing} is for customer-service staff and shift leads below reserve supervisor").format(id=person.id, when=when, doing=doing))
    return authority.not_self(recorder, person, _("records {doing} of").format(doing=doing), rule)


def grade_letter(text: str) -> str:
    """P2: A, B, or C (below B); case does not matter."""
    value = (text or "").strip().upper()
    if value not in GRADES:
        shown = repr(text) if len(repr(text)) <= 20 else repr(text)[:16] + "...'"
        raise InputError("grade", _("{shown} is not a grade; A, B or C (below B)").format(shown=shown))
    return value


def first_month_at(since: date | None) -> Month | None:
    """The first month whose first day falls on or after `since`: the first month paid, and
    counted, at a level held from then (None: from the start)."""
    if since is None:
        return None
    month = Month.of(since)
    return month if since == month.first_day else month.next()


# ---------------------------------------------------------------------------- P4-P6
class MonthLine(NamedTuple):
    """A person's line in a closed month's snapshot."""

    score: Decimal
    rank: int | None
    warned: bool  # at or below the warning line (O1-O3)
    close: int  # the close whose snapshot holds it


class Grade(NamedTuple):
    quarter: Quarter
    grade: str
    row: int


class Dated(NamedTuple):
    """A title (passed unused) or a probation review, on its day."""

    day: date
    row: int
    passed: bool = True


class Person(NamedTuple):
    """What the review reads of one scored person, as of the end of the month reviewed."""

    staff: str
    name: str
    level: str | None
    level_since: date | None  # when the level held at the end of the month began (None: from the start)
    hired: date | None
    grades: tuple[Grade, ...] = ()
    titles: tuple[Dated, ...] = ()
    reviews: tuple[Dated, ...] = ()


class Condition(NamedTuple):
    condition: str
    holds: bool
    detail: str


class WatchReason(NamedTuple):
    rule: str  # P5 or P6
    reason: str
    months: tuple[Month, ...]
    rows: tuple[int, ...]  # the closes, grades behind it


class Review(NamedTuple):
    staff: str
    name: str
    level: str | None
    next_level: str | None
    promotion_due: bool
    conditions: tuple[Condition, ...]
    watch: str  # none | demotion | dismissal
    reasons: tuple[WatchReason, ...]

    @property
    def watch_months(self) -> tuple[Month, ...]:
        return tuple(sorted({m for r in self.reasons for m in r.months}))


Months = Mapping[Month, Mapping[str, MonthLine]]


def months_ending(month: Month, count: int) -> list[Month]:
    """The `count` calendar months ending with `month`, oldest first."""
    out = [month]
    while len(out) < count:
        out.insert(0, out[0].prev())
    return out


def service_months(hired: date | None, day: date) -> int:
    """Full months from the hire date to `day` (hired 2026-01-01 has 3 on 2026-04-01; hired
    2026-01-02 has 2), as C4 counts them."""
    if hired is None or hired > day:
        return 0
    return (day.year - hired.year) * 12 + day.month - hired.month - (day.day < hired.day)


def _span(months: Sequence[Month]) -> str:
    return str(months[0]) if len(months) == 1 else f"{months[0]}..{months[-1]}"


def top_three(staff: str, period: Sequence[Month], months: Months, top: int = TOP) -> Condition:
    """P4: the person's mean monthly score over the period, ranked among everyone scored in
    every month of it (ties share), is within the top three."""
    name = "top_three"
    missing = [m for m in period if m not in months]
    if missing:
        return Condition(name, False, Said(N_("{missing} of the {months} months {span} not closed ({which}); only "
                                              "closed months count"), missing=len(missing), months=len(period),
                                           span=_span(period), which=_span(missing)))
    scored = [m for m in period if staff in months[m]]
    if len(scored) < len(period):
        return Condition(name, False, Said(N_("scored in {scored} of the {months} months {span}"), scored=len(scored),
                                           months=len(period), span=_span(period)))
    competitors = set.intersection(*(set(months[m]) for m in period))
    totals = {sid: sum((months[m][sid].score for m in period), Decimal(0)) for sid in competitors}
    rank = 1 + sum(1 for total in totals.values() if total > totals[staff])
    mean = (totals[staff] / len(period)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Condition(name, rank <= top, Said(N_("rank {rank} of {of} by mean score {mean}, {span} (top {top} needed)"),
                                             rank=rank, of=len(competitors), mean=mean, span=_span(period), top=top))


def _grades_by_quarter(grades: Iterable[Grade]) -> dict[Quarter, Grade]:
    out: dict[Quarter, Grade] = {}
    for g in sorted(grades, key=lambda g: g.row):  # the latest live grade of a quarter counts
        out[g.quarter] = g
    return out


def quarterly_a(person: Person, period: Sequence[Month], need: int) -> Condition:
    """P4: A grades among the quarters that end inside the period."""
    quarters = [Quarter.of(m) for m in period if m.month % 3 == 0]
    graded = _grades_by_quarter(person.grades)
    shown = [f"{q} {graded[q].grade} (#{graded[q].row})" if q in graded else Said(N_("{quarter} not graded"), quarter=q)
             for q in quarters]
    count = sum(1 for q in quarters if q in graded and graded[q].grade == "A")
    return Condition("quarterly_grades", count >= need, Said(N_("{count} A of {need} needed: {grades}"), count=count,
                                                             need=need, grades=Joined(shown)))


def titles_held(person: Person, as_of: Month, need: int) -> Condition:
    held = [t for t in person.titles if t.day <= as_of.last_day]
    shown = ", ".join(f"{t.day} (#{t.row})" for t in sorted(held))
    return Condition("titles", len(held) >= need,
                     Said(N_("{held} title(s): {titles} ({need} needed)"), held=len(held), titles=shown, need=need)
                     if shown else Said(N_("{held} title(s) ({need} needed)"), held=len(held), need=need))


def service(person: Person, as_of: Month, need: int) -> Condition:
    if person.hired is None:
        return Condition("service", False, Said(N_("no hire date on record ({need} months needed)"), need=need))
    got = service_months(person.hired, as_of.next().first_day)
    return Condition("service", got >= need, Said(N_("{got} full months by the end of {month}, hired {hired} ({need} "
                                                     "needed)"), got=got, month=as_of, hired=person.hired, need=need))


def probation_review(person: Person, as_of: Month) -> Condition:
    done = sorted((r for r in person.reviews if r.day <= as_of.last_day), key=lambda r: (r.day, r.row))
    if not done:
        return Condition("probation_review", False, Said(N_("no probation review recorded")))
    last = done[-1]
    return Condition("probation_review", last.passed,
                     Said(N_("passed on {day} (#{row})") if last.passed else N_("failed on {day} (#{row})"),
                          day=last.day, row=last.row))


def conditions(person: Person, as_of: Month, months: Months) -> tuple[str | None, tuple[Condition, ...]]:
    """P4: the next level and each condition of the step to it."""
    step = STEPS.get(person.level or "")
    if step is None:
        return None, ()
    if step.months == 0:
        return step.to, (probation_review(person, as_of),)
    period = months_ending(as_of, step.months)
    found = [titles_held(person, as_of, step.titles)] if step.titles else []
    found += [top_three(person.staff, period, months), quarterly_a(person, period, step.a_grades),
              service(person, as_of, step.service)]
    return step.to, tuple(found)


def _calendar(start: Month, end: Month) -> list[Month]:
    out = []
    m = start
    while m <= end:
        out.append(m)
        m = m.next()
    return out


def _runs(staff: str, span: Sequence[Month], months: Months, counts: Callable[[MonthLine], bool]) -> list[list[Month]]:
    """Runs of consecutive months of `span` in which the person's closed line `counts`."""
    runs: list[list[Month]] = []
    current: list[Month] = []
    for m in span:
        line = months.get(m, {}).get(staff)
        if line is not None and counts(line):
            current.append(m)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _level_span(person: Person, as_of: Month, months: Months) -> list[Month]:
    """The months since the person's level began, to the month reviewed (from the first closed one)."""
    if not months:
        return []
    start = first_month_at(person.level_since) or min(months)
    return _calendar(max(start, min(months)), as_of)


def _grades_within(person: Person, start: Month | None, end: Month) -> list[Grade]:
    """The person's grades of the quarters from `start` (None: from the first) that have ended
    by `end`, in quarter order."""
    graded = _grades_by_quarter(person.grades)
    return [graded[q] for q in sorted(graded) if (start is None or q.months[0] >= start) and q.months[2] <= end]


def _months_of(grades: Iterable[Grade]) -> tuple[Month, ...]:
    return tuple(m for g in grades for m in g.quarter.months)


def _ranks(staff: str, run: Sequence[Month], months: Months) -> str:
    return Said(N_("ranks {ranks}"), ranks=" ".join(str(months[m][staff].rank) for m in run))


def watch(person: Person, as_of: Month, months: Months, top: int = TOP) -> tuple[WatchReason, ...]:
    """P5 (an intermediate or senior listed for one step down) and P6 (a probation or junior
    member the company may dismiss): each reason with the months and rows behind it."""
    span = _level_span(person, as_of, months)
    since = (Said(N_("since {day}"), day=person.level_since) if person.level_since
             else Said(N_("as {level}"), level=code("level", str(person.level))))
    out: list[WatchReason] = []

    def closes(staff: str, run: Sequence[Month]) -> tuple[int, ...]:
        return tuple(months[m][staff].close for m in run)

    def out_of_top(line: MonthLine) -> bool:
        return line.rank is not None and line.rank > top

    if person.level in ("probation", "junior"):
        runs = [r for r in _runs(person.staff, span, months, lambda line: line.warned) if len(r) >= 3]
        if runs:
            run = runs[-1]
            scores = " ".join(_num(months[m][person.staff].score) for m in run)
            out.append(WatchReason("P6", Said(N_("at or below the warning line {count} months running {since} ({span}: "
                                                 "scores {scores})"), count=len(run), since=since, span=_span(run),
                                              scores=scores),
                                   tuple(run), closes(person.staff, run)))
    elif person.level == "intermediate":
        runs = [r for r in _runs(person.staff, span, months, out_of_top) if len(r) >= 3]
        if runs:
            run = runs[-1]
            out.append(WatchReason("P5", Said(N_("out of the monthly top {top} {count} months running {since} ({span}: "
                                                 "{ranks})"), top=top, count=len(run), since=since, span=_span(run),
                                              ranks=_ranks(person.staff, run, months)), tuple(run),
                                   closes(person.staff, run)))
        graded = _grades_within(person, first_month_at(person.level_since), as_of)
        pairs = [(a, b) for a, b in pairwise(graded)
                 if a.grade == b.grade == "B" and a.quarter.next() == b.quarter]
        if pairs:
            a, b = pairs[-1]
            out.append(WatchReason("P5", Said(N_("two quarterly B in a row {since}: {first} (#{first_row}), {second} "
                                                 "(#{second_row})"), since=since, first=a.quarter, first_row=a.row,
                                              second=b.quarter, second_row=b.row), _months_of((a, b)), (a.row, b.row)))
        below = [g for g in graded if g.grade == "C"]
        if below:
            g = below[-1]
            out.append(WatchReason("P5", Said(N_("a quarterly grade below B {since}: {quarter} (#{row})"), since=since,
                                              quarter=g.quarter, row=g.row),
                                   _months_of((g,)), (g.row,)))
    elif person.level == "senior" and months:
        start = first_month_at(person.level_since) or min(months)
        end = start
        for _time in range(11):
            end = end.next()
        year = _calendar(start, min(end, as_of))
        within = Said(N_("in the first year as senior ({span})"), span=_span([start, end]))
        outs = [m for m in year if (line := months.get(m, {}).get(person.staff)) is not None and out_of_top(line)]
        if len(outs) >= 3:
            out.append(WatchReason("P5", Said(N_("out of the monthly top {top} in {count} months {within}: {months} "
                                                 "({ranks})"), top=top, count=len(outs), within=within,
                                              months=", ".join(map(str, outs)), ranks=_ranks(person.staff, outs, months)),
                                   tuple(outs), closes(person.staff, outs)))
        graded = _grades_within(person, start, min(end, as_of))
        bees = [g for g in graded if g.grade == "B"]
        if len(bees) >= 2:
            out.append(WatchReason("P5", Said(N_("{count} quarterly B {within}: {grades}"), count=len(bees), within=within,
                                              grades=", ".join(f"{g.quarter} (#{g.row})" for g in bees)),
                                   _months_of(bees), tuple(g.row for g in bees)))
        below = [g for g in graded if g.grade == "C"]
        if below:
            g = below[-1]
            out.append(WatchReason("P5", Said(N_("a quarterly grade below B {within}: {quarter} (#{row})"), within=within,
                                              quarter=g.quarter, row=g.row),
                                   _months_of((g,)), (g.row,)))
    return tuple(out)


def _num(points: Decimal) -> str:
    return format(points.normalize(), "f") if points != 0 else "0"


def review(as_of: Month, people: Sequence[Person], months: Months) -> list[Review]:
    """P4-P6 for each scored person, as of the end of `as_of`; `months` holds every closed
    month up to it (no later one), each person's line of its snapshot."""
    out = []
    for person in sorted(people, key=lambda p: p.staff):
        next_level, found = conditions(person, as_of, months)
        reasons = watch(person, as_of, months)
        kind = "none" if not reasons else ("dismissal" if reasons[0].rule == "P6" else "demotion")
        out.append(Review(person.staff, person.name, person.level, next_level,
                          bool(found) and all(c.holds for c in found), found, kind, reasons))
    return out
