/* commitment_input.c - reading the body of a commitment made to a
 * customer, and of its outcome.  No database: commitments.c checks the
 * customer, case and follow-up it names. */
#include "app/followup_input.h"

#include <string.h>

#include "lib/common.h"

static const char *const commit_keys[] = {"customer_id", "case_id", "followup_id", "content",
					  "due_at", NULL};
static const char *const outcome_keys[] = {"outcome", "note", NULL};

int commitment_input_read(http_req *r, int64_t now, struct commitment_input *ci)
{
	int rc;
	memset(ci, 0, sizeof(*ci));
	if (!r->json)
		return http_fail(r, KF_EINVAL, "customer_id", "缺少必填字段 customer_id",
				 "The field customer_id is required");
	if ((rc = in_only_keys(r, r->json, commit_keys, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "customer_id", 1, INT64_MAX, 1, &ci->customer_id, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "case_id", 1, INT64_MAX, 0, &ci->case_id, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "followup_id", 1, INT64_MAX, 0, &ci->followup_id, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "content", 2000, 1, &ci->content, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "due_at", 1, INT64_MAX, 1, &ci->due_at, NULL)) < 0)
		return rc;
	if (!ci->content[strspn(ci->content, " \t\r\n")])
		return http_fail(r, KF_EINVAL, "content", "请写明承诺的内容",
				 "Say what was promised");
	if (ci->due_at < now - 60000)
		return http_fail(r, KF_EINVAL, "due_at", "承诺的兑现期限不能早于现在",
				 "A commitment cannot be due in the past");
	return 0;
}

int commitment_outcome_read(http_req *r, const char **outcome, const char **note)
{
	int rc;
	*outcome = *note = NULL;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "outcome", "缺少必填字段 outcome",
				 "The field outcome is required");
	if ((rc = in_only_keys(r, r->json, outcome_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "outcome", 10, 1, outcome, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "note", 2000, 0, note, NULL)) < 0)
		return rc;
	if (strcmp(*outcome, "kept") && strcmp(*outcome, "broken"))
		return http_fail(r, KF_EINVAL, "outcome", "结果只能是 kept（已兑现）或 broken（未兑现）",
				 "The outcome is kept or broken");
	return 0;
}
