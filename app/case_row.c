/* case_row.c - reading a case, who may see it, the version-checked
 * UPDATE builder, timeline events and the per-agent open-case counters. */
#include "app/case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sla.h"
#include "lib/common.h"

#define ROW_SELECT                                                                                 \
	"SELECT c.id, c.version, c.number, c.type, c.priority, cu.value_class, cu.tier, c.state,"   \
	" c.is_open, c.key_account, c.pending_plans, c.follow_up_outcome, c.checklist,"             \
	" c.escalated, c.customer_id, c.assignee_id, c.department_id, c.created_by,"                \
	" c.sla_policy_id, c.sla_start_at, c.received_at, c.first_response_due_at,"                 \
	" c.resolve_due_at, c.first_response_at, c.resolved_at, c.paused_at, c.paused_biz_min,"     \
	" CASE WHEN c.emotion = 'angry' THEN 1 ELSE 0 END"                                          \
	" FROM cases c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?"

static int64_t opt_int(db_stmt *st, int i)
{
	return db_col_null(st, i) ? 0 : db_col_int(st, i);
}

int case_read(db *d, arena *a, int64_t id, struct case_row *c, kf_err *e)
{
	db_stmt *st;
	memset(c, 0, sizeof(*c));
	if (db_query(d, ROW_SELECT, DB_ARGS(DBI(id)), &st) < 0)
		return kf_fail(e, KF_EDB, NULL, NULL, NULL);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		c->id = db_col_int(st, 0);
		c->version = db_col_int(st, 1);
		snprintf(c->number, sizeof(c->number), "%s", db_col_text(st, 2));
		c->type = arena_strdup(a, db_col_text(st, 3));
		c->priority = arena_strdup(a, db_col_text(st, 4));
		c->value_class = arena_strdup(a, db_col_text(st, 5));
		c->tier = arena_strdup(a, db_col_text(st, 6));
		c->flow = case_flow_of_type(c->type);
		int s = case_state_parse(db_col_text(st, 7));
		c->state = s < 0 ? case_flow_initial(c->flow) : (enum case_state)s;
		c->is_open = (int)db_col_int(st, 8);
		c->key_account = (int)db_col_int(st, 9);
		c->pending_plans = (int)db_col_int(st, 10);
		c->follow_up_done = !db_col_null(st, 11);
		c->checklist = (int)db_col_int(st, 12);
		c->escalated = (int)db_col_int(st, 13);
		c->customer_id = db_col_int(st, 14);
		c->assignee_id = opt_int(st, 15);
		c->department_id = opt_int(st, 16);
		c->created_by = opt_int(st, 17);
		c->sla_policy_id = opt_int(st, 18);
		c->sla_start_at = db_col_int(st, 19);
		c->received_at = db_col_int(st, 20);
		c->fr_due = opt_int(st, 21);
		c->res_due = opt_int(st, 22);
		c->first_response_at = opt_int(st, 23);
		c->resolved_at = opt_int(st, 24);
		c->paused_at = opt_int(st, 25);
		c->paused_biz_min = db_col_int(st, 26);
		c->angry = (int)db_col_int(st, 27);
	}
	db_done(st);
	if (rc < 0)
		return kf_fail(e, KF_EDB, NULL, NULL, NULL);
	if (rc != DB_ROW)
		return kf_fail(e, KF_ENOTFOUND, "id", "工单 %lld 不存在", "Case %lld does not exist",
			       (long long)id);
	return 0;
}

int case_visible(const struct auth_user *u, const struct case_row *c)
{
	if (u->role >= ROLE_ADMIN)
		return 1;
	if (c->assignee_id == u->id || c->created_by == u->id)
		return 1;
	if (u->department_id && c->department_id == u->department_id)
		return 1;
	return u->role == ROLE_SUPERVISOR && !u->department_id;
}

const char *case_visible_sql(http_req *r, db_val *args, int *n)
{
	const struct auth_user *u = &r->user;
	if (u->role >= ROLE_ADMIN || (u->role == ROLE_SUPERVISOR && !u->department_id))
		return "1 = 1";
	args[(*n)++] = DBI(u->department_id);
	args[(*n)++] = DBI(u->id);
	args[(*n)++] = DBI(u->id);
	return "(c.department_id = ? OR c.assignee_id = ? OR c.created_by = ?)";
}

