/* cases.c - a case (工单): create (with the customer found or created from
 * a phone number, SLA targets on the business calendar, a readable
 * number, automatic assignment) and change.  How a case reads is in
 * case_show.c.
 *
 * Each use case is one transaction that also writes the timeline and the
 * audit log.  Workflow steps go through case_flow.c; lists through
 * case_list.c. */
#include "app/case_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/webhook.h"
#include "core/emotion.h"
#include "lib/common.h"
#include "lib/util.h"

/* ------------------------------------------------------------ creating */

struct customer_ref {
	int64_t id;
	const char *value_class, *tier;
	int created;
};

static int customer_by_id(http_req *r, int64_t id, struct customer_ref *cr)
{
	db_stmt *st;
	if (db_query(r->db, "SELECT value_class, tier, archived_at FROM customers WHERE id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st), archived = 0;
	if (rc == DB_ROW) {
		cr->id = id;
		cr->value_class = arena_strdup(r->a, db_col_text(st, 0));
		cr->tier = arena_strdup(r->a, db_col_text(st, 1));
		archived = !db_col_null(st, 2);
	}
	db_done(st);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW || archived)
		return http_fail(r, KF_EINVAL, "customer_id", "客户 %lld 不存在或已归档",
				 "Customer %lld does not exist or is archived", (long long)id);
	return 0;
}

static int customer_by_phone(http_req *r, const char *phone, struct customer_ref *cr)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT id, value_class, tier FROM customers WHERE phone = ? AND archived_at IS NULL",
		     DB_ARGS(DBT(phone)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		cr->id = db_col_int(st, 0);
		cr->value_class = arena_strdup(r->a, db_col_text(st, 1));
		cr->tier = arena_strdup(r->a, db_col_text(st, 2));
	}
	db_done(st);
	return rc < 0 ? app_db_fail(r, rc, NULL) : rc == DB_ROW;
}

/* A caller we do not know yet becomes a customer on the spot (DOMAIN §1:
 * the file is completed later); an agent's new customer is theirs. */
