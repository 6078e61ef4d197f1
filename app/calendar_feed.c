/* calendar_feed.c - each user's open follow-up visits and commitments as
 * an iCalendar feed (RFC 5545, core/ical.h) that a phone's calendar
 * subscribes to (issue 5):
 *
 *   GET    /api/calendar/mine.ics        the feed: ?token= (the personal
 *                                        calendar token), or a session or
 *                                        Bearer API token as anywhere else
 *   GET    /api/me/calendar-token        whether one exists (never the secret)
 *   POST   /api/me/calendar-token        make one (replacing any), shown once
 *   DELETE /api/me/calendar-token        revoke it
 *
 * A calendar app can only put a secret in the URL, so the calendar token
 * opens this feed and nothing else, and only its SHA-256 is stored (like
 * API tokens).  kefu's access log writes paths without the query string.
 *
 * A visit is an event of 15 minutes at its proposed call time (already
 * outside rest hours and the customer's do-not-disturb windows); a
 * commitment is the half hour before it is due.  Overdue items stay in
 * the feed until they are closed.  UIDs carry a random suffix made once
 * per database (settings key calendar.uid_suffix), so two installations
 * never share one. */
#include "app/case.h"

#include <string.h>

#include "app/tz.h"
#include "core/bizcal.h"
#include "core/ical.h"
#include "lib/common.h"
#include "lib/util.h"

enum { FEED_MAX = 500, VISIT_MIN = 15, PROMISE_MIN = 30 };
#define PAST_MS (30LL * 86400000)

static const char *read_suffix(http_req *r)
{
	db_stmt *st;
	const char *s = NULL;
	if (db_query(r->db, "SELECT value FROM settings WHERE key = 'calendar.uid_suffix'", DB_ARGS(),
		     &st) == 0) {
		if (db_step(st) == DB_ROW)
			s = arena_strdup(r->a, db_col_text(st, 0));
		db_done(st);
	}
	return s;
}

/* Made by the first feed ever asked for (whoever wins the insert). */
static const char *uid_suffix(http_req *r)
{
	const char *s = read_suffix(r);
	if (s)
		return s;
	char rnd[17];
	util_random_hex(rnd, 8);
	db_exec(r->db, "INSERT INTO settings (key, value) VALUES ('calendar.uid_suffix', ?)"
		       " ON CONFLICT (key) DO NOTHING",
		DB_ARGS(DBT(rnd)));
	s = read_suffix(r);
	return s ? s : "kefu";
}

/* The user the calendar token names (0 if none); updates last_used_at at
 * most once a minute. */