int case_fetch(http_req *r, int64_t id, struct case_row *c)
{
	kf_err e;
	kf_err_clear(&e);
	if (case_read(r->db, r->a, id, c, &e) < 0)
		return in_err(r, &e);
	if (!case_visible(&r->user, c))
		return http_fail(r, KF_ENOTFOUND, "id", "工单 %lld 不存在或您无权查看",
				 "Case %lld does not exist or is not visible to you", (long long)id);
	return 0;
}

int case_stale(http_req *r, const struct case_row *c)
{
	return http_fail(r, KF_ECONFLICT, "version",
			 "工单已被他人修改（当前版本 %lld），请刷新后重试",
			 "The case was changed meanwhile (now version %lld); reload and retry",
			 (long long)c->version);
}

/* ------------------------------------------------------------ updates */

void case_upd_init(struct case_upd *u)
{
	buf_init(&u->sql, 1 << 14);
	buf_puts(&u->sql, "UPDATE cases SET ");
	u->n = 0;
	u->overflow = 0;
	u->changes = json_object();
}

void case_upd_release(struct case_upd *u)
{
	buf_release(&u->sql);
	json_decref(u->changes);
	u->changes = NULL;
}

static void set(struct case_upd *u, const char *col, db_val v, json_t *audit)
{
	if (u->n >= (int)KF_ARRAY_LEN(u->args) - 3) {
		u->overflow = 1;
		json_decref(audit);
		return;
	}
	buf_printf(&u->sql, "%s = ?, ", col);
	u->args[u->n++] = v;
	json_object_set_new(u->changes, col, audit);
}

void case_upd_int(struct case_upd *u, const char *col, int64_t v)
{
	set(u, col, DBI(v), json_integer(v));
}

void case_upd_time(struct case_upd *u, const char *col, int64_t v)
{
	set(u, col, v ? DBI(v) : DBNULL, v ? json_integer(v) : json_null());
}

void case_upd_text(struct case_upd *u, const char *col, const char *v)
{
	set(u, col, DBT(v), v ? json_string(v) : json_null());
}

void case_upd_raw(struct case_upd *u, const char *assignment)
{
	buf_printf(&u->sql, "%s, ", assignment);
}

void case_derive(const struct case_row *c, int64_t *due, int64_t *check, int64_t *rank)
{
	*due = *check = 0;
	if (c->is_open && !c->paused_at) {
		*due = sla_next_due(c->fr_due, c->first_response_at, c->res_due, c->resolved_at);
		*check = sla_next_due((c->escalated & 1) ? 0 : c->fr_due, c->first_response_at,
				      (c->escalated & 2) ? 0 : c->res_due, c->resolved_at);
	}
	*rank = case_queue_rank(c->key_account, case_class_index("priority", c->priority), c->angry,
				c->resolved_at ? 0 : c->res_due);
}

/* The derived columns, from the row as it will be after the update. */
void case_upd_derived(struct case_upd *u, const struct case_row *c)
{
	int64_t due, check, rank;
	case_derive(c, &due, &check, &rank);
	if (u->n + 3 > (int)KF_ARRAY_LEN(u->args) - 3) {
		u->overflow = 1;
		return;
	}
	/* not audited: they follow from the audited columns */
	buf_puts(&u->sql, "sla_due_at = ?, sla_check_at = ?, queue_rank = ?, ");
	u->args[u->n++] = due ? DBI(due) : DBNULL;
	u->args[u->n++] = check ? DBI(check) : DBNULL;
	u->args[u->n++] = DBI(rank);
}

int case_upd_exec(db *d, struct case_upd *u, const struct case_row *c, int64_t now)
{
	if (u->overflow)
		return DB_EFAIL;
	buf_puts(&u->sql, "version = version + 1, updated_at = ? WHERE id = ? AND version = ?");
	u->args[u->n++] = DBI(now);
	u->args[u->n++] = DBI(c->id);
	u->args[u->n++] = DBI(c->version);
	int rc = db_exec(d, u->sql.data, u->args, u->n);
	return rc < 0 ? rc : rc > 0;
}

/* ------------------------------------------------------------ events, load */

