/* fuzz_portal.c - what the customer portal's public forms send, and the
 * portal's settings: the first byte chooses the form, jansson parses the
 * rest as the server does (JSON_REJECT_DUPLICATES, an object), then
 * app/portal_input.c reads it.  No database.
 *
 *   byte % 4 == 0   POST /api/portal/inquiries (seeds start with the digit)
 *               1   POST /api/portal/cards/{slug}: the body, plus "questions"
 *                   (the card's template, checked by survey_questions_check
 *                   as when it was saved), then the answers against them
 *               2   POST /api/portal/surveys/{token}: the same
 *               3   PUT /api/portal-settings
 *
 * Invariants: a refusal names a field and has a negative code (answers.KEY
 * for an answer, questions[i].KEY for a template); an accepted inquiry has
 * a type in its vocabulary, a phone in E.164 that normalises to itself,
 * and texts of valid UTF-8 within their limits; accepted answers name only
 * the template's questions, answer every required one, give scores within
 * their scale (the same scores as returned), choices among the options, and
 * texts of valid UTF-8 of at most PORTAL_TEXT_MAX characters without NUL;
 * accepted settings have every given field of its type and within limits. */
#include "tests/fuzz/fuzz.h"

#include "app/portal_input.h"
#include "app/survey.h"
#include "core/phone.h"
#include "core/satisfaction.h"
#include "core/validate.h"

static void check_refusal(const http_req *r, int rc, const char *prefix)
{
	FUZZ_CHECK(rc < 0 && r->err.code == rc, "code %d, error %d", rc, r->err.code);
	FUZZ_CHECK(r->err.field, "refusal names no field: %s", r->err.en);
	FUZZ_CHECK(fuzz_utf8_str(r->err.zh) && fuzz_utf8_str(r->err.en), "message is not UTF-8");
	if (prefix)
		FUZZ_CHECK(!strncmp(r->err.field, prefix, strlen(prefix)), "refusal names %s, not %s*",
			   r->err.field, prefix);
}

/* A string field of the body, if given: valid UTF-8 of at most max chars. */
static void check_text(json_t *o, const char *key, size_t max, int required)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		FUZZ_CHECK(!required, "%s is missing", key);
		return;
	}
	FUZZ_CHECK(json_is_string(v), "%s is not a string", key);
	const char *s = json_string_value(v);
	size_t n;
	FUZZ_CHECK(strlen(s) == json_string_length(v), "%s has a NUL", key);
	FUZZ_CHECK(fuzz_utf8_str(s) && valid_utf8_len(s, max, &n), "%s is longer than %zu", key, max);
	FUZZ_CHECK(!required || n > 0, "%s is empty", key);
}

static void check_e164(const char *what, const char *s)
{
	char again[PHONE_E164_SIZE];
	FUZZ_CHECK(s[0] == '+' && phone_normalize(s, again, sizeof(again), NULL) == 0 &&
			   !strcmp(again, s),
		   "%s [%s] is not E.164", what, s);
}

static void inquiry(http_req *r)
{
	struct portal_inquiry q;
	int rc = portal_inquiry_read(r, &q);
	if (rc < 0)
		return check_refusal(r, rc, NULL);
	if (rc == 1) {
		json_t *w = json_object_get(r->json, "website");
		FUZZ_CHECK(w && !json_is_null(w) && !(json_is_string(w) && !*json_string_value(w)),
			   "taken for a bot without the hidden field");
		return;
	}
	FUZZ_CHECK(rc == 0, "rc %d", rc);
	FUZZ_CHECK(!strcmp(q.type, "inquiry") || !strcmp(q.type, "complaint") ||
			   !strcmp(q.type, "suggestion"),
		   "type %s", q.type);
	check_e164("phone", q.phone);
	check_text(r->json, "name", 50, 0);
	check_text(r->json, "subject", 200, 1);
	check_text(r->json, "description", 5000, 0);
}

static int is_option(json_t *q, json_t *item)
{
	size_t m;
	json_t *opt;
	json_array_foreach(json_object_get(q, "options"), m, opt)
	if (json_is_string(item) &&
	    !strcmp(json_string_value(item), json_string_value(json_object_get(opt, "key"))))
		return 1;
	return 0;
}

