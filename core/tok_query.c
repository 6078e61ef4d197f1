/* tok_query.c - what tokenize.h promises beyond the tokens themselves:
 * query plans and their FTS5 and tsquery forms, tsvector literals for
 * PostgreSQL, and where a query matches in a text (for snippets). */
#include <stdlib.h>
#include <string.h>

#include "core/tokenize.h"
#include "lib/common.h"

/* ------------------------------------------------------------------ query plans */

struct qp {
	struct tok_query *q;
	struct tok_group cur; /* the CJK phrase being collected */
};

static int same_group(const struct tok_group *a, const struct tok_group *b)
{
	if (a->kind != b->kind || a->cjk != b->cjk || a->n != b->n)
		return 0;
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->tok[i], b->tok[i]))
			return 0;
	return 1;
}

static void push_group(struct tok_query *q, const struct tok_group *g)
{
	for (int i = 0; i < q->ngroups; i++)
		if (same_group(&q->group[i], g))
			return;
	if (q->ngroups < TOK_MAX_GROUPS)
		q->group[q->ngroups++] = *g;
}

static void copy_tok(char *dst, const tok *t)
{
	memcpy(dst, t->text, (size_t)t->len);
	dst[t->len] = '\0';
}

static void push_phrase(struct qp *p)
{
	if (!p->cur.n)
		return;
	p->cur.kind = p->cur.n == 1 ? TOKQ_TERM : TOKQ_PHRASE;
	p->cur.cjk = 1;
	push_group(p->q, &p->cur);
	p->cur.n = 0;
}

static int query_cb(void *ctx, const tok *t)
{
	struct qp *p = ctx;
	struct tok_query *q = p->q;
	switch (t->kind) {
	case TOK_WORD: {
		struct tok_group g = {.kind = TOKQ_TERM, .n = 1};
		copy_tok(g.tok[0], t);
		push_group(q, &g);
		break;
	}
	case TOK_BIGRAM:
		if (p->cur.n == TOK_MAX_PHRASE)
			push_phrase(p);
		copy_tok(p->cur.tok[p->cur.n++], t);
		break;
	case TOK_UNIGRAM:
		if (p->cur.n) {
			push_phrase(p);
		} else {
			struct tok_group g = {.kind = TOKQ_PREFIX, .cjk = 1, .n = 1};
			copy_tok(g.tok[0], t);
			push_group(q, &g);
		}
		break;
	case TOK_CJKWORD: /* not indexed: see tokenize.h */
		break;
	}
	return 0;
}

int tok_query_parse(const char *text, size_t len, struct tok_query *q)
{
	struct qp *p = calloc(1, sizeof(*p));
	if (!p)
		return -1;
	memset(q, 0, sizeof(*q));
	p->q = q;
	int rc = tok_run(text, len, 0, query_cb, p);
	push_phrase(p);
	free(p);
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ FTS5 */

static int fts_str(buf *b, const char *s)
{
	int rc = buf_putc(b, '"');
	for (; *s && rc == 0; s++)
		rc = *s == '"' ? buf_puts(b, "\"\"") : buf_putc(b, *s);
	return rc ? rc : buf_putc(b, '"');
}

static int fts_group(buf *b, const struct tok_group *g)
{
	int rc = 0;
	for (int i = 0; i < g->n && rc == 0; i++) {
		if (i)
			rc = buf_puts(b, " + ");
		if (rc == 0)
			rc = fts_str(b, g->tok[i]);
	}
	if (rc == 0 && g->kind == TOKQ_PREFIX)
		rc = buf_putc(b, '*');
	return rc;
}

int tok_query_fts5(const struct tok_query *q, buf *out)
{
	int rc = 0;
	for (int i = 0; i < q->ngroups && rc == 0; i++) {
		if (i)
			rc = buf_puts(out, q->any ? " OR " : " AND ");
		if (rc == 0)
			rc = fts_group(out, &q->group[i]);
	}
	return rc;
}

/* ------------------------------------------------------------------ PostgreSQL */

/* A quoted lexeme of tsvector/tsquery input: ' doubles, \ escapes. */
static int pg_str(buf *b, const char *s, size_t n)
{
	int rc = buf_putc(b, '\'');
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (s[i] == '\'')
			rc = buf_puts(b, "''");
		else if (s[i] == '\\')
			rc = buf_puts(b, "\\\\");
		else
			rc = buf_putc(b, s[i]);
	}
	return rc ? rc : buf_putc(b, '\'');
}

static int pg_group(buf *b, const struct tok_group *g)
{
	int rc = g->kind == TOKQ_PHRASE ? buf_putc(b, '(') : 0;
	for (int i = 0; i < g->n && rc == 0; i++) {
		if (i)
			rc = buf_puts(b, " <-> ");
		if (rc == 0)
			rc = pg_str(b, g->tok[i], strlen(g->tok[i]));
	}
	if (rc == 0 && g->kind == TOKQ_PHRASE)
		rc = buf_putc(b, ')');
	if (rc == 0 && g->kind == TOKQ_PREFIX)
		rc = buf_puts(b, ":*");
	return rc;
}

