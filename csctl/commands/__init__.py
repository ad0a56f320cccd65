"""What every command shares: the global options and the one place errors become exits.

`@command(app)` registers a function as a Typer command and gives it `--db`, `--by`,
`--json` (and `--csv` for listings) after the command words, merged with the same options
given before the noun (`csctl --db x.db log late ...`). The function receives a `Call`; a
`CsctlError` it raises becomes one line on stderr and the error's exit code.

The tree is lazy (`LazyGroup`, `route`): cli.py names the nouns and their one-line help, a
noun's module is imported only when the noun is run, and of its commands only the one run is
built. Help listings read names and help without building anything.
"""

from __future__ import annotations

from ..i18n import N_, _

import copy
import functools
import importlib
import inspect
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup
from typer.models import TyperInfo

from .. import i18n
from ..errors import CsctlError, InputError

# Help is English here and translated when the command is built (`_spoken_help`).
DB_HELP = N_("Ledger file (else $CSCTL_DB, else the per-user ledger).")
BY_HELP = N_("Staff id of the person recording (else $CSCTL_USER).")
JSON_HELP = N_("Print JSON on stdout and nothing else.")
CSV_HELP = N_("Print CSV on stdout.")
LANG_HELP = N_("Language of messages, tables and printed pages: zh or en (else $CSCTL_LANG, the policy's, the locale's).")
BOM_HELP = N_("With --csv: begin with a UTF-8 byte-order mark, so that Excel reads Chinese text right.")
FORMAT_HELP = N_("table (the default) or xlsx: a spreadsheet, written to --out FILE.xlsx.")
OUT_HELP = N_("The spreadsheet to write, NAME.xlsx (replaced if it exists); --out alone means --format xlsx.")


class Call:
    """One command's global options and, once asked for, its session on the ledger."""

    def __init__(self, db: str | None = None, by: str | None = None, json: bool = False, csv: bool = False,
                 creates: bool = True):
        self.db = db
        self.by = by
        self.json = json
        self.csv = csv
        self.creates = creates  # a command that reads only never creates a ledger where none is
        self.sheet: Any = None  # the spreadsheet the listing goes to (--format xlsx --out FILE)
        self.ctx: Any = None  # the command's context, which names the sheet
        self._session: Any = None

    def to_sheet(self, out: Any) -> None:
        """Send the listing to a spreadsheet at `out` instead of stdout: its CSV rows, typed
        (csctl/sheet.py). Checked before anything is read: nothing is written on bad input."""
        from .. import render, sheet

        path = sheet.target(out)
        if self.json or self.csv:
            raise CsctlError(_("--format xlsx and --{option}: choose one").format(option='json' if self.json else 'csv'))
        self.sheet, self.csv = path, True
        render.to_sheet(path, _sheet_words(self.ctx) if self.ctx is not None else "listing")

    def session(self, *, empty_ok: bool = False, policy: bool = True) -> Any:
        """The command's session; `empty_ok`: an existing empty file may be made a ledger (init);
        `policy` False: no policy is read on opening (verify reads the chain before any of it)."""
        if self._session is None:
            from ..services import Session

            self._session = Session.open(self.db, self.by, create=self.creates, empty_ok=empty_ok, clock=policy)
            if policy:
                i18n.policy_says(self._session.language)
            self.warn()
        return self._session

    def warn(self) -> None:
        """Print what the ledger has to say besides the result (a newer ledger, a witness that
        could not be written), once, on stderr."""
        if self._session is not None and self._session.ledger.warnings:
            from .. import render

            for text in self._session.ledger.warnings:
                render.note(text)
            self._session.ledger.warnings.clear()

    def close(self) -> None:
        if self._session is not None:
            self.warn()
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
        app.command(name, cls=Command)(_Run(fn, listing=listing, reads_only=reads_only))
        return fn

    return register


