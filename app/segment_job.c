/* segment_job.c - the recompute: orders -> per-customer aggregates ->
 * core/segment.c -> what changed, written back in batches.
 *
 * Reading is two ordered queries merged by customer id: one GROUP BY over
 * orders (the aggregates of the window and of all time) and the live
 * customers with what the last run stored for them.  Only customers whose
 * tier, lifecycle or stored segment changed are written, WRITE_BATCH_* to a
 * transaction, so a second run on unchanged data writes nothing and other
 * writers get their turn between batches.
 *
 * The lifecycle belongs to the recompute only while it is what the
 * recompute last wrote (customer_segments.auto_lifecycle): a lifecycle a
 * person set since then is left alone, and the UPDATE is conditional on
 * the value read, so an edit made during the run wins too.  Changing the
 * lifecycle bumps the file's version (it is a field people edit); a tier
 * change does not (nobody edits the tier), it only moves updated_at.
 *
 * One recompute at a time: a 'running' row in segment_runs (a unique
 * partial index) is the lock; one older than STALE_MS is taken for a
 * crashed run and abandoned. */
#include "app/segment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

/* Customers written per transaction.  On SQLite every commit writes each
 * page it dirtied to the WAL, and the segment indexes are updated in
 * revenue order, at random: 2,000 to a commit rewrote the same index pages
 * hundreds of times over (the first run at a million customers wrote ~10 GB
 * of WAL); 25,000 touch each page a few times.  PostgreSQL logs rows, not
 * pages: small batches there keep other writers' waits short. */
enum { WRITE_BATCH_SQLITE = 25000, WRITE_BATCH_PG = 2000 };
#define STALE_MS (30LL * 60 * 1000)

/* What the database holds for one customer before the run. */
struct stored {
	int8_t tier, lifecycle, auto_lc, suggested; /* -1: unknown or NULL */
	int8_t kind;  /* 0 person, 1 organization, -1 other */
	int64_t dept; /* the owner's department, 0 for none */
	uint8_t has_seg, r, f, m, key, is_key; /* is_key: value_class 'key' */
	int64_t revenue, margin, orders, total, first, last;
};

/* The buyers of one preset period (core/segment.h): id, revenue, margin,
 * in customer order. */
struct period_buyers {
	int64_t (*v)[3];
	size_t n, cap;
};

/* Rows waiting to go in as one multi-row INSERT (ROWS_PER_INSERT at most). */
enum { ROWS_PER_INSERT = 100, HISTORY_COLS = 5, SEGMENT_COLS = 14 };
struct pending {
	db_val v[ROWS_PER_INSERT * SEGMENT_COLS];
	int rows;
};

struct job {
	db *d;
	struct pending history, segments;
	struct seg_period periods[SEG_NPRESETS];
	struct period_buyers pb[SEG_NPRESETS];
	struct seg_settings s;
	int64_t now, run_id, actor;
	size_t n, cap;
	struct seg_cust *c;
	struct stored *old;
	struct seg_result *res;
	struct segment_run *out;
	json_t *summary;
};

static int grow(struct job *j)
{
	if (j->n < j->cap)
		return 0;
	size_t cap = j->cap ? j->cap * 2 : 4096;
	struct seg_cust *c = realloc(j->c, cap * sizeof(*c));
	if (c)
		j->c = c;
	struct stored *o = c ? realloc(j->old, cap * sizeof(*o)) : NULL;
	if (o)
		j->old = o;
	if (!c || !o)
		return -1;
	j->cap = cap;
	return 0;
}

static int64_t col_or0(db_stmt *st, int i)
{
	return db_col_null(st, i) ? 0 : db_col_int(st, i);
}

static int8_t col_code(db_stmt *st, int i, int stage)
{
	if (db_col_null(st, i))
		return -1;
	return (int8_t)(stage ? seg_stage_parse(db_col_text(st, i)) : seg_tier_parse(db_col_text(st, i)));
}

static int push_buyer(struct period_buyers *b, int64_t id, int64_t rev, int64_t mar)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		int64_t(*v)[3] = realloc(b->v, cap * sizeof(*v));
		if (!v)
			return -1;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n][0] = id;
	b->v[b->n][1] = rev;
	b->v[b->n][2] = mar;
	b->n++;
	return 0;
}

/* The order aggregates, sorted by customer id (a struct seg_cust each),
 * and each preset period's sums per buyer (j->pb).  Two passes merged by
 * customer id: every customer's order count and first and last order,
 * which the orders_customer index answers alone, and the sums of the
 * window and the periods, over the orders since the earliest of them
 * (rows older than that are skipped on the index, never read). */
