/* test_callmetrics.c - hotline figures from a hand-made set of calls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>

#include <cmocka.h>

#include "core/callmetrics.h"

static const struct callm_config cfg = {20, 5};

static void figures_of_ten_calls(void **state)
{
	(void)state;
	/* 7 answered (waits 5, 10, 15, 20, 25, 40, 60 s; handle 100..700 s),
	 * 3 abandoned (after 2 s: short; after 30 s and 90 s). */
	const struct callm_call calls[] = {
		{1, 0, 5000, 100000, 1},  {1, 0, 10000, 200000, 1}, {1, 0, 15000, 300000, 0},
		{1, 0, 20000, 400000, -1}, {1, 0, 25000, 500000, 1}, {1, 0, 40000, 600000, -1},
		{1, 0, 60000, 700000, 0},  {0, 1, 2000, -1, -1},    {0, 1, 30000, -1, -1},
		{0, 1, 90000, -1, -1},
	};
	struct callm_acc a = {0};
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		callm_add(&a, &calls[i], &cfg);
	assert_int_equal(a.offered, 10);
	assert_int_equal(a.answered, 7);
	assert_int_equal(a.abandoned, 3);
	assert_int_equal(a.short_abandoned, 1);
	assert_int_equal(a.answered_in_sl, 4); /* 5, 10, 15 and exactly 20 s */
	struct callm_figures f;
	callm_figures(&a, &f);
	assert_true(fabs(f.service_level - 4.0 / 9.0) < 1e-12);
	assert_true(fabs(f.abandon_rate - 0.3) < 1e-12);
	assert_true(fabs(f.asa_s - 175.0 / 7.0) < 1e-9);
	assert_true(fabs(f.aht_s - 400.0) < 1e-9);
	assert_true(fabs(f.fcr - 3.0 / 5.0) < 1e-12);
	assert_true(f.occupancy == -1);
	/* merging two halves equals the whole */
	struct callm_acc h1 = {0}, h2 = {0};
	for (size_t i = 0; i < 10; i++)
		callm_add(i < 5 ? &h1 : &h2, &calls[i], &cfg);
	callm_merge(&h1, &h2);
	assert_memory_equal(&h1, &a, sizeof(a));
}

static void nothing_measured(void **state)
{
	(void)state;
	struct callm_acc a = {0};
	struct callm_figures f;
	callm_figures(&a, &f);
	assert_true(f.service_level == -1 && f.asa_s == -1 && f.aht_s == -1 && f.fcr == -1 &&
		    f.abandon_rate == -1 && f.occupancy == -1);
	/* short abandons only: no denominator for the service level */
	const struct callm_call c = {0, 1, 1000, -1, -1};
	callm_add(&a, &c, &cfg);
	callm_figures(&a, &f);
	assert_true(f.service_level == -1);
	assert_true(f.abandon_rate == 1);
	/* no short-abandon threshold: counts as a miss */
	const struct callm_config none = {20, 0};
	struct callm_acc b = {0};
	callm_add(&b, &c, &none);
	callm_figures(&b, &f);
	assert_true(f.service_level == 0);
}

static void spread_over_intervals(void **state)
{
	(void)state;
	int64_t b[4] = {0};
	/* buckets of 100 from 1000: [1000,1100) [1100,1200) ... */
	callm_spread(1050, 1320, 1000, 100, b, 4);
	assert_int_equal(b[0], 50);
	assert_int_equal(b[1], 100);
	assert_int_equal(b[2], 100);
	assert_int_equal(b[3], 20);
	int64_t c[2] = {0};
	callm_spread(500, 1050, 1000, 100, c, 2); /* starts before the origin */
	assert_int_equal(c[0], 50);
	callm_spread(1500, 1600, 1000, 100, c, 2); /* after the last bucket */
	callm_spread(1080, 1080, 1000, 100, c, 2); /* empty */
	assert_int_equal(c[0], 50);
	assert_int_equal(c[1], 0);
}

static void staffed_spans_from_agent_events(void **state)
{
	(void)state;
	const struct callm_agent_event ev[] = {
		{CALLM_LOGIN, 100}, {CALLM_PAUSE, 200},  {CALLM_UNPAUSE, 260}, {CALLM_LOGIN, 270},
		{CALLM_LOGOUT, 400}, {CALLM_UNPAUSE, 450}, {CALLM_LOGIN, 500},
	};
	struct callm_span s[8];
	size_t n = callm_staffed_spans(ev, 7, 900, s, 8);
	assert_int_equal(n, 3);
	assert_int_equal(s[0].start, 100);
	assert_int_equal(s[0].end, 200);
	assert_int_equal(s[1].start, 260);
	assert_int_equal(s[1].end, 400);
	assert_int_equal(s[2].start, 500);
	assert_int_equal(s[2].end, 900);
	/* occupancy: 300 busy of 640 staffed */
	struct callm_acc a = {0};
	a.busy_ms = 300;
	for (size_t i = 0; i < n; i++)
		a.staffed_ms += s[i].end - s[i].start;
	struct callm_figures f;
	callm_figures(&a, &f);
	assert_true(fabs(f.occupancy - 300.0 / 640.0) < 1e-12);
	/* room for one span only: the first is kept */
	assert_int_equal(callm_staffed_spans(ev, 7, 900, s, 1), 1);
	assert_int_equal(s[0].end, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(figures_of_ten_calls),
		cmocka_unit_test(nothing_measured),
		cmocka_unit_test(spread_over_intervals),
		cmocka_unit_test(staffed_spans_from_agent_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
