/* demo.c - `kefu demo`: a realistic demo company: departments, a
 * supervisor and agents, and N customers with orders (core/demo.c makes
 * them up).  Rows go in 1000 per transaction; a progress bar is drawn
 * when stderr is a terminal.  --if-empty makes it a no-op on a database
 * that already has customers, which is what `make run` uses.
 *
 * --cases N adds N cases over two years (cli/demo_cases.c).  --extras
 * (`make run`) adds what the other screens show (cli/demo_extras.c) and,
 * without --cases, DEMO_EXTRA_CASES cases over the last six weeks, so
 * that every state and every queue has some.  Without either flag only
 * staff, customers and orders are made: the browser suite's 100,000
 * customers stay fast. */
#include "cli/cli.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/customer.h"
#include "cli/demo_cases.h"
#include "cli/demo_extras.h"
#include "core/demo.h"
#include "lib/common.h"
#include "lib/util.h"

enum { BATCH = 1000, MAX_STAFF = 16, DEMO_EXTRA_CASES = 600, EXTRA_SPAN_DAYS = 45 };

static const char *const departments[] = {"客服一部", "客服二部", "投诉处理组", "售后服务部"};

static const struct staff {
	const char *username, *display, *role;
	int dept, capability;
} staff[] = {
	{"zhuguan", "王主管", "supervisor", 0, 5}, {"agent01", "李晓雯", "agent", 0, 5},
	{"agent02", "张伟", "agent", 0, 4},       {"agent03", "刘芳", "agent", 1, 3},
	{"agent04", "陈静", "agent", 1, 3},       {"agent05", "杨洋", "agent", 2, 4},
	{"agent06", "赵磊", "agent", 2, 2},       {"agent07", "黄丽", "agent", 3, 3},
	{"agent08", "周强", "agent", 3, 2},
};

static void progress(int64_t done, int64_t total, int64_t started_us)
{
	double secs = (double)(util_mono_us() - started_us) / 1e6;
	int width = 30, fill = total ? (int)(done * width / total) : width;
	char bar[31];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	fprintf(stderr, "\r  [%s] %3d%%  %lld/%lld 客户  %.0f/s ", bar,
		(int)(total ? done * 100 / total : 100), (long long)done, (long long)total,
		secs > 0 ? (double)done / secs : 0.0);
}

static int ensure_staff(db *d, int64_t *agent_ids, int *nagents)
{
	int64_t dept_ids[KF_ARRAY_LEN(departments)];
	for (size_t i = 0; i < KF_ARRAY_LEN(departments); i++) {
		db_exec(d, "INSERT INTO departments (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
			DB_ARGS(DBT(departments[i]), DBI(util_now_ms())));
		if (db_query_int(d, "SELECT id FROM departments WHERE name = ?",
				 DB_ARGS(DBT(departments[i])), &dept_ids[i]) != DB_ROW)
			return -1;
	}
	char gen[17];
	const char *pw = getenv("KEFU_DEMO_PASSWORD");
	int generated = !pw || !*pw, created = 0;
	if (generated) {
		cli_generate_password(gen, sizeof(gen));
		pw = gen;
	}
	*nagents = 0;
	for (size_t i = 0; i < KF_ARRAY_LEN(staff); i++) {
		int64_t id;
		if (db_query_int(d, "SELECT id FROM users WHERE username = ?",
				 DB_ARGS(DBT(staff[i].username)), &id) != DB_ROW) {
			kf_err e;
			kf_err_clear(&e);
			if (account_create(d, staff[i].username, staff[i].display, staff[i].role,
					   dept_ids[staff[i].dept], staff[i].capability, pw, &e, &id) < 0) {
				fprintf(stderr, "kefu demo: %s: %s\n", staff[i].username, e.en);
				return -1;
			}
			created++;
		}
		if (!strcmp(staff[i].role, "agent") && *nagents < MAX_STAFF)
			agent_ids[(*nagents)++] = id;
	}
	if (created)
		printf("demo staff: zhuguan (supervisor), agent01..agent08 (agents); password: %s%s\n",
		       pw, generated ? "   (shown only once / 只显示一次)" : "");
	return 0;
}

static json_t *tags_json(const struct demo_customer *c)
{
	json_t *a = json_array();
	for (int i = 0; i < c->ntags; i++)
		json_array_append_new(a, json_string(c->tags[i]));
	return a;
}

/* Repeat purchases for --transactions: `n` more orders of this customer's
 * products, spread over the history window at amounts within +-25% of the
 * original; numbered after the original ("SO...-000123-R4"). */
