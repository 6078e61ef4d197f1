/* case.h - cases (工单, DOMAIN §2), shared by app/case*.c, calendar.c,
 * sla_policies.c, root_causes.c, notifications.c and the breach job.
 *
 * Files: cases.c (create, change), case_show.c (a case as JSON),
 * case_flow.c (applying a workflow step), case_steps.c (the workflow's
 * routes), case_list.c (views, counts), case_events.c, case_plans.c,
 * case_checklist.c, case_assign.c, case_sla.c (calendar, policies),
 * case_breach.c (escalation), case_row.c (what all of them share).
 *
 * A use case reads the row (case_read), checks that the caller may see it
 * (case_visible), changes it with one version-checked UPDATE built by
 * case_upd, and writes a timeline event and an audit row in the same
 * transaction.  The SLA columns derived from others (sla_due_at,
 * sla_check_at, queue_rank) are recomputed by case_upd_derived whenever
 * something they depend on changes. */
#ifndef KF_APP_CASE_H
#define KF_APP_CASE_H

#include "app/app.h"
#include "core/bizcal.h"
#include "core/case_flow.h"
#include "core/case_rules.h"

/* A case as the use cases read it; strings live in the arena given to
 * case_read.  0 stands for NULL in the id and time fields. */
struct case_row {
	int64_t id, version;
	char number[CASE_NUMBER_SIZE];
	const char *type, *priority, *value_class, *tier;
	int angry; /* emotion 'angry': one priority band higher in the queues */
	enum case_flow_kind flow;
	enum case_state state;
	int is_open, key_account, pending_plans, follow_up_done, checklist, escalated;
	int64_t customer_id, assignee_id, department_id, created_by;
	int64_t sla_policy_id, sla_start_at, received_at;
	int64_t fr_due, res_due, first_response_at, resolved_at;
	int64_t paused_at, paused_biz_min;
};

/* case_row.c */
/* Reads case id; 0, KF_ENOTFOUND or KF_EDB (e filled). */
int case_read(db *d, arena *a, int64_t id, struct case_row *c, kf_err *e);
/* Whether u may see (and so act on) the case: admins all; the assignee and
 * the creator; the case's department; a supervisor without a department
 * all (the head of service). */
int case_visible(const struct auth_user *u, const struct case_row *c);
/* case_read + case_visible for a request (404 if not visible). */
int case_fetch(http_req *r, int64_t id, struct case_row *c);
/* The SQL condition (on alias c) for case_visible, with its arguments
 * appended to args; "1 = 1" when the user sees everything. */
const char *case_visible_sql(http_req *r, db_val *args, int *n);

/* One UPDATE of a case: SET col = ? ... , version = version + 1,
 * updated_at = now WHERE id = ? AND version = ?.  Values given as text
 * must live until case_upd_exec.  Every column set is also recorded in
 * `changes` for the audit log. */
struct case_upd {
	buf sql;
	db_val args[72];
	int n;
	int overflow;
	json_t *changes;
};
void case_upd_init(struct case_upd *u);
/* The body of POST/PATCH /api/sla-policies (r->json): validates the
 * fields present and fills u (sla_policies.c, no database).  On create,
 * name and both targets are required. */
int sla_policy_read(http_req *r, int creating, struct case_upd *u);
void case_upd_release(struct case_upd *u);
void case_upd_int(struct case_upd *u, const char *col, int64_t v);
/* v == 0 writes NULL. */
void case_upd_time(struct case_upd *u, const char *col, int64_t v);
void case_upd_text(struct case_upd *u, const char *col, const char *v);
/* A raw assignment such as "reopen_count = reopen_count + 1". */
void case_upd_raw(struct case_upd *u, const char *assignment);
/* The derived columns of a row: the earliest pending target (0: none or
 * paused), the earliest pending target not yet escalated, the queue rank. */
void case_derive(const struct case_row *c, int64_t *due, int64_t *check, int64_t *rank);
/* Sets sla_due_at, sla_check_at and queue_rank from c. */
void case_upd_derived(struct case_upd *u, const struct case_row *c);
/* Runs it: 1 if the row was updated, 0 if its version moved on (the
 * caller answers 409), < 0 on a database error. */
