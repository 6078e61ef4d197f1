/* backup.h - copies of an SQLite database taken while kefu serve runs, and
 * their checks.  (PostgreSQL is backed up with pg_dump: cli/backup.c.) */
#ifndef KF_STORE_BACKUP_H
#define KF_STORE_BACKUP_H

#include <stdint.h>

/* Copies the live database at src into the new file dst with SQLite's online
 * backup API, a few hundred pages at a time so writers are held up only
 * briefly (a write in between restarts the copy from there; the result is
 * one consistent snapshot).  dst must not exist.  Returns 0, or -1 with the
 * reason in err. */
int backup_sqlite(const char *src, const char *dst, char *err, int errlen);

/* Checks that path is a whole SQLite file holding a kefu database:
 * PRAGMA integrity_check says ok and schema_migrations is there.  Sets
 * *version to its schema version.  Returns 0 or -1 with the reason. */
int backup_check_sqlite(const char *path, int *version, char *err, int errlen);

/* Replaces the database at dst with the copy at src (checked first), through
 * the backup API into dst, so the WAL and the other files stay right.
 * Returns 0 or -1 with the reason. */
int restore_sqlite(const char *src, const char *dst, char *err, int errlen);

#endif
