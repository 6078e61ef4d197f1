/* portal.c - the customer portal's API (under /api/portal/, issue 6): no
 * login, so every route here is anonymous and the server reads no staff
 * session for them (http/server.c).  What it may show is decided here,
 * positively: the service page (settings `portal`), a case tracked by
 * number + the customer's phone with only its public moments (never an
 * internal note, an assignment, a field of the case other than its
 * number, type and state; agents by a public alias unless configured),
 * a survey by its one-time token, an opinion card by its slug.
 *
 * Abuse without a CAPTCHA: accepted submissions are counted per client
 * address and per phone over the last hour (portal_hits) and refused
 * with 429 past the limits; a hidden field (`website`) that people never
 * fill makes a bot's submission look accepted while nothing is stored.
 *
 * What the forms send is read and checked by portal_input.c. */
#include "app/survey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/mail.h"
#include "app/portal_input.h"
#include "app/webhook.h"
#include "core/case_flow.h"
#include "core/phone.h"
#include "core/satisfaction.h"
#include "lib/common.h"
#include "lib/util.h"

#define HOUR_MS (3600LL * 1000)

/* ---------------------------------------------------------------- settings */

json_t *portal_settings_load(db *d)
{
	json_t *o = NULL;
	db_stmt *st;
	if (db_query(d, "SELECT value FROM settings WHERE key = 'portal'", DB_ARGS(), &st) >= 0) {
		if (db_step(st) == DB_ROW)
			o = json_loads(db_col_text(st, 0), 0, NULL);
		db_done(st);
	}
	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	static const char *const strs[] = {"company_name", "hotline", "complaint_email", "pledge",
					   "actor", "base_url", NULL};
	for (const char *const *k = strs; *k; k++)
		if (!json_is_string(json_object_get(o, *k)))
			json_object_set_new(o, *k, json_string(""));
	if (!json_is_array(json_object_get(o, "contacts")))
		json_object_set_new(o, "contacts", json_array());
	if (!json_is_boolean(json_object_get(o, "show_agent_names")))
		json_object_set_new(o, "show_agent_names", json_false());
	if (!json_is_integer(json_object_get(o, "limit_per_ip")))
		json_object_set_new(o, "limit_per_ip", json_integer(10));
	if (!json_is_integer(json_object_get(o, "limit_per_phone")))
		json_object_set_new(o, "limit_per_phone", json_integer(5));
	return o;
}

/* GET /api/portal-settings (staff) */
int portal_settings_get(http_req *r)
{
	return http_json(r, 200, portal_settings_load(r->db));
}

