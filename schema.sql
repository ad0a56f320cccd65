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
CREATE TABLE chain (
    id INTEGER PRIMARY KEY,
    first_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_os TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
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

-- Discipline events (D1-D10), one row each, in the words of `csctl log`.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('late', 'absent', 'awol', 'left-post', 'leave', 'dayoff',
        'forgot-signin', 'offline', 'complaint', 'unfinished', 'refer')),
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
CREATE TRIGGER migrations_no_update BEFORE UPDATE ON _migrations BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;
CREATE TRIGGER migrations_no_delete BEFORE DELETE ON _migrations BEGIN SELECT RAISE(ABORT, 'the csctl ledger is append-only (L1)'); END;

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
