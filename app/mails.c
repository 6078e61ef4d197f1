/* mails.c - the e-mail channel's API (mail.h has the channel):
 *
 *   GET  /api/mail/settings              the mailbox and sender (passwords never shown)
 *   PUT  /api/mail/settings              change them (admins)
 *   POST /api/mail/poll                  poll the IMAP mailbox now (admins)
 *   POST /api/mail/inbound               a raw RFC 5322 message as the body (an MTA
 *                                        hook over HTTP; `kefu mail-in` is the pipe)
 *   GET  /api/mail/messages?case_id=&thread_id=   a conversation, oldest first
 *   GET  /api/mail/messages/{id}         one message with its attachments' metadata
 *   GET  /api/mail/attachments/{id}      an attachment's bytes
 *   POST /api/mail/messages/{id}/reply   {text}: reply to the sender, threaded
 *   POST /api/cases/{id}/mail            {text, subject?, to?}: notify the customer by e-mail
 *
 * Messages on a case are visible to whoever sees the case; the others
 * (not yet on a case) to supervisors. */
#include "app/mail.h"
#include "app/case.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "lib/common.h"
#include "lib/util.h"

static const struct {
	const char *key;  /* JSON field */
	int secret;       /* write-only */
	size_t max;
} settings[] = {
	{"imap_url", 0, 500},      {"imap_user", 0, 200},   {"imap_password", 1, 200},
	{"smtp_url", 0, 500},      {"smtp_user", 0, 200},   {"smtp_password", 1, 200},
	{"from_address", 0, 254},  {"from_name", 0, 100},   {"poll_seconds", 0, 6},
	{"actor", 0, 64},
};

int mail_settings_get(http_req *r)
{
	json_t *o = json_object();
	for (size_t i = 0; i < KF_ARRAY_LEN(settings); i++) {
		const char *v = mail_setting(r->db, r->a, arena_printf(r->a, "mail.%s", settings[i].key));
		if (settings[i].secret)
			json_object_set_new(o, arena_printf(r->a, "has_%s", settings[i].key), json_boolean(*v));
		else
			json_object_set_new(o, settings[i].key, json_string(v));
	}
	return http_json(r, 200, o);
}

int mail_settings_read(http_req *r)
{
	if (!r->json)
		return http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	const char *k;
	json_t *v;
	json_object_foreach(r->json, k, v)
	{
		size_t i = 0;
		while (i < KF_ARRAY_LEN(settings) && strcmp(settings[i].key, k))
			i++;
		if (i == KF_ARRAY_LEN(settings))
			return http_fail(r, KF_EINVAL, arena_strdup(r->a, k), "未知字段 %s", "Unknown field %s", k);
		const char *s;
		int rc = in_str(r, r->json, k, settings[i].max, 0, &s, NULL);
		if (rc < 0)
			return rc;
		int64_t n;
		if (!strcmp(k, "poll_seconds") && s && *s && (util_parse_i64(s, &n) < 0 || n < 1 || n > 86400))
			return http_fail(r, KF_EINVAL, "poll_seconds", "轮询间隔为 1 到 86400 秒",
					 "The poll interval is 1 to 86400 seconds");
		if ((!strcmp(k, "imap_url") && s && *s && strncmp(s, "imap://", 7) && strncmp(s, "imaps://", 8)) ||
		    (!strcmp(k, "smtp_url") && s && *s && strncmp(s, "smtp://", 7) && strncmp(s, "smtps://", 8)))
			return http_fail(r, KF_EINVAL, arena_strdup(r->a, k), "地址须以 %s:// 开头",
					 "The URL must start with %s://", k[0] == 'i' ? "imap(s)" : "smtp(s)",
					 k[0] == 'i' ? "imap(s)" : "smtp(s)");
	}
	return 0;
}

