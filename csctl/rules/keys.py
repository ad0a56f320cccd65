"""Keys (K1-K8): a key's state, replayed from its rows, and every decision about a key.

Pure: the caller hands in the key as it stands, the people (staff records of the day) and
the times; each check returns a refusal naming its rule (RuleViolation), an InputError for a
fact that is wrong, or None. Approvers, witnesses and keepers are checked through
rules/authority.py, so their refusals read like every other noun's.

Times are the events' own: a day is taken in the zone the time was given in, and "overdue"
compares a key's due time with the moment the caller passes as now.
"""

from __future__ import annotations

from ..i18n import N_, _, pgettext, tr

from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import NamedTuple

from ..errors import CsctlError, InputError, RuleViolation
from ..models import Staff
from . import authority

WITNESS_ROLES = (N_("the first witness"), N_("the second witness"), N_("the third witness"))

# K1
CATEGORIES = ("office", "storeroom", "equipment_room", "fire_exit", "gate", "unit", "area")
STATES = ("in", "out", "sealed", "lost", "retired")
BOARD, SEALED = "board", "sealed"  # where a key rests when nobody has it

CUSTOMER_SERVICE, SECURITY, ENGINEERING = "customer_service", "security", "engineering"
KEEPERS = (CUSTOMER_SERVICE, SECURITY)  # K3: who receives a key back; K6: who records a loss or a find
EQUIPMENT_ROOM = "equipment_room"  # K4
SHIFT_KEYS = "area"  # K8: the area keys the early shift collects
EMERGENCY, TENANT_LOST = "emergency", "tenant_lost"  # K5's two ways of opening a sealed key


class Key(NamedTuple):
    """A key as its rows leave it."""

    code: str
    label: str
    category: str
    kept: str  # board | sealed
    registered: datetime
    state: str = "in"
    holder: str | None = None  # who has it, while it is out
    since: datetime | None = None  # since when they have it
    due: datetime | None = None  # K7
    opened: bool = False  # out through an opening of a sealed key (K5)
    handed_on: bool = False  # K8: passed from the early shift to the middle shift
    contractor: str | None = None  # K2: borrowed on a contractor's behalf
    last: datetime | None = None  # its latest row: a new row is never earlier
    replaced_by: str | None = None  # K6
    awaiting: tuple[int, ...] = ()  # K5 (b): openings whose stamped application is not filed yet

    @property
    def resting(self) -> str:
        """The state it returns to when nobody has it."""
        return SEALED if self.kept == SEALED else "in"

    def overdue(self, now: datetime) -> bool:
        """K7: out past its due time."""
        return self.state == "out" and self.due is not None and now > self.due

    def described(self) -> str:
        """Its state in words, for a refusal: "out with S01 since 2026-10-03T09:10:00+08:00"."""
        if self.state == "out":
            return _("out with {holder} since {since}").format(
                holder=self.holder, since=self.since.isoformat() if self.since else "?")
        if self.state == "retired":
            return _("retired (replaced by {code})").format(code=self.replaced_by)
        return {"in": pgettext("key state", "in"), "sealed": pgettext("key state", "sealed"),
                "lost": pgettext("key state", "lost")}.get(self.state, self.state)


def registered(code: str, label: str, category: str, kept: str, at: datetime) -> Key:
    """K1: a key as registered, resting where it is kept: on the board (in) or sealed."""
    return Key(code, label, category, kept, at, state=SEALED if kept == SEALED else "in")


class Row(NamedTuple):
    """One live row of key_events, as the replay reads it."""

    id: int
    kind: str
    code: str
    at: datetime
    staff: str | None = None
    due: datetime | None = None
    contractor: str | None = None
    new_code: str | None = None
    mode: str | None = None
    ref: int | None = None


def _at_rest(key: Key) -> Key:
    return key._replace(state=key.resting, holder=None, since=None, due=None, opened=False,
                        handed_on=False, contractor=None)


