/* cti.c - POST /api/cti/events: what the PBX says happens on the phones.
 *
 * A PBX, or an adapter in front of it (tools/ami-adapter/ for Asterisk),
 * posts one event or a batch of up to 1000 with a Bearer API token.  Each
 * call event is stored once: its key within the call (the source's
 * event_id, else type:seq, else type@time) is unique, so a repeated event
 * changes nothing.  Every call with a new event is then recomputed from
 * all its events (core/callstate.h), so the order of arrival does not
 * matter.  One transaction per request: a batch is stored whole or not at
 * all (a bad event is answered 422 naming events[i].field).  The events
 * are read and checked by cti_input.c; this file resolves their agents
 * and stores them.
 *
 * After the commit, agents whose phone now rings get their screen pop
 * (call_pop.c) and agents on a call whose state changed get a call_state
 * event, over live.c. */
#include "app/calls.h"
#include "app/cti_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/callstate.h"
#include "core/phone.h"
#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

enum { AGENT_CACHE = 2048 /* a power of two > CTI_BATCH_MAX */ };

struct in_event {
	struct cti_input in;
	int is_new;
};

/* Extension -> user, looked up once per request (open addressing; a
 * batch names at most CTI_BATCH_MAX agents, so it never fills). */
struct agent_cache {
	const char *ext[AGENT_CACHE];
	int64_t uid[AGENT_CACHE];
};

struct batch {
	struct in_event *ev;
	int n;
	struct agent_cache agents;
	int64_t now;
};

static uint32_t str_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int64_t agent_lookup(http_req *r, struct agent_cache *c, const char *ext)
{
	uint32_t h = str_hash(ext) & (AGENT_CACHE - 1);
	while (c->ext[h] && strcmp(c->ext[h], ext))
		h = (h + 1) & (AGENT_CACHE - 1);
	if (c->ext[h])
		return c->uid[h];
	int64_t uid = hotline_agent_user(r->db, ext);
	if (uid >= 0) {
		c->ext[h] = ext;
		c->uid[h] = uid;
	}
	return uid;
}

/* The user an event names: agent_id must exist; an extension (agent) is
 * looked up in the agents' extensions. */
static int resolve_agent(http_req *r, struct batch *b, struct cti_input *e, const char *prefix)
{
	if (e->agent_id) {
		int64_t one;
		int rc = db_query_int(r->db, "SELECT 1 FROM users WHERE id = ?",
				      DB_ARGS(DBI(e->agent_id)), &one);
		if (rc < 0)
			return app_db_fail(r, rc, NULL);
		if (rc != DB_ROW) {
			const char *f = prefix ? arena_printf(r->a, "%s.agent_id", prefix) : "agent_id";
			return http_fail(r, KF_EINVAL, f, "%s：用户不存在", "%s: no such user", f);
		}
		return 0;
	}
	if (*e->agent) {
		int64_t uid = agent_lookup(r, &b->agents, e->agent);
		if (uid < 0)
			return app_db_fail(r, (int)uid, NULL);
		e->agent_id = uid;
	}
	return 0;
}

