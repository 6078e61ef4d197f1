/* doctor.c - `kefu doctor [--config FILE] [--db URL] [--listen HOST:PORT]`:
 * checks a running installation and prints one line per check: the
 * configuration, the database (reachable, migrations current), the disk
 * holding a SQLite database, the clock, the server answering /healthz, and
 * the outgoing mail server of the mail settings greeting with 220.
 * Exit 0 when nothing failed (warnings allowed), 1 otherwise. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cli/config.h"
#include "core/mailcheck.h"
#include "lib/common.h"
#include "lib/util.h"
#include "store/migrate.h"

enum { OK, WARN, FAIL, SKIP };

enum { DOCTOR_TIMEOUT_S = 5 };

struct doctor {
	const char *config, *dburl, *listen;
	int failed;
	db *d;
};

static void report(struct doctor *dr, int level, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void report(struct doctor *dr, int level, const char *what, const char *fmt, ...)
{
	static const char *tag[] = {"ok  ", "WARN", "FAIL", "skip"};
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("%s  %-10s %s\n", tag[level], what, msg);
	if (level == FAIL)
		dr->failed = 1;
}

/* The settings: flags, then environment, then the file, then defaults. */
static void check_config(struct doctor *dr)
{
	static struct config c;
	if (!dr->config || !*dr->config)
		dr->config = getenv("KEFU_CONFIG");
	if (dr->config && *dr->config) {
		int nerr = cli_config_load(dr->config, &c);
		if (nerr < 0)
			report(dr, FAIL, "config", "%s cannot be read", dr->config);
		else if (nerr)
			report(dr, FAIL, "config", "%s has %d error(s) (kefu config check)", dr->config, nerr);
		else
			report(dr, OK, "config", "%s (%d settings)", dr->config, c.n);
	} else {
		report(dr, OK, "config", "no file (--config or $KEFU_CONFIG): defaults and environment");
	}
	if (!dr->dburl && !getenv("KEFU_DB"))
		dr->dburl = config_get(&c, "db");
	dr->dburl = cli_db_url(dr->dburl);
	if (!dr->listen)
		dr->listen = getenv("KEFU_LISTEN");
	if (!dr->listen || !*dr->listen)
		dr->listen = config_get(&c, "listen");
	if (!dr->listen)
		dr->listen = "127.0.0.1:8080";
}

static const char *sqlite_path(const char *url)
{
	if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13))
		return NULL;
	return !strncmp(url, "sqlite:", 7) ? url + 7 : url;
}

static void check_db(struct doctor *dr)
{
	const char *path = sqlite_path(dr->dburl);
	struct stat st;
	if (path && stat(path, &st) < 0) { /* opening would create an empty one */
		report(dr, FAIL, "database", "%s does not exist (kefu init)", path);
		return;
	}
	char err[512];
	if (db_open(dr->dburl, &dr->d, err, sizeof(err)) < 0) {
		report(dr, FAIL, "database", "cannot open: %s", err);
		return;
	}
	int64_t one = 0;
	if (db_query_int(dr->d, "SELECT 1", DB_ARGS(), &one) != DB_ROW) {
		report(dr, FAIL, "database", "opened but does not answer: %s", db_errmsg(dr->d));
		return;
	}
	report(dr, OK, "database", "%s reachable", path ? "sqlite" : "postgres");
	int have = store_schema_version(dr->d), want = store_latest_version();
	if (have < 0)
		report(dr, FAIL, "schema", "cannot read the schema version");
	else if (have < want)
		report(dr, WARN, "schema", "version %d, this kefu has %d: the next start (or kefu migrate) applies %d migration(s)",
		       have, want, want - have);
	else if (have > want)
		report(dr, FAIL, "schema", "version %d is newer than this kefu (%d): upgrade kefu", have, want);
	else
		report(dr, OK, "schema", "version %d, current", have);
}

