"""Shift handovers (H1-H4): open one with its checklist and carried requests, answer it, sign
off a day's book, resolve a carried request, list who is still on the hook, show the form.

The decisions are rules/handover.py's; the reads are ledger/queries/handover.py's. Every write
is one `Session.write`, dated by its `--at` (L2).
"""

from __future__ import annotations

from ..i18n import N_, Said, _

from datetime import date, datetime, timedelta
from typing import Any

from .. import parse, tables
from ..errors import InputError, RuleViolation
from ..ledger.queries import duty as duty_queries
from ..ledger.queries import handover as queries
from ..models import Month
from ..rules import duty as duty_rules
from ..rules import handover as rules
from . import Session, jsonable


def _when(s: Session, at: str | None) -> datetime:
    when = parse.at(at, s.now)
    if when.date() > s.today:
        raise InputError("at", _("{date} is in the future").format(date=when.date()))
    return when


def _policy(s: Session, day: date) -> Any:
    return s.policy_for(Month.of(day))[1].handover


# ------------------------------------------------------------------------------ open (H1, H2, H4)
def open_(s: Session, *, shift: str, from_staff: str, to_staff: str, note: str | None = None,
          items: list[str] | None = None, carry: list[str] | None = None, at: str | None = None) -> dict[str, Any]:
    """Open a handover: the shift, the outgoing and the incoming person, the notes on unfinished
    work, the checklist (the policy's items, each ok or bad, unmarked ones not checked) and the
    requests carried across (H4). The outgoing person records it, or a shift lead for them."""
    when = _when(s, at)
    day = when.date()
    policy = _policy(s, day)
    chosen = rules.shift_of(shift, policy.shifts)
    marks = [rules.item_mark(text, policy.items) for text in items or ()]
    listed, problem = rules.checklist(marks, policy.items)
    s.check(problem)
    note_text = parse.text(note, "note", required=False, limit=rules.TEXT_LIMIT)
    carried = [parse.text(text, "carry", limit=rules.TEXT_LIMIT) for text in carry or ()]
    with s.write(tables.write_rank("handovers"), rule="H2", doing=_("opening a handover"), dated=day,
                 what=_("a handover")) as w:
        outgoing = s.person(from_staff, "from", on=day)
        incoming = s.person(to_staff, "to", on=day)
        s.check(rules.check_open(shift=chosen, outgoing=outgoing, incoming=incoming, recorder=w.me, day=day))
        earlier = queries.live_of_shift(s.ledger, day, chosen.name)
        if earlier is not None:
            raise InputError("shift", _("{day} already has a {name} handover (#{id}); void it to record it again").format(day=day, name=chosen.name, id=earlier['id']))
        row = w.append("handovers", {"shift": chosen.name, "from_staff": outgoing.id, "to_staff": incoming.id,
                                     "at": when, "note": note_text})
        item_rows = [w.append("handover_items", {"handover": row["id"], "item": m.item, "mark": m.mark,
                                                 "remark": m.remark}) for m in listed]
        request_rows = [w.append("handover_requests", {"handover": row["id"], "text": text}) for text in carried]
    out = jsonable(row)
    out["items"] = [jsonable(r) for r in item_rows]
    out["requests"] = [jsonable(r) for r in request_rows]
    return out


# ------------------------------------------------------------------------------ answer (H2)
def _live_handover(s: Session, handover_id: int) -> Any:
    row = queries.handover(s.ledger, handover_id)
    if row is None:
        raise InputError("handover", _("there is no handover {handover_id} (see `csctl handover list`)").format(handover_id=handover_id))
    if row["voided_by"] is not None:
        raise InputError("handover", _("handover {handover_id} was voided (#{voided_by})").format(handover_id=handover_id, voided_by=row['voided_by']))
    return row


