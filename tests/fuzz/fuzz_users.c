/* fuzz_users.c - the bodies of the staff accounts' routes: the first byte
 * chooses the route, jansson parses the rest as the server does
 * (JSON_REJECT_DUPLICATES, an object), then app/user_input.c or
 * app/session_input.c reads it.  No database.
 *
 *   byte % 4 == 0   POST /api/users                (seeds start with the digit)
 *               1   PATCH /api/users/{id}: of another account, or (byte / 4
 *                   odd) of the caller's own
 *               2   POST /api/session (the sign-in, anonymous)
 *               3   PATCH /api/me
 *
 * Invariants: a refusal names a field (except an empty body) and has a
 * negative code; an accepted account has a user name of letters, digits,
 * '.', '_' and '-', a role among agent, supervisor and admin, a display name
 * not empty, a capability from 1 to 5 when one is set, strings of valid
 * UTF-8 within their limits, and an admin never disables nor demotes
 * themselves; a sign-in has both fields; the caller's own settings have a
 * lang zh-CN or en, a display name not empty and a password change with
 * both passwords. */
#include "tests/fuzz/fuzz.h"

#include "app/user_input.h"
#include "core/validate.h"

static void check_refusal(const http_req *r, int rc)
{
	FUZZ_CHECK(rc < 0 && r->err.code == rc, "code %d, error %d", rc, r->err.code);
	FUZZ_CHECK(r->err.field, "refusal names no field: %s", r->err.en);
	FUZZ_CHECK(fuzz_utf8_str(r->err.zh) && fuzz_utf8_str(r->err.en), "message is not UTF-8");
}

static void check_text(const char *what, const char *s, size_t max, int nonempty)
{
	size_t n;
	if (!s)
		return;
	FUZZ_CHECK(fuzz_utf8_str(s) && valid_utf8_len(s, max, &n), "%s: more than %zu", what, max);
	FUZZ_CHECK(!nonempty || n > 0, "%s is empty", what);
}

static void user(http_req *r, int creating, int64_t id)
{
	struct user_input u;
	int rc = user_input_read(r, creating, id, &u);
	if (rc < 0)
		return check_refusal(r, rc);
	if (creating) {
		FUZZ_CHECK(u.username && u.display_name && u.role && u.password, "missing on create");
		FUZZ_CHECK(*u.username && strspn(u.username, "abcdefghijklmnopqrstuvwxyz"
							    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
						  strlen(u.username),
			   "user name %s", u.username);
	} else {
		FUZZ_CHECK(!u.username, "user name on a change");
	}
	check_text("username", u.username, 64, 1);
	check_text("display_name", u.display_name, 64, 1);
	FUZZ_CHECK(!u.has_display || u.display_name, "display name cleared");
	check_text("password", u.password, 128, creating);
	FUZZ_CHECK(!u.has_role || (u.role && role_parse(u.role) > 0), "role %s", u.role);
	FUZZ_CHECK(!u.capability || (u.capability >= 1 && u.capability <= 5), "capability %lld",
		   (long long)u.capability);
	FUZZ_CHECK(!u.has_capability || creating || u.capability, "capability cleared");
	FUZZ_CHECK(u.department_id >= 0, "department %lld", (long long)u.department_id);
	if (!creating && id == r->user.id) {
		FUZZ_CHECK(!(u.has_disabled && u.disabled), "disabled themselves");
		FUZZ_CHECK(!u.has_role || !strcmp(u.role, "admin"), "demoted themselves to %s", u.role);
	}
}

static void login(http_req *r)
{
	const char *user, *pw;
	int rc = session_login_read(r, &user, &pw);
	if (rc < 0)
		return check_refusal(r, rc);
	FUZZ_CHECK(user && *user && pw && *pw, "sign-in without both");
	check_text("username", user, 64, 1);
	check_text("password", pw, 128, 1);
}

static void me(http_req *r)
{
	struct me_input m;
	int rc = me_input_read(r, &m);
	if (rc < 0)
		return check_refusal(r, rc);
	FUZZ_CHECK(!m.lang || !strcmp(m.lang, "zh-CN") || !strcmp(m.lang, "en"), "lang %s", m.lang);
	FUZZ_CHECK(!!json_object_get(r->json, "lang") == !!m.lang, "lang given or not");
	check_text("display_name", m.display_name, 64, 1);
	FUZZ_CHECK(!!json_object_get(r->json, "password") == !!m.pw_current, "password given or not");
	FUZZ_CHECK(!m.pw_current || (*m.pw_current && m.pw_new && *m.pw_new), "half a password change");
	check_text("password.current", m.pw_current, 128, 1);
	check_text("password.new", m.pw_new, 128, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned route = data[0] % 4;
	json_error_t je;
	json_t *in = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &je);
	if (!in)
		return 0;
	if (!json_is_object(in)) {
		json_decref(in);
		return 0;
	}
	arena *a = arena_new();
	http_req r;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.user.id = 1;
	r.user.role = ROLE_ADMIN;
	r.json = in;
	if (route <= 1)
		user(&r, route == 0, data[0] / 4 % 2 ? 1 : 9);
	else if (route == 2)
		login(&r);
	else
		me(&r);
	arena_free(a);
	json_decref(in);
	return 0;
}
