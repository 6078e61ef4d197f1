/* case_list.c - GET /api/cases (the views: mine, department, overdue,
 * approval, customer, all; filters; sorts; keyset pages) and
 * GET /api/cases/counts (a count per view).
 *
 * Every view is one index range (see the indexes in 0002_cases.sql):
 * "my open cases" reads (assignee_id, is_open, queue_rank, id) from the
 * cursor on, so a page costs the same at any depth and at any number of
 * cases.  Counts never scan a million rows: each counts at most
 * COUNT_CAP rows of its own index range (a count equal to the cap means
 * "at least"). */
#include "app/case.h"

#include <stdio.h>
#include <string.h>

#include "core/validate.h"
#include "lib/common.h"
#include "lib/jw.h"
#include "lib/util.h"

enum { MAX_ARGS = 32, COUNT_CAP = 10000 };

enum view { V_MINE, V_DEPARTMENT, V_OVERDUE, V_APPROVAL, V_CUSTOMER, V_ALL };
static const char *const view_names[] = {"mine", "department", "overdue", "approval", "customer",
					 "all", NULL};

enum sort { S_QUEUE, S_NEWEST, S_OLDEST, S_UPDATED, S_DUE };
static const struct sort_def {
	const char *name;
	char letter; /* first character of the cursor */
	int two;     /* the cursor has a value besides the id */
	const char *order;
	const char *after; /* the keyset condition: (value, id) after the cursor */
} sorts[] = {
	{"queue", 'q', 1, "c.queue_rank, c.id", "(c.queue_rank > ? OR (c.queue_rank = ? AND c.id > ?))"},
	{"newest", 'n', 0, "c.id DESC", "c.id < ?"},
	{"oldest", 'o', 0, "c.id", "c.id > ?"},
	{"updated", 'u', 1, "c.updated_at DESC, c.id DESC",
	 "(c.updated_at < ? OR (c.updated_at = ? AND c.id < ?))"},
	{"due", 'd', 1, "COALESCE(c.sla_due_at, 9000000000000000), c.id",
	 "(COALESCE(c.sla_due_at, 9000000000000000) > ? OR"
	 " (COALESCE(c.sla_due_at, 9000000000000000) = ? AND c.id > ?))"},
};

struct query {
	buf where;
	db_val args[MAX_ARGS];
	int n;
};

static void cond(struct query *q, const char *clause)
{
	buf_printf(&q->where, "%s%s", q->where.len ? " AND " : "", clause);
}

static void cond1(struct query *q, const char *clause, db_val v)
{
	cond(q, clause);
	q->args[q->n++] = v;
}

