/* mail_in.c - a received message becomes a mail_messages row and, through
 * the cases module, a case or a customer's message on one.
 *
 * Threading, in order: the ids in In-Reply-To and References (a message
 * we sent or received), then a case number in the subject ("[C250530-0042]"
 * as our replies carry it, or typed by the customer).  Otherwise the
 * message opens a new case (type inquiry, channel email) for the customer
 * with that e-mail address, created if there is none.
 *
 * The cases module's use cases take a request: they are called through a
 * thin adapter (a request-shaped struct with this job's arena, connection
 * and the acting user), so a case opened by e-mail follows exactly the
 * rules of one opened in the UI (numbering, SLA, assignment, audit).  The
 * acting user is the setting mail.actor (a user name), else the first
 * active administrator.  Each use case commits on its own; the message row
 * is written first, so a crash in between leaves the message stored but
 * unlinked rather than a case without its message. */
#include "app/mail.h"
#include "app/case.h"
#include "app/webhook.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_rules.h"
#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

int cases_create(http_req *r);
int case_events_create(http_req *r);
int customers_create(http_req *r);

const char *mail_setting(db *d, arena *a, const char *key)
{
	db_stmt *st;
	const char *v = "";
	if (db_query(d, "SELECT value FROM settings WHERE key = ?", DB_ARGS(DBT(key)), &st) < 0)
		return v;
	if (db_step(st) == DB_ROW)
		v = arena_strdup(a, db_col_text(st, 0));
	db_done(st);
	return v;
}

/* The user the channel acts as. */
static int actor(db *d, arena *a, struct auth_user *u, kf_err *e)
{
	const char *name = mail_setting(d, a, "mail.actor");
	db_stmt *st;
	int rc = *name ? db_query(d,
				  "SELECT id, username, display_name, role, department_id FROM users"
				  " WHERE username = ? AND disabled = 0",
				  DB_ARGS(DBT(name)), &st)
		       : db_query(d,
				  "SELECT id, username, display_name, role, department_id FROM users"
				  " WHERE role = 'admin' AND disabled = 0 ORDER BY id LIMIT 1",
				  DB_ARGS(), &st);
	if (rc < 0)
		return kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
	memset(u, 0, sizeof(*u));
	if ((rc = db_step(st)) == DB_ROW) {
		u->id = db_col_int(st, 0);
		u->username = arena_strdup(a, db_col_text(st, 1));
		u->display_name = arena_strdup(a, db_col_text(st, 2));
		u->role = role_parse(db_col_text(st, 3));
		u->department_id = db_col_null(st, 4) ? 0 : db_col_int(st, 4);
		u->lang = "zh-CN";
	}
	db_done(st);
	if (rc != DB_ROW)
		return kf_fail(e, KF_EINTERNAL, "mail.actor", "邮件渠道没有可用的操作用户（设置 mail.actor）",
			       "The mail channel has no user to act as (set mail.actor)");
	return 0;
}

/* Runs an HTTP use case with a request-shaped adapter; *out is its JSON
 * answer (the caller decrefs), or e says why it refused. */
int mail_call(db *d, arena *a, const struct auth_user *u, int (*fn)(http_req *), json_t *body,
	      const char *param, json_t **out, kf_err *e)
{
	http_req r;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.db = d;
	r.user = *u;
	r.via_token = 1;
	r.method = "POST";
	r.path = "";
	r.json = body;
	if (param) {
		r.params[0] = param;
		r.nparams = 1;
	}
	kf_err_clear(&r.err);
	int rc = fn(&r);
	if (d->in_tx)
		db_rollback(d);
	if (rc < 0 || r.status >= 400) {
		*e = r.err;
		if (!e->code)
			e->code = rc < 0 ? rc : KF_EINTERNAL;
		free(r.resp);
		return e->code;
	}
	*out = r.resp ? json_loadb(r.resp, r.resp_len, 0, NULL) : json_object();
	free(r.resp);
	return 0;
}

/* ---------------------------------------------------------------- threading */

static int64_t case_of_ids(db *d, const char *ids, int64_t *thread)
{
	char *copy = strdup(ids), *save = NULL;
	int64_t found = 0;
	for (char *id = strtok_r(copy, " ", &save); id && !found; id = strtok_r(NULL, " ", &save)) {
		db_stmt *st;
		if (db_query(d,
			     "SELECT COALESCE(case_id, 0), COALESCE(thread_id, id) FROM mail_messages"
			     " WHERE message_id = ? ORDER BY id LIMIT 1",
			     DB_ARGS(DBT(id)), &st) < 0)
			break;
		if (db_step(st) == DB_ROW) {
			found = db_col_int(st, 0);
			*thread = db_col_int(st, 1);
			if (!found)
				found = -1; /* a known thread without a case */
		}
		db_done(st);
	}
	free(copy);
	return found;
}

