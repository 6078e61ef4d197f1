/* Case vocabularies, case numbers, queue ranks and required capability. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/case_rules.h"
#include "core/validate.h"

static void vocabularies(void **state)
{
	(void)state;
	const char *sets[] = {"case_type", "after_sales", "channel", "priority", "severity",
			      "emotion",   "stage",       "outcome", "plan_kind", "checklist"};
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		const struct class_set *s = case_set(sets[i]);
		assert_non_null(s);
		for (size_t k = 0; k < s->n; k++) {
			assert_int_equal(case_class_check(sets[i], "f", s->values[k].code, NULL), 0);
			assert_int_equal(case_class_index(sets[i], s->values[k].code), (int)k);
		}
	}
	assert_int_equal(case_set("checklist")->n, CASE_CHECKLIST_STEPS);
	assert_int_equal(case_set("emotion")->n, 5);
	assert_int_equal(case_set("case_type")->n, 5);
	assert_int_equal(case_set("channel")->n, 6);
	kf_err e;
	assert_int_equal(case_class_check("emotion", "emotion", "furious", &e), KF_EINVAL);
	assert_string_equal(e.field, "emotion");
	assert_non_null(strstr(e.zh, "愤怒"));
	assert_non_null(strstr(e.en, "angry"));
	assert_non_null(strstr(e.en, "\"furious\""));
	assert_int_equal(case_class_check("priority", "priority", "", &e), KF_EINVAL);
	assert_non_null(strstr(e.en, "required"));
	assert_int_equal(case_class_check("nope", "x", "y", &e), KF_EINTERNAL);
	assert_int_equal(case_class_index("priority", "urgent"), 3);
	assert_int_equal(case_class_index("priority", NULL), -1);
	assert_null(case_set(NULL));
}

/* Found by tests/fuzz/fuzz_case: the message echoed the refused value with
 * %.20s, which cut a Chinese value inside a character; jansson refuses such
 * text, and the client got a bare 500 instead of 422 naming the field. */
static void refusals_are_utf8(void **state)
{
	(void)state;
	static const char *const sets[] = {"emotion", "channel", "case_type", "stage", "checklist"};
	static const char *const values[] = {"客户说已经是第三次报修了，要求退货。", "传真", "a一", "", "ab一二三四五六七八九十"};
	for (size_t i = 0; i < 5; i++)
		for (size_t k = 0; k < 5; k++) {
			kf_err e;
			kf_err_clear(&e);
			assert_int_equal(case_class_check(sets[i], sets[i], values[k], &e), KF_EINVAL);
			assert_true(valid_utf8_len(e.zh, 1000, NULL));
			assert_true(valid_utf8_len(e.en, 1000, NULL));
			assert_non_null(strstr(e.zh, "可选"));
		}
	kf_err e;
	kf_err_clear(&e);
	case_class_check("emotion", "emotion", "客户说已经是第三次报修了", &e);
	assert_non_null(strstr(e.zh, "客户情绪的取值“客户说已经…”无效，可选："));
}

static void case_numbers(void **state)
{
	(void)state;
	char n[CASE_NUMBER_SIZE];
	assert_int_equal(case_number_format(2025, 5, 30, 42, n, sizeof(n)), 0);
	assert_string_equal(n, "C250530-0042");
	assert_int_equal(case_number_format(2025, 5, 30, 12345, n, sizeof(n)), 0);
	assert_string_equal(n, "C250530-12345");
	assert_int_equal(case_number_format(2099, 12, 31, 1, n, sizeof(n)), 0);
	assert_string_equal(n, "C991231-0001");
	assert_int_equal(case_number_format(1999, 1, 1, 1, n, sizeof(n)), KF_EINVAL);
	assert_int_equal(case_number_format(2025, 1, 1, 0, n, sizeof(n)), KF_EINVAL);
	char small[6];
	assert_int_equal(case_number_format(2025, 1, 1, 1, small, sizeof(small)), KF_EINVAL);
	/* typed by a person */
	assert_true(case_number_parse("C250530-0042", n, sizeof(n)));
	assert_string_equal(n, "C250530-0042");
	assert_true(case_number_parse(" c 250530 0042", n, sizeof(n)));
	assert_string_equal(n, "C250530-0042");
	assert_true(case_number_parse("c2505300042", n, sizeof(n)));
	assert_string_equal(n, "C250530-0042");
	assert_true(case_number_parse("C250530-12345", n, sizeof(n)));
	assert_string_equal(n, "C250530-12345");
	assert_false(case_number_parse("C25053-0042", n, sizeof(n)));
	assert_false(case_number_parse("250530-0042", n, sizeof(n)));
	assert_false(case_number_parse("C250530-00x2", n, sizeof(n)));
	assert_false(case_number_parse("C250530-123456789", n, sizeof(n)));
	assert_false(case_number_parse(NULL, n, sizeof(n)));
	assert_false(case_number_parse("C250530-0042", small, sizeof(small)));
}

