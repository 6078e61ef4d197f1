/* ceil_select.c - ceiling 2: libmicrohttpd + one SQLite primary-key SELECT.
 *
 * Usage: ceil_select PORT DB_PATH [ROWS]
 *
 * At start, creates DB_PATH (WAL) with a table of ROWS rows (default
 * 100000) of ~1 KB each, shaped like a customer row, unless it already holds
 * them.  Then listens on 127.0.0.1:PORT (epoll, internal thread pool of 2,
 * like kefu) and answers GET /x/ID with that row as JSON: one prepared
 * primary-key SELECT on the worker thread's own connection, the object
 * built with json_pack and serialised with json_dumps.  Unknown ids get 404.
 * This is the ceiling for kefu's GET /api/customers/{id}: everything kefu
 * does beyond it (routing, authentication, logging, more columns) is the
 * overhead being measured.  Runs until SIGINT or SIGTERM.
 *
 * Each libmicrohttpd worker opens its connection (read-write, WAL,
 * synchronous=NORMAL) on its first request and keeps it in a pthread key
 * whose destructor closes it when the thread ends. */
#include <netinet/in.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sqlite3.h>

static const char *db_path;
static pthread_key_t tl_key;
static int first_call_marker;

struct tl_conn {
	sqlite3 *db;
	sqlite3_stmt *get;
};

static const char select_sql[] =
	"SELECT id, name, kind, lifecycle, tier, value_class, phone, email, company, "
	"address, notes, tags, created_at, updated_at, version FROM items WHERE id = ?1";

static void tl_close(void *p)
{
	struct tl_conn *t = p;
	sqlite3_finalize(t->get);
	sqlite3_close(t->db);
	free(t);
}

static struct tl_conn *tl_get(void)
{
	struct tl_conn *t = pthread_getspecific(tl_key);
	if (t)
		return t;
	t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	if (sqlite3_open_v2(db_path, &t->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK ||
	    sqlite3_exec(t->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(t->db, 5000) != SQLITE_OK ||
	    sqlite3_prepare_v3(t->db, select_sql, -1, SQLITE_PREPARE_PERSISTENT, &t->get,
			       NULL) != SQLITE_OK) {
		fprintf(stderr, "ceil_select: worker connection: %s\n", sqlite3_errmsg(t->db));
		tl_close(t);
		return NULL;
	}
	pthread_setspecific(tl_key, t);
	return t;
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned int status, char *text)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **req_cls)
{
	if (*req_cls == NULL) { /* keep-alive trap: never answer on the first call */
		*req_cls = &first_call_marker;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0;
		return MHD_YES;
	}

	long long id = 0;
	if (strncmp(url, "/x/", 3) == 0) {
		char *end;
		errno = 0;
		id = strtoll(url + 3, &end, 10);
		if (errno || *end || end == url + 3)
			id = 0;
	}
	if (id <= 0)
		return answer(c, MHD_HTTP_NOT_FOUND, strdup("{\"error\":\"not found\"}"));

	struct tl_conn *t = tl_get();
	if (!t)
		return answer(c, MHD_HTTP_INTERNAL_SERVER_ERROR, strdup("{\"error\":\"db\"}"));

	sqlite3_stmt *s = t->get;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc == SQLITE_DONE)
			return answer(c, MHD_HTTP_NOT_FOUND, strdup("{\"error\":\"not found\"}"));
		return answer(c, MHD_HTTP_INTERNAL_SERVER_ERROR, strdup("{\"error\":\"db\"}"));
	}
#define COL(i) ((const char *)sqlite3_column_text(s, (i)))
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
			      "s:I, s:I, s:I}",
			      "id", (json_int_t)sqlite3_column_int64(s, 0),
			      "name", COL(1), "kind", COL(2), "lifecycle", COL(3),
			      "tier", COL(4), "value_class", COL(5), "phone", COL(6),
			      "email", COL(7), "company", COL(8), "address", COL(9),
			      "notes", COL(10), "tags", COL(11),
			      "created_at", (json_int_t)sqlite3_column_int64(s, 12),
			      "updated_at", (json_int_t)sqlite3_column_int64(s, 13),
			      "version", (json_int_t)sqlite3_column_int64(s, 14));
