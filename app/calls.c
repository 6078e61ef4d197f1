/* calls.c - call records: the list, one call, its raw events, the
 * agent's wrap-up (customer, case, wrap-up code, notes, recording,
 * first-contact resolution) and outbound calls recorded by hand.
 *
 * What the PBX said (state, times, agents) is derived in cti.c and never
 * edited here; what the agent says is edited here and never touched by
 * new events.  Caller numbers are masked for agents on calls that are not
 * theirs (they neither took it nor own the customer). */
#include "app/calls.h"

#include <stdlib.h>
#include <string.h>

#include "core/calltime.h"
#include "core/mask.h"
#include "core/phone.h"
#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

#define CALL_SELECT                                                                                \
	"SELECT c.id, c.call_key, c.direction, c.state, c.live, c.queue, c.caller, c.callee,"      \
	" c.customer_id, cu.name, c.case_id, c.agent_id, u.display_name, c.agent,"                 \
	" c.first_agent_id, c.ringing_agent_id, c.offered_at, c.ringing_at, c.answered_at,"        \
	" c.ended_at, c.abandoned, c.wait_ms, c.talk_ms, c.hold_ms, c.acw_ms, c.transfers,"        \
	" c.events, c.wrapup_code, c.notes, c.recording_url, c.fcr, c.outcome, c.list_item_id,"    \
	" c.wrapped_at, c.wrapped_by, c.created_at, c.updated_at, c.version, cu.owner_id"          \
	" FROM calls c LEFT JOIN customers cu ON cu.id = c.customer_id"                            \
	" LEFT JOIN users u ON u.id = c.agent_id"

enum {
	C_ID, C_KEY, C_DIR, C_STATE, C_LIVE, C_QUEUE, C_CALLER, C_CALLEE, C_CUST, C_CUST_NAME,
	C_CASE, C_AGENT, C_AGENT_NAME, C_AGENT_EXT, C_FIRST, C_RINGING, C_OFFERED, C_RING_AT,
	C_ANSWERED, C_ENDED, C_ABANDONED, C_WAIT, C_TALK, C_HOLD, C_ACW, C_TRANSFERS, C_EVENTS,
	C_WRAPUP, C_NOTES, C_REC, C_FCR, C_OUTCOME, C_ITEM, C_WRAPPED_AT, C_WRAPPED_BY, C_CREATED,
	C_UPDATED, C_VERSION, C_OWNER
};

static void opt_int(jw *w, const char *k, db_stmt *st, int col)
{
	jw_key(w, k);
	if (db_col_null(st, col))
		jw_null(w);
	else
		jw_int(w, db_col_int(st, col));
}

static void opt_str(jw *w, const char *k, db_stmt *st, int col)
{
	jw_key(w, k);
	if (db_col_null(st, col))
		jw_null(w);
	else
		jw_str(w, db_col_text(st, col));
}

static int64_t col_or0(db_stmt *st, int col)
{
	return db_col_null(st, col) ? 0 : db_col_int(st, col);
}

/* The agent took, was offered, or owns the caller: sees the number. */
static int caller_masked(http_req *r, db_stmt *st)
{
	if (r->user.role >= ROLE_SUPERVISOR)
		return 0;
	int64_t me = r->user.id;
	return col_or0(st, C_AGENT) != me && col_or0(st, C_FIRST) != me &&
	       col_or0(st, C_RINGING) != me && col_or0(st, C_OWNER) != me;
}

