#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/segment.h"

#define DAY (86400000LL)
/* 2026-06-15 12:00 in China (04:00 UTC) */
#define NOW (1781496000000LL)

static struct seg_settings defaults(void)
{
	struct seg_settings s;
	seg_settings_default(&s);
	return s;
}

/* A buyer who bought `orders` times in the window for `revenue`, last
 * `days_ago` days ago, first `first_days_ago` days ago. */
static struct seg_cust buyer(int64_t id, int64_t revenue, int64_t orders, int days_ago,
			     int first_days_ago)
{
	return (struct seg_cust){id, revenue, revenue / 4, orders, orders, NOW - first_days_ago * DAY,
				 NOW - days_ago * DAY};
}

static void compute(struct seg_cust *c, size_t n, const struct seg_settings *s,
		    struct seg_result *out)
{
	assert_int_equal(segment_compute(c, n, s, NOW, out), 0);
}

/* ---- settings ---- */

static void settings_defaults_are_valid(void **state)
{
	(void)state;
	struct seg_settings s = defaults();
	kf_err e;
	kf_err_clear(&e);
	assert_int_equal(seg_settings_check(&s, &e), 0);
	assert_int_equal(s.top_bp, 100);
	assert_int_equal(s.high_bp, 400);
	assert_int_equal(s.mid_bp, 1500);
	assert_int_equal(s.window_months, 12);
	assert_true(s.lifecycle_auto);
}

static void settings_errors_name_the_field(void **state)
{
	(void)state;
	kf_err e;
	struct seg_settings s = defaults();
	s.top_bp = 0;
	assert_int_equal(seg_settings_check(&s, &e), KF_EINVAL);
	assert_string_equal(e.field, "top_pct");

	s = defaults();
	s.top_bp = 5000;
	s.high_bp = 4000;
	s.mid_bp = 1001;
	assert_int_equal(seg_settings_check(&s, &e), KF_EINVAL);
	assert_string_equal(e.field, "mid_pct");
	assert_non_null(strstr(e.zh, "100%"));

	s.mid_bp = 1000; /* exactly 100%: allowed, nobody is low */
	assert_int_equal(seg_settings_check(&s, &e), 0);

	s = defaults();
	s.loyal_min_r = 6;
	assert_int_equal(seg_settings_check(&s, &e), KF_EINVAL);
	assert_string_equal(e.field, "loyal_min_r");
	assert_non_null(strstr(e.en, "between 1 and 5"));

	s = defaults();
	s.key_min_tier = SEG_LOW;
	assert_int_equal(seg_settings_check(&s, &e), KF_EINVAL);
	assert_string_equal(e.field, "key_min_tier");

	s = defaults();
	s.window_months = 0;
	assert_int_equal(seg_settings_check(&s, &e), KF_EINVAL);
	assert_string_equal(e.field, "window_months");
}

static void codes_round_trip(void **state)
{
	(void)state;
	for (int t = 0; t < SEG_NTIERS; t++)
		assert_int_equal(seg_tier_parse(seg_tier_code(t)), t);
	for (int t = 0; t < SEG_NSTAGES; t++)
		assert_int_equal(seg_stage_parse(seg_stage_code(t)), t);
	assert_int_equal(seg_tier_parse("vip"), -1);
	assert_int_equal(seg_tier_parse(NULL), -1);
	assert_string_equal(seg_tier_code(SEG_INACTIVE), "inactive");
	assert_string_equal(seg_stage_code(SEG_STAGE_LOYAL), "loyal");
	assert_string_equal(seg_tier_code(99), "");
}

/* ---- calendar ---- */

