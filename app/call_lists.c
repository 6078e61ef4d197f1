/* call_lists.c - outbound call lists (DOMAIN §3 and §5): customers to
 * call back, each with the first time they may be called (never in the
 * company's rest hours, 12:00-14:00 and 21:00-09:00, nor in the
 * customer's own do-not-disturb windows; core/calltime.h), an assignee
 * and the result.  Results come back through POST /api/calls with
 * list_item_id (calls.c), which counts the attempt and closes the item.
 *
 * Lists are built from customer ids, or from the open follow-up visits
 * (DOMAIN §3) due by a time (source "followup", source_id the visit); a
 * call that does not reach the customer marks its visit "unreachable". */
#include "app/calls.h"

#include <stdlib.h>
#include <string.h>

#include "core/calltime.h"
#include "core/mask.h"
#include "lib/common.h"
#include "lib/util.h"

enum { MAX_WINDOWS = 16 };

/* The first UTC time >= t the customer may be called; 0 if none in 2 weeks. */
static int64_t callable_from(const struct hotline_settings *hs, const char *dnd, int64_t t)
{
	struct calltime_window w[MAX_WINDOWS];
	size_t n = hotline_call_windows(hs, dnd, w, MAX_WINDOWS);
	int64_t lm = hotline_local_min(hs, t);
	int64_t next = calltime_next_allowed(lm, w, n, 14 * 1440);
	if (next < 0)
		return 0;
	return next == lm ? t : hotline_utc_ms(hs, next);
}

static int add_item(db *d, int64_t list_id, int64_t customer_id, const char *phone,
		    const char *source, int64_t source_id, int64_t assignee, int64_t at, int64_t now)
{
	return db_exec(d,
		       "INSERT INTO call_list_items (list_id, customer_id, phone, source, source_id,"
		       " assignee_id, callable_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       DB_ARGS(DBI(list_id), DBI(customer_id), DBT(phone), DBT(source),
			       source_id ? DBI(source_id) : DBNULL, assignee ? DBI(assignee) : DBNULL,
			       at ? DBI(at) : DBNULL, DBI(now), DBI(now)));
}

/* Open follow-up visits due before `due_before` (of one assignee when
 * given) become items: at the visit's proposed call time, moved past rest
 * hours and do-not-disturb windows if it has come to lie in one. */
static int add_followups(http_req *r, const struct hotline_settings *hs, const struct call_list_input *in,
			 int64_t list_id, int64_t now, int *added, json_t *skipped)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT f.id, f.customer_id, c.phone, c.dnd, f.call_at, f.assignee_id FROM followups f"
		     " JOIN customers c ON c.id = f.customer_id WHERE f.state = 'open' AND f.due_at < ?"
		     " AND (CAST(? AS BIGINT) = 0 OR f.assignee_id = ?) ORDER BY f.due_at, f.id LIMIT 5000",
		     DB_ARGS(DBI(in->due_before), DBI(in->assignee), DBI(in->assignee)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = 0;
	while (rc >= 0 && db_step(st) == DB_ROW) {
		int64_t fid = db_col_int(st, 0), cid = db_col_int(st, 1);
		if (db_col_null(st, 2)) {
			json_array_append_new(skipped, json_pack("{s:I, s:I, s:s}", "customer_id",
								 (json_int_t)cid, "followup_id",
								 (json_int_t)fid, "reason", "no_phone"));
			continue;
		}
		int64_t want = db_col_int(st, 4) > now ? db_col_int(st, 4) : now;
		int64_t at = callable_from(hs, db_col_text(st, 3), want);
		int64_t who = in->assignee ? in->assignee : db_col_null(st, 5) ? 0 : db_col_int(st, 5);
		rc = add_item(r->db, list_id, cid, db_col_text(st, 2), "followup", fid, who, at, now);
		*added += rc >= 0;
	}
	db_done(st);
	return rc < 0 ? app_db_fail(r, rc, NULL) : 0;
}

