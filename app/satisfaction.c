/* satisfaction.c - what the surveys measure (DOMAIN §4, issue 6): the
 * satisfaction report (CSAT, NPS, effort by period, agent, department,
 * case type, channel or tier, as JSON, CSV or .xlsx), competitors' scores
 * entered by hand, expectation sheets (客户期望表) with their gaps, and the
 * opinion-card sources (意见卡) the portal serves by slug.  The formulas
 * are core/satisfaction.c's. */
#include "app/survey.h"
#include "app/satisfaction_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/report.h"
#include "app/tz.h"
#include "core/bizcal.h"
#include "core/satisfaction.h"
#include "lib/common.h"
#include "lib/util.h"

static json_t *opt_int(db_stmt *st, int i)
{
	return db_col_null(st, i) ? json_null() : json_integer(db_col_int(st, i));
}

static int not_found(http_req *r, const char *what_zh, const char *what_en, int64_t id)
{
	return http_fail(r, KF_ENOTFOUND, "id", "%s%.0s %lld 不存在", "%.0s%s %lld does not exist",
			 what_zh, what_en, (long long)id);
}

/* ---------------------------------------------------------------- the report */

struct group {
	const char *key, *label;
	struct sat_tally t;
	int64_t responses, low;
};

static const char *zone_of(http_req *r)
{
	db_stmt *st;
	const char *z = "Asia/Shanghai";
	if (db_query(r->db, "SELECT value FROM settings WHERE key = 'business_timezone'", DB_ARGS(),
		     &st) >= 0) {
		if (db_step(st) == DB_ROW && *db_col_text(st, 0))
			z = arena_strdup(r->a, db_col_text(st, 0));
		db_done(st);
	}
	return z;
}

/* The period label of a time: day, ISO week (its Monday) or month. */
static const char *period_of(http_req *r, const char *zone, const char *gran, int64_t at)
{
	int64_t lm = 0;
	kf_err e;
	if (tz_local_min(zone, at, &lm, &e) < 0)
		lm = at / 60000;
	int32_t day = (int32_t)(lm >= 0 ? lm / 1440 : (lm - 1439) / 1440);
	if (!strcmp(gran, "week"))
		day -= bizcal_weekday(day) - 1;
	int y, m, d;
	bizcal_civil_from_days(day, &y, &m, &d);
	if (!strcmp(gran, "month"))
		return arena_printf(r->a, "%04d-%02d", y, m);
	return arena_printf(r->a, "%04d-%02d-%02d", y, m, d);
}

static json_t *scores_json(const struct group *g)
{
	struct sat_scores s;
	sat_scores(&g->t, &s);
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:I, s:o, s:I, s:o}",
			 "key", g->key, "label", g->label, "responses", (json_int_t)g->responses, "low",
			 (json_int_t)g->low, "csat_n", (json_int_t)s.csat_n, "satisfied",
			 (json_int_t)s.satisfied, "csat_bp",
			 s.csat_n ? json_integer(s.csat_bp) : json_null(), "nps_n",
			 (json_int_t)s.nps_n, "promoters", (json_int_t)s.promoters, "passives",
			 (json_int_t)s.passives, "detractors", (json_int_t)s.detractors, "nps_bp",
			 s.nps_n ? json_integer(s.nps_bp) : json_null(), "effort_n",
			 (json_int_t)s.effort_n, "effort_x100",
			 s.effort_n ? json_integer(s.effort_x100) : json_null());
}

struct by_dim {
	const char *name;
	const char *key_sql, *label_sql, *join;
};

static const struct by_dim dims[] = {
	{"period", "''", "''", ""},
	{"agent", "CAST(COALESCE(s.agent_id, 0) AS TEXT)", "COALESCE(u.display_name, '')",
	 " LEFT JOIN users u ON u.id = s.agent_id"},
	{"department", "CAST(COALESCE(s.department_id, 0) AS TEXT)", "COALESCE(d.name, '')",
	 " LEFT JOIN departments d ON d.id = s.department_id"},
	{"case_type", "s.case_type", "s.case_type", ""},
	{"channel", "s.channel", "s.channel", ""},
	{"tier", "s.tier", "s.tier", ""},
	{0},
};

static const struct rep_col sat_cols[] = {
	{"分组", "Group", REP_TEXT},          {"答卷", "Responses", REP_INT},
	{"低分", "Low scores", REP_INT},      {"CSAT 样本", "CSAT answers", REP_INT},
	{"满意率", "CSAT", REP_SHARE},        {"NPS 样本", "NPS answers", REP_INT},
	{"推荐者", "Promoters", REP_INT},     {"中立者", "Passives", REP_INT},
	{"贬损者", "Detractors", REP_INT},    {"NPS", "NPS", REP_SHARE},
	{"费力度样本", "Effort answers", REP_INT}, {"平均费力度", "Mean effort", REP_TEXT},
};

