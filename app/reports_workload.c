/* reports_workload.c - agent workload (DOMAIN §6): per agent, what came
 * to them and what they did in a period, and what lies on their desk now.
 *
 *   assigned      cases created in the period and assigned to the agent now
 *                 (a case records no assignment time; reassigned cases
 *                 count for their present assignee)
 *   closed        cases closed in the period whose assignee is the agent
 *   open          the agent's open cases now
 *   overdue       the agent's cases past an SLA target now (the overdue view)
 *   replies       replies to customers the agent wrote in the period
 *   visits        follow-up visits assigned to the agent and done in the period
 *   commitments   the agent's commitments due in the period, and how many kept
 *   calls         inbound hotline calls offered in the period that the agent answered,
 *                 with the average handle time (talk + hold + after-call work)
 *
 * One GROUP BY per measure, each over an index range of the period (or the
 * assignee's open cases), merged in memory per user.  An agent is listed
 * when any measure is not zero; with department_id, only the people now in
 * that department.  Sorted by load: open cases, then cases assigned. */
#include "app/report.h"
#include "app/case.h"

#include <stdlib.h>
#include <string.h>

#include "core/segment.h"
#include "lib/common.h"
#include "lib/util.h"

enum {
	W_ASSIGNED,
	W_CLOSED,
	W_OPEN,
	W_OVERDUE,
	W_REPLIES,
	W_VISITS,
	W_COMMIT_DUE,
	W_COMMIT_KEPT,
	W_CALLS,
	W_HANDLE_MS, /* summed over W_HANDLED calls */
	W_HANDLED,
	W_N
};

/* Each query: user, then up to three figures, into the slots named; ?
 * binds the period (from, to) or now as `binds` says. */
static const struct measure {
	const char *sql;
	int slot[3]; /* -1: unused column */
	int binds;   /* 0: from, to; 1: nothing; 2: now */
} measures[] = {
	{"SELECT c.assignee_id, COUNT(*) FROM cases c WHERE c.created_at >= ? AND c.created_at < ?"
	 " AND c.assignee_id IS NOT NULL GROUP BY c.assignee_id",
	 {W_ASSIGNED, -1, -1}, 0},
	{"SELECT c.assignee_id, COUNT(*) FROM cases c WHERE c.closed_at >= ? AND c.closed_at < ?"
	 " AND c.assignee_id IS NOT NULL GROUP BY c.assignee_id",
	 {W_CLOSED, -1, -1}, 0},
	{"SELECT c.assignee_id, COUNT(*) FROM cases c WHERE c.assignee_id IS NOT NULL"
	 " AND c.is_open = 1 GROUP BY c.assignee_id",
	 {W_OPEN, -1, -1}, 1},
	{"SELECT c.assignee_id, COUNT(*) FROM cases c WHERE c.sla_due_at IS NOT NULL"
	 " AND c.sla_due_at < ? AND c.assignee_id IS NOT NULL GROUP BY c.assignee_id",
	 {W_OVERDUE, -1, -1}, 2},
	{"SELECT e.actor_id, COUNT(*) FROM case_events e WHERE e.kind = 'reply' AND e.at >= ?"
	 " AND e.at < ? AND e.actor_id IS NOT NULL GROUP BY e.actor_id",
	 {W_REPLIES, -1, -1}, 0},
	/* closed_at is set only when a visit is done (followups_close) */
	{"SELECT f.assignee_id, COUNT(*) FROM followups f WHERE f.closed_at >= ? AND f.closed_at < ?"
	 " AND f.assignee_id IS NOT NULL GROUP BY f.assignee_id",
	 {W_VISITS, -1, -1}, 0},
	{"SELECT m.made_by, COUNT(*), SUM(CASE WHEN m.state = 'kept' THEN 1 ELSE 0 END)"
	 " FROM commitments m WHERE m.due_at >= ? AND m.due_at < ? GROUP BY m.made_by",
	 {W_COMMIT_DUE, W_COMMIT_KEPT, -1}, 0},
	{"SELECT k.agent_id, COUNT(*),"
	 " SUM(CASE WHEN k.talk_ms IS NULL THEN 0 ELSE k.talk_ms + k.hold_ms + k.acw_ms END),"
	 " SUM(CASE WHEN k.talk_ms IS NULL THEN 0 ELSE 1 END) FROM calls k"
	 " WHERE k.offered_at >= ? AND k.offered_at < ? AND k.direction = 'inbound'"
	 " AND k.answered_at IS NOT NULL"
	 " AND k.agent_id IS NOT NULL GROUP BY k.agent_id",
	 {W_CALLS, W_HANDLE_MS, W_HANDLED}, 0},
};