static int add_customers(http_req *r, const struct hotline_settings *hs, const struct call_list_input *in,
			 int64_t list_id, int64_t now, int *added, json_t *skipped)
{
	size_t i;
	json_t *v;
	json_array_foreach(in->ids, i, v)
	{
		int64_t cid = json_integer_value(v);
		db_stmt *st;
		if (db_query(r->db, "SELECT phone, dnd FROM customers WHERE id = ? AND archived_at IS NULL",
			     DB_ARGS(DBI(cid)), &st) < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
		int rc = db_step(st);
		char *phone = rc == DB_ROW && !db_col_null(st, 0) ? strdup(db_col_text(st, 0)) : NULL;
		int64_t at = rc == DB_ROW ? callable_from(hs, db_col_text(st, 1), now) : 0;
		db_done(st);
		if (!phone) {
			json_array_append_new(skipped,
					      json_pack("{s:I, s:s}", "customer_id", (json_int_t)cid, "reason",
							rc == DB_ROW ? "no_phone" : "not_found"));
			continue;
		}
		rc = add_item(r->db, list_id, cid, phone, "manual", 0, in->assignee, at, now);
		free(phone);
		if (rc < 0)
			return app_db_fail(r, rc, NULL);
		(*added)++;
	}
	return 0;
}

int call_lists_create(http_req *r)
{
	struct call_list_input in;
	int64_t now = util_now_ms(), list_id = 0;
	int rc;
	if ((rc = call_list_input_read(r, now, &in)) < 0)
		return rc;
	if (in.from_followups && !hotline_table_exists(r->db, "followups"))
		return http_fail(r, KF_EINVAL, "from_followups", "回访功能尚未启用",
				 "Follow-ups are not available");
	struct hotline_settings hs;
	hotline_settings_load(r->db, &hs);
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	db_stmt *st;
	if (db_query(r->db,
		     "INSERT INTO call_lists (name, purpose, created_by, created_at) VALUES (?, ?, ?, ?)"
		     " RETURNING id",
		     DB_ARGS(DBT(in.name), DBT(in.purpose ? in.purpose : "followup"), DBI(r->user.id),
			     DBI(now)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (db_step(st) == DB_ROW)
		list_id = db_col_int(st, 0);
	db_done(st);
	json_t *skipped = json_array();
	int added = 0;
	rc = in.from_followups ? add_followups(r, &hs, &in, list_id, now, &added, skipped)
			       : add_customers(r, &hs, &in, list_id, now, &added, skipped);
	if (rc < 0 || db_commit(r->db) < 0) {
		json_decref(skipped);
		db_rollback(r->db);
		return rc < 0 ? rc : app_db_fail(r, DB_EFAIL, NULL);
	}
	return http_json(r, 201,
			 json_pack("{s:I, s:s, s:i, s:o}", "id", (json_int_t)list_id, "name", in.name,
				   "items", added, "skipped", skipped));
}

int call_lists_list(http_req *r)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT l.id, l.name, l.purpose, l.created_at,"
		     " SUM(CASE WHEN i.status = 'pending' THEN 1 ELSE 0 END),"
		     " SUM(CASE WHEN i.status = 'done' THEN 1 ELSE 0 END),"
		     " SUM(CASE WHEN i.status = 'skipped' THEN 1 ELSE 0 END)"
		     " FROM call_lists l LEFT JOIN call_list_items i ON i.list_id = l.id"
		     " WHERE ? >= 2 OR l.id IN (SELECT list_id FROM call_list_items WHERE assignee_id = ?)"
		     " GROUP BY l.id, l.name, l.purpose, l.created_at ORDER BY l.id DESC LIMIT 200",
		     DB_ARGS(DBI(r->user.role), DBI(r->user.id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(
			items, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I}", "id",
					 (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1),
					 "purpose", db_col_text(st, 2), "created_at",
					 (json_int_t)db_col_int(st, 3), "pending",
					 (json_int_t)db_col_int(st, 4), "done", (json_int_t)db_col_int(st, 5),
					 "skipped", (json_int_t)db_col_int(st, 6)));
	db_done(st);
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

int call_list_items_list(http_req *r)
{
	int64_t list_id;
	int rc;
	if ((rc = http_param_id(r, 0, &list_id)) < 0)
		return rc;
	const char *status = http_query(r, "status"), *callable = http_query(r, "callable");
	int only_now = callable && !strcmp(callable, "1");
	struct hotline_settings hs;
	hotline_settings_load(r->db, &hs);
	int64_t now = util_now_ms();
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT i.id, i.customer_id, c.name, i.phone, i.status, i.callable_at, i.attempts,"
		     " i.outcome, i.call_id, i.assignee_id, i.note, i.source, i.source_id, c.dnd,"
		     " c.owner_id FROM call_list_items i JOIN customers c ON c.id = i.customer_id"
		     " WHERE i.list_id = ? AND (CAST(? AS TEXT) IS NULL OR i.status = ?)"
		     " AND (? >= 2 OR i.assignee_id = ? OR i.assignee_id IS NULL)"
		     " ORDER BY i.callable_at, i.id LIMIT 1000",
		     DB_ARGS(DBI(list_id), DBT(status && *status ? status : NULL),
			     DBT(status && *status ? status : NULL), DBI(r->user.role), DBI(r->user.id)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW) {
		int64_t next = callable_from(&hs, db_col_text(st, 13), now);
		int callable_now = next == now && !strcmp(db_col_text(st, 4), "pending") &&
				   (db_col_null(st, 5) || db_col_int(st, 5) <= now);
		if (only_now && !callable_now)
			continue;
		char m[MASK_SIZE];
		int masked = r->user.role < ROLE_SUPERVISOR &&
			     (db_col_null(st, 14) || db_col_int(st, 14) != r->user.id) &&
			     !(!db_col_null(st, 9) && db_col_int(st, 9) == r->user.id);
		if (masked)
			mask_phone(db_col_text(st, 3), m, sizeof(m));
		json_array_append_new(
			items,
			json_pack("{s:I, s:{s:I, s:s}, s:s, s:b, s:s, s:o, s:b, s:o, s:I, s:o, s:o, s:o, s:s, s:s, s:o}",
				  "id", (json_int_t)db_col_int(st, 0), "customer", "id",
				  (json_int_t)db_col_int(st, 1), "name", db_col_text(st, 2), "phone",
				  masked ? m : db_col_text(st, 3), "phone_masked", masked, "status",
				  db_col_text(st, 4), "callable_at",
				  db_col_null(st, 5) ? json_null() : json_integer(db_col_int(st, 5)),
				  "callable_now", callable_now, "next_allowed_at",
				  next ? json_integer(next) : json_null(), "attempts",
				  (json_int_t)db_col_int(st, 6), "outcome",
				  db_col_null(st, 7) ? json_null() : json_string(db_col_text(st, 7)),
				  "call_id", db_col_null(st, 8) ? json_null() : json_integer(db_col_int(st, 8)),
				  "assignee_id",
				  db_col_null(st, 9) ? json_null() : json_integer(db_col_int(st, 9)),
				  "note", db_col_text(st, 10), "source", db_col_text(st, 11), "source_id",
				  db_col_null(st, 12) ? json_null() : json_integer(db_col_int(st, 12))));
	}
	db_done(st);
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

int call_list_items_patch(http_req *r)
{
	int64_t id;
	struct call_list_item_input in;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = call_list_item_input_read(r, &in)) < 0)
		return rc;
	rc = db_exec(r->db,
		     "UPDATE call_list_items SET status = COALESCE(?, status), note = COALESCE(?, note),"
		     " assignee_id = CASE WHEN ? = 1 THEN ? ELSE assignee_id END, updated_at = ?"
		     " WHERE id = ? AND (? >= 2 OR assignee_id = ? OR assignee_id IS NULL)",
		     DB_ARGS(DBT(in.status), DBT(in.note), DBI(in.has_assignee),
			     in.assignee ? DBI(in.assignee) : DBNULL,
			     DBI(util_now_ms()), DBI(id), DBI(r->user.role), DBI(r->user.id)));
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc == 0)
		return http_fail(r, KF_ENOTFOUND, "id", "外呼任务不存在", "No such call list item");
	return http_no_content(r);
}
