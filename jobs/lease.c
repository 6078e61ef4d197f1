#include "jobs/lease.h"

#include "lib/common.h"

int lease_claim(db *d, const char *name, const char *holder, int64_t now, int64_t ttl_ms)
{
	/* The row may be missing for a job added after the migration. */
	if (db_exec(d, "INSERT INTO job_leases (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
		    DB_ARGS(DBT(name))) < 0)
		return -1;
	int rc = db_exec(d,
			 "UPDATE job_leases SET holder = ?, expires_at = ? WHERE name = ?"
			 " AND (expires_at < ? OR holder = ?)",
			 DB_ARGS(DBT(holder), DBI(now + ttl_ms), DBT(name), DBI(now), DBT(holder)));
	return rc < 0 ? -1 : rc > 0;
}

int lease_release(db *d, const char *name, const char *holder, int64_t now, const char *result)
{
	int rc = db_exec(d,
			 "UPDATE job_leases SET holder = '', expires_at = 0, last_run_at = ?,"
			 " last_result = ? WHERE name = ? AND holder = ?",
			 DB_ARGS(DBI(now), DBT(result), DBT(name), DBT(holder)));
	return rc < 0 ? -1 : 0;
}
