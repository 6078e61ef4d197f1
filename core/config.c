/* config.c - kefu.conf parsing and checking (see config.h). */
#include "core/config.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/common.h"

/* Every key the code reads.  Time zone, business hours, holidays, mail and
 * webhooks are not here on purpose: they live in the database (settings
 * pages), so every instance behind a load balancer sees the same values. */
const struct config_key config_keys[] = {
	{"db", CONFIG_DB_URL, 0, 0, "--db", "KEFU_DB"},
	{"listen", CONFIG_LISTEN, 0, 0, "--listen", "KEFU_LISTEN"},
	{"threads", CONFIG_INT, 1, 64, "--threads", NULL},
	{"web_dir", CONFIG_PATH, 0, 0, "--web-dir", NULL},
	{"access_log", CONFIG_BOOL, 0, 0, NULL, NULL},
	{"jobs_interval", CONFIG_INT, 0, 86400, NULL, "KEFU_JOBS_INTERVAL"},
	{NULL, 0, 0, 0, NULL, NULL},
};

const struct config_key *config_key_find(const char *name)
{
	for (const struct config_key *k = config_keys; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

static void add_error(struct config *c, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_error(struct config *c, int line, const char *fmt, ...)
{
	if (c->nerr < CONFIG_MAX_ERRORS) {
		struct config_error *e = &c->err[c->nerr];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
		e->line = line;
	}
	c->nerr++;
}

int config_bool(const char *v)
{
	return !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "1");
}

static int is_bool(const char *v)
{
	return config_bool(v) || !strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off") ||
	       !strcmp(v, "0");
}

/* Strict decimal: digits only (after an optional '-'), no overflow. */
static int parse_long(const char *s, long *out)
{
	char *end;
	if (!*s || isspace((unsigned char)*s))
		return -1;
	long v = strtol(s, &end, 10);
	if (*end || v == LONG_MIN || v == LONG_MAX)
		return -1;
	*out = v;
	return 0;
}

static int check_listen(const char *v)
{
	const char *colon = strrchr(v, ':');
	long port;
	if (!colon || colon == v || parse_long(colon + 1, &port) < 0)
		return -1;
	return port >= 1 && port <= 65535 ? 0 : -1;
}

/* Checks one value against its key; on failure adds an error and returns -1. */
static int check_value(struct config *c, int line, const struct config_key *k, const char *v)
{
	long n;
	if (!*v) {
		add_error(c, line, "%s: empty value", k->name);
		return -1;
	}
	switch (k->kind) {
	case CONFIG_DB_URL:
		if (strncmp(v, "sqlite:", 7) && strncmp(v, "postgres://", 11) &&
		    strncmp(v, "postgresql://", 13)) {
			add_error(c, line, "%s: '%s' is not sqlite:PATH or postgres://...", k->name, v);
			return -1;
		}
		if (!strcmp(v, "sqlite:")) {
			add_error(c, line, "%s: sqlite: needs a file path", k->name);
			return -1;
		}
		return 0;
	case CONFIG_LISTEN:
		if (check_listen(v) < 0) {
			add_error(c, line, "%s: '%s' is not HOST:PORT (port 1-65535)", k->name, v);
			return -1;
		}
		return 0;
	case CONFIG_INT:
		if (parse_long(v, &n) < 0 || n < k->min || n > k->max) {
			add_error(c, line, "%s: '%s' is not a whole number from %ld to %ld", k->name, v,
				  k->min, k->max);
			return -1;
		}
		return 0;
	case CONFIG_BOOL:
		if (!is_bool(v)) {
			add_error(c, line, "%s: '%s' is not yes or no", k->name, v);
			return -1;
		}
		return 0;
	case CONFIG_PATH:
		return 0;
	}
	return 0;
}

/* Copies [b, e) trimmed of blanks into out; -1 if it does not fit. */
static int trim_copy(const char *b, const char *e, char *out, size_t size)
{
	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	if ((size_t)(e - b) >= size)
		return -1;
	memcpy(out, b, (size_t)(e - b));
	out[e - b] = '\0';
	return 0;
}

/* Removes one pair of surrounding double quotes; -1 if they are unbalanced. */
static int unquote(char *v)
{
	size_t n = strlen(v);
	if (!n || (v[0] != '"' && v[n - 1] != '"'))
		return 0;
	if (n < 2 || v[0] != '"' || v[n - 1] != '"')
		return -1;
	memmove(v, v + 1, n - 2);
	v[n - 2] = '\0';
	return 0;
}

static void parse_line(struct config *c, int line, const char *b, const char *e)
{
	const char *p = b;
	while (p < e && isspace((unsigned char)*p))
		p++;
	if (p == e || *p == '#' || *p == ';')
		return;
	const char *eq = memchr(p, '=', (size_t)(e - p));
	if (!eq) {
		add_error(c, line, "expected 'key = value'");
		return;
	}
	struct config_entry ent = {.line = line};
	if (trim_copy(p, eq, ent.key, sizeof(ent.key)) < 0) {
		add_error(c, line, "key too long");
		return;
	}
	if (!ent.key[0]) {
		add_error(c, line, "missing key before '='");
		return;
	}
	if (trim_copy(eq + 1, e, ent.value, sizeof(ent.value)) < 0) {
		add_error(c, line, "%s: value longer than %d bytes", ent.key, CONFIG_VALUE_SIZE - 1);
		return;
	}
	if (unquote(ent.value) < 0) {
		add_error(c, line, "%s: unbalanced double quote", ent.key);
		return;
	}
	ent.def = config_key_find(ent.key);
	if (!ent.def) {
		add_error(c, line, "unknown key '%s'", ent.key);
		return;
	}
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->e[i].key, ent.key)) {
			add_error(c, line, "%s: already set on line %d", ent.key, c->e[i].line);
			return;
		}
	if (check_value(c, line, ent.def, ent.value) < 0)
		return;
	if (c->n == CONFIG_MAX_ENTRIES) {
		add_error(c, line, "too many keys");
		return;
	}
	c->e[c->n++] = ent;
}

int config_parse(const char *text, size_t len, struct config *c)
{
	memset(c, 0, sizeof(*c));
	const char *p = text, *end = text + len;
	int line = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		line++;
		if (memchr(p, '\0', (size_t)(e - p)))
			add_error(c, line, "NUL byte in line");
		else
			parse_line(c, line, p, e > p && e[-1] == '\r' ? e - 1 : e);
		p = nl ? nl + 1 : end;
	}
	return c->nerr;
}

const char *config_get(const struct config *c, const char *key)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->e[i].key, key))
			return c->e[i].value;
	return NULL;
}
