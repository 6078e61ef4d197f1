/* pg.c - the PostgreSQL backend (libpq).
 *
 * SQL arrives with `?` placeholders; it is rewritten once to $1..$n and
 * prepared under a generated name, cached per connection like sqlite.c
 * does.  Parameters go as text and the server infers their types, so SQL
 * must give every parameter a context that fixes its type (no bare
 * `? IS NULL`; write CAST(? AS BIGINT) where needed).  Results are
 * fetched whole (our queries are bounded by LIMIT) and stepped through. */
#include <libpq-fe.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/common.h"
#include "store/db.h"

/* Parameters of one statement: up to PG_STACKARGS converted on the stack,
 * up to PG_MAXARGS (multi-row INSERTs) on the heap. */
enum { PG_SLOTS = 128, PG_STACKARGS = 64, PG_MAXARGS = 4096 };

struct pg_stmt {
	const struct db_ops *ops;
	struct pgc *conn;
	PGresult *res;
	int row;   /* next row to return */
	int rows;
};

struct pslot {
	uint32_t hash;
	char *sql;
	int id;
};

struct pgc {
	db base;
	PGconn *h;
	int changes;
	int next_id;
	uint64_t tick;
	char err[512];
	struct pslot slots[PG_SLOTS];
};

static void quiet_notice(void *arg, const char *msg)
{
	KF_UNUSED(arg);
	KF_UNUSED(msg);
}

static int pg_open(const char *url, db **out, char *errbuf, int errlen)
{
	struct pgc *c = calloc(1, sizeof(*c));
	if (!c)
		return DB_EFAIL;
	c->base.ops = &db_pg_ops;
	c->base.kind = DB_PG;
	c->h = PQconnectdb(url);
	if (PQstatus(c->h) != CONNECTION_OK) {
		snprintf(errbuf, (size_t)errlen, "cannot connect to PostgreSQL: %s",
			 PQerrorMessage(c->h));
		PQfinish(c->h);
		free(c);
		return DB_EFAIL;
	}
	PQsetNoticeProcessor(c->h, quiet_notice, NULL);
	PGresult *r = PQexec(c->h, "SET client_min_messages=warning; SET TIME ZONE 'UTC'");
	PQclear(r);
	*out = &c->base;
	return 0;
}

static void pg_close(db *d)
{
	struct pgc *c = (struct pgc *)d;
	for (int i = 0; i < PG_SLOTS; i++)
		free(c->slots[i].sql);
	PQfinish(c->h);
	free(c);
}

static uint32_t hash_sql(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* `?` -> `$n`, leaving quoted text and `??`-free SQL alone. */
static int rewrite(const char *sql, buf *out)
{
	int n = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?') {
			if (buf_printf(out, "$%d", ++n) < 0)
				return -1;
			continue;
		}
		if (buf_putc(out, *p) < 0)
			return -1;
	}
	return n;
}

static void set_err(struct pgc *c, PGresult *r)
{
	const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(c->h);
	snprintf(c->err, sizeof(c->err), "%s", m && *m ? m : PQerrorMessage(c->h));
	size_t n = strlen(c->err);
	while (n && (c->err[n - 1] == '\n'))
		c->err[--n] = '\0';
}

static int map_state(PGresult *r)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (st && !strcmp(st, "23505"))
		return DB_EUNIQUE;
	if (st && (!strcmp(st, "40001") || !strcmp(st, "40P01")))
		return DB_EBUSY;
	return DB_EFAIL;
}

static struct pslot *slot_get(struct pgc *c, const char *sql, int *fresh)
{
	uint32_t h = hash_sql(sql);
	struct pslot *victim = NULL;
	*fresh = 0;
	for (int i = 0; i < PG_SLOTS; i++) {
		struct pslot *s = &c->slots[i];
		if (s->sql && s->hash == h && !strcmp(s->sql, sql))
			return s;
		if (!s->sql && !victim)
			victim = s;
	}
	if (!victim) {
		/* Full: forget one at random-ish (the oldest id). */
		victim = &c->slots[c->tick++ % PG_SLOTS];
		char dealloc[64];
		snprintf(dealloc, sizeof(dealloc), "DEALLOCATE s%d", victim->id);
		PQclear(PQexec(c->h, dealloc));
		free(victim->sql);
		victim->sql = NULL;
	}
	victim->sql = strdup(sql);
	if (!victim->sql)
		return NULL;
	victim->hash = h;
	victim->id = ++c->next_id;
	*fresh = 1;
	return victim;
}

/* A server restart or a dropped socket: reconnect once, outside any
 * transaction, and forget the statements the old session had prepared. */
static void pg_revive(struct pgc *c)
{
	if (PQstatus(c->h) == CONNECTION_OK || c->base.in_tx)
		return;
	PQreset(c->h);
	for (int i = 0; i < PG_SLOTS; i++) {
		free(c->slots[i].sql);
		c->slots[i].sql = NULL;
	}
	if (PQstatus(c->h) == CONNECTION_OK)
		PQclear(PQexec(c->h, "SET client_min_messages=warning; SET TIME ZONE 'UTC'"));
}

