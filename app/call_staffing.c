/* call_staffing.c - how many agents, when (DOMAIN §5, 排班): Erlang C and
 * A for one interval, a forecast of calls per half hour from the same
 * weekday of past weeks, agents needed per interval, shift patterns and
 * a shift plan that covers the need and shows the gap.
 *
 * The arithmetic is core/erlang.h and core/staffing.h; bodies are read by
 * staffing_input.c; this file reads history and patterns and shapes the
 * answers. */
#include "app/calls.h"
#include "app/staffing_input.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/bizcal.h"
#include "core/calltime.h"
#include "core/erlang.h"
#include "core/staffing.h"
#include "lib/common.h"
#include "lib/util.h"

enum { NIV = 48, IV_S = 1800, MAX_WEEKS = 12 };

static int query_double(http_req *r, const char *name, double lo, double hi, double dflt,
			double *out)
{
	const char *s = http_query(r, name);
	*out = dflt;
	if (!s || !*s)
		return 0;
	char *end;
	double v = strtod(s, &end);
	if (*end || isnan(v) || v < lo || v > hi)
		return http_fail(r, KF_EINVAL, name, "参数 %s 应为 %g 到 %g 之间的数",
				 "The parameter %s must be a number from %g to %g", name, lo, hi);
	*out = v;
	return 0;
}

static void write_num(jw *w, const char *k, double v, const char *fmt)
{
	jw_key(w, k);
	if (isnan(v) || isinf(v) || v < 0) {
		jw_null(w);
		return;
	}
	char s[40];
	snprintf(s, sizeof(s), fmt, v);
	jw_raw(w, s);
}

static void write_result(jw *w, const struct erlang_result *e)
{
	jw_key(w, "agents");
	jw_int(w, e->agents);
	write_num(w, "traffic", e->traffic, "%.4f");
	write_num(w, "service_level", e->sl, "%.4f");
	write_num(w, "asa_s", e->asa_s, "%.2f");
	write_num(w, "occupancy", e->occupancy, "%.4f");
	write_num(w, "p_wait", e->p_wait, "%.4f");
}

/* The least n meeting the service level under Erlang A (never more than
 * Erlang C's n). */
static int erlang_a_agents(double calls, double interval_s, double aht, double patience,
			   const struct erlang_target *t, int n_c, struct erlang_result *out)
{
	int lo = (int)floor(calls * aht / interval_s * 0.5);
	for (int n = lo > 1 ? lo : 1; n <= n_c; n++)
		if (erlang_a_eval(n, calls, interval_s, aht, patience, t->target_s, out) == 0 &&
		    out->sl >= t->sl)
			return n;
	return erlang_a_eval(n_c, calls, interval_s, aht, patience, t->target_s, out) == 0 ? n_c : -1;
}

