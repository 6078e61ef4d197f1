/* commitments.c - promises made to customers (承诺, DOMAIN §2): each one
 * recorded with its due date, its maker and the case or visit it came
 * from; listed on the workbench while due or overdue; recorded as kept or
 * broken exactly once; counted into a fulfilment rate per agent and per
 * department.  Overdue ones are escalated by the follow-up scan
 * (followup_jobs.c).  Bodies are read by commitment_input.c. */
#include "app/followup_input.h"

#include <string.h>

#include "lib/common.h"
#include "lib/util.h"

#define COMMIT_SELECT                                                                              \
	"SELECT m.id, m.customer_id, c.name, m.case_id, m.followup_id, m.content, m.due_at,"      \
	" m.made_by, u.display_name, m.department_id, m.state, m.resolved_at, m.resolved_by,"     \
	" m.resolution_note, m.escalated_at, m.created_at, m.updated_at FROM commitments m"       \
	" JOIN customers c ON c.id = m.customer_id JOIN users u ON u.id = m.made_by"

static json_t *opt_int(db_stmt *st, int i)
{
	return db_col_null(st, i) ? json_null() : json_integer(db_col_int(st, i));
}

/* The JSON of one commitment; overdue is computed against now. */
static json_t *commit_json(db_stmt *st, int64_t now)
{
	const char *state = db_col_text(st, 10);
	int overdue = !strcmp(state, "open") && db_col_int(st, 6) < now;
	return json_pack("{s:I, s:I, s:s, s:o, s:o, s:s, s:I, s:I, s:s, s:o, s:s, s:b, s:o, s:o,"
			 " s:s, s:o, s:I, s:I}",
			 "id", (json_int_t)db_col_int(st, 0), "customer_id",
			 (json_int_t)db_col_int(st, 1), "customer_name", db_col_text(st, 2), "case_id",
			 opt_int(st, 3), "followup_id", opt_int(st, 4), "content", db_col_text(st, 5),
			 "due_at", (json_int_t)db_col_int(st, 6), "made_by",
			 (json_int_t)db_col_int(st, 7), "made_by_name", db_col_text(st, 8),
			 "department_id", opt_int(st, 9), "state", state, "overdue", overdue,
			 "resolved_at", opt_int(st, 11), "resolved_by", opt_int(st, 12),
			 "resolution_note", db_col_text(st, 13), "escalated_at", opt_int(st, 14),
			 "created_at", (json_int_t)db_col_int(st, 15), "updated_at",
			 (json_int_t)db_col_int(st, 16));
}

static int respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, COMMIT_SELECT " WHERE m.id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? commit_json(st, util_now_ms()) : NULL;
	db_done(st);
	if (!o)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "承诺 %lld 不存在",
					  "Commitment %lld does not exist", (long long)id);
	return http_json(r, status, o);
}

int commitments_get(http_req *r)
{
	int64_t id;
	int rc = http_param_id(r, 0, &id);
	return rc < 0 ? rc : respond(r, id, 200);
}

/* One row of the views table: what ?view= selects and who may ask. */
struct commit_view {
	const char *name;
	const char *where; /* after "WHERE "; ?1 = user id, ?2 = now */
	int mine;          /* binds the signed-in user */
	int role;          /* least role */
	const char *order; /* NULL: by due time */
};

/* Kept and broken ones newest first, so that a page of them is the latest. */
#define COMMIT_BY_RESOLVED "m.resolved_at DESC, m.id DESC"

static const struct commit_view commit_views[] = {
	{"mine_due", "m.made_by = ? AND m.state = 'open' AND m.due_at >= ?", 1, ROLE_AGENT, NULL},
	{"mine_overdue", "m.made_by = ? AND m.state = 'open' AND m.due_at < ?", 1, ROLE_AGENT, NULL},
	{"mine_resolved", "m.made_by = ? AND m.state <> 'open' AND CAST(? AS BIGINT) > 0", 1,
	 ROLE_AGENT, COMMIT_BY_RESOLVED},
	{"mine", "m.made_by = ? AND CAST(? AS BIGINT) > 0", 1, ROLE_AGENT, NULL},
	{"due", "m.state = 'open' AND m.due_at >= ?", 0, ROLE_SUPERVISOR, NULL},
	{"overdue", "m.state = 'open' AND m.due_at < ?", 0, ROLE_SUPERVISOR, NULL},
	{"resolved", "m.state <> 'open' AND CAST(? AS BIGINT) > 0", 0, ROLE_SUPERVISOR,
	 COMMIT_BY_RESOLVED},
	{"all", "CAST(? AS BIGINT) > 0", 0, ROLE_SUPERVISOR, NULL},
	{0},
};