static void check_disk(struct doctor *dr)
{
	const char *path = sqlite_path(dr->dburl);
	if (!path) {
		report(dr, OK, "disk", "PostgreSQL: check the database server's disk there");
		return;
	}
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	struct statvfs vs;
	if (statvfs(dir, &vs) < 0) {
		report(dr, FAIL, "disk", "cannot stat %s", dir);
		return;
	}
	double mib = (double)vs.f_bavail * (double)vs.f_frsize / (1024.0 * 1024.0);
	int level = mib < 100 ? FAIL : mib < 1024 ? WARN : OK;
	report(dr, level, "disk", "%.0f MiB free in %s%s", mib, dir,
	       level == OK ? "" : " (SQLite needs room for its WAL and for backups)");
}

static void check_clock(struct doctor *dr)
{
	int64_t now = util_now_ms();
	/* 2024-01-01 .. 2100-01-01: a clock outside is surely unset. */
	if (now < 1704067200000LL || now > 4102444800000LL) {
		report(dr, FAIL, "clock", "system time %lld ms is not plausible: set the clock (NTP)", (long long)now);
		return;
	}
	if (!dr->d || dr->d->kind != DB_PG) {
		report(dr, OK, "clock", "system time plausible");
		return;
	}
	int64_t pg = 0;
	if (db_query_int(dr->d, "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
			 DB_ARGS(), &pg) != DB_ROW) {
		report(dr, WARN, "clock", "cannot read the database server's clock");
		return;
	}
	int64_t skew = llabs(util_now_ms() - pg);
	report(dr, skew > 60000 ? FAIL : skew > 2000 ? WARN : OK, "clock",
	       "%lld ms apart from the database server's clock", (long long)skew);
}

/* Splits HOST:PORT ([v6]:PORT too); a wildcard host is asked on loopback. */
static int split_listen(const char *listen, char *host, size_t hlen, const char **port)
{
	const char *colon = strrchr(listen, ':');
	if (!colon)
		return -1;
	const char *h = listen;
	size_t n = (size_t)(colon - listen);
	if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
		h++;
		n -= 2;
	}
	if (n >= hlen)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	if (!n || !strcmp(host, "0.0.0.0") || !strcmp(host, "*"))
		snprintf(host, hlen, "127.0.0.1");
	else if (!strcmp(host, "::"))
		snprintf(host, hlen, "::1");
	*port = colon + 1;
	return 0;
}

/* A TCP connection with DOCTOR_TIMEOUT_S for connecting, each read and
 * each write; -1 with why set when none could be made. */
static int connect_to(const char *host, const char *port, char *why, size_t whylen)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res, *ai;
	int gai = getaddrinfo(host, port, &hints, &res);
	if (gai != 0) {
		snprintf(why, whylen, "%s", gai_strerror(gai));
		return -1;
	}
	snprintf(why, whylen, "no address");
	int fd = -1;
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0)
			continue;
		struct timeval tv = {DOCTOR_TIMEOUT_S, 0};
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			snprintf(why, whylen, "%s", errno == EINPROGRESS ? "timed out" : strerror(errno));
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	return fd;
}

static void check_server(struct doctor *dr)
{
	char host[256], req[512], resp[1024], why[128];
	const char *port;
	if (split_listen(dr->listen, host, sizeof(host), &port) < 0) {
		report(dr, FAIL, "server", "listen address '%s' is not HOST:PORT", dr->listen);
		return;
	}
	int fd = connect_to(host, port, why, sizeof(why));
	if (fd < 0) {
		report(dr, FAIL, "server", "nothing answers on %s (is kefu serve running?)", dr->listen);
		return;
	}
	int n = snprintf(req, sizeof(req), "GET /healthz HTTP/1.0\r\nHost: %s\r\n\r\n", host);
	size_t got = 0;
	if (write(fd, req, (size_t)n) == n) {
		ssize_t k;
		while (got + 1 < sizeof(resp) && (k = read(fd, resp + got, sizeof(resp) - 1 - got)) > 0)
			got += (size_t)k;
	}
	close(fd);
	resp[got] = '\0';
	const char *body = strstr(resp, "\r\n\r\n");
	if (!strncmp(resp, "HTTP/1.", 7) && !strncmp(resp + 8, " 200", 4))
		report(dr, OK, "server", "%s/healthz: %s", dr->listen, body ? body + 4 : "");
	else
		report(dr, FAIL, "server", "%s/healthz did not answer 200: %.40s", dr->listen, resp);
}

