-- 0011: the customer-value reports at a million customers (issue 7).
-- Portable SQL for SQLite and PostgreSQL.

-- Tier migration replays every live customer's history in one merged pass
-- (app/reports_migration.c); this index covers the history stream, so it
-- reads index pages only.  (The customers stream reads the table in id
-- order: an index led by archived_at would cover it too, but the planner
-- then prefers it for the ranking join and sorts every buyer.)
DROP INDEX tier_history_customer;
CREATE INDEX tier_history_customer ON tier_history(customer_id, changed_at, id, to_tier);

-- Every RANK_MARK_STEP-th place of the ranking behind the Pareto curve, as
-- the last recompute left it (revenue in its window, best first, ties by
-- customer id downwards), with the revenue of every place above it.  A
-- drill-down into a deep band starts from the nearest mark instead of
-- counting every buyer above it.  Rewritten by each recompute.
CREATE TABLE segment_rank_marks (
  place BIGINT PRIMARY KEY,
  revenue_fen BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  cum_fen BIGINT NOT NULL
);

-- The ranking behind the Pareto curve is of the window's buyers only: an
-- index of just those, so a walk down it never steps over the customers
-- who bought nothing in the window (a tenth of them or more).
CREATE INDEX customer_segments_rank ON customer_segments(revenue_fen, customer_id)
  WHERE orders_window > 0;