static int parse_batch(http_req *r, struct batch *b)
{
	json_t *list;
	int n = cti_input_count(r, &list);
	if (n < 0)
		return n;
	b->ev = arena_zalloc(r->a, (size_t)n * sizeof(*b->ev));
	b->now = util_now_ms();
	for (int i = 0; i < n; i++) {
		json_t *o = list ? json_array_get(list, (size_t)i) : r->json;
		const char *prefix = list ? arena_printf(r->a, "events[%d]", i) : NULL;
		int rc = cti_input_read(r, o, prefix, b->now, &b->ev[i].in);
		if (rc < 0 || (rc = resolve_agent(r, b, &b->ev[i].in, prefix)) < 0)
			return rc;
		b->n = i + 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- storing */

static int store_call_event(db *d, struct batch *b, struct in_event *ev)
{
	const struct cti_input *e = &ev->in;
	int rc = db_exec(d,
			 "INSERT INTO cti_events (call_key, ekey, type, seq, at, received_at, caller,"
			 " queue, agent, agent_id, target, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			 " ON CONFLICT (call_key, ekey) DO NOTHING",
			 DB_ARGS(DBT(e->call_key), DBT(e->ekey), DBT(cti_type_name(e->type)),
				 DBI(e->seq), DBI(e->at), DBI(b->now), DBT(e->caller), DBT(e->queue),
				 DBT(e->agent), e->agent_id ? DBI(e->agent_id) : DBNULL,
				 DBT(e->target), DBT(e->data ? e->data : "{}")));
	if (rc < 0)
		return rc;
	ev->is_new = rc > 0;
	return 0;
}

/* agent_states keeps the latest state by event time, whatever the order
 * of arrival. */
static int store_agent_event(db *d, struct batch *b, struct in_event *ev)
{
	const struct cti_input *e = &ev->in;
	int rc = db_exec(d,
			 "INSERT INTO agent_events (ekey, user_id, agent, type, reason, at, received_at)"
			 " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ekey) DO NOTHING",
			 DB_ARGS(DBT(e->ekey), e->agent_id ? DBI(e->agent_id) : DBNULL,
				 DBT(e->agent), DBT(cti_agent_types[e->type]), DBT(e->reason), DBI(e->at),
				 DBI(b->now)));
	if (rc < 0)
		return rc;
	ev->is_new = rc > 0;
	if (!ev->is_new)
		return 0;
	rc = db_exec(d,
		     "INSERT INTO agent_states (agent, user_id, state, reason, since) VALUES (?, ?, ?, ?, ?)"
		     " ON CONFLICT (agent) DO UPDATE SET user_id = excluded.user_id,"
		     " state = excluded.state, reason = excluded.reason, since = excluded.since"
		     " WHERE excluded.since >= agent_states.since",
		     DB_ARGS(DBT(e->agent), e->agent_id ? DBI(e->agent_id) : DBNULL,
			     DBT(cti_agent_states[e->type]), DBT(e->reason), DBI(e->at)));
	return rc < 0 ? rc : 0;
}

/* What happens after the commit, per call. */
struct touched {
	const char *call_key;
	const char *direction, *callee; /* given by this batch's events, else NULL / "" */
	int64_t id;
	const char *state;
	int live;
	int64_t pop_user;      /* a screen pop is due for this agent */
	int64_t notify_user[2]; /* agents told the new state */
	int state_changed;
};

struct old_call {
	int found;
	int64_t id, customer_id, ringing_agent_id, agent_id;
	char state[16], direction[10], callee[40];
};

static int load_old(db *d, const char *key, struct old_call *o)
{
	memset(o, 0, sizeof(*o));
	db_stmt *st;
	if (db_query(d,
		     "SELECT id, customer_id, ringing_agent_id, agent_id, state, direction, callee"
		     " FROM calls WHERE call_key = ?",
		     DB_ARGS(DBT(key)), &st) < 0)
		return -1;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		o->found = 1;
		o->id = db_col_int(st, 0);
		o->customer_id = db_col_null(st, 1) ? 0 : db_col_int(st, 1);
		o->ringing_agent_id = db_col_null(st, 2) ? 0 : db_col_int(st, 2);
		o->agent_id = db_col_null(st, 3) ? 0 : db_col_int(st, 3);
		snprintf(o->state, sizeof(o->state), "%s", db_col_text(st, 4));
		snprintf(o->direction, sizeof(o->direction), "%s", db_col_text(st, 5));
		snprintf(o->callee, sizeof(o->callee), "%s", db_col_text(st, 6));
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* All events of a call, as core/callstate.h reads them.  Strings are
 * copied into the request's arena. */
static int load_events(http_req *r, const char *key, struct cti_event **out, size_t *n)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT type, at, seq, agent_id, agent, queue, caller FROM cti_events"
		     " WHERE call_key = ?",
		     DB_ARGS(DBT(key)), &st) < 0)
		return -1;
	size_t cap = 16, k = 0;
	struct cti_event *ev = arena_alloc(r->a, cap * sizeof(*ev));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (k == cap) {
			struct cti_event *more = arena_alloc(r->a, 2 * cap * sizeof(*ev));
			memcpy(more, ev, cap * sizeof(*ev));
			ev = more;
			cap *= 2;
		}
		ev[k].type = cti_type_parse(db_col_text(st, 0));
		ev[k].at = db_col_int(st, 1);
		ev[k].seq = db_col_int(st, 2);
		ev[k].agent_id = db_col_null(st, 3) ? 0 : db_col_int(st, 3);
		ev[k].agent = arena_strdup(r->a, db_col_text(st, 4));
		ev[k].queue = arena_strdup(r->a, db_col_text(st, 5));
		ev[k].caller = arena_strdup(r->a, db_col_text(st, 6));
		if (ev[k].type >= 0)
			k++;
	}
	db_done(st);
	*out = ev;
	*n = k;
	return rc < 0 ? rc : 0;
}

