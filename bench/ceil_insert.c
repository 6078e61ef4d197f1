/* ceil_insert.c - ceiling 3: raw SQLite inserts, one row per transaction.
 *
 * Usage: ceil_insert DB_PATH SECONDS [--threads 1|2|both]
 *
 * Inserts ~1 KB rows shaped like a customer row (a few text columns, no
 * secondary index) into DB_PATH (WAL, synchronous=NORMAL), each row its own
 * transaction (an autocommit INSERT through a prepared statement), for
 * SECONDS seconds, and prints rows/s.
 *
 *   --threads 1     one connection inserting
 *   --threads 2     two threads, each with its own connection, inserting
 *                   concurrently (busy_timeout 5 s), as kefu's two HTTP
 *                   workers would
 *   --threads both  (default) the first, then the second
 *
 * Prints one JSON line per variant:
 *   {"bench":"ceil_insert","threads":1,"rows":N,"seconds":S,"rows_per_sec":R,"busy":B}
 * where busy counts inserts that failed with SQLITE_BUSY even after the
 * timeout (expected 0). */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

static const char *db_path;
static double seconds;
static char notes[1024];

struct worker {
	pthread_t th;
	int index;
	long long rows;
	long long busy;
	int failed;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The busy timeout comes first: the other thread may hold the lock. */
static int open_db(sqlite3 **db, int set_wal)
{
	if (sqlite3_open_v2(db_path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
						 SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(*db, 5000) != SQLITE_OK ||
	    (set_wal && sqlite3_exec(*db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) !=
				SQLITE_OK) ||
	    sqlite3_exec(*db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "ceil_insert: %s: %s\n", db_path, sqlite3_errmsg(*db));
		return -1;
	}
	return 0;
}

static void *insert_loop(void *arg)
{
	struct worker *w = arg;
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	if (open_db(&db, 0) ||
	    sqlite3_prepare_v3(db,
			       "INSERT INTO customers (name, kind, lifecycle, tier, phone, email,"
			       " company, address, notes, tags, created_at, updated_at)"
			       " VALUES (?1, 'person', 'potential', 'potential', ?2, ?3, ?4, ?5,"
			       " ?6, '[]', ?7, ?7)",
			       -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "ceil_insert: prepare: %s\n", sqlite3_errmsg(db));
		w->failed = 1;
		sqlite3_close(db);
		return NULL;
	}
	/* Per-run salt so repeated runs on one file give distinct phones. */
	long long salt = now_ms() % 100;
	double end = now_s() + seconds;
	for (long long n = 1; now_s() < end; n++) {
		char name[64], phone[32], email[64], company[96], address[128];
		snprintf(name, sizeof name, "压测客户%d-%lld", w->index, n);
		snprintf(phone, sizeof phone, "+861%02lld%d%07lld", salt, w->index, n % 10000000);
		snprintf(email, sizeof email, "bench%d.%lld@example.com", w->index, n);
		snprintf(company, sizeof company, "上海某某电子科技有限公司第%lld分公司", n % 1000);
		snprintf(address, sizeof address, "上海市浦东新区张江高科技园区碧波路%lld号",
			 n % 2000);
		sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, phone, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, email, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 4, company, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 5, address, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 6, notes, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 7, now_ms());
		int rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc == SQLITE_DONE) {
			w->rows++;
		} else if (rc == SQLITE_BUSY) {
			w->busy++;
		} else {
			fprintf(stderr, "ceil_insert: insert: %s\n", sqlite3_errmsg(db));
			w->failed = 1;
			break;
		}
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return NULL;
}

static int run(int nthreads)
{
	struct worker w[2];
	memset(w, 0, sizeof w);
	double t0 = now_s();
	for (int i = 0; i < nthreads; i++) {
		w[i].index = i + 1;
		if (pthread_create(&w[i].th, NULL, insert_loop, &w[i])) {
			fprintf(stderr, "ceil_insert: pthread_create failed\n");
			return -1;
		}
	}
	long long rows = 0, busy = 0;
	int failed = 0;
	for (int i = 0; i < nthreads; i++) {
		pthread_join(w[i].th, NULL);
		rows += w[i].rows;
		busy += w[i].busy;
		failed |= w[i].failed;
	}
	double took = now_s() - t0;
	if (failed)
		return -1;
	printf("{\"bench\":\"ceil_insert\",\"threads\":%d,\"rows\":%lld,\"seconds\":%.2f,"
	       "\"rows_per_sec\":%.0f,\"busy\":%lld}\n",
	       nthreads, rows, took, (double)rows / took, busy);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = "both";
	char *end = NULL;
	if (argc >= 3) {
		errno = 0;
		seconds = strtod(argv[2], &end);
	}
	if (argc == 5 && strcmp(argv[3], "--threads") == 0)
		mode = argv[4];
	if ((argc != 3 && argc != 5) || errno || !end || *end || seconds <= 0 ||
	    (argc == 5 && strcmp(argv[3], "--threads") != 0) ||
	    (strcmp(mode, "1") && strcmp(mode, "2") && strcmp(mode, "both"))) {
		fprintf(stderr, "usage: %s DB_PATH SECONDS [--threads 1|2|both]\n", argv[0]);
		return 2;
	}
	db_path = argv[1];

	/* ~670 bytes of Chinese text; with the other columns a row is ~1 KB. */
	while (strlen(notes) + 60 < 700)
		strcat(notes, "客户反馈产品质量稳定，希望下季度增加订货量并安排上门服务。");

	sqlite3 *db = NULL;
	if (open_db(&db, 1) ||
	    sqlite3_exec(db,
			 "CREATE TABLE IF NOT EXISTS customers ("
			 " id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,"
			 " lifecycle TEXT NOT NULL, tier TEXT NOT NULL, phone TEXT,"
			 " email TEXT NOT NULL, company TEXT NOT NULL, address TEXT NOT NULL,"
			 " notes TEXT NOT NULL, tags TEXT NOT NULL,"
			 " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
			 NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "ceil_insert: schema: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	sqlite3_close(db);

	int rc = 0;
	if (strcmp(mode, "2") != 0)
		rc |= run(1);
	if (strcmp(mode, "1") != 0)
		rc |= run(2);
	return rc ? 1 : 0;
}
