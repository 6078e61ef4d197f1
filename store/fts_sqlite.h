/* fts_sqlite.h - the FTS5 tokenizer "kefu" and the ranking function
 * kefu_rank for SQLite connections.
 *
 * store/sqlite.c registers it on every connection it opens, so any
 * connection can read and write the search index (store/search.c).  The
 * tokenizer is core/tokenize.h: documents are tokenized by tok_run; a query
 * string is taken as one token, verbatim, because kefu tokenizes queries
 * itself (tok_query_fts5 quotes each token of its plan).  kefu_rank(fts,
 * weight per column...) is BM25 without the inverse document frequency
 * (see fts_sqlite.c for why), higher is better. */
#ifndef KF_STORE_FTS_SQLITE_H
#define KF_STORE_FTS_SQLITE_H

#include <sqlite3.h>

/* Returns SQLITE_OK, or an SQLite error code if FTS5 is missing. */
int fts_sqlite_register(sqlite3 *h);

#endif
