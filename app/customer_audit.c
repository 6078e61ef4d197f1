/* customer_audit.c - a customer's change history, newest first. */
#include "app/customer.h"

#include "lib/common.h"

int customer_audit_list(http_req *r)
{
	int64_t cid, limit, after;
	int rc;
	if ((rc = http_param_id(r, 0, &cid)) < 0 ||
	    (rc = in_query_int(r, "limit", 1, 200, 50, &limit)) < 0 || (rc = in_cursor(r, &after)) < 0)
		return rc;
	rc = customer_exists(r, cid);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (!rc)
		return http_fail(r, KF_ENOTFOUND, "id", "客户 %lld 不存在", "Customer %lld does not exist",
				 (long long)cid);
	int masked = r->user.role < ROLE_SUPERVISOR;
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT a.id, a.action, a.actor_id, u.display_name, a.changes, a.at"
		     " FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
		     " WHERE a.entity = 'customer' AND a.entity_id = ? AND a.id < ?"
		     " ORDER BY a.id DESC LIMIT ?",
		     DB_ARGS(DBI(cid), DBI(after ? after : INT64_MAX), DBI(limit + 1)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int64_t last = 0, n = 0;
	int more = 0;
	while (db_step(st) == DB_ROW) {
		if (n == limit) {
			more = 1;
			break;
		}
		last = db_col_int(st, 0);
		json_t *changes = json_loads(db_col_text(st, 4), 0, NULL);
		if (!changes)
			changes = json_object();
		/* Old and new phone numbers are personal data too. */
		if (masked && json_object_get(changes, "phone"))
			json_object_set_new(changes, "phone", json_string("(masked)"));
		if (masked && json_object_get(changes, "contacts"))
			json_object_set_new(changes, "contacts", json_string("(masked)"));
		json_array_append_new(
			items,
			json_pack("{s:I, s:s, s:o, s:o, s:I}", "id", (json_int_t)last, "action",
				  db_col_text(st, 1), "actor",
				  db_col_null(st, 2)
					  ? json_null()
					  : json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, 2),
						      "display_name", db_col_text(st, 3)),
				  "changes", changes, "at", (json_int_t)db_col_int(st, 5)));
		n++;
	}
	db_done(st);
	return http_json(r, 200,
			 json_pack("{s:o, s:o}", "items", items, "next_cursor",
				   more ? json_string(out_cursor(r, last)) : json_null()));
}
