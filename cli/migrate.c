/* migrate.c - `kefu migrate`: apply pending schema migrations, or show
 * where the database stands with --status. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>

#include "lib/common.h"
#include "lib/util.h"
#include "store/migrate.h"

int cmd_migrate(int argc, char **argv)
{
	const char *dburl = NULL;
	int status = 0;
	int64_t upto = 0;
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"status", no_argument, 0, 's'},
					     {"to", required_argument, 0, 't'},
					     {0, 0, 0, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			dburl = optarg;
		else if (c == 's')
			status = 1;
		else if (c == 't' && util_parse_i64(optarg, &upto) == 0 && upto >= 1 && upto <= 9999)
			;
		else {
			fprintf(stderr, "usage: kefu migrate [--db URL] [--status] [--to VERSION]\n");
			return EXIT_USAGE;
		}
	}
	const char *url = cli_db_url(dburl);
	char err[512];
	db *d;
	if (db_open(url, &d, err, sizeof(err)) < 0) {
		fprintf(stderr, "kefu: %s\n", err);
		return EXIT_DB;
	}
	if (status) {
		int v = store_schema_version(d);
		printf("schema version %d of %d%s\n", v < 0 ? 0 : v, store_latest_version(),
		       v == store_latest_version() ? " (current)" : " (migrations pending)");
		db_close(d);
		return EXIT_OK;
	}
	int n = store_migrate_to(d, (int)upto, 1, err, sizeof(err));
	if (n < 0) {
		db_close(d);
		fprintf(stderr, "kefu: %s\n", err);
		return EXIT_DB;
	}
	int v = store_schema_version(d);
	db_close(d);
	if (upto && v < store_latest_version())
		printf("%d migration(s) applied; schema version %d of %d\n", n, v, store_latest_version());
	else
		printf(n ? "%d migration(s) applied; schema is current\n" : "schema is current\n", n);
	return EXIT_OK;
}
