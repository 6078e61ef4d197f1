/* sla_policies.c - the SLA policies admins keep (core/sla.h): targets in
 * business minutes for case type × priority × customer value class ×
 * pyramid tier, null meaning any.  A change applies to cases created (or
 * re-prioritised) afterwards; existing due times stay as they were
 * computed.  DELETE deactivates (cases keep their reference). */
#include "app/case.h"

#include <string.h>

#include "lib/common.h"
#include "lib/util.h"

enum { MAX_TARGET_MIN = 60 * 24 * 365 };

#define POLICY_SELECT                                                                              \
	"SELECT id, name, case_type, priority, value_class, tier, first_response_min,"            \
	" resolution_min, active, created_at, updated_at FROM sla_policies"

static json_t *nullable_text(db_stmt *st, int i)
{
	return db_col_null(st, i) ? json_null() : json_string(db_col_text(st, i));
}

static json_t *policy_json(db_stmt *st)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:b, s:I, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "case_type",
			 nullable_text(st, 2), "priority", nullable_text(st, 3), "value_class",
			 nullable_text(st, 4), "tier", nullable_text(st, 5), "first_response_min",
			 (json_int_t)db_col_int(st, 6), "resolution_min", (json_int_t)db_col_int(st, 7),
			 "active", (int)db_col_int(st, 8), "created_at", (json_int_t)db_col_int(st, 9),
			 "updated_at", (json_int_t)db_col_int(st, 10));
}

static int respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, POLICY_SELECT " WHERE id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? policy_json(st) : NULL;
	db_done(st);
	if (!o)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "SLA 策略 %lld 不存在",
					  "SLA policy %lld does not exist", (long long)id);
	return http_json(r, status, o);
}