class _Run:
    """A command function as Typer runs it: its own parameters, then --db, --by, --json (and
    --csv), then the context; it calls the function with a `Call` and turns errors into exits.

    Typer reads the parameters from `__signature__` when it builds the command. They are
    worked out then, not when the noun's module is imported, so a module that declares a
    dozen commands evaluates the annotations of only the one that runs.
    """

    def __init__(self, fn: Callable, *, listing: bool, reads_only: bool) -> None:
        # Name, docstring and __wrapped__ as functools.wraps gives them; the annotations are
        # the merged ones below, not the function's own.
        functools.update_wrapper(self, fn, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
        self._fn, self._listing, self._reads_only = fn, listing, reads_only

    @functools.cached_property
    def __signature__(self) -> inspect.Signature:
        signature = inspect.signature(self._fn, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "call"]
        extra = [
            _kw("db", Annotated[Optional[str], typer.Option("--db", help=DB_HELP, show_default=False)]),
            _kw("by", Annotated[Optional[str], typer.Option("--by", help=BY_HELP, show_default=False)]),
            _kw("json_", Annotated[bool, typer.Option("--json", help=JSON_HELP)], False),
            _kw("lang", Annotated[Optional[str], typer.Option("--lang", help=LANG_HELP, show_default=False)]),
        ]
        if self._listing:
            extra.append(_kw("csv_", Annotated[bool, typer.Option("--csv", help=CSV_HELP)], False))
            extra.append(_kw("bom", Annotated[bool, typer.Option("--bom", help=BOM_HELP)], False))
            if not {"format_", "out"} & {p.name for p in own}:  # month statement has its own
                extra.append(_kw("sheet_format", Annotated[Optional[str], typer.Option(
                    "--format", help=FORMAT_HELP, show_default=False)]))
                extra.append(_kw("sheet_out", Annotated[Optional[Path], typer.Option(
                    "--out", help=OUT_HELP, show_default=False)]))
        extra.append(_kw("ctx", typer.Context, inspect.Parameter.empty))
        return signature.replace(parameters=own + extra)

    @property  # type: ignore[misc]
    def __annotations__(self) -> dict[str, Any]:  # what typing.get_type_hints reads
        return {p.name: p.annotation for p in self.__signature__.parameters.values()}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        ctx: typer.Context = kwargs.pop("ctx")
        root = ctx.find_root().obj or {}
        db, by = kwargs.pop("db"), kwargs.pop("by")
        lang = kwargs.pop("lang")
        try:
            i18n.start(lang if lang is not None else root.get("lang"))
        except CsctlError as exc:
            fail(exc)
        call = Call(
            db=db if db is not None else root.get("db"),
            by=by if by is not None else root.get("by"),
            json=kwargs.pop("json_") or root.get("json", False),
            csv=kwargs.pop("csv_", False) or root.get("csv", False),
            creates=not self._reads_only,
        )
        if call.json and call.csv:
            fail(CsctlError(_("--json and --csv: choose one")))
        bom = kwargs.pop("bom", False)
        if bom and not call.csv:
            fail(CsctlError(_("--bom goes with --csv")))
        call.ctx = ctx
        fmt, out = kwargs.pop("sheet_format", None), kwargs.pop("sheet_out", None)
        try:
            _listing_format(call, fmt, out)
            if bom:
                from .. import render

                render.csv_bom(True)
            result = self._fn(*args, call=call, **kwargs)
            sys.stdout.flush()  # a full disk or a closed pipe is met here, not at exit
            if call.sheet is not None:
                from .. import render

                if not render.sheet_written():  # a listing whose CSV path does not reach out_csv
                    raise RuntimeError(f"{ctx.command_path}: the listing wrote no spreadsheet")
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
            fail(CsctlError(_("output: cannot write the result: {strerror}").format(strerror=exc.strerror)))
        finally:
            if bom:  # a command refused before its CSV must not hand the mark to the next one run here
                from .. import render

                render.csv_bom(False)
            call.close()
            if call.sheet is not None:
                from .. import render

                render.sheet_written()  # forget it, whatever happened


def _listing_format(call: Call, fmt: str | None, out: Path | None) -> None:
    """A listing's --format and --out: a table on the terminal, or a spreadsheet at --out
    (--out alone means xlsx); checked before the command reads anything."""
    if choose_format(fmt, out, ("table", "xlsx")) == "xlsx":
        call.to_sheet(out)


def choose_format(fmt: str | None, out: Path | None, formats: tuple[str, ...]) -> str:
    """The output a command's --format and --out ask for, among its `formats`: a table on the
    terminal; xlsx, a spreadsheet at --out FILE.xlsx; html or pdf, printable pages into the
    folder --out. --out alone means xlsx for NAME.xlsx, else the first page format (a folder
    given and nothing written in it, silently, helps nobody). Bad pairs are refused at once."""
    pages = [f for f in formats if f in ("html", "pdf")]
    if fmt is None:
        fmt = "table" if out is None else ("xlsx" if out.suffix.lower() == ".xlsx" or not pages else pages[0])
    if fmt not in formats:
        raise InputError("format", _("{fmt!r} is not a format of this command; one of {formats}").format(
            fmt=fmt, formats=", ".join(formats)))
    if fmt in pages and out is None:
        raise InputError("out", _("--format {format} needs --out FOLDER").format(format=fmt))
    if fmt == "xlsx" and out is None:
        raise InputError("out", _("--format xlsx needs --out FILE.xlsx"))
    if fmt == "table" and out is not None:
        raise InputError("format", _("--format table prints to the terminal and writes nothing to {out}; drop --out, or use --format {others}").format(
            out=out, others=", ".join(f for f in formats if f != "table")))
    return fmt


def _sheet_words(ctx: typer.Context) -> str:
    """What a listing is, for its sheet's name: the command words, then its arguments and month
    (`month report 2026-10`, `keys history EQ-01`, `log list 2026-10`)."""
    from ..sheet import sheet_name

    words: list[str] = []
    here: Any = ctx
    while here is not None and here.parent is not None:
        words.insert(0, here.info_name or "")
        here = here.parent
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if value is not None and (param.param_type_name == "argument" or param.name in ("month", "as_of")):
            words.append(str(value))
    return sheet_name(words)


def fail(exc: CsctlError) -> None:
    """The one place an error becomes a line on stderr and an exit code."""
    from .. import render

    render.error(exc.line())
    raise typer.Exit(int(exc.status))


def sub_app(help_text: str) -> typer.Typer:
    """A noun's Typer app; routed from cli.py, it builds only the command that is run."""
    return typer.Typer(help=help_text, no_args_is_help=True, add_completion=False, cls=LazyGroup,
                       context_settings={"help_option_names": ["-h", "--help"]})


def top_level() -> typer.Typer:
    """A holder for commands that cli.py routes to the top level one by name (commands/ledger.py)."""
    return typer.Typer(add_completion=False)


# ----------------------------------------------------------------------------- the lazy tree


class Routes(Mapping[str, Any]):
    """A group's commands by name, each built the first time it is asked for.

    Names, order and what a help listing shows of each command are known up front; iterating
    over the items (as a test that walks the whole tree does) builds every command.
    """

    def __init__(self) -> None:
        self._build: dict[str, Callable[[], Any]] = {}
        self._shown: dict[str, Callable[[], dict[str, Any]]] = {}
        self._built: dict[str, Any] = {}

    def add(self, name: str, build: Callable[[], Any], shown: Callable[[], dict[str, Any]]) -> None:
        """Route `name` to `build()`; `shown()` gives what a listing shows: help, short_help..."""
        self._build[name] = build
        self._shown[name] = shown

    def put(self, name: str, command: Any) -> None:
        """Add a command that is built already."""
        self.add(name, lambda: command, dict)
        self._built[name] = command

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            self._built[name] = self._build[name]()
        return self._built[name]

    def get(self, name: str, default: Any = None) -> Any:
        # Only an unknown name is "no such command"; a KeyError while building is a fault.
        return self[name] if name in self._build else default

    def __iter__(self) -> Iterator[str]:
        return iter(self._build)

    def __len__(self) -> int:
        return len(self._build)

    def listed(self, name: str) -> Any:
        """What a help listing reads of the command: the command if built, else a stand-in
        carrying its name and help, built from the table."""
        if name in self._built or name not in self._build:
            return self.get(name)
        return TyperCommand(name=name, **self._shown[name]())


# ----------------------------------------------------------------------------- what Click says


# Typer's own words in its help and error panels: module settings of typer.rich_utils, read each
# time a panel is drawn. They are set to the language in use before one is (`_typer_words`).
TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"), "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"), "ERRORS_PANEL_TITLE": N_("Error"),
    "REQUIRED_LONG_STRING": N_("[required]"), "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"), "DEPRECATED_STRING": N_("(deprecated) "),
    "ABORTED_TEXT": N_("Aborted."), "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}