static void write_row(http_req *r, jw *w, db_stmt *st)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, C_ID));
	jw_key(w, "call_id");
	jw_str(w, db_col_text(st, C_KEY));
	jw_key(w, "direction");
	jw_str(w, db_col_text(st, C_DIR));
	jw_key(w, "state");
	jw_str(w, db_col_text(st, C_STATE));
	jw_key(w, "live");
	jw_bool(w, (int)db_col_int(st, C_LIVE));
	jw_key(w, "queue");
	jw_str(w, db_col_text(st, C_QUEUE));
	int masked = caller_masked(r, st);
	char m[MASK_SIZE];
	jw_key(w, "caller");
	if (masked)
		mask_phone(db_col_text(st, C_CALLER), m, sizeof(m));
	jw_str(w, masked ? m : db_col_text(st, C_CALLER));
	jw_key(w, "caller_masked");
	jw_bool(w, masked && *db_col_text(st, C_CALLER));
	jw_key(w, "callee");
	jw_str(w, db_col_text(st, C_CALLEE));
	jw_key(w, "customer");
	if (db_col_null(st, C_CUST)) {
		jw_null(w);
	} else {
		jw_obj(w);
		jw_key(w, "id");
		jw_int(w, db_col_int(st, C_CUST));
		jw_key(w, "name");
		jw_str(w, db_col_text(st, C_CUST_NAME));
		jw_obj_end(w);
	}
	opt_int(w, "case_id", st, C_CASE);
	jw_key(w, "agent");
	if (db_col_null(st, C_AGENT)) {
		jw_null(w);
	} else {
		jw_obj(w);
		jw_key(w, "id");
		jw_int(w, db_col_int(st, C_AGENT));
		jw_key(w, "display_name");
		jw_str(w, db_col_text(st, C_AGENT_NAME));
		jw_obj_end(w);
	}
	jw_key(w, "agent_ext");
	jw_str(w, db_col_text(st, C_AGENT_EXT));
	opt_int(w, "first_agent_id", st, C_FIRST);
	opt_int(w, "ringing_agent_id", st, C_RINGING);
	static const char *const times[] = {"offered_at", "ringing_at", "answered_at", "ended_at"};
	for (int i = 0; i < 4; i++)
		opt_int(w, times[i], st, C_OFFERED + i);
	jw_key(w, "abandoned");
	jw_bool(w, (int)db_col_int(st, C_ABANDONED));
	opt_int(w, "wait_ms", st, C_WAIT);
	opt_int(w, "talk_ms", st, C_TALK);
	opt_int(w, "hold_ms", st, C_HOLD);
	opt_int(w, "acw_ms", st, C_ACW);
	jw_key(w, "handle_ms");
	if (db_col_null(st, C_TALK))
		jw_null(w);
	else
		jw_int(w, db_col_int(st, C_TALK) + db_col_int(st, C_HOLD) + db_col_int(st, C_ACW));
	opt_int(w, "transfers", st, C_TRANSFERS);
	opt_int(w, "events", st, C_EVENTS);
	opt_str(w, "wrapup_code", st, C_WRAPUP);
	jw_key(w, "notes");
	jw_str(w, db_col_text(st, C_NOTES));
	jw_key(w, "recording_url");
	jw_str(w, db_col_text(st, C_REC));
	jw_key(w, "fcr");
	if (db_col_null(st, C_FCR))
		jw_null(w);
	else
		jw_bool(w, (int)db_col_int(st, C_FCR));
	opt_str(w, "outcome", st, C_OUTCOME);
	opt_int(w, "list_item_id", st, C_ITEM);
	opt_int(w, "wrapped_at", st, C_WRAPPED_AT);
	opt_int(w, "wrapped_by", st, C_WRAPPED_BY);
	opt_int(w, "created_at", st, C_CREATED);
	opt_int(w, "updated_at", st, C_UPDATED);
	opt_int(w, "version", st, C_VERSION);
	jw_obj_end(w);
}

