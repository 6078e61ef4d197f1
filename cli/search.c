/* search.c - `kefu search`: maintain the search index from the command
 * line.  `reindex` rebuilds it from the records (after a bulk load such as
 * `kefu demo`, or to repair it) and prints the indexing rate; `refresh`
 * catches up with what changed, as every search does; `status` compares
 * what is indexed with what exists. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/search.h"
#include "lib/common.h"
#include "lib/util.h"

static const char usage[] =
	"usage: kefu search reindex [--kind customer|case|kb] [--db URL]\n"
	"       kefu search refresh | status [--db URL]\n";

struct progress {
	int64_t started_us;
	int tty;
};

static void show(long done, void *ctx)
{
	struct progress *p = ctx;
	if (!p->tty)
		return;
	double s = (double)(util_mono_us() - p->started_us) / 1e6;
	fprintf(stderr, "\r  %ld 条记录已索引  %.0f/s ", done, s > 0 ? done / s : 0.0);
}

static int reindex(db *d, int kind)
{
	struct progress p = {util_mono_us(), isatty(2)};
	struct search_reindex_stats st = {{0}, {0}};
	long n = search_reindex(d, kind, show, &p, &st);
	double s = (double)(util_mono_us() - p.started_us) / 1e6;
	if (p.tty)
		fprintf(stderr, "\n");
	if (n < 0) {
		fprintf(stderr, "kefu search: reindexing failed: %s\n", db_errmsg(d));
		return EXIT_FAIL;
	}
	for (int k = 0; k < SEARCH__COUNT; k++)
		if (kind < 0 || k == kind)
			printf("%-8s %ld records in %.2f s (%.0f records/s)\n", search_kind_name(k), st.n[k],
			       st.secs[k], st.secs[k] > 0 ? st.n[k] / st.secs[k] : 0.0);
	printf("indexed %ld records in %.2f s (%.0f records/s)\n", n, s, s > 0 ? n / s : 0.0);
	return EXIT_OK;
}

static int status(db *d)
{
	static const char *const src[SEARCH__COUNT] = {
		"SELECT COUNT(*) FROM customers", "SELECT COUNT(*) FROM cases",
		"SELECT COUNT(*) FROM kb_answers WHERE status = 'published'"};
	for (int k = 0; k < SEARCH__COUNT; k++) {
		int64_t have = 0, indexed = 0;
		char sql[96];
		if (k == SEARCH_CASE && !search_has_cases(d))
			continue;
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM search_%s", search_kind_name(k));
		if (db_query_int(d, src[k], DB_ARGS(), &have) < 0 ||
		    db_query_int(d, sql, DB_ARGS(), &indexed) < 0) {
			fprintf(stderr, "kefu search: %s\n", db_errmsg(d));
			return EXIT_FAIL;
		}
		printf("%-8s %10lld records %10lld indexed\n", search_kind_name(k), (long long)have,
		       (long long)indexed);
	}
	return EXIT_OK;
}

int cmd_search(int argc, char **argv)
{
	const char *dburl = NULL, *kind_name = NULL;
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"kind", required_argument, 0, 'k'},
					     {0, 0, 0, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			dburl = optarg;
		else if (c == 'k')
			kind_name = optarg;
		else
			return fputs(usage, stderr), EXIT_USAGE;
	}
	if (optind + 1 != argc)
		return fputs(usage, stderr), EXIT_USAGE;
	const char *what = argv[optind];
	int kind = kind_name ? search_kind_parse(kind_name) : -1;
	if (kind_name && kind < 0)
		return fputs(usage, stderr), EXIT_USAGE;
	db *d = cli_open_db(cli_db_url(dburl), 0);
	if (!d)
		return EXIT_DB;
	int rc = EXIT_USAGE;
	if (!strcmp(what, "reindex")) {
		rc = reindex(d, kind);
	} else if (!strcmp(what, "refresh")) {
		int n, total = 0;
		while ((n = search_refresh(d, SEARCH_REFRESH_BUDGET)) > 0)
			total += n;
		rc = n < 0 ? EXIT_FAIL : EXIT_OK;
		if (n >= 0)
			printf("caught up: %d records indexed\n", total);
	} else if (!strcmp(what, "status")) {
		rc = status(d);
	} else {
		fputs(usage, stderr);
	}
	db_close(d);
	return rc;
}
