/* users.c - staff accounts: agents, supervisors, admins (bodies read by
 * user_input.c). */
#include "app/user_input.h"

#include <string.h>

#include "lib/common.h"
#include "lib/util.h"

int users_list(http_req *r)
{
	db_stmt *st;
	if (db_query(r->db, "SELECT id FROM users ORDER BY id LIMIT 1000", DB_ARGS(), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int64_t ids[1000];
	int n = 0;
	while (n < 1000 && db_step(st) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *u = account_json(r->db, ids[i]);
		if (u)
			json_array_append_new(items, u);
	}
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

static int check_department(http_req *r, int64_t dept)
{
	int64_t one;
	if (!dept)
		return 0;
	int rc = db_query_int(r->db, "SELECT 1 FROM departments WHERE id = ?", DB_ARGS(DBI(dept)),
			      &one);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW)
		return http_fail(r, KF_EINVAL, "department_id", "部门 %lld 不存在",
				 "Department %lld does not exist", (long long)dept);
	return 0;
}

int users_create(http_req *r)
{
	struct user_input u;
	int rc = user_input_read(r, 1, 0, &u);
	if (rc < 0)
		return rc;
	const char *username = u.username, *display = u.display_name, *role = u.role;
	const char *password = u.password;
	int64_t dept = u.department_id, cap = u.capability;
	int has_cap = u.has_capability;
	if ((rc = check_department(r, dept)) < 0)
		return rc;
	kf_err e;
	kf_err_clear(&e);
	int64_t id;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (account_create(r->db, username, display, role, dept, has_cap && cap ? (int)cap : 3,
			   password, &e, &id) < 0) {
		db_rollback(r->db);
		return in_err(r, &e);
	}
	json_t *ch = json_pack("{s:s, s:s}", "username", username, "role", role);
	rc = audit_write(r->db, "user", id, "create", r->user.id, ch);
	json_decref(ch);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_json(r, 201, account_json(r->db, id));
}

int users_get(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	json_t *u = account_json(r->db, id);
	if (!u)
		return http_fail(r, KF_ENOTFOUND, "id", "用户不存在", "No such user");
	return http_json(r, 200, u);
}

int users_patch(http_req *r)
{
	int64_t id;
	struct user_input u;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = user_input_read(r, 0, id, &u)) < 0)
		return rc;
	int64_t dept = u.department_id, cap = u.capability;
	const char *display = u.display_name, *role = u.role, *password = u.password;
	int has_display = u.has_display, has_role = u.has_role, has_dept = u.has_department;
	int has_cap = u.has_capability, disabled = u.disabled, has_disabled = u.has_disabled;
	int has_pw = u.has_password;
	json_t *before = account_json(r->db, id);
	if (!before)
		return http_fail(r, KF_ENOTFOUND, "id", "用户不存在", "No such user");
	json_decref(before);
	if ((rc = check_department(r, dept)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int64_t now = util_now_ms();
	json_t *changes = json_object();
	rc = 0;
	if (has_display && rc >= 0) {
		rc = db_exec(r->db, "UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?",
			     DB_ARGS(DBT(display), DBI(now), DBI(id)));
		json_object_set_new(changes, "display_name", json_string(display));
	}
	if (has_role && rc >= 0) {
		rc = db_exec(r->db, "UPDATE users SET role = ?, updated_at = ? WHERE id = ?",
			     DB_ARGS(DBT(role), DBI(now), DBI(id)));
		json_object_set_new(changes, "role", json_string(role));
	}
	if (has_dept && rc >= 0) {
		rc = db_exec(r->db, "UPDATE users SET department_id = ?, updated_at = ? WHERE id = ?",
			     DB_ARGS(dept ? DBI(dept) : DBNULL, DBI(now), DBI(id)));
		json_object_set_new(changes, "department_id", dept ? json_integer(dept) : json_null());
	}
	if (has_cap && rc >= 0) {
		rc = db_exec(r->db, "UPDATE users SET capability = ?, updated_at = ? WHERE id = ?",
			     DB_ARGS(DBI(cap), DBI(now), DBI(id)));
		json_object_set_new(changes, "capability", json_integer(cap));
	}
	if (has_disabled && rc >= 0) {
		rc = db_exec(r->db, "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?",
			     DB_ARGS(DBI(disabled), DBI(now), DBI(id)));
		if (rc >= 0 && disabled) {
			rc = db_exec(r->db, "DELETE FROM sessions WHERE user_id = ?", DB_ARGS(DBI(id)));
			if (rc >= 0)
				rc = db_exec(r->db,
					     "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ?"
					     " AND revoked_at IS NULL",
					     DB_ARGS(DBI(now), DBI(id)));
		}
		json_object_set_new(changes, "disabled", json_boolean(disabled));
	}
	if (rc < 0) {
		json_decref(changes);
		return app_db_fail(r, rc, NULL);
	}
	if (has_pw && password) {
		kf_err e;
		kf_err_clear(&e);
		if (account_set_password(r->db, id, password, &e) < 0) {
			json_decref(changes);
			db_rollback(r->db);
			return in_err(r, &e);
		}
		json_object_set_new(changes, "password", json_string("(changed)"));
	}
	rc = audit_write(r->db, "user", id, "update", r->user.id, changes);
	json_decref(changes);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_json(r, 200, account_json(r->db, id));
}