int call_write(http_req *r, jw *w, int64_t call_id)
{
	db_stmt *st;
	if (db_query(r->db, CALL_SELECT " WHERE c.id = ?", DB_ARGS(DBI(call_id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	if (rc == DB_ROW)
		write_row(r, w, st);
	db_done(st);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW)
		return http_fail(r, KF_ENOTFOUND, "id", "通话 %lld 不存在", "Call %lld does not exist",
				 (long long)call_id);
	return 0;
}

int call_respond(http_req *r, int64_t call_id, int status)
{
	buf b;
	buf_init(&b, 1 << 20);
	jw w;
	jw_init(&w, &b);
	int rc = call_write(r, &w, call_id);
	if (rc < 0) {
		buf_release(&b);
		return rc;
	}
	return http_json_buf(r, status, &b);
}

int calls_get(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	return call_respond(r, id, 200);
}

/* ---------------------------------------------------------------- the list */

enum { LIST_ARGS = 16 };

static int check_outcome(http_req *r, const char *v);

static const char *const list_states[] = {"unknown", "queued", "ringing", "talking",
					  "held",    "ended",  "abandoned", NULL};

/* The wrap-up filters of the list: a code (or "none": not wrapped up yet), the outcome of an
 * outbound call, the call's state. A code is only checked for its shape: an unknown one
 * simply matches nothing. */
static int list_filter_wrapup(http_req *r, buf *where, db_val *args, int *n)
{
	const char *v;
	int rc;
	if ((v = http_query(r, "wrapup_code")) && *v) {
		if (!strcmp(v, "none")) {
			buf_puts(where, " AND c.wrapup_code IS NULL");
		} else {
			size_t len = strlen(v);
			int ok = len <= 40;
			for (const char *p = v; ok && *p; p++)
				ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
				     *p == '-';
			if (!ok)
				return http_fail(r, KF_EINVAL, "wrapup_code",
						 "wrapup_code 应为小结代码或 none",
						 "wrapup_code must be a wrap-up code or none");
			buf_puts(where, " AND c.wrapup_code = ?");
			args[(*n)++] = DBT(v);
		}
	}
	if ((v = http_query(r, "outcome")) && *v) {
		if ((rc = check_outcome(r, v)) < 0)
			return rc;
		buf_puts(where, " AND c.outcome = ?");
		args[(*n)++] = DBT(v);
	}
	if ((v = http_query(r, "state")) && *v) {
		const char *const *s = list_states;
		while (*s && strcmp(*s, v))
			s++;
		if (!*s)
			return http_fail(r, KF_EINVAL, "state",
					 "state 应为 queued、ringing、talking、held、ended、abandoned 或 unknown",
					 "state must be queued, ringing, talking, held, ended, abandoned or unknown");
		buf_puts(where, " AND c.state = ?");
		args[(*n)++] = DBT(v);
	}
	return 0;
}

static int list_filter(http_req *r, buf *where, db_val *args, int *n)
{
	const char *v;
	int rc;
	int64_t x;
	buf_puts(where, " WHERE 1 = 1");
	if ((v = http_query(r, "agent_id")) && *v) {
		if (!strcmp(v, "me"))
			x = r->user.id;
		else if (util_parse_i64(v, &x) < 0 || x <= 0)
			return http_fail(r, KF_EINVAL, "agent_id", "agent_id 应为用户编号或 me",
					 "agent_id must be a user id or me");
		buf_puts(where, " AND c.agent_id = ?");
		args[(*n)++] = DBI(x);
	}
	if ((rc = in_query_int(r, "customer_id", 1, INT64_MAX, 0, &x)) < 0)
		return rc;
	if (x) {
		buf_puts(where, " AND c.customer_id = ?");
		args[(*n)++] = DBI(x);
	}
	if ((v = http_query(r, "queue")) && *v) {
		buf_puts(where, " AND c.queue = ?");
		args[(*n)++] = DBT(v);
	}
	if ((v = http_query(r, "direction")) && *v) {
		if (strcmp(v, "inbound") && strcmp(v, "outbound"))
			return http_fail(r, KF_EINVAL, "direction", "direction 应为 inbound 或 outbound",
					 "direction must be inbound or outbound");
		buf_puts(where, " AND c.direction = ?");
		args[(*n)++] = DBT(v);
	}
	if ((v = http_query(r, "live")) && !strcmp(v, "1"))
		buf_puts(where, " AND c.live = 1");
	if ((rc = list_filter_wrapup(r, where, args, n)) < 0)
		return rc;
	if ((rc = in_query_int(r, "since", 0, INT64_MAX, 0, &x)) < 0)
		return rc;
	if (x) {
		buf_puts(where, " AND c.created_at >= ?");
		args[(*n)++] = DBI(x);
	}
	if ((rc = in_query_int(r, "until", 0, INT64_MAX, 0, &x)) < 0)
		return rc;
	if (x) {
		buf_puts(where, " AND c.created_at < ?");
		args[(*n)++] = DBI(x);
	}
	/* The day a call belongs to is when it was offered (a simulated or replayed day is
	 * recorded later than it happened): offered_since / offered_until, ms. */
	if ((rc = in_query_int(r, "offered_since", 0, INT64_MAX, 0, &x)) < 0)
		return rc;
	if (x) {
		buf_puts(where, " AND c.offered_at >= ?");
		args[(*n)++] = DBI(x);
	}
	if ((rc = in_query_int(r, "offered_until", 0, INT64_MAX, 0, &x)) < 0)
		return rc;
	if (x) {
		buf_puts(where, " AND c.offered_at < ?");
		args[(*n)++] = DBI(x);
	}
	if ((rc = in_cursor(r, &x)) < 0)
		return rc;
	if (x) {
		buf_puts(where, " AND c.id < ?");
		args[(*n)++] = DBI(x);
	}
	return 0;
}

int calls_list(http_req *r)
{
	int64_t limit;
	int rc;
	if ((rc = in_query_int(r, "limit", 1, 200, 50, &limit)) < 0)
		return rc;
	buf where;
	buf_init(&where, 2048);
	db_val args[LIST_ARGS];
	int n = 0;
	if ((rc = list_filter(r, &where, args, &n)) < 0) {
		buf_release(&where);
		return rc;
	}
	args[n++] = DBI(limit + 1);
	char *sql = arena_printf(r->a, CALL_SELECT "%s ORDER BY c.id DESC LIMIT ?", where.data);
	buf_release(&where);
	db_stmt *st;
	if (db_query(r->db, sql, args, n, &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	buf b;
	buf_init(&b, 8 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "items");
	jw_arr(&w);
	int64_t count = 0, last = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (++count > limit)
			break;
		last = db_col_int(st, C_ID);
		write_row(r, &w, st);
	}
	db_done(st);
	if (rc < 0) {
		buf_release(&b);
		return app_db_fail(r, rc, NULL);
	}
	jw_arr_end(&w);
	jw_key(&w, "next_cursor");
	if (count > limit)
		jw_str(&w, out_cursor(r, last));
	else
		jw_null(&w);
	jw_obj_end(&w);
	return http_json_buf(r, 200, &b);
}

int calls_events_list(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT e.id, e.type, e.seq, e.at, e.received_at, e.caller, e.queue, e.agent,"
		     " e.agent_id, e.target, e.data, e.ekey FROM calls c"
		     " JOIN cti_events e ON e.call_key = c.call_key WHERE c.id = ?"
		     " ORDER BY e.at, e.id LIMIT 1000",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW) {
		json_t *data = json_loads(db_col_text(st, 10), 0, NULL);
		json_array_append_new(
			items,
			json_pack("{s:I, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:s}", "id",
				  (json_int_t)db_col_int(st, 0), "type", db_col_text(st, 1), "seq",
				  (json_int_t)db_col_int(st, 2), "at", (json_int_t)db_col_int(st, 3),
				  "received_at", (json_int_t)db_col_int(st, 4), "caller",
				  db_col_text(st, 5), "queue", db_col_text(st, 6), "agent",
				  db_col_text(st, 7), "agent_id",
				  db_col_null(st, 8) ? json_null() : json_integer(db_col_int(st, 8)),
				  "target", db_col_text(st, 9), "data", data ? data : json_object(), "key",
				  db_col_text(st, 11)));
	}
	db_done(st);
	if (!json_array_size(items)) {
		int exists = 0;
		int64_t one;
		if (db_query_int(r->db, "SELECT 1 FROM calls WHERE id = ?", DB_ARGS(DBI(id)), &one) == DB_ROW)
			exists = 1;
		if (!exists) {
			json_decref(items);
			return http_fail(r, KF_ENOTFOUND, "id", "通话 %lld 不存在",
					 "Call %lld does not exist", (long long)id);
		}
	}
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

/* ---------------------------------------------------------------- wrap-up */

struct wrap {
	int64_t customer_id, case_id, version;
	const char *wrapup_code, *notes, *recording_url, *outcome;
	int fcr, has_customer, has_case, has_version, has_fcr, has_wrapup, has_notes, has_rec,
		has_outcome;
};

static const char *const outcomes[] = {"reached", "no_answer", "busy",  "voicemail",
				       "wrong_number", "refused",  "failed", NULL};

static int check_outcome(http_req *r, const char *v)
{
	for (const char *const *o = outcomes; *o; o++)
		if (!strcmp(*o, v))
			return 0;
	return http_fail(r, KF_EINVAL, "outcome",
			 "outcome 应为 reached、no_answer、busy、voicemail、wrong_number、refused 或 failed",
			 "outcome must be reached, no_answer, busy, voicemail, wrong_number, refused or failed");
}

static int check_refs(http_req *r, struct wrap *w)
{
	int64_t one;
	int rc;
	if (w->wrapup_code) {
		rc = db_query_int(r->db, "SELECT 1 FROM wrapup_codes WHERE code = ? AND active = 1",
				  DB_ARGS(DBT(w->wrapup_code)), &one);
		if (rc < 0)
			return app_db_fail(r, rc, NULL);
		if (rc != DB_ROW)
			return http_fail(r, KF_EINVAL, "wrapup_code", "话后小结代码 %s 不存在或已停用",
					 "The wrap-up code %s does not exist or is inactive",
					 w->wrapup_code);
	}
	if (w->customer_id) {
		rc = db_query_int(r->db, "SELECT 1 FROM customers WHERE id = ?",
				  DB_ARGS(DBI(w->customer_id)), &one);
		if (rc < 0)
			return app_db_fail(r, rc, NULL);
		if (rc != DB_ROW)
			return http_fail(r, KF_EINVAL, "customer_id", "客户 %lld 不存在",
					 "Customer %lld does not exist", (long long)w->customer_id);
	}
	if (w->case_id) {
		int64_t cust = 0;
		rc = hotline_table_exists(r->db, "cases")
			     ? db_query_int(r->db, "SELECT customer_id FROM cases WHERE id = ?",
					    DB_ARGS(DBI(w->case_id)), &cust)
			     : DB_DONE;
		if (rc < 0)
			return app_db_fail(r, rc, NULL);
		if (rc != DB_ROW)
			return http_fail(r, KF_EINVAL, "case_id", "工单 %lld 不存在",
					 "Case %lld does not exist", (long long)w->case_id);
		if (!w->customer_id && !w->has_customer)
			w->customer_id = cust; /* a call linked to a case is the case's customer's */
	}
	if (w->recording_url && *w->recording_url && strncmp(w->recording_url, "https://", 8) &&
	    strncmp(w->recording_url, "http://", 7))
		return http_fail(r, KF_EINVAL, "recording_url", "录音地址必须以 http:// 或 https:// 开头",
				 "The recording URL must start with http:// or https://");
	if (w->outcome && (rc = check_outcome(r, w->outcome)) < 0)
		return rc;
	return 0;
}

static const char *const wrap_keys[] = {"customer_id", "case_id",       "wrapup_code", "notes",
					"recording_url", "fcr",         "outcome",     "version",
					NULL};

static int read_wrap(http_req *r, json_t *o, struct wrap *w, const char *const *keys)
{
	int rc;
	memset(w, 0, sizeof(*w));
	if ((rc = in_only_keys(r, o, keys, NULL)) < 0 ||
	    (rc = in_int(r, o, "customer_id", 1, INT64_MAX, 0, &w->customer_id, &w->has_customer)) < 0 ||
	    (rc = in_int(r, o, "case_id", 1, INT64_MAX, 0, &w->case_id, &w->has_case)) < 0 ||
	    (rc = in_int(r, o, "version", 1, INT64_MAX, 0, &w->version, &w->has_version)) < 0 ||
	    (rc = in_str(r, o, "wrapup_code", 40, 0, &w->wrapup_code, &w->has_wrapup)) < 0 ||
	    (rc = in_str(r, o, "notes", 4000, 0, &w->notes, &w->has_notes)) < 0 ||
	    (rc = in_str(r, o, "recording_url", 500, 0, &w->recording_url, &w->has_rec)) < 0 ||
	    (rc = in_str(r, o, "outcome", 20, 0, &w->outcome, &w->has_outcome)) < 0)
		return rc;
	json_t *f = json_object_get(o, "fcr");
	if (f && !json_is_null(f) && !json_is_boolean(f))
		return http_fail(r, KF_EINVAL, "fcr", "fcr 必须是 true、false 或 null",
				 "fcr must be true, false or null");
	w->has_fcr = f != NULL;
	w->fcr = f && json_is_boolean(f) ? json_is_true(f) : -1;
	return check_refs(r, w);
}

struct call_row {
	int64_t agent_id, first_agent_id, ringing_agent_id, ended_at, wrapped_at, version;
};

static int load_row(http_req *r, int64_t id, struct call_row *c)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT agent_id, first_agent_id, ringing_agent_id, ended_at, wrapped_at, version"
		     " FROM calls WHERE id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		c->agent_id = col_or0(st, 0);
		c->first_agent_id = col_or0(st, 1);
		c->ringing_agent_id = col_or0(st, 2);
		c->ended_at = col_or0(st, 3);
		c->wrapped_at = col_or0(st, 4);
		c->version = db_col_int(st, 5);
	}
	db_done(st);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW)
		return http_fail(r, KF_ENOTFOUND, "id", "通话 %lld 不存在", "Call %lld does not exist",
				 (long long)id);
	return 0;
}

static int apply_wrap(http_req *r, int64_t id, const struct wrap *w, const struct call_row *c)
{
	struct hotline_settings hs;
	hotline_settings_load(r->db, &hs);
	int64_t now = util_now_ms();
	int first_wrap = w->wrapup_code && !c->wrapped_at;
	int64_t acw = 0;
	/* After-call work: from the end of the call to the first wrap-up, when
	 * that comes within the cap; a wrap-up written later (or during the
	 * call) measures nothing. */
	if (first_wrap && c->ended_at) {
		acw = now - c->ended_at;
		acw = acw < 0 || acw > hs.acw_cap_s * 1000LL ? 0 : acw;
	}
	int rc = db_exec(
		r->db,
		"UPDATE calls SET customer_id = CASE WHEN ? = 1 THEN ? ELSE customer_id END,"
		" case_id = CASE WHEN ? = 1 THEN ? ELSE case_id END,"
		" wrapup_code = CASE WHEN ? = 1 THEN ? ELSE wrapup_code END,"
		" notes = CASE WHEN ? = 1 THEN ? ELSE notes END,"
		" recording_url = CASE WHEN ? = 1 THEN ? ELSE recording_url END,"
		" fcr = CASE WHEN ? = 1 THEN ? ELSE fcr END,"
		" outcome = CASE WHEN ? = 1 THEN ? ELSE outcome END,"
		" wrapped_at = CASE WHEN ? = 1 THEN ? ELSE wrapped_at END,"
		" wrapped_by = CASE WHEN ? = 1 THEN ? ELSE wrapped_by END,"
		" acw_ms = CASE WHEN ? = 1 THEN ? ELSE acw_ms END,"
		" updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
		DB_ARGS(DBI(w->has_customer || w->customer_id), w->customer_id ? DBI(w->customer_id) : DBNULL,
			DBI(w->has_case), w->case_id ? DBI(w->case_id) : DBNULL, DBI(w->has_wrapup),
			DBT(w->wrapup_code), DBI(w->has_notes), DBT(w->notes ? w->notes : ""),
			DBI(w->has_rec), DBT(w->recording_url ? w->recording_url : ""), DBI(w->has_fcr),
			w->fcr >= 0 ? DBI(w->fcr) : DBNULL, DBI(w->has_outcome), DBT(w->outcome),
			DBI(first_wrap), DBI(now), DBI(first_wrap), DBI(r->user.id), DBI(first_wrap),
			DBI(acw), DBI(now), DBI(id), DBI(c->version)));
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc == 0)
		return http_fail(r, KF_ECONFLICT, "version", "通话记录已被他人修改，请刷新后重试",
				 "The call record was changed meanwhile; reload and retry");
	json_t *changes = json_deep_copy(r->json);
	json_object_del(changes, "version");
	rc = audit_write(r->db, "call", id, "wrapup", r->user.id, changes);
	json_decref(changes);
	return rc < 0 ? app_db_fail(r, rc, NULL) : 0;
}

