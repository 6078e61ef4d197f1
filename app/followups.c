/* followups.c - follow-up visits (回访, DOMAIN §3) over HTTP: created by
 * hand (or by the rules, followup_jobs.c), listed on the workbench, the
 * record filled in during the call, and closed only when complete.  The
 * "one avoid" rule is enforced here: a call time inside the company's rest
 * hours or the customer's do-not-disturb windows is refused, with the
 * first allowed time in the message.  A visit closed "not satisfied" opens
 * a case linked to it.  Bodies are read by followup_input.c. */
#include "app/followup.h"
#include "app/followup_input.h"

#include <stdio.h>
#include <string.h>

#include "app/calls.h"
#include "core/calltime.h"
#include "lib/common.h"
#include "lib/util.h"

enum { MAX_WINDOWS = 16 };

int64_t followup_callable_from(db *d, const char *dnd_json, int64_t t)
{
	struct hotline_settings hs;
	struct calltime_window w[MAX_WINDOWS];
	hotline_settings_load(d, &hs);
	size_t n = hotline_call_windows(&hs, dnd_json, w, MAX_WINDOWS);
	/* Whole minutes: a call proposed at 09:00:30 is at 09:00's minute. */
	int64_t lm = hotline_local_min(&hs, t);
	int64_t next = calltime_next_allowed(lm, w, n, 14 * 1440);
	if (next < 0)
		return 0;
	return next == lm ? t : hotline_utc_ms(&hs, next);
}

#define FU_SELECT                                                                                  \
	"SELECT f.id, f.customer_id, c.name, c.value_class, f.kind, f.rule_key, f.case_id,"        \
	" f.assignee_id, f.department_id, f.title, f.due_at, f.call_at, f.state, f.outcome,"       \
	" f.evaluation, f.suggestions, f.next_step, f.result_case_id, f.escalated_at, f.closed_at," \
	" f.closed_by, f.created_by, f.created_at, f.updated_at FROM followups f"                  \
	" JOIN customers c ON c.id = f.customer_id"

static json_t *opt_int(db_stmt *st, int i)
{
	return db_col_null(st, i) ? json_null() : json_integer(db_col_int(st, i));
}

static json_t *opt_text(db_stmt *st, int i)
{
	return db_col_null(st, i) ? json_null() : json_string(db_col_text(st, i));
}

static json_t *fu_json(db_stmt *st, int64_t now)
{
	const char *state = db_col_text(st, 12);
	json_t *o = json_pack(
		"{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:I, s:I, s:s, s:b}", "id",
		(json_int_t)db_col_int(st, 0), "customer_id", (json_int_t)db_col_int(st, 1),
		"customer_name", db_col_text(st, 2), "value_class", db_col_text(st, 3), "kind",
		db_col_text(st, 4), "rule_key", opt_text(st, 5), "case_id", opt_int(st, 6),
		"assignee_id", opt_int(st, 7), "department_id", opt_int(st, 8), "title",
		db_col_text(st, 9), "due_at", (json_int_t)db_col_int(st, 10), "call_at",
		(json_int_t)db_col_int(st, 11), "state", state, "overdue",
		!strcmp(state, "open") && db_col_int(st, 10) < now);
	json_object_set_new(o, "outcome", opt_text(st, 13));
	json_object_set_new(o, "evaluation", json_string(db_col_text(st, 14)));
	json_object_set_new(o, "suggestions", json_string(db_col_text(st, 15)));
	json_object_set_new(o, "next_step", json_string(db_col_text(st, 16)));
	json_object_set_new(o, "result_case_id", opt_int(st, 17));
	json_object_set_new(o, "escalated_at", opt_int(st, 18));
	json_object_set_new(o, "closed_at", opt_int(st, 19));
	json_object_set_new(o, "closed_by", opt_int(st, 20));
	json_object_set_new(o, "created_by", opt_int(st, 21));
	json_object_set_new(o, "created_at", json_integer(db_col_int(st, 22)));
	json_object_set_new(o, "updated_at", json_integer(db_col_int(st, 23)));
	return o;
}

static int respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, FU_SELECT " WHERE f.id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? fu_json(st, util_now_ms()) : NULL;
	db_done(st);
	if (!o)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "回访 %lld 不存在",
					  "Follow-up %lld does not exist", (long long)id);
	return http_json(r, status, o);
}

int followups_get(http_req *r)
{
	int64_t id;
	int rc = http_param_id(r, 0, &id);
	return rc < 0 ? rc : respond(r, id, 200);
}