static int parse_name(const char *s, const char *const *names)
{
	for (int i = 0; s && names[i]; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

/* "My department" for a supervisor without one is the whole service. */
static int all_departments(http_req *r)
{
	return r->user.role >= ROLE_ADMIN || (r->user.role == ROLE_SUPERVISOR && !r->user.department_id);
}

/* The department a view looks at: the parameter (supervisors and admins),
 * else the user's own. */
static int view_department(http_req *r, int64_t *dept)
{
	int64_t d;
	int rc;
	if ((rc = in_query_int(r, "department_id", 1, INT64_MAX, 0, &d)) < 0)
		return rc;
	if (d && d != r->user.department_id && !all_departments(r))
		return http_fail(r, KF_EFORBIDDEN, "department_id", "您只能查看本部门的工单",
				 "You see your own department's cases");
	*dept = d ? d : r->user.department_id;
	return 0;
}

static int view_scope(http_req *r, struct query *q, enum view v, int64_t now)
{
	int64_t dept = 0, cust;
	int rc;
	switch (v) {
	case V_MINE:
		cond1(q, "c.assignee_id = ?", DBI(r->user.id));
		return 0;
	case V_DEPARTMENT:
		if ((rc = view_department(r, &dept)) < 0)
			return rc;
		if (!dept)
			return http_fail(r, KF_EINVAL, "department_id", "您不属于任何部门，请给出 department_id",
					 "You belong to no department: give department_id");
		cond1(q, "c.department_id = ?", DBI(dept));
		return 0;
	case V_OVERDUE:
	case V_APPROVAL:
		if (v == V_APPROVAL && r->user.role < ROLE_SUPERVISOR)
			return http_fail(r, KF_EFORBIDDEN, "view", "只有主管审批方案",
					 "Only supervisors approve plans");
		if (v == V_OVERDUE) {
			cond(q, "c.sla_due_at IS NOT NULL");
			cond1(q, "c.sla_due_at < ?", DBI(now));
		} else {
			cond(q, "c.pending_plans > 0");
		}
		if (r->user.role == ROLE_AGENT) {
			cond1(q, "c.assignee_id = ?", DBI(r->user.id));
			return 0;
		}
		if ((rc = view_department(r, &dept)) < 0)
			return rc;
		if (http_query(r, "department_id") || !all_departments(r))
			cond1(q, "c.department_id = ?", DBI(dept));
		return 0;
	case V_CUSTOMER:
		if ((rc = in_query_int(r, "customer_id", 1, INT64_MAX, 0, &cust)) < 0)
			return rc;
		if (!cust)
			return http_fail(r, KF_EINVAL, "customer_id", "view=customer 需要 customer_id",
					 "view=customer needs customer_id");
		cond1(q, "c.customer_id = ?", DBI(cust));
		/* only the cases the user may see */
		__attribute__((fallthrough));
	case V_ALL: {
		const char *vis = case_visible_sql(r, q->args, &q->n);
		cond(q, vis);
		return 0;
	}
	}
	return 0;
}

static const struct {
	const char *param, *set, *column;
} class_filters[] = {
	{"type", "case_type", "c.type"},   {"priority", "priority", "c.priority"},
	{"channel", "channel", "c.channel"}, {"emotion", "emotion", "c.emotion"},
	{"severity", "severity", "c.severity"},
};

static int filters(http_req *r, struct query *q, enum view v)
{
	const char *s;
	int rc;
	kf_err e;
	kf_err_clear(&e);
	for (size_t i = 0; i < KF_ARRAY_LEN(class_filters); i++) {
		if (!(s = http_query(r, class_filters[i].param)) || !*s)
			continue;
		if (case_class_check(class_filters[i].set, class_filters[i].param, s, &e) < 0)
			return in_err(r, &e);
		cond1(q, arena_printf(r->a, "%s = ?", class_filters[i].column), DBT(s));
	}
	if ((s = http_query(r, "state")) && *s) {
		if (case_state_parse(s) < 0) {
			char ex[33]; /* %.32s would cut a character in two */
			valid_excerpt(s, ex, sizeof(ex));
			return http_fail(r, KF_EINVAL, "state", "未知的状态 %s（见 GET /api/case-flow）",
					 "Unknown state %s (see GET /api/case-flow)", ex);
		}
		cond1(q, "c.state = ?", DBT(s));
	}
	/* open: 1 (default for the work queues), 0, or all */
	s = http_query(r, "open");
	if (!s || !*s)
		s = v == V_CUSTOMER || v == V_ALL || v == V_OVERDUE || v == V_APPROVAL ? "all" : "1";
	if (!strcmp(s, "1") || !strcmp(s, "0"))
		cond1(q, "c.is_open = ?", DBI(s[0] - '0'));
	else if (strcmp(s, "all"))
		return http_fail(r, KF_EINVAL, "open", "参数 open 应为 1、0 或 all",
				 "The parameter open is 1, 0 or all");
	if ((s = http_query(r, "assignee")) && *s && v != V_MINE) {
		int64_t uid;
		if (!strcmp(s, "none"))
			cond(q, "c.assignee_id IS NULL");
		else if (!strcmp(s, "me"))
			cond1(q, "c.assignee_id = ?", DBI(r->user.id));
		else if (util_parse_i64(s, &uid) == 0 && uid > 0)
			cond1(q, "c.assignee_id = ?", DBI(uid));
		else
			return http_fail(r, KF_EINVAL, "assignee", "参数 assignee 应为用户编号、me 或 none",
					 "The parameter assignee is a user id, me or none");
	}
	int64_t from, to;
	if ((rc = in_query_int(r, "created_from", 0, INT64_MAX, 0, &from)) < 0 ||
	    (rc = in_query_int(r, "created_to", 0, INT64_MAX, 0, &to)) < 0)
		return rc;
	if (from)
		cond1(q, "c.created_at >= ?", DBI(from));
	if (to)
		cond1(q, "c.created_at < ?", DBI(to));
	if ((rc = in_query_int(r, "closed_from", 0, INT64_MAX, 0, &from)) < 0 ||
	    (rc = in_query_int(r, "closed_to", 0, INT64_MAX, 0, &to)) < 0)
		return rc;
	if (from)
		cond1(q, "c.closed_at >= ?", DBI(from));
	if (to)
		cond1(q, "c.closed_at < ?", DBI(to));
	if ((s = http_query(r, "q")) && *s) {
		char number[CASE_NUMBER_SIZE];
		size_t n;
		if (!valid_utf8_len(s, 50, &n))
			return http_fail(r, KF_EINVAL, "q", "搜索词最多 50 个字符",
					 "Search text is at most 50 characters");
		if (case_number_parse(s, number, sizeof(number))) {
			cond1(q, "c.number = ?", DBT(arena_strdup(r->a, number)));
		} else {
			buf like;
			buf_init(&like, 512);
			buf_putc(&like, '%');
			for (const char *p = s; *p; p++) {
				if (*p == '%' || *p == '_' || *p == '\\')
					buf_putc(&like, '\\');
				buf_putc(&like, *p);
			}
			buf_putc(&like, '%');
			cond1(q, "c.subject LIKE ? ESCAPE '\\'", DBT(arena_strdup(r->a, like.data)));
			buf_release(&like);
		}
	}
	return 0;
}

/* Cursors: the sort's letter, then hex "value.id" or "id". */
static int read_cursor(http_req *r, const struct sort_def *so, int64_t *val, int64_t *id)
{
	const char *s = http_query(r, "cursor");
	*val = *id = 0;
	if (!s || !*s)
		return 0;
	unsigned long long a = 0, b = 0;
	char tail;
	int ok = s[0] == so->letter && strlen(s) < 40;
	if (ok && so->two)
		ok = sscanf(s + 1, "%llx.%llx%c", &a, &b, &tail) == 2 && b > 0;
	else if (ok)
		ok = sscanf(s + 1, "%llx%c", &b, &tail) == 1 && b > 0;
	if (!ok || a > INT64_MAX || b > INT64_MAX)
		return http_fail(r, KF_EINVAL, "cursor", "分页游标无效（换了排序方式就从第一页开始）",
				 "Invalid pagination cursor (a new sort starts from the first page)");
	*val = (int64_t)a;
	*id = (int64_t)b;
	return 0;
}

static char *write_cursor(http_req *r, const struct sort_def *so, int64_t val, int64_t id)
{
	if (so->two)
		return arena_printf(r->a, "%c%llx.%llx", so->letter, (unsigned long long)val,
				    (unsigned long long)id);
	return arena_printf(r->a, "%c%llx", so->letter, (unsigned long long)id);
}

#define LIST_COLS                                                                                  \
	"c.id, c.number, c.type, c.priority, c.severity, c.state, c.is_open, c.paused_at,"        \
	" c.subject, c.emotion, c.channel, c.key_account, c.customer_id, cu.name, c.assignee_id,"  \
	" u.display_name, c.department_id, c.pending_plans, c.first_response_due_at,"              \
	" c.resolve_due_at, c.sla_due_at, c.received_at, c.created_at, c.updated_at,"              \
	" c.queue_rank, COALESCE(c.sla_due_at, 9000000000000000)"

enum { L_ID, L_NUMBER, L_RANK = 24, L_DUEKEY = 25 };

static void opt_time(jw *w, db_stmt *st, int i)
{
	if (db_col_null(st, i))
		jw_null(w);
	else
		jw_int(w, db_col_int(st, i));
}

static void item(jw *w, db_stmt *st, int64_t now)
{
	static const char *const texts[] = {NULL,    "number", "type",  "priority", "severity",
					    "state"};
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, 0));
	for (int i = 1; i <= 5; i++) {
		jw_key(w, texts[i]);
		jw_str(w, db_col_text(st, i));
	}
	jw_key(w, "open");
	jw_bool(w, (int)db_col_int(st, 6));
	jw_key(w, "paused");
	jw_bool(w, !db_col_null(st, 7));
	jw_key(w, "subject");
	jw_str(w, db_col_text(st, 8));
	jw_key(w, "emotion");
	jw_str(w, db_col_text(st, 9));
	jw_key(w, "channel");
	jw_str(w, db_col_text(st, 10));
	jw_key(w, "key_account");
	jw_bool(w, (int)db_col_int(st, 11));
	jw_key(w, "customer");
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, 12));
	jw_key(w, "name");
	jw_str(w, db_col_text(st, 13));
	jw_obj_end(w);
	jw_key(w, "assignee");
	if (db_col_null(st, 14)) {
		jw_null(w);
	} else {
		jw_obj(w);
		jw_key(w, "id");
		jw_int(w, db_col_int(st, 14));
		jw_key(w, "display_name");
		jw_str(w, db_col_text(st, 15));
		jw_obj_end(w);
	}
	jw_key(w, "department_id");
	opt_time(w, st, 16);
	jw_key(w, "pending_plans");
	jw_int(w, db_col_int(st, 17));
	jw_key(w, "first_response_due_at");
	opt_time(w, st, 18);
	jw_key(w, "resolve_due_at");
	opt_time(w, st, 19);
	jw_key(w, "sla_due_at");
	opt_time(w, st, 20);
	jw_key(w, "overdue");
	jw_bool(w, !db_col_null(st, 20) && db_col_int(st, 20) < now);
	jw_key(w, "received_at");
	jw_int(w, db_col_int(st, 21));
	jw_key(w, "created_at");
	jw_int(w, db_col_int(st, 22));
	jw_key(w, "updated_at");
	jw_int(w, db_col_int(st, 23));
	jw_obj_end(w);
}

