/* report.h - what every report shares: the date range it covers, and its
 * rows as a table that report_export.c sends as .xlsx (libxlsxwriter) or
 * CSV (UTF-8 with a BOM, so Excel in Chinese opens it right) when the
 * client asks for a file instead of JSON.
 *
 * A report handler computes its numbers once, answers JSON shaped for its
 * chart, or fills a rep_table and calls rep_send.  Cells and strings live
 * in the request's arena. */
#ifndef KF_APP_REPORT_H
#define KF_APP_REPORT_H

#include <stdint.h>

#include "app/app.h"

enum rep_format { REP_JSON, REP_CSV, REP_XLSX };
/* How a column's cells are written: text; integer; money in fen (written
 * in yuan with two decimals); a share (0.25 is 25%); a time (epoch ms,
 * written as China time, 0 as empty). */
enum rep_kind { REP_TEXT, REP_INT, REP_FEN, REP_SHARE, REP_TIME };

struct rep_col {
	const char *zh, *en;
	enum rep_kind kind;
};

struct rep_cell {
	int64_t i;     /* REP_INT, REP_FEN, REP_TIME */
	double d;      /* REP_SHARE */
	const char *s; /* REP_TEXT (NULL is empty) */
};

enum { REP_MAX_INFO = 8 };

struct rep_table {
	arena *a;
	const char *name; /* ASCII file-name stem, e.g. "pareto" */
	const char *title_zh, *title_en;
	const struct rep_col *cols;
	int ncols;
	struct rep_cell *cells; /* nrows * ncols */
	size_t nrows, cap;
	/* parameters shown on a second sheet of the workbook (not in CSV) */
	const char *info_k[REP_MAX_INFO], *info_v[REP_MAX_INFO];
	int ninfo;
};

void rep_init(struct rep_table *t, arena *a, const char *name, const char *title_zh,
	      const char *title_en, const struct rep_col *cols, int ncols);
/* A new row of ncols zeroed cells to fill. */
struct rep_cell *rep_row(struct rep_table *t);
void rep_info(struct rep_table *t, const char *key, const char *value);

/* The format asked for: ?format=json|csv|xlsx, else the Accept header
 * (text/csv, or the spreadsheetml type), else JSON.  Fills r->err and
 * returns < 0 for an unknown ?format. */
int rep_format(http_req *r, int *fmt);
/* Answers with the table as a file (fmt REP_CSV or REP_XLSX), named
 * kefu-NAME-YYYY-MM-DD.EXT (today in China) in Content-Disposition. */
int rep_send(http_req *r, struct rep_table *t, int fmt);

/* The period of a report from ?from= and ?to=: each a date (YYYY-MM-DD,
 * China time; `to` includes its whole day) or epoch milliseconds.  The
 * defaults apply to what is absent.  Fails naming the parameter when it
 * is malformed or from >= to. */
int rep_range(http_req *r, int64_t dflt_from, int64_t dflt_to, int64_t *from, int64_t *to);

/* The customers a customer-value report covers: the customer list's
 * conditions on their fields (customer_report_filter: kind, tier,
 * industry, tag, owner, department_id, ...), over live customers c.
 * narrowed: some condition was given (the stored figures cover everyone,
 * so a narrowed report is computed at request time). */
struct rep_filter {
	const char *where; /* SQL over customers c, in the request's arena */
	db_val args[16];
	int n;
	int narrowed;
	const char *scope; /* "kind=person", "department_id=3": the one condition
			    * given, when the recompute counts it ahead; else NULL */
};
int rep_filter(http_req *r, struct rep_filter *f);
/* The figures the last recompute counted for the filter's scope (borrowed
 * from summary), or NULL. */
json_t *rep_scope(json_t *summary, const struct rep_filter *f);
/* pre, then the filter's arguments, then post: one array in the arena. */
db_val *rep_args(http_req *r, const struct rep_filter *f, const db_val *pre, int npre,
		 const db_val *post, int npost, int *n);

/* The query strings of the exports (exports.c), read without a database
 * into SQL conditions with placeholders, their values appended to args
 * (*n of them; at most EXPORT_MAX_ARGS in all): a case export's visible
 * cases, state, type, priority, channel, open, assignee (me or an id) and
 * created_from / created_to; a visit or survey-answer export's assignee
 * and from / to on time_col.  Fail naming the parameter. */
enum { EXPORT_MAX_ARGS = 16 };
int export_case_filters(http_req *r, buf *where, db_val *args, int *n);
int export_owner_period(http_req *r, const char *assignee_col, const char *time_col, buf *where,
			db_val *args, int *n);

/* Answers with o as JSON (taking the reference), shares written with 12
 * significant digits rather than jansson's 17 (0.005, not 0.0050000000000000001). */
int rep_json(http_req *r, json_t *o);

/* "2026-06-15 14:30" in China time, in the arena ("" for 0). */
const char *rep_time_text(arena *a, int64_t ms);

#endif
