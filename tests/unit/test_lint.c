/* Tests of core/lint.h: every forbidden phrase of DOMAIN §2 in realistic
 * replies, the positive form offered, and harmless uses left alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/lint.h"

static struct lint_set *set;

static int setup(void **state)
{
	(void)state;
	set = lint_set_new();
	return set ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	lint_set_free(set);
	return 0;
}

/* The rule ids found in text, comma-separated, in text order. */
static char *rules_of(const struct lint_set *s, const char *text)
{
	struct lint_finding f[32];
	int n = lint_check(s, text, strlen(text), f, 32);
	static char out[512];
	out[0] = '\0';
	size_t len = 0;
	for (int i = 0; i < n && i < 32; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", i ? "," : "", f[i].rule->id);
	return out;
}

static void flags(const char *text, const char *rule, const char *match)
{
	struct lint_finding f[32];
	int n = lint_check(set, text, strlen(text), f, 32);
	for (int i = 0; i < n; i++)
		if (!strcmp(f[i].rule->id, rule)) {
			assert_int_equal((size_t)(f[i].end - f[i].start), strlen(match));
			assert_memory_equal(text + f[i].start, match, strlen(match));
			assert_true(strlen(f[i].rule->suggestion_zh) > 0);
			assert_true(strlen(f[i].rule->explain_en) > 0);
			return;
		}
	fail_msg("%s: expected %s on \"%s\", got [%s]", text, rule, match, rules_of(set, text));
}

static void clean(const char *text)
{
	const char *got = rules_of(set, text);
	if (*got)
		fail_msg("\"%s\" should pass, got [%s]", text, got);
}

static void forbidden_phrases_of_domain(void **state)
{
	(void)state;
	flags("不好意思，这个退款我不能给您办理。", "cannot", "我不能");
	flags("先生，这个我们没办法处理的。", "cannot", "我们没办法");
	flags("这种安装我不会做，您另外找人吧。", "will_not", "我不会");
	flags("您说的这个，这不是我应该做的。", "not_my_job", "这不是我应该做的");
	flags("退货的事不归我管，我只负责咨询。", "not_my_job", "不归我管");
	flags("说实话，我想我做不了这个决定。", "cannot_do", "我想我做不了");
	flags("这个问题我处理不了。", "cannot_do", "我处理不了");
	flags("您的建议很好，不过我们目前不打算改。", "praise_but", "不过");
	flags("您说得对，但是规定就是这样。", "praise_but", "但是");
	flags("您的意见非常好。可是我们暂时做不到。", "praise_but", "可是");
	flags("不行，这个型号不能退。", "no_way", "不行");
	flags("这个我不知道，您问问别人吧。", "dont_know", "不知道");
	flags("我也不清楚什么时候到货。", "dont_know", "不清楚");
	flags("过了七天就不可以退货了。", "not_allowed", "不可以");
	flags("那是你手机的问题，跟我们的卡没关系。", "blame", "那是你手机的问题");
	flags("肯定是您操作不当造成的。", "blame", "您操作不当");
	flags("这是快递公司弄坏的，不是我们的问题。", "blame", "不是我们的问题");
	flags("这个您去找厂家吧，我们不管售后。", "send_away", "您去找厂家");
	flags("你自己去营业厅问吧。", "send_away", "你自己去");
	flags("我已经说过了，您再仔细听一遍。", "argue", "我已经说过了");
	flags("没有别的事我先挂了。", "hang_up", "我先挂了");
	flags("放心，这个肯定没问题，我保证明天到。", "promise", "肯定没问题");
}

static void harmless_uses_pass(void **state)
{
	(void)state;
	clean("您好，很高兴为您服务，请问有什么可以帮您？");
	clean("我们不能再让这种情况发生，已经安排专人跟进。");
	clean("我不会再让您白跑一趟，明天上午师傅会准时上门。");
	clean("我们不会额外收取任何费用，请您放心。");
	clean("不知道您现在方便接听电话吗？");
	clean("如果您不知道订单号，我可以用手机号帮您查。");
	clean("您看这样处理行不行？");
	clean("实在不行的话，我们为您换一台新的。");
	clean("请问可不可以留一个方便联系的电话？");
	clean("我们最近实在忙不过来，让您久等了，非常抱歉。");
	clean("因为您的建议很好，我们已经转给产品部门评估了。");
	clean("我帮您去找仓库确认，半小时内回复您。");
	clean("但是请您放心，我们会全程跟进。"); /* no praise before: a plain "but" */
	clean("感谢您的耐心，您的问题我记下了，会在今天下午五点前回复您。");
}

static void several_findings_in_order(void **state)
{
	(void)state;
	const char *t = "我不知道，这不是我应该做的，你去找别人。";
	assert_string_equal(rules_of(set, t), "dont_know,not_my_job,send_away");
	struct lint_finding f[1];
	assert_int_equal(lint_check(set, t, strlen(t), f, 1), 3); /* all counted, one kept */
}

static void admins_extend_the_lexicon(void **state)
{
	(void)state;
	struct lint_set *s = lint_set_new();
	assert_non_null(s);
	const char *t = "这事你问财务吧，我没空。";
	assert_string_equal(rules_of(s, t), "");
	assert_int_equal(lint_set_add(s, "send_away", "trigger", "你问财务", LINT_ERROR, NULL, NULL), 0);
	assert_int_equal(lint_set_add(s, "custom", "trigger", "我没空", LINT_WARNING, "我现在就为您处理",
				      "Say you will handle it now"),
			 0);
	assert_string_equal(rules_of(s, t), "send_away,custom");
	struct lint_finding f[4];
	lint_check(s, t, strlen(t), f, 4);
	assert_string_equal(f[1].rule->suggestion_zh, "我现在就为您处理");
	assert_int_equal(f[1].rule->severity, LINT_WARNING);
	/* An exception, and a rule turned off. */
	assert_string_equal(rules_of(s, "明天我不知道会不会下雨。"), "dont_know");
	assert_int_equal(lint_set_add(s, "dont_know", "exception", "不知道会不会下雨", LINT_INFO, NULL,
				      NULL),
			 0);
	assert_string_equal(rules_of(s, "明天我不知道会不会下雨。"), "");
	assert_int_equal(lint_set_add(s, "no_way", "disable", NULL, LINT_INFO, NULL, NULL), 0);
	assert_string_equal(rules_of(s, "不行。"), "");
	assert_int_equal(lint_set_add(s, "no_such_rule", "trigger", "x", LINT_INFO, NULL, NULL), -1);
	assert_int_equal(lint_set_add(s, "cannot", "sideways", "x", LINT_INFO, NULL, NULL), -1);
	lint_set_free(s);
}

/* Found by tests/fuzz/fuzz_lint: counting with no room (out NULL, max 0)
 * handed NULL to qsort, which UBSan (build-asan) reports. */
static void counting_without_room(void **state)
{
	(void)state;
	const char *t = "这个不归我管，我不知道。";
	int n = lint_check(set, t, strlen(t), NULL, 0);
	assert_true(n >= 2);
	struct lint_finding f[8];
	assert_int_equal(lint_check(set, t, strlen(t), f, 8), n);
	assert_int_equal(lint_check(set, "", 0, NULL, 0), 0);
}

/* Found by tests/fuzz/fuzz_lint: a match merged with an earlier one of its
 * rule at the same place was counted again when the caller's room had run
 * out ("我想我做不了" and "我做不了" are one finding, whatever max is), and
 * the findings kept were the first found by rule, not the first in the
 * text. */
static void total_does_not_depend_on_room(void **state)
{
	(void)state;
	const char *t = "这个不归我管。我想我做不了，我想我做不了，我想我做不了。";
	struct lint_finding all[16], one[1];
	int n = lint_check(set, t, strlen(t), all, 16);
	assert_int_equal(n, 4);
	assert_int_equal(lint_check(set, t, strlen(t), one, 1), n);
	assert_int_equal(lint_check(set, t, strlen(t), NULL, 0), n);
	assert_int_equal(one[0].start, all[0].start);
	assert_int_equal(one[0].end, all[0].end);
	assert_string_equal(all[1].rule->id, all[2].rule->id);
	assert_memory_equal(t + all[1].start, "我想我做不了", all[1].end - all[1].start);
}

static void table_is_complete(void **state)
{
	(void)state;
	int n;
	const struct lint_rule_info *r = lint_builtin(&n);
	assert_true(n >= 10);
	for (int i = 0; i < n; i++) {
		assert_non_null(r[i].id);
		assert_true(strlen(r[i].title_zh) && strlen(r[i].title_en));
		assert_true(strlen(r[i].suggestion_zh) && strlen(r[i].explain_en));
		assert_true(r[i].triggers && r[i].triggers[0]);
		assert_true(lint_severity_parse(lint_severity_name(r[i].severity)) == (int)r[i].severity);
	}
	assert_int_equal(lint_severity_parse("fatal"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(forbidden_phrases_of_domain),
		cmocka_unit_test(harmless_uses_pass),
		cmocka_unit_test(several_findings_in_order),
		cmocka_unit_test(admins_extend_the_lexicon),
		cmocka_unit_test(counting_without_room),
		cmocka_unit_test(total_does_not_depend_on_room),
		cmocka_unit_test(table_is_complete),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
