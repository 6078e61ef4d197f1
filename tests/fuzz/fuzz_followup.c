/* fuzz_followup.c - the bodies of the follow-up and commitment routes: the
 * first byte chooses the route, jansson parses the rest as the server does
 * (JSON_REJECT_DUPLICATES, an object), then app/followup_input.c or
 * app/commitment_input.c reads it.  No database.
 *
 *   byte % 4 == 0   POST /api/followups            (seeds start with the digit)
 *               1   PATCH /api/followups/{id}
 *               2   POST /api/commitments
 *               3   POST /api/commitments/{id}/outcome
 *
 * Invariants: a refusal names a field and has a negative code; an accepted
 * body has only what it was given (a field not in the body is NULL or 0),
 * ids and times positive, the required ones present (customer_id and
 * due_at on create; content not blank and due no earlier than a minute
 * ago for a commitment), texts of valid UTF-8 within their limits, and an
 * outcome in its vocabulary. */
#include "tests/fuzz/fuzz.h"

#include "app/followup_input.h"
#include "core/validate.h"

static const int64_t NOW = 1764000000000LL;

static void check_refusal(const http_req *r, int rc)
{
	FUZZ_CHECK(rc < 0 && r->err.code == rc, "code %d, error %d", rc, r->err.code);
	FUZZ_CHECK(r->err.field || rc == KF_EJSON, "refusal names no field: %s", r->err.en);
	FUZZ_CHECK(fuzz_utf8_str(r->err.zh) && fuzz_utf8_str(r->err.en), "message is not UTF-8");
}

/* s is what the body gives for key: NULL iff absent or null, else the
 * same string, valid UTF-8 of at most max characters. */
static void check_text(json_t *o, const char *key, const char *s, size_t max)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		FUZZ_CHECK(!s, "%s without %s in the body", key, key);
		return;
	}
	size_t n;
	FUZZ_CHECK(s && s == json_string_value(v), "%s is not the body's", key);
	FUZZ_CHECK(fuzz_utf8_str(s) && valid_utf8_len(s, max, &n), "%s: more than %zu", key, max);
}

/* v is what the body gives for key: 0 iff absent or null, else > 0. */
static void check_id(json_t *o, const char *key, int64_t v, int required)
{
	json_t *x = json_object_get(o, key);
	if (!x || json_is_null(x)) {
		FUZZ_CHECK(!required, "%s missing", key);
		FUZZ_CHECK(v == 0, "%s = %lld without one in the body", key, (long long)v);
		return;
	}
	FUZZ_CHECK(json_is_integer(x) && v > 0 && v == json_integer_value(x), "%s = %lld", key,
		   (long long)v);
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

static void followup(http_req *r, int creating)
{
	struct followup_input fi;
	int rc = followup_input_read(r, creating, &fi);
	if (rc < 0)
		return check_refusal(r, rc);
	FUZZ_CHECK(rc == 0, "rc %d", rc);
	json_t *o = r->json;
	check_id(o, "customer_id", fi.customer_id, creating);
	check_id(o, "case_id", fi.case_id, 0);
	check_id(o, "assignee_id", fi.assignee_id, 0);
	check_id(o, "due_at", fi.due_at, creating);
	check_id(o, "call_at", fi.call_at, 0);
	FUZZ_CHECK(fi.has_call == (json_object_get(o, "call_at") != NULL), "has_call");
	check_text(o, "title", fi.title, 200);
	check_text(o, "outcome", fi.outcome, 20);
	check_text(o, "evaluation", fi.evaluation, 2000);
	check_text(o, "suggestions", fi.suggestions, 2000);
	check_text(o, "next_step", fi.next_step, 2000);
	FUZZ_CHECK(!fi.outcome || in_list(fi.outcome, followup_outcomes), "outcome %s", fi.outcome);
	if (creating)
		FUZZ_CHECK(!fi.outcome && !fi.evaluation && !fi.suggestions && !fi.next_step,
			   "a record on create");
	else
		FUZZ_CHECK(!fi.customer_id && !fi.case_id, "customer or case on a change");
}

static void commitment(http_req *r)
{
	struct commitment_input ci;
	int rc = commitment_input_read(r, NOW, &ci);
	if (rc < 0)
		return check_refusal(r, rc);
	json_t *o = r->json;
	check_id(o, "customer_id", ci.customer_id, 1);
	check_id(o, "case_id", ci.case_id, 0);
	check_id(o, "followup_id", ci.followup_id, 0);
	check_id(o, "due_at", ci.due_at, 1);
	FUZZ_CHECK(ci.due_at >= NOW - 60000, "due in the past: %lld", (long long)ci.due_at);
	check_text(o, "content", ci.content, 2000);
	FUZZ_CHECK(ci.content && ci.content[strspn(ci.content, " \t\r\n")], "blank content");
}

static void outcome(http_req *r)
{
	const char *out, *note;
	int rc = commitment_outcome_read(r, &out, &note);
	if (rc < 0)
		return check_refusal(r, rc);
	static const char *const outcomes[] = {"kept", "broken", NULL};
	FUZZ_CHECK(out && in_list(out, outcomes), "outcome %s", out);
	check_text(r->json, "note", note, 2000);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned route = data[0] % 4;
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
	r.user.role = ROLE_AGENT;
	r.json = in;
	if (route <= 1)
		followup(&r, route == 0);
	else if (route == 2)
		commitment(&r);
	else
		outcome(&r);
	arena_free(a);
	json_decref(in);
	return 0;
}
