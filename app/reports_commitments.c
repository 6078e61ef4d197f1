/* reports_commitments.c - commitment fulfilment (承诺兑现, DOMAIN §2 and
 * §6): of the promises due in a period, how many were kept on time, kept
 * late, broken, are overdue and still open, or are open and not yet due;
 * by week of the due date and by the agent who made them.
 *
 * A commitment belongs to the period by its due time (due_at), since the
 * point is whether the promise was kept by the time it was given for.
 * Kept on time: recorded kept at or before due_at; kept late: after it.
 * A commitment has no cancelled state (it is kept or broken, once), so
 * none is counted.  The fulfilment rate is kept on time / due, where due
 * is every commitment of the period except those open and not yet due
 * (a promise kept early counts as due: it is settled).  Filters: the
 * department the maker belonged to when it was made, and the maker. */
#include "app/report.h"

#include <stdlib.h>
#include <string.h>

#include "core/segment.h"
#include "lib/common.h"
#include "lib/util.h"

#define WEEK_MS 604800000LL
/* Weeks start on Monday 00:00 China time (as in reports_cases.c). */
#define WEEK_SHIFT (8LL * 3600000 + 3LL * 86400000)

struct fulfil {
	int64_t made, on_time, late, broken, overdue, pending;
};

#define FULFIL_SUMS                                                                                \
	" COUNT(*),"                                                                               \
	" SUM(CASE WHEN m.state = 'kept' AND m.resolved_at <= m.due_at THEN 1 ELSE 0 END),"        \
	" SUM(CASE WHEN m.state = 'kept' AND m.resolved_at > m.due_at THEN 1 ELSE 0 END),"         \
	" SUM(CASE WHEN m.state = 'broken' THEN 1 ELSE 0 END),"                                    \
	" SUM(CASE WHEN m.state = 'open' AND m.due_at < ? THEN 1 ELSE 0 END),"                     \
	" SUM(CASE WHEN m.state = 'open' AND m.due_at >= ? THEN 1 ELSE 0 END)"

static void read_fulfil(db_stmt *st, int col, struct fulfil *f)
{
	*f = (struct fulfil){db_col_int(st, col),     db_col_int(st, col + 1),
			     db_col_int(st, col + 2), db_col_int(st, col + 3),
			     db_col_int(st, col + 4), db_col_int(st, col + 5)};
}

static void add_fulfil(struct fulfil *to, const struct fulfil *f)
{
	to->made += f->made;
	to->on_time += f->on_time;
	to->late += f->late;
	to->broken += f->broken;
	to->overdue += f->overdue;
	to->pending += f->pending;
}

static int64_t due_of(const struct fulfil *f)
{
	return f->made - f->pending;
}

static json_t *fulfil_json(const struct fulfil *f)
{
	int64_t due = due_of(f);
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "made", (json_int_t)f->made,
			 "kept_on_time", (json_int_t)f->on_time, "kept_late", (json_int_t)f->late,
			 "broken", (json_int_t)f->broken, "overdue", (json_int_t)f->overdue,
			 "pending", (json_int_t)f->pending, "due", (json_int_t)due, "rate",
			 due ? json_real((double)f->on_time / (double)due) : json_null());
}

static const struct rep_col owner_cols[] = {
	{"承诺人", "Made by", REP_TEXT},     {"承诺数", "Made", REP_INT},
	{"按时兑现", "Kept on time", REP_INT}, {"逾期兑现", "Kept late", REP_INT},
	{"未兑现", "Broken", REP_INT},       {"逾期未处理", "Overdue, open", REP_INT},
	{"未到期", "Not yet due", REP_INT},  {"已到期", "Due", REP_INT},
	{"兑现率", "Fulfilment rate", REP_SHARE},
};

