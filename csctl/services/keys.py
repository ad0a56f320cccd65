"""Keys (K1-K8): the key cabinet. Register keys, lend them and take them back, hand shift
keys on, open sealed custody keys, report losses and lock changes, the daily check of what
is not back, stock-takes, and each key's history.

Every write reads the keys as their live rows leave them (rules/keys.py `replay`) inside its
transaction, so two keepers at two terminals cannot lend the same key twice.
"""

from __future__ import annotations

from ..i18n import N_, _

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from .. import parse, tables
from ..errors import CsctlError, InputError, RuleViolation
from ..ledger.queries import keys as queries
from ..models import Month
from ..parse import shown
from ..policy import Keys as KeyPolicy
from ..rules import authority
from ..rules.keys import (CATEGORIES, EMERGENCY, KEEPERS, SEALED, SHIFT_KEYS, STATES, TENANT_LOST, HandedOver, Key, Row,
                          audit,
                          audit_due, check_borrow, check_due, check_found, check_hand_on, check_lost, check_open,
                          check_paperwork, check_replace, check_reseal, check_return, daily_check, default_due,
                          in_order, in_time, last_audited, paperwork, registered, replay,
                          shift_count)
from ..suggest import did_you_mean
from . import Session, jsonable

EVENTS = "key_events"


# ----------------------------------------------------------------------------- reading the keys
def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _registered(r: Any) -> Key:
    return registered(r["code"], r["label"], r["category"], r["kept"], datetime.fromisoformat(r["at"]))


def _row(r: Any) -> Row:
    return Row(id=r["id"], kind=r["kind"], code=r["code"], at=datetime.fromisoformat(r["at"]), staff=r["staff"],
               due=_time(r["due"]), contractor=r["contractor"], new_code=r["new_code"], mode=r["mode"], ref=r["ref"])


def all_keys(s: Session, until: datetime | None = None) -> dict[str, Key]:
    """Every key as its live rows leave it (as they stood at `until`, if given)."""
    return replay(map(_registered, queries.registered(s.ledger)), map(_row, queries.live_events(s.ledger)), until)


def returned_keys(s: Session, codes: list[str]) -> dict[str, Key]:
    """The keys a return names and every shift key (for K8's count), as their live rows leave
    them: a key's state is its own rows', so the other keys' history is not read (on a ledger
    of years, thousands of rows on every return). A code not on the register is left out."""
    return replay(map(_registered, queries.registered_of(s.ledger, codes, SHIFT_KEYS)),
                  map(_row, queries.live_events_of(s.ledger, codes, SHIFT_KEYS)))


def one_key(s: Session, code: str, field: str = "code") -> Key:
    """A key by its code as typed; a code not on the register is bad input."""
    wanted = parse.key_code(code, field)
    found = replay(map(_registered, queries.registered(s.ledger, wanted)),
                   map(_row, queries.live_events(s.ledger, wanted)))
    if wanted not in found:
        raise _unknown(wanted, field, queries.codes(s.ledger))
    return found[wanted]


def _known(keys: dict[str, Key], code: str, field: str = "code") -> Key:
    if code not in keys:
        raise _unknown(code, field, keys)
    return keys[code]


def _unknown(code: str, field: str, codes: Iterable[str]) -> InputError:
    return InputError(field, _("{code} is not on the key register (see `csctl keys list`){did_you_mean}").format(code=code, did_you_mean=did_you_mean(code, codes)))


def _when(s: Session, at: str | None) -> datetime:
    """--at, default now; a time in the future is refused."""
    when = parse.at(at, s.now)
    if when > s.now:
        raise InputError("at", _("{isoformat} is in the future").format(isoformat=when.isoformat()))
    return when


def _policy(s: Session, day: date) -> KeyPolicy:
    return s.policy_for(Month.of(day))[1].keys


def _codes(texts: Iterable[str], field: str = "code") -> list[str]:
    codes: list[str] = []
    for text in texts:
        code = parse.key_code(text, field)
        if code in codes:
            raise InputError(field, _("{code} is given twice").format(code=code))
        codes.append(code)
    return codes


