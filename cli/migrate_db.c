/* migrate_db.c - `kefu migrate-db --from URL --to URL [--batch N]`: copies
 * every table of one kefu database into another, empty one (typically
 * SQLite to PostgreSQL), then verifies each table by its row count and a
 * checksum computed the same way on both sides.
 *
 * The table list comes from the source's own schema (so tables added by
 * later migrations need no change here), ordered so that a table comes
 * after the tables its foreign keys point to.  The search index tables
 * (search_*) are backend-specific and derived, so they are not copied but
 * rebuilt on the target (search_reindex), as `kefu search reindex` would.
 * The checksum is the sum of a 64-bit FNV-1a hash of each row's values as
 * text, so it does not depend on the order rows come back in. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/search.h"
#include "lib/common.h"
#include "lib/util.h"
#include "store/migrate.h"

enum { MAX_TABLES = 160, MAX_COLS = 96, NAME_SIZE = 64, MAX_DEPS = 16 };

struct mtable {
	char name[NAME_SIZE];
	char cols[MAX_COLS][NAME_SIZE];
	int ncols;
	char deps[MAX_DEPS][NAME_SIZE];
	int ndeps;
	int done;
	int64_t rows, sum; /* the source's, while copying */
};

struct copy {
	db *src, *dst;
	int batch;
	int n;
	struct mtable t[MAX_TABLES];
	struct mtable *order[MAX_TABLES];
};

static int is_pg(db *d)
{
	return d->kind == DB_PG;
}

/* Names of rows of a one-text-column query, passed to fn. */
static int each_name(db *d, const char *sql, const char *arg, void (*fn)(void *ctx, const char *name),
		     void *ctx)
{
	db_stmt *st;
	int rc = arg ? db_query(d, sql, DB_ARGS(DBT(arg)), &st) : db_query(d, sql, DB_ARGS(), &st);
	if (rc < 0)
		return rc;
	while ((rc = db_step(st)) == DB_ROW)
		fn(ctx, db_col_text(st, 0));
	db_done(st);
	return rc < 0 ? rc : 0;
}

static const char *sql_tables(db *d)
{
	return is_pg(d) ? "SELECT table_name FROM information_schema.tables WHERE table_schema = "
			  "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
			: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid";
}

static const char *sql_columns(db *d)
{
	return is_pg(d) ? "SELECT column_name FROM information_schema.columns WHERE table_schema = "
			  "current_schema() AND table_name = CAST(? AS TEXT) ORDER BY ordinal_position"
			: "SELECT name FROM pragma_table_info(?)";
}

static const char *sql_fkeys(db *d)
{
	return is_pg(d) ? "SELECT DISTINCT p.relname FROM pg_constraint k JOIN pg_class c ON "
			  "k.conrelid = c.oid JOIN pg_class p ON k.confrelid = p.oid WHERE k.contype = 'f' "
			  "AND c.relname = CAST(? AS TEXT)"
			: "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)";
}

static int skipped_table(const char *name)
{
	return !strncmp(name, "sqlite_", 7) || !strncmp(name, "search_", 7) ||
	       !strcmp(name, "schema_migrations");
}

struct names {
	char (*v)[NAME_SIZE];
	int n, max, overflow;
};

static void add_name(void *ctx, const char *name)
{
	struct names *ns = ctx;
	if (ns->n == ns->max || strlen(name) >= NAME_SIZE) {
		ns->overflow = 1;
		return;
	}
	snprintf(ns->v[ns->n++], NAME_SIZE, "%s", name);
}

static int has_name(const struct names *ns, const char *name)
{
	for (int i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i], name))
			return 1;
	return 0;
}

/* One table: its columns (which the target must all have) and its deps. */
static int describe(struct copy *cp, struct mtable *t)
{
	static char dcols[MAX_COLS][NAME_SIZE];
	struct names sc = {t->cols, 0, MAX_COLS, 0}, dc = {dcols, 0, MAX_COLS, 0};
	struct names fk = {t->deps, 0, MAX_DEPS, 0};
	if (each_name(cp->src, sql_columns(cp->src), t->name, add_name, &sc) < 0 ||
	    each_name(cp->dst, sql_columns(cp->dst), t->name, add_name, &dc) < 0 ||
	    each_name(cp->src, sql_fkeys(cp->src), t->name, add_name, &fk) < 0) {
		fprintf(stderr, "kefu migrate-db: reading the schema of %s: %s\n", t->name,
			db_errmsg(cp->src));
		return -1;
	}
	if (sc.overflow || dc.overflow || fk.overflow) {
		fprintf(stderr, "kefu migrate-db: table %s is too wide for this tool\n", t->name);
		return -1;
	}
	for (int i = 0; i < sc.n; i++)
		if (!has_name(&dc, sc.v[i])) {
			fprintf(stderr, "kefu migrate-db: the target's %s has no column %s\n", t->name, sc.v[i]);
			return -1;
		}
	t->ncols = sc.n;
	t->ndeps = fk.n;
	return 0;
}