static void queue_rank_orders_key_accounts_then_priority_then_due(void **state)
{
	(void)state;
	int64_t t = 1748592000000; /* 2025-05-30 08:00 UTC */
	int64_t key_low_late = case_queue_rank(1, 0, 0, t + 86400000);
	int64_t key_urgent = case_queue_rank(1, 3, 0, t + 99 * 86400000LL);
	int64_t ord_urgent_early = case_queue_rank(0, 3, 0, t);
	int64_t ord_urgent_late = case_queue_rank(0, 3, 0, t + 60000);
	int64_t ord_normal = case_queue_rank(0, 1, 0, t - 86400000);
	int64_t ord_normal_nodue = case_queue_rank(0, 1, 0, 0);
	int64_t ord_low = case_queue_rank(0, 0, 0, t);
	assert_true(key_urgent < key_low_late);
	assert_true(key_low_late < ord_urgent_early);
	assert_true(ord_urgent_early < ord_urgent_late);
	assert_true(ord_urgent_late < ord_normal);
	assert_true(ord_normal < ord_normal_nodue);
	assert_true(ord_normal_nodue < ord_low);
	assert_true(case_queue_rank(0, 0, 0, 0) > 0);
	assert_int_equal(case_queue_rank(0, 9, 0, t), case_queue_rank(0, 3, 0, t));
	assert_int_equal(case_queue_rank(0, -1, 0, t), case_queue_rank(0, 1, 0, t));
	for (int p = 0; p < 4; p++)
		assert_int_equal(case_queue_rank(0, p, 0, t) - case_queue_rank(1, p, 0, t), CASE_RANK_KEY_STEP);
	/* An angry customer's case rises one priority band, urgent at most, never above a key account. */
	assert_int_equal(case_queue_rank(0, 1, 1, t), case_queue_rank(0, 2, 0, t));
	assert_true(case_queue_rank(0, 1, 1, t + 86400000) < case_queue_rank(0, 1, 0, t));
	assert_int_equal(case_queue_rank(0, 3, 1, t), case_queue_rank(0, 3, 0, t));
	assert_true(case_queue_rank(1, 0, 0, t + 86400000) < case_queue_rank(0, 3, 1, t));
}

static void required_capability(void **state)
{
	(void)state;
	assert_int_equal(case_required_capability("inquiry", "normal", 0), 1);
	assert_int_equal(case_required_capability("complaint", "normal", 0), 3);
	assert_int_equal(case_required_capability("inquiry", "high", 0), 3);
	assert_int_equal(case_required_capability("inquiry", "urgent", 0), 4);
	assert_int_equal(case_required_capability("complaint", "low", 1), 4);
	assert_int_equal(case_required_capability("complaint", "urgent", 1), 5);
	assert_int_equal(case_required_capability(NULL, NULL, 0), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vocabularies),
		cmocka_unit_test(refusals_are_utf8),
		cmocka_unit_test(case_numbers),
		cmocka_unit_test(queue_rank_orders_key_accounts_then_priority_then_due),
		cmocka_unit_test(required_capability),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
