/* tz.h - UTC milliseconds ⇄ local minutes in a named time zone (ICU).
 *
 * Business rules (working hours, holidays, case numbers by local date)
 * are evaluated in the company's zone (settings.business_timezone,
 * "Asia/Shanghai" by default), never in the process-wide TZ.  ICU's own
 * zone data is used, so a zone with daylight saving time works as well as
 * China's (which has none).  Each thread keeps one ICU calendar per zone
 * it last used (ICU calendars are not thread-safe); it is closed when the
 * thread exits. */
#ifndef KF_APP_TZ_H
#define KF_APP_TZ_H

#include <stdint.h>

#include "core/err.h"

/* 0 if zone is an IANA zone ICU knows, else KF_EINVAL naming field. */
int tz_check(const char *zone, const char *field, kf_err *e);
/* Local minutes since 1970-01-01 00:00 local time (floor). */
int tz_local_min(const char *zone, int64_t utc_ms, int64_t *local_min, kf_err *e);
/* The UTC milliseconds of a local minute (a time skipped by a DST change
 * moves forward, as ICU's lenient calendar does). */
int tz_utc_ms(const char *zone, int64_t local_min, int64_t *utc_ms, kf_err *e);

#endif
