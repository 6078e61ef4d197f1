/* fuzz_script.c - the body of POST /api/scripts and PATCH /api/scripts/{id}
 * (call scripts with {{variables}} and branches by outcome): the first
 * byte says create (odd) or change, jansson parses the rest as the server
 * does (JSON_REJECT_DUPLICATES, an object), then app/script_input.c reads
 * it.  No database.
 *
 * Invariants: a refusal names a field and has a negative code, with a
 * message of valid UTF-8 (the unknown variable is quoted in it); a branch
 * of at most 4000 characters naming only known variables is never refused
 * (the message promises 4000 characters); an accepted script has a name and
 * a body on create, texts within their limits, a body and branches naming
 * only known variables, and branches only for the four outcomes. */
#include "tests/fuzz/fuzz.h"

#include "app/followup_input.h"
#include "core/script.h"
#include "core/validate.h"

static int outcome(const char *k)
{
	return !strcmp(k, "satisfied") || !strcmp(k, "so_so") || !strcmp(k, "not_satisfied") ||
	       !strcmp(k, "unreachable");
}

/* A branch the API promises to take: text of at most 4000 characters whose
 * variables are all known. */
static int branch_fine(json_t *v)
{
	char bad[64];
	size_t n;
	return json_is_string(v) && valid_utf8_len(json_string_value(v), 4000, &n) &&
	       script_check(json_string_value(v), bad, sizeof(bad)) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int creating = data[0] & 1;
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
	r.user.id = 1;
	r.user.role = ROLE_ADMIN;
	r.json = in;
	struct script_input s;
	int rc = script_input_read(&r, creating, &s);
	char bad[64];
	size_t n;
	if (rc < 0) {
		FUZZ_CHECK(r.err.code == rc && r.err.field, "refusal names no field: %s", r.err.en);
		FUZZ_CHECK(fuzz_utf8_str(r.err.zh) && fuzz_utf8_str(r.err.en), "message is not UTF-8: %s",
			   r.err.en);
		if (!strncmp(r.err.field, "branches.", 9)) {
			const char *k = r.err.field + 9;
			FUZZ_CHECK(!outcome(k) || !branch_fine(json_object_get(json_object_get(in, "branches"), k)),
				   "branch %s refused within its limit", k);
		}
	} else {
		if (creating)
			FUZZ_CHECK(s.name && *s.name && s.body && *s.body, "missing on create");
		FUZZ_CHECK(!s.name || valid_utf8_len(s.name, 100, &n), "name");
		FUZZ_CHECK(!s.kind || valid_utf8_len(s.kind, 40, &n), "kind");
		FUZZ_CHECK(!s.body || (valid_utf8_len(s.body, 8000, &n) &&
				       script_check(s.body, bad, sizeof(bad)) == 0),
			   "body");
		if (s.branches) {
			const char *k;
			json_t *v;
			FUZZ_CHECK(json_is_object(s.branches), "branches");
			json_object_foreach(s.branches, k, v)
			FUZZ_CHECK(outcome(k) && branch_fine(v), "branch %s", k);
		}
		FUZZ_CHECK(s.active == 0 || s.active == 1, "active");
	}
	arena_free(a);
	json_decref(in);
	return 0;
}