static const struct rep_col week_cols[] = {
	{"周（周一）", "Week (Monday)", REP_TEXT}, {"承诺数", "Made", REP_INT},
	{"按时兑现", "Kept on time", REP_INT},     {"逾期兑现", "Kept late", REP_INT},
	{"未兑现", "Broken", REP_INT},             {"逾期未处理", "Overdue, open", REP_INT},
	{"未到期", "Not yet due", REP_INT},        {"已到期", "Due", REP_INT},
	{"兑现率", "Fulfilment rate", REP_SHARE},
};

static void fulfil_cells(struct rep_cell *c, const char *name, const struct fulfil *f)
{
	int64_t due = due_of(f);
	c[0].s = name;
	c[1].i = f->made;
	c[2].i = f->on_time;
	c[3].i = f->late;
	c[4].i = f->broken;
	c[5].i = f->overdue;
	c[6].i = f->pending;
	c[7].i = due;
	c[8].d = due ? (double)f->on_time / (double)due : 0.0;
}

#define FULFIL_WHERE                                                                               \
	" WHERE m.due_at >= ? AND m.due_at < ?"                                                    \
	" AND (CAST(? AS BIGINT) IS NULL OR m.department_id = CAST(? AS BIGINT))"                  \
	" AND (CAST(? AS BIGINT) IS NULL OR m.made_by = CAST(? AS BIGINT))"

/* Binds now twice (FULFIL_SUMS), the period, then each filter twice. */
static int bind_where(db_val *args, int64_t now, int64_t from, int64_t to, int64_t dept,
		      int64_t owner)
{
	int n = 0;
	args[n++] = DBI(now);
	args[n++] = DBI(now);
	args[n++] = DBI(from);
	args[n++] = DBI(to);
	args[n++] = dept ? DBI(dept) : DBNULL;
	args[n++] = dept ? DBI(dept) : DBNULL;
	args[n++] = owner ? DBI(owner) : DBNULL;
	args[n++] = owner ? DBI(owner) : DBNULL;
	return n;
}

struct owner {
	int64_t id;
	const char *name;
	struct fulfil f;
};

