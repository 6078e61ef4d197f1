/* user.c - `kefu user add|list|passwd|disable|enable`: accounts from the
 * shell, for the first set-up and for locked-out admins.  Passwords come
 * from $KEFU_PASSWORD or are generated and printed once. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "lib/common.h"
#include "lib/util.h"

static const char *password_or_generated(char *out, size_t len, int *generated)
{
	const char *pw = getenv("KEFU_PASSWORD");
	*generated = !pw || !*pw;
	if (*generated) {
		cli_generate_password(out, len);
		return out;
	}
	return pw;
}

static int user_add(db *d, const char *name, const char *role, const char *display, int cap)
{
	char gen[17];
	int generated;
	const char *pw = password_or_generated(gen, sizeof(gen), &generated);
	if (role_parse(role) < 0) {
		fprintf(stderr, "kefu user add: --role must be agent, supervisor or admin\n");
		return EXIT_USAGE;
	}
	kf_err e;
	kf_err_clear(&e);
	int64_t id;
	if (account_create(d, name, display ? display : name, role, 0, cap, pw, &e, &id) < 0) {
		fprintf(stderr, "kefu user add: %s\n", e.en);
		return EXIT_FAIL;
	}
	printf("created %s '%s' (id %lld)\n", role, name, (long long)id);
	if (generated)
		printf("password: %s   (shown only once / 只显示一次)\n", pw);
	return EXIT_OK;
}

static int user_list(db *d)
{
	db_stmt *st;
	if (db_query(d, "SELECT id, username, display_name, role, disabled FROM users ORDER BY id",
		     DB_ARGS(), &st) < 0)
		return EXIT_DB;
	printf("%-6s %-20s %-12s %-9s %s\n", "id", "username", "role", "status", "name");
	while (db_step(st) == DB_ROW)
		printf("%-6lld %-20s %-12s %-9s %s\n", (long long)db_col_int(st, 0), db_col_text(st, 1),
		       db_col_text(st, 3), db_col_int(st, 4) ? "disabled" : "active",
		       db_col_text(st, 2));
	db_done(st);
	return EXIT_OK;
}

static int user_id(db *d, const char *name, int64_t *id)
{
	int rc = db_query_int(d, "SELECT id FROM users WHERE username = ?", DB_ARGS(DBT(name)), id);
	if (rc != DB_ROW) {
		fprintf(stderr, "kefu user: no user named '%s'\n", name);
		return -1;
	}
	return 0;
}

static int user_passwd(db *d, const char *name)
{
	int64_t id;
	if (user_id(d, name, &id) < 0)
		return EXIT_FAIL;
	char gen[17];
	int generated;
	const char *pw = password_or_generated(gen, sizeof(gen), &generated);
	kf_err e;
	kf_err_clear(&e);
	if (account_set_password(d, id, pw, &e) < 0) {
		fprintf(stderr, "kefu user passwd: %s\n", e.en);
		return EXIT_FAIL;
	}
	db_exec(d, "DELETE FROM login_failures WHERE username = ?", DB_ARGS(DBT(name)));
	printf("password of '%s' changed; its sessions were ended\n", name);
	if (generated)
		printf("password: %s   (shown only once / 只显示一次)\n", pw);
	return EXIT_OK;
}

static int user_disable(db *d, const char *name, int disable)
{
	int64_t id;
	if (user_id(d, name, &id) < 0)
		return EXIT_FAIL;
	db_exec(d, "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?",
		DB_ARGS(DBI(disable), DBI(util_now_ms()), DBI(id)));
	if (disable) {
		db_exec(d, "DELETE FROM sessions WHERE user_id = ?", DB_ARGS(DBI(id)));
		db_exec(d, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
			DB_ARGS(DBI(util_now_ms()), DBI(id)));
	}
	printf("'%s' %s\n", name, disable ? "disabled; sessions and tokens ended" : "enabled");
	return EXIT_OK;
}

int cmd_user(int argc, char **argv)
{
	const char *dburl = NULL, *role = NULL, *display = NULL;
	int64_t cap = 3;
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"role", required_argument, 0, 'r'},
					     {"display", required_argument, 0, 'n'},
					     {"capability", required_argument, 0, 'c'},
					     {0, 0, 0, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dburl = optarg;
			break;
		case 'r':
			role = optarg;
			break;
		case 'n':
			display = optarg;
			break;
		case 'c':
			if (util_parse_i64(optarg, &cap) < 0 || cap < 1 || cap > 5) {
				fprintf(stderr, "kefu user: --capability takes 1 to 5\n");
				return EXIT_USAGE;
			}
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	const char *sub = argv[optind];
	const char *name = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (strcmp(sub, "list") && !name)
		goto usage;
	if (!strcmp(sub, "add") && !role)
		goto usage;
	db *d = cli_open_db(cli_db_url(dburl), 0);
	if (!d)
		return EXIT_DB;
	int rc;
	if (!strcmp(sub, "add"))
		rc = user_add(d, name, role, display, (int)cap);
	else if (!strcmp(sub, "list"))
		rc = user_list(d);
	else if (!strcmp(sub, "passwd"))
		rc = user_passwd(d, name);
	else if (!strcmp(sub, "disable") || !strcmp(sub, "enable"))
		rc = user_disable(d, name, !strcmp(sub, "disable"));
	else {
		db_close(d);
		goto usage;
	}
	db_close(d);
	return rc;
usage:
	fprintf(stderr, "usage: kefu user add NAME --role agent|supervisor|admin [--display NAME]"
			" [--capability 1-5]\n"
			"       kefu user list | passwd NAME | disable NAME | enable NAME  [--db URL]\n"
			"The password is taken from $KEFU_PASSWORD or generated and printed once.\n");
	return EXIT_USAGE;
}