def _choice(field: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    wanted = value.strip().lower()
    if wanted not in allowed:
        raise InputError(field, _("{shown} is not a key {field}; one of {allowed}").format(shown=shown(value), field=field, allowed=', '.join(allowed)))
    return wanted


# ----------------------------------------------------------------------------- K1: the register
def add(s: Session, code: str, *, label: str, category: str, sealed: bool = False,
        at: str | None = None) -> dict[str, Any]:
    """K1: register a key: its code, label and category; a tenant's key held in trust is
    registered sealed (K5)."""
    wanted = parse.key_code(code)
    name = parse.text(label, "label", limit=80)
    kind = _choice("category", category, CATEGORIES)
    when = _when(s, at)
    with s.write(tables.write_rank("keys"), rule="K1", doing=_("registering a key"), dated=when.date(),
                 what=_("a key registered")) as w:
        if queries.registered(s.ledger, wanted):
            raise InputError("code", _("{wanted} is on the key register already (`csctl keys history {wanted}`)").format(wanted=wanted))
        row = w.append("keys", {"code": wanted, "label": name, "category": kind, "kept": SEALED if sealed else "board",
                                "at": when})
    return jsonable(row)


# ----------------------------------------------------------------------------- K2, K4: borrowing
def borrow(s: Session, code: str, *, by_staff: str, approved_by: str | None, purpose: str | None,
           contractor: str | None = None, due: str | None = None, special_approval: str | None = None,
           reason: str | None = None, at: str | None = None) -> dict[str, Any]:
    """K2, K4, K7: lend a key that is in, with its purpose and approver; due back by `due`,
    else by the policy's time on the day it is borrowed."""
    wanted = parse.key_code(code)
    when = _when(s, at)
    what_for = parse.text(purpose, "purpose", required=False, limit=200)
    if what_for is None:
        raise InputError("purpose", _("a key loan records what the key is for (--purpose)"))
    for_whom = parse.text(contractor, "for", required=False, limit=80)
    why = parse.text(reason, "reason", required=False)
    if why is not None and special_approval is None:
        raise InputError("reason", _("--reason goes with --special-approval, a manager's approval to open an "
                                   "equipment room (K4)"))
    due_at = parse.at(due, when, "due") if due is not None else None  # a time alone is on the borrowing day
    day = when.date()
    with s.write(tables.write_rank(EVENTS), rule="K2", doing=_("recording a key loan"), dated=day,
                 what=_("a key loan")) as w:
        key = one_key(s, wanted)
        borrower = s.person(by_staff, "by-staff", on=day)
        approver = s.person(approved_by, "approved-by", on=day) if approved_by is not None else None
        special = s.person(special_approval, "special-approval", on=day) if special_approval is not None else None
        due_at = due_at or default_due(when, _policy(s, day).due_minutes)
        s.check(in_time(key, when), check_due(when, due_at),
                check_borrow(key, borrower=borrower, approver=approver, day=day, contractor=for_whom,
                             special=special, special_reason=why))
        row = w.append(EVENTS, {"kind": "borrow", "code": key.code, "at": when, "staff": borrower.id,
                                "contractor": for_whom, "purpose": what_for, "due": due_at,
                                "approved_by": approver.id if approver else None,
                                "special_by": special.id if special else None, "reason": why})
    return jsonable(row)


# ----------------------------------------------------------------------------- K3, K8: back and on
def give_back(s: Session, codes: list[str], *, by_staff: str, received_by: str,
              at: str | None = None) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """K3: keys come back from whoever has them, received by a keeper. For shift keys (K8) the
    count is checked: how many of the shift keys the person held came back, and which did not."""
    wanted = _codes(codes)
    when = _when(s, at)
    day = when.date()
    with s.write(tables.write_rank(EVENTS), rule="K3", doing=_("recording a key's return"), dated=day,
                 what=_("a key's return")) as w:
        keys = returned_keys(s, wanted)
        returner = s.person(by_staff, "by-staff", on=day)
        keeper = s.person(received_by, "received-by", on=day)
        for code in wanted:
            if code not in keys:  # the register's every code, for "did you mean"
                raise _unknown(code, "code", queries.codes(s.ledger))
            key = keys[code]
            s.check(in_time(key, when), check_return(key, returner=returner, keeper=keeper, day=day))
        count = shift_count(keys, returner.id, wanted)
        rows = [w.append(EVENTS, {"kind": "return", "code": code, "at": when, "staff": returner.id,
                                  "received_by": keeper.id}) for code in wanted]
    return [jsonable(r) for r in rows], count._asdict() if count else None


def hand_on(s: Session, codes: list[str], *, from_staff: str, to_staff: str, shift: str | None = None,
            at: str | None = None) -> list[dict[str, Any]]:
    """K8: the early shift hands the shift (area) keys it holds to the middle shift: the codes
    given, else every shift key `from_staff` holds, through that day's early-shift handover,
    accepted by its incoming person with its `keys` item marked (the row names it)."""
    wanted = _codes(codes)
    when = _when(s, at)
    day = when.date()
    with s.write(tables.write_rank(EVENTS), rule="K8", doing=_("recording shift keys handed on"), dated=day,
                 what=_("shift keys handed on")) as w:
        policy = _policy(s, day)
        named = (parse.text(shift, "shift", limit=24) or "").lower() if shift is not None else policy.shift_from
        keys = all_keys(s)
        giver = s.person(from_staff, "from", on=day)
        receiver = s.person(to_staff, "to", on=day)
        if not wanted:
            wanted = sorted(k.code for k in keys.values()
                            if k.state == "out" and k.holder == giver.id and k.category == SHIFT_KEYS)
            if not wanted:
                raise RuleViolation("K8", _("{id} holds no shift keys to hand on (see `csctl keys out`)").format(id=giver.id))
        handover = _handed_over(s, day, named)
        for code in wanted:
            key = _known(keys, code)
            s.check(in_time(key, when),
                    check_hand_on(key, giver=giver, receiver=receiver, shift=named, shift_from=policy.shift_from,
                                  shift_to=policy.shift_to, day=day, handover=handover))
        rows = [w.append(EVENTS, {"kind": "hand_on", "code": code, "at": when, "staff": receiver.id,
                                  "from_staff": giver.id, "shift": named, "handover": handover.id})
                for code in wanted]
    return [jsonable(r) for r in rows]


def _handed_over(s: Session, day: date, shift: str) -> HandedOver | None:
    """K8: the day's handover of the shift that its incoming person accepted (H2), if any."""
    from ..ledger.queries import handover as handover_queries

    found = handover_queries.accepted_handover(s.ledger, day, shift)
    if found is None:
        return None
    marks = {r["item"]: r["mark"] for r in handover_queries.items(s.ledger, found["id"])}
    return HandedOver(found["id"], found["from_staff"], found["to_staff"], marks.get("keys"))


# ----------------------------------------------------------------------------- K6: lost, found, replaced
def lost(s: Session, code: str, *, note: str | None, at: str | None = None) -> dict[str, Any]:
    """K6: a key reported lost or damaged, with what happened; it can no longer be borrowed."""
    what = parse.text(note, "note", required=False)
    if what is None:
        raise InputError("note", _("a lost or damaged key is reported with what happened (--note)"))
    when = _when(s, at)
    with s.write(tables.write_rank(EVENTS), rule="K6", doing=_("reporting a lost key"), dated=when.date(),
                 what=_("a lost key")) as w:
        key = one_key(s, code)
        s.check(in_time(key, when), check_lost(key, recorder=w.me))
        row = w.append(EVENTS, {"kind": "lost", "code": key.code, "at": when, "staff": key.holder, "note": what})
    return jsonable(row)


def found(s: Session, code: str, *, by_staff: str, note: str | None = None, at: str | None = None) -> dict[str, Any]:
    """K6: a key found (lost, or out and left lying about), handed to security; it goes back
    where it rests."""
    what = parse.text(note, "note", required=False)
    when = _when(s, at)
    with s.write(tables.write_rank(EVENTS), rule="K6", doing=_("recording a found key"), dated=when.date(),
                 what=_("a found key")) as w:
        key = one_key(s, code)
        finder = s.person(by_staff, "by-staff", on=when.date())
        s.check(in_time(key, when), check_found(key, recorder=w.me))
        row = w.append(EVENTS, {"kind": "found", "code": key.code, "at": when, "staff": finder.id, "note": what})
    return jsonable(row)


def replace(s: Session, code: str, *, new: str, approved_by: str, label: str | None = None, note: str | None = None,
            at: str | None = None) -> list[dict[str, Any]]:
    """K6: a lock change approved by security retires the key and registers its replacement
    (same category, same custody, the label unless a new one is given)."""
    new_code = parse.key_code(new, "new")
    name = parse.text(label, "label", required=False, limit=80)
    what = parse.text(note, "note", required=False)
    when = _when(s, at)
    day = when.date()
    with s.write(tables.write_rank("keys"), rule="K6", doing=_("recording a lock change"), dated=day,
                 what=_("a lock change")) as w:
        key = one_key(s, code)
        if new_code == key.code or queries.registered(s.ledger, new_code):
            raise InputError("new", _("{new_code} is on the key register already; the new key needs a code of its own").format(new_code=new_code))
        approver = s.person(approved_by, "approved-by", on=day)
        s.check(in_time(key, when), check_replace(key, approver=approver, day=day))
        successor = w.append("keys", {"code": new_code, "label": name or key.label, "category": key.category,
                                      "kept": key.kept, "replaces": key.code, "at": when})
        retired = w.append(EVENTS, {"kind": "retire", "code": key.code, "at": when, "approved_by": approver.id,
                                    "new_code": new_code, "note": what})
    return [jsonable(retired), jsonable(successor)]


# ----------------------------------------------------------------------------- K5: sealed custody keys
def open_sealed(s: Session, code: str, *, emergency: bool = False, tenant_lost: bool = False,
                approved_by: list[str] | None = None, witness: list[str] | None = None, reason: str | None = None,
                application: str | None = None, confirmed_with: str | None = None, by_staff: str | None = None,
                due: str | None = None, at: str | None = None) -> dict[str, Any]:
    """K5: open a sealed custody key in an emergency or for a tenant who lost their key, with
    everything the rule asks for; the key is out until it is re-sealed."""
    if emergency and tenant_lost:
        raise InputError("emergency", _("choose one: --emergency or --tenant-lost"))
    mode = EMERGENCY if emergency else TENANT_LOST if tenant_lost else None
    witnesses_given = witness or []
    if witnesses_given and mode != EMERGENCY:
        raise InputError("witness", _("witnesses are named for an emergency opening (--emergency, K5)"))
    ref = parse.text(application, "application", required=False, limit=80)
    who_confirmed = parse.text(confirmed_with, "confirmed-with", required=False, limit=80)
    if mode != TENANT_LOST and (ref is not None or who_confirmed is not None):
        raise InputError("application" if ref is not None else "confirmed-with",
                         _("the application and who confirmed it are for an opening for a tenant who lost their key "
                         "(--tenant-lost, K5)"))
    why = parse.text(reason, "reason", required=False)
    when = _when(s, at)
    due_at = parse.at(due, when, "due") if due is not None else None
    day = when.date()
    with s.write(tables.write_rank(EVENTS), rule="K5", doing=_("opening a sealed key"), dated=day,
                 what=_("an opening of a sealed key")) as w:
        key = one_key(s, code)
        opener = s.person(by_staff if by_staff is not None else w.me.id, "by-staff", on=day)
        approvers = in_order([s.person(a, "approved-by", on=day) for a in approved_by or []])
        witnesses = [s.person(x, "witness", on=day) for x in witnesses_given]
        due_at = due_at or default_due(when, _policy(s, day).due_minutes)
        s.check(in_time(key, when), check_due(when, due_at),
                check_open(key, mode=mode, opener=opener, approvers=approvers, witnesses=witnesses, reason=why,
                           application=ref, confirmed_with=who_confirmed, day=day))
        values: dict[str, Any] = {"kind": "open", "code": key.code, "at": when, "staff": opener.id, "mode": mode,
                                  "reason": why, "due": due_at, "application": ref, "confirmed_with": who_confirmed}
        values.update(zip(("approved_by", "approved_by_2"), (p.id for p in approvers)))
        values.update(zip(("witness_1", "witness_2", "witness_3"), (p.id for p in witnesses)))
        row = w.append(EVENTS, values)
    out = jsonable(row)
    out["paperwork"] = paperwork(mode, filed=False)
    return out


def reseal(s: Session, code: str, *, at: str | None = None) -> dict[str, Any]:
    """K5: an opened sealed key sealed again, received by whoever records it."""
    when = _when(s, at)
    with s.write(tables.write_rank(EVENTS), rule="K5", doing=_("re-sealing a key"), dated=when.date(),
                 what=_("a key re-sealed")) as w:
        key = one_key(s, code)
        s.check(in_time(key, when), check_reseal(key))
        row = w.append(EVENTS, {"kind": "reseal", "code": key.code, "at": when, "staff": key.holder,
                                "received_by": w.me.id})
    return jsonable(row)


def file_paperwork(s: Session, opening: str, *, filed: str | None, at: str | None = None) -> dict[str, Any]:
    """K5 (b): the application of a tenant-lost opening, stamped by the tenant and signed by
    whoever used the key, is on file."""
    text = (opening or "").strip().lstrip("#")
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) < 2**63:
        raise InputError("opening", _("{opening} is not a row id (the opening's id, see `csctl keys history`)").format(opening=shown(opening)))
    opening_id = int(text)
    ref = parse.text(filed, "filed", required=False, limit=80)
    if ref is None:
        raise InputError("filed", _("the reference of the stamped application on file (--filed REF)"))
    when = _when(s, at)
    with s.write(tables.write_rank(EVENTS), rule="K5", doing=_("filing an opening's paperwork"), dated=when.date(),
                 what=_("paperwork filed")) as w:
        row = queries.event(s.ledger, opening_id)
        s.check(check_paperwork(opening_id, row, queries.filed(s.ledger, opening_id)))
        if when < datetime.fromisoformat(row["at"]):
            raise InputError("at", _("{isoformat} is before the opening ({at})").format(isoformat=when.isoformat(), at=row['at']))
        out = w.append(EVENTS, {"kind": "paperwork", "code": row["code"], "at": when, "staff": row["staff"],
                                "ref": opening_id, "application": ref})
    return jsonable(out)


