/* search.h - the search index, one interface over both backends.
 *
 * A document is a record of one kind (customer, case, knowledge-base
 * answer) with three fields of text: title, body, extra (searched, never
 * shown).  search_put stores it in the portable table search_<kind> (see
 * migration 0004) and in the backend's index:
 *   SQLite      an FTS5 table search_<kind>_fts with external content
 *               search_<kind> and kefu's tokenizer (store/fts_sqlite.c);
 *   PostgreSQL  a tsvector column search_<kind>.tsv built by kefu from the
 *               same tokens (core/tokenize.h), with a GIN index.
 * Both are created by search_setup at first use (they are backend-specific
 * DDL, which the portable migrations cannot hold).
 *
 * Matching is the same on both backends (every required group of the
 * query plan is in the document: tokenize.h).  Ranking is BM25 on SQLite
 * (kefu_rank, store/fts_sqlite.c: BM25 per field without the IDF, field
 * weights title 4, body 1, extra 2) and ts_rank on PostgreSQL (weights
 * A=1, C=0.5, D=0.25 for title, extra, body: the same 4:2:1, normalisation
 * 1: divided by 1 + log(length)) of the OR of the plan's tokens
 * (tok_query_tsquery_rank): both grow with how often and in which field
 * the query's words occur and shrink with the document's length; BM25
 * saturates repetition, ts_rank less.  Scores are not comparable across
 * backends, orders mostly agree; both order ties newest first.  Only the SEARCH_CANDIDATES most recent matches are
 * ranked, so a query that matches half a million cases still answers in
 * milliseconds (reported as total_capped).
 *
 * Each field is cut so that it holds at most its number of token
 * positions (SEARCH_*_POS): PostgreSQL keeps positions up to 16383 per
 * tsvector, and cutting the stored text itself keeps both backends
 * indexing exactly the same tokens. */
#ifndef KF_STORE_SEARCH_H
#define KF_STORE_SEARCH_H

#include <stdint.h>

#include "core/tokenize.h"
#include "lib/arena.h"
#include "store/db.h"

enum search_kind { SEARCH_CUSTOMER, SEARCH_CASE, SEARCH_KB, SEARCH__COUNT };

enum {
	SEARCH_TITLE_POS = 500,
	SEARCH_BODY_POS = 14000,
	SEARCH_EXTRA_POS = 1500,
	SEARCH_CANDIDATES = 2000,
};

/* "customer", "case", "kb"; search_kind_parse returns -1 for others. */
const char *search_kind_name(enum search_kind k);
int search_kind_parse(const char *s);

struct search_doc {
	int64_t id;
	const char *title, *body, *extra;
	int hidden;          /* kept in the index but not found (archived records) */
	int64_t src_version; /* what was indexed, for catching up */
	int64_t src_mark;
};

/* Creates the backend's index objects if they are missing.  Cheap after
 * the first call in a process.  Returns 0 or < 0. */
int search_setup(db *d);

/* Stores or replaces a document; the caller runs it in a transaction
 * (its own or the use case's).  0 or < 0. */
int search_put(db *d, enum search_kind k, const struct search_doc *doc);
/* Removes a document if it is there.  0 or < 0. */
int search_remove(db *d, enum search_kind k, int64_t id);
/* The indexed version and mark of a document: DB_ROW, DB_DONE if absent. */
int search_indexed(db *d, enum search_kind k, int64_t id, int64_t *version, int64_t *mark);
/* The highest id indexed (0 when empty), or < 0. */
int64_t search_max_id(db *d, enum search_kind k);
/* Empties the index of one kind. */
int search_clear(db *d, enum search_kind k);

/* A query: the plan, and optionally a table joined on the record's id and
 * a condition that restrict the candidates (args are the condition's
 * parameters, in order). */
struct search_query {
	enum search_kind kind;
	const struct tok_query *plan;
	const char *join_table, *join_alias; /* e.g. "cases", "c" (joined ON c.id = the id) */
	const char *where;                   /* e.g. "c.assignee_id = ?", or NULL */
	const db_val *args;
	int nargs;
	int offset, limit;
};

struct search_hit {
	int64_t id;
	double score; /* higher is better; comparable within one answer only */
};

struct search_result {
	struct search_hit *hits; /* in the arena */
	int n;
	int total;  /* matches among the candidates (<= SEARCH_CANDIDATES) */
	int capped; /* 1 if there may be more matches than were ranked */
};

int search_find(db *d, arena *a, const struct search_query *q, struct search_result *out);

/* The SQL (with its one ? for the query text) of "ids of kind k matching
 * the plan", to be used as `id IN (<sql>)`; the text goes in *arg.  NULL
 * if the plan has no groups. */
const char *search_ids_sql(db *d, arena *a, enum search_kind k, const struct tok_query *plan,
			   const char **arg);

/* The stored text of a document (for snippets); 0, DB_DONE if absent. */
int search_text(db *d, arena *a, enum search_kind k, int64_t id, const char **title,
		const char **body);

#endif
