#include "core/case_flow.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/common.h"

enum { AGENT = 1, SUPERVISOR = 2 };

#define C CASE_FLOW_COMPLAINT
#define S CASE_FLOW_SIMPLE
#define F(x) CASE_F_##x
#define E(x) CASE_E_##x

/* The whole workflow.  Reading a row: in flow, from state, action leads to
 * state, allowed from role, requires fields, when guard holds, with effects.
 * wait_customer / customer_replied / cancel are spelled out per state so
 * that a reader sees every legal step here and nowhere else. */
const struct case_transition case_transitions[] = {
	/* complaint: 受理 */
	{C, CASE_S_INTAKE, CASE_A_ACCEPT, CASE_S_ASSESSMENT, AGENT, 0, CASE_G_NONE, E(RESPONDS)},
	{C, CASE_S_INTAKE, CASE_A_WAIT_CUSTOMER, CASE_S_INTAKE, AGENT, 0, CASE_G_NOT_PAUSED, E(PAUSE)},
	{C, CASE_S_INTAKE, CASE_A_CUSTOMER_REPLIED, CASE_S_INTAKE, AGENT, 0, CASE_G_PAUSED, E(RESUME)},
	{C, CASE_S_INTAKE, CASE_A_CANCEL, CASE_S_CLOSED, SUPERVISOR, F(REASON), CASE_G_NONE, E(RESOLVES)},
	/* 判定 */
	{C, CASE_S_ASSESSMENT, CASE_A_JUDGE_UNJUSTIFIED, CASE_S_CLOSED, AGENT,
	 F(EXPLANATION) | F(DEMAND_REASONABLE), CASE_G_NONE, E(RESPONDS) | E(RESOLVES)},
	{C, CASE_S_ASSESSMENT, CASE_A_JUDGE_JUSTIFIED, CASE_S_PLANNING, AGENT,
	 F(DEPARTMENT) | F(INVESTIGATION_DUE) | F(DEMAND_REASONABLE), CASE_G_NONE, E(RESPONDS)},
	{C, CASE_S_ASSESSMENT, CASE_A_WAIT_CUSTOMER, CASE_S_ASSESSMENT, AGENT, 0, CASE_G_NOT_PAUSED, E(PAUSE)},
	{C, CASE_S_ASSESSMENT, CASE_A_CUSTOMER_REPLIED, CASE_S_ASSESSMENT, AGENT, 0, CASE_G_PAUSED, E(RESUME)},
	{C, CASE_S_ASSESSMENT, CASE_A_CANCEL, CASE_S_CLOSED, SUPERVISOR, F(REASON), CASE_G_NONE, E(RESOLVES)},
	/* 方案 */
	{C, CASE_S_PLANNING, CASE_A_PROPOSE_PLAN, CASE_S_PLANNING, AGENT, F(PLAN), CASE_G_NONE, E(PLAN)},
	{C, CASE_S_PLANNING, CASE_A_APPROVE_PLAN, CASE_S_HANDLING, SUPERVISOR, F(PLAN_ID), CASE_G_PLAN_PENDING, E(PLAN)},
	{C, CASE_S_PLANNING, CASE_A_REJECT_PLAN, CASE_S_PLANNING, SUPERVISOR, F(PLAN_ID) | F(REASON), CASE_G_PLAN_PENDING, E(PLAN)},
	{C, CASE_S_PLANNING, CASE_A_WAIT_CUSTOMER, CASE_S_PLANNING, AGENT, 0, CASE_G_NOT_PAUSED, E(PAUSE)},
	{C, CASE_S_PLANNING, CASE_A_CUSTOMER_REPLIED, CASE_S_PLANNING, AGENT, 0, CASE_G_PAUSED, E(RESUME)},
	{C, CASE_S_PLANNING, CASE_A_CANCEL, CASE_S_CLOSED, SUPERVISOR, F(REASON), CASE_G_NONE, E(RESOLVES)},
	/* 处理 */
	{C, CASE_S_HANDLING, CASE_A_FINISH_HANDLING, CASE_S_FOLLOW_UP, AGENT, F(RESULT), CASE_G_NONE, E(RESPONDS) | E(RESOLVES)},
	{C, CASE_S_HANDLING, CASE_A_WAIT_CUSTOMER, CASE_S_HANDLING, AGENT, 0, CASE_G_NOT_PAUSED, E(PAUSE)},
	{C, CASE_S_HANDLING, CASE_A_CUSTOMER_REPLIED, CASE_S_HANDLING, AGENT, 0, CASE_G_PAUSED, E(RESUME)},
	{C, CASE_S_HANDLING, CASE_A_CANCEL, CASE_S_CLOSED, SUPERVISOR, F(REASON), CASE_G_NONE, E(RESOLVES)},
	/* 回访 */
	{C, CASE_S_FOLLOW_UP, CASE_A_RECORD_FOLLOW_UP, CASE_S_FOLLOW_UP, AGENT, F(OUTCOME), CASE_G_NONE, E(RESPONDS)},
	{C, CASE_S_FOLLOW_UP, CASE_A_REWORK, CASE_S_PLANNING, AGENT, F(REASON), CASE_G_NONE, E(REOPENS)},
	{C, CASE_S_FOLLOW_UP, CASE_A_ARCHIVE, CASE_S_ARCHIVED, AGENT, F(ROOT_CAUSE), CASE_G_FOLLOW_UP_DONE, 0},
	{C, CASE_S_FOLLOW_UP, CASE_A_WAIT_CUSTOMER, CASE_S_FOLLOW_UP, AGENT, 0, CASE_G_NOT_PAUSED, E(PAUSE)},
	{C, CASE_S_FOLLOW_UP, CASE_A_CUSTOMER_REPLIED, CASE_S_FOLLOW_UP, AGENT, 0, CASE_G_PAUSED, E(RESUME)},
	/* 归档 / closed: the customer comes back */
	{C, CASE_S_ARCHIVED, CASE_A_REOPEN, CASE_S_ASSESSMENT, AGENT, F(REASON), CASE_G_NONE, E(REOPENS)},
	{C, CASE_S_CLOSED, CASE_A_REOPEN, CASE_S_ASSESSMENT, AGENT, F(REASON), CASE_G_NONE, E(REOPENS)},

	/* simple */
	{S, CASE_S_OPEN, CASE_A_WAIT_CUSTOMER, CASE_S_PENDING, AGENT, 0, CASE_G_NONE, E(PAUSE) | E(RESPONDS)},
	{S, CASE_S_OPEN, CASE_A_RESOLVE, CASE_S_RESOLVED, AGENT, F(RESOLUTION), CASE_G_NONE, E(RESPONDS) | E(RESOLVES)},
	{S, CASE_S_OPEN, CASE_A_CANCEL, CASE_S_CLOSED, SUPERVISOR, F(REASON), CASE_G_NONE, E(RESOLVES)},
	{S, CASE_S_PENDING, CASE_A_CUSTOMER_REPLIED, CASE_S_OPEN, AGENT, 0, CASE_G_NONE, E(RESUME)},
	{S, CASE_S_PENDING, CASE_A_RESOLVE, CASE_S_RESOLVED, AGENT, F(RESOLUTION), CASE_G_NONE, E(RESPONDS) | E(RESOLVES)},
	{S, CASE_S_PENDING, CASE_A_CANCEL, CASE_S_CLOSED, SUPERVISOR, F(REASON), CASE_G_NONE, E(RESOLVES)},
	{S, CASE_S_RESOLVED, CASE_A_CLOSE, CASE_S_CLOSED, AGENT, 0, CASE_G_NONE, 0},
	{S, CASE_S_RESOLVED, CASE_A_REOPEN, CASE_S_OPEN, AGENT, F(REASON), CASE_G_NONE, E(REOPENS)},
	{S, CASE_S_CLOSED, CASE_A_REOPEN, CASE_S_OPEN, AGENT, F(REASON), CASE_G_NONE, E(REOPENS)},
};
const size_t case_ntransitions = KF_ARRAY_LEN(case_transitions);

