"""The rulebook in csctl's own words: every rule id, its title, its text and the policy keys
it reads. The one place these texts live: `csctl rules` prints them and docs/rules.md holds
them (tests/test_cli_rules.py keeps the two equal).

A text names policy values as `{discipline.quota}`; `fill` puts in the value in force (the
shipped default in docs/rules.md), so a rule never states a number the policy has changed.
`{key:%}` writes a rate as a percentage. A rule's `keys` are policy keys, where `*` stands
for one part of a name (`plans.*.floor`: every plan's floor).

Pure data and string work: no database, no clock, no terminal; imported only by `csctl rules`.
"""

from __future__ import annotations

import re
import textwrap
from decimal import Decimal
from typing import Any, NamedTuple


class Rule(NamedTuple):
    id: str
    title: str  # one line: what the rule counts or decides
    text: str  # the whole rule, one paragraph, with {policy.key} placeholders
    keys: tuple[str, ...] = ()  # the policy keys it reads
    enforced: bool = True  # False: written down, not yet applied by csctl


class Group(NamedTuple):
    letter: str
    title: str


GROUPS = (
    Group("D", "Discipline: the monthly 10-point score"),
    Group("O", "The month's outcome"),
    Group("C", "Sales, commission and pay"),
    Group("L", "The ledger and the month"),
)

_EVENT = "Recorded by a shift lead or above, never about themselves"

