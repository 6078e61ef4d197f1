/* fuzz_directory.c - the bodies of POST /api/tokens and POST
 * /api/departments: the first byte chooses the route (even: a token, odd:
 * a department), jansson parses the rest as the server does
 * (JSON_REJECT_DUPLICATES, an object), then token_input_read or
 * department_input_read reads it.  No database.
 *
 * Invariants: a refusal names a field and has a negative code; an accepted
 * body has only a name, the body's, valid UTF-8 of 1 to 64 characters.
 *
 * Not reached without a database: a department's name already taken. */
#include "tests/fuzz/fuzz.h"

#include "app/app.h"
#include "core/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int department = data[0] % 2;
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
	r.user.role = department ? ROLE_ADMIN : ROLE_AGENT;
	r.json = in;
	const char *name = "unset";
	int rc = department ? department_input_read(&r, &name) : token_input_read(&r, &name);
	if (rc < 0) {
		FUZZ_CHECK(rc == r.err.code, "code %d, error %d", rc, r.err.code);
		FUZZ_CHECK(r.err.field, "refusal names no field: %s", r.err.en);
		FUZZ_CHECK(fuzz_utf8_str(r.err.zh) && fuzz_utf8_str(r.err.en), "message is not UTF-8");
		FUZZ_CHECK(!name, "a name with a refusal");
	} else {
		size_t n;
		FUZZ_CHECK(rc == 0 && json_object_size(in) == 1, "rc %d, %zu keys", rc,
			   json_object_size(in));
		FUZZ_CHECK(name && name == json_string_value(json_object_get(in, "name")),
			   "name is not the body's");
		FUZZ_CHECK(fuzz_utf8_str(name) && valid_utf8_len(name, 64, &n) && n >= 1,
			   "name of more than 64 characters or empty");
	}
	arena_free(a);
	json_decref(in);
	return 0;
}
