/* customer_input.c - validating and normalising a customer file from JSON.
 *
 * One table lists the writable fields with their type; each type has one
 * validator.  Errors name the field exactly, nested ones with a path such
 * as contacts[2].phone, so the UI can put the message beside the input. */
#include "app/customer.h"

#include <string.h>

#include "core/classes.h"
#include "core/phone.h"
#include "core/validate.h"
#include "lib/common.h"

const struct cfield customer_fields[] = {
	{"name", CF_TEXT, 100, NULL},
	{"kind", CF_CLASS, 0, "kind"},
	{"source", CF_CLASS, 0, "source"},
	{"lifecycle", CF_CLASS, 0, "lifecycle"},
	{"chain_role", CF_CLASS, 0, "chain_role"},
	{"value_class", CF_CLASS, 0, "value_class"},
	{"industry", CF_TEXT, 50, NULL},
	{"company", CF_TEXT, 100, NULL},
	{"address", CF_TEXT, 200, NULL},
	{"phone", CF_PHONE, 0, NULL},
	{"email", CF_EMAIL, 0, NULL},
	{"wechat", CF_TEXT, 64, NULL},
	{"birthday", CF_DATE, 0, NULL},
	{"standing", CF_TEXT, 200, NULL},
	{"hobbies", CF_TEXT, 200, NULL},
	{"memorable", CF_TEXT, 2000, NULL},
	{"notes", CF_TEXT, 5000, NULL},
	{"contacts", CF_CONTACTS, 0, NULL},
	{"dates", CF_DATES, 0, NULL},
	{"preferences", CF_PREFS, 0, NULL},
	{"dnd", CF_DND, 0, NULL},
	{"tags", CF_TAGS, 0, NULL},
	{"owner_id", CF_OWNER, 0, NULL},
};
const size_t customer_nfields = KF_ARRAY_LEN(customer_fields);

enum { MAX_CONTACTS = 20, MAX_DATES = 20, MAX_PREFS = 30, MAX_DND = 14, MAX_TAGS = 20 };

static int type_error(http_req *r, const char *f, const char *zh_type, const char *en_type)
{
	return http_fail(r, KF_EINVAL, f, "字段 %s 必须是%s", "The field %s must be %s", f, zh_type,
			 en_type);
}

/* A string member of a nested object: absent or null is "". */
static int sub_str(http_req *r, json_t *o, const char *path, const char *key, size_t max,
		   int required, const char **out)
{
	const char *f = arena_printf(r->a, "%s.%s", path, key);
	json_t *v = json_object_get(o, key);
	*out = "";
	if (!v || json_is_null(v)) {
		if (required)
			return http_fail(r, KF_EINVAL, f, "缺少必填字段 %s", "The field %s is required", f);
		return 0;
	}
	if (!json_is_string(v))
		return type_error(r, f, "字符串", "a string");
	size_t n;
	if (strlen(json_string_value(v)) != json_string_length(v) ||
	    !valid_utf8_len(json_string_value(v), max, &n))
		return http_fail(r, KF_EINVAL, f, "字段 %s 过长或含有不允许的字符",
				 "The field %s is too long or contains characters that are not allowed",
				 f);
	if (required && n == 0)
		return http_fail(r, KF_EINVAL, f, "字段 %s 不能为空", "The field %s must not be empty", f);
	*out = json_string_value(v);
	return 0;
}

static int norm_phone(http_req *r, const char *f, const char *in, json_t **out)
{
	char e164[32];
	kf_err e;
	kf_err_clear(&e);
	if (!*in) {
		*out = json_null();
		return 0;
	}
	if (phone_normalize(in, e164, sizeof(e164), &e) < 0) {
		e.field = f;
		return in_err(r, &e);
	}
	*out = json_string(e164);
	return 0;
}

static const char *const contact_keys[] = {"name", "role", "phone", "email", "wechat", NULL};