_typer_spoken = {"lang": "en"}  # the language typer.rich_utils was last set to


def _typer_words() -> None:
    """Set Typer's panel words to the language in use; English, never changed, imports nothing."""
    lang = i18n.language()
    if lang == _typer_spoken["lang"]:
        return
    from typer import rich_utils

    for name, english in TYPER_WORDS.items():
        setattr(rich_utils, name, i18n.tr(english))
    _typer_spoken["lang"] = lang


def _hint(exc: Any) -> str:
    """The parameter an error of Click's is about, as Click names it: 'staff', '--minutes'."""
    from typer._click.exceptions import _join_param_hints

    hint = exc.param_hint if exc.param_hint is not None else (
        exc.param.get_error_hint(exc.ctx) if exc.param is not None else None)
    return _join_param_hints(hint) or ""


def _spoken(exc: Any) -> Any:
    """A usage error of Click's in the language in use, built from what the error holds (the
    option, the parameter, the possibilities), the same class of error with the same context.
    English, and an error this does not know, are the error as it was."""
    from typer._click import exceptions as click

    _typer_words()
    if i18n.language() == "en" or isinstance(exc, click.NoArgsIsHelpError):
        return exc
    if isinstance(exc, click.NoSuchOption):
        if exc.possibilities:
            text = _("No such option: {option} (Possible options: {options})").format(
                option=exc.option_name, options=", ".join(sorted(exc.possibilities)))
        else:
            text = _("No such option: {option}").format(option=exc.option_name)
    elif isinstance(exc, click.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        text = {"argument": _("Missing argument {name}."), "option": _("Missing option {name}.")}.get(
            kind, _("Missing parameter {name}.")).format(name=_hint(exc))
    elif isinstance(exc, click.BadParameter):
        reason = exc.message
        kind = getattr(getattr(exc.param, "type", None), "name", None)
        if kind in ("int", "integer") and reason.endswith(f" is not a valid {kind}."):  # Click's words for a number
            reason = _("{value} is not a whole number.").format(value=reason[:-len(f" is not a valid {kind}.")])
        text = _("Invalid value for {name}: {reason}").format(name=_hint(exc), reason=reason)
    elif isinstance(exc, click.BadOptionUsage) and exc.message == f"Option {exc.option_name!r} requires an argument.":
        text = _("Option {option!r} requires an argument.").format(option=exc.option_name)
    elif isinstance(exc, click.BadOptionUsage) and exc.message == f"Option {exc.option_name!r} does not take a value.":
        text = _("Option {option!r} does not take a value.").format(option=exc.option_name)
    elif type(exc) is click.UsageError and exc.message.startswith(_EXTRA) and exc.message.endswith(")"):
        text = _("Got unexpected extra argument(s) ({args})").format(args=exc.message[len(_EXTRA):-1])
    else:
        return exc
    return click.UsageError(text, exc.ctx)


_EXTRA = "Got unexpected extra argument(s) ("  # Click's ctx.fail() for words left over: no fields


class _Speaks:
    """What Click and Typer say of a command themselves, in the language in use: the usage line,
    the help option's help, the panels' titles and their usage errors. The command's own help
    is translated when it is built (`_spoken_help`)."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),  # type: ignore[attr-defined]
                              prefix=_("Usage: "))

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _typer_words()
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from typer._click.exceptions import UsageError

        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except UsageError as exc:
            spoken = _spoken(exc)
            if spoken is exc:
                raise
            raise spoken from None


class Command(_Speaks, TyperCommand):
    """A csctl command as Typer builds it, speaking the language in use."""


def _spoken_help(command: Any) -> Any:
    """A command just built, its help and its parameters' help in the language in use."""
    if i18n.language() != "en":
        command.help = i18n.help_text(command.help)
        for param in command.params:
            if getattr(param, "help", None):
                param.help = i18n.help_text(param.help)
    return command


class LazyGroup(_Speaks, TyperGroup):
    """A Typer group that builds a command only when it is run.

    Click's lazy-loading pattern: `list_commands` names every command from the routes and
    `get_command` builds the one asked for. While the group's own help is drawn, each row of
    the listing comes from the routes instead, so `--help` builds nothing either. With a plain
    dict of built commands (Typer building a sub-app on its own) it is an ordinary group.
    """

    _listing = False

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:
        if self._listing and isinstance(self.commands, Routes):
            return self.commands.listed(cmd_name)
        return self.commands.get(cmd_name)

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:
        from typer._click.exceptions import UsageError

        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:
            _typer_words()
            name = args[0] if args else ""
            if i18n.language() == "en" or type(exc) is not UsageError or name.startswith("-") or name in self.commands:
                raise
            import difflib  # "No such command": the name typed and the names it is close to

            matches = difflib.get_close_matches(name, list(self.commands)) if self.suggest_commands else []
            if matches:
                text = _("No such command {name!r}. Did you mean {suggestions}?").format(
                    name=name, suggestions=", ".join(repr(m) for m in matches))
            else:
                text = _("No such command {name!r}.").format(name=name)
            raise UsageError(text, ctx) from None


def route(tree: Mapping[str, tuple[str, str]], *, pretty_exceptions_short: bool, rich_markup_mode: Any,
          suggest_commands: bool) -> Routes:
    """Routes for cli.py's table, `name: (where, one-line help)`, importing nothing yet.

    `where` is a module of this package: "log" routes the noun `log` to the module's `app`, a
    sub-app; "ledger:init" routes the top-level command `init` declared in commands/ledger.py.
    The settings are the root Typer app's, which Typer hands down to every group and command.
    """
    build = {"pretty_exceptions_short": pretty_exceptions_short, "rich_markup_mode": rich_markup_mode}
    routes = Routes()
    for name, (where, help_line) in tree.items():
        module_name, _, command_name = where.partition(":")

        def load(name: str = name, module_name: str = module_name, command_name: str = command_name) -> Any:
            app = importlib.import_module(f"{__name__}.{module_name}").app
            if not command_name:
                return _noun(app, name, build, suggest_commands)
            commands = _routes_of(app, build)
            if command_name not in commands:  # a slip in cli.TREE: a fault, not "no such command"
                raise LookupError(f"commands/{module_name}.py declares no command {command_name!r}")
            return commands[command_name]

        routes.add(name, load, functools.partial(_listed_help, help_line))
    return routes


def _listed_help(help_line: str) -> dict[str, Any]:
    return {"help": i18n.help_text(help_line)}


def _noun(app: typer.Typer, name: str, build: dict[str, Any], suggest_commands: bool) -> TyperGroup:
    """The group `add_typer(app, name=name)` would give, but with its commands routed, not built.

    Typer solves the group's own settings (help, no_args_is_help, context settings, class) from
    a copy of the sub-app that has no commands; the commands go in as routes.
    """
    shell = copy.copy(app)
    shell.registered_commands = []  # routed below instead
    group = typer.main.get_group_from_info(TyperInfo(shell, name=name), suggest_commands=suggest_commands,
                                           **build)
    routes = _routes_of(app, build)
    for sub_name, sub_group in group.commands.items():  # a group inside the noun, if one ever is
        routes.put(sub_name, sub_group)
    group.commands = routes
    return _spoken_help(group)


def _routes_of(app: typer.Typer, build: dict[str, Any]) -> Routes:
    """A Typer app's registered commands as routes: each built by Typer when first asked for."""
    routes = Routes()
    for info in app.registered_commands:
        assert info.callback is not None
        name = info.name or typer.main.get_command_name(info.callback.__name__)
        routes.add(name, functools.partial(_built, info, build), functools.partial(_shown, info))
    return routes


def _built(info: Any, build: dict[str, Any]) -> Any:
    """The command Typer builds from `info`, speaking the language in use."""
    return _spoken_help(typer.main.get_command_from_info(info, **build))


def _shown(info: Any) -> dict[str, Any]:
    """What a help listing reads of a command, as Typer would build it from `info`."""
    return {
        "help": i18n.help_text(inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)),
        "short_help": info.short_help,
        "hidden": info.hidden,
        "deprecated": info.deprecated,
        "rich_help_panel": info.rich_help_panel,
    }
