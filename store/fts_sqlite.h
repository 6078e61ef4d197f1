/* fts_sqlite.h - the FTS5 tokenizer "kefu" for SQLite connections.
 *
 * store/sqlite.c registers it on every connection it opens, so any
 * connection can read and write the search index (store/search.c).  The
 * tokenizer is core/tokenize.h: documents are tokenized by tok_run; a query
 * string is taken as one token, verbatim, because kefu tokenizes queries
 * itself (tok_query_fts5 quotes each token of its plan). */
#ifndef KF_STORE_FTS_SQLITE_H
#define KF_STORE_FTS_SQLITE_H

#include <sqlite3.h>

/* Returns SQLITE_OK, or an SQLite error code if FTS5 is missing. */
int fts_sqlite_register(sqlite3 *h);

#endif
