#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/jw.h"

static void nested_commas_and_escapes(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 4096);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "a");
	jw_int(&w, -5);
	jw_key(&w, "s");
	jw_str(&w, "客服 \"q\" \\ \n\x01");
	jw_key(&w, "arr");
	jw_arr(&w);
	jw_null(&w);
	jw_bool(&w, 1);
	jw_raw(&w, "{\"x\":[1,2]}");
	jw_obj(&w);
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_key(&w, "e");
	jw_arr(&w);
	jw_arr_end(&w);
	jw_obj_end(&w);
	assert_false(jw_failed(&w));
	assert_string_equal(b.data, "{\"a\":-5,\"s\":\"客服 \\\"q\\\" \\\\ \\n\\u0001\","
				    "\"arr\":[null,true,{\"x\":[1,2]},{}],\"e\":[]}");
	buf_release(&b);
}

static void many_items_keep_commas(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 1 << 20);
	jw w;
	jw_init(&w, &b);
	jw_arr(&w);
	for (int i = 0; i < 300; i++)
		jw_int(&w, 1);
	jw_arr_end(&w);
	assert_false(jw_failed(&w));
	assert_int_equal(b.len, 2 + 300 + 299);
	buf_release(&b);
}

static void overflow_is_reported(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 8);
	jw w;
	jw_init(&w, &b);
	jw_arr(&w);
	jw_str(&w, "longer than eight bytes");
	jw_arr_end(&w);
	assert_true(jw_failed(&w));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nested_commas_and_escapes),
		cmocka_unit_test(many_items_keep_commas),
		cmocka_unit_test(overflow_is_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
