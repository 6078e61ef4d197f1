#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"

static void append_and_terminate(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 1024);
	assert_null(b.data);
	assert_int_equal(buf_puts(&b, "客服"), 0);
	assert_int_equal(buf_putc(&b, '-'), 0);
	assert_int_equal(buf_append(&b, "kefu!", 4), 0);
	assert_string_equal(b.data, "客服-kefu");
	assert_int_equal(b.len, strlen("客服-kefu"));
	assert_true(b.cap > b.len);
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 1024); /* release keeps the limit */
}

static void empty_append_gives_a_string(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 0);
	assert_int_equal(buf_append(&b, NULL, 0), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(buf_putc(&b, 'x'), -1);
	assert_string_equal(b.data, "");
	buf_release(&b);
}

static void max_is_enforced(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 10);
	assert_int_equal(buf_puts(&b, "0123456789"), 0); /* exactly max */
	assert_int_equal(b.len, 10);
	assert_int_equal(buf_putc(&b, 'x'), -1);
	assert_int_equal(buf_puts(&b, "xyz"), -1);
	assert_int_equal(buf_printf(&b, "%d", 7), -1);
	assert_int_equal(b.len, 10);                /* unchanged */
	assert_string_equal(b.data, "0123456789");
	assert_int_equal(buf_append(&b, "", 0), 0); /* nothing is still fine */

	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_int_equal(buf_puts(&b, "0123"), 0);
	/* an append that would pass max fails whole, not partly */
	assert_int_equal(buf_puts(&b, "4567890"), -1);
	assert_string_equal(b.data, "0123");
	assert_int_equal(buf_puts(&b, "456789"), 0);
	assert_string_equal(b.data, "0123456789");
	buf_release(&b);
}

static void huge_append_does_not_wrap(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, SIZE_MAX);
	assert_int_equal(buf_puts(&b, "abc"), 0);
	/* len + n would wrap around: must be refused, not under-allocated */
	assert_int_equal(buf_append(&b, "x", SIZE_MAX - 1), -1);
	assert_string_equal(b.data, "abc");
	buf_release(&b);
}

static void printf_grows(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 1 << 20);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_printf(&b, "%d,", i), 0);
	assert_int_equal(b.len, 10 * 2 + 90 * 3 + 900 * 4);
	assert_memory_equal(b.data, "0,1,2,", 6);
	assert_string_equal(b.data + b.len - 8, "998,999,");
	assert_true(b.cap > b.len);

	/* one printf far bigger than the current capacity */
	buf_reset(&b);
	assert_int_equal(buf_printf(&b, "[%0*d]", 5000, 42), 0);
	assert_int_equal(b.len, 5002);
	assert_int_equal(b.data[0], '[');
	assert_int_equal(b.data[4999], '4');
	assert_int_equal(b.data[5000], '2');
	assert_int_equal(b.data[5001], ']');
	assert_int_equal(b.data[5002], '\0');
	buf_release(&b);
}

static void printf_over_max_leaves_buffer(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 16);
	assert_int_equal(buf_printf(&b, "id=%d", 12), 0);
	assert_int_equal(buf_printf(&b, " name=%s", "zhangsan"), -1);
	assert_string_equal(b.data, "id=12");
	assert_int_equal(buf_printf(&b, " ok=%s", "yes"), 0);
	assert_string_equal(b.data, "id=12 ok=yes");
	buf_release(&b);
}

static int via_vprintf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

static void vprintf_works(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 100);
	assert_int_equal(via_vprintf(&b, "%s=%d", "n", 3), 0);
	assert_string_equal(b.data, "n=3");
	buf_release(&b);
}

static void detach_hands_over(void **state)
{
	(void)state;
	buf b;
	size_t len = 0;
	buf_init(&b, 100);
	assert_int_equal(buf_puts(&b, "hello"), 0);
	char *s = buf_detach(&b, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 100);
	/* b is usable again, independently of s */
	assert_int_equal(buf_puts(&b, "again"), 0);
	assert_string_equal(s, "hello");
	free(s);
	assert_string_equal(b.data, "again");
	buf_release(&b);
}

static void detach_empty(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 100);
	size_t len = 9;
	char *s = buf_detach(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	s = buf_detach(&b, NULL); /* len may be NULL */
	free(s);
}

static void release_twice(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 100);
	assert_int_equal(buf_puts(&b, "x"), 0);
	buf_release(&b);
	buf_release(&b);
	buf_reset(&b); /* reset on an empty buffer is harmless */
	assert_null(b.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(append_and_terminate),
		cmocka_unit_test(empty_append_gives_a_string),
		cmocka_unit_test(max_is_enforced),
		cmocka_unit_test(huge_append_does_not_wrap),
		cmocka_unit_test(printf_grows),
		cmocka_unit_test(printf_over_max_leaves_buffer),
		cmocka_unit_test(vprintf_works),
		cmocka_unit_test(detach_hands_over),
		cmocka_unit_test(detach_empty),
		cmocka_unit_test(release_twice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
