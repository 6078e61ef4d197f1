/* fuzz_webhook.c - core/webhook_fmt.c: the bodies kefu posts to webhook
 * receivers (its own JSON, 企业微信 and 钉钉 group robots) and their
 * signatures.
 *
 * Input: fields separated by 0x01: event, number, subject, customer,
 * priority, text, from, secret; byte 0 of the input also picks the kind.
 * Invariants (for UTF-8 fields, as the database holds): every body is
 * JSON that jansson reads back; the json kind carries the event and the
 * payload unchanged; a robot's markdown is valid UTF-8 and holds the
 * subject when it fits; the signature is "sha256=" and 64 hex digits, and
 * the DingTalk signature URL-decodes to 44 base64 characters. */
#include "tests/fuzz/fuzz.h"

#include <ctype.h>

#include <jansson.h>

#include "core/webhook_fmt.h"

enum { NF = 8 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *f[NF];
	char *all = fuzz_strndup(data, size);
	char *p = all;
	for (int i = 0; i < NF; i++) {
		f[i] = p;
		char *sep = p ? strchr(p, '\x01') : NULL;
		if (sep)
			*sep = 0;
		p = sep ? sep + 1 : NULL;
	}
	int utf8 = fuzz_utf8_ok((const char *)data, size) && strlen(all) == size;
	static const char *const kinds[] = {"json", "wecom", "dingtalk"};
	const char *kind = kinds[size ? data[0] % 3 : 0];
	const char *event = f[0] ? f[0] : "";
	struct webhook_summary s = {f[1], f[2], f[3], f[4], f[5], f[6], (int)(size & 1)};

	json_t *payload = json_pack("{s:s?, s:s?}", "subject", f[2], "text", f[5]);
	char *data_json = payload ? json_dumps(payload, JSON_COMPACT) : NULL;

	buf b;
	buf_init(&b, 1 << 20);
	int rc = webhook_body(&b, kind, 42, event, 1764000000000LL, data_json, &s);
	if (rc == 0 && utf8) {
		json_error_t je;
		json_t *body = json_loadb(b.data, b.len, 0, &je);
		FUZZ_CHECK(body, "%s body is not JSON (%s): %s", kind, je.text, b.data);
		if (!strcmp(kind, "json")) {
			const char *ev = json_string_value(json_object_get(body, "event"));
			FUZZ_CHECK(ev && !strcmp(ev, event), "event changed");
			if (payload)
				FUZZ_CHECK(json_equal(json_object_get(body, "data"), payload), "payload changed");
		} else {
			json_t *md = json_object_get(body, "markdown");
			const char *txt = json_string_value(
				json_object_get(md, !strcmp(kind, "dingtalk") ? "text" : "content"));
			FUZZ_CHECK(txt && fuzz_utf8_str(txt), "markdown missing or not UTF-8");
			if (f[2] && *f[2] && strlen(f[2]) < 1000)
				FUZZ_CHECK(strstr(txt, f[2]), "subject missing from the markdown");
		}
		json_decref(body);
	}
	if (b.data) {
		char sig[72];
		webhook_sign(f[7] ? f[7] : "", 1764000000000LL, b.data, sig);
		FUZZ_CHECK(!strncmp(sig, "sha256=", 7) && strlen(sig) == 71, "signature %s", sig);
		for (int i = 7; i < 71; i++)
			FUZZ_CHECK(isxdigit((unsigned char)sig[i]), "signature %s", sig);
	}
	char ding[128];
	webhook_dingtalk_sign(f[7] ? f[7] : "", 1764000000000LL, ding, sizeof(ding));
	size_t n = 0;
	for (const char *q = ding; *q; n++)
		q += *q == '%' ? 3 : 1;
	FUZZ_CHECK(n == 44, "DingTalk signature %s is %zu characters decoded", ding, n);

	buf_release(&b);
	free(data_json);
	json_decref(payload);
	free(all);
	return 0;
}
