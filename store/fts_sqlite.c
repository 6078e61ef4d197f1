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

int fts_sqlite_register(sqlite3 *h)
{
	fts5_api *api = fts5_api_of(h);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	static fts5_tokenizer tk = {kt_create, kt_delete, kt_tokenize};
	return api->xCreateTokenizer(api, "kefu", NULL, &tk, NULL);
}
