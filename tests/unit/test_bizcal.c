/* Business-time arithmetic on the real 2025 China calendar (国务院办公厅
 * 关于2025年部分节假日安排的通知), across weekends, public holidays,
 * make-up workdays (调休), lunch breaks and midnight; and the text format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/bizcal.h"
#include "core/err.h"
#include "core/validate.h"

static const char cn2025[] =
	"# 2025 年中国法定节假日（国务院办公厅通知）\n"
	"hours mon-fri 09:00-12:00,13:00-18:00\n"
	"2025-01-01 holiday 元旦\n"
	"2025-01-26 workday 春节调休   # 周日上班\n"
	"2025-01-28..2025-02-04 holiday 春节\n"
	"2025-02-08 workday 春节调休\n"
	"2025-04-04..2025-04-06 holiday 清明节\n"
	"2025-04-27 workday 劳动节调休\n"
	"2025-05-01..2025-05-05 holiday 劳动节\n"
	"2025-05-31..2025-06-02 holiday 端午节\n"
	"2025-09-28 workday 国庆节、中秋节调休\n"
	"2025-10-01..2025-10-08 holiday 国庆节、中秋节\n"
	"2025-10-11 workday 国庆节、中秋节调休\n";

static struct bizcal_day storage[256];
static struct bizcal cal;

/* Local minutes of a date and time. */
static int64_t at(int y, int mo, int d, int h, int mi)
{
	return (int64_t)bizcal_days_from_civil(y, mo, d) * 1440 + h * 60 + mi;
}

static int64_t plus(int64_t start, int64_t minutes)
{
	int64_t out = -1;
	kf_err e;
	assert_int_equal(bizcal_add(&cal, start, minutes, &out, &e), 0);
	return out;
}

static int setup(void **state)
{
	(void)state;
	int line;
	kf_err e;
	kf_err_clear(&e);
	bizcal_init(&cal, storage, 256);
	int rc = bizcal_parse(&cal, cn2025, &line, &e);
	if (rc)
		fprintf(stderr, "parse: %s\n", e.en);
	assert_int_equal(rc, 0);
	return 0;
}