/* PUT /api/portal-settings (admins): the keys given replace theirs. */
int portal_settings_put(http_req *r)
{
	const char *actor;
	int64_t x;
	int rc = portal_settings_read(r, &actor);
	if (rc < 0)
		return rc;
	if (actor && *actor &&
	    db_query_int(r->db, "SELECT id FROM users WHERE username = ? AND disabled = 0",
			 DB_ARGS(DBT(actor)), &x) != DB_ROW)
		return http_fail(r, KF_EINVAL, "actor", "用户 %s 不存在或已停用",
				 "User %s does not exist or is disabled", actor);
	json_t *merged = portal_settings_load(r->db);
	json_object_update(merged, r->json);
	char *text = json_dumps(merged, JSON_COMPACT);
	json_decref(merged);
	if (db_begin(r->db) < 0) {
		free(text);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	rc = db_exec(r->db,
		     "INSERT INTO settings (key, value) VALUES ('portal', ?) ON CONFLICT (key)"
		     " DO UPDATE SET value = excluded.value",
		     DB_ARGS(DBT(text)));
	free(text);
	if (rc < 0 || audit_write(r->db, "settings", 0, "portal", r->user.id, r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_json(r, 200, portal_settings_load(r->db));
}

/* GET /api/portal/service: the company's service page. */
int portal_service(http_req *r)
{
	json_t *s = portal_settings_load(r->db);
	json_t *o = json_pack("{s:O, s:O, s:O, s:O, s:O}", "company_name",
			      json_object_get(s, "company_name"), "hotline", json_object_get(s, "hotline"),
			      "complaint_email", json_object_get(s, "complaint_email"), "pledge",
			      json_object_get(s, "pledge"), "contacts", json_object_get(s, "contacts"));
	json_decref(s);
	return http_json(r, 200, o);
}

/* ---------------------------------------------------------------- limits */

/* 429 when the key had `limit` accepted submissions in the last hour. */
static int over_limit(http_req *r, const char *key, int64_t limit, int64_t now)
{
	int64_t n = 0;
	if (db_query_int(r->db, "SELECT COUNT(*) FROM portal_hits WHERE key = ? AND at > ?",
			 DB_ARGS(DBT(key), DBI(now - HOUR_MS)), &n) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (n >= limit)
		return http_fail(r, KF_ETHROTTLED, NULL, "提交太频繁，请稍后再试或拨打服务热线",
				 "Too many submissions; please try again later or call the hotline");
	return 0;
}

static int hit(db *d, const char *key, int64_t now)
{
	if (db_exec(d, "DELETE FROM portal_hits WHERE key = ? AND at < ?",
		    DB_ARGS(DBT(key), DBI(now - 24 * HOUR_MS))) < 0)
		return -1;
	return db_exec(d, "INSERT INTO portal_hits (key, at) VALUES (?, ?)",
		       DB_ARGS(DBT(key), DBI(now)));
}

/* ---------------------------------------------------------------- inquiries */

static int portal_actor(db *d, arena *a, json_t *settings, struct auth_user *u)
{
	const char *name = json_string_value(json_object_get(settings, "actor"));
	db_stmt *st;
	int rc = name && *name
			 ? db_query(d, "SELECT id, username, display_name, role, department_id FROM users"
				       " WHERE username = ? AND disabled = 0",
				    DB_ARGS(DBT(name)), &st)
			 : db_query(d, "SELECT id, username, display_name, role, department_id FROM users"
				       " WHERE role = 'admin' AND disabled = 0 ORDER BY id LIMIT 1",
				    DB_ARGS(), &st);
	if (rc < 0)
		return -1;
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
	return rc == DB_ROW ? 0 : -1;
}

/* POST /api/portal/inquiries {type: inquiry|complaint|suggestion, name,
 * phone, subject, description}: a case through the cases module's own
 * create (customer found or created by phone), channel web. */
int portal_inquiries_create(http_req *r)
{
	struct portal_inquiry q;
	int rc = portal_inquiry_read(r, &q);
	if (rc < 0)
		return rc;
	if (rc == 1) /* looks accepted; nothing is stored */
		return http_json(r, 201, json_pack("{s:b, s:n}", "received", 1, "number"));
	const char *type = q.type, *name = q.name, *subject = q.subject, *desc = q.description;
	const char *phone = q.phone;
	json_t *s = portal_settings_load(r->db);
	int64_t now = util_now_ms();
	const char *ipkey = arena_printf(r->a, "ip:%s", http_client_ip(r));
	const char *phkey = arena_printf(r->a, "phone:%s", phone);
	if ((rc = over_limit(r, ipkey, json_integer_value(json_object_get(s, "limit_per_ip")), now)) < 0 ||
	    (rc = over_limit(r, phkey, json_integer_value(json_object_get(s, "limit_per_phone")), now)) < 0) {
		json_decref(s);
		return rc;
	}
	struct auth_user u;
	rc = portal_actor(r->db, r->a, s, &u);
	json_decref(s);
	if (rc < 0)
		return http_fail(r, KF_EINTERNAL, NULL, "服务暂时不可用，请拨打服务热线",
				 "The service is unavailable; please call the hotline");
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "type", type, "channel", "web",
				 "subject", subject, "description", desc ? desc : "", "customer",
				 "phone", phone, "name", name && *name ? name : "网页访客");
	json_t *out = NULL;
	kf_err e;
	kf_err_clear(&e);
	rc = mail_call(r->db, r->a, &u, cases_create, body, NULL, &out, &e);
	json_decref(body);
	if (rc < 0) {
		/* the customer's own fields keep their names; nothing internal is named */
		if (e.field && !strncmp(e.field, "customer.", 9))
			e.field = !strcmp(e.field, "customer.name") ? "name" : "phone";
		else if (e.code != KF_EINVAL)
			return http_fail(r, KF_EINTERNAL, NULL, "提交没有成功，请稍后再试",
					 "The submission failed; please try again");
		return in_err(r, &e);
	}
	const char *number = arena_strdup(r->a, json_string_value(json_object_get(out, "number")));
	json_decref(out);
	if (db_begin(r->db) < 0 || hit(r->db, ipkey, now) < 0 || hit(r->db, phkey, now) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_json(r, 201, json_pack("{s:b, s:s}", "received", 1, "number", number));
}

/* ---------------------------------------------------------------- tracking */

static const char *alias(http_req *r, int show_names, int64_t user_id, const char *name)
{
	if (!user_id)
		return "";
	if (show_names && *name)
		return arena_strdup(r->a, name);
	return arena_printf(r->a, r->lang_en ? "Agent %03lld" : "客服 %03lld", (long long)user_id);
}

/* The public moments of a case: received, replies to the customer, the
 * customer's own messages, state changes (the new state only). */
static json_t *public_timeline(http_req *r, int64_t case_id, int show_names)
{
	json_t *items = json_array();
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT e.kind, e.actor_id, COALESCE(u.display_name, ''), e.body, e.data, e.at"
		     " FROM case_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = ?"
		     " AND e.is_public = 1 AND e.kind IN ('created', 'reply', 'customer', 'transition')"
		     " ORDER BY e.at, e.id",
		     DB_ARGS(DBI(case_id)), &st) < 0)
		return items;
	while (db_step(st) == DB_ROW) {
		const char *kind = db_col_text(st, 0);
		json_t *o = json_pack("{s:s, s:I}", "kind", kind, "at", (json_int_t)db_col_int(st, 5));
		if (!strcmp(kind, "reply")) {
			json_object_set_new(o, "text", json_string(db_col_text(st, 3)));
			json_object_set_new(o, "by", json_string(alias(r, show_names, db_col_int(st, 1),
									  db_col_text(st, 2))));
		} else if (!strcmp(kind, "customer")) {
			json_object_set_new(o, "text", json_string(db_col_text(st, 3)));
		} else if (!strcmp(kind, "transition")) {
			json_t *data = json_loads(db_col_text(st, 4), 0, NULL);
			int s = case_state_parse(json_string_value(json_object_get(data, "to")));
			json_decref(data);
			if (s < 0) {
				json_decref(o);
				continue;
			}
			json_object_set_new(o, "state", json_string(case_state_name(s)));
			json_object_set_new(o, "label", json_string(r->lang_en ? case_state_en(s)
									       : case_state_zh(s)));
		}
		json_array_append_new(items, o);
	}
	db_done(st);
	return items;
}

/* GET /api/portal/track?number=&phone= : one answer for "no such case"
 * and "not your phone", so numbers cannot be probed for their owners;
 * lookups count against the client's address. */
int portal_track(http_req *r)
{
	const char *number = http_query(r, "number"), *ph = http_query(r, "phone");
	char phone[32] = "";
	kf_err e;
	kf_err_clear(&e);
	if (!number || !*number || strlen(number) > 40)
		return http_fail(r, KF_EINVAL, "number", "请填写工单号", "Enter the case number");
	if (!ph || !*ph || phone_normalize(ph, phone, sizeof(phone), &e) < 0)
		return http_fail(r, KF_EINVAL, "phone", "请填写提交时留下的手机号码",
				 "Enter the phone number you gave");
	int64_t now = util_now_ms();
	const char *key = arena_printf(r->a, "track:%s", http_client_ip(r));
	int rc = over_limit(r, key, 60, now);
	if (rc < 0)
		return rc;
	if (db_begin(r->db) < 0 || hit(r->db, key, now) < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT k.id, k.number, k.type, k.state, k.channel, k.subject, k.received_at,"
		     " k.closed_at, k.is_open FROM cases k JOIN customers c ON c.id = k.customer_id"
		     " WHERE k.number = ? AND c.phone = ?",
		     DB_ARGS(DBT(number), DBT(phone)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = db_step(st)) != DB_ROW) {
		db_done(st);
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "number",
					  "没有找到这个工单，请核对工单号和手机号码",
					  "No case found; check the case number and the phone number");
	}
	int64_t id = db_col_int(st, 0);
	int state = case_state_parse(db_col_text(st, 3));
	/* the subject is shown only when the customer wrote it (the portal's
	 * own channel); staff may have worded it for themselves */
	int own = !strcmp(db_col_text(st, 4), "web");
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:b}", "number", db_col_text(st, 1),
			      "type", db_col_text(st, 2), "state", case_state_name(state), "label",
			      r->lang_en ? case_state_en(state) : case_state_zh(state), "subject",
			      own ? db_col_text(st, 5) : "", "received_at",
			      (json_int_t)db_col_int(st, 6), "closed_at",
			      db_col_null(st, 7) ? json_null() : json_integer(db_col_int(st, 7)), "open",
			      (int)db_col_int(st, 8));
	db_done(st);
	json_t *s = portal_settings_load(r->db);
	int show = json_is_true(json_object_get(s, "show_agent_names"));
	json_decref(s);
	json_object_set_new(o, "timeline", public_timeline(r, id, show));
	return http_json(r, 200, o);
}