static int64_t sort_value(const struct sort_def *so, db_stmt *st)
{
	switch (so->letter) {
	case 'q':
		return db_col_int(st, L_RANK);
	case 'u':
		return db_col_int(st, 23);
	case 'd':
		return db_col_int(st, L_DUEKEY);
	default:
		return 0;
	}
}

static int build(http_req *r, struct query *q, enum view *v, const struct sort_def **so,
		 int64_t now)
{
	int rc;
	const char *vs = http_query(r, "view");
	int vi = vs && *vs ? parse_name(vs, view_names) : V_ALL;
	if (vi < 0)
		return http_fail(r, KF_EINVAL, "view",
				 "参数 view 应为 mine、department、overdue、approval、customer 或 all",
				 "The parameter view is mine, department, overdue, approval, customer or all");
	*v = (enum view)vi;
	const char *ss = http_query(r, "sort");
	int si = -1;
	for (size_t i = 0; ss && *ss && i < KF_ARRAY_LEN(sorts); i++)
		if (!strcmp(ss, sorts[i].name))
			si = (int)i;
	if (ss && *ss && si < 0)
		return http_fail(r, KF_EINVAL, "sort", "参数 sort 应为 queue、newest、oldest、updated 或 due",
				 "The parameter sort is queue, newest, oldest, updated or due");
	if (si < 0)
		si = *v == V_OVERDUE ? S_DUE : (*v == V_CUSTOMER || *v == V_ALL) ? S_NEWEST : S_QUEUE;
	*so = &sorts[si];
	if ((rc = view_scope(r, q, *v, now)) < 0 || (rc = filters(r, q, *v)) < 0)
		return rc;
	int64_t val, id;
	if ((rc = read_cursor(r, *so, &val, &id)) < 0)
		return rc;
	if (id) {
		cond(q, (*so)->after);
		if ((*so)->two) {
			q->args[q->n++] = DBI(val);
			q->args[q->n++] = DBI(val);
		}
		q->args[q->n++] = DBI(id);
	}
	return 0;
}

