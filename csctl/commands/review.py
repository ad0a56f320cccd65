"""csctl review: who is due for promotion, on watch for demotion or for dismissal (P4-P6)."""

from __future__ import annotations

from ..i18n import N_, _, language, spoken, tr, word

from typing import Annotated, Any, Optional

import typer

from . import Call, command, top_level

# Not a noun: cli.py routes `review` to the top level ("review:review").
app = top_level()

CSV_COLUMNS = ["staff", "name", "level", "next_level", "promotion_due", "conditions", "watch", "watch_months"]


@command(app, "review", listing=True)
def review(
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="The month reviewed, YYYY-MM, closed (default: the last closed month).", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Who is due for promotion, and who is on watch for demotion or dismissal (P4-P6), from closed months.

    Each condition of the next step says whether it holds and why; a watch names its months.

    Example: csctl review --as-of 2026-12
    """
    from .. import render
    from ..services import levels

    data = levels.review(call.session(), as_of)
    people = data["people"]
    if call.json:
        render.out_json(people)
    elif call.csv:
        render.out_csv([{**p, "conditions": "; ".join(_condition(c) for c in p["conditions"]),
                         "watch_months": " ".join(p["watch_months"])} for p in people], CSV_COLUMNS)
    else:
        render.table([_row(p) for p in people], [("staff", _("Staff")), ("level", _("Level, next")),
                                                 render.Col("why", _("Conditions of the next step; watches"),
                                                            render.PROSE)],
                     title=_("Review as of {as_of}").format(as_of=data['as_of']),
                     caption=_("closed months read: {months}").format(months=_months(data['months'])),
                     styles=lambda r: "yellow" if r["watched"] else ("green" if r["due"] else None))


LABELS = {"top_three": N_("top three"), "quarterly_grades": N_("grades"), "probation_review": N_("probation review"),
          "titles": N_("titles"), "service": N_("service")}


def _condition(c: dict[str, Any]) -> str:
    return f"{c['condition']}: {'yes' if c['holds'] else 'no'}, {c['detail']}"


def _row(p: dict[str, Any]) -> dict[str, Any]:
    lines = [f"{'✓' if c['holds'] else '✗'} {tr(LABELS[c['condition']]) if c['condition'] in LABELS else c['condition']}: "
             f"{spoken(c['detail'])}"
             for c in p["conditions"]]
    watch = {"demotion": _("! demotion watch ({rule}): {reason}"), "dismissal": _("! dismissal watch ({rule}): {reason}")}
    lines += [watch.get(p["watch"], "! {rule}: {reason}").format(rule=w['rule'], reason=spoken(w['reason']))
              for w in p["watch_reasons"]]
    if language() == "en":
        level = (p["level"] or "-").replace("_", " ")
        if p["next_level"]:
            level += "\n→ " + p["next_level"].replace("reserve_supervisor", "reserve\n  supervisor")
    else:
        level = word("level", p["level"]) if p["level"] else "-"
        if p["next_level"]:
            level += "\n→ " + word("level", p["next_level"])
    if p["promotion_due"]:
        level += "\n" + _("due")
    return {"staff": f"{p['staff']}\n{p['name']}", "level": level, "why": "\n".join(lines) or "—",
            "watched": p["watch"] != "none", "due": p["promotion_due"]}


def _months(months: list[str]) -> str:
    return months[0] if len(months) == 1 else _("{first} to {last} ({count})").format(
        first=months[0], last=months[-1], count=len(months))
