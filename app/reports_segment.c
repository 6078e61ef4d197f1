/* reports_segment.c - the customer-value reports (DOMAIN §6): the 80/20
 * Pareto curve, the pyramid with counts and revenue, the RFM grid, tier
 * migration between two dates (a Sankey) and the customer lists behind
 * them.  Each answers JSON for its chart, or its table as .xlsx / CSV
 * (report_export.c).
 *
 * The Pareto and pyramid read what the last recompute stored
 * (customer_segments and its summary), so they cost no scan; the Pareto
 * of a preset period (core/segment.h) is stored by the recompute too, as
 * of its run; over another period it aggregates the orders of that
 * period.
 * Migration replays tier_history: a customer's tier at instant T is the
 * to_tier of their last change before T, 'potential' before any. */
#include "app/report.h"
#include "app/segment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/classes.h"
#include "lib/common.h"
#include "lib/util.h"

static const char *tier_label(int t, int en)
{
	if (t == SEG_MIG_NEW)
		return en ? "New" : "新客户";
	const struct class_value *v = class_value(class_find("tier"), seg_tier_code(t));
	return v ? (en ? v->en : v->zh) : "";
}

static json_t *freshness(http_req *r)
{
	int64_t last = segment_last_run_at(r->db);
	return last ? json_integer(last) : json_null();
}

/* ---- Pareto ------------------------------------------------------------------ */

struct values {
	int64_t *v;
	size_t n, cap;
};

static int push(struct values *vs, int64_t x)
{
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? vs->cap * 2 : 1024;
		int64_t *p = realloc(vs->v, cap * sizeof(*p));
		if (!p)
			return -1;
		vs->v = p;
		vs->cap = cap;
	}
	vs->v[vs->n++] = x;
	return 0;
}

/* The curve of values read by a query (one value per row, column col). */
static json_t *pareto_query(http_req *r, const char *sql, const db_val *args, int nargs, int col)
{
	db_stmt *st;
	if (db_query(r->db, sql, args, nargs, &st) < 0)
		return NULL;
	struct values vs = {0};
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		if (push(&vs, db_col_int(st, col)) < 0) {
			rc = DB_EFAIL;
			break;
		}
	db_done(st);
	json_t *o = NULL;
	if (rc >= 0) {
		struct seg_pareto *p = arena_alloc(r->a, sizeof(*p));
		seg_pareto(vs.v, vs.n, p);
		o = segment_pareto_json(p);
	}
	free(vs.v);
	return o;
}

/* The curve of a period, from the orders of that period, of the customers
 * the filter covers. */
static json_t *pareto_live(http_req *r, const struct rep_filter *f, int margin, int64_t from,
			   int64_t to)
{
	int n;
	db_val *args = rep_args(r, f, NULL, 0, DB_ARGS(DBI(from), DBI(to)), &n);
	return pareto_query(r,
			    arena_printf(r->a,
					 "SELECT SUM(o.amount_fen), SUM(COALESCE(o.margin_fen, 0)) FROM orders o"
					 " JOIN customers c ON c.id = o.customer_id WHERE %s"
					 " AND o.ordered_at >= ? AND o.ordered_at < ? GROUP BY o.customer_id",
					 f->where),
			    args, n, margin ? 1 : 0);
}

/* The curve of the window as the last recompute figured each customer, of
 * the customers the filter covers. */
static json_t *pareto_segments(http_req *r, const struct rep_filter *f, int margin)
{
	return pareto_query(r,
			    arena_printf(r->a,
					 "SELECT s.revenue_fen, s.margin_fen FROM customer_segments s"
					 " JOIN customers c ON c.id = s.customer_id WHERE %s"
					 " AND s.orders_window > 0",
					 f->where),
			    f->args, f->n, margin ? 1 : 0);
}

static const struct rep_col pareto_cols[] = {
	{"客户占比", "Share of customers", REP_SHARE},
	{"客户数", "Customers", REP_INT},
	{"累计金额", "Cumulative amount", REP_FEN},
	{"累计占比", "Share of the total", REP_SHARE},
};

