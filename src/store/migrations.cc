#include "store/migrations.h"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace cartera {
namespace {

// Tokens:
//   @ID@        surrogate key column (SQLite rowid alias; PostgreSQL identity)
//   @TENANT_ID@ the tenants table's own key
//   @TENANT_PK@ PostgreSQL: PRIMARY KEY (tenant_id, id), so every key starts
//               with the tenant and the table can be distributed by tenant
//               (Citus). SQLite keys by rowid and needs no such clause.
//   @WITHOUT_ROWID@ SQLite: WITHOUT ROWID (a table keyed by its primary key).
//   @ENGINE_LOG_TEXTS@ the engine_log_texts table (migration 15, both dialects).
// Money is BIGINT minor units plus a CHAR(3) currency; dates are DATE
// (ISO text on SQLite); timestamps are ISO-8601 UTC text on both, so the
// two stores return identical strings, except invoices' created_at and
// updated_at on PostgreSQL: TIMESTAMPTZ since migration 19, for width.
constexpr const char* kMigration1 = R"SQL(
CREATE TABLE tenants (
  @TENANT_ID@,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  country CHAR(2) NOT NULL,
  time_zone TEXT NOT NULL,
  created_at TEXT NOT NULL
);
INSERT INTO tenants (id, slug, name, country, time_zone, created_at)
  VALUES (1, 'default', 'Mi empresa', 'CO', 'America/Bogota', '1970-01-01T00:00:00Z');
@RESTART_TENANT_IDS@

CREATE TABLE customers (
  @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants (id),
  external_id TEXT NOT NULL,
  name TEXT NOT NULL,
  tax_id TEXT NOT NULL,
  country CHAR(2) NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('company', 'person')),
  time_zone TEXT NOT NULL,
  language TEXT NOT NULL CHECK (language IN ('es', 'en')),
  address TEXT,
  credit_limit_minor BIGINT,
  currency CHAR(3),
  segment TEXT,
  attributes TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  @TENANT_PK@,
  UNIQUE (tenant_id, external_id)
);

CREATE TABLE contact_points (
  @ID@,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'phone', 'whatsapp')),
  value TEXT NOT NULL,
  is_primary INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL,
  created_at TEXT NOT NULL,
  @TENANT_PK@,
  UNIQUE (tenant_id, customer_id, channel, value)
);

CREATE TABLE invoices (
  @ID@,
  tenant_id BIGINT NOT NULL,
  external_id TEXT NOT NULL,
  customer_id BIGINT NOT NULL,
  number TEXT NOT NULL,
  issue_date DATE NOT NULL,
  due_date DATE NOT NULL,
  currency CHAR(3) NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
  description TEXT,
  attributes TEXT,
  -- Derived from allocations (kept in step by the ledger service, checked
  -- by `cartera check`): what is still owed and the date it last changed.
  open_minor BIGINT NOT NULL,
  last_allocation_date DATE,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  @TENANT_PK@,
  UNIQUE (tenant_id, external_id)
);
CREATE INDEX invoices_by_customer ON invoices (tenant_id, customer_id, due_date);

CREATE TABLE payments (
  @ID@,
  tenant_id BIGINT NOT NULL,
  external_id TEXT NOT NULL,
  customer_id BIGINT NOT NULL,
  invoice_id BIGINT,
  date DATE NOT NULL,
  currency CHAR(3) NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  method TEXT NOT NULL,
  reference TEXT,
  attributes TEXT,
  unapplied_minor BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  @TENANT_PK@,
  UNIQUE (tenant_id, external_id)
);
CREATE INDEX payments_by_customer ON payments (tenant_id, customer_id, date);

CREATE TABLE credit_notes (
  @ID@,
  tenant_id BIGINT NOT NULL,
  external_id TEXT NOT NULL,
  customer_id BIGINT NOT NULL,
  invoice_id BIGINT NOT NULL,
  date DATE NOT NULL,
  currency CHAR(3) NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  reason TEXT NOT NULL,
  attributes TEXT,
  unapplied_minor BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  @TENANT_PK@,
  UNIQUE (tenant_id, external_id)
);
CREATE INDEX credit_notes_by_customer ON credit_notes (tenant_id, customer_id, date);

-- An allocation applies part of a credit (a payment or a credit note) to
-- one invoice. Its date is when the money met the debt: the later of the
-- credit's date and the invoice's issue date.
CREATE TABLE allocations (
  @ID@,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  invoice_id BIGINT NOT NULL,
  payment_id BIGINT,
  credit_note_id BIGINT,
  date DATE NOT NULL,
  currency CHAR(3) NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  created_at TEXT NOT NULL,
  @TENANT_PK@,
  CHECK ((payment_id IS NULL) <> (credit_note_id IS NULL))
);
CREATE INDEX allocations_by_invoice ON allocations (tenant_id, invoice_id);
CREATE INDEX allocations_by_customer ON allocations (tenant_id, customer_id);

CREATE TABLE audit_log (
  @ID@,
  tenant_id BIGINT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  before_json TEXT,
  after_json TEXT,
  source TEXT,
  @TENANT_PK@
);
CREATE INDEX audit_log_by_entity ON audit_log (tenant_id, entity, entity_id);
)SQL";

// Open invoices drive aging and the collection run: a partial index keeps
// that scan proportional to what is owed, not to history.
constexpr const char* kMigration2 = R"SQL(
CREATE INDEX invoices_open ON invoices (tenant_id, customer_id) WHERE open_minor <> 0;
)SQL";


// The collection engine: strategies, promises, disputes, consent per contact
// point, stored segments, the outbox (every side effect, with an idempotency
// key) and the engine log (what was planned, deferred or skipped, and why).
constexpr const char* kMigration3 = R"SQL(
CREATE TABLE strategies (
  @ID@,
  tenant_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  @TENANT_PK@,
  UNIQUE (tenant_id, name)
);

CREATE TABLE promises (
  @ID@,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  promised_date DATE NOT NULL,
  currency CHAR(3) NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  status TEXT NOT NULL CHECK (status IN ('open', 'kept', 'broken', 'cancelled')),
  source TEXT NOT NULL,
  note TEXT,
  created_at TEXT NOT NULL,
  resolved_at TEXT,
  @TENANT_PK@
);
CREATE INDEX promises_by_customer ON promises (tenant_id, customer_id, status);

CREATE TABLE disputes (
  @ID@,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  invoice_id BIGINT NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  resolution TEXT,
  opened_at TEXT NOT NULL,
  resolved_at TEXT,
  @TENANT_PK@
);
CREATE INDEX disputes_by_invoice ON disputes (tenant_id, invoice_id, status);

