/* reports_migration.c - tier migration between two instants (who moved
 * up, who is slipping): a Sankey of flows from tier to tier, and the
 * customers behind one flow.
 *
 * Replays tier_history: a customer's tier at T is the to_tier of their
 * last change before T, 'potential' before any; a customer created at or
 * after `from` starts from the pseudo-tier "new".  Customers archived now,
 * or created after `to`, are left out.  Two ordered streams (customers by
 * id, history by customer and time) are merged in one pass, the history
 * from a covering index (0011); the name and company of a listed customer
 * are read for that customer only.
 *
 * The recompute stores the Sankey of each preset period (core/segment.h)
 * as of its run; a request for exactly such a period is answered from it,
 * with the run's time as its freshness. */
#include "app/report.h"
#include "app/segment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/classes.h"
#include "lib/common.h"
#include "lib/util.h"

/* One customer's move, handed to a visitor. */
struct move {
	int64_t id;
	int from, to;	    /* SEG_* or SEG_MIG_NEW */
	int64_t changed_at; /* last change before `to`, 0 if none */
};

typedef int (*move_fn)(void *ctx, const struct move *m);

static const char *from_code(int t)
{
	return t == SEG_MIG_NEW ? "new" : seg_tier_code(t);
}

static const char *tier_label(int t, int en)
{
	if (t == SEG_MIG_NEW)
		return en ? "New" : "新客户";
	const struct class_value *v = class_value(class_find("tier"), seg_tier_code(t));
	return v ? (en ? v->en : v->zh) : "";
}

/* Advances the history stream past customer id, noting the tier before
 * `from` and before `to`. */
static int replay(db_stmt *h, int *hrc, int64_t id, int64_t from, struct move *m)
{
	int before_from = SEG_POTENTIAL, before_to = SEG_POTENTIAL;
	m->changed_at = 0;
	while (*hrc == DB_ROW && db_col_int(h, 0) <= id) {
		if (db_col_int(h, 0) == id) {
			int t = seg_tier_parse(db_col_text(h, 1));
			int64_t at = db_col_int(h, 2);
			if (t >= 0) {
				before_to = t;
				m->changed_at = at;
				if (at < from)
					before_from = t;
			}
		}
		*hrc = db_step(h);
	}
	if (*hrc < 0)
		return *hrc;
	m->from = before_from;
	m->to = before_to;
	return 0;
}

/* The live customers the filter covers (NULL: all), with a history
 * replayed for each. */
static int walk(db *d, const struct rep_filter *f, int64_t from, int64_t to, int64_t after_id,
		move_fn fn, void *ctx)
{
	db_stmt *c, *h;
	db_val args[KF_ARRAY_LEN(f->args) + 2];
	int n = 0;
	for (int i = 0; f && i < f->n; i++)
		args[n++] = f->args[i];
	args[n++] = DBI(after_id);
	args[n++] = DBI(to);
	char sql[4096];
	snprintf(sql, sizeof(sql),
		 "SELECT c.id, c.created_at FROM customers c"
		 " WHERE %s AND c.id > ? AND c.created_at < ? ORDER BY c.id",
		 f ? f->where : "c.archived_at IS NULL");
	if (strlen(sql) >= sizeof(sql) - 1 || db_query(d, sql, args, n, &c) < 0)
		return DB_EFAIL;
	if (db_query(d,
		     "SELECT customer_id, to_tier, changed_at FROM tier_history"
		     " WHERE customer_id > ? AND changed_at < ? ORDER BY customer_id, changed_at, id",
		     DB_ARGS(DBI(after_id), DBI(to)), &h) < 0) {
		db_done(c);
		return DB_EFAIL;
	}
	int rc, hrc = db_step(h), stop = 0;
	while (!stop && (rc = db_step(c)) == DB_ROW) {
		struct move m = {.id = db_col_int(c, 0)};
		if ((rc = replay(h, &hrc, m.id, from, &m)) < 0)
			break;
		if (db_col_int(c, 1) >= from)
			m.from = SEG_MIG_NEW;
		stop = fn(ctx, &m);
		if (stop < 0)
			rc = DB_EFAIL;
	}
	db_done(h);
	db_done(c);
	return rc < 0 ? rc : 0;
}

/* ---- the Sankey -------------------------------------------------------------- */

static int add_move(void *ctx, const struct move *m)
{
	seg_migration_add(ctx, m->from, m->to);
	return 0;
}

static const char *direction(int from, int to)
{
	if (from == SEG_MIG_NEW)
		return "new";
	int d = seg_tier_direction(from, to);
	return d > 0 ? "up" : d < 0 ? "down" : "same";
}

static const struct rep_col mig_cols[] = {
	{"起始层级", "From tier", REP_TEXT},
	{"目标层级", "To tier", REP_TEXT},
	{"客户数", "Customers", REP_INT},
	{"变化", "Change", REP_TEXT},
};

