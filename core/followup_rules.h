/* followup_rules.h - the calendar arithmetic of the follow-up rules
 * (DOMAIN §3): the next birthday or anniversary from a stored date
 * ("YYYY-MM-DD" or "MM-DD"), a date N months on (maintenance reminders),
 * and whether a dated visit is within its lead time.  Days are local days
 * since 1970-01-01 (core/bizcal.h).  Pure. */
#ifndef KF_CORE_FOLLOWUP_RULES_H
#define KF_CORE_FOLLOWUP_RULES_H

#include <stdint.h>

/* The first day >= from whose month and day are those of date (a
 * 29 February falls on 28 February in common years); the year of that
 * occurrence in *year.  -1 if date is malformed. */
int fur_next_yearly(const char *date, int32_t from, int32_t *out, int *year);

/* The day `months` months after day (the month's last day when the day of
 * the month does not exist: 31 January + 1 month = 28/29 February). */
int32_t fur_add_months(int32_t day, int months);

#endif
