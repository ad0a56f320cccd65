"""csctl keys: the key cabinet (rules.md K1-K8)."""

from __future__ import annotations

from ..i18n import N_, _, tr, word

from typing import Annotated, Any, Optional

import typer

from . import Call, command, sub_app

app = sub_app("Keep the key cabinet: register keys, lend them, open sealed keys, check what is not back (K1-K8).")

CodeArg = Annotated[str, typer.Argument(help="The key's code, as on its tag, e.g. EQ-01.", show_default=False)]
CodesArg = Annotated[list[str], typer.Argument(help="One or more key codes.", show_default=False)]
AtOpt = Annotated[Optional[str], typer.Option("--at", help="When: 2026-10-03, '2026-10-03 09:40', 09:40 (today), 'yesterday 09:40'. Default now.", show_default=False)]
ByStaffOpt = Annotated[str, typer.Option("--by-staff", help="Staff id of the person who has (or takes) the key.", show_default=False)]
NoteOpt = Annotated[Optional[str], typer.Option("--note", help="What happened.", show_default=False)]

KEY_COLUMNS = ["code", "label", "category", "state", "staff", "contractor", "since", "due", "overdue", "sealed",
               "paperwork", "audited", "audit_due"]


HISTORY_HEADERS = {"id": N_("Id"), "at": N_("At"), "kind": N_("Kind"), "staff": N_("Staff"),
                   "approved_by": N_("Approved by"), "received_by": N_("Received by"), "detail": N_("Detail"),
                   "recorded_by": N_("Recorded by"), "voided_by": N_("Voided by")}
# How each history column is drawn (render.Col kind) and when a narrow terminal leaves it out.
HISTORY_SHAPES = {"id": ("id", 0), "at": ("time", 0), "kind": ("code", 0), "staff": ("id", 0),
                  "approved_by": ("id", 1), "received_by": ("id", 1), "detail": ("text", 0),
                  "recorded_by": ("id", 2), "voided_by": ("id", 0)}


def _done(call: Call, rows: Any, line: str) -> None:
    from .. import render

    if call.json:
        render.out_json(rows)
    else:
        render.line(line)