static int customer_create_from_phone(http_req *r, const struct case_input *ci,
				      struct customer_ref *cr, int64_t now)
{
	const char *p = ci->customer_phone;
	size_t n = strlen(p);
	const char *name = ci->customer_name
				   ? ci->customer_name
				   : arena_printf(r->a, "来电客户 %s", n >= 4 ? p + n - 4 : p);
	int64_t owner = r->user.role == ROLE_AGENT ? r->user.id : 0;
	db_stmt *st;
	if (db_query(r->db,
		     "INSERT INTO customers (name, phone, owner_id, created_by, created_at, updated_at)"
		     " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		     DB_ARGS(DBT(name), DBT(p), owner ? DBI(owner) : DBNULL, DBI(r->user.id), DBI(now),
			     DBI(now)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	if (rc == DB_ROW)
		cr->id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return app_db_fail(r, rc == DB_EUNIQUE ? DB_EUNIQUE : DB_EFAIL, "customer.phone");
	cr->value_class = "ordinary";
	cr->tier = "potential";
	cr->created = 1;
	json_t *ch = json_pack("{s:[ns], s:[ns], s:[no]}", "name", name, "phone", p, "owner_id",
			       owner ? json_integer(owner) : json_null());
	rc = audit_write(r->db, "customer", cr->id, "create", r->user.id, ch);
	json_decref(ch);
	return rc < 0 ? app_db_fail(r, rc, NULL) : 0;
}

static int resolve_customer(http_req *r, const struct case_input *ci, struct customer_ref *cr,
			    int64_t now)
{
	memset(cr, 0, sizeof(*cr));
	if (ci->customer_id)
		return customer_by_id(r, ci->customer_id, cr);
	int rc = customer_by_phone(r, ci->customer_phone, cr);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	return customer_create_from_phone(r, ci, cr, now);
}

static int check_department(http_req *r, int64_t dept, const char *field)
{
	int64_t one;
	if (!dept)
		return 0;
	int rc = db_query_int(r->db, "SELECT 1 FROM departments WHERE id = ?", DB_ARGS(DBI(dept)), &one);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW)
		return http_fail(r, KF_EINVAL, field, "部门 %lld 不存在", "Department %lld does not exist",
				 (long long)dept);
	return 0;
}

/* Agents take cases themselves; supervisors hand them to anyone. */
static int may_assign(http_req *r, int64_t current, int64_t to)
{
	if (r->user.role >= ROLE_SUPERVISOR)
		return 0;
	if ((to == r->user.id && (!current || current == r->user.id)) ||
	    (!to && current == r->user.id))
		return 0;
	return http_fail(r, KF_EFORBIDDEN, "assignee_id",
			 "客服专员只能把工单分给自己或放回队列；请主管分配",
			 "Agents take cases themselves or put them back in the queue; a supervisor assigns");
}

/* The day's next case number, in the business time zone. */
static int next_number(http_req *r, const char *zone, int64_t now, char *out, size_t outlen)
{
	int y, m, d;
	kf_err e;
	kf_err_clear(&e);
	if (case_local_date(zone, now, &y, &m, &d, &e) < 0)
		return in_err(r, &e);
	char day[40];
	snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
	db_stmt *st;
	if (db_query(r->db,
		     "INSERT INTO case_day_seq (on_date, n) VALUES (?, 1) ON CONFLICT (on_date)"
		     " DO UPDATE SET n = case_day_seq.n + 1 RETURNING n",
		     DB_ARGS(DBT(day)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int64_t seq = 0;
	int rc = db_step(st);
	if (rc == DB_ROW)
		seq = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW || case_number_format(y, m, d, seq, out, outlen) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return 0;
}

/* The classifier's reading of what the customer said (subject and
 * description), at intake. */
struct intake_emotion {
	const char *suggested, *source;
	int confidence; /* per mille */
};

/* Reads the emotion of the text; the agent's explicit choice stays the
 * case's emotion, else the reading becomes it (source "suggested"). */
static void intake_emotion(http_req *r, struct case_input *ci, struct intake_emotion *ie)
{
	const char *text = arena_printf(r->a, "%s\n%s", ci->subject, ci->description);
	struct emotion_result res;
	emotion_classify(text, strlen(text), &res);
	ie->suggested = emotion_name(res.label);
	ie->confidence = (int)(res.confidence * 1000 + 0.5);
	ie->source = ci->emotion_given ? "agent" : "suggested";
	if (!ci->emotion_given)
		ci->emotion = ie->suggested;
}

static int insert_case(http_req *r, const struct case_input *ci, struct case_row *c,
		       const struct intake_emotion *ie, int64_t now)
{
	int64_t due, check, rank;
	case_derive(c, &due, &check, &rank);
	db_stmt *st;
	int rc = db_query(
		r->db,
		"INSERT INTO cases (number, type, subtype, channel, stage, priority, severity, state,"
		" is_open, customer_id, key_account, subject, description, emotion, demand, tags,"
		" assignee_id, department_id, required_capability, created_by, sla_policy_id,"
		" sla_start_at, first_response_due_at, resolve_due_at, sla_due_at, sla_check_at,"
		" queue_rank, received_at, created_at, updated_at, state_changed_at, emotion_source,"
		" emotion_suggested, emotion_confidence)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		" ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(DBT(c->number), DBT(ci->type), DBT(ci->subtype), DBT(ci->channel),
			DBT(ci->stage), DBT(ci->priority), DBT(ci->severity),
			DBT(case_state_name(c->state)), DBI(c->customer_id), DBI(c->key_account),
			DBT(ci->subject), DBT(ci->description), DBT(ci->emotion), DBT(ci->demand),
			DBT(ci->tags), c->assignee_id ? DBI(c->assignee_id) : DBNULL,
			c->department_id ? DBI(c->department_id) : DBNULL,
			DBI(ci->required_capability), DBI(r->user.id),
			c->sla_policy_id ? DBI(c->sla_policy_id) : DBNULL, DBI(c->sla_start_at),
			c->fr_due ? DBI(c->fr_due) : DBNULL, c->res_due ? DBI(c->res_due) : DBNULL,
			due ? DBI(due) : DBNULL, check ? DBI(check) : DBNULL, DBI(rank),
			DBI(c->received_at), DBI(now), DBI(now), DBI(now), DBT(ie->source),
			DBT(ie->suggested), DBI(ie->confidence)),
		&st);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	rc = db_step(st);
	if (rc == DB_ROW)
		c->id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : app_db_fail(r, rc, "number");
}

/* The SLA targets, counted from when the customer got in touch. */
static int set_targets(http_req *r, const struct case_input *ci, const struct customer_ref *cr,
		       struct case_row *c, const char **zone)
{
	struct case_targets t;
	struct case_clock k;
	kf_err e;
	kf_err_clear(&e);
	if (case_sla_policy(r->db, r->a, ci->type, ci->priority, cr->value_class, cr->tier, &t, &e) < 0 ||
	    case_clock_load(r->db, r->a, ci->received_at, &k, &e) < 0 ||
	    (t.fr_min > 0 && case_clock_add(&k, ci->received_at, t.fr_min, &c->fr_due, &e) < 0) ||
	    (t.res_min > 0 && case_clock_add(&k, ci->received_at, t.res_min, &c->res_due, &e) < 0))
		return in_err(r, &e);
	c->sla_policy_id = t.policy_id;
	c->sla_start_at = ci->received_at;
	c->received_at = ci->received_at;
	*zone = k.zone;
	return 0;
}

/* The webhook events of a new case, in its transaction (app/webhook.h). */
static int emit_created(http_req *r, const struct case_row *c, const char *type, int auto_assigned)
{
	int rc = webhook_emit_case(r->db, "case.created", c->id, NULL);
	if (rc >= 0 && c->key_account && !strcmp(type, "complaint"))
		rc = webhook_emit_case(r->db, "complaint.key_account", c->id, NULL);
	if (rc >= 0 && c->assignee_id) {
		json_t *x = json_pack("{s:{s:n, s:I, s:I, s:b}}", "assignment", "from", "to",
				      (json_int_t)c->assignee_id, "by", (json_int_t)r->user.id, "auto",
				      auto_assigned);
		rc = webhook_emit_case(r->db, "case.assigned", c->id, x);
		json_decref(x);
	}
	return rc < 0 ? rc : 0;
}

static int create_in_tx(http_req *r, struct case_input *ci, struct case_row *c,
			struct customer_ref *cr, int *auto_assigned, int64_t now)
{
	int rc;
	kf_err e;
	kf_err_clear(&e);
	if ((rc = resolve_customer(r, ci, cr, now)) < 0)
		return rc;
	c->customer_id = cr->id;
	c->key_account = !strcmp(cr->value_class, "key");
	c->department_id = ci->has_department ? ci->department_id : r->user.department_id;
	if (ci->has_department && (rc = check_department(r, c->department_id, "department_id")) < 0)
		return rc;
	if (!ci->required_capability)
		ci->required_capability = case_required_capability(ci->type, ci->priority, c->key_account);
	if (ci->has_assignee && ci->assignee_id) {
		if ((rc = case_check_assignee(r, ci->assignee_id, "assignee_id")) < 0 ||
		    (rc = may_assign(r, 0, ci->assignee_id)) < 0)
			return rc;
		c->assignee_id = ci->assignee_id;
	} else if (!ci->has_assignee && ci->auto_assign && c->department_id) {
		if (case_pick_agent(r->db, c->department_id, (int)ci->required_capability,
				    &c->assignee_id, &e) < 0)
			return in_err(r, &e);
		*auto_assigned = c->assignee_id != 0;
	}
	const char *zone = "Asia/Shanghai";
	struct intake_emotion ie;
	intake_emotion(r, ci, &ie);
	c->angry = ci->emotion && !strcmp(ci->emotion, "angry");
	if ((rc = set_targets(r, ci, cr, c, &zone)) < 0 ||
	    (rc = next_number(r, zone, now, c->number, sizeof(c->number))) < 0 ||
	    (rc = insert_case(r, ci, c, &ie, now)) < 0)
		return rc;
	if (case_load_adjust(r->db, c->assignee_id, 1) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *data = json_pack("{s:s, s:s, s:s, s:I, s:b, s:o, s:b}", "number", c->number,
				 "type", ci->type, "channel", ci->channel, "received_at",
				 (json_int_t)ci->received_at, "customer_created", cr->created,
				 "assignee_id", case_json_time(c->assignee_id), "auto_assigned",
				 *auto_assigned);
	rc = case_event_add(r->db, c->id, "created", r->user.id, 1, ci->subject, data, now);
	json_decref(data);
	/* Someone who hands a case to a colleague tells them; an automatic
	 * assignment only fills the inbox (saving a row and two index pages
	 * on the hottest write). */
	if (rc == 0 && c->assignee_id && c->assignee_id != r->user.id && !*auto_assigned)
		rc = notify_add(r->db, c->assignee_id, "assigned", c->id,
				arena_printf(r->a, "新工单 %s 已分配给您：%s", c->number, ci->subject),
				arena_printf(r->a, "Case %s was assigned to you: %s", c->number, ci->subject),
				NULL, now);
	if (rc == 0) {
		json_t *ch = json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:o}", "number", c->number, "type",
				       ci->type, "priority", ci->priority, "subject", ci->subject,
				       "customer_id", (json_int_t)c->customer_id, "assignee_id",
				       case_json_time(c->assignee_id), "department_id",
				       case_json_time(c->department_id));
		rc = audit_write(r->db, "case", c->id, "create", r->user.id, ch);
		json_decref(ch);
	}
	if (rc == 0)
		rc = emit_created(r, c, ci->type, *auto_assigned);
	return rc < 0 ? app_db_fail(r, rc, NULL) : 0;
}

int cases_create(http_req *r)
{
	int64_t now = util_now_ms();
	struct case_input ci;
	int rc, auto_assigned = 0;
	if ((rc = case_input_read(r, r->json, 1, &ci, now)) < 0)
		return rc;
	struct case_row c;
	memset(&c, 0, sizeof(c));
	c.flow = case_flow_of_type(ci.type);
	c.state = case_flow_initial(c.flow);
	c.is_open = 1;
	c.priority = ci.priority;
	struct customer_ref cr;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = create_in_tx(r, &ci, &c, &cr, &auto_assigned, now)) < 0) {
		db_rollback(r->db);
		return rc;
	}
	if (db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return case_respond(r, c.id, 201);
}

/* ------------------------------------------------------------ changing */

static int retarget(http_req *r, struct case_row *c, struct case_upd *u)
{
	kf_err e;
	kf_err_clear(&e);
	return case_retarget(r->db, r->a, c, u, 1, &e) < 0 ? in_err(r, &e) : 0;
}

static int change_assignee(http_req *r, struct case_row *c, struct case_upd *u,
			   const struct case_input *ci, int64_t now)
{
	int rc;
	int64_t to = ci->assignee_id, from = c->assignee_id;
	if (to == from)
		return 0;
	if ((to && (rc = case_check_assignee(r, to, "assignee_id")) < 0) ||
	    (rc = may_assign(r, from, to)) < 0)
		return rc;
	case_upd_time(u, "assignee_id", to);
	if (c->is_open &&
	    (case_load_adjust(r->db, from, -1) < 0 || case_load_adjust(r->db, to, 1) < 0))
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *data = json_pack("{s:o, s:o}", "from", case_json_time(from), "to", case_json_time(to));
	rc = case_event_add(r->db, c->id, "assignment", r->user.id, 0, "", data, now);
	json_decref(data);
	if (rc == 0 && to && to != r->user.id)
		rc = notify_add(r->db, to, "assigned", c->id,
				arena_printf(r->a, "工单 %s 已分配给您", c->number),
				arena_printf(r->a, "Case %s was assigned to you", c->number), NULL, now);
	c->assignee_id = to;
	return rc < 0 ? app_db_fail(r, rc, NULL) : 0;
}

static const char *const patch_texts[] = {"subtype", "channel", "stage",   "severity", "emotion",
					  "subject", "description", "demand", "tags", NULL};

/* The current values of patch_texts (and the required capability, and
 * who set the emotion), so that only what changes is written: an identical
 * PATCH leaves the case, its version and its timeline alone. */
static int current_texts(http_req *r, int64_t id, const char **cur, int64_t *capability,
			 const char **emotion_source)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT subtype, channel, stage, severity, emotion, subject, description, demand,"
		     " tags, required_capability, emotion_source FROM cases WHERE id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	for (int i = 0; rc == DB_ROW && patch_texts[i]; i++)
		cur[i] = arena_strdup(r->a, db_col_text(st, i));
	if (rc == DB_ROW) {
		*capability = db_col_int(st, 9);
		*emotion_source = arena_strdup(r->a, db_col_text(st, 10));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : app_db_fail(r, rc < 0 ? rc : DB_EFAIL, NULL);
}

static int patch_in_tx(http_req *r, struct case_row *c, struct case_input *ci, int64_t now)
{
	int rc;
	const char *cur[KF_ARRAY_LEN(patch_texts)] = {0};
	int64_t capability = 0, assignee_before = c->assignee_id;
	const char *emotion_source = "agent";
	if ((rc = current_texts(r, c->id, cur, &capability, &emotion_source)) < 0)
		return rc;
	struct case_upd u;
	case_upd_init(&u);
	for (int i = 0; patch_texts[i]; i++) {
		const char *v = !strcmp(patch_texts[i], "tags") ? ci->tags : *case_input_slot(ci, patch_texts[i]);
		if (v && strcmp(v, cur[i]))
			case_upd_text(&u, patch_texts[i], v);
	}
	if (ci->emotion)
		c->angry = !strcmp(ci->emotion, "angry"); /* the queue rank follows (derived below) */
	if (ci->subtype && *ci->subtype && strcmp(c->type, "after_sales")) {
		rc = http_fail(r, KF_EINVAL, "subtype", "只有售后工单有 subtype",
			       "Only after-sales cases have a subtype");
		goto out;
	}
	/* An agent who names the emotion decides it, even when it is the
	 * suggestion they confirm. */
	if (ci->emotion && strcmp(emotion_source, "agent"))
		case_upd_text(&u, "emotion_source", "agent");
	if (ci->required_capability && ci->required_capability != capability)
		case_upd_int(&u, "required_capability", ci->required_capability);
	if (ci->has_department && ci->department_id != c->department_id) {
		if ((rc = check_department(r, ci->department_id, "department_id")) < 0)
			goto out;
		case_upd_time(&u, "department_id", ci->department_id);
		c->department_id = ci->department_id;
	}
	if (ci->priority && strcmp(ci->priority, c->priority)) {
		c->priority = ci->priority;
		case_upd_text(&u, "priority", ci->priority);
		if ((rc = retarget(r, c, &u)) < 0)
			goto out;
	}
	if (ci->has_assignee && (rc = change_assignee(r, c, &u, ci, now)) < 0)
		goto out;
	rc = 0;
	if (!json_object_size(u.changes))
		goto out; /* nothing changes */
	case_upd_derived(&u, c);
	rc = case_upd_exec(r->db, &u, c, now);
	rc = rc < 0 ? app_db_fail(r, rc, NULL) : rc == 0 ? case_stale(r, c) : 0;
	if (rc == 0) {
		if (case_event_add(r->db, c->id, "update", r->user.id, 0, "", u.changes, now) < 0 ||
		    audit_write(r->db, "case", c->id, "update", r->user.id, u.changes) < 0 ||
		    (c->assignee_id != assignee_before &&
		     case_emit_assigned(r->db, c->id, assignee_before, c->assignee_id, r->user.id, 0) < 0))
			rc = app_db_fail(r, DB_EFAIL, NULL);
	}
out:
	case_upd_release(&u);
	return rc;
}

int cases_patch(http_req *r)
{
	int64_t id, version;
	int rc, has_version;
	int64_t now = util_now_ms();
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	struct case_input ci;
	if ((rc = case_input_read(r, r->json, 0, &ci, now)) < 0 ||
	    (rc = in_int(r, r->json, "version", 1, INT64_MAX, 0, &version, &has_version)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	struct case_row c;
	if ((rc = case_fetch(r, id, &c)) < 0)
		goto fail;
	if (has_version && version != c.version) {
		rc = case_stale(r, &c);
		goto fail;
	}
	if ((rc = patch_in_tx(r, &c, &ci, now)) < 0)
		goto fail;
	if (db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return case_respond(r, id, 200);
fail:
	db_rollback(r->db);
	return rc;
}
