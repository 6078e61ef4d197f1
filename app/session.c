/* session.c - signing in and out, and the signed-in user (/api/me).
 *
 * Sign-in is throttled per user name: after APP_LOGIN_MAX_FAILURES wrong
 * passwords within APP_LOGIN_WINDOW_MS, even the right one is refused
 * until the window passes.  Unknown names cost the same Argon2 time as
 * known ones, so timing does not tell which names exist.  Bodies are read
 * by session_input.c. */
#include "app/user_input.h"

#include <sodium.h>
#include <string.h>

#include "lib/common.h"
#include "lib/util.h"


static int throttled(http_req *r, const char *username, int64_t now)
{
	int64_t n = 0;
	if (db_query_int(r->db, "SELECT COUNT(*) FROM login_failures WHERE username = ? AND at > ?",
			 DB_ARGS(DBT(username), DBI(now - APP_LOGIN_WINDOW_MS)), &n) < 0)
		return -1;
	return n >= APP_LOGIN_MAX_FAILURES;
}

static int start_session(http_req *r, int64_t uid, int64_t now)
{
	char token[65], hash[65], csrf[33];
	util_random_hex(token, 32);
	util_random_hex(csrf, 16);
	util_sha256_hex(token, hash);
	int64_t expires = now + APP_SESSION_TTL_MS;
	db_exec(r->db, "DELETE FROM sessions WHERE expires_at < ?", DB_ARGS(DBI(now)));
	if (db_exec(r->db,
		    "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at)"
		    " VALUES (?, ?, ?, ?, ?)",
		    DB_ARGS(DBT(hash), DBI(uid), DBT(csrf), DBI(now), DBI(expires))) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	const char *proto = http_header(r, "X-Forwarded-Proto");
	r->set_cookie = arena_printf(r->a, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
				     APP_SESSION_COOKIE, token,
				     (long long)(APP_SESSION_TTL_MS / 1000),
				     proto && !strcmp(proto, "https") ? "; Secure" : "");
	json_t *user = account_json(r->db, uid);
	if (!user)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_json(r, 200,
			 json_pack("{s:o, s:s, s:I}", "user", user, "csrf_token", csrf, "expires_at",
				   (json_int_t)expires));
}

int session_create(http_req *r)
{
	const char *username, *password;
	int rc = session_login_read(r, &username, &password);
	if (rc < 0)
		return rc;
	int64_t now = util_now_ms();
	int t = throttled(r, username, now);
	if (t < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (t)
		return http_fail(r, KF_ETHROTTLED, "username",
				 "登录失败次数过多，请 15 分钟后再试",
				 "Too many failed sign-ins; try again in 15 minutes");
	db_stmt *st;
	if (db_query(r->db, "SELECT id, password_hash, disabled FROM users WHERE username = ?",
		     DB_ARGS(DBT(username)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int64_t uid = 0, disabled = 0;
	char hash[crypto_pwhash_STRBYTES] = "";
	if (db_step(st) == DB_ROW) {
		uid = db_col_int(st, 0);
		snprintf(hash, sizeof(hash), "%s", db_col_text(st, 1));
		disabled = db_col_int(st, 2);
	}
	db_done(st);
	int ok;
	if (uid) {
		ok = account_check_password(hash, password);
	} else {
		char dummy[crypto_pwhash_STRBYTES];
		account_hash_password(password, dummy, sizeof(dummy));
		ok = 0;
	}
	if (!ok) {
		db_exec(r->db, "INSERT INTO login_failures (username, at) VALUES (?, ?)",
			DB_ARGS(DBT(username), DBI(now)));
		return http_fail(r, KF_ELOGIN, NULL, NULL, NULL);
	}
	if (disabled)
		return http_fail(r, KF_EDISABLED, "username", "该账号已停用，请联系管理员",
				 "This account is disabled; ask an administrator");
	db_exec(r->db, "DELETE FROM login_failures WHERE username = ?", DB_ARGS(DBT(username)));
	return start_session(r, uid, now);
}

int session_delete(http_req *r)
{
	const char *cookie = http_cookie(r, APP_SESSION_COOKIE);
	if (cookie && !r->via_token) {
		char hash[65];
		util_sha256_hex(cookie, hash);
		if (db_exec(r->db, "DELETE FROM sessions WHERE token_hash = ?", DB_ARGS(DBT(hash))) < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
	}
	r->set_cookie = APP_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
	return http_no_content(r);
}

int me_get(http_req *r)
{
	json_t *u = account_json(r->db, r->user.id);
	if (!u)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_json(r, 200, u);
}

static int change_password(http_req *r, const char *cur, const char *nw)
{
	int64_t dummy;
	db_stmt *st;
	if (db_query(r->db, "SELECT password_hash FROM users WHERE id = ?", DB_ARGS(DBI(r->user.id)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int ok = db_step(st) == DB_ROW && account_check_password(db_col_text(st, 0), cur);
	db_done(st);
	(void)dummy;
	if (!ok)
		return http_fail(r, KF_EINVAL, "password.current", "当前密码不正确",
				 "The current password is wrong");
	kf_err e;
	kf_err_clear(&e);
	if (account_set_password(r->db, r->user.id, nw, &e) < 0)
		return in_err(r, &e);
	return 0;
}

int me_patch(http_req *r)
{
	struct me_input m;
	int rc = me_input_read(r, &m);
	if (rc < 0)
		return rc;
	const char *lang = m.lang, *name = m.display_name;
	int has_lang = lang != NULL, has_name = name != NULL;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int64_t now = util_now_ms();
	if (has_lang && db_exec(r->db, "UPDATE users SET lang = ?, updated_at = ? WHERE id = ?",
				DB_ARGS(DBT(lang), DBI(now), DBI(r->user.id))) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (has_name &&
	    db_exec(r->db, "UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?",
		    DB_ARGS(DBT(name), DBI(now), DBI(r->user.id))) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (m.pw_current && (rc = change_password(r, m.pw_current, m.pw_new)) < 0) {
		db_rollback(r->db);
		return rc;
	}
	if (db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return me_get(r);
}
