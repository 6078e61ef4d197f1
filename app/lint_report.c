/* lint_report.c - the QA report of the service-language checker: the
 * findings in the replies agents sent (case_events of kind 'reply'),
 * counted per agent and per ISO week in the business time zone
 * (GET /api/reports/lint).
 *
 * Findings are recorded by a sweep over the timeline past a watermark
 * (lint_sweep), so no reply path has to call the checker: the report runs
 * the sweep first and is always current.  A reply is checked once, with
 * the lexicon of that moment; changing the lexicon later does not rewrite
 * history. */
#include "app/lint.h"

#include <stdlib.h>
#include <string.h>

#include "app/search.h"
#include "app/tz.h"
#include "lib/common.h"
#include "lib/jw.h"
#include "lib/util.h"

enum { SWEEP_BATCH = 2000, SWEEP_MAX = 20000, EXCERPT_CONTEXT = 30, WEEK_MS = 7 * 86400000 };

struct ev {
	int64_t id, case_id, actor, at;
	int reply;
	char *body;
};

static void evs_free(struct ev *e, int n)
{
	for (int i = 0; i < n; i++)
		free(e[i].body);
	free(e);
}

/* The matched words with some context, for the report's examples. */
static char *excerpt(const char *text, int a, int b)
{
	int s = a - EXCERPT_CONTEXT, e = b + EXCERPT_CONTEXT, len = (int)strlen(text);
	if (s < 0)
		s = 0;
	if (e > len)
		e = len;
	while (s > 0 && ((unsigned char)text[s] & 0xC0) == 0x80)
		s--;
	while (e < len && ((unsigned char)text[e] & 0xC0) == 0x80)
		e++;
	return strndup(text + s, (size_t)(e - s));
}

static int record_event(db *d, const struct lint_set *s, const struct ev *e)
{
	int rc = db_exec(d, "DELETE FROM lint_findings WHERE event_id = ?", DB_ARGS(DBI(e->id)));
	if (rc < 0 || !e->reply || !e->actor)
		return rc < 0 ? rc : 0;
	struct lint_finding f[64];
	int n = lint_check(s, e->body, strlen(e->body), f, 64);
	for (int i = 0; i < n && i < 64 && rc >= 0; i++) {
		char *x = excerpt(e->body, f[i].start, f[i].end);
		rc = db_exec(d,
			     "INSERT INTO lint_findings (event_id, case_id, user_id, rule, severity,"
			     " excerpt, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			     DB_ARGS(DBI(e->id), DBI(e->case_id), DBI(e->actor), DBT(f[i].rule->id),
				     DBT(lint_severity_name(f[i].rule->severity)), DBT(x ? x : ""),
				     DBI(e->at)));
		free(x);
	}
	return rc < 0 ? rc : 0;
}

/* Reads up to budget events past the watermark; *mark: the new watermark
 * (held before a gap younger than SEARCH_GAP_MS, as search does). */
static int read_events(db *d, int64_t from, int budget, struct ev **out, int *n, int64_t *mark)
{
	db_stmt *st;
	int rc = db_query(d,
			  "SELECT id, kind, case_id, actor_id, body, at FROM case_events WHERE id > ?"
			  " ORDER BY id LIMIT ?",
			  DB_ARGS(DBI(from), DBI(budget)), &st);
	if (rc < 0)
		return rc;
	*out = calloc((size_t)budget, sizeof(**out));
	*n = 0;
	*mark = from;
	int64_t expect = from + 1, now = util_now_ms();
	int held = 0;
	while (*out && (rc = db_step(st)) == DB_ROW) {
		struct ev *e = &(*out)[(*n)++];
		e->id = db_col_int(st, 0);
		e->reply = !strcmp(db_col_text(st, 1), "reply");
		e->case_id = db_col_int(st, 2);
		e->actor = db_col_null(st, 3) ? 0 : db_col_int(st, 3);
		e->body = strdup(e->reply ? db_col_text(st, 4) : "");
		e->at = db_col_int(st, 5);
		if (!e->body)
			rc = DB_EFAIL;
		if (e->id != expect && e->at > now - SEARCH_GAP_MS)
			held = 1;
		expect = e->id + 1;
		if (!held)
			*mark = e->id;
	}
	db_done(st);
	return !*out ? DB_EFAIL : rc < 0 ? rc : 0;
}

