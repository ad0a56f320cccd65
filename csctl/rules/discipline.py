"""Discipline: who may record what (D1-D10) and the monthly 10-point score (D1-D10, O1-O3).

Pure functions of their arguments: no database, clock, terminal or environment. A check
returns an error value (or None); the month's score is computed from the month's live
events, the people, the policy and the earlier months' scores.
"""

from __future__ import annotations

from ..i18n import N_, Said, _, word

from collections.abc import Mapping, Sequence
from decimal import Decimal

from ..errors import CsctlError, InputError, RuleViolation
from ..models import (
    COMPLAINT_KINDS,
    COMPLAINT_SOURCES,
    QUOTA_KINDS,
    Deduction,
    Event,
    EventRequest,
    Month,
    ScoreLine,
    Staff,
)
from ..policy import Discipline, Outcomes, Policy
from . import authority

ZERO = Decimal(0)

# The rule each command word answers to, for refusals and the report.
KIND_RULE = {
    "late": "D1",
    "early-leave": "D1",
    "absent": "D3",
    "awol": "D4",
    "left-post": "D4",
    "leave": "D5",
    "dayoff": "D5",
    "forgot-signin": "D5",
    "offline": "D6",
    "complaint": "D7",
    "unfinished": "D9",
    "refer": "D10",
}
MAX_LATE_MINUTES = 24 * 60
# Events whose recording is a supervisor's decision (D9 points, D10 referrals), not a shift lead's.
SUPERVISOR_KINDS = {"unfinished": "supervisor", "refer": "supervisor"}
SUPERVISOR_DOING = {"unfinished": "setting the points of unfinished work", "refer": "referring to the general manager"}


def rule_of(kind: str, complaint: str | None = None) -> str:
    """The rule an event answers to: its kind's, but D8 for an attitude complaint."""
    return "D8" if kind == "complaint" and complaint == "attitude" else KIND_RULE[kind]


def check_event(
    req: EventRequest,
    *,
    staff: Staff,
    recorder: Staff,
    approver: Staff | None,
    policy: Policy,
) -> CsctlError | None:
    """Whether a discipline event may be recorded as asked; None when it may.

    The staff member, the recorder and any approver have been found in the ledger by the
    caller; the caller also checks that the day is in an open month (L2).
    """
    rule = rule_of(req.kind, req.complaint)
    day = req.at.date()
    if not staff.active_on(day):
        when = f"left on {staff.left}" if staff.left and day >= staff.left else f"hired on {staff.hired}"
        return InputError("at", _("{id} was not active on {day} ({when})").format(id=staff.id, day=day, when=when))
    if not is_scored(staff, Month.of(day)):
        what = (f"in {staff.dept}" if staff.dept != "customer_service" else
                "a reserve supervisor" if staff.level == "reserve_supervisor" else f"a {staff.rank.replace('_', ' ')}")
        return RuleViolation(rule, _("{id} is {what}; the 10-point score and its events are for customer-service staff and shift leads").format(id=staff.id, what=what))
    # Reading (D7, D8): every event is recorded by a shift lead or above, never by its subject.
    refused = authority.first(
        authority.not_self(recorder, staff, N_("records a discipline event against"), rule),
        authority.rank_at_least(recorder, "shift_lead", N_("recording a discipline event"), rule),
        # Reading (D9, D10): the points of unfinished work and a referral are the supervisor's.
        authority.rank_at_least(recorder, SUPERVISOR_KINDS[req.kind], SUPERVISOR_DOING[req.kind], rule)
        if req.kind in SUPERVISOR_KINDS else None,
        # L6: whoever records an event was active on its day.
        authority.active_on(recorder, day, N_("the recorder"), "L6"),
    )
    if refused:
        return refused
    if req.kind not in ("leave", "dayoff"):
        for name in ("approved_on", "until"):
            if getattr(req, name) is not None:
                return InputError(name.replace("_", "-"), _("only leave and day-offs have {replace}, not {kind}").format(replace=name.replace('_', ' '), kind=word("event kind", req.kind)))
    if req.until is not None and req.until < day:
        return InputError("until", _("{until} is before the first day, {day} (D5)").format(until=req.until, day=day))
    if req.kind in ("late", "early-leave"):
        if req.minutes is None:
            return InputError("minutes", _("a late needs --minutes (D1)") if req.kind == "late" else _("leaving early needs --minutes (D1)"))
        if not 1 <= req.minutes <= MAX_LATE_MINUTES:
            return InputError("minutes", _("{minutes} is not a number of minutes from 1 to {max_late_minutes} (D1)").format(minutes=req.minutes, max_late_minutes=MAX_LATE_MINUTES))
    if req.kind in ("leave", "dayoff"):
        problem = check_approver(staff, approver, req.approved_by, day)
        if problem:
            return RuleViolation("D5", problem)
        if req.approved_on is not None and req.approved_on > day:
            # Reading (D5): approved in advance (事先經上級領導同意); the leave's own day still counts.
            late_approval = (_("approved on {approved_on}, after the first day of the leave ({day}): rest not approved in advance is AWOL; record it with `csctl log awol {id}`")
                             if req.kind == "leave" else
                             _("approved on {approved_on}, after the first day of the day off ({day}): rest not approved in advance is AWOL; record it with `csctl log awol {id}`"))
            return RuleViolation("D5", late_approval.format(approved_on=req.approved_on, day=day, id=staff.id))
    if req.kind == "offline" and req.excused and not (req.reason and req.reason.strip()):
        return InputError("reason", _("an excused offline incident needs --reason saying why (D6)"))
    if req.kind == "complaint":
        if req.complaint not in COMPLAINT_KINDS:
            return InputError("kind", _("{complaint!r} is not a complaint kind; use slow or attitude (D7, D8)").format(complaint=req.complaint))
        if req.source not in COMPLAINT_SOURCES:
            return InputError("source", _("{source!r} is not a complaint source; use customer or colleague (D7, D8)").format(source=req.source))
        if req.complaint == "attitude" and req.source != "customer":
            return RuleViolation(
                "D8", _("an attitude complaint counts only from a customer (顧客投訴); a colleague's is not recorded")
            )
    if req.kind == "unfinished":
        allowed = policy.discipline.unfinished_points
        if req.points is None or req.points not in allowed:
            choices = ", ".join(_fmt(p) for p in allowed)
            given = "none" if req.points is None else _fmt(req.points)
            return InputError("points", _("{given} is not one of {choices} (D9)").format(given=given, choices=choices))
    if req.kind == "refer" and not (req.reason and req.reason.strip()):
        return InputError("reason", _("a referral to the general manager needs --reason (D10)"))
    return None


