/* call_settings.c - the hotline's settings (service-level target,
 * short-abandon threshold, after-call-work cap), wrap-up codes, and which
 * PBX extension is which agent.  Settings live in the settings table
 * (key "hotline", a JSON object) so every instance reads the same. */
#include "app/calls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tz.h"
#include "core/bizcal.h"
#include "lib/common.h"
#include "lib/util.h"

static const struct hotline_settings defaults = {
	20, 80, 5, 600, "Asia/Shanghai", {{0, 12 * 60, 14 * 60}, {0, 21 * 60, 9 * 60}}, 2};

size_t hotline_call_windows(const struct hotline_settings *s, const char *dnd_json,
			    struct calltime_window *w, size_t max)
{
	size_t n = 0, i, j;
	json_t *o, *d;
	for (int k = 0; k < s->nrest && n < max; k++)
		w[n++] = s->rest[k];
	json_t *dnd = json_loads(dnd_json && *dnd_json ? dnd_json : "[]", 0, NULL);
	json_array_foreach(dnd, i, o)
	{
		int st = calltime_parse_hhmm(json_string_value(json_object_get(o, "start")));
		int en = calltime_parse_hhmm(json_string_value(json_object_get(o, "end")));
		if (n >= max || st < 0 || en < 0 || st == en)
			continue;
		unsigned days = 0;
		json_array_foreach(json_object_get(o, "days"), j, d)
		{
			json_int_t k = json_integer_value(d);
			if (k >= 1 && k <= 7)
				days |= 1u << k;
		}
		w[n++] = (struct calltime_window){days, st, en};
	}
	json_decref(dnd);
	return n;
}

static int setting_int(json_t *o, const char *k, int lo, int hi, int dflt)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return dflt;
	return (int)json_integer_value(v);
}

void hotline_settings_load(db *d, struct hotline_settings *s)
{
	*s = defaults;
	db_stmt *st;
	if (db_query(d, "SELECT key, value FROM settings WHERE key IN ('hotline', 'business_timezone')",
		     DB_ARGS(), &st) < 0)
		return;
	while (db_step(st) == DB_ROW) {
		const char *k = db_col_text(st, 0), *v = db_col_text(st, 1);
		if (!strcmp(k, "business_timezone") && *v) {
			snprintf(s->timezone, sizeof(s->timezone), "%s", v);
			continue;
		}
		json_t *o = json_loads(v, 0, NULL);
		s->sl_seconds = setting_int(o, "sl_seconds", 1, 3600, s->sl_seconds);
		s->sl_target_pct = setting_int(o, "sl_target_pct", 1, 99, s->sl_target_pct);
		s->short_abandon_s = setting_int(o, "short_abandon_s", 0, 600, s->short_abandon_s);
		s->acw_cap_s = setting_int(o, "acw_cap_s", 0, 7200, s->acw_cap_s);
		json_t *rest = json_object_get(o, "rest_hours");
		struct calltime_window w[HOTLINE_REST_MAX];
		int bad, nr;
		const char *field;
		if (rest && (nr = hotline_rest_parse(rest, w, &bad, &field)) >= 0) {
			memcpy(s->rest, w, sizeof(w[0]) * (size_t)nr);
			s->nrest = nr;
		}
		json_decref(o);
	}
	db_done(st);
}

int64_t hotline_local_min(const struct hotline_settings *s, int64_t utc_ms)
{
	int64_t m;
	kf_err e;
	if (tz_local_min(s->timezone, utc_ms, &m, &e) == 0)
		return m;
	return bizcal_floor_div(utc_ms + 8 * 3600000LL, 60000);
}

int64_t hotline_utc_ms(const struct hotline_settings *s, int64_t local_min)
{
	int64_t ms;
	kf_err e;
	if (tz_utc_ms(s->timezone, local_min, &ms, &e) == 0)
		return ms;
	return local_min * 60000 - 8 * 3600000LL;
}

int64_t hotline_parse_date(const char *s)
{
	int32_t day;
	if (!s || bizcal_parse_date(s, &day) < 0)
		return -1;
	return day;
}

void hotline_format_date(int64_t day, char out[11])
{
	int y, m, d;
	bizcal_civil_from_days((int32_t)day, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000, (unsigned)m % 100, (unsigned)d % 100);
}

int64_t hotline_agent_user(db *d, const char *extension)
{
	if (!extension || !*extension)
		return 0;
	int64_t id = 0;
	int rc = db_query_int(d, "SELECT user_id FROM call_agents WHERE extension = ?",
			      DB_ARGS(DBT(extension)), &id);
	return rc < 0 ? rc : rc == DB_ROW ? id : 0;
}

/* ---------------------------------------------------------------- settings API */

