/* search.c - GET /api/search: ranked, paginated, highlighted results over
 * customers, cases and the knowledge base; and the index condition that
 * GET /api/customers?q= uses for Chinese text.
 *
 * With type=customer|case|kb one kind is searched and paged (cursor =
 * offset among the ranked candidates); without type, the first few
 * results of each kind (the global search box). */
#include "app/search.h"

#include <string.h>

#include "app/customer.h"
#include "core/mask.h"
#include "core/snippet.h"
#include "core/validate.h"
#include "lib/common.h"
#include "lib/util.h"

enum {
	Q_MAX_CHARS = 100,
	TITLE_CHARS = 120,
	SNIPPET_CHARS = 80,
	MAX_SPANS = 64,
	PAGE_MAX = 50,
	GROUP_MAX = 20,
};

/* ------------------------------------------------------------------ customers */

static int customer_result(http_req *r, jw *w, int64_t id)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT c.name, c.company, c.phone, c.owner_id, u.display_name, c.archived_at,"
		     " c.updated_at, c.tier, c.value_class FROM customers c"
		     " LEFT JOIN users u ON u.id = c.owner_id WHERE c.id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return DB_EFAIL;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		int64_t owner = db_col_null(st, 3) ? 0 : db_col_int(st, 3);
		int masked = customer_masked_for(r, owner) && !db_col_null(st, 2);
		jw_key(w, "name");
		jw_str(w, db_col_text(st, 0));
		jw_key(w, "company");
		jw_str(w, db_col_text(st, 1));
		jw_key(w, "phone");
		if (db_col_null(st, 2)) {
			jw_null(w);
		} else if (masked) {
			char m[48];
			mask_phone(db_col_text(st, 2), m, sizeof(m));
			jw_str(w, m);
		} else {
			jw_str(w, db_col_text(st, 2));
		}
		jw_key(w, "phone_masked");
		jw_bool(w, masked);
		jw_key(w, "owner");
		if (owner) {
			jw_obj(w);
			jw_key(w, "id");
			jw_int(w, owner);
			jw_key(w, "display_name");
			jw_str(w, db_col_text(st, 4));
			jw_obj_end(w);
		} else {
			jw_null(w);
		}
		jw_key(w, "tier");
		jw_str(w, db_col_text(st, 7));
		jw_key(w, "value_class");
		jw_str(w, db_col_text(st, 8));
		jw_key(w, "archived");
		jw_bool(w, !db_col_null(st, 5));
		jw_key(w, "updated_at");
		jw_int(w, db_col_int(st, 6));
		rc = 0;
	}
	db_done(st);
	return rc;
}

static const struct search_kind_ops customer_ops = {NULL, customer_result};

/* ------------------------------------------------------------------ knowledge base */

static int kb_result(http_req *r, jw *w, int64_t id)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT a.title, a.category_id, k.code, k.name_zh, k.name_en, a.usage_count,"
		     " a.rating_sum, a.rating_count, a.updated_at, v.version_no FROM kb_answers a"
		     " JOIN kb_categories k ON k.id = a.category_id"
		     " LEFT JOIN kb_versions v ON v.id = a.published_version_id WHERE a.id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return DB_EFAIL;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		jw_key(w, "title");
		jw_str(w, db_col_text(st, 0));
		jw_key(w, "category");
		jw_obj(w);
		jw_key(w, "id");
		jw_int(w, db_col_int(st, 1));
		jw_key(w, "code");
		jw_str(w, db_col_text(st, 2));
		jw_key(w, "name_zh");
		jw_str(w, db_col_text(st, 3));
		jw_key(w, "name_en");
		jw_str(w, db_col_text(st, 4));
		jw_obj_end(w);
		jw_key(w, "version_no");
		jw_int(w, db_col_int(st, 9));
		jw_key(w, "usage_count");
		jw_int(w, db_col_int(st, 5));
		int64_t sum = db_col_int(st, 6), n = db_col_int(st, 7);
		jw_key(w, "rating");
		jw_obj(w);
		jw_key(w, "average");
		if (n)
			jw_raw(w, arena_printf(r->a, "%.2f", (double)sum / (double)n));
		else
			jw_null(w);
		jw_key(w, "count");
		jw_int(w, n);
		jw_obj_end(w);
		jw_key(w, "updated_at");
		jw_int(w, db_col_int(st, 8));
		rc = 0;
	}
	db_done(st);
	return rc;
}

static const struct search_kind_ops kb_ops = {NULL, kb_result};

static const struct search_kind_ops *const kind_ops[SEARCH__COUNT] = {
	&customer_ops, &search_case_ops, &kb_ops};

/* ------------------------------------------------------------------ results */

/* title_html and snippet_html of one document. */
static void write_highlights(http_req *r, jw *w, enum search_kind k, int64_t id,
			     const struct tok_query *plan)
{
	const char *title = "", *body = "";
	search_text(r->db, r->a, k, id, &title, &body);
	struct tok_span spans[MAX_SPANS];
	buf b;
	buf_init(&b, 1 << 16);
	int n = tok_match_spans(plan, title, strlen(title), 0, spans, MAX_SPANS);
	snippet_html(title, strlen(title), spans, n < 0 ? 0 : n, TITLE_CHARS, &b);
	jw_key(w, "title_html");
	jw_str(w, b.data ? b.data : "");
	buf_reset(&b);
	n = tok_match_spans(plan, body, strlen(body), 0, spans, MAX_SPANS);
	snippet_html(body, strlen(body), spans, n < 0 ? 0 : n, SNIPPET_CHARS, &b);
	jw_key(w, "snippet_html");
	jw_str(w, b.data ? b.data : "");
	buf_release(&b);
}

