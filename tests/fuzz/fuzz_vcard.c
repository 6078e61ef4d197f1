/* fuzz_vcard.c - core/vcard.c, the vCard 4.0 writer behind the contact
 * export.
 *
 * Input: "PARAMS\x01VALUE" (params optional).  A card with the value as a
 * text property (NOTE) and, escaped, as a structured one (ORG) is written.  Invariants:
 * every physical line ends in CRLF and has at most 75 octets; no line
 * break appears but CRLF; for UTF-8 input no fold splits a character (the
 * card is valid UTF-8); unfolding the NOTE line and undoing the escapes
 * gives the value back, with its line breaks as \n. */
#include "tests/fuzz/fuzz.h"

#include "core/vcard.h"

/* The value written back from an unfolded "NOTE[;params]:escaped" line. */
static char *unescape(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	FUZZ_CHECK(out, "malloc");
	for (; *s; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		s++;
		FUZZ_CHECK(*s == '\\' || *s == ',' || *s == ';' || *s == 'n', "bad escape \\%c", *s);
		*o++ = *s == 'n' ? '\n' : *s;
	}
	*o = 0;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *params, *value;
	if (memchr(data, 1, size)) {
		fuzz_split(data, size, 1, &params, &value);
	} else {
		params = fuzz_strndup(data, 0);
		value = fuzz_strndup(data, size);
	}
	/* params are written as given: the caller's constants, no breaks */
	for (char *p = params; *p; p++)
		if (*p == '\r' || *p == '\n' || *p == ':')
			*p = ' ';

	buf b;
	buf_init(&b, 1 << 20);
	int rc = vcard_begin(&b);
	if (rc == 0)
		rc = vcard_text(&b, "NOTE", params, value);
	/* raw values are structured ones built with vcard_escape (app/exports.c) */
	buf esc;
	buf_init(&esc, 1 << 20);
	if (rc == 0 && (rc = vcard_escape(&esc, value)) == 0 && esc.data)
		rc = vcard_raw(&b, "ORG", NULL, esc.data);
	buf_release(&esc);
	if (rc == 0)
		rc = vcard_end(&b);
	FUZZ_CHECK(rc == 0, "vcard failed");

	/* physical lines */
	const char *s = b.data, *end = b.data + b.len;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		FUZZ_CHECK(nl && nl > s && nl[-1] == '\r', "line not ended by CRLF");
		size_t n = (size_t)(nl - 1 - s);
		FUZZ_CHECK(n <= 75, "line of %zu octets", n);
		FUZZ_CHECK(!memchr(s, '\r', n), "CR inside a line");
		s = nl + 1;
	}
	int utf8 = fuzz_utf8_str(value) && fuzz_utf8_str(params);
	if (utf8)
		FUZZ_CHECK(fuzz_utf8_ok(b.data, b.len), "a fold split a character");

	/* unfold: CRLF followed by a space joins lines */
	char *u = malloc(b.len + 1), *o = u;
	for (size_t i = 0; i < b.len; i++) {
		if (b.data[i] == '\r' && i + 2 < b.len && b.data[i + 1] == '\n' && b.data[i + 2] == ' ') {
			i += 2;
			continue;
		}
		*o++ = b.data[i];
	}
	*o = 0;
	if (*value) {
		char *line = strstr(u, "\r\nNOTE");
		FUZZ_CHECK(line, "no NOTE line");
		line += 2;
		char *colon = strchr(line + 4 + (*params ? strlen(params) + 1 : 0), ':');
		FUZZ_CHECK(colon, "NOTE without a colon");
		*strstr(colon, "\r\n") = 0;
		char *back = unescape(colon + 1);
		/* line breaks come back as \n: CRLF and lone CR included */
		char *want = malloc(strlen(value) + 1), *w = want;
		for (const char *v = value; *v; v++) {
			if (*v == '\r') {
				if (v[1] == '\n')
					v++;
				*w++ = '\n';
			} else {
				*w++ = *v;
			}
		}
		*w = 0;
		FUZZ_CHECK(!strcmp(back, want), "NOTE round trip: [%s] became [%s]", want, back);
		free(back);
		free(want);
	}
	free(u);
	buf_release(&b);
	free(params);
	free(value);
	return 0;
}
