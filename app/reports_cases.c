/* reports_cases.c - the service reports a supervisor expects (DOMAIN §6)
 * over the cases of a period: complaints by root cause (a Pareto),
 * department, channel and emotion; case volumes and SLA compliance by
 * week; follow-up coverage and timeliness after handling.  JSON for the
 * charts, or the table as .xlsx / CSV.
 *
 * A case belongs to the period by the moment the customer contacted us
 * (received_at), except in the follow-up report, where it is when
 * handling finished (handled_at).  SLA targets are the due times stored
 * on the case (moved by pauses; a target missed before a pause stays
 * missed): met when done by then, breached when done later or not done
 * and past due (unless waiting on the customer now), pending otherwise;
 * compliance is met / (met + breached). */
#include "app/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_rules.h"
#include "core/segment.h"
#include "lib/common.h"
#include "lib/util.h"

#define WEEK_MS 604800000LL
/* Weeks start on Monday 00:00 China time: (t + WEEK_SHIFT) / WEEK_MS
 * counts them from Monday 1969-12-29 (1970-01-01 was a Thursday). */
#define WEEK_SHIFT (8LL * 3600000 + 3LL * 86400000)
#define FOLLOW_UP_MS (3LL * 86400000) /* a follow-up within three days */

/* Period (default: the last three months) and the optional case type. */
static int case_scope(http_req *r, int64_t *from, int64_t *to, const char **type,
		      const char *dflt_type)
{
	int64_t now = util_now_ms();
	int rc = rep_range(r, seg_months_before(now, 3), now + 1, from, to);
	if (rc < 0)
		return rc;
	*type = http_query(r, "type");
	if (!*type || !**type)
		*type = dflt_type;
	if (*type && strcmp(*type, "all")) {
		kf_err e;
		kf_err_clear(&e);
		if (case_class_check("case_type", "type", *type, &e) < 0)
			return in_err(r, &e);
	} else {
		*type = NULL;
	}
	return 0;
}

static const char *label_of(const char *set, const char *code, int en)
{
	const struct class_value *v = class_value(case_set(set), code);
	return v ? (en ? v->en : v->zh) : code;
}

/* ---- complaints by root cause, department, channel, emotion ------------------- */

struct dim {
	const char *name;
	const char *sql; /* key, label_zh, label_en, count; ? type, from, to */
	const char *set; /* vocabulary for the labels, or NULL when the SQL has them */
};

static const struct dim dims[] = {
	{"root_cause",
	 "SELECT COALESCE(rc.code, ''), COALESCE(rc.name_zh, ''), COALESCE(rc.name_en, ''), COUNT(*)"
	 " FROM cases c LEFT JOIN root_causes rc ON rc.id = c.root_cause_id WHERE %s"
	 " GROUP BY rc.code, rc.name_zh, rc.name_en",
	 NULL},
	{"department",
	 "SELECT COALESCE(CAST(d.id AS TEXT), ''), COALESCE(d.name, ''), COALESCE(d.name, ''),"
	 " COUNT(*) FROM cases c LEFT JOIN departments d ON d.id = c.department_id WHERE %s"
	 " GROUP BY d.id, d.name",
	 NULL},
	{"channel", "SELECT c.channel, '', '', COUNT(*) FROM cases c WHERE %s GROUP BY c.channel",
	 "channel"},
	{"emotion", "SELECT c.emotion, '', '', COUNT(*) FROM cases c WHERE %s GROUP BY c.emotion",
	 "emotion"},
};

struct bucket {
	const char *key, *zh, *en;
	int64_t n;
};

