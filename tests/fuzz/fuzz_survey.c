/* fuzz_survey.c - the bodies of the survey rules, invitations made by
 * hand, opinion sources and survey campaigns: the first byte chooses the
 * route, jansson parses the rest as the server does
 * (JSON_REJECT_DUPLICATES, an object), then app/survey_input.c or
 * app/survey_campaigns.c reads it.  No database.
 *
 *   byte % 4 == 0   PATCH /api/survey-rules/{rule}        (seeds: 0)
 *               1   POST /api/survey-invitations
 *               2   POST /api/opinion-sources (byte / 4 even) or PATCH
 *                   /api/opinion-sources/{id} (odd)
 *               3   POST /api/survey-campaigns (byte / 4 even) or PATCH
 *                   /api/survey-campaigns/{id} (odd)
 *
 * Invariants: a refusal names a field and has a negative code; a rule's
 * days are within their ranges or left as they are (-1) exactly when the
 * body does not give them (absent or null); an invitation expires after
 * now and within 90 days: at the body's expires_at, else after its
 * expires_days, else after 14 days; a source's slug is 2 to 40 lower-case
 * letters, digits or '-' and only on create, its name not empty; a
 * campaign's name is not empty, its period and state in their vocabulary,
 * its expiry 1 to 90 days, and its filter, when given, the body's (an
 * object of known keys: an owner id, or non-empty strings of at most 100
 * bytes, the class ones of their class); texts are the body's, valid UTF-8
 * within their limits.
 *
 * Not reached without a database: the template, customer and case named,
 * a slug already taken, and the customers a filter selects. */
#include "tests/fuzz/fuzz.h"

#include "app/survey.h"
#include "core/classes.h"
#include "core/validate.h"

static const int64_t NOW = 1764000000000LL;

static void check_refusal(const http_req *r, int rc)
{
	FUZZ_CHECK(rc < 0 && r->err.code == rc, "code %d, error %d", rc, r->err.code);
	FUZZ_CHECK(r->err.field, "refusal names no field: %s", r->err.en);
	FUZZ_CHECK(fuzz_utf8_str(r->err.zh) && fuzz_utf8_str(r->err.en), "message is not UTF-8");
}

/* s is the body's string for key (or NULL), valid UTF-8 of 1 to max
 * characters. */
static void check_text(json_t *o, const char *key, const char *s, size_t max)
{
	if (!s)
		return;
	size_t n;
	FUZZ_CHECK(s == json_string_value(json_object_get(o, key)), "%s is not the body's", key);
	FUZZ_CHECK(fuzz_utf8_str(s) && valid_utf8_len(s, max, &n) && n >= 1,
		   "%s: empty or more than %zu", key, max);
}

static int given(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return v && !json_is_null(v);
}