static int v_contacts(http_req *r, json_t *v, json_t **out)
{
	if (!json_is_array(v))
		return type_error(r, "contacts", "数组", "an array");
	if (json_array_size(v) > MAX_CONTACTS)
		return http_fail(r, KF_EINVAL, "contacts", "联系人最多 %d 个", "At most %d contacts",
				 MAX_CONTACTS);
	json_t *arr = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(v, i, c)
	{
		const char *path = arena_printf(r->a, "contacts[%zu]", i);
		const char *name, *role, *phone, *email, *wechat;
		json_t *p = NULL;
		int rc;
		if (!json_is_object(c))
			rc = type_error(r, path, "对象", "an object");
		else if ((rc = in_only_keys(r, c, contact_keys, path)) < 0 ||
			 (rc = sub_str(r, c, path, "name", 50, 1, &name)) < 0 ||
			 (rc = sub_str(r, c, path, "role", 50, 0, &role)) < 0 ||
			 (rc = sub_str(r, c, path, "phone", 32, 0, &phone)) < 0 ||
			 (rc = sub_str(r, c, path, "email", 254, 0, &email)) < 0 ||
			 (rc = sub_str(r, c, path, "wechat", 64, 0, &wechat)) < 0 ||
			 (rc = norm_phone(r, arena_printf(r->a, "%s.phone", path), phone, &p)) < 0)
			;
		else if (*email && !valid_email(email))
			rc = http_fail(r, KF_EINVAL, arena_printf(r->a, "%s.email", path),
				       "电子邮箱格式不正确", "Invalid e-mail address");
		if (rc < 0) {
			json_decref(p);
			json_decref(arr);
			return rc;
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o, s:s, s:s}", "name", name, "role",
						     role, "phone", p, "email", email, "wechat",
						     wechat));
	}
	*out = arr;
	return 0;
}

static const char *const date_keys[] = {"kind", "label", "date", NULL};

static int v_dates(http_req *r, json_t *v, json_t **out)
{
	if (!json_is_array(v))
		return type_error(r, "dates", "数组", "an array");
	if (json_array_size(v) > MAX_DATES)
		return http_fail(r, KF_EINVAL, "dates", "重要日期最多 %d 个", "At most %d dates",
				 MAX_DATES);
	json_t *arr = json_array();
	size_t i;
	json_t *d;
	json_array_foreach(v, i, d)
	{
		const char *path = arena_printf(r->a, "dates[%zu]", i);
		const char *kind, *label, *date;
		int rc;
		kf_err e;
		kf_err_clear(&e);
		if (!json_is_object(d))
			rc = type_error(r, path, "对象", "an object");
		else if ((rc = in_only_keys(r, d, date_keys, path)) < 0 ||
			 (rc = sub_str(r, d, path, "kind", 16, 1, &kind)) < 0 ||
			 (rc = sub_str(r, d, path, "label", 50, 0, &label)) < 0 ||
			 (rc = sub_str(r, d, path, "date", 10, 1, &date)) < 0)
			;
		else if (class_check("date_kind", arena_printf(r->a, "%s.kind", path), kind, &e) < 0)
			rc = in_err(r, &e);
		else if (!valid_date(date))
			rc = http_fail(r, KF_EINVAL, arena_printf(r->a, "%s.date", path),
				       "日期格式应为 YYYY-MM-DD 或 MM-DD", "Dates are YYYY-MM-DD or MM-DD");
		if (rc < 0) {
			json_decref(arr);
			return rc;
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "kind", kind, "label", label,
						     "date", date));
	}
	*out = arr;
	return 0;
}

static int v_prefs(http_req *r, json_t *v, json_t **out)
{
	if (!json_is_object(v))
		return type_error(r, "preferences", "对象（名称 → 说明）", "an object (name → text)");
	if (json_object_size(v) > MAX_PREFS)
		return http_fail(r, KF_EINVAL, "preferences", "偏好最多 %d 项", "At most %d preferences",
				 MAX_PREFS);
	const char *k;
	json_t *x;
	size_t n;
	json_object_foreach(v, k, x)
	{
		const char *f = arena_printf(r->a, "preferences.%s", k);
		if (!valid_utf8_len(k, 50, &n) || n == 0)
			return http_fail(r, KF_EINVAL, f, "偏好名称须为 1 到 50 个字符",
					 "Preference names are 1 to 50 characters");
		if (!json_is_string(x))
			return type_error(r, f, "字符串", "a string");
		if (!valid_utf8_len(json_string_value(x), 200, &n))
			return http_fail(r, KF_EINVAL, f, "偏好内容最多 200 个字符",
					 "Preference texts are at most 200 characters");
	}
	*out = json_deep_copy(v);
	return 0;
}

static const char *const dnd_keys[] = {"days", "start", "end", "note", NULL};

