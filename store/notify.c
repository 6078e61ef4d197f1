/* notify.c - the LISTEN thread; see notify.h.  libpq directly: the db.h
 * interface has no notion of asynchronous notifications, and this
 * connection does nothing else. */
#include "store/notify.h"

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/common.h"
#include "lib/log.h"
#include "store/db.h"

struct notify_listener {
	char *url;
	char channel[64];
	notify_fn fn;
	void *arg;
	int wake[2]; /* a pipe: written to stop the thread */
	pthread_t th;
	atomic_int ready;
	atomic_int stop;
};

static PGconn *connect_and_listen(struct notify_listener *l)
{
	PGconn *c = PQconnectdb(l->url);
	if (PQstatus(c) != CONNECTION_OK) {
		PQfinish(c);
		return NULL;
	}
	char sql[96];
	snprintf(sql, sizeof(sql), "LISTEN %s", l->channel);
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok) {
		log_warn("notify: LISTEN %s failed: %s", l->channel, PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* Waits up to ms for the pipe; 1 if asked to stop. */
static int nap(struct notify_listener *l, int ms)
{
	struct pollfd p = {l->wake[0], POLLIN, 0};
	poll(&p, 1, ms);
	return atomic_load(&l->stop);
}

static void drain(struct notify_listener *l, PGconn *c)
{
	PGnotify *n;
	while ((n = PQnotifies(c))) {
		l->fn(n->extra, l->arg);
		PQfreemem(n);
	}
}

static void *listen_main(void *arg)
{
	struct notify_listener *l = arg;
	int lost = 0;
	while (!atomic_load(&l->stop)) {
		PGconn *c = connect_and_listen(l);
		if (!c) {
			if (nap(l, 1000))
				break;
			continue;
		}
		atomic_store(&l->ready, 1);
		if (lost)
			l->fn(NULL, l->arg);
		while (!atomic_load(&l->stop)) {
			struct pollfd p[2] = {{PQsocket(c), POLLIN, 0}, {l->wake[0], POLLIN, 0}};
			if (poll(p, 2, 5000) < 0)
				continue;
			if (p[1].revents)
				break;
			if (!PQconsumeInput(c) || PQstatus(c) != CONNECTION_OK) {
				log_warn("notify: lost the listening connection; reconnecting");
				break;
			}
			drain(l, c);
		}
		atomic_store(&l->ready, 0);
		PQfinish(c);
		lost = 1;
	}
	db_thread_release(); /* the callback's connection, if it opened one */
	return NULL;
}

notify_listener *notify_listen(const char *url, const char *channel, notify_fn fn, void *arg)
{
	struct notify_listener *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->url = strdup(url);
	snprintf(l->channel, sizeof(l->channel), "%s", channel);
	l->fn = fn;
	l->arg = arg;
	if (!l->url || pipe(l->wake) < 0) {
		free(l->url);
		free(l);
		return NULL;
	}
	if (pthread_create(&l->th, NULL, listen_main, l) != 0) {
		close(l->wake[0]);
		close(l->wake[1]);
		free(l->url);
		free(l);
		return NULL;
	}
	return l;
}

int notify_ready(notify_listener *l)
{
	return l && atomic_load(&l->ready);
}

void notify_stop(notify_listener *l)
{
	if (!l)
		return;
	atomic_store(&l->stop, 1);
	ssize_t w = write(l->wake[1], "x", 1);
	KF_UNUSED(w);
	pthread_join(l->th, NULL);
	close(l->wake[0]);
	close(l->wake[1]);
	free(l->url);
	free(l);
}