def after(key: Key, row: Row) -> Key:
    """The key once `row` has happened to it. A return or hand-on of a key that is not out (its
    borrow was voided since) changes nothing."""
    key = key._replace(last=row.at)
    if row.kind in ("borrow", "open"):
        awaiting = key.awaiting + ((row.id,) if row.mode == TENANT_LOST else ())
        return key._replace(state="out", holder=row.staff, since=row.at, due=row.due,
                            opened=row.kind == "open", handed_on=False, contractor=row.contractor, awaiting=awaiting)
    if row.kind == "paperwork":
        return key._replace(awaiting=tuple(i for i in key.awaiting if i != row.ref))
    if row.kind == "hand_on":
        return key._replace(holder=row.staff, since=row.at, handed_on=True) if key.state == "out" else key
    if row.kind in ("return", "reseal"):
        return _at_rest(key) if key.state == "out" else key
    if row.kind == "found":
        return _at_rest(key)
    if row.kind == "lost":
        return _at_rest(key)._replace(state="lost")
    if row.kind == "retire":
        return _at_rest(key)._replace(state="retired", replaced_by=row.new_code)
    return key  # a cause: a record about the key, not a move


def replay(keys: Iterable[Key], rows: Iterable[Row], until: datetime | None = None) -> dict[str, Key]:
    """Every key as its live rows leave it, taken in the order they were recorded (which is
    each key's time order: `in_time`); with `until`, as they stood at that moment."""
    state = {k.code: k for k in keys if until is None or k.registered <= until}
    for row in rows:
        if row.code in state and (until is None or row.at <= until):
            state[row.code] = after(state[row.code], row)
    return state


# ----------------------------------------------------------------------------- times
def in_time(key: Key, at: datetime) -> InputError | None:
    """A row about a key is dated neither before the key was registered nor before its latest
    row: a key's rows are recorded in the order they happened."""
    if at < key.registered:
        return InputError("at", _("{isoformat} is before {code} was registered ({isoformat2})").format(isoformat=at.isoformat(), code=key.code, isoformat2=key.registered.isoformat()))
    if key.last is not None and at < key.last:
        return InputError("at", _("{isoformat} is before {code}'s latest recorded row ({isoformat2}); a key's rows are recorded in the order they happened").format(isoformat=at.isoformat(), code=key.code, isoformat2=key.last.isoformat()))
    return None


def default_due(at: datetime, due_minutes: int) -> datetime:
    """K7: when a key borrowed at `at` is due back by default: `due_minutes` after the
    borrowing day's midnight, in the zone `at` was given in (1440: the end of that day)."""
    return at.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(minutes=due_minutes)


def check_due(at: datetime, due: datetime) -> InputError | None:
    if due <= at:
        return InputError("due", _("{isoformat} is not after the borrowing ({isoformat2})").format(isoformat=due.isoformat(), isoformat2=at.isoformat()))
    return None


# ----------------------------------------------------------------------------- K2, K4: borrowing
def _not_available(key: Key) -> RuleViolation | None:
    """A key that cannot be taken as it stands: lost or retired (K6), sealed (K5), out (K2)."""
    if key.state in ("lost", "retired"):
        hint = _("its replacement is {code}").format(code=key.replaced_by) if key.state == "retired" else \
            _("it is found (`csctl keys found`) or replaced (`csctl keys replace`) first")
        return RuleViolation("K6", _("{code} is {state}; {hint}").format(code=key.code, state=key.state, hint=hint))
    if key.state == SEALED:
        return RuleViolation("K5", _("{code} is a sealed custody key; it is opened only with `csctl keys open-sealed`").format(code=key.code))
    if key.state == "out":
        return RuleViolation("K2", _("{code} is {described}; it cannot be borrowed again until it is returned").format(code=key.code, described=key.described()))
    return None


def check_borrow(key: Key, *, borrower: Staff, approver: Staff | None, day: date, contractor: str | None = None,
                 special: Staff | None = None, special_reason: str | None = None) -> RuleViolation | None:
    """K2: a key that is in, borrowed by someone active, for a contractor only by an
    engineering member, approved by the head of the borrower's department (supervisor or
    above, not the borrower). K4: an equipment room's key to customer-service staff below
    shift lead only with a manager's special approval and a reason."""
    refused = authority.first(
        _not_available(key),
        authority.active_on(borrower, day, N_("the borrower"), "K2"),
        authority.in_department(borrower, (ENGINEERING,), f"whoever borrows a key for a contractor ({contractor})",
                                "K2") if contractor is not None else None,
    )
    if refused is not None:
        return refused
    if approver is None:
        return RuleViolation("K2", _("a key is lent only with the approval of the head of the borrower's department, "
                                   "a supervisor or above (--approved-by)"))
    role = N_("the approver of a key loan")
    return authority.first(
        authority.active_on(approver, day, role, "K2"),
        authority.not_self(approver, borrower, N_("approves a key loan to"), "K2"),
        authority.in_department(approver, (borrower.dept,), role, "K2"),
        authority.rank_at_least(approver, "supervisor", N_("approving a key loan"), "K2"),
        _equipment_room(key, borrower, approver, special, special_reason, day),
    )