# ----------------------------------------------------------------------------- K7: the daily check
def check(s: Session, causes: list[str], *, at: str | None = None) -> dict[str, Any]:
    """K7: the day's check of the keys not returned, with the cause found for each; complete
    when every overdue key has a cause (from this check or an earlier one that day)."""
    given: dict[str, str] = {}
    for text in causes:
        code_text, why = parse.pair(text, "cause", "CODE=TEXT (e.g. EQ-01=\"engineer still on site\")")
        code = parse.key_code(code_text, "cause")
        if code in given:
            raise InputError("cause", _("{code} is given twice").format(code=code))
        given[code] = parse.text(why, "cause")  # type: ignore[assignment]
    when = _when(s, at)
    with s.write(tables.write_rank("key_checks"), rule="K7", doing=_("recording the daily key check"),
                 dated=when.date(), what=_("a key check")) as w:
        s.check(authority.in_department(w.me, KEEPERS, N_("whoever records the daily key check"), "K7"))
        keys = all_keys(s, until=when)
        result = daily_check(keys, when, given, queries.explained_on(s.ledger, when.isoformat()[:10]))
        if isinstance(result, CsctlError):
            raise result
        row = w.append("key_checks", {"at": when})
        written = [w.append(EVENTS, {"kind": "cause", "code": code, "at": when, "staff": keys[code].holder,
                                     "ref": row["id"], "note": why}) for code, why in given.items()]
    out = jsonable(row)
    out.update(day=result.day.isoformat(), out=[k.code for k in result.out], overdue=[k.code for k in result.overdue],
               causes=[jsonable(r) for r in written], missing=list(result.missing), complete=result.complete)
    return out


