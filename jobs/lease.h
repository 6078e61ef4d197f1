/* lease.h - one instance at a time runs a job: it holds the job's lease
 * row (job_leases) until the lease expires or it lets go.
 *
 * A claim is one UPDATE that succeeds only if the lease is free (expired)
 * or already ours, so it works the same on SQLite and on PostgreSQL with
 * any number of `kefu serve` instances; a crashed holder's lease simply
 * expires.  The caller runs the job in transactions of its own. */
#ifndef KF_JOBS_LEASE_H
#define KF_JOBS_LEASE_H

#include <stdint.h>

#include "store/db.h"

/* 1 if holder now holds the lease `name` until now + ttl_ms, 0 if
 * another holder does, < 0 on a database error. */
int lease_claim(db *d, const char *name, const char *holder, int64_t now, int64_t ttl_ms);
/* Lets go of a lease held by holder, recording when it ran and a line
 * saying what it did. */
int lease_release(db *d, const char *name, const char *holder, int64_t now, const char *result);

#endif
