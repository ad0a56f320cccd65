"""Printable pages: pay statements a payroll clerk signs (C6) and warning letters (O1-O3), one
HTML page a person, A4, in the language of `--lang` if given, else the policy's (a closed month:
the policy it was closed under), else the one csctl speaks (the locale's).

A page of a closed month names the close it comes from, and the close it replaces when the
month was closed again; a page of an open month is a draft, marked across the page and with
no signature lines. Files are written owner-only and never over an earlier file: a page
written again with other content goes beside it with a number.
"""

from __future__ import annotations

from .i18n import _

import html
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import render
from .errors import InputError
from .i18n import NC_, N_, ptranslator, translator

LABELS = {
    "title": N_("Pay statement"),
    "letter": N_("Discipline notice"),
    "company": N_("Company"),
    "department": N_("Department"),
    "period": N_("Pay period"),
    "assessed": N_("Assessment period"),
    "issued": N_("Issued"),
    "currency": N_("Currency"),
    "staff": N_("Employee"),
    "dept": N_("Department"),
    "level": N_("Level"),
    "rank": N_("Rank"),
    "plan": N_("Commission plan"),
    "line": N_("Pay line"),
    "basis": N_("Basis"),
    "amount": N_("Amount"),
    "base": N_("Base salary"),
    "allowance": N_("Meal allowance"),
    "sales_commission": N_("Sales commission"),
    "order_commission": N_("Per-order commission"),
    "guarantee_topup": N_("Guaranteed minimum top-up"),
    "special": N_("Special commission"),
    "total": N_("Total"),
    "discipline": N_("Discipline this month"),
    "not_scored": N_("not scored"),
    "score": N_("score"),
    "no_base": N_("no base salary is set in the policy for this person; paid 0.00 until it sets one"),
    "by_level": N_("by level"),
    "by_rank": N_("base of the rank"),
    "dept_base": N_("department's base"),
    "own_base": N_("the person's own base"),
    "days": N_("days active"),
    "sales": N_("net sales"),
    "orders": N_("orders"),
    "floor": N_("floor"),
    "less": N_("less commission"),
    "draft": N_("DRAFT"),
    "draft_note": N_("Draft: the month is not closed; these figures may change. Not for signature."),
    "closed": N_("From close #{close} of the month; ledger fingerprint"),
    "replaces": N_("This page replaces the one of close #{close}."),
    "stale": N_("Stale"),
    "employee": N_("Employee signature"),
    "supervisor": N_("Supervisor signature"),
    "date": N_("Date"),
    "none": N_("no warning"),
    "warning": N_("verbal warning (O1)"),
    "punishment": N_("punishment (O2)"),
    "severe": N_("severe punishment (O3)"),
    "letter_intro": N_("Your discipline score for {month} is {score} of {start}. Under the department's "
                    "rulebook this earns a {outcome}."),
    "letter_rows": N_("The deductions behind it:"),
    "rule": N_("Rule"),
    "when": N_("Date"),
    "row": N_("Row"),
    "points": N_("Points"),
    "letter_outro": N_("Please sign to acknowledge this notice. You may ask your supervisor to explain any row."),
}
# The department's words on paper, for the ids the ledger keeps ("paper": "Product" is a
# department here, 產品部, and a sale's product in a table, 商品).
NAMES = {
    "customer_service": NC_("paper", "Customer service"), "security": NC_("paper", "Security"), "engineering": NC_("paper", "Engineering"),
    "cleaning": NC_("paper", "Cleaning"), "logistics": NC_("paper", "Logistics"), "data": NC_("paper", "Data"), "marketing": NC_("paper", "Marketing"),
    "product": NC_("paper", "Product"), "operations": NC_("paper", "Operations"), "admin": NC_("paper", "Administration"),
    "probation": NC_("paper", "Probation"), "junior": NC_("paper", "Junior"), "intermediate": NC_("paper", "Intermediate"), "senior": NC_("paper", "Senior"),
    "reserve_supervisor": NC_("paper", "Reserve supervisor"), "staff": NC_("paper", "Staff"), "shift_lead": NC_("paper", "Shift lead"),
    "supervisor": NC_("paper", "Supervisor"), "manager": NC_("paper", "Manager"), "general_manager": NC_("paper", "General manager"),
    "sales_2pct": NC_("paper", "2% of sales"), "orders_logistics": NC_("paper", "Per order (logistics)"), "orders_data": NC_("paper", "Per order (data)"),
    # the kinds of discipline event a warning letter lists (D1-D10)
    "late": NC_("paper", "late arrival"), "early-leave": NC_("paper", "early leave"), "absent": NC_("paper", "absence"), "awol": NC_("paper", "absent without leave"),
    "left-post": NC_("paper", "left the post"), "leave": NC_("paper", "leave"), "dayoff": NC_("paper", "day off"),
    "forgot-signin": NC_("paper", "forgot to sign in"), "offline": NC_("paper", "not online"), "complaint": NC_("paper", "complaint"),
    "unfinished": NC_("paper", "work unfinished"), "refer": NC_("paper", "referred to a manager"),
}
MONEY_LINES = ("base", "allowance", "sales_commission", "order_commission", "guarantee_topup", "special")


