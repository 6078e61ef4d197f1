/* customer_assign.c - a supervisor hands customers to agents in bulk,
 * balanced by each agent's current load and capability (core/assign.c).
 * Customers being handed out no longer count toward their old owner's
 * load, so re-balancing a team's customers works in one call. */
#include "app/customer.h"

#include <stdlib.h>
#include <string.h>

#include "core/assign.h"
#include "lib/common.h"
#include "lib/util.h"

enum { MAX_CUSTOMERS = 5000, MAX_AGENTS = 500 };

static const char *const assign_keys[] = {"customer_ids", "agent_ids", NULL};

static int read_ids(http_req *r, const char *key, size_t max, int64_t *out, size_t *n)
{
	json_t *a = json_object_get(r->json, key);
	*n = 0;
	if (!a)
		return 0;
	if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > max)
		return http_fail(r, KF_EINVAL, key, "%s 必须是 1 到 %zu 个编号的数组",
				 "%s must be an array of 1 to %zu ids", key, max);
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return http_fail(r, KF_EINVAL, arena_printf(r->a, "%s[%zu]", key, i),
					 "编号必须是正整数", "Ids are positive integers");
		for (size_t j = 0; j < *n; j++)
			if (out[j] == json_integer_value(v))
				return http_fail(r, KF_EINVAL, arena_printf(r->a, "%s[%zu]", key, i),
						 "编号重复", "Duplicate id");
		out[(*n)++] = json_integer_value(v);
	}
	return 0;
}

static int load_agents(http_req *r, const int64_t *ids, size_t nids, struct assign_agent *ag,
		       size_t *n)
{
	db_stmt *st;
	*n = 0;
	if (nids == 0) {
		if (db_query(r->db,
			     "SELECT id, capability FROM users WHERE role = 'agent' AND disabled = 0"
			     " ORDER BY id LIMIT 500",
			     DB_ARGS(), &st) < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
		while (*n < MAX_AGENTS && db_step(st) == DB_ROW)
			ag[(*n)++] = (struct assign_agent){db_col_int(st, 0), (int)db_col_int(st, 1), 0};
		db_done(st);
		if (*n == 0)
			return http_fail(r, KF_EINVAL, "agent_ids", "没有可分配的在职客服专员",
					 "There are no active agents to assign to");
		return 0;
	}
	for (size_t i = 0; i < nids; i++) {
		if (db_query(r->db, "SELECT capability, disabled FROM users WHERE id = ?",
			     DB_ARGS(DBI(ids[i])), &st) < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
		int rc = db_step(st);
		int cap = rc == DB_ROW ? (int)db_col_int(st, 0) : 0;
		int disabled = rc == DB_ROW ? (int)db_col_int(st, 1) : 1;
		db_done(st);
		if (disabled)
			return http_fail(r, KF_EINVAL, arena_printf(r->a, "agent_ids[%zu]", i),
					 "用户 %lld 不存在或已停用",
					 "User %lld does not exist or is disabled", (long long)ids[i]);
		ag[(*n)++] = (struct assign_agent){ids[i], cap, 0};
	}
	return 0;
}

int customers_assign(http_req *r)
{
	int rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "customer_ids", "缺少必填字段 customer_ids",
				 "The field customer_ids is required");
	if ((rc = in_only_keys(r, r->json, assign_keys, NULL)) < 0)
		return rc;
	if (!json_object_get(r->json, "customer_ids"))
		return http_fail(r, KF_EINVAL, "customer_ids", "缺少必填字段 customer_ids",
				 "The field customer_ids is required");
	int64_t *cids = arena_alloc(r->a, sizeof(int64_t) * MAX_CUSTOMERS);
	int64_t *aids = arena_alloc(r->a, sizeof(int64_t) * MAX_AGENTS);
	struct assign_agent *ag = arena_alloc(r->a, sizeof(*ag) * MAX_AGENTS);
	size_t *pick = arena_alloc(r->a, sizeof(size_t) * MAX_CUSTOMERS);
	int64_t *old_owner = arena_alloc(r->a, sizeof(int64_t) * MAX_CUSTOMERS);
	size_t nc, na_ids, na;
	if ((rc = read_ids(r, "customer_ids", MAX_CUSTOMERS, cids, &nc)) < 0 ||
	    (rc = read_ids(r, "agent_ids", MAX_AGENTS, aids, &na_ids)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = load_agents(r, aids, na_ids, ag, &na)) < 0)
		goto fail;
	for (size_t i = 0; i < nc; i++) {
		db_stmt *st;
		if (db_query(r->db, "SELECT owner_id FROM customers WHERE id = ? AND archived_at IS NULL",
			     DB_ARGS(DBI(cids[i])), &st) < 0) {
			rc = app_db_fail(r, DB_EFAIL, NULL);
			goto fail;
		}
		int s = db_step(st);
		old_owner[i] = s == DB_ROW && !db_col_null(st, 0) ? db_col_int(st, 0) : 0;
		db_done(st);
		if (s != DB_ROW) {
			rc = http_fail(r, KF_EINVAL, arena_printf(r->a, "customer_ids[%zu]", i),
				       "客户 %lld 不存在或已归档",
				       "Customer %lld does not exist or is archived", (long long)cids[i]);
			goto fail;
		}
	}
	for (size_t a = 0; a < na; a++) {
		int64_t load = 0;
		if (db_query_int(r->db,
				 "SELECT COUNT(*) FROM customers WHERE owner_id = ? AND archived_at IS NULL",
				 DB_ARGS(DBI(ag[a].id)), &load) < 0) {
			rc = app_db_fail(r, DB_EFAIL, NULL);
			goto fail;
		}
		for (size_t i = 0; i < nc; i++)
			load -= old_owner[i] == ag[a].id;
		ag[a].load = load;
	}
	if (assign_balance(ag, na, nc, pick) < 0) {
		rc = http_fail(r, KF_EINVAL, "agent_ids", "客服专员的能力等级无效",
			       "An agent has an invalid capability level");
		goto fail;
	}
	int64_t now = util_now_ms();
	json_t *out = json_array();
	for (size_t i = 0; i < nc; i++) {
		int64_t to = ag[pick[i]].id;
		json_array_append_new(out, json_pack("{s:I, s:I}", "customer_id", (json_int_t)cids[i],
						     "owner_id", (json_int_t)to));
		if (to == old_owner[i])
			continue;
		json_t *ch = json_pack("{s:[oI]}", "owner_id",
				       old_owner[i] ? json_integer(old_owner[i]) : json_null(),
				       (json_int_t)to);
		rc = db_exec(r->db,
			     "UPDATE customers SET owner_id = ?, updated_at = ?, version = version + 1"
			     " WHERE id = ?",
			     DB_ARGS(DBI(to), DBI(now), DBI(cids[i])));
		if (rc >= 0)
			rc = audit_write(r->db, "customer", cids[i], "assign", r->user.id, ch);
		json_decref(ch);
		if (rc < 0) {
			json_decref(out);
			rc = app_db_fail(r, DB_EFAIL, NULL);
			goto fail;
		}
	}
	if (db_commit(r->db) < 0) {
		json_decref(out);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	json_t *loads = json_object();
	for (size_t a = 0; a < na; a++)
		json_object_set_new(loads, arena_printf(r->a, "%lld", (long long)ag[a].id),
				    json_integer(ag[a].load));
	return http_json(r, 200, json_pack("{s:o, s:o}", "assignments", out, "loads", loads));
fail:
	db_rollback(r->db);
	return rc;
}
