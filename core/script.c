/* script.c - see script.h. */
#include "core/script.h"

#include <string.h>

const char *const script_vars[] = {"customer_name", "agent_name", "product", "last_case",
				   "company", NULL};

/* The name inside "{{ name }}" starting at p (just after "{{"): its start
 * and length, and the end of the placeholder; 0 if there is no "}}". */
static int placeholder(const char *p, const char **name, size_t *len, const char **end)
{
	const char *close = strstr(p, "}}");
	if (!close)
		return 0;
	const char *a = p, *b = close;
	while (a < b && *a == ' ')
		a++;
	while (b > a && b[-1] == ' ')
		b--;
	*name = a;
	*len = (size_t)(b - a);
	*end = close + 2;
	return 1;
}

int script_render(const char *tpl, const char *const *names, const char *const *values, size_t n,
		  buf *out)
{
	const char *p = tpl;
	while (*p) {
		const char *open = strstr(p, "{{");
		if (!open)
			return buf_puts(out, p) < 0 ? -1 : 0;
		if (buf_append(out, p, (size_t)(open - p)) < 0)
			return -1;
		const char *name, *end;
		size_t len;
		if (!placeholder(open + 2, &name, &len, &end))
			return buf_puts(out, open) < 0 ? -1 : 0;
		const char *val = NULL;
		for (size_t i = 0; i < n && !val; i++)
			if (strlen(names[i]) == len && !memcmp(names[i], name, len))
				val = values[i] ? values[i] : "";
		if (val ? buf_puts(out, val) < 0 : buf_append(out, open, (size_t)(end - open)) < 0)
			return -1;
		p = end;
	}
	return 0;
}

int script_check(const char *tpl, char *bad, size_t badlen)
{
	const char *p = tpl;
	const char *open;
	while ((open = strstr(p, "{{"))) {
		const char *name, *end;
		size_t len;
		if (!placeholder(open + 2, &name, &len, &end))
			return -1;
		int known = 0;
		for (size_t i = 0; script_vars[i] && !known; i++)
			known = strlen(script_vars[i]) == len && !memcmp(script_vars[i], name, len);
		if (!known) {
			size_t k = len < badlen - 1 ? len : badlen - 1;
			/* cut between characters: the name is quoted in a message */
			while (k < len && k > 0 && ((unsigned char)name[k] & 0xC0) == 0x80)
				k--;
			memcpy(bad, name, k);
			bad[k] = 0;
			return 1;
		}
		p = end;
	}
	return 0;
}
