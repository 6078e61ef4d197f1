/* bizcal.h - a business calendar: weekly working hours, public holidays
 * and make-up workdays (调休), and arithmetic in business minutes.
 *
 * Everything here works in LOCAL minutes: minutes since 1970-01-01 00:00
 * in the company's time zone (the app converts UTC milliseconds with the
 * zone's rules, see app/tz.c).  Day numbers are days since 1970-01-01.
 *
 * A day's working intervals are, in order of precedence:
 *   a holiday (by date)          none;
 *   a make-up workday (by date)  the hours of the first weekday, from
 *                                Monday on, that has any (a Saturday
 *                                worked for a holiday is a normal workday);
 *   any other day                the hours of its weekday.
 *
 * Text format (bizcal_parse / bizcal_format), one statement a line:
 *   # a comment (also after a statement)
 *   hours mon-fri 09:00-12:00,13:00-18:00
 *   hours sat 09:00-12:00
 *   hours sun off
 *   2025-05-31..2025-06-02 holiday 端午节
 *   2025-04-27 workday 劳动节调休
 * Weekdays are mon tue wed thu fri sat sun, as a list or ranges
 * ("mon-wed,fri"); intervals are HH:MM-HH:MM (24:00 ends the day), in
 * order, not overlapping, at most BIZCAL_MAX_INTERVALS a day.  A file with
 * any `hours` line defines the whole week (days it does not name are off);
 * a file without keeps the calendar's hours.  Dates are YYYY-MM-DD, a
 * range is inclusive, the name is the rest of the line (optional).
 *
 * Pure: no I/O.  The days live in storage the caller provides. */
#ifndef KF_CORE_BIZCAL_H
#define KF_CORE_BIZCAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum { BIZCAL_MAX_INTERVALS = 4, BIZCAL_NAME_SIZE = 64, BIZCAL_MAX_SCAN_DAYS = 3660 };

enum bizcal_kind { BIZCAL_NORMAL = 0, BIZCAL_HOLIDAY = 1, BIZCAL_WORKDAY = 2 };

struct bizcal_interval {
	int start, end; /* minutes of the day, 0 <= start < end <= 1440 */
};

struct bizcal_day {
	int32_t day; /* days since 1970-01-01 */
	enum bizcal_kind kind;
	char name[BIZCAL_NAME_SIZE];
	int line; /* where bizcal_parse found it (0 otherwise) */
};

struct bizcal {
	struct bizcal_interval hours[7][BIZCAL_MAX_INTERVALS]; /* [0] = Monday */
	int nhours[7];
	struct bizcal_day *days; /* sorted by day, unique */
	size_t ndays, cap;
};

/* An empty calendar (no working time) whose dates go to storage[0..cap). */
void bizcal_init(struct bizcal *c, struct bizcal_day *storage, size_t cap);
/* Mon-Fri 09:00-12:00 and 13:00-18:00, weekends off. */
void bizcal_default_hours(struct bizcal *c);
/* Sets one weekday's intervals (weekday 1 = Monday .. 7 = Sunday; n = 0
 * makes it a day off).  KF_EINVAL if they are out of range, out of order
 * or overlapping, or more than BIZCAL_MAX_INTERVALS. */
int bizcal_set_hours(struct bizcal *c, int weekday, const struct bizcal_interval *iv, int n,
		     kf_err *e);
/* Adds a holiday or make-up workday.  KF_ECONFLICT if the date is there
 * already, KF_EINVAL if storage is full or the kind is not one of the two. */
int bizcal_add_day(struct bizcal *c, int32_t day, enum bizcal_kind kind, const char *name,
		   kf_err *e);
/* The entry for a date, or NULL. */
const struct bizcal_day *bizcal_find_day(const struct bizcal *c, int32_t day);
/* The working intervals of a date; returns their number (0: day off). */
int bizcal_intervals(const struct bizcal *c, int32_t day, const struct bizcal_interval **out);
/* 1 if the calendar has any working time at all. */
int bizcal_has_hours(const struct bizcal *c);

/* The local minute that lies `minutes` business minutes after start:
 * work counted from start (or the next working minute after it) on; a
 * result that lands on the end of an interval is that end (12:00, not
 * 13:00).  0 minutes gives start itself.  KF_EINVAL if minutes < 0 or no
 * working time is found within BIZCAL_MAX_SCAN_DAYS days. */
int bizcal_add(const struct bizcal *c, int64_t start, int64_t minutes, int64_t *out, kf_err *e);
/* Business minutes in [a, b); negative (minus those in [b, a)) if b < a. */
int64_t bizcal_between(const struct bizcal *c, int64_t a, int64_t b);

/* Dates. */
int32_t bizcal_days_from_civil(int y, int m, int d);
void bizcal_civil_from_days(int32_t day, int *y, int *m, int *d);
/* 1 = Monday .. 7 = Sunday. */
int bizcal_weekday(int32_t day);
/* "YYYY-MM-DD" (a real date, years 1900..2100) → day number; 0 or -1. */
int bizcal_parse_date(const char *s, int32_t *day);
/* floor(a / b) for b > 0. */
int64_t bizcal_floor_div(int64_t a, int64_t b);

/* Reads the text format into c (see above).  On an error returns KF_EINVAL
 * (or KF_ECONFLICT for a date given twice) with the message naming the
 * line, and *line set to it; c is then partly filled. */
int bizcal_parse(struct bizcal *c, const char *text, int *line, kf_err *e);
/* Writes c in the text format (days grouped into ranges of the same kind
 * and name, weekdays with the same hours into one line).  Returns the
 * length it needs, like snprintf; out is NUL-terminated when outlen > 0. */
size_t bizcal_format(const struct bizcal *c, char *out, size_t outlen);

#endif