/* A case number in the subject: "C" + 6 digits + "-" + 4 or more digits. */
static int64_t case_of_subject(db *d, const char *subject)
{
	for (const char *p = subject; *p; p++) {
		if (*p != 'C' && *p != 'c')
			continue;
		int i = 1;
		while (i <= 6 && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i != 7 || p[7] != '-')
			continue;
		int j = 8;
		while (p[j] >= '0' && p[j] <= '9' && j < 16)
			j++;
		if (j < 12)
			continue;
		char num[CASE_NUMBER_SIZE];
		snprintf(num, sizeof(num), "C%.*s", j - 1, p + 1);
		int64_t id = 0;
		if (db_query_int(d, "SELECT id FROM cases WHERE number = ?", DB_ARGS(DBT(num)), &id) == DB_ROW)
			return id;
	}
	return 0;
}

/* ---------------------------------------------------------------- customer, case */

static int customer_for(db *d, arena *a, const struct auth_user *u, const struct mail_in *m,
			int64_t *id, kf_err *e)
{
	if (db_query_int(d,
			 "SELECT id FROM customers WHERE lower(email) = lower(?) AND email <> ''"
			 " AND archived_at IS NULL ORDER BY id LIMIT 1",
			 DB_ARGS(DBT(m->from_addr)), id) == DB_ROW)
		return 0;
	const char *name = *m->from_name ? m->from_name : m->from_addr;
	json_t *body = json_pack("{s:s%, s:s}", "name", name, strlen(name) > 100 ? (size_t)100 : strlen(name),
				 "email", m->from_addr);
	json_t *out = NULL;
	int rc = mail_call(d, a, u, customers_create, body, NULL, &out, e);
	if (rc < 0 && e->field && !strcmp(e->field, "email")) { /* an address our validator refuses */
		json_object_del(body, "email");
		json_object_set_new(body, "notes", json_sprintf("邮件地址 Email: %s", m->from_addr));
		rc = mail_call(d, a, u, customers_create, body, NULL, &out, e);
	}
	json_decref(body);
	if (rc < 0)
		return rc;
	*id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return 0;
}

static char *cut(const char *s, size_t max_chars)
{
	size_t n = 0, i = 0;
	while (s[i] && n < max_chars) {
		unsigned char c = (unsigned char)s[i];
		size_t l = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		for (size_t k = 1; k < l; k++)
			if (!s[i + k]) {
				l = k;
				break;
			}
		i += l;
		n++;
	}
	return strndup(s, i);
}

static int open_case(db *d, arena *a, const struct auth_user *u, const struct mail_in *m,
		     const char *text, int64_t *case_id, kf_err *e)
{
	int64_t cust;
	int rc = customer_for(d, a, u, m, &cust, e);
	if (rc < 0)
		return rc;
	char *subject = cut(*m->subject ? m->subject : "（无主题）", 200);
	char *desc = cut(text, 10000);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:I}", "type", "inquiry", "channel", "email",
				 "subject", subject, "description", desc, "customer_id", (json_int_t)cust);
	free(subject);
	free(desc);
	json_t *out = NULL;
	rc = mail_call(d, a, u, cases_create, body, NULL, &out, e);
	json_decref(body);
	if (rc < 0)
		return rc;
	*case_id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return 0;
}

/* The customer's message on an existing case (the cases module resumes a
 * paused SLA clock for it). */
static int add_to_case(db *d, arena *a, const struct auth_user *u, int64_t case_id,
		       const char *text, kf_err *e)
{
	char *body_text = cut(*text ? text : "（空邮件）", 10000);
	json_t *body = json_pack("{s:s, s:s}", "kind", "customer", "body", body_text);
	free(body_text);
	json_t *out = NULL;
	int rc = mail_call(d, a, u, case_events_create, body, arena_printf(a, "%lld", (long long)case_id),
			   &out, e);
	json_decref(body);
	json_decref(out);
	return rc;
}

/* ---------------------------------------------------------------- store */

