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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_has_status_and_titles),
		cmocka_unit_test(unknown_code_is_internal),
		cmocka_unit_test(fail_fills_both_languages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