static int insert_repeats(db *d, int64_t id, const struct demo_customer *c, int64_t n,
			  struct demo_rng *r, int64_t now)
{
	int rc = 0;
	for (int64_t k = 0; k < n && rc >= 0; k++) {
		const struct demo_order *o = &c->orders[k % c->norders];
		int64_t pct = 75 + (int64_t)demo_below(r, 51);
		int64_t amount = o->amount_fen * pct / 100, margin = o->margin_fen * pct / 100;
		int64_t at = now - (int64_t)demo_below(r, (uint64_t)DEMO_HISTORY_MS);
		char no[sizeof(o->order_no) + 24];
		snprintf(no, sizeof(no), "%s-R%lld", o->order_no, (long long)(k / c->norders + 1));
		rc = db_exec(d,
			     "INSERT INTO orders (customer_id, order_no, product, amount_fen, margin_fen,"
			     " ordered_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			     DB_ARGS(DBI(id), DBT(no), DBT(o->product), DBI(amount > 0 ? amount : 1),
				     DBI(margin), DBI(at), DBI(now)));
	}
	return rc;
}

static int insert_one(db *d, const struct demo_customer *c, int64_t owner, int64_t now,
		      int64_t repeats, struct demo_rng *r)
{
	json_t *tags = tags_json(c);
	char *tags_s = json_dumps(tags, JSON_COMPACT);
	db_stmt *st;
	int rc = db_query(
		d,
		"INSERT INTO customers (name, kind, source, lifecycle, chain_role, value_class, industry,"
		" company, address, phone, email, wechat, birthday, hobbies, tags, owner_id,"
		" created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT DO NOTHING RETURNING id",
		DB_ARGS(DBT(c->name), DBT(c->kind), DBT(c->source), DBT(c->lifecycle),
			DBT(c->chain_role), DBT(c->value_class), DBT(c->industry), DBT(c->company),
			DBT(c->address), DBT(c->phone), DBT(c->email), DBT(c->wechat), DBT(c->birthday),
			DBT(c->hobbies), DBT(tags_s), owner ? DBI(owner) : DBNULL, DBI(now), DBI(now)),
		&st);
	int64_t id = 0;
	if (rc == 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			id = db_col_int(st, 0);
		db_done(st);
	}
	free(tags_s); /* bound without a copy: only now unused */
	if (rc < 0 || !id) { /* DB_DONE: the phone exists already; skip it */
		json_decref(tags);
		return rc < 0 ? rc : 0;
	}
	for (int i = 0; i < c->norders && rc >= 0; i++) {
		const struct demo_order *o = &c->orders[i];
		rc = db_exec(d,
			     "INSERT INTO orders (customer_id, order_no, product, amount_fen, margin_fen,"
			     " ordered_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			     DB_ARGS(DBI(id), DBT(o->order_no), DBT(o->product), DBI(o->amount_fen),
				     DBI(o->margin_fen), DBI(o->ordered_at_ms), DBI(now)));
	}
	if (rc >= 0 && repeats > 0 && c->norders > 0)
		rc = insert_repeats(d, id, c, repeats, r, now);
	if (rc >= 0)
		rc = customer_set_tags(d, id, tags);
	json_decref(tags);
	return rc < 0 ? rc : 1;
}

