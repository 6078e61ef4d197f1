/* sla.h - service-level targets of a case (DOMAIN §2, §7).
 *
 * A policy gives a first-response and a resolution target in business
 * minutes for the cases it matches by type × priority × customer value
 * (value_class: key / ordinary) × pyramid tier; any of the four may be a
 * wildcard.  The most specific policy wins: the one that names the most
 * of the four; between equally specific ones, the one naming the earlier
 * of type, priority, value_class, tier; then the first given.
 *
 * Targets are counted on a business calendar (core/bizcal.h) in local
 * minutes.  While a case waits on the customer the clock stops: pausing
 * stores the business minutes left, resuming sets a new due time that
 * many business minutes after the resume.  A target already missed when
 * the case is paused stays missed.  Pure: no I/O. */
#ifndef KF_CORE_SLA_H
#define KF_CORE_SLA_H

#include <stddef.h>
#include <stdint.h>

#include "core/bizcal.h"

struct sla_policy {
	int64_t id;
	const char *case_type; /* NULL or "" matches any */
	const char *priority;
	const char *value_class;
	const char *tier;
	int64_t first_response_min; /* business minutes; 0: no target */
	int64_t resolution_min;
};

/* The index of the policy that applies, or -1 if none matches. */
int sla_policy_match(const struct sla_policy *p, size_t n, const char *case_type,
		     const char *priority, const char *value_class, const char *tier);

enum sla_status {
	SLA_NONE,     /* no target */
	SLA_RUNNING,  /* due in the future */
	SLA_PAUSED,   /* the clock is stopped while the case waits on the customer */
	SLA_BREACHED, /* due in the past, not met yet */
	SLA_MET,      /* met in time */
	SLA_MISSED,   /* met, but late */
};

/* The status of one target.  All times in the same unit (UTC ms in the
 * app); 0 means "none": due 0 = no target, done 0 = not met,
 * paused_at 0 = not paused. */
enum sla_status sla_status(int64_t due, int64_t done, int64_t paused_at, int64_t now);
const char *sla_status_name(enum sla_status s);

/* Pausing at `now` (local minutes): the business minutes left until due,
 * negative if it was missed already. */
int64_t sla_pause(const struct bizcal *c, int64_t now, int64_t due);
/* Resuming at `now` with `left` business minutes: the new due time.  A
 * target missed before the pause (left <= 0) keeps old_due. */
int sla_resume(const struct bizcal *c, int64_t now, int64_t left, int64_t old_due, int64_t *due,
	       kf_err *e);

/* The earliest due time among targets that are pending (due set, not
 * done), or 0 if none; what the overdue view and the breach job look at. */
int64_t sla_next_due(int64_t fr_due, int64_t fr_done, int64_t res_due, int64_t res_done);

#endif
