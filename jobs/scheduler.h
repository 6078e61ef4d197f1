/* scheduler.h - the background jobs of `kefu serve` (DESIGN: jobs/).
 *
 * One thread per process wakes every KEFU_JOBS_INTERVAL seconds (default
 * 30; 0 turns the thread off) and runs each job of the table in
 * scheduler.c under its lease (jobs/lease.h), so that with several
 * instances on one PostgreSQL a job runs in one of them at a time.  The
 * job bodies are app functions working on a database connection (today:
 * case_breach_sweep, SLA breach escalation).
 *
 * jobs/ sits above app/: it calls app, and app reaches jobs_run_all only
 * through app_jobs_hook (POST /api/jobs/run), which jobs_start sets. */
#ifndef KF_JOBS_SCHEDULER_H
#define KF_JOBS_SCHEDULER_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"

/* Starts the thread (after db_thread_setup); 0, or -1 if it could not. */
int jobs_start(void);
/* Stops and joins it (a run in progress finishes first). */
void jobs_stop(void);
/* Runs every job once, waiting up to wait_ms for a lease another holder
 * has.  *report (if not NULL) receives {job: {"ran": bool, "result": text}}. */
int jobs_run_all(db *d, int64_t now, int wait_ms, json_t **report);

#endif
