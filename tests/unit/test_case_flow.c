/* The case workflow, exhaustively: every flow × state × action × role ×
 * guard context is checked against an oracle written out below from
 * DOMAIN §2 (independently of the table in core/case_flow.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/case_flow.h"
#include "core/err.h"

/* flow from action to min-role guard required-fields
 * roles: A agent, S supervisor; guards: - none, P plan pending,
 * F follow-up done, u not paused, p paused. */
static const char *const oracle[] = {
	"complaint intake accept assessment A - -",
	"complaint intake wait_customer intake A u -",
	"complaint intake customer_replied intake A p -",
	"complaint intake cancel closed S - reason",
	"complaint assessment judge_unjustified closed A - explanation,demand_reasonable",
	"complaint assessment judge_justified planning A - department_id,investigation_due_at,demand_reasonable",
	"complaint assessment wait_customer assessment A u -",
	"complaint assessment customer_replied assessment A p -",
	"complaint assessment cancel closed S - reason",
	"complaint planning propose_plan planning A - plan",
	"complaint planning approve_plan handling S P plan_id",
	"complaint planning reject_plan planning S P plan_id,reason",
	"complaint planning wait_customer planning A u -",
	"complaint planning customer_replied planning A p -",
	"complaint planning cancel closed S - reason",
	"complaint handling finish_handling follow_up A - result",
	"complaint handling wait_customer handling A u -",
	"complaint handling customer_replied handling A p -",
	"complaint handling cancel closed S - reason",
	"complaint follow_up record_follow_up follow_up A - outcome",
	"complaint follow_up rework planning A - reason",
	"complaint follow_up archive archived A F root_cause_id",
	"complaint follow_up wait_customer follow_up A u -",
	"complaint follow_up customer_replied follow_up A p -",
	"complaint archived reopen assessment A - reason",
	"complaint closed reopen assessment A - reason",
	"simple open wait_customer pending A - -",
	"simple open resolve resolved A - resolution",
	"simple open cancel closed S - reason",
	"simple pending customer_replied open A - -",
	"simple pending resolve resolved A - resolution",
	"simple pending cancel closed S - reason",
	"simple resolved close closed A - -",
	"simple resolved reopen open A - reason",
	"simple closed reopen open A - reason",
};

struct row {
	int flow, from, action, to, role;
	char guard;
	char fields[128];
};

static struct row rows[64];
static size_t nrows;

static int setup(void **state)
{
	(void)state;
	nrows = 0;
	for (size_t i = 0; i < sizeof(oracle) / sizeof(oracle[0]); i++) {
		char flow[16], from[32], action[32], to[32], role[4], guard[4], fields[128];
		assert_int_equal(sscanf(oracle[i], "%15s %31s %31s %31s %3s %3s %127s", flow, from,
					action, to, role, guard, fields),
				 7);
		struct row *r = &rows[nrows++];
		r->flow = !strcmp(flow, "complaint") ? CASE_FLOW_COMPLAINT : CASE_FLOW_SIMPLE;
		r->from = case_state_parse(from);
		r->action = case_action_parse(action);
		r->to = case_state_parse(to);
		assert_true(r->from >= 0 && r->action >= 0 && r->to >= 0);
		r->role = role[0] == 'S' ? 2 : 1;
		r->guard = guard[0];
		snprintf(r->fields, sizeof(r->fields), "%s", strcmp(fields, "-") ? fields : "");
	}
	return 0;
}

static const struct row *oracle_find(int flow, int from, int action)
{
	for (size_t i = 0; i < nrows; i++)
		if (rows[i].flow == flow && rows[i].from == from && rows[i].action == action)
			return &rows[i];
	return NULL;
}

static int guard_ok(char g, const struct case_flow_ctx *c)
{
	switch (g) {
	case 'P':
		return c->pending_plans > 0;
	case 'F':
		return c->follow_up_done;
	case 'u':
		return !c->paused;
	case 'p':
		return c->paused;
	default:
		return 1;
	}
}

static unsigned bits_of(const char *fields)
{
	unsigned bits = 0;
	char copy[128];
	snprintf(copy, sizeof(copy), "%s", fields);
	for (char *p = copy, *save = NULL; *p;) {
		save = strchr(p, ',');
		if (save)
			*save = '\0';
		unsigned found = 0;
		for (unsigned i = 0; i < CASE_F__COUNT; i++)
			if (!strcmp(case_field_name(1u << i), p))
				found = 1u << i;
		assert_true(found);
		bits |= found;
		if (!save)
			break;
		p = save + 1;
	}
	return bits;
}

static const unsigned ALL_FIELDS = (1u << CASE_F__COUNT) - 1;