ALTER TABLE contact_points ADD COLUMN consent TEXT NOT NULL DEFAULT 'granted';
ALTER TABLE contact_points ADD COLUMN consent_source TEXT NOT NULL DEFAULT 'import';
ALTER TABLE contact_points ADD COLUMN consent_at TEXT;
ALTER TABLE contact_points ADD COLUMN usable INTEGER NOT NULL DEFAULT 1;

ALTER TABLE customers ADD COLUMN behaviour_segment TEXT;
ALTER TABLE customers ADD COLUMN size_segment TEXT;
ALTER TABLE customers ADD COLUMN segment_reason TEXT;

CREATE TABLE outbox (
  @ID@,
  tenant_id BIGINT NOT NULL,
  idempotency_key TEXT NOT NULL,
  customer_id BIGINT NOT NULL,
  strategy TEXT NOT NULL,
  stage TEXT NOT NULL,
  action TEXT NOT NULL,
  channel TEXT,
  template TEXT,
  tone TEXT,
  business_date DATE NOT NULL,
  scheduled_at TEXT NOT NULL,
  status TEXT NOT NULL,
  payload TEXT NOT NULL,
  outcome TEXT,
  outcome_at TEXT,
  assignee TEXT,
  created_at TEXT NOT NULL,
  @TENANT_PK@,
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX outbox_by_customer ON outbox (tenant_id, customer_id, stage);
CREATE INDEX outbox_by_status ON outbox (tenant_id, status, scheduled_at);

CREATE TABLE engine_log (
  @ID@,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  business_date DATE NOT NULL,
  stage TEXT,
  action TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('planned', 'deferred', 'skipped', 'blocked')),
  code TEXT NOT NULL,
  detail TEXT NOT NULL,
  created_at TEXT NOT NULL,
  @TENANT_PK@
);
CREATE INDEX engine_log_by_customer ON engine_log (tenant_id, customer_id, business_date);
)SQL";

// Aging and the run read open invoices only: a covering partial index lets
// them walk just those, in customer order, without touching the table. The
// second index finds invoices settled after an as-of date (open back then).
constexpr const char* kMigration4 = R"SQL(
DROP INDEX invoices_open;
CREATE INDEX invoices_open ON invoices (tenant_id, customer_id, currency, due_date, issue_date, open_minor,
  amount_minor, last_allocation_date, id) WHERE open_minor <> 0;
CREATE INDEX invoices_settled ON invoices (tenant_id, last_allocation_date) WHERE open_minor = 0;
CREATE INDEX payments_waiting ON payments (tenant_id, customer_id) WHERE unapplied_minor > 0;
CREATE INDEX credit_notes_waiting ON credit_notes (tenant_id, customer_id) WHERE unapplied_minor > 0;
)SQL";

// An import records its created rows as one audit row for the id range
// entity_id..entity_id_last instead of one row each: at a million invoices
// the per-row JSON cost more than the load itself (docs/architecture.md).
constexpr const char* kMigration5 = R"SQL(
ALTER TABLE audit_log ADD COLUMN entity_id_last BIGINT;
)SQL";

// Invoice ids unique per tenant through a named index instead of a table
// constraint: a first load can then build it after the rows, like the other
// indexes (a sort instead of a million random inserts). SQLite cannot drop a
// table constraint, so there the table is rebuilt.
constexpr const char* kMigration6Sqlite = R"SQL(
CREATE TABLE invoices_rebuilt (
  id INTEGER PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  external_id TEXT NOT NULL,
  customer_id BIGINT NOT NULL,
  number TEXT NOT NULL,
  issue_date DATE NOT NULL,
  due_date DATE NOT NULL,
  currency CHAR(3) NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
  description TEXT,
  attributes TEXT,
  open_minor BIGINT NOT NULL,
  last_allocation_date DATE,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
INSERT INTO invoices_rebuilt SELECT id, tenant_id, external_id, customer_id, number, issue_date, due_date, currency,
  amount_minor, description, attributes, open_minor, last_allocation_date, created_at, updated_at FROM invoices;
DROP TABLE invoices;
ALTER TABLE invoices_rebuilt RENAME TO invoices;
CREATE UNIQUE INDEX invoices_by_external_id ON invoices (tenant_id, external_id);
CREATE INDEX invoices_by_customer ON invoices (tenant_id, customer_id, due_date);
CREATE INDEX invoices_open ON invoices (tenant_id, customer_id, currency, due_date, issue_date, open_minor,
  amount_minor, last_allocation_date, id) WHERE open_minor <> 0;
CREATE INDEX invoices_settled ON invoices (tenant_id, last_allocation_date) WHERE open_minor = 0;
)SQL";
constexpr const char* kMigration6Postgres = R"SQL(
ALTER TABLE invoices DROP CONSTRAINT invoices_tenant_id_external_id_key;
CREATE UNIQUE INDEX invoices_by_external_id ON invoices (tenant_id, external_id);
)SQL";

// Delivery: attempts per outbox item, what was sent to whom, and each
// tenant's channel settings with the secret sealed (delivery/secret_box.h).
constexpr const char* kMigration7 = R"SQL(
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN recipient TEXT;
ALTER TABLE outbox ADD COLUMN provider_message_id TEXT;
ALTER TABLE outbox ADD COLUMN sent_at TEXT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
CREATE TABLE delivery_attempts (
  @ID@,
  tenant_id BIGINT NOT NULL,
  outbox_id BIGINT NOT NULL,
  attempt INTEGER NOT NULL,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  status TEXT NOT NULL,
  provider_message_id TEXT,
  detail TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  @TENANT_PK@
);
CREATE INDEX delivery_attempts_by_outbox ON delivery_attempts (tenant_id, outbox_id);
CREATE TABLE channel_settings (
  tenant_id BIGINT NOT NULL,
  channel TEXT NOT NULL,
  settings TEXT NOT NULL,
  sealed_secret TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, channel)
);
)SQL";

// What debtors write back (SMS and WhatsApp replies, STOP/BAJA), kept for
// the timeline and for measuring who answers.
constexpr const char* kMigration8 = R"SQL(
CREATE TABLE inbound_messages (
  @ID@,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  channel TEXT NOT NULL,
  sender TEXT NOT NULL,
  body TEXT NOT NULL,
  provider_message_id TEXT,
  received_at TEXT NOT NULL,
  opt_out INTEGER NOT NULL DEFAULT 0,
  @TENANT_PK@
);
CREATE INDEX inbound_messages_by_customer ON inbound_messages (tenant_id, customer_id, received_at);
)SQL";