static int64_t find_customer(db *d, const char *caller)
{
	if (caller[0] != '+')
		return 0;
	int64_t id = 0;
	int rc = db_query_int(d, "SELECT id FROM customers WHERE phone = ? AND archived_at IS NULL",
			      DB_ARGS(DBT(caller)), &id);
	return rc == DB_ROW ? id : rc < 0 ? rc : 0;
}

static db_val opt(int64_t v)
{
	return v ? DBI(v) : DBNULL;
}

static db_val opt_ms(int64_t v)
{
	return v >= 0 ? DBI(v) : DBNULL;
}

static int upsert_call(db *d, const char *key, const char *direction, const char *callee,
		       int64_t customer_id, const struct call_summary *s, size_t nevents,
		       int64_t now, int64_t *id)
{
	db_stmt *st;
	int rc = db_query(
		d,
		"INSERT INTO calls (call_key, direction, state, live, queue, caller, callee, customer_id,"
		" agent_id, agent, first_agent_id, ringing_agent_id, offered_at, ringing_at, answered_at,"
		" ended_at, abandoned, wait_ms, talk_ms, hold_ms, transfers, events, created_at, updated_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (call_key) DO UPDATE SET direction = excluded.direction,"
		" state = excluded.state, live = excluded.live, queue = excluded.queue,"
		" caller = excluded.caller, callee = excluded.callee,"
		" customer_id = COALESCE(calls.customer_id, excluded.customer_id),"
		" agent_id = excluded.agent_id, agent = excluded.agent,"
		" first_agent_id = excluded.first_agent_id, ringing_agent_id = excluded.ringing_agent_id,"
		" offered_at = excluded.offered_at, ringing_at = excluded.ringing_at,"
		" answered_at = excluded.answered_at, ended_at = excluded.ended_at,"
		" abandoned = excluded.abandoned, wait_ms = excluded.wait_ms, talk_ms = excluded.talk_ms,"
		" hold_ms = excluded.hold_ms, transfers = excluded.transfers, events = excluded.events,"
		" updated_at = excluded.updated_at, version = calls.version + 1 RETURNING id",
		DB_ARGS(DBT(key), DBT(direction), DBT(call_state_name(s->state)), DBI(s->live),
			DBT(s->queue), DBT(s->caller), DBT(callee), opt(customer_id), opt(s->agent_id),
			DBT(s->agent), opt(s->first_agent_id), opt(s->ringing_agent_id),
			opt(s->offered_at), opt(s->ringing_at), opt(s->answered_at), opt(s->ended_at),
			DBI(s->abandoned), opt_ms(s->wait_ms), opt_ms(s->talk_ms), DBI(s->hold_ms),
			DBI(s->transfers), DBI((int64_t)nevents), DBI(now), DBI(now)),
		&st);
	if (rc < 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : rc < 0 ? rc : DB_EFAIL;
}

/* The agent a pop is due for, if any: alerted (or answering, when the PBX
 * sends no "ringing") on a live call and not popped before. */
static int claim_pop(db *d, int64_t call_id, const struct call_summary *s, int64_t now,
		     int64_t *user)
{
	*user = 0;
	if (!s->live)
		return 0;
	int64_t who = s->answered_at ? s->agent_id : s->ringing_agent_id;
	if (!who)
		return 0;
	int rc = db_exec(d,
			 "INSERT INTO call_pops (call_id, user_id, at) VALUES (?, ?, ?)"
			 " ON CONFLICT (call_id, user_id) DO NOTHING",
			 DB_ARGS(DBI(call_id), DBI(who), DBI(now)));
	if (rc < 0)
		return rc;
	if (rc > 0)
		*user = who;
	return 0;
}

static int recompute(http_req *r, const struct batch *b, struct touched *t)
{
	struct old_call old;
	struct cti_event *ev;
	size_t n;
	int rc;
	if ((rc = load_old(r->db, t->call_key, &old)) < 0 ||
	    (rc = load_events(r, t->call_key, &ev, &n)) < 0)
		return rc;
	size_t *order = arena_alloc(r->a, (n ? n : 1) * sizeof(*order));
	struct call_summary s;
	callstate_derive(ev, n, order, &s);
	const char *direction = t->direction ? t->direction : old.found ? old.direction : "inbound";
	const char *callee = *t->callee ? t->callee : old.callee;
	int64_t customer = old.customer_id;
	if (!customer && *s.caller && (customer = find_customer(r->db, s.caller)) < 0)
		return (int)customer;
	if ((rc = upsert_call(r->db, t->call_key, direction, callee, customer, &s, n, b->now,
			      &t->id)) < 0 ||
	    (rc = claim_pop(r->db, t->id, &s, b->now, &t->pop_user)) < 0)
		return rc;
	t->state = call_state_name(s.state);
	t->live = s.live;
	t->state_changed = !old.found || strcmp(old.state, t->state);
	if (t->state_changed) {
		t->notify_user[0] = s.agent_id ? s.agent_id : s.ringing_agent_id;
		int64_t before = old.agent_id ? old.agent_id : old.ringing_agent_id;
		t->notify_user[1] = before != t->notify_user[0] ? before : 0;
	}
	return 0;
}

/* Distinct calls with new events, in order of first appearance (an open
 * addressing set over the batch's call keys), with what the batch says of
 * their direction and number called. */
static int touched_calls(http_req *r, const struct batch *b, struct touched **out)
{
	struct touched *t = arena_zalloc(r->a, (size_t)(b->n ? b->n : 1) * sizeof(*t));
	size_t cap = 2;
	while (cap < (size_t)b->n * 2)
		cap *= 2;
	int *set = arena_zalloc(r->a, cap * sizeof(*set)); /* index + 1 into t */
	int k = 0;
	for (int i = 0; i < b->n; i++) {
		const struct cti_input *e = &b->ev[i].in;
		if (e->is_agent)
			continue;
		size_t h = str_hash(e->call_key) & (cap - 1);
		while (set[h] && strcmp(t[set[h] - 1].call_key, e->call_key))
			h = (h + 1) & (cap - 1);
		struct touched *x = set[h] ? &t[set[h] - 1] : NULL;
		if (!x && !b->ev[i].is_new)
			continue;
		if (!x) {
			x = &t[k++];
			x->call_key = e->call_key;
			x->callee = "";
			set[h] = k;
		}
		if (e->direction && *e->direction)
			x->direction = e->direction;
		if (*e->callee)
			x->callee = e->callee;
	}
	*out = t;
	return k;
}

/* ---------------------------------------------------------------- after commit */

static void send_pop(http_req *r, const struct touched *t, struct live_batch *lb)
{
	db_stmt *st;
	int role = ROLE_AGENT;
	if (db_query(r->db, "SELECT role FROM users WHERE id = ?", DB_ARGS(DBI(t->pop_user)), &st) == 0) {
		if (db_step(st) == DB_ROW)
			role = role_parse(db_col_text(st, 0));
		db_done(st);
	}
	buf b;
	buf_init(&b, 1 << 20);
	if (pop_write(r->db, t->id, t->pop_user, role, &b) == 0)
		live_batch_add(lb, t->pop_user, "screen_pop", b.data, 1);
	buf_release(&b);
}

static void send_states(const struct touched *t, struct live_batch *lb)
{
	buf b;
	buf_init(&b, 4096);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "call");
	jw_obj(&w);
	jw_key(&w, "id");
	jw_int(&w, t->id);
	jw_key(&w, "call_id");
	jw_str(&w, t->call_key);
	jw_key(&w, "state");
	jw_str(&w, t->state);
	jw_key(&w, "live");
	jw_bool(&w, t->live);
	jw_obj_end(&w);
	jw_obj_end(&w);
	for (int i = 0; i < 2 && !jw_failed(&w); i++)
		if (t->notify_user[i])
			live_batch_add(lb, t->notify_user[i], "call_state", b.data, 0);
	buf_release(&b);
}

