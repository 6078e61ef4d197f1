/* search.c - the search index on SQLite (FTS5) and PostgreSQL (tsvector);
 * see search.h for what is indexed, matched and ranked, and how. */
#include "store/search.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

static const char *const kind_names[SEARCH__COUNT] = {"customer", "case", "kb"};

const char *search_kind_name(enum search_kind k)
{
	return k < SEARCH__COUNT ? kind_names[k] : "?";
}

int search_kind_parse(const char *s)
{
	for (int k = 0; k < SEARCH__COUNT; k++)
		if (s && !strcmp(s, kind_names[k]))
			return k;
	return -1;
}

/* PostgreSQL offsets of the fields in one tsvector: a gap of 2 between
 * fields, so that no phrase (<->) can span two of them. */
enum {
	PG_BODY_OFFSET = SEARCH_TITLE_POS + 2,
	PG_EXTRA_OFFSET = PG_BODY_OFFSET + SEARCH_BODY_POS + 2,
};
_Static_assert(PG_EXTRA_OFFSET + SEARCH_EXTRA_POS <= 16383, "PostgreSQL keeps positions <= 16383");

/* ------------------------------------------------------------------ setup */

static pthread_mutex_t setup_lock = PTHREAD_MUTEX_INITIALIZER;
static int setup_done;

static int sq_setup(db *d)
{
	for (int k = 0; k < SEARCH__COUNT; k++) {
		char sql[512];
		int64_t one;
		snprintf(sql, sizeof(sql),
			 "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_%s_fts'",
			 kind_names[k]);
		int rc = db_query_int(d, sql, DB_ARGS(), &one);
		if (rc < 0)
			return rc;
		if (rc == DB_ROW)
			continue;
		snprintf(sql, sizeof(sql),
			 "CREATE VIRTUAL TABLE IF NOT EXISTS search_%s_fts USING fts5(title, body,"
			 " extra, content='search_%s', content_rowid='id', tokenize='kefu')",
			 kind_names[k], kind_names[k]);
		if ((rc = db_exec(d, sql, DB_ARGS())) < 0)
			return rc;
		/* Documents stored before the FTS table existed. */
		snprintf(sql, sizeof(sql),
			 "INSERT INTO search_%s_fts (search_%s_fts) VALUES ('rebuild')", kind_names[k],
			 kind_names[k]);
		if ((rc = db_exec(d, sql, DB_ARGS())) < 0)
			return rc;
	}
	return 0;
}

static int pg_setup(db *d)
{
	for (int k = 0; k < SEARCH__COUNT; k++) {
		char sql[512];
		int64_t one;
		/* Look first: ALTER TABLE would lock the table even when the
		 * column is there. */
		snprintf(sql, sizeof(sql),
			 "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('search_%s')"
			 " AND attname = 'tsv' AND NOT attisdropped",
			 kind_names[k]);
		int rc = db_query_int(d, sql, DB_ARGS(), &one);
		if (rc < 0)
			return rc;
		if (rc != DB_ROW) {
			snprintf(sql, sizeof(sql),
				 "ALTER TABLE search_%s ADD COLUMN IF NOT EXISTS tsv tsvector",
				 kind_names[k]);
			if ((rc = db_exec(d, sql, DB_ARGS())) < 0)
				return rc;
		}
		snprintf(sql, sizeof(sql), "SELECT 1 WHERE to_regclass('search_%s_tsv') IS NOT NULL",
			 kind_names[k]);
		if ((rc = db_query_int(d, sql, DB_ARGS(), &one)) < 0)
			return rc;
		if (rc == DB_ROW)
			continue;
		snprintf(sql, sizeof(sql),
			 "CREATE INDEX IF NOT EXISTS search_%s_tsv ON search_%s USING GIN (tsv)",
			 kind_names[k], kind_names[k]);
		if ((rc = db_exec(d, sql, DB_ARGS())) < 0)
			return rc;
	}
	return 0;
}