int calls_patch(http_req *r)
{
	int64_t id;
	int rc;
	struct wrap w;
	struct call_row c = {0};
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	if ((rc = read_wrap(r, r->json, &w, wrap_keys)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = load_row(r, id, &c)) < 0) {
		db_rollback(r->db);
		return rc;
	}
	int64_t me = r->user.id;
	if (r->user.role < ROLE_SUPERVISOR && c.agent_id != me && c.first_agent_id != me &&
	    c.ringing_agent_id != me) {
		db_rollback(r->db);
		return http_fail(r, KF_EFORBIDDEN, NULL, "只有接听该通话的坐席或主管可以填写小结",
				 "Only the agent on the call or a supervisor may wrap it up");
	}
	if (w.has_version && w.version != c.version) {
		db_rollback(r->db);
		return http_fail(r, KF_ECONFLICT, "version", "通话记录已被他人修改（当前版本 %lld）",
				 "The call record was changed meanwhile (now version %lld)",
				 (long long)c.version);
	}
	if ((rc = apply_wrap(r, id, &w, &c)) < 0) {
		db_rollback(r->db);
		return rc;
	}
	if (db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return call_respond(r, id, 200);
}

/* ---------------------------------------------------------------- outbound records */

static const char *const out_keys[] = {"callee",     "customer_id",  "case_id",     "list_item_id",
				       "started_at", "answered_at",  "ended_at",    "outcome",
				       "wrapup_code", "notes",       "recording_url", "fcr",
				       NULL};

static void json_free(void *p)
{
	json_decref(p);
}

struct outbound {
	struct wrap w;
	const char *callee;
	int64_t list_item_id, started_at, answered_at, ended_at;
};

static int read_outbound(http_req *r, struct outbound *o)
{
	int rc;
	memset(o, 0, sizeof(*o));
	if (!r->json)
		return http_fail(r, KF_EINVAL, "outcome", "缺少必填字段 outcome",
				 "The field outcome is required");
	static const char *const wrap_only[] = {"callee",      "list_item_id", "started_at",
						"answered_at", "ended_at",     NULL};
	/* the wrap-up fields without the outbound ones; its strings are used
	 * until the request ends, which frees it */
	json_t *copy = json_deep_copy(r->json);
	arena_on_release(r->a, json_free, copy);
	for (const char *const *k = wrap_only; *k; k++)
		json_object_del(copy, *k);
	if ((rc = in_only_keys(r, r->json, out_keys, NULL)) < 0 ||
	    (rc = read_wrap(r, copy, &o->w, out_keys)) < 0)
		return rc;
	if (!o->w.outcome)
		return http_fail(r, KF_EINVAL, "outcome", "缺少必填字段 outcome",
				 "The field outcome is required");
	const int64_t lo = 946684800000LL, hi = 4102444800000LL;
	if ((rc = in_str(r, r->json, "callee", 40, 0, &o->callee, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "list_item_id", 1, INT64_MAX, 0, &o->list_item_id, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "started_at", lo, hi, 0, &o->started_at, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "answered_at", lo, hi, 0, &o->answered_at, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "ended_at", lo, hi, 0, &o->ended_at, NULL)) < 0)
		return rc;
	if (o->callee) {
		char e164[PHONE_E164_SIZE];
		kf_err e;
		if (phone_normalize(o->callee, e164, sizeof(e164), &e) < 0) {
			e.field = "callee";
			return in_err(r, &e);
		}
		o->callee = arena_strdup(r->a, e164);
	}
	int64_t now = util_now_ms();
	if (!o->ended_at)
		o->ended_at = now;
	if (!o->started_at)
		o->started_at = o->answered_at ? o->answered_at : o->ended_at;
	if (!o->answered_at && !strcmp(o->w.outcome, "reached"))
		o->answered_at = o->started_at;
	if (o->started_at > o->ended_at || (o->answered_at && (o->answered_at < o->started_at ||
							       o->answered_at > o->ended_at)))
		return http_fail(r, KF_EINVAL, "ended_at", "时间顺序应为 started_at ≤ answered_at ≤ ended_at",
				 "Times must be in order: started_at ≤ answered_at ≤ ended_at");
	return 0;
}

/* A call for a follow-up visit (DOMAIN §3) that did not reach the
 * customer records the visit's outcome "unreachable" (unless the agent
 * said something already); a call that did leaves the record to the
 * agent, who completes and closes the visit. */
static int visit_result(http_req *r, const struct outbound *o, int64_t now)
{
	static const char *const missed[] = {"no_answer", "busy", "voicemail", "failed", NULL};
	int miss = 0;
	for (const char *const *m = missed; *m; m++)
		miss |= !strcmp(*m, o->w.outcome);
	int64_t visit = 0;
	int rc = db_query_int(r->db,
			      "SELECT source_id FROM call_list_items WHERE id = ? AND source = 'followup'",
			      DB_ARGS(DBI(o->list_item_id)), &visit);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW || !visit || !miss)
		return 0;
	rc = db_exec(r->db,
		     "UPDATE followups SET outcome = 'unreachable', updated_at = ?"
		     " WHERE id = ? AND state = 'open' AND outcome IS NULL",
		     DB_ARGS(DBI(now), DBI(visit)));
	return rc < 0 ? app_db_fail(r, rc, NULL) : 0;
}

