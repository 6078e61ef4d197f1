/* case_flow.c - one step of the workflow (core/case_flow.c's table)
 * applied to a case: case_act is the one place a step is applied, for the
 * transitions, plan and event routes (case_steps.c, case_plans.c,
 * case_events.c).  It reads the step's fields, checks the step (409 for
 * the state or a guard, 403 for a supervisor's step, 422 naming a missing
 * field), checks references (department, plan, root cause), then writes
 * the case row, the plans, a timeline event and the audit log, in the
 * caller's transaction. */
#include "app/case.h"

#include <string.h>

#include "app/webhook.h"
#include "core/sla.h"
#include "lib/common.h"
#include "lib/util.h"

static const char *const act_keys[] = {
	"action",	"version",     "note",   "explanation", "demand_reasonable",
	"demand_note",	"department_id", "investigation_due_at", "plan", "plan_id",
	"reason",	"result",      "outcome", "root_cause_id", "resolution", NULL};
static const char *const plan_keys[] = {"kind", "description", "amount_fen", NULL};

/* A text field that counts as given only when it has content. */
static int opt_text(http_req *r, json_t *in, const char *key, size_t max, const char **out,
		    unsigned bit, unsigned *given)
{
	int rc = in_str(r, in, key, max, 0, out, NULL);
	if (rc < 0)
		return rc;
	const char *s = *out;
	while (s && (*s == ' ' || *s == '\n' || *s == '\t'))
		s++;
	if (s && *s)
		*given |= bit;
	else
		*out = NULL;
	return 0;
}

static int read_plan(http_req *r, json_t *p, struct case_step_fields *f, unsigned *given)
{
	int rc;
	if (!p || json_is_null(p))
		return 0;
	if (!json_is_object(p))
		return http_fail(r, KF_EINVAL, "plan", "字段 plan 必须是对象 {kind, description, amount_fen}",
				 "The field plan must be an object {kind, description, amount_fen}");
	kf_err e;
	kf_err_clear(&e);
	if ((rc = in_only_keys(r, p, plan_keys, "plan")) < 0)
		return rc;
	const char *kind = json_string_value(json_object_get(p, "kind"));
	if (case_class_check("plan_kind", "plan.kind", kind, &e) < 0)
		return in_err(r, &e);
	const char *desc;
	if ((rc = in_str(r, p, "description", 2000, 1, &desc, NULL)) < 0) {
		r->err.field = "plan.description";
		return rc;
	}
	if ((rc = in_int(r, p, "amount_fen", 0, 100000000000LL, 0, &f->plan_amount, &f->has_amount)) < 0) {
		r->err.field = "plan.amount_fen";
		return rc;
	}
	if (json_is_null(json_object_get(p, "amount_fen")))
		f->has_amount = 0;
	f->plan_kind = kind;
	f->plan_desc = desc;
	*given |= CASE_F_PLAN;
	return 0;
}

static int opt_id(http_req *r, json_t *in, const char *key, int64_t *out, unsigned bit,
		  unsigned *given)
{
	int present, rc = in_int(r, in, key, 1, INT64_MAX, 0, out, &present);
	if (rc == 0 && *out)
		*given |= bit;
	return rc;
}