static int read_orders(struct job *j, struct seg_cust **out, size_t *nout)
{
	int64_t ws = seg_months_before(j->now, j->s.window_months), lo = ws;
	for (int p = 0; p < SEG_NPRESETS; p++)
		if (j->periods[p].from < lo)
			lo = j->periods[p].from;
	buf sql;
	buf_init(&sql, 8192);
	buf_puts(&sql, "SELECT customer_id, SUM(amount_fen) FILTER (WHERE ordered_at >= ?),"
		       " SUM(COALESCE(margin_fen, 0)) FILTER (WHERE ordered_at >= ?),"
		       " COUNT(*) FILTER (WHERE ordered_at >= ?)");
	db_val args[4 + 4 * SEG_NPRESETS];
	args[0] = args[1] = args[2] = DBI(ws);
	for (int p = 0; p < SEG_NPRESETS; p++) {
		/* NULL when the customer bought nothing in the period */
		buf_puts(&sql, ", SUM(amount_fen) FILTER (WHERE ordered_at >= ? AND ordered_at < ?),"
			       " SUM(COALESCE(margin_fen, 0)) FILTER (WHERE ordered_at >= ? AND ordered_at < ?)");
		args[3 + 4 * p] = args[5 + 4 * p] = DBI(j->periods[p].from);
		args[4 + 4 * p] = args[6 + 4 * p] = DBI(j->periods[p].to);
	}
	args[3 + 4 * SEG_NPRESETS] = DBI(lo);
	buf_puts(&sql, " FROM orders WHERE ordered_at >= ? GROUP BY customer_id ORDER BY customer_id");
	db_stmt *all, *rec;
	int rc = sql.data ? db_query(j->d, sql.data, args, (int)KF_ARRAY_LEN(args), &rec) : DB_EFAIL;
	buf_release(&sql);
	if (rc < 0)
		return DB_EFAIL;
	if (db_query(j->d,
		     "SELECT customer_id, COUNT(*), MIN(ordered_at), MAX(ordered_at) FROM orders"
		     " GROUP BY customer_id ORDER BY customer_id",
		     DB_ARGS(), &all) < 0) {
		db_done(rec);
		return DB_EFAIL;
	}
	size_t n = 0, cap = 0;
	struct seg_cust *a = NULL;
	int rrc = db_step(rec);
	while ((rc = db_step(all)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			struct seg_cust *g = realloc(a, cap * sizeof(*a));
			if (!g) {
				rc = DB_EFAIL;
				break;
			}
			a = g;
		}
		struct seg_cust *c = &a[n++];
		*c = (struct seg_cust){.id = db_col_int(all, 0), .orders_total = db_col_int(all, 1),
				       .first_order_ms = db_col_int(all, 2),
				       .last_order_ms = db_col_int(all, 3)};
		while (rrc == DB_ROW && db_col_int(rec, 0) < c->id)
			rrc = db_step(rec);
		if (rrc < 0) {
			rc = rrc;
			break;
		}
		if (rrc != DB_ROW || db_col_int(rec, 0) != c->id)
			continue;
		if (!db_col_null(rec, 1)) {
			c->revenue_fen = db_col_int(rec, 1);
			c->margin_fen = db_col_int(rec, 2);
			c->orders = db_col_int(rec, 3);
		}
		for (int p = 0; p < SEG_NPRESETS && rc >= 0; p++)
			if (!db_col_null(rec, 4 + 2 * p) &&
			    push_buyer(&j->pb[p], c->id, db_col_int(rec, 4 + 2 * p),
				       db_col_int(rec, 5 + 2 * p)) < 0)
				rc = DB_EFAIL;
		if (rc < 0)
			break;
	}
	db_done(all);
	db_done(rec);
	if (rc < 0) {
		free(a);
		return rc;
	}
	*out = a;
	*nout = n;
	return 0;
}

static struct stored stored_from_row(db_stmt *st)
{
	struct stored o = {
		.tier = col_code(st, 1, 0),
		.lifecycle = col_code(st, 2, 1),
		.has_seg = !db_col_null(st, 3),
		.is_key = !strcmp(db_col_text(st, 16), "key"),
		.kind = (int8_t)(!strcmp(db_col_text(st, 17), "person")         ? 0
				 : !strcmp(db_col_text(st, 17), "organization") ? 1
										: -1),
		.dept = col_or0(st, 18),
	};
	if (!o.has_seg) {
		o.auto_lc = o.suggested = -1;
		return o;
	}
	o.revenue = db_col_int(st, 4);
	o.margin = db_col_int(st, 5);
	o.orders = db_col_int(st, 6);
	o.total = db_col_int(st, 7);
	o.first = col_or0(st, 8);
	o.last = col_or0(st, 9);
	o.r = (uint8_t)db_col_int(st, 10);
	o.f = (uint8_t)db_col_int(st, 11);
	o.m = (uint8_t)db_col_int(st, 12);
	o.suggested = col_code(st, 13, 1);
	o.auto_lc = col_code(st, 14, 1);
	o.key = (uint8_t)db_col_int(st, 15);
	return o;
}

/* The live customers with what was stored for them, merged with the
 * order aggregates (orders of archived customers are skipped). */