#undef COL
	sqlite3_reset(s);
	if (!o)
		return answer(c, MHD_HTTP_INTERNAL_SERVER_ERROR, strdup("{\"error\":\"json\"}"));
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!text)
		return MHD_NO;
	return answer(c, MHD_HTTP_OK, text);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Creates the table and fills it up to `rows` rows (~1 KB each). */
static int prepare_db(const char *path, long long rows)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		fprintf(stderr, "ceil_select: %s: %s\n", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	char *err = NULL;
	if (sqlite3_exec(db,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			 "CREATE TABLE IF NOT EXISTS items ("
			 " id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,"
			 " lifecycle TEXT NOT NULL, tier TEXT NOT NULL, value_class TEXT NOT NULL,"
			 " phone TEXT, email TEXT NOT NULL, company TEXT NOT NULL,"
			 " address TEXT NOT NULL, notes TEXT NOT NULL, tags TEXT NOT NULL,"
			 " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
			 " version INTEGER NOT NULL)",
			 NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "ceil_select: schema: %s\n", err);
		sqlite3_free(err);
		sqlite3_close(db);
		return -1;
	}
	sqlite3_stmt *s;
	long long have = 0;
	if (sqlite3_prepare_v2(db, "SELECT coalesce(max(id), 0) FROM items", -1, &s, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		have = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (have >= rows) {
		sqlite3_close(db);
		return 0;
	}

	fprintf(stderr, "ceil_select: filling %s with %lld rows...\n", path, rows - have);
	double t0 = now_s();
	/* ~660 bytes of Chinese text; with the other columns a row is ~1 KB. */
	char notes[1024] = "";
	while (strlen(notes) + 60 < 700)
		strcat(notes, "客户反馈产品质量稳定，希望下季度增加订货量并安排上门服务。");
	static const char *const lifecycles[] = {"potential", "general", "loyal", "lost"};
	static const char *const tiers[] = {"potential", "ordinary", "key", "vip"};
	int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
					"INSERT INTO items VALUES (?1, ?2, 'person', ?3, ?4, "
					"'ordinary', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, 1)",
					-1, &s, NULL);
	for (long long id = have + 1; rc == SQLITE_OK && id <= rows; id++) {
		char name[64], phone[32], email[64], company[96], address[128];
		snprintf(name, sizeof name, "测试客户%lld", id);
		snprintf(phone, sizeof phone, "+86139%08lld", id);
		snprintf(email, sizeof email, "customer%lld@example.com", id);
		snprintf(company, sizeof company, "上海某某电子科技有限公司第%lld分公司", id % 1000);
		snprintf(address, sizeof address, "上海市浦东新区张江高科技园区碧波路%lld号",
			 id % 2000);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, lifecycles[id % 4], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, tiers[id % 4], -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, phone, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 6, email, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 7, company, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 8, address, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 9, notes, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 10, "[\"重点\",\"电子\"]", -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 11, 1732500000000LL + id);
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "ceil_select: fill: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	sqlite3_close(db);
	fprintf(stderr, "ceil_select: filled in %.1f s\n", now_s() - t0);
	return 0;
}

static int parse_long(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	long long port, rows = 100000;
	if (argc < 3 || argc > 4 || parse_long(argv[1], 1, 65535, &port) ||
	    (argc == 4 && parse_long(argv[3], 1, 100000000, &rows))) {
		fprintf(stderr, "usage: %s PORT DB_PATH [ROWS]\n", argv[0]);
		return 2;
	}
	db_path = argv[2];
	if (prepare_db(db_path, rows))
		return 1;
	if (pthread_key_create(&tl_key, tl_close)) {
		fprintf(stderr, "ceil_select: pthread_key_create failed\n");
		return 1;
	}

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL,
		on_request, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)2,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "ceil_select: cannot listen on 127.0.0.1:%lld\n", port);
		return 1;
	}
	fprintf(stderr, "ceil_select: listening on 127.0.0.1:%lld (%lld rows)\n", port, rows);

	int sig;
	sigwait(&set, &sig);
	MHD_stop_daemon(d); /* joins the workers; tl_close runs as each one exits */
	pthread_key_delete(tl_key);
	return 0;
}