def page_language(policy_language: str) -> str:
    """The language pages are printed in: --lang or $CSCTL_LANG, else the policy's (en, zh),
    else the language csctl speaks (a policy saying auto)."""
    from .i18n import chosen, language

    return chosen() or (policy_language if policy_language in ("en", "zh") else language())


def labels(language: str) -> dict[str, str]:
    """The page's words in `language`, from the catalogue."""
    tr = translator(language)
    return {key: tr(text) for key, text in LABELS.items()}


def _name(language: str, key: str | None) -> str:
    """A department, rank, level, plan or event kind in the department's words on paper."""
    return "-" if not key else ptranslator(language)("paper", NAMES[key]) if key in NAMES else key


def _rule(language: str, rule_id: str) -> str:
    """A rule's id and its title, in the page's language: D4 曠工:未經批准的休息 ..."""
    from .rulebook import RULES

    title = next((r.title for r in RULES if r.id == rule_id), None)
    return f"{rule_id} {translator(language)(title)}" if title else rule_id


def _bases(line: dict[str, Any], policy: dict[str, Any], t: dict[str, str], language: str) -> dict[str, str]:
    """Each pay line's basis in words: the rate and the figure it multiplies, the floor."""
    plan = (policy.get("plans") or {}).get(line.get("plan") or "", {})
    basis: dict[str, str] = {}
    part = (f"; {t['days']} {line['days_active']}/{line['days_in_month']}"
            if line.get("days_in_month") and line.get("days_active") != line.get("days_in_month") else "")
    own = ((policy.get("staff") or {}).get(line["staff"]) or {}).get("base")
    dept_base = ((policy.get("departments") or {}).get(line["dept"]) or {}).get("base")
    if line.get("base_set") is False:
        basis["base"] = t["no_base"]
    elif own is not None:
        basis["base"] = t["own_base"] + part
    elif dept_base == "level" and line.get("rank") in (policy.get("pay") or {}).get("rank_base", {}):
        basis["base"] = t["by_rank"] + part
    elif dept_base == "level":
        basis["base"] = f"{t['by_level']} {_name(language, line.get('level'))}" + part
    else:
        basis["base"] = t["dept_base"] + part
    basis["allowance"] = part.lstrip("; ")
    if "sales_rate" in plan:
        rate = Decimal(str(plan["sales_rate"])) * 100
        basis["sales_commission"] = f"{format(rate.normalize(), 'f')}% x {t['sales']} {line['sales']}"
    if "per_order" in plan:
        basis["order_commission"] = f"{line['orders']} {t['orders']} x {plan['per_order']}"
    if Decimal(line["guarantee_topup"]) > 0:
        paid = Decimal(line["sales_commission"]) + Decimal(line["order_commission"])
        floor = Decimal(line["guarantee_topup"]) + paid
        basis["guarantee_topup"] = f"{t['floor']} {floor} {t['less']} {paid}"
    return basis


