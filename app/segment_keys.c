/* segment_keys.c - key-account suggestions (关键客户建议): the recompute's
 * rules suggest, a supervisor decides.  Confirming sets the customer's
 * value_class to 'key' (the only way the suggestion touches the file) with
 * an audit entry; rejecting is remembered so the customer is not proposed
 * again (a supervisor can still confirm from the rejected list).
 *
 * Lists are ordered by revenue in the window, best first (ties: newer
 * customer first, the order of the index read backwards), with a keyset
 * cursor on (revenue, id). */
#include "app/segment.h"

#include <stdio.h>
#include <string.h>

#include "app/case.h"
#include "lib/common.h"
#include "lib/util.h"

#define ITEM_COLS                                                                                 \
	"c.id, c.name, c.company, c.tier, c.value_class, c.owner_id, u.display_name,"             \
	" s.revenue_fen, s.orders_total, s.first_order_at, s.last_order_at, s.r, s.f, s.m,"        \
	" s.key_suggested, s.key_decision, s.key_decided_at, s.key_decided_by, d.display_name,"   \
	" s.key_note"
#define ITEM_FROM                                                                                 \
	" FROM customer_segments s JOIN customers c ON c.id = s.customer_id"                      \
	" LEFT JOIN users u ON u.id = c.owner_id LEFT JOIN users d ON d.id = s.key_decided_by"

static json_t *user_ref(db_stmt *st, int id_col, int name_col)
{
	if (db_col_null(st, id_col))
		return json_null();
	return json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, id_col), "display_name",
			 db_col_text(st, name_col));
}

static json_t *opt_int(db_stmt *st, int i)
{
	return db_col_null(st, i) ? json_null() : json_integer(db_col_int(st, i));
}

static json_t *item_row(db_stmt *st)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:o, s:o}", "customer_id",
			      (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "company",
			      db_col_text(st, 2), "tier", db_col_text(st, 3), "value_class",
			      db_col_text(st, 4), "owner", user_ref(st, 5, 6), "revenue_fen",
			      (json_int_t)db_col_int(st, 7), "orders_total",
			      (json_int_t)db_col_int(st, 8), "first_order_at", opt_int(st, 9),
			      "last_order_at", opt_int(st, 10));
	json_object_set_new(o, "rfm",
			    json_pack("{s:I, s:I, s:I}", "r", (json_int_t)db_col_int(st, 11), "f",
				      (json_int_t)db_col_int(st, 12), "m", (json_int_t)db_col_int(st, 13)));
	json_object_set_new(o, "suggested", json_boolean(db_col_int(st, 14)));
	json_object_set_new(o, "decision",
			    db_col_null(st, 15) ? json_null() : json_string(db_col_text(st, 15)));
	json_object_set_new(o, "decided_at", opt_int(st, 16));
	json_object_set_new(o, "decided_by", user_ref(st, 17, 18));
	json_object_set_new(o, "note", json_string(db_col_text(st, 19)));
	return o;
}

static const char *status_where(const char *status)
{
	if (!status || !*status || !strcmp(status, "pending"))
		/* a confirmed customer set back to ordinary by hand is proposed again */
		return "s.key_suggested = 1 AND c.value_class <> 'key'"
		       " AND (s.key_decision IS NULL OR s.key_decision = 'confirmed')";
	if (!strcmp(status, "rejected"))
		return "s.key_decision = 'rejected'";
	if (!strcmp(status, "confirmed"))
		return "s.key_decision = 'confirmed'";
	return NULL;
}

static int key_cursor(http_req *r, int64_t *rev, int64_t *id)
{
	const char *s = http_query(r, "cursor");
	long long a, b;
	char tail;
	*rev = INT64_MAX;
	*id = INT64_MAX;
	if (!s || !*s)
		return 0;
	if (strlen(s) > 48 || sscanf(s, "k%lld.%lld%c", &a, &b, &tail) != 2 || b <= 0)
		return http_fail(r, KF_EINVAL, "cursor", "分页游标无效", "Invalid pagination cursor");
	*rev = a;
	*id = b;
	return 0;
}

