-- The csctl ledger, whole and current. A fresh ledger is made from this file (migration
-- 0001_initial); later migrations in csctl/migrations/ upgrade older ledgers to it.
--
-- Every recorded table is append-only (L1): the triggers at the end refuse UPDATE and
-- DELETE. A correction is a row of `voids` naming the row it cancels. Row ids form one
-- sequence across the recorded tables, so `csctl void ID` needs nothing but the number.
-- Every recorded row says who recorded it (recorded_by, a staff id), under which operating
-- system account (recorded_os, read from the password database, not the environment), and
-- when (recorded_at); `at` is when the event itself happened. recorded_by carries no foreign
-- key: csctl checks the recorder before every write, and `csctl verify` checks every row's
-- trailer against its chain link; a key on it would cost a lookup per imported row. The
-- same holds for `import`: csctl writes the import's row first, in the same transaction,
-- and `csctl verify` checks that every row's import exists. Times are ISO 8601 with
-- their UTC offset; dates are YYYY-MM-DD; money is integer cents.

CREATE TABLE _migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
);

-- One link per write transaction: the hash of the previous link, of who wrote and when,
-- and of every row the transaction appended (ids first_id..last_id, which all carry the
-- link's recorded_by, recorded_os and recorded_at). `csctl verify` recomputes them.
-- `migrations` (links written since 0011; hashed into the link): the mark of `_migrations`
-- as it stood, "n:" and a SHA-256 of its n rows, which verify holds the table to.
CREATE TABLE chain (
    id INTEGER PRIMARY KEY,
    first_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL,
    migrations TEXT
);

-- People (rules.md "People"). Never deleted: `departures` marks a leaver inactive.
CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    staff TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    dept TEXT NOT NULL,
    rank TEXT NOT NULL CHECK (rank IN ('staff', 'shift_lead', 'supervisor', 'manager', 'general_manager')),
    level TEXT CHECK (level IN ('probation', 'junior', 'intermediate', 'senior', 'reserve_supervisor')),
    hired TEXT,
    os_user TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- A dated correction or change of a staff record (a mistyped name, a move to another
-- department, a promotion to shift lead, a corrected hire date): each column given replaces
-- the record's from `from_date` on; NULL leaves it as it was. A month's figures read the
-- record as it stood on the month's first day.
CREATE TABLE staff_changes (
    id INTEGER PRIMARY KEY,
    staff TEXT NOT NULL REFERENCES staff (staff),
    from_date TEXT NOT NULL,
    name TEXT,
    dept TEXT,
    rank TEXT CHECK (rank IN ('staff', 'shift_lead', 'supervisor', 'manager', 'general_manager')),
    level TEXT CHECK (level IN ('probation', 'junior', 'intermediate', 'senior', 'reserve_supervisor')),
    hired TEXT,
    reason TEXT NOT NULL,
    approved_by TEXT REFERENCES staff (staff),  -- P1: the general manager, for a level change that skips a step
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX staff_changes_staff ON staff_changes (staff);

CREATE TABLE departures (
    id INTEGER PRIMARY KEY,
    staff TEXT NOT NULL REFERENCES staff (staff),
    on_date TEXT NOT NULL,
    reason TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Imported files, so that the same file is never loaded twice (C1) and an import can be
-- voided as a whole. `kind` names the table the file's rows went to (csctl/tables.py).
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Discipline events (D1-D10), one row each, in the words of `csctl log` (the kinds are
-- csctl/models.py EVENT_KINDS). approved_on and until were added by 0008 (tables.py `late`):
-- a leave's or a day off's approval date and last day (D5).
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    staff TEXT NOT NULL REFERENCES staff (staff),
    at TEXT NOT NULL,
    minutes INTEGER,
    approved_by TEXT REFERENCES staff (staff),
    points TEXT,
    complaint TEXT CHECK (complaint IN ('slow', 'attitude')),
    source TEXT CHECK (source IN ('customer', 'colleague')),
    excused INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    note TEXT,
    import INTEGER,
    approved_on TEXT,
    until TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX events_at ON events (at);

-- L1: a void cancels one row (or a whole import); the row stays, left out of every figure.
CREATE TABLE voids (
    id INTEGER PRIMARY KEY,
    target INTEGER NOT NULL UNIQUE,
    reason TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Policy versions, each in force from a month on; `body` is the TOML as given.
CREATE TABLE policies (
    id INTEGER PRIMARY KEY,
    effective_from TEXT NOT NULL,
    body TEXT NOT NULL,
    digest TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- L2: month closes with their snapshot (no wall-clock time inside it), and reopens.
CREATE TABLE closes (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    policy_version INTEGER REFERENCES policies (id),
    policy_digest TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    chain_head TEXT NOT NULL,     -- the ledger's fingerprint when the month was closed
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX closes_month ON closes (month);

CREATE TABLE reopens (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX reopens_month ON reopens (month);

-- C1: sales, refunds and returns (negative), and order counts of logistics and data staff.
-- customer is the text as listings show it, phone numbers masked (138****5678); when masking
-- changed it, customer_sealed holds the full text sealed under a key kept outside the ledger
-- (csctl/sealing.py), added by 0009 as a late column (csctl/tables.py). Rows written before
-- 0009 hold the customer as typed.
-- staff carries no foreign key, for the reason recorded_by has none: an import of a month
-- writes a million rows, and the key's lookup was a fifth of the time each row took to
-- insert. csctl checks every seller (on the staff list, active that day) before it writes,
-- and `csctl verify` checks that every sale names a staff member.
CREATE TABLE sales (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    staff TEXT NOT NULL,
    product TEXT,
    amount_cents INTEGER NOT NULL,
    orders INTEGER NOT NULL,
    customer TEXT,
    import INTEGER,
    customer_sealed TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- C5: special commission, approved by the general manager.
CREATE TABLE bonuses (
    id INTEGER PRIMARY KEY,
    staff TEXT NOT NULL REFERENCES staff (staff),
    at TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    reason TEXT NOT NULL,
    approved_by TEXT NOT NULL REFERENCES staff (staff),
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- C7: a month's costs; the latest row of a month that is not voided counts.
CREATE TABLE costs (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    product_cost_cents INTEGER NOT NULL,
    marketing_cents INTEGER NOT NULL,
    shipping_loss_cents INTEGER NOT NULL,
    other_cents INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Personal data: every `--reveal` of customers' phone numbers is recorded.
CREATE TABLE reveals (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    scope TEXT NOT NULL,
    rows INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Levels and promotion (rules.md P1-P6). A level change is a row of staff_changes with
-- `level` set (P1): a person's level history is the level on their staff record, from the
-- hire date, and the live level changes after it. Grades, titles and probation reviews are
-- about a period, not rows of a month: a closed month does not refuse them.
-- P2: a quarter's grade of a scored customer-service member: A, B, or below B (C).
CREATE TABLE grades (
    id INTEGER PRIMARY KEY,
    staff TEXT NOT NULL REFERENCES staff (staff),
    quarter TEXT NOT NULL,  -- YYYY-Qn
    grade TEXT NOT NULL CHECK (grade IN ('A', 'B', 'C')),
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX grades_staff ON grades (staff);

-- P3: an excellent-staff title (優秀客服), dated.
CREATE TABLE titles (
    id INTEGER PRIMARY KEY,
    staff TEXT NOT NULL REFERENCES staff (staff),
    on_date TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- P3, P4: a probation review (轉正考核), passed or failed, dated.
CREATE TABLE probation_reviews (
    id INTEGER PRIMARY KEY,
    staff TEXT NOT NULL REFERENCES staff (staff),
    on_date TEXT NOT NULL,
    passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- H1-H4: a shift handover, opened by the outgoing person (or a shift lead or above for them),
-- at `at`; its day is the date of `at`. Its checklist and the requests it carries are rows of
-- their own, written with it.
CREATE TABLE handovers (
    id INTEGER PRIMARY KEY,
    shift TEXT NOT NULL,
    from_staff TEXT NOT NULL REFERENCES staff (staff),
    to_staff TEXT NOT NULL REFERENCES staff (staff),
    at TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX handovers_at ON handovers (at);

-- H1: one checklist item of a handover: ok (✓), bad (×, with its remark), or not checked.
CREATE TABLE handover_items (
    id INTEGER PRIMARY KEY,
    handover INTEGER NOT NULL REFERENCES handovers (id),
    item TEXT NOT NULL,
    mark TEXT NOT NULL CHECK (mark IN ('ok', 'bad', 'unchecked')),
    remark TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX handover_items_handover ON handover_items (handover);

-- H4: a complaint or request customers made after hours, carried across a handover; listed
-- until a resolution names it.
CREATE TABLE handover_requests (
    id INTEGER PRIMARY KEY,
    handover INTEGER NOT NULL REFERENCES handovers (id),
    text TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX handover_requests_handover ON handover_requests (handover);

CREATE TABLE handover_resolutions (
    id INTEGER PRIMARY KEY,
    request INTEGER NOT NULL REFERENCES handover_requests (id),
    at TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- H2: the incoming person's answer: accepted, or refused with a reason (the handover stays open).
CREATE TABLE handover_answers (
    id INTEGER PRIMARY KEY,
    handover INTEGER NOT NULL REFERENCES handovers (id),
    answer TEXT NOT NULL CHECK (answer IN ('accepted', 'refused')),
    staff TEXT NOT NULL REFERENCES staff (staff),
    at TEXT NOT NULL,
    reason TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX handover_answers_handover ON handover_answers (handover);

-- H3: a day's handovers reviewed and signed by a shift lead or above; `note` says what was
-- left open, if anything was.
CREATE TABLE handover_reviews (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    staff TEXT NOT NULL REFERENCES staff (staff),
    at TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- H5: the duty log. A duty is a start and, later, an end; notes say what happened and how it
-- was handled; a major incident's written report follows the next day.
CREATE TABLE duties (
    id INTEGER PRIMARY KEY,
    staff TEXT NOT NULL REFERENCES staff (staff),
    kind TEXT NOT NULL CHECK (kind IN ('start', 'end')),
    at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX duties_staff ON duties (staff, at);

CREATE TABLE duty_notes (
    id INTEGER PRIMARY KEY,
    staff TEXT NOT NULL REFERENCES staff (staff),
    at TEXT NOT NULL,
    text TEXT NOT NULL,
    handled TEXT,
    major INTEGER NOT NULL DEFAULT 0,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE TABLE duty_reports (
    id INTEGER PRIMARY KEY,
    note INTEGER NOT NULL REFERENCES duty_notes (id),
    staff TEXT NOT NULL REFERENCES staff (staff),
    at TEXT NOT NULL,
    text TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- H6: a duty swap arranged in advance with the customer-service manager's approval: on `day`
-- `staff` leaves the post to `other`.
CREATE TABLE duty_swaps (
    id INTEGER PRIMARY KEY,
    staff TEXT NOT NULL REFERENCES staff (staff),
    other TEXT NOT NULL REFERENCES staff (staff),
    day TEXT NOT NULL,
    approved_by TEXT NOT NULL REFERENCES staff (staff),
    at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX duty_swaps_staff ON duty_swaps (staff, day);

-- Hazardous materials (Z1-Z6, doc 11). Quantities are exact: integer thousandths of the
-- material's unit (qty_milli 12500 is 12.500 g), never floats. Every material row and move
-- names its material by row id.
-- Z1: the register of materials, each with its unit; a material is never removed.
CREATE TABLE hazmat_materials (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    unit TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Z2: stock brought into the department's locked hazmat store.
CREATE TABLE hazmat_stock_ins (
    id INTEGER PRIMARY KEY,
    material INTEGER NOT NULL REFERENCES hazmat_materials (id),
    at TEXT NOT NULL,
    qty_milli INTEGER NOT NULL CHECK (qty_milli > 0),
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Z3: a draw for use, by `staff`; approved_by is the customer-service shift lead (or above)
-- who approved and issued it, NULL when such a lead drew it themselves.
CREATE TABLE hazmat_draws (
    id INTEGER PRIMARY KEY,
    material INTEGER NOT NULL REFERENCES hazmat_materials (id),
    staff TEXT NOT NULL REFERENCES staff (staff),
    at TEXT NOT NULL,
    qty_milli INTEGER NOT NULL CHECK (qty_milli > 0),
    purpose TEXT NOT NULL,
    approved_by TEXT REFERENCES staff (staff),
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Z4: what was not used goes back into the store, by the person answering for the draw (Z5).
CREATE TABLE hazmat_returns (
    id INTEGER PRIMARY KEY,
    draw INTEGER NOT NULL REFERENCES hazmat_draws (id),
    staff TEXT NOT NULL REFERENCES staff (staff),
    at TEXT NOT NULL,
    qty_milli INTEGER NOT NULL CHECK (qty_milli > 0),
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Z4: the rest of a draw marked used up; the draw is closed.
CREATE TABLE hazmat_uses (
    id INTEGER PRIMARY KEY,
    draw INTEGER NOT NULL REFERENCES hazmat_draws (id),
    staff TEXT NOT NULL REFERENCES staff (staff),
    at TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Z5: a draw handed on from the person answering for it to another, with a lead's approval.
CREATE TABLE hazmat_lends (
    id INTEGER PRIMARY KEY,
    draw INTEGER NOT NULL REFERENCES hazmat_draws (id),
    from_staff TEXT NOT NULL REFERENCES staff (staff),
    to_staff TEXT NOT NULL REFERENCES staff (staff),
    approved_by TEXT NOT NULL REFERENCES staff (staff),
    at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- A stock-take: the physical count, beside the ledger's balance at that time.
CREATE TABLE hazmat_counts (
    id INTEGER PRIMARY KEY,
    material INTEGER NOT NULL REFERENCES hazmat_materials (id),
    at TEXT NOT NULL,
    qty_milli INTEGER NOT NULL CHECK (qty_milli >= 0),
    balance_milli INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Z6: anomalies (a spill, a shortfall, anything unusual). One raised by a count that
-- disagrees names it (from_count) and holds both figures.
CREATE TABLE hazmat_anomalies (
    id INTEGER PRIMARY KEY,
    material INTEGER NOT NULL REFERENCES hazmat_materials (id),
    at TEXT NOT NULL,
    note TEXT NOT NULL,
    from_count INTEGER REFERENCES hazmat_counts (id),
    expected_milli INTEGER,
    counted_milli INTEGER,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);


-- Keys (K1-K8, migration 0004_keys). The register: one row a key, never removed (K1). `kept`
-- says where the key rests when nobody has it: on the board, or sealed (a tenant's key held in
-- trust, K5). A replacement (K6) names the key it `replaces`.
CREATE TABLE keys (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('office', 'storeroom', 'equipment_room', 'fire_exit', 'gate',
        'unit', 'area')),
    kept TEXT NOT NULL CHECK (kept IN ('board', 'sealed')),
    replaces TEXT REFERENCES keys (code),
    at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- What happened to a key, one row each; a key's state is these rows replayed in order. The
-- columns a kind does not use are NULL:
--   borrow     staff borrows it (for `contractor`), `purpose`, `due`, approved_by (K2),
--              special_by and reason: a manager's special approval (K4)
--   return     staff hands it back, received_by the keeper (K3)
--   hand_on    from_staff hands a shift key to staff, `shift` the shift handing on; `handover`
--              the accepted handover it went through, once handovers are recorded (K8)
--   open       staff opens a sealed key (K5): `mode` emergency (approved_by the customer-service
--              manager, approved_by_2 the general manager, three witnesses, `reason`) or
--              tenant_lost (`application`, confirmed_with, approved_by); `due`
--   reseal     the opened key sealed again, received_by (K5)
--   paperwork  the stamped application of opening `ref` filed as `application` (K5 b)
--   lost       reported lost or damaged, `note` (K6); found: staff found it, `note`
--   retire     replaced after a lock change approved_by security, by new_code (K6)
--   cause      the daily check `ref` found why it is not back: `note`; staff held it (K7)
CREATE TABLE key_events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('borrow', 'return', 'hand_on', 'open', 'reseal', 'paperwork', 'lost',
        'found', 'retire', 'cause')),
    code TEXT NOT NULL REFERENCES keys (code),
    at TEXT NOT NULL,
    staff TEXT REFERENCES staff (staff),
    contractor TEXT,
    purpose TEXT,
    due TEXT,
    approved_by TEXT REFERENCES staff (staff),
    approved_by_2 TEXT REFERENCES staff (staff),
    special_by TEXT REFERENCES staff (staff),
    reason TEXT,
    mode TEXT CHECK (mode IN ('emergency', 'tenant_lost')),
    witness_1 TEXT REFERENCES staff (staff),
    witness_2 TEXT REFERENCES staff (staff),
    witness_3 TEXT REFERENCES staff (staff),
    application TEXT,
    confirmed_with TEXT,
    received_by TEXT REFERENCES staff (staff),
    from_staff TEXT REFERENCES staff (staff),
    shift TEXT,
    handover INTEGER,
    new_code TEXT REFERENCES keys (code),
    ref INTEGER,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX key_events_code ON key_events (code);

-- K7: a daily check of the keys not returned; the cause found for each is a `cause` row of
-- key_events naming the check.
CREATE TABLE key_checks (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Stock-take: the codes found on the board, and what the ledger said of them then (codes
-- separated by spaces).
CREATE TABLE key_audits (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    present TEXT NOT NULL,
    missing TEXT NOT NULL,
    out TEXT NOT NULL,
    lost TEXT NOT NULL,
    unknown TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE VIEW live_key_events AS SELECT * FROM key_events WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_key_checks AS SELECT * FROM key_checks WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_key_audits AS SELECT * FROM key_audits WHERE id NOT IN (SELECT target FROM voids);

CREATE TRIGGER keys_no_update BEFORE UPDATE ON keys BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER keys_no_delete BEFORE DELETE ON keys BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER key_events_no_update BEFORE UPDATE ON key_events BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER key_events_no_delete BEFORE DELETE ON key_events BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER key_checks_no_update BEFORE UPDATE ON key_checks BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER key_checks_no_delete BEFORE DELETE ON key_checks BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER key_audits_no_update BEFORE UPDATE ON key_audits BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER key_audits_no_delete BEFORE DELETE ON key_audits BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;

-- The rows that count: neither voided nor brought in by a voided import (L1). Every figure is
-- computed from these views; `csctl verify` holds them to this file.
CREATE VIEW live_staff_changes AS SELECT * FROM staff_changes WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_departures AS SELECT * FROM departures WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_imports AS SELECT * FROM imports WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_events AS SELECT * FROM events WHERE id NOT IN (SELECT target FROM voids)
    AND (import IS NULL OR import NOT IN (SELECT target FROM voids));
CREATE VIEW live_policies AS SELECT * FROM policies WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_sales AS SELECT * FROM sales WHERE id NOT IN (SELECT target FROM voids)
    AND (import IS NULL OR import NOT IN (SELECT target FROM voids));
CREATE VIEW live_bonuses AS SELECT * FROM bonuses WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_costs AS SELECT * FROM costs WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_grades AS SELECT * FROM grades WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_titles AS SELECT * FROM titles WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_probation_reviews AS SELECT * FROM probation_reviews WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_handovers AS SELECT * FROM handovers WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_handover_resolutions AS SELECT * FROM handover_resolutions WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_handover_answers AS SELECT * FROM handover_answers WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_handover_reviews AS SELECT * FROM handover_reviews WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_duties AS SELECT * FROM duties WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_duty_notes AS SELECT * FROM duty_notes WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_duty_reports AS SELECT * FROM duty_reports WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_duty_swaps AS SELECT * FROM duty_swaps WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_hazmat_stock_ins AS SELECT * FROM hazmat_stock_ins WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_hazmat_draws AS SELECT * FROM hazmat_draws WHERE id NOT IN (SELECT target FROM voids);
-- A voided draw takes its returns, uses and lends with it; a voided count, its anomaly.
CREATE VIEW live_hazmat_returns AS SELECT * FROM hazmat_returns WHERE id NOT IN (SELECT target FROM voids)
    AND draw NOT IN (SELECT target FROM voids);
CREATE VIEW live_hazmat_uses AS SELECT * FROM hazmat_uses WHERE id NOT IN (SELECT target FROM voids)
    AND draw NOT IN (SELECT target FROM voids);
CREATE VIEW live_hazmat_lends AS SELECT * FROM hazmat_lends WHERE id NOT IN (SELECT target FROM voids)
    AND draw NOT IN (SELECT target FROM voids);
CREATE VIEW live_hazmat_counts AS SELECT * FROM hazmat_counts WHERE id NOT IN (SELECT target FROM voids);
CREATE VIEW live_hazmat_anomalies AS SELECT * FROM hazmat_anomalies WHERE id NOT IN (SELECT target FROM voids)
    AND (from_count IS NULL OR from_count NOT IN (SELECT target FROM voids));


-- L1: the database itself refuses to change or remove a recorded row.
CREATE TRIGGER chain_no_update BEFORE UPDATE ON chain BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER chain_no_delete BEFORE DELETE ON chain BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER staff_no_update BEFORE UPDATE ON staff BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER staff_no_delete BEFORE DELETE ON staff BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER staff_changes_no_update BEFORE UPDATE ON staff_changes BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER staff_changes_no_delete BEFORE DELETE ON staff_changes BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER departures_no_update BEFORE UPDATE ON departures BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER departures_no_delete BEFORE DELETE ON departures BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER imports_no_update BEFORE UPDATE ON imports BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER imports_no_delete BEFORE DELETE ON imports BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER voids_no_update BEFORE UPDATE ON voids BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER voids_no_delete BEFORE DELETE ON voids BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER policies_no_update BEFORE UPDATE ON policies BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER policies_no_delete BEFORE DELETE ON policies BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER closes_no_update BEFORE UPDATE ON closes BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER closes_no_delete BEFORE DELETE ON closes BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER reopens_no_update BEFORE UPDATE ON reopens BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER reopens_no_delete BEFORE DELETE ON reopens BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER sales_no_update BEFORE UPDATE ON sales BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER sales_no_delete BEFORE DELETE ON sales BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER bonuses_no_update BEFORE UPDATE ON bonuses BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER bonuses_no_delete BEFORE DELETE ON bonuses BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER costs_no_update BEFORE UPDATE ON costs BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER costs_no_delete BEFORE DELETE ON costs BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER reveals_no_update BEFORE UPDATE ON reveals BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER reveals_no_delete BEFORE DELETE ON reveals BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER grades_no_update BEFORE UPDATE ON grades BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER grades_no_delete BEFORE DELETE ON grades BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER titles_no_update BEFORE UPDATE ON titles BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER titles_no_delete BEFORE DELETE ON titles BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER probation_reviews_no_update BEFORE UPDATE ON probation_reviews BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER probation_reviews_no_delete BEFORE DELETE ON probation_reviews BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER migrations_no_update BEFORE UPDATE ON _migrations BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER migrations_no_delete BEFORE DELETE ON _migrations BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER handovers_no_update BEFORE UPDATE ON handovers BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER handovers_no_delete BEFORE DELETE ON handovers BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER handover_items_no_update BEFORE UPDATE ON handover_items BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER handover_items_no_delete BEFORE DELETE ON handover_items BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER handover_requests_no_update BEFORE UPDATE ON handover_requests BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER handover_requests_no_delete BEFORE DELETE ON handover_requests BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER handover_resolutions_no_update BEFORE UPDATE ON handover_resolutions BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER handover_resolutions_no_delete BEFORE DELETE ON handover_resolutions BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER handover_answers_no_update BEFORE UPDATE ON handover_answers BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER handover_answers_no_delete BEFORE DELETE ON handover_answers BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER handover_reviews_no_update BEFORE UPDATE ON handover_reviews BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER handover_reviews_no_delete BEFORE DELETE ON handover_reviews BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER duties_no_update BEFORE UPDATE ON duties BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER duties_no_delete BEFORE DELETE ON duties BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER duty_notes_no_update BEFORE UPDATE ON duty_notes BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER duty_notes_no_delete BEFORE DELETE ON duty_notes BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER duty_reports_no_update BEFORE UPDATE ON duty_reports BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER duty_reports_no_delete BEFORE DELETE ON duty_reports BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER duty_swaps_no_update BEFORE UPDATE ON duty_swaps BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER duty_swaps_no_delete BEFORE DELETE ON duty_swaps BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_materials_no_update BEFORE UPDATE ON hazmat_materials BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_materials_no_delete BEFORE DELETE ON hazmat_materials BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_stock_ins_no_update BEFORE UPDATE ON hazmat_stock_ins BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_stock_ins_no_delete BEFORE DELETE ON hazmat_stock_ins BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_draws_no_update BEFORE UPDATE ON hazmat_draws BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_draws_no_delete BEFORE DELETE ON hazmat_draws BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_returns_no_update BEFORE UPDATE ON hazmat_returns BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_returns_no_delete BEFORE DELETE ON hazmat_returns BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_uses_no_update BEFORE UPDATE ON hazmat_uses BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_uses_no_delete BEFORE DELETE ON hazmat_uses BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_lends_no_update BEFORE UPDATE ON hazmat_lends BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_lends_no_delete BEFORE DELETE ON hazmat_lends BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_counts_no_update BEFORE UPDATE ON hazmat_counts BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_counts_no_delete BEFORE DELETE ON hazmat_counts BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_anomalies_no_update BEFORE UPDATE ON hazmat_anomalies BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER hazmat_anomalies_no_delete BEFORE DELETE ON hazmat_anomalies BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;

