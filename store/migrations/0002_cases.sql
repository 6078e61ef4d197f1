-- 0002: cases (工单) and the complaint loop, SLA policies on a business
-- calendar, the root-cause taxonomy, notifications and job leases.
-- Portable SQL for SQLite and PostgreSQL; {{ID}} is the auto-increment key.
-- Times are UTC epoch milliseconds; booleans are INTEGER 0/1.
-- Statements end with ";" at the end of a line (store/db.c splits there).

-- Root causes (根本原因) a complaint is archived with; admins edit the list.
CREATE TABLE root_causes (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- SLA policies: targets in business minutes for case type x priority x
-- customer value class x pyramid tier; NULL matches any (core/sla.h).
CREATE TABLE sla_policies (
  id {{ID}},
  name TEXT NOT NULL,
  case_type TEXT,
  priority TEXT,
  value_class TEXT,
  tier TEXT,
  first_response_min INTEGER NOT NULL,
  resolution_min INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- The business calendar (core/bizcal.h): weekly hours, and dated
-- holidays and make-up workdays (调休), in the business time zone
-- (settings.business_timezone).
CREATE TABLE business_hours (
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_min INTEGER NOT NULL,
  end_min INTEGER NOT NULL,
  PRIMARY KEY (weekday, start_min)
);

CREATE TABLE business_days (
  on_date TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name TEXT NOT NULL DEFAULT ''
);

-- The day's sequence behind case numbers (C250530-0042).
CREATE TABLE case_day_seq (
  on_date TEXT PRIMARY KEY,
  n BIGINT NOT NULL
);

-- A case.  The moments reports need are columns of the row (DOMAIN §7):
-- received (the customer's contact), first response, each step of the
-- loop, resolved, closed, reopened.  sla_due_at is the earliest target
-- still pending (NULL while the case waits on the customer or when none
-- is), which the overdue view reads; sla_check_at is the earliest pending
-- target not yet escalated, which the breach job reads; queue_rank orders
-- every queue (key accounts, priority, due; core/case_rules.h).
CREATE TABLE cases (
  id {{ID}},
  number TEXT NOT NULL,
  type TEXT NOT NULL,
  subtype TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  stage TEXT NOT NULL DEFAULT '',
  priority TEXT NOT NULL DEFAULT 'normal',
  severity TEXT NOT NULL DEFAULT 'minor',
  state TEXT NOT NULL,
  is_open INTEGER NOT NULL DEFAULT 1,
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  key_account INTEGER NOT NULL DEFAULT 0,
  subject TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  emotion TEXT NOT NULL DEFAULT 'calm',
  demand TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '[]',
  assignee_id BIGINT REFERENCES users(id),
  department_id BIGINT REFERENCES departments(id),
  required_capability INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT REFERENCES users(id),
  justified INTEGER,
  demand_reasonable INTEGER,
  demand_note TEXT NOT NULL DEFAULT '',
  explanation TEXT NOT NULL DEFAULT '',
  investigation_due_at BIGINT,
  pending_plans INTEGER NOT NULL DEFAULT 0,
  approved_plan_id BIGINT,
  handling_result TEXT NOT NULL DEFAULT '',
  follow_up_outcome TEXT,
  follow_up_note TEXT NOT NULL DEFAULT '',
  root_cause_id BIGINT REFERENCES root_causes(id),
  resolution TEXT NOT NULL DEFAULT '',
  checklist INTEGER NOT NULL DEFAULT 0,
  sla_policy_id BIGINT REFERENCES sla_policies(id),
  sla_start_at BIGINT NOT NULL,
  first_response_due_at BIGINT,
  resolve_due_at BIGINT,
  paused_at BIGINT,
  paused_biz_min BIGINT NOT NULL DEFAULT 0,
  escalated INTEGER NOT NULL DEFAULT 0,
  sla_due_at BIGINT,
  sla_check_at BIGINT,
  queue_rank BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  first_response_at BIGINT,
  accepted_at BIGINT,
  judged_at BIGINT,
  plan_approved_at BIGINT,
  handled_at BIGINT,
  followed_up_at BIGINT,
  resolved_at BIGINT,
  archived_at BIGINT,
  closed_at BIGINT,
  reopened_at BIGINT,
  reopen_count INTEGER NOT NULL DEFAULT 0,
  state_changed_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX cases_number ON cases(number);
-- "my open cases" and "my department's": one index range each, in queue order.
CREATE INDEX cases_mine ON cases(assignee_id, is_open, queue_rank, id);
CREATE INDEX cases_department ON cases(department_id, is_open, queue_rank, id);
CREATE INDEX cases_customer ON cases(customer_id, id);
-- Only cases with a pending target are in these (partial indexes stay small).
CREATE INDEX cases_overdue ON cases(sla_due_at, id) WHERE sla_due_at IS NOT NULL;
CREATE INDEX cases_overdue_mine ON cases(assignee_id, sla_due_at, id) WHERE sla_due_at IS NOT NULL;
CREATE INDEX cases_overdue_dept ON cases(department_id, sla_due_at, id) WHERE sla_due_at IS NOT NULL;
CREATE INDEX cases_check ON cases(sla_check_at) WHERE sla_check_at IS NOT NULL;
CREATE INDEX cases_approval ON cases(department_id, id) WHERE pending_plans > 0;
CREATE INDEX cases_unassigned ON cases(department_id, queue_rank, id) WHERE assignee_id IS NULL AND is_open = 1;

-- The timeline: replies to the customer, internal notes, the customer's
-- messages, status changes, assignments, plans, SLA breaches.  is_public
-- marks what the customer may see (the later customer portal).
CREATE TABLE case_events (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL,
  actor_id BIGINT REFERENCES users(id),
  is_public INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}',
  at BIGINT NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, id);

-- Resolution plans (方案): proposed by the department, decided by a supervisor.
CREATE TABLE case_plans (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL,
  description TEXT NOT NULL,
  amount_fen BIGINT,
  status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected', 'superseded')),
  proposed_by BIGINT REFERENCES users(id),
  proposed_at BIGINT NOT NULL,
  decided_by BIGINT REFERENCES users(id),
  decided_at BIGINT,
  decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_plans_case ON case_plans(case_id, id);

-- Open cases per assignee, kept with every change, so that automatic
-- assignment finds the least-loaded agent without counting cases.
CREATE TABLE case_load (
  user_id BIGINT PRIMARY KEY REFERENCES users(id),
  open_cases BIGINT NOT NULL DEFAULT 0
);

-- One row per SLA breach escalated: the key makes escalation idempotent
-- (a second instance or a second run finds the row and does nothing).
CREATE TABLE case_escalations (
  case_id BIGINT NOT NULL REFERENCES cases(id),
  target TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (case_id, target, due_at)
);

-- What a user is told in the UI (escalations, assignments).
CREATE TABLE notifications (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  case_id BIGINT REFERENCES cases(id),
  title_zh TEXT NOT NULL,
  title_en TEXT NOT NULL,
  data TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;

-- Background jobs take a lease (one row per job) so that one instance of
-- several runs a job at a time (jobs/lease.c).
CREATE TABLE job_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL DEFAULT '',
  expires_at BIGINT NOT NULL DEFAULT 0,
  last_run_at BIGINT,
  last_result TEXT NOT NULL DEFAULT ''
);
INSERT INTO job_leases (name) VALUES ('sla_breach');

INSERT INTO settings (key, value) VALUES ('business_timezone', 'Asia/Shanghai') ON CONFLICT (key) DO NOTHING;

INSERT INTO root_causes (code, name_zh, name_en, sort_order, created_at, updated_at) VALUES
  ('product_quality', '产品质量问题', 'Product quality', 10, 0, 0),
  ('product_design', '产品设计缺陷', 'Product design', 20, 0, 0),
  ('delivery', '物流配送问题', 'Delivery and logistics', 30, 0, 0),
  ('installation', '安装调试问题', 'Installation', 40, 0, 0),
  ('service_attitude', '服务态度问题', 'Service manner', 50, 0, 0),
  ('service_process', '服务流程或制度问题', 'Service process or policy', 60, 0, 0),
  ('response_delay', '响应或处理不及时', 'Slow response or handling', 70, 0, 0),
  ('billing', '价格或费用问题', 'Price or billing', 80, 0, 0),
  ('promise_broken', '承诺未兑现', 'Promise not kept', 90, 0, 0),
  ('expectation_gap', '客户期望与实际不符', 'Expectation gap', 100, 0, 0),
  ('misuse', '客户使用不当', 'Misuse by the customer', 110, 0, 0),
  ('third_party', '第三方原因', 'Third party', 120, 0, 0),
  ('other', '其他', 'Other', 900, 0, 0);

-- Default targets (business minutes; a business day is 8 hours = 480).
INSERT INTO sla_policies (name, case_type, priority, value_class, tier, first_response_min, resolution_min, created_at, updated_at) VALUES
  ('默认 Default', NULL, NULL, NULL, NULL, 240, 1440, 0, 0),
  ('投诉 Complaints', 'complaint', NULL, NULL, NULL, 60, 2400, 0, 0),
  ('高优先级 High priority', NULL, 'high', NULL, NULL, 120, 960, 0, 0),
  ('紧急 Urgent', NULL, 'urgent', NULL, NULL, 30, 480, 0, 0),
  ('关键客户 Key accounts', NULL, NULL, 'key', NULL, 60, 960, 0, 0),
  ('关键客户紧急投诉 Urgent complaints of key accounts', 'complaint', 'urgent', 'key', NULL, 15, 480, 0, 0);

INSERT INTO business_hours (weekday, start_min, end_min) VALUES
  (1, 540, 720), (1, 780, 1080),
  (2, 540, 720), (2, 780, 1080),
  (3, 540, 720), (3, 780, 1080),
  (4, 540, 720), (4, 780, 1080),
  (5, 540, 720), (5, 780, 1080);

-- 2025 and 2026 public holidays and make-up workdays, as the General
-- Office of the State Council announced them (docs/calendars/ has the
-- same as importable files; import each new year's notice).
INSERT INTO business_days (on_date, kind, name) VALUES
  ('2025-01-01', 'holiday', '元旦'),
  ('2025-01-26', 'workday', '春节调休'),
  ('2025-01-28', 'holiday', '春节'), ('2025-01-29', 'holiday', '春节'),
  ('2025-01-30', 'holiday', '春节'), ('2025-01-31', 'holiday', '春节'),
  ('2025-02-01', 'holiday', '春节'), ('2025-02-02', 'holiday', '春节'),
  ('2025-02-03', 'holiday', '春节'), ('2025-02-04', 'holiday', '春节'),
  ('2025-02-08', 'workday', '春节调休'),
  ('2025-04-04', 'holiday', '清明节'), ('2025-04-05', 'holiday', '清明节'),
  ('2025-04-06', 'holiday', '清明节'),
  ('2025-04-27', 'workday', '劳动节调休'),
  ('2025-05-01', 'holiday', '劳动节'), ('2025-05-02', 'holiday', '劳动节'),
  ('2025-05-03', 'holiday', '劳动节'), ('2025-05-04', 'holiday', '劳动节'),
  ('2025-05-05', 'holiday', '劳动节'),
  ('2025-05-31', 'holiday', '端午节'), ('2025-06-01', 'holiday', '端午节'),
  ('2025-06-02', 'holiday', '端午节'),
  ('2025-09-28', 'workday', '国庆节、中秋节调休'),
  ('2025-10-01', 'holiday', '国庆节、中秋节'), ('2025-10-02', 'holiday', '国庆节、中秋节'),
  ('2025-10-03', 'holiday', '国庆节、中秋节'), ('2025-10-04', 'holiday', '国庆节、中秋节'),
  ('2025-10-05', 'holiday', '国庆节、中秋节'), ('2025-10-06', 'holiday', '国庆节、中秋节'),
  ('2025-10-07', 'holiday', '国庆节、中秋节'), ('2025-10-08', 'holiday', '国庆节、中秋节'),
  ('2025-10-11', 'workday', '国庆节、中秋节调休'),
  ('2026-01-01', 'holiday', '元旦'), ('2026-01-02', 'holiday', '元旦'),
  ('2026-01-03', 'holiday', '元旦'),
  ('2026-01-04', 'workday', '元旦调休'),
  ('2026-02-14', 'workday', '春节调休'),
  ('2026-02-15', 'holiday', '春节'), ('2026-02-16', 'holiday', '春节'),
  ('2026-02-17', 'holiday', '春节'), ('2026-02-18', 'holiday', '春节'),
  ('2026-02-19', 'holiday', '春节'), ('2026-02-20', 'holiday', '春节'),
  ('2026-02-21', 'holiday', '春节'), ('2026-02-22', 'holiday', '春节'),
  ('2026-02-23', 'holiday', '春节'),
  ('2026-02-28', 'workday', '春节调休'),
  ('2026-04-04', 'holiday', '清明节'), ('2026-04-05', 'holiday', '清明节'),
  ('2026-04-06', 'holiday', '清明节'),
  ('2026-05-01', 'holiday', '劳动节'), ('2026-05-02', 'holiday', '劳动节'),
  ('2026-05-03', 'holiday', '劳动节'), ('2026-05-04', 'holiday', '劳动节'),
  ('2026-05-05', 'holiday', '劳动节'),
  ('2026-05-09', 'workday', '劳动节调休'),
  ('2026-06-19', 'holiday', '端午节'), ('2026-06-20', 'holiday', '端午节'),
  ('2026-06-21', 'holiday', '端午节'),
  ('2026-09-20', 'workday', '国庆节调休'),
  ('2026-09-25', 'holiday', '中秋节'), ('2026-09-26', 'holiday', '中秋节'),
  ('2026-09-27', 'holiday', '中秋节'),
  ('2026-10-01', 'holiday', '国庆节'), ('2026-10-02', 'holiday', '国庆节'),
  ('2026-10-03', 'holiday', '国庆节'), ('2026-10-04', 'holiday', '国庆节'),
  ('2026-10-05', 'holiday', '国庆节'), ('2026-10-06', 'holiday', '国庆节'),
  ('2026-10-07', 'holiday', '国庆节'),
  ('2026-10-10', 'workday', '国庆节调休');