def _equipment_room(key: Key, borrower: Staff, approver: Staff, special: Staff | None, reason: str | None,
                    day: date) -> RuleViolation | None:
    """K4 (doc 3 C2): an equipment room is not opened by customer-service staff below shift
    lead; the special case is a manager's approval with a reason. A special approval given
    when none was needed is checked all the same: it is recorded."""
    needed = key.category == EQUIPMENT_ROOM and borrower.dept == CUSTOMER_SERVICE and not borrower.at_least("shift_lead")
    if special is None:
        if needed:
            return RuleViolation("K4", _("{code} opens an equipment room, which customer-service staff below shift lead do not open ({id}); only with a manager's special approval and a reason (--special-approval MGR --reason R)").format(code=key.code, id=borrower.id))
        return None
    if reason is None:
        return RuleViolation("K4", _("a special approval to open an equipment room records why (--reason)"))
    role = N_("the manager giving a special approval")
    return authority.first(
        authority.active_on(special, day, role, "K4"),
        authority.not_self(special, borrower, N_("gives a special approval to"), "K4"),
        authority.rank_at_least(special, "manager", N_("a special approval to open an equipment room"), "K4"),
        authority.distinct([(N_("the approver of the loan"), approver), (N_("the manager giving the special approval"), special)],
                           "K4"),
    )


# ----------------------------------------------------------------------------- K3, K8: back and on
def check_return(key: Key, *, returner: Staff, keeper: Staff, day: date) -> RuleViolation | None:
    """K3: a key that is out comes back from whoever has it (its borrower, or for a shift key
    the shift it was handed on to, K8) and is received by a keeper: an active
    customer-service or security member other than the one returning it."""
    if key.state != "out":
        return RuleViolation("K3", _("{code} is {described}; only a key that is out is returned").format(code=key.code, described=key.described()))
    if key.opened:
        return RuleViolation("K5", _("{code} is an opened sealed key; it goes back with `csctl keys reseal`").format(code=key.code))
    if returner.id != key.holder:
        return RuleViolation("K3", _("{code} is held by {holder}; whoever has a key returns it, and a key is never handed on to another person ({id})").format(code=key.code, holder=key.holder, id=returner.id))
    role = N_("the keeper receiving a key")
    return authority.first(
        authority.active_on(keeper, day, role, "K3"),
        authority.in_department(keeper, KEEPERS, role, "K3"),
        authority.not_self(keeper, returner, N_("receives a key back from"), "K3"),
    )


class HandedOver(NamedTuple):
    """The accepted handover a shift key's hand-on goes through (K8, H2): its id, who handed
    the shift over and who took it, and how its `keys` item was marked."""

    id: int
    from_staff: str
    to_staff: str
    keys_mark: str | None