int lint_sweep(db *d, const struct lint_set *s, int budget)
{
	if (!search_has_cases(d))
		return 0;
	int64_t from = 0, mark;
	int rc = db_query_int(d, "SELECT value FROM search_state WHERE name = 'lint_events'",
			      DB_ARGS(), &from);
	if (rc < 0)
		return rc;
	struct ev *e = NULL;
	int n = 0;
	if ((rc = read_events(d, from, budget, &e, &n, &mark)) < 0 || (!n && mark == from)) {
		evs_free(e, n);
		return rc < 0 ? rc : 0;
	}
	if ((rc = db_begin(d)) < 0) {
		evs_free(e, n);
		return rc;
	}
	for (int i = 0; i < n && rc >= 0; i++)
		rc = record_event(d, s, &e[i]);
	if (rc >= 0 && mark > from)
		rc = db_exec(d,
			     "INSERT INTO search_state (name, value) VALUES ('lint_events', ?)"
			     " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
			     DB_ARGS(DBI(mark)));
	evs_free(e, n);
	if (rc < 0) {
		db_rollback(d);
		return rc;
	}
	rc = db_commit(d);
	return rc < 0 ? rc : n;
}

/* ------------------------------------------------------------------ weeks */

/* The civil date of a day number (days since 1970-01-01); Howard
 * Hinnant's days_to_civil. */
static void civil(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "2025-W22" and the Monday of the ISO week holding local day `day`. */
static void iso_week(int64_t day, char label[16], char monday[16])
{
	int64_t wd = ((day + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday: 0 = Monday */
	int64_t mon = day - wd, thu = mon + 3;
	int y, m, d;
	civil(thu, &y, &m, &d);
	int64_t week = (thu - days_from_civil(y, 1, 1)) / 7 + 1;
	snprintf(label, 16, "%04d-W%02d", y, (int)week);
	civil(mon, &y, &m, &d);
	snprintf(monday, 16, "%04d-%02d-%02d", y, m, d);
}

/* ------------------------------------------------------------------ the report */

struct cell {
	int64_t user;
	char week[16], monday[16];
	const char *name, *rule, *severity;
	int64_t count;
};

static int cell_cmp(const void *pa, const void *pb)
{
	const struct cell *a = pa, *b = pb;
	if (a->user != b->user)
		return a->user < b->user ? -1 : 1;
	return strcmp(a->week, b->week);
}

static const char *business_zone(http_req *r)
{
	db_stmt *st;
	const char *zone = "Asia/Shanghai";
	if (db_query(r->db, "SELECT value FROM settings WHERE key = 'business_timezone'", DB_ARGS(),
		     &st) == 0) {
		if (db_step(st) == DB_ROW && *db_col_text(st, 0))
			zone = arena_strdup(r->a, db_col_text(st, 0));
		db_done(st);
	}
	return zone;
}

static int load_cells(http_req *r, int64_t from, int64_t to, int64_t offset_ms, struct cell **out,
		      int *n)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT f.user_id, u.display_name, f.rule, f.severity,"
		     " (f.at + CAST(? AS BIGINT)) / 86400000 AS day, COUNT(*) FROM lint_findings f"
		     " LEFT JOIN users u ON u.id = f.user_id WHERE f.at >= ? AND f.at < ?"
		     " GROUP BY f.user_id, u.display_name, f.rule, f.severity, day",
		     DB_ARGS(DBI(offset_ms), DBI(from), DBI(to)), &st) < 0)
		return DB_EFAIL;
	int cap = 256, rc;
	*n = 0;
	*out = arena_alloc(r->a, (size_t)cap * sizeof(**out));
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct cell *bigger = arena_alloc(r->a, (size_t)cap * 2 * sizeof(*bigger));
			memcpy(bigger, *out, (size_t)cap * sizeof(*bigger));
			*out = bigger;
			cap *= 2;
		}
		struct cell *c = &(*out)[(*n)++];
		c->user = db_col_int(st, 0);
		c->name = arena_strdup(r->a, db_col_text(st, 1));
		c->rule = arena_strdup(r->a, db_col_text(st, 2));
		c->severity = arena_strdup(r->a, db_col_text(st, 3));
		iso_week(db_col_int(st, 4), c->week, c->monday);
		c->count = db_col_int(st, 5);
	}
	db_done(st);
	if (*n)
		qsort(*out, (size_t)*n, sizeof(**out), cell_cmp);
	return rc < 0 ? rc : 0;
}