// The company's profile for letters and statements: the letterhead (tax id,
// address, city, phone, email) and how debtors pay. All optional: without
// them a document shows the tenant's name and a neutral payment sentence.
constexpr const char* kMigration9 = R"SQL(
ALTER TABLE tenants ADD COLUMN tax_id TEXT;
ALTER TABLE tenants ADD COLUMN address TEXT;
ALTER TABLE tenants ADD COLUMN city TEXT;
ALTER TABLE tenants ADD COLUMN phone TEXT;
ALTER TABLE tenants ADD COLUMN email TEXT;
ALTER TABLE tenants ADD COLUMN payment_instructions TEXT;
ALTER TABLE tenants ADD COLUMN updated_at TEXT;
)SQL";

// Webhooks find our message by the provider's id, and drop a message a
// provider sends again.
constexpr const char* kMigration10 = R"SQL(
CREATE INDEX outbox_by_provider_message_id ON outbox (tenant_id, provider_message_id);
CREATE INDEX inbound_messages_by_provider_message_id ON inbound_messages (tenant_id, provider_message_id);
)SQL";

// Who signs messages and letters (`company set --collector-name`): a person
// or a team. NULL until set; messages then sign with a team's title
// (templates::DefaultCollectorName).
constexpr const char* kMigration11 = R"SQL(
ALTER TABLE tenants ADD COLUMN collector_name TEXT;
)SQL";

// PostgreSQL: the open-invoice index keyed by customer only, the other
// columns carried along (INCLUDE). Aging reads it in customer order as
// before, and building it after a load sorts on two integers instead of
// nine columns, the currency through the database's collation (a first
// import of a million invoices: 1.5 s -> 0.8 s). SQLite has no INCLUDE.
constexpr const char* kMigration12Sqlite = R"SQL(
SELECT 1;
)SQL";
constexpr const char* kMigration12Postgres = R"SQL(
DROP INDEX invoices_open;
CREATE INDEX invoices_open ON invoices (tenant_id, customer_id) INCLUDE (currency, due_date, issue_date, open_minor,
  amount_minor, last_allocation_date, id) WHERE open_minor <> 0;
)SQL";

// Settled invoices summed per customer and currency (store/payment_history.h).
// NULL grace: not built yet; the first rebalance or run builds them.
constexpr const char* kMigration13 = R"SQL(
CREATE TABLE payment_history (
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  settled_invoices BIGINT NOT NULL,
  settled_amount_minor BIGINT NOT NULL,
  settled_late BIGINT NOT NULL,
  settled_days_late BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, customer_id, currency)
)@WITHOUT_ROWID@;
ALTER TABLE tenants ADD COLUMN history_grace_days INTEGER;
)SQL";

// The run reads every consented, usable contact point: a covering index in
// customer order reads a fifth of the table's pages (2.6M points: 2.4 s -> 0.5 s).
constexpr const char* kMigration14 = R"SQL(
CREATE INDEX contact_points_consented ON contact_points (tenant_id, customer_id, channel, consent_source)
  WHERE consent = 'granted' AND usable = 1;
)SQL";

// The engine log's sentences are few and repeated (a run over 1M customers:
// 537,000 rows, 510 distinct sentences of 260 bytes): each business day's
// distinct sentences are kept once, in engine_log_texts, and a row names
// its sentence by number. Rows written before keep theirs in `detail`.
//
// SQLite also gets its CHECK on kind as comparisons: it builds a temporary
// b-tree for `x IN (a, b, c)` each time a statement runs, which tripled the
// cost of every logged row. PostgreSQL has no such cost.
constexpr const char* kMigration15Sqlite = R"SQL(
CREATE TABLE engine_log_rebuilt (
  id INTEGER PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  business_date DATE NOT NULL,
  stage TEXT,
  action TEXT,
  kind TEXT NOT NULL CHECK (kind = 'planned' OR kind = 'deferred' OR kind = 'skipped' OR kind = 'blocked'),
  code TEXT NOT NULL,
  detail TEXT,
  detail_id INTEGER,
  created_at TEXT NOT NULL
);
INSERT INTO engine_log_rebuilt (id, tenant_id, customer_id, business_date, stage, action, kind, code, detail,
  created_at) SELECT id, tenant_id, customer_id, business_date, stage, action, kind, code, detail, created_at
  FROM engine_log;
DROP TABLE engine_log;
ALTER TABLE engine_log_rebuilt RENAME TO engine_log;
CREATE INDEX engine_log_by_customer ON engine_log (tenant_id, customer_id, business_date);
@ENGINE_LOG_TEXTS@
)SQL";
constexpr const char* kMigration15Postgres = R"SQL(
ALTER TABLE engine_log ALTER COLUMN detail DROP NOT NULL;
ALTER TABLE engine_log ADD COLUMN detail_id INTEGER;
@ENGINE_LOG_TEXTS@
)SQL";
constexpr const char* kEngineLogTexts = R"SQL(
CREATE TABLE engine_log_texts (
  tenant_id BIGINT NOT NULL,
  business_date DATE NOT NULL,
  id INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (tenant_id, business_date, id)
);
)SQL";

// Each customer's segments from the last run, in a narrow table of their
// own: rewriting them inside the wide customer rows made the first run grow
// and split the customer pages (586,000 customers: 3.4 s). A customer
// without open debt has no current segment.
constexpr const char* kMigration16 = R"SQL(
CREATE TABLE customer_segments (
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  behaviour_segment TEXT NOT NULL,
  size_segment TEXT NOT NULL,
  segment_reason TEXT NOT NULL,
  PRIMARY KEY (tenant_id, customer_id)
)@WITHOUT_ROWID@;
INSERT INTO customer_segments (tenant_id, customer_id, behaviour_segment, size_segment, segment_reason)
  SELECT tenant_id, id, behaviour_segment, COALESCE(size_segment, 'C'), COALESCE(segment_reason, '') FROM customers
  WHERE behaviour_segment IS NOT NULL;
ALTER TABLE customers DROP COLUMN behaviour_segment;
ALTER TABLE customers DROP COLUMN size_segment;
ALTER TABLE customers DROP COLUMN segment_reason;
)SQL";

// PostgreSQL: external ids are opaque keys, compared byte by byte as SQLite
// always did (the same order on both databases, whatever the database's
// locale). Byte comparisons (memcmp instead of strcoll) also let a first
// load build their unique indexes in two thirds of the time. Comparisons
// with staging columns of the default collation resolve to "C". Invoices by
// customer without the due date: equal keys then deduplicate (a third of
// the size); a customer's few invoices sort in memory.
constexpr const char* kMigration17Postgres = R"SQL(
ALTER TABLE customers ALTER COLUMN external_id TYPE TEXT COLLATE "C";
ALTER TABLE invoices ALTER COLUMN external_id TYPE TEXT COLLATE "C";
ALTER TABLE payments ALTER COLUMN external_id TYPE TEXT COLLATE "C";
ALTER TABLE credit_notes ALTER COLUMN external_id TYPE TEXT COLLATE "C";
DROP INDEX invoices_by_customer;
CREATE INDEX invoices_by_customer ON invoices (tenant_id, customer_id);
)SQL";
constexpr const char* kMigration17Sqlite = "SELECT 1;";

