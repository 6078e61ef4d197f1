/* import_job.c - runs the check and commit phases of import jobs in
 * background threads of this process, so that an HTTP request only starts
 * them and the UI polls GET /api/imports/{id}.
 *
 * The job's state is in its row (status, counters, heartbeat), so any
 * instance answers the poll; the live progress of the commit (one long
 * transaction whose writes others cannot see yet) and the cancel flag are
 * kept here too, for the instance that runs it.  At most IMP_RUNNING jobs
 * run at once per process. */
#include "app/import.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lib/common.h"
#include "lib/log.h"

enum { IMP_RUNNING = 4 };

struct slot {
	int used;
	int64_t job;
	char phase[16];
	struct imp_opts opts;
	atomic_int cancel;
	atomic_int_fast64_t done, total;
	pthread_t th;
	int joinable;
};

static struct slot slots[IMP_RUNNING];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void on_progress(void *ctx, const char *phase, int64_t done, int64_t total)
{
	struct slot *s = ctx;
	KF_UNUSED(phase);
	atomic_store(&s->done, done);
	atomic_store(&s->total, total);
}

static int is_cancelled(void *ctx)
{
	struct slot *s = ctx;
	return atomic_load(&s->cancel);
}

static void *run(void *arg)
{
	struct slot *s = arg;
	db *d = db_thread();
	kf_err e;
	kf_err_clear(&e);
	struct imp_progress p = {on_progress, s, is_cancelled};
	int rc;
	if (!d) {
		log_error("import %lld: no database connection", (long long)s->job);
		return NULL;
	}
	if (!strcmp(s->phase, "check")) {
		rc = imp_check(d, s->job, &s->opts, &p, &e);
	} else {
		rc = imp_commit(d, s->job, &s->opts, &p, &e);
		if (rc == 0)
			imp_job_discard_rows(d, s->job);
	}
	if (rc < 0) {
		int cancel = atomic_load(&s->cancel);
		imp_job_finish(d, s->job, cancel ? "cancelled" : "failed", &e);
		if (cancel || !strcmp(s->phase, "commit"))
			imp_job_discard_rows(d, s->job);
		log_info("import %lld: %s: %s", (long long)s->job, cancel ? "cancelled" : "failed", e.en);
	}
	db_thread_release();
	pthread_mutex_lock(&mu);
	s->used = 0;
	pthread_mutex_unlock(&mu);
	return NULL;
}

int imp_job_start(int64_t job, const char *phase, const struct imp_opts *o, kf_err *e)
{
	pthread_mutex_lock(&mu);
	struct slot *s = NULL;
	for (int i = 0; i < IMP_RUNNING && !s; i++)
		if (!slots[i].used)
			s = &slots[i];
	if (!s) {
		pthread_mutex_unlock(&mu);
		return kf_fail(e, KF_ETHROTTLED, NULL, "同时进行的导入过多，请稍后再试",
			       "Too many imports are running; try again shortly");
	}
	if (s->joinable) { /* a finished thread of an earlier job */
		pthread_join(s->th, NULL);
		s->joinable = 0;
	}
	s->used = 1;
	s->job = job;
	snprintf(s->phase, sizeof(s->phase), "%s", phase);
	s->opts = *o;
	atomic_store(&s->cancel, 0);
	atomic_store(&s->done, 0);
	atomic_store(&s->total, 0);
	if (pthread_create(&s->th, NULL, run, s) != 0) {
		s->used = 0;
		pthread_mutex_unlock(&mu);
		return kf_fail(e, KF_EINTERNAL, NULL, "无法启动导入任务", "Cannot start the import");
	}
	s->joinable = 1;
	pthread_mutex_unlock(&mu);
	return 0;
}

int imp_job_running(int64_t job, int64_t *done, int64_t *total, const char **phase)
{
	int found = 0;
	pthread_mutex_lock(&mu);
	for (int i = 0; i < IMP_RUNNING && !found; i++)
		if (slots[i].used && slots[i].job == job) {
			*done = atomic_load(&slots[i].done);
			*total = atomic_load(&slots[i].total);
			*phase = !strcmp(slots[i].phase, "check") ? "check" : "commit";
			found = 1;
		}
	pthread_mutex_unlock(&mu);
	return found;
}

int imp_job_cancel(int64_t job)
{
	int found = 0;
	pthread_mutex_lock(&mu);
	for (int i = 0; i < IMP_RUNNING; i++)
		if (slots[i].used && slots[i].job == job) {
			atomic_store(&slots[i].cancel, 1);
			found = 1;
		}
	pthread_mutex_unlock(&mu);
	return found;
}

void imp_jobs_shutdown(void)
{
	pthread_mutex_lock(&mu);
	for (int i = 0; i < IMP_RUNNING; i++)
		if (slots[i].used)
			atomic_store(&slots[i].cancel, 1);
	pthread_mutex_unlock(&mu);
	for (int i = 0; i < IMP_RUNNING; i++) {
		pthread_mutex_lock(&mu);
		int j = slots[i].joinable;
		slots[i].joinable = 0;
		pthread_mutex_unlock(&mu);
		if (j)
			pthread_join(slots[i].th, NULL);
	}
}