/* The tables to copy, from the source's schema, present in the target. */
static int list_tables(struct copy *cp)
{
	static char sv[MAX_TABLES][NAME_SIZE], dv[MAX_TABLES][NAME_SIZE];
	struct names s = {sv, 0, MAX_TABLES, 0}, d = {dv, 0, MAX_TABLES, 0};
	if (each_name(cp->src, sql_tables(cp->src), NULL, add_name, &s) < 0 ||
	    each_name(cp->dst, sql_tables(cp->dst), NULL, add_name, &d) < 0 || s.overflow || d.overflow) {
		fprintf(stderr, "kefu migrate-db: cannot list the tables\n");
		return -1;
	}
	for (int i = 0; i < s.n; i++) {
		if (skipped_table(s.v[i]))
			continue;
		if (!has_name(&d, s.v[i])) {
			fprintf(stderr, "kefu migrate-db: the target has no table %s\n", s.v[i]);
			return -1;
		}
		struct mtable *t = &cp->t[cp->n++];
		snprintf(t->name, sizeof(t->name), "%s", s.v[i]);
		if (describe(cp, t) < 0)
			return -1;
	}
	return 0;
}

static struct mtable *find_table(struct copy *cp, const char *name)
{
	for (int i = 0; i < cp->n; i++)
		if (!strcmp(cp->t[i].name, name))
			return &cp->t[i];
	return NULL;
}

/* Orders the tables so that referenced tables come first (self-references
 * and cycles are broken in schema order). */
static void order_tables(struct copy *cp)
{
	int placed = 0;
	while (placed < cp->n) {
		int progress = 0;
		for (int i = 0; i < cp->n; i++) {
			struct mtable *t = &cp->t[i];
			int ready = !t->done;
			for (int k = 0; ready && k < t->ndeps; k++) {
				struct mtable *dep = find_table(cp, t->deps[k]);
				ready = !dep || dep == t || dep->done;
			}
			if (ready) {
				t->done = 1;
				cp->order[placed++] = t;
				progress = 1;
			}
		}
		for (int i = 0; !progress && i < cp->n; i++)
			if (!cp->t[i].done) { /* a cycle: take the first left */
				cp->t[i].done = 1;
				cp->order[placed++] = &cp->t[i];
				progress = 1;
			}
	}
}

static void column_list(const struct mtable *t, char *out, size_t size)
{
	size_t off = 0;
	for (int i = 0; i < t->ncols && off < size; i++)
		off += (size_t)snprintf(out + off, size - off, "%s%s", i ? ", " : "", t->cols[i]);
}

/* FNV-1a over the row's values as text, a NULL hashed apart from "". */
static uint64_t row_hash(db_stmt *st, int ncols)
{
	uint64_t h = 1469598103934665603ULL;
	for (int i = 0; i < ncols; i++) {
		const unsigned char *p = (const unsigned char *)(db_col_null(st, i) ? "\xff" : db_col_text(st, i));
		for (; *p; p++)
			h = (h ^ *p) * 1099511628211ULL;
		h = (h ^ 0x1f) * 1099511628211ULL; /* column separator */
	}
	return h;
}

/* Count and checksum of a table on one side. */
static int table_sums(db *d, const struct mtable *t, int64_t *rows, int64_t *sum)
{
	char cols[MAX_COLS * (NAME_SIZE + 2)], sql[sizeof(cols) + 128];
	column_list(t, cols, sizeof(cols));
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s", cols, t->name);
	db_stmt *st;
	if (db_query(d, sql, DB_ARGS(), &st) < 0)
		return -1;
	uint64_t s = 0;
	int rc;
	*rows = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		s += row_hash(st, t->ncols);
		(*rows)++;
	}
	db_done(st);
	*sum = (int64_t)s;
	return rc < 0 ? -1 : 0;
}