static int64_t jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static int pareto_file(http_req *r, json_t *o, int fmt)
{
	struct rep_table t;
	rep_init(&t, r->a, "pareto", "帕累托", "Pareto", pareto_cols, KF_ARRAY_LEN(pareto_cols));
	size_t i;
	json_t *pt;
	json_array_foreach(json_object_get(o, "points"), i, pt)
	{
		struct rep_cell *c = rep_row(&t);
		c[0].d = json_number_value(json_object_get(pt, "x"));
		c[1].i = jint(pt, "customers");
		c[2].i = jint(pt, "value_fen");
		c[3].d = json_number_value(json_object_get(pt, "y"));
	}
	int en = r->lang_en;
	rep_info(&t, en ? "Ranked by" : "排序依据",
		 arena_strdup(r->a, json_string_value(json_object_get(o, "by"))));
	rep_info(&t, en ? "From" : "开始", rep_time_text(r->a, jint(o, "from")));
	rep_info(&t, en ? "To" : "结束", rep_time_text(r->a, jint(o, "to")));
	rep_info(&t, en ? "Customers" : "客户数",
		 arena_printf(r->a, "%lld", (long long)jint(o, "customers")));
	rep_info(&t, en ? "Top 20% share" : "前 20% 客户贡献",
		 arena_printf(r->a, "%.2f%%",
			      json_number_value(json_object_get(o, "top20_share")) * 100));
	json_decref(o);
	return rep_send(r, &t, fmt);
}

static int given(http_req *r, const char *name)
{
	const char *v = http_query(r, name);
	return v && *v;
}

/* The curve the last recompute stored for exactly [from, to) (a preset
 * period as of its run), or NULL. */
static json_t *stored_period(json_t *sum, int64_t from, int64_t to, int margin)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(sum, "periods"), i, p)
	{
		if (jint(p, "from") == from && jint(p, "to") == to) {
			json_t *o = json_object_get(p, margin ? "pareto_margin" : "pareto_revenue");
			return json_is_object(o) ? json_incref(o) : NULL;
		}
	}
	return NULL;
}

/* Without a period: the curve the last recompute stored for its window;
 * with a preset period, the one it stored for that (both instant at any
 * size); with another period, with ?fresh=1, or before any recompute: the
 * orders, now. */