int cases_list(http_req *r)
{
	int64_t limit, now = util_now_ms();
	int rc;
	if ((rc = in_query_int(r, "limit", 1, 200, 50, &limit)) < 0)
		return rc;
	struct query q = {.n = 0};
	buf_init(&q.where, 8192);
	enum view v = V_ALL;
	const struct sort_def *so = &sorts[S_NEWEST];
	if ((rc = build(r, &q, &v, &so, now)) < 0) {
		buf_release(&q.where);
		return rc;
	}
	q.args[q.n++] = DBI(limit + 1);
	const char *sql = arena_printf(r->a,
				       "SELECT " LIST_COLS " FROM cases c"
				       " JOIN customers cu ON cu.id = c.customer_id"
				       " LEFT JOIN users u ON u.id = c.assignee_id"
				       " WHERE %s ORDER BY %s LIMIT ?",
				       q.where.len ? q.where.data : "1 = 1", so->order);
	buf_release(&q.where);
	db_stmt *st;
	if (db_query(r->db, sql, q.args, q.n, &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	buf b;
	buf_init(&b, 8 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "view");
	jw_str(&w, view_names[v]);
	jw_key(&w, "sort");
	jw_str(&w, so->name);
	jw_key(&w, "items");
	jw_arr(&w);
	int64_t count = 0, last_id = 0, last_val = 0;
	int more = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (count == limit) {
			more = 1;
			break;
		}
		last_id = db_col_int(st, L_ID);
		last_val = sort_value(so, st);
		item(&w, st, now);
		count++;
	}
	db_done(st);
	jw_arr_end(&w);
	jw_key(&w, "next_cursor");
	if (more)
		jw_str(&w, write_cursor(r, so, last_val, last_id));
	else
		jw_null(&w);
	jw_obj_end(&w);
	if (rc < 0 || jw_failed(&w)) {
		buf_release(&b);
		return rc < 0 ? app_db_fail(r, rc, NULL) : http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}

/* ------------------------------------------------------------ counts */

/* At most COUNT_CAP rows of one index range. */
static int count_from(http_req *r, const char *from, const char *where, const db_val *args, int n,
		      json_t *out, const char *key)
{
	db_val a[8];
	memcpy(a, args, (size_t)n * sizeof(db_val));
	a[n] = DBI(COUNT_CAP);
	const char *sql = arena_printf(
		r->a, "SELECT COUNT(*) FROM (SELECT 1 FROM %s WHERE %s LIMIT ?) t", from, where);
	int64_t v = 0;
	int rc = db_query_int(r->db, sql, a, n + 1, &v);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	json_object_set_new(out, key, json_integer(v));
	return 0;
}

static int count_capped(http_req *r, const char *where, const db_val *args, int n, json_t *out,
			const char *key)
{
	return count_from(r, "cases c", where, args, n, out, key);
}

const char *case_queue_from(db *d)
{
	/* SQLite's planner, not knowing the partial index is small, walks the
	 * department's open cases instead (8 ms at 1,000,000 cases against
	 * 0.05 ms); PostgreSQL's statistics find it alone. */
	return d->kind == DB_SQLITE ? "cases c INDEXED BY cases_unassigned" : "cases c";
}

int cases_counts(http_req *r)
{
	int64_t now = util_now_ms(), me = r->user.id, dept = r->user.department_id;
	int sup = r->user.role >= ROLE_SUPERVISOR, all = all_departments(r);
	json_t *o = json_object();
	int rc = count_capped(r, "c.assignee_id = ? AND c.is_open = 1", (db_val[]){DBI(me)}, 1, o,
			      "mine");
	if (rc == 0 && dept) {
		db_val a[] = {DBI(dept)};
		if ((rc = count_capped(r, "c.department_id = ? AND c.is_open = 1", a, 1, o, "department")) == 0)
			rc = count_from(r, case_queue_from(r->db),
					"c.department_id = ? AND c.assignee_id IS NULL AND c.is_open = 1", a, 1,
					o, "queue");
	} else if (rc == 0) {
		json_object_set_new(o, "department", json_null());
		json_object_set_new(o, "queue", json_null());
	}
	if (rc == 0 && !sup)
		rc = count_capped(r, "c.assignee_id = ? AND c.sla_due_at IS NOT NULL AND c.sla_due_at < ?",
				  (db_val[]){DBI(me), DBI(now)}, 2, o, "overdue");
	else if (rc == 0 && all)
		rc = count_capped(r, "c.sla_due_at IS NOT NULL AND c.sla_due_at < ?", (db_val[]){DBI(now)},
				  1, o, "overdue");
	else if (rc == 0)
		rc = count_capped(r, "c.department_id = ? AND c.sla_due_at IS NOT NULL AND c.sla_due_at < ?",
				  (db_val[]){DBI(dept), DBI(now)}, 2, o, "overdue");
	if (rc == 0 && !sup)
		json_object_set_new(o, "approval", json_null());
	else if (rc == 0 && all)
		rc = count_capped(r, "c.pending_plans > 0", (db_val[]){DBNULL}, 0, o, "approval");
	else if (rc == 0)
		rc = count_capped(r, "c.department_id = ? AND c.pending_plans > 0", (db_val[]){DBI(dept)},
				  1, o, "approval");
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	json_object_set_new(o, "capped_at", json_integer(COUNT_CAP));
	return http_json(r, 200, o);
}
