/* serve.c - `kefu serve`: migrate, then answer HTTP until SIGINT/SIGTERM. */
#include "cli/cli.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/config.h"
#include "http/http.h"
#include "app/calls.h"
#include "jobs/channels.h"
#include "jobs/scheduler.h"
#include "lib/common.h"
#include "lib/util.h"

int cmd_serve(int argc, char **argv)
{
	const char *dburl = NULL, *listen = getenv("KEFU_LISTEN"), *web_dir = NULL;
	int threads = 0, access_log = 1;
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"listen", required_argument, 0, 'l'},
					     {"threads", required_argument, 0, 't'},
					     {"no-access-log", no_argument, 0, 'q'},
					     {"web-dir", required_argument, 0, 'w'},
					     {0, 0, 0, 0}};
	int c;
	if (cli_config_argv(&argc, &argv) < 0) /* kefu.conf: --config FILE or $KEFU_CONFIG */
		return EXIT_USAGE;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int64_t n;
		switch (c) {
		case 'd':
			dburl = optarg;
			break;
		case 'l':
			listen = optarg;
			break;
		case 't':
			if (util_parse_i64(optarg, &n) < 0 || n < 1 || n > 64) {
				fprintf(stderr, "kefu serve: --threads takes 1 to 64\n");
				return EXIT_USAGE;
			}
			threads = (int)n;
			break;
		case 'q':
			access_log = 0;
			break;
		case 'w':
			web_dir = optarg;
			break;
		default:
			fprintf(stderr, "usage: kefu serve [--db URL] [--listen HOST:PORT] [--threads N] [--web-dir DIR]\n");
			return EXIT_USAGE;
		}
	}
	if (!listen || !*listen)
		listen = "127.0.0.1:8080";
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 && n < 64 ? (int)n : 2;
	}
	const char *url = cli_db_url(dburl);
	db *d = cli_open_db(url, 0);
	if (!d)
		return EXIT_DB;
	db_close(d);
	db_thread_setup(url);
	/* Block the stop signals before any thread starts: threads inherit the
	 * mask, so SIGINT/SIGTERM reach only http_serve's sigwait and the
	 * server shuts down cleanly instead of dying in whichever thread the
	 * kernel picked. */
	sigset_t stop_signals;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	/* Background jobs (jobs/scheduler.h; issue 4): SLA breach escalation
	 * every $KEFU_JOBS_INTERVAL seconds, stopped after the server. */
	if (jobs_start() < 0 || channels_start() < 0)
		return EXIT_FAIL;
	struct http_options o = {listen, threads, access_log, web_dir};
	if (live_start(url) < 0) { /* live events: PostgreSQL listener, wallboard (app/live.c) */
		channels_stop();
		jobs_stop();
		return EXIT_FAIL;
	}
	int served = http_serve(&o);
	live_stop();
	channels_stop();
	jobs_stop();
	return served < 0 ? EXIT_FAIL : EXIT_OK;
}
