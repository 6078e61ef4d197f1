/* config.h - reading kefu.conf for the verbs (core/config.h parses it).
 *
 * Precedence, highest first: command-line flags, environment variables
 * ($KEFU_DB, $KEFU_LISTEN, $KEFU_JOBS_INTERVAL), the configuration file
 * (--config FILE, else $KEFU_CONFIG), the built-in defaults. */
#ifndef KF_CLI_CONFIG_H
#define KF_CLI_CONFIG_H

#include "core/config.h"

/* Reads and parses path into *c.  Returns 0; -1 if the file cannot be read
 * (reason printed); the number of errors (> 0) if it has errors, each
 * printed as "PATH:LINE: message" to stderr. */
int cli_config_load(const char *path, struct config *c);

/* For `kefu serve`: takes --config FILE (or --config=FILE) out of *argv,
 * falls back to $KEFU_CONFIG, and when there is a file puts its settings in
 * front of the remaining arguments as flags (so later, user-given flags
 * win) or into the environment (without overwriting what is set).
 * *argv is replaced by a new vector that lives until exit.  Returns 0, or
 * -1 after printing why (file unreadable or with errors). */
int cli_config_argv(int *argc, char ***argv);

/* The db setting of the file named by $KEFU_CONFIG, for the verbs other
 * than serve (init, migrate, user, demo...): NULL without one, or when the
 * file cannot be read or has errors (printed). */
const char *cli_config_db(void);

#endif
