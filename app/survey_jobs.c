/* survey_jobs.c - the `surveys` job of jobs/scheduler.c: an invitation
 * after each case closed or archived and each follow-up visit closed
 * (rules case_closed and visit_closed), and the periodic campaigns each
 * new period.
 *
 * Like the follow-up scan it is a catch-up over what happened (closing
 * moments of the last three days, indexed), not a hook in the cases
 * module: a case closed by any path gets its survey on the next run.  Each
 * invitation's source_key (case:42, visit:7) is UNIQUE, so several servers
 * never send one twice.  It also prunes the portal's rate-limit rows.  A customer surveyed within the rule's min_days
 * gets a `suppressed` row instead, so the cause is settled and not retried
 * when the window has passed. */
#include "app/survey.h"

#include <stdio.h>
#include <string.h>

#include "lib/common.h"
#include "lib/util.h"

enum { BATCH = 200, MAX_ROUNDS = 20 };
#define LOOKBACK_MS (3 * SURVEY_DAY_MS)

struct rule {
	int enabled;
	int64_t template_id, min_days, expires_days;
};

static int rule_load(db *d, const char *name, struct rule *r)
{
	db_stmt *st;
	memset(r, 0, sizeof(*r));
	if (db_query(d, "SELECT enabled, COALESCE(template_id, 0), min_days, expires_days FROM"
			" survey_rules WHERE rule = ?",
		     DB_ARGS(DBT(name)), &st) < 0)
		return -1;
	if (db_step(st) == DB_ROW) {
		r->enabled = (int)db_col_int(st, 0);
		r->template_id = db_col_int(st, 1);
		r->min_days = db_col_int(st, 2);
		r->expires_days = db_col_int(st, 3);
	}
	db_done(st);
	if (r->enabled && !r->template_id)
		r->template_id = survey_default_template(d);
	if (!r->template_id)
		r->enabled = 0;
	return 0;
}

/* Sent, or suppressed when the customer had a survey within min_days. */
static int invite(db *d, arena *a, const struct rule *ru, struct survey_invite *in, int64_t now,
		  int *sent, int *suppressed)
{
	int64_t recent = 0;
	if (ru->min_days > 0 &&
	    db_query_int(d,
			 "SELECT COUNT(*) FROM survey_invitations WHERE customer_id = ? AND"
			 " status = 'sent' AND created_at > ?",
			 DB_ARGS(DBI(in->customer_id), DBI(now - ru->min_days * SURVEY_DAY_MS)),
			 &recent) < 0)
		return -1;
	in->status = recent ? "suppressed" : "sent";
	in->template_id = ru->template_id;
	in->expires_at = now + ru->expires_days * SURVEY_DAY_MS;
	int64_t id;
	int rc = survey_invite_insert(d, a, in, now, &id);
	if (rc > 0)
		(*(recent ? suppressed : sent))++;
	return rc < 0 ? -1 : 0;
}

struct cause {
	int64_t id, customer_id, agent_id, department_id, case_id;
	char case_type[32], channel[32];
};

