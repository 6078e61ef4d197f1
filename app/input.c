/* input.c - decoding request JSON and query parameters, failing with the
 * field's name and a message in both languages. */
#include "app/app.h"

#include <stdio.h>
#include <string.h>

#include "core/validate.h"
#include "lib/common.h"
#include "lib/util.h"

int in_err(http_req *r, const kf_err *e)
{
	r->err = *e;
	return e->code;
}

static int missing(http_req *r, const char *key)
{
	return http_fail(r, KF_EINVAL, key, "缺少必填字段 %s", "The field %s is required", key);
}

int in_str(http_req *r, json_t *o, const char *key, size_t max_chars, int required,
	   const char **out, int *present)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (present)
		*present = v != NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return missing(r, key);
		return 0;
	}
	if (!json_is_string(v))
		return http_fail(r, KF_EINVAL, key, "字段 %s 必须是字符串", "The field %s must be a string",
				 key);
	const char *s = json_string_value(v);
	size_t n;
	if (strlen(s) != json_string_length(v) || !valid_utf8_len(s, max_chars, &n)) {
		if (valid_utf8_len(s, (size_t)-1, &n) && strlen(s) == json_string_length(v))
			return http_fail(r, KF_EINVAL, key, "字段 %s 过长（最多 %zu 个字符）",
					 "The field %s is too long (at most %zu characters)", key,
					 max_chars);
		return http_fail(r, KF_EINVAL, key, "字段 %s 含有不允许的字符",
				 "The field %s contains characters that are not allowed", key);
	}
	if (required && n == 0)
		return http_fail(r, KF_EINVAL, key, "字段 %s 不能为空", "The field %s must not be empty",
				 key);
	*out = s;
	return 0;
}

int in_int(http_req *r, json_t *o, const char *key, int64_t min, int64_t max, int required,
	   int64_t *out, int *present)
{
	json_t *v = json_object_get(o, key);
	*out = 0;
	if (present)
		*present = v != NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return missing(r, key);
		return 0;
	}
	if (!json_is_integer(v))
		return http_fail(r, KF_EINVAL, key, "字段 %s 必须是整数", "The field %s must be an integer",
				 key);
	json_int_t i = json_integer_value(v);
	if (i < min || i > max)
		return http_fail(r, KF_EINVAL, key, "字段 %s 必须在 %lld 到 %lld 之间",
				 "The field %s must be between %lld and %lld", key, (long long)min,
				 (long long)max);
	*out = i;
	return 0;
}

int in_bool(http_req *r, json_t *o, const char *key, int *out, int *present)
{
	json_t *v = json_object_get(o, key);
	*out = 0;
	if (present)
		*present = v != NULL;
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return http_fail(r, KF_EINVAL, key, "字段 %s 必须是 true 或 false",
				 "The field %s must be true or false", key);
	*out = json_is_true(v);
	return 0;
}

int in_only_keys(http_req *r, json_t *o, const char *const *allowed, const char *prefix)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			if (!strcmp(*a, k)) {
				ok = 1;
				break;
			}
		if (!ok) {
			const char *f = prefix ? arena_printf(r->a, "%s.%s", prefix, k)
					       : arena_strdup(r->a, k);
			return http_fail(r, KF_EINVAL, f, "未知字段 %s", "Unknown field %s", f);
		}
	}
	return 0;
}

int in_query_int(http_req *r, const char *name, int64_t min, int64_t max, int64_t dflt,
		 int64_t *out)
{
	const char *s = http_query(r, name);
	*out = dflt;
	if (!s || !*s)
		return 0;
	if (util_parse_i64(s, out) < 0 || *out < min || *out > max)
		return http_fail(r, KF_EINVAL, name, "参数 %s 必须是 %lld 到 %lld 之间的整数",
				 "The parameter %s must be an integer from %lld to %lld", name,
				 (long long)min, (long long)max);
	return 0;
}

/* A cursor is the last id seen, in hex behind a letter, so that clients
 * treat it as opaque and we may change its content later. */
int in_cursor(http_req *r, int64_t *after_id)
{
	const char *s = http_query(r, "cursor");
	*after_id = 0;
	if (!s || !*s)
		return 0;
	unsigned long long v = 0;
	char tail;
	if (s[0] != 'c' || strlen(s) > 17 || sscanf(s + 1, "%llx%c", &v, &tail) != 1 || v == 0 ||
	    v > INT64_MAX)
		return http_fail(r, KF_EINVAL, "cursor", "分页游标无效", "Invalid pagination cursor");
	*after_id = (int64_t)v;
	return 0;
}

char *out_cursor(http_req *r, int64_t id)
{
	return arena_printf(r->a, "c%llx", (unsigned long long)id);
}

int app_db_fail(http_req *r, int rc, const char *field)
{
	if (r->db)
		db_rollback(r->db);
	if (rc == DB_EUNIQUE)
		return http_fail(r, KF_ECONFLICT, field, "%s 已存在", "%s already exists",
				 field ? field : "record");
	return http_fail(r, KF_EDB, NULL, NULL, NULL);
}