/* ms of a China-time wall clock */
static int64_t cst(int y, int mo, int d, int h)
{
	/* days from 1970-01-01 by counting; small loops are fine in a test */
	static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t days = 0;
	for (int yy = 1970; yy < y; yy++)
		days += ((yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0) ? 366 : 365;
	for (int m = 1; m < mo; m++)
		days += md[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	days += d - 1;
	return days * DAY + h * 3600000LL - 8 * 3600000LL;
}

/* The same days as the web UI's presets (web/src/modules/reports/period.js). */
static void presets_are_the_ui_periods(void **state)
{
	(void)state;
	struct seg_period p[SEG_NPRESETS];
	seg_presets(NOW, p); /* 2026-06-15 12:00 */
	int64_t tomorrow = cst(2026, 6, 16, 0);
	assert_string_equal(p[0].name, "last30");
	assert_int_equal(p[0].from, cst(2026, 5, 17, 0));
	assert_int_equal(p[0].to, tomorrow);
	assert_string_equal(p[1].name, "last90");
	assert_int_equal(p[1].from, cst(2026, 3, 18, 0));
	assert_string_equal(p[2].name, "thisQuarter");
	assert_int_equal(p[2].from, cst(2026, 4, 1, 0));
	assert_int_equal(p[2].to, tomorrow);
	assert_string_equal(p[3].name, "lastQuarter");
	assert_int_equal(p[3].from, cst(2026, 1, 1, 0));
	assert_int_equal(p[3].to, cst(2026, 4, 1, 0));
	assert_string_equal(p[4].name, "thisYear");
	assert_int_equal(p[4].from, cst(2026, 1, 1, 0));
	assert_string_equal(p[5].name, "last12m");
	assert_int_equal(p[5].from, cst(2025, 6, 16, 0));
	assert_int_equal(p[5].to, tomorrow);
	/* 01:00 on 10 January in China (still 9 January in UTC): the year turns */
	seg_presets(cst(2026, 1, 10, 1), p);
	assert_int_equal(p[0].to, cst(2026, 1, 11, 0));
	assert_int_equal(p[2].from, cst(2026, 1, 1, 0));
	assert_int_equal(p[3].from, cst(2025, 10, 1, 0));
	assert_int_equal(p[3].to, cst(2026, 1, 1, 0));
	assert_int_equal(p[5].from, cst(2025, 1, 11, 0));
	/* 29 February: a year back is "30 February 2023", which rolls to 2 March */
	seg_presets(cst(2024, 2, 29, 23), p);
	assert_int_equal(p[5].from, cst(2023, 3, 2, 0));
	/* the last day of a quarter: this quarter still, the day after is the end */
	seg_presets(cst(2026, 9, 30, 23), p);
	assert_int_equal(p[2].from, cst(2026, 7, 1, 0));
	assert_int_equal(p[2].to, cst(2026, 10, 1, 0));
	assert_int_equal(p[3].from, cst(2026, 4, 1, 0));
}

static void months_before_is_calendar_months_in_china_time(void **state)
{
	(void)state;
	assert_int_equal(cst(2026, 6, 15, 12), NOW);
	assert_int_equal(seg_months_before(NOW, 0), NOW);
	assert_int_equal(seg_months_before(NOW, 1), cst(2026, 5, 15, 12));
	assert_int_equal(seg_months_before(NOW, 12), cst(2025, 6, 15, 12));
	assert_int_equal(seg_months_before(NOW, 6), cst(2025, 12, 15, 12));
	assert_int_equal(seg_months_before(NOW, 120), cst(2016, 6, 15, 12));
	/* clamped to the end of a shorter month */
	assert_int_equal(seg_months_before(cst(2025, 5, 31, 9), 3), cst(2025, 2, 28, 9));
	assert_int_equal(seg_months_before(cst(2024, 5, 31, 9), 3), cst(2024, 2, 29, 9));
	assert_int_equal(seg_months_before(cst(2025, 3, 31, 0), 1), cst(2025, 2, 28, 0));
	/* 01:00 in China is the previous day in UTC: the China date counts */
	assert_int_equal(seg_months_before(cst(2025, 3, 1, 1), 1), cst(2025, 2, 1, 1));
	assert_int_equal(seg_months_before(cst(2025, 1, 15, 23), 1), cst(2024, 12, 15, 23));
}

static void days_parse_and_format(void **state)
{
	(void)state;
	int64_t ms;
	assert_int_equal(seg_parse_day("2026-06-15", &ms), 0);
	assert_int_equal(ms, cst(2026, 6, 15, 0));
	assert_int_equal(seg_day_ms(2024, 2, 29), cst(2024, 2, 29, 0));
	assert_int_equal(seg_parse_day("2024-02-29", &ms), 0);
	assert_int_equal(seg_parse_day("2025-02-29", &ms), -1);
	assert_int_equal(seg_parse_day("2025-13-01", &ms), -1);
	assert_int_equal(seg_parse_day("2025-1-01", &ms), -1);
	assert_int_equal(seg_parse_day("2025-01-01x", &ms), -1);
	assert_int_equal(seg_parse_day("2025/01/01", &ms), -1);
	assert_int_equal(seg_parse_day("+025-01-01", &ms), -1);
	assert_int_equal(seg_parse_day("", &ms), -1);
	assert_int_equal(seg_parse_day(NULL, &ms), -1);
	/* NOW is 12:00 in China: 02:00 was today, 13:00 yesterday */
	assert_int_equal(seg_last_hour_at(NOW, 2), cst(2026, 6, 15, 2));
	assert_int_equal(seg_last_hour_at(NOW, 12), NOW);
	assert_int_equal(seg_last_hour_at(NOW, 13), cst(2026, 6, 14, 13));
	assert_int_equal(seg_last_hour_at(cst(2026, 6, 15, 0), 0), cst(2026, 6, 15, 0));
	char day[11];
	seg_format_day(NOW, day);
	assert_string_equal(day, "2026-06-15");
	seg_format_day(cst(2026, 1, 1, 0), day); /* 2025-12-31 16:00 UTC */
	assert_string_equal(day, "2026-01-01");
	seg_format_day(cst(2026, 1, 1, 0) - 1, day);
	assert_string_equal(day, "2025-12-31");
}

/* ---- pyramid ---- */

static void pyramid_of_100_distinct_buyers(void **state)
{
	(void)state;
	struct seg_cust c[100];
	struct seg_result r[100];
	struct seg_settings s = defaults();
	for (int i = 0; i < 100; i++) /* revenue 100, 99, ..., 1 yuan */
		c[i] = buyer(i + 1, (100 - i) * 100, 1, 10, 10);
	compute(c, 100, &s, r);
	int count[SEG_NTIERS] = {0};
	for (int i = 0; i < 100; i++)
		count[r[i].tier]++;
	assert_int_equal(count[SEG_TOP], 1);
	assert_int_equal(count[SEG_HIGH], 4);
	assert_int_equal(count[SEG_MID], 15);
	assert_int_equal(count[SEG_LOW], 80);
	assert_int_equal(r[0].tier, SEG_TOP);
	assert_int_equal(r[1].tier, SEG_HIGH);
	assert_int_equal(r[4].tier, SEG_HIGH);
	assert_int_equal(r[5].tier, SEG_MID);
	assert_int_equal(r[19].tier, SEG_MID);
	assert_int_equal(r[20].tier, SEG_LOW);
}

static void pyramid_small_populations(void **state)
{
	(void)state;
	struct seg_settings s = defaults();
	struct seg_cust c[5];
	struct seg_result r[5];

	c[0] = buyer(1, 500, 1, 10, 10); /* one buyer: the best there is */
	compute(c, 1, &s, r);
	assert_int_equal(r[0].tier, SEG_TOP);

	c[1] = buyer(2, 100, 1, 10, 10); /* two: 1 of 2 is 50%, past every cut-off */
	compute(c, 2, &s, r);
	assert_int_equal(r[0].tier, SEG_TOP);
	assert_int_equal(r[1].tier, SEG_LOW);

	for (int i = 2; i < 5; i++)
		c[i] = buyer(i + 1, 50 - i, 1, 10, 10);
	compute(c, 5, &s, r); /* five: the best is top; 1 of 5 is already 20% */
	assert_int_equal(r[0].tier, SEG_TOP);
	for (int i = 1; i < 5; i++)
		assert_int_equal(r[i].tier, SEG_LOW);

	/* wider cut-offs: top 20%, high 20%, mid 20% of five */
	s.top_bp = s.high_bp = s.mid_bp = 2000;
	compute(c, 5, &s, r);
	assert_int_equal(r[0].tier, SEG_TOP);
	assert_int_equal(r[1].tier, SEG_HIGH);
	assert_int_equal(r[2].tier, SEG_MID);
	assert_int_equal(r[3].tier, SEG_LOW);
	assert_int_equal(r[4].tier, SEG_LOW);

	compute(c, 0, &s, r); /* nobody: nothing to do, no crash */
}

static void pyramid_ties_go_up_and_ignore_input_order(void **state)
{
	(void)state;
	struct seg_settings s = defaults();
	struct seg_cust c[100];
	struct seg_result r[100];
	for (int i = 0; i < 100; i++)
		c[i] = buyer(i + 1, (100 - i) * 100, 1, 10, 10);
	c[1].revenue_fen = c[0].revenue_fen; /* two share the first place */
	c[20].revenue_fen = c[19].revenue_fen; /* a tie across the mid/low cut-off */
	compute(c, 100, &s, r);
	assert_int_equal(r[0].tier, SEG_TOP);
	assert_int_equal(r[1].tier, SEG_TOP);
	assert_int_equal(r[2].tier, SEG_HIGH);
	assert_int_equal(r[19].tier, SEG_MID);
	assert_int_equal(r[20].tier, SEG_MID);
	assert_int_equal(r[21].tier, SEG_LOW);

	/* the same customers reversed: the same tier for each id */
	struct seg_cust rc[100];
	struct seg_result rr[100];
	for (int i = 0; i < 100; i++)
		rc[i] = c[99 - i];
	compute(rc, 100, &s, rr);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(rr[99 - i].tier, r[i].tier);
		assert_int_equal(rr[99 - i].r, r[i].r);
		assert_int_equal(rr[99 - i].m, r[i].m);
	}

	/* everybody equal: nobody is ahead of anybody */
	for (int i = 0; i < 10; i++)
		c[i] = buyer(i + 1, 700, 2, 5, 5);
	compute(c, 10, &s, r);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(r[i].tier, SEG_TOP);
		assert_int_equal(r[i].r, 3);
		assert_int_equal(r[i].f, 3);
		assert_int_equal(r[i].m, 3);
	}
}

