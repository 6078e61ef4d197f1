/* fts_sqlite.c - kefu's tokenizer as an FTS5 tokenizer (see fts_sqlite.h). */
#include "store/fts_sqlite.h"

#include <stdlib.h>

#include "core/tokenize.h"
#include "lib/common.h"

/* FTS5 asks for a tokenizer object per table; ours has no state. */
struct kefu_tokenizer {
	int unused;
};

static int kt_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	KF_UNUSED(ctx);
	KF_UNUSED(argv);
	KF_UNUSED(argc);
	struct kefu_tokenizer *t = calloc(1, sizeof(*t));
	if (!t)
		return SQLITE_NOMEM;
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void kt_delete(Fts5Tokenizer *t)
{
	free(t);
}

struct kt_ctx {
	void *fts_ctx;
	int (*xToken)(void *, int, const char *, int, int, int);
};

static int kt_token(void *ctx, const tok *t)
{
	struct kt_ctx *k = ctx;
	if (t->kind == TOK_CJKWORD)
		return 0; /* not indexed: see core/tokenize.h */
	return k->xToken(k->fts_ctx, t->colocated ? FTS5_TOKEN_COLOCATED : 0, t->text, t->len,
			 t->start, t->end);
}

static int kt_tokenize(Fts5Tokenizer *t, void *fts_ctx, int flags, const char *text, int len,
		       int (*xToken)(void *, int, const char *, int, int, int))
{
	KF_UNUSED(t);
	if (len <= 0)
		return SQLITE_OK;
	/* A query string is one token of a plan kefu made (tok_query_fts5). */
	if (flags & FTS5_TOKENIZE_QUERY)
		return xToken(fts_ctx, 0, text, len, 0, len);
	struct kt_ctx k = {fts_ctx, xToken};
	int rc = tok_run(text, (size_t)len, 0, kt_token, &k);
	return rc < 0 ? SQLITE_NOMEM : rc;
}

static fts5_api *fts5_api_of(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

/* ------------------------------------------------------------------ kefu_rank */

enum { RANK_MAX_PHRASES = 64, RANK_MAX_COLS = 8 };

/* kefu_rank(fts, w0, w1, ...): BM25 per column without the inverse
 * document frequency, summed with the column weights.  FTS5's bm25()
 * counts, for the IDF, every row of the table that matches each phrase:
 * a scan of all 300,000 cases holding 投诉 on every query.  Without it the
 * score is what ts_rank measures on PostgreSQL (term frequency, where,
 * how long the field), only saturating as BM25 does, and each row costs
 * just its own position lists. */
static void kefu_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		      int nval, sqlite3_value **vals)
{
	const double k1 = 1.2, b = 0.75;
	int ncol = api->xColumnCount(fts), nphrase = api->xPhraseCount(fts), ninst = 0;
	if (ncol > RANK_MAX_COLS)
		ncol = RANK_MAX_COLS;
	if (nphrase > RANK_MAX_PHRASES)
		nphrase = RANK_MAX_PHRASES;
	sqlite3_int64 nrow = 0;
	api->xRowCount(fts, &nrow);
	double tf[RANK_MAX_PHRASES][RANK_MAX_COLS] = {{0}};
	if (api->xInstCount(fts, &ninst) != SQLITE_OK) {
		sqlite3_result_error(ctx, "kefu_rank: no instances", -1);
		return;
	}
	for (int i = 0; i < ninst; i++) {
		int phrase, col, off;
		if (api->xInst(fts, i, &phrase, &col, &off) == SQLITE_OK && phrase < nphrase &&
		    col < ncol)
			tf[phrase][col] += 1;
	}
	double score = 0;
	for (int c = 0; c < ncol; c++) {
		double w = c < nval ? sqlite3_value_double(vals[c]) : 1.0;
		sqlite3_int64 total = 0;
		int dl = 0;
		api->xColumnTotalSize(fts, c, &total);
		api->xColumnSize(fts, c, &dl);
		double avg = nrow > 0 && total > 0 ? (double)total / (double)nrow : 1.0;
		for (int p = 0; p < nphrase; p++)
			if (tf[p][c] > 0)
				score += w * tf[p][c] * (k1 + 1) /
					 (tf[p][c] + k1 * (1 - b + b * (double)dl / avg));
	}
	sqlite3_result_double(ctx, score);
}

int fts_sqlite_register(sqlite3 *h)
{
	fts5_api *api = fts5_api_of(h);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	static fts5_tokenizer tk = {kt_create, kt_delete, kt_tokenize};
	int rc = api->xCreateTokenizer(api, "kefu", NULL, &tk, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "kefu_rank", NULL, kefu_rank, NULL);
	return rc;
}
