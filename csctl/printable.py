"""Printable pages: pay statements a payroll clerk signs (C6) and warning letters (O1-O3), one
HTML page a person, A4, in the policy's language.

A page of a closed month names the close it comes from, and the close it replaces when the
month was closed again; a page of an open month is a draft, marked across the page and with
no signature lines. Files are written owner-only and never over an earlier file: a page
written again with other content goes beside it with a number.
"""

from __future__ import annotations

import html
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import render
from .errors import InputError

LABELS = {
    "en": {
        "title": "Pay statement",
        "letter": "Discipline notice",
        "company": "Company",
        "department": "Department",
        "period": "Pay period",
        "issued": "Issued",
        "currency": "Currency",
        "staff": "Employee",
        "dept": "Department",
        "level": "Level",
        "rank": "Rank",
        "plan": "Commission plan",
        "line": "Pay line",
        "basis": "Basis",
        "amount": "Amount",
        "base": "Base salary",
        "allowance": "Meal allowance",
        "sales_commission": "Sales commission",
        "order_commission": "Per-order commission",
        "guarantee_topup": "Guaranteed minimum top-up",
        "special": "Special commission",
        "total": "Total",
        "discipline": "Discipline this month",
        "not_scored": "not scored",
        "score": "score",
        "no_base": "no base salary is set in the policy for this person; paid 0.00 until it sets one",
        "by_level": "by level",
        "by_rank": "base of the rank",
        "dept_base": "department's base",
        "own_base": "the person's own base",
        "days": "days active",
        "sales": "net sales",
        "orders": "orders",
        "floor": "floor",
        "less": "less commission",
        "draft": "DRAFT",
        "draft_note": "Draft: the month is not closed; these figures may change. Not for signature.",
        "closed": "From close #{close} of the month; ledger fingerprint",
        "replaces": "This page replaces the one of close #{close}.",
        "stale": "Stale",
        "employee": "Employee signature",
        "supervisor": "Supervisor signature",
        "date": "Date",
        "none": "no warning",
        "warning": "verbal warning (O1)",
        "punishment": "punishment (O2)",
        "severe": "severe punishment (O3)",
        "letter_intro": "Your discipline score for {month} is {score} of {start}. Under the department's "
                        "rulebook this earns a {outcome}.",
        "letter_rows": "The deductions behind it:",
        "rule": "Rule",
        "when": "Date",
        "row": "Row",
        "points": "Points",
        "letter_outro": "Please sign to acknowledge this notice. You may ask your supervisor to explain any row.",
    },
    "zh": {
        "title": "工資單",
        "letter": "考核通知",
        "company": "公司",
        "department": "部門",
        "period": "工資期間",
        "issued": "發放日期",
        "currency": "幣種",
        "staff": "員工",
        "dept": "部門",
        "level": "級別",
        "rank": "職級",
        "plan": "提成方案",
        "line": "項目",
        "basis": "計算依據",
        "amount": "金額",
        "base": "底薪",
        "allowance": "餐補",
        "sales_commission": "無指標銷售額提成",
        "order_commission": "訂單數量定額提成",
        "guarantee_topup": "保底提成補足",
        "special": "特別提成",
        "total": "合計",
        "discipline": "本月考核",
        "not_scored": "不參與考核",
        "score": "分數",
        "no_base": "政策未為此人設定底薪;設定前按0.00發放",
        "by_level": "按級別",
        "by_rank": "按職級底薪",
        "dept_base": "部門底薪",
        "own_base": "個人底薪",
        "days": "在職天數",
        "sales": "淨銷售額",
        "orders": "訂單",
        "floor": "保底",
        "less": "減提成",
        "draft": "草稿",
        "draft_note": "草稿:本月尚未結算,數字可能變動。請勿簽字。",
        "closed": "取自本月第{close}號結算;賬本指紋",
        "replaces": "本頁取代第{close}號結算的工資單。",
        "stale": "已過時",
        "employee": "員工簽名",
        "supervisor": "主管簽名",
        "date": "日期",
        "none": "無",
        "warning": "口頭警告(O1)",
        "punishment": "處罰(O2)",
        "severe": "嚴厲處罰(O3)",
        "letter_intro": "您{month}的考核分數為{score}分(滿分{start}分)。依部門制度,給予{outcome}。",
        "letter_rows": "扣分明細:",
        "rule": "條款",
        "when": "日期",
        "row": "記錄",
        "points": "扣分",
        "letter_outro": "請簽字確認已收到本通知。對任何一條記錄有疑問,可請主管說明。",
    },
}
# The department's words on paper, for the ids the ledger keeps.
NAMES = {
    "en": {
        "customer_service": "Customer service", "security": "Security", "engineering": "Engineering",
        "cleaning": "Cleaning", "logistics": "Logistics", "data": "Data", "marketing": "Marketing",
        "product": "Product", "operations": "Operations", "admin": "Administration",
        "probation": "Probation", "junior": "Junior", "intermediate": "Intermediate", "senior": "Senior",
        "reserve_supervisor": "Reserve supervisor", "staff": "Staff", "shift_lead": "Shift lead",
        "supervisor": "Supervisor", "manager": "Manager", "general_manager": "General manager",
        "sales_2pct": "2% of sales", "orders_logistics": "Per order (logistics)", "orders_data": "Per order (data)",
    },
    "zh": {
        "customer_service": "客服部", "security": "保安部", "engineering": "工程部", "cleaning": "保潔部",
        "logistics": "物流部", "data": "數據部", "marketing": "市場部", "product": "產品部",
        "operations": "營運部", "admin": "行政部",
        "probation": "試用期", "junior": "初級", "intermediate": "中級", "senior": "高級",
        "reserve_supervisor": "儲備主管", "staff": "員工", "shift_lead": "領班", "supervisor": "主管",
        "manager": "經理", "general_manager": "總經理",
        "sales_2pct": "銷售額2%", "orders_logistics": "按訂單(物流)", "orders_data": "按訂單(數據)",
    },
}
MONEY_LINES = ("base", "allowance", "sales_commission", "order_commission", "guarantee_topup", "special")