static void potential_inactive_and_zero_revenue(void **state)
{
	(void)state;
	struct seg_settings s = defaults();
	struct seg_cust c[4] = {
		{.id = 1}, /* never bought */
		buyer(2, 100000, 1, 400, 400), /* last order 13 months ago: inactive */
		buyer(3, 0, 1, 10, 10),	       /* bought in the window, for nothing */
		buyer(4, 100, 1, 10, 10),
	};
	c[1].revenue_fen = 0; /* outside the window */
	c[1].orders = 0;
	struct seg_result r[4];
	compute(c, 4, &s, r);
	assert_int_equal(r[0].tier, SEG_POTENTIAL);
	assert_int_equal(r[0].stage, SEG_STAGE_POTENTIAL);
	assert_int_equal(r[0].r, 0);
	assert_int_equal(r[0].f, 0);
	assert_int_equal(r[0].m, 0);
	assert_int_equal(r[1].tier, SEG_INACTIVE);
	assert_int_equal(r[2].tier, SEG_LOW); /* a buyer, but worth nothing in the window */
	/* two active buyers: customer 4 is the best, and the inactive one does
	 * not count in the population */
	assert_int_equal(r[3].tier, SEG_TOP);

	/* 11 months ago is still active with the default 12 */
	c[1] = buyer(2, 50, 1, 330, 330);
	compute(c, 4, &s, r);
	assert_int_equal(r[1].tier, SEG_LOW);
	s.inactive_months = 6;
	compute(c, 4, &s, r);
	assert_int_equal(r[1].tier, SEG_INACTIVE);
}

