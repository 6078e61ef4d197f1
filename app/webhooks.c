/* webhooks.c - the webhooks resource (admins), the outbox (webhook.h)
 * and its delivery over HTTP with libcurl.
 *
 *   GET    /api/webhooks                 list (secrets never shown)
 *   GET    /api/webhooks/events          the events one can subscribe to
 *   POST   /api/webhooks                 create {name, url, kind, secret?, events, active?}
 *   PATCH  /api/webhooks/{id}            change any of those
 *   DELETE /api/webhooks/{id}            delete (pending deliveries are dropped)
 *   POST   /api/webhooks/{id}/test       queue a "ping" to it
 *   GET    /api/webhooks/{id}/deliveries the latest deliveries and their outcome
 *
 * A generic (json) webhook without a secret gets a random one, shown once
 * in the answer to the create. */
#include "app/webhook.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/validate.h"
#include "core/webhook_fmt.h"
#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

enum { LEASE_MS = 60 * 1000, TIMEOUT_S = 10 };

/* ---------------------------------------------------------------- emit */

/* The active webhooks listening to event (by name or "*"), up to 100. */
static int listeners(db *d, const char *event, int64_t *ids, int *n)
{
	db_stmt *st;
	*n = 0;
	if (db_query(d, "SELECT id, events FROM webhooks WHERE active = 1 ORDER BY id LIMIT 100",
		     DB_ARGS(), &st) < 0)
		return -1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *evs = json_loads(db_col_text(st, 1), 0, NULL);
		size_t i;
		json_t *e;
		int hit = 0;
		json_array_foreach(evs, i, e) hit |= json_is_string(e) &&
						     (!strcmp(json_string_value(e), event) ||
						      !strcmp(json_string_value(e), "*"));
		json_decref(evs);
		if (hit)
			ids[(*n)++] = db_col_int(st, 0);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int queue(db *d, const int64_t *ids, int n, const char *event, json_t *payload)
{
	char *body = json_dumps(payload, JSON_COMPACT);
	int64_t now = util_now_ms();
	int rc = 0;
	for (int i = 0; i < n && rc >= 0; i++)
		rc = db_exec(d,
			     "INSERT INTO webhook_outbox (webhook_id, event, payload, next_at, created_at)"
			     " VALUES (?, ?, ?, ?, ?)",
			     DB_ARGS(DBI(ids[i]), DBT(event), DBT(body ? body : "{}"), DBI(now), DBI(now)));
	free(body);
	return rc < 0 ? -1 : n;
}

int webhook_emit(db *d, const char *event, json_t *payload)
{
	int64_t ids[100];
	int n;
	if (listeners(d, event, ids, &n) < 0)
		return -1;
	return queue(d, ids, n, event, payload);
}

int webhook_emit_case(db *d, const char *event, int64_t case_id, json_t *extra)
{
	int64_t ids[100];
	int n;
	if (listeners(d, event, ids, &n) < 0)
		return -1;
	if (!n)
		return 0; /* nobody listens: the payload is not even read */
	json_t *p = webhook_case_payload(d, case_id);
	if (!p)
		return -1;
	if (extra)
		json_object_update(p, extra);
	int rc = queue(d, ids, n, event, p);
	json_decref(p);
	return rc;
}

json_t *webhook_case_payload(db *d, int64_t case_id)
{
	db_stmt *st;
	if (db_query(d,
		     "SELECT c.id, c.number, c.type, c.priority, c.channel, c.subject, c.key_account,"
		     " c.customer_id, cu.name, c.assignee_id, c.created_at, c.state FROM cases c"
		     " JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?",
		     DB_ARGS(DBI(case_id)), &st) < 0)
		return NULL;
	json_t *p = NULL;
	if (db_step(st) == DB_ROW)
		p = json_pack("{s:{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:{s:I, s:s}, s:o, s:I, s:s}}",
			      "case", "id", (json_int_t)db_col_int(st, 0), "number", db_col_text(st, 1),
			      "type", db_col_text(st, 2), "priority", db_col_text(st, 3), "channel",
			      db_col_text(st, 4), "subject", db_col_text(st, 5), "key_account",
			      (int)db_col_int(st, 6), "customer", "id", (json_int_t)db_col_int(st, 7),
			      "name", db_col_text(st, 8), "assignee_id",
			      db_col_null(st, 9) ? json_null() : json_integer(db_col_int(st, 9)),
			      "created_at", (json_int_t)db_col_int(st, 10), "state", db_col_text(st, 11));
	db_done(st);
	return p;
}

/* ---------------------------------------------------------------- deliver */

struct claimed {
	int64_t id, hook, attempts, created_at;
	char *event, *payload, *url, *kind, *secret;
};

static int claim(db *d, const char *holder, int64_t now, int limit, struct claimed *out, int *n)
{
	/* One statement: claim due rows whose lease is free.  PostgreSQL skips
	 * rows another instance is claiming right now. */
	const char *sql =
		d->kind == DB_PG
			? "UPDATE webhook_outbox SET lease_until = ?, leased_by = ? WHERE id IN (SELECT id FROM"
			  " webhook_outbox WHERE status = 'pending' AND next_at <= ? AND lease_until < ?"
			  " ORDER BY next_at, id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING id"
			: "UPDATE webhook_outbox SET lease_until = ?, leased_by = ? WHERE id IN (SELECT id FROM"
			  " webhook_outbox WHERE status = 'pending' AND next_at <= ? AND lease_until < ?"
			  " ORDER BY next_at, id LIMIT ?) RETURNING id";
	db_stmt *st;
	*n = 0;
	if (db_query(d, sql, DB_ARGS(DBI(now + LEASE_MS), DBT(holder), DBI(now), DBI(now), DBI(limit)),
		     &st) < 0)
		return -1;
	int64_t ids[64];
	int k = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && k < 64)
		ids[k++] = db_col_int(st, 0);
	db_done(st);
	if (rc < 0)
		return -1;
	for (int i = 0; i < k; i++) {
		if (db_query(d,
			     "SELECT o.id, o.webhook_id, o.attempts, o.created_at, o.event, o.payload,"
			     " w.url, w.kind, w.secret FROM webhook_outbox o JOIN webhooks w ON"
			     " w.id = o.webhook_id WHERE o.id = ?",
			     DB_ARGS(DBI(ids[i])), &st) < 0)
			return -1;
		if (db_step(st) == DB_ROW) {
			struct claimed *c = &out[(*n)++];
			c->id = db_col_int(st, 0);
			c->hook = db_col_int(st, 1);
			c->attempts = db_col_int(st, 2);
			c->created_at = db_col_int(st, 3);
			c->event = strdup(db_col_text(st, 4));
			c->payload = strdup(db_col_text(st, 5));
			c->url = strdup(db_col_text(st, 6));
			c->kind = strdup(db_col_text(st, 7));
			c->secret = strdup(db_col_text(st, 8));
		}
		db_done(st);
	}
	return 0;
}

