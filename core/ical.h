/* ical.h - writing iCalendar (RFC 5545) into a buf: a VCALENDAR of
 * VEVENTs with times in UTC ("20261125T093000Z"), text values escaped
 * (backslash, semicolon, comma, line breaks) and content lines folded at
 * 75 octets with CRLF, never inside a UTF-8 character.  The content-line
 * rules are those of vCard, so the lines are written by core/vcard.h.
 * Pure. */
#ifndef KF_CORE_ICAL_H
#define KF_CORE_ICAL_H

#include <stdint.h>

#include "lib/buf.h"

enum { ICAL_UTC_SIZE = 17 };

struct ical_event {
	const char *uid;             /* globally unique and stable across versions */
	int64_t stamp_ms;            /* DTSTAMP: when this version of the event was made */
	int64_t start_ms, end_ms;    /* DTSTART, DTEND (UTC epoch ms; end > start) */
	const char *summary;         /* required */
	const char *description;     /* may be NULL */
	const char *categories;      /* one category, escaped as text; may be NULL */
	const char *status;          /* NULL, or TENTATIVE, CONFIRMED, CANCELLED */
};

/* "YYYYMMDDTHHMMSSZ" for a UTC epoch ms (the seconds truncated), in out;
 * -1 outside the years 1970..9999. */
int ical_utc(int64_t ms, char out[ICAL_UTC_SIZE]);

/* BEGIN:VCALENDAR, VERSION, PRODID (given as is, e.g.
 * "-//kefu//Calendar 1.0//ZH"), CALSCALE, METHOD:PUBLISH and, when name is
 * not NULL, the display name (X-WR-CALNAME, as most clients read it). */
int ical_begin(buf *b, const char *prodid, const char *name);
/* One VEVENT; -1 if a required member is missing or a time is out of
 * range (nothing is written then). */
int ical_event(buf *b, const struct ical_event *e);
int ical_end(buf *b);

#endif
