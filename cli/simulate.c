/* simulate.c - `kefu simulate`: a realistic day at the hotline, posted to a
 * running kefu through POST /api/cti/events, for demos, load tests, and for
 * checking that the service level kefu measures matches what Erlang C (and
 * A) predict for the simulated staffing.
 *
 * The day (core/callsim.h): Poisson arrivals following a weekday curve,
 * exponential handle times, callers who hang up after an exponential
 * patience, agents per half hour either as Erlang C staffs them for the
 * target or a fixed number.  Every call becomes its events (offered,
 * ringing, answered, ended / abandoned) and every agent's duty its sign-in
 * and sign-out, all in time order, posted in batches.  The same seed posts
 * the same events, so running it twice changes nothing the second time.
 *
 * After posting, the day's service level is read back from
 * GET /api/hotline/metrics and printed beside the predictions. */
#include "cli/cli.h"

#include <curl/curl.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/bizcal.h"
#include "core/callsim.h"
#include "core/erlang.h"
#include "lib/buf.h"
#include "lib/common.h"
#include "lib/util.h"

enum { NIV = 48, IV_S = 1800 };

struct sim_opts {
	const char *url, *token, *date, *queue, *out;
	double calls, aht, patience, sl, target;
	int agents, batch, dry_run, tz_min;
	uint64_t seed;
};

struct ev {
	int64_t at;
	int rank; /* order within a millisecond */
	json_t *o;
};

static int cmp_ev(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->rank - y->rank;
}

struct evlist {
	struct ev *v;
	size_t n, cap;
};

static void add(struct evlist *l, int64_t at, int rank, json_t *o)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4096;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v) {
			fprintf(stderr, "kefu simulate: out of memory\n");
			exit(EXIT_FAIL);
		}
	}
	json_object_set_new(o, "at", json_integer(at));
	l->v[l->n++] = (struct ev){at, rank, o};
}

static void call_events(struct evlist *l, const struct sim_opts *so, const struct callsim_call *c,
			long i, uint64_t *rng)
{
	char id[64], caller[16], agent[16];
	snprintf(id, sizeof(id), "sim-%s-%llu-%ld", so->date, (unsigned long long)so->seed, i);
	snprintf(caller, sizeof(caller), "139%08llu",
		 (unsigned long long)(callsim_rand(rng) % 100000000ull));
	add(l, c->offered_ms, 0,
	    json_pack("{s:s, s:s, s:s, s:s}", "type", "offered", "call_id", id, "caller", caller,
		      "queue", so->queue));
	if (!c->answered_ms) {
		add(l, c->ended_ms, 6, json_pack("{s:s, s:s}", "type", "abandoned", "call_id", id));
		return;
	}
	snprintf(agent, sizeof(agent), "sim-%03d", c->agent + 1);
	add(l, c->answered_ms, 1,
	    json_pack("{s:s, s:s, s:s}", "type", "ringing", "call_id", id, "agent", agent));
	add(l, c->answered_ms, 2,
	    json_pack("{s:s, s:s, s:s}", "type", "answered", "call_id", id, "agent", agent));
	add(l, c->ended_ms, 7, json_pack("{s:s, s:s}", "type", "ended", "call_id", id));
}

/* Sign-in when an agent's duty starts, sign-out when it ends. */
static void duty_events(struct evlist *l, const int *agents, int64_t start_ms)
{
	int max = 0;
	for (int k = 0; k < NIV; k++)
		max = agents[k] > max ? agents[k] : max;
	for (int a = 0; a < max; a++) {
		char agent[16];
		snprintf(agent, sizeof(agent), "sim-%03d", a + 1);
		int on = 0;
		for (int k = 0; k <= NIV; k++) {
			int now = k < NIV && a < agents[k];
			int64_t at = start_ms + (int64_t)k * IV_S * 1000;
			if (now != on)
				add(l, at, now ? -1 : 8,
				    json_pack("{s:s, s:s}", "type", now ? "agent_login" : "agent_logout",
					      "agent", agent));
			on = now;
		}
	}
}

static size_t sink(char *p, size_t size, size_t n, void *arg)
{
	buf *b = arg;
	buf_append(b, p, size * n);
	return size * n;
}

static long http(CURL *h, const struct sim_opts *so, const char *method, const char *path,
		 const char *body, buf *resp)
{
	char url[1024], auth[600];
	snprintf(url, sizeof(url), "%s%s", so->url, path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", so->token);
	struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
	hd = curl_slist_append(hd, auth);
	buf_reset(resp);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	if (!body)
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
	long status = 0;
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hd);
	return status;
}

