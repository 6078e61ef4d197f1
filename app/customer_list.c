/* customer_list.c - GET /api/customers: filters, text search, keyset
 * pagination (newest first; the cursor is the last id seen, so pages stay
 * fast at any depth and no COUNT runs on the hot path); and
 * GET /api/customers/count, the exact number the same filters match, for
 * the screens that show it (one COUNT over the same conditions and
 * indexes: owner=me reads the customers_owner range). */
#include "app/customer.h"
#include "app/search.h"

#include <string.h>

#include "core/classes.h"
#include "core/mask.h"
#include "core/validate.h"
#include "lib/jw.h"
#include "lib/common.h"
#include "lib/util.h"

static void add(struct customer_filter *f, const char *clause, db_val v)
{
	buf_printf(&f->where, " AND %s", clause);
	f->args[f->n++] = v;
}

static const char *const class_params[] = {"kind",        "source", "lifecycle", "chain_role",
					   "value_class", "tier",   NULL};

/* %, _ and \ in the user's text match themselves. */
static char *like_pattern(http_req *r, const char *q, int digits_only)
{
	buf b;
	buf_init(&b, 1024);
	buf_putc(&b, '%');
	for (const char *p = q; *p; p++) {
		if (digits_only && (*p < '0' || *p > '9'))
			continue;
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *p);
	}
	buf_putc(&b, '%');
	char *s = arena_strdup(r->a, b.data);
	buf_release(&b);
	return s;
}

static int add_text_search(http_req *r, struct customer_filter *f, const char *q)
{
	size_t n;
	if (!valid_utf8_len(q, 50, &n))
		return http_fail(r, KF_EINVAL, "q", "搜索词最多 50 个字符", "Search text is at most 50 characters");
	while (*q == ' ')
		q++;
	if (!*q)
		return 0;
	db_val idx;
	const char *cond = search_customer_filter(r, q, &idx); /* Chinese text: the search index */
	if (cond) {
		add(f, cond, idx);
		return 0;
	}
	const char *like = like_pattern(r, q, 0);
	const char *digits = like_pattern(r, q, 1);
	if (strlen(digits) >= 5) { /* at least 3 digits: also match phones */
		buf_puts(&f->where, " AND (lower(c.name) LIKE lower(?) ESCAPE '\\'"
				    " OR lower(c.company) LIKE lower(?) ESCAPE '\\'"
				    " OR c.phone LIKE ? ESCAPE '\\')");
		f->args[f->n++] = DBT(like);
		f->args[f->n++] = DBT(like);
		f->args[f->n++] = DBT(digits);
	} else {
		buf_puts(&f->where, " AND (lower(c.name) LIKE lower(?) ESCAPE '\\'"
				    " OR lower(c.company) LIKE lower(?) ESCAPE '\\')");
		f->args[f->n++] = DBT(like);
		f->args[f->n++] = DBT(like);
	}
	return 0;
}

/* The conditions on the customer's own fields, shared by the list and the
 * reports: the classified fields, industry, tag, owner and the owner's
 * department. */
static int field_filters(http_req *r, struct customer_filter *f)
{
	const char *v;
	for (const char *const *p = class_params; *p; p++) {
		v = http_query(r, *p);
		if (!v || !*v)
			continue;
		kf_err e;
		kf_err_clear(&e);
		if (class_check(*p, *p, v, &e) < 0)
			return in_err(r, &e);
		add(f, arena_printf(r->a, "c.%s = ?", *p), DBT(v));
	}
	if ((v = http_query(r, "industry")) && *v)
		add(f, "c.industry = ?", DBT(v));
	if ((v = http_query(r, "tag")) && *v)
		add(f, "c.id IN (SELECT customer_id FROM customer_tags WHERE tag = ?)", DBT(v));
	if ((v = http_query(r, "owner")) && *v) {
		int64_t uid;
		if (!strcmp(v, "none"))
			buf_puts(&f->where, " AND c.owner_id IS NULL");
		else if (!strcmp(v, "me"))
			add(f, "c.owner_id = ?", DBI(r->user.id));
		else if (util_parse_i64(v, &uid) == 0 && uid > 0)
			add(f, "c.owner_id = ?", DBI(uid));
		else
			return http_fail(r, KF_EINVAL, "owner", "参数 owner 应为用户编号、me 或 none",
					 "The parameter owner must be a user id, me or none");
		f->narrowed = 1;
	}
	int64_t dept;
	int rc;
	if ((rc = in_query_int(r, "department_id", 1, INT64_MAX, 0, &dept)) < 0)
		return rc;
	if (dept)
		add(f, "c.owner_id IN (SELECT id FROM users WHERE department_id = ?)", DBI(dept));
	f->narrowed |= f->n > 0;
	return 0;
}