int case_step_fields_read(http_req *r, json_t *in, struct case_step_fields *f, unsigned *given,
			  int64_t now)
{
	int rc, present;
	memset(f, 0, sizeof(*f));
	*given = 0;
	if ((rc = in_only_keys(r, in, act_keys, NULL)) < 0 ||
	    (rc = in_str(r, in, "note", 4000, 0, &f->note, NULL)) < 0 ||
	    (rc = opt_text(r, in, "explanation", 2000, &f->explanation, CASE_F_EXPLANATION, given)) < 0 ||
	    (rc = opt_text(r, in, "demand_note", 1000, &f->demand_note, CASE_F_DEMAND_NOTE, given)) < 0 ||
	    (rc = opt_text(r, in, "reason", 1000, &f->reason, CASE_F_REASON, given)) < 0 ||
	    (rc = opt_text(r, in, "result", 4000, &f->result, CASE_F_RESULT, given)) < 0 ||
	    (rc = opt_text(r, in, "resolution", 4000, &f->resolution, CASE_F_RESOLUTION, given)) < 0 ||
	    (rc = opt_text(r, in, "outcome", 32, &f->outcome, CASE_F_OUTCOME, given)) < 0 ||
	    (rc = opt_id(r, in, "department_id", &f->department_id, CASE_F_DEPARTMENT, given)) < 0 ||
	    (rc = opt_id(r, in, "plan_id", &f->plan_id, CASE_F_PLAN_ID, given)) < 0 ||
	    (rc = opt_id(r, in, "root_cause_id", &f->root_cause_id, CASE_F_ROOT_CAUSE, given)) < 0 ||
	    (rc = opt_id(r, in, "investigation_due_at", &f->investigation_due_at,
			 CASE_F_INVESTIGATION_DUE, given)) < 0 ||
	    (rc = in_bool(r, in, "demand_reasonable", &f->demand_reasonable, &present)) < 0 ||
	    (rc = read_plan(r, json_object_get(in, "plan"), f, given)) < 0)
		return rc;
	if (present)
		*given |= CASE_F_DEMAND_REASONABLE;
	kf_err e;
	kf_err_clear(&e);
	if (f->outcome && case_class_check("outcome", "outcome", f->outcome, &e) < 0)
		return in_err(r, &e);
	if (f->investigation_due_at &&
	    (f->investigation_due_at < now - 5 * 60000 || f->investigation_due_at > now + 366 * 86400000LL))
		return http_fail(r, KF_EINVAL, "investigation_due_at",
				 "约定的调查完成时间须在今后一年之内（UTC 毫秒）",
				 "The agreed investigation time is within the coming year (UTC ms)");
	return 0;
}