/* The list item the call answers: attempts, outcome, done or not.  A
 * failed attempt comes back two hours later, outside rest hours. */
static int update_list_item(http_req *r, const struct outbound *o, int64_t call_id)
{
	if (!o->list_item_id)
		return 0;
	int done = !strcmp(o->w.outcome, "reached") || !strcmp(o->w.outcome, "wrong_number") ||
		   !strcmp(o->w.outcome, "refused");
	struct hotline_settings hs;
	hotline_settings_load(r->db, &hs);
	int64_t now = util_now_ms();
	int64_t local = hotline_local_min(&hs, now + 2 * 3600000LL);
	int64_t next = calltime_next_allowed(local, hs.rest, (size_t)hs.nrest, 14 * 1440);
	int64_t again = next < 0 ? now + 2 * 3600000LL : hotline_utc_ms(&hs, next);
	int rc = db_exec(r->db,
			 "UPDATE call_list_items SET attempts = attempts + 1, outcome = ?, call_id = ?,"
			 " status = CASE WHEN ? = 1 THEN 'done' ELSE status END,"
			 " callable_at = CASE WHEN ? = 1 THEN callable_at ELSE ? END, updated_at = ?"
			 " WHERE id = ? AND status = 'pending'",
			 DB_ARGS(DBT(o->w.outcome), DBI(call_id), DBI(done), DBI(done), DBI(again),
				 DBI(now), DBI(o->list_item_id)));
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc == 0)
		return http_fail(r, KF_ECONFLICT, "list_item_id", "外呼任务 %lld 不存在或已完成",
				 "Call list item %lld does not exist or is finished",
				 (long long)o->list_item_id);
	return visit_result(r, o, now);
}

