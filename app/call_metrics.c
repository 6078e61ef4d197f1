/* call_metrics.c - queue metrics by interval, day, week, queue and agent,
 * the agents' weekly hotline and QA figures side by side, and the
 * wallboard.
 *
 * Metrics read the calls offered in the range once (an index range on
 * calls.offered_at) and sum them in C (core/callmetrics.h) into the groups
 * asked for; agent time (for occupancy) comes from agent_events, spread
 * over the 30-minute intervals it covers.  Days and intervals are the
 * company's local time (settings.business_timezone). */
#include "app/calls.h"

#include <stdlib.h>
#include <string.h>

#include "core/bizcal.h"
#include "lib/common.h"
#include "lib/util.h"

enum { G_DAY = 1, G_WEEK = 2, G_INTERVAL = 4, G_QUEUE = 8, G_AGENT = 16 };
enum { MAX_GROUPS = 200000, MAX_RANGE_DAYS = 92, IV_MIN = 30 };

struct gkey {
	int64_t day;      /* local day (or the Monday of the week); -1 if not grouped */
	int iv;           /* 0..47; -1 */
	const char *queue; /* NULL if not grouped */
	int64_t agent;    /* user id, 0 for none; -1 if not grouped */
};

struct group {
	struct gkey k;
	struct callm_acc acc;
	const char *agent_name;
	int64_t qa_n, qa_sum_permille;
};

struct groups {
	arena *a;
	int flags;
	struct group *v;
	size_t n, cap;
	int32_t *slots; /* open addressing: index + 1, 0 empty */
	size_t nslots;
};

