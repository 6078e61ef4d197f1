/* test_import_read.c - app/import_read.c without a database: the lines of
 * an .xlsx whose row numbers are missing, repeated or going back.  Found
 * by tests/fuzz/fuzz_import: the lines were taken from the file as they
 * were, and the import's rows are keyed by (job, line). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/import.h"

struct got {
	int64_t line[16];
	char name[16][32];
	int n;
};

static int on_row(void *ctx, int64_t line, char **cells, int ncells)
{
	struct got *g = ctx;
	assert_true(g->n < 16 && ncells >= 1);
	g->line[g->n] = line;
	snprintf(g->name[g->n++], sizeof(g->name[0]), "%s", cells[0]);
	return 0;
}

static void xlsx_lines_always_go_up(void **state)
{
	(void)state;
	FILE *f = fopen(KF_SOURCE_ROOT "/tests/data/import_rows_out_of_order.xlsx", "rb");
	assert_non_null(f);
	struct got g = {0};
	const char *enc = NULL;
	kf_err e;
	kf_err_clear(&e);
	assert_int_equal(imp_read(f, on_row, &g, &enc, &e), 0);
	fclose(f);
	assert_string_equal(enc, "xlsx");
	/* r="1", "3", "3", "0", none, "x", "9" */
	static const int64_t want[] = {1, 3, 4, 5, 6, 7, 9};
	static const char *const names[] = {"客户名称", "张三", "李四", "王五", "赵六", "钱七", "孙八"};
	assert_int_equal(g.n, 7);
	for (int i = 0; i < 7; i++) {
		assert_int_equal(g.line[i], want[i]);
		assert_string_equal(g.name[i], names[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xlsx_lines_always_go_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
