-- 0001: accounts, sessions, the customer file, orders and the audit log.
-- Portable SQL for SQLite and PostgreSQL; {{ID}} is the auto-increment key.
-- Times are UTC epoch milliseconds (BIGINT); money is integer fen.
-- Statements end with ";" at the end of a line (store/db.c splits there).

CREATE TABLE departments (
  id {{ID}},
  name TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);

CREATE TABLE users (
  id {{ID}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  department_id BIGINT REFERENCES departments(id),
  capability INTEGER NOT NULL DEFAULT 3 CHECK (capability BETWEEN 1 AND 5),
  password_hash TEXT NOT NULL,
  lang TEXT NOT NULL DEFAULT 'zh-CN',
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id {{ID}},
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Failed sign-ins, counted per user name over a window to throttle guessing.
CREATE TABLE login_failures (
  username TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_failures_name ON login_failures(username, at);

-- Key/value settings of the installation (e.g. whether demo data was loaded).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The customer file (DOMAIN §1).  The parts read and written as a whole
-- (contacts, important dates, preferences, do-not-disturb windows, tags)
-- are JSON documents in the row, so reading a file is one row; tags are
-- also kept in customer_tags so lists can filter by them with an index.
CREATE TABLE customers (
  id {{ID}},
  name TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'person',
  source TEXT NOT NULL DEFAULT 'external',
  lifecycle TEXT NOT NULL DEFAULT 'potential',
  chain_role TEXT NOT NULL DEFAULT 'terminal',
  value_class TEXT NOT NULL DEFAULT 'ordinary',
  tier TEXT NOT NULL DEFAULT 'potential',
  industry TEXT NOT NULL DEFAULT '',
  company TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  phone TEXT,
  email TEXT NOT NULL DEFAULT '',
  wechat TEXT NOT NULL DEFAULT '',
  birthday TEXT NOT NULL DEFAULT '',
  standing TEXT NOT NULL DEFAULT '',
  hobbies TEXT NOT NULL DEFAULT '',
  memorable TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  contacts TEXT NOT NULL DEFAULT '[]',
  dates TEXT NOT NULL DEFAULT '[]',
  preferences TEXT NOT NULL DEFAULT '{}',
  dnd TEXT NOT NULL DEFAULT '[]',
  tags TEXT NOT NULL DEFAULT '[]',
  owner_id BIGINT REFERENCES users(id),
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  archived_at BIGINT,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX customers_phone ON customers(phone) WHERE archived_at IS NULL;
CREATE INDEX customers_owner ON customers(owner_id, id);
-- No index per classification: every index is a page written on each insert
-- (three of them cost 40% of POST /api/customers throughput, bench/), and a
-- filtered page walks the id index newest first until it has its rows.

CREATE TABLE customer_tags (
  tag TEXT NOT NULL,
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  PRIMARY KEY (tag, customer_id)
);
CREATE INDEX customer_tags_customer ON customer_tags(customer_id);

-- Transactions (交易记录): orders with amounts in fen.
CREATE TABLE orders (
  id {{ID}},
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  order_no TEXT NOT NULL,
  product TEXT NOT NULL DEFAULT '',
  amount_fen BIGINT NOT NULL,
  margin_fen BIGINT,
  ordered_at BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX orders_customer ON orders(customer_id, ordered_at);

-- Every change to customers (and later cases): who, when, what changed.
CREATE TABLE audit_log (
  id {{ID}},
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  action TEXT NOT NULL,
  actor_id BIGINT,
  changes TEXT NOT NULL DEFAULT '{}',
  at BIGINT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, id);
