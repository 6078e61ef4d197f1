/* fuzz_case.c - the JSON body of POST /api/cases and PATCH
 * /api/cases/{id}: jansson parses the input as the server does
 * (JSON_REJECT_DUPLICATES), then app/case_input.c reads and validates it
 * (classified fields against core/case_rules.c, texts, tags, the customer
 * by phone, ids and times).  It needs no database.
 *
 * Invariants: a refusal names a field and has a negative code; an
 * accepted case has every classified field it was given (all of them on
 * create, defaults filled) in its vocabulary, a subject of valid UTF-8
 * (not empty on create), tags as a JSON array of at most 20 distinct
 * strings without commas, a customer phone in E.164 that normalises to
 * itself, and a received_at within the window the API allows. */
#include "tests/fuzz/fuzz.h"

#include "app/case_input.h"
#include "core/case_rules.h"
#include "core/phone.h"

static const struct {
	const char *key, *set;
	int required; /* non-NULL after a create */
} classes[] = {
	{"type", "case_type", 1},   {"channel", "channel", 1},  {"priority", "priority", 1},
	{"severity", "severity", 1}, {"emotion", "emotion", 1}, {"stage", "stage", 1},
	{"subtype", "after_sales", 1},
};

static const int64_t NOW = 1764000000000LL;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!in)
		return 0;
	if (!json_is_object(in)) {
		json_decref(in);
		return 0;
	}
	int creating = (int)(size & 1);
	arena *a = arena_new();
	http_req r;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.user.id = 3;
	r.user.role = (int)(size / 2 % 3) + 1;
	struct case_input ci;
	memset(&ci, 0, sizeof(ci));
	int rc = case_input_read(&r, in, creating, &ci, NOW);
	if (rc < 0) {
		FUZZ_CHECK(r.err.code == rc, "code %d, error %d", rc, r.err.code);
		FUZZ_CHECK(r.err.field, "refusal names no field: %s", r.err.en);
		FUZZ_CHECK(fuzz_utf8_str(r.err.zh) && fuzz_utf8_str(r.err.en), "message is not UTF-8");
	} else {
		FUZZ_CHECK(rc == 0, "rc %d", rc);
		for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
			const char *v = *case_input_slot(&ci, classes[i].key);
			if (creating && classes[i].required)
				FUZZ_CHECK(v, "%s missing after a create", classes[i].key);
			if (v && *v) {
				kf_err e;
				kf_err_clear(&e);
				FUZZ_CHECK(case_class_check(classes[i].set, classes[i].key, v, &e) == 0,
					   "%s = [%s] is not in %s", classes[i].key, v, classes[i].set);
			}
		}
		static const char *const texts[] = {"subject", "description", "demand"};
		for (size_t i = 0; i < 3; i++) {
			const char *v = *case_input_slot(&ci, texts[i]);
			FUZZ_CHECK(fuzz_utf8_str(v), "%s is not UTF-8", texts[i]);
		}
		if (creating)
			FUZZ_CHECK(ci.subject && *ci.subject, "create without a subject");
		if (ci.tags) {
			json_t *t = json_loads(ci.tags, 0, NULL);
			FUZZ_CHECK(json_is_array(t) && json_array_size(t) <= 20, "tags %s", ci.tags);
			size_t i, j;
			json_t *x, *y;
			json_array_foreach(t, i, x)
			{
				FUZZ_CHECK(json_is_string(x) && !strchr(json_string_value(x), ','), "tag %zu", i);
				json_array_foreach(t, j, y) FUZZ_CHECK(j == i || !json_equal(x, y), "tag twice");
			}
			json_decref(t);
		}
		if (ci.customer_phone) {
			char again[PHONE_E164_SIZE];
			FUZZ_CHECK(phone_normalize(ci.customer_phone, again, sizeof(again), NULL) == 0 &&
					   !strcmp(again, ci.customer_phone),
				   "phone %s", ci.customer_phone);
		}
		if (creating)
			FUZZ_CHECK(ci.received_at >= NOW - 400 * 86400000LL && ci.received_at <= NOW + 300000,
				   "received_at %lld", (long long)ci.received_at);
	}
	arena_free(a);
	json_decref(in);
	return 0;
}
