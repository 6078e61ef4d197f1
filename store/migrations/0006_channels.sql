-- 0006: data in and out: import jobs and their staging rows, webhooks and
-- their outbox, the e-mail channel (messages, attachments, settings).
-- Portable SQL for SQLite and PostgreSQL; {{ID}} is the auto-increment key.
-- Times are UTC epoch milliseconds; booleans are INTEGER 0/1.
-- Statements end with ";" at the end of a line (store/db.c splits there).
-- Nothing here references tables of other migrations by foreign key
-- (cases arrive in 0002, which may be applied after this one).

-- An import (app/import*.c): a file read into import_rows, checked
-- against a column mapping (the dry run), then written all or nothing.
-- status: parsing, uploaded, checking, checked, importing, done, failed,
-- cancelled.  The counters are what the UI shows.
CREATE TABLE import_jobs (
  id {{ID}},
  kind TEXT NOT NULL CHECK (kind IN ('customers', 'orders')),
  filename TEXT NOT NULL DEFAULT '',
  encoding TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  headers TEXT NOT NULL DEFAULT '[]',
  sample TEXT NOT NULL DEFAULT '[]',
  suggested TEXT NOT NULL DEFAULT '[]',
  mapping TEXT NOT NULL DEFAULT '[]',
  duplicates TEXT NOT NULL DEFAULT 'skip',
  total_rows BIGINT NOT NULL DEFAULT 0,
  done_rows BIGINT NOT NULL DEFAULT 0,
  ok_rows BIGINT NOT NULL DEFAULT 0,
  bad_rows BIGINT NOT NULL DEFAULT 0,
  problem_count BIGINT NOT NULL DEFAULT 0,
  dup_existing BIGINT NOT NULL DEFAULT 0,
  dup_in_file BIGINT NOT NULL DEFAULT 0,
  inserted BIGINT NOT NULL DEFAULT 0,
  merged BIGINT NOT NULL DEFAULT 0,
  skipped BIGINT NOT NULL DEFAULT 0,
  error_zh TEXT NOT NULL DEFAULT '',
  error_en TEXT NOT NULL DEFAULT '',
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  heartbeat_at BIGINT,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX import_jobs_creator ON import_jobs(created_by, id);

-- The rows of the file, as read (cells: JSON array of strings) and, once
-- checked, as they will be written (vals: JSON object); state 0 unchecked,
-- 1 ok, 2 has problems, 3 duplicate of an existing customer or of an
-- earlier row.  line is the row number a spreadsheet shows (header = 1).
CREATE TABLE import_rows (
  job_id BIGINT NOT NULL,
  line BIGINT NOT NULL,
  cells TEXT NOT NULL,
  vals TEXT,
  phone TEXT,
  state INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (job_id, line)
);
CREATE INDEX import_rows_phone ON import_rows(job_id, phone, line);

CREATE TABLE import_problems (
  id {{ID}},
  job_id BIGINT NOT NULL,
  line BIGINT NOT NULL,
  col INTEGER NOT NULL,
  column_name TEXT NOT NULL DEFAULT '',
  field TEXT NOT NULL DEFAULT '',
  value TEXT NOT NULL DEFAULT '',
  message_zh TEXT NOT NULL,
  message_en TEXT NOT NULL
);
CREATE INDEX import_problems_job ON import_problems(job_id, id);

-- Webhooks (app/webhooks.c): where events go, in which format.
-- kind: json (generic, HMAC-SHA256 signed), wecom, dingtalk (robot formats).
CREATE TABLE webhooks (
  id {{ID}},
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('json', 'wecom', 'dingtalk')),
  secret TEXT NOT NULL DEFAULT '',
  events TEXT NOT NULL DEFAULT '[]',
  active INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- The outbox: one row per (event, webhook), written in the transaction
-- of the change that caused it, delivered by any instance's worker that
-- claims it (lease_until), retried with exponential backoff.
-- status: pending, done, dead.
CREATE TABLE webhook_outbox (
  id {{ID}},
  webhook_id BIGINT NOT NULL,
  event TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL DEFAULT 0,
  leased_by TEXT NOT NULL DEFAULT '',
  last_status INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX webhook_outbox_due ON webhook_outbox(next_at, id) WHERE status = 'pending';
CREATE INDEX webhook_outbox_hook ON webhook_outbox(webhook_id, id);

-- E-mail (app/mail*.c): every message in and out.  thread_id is the id of
-- the first message of the conversation; case_id links it to a case once
-- the cases module made one.  Outbound rows wait in status 'pending' until
-- the sender delivered them ('sent') or gave up ('failed'); raw is the
-- outbound message as sent (RFC 5322).
CREATE TABLE mail_messages (
  id {{ID}},
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  message_id TEXT NOT NULL,
  in_reply_to TEXT NOT NULL DEFAULT '',
  refs TEXT NOT NULL DEFAULT '',
  from_addr TEXT NOT NULL DEFAULT '',
  from_name TEXT NOT NULL DEFAULT '',
  to_addr TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  text_body TEXT NOT NULL DEFAULT '',
  html_body TEXT NOT NULL DEFAULT '',
  thread_id BIGINT,
  case_id BIGINT,
  customer_id BIGINT,
  status TEXT NOT NULL DEFAULT 'received',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at BIGINT,
  lease_until BIGINT NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  raw TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE UNIQUE INDEX mail_messages_mid ON mail_messages(message_id, direction);
CREATE INDEX mail_messages_thread ON mail_messages(thread_id, id);
CREATE INDEX mail_messages_case ON mail_messages(case_id, id);
CREATE INDEX mail_messages_outbox ON mail_messages(next_at, id) WHERE status = 'pending';

-- Inbound mail finds its customer by address.
CREATE INDEX customers_email ON customers(lower(email)) WHERE email <> '';

-- Attachments are kept in the database (base64 text), so that every
-- instance serves them and a backup holds them; each is capped in size.
CREATE TABLE mail_attachments (
  id {{ID}},
  mail_id BIGINT NOT NULL,
  filename TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL DEFAULT 'application/octet-stream',
  size BIGINT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX mail_attachments_mail ON mail_attachments(mail_id, id);
