/* callsim.h - a simulated day at the hotline, for demos, load tests and
 * for checking measured service levels against Erlang C and A.
 *
 * Calls arrive as a Poisson process whose rate is constant within each
 * interval (the day's curve); each is handled in an exponential time; a
 * caller who waits longer than an exponential patience hangs up.  Agents
 * on duty per interval take waiting calls first come, first served (an
 * agent whose duty ends finishes the call in hand).  Deterministic for a
 * seed.  Pure: the caller owns the output array. */
#ifndef KF_CORE_CALLSIM_H
#define KF_CORE_CALLSIM_H

#include <stddef.h>
#include <stdint.h>

struct callsim_params {
	uint64_t seed;
	int64_t start_ms;        /* start of interval 0 (epoch ms) */
	int intervals;
	int interval_s;          /* e.g. 1800 */
	const double *calls;     /* expected arrivals per interval */
	const int *agents;       /* agents on duty per interval */
	double aht_s;            /* mean handle time */
	double patience_s;       /* mean patience; 0: nobody hangs up */
};

struct callsim_call {
	int64_t offered_ms;
	int64_t answered_ms; /* 0 if abandoned */
	int64_t ended_ms;    /* hang-up (abandoned) or end of the conversation */
	int agent;           /* 0-based agent index, -1 if abandoned */
	int interval;        /* of the offer */
};

/* Simulates into out (room for max calls).  Returns the number of calls,
 * or -1 if they would not fit or the parameters are invalid. */
long callsim_run(const struct callsim_params *p, struct callsim_call *out, size_t max);

/* A typical weekday's shape over 48 half hours: quiet at night, a morning
 * peak near 10:00, a dip at lunch, an afternoon peak near 15:00.  Writes
 * `total` calls spread over out[0..47]. */
void callsim_day_curve(double total, double out[48]);

/* The state of a generator (splitmix64), exposed for tests. */
uint64_t callsim_rand(uint64_t *state);

#endif
