/* case_show.c - a case as GET /api/cases/{id} (and every change) answers
 * it: the row with its customer, people, department, root cause, SLA
 * policy and targets, checklist, plans and the caller's allowed steps,
 * streamed with lib/jw from one query plus one for the plans. */
#include "app/case.h"

#include <stdio.h>
#include <string.h>

#include "app/customer.h"
#include "core/mask.h"
#include "core/sla.h"
#include "lib/common.h"
#include "lib/jw.h"
#include "lib/util.h"

#define CASE_SELECT                                                                                \
	"SELECT c.id, c.number, c.type, c.subtype, c.channel, c.stage, c.priority, c.severity,"    \
	" c.state, c.is_open, c.key_account, c.subject, c.description, c.emotion, c.demand,"       \
	" c.tags, c.required_capability, c.justified, c.demand_reasonable, c.demand_note,"         \
	" c.explanation, c.investigation_due_at, c.pending_plans, c.approved_plan_id,"             \
	" c.handling_result, c.follow_up_outcome, c.follow_up_note, c.resolution, c.received_at,"  \
	" c.created_at, c.updated_at, c.first_response_at, c.accepted_at, c.judged_at,"            \
	" c.plan_approved_at, c.handled_at, c.followed_up_at, c.resolved_at, c.archived_at,"       \
	" c.closed_at, c.reopened_at, c.reopen_count, c.state_changed_at, c.version,"              \
	/* 44.. the nested objects */                                                              \
	" c.customer_id, cu.name, cu.phone, cu.value_class, cu.tier, cu.owner_id,"                 \
	" c.assignee_id, ua.display_name, c.department_id, dp.name, c.created_by, ub.display_name,"\
	" c.root_cause_id, rc.code, rc.name_zh, rc.name_en, c.checklist,"                          \
	" c.sla_policy_id, sp.name, sp.first_response_min, sp.resolution_min,"                     \
	" c.first_response_due_at, c.resolve_due_at, c.paused_at, c.paused_biz_min, c.sla_due_at," \
	" c.emotion_source, c.emotion_suggested, c.emotion_confidence"                             \
	" FROM cases c JOIN customers cu ON cu.id = c.customer_id"                                  \
	" LEFT JOIN users ua ON ua.id = c.assignee_id"                                              \
	" LEFT JOIN departments dp ON dp.id = c.department_id"                                      \
	" LEFT JOIN users ub ON ub.id = c.created_by"                                               \
	" LEFT JOIN root_causes rc ON rc.id = c.root_cause_id"                                      \
	" LEFT JOIN sla_policies sp ON sp.id = c.sla_policy_id WHERE c.id = ?"

/* The plain members, in column order: s text, i integer, n nullable
 * integer (times), b 0/1, B nullable 0/1, j stored JSON, N nullable text. */
static const struct {
	const char *key;
	char kind;
} plain[] = {
	{"id", 'i'},           {"number", 's'},        {"type", 's'},
	{"subtype", 's'},      {"channel", 's'},       {"stage", 's'},
	{"priority", 's'},     {"severity", 's'},      {"state", 's'},
	{"open", 'b'},         {"key_account", 'b'},   {"subject", 's'},
	{"description", 's'},  {"emotion", 's'},       {"demand", 's'},
	{"tags", 'j'},         {"required_capability", 'i'}, {"justified", 'B'},
	{"demand_reasonable", 'B'}, {"demand_note", 's'}, {"explanation", 's'},
	{"investigation_due_at", 'n'}, {"pending_plans", 'i'}, {"approved_plan_id", 'n'},
	{"handling_result", 's'}, {"follow_up_outcome", 'N'}, {"follow_up_note", 's'},
	{"resolution", 's'},   {"received_at", 'i'},   {"created_at", 'i'},
	{"updated_at", 'i'},   {"first_response_at", 'n'}, {"accepted_at", 'n'},
	{"judged_at", 'n'},    {"plan_approved_at", 'n'}, {"handled_at", 'n'},
	{"followed_up_at", 'n'}, {"resolved_at", 'n'}, {"archived_at", 'n'},
	{"closed_at", 'n'},    {"reopened_at", 'n'},   {"reopen_count", 'i'},
	{"state_changed_at", 'n'}, {"version", 'i'},
};
enum { COL_NESTED = 44 };

