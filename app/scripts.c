/* scripts.c - call scripts (话术, DOMAIN §3) over HTTP: admins write them
 * (a body with {{variables}} and branches by outcome), agents see the one
 * for a visit filled in with the customer's name, product and last case.
 * A visit's script is the active one of its kind, else of kind "default",
 * else the built-in greet → thank and ask → branch → close. */
#include "app/followup.h"
#include "app/followup_input.h"

#include <stdlib.h>
#include <string.h>

#include "core/script.h"
#include "lib/common.h"
#include "lib/util.h"

static const char builtin_body[] =
	"您好，请问是{{customer_name}}吗？我是客服{{agent_name}}。感谢您选择我们的{{product}}，"
	"想占用您一分钟，请问您对产品和我们的服务满意吗？";
static const char builtin_branches[] =
	"{\"satisfied\":\"谢谢您的认可！您还有什么建议吗？\","
	"\"so_so\":\"谢谢您的坦诚，请问哪些方面我们可以做得更好？\","
	"\"not_satisfied\":\"非常抱歉给您带来不便，我们会立即改进并为您登记处理，稍后专人联系您。\","
	"\"unreachable\":\"（未接通：换一个允许的时间再拨）\"}";

static json_t *script_json(db_stmt *st)
{
	json_t *br = json_loads(db_col_text(st, 4), 0, NULL);
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:I, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "kind", db_col_text(st, 1), "name",
			 db_col_text(st, 2), "body", db_col_text(st, 3), "branches",
			 br ? br : json_object(), "active", (int)db_col_int(st, 5), "created_at",
			 (json_int_t)db_col_int(st, 6), "updated_at", (json_int_t)db_col_int(st, 7));
}

#define SCRIPT_SELECT                                                                              \
	"SELECT id, kind, name, body, branches, active, created_at, updated_at FROM scripts"

static int respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, SCRIPT_SELECT " WHERE id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? script_json(st) : NULL;
	db_done(st);
	if (!o)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "话术 %lld 不存在",
					  "Script %lld does not exist", (long long)id);
	return http_json(r, status, o);
}

