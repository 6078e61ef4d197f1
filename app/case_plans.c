/* case_plans.c - resolution plans (方案) of a complaint: the department
 * proposes one or more, a supervisor approves one (the case moves on to
 * handling, the others are superseded) or rejects one with a reason.
 * These routes are the workflow's propose_plan / approve_plan /
 * reject_plan steps (case_flow.c) under names that read well. */
#include "app/case.h"

#include <string.h>

#include "lib/common.h"

static json_t *who(db_stmt *st, int id_col, int name_col)
{
	if (db_col_null(st, id_col))
		return json_null();
	return json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, id_col), "display_name",
			 db_col_text(st, name_col));
}

static json_t *opt_int(db_stmt *st, int i)
{
	return db_col_null(st, i) ? json_null() : json_integer(db_col_int(st, i));
}

json_t *case_plans_json(http_req *r, int64_t id)
{
	db_stmt *st;
	json_t *items = json_array();
	if (db_query(r->db,
		     "SELECT p.id, p.kind, p.description, p.amount_fen, p.status, p.proposed_by,"
		     " u.display_name, p.proposed_at, p.decided_by, v.display_name, p.decided_at,"
		     " p.decision_note FROM case_plans p LEFT JOIN users u ON u.id = p.proposed_by"
		     " LEFT JOIN users v ON v.id = p.decided_by WHERE p.case_id = ? ORDER BY p.id LIMIT 200",
		     DB_ARGS(DBI(id)), &st) < 0)
		return items;
	while (db_step(st) == DB_ROW)
		json_array_append_new(
			items, json_pack("{s:I, s:s, s:s, s:o, s:s, s:o, s:I, s:o, s:o, s:s}", "id",
					 (json_int_t)db_col_int(st, 0), "kind", db_col_text(st, 1),
					 "description", db_col_text(st, 2), "amount_fen", opt_int(st, 3),
					 "status", db_col_text(st, 4), "proposed_by", who(st, 5, 6),
					 "proposed_at", (json_int_t)db_col_int(st, 7), "decided_by",
					 who(st, 8, 9), "decided_at", opt_int(st, 10), "decision_note",
					 db_col_text(st, 11)));
	db_done(st);
	return items;
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
	return http_json(r, 200, json_pack("{s:o}", "items", case_plans_json(r, id)));
}

static const char *const propose_keys[] = {"kind", "description", "amount_fen", "note", "version",
					   NULL};

int case_plans_create(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "kind", "缺少必填字段 kind", "The field kind is required");
	if ((rc = in_only_keys(r, r->json, propose_keys, NULL)) < 0)
		return rc;
	/* The step takes the plan as one field; errors still name plan.kind etc. */
	json_t *plan = json_object(), *in = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(r->json, k, v)
	{
		if (!strcmp(k, "note") || !strcmp(k, "version"))
			json_object_set(in, k, v);
		else
			json_object_set(plan, k, v);
	}
	json_object_set_new(in, "plan", plan);
	rc = case_step_request(r, id, CASE_A_PROPOSE_PLAN, in, 201);
	json_decref(in);
	return rc;
}

static int decide(http_req *r, enum case_action a)
{
	int64_t id, pid;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = http_param_id(r, 1, &pid)) < 0)
		return rc;
	json_t *in = r->json ? json_deep_copy(r->json) : json_object();
	if (json_object_get(in, "plan_id")) {
		json_decref(in);
		return http_fail(r, KF_EINVAL, "plan_id", "方案编号在路径中给出", "The plan id is in the path");
	}
	json_object_set_new(in, "plan_id", json_integer(pid));
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
