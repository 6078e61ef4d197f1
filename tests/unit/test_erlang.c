/* test_erlang.c - Erlang B/C/A against published values, an independent
 * evaluation of the textbook formula, and the simulator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>

#include <cmocka.h>

#include "core/callsim.h"
#include "core/erlang.h"

#define assert_near(a, b, tol)                                                                     \
	do {                                                                                       \
		double a_ = (a), b_ = (b);                                                         \
		if (!(fabs(a_ - b_) <= (tol)))                                                     \
			fail_msg("%s = %.10g, expected %.10g (± %g)", #a, a_, b_, (double)(tol));  \
	} while (0)

/* The textbook formula, summed in logs: C = (A^N/N!)(N/(N-A)) /
 * (Σ_{k<N} A^k/k! + (A^N/N!)(N/(N-A))).  Independent of the recursion. */
static double erlang_c_direct(int n, double a)
{
	double top = n * log(a) - lgamma(n + 1.0) + log(n / (n - a));
	double mx = top;
	for (int k = 0; k < n; k++) {
		double t = k * log(a) - lgamma(k + 1.0);
		if (t > mx)
			mx = t;
	}
	double sum = exp(top - mx);
	for (int k = 0; k < n; k++)
		sum += exp(k * log(a) - lgamma(k + 1.0) - mx);
	return exp(top - mx) / sum;
}

static void erlang_b_published(void **state)
{
	(void)state;
	/* Erlang B tables: 10 trunks, 5 erlangs -> 1.84 %; M/M/1/1 and M/M/2/2. */
	assert_near(erlang_b(10, 5.0), 0.018385, 5e-6);
	assert_near(erlang_b(1, 1.0), 0.5, 1e-12);
	assert_near(erlang_b(2, 1.0), 0.2, 1e-12);
	assert_near(erlang_b(0, 3.0), 1.0, 0);
}

static void erlang_c_published(void **state)
{
	(void)state;
	/* M/M/2 at 50 % load waits with probability 1/3; M/M/3 with A = 2, 4/9. */
	assert_near(erlang_c(2, 1.0), 1.0 / 3.0, 1e-12);
	assert_near(erlang_c(3, 2.0), 4.0 / 9.0, 1e-12);
	/* No capacity: every call waits. */
	assert_near(erlang_c(10, 10.0), 1.0, 0);
	assert_near(erlang_c(5, 10.0), 1.0, 0);
}

/* The classic worked example (Call Centre Helper, "Erlang C formula made
 * simple"): 100 calls in 30 minutes, AHT 180 s, 80 % in 20 s.  A = 10;
 * 13 agents reach 79.6 %, 14 agents 88.8 % with ASA 7.8 s and occupancy
 * 71.4 %; 30 % shrinkage turns 14 into 20. */
static void classic_example(void **state)
{
	(void)state;
	struct erlang_target t = {0.80, 20, 0, 0};
	struct erlang_result r;
	int n = erlang_c_agents(100, 1800, 180, &t, &r);
	assert_int_equal(n, 14);
	assert_near(r.traffic, 10.0, 1e-12);
	assert_near(r.sl, 0.8884, 5e-4);
	assert_near(r.asa_s, 7.8, 0.05);
	assert_near(r.occupancy, 0.7143, 5e-4);
	assert_near(r.p_wait, 0.1741, 5e-4);
	struct erlang_result r13;
	erlang_c_eval(13, 100, 1800, 180, 20, &r13);
	assert_near(r13.sl, 0.7956, 5e-4);
	assert_true(r13.sl < 0.80);
	assert_int_equal(erlang_with_shrinkage(14, 0.30), 20);
	assert_int_equal(erlang_with_shrinkage(14, 0), 14);
	assert_int_equal(erlang_with_shrinkage(0, 0.3), 0);
	/* An ASA target of 5 s needs one more agent; an occupancy cap of 70 % too. */
	struct erlang_target t2 = {0.80, 20, 5, 0};
	assert_int_equal(erlang_c_agents(100, 1800, 180, &t2, &r), 15);
	struct erlang_target t3 = {0.80, 20, 0, 0.70};
	assert_int_equal(erlang_c_agents(100, 1800, 180, &t3, &r), 15);
}

static void recursion_matches_direct_formula(void **state)
{
	(void)state;
	const double as[] = {0.5, 3.7, 10, 42.5, 150, 480};
	for (size_t i = 0; i < sizeof(as) / sizeof(as[0]); i++) {
		double a = as[i];
		for (int n = (int)a + 1; n < (int)a + 1 + 40; n++) {
			double got = erlang_c(n, a), want = erlang_c_direct(n, a);
			if (fabs(got - want) > 1e-10 * (want > 1e-3 ? 1 : 1e-3) && fabs(got - want) > 1e-13)
				fail_msg("C(%d, %g) = %.15g, direct %.15g", n, a, got, want);
		}
	}
}

static void large_traffic_is_stable(void **state)
{
	(void)state;
	/* 50,000 calls per half hour at 180 s: 5,000 erlangs. */
	struct erlang_target t = {0.80, 20, 0, 0};
	struct erlang_result r;
	int n = erlang_c_agents(50000, 1800, 180, &t, &r);
	assert_true(n > 5000 && n < 5200);
	assert_true(r.sl >= 0.80 && r.sl < 0.90);
	assert_false(isnan(r.asa_s));
	struct erlang_result prev;
	erlang_c_eval(n - 1, 50000, 1800, 180, 20, &prev);
	assert_true(prev.sl < 0.80);
	/* the direct formula in logs agrees at this size too */
	assert_near(erlang_c(n, 5000.0), erlang_c_direct(n, 5000.0), 1e-9);
	/* and 20,000 erlangs still computes */
	assert_true(erlang_c_agents(200000, 1800, 180, &t, &r) > 20000);
}