/* Every flow × state × action × role × context. */
static void every_combination(void **state)
{
	(void)state;
	size_t legal = 0, refused = 0;
	for (int flow = 0; flow < CASE_FLOW__COUNT; flow++)
		for (int s = 0; s < CASE_S__COUNT; s++)
			for (int a = 0; a < CASE_A__COUNT; a++)
				for (int role = 1; role <= 3; role++)
					for (int ctxbits = 0; ctxbits < 8; ctxbits++) {
						struct case_flow_ctx ctx = {ctxbits & 1, (ctxbits >> 1) & 1,
									    (ctxbits >> 2) & 1};
						struct case_step step;
						kf_err e;
						kf_err_clear(&e);
						int rc = case_flow_step(flow, s, a, role, &ctx, ALL_FIELDS, 1,
									&step, &e);
						const struct row *r = oracle_find(flow, s, a);
						if (!r) {
							assert_int_equal(rc, KF_ECONFLICT);
							assert_string_equal(e.field, "action");
							refused++;
						} else if (role < r->role) {
							assert_int_equal(rc, KF_EFORBIDDEN);
							refused++;
						} else if (!guard_ok(r->guard, &ctx)) {
							assert_int_equal(rc, KF_ECONFLICT);
							refused++;
						} else {
							assert_int_equal(rc, 0);
							assert_int_equal(step.next, r->to);
							assert_int_equal(step.required, bits_of(r->fields));
							legal++;
						}
					}
	assert_int_equal(legal + refused,
			 (size_t)CASE_FLOW__COUNT * CASE_S__COUNT * CASE_A__COUNT * 3 * 8);
	assert_true(legal > 0);
}

static void table_and_oracle_have_the_same_rows(void **state)
{
	(void)state;
	assert_int_equal(case_ntransitions, nrows);
	for (size_t i = 0; i < case_ntransitions; i++) {
		const struct case_transition *t = &case_transitions[i];
		const struct row *r = oracle_find(t->flow, t->from, t->action);
		assert_non_null(r);
		/* a row never leaves its flow */
		assert_true(case_state_in_flow(t->flow, t->from));
		assert_true(case_state_in_flow(t->flow, t->to));
	}
}

static void allowed_lists_exactly_the_legal_actions(void **state)
{
	(void)state;
	for (int flow = 0; flow < CASE_FLOW__COUNT; flow++)
		for (int s = 0; s < CASE_S__COUNT; s++)
			for (int role = 1; role <= 3; role++)
				for (int ctxbits = 0; ctxbits < 8; ctxbits++) {
					struct case_flow_ctx ctx = {ctxbits & 1, (ctxbits >> 1) & 1,
								    (ctxbits >> 2) & 1};
					enum case_action got[CASE_A__COUNT];
					size_t n = case_flow_allowed(flow, s, role, &ctx, got, CASE_A__COUNT);
					size_t want = 0;
					for (size_t i = 0; i < nrows; i++) {
						const struct row *r = &rows[i];
						if (r->flow != flow || r->from != s || role < r->role ||
						    !guard_ok(r->guard, &ctx))
							continue;
						int found = 0;
						for (size_t k = 0; k < n; k++)
							found |= (int)got[k] == r->action;
						assert_true(found);
						want++;
					}
					assert_int_equal(n, want);
				}
	/* cap: counts all, writes at most cap */
	struct case_flow_ctx ctx = {0, 1, 0};
	enum case_action one[1] = {CASE_A__COUNT};
	size_t n = case_flow_allowed(CASE_FLOW_COMPLAINT, CASE_S_PLANNING, 2, &ctx, one, 1);
	assert_int_equal(n, 5); /* propose, approve, reject, wait, cancel */
	assert_int_equal(one[0], CASE_A_PROPOSE_PLAN);
}

/* Each required field, left out alone, is named in a 422. */
static void missing_fields_are_named(void **state)
{
	(void)state;
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		unsigned need = bits_of(r->fields);
		struct case_flow_ctx ctx = {r->guard == 'p', 1, 1};
		for (unsigned b = 0; b < CASE_F__COUNT; b++) {
			unsigned bit = 1u << b;
			if (!(need & bit))
				continue;
			struct case_step step;
			kf_err e;
			kf_err_clear(&e);
			int rc = case_flow_step(r->flow, r->from, r->action, 3, &ctx, need & ~bit, 1,
						&step, &e);
			assert_int_equal(rc, KF_EINVAL);
			assert_string_equal(e.field, case_field_name(bit));
			assert_non_null(strstr(e.en, case_field_name(bit)));
		}
		struct case_step step;
		kf_err e;
		assert_int_equal(case_flow_step(r->flow, r->from, r->action, 3, &ctx, need, 1, &step, &e), 0);
	}
}