static int read_customers(struct job *j, const struct seg_cust *agg, size_t nagg)
{
	db_stmt *st;
	if (db_query(j->d,
		     "SELECT c.id, c.tier, c.lifecycle, s.customer_id, s.revenue_fen, s.margin_fen,"
		     " s.orders_window, s.orders_total, s.first_order_at, s.last_order_at, s.r, s.f,"
		     " s.m, s.lifecycle_suggested, s.auto_lifecycle, s.key_suggested, c.value_class,"
		     " c.kind, u.department_id"
		     " FROM customers c LEFT JOIN customer_segments s ON s.customer_id = c.id"
		     " LEFT JOIN users u ON u.id = c.owner_id"
		     " WHERE c.archived_at IS NULL ORDER BY c.id",
		     DB_ARGS(), &st) < 0)
		return DB_EFAIL;
	size_t k = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (grow(j) < 0) {
			rc = DB_EFAIL;
			break;
		}
		int64_t id = db_col_int(st, 0);
		while (k < nagg && agg[k].id < id)
			k++;
		j->c[j->n] = k < nagg && agg[k].id == id ? agg[k] : (struct seg_cust){.id = id};
		j->old[j->n] = stored_from_row(st);
		j->n++;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---- writing ----------------------------------------------------------------- */

/* The lifecycle this run wants written (-1: none) and the auto_lifecycle
 * to store. */
static int lifecycle_plan(const struct job *j, size_t i, int8_t *auto_lc)
{
	const struct stored *o = &j->old[i];
	int want = j->res[i].stage;
	*auto_lc = o->auto_lc;
	if (!j->s.lifecycle_auto)
		return -1;
	int owned = o->auto_lc < 0 || o->auto_lc == o->lifecycle;
	if (!owned)
		return -1;
	*auto_lc = (int8_t)want;
	return o->lifecycle == want ? -1 : want;
}

static int seg_changed(const struct job *j, size_t i, int8_t auto_lc)
{
	const struct stored *o = &j->old[i];
	const struct seg_cust *c = &j->c[i];
	const struct seg_result *r = &j->res[i];
	int64_t first = c->orders_total ? c->first_order_ms : 0;
	int64_t last = c->orders_total ? c->last_order_ms : 0;
	return !o->has_seg || o->revenue != c->revenue_fen || o->margin != c->margin_fen ||
	       o->orders != c->orders || o->total != c->orders_total || o->first != first ||
	       o->last != last || o->r != r->r || o->f != r->f || o->m != r->m ||
	       o->suggested != r->stage || o->key != r->key || o->auto_lc != auto_lc;
}

static int write_lifecycle(struct job *j, size_t i, int want, int8_t *auto_lc)
{
	const char *old = seg_stage_code(j->old[i].lifecycle);
	int rc = db_exec(j->d,
			 "UPDATE customers SET lifecycle = ?, version = version + 1, updated_at = ?"
			 " WHERE id = ? AND lifecycle = ?",
			 DB_ARGS(DBT(seg_stage_code(want)), DBI(j->now), DBI(j->c[i].id), DBT(old)));
	if (rc < 0)
		return rc;
	if (rc == 0) { /* a person changed it meanwhile: theirs now */
		*auto_lc = j->old[i].auto_lc;
		return 0;
	}
	json_t *ch = json_pack("{s:[ss]}", "lifecycle", old, seg_stage_code(want));
	rc = audit_write(j->d, "customer", j->c[i].id, "lifecycle_auto", j->actor, ch);
	json_decref(ch);
	j->out->lifecycle_changes++;
	return rc;
}

/* The multi-row INSERT of n rows of `cols` values: head, then "(?, ...)" n
 * times, then tail. */
static int flush(struct job *j, struct pending *p, const char *head, int cols, const char *tail)
{
	if (!p->rows)
		return 0;
	buf sql;
	buf_init(&sql, 1 << 16);
	buf_puts(&sql, head);
	for (int r = 0; r < p->rows; r++) {
		buf_puts(&sql, r ? ", (" : " VALUES (");
		for (int c = 0; c < cols; c++)
			buf_puts(&sql, c ? ", ?" : "?");
		buf_putc(&sql, ')');
	}
	buf_puts(&sql, tail);
	int rc = sql.data ? db_exec(j->d, sql.data, p->v, p->rows * cols) : DB_EFAIL;
	buf_release(&sql);
	p->rows = 0;
	return rc < 0 ? rc : 0;
}

static int flush_history(struct job *j)
{
	return flush(j, &j->history,
		     "INSERT INTO tier_history (customer_id, from_tier, to_tier, changed_at, run_id)",
		     HISTORY_COLS, "");
}

static int flush_segments(struct job *j)
{
	return flush(
		j, &j->segments,
		"INSERT INTO customer_segments (customer_id, revenue_fen, margin_fen, orders_window,"
		" orders_total, first_order_at, last_order_at, r, f, m, lifecycle_suggested,"
		" auto_lifecycle, key_suggested, updated_at)",
		SEGMENT_COLS,
		" ON CONFLICT (customer_id) DO UPDATE SET revenue_fen = excluded.revenue_fen,"
		" margin_fen = excluded.margin_fen, orders_window = excluded.orders_window,"
		" orders_total = excluded.orders_total, first_order_at = excluded.first_order_at,"
		" last_order_at = excluded.last_order_at, r = excluded.r, f = excluded.f,"
		" m = excluded.m, lifecycle_suggested = excluded.lifecycle_suggested,"
		" auto_lifecycle = excluded.auto_lifecycle, key_suggested = excluded.key_suggested,"
		" updated_at = excluded.updated_at");
}

/* The tier in customers now; its tier_history row joins the next INSERT. */
static int write_tier(struct job *j, size_t i)
{
	const char *from = j->old[i].tier >= 0 ? seg_tier_code(j->old[i].tier) : "potential";
	const char *to = seg_tier_code(j->res[i].tier);
	int rc = db_exec(j->d, "UPDATE customers SET tier = ?, updated_at = ? WHERE id = ?",
			 DB_ARGS(DBT(to), DBI(j->now), DBI(j->c[i].id)));
	if (rc < 0)
		return rc;
	db_val *v = &j->history.v[j->history.rows++ * HISTORY_COLS];
	v[0] = DBI(j->c[i].id);
	v[1] = DBT(from);
	v[2] = DBT(to);
	v[3] = DBI(j->now);
	v[4] = DBI(j->run_id);
	j->out->tier_changes++;
	return j->history.rows == ROWS_PER_INSERT ? flush_history(j) : 0;
}

/* The segment row joins the next multi-row upsert. */
static int write_segment(struct job *j, size_t i, int8_t auto_lc)
{
	const struct seg_cust *c = &j->c[i];
	const struct seg_result *r = &j->res[i];
	db_val *v = &j->segments.v[j->segments.rows++ * SEGMENT_COLS];
	v[0] = DBI(c->id);
	v[1] = DBI(c->revenue_fen);
	v[2] = DBI(c->margin_fen);
	v[3] = DBI(c->orders);
	v[4] = DBI(c->orders_total);
	v[5] = c->orders_total ? DBI(c->first_order_ms) : DBNULL;
	v[6] = c->orders_total ? DBI(c->last_order_ms) : DBNULL;
	v[7] = DBI(r->r);
	v[8] = DBI(r->f);
	v[9] = DBI(r->m);
	v[10] = DBT(seg_stage_code(r->stage));
	v[11] = auto_lc >= 0 ? DBT(seg_stage_code(auto_lc)) : DBNULL;
	v[12] = DBI(r->key);
	v[13] = DBI(j->now);
	return j->segments.rows == ROWS_PER_INSERT ? flush_segments(j) : 0;
}

/* Writes customer i if anything about it changed; *wrote says whether. */
static int write_one(struct job *j, size_t i, int *wrote)
{
	int8_t auto_lc;
	int want = lifecycle_plan(j, i, &auto_lc);
	int tier = j->old[i].tier != j->res[i].tier;
	int rc = 0;
	*wrote = 0;
	if (want < 0 && !tier && !seg_changed(j, i, auto_lc))
		return 0;
	*wrote = 1;
	if (want >= 0)
		rc = write_lifecycle(j, i, want, &auto_lc);
	if (rc >= 0 && tier)
		rc = write_tier(j, i);
	if (rc >= 0)
		rc = write_segment(j, i, auto_lc);
	return rc < 0 ? rc : 0;
}

static int write_all(struct job *j)
{
	size_t i = 0;
	while (i < j->n) {
		if (db_begin(j->d) < 0)
			return DB_EFAIL;
		int rc = 0, wrote, batch = 0;
		int max = j->d->kind == DB_SQLITE ? WRITE_BATCH_SQLITE : WRITE_BATCH_PG;
		for (; i < j->n && batch < max && rc >= 0; i++) {
			rc = write_one(j, i, &wrote);
			batch += wrote;
		}
		if (rc >= 0)
			rc = flush_history(j);
		if (rc >= 0)
			rc = flush_segments(j);
		if (rc < 0 || db_commit(j->d) < 0) {
			db_rollback(j->d);
			return DB_EFAIL;
		}
	}
	return 0;
}

/* ---- the run ----------------------------------------------------------------- */

static int run_start(struct job *j, const char *source, kf_err *e)
{
	json_t *sj = segment_settings_json(&j->s);
	char *settings = json_dumps(sj, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(sj);
	db_stmt *st = NULL;
	int rc = db_begin(j->d);
	if (rc == 0)
		rc = db_exec(j->d,
			     "UPDATE segment_runs SET status = 'abandoned', finished_at = ?,"
			     " error = 'no end recorded' WHERE status = 'running' AND started_at < ?",
			     DB_ARGS(DBI(j->now), DBI(j->now - STALE_MS)));
	if (rc >= 0)
		rc = db_query(j->d,
			      "INSERT INTO segment_runs (status, source, actor_id, started_at, settings)"
			      " VALUES ('running', ?, ?, ?, ?) RETURNING id",
			      DB_ARGS(DBT(source), j->actor ? DBI(j->actor) : DBNULL, DBI(j->now),
				      DBT(settings)),
			      &st);
	if (rc >= 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			j->run_id = db_col_int(st, 0);
		db_done(st);
	}
	free(settings); /* bound by reference until the statement ran */
	if (rc == DB_ROW && db_commit(j->d) == 0)
		return 0;
	db_rollback(j->d);
	if (rc == DB_EUNIQUE)
		return kf_fail(e, KF_ECONFLICT, NULL, "客户分层正在重新计算，请稍后再试",
			       "A segmentation recompute is already running; try again shortly");
	return kf_fail(e, KF_EDB, NULL, "数据库错误：%s", "Database error: %s", db_errmsg(j->d));
}

static void run_finish(struct job *j, const char *error)
{
	struct segment_run *o = j->out;
	json_t *tiers = json_object();
	for (int t = 0; t < SEG_NTIERS; t++)
		json_object_set_new(tiers, seg_tier_code(t), json_integer(o->tiers[t]));
	char *ts = json_dumps(tiers, JSON_COMPACT);
	char *sum = !error && j->summary ? json_dumps(j->summary, JSON_COMPACT | JSON_REAL_PRECISION(12))
					 : NULL;
	json_decref(tiers);
	o->finished_at = util_now_ms();
	if (db_begin(j->d) == 0 &&
	    db_exec(j->d,
		    "UPDATE segment_runs SET status = ?, finished_at = ?, customers = ?, buyers = ?,"
		    " tier_changes = ?, lifecycle_changes = ?, key_suggestions = ?, tiers = ?,"
		    " summary = ?, error = ? WHERE id = ?",
		    DB_ARGS(DBT(error ? "failed" : "done"), DBI(o->finished_at), DBI(o->customers),
			    DBI(o->buyers), DBI(o->tier_changes), DBI(o->lifecycle_changes),
			    DBI(o->key_suggestions), DBT(ts), DBT(sum ? sum : "{}"),
			    DBT(error ? error : ""), DBI(j->run_id))) >= 0 &&
	    /* the pages read the latest run's figures only: older runs keep
	     * their counts, not their (large) summaries */
	    (error || db_exec(j->d,
			      "UPDATE segment_runs SET summary = '{}' WHERE status = 'done' AND id < ?"
			      " AND summary <> '{}'",
			      DB_ARGS(DBI(j->run_id))) >= 0))
		db_commit(j->d);
	else
		db_rollback(j->d);
	free(ts);
	free(sum);
}

static void count(struct job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		j->out->tiers[j->res[i].tier]++;
		j->out->buyers += j->c[i].orders_total > 0;
		j->out->key_suggestions += j->res[i].key;
	}
	j->out->customers = (int64_t)j->n;
}

/* ---- the report figures ------------------------------------------------------ */

json_t *segment_pareto_json(const struct seg_pareto *p)
{
	json_t *pts = json_array();
	for (size_t i = 0; i < p->npoints; i++)
		json_array_append_new(pts, json_pack("{s:I, s:I, s:f, s:f}", "customers",
						     (json_int_t)p->points[i].customers, "value_fen",
						     (json_int_t)p->points[i].value, "x",
						     p->points[i].x, "y", p->points[i].y));
	return json_pack("{s:I, s:I, s:I, s:I, s:f, s:I, s:f, s:o}", "customers",
			 (json_int_t)p->customers, "total_fen", (json_int_t)p->total,
			 "top20_customers", (json_int_t)p->top20_customers, "top20_fen",
			 (json_int_t)p->top20_value, "top20_share", p->top20_share, "customers_80",
			 (json_int_t)p->customers_80, "customers_80_share", p->customers_80_share,
			 "points", pts);
}

/* The customers a set of figures covers: everyone, one customer type, or
 * the customers of one department's agents (the reports' filters kind and
 * department_id, which the recompute counts ahead). */
struct scope {
	int kind;     /* -1: any */
	int64_t dept; /* 0: any */
};

static int in_scope(const struct job *j, size_t i, const struct scope *sc)
{
	return (sc->kind < 0 || j->old[i].kind == sc->kind) && (!sc->dept || j->old[i].dept == sc->dept);
}

/* The Pareto curve of the window's buyers by revenue (margin 0) or margin. */
static json_t *pareto_of(const struct job *j, const struct scope *sc, int margin)
{
	int64_t *v = malloc((j->n ? j->n : 1) * sizeof(*v));
	struct seg_pareto *p = malloc(sizeof(*p));
	json_t *o = NULL;
	if (v && p) {
		size_t n = 0;
		for (size_t i = 0; i < j->n; i++)
			if (j->c[i].orders > 0 && in_scope(j, i, sc))
				v[n++] = margin ? j->c[i].margin_fen : j->c[i].revenue_fen;
		seg_pareto(v, n, p);
		o = segment_pareto_json(p);
	}
	free(v);
	free(p);
	return o ? o : json_null();
}

/* ---- the preset periods and the ranking marks -------------------------------- */

/* Keeps in each preset's buyers only the live customers (j->c, by id). */
static void periods_live(struct job *j)
{
	for (int p = 0; p < SEG_NPRESETS; p++) {
		struct period_buyers *b = &j->pb[p];
		size_t k = 0, w = 0;
		for (size_t i = 0; i < b->n; i++) {
			while (k < j->n && j->c[k].id < b->v[i][0])
				k++;
			if (k < j->n && j->c[k].id == b->v[i][0])
				memmove(b->v[w++], b->v[i], sizeof(b->v[i]));
		}
		b->n = w;
	}
}

/* The Pareto curve of a preset's buyers by revenue (col 1) or margin (2). */
static json_t *period_pareto(const struct period_buyers *b, int col)
{
	int64_t *v = malloc((b->n ? b->n : 1) * sizeof(*v));
	struct seg_pareto *p = malloc(sizeof(*p));
	json_t *o = NULL;
	if (v && p) {
		for (size_t i = 0; i < b->n; i++)
			v[i] = b->v[i][col];
		seg_pareto(v, b->n, p);
		o = segment_pareto_json(p);
	}
	free(v);
	free(p);
	return o ? o : json_null();
}

/* A preset's buyers by the tier this run gives them: {tier: {buyers,
 * revenue_fen, margin_fen}} (the revenue and margin of the period). */
static json_t *period_pyramid(const struct job *j, const struct period_buyers *b)
{
	int64_t n[SEG_NTIERS] = {0}, rev[SEG_NTIERS] = {0}, mar[SEG_NTIERS] = {0};
	size_t k = 0;
	for (size_t i = 0; i < b->n; i++) {
		while (k < j->n && j->c[k].id < b->v[i][0])
			k++;
		if (k == j->n || j->c[k].id != b->v[i][0])
			continue;
		int t = j->res[k].tier;
		n[t]++;
		rev[t] += b->v[i][1];
		mar[t] += b->v[i][2];
	}
	json_t *o = json_object();
	for (int t = 0; t < SEG_NTIERS; t++)
		json_object_set_new(o, seg_tier_code(t),
				    json_pack("{s:I, s:I, s:I}", "buyers", (json_int_t)n[t], "revenue_fen",
					      (json_int_t)rev[t], "margin_fen", (json_int_t)mar[t]));
	return o;
}

/* [{name, from, to, pareto_revenue, pareto_margin, pyramid}], one per
 * preset; the migration of each is added once the tiers are written. */
static json_t *periods_json(const struct job *j)
{
	json_t *a = json_array();
	for (int p = 0; p < SEG_NPRESETS; p++)
		json_array_append_new(
			a, json_pack("{s:s, s:I, s:I, s:o, s:o, s:o}", "name", j->periods[p].name, "from",
				     (json_int_t)j->periods[p].from, "to", (json_int_t)j->periods[p].to,
				     "pareto_revenue", period_pareto(&j->pb[p], 1), "pareto_margin",
				     period_pareto(&j->pb[p], 2), "pyramid", period_pyramid(j, &j->pb[p])));
	return a;
}

/* Each preset's tier migration, replayed from the history just written. */
static int periods_migration(struct job *j)
{
	json_t *a = json_object_get(j->summary, "periods");
	for (int p = 0; p < SEG_NPRESETS; p++) {
		json_t *m = segment_migration_json(j->d, j->periods[p].from, j->periods[p].to);
		if (!m)
			return DB_EFAIL;
		json_object_set_new(json_array_get(a, (size_t)p), "migration", m);
	}
	return 0;
}

enum { RANK_MARK_STEP = 1000 };

static int by_rank(const void *a, const void *b)
{
	const int64_t *x = a, *y = b; /* {revenue, id}: best first, ties by id downwards */
	if (x[0] != y[0])
		return x[0] < y[0] ? 1 : -1;
	return x[1] < y[1] ? 1 : x[1] > y[1] ? -1 : 0;
}

/* segment_rank_marks: every RANK_MARK_STEP-th place of the ranking the
 * Pareto drill-down reads (buyers of the window by revenue). */
static int write_rank_marks(struct job *j)
{
	int64_t(*r)[2] = malloc((j->n ? j->n : 1) * sizeof(*r));
	if (!r)
		return DB_EFAIL;
	size_t n = 0;
	for (size_t i = 0; i < j->n; i++)
		if (j->c[i].orders > 0) {
			r[n][0] = j->c[i].revenue_fen;
			r[n][1] = j->c[i].id;
			n++;
		}
	qsort(r, n, sizeof(*r), by_rank);
	int rc = db_begin(j->d);
	if (rc >= 0)
		rc = db_exec(j->d, "DELETE FROM segment_rank_marks", DB_ARGS());
	int64_t cum = 0;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		cum += r[i][0];
		if ((i + 1) % RANK_MARK_STEP == 0)
			rc = db_exec(j->d,
				     "INSERT INTO segment_rank_marks (place, revenue_fen, customer_id, cum_fen)"
				     " VALUES (?, ?, ?, ?)",
				     DB_ARGS(DBI((int64_t)(i + 1)), DBI(r[i][0]), DBI(r[i][1]), DBI(cum)));
	}
	free(r);
	if (rc < 0 || db_commit(j->d) < 0) {
		db_rollback(j->d);
		return DB_EFAIL;
	}
	return 0;
}