def answer(s: Session, handover_id: str, *, by_staff: str, accepted: bool, reason: str | None = None,
           at: str | None = None) -> dict[str, Any]:
    """The incoming person accepts a handover, or refuses it with a reason (H2): a refusal keeps
    it open, listed for the supervisor, and the outgoing person on duty."""
    hid = rules.row_id(handover_id, "handover", N_("a handover"))
    when = _when(s, at)
    why = parse.text(reason, "reason", required=False, limit=rules.TEXT_LIMIT)
    if not accepted and why is None:
        raise InputError("reason", _("a refusal needs --reason: the unfinished work or the questions left "
                                   "unanswered (H2)"))
    word = "accepted" if accepted else "refused"
    doing = _("recording a handover accepted") if accepted else _("recording a handover refused")
    with s.write(tables.write_rank("handover_answers"), rule="H2", doing=doing,
                 dated=when.date(), what=_("an answer to a handover")) as w:
        row = _live_handover(s, hid)
        answerer = s.person(by_staff, "by-staff", on=when.date())
        current = rules.state(row["accepted_id"], row["refused_id"])
        s.check(rules.check_answer(handover=hid, state=current, answer_id=row["accepted_id"] or row["refused_id"],
                                   incoming=row["to_staff"], answerer=answerer, recorder=w.me, answer=word,
                                   opened=datetime.fromisoformat(row["at"]), at=when))
        out = w.append("handover_answers", {"handover": hid, "answer": word, "staff": answerer.id, "at": when,
                                            "reason": why})
    result = jsonable(out)
    result["state"] = word
    return result


# ------------------------------------------------------------------------------ review (H3)
def review(s: Session, day_text: str, *, by_staff: str, note: str | None = None,
           at: str | None = None) -> dict[str, Any]:
    """A shift lead or above signs off a day's handovers (H3); a day with one not accepted only
    with a note saying what is left open."""
    day = parse.day(day_text, "date")
    when = _when(s, at)
    note_text = parse.text(note, "note", required=False, limit=rules.TEXT_LIMIT)
    with s.write(tables.write_rank("handover_reviews"), rule="H3", doing=_("signing off a day's handovers"),
                 dated=when.date(), what=_("a review")) as w:
        reviewer = s.person(by_staff, "by-staff", on=when.date())
        states = [(r["id"], rules.state(r["accepted_id"], r["refused_id"]))
                  for r in queries.handovers(s.ledger, day, live=True)]
        earlier = queries.review_of(s.ledger, day)
        s.check(rules.check_review(day=day, reviewer=reviewer, on=when.date(), handovers=states,
                                   earlier=earlier["id"] if earlier else None, note=note_text))
        row = w.append("handover_reviews", {"day": day, "staff": reviewer.id, "at": when, "note": note_text})
    out = jsonable(row)
    out["handovers"] = [hid for hid, _ in states]
    out["left_open"] = [hid for hid, st in states if st != "accepted"]
    return out


# ------------------------------------------------------------------------------ resolve (H4)
def resolve(s: Session, request_id: str, *, note: str | None, at: str | None = None) -> dict[str, Any]:
    """Close a request carried across a handover (H4), saying how it was handled."""
    rid = rules.row_id(request_id, "request", N_("a carried request"))
    when = _when(s, at)
    how = parse.text(note, "note", required=False, limit=rules.TEXT_LIMIT)
    if how is None:
        raise InputError("note", _("say how the request was handled (--note)"))
    with s.write(tables.write_rank("handover_resolutions"), rule="H4", doing=_("resolving a carried request"),
                 dated=when.date(), what=_("a resolution")) as w:
        found = queries.request(s.ledger, rid)
        if found is None:
            raise InputError("request", _("there is no carried request {rid} (see `csctl handover list --open`)").format(rid=rid))
        if found["handover_voided"] is not None:
            raise InputError("request", _("request {rid}'s handover #{handover} was voided").format(rid=rid, handover=found['handover']))
        if found["resolved_id"] is not None:
            raise RuleViolation("H4", _("request {rid} was already resolved (#{resolved_id})").format(rid=rid, resolved_id=found['resolved_id']))
        if when < datetime.fromisoformat(found["handover_at"]):
            raise InputError("at", _("{isoformat} is before the request was carried ({handover_at})").format(isoformat=when.isoformat(), handover_at=found['handover_at']))
        row = w.append("handover_resolutions", {"request": rid, "at": when, "note": how})
    return jsonable(row)


