/* case_checklist.c - the six steps of the complaint conversation (DOMAIN
 * §2: 道歉受理, 解释原因, 表示同情理解, 告知方案并执行, 再次致歉, 感谢惠顾)
 * as a checklist on each complaint that the agent ticks.  Each tick or
 * untick is a timeline event with its actor. */
#include "app/case.h"

#include <string.h>

#include "lib/common.h"
#include "lib/util.h"

static const char *const tick_keys[] = {"step", "done", "version", NULL};

int case_checklist_input_read(http_req *r, struct checklist_tick *t)
{
	int rc;
	memset(t, 0, sizeof(*t));
	if (!r->json)
		return http_fail(r, KF_EINVAL, "step", "缺少必填字段 step", "The field step is required");
	if ((rc = in_only_keys(r, r->json, tick_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "step", 32, 1, &t->step, NULL)) < 0 ||
	    (rc = in_bool(r, r->json, "done", &t->done, &t->has_done)) < 0 ||
	    (rc = in_int(r, r->json, "version", 1, INT64_MAX, 0, &t->version, &t->has_version)) < 0)
		return rc;
	kf_err e;
	kf_err_clear(&e);
	if (case_class_check("checklist", "step", t->step, &e) < 0)
		return in_err(r, &e);
	if (!t->has_done)
		t->done = 1;
	t->bit = 1 << case_class_index("checklist", t->step);
	return 0;
}

int case_checklist_tick(http_req *r)
{
	int64_t id;
	struct checklist_tick t;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = case_checklist_input_read(r, &t)) < 0)
		return rc;
	const char *step = t.step;
	int done = t.done, bit = t.bit;
	int64_t now = util_now_ms();
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	struct case_row c;
	if ((rc = case_fetch(r, id, &c)) < 0)
		goto fail;
	if (t.has_version && t.version != c.version) {
		rc = case_stale(r, &c);
		goto fail;
	}
	if (c.flow != CASE_FLOW_COMPLAINT) {
		rc = http_fail(r, KF_ECONFLICT, "step", "只有投诉工单有沟通六步清单",
			       "Only complaints have the six-step conversation checklist");
		goto fail;
	}
	int now_set = done ? (c.checklist | bit) : (c.checklist & ~bit);
	if (now_set != c.checklist) {
		struct case_upd u;
		case_upd_init(&u);
		case_upd_int(&u, "checklist", now_set);
		case_upd_derived(&u, &c);
		rc = case_upd_exec(r->db, &u, &c, now);
		rc = rc < 0 ? app_db_fail(r, rc, NULL) : rc == 0 ? case_stale(r, &c) : 0;
		json_t *data = json_pack("{s:s, s:b}", "step", step, "done", done);
		if (rc == 0 && (case_event_add(r->db, id, "checklist", r->user.id, 0, "", data, now) < 0 ||
				audit_write(r->db, "case", id, "checklist", r->user.id, data) < 0))
			rc = app_db_fail(r, DB_EFAIL, NULL);
		json_decref(data);
		case_upd_release(&u);
		if (rc < 0)
			goto fail;
	}
	if (db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return case_respond(r, id, 200);
fail:
	db_rollback(r->db);
	return rc;
}
