/* segment_customer.c - one customer's segment, as the customer page shows
 * it: tier and its history, RFM, the lifecycle the rules suggest (and
 * whether a person overrode it), the key-account suggestion; and handing
 * an overridden lifecycle back to the recompute. */
#include "app/segment.h"

#include <string.h>

#include "lib/common.h"
#include "lib/util.h"

enum { HISTORY_MAX = 50 };

static json_t *opt_int(db_stmt *st, int i)
{
	return db_col_null(st, i) ? json_null() : json_integer(db_col_int(st, i));
}

static json_t *history(http_req *r, int64_t id)
{
	db_stmt *st;
	json_t *a = json_array();
	if (db_query(r->db,
		     "SELECT from_tier, to_tier, changed_at FROM tier_history WHERE customer_id = ?"
		     " ORDER BY changed_at DESC, id DESC LIMIT ?",
		     DB_ARGS(DBI(id), DBI(HISTORY_MAX)), &st) < 0)
		return a;
	while (db_step(st) == DB_ROW)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:i}", "from_tier",
						   db_col_text(st, 0), "to_tier", db_col_text(st, 1),
						   "changed_at", (json_int_t)db_col_int(st, 2),
						   "direction",
						   seg_tier_direction(seg_tier_parse(db_col_text(st, 0)),
								      seg_tier_parse(db_col_text(st, 1)))));
	db_done(st);
	return a;
}

/* Fields of the segment row; zeros and nulls when never computed. */
static void segment_fields(json_t *o, db_stmt *st, int has)
{
	json_object_set_new(o, "computed", json_boolean(has));
	json_object_set_new(o, "revenue_fen", json_integer(has ? db_col_int(st, 4) : 0));
	json_object_set_new(o, "margin_fen", json_integer(has ? db_col_int(st, 5) : 0));
	json_object_set_new(o, "orders_window", json_integer(has ? db_col_int(st, 6) : 0));
	json_object_set_new(o, "orders_total", json_integer(has ? db_col_int(st, 7) : 0));
	json_object_set_new(o, "first_order_at", has ? opt_int(st, 8) : json_null());
	json_object_set_new(o, "last_order_at", has ? opt_int(st, 9) : json_null());
	json_object_set_new(o, "rfm",
			    json_pack("{s:I, s:I, s:I}", "r", (json_int_t)(has ? db_col_int(st, 10) : 0),
				      "f", (json_int_t)(has ? db_col_int(st, 11) : 0), "m",
				      (json_int_t)(has ? db_col_int(st, 12) : 0)));
	json_object_set_new(o, "lifecycle_suggested",
			    has ? json_string(db_col_text(st, 13)) : json_null());
	json_object_set_new(
		o, "key",
		json_pack("{s:b, s:o, s:o}", "suggested", has && db_col_int(st, 15), "decision",
			  has && !db_col_null(st, 16) ? json_string(db_col_text(st, 16)) : json_null(),
			  "decided_at", has ? opt_int(st, 17) : json_null()));
}

/* The customer's place in the Pareto ranking of the window, in the order of
 * GET /api/reports/pareto/customers (revenue, then the newer id first):
 * the nearest mark above them that the last recompute left (every 1000th
 * place, segment_rank_marks), plus a count of the buyers between that mark
 * and them on the ranking's index: under a thousand rows at any depth.
 * Out of the ranking (no order in the window, or archived): null.
 * Archived customers keep their last segment row, hence the join. */
static json_t *pareto_rank(http_req *r, int64_t id, int64_t revenue)
{
	int64_t place = 0, mrev = INT64_MAX, mid = INT64_MAX, between, at, buyers;
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT place, revenue_fen, customer_id FROM segment_rank_marks"
		     " WHERE (revenue_fen, customer_id) > (?, ?) ORDER BY place DESC LIMIT 1",
		     DB_ARGS(DBI(revenue), DBI(id)), &st) < 0)
		return json_null();
	int rc = db_step(st);
	if (rc == DB_ROW) {
		place = db_col_int(st, 0);
		mrev = db_col_int(st, 1);
		mid = db_col_int(st, 2);
	}
	db_done(st);
	if (rc < 0 ||
	    db_query_int(r->db,
			 "SELECT COUNT(*) FROM customer_segments s JOIN customers c ON c.id = s.customer_id"
			 " WHERE c.archived_at IS NULL AND s.orders_window > 0"
			 " AND (s.revenue_fen, s.customer_id) > (?, ?)"
			 " AND (s.revenue_fen, s.customer_id) < (?, ?)",
			 DB_ARGS(DBI(revenue), DBI(id), DBI(mrev), DBI(mid)), &between) < 0)
		return json_null();
	int64_t above = place + between;
	/* the buyers the last recompute ranked: counting them would scan them all */
	json_t *sum = segment_last_summary(r->db, &at);
	json_t *curve = json_object_get(sum, "pareto_revenue");
	buyers = json_integer_value(json_object_get(curve, "customers"));
	json_decref(sum);
	if (buyers <= above)
		buyers = above + 1;
	return json_pack("{s:I, s:I, s:f}", "rank", (json_int_t)(above + 1), "buyers",
			 (json_int_t)buyers, "share", (double)(above + 1) / (double)buyers);
}