static void invalid_and_zero(void **state)
{
	(void)state;
	struct erlang_target t = {0.80, 20, 0, 0};
	struct erlang_result r;
	assert_int_equal(erlang_c_agents(-1, 1800, 180, &t, &r), -1);
	assert_int_equal(erlang_c_agents(10, 0, 180, &t, &r), -1);
	assert_int_equal(erlang_c_agents(10, 1800, 0, &t, &r), -1);
	assert_int_equal(erlang_c_agents(NAN, 1800, 180, &t, &r), -1);
	struct erlang_target bad = {1.0, 20, 0, 0};
	assert_int_equal(erlang_c_agents(10, 1800, 180, &bad, &r), -1);
	assert_int_equal(erlang_c_agents(0, 1800, 180, &t, &r), 0);
	assert_near(r.sl, 1.0, 0);
	assert_int_equal(erlang_a_eval(0, 10, 1800, 180, 60, 20, &r), -1);
	assert_int_equal(erlang_a_eval(3, 10, 1800, 180, 0, 20, &r), -1);
}

/* With patience far longer than any wait, Erlang A is Erlang C. */
static void erlang_a_tends_to_c(void **state)
{
	(void)state;
	struct erlang_result a, c;
	assert_int_equal(erlang_a_eval(14, 100, 1800, 180, 1e9, 20, &a), 0);
	erlang_c_eval(14, 100, 1800, 180, 20, &c);
	assert_near(a.p_wait, c.p_wait, 1e-5);
	assert_near(a.sl, c.sl, 1e-5);
	assert_near(a.p_abandon, 0, 1e-5);
	/* ASA of answered calls equals ASA of all when nobody abandons */
	assert_near(a.asa_s, c.asa_s, 1e-3);
}

struct sim_out {
	double sl, abandon, asa, p_wait;
};

/* One long interval: the stationary regime the formulas describe. */
static void simulate(int agents, double calls_per_1800, double aht, double patience,
		     double target, struct sim_out *o)
{
	const double span = 4.0e6; /* seconds */
	double calls = calls_per_1800 * span / 1800.0;
	size_t max = (size_t)(calls * 1.05 + 1000);
	struct callsim_call *out = malloc(max * sizeof(*out));
	assert_non_null(out);
	struct callsim_params p = {42, 0, 1, (int)span, &calls, &agents, aht, patience};
	long n = callsim_run(&p, out, max);
	assert_true(n > 0);
	long in_sl = 0, ab = 0, waited = 0, ans = 0;
	double wait_sum = 0;
	long skip = n / 50; /* drop the empty-system start */
	for (long i = skip; i < n; i++) {
		if (!out[i].answered_ms) {
			ab++;
			waited++;
			continue;
		}
		double w = (double)(out[i].answered_ms - out[i].offered_ms) / 1000.0;
		ans++;
		wait_sum += w;
		in_sl += w <= target;
		waited += w > 0.0005;
	}
	long m = n - skip;
	o->sl = (double)in_sl / (double)m;
	o->abandon = (double)ab / (double)m;
	o->asa = wait_sum / (double)ans;
	o->p_wait = (double)waited / (double)m;
	free(out);
}

static void erlang_c_agrees_with_simulation(void **state)
{
	(void)state;
	struct sim_out s;
	simulate(14, 100, 180, 0, 20, &s);
	struct erlang_result c;
	erlang_c_eval(14, 100, 1800, 180, 20, &c);
	assert_near(s.sl, c.sl, 0.01);
	assert_near(s.p_wait, c.p_wait, 0.01);
	assert_near(s.asa, c.asa_s, 0.6);
	assert_near(s.abandon, 0, 0);
}

/* Erlang A validated against the simulator with impatient callers, in
 * a loaded case (A = 12 on 12 agents: Erlang C has no steady state). */
static void erlang_a_agrees_with_simulation(void **state)
{
	(void)state;
	struct sim_out s;
	struct erlang_result a;
	simulate(12, 120, 180, 90, 20, &s);
	assert_int_equal(erlang_a_eval(12, 120, 1800, 180, 90, 20, &a), 0);
	assert_near(s.abandon, a.p_abandon, 0.01);
	assert_near(s.sl, a.sl, 0.01);
	assert_near(s.p_wait, a.p_wait, 0.01);
	assert_near(s.asa, a.asa_s, 1.0);
	simulate(14, 100, 180, 120, 20, &s);
	assert_int_equal(erlang_a_eval(14, 100, 1800, 180, 120, 20, &a), 0);
	assert_near(s.abandon, a.p_abandon, 0.005);
	assert_near(s.sl, a.sl, 0.01);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(erlang_b_published),
		cmocka_unit_test(erlang_c_published),
		cmocka_unit_test(classic_example),
		cmocka_unit_test(recursion_matches_direct_formula),
		cmocka_unit_test(large_traffic_is_stable),
		cmocka_unit_test(invalid_and_zero),
		cmocka_unit_test(erlang_a_tends_to_c),
		cmocka_unit_test(erlang_c_agrees_with_simulation),
		cmocka_unit_test(erlang_a_agrees_with_simulation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
