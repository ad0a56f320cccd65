"""Printable pay statements: one HTML page per person, in the policy's language (C6)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from . import render
from .errors import InputError

LABELS = {
    "en": {
        "title": "Pay statement",
        "month": "Month",
        "staff": "Staff",
        "dept": "Department",
        "level": "Level",
        "plan": "Commission plan",
        "base": "Base salary",
        "allowance": "Meal allowance",
        "sales": "Sales in the month (net of refunds)",
        "orders": "Orders",
        "sales_commission": "Sales commission",
        "order_commission": "Per-order commission",
        "guarantee_topup": "Guaranteed minimum top-up",
        "special": "Special commission",
        "total": "Total",
        "discipline": "Discipline this month",
        "not_scored": "not scored",
        "score": "score",
        "provisional": "Provisional: the month is not closed.",
        "closed": "From the closed month's snapshot; ledger fingerprint at closing",
        "employee": "Employee signature",
        "supervisor": "Supervisor signature",
        "none": "no warning",
        "warning": "verbal warning",
        "punishment": "punishment",
        "severe": "severe punishment",
    },
    "zh": {
        "title": "工資單",
        "month": "月份",
        "staff": "員工",
        "dept": "部門",
        "level": "級別",
        "plan": "提成方案",
        "base": "底薪",
        "allowance": "餐補",
        "sales": "本月銷售額(已扣退款)",
        "orders": "訂單數",
        "sales_commission": "無指標銷售額提成",
        "order_commission": "訂單數量定額提成",
        "guarantee_topup": "保底提成補足",
        "special": "特別提成",
        "total": "合計",
        "discipline": "本月考核",
        "not_scored": "不參與考核",
        "score": "分數",
        "provisional": "臨時數字:本月尚未結算。",
        "closed": "取自已結算月份的快照;結算時賬本指紋",
        "employee": "員工簽名",
        "supervisor": "主管簽名",
        "none": "無",
        "warning": "口頭警告",
        "punishment": "處罰",
        "severe": "嚴厲處罰",
    },
}
MONEY_LINES = ("base", "allowance", "sales_commission", "order_commission", "guarantee_topup", "special")


def statement_page(line: dict[str, Any], info: dict[str, Any], language: str) -> str:
    t = LABELS[language]
    e = html.escape
    if line.get("outcome") is None:
        discipline = t["not_scored"]
    else:
        discipline = f"{t[line['outcome']]} ({t['score']} {line['score']})"
    money_rows = "\n".join(
        f'<tr><td>{e(t[key])}</td><td class="money">{e(line[key])}</td></tr>' for key in MONEY_LINES
    )
    body = f"""<h1>{e(t['title'])} {e(info['month'])}</h1>
<div class="meta">{e(t['staff'])}: {e(line['staff'])} {e(line['name'])} &middot; {e(t['dept'])}: {e(line['dept'])}
{('&middot; ' + e(t['level']) + ': ' + e(line['level'])) if line.get('level') else ''}
&middot; {e(t['plan'])}: {e(line.get('plan') or '-')}</div>
<table>
<tr><td>{e(t['sales'])}</td><td class="money">{e(line['sales'])}</td></tr>
<tr><td>{e(t['orders'])}</td><td class="money">{e(str(line['orders']))}</td></tr>
{money_rows}
<tr class="total"><td>{e(t['total'])}</td><td class="money">{e(line['total'])}</td></tr>
</table>
<p>{e(t['discipline'])}: {e(discipline)}</p>
<p class="meta">{e(f"{t['closed']} {info['fingerprint'][:16]}" if info['closed'] else t['provisional'])}</p>
<div class="sign"><div>{e(t['employee'])}</div><div>{e(t['supervisor'])}</div></div>"""
    return render.html_page(f"{t['title']} {info['month']} {line['staff']}", body, "zh-Hant" if language == "zh" else "en")


def write_statements(lines: list[dict[str, Any]], info: dict[str, Any], language: str, folder: Path) -> list[Path]:
    """One file per person, `<month>-<staff>.html`, in `folder` (created if need be)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, FileExistsError) as exc:
        raise InputError("out", f"cannot create {folder}: {exc.strerror}") from None
    written = []
    for line in lines:
        path = folder / f"{info['month']}-{line['staff']}.html"
        try:
            path.write_text(statement_page(line, info, language), encoding="utf-8")
        except OSError as exc:
            raise InputError("out", f"cannot write {path}: {exc.strerror}") from None
        written.append(path)
    return written
