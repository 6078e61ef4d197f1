/* erlang.c - Erlang B, C and A; see erlang.h. */
#include "core/erlang.h"

#include <math.h>
#include <stdlib.h>

#include "lib/common.h"

double erlang_b(int n, double a)
{
	if (n <= 0 || a <= 0)
		return n <= 0 ? 1.0 : 0.0;
	double b = 1.0;
	for (int k = 1; k <= n; k++)
		b = a * b / (k + a * b);
	return b;
}

/* C from B of the same n: N B / (N - A (1 - B)). */
static double c_from_b(int n, double a, double b)
{
	if (n <= a)
		return 1.0;
	return n * b / (n - a * (1.0 - b));
}

double erlang_c(int n, double a)
{
	if (a <= 0)
		return 0.0;
	return c_from_b(n, a, erlang_b(n, a));
}

static void fill_c(int n, double a, double aht_s, double target_s, double b,
		   struct erlang_result *out)
{
	out->agents = n;
	out->traffic = a;
	out->p_abandon = 0;
	if (a <= 0) {
		out->p_wait = 0;
		out->sl = 1;
		out->asa_s = 0;
		out->occupancy = 0;
		return;
	}
	if (n <= a) {
		out->p_wait = 1;
		out->sl = 0;
		out->asa_s = INFINITY;
		out->occupancy = 1;
		return;
	}
	double c = c_from_b(n, a, b);
	out->p_wait = c;
	out->sl = 1.0 - c * exp(-(n - a) * target_s / aht_s);
	out->asa_s = c * aht_s / (n - a);
	out->occupancy = a / n;
}

static int bad(double x)
{
	return isnan(x) || x < 0;
}

void erlang_c_eval(int n, double calls, double interval_s, double aht_s, double target_s,
		   struct erlang_result *out)
{
	double a = interval_s > 0 ? calls * aht_s / interval_s : 0;
	fill_c(n, a, aht_s, target_s, erlang_b(n, a), out);
}

static int meets(const struct erlang_result *r, const struct erlang_target *t)
{
	return r->sl >= t->sl - 1e-12 && (t->max_asa_s <= 0 || r->asa_s <= t->max_asa_s) &&
	       (t->max_occupancy <= 0 || r->occupancy <= t->max_occupancy);
}

int erlang_c_agents(double calls, double interval_s, double aht_s, const struct erlang_target *t,
		    struct erlang_result *out)
{
	if (bad(calls) || !(interval_s > 0) || !(aht_s > 0) || !t || !(t->sl > 0) ||
	    !(t->sl < 1) || bad(t->target_s) || bad(t->max_asa_s) || bad(t->max_occupancy))
		return -1;
	double a = calls * aht_s / interval_s;
	if (a <= 0) {
		fill_c(0, 0, aht_s, t->target_s, 1, out);
		return 0;
	}
	if (a >= ERLANG_MAX_AGENTS)
		return -1;
	/* B for every n up to the first n > A, then one step per candidate. */
	int n = 0;
	double b = 1.0;
	while (n <= a) {
		n++;
		b = a * b / (n + a * b);
	}
	for (; n <= ERLANG_MAX_AGENTS; n++) {
		fill_c(n, a, aht_s, t->target_s, b, out);
		if (meets(out, t))
			return n;
		b = a * b / (n + 1 + a * b);
	}
	return -1;
}

int erlang_with_shrinkage(int on_phones, double shrinkage)
{
	if (on_phones <= 0)
		return 0;
	if (!(shrinkage > 0) || shrinkage >= 1)
		return on_phones;
	double need = on_phones / (1.0 - shrinkage);
	int n = (int)ceil(need - 1e-9);
	return n < on_phones ? on_phones : n;
}

/* --------------------------------------------------------------- Erlang A */

/* Tail of the birth-death chain above n: w[j] ∝ π(n + j), j = 0..J, with
 * π(n) = 1.  Stops where a term is below 1e-16 of the sum so far (or at a
 * hard cap).  Returns J + 1 terms in a malloc'd array. */
static double *tail_weights(int n, double lambda, double mu, double theta, int *count,
			    double *sum)
{
	int cap = 1 << 20, len = 0, room = 1024;
	double *w = malloc((size_t)room * sizeof(*w));
	if (!w)
		return NULL;
	w[len++] = 1.0;
	double s = 1.0, cur = 1.0;
	for (int j = 1; j < cap; j++) {
		cur *= lambda / (n * mu + j * theta);
		if (len == room) {
			room *= 2;
			double *nw = realloc(w, (size_t)room * sizeof(*w));
			if (!nw) {
				free(w);
				return NULL;
			}
			w = nw;
		}
		w[len++] = cur;
		s += cur;
		if (cur < 1e-16 * s && lambda < n * mu + j * theta)
			break;
	}
	*count = len;
	*sum = s;
	return w;
}

