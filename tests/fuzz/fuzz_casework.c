/* fuzz_casework.c - the bodies of a complaint's plan, checklist and
 * root-cause routes: the first byte chooses the route, jansson parses the
 * rest as the server does (JSON_REJECT_DUPLICATES, an object), then the
 * readers of app/case_plans.c, app/case_checklist.c and app/root_causes.c,
 * and for a plan the step's fields as app/case_flow.c reads them before a
 * transaction (case_step_fields_read).  No database.
 *
 *   byte % 4 == 0   POST /api/cases/{id}/plans                (seeds: 0)
 *               1   POST /api/cases/{id}/plans/{pid}/approve or reject,
 *                   pid = byte / 4 + 1
 *               2   POST /api/cases/{id}/checklist
 *               3   POST /api/root-causes (byte / 4 even) or PATCH
 *                   /api/root-causes/{id} (odd)
 *
 * Invariants: a refusal names a field and has a negative code; a plan
 * proposed has a kind of the plan_kind class, a description that is not
 * empty, an amount from 0 to 10^11 fen when one is given; a decision
 * carries the path's plan id; the texts of a step are the body's, valid
 * UTF-8 within their limits, and count as given only when not blank; an
 * outcome is of its class and an investigation time within a year of now;
 * a checklist step is one of the six, its bit the step's, done as given
 * (true when not); a root cause's code is given only on create, of
 * lower-case letters, digits and '_', names never empty, a sort order
 * within +-100000.
 *
 * Not reached without a database: the case and its state (the workflow's
 * table is core/case_flow.c, unit-tested), the department, plan and root
 * cause a step names, and a code already taken. */
#include "tests/fuzz/fuzz.h"

#include "app/case.h"
#include "core/validate.h"

static const int64_t NOW = 1764000000000LL;

static void check_refusal(const http_req *r, int rc)
{
	FUZZ_CHECK(rc < 0 && r->err.code == rc, "code %d, error %d", rc, r->err.code);
	FUZZ_CHECK(r->err.field, "refusal names no field: %s", r->err.en);
	FUZZ_CHECK(fuzz_utf8_str(r->err.zh) && fuzz_utf8_str(r->err.en), "message is not UTF-8");
}

static int blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* s is what o gives for key (NULL iff absent or null), valid UTF-8 of at
 * most max characters. */
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

/* A step's text: given (its bit set) iff the body has it and it is not
 * blank; NULL otherwise. */
static void check_step_text(json_t *o, const char *key, const char *s, size_t max,
			    unsigned given, unsigned bit)
{
	json_t *v = json_object_get(o, key);
	if (v && json_is_string(v) && !blank(json_string_value(v))) {
		check_text(o, key, s, max);
		FUZZ_CHECK(given & bit, "%s not counted as given", key);
	} else {
		FUZZ_CHECK(!s && !(given & bit), "%s counted as given: \"%s\"", key, s ? s : "");
	}
}

static void check_step_id(json_t *o, const char *key, int64_t v, unsigned given, unsigned bit)
{
	json_t *x = json_object_get(o, key);
	if (!x || json_is_null(x)) {
		FUZZ_CHECK(v == 0 && !(given & bit), "%s without one in the body", key);
		return;
	}
	FUZZ_CHECK(json_is_integer(x) && v > 0 && v == json_integer_value(x) && (given & bit),
		   "%s = %lld", key, (long long)v);
}

static void step_fields(http_req *r, json_t *in, int proposing, int64_t pid)
{
	struct case_step_fields f;
	unsigned given = 0;
	int rc = case_step_fields_read(r, in, &f, &given, NOW);
	if (rc < 0)
		return check_refusal(r, rc);
	check_text(in, "note", f.note, 4000);
	check_step_text(in, "explanation", f.explanation, 2000, given, CASE_F_EXPLANATION);
	check_step_text(in, "demand_note", f.demand_note, 1000, given, CASE_F_DEMAND_NOTE);
	check_step_text(in, "reason", f.reason, 1000, given, CASE_F_REASON);
	check_step_text(in, "result", f.result, 4000, given, CASE_F_RESULT);
	check_step_text(in, "resolution", f.resolution, 4000, given, CASE_F_RESOLUTION);
	check_step_text(in, "outcome", f.outcome, 32, given, CASE_F_OUTCOME);
	kf_err e;
	kf_err_clear(&e);
	FUZZ_CHECK(!f.outcome || case_class_check("outcome", "outcome", f.outcome, &e) == 0,
		   "outcome %s", f.outcome);
	check_step_id(in, "department_id", f.department_id, given, CASE_F_DEPARTMENT);
	check_step_id(in, "root_cause_id", f.root_cause_id, given, CASE_F_ROOT_CAUSE);
	check_step_id(in, "plan_id", f.plan_id, given, CASE_F_PLAN_ID);
	check_step_id(in, "investigation_due_at", f.investigation_due_at, given,
		      CASE_F_INVESTIGATION_DUE);
	FUZZ_CHECK(!f.investigation_due_at || (f.investigation_due_at >= NOW - 5 * 60000 &&
					       f.investigation_due_at <= NOW + 366 * 86400000LL),
		   "investigation_due_at %lld", (long long)f.investigation_due_at);
	json_t *plan = json_object_get(in, "plan");
	if (proposing) {
		FUZZ_CHECK(json_is_object(plan) && (given & CASE_F_PLAN), "a plan proposed without one");
		FUZZ_CHECK(f.plan_kind && case_class_check("plan_kind", "plan.kind", f.plan_kind, &e) == 0,
			   "plan kind %s", f.plan_kind ? f.plan_kind : "(none)");
		check_text(plan, "description", f.plan_desc, 2000);
		FUZZ_CHECK(f.plan_desc && *f.plan_desc, "an empty description");
		json_t *amt = json_object_get(plan, "amount_fen");
		FUZZ_CHECK(f.has_amount == (amt && !json_is_null(amt)), "has_amount");
		FUZZ_CHECK(!f.has_amount || (json_integer_value(amt) == f.plan_amount &&
					      f.plan_amount >= 0 && f.plan_amount <= 100000000000LL),
			   "amount %lld", (long long)f.plan_amount);
		FUZZ_CHECK(!json_object_get(in, "plan_id") && !f.plan_id, "a plan id on a proposal");
	} else {
		FUZZ_CHECK(f.plan_id == pid, "plan %lld, path %lld", (long long)f.plan_id,
			   (long long)pid);
	}
}