/* The state filter of the list: a stored state, or kept split by whether
 * it was recorded by the due time (the fulfilment report's columns). */
static const struct {
	const char *name, *where;
} commit_states[] = {
	{"open", "m.state = 'open'"},
	{"kept", "m.state = 'kept'"},
	{"kept_on_time", "m.state = 'kept' AND m.resolved_at <= m.due_at"},
	{"kept_late", "m.state = 'kept' AND m.resolved_at > m.due_at"},
	{"broken", "m.state = 'broken'"},
};

/* GET /api/commitments?view=&customer_id=&case_id=&made_by=&department_id=
 * &state=&due_from=&due_to=&limit= (due_*: epoch ms, [from, to));
 * ordered by due time (the resolved views: the latest resolved first).  A
 * customer_id or case_id filter alone (no view) lists that customer's or
 * case's commitments for anyone signed in. */
int commitments_list(http_req *r)
{
	int64_t limit, customer_id, case_id, made_by, dept, due_from, due_to;
	int rc;
	if ((rc = in_query_int(r, "department_id", 0, INT64_MAX, 0, &dept)) < 0 ||
	    (rc = in_query_int(r, "due_from", 0, INT64_MAX, 0, &due_from)) < 0 ||
	    (rc = in_query_int(r, "due_to", 0, INT64_MAX, 0, &due_to)) < 0 ||
	    (rc = in_query_int(r, "limit", 1, 500, 100, &limit)) < 0 ||
	    (rc = in_query_int(r, "customer_id", 0, INT64_MAX, 0, &customer_id)) < 0 ||
	    (rc = in_query_int(r, "case_id", 0, INT64_MAX, 0, &case_id)) < 0 ||
	    (rc = in_query_int(r, "made_by", 0, INT64_MAX, 0, &made_by)) < 0)
		return rc;
	const char *sname = http_query(r, "state"), *state_where = NULL;
	for (size_t i = 0; sname && *sname && i < KF_ARRAY_LEN(commit_states); i++)
		if (!strcmp(commit_states[i].name, sname))
			state_where = commit_states[i].where;
	if (sname && *sname && !state_where)
		return http_fail(r, KF_EINVAL, "state",
				 "参数 state 只能是 open、kept、kept_on_time、kept_late 或 broken",
				 "The parameter state is one of open, kept, kept_on_time, kept_late, broken");
	const char *vname = http_query(r, "view");
	if (!vname || !*vname)
		vname = customer_id || case_id ? "all" : "mine";
	const struct commit_view *v = commit_views;
	while (v->name && strcmp(v->name, vname))
		v++;
	if (!v->name)
		return http_fail(r, KF_EINVAL, "view",
				 "参数 view 只能是 mine_due、mine_overdue、mine_resolved、mine、due、overdue、"
				 "resolved 或 all",
				 "The parameter view is one of mine_due, mine_overdue, mine_resolved, mine, "
				 "due, overdue, resolved, all");
	if (v->role > r->user.role && !customer_id && !case_id)
		return http_fail(r, KF_EFORBIDDEN, "view", "只有主管可以查看全部承诺",
				 "Only supervisors may list everyone's commitments");
	int64_t now = util_now_ms();
	char *sql = arena_printf(r->a,
				 COMMIT_SELECT " WHERE %s AND m.customer_id = COALESCE(CAST(? AS BIGINT),"
				 " m.customer_id) AND COALESCE(m.case_id, 0) = COALESCE(CAST(? AS BIGINT),"
				 " COALESCE(m.case_id, 0)) AND m.made_by = COALESCE(CAST(? AS BIGINT),"
				 " m.made_by)%s%s%s%s%s ORDER BY %s LIMIT ?",
				 v->where, dept ? " AND m.department_id = ?" : "",
				 due_from ? " AND m.due_at >= ?" : "", due_to ? " AND m.due_at < ?" : "",
				 state_where ? " AND " : "", state_where ? state_where : "",
				 v->order ? v->order : "m.due_at, m.id");
	db_val args[9];
	int n = 0;
	if (v->mine)
		args[n++] = DBI(r->user.id);
	args[n++] = DBI(now);
	args[n++] = customer_id ? DBI(customer_id) : DBNULL;
	args[n++] = case_id ? DBI(case_id) : DBNULL;
	args[n++] = made_by ? DBI(made_by) : DBNULL;
	if (dept)
		args[n++] = DBI(dept);
	if (due_from)
		args[n++] = DBI(due_from);
	if (due_to)
		args[n++] = DBI(due_to);
	args[n++] = DBI(limit);
	db_stmt *st;
	if (db_query(r->db, sql, args, n, &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, commit_json(st, now));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200, json_pack("{s:s, s:I, s:o}", "view", v->name, "now",
					   (json_int_t)now, "items", items));
}

