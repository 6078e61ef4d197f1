/* sqlite.c - the embedded backend.
 *
 * One connection per thread (the caller guarantees it, see db_thread), WAL
 * so readers never wait for the writer, and a small statement cache: the
 * same SQL text prepared once per connection and reset between uses.  Our
 * SQL is mostly string literals, so hits are the rule; dynamic SQL (list
 * filters) has few shapes and fits too. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/common.h"
#include "store/db.h"
#include "store/fts_sqlite.h"

enum { CACHE_SLOTS = 96 };

struct sq_stmt {
	const struct db_ops *ops;
	struct sq *conn;
	sqlite3_stmt *s;
	int cached; /* lives in the cache; reset rather than finalize */
	int busy;   /* in use by a caller */
};

struct slot {
	uint32_t hash;
	char *sql;
	struct sq_stmt st;
	uint64_t used_at;
};

struct sq {
	db base;
	sqlite3 *h;
	uint64_t tick;
	struct slot slots[CACHE_SLOTS];
};

static uint32_t hash_sql(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int map_rc(sqlite3 *h, int rc)
{
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE || rc == SQLITE_OK)
		return DB_DONE;
	int ext = sqlite3_extended_errcode(h);
	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return DB_EUNIQUE;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return DB_EBUSY;
	return DB_EFAIL;
}

static int sq_open(const char *path, db **out, char *errbuf, int errlen)
{
	struct sq *c = calloc(1, sizeof(*c));
	if (!c)
		return DB_EFAIL;
	c->base.ops = &db_sqlite_ops;
	c->base.kind = DB_SQLITE;
	int rc = sqlite3_open_v2(path, &c->h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(errbuf, (size_t)errlen, "cannot open %s: %s", path,
			 c->h ? sqlite3_errmsg(c->h) : sqlite3_errstr(rc));
		sqlite3_close(c->h);
		free(c);
		return DB_EFAIL;
	}
	sqlite3_busy_timeout(c->h, 10000);
	char *msg = NULL;
	rc = sqlite3_exec(c->h,
			  "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			  "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;",
			  NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(errbuf, (size_t)errlen, "cannot set up %s: %s", path, msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(c->h);
		free(c);
		return DB_EFAIL;
	}
	fts_sqlite_register(c->h); /* search: the "kefu" FTS5 tokenizer (store/fts_sqlite.c) */
	*out = &c->base;
	return 0;
}

static void sq_close(db *d)
{
	struct sq *c = (struct sq *)d;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		sqlite3_finalize(c->slots[i].st.s);
		free(c->slots[i].sql);
	}
	sqlite3_close(c->h);
	free(c);
}

static int bind_all(sqlite3_stmt *s, const db_val *args, int nargs)
{
	for (int i = 0; i < nargs; i++) {
		int rc;
		switch (args[i].type) {
		case DB_VINT:
			rc = sqlite3_bind_int64(s, i + 1, args[i].i);
			break;
		case DB_VTEXT:
			rc = sqlite3_bind_text(s, i + 1, args[i].s, -1, SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_null(s, i + 1);
		}
		if (rc != SQLITE_OK)
			return -1;
	}
	return 0;
}

static struct slot *cache_find(struct sq *c, const char *sql, uint32_t h)
{
	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct slot *sl = &c->slots[i];
		if (sl->sql && sl->hash == h && !sl->st.busy && !strcmp(sl->sql, sql))
			return sl;
	}
	return NULL;
}

static struct slot *cache_victim(struct sq *c)
{
	struct slot *best = NULL;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct slot *sl = &c->slots[i];
		if (sl->st.busy)
			continue;
		if (!sl->sql)
			return sl;
		if (!best || sl->used_at < best->used_at)
			best = sl;
	}
	return best;
}

