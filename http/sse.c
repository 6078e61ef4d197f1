/* sse.c - server-sent events; see sse.h.
 *
 * Locking.  The registry (all streams) has one mutex; each stream has its
 * own for its buffer and flags.  MHD_resume_connection is never called
 * with either held, and a stream's memory is reference-counted (the MHD
 * response holds one reference, a publisher a temporary one), so
 * libmicrohttpd's own locks and ours are never taken in opposite orders.
 *
 * Suspension.  The content callback suspends the connection when it has
 * nothing to send, with the stream's mutex held and `suspended` set in the
 * same critical section; a publisher resumes only when it saw `suspended`
 * (and clears it), so every suspend is matched by exactly one resume and
 * no resume ever targets a connection that is not suspended (undefined
 * behaviour in libmicrohttpd).  While suspended a connection cannot be
 * closed by libmicrohttpd, so resuming it outside the lock is safe. */
#include "http/sse.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

struct sse_sub {
	pthread_mutex_t mu;
	int refs;
	struct MHD_Connection *conn;
	int64_t user_id;
	unsigned topics;
	buf out;     /* bytes not yet handed to libmicrohttpd */
	size_t done; /* of out, handed over already */
	int suspended;
	int closing;
	int64_t last_ms; /* last time something was queued */
	struct sse_sub *prev, *next;
};

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t reg_cv = PTHREAD_COND_INITIALIZER;
static struct sse_sub *reg_head;
static int reg_count;
static int reg_closing;

static pthread_t ka_thread;
static int ka_running;
static pthread_mutex_t ka_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ka_cv = PTHREAD_COND_INITIALIZER;
static int ka_stop;