static int v_dnd_days(http_req *r, json_t *days, const char *path, json_t **out)
{
	const char *f = arena_printf(r->a, "%s.days", path);
	if (!json_is_array(days) || json_array_size(days) == 0 || json_array_size(days) > 7)
		return http_fail(r, KF_EINVAL, f, "days 必须是 1（周一）到 7（周日）的非空数组",
				 "days must be a non-empty array of 1 (Monday) to 7 (Sunday)");
	int seen[8] = {0};
	size_t j;
	json_t *dv;
	json_array_foreach(days, j, dv)
	{
		if (!json_is_integer(dv) || json_integer_value(dv) < 1 || json_integer_value(dv) > 7 ||
		    seen[json_integer_value(dv)]++)
			return http_fail(r, KF_EINVAL, f,
					 "days 必须是 1（周一）到 7（周日）的不重复整数",
					 "days must be distinct integers from 1 (Monday) to 7 (Sunday)");
	}
	json_t *arr = json_array();
	for (int d = 1; d <= 7; d++)
		if (seen[d])
			json_array_append_new(arr, json_integer(d));
	*out = arr;
	return 0;
}

static int v_dnd(http_req *r, json_t *v, json_t **out)
{
	if (!json_is_array(v))
		return type_error(r, "dnd", "数组", "an array");
	if (json_array_size(v) > MAX_DND)
		return http_fail(r, KF_EINVAL, "dnd", "免打扰时段最多 %d 个",
				 "At most %d do-not-disturb windows", MAX_DND);
	json_t *arr = json_array();
	size_t i;
	json_t *w;
	json_array_foreach(v, i, w)
	{
		const char *path = arena_printf(r->a, "dnd[%zu]", i);
		const char *start, *end, *note;
		json_t *days = NULL;
		int rc, ms, me;
		if (!json_is_object(w))
			rc = type_error(r, path, "对象", "an object");
		else if ((rc = in_only_keys(r, w, dnd_keys, path)) < 0 ||
			 (rc = sub_str(r, w, path, "start", 5, 1, &start)) < 0 ||
			 (rc = sub_str(r, w, path, "end", 5, 1, &end)) < 0 ||
			 (rc = sub_str(r, w, path, "note", 100, 0, &note)) < 0 ||
			 (rc = v_dnd_days(r, json_object_get(w, "days"), path, &days)) < 0)
			;
		else if (!valid_hhmm(start, &ms) || ms >= 1440)
			rc = http_fail(r, KF_EINVAL, arena_printf(r->a, "%s.start", path),
				       "时间格式应为 HH:MM（00:00–23:59）", "Times are HH:MM (00:00–23:59)");
		else if (!valid_hhmm(end, &me))
			rc = http_fail(r, KF_EINVAL, arena_printf(r->a, "%s.end", path),
				       "时间格式应为 HH:MM（00:00–24:00）", "Times are HH:MM (00:00–24:00)");
		else if (ms == me)
			rc = http_fail(r, KF_EINVAL, arena_printf(r->a, "%s.end", path),
				       "结束时间不能等于开始时间", "The end must differ from the start");
		if (rc < 0) {
			json_decref(days);
			json_decref(arr);
			return rc;
		}
		json_array_append_new(arr, json_pack("{s:o, s:s, s:s, s:s}", "days", days, "start",
						     start, "end", end, "note", note));
	}
	*out = arr;
	return 0;
}

static int v_tags(http_req *r, json_t *v, json_t **out)
{
	if (!json_is_array(v))
		return type_error(r, "tags", "字符串数组", "an array of strings");
	if (json_array_size(v) > MAX_TAGS)
		return http_fail(r, KF_EINVAL, "tags", "标签最多 %d 个", "At most %d tags", MAX_TAGS);
	json_t *arr = json_array();
	size_t i, n;
	json_t *t;
	json_array_foreach(v, i, t)
	{
		const char *f = arena_printf(r->a, "tags[%zu]", i);
		if (!json_is_string(t) || !valid_utf8_len(json_string_value(t), 20, &n) || n == 0 ||
		    strchr(json_string_value(t), ',')) {
			json_decref(arr);
			return http_fail(r, KF_EINVAL, f, "标签须为 1 到 20 个字符且不含逗号",
					 "Tags are 1 to 20 characters without commas");
		}
		int dup = 0;
		size_t j;
		json_t *u;
		json_array_foreach(arr, j, u) dup |= json_equal(u, t);
		if (!dup)
			json_array_append(arr, t);
	}
	*out = arr;
	return 0;
}

