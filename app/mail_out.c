/* mail_out.c - e-mail out by SMTP and in by IMAP polling, both with
 * libcurl.
 *
 * Out: a reply is queued as a mail_messages row (status pending) in the
 * transaction that records it; the channels worker claims due rows with a
 * lease and sends them (retries with backoff, up to MAIL_MAX_ATTEMPTS,
 * then status failed).  The message carries Message-ID, In-Reply-To and
 * References of the conversation and the case number in the subject, so
 * the customer's client threads it and the customer's answer comes back to
 * the case.
 *
 * In: UID SEARCH UNSEEN on the configured mailbox, then each message is
 * fetched by UID (which marks it \Seen) and handed to mail_receive; a
 * message that could not be stored is marked unseen again so the next
 * poll retries it.  Re-delivery is harmless: Message-IDs are unique. */
#include "app/mail.h"
#include "app/case.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

int case_events_create(http_req *r);

enum { MAIL_MAX_ATTEMPTS = 6, LEASE_MS = 120 * 1000 };

/* ---------------------------------------------------------------- queue */

static char *reply_subject(arena *a, const char *orig, const char *number)
{
	const char *s = orig && *orig ? orig : "您的来信";
	int re = !strncasecmp(s, "re:", 3) || !strncmp(s, "回复：", strlen("回复：")) || !strncmp(s, "答复：", strlen("答复："));
	const char *tag = number && *number && !strstr(s, number) ? arena_printf(a, " [%s]", number) : "";
	return arena_printf(a, "%s%s%s", re ? "" : "Re: ", s, tag);
}

static char *new_message_id(arena *a, const char *from_addr)
{
	const char *at = strchr(from_addr, '@');
	char rnd[33];
	util_random_hex(rnd, 16);
	return arena_printf(a, "kefu.%s@%s", rnd, at && at[1] ? at + 1 : "kefu.localhost");
}

int mail_queue_reply(db *d, const struct auth_user *u, int64_t to_mail, const char *text,
		     int64_t *id, kf_err *e)
{
	arena *a = arena_new();
	db_stmt *st;
	int rc = -1;
	if (db_query(d,
		     "SELECT m.message_id, m.refs, m.from_addr, m.subject, COALESCE(m.thread_id, m.id),"
		     " COALESCE(m.case_id, 0), COALESCE(c.number, ''), COALESCE(m.customer_id, 0)"
		     " FROM mail_messages m LEFT JOIN cases c ON c.id = m.case_id WHERE m.id = ?"
		     " AND m.direction = 'in'",
		     DB_ARGS(DBI(to_mail)), &st) < 0) {
		arena_free(a);
		return kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
	}
	const char *mid = NULL, *refs = NULL, *to = NULL, *subject = NULL, *number = NULL;
	int64_t thread = 0, case_id = 0;
	if (db_step(st) == DB_ROW) {
		mid = arena_strdup(a, db_col_text(st, 0));
		refs = arena_strdup(a, db_col_text(st, 1));
		to = arena_strdup(a, db_col_text(st, 2));
		subject = arena_strdup(a, db_col_text(st, 3));
		thread = db_col_int(st, 4);
		case_id = db_col_int(st, 5);
		number = arena_strdup(a, db_col_text(st, 6));
	}
	db_done(st);
	if (!mid) {
		arena_free(a);
		return kf_fail(e, KF_ENOTFOUND, "id", "邮件 %lld 不存在", "Message %lld does not exist",
			       (long long)to_mail);
	}
	/* On the case first: the cases module checks the agent may act on it
	 * and records the reply (first response, timeline). */
	if (case_id) {
		json_t *body = json_pack("{s:s, s:s}", "kind", "reply", "body", text), *out = NULL;
		rc = mail_call(d, a, u, case_events_create, body, arena_printf(a, "%lld", (long long)case_id),
			       &out, e);
		json_decref(body);
		json_decref(out);
		if (rc < 0) {
			arena_free(a);
			return rc;
		}
	}
	const char *from = mail_setting(d, a, "mail.from_address");
	if (!*from) {
		arena_free(a);
		return kf_fail(e, KF_ECONFLICT, "mail.from_address", "尚未设置发件地址（邮件设置）",
			       "No sender address is configured (mail settings)");
	}
	const char *from_name = mail_setting(d, a, "mail.from_name");
	const char *out_mid = new_message_id(a, from);
	const char *out_refs = *refs ? arena_printf(a, "%s %s", refs, mid) : mid;
	const char *subj = reply_subject(a, subject, number);
	char *raw = mail_compose(*from_name ? from_name : "客服中心", from, to, subj, text, out_mid, mid,
				 out_refs);
	int64_t now = util_now_ms();
	rc = db_query(d,
		      "INSERT INTO mail_messages (direction, message_id, in_reply_to, refs, from_addr,"
		      " from_name, to_addr, subject, text_body, thread_id, case_id, status, next_at,"
		      " created_by, created_at, raw) VALUES ('out', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		      " 'pending', ?, ?, ?, ?) RETURNING id",
		      DB_ARGS(DBT(out_mid), DBT(mid), DBT(out_refs), DBT(from), DBT(from_name), DBT(to),
			      DBT(subj), DBT(text), DBI(thread), case_id ? DBI(case_id) : DBNULL, DBI(now),
			      DBI(u->id), DBI(now), DBT(raw)),
		      &st);
	if (rc == 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
	}
	free(raw); /* bound to the statement until it ran */
	arena_free(a);
	return rc == DB_ROW ? 0 : kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
}

