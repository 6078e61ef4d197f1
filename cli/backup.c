/* backup.c - `kefu backup` and `kefu restore`.
 *
 *   kefu backup  --db URL --out FILE             a consistent copy, taken while
 *                                                kefu serve runs
 *   kefu restore --db URL --from FILE [--force]  put a copy back (kefu serve
 *                                                stopped), then migrate it
 *
 * SQLite: the online backup API (store/backup.c); the copy is one SQLite
 * file, checked with PRAGMA integrity_check after it is written and again
 * before it is restored.  PostgreSQL: pg_dump's custom format and
 * pg_restore (the client tools of the server's major version), with the
 * same checks around them.  A restore refuses to overwrite a database that
 * holds data unless --force, and a copy newer than this kefu.  After a
 * restore the pending migrations run, so a copy made by an older kefu comes
 * back at the current schema. */
#include "cli/cli.h"

#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/common.h"
#include "store/backup.h"
#include "store/migrate.h"

extern char **environ;

static int is_pg(const char *url)
{
	return !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13);
}

static const char *sqlite_path(const char *url)
{
	return strncmp(url, "sqlite:", 7) ? url : url + 7;
}

/* Runs argv[0] (found on PATH) and waits; returns its exit status or -1. */
static int run(char *const argv[])
{
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
	if (rc != 0) {
		fprintf(stderr, "kefu: cannot run %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* The schema version of the database at url (0 when empty), or -1. */
static int db_version(const char *url, char *err, int errlen)
{
	db *d;
	if (db_open(url, &d, err, errlen) < 0)
		return -1;
	int v = store_schema_version(d);
	if (v < 0)
		v = 0; /* no schema_migrations: an empty database */
	db_close(d);
	return v;
}

static int parse(int argc, char **argv, const char *file_opt, const char **url, const char **file,
		 int *force, const char *usage)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"out", required_argument, 0, 'o'},
					     {"from", required_argument, 0, 'f'},
					     {"force", no_argument, 0, 'F'},
					     {0, 0, 0, 0}};
	int c;
	const char *dburl = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			dburl = optarg;
		else if ((c == 'o' && !strcmp(file_opt, "out")) || (c == 'f' && !strcmp(file_opt, "from")))
			*file = optarg;
		else if (c == 'F' && force)
			*force = 1;
		else {
			fprintf(stderr, "usage: %s\n", usage);
			return EXIT_USAGE;
		}
	}
	if (!*file || optind != argc) {
		fprintf(stderr, "usage: %s\n", usage);
		return EXIT_USAGE;
	}
	*url = cli_db_url(dburl);
	return EXIT_OK;
}

int cmd_backup(int argc, char **argv)
{
	const char *url, *out = NULL;
	int rc = parse(argc, argv, "out", &url, &out, NULL, "kefu backup [--db URL] --out FILE");
	if (rc != EXIT_OK)
		return rc;
	char err[512];
	if (access(out, F_OK) == 0) {
		fprintf(stderr, "kefu: %s exists already: give a new file name\n", out);
		return EXIT_FAIL;
	}
	int version = db_version(url, err, sizeof(err));
	if (version < 0) {
		fprintf(stderr, "kefu: %s\n", err);
		return EXIT_DB;
	}
	if (is_pg(url)) {
		char *const dump[] = {"pg_dump", "--format=custom", "--no-owner", "--no-privileges",
				      "--file", (char *)out, (char *)url, NULL};
		if (run(dump) != 0) {
			fprintf(stderr, "kefu: pg_dump failed (is the client of the server's version installed?)\n");
			unlink(out);
			return EXIT_FAIL;
		}
		char *const list[] = {"pg_restore", "--list", "--file", "/dev/null", (char *)out, NULL};
		if (run(list) != 0) {
			fprintf(stderr, "kefu: the dump %s cannot be read back\n", out);
			return EXIT_FAIL;
		}
	} else {
		if (backup_sqlite(sqlite_path(url), out, err, sizeof(err)) < 0) {
			fprintf(stderr, "kefu: %s\n", err);
			return EXIT_FAIL;
		}
		int v;
		if (backup_check_sqlite(out, &v, err, sizeof(err)) < 0) {
			fprintf(stderr, "kefu: the copy does not check: %s\n", err);
			unlink(out);
			return EXIT_FAIL;
		}
		version = v;
	}
	printf("backup: %s (%lld bytes, schema version %d, checked)\n", out, file_size(out), version);
	return EXIT_OK;
}

int cmd_restore(int argc, char **argv)
{
	const char *url, *from = NULL;
	int force = 0;
	int rc = parse(argc, argv, "from", &url, &from, &force,
		       "kefu restore [--db URL] --from FILE [--force]   (stop kefu serve first)");
	if (rc != EXIT_OK)
		return rc;
	char err[512];
	if (access(from, R_OK) != 0) {
		fprintf(stderr, "kefu: cannot read %s\n", from);
		return EXIT_FAIL;
	}
	int have = 0;
	if (is_pg(url) || access(sqlite_path(url), F_OK) == 0) {
		have = db_version(url, err, sizeof(err));
		if (have < 0) {
			fprintf(stderr, "kefu: %s\n", err);
			return EXIT_DB;
		}
	}
	if (have > 0 && !force) {
		fprintf(stderr,
			"kefu: the database at %s holds data (schema version %d); restoring replaces all "
			"of it: add --force\n",
			url, have);
		return EXIT_FAIL;
	}
	if (is_pg(url)) {
		char *const list[] = {"pg_restore", "--list", "--file", "/dev/null", (char *)from, NULL};
		if (run(list) != 0) {
			fprintf(stderr, "kefu: %s is not a dump made by kefu backup (pg_dump custom format)\n", from);
			return EXIT_FAIL;
		}
		char *const restore[] = {"pg_restore", "--clean",	   "--if-exists", "--no-owner",
					 "--no-privileges", "--exit-on-error", "--single-transaction",
					 "--dbname",	  (char *)url,	   (char *)from,  NULL};
		if (run(restore) != 0) {
			fprintf(stderr, "kefu: pg_restore failed; the database was left as it was\n");
			return EXIT_FAIL;
		}
	} else {
		int v;
		if (backup_check_sqlite(from, &v, err, sizeof(err)) < 0) {
			fprintf(stderr, "kefu: %s\n", err);
			return EXIT_FAIL;
		}
		if (v > store_latest_version()) {
			fprintf(stderr, "kefu: the copy is at schema version %d, newer than this kefu (%d)\n", v,
				store_latest_version());
			return EXIT_FAIL;
		}
		if (restore_sqlite(from, sqlite_path(url), err, sizeof(err)) < 0) {
			fprintf(stderr, "kefu: %s\n", err);
			return EXIT_FAIL;
		}
	}
	db *d;
	if (db_open(url, &d, err, sizeof(err)) < 0) {
		fprintf(stderr, "kefu: %s\n", err);
		return EXIT_DB;
	}
	int before = store_schema_version(d);
	int n = store_migrate(d, 1, err, sizeof(err));
	db_close(d);
	if (n < 0) {
		fprintf(stderr, "kefu: restored, but the migrations failed: %s\n", err);
		return EXIT_DB;
	}
	printf("restored %s into %s (schema version %d%s)\n", from, url, before + 0,
	       n ? ", then migrated to the current one" : ", current");
	return EXIT_OK;
}