struct fu_view {
	const char *name;
	const char *where; /* ?s: the user (when mine), now */
	int mine, role;
	const char *order; /* NULL: by due time, key accounts first */
};

/* The closed visits newest first, so that a page of them is the latest. */
#define FU_BY_CLOSED "f.closed_at DESC, f.id DESC"

static const struct fu_view fu_views[] = {
	{"mine_due", "f.assignee_id = ? AND f.state = 'open' AND f.due_at >= ?", 1, ROLE_AGENT, NULL},
	{"mine_overdue", "f.assignee_id = ? AND f.state = 'open' AND f.due_at < ?", 1, ROLE_AGENT, NULL},
	{"mine_done", "f.assignee_id = ? AND f.state = 'done' AND CAST(? AS BIGINT) > 0", 1, ROLE_AGENT,
	 FU_BY_CLOSED},
	{"mine", "f.assignee_id = ? AND CAST(? AS BIGINT) > 0", 1, ROLE_AGENT, NULL},
	{"due", "f.state = 'open' AND f.due_at >= ?", 0, ROLE_SUPERVISOR, NULL},
	{"overdue", "f.state = 'open' AND f.due_at < ?", 0, ROLE_SUPERVISOR, NULL},
	{"done", "f.state = 'done' AND CAST(? AS BIGINT) > 0", 0, ROLE_SUPERVISOR, FU_BY_CLOSED},
	{"all", "CAST(? AS BIGINT) > 0", 0, ROLE_SUPERVISOR, NULL},
	{0},
};

/* GET /api/followups?view=&customer_id=&case_id=&assignee_id=&kind=
 * &closed_from=&closed_to=&limit= (closed_*: epoch ms, [from, to)) ;
 * by due time, key accounts first among visits due at the same time (the
 * done views: the latest closed first). */
int followups_list(http_req *r)
{
	int64_t limit, customer_id, case_id, assignee_id, closed_from, closed_to;
	int rc;
	if ((rc = in_query_int(r, "closed_from", 0, INT64_MAX, 0, &closed_from)) < 0 ||
	    (rc = in_query_int(r, "closed_to", 0, INT64_MAX, 0, &closed_to)) < 0 ||
	    (rc = in_query_int(r, "limit", 1, 500, 100, &limit)) < 0 ||
	    (rc = in_query_int(r, "customer_id", 0, INT64_MAX, 0, &customer_id)) < 0 ||
	    (rc = in_query_int(r, "case_id", 0, INT64_MAX, 0, &case_id)) < 0 ||
	    (rc = in_query_int(r, "assignee_id", 0, INT64_MAX, 0, &assignee_id)) < 0)
		return rc;
	const char *kind = http_query(r, "kind");
	if (kind && !*kind)
		kind = NULL;
	if (kind && strlen(kind) > 40)
		return http_fail(r, KF_EINVAL, "kind", "参数 kind 过长", "The parameter kind is too long");
	const char *vname = http_query(r, "view");
	if (!vname || !*vname)
		vname = customer_id || case_id ? "all" : "mine";
	const struct fu_view *v = fu_views;
	while (v->name && strcmp(v->name, vname))
		v++;
	if (!v->name)
		return http_fail(r, KF_EINVAL, "view",
				 "参数 view 只能是 mine_due、mine_overdue、mine_done、mine、due、overdue、done 或 all",
				 "The parameter view is one of mine_due, mine_overdue, mine_done, mine, due, "
				 "overdue, done, all");
	if (v->role > r->user.role && !customer_id && !case_id)
		return http_fail(r, KF_EFORBIDDEN, "view", "只有主管可以查看全部回访",
				 "Only supervisors may list everyone's follow-ups");
	int64_t now = util_now_ms();
	char *sql = arena_printf(
		r->a,
		FU_SELECT " WHERE %s AND f.customer_id = COALESCE(CAST(? AS BIGINT), f.customer_id)"
			  " AND COALESCE(f.case_id, 0) = COALESCE(CAST(? AS BIGINT), COALESCE(f.case_id, 0))"
			  " AND COALESCE(f.assignee_id, 0) = COALESCE(CAST(? AS BIGINT), COALESCE(f.assignee_id, 0))"
			  " AND f.kind = COALESCE(CAST(? AS TEXT), f.kind)%s%s ORDER BY %s LIMIT ?",
		v->where, closed_from ? " AND f.closed_at >= ?" : "",
		closed_to ? " AND f.closed_at < ?" : "",
		v->order ? v->order : "f.due_at, CASE WHEN c.value_class = 'key' THEN 0 ELSE 1 END, f.id");
	db_val args[9];
	int n = 0;
	if (v->mine)
		args[n++] = DBI(r->user.id);
	args[n++] = DBI(now);
	args[n++] = customer_id ? DBI(customer_id) : DBNULL;
	args[n++] = case_id ? DBI(case_id) : DBNULL;
	args[n++] = assignee_id ? DBI(assignee_id) : DBNULL;
	args[n++] = kind ? DBT(kind) : DBNULL;
	if (closed_from)
		args[n++] = DBI(closed_from);
	if (closed_to)
		args[n++] = DBI(closed_to);
	args[n++] = DBI(limit);
	db_stmt *st;
	if (db_query(r->db, sql, args, n, &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, fu_json(st, now));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200, json_pack("{s:s, s:I, s:o}", "view", v->name, "now",
					   (json_int_t)now, "items", items));
}