/* Fails unless the case exists and belongs to the customer. */
static int check_source(http_req *r, int64_t customer_id, int64_t case_id, int64_t followup_id)
{
	int64_t owner = 0;
	int rc;
	if ((rc = db_query_int(r->db, "SELECT id FROM customers WHERE id = ? AND archived_at IS NULL",
			       DB_ARGS(DBI(customer_id)), &owner)) != DB_ROW)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_EINVAL, "customer_id", "客户 %lld 不存在",
					  "Customer %lld does not exist", (long long)customer_id);
	if (case_id) {
		rc = db_query_int(r->db, "SELECT customer_id FROM cases WHERE id = ?",
				  DB_ARGS(DBI(case_id)), &owner);
		if (rc < 0)
			return app_db_fail(r, rc, NULL);
		if (rc != DB_ROW || owner != customer_id)
			return http_fail(r, KF_EINVAL, "case_id", "工单 %lld 不存在或不属于该客户",
					 "Case %lld does not exist or is another customer's",
					 (long long)case_id);
	}
	if (followup_id) {
		rc = db_query_int(r->db, "SELECT customer_id FROM followups WHERE id = ?",
				  DB_ARGS(DBI(followup_id)), &owner);
		if (rc < 0)
			return app_db_fail(r, rc, NULL);
		if (rc != DB_ROW || owner != customer_id)
			return http_fail(r, KF_EINVAL, "followup_id", "回访 %lld 不存在或不属于该客户",
					 "Follow-up %lld does not exist or is another customer's",
					 (long long)followup_id);
	}
	return 0;
}

