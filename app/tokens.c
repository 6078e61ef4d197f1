/* tokens.c - API tokens for integrations (Authorization: Bearer).
 * The secret is shown once, at creation; only its SHA-256 is stored. */
#include "app/app.h"

#include "lib/common.h"
#include "lib/util.h"

static const char *const token_keys[] = {"name", NULL};

int token_input_read(http_req *r, const char **name)
{
	int rc;
	*name = NULL;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "name", "缺少必填字段 name", "The field name is required");
	if ((rc = in_only_keys(r, r->json, token_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name", 64, 1, name, NULL)) < 0)
		return rc;
	return 0;
}

int tokens_create(http_req *r)
{
	const char *name;
	int rc;
	if ((rc = token_input_read(r, &name)) < 0)
		return rc;
	/* The kf_ prefix marks kefu tokens in logs and secret scanners. */
	char secret[65], hash[65];
	util_random_hex(secret, 32);
	char *tok = arena_printf(r->a, "kf_%s", secret);
	util_sha256_hex(tok, hash);
	int64_t now = util_now_ms(), id = 0;
	db_stmt *st;
	if (db_query(r->db,
		     "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)"
		     " RETURNING id",
		     DB_ARGS(DBT(hash), DBI(r->user.id), DBT(name), DBI(now)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return app_db_fail(r, rc, NULL);
	return http_json(r, 201,
			 json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)id, "name", name, "token",
				   tok, "created_at", (json_int_t)now));
}

int tokens_list(http_req *r)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT id, name, created_at, last_used_at FROM api_tokens"
		     " WHERE user_id = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 200",
		     DB_ARGS(DBI(r->user.id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(
			items, json_pack("{s:I, s:s, s:I, s:o}", "id", (json_int_t)db_col_int(st, 0),
					 "name", db_col_text(st, 1), "created_at",
					 (json_int_t)db_col_int(st, 2), "last_used_at",
					 db_col_null(st, 3) ? json_null()
							    : json_integer(db_col_int(st, 3))));
	db_done(st);
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

int tokens_delete(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	/* Admins may revoke anyone's token; others only their own. */
	rc = db_exec(r->db,
		     "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"
		     " AND (user_id = ? OR ? = 3)",
		     DB_ARGS(DBI(util_now_ms()), DBI(id), DBI(r->user.id), DBI(r->user.role)));
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc == 0)
		return http_fail(r, KF_ENOTFOUND, "id", "令牌不存在", "No such token");
	return http_no_content(r);
}