int sla_policies_list(http_req *r)
{
	db_stmt *st;
	if (db_query(r->db, POLICY_SELECT " ORDER BY id LIMIT 1000", DB_ARGS(), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, policy_json(st));
	db_done(st);
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

static const struct {
	const char *key, *set;
	int core; /* the vocabulary is core/classes.h's (customers), not case_rules' */
} matchers[] = {
	{"case_type", "case_type", 0},
	{"priority", "priority", 0},
	{"value_class", "value_class", 1},
	{"tier", "tier", 1},
};

static const char *const policy_keys[] = {"name",     "case_type", "priority",
					  "value_class", "tier", "first_response_min",
					  "resolution_min", "active", NULL};

int sla_policy_read(http_req *r, int creating, struct case_upd *u)
{
	int rc, present;
	const char *name;
	if ((rc = in_only_keys(r, r->json, policy_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name", 100, creating, &name, &present)) < 0)
		return rc;
	if (present) {
		if (!name || !*name)
			return http_fail(r, KF_EINVAL, "name", "名称不能为空", "The name must not be empty");
		case_upd_text(u, "name", name);
	}
	for (size_t i = 0; i < KF_ARRAY_LEN(matchers); i++) {
		const char *v;
		if ((rc = in_str(r, r->json, matchers[i].key, 32, 0, &v, &present)) < 0)
			return rc;
		if (!present)
			continue;
		kf_err e;
		kf_err_clear(&e);
		if (v && *v &&
		    (matchers[i].core ? class_check(matchers[i].set, matchers[i].key, v, &e)
				      : case_class_check(matchers[i].set, matchers[i].key, v, &e)) < 0)
			return in_err(r, &e);
		case_upd_text(u, matchers[i].key, v && *v ? v : NULL);
	}
	static const char *const targets[] = {"first_response_min", "resolution_min"};
	for (size_t i = 0; i < 2; i++) {
		int64_t m;
		if ((rc = in_int(r, r->json, targets[i], 0, MAX_TARGET_MIN, creating, &m, &present)) < 0)
			return rc;
		if (present)
			case_upd_int(u, targets[i], m);
	}
	int active;
	if ((rc = in_bool(r, r->json, "active", &active, &present)) < 0)
		return rc;
	if (present)
		case_upd_int(u, "active", active);
	return 0;
}

int sla_policies_create(http_req *r)
{
	if (!r->json)
		return http_fail(r, KF_EINVAL, "name", "缺少必填字段 name", "The field name is required");
	struct case_upd u;
	case_upd_init(&u);
	int rc = sla_policy_read(r, 1, &u);
	if (rc < 0) {
		case_upd_release(&u);
		return rc;
	}
	/* One INSERT from the same column list the validation built. */
	buf cols, qs;
	buf_init(&cols, 4096);
	buf_init(&qs, 4096);
	const char *k;
	json_t *v;
	json_object_foreach(u.changes, k, v)
	{
		buf_printf(&cols, "%s, ", k);
		buf_puts(&qs, "?, ");
	}
	int64_t now = util_now_ms(), id = 0;
	u.args[u.n++] = DBI(now);
	u.args[u.n++] = DBI(now);
	const char *sql = arena_printf(r->a,
				       "INSERT INTO sla_policies (%screated_at, updated_at) VALUES (%s?, ?)"
				       " RETURNING id",
				       cols.data ? cols.data : "", qs.data ? qs.data : "");
	buf_release(&cols);
	buf_release(&qs);
	if (db_begin(r->db) < 0) {
		case_upd_release(&u);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	db_stmt *st;
	rc = db_query(r->db, sql, u.args, u.n, &st);
	if (rc == 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			id = db_col_int(st, 0);
		db_done(st);
	}
	if (rc == DB_ROW)
		rc = audit_write(r->db, "sla_policy", id, "create", r->user.id, u.changes);
	case_upd_release(&u);
	if (rc < 0 || !id || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return respond(r, id, 201);
}

int sla_policies_patch(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	struct case_upd u;
	buf_init(&u.sql, 1 << 14);
	buf_puts(&u.sql, "UPDATE sla_policies SET ");
	u.n = 0;
	u.overflow = 0;
	u.changes = json_object();
	if ((rc = sla_policy_read(r, 0, &u)) < 0)
		goto out;
	buf_puts(&u.sql, "updated_at = ? WHERE id = ?");
	u.args[u.n++] = DBI(util_now_ms());
	u.args[u.n++] = DBI(id);
	if (db_begin(r->db) < 0) {
		rc = app_db_fail(r, DB_EFAIL, NULL);
		goto out;
	}
	rc = db_exec(r->db, u.sql.data, u.args, u.n);
	if (rc == 0) {
		db_rollback(r->db);
		rc = http_fail(r, KF_ENOTFOUND, "id", "SLA 策略 %lld 不存在",
			       "SLA policy %lld does not exist", (long long)id);
		goto out;
	}
	if (rc < 0 || audit_write(r->db, "sla_policy", id, "update", r->user.id, u.changes) < 0 ||
	    db_commit(r->db) < 0) {
		rc = app_db_fail(r, DB_EFAIL, NULL);
		goto out;
	}
	rc = 0;
out:
	case_upd_release(&u);
	return rc < 0 ? rc : respond(r, id, 200);
}

int sla_policies_delete(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_exec(r->db, "UPDATE sla_policies SET active = 0, updated_at = ? WHERE id = ?",
		     DB_ARGS(DBI(util_now_ms()), DBI(id)));
	if (rc == 0) {
		db_rollback(r->db);
		return http_fail(r, KF_ENOTFOUND, "id", "SLA 策略 %lld 不存在",
				 "SLA policy %lld does not exist", (long long)id);
	}
	json_t *ch = json_pack("{s:[bb]}", "active", 1, 0);
	if (rc < 0 || audit_write(r->db, "sla_policy", id, "deactivate", r->user.id, ch) < 0 ||
	    db_commit(r->db) < 0) {
		json_decref(ch);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	json_decref(ch);
	return http_no_content(r);
}