static void rank_by_margin(void **state)
{
	(void)state;
	struct seg_settings s = defaults();
	struct seg_cust c[2] = {buyer(1, 1000, 1, 1, 1), buyer(2, 500, 1, 1, 1)};
	c[0].margin_fen = 10;
	c[1].margin_fen = 300;
	struct seg_result r[2];
	compute(c, 2, &s, r);
	assert_int_equal(r[0].tier, SEG_TOP);
	assert_int_equal(r[1].tier, SEG_LOW);
	s.rank_by = SEG_BY_MARGIN;
	compute(c, 2, &s, r);
	assert_int_equal(r[0].tier, SEG_LOW);
	assert_int_equal(r[1].tier, SEG_TOP);
	assert_int_equal(r[0].m, 4); /* monetary stays revenue */
	c[1].margin_fen = -5; /* a loss: never above low */
	compute(c, 2, &s, r);
	assert_int_equal(r[0].tier, SEG_TOP);
	assert_int_equal(r[1].tier, SEG_LOW);
}

/* ---- RFM ---- */

static void rfm_quintiles_and_small_populations(void **state)
{
	(void)state;
	struct seg_settings s = defaults();
	struct seg_cust c[10];
	struct seg_result r[10];

	c[0] = buyer(1, 100, 1, 3, 3);
	compute(c, 1, &s, r);
	assert_int_equal(r[0].r, 3);
	assert_int_equal(r[0].f, 3);
	assert_int_equal(r[0].m, 3);

	c[1] = buyer(2, 50, 2, 30, 30);
	compute(c, 2, &s, r);
	assert_int_equal(r[0].r, 4); /* more recent */
	assert_int_equal(r[1].r, 2);
	assert_int_equal(r[0].f, 2); /* fewer orders */
	assert_int_equal(r[1].f, 4);
	assert_int_equal(r[0].m, 4);
	assert_int_equal(r[1].m, 2);

	for (int i = 0; i < 5; i++) /* i = 0 is the oldest, fewest, cheapest */
		c[i] = buyer(i + 1, (i + 1) * 1000, i + 1, 50 - i, 60);
	compute(c, 5, &s, r);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(r[i].r, i + 1);
		assert_int_equal(r[i].f, i + 1);
		assert_int_equal(r[i].m, i + 1);
	}

	for (int i = 0; i < 10; i++)
		c[i] = buyer(i + 1, (i + 1) * 1000, i + 1, 50 - i, 60);
	compute(c, 10, &s, r);
	for (int i = 0; i < 10; i++)
		assert_int_equal(r[i].m, i / 2 + 1);

	/* ties share a score: three at the bottom, seven distinct above */
	c[1].revenue_fen = c[2].revenue_fen = c[0].revenue_fen;
	compute(c, 10, &s, r);
	assert_int_equal(r[0].m, r[1].m);
	assert_int_equal(r[1].m, r[2].m);
	assert_int_equal(r[0].m, 1); /* middle of positions 0..2 of 10: 1.5/10 */
	assert_int_equal(r[9].m, 5);
}

