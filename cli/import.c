/* import.c - `kefu import`: customers or orders from a CSV or .xlsx file.
 *
 *   kefu import --file F [--kind customers|orders] [--map 'HEADER=field,#3=-,...']
 *               [--dry-run] [--duplicates merge|skip] [--as USER] [--db URL]
 *
 * One pass reads and checks every row (the columns mapped by the header's
 * suggestions, then --map), and prints every problem with its line and
 * column; without --dry-run the good rows are then written in one
 * transaction (all or nothing: Ctrl-C rolls back).  A progress bar is drawn
 * when stderr is a terminal.  Exit: 0 done (or a dry run without
 * problems), 1 problems in a dry run or a failure, 2 usage, 3 database. */
#include "cli/cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/import.h"
#include "lib/common.h"
#include "lib/util.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	KF_UNUSED(sig);
	interrupted = 1;
}

struct bar {
	int tty;
	int64_t started_us;
	const char *phase;
};

static void draw(void *ctx, const char *phase, int64_t done, int64_t total)
{
	struct bar *b = ctx;
	if (!b->tty)
		return;
	if (!b->phase || strcmp(b->phase, phase)) {
		if (b->phase)
			fputc('\n', stderr);
		b->phase = phase;
		b->started_us = util_mono_us();
	}
	double secs = (double)(util_mono_us() - b->started_us) / 1e6;
	int width = 30, fill = total > 0 ? (int)(done * width / total) : (int)(done / 1000 % width);
	char line[31];
	for (int i = 0; i < width; i++)
		line[i] = i < fill ? '#' : '.';
	line[width] = '\0';
	const char *label = !strcmp(phase, "stage") ? "读取并检查" : "写入";
	if (total > 0)
		fprintf(stderr, "\r  %s [%s] %3d%%  %lld/%lld 行  %.0f 行/秒 ", label, line,
			(int)(done * 100 / total), (long long)done, (long long)total,
			secs > 0 ? (double)done / secs : 0.0);
	else
		fprintf(stderr, "\r  %s [%s] %lld 行  %.0f 行/秒 ", label, line, (long long)done,
			secs > 0 ? (double)done / secs : 0.0);
}

static int stop_requested(void *ctx)
{
	KF_UNUSED(ctx);
	return interrupted;
}

/* "header=field,#3=-" → {"header": "field", "#3": null} */
static json_t *parse_map(const char *spec)
{
	json_t *o = json_object();
	char *copy = strdup(spec), *save = NULL;
	for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strrchr(item, '=');
		if (!eq || eq == item) {
			fprintf(stderr, "kefu import: --map items are HEADER=field (or #N=field, field - to skip): %s\n", item);
			json_decref(o);
			free(copy);
			return NULL;
		}
		*eq = '\0';
		json_object_set_new(o, item, !strcmp(eq + 1, "-") ? json_null() : json_string(eq + 1));
	}
	free(copy);
	return o;
}

static void print_problems(db *d, int64_t job)
{
	int64_t after = 0;
	for (;;) {
		db_stmt *st;
		if (db_query(d,
			     "SELECT id, line, col, column_name, value, message_zh, message_en FROM"
			     " import_problems WHERE job_id = ? AND id > ? ORDER BY id LIMIT 1000",
			     DB_ARGS(DBI(job), DBI(after)), &st) < 0)
			return;
		int n = 0;
		while (db_step(st) == DB_ROW) {
			after = db_col_int(st, 0);
			n++;
			printf("第 %lld 行 第 %lld 列「%s」：%s%s%s%s | line %lld column %lld: %s\n",
			       (long long)db_col_int(st, 1), (long long)db_col_int(st, 2),
			       db_col_text(st, 3), db_col_text(st, 5), *db_col_text(st, 4) ? "（「" : "",
			       db_col_text(st, 4), *db_col_text(st, 4) ? "」）" : "",
			       (long long)db_col_int(st, 1), (long long)db_col_int(st, 2),
			       db_col_text(st, 6));
		}
		db_done(st);
		if (n < 1000)
			return;
	}
}

static int print_mapping(json_t *job)
{
	json_t *h = json_object_get(job, "headers"), *m = json_object_get(job, "mapping");
	size_t i;
	json_t *v;
	fprintf(stderr, "列映射 mapping:");
	json_array_foreach(h, i, v)
	{
		json_t *f = json_array_get(m, i);
		fprintf(stderr, " %s→%s", json_string_value(v), json_is_string(f) ? json_string_value(f) : "-");
	}
	fputc('\n', stderr);
	return 0;
}

static int64_t jint(json_t *o, const char *a, const char *b)
{
	return json_integer_value(json_object_get(b ? json_object_get(o, a) : o, b ? b : a));
}