/* References the step names must exist (and plans must await a decision). */
static int check_refs(http_req *r, const struct case_row *c, enum case_action a,
		      const struct case_step_fields *f)
{
	int64_t v;
	int rc;
	if (a == CASE_A_JUDGE_JUSTIFIED) {
		rc = db_query_int(r->db, "SELECT 1 FROM departments WHERE id = ?",
				  DB_ARGS(DBI(f->department_id)), &v);
		if (rc < 0)
			return app_db_fail(r, rc, NULL);
		if (rc != DB_ROW)
			return http_fail(r, KF_EINVAL, "department_id", "部门 %lld 不存在",
					 "Department %lld does not exist", (long long)f->department_id);
	}
	if (a == CASE_A_ARCHIVE) {
		rc = db_query_int(r->db, "SELECT active FROM root_causes WHERE id = ?",
				  DB_ARGS(DBI(f->root_cause_id)), &v);
		if (rc < 0)
			return app_db_fail(r, rc, NULL);
		if (rc != DB_ROW || !v)
			return http_fail(r, KF_EINVAL, "root_cause_id", "根本原因 %lld 不存在或已停用",
					 "Root cause %lld does not exist or is inactive",
					 (long long)f->root_cause_id);
	}
	if (a == CASE_A_APPROVE_PLAN || a == CASE_A_REJECT_PLAN) {
		db_stmt *st;
		if (db_query(r->db, "SELECT status FROM case_plans WHERE id = ? AND case_id = ?",
			     DB_ARGS(DBI(f->plan_id), DBI(c->id)), &st) < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
		rc = db_step(st);
		int proposed = rc == DB_ROW && !strcmp(db_col_text(st, 0), "proposed");
		db_done(st);
		if (rc < 0)
			return app_db_fail(r, rc, NULL);
		if (rc != DB_ROW)
			return http_fail(r, KF_EINVAL, "plan_id", "方案 %lld 不属于此工单",
					 "Plan %lld is not a plan of this case", (long long)f->plan_id);
		if (!proposed)
			return http_fail(r, KF_ECONFLICT, "plan_id", "方案 %lld 已审批过",
					 "Plan %lld has been decided already", (long long)f->plan_id);
	}
	return 0;
}

static int supersede_plans(http_req *r, const struct case_row *c, int64_t now)
{
	return db_exec(r->db,
		       "UPDATE case_plans SET status = 'superseded', decided_at = ?"
		       " WHERE case_id = ? AND status = 'proposed'",
		       DB_ARGS(DBI(now), DBI(c->id)));
}

/* What the action itself writes (besides the state and its effects). */
static int apply_action(http_req *r, const struct case_row *c, struct case_row *after,
			enum case_action a, const struct case_step_fields *f, struct case_upd *u,
			json_t *data, int64_t now)
{
	int rc = 0;
	switch (a) {
	case CASE_A_JUDGE_UNJUSTIFIED:
	case CASE_A_JUDGE_JUSTIFIED:
		case_upd_int(u, "justified", a == CASE_A_JUDGE_JUSTIFIED);
		case_upd_int(u, "demand_reasonable", f->demand_reasonable);
		case_upd_text(u, "demand_note", f->demand_note ? f->demand_note : "");
		case_upd_time(u, "judged_at", now);
		if (a == CASE_A_JUDGE_UNJUSTIFIED) {
			case_upd_text(u, "explanation", f->explanation);
		} else {
			case_upd_int(u, "department_id", f->department_id);
			case_upd_time(u, "investigation_due_at", f->investigation_due_at);
			if (f->explanation)
				case_upd_text(u, "explanation", f->explanation);
			after->department_id = f->department_id;
		}
		break;
	case CASE_A_PROPOSE_PLAN: {
		db_stmt *st;
		rc = db_query(r->db,
			      "INSERT INTO case_plans (case_id, kind, description, amount_fen, proposed_by,"
			      " proposed_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			      DB_ARGS(DBI(c->id), DBT(f->plan_kind), DBT(f->plan_desc),
				      f->has_amount ? DBI(f->plan_amount) : DBNULL, DBI(r->user.id),
				      DBI(now)),
			      &st);
		if (rc < 0)
			return app_db_fail(r, rc, NULL);
		rc = db_step(st);
		if (rc == DB_ROW)
			json_object_set_new(data, "plan_id", json_integer(db_col_int(st, 0)));
		db_done(st);
		if (rc != DB_ROW)
			return app_db_fail(r, DB_EFAIL, NULL);
		after->pending_plans = c->pending_plans + 1;
		case_upd_int(u, "pending_plans", after->pending_plans);
		return 0;
	}
	case CASE_A_APPROVE_PLAN:
		rc = db_exec(r->db,
			     "UPDATE case_plans SET status = 'approved', decided_by = ?, decided_at = ?,"
			     " decision_note = ? WHERE id = ?",
			     DB_ARGS(DBI(r->user.id), DBI(now), DBT(f->note ? f->note : ""),
				     DBI(f->plan_id)));
		if (rc >= 0)
			rc = supersede_plans(r, c, now);
		after->pending_plans = 0;
		case_upd_int(u, "pending_plans", 0);
		case_upd_int(u, "approved_plan_id", f->plan_id);
		case_upd_time(u, "plan_approved_at", now);
		break;
	case CASE_A_REJECT_PLAN:
		rc = db_exec(r->db,
			     "UPDATE case_plans SET status = 'rejected', decided_by = ?, decided_at = ?,"
			     " decision_note = ? WHERE id = ?",
			     DB_ARGS(DBI(r->user.id), DBI(now), DBT(f->reason), DBI(f->plan_id)));
		after->pending_plans = c->pending_plans > 0 ? c->pending_plans - 1 : 0;
		case_upd_int(u, "pending_plans", after->pending_plans);
		break;
	case CASE_A_FINISH_HANDLING:
		case_upd_text(u, "handling_result", f->result);
		break;
	case CASE_A_RECORD_FOLLOW_UP:
		case_upd_text(u, "follow_up_outcome", f->outcome);
		case_upd_text(u, "follow_up_note", f->note ? f->note : "");
		case_upd_time(u, "followed_up_at", now);
		after->follow_up_done = 1;
		break;
	case CASE_A_ARCHIVE:
		case_upd_int(u, "root_cause_id", f->root_cause_id);
		break;
	case CASE_A_RESOLVE:
		case_upd_text(u, "resolution", f->resolution);
		break;
	case CASE_A_CANCEL:
		rc = supersede_plans(r, c, now);
		after->pending_plans = 0;
		case_upd_int(u, "pending_plans", 0);
		break;
	default:
		break;
	}
	return rc < 0 ? app_db_fail(r, rc, NULL) : 0;
}