int mail_settings_put(http_req *r)
{
	const char *k;
	json_t *v;
	int rc = mail_settings_read(r);
	if (rc < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_object_foreach(r->json, k, v)
	{
		if (db_exec(r->db,
			    "INSERT INTO settings (key, value) VALUES (?, ?)"
			    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			    DB_ARGS(DBT(arena_printf(r->a, "mail.%s", k)),
				    DBT(json_is_string(v) ? json_string_value(v) : ""))) < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
	}
	json_t *ch = json_deep_copy(r->json);
	for (size_t i = 0; i < KF_ARRAY_LEN(settings); i++)
		if (settings[i].secret && json_object_get(ch, settings[i].key))
			json_object_set_new(ch, settings[i].key, json_string("***"));
	rc = audit_write(r->db, "settings", 0, "mail", r->user.id, ch);
	json_decref(ch);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return mail_settings_get(r);
}

int mail_poll_now(http_req *r)
{
	int fetched = 0;
	kf_err e;
	kf_err_clear(&e);
	if (mail_poll(r->db, &fetched, &e) < 0) {
		r->err = e;
		return e.code;
	}
	return http_json(r, 200, json_pack("{s:i}", "fetched", fetched));
}

int mail_inbound(http_req *r)
{
	if (!r->upload || !r->upload_len)
		return http_fail(r, KF_EINVAL, "message", "请求体应为一封邮件（RFC 5322）",
				 "The body must be an e-mail message (RFC 5322)");
	char *raw = malloc(r->upload_len + 1);
	size_t n = fread(raw, 1, r->upload_len, r->upload);
	raw[n] = '\0';
	int64_t mail_id, case_id;
	int dup;
	kf_err e;
	kf_err_clear(&e);
	int rc = mail_receive(r->db, raw, n, &mail_id, &case_id, &dup, &e);
	free(raw);
	if (rc < 0) {
		r->err = e;
		return e.code;
	}
	return http_json(r, dup ? 200 : 201,
			 json_pack("{s:I, s:o, s:b}", "mail_id", (json_int_t)mail_id, "case_id",
				   case_id ? json_integer(case_id) : json_null(), "duplicate", dup));
}

/* 404 unless the user may see the message (its case, or supervisor). */
static int visible(http_req *r, int64_t case_id)
{
	if (!case_id)
		return r->user.role >= ROLE_SUPERVISOR
			       ? 0
			       : http_fail(r, KF_ENOTFOUND, "id", "邮件不存在", "No such message");
	struct case_row c;
	return case_fetch(r, case_id, &c);
}

#define MSG_COLS                                                                                  \
	"id, direction, message_id, in_reply_to, refs, from_addr, from_name, to_addr, subject,"   \
	" text_body, html_body, COALESCE(thread_id, id), case_id, status, attempts, error,"       \
	" created_by, created_at, sent_at"

static json_t *msg_json(db_stmt *st, int full)
{
	json_t *o = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:s, s:I, s:s, s:o, s:I, s:o}", "id",
		(json_int_t)db_col_int(st, 0), "direction", db_col_text(st, 1), "message_id",
		db_col_text(st, 2), "in_reply_to", db_col_text(st, 3), "from", db_col_text(st, 5),
		"from_name", db_col_text(st, 6), "to", db_col_text(st, 7), "subject", db_col_text(st, 8),
		"thread_id", (json_int_t)db_col_int(st, 11), "case_id",
		db_col_null(st, 12) ? json_null() : json_integer(db_col_int(st, 12)), "status",
		db_col_text(st, 13), "attempts", (json_int_t)db_col_int(st, 14), "error",
		db_col_text(st, 15), "created_by",
		db_col_null(st, 16) ? json_null() : json_integer(db_col_int(st, 16)), "created_at",
		(json_int_t)db_col_int(st, 17), "sent_at",
		db_col_null(st, 18) ? json_null() : json_integer(db_col_int(st, 18)));
	json_object_set_new(o, "text", json_string(db_col_text(st, 9)));
	if (full) {
		json_object_set_new(o, "html", json_string(db_col_text(st, 10)));
		json_object_set_new(o, "references", json_string(db_col_text(st, 4)));
	}
	return o;
}

int mail_messages_list(http_req *r)
{
	int64_t case_id, thread, limit;
	int rc;
	if ((rc = in_query_int(r, "case_id", 1, INT64_MAX, 0, &case_id)) < 0 ||
	    (rc = in_query_int(r, "thread_id", 1, INT64_MAX, 0, &thread)) < 0 ||
	    (rc = in_query_int(r, "limit", 1, 200, 100, &limit)) < 0)
		return rc;
	if (!case_id && !thread && r->user.role < ROLE_SUPERVISOR)
		return http_fail(r, KF_EINVAL, "case_id", "请给出 case_id 或 thread_id",
				 "Give case_id or thread_id");
	if (case_id && (rc = visible(r, case_id)) < 0)
		return rc;
	db_stmt *st;
	if (case_id)
		rc = db_query(r->db, "SELECT " MSG_COLS " FROM mail_messages WHERE case_id = ? ORDER BY id LIMIT ?",
			      DB_ARGS(DBI(case_id), DBI(limit)), &st);
	else if (thread)
		rc = db_query(r->db, "SELECT " MSG_COLS " FROM mail_messages WHERE thread_id = ? ORDER BY id LIMIT ?",
			      DB_ARGS(DBI(thread), DBI(limit)), &st);
	else
		rc = db_query(r->db, "SELECT " MSG_COLS " FROM mail_messages ORDER BY id DESC LIMIT ?",
			      DB_ARGS(DBI(limit)), &st);
	if (rc < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int64_t first_case = -1;
	while (db_step(st) == DB_ROW) {
		int64_t c = db_col_null(st, 12) ? 0 : db_col_int(st, 12);
		if (first_case < 0)
			first_case = c;
		json_array_append_new(items, msg_json(st, 0));
	}
	db_done(st);
	if (thread && !case_id && first_case >= 0 && (rc = visible(r, first_case)) < 0) {
		json_decref(items);
		return rc;
	}
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

int mail_messages_get(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db, "SELECT " MSG_COLS " FROM mail_messages WHERE id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *m = NULL;
	int64_t case_id = 0;
	if (db_step(st) == DB_ROW) {
		m = msg_json(st, 1);
		case_id = db_col_null(st, 12) ? 0 : db_col_int(st, 12);
	}
	db_done(st);
	if (!m)
		return http_fail(r, KF_ENOTFOUND, "id", "邮件 %lld 不存在", "Message %lld does not exist", (long long)id);
	if ((rc = visible(r, case_id)) < 0) {
		json_decref(m);
		return rc;
	}
	json_t *atts = json_array();
	if (db_query(r->db, "SELECT id, filename, content_type, size FROM mail_attachments WHERE mail_id = ? ORDER BY id",
		     DB_ARGS(DBI(id)), &st) == 0) {
		while (db_step(st) == DB_ROW)
			json_array_append_new(atts, json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)db_col_int(st, 0),
							      "filename", db_col_text(st, 1), "content_type",
							      db_col_text(st, 2), "size", (json_int_t)db_col_int(st, 3)));
		db_done(st);
	}
	json_object_set_new(m, "attachments", atts);
	return http_json(r, 200, m);
}