static void unreasonable_demand_needs_a_note(void **state)
{
	(void)state;
	struct case_flow_ctx ctx = {0, 0, 0};
	struct case_step step;
	kf_err e;
	unsigned given = CASE_F_EXPLANATION | CASE_F_DEMAND_REASONABLE;
	assert_int_equal(case_flow_step(CASE_FLOW_COMPLAINT, CASE_S_ASSESSMENT,
					CASE_A_JUDGE_UNJUSTIFIED, 1, &ctx, given, 0, &step, &e),
			 KF_EINVAL);
	assert_string_equal(e.field, "demand_note");
	assert_int_equal(case_flow_step(CASE_FLOW_COMPLAINT, CASE_S_ASSESSMENT,
					CASE_A_JUDGE_UNJUSTIFIED, 1, &ctx,
					given | CASE_F_DEMAND_NOTE, 0, &step, &e),
			 0);
	assert_int_equal(step.next, CASE_S_CLOSED);
	assert_true(step.required & CASE_F_DEMAND_NOTE);
	/* reasonable: no note needed */
	assert_int_equal(case_flow_step(CASE_FLOW_COMPLAINT, CASE_S_ASSESSMENT,
					CASE_A_JUDGE_JUSTIFIED, 1, &ctx,
					CASE_F_DEPARTMENT | CASE_F_INVESTIGATION_DUE |
						CASE_F_DEMAND_REASONABLE,
					1, &step, &e),
			 0);
	assert_false(step.required & CASE_F_DEMAND_NOTE);
	assert_int_equal(step.next, CASE_S_PLANNING);
}

static void acting_on_a_paused_case_resumes_it(void **state)
{
	(void)state;
	struct case_flow_ctx paused = {1, 0, 0}, running = {0, 0, 0};
	struct case_step step;
	kf_err e;
	assert_int_equal(case_flow_step(CASE_FLOW_COMPLAINT, CASE_S_INTAKE, CASE_A_ACCEPT, 1, &paused,
					0, 1, &step, &e),
			 0);
	assert_true(step.effects & CASE_E_RESUME);
	assert_true(step.effects & CASE_E_RESPONDS);
	assert_int_equal(case_flow_step(CASE_FLOW_COMPLAINT, CASE_S_INTAKE, CASE_A_ACCEPT, 1, &running,
					0, 1, &step, &e),
			 0);
	assert_false(step.effects & CASE_E_RESUME);
	assert_int_equal(case_flow_step(CASE_FLOW_COMPLAINT, CASE_S_HANDLING, CASE_A_WAIT_CUSTOMER, 1,
					&running, 0, 1, &step, &e),
			 0);
	assert_true(step.effects & CASE_E_PAUSE);
	assert_int_equal(step.next, CASE_S_HANDLING);
	assert_int_equal(case_flow_step(CASE_FLOW_COMPLAINT, CASE_S_HANDLING, CASE_A_WAIT_CUSTOMER, 1,
					&paused, 0, 1, &step, &e),
			 KF_ECONFLICT);
	/* simple flow: pending is the pause */
	assert_int_equal(case_flow_step(CASE_FLOW_SIMPLE, CASE_S_OPEN, CASE_A_WAIT_CUSTOMER, 1,
					&running, 0, 1, &step, &e),
			 0);
	assert_true(step.effects & CASE_E_PAUSE);
	assert_int_equal(step.next, CASE_S_PENDING);
	assert_int_equal(case_flow_step(CASE_FLOW_SIMPLE, CASE_S_PENDING, CASE_A_RESOLVE, 1, &paused,
					CASE_F_RESOLUTION, 1, &step, &e),
			 0);
	assert_true(step.effects & CASE_E_RESUME);
	assert_true(step.effects & CASE_E_RESOLVES);
}