struct tally {
	int64_t customers, revenue, margin, keys;
};

static json_t *tally_json(const struct tally *t)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "customers", (json_int_t)t->customers,
			 "revenue_fen", (json_int_t)t->revenue, "margin_fen", (json_int_t)t->margin,
			 "key_accounts", (json_int_t)t->keys);
}

/* The figures of the customers in scope: {pyramid: {tier: tally},
 * pareto_revenue, pareto_margin, rfm: {grid: {"RF": tally}, monetary:
 * {"M": tally}}, lifecycle: {current: {stage: n}, suggested: {stage: n}}}.
 * The lifecycle counted is the one the run leaves (what it writes where it
 * owns the field). */
static json_t *figures_json(const struct job *j, const struct scope *sc)
{
	struct tally tiers[SEG_NTIERS] = {0}, rf[6][6] = {{{0}}}, mon[6] = {{0}};
	int64_t cur[SEG_NSTAGES] = {0}, sug[SEG_NSTAGES] = {0};
	for (size_t i = 0; i < j->n; i++) {
		if (!in_scope(j, i, sc))
			continue;
		const struct seg_cust *c = &j->c[i];
		const struct seg_result *r = &j->res[i];
		struct tally one = {1, c->revenue_fen, c->margin_fen, j->old[i].is_key};
		struct tally *ts[] = {&tiers[r->tier], r->r ? &rf[r->r][r->f] : NULL,
				      r->m ? &mon[r->m] : NULL};
		for (size_t k = 0; k < KF_ARRAY_LEN(ts); k++)
			if (ts[k]) {
				ts[k]->customers += one.customers;
				ts[k]->revenue += one.revenue;
				ts[k]->margin += one.margin;
				ts[k]->keys += one.keys;
			}
		int8_t auto_lc;
		int want = lifecycle_plan(j, i, &auto_lc);
		int now = want >= 0 ? want : j->old[i].lifecycle;
		if (now >= 0)
			cur[now]++;
		sug[r->stage]++;
	}
	json_t *pyr = json_object(), *grid = json_object(), *m = json_object();
	json_t *lc_cur = json_object(), *lc_sug = json_object();
	for (int t = 0; t < SEG_NTIERS; t++)
		json_object_set_new(pyr, seg_tier_code(t), tally_json(&tiers[t]));
	for (int a = 1; a <= 5; a++) {
		char k[8];
		snprintf(k, sizeof(k), "%d", a);
		json_object_set_new(m, k, tally_json(&mon[a]));
		for (int b = 1; b <= 5; b++) {
			snprintf(k, sizeof(k), "%d%d", a, b);
			json_object_set_new(grid, k, tally_json(&rf[a][b]));
		}
	}
	for (int s = 0; s < SEG_NSTAGES; s++) {
		json_object_set_new(lc_cur, seg_stage_code(s), json_integer(cur[s]));
		json_object_set_new(lc_sug, seg_stage_code(s), json_integer(sug[s]));
	}
	return json_pack("{s:o, s:o, s:o, s:{s:o, s:o}, s:{s:o, s:o}}", "pyramid", pyr,
			 "pareto_revenue", pareto_of(j, sc, 0), "pareto_margin", pareto_of(j, sc, 1),
			 "rfm", "grid", grid, "monetary", m, "lifecycle", "current", lc_cur,
			 "suggested", lc_sug);
}

