/* fuzz_settings.c - the bodies of the configuration routes: the first byte
 * chooses the route, jansson parses the rest as the server does
 * (JSON_REJECT_DUPLICATES, an object), then the route's reader checks it
 * (sla_policy_read, segment_settings_apply, webhook_config_read,
 * mail_settings_read).  No database.
 *
 *   byte % 4 == 0   POST/PATCH /api/sla-policies (create when the second
 *                   byte is odd)                     (seeds start with 0-3)
 *               1   PATCH /api/segment-settings, over the defaults
 *               2   POST/PATCH /api/webhooks (create when the second byte
 *                   is odd)
 *               3   PUT /api/mail-settings
 *
 * Invariants: a refusal names a field and has a negative code; an accepted
 * SLA policy sets only its columns, with classified values in their
 * vocabularies (or cleared), targets from 0 to a year, a name not empty,
 * and on create the name and both targets; accepted segment settings pass
 * core's range check; an accepted webhook has an http(s) URL, a kind json,
 * wecom or dingtalk, events as a JSON array of known names (required on
 * create); accepted mail settings have only known keys, IMAP and SMTP URLs
 * of their schemes and a poll interval from 1 to 86400 seconds. */
#include "tests/fuzz/fuzz.h"

#include "app/case.h"
#include "app/mail.h"
#include "app/segment.h"
#include "app/webhook.h"
#include "core/case_rules.h"
#include "core/classes.h"
#include "core/segment.h"
#include "core/validate.h"
#include "core/webhook_fmt.h"
#include "lib/util.h"

static void check_refusal(const http_req *r, int rc)
{
	FUZZ_CHECK(rc < 0 && r->err.code == rc, "code %d, error %d", rc, r->err.code);
	FUZZ_CHECK(r->err.field, "refusal names no field: %s", r->err.en);
	FUZZ_CHECK(fuzz_utf8_str(r->err.zh) && fuzz_utf8_str(r->err.en), "message is not UTF-8");
}

static void sla(http_req *r, int creating)
{
	struct case_upd u;
	case_upd_init(&u);
	int rc = sla_policy_read(r, creating, &u);
	if (rc < 0) {
		check_refusal(r, rc);
		case_upd_release(&u);
		return;
	}
	static const struct {
		const char *key, *set;
		int core;
	} cls[] = {{"case_type", "case_type", 0}, {"priority", "priority", 0},
		   {"value_class", "value_class", 1}, {"tier", "tier", 1}};
	const char *k;
	json_t *v;
	json_object_foreach(u.changes, k, v)
	{
		kf_err e;
		kf_err_clear(&e);
		int known = 0;
		for (size_t i = 0; i < 4; i++)
			if (!strcmp(k, cls[i].key)) {
				known = 1;
				FUZZ_CHECK(json_is_null(v) ||
						   (cls[i].core ? class_check(cls[i].set, k, json_string_value(v), &e)
								: case_class_check(cls[i].set, k,
										   json_string_value(v), &e)) == 0,
					   "%s = %s", k, json_string_value(v));
			}
		if (!strcmp(k, "name")) {
			known = 1;
			FUZZ_CHECK(json_is_string(v) && *json_string_value(v), "empty name");
		} else if (!strcmp(k, "first_response_min") || !strcmp(k, "resolution_min")) {
			known = 1;
			FUZZ_CHECK(json_is_integer(v) && json_integer_value(v) >= 0 &&
					   json_integer_value(v) <= 60 * 24 * 365,
				   "%s = %lld", k, (long long)json_integer_value(v));
		} else if (!strcmp(k, "active")) {
			known = 1;
			FUZZ_CHECK(json_integer_value(v) == 0 || json_integer_value(v) == 1, "active");
		}
		FUZZ_CHECK(known, "column %s", k);
	}
	if (creating)
		FUZZ_CHECK(json_object_get(u.changes, "name") &&
				   json_object_get(u.changes, "first_response_min") &&
				   json_object_get(u.changes, "resolution_min"),
			   "missing on create");
	case_upd_release(&u);
}