#undef C
#undef S
#undef F
#undef E

struct label {
	const char *name, *zh, *en;
};

static const struct label states[CASE_S__COUNT] = {
	[CASE_S_INTAKE] = {"intake", "受理", "Intake"},
	[CASE_S_ASSESSMENT] = {"assessment", "判定", "Assessment"},
	[CASE_S_PLANNING] = {"planning", "方案", "Resolution plan"},
	[CASE_S_HANDLING] = {"handling", "处理", "Handling"},
	[CASE_S_FOLLOW_UP] = {"follow_up", "回访", "Follow-up"},
	[CASE_S_ARCHIVED] = {"archived", "已归档", "Archived"},
	[CASE_S_OPEN] = {"open", "处理中", "Open"},
	[CASE_S_PENDING] = {"pending", "待客户回复", "Waiting on customer"},
	[CASE_S_RESOLVED] = {"resolved", "已解决", "Resolved"},
	[CASE_S_CLOSED] = {"closed", "已关闭", "Closed"},
};

static const struct label actions[CASE_A__COUNT] = {
	[CASE_A_ACCEPT] = {"accept", "受理", "Accept"},
	[CASE_A_JUDGE_UNJUSTIFIED] = {"judge_unjustified", "判定不成立", "Judge not justified"},
	[CASE_A_JUDGE_JUSTIFIED] = {"judge_justified", "判定成立", "Judge justified"},
	[CASE_A_PROPOSE_PLAN] = {"propose_plan", "提出方案", "Propose a plan"},
	[CASE_A_APPROVE_PLAN] = {"approve_plan", "批准方案", "Approve a plan"},
	[CASE_A_REJECT_PLAN] = {"reject_plan", "驳回方案", "Reject a plan"},
	[CASE_A_FINISH_HANDLING] = {"finish_handling", "处理完成", "Finish handling"},
	[CASE_A_RECORD_FOLLOW_UP] = {"record_follow_up", "记录回访", "Record the follow-up"},
	[CASE_A_REWORK] = {"rework", "重新处理", "Rework"},
	[CASE_A_ARCHIVE] = {"archive", "归档", "Archive"},
	[CASE_A_WAIT_CUSTOMER] = {"wait_customer", "等待客户回复", "Wait for the customer"},
	[CASE_A_CUSTOMER_REPLIED] = {"customer_replied", "客户已回复", "Customer replied"},
	[CASE_A_RESOLVE] = {"resolve", "解决", "Resolve"},
	[CASE_A_CLOSE] = {"close", "关闭", "Close"},
	[CASE_A_REOPEN] = {"reopen", "重新打开", "Reopen"},
	[CASE_A_CANCEL] = {"cancel", "撤销", "Cancel"},
};