static const char *direction_label(const char *d, int en)
{
	static const char *const names[][3] = {{"up", "上升", "Up"},
					       {"down", "下降", "Down"},
					       {"same", "不变", "Same"},
					       {"new", "新客户", "New"}};
	for (size_t i = 0; i < KF_ARRAY_LEN(names); i++)
		if (!strcmp(names[i][0], d))
			return names[i][en ? 2 : 1];
	return d;
}

/* A Sankey node; names must be unique across both sides: "from:top", "to:top". */
static json_t *node(int t, int side_to, int64_t customers)
{
	const char *tier = side_to ? seg_tier_code(t) : from_code(t);
	char name[40];
	snprintf(name, sizeof(name), "%s:%s", side_to ? "to" : "from", tier);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "name", name, "side",
			 side_to ? "to" : "from", "tier", tier, "label_zh", tier_label(t, 0),
			 "label_en", tier_label(t, 1), "customers", (json_int_t)customers);
}

static json_t *sankey_json(const struct seg_migration *m, int64_t from, int64_t to)
{
	json_t *nodes = json_array(), *links = json_array();
	int64_t out[SEG_MIG_FROM] = {0}, in[SEG_NTIERS] = {0}, total = 0;
	for (int f = 0; f < SEG_MIG_FROM; f++)
		for (int t = 0; t < SEG_NTIERS; t++) {
			out[f] += m->flow[f][t];
			in[t] += m->flow[f][t];
			total += m->flow[f][t];
		}
	for (int f = 0; f < SEG_MIG_FROM; f++)
		if (out[f])
			json_array_append_new(nodes, node(f, 0, out[f]));
	for (int t = 0; t < SEG_NTIERS; t++)
		if (in[t])
			json_array_append_new(nodes, node(t, 1, in[t]));
	for (int f = 0; f < SEG_MIG_FROM; f++)
		for (int t = 0; t < SEG_NTIERS; t++) {
			if (!m->flow[f][t])
				continue;
			char src[40], dst[40];
			snprintf(src, sizeof(src), "from:%s", from_code(f));
			snprintf(dst, sizeof(dst), "to:%s", seg_tier_code(t));
			json_array_append_new(links, json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "source",
							       src, "target", dst, "from", from_code(f),
							       "to", seg_tier_code(t), "customers",
							       (json_int_t)m->flow[f][t], "direction",
							       direction(f, t)));
		}
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "from", (json_int_t)from,
			 "to", (json_int_t)to, "customers", (json_int_t)total, "up",
			 (json_int_t)m->up, "down", (json_int_t)m->down, "same", (json_int_t)m->same,
			 "new", (json_int_t)out[SEG_MIG_NEW], "nodes", nodes, "links", links);
}

static int migration_file(http_req *r, const struct seg_migration *m, int64_t from, int64_t to,
			  int fmt)
{
	struct rep_table t;
	int en = r->lang_en;
	rep_init(&t, r->a, "tier-migration", "层级迁移", "Tier migration", mig_cols,
		 KF_ARRAY_LEN(mig_cols));
	for (int f = 0; f < SEG_MIG_FROM; f++)
		for (int k = 0; k < SEG_NTIERS; k++) {
			if (!m->flow[f][k])
				continue;
			struct rep_cell *c = rep_row(&t);
			c[0].s = tier_label(f, en);
			c[1].s = tier_label(k, en);
			c[2].i = m->flow[f][k];
			c[3].s = direction_label(direction(f, k), en);
		}
	rep_info(&t, en ? "From" : "开始", rep_time_text(r->a, from));
	rep_info(&t, en ? "To" : "结束", rep_time_text(r->a, to));
	return rep_send(r, &t, fmt);
}

/* Default period: the last three months up to now, this millisecond
 * included (the end is exclusive). */
static int period(http_req *r, int64_t *from, int64_t *to)
{
	int64_t now = util_now_ms();
	return rep_range(r, seg_months_before(now, 3), now + 1, from, to);
}

json_t *segment_migration_json(db *d, int64_t from, int64_t to)
{
	struct seg_migration *m = malloc(sizeof(*m));
	if (!m)
		return NULL;
	seg_migration_init(m);
	json_t *o = walk(d, NULL, from, to, 0, add_move, m) < 0 ? NULL : sankey_json(m, from, to);
	free(m);
	return o;
}

/* The flows of a Sankey back into counts (a stored one, for the files,
 * which show the flows only). */
static void flows_of(json_t *o, struct seg_migration *m)
{
	seg_migration_init(m);
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(o, "links"), i, l)
	{
		const char *f = json_string_value(json_object_get(l, "from"));
		int t = seg_tier_parse(json_string_value(json_object_get(l, "to")));
		int fi = f && !strcmp(f, "new") ? SEG_MIG_NEW : seg_tier_parse(f);
		int64_t n = json_integer_value(json_object_get(l, "customers"));
		if (fi >= 0 && fi < SEG_MIG_FROM && t >= 0)
			m->flow[fi][t] = n;
	}
}