static void rfm_covers_inactive_buyers_not_potential_ones(void **state)
{
	(void)state;
	struct seg_settings s = defaults();
	struct seg_cust c[3] = {buyer(1, 900, 3, 2, 100), buyer(2, 0, 0, 500, 800), {.id = 3}};
	c[1].orders_total = 4;
	struct seg_result r[3];
	compute(c, 3, &s, r);
	assert_int_equal(r[1].tier, SEG_INACTIVE);
	assert_int_equal(r[0].r, 4);
	assert_int_equal(r[1].r, 2);
	assert_int_equal(r[1].f, 2);
	assert_int_equal(r[2].r, 0);
	assert_int_equal(r[1].stage, SEG_STAGE_TEMPORARY); /* lapsed */
	s.inactive_is_temporary = 0;
	compute(c, 3, &s, r);
	assert_int_equal(r[1].stage, SEG_STAGE_GENERAL);
}

/* ---- lifecycle ---- */

static void lifecycle_rules(void **state)
{
	(void)state;
	struct seg_settings s = defaults();
	struct seg_cust c[10];
	struct seg_result r[10];
	/* ten buyers: recency and frequency rise with i */
	for (int i = 0; i < 10; i++)
		c[i] = buyer(i + 1, 1000, i + 2, 100 - i * 10, 200);
	c[9].orders_total = 1; /* the most recent bought once: temporary */
	compute(c, 10, &s, r);
	assert_int_equal(r[9].stage, SEG_STAGE_TEMPORARY);
	assert_int_equal(r[8].r, 5);
	assert_int_equal(r[8].f, 5);
	assert_int_equal(r[8].stage, SEG_STAGE_LOYAL);
	assert_int_equal(r[6].r, 4);
	assert_int_equal(r[6].f, 4);
	assert_int_equal(r[6].stage, SEG_STAGE_LOYAL);
	assert_int_equal(r[4].stage, SEG_STAGE_GENERAL); /* r 3 */
	assert_int_equal(r[0].r, 1);
	assert_int_equal(r[0].stage, SEG_STAGE_TEMPORARY); /* lapsing */
	assert_int_equal(r[2].stage, SEG_STAGE_GENERAL);

	/* stricter loyalty: R 5 and at least 10 orders */
	s.loyal_min_r = 5;
	s.loyal_min_orders = 10;
	compute(c, 10, &s, r);
	assert_int_equal(r[8].stage, SEG_STAGE_LOYAL); /* 10 orders */
	assert_int_equal(r[7].stage, SEG_STAGE_GENERAL);
	/* the recency rule off: the lapsing buyer is general */
	s.temporary_max_r = 0;
	compute(c, 10, &s, r);
	assert_int_equal(r[0].stage, SEG_STAGE_GENERAL);
}