// PostgreSQL: invoice external ids lead their unique index. A sort uses
// abbreviated keys (the first bytes as an integer) for the leading column
// only: behind a tenant id that every row of a load shares, each comparison
// went on to compare the ids in full. Lookups name both columns, so the
// order does not matter to them (a first load of a million invoices builds
// the index in 0.5-0.65 s instead of 0.75-0.9 s).
constexpr const char* kMigration18Postgres = R"SQL(
DROP INDEX invoices_by_external_id;
CREATE UNIQUE INDEX invoices_by_external_id ON invoices (external_id, tenant_id);
)SQL";
constexpr const char* kMigration18Sqlite = "SELECT 1;";

// PostgreSQL: invoices rebuilt narrower, 174 -> 133 bytes a row at a
// million rows. The two timestamps become TIMESTAMPTZ (8 bytes each instead
// of 21 of text; nothing reads them back, they are for people and the audit
// trail), and the fixed-width columns come first, widest first, so that no
// padding sits between them and every index build reads its keys at fixed
// offsets. A first load of a million invoices spends a tenth less of the
// server's CPU on its COPY. SQLite stores neither padding nor fixed widths.
constexpr const char* kMigration19Postgres = R"SQL(
-- The old table's names are freed first, so the new objects take them.
ALTER TABLE invoices RENAME TO invoices_before_19;
ALTER SEQUENCE invoices_id_seq RENAME TO invoices_before_19_id_seq;
ALTER TABLE invoices_before_19 DROP CONSTRAINT invoices_pkey, DROP CONSTRAINT invoices_amount_minor_check;
DROP INDEX invoices_by_customer, invoices_by_external_id, invoices_open, invoices_settled;
CREATE TABLE invoices (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
  open_minor BIGINT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  issue_date DATE NOT NULL,
  due_date DATE NOT NULL,
  last_allocation_date DATE,
  currency CHAR(3) NOT NULL,
  external_id TEXT COLLATE "C" NOT NULL,
  number TEXT NOT NULL,
  description TEXT,
  attributes TEXT
);
INSERT INTO invoices (id, tenant_id, customer_id, amount_minor, open_minor, created_at, updated_at, issue_date,
  due_date, last_allocation_date, currency, external_id, number, description, attributes)
  SELECT id, tenant_id, customer_id, amount_minor, open_minor, created_at::timestamptz, updated_at::timestamptz,
  issue_date, due_date, last_allocation_date, currency, external_id, number, description, attributes
  FROM invoices_before_19;
SELECT setval(pg_get_serial_sequence('invoices', 'id'),
  nextval(pg_get_serial_sequence('invoices_before_19', 'id')), false);
DROP TABLE invoices_before_19;
ALTER TABLE invoices ADD CONSTRAINT invoices_pkey PRIMARY KEY (tenant_id, id);
CREATE INDEX invoices_by_customer ON invoices (tenant_id, customer_id);
CREATE UNIQUE INDEX invoices_by_external_id ON invoices (external_id, tenant_id);
CREATE INDEX invoices_open ON invoices (tenant_id, customer_id) INCLUDE (currency, due_date, issue_date, open_minor,
  amount_minor, last_allocation_date, id) WHERE open_minor <> 0;
CREATE INDEX invoices_settled ON invoices (tenant_id, last_allocation_date) WHERE open_minor = 0;
)SQL";
constexpr const char* kMigration19Sqlite = "SELECT 1;";

// The contact history (collection/contact_history.h) dates a message the
// worker claimed but has not finished (`sending`, `unknown`) at the claim,
// not at the time the run planned it; a catch-up after days without
// delivery is then counted on the day it really happens. The tenant's daily
// run time fixes the instant a day's plan is made for, whatever the clock.
constexpr const char* kMigration20 = R"SQL(
ALTER TABLE outbox ADD COLUMN attempted_at TEXT;
ALTER TABLE tenants ADD COLUMN daily_run_time TEXT NOT NULL DEFAULT '08:00';
)SQL";

// A channel the delivery worker stops using for the tenant after the server
// refused several messages in a row for its own reasons (an SMTP 5xx at MAIL
// FROM or DATA: an SPF or relay policy), so one misconfiguration does not
// fail every message of a pass. `paused_at` NULL: in use; a person resumes
// it with `cartera channel resume` (delivery/channel_pause.h).
constexpr const char* kMigration21 = R"SQL(
CREATE TABLE channel_pauses (
  tenant_id BIGINT NOT NULL,
  channel TEXT NOT NULL,
  refusals_in_row INTEGER NOT NULL DEFAULT 0,
  last_reply TEXT,
  last_refusal_at TEXT,
  paused_at TEXT,
  PRIMARY KEY (tenant_id, channel)
)@WITHOUT_ROWID@;
)SQL";

// The engine's reasons in Spanish beside the English (timeline, explain):
// everything a person reads follows their language.
constexpr const char* kMigration22 = R"SQL(
ALTER TABLE engine_log_texts ADD COLUMN text_es TEXT;
)SQL";