/* The Sankey the last recompute stored for exactly [from, to), with the
 * run's time in *at; NULL when it stored none for that period. */
static json_t *stored_migration(db *d, int64_t from, int64_t to, int64_t *at)
{
	json_t *sum = segment_last_summary(d, at), *o = NULL;
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(sum, "periods"), i, p)
	{
		if (json_integer_value(json_object_get(p, "from")) == from &&
		    json_integer_value(json_object_get(p, "to")) == to &&
		    json_is_object(json_object_get(p, "migration"))) {
			o = json_incref(json_object_get(p, "migration"));
			break;
		}
	}
	json_decref(sum);
	return o;
}

int report_tier_migration(http_req *r)
{
	int fmt, rc;
	int64_t from, to, at = 0, fresh;
	struct rep_filter f;
	if ((rc = rep_format(r, &fmt)) < 0 || (rc = period(r, &from, &to)) < 0 ||
	    (rc = in_query_int(r, "fresh", 0, 1, 0, &fresh)) < 0 || (rc = rep_filter(r, &f)) < 0)
		return rc;
	json_t *o = fresh || f.narrowed ? NULL : stored_migration(r->db, from, to, &at);
	const char *source = "segments";
	if (!o) {
		source = "history";
		at = segment_last_run_at(r->db);
		struct seg_migration *m = arena_alloc(r->a, sizeof(*m));
		seg_migration_init(m);
		if (walk(r->db, &f, from, to, 0, add_move, m) < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
		o = sankey_json(m, from, to);
	}
	if (fmt != REP_JSON) {
		struct seg_migration *m = arena_alloc(r->a, sizeof(*m));
		flows_of(o, m);
		json_decref(o);
		return migration_file(r, m, from, to, fmt);
	}
	json_object_set_new(o, "source", json_string(source));
	json_object_set_new(o, "computed_at", at ? json_integer(at) : json_null());
	return rep_json(r, o);
}

/* ---- the customers of one flow ----------------------------------------------- */

struct pick {
	http_req *r;
	int from, to; /* -1: any */
	int64_t limit, n, last;
	int more;
	json_t *items;
};

static int pick_move(void *ctx, const struct move *m)
{
	struct pick *p = ctx;
	if ((p->from >= 0 && m->from != p->from) || (p->to >= 0 && m->to != p->to))
		return 0;
	if (p->n == p->limit) {
		p->more = 1;
		return 1;
	}
	db_stmt *st;
	if (db_query(p->r->db, "SELECT name, company, tier FROM customers WHERE id = ?",
		     DB_ARGS(DBI(m->id)), &st) < 0)
		return -1;
	int rc = db_step(st);
	if (rc == DB_ROW)
		json_array_append_new(
			p->items,
			json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "customer_id",
				  (json_int_t)m->id, "name", db_col_text(st, 0), "company",
				  db_col_text(st, 1), "from_tier", from_code(m->from), "to_tier",
				  seg_tier_code(m->to), "tier", db_col_text(st, 2), "direction",
				  direction(m->from, m->to), "changed_at",
				  m->changed_at ? json_integer(m->changed_at) : json_null()));
	db_done(st);
	if (rc < 0)
		return -1;
	p->last = m->id;
	p->n++;
	return 0;
}

static int tier_param(http_req *r, const char *name, int allow_new, int *out)
{
	const char *v = http_query(r, name);
	*out = -1;
	if (!v || !*v)
		return 0;
	if (allow_new && !strcmp(v, "new")) {
		*out = SEG_MIG_NEW;
		return 0;
	}
	if ((*out = seg_tier_parse(v)) < 0)
		return http_fail(r, KF_EINVAL, name, "%s 应为层级代码（top、high、mid、low、inactive、potential%s）",
				 "%s must be a tier code (top, high, mid, low, inactive, potential%s)", name,
				 allow_new ? ", new" : "");
	return 0;
}

int report_tier_migration_customers(http_req *r)
{
	int rc;
	int64_t from, to, after;
	struct pick p = {.r = r};
	struct rep_filter f;
	if ((rc = period(r, &from, &to)) < 0 || (rc = rep_filter(r, &f)) < 0 ||
	    (rc = tier_param(r, "from_tier", 1, &p.from)) < 0 ||
	    (rc = tier_param(r, "to_tier", 0, &p.to)) < 0 ||
	    (rc = in_query_int(r, "limit", 1, 200, 50, &p.limit)) < 0 || (rc = in_cursor(r, &after)) < 0)
		return rc;
	p.items = json_array();
	if (walk(r->db, &f, from, to, after, pick_move, &p) < 0) {
		json_decref(p.items);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	return rep_json(r,
			json_pack("{s:o, s:o}", "items", p.items, "next_cursor",
				  p.more ? json_string(out_cursor(r, p.last)) : json_null()));
}
