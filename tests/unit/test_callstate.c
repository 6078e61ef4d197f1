/* test_callstate.c - a call derived from its events, whatever their order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/callstate.h"

#define T0 1700000000000LL

static struct cti_event ev(int type, int64_t at_s, int64_t agent_id, const char *agent)
{
	return (struct cti_event){type, T0 + at_s * 1000, 0, agent_id, agent, "", ""};
}

static void derive(const struct cti_event *e, size_t n, struct call_summary *s)
{
	size_t order[16];
	callstate_derive(e, n, order, s);
}

static void names_round_trip(void **state)
{
	(void)state;
	for (int t = 0; t < CTI_NTYPES; t++)
		assert_int_equal(cti_type_parse(cti_type_name(t)), t);
	assert_int_equal(cti_type_parse("nope"), -1);
	assert_int_equal(cti_type_parse(NULL), -1);
	assert_null(cti_type_name(CTI_NTYPES));
	assert_string_equal(call_state_name(CALL_ABANDONED), "abandoned");
}

/* offered 0 s, ringing 12 s, answered 15 s, held 40-70 s, transferred,
 * answered by the second agent at 80 s, ended at 200 s. */
static int full_call(struct cti_event *e)
{
	int n = 0;
	e[n] = ev(CTI_OFFERED, 0, 0, "");
	e[n].queue = "售后";
	e[n++].caller = "+8613812345678";
	e[n++] = ev(CTI_RINGING, 12, 7, "1007");
	e[n++] = ev(CTI_ANSWERED, 15, 7, "1007");
	e[n++] = ev(CTI_HELD, 40, 7, "1007");
	e[n++] = ev(CTI_RESUMED, 70, 7, "1007");
	e[n++] = ev(CTI_TRANSFERRED, 75, 7, "1007");
	e[n++] = ev(CTI_ANSWERED, 80, 9, "1009");
	e[n++] = ev(CTI_ENDED, 200, 0, "");
	return n;
}

static void check_full(const struct call_summary *s)
{
	assert_int_equal(s->state, CALL_ENDED);
	assert_false(s->live);
	assert_false(s->abandoned);
	assert_int_equal(s->offered_at, T0);
	assert_int_equal(s->ringing_at, T0 + 12000);
	assert_int_equal(s->answered_at, T0 + 15000);
	assert_int_equal(s->ended_at, T0 + 200000);
	assert_int_equal(s->wait_ms, 15000);
	assert_int_equal(s->hold_ms, 30000);
	assert_int_equal(s->talk_ms, 200000 - 15000 - 30000);
	assert_int_equal(s->transfers, 1);
	assert_int_equal(s->first_agent_id, 7);
	assert_int_equal(s->agent_id, 9);
	assert_string_equal(s->agent, "1009");
	assert_string_equal(s->queue, "售后");
	assert_string_equal(s->caller, "+8613812345678");
}

static int next_perm(int *a, int n)
{
	int i = n - 2;
	while (i >= 0 && a[i] >= a[i + 1])
		i--;
	if (i < 0)
		return 0;
	int j = n - 1;
	while (a[j] <= a[i])
		j--;
	int t = a[i];
	a[i] = a[j];
	a[j] = t;
	for (int l = i + 1, r = n - 1; l < r; l++, r--) {
		t = a[l];
		a[l] = a[r];
		a[r] = t;
	}
	return 1;
}

/* All 40,320 arrival orders of the eight events give the same call. */
static void every_order_gives_the_same_call(void **state)
{
	(void)state;
	struct cti_event base[8], shuffled[8];
	int n = full_call(base);
	assert_int_equal(n, 8);
	int perm[8] = {0, 1, 2, 3, 4, 5, 6, 7};
	long count = 0;
	do {
		for (int i = 0; i < n; i++)
			shuffled[i] = base[perm[i]];
		struct call_summary s;
		derive(shuffled, (size_t)n, &s);
		check_full(&s);
		count++;
	} while (next_perm(perm, n));
	assert_int_equal(count, 40320);
}

static void duplicates_change_nothing(void **state)
{
	(void)state;
	struct cti_event e[16];
	int n = full_call(e);
	for (int i = 0; i < n; i++)
		e[n + i] = e[n - 1 - i];
	struct call_summary s;
	derive(e, (size_t)(2 * n), &s);
	check_full(&s);
}