def check_hand_on(key: Key, *, giver: Staff, receiver: Staff, shift: str, shift_from: str, shift_to: str,
                  day: date, handover: HandedOver | None) -> RuleViolation | None:
    """K8: a shift (area) key out with the `shift_from` shift passes once to the `shift_to`
    shift, which returns it, and only through that day's handover of the shift, accepted by
    the incoming person, between the same two people, with its keys item marked ok; K3
    forbids handing on any other key."""
    if key.category != SHIFT_KEYS:
        return RuleViolation("K3", _("{code} is not a shift key ({category}); a key is never handed on to another person (only area keys pass from the {shift_from} shift to the {shift_to} shift, K8)").format(code=key.code, category=key.category, shift_from=shift_from, shift_to=shift_to))
    if key.state != "out":
        return RuleViolation("K8", _("{code} is {described}; a shift key is handed on while the {shift_from} shift has it out").format(code=key.code, described=key.described(), shift_from=shift_from))
    if key.holder != giver.id:
        return RuleViolation("K3", _("{code} is held by {holder}, not {id}; only whoever has a key hands it on").format(code=key.code, holder=key.holder, id=giver.id))
    if key.handed_on:
        return RuleViolation("K8", _("{code} was handed on to {holder} already; the {shift_to} shift returns it to the control room").format(code=key.code, holder=key.holder, shift_to=shift_to))
    if shift != shift_from:
        return RuleViolation("K8", _("shift keys pass from the {shift_from} shift to the {shift_to} shift only; the {shift} shift does not hand them on").format(shift_from=shift_from, shift_to=shift_to, shift=shift))
    refused = authority.first(
        authority.active_on(receiver, day, _("the {shift} shift member").format(shift=shift_to), "K8"),
        authority.distinct([(_("the {shift} shift handing on").format(shift=shift_from), giver), (_("the {shift} shift taking over").format(shift=shift_to),
                                                                          receiver)], "K8"),
    )
    if refused:
        return refused
    if handover is None:
        return RuleViolation("K8", _("no handover of the {shift_from} shift on {day} was accepted: shift keys pass only through one (`csctl handover open --shift {shift_from} --from {id} --to {id2} --item keys=ok`, then `csctl handover accept`)").format(shift_from=shift_from, day=day, id=giver.id, id2=receiver.id))
    if (handover.from_staff, handover.to_staff) != (giver.id, receiver.id):
        return RuleViolation("K8", _("the {shift_from} shift's handover of {day} (#{id}) is from {from_staff} to {to_staff}, not from {id2} to {id3}").format(shift_from=shift_from, day=day, id=handover.id, from_staff=handover.from_staff, to_staff=handover.to_staff, id2=giver.id, id3=receiver.id))
    if handover.keys_mark != "ok":
        marked = (_("the keys item of handover #{id} is marked {mark}: the keys are counted ok at the handover") if handover.keys_mark else
                  _("the keys item of handover #{id} is not marked at all: the keys are counted ok at the handover"))
        return RuleViolation("K8", marked.format(id=handover.id, mark=handover.keys_mark))
    return None


class ShiftCount(NamedTuple):
    """K8: the shift keys a person handed back to the control room against those they held."""

    returned: int
    held: int
    still_out: tuple[str, ...]


def shift_count(keys: Mapping[str, Key], returner: str, returned: Collection[str]) -> ShiftCount | None:
    """The count checked when shift keys come back to the control room (doc 9 §1.1.2); None
    when no shift key was among them."""
    held = sorted(k.code for k in keys.values()
                  if k.state == "out" and k.holder == returner and k.category == SHIFT_KEYS)
    back = [c for c in held if c in returned]
    if not back:
        return None
    return ShiftCount(len(back), len(held), tuple(c for c in held if c not in returned))


# ----------------------------------------------------------------------------- K6: lost, found, replaced
def check_lost(key: Key, *, recorder: Staff) -> RuleViolation | None:
    """K6: a key in, out or sealed is reported lost (or damaged), recorded by a key keeper or a
    security member."""
    if key.state in ("lost", "retired"):
        return RuleViolation("K6", _("{code} is {described} already").format(code=key.code, described=key.described()))
    return authority.in_department(recorder, KEEPERS, N_("whoever records a lost key"), "K6")


def check_found(key: Key, *, recorder: Staff) -> RuleViolation | None:
    """K6: a key reported lost, or one out and found lying about, is handed to security and
    recorded as found by a key keeper or a security member; it goes back where it rests."""
    if key.state not in ("lost", "out"):
        return RuleViolation("K6", _("{code} is {described}; only a key reported lost or one that is out is found").format(code=key.code, described=key.described()))
    return authority.in_department(recorder, KEEPERS, N_("whoever records a found key"), "K6")


def check_replace(key: Key, *, approver: Staff, day: date) -> RuleViolation | None:
    """K6: a lock change, approved by security, retires the key (in, sealed, or lost) and
    registers its replacement; a key that is out comes back or is reported lost first."""
    if key.state == "out":
        return RuleViolation("K6", _("{code} is {described}; it is returned or reported lost before its lock is changed").format(code=key.code, described=key.described()))
    if key.state == "retired":
        return RuleViolation("K6", _("{code} is {described} already").format(code=key.code, described=key.described()))
    role = N_("the approver of a lock change")
    return authority.first(authority.active_on(approver, day, role, "K6"),
                           authority.in_department(approver, (SECURITY,), role, "K6"))