/* ---- key accounts ---- */

static void key_account_suggestion(void **state)
{
	(void)state;
	struct seg_settings s = defaults();
	struct seg_cust c[6] = {
		buyer(1, 90000, 5, 3, 400), /* top, 5 orders, customer for 13 months */
		buyer(2, 80000, 5, 3, 400), /* top too? no: high (1 of 6 ahead is past 1%) */
		buyer(3, 70000, 2, 3, 400), /* too few orders */
		buyer(4, 60000, 5, 3, 90),  /* too new */
		buyer(5, 10, 5, 3, 400),    /* low */
		buyer(6, 0, 0, 900, 900),   /* inactive */
	};
	c[5].orders_total = 9;
	s.top_bp = 1000;
	s.high_bp = 4000; /* top 10%: 1 of 6; high the next 40%: ranks 1..2 */
	struct seg_result r[6];
	compute(c, 6, &s, r);
	assert_int_equal(r[0].tier, SEG_TOP);
	assert_int_equal(r[1].tier, SEG_HIGH);
	assert_true(r[0].key);
	assert_true(r[1].key);
	assert_false(r[2].key);
	assert_false(r[3].key);
	assert_false(r[4].key);
	assert_false(r[5].key);
	s.key_min_tier = SEG_TOP;
	compute(c, 6, &s, r);
	assert_true(r[0].key);
	assert_false(r[1].key);
	s.key_min_history_months = 0;
	s.key_min_orders = 1;
	s.key_min_tier = SEG_MID;
	compute(c, 6, &s, r);
	assert_true(r[2].key);
	assert_true(r[3].key);
}

/* ---- Pareto ---- */

static void pareto_five(void **state)
{
	(void)state;
	int64_t v[] = {15, 100, 10, 25, 50};
	struct seg_pareto p;
	seg_pareto(v, 5, &p);
	assert_int_equal(v[0], 100);
	assert_int_equal(v[4], 10);
	assert_int_equal(p.customers, 5);
	assert_int_equal(p.total, 200);
	assert_int_equal(p.top20_customers, 1);
	assert_int_equal(p.top20_value, 100);
	assert_true(p.top20_share == 0.5);
	assert_int_equal(p.customers_80, 3); /* 175 of 200 */
	assert_true(p.customers_80_share == 0.6);
	assert_int_equal(p.npoints, 6);
	assert_int_equal(p.points[0].customers, 0);
	assert_true(p.points[0].y == 0.0);
	assert_int_equal(p.points[2].customers, 2);
	assert_int_equal(p.points[2].value, 150);
	assert_true(p.points[2].y == 0.75);
	assert_true(p.points[5].x == 1.0);
	assert_true(p.points[5].y == 1.0);
}

static void pareto_degenerate(void **state)
{
	(void)state;
	struct seg_pareto p;
	seg_pareto(NULL, 0, &p);
	assert_int_equal(p.customers, 0);
	assert_int_equal(p.npoints, 1);
	assert_true(p.top20_share == 0.0);
	assert_int_equal(p.customers_80, 0);

	int64_t one[] = {42};
	seg_pareto(one, 1, &p);
	assert_int_equal(p.top20_customers, 1);
	assert_true(p.top20_share == 1.0);
	assert_int_equal(p.customers_80, 1);
	assert_int_equal(p.npoints, 2);

	int64_t two[] = {30, 70};
	seg_pareto(two, 2, &p);
	assert_int_equal(p.top20_customers, 1);
	assert_true(p.top20_share == 0.7);
	assert_int_equal(p.customers_80, 2);

	int64_t zero[] = {0, 0, 0};
	seg_pareto(zero, 3, &p);
	assert_true(p.top20_share == 0.0);
	assert_int_equal(p.customers_80, 0);

	int64_t loss[] = {-20, 100}; /* margins: the best alone bring 125% */
	seg_pareto(loss, 2, &p);
	assert_int_equal(p.total, 80);
	assert_true(p.top20_share == 1.25);
	assert_true(p.points[1].y == 1.25);
	assert_int_equal(p.customers_80, 1);
}

