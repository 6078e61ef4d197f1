/* test_followup_rules.c - the calendar arithmetic of the follow-up rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/bizcal.h"
#include "core/followup_rules.h"

static int32_t D(int y, int m, int d)
{
	return bizcal_days_from_civil(y, m, d);
}

static void next_yearly_this_year_or_next(void **state)
{
	(void)state;
	int32_t out;
	int y;
	assert_int_equal(fur_next_yearly("1985-06-15", D(2026, 3, 1), &out, &y), 0);
	assert_int_equal(out, D(2026, 6, 15));
	assert_int_equal(y, 2026);
	/* the day itself counts */
	assert_int_equal(fur_next_yearly("06-15", D(2026, 6, 15), &out, &y), 0);
	assert_int_equal(out, D(2026, 6, 15));
	/* passed: next year, across the new year */
	assert_int_equal(fur_next_yearly("01-02", D(2026, 12, 30), &out, &y), 0);
	assert_int_equal(out, D(2027, 1, 2));
	assert_int_equal(y, 2027);
}

static void next_yearly_leap_day(void **state)
{
	(void)state;
	int32_t out;
	int y;
	assert_int_equal(fur_next_yearly("2000-02-29", D(2026, 1, 10), &out, &y), 0);
	assert_int_equal(out, D(2026, 2, 28));
	assert_int_equal(fur_next_yearly("02-29", D(2027, 3, 1), &out, &y), 0);
	assert_int_equal(out, D(2028, 2, 29));
}

static void next_yearly_malformed(void **state)
{
	(void)state;
	int32_t out;
	assert_int_equal(fur_next_yearly("", 0, &out, NULL), -1);
	assert_int_equal(fur_next_yearly("13-01", 0, &out, NULL), -1);
	assert_int_equal(fur_next_yearly("04-31", 0, &out, NULL), -1);
	assert_int_equal(fur_next_yearly("2026/01/01", 0, &out, NULL), -1);
	assert_int_equal(fur_next_yearly(NULL, 0, &out, NULL), -1);
}

static void add_months_clamps(void **state)
{
	(void)state;
	assert_int_equal(fur_add_months(D(2026, 1, 31), 1), D(2026, 2, 28));
	assert_int_equal(fur_add_months(D(2028, 1, 31), 1), D(2028, 2, 29));
	assert_int_equal(fur_add_months(D(2026, 11, 15), 6), D(2027, 5, 15));
	assert_int_equal(fur_add_months(D(2026, 8, 31), 3), D(2026, 11, 30));
	assert_int_equal(fur_add_months(D(2026, 5, 5), 0), D(2026, 5, 5));
	assert_int_equal(fur_add_months(D(2026, 3, 31), -1), D(2026, 2, 28));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(next_yearly_this_year_or_next),
		cmocka_unit_test(next_yearly_leap_day),
		cmocka_unit_test(next_yearly_malformed),
		cmocka_unit_test(add_months_clamps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
