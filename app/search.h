/* search.h - full-text search over customers, cases and the knowledge
 * base (GET /api/search), and the calls other resources make to keep the
 * index current.
 *
 * How the index follows the records (no triggers: the tokens are made in
 * C, by core/tokenize.h, which PostgreSQL could not run):
 *   1. Synchronously, when a use case calls search_index_customer or
 *      search_index_case after changing the record, in its transaction:
 *      the index then changes atomically with the record.
 *   2. As a catch-up (search_refresh), run before every search and by
 *      `kefu search reindex`: it reads the change feeds every change
 *      already writes (audit_log rows for customers and cases, case_events
 *      for the timeline) past a watermark kept in search_state, plus
 *      records with ids above the highest indexed (bulk loads such as
 *      `kefu demo` write no audit rows), and reindexes what is not
 *      current (src_version/src_mark differ).  A gap in the feed's ids
 *      younger than SEARCH_GAP_MS (a transaction still open on PostgreSQL)
 *      holds the watermark back until it fills or ages out.
 * So search is correct without (1); (1) makes it current inside the
 * writing transaction and leaves the catch-up nothing to do.
 * The knowledge base indexes itself when an answer is published. */
#ifndef KF_APP_SEARCH_H
#define KF_APP_SEARCH_H

#include <stdint.h>

#include "http/http.h"
#include "lib/jw.h"
#include "store/search.h"

enum { SEARCH_GAP_MS = 10000, SEARCH_REFRESH_BUDGET = 1000, SEARCH_JOB_BUDGET_MS = 3000 };

/* Reindexes one record from its current row (removes it from the index if
 * the row is gone).  For use inside the writer's transaction; 0 or < 0. */
int search_index_customer(db *d, int64_t customer_id);
int search_index_case(db *d, int64_t case_id);
int search_index_kb(db *d, int64_t answer_id);

/* Catches up with at most `budget` records (see above), in the caller's
 * transaction if it holds one, else in its own when something needs
 * indexing.
 * Returns the number of records indexed, or < 0. */
int search_refresh(db *d, int budget);

/* What search_reindex did, per kind: records indexed and seconds taken. */
struct search_reindex_stats {
	long n[SEARCH__COUNT];
	double secs[SEARCH__COUNT];
};

/* A job for jobs/scheduler.c's table: catches up in rounds of
 * SEARCH_REFRESH_BUDGET records until nothing is left, 50 rounds have run
 * or SEARCH_JOB_BUDGET_MS have passed (a stopping server waits for the
 * job), so that bulk loads (imports, `kefu demo`) get indexed in the
 * background rather than by the searches that follow them.  Returns the
 * number of records indexed, or -1 with summary saying why. */
int search_job_run(db *d, int64_t now, char *summary, size_t len);

/* Rebuilds the index of one kind (or all, kind < 0, which also moves the
 * catch-up's watermarks to where the rebuild started) from scratch, 1000
 * records per transaction; progress(done, ctx) is called after each batch
 * when not NULL; stats (may be NULL) gets the figures.  Returns the number
 * of records indexed, or < 0. */
long search_reindex(db *d, int kind, void (*progress)(long done, void *ctx), void *ctx,
		    struct search_reindex_stats *stats);

/* 1 if the cases tables exist in this database (migration 0002). */
int search_has_cases(db *d);

/* For GET /api/customers?q=: when q is Chinese text (two or more CJK
 * characters and no other word), the condition "c.id IN (...)" over the
 * index, with its one argument in *arg, after catching up; NULL otherwise
 * (the caller keeps its LIKE).  The condition and argument live in r->a. */
const char *search_customer_filter(http_req *r, const char *q, db_val *arg);

/* Handler. */
int search_get(http_req *r);

#endif

/* ---- internal to app/search*.c: what differs per kind of record ---- */

struct search_kind_ops {
	/* Restricts q to what r's user may see (join, where, args; args has
	 * room for 8).  0 or < 0 with r->err filled. */
	int (*scope)(http_req *r, struct search_query *q, db_val *args);
	/* Writes the record's own members of its result object (after "type"
	 * and "id").  0, DB_DONE if the record is gone, or < 0. */
	int (*fields)(http_req *r, jw *w, int64_t id);
};

extern const struct search_kind_ops search_case_ops; /* app/search_cases.c */
