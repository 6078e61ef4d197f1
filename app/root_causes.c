/* root_causes.c - the root-cause taxonomy (根本原因) complaints are
 * archived with (DOMAIN §2: causes counted and fixed at the source).
 * Admins add, rename, reorder and deactivate causes; a cause is never
 * deleted, because archived complaints refer to it. */
#include "app/case.h"

#include <string.h>

#include "lib/common.h"
#include "lib/util.h"

#define CAUSE_SELECT                                                                               \
	"SELECT id, code, name_zh, name_en, description, active, sort_order, created_at,"         \
	" updated_at FROM root_causes"

static json_t *cause_json(db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:I, s:I, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "code", db_col_text(st, 1), "name_zh",
			 db_col_text(st, 2), "name_en", db_col_text(st, 3), "description",
			 db_col_text(st, 4), "active", (int)db_col_int(st, 5), "sort_order",
			 (json_int_t)db_col_int(st, 6), "created_at", (json_int_t)db_col_int(st, 7),
			 "updated_at", (json_int_t)db_col_int(st, 8));
}

static int respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, CAUSE_SELECT " WHERE id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? cause_json(st) : NULL;
	db_done(st);
	if (!o)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "根本原因 %lld 不存在",
					  "Root cause %lld does not exist", (long long)id);
	return http_json(r, status, o);
}

int root_causes_list(http_req *r)
{
	const char *active = http_query(r, "active");
	if (active && *active && strcmp(active, "0") && strcmp(active, "1"))
		return http_fail(r, KF_EINVAL, "active", "参数 active 只能是 0 或 1",
				 "The parameter active is 0 or 1");
	db_stmt *st;
	int rc = active && *active
			 ? db_query(r->db, CAUSE_SELECT " WHERE active = ? ORDER BY sort_order, id LIMIT 1000",
				    DB_ARGS(DBI(active[0] - '0')), &st)
			 : db_query(r->db, CAUSE_SELECT " ORDER BY sort_order, id LIMIT 1000", DB_ARGS(), &st);
	if (rc < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, cause_json(st));
	db_done(st);
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

static const char *const cause_keys[] = {"code", "name_zh", "name_en", "description",
					 "sort_order", "active", NULL};

int root_cause_input_read(http_req *r, int creating, struct root_cause_input *c)
{
	int rc;
	memset(c, 0, sizeof(*c));
	if (!r->json)
		return creating ? http_fail(r, KF_EINVAL, "code", "缺少必填字段 code",
					    "The field code is required")
				: http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	if ((rc = in_only_keys(r, r->json, cause_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "code", 40, creating, &c->code, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name_zh", 50, creating, &c->name_zh, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name_en", 80, creating, &c->name_en, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "description", 500, 0, &c->description, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "sort_order", -100000, 100000, 0, &c->sort_order, &c->has_sort)) < 0 ||
	    (rc = in_bool(r, r->json, "active", &c->active, &c->has_active)) < 0)
		return rc;
	if (!creating && c->code)
		return http_fail(r, KF_EINVAL, "code", "代码创建后不能修改（统计按代码归类）",
				 "The code cannot change (reports group by it)");
	for (const char *p = c->code; p && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return http_fail(r, KF_EINVAL, "code", "代码只能包含小写字母、数字和下划线",
					 "The code may contain only lowercase letters, digits and '_'");
	if ((c->name_zh && !*c->name_zh) || (c->name_en && !*c->name_en))
		return http_fail(r, KF_EINVAL, c->name_zh && !*c->name_zh ? "name_zh" : "name_en",
				 "名称不能为空", "Names must not be empty");
	return 0;
}

int root_causes_create(http_req *r)
{
	struct root_cause_input c;
	int rc;
	if ((rc = root_cause_input_read(r, 1, &c)) < 0)
		return rc;
	int64_t now = util_now_ms(), id = 0;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	db_stmt *st;
	if (db_query(r->db,
		     "INSERT INTO root_causes (code, name_zh, name_en, description, sort_order, active,"
		     " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		     DB_ARGS(DBT(c.code), DBT(c.name_zh), DBT(c.name_en),
			     DBT(c.description ? c.description : ""), DBI(c.sort_order),
			     DBI(c.has_active ? c.active : 1), DBI(now), DBI(now)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_EUNIQUE) {
		db_rollback(r->db);
		return http_fail(r, KF_ECONFLICT, "code", "代码 %s 已存在", "The code %s exists already",
				 c.code);
	}
	json_t *ch = json_pack("{s:s, s:s, s:s}", "code", c.code, "name_zh", c.name_zh, "name_en",
			       c.name_en);
	if (rc != DB_ROW || audit_write(r->db, "root_cause", id, "create", r->user.id, ch) < 0 ||
	    db_commit(r->db) < 0) {
		json_decref(ch);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	json_decref(ch);
	return respond(r, id, 201);
}

int root_causes_patch(http_req *r)
{
	int64_t id;
	struct root_cause_input c;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if ((rc = root_cause_input_read(r, 0, &c)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	/* NULL leaves a column as it is. */
	rc = db_exec(r->db,
		     "UPDATE root_causes SET name_zh = COALESCE(?, name_zh), name_en = COALESCE(?, name_en),"
		     " description = COALESCE(?, description), sort_order = COALESCE(?, sort_order),"
		     " active = COALESCE(?, active), updated_at = ? WHERE id = ?",
		     DB_ARGS(DBT(c.name_zh), DBT(c.name_en), DBT(c.description),
			     c.has_sort ? DBI(c.sort_order) : DBNULL,
			     c.has_active ? DBI(c.active) : DBNULL, DBI(util_now_ms()), DBI(id)));
	if (rc == 0) {
		db_rollback(r->db);
		return http_fail(r, KF_ENOTFOUND, "id", "根本原因 %lld 不存在",
				 "Root cause %lld does not exist", (long long)id);
	}
	json_t *ch = json_deep_copy(r->json);
	if (rc < 0 || audit_write(r->db, "root_cause", id, "update", r->user.id, ch) < 0 ||
	    db_commit(r->db) < 0) {
		json_decref(ch);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	json_decref(ch);
	return respond(r, id, 200);
}