static void table_row(http_req *r, struct rep_table *t, const struct group *g)
{
	struct sat_scores s;
	sat_scores(&g->t, &s);
	struct rep_cell *c = rep_row(t);
	c[0].s = *g->label ? g->label : g->key;
	c[1].i = g->responses;
	c[2].i = g->low;
	c[3].i = s.csat_n;
	c[4].d = s.csat_n ? s.csat_bp / 10000.0 : 0;
	c[5].i = s.nps_n;
	c[6].i = s.promoters;
	c[7].i = s.passives;
	c[8].i = s.detractors;
	c[9].d = s.nps_n ? s.nps_bp / 10000.0 : 0;
	c[10].i = s.effort_n;
	c[11].s = s.effort_n ? arena_printf(r->a, "%lld.%02lld", (long long)(s.effort_x100 / 100),
					    (long long)(s.effort_x100 % 100))
			     : "";
}

/* GET /api/reports/satisfaction?by=&from=&to=&granularity=day|week|month&format= */
int report_satisfaction(http_req *r)
{
	int64_t now = util_now_ms(), from, to;
	int rc, fmt;
	if ((rc = rep_format(r, &fmt)) < 0 ||
	    (rc = rep_range(r, now - 90 * SURVEY_DAY_MS, now + 1, &from, &to)) < 0)
		return rc;
	const char *by = http_query(r, "by"), *gran = http_query(r, "granularity");
	if (!by || !*by)
		by = "period";
	if (!gran || !*gran)
		gran = "month";
	const struct by_dim *dim = dims;
	while (dim->name && strcmp(dim->name, by))
		dim++;
	if (!dim->name)
		return http_fail(r, KF_EINVAL, "by",
				 "参数 by 只能是 period、agent、department、case_type、channel 或 tier",
				 "The parameter by is period, agent, department, case_type, channel or tier");
	if (strcmp(gran, "day") && strcmp(gran, "week") && strcmp(gran, "month"))
		return http_fail(r, KF_EINVAL, "granularity", "参数 granularity 只能是 day、week 或 month",
				 "The parameter granularity is day, week or month");
	int by_period = !strcmp(by, "period");
	const char *zone = zone_of(r);
	char *sql = arena_printf(r->a,
				 "SELECT %s, %s, s.csat, s.nps, s.effort, s.created_at FROM survey_responses s%s"
				 " WHERE s.created_at >= ? AND s.created_at < ? ORDER BY %s, s.created_at",
				 dim->key_sql, dim->label_sql, dim->join, by_period ? "s.created_at" : "1");
	db_stmt *st;
	if (db_query(r->db, sql, DB_ARGS(DBI(from), DBI(to)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	size_t n = 0, cap = 16;
	struct group *g = arena_zalloc(r->a, cap * sizeof(*g)), total;
	memset(&total, 0, sizeof(total));
	total.key = "total";
	total.label = r->lang_en ? "Total" : "合计";
	while ((rc = db_step(st)) == DB_ROW) {
		const char *key = by_period ? period_of(r, zone, gran, db_col_int(st, 5))
					    : db_col_text(st, 0);
		if (!n || strcmp(g[n - 1].key, key)) {
			if (n == cap) {
				struct group *ng = arena_zalloc(r->a, 2 * cap * sizeof(*g));
				memcpy(ng, g, cap * sizeof(*g));
				g = ng;
				cap *= 2;
			}
			g[n].key = arena_strdup(r->a, key);
			g[n].label = by_period ? g[n].key : arena_strdup(r->a, db_col_text(st, 1));
			n++;
		}
		int csat = db_col_null(st, 2) ? -1 : (int)db_col_int(st, 2);
		int nps = db_col_null(st, 3) ? -1 : (int)db_col_int(st, 3);
		int effort = db_col_null(st, 4) ? -1 : (int)db_col_int(st, 4);
		struct group *x = &g[n - 1];
		sat_add(&x->t, csat, nps, effort);
		sat_add(&total.t, csat, nps, effort);
		x->responses++;
		total.responses++;
		if (sat_is_low(csat, nps)) {
			x->low++;
			total.low++;
		}
	}
	db_done(st);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (fmt != REP_JSON) {
		struct rep_table t;
		rep_init(&t, r->a, "satisfaction", "满意度", "Satisfaction", sat_cols,
			 (int)KF_ARRAY_LEN(sat_cols));
		rep_info(&t, "by", by);
		rep_info(&t, "from", rep_time_text(r->a, from));
		rep_info(&t, "to", rep_time_text(r->a, to));
		for (size_t i = 0; i < n; i++)
			table_row(r, &t, &g[i]);
		table_row(r, &t, &total);
		return rep_send(r, &t, fmt);
	}
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, scores_json(&g[i]));
	json_t *comp = json_array();
	if (db_query(r->db,
		     "SELECT competitor, period, measure, score FROM competitor_scores"
		     " ORDER BY competitor, period, measure LIMIT 1000",
		     DB_ARGS(), &st) >= 0) {
		while (db_step(st) == DB_ROW)
			json_array_append_new(comp, json_pack("{s:s, s:s, s:s, s:I}", "competitor",
							      db_col_text(st, 0), "period",
							      db_col_text(st, 1), "measure",
							      db_col_text(st, 2), "score",
							      (json_int_t)db_col_int(st, 3)));
		db_done(st);
	}
	return rep_json(r, json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o}", "by", by, "granularity",
				     gran, "from", (json_int_t)from, "to", (json_int_t)to, "rows", rows,
				     "total", scores_json(&total), "competitors", comp));
}

