/* user_input.c - reading the body of a staff account created or changed by
 * an admin.  No database: users.c checks the department, the password
 * policy (with the user name) and that the account exists. */
#include "app/user_input.h"

#include <string.h>

#include "lib/common.h"

static const char *const create_keys[] = {"username",   "display_name", "role", "password",
					  "department_id", "capability", NULL};
static const char *const patch_keys[] = {"display_name", "role",     "department_id",
					 "capability",   "disabled", "password", NULL};

static int read_create(http_req *r, struct user_input *u)
{
	int rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "username", "缺少必填字段 username",
				 "The field username is required");
	if ((rc = in_only_keys(r, r->json, create_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "username", 64, 1, &u->username, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "display_name", 64, 1, &u->display_name, &u->has_display)) < 0 ||
	    (rc = in_str(r, r->json, "role", 16, 1, &u->role, &u->has_role)) < 0 ||
	    (rc = in_str(r, r->json, "password", 128, 1, &u->password, &u->has_password)) < 0 ||
	    (rc = in_int(r, r->json, "department_id", 1, INT64_MAX, 0, &u->department_id,
			 &u->has_department)) < 0 ||
	    (rc = in_int(r, r->json, "capability", 1, 5, 0, &u->capability, &u->has_capability)) < 0)
		return rc;
	for (const char *p = u->username; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-'))
			return http_fail(r, KF_EINVAL, "username",
					 "用户名只能包含字母、数字、点、下划线和连字符",
					 "The user name may contain only letters, digits, '.', '_' and '-'");
	if (role_parse(u->role) < 0)
		return http_fail(r, KF_EINVAL, "role", "角色必须是 agent、supervisor 或 admin",
				 "The role must be agent, supervisor or admin");
	return 0;
}

static int read_patch(http_req *r, int64_t id, struct user_input *u)
{
	int rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	if ((rc = in_only_keys(r, r->json, patch_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "display_name", 64, 0, &u->display_name, &u->has_display)) < 0 ||
	    (rc = in_str(r, r->json, "role", 16, 0, &u->role, &u->has_role)) < 0 ||
	    (rc = in_int(r, r->json, "department_id", 1, INT64_MAX, 0, &u->department_id,
			 &u->has_department)) < 0 ||
	    (rc = in_int(r, r->json, "capability", 1, 5, 0, &u->capability, &u->has_capability)) < 0 ||
	    (rc = in_bool(r, r->json, "disabled", &u->disabled, &u->has_disabled)) < 0 ||
	    (rc = in_str(r, r->json, "password", 128, 0, &u->password, &u->has_password)) < 0)
		return rc;
	if (u->has_role && role_parse(u->role) < 0)
		return http_fail(r, KF_EINVAL, "role", "角色必须是 agent、supervisor 或 admin",
				 "The role must be agent, supervisor or admin");
	if (u->has_display && (!u->display_name || !*u->display_name))
		return http_fail(r, KF_EINVAL, "display_name", "显示名称不能为空",
				 "The display name must not be empty");
	if (u->has_capability && !u->capability)
		return http_fail(r, KF_EINVAL, "capability", "能力等级必须在 1 到 5 之间",
				 "The capability must be between 1 and 5");
	if (id == r->user.id &&
	    ((u->has_disabled && u->disabled) || (u->has_role && strcmp(u->role, "admin"))))
		return http_fail(r, KF_EINVAL, u->has_role ? "role" : "disabled",
				 "不能停用自己或降低自己的角色",
				 "You cannot disable yourself or lower your own role");
	return 0;
}

int user_input_read(http_req *r, int creating, int64_t id, struct user_input *u)
{
	memset(u, 0, sizeof(*u));
	return creating ? read_create(r, u) : read_patch(r, id, u);
}