/* The whole loop, as an agent and a supervisor would walk it. */
static void a_complaint_walks_the_whole_loop(void **state)
{
	(void)state;
	struct {
		enum case_action a;
		int role;
		enum case_state to;
	} walk[] = {
		{CASE_A_ACCEPT, 1, CASE_S_ASSESSMENT},
		{CASE_A_JUDGE_JUSTIFIED, 1, CASE_S_PLANNING},
		{CASE_A_PROPOSE_PLAN, 1, CASE_S_PLANNING},
		{CASE_A_REJECT_PLAN, 2, CASE_S_PLANNING},
		{CASE_A_PROPOSE_PLAN, 1, CASE_S_PLANNING},
		{CASE_A_APPROVE_PLAN, 2, CASE_S_HANDLING},
		{CASE_A_FINISH_HANDLING, 1, CASE_S_FOLLOW_UP},
		{CASE_A_RECORD_FOLLOW_UP, 1, CASE_S_FOLLOW_UP},
		{CASE_A_ARCHIVE, 1, CASE_S_ARCHIVED},
	};
	enum case_state s = case_flow_initial(CASE_FLOW_COMPLAINT);
	assert_int_equal(s, CASE_S_INTAKE);
	struct case_flow_ctx ctx = {0, 0, 0};
	for (size_t i = 0; i < sizeof(walk) / sizeof(walk[0]); i++) {
		struct case_step step;
		kf_err e;
		/* an agent cannot approve */
		if (walk[i].role == 2)
			assert_int_equal(case_flow_step(CASE_FLOW_COMPLAINT, s, walk[i].a, 1, &ctx,
							ALL_FIELDS, 1, &step, &e),
					 KF_EFORBIDDEN);
		assert_int_equal(case_flow_step(CASE_FLOW_COMPLAINT, s, walk[i].a, walk[i].role, &ctx,
						ALL_FIELDS, 1, &step, &e),
				 0);
		if (walk[i].a == CASE_A_PROPOSE_PLAN)
			ctx.pending_plans++;
		if (walk[i].a == CASE_A_REJECT_PLAN || walk[i].a == CASE_A_APPROVE_PLAN)
			ctx.pending_plans--;
		if (walk[i].a == CASE_A_RECORD_FOLLOW_UP)
			ctx.follow_up_done = 1;
		s = step.next;
		assert_int_equal(s, walk[i].to);
	}
	assert_false(case_state_is_open(s));
	assert_true(case_state_is_resolved(s));
}

static void names_and_classes(void **state)
{
	(void)state;
	for (int s = 0; s < CASE_S__COUNT; s++) {
		assert_int_equal(case_state_parse(case_state_name(s)), s);
		assert_non_null(case_state_zh(s));
		assert_non_null(case_state_en(s));
	}
	for (int a = 0; a < CASE_A__COUNT; a++) {
		assert_int_equal(case_action_parse(case_action_name(a)), a);
		assert_non_null(case_action_zh(a));
	}
	assert_int_equal(case_state_parse("nope"), -1);
	assert_int_equal(case_state_parse(NULL), -1);
	assert_int_equal(case_action_parse("Accept"), -1);
	assert_null(case_state_name(CASE_S__COUNT));
	assert_null(case_field_name(3));
	assert_string_equal(case_field_name(CASE_F_ROOT_CAUSE), "root_cause_id");
	assert_int_equal(case_flow_of_type("complaint"), CASE_FLOW_COMPLAINT);
	assert_int_equal(case_flow_of_type("inquiry"), CASE_FLOW_SIMPLE);
	assert_int_equal(case_flow_of_type(NULL), CASE_FLOW_SIMPLE);
	assert_int_equal(case_flow_initial(CASE_FLOW_SIMPLE), CASE_S_OPEN);
	int open = 0;
	for (int s = 0; s < CASE_S__COUNT; s++)
		open += case_state_is_open(s);
	assert_int_equal(open, CASE_S__COUNT - 2);
	assert_true(case_state_is_resolved(CASE_S_FOLLOW_UP));
	assert_false(case_state_is_resolved(CASE_S_PENDING));
	assert_true(case_state_in_flow(CASE_FLOW_SIMPLE, CASE_S_CLOSED));
	assert_false(case_state_in_flow(CASE_FLOW_SIMPLE, CASE_S_INTAKE));
	assert_false(case_state_in_flow(CASE_FLOW_COMPLAINT, CASE_S_PENDING));
	/* the messages name the action in each language */
	struct case_flow_ctx ctx = {0, 0, 0};
	struct case_step step;
	kf_err e;
	assert_int_equal(case_flow_step(CASE_FLOW_COMPLAINT, CASE_S_INTAKE, CASE_A_ARCHIVE, 1, &ctx, 0,
					1, &step, &e),
			 KF_ECONFLICT);
	assert_non_null(strstr(e.zh, "归档"));
	assert_non_null(strstr(e.zh, "受理"));
	assert_non_null(strstr(e.en, "Archive"));
	assert_non_null(strstr(e.en, "Intake"));
	assert_null(strstr(e.en, "归档"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_combination),
		cmocka_unit_test(table_and_oracle_have_the_same_rows),
		cmocka_unit_test(allowed_lists_exactly_the_legal_actions),
		cmocka_unit_test(missing_fields_are_named),
		cmocka_unit_test(unreasonable_demand_needs_a_note),
		cmocka_unit_test(acting_on_a_paused_case_resumes_it),
		cmocka_unit_test(a_complaint_walks_the_whole_loop),
		cmocka_unit_test(names_and_classes),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
