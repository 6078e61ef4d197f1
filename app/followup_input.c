/* followup_input.c - reading the body of a follow-up visit made by hand
 * or changed as the call goes.  No database: followups.c checks the
 * customer, case, assignee and call time it names. */
#include "app/followup_input.h"

#include <string.h>

#include "lib/common.h"

const char *const followup_outcomes[] = {"satisfied", "so_so", "not_satisfied", "unreachable",
					 NULL};

static const char *const create_keys[] = {"customer_id", "case_id", "assignee_id", "title",
					  "due_at", "call_at", NULL};
static const char *const patch_keys[] = {"call_at", "due_at", "assignee_id", "title", "outcome",
					 "evaluation", "suggestions", "next_step", NULL};

static int read_create(http_req *r, struct followup_input *fi)
{
	int rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "customer_id", "缺少必填字段 customer_id",
				 "The field customer_id is required");
	if ((rc = in_only_keys(r, r->json, create_keys, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "customer_id", 1, INT64_MAX, 1, &fi->customer_id, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "case_id", 1, INT64_MAX, 0, &fi->case_id, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "assignee_id", 1, INT64_MAX, 0, &fi->assignee_id,
			 &fi->has_assignee)) < 0 ||
	    (rc = in_str(r, r->json, "title", 200, 0, &fi->title, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "due_at", 1, INT64_MAX, 1, &fi->due_at, &fi->has_due)) < 0 ||
	    (rc = in_int(r, r->json, "call_at", 1, INT64_MAX, 0, &fi->call_at, &fi->has_call)) < 0)
		return rc;
	return 0;
}

static int read_patch(http_req *r, struct followup_input *fi)
{
	int rc;
	if (!r->json)
		return http_fail(r, KF_EJSON, NULL, "请求体必须是 JSON 对象", "The body is a JSON object");
	if ((rc = in_only_keys(r, r->json, patch_keys, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "call_at", 1, INT64_MAX, 0, &fi->call_at, &fi->has_call)) < 0 ||
	    (rc = in_int(r, r->json, "due_at", 1, INT64_MAX, 0, &fi->due_at, &fi->has_due)) < 0 ||
	    (rc = in_int(r, r->json, "assignee_id", 1, INT64_MAX, 0, &fi->assignee_id,
			 &fi->has_assignee)) < 0 ||
	    (rc = in_str(r, r->json, "title", 200, 0, &fi->title, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "outcome", 20, 0, &fi->outcome, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "evaluation", 2000, 0, &fi->evaluation, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "suggestions", 2000, 0, &fi->suggestions, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "next_step", 2000, 0, &fi->next_step, NULL)) < 0)
		return rc;
	if (fi->outcome) {
		size_t i = 0;
		while (followup_outcomes[i] && strcmp(followup_outcomes[i], fi->outcome))
			i++;
		if (!followup_outcomes[i])
			return http_fail(r, KF_EINVAL, "outcome",
					 "结果只能是 satisfied、so_so、not_satisfied 或 unreachable",
					 "The outcome is satisfied, so_so, not_satisfied or unreachable");
	}
	return 0;
}

int followup_input_read(http_req *r, int creating, struct followup_input *fi)
{
	memset(fi, 0, sizeof(*fi));
	return creating ? read_create(r, fi) : read_patch(r, fi);
}