def check_approver(staff: Staff, approver: Staff | None, approver_id: str | None, day: object) -> str | None:
    """D5: leave and day-offs are approved in advance by a supervisor or manager of the staff
    member's department, or by someone above (the general manager), never by the staff member."""
    if approver_id is None:
        return (
            _("leave and day-offs need an approver recorded in advance (--approved-by); rest taken without approval is AWOL: record it with `csctl log awol {id}`").format(id=staff.id)
        )
    if approver is None:
        return _("approver {approver_id} is not on the staff list").format(approver_id=approver_id)
    if approver.id == staff.id:
        return _("{id} cannot approve their own leave").format(id=staff.id)
    if not approver.at_least("supervisor"):
        return _("the approver must be a supervisor or above; {id} is {rank}").format(id=approver.id, rank=approver.rank)
    if approver.dept != staff.dept and not approver.at_least("general_manager"):
        return (
            _("the approver must be a supervisor or manager of {dept} or the general manager; {id} is in {dept2}").format(dept=staff.dept, id=approver.id, dept2=approver.dept)
        )
    if not approver.active_on(day):  # type: ignore[arg-type]
        return _("approver {id} was not active on {day}").format(id=approver.id, day=day)
    return None


# --------------------------------------------------------------------- the month's score
def is_scored(person: Staff, month: Month) -> bool:
    """Scored staff: customer service, rank staff or shift lead, not a reserve supervisor,
    active on some day of the month."""
    return (
        person.dept == "customer_service"
        and person.rank in ("staff", "shift_lead")
        and person.level != "reserve_supervisor"
        and person.active_in(month)
    )


def tier_points(count: int, tiers: Sequence[tuple[int, Decimal]]) -> Decimal:
    """D6-D8: the points of the highest tier whose count is reached, once; 0 below the first."""
    points = ZERO
    for reach, tier in tiers:
        if count >= reach:
            points = tier
    return points