int case_upd_exec(db *d, struct case_upd *u, const struct case_row *c, int64_t now);

/* Adds a timeline event; actor 0 is the system. data may be NULL. */
int case_event_add(db *d, int64_t case_id, const char *kind, int64_t actor, int is_public,
		   const char *body, json_t *data, int64_t at);
/* The same, giving the new event's id. */
int case_event_add_id(db *d, int64_t case_id, const char *kind, int64_t actor, int is_public,
		      const char *body, json_t *data, int64_t at, int64_t *id);
/* A customer became a key account (key 1) or stopped being one (key 0):
 * their open cases move in every queue (core/case_rules.h) and get the
 * SLA policy the new value class selects (new due times when it is
 * another one), each with a timeline entry and an audit row by actor.
 * For the code that changes customers.value_class, in its transaction,
 * after the customer row is written.  0 or -1. */
int case_customer_key_changed(db *d, arena *a, int64_t customer_id, int key, int64_t actor,
			      int64_t now);
/* Queues the case.assigned webhook event (from/to 0: nobody; taken: the
 * agent took it from the queue), in the caller's transaction. */
int case_emit_assigned(db *d, int64_t case_id, int64_t from, int64_t to, int64_t by, int taken);
/* Adds delta to a user's count of open cases. */
int case_load_adjust(db *d, int64_t user_id, int delta);
/* 409 for a stale version. */
int case_stale(http_req *r, const struct case_row *c);

/* case_sla.c: the business clock (calendar + zone) and the policies. */
struct case_clock {
	struct bizcal cal;
	const char *zone;
};
/* settings.business_timezone ("Asia/Shanghai" if unset). */
const char *case_business_zone(db *d, arena *a);
/* Loads the hours and the dated days from a year before to three years
 * after `around` (UTC ms). */
int case_clock_load(db *d, arena *a, int64_t around, struct case_clock *k, kf_err *e);
/* UTC ms + business minutes → UTC ms. */
int case_clock_add(struct case_clock *k, int64_t utc_ms, int64_t minutes, int64_t *out, kf_err *e);
/* Business minutes between two UTC times. */
int case_clock_between(struct case_clock *k, int64_t a, int64_t b, int64_t *out, kf_err *e);
/* The local calendar date of a UTC time. */
int case_local_date(const char *zone, int64_t utc_ms, int *y, int *m, int *d, kf_err *e);

struct case_targets {
	int64_t policy_id; /* 0 if no policy matches */
	int64_t fr_min, res_min;
};
/* The policy for a case (most specific active one, core/sla.h). */
int case_sla_policy(db *d, arena *a, const char *type, const char *priority,
		    const char *value_class, const char *tier, struct case_targets *t, kf_err *e);
/* Chooses the policy again for c as it now is (type, priority, the
 * customer's value class and tier) and, when it differs (or always),
 * counts the targets again from the start of the clock plus the time
 * already spent waiting on the customer; targets already met stay met.
 * Sets c and adds the columns to u.  1 if retargeted, 0 if the policy is
 * the same, -1 with e filled. */
int case_retarget(db *d, arena *a, struct case_row *c, struct case_upd *u, int always, kf_err *e);
/* The targets of a policy by id (0 minutes if it is gone). */
int case_sla_policy_by_id(db *d, int64_t id, struct case_targets *t, kf_err *e);

/* The fields a step may carry (case_flow.c), read from `in` without a
 * database: texts point into `in` (NULL when not given or blank), ids 0
 * when not given; *given has the CASE_F_ bit of each field given.  The
 * plan's kind, an outcome and the investigation time (within a year of
 * now) are checked; what they name (department, plan, root cause) is not.
 * 0, or a kf_code with r->err naming the field. */
struct case_step_fields {
	const char *explanation, *demand_note, *reason, *result, *outcome, *resolution, *note;
	const char *plan_kind, *plan_desc;
	int demand_reasonable, has_amount;
	int64_t department_id, investigation_due_at, plan_id, root_cause_id, plan_amount;
};
int case_step_fields_read(http_req *r, json_t *in, struct case_step_fields *f, unsigned *given,
			  int64_t now);

