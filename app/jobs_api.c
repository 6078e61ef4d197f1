/* jobs_api.c - POST /api/jobs/run (admin): runs the background jobs now,
 * in this request, under the same leases as the scheduler (waiting a few
 * seconds for one another instance holds).  For operators and tests. */
#include "app/app.h"

#include "lib/common.h"
#include "lib/util.h"

int (*app_jobs_hook)(db *d, int64_t now, int wait_ms, json_t **report);

int jobs_run_api(http_req *r)
{
	if (!app_jobs_hook)
		return http_fail(r, KF_EINTERNAL, NULL, "后台任务未启用", "Background jobs are not set up");
	json_t *report = NULL;
	int rc = app_jobs_hook(r->db, util_now_ms(), 10000, &report);
	json_t *body = json_pack("{s:o, s:b}", "jobs", report ? report : json_object(), "ok", rc == 0);
	return http_json(r, rc == 0 ? 200 : 503, body);
}
