-- 0005: the hotline (DOMAIN §5): telephony events and the calls derived
-- from them, screen pops and live events, wrap-up codes, queue settings,
-- agent states, shift patterns, quality checks (质检) and mystery-customer
-- audits, outbound call lists.
-- Portable SQL for SQLite and PostgreSQL; {{ID}} is the auto-increment key.
-- Times are UTC epoch milliseconds; booleans are INTEGER 0/1.
-- Statements end with ";" at the end of a line (store/db.c splits there).
-- No foreign key to cases: that table comes from another migration that
-- may be applied after this one on an existing database; the application
-- checks case ids.

-- Agents as the PBX knows them: an extension or agent interface
-- ("1001", "SIP/1001", "Agent/1001") for a kefu user, and the agent number
-- (工号) the greeting names.
CREATE TABLE call_agents (
  user_id BIGINT PRIMARY KEY REFERENCES users(id),
  extension TEXT NOT NULL UNIQUE,
  agent_no TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL
);

-- Every telephony event as received.  ekey identifies an event within its
-- call: "id:" + the source's event_id, else type:seq, else type@time; the
-- unique index makes a repeated event change nothing and also serves
-- "all events of a call".
CREATE TABLE cti_events (
  id {{ID}},
  call_key TEXT NOT NULL,
  ekey TEXT NOT NULL,
  type TEXT NOT NULL,
  seq BIGINT NOT NULL DEFAULT 0,
  at BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  caller TEXT NOT NULL DEFAULT '',
  queue TEXT NOT NULL DEFAULT '',
  agent TEXT NOT NULL DEFAULT '',
  agent_id BIGINT,
  target TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX cti_events_key ON cti_events(call_key, ekey);

-- A call: what the events say (state, times, agents), recomputed from all
-- its events on every arrival, plus what the agent records (customer,
-- case, wrap-up, notes, recording, first-contact resolution).  Outbound
-- calls recorded in kefu have call_key 'out-' + a random id.
CREATE TABLE calls (
  id {{ID}},
  call_key TEXT NOT NULL,
  direction TEXT NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound')),
  state TEXT NOT NULL,
  live INTEGER NOT NULL DEFAULT 1,
  queue TEXT NOT NULL DEFAULT '',
  caller TEXT NOT NULL DEFAULT '',
  callee TEXT NOT NULL DEFAULT '',
  customer_id BIGINT REFERENCES customers(id),
  case_id BIGINT,
  agent_id BIGINT REFERENCES users(id),
  agent TEXT NOT NULL DEFAULT '',
  first_agent_id BIGINT REFERENCES users(id),
  ringing_agent_id BIGINT,
  offered_at BIGINT,
  ringing_at BIGINT,
  answered_at BIGINT,
  ended_at BIGINT,
  abandoned INTEGER NOT NULL DEFAULT 0,
  wait_ms BIGINT,
  talk_ms BIGINT,
  hold_ms BIGINT NOT NULL DEFAULT 0,
  acw_ms BIGINT NOT NULL DEFAULT 0,
  transfers INTEGER NOT NULL DEFAULT 0,
  events INTEGER NOT NULL DEFAULT 0,
  wrapup_code TEXT,
  notes TEXT NOT NULL DEFAULT '',
  recording_url TEXT NOT NULL DEFAULT '',
  fcr INTEGER,
  outcome TEXT,
  list_item_id BIGINT,
  wrapped_at BIGINT,
  wrapped_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX calls_key ON calls(call_key);
-- Reports walk a time range; the wallboard the live calls only.
CREATE INDEX calls_offered ON calls(offered_at);
CREATE INDEX calls_agent ON calls(agent_id, offered_at);
CREATE INDEX calls_customer ON calls(customer_id, id);
CREATE INDEX calls_live ON calls(queue, offered_at) WHERE live = 1;

-- One screen pop per call and agent, however many events say "ringing".
CREATE TABLE call_pops (
  call_id BIGINT NOT NULL REFERENCES calls(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  at BIGINT NOT NULL,
  PRIMARY KEY (call_id, user_id)
);

-- Live events for server-sent events: kept for an hour so a browser that
-- reconnects (Last-Event-ID) gets what it missed, and so that, on
-- PostgreSQL, every instance can read an event another one published
-- (NOTIFY carries only its id).
CREATE TABLE live_events (
  id {{ID}},
  user_id BIGINT,
  topic TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX live_events_user ON live_events(user_id, id);
CREATE INDEX live_events_created ON live_events(created_at);

-- Agent sign-in, ready and not-ready, from the PBX (queue member added,
-- paused...) or from kefu; agent_states holds the latest by event time.
CREATE TABLE agent_events (
  id {{ID}},
  ekey TEXT NOT NULL UNIQUE,
  user_id BIGINT REFERENCES users(id),
  agent TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE INDEX agent_events_agent ON agent_events(agent, at);

CREATE TABLE agent_states (
  agent TEXT PRIMARY KEY,
  user_id BIGINT REFERENCES users(id),
  state TEXT NOT NULL CHECK (state IN ('logged_out', 'ready', 'not_ready')),
  reason TEXT NOT NULL DEFAULT '',
  since BIGINT NOT NULL
);

-- Wrap-up codes (话后小结) agents choose from; admins edit the list.
CREATE TABLE wrapup_codes (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  label_zh TEXT NOT NULL,
  label_en TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
INSERT INTO wrapup_codes (code, label_zh, label_en, sort_order, created_at, updated_at) VALUES
  ('inquiry_answered', '咨询已解答', 'Inquiry answered', 10, 0, 0),
  ('complaint_logged', '投诉已受理', 'Complaint logged', 20, 0, 0),
  ('after_sales', '售后已登记', 'After-sales request logged', 30, 0, 0),
  ('order_placed', '已下单', 'Order placed', 40, 0, 0),
  ('callback_needed', '需回电', 'Callback needed', 50, 0, 0),
  ('transferred', '已转接', 'Transferred', 60, 0, 0),
  ('wrong_number', '打错电话', 'Wrong number', 70, 0, 0),
  ('other', '其他', 'Other', 90, 0, 0);

-- Shift patterns (班次) the planner combines: local start, length and
-- breaks in 30-minute intervals, the weekdays they are worked.  The
-- seeded ones stagger lunch (11:30, 12:30, 17:30) so no half hour is bare.
CREATE TABLE shift_patterns (
  id {{ID}},
  name TEXT NOT NULL UNIQUE,
  start_min INTEGER NOT NULL,
  length_min INTEGER NOT NULL,
  breaks TEXT NOT NULL DEFAULT '[]',
  days TEXT NOT NULL DEFAULT '[1,2,3,4,5,6,7]',
  max_count INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
INSERT INTO shift_patterns (name, start_min, length_min, breaks, created_at, updated_at) VALUES
  ('早班 08:00-16:30', 480, 510, '[{"start":"11:30","minutes":30}]', 0, 0),
  ('中班 12:30-21:00', 750, 510, '[{"start":"17:30","minutes":30}]', 0, 0),
  ('日班 09:00-18:00', 540, 540, '[{"start":"12:30","minutes":60}]', 0, 0),
  ('早半班 08:00-12:00', 480, 240, '[]', 0, 0),
  ('晚半班 17:00-21:00', 1020, 240, '[]', 0, 0);

-- Quality checks (质检): the checklist supervisors score calls, replies
-- and mystery-customer audits against; admins edit it.
CREATE TABLE qa_items (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  label_zh TEXT NOT NULL,
  label_en TEXT NOT NULL,
  max_score INTEGER NOT NULL DEFAULT 10 CHECK (max_score BETWEEN 1 AND 100),
  active INTEGER NOT NULL DEFAULT 1,
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
INSERT INTO qa_items (code, label_zh, label_en, max_score, sort_order, created_at, updated_at) VALUES
  ('greeting', '问候语含公司名称和工号', 'Greeting names the company and the agent number', 10, 10, 0, 0),
  ('listening', '耐心倾听，不打断客户', 'Listens without interrupting', 15, 20, 0, 0),
  ('six_steps', '投诉处理六步法（道歉、解释、同情、方案、致歉、感谢）', 'The six complaint steps (apologise, explain, empathise, solve, apologise again, thank)', 20, 30, 0, 0),
  ('language', '服务用语规范，无禁忌语', 'Service language, no forbidden phrases', 20, 40, 0, 0),
  ('correct', '答复正确、一致', 'Correct and consistent answer', 20, 50, 0, 0),
  ('resolution', '问题得到解决或明确下一步', 'Problem solved or next step agreed', 15, 60, 0, 0);

-- One evaluation: a call, a written reply (a case event), or a mystery
-- customer's audit of the hotline (agent_id when the audit reached a
-- known agent).  scores: [{"item_id", "code", "score", "max"}], and
-- score_permille: the total as per-mille of the maximum.
CREATE TABLE qa_evaluations (
  id {{ID}},
  kind TEXT NOT NULL CHECK (kind IN ('call', 'reply', 'mystery')),
  call_id BIGINT REFERENCES calls(id),
  case_id BIGINT,
  case_event_id BIGINT,
  agent_id BIGINT REFERENCES users(id),
  evaluator_id BIGINT NOT NULL REFERENCES users(id),
  scores TEXT NOT NULL,
  score_permille INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  shopper TEXT NOT NULL DEFAULT '',
  scenario TEXT NOT NULL DEFAULT '',
  contacted_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX qa_evaluations_agent ON qa_evaluations(agent_id, contacted_at);
CREATE INDEX qa_evaluations_time ON qa_evaluations(contacted_at);

-- Outbound call lists: customers to call (from due follow-ups or picked by
-- hand), each with the first time it may be called (rest hours and the
-- customer's do-not-disturb windows respected) and the result.
CREATE TABLE call_lists (
  id {{ID}},
  name TEXT NOT NULL,
  purpose TEXT NOT NULL DEFAULT 'followup',
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);

CREATE TABLE call_list_items (
  id {{ID}},
  list_id BIGINT NOT NULL REFERENCES call_lists(id),
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  phone TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT 'manual',
  source_id BIGINT,
  assignee_id BIGINT REFERENCES users(id),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'skipped')),
  callable_at BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  outcome TEXT,
  call_id BIGINT REFERENCES calls(id),
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX call_list_items_list ON call_list_items(list_id, status, callable_at);
CREATE INDEX call_list_items_assignee ON call_list_items(assignee_id, status, callable_at);
