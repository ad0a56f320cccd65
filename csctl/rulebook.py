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

from .i18n import N_


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
    Group("Z", "Hazardous materials"),
    Group("L", "The ledger and the month"),
    Group("P", "Levels and promotion"),
    Group("H", "Shift handover and the duty log"),
    Group("K", "Keys"),
)

_EVENT = "Recorded by a shift lead or above, never about themselves"

RULES: tuple[Rule, ...] = (
    # ------------------------------------------------------------------ discipline
    Rule(
        "D1", N_("Late arrival or leaving early, short"),
        "Arriving late by {discipline.late_absence_minutes} minutes or less takes {discipline.late_points} "
        "points off the month's score, every time it happens (`csctl log late ID --minutes M`). Leaving "
        "before the end of one's shift (`csctl log early-leave ID --minutes M`), which the rulebook forbids "
        "without naming a figure, is counted the same way, D2 included.",
        ("discipline.late_points", "discipline.late_absence_minutes"),
    ),
    Rule(
        "D2", N_("Late arrival, long: counted as an absence"),
        "A late arrival of more than {discipline.late_absence_minutes} minutes is not a late any more: it "
        "costs what an absence costs, {discipline.absence_points} points, and the report shows it under D2. "
        "It is entered like any late (`csctl log late`); the minutes decide which rule it falls under.",
        ("discipline.late_absence_minutes", "discipline.absence_points"),
    ),
    Rule(
        "D3", N_("Absence"),
        "Each absence, a working day not turned up for (`csctl log absent`), takes {discipline.absence_points} "
        "points.",
        ("discipline.absence_points",),
    ),
    Rule(
        "D4", N_("AWOL: rest nobody approved, or a post left without a swap"),
        "Time off taken without asking beforehand (`csctl log awol`) and walking away from one's post "
        "without a shift swap arranged with a colleague (`csctl log left-post`) are both AWOL, and each "
        "takes {discipline.awol_points} points.",
        ("discipline.awol_points",),
    ),
    Rule(
        "D5", N_("Leave, days off and forgotten sign-ins share a monthly quota"),
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
        "D6", N_("Offline while on duty"),
        "Being on duty but not logged in to the online customer-service client is an offline incident "
        "(`csctl log offline`). The month's count is charged by tiers ({discipline.offline_tiers}); only "
        "the highest tier reached is charged, once. An incident entered with `--excused` and a reason is "
        "listed but not counted.",
        ("discipline.offline_tiers",),
    ),
    Rule(
        "D7", N_("Complaints of slow or missed answers"),
        "A complaint, from a customer or from a colleague, that a business call or an online message was "
        "not answered in time (`csctl log complaint --kind slow`). The month's count is charged by tiers "
        "({discipline.slow_complaint_tiers}); only the highest tier reached is charged, and a count below "
        "the first tier costs nothing. Entering a complaint states that it was looked into and found true.",
        ("discipline.slow_complaint_tiers",),
    ),
    Rule(
        "D8", N_("Customers' complaints of rude service"),
        "A customer's complaint about the person's manner (`csctl log complaint --kind attitude --source "
        "customer`) takes {discipline.attitude_points} off the score per complaint, until the month's count reaches a tier "
        "({discipline.attitude_tiers}); from then on the month is charged the tier's points in all, "
        "instead of per complaint. Only customers' complaints count here: a colleague's complaint about "
        "attitude is refused. Entering a complaint states that it was looked into and found true.",
        ("discipline.attitude_points", "discipline.attitude_tiers"),
    ),
    Rule(
        "D9", N_("The day's work left undone"),
        "Leaving the day's work unfinished without a good reason (`csctl log unfinished --points P`) takes "
        "the points chosen when it is entered, one of {discipline.unfinished_points}; 0 stands for a "
        "spoken reprimand and is still listed in the report. Choosing the points is a supervisor's: a "
        "shift lead may not enter it.",
        ("discipline.unfinished_points",),
    ),
    Rule(
        "D10", N_("Referred to the general manager"),
        "When poor attitude carries on after the person has been corrected, they can be referred to the "
        "general manager (`csctl log refer --reason R`), by a supervisor or above. A referral takes no "
        "points; the month's report marks the person and lists the referral.",
    ),
    # ------------------------------------------------------------------ outcomes
    Rule(
        "O1", N_("Verbal warning"),
        "The month's score starts at {discipline.start} and loses the points of D1-D9; the raw total is "
        "kept, and the score shown stops at 0. A score of {outcomes.warning} or less earns a verbal "
        "warning. The month's scored staff are ranked by the score shown, highest first, equal scores "
        "sharing a place (1, 2, 2, 4); someone active on fewer than {discipline.rank_min_days} days of "
        "the month is scored but not ranked, and the report says why.",
        ("discipline.start", "outcomes.warning", "discipline.rank_min_days"),
    ),
    Rule(
        "O2", N_("Punishment"),
        "A score of {outcomes.punishment} or less earns a punishment, in place of the warning. The "
        "rulebook names no fine, so no money is taken: the outcome is printed beside the pay.",
        ("outcomes.punishment",),
    ),
    Rule(
        "O3", N_("Severe punishment"),
        "A score at or below the warning line ({outcomes.warning}) in {outcomes.severe_months} months "
        "running, this month included, earns a severe punishment, in place of O1 and O2. A month in which "
        "the person was not scored breaks the run.",
        ("outcomes.warning", "outcomes.severe_months"),
    ),
    # ------------------------------------------------------------------ pay
    Rule(
        "C1", N_("Sales and refunds"),
        "Each sale is one row: the day, the seller, the amount in yuan with two decimals, the number of orders "
        "(if not given, 1 for a sale and 0 for a refund), the product and the customer (`csctl sales add`, or the shop's "
        "export with `csctl sales import`). A refund or a return is a negative amount. A shift lead or "
        "above enters sales, never their own, for someone active on that day and never for a day still to "
        "come. Customers' phone numbers are shown masked unless a supervisor or above asks for them "
        "(`--reveal`), and each such look is itself recorded. The ledger stores them masked too, with the "
        "full text sealed under a key kept outside the ledger (privacy.seal_phones, privacy.key_file), so "
        "that a copy of the ledger file alone does not reveal them; revealing one needs that key.",
        ("privacy.seal_phones", "privacy.key_file"),
    ),
    Rule(
        "C2", N_("Commission on sales"),
        "A plan with a `sales_rate` pays that share of the person's net sales in the month (sales less "
        "refunds and returns), with no target to reach: the `sales_2pct` plan, customer service's, pays "
        "{plans.sales_2pct.sales_rate:%}. A month whose refunds outweigh its sales earns 0, never less.",
        ("plans.*.sales_rate",),
    ),
    Rule(
        "C3", N_("Commission per order"),
        "A plan with a `per_order` amount pays it for every order entered against the person in the "
        "month: {plans.orders_logistics.per_order} in logistics and {plans.orders_data.per_order} in data. "
        "Orders shipped or handled are entered as sales of amount 0 with their count "
        "(`csctl sales add L01 --amount 0 --orders 1200`). A returned order is a return (a negative "
        "amount) with a negative count (`--orders -1`); a person's orders in a month never go below 0.",
        ("plans.*.per_order",),
    ),
    Rule(
        "C4", N_("Guaranteed minimum commission"),
        "Where a plan has a floor, commission that falls short of it is topped up to it. Logistics is "
        "guaranteed {plans.orders_logistics.floor}, and {plans.orders_logistics.veteran_floor} once the "
        "person has served {plans.orders_logistics.veteran_months} full months, counted from the hire "
        "date to the first day of the month; a {plans.orders_logistics.veteran_rank} or above gets that "
        "floor from the first month. In a part month the floor is paid by the days active, as C6 says.",
        ("plans.*.floor", "plans.*.veteran_floor", "plans.*.veteran_months", "plans.*.veteran_rank"),
    ),
    Rule(
        "C5", N_("Special commission"),
        "A discretionary amount paid with a reason, for work out of the ordinary (`csctl sales bonus`). "
        "A supervisor or above enters it and it is paid only with the general manager's approval "
        "(`--approved-by`), who was active on its day; neither of them may be the person it pays. "
        "Voiding it needs the general manager too.",
    ),
    Rule(
        "C6", N_("The pay statement"),
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
        "statements are in the language of the `language` key, now `{language}` (`en`, `zh`, or `auto`: the "
        "language csctl speaks, from `--lang` or the locale; `--lang` also overrides `en` and `zh`), headed with "
        "the company, the "
        "department and the currency of the `company` keys.",
        ("pay.allowance", "pay.level_base.*", "pay.rank_base.*", "pay.prorate", "departments.*.base",
         "departments.*.plan", "staff.*.base", "staff.*.plan", "language", "company.name", "company.department",
         "company.currency"),
    ),
    Rule(
        "C7", N_("Team bonus pools"),
        "Once the month's costs are entered (`csctl month costs`, a supervisor or above): gross margin is "
        "sales less sales commission less product cost; net profit is gross margin less per-order "
        "commission, target commission (0 until marketing has a plan for it), marketing spend, after-sales "
        "shipping losses and other costs. The team's target is a third of net profit, paid only if it is "
        "at least the sum of the base salaries of everyone paid that month; it is then shared 40% to the "
        "excellent-staff pool, 40% to the management pool and 20% to the operations pool. These shares "
        "are fixed in csctl, not policy values.",
    ),
    # ------------------------------------------------------------------ hazardous materials
    Rule(
        "Z1", N_("The hazmat register, in exact quantities"),
        "Rat poison, dichlorvos, cockroach bait, alcohol, thinner and any other material the department "
        "adds are kept on the hazmat register (`csctl hazmat add NAME --unit U`), each with its unit: g, "
        "ml, pieces. A quantity is an exact decimal in that unit, more than 0 (a stock-take may count 0), "
        "with at most {hazmat.decimals} decimal places, or the places a unit is given under "
        "`hazmat.unit_decimals` (pieces: {hazmat.unit_decimals.pieces}); anything else is bad input naming "
        "`qty`. csctl keeps quantities as whole thousandths of the unit and prints them as exact decimals "
        "with three places (`12.500`), never as floats. A material stays on the register once added.",
        ("hazmat.decimals", "hazmat.unit_decimals.*"),
    ),
    Rule(
        "Z2", N_("The locked store"),
        "A customer-service shift lead or above puts materials on the register, brings stock into the "
        "department's locked hazmat store (`csctl hazmat stock-in NAME --qty Q`) and counts it there "
        "(`csctl hazmat count`). A material's stock is its stock-ins less its draws plus its returns, and "
        "it never goes below zero at any time: a void of a stock-in or of a return that would take it below "
        "zero is refused until the draws that used it are voided.",
    ),
    Rule(
        "Z3", N_("Draws"),
        "A draw takes out the quantity a job actually needs, with its time, quantity and purpose recorded "
        "(`csctl hazmat draw NAME --qty Q --staff ID --purpose P`). A customer-service shift lead or above "
        "draws on their own authority; anyone else draws only with such a lead named as `--approved-by`, "
        "who approves the draw and issues it in person. The recorder is never taken for the approver, and "
        "nobody approves their own draw; drawer and approver are active that day. Never more than is in "
        "stock: a draw that would take the stock below zero, then or at any later time, is refused.",
    ),
    Rule(
        "Z4", N_("Returns, and draws not closed by the end of their day"),
        "What is not used goes back into the store (`csctl hazmat return DRAW --qty Q --staff ID`), never "
        "more than is still out and never to a closed draw; `csctl hazmat used DRAW` marks the rest used "
        "up. A draw is closed once returned in full or marked used. One that is neither by the end of its "
        "day is flagged: midnight in the zone of the draw's own time or, when `hazmat.cutoff` is earlier "
        "than 24:00 and the draw was made before it, that time of its day (now {hazmat.cutoff}). `csctl "
        "hazmat draws --flagged` lists them as of now, a draw closed late included.",
        ("hazmat.cutoff",),
    ),
    Rule(
        "Z5", N_("No lending without permission"),
        "Only the person who drew a material returns it or marks it used, unless a customer-service shift "
        "lead or above, named with `--approved-by` and never implied by the recorder, approves handing the "
        "draw on to another named, active person (`csctl hazmat lend DRAW --to ID --approved-by LEAD`); "
        "from then on only that person does. The approving lead is neither the one handing it on nor the "
        "one taking it. A return or a use by anyone else, and a hand-on without such a lead, are refused.",
    ),
    Rule(
        "Z6", N_("Anomalies and stock-takes"),
        "A spill, a shortfall or anything unusual is recorded with a note (`csctl hazmat anomaly NAME "
        "--note N`, by anyone on the staff) and listed by month (`csctl hazmat anomalies`). A stock-take "
        "(`csctl hazmat count NAME --qty Q`) records the physical count beside the ledger's balance at that "
        "time and, when the two differ, an anomaly holding both figures. A count does not change the "
        "balance: the difference stays listed for a supervisor to look into.",
    ),
    # ------------------------------------------------------------------ the ledger
    Rule(
        "L1", N_("Nothing is changed or deleted"),
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
        "L2", N_("Closed months"),
        "`csctl month close` (a supervisor or above) stores the month's scores, outcomes, ranks, pay "
        "statements and pools together with the policy version it used. From then on a row dated in that "
        "month is refused, and so is a void or a policy version that would change it, until a manager or "
        "above reopens the month with a reason (`csctl month reopen`). Closing it again stores a new "
        "snapshot beside the old one, which is kept.",
    ),
    Rule(
        "L3", N_("Reproducible months"),
        "The same rows and the same policy always close to the same snapshot, byte for byte.",
    ),
    Rule(
        "L4", N_("Bad input writes nothing"),
        "Input that does not parse, or that names something unknown, is refused with one line naming the "
        "field and what was expected, exit code 2, and nothing is written.",
    ),
    Rule(
        "L5", N_("Corrections that reach later months"),
        "When a closed month is closed again with other scores, every later closed month that read them "
        "(O3 looks back {outcomes.severe_months} months, this one included) is marked stale: its report and "
        "statements say so, in the table and in `--json` (`stale`, and why), and `csctl month status` lists "
        "it, until it is reopened and closed again.",
        ("outcomes.severe_months",),
    ),
    Rule(
        "L6", N_("Authority"),
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
        "L7", N_("One clock"),
        "Every time is read on the department's clock before its day and its month are taken: a time typed "
        "without an offset is in that zone, and one typed with an offset is converted to it, so "
        "`2026-11-01T07:00+08:00` is 31 October on a clock five hours behind. The zone is the policy's "
        "`timezone` (`{timezone}`): `local` is the machine's own; a name such as `Asia/Shanghai` pins it "
        "for every machine that records or reads the ledger, versioned like every policy value.",
        ("timezone",),
    ),
    # ------------------------------------------------------------------ levels and promotion
    Rule(
        "P1", N_("Level changes"),
        "Customer-service levels run probation, junior, intermediate, senior, reserve supervisor. A level "
        "changes from a date (`csctl staff level ID --to LEVEL --from DATE --reason R`), recorded by a "
        "supervisor or above, never for themselves, and a month is paid at the level held on its first day: "
        "a change from the 1st pays that month, one from the 2nd the next. A promotion moves one step and a "
        "demotion one step; skipping a step needs an outstanding contribution, said in the reason, approved "
        "by the general manager (`--approved-by`). The level given when a person is added is their first, "
        "from the hire date; a change is never dated before the hire date, before the person's last level "
        "change, in a closed month or so as to change one.",
    ),
    Rule(
        "P2", N_("Quarterly grades"),
        "Each quarter a supervisor or above grades each scored member A, B, or C for below B (`csctl staff "
        "grade ID --quarter 2026-Q3 --grade A`), one grade a quarter, never their own. A grade is about a "
        "period, not a row of a month: a closed month does not refuse it.",
    ),
    Rule(
        "P3", N_("Titles and probation reviews"),
        "An excellent-staff title (`csctl staff title ID --on DATE`) and the probation review of a member on "
        "probation (`csctl staff probation ID --passed|--failed --on DATE`) are recorded with their date by "
        "a supervisor or above, for scored members, never for themselves; a closed month does not refuse "
        "them.",
    ),
    Rule(
        "P4", N_("Promotion due"),
        "`csctl review` reads closed months only, as of the end of one (the last closed, or `--as-of`). Top "
        "three over N months means: the N months ending with it all closed, and the person's mean monthly "
        "score over them ranked, like a month's score (ties share), among everyone scored in every one of "
        "them, at 3 or better. Probation to junior: the latest probation review passed. Junior to "
        "intermediate: top three over 3 months, an A for the quarter ending in them, 3 full months of "
        "service. Intermediate to senior: one excellent-staff title, top three over 6 months, A for both "
        "quarters ending in them, 6 months of service. Senior to reserve supervisor: three titles, top "
        "three over 12 months, three A among the four quarters ending in them, 12 months of service. Titles "
        "count from the start of a career. These numbers are doc 14's, fixed in csctl, not policy values.",
    ),
    Rule(
        "P5", N_("Demotion watch"),
        "An intermediate who, since the level began (from the first month whose first day they held it), "
        "is out of the monthly top three three consecutive closed months, or has B for two consecutive "
        "quarters, or one C; a senior who, in the first twelve months at the level, is out of the top three "
        "in three of them, or has two B, or one C. Either is listed by `csctl review` for one step down, "
        "with the months and the rows (closes, grades) behind it. A month not closed, or not scored in, "
        "breaks a run.",
    ),
    Rule(
        "P6", N_("Dismissal watch"),
        "A probation or junior member at or below the warning line (O1) three consecutive closed months "
        "since the level began is listed by `csctl review` as one the company may dismiss, with the months "
        "and their closes.",
    ),
    # ------------------------------------------------------------------ handover and duty
    Rule(
        "H1", N_("The handover form"),
        "A shift handover records the day, the shift, the outgoing and the incoming person, notes on "
        "unfinished work, and a checklist of the policy's items. Each item ({handover.items}) is marked ok "
        "(✓) or bad (×) when the handover is opened (`csctl handover open --item NAME=ok` or `--item NAME=bad:REMARK`); a bad "
        "item needs a remark saying what is wrong, and an item left unmarked is recorded as not checked "
        "and listed with the handover. A shift has one handover a day. `csctl handover show` prints it as "
        "the paper form.",
        ("handover.items",),
    ),
    Rule(
        "H2", N_("Handing over and taking over"),
        "The outgoing person opens the handover, or a shift lead or above records it for them; the "
        "outgoing and the incoming person are two people, both active that day. Only the incoming person "
        "answers it, once: they accept it (`csctl handover accept`), or refuse it with a reason, such as "
        "unfinished work or questions left unanswered (`csctl handover refuse --reason`). A refused "
        "handover stays open and is listed for the supervisor; the incoming person may still accept it "
        "once things are put right, and until then the outgoing person is still on duty.",
    ),
    Rule(
        "H3", N_("The day's book is signed"),
        "A shift lead or above, active that day, reviews and signs off each day's handovers, once "
        "(`csctl handover review DATE`). A day with a handover not accepted is signed off only with a "
        "note saying what is left open (`--note`). `csctl handover list --open` lists the days not "
        "signed off, with every handover not accepted.",
    ),
    Rule(
        "H4", N_("Shifts, and the handovers with security"),
        "A handover names one of the policy's shifts, and its outgoing and incoming person are of the "
        "departments the shift gives. In customer service the early shift hands over to the middle shift. "
        "At {handover.shifts.day.at} the security control room hands the night over to customer service "
        "(`day`), carrying the complaints and requests customers made after hours (`--carry`), each "
        "listed until it is resolved (`csctl handover resolve`); at {handover.shifts.night.at} customer "
        "service hands the book to security (`night`).",
        ("handover.shifts.*.at", "handover.shifts.*.from", "handover.shifts.*.to"),
    ),
    Rule(
        "H5", N_("The duty log"),
        "The person on duty records when the duty starts and ends (`csctl duty start`, `csctl duty "
        "end`; an end without a start is refused) and notes what happened and how it was handled "
        "(`csctl duty note`), or a shift lead or above records it for them. A major incident (`--major`) "
        "needs a written report (`csctl duty report`), due {duty.report_days} day(s) after the "
        "incident's day at the latest; it is listed as overdue after that. Only a major incident has a report, and only one.",
        ("duty.report_days",),
    ),
    Rule(
        "H6", N_("Duty swaps"),
        "Someone who cannot take their post arranges a swap with a colleague before the day begins, "
        "approved by the customer-service manager (`csctl duty swap ID --with ID2 --on DATE "
        "--approved-by MGR`); a swap with oneself, one recorded once the day has started and one without "
        "the manager's approval are refused. Leaving the post without a swap is AWOL (D4); a `csctl log "
        "left-post` for the person who swapped, on the day of the swap, is refused naming the swap.",
    ),
    # ------------------------------------------------------------------ keys
    Rule(
        "K1", N_("The key register"),
        "Every key is on the register (`csctl keys add CODE --label L --category C`): its code, what it "
        "opens, and its category: office, storeroom, equipment_room, fire_exit, gate, unit or area (the "
        "shift keys, K8). A tenant's key held in trust is registered sealed (`--sealed`). A key is always "
        "in one state: in, out, sealed, lost or retired, as its rows leave it (`csctl keys list`), and it "
        "never leaves the register. A key's rows are recorded in the order they happened: none is dated "
        "before the key's latest.",
    ),
    Rule(
        "K2", N_("Borrowing a key"),
        "A key that is in is lent (`csctl keys borrow`) to someone active that day, for a purpose, with "
        "the approval of the head of the borrower's department: a supervisor or above of that department, "
        "never the borrower. A contractor never borrows a key: an engineering member borrows it for them "
        "and names them (`--for`). A key that is out is not lent again until it is back.",
    ),
    Rule(
        "K3", N_("Returning a key"),
        "Whoever borrowed a key returns it (`csctl keys return`), and a keeper takes it back: an active "
        "customer-service or security member other than the one returning it; the time is recorded. A "
        "key that is not out is not returned, and a key is never handed on to another person; the one "
        "exception is the shift keys (K8).",
    ),
    Rule(
        "K4", N_("Equipment rooms"),
        "Customer-service staff below shift lead do not open an equipment room. The special case is a "
        "manager's approval with a reason (`--special-approval MGR --reason R` on `csctl keys borrow`), "
        "from a manager or above other than the borrower and the loan's approver.",
    ),
    Rule(
        "K5", N_("Sealed custody keys"),
        "A tenant's key held in trust stays sealed and is opened (`csctl keys open-sealed`) in one of two "
        "ways only. In an emergency, when the tenant cannot be reached or cannot come: the reason, the "
        "approval of the customer-service manager and of the general manager, and three witnesses present, "
        "two of customer service and a security guard, all of them active that day and different people "
        "from each other and from the one opening it. When the tenant forgot or lost their key: their written application, "
        "who at the unit confirmed it, and the customer-service manager's approval; the opening then awaits "
        "its paperwork until the application, stamped by the tenant and signed by whoever used the key, is "
        "on file (`csctl keys paperwork`). Anything less is refused. Every opening is recorded and the key "
        "is sealed again afterwards (`csctl keys reseal`).",
    ),
    Rule(
        "K6", N_("Lost, damaged, found, replaced"),
        "A lost or damaged key is reported at once with what happened (`csctl keys lost`) and can no longer "
        "be lent. A key found lying about is handed to security and recorded as found (`csctl keys found`); "
        "it goes back where it rests. A loss and a find are recorded by a key keeper or a security member. "
        "A lock change, approved by a security member, retires the old key and registers its replacement "
        "(`csctl keys replace`).",
    ),
    Rule(
        "K7", N_("Due back, and the daily check"),
        "A key is due back when its borrower says (`--due`), else at {keys.due_time} on the day it was "
        "borrowed (24:00 is the end of that day): keys are never taken home. A key still out after its "
        "due time is overdue (`csctl keys out --overdue`). The daily check (`csctl keys check`), recorded "
        "by a customer-service or security member, notes the cause found for each key not back "
        "(`--cause CODE=TEXT`); a day's check is complete when every overdue key has a cause, and it says "
        "which still lack one. A stock-take (`csctl keys audit`) compares the board with the ledger; a key "
        "no stock-take has counted for more than {keys.audit_max_days} days is flagged.",
        ("keys.due_time", "keys.audit_max_days"),
    ),
    Rule(
        "K8", N_("Shift keys"),
        "The {keys.shift_from} shift collects the area keys from the control room (`csctl keys borrow`) "
        "and hands them, once, to the {keys.shift_to} shift (`csctl keys hand-on`), which returns them to "
        "the control room at the end of its shift, where they are counted back in. No other key is handed "
        "on (K3). The keys pass only through that day's handover of the {keys.shift_from} shift (H1, H2), "
        "accepted by the incoming person, between the same two people, with its keys item marked ok; the "
        "hand-on names that handover.",
        ("keys.shift_from", "keys.shift_to"),
    ),
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

COMING = "keys (K), shift handover and duty log (H), levels and promotion (P)"
COMING = "shift handover and duty log (H), hazardous materials (Z), levels and promotion (P)"


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