static void plan(http_req *r, int64_t pid)
{
	json_t *in = NULL;
	int rc = case_plan_input(r, pid, &in);
	if (rc < 0) {
		FUZZ_CHECK(!in, "a refusal with an input");
		return check_refusal(r, rc);
	}
	FUZZ_CHECK(json_is_object(in), "no input");
	if (!pid) {
		/* every key of the body is in the input, the plan's within "plan" */
		const char *k;
		json_t *v, *p = json_object_get(in, "plan");
		json_object_foreach(r->json, k, v)
		{
			int top = !strcmp(k, "note") || !strcmp(k, "version");
			FUZZ_CHECK(json_object_get(top ? in : p, k) == v, "%s moved", k);
		}
	}
	step_fields(r, in, !pid, pid);
	json_decref(in);
}

static void checklist(http_req *r)
{
	struct checklist_tick t;
	int rc = case_checklist_input_read(r, &t);
	if (rc < 0)
		return check_refusal(r, rc);
	check_text(r->json, "step", t.step, 32);
	int i = case_class_index("checklist", t.step);
	FUZZ_CHECK(i >= 0 && i < CASE_CHECKLIST_STEPS && t.bit == 1 << i, "step %s, bit %d", t.step,
		   t.bit);
	FUZZ_CHECK((t.bit & CASE_CHECKLIST_ALL) == t.bit, "bit %d", t.bit);
	json_t *d = json_object_get(r->json, "done");
	FUZZ_CHECK(t.done == (d && json_is_boolean(d) ? json_is_true(d) : 1), "done %d", t.done);
	json_t *v = json_object_get(r->json, "version");
	FUZZ_CHECK(!t.has_version || json_is_null(v) || (t.version > 0 && t.version == json_integer_value(v)),
		   "version %lld", (long long)t.version);
}

static void root_cause(http_req *r, int creating)
{
	struct root_cause_input c;
	int rc = root_cause_input_read(r, creating, &c);
	if (rc < 0)
		return check_refusal(r, rc);
	json_t *o = r->json;
	check_text(o, "code", c.code, 40);
	check_text(o, "name_zh", c.name_zh, 50);
	check_text(o, "name_en", c.name_en, 80);
	check_text(o, "description", c.description, 500);
	FUZZ_CHECK(creating ? c.code && *c.code : !c.code, "code %s", c.code ? c.code : "(none)");
	for (const char *p = c.code; p && *p; p++)
		FUZZ_CHECK((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_',
			   "code %s", c.code);
	FUZZ_CHECK(!creating || (c.name_zh && c.name_en), "a name missing on create");
	FUZZ_CHECK((!c.name_zh || *c.name_zh) && (!c.name_en || *c.name_en), "an empty name");
	FUZZ_CHECK(c.sort_order >= -100000 && c.sort_order <= 100000, "sort_order %lld",
		   (long long)c.sort_order);
	FUZZ_CHECK(c.has_sort == (json_object_get(o, "sort_order") != NULL), "has_sort");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned route = data[0] % 4, extra = data[0] / 4;
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
	r.user.role = route == 3 ? ROLE_ADMIN : ROLE_AGENT;
	r.json = in;
	if (route == 0)
		plan(&r, 0);
	else if (route == 1)
		plan(&r, (int64_t)extra + 1);
	else if (route == 2)
		checklist(&r);
	else
		root_cause(&r, extra % 2 == 0);
	arena_free(a);
	json_decref(in);
	return 0;
}