static int pg_prepare(db *d, const char *sql, const db_val *args, int nargs, db_stmt **out)
{
	struct pgc *c = (struct pgc *)d;
	pg_revive(c);
	if (nargs > PG_MAXARGS) {
		snprintf(c->err, sizeof(c->err), "too many parameters");
		return DB_EFAIL;
	}
	int fresh;
	struct pslot *sl = slot_get(c, sql, &fresh);
	if (!sl)
		return DB_EFAIL;
	char name[32];
	snprintf(name, sizeof(name), "s%d", sl->id);
	if (fresh) {
		buf q;
		buf_init(&q, 1 << 20);
		int n = rewrite(sql, &q);
		PGresult *r = n < 0 ? NULL : PQprepare(c->h, name, q.data ? q.data : "", 0, NULL);
		buf_release(&q);
		if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
			set_err(c, r);
			int rc = map_state(r);
			PQclear(r);
			free(sl->sql);
			sl->sql = NULL;
			return rc;
		}
		PQclear(r);
	}
	const char *vals_s[PG_STACKARGS];
	char ints_s[PG_STACKARGS][24];
	const char **vals = vals_s;
	char(*ints)[24] = ints_s;
	if (nargs > PG_STACKARGS) {
		vals = malloc((size_t)nargs * sizeof(*vals));
		ints = malloc((size_t)nargs * sizeof(*ints));
		if (!vals || !ints) {
			free(vals);
			free(ints);
			snprintf(c->err, sizeof(c->err), "out of memory");
			return DB_EFAIL;
		}
	}
	for (int i = 0; i < nargs; i++) {
		switch (args[i].type) {
		case DB_VINT:
			snprintf(ints[i], sizeof(ints[i]), "%" PRId64, args[i].i);
			vals[i] = ints[i];
			break;
		case DB_VTEXT:
			vals[i] = args[i].s;
			break;
		default:
			vals[i] = NULL;
		}
	}
	PGresult *r = PQexecPrepared(c->h, name, nargs, vals, NULL, NULL, 0);
	if (vals != vals_s) {
		free(vals);
		free(ints);
	}
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		set_err(c, r);
		int rc = map_state(r);
		PQclear(r);
		/* Report the error through step, as SQLite does, so that
		 * db_exec sees constraint violations the same way. */
		struct pg_stmt *st = calloc(1, sizeof(*st));
		if (!st)
			return DB_EFAIL;
		st->ops = &db_pg_ops;
		st->conn = c;
		st->rows = rc; /* negative: the error to return */
		*out = (db_stmt *)st;
		return 0;
	}
	const char *ct = PQcmdTuples(r);
	c->changes = ct && *ct ? atoi(ct) : 0;
	struct pg_stmt *st = calloc(1, sizeof(*st));
	if (!st) {
		PQclear(r);
		return DB_EFAIL;
	}
	st->ops = &db_pg_ops;
	st->conn = c;
	st->res = r;
	st->rows = PQntuples(r);
	st->row = 0;
	*out = (db_stmt *)st;
	return 0;
}

static int pg_step(db_stmt *p)
{
	struct pg_stmt *st = (struct pg_stmt *)p;
	if (st->rows < 0)
		return st->rows;
	if (st->row >= st->rows)
		return DB_DONE;
	st->row++;
	return DB_ROW;
}

static void pg_done(db_stmt *p)
{
	struct pg_stmt *st = (struct pg_stmt *)p;
	PQclear(st->res);
	free(st);
}

static int pg_changes(db *d)
{
	return ((struct pgc *)d)->changes;
}

static int pg_col_count(db_stmt *p)
{
	struct pg_stmt *st = (struct pg_stmt *)p;
	return st->res ? PQnfields(st->res) : 0;
}

static int pg_col_null(db_stmt *p, int i)
{
	struct pg_stmt *st = (struct pg_stmt *)p;
	return PQgetisnull(st->res, st->row - 1, i);
}

static int64_t pg_col_int(db_stmt *p, int i)
{
	struct pg_stmt *st = (struct pg_stmt *)p;
	return strtoll(PQgetvalue(st->res, st->row - 1, i), NULL, 10);
}

static const char *pg_col_text(db_stmt *p, int i)
{
	struct pg_stmt *st = (struct pg_stmt *)p;
	return PQgetvalue(st->res, st->row - 1, i);
}

static const char *pg_errmsg(db *d)
{
	return ((struct pgc *)d)->err;
}

static int pg_begin(db *d)
{
	return db_exec(d, "BEGIN", NULL, 0) < 0 ? DB_EFAIL : 0;
}

const struct db_ops db_pg_ops = {
	.name = "postgres",
	.open = pg_open,
	.close = pg_close,
	.prepare = pg_prepare,
	.step = pg_step,
	.done = pg_done,
	.changes = pg_changes,
	.col_count = pg_col_count,
	.col_null = pg_col_null,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.errmsg = pg_errmsg,
	.begin = pg_begin,
};