/* ---------------------------------------------------------------- answering */

static int answers_store(db *d, int64_t response_id, json_t *qs, json_t *ans)
{
	json_t *q;
	size_t i;
	json_array_foreach(qs, i, q)
	{
		const char *key = json_string_value(json_object_get(q, "key"));
		const char *kind = json_string_value(json_object_get(q, "kind"));
		json_t *v = json_object_get(ans, key);
		if (!v || json_is_null(v))
			continue;
		char *text = NULL;
		if (json_is_array(v)) {
			size_t n = 0, j;
			json_t *x;
			json_array_foreach(v, j, x) n += json_string_length(x) + 1;
			text = calloc(1, n + 1);
			size_t at = 0;
			json_array_foreach(v, j, x)
			{
				size_t l = json_string_length(x);
				if (j)
					text[at++] = ',';
				memcpy(text + at, json_string_value(x), l);
				at += l;
			}
		}
		int rc = db_exec(d,
				 "INSERT INTO survey_answers (response_id, question_key, kind, value_int,"
				 " value_text) VALUES (?, ?, ?, ?, ?)",
				 DB_ARGS(DBI(response_id), DBT(key), DBT(kind),
					 json_is_integer(v) ? DBI(json_integer_value(v)) : DBNULL,
					 DBT(text ? text : json_is_string(v) ? json_string_value(v) : "")));
		free(text);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The invitation behind a token: 404 when malformed, tampered or unknown,
 * 410 when answered or expired.  Fills the template's questions. */
struct inv {
	int64_t id, template_id, customer_id, agent_id, department_id, case_id, expires_at;
	const char *case_type, *channel, *tier, *tpl_name, *case_number;
	json_t *questions;
};

static int inv_find(http_req *r, const char *token, struct inv *v)
{
	const char *secret = survey_secret(r->db, r->a);
	int64_t id;
	char hash[65];
	if (!secret)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (sat_token_check(secret, token, &id) < 0)
		return http_fail(r, KF_ENOTFOUND, "token", "这个问卷链接无效，请核对链接是否完整",
				 "This survey link is not valid; check that it is complete");
	util_sha256_hex(token, hash);
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT i.id, i.template_id, i.customer_id, COALESCE(i.agent_id, 0),"
		     " COALESCE(i.department_id, 0), COALESCE(i.case_id, 0), i.expires_at, i.case_type,"
		     " i.channel, i.tier, t.name, t.questions, COALESCE(k.number, ''), i.used_at, i.status"
		     " FROM survey_invitations i JOIN survey_templates t ON t.id = i.template_id"
		     " LEFT JOIN cases k ON k.id = i.case_id WHERE i.id = ? AND i.token_hash = ?",
		     DB_ARGS(DBI(id), DBT(hash)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	int used = 0, sent = 0;
	if (rc == DB_ROW) {
		v->id = db_col_int(st, 0);
		v->template_id = db_col_int(st, 1);
		v->customer_id = db_col_int(st, 2);
		v->agent_id = db_col_int(st, 3);
		v->department_id = db_col_int(st, 4);
		v->case_id = db_col_int(st, 5);
		v->expires_at = db_col_int(st, 6);
		v->case_type = arena_strdup(r->a, db_col_text(st, 7));
		v->channel = arena_strdup(r->a, db_col_text(st, 8));
		v->tier = arena_strdup(r->a, db_col_text(st, 9));
		v->tpl_name = arena_strdup(r->a, db_col_text(st, 10));
		v->questions = json_loads(db_col_text(st, 11), 0, NULL);
		v->case_number = arena_strdup(r->a, db_col_text(st, 12));
		used = !db_col_null(st, 13);
		sent = !strcmp(db_col_text(st, 14), "sent");
	}
	db_done(st);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW || !sent) {
		if (rc == DB_ROW)
			json_decref(v->questions);
		return http_fail(r, KF_ENOTFOUND, "token", "这个问卷链接无效，请核对链接是否完整",
				 "This survey link is not valid; check that it is complete");
	}
	if (used || v->expires_at <= util_now_ms()) {
		json_decref(v->questions);
		return used ? http_fail(r, KF_EGONE, "token", "这份问卷已经提交过了，感谢您的反馈",
					"This survey has been answered already; thank you")
			    : http_fail(r, KF_EGONE, "token", "这个问卷链接已过期",
					"This survey link has expired");
	}
	return 0;
}

/* The questions as the customer sees them (no internal keys beyond the
 * question's own). */
static json_t *survey_public(struct inv *v, json_t *extra)
{
	json_t *o = json_pack("{s:s, s:O}", "title", v->tpl_name, "questions", v->questions);
	if (extra)
		json_object_update(o, extra);
	return o;
}

/* GET /api/portal/surveys/{token} */
int portal_survey_get(http_req *r)
{
	struct inv v;
	memset(&v, 0, sizeof(v));
	int rc = inv_find(r, r->params[0], &v);
	if (rc < 0)
		return rc;
	json_t *extra = json_pack("{s:I, s:s}", "expires_at", (json_int_t)v.expires_at, "case_number",
				  v.case_number);
	json_t *o = survey_public(&v, extra);
	json_decref(extra);
	json_decref(v.questions);
	return http_json(r, 200, o);
}

/* Stores a response (and its answers; a low score opens a follow-up).
 * In the caller's transaction; *fu the visit opened, if any. */
static int response_insert(http_req *r, struct inv *v, int64_t source_id, const char *kind,
			   json_t *ans, int csat, int nps, int effort, const char *comment,
			   const char *contact_phone, int64_t now, int64_t *fu)
{
	db_stmt *st;
	*fu = 0;
	if (db_query(r->db,
		     "INSERT INTO survey_responses (invitation_id, source_id, template_id, customer_id,"
		     " kind, csat, nps, effort, agent_id, department_id, case_type, channel, tier,"
		     " comment, contact_phone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		     " COALESCE(CAST(? AS TEXT), (SELECT tier FROM customers WHERE id = ?), ''), ?, ?, ?)"
		     " RETURNING id",
		     DB_ARGS(v->id ? DBI(v->id) : DBNULL, source_id ? DBI(source_id) : DBNULL,
			     DBI(v->template_id), v->customer_id ? DBI(v->customer_id) : DBNULL,
			     DBT(kind), csat >= 0 ? DBI(csat) : DBNULL, nps >= 0 ? DBI(nps) : DBNULL,
			     effort >= 0 ? DBI(effort) : DBNULL, v->agent_id ? DBI(v->agent_id) : DBNULL,
			     v->department_id ? DBI(v->department_id) : DBNULL,
			     DBT(v->case_type ? v->case_type : ""), DBT(v->channel ? v->channel : ""),
			     DBT(v->tier && *v->tier ? v->tier : NULL), DBI(v->customer_id),
			     DBT(comment), DBT(contact_phone ? contact_phone : ""), DBI(now)),
		     &st) < 0)
		return -1;
	int64_t id = 0;
	int rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW || answers_store(r->db, id, v->questions, ans) < 0)
		return -1;
	if (v->customer_id && sat_is_low(csat, nps)) {
		const char *title =
			csat >= 1 && csat <= 2
				? arena_printf(r->a, "满意度低分回访（CSAT %d）", csat)
				: arena_printf(r->a, "推荐意愿低分回访（NPS %d）", nps);
		int64_t f = survey_followup(r->db, "low_score",
					    arena_printf(r->a, "survey:%lld", (long long)id),
					    v->customer_id, v->case_id, v->agent_id, title, now);
		if (f < 0)
			return -1;
		if (f && db_exec(r->db, "UPDATE survey_responses SET followup_id = ? WHERE id = ?",
				 DB_ARGS(DBI(f), DBI(id))) < 0)
			return -1;
		*fu = f;
		/* Other systems hear of it in the same transaction (app/webhook.h). */
		json_t *ev = json_pack("{s:I, s:I, s:o, s:o, s:o, s:o}", "response_id", (json_int_t)id,
				       "customer_id", (json_int_t)v->customer_id, "case_id",
				       v->case_id ? json_integer(v->case_id) : json_null(), "csat",
				       csat >= 1 ? json_integer(csat) : json_null(), "nps",
				       nps >= 0 ? json_integer(nps) : json_null(), "followup_id",
				       f ? json_integer(f) : json_null());
		int wrc = webhook_emit(r->db, "survey.low_score", ev);
		json_decref(ev);
		if (wrc < 0)
			return -1;
	}
	return 0;
}