int search_setup(db *d)
{
	if (__atomic_load_n(&setup_done, __ATOMIC_ACQUIRE))
		return 0;
	pthread_mutex_lock(&setup_lock);
	int rc = 0;
	if (!setup_done) {
		/* Inside the caller's transaction if there is one (the DDL then
		 * commits with it); otherwise in one of our own. */
		int own = !d->in_tx;
		if (own && (rc = db_begin(d)) < 0)
			goto out;
		if (d->kind == DB_PG)
			rc = db_exec(d, "SELECT pg_advisory_xact_lock(4242008)", DB_ARGS());
		if (rc >= 0)
			rc = d->kind == DB_PG ? pg_setup(d) : sq_setup(d);
		if (own) {
			if (rc < 0)
				db_rollback(d);
			else
				rc = db_commit(d);
		}
		if (rc >= 0)
			__atomic_store_n(&setup_done, 1, __ATOMIC_RELEASE);
		else
			log_error("search: cannot set up the index: %s", db_errmsg(d));
	}
out:
	pthread_mutex_unlock(&setup_lock);
	return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ writing */

/* text cut to at most max_pos token positions (a copy in the arena-less
 * world of store/: the caller frees *keep). */
static const char *fit(const char *text, int max_pos, char **keep)
{
	*keep = NULL;
	if (!text)
		return "";
	size_t len = strlen(text);
	long cut = tok_fit(text, len, max_pos);
	if (cut < 0 || (size_t)cut == len)
		return text;
	*keep = strndup(text, (size_t)cut);
	return *keep ? *keep : "";
}

static int old_text(db *d, enum search_kind k, int64_t id, char **t, char **b, char **x)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT title, body, extra FROM search_%s WHERE id = ?",
		 kind_names[k]);
	db_stmt *st;
	int rc = db_query(d, sql, DB_ARGS(DBI(id)), &st);
	if (rc < 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*t = strdup(db_col_text(st, 0));
		*b = strdup(db_col_text(st, 1));
		*x = strdup(db_col_text(st, 2));
		if (!*t || !*b || !*x)
			rc = DB_EFAIL;
	}
	db_done(st);
	return rc;
}

/* FTS5 with external content: the old values must be handed back to
 * 'delete' before the content row changes. */
static int sq_put(db *d, enum search_kind k, const struct search_doc *doc, const char *t,
		  const char *b, const char *x)
{
	const char *kn = kind_names[k];
	char *ot = NULL, *ob = NULL, *ox = NULL, sql[512];
	int rc = old_text(d, k, doc->id, &ot, &ob, &ox);
	int same = rc == DB_ROW && !strcmp(ot, t) && !strcmp(ob, b) && !strcmp(ox, x);
	if (rc == DB_ROW && !same) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO search_%s_fts (search_%s_fts, rowid, title, body, extra)"
			 " VALUES ('delete', ?, ?, ?, ?)",
			 kn, kn);
		rc = db_exec(d, sql, DB_ARGS(DBI(doc->id), DBT(ot), DBT(ob), DBT(ox)));
	}
	free(ot);
	free(ob);
	free(ox);
	if (rc < 0)
		return rc;
	snprintf(sql, sizeof(sql),
		 "INSERT INTO search_%s (id, title, body, extra, hidden, src_version, src_mark,"
		 " indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
		 " title = excluded.title, body = excluded.body, extra = excluded.extra,"
		 " hidden = excluded.hidden, src_version = excluded.src_version,"
		 " src_mark = excluded.src_mark, indexed_at = excluded.indexed_at",
		 kn);
	rc = db_exec(d, sql,
		     DB_ARGS(DBI(doc->id), DBT(t), DBT(b), DBT(x), DBI(doc->hidden),
			     DBI(doc->src_version), DBI(doc->src_mark), DBI(util_now_ms())));
	if (rc < 0 || same)
		return rc < 0 ? rc : 0;
	snprintf(sql, sizeof(sql),
		 "INSERT INTO search_%s_fts (rowid, title, body, extra) VALUES (?, ?, ?, ?)", kn);
	rc = db_exec(d, sql, DB_ARGS(DBI(doc->id), DBT(t), DBT(b), DBT(x)));
	return rc < 0 ? rc : 0;
}