static void answers(http_req *r, json_t *qs, int card)
{
	char phone[32];
	int rc = card ? portal_card_read(r, phone) : portal_survey_read(r);
	if (rc < 0)
		return check_refusal(r, rc, NULL);
	if (rc == 1) {
		FUZZ_CHECK(card, "a survey answer taken for a bot");
		return;
	}
	if (card && phone[0])
		check_e164("phone", phone);
	if ((rc = survey_questions_check(r, qs)) < 0)
		return check_refusal(r, rc, "questions");
	json_t *ans = json_object_get(r->json, "answers");
	struct portal_answers a;
	if ((rc = portal_answers_check(r, qs, ans, &a)) < 0)
		return check_refusal(r, rc, "answers");
	FUZZ_CHECK(rc == 0 && json_is_object(ans), "rc %d", rc);
	const char *k;
	json_t *v, *q;
	size_t i;
	json_object_foreach(ans, k, v)
	{
		int found = 0;
		json_array_foreach(qs, i, q) found |= !strcmp(k, json_string_value(json_object_get(q, "key")));
		FUZZ_CHECK(found, "answer %s to no question", k);
	}
	int scores[3] = {-1, -1, -1};
	json_array_foreach(qs, i, q)
	{
		const char *key = json_string_value(json_object_get(q, "key"));
		int kind = sat_kind_parse(json_string_value(json_object_get(q, "kind"))), lo, hi;
		v = json_object_get(ans, key);
		int empty = !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) ||
			    (json_is_array(v) && !json_array_size(v));
		if (empty) {
			FUZZ_CHECK(!json_is_true(json_object_get(q, "required")), "%s unanswered", key);
			continue;
		}
		if (sat_scale(kind, &lo, &hi) == 0) {
			FUZZ_CHECK(json_is_integer(v) && json_integer_value(v) >= lo &&
					   json_integer_value(v) <= hi,
				   "%s out of its scale", key);
			scores[kind] = (int)json_integer_value(v);
		} else if (kind == SAT_TEXT) {
			FUZZ_CHECK(json_is_string(v), "%s is not text", key);
			const char *s = json_string_value(v);
			size_t n;
			FUZZ_CHECK(strlen(s) == json_string_length(v), "text answer %s has a NUL", key);
			FUZZ_CHECK(valid_utf8_len(s, PORTAL_TEXT_MAX, &n),
				   "text answer %s is longer than %d characters", key, PORTAL_TEXT_MAX);
		} else if (kind == SAT_SINGLE) {
			FUZZ_CHECK(is_option(q, v), "%s is not an option", key);
		} else {
			size_t j;
			json_t *x;
			FUZZ_CHECK(json_is_array(v), "%s is not a list", key);
			json_array_foreach(v, j, x) FUZZ_CHECK(is_option(q, x), "%s[%zu] is not an option", key, j);
		}
	}
	FUZZ_CHECK(a.csat == scores[SAT_CSAT] && a.nps == scores[SAT_NPS] &&
			   a.effort == scores[SAT_EFFORT],
		   "scores %d %d %d, answered %d %d %d", a.csat, a.nps, a.effort, scores[0], scores[1],
		   scores[2]);
	FUZZ_CHECK(a.comment && fuzz_utf8_str(a.comment), "comment");
}

static void settings(http_req *r)
{
	const char *actor;
	int rc = portal_settings_read(r, &actor);
	if (rc < 0)
		return check_refusal(r, rc, NULL);
	json_t *o = r->json;
	check_text(o, "company_name", 100, 0);
	check_text(o, "hotline", 40, 0);
	check_text(o, "complaint_email", 200, 0);
	check_text(o, "base_url", 200, 0);
	check_text(o, "pledge", 5000, 0);
	check_text(o, "actor", 64, 0);
	const char *e = json_string_value(json_object_get(o, "complaint_email"));
	FUZZ_CHECK(!e || !*e || strchr(e, '@'), "complaint_email %s", e);
	const char *u = json_string_value(json_object_get(o, "base_url"));
	FUZZ_CHECK(!u || !*u || !strncmp(u, "https://", 8) || !strncmp(u, "http://", 7), "base_url %s", u);
	static const char *const limits[] = {"limit_per_ip", "limit_per_phone"};
	for (size_t i = 0; i < 2; i++) {
		json_t *l = json_object_get(o, limits[i]);
		FUZZ_CHECK(!l || json_is_null(l) ||
				   (json_is_integer(l) && json_integer_value(l) >= 1 &&
				    json_integer_value(l) <= 10000),
			   "%s", limits[i]);
	}
	json_t *cs = json_object_get(o, "contacts"), *c;
	size_t i;
	FUZZ_CHECK(!cs || json_is_null(cs) || (json_is_array(cs) && json_array_size(cs) <= 20), "contacts");
	json_array_foreach(cs, i, c)
	{
		FUZZ_CHECK(json_is_object(c), "contact %zu", i);
		check_text(c, "name", 50, 1);
		check_text(c, "role", 50, 0);
		check_text(c, "phone", 40, 0);
		check_text(c, "email", 200, 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned form = data[0] % 4;
	json_error_t je;
	json_t *in = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &je);
	if (!in)
		return 0;
	if (!json_is_object(in)) {
		json_decref(in);
		return 0;
	}
	json_t *qs = json_incref(json_object_get(in, "questions"));
	arena *a = arena_new();
	http_req r;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.json = in;
	if (form == 0) {
		inquiry(&r);
	} else if (form == 3) {
		settings(&r);
	} else {
		json_object_del(in, "questions");
		answers(&r, qs, form == 1);
	}
	arena_free(a);
	json_decref(qs);
	json_decref(in);
	return 0;
}