int customer_list_filter(http_req *r, struct customer_filter *f)
{
	int rc;
	const char *v;
	v = http_query(r, "archived");
	if (v && strcmp(v, "0") && strcmp(v, "1"))
		return http_fail(r, KF_EINVAL, "archived", "参数 archived 只能是 0 或 1",
				 "The parameter archived must be 0 or 1");
	buf_puts(&f->where, v && !strcmp(v, "1") ? "c.archived_at IS NOT NULL" : "c.archived_at IS NULL");
	if ((rc = field_filters(r, f)) < 0)
		return rc;
	if ((v = http_query(r, "q")) && *v && (rc = add_text_search(r, f, v)) < 0)
		return rc;
	int64_t after;
	if ((rc = in_cursor(r, &after)) < 0)
		return rc;
	if (after)
		add(f, "c.id < ?", DBI(after));
	return 0;
}

int customer_report_filter(http_req *r, struct customer_filter *f)
{
	buf_puts(&f->where, "c.archived_at IS NULL");
	return field_filters(r, f);
}

static void summary_row(http_req *r, jw *w, db_stmt *st)
{
	int64_t owner = db_col_null(st, 11) ? 0 : db_col_int(st, 11);
	int masked = customer_masked_for(r, owner) && !db_col_null(st, 5);
	static const char *const text_cols[] = {NULL, "name", "kind", "company", "industry", NULL,
						"lifecycle", "source", "chain_role", "value_class", "tier"};
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, 0));
	for (int i = 1; i <= 10; i++) {
		if (i == 5) {
			jw_key(w, "phone");
			if (db_col_null(st, 5)) {
				jw_null(w);
			} else if (masked) {
				char m[48];
				mask_phone(db_col_text(st, 5), m, sizeof(m));
				jw_str(w, m);
			} else {
				jw_str(w, db_col_text(st, 5));
			}
			continue;
		}
		jw_key(w, text_cols[i]);
		jw_str(w, db_col_text(st, i));
	}
	jw_key(w, "owner");
	if (owner) {
		jw_obj(w);
		jw_key(w, "id");
		jw_int(w, owner);
		jw_key(w, "display_name");
		jw_str(w, db_col_text(st, 12));
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "tags"); /* stored validated JSON, but never emit an empty value */
	const char *tags = db_col_text(st, 13);
	jw_raw(w, tags[0] == '[' ? tags : "[]");
	jw_key(w, "updated_at");
	jw_int(w, db_col_int(st, 14));
	jw_key(w, "phone_masked");
	jw_bool(w, masked);
	jw_obj_end(w);
}

int customers_count(http_req *r)
{
	if (http_query(r, "cursor") || http_query(r, "limit"))
		return http_fail(r, KF_EINVAL, http_query(r, "cursor") ? "cursor" : "limit",
				 "计数不分页：请去掉 cursor 和 limit",
				 "A count is not paged: leave out cursor and limit");
	struct customer_filter f = {.n = 0};
	buf_init(&f.where, 4096);
	int rc = customer_list_filter(r, &f);
	if (rc < 0) {
		buf_release(&f.where);
		return rc;
	}
	const char *sql = arena_printf(r->a, "SELECT COUNT(*) FROM customers c WHERE %s", f.where.data);
	buf_release(&f.where);
	int64_t n = 0;
	if ((rc = db_query_int(r->db, sql, f.args, f.n, &n)) != DB_ROW)
		return app_db_fail(r, rc < 0 ? rc : DB_EFAIL, NULL);
	return http_json(r, 200, json_pack("{s:I}", "count", (json_int_t)n));
}

int customers_list(http_req *r)
{
	int64_t limit;
	int rc;
	if ((rc = in_query_int(r, "limit", 1, 200, 50, &limit)) < 0)
		return rc;
	struct customer_filter f = {.n = 0};
	buf_init(&f.where, 4096);
	if ((rc = customer_list_filter(r, &f)) < 0) {
		buf_release(&f.where);
		return rc;
	}
	f.args[f.n++] = DBI(limit + 1);
	const char *sql = arena_printf(
		r->a,
		"SELECT c.id, c.name, c.kind, c.company, c.industry, c.phone, c.lifecycle, c.source,"
		" c.chain_role, c.value_class, c.tier, c.owner_id, u.display_name, c.tags, c.updated_at"
		" FROM customers c LEFT JOIN users u ON u.id = c.owner_id WHERE %s"
		" ORDER BY c.id DESC LIMIT ?",
		f.where.data);
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
		summary_row(r, &w, st);
		count++;
	}
	db_done(st);
	jw_arr_end(&w);
	jw_key(&w, "next_cursor");
	if (more)
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