static void check_id(json_t *o, const char *key, int64_t v)
{
	if (!given(o, key)) {
		FUZZ_CHECK(v == 0, "%s = %lld without one in the body", key, (long long)v);
		return;
	}
	FUZZ_CHECK(v > 0 && v == json_integer_value(json_object_get(o, key)), "%s = %lld", key,
		   (long long)v);
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* A rule's days: -1 iff the body does not give them, else within range. */
static void check_days(json_t *o, const char *key, int64_t v, int64_t min, int64_t max)
{
	if (!given(o, key)) {
		FUZZ_CHECK(v == -1, "%s = %lld without one in the body", key, (long long)v);
		return;
	}
	FUZZ_CHECK(v >= min && v <= max && v == json_integer_value(json_object_get(o, key)),
		   "%s = %lld", key, (long long)v);
}

static void rule(http_req *r)
{
	struct survey_rule_input in;
	int rc = survey_rule_input_read(r, &in);
	if (rc < 0)
		return check_refusal(r, rc);
	json_t *o = r->json;
	check_days(o, "min_days", in.min_days, 0, 365);
	check_days(o, "expires_days", in.expires_days, 1, 90);
	FUZZ_CHECK(in.has_template == (json_object_get(o, "template_id") != NULL), "has_template");
	check_id(o, "template_id", in.template_id);
	FUZZ_CHECK(in.has_enabled == (json_object_get(o, "enabled") != NULL), "has_enabled");
	FUZZ_CHECK(!in.has_enabled || in.enabled == json_is_true(json_object_get(o, "enabled")),
		   "enabled");
}

static void invitation(http_req *r)
{
	struct survey_invitation_input in;
	int rc = survey_invitation_input_read(r, NOW, &in);
	if (rc < 0)
		return check_refusal(r, rc);
	json_t *o = r->json;
	FUZZ_CHECK(given(o, "customer_id"), "no customer");
	check_id(o, "customer_id", in.customer_id);
	check_id(o, "template_id", in.template_id);
	check_id(o, "case_id", in.case_id);
	const int64_t day = 86400000LL;
	FUZZ_CHECK(in.expires_at > NOW && in.expires_at <= NOW + 90 * day, "expires_at %lld",
		   (long long)in.expires_at);
	int64_t want = given(o, "expires_at")     ? json_integer_value(json_object_get(o, "expires_at"))
		       : given(o, "expires_days") ? NOW + json_integer_value(json_object_get(o, "expires_days")) * day
						  : NOW + 14 * day;
	FUZZ_CHECK(in.expires_at == want, "expires_at %lld, not %lld", (long long)in.expires_at,
		   (long long)want);
}

static void source(http_req *r, int creating)
{
	struct opinion_source_input in;
	int rc = opinion_source_input_read(r, creating, &in);
	if (rc < 0)
		return check_refusal(r, rc);
	json_t *o = r->json;
	check_text(o, "slug", in.slug, 40);
	check_text(o, "name", in.name, 100);
	check_id(o, "template_id", in.template_id);
	if (creating) {
		FUZZ_CHECK(in.slug && in.name && in.template_id, "a source without slug, name or template");
		size_t n = strlen(in.slug);
		FUZZ_CHECK(n >= 2 && n <= 40 && strspn(in.slug, "abcdefghijklmnopqrstuvwxyz0123456789-") == n,
			   "slug %s", in.slug);
	} else {
		FUZZ_CHECK(!in.slug && !json_object_get(o, "slug"), "a slug on a change");
	}
}

static const char *const filter_keys[] = {"kind",  "source",     "lifecycle", "chain_role",
					  "value_class", "tier", "industry",  "tag",
					  "owner_id", NULL};
static const char *const class_keys[] = {"kind", "source", "lifecycle", "chain_role",
					 "value_class", "tier", NULL};

static void campaign(http_req *r, int creating)
{
	struct survey_campaign_input in;
	int rc = survey_campaign_input_read(r, creating, &in);
	if (rc < 0) {
		FUZZ_CHECK(!in.filter, "a filter kept with a refusal");
		return check_refusal(r, rc);
	}
	json_t *o = r->json;
	check_text(o, "name", in.name, 100);
	check_id(o, "template_id", in.template_id);
	FUZZ_CHECK(!creating || (in.name && in.template_id), "a campaign without name or template");
	static const char *const periods[] = {"once", "monthly", "quarterly", "yearly", NULL};
	static const char *const states[] = {"draft", "active", "stopped", NULL};
	FUZZ_CHECK(!in.period || in_list(in.period, periods), "period %s", in.period);
	FUZZ_CHECK(!in.state || in_list(in.state, states), "state %s", in.state);
	FUZZ_CHECK(in.expires_days == 0 || (in.expires_days >= 1 && in.expires_days <= 90),
		   "expires_days %lld", (long long)in.expires_days);
	json_t *f = json_object_get(o, "filter");
	FUZZ_CHECK(!f == !in.filter, "filter given %d, kept %d", !!f, !!in.filter);
	if (in.filter) {
		json_error_t je;
		json_t *back = json_loads(in.filter, JSON_REJECT_DUPLICATES, &je);
		FUZZ_CHECK(back && json_is_object(back), "filter text %s", in.filter);
		FUZZ_CHECK(json_is_null(f) ? json_object_size(back) == 0 : json_equal(back, f),
			   "filter %s is not the body's", in.filter);
		const char *k;
		json_t *v;
		json_object_foreach(back, k, v)
		{
			FUZZ_CHECK(in_list(k, filter_keys), "filter.%s", k);
			if (!strcmp(k, "owner_id")) {
				FUZZ_CHECK(json_is_integer(v) && json_integer_value(v) >= 1, "owner_id");
				continue;
			}
			const char *s = json_string_value(v);
			FUZZ_CHECK(s && *s && strlen(s) <= 100, "filter.%s", k);
			FUZZ_CHECK(!in_list(k, class_keys) || class_check(k, k, s, NULL) == 0,
				   "filter.%s = %s", k, s);
		}
		json_decref(back);
		free(in.filter);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned route = data[0] % 4, creating = data[0] / 4 % 2 == 0;
	json_error_t je;
	json_t *in = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &je);
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
	r.user.id = 3;
	r.user.role = ROLE_SUPERVISOR;
	r.json = in;
	if (route == 0)
		rule(&r);
	else if (route == 1)
		invitation(&r);
	else if (route == 2)
		source(&r, creating);
	else
		campaign(&r, creating);
	arena_free(a);
	json_decref(in);
	return 0;
}