static void states_along_the_way(void **state)
{
	(void)state;
	struct cti_event e[8];
	int n = full_call(e);
	struct call_summary s;
	derive(e, 1, &s);
	assert_int_equal(s.state, CALL_QUEUED);
	assert_true(s.live);
	assert_int_equal(s.wait_ms, -1);
	derive(e, 2, &s);
	assert_int_equal(s.state, CALL_RINGING);
	assert_int_equal(s.ringing_agent_id, 7);
	derive(e, 3, &s);
	assert_int_equal(s.state, CALL_TALKING);
	assert_int_equal(s.talk_ms, -1);
	derive(e, 4, &s);
	assert_int_equal(s.state, CALL_HELD);
	derive(e, 5, &s);
	assert_int_equal(s.state, CALL_TALKING);
	derive(e, (size_t)n, &s);
	assert_int_equal(s.state, CALL_ENDED);
	/* Only "answered" known so far (offered still in flight): talking, wait unknown. */
	derive(&e[2], 1, &s);
	assert_int_equal(s.state, CALL_TALKING);
	assert_int_equal(s.wait_ms, -1);
	/* Only a hold: nothing places the call. */
	derive(&e[3], 1, &s);
	assert_int_equal(s.state, CALL_UNKNOWN);
}

static void abandoned_calls(void **state)
{
	(void)state;
	struct cti_event e[4];
	e[0] = ev(CTI_OFFERED, 0, 0, "");
	e[1] = ev(CTI_RINGING, 3, 4, "1004");
	e[2] = ev(CTI_ABANDONED, 9, 0, "");
	e[3] = ev(CTI_ENDED, 10, 0, "");
	struct call_summary s;
	derive(e, 4, &s);
	assert_int_equal(s.state, CALL_ABANDONED);
	assert_true(s.abandoned);
	assert_int_equal(s.wait_ms, 9000);
	assert_int_equal(s.ended_at, T0 + 9000);
	assert_int_equal(s.talk_ms, -1);
	/* offered then ended, no explicit abandon: still abandoned */
	struct cti_event f[2] = {ev(CTI_ENDED, 30, 0, ""), ev(CTI_OFFERED, 0, 0, "")};
	derive(f, 2, &s);
	assert_int_equal(s.state, CALL_ABANDONED);
	assert_int_equal(s.wait_ms, 30000);
	/* an answered call that ends is not abandoned, even with a stray abandon later */
	struct cti_event g[4] = {ev(CTI_OFFERED, 0, 0, ""), ev(CTI_ANSWERED, 5, 3, "1003"),
				 ev(CTI_ENDED, 50, 0, ""), ev(CTI_ABANDONED, 60, 0, "")};
	derive(g, 4, &s);
	assert_int_equal(s.state, CALL_ENDED);
	assert_false(s.abandoned);
	assert_int_equal(s.talk_ms, 45000);
}

static void hold_open_at_the_end_counts(void **state)
{
	(void)state;
	struct cti_event e[4] = {ev(CTI_OFFERED, 0, 0, ""), ev(CTI_ANSWERED, 10, 2, "1002"),
				 ev(CTI_HELD, 20, 2, "1002"), ev(CTI_ENDED, 50, 0, "")};
	struct call_summary s;
	derive(e, 4, &s);
	assert_int_equal(s.hold_ms, 30000);
	assert_int_equal(s.talk_ms, 10000);
}

/* Two sources whose clocks disagree: answered "before" offered. */
static void skewed_clocks_never_give_negative_waits(void **state)
{
	(void)state;
	struct cti_event e[3] = {ev(CTI_OFFERED, 5, 0, ""), ev(CTI_ANSWERED, 4, 2, "1002"),
				 ev(CTI_ENDED, 60, 0, "")};
	struct call_summary s;
	derive(e, 3, &s);
	assert_int_equal(s.wait_ms, 0);
	assert_int_equal(s.state, CALL_ENDED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(every_order_gives_the_same_call),
		cmocka_unit_test(duplicates_change_nothing),
		cmocka_unit_test(states_along_the_way),
		cmocka_unit_test(abandoned_calls),
		cmocka_unit_test(hold_open_at_the_end_counts),
		cmocka_unit_test(skewed_clocks_never_give_negative_waits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
