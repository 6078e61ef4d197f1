/* live.c - live events to browsers: the stream endpoint, publishing, and
 * the instance's live threads.
 *
 * One instance (SQLite): an event is handed straight to http/sse.c.
 * Several instances (PostgreSQL): the event goes out as NOTIFY kefu_live
 * and every instance's listener thread (store/notify.c) hands it to its
 * own streams, so a browser connected anywhere gets it.  NOTIFY payloads
 * are limited to 8000 bytes, so events that must survive a reconnect or
 * may be large (screen pops) are stored in live_events and NOTIFY carries
 * only their id ("e<id>"); small passing ones travel inline
 * ("u<user> <event> <json>").
 *
 * The wallboard is not published per call event (tens of thousands a
 * second would flood every board): each instance with wallboard streams
 * computes the snapshot once a second and sends it when it changed. */
#include "app/calls.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/sse.h"
#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"
#include "store/notify.h"

#define LIVE_CHANNEL "kefu_live"
enum { LIVE_KEEP_MS = 3600 * 1000, NOTIFY_INLINE_MAX = 7800, REPLAY_MAX = 200 };

static notify_listener *listener;
static atomic_int use_notify; /* PostgreSQL: deliver through NOTIFY */

static void deliver(int64_t id, int64_t user_id, const char *event, const char *data)
{
	buf f;
	buf_init(&f, SSE_MAX_PENDING);
	if (sse_frame(&f, id, event, data) == 0)
		sse_publish(SSE_TOPIC_USER, user_id, f.data, f.len);
	buf_release(&f);
}

static int64_t store_event(db *d, int64_t user_id, const char *event, const char *data, int notify)
{
	db_stmt *st;
	int64_t id = 0;
	const char *sql =
		notify ? "WITH e AS (INSERT INTO live_events (user_id, topic, payload, created_at)"
			 " VALUES (?, ?, ?, ?) RETURNING id)"
			 " SELECT id, pg_notify('" LIVE_CHANNEL "', 'e' || id) FROM e"
		       : "INSERT INTO live_events (user_id, topic, payload, created_at) VALUES (?, ?, ?, ?)"
			 " RETURNING id";
	if (db_query(d, sql, DB_ARGS(DBI(user_id), DBT(event), DBT(data), DBI(util_now_ms())), &st) < 0)
		return -1;
	int rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? id : -1;
}

static int notify_inline(db *d, int64_t user_id, const char *event, const char *data)
{
	size_t len = strlen(data);
	char *msg = malloc(len + 96);
	if (!msg)
		return -1;
	snprintf(msg, len + 96, "u%lld %s %s", (long long)user_id, event, data);
	int rc = db_exec(d, "SELECT pg_notify('" LIVE_CHANNEL "', ?)", DB_ARGS(DBT(msg)));
	free(msg);
	return rc < 0 ? rc : 0;
}

void live_batch_init(struct live_batch *b)
{
	memset(b, 0, sizeof(*b));
}

int live_batch_add(struct live_batch *b, int64_t user_id, const char *event, const char *data,
		   int persist)
{
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 8;
		struct live_msg *m = realloc(b->m, nc * sizeof(*m));
		if (!m)
			return -1;
		b->m = m;
		b->cap = nc;
	}
	char *copy = strdup(data);
	if (!copy)
		return -1;
	b->m[b->n++] = (struct live_msg){user_id, event, copy, persist, 0};
	return 0;
}

/* Everything that goes through the database (stored events, NOTIFY) in one
 * transaction: on SQLite a write outside db_begin would wait in the busy
 * handler's sleeps behind the request writers instead of queueing on their
 * mutex, and on PostgreSQL the notifications leave together at commit. */
static int batch_store(db *d, struct live_batch *b, int pg)
{
	int need = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct live_msg *m = &b->m[i];
		m->persist |= pg && strlen(m->data) > NOTIFY_INLINE_MAX;
		need |= m->persist || pg;
	}
	if (!need)
		return 0;
	if (db_begin(d) < 0)
		return -1;
	for (size_t i = 0; i < b->n; i++) {
		struct live_msg *m = &b->m[i];
		if (m->persist)
			m->id = store_event(d, m->user_id, m->event, m->data, pg);
		else if (pg && notify_inline(d, m->user_id, m->event, m->data) < 0)
			m->id = -1;
		if (m->id < 0) {
			db_rollback(d);
			return -1;
		}
	}
	return db_commit(d);
}

