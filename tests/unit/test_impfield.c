/* test_impfield.c - core/impfield.c: header suggestions, amounts, dates,
 * Excel serials, classification labels, tags, trimming. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/impfield.h"

static void suggests_fields_from_headers(void **state)
{
	(void)state;
	assert_string_equal(impf_suggest(IMPF_CUSTOMERS, "姓名"), "name");
	assert_string_equal(impf_suggest(IMPF_CUSTOMERS, " 客户名称* "), "name");
	assert_string_equal(impf_suggest(IMPF_CUSTOMERS, "Customer Name"), "name");
	assert_string_equal(impf_suggest(IMPF_CUSTOMERS, "手机号码"), "phone");
	assert_string_equal(impf_suggest(IMPF_CUSTOMERS, "E-mail"), "email");
	assert_string_equal(impf_suggest(IMPF_ORDERS, "金额（元）"), "amount");
	assert_string_equal(impf_suggest(IMPF_ORDERS, "Amount (CNY)"), "amount");
	assert_string_equal(impf_suggest(IMPF_ORDERS, "电话"), "customer_phone");
	assert_null(impf_suggest(IMPF_CUSTOMERS, "无关列"));
	assert_null(impf_suggest(IMPF_CUSTOMERS, ""));
	assert_int_equal(impf_kind_parse("orders"), IMPF_ORDERS);
	assert_int_equal(impf_kind_parse("x"), -1);
}

static void amounts_to_fen(void **state)
{
	(void)state;
	int64_t f;
	assert_int_equal(impf_amount_fen("¥1,234.50", &f), 0);
	assert_int_equal(f, 123450);
	assert_int_equal(impf_amount_fen("99", &f), 0);
	assert_int_equal(f, 9900);
	assert_int_equal(impf_amount_fen("0.5元", &f), 0);
	assert_int_equal(f, 50);
	assert_int_equal(impf_amount_fen("-12.3", &f), 0);
	assert_int_equal(f, -1230);
	assert_int_equal(impf_amount_fen("1.234", &f), -1);
	assert_int_equal(impf_amount_fen("九十九", &f), -1);
	assert_int_equal(impf_amount_fen("", &f), -1);
	assert_int_equal(impf_amount_fen("99999999999999", &f), -1);
}

static void dates_as_people_and_excel_write_them(void **state)
{
	(void)state;
	char d[11];
	const char *ok[][2] = {{"2024-03-05", "2024-03-05"}, {"2024/3/5", "2024-03-05"},
			       {"2024.3.5", "2024-03-05"},   {"2024年3月5日", "2024-03-05"},
			       {"20240305", "2024-03-05"},   {"45356", "2024-03-05"},
			       {"3月5日", "03-05"},          {"02-29", "02-29"},
			       {"2024-02-29 10:00", "2024-02-29"}};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(impf_date(ok[i][0], d), 0);
		assert_string_equal(d, ok[i][1]);
	}
	const char *bad[] = {"2023-02-29", "1990-13-40", "2024", "abc", "", "13月1日", "1899-12-31"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(impf_date(bad[i], d), -1);
	int64_t ms;
	assert_int_equal(impf_datetime_ms("2024-03-05", 480, &ms), 0);
	assert_int_equal(ms, 1709568000000LL); /* 2024-03-04T16:00Z */
	assert_int_equal(impf_datetime_ms("2024/3/5 14:30", 480, &ms), 0);
	assert_int_equal(ms, 1709620200000LL);
	assert_int_equal(impf_datetime_ms("45356.5", 480, &ms), 0);
	assert_int_equal(ms, 1709611200000LL); /* noon in Shanghai */
	assert_int_equal(impf_datetime_ms("2024-03-05 25:00", 480, &ms), -1);
}

/* Found by tests/fuzz/fuzz_import: a long run of digits overflowed the
 * Excel serial number while it was read (UBSan in build-asan). */
static void long_numbers_are_not_dates(void **state)
{
	(void)state;
	char d[11];
	int64_t ms;
	assert_int_equal(impf_date("88888888888888888888888", d), -1);
	assert_int_equal(impf_datetime_ms("88888888888888888888888.5", 480, &ms), -1);
	assert_int_equal(impf_date("99999999999999999999", d), -1);
	assert_int_equal(impf_date("45357", d), 0); /* 2024-01-01 is 45292 */
	assert_string_equal(d, "2024-03-06");
}

static void labels_become_codes(void **state)
{
	(void)state;
	assert_string_equal(impf_class_code("kind", "个人"), "person");
	assert_string_equal(impf_class_code("kind", "企业"), "organization");
	assert_string_equal(impf_class_code("kind", "Organization"), "organization");
	assert_string_equal(impf_class_code("lifecycle", "loyal"), "loyal");
	assert_string_equal(impf_class_code("value_class", "VIP"), "key");
	assert_null(impf_class_code("kind", "外星人"));
	assert_null(impf_class_code("nope", "个人"));
}

static void join(void *ctx, const char *t, size_t n)
{
	char *out = ctx;
	strncat(out, t, n);
	strncat(out, "/", 2);
}

static void tags_and_trim(void **state)
{
	(void)state;
	char out[128] = "";
	impf_split_tags("老客户、华北, VIP；重要 ", join, out);
	assert_string_equal(out, "老客户/华北/VIP/重要/");
	char s[] = "\xe3\x80\x80 张三 \xc2\xa0\t";
	assert_string_equal(impf_trim(s), "张三");
	char e[] = "   ";
	assert_string_equal(impf_trim(e), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(suggests_fields_from_headers),
		cmocka_unit_test(amounts_to_fen),
		cmocka_unit_test(dates_as_people_and_excel_write_them),
		cmocka_unit_test(long_numbers_are_not_dates),
		cmocka_unit_test(labels_become_codes),
		cmocka_unit_test(tags_and_trim),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
