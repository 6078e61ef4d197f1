/* case_plans.c - resolution plans (方案) of a complaint: the department
 * proposes one or more, a supervisor approves one (the case moves on to
 * handling, the others are superseded) or rejects one with a reason.
 * These routes are the workflow's propose_plan / approve_plan /
 * reject_plan steps (case_flow.c) under names that read well. */
#include "app/case.h"

#include <string.h>

#include "lib/common.h"
#include "lib/jw.h"

static void who(jw *w, const char *key, db_stmt *st, int id_col, int name_col)
{
	jw_key(w, key);
	if (db_col_null(st, id_col)) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, id_col));
	jw_key(w, "display_name");
	jw_str(w, db_col_text(st, name_col));
	jw_obj_end(w);
}

static void opt_int(jw *w, const char *key, db_stmt *st, int i)
{
	jw_key(w, key);
	if (db_col_null(st, i))
		jw_null(w);
	else
		jw_int(w, db_col_int(st, i));
}

int case_plans_write(db *d, jw *w, int64_t id)
{
	db_stmt *st;
	if (db_query(d,
		     "SELECT p.id, p.kind, p.description, p.amount_fen, p.status, p.proposed_by,"
		     " u.display_name, p.proposed_at, p.decided_by, v.display_name, p.decided_at,"
		     " p.decision_note FROM case_plans p LEFT JOIN users u ON u.id = p.proposed_by"
		     " LEFT JOIN users v ON v.id = p.decided_by WHERE p.case_id = ? ORDER BY p.id LIMIT 200",
		     DB_ARGS(DBI(id)), &st) < 0)
		return DB_EFAIL;
	int rc;
	jw_arr(w);
	while ((rc = db_step(st)) == DB_ROW) {
		jw_obj(w);
		jw_key(w, "id");
		jw_int(w, db_col_int(st, 0));
		jw_key(w, "kind");
		jw_str(w, db_col_text(st, 1));
		jw_key(w, "description");
		jw_str(w, db_col_text(st, 2));
		opt_int(w, "amount_fen", st, 3);
		jw_key(w, "status");
		jw_str(w, db_col_text(st, 4));
		who(w, "proposed_by", st, 5, 6);
		jw_key(w, "proposed_at");
		jw_int(w, db_col_int(st, 7));
		who(w, "decided_by", st, 8, 9);
		opt_int(w, "decided_at", st, 10);
		jw_key(w, "decision_note");
		jw_str(w, db_col_text(st, 11));
		jw_obj_end(w);
	}
	jw_arr_end(w);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int case_plans_list(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	struct case_row c;
	if ((rc = case_fetch(r, id, &c)) < 0)
		return rc;
	buf b;
	buf_init(&b, 4 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "items");
	rc = case_plans_write(r->db, &w, id);
	jw_obj_end(&w);
	if (rc < 0 || jw_failed(&w)) {
		buf_release(&b);
		return rc < 0 ? app_db_fail(r, rc, NULL) : http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}

static const char *const propose_keys[] = {"kind", "description", "amount_fen", "note", "version",
					   NULL};

int case_plan_input(http_req *r, int64_t plan_id, json_t **in)
{
	int rc;
	*in = NULL;
	if (plan_id) {
		if (json_object_get(r->json, "plan_id"))
			return http_fail(r, KF_EINVAL, "plan_id", "方案编号在路径中给出",
					 "The plan id is in the path");
		*in = r->json ? json_deep_copy(r->json) : json_object();
		json_object_set_new(*in, "plan_id", json_integer(plan_id));
		return 0;
	}
	if (!r->json)
		return http_fail(r, KF_EINVAL, "kind", "缺少必填字段 kind", "The field kind is required");
	if ((rc = in_only_keys(r, r->json, propose_keys, NULL)) < 0)
		return rc;
	/* The step takes the plan as one field; errors still name plan.kind etc. */
	json_t *plan = json_object();
	const char *k;
	json_t *v;
	*in = json_object();
	json_object_foreach(r->json, k, v)
	{
		if (!strcmp(k, "note") || !strcmp(k, "version"))
			json_object_set(*in, k, v);
		else
			json_object_set(plan, k, v);
	}
	json_object_set_new(*in, "plan", plan);
	return 0;
}

int case_plans_create(http_req *r)
{
	int64_t id;
	json_t *in;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = case_plan_input(r, 0, &in)) < 0)
		return rc;
	rc = case_step_request(r, id, CASE_A_PROPOSE_PLAN, in, 201);
	json_decref(in);
	return rc;
}

static int decide(http_req *r, enum case_action a)
{
	int64_t id, pid;
	json_t *in;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = http_param_id(r, 1, &pid)) < 0 ||
	    (rc = case_plan_input(r, pid, &in)) < 0)
		return rc;
	rc = case_step_request(r, id, a, in, 200);
	json_decref(in);
	return rc;
}

int case_plans_approve(http_req *r)
{
	return decide(r, CASE_A_APPROVE_PLAN);
}

int case_plans_reject(http_req *r)
{
	return decide(r, CASE_A_REJECT_PLAN);
}