/* The outgoing mail server (mail.smtp_url of the mail settings, in the
 * database): it accepts a TCP connection and greets with 220 within
 * DOCTOR_TIMEOUT_S.  With smtps:// (TLS from the first byte) the greeting
 * is encrypted: the connection alone is checked. */
static void check_mail(struct doctor *dr)
{
	if (!dr->d) {
		report(dr, SKIP, "mail", "the mail settings are in the database, which did not open");
		return;
	}
	char url[600] = "";
	db_stmt *st;
	if (db_query(dr->d, "SELECT value FROM settings WHERE key = 'mail.smtp_url'", DB_ARGS(), &st) < 0) {
		report(dr, FAIL, "mail", "cannot read the mail settings: %s", db_errmsg(dr->d));
		return;
	}
	if (db_step(st) == DB_ROW && db_col_text(st, 0))
		snprintf(url, sizeof(url), "%s", db_col_text(st, 0));
	db_done(st);
	if (!*url) {
		report(dr, SKIP, "mail", "no SMTP server in the mail settings: nothing to check");
		return;
	}
	struct smtp_addr sa;
	if (smtp_url_parse(url, &sa) < 0) {
		report(dr, FAIL, "mail", "the SMTP URL of the mail settings is not smtp://HOST[:PORT] or smtps://...");
		return;
	}
	/* Named by host and port only: the URL may hold a password. */
	char where[300];
	snprintf(where, sizeof(where), "%s://%s%s%s:%s", sa.tls ? "smtps" : "smtp", strchr(sa.host, ':') ? "[" : "",
		 sa.host, strchr(sa.host, ':') ? "]" : "", sa.port);
	char why[128];
	int fd = connect_to(sa.host, sa.port, why, sizeof(why));
	if (fd < 0) {
		report(dr, FAIL, "mail", "%s: cannot connect (%s)", where, why);
		return;
	}
	if (sa.tls) {
		close(fd);
		report(dr, OK, "mail", "%s accepts connections (TLS from the first byte: greeting not read)", where);
		return;
	}
	char buf[1024];
	size_t got = 0;
	int g = 0;
	ssize_t k;
	while (g == 0 && got + 1 < sizeof(buf) && (k = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0) {
		got += (size_t)k;
		g = smtp_greeting(buf, got);
	}
	if (g == 1 && write(fd, "QUIT\r\n", 6) < 0) {
		/* the greeting is what counts */
	}
	close(fd);
	buf[got] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (g == 1)
		report(dr, OK, "mail", "%s: %.120s", where, buf);
	else if (g < 0)
		report(dr, FAIL, "mail", "%s answers, but not with an SMTP greeting (220): %.120s", where, buf);
	else
		report(dr, FAIL, "mail", "%s: no SMTP greeting within %d s", where, DOCTOR_TIMEOUT_S);
}

int cmd_doctor(int argc, char **argv)
{
	struct doctor dr = {0};
	static const struct option opts[] = {{"config", required_argument, 0, 'c'},
					     {"db", required_argument, 0, 'd'},
					     {"listen", required_argument, 0, 'l'},
					     {0, 0, 0, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			dr.config = optarg;
		else if (c == 'd')
			dr.dburl = optarg;
		else if (c == 'l')
			dr.listen = optarg;
		else {
			fprintf(stderr, "usage: kefu doctor [--config FILE] [--db URL] [--listen HOST:PORT]\n");
			return EXIT_USAGE;
		}
	}
	check_config(&dr);
	check_db(&dr);
	check_disk(&dr);
	check_clock(&dr);
	check_server(&dr);
	check_mail(&dr);
	db_close(dr.d);
	printf(dr.failed ? "kefu doctor: problems found\n" : "kefu doctor: all good\n");
	return dr.failed ? EXIT_FAIL : EXIT_OK;
}