enum { MAX_SCOPE_DEPTS = 64 };

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* {"kind=person": figures, "kind=organization": ..., "department_id=N": ...}
 * for each customer type and each department owning customers (up to
 * MAX_SCOPE_DEPTS; a report narrowed otherwise is counted on request). */
static json_t *scopes_json(const struct job *j)
{
	json_t *o = json_object();
	for (int k = 0; k < 2; k++) {
		struct scope sc = {k, 0};
		json_object_set_new(o, k ? "kind=organization" : "kind=person", figures_json(j, &sc));
	}
	int64_t depts[MAX_SCOPE_DEPTS];
	size_t nd = 0;
	for (size_t i = 0; i < j->n; i++) {
		int64_t d = j->old[i].dept;
		if (!d)
			continue;
		size_t k = 0;
		while (k < nd && depts[k] != d)
			k++;
		if (k == nd && nd < MAX_SCOPE_DEPTS)
			depts[nd++] = d;
	}
	qsort(depts, nd, sizeof(*depts), cmp_i64);
	for (size_t k = 0; k < nd; k++) {
		struct scope sc = {-1, depts[k]};
		char key[40];
		snprintf(key, sizeof(key), "department_id=%lld", (long long)depts[k]);
		json_object_set_new(o, key, figures_json(j, &sc));
	}
	return o;
}

