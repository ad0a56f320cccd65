"""`--format pdf` on month statement and month letters (csctl/pdf.py, through WeasyPrint).

WeasyPrint is an optional extra. Without it, `--format pdf` says in one line how to install it
and writes nothing; the HTML a PDF is made of (A4, the totals, the draft mark) is checked
whether WeasyPrint is there or not, and the files are checked for real where it is.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import zlib
from decimal import Decimal

import pytest

from csctl import pdf, printable
from csctl.errors import ExitStatus


def _weasyprint_works() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


HAVE_WEASYPRINT = _weasyprint_works()
needs_weasyprint = pytest.mark.skipif(not HAVE_WEASYPRINT, reason="WeasyPrint (csctl[pdf]) is not installed")


def media_boxes(data: bytes) -> list[tuple[float, ...]]:
    """Every page's /MediaBox, looked for in the file and in its compressed object streams."""
    texts = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            texts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return [tuple(float(v) for v in box.split()) for text in texts
            for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", text)]


def _pages(folder):
    return sorted(p.name for p in folder.iterdir())


def test_without_weasyprint_pdf_says_how_to_install_it_and_writes_nothing(dept, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` raises ImportError
    out = tmp_path / "pages"
    for args in (["statement", "2026-10"], ["letters", "2026-10"]):
        run = dept("month", *args, "--format", "pdf", "--out", str(out), code=ExitStatus.BAD_INPUT)
        assert run.err.startswith("format: pdf needs WeasyPrint") and "pip install 'csctl[pdf]'" in run.err
        assert run.err.count("\n") == 1 and run.out == ""
        assert not out.exists()


def test_letters_refuse_a_format_they_do_not_have(dept, tmp_path):
    run = dept("month", "letters", "2026-10", "--format", "xlsx", "--out", str(tmp_path / "l"),
               code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("format:") and not (tmp_path / "l").exists()


def _late(dept) -> None:
    for day in ("06", "07", "08"):
        dept("log", "absent", "S01", "--at", f"2026-10-{day}", by="L01")


def test_the_pdf_is_made_of_the_printable_page(dept, tmp_path, monkeypatch):
    """Whether or not WeasyPrint is installed: the HTML handed to it is the A4 page with its
    totals and, for an open month, the draft mark; the files are named, kept and never
    overwritten as the HTML ones are."""
    seen: list[str] = []

    def convert(text: str) -> bytes:
        seen.append(text)
        return b"%PDF-1.7 " + text.encode("utf-8")

    monkeypatch.setattr(pdf, "from_html", convert)
    monkeypatch.setattr(pdf, "check", lambda: None)
    dept("sales", "add", "S01", "--amount", "3280.50", "--at", "2026-10-03", by="L01")
    out = tmp_path / "drafts"
    dept("month", "statement", "2026-10", "--staff", "S01", "--format", "pdf", "--out", str(out))
    assert _pages(out) == ["2026-10-S01-draft.pdf"]
    [page] = seen
    assert "@page { size: A4" in page and 'class="draft-mark"' in page and 'class="sign"' not in page
    amounts = [Decimal(a) for a in re.findall(r'<td class="money">(-?\d+\.\d\d)</td>', page)]
    assert sum(amounts[:-1]) == amounts[-1] and Decimal("65.61") in amounts  # 2% of 3280.50
    assert stat.S_IMODE(os.stat(out / "2026-10-S01-draft.pdf").st_mode) == 0o600

    _late(dept)
    dept("month", "close", "2026-10", by="P01")
    out = tmp_path / "closed"
    dept("month", "statement", "2026-10", "--staff", "S01", "--format", "pdf", "--out", str(out))
    dept("month", "statement", "2026-10", "--staff", "S01", "--format", "pdf", "--out", str(out))
    [name] = _pages(out)  # the same page again is left as it is
    assert re.fullmatch(r"2026-10-S01-close\d+\.pdf", name)
    assert 'class="draft-mark"' not in seen[-1] and 'class="sign"' in seen[-1]
    dept("month", "letters", "2026-10", "--staff", "S01", "--format", "pdf", "--out", str(tmp_path / "letters"))
    [letter] = _pages(tmp_path / "letters")
    assert re.fullmatch(r"2026-10-S01-letter-close\d+\.pdf", letter) and "@page { size: A4" in seen[-1]
    assert "D3" in seen[-1]


@needs_weasyprint
def test_a_statement_and_a_letter_as_a4_pdf(dept, tmp_path):
    dept("sales", "add", "S01", "--amount", "3280.50", "--at", "2026-10-03", by="L01")
    _late(dept)
    out = tmp_path / "pages"
    dept("month", "statement", "2026-10", "--staff", "S01", "--format", "pdf", "--out", str(out))
    [draft] = _pages(out)
    assert draft == "2026-10-S01-draft.pdf"
    dept("month", "close", "2026-10", by="P01")
    dept("month", "statement", "2026-10", "--staff", "S01", "--format", "pdf", "--out", str(out))
    dept("month", "statement", "2026-10", "--staff", "S01", "--format", "pdf", "--out", str(out))
    dept("month", "letters", "2026-10", "--staff", "S01", "--format", "pdf", "--out", str(out))
    pages = _pages(out)
    assert len(pages) == 3  # the draft, the closed page once (the same bytes again are kept), the letter
    for name in pages:
        data = (out / name).read_bytes()
        assert data.startswith(b"%PDF-")
        boxes = media_boxes(data)
        assert boxes and all(round(w) == 595 and round(h) == 842 for _, _, w, h in boxes), boxes  # A4
        assert stat.S_IMODE(os.stat(out / name).st_mode) == 0o600
    assert any(re.fullmatch(r"2026-10-S01-letter-close\d+\.pdf", n) for n in pages)


@needs_weasyprint
def test_the_same_page_gives_the_same_pdf():
    info = {"month": "2026-10", "period": "2026-10-01 - 2026-10-31", "issued": "2026-11-01", "closed": False,
            "policy": {}}
    line = {"staff": "S01", "name": "Li Na", "dept": "customer_service", "level": "senior", "plan": None,
            "base": "3000.00", "allowance": "300.00", "sales": "0.00", "orders": 0, "sales_commission": "0.00",
            "order_commission": "0.00", "guarantee_topup": "0.00", "special": "0.00", "total": "3300.00",
            "outcome": "none", "score": 10, "base_set": True}
    page = printable.statement_page(line, info, "en")
    assert pdf.from_html(page) == pdf.from_html(page)
