-- 0004: the search index, the knowledge base (知识库) and the
-- service-language lexicon (服务用语).
-- Portable SQL for SQLite and PostgreSQL; {{ID}} is the auto-increment key.
-- Times are UTC epoch milliseconds; booleans are INTEGER 0/1.
-- Statements end with ";" at the end of a line (store/db.c splits there).

-- The search index: one table per kind of record, id = the record's id.
-- title/body/extra hold the text indexed (cut to the position limits of
-- store/search.h), from which snippets are made; extra (phones, tags) is
-- searched but never shown in a snippet.  Besides these portable columns
-- each backend has its own index, created by store/search.c at first use:
-- an FTS5 table search_X_fts (tokenizer "kefu") on SQLite, a tsvector
-- column tsv with a GIN index on PostgreSQL.  src_version and src_mark
-- record what was indexed, so that catching up can skip what is current.
CREATE TABLE search_customer (
  id {{ID}},
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  extra TEXT NOT NULL,
  hidden INTEGER NOT NULL DEFAULT 0,
  src_version BIGINT NOT NULL DEFAULT 0,
  src_mark BIGINT NOT NULL DEFAULT 0,
  indexed_at BIGINT NOT NULL
);

CREATE TABLE search_case (
  id {{ID}},
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  extra TEXT NOT NULL,
  hidden INTEGER NOT NULL DEFAULT 0,
  src_version BIGINT NOT NULL DEFAULT 0,
  src_mark BIGINT NOT NULL DEFAULT 0,
  indexed_at BIGINT NOT NULL
);

CREATE TABLE search_kb (
  id {{ID}},
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  extra TEXT NOT NULL,
  hidden INTEGER NOT NULL DEFAULT 0,
  src_version BIGINT NOT NULL DEFAULT 0,
  src_mark BIGINT NOT NULL DEFAULT 0,
  indexed_at BIGINT NOT NULL
);

-- Where the catch-up over the change feeds (audit_log, case_events) stands.
CREATE TABLE search_state (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);

-- Categories of standard answers (标准回答), DOMAIN §5 touch points.
CREATE TABLE kb_categories (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

-- A standard answer.  Its content lives in versions; the answer row says
-- which version agents see (published_version_id) and carries what lists
-- show: the title of that version (or of the first draft until one is
-- published), usage and ratings.
CREATE TABLE kb_answers (
  id {{ID}},
  category_id BIGINT NOT NULL REFERENCES kb_categories(id),
  title TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
  owner_id BIGINT REFERENCES users(id),
  published_version_id BIGINT,
  latest_version_no INTEGER NOT NULL DEFAULT 0,
  usage_count BIGINT NOT NULL DEFAULT 0,
  rating_sum BIGINT NOT NULL DEFAULT 0,
  rating_count BIGINT NOT NULL DEFAULT 0,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  published_at BIGINT,
  archived_at BIGINT
);
CREATE INDEX kb_answers_status ON kb_answers(status, id);
CREATE INDEX kb_answers_category ON kb_answers(category_id, status, id);

-- Every edit is a new version; none is ever changed except its review
-- state.  state: draft (written), pending (submitted for review),
-- published (the one agents see), rejected (with a reason), superseded
-- (replaced: an older published version, or a draft edited again).
CREATE TABLE kb_versions (
  id {{ID}},
  answer_id BIGINT NOT NULL REFERENCES kb_answers(id),
  version_no INTEGER NOT NULL,
  category_id BIGINT NOT NULL REFERENCES kb_categories(id),
  title TEXT NOT NULL,
  questions TEXT NOT NULL DEFAULT '[]',
  answer TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  note TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'pending', 'published', 'rejected', 'superseded')),
  author_id BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  submitted_at BIGINT,
  reviewer_id BIGINT REFERENCES users(id),
  reviewed_at BIGINT,
  reject_reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX kb_versions_no ON kb_versions(answer_id, version_no);
CREATE INDEX kb_versions_state ON kb_versions(state, id);

-- One rating per agent and answer (1-5 stars); kb_answers keeps the sums.
CREATE TABLE kb_ratings (
  answer_id BIGINT NOT NULL REFERENCES kb_answers(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (answer_id, user_id)
);

-- Each insertion of an answer into a reply.
CREATE TABLE kb_usage (
  id {{ID}},
  answer_id BIGINT NOT NULL REFERENCES kb_answers(id),
  version_id BIGINT NOT NULL REFERENCES kb_versions(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  case_id BIGINT,
  at BIGINT NOT NULL
);
CREATE INDEX kb_usage_answer ON kb_usage(answer_id, id);

-- The service-language lexicon as admins edit it, on top of the rules of
-- core/lint.c: a trigger adds a phrase to a rule (rule 'custom' with its
-- own suggestion), an exception keeps a rule quiet where the phrase
-- surrounds its match, a disable turns a built-in rule off.
CREATE TABLE lint_phrases (
  id {{ID}},
  rule TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('trigger', 'exception', 'disable')),
  phrase TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL DEFAULT 'warning' CHECK (severity IN ('error', 'warning', 'info')),
  suggestion_zh TEXT NOT NULL DEFAULT '',
  suggestion_en TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX lint_phrases_key ON lint_phrases(rule, kind, phrase);

-- Findings in replies agents sent (from case_events), for the QA report.
CREATE TABLE lint_findings (
  id {{ID}},
  event_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  excerpt TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX lint_findings_at ON lint_findings(at, user_id);
CREATE INDEX lint_findings_event ON lint_findings(event_id);

INSERT INTO kb_categories (code, name_zh, name_en, sort_order, created_at) VALUES
  ('pricing', '价格咨询', 'Pricing questions', 10, 0),
  ('complaints', '投诉处理', 'Complaint handling', 20, 0),
  ('competitors', '竞品比较', 'Comparison with competitors', 30, 0),
  ('product', '产品', 'Products', 40, 0),
  ('after_sales', '售后政策', 'After-sales policy', 50, 0),
  ('delivery', '物流配送', 'Delivery', 60, 0),
  ('account', '账户与订单', 'Accounts and orders', 70, 0),
  ('technical', '技术支持', 'Technical support', 80, 0);
