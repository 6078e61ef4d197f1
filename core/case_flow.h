/* case_flow.h - the life of a case as an explicit transition table
 * (DOMAIN §2): which action may be taken from which state, by whom, with
 * which fields, and where it leads.
 *
 * Two flows share one table:
 *
 *   complaint (投诉处理闭环):  intake 受理 → assessment 判定 →
 *       not justified: judge_unjustified (explanation recorded) → closed
 *       justified:     judge_justified (responsible department + agreed
 *                      investigation time) → planning 方案
 *       planning:  propose_plan (one or more) / reject_plan (supervisor,
 *                  with a reason) / approve_plan (supervisor) → handling 处理
 *       handling:  finish_handling (result) → follow_up 回访
 *       follow_up: record_follow_up (outcome) then archive (root cause) →
 *                  archived 归档, or rework → planning if the customer is
 *                  not satisfied
 *   simple (inquiry, after-sales, suggestion, praise):
 *       open ⇄ pending (waiting on the customer) → resolved → closed,
 *       reopen from resolved or closed.
 *
 * "Unreasonable demand" is part of the judgement: both judge actions
 * require demand_reasonable, and demand_note when it is false.
 * Waiting on the customer pauses the SLA clock: in the simple flow it is
 * the pending state; in the complaint flow it is a flag that
 * wait_customer / customer_replied toggle without changing the state.
 * Any other action on a paused case resumes it (the agent is working).
 *
 * Pure: no I/O, no allocation; every string is static. */
#ifndef KF_CORE_CASE_FLOW_H
#define KF_CORE_CASE_FLOW_H

#include <stddef.h>

#include "core/err.h"

enum case_flow_kind { CASE_FLOW_COMPLAINT, CASE_FLOW_SIMPLE, CASE_FLOW__COUNT };

enum case_state {
	CASE_S_INTAKE,
	CASE_S_ASSESSMENT,
	CASE_S_PLANNING,
	CASE_S_HANDLING,
	CASE_S_FOLLOW_UP,
	CASE_S_ARCHIVED,
	CASE_S_OPEN,
	CASE_S_PENDING,
	CASE_S_RESOLVED,
	CASE_S_CLOSED,
	CASE_S__COUNT
};

enum case_action {
	CASE_A_ACCEPT,
	CASE_A_JUDGE_UNJUSTIFIED,
	CASE_A_JUDGE_JUSTIFIED,
	CASE_A_PROPOSE_PLAN,
	CASE_A_APPROVE_PLAN,
	CASE_A_REJECT_PLAN,
	CASE_A_FINISH_HANDLING,
	CASE_A_RECORD_FOLLOW_UP,
	CASE_A_REWORK,
	CASE_A_ARCHIVE,
	CASE_A_WAIT_CUSTOMER,
	CASE_A_CUSTOMER_REPLIED,
	CASE_A_RESOLVE,
	CASE_A_CLOSE,
	CASE_A_REOPEN,
	CASE_A_CANCEL,
	CASE_A__COUNT
};

/* Fields an action may require, as bits; names in case_field_name. */
enum case_field {
	CASE_F_EXPLANATION = 1u << 0,
	CASE_F_DEMAND_REASONABLE = 1u << 1,
	CASE_F_DEMAND_NOTE = 1u << 2,
	CASE_F_DEPARTMENT = 1u << 3,
	CASE_F_INVESTIGATION_DUE = 1u << 4,
	CASE_F_PLAN = 1u << 5,
	CASE_F_PLAN_ID = 1u << 6,
	CASE_F_REASON = 1u << 7,
	CASE_F_RESULT = 1u << 8,
	CASE_F_OUTCOME = 1u << 9,
	CASE_F_ROOT_CAUSE = 1u << 10,
	CASE_F_RESOLUTION = 1u << 11,
	CASE_F__COUNT = 12
};

