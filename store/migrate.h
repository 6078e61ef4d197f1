/* migrate.h - versioned schema migrations embedded in the binary.
 *
 * The SQL files in store/migrations/ are compiled in (scripts/embed_sql.py).
 * They are written once for both backends; `{{ID}}` stands for an
 * auto-increment primary key and is replaced per backend. */
#ifndef KF_STORE_MIGRATE_H
#define KF_STORE_MIGRATE_H

#include "store/db.h"

struct migration {
	int version;
	const char *name;
	const char *sql;
};

/* Terminated by {0, 0, 0}. */
extern const struct migration store_migrations[];

/* Applies every migration not yet applied, each in its own transaction.
 * Prints one line per migration applied when verbose.  Returns the number
 * applied (>= 0) or < 0 with the reason in errbuf. */
int store_migrate(db *d, int verbose, char *errbuf, int errlen);
/* The same, applying only the migrations numbered up to `upto` (0: all): a
 * staged upgrade, and the tests of upgrades from an old schema. */
int store_migrate_to(db *d, int upto, int verbose, char *errbuf, int errlen);
/* The highest applied version (0 for an empty database), or < 0. */
int store_schema_version(db *d);
/* The highest version this binary knows. */
int store_latest_version(void);

#endif