int hotline_erlang_get(http_req *r)
{
	double calls, aht, ivmin, sl, target, shrink, maxocc, patience;
	int rc;
	if ((rc = query_double(r, "calls", 0, 1e6, 100, &calls)) < 0 ||
	    (rc = query_double(r, "aht_s", 1, 86400, 180, &aht)) < 0 ||
	    (rc = query_double(r, "interval_min", 1, 1440, 30, &ivmin)) < 0 ||
	    (rc = query_double(r, "sl_pct", 1, 99.9, 80, &sl)) < 0 ||
	    (rc = query_double(r, "target_s", 0, 3600, 20, &target)) < 0 ||
	    (rc = query_double(r, "shrinkage_pct", 0, 90, 0, &shrink)) < 0 ||
	    (rc = query_double(r, "max_occupancy_pct", 0, 100, 0, &maxocc)) < 0 ||
	    (rc = query_double(r, "patience_s", 0, 86400, 0, &patience)) < 0)
		return rc;
	struct erlang_target t = {sl / 100, target, 0, maxocc / 100};
	struct erlang_result e;
	int n = erlang_c_agents(calls, ivmin * 60, aht, &t, &e);
	if (n < 0)
		return http_fail(r, KF_EINVAL, "calls", "话务量过大，无法计算（最多 %d 名坐席）",
				 "Traffic too high to compute (at most %d agents)", ERLANG_MAX_AGENTS);
	buf b;
	buf_init(&b, 1 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	write_result(&w, &e);
	jw_key(&w, "scheduled");
	jw_int(&w, erlang_with_shrinkage(n, shrink / 100));
	jw_key(&w, "table");
	jw_arr(&w);
	for (int k = n - 3 > 1 ? n - 3 : 1; k <= n + 3; k++) {
		struct erlang_result x;
		erlang_c_eval(k, calls, ivmin * 60, aht, target, &x);
		jw_obj(&w);
		write_result(&w, &x);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "erlang_a");
	if (patience > 0 && n > 0) {
		struct erlang_result a;
		int na = erlang_a_agents(calls, ivmin * 60, aht, patience, &t, n, &a);
		jw_obj(&w);
		write_result(&w, &a);
		write_num(&w, "abandon_rate", a.p_abandon, "%.4f");
		jw_key(&w, "found");
		jw_bool(&w, na > 0);
		jw_obj_end(&w);
	} else {
		jw_null(&w);
	}
	jw_obj_end(&w);
	return http_json_buf(r, 200, &b);
}

/* ---------------------------------------------------------------- forecast */

struct forecast {
	double calls[NIV];
	double aht_s[NIV]; /* 0: no history */
	int weeks_used;
};

/* Calls per interval and handle time of one past local day. */
static int day_history(http_req *r, const struct hotline_settings *hs, int64_t day,
		       const char *queue, double *calls, double *handle_sum, double *handled)
{
	int64_t from = hotline_utc_ms(hs, day * 1440), to = hotline_utc_ms(hs, (day + 1) * 1440);
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT offered_at, talk_ms, hold_ms, acw_ms FROM calls WHERE offered_at >= ?"
		     " AND offered_at < ? AND direction = 'inbound'"
		     " AND (CAST(? AS TEXT) IS NULL OR queue = ?)",
		     DB_ARGS(DBI(from), DBI(to), DBT(queue), DBT(queue)), &st) < 0)
		return -1;
	int n = 0;
	while (db_step(st) == DB_ROW) {
		int64_t lm = hotline_local_min(hs, db_col_int(st, 0));
		int iv = (int)((lm - bizcal_floor_div(lm, 1440) * 1440) / 30);
		if (iv < 0 || iv >= NIV)
			continue;
		calls[iv] += 1;
		if (!db_col_null(st, 1)) {
			handle_sum[iv] += (double)(db_col_int(st, 1) + db_col_int(st, 2) + db_col_int(st, 3)) / 1000.0;
			handled[iv] += 1;
		}
		n++;
	}
	db_done(st);
	return n;
}

