#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"

static void every_code_has_status_and_titles(void **state)
{
	(void)state;
	for (int c = 0; c >= KF_ECODE_MIN; c--) {
		const struct kf_code_info *i = kf_code_info(c);
		assert_non_null(i->name);
		assert_true(strlen(i->title_zh) > 0);
		assert_true(strlen(i->title_en) > 0);
		if (c < 0)
			assert_true(i->status >= 400 && i->status < 600);
	}
}

static void unknown_code_is_internal(void **state)
{
	(void)state;
	assert_int_equal(kf_code_info(-999)->status, 500);
	assert_int_equal(kf_code_info(7)->status, 500);
}

static void fail_fills_both_languages(void **state)
{
	(void)state;
	kf_err e;
	kf_err_clear(&e);
	int rc = kf_fail(&e, KF_EINVAL, "phone", "号码 %s 无效", "number %s is invalid", "12");
	assert_int_equal(rc, KF_EINVAL);
	assert_string_equal(e.field, "phone");
	assert_string_equal(e.zh, "号码 12 无效");
	assert_string_equal(e.en, "number 12 is invalid");
	assert_int_equal(kf_code_info(rc)->status, 422);
}

/* Found by tests/fuzz/fuzz_case: "未知字段 %s" with a long key was cut at
 * the 256-byte buffer inside a character, and jansson refuses such text. */
static void long_messages_end_on_a_whole_character(void **state)
{
	(void)state;
	char key[400];
	for (int shift = 0; shift < 3; shift++) {
		memset(key, 'a', (size_t)shift);
		key[shift] = 0;
		for (int i = 0; i < 120; i++)
			strcat(key, "字");
		kf_err e;
		kf_fail(&e, KF_EINVAL, "x", "未知字段 %s", "Unknown field %s", key);
		size_t n = strlen(e.zh);
		assert_true(n >= sizeof(e.zh) - 4 && n < sizeof(e.zh));
		assert_int_equal((n - strlen("未知字段 ") - (size_t)shift) % 3, 0);
		assert_int_equal((strlen(e.en) - strlen("Unknown field ") - (size_t)shift) % 3, 0);
	}
	char s[8] = "ab\xe5\xad";
	kf_msg_fit(s, 5);
	assert_string_equal(s, "ab");
	char t[8] = "ab";
	kf_msg_fit(t, 8);
	assert_string_equal(t, "ab");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_has_status_and_titles),
		cmocka_unit_test(unknown_code_is_internal),
		cmocka_unit_test(fail_fills_both_languages),
		cmocka_unit_test(long_messages_end_on_a_whole_character),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