static int read_causes(db *d, const char *sql, int64_t since, int64_t after, struct cause *c,
		       int *n)
{
	db_stmt *st;
	*n = 0;
	if (db_query(d, sql, DB_ARGS(DBI(since), DBI(after), DBI(BATCH)), &st) < 0)
		return -1;
	int rc = 0;
	while (*n < BATCH && (rc = db_step(st)) == DB_ROW) {
		struct cause *x = &c[(*n)++];
		x->id = db_col_int(st, 0);
		x->customer_id = db_col_int(st, 1);
		x->agent_id = db_col_null(st, 2) ? 0 : db_col_int(st, 2);
		x->department_id = db_col_null(st, 3) ? 0 : db_col_int(st, 3);
		snprintf(x->case_type, sizeof(x->case_type), "%s", db_col_text(st, 4));
		snprintf(x->channel, sizeof(x->channel), "%s", db_col_text(st, 5));
		x->case_id = db_col_null(st, 6) ? 0 : db_col_int(st, 6);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static const char *const case_sql =
	"SELECT c.id, c.customer_id, c.assignee_id, c.department_id, c.type, c.channel, c.id"
	" FROM cases c WHERE (c.closed_at >= ? OR c.archived_at >= ?) AND c.id > ?"
	" AND NOT EXISTS (SELECT 1 FROM survey_invitations i WHERE i.case_id = c.id AND"
	" i.source = 'case') ORDER BY c.id LIMIT ?";

static const char *const visit_sql =
	"SELECT f.id, f.customer_id, f.assignee_id, f.department_id, COALESCE(k.type, ''),"
	" COALESCE(k.channel, ''), f.case_id FROM followups f LEFT JOIN cases k ON k.id = f.case_id"
	" WHERE f.closed_at >= ? AND f.id > ? AND f.kind <> 'low_score' AND NOT EXISTS"
	" (SELECT 1 FROM survey_invitations i WHERE i.followup_id = f.id AND i.source = 'visit')"
	" ORDER BY f.id LIMIT ?";

/* One kind of cause (cases or visits) in rounds. */
static int scan(db *d, arena *a, int is_case, const struct rule *ru, int64_t now, int *sent,
		int *suppressed)
{
	struct cause c[BATCH];
	int64_t after = 0, since = now - LOOKBACK_MS;
	for (int round = 0; round < MAX_ROUNDS; round++) {
		int n, rc = 0;
		if (is_case) {
			db_stmt *st;
			n = 0;
			if (db_query(d, case_sql, DB_ARGS(DBI(since), DBI(since), DBI(after), DBI(BATCH)),
				     &st) < 0)
				return -1;
			while (n < BATCH && (rc = db_step(st)) == DB_ROW) {
				struct cause *x = &c[n++];
				x->id = db_col_int(st, 0);
				x->customer_id = db_col_int(st, 1);
				x->agent_id = db_col_null(st, 2) ? 0 : db_col_int(st, 2);
				x->department_id = db_col_null(st, 3) ? 0 : db_col_int(st, 3);
				snprintf(x->case_type, sizeof(x->case_type), "%s", db_col_text(st, 4));
				snprintf(x->channel, sizeof(x->channel), "%s", db_col_text(st, 5));
				x->case_id = x->id;
			}
			db_done(st);
			if (rc < 0)
				return -1;
		} else if (read_causes(d, visit_sql, since, after, c, &n) < 0) {
			return -1;
		}
		if (!n)
			break;
		if (db_begin(d) < 0)
			return -1;
		for (int i = 0; i < n; i++) {
			struct survey_invite in = {
				.customer_id = c[i].customer_id, .source = is_case ? "case" : "visit",
				.source_key = arena_printf(a, "%s:%lld", is_case ? "case" : "visit",
							   (long long)c[i].id),
				.case_id = c[i].case_id, .followup_id = is_case ? 0 : c[i].id,
				.agent_id = c[i].agent_id, .department_id = c[i].department_id,
				.case_type = c[i].case_type, .channel = c[i].channel, .deliver = 1};
			if (invite(d, a, ru, &in, now, sent, suppressed) < 0) {
				db_rollback(d);
				return -1;
			}
		}
		if (db_commit(d) < 0)
			return -1;
		after = c[n - 1].id;
		if (n < BATCH)
			break;
	}
	return 0;
}

/* Active periodic campaigns not yet sent in the current period. */
static int campaigns(db *d, arena *a, int64_t now, int64_t *created)
{
	db_stmt *st;
	int64_t ids[100];
	int n = 0;
	if (db_query(d, "SELECT id FROM survey_campaigns WHERE state = 'active' AND period <> 'once'"
			" ORDER BY id LIMIT 100",
		     DB_ARGS(), &st) < 0)
		return -1;
	while (n < 100 && db_step(st) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	for (int i = 0; i < n; i++) {
		kf_err e;
		kf_err_clear(&e);
		const char *label = NULL;
		int64_t c = 0;
		/* idempotent per period: a period already sent creates nothing */
		if (survey_campaign_send(d, a, ids[i], 0, now, 1, &label, &c, &e) < 0)
			return -1;
		*created += c;
	}
	return 0;
}

int survey_job_run(db *d, int64_t now, char *summary, size_t len)
{
	arena *a = arena_new();
	struct rule rc_case, rc_visit;
	int sent = 0, suppressed = 0, rc = 0;
	int64_t from_campaigns = 0;
	if (!a || !survey_secret(d, a) || rule_load(d, "case_closed", &rc_case) < 0 ||
	    rule_load(d, "visit_closed", &rc_visit) < 0)
		rc = -1;
	if (!rc && rc_case.enabled)
		rc = scan(d, a, 1, &rc_case, now, &sent, &suppressed);
	if (!rc && rc_visit.enabled)
		rc = scan(d, a, 0, &rc_visit, now, &sent, &suppressed);
	if (!rc)
		rc = campaigns(d, a, now, &from_campaigns);
	/* the portal's rate-limit rows older than a day count for nothing */
	if (!rc && db_exec(d, "DELETE FROM portal_hits WHERE at < ?",
			   DB_ARGS(DBI(now - 24 * 3600 * 1000LL))) < 0)
		rc = -1;
	if (d->in_tx)
		db_rollback(d);
	arena_free(a);
	if (rc < 0) {
		snprintf(summary, len, "error: %.150s", db_errmsg(d));
		return -1;
	}
	snprintf(summary, len, "%d invitations after closing, %d suppressed (min_days), %lld by campaigns",
		 sent, suppressed, (long long)from_campaigns);
	return sent + (int)from_campaigns;
}