static int64_t replies_of(http_req *r, int64_t user, int64_t from, int64_t to)
{
	int64_t n = 0;
	db_query_int(r->db,
		     "SELECT COUNT(*) FROM case_events WHERE actor_id = ? AND kind = 'reply'"
		     " AND at >= ? AND at < ?",
		     DB_ARGS(DBI(user), DBI(from), DBI(to)), &n);
	return n;
}

/* One agent: cells [i, j) share the user. */
static void write_agent(http_req *r, jw *w, const struct cell *c, int i, int j, int64_t from,
			int64_t to)
{
	int64_t total = 0, sev[3] = {0};
	for (int k = i; k < j; k++) {
		total += c[k].count;
		int s = lint_severity_parse(c[k].severity);
		sev[s < 0 ? 1 : s] += c[k].count;
	}
	jw_obj(w);
	jw_key(w, "user");
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, c[i].user);
	jw_key(w, "display_name");
	jw_str(w, c[i].name);
	jw_obj_end(w);
	jw_key(w, "replies");
	jw_int(w, replies_of(r, c[i].user, from, to));
	jw_key(w, "total");
	jw_int(w, total);
	for (int s = 0; s < 3; s++) {
		jw_key(w, lint_severity_name((enum lint_severity)s));
		jw_int(w, sev[s]);
	}
	jw_key(w, "weeks");
	jw_arr(w);
	for (int k = i; k < j;) {
		int e = k;
		int64_t wk = 0;
		while (e < j && !strcmp(c[e].week, c[k].week))
			wk += c[e++].count;
		jw_obj(w);
		jw_key(w, "week");
		jw_str(w, c[k].week);
		jw_key(w, "monday");
		jw_str(w, c[k].monday);
		jw_key(w, "count");
		jw_int(w, wk);
		jw_key(w, "rules");
		jw_obj(w);
		for (int x = k; x < e; x++) {
			/* Cells of a week may repeat a rule (one per day): add them up. */
			int seen = 0;
			for (int y = k; y < x; y++)
				seen |= !strcmp(c[y].rule, c[x].rule);
			if (seen)
				continue;
			int64_t sum = 0;
			for (int y = x; y < e; y++)
				if (!strcmp(c[y].rule, c[x].rule))
					sum += c[y].count;
			jw_key(w, c[x].rule);
			jw_int(w, sum);
		}
		jw_obj_end(w);
		jw_obj_end(w);
		k = e;
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

/* GET /api/reports/lint?from=&to= (epoch ms; default the last 8 weeks). */
int lint_report(http_req *r)
{
	int64_t now = util_now_ms(), from, to;
	int rc;
	if ((rc = in_query_int(r, "to", 0, INT64_MAX / 2, now + 1, &to)) < 0 ||
	    (rc = in_query_int(r, "from", 0, INT64_MAX / 2, to - 8LL * WEEK_MS, &from)) < 0)
		return rc;
	if (from >= to)
		return http_fail(r, KF_EINVAL, "from", "开始时间必须早于结束时间",
				 "from must be before to");
	struct lint_set *s = lint_load(r);
	if (!s)
		return r->err.code;
	int pending = 0, done = 0;
	while ((rc = lint_sweep(r->db, s, SWEEP_BATCH)) > 0 && (done += rc) < SWEEP_MAX)
		;
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	pending = done >= SWEEP_MAX;
	const char *zone = business_zone(r);
	kf_err e;
	kf_err_clear(&e);
	int64_t local_min = 0;
	if (tz_local_min(zone, from, &local_min, &e) < 0)
		local_min = from / 60000 + 480;
	struct cell *c;
	int n;
	if ((rc = load_cells(r, from, to, local_min * 60000 - from, &c, &n)) < 0)
		return app_db_fail(r, rc, NULL);
	buf b;
	buf_init(&b, 8 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "from");
	jw_int(&w, from);
	jw_key(&w, "to");
	jw_int(&w, to);
	jw_key(&w, "timezone");
	jw_str(&w, zone);
	jw_key(&w, "pending");
	jw_bool(&w, pending);
	jw_key(&w, "agents");
	jw_arr(&w);
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && c[j].user == c[i].user)
			j++;
		write_agent(r, &w, c, i, j, from, to);
		i = j;
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	if (jw_failed(&w)) {
		buf_release(&b);
		return http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}