/* POST /api/portal/surveys/{token} {answers: {key: value}}: once. */
int portal_survey_answer(http_req *r)
{
	struct inv v;
	struct portal_answers a;
	int rc;
	memset(&v, 0, sizeof(v));
	if ((rc = portal_survey_read(r)) < 0 || (rc = inv_find(r, r->params[0], &v)) < 0)
		return rc;
	if ((rc = portal_answers_check(r, v.questions, json_object_get(r->json, "answers"), &a)) < 0) {
		json_decref(v.questions);
		return rc;
	}
	int64_t now = util_now_ms(), fu = 0;
	if (db_begin(r->db) < 0) {
		json_decref(v.questions);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	/* the guarded UPDATE is the "once": of two submissions one wins */
	rc = db_exec(r->db,
		     "UPDATE survey_invitations SET used_at = ? WHERE id = ? AND used_at IS NULL"
		     " AND expires_at > ?",
		     DB_ARGS(DBI(now), DBI(v.id), DBI(now)));
	if (rc == 0) {
		db_rollback(r->db);
		json_decref(v.questions);
		return http_fail(r, KF_EGONE, "token", "这份问卷已经提交过了，感谢您的反馈",
				 "This survey has been answered already; thank you");
	}
	rc = rc < 0 ? -1
		    : response_insert(r, &v, 0, "survey", json_object_get(r->json, "answers"), a.csat,
				      a.nps, a.effort, a.comment, NULL, now, &fu);
	json_decref(v.questions);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_json(r, 201, json_pack("{s:b}", "received", 1));
}

/* ---------------------------------------------------------------- opinion cards */

static int card_find(http_req *r, const char *slug, int64_t *source_id, struct inv *v)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT s.id, s.name, t.id, t.questions FROM opinion_sources s JOIN"
		     " survey_templates t ON t.id = s.template_id WHERE s.slug = ? AND s.active = 1",
		     DB_ARGS(DBT(slug)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*source_id = db_col_int(st, 0);
		v->tpl_name = arena_strdup(r->a, db_col_text(st, 1));
		v->template_id = db_col_int(st, 2);
		v->questions = json_loads(db_col_text(st, 3), 0, NULL);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "slug", "没有这张意见卡",
					  "There is no such opinion card");
	return 0;
}

