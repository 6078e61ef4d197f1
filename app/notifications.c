/* notifications.c - what the UI tells a user: SLA escalations for
 * supervisors, cases assigned to an agent.  Written in the transaction of
 * the change that causes them; listed newest first for the signed-in user. */
#include "app/case.h"

#include <stdlib.h>
#include <string.h>

#include "lib/common.h"
#include "lib/jw.h"
#include "lib/util.h"

int notify_add(db *d, int64_t user_id, const char *kind, int64_t case_id, const char *title_zh,
	       const char *title_en, json_t *data, int64_t at)
{
	char *s = data ? json_dumps(data, JSON_COMPACT) : NULL;
	int rc = db_exec(d,
			 "INSERT INTO notifications (user_id, kind, case_id, title_zh, title_en, data,"
			 " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			 DB_ARGS(DBI(user_id), DBT(kind), case_id ? DBI(case_id) : DBNULL,
				 DBT(title_zh), DBT(title_en), DBT(s ? s : "{}"), DBI(at)));
	free(s);
	return rc < 0 ? rc : 0;
}

int notify_supervisors(db *d, int64_t department_id, const char *kind, int64_t case_id,
		       const char *title_zh, const char *title_en, json_t *data, int64_t at)
{
	int64_t ids[64];
	int n = 0;
	/* No department: straight to the heads of service. */
	for (int pass = department_id ? 0 : 1; pass < 2 && !n; pass++) {
		db_stmt *st;
		int rc = pass == 0
				 ? db_query(d,
					    "SELECT id FROM users WHERE role = 'supervisor' AND disabled = 0"
					    " AND department_id = ? ORDER BY id LIMIT 64",
					    DB_ARGS(DBI(department_id)), &st)
				 : db_query(d,
					    "SELECT id FROM users WHERE disabled = 0 AND (role = 'admin' OR"
					    " (role = 'supervisor' AND department_id IS NULL)) ORDER BY id LIMIT 64",
					    DB_ARGS(), &st);
		if (rc < 0)
			return rc;
		while (n < 64 && db_step(st) == DB_ROW)
			ids[n++] = db_col_int(st, 0);
		db_done(st);
	}
	for (int i = 0; i < n; i++) {
		int rc = notify_add(d, ids[i], kind, case_id, title_zh, title_en, data, at);
		if (rc < 0)
			return rc;
	}
	return n;
}

int notifications_list(http_req *r)
{
	int64_t limit, before;
	int rc;
	const char *unread = http_query(r, "unread");
	if ((rc = in_query_int(r, "limit", 1, 200, 50, &limit)) < 0 || (rc = in_cursor(r, &before)) < 0)
		return rc;
	if (unread && *unread && strcmp(unread, "0") && strcmp(unread, "1"))
		return http_fail(r, KF_EINVAL, "unread", "参数 unread 只能是 0 或 1",
				 "The parameter unread is 0 or 1");
	int only_unread = unread && !strcmp(unread, "1");
	db_stmt *st;
	if (db_query(r->db,
		     only_unread
			     ? "SELECT n.id, n.kind, n.case_id, c.number, n.title_zh, n.title_en, n.data,"
			       " n.created_at, n.read_at FROM notifications n LEFT JOIN cases c ON c.id = n.case_id"
			       " WHERE n.user_id = ? AND n.read_at IS NULL AND n.id < ? ORDER BY n.id DESC LIMIT ?"
			     : "SELECT n.id, n.kind, n.case_id, c.number, n.title_zh, n.title_en, n.data,"
			       " n.created_at, n.read_at FROM notifications n LEFT JOIN cases c ON c.id = n.case_id"
			       " WHERE n.user_id = ? AND n.id < ? ORDER BY n.id DESC LIMIT ?",
		     DB_ARGS(DBI(r->user.id), DBI(before ? before : INT64_MAX), DBI(limit + 1)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	buf b;
	buf_init(&b, 4 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "items");
	jw_arr(&w);
	int64_t count = 0, last = 0;
	int more = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (count == limit) {
			more = 1;
			break;
		}
		last = db_col_int(st, 0);
		jw_obj(&w);
		jw_key(&w, "id");
		jw_int(&w, last);
		jw_key(&w, "kind");
		jw_str(&w, db_col_text(st, 1));
		jw_key(&w, "case_id");
		if (db_col_null(st, 2))
			jw_null(&w);
		else
			jw_int(&w, db_col_int(st, 2));
		jw_key(&w, "case_number");
		if (db_col_null(st, 3))
			jw_null(&w);
		else
			jw_str(&w, db_col_text(st, 3));
		jw_key(&w, "title");
		jw_str(&w, db_col_text(st, r->lang_en ? 5 : 4));
		jw_key(&w, "title_zh");
		jw_str(&w, db_col_text(st, 4));
		jw_key(&w, "title_en");
		jw_str(&w, db_col_text(st, 5));
		jw_key(&w, "data");
		jw_raw(&w, *db_col_text(st, 6) ? db_col_text(st, 6) : "{}");
		jw_key(&w, "created_at");
		jw_int(&w, db_col_int(st, 7));
		jw_key(&w, "read_at");
		if (db_col_null(st, 8))
			jw_null(&w);
		else
			jw_int(&w, db_col_int(st, 8));
		jw_obj_end(&w);
		count++;
	}
	db_done(st);
	jw_arr_end(&w);
	jw_key(&w, "next_cursor");
	if (more)
		jw_str(&w, out_cursor(r, last));
	else
		jw_null(&w);
	int64_t unread_n = 0;
	db_query_int(r->db,
		     "SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE user_id = ?"
		     " AND read_at IS NULL LIMIT 1000) t",
		     DB_ARGS(DBI(r->user.id)), &unread_n);
	jw_key(&w, "unread");
	jw_int(&w, unread_n);
	jw_obj_end(&w);
	if (rc < 0 || jw_failed(&w)) {
		buf_release(&b);
		return rc < 0 ? app_db_fail(r, rc, NULL) : http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}

int notifications_read(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	int64_t owner;
	rc = db_query_int(r->db, "SELECT user_id FROM notifications WHERE id = ?", DB_ARGS(DBI(id)),
			  &owner);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW || owner != r->user.id)
		return http_fail(r, KF_ENOTFOUND, "id", "通知不存在", "No such notification");
	if (db_exec(r->db,
		    "UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL",
		    DB_ARGS(DBI(util_now_ms()), DBI(id))) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_no_content(r);
}

int notifications_read_all(http_req *r)
{
	int rc = db_exec(r->db,
			 "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
			 DB_ARGS(DBI(util_now_ms()), DBI(r->user.id)));
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	return http_json(r, 200, json_pack("{s:i}", "updated", rc));
}
