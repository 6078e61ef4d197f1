/* test_calltime.c - rest hours and do-not-disturb windows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/calltime.h"

/* 2025-06-02 was a Monday: days since the epoch 20241. */
#define MON (20241LL * 1440)
#define HM(h, m) ((h) * 60 + (m))

static void weekdays(void **state)
{
	(void)state;
	assert_int_equal(calltime_weekday(0), 4); /* 1970-01-01, Thursday */
	assert_int_equal(calltime_weekday(MON), 1);
	assert_int_equal(calltime_weekday(MON + 6 * 1440 + 1439), 7);
	assert_int_equal(calltime_weekday(-1), 3); /* 1969-12-31, Wednesday */
}

static void default_rest_hours(void **state)
{
	(void)state;
	const struct calltime_window *w = calltime_rest_default;
	assert_true(calltime_blocked(MON + HM(12, 30), w, 2));
	assert_false(calltime_blocked(MON + HM(14, 0), w, 2));
	assert_false(calltime_blocked(MON + HM(11, 59), w, 2));
	assert_true(calltime_blocked(MON + HM(21, 0), w, 2));
	assert_true(calltime_blocked(MON + HM(3, 0), w, 2));
	assert_false(calltime_blocked(MON + HM(9, 0), w, 2));
	/* a call wanted at 12:30 goes to 14:00; at 22:00 to 09:00 the next day */
	assert_int_equal(calltime_next_allowed(MON + HM(12, 30), w, 2, 7 * 1440), MON + HM(14, 0));
	assert_int_equal(calltime_next_allowed(MON + HM(22, 0), w, 2, 7 * 1440),
			 MON + 1440 + HM(9, 0));
	assert_int_equal(calltime_next_allowed(MON + HM(10, 0), w, 2, 7 * 1440), MON + HM(10, 0));
}

static void customer_windows_with_days(void **state)
{
	(void)state;
	/* rest hours plus the customer's "weekdays 09:00-10:30" and "Sunday all day" */
	struct calltime_window w[4] = {calltime_rest_default[0], calltime_rest_default[1],
				       {0x3e, HM(9, 0), HM(10, 30)}, {1u << 7, 0, 1440}};
	/* Monday 08:00 -> 09:00 blocked by rest, then customer until 10:30 */
	assert_int_equal(calltime_next_allowed(MON + HM(8, 0), w, 4, 7 * 1440), MON + HM(10, 30));
	/* Saturday 20:00 is fine */
	assert_int_equal(calltime_next_allowed(MON + 5 * 1440 + HM(20, 0), w, 4, 7 * 1440),
			 MON + 5 * 1440 + HM(20, 0));
	/* Saturday 21:30 -> rest until Sunday 09:00 -> Sunday all day -> Monday 09:00 rest?
	 * no: rest ends 09:00, then the weekday window until 10:30 */
	assert_int_equal(calltime_next_allowed(MON + 5 * 1440 + HM(21, 30), w, 4, 7 * 1440),
			 MON + 7 * 1440 + HM(10, 30));
	/* an overnight customer window on Friday only reaches into Saturday */
	struct calltime_window fri = {1u << 5, HM(23, 0), HM(8, 0)};
	assert_true(calltime_blocked(MON + 5 * 1440 + HM(7, 0), &fri, 1));
	assert_false(calltime_blocked(MON + 6 * 1440 + HM(7, 0), &fri, 1));
	/* every minute blocked: none within the horizon */
	struct calltime_window all = {0, 0, 1440};
	assert_int_equal(calltime_next_allowed(MON, &all, 1, 3 * 1440), -1);
}

static void hhmm(void **state)
{
	(void)state;
	assert_int_equal(calltime_parse_hhmm("00:00"), 0);
	assert_int_equal(calltime_parse_hhmm("12:30"), 750);
	assert_int_equal(calltime_parse_hhmm("24:00"), 1440);
	assert_int_equal(calltime_parse_hhmm("24:01"), -1);
	assert_int_equal(calltime_parse_hhmm("9:00"), -1);
	assert_int_equal(calltime_parse_hhmm("09:60"), -1);
	assert_int_equal(calltime_parse_hhmm(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weekdays),
		cmocka_unit_test(default_rest_hours),
		cmocka_unit_test(customer_windows_with_days),
		cmocka_unit_test(hhmm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
