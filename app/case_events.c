/* case_events.c - a case's timeline: GET lists it (oldest first, keyset
 * pages), POST adds a reply to the customer (public; the first one is the
 * first response), an internal note, or a message from the customer
 * (public; it resumes the SLA clock of a case waiting on the customer,
 * DOMAIN §7).  Every event names its actor (null: the system). */
#include "app/case.h"

#include <string.h>

#include "lib/common.h"
#include "lib/jw.h"
#include "lib/util.h"

static void event_row(jw *w, db_stmt *st)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, 0));
	jw_key(w, "kind");
	jw_str(w, db_col_text(st, 1));
	jw_key(w, "actor");
	if (db_col_null(st, 2)) {
		jw_null(w);
	} else {
		jw_obj(w);
		jw_key(w, "id");
		jw_int(w, db_col_int(st, 2));
		jw_key(w, "display_name");
		jw_str(w, db_col_text(st, 3));
		jw_obj_end(w);
	}
	jw_key(w, "public");
	jw_bool(w, (int)db_col_int(st, 4));
	jw_key(w, "body");
	jw_str(w, db_col_text(st, 5));
	jw_key(w, "data"); /* written by us as JSON */
	jw_raw(w, *db_col_text(st, 6) ? db_col_text(st, 6) : "{}");
	jw_key(w, "at");
	jw_int(w, db_col_int(st, 7));
	jw_obj_end(w);
}

#define EVENT_SELECT                                                                               \
	"SELECT e.id, e.kind, e.actor_id, u.display_name, e.is_public, e.body, e.data, e.at"      \
	" FROM case_events e LEFT JOIN users u ON u.id = e.actor_id"

int case_events_list(http_req *r)
{
	int64_t id, limit, after;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 ||
	    (rc = in_query_int(r, "limit", 1, 500, 200, &limit)) < 0 || (rc = in_cursor(r, &after)) < 0)
		return rc;
	struct case_row c;
	if ((rc = case_fetch(r, id, &c)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db, EVENT_SELECT " WHERE e.case_id = ? AND e.id > ? ORDER BY e.id LIMIT ?",
		     DB_ARGS(DBI(id), DBI(after), DBI(limit + 1)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	buf b;
	buf_init(&b, 16 << 20);
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
		event_row(&w, st);
		count++;
	}
	db_done(st);
	jw_arr_end(&w);
	jw_key(&w, "next_cursor");
	if (more)
		jw_str(&w, out_cursor(r, last));
	else
		jw_null(&w);
	jw_obj_end(&w);
	if (rc < 0 || jw_failed(&w)) {
		buf_release(&b);
		return rc < 0 ? app_db_fail(r, rc, NULL) : http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}

static const char *const event_keys[] = {"kind", "body", "version", NULL};
static const char *const kinds[] = {"reply", "note", "customer", NULL};

static int add_in_tx(http_req *r, struct case_row *c, const char *kind, const char *body,
		     int64_t now, int64_t *event_id)
{
	int rc;
	int is_public = strcmp(kind, "note") != 0;
	/* The customer answered: the clock goes on (a step of the workflow). */
	if (!strcmp(kind, "customer") && c->paused_at) {
		json_t *in = json_object();
		struct case_step_fields f;
		unsigned given;
		rc = case_step_fields_read(r, in, &f, &given, now);
		if (rc == 0)
			rc = case_act(r, c, CASE_A_CUSTOMER_REPLIED, in, &f, given, now);
		json_decref(in);
		if (rc < 0)
			return rc;
	}
	struct case_upd u;
	case_upd_init(&u);
	if (!strcmp(kind, "reply") && !c->first_response_at) {
		c->first_response_at = now;
		case_upd_time(&u, "first_response_at", now);
	}
	case_upd_derived(&u, c);
	rc = case_upd_exec(r->db, &u, c, now);
	rc = rc < 0 ? app_db_fail(r, rc, NULL) : rc == 0 ? case_stale(r, c) : 0;
	case_upd_release(&u);
	if (rc < 0)
		return rc;
	c->version++;
	json_t *audit = json_pack("{s:s, s:b}", "kind", kind, "public", is_public);
	if (case_event_add_id(r->db, c->id, kind, r->user.id, is_public, body, NULL, now, event_id) < 0 ||
	    audit_write(r->db, "case", c->id, kind, r->user.id, audit) < 0)
		rc = app_db_fail(r, DB_EFAIL, NULL);
	json_decref(audit);
	return rc;
}

int case_events_create(http_req *r)
{
	int64_t id, version, event_id = 0;
	int rc, has_version;
	const char *kind, *body;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "body", "缺少必填字段 body", "The field body is required");
	if ((rc = in_only_keys(r, r->json, event_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "kind", 16, 1, &kind, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "body", 10000, 1, &body, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "version", 1, INT64_MAX, 0, &version, &has_version)) < 0)
		return rc;
	int known = 0;
	for (const char *const *k = kinds; *k; k++)
		known |= !strcmp(*k, kind);
	if (!known)
		return http_fail(r, KF_EINVAL, "kind",
				 "kind 应为 reply（回复客户）、note（内部备注）或 customer（客户来言）",
				 "kind is reply (to the customer), note (internal) or customer (from the customer)");
	int64_t now = util_now_ms();
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	struct case_row c;
	if ((rc = case_fetch(r, id, &c)) < 0)
		goto fail;
	if (has_version && version != c.version) {
		rc = case_stale(r, &c);
		goto fail;
	}
	if ((rc = add_in_tx(r, &c, kind, body, now, &event_id)) < 0)
		goto fail;
	if (db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	db_stmt *st;
	if (db_query(r->db, EVENT_SELECT " WHERE e.id = ?", DB_ARGS(DBI(event_id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	buf b;
	buf_init(&b, 1 << 20);
	jw w;
	jw_init(&w, &b);
	rc = db_step(st);
	if (rc == DB_ROW)
		event_row(&w, st);
	db_done(st);
	if (rc != DB_ROW) {
		buf_release(&b);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	return http_json_buf(r, 201, &b);
fail:
	db_rollback(r->db);
	return rc;
}
