/* kb_suggest.c - the standard answers most relevant to a text (a case's
 * subject and description while it is open): GET/POST /api/kb/suggest.
 *
 * The candidates are the published answers containing any meaningful
 * word of the text (core/rank.h: the same on both backends), at most
 * CANDIDATES of them, newest first; they are ranked by BM25 computed here
 * over title (with the question variants), answer and tags. */
#include "app/kb.h"

#include <stdlib.h>
#include <string.h>

#include "app/search.h"
#include "core/rank.h"
#include "core/snippet.h"
#include "core/validate.h"
#include "lib/common.h"

enum { CANDIDATES = 200, TEXT_MAX = 4000, SUGGEST_MAX = 20, SNIPPET = 80, MAX_SPANS = 32 };

struct cand {
	int64_t id;
	const char *title, *body, *extra;
	double tf[TOK_MAX_GROUPS];
	double dl, score;
};

static int cand_cmp(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score < b->score ? 1 : -1;
	return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/* The word a group stands for: its bigrams overlapped again. */
static const char *group_word(arena *a, const struct tok_group *g)
{
	buf b;
	buf_init(&b, 1024);
	buf_puts(&b, g->tok[0]);
	for (int i = 1; i < g->n; i++) {
		const char *t = g->tok[i], *last = t;
		for (const char *p = t; *p; p++)
			if (((unsigned char)*p & 0xC0) != 0x80)
				last = p;
		buf_puts(&b, last);
	}
	const char *s = arena_strdup(a, b.data ? b.data : "");
	buf_release(&b);
	return s;
}

static int load_candidates(http_req *r, const struct tok_query *plan, struct cand **out, int *n)
{
	const char *arg = NULL;
	const char *ids = search_ids_sql(r->db, r->a, SEARCH_KB, plan, &arg);
	*n = 0;
	*out = arena_alloc(r->a, CANDIDATES * sizeof(**out));
	if (!ids)
		return 0;
	db_stmt *st;
	if (db_query(r->db,
		     arena_printf(r->a,
				  "SELECT s.id, s.title, s.body, s.extra FROM search_kb s WHERE s.hidden = 0"
				  " AND s.id IN (%s) ORDER BY s.id DESC LIMIT %d",
				  ids, CANDIDATES),
		     DB_ARGS(DBT(arg)), &st) < 0)
		return DB_EFAIL;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && *n < CANDIDATES) {
		struct cand *c = &(*out)[(*n)++];
		memset(c, 0, sizeof(*c));
		c->id = db_col_int(st, 0);
		c->title = arena_strdup(r->a, db_col_text(st, 1));
		c->body = arena_strdup(r->a, db_col_text(st, 2));
		c->extra = arena_strdup(r->a, db_col_text(st, 3));
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* Term frequencies per field, weighted; document frequencies. */
static int count_terms(const struct tok_query *plan, struct cand *c, int *df)
{
	static const double weight[3] = {RANK_W_TITLE, RANK_W_BODY, RANK_W_EXTRA};
	const char *field[3] = {c->title, c->body, c->extra};
	for (int f = 0; f < 3; f++) {
		int counts[TOK_MAX_GROUPS], npos = 0;
		if (tok_count_groups(plan, field[f], strlen(field[f]), counts, &npos) < 0)
			return -1;
		for (int g = 0; g < plan->ngroups; g++)
			c->tf[g] += weight[f] * counts[g];
		c->dl += npos;
	}
	for (int g = 0; g < plan->ngroups; g++)
		df[g] += c->tf[g] > 0;
	return 0;
}

static void write_item(http_req *r, jw *w, const struct tok_query *plan, const struct cand *c)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, c->id);
	jw_key(w, "score");
	jw_raw(w, arena_printf(r->a, "%.4f", c->score));
	jw_key(w, "matched");
	jw_arr(w);
	for (int g = 0; g < plan->ngroups; g++)
		if (c->tf[g] > 0)
			jw_str(w, group_word(r->a, &plan->group[g]));
	jw_arr_end(w);
	struct tok_span spans[MAX_SPANS];
	buf b;
	buf_init(&b, 1 << 16);
	int n = tok_match_spans(plan, c->body, strlen(c->body), 0, spans, MAX_SPANS);
	snippet_html(c->body, strlen(c->body), spans, n < 0 ? 0 : n, SNIPPET, &b);
	jw_key(w, "snippet_html");
	jw_str(w, b.data ? b.data : "");
	buf_release(&b);
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT a.title, a.category_id, k.code, k.name_zh, k.name_en, a.usage_count,"
		     " a.rating_sum, a.rating_count FROM kb_answers a JOIN kb_categories k"
		     " ON k.id = a.category_id WHERE a.id = ?",
		     DB_ARGS(DBI(c->id)), &st) == 0) {
		if (db_step(st) == DB_ROW) {
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
			jw_key(w, "usage_count");
			jw_int(w, db_col_int(st, 5));
			jw_key(w, "rating");
			kb_write_rating(r, w, db_col_int(st, 6), db_col_int(st, 7));
		}
		db_done(st);
	}
	jw_obj_end(w);
}

