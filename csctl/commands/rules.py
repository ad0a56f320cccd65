"""csctl rules: the rulebook by id, with the policy values in force."""

from __future__ import annotations

from ..i18n import _, tr

from typing import Annotated, Optional

import typer

from . import Call, command, top_level

# Not a noun: cli.py routes `rules` to the top level ("rules:rules").
app = top_level()


@command(app, "rules", listing=True)
def rules(
    rule_id: Annotated[Optional[str], typer.Argument(metavar="[ID]", help="A rule id, e.g. D5 or d5; without it, every rule.", show_default=False)] = None,
    month: Annotated[Optional[str], typer.Option("--month", help="The policy in force in this month (default: this month).", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Explain a rule by its id, with the policy values it uses and which version set them.

    Without an id, every rule with a line on what it counts and its values. With no ledger
    yet (and no --db), the shipped default policy is shown.

    Example: csctl rules D5 --month 2026-12
    """
    from .. import render
    from ..services import rulebook

    if rule_id is not None:
        rulebook.rule(rule_id)  # an unknown id is refused before the ledger is opened
    missing = rulebook.missing_default_ledger(call.db)
    s = None if missing else call.session()
    data = rulebook.listing(s, month) if rule_id is None else rulebook.explain(s, rule_id, month)
    if missing:
        render.note(_("no ledger at {missing}: showing the shipped default policy").format(missing=missing))
    (_show_all if rule_id is None else _show_one)(call, data)


def _policy_line(data: dict) -> str:
    version = _("version {version} (from {month})").format(version=data['version'], month=data['effective_from']) if data["version"] else _("the shipped default")
    return _("Policy in force in {month}: {version}").format(month=data['month'], version=version)


def _show_all(call: Call, data: dict) -> None:
    from .. import render

    if call.json:
        render.out_json(data)
    elif call.csv:
        render.out_csv(data["rules"], ["id", "title", "values", "enforced"])
    else:
        rows = [{**r, "title": tr(r["title"]) + ("" if r["enforced"] else _(" (not yet enforced)"))}
                for r in data["rules"]]
        render.table(rows, [("id", _("Rule")), ("title", _("What it counts or decides")), ("values", _("Values"))],
                     title=_policy_line(data), caption=_("csctl rules ID: the whole rule"))


def _show_one(call: Call, data: dict) -> None:
    import textwrap

    from .. import render

    if call.json:
        render.out_json(data)
    elif call.csv:
        render.out_csv(data["keys"], ["key", "value", "source"])
    else:
        render.line(f"{data['id']} {tr(data['title'])}" + ("" if data["enforced"] else _(" (not yet enforced)")))
        render.line("")
        render.line(textwrap.fill(data["text"], width=88))
        render.line("")
        render.line(_policy_line(data) + ("" if data["keys"] else _("; this rule reads no policy key")))
        if data["keys"]:
            render.table(data["keys"], [("key", _("Key")), ("value", _("Value")), ("source", _("Set by"))])
