#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/validate.h"

static void dates_with_year(void **state)
{
	(void)state;
	assert_true(valid_date("2024-02-29"));  /* leap year */
	assert_true(valid_date("2000-02-29"));  /* divisible by 400 */
	assert_true(valid_date("1900-01-01"));
	assert_true(valid_date("2100-12-31"));
	assert_true(valid_date("2023-04-30"));
	assert_false(valid_date("2023-02-29"));
	assert_false(valid_date("1900-02-29")); /* divisible by 100, not 400 */
	assert_false(valid_date("2100-02-29"));
	assert_false(valid_date("2023-04-31"));
	assert_false(valid_date("2023-13-01"));
	assert_false(valid_date("2023-00-10"));
	assert_false(valid_date("2023-01-00"));
	assert_false(valid_date("1899-12-31"));
	assert_false(valid_date("2101-01-01"));
}

static void dates_without_year(void **state)
{
	(void)state;
	assert_true(valid_date("02-29"));
	assert_true(valid_date("12-31"));
	assert_true(valid_date("01-01"));
	assert_false(valid_date("02-30"));
	assert_false(valid_date("04-31"));
	assert_false(valid_date("13-01"));
	assert_false(valid_date("00-01"));
}

static void dates_malformed(void **state)
{
	(void)state;
	assert_false(valid_date(NULL));
	assert_false(valid_date(""));
	assert_false(valid_date("2023-1-01"));
	assert_false(valid_date("2023/01/01"));
	assert_false(valid_date("2023-01-01 "));
	assert_false(valid_date(" 2023-01-01"));
	assert_false(valid_date("20230101"));
	assert_false(valid_date("2023-01-0a"));
	assert_false(valid_date("+023-01-01"));
	assert_false(valid_date("2-29"));
	assert_false(valid_date("02/29"));
	assert_false(valid_date("2023-01-01T00:00"));
}

static void hhmm(void **state)
{
	(void)state;
	int m = -1;
	assert_true(valid_hhmm("00:00", &m));
	assert_int_equal(m, 0);
	assert_true(valid_hhmm("09:30", &m));
	assert_int_equal(m, 570);
	assert_true(valid_hhmm("23:59", &m));
	assert_int_equal(m, 1439);
	assert_true(valid_hhmm("24:00", &m));
	assert_int_equal(m, 1440);
	assert_true(valid_hhmm("21:00", NULL));

	m = 77;
	assert_false(valid_hhmm("24:01", &m));
	assert_false(valid_hhmm("25:00", &m));
	assert_false(valid_hhmm("12:60", &m));
	assert_false(valid_hhmm("9:30", &m));
	assert_false(valid_hhmm("09:3", &m));
	assert_false(valid_hhmm("09-30", &m));
	assert_false(valid_hhmm("09:30:00", &m));
	assert_false(valid_hhmm("ab:cd", &m));
	assert_false(valid_hhmm("", &m));
	assert_false(valid_hhmm(NULL, &m));
	assert_int_equal(m, 77); /* untouched on failure */
}

static void emails_good(void **state)
{
	(void)state;
	assert_true(valid_email("zhang.san@example.com"));
	assert_true(valid_email("a@b.cn"));
	assert_true(valid_email("user+tag@mail.example.com.cn"));
	assert_true(valid_email("o'neil@sub-domain.example.org"));
	assert_true(valid_email("张三@例子.中国"));
	assert_true(valid_email("x@xn--fiqs8s.cn"));
}

static void emails_bad(void **state)
{
	(void)state;
	assert_false(valid_email(NULL));
	assert_false(valid_email(""));
	assert_false(valid_email("plain"));
	assert_false(valid_email("@example.com"));
	assert_false(valid_email("a@"));
	assert_false(valid_email("a@b"));
	assert_false(valid_email("a@@b.com"));
	assert_false(valid_email("a@b@c.com"));
	assert_false(valid_email("a b@c.com"));
	assert_false(valid_email("a@c .com"));
	assert_false(valid_email(" a@c.com"));
	assert_false(valid_email("a@c.com "));
	assert_false(valid_email("a\t@c.com"));
	assert_false(valid_email("a@c.com\n"));
	assert_false(valid_email(".a@c.com"));
	assert_false(valid_email("a.@c.com"));
	assert_false(valid_email("a..b@c.com"));
	assert_false(valid_email("a@.c.com"));
	assert_false(valid_email("a@c..com"));
	assert_false(valid_email("a@c.com."));
	assert_false(valid_email("a@-c.com"));
	assert_false(valid_email("a@c-.com"));
	assert_false(valid_email("a@c.c"));
	assert_false(valid_email("a@10.0.0.1"));
	assert_false(valid_email("a@c_d.com"));
	assert_false(valid_email("<a>@c.com"));
	assert_false(valid_email("\"a\"@c.com"));
	assert_false(valid_email("a@c.com\xff"));
}

static void email_lengths(void **state)
{
	(void)state;
	char s[300];

	/* local part: 64 ok, 65 not */
	memset(s, 'a', 64);
	memcpy(s + 64, "@x.cn", 6);
	assert_true(valid_email(s));
	memset(s, 'a', 65);
	memcpy(s + 65, "@x.cn", 6);
	assert_false(valid_email(s));

	/* whole address: 254 ok, 255 not; labels of 62, 62, 62, 63 */
	memcpy(s, "a@", 2);
	for (int i = 0; i < 3; i++) {
		memset(s + 2 + i * 63, 'c', 62);
		s[2 + i * 63 + 62] = '.';
	}
	memset(s + 191, 'd', 63);
	s[254] = '\0';
	assert_true(valid_email(s));
	memmove(s + 1, s, 255);
	assert_int_equal(strlen(s), 255);
	assert_false(valid_email(s));

	/* a label of 64 characters is too long */
	memcpy(s, "a@", 2);
	memset(s + 2, 'd', 64);
	memcpy(s + 66, ".cn", 4);
	assert_false(valid_email(s));
}

