/* case_sla.c - the business clock of a use case (the calendar around a
 * time, in the business time zone) and the choice of SLA policy.
 *
 * Both are read from the database for each use case that needs them:
 * the hours (at most 28 rows), the dated days of four years (about 140)
 * and the active policies (a handful), all by primary key or a small
 * table scan.  Nothing is cached in memory, so several instances agree. */
#include "app/case.h"

#include <stdio.h>
#include <string.h>

#include "app/tz.h"
#include "core/sla.h"
#include "lib/common.h"

enum { MAX_DAYS = 4096, MAX_POLICIES = 500 };

const char *case_business_zone(db *d, arena *a)
{
	db_stmt *st;
	const char *zone = "Asia/Shanghai";
	if (db_query(d, "SELECT value FROM settings WHERE key = 'business_timezone'", DB_ARGS(),
		     &st) == 0) {
		if (db_step(st) == DB_ROW && *db_col_text(st, 0))
			zone = arena_strdup(a, db_col_text(st, 0));
		db_done(st);
	}
	return zone;
}

int case_local_date(const char *zone, int64_t utc_ms, int *y, int *m, int *d, kf_err *e)
{
	int64_t local;
	if (tz_local_min(zone, utc_ms, &local, e) < 0)
		return e->code;
	bizcal_civil_from_days((int32_t)bizcal_floor_div(local, 1440), y, m, d);
	return 0;
}

static int load_hours(db *d, struct bizcal *cal, kf_err *e)
{
	struct bizcal_interval iv[7][BIZCAL_MAX_INTERVALS];
	int n[7] = {0};
	db_stmt *st;
	if (db_query(d, "SELECT weekday, start_min, end_min FROM business_hours ORDER BY weekday, start_min",
		     DB_ARGS(), &st) < 0)
		return kf_fail(e, KF_EDB, NULL, NULL, NULL);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int w = (int)db_col_int(st, 0) - 1;
		if (w < 0 || w > 6 || n[w] >= BIZCAL_MAX_INTERVALS)
			continue;
		iv[w][n[w]].start = (int)db_col_int(st, 1);
		iv[w][n[w]].end = (int)db_col_int(st, 2);
		n[w]++;
	}
	db_done(st);
	if (rc < 0)
		return kf_fail(e, KF_EDB, NULL, NULL, NULL);
	for (int w = 0; w < 7; w++)
		if (bizcal_set_hours(cal, w + 1, iv[w], n[w], e) < 0)
			return e->code;
	return 0;
}

static void date_text(int32_t day, char out[40])
{
	int y, m, d;
	bizcal_civil_from_days(day, &y, &m, &d);
	snprintf(out, 40, "%04d-%02d-%02d", y, m, d);
}

int case_clock_load(db *d, arena *a, int64_t around, struct case_clock *k, kf_err *e)
{
	k->zone = case_business_zone(d, a);
	int64_t local;
	if (tz_local_min(k->zone, around, &local, e) < 0)
		return e->code;
	int32_t day = (int32_t)bizcal_floor_div(local, 1440);
	char from[40], to[40];
	date_text(day - 366, from);
	date_text(day + 3 * 366, to);
	/* Days come sorted by date: the storage grows by doubling. */
	size_t cap = 256;
	struct bizcal_day *days = arena_alloc(a, cap * sizeof(*days));
	bizcal_init(&k->cal, days, cap);
	if (load_hours(d, &k->cal, e) < 0)
		return e->code;
	db_stmt *st;
	if (db_query(d,
		     "SELECT on_date, kind, name FROM business_days WHERE on_date >= ? AND on_date <= ?"
		     " ORDER BY on_date LIMIT 4096",
		     DB_ARGS(DBT(from), DBT(to)), &st) < 0)
		return kf_fail(e, KF_EDB, NULL, NULL, NULL);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int32_t dd;
		if (bizcal_parse_date(db_col_text(st, 0), &dd) < 0)
			continue;
		if (k->cal.ndays == k->cal.cap && k->cal.cap < MAX_DAYS) {
			struct bizcal_day *more = arena_alloc(a, 2 * k->cal.cap * sizeof(*more));
			memcpy(more, k->cal.days, k->cal.ndays * sizeof(*more));
			k->cal.days = more;
			k->cal.cap *= 2;
		}
		bizcal_add_day(&k->cal, dd,
			       !strcmp(db_col_text(st, 1), "holiday") ? BIZCAL_HOLIDAY : BIZCAL_WORKDAY,
			       db_col_text(st, 2), NULL);
	}
	db_done(st);
	if (rc < 0)
		return kf_fail(e, KF_EDB, NULL, NULL, NULL);
	return 0;
}