static void dates_and_weekdays(void **state)
{
	(void)state;
	assert_int_equal(bizcal_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(bizcal_weekday(0), 4);                                  /* Thursday */
	assert_int_equal(bizcal_weekday(bizcal_days_from_civil(2025, 5, 30)), 5); /* Friday */
	assert_int_equal(bizcal_weekday(bizcal_days_from_civil(2025, 1, 26)), 7); /* Sunday */
	assert_int_equal(bizcal_weekday(bizcal_days_from_civil(1969, 12, 29)), 1); /* Monday */
	assert_int_equal(bizcal_weekday(-1), 3);
	int y, m, d;
	bizcal_civil_from_days(bizcal_days_from_civil(2024, 2, 29), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20240229);
	bizcal_civil_from_days(-1, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 19691231);
	int32_t day;
	assert_int_equal(bizcal_parse_date("2025-10-11", &day), 0);
	assert_int_equal(day, bizcal_days_from_civil(2025, 10, 11));
	assert_int_equal(bizcal_parse_date("2025-02-29", &day), -1);
	assert_int_equal(bizcal_parse_date("10-11", &day), -1);
	assert_int_equal(bizcal_floor_div(-1, 1440), -1);
	assert_int_equal(bizcal_floor_div(1439, 1440), 0);
	assert_int_equal(bizcal_floor_div(-1440, 1440), -1);
}

static void the_calendar_reads_as_announced(void **state)
{
	(void)state;
	const struct bizcal_interval *iv;
	/* 33 dated entries: 1 + 8 + 3 + 5 + 3 + 8 holidays, 5 make-up days */
	assert_int_equal(cal.ndays, 33);
	assert_int_equal(bizcal_intervals(&cal, bizcal_days_from_civil(2025, 1, 1), &iv), 0);
	assert_int_equal(bizcal_intervals(&cal, bizcal_days_from_civil(2025, 1, 26), &iv), 2);
	assert_int_equal(iv[0].start, 9 * 60);
	assert_int_equal(bizcal_intervals(&cal, bizcal_days_from_civil(2025, 1, 25), &iv), 0);
	assert_int_equal(bizcal_intervals(&cal, bizcal_days_from_civil(2025, 5, 29), &iv), 2);
	const struct bizcal_day *d = bizcal_find_day(&cal, bizcal_days_from_civil(2025, 10, 5));
	assert_non_null(d);
	assert_int_equal(d->kind, BIZCAL_HOLIDAY);
	assert_string_equal(d->name, "国庆节、中秋节");
	assert_int_equal(d->line, 12);
	d = bizcal_find_day(&cal, bizcal_days_from_civil(2025, 1, 26));
	assert_string_equal(d->name, "春节调休"); /* the comment is not part of the name */
}

/* The case that must be shown: created on Friday 2025-05-30 at 16:00, the
 * day before 端午节 (5/31-6/2), with an 8-business-hour target: 2 hours on
 * Friday, then Tuesday 09-12 and 13-16 with the lunch break between. */
static void friday_before_dragon_boat_festival(void **state)
{
	(void)state;
	assert_int_equal(plus(at(2025, 5, 30, 16, 0), 8 * 60), at(2025, 6, 3, 16, 0));
	assert_int_equal(bizcal_between(&cal, at(2025, 5, 30, 16, 0), at(2025, 6, 3, 16, 0)), 480);
	/* one minute before the end of the Friday */
	assert_int_equal(plus(at(2025, 5, 30, 17, 59), 1), at(2025, 5, 30, 18, 0));
	assert_int_equal(plus(at(2025, 5, 30, 17, 59), 2), at(2025, 6, 3, 9, 1));
}

/* National Day + Mid-Autumn 10/1-10/8, with the Sunday 9/28 and the
 * Saturday 10/11 worked. */
static void across_national_day(void **state)
{
	(void)state;
	/* Tue 9/30 17:00: 1 h that day, then Thu 10/9 09-12, 13-17. */
	assert_int_equal(plus(at(2025, 9, 30, 17, 0), 480), at(2025, 10, 9, 17, 0));
	/* Fri 9/26 17:00: Saturday off, Sunday 9/28 is a workday. */
	assert_int_equal(plus(at(2025, 9, 26, 17, 0), 480), at(2025, 9, 28, 17, 0));
	/* Fri 10/10 17:00 + 2 h: Saturday 10/11 is worked. */
	assert_int_equal(plus(at(2025, 10, 10, 17, 0), 120), at(2025, 10, 11, 10, 0));
	/* Sat 10/11 17:30 + 1 h: Sunday 10/12 is off again. */
	assert_int_equal(plus(at(2025, 10, 11, 17, 30), 60), at(2025, 10, 13, 9, 30));
	/* The whole holiday counts nothing. */
	assert_int_equal(bizcal_between(&cal, at(2025, 10, 1, 0, 0), at(2025, 10, 9, 0, 0)), 0);
	/* A 3-business-day target (24 h) from Mon 9/29 10:00. */
	assert_int_equal(plus(at(2025, 9, 29, 10, 0), 3 * 480), at(2025, 10, 10, 10, 0));
}

static void spring_festival_and_labour_day(void **state)
{
	(void)state;
	/* Mon 1/27 17:00: 1 h, then 1/28-2/4 off, Wed 2/5. */
	assert_int_equal(plus(at(2025, 1, 27, 17, 0), 480), at(2025, 2, 5, 17, 0));
	/* Fri 1/24 17:00 + 2 h: Sunday 1/26 is worked. */
	assert_int_equal(plus(at(2025, 1, 24, 17, 0), 120), at(2025, 1, 26, 10, 0));
	/* Sat 2/8 is worked. */
	assert_int_equal(plus(at(2025, 2, 7, 17, 0), 120), at(2025, 2, 8, 10, 0));
	/* Sun 4/27 worked, 4/28-4/30 normal, 5/1-5/5 off. */
	assert_int_equal(plus(at(2025, 4, 25, 18, 0), 60), at(2025, 4, 27, 10, 0));
	assert_int_equal(plus(at(2025, 4, 30, 17, 0), 120), at(2025, 5, 6, 10, 0));
	/* 元旦 on a Wednesday. */
	assert_int_equal(plus(at(2024, 12, 31, 17, 30), 60), at(2025, 1, 2, 9, 30));
}

static void lunch_breaks_nights_and_weekends(void **state)
{
	(void)state;
	int64_t mon = at(2025, 3, 10, 0, 0); /* an ordinary Monday */
	assert_int_equal(plus(mon + 11 * 60 + 30, 30), mon + 12 * 60);      /* ends at 12:00 */
	assert_int_equal(plus(mon + 11 * 60 + 30, 31), mon + 13 * 60 + 1);  /* over lunch */
	assert_int_equal(plus(mon + 12 * 60 + 30, 30), mon + 13 * 60 + 30); /* starts in lunch */
	assert_int_equal(plus(mon + 20 * 60, 60), mon + 1440 + 10 * 60);    /* evening */
	assert_int_equal(plus(mon + 23 * 60 + 59, 1), mon + 1440 + 9 * 60 + 1); /* midnight */
	assert_int_equal(plus(mon + 3 * 60, 60), mon + 10 * 60);            /* early morning */
	assert_int_equal(plus(mon - 1440 * 3 + 17 * 60 + 30, 60), mon + 9 * 60 + 30); /* Fri → Mon */
	assert_int_equal(plus(mon + 10 * 60, 0), mon + 10 * 60);
	assert_int_equal(plus(mon + 20 * 60, 0), mon + 20 * 60); /* 0 moves nothing */
	assert_int_equal(plus(mon, 5 * 480), mon + 4 * 1440 + 18 * 60); /* a week's work */
	/* between: lunch and nights are not counted */
	assert_int_equal(bizcal_between(&cal, mon + 11 * 60, mon + 14 * 60), 120);
	assert_int_equal(bizcal_between(&cal, mon + 14 * 60, mon + 11 * 60), -120);
	assert_int_equal(bizcal_between(&cal, mon + 17 * 60, mon + 1440 + 10 * 60), 120);
	assert_int_equal(bizcal_between(&cal, mon, mon), 0);
	assert_int_equal(bizcal_between(&cal, mon, mon + 7 * 1440), 5 * 480);
	kf_err e;
	int64_t out;
	assert_int_equal(bizcal_add(&cal, mon, -1, &out, &e), KF_EINVAL);
}

static void round_the_clock_and_make_up_hours(void **state)
{
	(void)state;
	struct bizcal_day st[8];
	struct bizcal c;
	int line;
	kf_err e;
	bizcal_init(&c, st, 8);
	assert_int_equal(bizcal_parse(&c, "hours mon-sun 00:00-24:00\n", &line, &e), 0);
	int64_t t = at(2025, 6, 1, 23, 30);
	int64_t out;
	assert_int_equal(bizcal_add(&c, t, 60, &out, &e), 0);
	assert_int_equal(out, at(2025, 6, 2, 0, 30));
	assert_int_equal(bizcal_between(&c, t, out), 60);
	/* Make-up days take the hours of the first weekday that has any. */
	bizcal_init(&c, st, 8);
	assert_int_equal(bizcal_parse(&c,
				      "hours tue-fri 08:00-12:00\nhours sat 10:00-11:00\n"
				      "2025-06-01 workday 调休\n",
				      &line, &e),
			 0);
	const struct bizcal_interval *iv;
	assert_int_equal(bizcal_intervals(&c, bizcal_days_from_civil(2025, 6, 1), &iv), 1);
	assert_int_equal(iv[0].start, 8 * 60);
	assert_int_equal(bizcal_intervals(&c, bizcal_days_from_civil(2025, 6, 2), &iv), 0); /* Mon */
	/* Several intervals a day. */
	bizcal_init(&c, st, 8);
	assert_int_equal(bizcal_parse(&c, "hours mon 08:00-09:00,10:00-11:00,12:00-13:00,14:00-15:00\n",
				      &line, &e),
			 0);
	assert_int_equal(bizcal_add(&c, at(2025, 6, 2, 0, 0), 150, &out, &e), 0);
	assert_int_equal(out, at(2025, 6, 2, 12, 30));
	/* No working time at all. */
	bizcal_init(&c, st, 8);
	assert_false(bizcal_has_hours(&c));
	assert_int_equal(bizcal_add(&c, t, 1, &out, &e), KF_EINVAL);
	assert_string_equal(e.field, "calendar");
	/* Default hours, no dates: an ordinary week. */
	bizcal_default_hours(&c);
	assert_true(bizcal_has_hours(&c));
	assert_int_equal(bizcal_add(&c, at(2025, 5, 30, 16, 0), 480, &out, &e), 0);
	assert_int_equal(out, at(2025, 6, 2, 16, 0)); /* no holidays here: Monday */
}

static void expect_error(const char *text, int want_line, int want_code, const char *needle)
{
	struct bizcal_day st[16];
	struct bizcal c;
	int line = -1;
	kf_err e;
	kf_err_clear(&e);
	bizcal_init(&c, st, 16);
	int rc = bizcal_parse(&c, text, &line, &e);
	if (rc != want_code || line != want_line || !strstr(e.en, needle))
		fprintf(stderr, "text %s: rc %d line %d: %s / %s\n", text, rc, line, e.en, e.zh);
	assert_int_equal(rc, want_code);
	assert_int_equal(line, want_line);
	assert_string_equal(e.field, "text");
	assert_non_null(strstr(e.en, needle));
	char zh_line[32];
	snprintf(zh_line, sizeof(zh_line), "第 %d 行", want_line);
	assert_non_null(strstr(e.zh, zh_line));
}

static void parse_errors_name_the_line(void **state)
{
	(void)state;
	expect_error("# ok\nhours mon-fri 09:00-12:00\nhours funday 09:00-10:00\n", 3, KF_EINVAL,
		     "invalid weekdays");
	expect_error("hours fri-mon 09:00-12:00\n", 1, KF_EINVAL, "invalid weekdays");
	expect_error("hours mon 9:00-12:00\n", 1, KF_EINVAL, "HH:MM");
	expect_error("hours mon 13:00-12:00\n", 1, KF_EINVAL, "starts before");
	expect_error("hours mon 09:00-12:00,11:00-13:00\n", 1, KF_EINVAL, "overlap");
	expect_error("hours mon 09:00-12:00 extra\n", 1, KF_EINVAL, "HH:MM");
	expect_error("hours mon\n", 1, KF_EINVAL, "HH:MM");
	expect_error("\n\n2025-02-30 holiday x\n", 3, KF_EINVAL, "valid YYYY-MM-DD");
	expect_error("2025-05-05..2025-05-01 holiday x\n", 1, KF_EINVAL, "ends before");
	expect_error("2025-05-01 vacation\n", 1, KF_EINVAL, "holiday or workday");
	expect_error("2025-05-01\n", 1, KF_EINVAL, "holiday or workday");
	expect_error("holidays 2025\n", 1, KF_EINVAL, "cannot read");
	expect_error("2025-05-01..2025-05-05 holiday 劳动节\n2025-05-03 workday 调休\n", 2,
		     KF_ECONFLICT, "set already on line 1");
	expect_error("2024-01-01..2025-12-31 holiday long\n", 1, KF_EINVAL, "at most a year");
	char longname[200];
	snprintf(longname, sizeof(longname), "2025-01-01 holiday %0100d\n", 7);
	expect_error(longname, 1, KF_EINVAL, "too long");
	/* the storage is bounded */
	struct bizcal_day st[2];
	struct bizcal c;
	int line;
	kf_err e;
	bizcal_init(&c, st, 2);
	assert_int_equal(bizcal_parse(&c, "2025-01-01..2025-01-03 holiday x\n", &line, &e), KF_EINVAL);
	assert_int_equal(line, 1);
	assert_non_null(strstr(e.en, "Too many"));
}

static void comments_crlf_bom_and_kept_hours(void **state)
{
	(void)state;
	struct bizcal_day st[8];
	struct bizcal c;
	int line;
	kf_err e;
	bizcal_init(&c, st, 8);
	bizcal_default_hours(&c);
	/* No hours line: the hours stay. */
	assert_int_equal(bizcal_parse(&c,
				      "\xEF\xBB\xBF# header\r\n\r\n   \t\r\n2025-01-01 holiday 元旦\r\n"
				      "2025-01-02 workday\r\n",
				      &line, &e),
			 0);
	assert_int_equal(c.nhours[0], 2);
	assert_int_equal(c.ndays, 2);
	assert_string_equal(c.days[0].name, "元旦");
	assert_string_equal(c.days[1].name, "");
	/* An hours line replaces the whole week. */
	assert_int_equal(bizcal_parse(&c, "hours sat 09:00-10:00 # weekend desk\n", &line, &e), 0);
	assert_int_equal(c.nhours[0], 0);
	assert_int_equal(c.nhours[5], 1);
	assert_int_equal(bizcal_parse(&c, "hours sat,sun off\n", &line, &e), 0);
	assert_false(bizcal_has_hours(&c));
	/* Direct setting refuses nonsense. */
	struct bizcal_interval bad[] = {{600, 500}};
	assert_int_equal(bizcal_set_hours(&c, 1, bad, 1, &e), KF_EINVAL);
	assert_int_equal(bizcal_set_hours(&c, 8, bad, 0, &e), KF_EINVAL);
	assert_int_equal(bizcal_add_day(&c, 5, BIZCAL_NORMAL, "x", &e), KF_EINVAL);
	assert_int_equal(bizcal_add_day(&c, bizcal_days_from_civil(2025, 1, 1), BIZCAL_HOLIDAY, "x", &e),
			 KF_ECONFLICT);
}

static void format_round_trips(void **state)
{
	(void)state;
	char out[4096], again[4096];
	size_t n = bizcal_format(&cal, out, sizeof(out));
	assert_int_equal(n, strlen(out));
	assert_non_null(strstr(out, "hours mon-fri 09:00-12:00,13:00-18:00\n"));
	assert_non_null(strstr(out, "hours sat-sun off\n"));
	assert_non_null(strstr(out, "2025-10-01..2025-10-08 holiday 国庆节、中秋节\n"));
	assert_non_null(strstr(out, "2025-01-26 workday 春节调休\n"));
	struct bizcal_day st[256];
	struct bizcal c;
	int line;
	kf_err e;
	bizcal_init(&c, st, 256);
	assert_int_equal(bizcal_parse(&c, out, &line, &e), 0);
	bizcal_format(&c, again, sizeof(again));
	assert_string_equal(out, again);
	/* A short buffer: the needed length, truncated output. */
	char tiny[8];
	assert_int_equal(bizcal_format(&cal, tiny, sizeof(tiny)), n);
	assert_int_equal(strlen(tiny), 7);
	/* mon,wed-fri with the same hours */
	bizcal_init(&c, st, 4);
	assert_int_equal(bizcal_parse(&c, "hours mon,wed-fri 09:00-17:00\nhours tue 10:00-12:00\n", &line, &e), 0);
	bizcal_format(&c, out, sizeof(out));
	assert_string_equal(out, "hours mon,wed-fri 09:00-17:00\nhours tue 10:00-12:00\nhours sat-sun off\n");
}

/* Found by tests/fuzz/fuzz_bizcal: the message quoted the line with
 * %.40s and cut it to 200 bytes, both inside a Chinese character. */
static void error_messages_quote_whole_characters(void **state)
{
	(void)state;
	static struct bizcal_day days[8];
	static const char *const files[] = {
		"端午节端午节端午节端午节端午节端午节 holiday\n",
		"hours 星期一星期一星期一星期一星期一星期一星期一星期一星期一星期一星期一星期一星期一星期一"
		"星期一星期一星期一星期一星期一星期一星期一星期一星期一星期一星期一 09:00-12:00\n",
		"hours mon 九点到十二点九点到十二点九点到十二点九点到十二点九点到十二点九点到十二点"
		"九点到十二点九点到十二点九点到十二点九点到十二点九点到十二点九点到十二点\n",
	};
	for (size_t i = 0; i < 3; i++) {
		struct bizcal c;
		bizcal_init(&c, days, 8);
		int line = 0;
		kf_err e;
		kf_err_clear(&e);
		assert_int_equal(bizcal_parse(&c, files[i], &line, &e), KF_EINVAL);
		assert_int_equal(line, 1);
		assert_true(valid_utf8_len(e.zh, 1000, NULL));
		assert_true(valid_utf8_len(e.en, 1000, NULL));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_and_weekdays),
		cmocka_unit_test(the_calendar_reads_as_announced),
		cmocka_unit_test(friday_before_dragon_boat_festival),
		cmocka_unit_test(across_national_day),
		cmocka_unit_test(spring_festival_and_labour_day),
		cmocka_unit_test(lunch_breaks_nights_and_weekends),
		cmocka_unit_test(round_the_clock_and_make_up_hours),
		cmocka_unit_test(parse_errors_name_the_line),
		cmocka_unit_test(comments_crlf_bom_and_kept_hours),
		cmocka_unit_test(format_round_trips),
		cmocka_unit_test(error_messages_quote_whole_characters),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