int report_pareto(http_req *r)
{
	int fmt, rc;
	struct seg_settings s;
	if ((rc = rep_format(r, &fmt)) < 0)
		return rc;
	if (segment_settings_load(r->db, &s) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	const char *by = http_query(r, "by");
	if (!by || !*by)
		by = s.rank_by == SEG_BY_MARGIN ? "margin" : "revenue";
	if (strcmp(by, "revenue") && strcmp(by, "margin"))
		return http_fail(r, KF_EINVAL, "by", "by 只能是 revenue（营收）或 margin（毛利）",
				 "by must be revenue or margin");
	int margin = !strcmp(by, "margin");
	int64_t at = 0, from, to, now = util_now_ms();
	int period = given(r, "from") || given(r, "to");
	int64_t fresh;
	struct rep_filter f;
	if ((rc = in_query_int(r, "fresh", 0, 1, 0, &fresh)) < 0 || (rc = rep_filter(r, &f)) < 0)
		return rc;
	if (period &&
	    (rc = rep_range(r, seg_months_before(now, s.window_months), now, &from, &to)) < 0)
		return rc;
	json_t *sum = fresh ? NULL : segment_last_summary(r->db, &at);
	json_t *o = NULL;
	if (sum && !period) {
		from = jint(sum, "window_from");
		to = jint(sum, "window_to");
		json_t *fig = f.narrowed ? rep_scope(sum, &f) : sum;
		o = fig ? json_incref(json_object_get(fig, margin ? "pareto_margin" : "pareto_revenue"))
			: pareto_segments(r, &f, margin);
	} else if (sum && !f.narrowed) {
		o = stored_period(sum, from, to, margin);
	}
	json_decref(sum);
	if (!o) {
		at = 0;
		if (!period)
			from = seg_months_before(now, s.window_months), to = now;
		o = pareto_live(r, &f, margin, from, to);
	}
	if (!json_is_object(o)) {
		json_decref(o);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	json_object_set_new(o, "by", json_string(by));
	json_object_set_new(o, "source", json_string(at ? "segments" : "orders"));
	json_object_set_new(o, "from", json_integer(from));
	json_object_set_new(o, "to", json_integer(to));
	json_object_set_new(o, "window_months", json_integer(s.window_months));
	json_object_set_new(o, "computed_at", at ? json_integer(at) : freshness(r));
	if (fmt != REP_JSON)
		return pareto_file(r, o, fmt);
	return rep_json(r, o);
}

/* ---- Pareto ranking (the customers behind the curve) ------------------------- */

static const struct rep_col rank_cols[] = {
	{"排名", "Rank", REP_INT},	    {"客户编号", "Customer id", REP_INT},
	{"客户名称", "Name", REP_TEXT},	    {"公司", "Company", REP_TEXT},
	{"层级", "Tier", REP_TEXT},	    {"营收", "Revenue", REP_FEN},
	{"毛利", "Margin", REP_FEN},	    {"订单数", "Orders", REP_INT},
	{"累计营收", "Cumulative revenue", REP_FEN}, {"累计占比", "Cumulative share", REP_SHARE},
};

static int rank_cursor(http_req *r, int64_t c[4])
{
	const char *s = http_query(r, "cursor");
	long long a, b, k, m;
	char tail;
	c[0] = c[1] = INT64_MAX;
	c[2] = c[3] = 0;
	if (!s || !*s)
		return 0;
	if (strlen(s) > 90 || sscanf(s, "p%lld.%lld.%lld.%lld%c", &a, &b, &k, &m, &tail) != 4 ||
	    b <= 0 || k < 0)
		return http_fail(r, KF_EINVAL, "cursor", "分页游标无效", "Invalid pagination cursor");
	c[0] = a;
	c[1] = b;
	c[2] = k;
	c[3] = m;
	return 0;
}

/* ?from_rank=N without a cursor: the page starts at place N (a drill-down
 * into a band of the curve).  The cursor of place N-1 (its row and the sum
 * of the rows above) is found from the nearest mark the last recompute
 * left above it (segment_rank_marks, every 1000th place), then by walking
 * the revenue index down from there: under a thousand rows at any depth.
 * Past the last buyer: an empty page. */
static int rank_start(http_req *r, const struct rep_filter *f, int64_t c[4])
{
	const char *cursor = http_query(r, "cursor");
	int64_t n;
	int rc;
	if ((rc = in_query_int(r, "from_rank", 1, INT32_MAX, 1, &n)) < 0)
		return rc;
	if (n <= 1 || (cursor && *cursor))
		return 0;
	int64_t place = 0, rev = INT64_MAX, id = INT64_MAX, cum = 0;
	db_stmt *st;
	/* the marks are of everyone's ranking: a narrowed one walks from the top */
	if (db_query(r->db,
		     "SELECT place, revenue_fen, customer_id, cum_fen FROM segment_rank_marks"
		     " WHERE place <= ? ORDER BY place DESC LIMIT 1",
		     DB_ARGS(DBI(f->narrowed ? 0 : n - 1)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = db_step(st)) == DB_ROW) {
		place = db_col_int(st, 0);
		rev = db_col_int(st, 1);
		id = db_col_int(st, 2);
		cum = db_col_int(st, 3);
	}
	db_done(st);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (place < n - 1) {
		int na;
		db_val *a = rep_args(r, f, NULL, 0, DB_ARGS(DBI(rev), DBI(id), DBI(n - 1 - place)), &na);
		if (db_query(r->db,
			     arena_printf(r->a,
					  "SELECT s.revenue_fen, s.customer_id FROM customer_segments s"
					  " JOIN customers c ON c.id = s.customer_id"
					  " WHERE %s AND s.orders_window > 0"
					  " AND (s.revenue_fen, s.customer_id) < (?, ?)"
					  " ORDER BY s.revenue_fen DESC, s.customer_id DESC LIMIT ?",
					  f->where),
			     a, na, &st) < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
		while ((rc = db_step(st)) == DB_ROW) {
			rev = db_col_int(st, 0);
			id = db_col_int(st, 1);
			cum += rev;
			place++;
		}
		db_done(st);
		if (rc < 0)
			return app_db_fail(r, rc, NULL);
	}
	c[0] = place < n - 1 ? -1 : rev; /* no revenue is below -1: past the end */
	c[1] = place < n - 1 ? 0 : id;
	c[2] = n - 1;
	c[3] = cum;
	return 0;
}

/* Ranked buyers of the window, best first: a page as JSON, or all of
 * them as a file. */
int report_pareto_customers(http_req *r)
{
	int fmt, rc;
	int64_t limit, cur[4], total = 0;
	struct rep_filter f;
	if ((rc = rep_format(r, &fmt)) < 0 || (rc = in_query_int(r, "limit", 1, 200, 50, &limit)) < 0 ||
	    (rc = rank_cursor(r, cur)) < 0 || (rc = rep_filter(r, &f)) < 0 ||
	    (fmt == REP_JSON && (rc = rank_start(r, &f, cur)) < 0))
		return rc;
	if (fmt != REP_JSON) { /* the whole ranking */
		cur[0] = cur[1] = INT64_MAX;
		cur[2] = cur[3] = 0;
		limit = INT32_MAX;
	}
	int64_t at;
	json_t *sum = segment_last_summary(r->db, &at);
	json_t *fig = f.narrowed ? rep_scope(sum, &f) : sum;
	if (fig) /* the recompute's total: a SUM over every buyer would cost a scan per page */
		total = jint(json_object_get(fig, "pareto_revenue"), "total_fen");
	json_decref(sum);
	if (!fig && db_query_int(r->db,
				 arena_printf(r->a,
					      "SELECT COALESCE(SUM(s.revenue_fen), 0) FROM customer_segments s"
					      " JOIN customers c ON c.id = s.customer_id"
					      " WHERE %s AND s.orders_window > 0",
					      f.where),
				 f.args, f.n, &total) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	/* Best first, ties by id downwards: the order of the revenue index read
	 * backwards, so a page is LIMIT rows of it, not a sort of every buyer. */
	db_stmt *st;
	int na;
	db_val *a = rep_args(r, &f, NULL, 0, DB_ARGS(DBI(cur[0]), DBI(cur[1]), DBI(limit + 1)), &na);
	if (db_query(r->db,
		     arena_printf(r->a,
				  "SELECT c.id, c.name, c.company, c.tier, s.revenue_fen, s.margin_fen,"
				  " s.orders_window FROM customer_segments s"
				  " JOIN customers c ON c.id = s.customer_id"
				  " WHERE %s AND s.orders_window > 0"
				  " AND (s.revenue_fen, s.customer_id) < (?, ?)"
				  " ORDER BY s.revenue_fen DESC, s.customer_id DESC LIMIT ?",
				  f.where),
		     a, na, &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	struct rep_table t;
	rep_init(&t, r->a, "top-customers", "客户排名", "Customer ranking", rank_cols,
		 KF_ARRAY_LEN(rank_cols));
	int64_t rank = cur[2], cum = cur[3], n = 0, last_rev = 0, last_id = 0;
	int more = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == limit) {
			more = 1;
			break;
		}
		struct rep_cell *c = rep_row(&t);
		last_id = db_col_int(st, 0);
		last_rev = db_col_int(st, 4);
		cum += last_rev;
		c[0].i = ++rank;
		c[1].i = last_id;
		c[2].s = arena_strdup(r->a, db_col_text(st, 1));
		c[3].s = arena_strdup(r->a, db_col_text(st, 2));
		c[4].s = arena_strdup(r->a, db_col_text(st, 3));
		c[5].i = last_rev;
		c[6].i = db_col_int(st, 5);
		c[7].i = db_col_int(st, 6);
		c[8].i = cum;
		c[9].d = total > 0 ? (double)cum / (double)total : 0.0;
		n++;
	}
	db_done(st);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (fmt != REP_JSON) { /* a sheet for people: the tier in words, not its code */
		for (size_t i = 0; i < t.nrows; i++) {
			struct rep_cell *c = &t.cells[i * KF_ARRAY_LEN(rank_cols) + 4];
			int tier = seg_tier_parse(c->s);
			if (tier >= 0)
				c->s = tier_label(tier, r->lang_en);
		}
		return rep_send(r, &t, fmt);
	}
	json_t *items = json_array();
	for (size_t i = 0; i < t.nrows; i++) {
		const struct rep_cell *c = &t.cells[i * KF_ARRAY_LEN(rank_cols)];
		json_array_append_new(
			items, json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:f}", "rank",
					 (json_int_t)c[0].i, "customer_id", (json_int_t)c[1].i, "name",
					 c[2].s, "company", c[3].s, "tier", c[4].s, "revenue_fen",
					 (json_int_t)c[5].i, "margin_fen", (json_int_t)c[6].i,
					 "orders_window", (json_int_t)c[7].i, "cum_fen",
					 (json_int_t)c[8].i, "cum_share", c[9].d));
	}
	return rep_json(r,
			json_pack("{s:o, s:I, s:o}", "items", items, "total_fen", (json_int_t)total,
				  "next_cursor",
				  more ? json_string(arena_printf(r->a, "p%lld.%lld.%lld.%lld",
								  (long long)last_rev,
								  (long long)last_id, (long long)rank,
								  (long long)cum))
				       : json_null()));
}

/* ---- pyramid ----------------------------------------------------------------- */

struct tier_sum {
	int64_t customers, revenue, margin, keys;
	int64_t buyers; /* with a period: who bought in it */
};

static const struct rep_col pyramid_cols[] = {
	{"层级", "Tier", REP_TEXT},	   {"客户数", "Customers", REP_INT},
	{"客户占比", "Share of customers", REP_SHARE}, {"营收", "Revenue", REP_FEN},
	{"营收占比", "Share of revenue", REP_SHARE},   {"毛利", "Margin", REP_FEN},
	{"关键客户数", "Key accounts", REP_INT},
};

static double share(int64_t a, int64_t b)
{
	return b > 0 ? (double)a / (double)b : 0.0;
}

/* The tiers as of now, for a database never recomputed or a narrowed
 * report: a scan. */
static int pyramid_live(http_req *r, const struct rep_filter *f, struct tier_sum sum[SEG_NTIERS])
{
	db_stmt *st;
	if (db_query(r->db,
		     arena_printf(r->a,
				  "SELECT c.tier, COUNT(*), COALESCE(SUM(s.revenue_fen), 0),"
				  " COALESCE(SUM(s.margin_fen), 0),"
				  " SUM(CASE WHEN c.value_class = 'key' THEN 1 ELSE 0 END)"
				  " FROM customers c LEFT JOIN customer_segments s ON s.customer_id = c.id"
				  " WHERE %s GROUP BY c.tier",
				  f->where),
		     f->args, f->n, &st) < 0)
		return DB_EFAIL;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int t = seg_tier_parse(db_col_text(st, 0));
		if (t >= 0)
			sum[t] = (struct tier_sum){db_col_int(st, 1), db_col_int(st, 2),
						   db_col_int(st, 3), db_col_int(st, 4), 0};
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static struct tier_sum tally(json_t *o)
{
	return (struct tier_sum){jint(o, "customers"), jint(o, "revenue_fen"), jint(o, "margin_fen"),
				 jint(o, "key_accounts"), 0};
}

/* A period's revenue by tier: stored by the recompute for a preset period
 * (source "segments"), else from the orders of the period now ("orders").
 * Fills revenue, margin and buyers of sum[]; returns 1 if stored, 0 if
 * live, < 0 on a database error. */
static int pyramid_period(http_req *r, const struct rep_filter *f, json_t *summary, int64_t from,
			  int64_t to, int fresh, struct tier_sum sum[SEG_NTIERS])
{
	size_t i;
	json_t *p;
	json_array_foreach(fresh || f->narrowed ? NULL : json_object_get(summary, "periods"), i, p)
	{
		json_t *pyr = json_object_get(p, "pyramid");
		if (jint(p, "from") != from || jint(p, "to") != to || !json_is_object(pyr))
			continue;
		for (int t = 0; t < SEG_NTIERS; t++) {
			json_t *o = json_object_get(pyr, seg_tier_code(t));
			sum[t].buyers = jint(o, "buyers");
			sum[t].revenue = jint(o, "revenue_fen");
			sum[t].margin = jint(o, "margin_fen");
		}
		return 1;
	}
	db_stmt *st;
	int na;
	db_val *a = rep_args(r, f, DB_ARGS(DBI(from), DBI(to)), NULL, 0, &na);
	if (db_query(r->db,
		     arena_printf(r->a,
				  "SELECT c.tier, COUNT(*), SUM(o.rev), SUM(o.mar) FROM (SELECT customer_id,"
				  " SUM(amount_fen) AS rev, SUM(COALESCE(margin_fen, 0)) AS mar FROM orders"
				  " WHERE ordered_at >= ? AND ordered_at < ? GROUP BY customer_id) o"
				  " JOIN customers c ON c.id = o.customer_id WHERE %s GROUP BY c.tier",
				  f->where),
		     a, na, &st) < 0)
		return DB_EFAIL;
	for (int t = 0; t < SEG_NTIERS; t++)
		sum[t].buyers = sum[t].revenue = sum[t].margin = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int t = seg_tier_parse(db_col_text(st, 0));
		if (t >= 0) {
			sum[t].buyers = db_col_int(st, 1);
			sum[t].revenue = db_col_int(st, 2);
			sum[t].margin = db_col_int(st, 3);
		}
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static const struct rep_col pyramid_period_cols[] = {
	{"层级", "Tier", REP_TEXT},	   {"客户数", "Customers", REP_INT},
	{"客户占比", "Share of customers", REP_SHARE}, {"期间营收", "Revenue in the period", REP_FEN},
	{"营收占比", "Share of revenue", REP_SHARE},   {"期间毛利", "Margin in the period", REP_FEN},
	{"关键客户数", "Key accounts", REP_INT},	   {"期间购买客户", "Buyers in the period", REP_INT},
};

/* As the last recompute counted (instant), else as of now.  With a period
 * (?from=&to=): the same tiers, with what each brought in that period. */
int report_pyramid(http_req *r)
{
	int fmt, rc;
	struct seg_settings s;
	int64_t from = 0, to = 0, fresh, now = util_now_ms();
	int period = given(r, "from") || given(r, "to"), stored = 0;
	struct rep_filter f;
	if ((rc = rep_format(r, &fmt)) < 0 || (rc = in_query_int(r, "fresh", 0, 1, 0, &fresh)) < 0 ||
	    (rc = rep_filter(r, &f)) < 0)
		return rc;
	if (segment_settings_load(r->db, &s) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (period &&
	    (rc = rep_range(r, seg_months_before(now, s.window_months), now, &from, &to)) < 0)
		return rc;
	struct tier_sum sum[SEG_NTIERS] = {0}, all = {0};
	int64_t at;
	json_t *summary = segment_last_summary(r->db, &at);
	json_t *fig = !f.narrowed ? summary : fresh ? NULL : rep_scope(summary, &f);
	if (fig) {
		json_t *pyr = json_object_get(fig, "pyramid");
		for (int t = 0; t < SEG_NTIERS; t++)
			sum[t] = tally(json_object_get(pyr, seg_tier_code(t)));
	} else if (pyramid_live(r, &f, sum) < 0) {
		json_decref(summary);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	if (period && (stored = pyramid_period(r, &f, summary, from, to, (int)fresh, sum)) < 0) {
		json_decref(summary);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	json_decref(summary);
	for (int t = 0; t < SEG_NTIERS; t++) {
		all.customers += sum[t].customers;
		all.revenue += sum[t].revenue;
		all.margin += sum[t].margin;
		all.keys += sum[t].keys;
		all.buyers += sum[t].buyers;
	}
	struct rep_table t;
	rep_init(&t, r->a, "pyramid", "客户金字塔", "Customer pyramid",
		 period ? pyramid_period_cols : pyramid_cols,
		 period ? KF_ARRAY_LEN(pyramid_period_cols) : KF_ARRAY_LEN(pyramid_cols));
	json_t *tiers = json_array();
	for (int i = 0; i < SEG_NTIERS; i++) {
		struct rep_cell *c = rep_row(&t);
		c[0].s = tier_label(i, r->lang_en);
		c[1].i = sum[i].customers;
		c[2].d = share(sum[i].customers, all.customers);
		c[3].i = sum[i].revenue;
		c[4].d = share(sum[i].revenue, all.revenue);
		c[5].i = sum[i].margin;
		c[6].i = sum[i].keys;
		if (period)
			c[7].i = sum[i].buyers;
		json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:f, s:I, s:f, s:I, s:I}", "tier",
				      seg_tier_code(i), "label_zh", tier_label(i, 0), "label_en",
				      tier_label(i, 1), "customers", (json_int_t)sum[i].customers,
				      "customer_share", c[2].d, "revenue_fen", (json_int_t)sum[i].revenue,
				      "revenue_share", c[4].d, "margin_fen", (json_int_t)sum[i].margin,
				      "key_accounts", (json_int_t)sum[i].keys);
		if (period)
			json_object_set_new(o, "buyers", json_integer(sum[i].buyers));
		json_array_append_new(tiers, o);
	}
	if (fmt != REP_JSON) {
		json_decref(tiers);
		if (period) {
			rep_info(&t, r->lang_en ? "From" : "开始", rep_time_text(r->a, from));
			rep_info(&t, r->lang_en ? "To" : "结束", rep_time_text(r->a, to));
		}
		return rep_send(r, &t, fmt);
	}
	json_t *o = json_pack("{s:o, s:i, s:I, s:I, s:I, s:o}", "computed_at",
			      at && (!period || stored) ? json_integer(at) : json_null(),
			      "window_months", s.window_months, "customers", (json_int_t)all.customers,
			      "revenue_fen", (json_int_t)all.revenue, "margin_fen",
			      (json_int_t)all.margin, "tiers", tiers);
	if (period) {
		json_object_set_new(o, "from", json_integer(from));
		json_object_set_new(o, "to", json_integer(to));
		json_object_set_new(o, "buyers", json_integer(all.buyers));
		json_object_set_new(o, "source", json_string(stored ? "segments" : "orders"));
	}
	return rep_json(r, o);
}

/* ---- RFM --------------------------------------------------------------------- */

static const struct rep_col rfm_cols[] = {
	{"R（最近购买）", "R (recency)", REP_INT},
	{"F（频次）", "F (frequency)", REP_INT},
	{"客户数", "Customers", REP_INT},
	{"营收", "Revenue", REP_FEN},
};

/* The lifecycle counts of the summary (current and suggested per stage). */
static json_t *rfm_lifecycle(json_t *summary)
{
	json_t *lc = json_object_get(summary, "lifecycle"), *a = json_array();
	const struct class_set *set = class_find("lifecycle");
	for (int i = 0; i < SEG_NSTAGES; i++) {
		const char *code = seg_stage_code(i);
		const struct class_value *v = class_value(set, code);
		json_array_append_new(
			a, json_pack("{s:s, s:s, s:s, s:I, s:I}", "lifecycle", code, "label_zh",
				     v ? v->zh : "", "label_en", v ? v->en : "", "customers",
				     (json_int_t)jint(json_object_get(lc, "current"), code), "suggested",
				     (json_int_t)jint(json_object_get(lc, "suggested"), code)));
	}
	return a;
}

/* Counts by one or two columns into obj[key]: {customers, revenue_fen}
 * (with_revenue) or a bare count. */
static int rfm_count(http_req *r, const struct rep_filter *f, const char *sql, json_t *obj,
		     int two, int with_revenue)
{
	db_stmt *st;
	if (db_query(r->db, arena_printf(r->a, sql, f->where), f->args, f->n, &st) < 0)
		return DB_EFAIL;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		char k[24];
		if (two)
			snprintf(k, sizeof(k), "%lld%lld", (long long)db_col_int(st, 0),
				 (long long)db_col_int(st, 1));
		else
			snprintf(k, sizeof(k), "%s", db_col_text(st, 0));
		json_object_set_new(obj, k,
				    with_revenue ? json_pack("{s:I, s:I}", "customers",
							     (json_int_t)db_col_int(st, two + 1),
							     "revenue_fen", (json_int_t)db_col_int(st, two + 2))
						 : json_integer(db_col_int(st, 1)));
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* What the summary holds for the RFM page, counted now over the customers
 * the filter covers (their scores as the last recompute left them). */
static json_t *rfm_narrowed(http_req *r, const struct rep_filter *f)
{
	json_t *grid = json_object(), *mon = json_object(), *cur = json_object(), *sug = json_object();
	json_t *o = json_pack("{s:{s:o, s:o}, s:{s:o, s:o}}", "rfm", "grid", grid, "monetary", mon,
			      "lifecycle", "current", cur, "suggested", sug);
	static const char *const seg = " FROM customer_segments s JOIN customers c ON c.id = s.customer_id"
				       " WHERE %s";
	char *grid_sql = arena_printf(r->a, "SELECT s.r, s.f, COUNT(*), SUM(s.revenue_fen)%s"
					    " AND s.r > 0 GROUP BY s.r, s.f", seg);
	char *mon_sql = arena_printf(r->a, "SELECT s.m, COUNT(*), SUM(s.revenue_fen)%s"
					   " AND s.m > 0 GROUP BY s.m", seg);
	char *sug_sql = arena_printf(r->a, "SELECT s.lifecycle_suggested, COUNT(*)%s"
					   " GROUP BY s.lifecycle_suggested", seg);
	if (rfm_count(r, f, grid_sql, grid, 1, 1) < 0 || rfm_count(r, f, mon_sql, mon, 0, 1) < 0 ||
	    rfm_count(r, f, "SELECT c.lifecycle, COUNT(*) FROM customers c WHERE %s GROUP BY c.lifecycle",
		      cur, 0, 0) < 0 ||
	    rfm_count(r, f, sug_sql, sug, 0, 0) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* As the last recompute counted; zeros before the first.  Narrowed to a
 * customer type or a department: as the recompute counted them too; to
 * other customers (or with ?fresh=1): their scores counted now. */
int report_rfm(http_req *r)
{
	int fmt, rc;
	struct rep_filter f;
	int64_t fresh;
	if ((rc = rep_format(r, &fmt)) < 0 || (rc = rep_filter(r, &f)) < 0 ||
	    (rc = in_query_int(r, "fresh", 0, 1, 0, &fresh)) < 0)
		return rc;
	int64_t at, buyers = 0;
	json_t *summary = segment_last_summary(r->db, &at);
	if (f.narrowed) {
		json_t *fig = fresh ? NULL : json_incref(rep_scope(summary, &f));
		json_decref(summary);
		if (!(summary = fig ? fig : rfm_narrowed(r, &f)))
			return app_db_fail(r, DB_EFAIL, NULL);
	}
	json_t *rfm = json_object_get(summary, "rfm");
	json_t *cells = json_object_get(rfm, "grid"), *mcells = json_object_get(rfm, "monetary");
	struct rep_table t;
	rep_init(&t, r->a, "rfm", "RFM", "RFM", rfm_cols, KF_ARRAY_LEN(rfm_cols));
	json_t *grid = json_array(), *mon = json_array();
	for (int R = 5; R >= 1; R--)
		for (int F = 5; F >= 1; F--) {
			char k[8];
			snprintf(k, sizeof(k), "%d%d", R, F);
			struct tier_sum v = tally(json_object_get(cells, k));
			struct rep_cell *c = rep_row(&t);
			c[0].i = R;
			c[1].i = F;
			c[2].i = v.customers;
			c[3].i = v.revenue;
			buyers += v.customers;
			json_array_append_new(grid, json_pack("{s:i, s:i, s:I, s:I}", "r", R, "f", F,
							      "customers", (json_int_t)v.customers,
							      "revenue_fen", (json_int_t)v.revenue));
		}
	for (int M = 1; M <= 5; M++) {
		char k[4];
		snprintf(k, sizeof(k), "%d", M);
		struct tier_sum v = tally(json_object_get(mcells, k));
		json_array_append_new(mon, json_pack("{s:i, s:I, s:I}", "m", M, "customers",
						     (json_int_t)v.customers, "revenue_fen",
						     (json_int_t)v.revenue));
	}
	json_t *lc = rfm_lifecycle(summary);
	json_decref(summary);
	if (fmt != REP_JSON) {
		json_decref(grid);
		json_decref(mon);
		json_decref(lc);
		return rep_send(r, &t, fmt);
	}
	return rep_json(r, json_pack("{s:o, s:I, s:o, s:o, s:o}", "computed_at",
				     at ? json_integer(at) : json_null(), "buyers", (json_int_t)buyers,
				     "grid", grid, "monetary", mon, "lifecycle", lc));
}