/* Most promises first; ties by name, then id, so the order is stable. */
static int by_made(const void *a, const void *b)
{
	const struct owner *x = a, *y = b;
	if (x->f.made != y->f.made)
		return x->f.made > y->f.made ? -1 : 1;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

int report_commitments(http_req *r)
{
	int fmt, rc;
	int64_t from, to, dept, owner, now = util_now_ms();
	if ((rc = rep_format(r, &fmt)) < 0 ||
	    (rc = rep_range(r, seg_months_before(now, 3), now + 1, &from, &to)) < 0 ||
	    (rc = in_query_int(r, "department_id", 1, INT64_MAX, 0, &dept)) < 0 ||
	    (rc = in_query_int(r, "owner_id", 1, INT64_MAX, 0, &owner)) < 0)
		return rc;
	const char *by = http_query(r, "by");
	if (by && *by && strcmp(by, "owner") && strcmp(by, "week"))
		return http_fail(r, KF_EINVAL, "by", "by 只能是 owner 或 week", "by must be owner or week");
	int by_week = by && !strcmp(by, "week");
	int64_t w0 = (from + WEEK_SHIFT) / WEEK_MS, w1 = (to - 1 + WEEK_SHIFT) / WEEK_MS;
	int64_t nweeks = w1 - w0 + 1;
	if (nweeks > 520)
		return http_fail(r, KF_EINVAL, "from", "周报最多覆盖十年",
				 "A weekly report covers at most ten years");
	struct fulfil *w = arena_zalloc(r->a, (size_t)nweeks * sizeof(*w)), all = {0};
	db_val args[8];
	int na = bind_where(args, now, from, to, dept, owner);
	db_stmt *st;
	const char *sql = arena_printf(r->a,
				       "SELECT (m.due_at + %lld) / %lld," FULFIL_SUMS
				       " FROM commitments m" FULFIL_WHERE
				       " GROUP BY (m.due_at + %lld) / %lld",
				       (long long)WEEK_SHIFT, (long long)WEEK_MS, (long long)WEEK_SHIFT,
				       (long long)WEEK_MS);
	if (db_query(r->db, sql, args, na, &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t i = db_col_int(st, 0) - w0;
		if (i >= 0 && i < nweeks)
			read_fulfil(st, 1, &w[i]);
	}
	db_done(st);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);

	struct rep_table t;
	rep_init(&t, r->a, by_week ? "commitments-weekly" : "commitments", "承诺兑现",
		 "Commitment fulfilment", by_week ? week_cols : owner_cols,
		 KF_ARRAY_LEN(owner_cols));
	json_t *weeks = json_array();
	for (int64_t i = 0; i < nweeks; i++) {
		int64_t start = (w0 + i) * WEEK_MS - WEEK_SHIFT;
		char day[11];
		seg_format_day(start, day);
		add_fulfil(&all, &w[i]);
		if (by_week)
			fulfil_cells(rep_row(&t), arena_strdup(r->a, day), &w[i]);
		json_t *o = fulfil_json(&w[i]);
		json_object_set_new(o, "week_start", json_integer(start));
		json_object_set_new(o, "week", json_string(day));
		json_array_append_new(weeks, o);
	}

	na = bind_where(args, now, from, to, dept, owner);
	if (db_query(r->db,
		     "SELECT m.made_by, MAX(u.display_name)," FULFIL_SUMS
		     " FROM commitments m JOIN users u ON u.id = m.made_by" FULFIL_WHERE
		     " GROUP BY m.made_by",
		     args, na, &st) < 0) {
		json_decref(weeks);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	size_t n = 0, cap = 16;
	struct owner *ow = arena_alloc(r->a, cap * sizeof(*ow));
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct owner *g = arena_alloc(r->a, 2 * cap * sizeof(*ow));
			memcpy(g, ow, cap * sizeof(*ow));
			ow = g;
			cap *= 2;
		}
		ow[n].id = db_col_int(st, 0);
		ow[n].name = arena_strdup(r->a, db_col_text(st, 1));
		read_fulfil(st, 2, &ow[n].f);
		n++;
	}
	db_done(st);
	if (rc < 0) {
		json_decref(weeks);
		return app_db_fail(r, rc, NULL);
	}
	qsort(ow, n, sizeof(*ow), by_made);
	json_t *owners = json_array();
	for (size_t i = 0; i < n; i++) {
		if (!by_week)
			fulfil_cells(rep_row(&t), ow[i].name, &ow[i].f);
		json_t *o = fulfil_json(&ow[i].f);
		json_object_set_new(o, "user_id", json_integer(ow[i].id));
		json_object_set_new(o, "name", json_string(ow[i].name));
		json_array_append_new(owners, o);
	}
	if (fmt != REP_JSON) {
		json_decref(weeks);
		json_decref(owners);
		fulfil_cells(rep_row(&t), r->lang_en ? "Total" : "合计", &all);
		rep_info(&t, r->lang_en ? "From" : "开始", rep_time_text(r->a, from));
		rep_info(&t, r->lang_en ? "To" : "结束", rep_time_text(r->a, to));
		if (dept)
			rep_info(&t, r->lang_en ? "Department" : "部门",
				 arena_printf(r->a, "%lld", (long long)dept));
		if (owner)
			rep_info(&t, r->lang_en ? "Made by" : "承诺人",
				 arena_printf(r->a, "%lld", (long long)owner));
		return rep_send(r, &t, fmt);
	}
	json_t *o = json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "from", (json_int_t)from,
			      "to", (json_int_t)to, "now", (json_int_t)now, "department_id",
			      dept ? json_integer(dept) : json_null(), "owner_id",
			      owner ? json_integer(owner) : json_null(), "totals", fulfil_json(&all),
			      "weeks", weeks, "owners", owners);
	return rep_json(r, o);
}
