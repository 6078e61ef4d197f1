/* erlang.h - contact-centre staffing: Erlang B, Erlang C and Erlang A
 * (DOMAIN §5: how many agents answer how many calls how fast).
 *
 * Traffic A in erlangs is calls per interval x average handle time /
 * interval length.  Erlang C (M/M/N) gives the probability that a call
 * waits, the service level (share answered within T seconds), the average
 * speed of answer and occupancy for N agents; staffing is the least N that
 * meets a target service level (and, optionally, an ASA and an occupancy
 * cap), grossed up for shrinkage (breaks, training, absence).
 *
 * Erlang A (M/M/N+M) adds callers who hang up after an exponential
 * patience; it predicts abandonment and a higher service level than
 * Erlang C for the same staffing.  Computed from the birth-death chain
 * truncated where its probabilities vanish.
 *
 * Numerics: everything goes through the Erlang B recursion
 * B(n) = A B(n-1) / (n + A B(n-1)), whose terms stay in [0, 1], so
 * thousands of erlangs need no factorials and no overflow.  Pure. */
#ifndef KF_CORE_ERLANG_H
#define KF_CORE_ERLANG_H

#include <stdint.h>

/* Erlang B blocking probability for n servers offered a erlangs (n >= 0,
 * a >= 0). */
double erlang_b(int n, double a);

/* Erlang C probability of waiting; 1 when n <= a (the queue grows without
 * bound). */
double erlang_c(int n, double a);

struct erlang_result {
	int agents;        /* N on the phones */
	double traffic;    /* A, erlangs */
	double p_wait;     /* Erlang C (or A) probability that a call waits */
	double sl;         /* share answered within the target time, 0..1 */
	double asa_s;      /* average speed of answer, seconds (all calls) */
	double occupancy;  /* A / N (Erlang A: carried traffic / N) */
	double p_abandon;  /* Erlang A only; 0 for Erlang C */
};

/* The Erlang C figures for n agents, `calls` arriving in `interval_s`
 * seconds, each handled in aht_s seconds on average, service level
 * measured at target_s seconds.  n <= A gives sl 0, asa INFINITY,
 * occupancy 1. */
void erlang_c_eval(int n, double calls, double interval_s, double aht_s, double target_s,
		   struct erlang_result *out);

struct erlang_target {
	double sl;            /* e.g. 0.80 */
	double target_s;      /* e.g. 20 */
	double max_asa_s;     /* 0: no ASA target */
	double max_occupancy; /* 0: no cap, else e.g. 0.85 */
};

/* The least n meeting every target; out filled for it.  0 calls need 0
 * agents.  Returns n, or -1 when the input is invalid (negative, NaN,
 * interval or AHT not positive, sl outside (0, 1)) or more than
 * ERLANG_MAX_AGENTS would be needed. */
enum { ERLANG_MAX_AGENTS = 200000 };
int erlang_c_agents(double calls, double interval_s, double aht_s, const struct erlang_target *t,
		    struct erlang_result *out);

/* Agents to schedule so that `on_phones` remain after shrinkage
 * (0 <= shrinkage < 1): ceil(on_phones / (1 - shrinkage)). */
int erlang_with_shrinkage(int on_phones, double shrinkage);

/* Erlang A for n agents with mean patience patience_s (> 0): waiting,
 * abandonment, service level (answered within target_s, over all
 * arrivals, abandoned ones counted as not answered in time, like the
 * measured metric), ASA of answered calls.  Returns 0, or -1 on invalid
 * input. */
int erlang_a_eval(int n, double calls, double interval_s, double aht_s, double patience_s,
		  double target_s, struct erlang_result *out);

#endif
