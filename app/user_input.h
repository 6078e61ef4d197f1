/* user_input.h - the bodies of the staff accounts' routes, read and
 * checked without a database: users (user_input.c) and the signed-in
 * user's own session and settings (session_input.c).  users.c and
 * session.c check departments, passwords and sign-ins, and store. */
#ifndef KF_APP_USER_INPUT_H
#define KF_APP_USER_INPUT_H

#include "app/app.h"

/* POST /api/users (creating) and PATCH /api/users/{id} (id: the account
 * changed; a user may not disable nor demote themselves).  Strings point
 * into the request's JSON; has_*: the key was given. */
struct user_input {
	const char *username, *display_name, *role, *password;
	int64_t department_id, capability; /* 0: none (not given, or null) */
	int disabled;
	int has_display, has_role, has_department, has_capability, has_disabled, has_password;
};
int user_input_read(http_req *r, int creating, int64_t id, struct user_input *u);

/* POST /api/session: both required. */
int session_login_read(http_req *r, const char **username, const char **password);

/* PATCH /api/me: lang (zh-CN or en) and display_name (not empty) when
 * given (NULL otherwise); a password change {current, new} when given
 * (*pw_current NULL otherwise). */
struct me_input {
	const char *lang, *display_name;
	const char *pw_current, *pw_new;
};
int me_input_read(http_req *r, struct me_input *m);

#endif