static void pareto_large_has_101_points(void **state)
{
	(void)state;
	enum { N = 1000 };
	int64_t *v = malloc(N * sizeof(*v));
	/* 200 customers of 40 and 800 of 2.5 (in tenths): exactly 80/20 */
	for (int i = 0; i < N; i++)
		v[i] = i % 5 == 0 ? 400 : 25;
	struct seg_pareto p;
	seg_pareto(v, N, &p);
	assert_int_equal(p.total, 200 * 400 + 800 * 25);
	assert_int_equal(p.top20_customers, 200);
	assert_true(p.top20_share == 0.8);
	assert_int_equal(p.customers_80, 200);
	assert_int_equal(p.npoints, 101);
	assert_int_equal(p.points[20].customers, 200);
	assert_true(p.points[20].y == 0.8);
	assert_int_equal(p.points[100].customers, N);
	for (size_t i = 1; i < p.npoints; i++)
		assert_true(p.points[i].y >= p.points[i - 1].y);
	free(v);

	int64_t odd[101]; /* ceil: 1% of 101 is 2 customers */
	for (int i = 0; i < 101; i++)
		odd[i] = 101 - i;
	seg_pareto(odd, 101, &p);
	assert_int_equal(p.npoints, 101);
	assert_int_equal(p.points[1].customers, 2);
	assert_int_equal(p.points[100].customers, 101);
	assert_int_equal(p.top20_customers, 21);
}

/* ---- migration ---- */

static void migration_counts(void **state)
{
	(void)state;
	struct seg_migration m;
	seg_migration_init(&m);
	seg_migration_add(&m, SEG_POTENTIAL, SEG_LOW);
	seg_migration_add(&m, SEG_LOW, SEG_MID);
	seg_migration_add(&m, SEG_TOP, SEG_HIGH);
	seg_migration_add(&m, SEG_HIGH, SEG_HIGH);
	seg_migration_add(&m, SEG_MIG_NEW, SEG_TOP);
	seg_migration_add(&m, 99, SEG_TOP); /* ignored */
	seg_migration_add(&m, SEG_TOP, -1);
	assert_int_equal(m.flow[SEG_POTENTIAL][SEG_LOW], 1);
	assert_int_equal(m.flow[SEG_MIG_NEW][SEG_TOP], 1);
	assert_int_equal(m.up, 2);
	assert_int_equal(m.down, 1);
	assert_int_equal(m.same, 1);
	assert_int_equal(seg_tier_direction(SEG_LOW, SEG_INACTIVE), -1);
	assert_int_equal(seg_tier_direction(SEG_INACTIVE, SEG_LOW), 1);
	assert_int_equal(seg_tier_direction(SEG_MID, SEG_MID), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(settings_defaults_are_valid),
		cmocka_unit_test(settings_errors_name_the_field),
		cmocka_unit_test(codes_round_trip),
		cmocka_unit_test(months_before_is_calendar_months_in_china_time),
		cmocka_unit_test(days_parse_and_format),
		cmocka_unit_test(pyramid_of_100_distinct_buyers),
		cmocka_unit_test(pyramid_small_populations),
		cmocka_unit_test(pyramid_ties_go_up_and_ignore_input_order),
		cmocka_unit_test(potential_inactive_and_zero_revenue),
		cmocka_unit_test(rank_by_margin),
		cmocka_unit_test(rfm_quintiles_and_small_populations),
		cmocka_unit_test(rfm_covers_inactive_buyers_not_potential_ones),
		cmocka_unit_test(lifecycle_rules),
		cmocka_unit_test(key_account_suggestion),
		cmocka_unit_test(pareto_five),
		cmocka_unit_test(pareto_degenerate),
		cmocka_unit_test(pareto_large_has_101_points),
		cmocka_unit_test(migration_counts),
		cmocka_unit_test(presets_are_the_ui_periods),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