static int pg_put(db *d, enum search_kind k, const struct search_doc *doc, const char *t,
		  const char *b, const char *x)
{
	buf tsv;
	buf_init(&tsv, 64 << 20);
	struct tok_tsv *v = tok_tsvector_begin();
	int rc = v ? 0 : DB_EFAIL;
	if (rc == 0 && (tok_tsvector_add(v, t, strlen(t), 0, 0, 'A') < 0 ||
			tok_tsvector_add(v, b, strlen(b), 0, PG_BODY_OFFSET, 'D') < 0 ||
			tok_tsvector_add(v, x, strlen(x), 0, PG_EXTRA_OFFSET, 'C') < 0))
		rc = DB_EFAIL;
	if (tok_tsvector_end(v, &tsv) < 0)
		rc = DB_EFAIL;
	if (rc == 0) {
		char sql[640];
		snprintf(sql, sizeof(sql),
			 "INSERT INTO search_%s (id, title, body, extra, hidden, src_version, src_mark,"
			 " indexed_at, tsv) VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS tsvector))"
			 " ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body,"
			 " extra = excluded.extra, hidden = excluded.hidden,"
			 " src_version = excluded.src_version, src_mark = excluded.src_mark,"
			 " indexed_at = excluded.indexed_at, tsv = excluded.tsv",
			 kind_names[k]);
		rc = db_exec(d, sql,
			     DB_ARGS(DBI(doc->id), DBT(t), DBT(b), DBT(x), DBI(doc->hidden),
				     DBI(doc->src_version), DBI(doc->src_mark), DBI(util_now_ms()),
				     DBT(tsv.data ? tsv.data : "")));
	}
	buf_release(&tsv);
	return rc < 0 ? rc : 0;
}

int search_put(db *d, enum search_kind k, const struct search_doc *doc)
{
	int rc = search_setup(d);
	if (rc < 0)
		return rc;
	char *kt, *kb, *kx;
	const char *t = fit(doc->title, SEARCH_TITLE_POS, &kt);
	const char *b = fit(doc->body, SEARCH_BODY_POS, &kb);
	const char *x = fit(doc->extra, SEARCH_EXTRA_POS, &kx);
	rc = d->kind == DB_PG ? pg_put(d, k, doc, t, b, x) : sq_put(d, k, doc, t, b, x);
	free(kt);
	free(kb);
	free(kx);
	return rc;
}

int search_remove(db *d, enum search_kind k, int64_t id)
{
	int rc = search_setup(d);
	if (rc < 0)
		return rc;
	char sql[256];
	if (d->kind == DB_SQLITE) {
		char *ot = NULL, *ob = NULL, *ox = NULL;
		rc = old_text(d, k, id, &ot, &ob, &ox);
		if (rc == DB_ROW) {
			snprintf(sql, sizeof(sql),
				 "INSERT INTO search_%s_fts (search_%s_fts, rowid, title, body, extra)"
				 " VALUES ('delete', ?, ?, ?, ?)",
				 kind_names[k], kind_names[k]);
			rc = db_exec(d, sql, DB_ARGS(DBI(id), DBT(ot), DBT(ob), DBT(ox)));
		}
		free(ot);
		free(ob);
		free(ox);
		if (rc < 0)
			return rc;
	}
	snprintf(sql, sizeof(sql), "DELETE FROM search_%s WHERE id = ?", kind_names[k]);
	rc = db_exec(d, sql, DB_ARGS(DBI(id)));
	return rc < 0 ? rc : 0;
}

