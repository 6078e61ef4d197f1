#include "lib/jw.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lib/common.h"

void jw_init(jw *w, buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
}

static void put(jw *w, const char *s, size_t n)
{
	if (buf_append(w->b, s, n) < 0)
		w->failed = 1;
}

/* Before a value or a key: a comma unless first in its container. */
static void sep(jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0 && w->depth <= JW_MAX_DEPTH && w->count[w->depth - 1]++ > 0)
		put(w, ",", 1);
}

static void open_c(jw *w, char c)
{
	sep(w);
	put(w, &c, 1);
	if (w->depth < JW_MAX_DEPTH)
		w->count[w->depth] = 0;
	else
		w->failed = 1;
	w->depth++;
}

static void close_c(jw *w, char c)
{
	w->depth--;
	put(w, &c, 1);
}

void jw_obj(jw *w)
{
	open_c(w, '{');
}

void jw_obj_end(jw *w)
{
	close_c(w, '}');
}

void jw_arr(jw *w)
{
	open_c(w, '[');
}

void jw_arr_end(jw *w)
{
	close_c(w, ']');
}

static void quoted(jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	put(w, "\"", 1);
	const char *run = s;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		put(w, run, (size_t)((const char *)p - run));
		char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
		size_t n = 2;
		switch (*p) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\t': esc[1] = 't'; break;
		case '\r': esc[1] = 'r'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			n = 6;
		}
		put(w, esc, n);
		run = (const char *)p + 1;
	}
	put(w, run, strlen(run));
	put(w, "\"", 1);
}

void jw_key(jw *w, const char *k)
{
	sep(w);
	quoted(w, k);
	put(w, ":", 1);
	w->after_key = 1;
}

void jw_str(jw *w, const char *s)
{
	sep(w);
	quoted(w, s ? s : "");
}

void jw_int(jw *w, int64_t v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%" PRId64, v);
	sep(w);
	put(w, tmp, (size_t)n);
}

void jw_bool(jw *w, int v)
{
	sep(w);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(jw *w)
{
	sep(w);
	put(w, "null", 4);
}

void jw_raw(jw *w, const char *json)
{
	sep(w);
	put(w, json, strlen(json));
}

int jw_failed(const jw *w)
{
	return w->failed || w->depth != 0;
}