# ----------------------------------------------------------------------------- K5: sealed custody keys
def check_open(key: Key, *, mode: str | None, opener: Staff, approvers: list[Staff], witnesses: list[Staff],
               reason: str | None, application: str | None, confirmed_with: str | None,
               day: date) -> RuleViolation | None:
    """K5 (doc 3 A): a sealed custody key is opened either (a) in an emergency, with the
    reason, the approval of the customer-service manager and the general manager, and two
    customer-service staff and a security guard present, all distinct; or (b) when the
    tenant forgot or lost their key, with the written application, who at the unit confirmed
    it, and the customer-service manager's approval. Anything less is refused."""
    if key.kept != SEALED:
        return RuleViolation("K5", _("{code} is not a sealed custody key; it is borrowed with `csctl keys borrow`").format(code=key.code))
    if key.state != SEALED:
        rule = "K6" if key.state in ("lost", "retired") else "K5"
        return RuleViolation(rule, _("{code} is {described}; only a key that is sealed is opened").format(code=key.code, described=key.described()))
    if mode is None:
        return RuleViolation("K5", _("{code} is opened only in an emergency (--emergency, two approvals, three witnesses, --reason) or when the tenant lost their key (--tenant-lost, --application, --confirmed-with, --approved-by)").format(code=key.code))
    opening = [(N_("the one opening it"), opener)]
    if mode == TENANT_LOST:
        if application is None:
            return RuleViolation("K5", _("opening for a tenant who lost their key needs their written application "
                                       "(--application REF)"))
        if confirmed_with is None:
            return RuleViolation("K5", _("opening for a tenant who lost their key needs who at the unit confirmed it "
                                       "(--confirmed-with NAME)"))
        if len(approvers) != 1:
            return RuleViolation("K5", _("opening for a tenant who lost their key needs the approval of the "
                                       "customer-service manager, once (--approved-by MGR)"))
        return authority.first(*_present(opening + [(N_("the approving manager"), approvers[0])], day),
                               _cs_manager(approvers[0], "K5"))
    if reason is None:
        return RuleViolation("K5", _("an emergency opening records why the tenant cannot be reached or cannot come "
                                   "(--reason)"))
    if len(approvers) != 2:
        return RuleViolation("K5", _("an emergency opening needs the approval of the customer-service manager and the "
                                   "general manager (--approved-by MGR --approved-by GM)"))
    manager, general = in_order(approvers)
    if len(witnesses) != 3:
        return RuleViolation("K5", _("an emergency opening needs three witnesses present: two customer-service staff and "
                                   "a security guard (--witness three times)"))
    people = opening + [(N_("the approving manager"), manager), (N_("the approving general manager"), general)] + [
        (tr(nth), w) for nth, w in zip(WITNESS_ROLES, witnesses)]
    guard = next((i for i, w in enumerate(witnesses) if w.dept == SECURITY), len(witnesses) - 1)
    return authority.first(
        *_present(people, day),
        _cs_manager(manager, "K5"),
        authority.rank_is(general, "general_manager", N_("the second approver of an emergency opening"), "K5"),
        authority.in_department(witnesses[guard], (SECURITY,), N_("one witness (the security guard)"), "K5"),
        *(authority.in_department(w, (CUSTOMER_SERVICE,), N_("two of the witnesses"), "K5")
          for i, w in enumerate(witnesses) if i != guard),
    )


def in_order(approvers: list[Staff]) -> list[Staff]:
    """An emergency opening's two approvers as the rule names them: the customer-service
    manager, then the general manager, in whichever order they were given."""
    if len(approvers) == 2 and approvers[0].rank == "general_manager":
        return approvers[::-1]
    return approvers


def _cs_manager(who: Staff, rule: str) -> RuleViolation | None:
    role = N_("the customer-service manager approving the opening")
    return authority.first(authority.in_department(who, (CUSTOMER_SERVICE,), role, rule),
                           authority.rank_is(who, "manager", N_("the approver of an opening"), rule))


def _present(people: list[tuple[str, Staff]], day: date) -> list[RuleViolation | None]:
    """Everyone taking part is a distinct person, active on the day."""
    return [authority.distinct(people, "K5"), *(authority.active_on(p, day, role, "K5") for role, p in people)]