int live_batch_send(db *d, struct live_batch *b)
{
	int pg = d->kind == DB_PG && atomic_load(&use_notify);
	int rc = batch_store(d, b, pg);
	for (size_t i = 0; i < b->n; i++) {
		if (rc == 0 && !pg)
			deliver(b->m[i].id, b->m[i].user_id, b->m[i].event, b->m[i].data);
		free(b->m[i].data);
	}
	free(b->m);
	live_batch_init(b);
	return rc;
}

int64_t live_send(db *d, int64_t user_id, const char *event, const char *data, int persist)
{
	struct live_batch b;
	live_batch_init(&b);
	if (live_batch_add(&b, user_id, event, data, persist) < 0)
		return -1;
	int64_t id = 0;
	int rc = batch_store(d, &b, d->kind == DB_PG && atomic_load(&use_notify));
	if (rc == 0 && !(d->kind == DB_PG && atomic_load(&use_notify)))
		deliver(b.m[0].id, user_id, event, data);
	id = rc < 0 ? -1 : b.m[0].id;
	free(b.m[0].data);
	free(b.m);
	return id;
}

/* A notification on this instance's listener thread. */
static void on_notify(const char *payload, void *arg)
{
	KF_UNUSED(arg);
	if (!payload)
		return; /* reconnected: browsers re-sync with Last-Event-ID on their own */
	if (payload[0] == 'u') {
		char *end;
		long long uid = strtoll(payload + 1, &end, 10);
		const char *ev = end + (*end == ' ');
		const char *sp = strchr(ev, ' ');
		if (!sp || sp - ev > 63)
			return;
		char name[64];
		memcpy(name, ev, (size_t)(sp - ev));
		name[sp - ev] = '\0';
		deliver(0, uid, name, sp + 1);
		return;
	}
	if (payload[0] != 'e' || !sse_count(SSE_TOPIC_USER))
		return;
	db *d = db_thread();
	db_stmt *st;
	if (!d || db_query(d, "SELECT user_id, topic, payload FROM live_events WHERE id = ?",
			   DB_ARGS(DBI(strtoll(payload + 1, NULL, 10))), &st) < 0)
		return;
	if (db_step(st) == DB_ROW)
		deliver(strtoll(payload + 1, NULL, 10), db_col_int(st, 0), db_col_text(st, 1),
			db_col_text(st, 2));
	db_done(st);
}

/* ---------------------------------------------------------------- the stream */

static unsigned parse_topics(const char *s, int *bad)
{
	unsigned t = 0;
	*bad = 0;
	if (!s || !*s)
		return SSE_TOPIC_USER;
	const char *p = s;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 4 && !strncmp(p, "user", 4))
			t |= SSE_TOPIC_USER;
		else if (n == 9 && !strncmp(p, "wallboard", 9))
			t |= SSE_TOPIC_WALLBOARD;
		else
			*bad = 1;
		p += n + (e != NULL);
	}
	return t;
}

/* Events for this user newer than last_id, from the last hour. */
static void replay(http_req *r, int64_t last_id, buf *out)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT id, topic, payload FROM live_events WHERE user_id = ? AND id > ?"
		     " AND created_at > ? ORDER BY id LIMIT 200",
		     DB_ARGS(DBI(r->user.id), DBI(last_id), DBI(util_now_ms() - LIVE_KEEP_MS)),
		     &st) < 0)
		return;
	while (db_step(st) == DB_ROW)
		sse_frame(out, db_col_int(st, 0), db_col_text(st, 1), db_col_text(st, 2));
	db_done(st);
}

