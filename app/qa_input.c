/* qa_input.c - reading the body of a QA evaluation (POST
 * /api/qa/evaluations): a call, a written reply or a mystery-customer
 * audit, and its scores against the active checklist items.  No database:
 * qa.c checks the call, case and agent it names and loads the items. */
#include "app/calls.h"

#include <string.h>

#include "lib/common.h"

static const char *const eval_keys[] = {"kind",     "call_id",      "case_id", "case_event_id",
					"agent_id", "scores",       "comment", "shopper",
					"scenario", "contacted_at", NULL};

int qa_eval_input_read(http_req *r, struct qa_eval_input *e)
{
	int rc;
	memset(e, 0, sizeof(*e));
	if (!r->json)
		return http_fail(r, KF_EINVAL, "kind", "缺少必填字段 kind", "The field kind is required");
	if ((rc = in_only_keys(r, r->json, eval_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "kind", 10, 1, &e->kind, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "comment", 2000, 0, &e->comment, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "shopper", 60, 0, &e->shopper, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "scenario", 500, 0, &e->scenario, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "call_id", 1, INT64_MAX, 0, &e->call_id, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "case_id", 1, INT64_MAX, 0, &e->case_id, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "case_event_id", 1, INT64_MAX, 0, &e->case_event_id, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "agent_id", 1, INT64_MAX, 0, &e->agent_id, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "contacted_at", 946684800000LL, 4102444800000LL, 0,
			 &e->contacted_at, NULL)) < 0)
		return rc;
	if (strcmp(e->kind, "call") && strcmp(e->kind, "reply") && strcmp(e->kind, "mystery"))
		return http_fail(r, KF_EINVAL, "kind", "kind 应为 call（通话）、reply（书面答复）或 mystery（神秘客户）",
				 "kind must be call, reply or mystery");
	if (!strcmp(e->kind, "call") && !e->call_id)
		return http_fail(r, KF_EINVAL, "call_id", "评通话需要 call_id",
				 "A call evaluation needs call_id");
	if (!strcmp(e->kind, "reply") && !e->case_id)
		return http_fail(r, KF_EINVAL, "case_id", "评书面答复需要 case_id",
				 "A reply evaluation needs case_id");
	if (!strcmp(e->kind, "mystery") && (!e->shopper || !*e->shopper))
		return http_fail(r, KF_EINVAL, "shopper", "神秘客户评估需要 shopper（评估人）",
				 "A mystery-customer audit needs the shopper");
	return 0;
}

int qa_scores_read(http_req *r, json_t *v, const struct qa_item *items, int n, json_t **out,
		   int64_t *permille)
{
	if (n > QA_ITEMS_MAX)
		n = QA_ITEMS_MAX;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return http_fail(r, KF_EINVAL, "scores", "scores 应为非空数组 [{item_id 或 code, score}]",
				 "scores must be a non-empty array of {item_id or code, score}");
	int seen[QA_ITEMS_MAX] = {0};
	int64_t got = 0, max = 0;
	json_t *stored = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(v, i, s)
	{
		const char *f = arena_printf(r->a, "scores[%zu]", i);
		json_t *idv = json_object_get(s, "item_id"), *code = json_object_get(s, "code"),
		       *sc = json_object_get(s, "score");
		int k = -1;
		for (int j = 0; j < n; j++)
			if ((json_is_integer(idv) && json_integer_value(idv) == items[j].id) ||
			    (json_is_string(code) && !strcmp(json_string_value(code), items[j].code)))
				k = j;
		if (k < 0 || seen[k]++) {
			json_decref(stored);
			return http_fail(r, KF_EINVAL, f, "质检项目不存在、已停用或重复",
					 "The checklist item does not exist, is inactive or repeated");
		}
		if (!json_is_integer(sc) || json_integer_value(sc) < 0 ||
		    json_integer_value(sc) > items[k].max) {
			json_decref(stored);
			return http_fail(r, KF_EINVAL, arena_printf(r->a, "%s.score", f),
					 "分数应为 0 到 %d 的整数", "The score must be an integer from 0 to %d",
					 items[k].max);
		}
		got += json_integer_value(sc);
		json_array_append_new(stored, json_pack("{s:I, s:s, s:I, s:i}", "item_id",
							(json_int_t)items[k].id, "code", items[k].code,
							"score", json_integer_value(sc), "max",
							items[k].max));
	}
	for (int j = 0; j < n; j++) {
		if (!seen[j]) {
			json_decref(stored);
			return http_fail(r, KF_EINVAL, "scores", "缺少质检项目 %s 的分数",
					 "The score of checklist item %s is missing", items[j].code);
		}
		max += items[j].max;
	}
	*out = stored;
	*permille = max ? got * 1000 / max : 0;
	return 0;
}