static int store(db *d, const struct mail_in *m, int64_t thread, int64_t *id, kf_err *e)
{
	int64_t now = util_now_ms();
	if (db_begin(d) < 0)
		return kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
	db_stmt *st;
	int rc = db_query(d,
			  "INSERT INTO mail_messages (direction, message_id, in_reply_to, refs, from_addr,"
			  " from_name, to_addr, subject, text_body, html_body, thread_id, status, created_at)"
			  " VALUES ('in', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?) RETURNING id",
			  DB_ARGS(DBT(m->message_id), DBT(m->in_reply_to), DBT(m->references),
				  DBT(m->from_addr), DBT(m->from_name), DBT(m->to_addr), DBT(m->subject),
				  DBT(m->text), DBT(m->html), thread ? DBI(thread) : DBNULL, DBI(now)),
			  &st);
	if (rc == 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
	}
	if (rc != DB_ROW) {
		db_rollback(d);
		return rc == DB_EUNIQUE ? 1 : kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
	}
	if (!thread)
		db_exec(d, "UPDATE mail_messages SET thread_id = id WHERE id = ?", DB_ARGS(DBI(*id)));
	for (int i = 0; i < m->natt && rc >= 0; i++) {
		size_t b64len = sodium_base64_ENCODED_LEN(m->att[i].size, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = malloc(b64len);
		sodium_bin2base64(b64, b64len, m->att[i].data, m->att[i].size, sodium_base64_VARIANT_ORIGINAL);
		rc = db_exec(d,
			     "INSERT INTO mail_attachments (mail_id, filename, content_type, size, data)"
			     " VALUES (?, ?, ?, ?, ?)",
			     DB_ARGS(DBI(*id), DBT(m->att[i].filename), DBT(m->att[i].content_type),
				     DBI((int64_t)m->att[i].size), DBT(b64)));
		free(b64);
	}
	if (rc < 0 || db_commit(d) < 0) {
		db_rollback(d);
		return kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
	}
	return 0;
}

int mail_receive(db *d, const char *raw, size_t len, int64_t *mail_id, int64_t *case_id,
		 int *dup, kf_err *e)
{
	struct mail_in m;
	*mail_id = *case_id = 0;
	*dup = 0;
	if (len > MAIL_MAX_MESSAGE)
		return kf_fail(e, KF_ETOOBIG, "message", "邮件超过 %d MiB", "The message exceeds %d MiB",
			       MAIL_MAX_MESSAGE >> 20);
	int rc = mail_parse(raw, len, &m, e);
	if (rc < 0)
		return rc;
	int64_t prior;
	if (db_query_int(d, "SELECT id FROM mail_messages WHERE message_id = ? AND direction = 'in'",
			 DB_ARGS(DBT(m.message_id)), &prior) == DB_ROW) {
		*mail_id = prior;
		db_query_int(d, "SELECT COALESCE(case_id, 0) FROM mail_messages WHERE id = ?",
			     DB_ARGS(DBI(prior)), case_id);
		*dup = 1;
		mail_in_release(&m);
		return 0;
	}
	arena *a = arena_new();
	struct auth_user u;
	int64_t thread = 0;
	char *ids = arena_printf(a, "%s %s", m.in_reply_to, m.references);
	int64_t cid = case_of_ids(d, ids, &thread);
	if (cid <= 0)
		cid = case_of_subject(d, m.subject);
	char *text = mail_strip_quoted(m.text);
	if (!*text && *m.html) { /* HTML-only mail: the case gets a plain version */
		free(text);
		text = strdup("（HTML 邮件，见原文）");
	}
	rc = actor(d, a, &u, e);
	if (rc == 0)
		rc = store(d, &m, thread, mail_id, e);
	if (rc == 1) { /* stored meanwhile by another instance */
		*dup = 1;
		rc = 0;
		goto out;
	}
	if (rc == 0 && cid > 0)
		rc = add_to_case(d, a, &u, cid, text, e);
	else if (rc == 0)
		rc = open_case(d, a, &u, &m, text, &cid, e);
	if (rc == 0) {
		*case_id = cid;
		db_exec(d, "UPDATE mail_messages SET case_id = ? WHERE id = ?", DB_ARGS(DBI(cid), DBI(*mail_id)));
		json_t *p = webhook_case_payload(d, cid);
		if (!p)
			p = json_object();
		json_object_set_new(p, "mail_id", json_integer(*mail_id));
		json_object_set_new(p, "from", json_string(m.from_addr));
		json_object_set_new(p, "subject", json_string(m.subject));
		webhook_emit(d, "mail.received", p);
		json_decref(p);
	} else if (*mail_id) {
		log_warn("mail %lld stored but not put on a case: %s", (long long)*mail_id, e->en);
	}
out:
	free(text);
	arena_free(a);
	mail_in_release(&m);
	return rc;
}
