/* test_script.c - call-script templates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/script.h"

static const char *const names[] = {"customer_name", "product", "last_case"};
static const char *const values[] = {"张先生", "蓝牙耳机", "C261125-0001 耳机没声音"};

static void render(const char *tpl, const char *want)
{
	buf b;
	buf_init(&b, 4096);
	assert_int_equal(script_render(tpl, names, values, 3, &b), 0);
	buf_putc(&b, 0);
	assert_string_equal(b.data, want);
	buf_release(&b);
}

static void fills_variables(void **state)
{
	(void)state;
	render("您好，{{customer_name}}！", "您好，张先生！");
	render("{{ product }}用得还好吗？上次的{{last_case}}", "蓝牙耳机用得还好吗？上次的C261125-0001 耳机没声音");
	render("没有变量", "没有变量");
	render("", "");
}

static void leaves_unknown_and_unclosed(void **state)
{
	(void)state;
	render("{{agent_name}}为您服务", "{{agent_name}}为您服务");
	render("您好{{customer_name", "您好{{customer_name");
	render("{{customer_name}}{{customer_name}}", "张先生张先生");
}

static void checks_names(void **state)
{
	(void)state;
	char bad[32];
	assert_int_equal(script_check("您好，{{customer_name}}，{{ product }}", bad, sizeof(bad)), 0);
	assert_int_equal(script_check("{{customer_nmae}}", bad, sizeof(bad)), 1);
	assert_string_equal(bad, "customer_nmae");
	assert_int_equal(script_check("{{oops", bad, sizeof(bad)), -1);
	assert_int_equal(script_check("{{a_very_long_unknown_variable_name_indeed}}", bad, 8), 1);
	assert_int_equal(strlen(bad), 7);
}

/* Found by tests/fuzz/fuzz_script: the unknown name was cut at badlen
 * bytes inside a Chinese character, and the 422's message that quotes it
 * was not UTF-8. */
static void cuts_names_at_characters(void **state)
{
	(void)state;
	char bad[8];
	/* 客户 is 6 bytes; 7 bytes of room leave 客户 and not half of 姓 */
	assert_int_equal(script_check("您好{{客户姓名}}", bad, sizeof(bad)), 1);
	assert_string_equal(bad, "客户");
	assert_int_equal(script_check("{{ab客户}}", bad, sizeof(bad)), 1);
	assert_string_equal(bad, "ab客");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fills_variables),
		cmocka_unit_test(leaves_unknown_and_unclosed),
		cmocka_unit_test(checks_names),
		cmocka_unit_test(cuts_names_at_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