struct agent {
	int64_t id, dept;
	const char *name;
	int64_t v[W_N];
};

static int by_id(const void *key, const void *el)
{
	int64_t k = *(const int64_t *)key, id = ((const struct agent *)el)->id;
	return (k > id) - (k < id);
}

static int by_load(const void *a, const void *b)
{
	const struct agent *x = a, *y = b;
	if (x->v[W_OPEN] != y->v[W_OPEN])
		return x->v[W_OPEN] > y->v[W_OPEN] ? -1 : 1;
	if (x->v[W_ASSIGNED] != y->v[W_ASSIGNED])
		return x->v[W_ASSIGNED] > y->v[W_ASSIGNED] ? -1 : 1;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* Every user, by id (a service has hundreds of people, not millions). */
static int read_users(http_req *r, struct agent **out, size_t *n)
{
	db_stmt *st;
	if (db_query(r->db, "SELECT id, display_name, COALESCE(department_id, 0) FROM users ORDER BY id",
		     NULL, 0, &st) < 0)
		return DB_EFAIL;
	size_t cap = 64;
	struct agent *a = arena_zalloc(r->a, cap * sizeof(*a));
	int rc;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct agent *g = arena_zalloc(r->a, 2 * cap * sizeof(*a));
			memcpy(g, a, cap * sizeof(*a));
			a = g;
			cap *= 2;
		}
		struct agent *x = &a[(*n)++];
		x->id = db_col_int(st, 0);
		x->name = arena_strdup(r->a, db_col_text(st, 1));
		x->dept = db_col_int(st, 2);
	}
	db_done(st);
	*out = a;
	return rc < 0 ? rc : 0;
}

static int read_measure(http_req *r, const struct measure *m, int64_t from, int64_t to,
			int64_t now, struct agent *a, size_t n)
{
	db_val args[8];
	int na = 0;
	if (m->binds == 0) {
		args[na++] = DBI(from);
		args[na++] = DBI(to);
	} else if (m->binds == 2) {
		args[na++] = DBI(now);
	}
	/* Over cases: only those the caller may see, as the case list shows
	 * them (a supervisor of one department sees that department's), so
	 * each figure's link lists as many cases as it counts. */
	const char *sql = m->sql, *group = strstr(sql, " GROUP BY");
	if (strstr(sql, " FROM cases c ") && group) {
		const char *vis = case_visible_sql(r, args, &na);
		sql = arena_printf(r->a, "%.*s AND %s%s", (int)(group - sql), sql, vis, group);
	}
	db_stmt *st;
	if (db_query(r->db, sql, args, na, &st) < 0)
		return DB_EFAIL;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		struct agent *x = bsearch(&id, a, n, sizeof(*a), by_id);
		for (int i = 0; x && i < 3; i++)
			if (m->slot[i] >= 0)
				x->v[m->slot[i]] += db_col_int(st, i + 1);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static const struct rep_col cols[] = {
	{"坐席", "Agent", REP_TEXT},
	{"分配工单", "Cases assigned", REP_INT},
	{"关闭工单", "Cases closed", REP_INT},
	{"当前未结", "Open now", REP_INT},
	{"当前超时", "Overdue now", REP_INT},
	{"回复", "Replies", REP_INT},
	{"完成回访", "Visits done", REP_INT},
	{"到期承诺", "Commitments due", REP_INT},
	{"兑现承诺", "Commitments kept", REP_INT},
	{"接听来电", "Calls answered", REP_INT},
	{"平均处理时长（秒）", "Average handle time (s)", REP_INT},
};

/* Average handle time in whole seconds, or -1 when no call had one. */
static int64_t aht_s(const int64_t *v)
{
	return v[W_HANDLED] ? (v[W_HANDLE_MS] / v[W_HANDLED] + 500) / 1000 : -1;
}

static void cells(struct rep_cell *c, const char *name, const int64_t *v)
{
	static const int order[] = {W_ASSIGNED, W_CLOSED,     W_OPEN,        W_OVERDUE, W_REPLIES,
				    W_VISITS,   W_COMMIT_DUE, W_COMMIT_KEPT, W_CALLS};
	c[0].s = name;
	for (size_t i = 0; i < KF_ARRAY_LEN(order); i++)
		c[i + 1].i = v[order[i]];
	int64_t s = aht_s(v);
	c[10].i = s < 0 ? 0 : s;
}

static json_t *figures(const int64_t *v)
{
	int64_t s = aht_s(v);
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "assigned",
			 (json_int_t)v[W_ASSIGNED], "closed", (json_int_t)v[W_CLOSED], "open",
			 (json_int_t)v[W_OPEN], "overdue", (json_int_t)v[W_OVERDUE], "replies",
			 (json_int_t)v[W_REPLIES], "visits", (json_int_t)v[W_VISITS],
			 "commitments_due", (json_int_t)v[W_COMMIT_DUE], "commitments_kept",
			 (json_int_t)v[W_COMMIT_KEPT], "calls", (json_int_t)v[W_CALLS], "aht_s",
			 s < 0 ? json_null() : json_integer(s));
}