int case_clock_add(struct case_clock *k, int64_t utc_ms, int64_t minutes, int64_t *out, kf_err *e)
{
	int64_t local, due;
	if (tz_local_min(k->zone, utc_ms, &local, e) < 0 ||
	    bizcal_add(&k->cal, local, minutes, &due, e) < 0)
		return e->code;
	if (due == local) { /* 0 minutes: the very time given */
		*out = utc_ms;
		return 0;
	}
	return tz_utc_ms(k->zone, due, out, e);
}

int case_clock_between(struct case_clock *k, int64_t a, int64_t b, int64_t *out, kf_err *e)
{
	int64_t la, lb;
	if (tz_local_min(k->zone, a, &la, e) < 0 || tz_local_min(k->zone, b, &lb, e) < 0)
		return e->code;
	*out = bizcal_between(&k->cal, la, lb);
	return 0;
}

int case_sla_policy(db *d, arena *a, const char *type, const char *priority,
		    const char *value_class, const char *tier, struct case_targets *t, kf_err *e)
{
	struct sla_policy *pol = arena_alloc(a, MAX_POLICIES * sizeof(*pol));
	db_stmt *st;
	size_t n = 0;
	memset(t, 0, sizeof(*t));
	if (db_query(d,
		     "SELECT id, case_type, priority, value_class, tier, first_response_min,"
		     " resolution_min FROM sla_policies WHERE active = 1 ORDER BY id LIMIT 500",
		     DB_ARGS(), &st) < 0)
		return kf_fail(e, KF_EDB, NULL, NULL, NULL);
	int rc;
	while ((rc = db_step(st)) == DB_ROW && n < MAX_POLICIES) {
		const char **f[4] = {&pol[n].case_type, &pol[n].priority, &pol[n].value_class,
				     &pol[n].tier};
		pol[n].id = db_col_int(st, 0);
		for (int i = 0; i < 4; i++)
			*f[i] = arena_strdup(a, db_col_text(st, 1 + i));
		pol[n].first_response_min = db_col_int(st, 5);
		pol[n].resolution_min = db_col_int(st, 6);
		n++;
	}
	db_done(st);
	if (rc < 0)
		return kf_fail(e, KF_EDB, NULL, NULL, NULL);
	int i = sla_policy_match(pol, n, type, priority, value_class, tier);
	if (i >= 0) {
		t->policy_id = pol[i].id;
		t->fr_min = pol[i].first_response_min;
		t->res_min = pol[i].resolution_min;
	}
	return 0;
}

int case_retarget(db *d, arena *a, struct case_row *c, struct case_upd *u, int always, kf_err *e)
{
	struct case_targets t;
	struct case_clock k;
	if (case_sla_policy(d, a, c->type, c->priority, c->value_class, c->tier, &t, e) < 0)
		return -1;
	if (!always && t.policy_id == c->sla_policy_id)
		return 0;
	if (case_clock_load(d, a, c->sla_start_at, &k, e) < 0)
		return -1;
	if (!c->first_response_at) {
		c->fr_due = 0;
		if (t.fr_min > 0 &&
		    case_clock_add(&k, c->received_at, t.fr_min + c->paused_biz_min, &c->fr_due, e) < 0)
			return -1;
		case_upd_time(u, "first_response_due_at", c->fr_due);
		c->escalated &= ~1;
	}
	if (!c->resolved_at) {
		c->res_due = 0;
		if (t.res_min > 0 &&
		    case_clock_add(&k, c->sla_start_at, t.res_min + c->paused_biz_min, &c->res_due, e) < 0)
			return -1;
		case_upd_time(u, "resolve_due_at", c->res_due);
		c->escalated &= ~2;
	}
	c->sla_policy_id = t.policy_id;
	case_upd_time(u, "sla_policy_id", t.policy_id);
	case_upd_int(u, "escalated", c->escalated);
	return 1;
}

int case_sla_policy_by_id(db *d, int64_t id, struct case_targets *t, kf_err *e)
{
	db_stmt *st;
	memset(t, 0, sizeof(*t));
	if (!id)
		return 0;
	if (db_query(d, "SELECT first_response_min, resolution_min FROM sla_policies WHERE id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return kf_fail(e, KF_EDB, NULL, NULL, NULL);
	if (db_step(st) == DB_ROW) {
		t->policy_id = id;
		t->fr_min = db_col_int(st, 0);
		t->res_min = db_col_int(st, 1);
	}
	db_done(st);
	return 0;
}