static int by_count(const void *a, const void *b)
{
	const struct bucket *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

static const struct rep_col dim_cols[] = {
	{"分类", "Category", REP_TEXT},
	{"工单数", "Cases", REP_INT},
	{"占比", "Share", REP_SHARE},
	{"累计占比", "Cumulative share", REP_SHARE},
};

/* Reads the buckets of one dimension, largest first. */
static int read_buckets(http_req *r, const struct dim *d, const char *type, int64_t from,
			int64_t to, struct bucket **out, size_t *n)
{
	const char *where = type ? "c.type = ? AND c.received_at >= ? AND c.received_at < ?"
				 : "c.received_at >= ? AND c.received_at < ?";
	db_val args[3];
	int na = 0;
	if (type)
		args[na++] = DBT(type);
	args[na++] = DBI(from);
	args[na++] = DBI(to);
	db_stmt *st;
	if (db_query(r->db, arena_printf(r->a, d->sql, where), args, na, &st) < 0)
		return DB_EFAIL;
	size_t cap = 16;
	struct bucket *b = arena_alloc(r->a, cap * sizeof(*b));
	int rc;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct bucket *g = arena_alloc(r->a, 2 * cap * sizeof(*b));
			memcpy(g, b, cap * sizeof(*b));
			b = g;
			cap *= 2;
		}
		const char *key = arena_strdup(r->a, db_col_text(st, 0));
		struct bucket *x = &b[(*n)++];
		x->key = key;
		x->n = db_col_int(st, 3);
		if (!*key) {
			x->zh = "未分类";
			x->en = "Unclassified";
		} else if (d->set) {
			x->zh = label_of(d->set, key, 0);
			x->en = label_of(d->set, key, 1);
		} else {
			x->zh = arena_strdup(r->a, db_col_text(st, 1));
			x->en = arena_strdup(r->a, db_col_text(st, 2));
		}
	}
	db_done(st);
	qsort(b, *n, sizeof(*b), by_count);
	*out = b;
	return rc < 0 ? rc : 0;
}

int report_complaints(http_req *r)
{
	int fmt, rc;
	int64_t from, to;
	const char *type;
	if ((rc = rep_format(r, &fmt)) < 0 || (rc = case_scope(r, &from, &to, &type, "complaint")) < 0)
		return rc;
	const char *by = http_query(r, "by");
	const struct dim *d = NULL;
	for (size_t i = 0; i < KF_ARRAY_LEN(dims); i++)
		if (!by || !*by ? i == 0 : !strcmp(dims[i].name, by))
			d = &dims[i];
	if (!d)
		return http_fail(r, KF_EINVAL, "by", "by 只能是 root_cause、department、channel 或 emotion",
				 "by must be root_cause, department, channel or emotion");
	struct bucket *b;
	size_t n;
	if (read_buckets(r, d, type, from, to, &b, &n) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int64_t total = 0, cum = 0;
	for (size_t i = 0; i < n; i++)
		total += b[i].n;
	struct rep_table t;
	rep_init(&t, r->a, arena_printf(r->a, "cases-by-%s", d->name), "工单分类", "Cases by category",
		 dim_cols, KF_ARRAY_LEN(dim_cols));
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		cum += b[i].n;
		struct rep_cell *c = rep_row(&t);
		c[0].s = r->lang_en ? b[i].en : b[i].zh;
		c[1].i = b[i].n;
		c[2].d = total ? (double)b[i].n / (double)total : 0.0;
		c[3].d = total ? (double)cum / (double)total : 0.0;
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:I, s:f, s:f}", "key", b[i].key,
						       "label_zh", b[i].zh, "label_en", b[i].en,
						       "cases", (json_int_t)b[i].n, "share", c[2].d,
						       "cum_share", c[3].d));
	}
	if (fmt != REP_JSON) {
		json_decref(items);
		rep_info(&t, r->lang_en ? "By" : "维度", d->name);
		rep_info(&t, r->lang_en ? "Case type" : "工单类型", type ? type : "all");
		rep_info(&t, r->lang_en ? "From" : "开始", rep_time_text(r->a, from));
		rep_info(&t, r->lang_en ? "To" : "结束", rep_time_text(r->a, to));
		return rep_send(r, &t, fmt);
	}
	return rep_json(r, json_pack("{s:s, s:s?, s:I, s:I, s:I, s:o}", "by", d->name, "type", type,
				     "from", (json_int_t)from, "to", (json_int_t)to, "total",
				     (json_int_t)total, "items", items));
}

