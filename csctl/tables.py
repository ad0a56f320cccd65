"""What each recorded table is: one declaration per table, read by the ledger, `void`,
`verify`, JSON output and the tests.

A recorded table is append-only (schema.sql's triggers refuse UPDATE and DELETE), its ids
continue the one sequence shared by every recorded table, and every row ends with the
trailer (recorded_by, recorded_os, recorded_at). A new table is one `Table(...)` below, its
CREATE TABLE, triggers and `live_` view in schema.sql and a migration; `void`, `verify`, the
chain and `jsonable` need no edit. tests/test_tables.py holds the declarations and the
schema to each other.
"""

from __future__ import annotations

# How a row's month is found, for L2 (a closed month refuses rows dated in it, and voids
# that would change it):
AT = "at"  # the month of its `at` column
MONTH = "month"  # its `month` column (YYYY-MM)
IMPORTED = "imported"  # the months of the rows the import brought in
ONWARD = "onward"  # from the first month whose first day is on or after its date (`dated`) on
POLICY = "policy"  # from its `effective_from` to the next version's


class Table:
    """One recorded table.

    - `write_rank`: the least rank that writes its rows (None: set by the write itself,
      e.g. the first person on a new ledger);
    - `void_rank`: the least rank that voids one of its rows, None if a row of it is never
      voided, and then `kept` says under which rule and why;
    - `month`: how a row's month is found (AT, MONTH, IMPORTED, ONWARD, POLICY) or None;
    - `subjects`: the columns naming the staff a row is about (nobody voids a row about
      themselves);
    - `imported`: the import kind whose files bring rows into this table, if any; such a
      table has an `import` column and a row of a voided import is not live;
    - `flags`: integer columns that are yes/no, shown as booleans;
    - `on_staff`: columns naming staff without a foreign key; `verify` checks each names
      someone on the staff list;
    - `dated`: for an ONWARD table, the column holding the date it takes effect;
    - `approvals`: columns naming who approved a row; voiding the row needs at least the
      approver's rank as well (L6);
    - `late`: columns added after the table's first rows were written (by rebuilding the
      table, so that they stand before the trailer); the chain hashes one only when it holds
      a value (ledger/chain.py `hashed_values`), so older rows verify as they were written;
    - `guard`: the services module (by name, imported only then) whose `check_void(s, table, row)`
      may refuse a void these declarations allow: a void that would take a stock below zero.
    """

    __slots__ = ("name", "write_rank", "void_rank", "kept", "month", "subjects", "imported", "flags", "on_staff",
                 "dated", "approvals", "late", "guard")

    def __init__(self, name: str, *, write_rank: str | None, void_rank: str | None = None,
                 kept: tuple[str, str] | None = None, month: str | None = None,
                 subjects: tuple[str, ...] = (), imported: str | None = None, flags: tuple[str, ...] = (),
                 on_staff: tuple[str, ...] = (), dated: str | None = None, approvals: tuple[str, ...] = (),
                 late: tuple[str, ...] = (), guard: str | None = None):
        if (void_rank is None) == (kept is None):
            raise ValueError(f"{name}: a table is either voidable (void_rank) or kept (kept)")
        self.name = name
        self.write_rank = write_rank
        self.void_rank = void_rank
        self.kept = kept
        self.month = month
        self.subjects = subjects
        self.imported = imported
        self.flags = flags
        self.on_staff = on_staff
        self.dated = dated
        self.approvals = approvals
        self.late = late
        self.guard = guard
        if (month == ONWARD) != (dated is not None):
            raise ValueError(f"{name}: an ONWARD table names its date column (dated), and only it")

    @property
    def voidable(self) -> bool:
        return self.void_rank is not None

    @property
    def live(self) -> str:
        """The view of its rows that count: not voided, nor brought by a voided import."""
        return f"live_{self.name}"

    def __repr__(self) -> str:
        return f"Table({self.name!r})"