/* One question's counts: per value of a scale, per option of a choice, and
 * the latest texts. */
struct qres {
	const char *key;
	int kind, lo, hi;
	int64_t answered;
	int64_t hist[11];
	json_t *opts; /* {option key: count} */
	json_t *texts;
};

/* GET /api/reports/survey-results?template_id=&from=&to= : per question of a
 * template, how it was answered in the period (the template editor's
 * results tab): score histograms with CSAT / NPS / effort, option counts,
 * the 20 latest texts. */
int report_survey_results(http_req *r)
{
	int64_t now = util_now_ms(), from, to, tpl, responses = 0;
	int rc;
	if ((rc = in_query_int(r, "template_id", 1, INT64_MAX, 0, &tpl)) < 0 ||
	    (rc = rep_range(r, now - 90 * SURVEY_DAY_MS, now + 1, &from, &to)) < 0)
		return rc;
	if (!tpl)
		return http_fail(r, KF_EINVAL, "template_id", "缺少参数 template_id",
				 "The parameter template_id is required");
	db_stmt *st;
	json_t *qs = NULL;
	const char *name = NULL;
	if (db_query(r->db, "SELECT name, questions FROM survey_templates WHERE id = ?",
		     DB_ARGS(DBI(tpl)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = db_step(st)) == DB_ROW) {
		name = arena_strdup(r->a, db_col_text(st, 0));
		qs = json_loads(db_col_text(st, 1), 0, NULL);
	}
	db_done(st);
	if (!qs)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_EINVAL, "template_id", "问卷模板 %lld 不存在",
					  "Survey template %lld does not exist", (long long)tpl);
	size_t nq = json_array_size(qs);
	struct qres *q = arena_zalloc(r->a, (nq ? nq : 1) * sizeof(*q));
	for (size_t i = 0; i < nq; i++) {
		json_t *o = json_array_get(qs, i);
		q[i].key = json_string_value(json_object_get(o, "key"));
		q[i].kind = sat_kind_parse(json_string_value(json_object_get(o, "kind")));
		if (sat_scale(q[i].kind, &q[i].lo, &q[i].hi) < 0)
			q[i].lo = 1, q[i].hi = 0;
		q[i].opts = json_object();
		q[i].texts = json_array();
		json_t *op;
		size_t j;
		json_array_foreach(json_object_get(o, "options"), j, op)
		json_object_set_new(q[i].opts, json_string_value(json_object_get(op, "key")), json_integer(0));
	}
	if (db_query_int(r->db,
			 "SELECT COUNT(*) FROM survey_responses WHERE template_id = ? AND created_at >= ?"
			 " AND created_at < ?",
			 DB_ARGS(DBI(tpl), DBI(from), DBI(to)), &responses) < 0 ||
	    db_query(r->db,
		     "SELECT a.question_key, a.value_int, a.value_text FROM survey_answers a JOIN"
		     " survey_responses s ON s.id = a.response_id WHERE s.template_id = ? AND"
		     " s.created_at >= ? AND s.created_at < ? ORDER BY a.id DESC",
		     DB_ARGS(DBI(tpl), DBI(from), DBI(to)), &st) < 0) {
		json_decref(qs);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	while ((rc = db_step(st)) == DB_ROW) {
		const char *k = db_col_text(st, 0), *text = db_col_text(st, 2);
		size_t i = 0;
		while (i < nq && strcmp(q[i].key, k))
			i++;
		if (i == nq)
			continue;
		q[i].answered++;
		if (q[i].lo <= q[i].hi && !db_col_null(st, 1)) {
			int64_t v = db_col_int(st, 1);
			if (v >= q[i].lo && v <= q[i].hi)
				q[i].hist[v - q[i].lo]++;
		} else if (q[i].kind == SAT_TEXT) {
			if (*text && json_array_size(q[i].texts) < 20)
				json_array_append_new(q[i].texts, json_string(text));
		} else {
			/* choices: one key, or several separated by commas (keys have none) */
			const char *p = text;
			while (*p) {
				size_t n = strcspn(p, ",");
				char *opt = arena_strndup(r->a, p, n);
				json_t *c = json_object_get(q[i].opts, opt);
				if (c)
					json_integer_set(c, json_integer_value(c) + 1);
				p += n + (p[n] == ',');
			}
		}
	}
	db_done(st);
	json_t *items = json_array();
	for (size_t i = 0; i < nq; i++) {
		json_t *o = json_pack("{s:s, s:s, s:I}", "key", q[i].key, "kind",
				      sat_kind_name(q[i].kind) ? sat_kind_name(q[i].kind) : "", "answered",
				      (json_int_t)q[i].answered);
		if (q[i].lo <= q[i].hi) {
			json_t *h = json_array();
			struct sat_tally t;
			memset(&t, 0, sizeof(t));
			for (int v = q[i].lo; v <= q[i].hi; v++) {
				json_array_append_new(h, json_pack("{s:i, s:I}", "value", v, "count",
								   (json_int_t)q[i].hist[v - q[i].lo]));
				for (int64_t c = 0; c < q[i].hist[v - q[i].lo]; c++)
					sat_add(&t, q[i].kind == SAT_CSAT ? v : -1, q[i].kind == SAT_NPS ? v : -1,
						q[i].kind == SAT_EFFORT ? v : -1);
			}
			struct sat_scores sc;
			sat_scores(&t, &sc);
			json_object_set_new(o, "histogram", h);
			json_object_set_new(o, "score",
					    q[i].kind == SAT_CSAT   ? (sc.csat_n ? json_integer(sc.csat_bp) : json_null())
					    : q[i].kind == SAT_NPS  ? (sc.nps_n ? json_integer(sc.nps_bp) : json_null())
								    : (sc.effort_n ? json_integer(sc.effort_x100) : json_null()));
		}
		if (q[i].kind == SAT_SINGLE || q[i].kind == SAT_MULTIPLE)
			json_object_set(o, "options", q[i].opts);
		if (q[i].kind == SAT_TEXT)
			json_object_set(o, "latest", q[i].texts);
		json_decref(q[i].opts);
		json_decref(q[i].texts);
		json_array_append_new(items, o);
	}
	json_decref(qs); /* q[i].key pointed into it: released last */
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200, json_pack("{s:I, s:s, s:I, s:I, s:I, s:o}", "template_id",
					   (json_int_t)tpl, "name", name, "from", (json_int_t)from, "to",
					   (json_int_t)to, "responses", (json_int_t)responses,
					   "questions", items));
}