static uint64_t key_hash(const struct gkey *k)
{
	uint64_t h = 1469598103934665603ull;
	int64_t parts[3] = {k->day, k->iv, k->agent};
	for (int i = 0; i < 3; i++)
		h = (h ^ (uint64_t)parts[i]) * 1099511628211ull;
	for (const char *p = k->queue ? k->queue : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

static int key_eq(const struct gkey *a, const struct gkey *b)
{
	return a->day == b->day && a->iv == b->iv && a->agent == b->agent &&
	       ((!a->queue && !b->queue) || (a->queue && b->queue && !strcmp(a->queue, b->queue)));
}

static void rehash(struct groups *g)
{
	size_t ns = g->nslots ? g->nslots * 2 : 256;
	int32_t *s = arena_zalloc(g->a, ns * sizeof(*s));
	for (size_t i = 0; i < g->n; i++) {
		size_t h = key_hash(&g->v[i].k) & (ns - 1);
		while (s[h])
			h = (h + 1) & (ns - 1);
		s[h] = (int32_t)i + 1;
	}
	g->slots = s;
	g->nslots = ns;
}

/* The group of key k, created if new; NULL past MAX_GROUPS. */
static struct group *group_of(struct groups *g, const struct gkey *k)
{
	if (!g->nslots || g->n * 2 >= g->nslots)
		rehash(g);
	size_t h = key_hash(k) & (g->nslots - 1);
	while (g->slots[h]) {
		struct group *x = &g->v[g->slots[h] - 1];
		if (key_eq(&x->k, k))
			return x;
		h = (h + 1) & (g->nslots - 1);
	}
	if (g->n >= MAX_GROUPS)
		return NULL;
	if (g->n == g->cap) {
		size_t nc = g->cap ? g->cap * 2 : 64;
		struct group *nv = arena_alloc(g->a, nc * sizeof(*nv));
		if (g->n)
			memcpy(nv, g->v, g->n * sizeof(*nv));
		g->v = nv;
		g->cap = nc;
	}
	struct group *x = &g->v[g->n];
	memset(x, 0, sizeof(*x));
	x->k = *k;
	if (k->queue)
		x->k.queue = arena_strdup(g->a, k->queue);
	g->slots[h] = (int32_t)++g->n;
	return x;
}

/* The key of something at local minute lm, in queue q, of agent a. */
static struct gkey make_key(int flags, int64_t lm, const char *q, int64_t a)
{
	struct gkey k = {-1, -1, NULL, -1};
	int64_t day = bizcal_floor_div(lm, 1440);
	if (flags & G_DAY)
		k.day = day;
	if (flags & G_WEEK)
		k.day = day - (bizcal_weekday((int32_t)day) - 1);
	if (flags & G_INTERVAL)
		k.iv = (int)((lm - day * 1440) / IV_MIN);
	if (flags & G_QUEUE)
		k.queue = q ? q : "";
	if (flags & G_AGENT)
		k.agent = a;
	return k;
}

struct range {
	struct hotline_settings hs;
	int64_t from_day, to_day; /* local, inclusive */
	int64_t from_ms, to_ms;   /* UTC */
	const char *queue;
	int64_t agent_id;
	int flags;
};

static int parse_group(http_req *r, const char *s, int *flags)
{
	static const struct {
		const char *name;
		int flag;
	} dims[] = {{"day", G_DAY}, {"week", G_WEEK}, {"interval", G_INTERVAL},
		    {"queue", G_QUEUE}, {"agent", G_AGENT}};
	*flags = 0;
	if (!s || !*s) {
		*flags = G_INTERVAL;
		return 0;
	}
	const char *p = s;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int found = 0;
		for (size_t i = 0; i < KF_ARRAY_LEN(dims); i++)
			if (strlen(dims[i].name) == n && !strncmp(p, dims[i].name, n)) {
				*flags |= dims[i].flag;
				found = 1;
			}
		if (!found)
			return http_fail(r, KF_EINVAL, "group",
					 "group 为逗号分隔的 day、week、interval、queue、agent",
					 "group is a comma-separated list of day, week, interval, queue, agent");
		p += n + (e != NULL);
	}
	if ((*flags & G_DAY) && (*flags & G_WEEK))
		return http_fail(r, KF_EINVAL, "group", "day 和 week 不能同时使用",
				 "day and week cannot be combined");
	return 0;
}

static int parse_range(http_req *r, struct range *rg)
{
	memset(rg, 0, sizeof(*rg));
	hotline_settings_load(r->db, &rg->hs);
	int64_t today = bizcal_floor_div(hotline_local_min(&rg->hs, util_now_ms()), 1440);
	const char *f = http_query(r, "from"), *t = http_query(r, "to");
	rg->from_day = f && *f ? hotline_parse_date(f) : today;
	if (rg->from_day < 0)
		return http_fail(r, KF_EINVAL, "from", "from 应为日期 YYYY-MM-DD",
				 "from must be a date YYYY-MM-DD");
	rg->to_day = t && *t ? hotline_parse_date(t) : rg->from_day;
	if (rg->to_day < 0)
		return http_fail(r, KF_EINVAL, "to", "to 应为日期 YYYY-MM-DD",
				 "to must be a date YYYY-MM-DD");
	if (rg->to_day < rg->from_day || rg->to_day - rg->from_day >= MAX_RANGE_DAYS)
		return http_fail(r, KF_EINVAL, "to", "日期范围应为 1 到 %d 天，且 to 不早于 from",
				 "The range must be 1 to %d days, to not before from", MAX_RANGE_DAYS);
	rg->from_ms = hotline_utc_ms(&rg->hs, rg->from_day * 1440);
	rg->to_ms = hotline_utc_ms(&rg->hs, (rg->to_day + 1) * 1440);
	const char *q = http_query(r, "queue");
	rg->queue = q && *q ? q : NULL;
	int rc = in_query_int(r, "agent_id", 1, INT64_MAX, 0, &rg->agent_id);
	return rc < 0 ? rc : 0;
}

/* UTC ms -> local ms, with the zone's offset at t. */
static int64_t local_ms(const struct range *rg, int64_t t)
{
	int64_t lm = hotline_local_min(&rg->hs, t);
	return lm * 60000 + (t - bizcal_floor_div(t, 60000) * 60000);
}

/* Adds [start, end) of agent time (busy or staffed) to the groups of the
 * 30-minute intervals it covers. */
static int add_time(struct groups *g, const struct range *rg, int64_t agent, const char *name,
		    int64_t start, int64_t end, int busy)
{
	if (start < rg->from_ms)
		start = rg->from_ms;
	if (end > rg->to_ms)
		end = rg->to_ms;
	if (end <= start || (g->flags & G_QUEUE))
		return 0; /* agent time is not per queue */
	int64_t off = local_ms(rg, start) - start;
	const int64_t len = IV_MIN * 60000LL;
	int64_t ls = start + off, le = end + off;
	for (int64_t b0 = bizcal_floor_div(ls, len) * len; b0 < le; b0 += len) {
		int64_t s = ls > b0 ? ls : b0, e = le < b0 + len ? le : b0 + len;
		if (e <= s)
			continue;
		struct gkey k = make_key(g->flags, b0 / 60000, NULL, agent);
		struct group *x = group_of(g, &k);
		if (!x)
			return -1;
		if (name && !x->agent_name)
			x->agent_name = name;
		if (busy)
			x->acc.busy_ms += e - s;
		else
			x->acc.staffed_ms += e - s;
	}
	return 0;
}

static int add_calls(http_req *r, struct groups *g, const struct range *rg, struct callm_acc *total)
{
	db_stmt *st;
	struct callm_config cfg = {rg->hs.sl_seconds, rg->hs.short_abandon_s};
	if (db_query(r->db,
		     "SELECT c.offered_at, c.queue, c.first_agent_id, c.answered_at, c.abandoned,"
		     " c.wait_ms, c.talk_ms, c.hold_ms, c.acw_ms, c.fcr, u.display_name, c.ended_at"
		     " FROM calls c LEFT JOIN users u ON u.id = c.first_agent_id"
		     " WHERE c.offered_at >= ? AND c.offered_at < ? AND c.direction = 'inbound'"
		     " AND (CAST(? AS TEXT) IS NULL OR c.queue = ?)"
		     " AND (CAST(? AS BIGINT) = 0 OR c.first_agent_id = ?)",
		     DB_ARGS(DBI(rg->from_ms), DBI(rg->to_ms), DBT(rg->queue), DBT(rg->queue),
			     DBI(rg->agent_id), DBI(rg->agent_id)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int answered = !db_col_null(st, 3);
		int64_t agent = db_col_null(st, 2) ? 0 : db_col_int(st, 2);
		struct callm_call c = {answered, (int)db_col_int(st, 4),
				       db_col_null(st, 5) ? -1 : db_col_int(st, 5), -1,
				       db_col_null(st, 9) ? -1 : (int)db_col_int(st, 9)};
		if (answered && !db_col_null(st, 6))
			c.handle_ms = db_col_int(st, 6) + db_col_int(st, 7) + db_col_int(st, 8);
		struct gkey k = make_key(g->flags, local_ms(rg, db_col_int(st, 0)) / 60000,
					 db_col_text(st, 1), agent);
		struct group *x = group_of(g, &k);
		if (!x) {
			db_done(st);
			return http_fail(r, KF_EINVAL, "group", "分组过多，请缩小日期范围",
					 "Too many groups; narrow the date range");
		}
		if (agent && !x->agent_name)
			x->agent_name = arena_strdup(r->a, db_col_text(st, 10));
		callm_add(&x->acc, &c, &cfg);
		callm_add(total, &c, &cfg);
		if (answered && !db_col_null(st, 11)) {
			int64_t busy_end = db_col_int(st, 11) + db_col_int(st, 8);
			add_time(g, rg, agent, NULL, db_col_int(st, 3), busy_end, 1);
			total->busy_ms += busy_end - db_col_int(st, 3);
		}
	}
	db_done(st);
	return rc < 0 ? app_db_fail(r, rc, NULL) : 0;
}

/* Staffed time from the agents' sign-in / ready events (those of the day
 * before the range too, for agents signed in over midnight). */
static int add_staffed(http_req *r, struct groups *g, const struct range *rg,
		       struct callm_acc *total)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT e.agent, e.user_id, e.type, e.at, u.display_name FROM agent_events e"
		     " LEFT JOIN users u ON u.id = e.user_id WHERE e.at >= ? AND e.at < ?"
		     " AND (CAST(? AS BIGINT) = 0 OR e.user_id = ?) ORDER BY e.agent, e.at",
		     DB_ARGS(DBI(rg->from_ms - 86400000LL), DBI(rg->to_ms), DBI(rg->agent_id),
			     DBI(rg->agent_id)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	enum { MAXEV = 4096 };
	struct callm_agent_event *ev = arena_alloc(r->a, MAXEV * sizeof(*ev));
	struct callm_span *sp = arena_alloc(r->a, MAXEV * sizeof(*sp));
	char agent[80] = "";
	int64_t uid = 0;
	const char *name = NULL;
	size_t n = 0;
	int64_t until = util_now_ms() < rg->to_ms ? util_now_ms() : rg->to_ms;
	int rc;
	for (;;) {
		rc = db_step(st);
		int flush = rc != DB_ROW || strcmp(agent, db_col_text(st, 0));
		if (flush && n) {
			size_t k = callm_staffed_spans(ev, n, until, sp, MAXEV);
			for (size_t i = 0; i < k; i++) {
				if (add_time(g, rg, uid, name, sp[i].start, sp[i].end, 0) < 0)
					break;
				int64_t s = sp[i].start > rg->from_ms ? sp[i].start : rg->from_ms;
				int64_t e = sp[i].end < rg->to_ms ? sp[i].end : rg->to_ms;
				total->staffed_ms += e > s ? e - s : 0;
			}
			n = 0;
		}
		if (rc != DB_ROW)
			break;
		if (flush) {
			snprintf(agent, sizeof(agent), "%s", db_col_text(st, 0));
			uid = db_col_null(st, 1) ? 0 : db_col_int(st, 1);
			name = uid ? arena_strdup(r->a, db_col_text(st, 4)) : NULL;
		}
		static const char *const types[] = {"agent_login", "agent_logout", "agent_not_ready",
						    "agent_ready"};
		const char *t = db_col_text(st, 2);
		for (int i = 0; i < 4 && n < MAXEV; i++)
			if (!strcmp(t, types[i]))
				ev[n++] = (struct callm_agent_event){i, db_col_int(st, 3)};
	}
	db_done(st);
	return rc < 0 ? app_db_fail(r, rc, NULL) : 0;
}

static void write_ratio(jw *w, const char *k, double v)
{
	jw_key(w, k);
	if (v < 0) {
		jw_null(w);
		return;
	}
	/* thousandths are enough for people and stable in tests */
	char s[32];
	snprintf(s, sizeof(s), "%.4f", v);
	jw_raw(w, s);
}

static void write_figures(jw *w, const struct callm_acc *a)
{
	struct callm_figures f;
	callm_figures(a, &f);
	static const char *const names[] = {"offered", "answered", "abandoned", "short_abandoned",
					    "answered_in_sl", "fcr_known"};
	const int64_t vals[] = {a->offered, a->answered, a->abandoned, a->short_abandoned,
				a->answered_in_sl, a->fcr_known};
	for (int i = 0; i < 6; i++) {
		jw_key(w, names[i]);
		jw_int(w, vals[i]);
	}
	write_ratio(w, "service_level", f.service_level);
	write_ratio(w, "abandon_rate", f.abandon_rate);
	write_ratio(w, "asa_s", f.asa_s);
	write_ratio(w, "aht_s", f.aht_s);
	write_ratio(w, "occupancy", f.occupancy);
	write_ratio(w, "fcr", f.fcr);
	jw_key(w, "busy_s");
	jw_int(w, a->busy_ms / 1000);
	jw_key(w, "staffed_s");
	jw_int(w, a->staffed_ms / 1000);
}

static int cmp_groups(const void *pa, const void *pb)
{
	const struct gkey *a = &((const struct group *)pa)->k, *b = &((const struct group *)pb)->k;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->iv != b->iv)
		return a->iv < b->iv ? -1 : 1;
	int q = strcmp(a->queue ? a->queue : "", b->queue ? b->queue : "");
	if (q)
		return q;
	return a->agent < b->agent ? -1 : a->agent > b->agent;
}

static void write_key(jw *w, const struct group *x, int flags)
{
	char d[11];
	if (x->k.day >= 0) {
		hotline_format_date(x->k.day, d);
		jw_key(w, flags & G_WEEK ? "week" : "day");
		jw_str(w, d);
	}
	if (x->k.iv >= 0) {
		char t[16];
		snprintf(t, sizeof(t), "%02d:%02d", (x->k.iv * IV_MIN) / 60 % 100, (x->k.iv * IV_MIN) % 60);
		jw_key(w, "interval");
		jw_str(w, t);
	}
	if (x->k.queue) {
		jw_key(w, "queue");
		jw_str(w, x->k.queue);
	}
	if (x->k.agent >= 0) {
		jw_key(w, "agent");
		if (x->k.agent) {
			jw_obj(w);
			jw_key(w, "id");
			jw_int(w, x->k.agent);
			jw_key(w, "display_name");
			jw_str(w, x->agent_name ? x->agent_name : "");
			jw_obj_end(w);
		} else {
			jw_null(w);
		}
	}
}

static int compute(http_req *r, struct range *rg, struct groups *g, struct callm_acc *total)
{
	int rc;
	memset(g, 0, sizeof(*g));
	memset(total, 0, sizeof(*total));
	g->a = r->a;
	g->flags = rg->flags;
	if ((rc = add_calls(r, g, rg, total)) < 0 || (rc = add_staffed(r, g, rg, total)) < 0)
		return rc;
	return 0;
}

/* Sorts the groups for output; the hash slots are stale after this. */
static void sort_groups(struct groups *g)
{
	if (g->n)
		qsort(g->v, g->n, sizeof(*g->v), cmp_groups);
	g->nslots = 0;
}

static void write_head(jw *w, const struct range *rg)
{
	char d[11];
	hotline_format_date(rg->from_day, d);
	jw_key(w, "from");
	jw_str(w, d);
	hotline_format_date(rg->to_day, d);
	jw_key(w, "to");
	jw_str(w, d);
	jw_key(w, "timezone");
	jw_str(w, rg->hs.timezone);
	jw_key(w, "config");
	jw_obj(w);
	jw_key(w, "sl_seconds");
	jw_int(w, rg->hs.sl_seconds);
	jw_key(w, "sl_target_pct");
	jw_int(w, rg->hs.sl_target_pct);
	jw_key(w, "short_abandon_s");
	jw_int(w, rg->hs.short_abandon_s);
	jw_key(w, "interval_min");
	jw_int(w, IV_MIN);
	jw_obj_end(w);
}

int hotline_metrics_get(http_req *r)
{
	struct range rg;
	struct groups g;
	struct callm_acc total;
	int rc;
	if ((rc = parse_range(r, &rg)) < 0 || (rc = parse_group(r, http_query(r, "group"), &rg.flags)) < 0 ||
	    (rc = compute(r, &rg, &g, &total)) < 0)
		return rc;
	sort_groups(&g);
	buf b;
	buf_init(&b, 64 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	write_head(&w, &rg);
	jw_key(&w, "rows");
	jw_arr(&w);
	for (size_t i = 0; i < g.n; i++) {
		jw_obj(&w);
		write_key(&w, &g.v[i], rg.flags);
		write_figures(&w, &g.v[i].acc);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "total");
	jw_obj(&w);
	write_figures(&w, &total);
	jw_obj_end(&w);
	jw_obj_end(&w);
	if (jw_failed(&w)) {
		buf_release(&b);
		return http_fail(r, KF_EINVAL, NULL, "结果过大，请缩小范围", "The result is too large; narrow the range");
	}
	return http_json_buf(r, 200, &b);
}

/* ---------------------------------------------------------------- agents by week */

static int add_qa(http_req *r, struct groups *g, const struct range *rg)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT agent_id, contacted_at, score_permille FROM qa_evaluations"
		     " WHERE contacted_at >= ? AND contacted_at < ? AND agent_id IS NOT NULL"
		     " AND (CAST(? AS BIGINT) = 0 OR agent_id = ?)",
		     DB_ARGS(DBI(rg->from_ms), DBI(rg->to_ms), DBI(rg->agent_id), DBI(rg->agent_id)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	while (db_step(st) == DB_ROW) {
		struct gkey k = make_key(g->flags, local_ms(rg, db_col_int(st, 1)) / 60000, NULL,
					 db_col_int(st, 0));
		struct group *x = group_of(g, &k);
		if (!x)
			break;
		x->qa_n++;
		x->qa_sum_permille += db_col_int(st, 2);
	}
	db_done(st);
	return 0;
}

/* Names of agents who have QA but no calls in a group. */
static void fill_names(http_req *r, struct groups *g)
{
	for (size_t i = 0; i < g->n; i++) {
		if (g->v[i].agent_name || g->v[i].k.agent <= 0)
			continue;
		db_stmt *st;
		if (db_query(r->db, "SELECT display_name FROM users WHERE id = ?",
			     DB_ARGS(DBI(g->v[i].k.agent)), &st) == 0) {
			if (db_step(st) == DB_ROW)
				g->v[i].agent_name = arena_strdup(r->a, db_col_text(st, 0));
			db_done(st);
		}
	}
}

int hotline_agent_weeks_get(http_req *r)
{
	struct range rg;
	struct groups g;
	struct callm_acc total;
	int rc;
	if ((rc = parse_range(r, &rg)) < 0)
		return rc;
	rg.flags = G_WEEK | G_AGENT;
	if ((rc = compute(r, &rg, &g, &total)) < 0 || (rc = add_qa(r, &g, &rg)) < 0)
		return rc;
	fill_names(r, &g);
	sort_groups(&g);
	buf b;
	buf_init(&b, 16 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	write_head(&w, &rg);
	jw_key(&w, "rows");
	jw_arr(&w);
	for (size_t i = 0; i < g.n; i++) {
		if (g.v[i].k.agent <= 0)
			continue;
		jw_obj(&w);
		char d[11];
		hotline_format_date(g.v[i].k.day, d);
		jw_key(&w, "week");
		jw_str(&w, d);
		write_key(&w,
			  &(struct group){.k = {-1, -1, NULL, g.v[i].k.agent},
					  .agent_name = g.v[i].agent_name},
			  0);
		jw_key(&w, "hotline");
		jw_obj(&w);
		write_figures(&w, &g.v[i].acc);
		jw_obj_end(&w);
		jw_key(&w, "qa");
		jw_obj(&w);
		jw_key(&w, "evaluations");
		jw_int(&w, g.v[i].qa_n);
		write_ratio(&w, "score",
			    g.v[i].qa_n ? (double)g.v[i].qa_sum_permille / (double)g.v[i].qa_n / 1000.0
					: -1);
		jw_obj_end(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	return http_json_buf(r, 200, &b);
}

/* ---------------------------------------------------------------- the wallboard */

struct qstat {
	const char *queue;
	int64_t waiting, ringing, talking, oldest;
};

static void write_queues(db *d, jw *w, int64_t now, int64_t *waiting, int64_t *oldest)
{
	struct qstat q[64];
	int nq = 0;
	db_stmt *st;
	jw_key(w, "queues");
	jw_arr(w);
	if (db_query(d,
		     "SELECT queue, state, offered_at FROM calls WHERE live = 1 AND offered_at > ?"
		     " ORDER BY queue",
		     DB_ARGS(DBI(now - 12 * 3600000LL)), &st) == 0) {
		char *names[64];
		while (db_step(st) == DB_ROW) {
			const char *qn = db_col_text(st, 0);
			if (!nq || strcmp(q[nq - 1].queue, qn)) {
				if (nq == 64)
					break;
				names[nq] = strdup(qn);
				q[nq] = (struct qstat){names[nq], 0, 0, 0, 0};
				nq++;
			}
			struct qstat *x = &q[nq - 1];
			const char *s = db_col_text(st, 1);
			int64_t at = db_col_int(st, 2);
			if (!strcmp(s, "queued") || !strcmp(s, "ringing")) {
				x->waiting++;
				x->ringing += !strcmp(s, "ringing");
				if (!x->oldest || at < x->oldest)
					x->oldest = at;
			} else if (!strcmp(s, "talking") || !strcmp(s, "held")) {
				x->talking++;
			}
		}
		db_done(st);
		for (int i = 0; i < nq; i++) {
			jw_obj(w);
			jw_key(w, "queue");
			jw_str(w, q[i].queue);
			jw_key(w, "waiting");
			jw_int(w, q[i].waiting);
			jw_key(w, "ringing");
			jw_int(w, q[i].ringing);
			jw_key(w, "talking");
			jw_int(w, q[i].talking);
			jw_key(w, "longest_wait_s");
			jw_int(w, q[i].oldest ? (now - q[i].oldest) / 1000 : 0);
			jw_obj_end(w);
			*waiting += q[i].waiting;
			if (q[i].oldest && (!*oldest || q[i].oldest < *oldest))
				*oldest = q[i].oldest;
			free(names[i]);
		}
	}
	jw_arr_end(w);
}

static void write_agents(db *d, jw *w, int64_t now)
{
	int64_t ready = 0, on_call = 0, not_ready = 0, ringing = 0;
	db_stmt *st;
	jw_key(w, "agent_list");
	jw_arr(w);
	if (db_query(d,
		     "SELECT s.agent, s.user_id, u.display_name, s.state, s.since, s.reason,"
		     /* 2: on a call (talking or held), 1: ringing, 0: neither */
		     " (SELECT MAX(CASE WHEN c.state IN ('talking', 'held') THEN 2"
		     "  WHEN c.state = 'ringing' THEN 1 ELSE 0 END) FROM calls c"
		     "  WHERE c.live = 1 AND c.offered_at > ?"
		     "  AND (c.agent_id = s.user_id OR (c.agent_id IS NULL AND c.ringing_agent_id = s.user_id)))"
		     " FROM agent_states s LEFT JOIN users u ON u.id = s.user_id"
		     " WHERE s.state <> 'logged_out' ORDER BY s.agent LIMIT 500",
		     DB_ARGS(DBI(now - 12 * 3600000LL)), &st) == 0) {
		while (db_step(st) == DB_ROW) {
			const char *state = db_col_text(st, 3), *shown = state;
			int64_t call = db_col_null(st, 6) ? 0 : db_col_int(st, 6);
			if (call == 2) {
				shown = "on_call";
				on_call++;
			} else if (call == 1) {
				shown = "ringing";
				ringing++;
			} else if (!strcmp(state, "ready")) {
				ready++;
			} else {
				not_ready++;
			}
			jw_obj(w);
			jw_key(w, "agent");
			jw_str(w, db_col_text(st, 0));
			jw_key(w, "user_id");
			if (db_col_null(st, 1))
				jw_null(w);
			else
				jw_int(w, db_col_int(st, 1));
			jw_key(w, "display_name");
			jw_str(w, db_col_text(st, 2));
			jw_key(w, "state");
			jw_str(w, shown);
			jw_key(w, "reason");
			jw_str(w, db_col_text(st, 5));
			jw_key(w, "since");
			jw_int(w, db_col_int(st, 4));
			jw_obj_end(w);
		}
		db_done(st);
	}
	jw_arr_end(w);
	jw_key(w, "agents");
	jw_obj(w);
	jw_key(w, "available");
	jw_int(w, ready);
	jw_key(w, "on_call");
	jw_int(w, on_call);
	jw_key(w, "ringing");
	jw_int(w, ringing);
	jw_key(w, "not_ready");
	jw_int(w, not_ready);
	jw_key(w, "signed_in");
	jw_int(w, ready + on_call + ringing + not_ready);
	jw_obj_end(w);
}

/* Today so far, in one aggregate query over the offered-at index. */
static void write_today(db *d, jw *w, const struct hotline_settings *hs, int64_t now)
{
	int64_t today = bizcal_floor_div(hotline_local_min(hs, now), 1440);
	int64_t from = hotline_utc_ms(hs, today * 1440);
	db_stmt *st;
	struct callm_acc a = {0};
	if (db_query(d,
		     "SELECT COUNT(*), SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END),"
		     " SUM(abandoned), SUM(CASE WHEN abandoned = 1 AND wait_ms < ? THEN 1 ELSE 0 END),"
		     " SUM(CASE WHEN answered_at IS NOT NULL AND wait_ms <= ? THEN 1 ELSE 0 END),"
		     " SUM(CASE WHEN answered_at IS NOT NULL AND wait_ms IS NOT NULL THEN wait_ms ELSE 0 END),"
		     " SUM(CASE WHEN answered_at IS NOT NULL AND wait_ms IS NOT NULL THEN 1 ELSE 0 END)"
		     " FROM calls WHERE offered_at >= ? AND offered_at < ? AND direction = 'inbound'",
		     DB_ARGS(DBI(hs->short_abandon_s * 1000LL), DBI(hs->sl_seconds * 1000LL), DBI(from),
			     DBI(now + 86400000LL)),
		     &st) == 0) {
		if (db_step(st) == DB_ROW) {
			a.offered = db_col_int(st, 0);
			a.answered = db_col_int(st, 1);
			a.abandoned = db_col_int(st, 2);
			a.short_abandoned = db_col_int(st, 3);
			a.answered_in_sl = db_col_int(st, 4);
			a.wait_ms_sum = db_col_int(st, 5);
			a.wait_n = db_col_int(st, 6);
		}
		db_done(st);
	}
	struct callm_figures f;
	callm_figures(&a, &f);
	jw_key(w, "today");
	jw_obj(w);
	jw_key(w, "offered");
	jw_int(w, a.offered);
	jw_key(w, "answered");
	jw_int(w, a.answered);
	jw_key(w, "abandoned");
	jw_int(w, a.abandoned);
	write_ratio(w, "service_level", f.service_level);
	write_ratio(w, "abandon_rate", f.abandon_rate);
	write_ratio(w, "asa_s", f.asa_s);
	jw_key(w, "sl_seconds");
	jw_int(w, hs->sl_seconds);
	jw_key(w, "sl_target_pct");
	jw_int(w, hs->sl_target_pct);
	jw_obj_end(w);
}

int wallboard_write(db *d, buf *out)
{
	int64_t now = util_now_ms(), waiting = 0, oldest = 0;
	struct hotline_settings hs;
	hotline_settings_load(d, &hs);
	jw w;
	jw_init(&w, out);
	jw_obj(&w);
	jw_key(&w, "generated_at");
	jw_int(&w, now);
	write_queues(d, &w, now, &waiting, &oldest);
	jw_key(&w, "waiting");
	jw_int(&w, waiting);
	jw_key(&w, "longest_wait_s");
	jw_int(&w, oldest ? (now - oldest) / 1000 : 0);
	write_agents(d, &w, now);
	write_today(d, &w, &hs, now);
	jw_obj_end(&w);
	return jw_failed(&w) ? -1 : 0;
}

int hotline_wallboard_get(http_req *r)
{
	buf b;
	buf_init(&b, 1 << 20);
	if (wallboard_write(r->db, &b) < 0) {
		buf_release(&b);
		return http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}
