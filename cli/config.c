/* config.c - `kefu config check [FILE]`, and kefu.conf for `kefu serve`
 * (see cli/config.h for the precedence of flags, environment and file). */
#include "cli/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/common.h"

enum { CONFIG_FILE_MAX = 1 << 20 };

/* Reads the whole file (at most CONFIG_FILE_MAX bytes) into a malloc'd
 * buffer; NULL with the reason printed. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "kefu: cannot read %s: %s\n", path, strerror(errno));
		return NULL;
	}
	char *buf = malloc(CONFIG_FILE_MAX + 1);
	size_t n = buf ? fread(buf, 1, CONFIG_FILE_MAX + 1, f) : 0;
	int bad = !buf || ferror(f) || n > CONFIG_FILE_MAX;
	fclose(f);
	if (bad) {
		fprintf(stderr, "kefu: cannot read %s: %s\n", path,
			n > CONFIG_FILE_MAX ? "larger than 1 MiB" : "read error");
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int cli_config_load(const char *path, struct config *c)
{
	size_t len;
	char *text = read_file(path, &len);
	if (!text)
		return -1;
	int nerr = config_parse(text, len, c);
	free(text);
	for (int i = 0; i < nerr && i < CONFIG_MAX_ERRORS; i++)
		fprintf(stderr, "%s:%d: %s\n", path, c->err[i].line, c->err[i].msg);
	if (nerr > CONFIG_MAX_ERRORS)
		fprintf(stderr, "%s: %d more errors\n", path, nerr - CONFIG_MAX_ERRORS);
	return nerr;
}

/* Finds --config FILE / --config=FILE, removes it from argv; NULL if absent,
 * *bad set when the flag has no value. */
static const char *take_config_flag(int *argc, char **argv, int *bad)
{
	const char *path = NULL;
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--config")) {
			if (i + 1 >= *argc) {
				*bad = 1;
				continue;
			}
			path = argv[++i];
		} else if (!strncmp(argv[i], "--config=", 9)) {
			path = argv[i] + 9;
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	return path;
}

/* Appends the file's settings to nv as flags, or sets their environment
 * variables; environment already set wins over the file. */
static int file_to_flags(const struct config *c, char **nv, int n)
{
	for (int i = 0; i < c->n; i++) {
		const struct config_entry *e = &c->e[i];
		const struct config_key *k = e->def;
		const char *env = k->env ? getenv(k->env) : NULL;
		if (env && *env)
			continue;
		if (k->flag) {
			nv[n++] = (char *)k->flag;
			nv[n++] = (char *)e->value;
		} else if (k->env) {
			setenv(k->env, e->value, 0);
		} else if (!strcmp(k->name, "access_log") && !config_bool(e->value)) {
			nv[n++] = (char *)"--no-access-log";
		}
	}
	return n;
}

int cli_config_argv(int *argc, char ***argv)
{
	int bad = 0;
	const char *path = take_config_flag(argc, *argv, &bad);
	if (bad) {
		fprintf(stderr, "kefu: --config needs a file\n");
		return -1;
	}
	if (!path || !*path)
		path = getenv("KEFU_CONFIG");
	if (!path || !*path)
		return 0;
	static struct config c; /* its values are the new argv's strings */
	if (cli_config_load(path, &c) != 0)
		return -1;
	/* Static like c: the new argv lives as long as the process. */
	static char **nv;
	free(nv);
	nv = calloc((size_t)(*argc + 2 * CONFIG_MAX_ENTRIES + 1), sizeof(*nv));
	if (!nv)
		return -1;
	nv[0] = (*argv)[0];
	int n = file_to_flags(&c, nv, 1);
	for (int i = 1; i < *argc; i++)
		nv[n++] = (*argv)[i];
	nv[n] = NULL;
	*argc = n;
	*argv = nv;
	return 0;
}

/* Prints a setting, hiding a password in a database URL (user:PASSWORD@). */
static void print_setting(const struct config_entry *e)
{
	const char *v = e->value, *scheme = strstr(v, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
	if (e->def->kind == CONFIG_DB_URL && colon)
		printf("  %-14s = %.*s:***%s\n", e->key, (int)(colon - v), v, at);
	else
		printf("  %-14s = %s\n", e->key, v);
}

const char *cli_config_db(void)
{
	static struct config c;
	static int loaded;
	const char *path = getenv("KEFU_CONFIG");
	if (!path || !*path)
		return NULL;
	if (!loaded)
		loaded = cli_config_load(path, &c) == 0 ? 1 : -1;
	return loaded > 0 ? config_get(&c, "db") : NULL;
}

static int config_check(const char *path)
{
	if (!path || !*path)
		path = getenv("KEFU_CONFIG");
	if (!path || !*path) {
		fprintf(stderr, "usage: kefu config check [FILE]   (or set $KEFU_CONFIG)\n");
		return EXIT_USAGE;
	}
	static struct config c;
	int nerr = cli_config_load(path, &c);
	if (nerr < 0)
		return EXIT_FAIL;
	if (nerr > 0) {
		fprintf(stderr, "%s: %d error%s\n", path, nerr, nerr == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	printf("%s: ok (%d setting%s)\n", path, c.n, c.n == 1 ? "" : "s");
	for (int i = 0; i < c.n; i++)
		print_setting(&c.e[i]);
	return EXIT_OK;
}

int cmd_config(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "check") && argc <= 3)
		return config_check(argc == 3 ? argv[2] : NULL);
	fprintf(stderr, "usage: kefu config check [FILE]\n");
	return EXIT_USAGE;
}