static int make_forecast(http_req *r, const struct hotline_settings *hs, int64_t day, int weeks,
			 const char *queue, struct forecast *f)
{
	double hist[MAX_WEEKS * NIV];
	int present[MAX_WEEKS];
	double hsum[NIV] = {0}, hn[NIV] = {0};
	memset(hist, 0, sizeof(hist));
	memset(f, 0, sizeof(*f));
	for (int w = 0; w < weeks; w++) {
		int n = day_history(r, hs, day - 7 * (w + 1), queue, &hist[w * NIV], hsum, hn);
		if (n < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
		present[w] = n > 0;
	}
	f->weeks_used = staff_forecast(hist, present, weeks, NIV, f->calls);
	for (int i = 0; i < NIV; i++)
		f->aht_s[i] = hn[i] > 0 ? hsum[i] / hn[i] : 0;
	return 0;
}

static void iv_label(int i, char out[6])
{
	snprintf(out, 6, "%02u:%s", (unsigned)(i / 2) % 100, i % 2 ? "30" : "00");
}

int hotline_forecast_get(http_req *r)
{
	struct hotline_settings hs;
	hotline_settings_load(r->db, &hs);
	const char *d = http_query(r, "date");
	int64_t day = d && *d ? hotline_parse_date(d)
			      : bizcal_floor_div(hotline_local_min(&hs, util_now_ms()), 1440) + 1;
	if (day < 0)
		return http_fail(r, KF_EINVAL, "date", "date 应为日期 YYYY-MM-DD",
				 "date must be a date YYYY-MM-DD");
	int64_t weeks;
	int rc;
	if ((rc = in_query_int(r, "weeks", 1, MAX_WEEKS, 4, &weeks)) < 0)
		return rc;
	const char *q = http_query(r, "queue");
	struct forecast f;
	if ((rc = make_forecast(r, &hs, day, (int)weeks, q && *q ? q : NULL, &f)) < 0)
		return rc;
	buf b;
	buf_init(&b, 1 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	char ds[11];
	hotline_format_date(day, ds);
	jw_key(&w, "date");
	jw_str(&w, ds);
	jw_key(&w, "weekday");
	jw_int(&w, bizcal_weekday((int32_t)day));
	jw_key(&w, "weeks");
	jw_int(&w, weeks);
	jw_key(&w, "weeks_used");
	jw_int(&w, f.weeks_used);
	jw_key(&w, "intervals");
	jw_arr(&w);
	double total = 0;
	for (int i = 0; i < NIV; i++) {
		char l[6];
		iv_label(i, l);
		jw_obj(&w);
		jw_key(&w, "start");
		jw_str(&w, l);
		write_num(&w, "calls", f.calls[i], "%.2f");
		write_num(&w, "aht_s", f.aht_s[i] > 0 ? f.aht_s[i] : -1, "%.1f");
		jw_obj_end(&w);
		total += f.calls[i];
	}
	jw_arr_end(&w);
	write_num(&w, "total_calls", total, "%.1f");
	jw_obj_end(&w);
	return http_json_buf(r, 200, &b);
}

/* ---------------------------------------------------------------- staffing */

struct staffing_out {
	struct erlang_result e[NIV], a[NIV];
	int agents[NIV], scheduled[NIV], a_agents[NIV];
};

static int read_staffing(http_req *r, struct staffing_in *in)
{
	int rc = staffing_input_read(r, in);
	if (rc < 0 || in->given)
		return rc;
	struct hotline_settings hs;
	hotline_settings_load(r->db, &hs);
	if (in->day < 0)
		in->day = bizcal_floor_div(hotline_local_min(&hs, util_now_ms()), 1440) + 1;
	struct forecast f;
	if ((rc = make_forecast(r, &hs, in->day, in->weeks, in->queue, &f)) < 0)
		return rc;
	in->weeks_used = f.weeks_used;
	for (int i = 0; i < NIV; i++) {
		in->calls[i] = f.calls[i];
		in->aht_s[i] = f.aht_s[i] > 0 ? f.aht_s[i] : in->default_aht;
	}
	return 0;
}

static int compute_staffing(http_req *r, const struct staffing_in *in, struct staffing_out *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < NIV; i++) {
		double aht = in->aht_s[i] > 0 ? in->aht_s[i] : in->default_aht;
		int n = erlang_c_agents(in->calls[i], IV_S, aht, &in->t, &out->e[i]);
		if (n < 0)
			return http_fail(r, KF_EINVAL, "intervals", "话务量过大，无法计算",
					 "Traffic too high to compute");
		out->agents[i] = n;
		out->scheduled[i] = erlang_with_shrinkage(n, in->shrinkage);
		if (in->patience_s > 0 && n > 0)
			out->a_agents[i] = erlang_a_agents(in->calls[i], IV_S, aht, in->patience_s,
							   &in->t, n, &out->a[i]);
	}
	return 0;
}

int hotline_staffing_post(http_req *r)
{
	struct staffing_in in;
	struct staffing_out out;
	int rc;
	if ((rc = read_staffing(r, &in)) < 0 || (rc = compute_staffing(r, &in, &out)) < 0)
		return rc;
	buf b;
	buf_init(&b, 1 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "source");
	jw_str(&w, in.day >= 0 ? "forecast" : "given");
	if (in.day >= 0) {
		char ds[11];
		hotline_format_date(in.day, ds);
		jw_key(&w, "date");
		jw_str(&w, ds);
		jw_key(&w, "weeks_used");
		jw_int(&w, in.weeks_used);
	}
	jw_key(&w, "intervals");
	jw_arr(&w);
	double calls = 0, agent_h = 0, sched_h = 0;
	int peak = 0;
	for (int i = 0; i < NIV; i++) {
		char l[6];
		iv_label(i, l);
		jw_obj(&w);
		jw_key(&w, "start");
		jw_str(&w, l);
		write_num(&w, "calls", in.calls[i], "%.2f");
		write_num(&w, "aht_s", in.aht_s[i] > 0 ? in.aht_s[i] : in.default_aht, "%.1f");
		write_result(&w, &out.e[i]);
		jw_key(&w, "scheduled");
		jw_int(&w, out.scheduled[i]);
		if (in.patience_s > 0) {
			jw_key(&w, "erlang_a");
			jw_obj(&w);
			write_result(&w, &out.a[i]);
			write_num(&w, "abandon_rate", out.a[i].p_abandon, "%.4f");
			jw_obj_end(&w);
		}
		jw_obj_end(&w);
		calls += in.calls[i];
		agent_h += out.agents[i] * 0.5;
		sched_h += out.scheduled[i] * 0.5;
		peak = out.scheduled[i] > peak ? out.scheduled[i] : peak;
	}
	jw_arr_end(&w);
	jw_key(&w, "totals");
	jw_obj(&w);
	write_num(&w, "calls", calls, "%.1f");
	write_num(&w, "agent_hours", agent_h, "%.1f");
	write_num(&w, "scheduled_hours", sched_h, "%.1f");
	jw_key(&w, "peak_scheduled");
	jw_int(&w, peak);
	jw_obj_end(&w);
	jw_key(&w, "target");
	jw_obj(&w);
	write_num(&w, "service_level", in.t.sl, "%.4f");
	write_num(&w, "target_s", in.t.target_s, "%g");
	write_num(&w, "shrinkage", in.shrinkage, "%.4f");
	jw_obj_end(&w);
	jw_obj_end(&w);
	return http_json_buf(r, 200, &b);
}

/* ---------------------------------------------------------------- shift patterns */

static json_t *pattern_row(db_stmt *st)
{
	int s = (int)db_col_int(st, 2), m = (int)db_col_int(st, 3);
	char hm[16], end[16];
	snprintf(hm, sizeof(hm), "%02d:%02d", s / 60, s % 60);
	snprintf(end, sizeof(end), "%02d:%02d", (s + m) / 60, (s + m) % 60);
	json_t *br = json_loads(db_col_text(st, 4), 0, NULL), *days = json_loads(db_col_text(st, 5), 0, NULL);
	return json_pack("{s:I, s:s, s:s, s:s, s:i, s:o, s:o, s:i, s:b}", "id",
			 (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "start", hm, "end",
			 end, "minutes", m, "breaks", br ? br : json_array(), "days",
			 days ? days : json_array(), "max_count", (int)db_col_int(st, 6), "active",
			 (int)db_col_int(st, 7));
}

#define PATTERN_COLS "id, name, start_min, length_min, breaks, days, max_count, active"

int shift_patterns_list(http_req *r)
{
	db_stmt *st;
	if (db_query(r->db, "SELECT " PATTERN_COLS " FROM shift_patterns ORDER BY start_min, id",
		     DB_ARGS(), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, pattern_row(st));
	db_done(st);
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

static int pattern_respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, "SELECT " PATTERN_COLS " FROM shift_patterns WHERE id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *o = db_step(st) == DB_ROW ? pattern_row(st) : NULL;
	db_done(st);
	if (!o)
		return http_fail(r, KF_ENOTFOUND, "id", "班次 %lld 不存在", "Shift pattern %lld does not exist",
				 (long long)id);
	return http_json(r, status, o);
}

int shift_patterns_create(http_req *r)
{
	struct pattern_in p;
	int rc;
	if ((rc = pattern_input_read(r, 1, 0, 0, &p)) < 0)
		return rc;
	char *br = json_dumps(p.breaks, JSON_COMPACT), *days = json_dumps(p.days, JSON_COMPACT);
	int64_t now = util_now_ms(), id = 0;
	db_stmt *st;
	rc = db_query(r->db,
		      "INSERT INTO shift_patterns (name, start_min, length_min, breaks, days, max_count,"
		      " active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		      DB_ARGS(DBT(p.name), DBI(p.start), DBI(p.minutes), DBT(br), DBT(days),
			      DBI(p.max_count), DBI(p.active), DBI(now), DBI(now)),
		      &st);
	if (rc == 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			id = db_col_int(st, 0);
		db_done(st);
	}
	free(br);
	free(days);
	pattern_in_free(&p);
	if (rc != DB_ROW)
		return app_db_fail(r, rc < 0 ? rc : DB_EFAIL, "name");
	return pattern_respond(r, id, 201);
}

int shift_patterns_patch(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	db_stmt *st;
	int cs = -1, cm = -1;
	if (db_query(r->db, "SELECT start_min, length_min FROM shift_patterns WHERE id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (db_step(st) == DB_ROW) {
		cs = (int)db_col_int(st, 0);
		cm = (int)db_col_int(st, 1);
	}
	db_done(st);
	if (cs < 0)
		return http_fail(r, KF_ENOTFOUND, "id", "班次 %lld 不存在", "Shift pattern %lld does not exist",
				 (long long)id);
	struct pattern_in p;
	if ((rc = pattern_input_read(r, 0, cs, cm, &p)) < 0)
		return rc;
	char *br = json_dumps(p.breaks, JSON_COMPACT), *days = json_dumps(p.days, JSON_COMPACT);
	rc = db_exec(r->db,
		     "UPDATE shift_patterns SET name = COALESCE(?, name), start_min = ?, length_min = ?,"
		     " breaks = CASE WHEN ? = 1 THEN ? ELSE breaks END,"
		     " days = CASE WHEN ? = 1 THEN ? ELSE days END,"
		     " max_count = CASE WHEN ? = 1 THEN ? ELSE max_count END,"
		     " active = CASE WHEN ? = 1 THEN ? ELSE active END, updated_at = ? WHERE id = ?",
		     DB_ARGS(DBT(p.name), DBI(p.start), DBI(p.minutes), DBI(p.has[3]), DBT(br),
			     DBI(p.has[4]), DBT(days), DBI(p.has[5]), DBI(p.max_count), DBI(p.has[6]),
			     DBI(p.active), DBI(util_now_ms()), DBI(id)));
	free(br);
	free(days);
	pattern_in_free(&p);
	if (rc < 0)
		return app_db_fail(r, rc, "name");
	return pattern_respond(r, id, 200);
}

int shift_patterns_delete(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	rc = db_exec(r->db, "DELETE FROM shift_patterns WHERE id = ?", DB_ARGS(DBI(id)));
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc == 0)
		return http_fail(r, KF_ENOTFOUND, "id", "班次 %lld 不存在", "Shift pattern %lld does not exist",
				 (long long)id);
	return http_no_content(r);
}

/* ---------------------------------------------------------------- shift plan */

struct plan_pattern {
	int64_t id;
	char name[64];
	struct shift_pattern p;
	int start_min, minutes;
};

static int load_patterns(http_req *r, int weekday, json_t *ids, struct plan_pattern *out, int *n)
{
	db_stmt *st;
	*n = 0;
	if (db_query(r->db,
		     "SELECT id, name, start_min, length_min, breaks, days, max_count FROM shift_patterns"
		     " WHERE active = 1 ORDER BY start_min, id",
		     DB_ARGS(), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	while (db_step(st) == DB_ROW && *n < STAFF_MAX_PATTERNS) {
		int64_t id = db_col_int(st, 0);
		if (ids) {
			int wanted = 0;
			size_t i;
			json_t *v;
			json_array_foreach(ids, i, v) wanted |= json_integer_value(v) == id;
			if (!wanted)
				continue;
		}
		json_t *days = json_loads(db_col_text(st, 5), 0, NULL);
		int on = weekday < 0;
		size_t i;
		json_t *v;
		json_array_foreach(days, i, v) on |= json_integer_value(v) == weekday;
		json_decref(days);
		if (!on)
			continue;
		struct plan_pattern *pp = &out[(*n)++];
		memset(pp, 0, sizeof(*pp));
		pp->id = id;
		snprintf(pp->name, sizeof(pp->name), "%s", db_col_text(st, 1));
		pp->start_min = (int)db_col_int(st, 2);
		pp->minutes = (int)db_col_int(st, 3);
		pp->p.start = pp->start_min / 30;
		pp->p.length = pp->minutes / 30;
		pp->p.max_count = (int)db_col_int(st, 6);
		json_t *br = json_loads(db_col_text(st, 4), 0, NULL);
		json_array_foreach(br, i, v)
		{
			int s = calltime_parse_hhmm(json_string_value(json_object_get(v, "start")));
			int m = (int)json_integer_value(json_object_get(v, "minutes"));
			for (int k = (s - pp->start_min) / 30; s >= 0 && k < (s + m - pp->start_min) / 30; k++)
				if (k >= 0 && k < 128)
					pp->p.breaks[k / 64] |= 1ull << (k % 64);
		}
		json_decref(br);
	}
	db_done(st);
	return 0;
}

int hotline_shift_plan_post(http_req *r)
{
	struct staffing_in in;
	struct staffing_out out;
	int rc, need[NIV];
	json_t *ids = r->json ? json_object_get(r->json, "pattern_ids") : NULL;
	if (ids && !json_is_array(ids))
		return http_fail(r, KF_EINVAL, "pattern_ids", "pattern_ids 应为编号数组",
				 "pattern_ids must be an array of ids");
	int use_shrink = 1, has;
	if (r->json && (rc = in_bool(r, r->json, "use_shrinkage", &use_shrink, &has)) < 0)
		return rc;
	if ((rc = read_staffing(r, &in)) < 0 || (rc = compute_staffing(r, &in, &out)) < 0)
		return rc;
	for (int i = 0; i < NIV; i++)
		need[i] = use_shrink ? out.scheduled[i] : out.agents[i];
	struct plan_pattern pats[STAFF_MAX_PATTERNS];
	int np;
	int weekday = in.day >= 0 ? bizcal_weekday((int32_t)in.day) : -1;
	if ((rc = load_patterns(r, weekday, ids, pats, &np)) < 0)
		return rc;
	struct shift_pattern sp[STAFF_MAX_PATTERNS];
	for (int i = 0; i < np; i++)
		sp[i] = pats[i].p;
	struct shift_plan plan;
	if (staff_plan(need, NIV, sp, np, &plan) < 0)
		return http_fail(r, KF_EINVAL, "pattern_ids", "班次无效（需在一天之内并有上岗时段）",
				 "A shift pattern is invalid (it must fit the day and have working time)");
	buf b;
	buf_init(&b, 1 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "patterns");
	jw_arr(&w);
	for (int i = 0; i < np; i++) {
		jw_obj(&w);
		jw_key(&w, "id");
		jw_int(&w, pats[i].id);
		jw_key(&w, "name");
		jw_str(&w, pats[i].name);
		jw_key(&w, "count");
		jw_int(&w, plan.count[i]);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "intervals");
	jw_arr(&w);
	for (int i = 0; i < NIV; i++) {
		char l[6];
		iv_label(i, l);
		jw_obj(&w);
		jw_key(&w, "start");
		jw_str(&w, l);
		jw_key(&w, "need");
		jw_int(&w, need[i]);
		jw_key(&w, "cover");
		jw_int(&w, plan.cover[i]);
		jw_key(&w, "gap");
		jw_int(&w, plan.gap[i]);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "agents");
	jw_int(&w, plan.agents);
	jw_key(&w, "short_intervals");
	jw_int(&w, plan.short_intervals);
	write_num(&w, "agent_hours", plan.agent_intervals * 0.5, "%.1f");
	jw_key(&w, "need_basis");
	jw_str(&w, use_shrink ? "scheduled" : "on_phones");
	jw_obj_end(&w);
	return http_json_buf(r, 200, &b);
}
