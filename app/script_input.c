/* script_input.c - reading the body of a call script: kind, name, a body
 * naming only known {{variables}}, and branches {outcome: text} for known
 * outcomes.  No database: scripts.c stores it. */
#include "app/followup_input.h"

#include <string.h>

#include "core/script.h"
#include "core/validate.h"
#include "lib/common.h"

static const char *const outcome_names[] = {"satisfied", "so_so", "not_satisfied",
					    "unreachable", NULL};
static const char *const script_keys[] = {"kind", "name", "body", "branches", "active", NULL};

/* A template naming only known variables; 422 naming field otherwise. */
static int check_tpl(http_req *r, const char *field, const char *tpl)
{
	char bad[64];
	int rc = script_check(tpl, bad, sizeof(bad));
	if (rc < 0)
		return http_fail(r, KF_EINVAL, field, "话术中有未闭合的 {{", "The script has an unclosed {{");
	if (rc > 0)
		return http_fail(r, KF_EINVAL, field, "话术中的变量 {{%s}} 不存在",
				 "The script variable {{%s}} does not exist", bad);
	return 0;
}

/* branches: {outcome: text} for known outcomes only. */
static int check_branches(http_req *r, json_t *br)
{
	if (!json_is_object(br))
		return http_fail(r, KF_EINVAL, "branches", "branches 应为对象 {结果: 话术}",
				 "branches is an object {outcome: text}");
	const char *k;
	json_t *v;
	json_object_foreach(br, k, v)
	{
		size_t i = 0;
		while (outcome_names[i] && strcmp(outcome_names[i], k))
			i++;
		const char *f = arena_printf(r->a, "branches.%s", k);
		if (!outcome_names[i])
			return http_fail(r, KF_EINVAL, f, "没有结果 %s（可用 satisfied、so_so、not_satisfied、unreachable）",
					 "There is no outcome %s (satisfied, so_so, not_satisfied, unreachable)", k);
		size_t n;
		if (!json_is_string(v) || !valid_utf8_len(json_string_value(v), 4000, &n))
			return http_fail(r, KF_EINVAL, f, "分支话术应为不超过 4000 字的文本",
					 "A branch is a text of at most 4000 characters");
		int rc = check_tpl(r, f, json_string_value(v));
		if (rc < 0)
			return rc;
	}
	return 0;
}

int script_input_read(http_req *r, int creating, struct script_input *s)
{
	int rc;
	memset(s, 0, sizeof(*s));
	s->active = 1;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "name", "缺少必填字段 name", "The field name is required");
	if ((rc = in_only_keys(r, r->json, script_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "kind", 40, 0, &s->kind, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name", 100, creating, &s->name, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "body", 8000, creating, &s->body, NULL)) < 0 ||
	    (rc = in_bool(r, r->json, "active", &s->active, &s->has_active)) < 0 ||
	    (s->body && (rc = check_tpl(r, "body", s->body)) < 0))
		return rc;
	s->branches = json_object_get(r->json, "branches");
	if (s->branches && (rc = check_branches(r, s->branches)) < 0)
		return rc;
	return 0;
}
