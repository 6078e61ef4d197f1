/* test_staffing.c - forecast by weekday history and the shift planner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "core/staffing.h"

static void forecast_weights_recent_weeks(void **state)
{
	(void)state;
	/* 3 weeks x 2 intervals; the most recent first */
	const double hist[] = {30, 10, 20, 10, 10, 40};
	const int present[] = {1, 1, 1};
	double out[2];
	assert_int_equal(staff_forecast(hist, present, 3, 2, out), 3);
	/* weights 3, 2, 1 */
	assert_true(fabs(out[0] - (3 * 30 + 2 * 20 + 1 * 10) / 6.0) < 1e-12);
	assert_true(fabs(out[1] - (3 * 10 + 2 * 10 + 1 * 40) / 6.0) < 1e-12);
	const int gap[] = {0, 1, 0};
	assert_int_equal(staff_forecast(hist, gap, 3, 2, out), 1);
	assert_true(fabs(out[0] - 20) < 1e-12);
	const int none[] = {0, 0, 0};
	assert_int_equal(staff_forecast(hist, none, 3, 2, out), 0);
	assert_true(out[0] == 0 && out[1] == 0);
}

static struct shift_pattern pat(int start, int length)
{
	struct shift_pattern p;
	memset(&p, 0, sizeof(p));
	p.start = start;
	p.length = length;
	return p;
}

static void flat_day_one_pattern(void **state)
{
	(void)state;
	int need[48] = {0};
	for (int i = 16; i < 34; i++) /* 08:00-17:00 */
		need[i] = 5;
	struct shift_pattern p = pat(16, 18);
	struct shift_plan plan;
	assert_int_equal(staff_plan(need, 48, &p, 1, &plan), 0);
	assert_int_equal(plan.count[0], 5);
	assert_int_equal(plan.agents, 5);
	assert_int_equal(plan.short_intervals, 0);
	for (int i = 0; i < 48; i++)
		assert_int_equal(plan.gap[i], 0);
	assert_int_equal(plan.agent_intervals, 90);
}

/* A morning peak and an afternoon peak: early and late shifts are
 * cheaper than long ones; a lunch break in the long shift shows. */
static void two_peaks_prefer_short_shifts(void **state)
{
	(void)state;
	int need[48] = {0};
	for (int i = 16; i < 24; i++) /* 08:00-12:00 */
		need[i] = 4;
	for (int i = 26; i < 34; i++) /* 13:00-17:00 */
		need[i] = 2;
	struct shift_pattern p[3] = {pat(16, 18), pat(16, 8), pat(26, 8)};
	p[0].breaks[0] = 1ull << 8 | 1ull << 9; /* 12:00-13:00 off */
	struct shift_plan plan;
	assert_int_equal(staff_plan(need, 48, p, 3, &plan), 0);
	assert_int_equal(plan.short_intervals, 0);
	/* 2 full days cover both peaks' base, 2 early shifts the morning extra */
	assert_int_equal(plan.count[0] + plan.count[1] + plan.count[2], plan.agents);
	assert_int_equal(plan.agent_intervals, 4 * 8 + 2 * 8);
	for (int i = 16; i < 34; i++)
		assert_int_equal(plan.gap[i], 0);
	assert_int_equal(plan.cover[24], 0); /* the lunch break */
}

static void uncoverable_intervals_stay_short(void **state)
{
	(void)state;
	int need[48] = {0};
	need[2] = 3;  /* 01:00, no night shift */
	need[20] = 1; /* 10:00 */
	struct shift_pattern p = pat(16, 16);
	p.max_count = 0;
	struct shift_plan plan;
	assert_int_equal(staff_plan(need, 48, &p, 1, &plan), 0);
	assert_int_equal(plan.count[0], 1);
	assert_int_equal(plan.gap[2], -3);
	assert_int_equal(plan.gap[20], 0);
	assert_int_equal(plan.short_intervals, 1);
	/* a cap on a pattern leaves the rest short */
	need[20] = 4;
	p.max_count = 2;
	assert_int_equal(staff_plan(need, 48, &p, 1, &plan), 0);
	assert_int_equal(plan.count[0], 2);
	assert_int_equal(plan.gap[20], -2);
}

static void invalid_patterns(void **state)
{
	(void)state;
	int need[48] = {0};
	struct shift_plan plan;
	struct shift_pattern p = pat(40, 10); /* past midnight */
	assert_int_equal(staff_plan(need, 48, &p, 1, &plan), -1);
	p = pat(0, 2);
	p.breaks[0] = 3; /* all break */
	assert_int_equal(staff_plan(need, 48, &p, 1, &plan), -1);
	assert_int_equal(staff_plan(need, 0, &p, 0, &plan), -1);
	assert_int_equal(staff_plan(need, 48, NULL, 0, &plan), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(forecast_weights_recent_weeks),
		cmocka_unit_test(flat_day_one_pattern),
		cmocka_unit_test(two_peaks_prefer_short_shifts),
		cmocka_unit_test(uncoverable_intervals_stay_short),
		cmocka_unit_test(invalid_patterns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
