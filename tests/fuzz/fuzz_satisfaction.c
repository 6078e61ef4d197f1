/* fuzz_satisfaction.c - the bodies of the satisfaction routes staff use:
 * the first byte chooses the route, jansson parses the rest as the server
 * does (JSON_REJECT_DUPLICATES, an object), then app/satisfaction_input.c
 * or survey_questions_check (app/surveys.c) reads it.  No database.
 *
 *   byte % 5 == 0   POST /api/competitor-scores      (seeds: A to E)
 *               1   PATCH /api/competitor-scores/{id}, the stored measure
 *                   from the second byte
 *               2   POST /api/expectation-sheets
 *               3   PATCH /api/expectation-sheets/{id}
 *               4   the questions of POST/PATCH /api/survey-templates
 *
 * Invariants: a refusal names a field and has a negative code; an accepted
 * competitor score has a period written 2026, 2026-11 or 2026-Q4 (a month
 * 01-12, a quarter 1-4), a measure csat, nps or effort and a score within
 * its scale; an accepted sheet has 1 to 30 items, each an object with a
 * distinct non-empty attribute, an expected level 1-5 and a perceived one
 * 1-5 if any; accepted questions have distinct keys of lower-case letters,
 * digits and _, known kinds with at most one of each scored kind, and 2 to
 * 20 distinct options exactly for the choices. */
#include "tests/fuzz/fuzz.h"

#include <ctype.h>

#include "app/satisfaction_input.h"
#include "app/survey.h"
#include "core/satisfaction.h"
#include "core/validate.h"

static void check_refusal(const http_req *r, int rc)
{
	FUZZ_CHECK(rc < 0 && r->err.code == rc, "code %d, error %d", rc, r->err.code);
	FUZZ_CHECK(r->err.field, "refusal names no field: %s", r->err.en);
	FUZZ_CHECK(fuzz_utf8_str(r->err.zh) && fuzz_utf8_str(r->err.en), "message is not UTF-8");
}

static int scale(const char *m, int64_t *lo, int64_t *hi)
{
	if (!strcmp(m, "csat"))
		return *lo = 0, *hi = 10000, 0;
	if (!strcmp(m, "nps"))
		return *lo = -10000, *hi = 10000, 0;
	if (!strcmp(m, "effort"))
		return *lo = 100, *hi = 700, 0;
	return -1;
}

static int period_valid(const char *p)
{
	size_t n = strlen(p);
	if (n != 4 && n != 7)
		return 0;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)p[i]))
			return 0;
	if (n == 4)
		return 1;
	if (p[4] != '-')
		return 0;
	if (p[5] == 'Q')
		return p[6] >= '1' && p[6] <= '4';
	if (!isdigit((unsigned char)p[5]) || !isdigit((unsigned char)p[6]))
		return 0;
	int m = (p[5] - '0') * 10 + (p[6] - '0');
	return m >= 1 && m <= 12;
}

static void competitor(http_req *r, int creating, unsigned b)
{
	static const char *const measures[] = {"csat", "nps", "effort"};
	struct competitor_input c;
	int rc = competitor_input_read(r, creating, &c);
	if (rc < 0)
		return check_refusal(r, rc);
	int64_t lo, hi;
	if (creating) {
		FUZZ_CHECK(c.competitor && *c.competitor && c.period && c.measure && c.has_score,
			   "missing on create");
		FUZZ_CHECK(period_valid(c.period), "period %s", c.period);
		FUZZ_CHECK(scale(c.measure, &lo, &hi) == 0, "measure %s", c.measure);
		FUZZ_CHECK(c.score >= lo && c.score <= hi, "%s score %lld", c.measure, (long long)c.score);
	} else {
		FUZZ_CHECK(!c.competitor && !c.period && !c.measure, "identity changed");
		if (!c.has_score)
			return;
		const char *m = measures[b % 3];
		rc = competitor_score_check(r, m, c.score);
		scale(m, &lo, &hi);
		if (rc < 0) {
			check_refusal(r, rc);
			FUZZ_CHECK(c.score < lo || c.score > hi, "%s score %lld refused", m, (long long)c.score);
		} else {
			FUZZ_CHECK(c.score >= lo && c.score <= hi, "%s score %lld", m, (long long)c.score);
		}
	}
	size_t n;
	FUZZ_CHECK(!c.source || valid_utf8_len(c.source, 500, &n), "source");
}