/* The moment column for entering a state, if it has one. */
static const char *moment_of(enum case_state s)
{
	switch (s) {
	case CASE_S_ASSESSMENT:
		return "accepted_at";
	case CASE_S_FOLLOW_UP:
		return "handled_at";
	case CASE_S_ARCHIVED:
		return "archived_at";
	case CASE_S_CLOSED:
		return "closed_at";
	default:
		return NULL;
	}
}

static int clock_for(http_req *r, struct case_clock *k, int *loaded, int64_t now)
{
	kf_err e;
	kf_err_clear(&e);
	if (*loaded)
		return 0;
	if (case_clock_load(r->db, r->a, now, k, &e) < 0)
		return in_err(r, &e);
	*loaded = 1;
	return 0;
}

/* The state change and the effects of the step (core/case_flow.h). */
static int apply_effects(http_req *r, const struct case_row *c, struct case_row *after,
			 const struct case_step *step, struct case_upd *u, int64_t now)
{
	struct case_clock k;
	int loaded = 0, rc;
	kf_err e;
	kf_err_clear(&e);
	if (step->next != c->state) {
		after->state = step->next;
		case_upd_text(u, "state", case_state_name(step->next));
		case_upd_time(u, "state_changed_at", now);
		after->is_open = case_state_is_open(step->next);
		if (after->is_open != c->is_open)
			case_upd_int(u, "is_open", after->is_open);
		const char *m = moment_of(step->next);
		if (m)
			case_upd_time(u, m, now);
	}
	if ((step->effects & CASE_E_RESPONDS) && !c->first_response_at) {
		after->first_response_at = now;
		case_upd_time(u, "first_response_at", now);
	}
	if ((step->effects & CASE_E_RESOLVES) && !c->resolved_at) {
		after->resolved_at = now;
		case_upd_time(u, "resolved_at", now);
	}
	if ((step->effects & CASE_E_RESUME) && c->paused_at) {
		int64_t p;
		if ((rc = clock_for(r, &k, &loaded, now)) < 0)
			return rc;
		if (case_clock_between(&k, c->paused_at, now, &p, &e) < 0)
			return in_err(r, &e);
		/* A target missed before the pause stays missed (core/sla.h). */
		if (after->fr_due && !after->first_response_at && after->fr_due > c->paused_at) {
			if (case_clock_add(&k, after->fr_due, p, &after->fr_due, &e) < 0)
				return in_err(r, &e);
			case_upd_time(u, "first_response_due_at", after->fr_due);
		}
		if (after->res_due && !after->resolved_at && after->res_due > c->paused_at) {
			if (case_clock_add(&k, after->res_due, p, &after->res_due, &e) < 0)
				return in_err(r, &e);
			case_upd_time(u, "resolve_due_at", after->res_due);
		}
		after->paused_at = 0;
		after->paused_biz_min = c->paused_biz_min + p;
		case_upd_time(u, "paused_at", 0);
		case_upd_int(u, "paused_biz_min", after->paused_biz_min);
	}
	if (step->effects & CASE_E_PAUSE) {
		after->paused_at = now;
		case_upd_time(u, "paused_at", now);
	}
	if (step->effects & CASE_E_REOPENS) {
		struct case_targets t;
		if ((rc = clock_for(r, &k, &loaded, now)) < 0)
			return rc;
		if (case_sla_policy_by_id(r->db, c->sla_policy_id, &t, &e) < 0)
			return in_err(r, &e);
		after->resolved_at = 0;
		after->res_due = 0;
		if (t.res_min > 0 && case_clock_add(&k, now, t.res_min, &after->res_due, &e) < 0)
			return in_err(r, &e);
		after->escalated &= ~2;
		after->follow_up_done = 0;
		after->sla_start_at = now;
		after->paused_biz_min = 0;
		case_upd_time(u, "resolved_at", 0);
		case_upd_time(u, "resolve_due_at", after->res_due);
		case_upd_time(u, "reopened_at", now);
		case_upd_raw(u, "reopen_count = reopen_count + 1");
		case_upd_int(u, "escalated", after->escalated);
		case_upd_time(u, "sla_start_at", now);
		case_upd_int(u, "paused_biz_min", 0);
		case_upd_time(u, "follow_up_outcome", 0);
	}
	return 0;
}