/* GET /api/reports/expectation-gaps?from=&to= : per attribute, over the
 * sheets changed in the period, the mean expected and perceived levels and
 * gap (hundredths) and how many gaps are large (<= -2): the radar chart. */
int report_expectation_gaps(http_req *r)
{
	int64_t now = util_now_ms(), from, to;
	int rc;
	if ((rc = rep_range(r, now - 365 * SURVEY_DAY_MS, now + 1, &from, &to)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT i.attribute, COUNT(*), SUM(i.expected_level), SUM(i.perceived_level),"
		     " SUM(CASE WHEN i.perceived_level - i.expected_level <= ? THEN 1 ELSE 0 END),"
		     " COUNT(DISTINCT s.customer_id) FROM expectation_items i JOIN expectation_sheets s"
		     " ON s.id = i.sheet_id WHERE i.perceived_level IS NOT NULL AND s.updated_at >= ?"
		     " AND s.updated_at < ? GROUP BY i.attribute ORDER BY i.attribute",
		     DB_ARGS(DBI(SAT_GAP_ALERT), DBI(from), DBI(to)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t n = db_col_int(st, 1), e = db_col_int(st, 2), p = db_col_int(st, 3);
		json_array_append_new(
			items, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "attribute",
					 db_col_text(st, 0), "n", (json_int_t)n, "customers",
					 (json_int_t)db_col_int(st, 5), "expected_x100",
					 (json_int_t)sat_ratio_bp(e, n * 100), "perceived_x100",
					 (json_int_t)sat_ratio_bp(p, n * 100), "gap_x100",
					 (json_int_t)sat_ratio_bp(p - e, n * 100), "large_negative",
					 (json_int_t)db_col_int(st, 4)));
	}
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200, json_pack("{s:I, s:I, s:o}", "from", (json_int_t)from, "to",
					   (json_int_t)to, "items", items));
}

/* ---------------------------------------------------------------- competitors */