def deductions(events: Sequence[Event], d: Discipline) -> tuple[list[Deduction], list[Deduction], list[int]]:
    """One person's month: (deductions, recorded rows that took no points, referral rows)."""
    by_kind: dict[str, list[Event]] = {}
    for event in sorted(events, key=lambda e: (e.at, e.id)):
        by_kind.setdefault(event.kind, []).append(event)
    taken: list[Deduction] = []
    spared: list[Deduction] = []

    def add(rule: str, rows: Sequence[Event], points: Decimal, note: str = "", days: int | None = None) -> None:
        if not rows:
            return
        ids = tuple(e.id for e in rows)
        if points > 0:
            taken.append(Deduction(rule, len(rows), points, ids, days=days))
        else:
            spared.append(Deduction(rule, len(rows), points, ids, note, days=days))

    lates = sorted(by_kind.get("late", []) + by_kind.get("early-leave", []), key=lambda e: (e.at, e.id))
    # D1: a late of the line or less; D2: beyond it, one absence instead.
    short_lates = [e for e in lates if (e.minutes or 0) <= d.late_absence_minutes]
    add("D1", short_lates, d.late_points * len(short_lates))
    long_lates = [e for e in lates if (e.minutes or 0) > d.late_absence_minutes]
    add("D2", long_lates, d.absence_points * len(long_lates))
    absences = by_kind.get("absent", [])
    add("D3", absences, d.absence_points * len(absences))  # D3
    awols = sorted(by_kind.get("awol", []) + by_kind.get("left-post", []), key=lambda e: (e.at, e.id))
    add("D4", awols, d.awol_points * len(awols))  # D4
    # D5: leave, day-offs and forgotten sign-ins share the quota; from the (quota+1)th on,
    # each counts as an absence. The first ones are listed as quota used.
    quota_rows = sorted((e for k in QUOTA_KINDS for e in by_kind.get(k, [])), key=lambda e: (e.at, e.id))
    # The days each part covers are listed beside it: a leave of several days is one use.
    within, beyond = quota_rows[: d.quota], quota_rows[d.quota:]
    add("D5", within, ZERO, f"quota used {min(len(quota_rows), d.quota)} of {d.quota}", sum(e.days for e in within))
    add("D5", beyond, d.absence_points * len(beyond), days=sum(e.days for e in beyond))
    # D6: offline incidents, excused ones left out; the highest tier reached applies once.
    offline = by_kind.get("offline", [])
    counted = [e for e in offline if not e.excused]
    add("D6", counted, tier_points(len(counted), d.offline_tiers),
        f"{len(counted)} below the tier of {d.offline_tiers[0][0]}" if d.offline_tiers else "")
    add("D6", [e for e in offline if e.excused], ZERO, "excused")
    complaints = by_kind.get("complaint", [])
    slow = [e for e in complaints if e.complaint == "slow"]
    add("D7", slow, tier_points(len(slow), d.slow_complaint_tiers),
        f"{len(slow)} below the tier of {d.slow_complaint_tiers[0][0]}" if d.slow_complaint_tiers else "")
    # D8: 1 point each below the first tier; once a tier is reached, that tier's points in all.
    attitude = [e for e in complaints if e.complaint == "attitude" and e.source == "customer"]
    tier = tier_points(len(attitude), d.attitude_tiers)
    add("D8", attitude, tier if tier > 0 else d.attitude_points * len(attitude))
    unfinished = by_kind.get("unfinished", [])
    add("D9", unfinished, sum((e.points or ZERO for e in unfinished), ZERO), "verbal criticism")
    referrals = [e.id for e in by_kind.get("refer", [])]
    return taken, spared, referrals


def row_effects(events: Sequence[Event], d: Discipline) -> dict[int, tuple[str, str]]:
    """What each of one person's live events of a month does, as the month's report counts it:
    event id -> (the rule it is listed under, what it does in words). A late over the line is
    D2 and counts as an absence; a quota use beyond the quota counts as an absence; an excused
    offline incident does not count."""
    taken, spared, referrals = deductions(events, d)
    by_id = {e.id: e for e in events}
    out: dict[int, tuple[str, str]] = {}
    for ded in taken:
        for position, row in enumerate(ded.rows, start=1):
            out[row] = (ded.rule, _taken_effect(ded, position, by_id[row], d))
    for ded in spared:
        for position, row in enumerate(ded.rows, start=1):
            out[row] = (ded.rule, _spared_effect(ded, position, by_id[row], d))
    for row in referrals:
        out[row] = ("D10", Said(N_("referred to the general manager; no points")))
    return out


# What an event does, in words: English in --json, the catalogue's sentence in a table (Said).
def _span(event: Event) -> str:
    return Said(N_(" ({days} days, to {until})"), days=event.days, until=event.until) if event.days > 1 else ""


def _points(points: Decimal) -> Said:
    return Said(N_("{points} point") if points == 1 else N_("{points} points"), points=_fmt(points))