static size_t keep_body(char *p, size_t size, size_t n, void *ud)
{
	buf *b = ud;
	buf_append(b, p, size * n); /* a full buffer just stops keeping */
	return size * n;
}

static void summary_of(json_t *data, struct webhook_summary *s)
{
	json_t *c = json_object_get(data, "case");
	memset(s, 0, sizeof(*s));
	s->number = json_string_value(json_object_get(c, "number"));
	s->subject = json_string_value(json_object_get(c ? c : data, "subject"));
	s->customer = json_string_value(json_object_get(json_object_get(c, "customer"), "name"));
	s->priority = json_string_value(json_object_get(c, "priority"));
	s->key_account = json_is_true(json_object_get(c, "key_account"));
	s->text = json_string_value(json_object_get(data, "text"));
	s->from = json_string_value(json_object_get(data, "from"));
}

/* One HTTP attempt; fills *status and err.  0 if the receiver took it. */
static int post(const struct claimed *c, long *status, char *err, size_t errlen)
{
	json_t *data = json_loads(c->payload, 0, NULL);
	struct webhook_summary sm;
	summary_of(data, &sm);
	buf body, resp;
	buf_init(&body, 1 << 20);
	buf_init(&resp, 4096);
	int rc = webhook_body(&body, c->kind, c->id, c->event, c->created_at, c->payload, &sm);
	json_decref(data);
	if (rc < 0) {
		snprintf(err, errlen, "cannot build the body");
		buf_release(&body);
		buf_release(&resp);
		return -1;
	}
	int64_t ts = util_now_ms();
	char url[2048], h1[128], h2[64], h3[64], h4[96];
	snprintf(url, sizeof(url), "%s", c->url);
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
	if (!strcmp(c->kind, "json")) {
		char sig[72];
		webhook_sign(c->secret, ts, body.data, sig);
		snprintf(h1, sizeof(h1), "X-Kefu-Signature: %s", sig);
		snprintf(h2, sizeof(h2), "X-Kefu-Timestamp: %lld", (long long)ts);
		snprintf(h3, sizeof(h3), "X-Kefu-Delivery: %lld", (long long)c->id);
		snprintf(h4, sizeof(h4), "X-Kefu-Event: %s", c->event);
		hdr = curl_slist_append(hdr, h1);
		hdr = curl_slist_append(hdr, h2);
		hdr = curl_slist_append(hdr, h3);
		hdr = curl_slist_append(hdr, h4);
	} else if (!strcmp(c->kind, "dingtalk") && *c->secret) {
		char sign[128];
		webhook_dingtalk_sign(c->secret, ts, sign, sizeof(sign));
		snprintf(url, sizeof(url), "%s%stimestamp=%lld&sign=%s", c->url,
			 strchr(c->url, '?') ? "&" : "?", (long long)ts, sign);
	}
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)body.len);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "kefu-webhook/1");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp);
	CURLcode cc = curl_easy_perform(h);
	*status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	rc = 0;
	if (cc != CURLE_OK) {
		snprintf(err, errlen, "%s", curl_easy_strerror(cc));
		rc = -1;
	} else if (*status < 200 || *status > 299) {
		snprintf(err, errlen, "HTTP %ld: %.200s", *status, resp.data ? resp.data : "");
		rc = -1;
	} else if (strcmp(c->kind, "json")) {
		/* The robots answer 200 with {"errcode": N}: 0 is success. */
		json_t *j = resp.data ? json_loads(resp.data, 0, NULL) : NULL;
		json_t *ec = json_object_get(j, "errcode");
		if (json_is_integer(ec) && json_integer_value(ec) != 0) {
			snprintf(err, errlen, "errcode %lld: %.200s", (long long)json_integer_value(ec),
				 json_is_string(json_object_get(j, "errmsg"))
					 ? json_string_value(json_object_get(j, "errmsg"))
					 : "");
			rc = -1;
		}
		json_decref(j);
	}
	buf_release(&body);
	buf_release(&resp);
	return rc;
}