int live_stream(http_req *r)
{
	int bad;
	unsigned topics = parse_topics(http_query(r, "topics"), &bad);
	if (bad || !topics)
		return http_fail(r, KF_EINVAL, "topics", "topics 只能是 user、wallboard（逗号分隔）",
				 "topics is a comma-separated list of user, wallboard");
	const char *last = http_header(r, "Last-Event-ID");
	if (!last || !*last)
		last = http_query(r, "last_event_id");
	int64_t last_id = 0;
	if (last && *last && (util_parse_i64(last, &last_id) < 0 || last_id < 0))
		return http_fail(r, KF_EINVAL, "Last-Event-ID", "Last-Event-ID 必须是非负整数",
				 "Last-Event-ID must be a non-negative integer");
	buf init;
	buf_init(&init, SSE_MAX_PENDING / 2);
	buf_puts(&init, "retry: 3000\n\n");
	char *hello = arena_printf(r->a,
				   "{\"user_id\":%lld,\"topics\":[%s%s%s],\"server_time\":%lld}",
				   (long long)r->user.id, topics & SSE_TOPIC_USER ? "\"user\"" : "",
				   (topics & SSE_TOPIC_USER) && (topics & SSE_TOPIC_WALLBOARD) ? "," : "",
				   topics & SSE_TOPIC_WALLBOARD ? "\"wallboard\"" : "",
				   (long long)util_now_ms());
	sse_frame(&init, 0, "hello", hello);
	if ((topics & SSE_TOPIC_USER) && last_id > 0)
		replay(r, last_id, &init);
	if (topics & SSE_TOPIC_WALLBOARD) {
		buf wb;
		buf_init(&wb, 1 << 20);
		if (wallboard_write(r->db, &wb) == 0)
			sse_frame(&init, 0, "wallboard", wb.data);
		buf_release(&wb);
	}
	int rc = sse_stream(r, r->user.id, topics, init.data, init.len);
	buf_release(&init);
	return rc;
}

/* ---------------------------------------------------------------- live threads */

static pthread_t tick_thread;
static int tick_running;
static pthread_mutex_t tick_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tick_cv = PTHREAD_COND_INITIALIZER;
static int tick_stop;

/* The snapshot without its first member (generated_at), to tell whether
 * anything changed. */
static const char *wallboard_body(const char *s)
{
	const char *c = s ? strchr(s, ',') : NULL;
	return c ? c : "";
}

static void wallboard_tick(char **last)
{
	if (!sse_count(SSE_TOPIC_WALLBOARD))
		return;
	db *d = db_thread();
	if (!d)
		return;
	buf b, f;
	buf_init(&b, 1 << 20);
	if (wallboard_write(d, &b) == 0 &&
	    (!*last || strcmp(wallboard_body(*last), wallboard_body(b.data)))) {
		buf_init(&f, SSE_MAX_PENDING);
		if (sse_frame(&f, 0, "wallboard", b.data) == 0)
			sse_publish(SSE_TOPIC_WALLBOARD, 0, f.data, f.len);
		buf_release(&f);
		free(*last);
		*last = strdup(b.data);
	}
	buf_release(&b);
}

static void *tick_main(void *arg)
{
	KF_UNUSED(arg);
	char *last = NULL;
	int64_t last_purge = 0;
	pthread_mutex_lock(&tick_mu);
	while (!tick_stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&tick_cv, &tick_mu, &ts);
		if (tick_stop)
			break;
		pthread_mutex_unlock(&tick_mu);
		wallboard_tick(&last);
		int64_t now = util_now_ms();
		if (now - last_purge > 60000) {
			db *d = db_thread();
			if (d)
				db_exec(d, "DELETE FROM live_events WHERE created_at < ?",
					DB_ARGS(DBI(now - LIVE_KEEP_MS)));
			last_purge = now;
		}
		pthread_mutex_lock(&tick_mu);
	}
	pthread_mutex_unlock(&tick_mu);
	free(last);
	db_thread_release();
	return NULL;
}

int live_start(const char *db_url)
{
	int pg = !strncmp(db_url, "postgres://", 11) || !strncmp(db_url, "postgresql://", 13);
	if (pg) {
		listener = notify_listen(db_url, LIVE_CHANNEL, on_notify, NULL);
		if (!listener)
			return log_error("live: cannot start the PostgreSQL listener");
		/* Published events must not be lost to a listener still connecting. */
		for (int i = 0; i < 500 && !notify_ready(listener); i++) {
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		atomic_store(&use_notify, 1);
	}
	tick_stop = 0;
	if (pthread_create(&tick_thread, NULL, tick_main, NULL) != 0)
		return log_error("live: cannot start the wallboard thread");
	tick_running = 1;
	return 0;
}

void live_stop(void)
{
	if (tick_running) {
		pthread_mutex_lock(&tick_mu);
		tick_stop = 1;
		pthread_cond_broadcast(&tick_cv);
		pthread_mutex_unlock(&tick_mu);
		pthread_join(tick_thread, NULL);
		tick_running = 0;
	}
	notify_stop(listener);
	listener = NULL;
	atomic_store(&use_notify, 0);
}
