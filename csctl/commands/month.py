"""csctl month: close, reopen and report a month; statements, costs and pools (L2, O1-O3, C1-C7)."""

from __future__ import annotations

from ..i18n import N_, _, pgettext, spoken, tr, word

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from . import Call, choose_format, command, sub_app

app = sub_app("Close a month and report its scores, outcomes, ranks and pay statements.")

MonthArg = Annotated[str, typer.Argument(help="The month, YYYY-MM.", show_default=False)]
StaffOpt = Annotated[Optional[str], typer.Option("--staff", help="Only this person.", show_default=False)]
REPORT_COLUMNS = ["staff", "name", "score", "raw_score", "outcome", "rank", "referred", "deductions", "referrals"]
STATEMENT_COLUMNS = ["staff", "name", "dept", "level", "plan", "base", "allowance", "sales", "orders",
                     "sales_commission", "order_commission", "guarantee_topup", "special", "total", "outcome", "score"]


def _deductions_text(line: dict[str, Any]) -> str:
    return "; ".join(f"{d['rule']} ×{d['count']}{_days(d)} −{d['points']} ({', '.join('#' + str(r) for r in d['rows'])})"
                     for d in line["deductions"])


def _days(d: dict[str, Any]) -> str:
    """D5: the days a quota's rows cover, when a leave of several days makes them more than the rows."""
    return f" ({d['days']} days)" if d.get("days") and d["days"] != d["count"] else ""


def _show_report(call: Call, info: dict[str, Any], lines: list[dict[str, Any]]) -> None:
    from .. import render

    if call.json:
        render.out_json(lines)
        return
    if call.csv:
        flat = [{**line, "deductions": _deductions_text(line).replace("×", "x").replace("−", "-")} for line in lines]
        render.out_csv(flat, REPORT_COLUMNS)
        return
    status = (_("closed (close #{close} by {by}, {at})").format(close=info['close'], by=info['closed_by'],
                                                                at=info['closed_at']) if info["closed"]
              else _("open: provisional figures, computed now"))
    if info.get("in_force") is False:
        status = _("an earlier close, no longer in force: {status}; `csctl month history {month}` lists them").format(
            status=status, month=info['month'])
    rows = [{**line, "deductions": _deductions_text(line) or "—", "referred": _("referred (D10)") if line["referred"] else "",
             "rank": line["rank"] if line["rank"] is not None else "—"}
            for line in lines]
    unranked = [f"{line['staff']} ({line['unranked']})" for line in lines if line.get("unranked")]
    if unranked:
        status += _("; not ranked: ") + ", ".join(unranked)
    if info.get("stale"):
        status = _("STALE: {stale}; ").format(stale=info['stale']) + status
    # Narrow, Raw is left out first; ranks, scores and outcomes are never split.
    render.table(rows, [render.Col("rank", pgettext("ranking", "Rank"), render.NUMBER), render.Col("staff", _("Staff"), render.ID),
                        render.Col("name", _("Name"), render.TEXT), render.Col("score", _("Score"), render.NUMBER),
                        render.Col("raw_score", _("Raw"), render.NUMBER, drop=1),
                        render.Col("outcome", _("Outcome"), render.CODE, words="outcome"),
                        render.Col("deductions", _("Deductions (rule ×count −points, rows)"), render.TEXT),
                        render.Col("referred", _("Referral"), render.TEXT)],
                 title=_("Discipline {month}").format(month=info['month']), caption=status,
                 styles=lambda r: {"warning": "yellow", "punishment": "red", "severe": "bold red"}.get(r["outcome"]))


POOL_LABELS = {
    "sales": N_("Sales (net of refunds)"), "sales_commission": N_("Sales commission (C2)"),
    "product_cost": N_("Product cost"), "gross_margin": N_("Gross margin"),
    "order_commission": N_("Per-order commission (C3)"), "target_commission": N_("Target commission"),
    "marketing": N_("Marketing spend"), "shipping_loss": N_("After-sales shipping losses"),
    "other": N_("Other costs"), "net_profit": N_("Net profit"), "total_target": N_("Total target (net profit / 3)"),
    "threshold": N_("Threshold (base salaries of everyone active)"), "payable": N_("Payable"),
    "excellent_pool": N_("Excellent-staff pool (40%)"), "management_pool": N_("Management pool (40%)"),
    "operations_pool": N_("Operations pool (20%)"),
}