# ----------------------------------------------------------------------------- stock-take
def _file_codes(file: str) -> list[str]:
    """A stock-take's file: the codes on the board, separated by spaces, commas or lines; `#`
    starts a comment."""
    from .policies import read_file

    codes: list[str] = []
    for number, line in enumerate(read_file(file).splitlines(), start=1):
        for word in line.split("#", 1)[0].replace(",", " ").split():
            try:
                codes.append(parse.key_code(word, "file"))
            except InputError as exc:
                raise InputError("file", _("line {number}: {message}").format(number=number, message=exc.message)) from None
    if not codes:
        raise InputError("file", _("{file} names no key code").format(file=file))
    return codes


def take_stock(s: Session, *, present: list[str] | None = None, file: str | None = None,
               at: str | None = None) -> dict[str, Any]:
    """Stock-take: the codes on the board against the ledger: keys missing from the board, keys
    on it the ledger says are out (or lost, or retired), codes not on the register."""
    if present and file is not None:
        raise InputError("file", _("give the codes on the board with --present or --file, not both"))
    if not present and file is None:
        raise InputError("present", _("which keys are on the board? --present CODE (once a key) or --file FILE"))
    codes = sorted(set(_codes(present or [], "present") if present else _file_codes(file or "")))
    when = _when(s, at)
    with s.write(tables.write_rank("key_audits"), doing=_("taking stock of the keys"), dated=when.date(),
                 what=_("a stock-take")) as w:
        findings = audit(all_keys(s, until=when), codes)
        row = w.append("key_audits", {"at": when, "present": " ".join(codes),
                                      **{name: " ".join(found) for name, found in findings._asdict().items()}})
    return audit_view(row)