int tok_query_tsquery(const struct tok_query *q, buf *out)
{
	int rc = 0;
	for (int i = 0; i < q->ngroups && rc == 0; i++) {
		if (i)
			rc = buf_puts(out, q->any ? " | " : " & ");
		if (rc == 0)
			rc = pg_group(out, &q->group[i]);
	}
	return rc;
}

int tok_query_tsquery_rank(const struct tok_query *q, buf *out)
{
	int rc = 0, n = 0;
	const char *seen[TOK_MAX_GROUPS * TOK_MAX_PHRASE];
	for (int g = 0; g < q->ngroups && rc == 0; g++) {
		const struct tok_group *gr = &q->group[g];
		for (int i = 0; i < gr->n && rc == 0; i++) {
			int dup = 0;
			for (int k = 0; k < n; k++)
				dup |= !strcmp(seen[k], gr->tok[i]);
			if (dup)
				continue;
			seen[n++] = gr->tok[i];
			if (out->len)
				rc = buf_puts(out, " | ");
			if (rc == 0)
				rc = pg_str(out, gr->tok[i], strlen(gr->tok[i]));
			if (rc == 0 && gr->kind == TOKQ_PREFIX)
				rc = buf_puts(out, ":*");
		}
	}
	return rc;
}

/* PostgreSQL's limits: positions 1..16383, 256 positions per lexeme. */
enum { PG_MAX_POS = 16383, PG_MAX_POSITIONS = 255 };

struct tsv_ent {
	size_t off; /* in pool */
	int len;
	int pos;
	char weight;
};

struct tok_tsv {
	struct tsv_ent *e;
	size_t n, cap;
	buf pool;
	int offset;
	char weight;
	int failed;
};

struct tok_tsv *tok_tsvector_begin(void)
{
	struct tok_tsv *v = calloc(1, sizeof(*v));
	if (v)
		buf_init(&v->pool, 64 << 20);
	return v;
}

static int tsv_cb(void *ctx, const tok *t)
{
	struct tok_tsv *v = ctx;
	if (t->kind == TOK_CJKWORD)
		return 0; /* not indexed: see tokenize.h */
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 256;
		struct tsv_ent *e = realloc(v->e, cap * sizeof(*e));
		if (!e)
			return -1;
		v->e = e;
		v->cap = cap;
	}
	int pos = v->offset + t->pos + 1;
	v->e[v->n++] = (struct tsv_ent){v->pool.len, t->len, pos > PG_MAX_POS ? PG_MAX_POS : pos,
					 v->weight};
	return buf_append(&v->pool, t->text, (size_t)t->len) < 0 ? -1 : 0;
}

int tok_tsvector_add(struct tok_tsv *v, const char *text, size_t len, int max_pos, int offset,
		     char weight)
{
	if (!v || v->failed)
		return -1;
	v->offset = offset;
	v->weight = weight;
	if (tok_run(text, len, max_pos, tsv_cb, v) < 0) {
		v->failed = 1;
		return -1;
	}
	return 0;
}

static int tsv_cmp(const void *pa, const void *pb, void *arg)
{
	const struct tsv_ent *a = pa, *b = pb;
	const char *pool = arg;
	int n = a->len < b->len ? a->len : b->len;
	int c = memcmp(pool + a->off, pool + b->off, (size_t)n);
	if (c)
		return c;
	if (a->len != b->len)
		return a->len - b->len;
	return a->pos - b->pos;
}

int tok_tsvector_end(struct tok_tsv *v, buf *out)
{
	if (!v)
		return -1;
	int rc = v->failed ? -1 : 0;
	if (rc == 0 && v->n)
		qsort_r(v->e, v->n, sizeof(*v->e), tsv_cmp, v->pool.data);
	for (size_t i = 0; i < v->n && rc == 0;) {
		const struct tsv_ent *first = &v->e[i];
		if (out->len)
			rc = buf_putc(out, ' ');
		if (rc == 0)
			rc = pg_str(out, v->pool.data + first->off, (size_t)first->len);
		int npos = 0, last = 0;
		for (; i < v->n && v->e[i].len == first->len &&
		       !memcmp(v->pool.data + v->e[i].off, v->pool.data + first->off,
			       (size_t)first->len);
		     i++) {
			if (rc || npos == PG_MAX_POSITIONS || v->e[i].pos == last)
				continue;
			rc = buf_printf(out, "%c%d", npos ? ',' : ':', v->e[i].pos);
			if (rc == 0 && v->e[i].weight != 'D')
				rc = buf_putc(out, v->e[i].weight);
			last = v->e[i].pos;
			npos++;
		}
	}
	free(v->e);
	buf_release(&v->pool);
	free(v);
	return rc;
}

/* ------------------------------------------------------------------ match spans */

struct mtok {
	int kind, pos, colocated, start, end, mid;
	size_t off;
	int len;
};

struct mcollect {
	struct mtok *t;
	size_t n, cap;
	buf pool;
};