# ------------------------------------------------------------------------------ reading
def _view(s: Session, r: Any, reviews: dict[str, Any]) -> dict[str, Any]:
    marks = queries.items(s.ledger, r["id"])
    requests = queries.requests(s.ledger, r["id"])
    review_row = reviews.get(r["day"])
    return {
        "id": r["id"], "date": r["day"], "at": r["at"], "shift": r["shift"],
        "from": r["from_staff"], "from_name": r["from_name"], "to": r["to_staff"], "to_name": r["to_name"],
        "state": rules.state(r["accepted_id"], r["refused_id"]), "note": r["note"],
        "bad": [m["item"] for m in marks if m["mark"] == "bad"],
        "unchecked": [m["item"] for m in marks if m["mark"] == rules.UNCHECKED],
        "requests_open": sum(1 for q in requests if q["resolved_id"] is None),
        "reviewed": review_row["id"] if review_row is not None else None,
        "recorded_by": r["recorded_by"], "voided_by": r["voided_by"],
    }


def listing(s: Session, *, open_only: bool = False, day_text: str | None = None) -> list[dict[str, Any]]:
    """Handovers in time order, voided ones marked; with `open_only`, who is still on the hook:
    handovers not accepted, days not signed off, carried requests not resolved, major incidents
    without their report (H2-H5)."""
    day = parse.day(day_text, "date") if day_text is not None else None
    reviews = queries.reviews(s.ledger)
    if not open_only:
        return [_view(s, r, reviews) for r in queries.handovers(s.ledger, day)]
    live = queries.handovers(s.ledger, day, live=True)
    out = []
    for r in live:
        st = rules.state(r["accepted_id"], r["refused_id"])
        if st != "accepted":
            out.append(_entry("handover", r["id"], r["day"], st, r["from_staff"],
                              Said(N_("{shift} handover {outgoing} -> {incoming} not accepted; {outgoing} is still on "
                                      "duty; refused, for the supervisor") if st == "refused" else
                                   N_("{shift} handover {outgoing} -> {incoming} not accepted; {outgoing} is still on "
                                      "duty"), shift=r["shift"], outgoing=r["from_staff"], incoming=r["to_staff"]),
                              shift=r["shift"], from_=r["from_staff"], to=r["to_staff"]))
    for d in sorted({r["day"] for r in live} - set(reviews)):
        out.append(_entry("day", None, d, "open", None, Said(N_("{day}'s handovers not signed off (H3)"), day=d)))
    for q in queries.requests(s.ledger, open_only=True, day=day):
        out.append(_entry("request", q["id"], q["day"], "open", q["to_staff"],
                          Said(N_("carried at the {shift} handover #{handover}: {text}"), shift=q["shift"],
                               handover=q["handover"], text=q["text"]),
                          shift=q["shift"], from_=q["from_staff"], to=q["to_staff"]))
    report_days = _policy(s, s.today).report_days
    for n in duty_queries.unreported(s.ledger):
        noted = datetime.fromisoformat(n["at"]).date()
        if day is not None and noted != day:
            continue
        due = duty_rules.report_due(noted, report_days)
        out.append(_entry("incident", n["id"], noted.isoformat(), "open", n["staff"],
                          Said(N_("major incident without its written report: {text}"), text=n["text"]),
                          due=due.isoformat(),
                          overdue=duty_rules.is_overdue(noted, report_days, s.today)))
    return out


def _entry(kind: str, row_id: int | None, day: str, st: str, who: str | None, what: str, *, shift: str | None = None,
           from_: str | None = None, to: str | None = None, due: str | None = None,
           overdue: bool = False) -> dict[str, Any]:
    return {"kind": kind, "id": row_id, "date": day, "shift": shift, "from": from_, "to": to, "state": st,
            "who": who, "what": what, "due": due, "overdue": overdue}


