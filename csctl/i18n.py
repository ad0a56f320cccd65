"""The language csctl speaks: English or Chinese (traditional characters), one gettext catalogue.

Every message a person reads is written in English in the code and marked `_("...")`; the
Chinese is in `locale/zh/LC_MESSAGES/csctl.po` (compiled beside it to `csctl.mo`). A message
with values names them, `_("no staff {staff}").format(staff=...)`, so that the translator sees
what goes where. `N_("...")` marks a message to translate later (a table of labels), and
`tr(label)` translates it then.

Which language: `--lang`, else `$CSCTL_LANG`, else the policy's `language` when it names one,
else the locale (LC_ALL, LC_MESSAGES, LANG beginning with `zh`), else English. English costs
nothing: `_()` hands the message back, and gettext is imported only for Chinese.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

LANGUAGES = ("en", "zh")
ENV = "CSCTL_LANG"

# The language in use, the catalogue's gettext for it (None: English), and whether a person chose
# it (--lang or $CSCTL_LANG), which the policy does not override.
_state: dict[str, Any] = {"lang": "en", "catalogue": None, "chosen": False}
_loaded: dict[str, Any] = {}


def _(message: str) -> str:
    """`message` in the language in use."""
    catalogue = _state["catalogue"]
    return message if catalogue is None else catalogue.gettext(message)


def pgettext(context: str, message: str) -> str:
    """`message` in the language in use, where the same English says another thing elsewhere:
    pgettext("ranking", "Rank") is a place in the month's order, "Rank" alone a job's rank."""
    catalogue = _state["catalogue"]
    return message if catalogue is None else catalogue.pgettext(context, message)


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it now."""
    return message


def NC_(context: str, message: str) -> str:
    """Mark `message` for the catalogue, in `context` (see pgettext), without translating it now."""
    return message


def tr(marked: str) -> str:
    """A message marked with N_() elsewhere (a table of labels), in the language in use."""
    return _(marked)


EXAMPLE = "Example: "


def help_paragraphs(text: str) -> list[str]:
    """The catalogue's entries for a help text (a docstring as `inspect.getdoc` gives it, an
    option's `help=`): its paragraphs, but for the "Example: ..." one, whose command line stays
    as it is (the catalogue has "Example: {example}" once). tests/catalogue.py reads help this
    way, and `help_text` translates it this way."""
    return [p for p in text.split("\n\n") if p.strip() and not p.startswith(EXAMPLE)]


def help_text(text: str | None) -> str | None:
    """A command's or an option's help in the language in use, paragraph by paragraph (see
    help_paragraphs). English hands it back as it is."""
    catalogue = _state["catalogue"]
    if not text or catalogue is None:
        return text
    return "\n\n".join(
        _("Example: {example}").format(example=p[len(EXAMPLE):]) if p.startswith(EXAMPLE)
        else catalogue.gettext(p) if p.strip() else p
        for p in text.split("\n\n"))


class Said(str):
    """Words a pure rule composes in English, which --json and --csv print as they are (it is a
    str), that remember their sentence, marked N_("..."), and its values, so that a table can say
    them in the language in use (`spoken`). A value may be Said itself; `context` names a code
    value's pgettext context (an outcome, a level) instead."""

    template: str
    values: dict[str, Any]
    context: str | None

    def __new__(cls, template: str, context: str | None = None, **values: Any) -> "Said":
        said = super().__new__(cls, template.format(**values) if values else template)
        said.template, said.values, said.context = template, values, context
        return said

    def spoken(self) -> str:
        catalogue = _state["catalogue"]
        if catalogue is None:
            return str(self)
        if self.context is not None:
            return str(catalogue.pgettext(self.context, self.template))
        text = catalogue.gettext(self.template)
        return text.format(**{k: spoken(v) for k, v in self.values.items()}) if self.values else text


