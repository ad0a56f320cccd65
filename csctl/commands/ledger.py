"""Commands on the ledger as a whole: init, demo, void (L1), verify, backup."""

from __future__ import annotations

from ..i18n import _

from typing import Annotated, Optional

import typer

from . import Call, command, top_level

# Not a noun: cli.py routes each of these to the top level by name ("ledger:init").
app = top_level()


@command(app, "init")
def init(*, call: Call) -> None:
    """Create the ledger, or upgrade it to this version's schema; safe to run again.

    Example: csctl init --db ~/cs/ledger.db
    """
    from .. import render
    from ..services import ledger_ops

    result = ledger_ops.init(call.session(empty_ok=True))
    if call.json:
        render.out_json(result)
    elif result["applied_now"]:
        render.line(_("ledger ready at {db} (applied {applied_now})").format(db=result['db'], applied_now=', '.join(result['applied_now'])))
    else:
        render.line(_("ledger at {db} is up to date ({migrations} migration(s))").format(db=result['db'], migrations=len(result['migrations'])))


@command(app, "demo")
def demo(
    month: Annotated[Optional[str], typer.Option("--month", help="The last of the sample year's months, YYYY-MM (default: last month).", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Fill a demo ledger of its own with a sample department and a year of months, closed; print the report.

    Without --db the demo writes demo.db beside your ledger, never into it.

    Example: csctl demo   (or: csctl demo --db /tmp/demo.db)
    """
    from .. import render
    from ..services import demo as demo_service
    from ..services import demo_db_path
    from ..services import month as months

    own_file = call.db is None
    if own_file:
        call.db = str(demo_db_path())  # not $CSCTL_DB nor the default ledger: a sample is not the real department
    s = call.session()
    result = demo_service.run(s, month)
    info, lines = months.report(s, result["month"])
    if call.json:
        render.out_json({**result, "report": lines})
        return
    if result["created"]:
        render.note(_("demo: {staff} staff, {events} events, {sales} sales in {db}; closed {closed}").format(staff=result['staff'], events=result['events'], sales=result['sales'], db=result['db'], closed=', '.join(result['closed'])))
    else:
        render.note(_("demo: {db} already holds the demo department; showing its report").format(db=result['db']))
    from .month import _show_report

    _show_report(call, info, lines)
    if own_file:
        render.note(_("the demo has its own file, {db}; your ledger is untouched. Try the tour on it with --db {db} (or export CSCTL_DB={db} for a while)").format(db=result['db']))
    render.note(_("next: csctl --db {db} month statement {month}   csctl --db {db} log list --month {month}").format(db=result['db'], month=result['month']))


@command(app, "void")
def void(
    row_id: Annotated[int, typer.Argument(help="Id of the row to void (any recorded row: event, sale, import...).", show_default=False)],
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why the row is wrong.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Void a row recorded by mistake (L1): it stays visible and leaves every figure.

    Example: csctl void 1043 --reason "wrong person: it was S08"
    """
    from .. import render
    from ..services import ledger_ops

    row = ledger_ops.void(call.session(), row_id, reason or "")
    if call.json:
        render.out_json(row)
    else:
        render.line(_("recorded #{id}: voided row {target} of {table}").format(id=row['id'], target=row['target'], table=row['table']))


@command(app, "verify", read_only=True)
def verify(
    expect: Annotated[Optional[list[str]], typer.Option("--expect", help="A fingerprint written down earlier (a close's, a statement's, a backup's); it must still be in the chain.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """Check the whole ledger against its hash chain; names the first row altered outside csctl.

    Example: csctl verify --expect 3f2a9c01d4e5b6a7
    """
    from .. import render
    from ..services import ledger_ops

    result = ledger_ops.verify(call.session(policy=False), tuple(expect or ()))
    if call.json:
        render.out_json(result)
    else:
        render.line(_("ok: {rows} row(s) in {links} link(s) match the chain; fingerprint {value}").format(rows=result['rows'], links=result['links'], value=result['fingerprint'] or _('(empty ledger)')))
        for seen in result["witnesses"]:
            render.line(_("witness: the ledger holds all {heads} head(s) recorded at {path} (the last, link {last_link})").format(heads=seen['heads'], path=seen['path'], last_link=seen['last_link']))
        for note in result["witness_notes"]:
            render.line(_("witness: {note}").format(note=note))
        for line in customer_lines(result["customers"]):
            render.line(line)


@command(app, "backup", read_only=True)
def backup(
    dest: Annotated[str, typer.Argument(help="The new file to write.", show_default=False)],
    *,
    call: Call,
) -> None:
    """Copy the ledger to a new file while it is in use, and verify the copy.

    Example: csctl backup /mnt/usb/ledger-2026-10.db
    """
    from .. import render
    from ..services import ledger_ops

    result = ledger_ops.backup(call.session(), dest)
    if call.json:
        render.out_json(result)
    else:
        render.line(_("backed up {rows} row(s) to {dest} ({bytes} bytes); the copy verifies; fingerprint {fingerprint}").format(rows=result['rows'], dest=result['dest'], bytes=result['bytes'], fingerprint=result['fingerprint']))
        if result["witness"]:
            render.line(_("witness: {witness_heads} head(s) the ledger's witnesses recorded, kept beside the copy at {witness}").format(witness_heads=result['witness_heads'], witness=result['witness']))
        for line in customer_lines(result["customers"], backup=True):
            render.line(line)


def customer_lines(info: dict, backup: bool = False) -> list[str]:
    """What `verify` and `backup` say of customers' phone numbers: sealed with which key, and
    where that key is; how many rows hold one in clear."""
    lines = []
    for key in info["keys"]:
        where = _("kept at {path}").format(path=key['path']) if key["path"] else _("not found on this machine (--reveal needs it)")
        lines.append(_("key: the customers' phone numbers of {rows} sale(s) are sealed with key {id}, {where}").format(rows=key['rows'], id=key['id'], where=where)
                     + (_("; the key is NOT copied beside the backup (the copy and its key together would reveal "
                        "every phone): keep a copy of it apart from your backups") if backup else ""))
        if key["shared"]:
            lines.append(_("key: {path} may be read by other accounts; `chmod 600` it (csctl makes it owner-only)").format(path=key['path']))
    if not info["keys"]:
        lines.append(_("key: no customer's phone is sealed yet; the key will be kept at {key_file}").format(key_file=info['key_file']))
    if info["clear"]:
        lines.append(_("customers: {clear} sale(s) hold a phone number in clear, written before csctl sealed them (or while the policy said not to); rows are never rewritten, so they stay so").format(clear=info['clear']))
    return lines