def audit_view(row: Any) -> dict[str, Any]:
    out = jsonable(row)
    for name in ("present", "missing", "out", "lost", "unknown"):
        out[name] = out[name].split()
    return out


# ----------------------------------------------------------------------------- listings
def view(key: Key, now: datetime, audits: list[datetime], policy: KeyPolicy) -> dict[str, Any]:
    """A key as `keys list` and `keys out` show it."""
    audited = last_audited(key, audits)
    return {
        "code": key.code, "label": key.label, "category": key.category, "state": key.state,
        "staff": key.holder, "contractor": key.contractor,
        "since": key.since.isoformat() if key.since else None, "due": key.due.isoformat() if key.due else None,
        "overdue": key.overdue(now), "sealed": key.kept == SEALED, "paperwork": list(key.awaiting),
        "audited": audited.isoformat() if audited else None,
        "audit_due": audit_due(key, audited, now, policy.audit_max_days),
    }


def listing(s: Session, *, state: str | None = None, category: str | None = None,
            overdue: bool = False) -> list[dict[str, Any]]:
    """The keys by code, each with its state; those out with who has them, since and until
    when, and whether they are overdue now (K7); each flagged when no stock-take has counted
    it for longer than the policy allows."""
    wanted_state = _choice("state", state, STATES)
    wanted_category = _choice("category", category, CATEGORIES)
    policy = _policy(s, s.today)
    audits = [datetime.fromisoformat(a) for a in queries.audit_times(s.ledger)]
    rows = [view(k, s.now, audits, policy) for k in sorted(all_keys(s).values(), key=lambda k: k.code)
            if (wanted_state is None or k.state == wanted_state)
            and (wanted_category is None or k.category == wanted_category)]
    return [r for r in rows if r["overdue"]] if overdue else rows