def _header(info: dict[str, Any], policy: dict[str, Any], t: dict[str, str], title: str, line: dict[str, Any],
            language: str, *, pay: bool = True) -> str:
    """The page's head: company, title, period, issue date and the person; `pay` False (a
    letter): the assessment period, and no currency, since a letter states points, not money."""
    e = html.escape
    company = policy.get("company") or {}
    who = (f"{t['staff']}: {line['staff']} {line['name']} &middot; {t['dept']}: {e(_name(language, line.get('dept')))}"
           + (f" &middot; {t['level']}: {e(_name(language, line['level']))}" if line.get("level") else ""))
    heads = [company.get("name"), company.get("department")]
    return f"""<div class="company">{' &middot; '.join(e(h) for h in heads if h)}</div>
<h1>{e(title)} {e(info['month'])}</h1>
<div class="meta">{t['period' if pay else 'assessed']}: {e(info['period'])} &middot; {t['issued']}: {e(info['issued'])}
{f"&middot; {t['currency']}: {e(company.get('currency') or '')}" if pay else ""}</div>
<div class="meta">{who}</div>"""


def _status(info: dict[str, Any], t: dict[str, str]) -> str:
    e = html.escape
    if not info["closed"]:
        return f'<div class="draft-mark">{e(t["draft"])}</div>\n<p class="note">{e(t["draft_note"])}</p>'
    out = f'<p class="meta">{e(t["closed"].format(close=info["close"]))} {e(info["fingerprint"] or "")}</p>'
    if info.get("replaces"):
        out += f'\n<p class="note">{e(t["replaces"].format(close=info["replaces"]))}</p>'
    if info.get("stale"):
        out += f'\n<p class="note">{e(t["stale"])}: {e(info["stale"])}</p>'
    return out


def _signatures(info: dict[str, Any], t: dict[str, str]) -> str:
    if not info["closed"]:
        return ""  # a draft is not signed
    return (f'<div class="sign"><div>{html.escape(t["employee"])}<br>{html.escape(t["date"])}:</div>'
            f'<div>{html.escape(t["supervisor"])}<br>{html.escape(t["date"])}:</div></div>')


def statement_page(line: dict[str, Any], info: dict[str, Any], language: str) -> str:
    """One person's pay statement: the pay lines in one column that adds up to the total, each
    with its basis; the discipline outcome beside the pay, not in it."""
    t = labels(language)
    e = html.escape
    policy = info.get("policy") or {}
    basis = _bases(line, policy, t, language)
    if line.get("outcome") is None:
        discipline = t["not_scored"]
    else:
        discipline = f"{t[line['outcome']]} ({t['score']} {line['score']})"
    rows = "\n".join(f'<tr><td>{e(t[key])}</td><td class="basis">{e(basis.get(key, ""))}</td>'
                     f'<td class="money">{e(line[key])}</td></tr>' for key in MONEY_LINES)
    body = f"""{_header(info, policy, t, t['title'], line, language)}
<table>
<tr><th>{e(t['line'])}</th><th>{e(t['basis'])}</th><th class="money">{e(t['amount'])}</th></tr>
{rows}
<tr class="total"><td>{e(t['total'])}</td><td></td><td class="money">{e(line['total'])}</td></tr>
</table>
<p class="beside">{e(t['discipline'])}: {e(discipline)}</p>
{_status(info, t)}
{_signatures(info, t)}"""
    return render.html_page(f"{t['title']} {info['month']} {line['staff']}", body,
                            "zh-Hant" if language == "zh" else "en")