int report_agent_workload(http_req *r)
{
	int fmt, rc;
	int64_t from, to, dept, now = util_now_ms();
	if ((rc = rep_format(r, &fmt)) < 0 ||
	    (rc = rep_range(r, seg_months_before(now, 1), now + 1, &from, &to)) < 0 ||
	    (rc = in_query_int(r, "department_id", 1, INT64_MAX, 0, &dept)) < 0)
		return rc;
	struct agent *a;
	size_t n;
	if (read_users(r, &a, &n) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	for (size_t i = 0; i < KF_ARRAY_LEN(measures); i++)
		if (read_measure(r, &measures[i], from, to, now, a, n) < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int any = 0;
		for (int j = 0; j < W_N; j++)
			any |= a[i].v[j] != 0;
		if (any && (!dept || a[i].dept == dept))
			a[k++] = a[i];
	}
	n = k;
	qsort(a, n, sizeof(*a), by_load);
	int64_t all[W_N] = {0};
	struct rep_table t;
	rep_init(&t, r->a, "agent-workload", "坐席工作量", "Agent workload", cols,
		 KF_ARRAY_LEN(cols));
	json_t *agents = json_array();
	for (size_t i = 0; i < n; i++) {
		for (int j = 0; j < W_N; j++)
			all[j] += a[i].v[j];
		cells(rep_row(&t), a[i].name, a[i].v);
		json_t *o = figures(a[i].v);
		json_object_set_new(o, "user_id", json_integer(a[i].id));
		json_object_set_new(o, "name", json_string(a[i].name));
		json_object_set_new(o, "department_id",
				    a[i].dept ? json_integer(a[i].dept) : json_null());
		json_array_append_new(agents, o);
	}
	if (fmt != REP_JSON) {
		json_decref(agents);
		cells(rep_row(&t), r->lang_en ? "Total" : "合计", all);
		rep_info(&t, r->lang_en ? "From" : "开始", rep_time_text(r->a, from));
		rep_info(&t, r->lang_en ? "To" : "结束", rep_time_text(r->a, to));
		if (dept)
			rep_info(&t, r->lang_en ? "Department" : "部门",
				 arena_printf(r->a, "%lld", (long long)dept));
		return rep_send(r, &t, fmt);
	}
	return rep_json(r, json_pack("{s:I, s:I, s:I, s:o, s:o, s:o}", "from", (json_int_t)from,
				     "to", (json_int_t)to, "now", (json_int_t)now, "department_id",
				     dept ? json_integer(dept) : json_null(), "agents", agents,
				     "totals", figures(all)));
}