# In the order of schema.sql. Ranks are rules.md's (L6: voiding needs at least the writing's rank).
TABLES: dict[str, Table] = {t.name: t for t in (
    Table("staff", write_rank="supervisor",
          kept=("L1", "a staff record is never removed; mark a leaver with `csctl staff leave`")),
    Table("staff_changes", write_rank="supervisor", void_rank="supervisor", month=ONWARD, subjects=("staff",),
          dated="from_date", approvals=("approved_by",)),
    Table("departures", write_rank="supervisor", void_rank="supervisor", month=ONWARD, subjects=("staff",),
          dated="on_date"),
    Table("imports", write_rank="shift_lead", void_rank="shift_lead", month=IMPORTED),
    Table("events", write_rank="shift_lead", void_rank="shift_lead", month=AT, subjects=("staff",),
          imported="events", flags=("excused",), approvals=("approved_by",), late=("approved_on", "until")),
    Table("voids", write_rank="shift_lead",
          kept=("L1", "a void cannot itself be voided; record the row again instead")),
    Table("policies", write_rank="manager", void_rank="manager", month=POLICY),
    Table("closes", write_rank="supervisor", kept=("L2", "a month close is undone with `csctl month reopen`")),
    Table("reopens", write_rank="manager", kept=("L2", "a reopen is undone by closing the month again")),
    Table("sales", write_rank="shift_lead", void_rank="shift_lead", month=AT, subjects=("staff",),
          imported="sales", on_staff=("staff",), late=("customer_sealed",)),
    Table("bonuses", write_rank="supervisor", void_rank="supervisor", month=AT, subjects=("staff",),
          approvals=("approved_by",)),
    Table("costs", write_rank="supervisor", void_rank="supervisor", month=MONTH),
    Table("reveals", write_rank="supervisor", kept=("L1", "the record of a look at personal data is kept")),
    Table("grades", write_rank="supervisor", void_rank="supervisor", subjects=("staff",)),
    Table("titles", write_rank="supervisor", void_rank="supervisor", subjects=("staff",)),
    Table("probation_reviews", write_rank="supervisor", void_rank="supervisor", subjects=("staff",),
          flags=("passed",)),
    # H1-H6. The outgoing person opens a handover, the incoming one answers it, the person on
    # duty keeps the log: each may be anyone's own row (rank staff); the rules say when a shift
    # lead or above must record it instead (services/handover.py, services/duty.py).
    Table("handovers", write_rank="staff", void_rank="shift_lead", month=AT, subjects=("from_staff", "to_staff")),
    Table("handover_items", write_rank="staff",
          kept=("L1", "an item is part of its handover; void the handover and open it again")),
    Table("handover_requests", write_rank="staff",
          kept=("L1", "a carried request is part of its handover; void the handover and open it again")),
    Table("handover_resolutions", write_rank="staff", void_rank="shift_lead", month=AT),
    Table("handover_answers", write_rank="staff", void_rank="shift_lead", month=AT, subjects=("staff",)),
    Table("handover_reviews", write_rank="shift_lead", void_rank="shift_lead", month=AT),
    Table("duties", write_rank="staff", void_rank="shift_lead", month=AT, subjects=("staff",)),
    Table("duty_notes", write_rank="staff", void_rank="shift_lead", month=AT, subjects=("staff",), flags=("major",)),
    Table("duty_reports", write_rank="staff", void_rank="shift_lead", month=AT, subjects=("staff",)),
    # Voiding a swap needs the rank of the approval it carries: the customer-service manager's (L6).
    Table("duty_swaps", write_rank="shift_lead", void_rank="manager", month=AT, subjects=("staff", "other"),
          approvals=("approved_by",)),
    # Hazmat (Z1-Z6). A draw, a return, a use and a lend are recorded by whoever is at the store:
    # their own rules name who may draw, approve, return and hand on. Voiding any of them needs a
    # shift lead, the rank of the approval a draw carries.
    Table("hazmat_materials", write_rank="shift_lead",
          kept=("Z1", "a material stays on the register; its rows are voided one by one")),
    Table("hazmat_stock_ins", write_rank="shift_lead", void_rank="shift_lead", month=AT, guard="hazmat"),
    Table("hazmat_draws", write_rank="staff", void_rank="shift_lead", month=AT, subjects=("staff",),
          approvals=("approved_by",)),
    Table("hazmat_returns", write_rank="staff", void_rank="shift_lead", month=AT, subjects=("staff",),
          guard="hazmat"),
    Table("hazmat_uses", write_rank="staff", void_rank="shift_lead", month=AT, subjects=("staff",)),
    Table("hazmat_lends", write_rank="staff", void_rank="shift_lead", month=AT, subjects=("from_staff", "to_staff"),
          approvals=("approved_by",)),
    Table("hazmat_counts", write_rank="shift_lead", void_rank="shift_lead", month=AT),
    Table("hazmat_anomalies", write_rank="staff", void_rank="shift_lead", month=AT),
    # Keys (K1-K8): anyone active records a key's borrowing or return (its approver and keeper
    # carry the authority); a lead registers keys and takes stock.
    Table("keys", write_rank="shift_lead", month=AT,
          kept=("K1", "a key stays on the register; `csctl keys replace` retires it, `csctl keys lost` reports it")),
    Table("key_events", write_rank="staff", void_rank="supervisor", month=AT, subjects=("staff",),
          approvals=("approved_by", "approved_by_2", "special_by")),
    Table("key_checks", write_rank="staff", void_rank="shift_lead", month=AT),
    Table("key_audits", write_rank="shift_lead", void_rank="shift_lead", month=AT),
)}

ROW_TABLES: tuple[str, ...] = tuple(TABLES)
# The import kinds, and the table each brings rows into.
IMPORT_KINDS: dict[str, Table] = {t.imported: t for t in TABLES.values() if t.imported}
FLAG_COLUMNS: frozenset[str] = frozenset(c for t in TABLES.values() for c in t.flags)


def table(name: str) -> Table:
    return TABLES[name]


def write_rank(name: str) -> str:
    """The least rank that writes a row of `name` (L6)."""
    rank = TABLES[name].write_rank
    if rank is None:
        raise ValueError(f"{name}: its writes set their own rank")
    return rank
