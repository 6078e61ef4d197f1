/* backup.c - online copies of an SQLite database (backup.h). */
#include "store/backup.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { STEP_PAGES = 256, BUSY_MS = 5000 };

static int fail(char *err, int errlen, sqlite3 *h, const char *what)
{
	snprintf(err, (size_t)errlen, "%s: %s", what, h ? sqlite3_errmsg(h) : "out of memory");
	return -1;
}

/* Copies every page of from (schema "main") into to; both are open. */
static int copy(sqlite3 *from, sqlite3 *to, char *err, int errlen)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	if (!b)
		return fail(err, errlen, to, "cannot start the copy");
	int rc;
	do {
		rc = sqlite3_backup_step(b, STEP_PAGES);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
		else if (rc == SQLITE_OK)
			sqlite3_sleep(1); /* let the writers in between steps */
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, (size_t)errlen, "the copy failed: %s", sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

static int open_ro(const char *path, sqlite3 **h, char *err, int errlen)
{
	if (access(path, R_OK) != 0) {
		snprintf(err, (size_t)errlen, "cannot read %s", path);
		return -1;
	}
	if (sqlite3_open_v2(path, h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fail(err, errlen, *h, path);
		sqlite3_close(*h);
		*h = NULL;
		return -1;
	}
	sqlite3_busy_timeout(*h, BUSY_MS);
	return 0;
}

int backup_sqlite(const char *src, const char *dst, char *err, int errlen)
{
	struct stat st;
	if (stat(dst, &st) == 0) {
		snprintf(err, (size_t)errlen, "%s exists already: give a new file name", dst);
		return -1;
	}
	sqlite3 *from = NULL, *to = NULL;
	if (open_ro(src, &from, err, errlen) < 0)
		return -1;
	int rc = -1;
	if (sqlite3_open_v2(dst, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fail(err, errlen, to, dst);
		goto out;
	}
	rc = copy(from, to, err, errlen);
	/* The copy is a plain rollback-journal file: one file to keep. */
	if (rc == 0 && sqlite3_exec(to, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
		rc = fail(err, errlen, to, "cannot finish the copy");
out:
	sqlite3_close(from);
	sqlite3_close(to);
	if (rc < 0)
		unlink(dst);
	return rc;
}

int backup_check_sqlite(const char *path, int *version, char *err, int errlen)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	*version = 0;
	if (open_ro(path, &h, err, errlen) < 0)
		return -1;
	int rc = -1;
	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK) {
		fail(err, errlen, h, "not an SQLite database");
		goto out;
	}
	if (sqlite3_step(s) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(s, 0), "ok")) {
		snprintf(err, (size_t)errlen, "%s is damaged: %s", path,
			 sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0) : sqlite3_errmsg(h));
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (sqlite3_prepare_v2(h, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", -1, &s,
			       NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		snprintf(err, (size_t)errlen, "%s is not a kefu database (no schema_migrations)", path);
		goto out;
	}
	*version = sqlite3_column_int(s, 0);
	rc = 0;
out:
	sqlite3_finalize(s);
	sqlite3_close(h);
	return rc;
}

int restore_sqlite(const char *src, const char *dst, char *err, int errlen)
{
	int version;
	if (backup_check_sqlite(src, &version, err, errlen) < 0)
		return -1;
	sqlite3 *from = NULL, *to = NULL;
	if (open_ro(src, &from, err, errlen) < 0)
		return -1;
	int rc = -1;
	if (sqlite3_open_v2(dst, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fail(err, errlen, to, dst);
		goto out;
	}
	sqlite3_busy_timeout(to, BUSY_MS);
	rc = copy(from, to, err, errlen);
	if (rc == 0 && sqlite3_exec(to, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK)
		rc = fail(err, errlen, to, "cannot finish the restore");
out:
	sqlite3_close(from);
	sqlite3_close(to);
	return rc;
}