def show(s: Session, handover_id: str) -> dict[str, Any]:
    """One handover as the paper form had it: shift, both people, times, the checklist, the
    notes, the requests carried and what became of them, the answers, the day's review."""
    hid = rules.row_id(handover_id, "handover", N_("a handover"))
    row = queries.handover(s.ledger, hid)
    if row is None:
        raise InputError("handover", _("there is no handover {hid} (see `csctl handover list`)").format(hid=hid))
    day = date.fromisoformat(row["day"])
    shift = _policy(s, day).shifts.get(row["shift"])
    review_row = queries.review_of(s.ledger, day)
    return {
        "id": row["id"], "date": row["day"], "shift": row["shift"], "due_at": shift.at if shift else None,
        "at": row["at"], "from": row["from_staff"], "from_name": row["from_name"], "to": row["to_staff"],
        "to_name": row["to_name"], "state": rules.state(row["accepted_id"], row["refused_id"]),
        "note": row["note"], "recorded_by": row["recorded_by"], "voided_by": row["voided_by"],
        "items": [{"item": m["item"], "mark": m["mark"], "sign": rules.SIGN[m["mark"]], "remark": m["remark"]}
                  for m in queries.items(s.ledger, hid)],
        "requests": [{"id": q["id"], "text": q["text"], "resolved": q["resolved_id"], "resolved_at": q["resolved_at"],
                      "resolution": q["resolution"], "resolved_by": q["resolved_by"]}
                     for q in queries.requests(s.ledger, hid)],
        "answers": [{"id": a["id"], "answer": a["answer"], "staff": a["staff"], "name": a["name"], "at": a["at"],
                     "reason": a["reason"], "voided_by": a["voided_by"]} for a in queries.answers(s.ledger, hid)],
        "review": None if review_row is None else {"id": review_row["id"], "staff": review_row["staff"],
                                                   "at": review_row["at"], "note": review_row["note"]},
    }


# ------------------------------------------------------------------------------ demo
def demo(s: Session, month: Month) -> None:
    """The demo's last week of `month`: security and customer service hand over morning and
    evening, the early shift hands over to the middle shift twice; one handover is refused and
    left with the supervisor, one carried request is still open, the last day is not signed
    off; a duty with a major incident and its report, and a swap (services/duty.py)."""
    from . import duty

    first = month.last_day - timedelta(days=6)
    cs = ("S01", "S02", "S10")
    for n in range(7):
        day = first + timedelta(days=n)
        person = cs[n % len(cs)]

        def at(clock: str) -> str:
            return f"{day} {clock}"

        s.by = "K01"
        carry = ["unit 12-3 reports a leaking tap, asks for a plumber",
                 "tenant of 8-1 complains of noise after 23:00"] if n == 1 else []
        morning = open_(s, shift="day", from_staff="K01", to_staff=person, at=at("08:00"), carry=carry,
                        note="quiet night" if n != 1 else "two calls after hours, in the book",
                        items=["equipment=ok", "front_desk=ok", "keys=ok", "mail=ok", "logbook=ok"])
        s.by = person
        answer(s, str(morning["id"]), by_staff=person, accepted=True, at=at("08:10"))
        if n == 1:
            answer_row = morning["requests"][0]
            resolve(s, str(answer_row["id"]), note="plumber booked for 15:00, tenant told", at=at("11:30"))
        if n in (2, 4):
            s.by = "S01"
            early = open_(s, shift="early", from_staff="S01", to_staff="S02", at=at("14:00"),
                          note="two refunds waiting for the bank" if n == 2 else None,
                          items=["equipment=ok", "front_desk=ok", "keys=bad:storeroom key still out with T01",
                                 "logbook=ok"] if n == 2 else ["equipment=ok", "front_desk=ok", "keys=ok", "mail=ok",
                                                               "logbook=ok"])
            s.by = "S02"
            answer(s, str(early["id"]), by_staff="S02", accepted=True, at=at("14:05"))
        s.by = person
        evening = open_(s, shift="night", from_staff=person, to_staff="K01", at=at("18:00"),
                        items=["equipment=ok", "front_desk=ok", "keys=ok", "mail=ok"] if n == 3 else
                        ["equipment=ok", "front_desk=ok", "keys=ok", "mail=ok", "logbook=ok"])
        s.by = "K01"
        if n == 3:  # the logbook was not written up: refused, and left for the supervisor
            answer(s, str(evening["id"]), by_staff="K01", accepted=False, at=at("18:10"),
                   reason="logbook not written up for the afternoon")
        else:
            answer(s, str(evening["id"]), by_staff="K01", accepted=True, at=at("18:05"))
        if n < 6:  # the week's last day is not signed off yet
            s.by = "L01"
            review(s, str(day), by_staff="L01", at=f"{day} 20:00",
                   note=f"night handover #{evening['id']} refused: logbook, with the supervisor" if n == 3 else None)
    duty.demo(s, month)
