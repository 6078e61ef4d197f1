/* portal_input.c - reading what the customer portal's forms send: an
 * inquiry, the answers to a survey or an opinion card, and (staff) the
 * portal's settings.  No database: portal.c does the rest. */
#include "app/portal_input.h"

#include <string.h>

#include "core/phone.h"
#include "core/satisfaction.h"
#include "core/validate.h"
#include "lib/common.h"

/* A bot filled the hidden field. */
static int honeypot(http_req *r)
{
	json_t *v = r->json ? json_object_get(r->json, "website") : NULL;
	return v && !(json_is_string(v) && !*json_string_value(v)) && !json_is_null(v);
}

static int phone_read(http_req *r, const char *field, int required, char e164[32])
{
	const char *p;
	int rc = in_str(r, r->json, field, 32, required, &p, NULL);
	if (rc < 0)
		return rc;
	e164[0] = 0;
	if (!p || !*p)
		return 0;
	kf_err e;
	kf_err_clear(&e);
	if (phone_normalize(p, e164, 32, &e) < 0) {
		e.field = field;
		return in_err(r, &e);
	}
	return 0;
}

/* ---------------------------------------------------------------- inquiries */

static const char *const inquiry_keys[] = {"type", "name", "phone", "subject", "description",
					   "website", NULL};

