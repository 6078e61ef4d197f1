/* SLA policies (most specific match wins), target status, and the clock
 * that stops while the case waits on the customer, on a real calendar. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/bizcal.h"
#include "core/sla.h"

static const struct sla_policy policies[] = {
	{1, NULL, NULL, NULL, NULL, 240, 1440},                 /* default */
	{2, "complaint", NULL, NULL, NULL, 60, 2400},           /* complaints */
	{3, NULL, "urgent", NULL, NULL, 30, 480},               /* urgent */
	{4, NULL, NULL, "key", NULL, 30, 960},                  /* key accounts */
	{5, "complaint", "urgent", "key", NULL, 15, 480},       /* all three */
	{6, "", "", "", "top", 20, 900},                        /* "" is a wildcard too */
	{7, "inquiry", NULL, "key", NULL, 10, 240},
	{8, NULL, "urgent", "key", NULL, 12, 300},
};
enum { N = sizeof(policies) / sizeof(policies[0]) };

static int64_t match(const char *type, const char *prio, const char *value, const char *tier)
{
	int i = sla_policy_match(policies, N, type, prio, value, tier);
	return i < 0 ? -1 : policies[i].id;
}

static void the_most_specific_policy_wins(void **state)
{
	(void)state;
	assert_int_equal(match("inquiry", "normal", "ordinary", "mid"), 1);
	assert_int_equal(match("complaint", "normal", "ordinary", "mid"), 2);
	assert_int_equal(match("inquiry", "urgent", "ordinary", "mid"), 3);
	assert_int_equal(match("praise", "low", "key", "mid"), 4);
	assert_int_equal(match("complaint", "urgent", "key", "mid"), 5);
	assert_int_equal(match("suggestion", "low", "ordinary", "top"), 6);
	assert_int_equal(match("inquiry", "normal", "key", "mid"), 7);
	/* equally specific (two fields): type+value (7) beats priority+value (8) */
	assert_int_equal(match("inquiry", "urgent", "key", "mid"), 7);
	assert_int_equal(match("praise", "urgent", "key", "mid"), 8);
	/* one field each: type beats priority beats value beats tier */
	assert_int_equal(match("complaint", "urgent", "ordinary", "top"), 2);
	assert_int_equal(match("praise", "urgent", "ordinary", "top"), 3);
	assert_int_equal(match("praise", "low", "key", "top"), 4);
	/* NULL inputs match only wildcards */
	assert_int_equal(match(NULL, NULL, NULL, NULL), 1);
	assert_int_equal(sla_policy_match(policies + 1, 1, "inquiry", "low", "key", "top"), -1);
	assert_int_equal(sla_policy_match(policies, 0, "inquiry", "low", "key", "top"), -1);
	/* the first of two identical ones */
	struct sla_policy twins[] = {{10, "praise", 0, 0, 0, 1, 2}, {11, "praise", 0, 0, 0, 3, 4}};
	assert_int_equal(sla_policy_match(twins, 2, "praise", "low", "key", "top"), 0);
}

static void status_of_a_target(void **state)
{
	(void)state;
	assert_int_equal(sla_status(0, 0, 0, 100), SLA_NONE);
	assert_int_equal(sla_status(200, 0, 0, 100), SLA_RUNNING);
	assert_int_equal(sla_status(200, 0, 0, 200), SLA_RUNNING);
	assert_int_equal(sla_status(200, 0, 0, 201), SLA_BREACHED);
	assert_int_equal(sla_status(200, 150, 0, 999), SLA_MET);
	assert_int_equal(sla_status(200, 200, 0, 999), SLA_MET);
	assert_int_equal(sla_status(200, 201, 0, 999), SLA_MISSED);
	assert_int_equal(sla_status(200, 0, 150, 999), SLA_PAUSED);
	assert_int_equal(sla_status(200, 0, 250, 999), SLA_BREACHED); /* missed before the pause */
	assert_string_equal(sla_status_name(SLA_BREACHED), "breached");
	assert_string_equal(sla_status_name(SLA_PAUSED), "paused");
	assert_string_equal(sla_status_name((enum sla_status)99), "none");
}

static void next_due(void **state)
{
	(void)state;
	assert_int_equal(sla_next_due(0, 0, 0, 0), 0);
	assert_int_equal(sla_next_due(100, 0, 300, 0), 100);
	assert_int_equal(sla_next_due(100, 50, 300, 0), 300);
	assert_int_equal(sla_next_due(400, 0, 300, 0), 300);
	assert_int_equal(sla_next_due(100, 50, 300, 200), 0);
	assert_int_equal(sla_next_due(0, 0, 300, 0), 300);
	assert_int_equal(sla_next_due(100, 0, 0, 0), 100);
}

static int64_t at(int y, int mo, int d, int h, int mi)
{
	return (int64_t)bizcal_days_from_civil(y, mo, d) * 1440 + h * 60 + mi;
}

/* DOMAIN §7: the clock stops while the case waits on the customer and
 * goes on when they answer, in business time. */
static void pause_and_resume_across_a_holiday(void **state)
{
	(void)state;
	struct bizcal_day st[16];
	struct bizcal c;
	int line;
	kf_err e;
	bizcal_init(&c, st, 16);
	assert_int_equal(bizcal_parse(&c,
				      "hours mon-fri 09:00-12:00,13:00-18:00\n"
				      "2025-05-31..2025-06-02 holiday 端午节\n",
				      &line, &e),
			 0);
	/* Created Thu 5/29 10:00 with 8 business hours: due Fri 5/30 10:00. */
	int64_t due;
	assert_int_equal(bizcal_add(&c, at(2025, 5, 29, 10, 0), 480, &due, &e), 0);
	assert_int_equal(due, at(2025, 5, 30, 10, 0));
	/* Waits on the customer from Thu 16:00 (5 h worked: 3 h left)... */
	int64_t left = sla_pause(&c, at(2025, 5, 29, 16, 0), due);
	assert_int_equal(left, 180);
	/* ...who answers Fri 17:00: 1 h that day, 2 h on Tuesday after the holiday. */
	int64_t nd;
	assert_int_equal(sla_resume(&c, at(2025, 5, 30, 17, 0), left, due, &nd, &e), 0);
	assert_int_equal(nd, at(2025, 6, 3, 11, 0));
	/* Paused when already late: stays late. */
	left = sla_pause(&c, at(2025, 6, 4, 9, 0), nd);
	assert_true(left < 0);
	assert_int_equal(sla_resume(&c, at(2025, 6, 5, 9, 0), left, nd, &nd, &e), 0);
	assert_int_equal(nd, at(2025, 6, 3, 11, 0));
	/* Paused and resumed outside working hours: nothing is lost. */
	assert_int_equal(bizcal_add(&c, at(2025, 6, 3, 17, 0), 120, &due, &e), 0);
	left = sla_pause(&c, at(2025, 6, 3, 19, 0), due);
	assert_int_equal(left, 60);
	assert_int_equal(sla_resume(&c, at(2025, 6, 4, 8, 0), left, due, &nd, &e), 0);
	assert_int_equal(nd, due);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_most_specific_policy_wins),
		cmocka_unit_test(status_of_a_target),
		cmocka_unit_test(next_due),
		cmocka_unit_test(pause_and_resume_across_a_holiday),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