static const char *const field_names[CASE_F__COUNT] = {
	"explanation", "demand_reasonable", "demand_note",   "department_id",
	"investigation_due_at", "plan",     "plan_id",       "reason",
	"result",      "outcome",           "root_cause_id", "resolution",
};

enum case_flow_kind case_flow_of_type(const char *type)
{
	return type && !strcmp(type, "complaint") ? CASE_FLOW_COMPLAINT : CASE_FLOW_SIMPLE;
}

enum case_state case_flow_initial(enum case_flow_kind flow)
{
	return flow == CASE_FLOW_COMPLAINT ? CASE_S_INTAKE : CASE_S_OPEN;
}

int case_state_is_open(enum case_state s)
{
	return s != CASE_S_ARCHIVED && s != CASE_S_CLOSED && (unsigned)s < CASE_S__COUNT;
}

int case_state_is_resolved(enum case_state s)
{
	return s == CASE_S_FOLLOW_UP || s == CASE_S_ARCHIVED || s == CASE_S_RESOLVED ||
	       s == CASE_S_CLOSED;
}

int case_state_in_flow(enum case_flow_kind flow, enum case_state s)
{
	if (s == CASE_S_CLOSED)
		return flow == CASE_FLOW_COMPLAINT || flow == CASE_FLOW_SIMPLE;
	if (flow == CASE_FLOW_COMPLAINT)
		return s >= CASE_S_INTAKE && s <= CASE_S_ARCHIVED;
	if (flow == CASE_FLOW_SIMPLE)
		return s >= CASE_S_OPEN && s <= CASE_S_RESOLVED;
	return 0;
}

const struct case_transition *case_flow_find(enum case_flow_kind flow, enum case_state state,
					     enum case_action action)
{
	for (size_t i = 0; i < case_ntransitions; i++) {
		const struct case_transition *t = &case_transitions[i];
		if (t->flow == flow && t->from == state && t->action == action)
			return t;
	}
	return NULL;
}

static int guard_holds(enum case_guard g, const struct case_flow_ctx *c)
{
	switch (g) {
	case CASE_G_PLAN_PENDING:
		return c->pending_plans > 0;
	case CASE_G_FOLLOW_UP_DONE:
		return c->follow_up_done;
	case CASE_G_NOT_PAUSED:
		return !c->paused;
	case CASE_G_PAUSED:
		return c->paused;
	default:
		return 1;
	}
}

static int guard_fail(kf_err *e, enum case_guard g)
{
	switch (g) {
	case CASE_G_PLAN_PENDING:
		return kf_fail(e, KF_ECONFLICT, "plan_id", "没有待审批的方案", "No plan awaits a decision");
	case CASE_G_FOLLOW_UP_DONE:
		return kf_fail(e, KF_ECONFLICT, "outcome", "归档前须先记录回访结果",
			       "Record the follow-up outcome before archiving");
	case CASE_G_NOT_PAUSED:
		return kf_fail(e, KF_ECONFLICT, "action", "工单已在等待客户回复",
			       "The case is already waiting on the customer");
	case CASE_G_PAUSED:
		return kf_fail(e, KF_ECONFLICT, "action", "工单并未在等待客户回复",
			       "The case is not waiting on the customer");
	default:
		return kf_fail(e, KF_EINTERNAL, NULL, NULL, NULL);
	}
}

