/* scheduler.c - the jobs thread and the table of jobs (see scheduler.h). */
#include "jobs/scheduler.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/case.h"
#include "app/followup.h"
#include "app/search.h"
#include "app/segment.h"
#include "app/survey.h"
#include "jobs/lease.h"
#include "lib/arena.h"
#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

enum { LEASE_TTL_MS = 120000, DEFAULT_INTERVAL_S = 30, MAX_ROUNDS = 50 };

/* Escalates breaches in rounds of up to 200 cases until none are left
 * (or MAX_ROUNDS, so one run stays bounded; the next run goes on). */
static int run_sla_breach(db *d, int64_t now, char *summary, size_t len)
{
	int looked = 0, escalated = 0, rounds = 0, n;
	kf_err e;
	kf_err_clear(&e);
	do {
		int esc = 0;
		n = case_breach_sweep(d, now, 200, &esc, &e);
		if (n < 0) {
			snprintf(summary, len, "error: %.150s", e.en[0] ? e.en : "database");
			return -1;
		}
		looked += n;
		escalated += esc;
	} while (n == 200 && ++rounds < MAX_ROUNDS);
	snprintf(summary, len, "checked %d cases, escalated %d breaches", looked, escalated);
	return escalated;
}

static const struct job {
	const char *name;
	int (*run)(db *d, int64_t now, char *summary, size_t len);
} jobs[] = {
	{"sla_breach", run_sla_breach},
	{"segment", segment_job_run}, /* the daily recompute (app/segment_job.c) */
	{"followups", followup_job_run}, /* visits by rules, overdue escalation (app/followup_jobs.c) */
	{"surveys", survey_job_run}, /* invitations after closing, periodic campaigns (app/survey_jobs.c) */
	/* Last, so that it indexes what the jobs above wrote; rows written
	 * without indexing (bulk loads, cases) are caught up here rather than
	 * by the first search after them (app/search_index.c). */
	{"search", search_job_run},
};

static char holder[96];

static void make_holder(void)
{
	char host[64] = "host", rnd[9];
	gethostname(host, sizeof(host) - 1);
	util_random_hex(rnd, 4);
	snprintf(holder, sizeof(holder), "%s:%ld:%s", host, (long)getpid(), rnd);
}

int jobs_run_all(db *d, int64_t now, int wait_ms, json_t **report)
{
	if (!holder[0])
		make_holder();
	if (report)
		*report = json_object();
	int failed = 0;
	for (size_t i = 0; i < KF_ARRAY_LEN(jobs); i++) {
		int64_t waited = 0;
		int got;
		while ((got = lease_claim(d, jobs[i].name, holder, util_now_ms(), LEASE_TTL_MS)) == 0 &&
		       waited < wait_ms) {
			usleep(50000);
			waited += 50;
		}
		char summary[200] = "lease held by another instance";
		if (got > 0) {
			if (jobs[i].run(d, now, summary, sizeof(summary)) < 0)
				failed = 1;
			lease_release(d, jobs[i].name, holder, util_now_ms(), summary);
		} else if (got < 0) {
			snprintf(summary, sizeof(summary), "cannot claim the lease");
			failed = 1;
		}
		if (report)
			json_object_set_new(*report, jobs[i].name,
					    json_pack("{s:b, s:s}", "ran", got > 0, "result", summary));
	}
	return failed ? -1 : 0;
}

static pthread_t thread;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int running, stopping;
static int interval_s = DEFAULT_INTERVAL_S;

static int hook(db *d, int64_t now, int wait_ms, json_t **report)
{
	return jobs_run_all(d, now, wait_ms, report);
}

static void *loop(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!stopping) {
		pthread_mutex_unlock(&mu);
		db *d = db_thread();
		if (d)
			jobs_run_all(d, util_now_ms(), 0, NULL);
		pthread_mutex_lock(&mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += interval_s;
		while (!stopping && pthread_cond_timedwait(&wake, &mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&mu);
	db_thread_release();
	arena_thread_release();
	return NULL;
}

int jobs_start(void)
{
	app_jobs_hook = hook;
	const char *env = getenv("KEFU_JOBS_INTERVAL");
	int64_t s;
	if (env && *env) {
		if (util_parse_i64(env, &s) < 0 || s < 0 || s > 86400)
			return log_error("KEFU_JOBS_INTERVAL must be 0 (off) to 86400 seconds, not '%s'", env);
		interval_s = (int)s;
	}
	if (!interval_s) {
		log_info("jobs: scheduler off (KEFU_JOBS_INTERVAL=0); POST /api/jobs/run still works");
		return 0;
	}
	/* The signals are for the main thread's sigwait, not for this one. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	stopping = 0;
	int rc = pthread_create(&thread, NULL, loop, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		return log_error("jobs: cannot start the scheduler thread");
	running = 1;
	log_info("jobs: scheduler every %d s", interval_s);
	return 0;
}

void jobs_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&mu);
	stopping = 1;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&mu);
	pthread_join(thread, NULL);
	running = 0;
}