/* ---- volumes and SLA compliance by week --------------------------------------- */

struct week {
	int64_t received, resolved, fr_met, fr_breached, res_met, res_breached;
};

static const struct rep_col week_cols[] = {
	{"周（周一）", "Week (Monday)", REP_TEXT},
	{"受理", "Received", REP_INT},
	{"已解决", "Resolved", REP_INT},
	{"首次响应达标", "First response met", REP_INT},
	{"首次响应超时", "First response breached", REP_INT},
	{"首次响应达标率", "First response compliance", REP_SHARE},
	{"解决达标", "Resolution met", REP_INT},
	{"解决超时", "Resolution breached", REP_INT},
	{"解决达标率", "Resolution compliance", REP_SHARE},
};

#define MET(done, due)                                                                             \
	"SUM(CASE WHEN c." due " IS NOT NULL AND c." done " IS NOT NULL AND c." done " <= c." due  \
	" THEN 1 ELSE 0 END)"
#define BREACHED(done, due)                                                                        \
	"SUM(CASE WHEN c." due " IS NOT NULL AND ((c." done " IS NOT NULL AND c." done " > c." due ")" \
	" OR (c." done " IS NULL AND c.paused_at IS NULL AND c." due " < ?)) THEN 1 ELSE 0 END)"

static const char week_sql[] =
	"SELECT (c.received_at + %lld) / %lld, COUNT(*),"
	" SUM(CASE WHEN c.resolved_at IS NOT NULL THEN 1 ELSE 0 END), "
	MET("first_response_at", "first_response_due_at") ", "
	BREACHED("first_response_at", "first_response_due_at") ", "
	MET("resolved_at", "resolve_due_at") ", "
	BREACHED("resolved_at", "resolve_due_at")
	" FROM cases c WHERE %s c.received_at >= ? AND c.received_at < ?"
	" GROUP BY (c.received_at + %lld) / %lld";

static int read_weeks(http_req *r, const char *type, int64_t from, int64_t to, int64_t w0,
		      struct week *w, int64_t nweeks)
{
	int64_t now = util_now_ms();
	const char *sql = arena_printf(r->a, week_sql, (long long)WEEK_SHIFT, (long long)WEEK_MS,
				       type ? "c.type = ? AND" : "", (long long)WEEK_SHIFT,
				       (long long)WEEK_MS);
	db_val args[5];
	int na = 0;
	args[na++] = DBI(now);
	args[na++] = DBI(now);
	if (type)
		args[na++] = DBT(type);
	args[na++] = DBI(from);
	args[na++] = DBI(to);
	db_stmt *st;
	if (db_query(r->db, sql, args, na, &st) < 0)
		return DB_EFAIL;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t i = db_col_int(st, 0) - w0;
		if (i < 0 || i >= nweeks)
			continue;
		w[i] = (struct week){db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3),
				     db_col_int(st, 4), db_col_int(st, 5), db_col_int(st, 6)};
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static json_t *compliance(int64_t met, int64_t breached)
{
	return json_pack("{s:I, s:I, s:o}", "met", (json_int_t)met, "breached", (json_int_t)breached,
			 "compliance",
			 met + breached ? json_real((double)met / (double)(met + breached)) : json_null());
}

