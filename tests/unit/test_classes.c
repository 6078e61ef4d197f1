#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/classes.h"
#include "core/validate.h"

static void every_set_is_complete(void **state)
{
	(void)state;
	assert_int_equal(class_nsets, 8);
	for (size_t i = 0; i < class_nsets; i++) {
		const struct class_set *s = &class_sets[i];
		assert_true(strlen(s->name) > 0);
		assert_true(strlen(s->zh) > 0 && strlen(s->en) > 0);
		assert_true(s->n >= 2);
		assert_ptr_equal(class_find(s->name), s);
		for (size_t j = 0; j < s->n; j++) {
			const struct class_value *v = &s->values[j];
			assert_true(strlen(v->code) > 0);
			assert_true(strlen(v->zh) > 0 && strlen(v->en) > 0);
			assert_ptr_equal(class_value(s, v->code), v);
			/* codes are unique within a set */
			for (size_t k = j + 1; k < s->n; k++)
				assert_string_not_equal(v->code, s->values[k].code);
		}
	}
}

static void expect_codes(const char *set, const char *const *codes, size_t n)
{
	const struct class_set *s = class_find(set);
	assert_non_null(s);
	assert_int_equal(s->n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(s->values[i].code, codes[i]);
}

#define CODES(set, ...)                                                     \
	do {                                                                \
		static const char *const c[] = {__VA_ARGS__};               \
		expect_codes(set, c, sizeof(c) / sizeof(c[0]));             \
	} while (0)

/* The codes are stored in the database and named in the SQL schema. */
static void codes_match_the_schema(void **state)
{
	(void)state;
	CODES("kind", "person", "organization");
	CODES("source", "external", "internal");
	CODES("lifecycle", "potential", "temporary", "general", "loyal");
	CODES("chain_role", "intermediate", "terminal", "public");
	CODES("value_class", "key", "ordinary");
	CODES("tier", "top", "high", "mid", "low", "inactive", "potential");
	CODES("role", "agent", "supervisor", "admin");
	CODES("date_kind", "birthday", "anniversary", "other");
}

static void labels(void **state)
{
	(void)state;
	const struct class_set *s = class_find("lifecycle");
	assert_string_equal(class_value(s, "loyal")->zh, "忠诚");
	assert_string_equal(class_value(s, "potential")->zh, "潜在");
	assert_string_equal(class_value(class_find("tier"), "inactive")->zh, "休眠");
	assert_string_equal(class_value(class_find("role"), "agent")->zh, "客服专员");
	assert_string_equal(class_value(class_find("chain_role"), "public")->zh, "公利客户");
	assert_string_equal(class_value(class_find("date_kind"), "anniversary")->zh, "纪念日");
}

static void lookups_miss(void **state)
{
	(void)state;
	assert_null(class_find("nope"));
	assert_null(class_find(""));
	assert_null(class_find(NULL));
	assert_null(class_find("Lifecycle"));
	const struct class_set *s = class_find("tier");
	assert_null(class_value(s, "TOP"));
	assert_null(class_value(s, "top "));
	assert_null(class_value(s, ""));
	assert_null(class_value(s, NULL));
	assert_null(class_value(NULL, "top"));
}

static void check_ok(void **state)
{
	(void)state;
	kf_err e;
	kf_err_clear(&e);
	assert_int_equal(class_check("tier", "tier", "top", &e), 0);
	assert_int_equal(class_check("role", "role", "admin", &e), 0);
	assert_int_equal(class_check("lifecycle", "lifecycle", "loyal", NULL), 0);
	assert_int_equal(e.code, 0);
}

static void check_bad_lists_allowed(void **state)
{
	(void)state;
	kf_err e;
	kf_err_clear(&e);
	assert_int_equal(class_check("lifecycle", "lifecycle", "vip", &e), KF_EINVAL);
	assert_int_equal(e.code, KF_EINVAL);
	assert_string_equal(e.field, "lifecycle");
	assert_string_equal(e.zh, "生命周期阶段的取值“vip”无效，可选：potential（潜在）、"
				  "temporary（临时）、general（一般）、loyal（忠诚）");
	assert_string_equal(e.en, "invalid lifecycle stage \"vip\"; allowed values: "
				  "potential, temporary, general, loyal");

	/* the longest set still fits whole, with a long code quoted */
	kf_err_clear(&e);
	assert_int_equal(class_check("tier", "tier", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
				     &e), KF_EINVAL);
	assert_non_null(strstr(e.zh, "potential（潜在）"));
	assert_non_null(strstr(e.en, "inactive, potential"));
	assert_non_null(strstr(e.zh, "…"));
	assert_true(valid_utf8_len(e.zh, 1000, NULL));

	/* bad bytes in the code do not reach the message */
	kf_err_clear(&e);
	assert_int_equal(class_check("kind", "kind", "per\xffson", &e), KF_EINVAL);
	assert_true(valid_utf8_len(e.zh, 1000, NULL));
	assert_true(valid_utf8_len(e.en, 1000, NULL));
	assert_non_null(strstr(e.en, "\"per?son\""));
}

static void check_missing(void **state)
{
	(void)state;
	kf_err e;
	kf_err_clear(&e);
	assert_int_equal(class_check("kind", "kind", "", &e), KF_EINVAL);
	assert_string_equal(e.zh, "请选择客户类型，可选：person（个人）、organization（组织）");
	assert_string_equal(e.en, "customer type is required; allowed values: person, organization");
	kf_err_clear(&e);
	assert_int_equal(class_check("kind", "kind", NULL, &e), KF_EINVAL);
	assert_int_equal(class_check("kind", "kind", NULL, NULL), KF_EINVAL);
}

static void check_unknown_set_is_a_bug(void **state)
{
	(void)state;
	kf_err e;
	kf_err_clear(&e);
	assert_int_equal(class_check("colour", "colour", "red", &e), KF_EINTERNAL);
	assert_non_null(strstr(e.en, "colour"));
	assert_int_equal(class_check(NULL, NULL, "red", &e), KF_EINTERNAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_set_is_complete),
		cmocka_unit_test(codes_match_the_schema),
		cmocka_unit_test(labels),
		cmocka_unit_test(lookups_miss),
		cmocka_unit_test(check_ok),
		cmocka_unit_test(check_bad_lists_allowed),
		cmocka_unit_test(check_missing),
		cmocka_unit_test(check_unknown_set_is_a_bug),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
