/* cli.h - the verbs of the kefu command.  Each verb is one file and one
 * function taking its own argv (argv[0] is the verb). */
#ifndef KF_CLI_H
#define KF_CLI_H

#include <stddef.h>

#include "store/db.h"

/* Exit codes, documented in `kefu help` and the README. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,  /* the command ran and failed */
	EXIT_USAGE = 2, /* wrong flags or arguments */
	EXIT_DB = 3,    /* the database cannot be opened or migrated */
};

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_demo(int argc, char **argv);

/* The database URL: --db, else $KEFU_DB, else sqlite:kefu.db. */
const char *cli_db_url(const char *flag);
/* Opens and migrates; prints the reason and returns NULL on failure. */
db *cli_open_db(const char *url, int verbose);
/* A random password that meets the policy (letters and digits, 16 chars). */
void cli_generate_password(char *out, size_t len);

#endif
