/* fuzz_kb.c - the bodies of the knowledge base's routes: the first byte
 * chooses the route (and the caller's role), jansson parses the rest as
 * the server does (JSON_REJECT_DUPLICATES, an object), then app/kb_input.c
 * reads it.  No database.
 *
 *   byte % 3 == 0   POST /api/kb: a new answer's content and intent
 *               1   POST /api/kb/{id}/versions: the content over a base version
 *               2   POST /api/kb/categories
 *   (byte / 3) % 3 + 1 is the role: agent, supervisor, admin
 *
 * Invariants: a refusal names a field and has a negative code; accepted
 * content has a category, a title and an answer not empty and within their
 * limits, a note within its limit, questions and tags as JSON arrays of
 * distinct non-empty strings within their limits, each given in the body
 * (in order, duplicates dropped), and every field not in the body the
 * base's; the intent is draft or pending, publishing only for supervisors
 * and admins; a category has a code of lower-case letters, digits and _,
 * two names and an order within range. */
#include "tests/fuzz/fuzz.h"

#include "app/kb.h"
#include "core/validate.h"

static void check_refusal(const http_req *r, int rc)
{
	FUZZ_CHECK(rc < 0 && r->err.code == rc, "code %d, error %d", rc, r->err.code);
	FUZZ_CHECK(r->err.field, "refusal names no field: %s", r->err.en);
	FUZZ_CHECK(fuzz_utf8_str(r->err.zh) && fuzz_utf8_str(r->err.en), "message is not UTF-8");
}

static void check_text(const char *what, const char *s, size_t max, int nonempty)
{
	size_t n;
	FUZZ_CHECK(s, "%s is NULL", what);
	FUZZ_CHECK(fuzz_utf8_str(s) && valid_utf8_len(s, max, &n), "%s: more than %zu", what, max);
	FUZZ_CHECK(!nonempty || n > 0, "%s is empty", what);
}

/* out is the list's JSON; given is the body's array (or NULL/null). */
static void check_list(const char *what, const char *out, json_t *given, const char *base,
		       size_t max_items, size_t max_chars)
{
	json_t *l = json_loads(out, 0, NULL);
	FUZZ_CHECK(json_is_array(l) && json_array_size(l) <= max_items, "%s: %s", what, out);
	size_t i, j;
	json_t *x, *y;
	json_array_foreach(l, i, x)
	{
		FUZZ_CHECK(json_is_string(x), "%s[%zu] is not a string", what, i);
		check_text(what, json_string_value(x), max_chars, 1);
		json_array_foreach(l, j, y) FUZZ_CHECK(j == i || !json_equal(x, y), "%s: twice", what);
	}
	if (given && !json_is_null(given)) {
		/* the body's items in order, first occurrences only */
		size_t k = 0;
		json_array_foreach(given, i, x)
		{
			int seen = 0;
			for (j = 0; j < i; j++)
				seen |= json_equal(json_array_get(given, j), x);
			if (!seen)
				FUZZ_CHECK(json_equal(json_array_get(l, k++), x), "%s: item %zu", what, i);
		}
		FUZZ_CHECK(k == json_array_size(l), "%s: %zu items of %zu", what, k, json_array_size(l));
	} else {
		FUZZ_CHECK(!strcmp(out, base ? base : "[]"), "%s changed without one given", what);
	}
	json_decref(l);
}

static int given(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return v && !json_is_null(v);
}

static void content(http_req *r, int edit)
{
	static const struct kb_content none = {0};
	static const struct kb_content base = {7, "退货流程", "[\"怎么退货\"]", "七天无理由退货。",
					       "[\"退货\",\"售后\"]", ""};
	const struct kb_content *b = edit ? &base : &none;
	struct kb_content c;
	int rc = kb_content_read(r, r->json, b, &c);
	if (rc < 0)
		return check_refusal(r, rc);
	json_t *o = r->json;
	FUZZ_CHECK(c.category_id > 0, "category %lld", (long long)c.category_id);
	if (!given(o, "category_id"))
		FUZZ_CHECK(c.category_id == b->category_id, "category changed");
	check_text("title", c.title, KB_TITLE_MAX, 1);
	check_text("answer", c.answer, KB_ANSWER_MAX, 1);
	check_text("note", c.note, KB_NOTE_MAX, 0);
	if (!given(o, "title"))
		FUZZ_CHECK(c.title == b->title, "title changed");
	if (!given(o, "answer"))
		FUZZ_CHECK(c.answer == b->answer, "answer changed");
	check_list("questions", c.questions, json_object_get(o, "questions"), b->questions,
		   KB_QUESTIONS_MAX, KB_QUESTION_MAX);
	check_list("tags", c.tags, json_object_get(o, "tags"), b->tags, KB_TAGS_MAX, KB_TAG_MAX);
	const char *state;
	int publish = kb_read_intent(r, o, &state);
	if (publish < 0)
		return check_refusal(r, publish);
	FUZZ_CHECK(!strcmp(state, "draft") || !strcmp(state, "pending"), "state %s", state);
	FUZZ_CHECK(!publish || r->user.role >= ROLE_SUPERVISOR, "an agent publishes");
	FUZZ_CHECK(!publish || !strcmp(state, "pending"), "published from %s", state);
}

static void category(http_req *r)
{
	const char *code, *zh, *en;
	int64_t sort;
	int rc = kb_category_read(r, &code, &zh, &en, &sort);
	if (rc < 0)
		return check_refusal(r, rc);
	check_text("code", code, 40, 1);
	FUZZ_CHECK(strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(code), "code %s", code);
	check_text("name_zh", zh, 40, 1);
	check_text("name_en", en, 60, 1);
	FUZZ_CHECK(sort >= 0 && sort <= 100000, "sort_order %lld", (long long)sort);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned route = data[0] % 3;
	json_error_t je;
	json_t *in = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &je);
	if (!in)
		return 0;
	if (!json_is_object(in)) {
		json_decref(in);
		return 0;
	}
	arena *a = arena_new();
	http_req r;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.user.id = 3;
	r.user.role = (int)(data[0] / 3 % 3) + 1;
	r.json = in;
	if (route == 2)
		category(&r);
	else
		content(&r, route == 1);
	arena_free(a);
	json_decref(in);
	return 0;
}