int scripts_list(http_req *r)
{
	db_stmt *st;
	if (db_query(r->db, SCRIPT_SELECT " ORDER BY kind, id LIMIT 500", DB_ARGS(), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, script_json(st));
	db_done(st);
	return http_json(r, 200, json_pack("{s:o, s:o}", "items", items, "variables",
					   json_pack("[sssss]", script_vars[0], script_vars[1],
						     script_vars[2], script_vars[3], script_vars[4])));
}

/* POST /api/scripts (creating) and PATCH /api/scripts/{id}. */
static int script_write(http_req *r, int64_t id)
{
	struct script_input in;
	int rc, creating = !id;
	if ((rc = script_input_read(r, creating, &in)) < 0)
		return rc;
	const char *kind = in.kind, *name = in.name, *body = in.body;
	int active = in.active, has_active = in.has_active;
	json_t *br = in.branches;
	char *brs = br ? json_dumps(br, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int64_t now = util_now_ms();
	if (db_begin(r->db) < 0) {
		free(brs);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	if (creating) {
		db_stmt *st;
		rc = db_query(r->db,
			      "INSERT INTO scripts (kind, name, body, branches, active, created_at,"
			      " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			      DB_ARGS(DBT(kind ? kind : "default"), DBT(name), DBT(body),
				      DBT(brs ? brs : "{}"), DBI(has_active ? active : 1), DBI(now),
				      DBI(now)),
			      &st);
		if (rc >= 0) {
			rc = db_step(st) == DB_ROW ? (id = db_col_int(st, 0), 1) : -1;
			db_done(st);
		}
	} else {
		rc = db_exec(r->db,
			     "UPDATE scripts SET kind = COALESCE(CAST(? AS TEXT), kind),"
			     " name = COALESCE(CAST(? AS TEXT), name), body = COALESCE(CAST(? AS TEXT), body),"
			     " branches = COALESCE(CAST(? AS TEXT), branches),"
			     " active = COALESCE(CAST(? AS BIGINT), active), updated_at = ? WHERE id = ?",
			     DB_ARGS(DBT(kind), DBT(name), DBT(body), DBT(brs),
				     has_active ? DBI(active) : DBNULL, DBI(now), DBI(id)));
	}
	free(brs);
	if (rc == 0) {
		db_rollback(r->db);
		return http_fail(r, KF_ENOTFOUND, "id", "话术 %lld 不存在", "Script %lld does not exist",
				 (long long)id);
	}
	if (rc < 0 || audit_write(r->db, "script", id, creating ? "create" : "update", r->user.id,
				  r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return respond(r, id, creating ? 201 : 200);
}

int scripts_create(http_req *r)
{
	return script_write(r, 0);
}

int scripts_patch(http_req *r)
{
	int64_t id;
	int rc = http_param_id(r, 0, &id);
	return rc < 0 ? rc : script_write(r, id);
}

/* The visit's variables: customer name, agent name, latest product, last case. */
static void visit_vars(http_req *r, int64_t fu, const char **vals)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT c.name, COALESCE((SELECT display_name FROM users WHERE id = f.assignee_id), ''),"
		     " COALESCE((SELECT o.product FROM orders o WHERE o.customer_id = c.id ORDER BY"
		     " o.ordered_at DESC, o.id DESC LIMIT 1), ''), COALESCE((SELECT k.number || ' ' ||"
		     " k.subject FROM cases k WHERE k.customer_id = c.id ORDER BY k.id DESC LIMIT 1), '')"
		     " FROM followups f JOIN customers c ON c.id = f.customer_id WHERE f.id = ?",
		     DB_ARGS(DBI(fu)), &st) < 0)
		return;
	if (db_step(st) == DB_ROW) {
		vals[0] = arena_strdup(r->a, db_col_text(st, 0));
		vals[1] = arena_strdup(r->a, db_col_text(st, 1));
		vals[2] = arena_strdup(r->a, db_col_text(st, 2));
		vals[3] = arena_strdup(r->a, db_col_text(st, 3));
	}
	db_done(st);
}

static json_t *rendered(http_req *r, const char *tpl, const char **vals)
{
	buf b;
	buf_init(&b, 64 << 10);
	script_render(tpl, script_vars, vals, 5, &b);
	json_t *s = json_stringn(b.data ? b.data : "", b.len);
	buf_release(&b);
	(void)r;
	return s;
}

/* GET /api/followups/{id}/script */
int followups_script(http_req *r)
{
	int64_t id, sid = 0;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	db_stmt *st;
	const char *body = builtin_body, *branches = builtin_branches, *name = "默认回访话术";
	if (db_query(r->db,
		     "SELECT s.id, s.name, s.body, s.branches FROM followups f JOIN scripts s ON"
		     " s.active = 1 AND (s.kind = f.kind OR s.kind = 'default') WHERE f.id = ?"
		     " ORDER BY CASE WHEN s.kind = f.kind THEN 0 ELSE 1 END, s.id DESC LIMIT 1",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (db_step(st) == DB_ROW) {
		sid = db_col_int(st, 0);
		name = arena_strdup(r->a, db_col_text(st, 1));
		body = arena_strdup(r->a, db_col_text(st, 2));
		branches = arena_strdup(r->a, db_col_text(st, 3));
	}
	db_done(st);
	int64_t x;
	if (db_query_int(r->db, "SELECT id FROM followups WHERE id = ?", DB_ARGS(DBI(id)), &x) != DB_ROW)
		return http_fail(r, KF_ENOTFOUND, "id", "回访 %lld 不存在", "Follow-up %lld does not exist",
				 (long long)id);
	const char *vals[5] = {"", "", "", "", ""};
	visit_vars(r, id, vals);
	json_t *br = json_loads(branches, 0, NULL), *out_br = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(br, k, v)
		json_object_set_new(out_br, k, rendered(r, json_string_value(v) ? json_string_value(v) : "", vals));
	json_decref(br);
	json_t *vars = json_object();
	for (int i = 0; i < 5; i++)
		json_object_set_new(vars, script_vars[i], json_string(vals[i]));
	return http_json(r, 200, json_pack("{s:o, s:s, s:o, s:o, s:o}", "script_id",
					   sid ? json_integer(sid) : json_null(), "name", name, "text",
					   rendered(r, body, vals), "branches", out_br, "variables", vars));
}