CloseOpt = Annotated[Optional[int], typer.Option("--close", help="An earlier close's snapshot, by its id (see `month history`).", show_default=False)]


@command(app, "report", listing=True)
def report(month: MonthArg, staff: StaffOpt = None, close: CloseOpt = None, *, call: Call) -> None:
    """Scores, outcomes and ranks of a month; each deduction lists the rows behind it.

    Example: csctl month report 2026-10 --staff S07
    """
    from ..services import month as months

    info, lines = months.report(call.session(), month, staff, close)
    _show_report(call, info, lines)


@command(app, "close")
def close(month: MonthArg, *, call: Call) -> None:
    """Close a month: store its scores, outcomes, ranks and statements as a snapshot (L2).

    Example: csctl month close 2026-10
    """
    from .. import render
    from ..services import month as months

    s = call.session()
    row, snap = months.close(s, month)
    if call.json:
        render.out_json({**row, "snapshot": snap})
        return
    render.note(_("closed {month} as #{id} (policy {value}); ledger fingerprint {fingerprint}: write it down, `csctl verify --expect` checks it").format(month=row['month'], id=row['id'], value=snap['policy']['version'] or pgettext("policy version", "default"), fingerprint=row['fingerprint']))
    info, lines = months.report(s, month)
    _show_report(call, info, lines)