int segment_customer_get(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	struct seg_settings s;
	if (segment_settings_load(r->db, &s) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT c.tier, c.lifecycle, c.value_class, s.customer_id, s.revenue_fen,"
		     " s.margin_fen, s.orders_window, s.orders_total, s.first_order_at,"
		     " s.last_order_at, s.r, s.f, s.m, s.lifecycle_suggested, s.auto_lifecycle,"
		     " s.key_suggested, s.key_decision, s.key_decided_at, c.archived_at"
		     " FROM customers c LEFT JOIN customer_segments s ON s.customer_id = c.id"
		     " WHERE c.id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = db_step(st)) != DB_ROW) {
		db_done(st);
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "客户 %lld 不存在",
					  "Customer %lld does not exist", (long long)id);
	}
	int has = !db_col_null(st, 3);
	/* manual: a person set the lifecycle since the recompute last wrote it */
	int manual = has && !db_col_null(st, 14) && strcmp(db_col_text(st, 14), db_col_text(st, 1));
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:i}", "customer_id", (json_int_t)id,
			      "tier", db_col_text(st, 0), "lifecycle", db_col_text(st, 1),
			      "value_class", db_col_text(st, 2), "lifecycle_manual", manual,
			      "lifecycle_auto", s.lifecycle_auto, "window_months", s.window_months);
	segment_fields(o, st, has);
	int ranked = has && db_col_int(st, 6) > 0 && db_col_null(st, 18);
	int64_t revenue = has ? db_col_int(st, 4) : 0;
	db_done(st);
	json_object_set_new(o, "pareto", ranked ? pareto_rank(r, id, revenue) : json_null());
	int64_t last = segment_last_run_at(r->db);
	json_object_set_new(o, "computed_at", last ? json_integer(last) : json_null());
	json_object_set_new(o, "history", history(r, id));
	return http_json(r, 200, o);
}

int segment_customer_lifecycle_auto(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT c.lifecycle, s.lifecycle_suggested FROM customers c"
		     " LEFT JOIN customer_segments s ON s.customer_id = c.id WHERE c.id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_step(st);
	const char *cur = rc == DB_ROW ? arena_strdup(r->a, db_col_text(st, 0)) : NULL;
	const char *want = rc == DB_ROW && !db_col_null(st, 1) ? arena_strdup(r->a, db_col_text(st, 1))
								 : NULL;
	db_done(st);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (!cur || !want) {
		db_rollback(r->db);
		return !cur ? http_fail(r, KF_ENOTFOUND, "id", "客户 %lld 不存在",
					"Customer %lld does not exist", (long long)id)
			    : http_fail(r, KF_ECONFLICT, "id", "客户 %lld 尚未计算分层，请先重新计算",
					"Customer %lld has not been segmented yet; run a recompute first",
					(long long)id);
	}
	rc = db_exec(r->db, "UPDATE customer_segments SET auto_lifecycle = ? WHERE customer_id = ?",
		     DB_ARGS(DBT(want), DBI(id)));
	if (rc >= 0 && strcmp(cur, want)) {
		rc = db_exec(r->db,
			     "UPDATE customers SET lifecycle = ?, version = version + 1, updated_at = ?"
			     " WHERE id = ?",
			     DB_ARGS(DBT(want), DBI(util_now_ms()), DBI(id)));
		json_t *ch = json_pack("{s:[ss]}", "lifecycle", cur, want);
		if (rc >= 0)
			rc = audit_write(r->db, "customer", id, "lifecycle_auto", r->user.id, ch);
		json_decref(ch);
	}
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return segment_customer_get(r);
}
