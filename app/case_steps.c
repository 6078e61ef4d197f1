/* case_steps.c - the workflow over HTTP: POST /api/cases/{id}/transitions
 * takes a step (case_flow.c's case_act), GET lists the steps the caller may
 * take now with their fields, GET /api/case-flow describes the whole table
 * and the vocabularies (for the UI's stepper and forms).  A refused step
 * answers problem+json naming the allowed steps. */
#include "app/case.h"

#include <string.h>

#include "core/validate.h"
#include "lib/common.h"
#include "lib/util.h"

json_t *case_allowed_json(http_req *r, const struct case_row *c)
{
	enum case_action acts[CASE_A__COUNT];
	struct case_flow_ctx ctx = {c->paused_at != 0, c->pending_plans, c->follow_up_done};
	size_t n = case_flow_allowed(c->flow, c->state, r->user.role, &ctx, acts, CASE_A__COUNT);
	json_t *arr = json_array();
	for (size_t i = 0; i < n && i < CASE_A__COUNT; i++)
		json_array_append_new(arr, json_string(case_action_name(acts[i])));
	return arr;
}

int case_refuse(http_req *r, const struct case_row *c, int code)
{
	json_t *allowed = case_allowed_json(r, c);
	buf names;
	buf_init(&names, 4096);
	size_t i;
	json_t *v;
	json_array_foreach(allowed, i, v)
	{
		enum case_action a = (enum case_action)case_action_parse(json_string_value(v));
		buf_printf(&names, "%s%s", i ? (r->lang_en ? ", " : "、") : "",
			   r->lang_en ? case_action_en(a) : case_action_zh(a));
	}
	/* The detail says why and what is possible instead. */
	kf_err keep = r->err;
	const char *why = keep.code == code ? (r->lang_en ? keep.en : keep.zh) : "";
	const char *more = !json_array_size(allowed)
				   ? (r->lang_en ? " No step is open to you now." : "；您当前没有可执行的操作。")
				   : arena_printf(r->a, "%s%s", r->lang_en ? " Allowed: " : "；可执行：",
						  names.data);
	buf_release(&names);
	http_fail(r, code, keep.field, "%s%s", "%s%s", why, more);
	r->err.ref_id = 0;
	return case_problem(r, code,
			    json_pack("{s:s, s:o}", "state", case_state_name(c->state), "allowed", allowed));
}

/* A step refused by the workflow (not a stale version) names the way on. */
static int refused(http_req *r, int rc)
{
	return (rc == KF_ECONFLICT || rc == KF_EFORBIDDEN) && r->err.code == rc &&
	       !(r->err.field && !strcmp(r->err.field, "version"));
}

