/* auth.c - who is calling: a session cookie or a Bearer API token.
 *
 * Both secrets are random and only their SHA-256 is stored, so a leaked
 * database does not leak live credentials, and a lookup is one indexed
 * SELECT (no Argon2 on the hot path: that is for passwords at sign-in).
 * Sessions slide: one used in the second half of its life is extended. */
#include "http/http.h"

#include <string.h>

#include "app/app.h"
#include "lib/common.h"
#include "lib/util.h"

static void fill_user(http_req *r, db_stmt *st)
{
	r->user.id = db_col_int(st, 0);
	r->user.username = arena_strdup(r->a, db_col_text(st, 1));
	r->user.display_name = arena_strdup(r->a, db_col_text(st, 2));
	r->user.role = role_parse(db_col_text(st, 3));
	if (r->user.role < 0)
		r->user.role = ROLE_ANON;
	r->user.department_id = db_col_null(st, 4) ? 0 : db_col_int(st, 4);
	r->user.lang = arena_strdup(r->a, db_col_text(st, 5));
	r->user.capability = (int)db_col_int(st, 6);
}

#define USER_COLS "u.id, u.username, u.display_name, u.role, u.department_id, u.lang, u.capability"

static int by_token(http_req *r, const char *secret)
{
	char hash[65];
	util_sha256_hex(secret, hash);
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT " USER_COLS ", t.id, t.last_used_at FROM api_tokens t"
		     " JOIN users u ON u.id = t.user_id"
		     " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0",
		     DB_ARGS(DBT(hash)), &st) < 0)
		return http_fail(r, KF_EDB, NULL, NULL, NULL);
	int rc = db_step(st);
	int64_t tid = 0, last = 0;
	if (rc == DB_ROW) {
		fill_user(r, st);
		tid = db_col_int(st, 7);
		last = db_col_null(st, 8) ? 0 : db_col_int(st, 8);
		r->via_token = 1;
	}
	db_done(st);
	if (rc < 0)
		return http_fail(r, KF_EDB, NULL, NULL, NULL);
	if (rc != DB_ROW)
		return http_fail(r, KF_EAUTH, NULL, "API 令牌无效或已撤销",
				 "The API token is invalid or revoked");
	int64_t now = util_now_ms();
	if (now - last > 60000) /* at most one write a minute per token */
		db_exec(r->db, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
			DB_ARGS(DBI(now), DBI(tid)));
	return 0;
}

static int by_session(http_req *r, const char *secret)
{
	char hash[65];
	util_sha256_hex(secret, hash);
	int64_t now = util_now_ms();
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT " USER_COLS ", s.csrf, s.expires_at FROM sessions s"
		     " JOIN users u ON u.id = s.user_id"
		     " WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
		     DB_ARGS(DBT(hash), DBI(now)), &st) < 0)
		return http_fail(r, KF_EDB, NULL, NULL, NULL);
	int rc = db_step(st);
	int64_t expires = 0;
	if (rc == DB_ROW) {
		fill_user(r, st);
		r->csrf = arena_strdup(r->a, db_col_text(st, 7));
		expires = db_col_int(st, 8);
	}
	db_done(st);
	if (rc < 0)
		return http_fail(r, KF_EDB, NULL, NULL, NULL);
	if (rc != DB_ROW)
		return 0; /* a stale cookie is just anonymous */
	if (expires - now < APP_SESSION_TTL_MS / 2)
		db_exec(r->db, "UPDATE sessions SET expires_at = ? WHERE token_hash = ?",
			DB_ARGS(DBI(now + APP_SESSION_TTL_MS), DBT(hash)));
	return 0;
}

int http_authenticate(http_req *r)
{
	const char *authz = http_header(r, "Authorization");
	if (authz && !strncasecmp(authz, "Bearer ", 7))
		return by_token(r, authz + 7);
	const char *cookie = http_cookie(r, APP_SESSION_COOKIE);
	if (cookie && *cookie)
		return by_session(r, cookie);
	return 0;
}