def check_reseal(key: Key) -> RuleViolation | None:
    """K5: an opened sealed key is sealed again afterwards."""
    if key.state == "out" and key.opened:
        return None
    return RuleViolation("K5", _("{code} is {described}; only an opened sealed key is re-sealed").format(code=key.code, described=key.described()))


def paperwork(mode: str | None, filed: bool) -> str:
    """K5 (b): an opening for a tenant who lost their key awaits the stamped application until
    it is filed; an emergency opening has none."""
    if mode != TENANT_LOST:
        return "none"
    return "filed" if filed else "awaiting"


def check_paperwork(opening_id: int, opening: Mapping | None, filed_by: int | None) -> InputError | None:
    """K5 (b): the paperwork of a live tenant-lost opening, filed once."""
    if opening is None or opening["kind"] != "open":
        return InputError("opening", _("there is no opening of a sealed key #{opening_id} (see `csctl keys history CODE`)").format(opening_id=opening_id))
    if opening["voided_by"] is not None:
        return InputError("opening", _("opening #{opening_id} was voided by #{voided_by}").format(opening_id=opening_id, voided_by=opening['voided_by']))
    if opening["mode"] != TENANT_LOST:
        return InputError("opening", _("opening #{opening_id} was an emergency opening; it has no application to file").format(opening_id=opening_id))
    if filed_by is not None:
        return InputError("opening", _("the application of opening #{opening_id} was filed already (#{filed_by})").format(opening_id=opening_id, filed_by=filed_by))
    return None


# ----------------------------------------------------------------------------- K7: the daily check
class Check(NamedTuple):
    """The day's check of the keys not returned (doc 3 B4, doc 9 §1.2.4)."""

    day: date
    out: tuple[Key, ...]
    overdue: tuple[Key, ...]
    missing: tuple[str, ...]  # overdue keys with no cause found yet that day

    @property
    def complete(self) -> bool:
        return not self.missing


def daily_check(keys: Mapping[str, Key], at: datetime, causes: Mapping[str, str],
                explained: Collection[str]) -> Check | CsctlError:
    """K7: the keys out at `at`, those past their due time, and which overdue keys have no
    cause yet, counting `causes` given now and `explained` (codes with a cause recorded
    earlier that day). A cause is for a key that is out."""
    for code in causes:
        if code not in keys:
            return InputError("cause", _("{code} is not on the key register (see `csctl keys list`)").format(code=code))
        if keys[code].state != "out":
            return InputError("cause", _("{code} is {described}; a cause is recorded for a key not returned").format(code=code, described=keys[code].described()))
    out = tuple(sorted((k for k in keys.values() if k.state == "out"), key=lambda k: k.code))
    overdue = tuple(k for k in out if k.overdue(at))
    missing = tuple(k.code for k in overdue if k.code not in causes and k.code not in explained)
    return Check(at.date(), out, overdue, missing)


# ----------------------------------------------------------------------------- stock-take
class Findings(NamedTuple):
    """What a stock-take found on the board against the ledger."""

    missing: tuple[str, ...]  # in or sealed by the ledger, not on the board
    out: tuple[str, ...]  # on the board, out by the ledger
    lost: tuple[str, ...]  # on the board, lost or retired by the ledger
    unknown: tuple[str, ...]  # on the board, not on the register


def audit(keys: Mapping[str, Key], present: Collection[str]) -> Findings:
    here = set(present)
    return Findings(
        missing=tuple(sorted(k.code for k in keys.values() if k.state in ("in", SEALED) and k.code not in here)),
        out=tuple(sorted(c for c in here if c in keys and keys[c].state == "out")),
        lost=tuple(sorted(c for c in here if c in keys and keys[c].state in ("lost", "retired"))),
        unknown=tuple(sorted(c for c in here if c not in keys)),
    )


def last_audited(key: Key, audits: Iterable[datetime]) -> datetime | None:
    """The latest stock-take since the key was registered."""
    return max((a for a in audits if a >= key.registered), default=None)


def audit_due(key: Key, audited: datetime | None, now: datetime, max_days: int) -> bool:
    """No stock-take has counted the key for more than `max_days` (counting from its
    registration while none has)."""
    return now - (audited or key.registered) > timedelta(days=max_days)
