-- 0007: follow-up visits (回访), commitments (承诺) and call scripts (话术)
-- (issue 5, DOMAIN §2 "Commitments" and §3).
-- Portable SQL for SQLite and PostgreSQL; {{ID}} is the auto-increment key.
-- Times are UTC epoch milliseconds; booleans are INTEGER 0/1.

-- A promise made to a customer: due date, maker, and the case or visit it
-- came from.  state: open -> kept | broken (recorded by a person, once).
-- department_id is the maker's department when it was made, so the
-- fulfilment rate per department does not move when people change teams.
CREATE TABLE commitments (
  id {{ID}},
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  case_id BIGINT REFERENCES cases(id),
  followup_id BIGINT,
  content TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  made_by BIGINT NOT NULL REFERENCES users(id),
  department_id BIGINT REFERENCES departments(id),
  state TEXT NOT NULL DEFAULT 'open',
  resolved_at BIGINT,
  resolved_by BIGINT REFERENCES users(id),
  resolution_note TEXT NOT NULL DEFAULT '',
  escalated_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX commitments_maker_due ON commitments(made_by, state, due_at);
CREATE INDEX commitments_due ON commitments(state, due_at);
CREATE INDEX commitments_customer ON commitments(customer_id, id);

-- A follow-up visit.  kind: manual, case_handled, first_contact,
-- key_account, birthday, anniversary, maintenance, winback.  rule_key
-- makes generation idempotent ("case:42", "birthday:7:2026"): a rule's
-- task exists once however many scans (or servers) see the same cause.
-- call_at is the proposed call time, never inside rest hours or the
-- customer's do-not-disturb windows (core/calltime.h).
CREATE TABLE followups (
  id {{ID}},
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  kind TEXT NOT NULL,
  rule_key TEXT UNIQUE,
  case_id BIGINT REFERENCES cases(id),
  assignee_id BIGINT REFERENCES users(id),
  department_id BIGINT REFERENCES departments(id),
  title TEXT NOT NULL DEFAULT '',
  due_at BIGINT NOT NULL,
  call_at BIGINT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open',
  outcome TEXT,
  evaluation TEXT NOT NULL DEFAULT '',
  suggestions TEXT NOT NULL DEFAULT '',
  next_step TEXT NOT NULL DEFAULT '',
  result_case_id BIGINT REFERENCES cases(id),
  escalated_at BIGINT,
  closed_at BIGINT,
  closed_by BIGINT REFERENCES users(id),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX followups_assignee_due ON followups(assignee_id, state, due_at);
CREATE INDEX followups_due ON followups(state, due_at);
CREATE INDEX followups_customer ON followups(customer_id, id);

-- The generation rules, each switchable, with its parameters as JSON
-- ({"days": 3}, {"months": 6}, ...).  Rows are created on first read.
CREATE TABLE followup_rules (
  rule TEXT PRIMARY KEY,
  enabled INTEGER NOT NULL DEFAULT 1,
  params TEXT NOT NULL DEFAULT '{}',
  updated_at BIGINT NOT NULL
);

-- Call scripts (话术): a body with {{variables}} and branches by outcome
-- ({"satisfied": "...", "not_satisfied": "..."}); admins edit them.
CREATE TABLE scripts (
  id {{ID}},
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  branches TEXT NOT NULL DEFAULT '{}',
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