static int64_t insert_outbound(http_req *r, const struct outbound *o, const char *callee)
{
	char key[48];
	util_random_hex(key + 4, 12);
	memcpy(key, "out-", 4);
	int64_t talk = o->answered_at ? o->ended_at - o->answered_at : -1, now = util_now_ms();
	db_stmt *st;
	if (db_query(r->db,
		     "INSERT INTO calls (call_key, direction, state, live, callee, customer_id, case_id,"
		     " agent_id, first_agent_id, offered_at, answered_at, ended_at, talk_ms, outcome,"
		     " wrapup_code, notes, recording_url, fcr, list_item_id, wrapped_at, wrapped_by,"
		     " events, created_at, updated_at)"
		     " VALUES (?, 'outbound', 'ended', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		     " 0, ?, ?) RETURNING id",
		     DB_ARGS(DBT(key), DBT(callee), o->w.customer_id ? DBI(o->w.customer_id) : DBNULL,
			     o->w.case_id ? DBI(o->w.case_id) : DBNULL, DBI(r->user.id),
			     DBI(r->user.id), DBI(o->started_at),
			     o->answered_at ? DBI(o->answered_at) : DBNULL, DBI(o->ended_at),
			     talk >= 0 ? DBI(talk) : DBNULL, DBT(o->w.outcome), DBT(o->w.wrapup_code),
			     DBT(o->w.notes ? o->w.notes : ""),
			     DBT(o->w.recording_url ? o->w.recording_url : ""),
			     o->w.fcr >= 0 ? DBI(o->w.fcr) : DBNULL,
			     o->list_item_id ? DBI(o->list_item_id) : DBNULL,
			     o->w.wrapup_code ? DBI(now) : DBNULL,
			     o->w.wrapup_code ? DBI(r->user.id) : DBNULL, DBI(now), DBI(now)),
		     &st) < 0)
		return -1;
	int64_t id = -1;
	if (db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	else
		log_error("calls: outbound insert: %s", db_errmsg(r->db));
	db_done(st);
	return id;
}

int calls_create(http_req *r)
{
	struct outbound o;
	int rc;
	if ((rc = read_outbound(r, &o)) < 0)
		return rc;
	const char *callee = o.callee;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (!callee && o.w.customer_id) {
		db_stmt *st;
		if (db_query(r->db, "SELECT phone FROM customers WHERE id = ?",
			     DB_ARGS(DBI(o.w.customer_id)), &st) == 0) {
			if (db_step(st) == DB_ROW && !db_col_null(st, 0))
				callee = arena_strdup(r->a, db_col_text(st, 0));
			db_done(st);
		}
	}
	if (!callee) {
		db_rollback(r->db);
		return http_fail(r, KF_EINVAL, "callee", "缺少被叫号码（callee 或有电话的 customer_id）",
				 "The number called is missing (callee, or a customer_id with a phone)");
	}
	int64_t id = insert_outbound(r, &o, callee);
	if (id < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = update_list_item(r, &o, id)) < 0) {
		db_rollback(r->db);
		return rc;
	}
	json_t *changes = json_deep_copy(r->json);
	rc = audit_write(r->db, "call", id, "create", r->user.id, changes);
	json_decref(changes);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return call_respond(r, id, 201);
}
