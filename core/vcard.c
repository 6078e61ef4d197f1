/* vcard.c - see vcard.h.  A property line is built whole, then folded. */
#include "core/vcard.h"

#include <string.h>

#include "lib/common.h"

enum { FOLD_AT = 75 };

int vcard_escape(buf *b, const char *s)
{
	int rc = 0;
	for (; *s && rc == 0; s++) {
		switch (*s) {
		case '\\': rc = buf_puts(b, "\\\\"); break;
		case ',': rc = buf_puts(b, "\\,"); break;
		case ';': rc = buf_puts(b, "\\;"); break;
		case '\r':
			if (s[1] == '\n')
				s++;
			rc = buf_puts(b, "\\n");
			break;
		case '\n': rc = buf_puts(b, "\\n"); break;
		default: rc = buf_putc(b, *s);
		}
	}
	return rc;
}

/* Writes line folded: at most 75 octets per physical line, continuation
 * lines start with a space, never inside a multi-byte character. */
static int put_folded(buf *b, const char *line, size_t n)
{
	size_t col = 0;
	for (size_t i = 0; i < n;) {
		size_t len = 1;
		unsigned char c = (unsigned char)line[i];
		if (c >= 0xF0)
			len = 4;
		else if (c >= 0xE0)
			len = 3;
		else if (c >= 0xC0)
			len = 2;
		if (i + len > n)
			len = n - i;
		if (col + len > FOLD_AT) {
			if (buf_puts(b, "\r\n ") < 0)
				return -1;
			col = 1;
		}
		if (buf_append(b, line + i, len) < 0)
			return -1;
		col += len;
		i += len;
	}
	return buf_puts(b, "\r\n");
}

static int prop(buf *b, const char *name, const char *params, const char *value, int escape)
{
	if (!value || !*value)
		return 0;
	buf line;
	buf_init(&line, b->max);
	int rc = buf_puts(&line, name);
	if (rc == 0 && params && *params)
		rc = buf_printf(&line, ";%s", params);
	if (rc == 0)
		rc = buf_putc(&line, ':');
	if (rc == 0)
		rc = escape ? vcard_escape(&line, value) : buf_puts(&line, value);
	if (rc == 0)
		rc = put_folded(b, line.data, line.len);
	buf_release(&line);
	return rc;
}

int vcard_text(buf *b, const char *name, const char *params, const char *value)
{
	return prop(b, name, params, value, 1);
}

int vcard_raw(buf *b, const char *name, const char *params, const char *value)
{
	return prop(b, name, params, value, 0);
}

int vcard_begin(buf *b)
{
	return buf_puts(b, "BEGIN:VCARD\r\nVERSION:4.0\r\n");
}

int vcard_end(buf *b)
{
	return buf_puts(b, "END:VCARD\r\n");
}
