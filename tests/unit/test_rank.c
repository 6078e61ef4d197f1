/* Tests of core/rank.h: the words of a text as an any-of plan, and BM25. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rank.h"

static void plan_of_a_complaint(void **state)
{
	(void)state;
	struct tok_query q;
	const char *t = "您好，我的蓝牙耳机连不上手机，已经是第三次了，请问怎么退货？退货运费谁出？";
	assert_int_equal(rank_plan(t, strlen(t), &q), 0);
	assert_int_equal(q.any, 1);
	/* 退货, which ICU split (退|货运), is there; 您好, 请问, 我的 are not. */
	int tuihuo = 0;
	for (int g = 0; g < q.ngroups; g++)
		tuihuo |= q.group[g].kind == TOKQ_TERM && !strcmp(q.group[g].tok[0], "退货");
	assert_true(tuihuo);
	for (int g = 0; g < q.ngroups; g++) {
		assert_string_not_equal(q.group[g].tok[0], "我的");
		assert_string_not_equal(q.group[g].tok[0], "您好");
		assert_string_not_equal(q.group[g].tok[0], "请问");
	}
	int found = 0;
	for (int g = 0; g < q.ngroups; g++)
		if (q.group[g].kind == TOKQ_PHRASE && q.group[g].n == 2 &&
		    !strcmp(q.group[g].tok[0], "连不") && !strcmp(q.group[g].tok[1], "不上"))
			found = 1; /* 连不上 as the phrase of its bigrams */
	assert_true(found);
	buf b;
	buf_init(&b, 1 << 16);
	tok_query_fts5(&q, &b);
	assert_non_null(strstr(b.data, " OR "));
	assert_null(strstr(b.data, " AND "));
	buf_release(&b);
}

static void stopwords_and_numbers(void **state)
{
	(void)state;
	struct tok_query q;
	assert_int_equal(rank_plan("您好 谢谢 123", 16, &q), 0);
	assert_int_equal(q.ngroups, 0);
	assert_int_equal(rank_plan("X2000 型号", 13, &q), 0);
	assert_int_equal(q.ngroups, 2);
	assert_true(rank_stopword("我们"));
	assert_false(rank_stopword("退货"));
}

static void bm25_orders_sensibly(void **state)
{
	(void)state;
	int df[2] = {2, 50};
	double rare[2] = {1, 0}, common[2] = {0, 1}, both[2] = {1, 1}, many[2] = {4, 0};
	double s_rare = rank_bm25(rare, df, 2, 100, 20, 20);
	double s_common = rank_bm25(common, df, 2, 100, 20, 20);
	assert_true(s_rare > s_common); /* the rarer word weighs more */
	assert_true(rank_bm25(both, df, 2, 100, 20, 20) > s_rare);
	assert_true(rank_bm25(many, df, 2, 100, 20, 20) > s_rare);
	/* Saturation: four times the word is less than four times the score. */
	assert_true(rank_bm25(many, df, 2, 100, 20, 20) < 4 * s_rare);
	/* A longer document scores lower for the same counts. */
	assert_true(rank_bm25(rare, df, 2, 100, 80, 20) < s_rare);
	double none[2] = {0, 0};
	assert_true(rank_bm25(none, df, 2, 100, 20, 20) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plan_of_a_complaint),
		cmocka_unit_test(stopwords_and_numbers),
		cmocka_unit_test(bm25_orders_sensibly),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tok_thread_release();
	return rc;
}
