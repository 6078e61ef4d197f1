#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/mask.h"
#include "core/validate.h"

static size_t digits_in(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s >= '0' && *s <= '9';
	return n;
}

/* Digits shown beyond the country code ("+86 " is not counted). */
static size_t national_digits_in(const char *s)
{
	const char *sp = s[0] == '+' ? strchr(s, ' ') : NULL;
	return digits_in(sp ? sp : s);
}

static void expect_phone(const char *in, const char *want)
{
	char out[MASK_SIZE];
	mask_phone(in, out, sizeof(out));
	assert_string_equal(out, want);
	assert_true(national_digits_in(out) <= 7);
	assert_true(digits_in(out) <= 10);
}

static void phones(void **state)
{
	(void)state;
	expect_phone("+8613812345678", "+86 138****5678");
	expect_phone("+861012345678", "+86 ******5678");
	expect_phone("+8675512345678", "+86 *******5678");
	expect_phone("+864001234567", "+86 ******4567");
	expect_phone("+14155550100", "+1 ******0100");
	expect_phone("+442079460958", "+44 ******0958");
	expect_phone("+85221234567", "+852 ****4567");
	expect_phone("+123456789012345", "+1 **********2345");
	/* a national number under 8 digits shows only half of it */
	expect_phone("+85212345", "+852 ***45");
	expect_phone("+3531234567", "+353 ****567");
}

static void phones_odd_input(void **state)
{
	(void)state;
	expect_phone("", "");
	expect_phone(NULL, "");
	expect_phone("+", "+");
	expect_phone("+8", "+*");
	expect_phone("+86", "+*6");
	expect_phone("+12345", "+***45");
	expect_phone("12345678", "****5678");
	expect_phone("13812345678", "*******5678");
	expect_phone("abc", "");
	expect_phone("138-1234-5678", "*******5678");
	expect_phone("9", "*");
	/* a very long string of digits still shows only 4 */
	char big[200];
	memset(big, '7', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	char out[MASK_SIZE];
	mask_phone(big, out, sizeof(out));
	assert_int_equal(strlen(out), MASK_SIZE - 1);
	assert_int_equal(digits_in(out), 0);
}

static void phones_small_buffer(void **state)
{
	(void)state;
	char out[8];
	mask_phone("+8613812345678", out, sizeof(out));
	assert_string_equal(out, "+86 138");
	char one[1] = "x";
	mask_phone("+8613812345678", one, sizeof(one));
	assert_string_equal(one, "");
	mask_phone("+8613812345678", NULL, 0);
	mask_phone("+8613812345678", out, 0);
}

static void expect_email(const char *in, const char *want)
{
	char out[64];
	mask_email(in, out, sizeof(out));
	assert_string_equal(out, want);
	assert_true(valid_utf8_len(out, 100, NULL));
}

static void emails(void **state)
{
	(void)state;
	expect_email("zhangsan@example.com", "z***@example.com");
	expect_email("zs@example.com", "z***@example.com");
	expect_email("z@example.com", "***@example.com");
	expect_email("张三@例子.中国", "张***@例子.中国");
	expect_email("张@example.com", "***@example.com");
	expect_email("a\"b@c\"@example.com", "a***@example.com");
}

static void emails_odd_input(void **state)
{
	(void)state;
	expect_email("", "");
	expect_email(NULL, "");
	expect_email("zhangsan", "z***");
	expect_email("z", "***");
	expect_email("@example.com", "***@example.com");
	expect_email("zhang@", "z***@");
	expect_email("\xff\xfe@example.com", "***@example.com");
	expect_email("zhang@exa\xffmple.com", "z***@***");
	expect_email("zhang@exa\nmple.com", "z***@***");
	expect_email("\tzhang@example.com", "***@example.com");
}

static void emails_small_buffer(void **state)
{
	(void)state;
	char out[9];
	mask_email("zhangsan@example.com", out, sizeof(out));
	assert_string_equal(out, "z***@exa");
	/* never cut inside a character: "张" is 3 bytes, out has room for 2 */
	char tiny[3];
	mask_email("张三@x.cn", tiny, sizeof(tiny));
	assert_string_equal(tiny, "");
	char mid[12];
	mask_email("z@例子例子.中国", mid, sizeof(mid));
	assert_string_equal(mid, "***@例子");
	mask_email("zhang@example.com", NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phones),
		cmocka_unit_test(phones_odd_input),
		cmocka_unit_test(phones_small_buffer),
		cmocka_unit_test(emails),
		cmocka_unit_test(emails_odd_input),
		cmocka_unit_test(emails_small_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
