#include "store/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/common.h"
#include "lib/log.h"

/* Every backend's statement struct starts with its ops pointer. */
#define STMT_OPS(st) (*(const struct db_ops *const *)(st))

int db_open(const char *url, db **out, char *errbuf, int errlen)
{
	*out = NULL;
	if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13))
		return db_pg_ops.open(url, out, errbuf, errlen);
	if (!strncmp(url, "sqlite:", 7))
		url += 7;
	if (!*url) {
		snprintf(errbuf, (size_t)errlen, "empty database path");
		return DB_EFAIL;
	}
	return db_sqlite_ops.open(url, out, errbuf, errlen);
}

void db_close(db *d)
{
	if (d)
		d->ops->close(d);
}

static char *thread_url;
static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;

static void thread_conn_free(void *p)
{
	db_close(p);
}

static void thread_key_make(void)
{
	pthread_key_create(&thread_key, thread_conn_free);
}

int db_thread_setup(const char *url)
{
	pthread_once(&thread_once, thread_key_make);
	free(thread_url);
	thread_url = strdup(url);
	return thread_url ? 0 : -1;
}

db *db_thread(void)
{
	db *d = pthread_getspecific(thread_key);
	if (d)
		return d;
	char err[256];
	if (db_open(thread_url, &d, err, sizeof(err)) < 0) {
		log_error("database: %s", err);
		return NULL;
	}
	pthread_setspecific(thread_key, d);
	return d;
}

void db_thread_release(void)
{
	db *d = pthread_getspecific(thread_key);
	if (d) {
		pthread_setspecific(thread_key, NULL);
		db_close(d);
	}
}

int db_query(db *d, const char *sql, const db_val *args, int nargs, db_stmt **out)
{
	int rc = d->ops->prepare(d, sql, args, nargs, out);
	if (rc < 0)
		log_error("sql: %s -- %s", db_errmsg(d), sql);
	return rc;
}

int db_step(db_stmt *st)
{
	return STMT_OPS(st)->step(st);
}

void db_done(db_stmt *st)
{
	if (st)
		STMT_OPS(st)->done(st);
}

int db_col_null(db_stmt *st, int i)
{
	return STMT_OPS(st)->col_null(st, i);
}

int64_t db_col_int(db_stmt *st, int i)
{
	return STMT_OPS(st)->col_int(st, i);
}

const char *db_col_text(db_stmt *st, int i)
{
	const char *s = STMT_OPS(st)->col_text(st, i);
	return s ? s : "";
}

int db_col_count(db_stmt *st)
{
	return STMT_OPS(st)->col_count(st);
}

int db_exec(db *d, const char *sql, const db_val *args, int nargs)
{
	db_stmt *st;
	int rc = db_query(d, sql, args, nargs, &st);
	if (rc < 0)
		return rc;
	while ((rc = db_step(st)) == DB_ROW)
		;
	db_done(st);
	if (rc < 0) {
		if (rc != DB_EUNIQUE)
			log_error("sql: %s -- %s", db_errmsg(d), sql);
		return rc;
	}
	return d->ops->changes(d);
}

int db_query_int(db *d, const char *sql, const db_val *args, int nargs, int64_t *out)
{
	db_stmt *st;
	int rc = db_query(d, sql, args, nargs, &st);
	if (rc < 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW)
		*out = db_col_int(st, 0);
	db_done(st);
	return rc;
}

int db_exec_script(db *d, const char *sql)
{
	/* Statements are split on ';' at the end of a line; our migration
	 * files keep to that so no SQL parser is needed here. */
	const char *p = sql;
	while (*p) {
		const char *end = strstr(p, ";\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *stmt = strndup(p, n);
		if (!stmt)
			return DB_EFAIL;
		const char *q = stmt;
		while (*q == ' ' || *q == '\n' || *q == '\t')
			q++;
		int rc = 0;
		if (*q)
			rc = db_exec(d, stmt, NULL, 0);
		free(stmt);
		if (rc < 0)
			return rc;
		p += n;
		if (end)
			p += 2;
	}
	return 0;
}

int db_begin(db *d)
{
	int rc = d->ops->begin(d);
	if (rc == 0)
		d->in_tx = 1;
	return rc;
}

int db_commit(db *d)
{
	int rc = db_exec(d, "COMMIT", NULL, 0);
	if (rc < 0) {
		db_rollback(d);
		return rc;
	}
	d->in_tx = 0;
	if (d->ops->end)
		d->ops->end(d);
	return 0;
}

void db_rollback(db *d)
{
	if (!d->in_tx)
		return;
	db_exec(d, "ROLLBACK", NULL, 0);
	d->in_tx = 0;
	if (d->ops->end)
		d->ops->end(d);
}

const char *db_errmsg(db *d)
{
	return d->ops->errmsg(d);
}
