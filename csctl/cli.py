"""The csctl command tree: global options, the nouns, and the last line of defence.

The tree is a table (`TREE`): each name's module and the one line `csctl --help` shows for
it. Only the module of the noun being run is imported, and only the command being run is
built (commands/__init__.py, `LazyGroup`). Errors a user can act on become exits inside each
command; what reaches `main` beyond that is a fault of csctl, reported in one line without a
traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any, Optional

import typer

from . import __version__, i18n
from .commands import BY_HELP, CSV_HELP, DB_HELP, JSON_HELP, LANG_HELP, LazyGroup, _spoken_help, route
from .errors import ExitStatus
from .i18n import N_, _

# name: (where, the one line `csctl --help` shows). "log" is the noun in commands/log.py (its
# `app`); "ledger:init" is the command `init` of commands/ledger.py, at the top level. The
# line must be the first paragraph of the noun's help or the command's docstring
# (tests/test_cli_tree.py). Adding a noun: its module in commands/ and one line here.
TREE: dict[str, tuple[str, str]] = {
    "init": ("ledger:init", "Create the ledger, or upgrade it to this version's schema; safe to run again."),
    "demo": ("ledger:demo", "Fill a demo ledger of its own with a sample department and a year of months, "
                            "closed; print the report."),
    "void": ("ledger:void", "Void a row recorded by mistake (L1): it stays visible and leaves every figure."),
    "verify": ("ledger:verify", "Check the whole ledger against its hash chain; names the first row altered "
                                "outside csctl."),
    "backup": ("ledger:backup", "Copy the ledger to a new file while it is in use, and verify the copy."),
    "staff": ("staff", "Register the department's people, list them, mark leavers."),
    "log": ("log", "Record discipline events (D1-D10) and list or import them."),
    "sales": ("sales", "Record sales and refunds, import the shop's export, list them, enter special "
                       "commission."),
    "month": ("month", "Close a month and report its scores, outcomes, ranks and pay statements."),
    "policy": ("policy", "Show the policy in force or store a new version."),
    "rules": ("rules:rules", "Explain a rule by its id, with the policy values it uses and which version set them."),
    "review": ("review:review", "Who is due for promotion, and who is on watch for demotion or dismissal (P4-P6), "
                                "from closed months."),
    "handover": ("handover", "Open, answer and sign off shift handovers (H1-H4); list who is still on the hook."),
    "duty": ("duty", "Keep the duty log: who is on duty, incidents and reports, swaps (H5, H6)."),
    "hazmat": ("hazmat", "Keep the hazardous materials register: stock, draws, returns, counts and anomalies (Z1-Z6)."),
    "keys": ("keys", "Keep the key cabinet: register keys, lend them, open sealed keys, check what is not back (K1-K8)."),
}


class Tree(LazyGroup):
    """The root group: every name in TREE, routed, nothing imported until it is run."""

    def __init__(self, **attrs: object) -> None:
        super().__init__(**attrs)  # type: ignore[arg-type]
        self.commands = route(TREE, pretty_exceptions_short=app.pretty_exceptions_short,
                              rich_markup_mode=self.rich_markup_mode, suggest_commands=self.suggest_commands)

    def main(self, args: Optional[Sequence[str]] = None, *rest: Any, **extra: Any) -> Any:
        """Choose the language from the command line before Click parses it, so that help and
        Click's own complaints speak it (the policy, in the ledger, is not open yet)."""
        args = list(sys.argv[1:] if args is None else args)
        i18n.start_quietly(args)
        _spoken_help(self)
        return super().main(args, *rest, **extra)


app = typer.Typer(
    name="csctl",
    cls=Tree,
    help="A customer-service department's rulebook as an append-only ledger: discipline scores, "
    "pay statements, and every row explained.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csctl {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[Optional[str], typer.Option("--db", help=DB_HELP, show_default=False)] = None,
    by: Annotated[Optional[str], typer.Option("--by", help=BY_HELP, show_default=False)] = None,
    json_: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    csv_: Annotated[bool, typer.Option("--csv", help=CSV_HELP)] = False,
    lang: Annotated[Optional[str], typer.Option("--lang", help=LANG_HELP, show_default=False)] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help=N_("Print the version."))] = False,
) -> None:
    """Options given here apply to the command that follows (`csctl --db x.db log late ...`)."""
    ctx.obj = {"db": db, "by": by, "json": json_, "csv": csv_, "lang": lang}


def main() -> None:
    try:
        app(prog_name="csctl")
    except KeyboardInterrupt:
        sys.stderr.write(_("interrupted; the write in progress was not recorded") + "\n")
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`csctl log list | head`); say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:  # a bug in csctl: one line, no traceback
        if os.environ.get("CSCTL_DEBUG"):
            raise
        sys.stderr.write(_("internal error: {kind}: {error} (CSCTL_DEBUG=1 shows the traceback)").format(
            kind=type(exc).__name__, error=exc) + "\n")
        sys.exit(int(ExitStatus.INTERNAL))


if __name__ == "__main__":  # pragma: no cover
    main()
