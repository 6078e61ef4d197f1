#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/arena.h"

static int aligned(const void *p)
{
	return (uintptr_t)p % _Alignof(max_align_t) == 0;
}

static void small_allocations(void **state)
{
	(void)state;
	arena *a = arena_new();
	char *prev = NULL;
	/* enough to fill several blocks; each must be usable and aligned */
	for (int i = 0; i < 5000; i++) {
		size_t n = (size_t)(i % 37) + 1;
		char *p = arena_alloc(a, n);
		assert_non_null(p);
		assert_true(aligned(p));
		memset(p, 'a' + i % 26, n);
		if (prev)
			assert_ptr_not_equal(p, prev);
		prev = p;
	}
	arena_free(a);
}

static void zero_sized_and_zalloc(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_non_null(arena_alloc(a, 0));
	unsigned char *z = arena_zalloc(a, 300);
	for (int i = 0; i < 300; i++)
		assert_int_equal(z[i], 0);
	unsigned char *big = arena_zalloc(a, 20000);
	for (int i = 0; i < 20000; i++)
		assert_int_equal(big[i], 0);
	arena_free(a);
}

static void large_allocations(void **state)
{
	(void)state;
	arena *a = arena_new();
	/* a large first allocation, then small ones, then more large ones */
	char *big1 = arena_alloc(a, 100000);
	memset(big1, 1, 100000);
	char *s1 = arena_alloc(a, 16);
	char *big2 = arena_alloc(a, 50000);
	memset(big2, 2, 50000);
	char *s2 = arena_alloc(a, 16);
	/* the large block went aside: small ones still share their block,
	 * s2 right after s1 (16 bytes rounded up to the alignment unit) */
	assert_true(s2 > s1 && s2 - s1 <= 64);
	char *exact = arena_alloc(a, 8192);
	memset(exact, 3, 8192);
	char *big3 = arena_alloc(a, 8193);
	memset(big3, 4, 8193);
	assert_true(aligned(big1) && aligned(big2) && aligned(big3) && aligned(exact));
	/* nothing overlapped */
	for (int i = 0; i < 100000; i += 997)
		assert_int_equal(big1[i], 1);
	for (int i = 0; i < 50000; i += 991)
		assert_int_equal(big2[i], 2);
	assert_int_equal(exact[8191], 3);
	assert_int_equal(big3[8192], 4);
	arena_free(a);
}

static void strings(void **state)
{
	(void)state;
	arena *a = arena_new();
	const char *src = "客服中心";
	char *d = arena_strdup(a, src);
	assert_string_equal(d, src);
	assert_ptr_not_equal(d, src);
	assert_null(arena_strdup(a, NULL));
	assert_string_equal(arena_strdup(a, ""), "");
	assert_string_equal(arena_strndup(a, "kefu-system", 4), "kefu");
	assert_string_equal(arena_strndup(a, "ab", 0), "");
	/* strndup copies n bytes even past an interior NUL: it is a byte copy */
	char *m = arena_strndup(a, "a\0b", 3);
	assert_int_equal(m[2], 'b');
	assert_int_equal(m[3], '\0');
	assert_string_equal(arena_printf(a, "%s#%d", "case", 42), "case#42");
	assert_string_equal(arena_printf(a, "%s", ""), "");
	char *long_s = arena_printf(a, "%0*d", 20000, 7);
	assert_int_equal(strlen(long_s), 20000);
	assert_int_equal(long_s[19999], '7');
	arena_free(a);
}

struct log {
	int order[8];
	int n;
};

struct hook_arg {
	struct log *log;
	int id;
	const char *text; /* lives in the arena being released */
};

static void record(void *p)
{
	struct hook_arg *h = p;
	/* reading arena memory here: hooks run before the blocks are freed */
	assert_string_equal(h->text, "still here");
	h->log->order[h->log->n++] = h->id;
}

static void release_hooks_run_in_reverse(void **state)
{
	(void)state;
	struct log log = {{0}, 0};
	arena *a = arena_new();
	for (int i = 1; i <= 4; i++) {
		struct hook_arg *h = arena_alloc(a, sizeof(*h));
		h->log = &log;
		h->id = i;
		h->text = arena_strdup(a, "still here");
		arena_on_release(a, record, h);
		if (i == 2)
			arena_alloc(a, 30000); /* a new block in between */
	}
	assert_int_equal(log.n, 0);
	arena_free(a);
	assert_int_equal(log.n, 4);
	assert_int_equal(log.order[0], 4);
	assert_int_equal(log.order[1], 3);
	assert_int_equal(log.order[2], 2);
	assert_int_equal(log.order[3], 1);
}

static void empty_and_null(void **state)
{
	(void)state;
	arena_free(NULL);
	arena_free(arena_new());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(small_allocations),
		cmocka_unit_test(zero_sized_and_zalloc),
		cmocka_unit_test(large_allocations),
		cmocka_unit_test(strings),
		cmocka_unit_test(release_hooks_run_in_reverse),
		cmocka_unit_test(empty_and_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
