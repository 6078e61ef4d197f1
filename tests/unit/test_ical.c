/* test_ical.c - core/ical.c: UTC times, a whole calendar byte for byte
 * (CRLF, escaping of , ; \ and line breaks), folding at 75 octets on
 * UTF-8 boundaries, and refused events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/ical.h"

static void utc_times(void **state)
{
	(void)state;
	char s[ICAL_UTC_SIZE];
	assert_int_equal(ical_utc(0, s), 0);
	assert_string_equal(s, "19700101T000000Z");
	/* 2026-11-25 09:30:15.999 UTC: milliseconds are dropped */
	assert_int_equal(ical_utc(1795599015999LL, s), 0);
	assert_string_equal(s, "20261125T093015Z");
	/* 29 February of a leap year, the last second of a day */
	assert_int_equal(ical_utc(1709251199000LL, s), 0);
	assert_string_equal(s, "20240229T235959Z");
	assert_int_equal(ical_utc(253402300799000LL, s), 0);
	assert_string_equal(s, "99991231T235959Z");
	assert_int_equal(ical_utc(253402300800000LL, s), -1);
	assert_int_equal(ical_utc(-1, s), -1);
}

static void a_calendar_byte_for_byte(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 1 << 16);
	struct ical_event e = {
		.uid = "followup-42@kefu",
		.stamp_ms = 1795599000000LL,
		.start_ms = 1795600800000LL,
		.end_ms = 1795601700000LL,
		.summary = "回访：王先生, 空调; 维修",
		.description = "到期 11-25 18:00\n路径 C:\\kefu",
		.categories = "回访",
		.status = "CONFIRMED",
	};
	assert_int_equal(ical_begin(&b, "-//kefu//Calendar 1.0//ZH", "kefu 回访与承诺"), 0);
	assert_int_equal(ical_event(&b, &e), 0);
	assert_int_equal(ical_end(&b), 0);
	assert_string_equal(b.data,
			    "BEGIN:VCALENDAR\r\n"
			    "VERSION:2.0\r\n"
			    "PRODID:-//kefu//Calendar 1.0//ZH\r\n"
			    "CALSCALE:GREGORIAN\r\n"
			    "METHOD:PUBLISH\r\n"
			    "X-WR-CALNAME:kefu 回访与承诺\r\n"
			    "BEGIN:VEVENT\r\n"
			    "UID:followup-42@kefu\r\n"
			    "DTSTAMP:20261125T093000Z\r\n"
			    "DTSTART:20261125T100000Z\r\n"
			    "DTEND:20261125T101500Z\r\n"
			    "SUMMARY:回访：王先生\\, 空调\\; 维修\r\n"
			    "DESCRIPTION:到期 11-25 18:00\\n路径 C:\\\\kefu\r\n"
			    "CATEGORIES:回访\r\n"
			    "STATUS:CONFIRMED\r\n"
			    "END:VEVENT\r\n"
			    "END:VCALENDAR\r\n");
	buf_release(&b);
}

static void folds_at_75_octets_between_characters(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 1 << 16);
	char text[1200] = "";
	for (int i = 0; i < 100; i++)
		strncat(text, i % 3 ? "承诺" : "ab,", sizeof(text) - strlen(text) - 1);
	struct ical_event e = {"commitment-7@kefu", 0, 60000, 120000, text, NULL, NULL, NULL};
	assert_int_equal(ical_event(&b, &e), 0);
	/* Every physical line ends in CRLF and holds at most 75 octets; a
	 * continuation starts with one space; no line starts inside a UTF-8
	 * character; unfolding gives the escaped value back. */
	buf un;
	buf_init(&un, 1 << 16);
	const char *p = b.data;
	int lines = 0;
	while (*p) {
		const char *eol = strstr(p, "\r\n");
		assert_non_null(eol);
		size_t n = (size_t)(eol - p);
		assert_true(n <= 75);
		assert_true(((unsigned char)p[0] & 0xC0) != 0x80);
		if (*p == ' ') {
			assert_true(((unsigned char)p[1] & 0xC0) != 0x80);
			buf_append(&un, p + 1, n - 1);
		} else {
			if (lines++)
				buf_putc(&un, '\n');
			buf_append(&un, p, n);
		}
		p = eol + 2;
	}
	const char *summary = strstr(un.data, "SUMMARY:");
	assert_non_null(summary);
	char want[1600] = "SUMMARY:";
	for (int i = 0; i < 100; i++)
		strncat(want, i % 3 ? "承诺" : "ab\\,", sizeof(want) - strlen(want) - 1);
	assert_memory_equal(summary, want, strlen(want));
	assert_true(lines > 0);
	buf_release(&un);
	buf_release(&b);
}

static void refuses_incomplete_events(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 4096);
	struct ical_event ok = {"u@kefu", 0, 60000, 120000, "x", NULL, NULL, NULL};
	struct ical_event e = ok;
	e.uid = "";
	assert_int_equal(ical_event(&b, &e), -1);
	e = ok;
	e.summary = NULL;
	assert_int_equal(ical_event(&b, &e), -1);
	e = ok;
	e.end_ms = e.start_ms;
	assert_int_equal(ical_event(&b, &e), -1);
	e = ok;
	e.start_ms = -60000;
	assert_int_equal(ical_event(&b, &e), -1);
	assert_int_equal((int)b.len, 0);
	assert_int_equal(ical_event(&b, &ok), 0);
	assert_non_null(strstr(b.data, "DTSTART:19700101T000100Z\r\n"));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utc_times),
		cmocka_unit_test(a_calendar_byte_for_byte),
		cmocka_unit_test(folds_at_75_octets_between_characters),
		cmocka_unit_test(refuses_incomplete_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
