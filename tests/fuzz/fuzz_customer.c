/* fuzz_customer.c - the JSON body of POST /api/customers and PATCH
 * /api/customers/{id}: jansson parses the input as the server does
 * (JSON_REJECT_DUPLICATES), then app/customer_input.c validates and
 * normalises it (core/validate.c, core/phone.c, core/classes.c).
 *
 * Everything but owner_id runs without a database; owner_id asks the
 * users table whether the owner exists, so it is removed from the input.
 *
 * Invariants: a refusal names a field and has a negative code; an
 * accepted file has only known fields, its strings are valid UTF-8, its
 * phones are E.164 that normalise to themselves, and validating the
 * normalised file again accepts it unchanged (normalising is idempotent). */
#include "tests/fuzz/fuzz.h"

#include "app/customer.h"
#include "core/phone.h"

static void check_strings(json_t *v)
{
	if (json_is_string(v)) {
		FUZZ_CHECK(strlen(json_string_value(v)) == json_string_length(v), "NUL in a string");
		FUZZ_CHECK(fuzz_utf8_str(json_string_value(v)), "string is not UTF-8");
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) check_strings(x);
	} else if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x)
		{
			FUZZ_CHECK(fuzz_utf8_str(k), "key is not UTF-8");
			check_strings(x);
		}
	}
}

static void check_phone(json_t *p)
{
	if (!p || json_is_null(p))
		return;
	FUZZ_CHECK(json_is_string(p), "phone is not a string");
	const char *s = json_string_value(p);
	char again[PHONE_E164_SIZE];
	FUZZ_CHECK(s[0] == '+' && strlen(s) <= 16, "phone %s", s);
	FUZZ_CHECK(phone_normalize(s, again, sizeof(again), NULL) == 0 && !strcmp(again, s),
		   "phone %s normalises to %s", s, again);
}

static json_t *validate(arena *a, json_t *in, int creating, int role, kf_err *err)
{
	http_req r;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.user.id = 3;
	r.user.role = role;
	json_t *out = customer_validate(&r, in, creating, NULL);
	*err = r.err;
	return out;
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
	json_object_del(in, "owner_id");
	int creating = (int)(size & 1);
	int role = (int)(size / 2 % 3) + 1;
	arena *a = arena_new();
	kf_err err;
	json_t *out = validate(a, in, creating, role, &err);
	if (!out) {
		FUZZ_CHECK(err.code < 0, "refused with code %d", err.code);
		/* the field may be "": an unknown key "" is named as it is */
		FUZZ_CHECK(err.field, "refusal names no field: %s", err.en);
		FUZZ_CHECK(fuzz_utf8_str(err.zh) && fuzz_utf8_str(err.en), "message is not UTF-8");
	} else {
		const char *k;
		json_t *v;
		json_object_foreach(out, k, v)
		{
			int known = 0;
			for (size_t i = 0; i < customer_nfields; i++)
				known |= !strcmp(customer_fields[i].name, k);
			FUZZ_CHECK(known, "unknown field %s in the result", k);
		}
		check_strings(out);
		check_phone(json_object_get(out, "phone"));
		size_t i;
		json_t *c;
		json_array_foreach(json_object_get(out, "contacts"), i, c) check_phone(json_object_get(c, "phone"));

		json_t *again = validate(a, out, creating, role, &err);
		FUZZ_CHECK(again, "the normalised file is refused: %s (%s)", err.en,
			   err.field ? err.field : "-");
		if (!json_equal(again, out)) {
			char *x = json_dumps(out, 0), *y = json_dumps(again, 0);
			FUZZ_CHECK(0, "normalising is not idempotent:\n%s\n%s", x, y);
		}
		json_decref(again);
		json_decref(out);
	}
	arena_free(a);
	json_decref(in);
	return 0;
}