// Cartera as a service (issue 15): people and programs that act for a
// tenant, the server's own bookkeeping, and outbound webhooks.
// - users: one e-mail, one tenant, one role; password_hash is libsodium's
//   Argon2id string; must_change_password after a one-time password.
// - sessions and api_keys keep only a SHA-256 of the secret they hand out.
// - password_resets: one-time tokens `cartera user reset` prints (hashed).
// - idempotency_keys: the first answer to a POST, replayed for 24 h.
// - daily_runs: one row per tenant and day; the row is the run lock on
//   both databases (a second process's INSERT fails on the primary key).
// - webhook_endpoints / webhook_events: a tenant's subscribed URLs; each
//   event is queued per endpoint and delivered through the same claim
//   rules as the outbox.
constexpr const char* kMigration23 = R"SQL(
ALTER TABLE tenants ADD COLUMN currency CHAR(3) NOT NULL DEFAULT 'COP';
CREATE TABLE users (
  @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants (id),
  email TEXT NOT NULL,
  role TEXT NOT NULL,
  name TEXT,
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  disabled_at TEXT,
  created_at TEXT NOT NULL,
  last_login_at TEXT,
  @TENANT_PK@
);
CREATE UNIQUE INDEX users_by_email ON users (email);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
)@WITHOUT_ROWID@;
CREATE TABLE api_keys (
  @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT,
  @TENANT_PK@
);
CREATE UNIQUE INDEX api_keys_by_hash ON api_keys (key_hash);
CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
)@WITHOUT_ROWID@;
CREATE TABLE idempotency_keys (
  tenant_id BIGINT NOT NULL,
  principal TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER,
  content_type TEXT,
  response_body TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, principal, idempotency_key)
)@WITHOUT_ROWID@;
CREATE TABLE daily_runs (
  tenant_id BIGINT NOT NULL,
  run_date DATE NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  node TEXT NOT NULL,
  outcome TEXT,
  PRIMARY KEY (tenant_id, run_date)
)@WITHOUT_ROWID@;
CREATE TABLE webhook_endpoints (
  @ID@,
  tenant_id BIGINT NOT NULL REFERENCES tenants (id),
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret_sealed TEXT NOT NULL,
  description TEXT,
  created_at TEXT NOT NULL,
  disabled_at TEXT,
  @TENANT_PK@
);
CREATE TABLE webhook_deliveries (
  @ID@,
  tenant_id BIGINT NOT NULL,
  endpoint_id BIGINT NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  attempted_at TEXT,
  delivered_at TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  @TENANT_PK@
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (tenant_id, endpoint_id, event_id);
)SQL";

// The dashboard's summary, kept (report/summary_cache.h): the aging of a
// million customers takes seconds, the dashboard asks for it every page.
// The row is rebuilt when the ledger or the outbox has changed since (the
// marks are the largest audit and outbox ids it was built after) or when
// it is older than a few minutes; a request reads it as it is.
constexpr const char* kMigration24 = R"SQL(
CREATE TABLE summary_cache (
  tenant_id BIGINT NOT NULL PRIMARY KEY,
  business_date DATE NOT NULL,
  audit_mark BIGINT NOT NULL,
  outbox_mark BIGINT NOT NULL,
  computed_at TEXT NOT NULL,
  summary_json TEXT NOT NULL
);
)SQL";

constexpr const char* kMigration25 = R"SQL(
CREATE TABLE template_overrides (
  tenant_id BIGINT NOT NULL REFERENCES tenants (id),
  template_key TEXT NOT NULL,
  channel TEXT NOT NULL,
  language TEXT NOT NULL,
  tone TEXT NOT NULL,
  subject TEXT,
  body TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (tenant_id, template_key, channel, language, tone)
)@WITHOUT_ROWID@;
)SQL";

// The collector a customer is assigned to (a user's e-mail, lower case); NULL = unassigned.
constexpr const char* kMigration26 = R"SQL(
ALTER TABLE customers ADD COLUMN collector TEXT;
)SQL";

// Payments and credit notes listed newest first for a tenant (the API's
// /payments and /credit-notes without a customer): a page reads the
// index, not the table (1,000,000 payments: 3.5 s -> 0.1 s on SQLite).
constexpr const char* kMigration27 = R"SQL(
CREATE INDEX payments_by_date ON payments (tenant_id, date, id);
CREATE INDEX credit_notes_by_date ON credit_notes (tenant_id, date, id);
)SQL";

// A collector's notes on a customer (`cartera note add`, POST
// /api/v1/customers/{id}/notes): free text, who wrote it and when; shown
// in the customer's timeline, newest last.
constexpr const char* kMigration28 = R"SQL(
CREATE TABLE customer_notes (
  @ID@,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  text TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  @TENANT_PK@
);
CREATE INDEX customer_notes_by_customer ON customer_notes (tenant_id, customer_id, id);
)SQL";

// The dashboard's summary counts a business date's deferred and blocked
// actions by reason (report/portfolio_summary.h): this index reads just
// that day's rows, not every day's log of the tenant (about 540,000 rows a
// day at 1,000,000 customers).
constexpr const char* kMigrationEngineLogByDay = R"SQL(
CREATE INDEX engine_log_by_day ON engine_log (tenant_id, business_date, kind, code, customer_id, stage, action);
)SQL";

// Disputes with reasons, owners and deadlines (issue 17): a tenant's
// changes to the reasons catalogue (collection/dispute_reasons.h ships the
// defaults; a row here overrides one code's deadline and owner), and on each
// dispute its reason code, owner, resolution deadline, the open amount it
// held back when opened, and the outcome (accepted with its credit note, or
// rejected with the notice queued). Existing disputes take the code their
// text starts with ("wrong_amount: ..." from the portal), else 'other', and
// hold back what their invoice owes now.
constexpr const char* kMigrationDisputeReasons = R"SQL(
CREATE TABLE dispute_reasons (
  tenant_id BIGINT NOT NULL,
  code TEXT NOT NULL,
  deadline_days INTEGER NOT NULL CHECK (deadline_days > 0),
  owner TEXT,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (tenant_id, code)
);
ALTER TABLE disputes ADD COLUMN reason_code TEXT NOT NULL DEFAULT 'other';
ALTER TABLE disputes ADD COLUMN owner TEXT;
ALTER TABLE disputes ADD COLUMN deadline DATE;
ALTER TABLE disputes ADD COLUMN currency TEXT;
ALTER TABLE disputes ADD COLUMN held_minor BIGINT;
ALTER TABLE disputes ADD COLUMN outcome TEXT;
ALTER TABLE disputes ADD COLUMN credit_minor BIGINT;
ALTER TABLE disputes ADD COLUMN credit_note_id BIGINT;
ALTER TABLE disputes ADD COLUMN notice_id BIGINT;
ALTER TABLE disputes ADD COLUMN resolved_by TEXT;
UPDATE disputes SET reason_code = 'not_received' WHERE reason = 'not_received' OR substr(reason, 1, 13) = 'not_received:';
UPDATE disputes SET reason_code = 'wrong_amount' WHERE reason = 'wrong_amount' OR substr(reason, 1, 13) = 'wrong_amount:';
UPDATE disputes SET reason_code = 'defective' WHERE reason = 'defective' OR substr(reason, 1, 10) = 'defective:';
UPDATE disputes SET reason_code = 'already_paid' WHERE reason = 'already_paid' OR substr(reason, 1, 13) = 'already_paid:';
UPDATE disputes SET reason_code = 'not_ordered' WHERE reason = 'not_ordered' OR substr(reason, 1, 12) = 'not_ordered:';
UPDATE disputes SET currency = (SELECT i.currency FROM invoices i WHERE i.tenant_id = disputes.tenant_id AND i.id = disputes.invoice_id),
  held_minor = (SELECT i.open_minor FROM invoices i WHERE i.tenant_id = disputes.tenant_id AND i.id = disputes.invoice_id);