/* What the report pages show, counted while everything is in memory: the
 * figures of everyone (figures_json) and {window_from, window_to,
 *  periods: [{name, from, to, pareto_revenue, pareto_margin, pyramid,
 *             migration}], scopes: {"kind=...": figures, ...}}
 * (periods: the presets of core/segment.h as of the run; the migration, a
 * Sankey as reports_migration.c answers it, is added after the writes). */
static json_t *summary_json(const struct job *j)
{
	struct scope all = {-1, 0};
	json_t *o = figures_json(j, &all);
	json_object_set_new(o, "window_from", json_integer(seg_months_before(j->now, j->s.window_months)));
	json_object_set_new(o, "window_to", json_integer(j->now));
	json_object_set_new(o, "periods", periods_json(j));
	json_object_set_new(o, "scopes", scopes_json(j));
	return o;
}

json_t *segment_last_summary(db *d, int64_t *finished_at)
{
	db_stmt *st;
	json_t *o = NULL;
	*finished_at = 0;
	if (db_query(d,
		     "SELECT finished_at, summary FROM segment_runs WHERE status = 'done'"
		     " ORDER BY finished_at DESC LIMIT 1",
		     DB_ARGS(), &st) < 0)
		return NULL;
	if (db_step(st) == DB_ROW) {
		o = json_loads(db_col_text(st, 1), 0, NULL);
		if (o && json_object_size(o))
			*finished_at = db_col_int(st, 0);
		else {
			json_decref(o);
			o = NULL;
		}
	}
	db_done(st);
	return o;
}