def history(s: Session, code: str) -> list[dict[str, Any]]:
    """A key's whole life, in the order it happened: its registration, every loan with who
    approved it and who received it back, hand-ons, each opening with its witnesses and
    paperwork, losses, finds, the lock change, the causes the daily checks found."""
    wanted = parse.key_code(code)
    found = queries.registered(s.ledger, wanted)
    if not found:
        raise _unknown(wanted, "code", queries.codes(s.ledger))
    first = found[0]
    out = [{"id": first["id"], "kind": "registered", "at": first["at"],
            **{k: first[k] for k in ("code", "label", "category", "kept", "replaces", "recorded_by")},
            "voided_by": None}]
    rows = queries.history(s.ledger, wanted)
    filed = {r["ref"]: r["id"] for r in rows if r["kind"] == "paperwork" and r["voided_by"] is None}
    for r in rows:
        item = {k: v for k, v in jsonable(r).items() if v is not None or k in ("staff", "voided_by")}
        if r["kind"] == "open":
            item["paperwork"] = paperwork(r["mode"], filed=r["id"] in filed)
            if r["id"] in filed:
                item["filed_by"] = filed[r["id"]]
        out.append(item)
    return out


# ----------------------------------------------------------------------------- the demo
def demo(s: Session, month: Month) -> None:
    """`csctl demo`'s key cabinet, on the 12th of the month and the next morning: a day of
    borrowing (an equipment room with a manager's special approval, shift keys collected by
    the early shift and handed to the middle shift), a sealed tenant's key opened in an
    emergency and re-sealed, one key never brought back (overdue), and the next morning's
    check and stock-take."""
    from . import handover

    day = month.first_day.replace(day=12)

    def at(clock: str, next_day: bool = False) -> str:
        return f"{day.replace(day=13) if next_day else day} {clock}"

    s.by = "P01"
    for code, label, category, sealed in (("OF-01", "Customer service office", "office", False),
                                          ("ST-01", "Storeroom B1", "storeroom", False),
                                          ("EQ-01", "Network equipment room", "equipment_room", False),
                                          ("AR-01", "Lobby and mailroom", "area", False),
                                          ("AR-02", "Floors 2-8 service corridors", "area", False),
                                          ("GT-01", "North gate", "gate", False),
                                          ("U-1203", "Unit 1203, tenant's key held in trust", "unit", True)):
        add(s, code, label=label, category=category, sealed=sealed, at=at("07:00"))
    s.by = "S01"  # the early shift collects the area keys
    for code in ("AR-01", "AR-02"):
        borrow(s, code, by_staff="S01", approved_by="P01", purpose="early shift rounds", at=at("07:55"))
    s.by = "S02"
    borrow(s, "ST-01", by_staff="S02", approved_by="P01", purpose="restock brochures", at=at("09:10"))
    give_back(s, ["ST-01"], by_staff="S02", received_by="L01", at=at("09:40"))
    s.by = "S03"
    borrow(s, "EQ-01", by_staff="S03", approved_by="P01", purpose="reset the front-desk router",
           special_approval="M01", reason="network down, engineer off site", at=at("11:05"))
    give_back(s, ["EQ-01"], by_staff="S03", received_by="K01", at=at("11:30"))
    s.by = "S01"  # K8: the early shift hands the day over to the middle shift, keys counted ok
    handed = handover.open_(s, shift="early", from_staff="S01", to_staff="S04", items=["keys=ok"], at=at("14:55"))
    s.by = "S04"
    handover.answer(s, str(handed["id"]), by_staff="S04", accepted=True, at=at("14:58"))
    s.by = "S01"
    hand_on(s, [], from_staff="S01", to_staff="S04", at=at("15:00"))
    s.by = "S05"
    borrow(s, "OF-01", by_staff="S05", approved_by="P01", purpose="evening callback list", at=at("17:30"))
    s.by = "L01"
    open_sealed(s, "U-1203", emergency=True, approved_by=["M01", "G01"], witness=["S06", "S07", "K01"],
                reason="water leaking into 1103; tenant abroad, phone off", at=at("20:15"))
    reseal(s, "U-1203", at=at("21:05"))
    s.by = "S04"  # the middle shift brings the area keys back to the control room
    give_back(s, ["AR-01", "AR-02"], by_staff="S04", received_by="K01", at=at("23:00"))
    s.by = "L01"
    check(s, ["OF-01=S05 took it home by mistake; bringing it back at 10:00"], at=at("08:30", next_day=True))
    take_stock(s, present=["ST-01", "EQ-01", "AR-01", "AR-02", "GT-01", "U-1203"], at=at("08:40", next_day=True))