int portal_inquiry_read(http_req *r, struct portal_inquiry *q)
{
	int rc;
	memset(q, 0, sizeof(*q));
	if (!r->json)
		return http_fail(r, KF_EINVAL, "phone", "请填写手机号码", "Your phone number is required");
	if ((rc = in_only_keys(r, r->json, inquiry_keys, NULL)) < 0)
		return rc;
	if (honeypot(r))
		return 1;
	if ((rc = in_str(r, r->json, "type", 20, 1, &q->type, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name", 50, 0, &q->name, NULL)) < 0 ||
	    (rc = phone_read(r, "phone", 1, q->phone)) < 0 ||
	    (rc = in_str(r, r->json, "subject", 200, 1, &q->subject, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "description", 5000, 0, &q->description, NULL)) < 0)
		return rc;
	if (strcmp(q->type, "inquiry") && strcmp(q->type, "complaint") && strcmp(q->type, "suggestion"))
		return http_fail(r, KF_EINVAL, "type", "类型只能是咨询、投诉或建议",
				 "The type is inquiry, complaint or suggestion");
	if (!q->phone[0])
		return http_fail(r, KF_EINVAL, "phone", "请填写手机号码", "Your phone number is required");
	return 0;
}

/* ---------------------------------------------------------------- answers */

static const char *const card_keys[] = {"answers", "phone", "website", NULL};
static const char *const answer_keys[] = {"answers", "website", NULL};

int portal_card_read(http_req *r, char phone[32])
{
	int rc;
	phone[0] = 0;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "answers", "请填写意见卡", "Please fill in the card");
	if ((rc = in_only_keys(r, r->json, card_keys, NULL)) < 0)
		return rc;
	if (honeypot(r))
		return 1;
	return phone_read(r, "phone", 0, phone);
}

int portal_survey_read(http_req *r)
{
	if (!r->json)
		return http_fail(r, KF_EINVAL, "answers", "请填写问卷", "Please fill in the survey");
	return in_only_keys(r, r->json, answer_keys, NULL);
}

int portal_answers_check(http_req *r, json_t *qs, json_t *ans, struct portal_answers *out)
{
	out->csat = out->nps = out->effort = -1;
	out->comment = "";
	if (!json_is_object(ans))
		return http_fail(r, KF_EINVAL, "answers", "answers 必须是对象 {问题: 回答}",
				 "answers is an object {question: answer}");
	const char *k;
	json_t *v, *q;
	size_t i;
	json_object_foreach(ans, k, v)
	{
		int found = 0;
		json_array_foreach(qs, i, q)
		found |= !strcmp(k, json_string_value(json_object_get(q, "key")));
		if (!found)
			return http_fail(r, KF_EINVAL, arena_printf(r->a, "answers.%s", k),
					 "问卷里没有这个问题", "The survey has no such question");
	}
	json_array_foreach(qs, i, q)
	{
		const char *key = json_string_value(json_object_get(q, "key"));
		int kind = sat_kind_parse(json_string_value(json_object_get(q, "kind"))), lo, hi;
		const char *field = arena_printf(r->a, "answers.%s", key);
		v = json_object_get(ans, key);
		if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) ||
		    (json_is_array(v) && !json_array_size(v))) {
			if (json_is_true(json_object_get(q, "required")))
				return http_fail(r, KF_EINVAL, field, "请回答这个问题",
						 "Please answer this question");
			continue;
		}
		if (sat_scale(kind, &lo, &hi) == 0) {
			if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
				return http_fail(r, KF_EINVAL, field, "请选 %d 到 %d 之间的分数",
						 "Choose a score from %d to %d", lo, hi);
			int x = (int)json_integer_value(v);
			*(kind == SAT_CSAT ? &out->csat : kind == SAT_NPS ? &out->nps : &out->effort) = x;
			continue;
		}
		json_t *opts = json_object_get(q, "options"), *item, *opt;
		size_t j, m;
		if (kind == SAT_TEXT) {
			size_t n;
			if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
			    !valid_utf8_len(json_string_value(v), PORTAL_TEXT_MAX, &n))
				return http_fail(r, KF_EINVAL, field, "请写 %d 字以内的文字",
						 "Write text of at most %d characters", PORTAL_TEXT_MAX);
			if (!*out->comment)
				out->comment = json_string_value(v);
			continue;
		}
		json_t *list = kind == SAT_SINGLE ? NULL : v;
		if (kind == SAT_SINGLE ? !json_is_string(v) : !json_is_array(v))
			return http_fail(r, KF_EINVAL, field,
					 kind == SAT_SINGLE ? "请选一个选项" : "请选一个或多个选项",
					 kind == SAT_SINGLE ? "Choose one option" : "Choose one or more options");
		for (j = 0; j < (list ? json_array_size(list) : 1); j++) {
			item = list ? json_array_get(list, j) : v;
			int ok = 0;
			json_array_foreach(opts, m, opt)
			ok |= json_is_string(item) &&
			      !strcmp(json_string_value(item), json_string_value(json_object_get(opt, "key")));
			if (!ok)
				return http_fail(r, KF_EINVAL, field, "没有这个选项", "No such option");
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- settings */

static const char *const settings_keys[] = {"company_name", "hotline", "complaint_email",
					    "pledge", "contacts", "show_agent_names", "actor",
					    "limit_per_ip", "limit_per_phone", "base_url", NULL};
static const char *const contact_keys[] = {"name", "role", "phone", "email", NULL};

int portal_settings_read(http_req *r, const char **actor)
{
	const char *s;
	int64_t x;
	int rc, b;
	*actor = NULL;
	if (!r->json)
		return http_fail(r, KF_EJSON, NULL, "请求体必须是 JSON 对象", "The body is a JSON object");
	if ((rc = in_only_keys(r, r->json, settings_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "company_name", 100, 0, &s, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "hotline", 40, 0, &s, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "complaint_email", 200, 0, &s, NULL)) < 0)
		return rc;
	if (s && *s && !strchr(s, '@'))
		return http_fail(r, KF_EINVAL, "complaint_email", "投诉邮箱格式不对",
				 "The complaint e-mail address is malformed");
	if ((rc = in_str(r, r->json, "base_url", 200, 0, &s, NULL)) < 0)
		return rc;
	if (s && *s && strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
		return http_fail(r, KF_EINVAL, "base_url",
				 "门户地址以 https:// 开头（例如 https://kefu.example.com），用来组成发给客户的链接",
				 "The portal's address starts with https:// (e.g. https://kefu.example.com); "
				 "links sent to customers are made from it");
	if ((rc = in_str(r, r->json, "pledge", 5000, 0, &s, NULL)) < 0 ||
	    (rc = in_bool(r, r->json, "show_agent_names", &b, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "limit_per_ip", 1, 10000, 0, &x, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "limit_per_phone", 1, 10000, 0, &x, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "actor", 64, 0, actor, NULL)) < 0)
		return rc;
	json_t *cs = json_object_get(r->json, "contacts"), *c;
	size_t i;
	if (cs && !json_is_array(cs))
		return http_fail(r, KF_EINVAL, "contacts", "contacts 必须是数组", "contacts is an array");
	if (json_array_size(cs) > 20)
		return http_fail(r, KF_EINVAL, "contacts", "最多 20 个联系人", "At most 20 contacts");
	json_array_foreach(cs, i, c)
	{
		const char *name;
		if (!json_is_object(c) || (rc = in_only_keys(r, c, contact_keys, NULL)) < 0 ||
		    (rc = in_str(r, c, "name", 50, 1, &name, NULL)) < 0 ||
		    (rc = in_str(r, c, "role", 50, 0, &s, NULL)) < 0 ||
		    (rc = in_str(r, c, "phone", 40, 0, &s, NULL)) < 0 ||
		    (rc = in_str(r, c, "email", 200, 0, &s, NULL)) < 0) {
			const char *f = r->err.field ? r->err.field : "name";
			if (!json_is_object(c))
				http_fail(r, KF_EINVAL, NULL, "联系人必须是对象", "A contact is an object");
			r->err.field = arena_printf(r->a, "contacts[%zu].%s", i, f);
			return KF_EINVAL;
		}
	}
	return 0;
}
