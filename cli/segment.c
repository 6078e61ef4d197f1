/* segment.c - `kefu segment`: recomputes customer tiers, RFM scores,
 * lifecycle and key-account suggestions now (what POST
 * /api/segments/recompute does), e.g. nightly from cron, and prints what
 * changed. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>

#include "app/segment.h"
#include "lib/common.h"
#include "lib/util.h"

int cmd_segment(int argc, char **argv)
{
	const char *dburl = NULL;
	int quiet = 0, c;
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"quiet", no_argument, 0, 'q'},
					     {0, 0, 0, 0}};
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd') {
			dburl = optarg;
		} else if (c == 'q') {
			quiet = 1;
		} else {
			fprintf(stderr, "usage: kefu segment [--db URL] [--quiet]\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "usage: kefu segment [--db URL] [--quiet]\n");
		return EXIT_USAGE;
	}
	db *d = cli_open_db(cli_db_url(dburl), 0);
	if (!d)
		return EXIT_DB;
	struct segment_run run;
	kf_err e;
	kf_err_clear(&e);
	int rc = segment_recompute(d, 0, "cli", util_now_ms(), &run, &e);
	db_close(d);
	if (rc < 0) {
		fprintf(stderr, "kefu segment: %s\n", e.en);
		return EXIT_FAIL;
	}
	if (!quiet) {
		printf("segment run %lld: %lld customers (%lld buyers) in %lld ms"
		       " (read %lld, compute %lld, write %lld)\n",
		       (long long)run.id, (long long)run.customers, (long long)run.buyers,
		       (long long)(run.finished_at - run.started_at), (long long)run.read_ms,
		       (long long)run.compute_ms, (long long)run.write_ms);
		printf("  tiers:");
		for (int t = 0; t < SEG_NTIERS; t++)
			printf(" %s %lld", seg_tier_code(t), (long long)run.tiers[t]);
		printf("\n  changed: %lld tiers, %lld lifecycles; key-account suggestions: %lld\n",
		       (long long)run.tier_changes, (long long)run.lifecycle_changes,
		       (long long)run.key_suggestions);
	}
	return EXIT_OK;
}
