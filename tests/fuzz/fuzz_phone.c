/* fuzz_phone.c - core/phone.c (the one canonical form customers are
 * found and de-duplicated by) and core/mask.c's phone mask.
 *
 * Invariants: an accepted number is "+" and 8..15 digits with a country
 * code phone_country_code_len knows, normalising it again gives itself,
 * and a Chinese mobile is +861[3-9] and 9 digits; a refusal leaves "" and
 * names the field phone; phone_display fits PHONE_DISPLAY_SIZE and keeps
 * every digit in order; the mask shows no more digits than the number has. */
#include "tests/fuzz/fuzz.h"

#include <ctype.h>

#include "core/mask.h"
#include "core/phone.h"

static int digits_only(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_strndup(data, size);
	char out[PHONE_E164_SIZE], again[PHONE_E164_SIZE];
	kf_err e;
	kf_err_clear(&e);
	int rc = phone_normalize(in, out, sizeof(out), &e);
	if (rc != 0) {
		FUZZ_CHECK(rc == KF_EINVAL && out[0] == 0, "rc %d, out [%s]", rc, out);
		FUZZ_CHECK(e.field && !strcmp(e.field, "phone"), "field %s", e.field ? e.field : "-");
		FUZZ_CHECK(fuzz_utf8_str(e.zh) && fuzz_utf8_str(e.en), "message is not UTF-8");
	} else {
		size_t n = strlen(out);
		FUZZ_CHECK(out[0] == '+' && n >= 9 && n <= 16 && digits_only(out + 1), "[%s] from [%s]",
			   out, in);
		size_t cc = phone_country_code_len(out);
		FUZZ_CHECK(cc >= 1 && cc <= 3, "country code of %s is %zu digits", out, cc);
		FUZZ_CHECK(phone_normalize(out, again, sizeof(again), NULL) == 0 && !strcmp(out, again),
			   "%s normalises to %s", out, again);
		if (phone_is_cn_mobile(out))
			FUZZ_CHECK(n == 14 && !strncmp(out, "+861", 4) && out[4] >= '3', "mobile %s", out);
		char disp[PHONE_DISPLAY_SIZE];
		phone_display(out, disp, sizeof(disp));
		FUZZ_CHECK(strlen(disp) < PHONE_DISPLAY_SIZE, "display");
		const char *a = out, *b = disp;
		for (; *a; a++) {
			while (*b && *b != *a)
				b++;
			FUZZ_CHECK(*b, "display %s of %s loses a digit", disp, out);
			b++;
		}
		char m[64];
		mask_phone(out, m, sizeof(m));
		size_t dm = 0;
		for (const char *q = m; *q; q++)
			dm += isdigit((unsigned char)*q) != 0;
		FUZZ_CHECK(dm < n - 1 || n - 1 < 7, "mask %s shows every digit of %s", m, out);
	}
	/* any string, normalised or not, displays without overflow */
	char disp[PHONE_DISPLAY_SIZE];
	phone_display(in, disp, sizeof(disp));
	FUZZ_CHECK(strlen(disp) < sizeof(disp), "display");
	char m[64];
	mask_phone(in, m, sizeof(m));
	FUZZ_CHECK(strlen(m) < sizeof(m), "mask");
	free(in);
	return 0;
}
