/* survey_campaigns.c - periodic surveys (DOMAIN §4: monthly, quarterly,
 * yearly) to a filtered set of customers: the filter is the customer
 * list's classifications (kind, source, lifecycle, chain_role,
 * value_class, tier), industry, tag and owner_id, kept as JSON; a preview
 * shows who would receive it; sending makes one invitation per customer
 * and period (keyed campaign:<id>:<period>:<customer>, so a period is
 * never sent twice).  Active periodic campaigns are sent each new period
 * by the survey job (survey_jobs.c). */
#include "app/survey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tz.h"
#include "core/classes.h"
#include "core/satisfaction.h"
#include "lib/common.h"
#include "lib/util.h"

static const char *const class_keys[] = {"kind", "source", "lifecycle", "chain_role",
					 "value_class", "tier", NULL};
static const char *const filter_keys[] = {"kind",  "source",     "lifecycle", "chain_role",
					  "value_class", "tier", "industry",  "tag",
					  "owner_id", NULL};

static void drop_json(void *p)
{
	json_decref(p);
}

struct cfilter {
	char where[1024];
	db_val args[12];
	int n;
};

/* The filter as a condition on customers c; fails naming filter.KEY. */
static int filter_build(http_req *r, json_t *f, struct cfilter *out, kf_err *e)
{
	size_t len = 0;
	out->n = 0;
	len += (size_t)snprintf(out->where, sizeof(out->where), "c.archived_at IS NULL");
	if (!f || json_is_null(f))
		return 0;
	if (!json_is_object(f))
		return kf_fail(e, KF_EINVAL, "filter", "filter 必须是对象", "filter is an object");
	const char *k;
	json_t *v;
	json_object_foreach(f, k, v)
	{
		int known = 0;
		for (const char *const *a = filter_keys; *a; a++)
			known |= !strcmp(*a, k);
		const char *field = r ? arena_printf(r->a, "filter.%s", k) : "filter";
		if (!known)
			return kf_fail(e, KF_EINVAL, field, "不认识的筛选条件 %s", "Unknown filter %s", k);
		if (!strcmp(k, "owner_id")) {
			if (!json_is_integer(v) || json_integer_value(v) < 1)
				return kf_fail(e, KF_EINVAL, field, "owner_id 必须是用户编号",
					       "owner_id is a user id");
			len += (size_t)snprintf(out->where + len, sizeof(out->where) - len,
						" AND c.owner_id = ?");
			out->args[out->n++] = DBI(json_integer_value(v));
			continue;
		}
		const char *s = json_string_value(v);
		if (!s || !*s || strlen(s) > 100)
			return kf_fail(e, KF_EINVAL, field, "筛选条件 %s 必须是非空字符串",
				       "The filter %s is a non-empty string", k);
		int is_class = 0;
		for (const char *const *a = class_keys; *a; a++)
			is_class |= !strcmp(*a, k);
		if (is_class && class_check(k, field, s, e) < 0)
			return e->code;
		if (!strcmp(k, "tag"))
			len += (size_t)snprintf(out->where + len, sizeof(out->where) - len,
						" AND c.id IN (SELECT customer_id FROM customer_tags WHERE tag = ?)");
		else
			len += (size_t)snprintf(out->where + len, sizeof(out->where) - len, " AND c.%s = ?",
						k);
		out->args[out->n++] = DBT(s);
	}
	return 0;
}

#define CAMP_SELECT                                                                                \
	"SELECT m.id, m.name, m.template_id, t.name, m.filter, m.period, m.state, m.expires_days,"  \
	" m.last_period, m.last_sent_at, m.sent_count, m.created_by, m.created_at, m.updated_at"   \
	" FROM survey_campaigns m JOIN survey_templates t ON t.id = m.template_id"

static json_t *camp_json(db_stmt *st)
{
	json_t *f = json_loads(db_col_text(st, 4), 0, NULL);
	return json_pack("{s:I, s:s, s:I, s:s, s:o, s:s, s:s, s:I, s:o, s:o, s:I, s:o, s:I, s:I}",
			 "id", (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1),
			 "template_id", (json_int_t)db_col_int(st, 2), "template_name",
			 db_col_text(st, 3), "filter", f ? f : json_object(), "period",
			 db_col_text(st, 5), "state", db_col_text(st, 6), "expires_days",
			 (json_int_t)db_col_int(st, 7), "last_period",
			 db_col_null(st, 8) ? json_null() : json_string(db_col_text(st, 8)),
			 "last_sent_at",
			 db_col_null(st, 9) ? json_null() : json_integer(db_col_int(st, 9)),
			 "sent_count", (json_int_t)db_col_int(st, 10), "created_by",
			 db_col_null(st, 11) ? json_null() : json_integer(db_col_int(st, 11)),
			 "created_at", (json_int_t)db_col_int(st, 12), "updated_at",
			 (json_int_t)db_col_int(st, 13));
}