int case_event_add_id(db *d, int64_t case_id, const char *kind, int64_t actor, int is_public,
		      const char *body, json_t *data, int64_t at, int64_t *id)
{
	char *s = data ? json_dumps(data, JSON_COMPACT) : NULL;
	db_stmt *st;
	int rc = db_query(d,
			  "INSERT INTO case_events (case_id, kind, actor_id, is_public, body, data, at)"
			  " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			  DB_ARGS(DBI(case_id), DBT(kind), actor ? DBI(actor) : DBNULL,
				  DBI(is_public ? 1 : 0), DBT(body ? body : ""), DBT(s ? s : "{}"),
				  DBI(at)),
			  &st);
	if (rc < 0) {
		free(s);
		return rc;
	}
	rc = db_step(st);
	if (rc == DB_ROW && id)
		*id = db_col_int(st, 0);
	db_done(st);
	free(s); /* bound as SQLITE_STATIC: kept until the statement ran */
	return rc == DB_ROW ? 0 : rc < 0 ? rc : DB_EFAIL;
}

int case_event_add(db *d, int64_t case_id, const char *kind, int64_t actor, int is_public,
		   const char *body, json_t *data, int64_t at)
{
	return case_event_add_id(d, case_id, kind, actor, is_public, body, data, at, NULL);
}

/* One open case of a customer whose key status changed: the flag, the
 * policy the new value class selects (new targets if it differs), the
 * queue rank; a timeline entry and an audit row. */
static int key_case(db *d, arena *a, int64_t id, int key, int64_t actor, int64_t now)
{
	struct case_row c;
	kf_err e;
	kf_err_clear(&e);
	if (case_read(d, a, id, &c, &e) < 0)
		return -1;
	struct case_upd u;
	case_upd_init(&u);
	c.key_account = key;
	case_upd_int(&u, "key_account", key);
	int rc = case_retarget(d, a, &c, &u, 0, &e);
	if (rc >= 0) {
		case_upd_derived(&u, &c);
		rc = case_upd_exec(d, &u, &c, now);
		rc = rc > 0 ? 0 : -1; /* a version moved on meanwhile: roll the whole change back */
	}
	if (rc == 0)
		rc = case_event_add(d, id, "update", actor, 0, "", u.changes, now);
	if (rc == 0)
		rc = audit_write(d, "case", id, "key_account", actor, u.changes);
	case_upd_release(&u);
	return rc < 0 ? -1 : 0;
}

int case_customer_key_changed(db *d, arena *a, int64_t customer_id, int key, int64_t actor,
			      int64_t now)
{
	enum { BATCH = 200 };
	int64_t ids[BATCH];
	int n, rc = 0;
	do { /* each case leaves the selection as it is changed */
		db_stmt *st;
		if (db_query(d,
			     "SELECT id FROM cases WHERE customer_id = ? AND is_open = 1 AND key_account = ?"
			     " ORDER BY id LIMIT ?",
			     DB_ARGS(DBI(customer_id), DBI(key ? 0 : 1), DBI(BATCH)), &st) < 0)
			return -1;
		n = 0;
		while (n < BATCH && db_step(st) == DB_ROW)
			ids[n++] = db_col_int(st, 0);
		db_done(st);
		for (int i = 0; i < n && rc == 0; i++)
			rc = key_case(d, a, ids[i], key, actor, now);
	} while (rc == 0 && n == BATCH);
	return rc;
}

int case_load_adjust(db *d, int64_t user_id, int delta)
{
	if (!user_id || !delta)
		return 0;
	int rc = db_exec(d,
			 "INSERT INTO case_load (user_id, open_cases) VALUES (?, ?)"
			 " ON CONFLICT (user_id) DO UPDATE SET open_cases = case_load.open_cases + ?",
			 DB_ARGS(DBI(user_id), DBI(delta > 0 ? delta : 0), DBI(delta)));
	return rc < 0 ? rc : 0;
}

int case_problem(http_req *r, int code, json_t *extra)
{
	const struct kf_code_info *ci = kf_code_info(code);
	const char *detail = r->err.code == code ? (r->lang_en ? r->err.en : r->err.zh) : "";
	if (!*detail)
		detail = r->lang_en ? ci->title_en : ci->title_zh;
	json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "type", "about:blank", "title",
			      r->lang_en ? ci->title_en : ci->title_zh, "status", ci->status, "code",
			      ci->name, "detail", detail, "request_id", r->rid);
	if (r->err.code == code && r->err.field)
		json_object_set_new(p, "field", json_string(r->err.field));
	if (extra)
		json_object_update(p, extra);
	json_decref(extra);
	char *s = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	if (!s)
		return http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	http_text(r, ci->status, "application/problem+json", s, strlen(s));
	free(s);
	return 0;
}

json_t *case_json_time(int64_t v)
{
	return v ? json_integer(v) : json_null();
}
