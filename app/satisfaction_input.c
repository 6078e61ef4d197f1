/* satisfaction_input.c - reading the bodies of competitor scores
 * (competitor, period 2026 / 2026-11 / 2026-Q4, measure, score within its
 * scale) and expectation sheets (1 to 30 distinct attributes with levels
 * 1-5).  No database: satisfaction.c checks the customer and case, and
 * on a change the stored measure. */
#include "app/satisfaction_input.h"

#include <ctype.h>
#include <string.h>

#include "lib/common.h"

static int period_ok(const char *p)
{
	size_t n = strlen(p);
	for (size_t i = 0; i < 4; i++)
		if (n < 4 || !isdigit((unsigned char)p[i]))
			return 0;
	if (n == 4)
		return 1;
	if (n == 7 && p[4] == '-' && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4')
		return 1;
	return n == 7 && p[4] == '-' && isdigit((unsigned char)p[5]) && isdigit((unsigned char)p[6]) &&
	       ((p[5] == '0' && p[6] >= '1') || (p[5] == '1' && p[6] <= '2'));
}

int competitor_score_check(http_req *r, const char *measure, int64_t score)
{
	int64_t lo, hi;
	if (!strcmp(measure, "csat"))
		lo = 0, hi = 10000;
	else if (!strcmp(measure, "nps"))
		lo = -10000, hi = 10000;
	else if (!strcmp(measure, "effort"))
		lo = 100, hi = 700;
	else
		return http_fail(r, KF_EINVAL, "measure", "measure 只能是 csat、nps 或 effort",
				 "measure is csat, nps or effort");
	if (score < lo || score > hi)
		return http_fail(r, KF_EINVAL, "score", "%s 的分数应在 %lld 到 %lld 之间",
				 "A %s score is from %lld to %lld", measure, (long long)lo, (long long)hi);
	return 0;
}

static const char *const comp_keys[] = {"competitor", "period", "measure", "score", "source",
					NULL};
static const char *const comp_patch_keys[] = {"score", "source", NULL};

int competitor_input_read(http_req *r, int creating, struct competitor_input *c)
{
	int rc;
	memset(c, 0, sizeof(*c));
	if (!r->json)
		return creating ? http_fail(r, KF_EINVAL, "competitor", "缺少必填字段 competitor",
					    "The field competitor is required")
				: http_fail(r, KF_EJSON, NULL, "请求体必须是 JSON 对象",
					    "The body is a JSON object");
	if (!creating) {
		if ((rc = in_only_keys(r, r->json, comp_patch_keys, NULL)) < 0 ||
		    (rc = in_int(r, r->json, "score", -10000, 10000, 0, &c->score, &c->has_score)) < 0 ||
		    (rc = in_str(r, r->json, "source", 500, 0, &c->source, NULL)) < 0)
			return rc;
		return 0;
	}
	if ((rc = in_only_keys(r, r->json, comp_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "competitor", 100, 1, &c->competitor, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "period", 10, 1, &c->period, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "measure", 10, 1, &c->measure, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "score", -10000, 10000, 1, &c->score, &c->has_score)) < 0 ||
	    (rc = in_str(r, r->json, "source", 500, 0, &c->source, NULL)) < 0)
		return rc;
	if (!period_ok(c->period))
		return http_fail(r, KF_EINVAL, "period", "周期写作 2026、2026-11 或 2026-Q4",
				 "The period is written 2026, 2026-11 or 2026-Q4");
	return competitor_score_check(r, c->measure, c->score);
}

static const char *const item_keys[] = {"attribute", "expected_level", "expected_words",
					"perceived_level", "perceived_words", NULL};

/* Checks items (1..30, attributes unique), naming items[i].field. */
static int items_check(http_req *r, json_t *items)
{
	json_t *it;
	size_t i;
	if (!json_is_array(items) || !json_array_size(items) || json_array_size(items) > 30)
		return http_fail(r, KF_EINVAL, "items", "期望表需要 1 到 30 个属性",
				 "A sheet has 1 to 30 attributes");
	json_array_foreach(items, i, it)
	{
		const char *a, *s;
		int64_t x;
		int rc;
		if (!json_is_object(it))
			rc = http_fail(r, KF_EINVAL, "attribute", "每个属性必须是对象",
				       "Every attribute is an object");
		else if ((rc = in_only_keys(r, it, item_keys, NULL)) >= 0 &&
			 (rc = in_str(r, it, "attribute", 50, 1, &a, NULL)) >= 0 &&
			 (rc = in_int(r, it, "expected_level", 1, 5, 1, &x, NULL)) >= 0 &&
			 (rc = in_str(r, it, "expected_words", 500, 0, &s, NULL)) >= 0 &&
			 (rc = in_int(r, it, "perceived_level", 1, 5, 0, &x, NULL)) >= 0 &&
			 (rc = in_str(r, it, "perceived_words", 500, 0, &s, NULL)) >= 0) {
			for (size_t j = 0; j < i; j++)
				if (!strcmp(a, json_string_value(json_object_get(json_array_get(items, j),
										  "attribute"))))
					rc = http_fail(r, KF_EINVAL, "attribute", "属性 %s 重复",
						       "The attribute %s is repeated", a);
		}
		if (rc < 0) {
			r->err.field = arena_printf(r->a, "items[%zu].%s", i,
						    r->err.field ? r->err.field : "attribute");
			return rc;
		}
	}
	return 0;
}

static const char *const sheet_keys[] = {"customer_id", "case_id", "title", "items", NULL};
static const char *const sheet_patch_keys[] = {"title", "items", NULL};

int sheet_input_read(http_req *r, int creating, struct sheet_input *s)
{
	int rc;
	memset(s, 0, sizeof(*s));
	if (!r->json)
		return creating ? http_fail(r, KF_EINVAL, "customer_id", "缺少必填字段 customer_id",
					    "The field customer_id is required")
				: http_fail(r, KF_EJSON, NULL, "请求体必须是 JSON 对象",
					    "The body is a JSON object");
	s->items = json_object_get(r->json, "items");
	if (!creating) {
		if ((rc = in_only_keys(r, r->json, sheet_patch_keys, NULL)) < 0 ||
		    (rc = in_str(r, r->json, "title", 200, 0, &s->title, NULL)) < 0 ||
		    (s->items && (rc = items_check(r, s->items)) < 0))
			return rc;
		return 0;
	}
	if ((rc = in_only_keys(r, r->json, sheet_keys, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "customer_id", 1, INT64_MAX, 1, &s->customer_id, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "case_id", 1, INT64_MAX, 0, &s->case_id, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "title", 200, 0, &s->title, NULL)) < 0 ||
	    (rc = items_check(r, s->items)) < 0)
		return rc;
	return 0;
}
