/* ical.c - see ical.h. */
#include "core/ical.h"

#include <stdio.h>

#include "core/bizcal.h"
#include "core/vcard.h"
#include "lib/common.h"

int ical_utc(int64_t ms, char out[ICAL_UTC_SIZE])
{
	if (ms < 0 || ms >= 253402300800000LL) /* 10000-01-01 */
		return -1;
	int64_t s = ms / 1000, days = s / 86400, rest = s % 86400;
	int y, m, d;
	bizcal_civil_from_days((int32_t)days, &y, &m, &d);
	/* unsigned and reduced, so that the compiler sees the width */
	snprintf(out, ICAL_UTC_SIZE, "%04u%02u%02uT%02u%02u%02uZ", (unsigned)y % 10000u,
		 (unsigned)m % 100u, (unsigned)d % 100u, (unsigned)(rest / 3600) % 100u,
		 (unsigned)(rest / 60 % 60), (unsigned)(rest % 60));
	return 0;
}

int ical_begin(buf *b, const char *prodid, const char *name)
{
	int rc = buf_puts(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	if (rc == 0)
		rc = vcard_text(b, "PRODID", NULL, prodid);
	if (rc == 0)
		rc = buf_puts(b, "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
	if (rc == 0 && name)
		rc = vcard_text(b, "X-WR-CALNAME", NULL, name);
	return rc;
}

int ical_event(buf *b, const struct ical_event *e)
{
	char stamp[ICAL_UTC_SIZE], start[ICAL_UTC_SIZE], end[ICAL_UTC_SIZE];
	if (!e->uid || !*e->uid || !e->summary || !*e->summary || e->end_ms <= e->start_ms ||
	    ical_utc(e->stamp_ms, stamp) < 0 || ical_utc(e->start_ms, start) < 0 ||
	    ical_utc(e->end_ms, end) < 0)
		return -1;
	int rc = buf_puts(b, "BEGIN:VEVENT\r\n");
	if (rc == 0)
		rc = vcard_text(b, "UID", NULL, e->uid);
	if (rc == 0)
		rc = vcard_raw(b, "DTSTAMP", NULL, stamp);
	if (rc == 0)
		rc = vcard_raw(b, "DTSTART", NULL, start);
	if (rc == 0)
		rc = vcard_raw(b, "DTEND", NULL, end);
	if (rc == 0)
		rc = vcard_text(b, "SUMMARY", NULL, e->summary);
	if (rc == 0 && e->description)
		rc = vcard_text(b, "DESCRIPTION", NULL, e->description);
	if (rc == 0 && e->categories)
		rc = vcard_text(b, "CATEGORIES", NULL, e->categories);
	if (rc == 0 && e->status)
		rc = vcard_raw(b, "STATUS", NULL, e->status);
	if (rc == 0)
		rc = buf_puts(b, "END:VEVENT\r\n");
	return rc;
}

int ical_end(buf *b)
{
	return buf_puts(b, "END:VCALENDAR\r\n");
}