RULES: tuple[Rule, ...] = (
    # ------------------------------------------------------------------ discipline
    Rule(
        "D1", "Late arrival or leaving early, short",
        "Arriving late by {discipline.late_absence_minutes} minutes or less takes {discipline.late_points} "
        "points off the month's score, every time it happens (`csctl log late ID --minutes M`). Leaving "
        "before the end of one's shift (`csctl log early-leave ID --minutes M`), which the rulebook forbids "
        "without naming a figure, is counted the same way, D2 included.",
        ("discipline.late_points", "discipline.late_absence_minutes"),
    ),
    Rule(
        "D2", "Late arrival, long: counted as an absence",
        "A late arrival of more than {discipline.late_absence_minutes} minutes is not a late any more: it "
        "costs what an absence costs, {discipline.absence_points} points, and the report shows it under D2. "
        "It is entered like any late (`csctl log late`); the minutes decide which rule it falls under.",
        ("discipline.late_absence_minutes", "discipline.absence_points"),
    ),
    Rule(
        "D3", "Absence",
        "Each absence, a working day not turned up for (`csctl log absent`), takes {discipline.absence_points} "
        "points.",
        ("discipline.absence_points",),
    ),
    Rule(
        "D4", "AWOL: rest nobody approved, or a post left without a swap",
        "Time off taken without asking beforehand (`csctl log awol`) and walking away from one's post "
        "without a shift swap arranged with a colleague (`csctl log left-post`) are both AWOL, and each "
        "takes {discipline.awol_points} points.",
        ("discipline.awol_points",),
    ),
    Rule(
        "D5", "Leave, days off and forgotten sign-ins share a monthly quota",
        "Approved leave (`csctl log leave`), an approved day off in lieu (`csctl log dayoff`) and a "
        "sign-in forgotten on the attendance sheet (`csctl log forgot-signin`, booked as a day off) all "
        "draw on one allowance of {discipline.quota} a month. Within it they cost nothing; taken in time "
        "order, each one beyond it takes {discipline.absence_points} points, as an absence would. Leave "
        "and a day off must name who approved them beforehand (`--approved-by`): a supervisor or manager "
        "of the person's own department, or the general manager, active on that day and never the person "
        "themselves. Without an approver the entry is refused, with the hint that rest taken without "
        "approval is recorded as AWOL (D4); so is one approved after its first day (`--approved-on`; the "
        "day itself still counts as in advance; without it the recorder attests the approval came "
        "first). A leave or day off of several days (`--until`) is one use of the allowance; the days it "
        "covers are shown beside it.",
        ("discipline.quota", "discipline.absence_points"),
    ),
    Rule(
        "D6", "Offline while on duty",
        "Being on duty but not logged in to the online customer-service client is an offline incident "
        "(`csctl log offline`). The month's count is charged by tiers ({discipline.offline_tiers}); only "
        "the highest tier reached is charged, once. An incident entered with `--excused` and a reason is "
        "listed but not counted.",
        ("discipline.offline_tiers",),
    ),
    Rule(
        "D7", "Complaints of slow or missed answers",
        "A complaint, from a customer or from a colleague, that a business call or an online message was "
        "not answered in time (`csctl log complaint --kind slow`). The month's count is charged by tiers "
        "({discipline.slow_complaint_tiers}); only the highest tier reached is charged, and a count below "
        "the first tier costs nothing. Entering a complaint states that it was looked into and found true.",
        ("discipline.slow_complaint_tiers",),
    ),
    Rule(
        "D8", "Customers' complaints of rude service",
        "A customer's complaint about the person's manner (`csctl log complaint --kind attitude --source "
        "customer`) takes {discipline.attitude_points} off the score per complaint, until the month's count reaches a tier "
        "({discipline.attitude_tiers}); from then on the month is charged the tier's points in all, "
        "instead of per complaint. Only customers' complaints count here: a colleague's complaint about "
        "attitude is refused. Entering a complaint states that it was looked into and found true.",
        ("discipline.attitude_points", "discipline.attitude_tiers"),
    ),
    Rule(
        "D9", "The day's work left undone",
        "Leaving the day's work unfinished without a good reason (`csctl log unfinished --points P`) takes "
        "the points chosen when it is entered, one of {discipline.unfinished_points}; 0 stands for a "
        "spoken reprimand and is still listed in the report. Choosing the points is a supervisor's: a "
        "shift lead may not enter it.",
        ("discipline.unfinished_points",),
    ),
    Rule(
        "D10", "Referred to the general manager",
        "When poor attitude carries on after the person has been corrected, they can be referred to the "
        "general manager (`csctl log refer --reason R`), by a supervisor or above. A referral takes no "
        "points; the month's report marks the person and lists the referral.",
    ),
    # ------------------------------------------------------------------ outcomes
    Rule(
        "O1", "Verbal warning",
        "The month's score starts at {discipline.start} and loses the points of D1-D9; the raw total is "
        "kept, and the score shown stops at 0. A score of {outcomes.warning} or less earns a verbal "
        "warning. The month's scored staff are ranked by the score shown, highest first, equal scores "
        "sharing a place (1, 2, 2, 4); someone active on fewer than {discipline.rank_min_days} days of "
        "the month is scored but not ranked, and the report says why.",
        ("discipline.start", "outcomes.warning", "discipline.rank_min_days"),
    ),
    Rule(
        "O2", "Punishment",
        "A score of {outcomes.punishment} or less earns a punishment, in place of the warning. The "
        "rulebook names no fine, so no money is taken: the outcome is printed beside the pay.",
        ("outcomes.punishment",),
    ),
    Rule(
        "O3", "Severe punishment",
        "A score at or below the warning line ({outcomes.warning}) in {outcomes.severe_months} months "
        "running, this month included, earns a severe punishment, in place of O1 and O2. A month in which "
        "the person was not scored breaks the run.",
        ("outcomes.warning", "outcomes.severe_months"),
    ),
    # ------------------------------------------------------------------ pay
    Rule(
        "C1", "Sales and refunds",
        "Each sale is one row: the day, the seller, the amount in yuan with two decimals, the number of orders "
        "(if not given, 1 for a sale and 0 for a refund), the product and the customer (`csctl sales add`, or the shop's "
        "export with `csctl sales import`). A refund or a return is a negative amount. A shift lead or "
        "above enters sales, never their own, for someone active on that day and never for a day still to "
        "come. Customers' phone numbers are shown masked unless a supervisor or above asks for them "
        "(`--reveal`), and each such look is itself recorded.",
    ),
    Rule(
        "C2", "Commission on sales",
        "A plan with a `sales_rate` pays that share of the person's net sales in the month (sales less "
        "refunds and returns), with no target to reach: the `sales_2pct` plan, customer service's, pays "
        "{plans.sales_2pct.sales_rate:%}. A month whose refunds outweigh its sales earns 0, never less.",
        ("plans.*.sales_rate",),
    ),
    Rule(
        "C3", "Commission per order",
        "A plan with a `per_order` amount pays it for every order entered against the person in the "
        "month: {plans.orders_logistics.per_order} in logistics and {plans.orders_data.per_order} in data. "
        "Orders shipped or handled are entered as sales of amount 0 with their count "
        "(`csctl sales add L01 --amount 0 --orders 1200`). A returned order is a return (a negative "
        "amount) with a negative count (`--orders -1`); a person's orders in a month never go below 0.",
        ("plans.*.per_order",),
    ),
    Rule(
        "C4", "Guaranteed minimum commission",
        "Where a plan has a floor, commission that falls short of it is topped up to it. Logistics is "
        "guaranteed {plans.orders_logistics.floor}, and {plans.orders_logistics.veteran_floor} once the "
        "person has served {plans.orders_logistics.veteran_months} full months, counted from the hire "
        "date to the first day of the month; a {plans.orders_logistics.veteran_rank} or above gets that "
        "floor from the first month. In a part month the floor is paid by the days active, as C6 says.",
        ("plans.*.floor", "plans.*.veteran_floor", "plans.*.veteran_months", "plans.*.veteran_rank"),
    ),
    Rule(
        "C5", "Special commission",
        "A discretionary amount paid with a reason, for work out of the ordinary (`csctl sales bonus`). "
        "A supervisor or above enters it and it is paid only with the general manager's approval "
        "(`--approved-by`), who was active on its day; neither of them may be the person it pays. "
        "Voiding it needs the general manager too.",
    ),
    Rule(
        "C6", "The pay statement",
        "A person's month is paid as a base salary, the meal allowance of {pay.allowance} for everyone "
        "active in the month, the commissions of C2-C4 and any special commission (C5), each line rounded "
        "half-up to the cent once. Customer service is paid its base by the level on the person's staff "
        "record: probation {pay.level_base.probation}, junior {pay.level_base.junior}, intermediate "
        "{pay.level_base.intermediate}, senior {pay.level_base.senior}, reserve supervisor "
        "{pay.level_base.reserve_supervisor}. Other bases: logistics {departments.logistics.base}, data "
        "{departments.data.base}, marketing {departments.marketing.base}, product "
        "{departments.product.base}. Customer service has no management base of its own: its supervisors "
        "and managers are paid the base of their rank (supervisor {pay.rank_base.supervisor}, manager "
        "{pay.rank_base.manager}), whatever level is on record. A department's base and commission plan "
        "are set under `departments.NAME`, and a person's own, over their department's, under `staff.ID`. "
        "A department the policy does not list is paid a base of 0.00 until the policy gives one; the "
        "statement says so. Someone who joins or leaves during the month is paid the base, the allowance "
        "and any C4 floor for the calendar days active (`pay.prorate` = `{pay.prorate}`; `none` pays whole "
        "months). Points never cost money: the month's outcome is printed beside the pay. Printed "
        "statements are in `{language}` (the `language` key: `en` or `zh`).",
        ("pay.allowance", "pay.level_base.*", "pay.rank_base.*", "pay.prorate", "departments.*.base",
         "departments.*.plan", "staff.*.base", "staff.*.plan", "language"),
    ),
    Rule(
        "C7", "Team bonus pools",
        "Once the month's costs are entered (`csctl month costs`, a supervisor or above): gross margin is "
        "sales less sales commission less product cost; net profit is gross margin less per-order "
        "commission, target commission (0 until marketing has a plan for it), marketing spend, after-sales "
        "shipping losses and other costs. The team's target is a third of net profit, paid only if it is "
        "at least the sum of the base salaries of everyone paid that month; it is then shared 40% to the "
        "excellent-staff pool, 40% to the management pool and 20% to the operations pool. These shares "
        "are fixed in csctl, not policy values.",
    ),
    # ------------------------------------------------------------------ the ledger
    Rule(
        "L1", "Nothing is changed or deleted",
        "A recorded row is never updated or removed. A mistake is undone by voiding it (`csctl void ROW "
        "--reason R`): the row stays visible, marked, and leaves every figure. Voiding needs at least the "
        "rank that writing the row needed, and nobody voids a row about themselves; staff records, voids, "
        "closes, reopens and the record of a reveal are never voided. A hash chain over every write lets "
        "`csctl verify` name the first row changed outside csctl. Every write also appends the chain's new "
        "head to a witness outside the ledger (in the user's state folder, and in the folder witness.path "
        "names), so that verify sees the newest rows cut off or the history rewritten too.",
        ("witness.path",),
    ),
    Rule(
        "L2", "Closed months",
        "`csctl month close` (a supervisor or above) stores the month's scores, outcomes, ranks, pay "
        "statements and pools together with the policy version it used. From then on a row dated in that "
        "month is refused, and so is a void or a policy version that would change it, until a manager or "
        "above reopens the month with a reason (`csctl month reopen`). Closing it again stores a new "
        "snapshot beside the old one, which is kept.",
    ),
    Rule(
        "L3", "Reproducible months",
        "The same rows and the same policy always close to the same snapshot, byte for byte.",
    ),
    Rule(
        "L4", "Bad input writes nothing",
        "Input that does not parse, or that names something unknown, is refused with one line naming the "
        "field and what was expected, exit code 2, and nothing is written.",
    ),
    Rule(
        "L5", "Corrections that reach later months",
        "When a closed month is closed again with other scores, every later closed month that read them "
        "(O3 looks back {outcomes.severe_months} months, this one included) is marked stale: its report and "
        "statements say so, in the table and in `--json` (`stale`, and why), and `csctl month status` lists "
        "it, until it is reopened and closed again.",
        ("outcomes.severe_months",),
    ),
    Rule(
        "L6", "Authority",
        "Whoever records (`--by`) must be on the staff list and active today, and hold the rank the write "
        "needs: a shift lead for discipline events, sales and imports; a supervisor for D9 points and D10 "
        "referrals, staff, their changes, leavers, month closes, costs, special commission and reveals; a "
        "manager for reopening a month and storing a policy version. The recorder and every approver were "
        "active on the day of what they record or approve. Nobody records, approves or voids an act of "
        "which they are the subject. Voiding a row needs the rank its writing needed and the rank of "
        "whoever approved it. A refusal names the rule that sets the requirement, or L6 where no rule of "
        "the act's own does, and exits 1.",
    ),
    Rule(
        "L7", "One clock",
        "Not yet enforced. The policy is to name the department's time zone, and every time is to be "
        "taken in it; today csctl reads a time typed without an offset in the machine's zone.",
        enforced=False,
    ),
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

# Not built yet; docs/rules.md says so in one line.
COMING = "keys (K), shift handover and duty log (H), hazardous materials (Z), levels and promotion (P)"


def find(rule_id: str) -> Rule | None:
    """The rule of an id, whatever its case (`d5`)."""
    return BY_ID.get(rule_id.strip().upper())


def group_of(rule: Rule) -> Group:
    return next(g for g in GROUPS if rule.id.startswith(g.letter))


# ---------------------------------------------------------------------- keys and values
def matches(pattern: str, key: str) -> bool:
    """`plans.*.floor` matches `plans.orders_logistics.floor`: `*` is one part of the name."""
    parts, wanted = key.split("."), pattern.split(".")
    return len(parts) == len(wanted) and all(w in ("*", p) for w, p in zip(wanted, parts))


def keys_of(rule: Rule, keys: list[str]) -> list[str]:
    """The policy keys (of those given) a rule reads, in the order of its patterns."""
    found: list[str] = []
    for pattern in rule.keys:
        found += [k for k in keys if matches(pattern, k) and k not in found]
    return found


def unmatched(rule: Rule, keys: list[str]) -> list[str]:
    """A rule's key patterns that no key of the policy matches (`staff.*.base` by default)."""
    return [p for p in rule.keys if not any(matches(p, k) for k in keys)]


def shown(value: Any, style: str = "") -> str:
    """A policy value as a sentence says it: 0.5, 300.00, 2%, "reaching 3 costs 5 points"."""
    if style == "%":
        percent = Decimal(str(value)) * 100
        return f"{_number(percent)}%"
    if isinstance(value, list) and all(isinstance(v, list) and len(v) == 2 for v in value):
        if not value:
            return "no tier set"
        return ", ".join(f"reaching {_number(n)} costs {_number(p)} points" for n, p in value)
    if isinstance(value, list):
        items = [_number(v) for v in value]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
    return _number(value)


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text if value != 0 else "0"
    if isinstance(value, float):  # as JSON gives it back
        return _number(Decimal(str(value)))
    return str(value)


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)(?::(%))?\}")


