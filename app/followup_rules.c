/* followup_rules.c - the follow-up generation rules over HTTP: each rule
 * switchable, with its parameters (days, delay_hours, months, lead_days;
 * see followup_rule_defaults).  Changing a rule clears the dated
 * rules' scan signature so the next scan applies it at once. */
#include "app/followup.h"

#include <stdlib.h>
#include <string.h>

#include "lib/common.h"
#include "lib/util.h"

static json_t *rule_json(const struct fu_rule *r)
{
	return json_pack("{s:s, s:b, s:{s:I, s:I, s:I, s:I}}", "rule", r->rule, "enabled",
			 r->enabled, "params", "days", (json_int_t)r->days, "delay_hours",
			 (json_int_t)r->delay_hours, "months", (json_int_t)r->months, "lead_days",
			 (json_int_t)r->lead_days);
}

int followup_rules_list(http_req *r)
{
	json_t *items = json_array();
	for (const struct fu_rule *d = followup_rule_defaults; d->rule; d++) {
		struct fu_rule x = *d;
		followup_rule_load(r->db, &x);
		json_array_append_new(items, rule_json(&x));
	}
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

static const char *const rule_keys[] = {"enabled", "days", "delay_hours", "months", "lead_days",
					NULL};

/* PATCH /api/followups/rules/{rule} */
int followup_rules_patch(http_req *r)
{
	const char *name = r->nparams > 0 ? r->params[0] : "";
	const struct fu_rule *d = followup_rule_defaults;
	while (d->rule && strcmp(d->rule, name))
		d++;
	if (!d->rule)
		return http_fail(r, KF_ENOTFOUND, "rule", "没有名为 %s 的回访规则",
				 "There is no follow-up rule %s", name);
	if (!r->json)
		return http_fail(r, KF_EJSON, NULL, "请求体必须是 JSON 对象", "The body is a JSON object");
	struct fu_rule x = *d;
	int rc, en, has_en = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0;
	int64_t days, delay, months, lead;
	if ((rc = in_only_keys(r, r->json, rule_keys, NULL)) < 0 ||
	    (rc = in_bool(r, r->json, "enabled", &en, &has_en)) < 0 ||
	    (rc = in_int(r, r->json, "days", 1, 3650, 0, &days, &h1)) < 0 ||
	    (rc = in_int(r, r->json, "delay_hours", 0, 24 * 30, 0, &delay, &h2)) < 0 ||
	    (rc = in_int(r, r->json, "months", 1, 120, 0, &months, &h3)) < 0 ||
	    (rc = in_int(r, r->json, "lead_days", 0, 60, 0, &lead, &h4)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	followup_rule_load(r->db, &x);
	if (has_en)
		x.enabled = en;
	if (h1)
		x.days = days;
	if (h2)
		x.delay_hours = delay;
	if (h3)
		x.months = months;
	if (h4)
		x.lead_days = lead;
	json_t *o = rule_json(&x);
	char *params = json_dumps(json_object_get(o, "params"), JSON_COMPACT | JSON_SORT_KEYS);
	int64_t now = util_now_ms();
	rc = db_exec(r->db, "DELETE FROM followup_rules WHERE rule = ?", DB_ARGS(DBT(x.rule)));
	if (rc >= 0)
		rc = db_exec(r->db,
			     "INSERT INTO followup_rules (rule, enabled, params, updated_at) VALUES"
			     " (?, ?, ?, ?)",
			     DB_ARGS(DBT(x.rule), DBI(x.enabled), DBT(params), DBI(now)));
	free(params);
	if (rc >= 0)
		rc = db_exec(r->db, "DELETE FROM settings WHERE key = 'followups.daily_sig'", DB_ARGS());
	if (rc >= 0)
		rc = audit_write(r->db, "followup_rule", 0, x.rule, r->user.id, o);
	if (rc < 0 || db_commit(r->db) < 0) {
		json_decref(o);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	return http_json(r, 200, o);
}

/* GET /api/followups/coverage?from=&to= (supervisor): key accounts visited
 * in [from, to) (default: the current key_account period), n of N, the
 * ones not visited, and the on-time rate of the visits due in the window
 * (closed by their due time / due), in basis points. */
int followups_coverage(http_req *r)
{
	int64_t from, to, now = util_now_ms();
	int rc;
	if ((rc = in_query_int(r, "from", 0, INT64_MAX, 0, &from)) < 0 ||
	    (rc = in_query_int(r, "to", 0, INT64_MAX, 0, &to)) < 0)
		return rc;
	if (!from || !to) {
		int64_t pf, pt;
		followup_period(r->db, now, &pf, &pt);
		from = from ? from : pf;
		to = to ? to : pt;
	}
	if (to <= from)
		return http_fail(r, KF_EINVAL, "to", "结束时间必须晚于开始时间", "to must be after from");
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT c.id, c.name, c.owner_id, CASE WHEN EXISTS (SELECT 1 FROM followups f WHERE"
		     " f.customer_id = c.id AND f.state = 'done' AND f.closed_at >= ? AND f.closed_at < ?)"
		     " THEN 1 ELSE 0 END"
		     " FROM customers c WHERE c.value_class = 'key' AND c.archived_at IS NULL ORDER BY c.id",
		     DB_ARGS(DBI(from), DBI(to)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *missing = json_array();
	int64_t total = 0, visited = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		total++;
		if (db_col_int(st, 3)) {
			visited++;
			continue;
		}
		json_array_append_new(missing,
				      json_pack("{s:I, s:s, s:o}", "id", (json_int_t)db_col_int(st, 0),
						"name", db_col_text(st, 1), "owner_id",
						db_col_null(st, 2) ? json_null()
								   : json_integer(db_col_int(st, 2))));
	}
	db_done(st);
	if (rc < 0) {
		json_decref(missing);
		return app_db_fail(r, rc, NULL);
	}
	int64_t due = 0, on_time = 0;
	db_query_int(r->db, "SELECT COUNT(*) FROM followups WHERE due_at >= ? AND due_at < ? AND due_at < ?",
		     DB_ARGS(DBI(from), DBI(to), DBI(now)), &due);
	db_query_int(r->db,
		     "SELECT COUNT(*) FROM followups WHERE due_at >= ? AND due_at < ? AND due_at < ?"
		     " AND state = 'done' AND closed_at <= due_at",
		     DB_ARGS(DBI(from), DBI(to), DBI(now)), &on_time);
	return http_json(r, 200,
			 json_pack("{s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:o}", "from", (json_int_t)from,
				   "to", (json_int_t)to, "key_accounts", (json_int_t)total, "visited",
				   (json_int_t)visited, "not_visited", missing, "due",
				   (json_int_t)due, "on_time", (json_int_t)on_time, "on_time_rate_bp",
				   due ? json_integer(on_time * 10000 / due) : json_null()));
}