int search_clear(db *d, enum search_kind k)
{
	int rc = search_setup(d);
	if (rc < 0)
		return rc;
	char sql[256];
	if (d->kind == DB_SQLITE) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO search_%s_fts (search_%s_fts) VALUES ('delete-all')",
			 kind_names[k], kind_names[k]);
		if ((rc = db_exec(d, sql, DB_ARGS())) < 0)
			return rc;
	}
	snprintf(sql, sizeof(sql), "DELETE FROM search_%s", kind_names[k]);
	rc = db_exec(d, sql, DB_ARGS());
	return rc < 0 ? rc : 0;
}

int search_indexed(db *d, enum search_kind k, int64_t id, int64_t *version, int64_t *mark)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT src_version, src_mark FROM search_%s WHERE id = ?",
		 kind_names[k]);
	db_stmt *st;
	int rc = db_query(d, sql, DB_ARGS(DBI(id)), &st);
	if (rc < 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*version = db_col_int(st, 0);
		*mark = db_col_int(st, 1);
	}
	db_done(st);
	return rc;
}

int64_t search_max_id(db *d, enum search_kind k)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT COALESCE(MAX(id), 0) FROM search_%s", kind_names[k]);
	int64_t v = 0;
	int rc = db_query_int(d, sql, DB_ARGS(), &v);
	return rc < 0 ? rc : v;
}

/* ------------------------------------------------------------------ reading */

static const char *plan_text(db *d, arena *a, const struct tok_query *plan)
{
	buf b;
	buf_init(&b, 1 << 16);
	int rc = d->kind == DB_PG ? tok_query_tsquery(plan, &b) : tok_query_fts5(plan, &b);
	const char *s = rc == 0 && b.data ? arena_strdup(a, b.data) : NULL;
	buf_release(&b);
	return s;
}

static const char *rank_text(arena *a, const struct tok_query *plan)
{
	buf b;
	buf_init(&b, 1 << 16);
	int rc = tok_query_tsquery_rank(plan, &b);
	const char *s = rc == 0 && b.data ? arena_strdup(a, b.data) : NULL;
	buf_release(&b);
	return s;
}

const char *search_ids_sql(db *d, arena *a, enum search_kind k, const struct tok_query *plan,
			   const char **arg)
{
	if (!plan->ngroups || search_setup(d) < 0)
		return NULL;
	*arg = plan_text(d, a, plan);
	if (!*arg)
		return NULL;
	const char *kn = kind_names[k];
	if (d->kind == DB_PG)
		return arena_printf(a, "SELECT id FROM search_%s WHERE tsv @@ CAST(? AS tsquery)", kn);
	return arena_printf(a, "SELECT rowid FROM search_%s_fts WHERE search_%s_fts MATCH ?", kn,
			    kn);
}

/* The candidates: ids of matching documents, most recent first.  Its
 * parameters: the query text, then q->args. */
static const char *candidates_sql(db *d, arena *a, const struct search_query *q)
{
	const char *kn = kind_names[q->kind];
	const char *idx = d->kind == DB_PG ? "s.id" : "f.rowid";
	const char *join = q->join_table ? arena_printf(a, " JOIN %s %s ON %s.id = %s", q->join_table,
						       q->join_alias, q->join_alias, idx)
					 : "";
	const char *where = q->where ? arena_printf(a, " AND (%s)", q->where) : "";
	if (d->kind == DB_PG)
		return arena_printf(a,
				    "SELECT s.id FROM search_%s s%s WHERE s.tsv @@ CAST(? AS tsquery)"
				    " AND s.hidden = 0%s ORDER BY s.id DESC LIMIT %d",
				    kn, join, where, SEARCH_CANDIDATES);
	/* Only customers are ever hidden (archived): the other kinds skip the
	 * lookup of each candidate's row. */
	const char *hidden = q->kind == SEARCH_CUSTOMER
				     ? arena_printf(a, " JOIN search_%s s ON s.id = f.rowid", kn)
				     : "";
	return arena_printf(a,
			    "SELECT f.rowid AS id, kefu_rank(search_%s_fts, 4.0, 1.0, 2.0) AS score"
			    " FROM search_%s_fts f%s%s WHERE search_%s_fts MATCH ?%s%s"
			    " ORDER BY f.rowid DESC LIMIT %d",
			    kn, kn, hidden, join, kn, *hidden ? " AND s.hidden = 0" : "", where,
			    SEARCH_CANDIDATES);
}