/* A notification about a case to its customer (or to `to`), threaded onto
 * the case's last message when there is one. */
int mail_queue_notice(db *d, const struct auth_user *u, int64_t case_id, const char *to,
		      const char *subject, const char *text, int64_t *id, kf_err *e)
{
	arena *a = arena_new();
	db_stmt *st;
	const char *number = NULL, *csubj = NULL, *email = NULL;
	if (db_query(d,
		     "SELECT c.number, c.subject, cu.email FROM cases c JOIN customers cu ON"
		     " cu.id = c.customer_id WHERE c.id = ?",
		     DB_ARGS(DBI(case_id)), &st) == 0) {
		if (db_step(st) == DB_ROW) {
			number = arena_strdup(a, db_col_text(st, 0));
			csubj = arena_strdup(a, db_col_text(st, 1));
			email = arena_strdup(a, db_col_text(st, 2));
		}
		db_done(st);
	}
	int rc = -1;
	if (!number) {
		arena_free(a);
		return kf_fail(e, KF_ENOTFOUND, "id", "工单 %lld 不存在", "Case %lld does not exist",
			       (long long)case_id);
	}
	if (!to || !*to)
		to = email;
	if (!*to) {
		arena_free(a);
		return kf_fail(e, KF_EINVAL, "to", "客户没有电子邮箱，请给出收件地址 to",
			       "The customer has no e-mail address; give one in to");
	}
	const char *from = mail_setting(d, a, "mail.from_address");
	if (!*from) {
		arena_free(a);
		return kf_fail(e, KF_ECONFLICT, "mail.from_address", "尚未设置发件地址（邮件设置）",
			       "No sender address is configured (mail settings)");
	}
	/* The case's timeline first (the cases module checks the user may act). */
	json_t *body = json_pack("{s:s, s:s}", "kind", "reply", "body", text), *out = NULL;
	rc = mail_call(d, a, u, case_events_create, body, arena_printf(a, "%lld", (long long)case_id), &out, e);
	json_decref(body);
	json_decref(out);
	if (rc < 0) {
		arena_free(a);
		return rc;
	}
	const char *last = "", *refs = "";
	int64_t thread = 0;
	if (db_query(d,
		     "SELECT message_id, refs, COALESCE(thread_id, id) FROM mail_messages WHERE case_id = ?"
		     " ORDER BY id DESC LIMIT 1",
		     DB_ARGS(DBI(case_id)), &st) == 0) {
		if (db_step(st) == DB_ROW) {
			last = arena_strdup(a, db_col_text(st, 0));
			refs = arena_strdup(a, db_col_text(st, 1));
			thread = db_col_int(st, 2);
		}
		db_done(st);
	}
	const char *subj = subject && *subject ? arena_printf(a, "%s [%s]", subject, number)
					       : arena_printf(a, "[%s] %s", number, csubj);
	const char *from_name = mail_setting(d, a, "mail.from_name");
	const char *mid = new_message_id(a, from);
	const char *out_refs = *last ? (*refs ? arena_printf(a, "%s %s", refs, last) : last) : "";
	char *raw = mail_compose(*from_name ? from_name : "客服中心", from, to, subj, text, mid, last, out_refs);
	int64_t now = util_now_ms();
	rc = db_query(d,
		      "INSERT INTO mail_messages (direction, message_id, in_reply_to, refs, from_addr,"
		      " from_name, to_addr, subject, text_body, thread_id, case_id, status, next_at,"
		      " created_by, created_at, raw) VALUES ('out', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		      " 'pending', ?, ?, ?, ?) RETURNING id",
		      DB_ARGS(DBT(mid), DBT(last), DBT(out_refs), DBT(from), DBT(from_name), DBT(to),
			      DBT(subj), DBT(text), thread ? DBI(thread) : DBNULL, DBI(case_id), DBI(now),
			      DBI(u->id), DBI(now), DBT(raw)),
		      &st);
	if (rc == 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
	}
	free(raw); /* bound to the statement until it ran */
	if (rc == DB_ROW && !thread)
		db_exec(d, "UPDATE mail_messages SET thread_id = id WHERE id = ?", DB_ARGS(DBI(*id)));
	arena_free(a);
	return rc == DB_ROW ? 0 : kf_fail(e, KF_EDB, NULL, "数据库错误", "Database error");
}