CREATE INDEX disputes_by_deadline ON disputes (tenant_id, status, deadline);
)SQL";

// Escalation (docs/escalation.md): collection agencies with their
// commission, cases that hand a customer's invoices to an agency or to a
// court (held from dunning while open: collection/held_invoices.cc), what an
// agency recovered and its commission, a legal case's documents and costs,
// and write-offs proposed by a manager and approved by an admin.
constexpr const char* kMigrationEscalation = R"SQL(
CREATE TABLE collection_agencies (
  @ID@,
  tenant_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  contact TEXT NOT NULL,
  commission_basis_points BIGINT NOT NULL CHECK (commission_basis_points BETWEEN 0 AND 10000),
  created_at TEXT NOT NULL,
  @TENANT_PK@,
  UNIQUE (tenant_id, name)
);
CREATE TABLE escalation_cases (
  @ID@,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('agency', 'legal')),
  agency_id BIGINT,
  commission_basis_points BIGINT,
  status TEXT NOT NULL CHECK (status IN ('open', 'recalled', 'closed')),
  stage TEXT,
  note TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  ended_at TEXT,
  @TENANT_PK@
);
CREATE INDEX escalation_cases_by_customer ON escalation_cases (tenant_id, customer_id, status);
CREATE TABLE escalation_invoices (
  @ID@,
  tenant_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  invoice_id BIGINT NOT NULL,
  held INTEGER NOT NULL,
  @TENANT_PK@
);
CREATE INDEX escalation_invoices_held ON escalation_invoices (tenant_id, held, customer_id, invoice_id);
CREATE INDEX escalation_invoices_by_case ON escalation_invoices (tenant_id, case_id);
CREATE TABLE agency_recoveries (
  @ID@,
  tenant_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  invoice_id BIGINT,
  reference TEXT NOT NULL,
  payment_external_id TEXT NOT NULL,
  date DATE NOT NULL,
  currency CHAR(3) NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  commission_basis_points BIGINT NOT NULL,
  commission_minor BIGINT NOT NULL CHECK (commission_minor >= 0),
  created_at TEXT NOT NULL,
  @TENANT_PK@,
  UNIQUE (tenant_id, case_id, reference)
);
CREATE TABLE legal_documents (
  @ID@,
  tenant_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  content_base64 TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  @TENANT_PK@
);
CREATE TABLE legal_costs (
  @ID@,
  tenant_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL,
  date DATE NOT NULL,
  currency CHAR(3) NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  description TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  @TENANT_PK@
);
CREATE TABLE write_offs (
  @ID@,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected')),
  reason TEXT NOT NULL,
  proposed_by TEXT NOT NULL,
  proposed_at TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  decision_note TEXT,
  @TENANT_PK@
);
CREATE TABLE write_off_invoices (
  @ID@,
  tenant_id BIGINT NOT NULL,
  write_off_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  invoice_id BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  amount_minor BIGINT NOT NULL,
  credit_note_id BIGINT,
  @TENANT_PK@
);
CREATE INDEX write_off_invoices_by_write_off ON write_off_invoices (tenant_id, write_off_id);
)SQL";

// Payment plans (acuerdos de pago, issue 17; agreements/payment_plans.h):
// the plan with its figures and state, the invoices it covers (with the
// customer, so the held-invoices query needs no join, and `active` = 1
// while the plan is active: at most one active plan per invoice, enforced
// by a partial unique index besides the use case's check), its installments
// (the schedule and what the run applied to each), and the documented
// acceptance (who, on whose behalf through what channel, when, IP, user
// agent, the SHA-256 of the terms PDF accepted).
constexpr const char* kMigrationPaymentPlans = R"SQL(
CREATE TABLE payment_plans (
  @ID@,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'completed', 'broken', 'cancelled')),
  currency CHAR(3) NOT NULL,
  frequency TEXT NOT NULL CHECK (frequency IN ('weekly', 'fortnightly', 'monthly')),
  installment_count INTEGER NOT NULL CHECK (installment_count > 0),
  proposed_on DATE NOT NULL,
  first_date DATE NOT NULL,
  balance_minor BIGINT NOT NULL,
  down_payment_minor BIGINT NOT NULL CHECK (down_payment_minor >= 0),
  interest_minor BIGINT NOT NULL CHECK (interest_minor >= 0),
  financed_minor BIGINT NOT NULL CHECK (financed_minor > 0),
  total_minor BIGINT NOT NULL,
  paid_minor BIGINT NOT NULL DEFAULT 0,
  annual_rate_micro BIGINT,
  missed_to_break INTEGER NOT NULL CHECK (missed_to_break > 0),
  missed_count INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  accepted_on DATE,
  ended_on DATE,
  cancel_reason TEXT,
  updated_at TEXT NOT NULL,
  @TENANT_PK@
);
CREATE INDEX payment_plans_by_customer ON payment_plans (tenant_id, customer_id, status);
CREATE INDEX payment_plans_by_status ON payment_plans (tenant_id, status, id);

CREATE TABLE plan_invoices (
  tenant_id BIGINT NOT NULL,
  plan_id BIGINT NOT NULL,
  invoice_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  open_minor BIGINT NOT NULL,
  active INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, plan_id, invoice_id)
);
CREATE INDEX plan_invoices_by_invoice ON plan_invoices (tenant_id, invoice_id);
CREATE UNIQUE INDEX plan_invoices_one_active ON plan_invoices (tenant_id, invoice_id) WHERE active = 1;

CREATE TABLE plan_installments (
  tenant_id BIGINT NOT NULL,
  plan_id BIGINT NOT NULL,
  number INTEGER NOT NULL,
  due_date DATE NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  interest_minor BIGINT NOT NULL DEFAULT 0,
  paid_minor BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'partially_paid', 'missed')),
  PRIMARY KEY (tenant_id, plan_id, number)
);

CREATE TABLE plan_acceptances (
  @ID@,
  tenant_id BIGINT NOT NULL,
  plan_id BIGINT NOT NULL,
  accepted_by TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('portal', 'phone', 'email', 'in_person')),
  accepted_at TEXT NOT NULL,
  accepted_on DATE NOT NULL,
  ip TEXT,
  user_agent TEXT,
  terms_sha256 TEXT NOT NULL,
  @TENANT_PK@,
  UNIQUE (tenant_id, plan_id)
);
)SQL";

