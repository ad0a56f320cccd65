"""csctl policy: the numbers the rules use, versioned in the ledger."""

from __future__ import annotations

from ..i18n import _

from typing import Annotated, Optional

import typer

from . import Call, command, sub_app

app = sub_app("Show the policy in force or store a new version.")


@command(app, "show", listing=True)
def show(
    month: Annotated[Optional[str], typer.Option("--month", help="The policy in force in this month (default: this month).", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Show every number the rules use, and which version set it.

    Example: csctl policy show --month 2026-10
    """
    from .. import render
    from ..services import policies

    data = policies.show(call.session(), month)
    if call.json:
        render.out_json(data)
    elif call.csv:
        render.out_csv(data["keys"], ["key", "value", "source"])
    else:
        version = _("version {version} (from {month})").format(version=data['version'], month=data['effective_from']) if data["version"] else _("the shipped default")
        render.table(data["keys"], [("key", _("Key")), ("value", _("Value")), ("source", _("Set by"))],
                     title=_("Policy in force in {month}: {version}").format(month=data['month'], version=version),
                     caption=_("digest {digest}").format(digest=data['digest'][:16]))
        if data["departments_not_set"]:
            render.line(_("not set (base 0, no plan): ") + ", ".join(data["departments_not_set"]))


@command(app, "set")
def set_(
    file: Annotated[str, typer.Argument(help="A TOML file with the keys to change.", show_default=False)],
    from_month: Annotated[str, typer.Option("--from", help="First month it is in force, YYYY-MM.", show_default=False)],
    *,
    call: Call,
) -> None:
    """Store a new policy version, in force from a month on (a manager or above).

    Example: csctl policy set stricter.toml --from 2026-12
    """
    from .. import render
    from ..services import policies

    row = policies.set_version(call.session(), policies.read_file(file), from_month)
    if call.json:
        render.out_json(row)
    else:
        render.line(_("recorded #{id}: policy version {id} in force from {effective_from}").format(id=row['id'], effective_from=row['effective_from']))
