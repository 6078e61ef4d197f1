/* kb_list.c - GET /api/kb: standard answers by status, category, owner
 * and words.  Newest first, keyset-paginated; or sort=usage (most used)
 * or sort=rating (best average, then most ratings), paged by offset
 * ("o<n>" cursors, as the search's): the order of those changes with every
 * use, so a keyset on them would skip or repeat rows anyway.
 * status=pending is the supervisors' review queue (answers with a version
 * waiting). */
#include "app/kb.h"

#include <string.h>

#include "app/search.h"
#include "core/validate.h"
#include "lib/common.h"
#include "lib/util.h"

enum { LIST_ARGS = 8, OFFSET_MAX = 100000 };

enum list_sort { SORT_NEWEST, SORT_USAGE, SORT_RATING };

struct list_filter {
	buf where;
	db_val args[LIST_ARGS];
	int n;
	enum list_sort sort;
	int offset;
};

static void add(struct list_filter *f, const char *clause, db_val v)
{
	buf_printf(&f->where, " AND %s", clause);
	f->args[f->n++] = v;
}

static int status_clause(http_req *r, struct list_filter *f)
{
	const char *s = http_query(r, "status");
	if (!s || !*s || !strcmp(s, "published"))
		buf_puts(&f->where, "a.status = 'published'");
	else if (!strcmp(s, "draft") || !strcmp(s, "archived"))
		buf_printf(&f->where, "a.status = '%s'", s);
	else if (!strcmp(s, "pending"))
		buf_puts(&f->where, "EXISTS (SELECT 1 FROM kb_versions pv WHERE pv.answer_id = a.id"
				    " AND pv.state = 'pending')");
	else if (!strcmp(s, "all"))
		buf_puts(&f->where, "1 = 1");
	else
		return http_fail(r, KF_EINVAL, "status",
				 "参数 status 只能是 published、draft、pending、archived 或 all",
				 "The parameter status must be published, draft, pending, archived or all");
	return 0;
}

/* Words match the published text through the search index; drafts and
 * archived answers (few) by their title. */
static int words_clause(http_req *r, struct list_filter *f)
{
	const char *q = http_query(r, "q");
	size_t n;
	if (!q || !*q)
		return 0;
	if (!valid_utf8_len(q, 100, &n))
		return http_fail(r, KF_EINVAL, "q", "搜索内容最多 100 个字符",
				 "The search text is at most 100 characters");
	const char *s = http_query(r, "status");
	if (!s || !*s || !strcmp(s, "published")) {
		struct tok_query *plan = arena_alloc(r->a, sizeof(*plan));
		const char *arg = NULL, *sql = NULL;
		if (tok_query_parse(q, strlen(q), plan) == 0 &&
		    search_refresh(r->db, SEARCH_REFRESH_BUDGET) >= 0)
			sql = search_ids_sql(r->db, r->a, SEARCH_KB, plan, &arg);
		if (!sql) {
			buf_puts(&f->where, " AND 1 = 0");
			return 0;
		}
		add(f, arena_printf(r->a, "a.id IN (%s)", sql), DBT(arg));
		return 0;
	}
	buf b;
	buf_init(&b, 1024);
	buf_putc(&b, '%');
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *p);
	}
	buf_putc(&b, '%');
	add(f, "lower(a.title) LIKE lower(?) ESCAPE '\\'", DBT(arena_strdup(r->a, b.data)));
	buf_release(&b);
	return 0;
}

static int build(http_req *r, struct list_filter *f)
{
	int rc;
	int64_t v, after;
	const char *s;
	if ((rc = status_clause(r, f)) < 0)
		return rc;
	if ((rc = in_query_int(r, "category_id", 1, INT64_MAX, 0, &v)) < 0)
		return rc;
	if (v)
		add(f, "a.category_id = ?", DBI(v));
	if ((s = http_query(r, "owner")) && *s) {
		if (!strcmp(s, "me"))
			add(f, "a.owner_id = ?", DBI(r->user.id));
		else if (util_parse_i64(s, &v) == 0 && v > 0)
			add(f, "a.owner_id = ?", DBI(v));
		else
			return http_fail(r, KF_EINVAL, "owner", "参数 owner 应为用户编号或 me",
					 "The parameter owner must be a user id or me");
	}
	if ((rc = words_clause(r, f)) < 0)
		return rc;
	if (f->sort != SORT_NEWEST)
		return 0;
	if ((rc = in_cursor(r, &after)) < 0)
		return rc;
	if (after)
		add(f, "a.id < ?", DBI(after));
	return 0;
}

