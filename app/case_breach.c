/* case_breach.c - SLA breach escalation (DOMAIN §2-3, §7): a case whose
 * first-response or resolution target passed unmet is escalated once to
 * the supervisors of its department (a notification each) and the
 * timeline says so.
 *
 * The job reads only cases whose sla_check_at (the earliest pending target
 * not yet escalated) has passed, through a partial index, so a run costs
 * what there is to escalate, not what the table holds.  Escalation is
 * idempotent: case_escalations has one row per (case, target, due time),
 * and a breach whose row exists is not escalated again, by this instance
 * or another.  Each case is its own transaction. */
#include "app/case.h"

#include "app/webhook.h"
#include "lib/common.h"
#include "lib/log.h"

static const struct {
	int bit;
	const char *target, *zh, *en;
} targets[] = {
	{1, "first_response", "首次响应", "first response"},
	{2, "resolution", "解决", "resolution"},
};

static int escalate_target(db *d, arena *a, const struct case_row *c, int t, int64_t due,
			   int64_t now, int *escalated)
{
	int rc = db_exec(d,
			 "INSERT INTO case_escalations (case_id, target, due_at, at) VALUES (?, ?, ?, ?)"
			 " ON CONFLICT DO NOTHING",
			 DB_ARGS(DBI(c->id), DBT(targets[t].target), DBI(due), DBI(now)));
	if (rc <= 0)
		return rc; /* < 0 an error; 0 escalated before */
	json_t *data = json_pack("{s:s, s:I, s:I}", "target", targets[t].target, "due_at",
				 (json_int_t)due, "minutes_late", (json_int_t)((now - due) / 60000));
	const char *zh = arena_printf(a, "工单 %s %s超时，已上报主管", c->number, targets[t].zh);
	const char *en = arena_printf(a, "Case %s missed its %s target; escalated to the supervisor",
				      c->number, targets[t].en);
	rc = case_event_add(d, c->id, "sla_breach", 0, 0, zh, data, now);
	if (rc >= 0)
		rc = notify_supervisors(d, c->department_id, "sla_breach", c->id, zh, en, data, now);
	if (rc >= 0)
		rc = webhook_emit_case(d, "case.overdue", c->id, data);
	json_decref(data);
	if (rc >= 0)
		(*escalated)++;
	return rc < 0 ? rc : 0;
}

static int escalate_one(db *d, arena *a, int64_t id, int64_t now, int *escalated, kf_err *e)
{
	struct case_row c;
	if (db_begin(d) < 0)
		return kf_fail(e, KF_EDB, NULL, NULL, NULL);
	int rc = case_read(d, a, id, &c, e);
	int before = c.escalated;
	const int64_t due[2] = {c.first_response_at ? 0 : c.fr_due, c.resolved_at ? 0 : c.res_due};
	for (int t = 0; rc == 0 && t < 2; t++) {
		if (!due[t] || due[t] > now || (c.escalated & targets[t].bit) || c.paused_at || !c.is_open)
			continue;
		if (escalate_target(d, a, &c, t, due[t], now, escalated) < 0)
			rc = kf_fail(e, KF_EDB, NULL, NULL, NULL);
		c.escalated |= targets[t].bit;
	}
	/* Not a change people make: the version stays, so nobody's edit in
	 * progress is refused for it. */
	int64_t sla_due, check, rank;
	case_derive(&c, &sla_due, &check, &rank);
	if (rc == 0 && db_exec(d, "UPDATE cases SET escalated = ?, sla_check_at = ? WHERE id = ?",
			       DB_ARGS(DBI(c.escalated), check ? DBI(check) : DBNULL, DBI(id))) < 0)
		rc = kf_fail(e, KF_EDB, NULL, NULL, NULL);
	if (rc == 0 && c.escalated != before) {
		json_t *ch = json_pack("{s:[ii]}", "escalated", before, c.escalated);
		if (audit_write(d, "case", id, "escalate", 0, ch) < 0)
			rc = kf_fail(e, KF_EDB, NULL, NULL, NULL);
		json_decref(ch);
	}
	if (rc < 0) {
		db_rollback(d);
		return rc;
	}
	return db_commit(d) < 0 ? kf_fail(e, KF_EDB, NULL, NULL, NULL) : 0;
}

int case_breach_sweep(db *d, int64_t now, int limit, int *escalated, kf_err *e)
{
	enum { BATCH = 200 };
	int64_t ids[BATCH];
	int n = 0;
	*escalated = 0;
	if (limit > BATCH)
		limit = BATCH;
	db_stmt *st;
	if (db_query(d,
		     "SELECT id FROM cases WHERE sla_check_at IS NOT NULL AND sla_check_at <= ?"
		     " ORDER BY sla_check_at LIMIT ?",
		     DB_ARGS(DBI(now), DBI(limit)), &st) < 0)
		return kf_fail(e, KF_EDB, NULL, NULL, NULL);
	while (n < limit && db_step(st) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	arena *a = arena_new();
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++)
		rc = escalate_one(d, a, ids[i], now, escalated, e);
	arena_free(a);
	if (rc < 0)
		log_error("sla breach: %s", db_errmsg(d));
	return rc < 0 ? rc : n;
}