/* Copies one table in transactions of cp->batch rows, summing the source
 * rows as they pass. */
static int copy_table(struct copy *cp, struct mtable *t)
{
	char cols[MAX_COLS * (NAME_SIZE + 2)], sel[sizeof(cols) + 128], ins[sizeof(cols) * 2 + 128];
	column_list(t, cols, sizeof(cols));
	snprintf(sel, sizeof(sel), "SELECT %s FROM %s", cols, t->name);
	int off = snprintf(ins, sizeof(ins), "INSERT INTO %s (%s) VALUES (", t->name, cols);
	for (int i = 0; i < t->ncols; i++)
		off += snprintf(ins + off, sizeof(ins) - (size_t)off, "%s?", i ? ", " : "");
	snprintf(ins + off, sizeof(ins) - (size_t)off, ")");
	db_stmt *st;
	if (db_query(cp->src, sel, DB_ARGS(), &st) < 0)
		return -1;
	db_val args[MAX_COLS];
	uint64_t sum = 0;
	int rc, in_tx = 0, failed = 0;
	while (!failed && (rc = db_step(st)) == DB_ROW) {
		if (!in_tx && db_begin(cp->dst) < 0) {
			failed = 1;
			break;
		}
		in_tx = 1;
		for (int i = 0; i < t->ncols; i++)
			args[i] = db_col_null(st, i) ? DBNULL : DBT(db_col_text(st, i));
		sum += row_hash(st, t->ncols);
		failed = db_exec(cp->dst, ins, args, t->ncols) < 0;
		if (!failed && ++t->rows % cp->batch == 0) {
			failed = db_commit(cp->dst) < 0;
			in_tx = 0;
		}
	}
	db_done(st);
	if (!failed && in_tx)
		failed = db_commit(cp->dst) < 0;
	else if (failed && in_tx)
		db_rollback(cp->dst);
	if (failed || rc < 0) {
		fprintf(stderr, "kefu migrate-db: copying %s: %s\n", t->name,
			failed ? db_errmsg(cp->dst) : db_errmsg(cp->src));
		return -1;
	}
	t->sum = (int64_t)sum;
	return 0;
}

/* Empties the target's tables of the rows its migrations seeded (the source
 * has them too), referencing tables first. */
static int clear_target(struct copy *cp)
{
	char sql[NAME_SIZE + 32];
	if (db_begin(cp->dst) < 0)
		return -1;
	for (int i = cp->n - 1; i >= 0; i--) {
		snprintf(sql, sizeof(sql), "DELETE FROM %s", cp->order[i]->name);
		if (db_exec(cp->dst, sql, DB_ARGS()) < 0) {
			fprintf(stderr, "kefu migrate-db: %s\n", db_errmsg(cp->dst));
			db_rollback(cp->dst);
			return -1;
		}
	}
	return db_commit(cp->dst);
}

/* PostgreSQL identity columns: the next id follows the copied ones. */
static int reset_sequences(struct copy *cp)
{
	char sql[3 * NAME_SIZE + 160];
	for (int i = 0; i < cp->n; i++) {
		struct mtable *t = &cp->t[i];
		if (strcmp(t->cols[0], "id"))
			continue;
		snprintf(sql, sizeof(sql),
			 "SELECT setval(pg_get_serial_sequence('%s', 'id'), "
			 "(SELECT COALESCE(MAX(id), 0) + 1 FROM %s), false)",
			 t->name, t->name);
		db_stmt *st;
		int rc = db_query(cp->dst, sql, DB_ARGS(), &st);
		if (rc >= 0) {
			rc = db_step(st);
			db_done(st);
		}
		if (rc < 0) {
			fprintf(stderr, "kefu migrate-db: sequence of %s: %s\n", t->name, db_errmsg(cp->dst));
			return -1;
		}
	}
	return 0;
}

/* Compares every table's count and checksum; prints one line per table. */
static int verify(struct copy *cp)
{
	int bad = 0;
	int64_t total = 0;
	printf("%-28s %10s  %-16s %s\n", "table", "rows", "checksum", "");
	for (int i = 0; i < cp->n; i++) {
		struct mtable *t = cp->order[i];
		int64_t rows, sum;
		if (table_sums(cp->dst, t, &rows, &sum) < 0) {
			fprintf(stderr, "kefu migrate-db: reading %s back: %s\n", t->name, db_errmsg(cp->dst));
			return -1;
		}
		int same = rows == t->rows && sum == t->sum;
		printf("%-28s %10lld  %016llx %s\n", t->name, (long long)rows, (unsigned long long)sum,
		       same ? "ok" : "MISMATCH");
		if (!same)
			printf("  source: %lld rows, checksum %016llx\n", (long long)t->rows,
			       (unsigned long long)t->sum);
		bad |= !same;
		total += rows;
	}
	printf("%d tables, %lld rows: %s\n", cp->n, (long long)total, bad ? "MISMATCH" : "all equal");
	return bad ? -1 : 0;
}

