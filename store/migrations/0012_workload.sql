-- 0012: the commitment-fulfilment and agent-workload reports (issue 7).
-- Portable SQL for SQLite and PostgreSQL.

-- Commitments of a period by due time, whatever their state (the
-- existing indexes lead with the maker or the state).
CREATE INDEX commitments_due_at ON commitments(due_at);
-- Replies sent in a period, per author: a small partial index read alone.
CREATE INDEX case_events_replies ON case_events(at, actor_id) WHERE kind = 'reply';
-- Cases created in a period (the workload's "assigned", the list's created_from).
CREATE INDEX cases_created_at ON cases(created_at);