/* POST /api/commitments: the maker is the signed-in user. */
int commitments_create(http_req *r)
{
	struct commitment_input ci;
	int64_t now = util_now_ms();
	int rc = commitment_input_read(r, now, &ci);
	if (rc < 0)
		return rc;
	int64_t customer_id = ci.customer_id, case_id = ci.case_id, followup_id = ci.followup_id;
	int64_t due_at = ci.due_at;
	const char *content = ci.content;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = check_source(r, customer_id, case_id, followup_id)) < 0) {
		db_rollback(r->db);
		return rc;
	}
	db_stmt *st;
	int64_t id = 0;
	if (db_query(r->db,
		     "INSERT INTO commitments (customer_id, case_id, followup_id, content, due_at,"
		     " made_by, department_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
		     " RETURNING id",
		     DB_ARGS(DBI(customer_id), case_id ? DBI(case_id) : DBNULL,
			     followup_id ? DBI(followup_id) : DBNULL, DBT(content), DBI(due_at),
			     DBI(r->user.id),
			     r->user.department_id ? DBI(r->user.department_id) : DBNULL, DBI(now),
			     DBI(now)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = db_step(st)) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return app_db_fail(r, rc < 0 ? rc : DB_EFAIL, NULL);
	json_t *ch = json_pack("{s:I, s:s, s:I}", "customer_id", (json_int_t)customer_id,
			       "content", content, "due_at", (json_int_t)due_at);
	rc = audit_write(r->db, "commitment", id, "create", r->user.id, ch);
	json_decref(ch);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return respond(r, id, 201);
}

/* POST /api/commitments/{id}/outcome {outcome: kept|broken, note}: once,
 * by the maker or a supervisor. */
int commitments_outcome(http_req *r)
{
	int64_t id;
	const char *outcome, *note;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = commitment_outcome_read(r, &outcome, &note)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	db_stmt *st;
	if (db_query(r->db, "SELECT made_by, state FROM commitments WHERE id = ?", DB_ARGS(DBI(id)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_step(st);
	int64_t maker = rc == DB_ROW ? db_col_int(st, 0) : 0;
	int open = rc == DB_ROW && !strcmp(db_col_text(st, 1), "open");
	db_done(st);
	if (rc != DB_ROW) {
		db_rollback(r->db);
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "承诺 %lld 不存在",
					  "Commitment %lld does not exist", (long long)id);
	}
	if (maker != r->user.id && r->user.role < ROLE_SUPERVISOR) {
		db_rollback(r->db);
		return http_fail(r, KF_EFORBIDDEN, "id", "只有承诺人或主管可以登记结果",
				 "Only the maker or a supervisor records the outcome");
	}
	if (!open) {
		db_rollback(r->db);
		return http_fail(r, KF_ECONFLICT, "outcome", "该承诺的结果已经登记过",
				 "The outcome of this commitment is recorded already");
	}
	int64_t now = util_now_ms();
	if (db_exec(r->db,
		    "UPDATE commitments SET state = ?, resolved_at = ?, resolved_by = ?,"
		    " resolution_note = ?, updated_at = ? WHERE id = ? AND state = 'open'",
		    DB_ARGS(DBT(outcome), DBI(now), DBI(r->user.id), DBT(note ? note : ""), DBI(now),
			    DBI(id))) != 1)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *ch = json_pack("{s:[s,s]}", "state", "open", outcome);
	rc = audit_write(r->db, "commitment", id, outcome, r->user.id, ch);
	json_decref(ch);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return respond(r, id, 200);
}

/* GET /api/commitments/stats?by=agent|department&from=&to= : per maker or
 * per department, of the commitments due in [from, to): kept, broken,
 * open and overdue, open and not yet due, and the fulfilment rate
 * kept / (kept + broken + overdue) in basis points (null when nothing
 * counts yet).  An overdue open promise counts as not kept: it is one. */
int commitments_stats(http_req *r)
{
	int64_t from, to;
	int rc;
	if ((rc = in_query_int(r, "from", 0, INT64_MAX, 0, &from)) < 0 ||
	    (rc = in_query_int(r, "to", 0, INT64_MAX, INT64_MAX, &to)) < 0)
		return rc;
	const char *by = http_query(r, "by");
	if (!by || !*by)
		by = "agent";
	int per_dept = !strcmp(by, "department");
	if (!per_dept && strcmp(by, "agent"))
		return http_fail(r, KF_EINVAL, "by", "参数 by 只能是 agent 或 department",
				 "The parameter by is agent or department");
	int64_t now = util_now_ms();
	const char *sql =
		per_dept
			? "SELECT m.department_id, COALESCE(MAX(d.name), ''),"
			  " SUM(CASE WHEN m.state = 'kept' THEN 1 ELSE 0 END),"
			  " SUM(CASE WHEN m.state = 'broken' THEN 1 ELSE 0 END),"
			  " SUM(CASE WHEN m.state = 'open' AND m.due_at < ? THEN 1 ELSE 0 END),"
			  " SUM(CASE WHEN m.state = 'open' AND m.due_at >= ? THEN 1 ELSE 0 END)"
			  " FROM commitments m LEFT JOIN departments d ON d.id = m.department_id"
			  " WHERE m.due_at >= ? AND m.due_at < ? GROUP BY m.department_id"
			  " ORDER BY m.department_id"
			: "SELECT m.made_by, MAX(u.display_name),"
			  " SUM(CASE WHEN m.state = 'kept' THEN 1 ELSE 0 END),"
			  " SUM(CASE WHEN m.state = 'broken' THEN 1 ELSE 0 END),"
			  " SUM(CASE WHEN m.state = 'open' AND m.due_at < ? THEN 1 ELSE 0 END),"
			  " SUM(CASE WHEN m.state = 'open' AND m.due_at >= ? THEN 1 ELSE 0 END)"
			  " FROM commitments m JOIN users u ON u.id = m.made_by"
			  " WHERE m.due_at >= ? AND m.due_at < ? GROUP BY m.made_by ORDER BY m.made_by";
	db_stmt *st;
	if (db_query(r->db, sql, DB_ARGS(DBI(now), DBI(now), DBI(from), DBI(to)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t kept = db_col_int(st, 2), broken = db_col_int(st, 3),
			overdue = db_col_int(st, 4), pending = db_col_int(st, 5);
		int64_t denom = kept + broken + overdue;
		json_array_append_new(
			items, json_pack("{s:o, s:s, s:I, s:I, s:I, s:I, s:o}",
					 per_dept ? "department_id" : "user_id", opt_int(st, 0),
					 "name", db_col_text(st, 1), "kept", (json_int_t)kept,
					 "broken", (json_int_t)broken, "overdue", (json_int_t)overdue,
					 "pending", (json_int_t)pending, "rate_bp",
					 denom ? json_integer(kept * 10000 / denom) : json_null()));
	}
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200, json_pack("{s:s, s:I, s:o}", "by", by, "now", (json_int_t)now,
					   "items", items));
}