static int v_owner(http_req *r, json_t *v, int creating, json_t **out)
{
	if (json_is_null(v)) {
		if (r->user.role < ROLE_SUPERVISOR)
			return http_fail(r, KF_EFORBIDDEN, "owner_id", "只有主管可以更改负责人",
					 "Only supervisors change the owner");
		*out = json_null();
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return type_error(r, "owner_id", "用户编号（整数）", "a user id (integer)");
	int64_t uid = json_integer_value(v);
	if (r->user.role < ROLE_SUPERVISOR && !(creating && uid == r->user.id))
		return http_fail(r, KF_EFORBIDDEN, "owner_id", "只有主管可以更改负责人",
				 "Only supervisors change the owner");
	int64_t dis;
	int rc = db_query_int(r->db, "SELECT disabled FROM users WHERE id = ?", DB_ARGS(DBI(uid)),
			      &dis);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW || dis)
		return http_fail(r, KF_EINVAL, "owner_id", "负责人 %lld 不存在或已停用",
				 "The owner %lld does not exist or is disabled", (long long)uid);
	*out = json_integer(uid);
	return 0;
}

static int v_field(http_req *r, const struct cfield *f, json_t *v, int creating, json_t **out)
{
	const char *s;
	kf_err e;
	kf_err_clear(&e);
	*out = NULL;
	switch (f->type) {
	case CF_CONTACTS:
		return json_is_null(v) ? (*out = json_array(), 0) : v_contacts(r, v, out);
	case CF_DATES:
		return json_is_null(v) ? (*out = json_array(), 0) : v_dates(r, v, out);
	case CF_PREFS:
		return json_is_null(v) ? (*out = json_object(), 0) : v_prefs(r, v, out);
	case CF_DND:
		return json_is_null(v) ? (*out = json_array(), 0) : v_dnd(r, v, out);
	case CF_TAGS:
		return json_is_null(v) ? (*out = json_array(), 0) : v_tags(r, v, out);
	case CF_OWNER:
		return v_owner(r, v, creating, out);
	default:
		break;
	}
	/* The rest are strings: null clears an optional one. */
	json_t *holder = json_pack("{s:O}", f->name, v);
	int rc = in_str(r, holder, f->name, f->max ? f->max : 254,
			!strcmp(f->name, "name"), &s, NULL);
	if (rc == 0 && !s)
		s = "";
	if (rc == 0 && f->type == CF_CLASS && class_check(f->cls, f->name, s, &e) < 0)
		rc = in_err(r, &e);
	else if (rc == 0 && f->type == CF_EMAIL && *s && !valid_email(s))
		rc = http_fail(r, KF_EINVAL, f->name, "电子邮箱格式不正确", "Invalid e-mail address");
	else if (rc == 0 && f->type == CF_DATE && *s && !valid_date(s))
		rc = http_fail(r, KF_EINVAL, f->name, "日期格式应为 YYYY-MM-DD 或 MM-DD",
			       "Dates are YYYY-MM-DD or MM-DD");
	if (rc == 0 && f->type == CF_PHONE)
		rc = norm_phone(r, f->name, s, out);
	else if (rc == 0)
		*out = json_string(s);
	if (rc == 0 && f->type == CF_CLASS && json_is_null(v))
		rc = http_fail(r, KF_EINVAL, f->name, "字段 %s 不能为空", "The field %s must not be empty",
			       f->name);
	/* s may point into holder: copy done above before the release. */
	json_decref(holder);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

json_t *customer_validate(http_req *r, json_t *in, int creating, const char *const *extra_keys)
{
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v)
	{
		int known = 0;
		for (size_t i = 0; i < customer_nfields && !known; i++)
			known = !strcmp(customer_fields[i].name, k);
		for (const char *const *x = extra_keys; x && *x && !known; x++)
			known = !strcmp(*x, k);
		if (!known) {
			http_fail(r, KF_EINVAL, arena_strdup(r->a, k), "未知字段 %s",
				  "Unknown field %s", k);
			return NULL;
		}
	}
	if (creating && !json_object_get(in, "name")) {
		http_fail(r, KF_EINVAL, "name", "缺少必填字段 name（客户名称）",
			  "The field name (customer name) is required");
		return NULL;
	}
	json_t *vals = json_object();
	for (size_t i = 0; i < customer_nfields; i++) {
		const struct cfield *f = &customer_fields[i];
		json_t *given = json_object_get(in, f->name), *out;
		if (!given)
			continue;
		if (v_field(r, f, given, creating, &out) < 0) {
			json_decref(vals);
			return NULL;
		}
		json_object_set_new(vals, f->name, out);
	}
	return vals;
}
