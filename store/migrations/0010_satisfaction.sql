-- 0008: satisfaction (客户满意度, issue 6, DOMAIN §4): survey templates, the
-- rules that send them after a case or a visit closes, periodic campaigns,
-- invitations (one-time links), responses, opinion cards (意见卡),
-- expectation sheets (客户期望表), competitor scores, and the customer
-- portal's rate limits.  The portal's service page is a `settings` row
-- (key `portal`, a JSON document edited by admins).
-- Portable SQL for SQLite and PostgreSQL; {{ID}} is the auto-increment key.
-- Times are UTC epoch milliseconds; booleans are INTEGER 0/1.

-- A survey: its questions as a JSON array of
-- {key, kind: csat|nps|effort|single|multiple|text, text_zh, text_en,
--  required, options: [{key, zh, en}]}.  A template in use is archived
-- (active = 0), never deleted, so old answers keep their questions.
CREATE TABLE survey_templates (
  id {{ID}},
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  questions TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- When a survey goes out by itself: after a case is closed or archived
-- (case_closed) and after a follow-up visit is closed (visit_closed).
-- min_days: at most one survey per customer in that many days,
-- expires_days: how long a link stays valid.  template_id NULL: the
-- first active template.
CREATE TABLE survey_rules (
  rule TEXT PRIMARY KEY,
  enabled INTEGER NOT NULL DEFAULT 1,
  template_id BIGINT REFERENCES survey_templates(id),
  min_days INTEGER NOT NULL DEFAULT 30,
  expires_days INTEGER NOT NULL DEFAULT 14,
  updated_at BIGINT NOT NULL
);

-- A campaign: a template to a filtered set of customers (the customer
-- list's filters as JSON), once or every month / quarter / year.
-- state: draft -> active (periodic: sent each period by the job) -> stopped.
CREATE TABLE survey_campaigns (
  id {{ID}},
  name TEXT NOT NULL,
  template_id BIGINT NOT NULL REFERENCES survey_templates(id),
  filter TEXT NOT NULL DEFAULT '{}',
  period TEXT NOT NULL DEFAULT 'once',
  state TEXT NOT NULL DEFAULT 'draft',
  expires_days INTEGER NOT NULL DEFAULT 14,
  last_period TEXT,
  last_sent_at BIGINT,
  sent_count INTEGER NOT NULL DEFAULT 0,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- One link sent to one customer.  The token is never stored: it is
-- derived from the id and a secret (settings `survey.secret`), and only
-- its SHA-256 is kept.  source_key makes sending idempotent ("case:42",
-- "visit:7", "campaign:3:2026-11:15"): a cause gets one invitation however
-- many scans or servers see it.  status: sent, or suppressed (the customer
-- had a survey within the rule's min_days, kept so it is not retried).
-- The case's attributes are copied so the reports group responses by them.
-- delivery: 'email' when the link was queued to the customer's address
-- (portal.base_url and a sender configured), '' when staff pass it on.
CREATE TABLE survey_invitations (
  id {{ID}},
  token_hash TEXT,
  template_id BIGINT NOT NULL REFERENCES survey_templates(id),
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  source TEXT NOT NULL,
  source_key TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL DEFAULT 'sent',
  case_id BIGINT REFERENCES cases(id),
  followup_id BIGINT REFERENCES followups(id),
  campaign_id BIGINT REFERENCES survey_campaigns(id),
  agent_id BIGINT REFERENCES users(id),
  department_id BIGINT REFERENCES departments(id),
  case_type TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL DEFAULT '',
  tier TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  delivery TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX survey_invitations_token ON survey_invitations(token_hash);
CREATE INDEX survey_invitations_customer ON survey_invitations(customer_id, created_at);
CREATE INDEX survey_invitations_case ON survey_invitations(case_id);
CREATE INDEX survey_invitations_campaign ON survey_invitations(campaign_id, id);

-- Opinion cards: a public form per store or counter (/portal/card/SLUG).
CREATE TABLE opinion_sources (
  id {{ID}},
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  template_id BIGINT NOT NULL REFERENCES survey_templates(id),
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- One answered survey or opinion card.  csat / nps / effort are the
-- template's scored questions (NULL when not asked or not answered),
-- the grouping attributes come from the invitation.  followup_id: the
-- visit a low score opened.  contact_phone: what an opinion card gave
-- (E.164) when no customer has that number.
CREATE TABLE survey_responses (
  id {{ID}},
  invitation_id BIGINT UNIQUE REFERENCES survey_invitations(id),
  source_id BIGINT REFERENCES opinion_sources(id),
  template_id BIGINT NOT NULL REFERENCES survey_templates(id),
  customer_id BIGINT REFERENCES customers(id),
  kind TEXT NOT NULL,
  csat INTEGER,
  nps INTEGER,
  effort INTEGER,
  agent_id BIGINT REFERENCES users(id),
  department_id BIGINT REFERENCES departments(id),
  case_type TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL DEFAULT '',
  tier TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  followup_id BIGINT REFERENCES followups(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX survey_responses_at ON survey_responses(created_at);
CREATE INDEX survey_responses_customer ON survey_responses(customer_id, id);

-- Every answer of a response: an integer (scores, a single choice's
-- index is not stored: its key is) or text (choices as their keys, comma
-- separated for several).
CREATE TABLE survey_answers (
  id {{ID}},
  response_id BIGINT NOT NULL REFERENCES survey_responses(id),
  question_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  value_int INTEGER,
  value_text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX survey_answers_response ON survey_answers(response_id);

-- The expectation sheet (客户期望表): per customer (and optionally a
-- case), per attribute, the level expected before delivery and the level
-- perceived after (1-5), each with the customer's words.
CREATE TABLE expectation_sheets (
  id {{ID}},
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  case_id BIGINT REFERENCES cases(id),
  title TEXT NOT NULL DEFAULT '',
  followup_id BIGINT REFERENCES followups(id),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX expectation_sheets_customer ON expectation_sheets(customer_id, id);
CREATE TABLE expectation_items (
  id {{ID}},
  sheet_id BIGINT NOT NULL REFERENCES expectation_sheets(id),
  attribute TEXT NOT NULL,
  expected_level INTEGER NOT NULL,
  expected_words TEXT NOT NULL DEFAULT '',
  perceived_level INTEGER,
  perceived_words TEXT NOT NULL DEFAULT ''
);
CREATE INDEX expectation_items_sheet ON expectation_items(sheet_id, id);

-- Competitors' scores entered by hand, for comparison: measure csat
-- (basis points of satisfied), nps (basis points, -10000..10000) or
-- effort (hundredths, 100..700), for a period ("2026-11", "2026-Q4", "2026").
CREATE TABLE competitor_scores (
  id {{ID}},
  competitor TEXT NOT NULL,
  period TEXT NOT NULL,
  measure TEXT NOT NULL,
  score INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX competitor_scores_key ON competitor_scores(competitor, period, measure);

-- The portal's rate limits: one row per accepted submission, by key
-- ("ip:1.2.3.4", "phone:+8613800000000"), old rows are pruned.
CREATE TABLE portal_hits (
  id {{ID}},
  key TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX portal_hits_key ON portal_hits(key, at);

-- The closing moments the survey scan reads by range.
CREATE INDEX cases_closed_at ON cases(closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX cases_archived_at ON cases(archived_at) WHERE archived_at IS NOT NULL;
CREATE INDEX followups_closed_at ON followups(closed_at) WHERE closed_at IS NOT NULL;

-- A built-in template and the two rules, so surveys work out of the box.
INSERT INTO survey_templates (name, description, questions, active, created_at, updated_at) VALUES
('服务满意度回访', '工单结束或回访之后发送：满意度、推荐意愿、费力程度和意见。',
 '[{"key":"csat","kind":"csat","text_zh":"您对这次服务满意吗？","text_en":"How satisfied are you with this service?","required":true},{"key":"nps","kind":"nps","text_zh":"您有多大可能把我们推荐给朋友或同事？","text_en":"How likely are you to recommend us to a friend or colleague?","required":false},{"key":"effort","kind":"effort","text_zh":"解决您的问题有多费力？（1 很轻松，7 很费力）","text_en":"How much effort did it take to get your issue solved? (1 very easy, 7 very hard)","required":false},{"key":"comment","kind":"text","text_zh":"还有什么想告诉我们的？","text_en":"Anything else you would like to tell us?","required":false}]',
 1, 0, 0);
INSERT INTO survey_rules (rule, enabled, template_id, min_days, expires_days, updated_at) VALUES
('case_closed', 1, NULL, 30, 14, 0),
('visit_closed', 1, NULL, 30, 14, 0)