static void write_plain(jw *w, db_stmt *st, int i, char kind)
{
	jw_key(w, plain[i].key);
	if (db_col_null(st, i) && kind != 's' && kind != 'i' && kind != 'b') {
		jw_null(w);
		return;
	}
	switch (kind) {
	case 'i':
	case 'n':
		jw_int(w, db_col_int(st, i));
		break;
	case 'b':
	case 'B':
		jw_bool(w, (int)db_col_int(st, i));
		break;
	case 'j': /* stored validated */
		jw_raw(w, *db_col_text(st, i) ? db_col_text(st, i) : "[]");
		break;
	default:
		jw_str(w, db_col_text(st, i));
	}
}

/* {"id", "display_name"} or null. */
static void write_ref(jw *w, const char *key, db_stmt *st, int id_col, int name_col,
		      const char *name_key)
{
	jw_key(w, key);
	if (db_col_null(st, id_col)) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, id_col));
	jw_key(w, name_key);
	jw_str(w, db_col_text(st, name_col));
	jw_obj_end(w);
}

static int64_t opt(db_stmt *st, int i)
{
	return db_col_null(st, i) ? 0 : db_col_int(st, i);
}

static void write_time(jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	if (v)
		jw_int(w, v);
	else
		jw_null(w);
}

static void write_target(jw *w, const char *key, int64_t minutes, int64_t due, int64_t done,
			 int64_t paused, int64_t now)
{
	jw_key(w, key);
	jw_obj(w);
	jw_key(w, "target_min");
	jw_int(w, minutes);
	write_time(w, "due_at", due);
	write_time(w, "done_at", done);
	jw_key(w, "status");
	jw_str(w, sla_status_name(sla_status(due, done, paused, now)));
	jw_obj_end(w);
}

static void write_customer(http_req *r, jw *w, db_stmt *st, int k)
{
	const char *phone = db_col_null(st, k + 2) ? NULL : db_col_text(st, k + 2);
	char masked[48];
	int mask = phone && customer_masked_for(r, opt(st, k + 5));
	if (mask)
		mask_phone(phone, masked, sizeof(masked));
	jw_key(w, "customer");
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, k));
	jw_key(w, "name");
	jw_str(w, db_col_text(st, k + 1));
	jw_key(w, "phone");
	if (phone)
		jw_str(w, mask ? masked : phone);
	else
		jw_null(w);
	jw_key(w, "phone_masked");
	jw_bool(w, mask);
	jw_key(w, "value_class");
	jw_str(w, db_col_text(st, k + 3));
	jw_key(w, "tier");
	jw_str(w, db_col_text(st, k + 4));
	jw_obj_end(w);
}

static void write_root_cause(jw *w, db_stmt *st, int k)
{
	jw_key(w, "root_cause");
	if (db_col_null(st, k)) {
		jw_null(w);
		return;
	}
	static const char *const keys[] = {"id", "code", "name_zh", "name_en"};
	jw_obj(w);
	for (int i = 0; i < 4; i++) {
		jw_key(w, keys[i]);
		if (i == 0)
			jw_int(w, db_col_int(st, k));
		else
			jw_str(w, db_col_text(st, k + i));
	}
	jw_obj_end(w);
}

static void write_sla(jw *w, db_stmt *st, int k, int64_t now)
{
	int64_t paused = opt(st, k + 23), due = opt(st, k + 25);
	jw_key(w, "sla");
	jw_obj(w);
	jw_key(w, "policy");
	if (db_col_null(st, k + 17)) {
		jw_null(w);
	} else {
		jw_obj(w);
		jw_key(w, "id");
		jw_int(w, db_col_int(st, k + 17));
		jw_key(w, "name");
		jw_str(w, db_col_text(st, k + 18));
		jw_obj_end(w);
	}
	write_target(w, "first_response", opt(st, k + 19), opt(st, k + 21), opt(st, 31), paused, now);
	write_target(w, "resolution", opt(st, k + 20), opt(st, k + 22), opt(st, 37), paused, now);
	jw_key(w, "paused");
	jw_bool(w, paused != 0);
	write_time(w, "paused_at", paused);
	jw_key(w, "paused_biz_min");
	jw_int(w, opt(st, k + 24));
	write_time(w, "due_at", due);
	jw_key(w, "overdue");
	jw_bool(w, due && due < now);
	jw_obj_end(w);
}