static const char *event_body(const struct case_step_fields *f)
{
	if (f->note && *f->note)
		return f->note;
	const char *texts[] = {f->explanation, f->result, f->resolution, f->reason, f->plan_desc};
	for (size_t i = 0; i < KF_ARRAY_LEN(texts); i++)
		if (texts[i])
			return texts[i];
	return "";
}

/* case.state_changed for every change of state, and case.closed when the
 * case leaves the open states (closed, archived), after the row is written
 * so that the payload shows the new state. */
static int emit_transition(http_req *r, const struct case_row *c, const struct case_row *after,
			   enum case_action a, int64_t now)
{
	json_t *x = json_pack("{s:{s:s, s:s, s:s, s:I, s:I}}", "transition", "action",
			      case_action_name(a), "from", case_state_name(c->state), "to",
			      case_state_name(after->state), "by", (json_int_t)r->user.id, "at",
			      (json_int_t)now);
	int rc = webhook_emit_case(r->db, "case.state_changed", c->id, x);
	if (rc >= 0 && c->is_open && !after->is_open)
		rc = webhook_emit_case(r->db, "case.closed", c->id, x);
	json_decref(x);
	return rc < 0 ? rc : 0;
}

int case_act(http_req *r, struct case_row *c, enum case_action a, json_t *in,
	     const struct case_step_fields *fin, unsigned given, int64_t now)
{
	struct case_step_fields f = *fin;
	int rc;
	struct case_flow_ctx ctx = {c->paused_at != 0, c->pending_plans, c->follow_up_done};
	struct case_step step;
	kf_err e;
	kf_err_clear(&e);
	if (case_flow_step(c->flow, c->state, a, r->user.role, &ctx, given, f.demand_reasonable,
			   &step, &e) < 0)
		return in_err(r, &e);
	if ((rc = check_refs(r, c, a, &f)) < 0)
		return rc;
	struct case_row after = *c;
	struct case_upd u;
	case_upd_init(&u);
	json_t *fields = json_deep_copy(in);
	json_object_del(fields, "action");
	json_object_del(fields, "version");
	json_object_del(fields, "note");
	json_t *data = json_pack("{s:s, s:s, s:s, s:o}", "action", case_action_name(a), "from",
				 case_state_name(c->state), "to", case_state_name(step.next),
				 "fields", fields);
	/* Every helper returns a kf_code with r->err filled (database errors
	 * through app_db_fail, which also rolls back). */
	rc = apply_action(r, c, &after, a, &f, &u, data, now);
	if (rc == 0)
		rc = apply_effects(r, c, &after, &step, &u, now);
	if (rc == 0) {
		case_upd_derived(&u, &after);
		int x = case_upd_exec(r->db, &u, c, now);
		rc = x < 0 ? app_db_fail(r, x, NULL) : x == 0 ? case_stale(r, c) : 0;
	}
	if (rc == 0 && after.is_open != c->is_open &&
	    case_load_adjust(r->db, c->assignee_id, after.is_open ? 1 : -1) < 0)
		rc = app_db_fail(r, DB_EFAIL, NULL);
	if (rc == 0 && case_event_add(r->db, c->id, "transition", r->user.id, step.next != c->state,
				      event_body(&f), data, now) < 0)
		rc = app_db_fail(r, DB_EFAIL, NULL);
	if (rc == 0 && audit_write(r->db, "case", c->id, case_action_name(a), r->user.id, u.changes) < 0)
		rc = app_db_fail(r, DB_EFAIL, NULL);
	if (rc == 0 && step.next != c->state &&
	    emit_transition(r, c, &after, a, now) < 0)
		rc = app_db_fail(r, DB_EFAIL, NULL);
	json_decref(data);
	case_upd_release(&u);
	if (rc < 0)
		return rc;
	after.version = c->version + 1;
	*c = after;
	return 0;
}