static void sub_unref(struct sse_sub *s)
{
	pthread_mutex_lock(&s->mu);
	int left = --s->refs;
	pthread_mutex_unlock(&s->mu);
	if (left)
		return;
	buf_release(&s->out);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

/* Appends under the stream's lock; resumes the connection if it slept.
 * A stream whose reader is too slow (SSE_MAX_PENDING queued) is ended. */
static int enqueue(struct sse_sub *s, const char *data, size_t len, int end)
{
	int resume = 0, ok = 0;
	pthread_mutex_lock(&s->mu);
	if (!s->closing) {
		if (end) {
			s->closing = 1;
		} else if (buf_append(&s->out, data, len) < 0) {
			s->closing = 1; /* too far behind: let the browser reconnect */
		} else {
			s->last_ms = util_now_ms();
			ok = 1;
		}
		if (s->suspended) {
			s->suspended = 0;
			resume = 1;
		}
	}
	pthread_mutex_unlock(&s->mu);
	if (resume)
		MHD_resume_connection(s->conn);
	return ok;
}

static ssize_t reader(void *cls, uint64_t pos, char *dst, size_t max)
{
	struct sse_sub *s = cls;
	KF_UNUSED(pos);
	ssize_t n = 0;
	pthread_mutex_lock(&s->mu);
	size_t pending = s->out.len - s->done;
	if (pending) {
		size_t k = pending < max ? pending : max;
		memcpy(dst, s->out.data + s->done, k);
		s->done += k;
		if (s->done == s->out.len) {
			buf_reset(&s->out);
			s->done = 0;
		}
		n = (ssize_t)k;
	} else if (s->closing) {
		n = MHD_CONTENT_READER_END_OF_STREAM;
	} else {
		s->suspended = 1;
		MHD_suspend_connection(s->conn);
	}
	pthread_mutex_unlock(&s->mu);
	return n;
}

/* The response is gone (connection closed): leave the registry. */
static void reader_free(void *cls)
{
	struct sse_sub *s = cls;
	pthread_mutex_lock(&reg_mu);
	if (s->prev)
		s->prev->next = s->next;
	else
		reg_head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	reg_count--;
	pthread_cond_broadcast(&reg_cv);
	pthread_mutex_unlock(&reg_mu);
	sub_unref(s);
}

int sse_stream(http_req *r, int64_t user_id, unsigned topics, const char *initial, size_t len)
{
	pthread_mutex_lock(&reg_mu);
	int full = reg_count >= SSE_MAX_SUBSCRIBERS || reg_closing;
	pthread_mutex_unlock(&reg_mu);
	if (full)
		return http_fail(r, KF_ETHROTTLED, NULL, "实时事件连接过多，请稍后重试",
				 "Too many live event streams; try again later");
	struct sse_sub *s = calloc(1, sizeof(*s));
	if (!s)
		return http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	pthread_mutex_init(&s->mu, NULL);
	s->refs = 1;
	s->user_id = user_id;
	s->topics = topics;
	buf_init(&s->out, SSE_MAX_PENDING);
	s->last_ms = util_now_ms();
	if (initial && len && buf_append(&s->out, initial, len) < 0) {
		sub_unref(s);
		return http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	r->stream = s;
	r->status = 200;
	return 0;
}

int sse_respond(struct MHD_Connection *c, http_req *r)
{
	struct sse_sub *s = r->stream;
	r->stream = NULL;
	s->conn = c;
	struct MHD_Response *resp =
		MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reader, s, reader_free);
	if (!resp) {
		sub_unref(s);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", "text/event-stream; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no"); /* nginx: do not buffer */
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Request-Id", r->rid);
	pthread_mutex_lock(&reg_mu);
	s->next = reg_head;
	if (reg_head)
		reg_head->prev = s;
	reg_head = s;
	reg_count++;
	pthread_mutex_unlock(&reg_mu);
	enum MHD_Result ret = MHD_queue_response(c, 200, resp);
	MHD_destroy_response(resp); /* reader_free runs when the connection lets go */
	return ret;
}

/* Takes a reference to every stream matching; the caller unrefs them. */
static int collect(unsigned topic, int64_t user_id, int all, struct sse_sub ***out)
{
	pthread_mutex_lock(&reg_mu);
	int n = 0;
	struct sse_sub **v = reg_count ? malloc((size_t)reg_count * sizeof(*v)) : NULL;
	for (struct sse_sub *s = reg_head; v && s; s = s->next) {
		if (!all && (!(s->topics & topic) || (topic == SSE_TOPIC_USER && s->user_id != user_id)))
			continue;
		pthread_mutex_lock(&s->mu);
		s->refs++;
		pthread_mutex_unlock(&s->mu);
		v[n++] = s;
	}
	pthread_mutex_unlock(&reg_mu);
	*out = v;
	return n;
}

int sse_publish(unsigned topic, int64_t user_id, const char *frame, size_t len)
{
	struct sse_sub **v;
	int n = collect(topic, user_id, 0, &v), sent = 0;
	for (int i = 0; i < n; i++) {
		sent += enqueue(v[i], frame, len, 0);
		sub_unref(v[i]);
	}
	free(v);
	return sent;
}

int sse_count(unsigned topic)
{
	int n = 0;
	pthread_mutex_lock(&reg_mu);
	for (struct sse_sub *s = reg_head; s; s = s->next)
		n += (s->topics & topic) != 0;
	pthread_mutex_unlock(&reg_mu);
	return n;
}

int sse_frame(buf *b, int64_t id, const char *name, const char *data)
{
	int rc = 0;
	if (id > 0)
		rc |= buf_printf(b, "id: %lld\n", (long long)id);
	rc |= buf_printf(b, "event: %s\ndata: ", name);
	rc |= buf_puts(b, data);
	rc |= buf_puts(b, "\n\n");
	return rc < 0 ? -1 : 0;
}

/* Every SSE_KEEPALIVE_S: a comment on each stream idle that long. */
static void *keepalive_main(void *arg)
{
	KF_UNUSED(arg);
	static const char ping[] = ": keep-alive\n\n";
	pthread_mutex_lock(&ka_mu);
	while (!ka_stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&ka_cv, &ka_mu, &ts);
		if (ka_stop)
			break;
		pthread_mutex_unlock(&ka_mu);
		struct sse_sub **v;
		int n = collect(0, 0, 1, &v);
		int64_t now = util_now_ms();
		for (int i = 0; i < n; i++) {
			pthread_mutex_lock(&v[i]->mu);
			int idle = now - v[i]->last_ms >= SSE_KEEPALIVE_S * 1000;
			pthread_mutex_unlock(&v[i]->mu);
			if (idle)
				enqueue(v[i], ping, sizeof(ping) - 1, 0);
			sub_unref(v[i]);
		}
		free(v);
		pthread_mutex_lock(&ka_mu);
	}
	pthread_mutex_unlock(&ka_mu);
	return NULL;
}

int sse_start(void)
{
	pthread_mutex_lock(&reg_mu);
	reg_closing = 0;
	pthread_mutex_unlock(&reg_mu);
	ka_stop = 0;
	if (pthread_create(&ka_thread, NULL, keepalive_main, NULL) != 0)
		return log_error("sse: cannot start the keep-alive thread");
	ka_running = 1;
	return 0;
}

void sse_close_all(void)
{
	pthread_mutex_lock(&reg_mu);
	reg_closing = 1;
	pthread_mutex_unlock(&reg_mu);
	struct sse_sub **v;
	int n = collect(0, 0, 1, &v);
	for (int i = 0; i < n; i++) {
		enqueue(v[i], NULL, 0, 1);
		sub_unref(v[i]);
	}
	free(v);
	/* Give libmicrohttpd a moment to finish the streams it just resumed:
	 * stopping the daemon with a suspended connection is not allowed. */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2;
	pthread_mutex_lock(&reg_mu);
	while (reg_count > 0)
		if (pthread_cond_timedwait(&reg_cv, &reg_mu, &ts) != 0)
			break;
	if (reg_count > 0)
		log_warn("sse: %d streams still open at shutdown", reg_count);
	pthread_mutex_unlock(&reg_mu);
}

void sse_stop(void)
{
	if (!ka_running)
		return;
	pthread_mutex_lock(&ka_mu);
	ka_stop = 1;
	pthread_cond_broadcast(&ka_cv);
	pthread_mutex_unlock(&ka_mu);
	pthread_join(ka_thread, NULL);
	ka_running = 0;
}
