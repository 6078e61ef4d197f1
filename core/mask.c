#include "core/mask.h"

#include <stdint.h>
#include <string.h>

#include "core/phone.h"
#include "core/validate.h"
#include "lib/common.h"

enum { KEEP_TAIL = 4, CN_KEEP_HEAD = 3 };

/* The caller's buffer, filled piece by piece.  A piece that does not fit
 * is dropped whole and so is everything after it, so the output is always
 * a prefix of the full result that ends on a character boundary. */
struct sink {
	char *p;
	size_t len, cap;
	int full;
};

static void sink_init(struct sink *s, char *out, size_t outlen)
{
	s->p = out;
	s->len = 0;
	s->cap = outlen;
	s->full = 0;
	out[0] = '\0';
}

static void sink_put(struct sink *s, const char *text, size_t n)
{
	if (s->full || n >= s->cap - s->len) {
		s->full = 1;
		return;
	}
	memcpy(s->p + s->len, text, n);
	s->len += n;
	s->p[s->len] = '\0';
}

static void sink_puts(struct sink *s, const char *text)
{
	sink_put(s, text, strlen(text));
}

static size_t count_digits(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s >= '0' && *s <= '9';
	return n;
}

static void mask_cn_mobile(struct sink *s, const char *e164)
{
	const char *nat = e164 + 3;
	size_t n = strlen(nat);

	sink_puts(s, "+86 ");
	sink_put(s, nat, CN_KEEP_HEAD);
	for (size_t i = CN_KEEP_HEAD; i < n - KEEP_TAIL; i++)
		sink_puts(s, "*");
	sink_put(s, nat + n - KEEP_TAIL, KEEP_TAIL);
}

void mask_phone(const char *e164, char *out, size_t outlen)
{
	struct sink s;

	if (!out || !outlen)
		return;
	sink_init(&s, out, outlen);
	if (!e164 || !*e164)
		return;
	if (phone_is_cn_mobile(e164)) {
		mask_cn_mobile(&s, e164);
		return;
	}
	size_t total = count_digits(e164), cc = 0;
	int plus = e164[0] == '+';
	if (plus && total >= 8)
		cc = phone_country_code_len(e164);
	size_t national = total - cc;
	/* Short numbers show at most half, so "+12345" does not come out whole. */
	size_t keep = national >= 8 ? KEEP_TAIL : national / 2;

	if (plus)
		sink_puts(&s, "+");
	size_t k = 0;
	for (const char *p = e164; *p; p++) {
		if (*p < '0' || *p > '9')
			continue;
		if (k == cc && cc)
			sink_puts(&s, " ");
		if (k < cc || k >= total - keep)
			sink_put(&s, p, 1);
		else
			sink_puts(&s, "*");
		k++;
	}
}

void mask_email(const char *in, char *out, size_t outlen)
{
	struct sink s;

	if (!out || !outlen)
		return;
	sink_init(&s, out, outlen);
	if (!in || !*in)
		return;
	const char *at = strrchr(in, '@');
	size_t local = at ? (size_t)(at - in) : strlen(in);
	size_t first = valid_utf8_char(in);

	/* A one-character local part would be shown whole. */
	if (first && first < local && in[0] != '\n' && in[0] != '\t')
		sink_put(&s, in, first);
	sink_puts(&s, "***");
	if (!at)
		return;
	sink_puts(&s, "@");
	const char *dom = at + 1;
	if (!valid_utf8_len(dom, SIZE_MAX, NULL) || strpbrk(dom, "\n\t")) {
		sink_puts(&s, "***");
		return;
	}
	while (*dom) {
		size_t n = valid_utf8_char(dom);
		sink_put(&s, dom, n);
		dom += n;
	}
}