def _name(language: str, key: str | None) -> str:
    return "-" if not key else NAMES[language].get(key, key)


def _bases(line: dict[str, Any], policy: dict[str, Any], t: dict[str, str]) -> dict[str, str]:
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
        basis["base"] = f"{t['by_level']} {line.get('level') or '-'}" + part
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
            language: str) -> str:
    e = html.escape
    company = policy.get("company") or {}
    who = (f"{t['staff']}: {line['staff']} {line['name']} &middot; {t['dept']}: {e(_name(language, line.get('dept')))}"
           + (f" &middot; {t['level']}: {e(_name(language, line['level']))}" if line.get("level") else ""))
    heads = [company.get("name"), company.get("department")]
    return f"""<div class="company">{' &middot; '.join(e(h) for h in heads if h)}</div>
<h1>{e(title)} {e(info['month'])}</h1>
<div class="meta">{t['period']}: {e(info['period'])} &middot; {t['issued']}: {e(info['issued'])}
&middot; {t['currency']}: {e(company.get('currency') or '')}</div>
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
    t = LABELS[language]
    e = html.escape
    policy = info.get("policy") or {}
    basis = _bases(line, policy, t)
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
    t = LABELS[language]
    e = html.escape
    policy = info.get("policy") or {}
    start = (policy.get("discipline") or {}).get("start", 10)
    intro = t["letter_intro"].format(month=info["month"], score=line["score"], start=start, outcome=t[line["outcome"]])
    table = "\n".join(f'<tr><td>{e(r["rule"])}</td><td>{e(r["date"])}</td><td>{e(r["kind"])}</td>'
                      f'<td class="money">#{r["row"]}</td><td class="money">{e(str(r["points"]))}</td></tr>'
                      for r in rows)
    body = f"""{_header(info, policy, t, t['letter'], line, language)}
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
        raise InputError("out", f"cannot create {folder}: {exc.strerror}") from None


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
            raise InputError("out", f"cannot write {path}: {exc.strerror}") from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise InputError("out", f"cannot write {path}: {exc.strerror}") from None
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