/* kf_fail formats both languages from one argument list; these messages
 * name states and actions in each language, so they are written apart. */
static int fail_each(kf_err *e, int code, const char *field, const char *zh, const char *en)
{
	kf_fail(e, code, field, "%s", "%s", zh, en);
	snprintf(e->en, sizeof(e->en), "%s", en);
	return code;
}

int case_flow_step(enum case_flow_kind flow, enum case_state state, enum case_action action,
		   int role, const struct case_flow_ctx *ctx, unsigned given,
		   int demand_reasonable, struct case_step *out, kf_err *e)
{
	char zh[200], en[200];
	const char *azh = case_action_zh(action), *aen = case_action_en(action);
	const struct case_transition *t = case_flow_find(flow, state, action);
	if (!t || !azh) {
		snprintf(zh, sizeof(zh), "当前状态“%s”下不能执行“%s”",
			 case_state_zh(state) ? case_state_zh(state) : "?", azh ? azh : "?");
		snprintf(en, sizeof(en), "\"%s\" is not possible in the state \"%s\"",
			 aen ? aen : "?", case_state_en(state) ? case_state_en(state) : "?");
		return fail_each(e, KF_ECONFLICT, "action", zh, en);
	}
	if (role < t->min_role) {
		snprintf(zh, sizeof(zh), "“%s”需要主管或管理员角色", azh);
		snprintf(en, sizeof(en), "\"%s\" requires the supervisor or admin role", aen);
		return fail_each(e, KF_EFORBIDDEN, "action", zh, en);
	}
	if (!guard_holds(t->guard, ctx))
		return guard_fail(e, t->guard);
	unsigned need = t->required;
	if ((need & CASE_F_DEMAND_REASONABLE) && (given & CASE_F_DEMAND_REASONABLE) &&
	    !demand_reasonable)
		need |= CASE_F_DEMAND_NOTE;
	for (unsigned i = 0; i < CASE_F__COUNT; i++) {
		unsigned bit = 1u << i;
		if ((need & bit) && !(given & bit)) {
			snprintf(zh, sizeof(zh), "“%s”须填写 %s", azh, field_names[i]);
			snprintf(en, sizeof(en), "\"%s\" requires the field %s", aen, field_names[i]);
			return fail_each(e, KF_EINVAL, field_names[i], zh, en);
		}
	}
	out->next = t->to;
	out->effects = t->effects;
	if (ctx->paused && action != CASE_A_WAIT_CUSTOMER)
		out->effects |= CASE_E_RESUME;
	out->required = need;
	return 0;
}

size_t case_flow_allowed(enum case_flow_kind flow, enum case_state state, int role,
			 const struct case_flow_ctx *ctx, enum case_action *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < case_ntransitions; i++) {
		const struct case_transition *t = &case_transitions[i];
		if (t->flow != flow || t->from != state || role < t->min_role ||
		    !guard_holds(t->guard, ctx))
			continue;
		if (n < cap)
			out[n] = t->action;
		n++;
	}
	return n;
}

const char *case_state_name(enum case_state s)
{
	return (unsigned)s < CASE_S__COUNT ? states[s].name : NULL;
}

const char *case_state_zh(enum case_state s)
{
	return (unsigned)s < CASE_S__COUNT ? states[s].zh : NULL;
}

const char *case_state_en(enum case_state s)
{
	return (unsigned)s < CASE_S__COUNT ? states[s].en : NULL;
}

int case_state_parse(const char *s)
{
	for (int i = 0; s && i < CASE_S__COUNT; i++)
		if (!strcmp(states[i].name, s))
			return i;
	return -1;
}

const char *case_action_name(enum case_action a)
{
	return (unsigned)a < CASE_A__COUNT ? actions[a].name : NULL;
}

const char *case_action_zh(enum case_action a)
{
	return (unsigned)a < CASE_A__COUNT ? actions[a].zh : NULL;
}

const char *case_action_en(enum case_action a)
{
	return (unsigned)a < CASE_A__COUNT ? actions[a].en : NULL;
}

int case_action_parse(const char *s)
{
	for (int i = 0; s && i < CASE_A__COUNT; i++)
		if (!strcmp(actions[i].name, s))
			return i;
	return -1;
}

const char *case_field_name(unsigned bit)
{
	for (unsigned i = 0; i < CASE_F__COUNT; i++)
		if (bit == 1u << i)
			return field_names[i];
	return NULL;
}

const char *case_flow_name(enum case_flow_kind f)
{
	return f == CASE_FLOW_COMPLAINT ? "complaint" : f == CASE_FLOW_SIMPLE ? "simple" : NULL;
}