/* case_plans.c: the step's fields for a plan, without a database.  plan_id
 * 0: POST /api/cases/{id}/plans, whose kind, description and amount_fen
 * become the object "plan" (note and version stay); else a decision on
 * that plan (approve, reject), which may not name plan_id itself.  *in is
 * a new object for case_step_request (the caller releases it). */
int case_plan_input(http_req *r, int64_t plan_id, json_t **in);

/* case_checklist.c: POST /api/cases/{id}/checklist, read without a
 * database: step one of the checklist class, done 1 when not given, bit
 * the step's bit in the case's checklist. */
struct checklist_tick {
	const char *step;
	int done, has_done, has_version, bit;
	int64_t version;
};
int case_checklist_input_read(http_req *r, struct checklist_tick *t);

/* root_causes.c: POST (creating: code and names required) and PATCH
 * /api/root-causes bodies, read without a database: the code only on
 * create, of lower-case letters, digits and '_'; names never empty. */
struct root_cause_input {
	const char *code, *name_zh, *name_en, *description;
	int64_t sort_order;
	int active, has_sort, has_active;
};
int root_cause_input_read(http_req *r, int creating, struct root_cause_input *c);

/* case_flow.c: one step of the workflow inside the caller's transaction.
 * `in` holds the action's fields, read by case_step_fields_read into f and
 * given.  Returns 0, or a kf_code with r->err filled; for KF_ECONFLICT /
 * KF_EFORBIDDEN the caller rolls back and answers with case_refuse. */
int case_act(http_req *r, struct case_row *c, enum case_action a, json_t *in,
	     const struct case_step_fields *f, unsigned given, int64_t now);
/* case_steps.c: a whole request for one step: its own transaction, the version check
 * (`version` in `in`), the answer (the case, with status), or the refusal. */
int case_step_request(http_req *r, int64_t id, enum case_action a, json_t *in, int status);
/* Answers a refused step as problem+json with `allowed`: the actions the
 * caller may take from the case's state (r->err says why).  Returns 0
 * (the answer is set). */
int case_refuse(http_req *r, const struct case_row *c, int code);
/* The allowed actions for r's user as a JSON array of names. */
json_t *case_allowed_json(http_req *r, const struct case_row *c);

/* case_show.c: answers with the whole case as GET /api/cases/{id} shows it. */
int case_respond(http_req *r, int64_t id, int status);
struct jw;
/* case_plans.c: writes the plans of a case, oldest first, as a JSON array. */
int case_plans_write(db *d, struct jw *w, int64_t id);

/* case_list.c: the FROM clause for queries of a department's queue
 * (open, unassigned cases), with SQLite's index hint. */
const char *case_queue_from(db *d);

/* case_assign.c */
/* The least-loaded active agent of the department with at least the
 * capability, or 0 if there is none. */
int case_pick_agent(db *d, int64_t department_id, int capability, int64_t *agent, kf_err *e);
/* Validates a user id as an assignee (exists, active); KF_EINVAL naming
 * field otherwise. */
int case_check_assignee(http_req *r, int64_t uid, const char *field);

/* notifications.c */
int notify_add(db *d, int64_t user_id, const char *kind, int64_t case_id, const char *title_zh,
	       const char *title_en, json_t *data, int64_t at);
/* Notifies the supervisors of a department (the admins if it has none);
 * returns how many were told, or < 0. */
int notify_supervisors(db *d, int64_t department_id, const char *kind, int64_t case_id,
		       const char *title_zh, const char *title_en, json_t *data, int64_t at);

/* case_breach.c: escalates SLA breaches due at or before now, looking at
 * most at `limit` cases (at most 200); returns how many it looked at, with
 * *escalated counting the breaches escalated, or < 0. */
int case_breach_sweep(db *d, int64_t now, int limit, int *escalated, kf_err *e);

/* Answers problem+json for code (r->err gives detail and field) with the
 * members of extra (taken) added; returns 0 (the answer is set). */
int case_problem(http_req *r, int code, json_t *extra);

/* Small shared helpers. */
/* A string from JSON or SQL as a JSON value, NULL → json null. */
json_t *case_json_time(int64_t v);

#endif
