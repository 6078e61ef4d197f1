/* test_satisfaction.c - CSAT, NPS and effort over tallies (empty sets,
 * ties, rounding), low scores, gaps, campaign periods, survey tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/bizcal.h"
#include "core/satisfaction.h"

static void empty_sets_have_no_scores(void **state)
{
	(void)state;
	struct sat_tally t;
	memset(&t, 0, sizeof(t));
	struct sat_scores s;
	sat_scores(&t, &s);
	assert_int_equal(s.csat_n, 0);
	assert_int_equal(s.nps_n, 0);
	assert_int_equal(s.effort_n, 0);
	assert_int_equal(s.csat_bp, 0);
	assert_int_equal(s.nps_bp, 0);
	/* answers out of their scale are not counted */
	sat_add(&t, 0, 11, 8);
	sat_add(&t, 6, -2, 0);
	sat_scores(&t, &s);
	assert_int_equal(s.csat_n + s.nps_n + s.effort_n, 0);
}

static void csat_counts_four_and_five(void **state)
{
	(void)state;
	struct sat_tally t;
	memset(&t, 0, sizeof(t));
	int v[] = {5, 4, 3, 2, 1, 5};
	for (size_t i = 0; i < 6; i++)
		sat_add(&t, v[i], -1, -1);
	struct sat_scores s;
	sat_scores(&t, &s);
	assert_int_equal(s.csat_n, 6);
	assert_int_equal(s.satisfied, 3);
	assert_int_equal(s.csat_bp, 5000);
	/* 2 of 3: 6666.67 rounds to 6667 */
	memset(&t, 0, sizeof(t));
	sat_add(&t, 4, -1, -1);
	sat_add(&t, 5, -1, -1);
	sat_add(&t, 3, -1, -1);
	sat_scores(&t, &s);
	assert_int_equal(s.csat_bp, 6667);
}

static void nps_is_promoters_minus_detractors(void **state)
{
	(void)state;
	struct sat_tally t;
	memset(&t, 0, sizeof(t));
	/* 10, 9 promoters; 8, 7 passives; 6, 0 detractors; 10 promoter */
	int v[] = {10, 9, 8, 7, 6, 0, 10};
	for (size_t i = 0; i < 7; i++)
		sat_add(&t, -1, v[i], -1);
	struct sat_scores s;
	sat_scores(&t, &s);
	assert_int_equal(s.nps_n, 7);
	assert_int_equal(s.promoters, 3);
	assert_int_equal(s.passives, 2);
	assert_int_equal(s.detractors, 2);
	assert_int_equal(s.nps_bp, 1429); /* 1/7 = 14.2857 % */
	/* a tie between promoters and detractors is 0, passives count in n */
	memset(&t, 0, sizeof(t));
	sat_add(&t, -1, 9, -1);
	sat_add(&t, -1, 6, -1);
	sat_add(&t, -1, 7, -1);
	sat_scores(&t, &s);
	assert_int_equal(s.nps_bp, 0);
	/* only detractors: -100; only passives: 0; only promoters: +100 */
	memset(&t, 0, sizeof(t));
	sat_add(&t, -1, 3, -1);
	sat_scores(&t, &s);
	assert_int_equal(s.nps_bp, -10000);
	memset(&t, 0, sizeof(t));
	sat_add(&t, -1, 8, -1);
	sat_scores(&t, &s);
	assert_int_equal(s.nps_bp, 0);
	memset(&t, 0, sizeof(t));
	sat_add(&t, -1, 10, -1);
	sat_scores(&t, &s);
	assert_int_equal(s.nps_bp, 10000);
	/* negative rounding is symmetric: -1/7 is -1429, not -1428 */
	memset(&t, 0, sizeof(t));
	for (size_t i = 0; i < 7; i++)
		sat_add(&t, -1, v[i] == 10 ? 8 : v[i], -1);
	sat_add(&t, -1, 10, -1);
	sat_scores(&t, &s); /* promoters 2 (9, 10), detractors 2, n 8 */
	assert_int_equal(s.nps_bp, 0);
	memset(&t, 0, sizeof(t));
	int w[] = {9, 6, 5, 8, 8, 8, 8};
	for (size_t i = 0; i < 7; i++)
		sat_add(&t, -1, w[i], -1);
	sat_scores(&t, &s);
	assert_int_equal(s.nps_bp, -1429);
}

static void effort_is_the_mean_in_hundredths(void **state)
{
	(void)state;
	struct sat_tally t;
	memset(&t, 0, sizeof(t));
	sat_add(&t, -1, -1, 1);
	sat_add(&t, -1, -1, 2);
	sat_add(&t, -1, -1, 2);
	struct sat_scores s;
	sat_scores(&t, &s);
	assert_int_equal(s.effort_n, 3);
	assert_int_equal(s.effort_x100, 167); /* 1.666... */
	struct sat_tally u;
	memset(&u, 0, sizeof(u));
	sat_add(&u, 5, 10, 7);
	sat_merge(&t, &u);
	sat_scores(&t, &s);
	assert_int_equal(s.effort_x100, 300);
	assert_int_equal(s.csat_bp, 10000);
	assert_int_equal(s.nps_bp, 10000);
}