static int compute_and_write(struct job *j)
{
	struct seg_cust *agg = NULL;
	size_t nagg = 0;
	int64_t t0 = util_mono_us();
	int rc = read_orders(j, &agg, &nagg);
	if (rc == 0)
		rc = read_customers(j, agg, nagg);
	free(agg);
	if (rc < 0)
		return rc;
	periods_live(j);
	int64_t t1 = util_mono_us();
	j->res = malloc((j->n ? j->n : 1) * sizeof(*j->res));
	if (!j->res || segment_compute(j->c, j->n, &j->s, j->now, j->res) < 0)
		return DB_EFAIL;
	count(j);
	j->summary = summary_json(j);
	int64_t t2 = util_mono_us();
	rc = write_all(j);
	if (rc == 0)
		rc = write_rank_marks(j);
	if (rc == 0)
		rc = periods_migration(j);
	j->out->read_ms = (t1 - t0) / 1000;
	j->out->compute_ms = (t2 - t1) / 1000;
	j->out->write_ms = (util_mono_us() - t2) / 1000;
	return rc;
}

int segment_recompute(db *d, int64_t actor_id, const char *source, int64_t now_ms,
		      struct segment_run *out, kf_err *e)
{
	struct job j = {.d = d, .now = now_ms, .actor = actor_id, .out = out};
	memset(out, 0, sizeof(*out));
	seg_presets(now_ms, j.periods);
	out->started_at = now_ms;
	if (segment_settings_load(d, &j.s) < 0)
		return kf_fail(e, KF_EDB, NULL, "数据库错误：%s", "Database error: %s", db_errmsg(d));
	int rc = run_start(&j, source, e);
	if (rc < 0)
		return rc;
	out->id = j.run_id;
	/* SQLite: the run rewrites most rows of a large table and two of its
	 * indexes in revenue order (random pages); with the default 2 MB page
	 * cache the dirty index pages spill to the WAL over and over.  A
	 * larger cache for this connection, for the run only. */
	if (d->kind == DB_SQLITE)
		db_exec_script(d, "PRAGMA cache_size = -262144");
	rc = compute_and_write(&j);
	if (d->kind == DB_SQLITE)
		db_exec_script(d, "PRAGMA cache_size = -2000; PRAGMA shrink_memory");
	if (rc < 0) {
		kf_fail(e, KF_EDB, NULL, "重新计算失败：%s", "The recompute failed: %s", db_errmsg(d));
		log_error("segment recompute %lld: %s", (long long)j.run_id, e->en);
	}
	run_finish(&j, rc < 0 ? e->en : NULL);
	free(j.c);
	free(j.old);
	free(j.res);
	for (int p = 0; p < SEG_NPRESETS; p++)
		free(j.pb[p].v);
	json_decref(j.summary);
	return rc < 0 ? KF_EDB : 0;
}

