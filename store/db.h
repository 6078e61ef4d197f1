/* db.h - the one storage interface; backends in sqlite.c and pg.c.
 *
 * SQL is written once with `?` placeholders (pg.c rewrites them to $n).
 * A `db` is one connection, used by one thread at a time: the server keeps
 * one per worker thread (db_thread), created on first use and closed when
 * the thread exits.  Statement results are read row by row; column text
 * stays valid until the next db_step or db_done on the same statement.
 *
 * Return codes: 0 success, DB_ROW (1) from db_step when a row is ready,
 * negative on failure (DB_EUNIQUE for a unique-constraint violation so
 * callers can answer 409, DB_EFAIL for everything else, with the message
 * in db_errmsg). */
#ifndef KF_STORE_DB_H
#define KF_STORE_DB_H

#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

enum { DB_ROW = 1, DB_DONE = 0, DB_EFAIL = -1, DB_EUNIQUE = -2, DB_EBUSY = -3 };
enum db_kind { DB_SQLITE, DB_PG };
enum db_vtype { DB_VNULL, DB_VINT, DB_VTEXT };

typedef struct db_val {
	enum db_vtype type;
	int64_t i;
	const char *s;
} db_val;

/* Argument constructors; DBT(NULL) is SQL NULL. */
static inline db_val DBI(int64_t x)
{
	return (db_val){DB_VINT, x, 0};
}
static inline db_val DBT(const char *x)
{
	return (db_val){x ? DB_VTEXT : DB_VNULL, 0, x};
}
#define DBNULL ((db_val){DB_VNULL, 0, 0})
/* DB_ARGS(DBI(1), DBT("x")) expands to the (array, count) pair that
 * db_exec and db_query take; DB_ARGS() is the empty list. */
#define DB_ARGS(...)                                                                               \
	((const db_val[]){DBNULL, __VA_ARGS__} + 1),                                               \
		((int)(sizeof((db_val[]){DBNULL, __VA_ARGS__}) / sizeof(db_val)) - 1)

struct db_ops {
	const char *name;
	int (*open)(const char *target, db **out, char *errbuf, int errlen);
	void (*close)(db *d);
	int (*prepare)(db *d, const char *sql, const db_val *args, int nargs, db_stmt **out);
	int (*step)(db_stmt *st);
	void (*done)(db_stmt *st);
	int (*changes)(db *d);
	int (*col_count)(db_stmt *st);
	int (*col_null)(db_stmt *st, int i);
	int64_t (*col_int)(db_stmt *st, int i);
	const char *(*col_text)(db_stmt *st, int i);
	const char *(*errmsg)(db *d);
	int (*begin)(db *d);
	void (*end)(db *d); /* after COMMIT or ROLLBACK; may be NULL */
};

struct db {
	const struct db_ops *ops;
	enum db_kind kind;
	int in_tx;
};

/* Opens a connection for a URL: "sqlite:PATH" or "postgres://..." /
 * "postgresql://...".  A bare path is taken as SQLite. */
int db_open(const char *url, db **out, char *errbuf, int errlen);
void db_close(db *d);

/* The calling thread's connection to the URL given to db_thread_setup;
 * NULL (and a log line) if it cannot be opened. */
int db_thread_setup(const char *url);
db *db_thread(void);
/* Closes the calling thread's connection now (also done at thread exit). */
void db_thread_release(void);

int db_query(db *d, const char *sql, const db_val *args, int nargs, db_stmt **out);
int db_step(db_stmt *st);
void db_done(db_stmt *st);
int db_col_null(db_stmt *st, int i);
int64_t db_col_int(db_stmt *st, int i);
/* Never NULL: "" for SQL NULL (ask db_col_null to tell them apart). */
const char *db_col_text(db_stmt *st, int i);
int db_col_count(db_stmt *st);

/* Runs a statement that returns no rows; returns changed rows (>= 0) or < 0. */
int db_exec(db *d, const char *sql, const db_val *args, int nargs);
/* Runs a query expected to return at most one row with one integer column.
 * Returns DB_ROW with *out set, DB_DONE if no row, < 0 on error. */
int db_query_int(db *d, const char *sql, const db_val *args, int nargs, int64_t *out);
/* Several statements separated by ';', no parameters (migrations). */
int db_exec_script(db *d, const char *sql);

/* BEGIN (IMMEDIATE on SQLite, so writers queue instead of deadlocking). */
int db_begin(db *d);
int db_commit(db *d);
void db_rollback(db *d);
const char *db_errmsg(db *d);

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

#endif
