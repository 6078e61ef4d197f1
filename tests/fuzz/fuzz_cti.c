/* fuzz_cti.c - the body of POST /api/cti/events, what a PBX (or anything
 * holding an API token) sends: jansson parses the input as the server does
 * (JSON_REJECT_DUPLICATES), then app/cti_input.c counts the events (one,
 * or {"events": [...]}) and reads each of them.  It needs no database
 * (cti.c resolves the agents afterwards).
 *
 * Invariants: a refusal names a field (events[i].KEY in a batch) and has a
 * negative code; a batch holds 1 to CTI_BATCH_MAX events; an accepted
 * event has a type in its vocabulary, a non-empty call_id for a call
 * event, an agent for an agent event, strings of valid UTF-8 within their
 * limits, a direction NULL/inbound/outbound, caller and callee either
 * E.164 that normalises to itself or as given, a time within the range
 * the API allows (or "now" when none was given), a key that depends on
 * the event alone (reading it again gives the same key), and data that
 * is a JSON object's text. */
#include "tests/fuzz/fuzz.h"

#include "app/cti_input.h"
#include "core/callstate.h"
#include "core/phone.h"
#include "core/validate.h"

static const int64_t NOW = 1764000000000LL;

static void check_text(const char *what, const char *s, size_t max_chars, int may_be_null)
{
	if (!s) {
		FUZZ_CHECK(may_be_null, "%s is NULL", what);
		return;
	}
	size_t n;
	FUZZ_CHECK(fuzz_utf8_str(s), "%s is not UTF-8", what);
	FUZZ_CHECK(valid_utf8_len(s, max_chars, &n), "%s is longer than %zu", what, max_chars);
}

static void check_phone(const char *what, const char *s)
{
	FUZZ_CHECK(s, "%s is NULL", what);
	check_text(what, s, 40, 0);
	char again[PHONE_E164_SIZE];
	if (phone_normalize(s, again, sizeof(again), NULL) == 0)
		FUZZ_CHECK(!strcmp(again, s), "%s [%s] is not in E.164 (%s)", what, s, again);
}

static void check_refusal(const http_req *r, int rc, const char *prefix)
{
	FUZZ_CHECK(rc < 0 && r->err.code == rc, "code %d, error %d", rc, r->err.code);
	FUZZ_CHECK(r->err.field, "refusal names no field: %s", r->err.en);
	FUZZ_CHECK(fuzz_utf8_str(r->err.zh) && fuzz_utf8_str(r->err.en), "message is not UTF-8");
	if (prefix) {
		size_t n = strlen(prefix);
		FUZZ_CHECK(!strncmp(r->err.field, prefix, n) &&
				   (r->err.field[n] == '.' || r->err.field[n] == 0),
			   "refusal of %s names %s", prefix, r->err.field);
	}
}

static void check_event(http_req *r, json_t *o, const char *prefix, const struct cti_input *e)
{
	if (e->is_agent) {
		FUZZ_CHECK(e->type >= 0 && e->type < CTI_AG_NTYPES, "agent type %d", e->type);
		FUZZ_CHECK(*e->agent, "agent event without an agent");
	} else {
		FUZZ_CHECK(e->type >= 0 && cti_type_name(e->type) &&
				   cti_type_parse(cti_type_name(e->type)) == e->type,
			   "call type %d", e->type);
		FUZZ_CHECK(e->call_key && *e->call_key, "call event without a call_id");
	}
	check_text("call_id", e->call_key, 128, e->is_agent);
	check_phone("caller", e->caller);
	check_phone("callee", e->callee);
	check_text("queue", e->queue, 64, 0);
	check_text("agent", e->agent, 64, 0);
	check_text("target", e->target, 64, 0);
	check_text("reason", e->reason, 100, 0);
	FUZZ_CHECK(!e->direction || !strcmp(e->direction, "inbound") ||
			   !strcmp(e->direction, "outbound"),
		   "direction %s", e->direction);
	json_t *at = json_object_get(o, "at");
	if (!at || json_is_null(at))
		FUZZ_CHECK(e->at == NOW, "at %lld without a time", (long long)e->at);
	else
		FUZZ_CHECK(e->at >= 946684800000LL && e->at <= 4102444800000LL, "at %lld",
			   (long long)e->at);
	FUZZ_CHECK(e->seq >= 0 && e->agent_id >= 0, "seq %lld, agent_id %lld", (long long)e->seq,
		   (long long)e->agent_id);
	FUZZ_CHECK(e->ekey && *e->ekey && fuzz_utf8_str(e->ekey), "event key");
	if (e->data) {
		json_t *d = json_loads(e->data, 0, NULL);
		FUZZ_CHECK(json_is_object(d), "data %s", e->data);
		json_decref(d);
	}
	struct cti_input again;
	int rc = cti_input_read(r, o, prefix, NOW, &again);
	FUZZ_CHECK(rc == 0, "refused the second time: %s", r->err.en);
	FUZZ_CHECK(!strcmp(again.ekey, e->ekey), "key %s then %s", e->ekey, again.ekey);
}

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
	arena *a = arena_new();
	http_req r;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.json = in;
	json_t *list;
	int n = cti_input_count(&r, &list);
	if (n < 0) {
		check_refusal(&r, n, NULL);
	} else {
		FUZZ_CHECK(n >= 1 && n <= CTI_BATCH_MAX, "%d events", n);
		FUZZ_CHECK(list ? (size_t)n == json_array_size(list) : n == 1, "count %d", n);
		for (int i = 0; i < n; i++) {
			json_t *o = list ? json_array_get(list, (size_t)i) : in;
			const char *prefix = list ? arena_printf(a, "events[%d]", i) : NULL;
			struct cti_input e;
			int rc = cti_input_read(&r, o, prefix, NOW, &e);
			if (rc < 0) {
				check_refusal(&r, rc, prefix);
				break;
			}
			FUZZ_CHECK(rc == 0, "rc %d", rc);
			check_event(&r, o, prefix, &e);
		}
	}
	arena_free(a);
	json_decref(in);
	return 0;
}
