/* snippet.c - an HTML excerpt with the query's matches marked. */
#include "core/snippet.h"

#include <unicode/utf8.h>

#include "lib/common.h"

/* How far before the first match an excerpt may start, in characters, and
 * the punctuation after which it prefers to start (a sentence's start). */
enum { LEAD_CHARS = 16 };

static int is_sentence_end(UChar32 c)
{
	return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?' || c == '\n' ||
	       c == 0xFF1B || c == ';';
}

/* The excerpt's start: up to LEAD_CHARS characters before `at`, but not
 * across the end of a sentence. */
static int32_t lead_start(const char *text, int32_t at)
{
	int32_t i = at;
	for (int k = 0; k < LEAD_CHARS && i > 0; k++) {
		int32_t j = i;
		UChar32 c;
		U8_PREV(text, 0, j, c);
		if (is_sentence_end(c))
			break;
		i = j;
	}
	return i;
}

static int put_escaped(buf *out, UChar32 c, const char *s, int32_t n)
{
	switch (c) {
	case '&':
		return buf_puts(out, "&amp;");
	case '<':
		return buf_puts(out, "&lt;");
	case '>':
		return buf_puts(out, "&gt;");
	case '"':
		return buf_puts(out, "&quot;");
	case '\'':
		return buf_puts(out, "&#39;");
	case '\n':
	case '\r':
	case '\t':
		return buf_putc(out, ' ');
	default:
		return c < 0 ? buf_puts(out, "\xEF\xBF\xBD") : buf_append(out, s, (size_t)n);
	}
}

int snippet_html(const char *text, size_t len, const struct tok_span *spans, int nspans,
		 int max_chars, buf *out)
{
	int32_t n = (int32_t)len, i = nspans ? lead_start(text, spans[0].start) : 0;
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\n' || text[n - 1] == '\t'))
		n--;
	int rc = 0, chars = 0, k = 0, open = 0;
	/* Skip spaces the excerpt would start with. */
	while (i < n && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t'))
		i++;
	if (i > 0)
		rc = buf_puts(out, "…");
	while (i < n && rc == 0 && chars < max_chars) {
		while (!open && k < nspans && spans[k].end <= i)
			k++;
		if (!open && k < nspans && spans[k].start <= i) {
			rc = buf_puts(out, "<mark>");
			open = 1;
		}
		int32_t s = i;
		UChar32 c;
		U8_NEXT(text, i, n, c);
		if (rc == 0)
			rc = put_escaped(out, c, text + s, i - s);
		chars++;
		if (open && i >= spans[k].end) {
			if (rc == 0)
				rc = buf_puts(out, "</mark>");
			open = 0;
			k++;
		}
	}
	if (open && rc == 0)
		rc = buf_puts(out, "</mark>");
	if (i < n && rc == 0)
		rc = buf_puts(out, "…");
	return rc;
}
