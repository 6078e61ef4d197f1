/* import.h - importing customers and orders from CSV and .xlsx files,
 * shared by the HTTP resource (imports.c), the job runner and `kefu import`.
 *
 * An import is a job (import_jobs) that goes through:
 *   stage   the file is read row by row into import_rows (cells as read),
 *           the header row kept apart with a suggested column mapping;
 *   check   (the dry run) every row is validated with the chosen mapping by
 *           the rules of POST /api/customers (customer_validate) or of
 *           orders; each problem is stored with line, column and reasons in
 *           Chinese and English; the normalised values are kept beside the
 *           row; nothing outside the job is written;
 *   commit  the checked rows are written in ONE transaction (all or
 *           nothing): duplicates by phone merged or skipped as chosen.
 * Stage and check write in batches of IMP_BATCH rows, so memory stays
 * bounded at any file size; commit reads its rows back in batches too.
 * `kefu import` fuses stage and check (the mapping is known up front). */
#ifndef KF_APP_IMPORT_H
#define KF_APP_IMPORT_H

#include <stdio.h>

#include "app/app.h"
#include "core/impfield.h"

enum { IMP_BATCH = 1000, IMP_MAX_COLS = 256, IMP_SAMPLE_ROWS = 5 };

/* import_read.c: reads a file (CSV in UTF-8, UTF-8 with BOM, UTF-16 or
 * GB18030/GBK, detected; or .xlsx, its first sheet) and hands each
 * non-empty row to fn with its line number as a spreadsheet shows it.
 * fn returns 0 to go on.  *encoding names what was found ("utf-8",
 * "utf-8-bom", "utf-16le", "gb18030", "xlsx").  0, or a kf_code with e
 * filled (unreadable file, or fn's non-zero answer). */
typedef int (*imp_row_fn)(void *ctx, int64_t line, char **cells, int ncells);
int imp_read(FILE *f, imp_row_fn fn, void *ctx, const char **encoding, kf_err *e);

/* What the job runner and the CLI report as they go. */
struct imp_progress {
	void (*fn)(void *ctx, const char *phase, int64_t done, int64_t total);
	void *ctx;
	/* Polled between batches: non-zero stops the phase (and rolls back). */
	int (*cancelled)(void *ctx);
};

/* The options of a job. */
struct imp_opts {
	enum impf_kind kind;
	int merge;         /* duplicates by phone: merge (1) or skip (0) */
	int64_t actor;     /* the user importing (0: the system, from the CLI) */
	int actor_role;    /* ROLE_* of the actor */
};

/* import_engine.c */
/* Creates a job row; *id is its id. */
int imp_job_create(db *d, const struct imp_opts *o, const char *filename, int64_t *id, kf_err *e);
/* Reads f into the job's rows.  With mapping (a JSON array aligned with
 * the header: field name or null; NULL: suggested only) the rows are also
 * checked as they go (the CLI's single pass).  Sets status uploaded (or
 * checked). */
int imp_stage(db *d, int64_t job, FILE *f, json_t *mapping, const struct imp_opts *o,
	      const struct imp_progress *p, kf_err *e);
/* Validates a mapping against the job's header: every target known, used
 * at most once, the required ones present.  0 or KF_EINVAL (e names it). */
int imp_mapping_check(db *d, int64_t job, enum impf_kind kind, json_t *mapping, kf_err *e);
/* The dry run: checks every row with the job's mapping (import_jobs.mapping). */
int imp_check(db *d, int64_t job, const struct imp_opts *o, const struct imp_progress *p,
	      kf_err *e);
/* Writes the checked rows in one transaction.  KF_ECONFLICT if the job is
 * not checked; on failure or cancel nothing is written and the job says why. */
int imp_commit(db *d, int64_t job, const struct imp_opts *o, const struct imp_progress *p,
	       kf_err *e);
/* Marks the job failed / cancelled with a reason (its own transaction). */
void imp_job_finish(db *d, int64_t job, const char *status, const kf_err *e);
/* Drops the staged rows of a finished job (batches; problems are kept). */
int imp_job_discard_rows(db *d, int64_t job);
/* The job as the API shows it. */
json_t *imp_job_json(db *d, int64_t job);

/* import_job.c: runs check and commit in a background thread of this
 * process; progress and cancel flags live here for the running jobs (and
 * in the job row, for other instances). */
int imp_job_start(int64_t job, const char *phase, const struct imp_opts *o, kf_err *e);
/* 1 if the job runs in this process (then *done / *total are its progress). */
int imp_job_running(int64_t job, int64_t *done, int64_t *total, const char **phase);
/* Asks a running job to stop; 1 if it runs here. */
int imp_job_cancel(int64_t job);
/* Waits for the running jobs to end (at shutdown, after cancelling them). */
void imp_jobs_shutdown(void);

#endif
