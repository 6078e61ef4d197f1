/* search_cases.c - cases in search results: only the cases the user may
 * see are candidates (case_visible_sql), and a result shows the case's
 * number, subject, state and customer. */
#include "app/case.h"
#include "app/search.h"

#include <string.h>

#include "lib/common.h"

static int case_scope(http_req *r, struct search_query *q, db_val *args)
{
	int n = 0;
	const char *cond = case_visible_sql(r, args, &n);
	if (!strcmp(cond, "1 = 1"))
		return 0;
	q->join_table = "cases";
	q->join_alias = "c";
	q->where = cond;
	q->args = args;
	q->nargs = n;
	return 0;
}

static int case_fields(http_req *r, jw *w, int64_t id)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT c.number, c.subject, c.type, c.state, c.is_open, c.priority, c.emotion,"
		     " c.customer_id, cu.name, c.assignee_id, u.display_name, c.received_at,"
		     " c.updated_at FROM cases c JOIN customers cu ON cu.id = c.customer_id"
		     " LEFT JOIN users u ON u.id = c.assignee_id WHERE c.id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return DB_EFAIL;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		static const char *const text[] = {"number", "subject", "case_type", "state"};
		for (int i = 0; i < 4; i++) {
			jw_key(w, text[i]);
			jw_str(w, db_col_text(st, i));
		}
		jw_key(w, "is_open");
		jw_bool(w, db_col_int(st, 4) != 0);
		jw_key(w, "priority");
		jw_str(w, db_col_text(st, 5));
		jw_key(w, "emotion");
		jw_str(w, db_col_text(st, 6));
		jw_key(w, "customer");
		jw_obj(w);
		jw_key(w, "id");
		jw_int(w, db_col_int(st, 7));
		jw_key(w, "name");
		jw_str(w, db_col_text(st, 8));
		jw_obj_end(w);
		jw_key(w, "assignee");
		if (db_col_null(st, 9)) {
			jw_null(w);
		} else {
			jw_obj(w);
			jw_key(w, "id");
			jw_int(w, db_col_int(st, 9));
			jw_key(w, "display_name");
			jw_str(w, db_col_text(st, 10));
			jw_obj_end(w);
		}
		jw_key(w, "received_at");
		jw_int(w, db_col_int(st, 11));
		jw_key(w, "updated_at");
		jw_int(w, db_col_int(st, 12));
		rc = 0;
	}
	db_done(st);
	return rc;
}

const struct search_kind_ops search_case_ops = {case_scope, case_fields};