def placeholders(text: str) -> list[str]:
    return [m.group(1) for m in _PLACEHOLDER.finditer(text)]


def fill(text: str, values: dict[str, Any]) -> str:
    """A rule's text with each `{key}` replaced by the value given (flat keys, as `policy show`)."""
    def one(match: re.Match[str]) -> str:
        key, style = match.group(1), match.group(2) or ""
        return shown(values[key], style) if key in values else f"(not set: {key})"

    return _PLACEHOLDER.sub(one, text)


def markdown(rule: Rule, values: dict[str, Any]) -> str:
    """A rule's section of docs/rules.md: heading, text, and the policy keys with their values."""
    def wrap(text: str) -> str:
        return textwrap.fill(text, width=92, break_long_words=False, break_on_hyphens=False)

    lines = [f"### {rule.id} {rule.title}", "", wrap(fill(rule.text, values))]
    keys = keys_of(rule, list(values))
    if keys or rule.keys:
        set_ = [f"`{k}` = {_md_value(values[k])}" for k in keys]
        set_ += [f"`{p}` (none by default)" for p in unmatched(rule, list(values))]
        lines += ["", wrap("Policy: " + "; ".join(set_) + ".")]
    return "\n".join(lines) + "\n"


def _md_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_md_value(v) for v in value) + "]"
    if isinstance(value, str):
        return f'"{value}"'
    return _number(value)
