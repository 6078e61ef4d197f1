/* kb_case.c - GET /api/cases/{id}/suggestions: the standard answers most
 * relevant to what the case is about (its subject, description, demand
 * and the customer's latest messages), for the reply box. */
#include "app/case.h"
#include "app/kb.h"

#include "lib/common.h"

int kb_case_suggestions(http_req *r)
{
	int64_t id, limit;
	int rc;
	struct case_row c;
	if ((rc = http_param_id(r, 0, &id)) < 0 ||
	    (rc = in_query_int(r, "limit", 1, 20, 5, &limit)) < 0 || (rc = case_fetch(r, id, &c)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db, "SELECT subject, description, demand FROM cases WHERE id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	buf text;
	buf_init(&text, 64 << 10);
	if (db_step(st) == DB_ROW)
		buf_printf(&text, "%s\n%s\n%s\n", db_col_text(st, 0), db_col_text(st, 1),
			   db_col_text(st, 2));
	db_done(st);
	/* The customer's own words weigh in, newest first, within bounds. */
	if (db_query(r->db,
		     "SELECT body FROM case_events WHERE case_id = ? AND body <> ''"
		     " AND kind = 'customer'"
		     " ORDER BY id DESC LIMIT 5",
		     DB_ARGS(DBI(id)), &st) == 0) {
		while (db_step(st) == DB_ROW && text.len < 16000)
			buf_printf(&text, "%s\n", db_col_text(st, 0));
		db_done(st);
	}
	buf b;
	buf_init(&b, 4 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "case_id");
	jw_int(&w, id);
	rc = kb_suggest_write(r, &w, text.data ? text.data : "", (int)limit);
	jw_obj_end(&w);
	buf_release(&text);
	if (rc < 0 || jw_failed(&w)) {
		buf_release(&b);
		return rc < 0 ? rc : http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}