def _taken_effect(ded: Deduction, position: int, event: Event, d: Discipline) -> str:
    if ded.rule == "D1":
        return _points(d.late_points)
    if ded.rule == "D2":
        return Said(N_("over {minutes} minutes: counts as an absence, {points}"), minutes=d.late_absence_minutes,
                    points=_points(d.absence_points))
    if ded.rule == "D3":
        return _points(d.absence_points)
    if ded.rule == "D4":
        return _points(d.awol_points)
    if ded.rule == "D5":
        return Said(N_("quota use {use} of {quota}{span}: beyond the quota, counts as an absence, {points}"),
                    use=d.quota + position, quota=d.quota, span=_span(event), points=_points(d.absence_points))
    if ded.rule == "D9":
        return _points(event.points or ZERO)
    if ded.rule == "D8" and ded.points == d.attitude_points * ded.count:
        return Said(N_("{points} ({count} this month)"), points=_points(d.attitude_points), count=ded.count)
    return Said(N_("{count} this month: {points} in all"), count=ded.count, points=_points(ded.points))  # a tier of D6-D8


def _spared_effect(ded: Deduction, position: int, event: Event, d: Discipline) -> str:
    if ded.rule == "D5":
        return Said(N_("quota use {use} of {quota}{span}: no points"), use=position, quota=d.quota, span=_span(event))
    if ded.rule == "D6" and event.excused:
        return Said(N_("excused: does not count"))
    if ded.rule == "D9":
        return Said(N_("verbal criticism: no points"))
    tiers = {"D6": d.offline_tiers, "D7": d.slow_complaint_tiers}.get(ded.rule, ())
    if tiers:
        reach, points = tiers[0]
        return Said(N_("{count} this month: no points until {reach} ({points})"), count=ded.count, reach=reach,
                    points=_points(points))
    return Said(N_("{count} this month: no points"), count=ded.count)


def outcome(score: Decimal, earlier: Sequence[Decimal | None], o: Outcomes) -> str:
    """O1-O3. `earlier` holds the scores of the months before, the latest first (None where
    the person was not scored)."""
    needed = o.severe_months - 1
    if score <= o.warning and len(earlier) >= needed and all(
        s is not None and s <= o.warning for s in earlier[:needed]
    ):
        return "severe"  # O3
    if score <= o.punishment:
        return "punishment"  # O2
    if score <= o.warning:
        return "warning"  # O1
    return "none"


def competition_ranks(scores: Sequence[Decimal]) -> list[int]:
    """Rank by score, highest first; equal scores share a rank (1, 2, 2, 4)."""
    ordered = sorted(scores, reverse=True)
    first_place = {}
    for place, score in enumerate(ordered, start=1):
        first_place.setdefault(score, place)
    return [first_place[s] for s in scores]


def score_month(
    month: Month,
    people: Sequence[Staff],
    events: Sequence[Event],
    policy: Policy,
    earlier: Mapping[str, Sequence[Decimal | None]] | None = None,
) -> list[ScoreLine]:
    """The month's report: one line per scored person, in rank order.

    `events` are the month's live (not voided) events; `earlier[staff]` the scores of the
    previous months, the latest first, for O3.
    """
    earlier = earlier or {}
    d = policy.discipline
    scored = sorted((p for p in people if is_scored(p, month)), key=lambda p: p.id)
    mine: dict[str, list[Event]] = {p.id: [] for p in scored}
    for event in events:
        if event.staff in mine and month.contains(event.day):
            mine[event.staff].append(event)
    drafts = []
    for person in scored:
        taken, spared, referrals = deductions(mine[person.id], d)
        raw = d.start - sum((x.points for x in taken), ZERO)
        score = max(raw, ZERO)
        drafts.append((person, score, raw, taken, spared, referrals))
    # Reading (part months): someone active fewer than rank_min_days days is scored, not ranked.
    days = {person.id: person.days_active(month) for person, *_ in drafts}
    ranked = [draft for draft in drafts if days[draft[0].id] >= d.rank_min_days]
    places = dict(zip((draft[0].id for draft in ranked), competition_ranks([draft[1] for draft in ranked])))
    lines = [
        ScoreLine(
            staff=person.id,
            name=person.name,
            score=score,
            raw_score=raw,
            deductions=tuple(taken),
            outcome=outcome(score, earlier.get(person.id, ()), policy.outcomes),
            rank=places.get(person.id),
            referred=bool(referrals),
            referrals=tuple(referrals),
            not_deducted=tuple(spared),
            unranked=None if person.id in places else
            f"active {days[person.id]} of {month.last_day.day} days, fewer than {d.rank_min_days}",
        )
        for person, score, raw, taken, spared, referrals in drafts
    ]
    return sorted(lines, key=lambda line: (line.rank is None, line.rank or 0, line.staff))


def _fmt(points: Decimal) -> str:
    return format(points.normalize(), "f") if points != 0 else "0"
