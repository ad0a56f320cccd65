"""The month: report (scores, outcomes, ranks), close with a snapshot, reopen (L2, L3)."""

from __future__ import annotations

from ..i18n import N_, Said, _, code

import json
from decimal import Decimal
from typing import Any

from .. import parse, tables
from ..errors import InputError, RuleViolation
from ..ledger import GENESIS, fingerprint
from ..ledger.queries import rows as row_queries
from ..ledger.queries import months as month_queries
from ..models import Deduction, Month, ScoreLine
from ..policy import Policy, canonical_json
from ..rules.discipline import score_month
from . import Session, jsonable, number, pay
from .discipline import events_of_month


def _deduction(d: Deduction, spared: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"rule": d.rule, "count": d.count}
    if spared:
        out["note"] = d.note
    else:
        out["points"] = number(d.points)
    out["rows"] = list(d.rows)
    if d.days is not None:
        out["days"] = d.days  # D5: the calendar days the rows cover
    return out


def line_json(line: ScoreLine) -> dict[str, Any]:
    return {
        "staff": line.staff,
        "name": line.name,
        "score": number(line.score),
        "raw_score": number(line.raw_score),
        "deductions": [_deduction(d) for d in line.deductions],
        "not_deducted": [_deduction(d, spared=True) for d in line.not_deducted],
        "outcome": line.outcome,
        "rank": line.rank,
        "unranked": line.unranked,
        "referred": line.referred,
        "referrals": list(line.referrals),
    }


def canonical(data: Any) -> str:
    """The one way a snapshot is written: same content, same bytes (L3)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def snapshot_of(s: Session, close_id: int) -> dict[str, Any]:
    return json.loads(month_queries.close_row(s.ledger, close_id)["snapshot"])


def _live_lines(s: Session, month: Month, policy: Policy, earlier: dict[str, list[Decimal | None]] | None) -> list[ScoreLine]:
    return score_month(month, list(s.staff_in(month).values()), events_of_month(s, month), policy, earlier)


def scores_of(s: Session, month: Month) -> dict[str, Decimal]:
    """Each scored person's score in a month: from its snapshot if closed, else from the rows."""
    closed = s.closed_months()
    if str(month) in closed:
        return {line["staff"]: Decimal(str(line["score"])) for line in snapshot_of(s, closed[str(month)])["report"]}
    _version, policy = s.policy_for(month)
    return {line.staff: line.score for line in _live_lines(s, month, policy, None)}


def earlier_scores(s: Session, month: Month, policy: Policy) -> dict[str, list[Decimal | None]]:
    """O3 needs the scores of the months before, the latest first."""
    out: dict[str, list[Decimal | None]] = {}
    months = []
    m = month
    for _time in range(policy.outcomes.severe_months - 1):
        m = m.prev()
        months.append(scores_of(s, m))
    for person in s.staff():
        out[person] = [scores.get(person) for scores in months]
    return out


def report_lines(s: Session, month: Month) -> list[dict[str, Any]]:
    _version, policy = s.policy_for(month)
    return [line_json(line) for line in _live_lines(s, month, policy, earlier_scores(s, month, policy))]


def snapshot(s: Session, month: Month) -> dict[str, Any]:
    """What a close stores: the report, the statements and pools, and the policy they used,
    whole (its values, not only its version), so the month stands on its own whatever a later
    csctl ships as defaults.

    No wall-clock time goes in, so the same rows and policy give the same bytes (L3).
    """
    version, policy = s.policy_for(month)
    report = report_lines(s, month)
    paid = pay.statement_objects(s, month, policy)  # once: the statements and the pools read the same sums
    return {
        "month": str(month),
        "policy": {"version": version, "digest": policy.digest, "values": json.loads(canonical_json(policy.data))},
        "report": report,
        "statements": pay.statements(s, month, policy, report, paid),
        "pools": pay.pools(s, month, policy, paid),
    }


def state(s: Session, month: Month) -> dict[str, Any]:
    """Whether a month is closed, and by which close."""
    closed = s.closed_months()
    if str(month) not in closed:
        return {"month": str(month), "closed": False, "close": None}
    row = month_queries.close_row(s.ledger, closed[str(month)])
    return {"month": str(month), "closed": True, "close": row["id"], "closed_by": row["recorded_by"],
            "closed_at": row["recorded_at"], "fingerprint": fingerprint(row_queries.link_of(s.ledger, row["id"])),
            "stale": stale_because(s, month, row["id"])}


