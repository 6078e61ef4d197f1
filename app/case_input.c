/* case_input.c - validating the fields of a case on create and change.
 *
 * One table lists the classified fields with their vocabulary
 * (core/case_rules.h); texts, tags, ids and times are read beside it.
 * Errors name the field (customer.phone, tags[2]) in both languages. */
#include "app/case_input.h"

#include <stdlib.h>
#include <string.h>

#include "core/phone.h"
#include "core/validate.h"
#include "lib/common.h"
#include "lib/util.h"

static const struct cls {
	const char *key, *set, *dflt; /* dflt NULL: required on create */
	int clearable;                /* "" (or null) clears it */
} classes[] = {
	{"type", "case_type", NULL, 0},       {"channel", "channel", NULL, 0},
	{"priority", "priority", "normal", 0}, {"severity", "severity", "minor", 0},
	{"emotion", "emotion", "calm", 0},    {"stage", "stage", "", 1},
	{"subtype", "after_sales", "", 1},
};

static const struct txt {
	const char *key;
	size_t max;
	int required;
} texts[] = {
	{"subject", 200, 1},
	{"description", 10000, 0},
	{"demand", 2000, 0},
};

static const char *const create_keys[] = {
	"type",     "subtype",     "channel",  "stage",       "priority",    "severity",
	"emotion",  "subject",     "description", "demand",   "tags",        "customer_id",
	"customer", "assignee_id", "department_id", "received_at", "required_capability",
	"auto_assign", NULL};
static const char *const patch_keys[] = {
	"subtype", "channel", "stage",   "priority", "severity",    "emotion",
	"subject", "description", "demand", "tags",  "assignee_id", "department_id",
	"required_capability", "version", NULL};
static const char *const customer_keys[] = {"phone", "name", NULL};

enum { MAX_TAGS = 20 };

const char **case_input_slot(struct case_input *ci, const char *key)
{
	static const struct {
		const char *key;
		size_t off;
	} slots[] = {
		{"type", offsetof(struct case_input, type)},
		{"channel", offsetof(struct case_input, channel)},
		{"priority", offsetof(struct case_input, priority)},
		{"severity", offsetof(struct case_input, severity)},
		{"emotion", offsetof(struct case_input, emotion)},
		{"stage", offsetof(struct case_input, stage)},
		{"subtype", offsetof(struct case_input, subtype)},
		{"subject", offsetof(struct case_input, subject)},
		{"description", offsetof(struct case_input, description)},
		{"demand", offsetof(struct case_input, demand)},
	};
	for (size_t i = 0; i < KF_ARRAY_LEN(slots); i++)
		if (!strcmp(slots[i].key, key))
			return (const char **)((char *)ci + slots[i].off);
	return NULL;
}

static int read_class(http_req *r, json_t *in, const struct cls *c, int creating,
		      struct case_input *ci)
{
	const char *s;
	int present, rc;
	if ((rc = in_str(r, in, c->key, 32, 0, &s, &present)) < 0)
		return rc;
	const char **slot = case_input_slot(ci, c->key);
	if (!present) {
		if (creating)
			*slot = c->dflt;
		if (creating && !c->dflt)
			return http_fail(r, KF_EINVAL, c->key, "缺少必填字段 %s", "The field %s is required",
					 c->key);
		return 0;
	}
	if ((!s || !*s) && c->clearable) {
		*slot = "";
		return 0;
	}
	kf_err e;
	kf_err_clear(&e);
	if (case_class_check(c->set, c->key, s, &e) < 0)
		return in_err(r, &e);
	*slot = s;
	return 0;
}

static int read_tags(http_req *r, json_t *v, struct case_input *ci)
{
	if (json_is_null(v)) {
		ci->tags = "[]";
		return 0;
	}
	if (!json_is_array(v) || json_array_size(v) > MAX_TAGS)
		return http_fail(r, KF_EINVAL, "tags", "tags 必须是最多 %d 个标签的数组",
				 "tags must be an array of at most %d tags", MAX_TAGS);
	json_t *arr = json_array();
	size_t i, n;
	json_t *t;
	json_array_foreach(v, i, t)
	{
		if (!json_is_string(t) || !valid_utf8_len(json_string_value(t), 20, &n) || n == 0 ||
		    strchr(json_string_value(t), ',') ||
		    strlen(json_string_value(t)) != json_string_length(t)) {
			json_decref(arr);
			return http_fail(r, KF_EINVAL, arena_printf(r->a, "tags[%zu]", i),
					 "标签须为 1 到 20 个字符且不含逗号",
					 "Tags are 1 to 20 characters without commas");
		}
		int dup = 0;
		size_t j;
		json_t *u;
		json_array_foreach(arr, j, u) dup |= json_equal(u, t);
		if (!dup)
			json_array_append(arr, t);
	}
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	ci->tags = arena_strdup(r->a, s ? s : "[]");
	free(s);
	return 0;
}