json_t *segment_run_json(const struct segment_run *run)
{
	json_t *tiers = json_object();
	for (int t = 0; t < SEG_NTIERS; t++)
		json_object_set_new(tiers, seg_tier_code(t), json_integer(run->tiers[t]));
	return json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:{s:I, s:I, s:I}}",
			 "id", (json_int_t)run->id, "status", "done", "started_at",
			 (json_int_t)run->started_at, "finished_at", (json_int_t)run->finished_at,
			 "duration_ms", (json_int_t)(run->finished_at - run->started_at), "customers",
			 (json_int_t)run->customers, "buyers", (json_int_t)run->buyers,
			 "tier_changes", (json_int_t)run->tier_changes, "lifecycle_changes",
			 (json_int_t)run->lifecycle_changes, "key_suggestions",
			 (json_int_t)run->key_suggestions, "tiers", tiers, "timing", "read_ms",
			 (json_int_t)run->read_ms, "compute_ms", (json_int_t)run->compute_ms,
			 "write_ms", (json_int_t)run->write_ms);
}

int64_t segment_last_run_at(db *d)
{
	int64_t v = 0;
	if (db_query_int(d, "SELECT MAX(finished_at) FROM segment_runs WHERE status = 'done'",
			 DB_ARGS(), &v) != DB_ROW)
		return 0;
	return v;
}

/* The started_at of the latest finished recompute, or 0. */
static int64_t last_started_at(db *d)
{
	int64_t v = 0;
	if (db_query_int(d,
			 "SELECT started_at FROM segment_runs WHERE status = 'done'"
			 " ORDER BY finished_at DESC LIMIT 1",
			 DB_ARGS(), &v) != DB_ROW)
		return 0;
	return v;
}

int segment_job_run(db *d, int64_t now, char *summary, size_t len)
{
	struct seg_settings s;
	if (segment_settings_load(d, &s) < 0) {
		snprintf(summary, len, "error: cannot read the settings");
		return -1;
	}
	if (!s.auto_recompute) {
		snprintf(summary, len, "off (auto_recompute is false)");
		return 0;
	}
	int64_t due = seg_last_hour_at(now, s.recompute_hour);
	if (last_started_at(d) >= due) {
		snprintf(summary, len, "up to date");
		return 0;
	}
	struct segment_run run;
	kf_err e;
	kf_err_clear(&e);
	if (segment_recompute(d, 0, "job", now, &run, &e) < 0) {
		snprintf(summary, len, "error: %.150s", e.en);
		return e.code == KF_ECONFLICT ? 0 : -1;
	}
	snprintf(summary, len, "run %lld: %lld customers, %lld tier changes in %lld ms",
		 (long long)run.id, (long long)run.customers, (long long)run.tier_changes,
		 (long long)(run.finished_at - run.started_at));
	return 1;
}

/* ---- HTTP -------------------------------------------------------------------- */

int segment_recompute_post(http_req *r)
{
	struct segment_run run;
	kf_err e;
	kf_err_clear(&e);
	if (segment_recompute(r->db, r->user.id, "api", util_now_ms(), &run, &e) < 0)
		return in_err(r, &e);
	return http_json(r, 200, segment_run_json(&run));
}

static json_t *run_row(db_stmt *st)
{
	json_t *tiers = json_loads(db_col_text(st, 11), 0, NULL);
	json_t *actor = db_col_null(st, 3) ? json_null()
					   : json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, 3),
						       "display_name", db_col_text(st, 13));
	int64_t fin = col_or0(st, 5);
	return json_pack(
		"{s:I, s:s, s:s, s:o, s:I, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:o, s:s}", "id",
		(json_int_t)db_col_int(st, 0), "status", db_col_text(st, 1), "source",
		db_col_text(st, 2), "actor", actor, "started_at", (json_int_t)db_col_int(st, 4),
		"finished_at", fin ? json_integer(fin) : json_null(), "duration_ms",
		fin ? json_integer(fin - db_col_int(st, 4)) : json_null(), "customers",
		(json_int_t)db_col_int(st, 6), "buyers", (json_int_t)db_col_int(st, 7),
		"tier_changes", (json_int_t)db_col_int(st, 8), "lifecycle_changes",
		(json_int_t)db_col_int(st, 9), "key_suggestions", (json_int_t)db_col_int(st, 10),
		"tiers", tiers ? tiers : json_object(), "error", db_col_text(st, 12));
}

int segment_runs_list(http_req *r)
{
	int64_t limit;
	int rc;
	if ((rc = in_query_int(r, "limit", 1, 100, 20, &limit)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT g.id, g.status, g.source, g.actor_id, g.started_at, g.finished_at,"
		     " g.customers, g.buyers, g.tier_changes, g.lifecycle_changes, g.key_suggestions,"
		     " g.tiers, g.error, u.display_name FROM segment_runs g"
		     " LEFT JOIN users u ON u.id = g.actor_id ORDER BY g.id DESC LIMIT ?",
		     DB_ARGS(DBI(limit)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, run_row(st));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}
