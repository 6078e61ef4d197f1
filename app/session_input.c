/* session_input.c - reading the body of a sign-in and of the signed-in
 * user's own settings.  No database: session.c throttles, checks the
 * password and stores. */
#include "app/user_input.h"

#include <string.h>

#include "lib/common.h"

static const char *const login_keys[] = {"username", "password", NULL};
static const char *const me_keys[] = {"lang", "display_name", "password", NULL};
static const char *const pw_keys[] = {"current", "new", NULL};

int session_login_read(http_req *r, const char **username, const char **password)
{
	int rc;
	*username = *password = NULL;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "username", "缺少必填字段 username",
				 "The field username is required");
	if ((rc = in_only_keys(r, r->json, login_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "username", 64, 1, username, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "password", 128, 1, password, NULL)) < 0)
		return rc;
	return 0;
}

int me_input_read(http_req *r, struct me_input *m)
{
	int rc, has_lang, has_name;
	memset(m, 0, sizeof(*m));
	if (!r->json)
		return http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	if ((rc = in_only_keys(r, r->json, me_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "lang", 8, 0, &m->lang, &has_lang)) < 0 ||
	    (rc = in_str(r, r->json, "display_name", 64, 0, &m->display_name, &has_name)) < 0)
		return rc;
	if (has_lang && (!m->lang || (strcmp(m->lang, "zh-CN") && strcmp(m->lang, "en"))))
		return http_fail(r, KF_EINVAL, "lang", "lang 只能是 zh-CN 或 en",
				 "lang must be zh-CN or en");
	if (has_name && (!m->display_name || !*m->display_name))
		return http_fail(r, KF_EINVAL, "display_name", "显示名称不能为空",
				 "The display name must not be empty");
	json_t *pw = json_object_get(r->json, "password");
	if (!pw)
		return 0;
	if (!json_is_object(pw))
		return http_fail(r, KF_EINVAL, "password", "password 必须是 {current, new} 对象",
				 "password must be an object {current, new}");
	if ((rc = in_only_keys(r, pw, pw_keys, "password")) < 0 ||
	    (rc = in_str(r, pw, "current", 128, 1, &m->pw_current, NULL)) < 0 ||
	    (rc = in_str(r, pw, "new", 128, 1, &m->pw_new, NULL)) < 0)
		return rc;
	return 0;
}