def letter_page(line: dict[str, Any], rows: list[dict[str, Any]], info: dict[str, Any], language: str) -> str:
    """A warning letter (O1-O3): the outcome in the rulebook's words and every deduction behind
    it, with its date and row id; signature and date lines for the person and the supervisor."""
    t = labels(language)
    e = html.escape
    policy = info.get("policy") or {}
    start = (policy.get("discipline") or {}).get("start", 10)
    intro = t["letter_intro"].format(month=info["month"], score=line["score"], start=start, outcome=t[line["outcome"]])
    # A deduction's points belong to its rows together (D7's three offline incidents make one 5):
    # the points cell spans the rows behind it, so no row reads as a deduction of nothing.
    spans = [0] * len(rows)
    for i, r in enumerate(rows):
        if r["points"] != "":
            spans[i] = next((j for j in range(i + 1, len(rows)) if rows[j]["points"] != ""), len(rows)) - i
    table = "\n".join(f'<tr><td>{e(_rule(language, r["rule"]))}</td><td>{e(r["date"])}</td><td>{e(_name(language, r["kind"]) if r["kind"] else "")}</td>'
                      f'<td class="money">#{r["row"]}</td>'
                      + (f'<td class="money" rowspan="{spans[i]}">{e(str(r["points"]))}</td>' if spans[i] else "")
                      + "</tr>"
                      for i, r in enumerate(rows))
    body = f"""{_header(info, policy, t, t['letter'], line, language, pay=False)}
<p>{e(intro)}</p>
<p>{e(t['letter_rows'])}</p>
<table>
<tr><th>{e(t['rule'])}</th><th>{e(t['when'])}</th><th></th><th class="money">{e(t['row'])}</th>
<th class="money">{e(t['points'])}</th></tr>
{table}
</table>
<p>{e(t['letter_outro'])}</p>
{_status(info, t)}
{_signatures(info, t)}"""
    return render.html_page(f"{t['letter']} {info['month']} {line['staff']}", body,
                            "zh-Hant" if language == "zh" else "en")


def _folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, FileExistsError) as exc:
        raise InputError("out", _("cannot create {folder}: {strerror}").format(folder=folder, strerror=exc.strerror)) from None


def write_page(folder: Path, stem: str, text: str, fmt: str = "html") -> tuple[Path, bool]:
    """Write `stem.html` (or, `fmt` "pdf", the page as `stem.pdf`) owner-only, never over an
    earlier file: the same content already there is left as it is (returned, not written);
    other content goes to `stem-2.html`, -3 ..."""
    if fmt == "pdf":
        from . import pdf

        data = pdf.from_html(text)
    else:
        data = text.encode("utf-8")
    number = 1
    while True:
        path = folder / (f"{stem}.{fmt}" if number == 1 else f"{stem}-{number}.{fmt}")
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            try:
                if path.read_bytes() == data:
                    return path, False
            except OSError:
                pass
            number += 1
            continue
        except OSError as exc:
            raise InputError("out", _("cannot write {path}: {strerror}").format(path=path, strerror=exc.strerror)) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise InputError("out", _("cannot write {path}: {strerror}").format(path=path, strerror=exc.strerror)) from None
        return path, True


def _stem(info: dict[str, Any], staff: str, kind: str = "") -> str:
    which = f"close{info['close']}" if info["closed"] else "draft"
    return f"{info['month']}-{staff}{kind}-{which}"


def write_statements(lines: list[dict[str, Any]], info: dict[str, Any], language: str, folder: Path,
                     fmt: str = "html") -> list[Path]:
    """One file per person, `<month>-<staff>-close<N>.html` (or `-draft` while the month is
    open; `.pdf` when `fmt` is "pdf"), in `folder` (created if need be)."""
    _folder(folder)
    return [write_page(folder, _stem(info, line["staff"]), statement_page(line, info, language), fmt)[0]
            for line in lines]


def write_letters(letters: list[tuple[dict[str, Any], list[dict[str, Any]]]], info: dict[str, Any], language: str,
                  folder: Path, fmt: str = "html") -> list[Path]:
    """One letter per warned, punished or severely punished person, `<month>-<staff>-letter-...html`
    (`.pdf` when `fmt` is "pdf")."""
    _folder(folder)
    return [write_page(folder, _stem(info, line["staff"], "-letter"), letter_page(line, rows, info, language),
                       fmt)[0]
            for line, rows in letters]