@command(app, "add")
def add(
    code: CodeArg,
    label: Annotated[str, typer.Option("--label", help="What it opens, e.g. 'Storeroom B1'.", show_default=False)],
    category: Annotated[str, typer.Option("--category", help="office, storeroom, equipment_room, fire_exit, gate, unit or area (area: the shift keys, K8).", show_default=False)],
    sealed: Annotated[bool, typer.Option("--sealed", help="A tenant's key held in trust, kept sealed (K5).")] = False,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Register a key on the key register (K1); a tenant's key held in trust is registered --sealed.

    Example: csctl keys add EQ-01 --label "Network equipment room" --category equipment_room
    """
    from ..services import keys

    row = keys.add(call.session(), code, label=label, category=category, sealed=sealed, at=at)
    registered = (_("registered #{id}: {code} {label} ({category}, sealed)") if row['kept'] == 'sealed' else
                  _("registered #{id}: {code} {label} ({category})"))
    _done(call, row, registered.format(id=row['id'], code=row['code'], label=row['label'],
                                       category=word("key category", row['category'])))


@command(app, "list", listing=True)
def list_(
    state: Annotated[Optional[str], typer.Option("--state", help="Only keys in this state: in, out, sealed, lost or retired.", show_default=False)] = None,
    category: Annotated[Optional[str], typer.Option("--category", help="Only keys of this category.", show_default=False)] = None,
    *,
    call: Call,
) -> None:
    """List the keys with their state; a key that is out shows who has it and until when.

    Example: csctl keys list --state out --category equipment_room
    """
    from ..services import keys

    _keys(call, keys.listing(call.session(), state=state, category=category), _("Keys"))


def _keys(call: Call, rows: list[dict[str, Any]], title: str) -> None:
    from .. import render

    if call.json:
        render.out_json(rows)
    elif call.csv:
        render.out_csv(rows, KEY_COLUMNS)
    else:
        for row in rows:
            row["flags"] = " ".join(f for f, on in ((_("OVERDUE"), row["overdue"]), (_("audit due"), row["audit_due"]),
                                                   (_("paperwork awaited"), row["paperwork"])) if on)
        # A narrow terminal leaves out the category, then since when a key is out; the caption
        # says which.
        render.table(rows, [render.Col("code", _("Code"), render.ID), ("label", _("Label")),
                            render.Col("category", _("Category"), words="key category", drop=2),
                            render.Col("state", _("State"), words="key state"), render.Col("staff", _("Has it"), render.ID),
                            render.Col("since", _("Since"), render.TIME, drop=1), render.Col("due", _("Due"), render.TIME),
                            ("flags", "")],
                     title=title, caption=_("{rows} key(s)").format(rows=len(rows)),
                     styles=lambda r: "bold red" if r["overdue"] else ("dim" if r["state"] == "retired" else None))


@command(app, "borrow")
def borrow(
    code: CodeArg,
    by_staff: ByStaffOpt,
    approved_by: Annotated[Optional[str], typer.Option("--approved-by", help="The head of the borrower's department (supervisor or above) who approved it (K2).", show_default=False)] = None,
    purpose: Annotated[Optional[str], typer.Option("--purpose", help="What the key is for.", show_default=False)] = None,
    contractor: Annotated[Optional[str], typer.Option("--for", help="The contractor an engineering member borrows it for (K2).", show_default=False)] = None,
    due: Annotated[Optional[str], typer.Option("--due", help="When it is due back (a time alone is on the borrowing day); default the end of that day (K7).", show_default=False)] = None,
    special_approval: Annotated[Optional[str], typer.Option("--special-approval", help="A manager's special approval for customer-service staff to open an equipment room (K4).", show_default=False)] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why the special approval was given (K4).", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Lend a key (K2): who takes it, for what, approved by the head of their department.

    Example: csctl keys borrow ST-01 --by-staff S02 --approved-by P01 --purpose "restock brochures"
    """
    from ..services import keys

    row = keys.borrow(call.session(), code, by_staff=by_staff, approved_by=approved_by, purpose=purpose,
                      contractor=contractor, due=due, special_approval=special_approval, reason=reason, at=at)
    lent = (_("recorded #{id}: {code} lent to {staff} for {contractor}, approved by {approved_by}, due {due}")
            if row['contractor'] else _("recorded #{id}: {code} lent to {staff}, approved by {approved_by}, due {due}"))
    _done(call, row, lent.format(id=row['id'], code=row['code'], staff=row['staff'], contractor=row['contractor'],
                                 approved_by=row['approved_by'], due=row['due']))


@command(app, "return")
def return_(
    codes: CodesArg,
    by_staff: ByStaffOpt,
    received_by: Annotated[str, typer.Option("--received-by", help="The keeper who takes it back: a customer-service or security member (K3).", show_default=False)],
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Take a key back from whoever has it (K3); shift keys are counted back in (K8).

    Example: csctl keys return ST-01 --by-staff S02 --received-by L01
    """
    from .. import render
    from ..services import keys

    rows, count = keys.give_back(call.session(), codes, by_staff=by_staff, received_by=received_by, at=at)
    if call.json:
        render.out_json(rows[0] if len(rows) == 1 else rows)
        return
    for row in rows:
        render.line(_("recorded #{id}: {code} returned by {staff}, received by {received_by}").format(id=row['id'], code=row['code'], staff=row['staff'], received_by=row['received_by']))
    if count:
        missing = f"; still out: {' '.join(count['still_out'])}" if count["still_out"] else ""
        render.line(_("shift keys counted back (K8): {returned} of {held}{missing}").format(returned=count['returned'], held=count['held'], missing=missing))


@command(app, "hand-on")
def hand_on(
    from_staff: Annotated[str, typer.Option("--from", help="Who hands them on (the early shift).", show_default=False)],
    to_staff: Annotated[str, typer.Option("--to", help="Who takes them over (the middle shift).", show_default=False)],
    codes: Annotated[Optional[list[str]], typer.Argument(help="The shift keys handed on (default: every shift key --from has).", show_default=False)] = None,
    shift: Annotated[Optional[str], typer.Option("--shift", help="The shift handing them on (default the policy's keys.shift_from).", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Hand the shift (area) keys from the early shift to the middle shift (K8); no other key is handed on (K3).

    Example: csctl keys hand-on --from S01 --to S04 --at 15:00
    """
    from ..services import keys

    rows = keys.hand_on(call.session(), codes or [], from_staff=from_staff, to_staff=to_staff, shift=shift, at=at)
    _done(call, rows[0] if len(rows) == 1 else rows,
          _("recorded #{id}: {join} handed on from {from_staff} ({shift} shift) to {staff}").format(id=rows[0]['id'], join=' '.join(r['code'] for r in rows), from_staff=rows[0]['from_staff'], shift=rows[0]['shift'], staff=rows[0]['staff']))


@command(app, "lost")
def lost(code: CodeArg, note: NoteOpt = None, at: AtOpt = None, *, call: Call) -> None:
    """Report a key lost or damaged (K6), with what happened; recorded by a keeper or security.

    Example: csctl keys lost GT-01 --note "dropped on the bus, reported to security at once"
    """
    from ..services import keys

    row = keys.lost(call.session(), code, note=note, at=at)
    _done(call, row, _("recorded #{id}: {code} lost ({note})").format(id=row['id'], code=row['code'], note=row['note']))


@command(app, "replace")
def replace(
    code: CodeArg,
    new: Annotated[str, typer.Option("--new", help="The code of the new key.", show_default=False)],
    approved_by: Annotated[str, typer.Option("--approved-by", help="The security member who approved the lock change (K6).", show_default=False)],
    label: Annotated[Optional[str], typer.Option("--label", help="The new key's label (default the old one's).", show_default=False)] = None,
    note: NoteOpt = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Record a lock change (K6): the old key is retired and its replacement registered.

    Example: csctl keys replace GT-01 --new GT-01B --approved-by K01
    """
    from ..services import keys

    rows = keys.replace(call.session(), code, new=new, approved_by=approved_by, label=label, note=note, at=at)
    _done(call, rows, _("recorded #{id}: {code} retired, approved by {approved_by}; registered #{id2}: {code2}").format(id=rows[0]['id'], code=rows[0]['code'], approved_by=rows[0]['approved_by'], id2=rows[1]['id'], code2=rows[1]['code']))


@command(app, "open-sealed")
def open_sealed(
    code: CodeArg,
    emergency: Annotated[bool, typer.Option("--emergency", help="(a) The tenant cannot be reached or cannot come.")] = False,
    tenant_lost: Annotated[bool, typer.Option("--tenant-lost", help="(b) The tenant forgot or lost their key.")] = False,
    approved_by: Annotated[Optional[list[str]], typer.Option("--approved-by", help="(a) the customer-service manager and the general manager (twice); (b) the customer-service manager.", show_default=False)] = None,
    witness: Annotated[Optional[list[str]], typer.Option("--witness", help="(a) three times: two customer-service staff and a security guard, present.", show_default=False)] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="(a) why the tenant cannot be reached or cannot come.", show_default=False)] = None,
    application: Annotated[Optional[str], typer.Option("--application", help="(b) the reference of the tenant's written application.", show_default=False)] = None,
    confirmed_with: Annotated[Optional[str], typer.Option("--confirmed-with", help="(b) who at the unit confirmed it.", show_default=False)] = None,
    by_staff: Annotated[Optional[str], typer.Option("--by-staff", help="Who opens the unit with it (default the recorder).", show_default=False)] = None,
    due: Annotated[Optional[str], typer.Option("--due", help="When it is to be re-sealed; default the end of the day (K7).", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Open a sealed custody key (K5): an emergency, or a tenant who lost their key; anything less is refused.

    Example: csctl keys open-sealed U-1203 --emergency --approved-by M01 --approved-by G01 --witness S06 --witness S07 --witness K01 --reason "water leak, tenant abroad"
    """
    from ..services import keys

    row = keys.open_sealed(call.session(), code, emergency=emergency, tenant_lost=tenant_lost, approved_by=approved_by,
                           witness=witness, reason=reason, application=application, confirmed_with=confirmed_with,
                           by_staff=by_staff, due=due, at=at)
    _done(call, row, _("recorded #{id}: {code} opened by {staff} ({mode}); paperwork {paperwork}; re-seal it with `csctl keys reseal {code}`").format(id=row['id'], code=row['code'], staff=row['staff'], mode=row['mode'], paperwork=row['paperwork']))


@command(app, "reseal")
def reseal(code: CodeArg, at: AtOpt = None, *, call: Call) -> None:
    """Seal an opened custody key again (K5), received by whoever records it.

    Example: csctl keys reseal U-1203 --at 21:05
    """
    from ..services import keys

    row = keys.reseal(call.session(), code, at=at)
    _done(call, row, _("recorded #{id}: {code} re-sealed, received by {received_by}").format(id=row['id'], code=row['code'], received_by=row['received_by']))


@command(app, "paperwork")
def paperwork(
    opening_id: Annotated[str, typer.Argument(help="The id of the opening (see `csctl keys history CODE`).", show_default=False)],
    filed: Annotated[Optional[str], typer.Option("--filed", help="The reference of the stamped, signed application on file.", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """File the stamped application of a tenant-lost opening (K5 b): it no longer awaits paperwork.

    Example: csctl keys paperwork 1312 --filed "APP-2026-118"
    """
    from ..services import keys

    row = keys.file_paperwork(call.session(), opening_id, filed=filed, at=at)
    _done(call, row, _("recorded #{id}: the application of opening #{ref} ({code}) is on file as {application}").format(id=row['id'], ref=row['ref'], code=row['code'], application=row['application']))


@command(app, "found")
def found(code: CodeArg, by_staff: ByStaffOpt, note: NoteOpt = None, at: AtOpt = None, *, call: Call) -> None:
    """Record a key found and handed to security (K6); it goes back where it rests.

    Example: csctl keys found GT-01 --by-staff S03 --note "under the lobby desk"
    """
    from ..services import keys

    row = keys.found(call.session(), code, by_staff=by_staff, note=note, at=at)
    _done(call, row, _("recorded #{id}: {code} found by {staff}").format(id=row['id'], code=row['code'], staff=row['staff']))


@command(app, "check")
def check(
    cause: Annotated[Optional[list[str]], typer.Option("--cause", help="CODE=TEXT: why a key is not back (repeat for each).", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """The daily check (K7): the keys not returned, with the cause found for each overdue key.

    Example: csctl keys check --cause OF-01="S05 took it home by mistake"
    """
    from .. import render
    from ..services import keys

    result = keys.check(call.session(), cause or [], at=at)
    if call.json:
        render.out_json(result)
        return
    state = _("complete") if result["complete"] else \
        _("incomplete: no cause yet for {keys}").format(keys=" ".join(result["missing"]))
    render.line(_("recorded #{id}: check of {day}: {out} key(s) out, {overdue} overdue; {state}").format(id=result['id'], day=result['day'], out=len(result['out']), overdue=len(result['overdue']), state=state))


@command(app, "audit")
def audit(
    present: Annotated[Optional[list[str]], typer.Option("--present", help="A key on the board (repeat for each).", show_default=False)] = None,
    file: Annotated[Optional[str], typer.Option("--file", help="A file of the codes on the board (spaces, commas or lines; # comments).", show_default=False)] = None,
    at: AtOpt = None,
    *,
    call: Call,
) -> None:
    """Take stock: the keys on the board against the ledger; missing keys, keys out, unknown codes.

    Example: csctl keys audit --present ST-01 --present EQ-01 --present GT-01
    """
    from .. import render
    from ..services import keys

    row = keys.take_stock(call.session(), present=present, file=file, at=at)
    if call.json:
        render.out_json(row)
        return
    render.line(_("recorded #{id}: {present} key(s) on the board").format(id=row['id'], present=len(row['present'])))
    for name, words in (("missing", _("missing from the board")), ("out", _("on the board but out by the ledger")),
                        ("lost", _("on the board but lost or retired by the ledger")),
                        ("unknown", _("not on the register"))):
        if row[name]:
            render.line(f"  {words}: {' '.join(row[name])}")


@command(app, "out", listing=True)
def out(
    overdue: Annotated[bool, typer.Option("--overdue", help="Only keys past their due time now (K7).")] = False,
    *,
    call: Call,
) -> None:
    """The keys out now: who has them, since when, due when, overdue or not (K7).

    Example: csctl keys out --overdue
    """
    from ..services import keys

    _keys(call, keys.listing(call.session(), state="out", overdue=overdue), _("Keys out"))


@command(app, "history", listing=True)
def history(code: CodeArg, *, call: Call) -> None:
    """A key's whole life: who had it, who approved, who took it back, openings and paperwork.

    Example: csctl keys history U-1203
    """
    from .. import render
    from ..services import keys

    rows = keys.history(call.session(), code)
    if call.json:
        render.out_json(rows)
        return
    columns = ["id", "at", "kind", "staff", "approved_by", "received_by", "detail", "recorded_by", "voided_by"]
    for row in rows:  # the rest of each row, in words
        row["detail"] = "; ".join(f"{k} {v}" for k, v in row.items() if k not in columns and k not in (
            "code", "recorded_os", "recorded_at") and v not in (None, ""))
    if call.csv:
        render.out_csv(rows, columns)
    else:
        render.table(rows, [render.Col(c, tr(HISTORY_HEADERS[c]), HISTORY_SHAPES[c][0], HISTORY_SHAPES[c][1],
                                       words="key event" if c == "kind" else None)
                            for c in columns], title=_("Key {code}").format(code=rows[0]['code']),
                     caption=_("{rows} row(s)").format(rows=len(rows)), styles=lambda r: "dim strike" if r["voided_by"] else None)