static int by_calendar_token(http_req *r, const char *token, int64_t *uid, int *en)
{
	char hash[65];
	util_sha256_hex(token, hash);
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT u.id, u.lang, COALESCE(t.last_used_at, 0) FROM calendar_tokens t"
		     " JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND u.disabled = 0",
		     DB_ARGS(DBT(hash)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int64_t last = 0;
	*uid = 0;
	if (db_step(st) == DB_ROW) {
		*uid = db_col_int(st, 0);
		*en = !strncmp(db_col_text(st, 1), "en", 2);
		last = db_col_int(st, 2);
	}
	db_done(st);
	int64_t now = util_now_ms();
	if (*uid && now - last > 60000)
		db_exec(r->db, "UPDATE calendar_tokens SET last_used_at = ? WHERE user_id = ?",
			DB_ARGS(DBI(now), DBI(*uid)));
	return 0;
}

/* "2026-11-25 18:00" in the company's zone. */
static const char *local_text(http_req *r, const char *zone, int64_t ms)
{
	int64_t min;
	kf_err e;
	if (tz_local_min(zone, ms, &min, &e) < 0)
		min = ms / 60000 + 480;
	int y, m, d;
	bizcal_civil_from_days((int32_t)bizcal_floor_div(min, 1440), &y, &m, &d);
	int64_t in_day = min - bizcal_floor_div(min, 1440) * 1440;
	return arena_printf(r->a, "%04d-%02d-%02d %02d:%02d", y, m, d, (int)(in_day / 60),
			    (int)(in_day % 60));
}

struct feed {
	http_req *r;
	buf *b;
	const char *zone, *suffix;
	int en;
	int64_t uid, now;
};

static int write_visits(struct feed *f)
{
	db_stmt *st;
	if (db_query(f->r->db,
		     "SELECT v.id, v.title, v.kind, v.due_at, v.call_at, v.updated_at, c.name"
		     " FROM followups v JOIN customers c ON c.id = v.customer_id"
		     " WHERE v.assignee_id = ? AND v.state = 'open' AND v.due_at >= ?"
		     " ORDER BY v.due_at, v.id LIMIT ?",
		     DB_ARGS(DBI(f->uid), DBI(f->now - PAST_MS), DBI(FEED_MAX)), &st) < 0)
		return -1;
	int rc = 0;
	while (rc == 0 && db_step(st) == DB_ROW) {
		const char *title = db_col_text(st, 1), *name = db_col_text(st, 6);
		int64_t due = db_col_int(st, 3), at = db_col_int(st, 4);
		const char *what = *title ? title : db_col_text(st, 2);
		struct ical_event e = {
			.uid = arena_printf(f->r->a, "followup-%lld.%s@kefu", (long long)db_col_int(st, 0),
					    f->suffix),
			.stamp_ms = db_col_int(st, 5),
			.start_ms = at,
			.end_ms = at + VISIT_MIN * 60000,
			.summary = arena_printf(f->r->a, f->en ? "Visit: %s – %s" : "回访：%s – %s", name, what),
			.description = arena_printf(f->r->a,
						    f->en ? "Customer: %s\nVisit: %s\nDue by: %s (%s)"
							  : "客户：%s\n回访：%s\n截止：%s（%s）",
						    name, what, local_text(f->r, f->zone, due), f->zone),
			.categories = f->en ? "Follow-up visit" : "回访",
			.status = "CONFIRMED",
		};
		rc = ical_event(f->b, &e);
	}
	db_done(st);
	return rc;
}

static int write_promises(struct feed *f)
{
	db_stmt *st;
	if (db_query(f->r->db,
		     "SELECT m.id, m.content, m.due_at, m.updated_at, c.name"
		     " FROM commitments m JOIN customers c ON c.id = m.customer_id"
		     " WHERE m.made_by = ? AND m.state = 'open' AND m.due_at >= ?"
		     " ORDER BY m.due_at, m.id LIMIT ?",
		     DB_ARGS(DBI(f->uid), DBI(f->now - PAST_MS), DBI(FEED_MAX)), &st) < 0)
		return -1;
	int rc = 0;
	while (rc == 0 && db_step(st) == DB_ROW) {
		const char *what = db_col_text(st, 1), *name = db_col_text(st, 4);
		int64_t due = db_col_int(st, 2);
		struct ical_event e = {
			.uid = arena_printf(f->r->a, "commitment-%lld.%s@kefu",
					    (long long)db_col_int(st, 0), f->suffix),
			.stamp_ms = db_col_int(st, 3),
			.start_ms = due - PROMISE_MIN * 60000,
			.end_ms = due,
			.summary = arena_printf(f->r->a, f->en ? "Promise due: %s – %s" : "承诺到期：%s – %s",
						what, name),
			.description = arena_printf(f->r->a,
						    f->en ? "Customer: %s\nPromised: %s\nDue: %s (%s)"
							  : "客户：%s\n承诺：%s\n期限：%s（%s）",
						    name, what, local_text(f->r, f->zone, due), f->zone),
			.categories = f->en ? "Commitment" : "承诺",
			.status = "CONFIRMED",
		};
		rc = ical_event(f->b, &e);
	}
	db_done(st);
	return rc;
}

int calendar_feed(http_req *r)
{
	const char *token = http_query(r, "token");
	int64_t uid = r->user.id;
	int rc, en = r->user.lang && !strncmp(r->user.lang, "en", 2);
	if (token && *token && (rc = by_calendar_token(r, token, &uid, &en)) < 0)
		return rc;
	if (!uid)
		return http_fail(r, KF_EAUTH, token && *token ? "token" : NULL,
				 token && *token ? "日历令牌无效或已撤销" : "请登录，或在地址中带上日历令牌 token",
				 token && *token ? "The calendar token is invalid or revoked"
						 : "Sign in, or give the calendar token in the URL (token=)");
	struct feed f = {r, NULL, case_business_zone(r->db, r->a), uid_suffix(r), en, uid,
			 util_now_ms()};
	buf b;
	buf_init(&b, 8 << 20);
	f.b = &b;
	rc = ical_begin(&b, "-//kefu//Calendar 1.0//ZH", en ? "kefu visits and promises" : "kefu 回访与承诺");
	if (rc == 0)
		rc = write_visits(&f);
	if (rc == 0)
		rc = write_promises(&f);
	if (rc == 0)
		rc = ical_end(&b);
	if (rc < 0) {
		buf_release(&b);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	rc = http_text(r, 200, "text/calendar; charset=utf-8", b.data, b.len);
	buf_release(&b);
	return rc;
}

/* ------------------------------------------------------------ the token */

int calendar_token_get(http_req *r)
{
	db_stmt *st;
	if (db_query(r->db, "SELECT created_at, last_used_at FROM calendar_tokens WHERE user_id = ?",
		     DB_ARGS(DBI(r->user.id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *o = NULL;
	if (db_step(st) == DB_ROW)
		o = json_pack("{s:b, s:I, s:o}", "exists", 1, "created_at", (json_int_t)db_col_int(st, 0),
			      "last_used_at",
			      db_col_null(st, 1) ? json_null() : json_integer(db_col_int(st, 1)));
	db_done(st);
	if (!o)
		o = json_pack("{s:b, s:n, s:n}", "exists", 0, "created_at", "last_used_at");
	return http_json(r, 200, o);
}

int calendar_token_create(http_req *r)
{
	char secret[65], hash[65];
	util_random_hex(secret, 32);
	const char *tok = arena_printf(r->a, "kfc_%s", secret);
	util_sha256_hex(tok, hash);
	int64_t now = util_now_ms();
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_exec(r->db,
			 "INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)"
			 " ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash,"
			 " created_at = excluded.created_at, last_used_at = NULL",
			 DB_ARGS(DBI(r->user.id), DBT(hash), DBI(now)));
	if (rc >= 0)
		rc = audit_write(r->db, "user", r->user.id, "calendar_token", r->user.id, NULL);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_json(r, 201,
			 json_pack("{s:s, s:s, s:I}", "token", tok, "path",
				   arena_printf(r->a, "/api/calendar/mine.ics?token=%s", tok),
				   "created_at", (json_int_t)now));
}

int calendar_token_delete(http_req *r)
{
	int rc = db_exec(r->db, "DELETE FROM calendar_tokens WHERE user_id = ?",
			 DB_ARGS(DBI(r->user.id)));
	if (rc < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (rc == 0)
		return http_fail(r, KF_ENOTFOUND, NULL, "您没有日历令牌", "You have no calendar token");
	audit_write(r->db, "user", r->user.id, "calendar_token_revoke", r->user.id, NULL);
	return http_no_content(r);
}