static int mcollect_cb(void *ctx, const tok *t)
{
	struct mcollect *m = ctx;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		struct mtok *p = realloc(m->t, cap * sizeof(*p));
		if (!p)
			return -1;
		m->t = p;
		m->cap = cap;
	}
	m->t[m->n++] = (struct mtok){t->kind,  t->pos, t->colocated, t->start,
				     t->end,   t->mid, m->pool.len,  t->len};
	return buf_append(&m->pool, t->text, (size_t)t->len) < 0 ? -1 : 0;
}

static int mtok_is(const struct mcollect *m, const struct mtok *t, const char *s)
{
	size_t n = strlen(s);
	return (size_t)t->len == n && !memcmp(m->pool.data + t->off, s, n);
}

struct spans {
	struct tok_span *s;
	int n, max;
};

/* With max == 0 the spans are only counted. */
static void add_span(struct spans *sp, int a, int b)
{
	if (!sp->max)
		sp->n++;
	else if (sp->n < sp->max)
		sp->s[sp->n++] = (struct tok_span){a, b};
}

static int span_cmp(const void *pa, const void *pb)
{
	const struct tok_span *a = pa, *b = pb;
	return a->start != b->start ? a->start - b->start : a->end - b->end;
}

static void match_group(const struct mcollect *m, const size_t *primary, int npos,
			const struct tok_group *g, struct spans *sp)
{
	if (g->kind == TOKQ_PHRASE) {
		for (int p = 0; p + g->n <= npos; p++) {
			int j = 0;
			while (j < g->n && primary[p + j] != SIZE_MAX &&
			       mtok_is(m, &m->t[primary[p + j]], g->tok[j]))
				j++;
			if (j == g->n)
				add_span(sp, m->t[primary[p]].start, m->t[primary[p + j - 1]].end);
		}
		return;
	}
	size_t plen = strlen(g->tok[0]);
	for (size_t i = 0; i < m->n; i++) {
		const struct mtok *t = &m->t[i];
		if (t->kind == TOK_CJKWORD)
			continue;
		if (g->kind == TOKQ_TERM && mtok_is(m, t, g->tok[0]))
			add_span(sp, t->start, t->end);
		else if (g->kind == TOKQ_PREFIX && t->kind != TOK_WORD && (size_t)t->len >= plen &&
			 !memcmp(m->pool.data + t->off, g->tok[0], plen))
			/* the bigram's first character; all of it when both come from
			 * one written character (NFKC: ヿ → コト, mid == start) */
			add_span(sp, t->start, t->kind == TOK_BIGRAM && t->mid > t->start ? t->mid : t->end);
	}
}

/* Tokenizes text into m and indexes the primary token of each position. */
static int collect_tokens(const char *text, size_t len, int max_pos, struct mcollect *m,
			  size_t **primary, int *npos)
{
	memset(m, 0, sizeof(*m));
	buf_init(&m->pool, 64 << 20);
	*primary = NULL;
	int rc = tok_run(text, len, max_pos, mcollect_cb, m);
	*npos = m->n ? m->t[m->n - 1].pos + 1 : 0;
	if (rc < 0)
		return -1;
	*primary = malloc(((size_t)*npos + 1) * sizeof(size_t));
	if (!*primary)
		return -1;
	for (int p = 0; p < *npos; p++)
		(*primary)[p] = SIZE_MAX;
	for (size_t i = 0; i < m->n; i++)
		if (!m->t[i].colocated)
			(*primary)[m->t[i].pos] = i;
	return 0;
}

static void collect_free(struct mcollect *m, size_t *primary)
{
	free(primary);
	free(m->t);
	buf_release(&m->pool);
}

int tok_match_spans(const struct tok_query *q, const char *text, size_t len, int max_pos,
		    struct tok_span *spans, int max)
{
	struct mcollect m;
	size_t *primary;
	int npos;
	if (collect_tokens(text, len, max_pos, &m, &primary, &npos) < 0) {
		collect_free(&m, primary);
		return -1;
	}
	struct spans sp = {spans, 0, max};
	for (int g = 0; g < q->ngroups; g++)
		match_group(&m, primary, npos, &q->group[g], &sp);
	qsort(spans, (size_t)sp.n, sizeof(*spans), span_cmp);
	int k = 0;
	for (int i = 0; i < sp.n; i++) {
		if (k && spans[i].start <= spans[k - 1].end) {
			if (spans[i].end > spans[k - 1].end)
				spans[k - 1].end = spans[i].end;
		} else {
			spans[k++] = spans[i];
		}
	}
	collect_free(&m, primary);
	return k;
}

int tok_count_groups(const struct tok_query *q, const char *text, size_t len, int *counts,
		     int *npos)
{
	struct mcollect m;
	size_t *primary;
	if (collect_tokens(text, len, 0, &m, &primary, npos) < 0) {
		collect_free(&m, primary);
		return -1;
	}
	struct tok_span one[1];
	for (int g = 0; g < q->ngroups; g++) {
		/* Counting mode: a span list that keeps nothing but counts. */
		struct spans sp = {one, 0, 0};
		match_group(&m, primary, *npos, &q->group[g], &sp);
		counts[g] = sp.n;
	}
	collect_free(&m, primary);
	return 0;
}
