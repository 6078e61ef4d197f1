/* calendar.c - the business calendar (core/bizcal.h) over HTTP: read it,
 * replace it (admins), import and export its text format, and ask when
 * N business minutes after a time fall (what the SLA does).
 *
 * Changes apply to due times computed afterwards (new cases, resumed
 * clocks, new priorities); existing due times are not recomputed. */
#include "app/case.h"

#include <stdio.h>
#include <string.h>

#include "app/tz.h"
#include "core/validate.h"
#include "lib/common.h"
#include "lib/util.h"

enum { MAX_DAYS = 8192 };

enum { TEXT_SIZE = 40 };

static void hhmm(char out[TEXT_SIZE], int m)
{
	snprintf(out, TEXT_SIZE, "%02d:%02d", m / 60, m % 60);
}

static void date_text(int32_t day, char out[TEXT_SIZE])
{
	int y, m, d;
	bizcal_civil_from_days(day, &y, &m, &d);
	snprintf(out, TEXT_SIZE, "%04d-%02d-%02d", y, m, d);
}

/* The whole calendar: hours and every dated day. */
static int load_all(http_req *r, struct bizcal *c)
{
	struct bizcal_day *days = arena_alloc(r->a, MAX_DAYS * sizeof(*days));
	bizcal_init(c, days, MAX_DAYS);
	db_stmt *st;
	if (db_query(r->db, "SELECT weekday, start_min, end_min FROM business_hours ORDER BY weekday, start_min",
		     DB_ARGS(), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	while (db_step(st) == DB_ROW) {
		int w = (int)db_col_int(st, 0) - 1;
		if (w < 0 || w > 6 || c->nhours[w] >= BIZCAL_MAX_INTERVALS)
			continue;
		c->hours[w][c->nhours[w]].start = (int)db_col_int(st, 1);
		c->hours[w][c->nhours[w]].end = (int)db_col_int(st, 2);
		c->nhours[w]++;
	}
	db_done(st);
	if (db_query(r->db, "SELECT on_date, kind, name FROM business_days ORDER BY on_date LIMIT 8192",
		     DB_ARGS(), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	while (db_step(st) == DB_ROW) {
		int32_t d;
		if (bizcal_parse_date(db_col_text(st, 0), &d) == 0)
			bizcal_add_day(c, d,
				       !strcmp(db_col_text(st, 1), "holiday") ? BIZCAL_HOLIDAY : BIZCAL_WORKDAY,
				       db_col_text(st, 2), NULL);
	}
	db_done(st);
	return 0;
}

static json_t *calendar_json(http_req *r, const struct bizcal *c)
{
	json_t *hours = json_array(), *days = json_array();
	for (int w = 0; w < 7; w++) {
		json_t *iv = json_array();
		for (int i = 0; i < c->nhours[w]; i++) {
			char a[TEXT_SIZE], b[TEXT_SIZE];
			hhmm(a, c->hours[w][i].start);
			hhmm(b, c->hours[w][i].end);
			json_array_append_new(iv, json_pack("{s:s, s:s}", "start", a, "end", b));
		}
		json_array_append_new(hours, json_pack("{s:i, s:o}", "weekday", w + 1, "intervals", iv));
	}
	for (size_t i = 0; i < c->ndays; i++) {
		char d[TEXT_SIZE];
		date_text(c->days[i].day, d);
		json_array_append_new(days, json_pack("{s:s, s:s, s:s}", "date", d, "kind",
						      c->days[i].kind == BIZCAL_HOLIDAY ? "holiday" : "workday",
						      "name", c->days[i].name));
	}
	return json_pack("{s:s, s:o, s:o}", "timezone", case_business_zone(r->db, r->a), "hours",
			 hours, "days", days);
}

int calendar_get(http_req *r)
{
	struct bizcal c;
	int rc;
	if ((rc = load_all(r, &c)) < 0)
		return rc;
	return http_json(r, 200, calendar_json(r, &c));
}

int calendar_export(http_req *r)
{
	struct bizcal c;
	int rc;
	if ((rc = load_all(r, &c)) < 0)
		return rc;
	size_t n = bizcal_format(&c, NULL, 0);
	char *text = arena_alloc(r->a, n + 1);
	bizcal_format(&c, text, n + 1);
	const char *head = arena_printf(r->a, "# kefu business calendar (timezone %s)\n",
					case_business_zone(r->db, r->a));
	const char *all = arena_printf(r->a, "%s%s", head, text);
	return http_text(r, 200, "text/plain; charset=utf-8", all, strlen(all));
}

/* Writes the hours (all seven days) and, if replace_days, replaces the
 * dated days with c's; else upserts c's days. */
static int store(http_req *r, const struct bizcal *c, int replace_days)
{
	if (db_exec(r->db, "DELETE FROM business_hours", DB_ARGS()) < 0)
		return -1;
	for (int w = 0; w < 7; w++)
		for (int i = 0; i < c->nhours[w]; i++)
			if (db_exec(r->db,
				    "INSERT INTO business_hours (weekday, start_min, end_min) VALUES (?, ?, ?)",
				    DB_ARGS(DBI(w + 1), DBI(c->hours[w][i].start), DBI(c->hours[w][i].end))) < 0)
				return -1;
	if (replace_days && db_exec(r->db, "DELETE FROM business_days", DB_ARGS()) < 0)
		return -1;
	for (size_t i = 0; i < c->ndays; i++) {
		char d[TEXT_SIZE];
		date_text(c->days[i].day, d);
		if (db_exec(r->db,
			    "INSERT INTO business_days (on_date, kind, name) VALUES (?, ?, ?)"
			    " ON CONFLICT (on_date) DO UPDATE SET kind = excluded.kind, name = excluded.name",
			    DB_ARGS(DBT(d), DBT(c->days[i].kind == BIZCAL_HOLIDAY ? "holiday" : "workday"),
				    DBT(c->days[i].name))) < 0)
			return -1;
	}
	return 0;
}

static int set_zone(http_req *r, const char *zone)
{
	return db_exec(r->db,
		       "INSERT INTO settings (key, value) VALUES ('business_timezone', ?)"
		       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		       DB_ARGS(DBT(zone)));
}

static int read_hours(http_req *r, json_t *hours, struct bizcal *c)
{
	if (!json_is_array(hours) || json_array_size(hours) > 7)
		return http_fail(r, KF_EINVAL, "hours", "hours 须为最多 7 项的数组 [{weekday, intervals}]",
				 "hours is an array of at most 7 items [{weekday, intervals}]");
	int seen[8] = {0};
	memset(c->nhours, 0, sizeof(c->nhours));
	size_t i;
	json_t *h;
	json_array_foreach(hours, i, h)
	{
		json_t *wd = json_object_get(h, "weekday"), *ivs = json_object_get(h, "intervals");
		const char *f = arena_printf(r->a, "hours[%zu]", i);
		if (!json_is_object(h) || !json_is_integer(wd) || json_integer_value(wd) < 1 ||
		    json_integer_value(wd) > 7 || seen[json_integer_value(wd)]++ || !json_is_array(ivs) ||
		    json_array_size(ivs) > BIZCAL_MAX_INTERVALS)
			return http_fail(r, KF_EINVAL, f,
					 "每项为 {weekday: 1–7（不重复）, intervals: 最多 %d 个 {start, end}}",
					 "each item is {weekday: 1-7 (once), intervals: at most %d {start, end}}",
					 BIZCAL_MAX_INTERVALS);
		struct bizcal_interval iv[BIZCAL_MAX_INTERVALS];
		size_t k;
		json_t *x;
		json_array_foreach(ivs, k, x)
		{
			const char *s = json_string_value(json_object_get(x, "start"));
			const char *e = json_string_value(json_object_get(x, "end"));
			if (!valid_hhmm(s, &iv[k].start) || !valid_hhmm(e, &iv[k].end) || iv[k].start >= 1440)
				return http_fail(r, KF_EINVAL, arena_printf(r->a, "%s.intervals[%zu]", f, k),
						 "时间格式为 HH:MM（结束可为 24:00）",
						 "Times are HH:MM (an end may be 24:00)");
		}
		kf_err e;
		kf_err_clear(&e);
		if (bizcal_set_hours(c, (int)json_integer_value(wd), iv, (int)json_array_size(ivs), &e) < 0) {
			e.field = arena_printf(r->a, "%s.intervals", f);
			return in_err(r, &e);
		}
	}
	return 0;
}

static int read_days(http_req *r, json_t *days, struct bizcal *c)
{
	if (!json_is_array(days) || json_array_size(days) > MAX_DAYS)
		return http_fail(r, KF_EINVAL, "days", "days 须为数组 [{date, kind, name}]",
				 "days is an array [{date, kind, name}]");
	size_t i;
	json_t *d;
	json_array_foreach(days, i, d)
	{
		const char *f = arena_printf(r->a, "days[%zu]", i);
		const char *date = json_string_value(json_object_get(d, "date"));
		const char *kind = json_string_value(json_object_get(d, "kind"));
		json_t *nm = json_object_get(d, "name");
		int32_t day;
		size_t n;
		if (!json_is_object(d) || bizcal_parse_date(date, &day) < 0 || !kind ||
		    (strcmp(kind, "holiday") && strcmp(kind, "workday")) ||
		    (nm && !json_is_null(nm) &&
		     (!json_is_string(nm) || !valid_utf8_len(json_string_value(nm), 20, &n))))
			return http_fail(r, KF_EINVAL, f,
					 "每项为 {date: YYYY-MM-DD, kind: holiday|workday, name: 最多 20 字}",
					 "each item is {date: YYYY-MM-DD, kind: holiday|workday, name: up to 20 characters}");
		kf_err e;
		kf_err_clear(&e);
		if (bizcal_add_day(c, day,
				   !strcmp(kind, "holiday") ? BIZCAL_HOLIDAY : BIZCAL_WORKDAY,
				   json_string_value(nm), &e) < 0) {
			e.field = f;
			e.code = KF_EINVAL;
			return in_err(r, &e);
		}
	}
	return 0;
}

static const char *const put_keys[] = {"timezone", "hours", "days", NULL};

static int no_working_time(http_req *r, const char *field)
{
	return http_fail(r, KF_EINVAL, field, "工作日历至少要有一段工作时间",
			 "The calendar needs some working time");
}

int calendar_put(http_req *r)
{
	int rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	const char *zone;
	if ((rc = in_only_keys(r, r->json, put_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "timezone", 64, 0, &zone, NULL)) < 0)
		return rc;
	kf_err e;
	kf_err_clear(&e);
	if (zone && tz_check(zone, "timezone", &e) < 0)
		return in_err(r, &e);
	struct bizcal c;
	if ((rc = load_all(r, &c)) < 0)
		return rc;
	json_t *hours = json_object_get(r->json, "hours"), *days = json_object_get(r->json, "days");
	if (hours && (rc = read_hours(r, hours, &c)) < 0)
		return rc;
	if (!bizcal_has_hours(&c))
		return no_working_time(r, "hours");
	if (days) {
		c.ndays = 0;
		if ((rc = read_days(r, days, &c)) < 0)
			return rc;
	}
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *ch = json_pack("{s:o, s:b, s:b}", "timezone", zone ? json_string(zone) : json_null(),
			       "hours", hours != NULL, "days", days != NULL);
	rc = store(r, &c, days != NULL);
	if (rc == 0 && zone)
		rc = set_zone(r, zone);
	if (rc == 0)
		rc = audit_write(r->db, "calendar", 0, "update", r->user.id, ch);
	json_decref(ch);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return calendar_get(r);
}

static const char *const import_keys[] = {"text", "mode", NULL};

int calendar_import(http_req *r)
{
	int rc;
	const char *text, *mode;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "text", "缺少必填字段 text", "The field text is required");
	if ((rc = in_only_keys(r, r->json, import_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "text", 1 << 20, 1, &text, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "mode", 16, 0, &mode, NULL)) < 0)
		return rc;
	if (mode && strcmp(mode, "merge") && strcmp(mode, "replace"))
		return http_fail(r, KF_EINVAL, "mode", "mode 应为 merge（合并，默认）或 replace（替换全部日期）",
				 "mode is merge (the default) or replace (all dates)");
	int replace = mode && !strcmp(mode, "replace");
	/* The file's hours (if any) replace the week; its dates go on top. */
	struct bizcal c;
	if ((rc = load_all(r, &c)) < 0)
		return rc;
	c.ndays = 0;
	kf_err e;
	kf_err_clear(&e);
	int line = 0;
	if (bizcal_parse(&c, text, &line, &e) < 0) {
		e.code = KF_EINVAL;
		in_err(r, &e);
		return case_problem(r, KF_EINVAL, json_pack("{s:i}", "line", line));
	}
	if (!bizcal_has_hours(&c))
		return no_working_time(r, "text");
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *ch = json_pack("{s:s, s:I}", "mode", replace ? "replace" : "merge", "days",
			       (json_int_t)c.ndays);
	rc = store(r, &c, replace);
	if (rc == 0)
		rc = audit_write(r->db, "calendar", 0, "import", r->user.id, ch);
	json_decref(ch);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	struct bizcal all;
	if ((rc = load_all(r, &all)) < 0)
		return rc;
	json_t *out = calendar_json(r, &all);
	json_object_set_new(out, "imported_days", json_integer((json_int_t)c.ndays));
	return http_json(r, 200, out);
}

static void local_text(const char *zone, int64_t ms, char out[2 * TEXT_SIZE])
{
	int64_t m;
	kf_err e;
	out[0] = '\0';
	if (tz_local_min(zone, ms, &m, &e) < 0)
		return;
	char d[TEXT_SIZE];
	date_text((int32_t)bizcal_floor_div(m, 1440), d);
	int64_t mod = m - bizcal_floor_div(m, 1440) * 1440;
	snprintf(out, 2 * TEXT_SIZE, "%s %02d:%02d", d, (int)(mod / 60), (int)(mod % 60));
}

/* GET /api/calendar/due?start=MS&minutes=N: when N business minutes after
 * start end; ?start&end gives the business minutes between them. */
int calendar_due(http_req *r)
{
	int64_t start, minutes, end;
	int rc;
	if ((rc = in_query_int(r, "start", 1, INT64_MAX, 0, &start)) < 0 ||
	    (rc = in_query_int(r, "minutes", 0, 60LL * 24 * 365, -1, &minutes)) < 0 ||
	    (rc = in_query_int(r, "end", 1, INT64_MAX, 0, &end)) < 0)
		return rc;
	if (!start)
		start = util_now_ms();
	if (minutes < 0 && !end)
		return http_fail(r, KF_EINVAL, "minutes", "请给出 minutes（工作分钟数）或 end",
				 "Give minutes (business minutes) or end");
	struct case_clock k;
	kf_err e;
	kf_err_clear(&e);
	if (case_clock_load(r->db, r->a, start, &k, &e) < 0)
		return in_err(r, &e);
	char a[2 * TEXT_SIZE], b[2 * TEXT_SIZE];
	local_text(k.zone, start, a);
	if (minutes >= 0) {
		int64_t due;
		if (case_clock_add(&k, start, minutes, &due, &e) < 0)
			return in_err(r, &e);
		local_text(k.zone, due, b);
		return http_json(r, 200,
				 json_pack("{s:I, s:I, s:I, s:s, s:s, s:s}", "start", (json_int_t)start,
					   "minutes", (json_int_t)minutes, "due_at", (json_int_t)due,
					   "timezone", k.zone, "start_local", a, "due_local", b));
	}
	int64_t between;
	if (case_clock_between(&k, start, end, &between, &e) < 0)
		return in_err(r, &e);
	local_text(k.zone, end, b);
	return http_json(r, 200,
			 json_pack("{s:I, s:I, s:I, s:s, s:s, s:s}", "start", (json_int_t)start, "end",
				   (json_int_t)end, "minutes", (json_int_t)between, "timezone", k.zone,
				   "start_local", a, "end_local", b));
}
