/* kb_input.c - reading the bodies of the knowledge base's routes: the
 * content of a version (title, questions, answer, tags, note, category),
 * the intent of an edit (submit, publish) and a new category.  No
 * database: kb.c and kb_versions.c check that a category exists. */
#include "app/kb.h"

#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "lib/common.h"

/* An array of at most max_items non-empty strings of at most max_chars,
 * duplicates dropped, as compact JSON. */
static int read_list(http_req *r, json_t *in, const char *key, size_t max_items, size_t max_chars,
		     const char **out)
{
	json_t *v = json_object_get(in, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return http_fail(r, KF_EINVAL, key, "字段 %s 必须是字符串数组",
				 "The field %s must be an array of strings", key);
	if (json_array_size(v) > max_items)
		return http_fail(r, KF_EINVAL, key, "字段 %s 最多 %zu 项",
				 "The field %s has at most %zu items", key, max_items);
	json_t *clean = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(v, i, s)
	{
		const char *f = arena_printf(r->a, "%s[%zu]", key, i);
		size_t n = 0;
		if (!json_is_string(s) || strlen(json_string_value(s)) != json_string_length(s) ||
		    !valid_utf8_len(json_string_value(s), max_chars, &n) || n == 0) {
			json_decref(clean);
			return http_fail(r, KF_EINVAL, f, "%s 必须是 1 到 %zu 个字符的文字",
					 "%s must be text of 1 to %zu characters", f, max_chars);
		}
		int dup = 0;
		size_t j;
		json_t *c;
		json_array_foreach(clean, j, c) dup |= json_equal(c, s);
		if (!dup)
			json_array_append(clean, s);
	}
	char *txt = json_dumps(clean, JSON_COMPACT);
	*out = arena_strdup(r->a, txt ? txt : "[]");
	free(txt);
	json_decref(clean);
	return 0;
}

int kb_content_read(http_req *r, json_t *in, const struct kb_content *base, struct kb_content *out)
{
	*out = *base;
	out->note = "";
	int rc, present;
	int64_t cat;
	const char *s;
	if ((rc = in_int(r, in, "category_id", 1, INT64_MAX, !base->category_id, &cat, &present)) < 0)
		return rc;
	if (present && cat)
		out->category_id = cat;
	if ((rc = in_str(r, in, "title", KB_TITLE_MAX, !base->title, &s, &present)) < 0)
		return rc;
	if (s && !*s)
		return http_fail(r, KF_EINVAL, "title", "标题不能为空", "The title must not be empty");
	if (s)
		out->title = s;
	if ((rc = in_str(r, in, "answer", KB_ANSWER_MAX, !base->answer, &s, &present)) < 0)
		return rc;
	if (s && !*s)
		return http_fail(r, KF_EINVAL, "answer", "回答内容不能为空",
				 "The answer must not be empty");
	if (s)
		out->answer = s;
	if ((rc = in_str(r, in, "note", KB_NOTE_MAX, 0, &s, &present)) < 0)
		return rc;
	if (s)
		out->note = s;
	if ((rc = read_list(r, in, "questions", KB_QUESTIONS_MAX, KB_QUESTION_MAX, &out->questions)) <
		    0 ||
	    (rc = read_list(r, in, "tags", KB_TAGS_MAX, KB_TAG_MAX, &out->tags)) < 0)
		return rc;
	if (!out->questions)
		out->questions = "[]";
	if (!out->tags)
		out->tags = "[]";
	return 0;
}

/* "submit": true sends the first version to review; "publish": true
 * (supervisors) publishes it at once. */
int kb_read_intent(http_req *r, json_t *in, const char **state)
{
	int submit = 0, publish = 0, rc;
	if ((rc = in_bool(r, in, "submit", &submit, NULL)) < 0 ||
	    (rc = in_bool(r, in, "publish", &publish, NULL)) < 0)
		return rc;
	if (publish && r->user.role < ROLE_SUPERVISOR)
		return http_fail(r, KF_EFORBIDDEN, "publish", "只有主管可以直接发布",
				 "Only a supervisor may publish directly");
	*state = publish ? "pending" : submit ? "pending" : "draft";
	return publish;
}

int kb_category_read(http_req *r, const char **code, const char **zh, const char **en,
		     int64_t *sort)
{
	static const char *const keys[] = {"code", "name_zh", "name_en", "sort_order", NULL};
	int rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "code", "缺少必填字段 code", "The field code is required");
	if ((rc = in_only_keys(r, r->json, keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "code", 40, 1, code, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name_zh", 40, 1, zh, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name_en", 60, 1, en, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "sort_order", 0, 100000, 0, sort, NULL)) < 0)
		return rc;
	for (const char *p = *code; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return http_fail(r, KF_EINVAL, "code", "code 只能包含小写字母、数字和下划线",
					 "code may contain only lower-case letters, digits and _");
	return 0;
}
