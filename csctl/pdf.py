"""PDF: the printable pages (csctl/printable.py) as A4 PDF files, through WeasyPrint.

The page is the finished HTML, its `@page { size: A4 }` rule included; WeasyPrint lays it out
and writes the PDF. WeasyPrint is an optional extra (`pip install 'csctl[pdf]'`; it needs the
Pango library), imported only when `--format pdf` is asked for and checked before anything is
read or written. The same HTML gives the same bytes, so a page written again is recognised as
the same page, as the HTML ones are.
"""

from __future__ import annotations

from .i18n import _

from typing import Any

from .errors import InputError

INSTALL = "pip install 'csctl[pdf]'"


def _weasyprint() -> Any:
    try:
        import weasyprint
    except ImportError:
        raise InputError("format", _("pdf needs WeasyPrint, which is not installed: {install} (it needs the Pango library), or use --format html").format(install=INSTALL)) from None
    except OSError as exc:  # installed, but a system library it loads is missing
        raise InputError("format", _("pdf needs WeasyPrint, which cannot load a library it needs ({exc}); install Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0), or use --format html").format(exc=exc)) from None
    return weasyprint


def check() -> None:
    """Refuse `--format pdf` at once, in one line saying how to install it, when WeasyPrint is missing."""
    _weasyprint()


def from_html(text: str) -> bytes:
    """The PDF of one printable page."""
    return _weasyprint().HTML(string=text).write_pdf()
