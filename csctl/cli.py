"""The csctl command tree: global options, the nouns, and the last line of defence.

Errors a user can act on become exits inside each command (commands/__init__.py); what
reaches `main` beyond that is a fault of csctl, reported in one line without a traceback.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer

from . import __version__
from .commands import BY_HELP, CSV_HELP, DB_HELP, JSON_HELP, ledger, log, month, policy, sales, staff
from .errors import ExitStatus

app = typer.Typer(
    name="csctl",
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
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """Options given here apply to the command that follows (`csctl --db x.db log late ...`)."""
    ctx.obj = {"db": db, "by": by, "json": json_, "csv": csv_}


ledger.register(app)
app.add_typer(staff.app, name="staff")
app.add_typer(log.app, name="log")
app.add_typer(sales.app, name="sales")
app.add_typer(month.app, name="month")
app.add_typer(policy.app, name="policy")


def main() -> None:
    try:
        app(prog_name="csctl")
    except KeyboardInterrupt:
        sys.stderr.write("interrupted; the write in progress was not recorded\n")
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`csctl log list | head`); say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:  # a bug in csctl: one line, no traceback
        if os.environ.get("CSCTL_DEBUG"):
            raise
        sys.stderr.write(f"internal error: {type(exc).__name__}: {exc} (CSCTL_DEBUG=1 shows the traceback)\n")
        sys.exit(int(ExitStatus.INTERNAL))


if __name__ == "__main__":  # pragma: no cover
    main()
