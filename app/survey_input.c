/* survey_input.c - reading the bodies of the survey rules, invitations
 * made by hand and opinion sources (QR codes), without a database:
 * surveys.c and satisfaction.c check the template, customer and case they
 * name, and store. */
#include "app/survey.h"

#include <ctype.h>
#include <string.h>

#include "lib/common.h"

static const char *const rule_keys[] = {"enabled", "template_id", "min_days", "expires_days",
					NULL};

/* A number that is given (not null) or left as it is (-1). */
static int opt_days(http_req *r, const char *key, int64_t min, int64_t max, int64_t *out)
{
	int64_t v;
	int rc = in_int(r, r->json, key, min, max, 0, &v, NULL);
	json_t *x = json_object_get(r->json, key);
	*out = x && !json_is_null(x) ? v : -1;
	return rc;
}

int survey_rule_input_read(http_req *r, struct survey_rule_input *in)
{
	int rc;
	memset(in, 0, sizeof(*in));
	in->min_days = in->expires_days = -1;
	if (!r->json)
		return http_fail(r, KF_EJSON, NULL, "请求体必须是 JSON 对象", "The body is a JSON object");
	if ((rc = in_only_keys(r, r->json, rule_keys, NULL)) < 0 ||
	    (rc = in_bool(r, r->json, "enabled", &in->enabled, &in->has_enabled)) < 0 ||
	    (rc = in_int(r, r->json, "template_id", 1, INT64_MAX, 0, &in->template_id,
			 &in->has_template)) < 0 ||
	    (rc = opt_days(r, "min_days", 0, 365, &in->min_days)) < 0 ||
	    (rc = opt_days(r, "expires_days", 1, 90, &in->expires_days)) < 0)
		return rc;
	return 0;
}

static const char *const inv_keys[] = {"customer_id", "template_id", "case_id", "expires_days",
				       "expires_at", NULL};

int survey_invitation_input_read(http_req *r, int64_t now, struct survey_invitation_input *in)
{
	int rc;
	int64_t days;
	memset(in, 0, sizeof(*in));
	if (!r->json)
		return http_fail(r, KF_EINVAL, "customer_id", "缺少必填字段 customer_id",
				 "The field customer_id is required");
	if ((rc = in_only_keys(r, r->json, inv_keys, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "customer_id", 1, INT64_MAX, 1, &in->customer_id, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "template_id", 1, INT64_MAX, 0, &in->template_id, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "case_id", 1, INT64_MAX, 0, &in->case_id, NULL)) < 0 ||
	    (rc = opt_days(r, "expires_days", 1, 90, &days)) < 0 ||
	    (rc = in_int(r, r->json, "expires_at", 1, INT64_MAX, 0, &in->expires_at, NULL)) < 0)
		return rc;
	if (in->expires_at && (in->expires_at <= now || in->expires_at > now + 90 * SURVEY_DAY_MS))
		return http_fail(r, KF_EINVAL, "expires_at", "有效期必须在现在之后、90 天之内",
				 "The expiry is after now and within 90 days");
	if (!in->expires_at)
		in->expires_at = now + (days > 0 ? days : 14) * SURVEY_DAY_MS;
	return 0;
}

static int slug_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

static const char *const src_keys[] = {"slug", "name", "template_id", "active", NULL};

int opinion_source_input_read(http_req *r, int creating, struct opinion_source_input *in)
{
	int rc;
	memset(in, 0, sizeof(*in));
	if (creating) {
		if (!r->json)
			return http_fail(r, KF_EINVAL, "slug", "缺少必填字段 slug",
					 "The field slug is required");
		if ((rc = in_only_keys(r, r->json, src_keys, NULL)) < 0 ||
		    (rc = in_str(r, r->json, "slug", 40, 1, &in->slug, NULL)) < 0 ||
		    (rc = in_str(r, r->json, "name", 100, 1, &in->name, NULL)) < 0 ||
		    (rc = in_int(r, r->json, "template_id", 1, INT64_MAX, 1, &in->template_id, NULL)) < 0)
			return rc;
		if (!slug_ok(in->slug))
			return http_fail(r, KF_EINVAL, "slug",
					 "slug 是 2-40 个小写字母、数字或连字符（用在网址里）",
					 "slug is 2-40 lower-case letters, digits or hyphens (it is in the URL)");
		return 0;
	}
	if (!r->json)
		return http_fail(r, KF_EJSON, NULL, "请求体必须是 JSON 对象", "The body is a JSON object");
	if (json_object_get(r->json, "slug"))
		return http_fail(r, KF_EINVAL, "slug", "slug 印在二维码上，不能修改",
				 "The slug is printed on QR codes and cannot change");
	if ((rc = in_only_keys(r, r->json, src_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name", 100, 0, &in->name, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "template_id", 1, INT64_MAX, 0, &in->template_id, NULL)) < 0 ||
	    (rc = in_bool(r, r->json, "active", &in->active, &in->has_active)) < 0)
		return rc;
	if (in->name && !*in->name)
		in->name = NULL; /* an empty name leaves the name as it is */
	return 0;
}