static int sq_prepare(db *d, const char *sql, const db_val *args, int nargs, db_stmt **out)
{
	struct sq *c = (struct sq *)d;
	uint32_t h = hash_sql(sql);
	struct slot *sl = cache_find(c, sql, h);
	if (!sl) {
		sqlite3_stmt *s;
		if (sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
			return DB_EFAIL;
		sl = cache_victim(c);
		char *copy = sl ? strdup(sql) : NULL;
		if (!copy) {
			/* Cache full of busy statements: an uncached one. */
			struct sq_stmt *st = calloc(1, sizeof(*st));
			if (!st) {
				sqlite3_finalize(s);
				return DB_EFAIL;
			}
			*st = (struct sq_stmt){&db_sqlite_ops, c, s, 0, 1};
			if (bind_all(s, args, nargs) < 0) {
				sqlite3_finalize(s);
				free(st);
				return DB_EFAIL;
			}
			*out = (db_stmt *)st;
			return 0;
		}
		sqlite3_finalize(sl->st.s);
		free(sl->sql);
		sl->sql = copy;
		sl->hash = h;
		sl->st = (struct sq_stmt){&db_sqlite_ops, c, s, 1, 0};
	}
	sl->used_at = ++c->tick;
	sl->st.busy = 1;
	if (bind_all(sl->st.s, args, nargs) < 0) {
		sqlite3_reset(sl->st.s);
		sqlite3_clear_bindings(sl->st.s);
		sl->st.busy = 0;
		return DB_EFAIL;
	}
	*out = (db_stmt *)&sl->st;
	return 0;
}

static int sq_step(db_stmt *p)
{
	struct sq_stmt *st = (struct sq_stmt *)p;
	int rc = sqlite3_step(st->s);
	return map_rc(st->conn->h, rc);
}

static void sq_done(db_stmt *p)
{
	struct sq_stmt *st = (struct sq_stmt *)p;
	if (st->cached) {
		sqlite3_reset(st->s);
		sqlite3_clear_bindings(st->s);
		st->busy = 0;
	} else {
		sqlite3_finalize(st->s);
		free(st);
	}
}

static int sq_changes(db *d)
{
	return sqlite3_changes(((struct sq *)d)->h);
}

static int sq_col_count(db_stmt *p)
{
	return sqlite3_column_count(((struct sq_stmt *)p)->s);
}

static int sq_col_null(db_stmt *p, int i)
{
	return sqlite3_column_type(((struct sq_stmt *)p)->s, i) == SQLITE_NULL;
}

static int64_t sq_col_int(db_stmt *p, int i)
{
	return sqlite3_column_int64(((struct sq_stmt *)p)->s, i);
}

static const char *sq_col_text(db_stmt *p, int i)
{
	return (const char *)sqlite3_column_text(((struct sq_stmt *)p)->s, i);
}

static const char *sq_errmsg(db *d)
{
	return sqlite3_errmsg(((struct sq *)d)->h);
}

/* Writers of this process take turns on a mutex before BEGIN IMMEDIATE.
 * SQLite allows one writer anyway; without the mutex the others wait in
 * the busy handler, which sleeps for milliseconds at a time (p99 of a
 * POST went from 117 ms to 17 ms with it).  Writers in other processes (a
 * CLI command beside the server) still meet the busy timeout.  A thread
 * must not begin a transaction on a second connection while it holds one. */
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;

static int sq_begin(db *d)
{
	pthread_mutex_lock(&writer_lock);
	if (db_exec(d, "BEGIN IMMEDIATE", NULL, 0) < 0) {
		pthread_mutex_unlock(&writer_lock);
		return DB_EFAIL;
	}
	return 0;
}

static void sq_end(db *d)
{
	(void)d;
	pthread_mutex_unlock(&writer_lock);
}

const struct db_ops db_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.prepare = sq_prepare,
	.step = sq_step,
	.done = sq_done,
	.changes = sq_changes,
	.col_count = sq_col_count,
	.col_null = sq_col_null,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.errmsg = sq_errmsg,
	.begin = sq_begin,
	.end = sq_end,
};