// Credit policy (issue 17, docs/credit-policy.md): the tenant's rules per
// behavioural segment (absent rows: the documented defaults), each
// customer's credit state as the last run left it (on hold and why, since
// when; whether a credit review is due and why), and the credit reviews
// recorded, with the limit before and after. A partial index keeps the
// customers on hold a short read at any portfolio size. Dates here are
// 'YYYY-MM-DD' text on both databases: the run compares them with text
// (a customer's created_at) in one statement.
constexpr const char* kMigrationCreditPolicy = R"SQL(
CREATE TABLE credit_policies (
  tenant_id BIGINT NOT NULL,
  segment TEXT NOT NULL CHECK (segment IN ('habitual', 'occasional', 'high_risk', 'new')),
  hold_over_limit INTEGER NOT NULL,
  hold_days_past_due INTEGER,
  review_months INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (tenant_id, segment)
)@WITHOUT_ROWID@;
CREATE TABLE customer_credit (
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  on_hold INTEGER NOT NULL DEFAULT 0,
  hold_reasons TEXT NOT NULL DEFAULT '',
  hold_since TEXT,
  exposure_minor BIGINT,
  limit_minor BIGINT,
  currency CHAR(3),
  review_due INTEGER NOT NULL DEFAULT 0,
  review_reason TEXT,
  review_since TEXT,
  last_reviewed_on TEXT,
  last_reviewed_at TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, customer_id)
)@WITHOUT_ROWID@;
CREATE INDEX customer_credit_on_hold ON customer_credit (tenant_id, customer_id) WHERE on_hold = 1;
CREATE INDEX customer_credit_review_due ON customer_credit (tenant_id, customer_id) WHERE review_due = 1;
CREATE TABLE credit_reviews (
  @ID@,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  reviewed_on TEXT NOT NULL,
  note TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  currency CHAR(3),
  limit_before_minor BIGINT,
  limit_after_minor BIGINT,
  created_at TEXT NOT NULL,
  @TENANT_PK@
);
CREATE INDEX credit_reviews_by_customer ON credit_reviews (tenant_id, customer_id, id);
)SQL";

// Promise outcomes (docs/promises.md): the run settles an open promise as
// kept, partially kept or broken from the payments that arrived, and
// records which payments kept it. A partially kept promise keeps status
// 'broken' (the follow-up stage and the high-risk count read status) and
// says 'partially_kept' in `outcome`: a new column rather than a rebuilt
// table, because SQLite cannot alter the status CHECK and a rebuild would
// change what every other reader of status means.
constexpr const char* kMigrationPromiseOutcomes = R"SQL(
ALTER TABLE promises ADD COLUMN outcome TEXT CHECK (outcome IN ('kept', 'partially_kept', 'broken'));
ALTER TABLE promises ADD COLUMN covered_minor BIGINT;
UPDATE promises SET outcome = status, covered_minor = CASE WHEN status = 'kept' THEN amount_minor ELSE 0 END
  WHERE status IN ('kept', 'broken');
CREATE INDEX promises_open ON promises (tenant_id, customer_id) WHERE status = 'open';
CREATE INDEX promises_by_date ON promises (tenant_id, promised_date);
CREATE TABLE promise_payments (
  tenant_id BIGINT NOT NULL,
  promise_id BIGINT NOT NULL,
  payment_id BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  PRIMARY KEY (tenant_id, promise_id, payment_id)
);
CREATE INDEX promise_payments_by_payment ON promise_payments (tenant_id, payment_id);
)SQL";

// Payment-plan limits and approvals (agreements/plan_limits.h,
// agreements/plan_approval.h): a tenant's own limit rules in order (no
// row in plan_limit_sets: the shipped defaults apply), and the debtor's
// portal plans outside them waiting for a manager, with the address and
// user agent the debtor accepted the terms from and the limits they broke.
constexpr const char* kMigrationPlanLimits = R"SQL(
CREATE TABLE plan_limit_sets (
  tenant_id BIGINT NOT NULL PRIMARY KEY,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE TABLE plan_limit_rules (
  tenant_id BIGINT NOT NULL,
  position BIGINT NOT NULL,
  segment TEXT NOT NULL,
  currency TEXT NOT NULL,
  balance_min_minor BIGINT NOT NULL,
  balance_max_minor BIGINT,
  max_installments BIGINT NOT NULL,
  min_down_payment_percent BIGINT NOT NULL,
  min_installment_minor BIGINT NOT NULL,
  max_duration_days BIGINT NOT NULL,
  earliest_start_days BIGINT NOT NULL,
  latest_start_days BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, position)
);
CREATE TABLE plan_approvals (
  tenant_id BIGINT NOT NULL,
  plan_id BIGINT NOT NULL,
  status TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  requested_ip TEXT NOT NULL,
  requested_user_agent TEXT NOT NULL,
  segment TEXT NOT NULL,
  violations TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  decision_reason TEXT,
  PRIMARY KEY (tenant_id, plan_id)
);
CREATE INDEX plan_approvals_by_status ON plan_approvals (tenant_id, status, plan_id);
)SQL";

// Offers within approval limits (issue 17, src/offers): an offer covers
// some open invoices of one customer in one currency and fixes, when made,
// the covered balance, the forgiven part and what is due by its expiry;
// offer_invoices keeps each invoice's open amount, its planned share and
// the payments already on it then (so only later payments count), and the
// credit note posted at fulfilment. offer_limits / offer_limit_amounts are
// the tenant's approval limits per role (no row: the defaults).
constexpr const char* kMigrationOffers = R"SQL(
CREATE TABLE offers (
  @ID@,
  tenant_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('early_payment_discount', 'waiver', 'settlement')),
  status TEXT NOT NULL CHECK (status IN ('pending_approval', 'approved', 'accepted', 'fulfilled', 'rejected',
                                         'expired', 'withdrawn')),
  currency CHAR(3) NOT NULL,
  balance_minor BIGINT NOT NULL CHECK (balance_minor > 0),
  forgiven_minor BIGINT NOT NULL CHECK (forgiven_minor > 0),
  due_minor BIGINT NOT NULL CHECK (due_minor > 0),
  percent_bp BIGINT NOT NULL,
  expires_on DATE NOT NULL,
  created_on DATE NOT NULL,
  note TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_role TEXT NOT NULL,
  created_at TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  decision_note TEXT,
  accepted_by TEXT,
  accepted_at TEXT,
  accepted_channel TEXT,
  resolved_on DATE,
  forgiven_posted_minor BIGINT,
  updated_at TEXT NOT NULL,
  @TENANT_PK@,
  CHECK (forgiven_minor + due_minor = balance_minor)
);
CREATE INDEX offers_by_status ON offers (tenant_id, status, customer_id);
CREATE INDEX offers_by_customer ON offers (tenant_id, customer_id, id);