static int64_t backoff_ms(int64_t attempts)
{
	int64_t base = 30 * 1000, v;
	const char *env = getenv("KEFU_WEBHOOK_BACKOFF_MS"); /* tests make it short */
	if (env && util_parse_i64(env, &v) == 0 && v > 0)
		base = v;
	int64_t d = base << (attempts > 10 ? 10 : attempts - 1);
	return d > 3600 * 1000 ? 3600 * 1000 : d;
}

int webhook_deliver_due(db *d, const char *holder, int64_t now, int limit)
{
	struct claimed c[64];
	int n = 0;
	if (limit > 64)
		limit = 64;
	if (claim(d, holder, now, limit, c, &n) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		long status = 0;
		char err[300] = "";
		int ok = post(&c[i], &status, err, sizeof(err)) == 0;
		int64_t attempts = c[i].attempts + 1, t = util_now_ms();
		if (ok)
			db_exec(d,
				"UPDATE webhook_outbox SET status = 'done', attempts = ?, last_status = ?,"
				" last_error = '', delivered_at = ?, lease_until = 0 WHERE id = ? AND leased_by = ?",
				DB_ARGS(DBI(attempts), DBI(status), DBI(t), DBI(c[i].id), DBT(holder)));
		else
			db_exec(d,
				"UPDATE webhook_outbox SET status = ?, attempts = ?, last_status = ?,"
				" last_error = ?, next_at = ?, lease_until = 0 WHERE id = ? AND leased_by = ?",
				DB_ARGS(DBT(attempts >= WEBHOOK_MAX_ATTEMPTS ? "dead" : "pending"),
					DBI(attempts), status ? DBI(status) : DBNULL, DBT(err),
					DBI(t + backoff_ms(attempts)), DBI(c[i].id), DBT(holder)));
		if (!ok)
			log_warn("webhook %lld delivery %lld (%s) attempt %lld failed: %s",
				 (long long)c[i].hook, (long long)c[i].id, c[i].event, (long long)attempts, err);
		free(c[i].event);
		free(c[i].payload);
		free(c[i].url);
		free(c[i].kind);
		free(c[i].secret);
	}
	return n;
}

/* ---------------------------------------------------------------- resource */

static const char *const hook_keys[] = {"name", "url", "kind", "secret", "events", "active", NULL};

static json_t *hook_json(db_stmt *st)
{
	json_t *evs = json_loads(db_col_text(st, 4), 0, NULL);
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:b, s:I, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "url",
			 db_col_text(st, 2), "kind", db_col_text(st, 3), "events", evs ? evs : json_array(),
			 "active", (int)db_col_int(st, 5), "has_secret", *db_col_text(st, 6) != '\0',
			 "created_at", (json_int_t)db_col_int(st, 7), "updated_at",
			 (json_int_t)db_col_int(st, 8));
}