int cmd_demo(int argc, char **argv)
{
	const char *dburl = NULL;
	int64_t n = 1000, seed = 20261125, ncases = 0, transactions = 0;
	int if_empty = 0, extras = 0;
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"customers", required_argument, 0, 'n'},
					     {"seed", required_argument, 0, 's'},
					     {"if-empty", no_argument, 0, 'e'},
					     {"cases", required_argument, 0, 'c'},
					     {"extras", no_argument, 0, 'x'},
					     {"transactions", required_argument, 0, 't'},
					     {0, 0, 0, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			dburl = optarg;
		else if (c == 'n' && util_parse_i64(optarg, &n) == 0 && n >= 0 && n <= 10000000)
			;
		else if (c == 's' && util_parse_i64(optarg, &seed) == 0)
			;
		else if (c == 'e')
			if_empty = 1;
		else if (c == 'x')
			extras = 1;
		else if (c == 'c' && util_parse_i64(optarg, &ncases) == 0 && ncases >= 0 && ncases <= 10000000)
			;
		else if (c == 't' && util_parse_i64(optarg, &transactions) == 0 && transactions >= 0 &&
			 transactions <= 100000000)
			;
		else {
			fprintf(stderr, "usage: kefu demo [--db URL] [--customers 0..10000000] [--seed S]"
					" [--if-empty] [--cases 0..10000000] [--extras]"
					" [--transactions 0..100000000]\n");
			return EXIT_USAGE;
		}
	}
	db *d = cli_open_db(cli_db_url(dburl), 0);
	if (!d)
		return EXIT_DB;
	int64_t existing = 0;
	db_query_int(d, "SELECT COUNT(*) FROM customers", DB_ARGS(), &existing);
	if (if_empty && existing > 0) {
		printf("demo: the database already has %lld customers; nothing added\n",
		       (long long)existing);
		db_close(d);
		return EXIT_OK;
	}
	int64_t agents[MAX_STAFF];
	int nagents = 0, rc = 0;
	if (db_begin(d) < 0 || ensure_staff(d, agents, &nagents) < 0 || db_commit(d) < 0) {
		fprintf(stderr, "kefu demo: cannot create demo staff: %s\n", db_errmsg(d));
		db_close(d);
		return EXIT_FAIL;
	}
	int tty = isatty(2);
	int64_t started = util_mono_us(), now = util_now_ms(), added = 0;
	/* --transactions N: the generated orders (about 2.2 per customer) are
	 * topped up with repeat purchases so that the whole demo has about N;
	 * each buyer gets repeats in proportion to its own orders, the ratio
	 * re-estimated as it goes so the total lands near N. */
	int64_t genuine = 0, orders = 0;
	struct demo_customer *dc = malloc(sizeof(*dc));
	struct demo_rng rng;
	demo_seed(&rng, (uint64_t)seed ^ 0x5eed);
	for (int64_t i = 0; i < n && rc >= 0; i += BATCH) {
		if ((rc = db_begin(d)) < 0)
			break;
		for (int64_t j = i; j < n && j < i + BATCH && rc >= 0; j++) {
			demo_customer((uint64_t)seed, (uint64_t)(existing + j), now, dc);
			/* Most customers have an owner; some wait for a supervisor. */
			int64_t owner = demo_below(&rng, 10) < 8 ? agents[demo_below(&rng, (uint64_t)nagents)] : 0;
			int64_t repeats = 0;
			if (transactions > 0 && dc->norders > 0) {
				double mean = genuine ? (double)genuine / (double)(j + 1) : 2.2;
				double left = (double)(transactions - orders) / ((double)(n - j) * mean);
				double want = (double)dc->norders * (left - 1.0);
				if (want > 0) {
					repeats = (int64_t)want;
					if ((double)demo_below(&rng, 1000) < (want - (double)repeats) * 1000)
						repeats++;
				}
				if (repeats > 40 * DEMO_MAX_ORDERS)
					repeats = 40 * DEMO_MAX_ORDERS;
			}
			rc = insert_one(d, dc, owner, now, repeats, &rng);
			added += rc > 0;
			if (rc > 0) {
				genuine += dc->norders;
				orders += dc->norders + repeats;
			}
		}
		if (rc < 0 || (rc = db_commit(d)) < 0)
			break;
		if (tty)
			progress(i + BATCH < n ? i + BATCH : n, n, started);
	}
	free(dc);
	if (tty)
		fputc('\n', stderr);
	/* --cases N: cases over the past two years (cli/demo_cases.c);
	 * --extras alone: a few hundred over the last six weeks. */
	int64_t cases_added = 0;
	int span = 730;
	if (extras && !ncases) {
		ncases = DEMO_EXTRA_CASES;
		span = EXTRA_SPAN_DAYS;
	}
	if (rc >= 0 && ncases > 0 &&
	    (cases_added = demo_cases(d, ncases, span, (uint64_t)seed, tty)) < 0)
		rc = -1;
	struct demo_extras_stats xs = {0};
	if (rc >= 0 && extras && demo_extras(d, (uint64_t)seed, &xs) < 0)
		rc = -1;
	if (rc < 0) {
		fprintf(stderr, "kefu demo: failed: %s\n", db_errmsg(d));
		db_rollback(d);
		db_close(d);
		return EXIT_FAIL;
	}
	db_exec(d, "INSERT INTO settings (key, value) VALUES ('demo_loaded', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		DB_ARGS(DBT("1")));
	db_close(d);
	printf("demo: %lld customers added in %.1f s\n", (long long)added,
	       (double)(util_mono_us() - started) / 1e6);
	if (transactions)
		printf("demo: %lld orders (%lld repeat purchases)\n", (long long)orders,
		       (long long)(orders - genuine));
	if (cases_added)
		printf("demo: %lld cases added\n", (long long)cases_added);
	if (extras)
		printf("demo: %d standard answers, %d follow-up visits, %d commitments, %ld calls"
		       " (%ld events)\n",
		       xs.kb, xs.followups, xs.commitments, xs.calls, xs.events);
	return EXIT_OK;
}