int mail_queue_plain(db *d, arena *a, int64_t customer_id, int64_t case_id, const char *to,
		     const char *subject, const char *text, int64_t *id)
{
	const char *from = mail_setting(d, a, "mail.from_address");
	const char *from_name = mail_setting(d, a, "mail.from_name");
	*id = 0;
	if (!*from || !to || !*to)
		return 0;
	const char *mid = new_message_id(a, from);
	char *raw = mail_compose(*from_name ? from_name : "客服中心", from, to, subject, text, mid, "", "");
	int64_t now = util_now_ms();
	db_stmt *st;
	int rc = db_query(d,
			  "INSERT INTO mail_messages (direction, message_id, from_addr, from_name, to_addr,"
			  " subject, text_body, case_id, customer_id, status, next_at, created_at, raw)"
			  " VALUES ('out', ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id",
			  DB_ARGS(DBT(mid), DBT(from), DBT(from_name), DBT(to), DBT(subject), DBT(text),
				  case_id ? DBI(case_id) : DBNULL, customer_id ? DBI(customer_id) : DBNULL,
				  DBI(now), DBI(now), DBT(raw)),
			  &st);
	if (rc == 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
	}
	free(raw); /* bound to the statement until it ran */
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_EFAIL;
	rc = db_exec(d, "UPDATE mail_messages SET thread_id = id WHERE id = ?", DB_ARGS(DBI(*id)));
	return rc < 0 ? rc : 1;
}

/* ---------------------------------------------------------------- SMTP */

struct upload {
	const char *data;
	size_t len, off;
};

static size_t read_cb(char *p, size_t size, size_t n, void *ud)
{
	struct upload *u = ud;
	size_t want = size * n, left = u->len - u->off;
	if (want > left)
		want = left;
	memcpy(p, u->data + u->off, want);
	u->off += want;
	return want;
}

static int smtp_send(arena *a, db *d, const char *from, const char *to, const char *raw,
		     char *err, size_t errlen)
{
	const char *url = mail_setting(d, a, "mail.smtp_url");
	if (!*url) {
		snprintf(err, errlen, "mail.smtp_url is not set");
		return -1;
	}
	const char *user = mail_setting(d, a, "mail.smtp_user");
	const char *pass = mail_setting(d, a, "mail.smtp_password");
	CURL *h = curl_easy_init();
	struct curl_slist *rcpt = curl_slist_append(NULL, arena_printf(a, "<%s>", to));
	struct upload up = {raw, strlen(raw), 0};
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, arena_printf(a, "<%s>", from));
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (*user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, pass);
	}
	CURLcode cc = curl_easy_perform(h);
	if (cc != CURLE_OK)
		snprintf(err, errlen, "%s", curl_easy_strerror(cc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	return cc == CURLE_OK ? 0 : -1;
}

int mail_send_due(db *d, const char *holder, int64_t now, int limit)
{
	KF_UNUSED(holder);
	/* Claim: one UPDATE moves due rows' lease forward; SKIP LOCKED keeps
	 * two PostgreSQL instances off the same rows. */
	const char *sql =
		d->kind == DB_PG
			? "UPDATE mail_messages SET lease_until = ? WHERE id IN (SELECT id FROM mail_messages"
			  " WHERE status = 'pending' AND next_at <= ? AND lease_until < ? ORDER BY next_at, id"
			  " LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING id"
			: "UPDATE mail_messages SET lease_until = ? WHERE id IN (SELECT id FROM mail_messages"
			  " WHERE status = 'pending' AND next_at <= ? AND lease_until < ? ORDER BY next_at, id"
			  " LIMIT ?) RETURNING id";
	db_stmt *st;
	if (db_query(d, sql, DB_ARGS(DBI(now + LEASE_MS), DBI(now), DBI(now), DBI(limit)), &st) < 0)
		return -1;
	int64_t ids[64];
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && n < 64)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	if (rc < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		arena *a = arena_new();
		const char *from = NULL, *to = NULL, *raw = NULL;
		int64_t attempts = 0;
		if (db_query(d, "SELECT from_addr, to_addr, raw, attempts FROM mail_messages WHERE id = ?",
			     DB_ARGS(DBI(ids[i])), &st) == 0) {
			if (db_step(st) == DB_ROW) {
				from = arena_strdup(a, db_col_text(st, 0));
				to = arena_strdup(a, db_col_text(st, 1));
				raw = arena_strdup(a, db_col_text(st, 2));
				attempts = db_col_int(st, 3);
			}
			db_done(st);
		}
		char err[256] = "";
		int ok = from && smtp_send(a, d, from, to, raw, err, sizeof(err)) == 0;
		int64_t t = util_now_ms();
		attempts++;
		if (ok)
			db_exec(d,
				"UPDATE mail_messages SET status = 'sent', sent_at = ?, attempts = ?, error = '',"
				" lease_until = 0 WHERE id = ?",
				DB_ARGS(DBI(t), DBI(attempts), DBI(ids[i])));
		else
			db_exec(d,
				"UPDATE mail_messages SET status = ?, attempts = ?, error = ?, next_at = ?,"
				" lease_until = 0 WHERE id = ?",
				DB_ARGS(DBT(attempts >= MAIL_MAX_ATTEMPTS ? "failed" : "pending"), DBI(attempts),
					DBT(err), DBI(t + (30000LL << (attempts < 8 ? attempts : 8))),
					DBI(ids[i])));
		if (!ok)
			log_warn("mail %lld not sent (attempt %lld): %s", (long long)ids[i], (long long)attempts, err);
		arena_free(a);
	}
	return n;
}

