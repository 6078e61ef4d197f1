/* config.h - kefu.conf, the configuration file: `key = value` lines.
 *
 * Pure: text in, checked key/values out, with line-numbered errors, so
 * `kefu config check`, `kefu serve --config` and `kefu doctor` read the file
 * the same way.  The file format (etc/kefu.conf documents every key):
 *   - one `key = value` per line; blanks around key and value are ignored;
 *   - a line whose first non-blank character is '#' or ';' is a comment
 *     (there are no comments after a value: URLs may contain '#');
 *   - a value may be wrapped in double quotes to keep leading/trailing blanks;
 *   - keys are the ones in the table in config.c; an unknown or repeated key
 *     is an error, so a typo never silently falls back to a default. */
#ifndef KF_CORE_CONFIG_H
#define KF_CORE_CONFIG_H

#include <stddef.h>

enum {
	CONFIG_MAX_ENTRIES = 32,
	CONFIG_MAX_ERRORS = 32,
	CONFIG_KEY_SIZE = 32,
	CONFIG_VALUE_SIZE = 1024,
	CONFIG_MSG_SIZE = 200,
};

/* How a key's value is checked. */
enum config_kind {
	CONFIG_DB_URL,  /* sqlite:PATH or postgres://... / postgresql://... */
	CONFIG_LISTEN,  /* HOST:PORT, port 1..65535 */
	CONFIG_INT,     /* decimal integer in [min, max] */
	CONFIG_BOOL,    /* yes/no, true/false, on/off, 1/0 */
	CONFIG_PATH,    /* any non-empty text */
};

/* One known key: how it is checked and how `kefu serve` receives it
 * (a command-line flag, or an environment variable read deeper down). */
struct config_key {
	const char *name;
	enum config_kind kind;
	long min, max;        /* CONFIG_INT only */
	const char *flag;     /* serve flag taking the value, or NULL */
	const char *env;      /* environment variable that overrides the file, or NULL */
};

struct config_entry {
	char key[CONFIG_KEY_SIZE];
	char value[CONFIG_VALUE_SIZE];
	int line;
	const struct config_key *def;
};

struct config_error {
	int line; /* 0: about the file as a whole */
	char msg[CONFIG_MSG_SIZE];
};

struct config {
	int n;
	struct config_entry e[CONFIG_MAX_ENTRIES];
	int nerr;
	struct config_error err[CONFIG_MAX_ERRORS];
};

/* Parses len bytes of text into *c (fully overwritten).  Returns the number
 * of errors (c->nerr; 0 means the file is good).  Entries with errors are
 * left out of c->e; errors beyond CONFIG_MAX_ERRORS are counted, not kept. */
int config_parse(const char *text, size_t len, struct config *c);

/* The value of key, or NULL if the file does not set it. */
const char *config_get(const struct config *c, const char *key);

/* Reads a CONFIG_BOOL value already checked by config_parse: 1 or 0. */
int config_bool(const char *value);

/* The table of known keys, terminated by {NULL}; and one by name. */
extern const struct config_key config_keys[];
const struct config_key *config_key_find(const char *name);

#endif