static void count_one(void *ctx, const char *name)
{
	(void)name;
	(*(int *)ctx)++;
}

/* The number of tables in a database (-1 on error): a target must have none. */
static int count_tables(db *d)
{
	int n = 0;
	return each_name(d, sql_tables(d), NULL, count_one, &n) < 0 ? -1 : n;
}

/* Opens both ends: the source at this kefu's schema, the target empty. */
static int open_ends(struct copy *cp, const char *from, const char *to)
{
	char err[512];
	if (db_open(from, &cp->src, err, sizeof(err)) < 0) {
		fprintf(stderr, "kefu migrate-db: --from: %s\n", err);
		return EXIT_DB;
	}
	int have = store_schema_version(cp->src);
	if (have != store_latest_version()) {
		fprintf(stderr, "kefu migrate-db: the source is at schema %d, this kefu at %d: run "
				"kefu migrate --db SOURCE first (with the same kefu)\n",
			have, store_latest_version());
		return EXIT_FAIL;
	}
	if (db_open(to, &cp->dst, err, sizeof(err)) < 0) {
		fprintf(stderr, "kefu migrate-db: --to: %s\n", err);
		return EXIT_DB;
	}
	if (count_tables(cp->dst) != 0) {
		fprintf(stderr, "kefu migrate-db: the target already holds a kefu database: "
				"refusing to copy into it (use a new, empty database)\n");
		return EXIT_FAIL;
	}
	if (store_migrate(cp->dst, 0, err, sizeof(err)) < 0) {
		fprintf(stderr, "kefu migrate-db: preparing the target: %s\n", err);
		return EXIT_DB;
	}
	return EXIT_OK;
}

static int run_copy(struct copy *cp)
{
	if (list_tables(cp) < 0)
		return EXIT_FAIL;
	order_tables(cp);
	if (clear_target(cp) < 0)
		return EXIT_FAIL;
	int64_t t0 = util_mono_us();
	for (int i = 0; i < cp->n; i++) {
		if (copy_table(cp, cp->order[i]) < 0)
			return EXIT_FAIL;
		fprintf(stderr, "  %-28s %lld rows\n", cp->order[i]->name, (long long)cp->order[i]->rows);
	}
	if (is_pg(cp->dst) && reset_sequences(cp) < 0)
		return EXIT_FAIL;
	fprintf(stderr, "copied in %.1f s; rebuilding the search index\n",
		(double)(util_mono_us() - t0) / 1e6);
	struct search_reindex_stats st = {{0}, {0}};
	if (search_reindex(cp->dst, -1, NULL, NULL, &st) < 0) {
		fprintf(stderr, "kefu migrate-db: search index: %s\n", db_errmsg(cp->dst));
		return EXIT_FAIL;
	}
	return verify(cp) < 0 ? EXIT_FAIL : EXIT_OK;
}

int cmd_migrate_db(int argc, char **argv)
{
	static const char usage[] =
		"usage: kefu migrate-db --from URL --to URL [--batch N]   (the target must be empty)\n";
	const char *from = NULL, *to = NULL;
	int64_t batch = 1000;
	static const struct option opts[] = {{"from", required_argument, 0, 'f'},
					     {"to", required_argument, 0, 't'},
					     {"batch", required_argument, 0, 'b'},
					     {0, 0, 0, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			from = optarg;
		else if (c == 't')
			to = optarg;
		else if (c == 'b' && util_parse_i64(optarg, &batch) == 0 && batch >= 1 && batch <= 100000)
			continue;
		else {
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (!from || !to || optind != argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	static struct copy cp; /* large: not on the stack */
	memset(&cp, 0, sizeof(cp));
	cp.batch = (int)batch;
	int rc = open_ends(&cp, from, to);
	if (rc == EXIT_OK)
		rc = run_copy(&cp);
	db_close(cp.src);
	db_close(cp.dst);
	return rc;
}