static int read_customer(http_req *r, json_t *v, struct case_input *ci)
{
	int rc;
	if (!json_is_object(v))
		return http_fail(r, KF_EINVAL, "customer", "customer 必须是对象 {phone, name}",
				 "customer must be an object {phone, name}");
	if ((rc = in_only_keys(r, v, customer_keys, "customer")) < 0)
		return rc;
	const char *phone, *name;
	if ((rc = in_str(r, v, "phone", 32, 1, &phone, NULL)) < 0) {
		r->err.field = "customer.phone";
		return rc;
	}
	if ((rc = in_str(r, v, "name", 100, 0, &name, NULL)) < 0) {
		r->err.field = "customer.name";
		return rc;
	}
	char e164[PHONE_E164_SIZE + 8];
	kf_err e;
	kf_err_clear(&e);
	if (phone_normalize(phone, e164, sizeof(e164), &e) < 0) {
		e.field = "customer.phone";
		return in_err(r, &e);
	}
	ci->customer_phone = arena_strdup(r->a, e164);
	ci->customer_name = name && *name ? name : NULL;
	return 0;
}

/* An id that may be null (to clear it). */
static int read_ref(http_req *r, json_t *in, const char *key, int64_t *out, int *present)
{
	json_t *v = json_object_get(in, key);
	*present = v != NULL;
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return http_fail(r, KF_EINVAL, key, "字段 %s 必须是编号（正整数）或 null",
				 "The field %s must be an id (positive integer) or null", key);
	*out = json_integer_value(v);
	return 0;
}

int case_input_read(http_req *r, json_t *in, int creating, struct case_input *ci, int64_t now)
{
	int rc, present;
	memset(ci, 0, sizeof(*ci));
	if (!in)
		return creating ? http_fail(r, KF_EINVAL, "type", "缺少必填字段 type", "The field type is required")
				: http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	if ((rc = in_only_keys(r, in, creating ? create_keys : patch_keys, NULL)) < 0)
		return rc;
	for (size_t i = 0; i < KF_ARRAY_LEN(classes); i++) {
		if (!creating && !strcmp(classes[i].key, "type"))
			continue;
		if ((rc = read_class(r, in, &classes[i], creating, ci)) < 0)
			return rc;
	}
	for (size_t i = 0; i < KF_ARRAY_LEN(texts); i++) {
		const char **slot = case_input_slot(ci, texts[i].key);
		if ((rc = in_str(r, in, texts[i].key, texts[i].max, creating && texts[i].required, slot,
				 &present)) < 0)
			return rc;
		if (present && !*slot && texts[i].required)
			return http_fail(r, KF_EINVAL, texts[i].key, "字段 %s 不能为空",
					 "The field %s must not be empty", texts[i].key);
		if (!present && creating)
			*slot = "";
		else if (present && !*slot)
			*slot = "";
	}
	json_t *v = json_object_get(in, "emotion");
	ci->emotion_given = v && !json_is_null(v);
	if ((v = json_object_get(in, "tags")) && (rc = read_tags(r, v, ci)) < 0)
		return rc;
	if (!ci->tags && creating)
		ci->tags = "[]";
	if ((rc = read_ref(r, in, "assignee_id", &ci->assignee_id, &ci->has_assignee)) < 0 ||
	    (rc = read_ref(r, in, "department_id", &ci->department_id, &ci->has_department)) < 0 ||
	    (rc = in_int(r, in, "required_capability", 1, 5, 0, &ci->required_capability, NULL)) < 0)
		return rc;
	if (!creating)
		return 0;
	if ((rc = in_int(r, in, "customer_id", 1, INT64_MAX, 0, &ci->customer_id, NULL)) < 0 ||
	    (rc = in_int(r, in, "received_at", 1, INT64_MAX, 0, &ci->received_at, &present)) < 0 ||
	    (rc = in_bool(r, in, "auto_assign", &ci->auto_assign, &present)) < 0)
		return rc;
	if (!present)
		ci->auto_assign = 1;
	if ((v = json_object_get(in, "customer")) && !json_is_null(v) &&
	    (rc = read_customer(r, v, ci)) < 0)
		return rc;
	if (!ci->customer_id == !ci->customer_phone)
		return http_fail(r, KF_EINVAL, "customer_id",
				 "请给出 customer_id（已有客户）或 customer.phone（来电号码）之一",
				 "Give either customer_id (an existing customer) or customer.phone");
	if (ci->subtype && *ci->subtype && strcmp(ci->type, "after_sales"))
		return http_fail(r, KF_EINVAL, "subtype", "只有售后工单有 subtype",
				 "Only after-sales cases have a subtype");
	/* Letters and calls are entered after the fact; the future is a typo. */
	if (!ci->received_at)
		ci->received_at = now;
	if (ci->received_at > now + 5 * 60000 || ci->received_at < now - 400 * 86400000LL)
		return http_fail(r, KF_EINVAL, "received_at",
				 "received_at（客户来访时间，UTC 毫秒）须在过去 400 天之内且不晚于现在",
				 "received_at (when the customer got in touch, UTC ms) lies within the past 400 days");
	return 0;
}
