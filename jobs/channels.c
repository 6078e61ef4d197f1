/* channels.c - see channels.h. */
#include "jobs/channels.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/import.h"
#include "app/mail.h"
#include "app/webhook.h"
#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

static pthread_t th;
static int running;
static int stopping;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int64_t tick_ms = 1000;
static char holder[64];

static void tick(void)
{
	db *d = db_thread();
	if (!d)
		return;
	int64_t now = util_now_ms();
	if (webhook_deliver_due(d, holder, now, 20) < 0)
		log_warn("channels: webhook delivery: %s", db_errmsg(d));
	if (mail_send_due(d, holder, now, 20) < 0)
		log_warn("channels: mail sending: %s", db_errmsg(d));
	if (mail_poll_due(d, holder, now) < 0)
		log_warn("channels: mail polling failed");
	if (d->in_tx)
		db_rollback(d);
}

static void *loop(void *arg)
{
	KF_UNUSED(arg);
	pthread_mutex_lock(&mu);
	while (!stopping) {
		pthread_mutex_unlock(&mu);
		tick();
		pthread_mutex_lock(&mu);
		if (stopping)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += tick_ms / 1000;
		ts.tv_nsec += (tick_ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&cv, &mu, &ts);
	}
	pthread_mutex_unlock(&mu);
	db_thread_release();
	return NULL;
}

int channels_start(void)
{
	const char *env = getenv("KEFU_CHANNELS_TICK_MS");
	int64_t v;
	if (env && util_parse_i64(env, &v) == 0 && v >= 0 && v <= 3600 * 1000)
		tick_ms = v;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	char host[32] = "";
	gethostname(host, sizeof(host) - 1);
	char rnd[9];
	util_random_hex(rnd, 4);
	snprintf(holder, sizeof(holder), "%.24s:%d:%s", host, (int)getpid(), rnd);
	if (!tick_ms)
		return 0;
	stopping = 0;
	if (pthread_create(&th, NULL, loop, NULL) != 0)
		return log_error("cannot start the channels worker");
	running = 1;
	return 0;
}

void channels_stop(void)
{
	imp_jobs_shutdown();
	if (running) {
		pthread_mutex_lock(&mu);
		stopping = 1;
		pthread_cond_signal(&cv);
		pthread_mutex_unlock(&mu);
		pthread_join(th, NULL);
		running = 0;
	}
	curl_global_cleanup();
}