static void ratio_rounds_half_away_from_zero(void **state)
{
	(void)state;
	assert_int_equal(sat_ratio_bp(1, 8), 1250);
	assert_int_equal(sat_ratio_bp(1, 3), 3333);
	assert_int_equal(sat_ratio_bp(2, 3), 6667);
	assert_int_equal(sat_ratio_bp(-2, 3), -6667);
	assert_int_equal(sat_ratio_bp(1, 20000), 1);  /* 0.5 bp rounds up */
	assert_int_equal(sat_ratio_bp(-1, 20000), -1);
	assert_int_equal(sat_ratio_bp(0, 5), 0);
}

static void low_scores(void **state)
{
	(void)state;
	assert_true(sat_is_low(1, -1));
	assert_true(sat_is_low(2, -1));
	assert_false(sat_is_low(3, -1));
	assert_true(sat_is_low(-1, 6));
	assert_true(sat_is_low(-1, 0));
	assert_false(sat_is_low(-1, 7));
	assert_false(sat_is_low(5, 10));
	assert_true(sat_is_low(5, 3));
	assert_false(sat_is_low(-1, -1));
}

static void gaps(void **state)
{
	(void)state;
	assert_int_equal(sat_gap(5, 3), -2);
	assert_int_equal(sat_gap(3, 5), 2);
	assert_int_equal(sat_gap(4, 4), 0);
	assert_true(sat_gap(5, 3) <= SAT_GAP_ALERT);
	assert_false(sat_gap(4, 3) <= SAT_GAP_ALERT);
}

static void kinds_and_scales(void **state)
{
	(void)state;
	int lo, hi;
	assert_int_equal(sat_kind_parse("nps"), SAT_NPS);
	assert_int_equal(sat_kind_parse("stars"), -1);
	assert_int_equal(sat_kind_parse(NULL), -1);
	assert_string_equal(sat_kind_name(SAT_MULTIPLE), "multiple");
	assert_int_equal(sat_scale(SAT_CSAT, &lo, &hi), 0);
	assert_int_equal(lo * 10 + hi, 15);
	assert_int_equal(sat_scale(SAT_NPS, &lo, &hi), 0);
	assert_int_equal(lo * 100 + hi, 10);
	assert_int_equal(sat_scale(SAT_EFFORT, &lo, &hi), 0);
	assert_int_equal(lo * 10 + hi, 17);
	assert_int_equal(sat_scale(SAT_TEXT, &lo, &hi), -1);
}

static void periods(void **state)
{
	(void)state;
	char b[16];
	int32_t d = bizcal_days_from_civil(2026, 11, 25);
	assert_string_equal(sat_period_label("monthly", d, b), "2026-11");
	assert_string_equal(sat_period_label("quarterly", d, b), "2026-Q4");
	assert_string_equal(sat_period_label("quarterly", bizcal_days_from_civil(2026, 3, 31), b),
			    "2026-Q1");
	assert_string_equal(sat_period_label("quarterly", bizcal_days_from_civil(2026, 4, 1), b),
			    "2026-Q2");
	assert_string_equal(sat_period_label("yearly", d, b), "2026");
	assert_string_equal(sat_period_label("once", d, b), "once");
	assert_null(sat_period_label("weekly", d, b));
}

static void tokens(void **state)
{
	(void)state;
	char t[SAT_TOKEN_MAX], u[SAT_TOKEN_MAX];
	int64_t id = 0;
	sat_token_make("secret-a", 42, t);
	assert_int_equal(strlen(t), 3 + 32);
	assert_int_equal(sat_token_check("secret-a", t, &id), 0);
	assert_int_equal(id, 42);
	/* another secret, another id: other tokens */
	sat_token_make("secret-b", 42, u);
	assert_string_not_equal(t, u);
	assert_int_equal(sat_token_check("secret-b", t, &id), -2);
	sat_token_make("secret-a", 43, u);
	assert_string_not_equal(t + 3, u + 3);
	/* the id changed, the MAC kept: tampered */
	memcpy(u + 3, t + 3, 33);
	assert_int_equal(sat_token_check("secret-a", u, &id), -2);
	/* one character of the MAC changed */
	snprintf(u, sizeof(u), "%s", t);
	u[10] = u[10] == 'a' ? 'b' : 'a';
	assert_int_equal(sat_token_check("secret-a", u, &id), -2);
	/* malformed */
	assert_int_equal(sat_token_check("secret-a", "", &id), -1);
	assert_int_equal(sat_token_check("secret-a", "42", &id), -1);
	assert_int_equal(sat_token_check("secret-a", "42.00000000000000000000000000000000", &id), -1);
	assert_int_equal(sat_token_check("secret-a", "-abc", &id), -1);
	snprintf(u, sizeof(u), "%s", t);
	u[strlen(u) - 1] = 0;
	assert_int_equal(sat_token_check("secret-a", u, &id), -1);
	snprintf(u, sizeof(u), "%s", t);
	u[5] = 'G';
	assert_int_equal(sat_token_check("secret-a", u, &id), -1);
	assert_int_equal(sat_token_check("secret-a", "042-00000000000000000000000000000000", &id), -1);
	assert_int_equal(sat_token_check("secret-a", NULL, &id), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_sets_have_no_scores),
		cmocka_unit_test(csat_counts_four_and_five),
		cmocka_unit_test(nps_is_promoters_minus_detractors),
		cmocka_unit_test(effort_is_the_mean_in_hundredths),
		cmocka_unit_test(ratio_rounds_half_away_from_zero),
		cmocka_unit_test(low_scores),
		cmocka_unit_test(gaps),
		cmocka_unit_test(kinds_and_scales),
		cmocka_unit_test(periods),
		cmocka_unit_test(tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