static int post_all(CURL *h, const struct sim_opts *so, struct evlist *l, long *accepted,
		    double *secs)
{
	buf resp;
	buf_init(&resp, 1 << 24);
	int64_t t0 = util_mono_us();
	*accepted = 0;
	for (size_t i = 0; i < l->n; i += (size_t)so->batch) {
		json_t *arr = json_array();
		for (size_t j = i; j < l->n && j < i + (size_t)so->batch; j++)
			json_array_append(arr, l->v[j].o);
		json_t *body = json_pack("{s:o}", "events", arr);
		char *text = json_dumps(body, JSON_COMPACT);
		json_decref(body);
		long st = http(h, so, "POST", "/api/cti/events", text, &resp);
		free(text);
		if (st != 200) {
			fprintf(stderr, "kefu simulate: POST /api/cti/events answered %ld: %.300s\n", st,
				resp.data ? resp.data : "(no answer)");
			buf_release(&resp);
			return -1;
		}
		json_t *r = json_loads(resp.data, 0, NULL);
		*accepted += (long)json_integer_value(json_object_get(r, "accepted"));
		json_decref(r);
	}
	*secs = (double)(util_mono_us() - t0) / 1e6;
	buf_release(&resp);
	return 0;
}

/* The measured service level of the day, from kefu's own metrics. */
static double measured_sl(CURL *h, const struct sim_opts *so, double *abandon)
{
	buf resp;
	buf_init(&resp, 1 << 24);
	char path[256];
	snprintf(path, sizeof(path), "/api/hotline/metrics?from=%s&to=%s&group=day&queue=", so->date,
		 so->date);
	char *q = curl_easy_escape(h, so->queue, 0);
	char full[512];
	snprintf(full, sizeof(full), "%s%s", path, q ? q : "");
	curl_free(q);
	long st = http(h, so, "GET", full, NULL, &resp);
	double sl = -1;
	*abandon = -1;
	json_t *r = st == 200 ? json_loads(resp.data, 0, NULL) : NULL;
	json_t *t = json_object_get(r, "total");
	if (json_is_number(json_object_get(t, "service_level")))
		sl = json_number_value(json_object_get(t, "service_level"));
	if (json_is_number(json_object_get(t, "abandon_rate")))
		*abandon = json_number_value(json_object_get(t, "abandon_rate"));
	json_decref(r);
	buf_release(&resp);
	return sl;
}

static void plan_agents(const struct sim_opts *so, const double *calls, int *agents)
{
	struct erlang_target t = {so->sl / 100, so->target, 0, 0};
	for (int k = 0; k < NIV; k++) {
		struct erlang_result e;
		int n = so->agents > 0 ? so->agents : erlang_c_agents(calls[k], IV_S, so->aht, &t, &e);
		agents[k] = n < 0 ? 0 : n;
	}
}

/* Predicted share answered within the target over the day, weighted by
 * calls: Erlang C (nobody hangs up) and Erlang A (with the patience). */
static void predict(const struct sim_opts *so, const double *calls, const int *agents, double *c,
		    double *a, double *a_abandon)
{
	double w = 0, sc = 0, sa = 0, ab = 0;
	for (int k = 0; k < NIV; k++) {
		if (calls[k] <= 0)
			continue;
		struct erlang_result e;
		erlang_c_eval(agents[k], calls[k], IV_S, so->aht, so->target, &e);
		sc += calls[k] * e.sl;
		if (so->patience > 0 && agents[k] > 0 &&
		    erlang_a_eval(agents[k], calls[k], IV_S, so->aht, so->patience, so->target, &e) == 0) {
			sa += calls[k] * e.sl;
			ab += calls[k] * e.p_abandon;
		} else {
			sa += calls[k] * (agents[k] > 0 ? e.sl : 0);
		}
		w += calls[k];
	}
	*c = w ? sc / w : -1;
	*a = w ? sa / w : -1;
	*a_abandon = w ? ab / w : 0;
}

static int parse(int argc, char **argv, struct sim_opts *so)
{
	static const struct option lo[] = {
		{"url", 1, 0, 'u'},     {"date", 1, 0, 'd'},   {"calls", 1, 0, 'c'},
		{"aht", 1, 0, 'a'},     {"patience", 1, 0, 'p'}, {"agents", 1, 0, 'n'},
		{"sl", 1, 0, 's'},      {"target", 1, 0, 't'}, {"queue", 1, 0, 'q'},
		{"batch", 1, 0, 'b'},   {"seed", 1, 0, 'r'},   {"out", 1, 0, 'o'},
		{"dry-run", 0, 0, 'D'}, {"tz-offset-min", 1, 0, 'z'}, {0, 0, 0, 0}};
	*so = (struct sim_opts){"http://127.0.0.1:8080", getenv("KEFU_TOKEN"), NULL, "热线", NULL,
				2000, 180, 120, 80, 20, 0, 500, 0, 480, 1};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'u': so->url = optarg; break;
		case 'd': so->date = optarg; break;
		case 'c': so->calls = atof(optarg); break;
		case 'a': so->aht = atof(optarg); break;
		case 'p': so->patience = atof(optarg); break;
		case 'n': so->agents = atoi(optarg); break;
		case 's': so->sl = atof(optarg); break;
		case 't': so->target = atof(optarg); break;
		case 'q': so->queue = optarg; break;
		case 'b': so->batch = atoi(optarg); break;
		case 'r': so->seed = strtoull(optarg, NULL, 10); break;
		case 'o': so->out = optarg; break;
		case 'D': so->dry_run = 1; break;
		case 'z': so->tz_min = atoi(optarg); break;
		default: return -1;
		}
	}
	if (so->calls < 0 || so->aht <= 0 || so->patience < 0 || so->sl <= 0 || so->sl >= 100 ||
	    so->batch < 1 || so->batch > 1000 || so->agents < 0 || (!so->dry_run && !so->token))
		return -1;
	return 0;
}