CREATE TABLE offer_invoices (
  tenant_id BIGINT NOT NULL,
  offer_id BIGINT NOT NULL,
  invoice_id BIGINT NOT NULL,
  ordinal BIGINT NOT NULL,
  open_minor BIGINT NOT NULL,
  paid_before_minor BIGINT NOT NULL,
  forgiven_minor BIGINT NOT NULL,
  credit_note_id BIGINT,
  PRIMARY KEY (tenant_id, offer_id, invoice_id)
);
CREATE INDEX offer_invoices_by_invoice ON offer_invoices (tenant_id, invoice_id);

CREATE TABLE offer_limits (
  tenant_id BIGINT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('collector', 'manager')),
  max_percent_bp BIGINT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, role)
);
CREATE TABLE offer_limit_amounts (
  tenant_id BIGINT NOT NULL,
  role TEXT NOT NULL,
  currency CHAR(3) NOT NULL,
  max_minor BIGINT NOT NULL CHECK (max_minor >= 0),
  PRIMARY KEY (tenant_id, role, currency)
);
)SQL";

// Issue 17, charges: a tenant's own legal rate rows (a month's certified
// usury rate we do not ship yet, a US state's cap, Chile's maximum
// conventional rate), read by the charges calculator
// (collection/charge_rates.h) before the shipped rulebooks/rates/*.json.
constexpr const char* kMigrationChargeRates = R"SQL(
CREATE TABLE charge_rates (
  @ID@,
  tenant_id BIGINT NOT NULL,
  country CHAR(2) NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('usury', 'ibc', 'ecb_reference', 'max_conventional', 'us_state_cap', 'max_rate')),
  valid_from DATE NOT NULL,
  valid_to DATE NOT NULL,
  rate_micro_percent BIGINT NOT NULL CHECK (rate_micro_percent >= 0),
  source TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  @TENANT_PK@
);
CREATE INDEX charge_rates_by_kind ON charge_rates (tenant_id, country, kind, valid_from);
)SQL";

struct Migration {
  const char* sqlite;
  const char* postgres;
};

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> migrations = {
      {kMigration1, kMigration1}, {kMigration2, kMigration2},       {kMigration3, kMigration3},
      {kMigration4, kMigration4}, {kMigration5, kMigration5}, {kMigration6Sqlite, kMigration6Postgres},
      {kMigration7, kMigration7},
      {kMigration8, kMigration8},
      {kMigration9, kMigration9},
      {kMigration10, kMigration10},
      {kMigration11, kMigration11},
      {kMigration12Sqlite, kMigration12Postgres},
      {kMigration13, kMigration13},
      {kMigration14, kMigration14},
      {kMigration15Sqlite, kMigration15Postgres},
      {kMigration16, kMigration16},
      {kMigration17Sqlite, kMigration17Postgres},
      {kMigration18Sqlite, kMigration18Postgres},
      {kMigration19Sqlite, kMigration19Postgres},
      {kMigration20, kMigration20},
      {kMigration21, kMigration21},
      {kMigration22, kMigration22},
      {kMigration23, kMigration23},
      {kMigration24, kMigration24},
      {kMigration25, kMigration25},
      {kMigration26, kMigration26},
      {kMigration27, kMigration27},
      {kMigration28, kMigration28},
      {kMigrationEngineLogByDay, kMigrationEngineLogByDay},
      {kMigrationDisputeReasons, kMigrationDisputeReasons},
      {kMigrationEscalation, kMigrationEscalation},
      {kMigrationPaymentPlans, kMigrationPaymentPlans},
      {kMigrationCreditPolicy, kMigrationCreditPolicy},
      {kMigrationPromiseOutcomes, kMigrationPromiseOutcomes},
      {kMigrationPlanLimits, kMigrationPlanLimits},
      {kMigrationOffers, kMigrationOffers},
      {kMigrationChargeRates, kMigrationChargeRates},
  };
  return migrations;
}

std::string Expand(std::string sql, Dialect dialect) {
  auto replace_all = [&sql](std::string_view token, std::string_view with) {
    for (size_t at = sql.find(token); at != std::string::npos; at = sql.find(token, at + with.size())) {
      sql.replace(at, token.size(), with);
    }
  };
  if (dialect == Dialect::kSqlite) {
    replace_all("@TENANT_ID@", "id INTEGER PRIMARY KEY");
    replace_all("@RESTART_TENANT_IDS@", "");
    replace_all("@ID@", "id INTEGER PRIMARY KEY");
    replace_all(",\n  @TENANT_PK@", "");
    // A table keyed by its primary key alone keeps its rows in key order.
    replace_all("@WITHOUT_ROWID@", " WITHOUT ROWID");
    replace_all("@ENGINE_LOG_TEXTS@", kEngineLogTexts);
  } else {
    replace_all("@WITHOUT_ROWID@", "");
    replace_all("@ENGINE_LOG_TEXTS@", kEngineLogTexts);
    replace_all("@TENANT_ID@", "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
    // The default tenant took id 1 explicitly; new tenants start after it.
    replace_all("@RESTART_TENANT_IDS@", "ALTER TABLE tenants ALTER COLUMN id RESTART WITH 2;");
    replace_all("@ID@", "id BIGINT GENERATED BY DEFAULT AS IDENTITY");
    replace_all("@TENANT_PK@", "PRIMARY KEY (tenant_id, id)");
  }
  return sql;
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

Status ApplyMigrations(Database& database, int up_to) {
  const int target = up_to > 0 ? std::min(up_to, LatestSchemaVersion()) : LatestSchemaVersion();
  if (auto created = database.Execute(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
      !created) {
    return created;
  }
  auto current = database.QueryInt64("SELECT MAX(version) FROM schema_migrations");
  if (!current) return Fail(current.error());
  const int64_t applied = current->value_or(0);
  if (applied > LatestSchemaVersion()) {
    return Fail(Error::Conflict(fmt::format(
        "the database has schema version {} but this cartera knows only up to {}: upgrade cartera", applied,
        LatestSchemaVersion())));
  }
  for (int64_t version = applied + 1; version <= target; ++version) {
    auto transaction = Transaction::Begin(database);
    if (!transaction) return Fail(transaction.error());
    const Migration& migration = Migrations()[static_cast<size_t>(version - 1)];
    std::string sql =
        Expand(database.dialect() == Dialect::kSqlite ? migration.sqlite : migration.postgres, database.dialect());
    if (auto done = database.Execute(sql); !done) {
      return Fail(Error::Storage(fmt::format("migration {} failed: {}", version, done.error().message)));
    }
    if (auto recorded = database.Execute(fmt::format(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ({}, '1970-01-01T00:00:00Z')", version));
        !recorded) {
      return recorded;
    }
    if (auto committed = transaction->Commit(); !committed) return committed;
  }
  return {};
}

}  // namespace cartera