/* The candidates ranked, a page of them, and their number.  Parameters:
 * (PostgreSQL: the ranking query, tok_query_tsquery_rank,) the candidates' parameters,
 * limit, offset.  PostgreSQL ranks only the candidates (ts_rank in the
 * outer query), not every match. */
static const char *page_sql(db *d, arena *a, const struct search_query *q)
{
	const char *inner = candidates_sql(d, a, q);
	if (d->kind == DB_PG)
		return arena_printf(a,
				    "SELECT s.id, ts_rank('{0.25, 0.5, 0.5, 1.0}', s.tsv,"
				    " CAST(? AS tsquery), 1) AS score, count(*) OVER ()"
				    " FROM (%s) m JOIN search_%s s ON s.id = m.id"
				    " ORDER BY score DESC, s.id DESC LIMIT ? OFFSET ?",
				    inner, kind_names[q->kind]);
	return arena_printf(a,
			    "SELECT id, score, count(*) OVER () FROM (%s)"
			    " ORDER BY score DESC, id DESC LIMIT ? OFFSET ?",
			    inner);
}

static int count_candidates(db *d, arena *a, const struct search_query *q, const db_val *args,
			    int nargs, int *total)
{
	int64_t n = 0;
	int rc = db_query_int(d, arena_printf(a, "SELECT count(*) FROM (%s) m", candidates_sql(d, a, q)),
			      args, nargs, &n);
	*total = (int)n;
	return rc < 0 ? rc : 0;
}

int search_find(db *d, arena *a, const struct search_query *q, struct search_result *out)
{
	memset(out, 0, sizeof(*out));
	out->hits = arena_alloc(a, (size_t)(q->limit > 0 ? q->limit : 1) * sizeof(*out->hits));
	if (!q->plan->ngroups)
		return 0;
	int rc = search_setup(d);
	if (rc < 0)
		return rc;
	const char *text = plan_text(d, a, q->plan);
	if (!text)
		return DB_EFAIL;
	db_val *args = arena_alloc(a, (size_t)(q->nargs + 4) * sizeof(*args));
	int n = 0;
	if (d->kind == DB_PG) {
		const char *rank = rank_text(a, q->plan);
		if (!rank)
			return DB_EFAIL;
		args[n++] = DBT(rank);
	}
	int first = n;
	args[n++] = DBT(text);
	for (int i = 0; i < q->nargs; i++)
		args[n++] = q->args[i];
	int ncand = n - first;
	args[n++] = DBI(q->limit);
	args[n++] = DBI(q->offset);
	db_stmt *st;
	if ((rc = db_query(d, page_sql(d, a, q), args, n, &st)) < 0)
		return rc;
	while ((rc = db_step(st)) == DB_ROW && out->n < q->limit) {
		struct search_hit *h = &out->hits[out->n++];
		h->id = db_col_int(st, 0);
		h->score = strtod(db_col_text(st, 1), NULL);
		out->total = (int)db_col_int(st, 2);
	}
	db_done(st);
	if (rc < 0)
		return rc;
	/* A page past the end has no row to carry the count. */
	if (out->n == 0 && q->offset > 0 &&
	    (rc = count_candidates(d, a, q, args + first, ncand, &out->total)) < 0)
		return rc;
	out->capped = out->total >= SEARCH_CANDIDATES;
	return 0;
}

int search_text(db *d, arena *a, enum search_kind k, int64_t id, const char **title,
		const char **body)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT title, body FROM search_%s WHERE id = ?", kind_names[k]);
	db_stmt *st;
	int rc = db_query(d, sql, DB_ARGS(DBI(id)), &st);
	if (rc < 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*title = arena_strdup(a, db_col_text(st, 0));
		*body = arena_strdup(a, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc;
}
