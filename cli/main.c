/* main.c - `kefu VERB ...`: the verb table and the shared helpers. */
#include "cli/cli.h"
#include "cli/config.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kefu_config.h"
#include "lib/common.h"
#include "lib/util.h"
#include "store/migrate.h"

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);
int cmd_config(int argc, char **argv); /* cli/config.c */
int cmd_doctor(int argc, char **argv); /* cli/doctor.c */
int cmd_migrate_db(int argc, char **argv); /* cli/migrate_db.c */
int cmd_backup(int argc, char **argv);     /* cli/backup.c */
int cmd_restore(int argc, char **argv);    /* cli/backup.c */
int cmd_simulate(int argc, char **argv); /* cli/simulate.c */
int cmd_search(int argc, char **argv);  /* cli/search.c */
int cmd_import(int argc, char **argv); /* cli/import.c */
int cmd_mail_in(int argc, char **argv); /* cli/mail_in.c */
int cmd_segment(int argc, char **argv); /* cli/segment.c */

static const struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} verbs[] = {
	{"serve", cmd_serve, "serve [--db URL] [--listen HOST:PORT] [--threads N] [--web-dir DIR] [--no-access-log]"},
	{"init", cmd_init, "init [--db URL] [--admin NAME]"},
	{"migrate", cmd_migrate, "migrate [--db URL] [--status] [--to VERSION]"},
	{"user", cmd_user,
	 "user add NAME --role agent|supervisor|admin [--display NAME] [--capability 1-5]\n"
	 "       user list | user passwd NAME | user disable NAME | user enable NAME   [--db URL]"},
	{"demo", cmd_demo, "demo [--db URL] [--customers N] [--seed S] [--if-empty]"},
	{"segment", cmd_segment, "segment [--db URL] [--quiet]   recompute customer tiers, RFM, lifecycle"},
	{"import", cmd_import, "import --file F [--kind customers|orders] [--map 'HEADER=field,#N=-'] [--dry-run] [--duplicates merge|skip] [--as USER] [--db URL]"},
	{"search", cmd_search, "search reindex [--kind customer|case|kb] | refresh | status [--db URL]   the search index"},
	{"simulate", cmd_simulate, "simulate [--url URL] [--date D] [--calls N] [--agents N] [--seed S]   a hotline day posted to the events API"},
	{"config", cmd_config, "config check [FILE]   check kefu.conf (FILE or $KEFU_CONFIG): what is wrong and on which line"},
	{"doctor", cmd_doctor, "doctor [--config FILE] [--db URL] [--listen HOST:PORT]   check a running installation"},
	{"mail-in", cmd_mail_in, "mail-in [--db URL] < message   (an MTA's pipe: store an e-mail, open or update its case)"},
	{"migrate-db", cmd_migrate_db, "migrate-db --from URL --to URL [--batch N]   copy a database (e.g. SQLite to PostgreSQL) into an empty one, verified"},
	{"backup", cmd_backup, "backup [--db URL] --out FILE   a consistent copy, taken while kefu serve runs"},
	{"restore", cmd_restore, "restore [--db URL] --from FILE [--force]   put a copy back (kefu serve stopped), then migrate"},
	{"version", cmd_version, "version"},
	{"help", cmd_help, "help"},
};

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("kefu %s (%s)\n", KEFU_VERSION, KEFU_GIT_REV);
	return EXIT_OK;
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("kefu %s - 客服管理系统 customer-service management\n\nUsage:\n", KEFU_VERSION);
	for (size_t i = 0; i < KF_ARRAY_LEN(verbs); i++)
		printf("  kefu %s\n", verbs[i].usage);
	printf("\nThe database URL is sqlite:PATH or postgres://...; default $KEFU_DB,\n"
	       "the db line of the file $KEFU_CONFIG names (serve: also --config FILE), or sqlite:kefu.db.\n"
	       "serve listens on $KEFU_LISTEN or 127.0.0.1:8080.\n\n"
	       "Exit codes: 0 success, 1 the command failed, 2 wrong usage,\n"
	       "            3 the database could not be opened or migrated.\n");
	return EXIT_OK;
}

const char *cli_db_url(const char *flag)
{
	if (flag && *flag)
		return flag;
	const char *env = getenv("KEFU_DB");
	if (env && *env)
		return env;
	const char *conf = cli_config_db(); /* db in $KEFU_CONFIG (cli/config.h) */
	return conf ? conf : "sqlite:kefu.db";
}

db *cli_open_db(const char *url, int verbose)
{
	char err[512];
	db *d;
	if (db_open(url, &d, err, sizeof(err)) < 0) {
		fprintf(stderr, "kefu: %s\n", err);
		return NULL;
	}
	if (store_migrate(d, verbose, err, sizeof(err)) < 0) {
		fprintf(stderr, "kefu: %s\n", err);
		db_close(d);
		return NULL;
	}
	return d;
}

void cli_generate_password(char *out, size_t len)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (;;) {
		int letter = 0, digit = 0;
		for (size_t i = 0; i + 1 < len; i++) {
			char c = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
			out[i] = c;
			letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
			digit |= c >= '0' && c <= '9';
		}
		out[len - 1] = '\0';
		if (letter && digit)
			return;
	}
}

int main(int argc, char **argv)
{
	if (util_crypto_init() < 0) {
		fprintf(stderr, "kefu: cannot initialise libsodium\n");
		return EXIT_FAIL;
	}
	if (argc < 2) {
		cmd_help(0, NULL);
		return EXIT_USAGE;
	}
	const char *v = argv[1];
	if (!strcmp(v, "--version") || !strcmp(v, "-V"))
		return cmd_version(0, NULL);
	if (!strcmp(v, "--help") || !strcmp(v, "-h"))
		return cmd_help(0, NULL);
	for (size_t i = 0; i < KF_ARRAY_LEN(verbs); i++)
		if (!strcmp(verbs[i].name, v))
			return verbs[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "kefu: unknown command '%s' (try 'kefu help')\n", v);
	return EXIT_USAGE;
}
