#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/phone.h"
#include "core/validate.h"

static void expect_ok(const char *in, const char *want)
{
	char out[PHONE_E164_SIZE];
	kf_err e;
	kf_err_clear(&e);
	int rc = phone_normalize(in, out, sizeof(out), &e);
	if (rc != 0)
		fail_msg("\"%s\" rejected: %s", in, e.en);
	assert_string_equal(out, want);
}

static void expect_bad(const char *in)
{
	char out[PHONE_E164_SIZE] = "junk";
	kf_err e;
	kf_err_clear(&e);
	int rc = phone_normalize(in, out, sizeof(out), &e);
	if (rc != KF_EINVAL)
		fail_msg("\"%s\" accepted as %s", in ? in : "(null)", out);
	assert_string_equal(out, "");
	assert_string_equal(e.field, "phone");
	assert_true(strlen(e.zh) > 0 && strlen(e.en) > 0);
	/* the messages quote the input, so they must still be clean UTF-8 */
	assert_true(valid_utf8_len(e.zh, 1000, NULL));
	assert_true(valid_utf8_len(e.en, 1000, NULL));
}

static void cn_mobiles(void **state)
{
	(void)state;
	expect_ok("13812345678", "+8613812345678");
	expect_ok("138 1234 5678", "+8613812345678");
	expect_ok("138-1234-5678", "+8613812345678");
	expect_ok("138.1234.5678", "+8613812345678");
	expect_ok("  19912345678\t", "+8619912345678");
	expect_ok("+86 138 1234 5678", "+8613812345678");
	expect_ok("+86-13812345678", "+8613812345678");
	expect_ok("(+86) 138 1234 5678", "+8613812345678");
	expect_ok("0086 13812345678", "+8613812345678");
	expect_ok("008613812345678", "+8613812345678");
}

static void cn_landlines(void **state)
{
	(void)state;
	expect_ok("010-12345678", "+861012345678");
	expect_ok("(010) 1234 5678", "+861012345678");
	expect_ok("0755-1234567", "+867551234567");
	expect_ok("0755-12345678", "+8675512345678");
	expect_ok("021 6123 4567", "+862161234567");
	expect_ok("020-1234567", "+86201234567");
	expect_ok("+86 10 1234 5678", "+861012345678");
	expect_ok("+86 (0)10 1234 5678", "+861012345678");
	expect_ok("+86 010 12345678", "+861012345678");
	expect_ok("0086 755 1234567", "+867551234567");
}

static void cn_service(void **state)
{
	(void)state;
	expect_ok("400-123-4567", "+864001234567");
	expect_ok("800 123 4567", "+868001234567");
	expect_ok("4001234567", "+864001234567");
	expect_ok("+86 400 123 4567", "+864001234567");
}

static void international(void **state)
{
	(void)state;
	expect_ok("+1 (415) 555-0100", "+14155550100");
	expect_ok("+44 20 7946 0958", "+442079460958");
	expect_ok("0044 20 7946 0958", "+442079460958");
	expect_ok("+852 2123 4567", "+85221234567");
	expect_ok("+12345678", "+12345678");          /* 8 digits: the minimum */
	expect_ok("+123456789012345", "+123456789012345"); /* 15: the maximum */
}

static void bad_input(void **state)
{
	(void)state;
	expect_bad(NULL);
	expect_bad("");
	expect_bad("   ");
	expect_bad("---");
	expect_bad("()");
	expect_bad("abc");
	expect_bad("138abcd5678");
	expect_bad("138 1234 5678 ext 12");
	expect_bad("138-1234-567x");
	expect_bad("13812345678#");
	expect_bad("１３８１２３４５６７８"); /* full-width digits */
	expect_bad("电话13812345678");
	expect_bad("138\xff" "12345678");
	expect_bad("1381234567");       /* 10 digits */
	expect_bad("138123456789");     /* 12 digits */
	expect_bad("12812345678");      /* 12x is not a mobile prefix */
	expect_bad("23812345678");
	expect_bad("12345678");         /* landline without area code */
	expect_bad("010-123456");       /* too short after area code */
	expect_bad("010-123456789");    /* too long */
	expect_bad("0755-123456");
	expect_bad("0755-123456789");
	expect_bad("013812345678");     /* 01x other than 010 */
	expect_bad("0");
	expect_bad("400-123-456");
	expect_bad("40012345678");
	expect_bad("+");
	expect_bad("+0 123 4567 890");  /* no country code starts with 0 */
	expect_bad("+1234567");         /* 7 digits */
	expect_bad("+1234567890123456");/* 16 digits */
	expect_bad("00");
	expect_bad("000 1234 5678");
	expect_bad("+86 12345");
	expect_bad("+86 1381234567");
	expect_bad("+86+13812345678");
	expect_bad("138+12345678");
	expect_bad("++8613812345678");
	expect_bad("((010)) 12345678");
	expect_bad("(010 12345678");
	expect_bad("010) 12345678");
	expect_bad("(010) (1234) 5678");
	expect_bad("1381234567812345678901234567890");
	expect_bad("+86 138 1234 5678 1234 5678 1234 5678 1234");
}

