/* test_csv.c - core/csv.c: quoting, line breaks in any form, chunked
 * input, blank rows, limits, delimiter sniffing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv.h"

struct got {
	char text[4096];
	int rows;
	int flags;
};

/* Records as "a|b|c;" with the record number checked to count up. */
static int collect(void *ctx, int64_t rec, char **cells, int n, int flags)
{
	struct got *g = ctx;
	assert_int_equal(rec, g->rows + 1);
	g->rows++;
	g->flags |= flags;
	size_t len = strlen(g->text);
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(g->text + len, sizeof(g->text) - len, "%s%s", i ? "|" : "", cells[i]);
	snprintf(g->text + len, sizeof(g->text) - len, ";");
	return 0;
}

static void parse(const char *in, size_t chunk, char delim, struct got *g)
{
	csv p;
	memset(g, 0, sizeof(*g));
	assert_int_equal(csv_init(&p, delim, collect, g), 0);
	size_t n = strlen(in);
	for (size_t i = 0; i < n; i += chunk)
		assert_int_equal(csv_feed(&p, in + i, i + chunk > n ? n - i : chunk), 0);
	assert_int_equal(csv_finish(&p), 0);
	csv_release(&p);
}

static void quoting_and_breaks(void **state)
{
	(void)state;
	const char *in = "姓名,备注\r\n张三,\"有,逗号\"\r\n李四,\"两行\n备注\"\n王五,\"他说\"\"好\"\"\"\r"
			 "赵六,\r\n,,\r\n\r\n孙七,末行";
	for (size_t chunk = 1; chunk <= strlen(in); chunk += 3) {
		struct got g;
		parse(in, chunk, ',', &g);
		assert_string_equal(g.text, "姓名|备注;张三|有,逗号;李四|两行\n备注;王五|他说\"好\";赵六|;孙七|末行;");
		assert_int_equal(g.flags, 0);
	}
}

static void unclosed_quote_is_flagged(void **state)
{
	(void)state;
	struct got g;
	parse("a,\"b\nc", 4, ',', &g);
	assert_string_equal(g.text, "a|b\nc;");
	assert_true(g.flags & CSV_UNCLOSED);
}

static void too_wide_is_cut(void **state)
{
	(void)state;
	char in[2048] = "";
	for (int i = 0; i < CSV_MAX_COLS + 5; i++)
		snprintf(in + strlen(in), sizeof(in) - strlen(in), "%s%d", i ? ";" : "", i % 10);
	struct got g;
	parse(in, 100, ';', &g);
	assert_int_equal(g.rows, 1);
	assert_true(g.flags & CSV_TOO_WIDE);
}

static void sniffs_the_delimiter(void **state)
{
	(void)state;
	assert_int_equal(csv_sniff("a,b,c\n1;2", 9), ',');
	assert_int_equal(csv_sniff("a;b;\"x,y,z\"\n", 12), ';');
	assert_int_equal(csv_sniff("a\tb\tc", 5), '\t');
	assert_int_equal(csv_sniff("", 0), ',');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quoting_and_breaks),
		cmocka_unit_test(unclosed_quote_is_flagged),
		cmocka_unit_test(too_wide_is_cut),
		cmocka_unit_test(sniffs_the_delimiter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
