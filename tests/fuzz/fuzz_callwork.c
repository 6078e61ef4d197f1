/* fuzz_callwork.c - the bodies of the outbound call list and QA evaluation
 * routes: the first byte chooses the route (and the caller's role or the
 * active checklist), jansson parses the rest as the server does
 * (JSON_REJECT_DUPLICATES, an object), then app/call_list_input.c or
 * app/qa_input.c reads it.  No database.
 *
 *   byte % 3 == 0   POST /api/call-lists                 (seeds start with 0)
 *               1   PATCH /api/call-list-items/{id}, as an agent or, when
 *                   byte / 3 is odd, a supervisor
 *               2   POST /api/qa/evaluations: the evaluation, then its
 *                   scores against one of three checklists (byte / 3 % 3:
 *                   none active, four items, QA_ITEMS_MAX items)
 *
 * Invariants: a refusal names a field and has a negative code; what is
 * accepted is in its vocabulary (purpose, status, kind), its texts are the
 * body's, valid UTF-8 within their limits, ids positive and given ones
 * unchanged; a list has either from_followups or 1 to CALL_LIST_MAX_ITEMS
 * positive customer ids, and due_before is the body's or a day after now;
 * only a supervisor assigns an item; an evaluation has what its kind needs
 * (call_id, case_id, a shopper) and a contact time within its range; the
 * scores accepted name each active item once, in the body's order, each
 * from 0 to its maximum, and their per-mille total is the sum over the
 * maxima's sum (0 to 1000).
 *
 * Not reached without a database: whether follow-ups are enabled, the
 * customers, call, case and agent named, the call's agent and time taken
 * when none is given, and the checklist as stored (given here). */
#include "tests/fuzz/fuzz.h"

#include "app/calls.h"
#include "core/validate.h"

static const int64_t NOW = 1764000000000LL;

static void check_refusal(const http_req *r, int rc)
{
	FUZZ_CHECK(rc < 0 && r->err.code == rc, "code %d, error %d", rc, r->err.code);
	FUZZ_CHECK(r->err.field, "refusal names no field: %s", r->err.en);
	FUZZ_CHECK(fuzz_utf8_str(r->err.zh) && fuzz_utf8_str(r->err.en), "message is not UTF-8");
}

/* s is what the body gives for key: NULL iff absent or null, else the
 * same string, valid UTF-8 of at most max characters (at least one when
 * required). */
static void check_text(json_t *o, const char *key, const char *s, size_t max, int required)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		FUZZ_CHECK(!s && !required, "%s without %s in the body", key, key);
		return;
	}
	size_t n;
	FUZZ_CHECK(s && s == json_string_value(v), "%s is not the body's", key);
	FUZZ_CHECK(fuzz_utf8_str(s) && valid_utf8_len(s, max, &n), "%s: more than %zu", key, max);
	FUZZ_CHECK(!required || n > 0, "%s is empty", key);
}