class Joined(Said):
    """Words joined with `sep` (", "), each said in the language in use when the whole is."""

    def __new__(cls, items: Any, sep: str = ", ") -> "Joined":
        items = list(items)
        joined = str.__new__(cls, sep.join(str(i) for i in items))
        joined.template, joined.values, joined.context = str(joined), {}, None
        joined.items, joined.sep = items, sep
        return joined

    def spoken(self) -> str:
        return self.sep.join(str(spoken(i)) for i in self.items)


def code(context: str, value: str) -> Said:
    """A code (`warning`, `junior`) that a table shows in words: pgettext(context, value)."""
    return Said(value, context)


def word(context: str, value: str) -> str:
    """A code (`warning`, `junior`) in the language in use: the catalogue's word for it in
    `context` (csctl/words.py marks them all), or the code itself."""
    catalogue = _state["catalogue"]
    return value if catalogue is None else str(catalogue.pgettext(context, value))


def spoken(value: Any) -> Any:
    """`value` in the language in use if it is Said, else as it is."""
    return value.spoken() if isinstance(value, Said) else value


def _catalogue(lang: str) -> Any:
    if lang not in _loaded:
        import gettext
        from pathlib import Path

        folder = Path(__file__).with_name("locale")
        _loaded[lang] = gettext.translation("csctl", str(folder), languages=[lang])
    return _loaded[lang]


def translator(lang: str) -> Callable[[str], str]:
    """The catalogue's gettext for `lang` (printed pages may be in another language than the
    terminal's: the policy's of a closed month)."""
    return N_ if lang == "en" else _catalogue(lang).gettext


def ptranslator(lang: str) -> Callable[[str, str], str]:
    """The catalogue's pgettext for `lang`: (context, message) -> message in `lang`."""
    return NC_ if lang == "en" else _catalogue(lang).pgettext


def use(lang: str, *, chosen: bool = False) -> None:
    """Speak `lang` from now on; `chosen`: a person asked for it, the policy will not change it."""
    _state.update(lang=lang, catalogue=None if lang == "en" else _catalogue(lang), chosen=chosen)


def language() -> str:
    return str(_state["lang"])


def chosen() -> str | None:
    """The language a person asked for (--lang, $CSCTL_LANG), or None."""
    return str(_state["lang"]) if _state["chosen"] else None


def from_locale(environ: Mapping[str, str] = os.environ) -> str:
    """The locale's language as POSIX reads it (LC_ALL, then LC_MESSAGES, then LANG): "zh" for
    any Chinese locale, else "en"."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def start(option: str | None, environ: Mapping[str, str] = os.environ) -> None:
    """Choose the language a command starts in: `--lang`, else $CSCTL_LANG, else the locale
    (until the ledger's policy says otherwise, `policy_says`). A bad value is bad input."""
    from .errors import InputError

    if option is not None:
        if option not in LANGUAGES:
            raise InputError("--lang", _("expected one of {choices}, got {value!r}").format(
                choices=", ".join(LANGUAGES), value=option))
        use(option, chosen=True)
        return
    value = environ.get(ENV)
    if value:
        if value not in LANGUAGES:
            raise InputError(ENV, _("expected one of {choices}, got {value!r}").format(
                choices=", ".join(LANGUAGES), value=value))
        use(value, chosen=True)
        return
    use(from_locale(environ))


def start_quietly(args: list[str], environ: Mapping[str, str] = os.environ) -> None:
    """Choose the language before the command line is parsed, for its help and Click's own
    complaints: `--lang` among `args` (before a `--`), else as `start`. A bad value is not
    complained of here: the command itself does that (`start`), once it is parsed; until then
    English or what the environment says is spoken."""
    option = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            option = args[i + 1]
        elif arg.startswith("--lang="):
            option = arg[len("--lang="):]
    if option not in LANGUAGES:
        option = None
    if option is None and environ.get(ENV) and environ.get(ENV) not in LANGUAGES:
        use(from_locale(environ))  # a bad $CSCTL_LANG: the command says so once it runs
        return
    start(option, environ)


def policy_says(lang: str) -> None:
    """The policy in force names a language ("auto": it leaves it to the locale); a language a
    person chose is kept."""
    if not _state["chosen"] and lang in LANGUAGES and lang != _state["lang"]:
        use(lang)
