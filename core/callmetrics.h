/* callmetrics.h - hotline figures (DOMAIN §5): offered, answered,
 * abandoned, short abandons, service level, average speed of answer,
 * average handle time, occupancy and first-contact resolution, summed
 * over any grouping the caller chooses (30-minute interval, queue, agent,
 * day).
 *
 * Definitions (the common industry ones, stated so reports can be read):
 *  - a call belongs to the group of the moment it was offered;
 *  - answered within T: wait (offered -> answered) <= T seconds;
 *  - a short abandon hangs up within short_abandon_s of being offered
 *    (a misdial or a caller who changed their mind); short abandons are
 *    left out of the service-level denominator;
 *  - service level = answered within T / (offered - short abandons);
 *  - ASA = mean wait of answered calls; AHT = mean of talk + hold +
 *    after-call work of handled calls;
 *  - occupancy = time handling calls / time signed in and ready or
 *    handling (agent time is spread over the intervals it covers);
 *  - FCR = calls marked resolved at first contact / calls whose wrap-up
 *    said either way.
 *
 * Pure: no I/O, no allocation. */
#ifndef KF_CORE_CALLMETRICS_H
#define KF_CORE_CALLMETRICS_H

#include <stddef.h>
#include <stdint.h>

struct callm_config {
	int sl_seconds;       /* T, default 20 */
	int short_abandon_s;  /* default 5; 0: none are short */
};

/* One call, as the metrics need it. */
struct callm_call {
	int answered;
	int abandoned;
	int64_t wait_ms;   /* -1 unknown */
	int64_t handle_ms; /* talk + hold + after-call work; -1 if not handled */
	int fcr;           /* 1 resolved at first contact, 0 not, -1 not said */
};

struct callm_acc {
	int64_t offered, answered, abandoned, short_abandoned, answered_in_sl;
	int64_t wait_ms_sum;     /* of answered calls with a known wait */
	int64_t wait_n;
	int64_t handle_ms_sum;
	int64_t handled;
	int64_t fcr_yes, fcr_known;
	int64_t busy_ms, staffed_ms; /* for occupancy */
};

struct callm_figures {
	double service_level; /* 0..1, -1 when nothing to measure */
	double abandon_rate;  /* abandoned / offered, -1 when none offered */
	double asa_s;         /* -1 when nothing answered */
	double aht_s;         /* -1 when nothing handled */
	double occupancy;     /* -1 without agent time */
	double fcr;           /* -1 when no wrap-up said */
};

void callm_add(struct callm_acc *a, const struct callm_call *c, const struct callm_config *cfg);
void callm_merge(struct callm_acc *into, const struct callm_acc *from);
void callm_figures(const struct callm_acc *a, struct callm_figures *out);

/* Adds to buckets[i] the overlap of [start, end) with the i-th bucket
 * [origin + i len, origin + (i + 1) len), for i in 0..nb-1. */
void callm_spread(int64_t start, int64_t end, int64_t origin, int64_t len, int64_t *buckets,
		  int nb);

/* An agent's state changes (sign in, sign out, not ready, ready), in
 * time order, turned into the spans they were available or working. */
enum callm_agent_ev { CALLM_LOGIN, CALLM_LOGOUT, CALLM_PAUSE, CALLM_UNPAUSE };
struct callm_agent_event {
	int type; /* enum callm_agent_ev */
	int64_t at;
};
struct callm_span {
	int64_t start, end;
};
/* Writes at most max spans (merged, in order) of time signed in and not
 * paused; a span still open at `until` ends there.  Returns the number
 * written.  Events must be sorted by time. */
size_t callm_staffed_spans(const struct callm_agent_event *ev, size_t n, int64_t until,
			   struct callm_span *out, size_t max);

#endif