/* v is what the body gives for key: 0 iff absent or null, else > 0. */
static void check_id(json_t *o, const char *key, int64_t v)
{
	json_t *x = json_object_get(o, key);
	if (!x || json_is_null(x)) {
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

static void call_list(http_req *r)
{
	struct call_list_input in;
	int rc = call_list_input_read(r, NOW, &in);
	if (rc < 0)
		return check_refusal(r, rc);
	json_t *o = r->json;
	check_text(o, "name", in.name, 100, 1);
	check_text(o, "purpose", in.purpose, 20, 0);
	static const char *const purposes[] = {"followup", "callback", "campaign", NULL};
	FUZZ_CHECK(!in.purpose || in_list(in.purpose, purposes), "purpose %s", in.purpose);
	check_id(o, "assignee_id", in.assignee);
	json_t *due = json_object_get(o, "due_before");
	if (due && json_is_integer(due) && json_integer_value(due) > 0)
		FUZZ_CHECK(in.due_before == json_integer_value(due), "due_before changed");
	else
		FUZZ_CHECK(in.due_before == NOW + 86400000LL, "due_before %lld by default",
			   (long long)in.due_before);
	json_t *ff = json_object_get(o, "from_followups");
	FUZZ_CHECK(in.from_followups == json_is_true(ff), "from_followups");
	FUZZ_CHECK(in.ids == json_object_get(o, "customer_ids"), "customer_ids not the body's");
	if (in.from_followups) {
		FUZZ_CHECK(!in.ids, "both from_followups and customer_ids");
		return;
	}
	size_t n = json_array_size(in.ids);
	FUZZ_CHECK(json_is_array(in.ids) && n >= 1 && n <= CALL_LIST_MAX_ITEMS, "%zu ids", n);
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(in.ids, i);
		FUZZ_CHECK(json_is_integer(v) && json_integer_value(v) > 0, "customer_ids[%zu]", i);
	}
}

static void call_list_item(http_req *r)
{
	struct call_list_item_input in;
	int rc = call_list_item_input_read(r, &in);
	if (rc < 0) {
		FUZZ_CHECK(rc != KF_EFORBIDDEN || r->user.role < ROLE_SUPERVISOR,
			   "a supervisor was refused");
		return check_refusal(r, rc);
	}
	json_t *o = r->json;
	check_text(o, "status", in.status, 10, 0);
	static const char *const statuses[] = {"pending", "skipped", "done", NULL};
	FUZZ_CHECK(!in.status || in_list(in.status, statuses), "status %s", in.status);
	check_text(o, "note", in.note, 500, 0);
	check_id(o, "assignee_id", in.assignee);
	FUZZ_CHECK(in.has_assignee == (json_object_get(o, "assignee_id") != NULL), "has_assignee");
	FUZZ_CHECK(!in.has_assignee || r->user.role >= ROLE_SUPERVISOR, "an agent assigned an item");
}

static const struct qa_item four[] = {
	{1, "greeting", 10}, {2, "listening", 20}, {7, "six_steps", 40}, {9, "resolution", 1}};

static void scores(http_req *r, unsigned which)
{
	struct qa_item many[QA_ITEMS_MAX];
	const struct qa_item *items = NULL;
	int n = 0;
	if (which == 1) {
		items = four;
		n = 4;
	} else if (which == 2) {
		for (int i = 0; i < QA_ITEMS_MAX; i++) {
			many[i].id = 100 + i;
			snprintf(many[i].code, sizeof(many[i].code), "item_%d", i);
			many[i].max = 1 + i % 100 * 37 % 100; /* max_score is 1 to 100 */
		}
		items = many;
		n = QA_ITEMS_MAX;
	}
	json_t *out = NULL, *given = json_object_get(r->json, "scores");
	int64_t permille = -1;
	int rc = qa_scores_read(r, given, items, n, &out, &permille);
	if (rc < 0)
		return check_refusal(r, rc);
	FUZZ_CHECK(n > 0, "scores accepted with no active item");
	FUZZ_CHECK(json_is_array(out) && json_array_size(out) == (size_t)n &&
			   json_array_size(given) == (size_t)n,
		   "%zu scores stored for %d items", json_array_size(out), n);
	int seen[QA_ITEMS_MAX] = {0};
	int64_t got = 0, max = 0;
	for (int j = 0; j < n; j++)
		max += items[j].max;
	for (size_t i = 0; i < json_array_size(out); i++) {
		json_t *s = json_array_get(out, i), *g = json_array_get(given, i);
		int64_t id = json_integer_value(json_object_get(s, "item_id"));
		int64_t sc = json_integer_value(json_object_get(s, "score"));
		int k = -1;
		for (int j = 0; j < n; j++)
			if (items[j].id == id)
				k = j;
		FUZZ_CHECK(k >= 0 && !seen[k]++, "scores[%zu]: item %lld", i, (long long)id);
		FUZZ_CHECK(!strcmp(json_string_value(json_object_get(s, "code")), items[k].code) &&
				   json_integer_value(json_object_get(s, "max")) == items[k].max,
			   "scores[%zu]: not item %lld", i, (long long)id);
		json_t *gid = json_object_get(g, "item_id"), *gcode = json_object_get(g, "code");
		FUZZ_CHECK((json_is_integer(gid) && json_integer_value(gid) == id) ||
				   (json_is_string(gcode) &&
				    !strcmp(json_string_value(gcode), items[k].code)),
			   "scores[%zu] names another item", i);
		FUZZ_CHECK(sc >= 0 && sc <= items[k].max &&
				   sc == json_integer_value(json_object_get(g, "score")),
			   "scores[%zu] = %lld", i, (long long)sc);
		got += sc;
	}
	FUZZ_CHECK(permille >= 0 && permille <= 1000 && permille == (max ? got * 1000 / max : 0),
		   "permille %lld for %lld of %lld", (long long)permille, (long long)got,
		   (long long)max);
	json_decref(out);
}

static void evaluation(http_req *r, unsigned which)
{
	struct qa_eval_input e;
	int rc = qa_eval_input_read(r, &e);
	if (rc < 0)
		return check_refusal(r, rc);
	json_t *o = r->json;
	check_text(o, "kind", e.kind, 10, 1);
	static const char *const kinds[] = {"call", "reply", "mystery", NULL};
	FUZZ_CHECK(in_list(e.kind, kinds), "kind %s", e.kind);
	check_text(o, "comment", e.comment, 2000, 0);
	check_text(o, "shopper", e.shopper, 60, 0);
	check_text(o, "scenario", e.scenario, 500, 0);
	check_id(o, "call_id", e.call_id);
	check_id(o, "case_id", e.case_id);
	check_id(o, "case_event_id", e.case_event_id);
	check_id(o, "agent_id", e.agent_id);
	check_id(o, "contacted_at", e.contacted_at);
	FUZZ_CHECK(!e.contacted_at ||
			   (e.contacted_at >= 946684800000LL && e.contacted_at <= 4102444800000LL),
		   "contacted_at %lld", (long long)e.contacted_at);
	FUZZ_CHECK(strcmp(e.kind, "call") || e.call_id, "a call evaluation without call_id");
	FUZZ_CHECK(strcmp(e.kind, "reply") || e.case_id, "a reply evaluation without case_id");
	FUZZ_CHECK(strcmp(e.kind, "mystery") || (e.shopper && *e.shopper), "an audit without shopper");
	scores(r, which);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned route = data[0] % 3, extra = data[0] / 3;
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
	r.user.role = route == 1 && extra % 2 ? ROLE_SUPERVISOR : ROLE_AGENT;
	r.json = in;
	if (route == 0)
		call_list(&r);
	else if (route == 1)
		call_list_item(&r);
	else
		evaluation(&r, extra % 3);
	arena_free(a);
	json_decref(in);
	return 0;
}