/* Poisson(m) probabilities k = 0.., through logs so large m does not
 * underflow at k = 0. */
static double poisson_pmf(int k, double m)
{
	if (m <= 0)
		return k == 0 ? 1.0 : 0.0;
	return exp(-m + k * log(m) - lgamma(k + 1.0));
}

/* The waiting callers' chance to be answered within t: the tagged caller
 * with i callers ahead advances at n mu + i theta (the head is served or
 * someone ahead hangs up), is answered from i = 0 at n mu, and hangs up at
 * theta.  Transient probability of "answered" at t by uniformisation,
 * starting from the arrival distribution w (PASTA). */
static double answered_by(const double *w, int len, double sum_w, int n, double mu,
			  double theta, double t)
{
	double rate_max = n * mu + (len - 1) * theta + theta;
	double m = rate_max * t;
	double *v = malloc((size_t)len * sizeof(*v));
	double *nv = malloc((size_t)len * sizeof(*nv));
	if (!v || !nv) {
		free(v);
		free(nv);
		return NAN;
	}
	for (int i = 0; i < len; i++)
		v[i] = w[i] / sum_w;
	double served = 0, acc = 0, mass_k = 0;
	int kmax = (int)(m + 12 * sqrt(m) + 30);
	for (int k = 0; k <= kmax; k++) {
		double pk = poisson_pmf(k, m);
		acc += pk * served;
		mass_k += pk;
		/* one step of P = I + Q / rate_max */
		for (int i = 0; i < len; i++) {
			double adv = n * mu + i * theta;
			double stay = 1.0 - (adv + theta) / rate_max;
			nv[i] = v[i] * stay + (i + 1 < len ? v[i + 1] * (n * mu + (i + 1) * theta) / rate_max : 0);
		}
		served += v[0] * n * mu / rate_max;
		double *tmp = v;
		v = nv;
		nv = tmp;
	}
	/* Poisson mass beyond kmax: served is monotone, bounded by its last value. */
	acc += (1.0 - mass_k) * served;
	free(v);
	free(nv);
	return acc;
}

int erlang_a_eval(int n, double calls, double interval_s, double aht_s, double patience_s,
		  double target_s, struct erlang_result *out)
{
	if (n < 1 || bad(calls) || !(interval_s > 0) || !(aht_s > 0) || !(patience_s > 0) ||
	    bad(target_s))
		return -1;
	double lambda = calls / interval_s, mu = 1.0 / aht_s, theta = 1.0 / patience_s;
	double a = lambda * aht_s;
	out->agents = n;
	out->traffic = a;
	if (a <= 0) {
		*out = (struct erlang_result){n, 0, 0, 1, 0, 0, 0};
		return 0;
	}
	int len;
	double sum_tail;
	double *w = tail_weights(n, lambda, mu, theta, &len, &sum_tail);
	if (!w)
		return -1;
	/* Σ_{k<n} π(k) = π(n) (1/B - 1) for the Erlang B of n, A. */
	double below = 1.0 / erlang_b(n, a) - 1.0;
	double total = below + sum_tail;
	double p_wait = sum_tail / total;
	/* Per start j: P(answered eventually) = Π_{i<=j} r_i / (r_i + θ),
	 * E[wait; answered] = that × Σ_{i<=j} 1 / (r_i + θ). */
	double p_ab = 0, wait_ans = 0, prod = 1, inv_sum = 0;
	for (int j = 0; j < len; j++) {
		double r = n * mu + j * theta;
		prod *= r / (r + theta);
		inv_sum += 1.0 / (r + theta);
		double pj = w[j] / total;
		p_ab += pj * (1.0 - prod);
		wait_ans += pj * prod * inv_sum;
	}
	double within = answered_by(w, len, sum_tail, n, mu, theta, target_s);
	free(w);
	if (isnan(within))
		return -1;
	out->p_wait = p_wait;
	out->p_abandon = p_ab;
	out->sl = (below / total) + p_wait * within;
	out->asa_s = wait_ans / (1.0 - p_ab);
	out->occupancy = a * (1.0 - p_ab) / n;
	if (out->occupancy > 1)
		out->occupancy = 1;
	return 0;
}