static void sheet(http_req *r, int creating)
{
	struct sheet_input s;
	int rc = sheet_input_read(r, creating, &s);
	if (rc < 0)
		return check_refusal(r, rc);
	FUZZ_CHECK(!creating || s.customer_id > 0, "customer %lld", (long long)s.customer_id);
	if (!s.items) {
		FUZZ_CHECK(!creating, "no items on create");
		return;
	}
	FUZZ_CHECK(json_is_array(s.items) && json_array_size(s.items) >= 1 &&
			   json_array_size(s.items) <= 30,
		   "items");
	size_t i, j;
	json_t *it;
	json_array_foreach(s.items, i, it)
	{
		FUZZ_CHECK(json_is_object(it), "item %zu", i);
		const char *a = json_string_value(json_object_get(it, "attribute"));
		size_t n;
		FUZZ_CHECK(a && *a && valid_utf8_len(a, 50, &n), "item %zu attribute", i);
		json_t *e = json_object_get(it, "expected_level"), *p = json_object_get(it, "perceived_level");
		FUZZ_CHECK(json_is_integer(e) && json_integer_value(e) >= 1 && json_integer_value(e) <= 5,
			   "item %zu expected level", i);
		FUZZ_CHECK(!p || json_is_null(p) ||
				   (json_is_integer(p) && json_integer_value(p) >= 1 &&
				    json_integer_value(p) <= 5),
			   "item %zu perceived level", i);
		if (json_is_integer(p))
			FUZZ_CHECK(sat_gap((int)json_integer_value(e), (int)json_integer_value(p)) >= -4,
				   "gap");
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(a, json_string_value(json_object_get(json_array_get(s.items, j),
									  "attribute"))),
				   "attribute %s twice", a);
	}
}

static int key_valid(const char *k)
{
	size_t n = k ? strlen(k) : 0;
	return n >= 1 && n <= 32 && strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static void questions(http_req *r)
{
	json_t *qs = json_object_get(r->json, "questions");
	int rc = survey_questions_check(r, qs);
	if (rc < 0) {
		check_refusal(r, rc);
		FUZZ_CHECK(!strncmp(r->err.field, "questions", 9), "field %s", r->err.field);
		return;
	}
	FUZZ_CHECK(json_is_array(qs) && json_array_size(qs) >= 1 && json_array_size(qs) <= 30, "size");
	int seen[SAT_NKINDS] = {0};
	size_t i, j;
	json_t *q, *o;
	json_array_foreach(qs, i, q)
	{
		const char *k = json_string_value(json_object_get(q, "key"));
		FUZZ_CHECK(key_valid(k), "question %zu key", i);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(k, json_string_value(json_object_get(json_array_get(qs, j), "key"))),
				   "key %s twice", k);
		int kind = sat_kind_parse(json_string_value(json_object_get(q, "kind")));
		FUZZ_CHECK(kind >= 0 && kind < SAT_NKINDS, "question %zu kind", i);
		seen[kind]++;
		FUZZ_CHECK(kind > SAT_EFFORT || seen[kind] == 1, "two of scored kind %d", kind);
		const char *zh = json_string_value(json_object_get(q, "text_zh"));
		FUZZ_CHECK(zh && *zh, "question %zu text", i);
		json_t *opts = json_object_get(q, "options");
		if (kind == SAT_SINGLE || kind == SAT_MULTIPLE) {
			FUZZ_CHECK(json_array_size(opts) >= 2 && json_array_size(opts) <= 20, "options");
			json_array_foreach(opts, j, o)
			{
				const char *ok = json_string_value(json_object_get(o, "key"));
				FUZZ_CHECK(key_valid(ok), "option key");
				for (size_t m = 0; m < j; m++)
					FUZZ_CHECK(strcmp(ok, json_string_value(json_object_get(
								      json_array_get(opts, m), "key"))),
						   "option %s twice", ok);
			}
		} else {
			FUZZ_CHECK(!opts, "options on kind %d", kind);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	unsigned route = data[0] % 5, b = data[1];
	json_error_t je;
	json_t *in = json_loadb((const char *)data + 2, size - 2, JSON_REJECT_DUPLICATES, &je);
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
	r.user.id = 2;
	r.user.role = ROLE_SUPERVISOR;
	r.json = in;
	switch (route) {
	case 0: competitor(&r, 1, b); break;
	case 1: competitor(&r, 0, b); break;
	case 2: sheet(&r, 1); break;
	case 3: sheet(&r, 0); break;
	default: questions(&r); break;
	}
	arena_free(a);
	json_decref(in);
	return 0;
}
