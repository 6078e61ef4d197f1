/* case_assign.c - who handles a case.
 *
 * Automatic assignment (on create) gives a case to the least-loaded
 * active agent of its department whose capability reaches the case's
 * required level; the load is the number of open cases, kept in
 * case_load with every change so that no cases are counted here.  When
 * no agent qualifies the case waits, unassigned, in the department's
 * queue, where POST /api/cases/next lets an agent who frees up take the
 * first one (key accounts first, then priority, then due time). */
#include "app/case.h"

#include "app/webhook.h"
#include "lib/common.h"
#include "lib/util.h"

int case_pick_agent(db *d, int64_t department_id, int capability, int64_t *agent, kf_err *e)
{
	db_stmt *st;
	*agent = 0;
	if (db_query(d,
		     "SELECT u.id FROM users u LEFT JOIN case_load l ON l.user_id = u.id"
		     " WHERE u.role = 'agent' AND u.disabled = 0 AND u.department_id = ?"
		     " AND u.capability >= ? ORDER BY COALESCE(l.open_cases, 0), u.id LIMIT 1",
		     DB_ARGS(DBI(department_id), DBI(capability)), &st) < 0)
		return kf_fail(e, KF_EDB, NULL, NULL, NULL);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*agent = db_col_int(st, 0);
	db_done(st);
	return rc < 0 ? kf_fail(e, KF_EDB, NULL, NULL, NULL) : 0;
}

int case_emit_assigned(db *d, int64_t case_id, int64_t from, int64_t to, int64_t by, int taken)
{
	json_t *x = json_pack("{s:{s:o, s:o, s:I, s:b}}", "assignment", "from", case_json_time(from),
			      "to", case_json_time(to), "by", (json_int_t)by, "taken", taken);
	int rc = webhook_emit_case(d, "case.assigned", case_id, x);
	json_decref(x);
	return rc < 0 ? rc : 0;
}

int case_check_assignee(http_req *r, int64_t uid, const char *field)
{
	int64_t disabled;
	int rc = db_query_int(r->db, "SELECT disabled FROM users WHERE id = ?", DB_ARGS(DBI(uid)),
			      &disabled);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW || disabled)
		return http_fail(r, KF_EINVAL, field, "用户 %lld 不存在或已停用",
				 "User %lld does not exist or is disabled", (long long)uid);
	return 0;
}

/* Takes the first unassigned open case of the caller's department whose
 * required capability the caller has. */
int cases_next(http_req *r)
{
	if (!r->user.department_id)
		return http_fail(r, KF_EINVAL, "department_id", "您不属于任何部门，没有工单队列",
				 "You belong to no department, so you have no queue");
	int64_t now = util_now_ms();
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	db_stmt *st;
	const char *sql = arena_printf(r->a,
				       "SELECT c.id FROM %s WHERE c.department_id = ? AND c.assignee_id IS NULL"
				       " AND c.is_open = 1 AND c.required_capability <= ?"
				       " ORDER BY c.queue_rank, c.id LIMIT 1",
				       case_queue_from(r->db));
	if (db_query(r->db, sql, DB_ARGS(DBI(r->user.department_id), DBI(r->user.capability)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (!id) {
		db_rollback(r->db);
		return http_no_content(r);
	}
	struct case_row c;
	kf_err e;
	kf_err_clear(&e);
	if (case_read(r->db, r->a, id, &c, &e) < 0) {
		db_rollback(r->db);
		return in_err(r, &e);
	}
	struct case_upd u;
	case_upd_init(&u);
	case_upd_int(&u, "assignee_id", r->user.id);
	c.assignee_id = r->user.id;
	case_upd_derived(&u, &c);
	rc = case_upd_exec(r->db, &u, &c, now);
	json_t *data = json_pack("{s:n, s:I, s:b}", "from", "to", (json_int_t)r->user.id, "taken", 1);
	if (rc > 0 && (case_load_adjust(r->db, r->user.id, 1) < 0 ||
		       case_event_add(r->db, id, "assignment", r->user.id, 0, "", data, now) < 0 ||
		       audit_write(r->db, "case", id, "assign", r->user.id, u.changes) < 0 ||
		       case_emit_assigned(r->db, id, 0, r->user.id, r->user.id, 1) < 0))
		rc = -1;
	json_decref(data);
	case_upd_release(&u);
	if (rc <= 0 || db_commit(r->db) < 0) {
		db_rollback(r->db);
		return rc == 0 ? case_stale(r, &c) : app_db_fail(r, DB_EFAIL, NULL);
	}
	return case_respond(r, id, 200);
}
