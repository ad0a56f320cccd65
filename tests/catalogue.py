"""The Chinese catalogue against the code: what is marked, what is translated, what is compiled.

    python tests/catalogue.py          add every newly marked message to csctl.po (untranslated,
                                       for a translator to fill in), drop the ones no longer in
                                       the code, and compile csctl.mo from it

tests/test_i18n.py reads the same functions to fail when a marked message has no translation or
the .mo is not the .po compiled. Needs babel (the `test` extra); csctl itself runs on the
standard library's gettext.
"""

from __future__ import annotations

import ast
import inspect
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "csctl"
PO = PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "csctl.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "pgettext": ((1, "c"), 2), "NC_": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def marked() -> dict[tuple[str, str | None], list[str]]:
    """Every message marked `_("...")`, `N_("...")` or `pgettext("context", "...")` in csctl, as
    (message, context), with where it is."""
    from babel.messages.extract import extract_from_dir

    found: dict[tuple[str, str | None], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS):
        found.setdefault((message, context), []).append(f"csctl/{filename}:{lineno}")
    for message, where in helps():
        found.setdefault((message, None), []).append(where)
    return found


def helps() -> list[tuple[str, str]]:
    """The command line's help, translated as each command is built (i18n.help_text): every
    `help="..."` in cli.py and commands/, the docstrings of the commands (`@command(...)`), each
    noun's `sub_app("...")` and cli.TREE's one-line helps, paragraph by paragraph as
    i18n.help_paragraphs cuts them, with where each is."""
    sys.path.insert(0, str(ROOT))
    from csctl.i18n import help_paragraphs

    found = []
    for path in [PACKAGE / "cli.py", *sorted((PACKAGE / "commands").glob("*.py"))]:
        where = path.relative_to(ROOT)
        texts: list[tuple[str, int]] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "help" and isinstance(node.value, ast.Constant):
                texts.append((node.value.value, node.value.lineno))
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "sub_app"
                  and node.args and isinstance(node.args[0], ast.Constant)):
                texts.append((node.args[0].value, node.lineno))
            elif isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id == "command"
                    for d in node.decorator_list):
                texts.append((ast.get_docstring(node) or "", node.lineno))
            elif (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "TREE"
                  and isinstance(node.value, ast.Dict)):
                texts += [(v.elts[1].value, v.lineno) for v in node.value.values if isinstance(v, ast.Tuple)]
        for text, lineno in texts:
            found += [(paragraph, f"{where}:{lineno}") for paragraph in help_paragraphs(inspect.cleandoc(text))]
    return found


def not_literal() -> list[str]:
    """Calls of _() or N_() whose argument is not one plain string: an f-string or a variable
    can never be found in the catalogue."""
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "i18n.py":  # tr(), which translates what N_() marked elsewhere
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS
                    and not (node.args and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                          for a in node.args))):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return bad


def read_po():
    from babel.messages.pofile import read_po as read

    with PO.open("rb") as handle:
        return read(handle, locale="zh_Hant_TW", domain="csctl")


def compiled(catalog) -> bytes:
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def placeholders(text: str) -> list[str]:
    return sorted(set(PLACEHOLDER.findall(text)))


def update() -> None:
    from babel.messages.pofile import write_po

    catalog = read_po()
    found = marked()
    for message, context in found:
        if catalog.get(message, context) is None:
            catalog.add(message, "", context=context)
    for message, context in [(m.id, m.context) for m in catalog if m.id and (m.id, m.context) not in found]:
        catalog.delete(message, context)
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=0, no_location=True, sort_output=True)
    MO.write_bytes(compiled(catalog))
    empty = [m.id for m in catalog if m.id and not m.string]
    print(f"{PO.relative_to(ROOT)}: {len(found)} messages, {len(empty)} to translate")


if __name__ == "__main__":
    sys.exit(update())
