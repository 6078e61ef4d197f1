/* staffing.h - from history to a schedule (DOMAIN §5, 排班): a forecast of
 * calls per interval from the same weekday of past weeks, and a shift
 * planner that covers the agents needed per interval with the company's
 * shift patterns and shows what is left over or missing.
 *
 * Intervals are the day's 30-minute slots (0 = 00:00-00:30 local time,
 * 47 = 23:30-24:00) unless the caller uses another length consistently.
 * Pure: no I/O; the planner allocates nothing (the caller gives room). */
#ifndef KF_CORE_STAFFING_H
#define KF_CORE_STAFFING_H

#include <stddef.h>
#include <stdint.h>

enum { STAFF_MAX_INTERVALS = 96, STAFF_MAX_PATTERNS = 64 };

/* Forecast for one day: hist[w * nint + i] is the count of past week w
 * (0 = the most recent) at interval i; weeks with present[w] = 0 (no data,
 * e.g. before the hotline existed) are skipped.  Recent weeks weigh more:
 * weight(w) = weeks - w.  out[i] is the weighted mean; returns the number
 * of weeks used (0: out is all zero). */
int staff_forecast(const double *hist, const int *present, int weeks, int nint, double *out);

struct shift_pattern {
	int start;        /* first interval */
	int length;       /* intervals; a shift may not pass the end of the day */
	uint64_t breaks[2]; /* bit k set: interval start + k is a break (off the phones) */
	int max_count;    /* 0: unlimited */
};

/* 1 if pattern p has the agent on the phones at interval i. */
int staff_pattern_covers(const struct shift_pattern *p, int i);

struct shift_plan {
	int count[STAFF_MAX_PATTERNS];   /* agents given each pattern */
	int cover[STAFF_MAX_INTERVALS];  /* agents on the phones per interval */
	int gap[STAFF_MAX_INTERVALS];    /* cover - need: < 0 short, > 0 spare */
	int agents;                      /* sum of count */
	int short_intervals;             /* intervals still short */
	int64_t agent_intervals;         /* sum over shifts of their length */
};

/* Covers need[0..nint) with shifts: repeatedly the most short interval
 * (earliest on ties) gets one more shift among the patterns working then,
 * the one that fills most short intervals per interval worked (then the
 * earliest pattern); then shifts whose every interval is over-covered are
 * dropped.  Intervals no pattern covers stay short.  Returns 0, or -1 on
 * invalid input (nint or npat out of range, a pattern outside the day). */
int staff_plan(const int *need, int nint, const struct shift_pattern *pat, int npat,
	       struct shift_plan *out);

#endif