int segment_keys_list(http_req *r)
{
	int64_t limit, rev, after;
	int rc;
	const char *status = http_query(r, "status");
	const char *where = status_where(status);
	if (!where)
		return http_fail(r, KF_EINVAL, "status", "status 只能是 pending、rejected 或 confirmed",
				 "status must be pending, rejected or confirmed");
	if ((rc = in_query_int(r, "limit", 1, 200, 50, &limit)) < 0 ||
	    (rc = key_cursor(r, &rev, &after)) < 0)
		return rc;
	const char *sql = arena_printf(
		r->a,
		"SELECT " ITEM_COLS ITEM_FROM " WHERE %s AND c.archived_at IS NULL"
		" AND (s.revenue_fen < ? OR (s.revenue_fen = ? AND s.customer_id < ?))"
		" ORDER BY s.revenue_fen DESC, s.customer_id DESC LIMIT ?",
		where);
	db_stmt *st;
	if (db_query(r->db, sql, DB_ARGS(DBI(rev), DBI(rev), DBI(after), DBI(limit + 1)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int64_t n = 0, last_rev = 0, last_id = 0;
	int more = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == limit) {
			more = 1;
			break;
		}
		last_id = db_col_int(st, 0);
		last_rev = db_col_int(st, 7);
		json_array_append_new(items, item_row(st));
		n++;
	}
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200,
			 json_pack("{s:o, s:o}", "items", items, "next_cursor",
				   more ? json_string(arena_printf(r->a, "k%lld.%lld", (long long)last_rev,
								   (long long)last_id))
					: json_null()));
}

static int respond_item(http_req *r, int64_t id)
{
	db_stmt *st;
	if (db_query(r->db, "SELECT " ITEM_COLS ITEM_FROM " WHERE c.id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *o = db_step(st) == DB_ROW ? item_row(st) : NULL;
	db_done(st);
	return o ? http_json(r, 200, o) : app_db_fail(r, DB_EFAIL, NULL);
}

/* Reads the optional {"note": "..."} of a decision. */
static int read_note(http_req *r, const char **note)
{
	static const char *const allowed[] = {"note", NULL};
	int rc;
	*note = "";
	if (!r->json)
		return 0;
	if ((rc = in_only_keys(r, r->json, allowed, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "note", 500, 0, note, NULL)) < 0)
		return rc;
	if (!*note)
		*note = "";
	return 0;
}

/* Loads what a decision needs; fails 404 / 409 naming why. */
static int decision_target(http_req *r, int64_t id, const char **value_class)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT c.value_class, c.archived_at, s.customer_id, s.key_suggested,"
		     " s.key_decision FROM customers c"
		     " LEFT JOIN customer_segments s ON s.customer_id = c.id WHERE c.id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "客户 %lld 不存在",
					  "Customer %lld does not exist", (long long)id);
	}
	*value_class = arena_strdup(r->a, db_col_text(st, 0));
	int archived = !db_col_null(st, 1);
	int offered = !db_col_null(st, 2) &&
		      (db_col_int(st, 3) || !strcmp(db_col_text(st, 4), "rejected"));
	db_done(st);
	if (archived)
		return http_fail(r, KF_ECONFLICT, "id", "客户 %lld 已归档", "Customer %lld is archived",
				 (long long)id);
	if (!strcmp(*value_class, "key"))
		return http_fail(r, KF_ECONFLICT, "id", "客户 %lld 已是关键客户",
				 "Customer %lld is already a key account", (long long)id);
	if (!offered)
		return http_fail(r, KF_ECONFLICT, "id", "客户 %lld 不在关键客户建议中",
				 "Customer %lld is not suggested as a key account", (long long)id);
	return 0;
}

static int decide(http_req *r, int confirm)
{
	int64_t id;
	const char *note, *vc = "";
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = read_note(r, &note)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = decision_target(r, id, &vc)) < 0) {
		db_rollback(r->db);
		return rc;
	}
	int64_t now = util_now_ms();
	json_t *ch;
	if (confirm) {
		rc = db_exec(r->db,
			     "UPDATE customers SET value_class = 'key', version = version + 1,"
			     " updated_at = ? WHERE id = ?",
			     DB_ARGS(DBI(now), DBI(id)));
		if (rc >= 0 && strcmp(vc, "key"))
			rc = case_customer_key_changed(r->db, r->a, id, 1, r->user.id, now);
		ch = json_pack("{s:[ss], s:s}", "value_class", vc, "key", "note", note);
	} else {
		ch = json_pack("{s:[ns], s:s}", "key_decision", "rejected", "note", note);
	}
	if (rc >= 0)
		rc = db_exec(r->db,
			     "UPDATE customer_segments SET key_decision = ?, key_decided_by = ?,"
			     " key_decided_at = ?, key_note = ? WHERE customer_id = ?",
			     DB_ARGS(DBT(confirm ? "confirmed" : "rejected"), DBI(r->user.id), DBI(now),
				     DBT(note), DBI(id)));
	if (rc >= 0)
		rc = audit_write(r->db, "customer", id, confirm ? "key_confirm" : "key_reject",
				 r->user.id, ch);
	json_decref(ch);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return respond_item(r, id);
}

int segment_keys_confirm(http_req *r)
{
	return decide(r, 1);
}

int segment_keys_reject(http_req *r)
{
	return decide(r, 0);
}
