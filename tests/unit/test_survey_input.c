/* test_survey_input.c - the survey bodies read without a database
 * (app/survey_input.c, survey_campaign_input_read): a campaign's null
 * filter is stored as {} without leaking the object it was made from
 * (found by tests/fuzz/fuzz_survey under LeakSanitizer), and null days
 * leave a rule as it is and give an invitation its default expiry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/survey.h"

static const int64_t NOW = 1764000000000LL;

struct req {
	arena *a;
	http_req r;
};

static void req_open(struct req *q, const char *body)
{
	json_error_t je;
	q->a = arena_new();
	memset(&q->r, 0, sizeof(q->r));
	q->r.a = q->a;
	q->r.user.id = 3;
	q->r.user.role = ROLE_SUPERVISOR;
	q->r.json = json_loads(body, JSON_REJECT_DUPLICATES, &je);
	assert_non_null(q->r.json);
}

static void req_close(struct req *q)
{
	json_decref(q->r.json);
	arena_free(q->a);
}

static void campaign_null_filter_is_empty(void **state)
{
	(void)state;
	struct req q;
	req_open(&q, "{\"filter\":null,\"state\":\"stopped\"}");
	struct survey_campaign_input in;
	assert_int_equal(survey_campaign_input_read(&q.r, 0, &in), 0);
	assert_string_equal(in.filter, "{}");
	assert_string_equal(in.state, "stopped");
	free(in.filter);
	req_close(&q);

	req_open(&q, "{\"name\":\"季度回访\",\"template_id\":2,\"filter\":{\"tier\":\"nope\"}}");
	assert_true(survey_campaign_input_read(&q.r, 1, &in) < 0);
	assert_string_equal(q.r.err.field, "filter.tier");
	assert_null(in.filter);
	req_close(&q);
}

static void rule_null_days_unchanged(void **state)
{
	(void)state;
	struct req q;
	req_open(&q, "{\"min_days\":null,\"expires_days\":null,\"template_id\":null}");
	struct survey_rule_input in;
	assert_int_equal(survey_rule_input_read(&q.r, &in), 0);
	assert_int_equal(in.min_days, -1);
	assert_int_equal(in.expires_days, -1);
	assert_true(in.has_template);
	assert_int_equal(in.template_id, 0);
	req_close(&q);

	req_open(&q, "{\"min_days\":0,\"expires_days\":90}");
	assert_int_equal(survey_rule_input_read(&q.r, &in), 0);
	assert_int_equal(in.min_days, 0);
	assert_int_equal(in.expires_days, 90);
	assert_false(in.has_template);
	req_close(&q);
}

static void invitation_null_days_fourteen(void **state)
{
	(void)state;
	struct req q;
	struct survey_invitation_input in;
	req_open(&q, "{\"customer_id\":12,\"expires_days\":null}");
	assert_int_equal(survey_invitation_input_read(&q.r, NOW, &in), 0);
	assert_int_equal(in.expires_at, NOW + 14 * SURVEY_DAY_MS);
	req_close(&q);

	req_open(&q, "{\"customer_id\":12,\"expires_days\":3}");
	assert_int_equal(survey_invitation_input_read(&q.r, NOW, &in), 0);
	assert_int_equal(in.expires_at, NOW + 3 * SURVEY_DAY_MS);
	req_close(&q);

	req_open(&q, "{\"customer_id\":12,\"expires_at\":1}");
	assert_true(survey_invitation_input_read(&q.r, NOW, &in) < 0);
	assert_string_equal(q.r.err.field, "expires_at");
	req_close(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(campaign_null_filter_is_empty),
		cmocka_unit_test(rule_null_days_unchanged),
		cmocka_unit_test(invitation_null_days_fourteen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