static json_t *rest_json(const struct hotline_settings *s)
{
	json_t *a = json_array();
	for (int i = 0; i < s->nrest; i++) {
		char st[16], en[16];
		snprintf(st, sizeof(st), "%02d:%02d", s->rest[i].start_min / 60, s->rest[i].start_min % 60);
		snprintf(en, sizeof(en), "%02d:%02d", s->rest[i].end_min / 60, s->rest[i].end_min % 60);
		json_array_append_new(a, json_pack("{s:s, s:s}", "start", st, "end", en));
	}
	return a;
}

static json_t *settings_json(const struct hotline_settings *s)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:s, s:i, s:o}", "sl_seconds", s->sl_seconds,
			 "sl_target_pct", s->sl_target_pct, "short_abandon_s", s->short_abandon_s,
			 "acw_cap_s", s->acw_cap_s, "timezone", s->timezone, "interval_min", 30,
			 "rest_hours", rest_json(s));
}

int hotline_settings_get(http_req *r)
{
	struct hotline_settings s;
	hotline_settings_load(r->db, &s);
	return http_json(r, 200, settings_json(&s));
}

int hotline_settings_patch(http_req *r)
{
	int rc;
	struct hotline_settings s;
	hotline_settings_load(r->db, &s);
	if ((rc = hotline_settings_read(r, &s)) < 0)
		return rc;
	json_t *doc = json_pack("{s:i, s:i, s:i, s:i, s:o}", "sl_seconds", s.sl_seconds, "sl_target_pct",
				s.sl_target_pct, "short_abandon_s", s.short_abandon_s, "acw_cap_s",
				s.acw_cap_s, "rest_hours", rest_json(&s));
	char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	if (db_begin(r->db) < 0) {
		free(text);
		json_decref(doc);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	rc = db_exec(r->db,
		     "INSERT INTO settings (key, value) VALUES ('hotline', ?)"
		     " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		     DB_ARGS(DBT(text)));
	if (rc >= 0)
		rc = audit_write(r->db, "settings", 0, "hotline", r->user.id, doc);
	json_decref(doc);
	free(text);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_json(r, 200, settings_json(&s));
}

/* ---------------------------------------------------------------- wrap-up codes */

int wrapup_codes_list(http_req *r)
{
	db_stmt *st;
	const char *all = http_query(r, "all");
	if (db_query(r->db,
		     "SELECT id, code, label_zh, label_en, active, sort_order FROM wrapup_codes"
		     " WHERE active = 1 OR ? = 1 ORDER BY sort_order, id",
		     DB_ARGS(DBI(all && !strcmp(all, "1"))), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(
			items, json_pack("{s:I, s:s, s:s, s:s, s:b, s:I}", "id",
					 (json_int_t)db_col_int(st, 0), "code", db_col_text(st, 1),
					 "label_zh", db_col_text(st, 2), "label_en", db_col_text(st, 3),
					 "active", (int)db_col_int(st, 4), "sort_order",
					 (json_int_t)db_col_int(st, 5)));
	db_done(st);
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

static int valid_code(const char *s)
{
	if (!s || !*s)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return 0;
	return 1;
}

int hotline_coded_input(http_req *r, int creating, int with_max, struct coded_row *c)
{
	static const char *const keys[] = {"code", "label_zh", "label_en", "active", "sort_order", NULL};
	static const char *const keys_max[] = {"code",       "label_zh",  "label_en", "active",
					       "sort_order", "max_score", NULL};
	int rc;
	memset(c, 0, sizeof(*c));
	if (!r->json)
		return http_fail(r, KF_EINVAL, "code", "缺少必填字段 code", "The field code is required");
	if ((rc = in_only_keys(r, r->json, with_max ? keys_max : keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "code", 40, creating, &c->code, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "label_zh", 100, creating, &c->label_zh, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "label_en", 100, creating, &c->label_en, NULL)) < 0 ||
	    (rc = in_bool(r, r->json, "active", &c->active, &c->has_active)) < 0 ||
	    (rc = in_int(r, r->json, "sort_order", -100000, 100000, 0, &c->sort_order,
			 &c->has_sort)) < 0 ||
	    (with_max &&
	     (rc = in_int(r, r->json, "max_score", 1, 100, 0, &c->max_score, &c->has_max)) < 0))
		return rc;
	if (c->code && !valid_code(c->code))
		return http_fail(r, KF_EINVAL, "code", "code 只能包含小写字母、数字、下划线和连字符",
				 "code may contain only lowercase letters, digits, _ and -");
	if (!c->has_active)
		c->active = 1;
	if (!c->has_max)
		c->max_score = 10;
	return 0;
}

int wrapup_codes_create(http_req *r)
{
	struct coded_row c;
	int rc;
	if ((rc = hotline_coded_input(r, 1, 0, &c)) < 0)
		return rc;
	int64_t now = util_now_ms(), id = 0;
	db_stmt *st;
	if (db_query(r->db,
		     "INSERT INTO wrapup_codes (code, label_zh, label_en, active, sort_order,"
		     " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		     DB_ARGS(DBT(c.code), DBT(c.label_zh), DBT(c.label_en), DBI(c.active),
			     DBI(c.sort_order), DBI(now), DBI(now)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return app_db_fail(r, rc, "code");
	return http_json(r, 201,
			 json_pack("{s:I, s:s, s:s, s:s, s:b, s:I}", "id", (json_int_t)id, "code",
				   c.code, "label_zh", c.label_zh, "label_en", c.label_en, "active",
				   c.active, "sort_order", (json_int_t)c.sort_order));
}

int wrapup_codes_patch(http_req *r)
{
	int64_t id;
	struct coded_row c;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = hotline_coded_input(r, 0, 0, &c)) < 0)
		return rc;
	if (c.code)
		return http_fail(r, KF_EINVAL, "code", "代码创建后不能修改（通话记录引用它）",
				 "A code cannot change once created (call records refer to it)");
	rc = db_exec(r->db,
		     "UPDATE wrapup_codes SET label_zh = COALESCE(?, label_zh),"
		     " label_en = COALESCE(?, label_en), active = CASE WHEN ? = 1 THEN ? ELSE active END,"
		     " sort_order = CASE WHEN ? = 1 THEN ? ELSE sort_order END, updated_at = ? WHERE id = ?",
		     DB_ARGS(DBT(c.label_zh), DBT(c.label_en), DBI(c.has_active), DBI(c.active),
			     DBI(c.has_sort), DBI(c.sort_order), DBI(util_now_ms()), DBI(id)));
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc == 0)
		return http_fail(r, KF_ENOTFOUND, "id", "话后小结代码不存在", "No such wrap-up code");
	return wrapup_codes_list(r);
}

/* ---------------------------------------------------------------- agent extensions */

int call_agents_list(http_req *r)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT a.user_id, u.display_name, u.username, a.extension, a.agent_no,"
		     " s.state, s.since FROM call_agents a JOIN users u ON u.id = a.user_id"
		     " LEFT JOIN agent_states s ON s.agent = a.extension ORDER BY a.extension",
		     DB_ARGS(), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(
			items,
			json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "user_id",
				  (json_int_t)db_col_int(st, 0), "display_name", db_col_text(st, 1),
				  "username", db_col_text(st, 2), "extension", db_col_text(st, 3),
				  "agent_no", db_col_text(st, 4), "state",
				  db_col_null(st, 5) ? "logged_out" : db_col_text(st, 5), "since",
				  db_col_null(st, 6) ? json_null() : json_integer(db_col_int(st, 6))));
	db_done(st);
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

static const char *const agent_keys[] = {"extension", "agent_no", NULL};

int call_agents_put(http_req *r)
{
	int64_t uid, one;
	const char *ext, *no;
	int rc;
	if ((rc = http_param_id(r, 0, &uid)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "extension", "缺少必填字段 extension",
				 "The field extension is required");
	if ((rc = in_only_keys(r, r->json, agent_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "extension", 64, 1, &ext, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "agent_no", 20, 0, &no, NULL)) < 0)
		return rc;
	rc = db_query_int(r->db, "SELECT 1 FROM users WHERE id = ?", DB_ARGS(DBI(uid)), &one);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW)
		return http_fail(r, KF_ENOTFOUND, "id", "用户 %lld 不存在", "User %lld does not exist",
				 (long long)uid);
	rc = db_exec(r->db,
		     "INSERT INTO call_agents (user_id, extension, agent_no, updated_at) VALUES (?, ?, ?, ?)"
		     " ON CONFLICT (user_id) DO UPDATE SET extension = excluded.extension,"
		     " agent_no = excluded.agent_no, updated_at = excluded.updated_at",
		     DB_ARGS(DBI(uid), DBT(ext), DBT(no ? no : ""), DBI(util_now_ms())));
	if (rc == DB_EUNIQUE)
		return http_fail(r, KF_ECONFLICT, "extension", "分机 %s 已分配给其他坐席",
				 "Extension %s belongs to another agent", ext);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	return http_json(r, 200,
			 json_pack("{s:I, s:s, s:s}", "user_id", (json_int_t)uid, "extension", ext,
				   "agent_no", no ? no : ""));
}

int call_agents_delete(http_req *r)
{
	int64_t uid;
	int rc;
	if ((rc = http_param_id(r, 0, &uid)) < 0)
		return rc;
	rc = db_exec(r->db, "DELETE FROM call_agents WHERE user_id = ?", DB_ARGS(DBI(uid)));
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc == 0)
		return http_fail(r, KF_ENOTFOUND, "id", "该用户没有分机", "This user has no extension");
	return http_no_content(r);
}