/* The customer's DND JSON into *dnd (arena); KF_EINVAL naming customer_id
 * if there is no such customer. */
static int customer_dnd(http_req *r, int64_t customer_id, const char **dnd)
{
	db_stmt *st;
	if (db_query(r->db, "SELECT dnd FROM customers WHERE id = ? AND archived_at IS NULL",
		     DB_ARGS(DBI(customer_id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	*dnd = rc == DB_ROW ? arena_strdup(r->a, db_col_text(st, 0)) : NULL;
	db_done(st);
	if (rc != DB_ROW)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_EINVAL, "customer_id", "客户 %lld 不存在",
					  "Customer %lld does not exist", (long long)customer_id);
	return 0;
}

/* Refuses a call time in rest hours or the customer's DND, naming the
 * first allowed time (company-local "MM-DD HH:MM"). */
static int check_call_at(http_req *r, const char *dnd, int64_t call_at)
{
	int64_t ok = followup_callable_from(r->db, dnd, call_at);
	if (ok == call_at)
		return 0;
	if (!ok)
		return http_fail(r, KF_EINVAL, "call_at", "该客户两周内没有可以致电的时间",
				 "The customer cannot be called at any time in the next two weeks");
	struct hotline_settings hs;
	hotline_settings_load(r->db, &hs);
	int64_t lm = hotline_local_min(&hs, ok);
	int64_t min = lm % 1440;
	char day[11];
	hotline_format_date(lm / 1440, day);
	return http_fail(r, KF_EINVAL, "call_at",
			 "该时间是休息时间或客户的免打扰时段，不能致电；最早可在 %s %02d:%02d 之后",
			 "That time is in rest hours or the customer's do-not-disturb window; the "
			 "first allowed time is %s %02d:%02d",
			 day, (int)(min / 60), (int)(min % 60));
}

/* POST /api/followups: a visit made by hand (kind "manual"); the assignee
 * defaults to the caller, the call time to the first allowed one from now. */
int followups_create(http_req *r)
{
	struct followup_input fi;
	const char *dnd;
	int rc = followup_input_read(r, 1, &fi);
	if (rc < 0)
		return rc;
	int64_t customer_id = fi.customer_id, case_id = fi.case_id, assignee = fi.assignee_id;
	int64_t due_at = fi.due_at, call_at = fi.call_at;
	const char *title = fi.title;
	int has_call = fi.has_call;
	int64_t now = util_now_ms();
	if (!assignee)
		assignee = r->user.id;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int64_t x = 0;
	if ((rc = customer_dnd(r, customer_id, &dnd)) < 0)
		goto fail;
	if (case_id && (db_query_int(r->db, "SELECT customer_id FROM cases WHERE id = ?",
				     DB_ARGS(DBI(case_id)), &x) != DB_ROW ||
			x != customer_id)) {
		rc = http_fail(r, KF_EINVAL, "case_id", "工单 %lld 不存在或不属于该客户",
			       "Case %lld does not exist or is another customer's", (long long)case_id);
		goto fail;
	}
	if (db_query_int(r->db, "SELECT id FROM users WHERE id = ? AND disabled = 0",
			 DB_ARGS(DBI(assignee)), &x) != DB_ROW) {
		rc = http_fail(r, KF_EINVAL, "assignee_id", "用户 %lld 不存在或已停用",
			       "User %lld does not exist or is disabled", (long long)assignee);
		goto fail;
	}
	if (has_call && (rc = check_call_at(r, dnd, call_at)) < 0)
		goto fail;
	if (!has_call && !(call_at = followup_callable_from(r->db, dnd, now)))
		call_at = now;
	db_stmt *st;
	if (db_query(r->db,
		     "INSERT INTO followups (customer_id, kind, case_id, assignee_id, department_id,"
		     " title, due_at, call_at, created_by, created_at, updated_at) VALUES (?, 'manual',"
		     " ?, ?, (SELECT department_id FROM users WHERE id = ?), ?, ?, ?, ?, ?, ?) RETURNING id",
		     DB_ARGS(DBI(customer_id), case_id ? DBI(case_id) : DBNULL, DBI(assignee),
			     DBI(assignee), DBT(title ? title : ""), DBI(due_at), DBI(call_at),
			     DBI(r->user.id), DBI(now), DBI(now)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int64_t id = 0;
	if ((rc = db_step(st)) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return app_db_fail(r, rc < 0 ? rc : DB_EFAIL, NULL);
	if (audit_write(r->db, "followup", id, "create", r->user.id, NULL) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return respond(r, id, 201);
fail:
	db_rollback(r->db);
	return rc;
}

/* The row's customer DND, state and assignee, for a change. */
static int fu_lock(http_req *r, int64_t id, const char **dnd, int *open, int64_t *assignee,
		   int64_t *customer_id)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT c.dnd, f.state, COALESCE(f.assignee_id, 0), f.customer_id FROM followups f"
		     " JOIN customers c ON c.id = f.customer_id WHERE f.id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*dnd = arena_strdup(r->a, db_col_text(st, 0));
		*open = !strcmp(db_col_text(st, 1), "open");
		*assignee = db_col_int(st, 2);
		*customer_id = db_col_int(st, 3);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "回访 %lld 不存在",
					  "Follow-up %lld does not exist", (long long)id);
	if (*assignee != r->user.id && r->user.role < ROLE_SUPERVISOR)
		return http_fail(r, KF_EFORBIDDEN, "id", "只有负责人或主管可以修改这次回访",
				 "Only the assignee or a supervisor may change this follow-up");
	if (!*open)
		return http_fail(r, KF_ECONFLICT, "state", "回访已结束，不能再修改",
				 "The follow-up is closed");
	return 0;
}

/* PATCH /api/followups/{id}: the record as the call goes, or a new call
 * time (checked against rest hours and DND). */
int followups_patch(http_req *r)
{
	int64_t id, cur_assignee, customer_id;
	struct followup_input fi;
	const char *dnd;
	int rc, open;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = followup_input_read(r, 0, &fi)) < 0)
		return rc;
	int64_t call_at = fi.call_at, due_at = fi.due_at, assignee = fi.assignee_id;
	int has_call = fi.has_call, has_as = fi.has_assignee;
	const char *title = fi.title, *outcome = fi.outcome, *eval = fi.evaluation;
	const char *sugg = fi.suggestions, *next = fi.next_step;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = fu_lock(r, id, &dnd, &open, &cur_assignee, &customer_id)) < 0 ||
	    (has_call && call_at && (rc = check_call_at(r, dnd, call_at)) < 0)) {
		db_rollback(r->db);
		return rc;
	}
	int64_t x;
	if (has_as && assignee &&
	    db_query_int(r->db, "SELECT id FROM users WHERE id = ? AND disabled = 0",
			 DB_ARGS(DBI(assignee)), &x) != DB_ROW) {
		db_rollback(r->db);
		return http_fail(r, KF_EINVAL, "assignee_id", "用户 %lld 不存在或已停用",
				 "User %lld does not exist or is disabled", (long long)assignee);
	}
	int64_t now = util_now_ms();
	if (db_exec(r->db,
		    "UPDATE followups SET call_at = COALESCE(CAST(? AS BIGINT), call_at),"
		    " due_at = COALESCE(CAST(? AS BIGINT), due_at),"
		    " assignee_id = COALESCE(CAST(? AS BIGINT), assignee_id),"
		    " title = COALESCE(CAST(? AS TEXT), title), outcome = COALESCE(CAST(? AS TEXT), outcome),"
		    " evaluation = COALESCE(CAST(? AS TEXT), evaluation),"
		    " suggestions = COALESCE(CAST(? AS TEXT), suggestions),"
		    " next_step = COALESCE(CAST(? AS TEXT), next_step), updated_at = ? WHERE id = ?",
		    DB_ARGS(call_at ? DBI(call_at) : DBNULL, due_at ? DBI(due_at) : DBNULL,
			    assignee ? DBI(assignee) : DBNULL, DBT(title), DBT(outcome), DBT(eval),
			    DBT(sugg), DBT(next), DBI(now), DBI(id))) != 1 ||
	    audit_write(r->db, "followup", id, "update", r->user.id, r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return respond(r, id, 200);
}

/* Opens the case a "not satisfied" visit calls for, through the cases
 * API's own handler (cases_create, its own transaction), and returns its
 * id from the answer. */
static int open_case(http_req *r, int64_t fu_id, int64_t customer_id, const char *eval,
		     int64_t *case_id)
{
	json_t *saved = r->json;
	r->json = json_pack("{s:s, s:s, s:s, s:I, s:s}", "type", "complaint", "channel", "phone",
			    "subject", arena_printf(r->a, "回访不满意（回访 #%lld）", (long long)fu_id),
			    "customer_id", (json_int_t)customer_id, "description", eval ? eval : "");
	int rc = cases_create(r);
	json_decref(r->json);
	r->json = saved;
	if (rc < 0)
		return rc;
	if (r->status != 201)
		return KF_EINVAL; /* the cases API answered with its problem */
	json_t *o = r->resp ? json_loadb(r->resp, r->resp_len, 0, NULL) : NULL;
	*case_id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	return *case_id ? 0 : http_fail(r, KF_EINTERNAL, NULL, "工单没有建成", "The case was not opened");
}

/* POST /api/followups/{id}/close: only a complete record closes a visit
 * (outcome, evaluation, suggestions, next step: 422 naming each missing
 * one).  "not_satisfied" opens a complaint case linked to the visit. */
int followups_close(http_req *r)
{
	int64_t id, assignee, customer_id;
	const char *dnd;
	int rc, open;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = fu_lock(r, id, &dnd, &open, &assignee, &customer_id)) < 0) {
		db_rollback(r->db);
		return rc;
	}
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT COALESCE(outcome, ''), evaluation, suggestions, next_step FROM followups"
		     " WHERE id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	static const char *const need[] = {"outcome", "evaluation", "suggestions", "next_step"};
	char missing[80] = "";
	const char *first = NULL;
	for (int i = 0; i < 4; i++) {
		const char *v = db_col_text(st, i);
		if (v[strspn(v, " \t\r\n")])
			continue;
		if (!first)
			first = need[i];
		size_t l = strlen(missing);
		snprintf(missing + l, sizeof(missing) - l, "%s%s", l ? ", " : "", need[i]);
	}
	const char *outcome = arena_strdup(r->a, db_col_text(st, 0));
	const char *eval = arena_strdup(r->a, db_col_text(st, 1));
	db_done(st);
	db_rollback(r->db);
	if (first)
		return http_fail(r, KF_EINVAL, first,
				 "回访记录不完整，请先填写结果、评价、建议和下一步（缺少：%s）",
				 "The visit record is incomplete; missing: %s", missing);
	int64_t case_id = 0;
	if (!strcmp(outcome, "not_satisfied") &&
	    (rc = open_case(r, id, customer_id, eval, &case_id)) < 0)
		return rc;
	int64_t now = util_now_ms();
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_exec(r->db,
		     "UPDATE followups SET state = 'done', closed_at = ?, closed_by = ?,"
		     " result_case_id = ?, updated_at = ? WHERE id = ? AND state = 'open'",
		     DB_ARGS(DBI(now), DBI(r->user.id), case_id ? DBI(case_id) : DBNULL, DBI(now),
			     DBI(id)));
	if (rc == 0) {
		db_rollback(r->db);
		return http_fail(r, KF_ECONFLICT, "state", "回访已结束", "The follow-up is closed");
	}
	json_t *ch = json_pack("{s:s}", "outcome", outcome);
	rc = rc < 0 ? rc : audit_write(r->db, "followup", id, "close", r->user.id, ch);
	json_decref(ch);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return respond(r, id, 200);
}

/* GET /api/followups/call-time?customer_id=&at= : the first time >= at
 * (default now) the customer may be called. */
int followups_call_time(http_req *r)
{
	int64_t customer_id, at;
	const char *dnd;
	int rc;
	if ((rc = in_query_int(r, "customer_id", 1, INT64_MAX, 0, &customer_id)) < 0 ||
	    (rc = in_query_int(r, "at", 1, INT64_MAX, util_now_ms(), &at)) < 0)
		return rc;
	if (!customer_id)
		return http_fail(r, KF_EINVAL, "customer_id", "缺少参数 customer_id",
				 "The parameter customer_id is required");
	if ((rc = customer_dnd(r, customer_id, &dnd)) < 0)
		return rc;
	int64_t ok = followup_callable_from(r->db, dnd, at);
	return http_json(r, 200, json_pack("{s:I, s:o, s:b}", "at", (json_int_t)at, "call_at",
					   ok ? json_integer(ok) : json_null(), "allowed", ok == at));
}
