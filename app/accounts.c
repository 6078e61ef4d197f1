/* accounts.c - user accounts shared by the API and the CLI: Argon2id
 * password hashes (libsodium, interactive limits: ~76 ms on one core here,
 * slow on purpose) and the user's JSON shape. */
#include "app/app.h"

#include <sodium.h>
#include <string.h>

#include "core/password.h"
#include "lib/common.h"
#include "lib/util.h"

int account_hash_password(const char *pw, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES)
		return -1;
	return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
		       ? 0
		       : -1;
}

int account_check_password(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

int account_create(db *d, const char *username, const char *display_name, const char *role,
		   int64_t department_id, int capability, const char *password, kf_err *e,
		   int64_t *id)
{
	if (password_check(password, username, e) < 0)
		return e->code;
	char hash[crypto_pwhash_STRBYTES];
	if (account_hash_password(password, hash, sizeof(hash)) < 0)
		return kf_fail(e, KF_EINTERNAL, NULL, "密码加密失败", "Could not hash the password");
	int64_t now = util_now_ms();
	db_stmt *st;
	if (db_query(d,
		     "INSERT INTO users (username, display_name, role, department_id, capability,"
		     " password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
		     " RETURNING id",
		     DB_ARGS(DBT(username), DBT(display_name), DBT(role),
			     department_id ? DBI(department_id) : DBNULL, DBI(capability), DBT(hash),
			     DBI(now), DBI(now)),
		     &st) < 0)
		return kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_EUNIQUE) {
		kf_fail(e, KF_ECONFLICT, "username", "用户名 %s 已被使用",
			"The user name %s is already taken", username);
		return KF_ECONFLICT;
	}
	if (rc != DB_ROW)
		return kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
	return 0;
}

int account_set_password(db *d, int64_t user_id, const char *password, kf_err *e)
{
	db_stmt *st;
	const char *username = "";
	char name[128] = "";
	if (db_query(d, "SELECT username FROM users WHERE id = ?", DB_ARGS(DBI(user_id)), &st) == 0) {
		if (db_step(st) == DB_ROW) {
			snprintf(name, sizeof(name), "%s", db_col_text(st, 0));
			username = name;
		}
		db_done(st);
	}
	if (password_check(password, username, e) < 0)
		return e->code;
	char hash[crypto_pwhash_STRBYTES];
	if (account_hash_password(password, hash, sizeof(hash)) < 0)
		return kf_fail(e, KF_EINTERNAL, NULL, "密码加密失败", "Could not hash the password");
	int rc = db_exec(d, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
			 DB_ARGS(DBT(hash), DBI(util_now_ms()), DBI(user_id)));
	if (rc < 0)
		return kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
	if (rc == 0)
		return kf_fail(e, KF_ENOTFOUND, NULL, "用户不存在", "No such user");
	/* A new password ends every other way in. */
	db_exec(d, "DELETE FROM sessions WHERE user_id = ?", DB_ARGS(DBI(user_id)));
	return 0;
}

json_t *account_json(db *d, int64_t user_id)
{
	db_stmt *st;
	if (db_query(d,
		     "SELECT u.id, u.username, u.display_name, u.role, u.department_id, u.lang,"
		     " u.capability, u.disabled, u.created_at, dp.name,"
		     " (SELECT COUNT(*) FROM customers c WHERE c.owner_id = u.id AND c.archived_at IS NULL)"
		     " FROM users u LEFT JOIN departments dp ON dp.id = u.department_id WHERE u.id = ?",
		     DB_ARGS(DBI(user_id)), &st) < 0)
		return NULL;
	json_t *o = NULL;
	if (db_step(st) == DB_ROW) {
		o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:I, s:b, s:I, s:o, s:I}", "id",
			      (json_int_t)db_col_int(st, 0), "username", db_col_text(st, 1),
			      "display_name", db_col_text(st, 2), "role", db_col_text(st, 3),
			      "department_id",
			      db_col_null(st, 4) ? json_null() : json_integer(db_col_int(st, 4)),
			      "lang", db_col_text(st, 5), "capability",
			      (json_int_t)db_col_int(st, 6), "disabled", (int)db_col_int(st, 7),
			      "created_at", (json_int_t)db_col_int(st, 8), "department",
			      db_col_null(st, 9) ? json_null() : json_string(db_col_text(st, 9)),
			      "customers", (json_int_t)db_col_int(st, 10));
	}
	db_done(st);
	return o;
}