/* ---------------------------------------------------------------- IMAP */

static size_t keep(char *p, size_t size, size_t n, void *ud)
{
	buf *b = ud;
	return buf_append(b, p, size * n) < 0 ? 0 : size * n;
}

static CURLcode imap(CURL *h, const char *url, const char *request, buf *out)
{
	buf_reset(out);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	return curl_easy_perform(h);
}

int mail_poll(db *d, int *fetched, kf_err *e)
{
	arena *a = arena_new();
	const char *url = mail_setting(d, a, "mail.imap_url");
	*fetched = 0;
	if (!*url) {
		arena_free(a);
		return kf_fail(e, KF_ECONFLICT, "mail.imap_url", "尚未设置 IMAP 收件箱", "No IMAP mailbox is configured");
	}
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_USERNAME, mail_setting(d, a, "mail.imap_user"));
	curl_easy_setopt(h, CURLOPT_PASSWORD, mail_setting(d, a, "mail.imap_password"));
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	buf out;
	buf_init(&out, (size_t)MAIL_MAX_MESSAGE + 4096);
	int rc = 0;
	CURLcode cc = imap(h, url, "UID SEARCH UNSEEN", &out);
	if (cc != CURLE_OK) {
		rc = kf_fail(e, KF_EINTERNAL, "mail.imap_url", "无法连接收件箱：%s", "Cannot reach the mailbox: %s",
			     curl_easy_strerror(cc), curl_easy_strerror(cc));
		goto done;
	}
	/* "* SEARCH 3 4 7" */
	int64_t uids[200];
	int n = 0;
	const char *p = out.data ? strstr(out.data, "SEARCH") : NULL;
	for (p = p ? p + 6 : NULL; p && *p && n < 200;) {
		while (*p == ' ')
			p++;
		char *end;
		long long v = strtoll(p, &end, 10);
		if (end == p)
			break;
		uids[n++] = v;
		p = end;
	}
	for (int i = 0; i < n; i++) {
		const char *murl = arena_printf(a, "%s%s;UID=%lld", url, url[strlen(url) - 1] == '/' ? "" : "/",
						(long long)uids[i]);
		if (imap(h, murl, NULL, &out) != CURLE_OK || !out.len)
			continue;
		int64_t mail_id, case_id;
		int dup;
		kf_err me;
		kf_err_clear(&me);
		if (mail_receive(d, out.data, out.len, &mail_id, &case_id, &dup, &me) < 0 && !mail_id) {
			log_warn("mail: UID %lld not stored: %s", (long long)uids[i], me.en);
			if (me.code == KF_EDB)
				imap(h, url, arena_printf(a, "UID STORE %lld -FLAGS (\\Seen)", (long long)uids[i]), &out);
			continue;
		}
		if (!dup)
			(*fetched)++;
	}
done:
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_cleanup(h);
	buf_release(&out);
	arena_free(a);
	return rc;
}

int mail_poll_due(db *d, const char *holder, int64_t now)
{
	static int64_t next_poll;
	KF_UNUSED(holder);
	if (now < next_poll)
		return 0;
	arena *a = arena_new();
	int64_t secs = 60;
	int configured = *mail_setting(d, a, "mail.imap_url") != '\0';
	util_parse_i64(mail_setting(d, a, "mail.poll_seconds"), &secs);
	arena_free(a);
	if (secs < 1)
		secs = 1;
	next_poll = now + secs * 1000;
	if (!configured)
		return 0;
	int fetched = 0;
	kf_err e;
	kf_err_clear(&e);
	if (mail_poll(d, &fetched, &e) < 0) {
		log_warn("mail poll: %s", e.en);
		return -1;
	}
	return fetched;
}