/* sort=newest|usage|rating; with the last two the cursor is an offset. */
static int read_sort(http_req *r, struct list_filter *f)
{
	const char *s = http_query(r, "sort");
	int64_t v = 0;
	f->sort = SORT_NEWEST;
	f->offset = 0;
	if (!s || !*s || !strcmp(s, "newest"))
		return 0;
	if (!strcmp(s, "usage"))
		f->sort = SORT_USAGE;
	else if (!strcmp(s, "rating"))
		f->sort = SORT_RATING;
	else
		return http_fail(r, KF_EINVAL, "sort", "参数 sort 只能是 newest、usage 或 rating",
				 "The parameter sort must be newest, usage or rating");
	s = http_query(r, "cursor");
	if (!s || !*s)
		return 0;
	if (s[0] != 'o' || util_parse_i64(s + 1, &v) < 0 || v < 0 || v > OFFSET_MAX)
		return http_fail(r, KF_EINVAL, "cursor", "分页游标无效", "Invalid pagination cursor");
	f->offset = (int)v;
	return 0;
}

static const char *const order_by[] = {
	[SORT_NEWEST] = "a.id DESC",
	[SORT_USAGE] = "a.usage_count DESC, a.id DESC",
	/* Unrated answers last; portable (no NULLS LAST on old SQLite). */
	[SORT_RATING] = ("CASE WHEN a.rating_count > 0 THEN a.rating_sum * 1.0 / a.rating_count"
			 " ELSE -1 END DESC, a.rating_count DESC, a.id DESC"),
};

static void write_item(http_req *r, jw *w, db_stmt *st)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, 0));
	jw_key(w, "title");
	jw_str(w, db_col_text(st, 1));
	jw_key(w, "status");
	jw_str(w, db_col_text(st, 2));
	jw_key(w, "category");
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, 3));
	jw_key(w, "code");
	jw_str(w, db_col_text(st, 4));
	jw_key(w, "name_zh");
	jw_str(w, db_col_text(st, 5));
	jw_key(w, "name_en");
	jw_str(w, db_col_text(st, 6));
	jw_obj_end(w);
	jw_key(w, "owner");
	kb_write_user(w, st, 7, 8);
	jw_key(w, "usage_count");
	jw_int(w, db_col_int(st, 9));
	jw_key(w, "rating");
	kb_write_rating(r, w, db_col_int(st, 10), db_col_int(st, 11));
	jw_key(w, "latest_version_no");
	jw_int(w, db_col_int(st, 12));
	jw_key(w, "published_version_no");
	if (db_col_null(st, 13))
		jw_null(w);
	else
		jw_int(w, db_col_int(st, 13));
	jw_key(w, "pending_version_no");
	if (db_col_null(st, 14))
		jw_null(w);
	else
		jw_int(w, db_col_int(st, 14));
	jw_key(w, "updated_at");
	jw_int(w, db_col_int(st, 15));
	jw_obj_end(w);
}

int kb_list(http_req *r)
{
	int64_t limit;
	int rc;
	if ((rc = in_query_int(r, "limit", 1, 200, 50, &limit)) < 0)
		return rc;
	struct list_filter f = {.n = 0};
	if ((rc = read_sort(r, &f)) < 0)
		return rc;
	buf_init(&f.where, 4096);
	if ((rc = build(r, &f)) < 0) {
		buf_release(&f.where);
		return rc;
	}
	f.args[f.n++] = DBI(limit + 1);
	f.args[f.n++] = DBI(f.offset);
	const char *sql = arena_printf(
		r->a,
		"SELECT a.id, a.title, a.status, a.category_id, k.code, k.name_zh, k.name_en,"
		" a.owner_id, o.display_name, a.usage_count, a.rating_sum, a.rating_count,"
		" a.latest_version_no, pv.version_no, (SELECT MAX(v.version_no) FROM kb_versions v"
		" WHERE v.answer_id = a.id AND v.state = 'pending'), a.updated_at FROM kb_answers a"
		" JOIN kb_categories k ON k.id = a.category_id LEFT JOIN users o ON o.id = a.owner_id"
		" LEFT JOIN kb_versions pv ON pv.id = a.published_version_id WHERE %s"
		" ORDER BY %s LIMIT ? OFFSET ?",
		f.where.data, order_by[f.sort]);
	buf_release(&f.where);
	db_stmt *st;
	if (db_query(r->db, sql, f.args, f.n, &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	buf b;
	buf_init(&b, 8 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "items");
	jw_arr(&w);
	int64_t last = 0, count = 0;
	int more = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (count == limit) {
			more = 1;
			break;
		}
		last = db_col_int(st, 0);
		write_item(r, &w, st);
		count++;
	}
	db_done(st);
	jw_arr_end(&w);
	jw_key(&w, "next_cursor");
	if (more && f.sort != SORT_NEWEST)
		jw_str(&w, arena_printf(r->a, "o%d", f.offset + (int)count));
	else if (more)
		jw_str(&w, out_cursor(r, last));
	else
		jw_null(&w);
	jw_obj_end(&w);
	if (rc < 0 || jw_failed(&w)) {
		buf_release(&b);
		return rc < 0 ? app_db_fail(r, rc, NULL) : http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}
