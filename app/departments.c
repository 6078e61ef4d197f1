/* departments.c - the departments users belong to and cases are sent to. */
#include "app/app.h"

#include "lib/common.h"
#include "lib/util.h"

static const char *const dept_keys[] = {"name", NULL};

int departments_list(http_req *r)
{
	db_stmt *st;
	if (db_query(r->db, "SELECT id, name FROM departments ORDER BY name LIMIT 1000", DB_ARGS(),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, 0),
						       "name", db_col_text(st, 1)));
	db_done(st);
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

int department_input_read(http_req *r, const char **name)
{
	int rc;
	*name = NULL;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "name", "缺少必填字段 name", "The field name is required");
	if ((rc = in_only_keys(r, r->json, dept_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name", 64, 1, name, NULL)) < 0)
		return rc;
	return 0;
}

int departments_create(http_req *r)
{
	const char *name;
	int rc;
	if ((rc = department_input_read(r, &name)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db, "INSERT INTO departments (name, created_at) VALUES (?, ?) RETURNING id",
		     DB_ARGS(DBT(name), DBI(util_now_ms())), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int64_t id = 0;
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_EUNIQUE)
		return http_fail(r, KF_ECONFLICT, "name", "部门“%s”已存在",
				 "The department \"%s\" already exists", name);
	if (rc != DB_ROW)
		return app_db_fail(r, rc, NULL);
	return http_json(r, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name));
}