int mail_attachments_get(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT a.filename, a.content_type, a.data, COALESCE(m.case_id, 0) FROM mail_attachments a"
		     " JOIN mail_messages m ON m.id = a.mail_id WHERE a.id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return http_fail(r, KF_ENOTFOUND, "id", "附件不存在", "No such attachment");
	}
	const char *fname = arena_strdup(r->a, db_col_text(st, 0));
	const char *type = arena_strdup(r->a, db_col_text(st, 1));
	const char *b64 = arena_strdup(r->a, db_col_text(st, 2));
	int64_t case_id = db_col_int(st, 3);
	db_done(st);
	if ((rc = visible(r, case_id)) < 0)
		return rc;
	size_t cap = strlen(b64), len = 0;
	unsigned char *bin = malloc(cap + 1);
	if (sodium_base642bin(bin, cap, b64, strlen(b64), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) < 0) {
		free(bin);
		return http_fail(r, KF_EINTERNAL, NULL, "附件数据损坏", "The attachment is damaged");
	}
	/* Sent as a download, never rendered: the bytes came from outside. */
	buf enc;
	buf_init(&enc, 4096);
	for (const unsigned char *p = (const unsigned char *)fname; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			buf_putc(&enc, (char)*p);
		else
			buf_printf(&enc, "%%%02X", *p);
	http_add_header(r, "Content-Disposition",
			arena_printf(r->a, "attachment; filename*=UTF-8''%s", enc.data ? enc.data : "file"));
	buf_release(&enc);
	rc = http_text(r, 200, "application/octet-stream", (const char *)bin, len);
	KF_UNUSED(type);
	free(bin);
	return rc;
}

int mail_messages_reply(http_req *r)
{
	int64_t id, case_id = 0, out_id = 0;
	int rc;
	const char *text;
	static const char *const keys[] = {"text", NULL};
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "text", "缺少必填字段 text", "The field text is required");
	if ((rc = in_only_keys(r, r->json, keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "text", 10000, 1, &text, NULL)) < 0)
		return rc;
	rc = db_query_int(r->db, "SELECT COALESCE(case_id, 0) FROM mail_messages WHERE id = ?", DB_ARGS(DBI(id)),
			  &case_id);
	if (rc != DB_ROW)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "邮件 %lld 不存在", "Message %lld does not exist",
					  (long long)id);
	if ((rc = visible(r, case_id)) < 0)
		return rc;
	kf_err e;
	kf_err_clear(&e);
	if (mail_queue_reply(r->db, &r->user, id, text, &out_id, &e) < 0) {
		r->err = e;
		return e.code;
	}
	db_stmt *st;
	if (db_query(r->db, "SELECT " MSG_COLS " FROM mail_messages WHERE id = ?", DB_ARGS(DBI(out_id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *m = db_step(st) == DB_ROW ? msg_json(st, 1) : NULL;
	db_done(st);
	return m ? http_json(r, 202, m) : app_db_fail(r, DB_EFAIL, NULL);
}

int mail_case_notify(http_req *r)
{
	int64_t id, out_id = 0;
	int rc;
	const char *text, *subject, *to;
	static const char *const keys[] = {"text", "subject", "to", NULL};
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "text", "缺少必填字段 text", "The field text is required");
	if ((rc = in_only_keys(r, r->json, keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "text", 10000, 1, &text, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "subject", 200, 0, &subject, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "to", 254, 0, &to, NULL)) < 0)
		return rc;
	if (to && *to && !valid_email(to))
		return http_fail(r, KF_EINVAL, "to", "电子邮箱格式不正确", "Invalid e-mail address");
	if ((rc = visible(r, id)) < 0)
		return rc;
	kf_err e;
	kf_err_clear(&e);
	if (mail_queue_notice(r->db, &r->user, id, to, subject, text, &out_id, &e) < 0) {
		r->err = e;
		return e.code;
	}
	db_stmt *st;
	if (db_query(r->db, "SELECT " MSG_COLS " FROM mail_messages WHERE id = ?", DB_ARGS(DBI(out_id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *m = db_step(st) == DB_ROW ? msg_json(st, 1) : NULL;
	db_done(st);
	return m ? http_json(r, 202, m) : app_db_fail(r, DB_EFAIL, NULL);
}
