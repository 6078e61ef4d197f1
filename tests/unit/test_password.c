#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/password.h"

static void expect_ok(const char *pw, const char *user)
{
	kf_err e;
	kf_err_clear(&e);
	if (password_check(pw, user, &e) != 0)
		fail_msg("\"%s\" rejected: %s", pw, e.en);
}

/* Returns the English message, to check which rule fired. */
static const char *expect_bad(const char *pw, const char *user, kf_err *e)
{
	kf_err_clear(e);
	int rc = password_check(pw, user, e);
	if (rc != KF_EINVAL)
		fail_msg("\"%s\" accepted", pw ? pw : "(null)");
	assert_string_equal(e->field, "password");
	assert_true(strlen(e->zh) > 0);
	return e->en;
}

static void good_passwords(void **state)
{
	(void)state;
	expect_ok("kefu2024!", "zhangsan");
	expect_ok("Tr0ub4dor&3", "admin");
	expect_ok("correct horse battery 9", NULL);
	expect_ok("abcdefg1", "");
	expect_ok("客服热线2024abc", "lisi");
	expect_ok("li2024abcd", "li"); /* names under 3 bytes are not looked for */
}

static void length(void **state)
{
	(void)state;
	kf_err e;
	char pw[200];

	assert_non_null(strstr(expect_bad("abc1234", NULL, &e), "too short"));
	assert_non_null(strstr(e.zh, "至少需要 8 个字符"));
	assert_non_null(strstr(expect_bad("", NULL, &e), "too short"));
	assert_non_null(strstr(expect_bad(NULL, NULL, &e), "too short"));

	/* 8 and 128 bytes are the limits */
	expect_ok("abcdef12", NULL);
	memset(pw, 'x', 127);
	pw[127] = '7';
	pw[128] = '\0';
	expect_ok(pw, NULL);
	pw[128] = 'y';
	pw[129] = '\0';
	assert_non_null(strstr(expect_bad(pw, NULL, &e), "too long"));
}

static void letters_and_digits(void **state)
{
	(void)state;
	kf_err e;
	assert_non_null(strstr(expect_bad("abcdefgh", NULL, &e), "one letter"));
	assert_non_null(strstr(expect_bad("13579246", NULL, &e), "one letter"));
	assert_non_null(strstr(expect_bad("!@#$%^&*()", NULL, &e), "one letter"));
	assert_non_null(strstr(expect_bad("客服热线一二三四", NULL, &e), "one letter"));
	assert_non_null(strstr(e.zh, "英文字母和数字"));
}

static void username(void **state)
{
	(void)state;
	kf_err e;
	assert_non_null(strstr(expect_bad("zhangsan123", "zhangsan", &e), "user name"));
	assert_non_null(strstr(expect_bad("1ZhangSan!", "zhangsan", &e), "user name"));
	assert_non_null(strstr(expect_bad("my-admin-2024", "ADMIN", &e), "user name"));
	assert_non_null(strstr(expect_bad("wang99wang", "wang", &e), "user name"));
	expect_ok("zhang1san2", "zhangsan");
	expect_ok("wan9abcdef", "wang");
}

static void common_passwords(void **state)
{
	(void)state;
	kf_err e;
	static const char *const list[] = {
		"password1", "PASSWORD1", "Password123", "12345678", "qwerty123",
		"abc12345", "Admin123", "1q2w3e4r", "woaini1314", "a1234567",
		"P@ssw0rd", "1qaz2wsx", "qq123456",
	};
	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++)
		assert_non_null(strstr(expect_bad(list[i], NULL, &e), "too common"));
	assert_non_null(strstr(e.zh, "太常见"));
	/* only whole matches count */
	expect_ok("password1x", NULL);
	expect_ok("xwoaini1314", NULL);
}

static void null_err(void **state)
{
	(void)state;
	assert_int_equal(password_check("short", NULL, NULL), KF_EINVAL);
	assert_int_equal(password_check("kefu2024!", NULL, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_passwords),
		cmocka_unit_test(length),
		cmocka_unit_test(letters_and_digits),
		cmocka_unit_test(username),
		cmocka_unit_test(common_passwords),
		cmocka_unit_test(null_err),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