/* UTC ms of the simulated day's local midnight; -1 if --date is malformed. */
static int day_start(struct sim_opts *so, char *datebuf, int64_t *start)
{
	int32_t day;
	if (!so->date) {
		int64_t local = util_now_ms() / 60000 + so->tz_min;
		day = (int32_t)bizcal_floor_div(local, 1440);
		int y, m, d;
		bizcal_civil_from_days(day, &y, &m, &d);
		snprintf(datebuf, 16, "%04u-%02u-%02u", (unsigned)y % 10000, (unsigned)m % 100,
			 (unsigned)d % 100);
		so->date = datebuf;
	} else if (bizcal_parse_date(so->date, &day) < 0) {
		return -1;
	}
	*start = ((int64_t)day * 1440 - so->tz_min) * 60000;
	return 0;
}

int cmd_simulate(int argc, char **argv)
{
	struct sim_opts so;
	char datebuf[16];
	if (parse(argc, argv, &so) < 0) {
		fprintf(stderr,
			"usage: kefu simulate [--url URL] [--date YYYY-MM-DD] [--calls N] [--aht S]\n"
			"                     [--patience S] [--agents N|0=Erlang C] [--sl PCT] [--target S]\n"
			"                     [--queue NAME] [--batch N] [--seed N] [--out FILE] [--dry-run]\n"
			"       the API token (a supervisor's, as for the PBX) comes from $KEFU_TOKEN\n");
		return EXIT_USAGE;
	}
	int64_t start;
	if (day_start(&so, datebuf, &start) < 0) {
		fprintf(stderr, "kefu simulate: --date must be YYYY-MM-DD\n");
		return EXIT_USAGE;
	}
	double calls[NIV];
	int agents[NIV];
	callsim_day_curve(so.calls, calls);
	plan_agents(&so, calls, agents);
	size_t max = (size_t)(so.calls * 1.5 + 1000);
	struct callsim_call *cs = malloc(max * sizeof(*cs));
	struct callsim_params p = {so.seed, start, NIV, IV_S, calls, agents, so.aht, so.patience};
	long n = cs ? callsim_run(&p, cs, max) : -1;
	if (n < 0) {
		free(cs);
		fprintf(stderr, "kefu simulate: the simulation failed (too many calls?)\n");
		return EXIT_FAIL;
	}
	struct evlist l = {0};
	uint64_t rng = so.seed ^ 0x5bd1e995u;
	long answered = 0, in_sl = 0;
	for (long i = 0; i < n; i++) {
		call_events(&l, &so, &cs[i], i, &rng);
		if (cs[i].answered_ms) {
			answered++;
			in_sl += cs[i].answered_ms - cs[i].offered_ms <= (int64_t)(so.target * 1000);
		}
	}
	duty_events(&l, agents, start);
	qsort(l.v, l.n, sizeof(*l.v), cmp_ev);
	if (so.out) {
		FILE *f = fopen(so.out, "w");
		for (size_t i = 0; f && i < l.n; i++) {
			char *s = json_dumps(l.v[i].o, JSON_COMPACT);
			fprintf(f, "%s\n", s ? s : "{}");
			free(s);
		}
		if (f)
			fclose(f);
	}
	double pc, pa, pab;
	predict(&so, calls, agents, &pc, &pa, &pab);
	int rc = EXIT_OK;
	long accepted = 0;
	double secs = 0, msl = -1, mab = -1;
	if (!so.dry_run) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		CURL *h = curl_easy_init();
		if (post_all(h, &so, &l, &accepted, &secs) < 0)
			rc = EXIT_FAIL;
		else
			msl = measured_sl(h, &so, &mab);
		curl_easy_cleanup(h);
		curl_global_cleanup();
	}
	int peak = 0;
	for (int k = 0; k < NIV; k++)
		peak = agents[k] > peak ? agents[k] : peak;
	printf("{\"date\":\"%s\",\"calls\":%ld,\"answered\":%ld,\"abandoned\":%ld,\"events\":%zu,"
	       "\"accepted\":%ld,\"post_seconds\":%.3f,\"events_per_sec\":%.0f,\"peak_agents\":%d,"
	       "\"simulated_sl\":%.4f,\"measured_sl\":%.4f,\"measured_abandon\":%.4f,"
	       "\"erlang_c_sl\":%.4f,\"erlang_a_sl\":%.4f,\"erlang_a_abandon\":%.4f}\n",
	       so.date, n, answered, n - answered, l.n, accepted, secs, secs > 0 ? (double)l.n / secs : 0,
	       peak, n ? (double)in_sl / (double)n : -1, msl, mab, pc, pa, pab);
	for (size_t i = 0; i < l.n; i++)
		json_decref(l.v[i].o);
	free(l.v);
	free(cs);
	return rc;
}
