/* calltime.h - when a customer may be called (DOMAIN §3: "one avoid"):
 * never in the company's rest hours (default 12:00-14:00 and
 * 21:00-09:00 local time) nor in the customer's own do-not-disturb
 * windows.
 *
 * Times are local minutes since 1970-01-01 00:00 in the company's zone
 * (the caller converts).  A window is a span of the day on some weekdays;
 * one whose end is not after its start runs past midnight into the next
 * day (the weekday is that of its start).  Pure. */
#ifndef KF_CORE_CALLTIME_H
#define KF_CORE_CALLTIME_H

#include <stddef.h>
#include <stdint.h>

struct calltime_window {
	unsigned days;  /* bit d (1 = Monday .. 7 = Sunday) set: applies that day; 0: every day */
	int start_min;  /* 0..1439 */
	int end_min;    /* 1..1440; <= start_min: ends the next day */
};

/* ISO weekday (1 = Monday) of a local minute. */
int calltime_weekday(int64_t local_min);

/* 1 if local minute t falls in a window. */
int calltime_blocked(int64_t t, const struct calltime_window *w, size_t n);

/* The first local minute >= t outside every window, or -1 if there is none
 * within horizon_min minutes (e.g. windows covering the whole week). */
int64_t calltime_next_allowed(int64_t t, const struct calltime_window *w, size_t n,
			      int64_t horizon_min);

/* The company's default rest hours, 12:00-14:00 and 21:00-09:00 daily. */
extern const struct calltime_window calltime_rest_default[2];

/* Parses "HH:MM" (00:00-24:00) into minutes; -1 if malformed. */
int calltime_parse_hhmm(const char *s);

#endif