/* Searches one kind and writes {"type", "items", "total", "total_capped",
 * "next_cursor"} members into the open object. */
static int search_kind(http_req *r, jw *w, enum search_kind k, const struct tok_query *plan,
		       int offset, int limit, int paged)
{
	db_val args[8];
	struct search_query q = {.kind = k, .plan = plan, .offset = offset, .limit = limit};
	int rc;
	if (kind_ops[k]->scope && (rc = kind_ops[k]->scope(r, &q, args)) < 0)
		return rc;
	struct search_result res;
	if ((rc = search_find(r->db, r->a, &q, &res)) < 0)
		return app_db_fail(r, rc, NULL);
	jw_key(w, "type");
	jw_str(w, search_kind_name(k));
	jw_key(w, "items");
	jw_arr(w);
	for (int i = 0; i < res.n; i++) {
		jw_obj(w);
		jw_key(w, "type");
		jw_str(w, search_kind_name(k));
		jw_key(w, "id");
		jw_int(w, res.hits[i].id);
		jw_key(w, "score");
		jw_raw(w, arena_printf(r->a, "%.6g", res.hits[i].score));
		if ((rc = kind_ops[k]->fields(r, w, res.hits[i].id)) < 0)
			return app_db_fail(r, rc, NULL);
		write_highlights(r, w, k, res.hits[i].id, plan);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "total");
	jw_int(w, res.total);
	jw_key(w, "total_capped");
	jw_bool(w, res.capped);
	if (paged) {
		jw_key(w, "next_cursor");
		if (offset + res.n < res.total && res.n == limit)
			jw_str(w, arena_printf(r->a, "o%d", offset + res.n));
		else
			jw_null(w);
	}
	return 0;
}

static int parse_offset(http_req *r, int *offset)
{
	const char *s = http_query(r, "cursor");
	int64_t v = 0;
	*offset = 0;
	if (!s || !*s)
		return 0;
	if (s[0] != 'o' || util_parse_i64(s + 1, &v) < 0 || v < 0 || v >= SEARCH_CANDIDATES)
		return http_fail(r, KF_EINVAL, "cursor", "分页游标无效", "Invalid pagination cursor");
	*offset = (int)v;
	return 0;
}

/* The query text: 1..Q_MAX_CHARS characters. */
static int parse_q(http_req *r, const char **q)
{
	*q = http_query(r, "q");
	size_t n = 0;
	if (!*q || !**q)
		return http_fail(r, KF_EINVAL, "q", "请输入搜索内容", "Enter something to search for");
	if (!valid_utf8_len(*q, Q_MAX_CHARS, &n))
		return http_fail(r, KF_EINVAL, "q", "搜索内容最多 %d 个字符",
				 "The search text is at most %d characters", Q_MAX_CHARS);
	return 0;
}

int search_get(http_req *r)
{
	const char *q, *type = http_query(r, "type");
	int rc, kind = -1, offset;
	int64_t limit;
	if ((rc = parse_q(r, &q)) < 0)
		return rc;
	if (type && *type && (kind = search_kind_parse(type)) < 0)
		return http_fail(r, KF_EINVAL, "type", "参数 type 只能是 customer、case 或 kb",
				 "The parameter type must be customer, case or kb");
	if (kind == SEARCH_CASE && !search_has_cases(r->db))
		return http_fail(r, KF_ENOTFOUND, "type", "工单功能尚未启用",
				 "Cases are not available in this database");
	if ((rc = in_query_int(r, "limit", 1, kind >= 0 ? PAGE_MAX : GROUP_MAX, kind >= 0 ? 20 : 5,
			       &limit)) < 0 ||
	    (rc = parse_offset(r, &offset)) < 0)
		return rc;
	struct tok_query *plan = arena_alloc(r->a, sizeof(*plan));
	if (tok_query_parse(q, strlen(q), plan) < 0)
		return http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	if (search_refresh(r->db, SEARCH_REFRESH_BUDGET) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	buf b;
	buf_init(&b, 8 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "q");
	jw_str(&w, q);
	if (kind >= 0) {
		rc = search_kind(r, &w, kind, plan, offset, (int)limit, 1);
	} else {
		jw_key(&w, "groups");
		jw_arr(&w);
		for (int k = 0; k < SEARCH__COUNT && rc >= 0; k++) {
			if (k == SEARCH_CASE && !search_has_cases(r->db))
				continue;
			jw_obj(&w);
			rc = search_kind(r, &w, k, plan, 0, (int)limit, 0);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
	}
	jw_obj_end(&w);
	if (rc < 0 || jw_failed(&w)) {
		buf_release(&b);
		return rc < 0 ? rc : http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}

/* ------------------------------------------------------------------ the customer list */

/* Chinese text: only CJK phrases and two-character terms. */
static int chinese_only(const struct tok_query *p)
{
	for (int i = 0; i < p->ngroups; i++)
		if (!p->group[i].cjk || p->group[i].kind == TOKQ_PREFIX)
			return 0;
	return p->ngroups > 0;
}

const char *search_customer_filter(http_req *r, const char *q, db_val *arg)
{
	struct tok_query *plan = arena_alloc(r->a, sizeof(*plan));
	if (tok_query_parse(q, strlen(q), plan) < 0 || !chinese_only(plan))
		return NULL;
	if (search_refresh(r->db, SEARCH_REFRESH_BUDGET) < 0)
		return NULL;
	const char *text;
	const char *sql = search_ids_sql(r->db, r->a, SEARCH_CUSTOMER, plan, &text);
	if (!sql)
		return NULL;
	*arg = DBT(text);
	return arena_printf(r->a, "c.id IN (%s)", sql);
}