static void messages(void **state)
{
	(void)state;
	char out[PHONE_E164_SIZE];
	kf_err e;

	kf_err_clear(&e);
	assert_int_equal(phone_normalize("12345", out, sizeof(out), &e), KF_EINVAL);
	assert_non_null(strstr(e.zh, "电话号码格式不正确：“12345”"));
	assert_non_null(strstr(e.en, "invalid phone number: \"12345\""));

	kf_err_clear(&e);
	assert_int_equal(phone_normalize("138abc", out, sizeof(out), &e), KF_EINVAL);
	assert_non_null(strstr(e.zh, "“138abc”"));
	assert_non_null(strstr(e.en, "use only digits"));
	assert_non_null(strstr(e.zh, "只能包含数字"));

	kf_err_clear(&e);
	assert_int_equal(phone_normalize("", out, sizeof(out), &e), KF_EINVAL);
	assert_string_equal(e.zh, "请填写电话号码");

	/* a very long input is quoted cut short, not overflowing the message */
	char big[600];
	memset(big, '9', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	kf_err_clear(&e);
	assert_int_equal(phone_normalize(big, out, sizeof(out), &e), KF_EINVAL);
	assert_non_null(strstr(e.zh, "…"));
	assert_true(valid_utf8_len(e.zh, 1000, NULL));

	/* e may be NULL */
	assert_int_equal(phone_normalize("x", out, sizeof(out), NULL), KF_EINVAL);
}

static void small_buffer(void **state)
{
	(void)state;
	char out[8] = "junk";
	kf_err e;
	kf_err_clear(&e);
	assert_int_equal(phone_normalize("13812345678", out, sizeof(out), &e), KF_EINTERNAL);
	assert_string_equal(out, "");
	assert_int_equal(phone_normalize("13812345678", NULL, 0, &e), KF_EINTERNAL);
	/* exactly enough */
	char fit[15];
	assert_int_equal(phone_normalize("13812345678", fit, sizeof(fit), &e), 0);
	assert_string_equal(fit, "+8613812345678");
}

static void cn_mobile_predicate(void **state)
{
	(void)state;
	assert_true(phone_is_cn_mobile("+8613812345678"));
	assert_true(phone_is_cn_mobile("+8619912345678"));
	assert_false(phone_is_cn_mobile("+861012345678"));
	assert_false(phone_is_cn_mobile("+864001234567"));
	assert_false(phone_is_cn_mobile("+86138123456789"));
	assert_false(phone_is_cn_mobile("+861381234567"));
	assert_false(phone_is_cn_mobile("13812345678"));
	assert_false(phone_is_cn_mobile("+8612812345678"));
	assert_false(phone_is_cn_mobile("+86138 1234 567"));
	assert_false(phone_is_cn_mobile("+14155550100"));
	assert_false(phone_is_cn_mobile(""));
	assert_false(phone_is_cn_mobile(NULL));
}

static void country_codes(void **state)
{
	(void)state;
	assert_int_equal(phone_country_code_len("+14155550100"), 1);
	assert_int_equal(phone_country_code_len("+74951234567"), 1);
	assert_int_equal(phone_country_code_len("+8613812345678"), 2);
	assert_int_equal(phone_country_code_len("+442079460958"), 2);
	assert_int_equal(phone_country_code_len("+85221234567"), 3);
	assert_int_equal(phone_country_code_len("+886212345678"), 3);
	assert_int_equal(phone_country_code_len("+35312345678"), 3);
	assert_int_equal(phone_country_code_len("+2"), 0);
	assert_int_equal(phone_country_code_len("+0123"), 0);
	assert_int_equal(phone_country_code_len("8613812345678"), 0);
	assert_int_equal(phone_country_code_len("+"), 0);
	assert_int_equal(phone_country_code_len(""), 0);
	assert_int_equal(phone_country_code_len(NULL), 0);
}

static void expect_display(const char *e164, const char *want)
{
	char out[PHONE_DISPLAY_SIZE];
	phone_display(e164, out, sizeof(out));
	assert_string_equal(out, want);
}

static void display(void **state)
{
	(void)state;
	expect_display("+8613812345678", "+86 138 1234 5678");
	expect_display("+861012345678", "+86 10 1234 5678");
	expect_display("+86201234567", "+86 20 123 4567");
	expect_display("+867551234567", "+86 755 123 4567");
	expect_display("+8675512345678", "+86 755 1234 5678");
	expect_display("+864001234567", "+86 400 123 4567");
	expect_display("+14155550100", "+14155550100");
	expect_display("+86123", "+86123");
	expect_display("not a phone", "not a phone");
	expect_display("", "");
	expect_display(NULL, "");

	char small[10];
	phone_display("+8613812345678", small, sizeof(small));
	assert_string_equal(small, "+86 138 1");
	phone_display("+8613812345678", small, 0); /* must not write */
}

static void normalize_then_display(void **state)
{
	(void)state;
	char e164[PHONE_E164_SIZE], out[PHONE_DISPLAY_SIZE];
	assert_int_equal(phone_normalize("0755-1234567", e164, sizeof(e164), NULL), 0);
	phone_display(e164, out, sizeof(out));
	assert_string_equal(out, "+86 755 123 4567");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cn_mobiles),
		cmocka_unit_test(cn_landlines),
		cmocka_unit_test(cn_service),
		cmocka_unit_test(international),
		cmocka_unit_test(bad_input),
		cmocka_unit_test(messages),
		cmocka_unit_test(small_buffer),
		cmocka_unit_test(cn_mobile_predicate),
		cmocka_unit_test(country_codes),
		cmocka_unit_test(display),
		cmocka_unit_test(normalize_then_display),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