int kb_suggest_write(http_req *r, jw *w, const char *text, int limit)
{
	struct tok_query *plan = arena_alloc(r->a, sizeof(*plan));
	struct cand *c = NULL;
	int n = 0, rc;
	int64_t ndocs = 0;
	if (rank_plan(text, strlen(text), plan) < 0)
		return http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	if ((rc = search_refresh(r->db, SEARCH_REFRESH_BUDGET)) < 0 ||
	    (plan->ngroups && (rc = load_candidates(r, plan, &c, &n)) < 0) ||
	    (rc = db_query_int(r->db, "SELECT COUNT(*) FROM search_kb WHERE hidden = 0", DB_ARGS(),
			       &ndocs)) < 0)
		return app_db_fail(r, rc, NULL);
	int df[TOK_MAX_GROUPS] = {0};
	double total = 0;
	for (int i = 0; i < n; i++) {
		if (count_terms(plan, &c[i], df) < 0)
			return http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
		total += c[i].dl;
	}
	for (int i = 0; i < n; i++)
		c[i].score = rank_bm25(c[i].tf, df, plan->ngroups, (long)ndocs, c[i].dl, total / n);
	if (n)
		qsort(c, (size_t)n, sizeof(*c), cand_cmp);
	jw_key(w, "words");
	jw_arr(w);
	for (int g = 0; g < plan->ngroups; g++)
		jw_str(w, group_word(r->a, &plan->group[g]));
	jw_arr_end(w);
	jw_key(w, "items");
	jw_arr(w);
	for (int i = 0; i < n && i < limit; i++)
		if (c[i].score > 0)
			write_item(r, w, plan, &c[i]);
	jw_arr_end(w);
	return 0;
}

/* GET /api/kb/suggest?text=&limit= or POST /api/kb/suggest {text, limit}. */
int kb_suggest(http_req *r)
{
	const char *text = http_query(r, "text");
	int64_t limit;
	int rc;
	if ((rc = in_query_int(r, "limit", 1, SUGGEST_MAX, 5, &limit)) < 0)
		return rc;
	if (r->json) {
		static const char *const keys[] = {"text", "limit", NULL};
		int present;
		if ((rc = in_only_keys(r, r->json, keys, NULL)) < 0 ||
		    (rc = in_str(r, r->json, "text", TEXT_MAX, 1, &text, NULL)) < 0 ||
		    (rc = in_int(r, r->json, "limit", 1, SUGGEST_MAX, 0, &limit, &present)) < 0)
			return rc;
		if (!present || !limit)
			limit = 5;
	}
	size_t nch;
	if (!text || !*text)
		return http_fail(r, KF_EINVAL, "text", "请提供要匹配的文字", "Give the text to match");
	if (!valid_utf8_len(text, TEXT_MAX, &nch))
		return http_fail(r, KF_EINVAL, "text", "文字最多 %d 个字符",
				 "The text is at most %d characters", TEXT_MAX);
	buf b;
	buf_init(&b, 4 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	rc = kb_suggest_write(r, &w, text, (int)limit);
	jw_obj_end(&w);
	if (rc < 0 || jw_failed(&w)) {
		buf_release(&b);
		return rc < 0 ? rc : http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}
