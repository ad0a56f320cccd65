"""What every command shares: the global options and the one place errors become exits.

`@command(app)` registers a function as a Typer command and gives it `--db`, `--by`,
`--json` (and `--csv` for listings) after the command words, merged with the same options
given before the noun (`csctl --db x.db log late ...`). The function receives a `Call`; a
`CsctlError` it raises becomes one line on stderr and the error's exit code.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from dataclasses import dataclass, field
from typing import Annotated, Any, Callable, Optional

import typer

from ..errors import CsctlError

DB_HELP = "Ledger file (else $CSCTL_DB, else the per-user ledger)."
BY_HELP = "Staff id of the person recording (else $CSCTL_USER)."
JSON_HELP = "Print JSON on stdout and nothing else."
CSV_HELP = "Print CSV on stdout."


@dataclass
class Call:
    """One command's global options and, once asked for, its session on the ledger."""

    db: str | None = None
    by: str | None = None
    json: bool = False
    csv: bool = False
    creates: bool = True  # a command that reads only never creates a ledger where none is
    _session: Any = field(default=None, repr=False)

    def session(self) -> Any:
        if self._session is None:
            from ..services import Session

            self._session = Session.open(self.db, self.by, create=self.creates)
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None


def _kw(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def command(app: typer.Typer, name: str | None = None, *, listing: bool = False,
            read_only: bool | None = None) -> Callable:
    """Register `fn(..., call: Call)` as a command of `app` with the global options.

    A listing also takes --csv. A command that only reads (listings unless told otherwise)
    refuses a ledger file that does not exist rather than creating an empty one: a mistyped
    --db then says so instead of reporting an empty department.
    """
    reads_only = listing if read_only is None else read_only

    def register(fn: Callable) -> Callable:
        signature = inspect.signature(fn, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "call"]
        extra = [
            _kw("db", Annotated[Optional[str], typer.Option("--db", help=DB_HELP, show_default=False)]),
            _kw("by", Annotated[Optional[str], typer.Option("--by", help=BY_HELP, show_default=False)]),
            _kw("json_", Annotated[bool, typer.Option("--json", help=JSON_HELP)], False),
        ]
        if listing:
            extra.append(_kw("csv_", Annotated[bool, typer.Option("--csv", help=CSV_HELP)], False))
        extra.append(_kw("ctx", typer.Context, inspect.Parameter.empty))

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            ctx: typer.Context = kwargs.pop("ctx")
            root = ctx.find_root().obj or {}
            db, by = kwargs.pop("db"), kwargs.pop("by")
            call = Call(
                db=db if db is not None else root.get("db"),
                by=by if by is not None else root.get("by"),
                json=kwargs.pop("json_") or root.get("json", False),
                csv=kwargs.pop("csv_", False) or root.get("csv", False),
                creates=not reads_only,
            )
            if call.json and call.csv:
                fail(CsctlError("--json and --csv: choose one"))
            try:
                result = fn(*args, call=call, **kwargs)
                sys.stdout.flush()  # a full disk or a closed pipe is met here, not at exit
                return result
            except CsctlError as exc:
                fail(exc)
            except BrokenPipeError:
                # The reader went away (`csctl sales list --csv | head -1`): what it wanted, it has.
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                raise typer.Exit(0) from None
            except OSError as exc:
                if exc.filename is not None:  # a file of the command's own, not the output
                    raise
                fail(CsctlError(f"output: cannot write the result: {exc.strerror}"))
            finally:
                call.close()

        params = own + extra
        run.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in params}
        app.command(name)(run)
        return fn

    return register


def fail(exc: CsctlError) -> None:
    """The one place an error becomes a line on stderr and an exit code."""
    from .. import render

    render.error(exc.line())
    raise typer.Exit(int(exc.status))


def sub_app(help_text: str) -> typer.Typer:
    return typer.Typer(help=help_text, no_args_is_help=True, add_completion=False,
                       context_settings={"help_option_names": ["-h", "--help"]})