static int camp_respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, CAMP_SELECT " WHERE m.id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? camp_json(st) : NULL;
	db_done(st);
	if (!o)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "调查活动 %lld 不存在",
					  "Survey campaign %lld does not exist", (long long)id);
	return http_json(r, status, o);
}

int survey_campaigns_get(http_req *r)
{
	int64_t id;
	int rc = http_param_id(r, 0, &id);
	return rc < 0 ? rc : camp_respond(r, id, 200);
}

int survey_campaigns_list(http_req *r)
{
	db_stmt *st;
	if (db_query(r->db, CAMP_SELECT " ORDER BY m.id DESC LIMIT 500", DB_ARGS(), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, camp_json(st));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

static const char *const periods[] = {"once", "monthly", "quarterly", "yearly", NULL};
static const char *const states[] = {"draft", "active", "stopped", NULL};

static int one_of(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(*set, v))
			return 1;
	return 0;
}

static const char *const camp_keys[] = {"name", "template_id", "filter", "period", "state",
					"expires_days", NULL};

int survey_campaign_input_read(http_req *r, int creating, struct survey_campaign_input *in)
{
	int rc;
	memset(in, 0, sizeof(*in));
	if (!r->json)
		return http_fail(r, KF_EINVAL, "name", "缺少必填字段 name", "The field name is required");
	if ((rc = in_only_keys(r, r->json, camp_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name", 100, creating, &in->name, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "template_id", 1, INT64_MAX, creating, &in->template_id, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "period", 20, 0, &in->period, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "state", 20, 0, &in->state, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "expires_days", 1, 90, 0, &in->expires_days, NULL)) < 0)
		return rc;
	if (in->name && !*in->name)
		return http_fail(r, KF_EINVAL, "name", "名称不能为空", "The name must not be empty");
	if (in->period && !one_of(in->period, periods))
		return http_fail(r, KF_EINVAL, "period", "period 只能是 once、monthly、quarterly 或 yearly",
				 "period is once, monthly, quarterly or yearly");
	if (in->state && !one_of(in->state, states))
		return http_fail(r, KF_EINVAL, "state", "state 只能是 draft、active 或 stopped",
				 "state is draft, active or stopped");
	json_t *f = json_object_get(r->json, "filter");
	if (f) {
		struct cfilter cf;
		kf_err e;
		kf_err_clear(&e);
		if (filter_build(r, f, &cf, &e) < 0)
			return in_err(r, &e);
		/* null clears the filter: stored as {} */
		in->filter = json_is_null(f) ? strdup("{}") : json_dumps(f, JSON_COMPACT);
	}
	return 0;
}

/* The template a campaign names is active; frees in's filter if not. */
static int camp_template(http_req *r, struct survey_campaign_input *in)
{
	int64_t x;
	if (in->template_id &&
	    db_query_int(r->db, "SELECT id FROM survey_templates WHERE id = ? AND active = 1",
			 DB_ARGS(DBI(in->template_id)), &x) != DB_ROW) {
		free(in->filter);
		in->filter = NULL;
		return http_fail(r, KF_EINVAL, "template_id", "问卷模板 %lld 不存在或已停用",
				 "Survey template %lld does not exist or is archived",
				 (long long)in->template_id);
	}
	return 0;
}

/* POST /api/survey-campaigns {name, template_id, filter, period, state, expires_days} */
int survey_campaigns_create(http_req *r)
{
	struct survey_campaign_input in;
	int64_t id = 0;
	int rc;
	if ((rc = survey_campaign_input_read(r, 1, &in)) < 0 || (rc = camp_template(r, &in)) < 0)
		return rc;
	const char *name = in.name, *period = in.period, *state = in.state;
	int64_t tpl = in.template_id, exp_days = in.expires_days;
	char *filter = in.filter;
	int64_t now = util_now_ms();
	db_stmt *st;
	if (db_begin(r->db) < 0) {
		free(filter);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	rc = db_query(r->db,
		      "INSERT INTO survey_campaigns (name, template_id, filter, period, state,"
		      " expires_days, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
		      " ?, ?) RETURNING id",
		      DB_ARGS(DBT(name), DBI(tpl), DBT(filter ? filter : "{}"),
			      DBT(period ? period : "once"), DBT(state ? state : "draft"),
			      DBI(exp_days ? exp_days : 14), DBI(r->user.id), DBI(now), DBI(now)),
		      &st);
	if (rc < 0) {
		free(filter);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	/* the text is bound without a copy: freed after the step */
	if ((rc = db_step(st)) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	free(filter);
	if (rc != DB_ROW || audit_write(r->db, "survey_campaign", id, "create", r->user.id, r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return camp_respond(r, id, 201);
}

/* PATCH /api/survey-campaigns/{id} */
int survey_campaigns_patch(http_req *r)
{
	struct survey_campaign_input in;
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = survey_campaign_input_read(r, 0, &in)) < 0 ||
	    (rc = camp_template(r, &in)) < 0)
		return rc;
	const char *name = in.name, *period = in.period, *state = in.state;
	int64_t tpl = in.template_id, exp_days = in.expires_days;
	char *filter = in.filter;
	if (db_begin(r->db) < 0) {
		free(filter);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	rc = db_exec(r->db,
		     "UPDATE survey_campaigns SET name = COALESCE(CAST(? AS TEXT), name),"
		     " template_id = COALESCE(CAST(? AS BIGINT), template_id),"
		     " filter = COALESCE(CAST(? AS TEXT), filter), period = COALESCE(CAST(? AS TEXT), period),"
		     " state = COALESCE(CAST(? AS TEXT), state),"
		     " expires_days = COALESCE(CAST(? AS INTEGER), expires_days), updated_at = ?"
		     " WHERE id = ?",
		     DB_ARGS(DBT(name), tpl ? DBI(tpl) : DBNULL, DBT(filter), DBT(period), DBT(state),
			     exp_days ? DBI(exp_days) : DBNULL, DBI(util_now_ms()), DBI(id)));
	free(filter);
	if (rc == 0) {
		db_rollback(r->db);
		return http_fail(r, KF_ENOTFOUND, "id", "调查活动 %lld 不存在",
				 "Survey campaign %lld does not exist", (long long)id);
	}
	if (rc < 0 || audit_write(r->db, "survey_campaign", id, "update", r->user.id, r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return camp_respond(r, id, 200);
}

/* The campaign's filter, template, period and expiry. */
static int camp_load(db *d, int64_t id, json_t **filter, int64_t *tpl, char period[16],
		     int64_t *exp_days, char state[16], char last[16])
{
	db_stmt *st;
	if (db_query(d, "SELECT filter, template_id, period, expires_days, state,"
			" COALESCE(last_period, '') FROM survey_campaigns WHERE id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return DB_EFAIL;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*filter = json_loads(db_col_text(st, 0), 0, NULL);
		*tpl = db_col_int(st, 1);
		snprintf(period, 16, "%s", db_col_text(st, 2));
		*exp_days = db_col_int(st, 3);
		snprintf(state, 16, "%s", db_col_text(st, 4));
		snprintf(last, 16, "%s", db_col_text(st, 5));
	}
	db_done(st);
	return rc;
}

/* GET /api/survey-campaigns/{id}/preview?limit= : how many customers the
 * filter selects now (counted up to 100,000) and the first of them. */
int survey_campaigns_preview(http_req *r)
{
	int64_t id, limit, tpl, exp_days;
	char period[16], state[16], last[16];
	json_t *filter = NULL;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 ||
	    (rc = in_query_int(r, "limit", 1, 200, 20, &limit)) < 0)
		return rc;
	rc = camp_load(r->db, id, &filter, &tpl, period, &exp_days, state, last);
	if (rc != DB_ROW)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "调查活动 %lld 不存在",
					  "Survey campaign %lld does not exist", (long long)id);
	struct cfilter cf;
	kf_err e;
	kf_err_clear(&e);
	/* the filter's strings are bound as they are: kept until the end */
	arena_on_release(r->a, drop_json, filter);
	rc = filter_build(r, filter, &cf, &e);
	if (rc < 0)
		return in_err(r, &e);
	int64_t count = 0;
	db_stmt *st;
	cf.args[cf.n] = DBI(100000);
	if (db_query_int(r->db,
			 arena_printf(r->a,
				      "SELECT COUNT(*) FROM (SELECT 1 FROM customers c WHERE %s LIMIT ?) x",
				      cf.where),
			 cf.args, cf.n + 1, &count) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	cf.args[cf.n] = DBI(limit);
	if (db_query(r->db,
		     arena_printf(r->a,
				  "SELECT c.id, c.name, c.tier, c.value_class FROM customers c WHERE %s"
				  " ORDER BY c.id LIMIT ?",
				  cf.where),
		     cf.args, cf.n + 1, &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s}", "id",
						       (json_int_t)db_col_int(st, 0), "name",
						       db_col_text(st, 1), "tier", db_col_text(st, 2),
						       "value_class", db_col_text(st, 3)));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200, json_pack("{s:I, s:b, s:o}", "count", (json_int_t)count, "capped",
					   count >= 100000, "items", items));
}

/* Sends the campaign for the period containing now (if_new: unless this
 * period was sent already): one invitation per selected customer not yet
 * invited by it this period.  *created counts the new ones.  Its own
 * transactions of 500. */
int survey_campaign_send(db *d, arena *a, int64_t id, int64_t actor, int64_t now, int if_new,
			 const char **period_out, int64_t *created, kf_err *e)
{
	int64_t tpl, exp_days;
	char period[16], state[16], label[16], last[16];
	json_t *filter = NULL;
	*created = 0;
	int rc = camp_load(d, id, &filter, &tpl, period, &exp_days, state, last);
	if (rc != DB_ROW)
		return rc < 0 ? kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error")
			      : kf_fail(e, KF_ENOTFOUND, "id", "调查活动 %lld 不存在",
					"Survey campaign %lld does not exist", (long long)id);
	struct cfilter cf;
	/* the filter's strings are bound as they are: kept until the end */
	arena_on_release(a, drop_json, filter);
	rc = filter_build(NULL, filter, &cf, e);
	if (rc < 0)
		return rc;
	const char *zone = "Asia/Shanghai";
	int64_t lm = 0;
	db_stmt *st;
	if (db_query(d, "SELECT value FROM settings WHERE key = 'business_timezone'", DB_ARGS(), &st) >= 0) {
		if (db_step(st) == DB_ROW && *db_col_text(st, 0))
			zone = arena_strdup(a, db_col_text(st, 0));
		db_done(st);
	}
	if (tz_local_min(zone, now, &lm, e) < 0)
		return e->code;
	if (!sat_period_label(period, (int32_t)(lm / 1440), label))
		return kf_fail(e, KF_EINVAL, "period", "周期无效", "Invalid period");
	*period_out = arena_strdup(a, label);
	if (if_new && !strcmp(last, label))
		return 0;
	int64_t after = 0;
	for (;;) {
		cf.args[cf.n] = DBI(after);
		if (db_query(d,
			     arena_printf(a, "SELECT c.id FROM customers c WHERE %s AND c.id > ?"
					     " ORDER BY c.id LIMIT 500",
					  cf.where),
			     cf.args, cf.n + 1, &st) < 0)
			return kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
		int64_t ids[500];
		int n = 0;
		while (n < 500 && db_step(st) == DB_ROW)
			ids[n++] = db_col_int(st, 0);
		db_done(st);
		if (!n)
			break;
		if (db_begin(d) < 0)
			return kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
		for (int i = 0; i < n; i++) {
			struct survey_invite in = {
				.template_id = tpl, .customer_id = ids[i], .source = "campaign",
				.status = "sent", .campaign_id = id, .created_by = actor, .deliver = 1,
				.expires_at = now + exp_days * SURVEY_DAY_MS,
				.source_key = arena_printf(a, "campaign:%lld:%s:%lld", (long long)id,
							   label, (long long)ids[i])};
			int64_t iid;
			int x = survey_invite_insert(d, a, &in, now, &iid);
			if (x < 0) {
				db_rollback(d);
				return kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
			}
			*created += x;
		}
		if (db_commit(d) < 0)
			return kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
		after = ids[n - 1];
		if (n < 500)
			break;
	}
	if (db_exec(d,
		    "UPDATE survey_campaigns SET last_period = ?, last_sent_at = ?,"
		    " sent_count = sent_count + ?, state = CASE WHEN period = 'once' THEN 'stopped'"
		    " ELSE 'active' END, updated_at = ? WHERE id = ?",
		    DB_ARGS(DBT(label), DBI(now), DBI(*created), DBI(now), DBI(id))) < 0)
		return kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
	return 0;
}

/* POST /api/survey-campaigns/{id}/send: now, for the current period. */
int survey_campaigns_send(http_req *r)
{
	int64_t id, created = 0;
	const char *label = "";
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	kf_err e;
	kf_err_clear(&e);
	if (!survey_secret(r->db, r->a))
		return app_db_fail(r, DB_EFAIL, NULL);
	if (survey_campaign_send(r->db, r->a, id, r->user.id, util_now_ms(), 0, &label, &created, &e) < 0)
		return in_err(r, &e);
	json_t *ch = json_pack("{s:s, s:I}", "period", label, "created", (json_int_t)created);
	rc = audit_write(r->db, "survey_campaign", id, "send", r->user.id, ch);
	json_decref(ch);
	if (rc < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_json(r, 200, json_pack("{s:I, s:s, s:I}", "campaign_id", (json_int_t)id, "period",
					   label, "created", (json_int_t)created));
}