static void write_checklist(jw *w, int done)
{
	const struct class_set *steps = case_set("checklist");
	jw_key(w, "checklist");
	jw_arr(w);
	for (size_t i = 0; i < steps->n; i++) {
		jw_obj(w);
		jw_key(w, "step");
		jw_str(w, steps->values[i].code);
		jw_key(w, "label_zh");
		jw_str(w, steps->values[i].zh);
		jw_key(w, "label_en");
		jw_str(w, steps->values[i].en);
		jw_key(w, "done");
		jw_bool(w, (done >> i) & 1);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* Who decided the emotion ("agent" or "suggested": the classifier's, not
 * yet confirmed) and what the classifier read at intake (null before it
 * existed). */
static void write_emotion(jw *w, db_stmt *st, int k)
{
	jw_key(w, "emotion_source");
	jw_str(w, db_col_text(st, k));
	jw_key(w, "emotion_suggestion");
	if (db_col_null(st, k + 1)) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_key(w, "emotion");
	jw_str(w, db_col_text(st, k + 1));
	jw_key(w, "confidence");
	int64_t pm = opt(st, k + 2);
	char s[16];
	snprintf(s, sizeof(s), "%d.%03d", (int)(pm / 1000), (int)(pm % 1000));
	jw_raw(w, s);
	jw_obj_end(w);
}

/* What visibility and the allowed steps need, from the same row. */
static void row_of(db_stmt *st, struct case_row *c)
{
	memset(c, 0, sizeof(*c));
	c->flow = case_flow_of_type(db_col_text(st, 2));
	int s = case_state_parse(db_col_text(st, 8));
	c->state = s < 0 ? case_flow_initial(c->flow) : (enum case_state)s;
	c->pending_plans = (int)db_col_int(st, 22);
	c->follow_up_done = !db_col_null(st, 25);
	c->assignee_id = opt(st, COL_NESTED + 6);
	c->department_id = opt(st, COL_NESTED + 8);
	c->created_by = opt(st, COL_NESTED + 10);
	c->paused_at = opt(st, COL_NESTED + 23);
}

/* The case as the API shows it, written straight from the row (one query
 * for the case and its references, one for its plans). */
int case_respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, CASE_SELECT, DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	struct case_row c;
	if (rc == DB_ROW)
		row_of(st, &c);
	if (rc != DB_ROW || !case_visible(&r->user, &c)) {
		db_done(st);
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "工单 %lld 不存在或您无权查看",
					  "Case %lld does not exist or is not visible to you", (long long)id);
	}
	int64_t now = util_now_ms();
	int k = COL_NESTED;
	buf b;
	buf_init(&b, 4 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	for (size_t i = 0; i < KF_ARRAY_LEN(plain); i++)
		write_plain(&w, st, (int)i, plain[i].kind);
	write_customer(r, &w, st, k);
	write_ref(&w, "assignee", st, k + 6, k + 7, "display_name");
	write_ref(&w, "department", st, k + 8, k + 9, "name");
	write_ref(&w, "created_by", st, k + 10, k + 11, "display_name");
	write_root_cause(&w, st, k + 12);
	write_sla(&w, st, k, now);
	write_checklist(&w, (int)db_col_int(st, k + 16));
	write_emotion(&w, st, k + 26);
	db_done(st);
	jw_key(&w, "flow");
	jw_str(&w, case_flow_name(c.flow));
	jw_key(&w, "state_label");
	jw_obj(&w);
	jw_key(&w, "zh");
	jw_str(&w, case_state_zh(c.state));
	jw_key(&w, "en");
	jw_str(&w, case_state_en(c.state));
	jw_obj_end(&w);
	jw_key(&w, "paused");
	jw_bool(&w, c.paused_at != 0);
	jw_key(&w, "plans");
	rc = case_plans_write(r->db, &w, id);
	jw_key(&w, "allowed_actions");
	enum case_action acts[CASE_A__COUNT];
	struct case_flow_ctx ctx = {c.paused_at != 0, c.pending_plans, c.follow_up_done};
	size_t n = case_flow_allowed(c.flow, c.state, r->user.role, &ctx, acts, CASE_A__COUNT);
	jw_arr(&w);
	for (size_t i = 0; i < n && i < CASE_A__COUNT; i++)
		jw_str(&w, case_action_name(acts[i]));
	jw_arr_end(&w);
	jw_obj_end(&w);
	if (rc < 0 || jw_failed(&w)) {
		buf_release(&b);
		return rc < 0 ? app_db_fail(r, rc, NULL) : http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, status, &b);
}

int cases_get(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	return case_respond(r, id, 200);
}

