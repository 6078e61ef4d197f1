/* mail_in.c - `kefu mail-in`: one e-mail message on standard input, as an
 * MTA's pipe delivers it (Postfix: `kefu unix - n n - - pipe
 * argv=/usr/bin/kefu mail-in --db URL`), stored and put on a case.
 *
 * Exit codes follow sysexits(3), which MTAs act on: 0 delivered (or seen
 * before), 65 (EX_DATAERR) not a message we can read: bounce it,
 * 75 (EX_TEMPFAIL) the database failed: the MTA retries later. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/mail.h"
#include "lib/common.h"

enum { EX_DATAERR_ = 65, EX_TEMPFAIL_ = 75 };

int cmd_mail_in(int argc, char **argv)
{
	const char *dburl = NULL;
	static const struct option opts[] = {{"db", required_argument, 0, 'd'}, {0, 0, 0, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'd') {
			fprintf(stderr, "usage: kefu mail-in [--db URL] < message\n");
			return EXIT_USAGE;
		}
		dburl = optarg;
	}
	buf in;
	buf_init(&in, (size_t)MAIL_MAX_MESSAGE);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
		if (buf_append(&in, chunk, n) < 0) {
			fprintf(stderr, "kefu mail-in: the message exceeds %d MiB\n", MAIL_MAX_MESSAGE >> 20);
			buf_release(&in);
			return EX_DATAERR_;
		}
	}
	db *d = cli_open_db(cli_db_url(dburl), 0);
	if (!d) {
		buf_release(&in);
		return EX_TEMPFAIL_;
	}
	int64_t mail_id, case_id;
	int dup;
	kf_err e;
	kf_err_clear(&e);
	int rc = mail_receive(d, in.data ? in.data : "", in.len, &mail_id, &case_id, &dup, &e);
	buf_release(&in);
	if (rc < 0) {
		fprintf(stderr, "kefu mail-in: %s (%s)\n", e.zh, e.en);
		db_close(d);
		return e.code == KF_EINVAL || e.code == KF_ETOOBIG ? EX_DATAERR_ : EX_TEMPFAIL_;
	}
	char number[64] = "";
	if (case_id) {
		db_stmt *st;
		if (db_query(d, "SELECT number FROM cases WHERE id = ?", DB_ARGS(DBI(case_id)), &st) == 0) {
			if (db_step(st) == DB_ROW)
				snprintf(number, sizeof(number), "%s", db_col_text(st, 0));
			db_done(st);
		}
	}
	printf("mail %lld%s%s%s\n", (long long)mail_id, dup ? " (seen before)" : "",
	       *number ? " case " : "", number);
	db_close(d);
	return EXIT_OK;
}