/* GET /api/portal/cards/{slug} */
int portal_card_get(http_req *r)
{
	struct inv v;
	int64_t sid;
	memset(&v, 0, sizeof(v));
	int rc = card_find(r, r->params[0], &sid, &v);
	if (rc < 0)
		return rc;
	json_t *o = survey_public(&v, NULL);
	json_decref(v.questions);
	return http_json(r, 200, o);
}

/* POST /api/portal/cards/{slug} {answers, phone?}: linked to the customer
 * with that phone when there is one. */
int portal_card_answer(http_req *r)
{
	struct inv v;
	int64_t sid, fu = 0;
	struct portal_answers a;
	char phone[32];
	memset(&v, 0, sizeof(v));
	int rc = portal_card_read(r, phone);
	if (rc < 0)
		return rc;
	if (rc == 1) /* looks accepted; nothing is stored */
		return http_json(r, 201, json_pack("{s:b}", "received", 1));
	if ((rc = card_find(r, r->params[0], &sid, &v)) < 0)
		return rc;
	if ((rc = portal_answers_check(r, v.questions, json_object_get(r->json, "answers"), &a)) < 0) {
		json_decref(v.questions);
		return rc;
	}
	json_t *s = portal_settings_load(r->db);
	int64_t now = util_now_ms(), lim = json_integer_value(json_object_get(s, "limit_per_ip"));
	json_decref(s);
	const char *ipkey = arena_printf(r->a, "card:%s", http_client_ip(r));
	if ((rc = over_limit(r, ipkey, lim * 3, now)) < 0) {
		json_decref(v.questions);
		return rc;
	}
	if (phone[0] && db_query_int(r->db,
				     "SELECT id FROM customers WHERE phone = ? AND archived_at IS NULL",
				     DB_ARGS(DBT(phone)), &v.customer_id) < 0)
		v.customer_id = 0;
	if (db_begin(r->db) < 0 || hit(r->db, ipkey, now) < 0 ||
	    response_insert(r, &v, sid, "card", json_object_get(r->json, "answers"), a.csat, a.nps,
			    a.effort, a.comment, v.customer_id ? "" : phone, now, &fu) < 0 ||
	    db_commit(r->db) < 0) {
		json_decref(v.questions);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	json_decref(v.questions);
	return http_json(r, 201, json_pack("{s:b}", "received", 1));
}