#define HOOK_COLS "id, name, url, kind, events, active, secret, created_at, updated_at"

static int respond_hook(http_req *r, int64_t id, int status, const char *secret_once)
{
	db_stmt *st;
	if (db_query(r->db, "SELECT " HOOK_COLS " FROM webhooks WHERE id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *j = db_step(st) == DB_ROW ? hook_json(st) : NULL;
	db_done(st);
	if (!j)
		return http_fail(r, KF_ENOTFOUND, "id", "Webhook %lld 不存在", "Webhook %lld does not exist",
				 (long long)id);
	if (secret_once)
		json_object_set_new(j, "secret", json_string(secret_once));
	return http_json(r, status, j);
}

int webhook_config_read(http_req *r, int creating, const char **name, const char **url,
			const char **kind, const char **secret, char **events, int64_t *active)
{
	int rc, present;
	*events = NULL;
	*active = -1;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "url", "缺少必填字段 url", "The field url is required");
	if ((rc = in_only_keys(r, r->json, hook_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name", 100, creating, name, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "url", 1000, creating, url, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "kind", 16, creating, kind, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "secret", 200, 0, secret, NULL)) < 0)
		return rc;
	int act;
	if ((rc = in_bool(r, r->json, "active", &act, &present)) < 0)
		return rc;
	if (present)
		*active = act;
	if (*url && **url && strncmp(*url, "http://", 7) && strncmp(*url, "https://", 8))
		return http_fail(r, KF_EINVAL, "url", "地址须以 http:// 或 https:// 开头",
				 "The URL must start with http:// or https://");
	if (*kind && **kind && strcmp(*kind, "json") && strcmp(*kind, "wecom") && strcmp(*kind, "dingtalk"))
		return http_fail(r, KF_EINVAL, "kind", "kind 只能是 json、wecom（企业微信）或 dingtalk（钉钉）",
				 "kind must be json, wecom or dingtalk");
	json_t *ev = json_object_get(r->json, "events");
	if (ev) {
		if (!json_is_array(ev) || json_array_size(ev) > 20)
			return http_fail(r, KF_EINVAL, "events", "events 必须是事件名的数组",
					 "events must be an array of event names");
		size_t i;
		json_t *e;
		json_array_foreach(ev, i, e)
		{
			if (!json_is_string(e) || (strcmp(json_string_value(e), "*") &&
						   !webhook_event_find(json_string_value(e))))
				return http_fail(r, KF_EINVAL, arena_printf(r->a, "events[%zu]", i),
						 "未知事件（见 GET /api/webhooks/events）",
						 "Unknown event (see GET /api/webhooks/events)");
		}
		*events = json_dumps(ev, JSON_COMPACT);
	} else if (creating) {
		return http_fail(r, KF_EINVAL, "events", "请至少选择一个事件", "Choose at least one event");
	}
	return 0;
}

int webhooks_events(http_req *r)
{
	json_t *items = json_array();
	for (const struct webhook_event *e = webhook_events; e->name; e++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s}", "name", e->name, "zh", e->zh,
						       "en", e->en));
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

int webhooks_list(http_req *r)
{
	db_stmt *st;
	if (db_query(r->db, "SELECT " HOOK_COLS " FROM webhooks ORDER BY id LIMIT 200", DB_ARGS(), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(items, hook_json(st));
	db_done(st);
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

int webhooks_create(http_req *r)
{
	const char *name, *url, *kind, *secret;
	char *events;
	int64_t active;
	int rc = webhook_config_read(r, 1, &name, &url, &kind, &secret, &events, &active);
	if (rc < 0)
		return rc;
	char gen[65];
	const char *shown = NULL;
	if (!strcmp(kind, "json") && (!secret || !*secret)) { /* generic hooks are always signed */
		util_random_hex(gen, 32);
		secret = shown = gen;
	}
	int64_t now = util_now_ms(), id = 0;
	db_stmt *st;
	rc = db_query(r->db,
		      "INSERT INTO webhooks (name, url, kind, secret, events, active, created_by,"
		      " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		      DB_ARGS(DBT(name), DBT(url), DBT(kind), DBT(secret ? secret : ""), DBT(events),
			      DBI(active < 0 ? 1 : active), DBI(r->user.id), DBI(now), DBI(now)),
		      &st);
	if (rc < 0) {
		free(events);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	if (db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	free(events); /* bound to the statement until it ran */
	if (!id)
		return app_db_fail(r, DB_EFAIL, NULL);
	return respond_hook(r, id, 201, shown);
}

int webhooks_patch(http_req *r)
{
	int64_t id, active;
	int rc;
	const char *name, *url, *kind, *secret;
	char *events;
	if ((rc = http_param_id(r, 0, &id)) < 0 ||
	    (rc = webhook_config_read(r, 0, &name, &url, &kind, &secret, &events, &active)) < 0)
		return rc;
	rc = db_exec(r->db,
		     "UPDATE webhooks SET name = COALESCE(CAST(? AS TEXT), name), url = COALESCE(CAST(? AS TEXT), url),"
		     " kind = COALESCE(CAST(? AS TEXT), kind), secret = COALESCE(CAST(? AS TEXT), secret),"
		     " events = COALESCE(CAST(? AS TEXT), events),"
		     " active = CASE WHEN CAST(? AS BIGINT) < 0 THEN active ELSE CAST(? AS BIGINT) END,"
		     " updated_at = ? WHERE id = ?",
		     DB_ARGS(DBT(name), DBT(url), DBT(kind), DBT(secret), DBT(events), DBI(active),
			     DBI(active), DBI(util_now_ms()), DBI(id)));
	free(events);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	return respond_hook(r, id, 200, NULL);
}

int webhooks_delete(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_exec(r->db, "DELETE FROM webhook_outbox WHERE webhook_id = ? AND status = 'pending'",
		     DB_ARGS(DBI(id)));
	int n = rc < 0 ? rc : db_exec(r->db, "DELETE FROM webhooks WHERE id = ?", DB_ARGS(DBI(id)));
	if (n < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (n == 0)
		return http_fail(r, KF_ENOTFOUND, "id", "Webhook %lld 不存在", "Webhook %lld does not exist",
				 (long long)id);
	return http_no_content(r);
}

int webhooks_test(http_req *r)
{
	int64_t id, one;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if ((rc = db_query_int(r->db, "SELECT 1 FROM webhooks WHERE id = ?", DB_ARGS(DBI(id)), &one)) != DB_ROW)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "Webhook %lld 不存在",
					  "Webhook %lld does not exist", (long long)id);
	int64_t now = util_now_ms(), oid = 0;
	json_t *p = json_pack("{s:s, s:s}", "text", "这是一条来自 kefu 的测试消息", "by", r->user.username);
	char *body = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	db_stmt *st;
	rc = db_query(r->db,
		      "INSERT INTO webhook_outbox (webhook_id, event, payload, next_at, created_at)"
		      " VALUES (?, 'ping', ?, ?, ?) RETURNING id",
		      DB_ARGS(DBI(id), DBT(body), DBI(now), DBI(now)), &st);
	if (rc == 0 && db_step(st) == DB_ROW)
		oid = db_col_int(st, 0);
	if (rc == 0)
		db_done(st);
	free(body); /* bound to the statement until it ran */
	if (rc < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_json(r, 202, json_pack("{s:I}", "delivery_id", (json_int_t)oid));
}

int webhooks_deliveries(http_req *r)
{
	int64_t id, limit;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 ||
	    (rc = in_query_int(r, "limit", 1, 200, 50, &limit)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT id, event, status, attempts, next_at, last_status, last_error, created_at,"
		     " delivered_at, payload FROM webhook_outbox WHERE webhook_id = ? ORDER BY id DESC LIMIT ?",
		     DB_ARGS(DBI(id), DBI(limit)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW) {
		json_t *payload = json_loads(db_col_text(st, 9), 0, NULL);
		json_array_append_new(
			items,
			json_pack("{s:I, s:s, s:s, s:I, s:o, s:o, s:s, s:I, s:o, s:o}", "id",
				  (json_int_t)db_col_int(st, 0), "event", db_col_text(st, 1), "status",
				  db_col_text(st, 2), "attempts", (json_int_t)db_col_int(st, 3), "next_at",
				  strcmp(db_col_text(st, 2), "pending") ? json_null() : json_integer(db_col_int(st, 4)),
				  "last_status", db_col_null(st, 5) ? json_null() : json_integer(db_col_int(st, 5)),
				  "last_error", db_col_text(st, 6), "created_at", (json_int_t)db_col_int(st, 7),
				  "delivered_at", db_col_null(st, 8) ? json_null() : json_integer(db_col_int(st, 8)),
				  "payload", payload ? payload : json_object()));
	}
	db_done(st);
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}