def _scores_of_close(s: Session, close_id: int) -> dict[str, Any]:
    return {line["staff"]: line["score"] for line in snapshot_of(s, close_id)["report"]}


def changed_closes(s: Session, month: Month) -> list[int]:
    """L5: the closes of a month that closed it again with scores other than the close before."""
    ids = [r["id"] for r in month_queries.closes_of(s.ledger, str(month))]
    scores = [_scores_of_close(s, i) for i in ids]
    return [ids[i] for i in range(1, len(ids)) if scores[i] != scores[i - 1]]


def stale_because(s: Session, month: Month, close_id: int) -> str | None:
    """L5: why a closed month's figures are stale, or None. A month reads the scores of the
    months before it (O3); when one of them was closed again with other scores after this
    month was closed, this month's snapshot read figures that no longer stand, until it is
    reopened and closed again."""
    severe = snapshot_of(s, close_id)["policy"]["values"]["outcomes"]["severe_months"]
    read = month
    for _time in range(severe - 1):
        read = read.prev()
        later = [x for x in changed_closes(s, read) if x > close_id]
        if later:
            return (f"{read} was closed again with other scores (close #{later[0]}) after {month} was closed "
                    f"(close #{close_id}); reopen and close {month} again")
    return None


def status(s: Session) -> list[dict[str, Any]]:
    """L5: every month from the first with a row or a close to this one: open, closed,
    reopened (closed once, open now) or stale (closed, reading figures that changed since)."""
    closed = s.closed_months()
    ever = {r["month"] for r in month_queries.months_with_closes(s.ledger)}
    first_text = min([*ever, *filter(None, [month_queries.first_month_with_rows(s.ledger)])], default=None)
    out: list[dict[str, Any]] = []
    if first_text is None:
        return out
    month, last = Month.parse(first_text), Month.of(s.today)
    while month <= last:
        key = str(month)
        if key in closed:
            why = stale_because(s, month, closed[key])
            out.append({"month": key, "state": "stale" if why else "closed", "close": closed[key], "stale": why})
        else:
            out.append({"month": key, "state": "reopened" if key in ever else "open", "close": None, "stale": None})
        month = month.next()
    return out


def _view(s: Session, month_text: str, close: int | None = None) -> tuple[Month, dict[str, Any], dict[str, Any] | None]:
    """A month, whether it is closed, and its stored snapshot if it is (L2: a closed month's
    figures are what was stored, never recomputed); with `close`, that earlier close's."""
    month = parse.month(month_text)
    if close is not None:
        return month, *_earlier(s, month, close)
    info = state(s, month)
    return month, info, snapshot_of(s, info["close"]) if info["closed"] else None


