#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/assign.h"
#include "core/err.h"

static void shares_follow_capability(void **state)
{
	(void)state;
	struct assign_agent a[] = {{101, 1, 0}, {102, 3, 0}};
	size_t out[4];

	assert_int_equal(assign_balance(a, 2, 4, out), 0);
	assert_int_equal(a[0].load, 1);
	assert_int_equal(a[1].load, 3);
	/* 1/3 < 1/1 -> 1; 2/3 < 1 -> 1; 3/3 == 1, lower load wins -> 0; 2 > 4/3 -> 1 */
	size_t want[] = {1, 1, 0, 1};
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(a[0].id, 101); /* ids untouched */
}

static void larger_batch_is_proportional(void **state)
{
	(void)state;
	struct assign_agent a[] = {{1, 1, 0}, {2, 2, 0}, {3, 5, 0}};
	size_t out[80];

	assert_int_equal(assign_balance(a, 3, 80, out), 0);
	assert_int_equal(a[0].load, 10);
	assert_int_equal(a[1].load, 20);
	assert_int_equal(a[2].load, 50);
	int64_t sum = 0;
	size_t count[3] = {0};
	for (size_t i = 0; i < 80; i++) {
		assert_true(out[i] < 3);
		count[out[i]]++;
	}
	for (size_t i = 0; i < 3; i++)
		sum += a[i].load;
	assert_int_equal(sum, 80);
	assert_int_equal(count[0], 10);
	assert_int_equal(count[2], 50);
}

static void existing_load_is_respected(void **state)
{
	(void)state;
	/* Equal capability; agent 0 already has 5, agent 1 has 1. */
	struct assign_agent a[] = {{1, 2, 5}, {2, 2, 1}};
	size_t out[6];

	assert_int_equal(assign_balance(a, 2, 6, out), 0);
	/* The first four go to agent 1 (it catches up to 5), then they alternate,
	 * ties going to the lower index. */
	size_t want[] = {1, 1, 1, 1, 0, 1};
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(a[0].load, 6);
	assert_int_equal(a[1].load, 6);
}

static void ties_go_to_lower_index(void **state)
{
	(void)state;
	struct assign_agent a[] = {{1, 3, 0}, {2, 3, 0}, {3, 3, 0}};
	size_t out[7];

	assert_int_equal(assign_balance(a, 3, 7, out), 0);
	size_t want[] = {0, 1, 2, 0, 1, 2, 0};
	assert_memory_equal(out, want, sizeof(want));
}

static void ties_on_ratio_go_to_lower_load(void **state)
{
	(void)state;
	/* (1+1)/2 == (0+1)/1: same ratio, agent 1 has the lower load. */
	struct assign_agent a[] = {{1, 2, 1}, {2, 1, 0}};
	size_t out[1];

	assert_int_equal(assign_balance(a, 2, 1, out), 0);
	assert_int_equal(out[0], 1);
}

static void deterministic(void **state)
{
	(void)state;
	struct assign_agent a[] = {{1, 4, 3}, {2, 1, 0}, {3, 5, 7}, {4, 2, 2}};
	struct assign_agent b[4];
	size_t out1[50], out2[50];

	memcpy(b, a, sizeof(a));
	assert_int_equal(assign_balance(a, 4, 50, out1), 0);
	assert_int_equal(assign_balance(b, 4, 50, out2), 0);
	assert_memory_equal(out1, out2, sizeof(out1));
	for (size_t i = 0; i < 4; i++) /* field by field: structs have padding */
		assert_int_equal(a[i].load, b[i].load);
}

static void single_agent_and_zero_customers(void **state)
{
	(void)state;
	struct assign_agent a[] = {{1, 5, 2}};
	size_t out[3];

	assert_int_equal(assign_balance(a, 1, 3, out), 0);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[2], 0);
	assert_int_equal(a[0].load, 5);
	assert_int_equal(assign_balance(a, 1, 0, NULL), 0);
	assert_int_equal(a[0].load, 5);
}

static void bad_input(void **state)
{
	(void)state;
	struct assign_agent a[] = {{1, 3, 0}, {2, 0, 0}};
	size_t out[2] = {77, 77};

	assert_int_equal(assign_balance(a, 0, 1, out), KF_EINVAL);
	assert_int_equal(assign_balance(NULL, 2, 1, out), KF_EINVAL);
	/* capability 0 on the second agent: nothing is changed */
	assert_int_equal(assign_balance(a, 2, 2, out), KF_EINVAL);
	assert_int_equal(a[0].load, 0);
	assert_int_equal(out[0], 77);
	a[1].capability = 6;
	assert_int_equal(assign_balance(a, 2, 2, out), KF_EINVAL);
	a[1].capability = -1;
	assert_int_equal(assign_balance(a, 2, 2, out), KF_EINVAL);
	a[1].capability = 5;
	assert_int_equal(assign_balance(a, 2, 2, NULL), KF_EINVAL);
	a[1].load = -1;
	assert_int_equal(assign_balance(a, 2, 2, out), KF_EINVAL);
	a[1].load = INT64_MAX;
	assert_int_equal(assign_balance(a, 2, 2, out), KF_EINVAL);
	a[1].load = INT64_MAX / 4;
	assert_int_equal(assign_balance(a, 2, 2, out), KF_EINVAL);
	assert_int_equal(out[0], 77);
	a[1].load = 0;
	assert_int_equal(assign_balance(a, 2, SIZE_MAX, out), KF_EINVAL);
	assert_int_equal(assign_balance(a, 2, 2, out), 0);
}

static void huge_but_legal_loads(void **state)
{
	(void)state;
	/* Loads near the limit still compare exactly. */
	int64_t big = INT64_MAX / 6 - 100;
	struct assign_agent a[] = {{1, 5, big}, {2, 5, big - 1}};
	size_t out[2];

	assert_int_equal(assign_balance(a, 2, 2, out), 0);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shares_follow_capability),
		cmocka_unit_test(larger_batch_is_proportional),
		cmocka_unit_test(existing_load_is_respected),
		cmocka_unit_test(ties_go_to_lower_index),
		cmocka_unit_test(ties_on_ratio_go_to_lower_load),
		cmocka_unit_test(deterministic),
		cmocka_unit_test(single_agent_and_zero_customers),
		cmocka_unit_test(bad_input),
		cmocka_unit_test(huge_but_legal_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