#define COMP_SELECT                                                                                \
	"SELECT id, competitor, period, measure, score, source, created_by, created_at, updated_at" \
	" FROM competitor_scores"

static json_t *comp_json(db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:o, s:I, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "competitor", db_col_text(st, 1), "period",
			 db_col_text(st, 2), "measure", db_col_text(st, 3), "score",
			 (json_int_t)db_col_int(st, 4), "source", db_col_text(st, 5), "created_by",
			 opt_int(st, 6), "created_at", (json_int_t)db_col_int(st, 7), "updated_at",
			 (json_int_t)db_col_int(st, 8));
}

static int comp_respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, COMP_SELECT " WHERE id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? comp_json(st) : NULL;
	db_done(st);
	if (!o)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : not_found(r, "竞争对手分数", "Competitor score", id);
	return http_json(r, status, o);
}

/* GET /api/competitor-scores?competitor=&measure= */
int competitor_scores_list(http_req *r)
{
	const char *c = http_query(r, "competitor"), *m = http_query(r, "measure");
	db_stmt *st;
	if (db_query(r->db,
		     COMP_SELECT " WHERE competitor = COALESCE(CAST(? AS TEXT), competitor) AND"
				 " measure = COALESCE(CAST(? AS TEXT), measure)"
				 " ORDER BY competitor, period, measure LIMIT 2000",
		     DB_ARGS(DBT(c && *c ? c : NULL), DBT(m && *m ? m : NULL)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, comp_json(st));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

/* POST /api/competitor-scores {competitor, period, measure, score, source} */
int competitor_scores_create(http_req *r)
{
	struct competitor_input c;
	int64_t id = 0;
	int rc = competitor_input_read(r, 1, &c);
	if (rc < 0)
		return rc;
	const char *comp = c.competitor, *period = c.period, *measure = c.measure;
	const char *source = c.source;
	int64_t score = c.score;
	int64_t now = util_now_ms();
	db_stmt *st;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_query(r->db,
		      "INSERT INTO competitor_scores (competitor, period, measure, score, source,"
		      " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		      DB_ARGS(DBT(comp), DBT(period), DBT(measure), DBI(score),
			      DBT(source ? source : ""), DBI(r->user.id), DBI(now), DBI(now)),
		      &st);
	if (rc >= 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			id = db_col_int(st, 0);
		db_done(st);
	}
	if (rc == DB_EUNIQUE) {
		db_rollback(r->db);
		return http_fail(r, KF_ECONFLICT, "period", "%s 在 %s 的 %s 已经录入过，请修改那一条",
				 "%s already has a %.0s%s score for %s; change that one", comp, period,
				 measure, period);
	}
	if (rc != DB_ROW || audit_write(r->db, "competitor_score", id, "create", r->user.id, r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, rc < 0 ? rc : DB_EFAIL, NULL);
	return comp_respond(r, id, 201);
}

/* PATCH /api/competitor-scores/{id} {score, source} */
int competitor_scores_patch(http_req *r)
{
	int64_t id;
	struct competitor_input c;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = competitor_input_read(r, 0, &c)) < 0)
		return rc;
	int64_t score = c.score;
	const char *source = c.source;
	int has_score = c.has_score;
	db_stmt *st;
	if (db_begin(r->db) < 0 ||
	    db_query(r->db, "SELECT measure FROM competitor_scores WHERE id = ?", DB_ARGS(DBI(id)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_step(st);
	const char *measure = rc == DB_ROW ? arena_strdup(r->a, db_col_text(st, 0)) : NULL;
	db_done(st);
	if (!measure) {
		db_rollback(r->db);
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : not_found(r, "竞争对手分数", "Competitor score", id);
	}
	if (has_score && (rc = competitor_score_check(r, measure, score)) < 0) {
		db_rollback(r->db);
		return rc;
	}
	if (db_exec(r->db,
		    "UPDATE competitor_scores SET score = COALESCE(CAST(? AS BIGINT), score),"
		    " source = COALESCE(CAST(? AS TEXT), source), updated_at = ? WHERE id = ?",
		    DB_ARGS(has_score ? DBI(score) : DBNULL, DBT(source), DBI(util_now_ms()),
			    DBI(id))) != 1 ||
	    audit_write(r->db, "competitor_score", id, "update", r->user.id, r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return comp_respond(r, id, 200);
}

/* DELETE /api/competitor-scores/{id} */
int competitor_scores_delete(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_exec(r->db, "DELETE FROM competitor_scores WHERE id = ?", DB_ARGS(DBI(id)));
	if (rc == 0) {
		db_rollback(r->db);
		return not_found(r, "竞争对手分数", "Competitor score", id);
	}
	if (rc < 0 || audit_write(r->db, "competitor_score", id, "delete", r->user.id, NULL) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_no_content(r);
}

/* ---------------------------------------------------------------- expectation sheets */

static json_t *sheet_items(db *d, int64_t sheet_id, int64_t *gap_sum, int64_t *gap_n, int *worst)
{
	json_t *a = json_array();
	db_stmt *st;
	*gap_sum = *gap_n = 0;
	*worst = 0;
	if (db_query(d,
		     "SELECT attribute, expected_level, expected_words, perceived_level, perceived_words"
		     " FROM expectation_items WHERE sheet_id = ? ORDER BY id",
		     DB_ARGS(DBI(sheet_id)), &st) < 0)
		return a;
	while (db_step(st) == DB_ROW) {
		int e = (int)db_col_int(st, 1);
		int has_p = !db_col_null(st, 3);
		int gap = has_p ? sat_gap(e, (int)db_col_int(st, 3)) : 0;
		if (has_p) {
			*gap_sum += gap;
			(*gap_n)++;
			if (gap < *worst)
				*worst = gap;
		}
		json_array_append_new(
			a, json_pack("{s:s, s:i, s:s, s:o, s:s, s:o}", "attribute", db_col_text(st, 0),
				     "expected_level", e, "expected_words", db_col_text(st, 2),
				     "perceived_level", opt_int(st, 3), "perceived_words",
				     db_col_text(st, 4), "gap", has_p ? json_integer(gap) : json_null()));
	}
	db_done(st);
	return a;
}

#define SHEET_SELECT                                                                               \
	"SELECT s.id, s.customer_id, c.name, s.case_id, s.title, s.followup_id, s.created_by,"    \
	" s.created_at, s.updated_at FROM expectation_sheets s JOIN customers c ON c.id = s.customer_id"

static json_t *sheet_row(db_stmt *st)
{
	return json_pack("{s:I, s:I, s:s, s:o, s:s, s:o, s:o, s:I, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "customer_id", (json_int_t)db_col_int(st, 1),
			 "customer_name", db_col_text(st, 2), "case_id", opt_int(st, 3), "title",
			 db_col_text(st, 4), "followup_id", opt_int(st, 5), "created_by",
			 opt_int(st, 6), "created_at", (json_int_t)db_col_int(st, 7), "updated_at",
			 (json_int_t)db_col_int(st, 8));
}

/* Adds items and the gaps per customer sheet: sum, mean (hundredths),
 * the worst, and whether it calls for action. */
static void sheet_complete(db *d, json_t *o)
{
	int64_t sum, n;
	int worst;
	json_t *items = sheet_items(d, json_integer_value(json_object_get(o, "id")), &sum, &n, &worst);
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "gap_total", json_integer(sum));
	json_object_set_new(o, "gap_mean_x100", n ? json_integer(sat_ratio_bp(sum, n * 100)) : json_null());
	json_object_set_new(o, "gap_worst", n ? json_integer(worst) : json_null());
	json_object_set_new(o, "alert", json_boolean(n && worst <= SAT_GAP_ALERT));
}

static int sheet_respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, SHEET_SELECT " WHERE s.id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? sheet_row(st) : NULL;
	db_done(st);
	if (!o)
		return rc < 0 ? app_db_fail(r, rc, NULL) : not_found(r, "期望表", "Expectation sheet", id);
	sheet_complete(r->db, o);
	return http_json(r, status, o);
}

int expectation_sheets_get(http_req *r)
{
	int64_t id;
	int rc = http_param_id(r, 0, &id);
	return rc < 0 ? rc : sheet_respond(r, id, 200);
}

/* GET /api/expectation-sheets?customer_id=&limit= ; newest first. */
int expectation_sheets_list(http_req *r)
{
	int64_t customer_id, limit;
	int rc;
	if ((rc = in_query_int(r, "customer_id", 0, INT64_MAX, 0, &customer_id)) < 0 ||
	    (rc = in_query_int(r, "limit", 1, 200, 50, &limit)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db,
		     SHEET_SELECT " WHERE s.customer_id = COALESCE(CAST(? AS BIGINT), s.customer_id)"
				  " ORDER BY s.id DESC LIMIT ?",
		     DB_ARGS(customer_id ? DBI(customer_id) : DBNULL, DBI(limit)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, sheet_row(st));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	size_t i;
	json_t *o;
	json_array_foreach(items, i, o) sheet_complete(r->db, o);
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

/* Replaces the items; raises a follow-up the first time a gap is large. */
static int items_store(http_req *r, int64_t id, int64_t customer_id, int64_t case_id,
		       json_t *items, int64_t now)
{
	json_t *it;
	size_t i;
	int worst = 0;
	if (db_exec(r->db, "DELETE FROM expectation_items WHERE sheet_id = ?", DB_ARGS(DBI(id))) < 0)
		return -1;
	json_array_foreach(items, i, it)
	{
		json_t *p = json_object_get(it, "perceived_level");
		int e = (int)json_integer_value(json_object_get(it, "expected_level"));
		if (json_is_integer(p) && sat_gap(e, (int)json_integer_value(p)) < worst)
			worst = sat_gap(e, (int)json_integer_value(p));
		const char *ew = json_string_value(json_object_get(it, "expected_words"));
		const char *pw = json_string_value(json_object_get(it, "perceived_words"));
		if (db_exec(r->db,
			    "INSERT INTO expectation_items (sheet_id, attribute, expected_level,"
			    " expected_words, perceived_level, perceived_words) VALUES (?, ?, ?, ?, ?, ?)",
			    DB_ARGS(DBI(id), DBT(json_string_value(json_object_get(it, "attribute"))),
				    DBI(e), DBT(ew ? ew : ""),
				    json_is_integer(p) ? DBI(json_integer_value(p)) : DBNULL,
				    DBT(pw ? pw : ""))) < 0)
			return -1;
	}
	if (worst <= SAT_GAP_ALERT) {
		int64_t f = survey_followup(
			r->db, "expectation_gap", arena_printf(r->a, "expectation:%lld", (long long)id),
			customer_id, case_id, r->user.id,
			arena_printf(r->a, "期望差距回访（差距 %d）", worst), now);
		if (f < 0 || (f && db_exec(r->db, "UPDATE expectation_sheets SET followup_id = ? WHERE id = ?",
					   DB_ARGS(DBI(f), DBI(id))) < 0))
			return -1;
	}
	return 0;
}

/* POST /api/expectation-sheets {customer_id, case_id?, title?, items} */
int expectation_sheets_create(http_req *r)
{
	struct sheet_input in;
	int64_t x, id = 0;
	int rc = sheet_input_read(r, 1, &in);
	if (rc < 0)
		return rc;
	int64_t customer_id = in.customer_id, case_id = in.case_id;
	const char *title = in.title;
	if (db_query_int(r->db, "SELECT id FROM customers WHERE id = ? AND archived_at IS NULL",
			 DB_ARGS(DBI(customer_id)), &x) != DB_ROW)
		return http_fail(r, KF_EINVAL, "customer_id", "客户 %lld 不存在",
				 "Customer %lld does not exist", (long long)customer_id);
	if (case_id && (db_query_int(r->db, "SELECT customer_id FROM cases WHERE id = ?",
				     DB_ARGS(DBI(case_id)), &x) != DB_ROW ||
			x != customer_id))
		return http_fail(r, KF_EINVAL, "case_id", "工单 %lld 不存在或不属于该客户",
				 "Case %lld does not exist or is another customer's", (long long)case_id);
	int64_t now = util_now_ms();
	db_stmt *st;
	if (db_begin(r->db) < 0 ||
	    db_query(r->db,
		     "INSERT INTO expectation_sheets (customer_id, case_id, title, created_by,"
		     " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		     DB_ARGS(DBI(customer_id), case_id ? DBI(case_id) : DBNULL, DBT(title ? title : ""),
			     DBI(r->user.id), DBI(now), DBI(now)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = db_step(st)) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW || items_store(r, id, customer_id, case_id, json_object_get(r->json, "items"), now) < 0 ||
	    audit_write(r->db, "customer", customer_id, "expectation_sheet", r->user.id, r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return sheet_respond(r, id, 201);
}

/* PATCH /api/expectation-sheets/{id} {title?, items?}: the items whole
 * (after delivery: the same attributes with perceived levels). */
int expectation_sheets_patch(http_req *r)
{
	int64_t id, customer_id = 0;
	struct sheet_input in;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = sheet_input_read(r, 0, &in)) < 0)
		return rc;
	const char *title = in.title;
	json_t *items = in.items;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int64_t case_id = 0;
	db_stmt *st;
	if (db_query(r->db, "SELECT customer_id, COALESCE(case_id, 0) FROM expectation_sheets WHERE id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = db_step(st)) == DB_ROW) {
		customer_id = db_col_int(st, 0);
		case_id = db_col_int(st, 1);
	}
	db_done(st);
	if (rc != DB_ROW) {
		db_rollback(r->db);
		return rc < 0 ? app_db_fail(r, rc, NULL) : not_found(r, "期望表", "Expectation sheet", id);
	}
	int64_t now = util_now_ms();
	if (db_exec(r->db,
		    "UPDATE expectation_sheets SET title = COALESCE(CAST(? AS TEXT), title),"
		    " updated_at = ? WHERE id = ?",
		    DB_ARGS(DBT(title), DBI(now), DBI(id))) != 1 ||
	    (items && items_store(r, id, customer_id, case_id, items, now) < 0) ||
	    audit_write(r->db, "customer", customer_id, "expectation_sheet", r->user.id, r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return sheet_respond(r, id, 200);
}

/* ---------------------------------------------------------------- opinion sources */

#define SRC_SELECT                                                                                 \
	"SELECT o.id, o.slug, o.name, o.template_id, o.active, o.created_at, o.updated_at,"       \
	" (SELECT COUNT(*) FROM survey_responses s WHERE s.source_id = o.id) FROM opinion_sources o"

static json_t *src_json(http_req *r, db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:b, s:I, s:I, s:I, s:s}", "id",
			 (json_int_t)db_col_int(st, 0), "slug", db_col_text(st, 1), "name",
			 db_col_text(st, 2), "template_id", (json_int_t)db_col_int(st, 3), "active",
			 (int)db_col_int(st, 4), "created_at", (json_int_t)db_col_int(st, 5),
			 "updated_at", (json_int_t)db_col_int(st, 6), "responses",
			 (json_int_t)db_col_int(st, 7), "url",
			 arena_printf(r->a, "/portal/card/%s", db_col_text(st, 1)));
}

static int src_respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, SRC_SELECT " WHERE o.id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? src_json(r, st) : NULL;
	db_done(st);
	if (!o)
		return rc < 0 ? app_db_fail(r, rc, NULL) : not_found(r, "意见卡", "Opinion card", id);
	return http_json(r, status, o);
}

int opinion_sources_list(http_req *r)
{
	db_stmt *st;
	if (db_query(r->db, SRC_SELECT " ORDER BY o.id", DB_ARGS(), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, src_json(r, st));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

static int template_active(http_req *r, int64_t tpl)
{
	int64_t x;
	if (db_query_int(r->db, "SELECT id FROM survey_templates WHERE id = ? AND active = 1",
			 DB_ARGS(DBI(tpl)), &x) != DB_ROW)
		return http_fail(r, KF_EINVAL, "template_id", "问卷模板 %lld 不存在或已停用",
				 "Survey template %lld does not exist or is archived", (long long)tpl);
	return 0;
}

/* POST /api/opinion-sources {slug, name, template_id} */
int opinion_sources_create(http_req *r)
{
	struct opinion_source_input in;
	int64_t id = 0;
	int rc;
	if ((rc = opinion_source_input_read(r, 1, &in)) < 0)
		return rc;
	const char *slug = in.slug, *name = in.name;
	int64_t tpl = in.template_id;
	if ((rc = template_active(r, tpl)) < 0)
		return rc;
	int64_t now = util_now_ms();
	db_stmt *st;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_query(r->db,
		      "INSERT INTO opinion_sources (slug, name, template_id, created_at, updated_at)"
		      " VALUES (?, ?, ?, ?, ?) RETURNING id",
		      DB_ARGS(DBT(slug), DBT(name), DBI(tpl), DBI(now), DBI(now)), &st);
	if (rc >= 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			id = db_col_int(st, 0);
		db_done(st);
	}
	if (rc == DB_EUNIQUE) {
		db_rollback(r->db);
		return http_fail(r, KF_ECONFLICT, "slug", "slug %s 已被使用", "The slug %s is taken", slug);
	}
	if (rc != DB_ROW || audit_write(r->db, "opinion_source", id, "create", r->user.id, r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, rc < 0 ? rc : DB_EFAIL, NULL);
	return src_respond(r, id, 201);
}

/* PATCH /api/opinion-sources/{id} {name, template_id, active} (the slug
 * is printed on QR codes: it does not change) */
int opinion_sources_patch(http_req *r)
{
	int64_t id;
	struct opinion_source_input in;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = opinion_source_input_read(r, 0, &in)) < 0 ||
	    (in.template_id && (rc = template_active(r, in.template_id)) < 0))
		return rc;
	const char *name = in.name;
	int64_t tpl = in.template_id;
	int b = in.active, has_b = in.has_active;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_exec(r->db,
		     "UPDATE opinion_sources SET name = COALESCE(CAST(? AS TEXT), name),"
		     " template_id = COALESCE(CAST(? AS BIGINT), template_id),"
		     " active = COALESCE(CAST(? AS INTEGER), active), updated_at = ? WHERE id = ?",
		     DB_ARGS(DBT(name), tpl ? DBI(tpl) : DBNULL,
			     has_b ? DBI(b) : DBNULL, DBI(util_now_ms()), DBI(id)));
	if (rc == 0) {
		db_rollback(r->db);
		return not_found(r, "意见卡", "Opinion card", id);
	}
	if (rc < 0 || audit_write(r->db, "opinion_source", id, "update", r->user.id, r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return src_respond(r, id, 200);
}