def _earlier(s: Session, month: Month, close: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """One close of the month, in force or not, and its snapshot."""
    rows = {r["id"]: r for r in month_queries.closes_of(s.ledger, str(month))}
    if close not in rows:
        known = ", ".join(f"#{i}" for i in rows) or "none"
        raise InputError("close", _("#{close} is not a close of {month} (its closes: {known}; see `csctl month history {month}`)").format(close=close, month=month, known=known))
    row = rows[close]
    in_force = s.closed_months().get(str(month)) == close
    info = {"month": str(month), "closed": True, "close": close, "closed_by": row["recorded_by"],
            "closed_at": row["recorded_at"], "fingerprint": fingerprint(row_queries.link_of(s.ledger, close)),
            "in_force": in_force}
    return info, snapshot_of(s, close)


def history(s: Session, month_text: str) -> dict[str, Any]:
    """L2: every close of a month and every reopen, in order; for each close, what changed from
    the close before it (scores, outcomes, ranks, pay totals)."""
    month = parse.month(month_text)
    closes = month_queries.closes_of(s.ledger, str(month))
    reopens = month_queries.reopens_of(s.ledger, str(month))
    in_force = s.closed_months().get(str(month))
    entries: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for row in closes:
        snap = snapshot_of(s, row["id"])
        entries.append({"kind": "close", "id": row["id"], "at": row["recorded_at"], "by": row["recorded_by"],
                        "fingerprint": fingerprint(row_queries.link_of(s.ledger, row["id"])),
                        "policy_version": row["policy_version"], "in_force": row["id"] == in_force,
                        "changes": _changes(previous, snap) if previous is not None else None})
        previous = snap
    for row in reopens:
        entries.append({"kind": "reopen", "id": row["id"], "at": row["recorded_at"], "by": row["recorded_by"],
                        "reason": row["reason"]})
    entries.sort(key=lambda e: e["id"])
    return {"month": str(month), "state": "closed" if in_force else ("reopened" if closes else "open"),
            "entries": entries}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What a close changed from the one before it, one line a figure: S07 score 3.5 -> 7.5."""
    out: list[str] = []

    def compare(old: list[dict[str, Any]], new: list[dict[str, Any]], fields: tuple[str, ...]) -> None:
        olds = {line["staff"]: line for line in old}
        news = {line["staff"]: line for line in new}
        for sid in sorted(olds.keys() | news.keys()):
            if sid not in olds or sid not in news:
                out.append(Said(N_("{staff} added") if sid in news else N_("{staff} left out"), staff=sid))
                continue
            for key in fields:
                if olds[sid].get(key) != news[sid].get(key):
                    before, after = olds[sid].get(key), news[sid].get(key)
                    if key == "outcome":
                        before, after = code("outcome", str(before)), code("outcome", str(after))
                    out.append(Said(N_("{staff} {field} {before} -> {after}"), staff=sid,
                                    field=code("close field", key), before=before, after=after))

    compare(before["report"], after["report"], ("score", "outcome", "rank", "referred"))
    compare(before["statements"], after["statements"], ("total",))
    if before["policy"]["digest"] != after["policy"]["digest"]:
        out.append(Said(N_("policy version {before} -> {after}"), before=before['policy']['version'],
                        after=after['policy']['version']))
    if before.get("pools") != after.get("pools"):
        out.append(Said(N_("team bonus pools")))
    return out


def _only(lines: list[dict[str, Any]], s: Session, staff: str | None, missing: str) -> list[dict[str, Any]]:
    if not staff:
        return lines
    sid = s.person(staff).id
    mine = [line for line in lines if line["staff"] == sid]
    if not mine:
        raise InputError("staff", f"{sid} {missing}")
    return mine


def report(s: Session, month_text: str, staff: str | None = None,
           close: int | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The month's report: the stored snapshot if the month is closed (or that of an earlier
    close), else computed now."""
    month, info, snap = _view(s, month_text, close)
    return info, _scored_only(_report_of(s, month, info, snap), s, staff, month)


def _report_of(s: Session, month: Month, info: dict[str, Any], snap: dict[str, Any] | None) -> list[dict[str, Any]]:
    return _marked(snap["report"] if snap else report_lines(s, month), info)


def _scored_only(lines: list[dict[str, Any]], s: Session, staff: str | None, month: Month) -> list[dict[str, Any]]:
    return _only(lines, s, staff, _("is not scored in {month} (customer-service staff and shift leads are)").format(month=month))


def _marked(lines: list[dict[str, Any]], info: dict[str, Any]) -> list[dict[str, Any]]:
    """L5: each line of a stale month says so; a month that is not stale prints its snapshot as stored."""
    if not info.get("stale"):
        return lines
    return [{**line, "stale": True, "stale_because": info["stale"]} for line in lines]


def statements(s: Session, month_text: str, staff: str | None = None,
               close: int | None = None) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    """The month's pay statements (or an earlier close's), and the language of the policy
    they were made under (C6)."""
    month, info, snap = _view(s, month_text, close)
    lines, language = _statements_of(s, month, info, snap)
    return info, _only(lines, s, staff, _("was not active in {month}").format(month=month)), language


def _statements_of(s: Session, month: Month, info: dict[str, Any], snap: dict[str, Any] | None,
                   report: list[dict[str, Any]] | None = None) -> tuple[list[dict[str, Any]], str]:
    """A month's statements and their language: the snapshot's, else computed now from the
    month's report (`report` when the caller has it already)."""
    if snap:
        return _marked(snap["statements"], info), snap["policy"]["values"]["language"]
    _version, policy = s.policy_for(month)
    return pay.statements(s, month, policy, report_lines(s, month) if report is None else report), policy.language


def printing(s: Session, month_text: str, staff: str | None = None,
             close: int | None = None) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    """The statements to print, with what a page says beside the figures: the period, the issue
    date, the policy they were made under, and the close an earlier close's pages are replaced by."""
    month, info, snap = _view(s, month_text, close)
    return _printed(s, month, info, snap, staff)


def _printed(s: Session, month: Month, info: dict[str, Any], snap: dict[str, Any] | None, staff: str | None,
             report: list[dict[str, Any]] | None = None) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    lines, language = _statements_of(s, month, info, snap, report)
    lines = _only(lines, s, staff, _("was not active in {month}").format(month=month))
    current = s.policy_for(month)[1].data
    policy = snap["policy"]["values"] if snap else current
    if "company" not in policy:  # a month closed before the policy named the company: print today's names
        policy = {**policy, "company": current["company"]}
    earlier = [r["id"] for r in month_queries.closes_of(s.ledger, str(month)) if info["closed"] and r["id"] < info["close"]]
    info = {**info, "period": f"{month.first_day} - {month.last_day}", "issued": str(s.today), "policy": policy,
            "replaces": earlier[-1] if earlier else None}
    return info, lines, language


def letters(s: Session, month_text: str, staff: str | None = None) -> tuple[dict[str, Any], list[Any], str]:
    """O1-O3: a letter for each person warned, punished or severely punished in the month, with
    every deduction's rows, their dates and kinds. The month's snapshot (or its report, if it is
    open) is read once, for the letters and for the statements they take names from."""
    month, info, snap = _view(s, month_text)
    scored = _report_of(s, month, info, snap)
    info, lines, language = _printed(s, month, info, snap, staff, scored)
    scored = _scored_only(scored, s, staff, month)
    events = {e.id: e for e in events_of_month(s, month)}
    paid = {line["staff"]: line for line in lines}
    out = []
    for line in scored:
        if line["outcome"] not in ("warning", "punishment", "severe"):
            continue
        line = {**paid.get(line["staff"], {}), **line}  # the department and level from the statement
        rows = []
        for d in line["deductions"]:
            for i, row_id in enumerate(d["rows"]):
                event = events.get(row_id)
                rows.append({"rule": d["rule"], "row": row_id, "date": str(event.day) if event else "",
                             "kind": event.kind if event else "", "points": d["points"] if i == 0 else ""})
        out.append((line, rows))
    return info, out, language


def pools(s: Session, month_text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The month's team bonus pools (C7), once its costs are recorded."""
    month, info, snap = _view(s, month_text)
    result = snap["pools"] if snap else pay.pools(s, month, s.policy_for(month)[1])
    if result is None:
        raise InputError("month", _("no costs are recorded for {month}; record them with `csctl month costs {month} --product-cost X --marketing X --shipping-loss X --other X`").format(month=month))
    return info, result


def close(s: Session, month_text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Close a month (L2): compute, and store the snapshot with the policy version used."""
    month = parse.month(month_text)
    with s.write(tables.write_rank("closes"), doing=_("closing a month")) as w:
        if month.last_day >= s.today:
            raise InputError("month", _("{month} has not ended; it can be closed from {first_day}").format(month=month, first_day=month.next().first_day))
        closed = s.closed_months()
        if str(month) in closed:
            raise RuleViolation("L2", _("{month} is already closed (close #{closed}); reopen it first to close it again").format(month=month, closed=closed[str(month)]))
        snap = snapshot(s, month)
        text = canonical(snap)
        head = s.ledger.head()
        row = w.append("closes", {"month": str(month), "policy_version": snap["policy"]["version"],
                                  "policy_digest": snap["policy"]["digest"], "snapshot": text,
                                  "chain_head": head[1] if head else GENESIS})
    out = jsonable(row)
    out.pop("snapshot")
    # What `verify` prints straight after: the link of this very close (chain_head, stored in
    # the row, is the link before it, which the close could not include).
    out["fingerprint"] = fingerprint(row_queries.link_of(s.ledger, row["id"]))
    return out, snap


def reopen(s: Session, month_text: str, reason: str) -> dict[str, Any]:
    """Reopen a closed month for corrections (L2): a manager or above, with a reason."""
    month = parse.month(month_text)
    why = parse.text(reason, "reason")
    with s.write(tables.write_rank("reopens"), rule="L2", doing=_("reopening a closed month")) as w:
        if str(month) not in s.closed_months():
            raise InputError("month", _("{month} is not closed").format(month=month))
        row = w.append("reopens", {"month": str(month), "reason": why})
    return jsonable(row)
