/* call_list_input.c - reading the bodies of the outbound call list routes
 * (POST /api/call-lists, PATCH /api/call-list-items/{id}).  No database:
 * call_lists.c checks that follow-ups are enabled, looks up each customer
 * and stores. */
#include "app/calls.h"

#include <string.h>

#include "lib/common.h"

static const char *const list_keys[] = {"name",           "purpose",    "customer_ids", "assignee_id",
					"from_followups", "due_before", NULL};

int call_list_input_read(http_req *r, int64_t now, struct call_list_input *in)
{
	int rc, has;
	memset(in, 0, sizeof(*in));
	if (!r->json)
		return http_fail(r, KF_EINVAL, "name", "缺少必填字段 name", "The field name is required");
	if ((rc = in_only_keys(r, r->json, list_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name", 100, 1, &in->name, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "purpose", 20, 0, &in->purpose, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "assignee_id", 1, INT64_MAX, 0, &in->assignee, NULL)) < 0 ||
	    (rc = in_bool(r, r->json, "from_followups", &in->from_followups, &has)) < 0 ||
	    (rc = in_int(r, r->json, "due_before", 0, INT64_MAX, 0, &in->due_before, NULL)) < 0)
		return rc;
	in->ids = json_object_get(r->json, "customer_ids");
	if (!in->from_followups && (!json_is_array(in->ids) || !json_array_size(in->ids) ||
				    json_array_size(in->ids) > CALL_LIST_MAX_ITEMS))
		return http_fail(r, KF_EINVAL, "customer_ids", "customer_ids 应为 1 到 %d 个客户编号",
				 "customer_ids must list 1 to %d customer ids", CALL_LIST_MAX_ITEMS);
	if (in->from_followups && in->ids)
		return http_fail(r, KF_EINVAL, "customer_ids", "from_followups 与 customer_ids 只能选一个",
				 "Give either from_followups or customer_ids");
	size_t i;
	json_t *v;
	json_array_foreach(in->ids, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return http_fail(r, KF_EINVAL, arena_printf(r->a, "customer_ids[%zu]", i),
					 "客户编号应为正整数", "A customer id is a positive integer");
	}
	if (in->purpose && strcmp(in->purpose, "followup") && strcmp(in->purpose, "callback") &&
	    strcmp(in->purpose, "campaign"))
		return http_fail(r, KF_EINVAL, "purpose", "purpose 应为 followup、callback 或 campaign",
				 "purpose must be followup, callback or campaign");
	if (!in->due_before)
		in->due_before = now + 86400000LL;
	return 0;
}

static const char *const item_keys[] = {"status", "note", "assignee_id", NULL};

int call_list_item_input_read(http_req *r, struct call_list_item_input *in)
{
	int rc;
	memset(in, 0, sizeof(*in));
	if (!r->json)
		return http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	if ((rc = in_only_keys(r, r->json, item_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "status", 10, 0, &in->status, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "note", 500, 0, &in->note, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "assignee_id", 1, INT64_MAX, 0, &in->assignee,
			 &in->has_assignee)) < 0)
		return rc;
	if (in->status && strcmp(in->status, "pending") && strcmp(in->status, "skipped") &&
	    strcmp(in->status, "done"))
		return http_fail(r, KF_EINVAL, "status", "status 应为 pending、skipped 或 done",
				 "status must be pending, skipped or done");
	if (in->has_assignee && r->user.role < ROLE_SUPERVISOR)
		return http_fail(r, KF_EFORBIDDEN, "assignee_id", "只有主管可以分配外呼任务",
				 "Only a supervisor assigns call list items");
	return 0;
}
