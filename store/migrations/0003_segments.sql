-- 0003: customer value segmentation (Pareto, pyramid, RFM, lifecycle,
-- key-account suggestions) and the tier history behind migration reports.
-- The tier itself stays in customers.tier (0001); the rules are a JSON
-- document in settings under the key 'segment'.

-- One row per customer the recompute has seen: the aggregates and scores
-- it derived, so reports and the customer page read them without
-- re-scanning orders.  Rows are rewritten only when something changed.
CREATE TABLE customer_segments (
  customer_id BIGINT PRIMARY KEY REFERENCES customers(id),
  revenue_fen BIGINT NOT NULL DEFAULT 0,
  margin_fen BIGINT NOT NULL DEFAULT 0,
  orders_window INTEGER NOT NULL DEFAULT 0,
  orders_total INTEGER NOT NULL DEFAULT 0,
  first_order_at BIGINT,
  last_order_at BIGINT,
  r INTEGER NOT NULL DEFAULT 0,
  f INTEGER NOT NULL DEFAULT 0,
  m INTEGER NOT NULL DEFAULT 0,
  lifecycle_suggested TEXT NOT NULL DEFAULT 'potential',
  -- The lifecycle the recompute last wrote; when customers.lifecycle differs
  -- from it, a person set the lifecycle and the recompute leaves it alone.
  auto_lifecycle TEXT,
  key_suggested INTEGER NOT NULL DEFAULT 0,
  key_decision TEXT CHECK (key_decision IN ('confirmed', 'rejected')),
  key_decided_by BIGINT REFERENCES users(id),
  key_decided_at BIGINT,
  key_note TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL
);
CREATE INDEX customer_segments_revenue ON customer_segments(revenue_fen, customer_id);
CREATE INDEX customer_segments_key ON customer_segments(key_suggested, revenue_fen, customer_id);

-- Every change of a customer's tier, with when it happened.
CREATE TABLE tier_history (
  id {{ID}},
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  from_tier TEXT NOT NULL,
  to_tier TEXT NOT NULL,
  changed_at BIGINT NOT NULL,
  run_id BIGINT
);
CREATE INDEX tier_history_customer ON tier_history(customer_id, changed_at);
CREATE INDEX tier_history_at ON tier_history(changed_at);

-- Each recompute: when, by whom, what it changed, and the report figures it
-- pre-aggregated (summary: pyramid, Pareto curves, RFM grid, lifecycle
-- counts), which the report pages read instead of scanning every customer.
-- The latest finished run is the freshness shown beside them.  At most one
-- runs at a time.
CREATE TABLE segment_runs (
  id {{ID}},
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'abandoned')),
  source TEXT NOT NULL DEFAULT 'api',
  actor_id BIGINT REFERENCES users(id),
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  customers INTEGER NOT NULL DEFAULT 0,
  buyers INTEGER NOT NULL DEFAULT 0,
  tier_changes INTEGER NOT NULL DEFAULT 0,
  lifecycle_changes INTEGER NOT NULL DEFAULT 0,
  key_suggestions INTEGER NOT NULL DEFAULT 0,
  tiers TEXT NOT NULL DEFAULT '{}',
  summary TEXT NOT NULL DEFAULT '{}',
  settings TEXT NOT NULL DEFAULT '{}',
  error TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX segment_runs_one_running ON segment_runs(status) WHERE status = 'running';

-- The daily recompute is a job of jobs/scheduler.c, run under this lease.
INSERT INTO job_leases (name) VALUES ('segment');
CREATE INDEX segment_runs_finished ON segment_runs(status, finished_at);