static int resolve_actor(db *d, const char *name, struct imp_opts *o)
{
	db_stmt *st;
	if (db_query(d, "SELECT id, role FROM users WHERE username = ? AND disabled = 0",
		     DB_ARGS(DBT(name)), &st) < 0)
		return -1;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		o->actor = db_col_int(st, 0);
		o->actor_role = role_parse(db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int cmd_import(int argc, char **argv)
{
	const char *dburl = NULL, *file = NULL, *map = NULL, *as = NULL;
	struct imp_opts o = {.kind = IMPF_CUSTOMERS, .actor_role = ROLE_ADMIN};
	int dry = 0, c;
	static const struct option opts[] = {
		{"db", required_argument, 0, 'd'},   {"file", required_argument, 0, 'f'},
		{"kind", required_argument, 0, 'k'}, {"map", required_argument, 0, 'm'},
		{"dry-run", no_argument, 0, 'n'},    {"duplicates", required_argument, 0, 'u'},
		{"as", required_argument, 0, 'a'},   {0, 0, 0, 0}};
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dburl = optarg; break;
		case 'f': file = optarg; break;
		case 'm': map = optarg; break;
		case 'n': dry = 1; break;
		case 'a': as = optarg; break;
		case 'k':
			if (impf_kind_parse(optarg) < 0)
				goto usage;
			o.kind = (enum impf_kind)impf_kind_parse(optarg);
			break;
		case 'u':
			if (strcmp(optarg, "merge") && strcmp(optarg, "skip"))
				goto usage;
			o.merge = !strcmp(optarg, "merge");
			break;
		default:
			goto usage;
		}
	}
	if (!file)
		goto usage;
	json_t *mapping = map ? parse_map(map) : json_object();
	if (!mapping)
		return EXIT_USAGE;
	FILE *f = fopen(file, "rb");
	if (!f) {
		fprintf(stderr, "kefu import: cannot open %s\n", file);
		json_decref(mapping);
		return EXIT_FAIL;
	}
	db *d = cli_open_db(cli_db_url(dburl), 0);
	if (!d) {
		fclose(f);
		json_decref(mapping);
		return EXIT_DB;
	}
	int rc = EXIT_OK;
	if (as && resolve_actor(d, as, &o) < 0) {
		fprintf(stderr, "kefu import: no active user %s\n", as);
		rc = EXIT_USAGE;
		goto out;
	}
	signal(SIGINT, on_sigint);
	signal(SIGTERM, on_sigint);
	struct bar b = {isatty(2), util_mono_us(), NULL};
	struct imp_progress p = {draw, &b, stop_requested};
	kf_err e;
	kf_err_clear(&e);
	const char *base = strrchr(file, '/');
	int64_t job;
	if (imp_job_create(d, &o, base ? base + 1 : file, &job, &e) < 0 ||
	    imp_stage(d, job, f, mapping, &o, &p, &e) < 0) {
		if (b.tty)
			fputc('\n', stderr);
		fprintf(stderr, "kefu import: %s (%s)\n", e.zh, e.en);
		imp_job_finish(d, job, interrupted ? "cancelled" : "failed", &e);
		imp_job_discard_rows(d, job);
		rc = EXIT_FAIL;
		goto out;
	}
	if (b.tty)
		fputc('\n', stderr);
	json_t *j = imp_job_json(d, job);
	print_mapping(j);
	print_problems(d, job);
	fprintf(stderr,
		"检查完成 checked (%s): %lld 行 rows, %lld 可导入 ok, %lld 有问题 with problems"
		" (%lld 个问题 problems), 重复 duplicates: %lld 已有 existing + %lld 文件内 in file\n",
		json_string_value(json_object_get(j, "encoding")), (long long)jint(j, "rows", NULL),
		(long long)jint(j, "summary", "ok"), (long long)jint(j, "summary", "bad"),
		(long long)jint(j, "summary", "problems"),
		(long long)jint(j, "summary", "duplicates_existing"),
		(long long)jint(j, "summary", "duplicates_in_file"));
	int64_t bad = jint(j, "summary", "bad");
	json_decref(j);
	if (dry) {
		imp_job_finish(d, job, "cancelled", NULL);
		imp_job_discard_rows(d, job);
		rc = bad ? EXIT_FAIL : EXIT_OK;
		goto out;
	}
	db_exec(d, "UPDATE import_jobs SET status = 'importing' WHERE id = ?", DB_ARGS(DBI(job)));
	if (imp_commit(d, job, &o, &p, &e) < 0) {
		if (b.tty)
			fputc('\n', stderr);
		fprintf(stderr, "kefu import: %s (%s)\n", e.zh, e.en);
		imp_job_finish(d, job, interrupted ? "cancelled" : "failed", &e);
		imp_job_discard_rows(d, job);
		rc = EXIT_FAIL;
		goto out;
	}
	if (b.tty)
		fputc('\n', stderr);
	imp_job_discard_rows(d, job);
	j = imp_job_json(d, job);
	printf("导入完成 imported: 新增 inserted %lld, 合并 merged %lld, 跳过 skipped %lld (job %lld)\n",
	       (long long)jint(j, "result", "inserted"), (long long)jint(j, "result", "merged"),
	       (long long)jint(j, "result", "skipped"), (long long)job);
	json_decref(j);
out:
	json_decref(mapping);
	fclose(f);
	db_close(d);
	return rc;
usage:
	fprintf(stderr, "usage: kefu import --file F [--kind customers|orders] [--map 'HEADER=field,#N=-']\n"
			"                   [--dry-run] [--duplicates merge|skip] [--as USER] [--db URL]\n");
	return EXIT_USAGE;
}