/* What happens besides the state change, as bits. */
enum case_effect {
	CASE_E_PAUSE = 1u << 0,    /* the case now waits on the customer */
	CASE_E_RESUME = 1u << 1,   /* it no longer does */
	CASE_E_RESPONDS = 1u << 2, /* counts as a response to the customer */
	CASE_E_RESOLVES = 1u << 3, /* the resolution target is met */
	CASE_E_REOPENS = 1u << 4,  /* a resolved or closed case is active again */
	CASE_E_PLAN = 1u << 5,     /* adds, approves or rejects a plan */
};

/* Preconditions beyond the state, checked against case_flow_ctx. */
enum case_guard {
	CASE_G_NONE,
	CASE_G_PLAN_PENDING,   /* a proposed plan awaits a decision */
	CASE_G_FOLLOW_UP_DONE, /* the follow-up outcome is recorded */
	CASE_G_NOT_PAUSED,
	CASE_G_PAUSED,
};

/* What the guards look at. */
struct case_flow_ctx {
	int paused;          /* waiting on the customer */
	int pending_plans;   /* plans proposed and not yet decided */
	int follow_up_done;  /* a follow-up outcome is recorded */
};

/* One row of the table. */
struct case_transition {
	enum case_flow_kind flow;
	enum case_state from;
	enum case_action action;
	enum case_state to;
	int min_role;      /* 1 agent, 2 supervisor, 3 admin (as http.h's enum role) */
	unsigned required; /* case_field bits */
	enum case_guard guard;
	unsigned effects;  /* case_effect bits */
};

extern const struct case_transition case_transitions[];
extern const size_t case_ntransitions;

/* The result of a legal step. */
struct case_step {
	enum case_state next;
	unsigned effects;  /* the row's effects, plus CASE_E_RESUME when a paused
			      case is acted on by anything but wait_customer */
	unsigned required; /* the fields that were required */
};

/* The flow of a case type ("complaint" → complaint, anything else simple). */
enum case_flow_kind case_flow_of_type(const char *type);
/* The state a new case of this flow starts in. */
enum case_state case_flow_initial(enum case_flow_kind flow);
/* 1 for the states a case is still open in (not archived, not closed). */
int case_state_is_open(enum case_state s);
/* 1 for the states in which the resolution target counts as met. */
int case_state_is_resolved(enum case_state s);
/* 1 if the state belongs to the flow. */
int case_state_in_flow(enum case_flow_kind flow, enum case_state s);

/* Checks one step.  given: the case_field bits present in the request;
 * demand_reasonable: its value when given (a false one makes demand_note
 * required).  Returns 0 with *out filled, or fills e and returns:
 *   KF_ECONFLICT  the action is not possible from this state, or a guard
 *                 fails (the message says which);
 *   KF_EFORBIDDEN the action needs a higher role;
 *   KF_EINVAL     a required field is missing (e->field names it).
 * Checks in that order, so a 409 never depends on the fields given. */
int case_flow_step(enum case_flow_kind flow, enum case_state state, enum case_action action,
		   int role, const struct case_flow_ctx *ctx, unsigned given,
		   int demand_reasonable, struct case_step *out, kf_err *e);

/* The actions this role may take now (state, role and guards all pass),
 * in table order, written to out (up to cap); returns how many there are. */
size_t case_flow_allowed(enum case_flow_kind flow, enum case_state state, int role,
			 const struct case_flow_ctx *ctx, enum case_action *out, size_t cap);
/* The row for (flow, state, action), or NULL. */
const struct case_transition *case_flow_find(enum case_flow_kind flow, enum case_state state,
					     enum case_action action);

/* Names (stable API codes) and labels.  *_name returns NULL when out of
 * range; *_parse returns -1 for an unknown name (or NULL). */
const char *case_state_name(enum case_state s);
const char *case_state_zh(enum case_state s);
const char *case_state_en(enum case_state s);
int case_state_parse(const char *s);
const char *case_action_name(enum case_action a);
const char *case_action_zh(enum case_action a);
const char *case_action_en(enum case_action a);
int case_action_parse(const char *s);
/* The JSON name of one case_field bit (e.g. "department_id"). */
const char *case_field_name(unsigned bit);
const char *case_flow_name(enum case_flow_kind f);

#endif