@command(app, "reopen")
def reopen(
    month: MonthArg,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why the closed month must change.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Reopen a closed month for corrections: a manager or above, with a reason (L2).

    Example: csctl month reopen 2026-10 --reason "S07's late on the 3rd was a clock fault"
    """
    from .. import render
    from ..services import month as months

    row = months.reopen(call.session(), month, reason or "")
    if call.json:
        render.out_json(row)
    else:
        render.line(_("reopened {month} as #{id}; the earlier snapshot is kept").format(month=row['month'], id=row['id']))


@command(app, "statement", listing=True)
def statement(
    month: MonthArg,
    staff: StaffOpt = None,
    format_: Annotated[Optional[str], typer.Option("--format", help="table; html or pdf (one printable A4 page per person, into the folder --out); xlsx (a spreadsheet, --out FILE.xlsx). Default: html with --out (xlsx if it ends in .xlsx), else table.", show_default=False)] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder to write the printable pages into, or the .xlsx file; --out alone means --format html (xlsx for NAME.xlsx).", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Pay statements of a month (C1-C7), with the discipline outcome beside the pay.

    Example: csctl month statement 2026-10 --out statements/
    """
    from .. import render
    from .. import printable
    from ..services import month as months
    from ..services import pay

    format_ = choose_format(format_, out, ("table", "html", "pdf", "xlsx"))
    if format_ == "xlsx":
        call.to_sheet(out)
    if format_ in ("html", "pdf"):
        if format_ == "pdf":
            from .. import pdf

            pdf.check()  # before anything is read: one line saying how to install it
        info, lines, language = months.printing(call.session(), month, staff)
        written = printable.write_statements(lines, info, printable.page_language(language), out, format_)
        if call.json:
            render.out_json([str(p) for p in written])
        else:
            render.line(_("wrote {written} statement(s) to {out}").format(written=len(written), out=out))
        return
    info, lines, language = months.statements(call.session(), month, staff)
    if call.json:
        render.out_json(lines)
    elif call.csv:
        render.out_csv(lines, STATEMENT_COLUMNS)
    else:
        unset = [line["staff"] for line in lines if line.get("base_set") is False]
        if unset:
            render.note(_("no base salary in the policy for {unset}: paid 0.00 until it sets one ([staff.ID] base = ... or a department base; see `csctl policy show`)").format(unset=', '.join(unset)))
        status = _("closed") if info["closed"] else _("open: provisional figures, computed now")
        if info.get("stale"):
            status = _("STALE: {stale}; ").format(stale=info['stale']) + status
        # Narrow (under about 140 columns) Dept, Sales and Orders are left out; under about 105
        # also Meal, Floor top-up and Special: Staff, Name, Base, the commissions, Total and
        # Discipline stay. Money is never split.
        money, code = render.NUMBER, render.CODE
        columns = [render.Col("staff", _("Staff"), render.ID), render.Col("name", _("Name"), render.TEXT),
                   render.Col("dept", _("Dept"), code, drop=2, words="department"), render.Col("base", _("Base"), money),
                   render.Col("allowance", _("Meal"), money, drop=1), render.Col("sales", _("Sales"), money, drop=2),
                   render.Col("orders", _("Orders"), money, drop=2),
                   render.Col("sales_commission", _("Sales comm."), money),
                   render.Col("order_commission", _("Order comm."), money),
                   render.Col("guarantee_topup", _("Floor top-up"), money, drop=1),
                   render.Col("special", _("Special"), money, drop=1), render.Col("total", _("Total"), money),
                   render.Col("outcome", _("Discipline"), code, words="outcome")]
        render.table(lines, columns, title=_("Pay statements {month}").format(month=info['month']), caption=status,
                     footer={"staff": _("Total"), **pay.statement_totals(lines)})


@command(app, "costs")
def costs(
    month: MonthArg,
    product_cost: Annotated[Optional[str], typer.Option("--product-cost", help="Cost price of the products sold, in CNY (required; 0 if none).", show_default=False)] = None,
    marketing: Annotated[Optional[str], typer.Option("--marketing", help="Marketing spend, in CNY (required; 0 if none).", show_default=False)] = None,
    shipping_loss: Annotated[Optional[str], typer.Option("--shipping-loss", help="After-sales shipping losses, in CNY (required; 0 if none).", show_default=False)] = None,
    other: Annotated[Optional[str], typer.Option("--other", help="Other operating costs, in CNY (required; 0 if none).", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Record a month's costs for the team bonus pools (C7); a later entry replaces an earlier one.

    Example: csctl month costs 2026-10 --product-cost 310000 --marketing 42000 --shipping-loss 3500 --other 18000
    """
    from .. import render
    from ..services import pay

    row = pay.record_costs(call.session(), month, product_cost=product_cost, marketing=marketing,
                             shipping_loss=shipping_loss, other=other)
    if call.json:
        render.out_json(row)
    else:
        replaced = f", replacing #{row['replaces']}" if row["replaces"] else ""
        render.line(_("recorded #{id}: costs of {month}{replaced}").format(id=row['id'], month=row['month'], replaced=replaced))


@command(app, "pools", listing=True)
def pools(month: MonthArg, *, call: Call) -> None:
    """Team bonus pools of a month (C7): margin, net profit, total target, payable, the 40/40/20 split.

    Example: csctl month pools 2026-10
    """
    from .. import render
    from ..services import month as months

    info, result = months.pools(call.session(), month)
    if call.json:
        render.out_json(result)
    elif call.csv:
        render.out_csv([result], list(result))
    else:
        shown = {tr(POOL_LABELS[k]) if k in POOL_LABELS else k: v for k, v in result.items() if k not in ("month", "costs_row")}
        render.fields(shown, title=_("Team bonus pools {month}").format(month=info['month']) + ("" if info["closed"] else _(" (open, provisional)")))
        if result.get("payable") is False:
            render.line(_("not payable (C7): the total target, net profit / 3 = {total_target}, is below the threshold {threshold}, the base salaries of everyone active in the month").format(total_target=result['total_target'], threshold=result['threshold']))


@command(app, "history", listing=True)
def history(month: MonthArg, *, call: Call) -> None:
    """Every close and reopen of a month: when, by whom, fingerprint, what each close changed (L2).

    Example: csctl month history 2026-10
    """
    from .. import render
    from ..services import month as months

    data = months.history(call.session(), month)
    if call.json:
        render.out_json(data)
        return
    if call.csv:  # the English words, as scripts have read them
        rows = [{**e, "what": (("in force" if e["in_force"] else "superseded") + (
                    f"; policy {e['policy_version'] or 'default'}; " + ("first close" if e["changes"] is None else
                                                                        "; ".join(e["changes"]) or "no change")))
                 if e["kind"] == "close" else e["reason"], "fingerprint": e.get("fingerprint") or ""}
                for e in data["entries"]]
        render.out_csv(rows, ["id", "kind", "at", "by", "fingerprint", "what"])
        return
    rows = [{**e, "what": _closed_what(e) if e["kind"] == "close" else e["reason"],
             "fingerprint": e.get("fingerprint") or ""} for e in data["entries"]]
    render.table(rows, [("id", _("Id")), render.Col("kind", _("What"), words="month entry"), render.Col("at", _("At"), render.TIME), ("by", _("By")),
                        ("fingerprint", _("Fingerprint")), ("what", _("Details"))],
                 title=_("History of {month}").format(month=data['month']),
                 caption=_("{month} is {state}; `csctl month report {month} --close ID` prints an earlier close").format(
                     month=data['month'], state=word("month state", data['state'])))


def _closed_what(e: dict) -> str:
    """A close in `month history`'s table: in force or not, its policy, what it changed."""
    policy = e["policy_version"] or pgettext("policy version", "default")
    if e["changes"] is None:
        changes = _("first close")
    else:
        changes = "; ".join(spoken(c) for c in e["changes"]) or _("no change")
    return (_("in force; policy {policy}; {changes}") if e["in_force"] else
            _("superseded; policy {policy}; {changes}")).format(policy=policy, changes=changes)


@command(app, "status", listing=True)
def status(*, call: Call) -> None:
    """Each month's state: open, closed, reopened, or stale (L5: it read figures closed again since).

    Example: csctl month status
    """
    from .. import render
    from ..services import month as months

    rows = months.status(call.session())
    if call.json:
        render.out_json(rows)
    elif call.csv:
        render.out_csv(rows, ["month", "state", "close", "stale"])
    else:
        render.table([{**r, "close": f"#{r['close']}" if r["close"] else "", "stale": r["stale"] or ""} for r in rows],
                     [render.Col("month", _("Month"), render.DATE), render.Col("state", _("State"), render.CODE, words="month state"),
                      render.Col("close", _("Close"), render.ID), render.Col("stale", _("Why stale"), render.TEXT)],
                     title=_("Months"), caption=_("{sum} stale month(s)").format(sum=sum(r['state'] == 'stale' for r in rows)),
                     styles=lambda r: "bold red" if r["state"] == "stale" else ("dim" if r["state"] == "open" else None))


@command(app, "letters")
def letters(
    month: MonthArg,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the letters into (created if need be).", show_default=False)],
    staff: StaffOpt = None,
    format_: Annotated[str, typer.Option("--format", help="html or pdf: one printable A4 page per letter.")] = "html",
    *,
    call: Call,
) -> None:
    """Warning letters (O1-O3): one printable page for each person warned or punished in the month.

    Example: csctl month letters 2026-10 --out letters/
    """
    from .. import printable, render
    from ..services import month as months

    format_ = choose_format(format_, out, ("html", "pdf"))
    if format_ == "pdf":
        from .. import pdf

        pdf.check()  # before anything is read: one line saying how to install it
    info, letters_, language = months.letters(call.session(), month, staff)
    written = printable.write_letters(letters_, info, printable.page_language(language), out, format_)
    if call.json:
        render.out_json([str(p) for p in written])
    else:
        render.line(_("wrote {written} letter(s) to {out}").format(written=len(written), out=out) + ("" if info["closed"] else _(" (drafts: the month is open)")))