int case_step_request(http_req *r, int64_t id, enum case_action a, json_t *in, int status)
{
	int64_t version, now = util_now_ms();
	int rc, has_version;
	struct case_step_fields f;
	unsigned given;
	if ((rc = in_int(r, in, "version", 1, INT64_MAX, 0, &version, &has_version)) < 0 ||
	    (rc = case_step_fields_read(r, in, &f, &given, now)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	struct case_row c;
	if ((rc = case_fetch(r, id, &c)) < 0) {
		db_rollback(r->db);
		return rc;
	}
	if (has_version && version != c.version)
		rc = case_stale(r, &c);
	else
		rc = case_act(r, &c, a, in, &f, given, now);
	if (rc < 0) {
		db_rollback(r->db);
		return refused(r, rc) ? case_refuse(r, &c, rc) : rc;
	}
	if (db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return case_respond(r, id, status);
}

int case_transitions_post(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "action", "缺少必填字段 action", "The field action is required");
	const char *name;
	if ((rc = in_str(r, r->json, "action", 32, 1, &name, NULL)) < 0)
		return rc;
	int a = case_action_parse(name);
	if (a < 0) {
		char ex[33]; /* %.32s would cut a character in two */
		valid_excerpt(name, ex, sizeof(ex));
		return http_fail(r, KF_EINVAL, "action", "未知的操作 %s（见 GET /api/case-flow）",
				 "Unknown action %s (see GET /api/case-flow)", ex);
	}
	return case_step_request(r, id, (enum case_action)a, r->json, 200);
}

static json_t *required_json(unsigned bits)
{
	json_t *a = json_array();
	for (unsigned i = 0; i < CASE_F__COUNT; i++)
		if (bits & (1u << i))
			json_array_append_new(a, json_string(case_field_name(1u << i)));
	return a;
}

int case_transitions_get(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	struct case_row c;
	if ((rc = case_fetch(r, id, &c)) < 0)
		return rc;
	enum case_action acts[CASE_A__COUNT];
	struct case_flow_ctx ctx = {c.paused_at != 0, c.pending_plans, c.follow_up_done};
	size_t n = case_flow_allowed(c.flow, c.state, r->user.role, &ctx, acts, CASE_A__COUNT);
	json_t *items = json_array();
	for (size_t i = 0; i < n && i < CASE_A__COUNT; i++) {
		const struct case_transition *t = case_flow_find(c.flow, c.state, acts[i]);
		json_array_append_new(
			items, json_pack("{s:s, s:s, s:s, s:s, s:o}", "action", case_action_name(acts[i]),
					 "label_zh", case_action_zh(acts[i]), "label_en",
					 case_action_en(acts[i]), "to", case_state_name(t->to),
					 "required", required_json(t->required)));
	}
	return http_json(r, 200,
			 json_pack("{s:s, s:s, s:b, s:I, s:o}", "state", case_state_name(c.state), "flow",
				   case_flow_name(c.flow), "paused", c.paused_at != 0, "version",
				   (json_int_t)c.version, "allowed", items));
}

static const char *const guard_names[] = {"none", "plan_pending", "follow_up_done", "not_paused",
					  "paused"};

static json_t *vocabularies(void)
{
	json_t *v = json_object();
	for (size_t i = 0; i < case_nsets; i++) {
		json_t *vals = json_array();
		for (size_t k = 0; k < case_sets[i].n; k++)
			json_array_append_new(vals, json_pack("{s:s, s:s, s:s}", "code",
							      case_sets[i].values[k].code, "zh",
							      case_sets[i].values[k].zh, "en",
							      case_sets[i].values[k].en));
		json_object_set_new(v, case_sets[i].name, vals);
	}
	return v;
}

int case_flow_get(http_req *r)
{
	json_t *states = json_array(), *actions = json_array(), *rows = json_array();
	for (int s = 0; s < CASE_S__COUNT; s++) {
		json_t *flows = json_array();
		for (int f = 0; f < CASE_FLOW__COUNT; f++)
			if (case_state_in_flow((enum case_flow_kind)f, (enum case_state)s))
				json_array_append_new(flows, json_string(case_flow_name((enum case_flow_kind)f)));
		json_array_append_new(states,
				      json_pack("{s:s, s:s, s:s, s:o, s:b, s:b}", "state",
						case_state_name(s), "label_zh", case_state_zh(s),
						"label_en", case_state_en(s), "flows", flows, "open",
						case_state_is_open(s), "resolved", case_state_is_resolved(s)));
	}
	for (int a = 0; a < CASE_A__COUNT; a++)
		json_array_append_new(actions, json_pack("{s:s, s:s, s:s}", "action", case_action_name(a),
							 "label_zh", case_action_zh(a), "label_en",
							 case_action_en(a)));
	for (size_t i = 0; i < case_ntransitions; i++) {
		const struct case_transition *t = &case_transitions[i];
		json_array_append_new(
			rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "flow", case_flow_name(t->flow),
					"from", case_state_name(t->from), "action",
					case_action_name(t->action), "to", case_state_name(t->to), "role",
					role_name(t->min_role), "required", required_json(t->required),
					"guard", guard_names[t->guard]));
	}
	return http_json(r, 200,
			 json_pack("{s:o, s:o, s:o, s:o}", "states", states, "actions", actions,
				   "transitions", rows, "vocabularies", vocabularies()));
}
