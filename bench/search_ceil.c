/* search_ceil.c - the ceilings bench/search.sh compares kefu's search with,
 * measured on the same database in the same run.
 *
 *   search_ceil query DB N QUERY...   the SQL kefu runs for GET /api/search?type=case
 *        (plan made by core/tokenize, the 2000 newest matches ranked by kefu_rank, a page of
 *        20),
 *        straight through the SQLite API: no HTTP, no JSON, no snippets.  Each query N times
 *        after one warm-up; prints one line per query: query p50_ms p95_ms matches.
 *   search_ceil index DB OUT            FTS5 with SQLite's own trigram tokenizer (about as
 *        many tokens per CJK text as kefu's bigrams) over the cases' subject and description,
 *        written to OUT, 1000 rows per transaction; prints rows, seconds, rows/s, MB of text.
 *   search_ceil tokenize DB             kefu's tokenizer alone over the same texts (no
 *        database writes); prints rows, seconds, rows/s, MB/s.
 *
 * Built by bench/search.sh with the kefu core library and store/fts_sqlite.c. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/tokenize.h"
#include "store/fts_sqlite.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof(*v), dcmp);
	int k = (int)(p * (n - 1) + 0.5);
	return v[k];
}

static sqlite3 *open_db(const char *path)
{
	sqlite3 *h;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(1);
	}
	fts_sqlite_register(h);
	sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
	return h;
}

/* The statement of store/search.c (candidates_sql + page_sql) for cases. */
static const char page_sql[] =
	"SELECT id, score, count(*) OVER () FROM (SELECT f.rowid AS id,"
	" kefu_rank(search_case_fts, 4.0, 1.0, 2.0) AS score FROM search_case_fts f"
	" WHERE search_case_fts MATCH ? ORDER BY f.rowid DESC LIMIT 2000)"
	" ORDER BY score DESC, id DESC LIMIT 20 OFFSET 0";

static int query(const char *path, int n, char **qs, int nq)
{
	sqlite3 *h = open_db(path);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, page_sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(h));
		return 1;
	}
	double *t = malloc((size_t)n * sizeof(*t));
	for (int q = 0; q < nq; q++) {
		struct tok_query plan;
		buf b;
		buf_init(&b, 1 << 16);
		tok_query_parse(qs[q], strlen(qs[q]), &plan);
		tok_query_fts5(&plan, &b);
		int matches = 0;
		for (int i = -1; i < n; i++) {
			double t0 = now_ms();
			sqlite3_bind_text(st, 1, b.data ? b.data : "", -1, SQLITE_STATIC);
			while (sqlite3_step(st) == SQLITE_ROW)
				matches = sqlite3_column_int(st, 2);
			sqlite3_reset(st);
			if (i >= 0)
				t[i] = now_ms() - t0;
		}
		double p50 = pct(t, n, 0.5), p95 = pct(t, n, 0.95);
		printf("%s\t%.3f\t%.3f\t%d\n", qs[q], p50, p95, matches);
		buf_release(&b);
	}
	free(t);
	sqlite3_finalize(st);
	sqlite3_close(h);
	tok_thread_release();
	return 0;
}

static int index_ceiling(const char *path, const char *out)
{
	sqlite3 *src = open_db(path), *dst = open_db(out);
	sqlite3_exec(dst, "DROP TABLE IF EXISTS ceil; CREATE VIRTUAL TABLE ceil USING"
			  " fts5(title, body, tokenize='trigram')",
		     NULL, NULL, NULL);
	sqlite3_stmt *rd, *wr;
	sqlite3_prepare_v2(src, "SELECT id, subject, description FROM cases ORDER BY id", -1, &rd,
			   NULL);
	sqlite3_prepare_v2(dst, "INSERT INTO ceil (rowid, title, body) VALUES (?, ?, ?)", -1, &wr,
			   NULL);
	long rows = 0;
	double bytes = 0, t0 = now_ms();
	sqlite3_exec(dst, "BEGIN", NULL, NULL, NULL);
	while (sqlite3_step(rd) == SQLITE_ROW) {
		for (int c = 0; c < 3; c++)
			sqlite3_bind_value(wr, c + 1, sqlite3_column_value(rd, c));
		bytes += sqlite3_column_bytes(rd, 1) + sqlite3_column_bytes(rd, 2);
		sqlite3_step(wr);
		sqlite3_reset(wr);
		if (++rows % 1000 == 0)
			sqlite3_exec(dst, "COMMIT; BEGIN", NULL, NULL, NULL);
	}
	sqlite3_exec(dst, "COMMIT", NULL, NULL, NULL);
	double s = (now_ms() - t0) / 1e3;
	printf("%ld\t%.2f\t%.0f\t%.1f\n", rows, s, rows / s, bytes / 1e6);
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	sqlite3_close(src);
	sqlite3_close(dst);
	return 0;
}

static int count_cb(void *ctx, const tok *t)
{
	(void)t;
	(*(long *)ctx)++;
	return 0;
}

static int tokenize_only(const char *path)
{
	sqlite3 *h = open_db(path);
	sqlite3_stmt *rd;
	sqlite3_prepare_v2(h, "SELECT subject, description FROM cases ORDER BY id", -1, &rd, NULL);
	long rows = 0, toks = 0;
	double bytes = 0, t0 = now_ms();
	while (sqlite3_step(rd) == SQLITE_ROW) {
		for (int c = 0; c < 2; c++) {
			const char *s = (const char *)sqlite3_column_text(rd, c);
			int n = sqlite3_column_bytes(rd, c);
			tok_run(s ? s : "", (size_t)n, 0, count_cb, &toks);
			bytes += n;
		}
		rows++;
	}
	double s = (now_ms() - t0) / 1e3;
	printf("%ld\t%.2f\t%.0f\t%.1f\t%ld\n", rows, s, rows / s, bytes / 1e6 / s, toks);
	sqlite3_finalize(rd);
	sqlite3_close(h);
	tok_thread_release();
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "query"))
		return query(argv[2], atoi(argv[3]), argv + 4, argc - 4);
	if (argc == 4 && !strcmp(argv[1], "index"))
		return index_ceiling(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "tokenize"))
		return tokenize_only(argv[2]);
	fprintf(stderr, "usage: search_ceil query DB N QUERY... | index DB OUT | tokenize DB\n");
	return 2;
}