static void utf8_counts(void **state)
{
	(void)state;
	size_t n = 99;
	assert_true(valid_utf8_len("", 0, &n));
	assert_int_equal(n, 0);
	assert_true(valid_utf8_len("abc", 3, &n));
	assert_int_equal(n, 3);
	assert_true(valid_utf8_len("客服", 2, &n));
	assert_int_equal(n, 2);
	assert_true(valid_utf8_len("a\tb\nc", 10, &n));
	assert_int_equal(n, 5);
	assert_true(valid_utf8_len("\xf0\x9f\x98\x80", 1, &n)); /* U+1F600 */
	assert_int_equal(n, 1);
	assert_true(valid_utf8_len("\xf4\x8f\xbf\xbf", 1, NULL)); /* U+10FFFF */
	assert_true(valid_utf8_len("\xef\xbb\xbf", 1, NULL));     /* BOM */

	/* too long: still counted */
	assert_false(valid_utf8_len("客服中心", 3, &n));
	assert_int_equal(n, 4);
}

static void utf8_rejects(void **state)
{
	(void)state;
	size_t n = 99;
	assert_false(valid_utf8_len(NULL, 10, &n));
	assert_int_equal(n, 0);
	n = 99;
	assert_false(valid_utf8_len("\xc0\xaf", 10, &n)); /* overlong '/' */
	assert_int_equal(n, 0);
	assert_false(valid_utf8_len("\xc1\xbf", 10, NULL));
	assert_false(valid_utf8_len("\xe0\x80\xaf", 10, NULL));     /* overlong */
	assert_false(valid_utf8_len("\xf0\x80\x80\xaf", 10, NULL)); /* overlong */
	assert_false(valid_utf8_len("\xed\xa0\x80", 10, NULL));     /* U+D800 */
	assert_false(valid_utf8_len("\xed\xbf\xbf", 10, NULL));     /* U+DFFF */
	assert_false(valid_utf8_len("\xf4\x90\x80\x80", 10, NULL)); /* > U+10FFFF */
	assert_false(valid_utf8_len("\xf5\x80\x80\x80", 10, NULL));
	assert_false(valid_utf8_len("\xff", 10, NULL));
	assert_false(valid_utf8_len("\x80", 10, NULL));         /* stray continuation */
	assert_false(valid_utf8_len("\xe5\xae", 10, NULL));     /* truncated */
	assert_false(valid_utf8_len("a\xe5" "b", 10, NULL));     /* truncated mid-text */
	assert_false(valid_utf8_len("a\rb", 10, NULL));
	assert_false(valid_utf8_len("a\x01", 10, NULL));
	assert_false(valid_utf8_len("a\x1b[0m", 10, NULL));
	assert_false(valid_utf8_len("\x7f", 10, NULL));
	assert_false(valid_utf8_len("\xc2\x85", 10, NULL)); /* U+0085, C1 control */
	assert_true(valid_utf8_len("\xc2\xa0", 10, NULL));  /* U+00A0 is fine */
}

static void utf8_char(void **state)
{
	(void)state;
	assert_int_equal(valid_utf8_char("a"), 1);
	assert_int_equal(valid_utf8_char("é"), 2);
	assert_int_equal(valid_utf8_char("客"), 3);
	assert_int_equal(valid_utf8_char("\xf0\x9f\x98\x80"), 4);
	assert_int_equal(valid_utf8_char(""), 0);
	assert_int_equal(valid_utf8_char(NULL), 0);
	assert_int_equal(valid_utf8_char("\xe5\xae"), 0);
	assert_int_equal(valid_utf8_char("\x01"), 0);
}

static void excerpts(void **state)
{
	(void)state;
	char out[16];

	valid_excerpt("abc", out, sizeof(out));
	assert_string_equal(out, "abc");
	valid_excerpt(NULL, out, sizeof(out));
	assert_string_equal(out, "");
	valid_excerpt("a\xff" "b\nc\x01", out, sizeof(out));
	assert_string_equal(out, "a?b c?");
	/* 15 bytes fit exactly in 16 */
	valid_excerpt("123456789012345", out, sizeof(out));
	assert_string_equal(out, "123456789012345");
	/* 16 do not: cut and "…" (3 bytes) */
	valid_excerpt("1234567890123456", out, sizeof(out));
	assert_string_equal(out, "123456789012…");
	/* never splits a character: 4 Chinese characters are 12 bytes */
	valid_excerpt("客服中心热线电话", out, sizeof(out));
	assert_string_equal(out, "客服中心…");
	assert_true(valid_utf8_len(out, 100, NULL));
	/* tiny buffers */
	char t[3];
	valid_excerpt("abcdef", t, sizeof(t));
	assert_string_equal(t, "ab");
	char one[1];
	valid_excerpt("abc", one, sizeof(one));
	assert_string_equal(one, "");
	valid_excerpt("abc", out, 0); /* must not touch out */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_with_year),
		cmocka_unit_test(dates_without_year),
		cmocka_unit_test(dates_malformed),
		cmocka_unit_test(hhmm),
		cmocka_unit_test(emails_good),
		cmocka_unit_test(emails_bad),
		cmocka_unit_test(email_lengths),
		cmocka_unit_test(utf8_counts),
		cmocka_unit_test(utf8_rejects),
		cmocka_unit_test(utf8_char),
		cmocka_unit_test(excerpts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