static void segment(http_req *r)
{
	struct seg_settings s;
	seg_settings_default(&s);
	kf_err e;
	kf_err_clear(&e);
	int rc = segment_settings_apply(r->json, &s, &e);
	if (rc < 0) {
		FUZZ_CHECK(e.code == rc && e.field, "refusal names no field: %s", e.en);
		FUZZ_CHECK(fuzz_utf8_str(e.zh) && fuzz_utf8_str(e.en), "message is not UTF-8");
		return;
	}
	kf_err_clear(&e);
	FUZZ_CHECK(seg_settings_check(&s, &e) == 0, "accepted settings fail the check: %s", e.en);
}

static void webhook(http_req *r, int creating)
{
	const char *name = NULL, *url = NULL, *kind = NULL, *secret = NULL;
	char *events = NULL;
	int64_t active;
	int rc = webhook_config_read(r, creating, &name, &url, &kind, &secret, &events, &active);
	if (rc < 0) {
		check_refusal(r, rc);
		FUZZ_CHECK(!events, "events leak on a refusal");
		return;
	}
	if (creating)
		FUZZ_CHECK(name && *name && url && *url && kind && *kind && events, "missing on create");
	FUZZ_CHECK(!url || !*url || !strncmp(url, "http://", 7) || !strncmp(url, "https://", 8),
		   "url %s", url);
	FUZZ_CHECK(!kind || !*kind || !strcmp(kind, "json") || !strcmp(kind, "wecom") ||
			   !strcmp(kind, "dingtalk"),
		   "kind %s", kind);
	FUZZ_CHECK(active >= -1 && active <= 1, "active %lld", (long long)active);
	if (events) {
		json_t *l = json_loads(events, 0, NULL);
		size_t i;
		json_t *x;
		FUZZ_CHECK(json_is_array(l) && json_array_size(l) <= 20, "events %s", events);
		json_array_foreach(l, i, x)
		FUZZ_CHECK(json_is_string(x) && (!strcmp(json_string_value(x), "*") ||
						 webhook_event_find(json_string_value(x))),
			   "event %zu", i);
		json_decref(l);
		free(events);
	}
}

static void mail(http_req *r)
{
	static const char *const known[] = {"imap_url",     "imap_user",    "imap_password", "smtp_url",
					    "smtp_user",    "smtp_password", "from_address", "from_name",
					    "poll_seconds", "actor",         NULL};
	int rc = mail_settings_read(r);
	if (rc < 0)
		return check_refusal(r, rc);
	const char *k;
	json_t *v;
	json_object_foreach(r->json, k, v)
	{
		int ok = 0;
		for (const char *const *p = known; *p; p++)
			ok |= !strcmp(*p, k);
		FUZZ_CHECK(ok, "key %s", k);
		FUZZ_CHECK(json_is_string(v) || json_is_null(v), "%s is neither text nor null", k);
		const char *s = json_string_value(v);
		if (!s || !*s)
			continue;
		FUZZ_CHECK(fuzz_utf8_str(s) && strlen(s) == json_string_length(v), "%s", k);
		if (!strcmp(k, "imap_url"))
			FUZZ_CHECK(!strncmp(s, "imap://", 7) || !strncmp(s, "imaps://", 8), "imap_url %s", s);
		if (!strcmp(k, "smtp_url"))
			FUZZ_CHECK(!strncmp(s, "smtp://", 7) || !strncmp(s, "smtps://", 8), "smtp_url %s", s);
		int64_t n;
		if (!strcmp(k, "poll_seconds"))
			FUZZ_CHECK(util_parse_i64(s, &n) == 0 && n >= 1 && n <= 86400, "poll_seconds %s", s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	unsigned route = data[0] % 4, b = data[1];
	json_error_t je;
	json_t *in = json_loadb((const char *)data + 2, size - 2, JSON_REJECT_DUPLICATES, &je);
	if (!in)
		return 0;
	if (!json_is_object(in)) {
		json_decref(in);
		return 0;
	}
	arena *a = arena_new();
	http_req r;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.user.id = 1;
	r.user.role = ROLE_ADMIN;
	r.json = in;
	switch (route) {
	case 0: sla(&r, (int)(b & 1)); break;
	case 1: segment(&r); break;
	case 2: webhook(&r, (int)(b & 1)); break;
	default: mail(&r); break;
	}
	arena_free(a);
	json_decref(in);
	return 0;
}
