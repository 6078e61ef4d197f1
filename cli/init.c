/* init.c - `kefu init`: create the schema and the first admin account.
 * Safe to run again: an existing admin is left alone. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/app.h"
#include "lib/common.h"

int cmd_init(int argc, char **argv)
{
	const char *dburl = NULL, *admin = "admin";
	static const struct option opts[] = {
		{"db", required_argument, 0, 'd'}, {"admin", required_argument, 0, 'a'}, {0, 0, 0, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			dburl = optarg;
		else if (c == 'a')
			admin = optarg;
		else {
			fprintf(stderr, "usage: kefu init [--db URL] [--admin NAME]\n");
			return EXIT_USAGE;
		}
	}
	const char *url = cli_db_url(dburl);
	db *d = cli_open_db(url, 1);
	if (!d)
		return EXIT_DB;
	int64_t id;
	int rc = db_query_int(d, "SELECT id FROM users WHERE username = ?", DB_ARGS(DBT(admin)), &id);
	if (rc == DB_ROW) {
		printf("database %s is ready; the account '%s' already exists (password unchanged)\n", url,
		       admin);
		db_close(d);
		return EXIT_OK;
	}
	char generated[17];
	const char *pw = getenv("KEFU_ADMIN_PASSWORD");
	if (!pw || !*pw) {
		cli_generate_password(generated, sizeof(generated));
		pw = generated;
	}
	kf_err e;
	kf_err_clear(&e);
	if (account_create(d, admin, "系统管理员", "admin", 0, 5, pw, &e, &id) < 0) {
		fprintf(stderr, "kefu init: cannot create '%s': %s\n", admin, e.en);
		db_close(d);
		return EXIT_FAIL;
	}
	db_close(d);
	printf("database %s is ready\n", url);
	if (pw == generated)
		printf("\n  admin account: %s\n  password:      %s\n\n"
		       "  This password is shown only once. 此密码只显示一次，请妥善保存。\n\n",
		       admin, pw);
	else
		printf("admin account '%s' created with the password from KEFU_ADMIN_PASSWORD\n", admin);
	return EXIT_OK;
}