static double share_or0(int64_t a, int64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

int report_cases_weekly(http_req *r)
{
	int fmt, rc;
	int64_t from, to;
	const char *type;
	if ((rc = rep_format(r, &fmt)) < 0 || (rc = case_scope(r, &from, &to, &type, NULL)) < 0)
		return rc;
	int64_t w0 = (from + WEEK_SHIFT) / WEEK_MS, w1 = (to - 1 + WEEK_SHIFT) / WEEK_MS;
	int64_t nweeks = w1 - w0 + 1;
	if (nweeks > 520)
		return http_fail(r, KF_EINVAL, "from", "周报最多覆盖十年", "A weekly report covers at most ten years");
	struct week *w = arena_zalloc(r->a, (size_t)nweeks * sizeof(*w)), all = {0};
	if (read_weeks(r, type, from, to, w0, w, nweeks) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	struct rep_table t;
	rep_init(&t, r->a, "cases-weekly", "每周工单与SLA", "Cases and SLA by week", week_cols,
		 KF_ARRAY_LEN(week_cols));
	json_t *weeks = json_array();
	for (int64_t i = 0; i < nweeks; i++) {
		const struct week *x = &w[i];
		int64_t start = (w0 + i) * WEEK_MS - WEEK_SHIFT;
		char day[11];
		seg_format_day(start, day);
		all.received += x->received;
		all.resolved += x->resolved;
		all.fr_met += x->fr_met;
		all.fr_breached += x->fr_breached;
		all.res_met += x->res_met;
		all.res_breached += x->res_breached;
		struct rep_cell *c = rep_row(&t);
		c[0].s = arena_strdup(r->a, day);
		c[1].i = x->received;
		c[2].i = x->resolved;
		c[3].i = x->fr_met;
		c[4].i = x->fr_breached;
		c[5].d = share_or0(x->fr_met, x->fr_met + x->fr_breached);
		c[6].i = x->res_met;
		c[7].i = x->res_breached;
		c[8].d = share_or0(x->res_met, x->res_met + x->res_breached);
		json_array_append_new(
			weeks, json_pack("{s:I, s:s, s:I, s:I, s:o, s:o}", "week_start", (json_int_t)start,
					 "week", day, "received", (json_int_t)x->received, "resolved",
					 (json_int_t)x->resolved, "first_response",
					 compliance(x->fr_met, x->fr_breached), "resolution",
					 compliance(x->res_met, x->res_breached)));
	}
	if (fmt != REP_JSON) {
		json_decref(weeks);
		rep_info(&t, r->lang_en ? "Case type" : "工单类型", type ? type : "all");
		return rep_send(r, &t, fmt);
	}
	return rep_json(r, json_pack("{s:s?, s:I, s:I, s:o, s:{s:I, s:I, s:o, s:o}}", "type", type,
				     "from", (json_int_t)from, "to", (json_int_t)to, "weeks", weeks,
				     "totals", "received", (json_int_t)all.received, "resolved",
				     (json_int_t)all.resolved, "first_response",
				     compliance(all.fr_met, all.fr_breached), "resolution",
				     compliance(all.res_met, all.res_breached)));
}

/* ---- follow-up coverage and timeliness --------------------------------------- */

static const struct rep_col fu_cols[] = {
	{"指标", "Measure", REP_TEXT},
	{"工单数", "Cases", REP_INT},
	{"占比", "Share", REP_SHARE},
};

struct fu {
	int64_t handled, followed, timely, key_handled, key_followed;
	int64_t outcome[8];
};

static int read_follow_ups(http_req *r, const char *type, int64_t from, int64_t to, struct fu *f)
{
	const char *where = type ? "c.type = ? AND c.handled_at >= ? AND c.handled_at < ?"
				 : "c.handled_at >= ? AND c.handled_at < ?";
	db_val args[3];
	int na = 0;
	if (type)
		args[na++] = DBT(type);
	args[na++] = DBI(from);
	args[na++] = DBI(to);
	db_stmt *st;
	const char *sql = arena_printf(
		r->a,
		"SELECT COALESCE(c.follow_up_outcome, ''), c.key_account, COUNT(*),"
		" SUM(CASE WHEN c.followed_up_at IS NOT NULL THEN 1 ELSE 0 END),"
		" SUM(CASE WHEN c.followed_up_at IS NOT NULL AND c.followed_up_at <= c.handled_at + %lld"
		" THEN 1 ELSE 0 END) FROM cases c WHERE %s GROUP BY c.follow_up_outcome, c.key_account",
		(long long)FOLLOW_UP_MS, where);
	if (db_query(r->db, sql, args, na, &st) < 0)
		return DB_EFAIL;
	const struct class_set *outcomes = case_set("outcome");
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t n = db_col_int(st, 2), followed = db_col_int(st, 3);
		int key = db_col_int(st, 1) != 0;
		f->handled += n;
		f->followed += followed;
		f->timely += db_col_int(st, 4);
		f->key_handled += key ? n : 0;
		f->key_followed += key ? followed : 0;
		for (size_t i = 0; outcomes && i < outcomes->n && i < KF_ARRAY_LEN(f->outcome); i++)
			if (!strcmp(outcomes->values[i].code, db_col_text(st, 0)))
				f->outcome[i] += followed;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static void fu_row(struct rep_table *t, const char *name, int64_t n, int64_t of)
{
	struct rep_cell *c = rep_row(t);
	c[0].s = name;
	c[1].i = n;
	c[2].d = share_or0(n, of);
}

static json_t *ratio_or_null(int64_t a, int64_t b)
{
	return b ? json_real((double)a / (double)b) : json_null();
}

int report_follow_ups(http_req *r)
{
	int fmt, rc;
	int64_t from, to;
	const char *type;
	if ((rc = rep_format(r, &fmt)) < 0 || (rc = case_scope(r, &from, &to, &type, NULL)) < 0)
		return rc;
	struct fu f = {0};
	if (read_follow_ups(r, type, from, to, &f) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	const struct class_set *oc = case_set("outcome");
	int en = r->lang_en;
	struct rep_table t;
	rep_init(&t, r->a, "follow-ups", "回访覆盖", "Follow-up coverage", fu_cols,
		 KF_ARRAY_LEN(fu_cols));
	fu_row(&t, en ? "Handled" : "已处理", f.handled, f.handled);
	fu_row(&t, en ? "Followed up" : "已回访", f.followed, f.handled);
	fu_row(&t, en ? "Followed up within 3 days" : "三天内回访", f.timely, f.handled);
	fu_row(&t, en ? "Key accounts handled" : "关键客户已处理", f.key_handled, f.key_handled);
	fu_row(&t, en ? "Key accounts followed up" : "关键客户已回访", f.key_followed, f.key_handled);
	json_t *outcomes = json_array();
	for (size_t i = 0; oc && i < oc->n && i < KF_ARRAY_LEN(f.outcome); i++) {
		fu_row(&t, en ? oc->values[i].en : oc->values[i].zh, f.outcome[i], f.followed);
		json_array_append_new(outcomes, json_pack("{s:s, s:s, s:s, s:I}", "outcome",
							  oc->values[i].code, "label_zh", oc->values[i].zh,
							  "label_en", oc->values[i].en, "cases",
							  (json_int_t)f.outcome[i]));
	}
	if (fmt != REP_JSON) {
		json_decref(outcomes);
		return rep_send(r, &t, fmt);
	}
	return rep_json(
		r, json_pack("{s:s?, s:I, s:I, s:I, s:I, s:o, s:I, s:o, s:{s:I, s:I, s:o}, s:o}", "type",
			     type, "from", (json_int_t)from, "to", (json_int_t)to, "handled",
			     (json_int_t)f.handled, "followed_up", (json_int_t)f.followed, "coverage",
			     ratio_or_null(f.followed, f.handled), "within_3_days", (json_int_t)f.timely,
			     "timely_share", ratio_or_null(f.timely, f.handled), "key_accounts",
			     "handled", (json_int_t)f.key_handled, "followed_up",
			     (json_int_t)f.key_followed, "coverage",
			     ratio_or_null(f.key_followed, f.key_handled), "outcomes", outcomes));
}