static int respond(http_req *r, const struct batch *b, const struct touched *t, int nt)
{
	int accepted = 0;
	for (int i = 0; i < b->n; i++)
		accepted += b->ev[i].is_new;
	buf out;
	buf_init(&out, 4 << 20);
	jw w;
	jw_init(&w, &out);
	jw_obj(&w);
	jw_key(&w, "accepted");
	jw_int(&w, accepted);
	jw_key(&w, "duplicates");
	jw_int(&w, b->n - accepted);
	jw_key(&w, "results");
	jw_arr(&w);
	for (int i = 0; i < b->n; i++)
		jw_str(&w, b->ev[i].is_new ? "new" : "duplicate");
	jw_arr_end(&w);
	jw_key(&w, "calls");
	jw_arr(&w);
	for (int i = 0; i < nt; i++) {
		jw_obj(&w);
		jw_key(&w, "id");
		jw_int(&w, t[i].id);
		jw_key(&w, "call_id");
		jw_str(&w, t[i].call_key);
		jw_key(&w, "state");
		jw_str(&w, t[i].state);
		jw_key(&w, "live");
		jw_bool(&w, t[i].live);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	if (jw_failed(&w)) {
		buf_release(&out);
		return http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &out);
}

int cti_events_post(http_req *r)
{
	if (!r->via_token)
		return http_fail(r, KF_EFORBIDDEN, NULL,
				 "电话事件只接受 API 令牌（Authorization: Bearer）",
				 "Telephony events are accepted with an API token only (Authorization: Bearer)");
	struct batch *b = arena_zalloc(r->a, sizeof(*b));
	int rc = parse_batch(r, b);
	if (rc < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	for (int i = 0; i < b->n && rc >= 0; i++)
		rc = b->ev[i].in.is_agent ? store_agent_event(r->db, b, &b->ev[i])
				      : store_call_event(r->db, b, &b->ev[i]);
	struct touched *t = NULL;
	int nt = rc >= 0 ? touched_calls(r, b, &t) : 0;
	for (int i = 0; i < nt && rc >= 0; i++)
		rc = recompute(r, b, &t[i]);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, rc < 0 ? rc : DB_EFAIL, NULL);
	struct live_batch lb;
	live_batch_init(&lb);
	for (int i = 0; i < nt; i++) {
		if (t[i].pop_user)
			send_pop(r, &t[i], &lb);
		if (t[i].state_changed)
			send_states(&t[i], &lb);
	}
	if (live_batch_send(r->db, &lb) < 0)
		log_warn("cti: live events not sent: %s", db_errmsg(r->db));
	return respond(r, b, t, nt);
}
