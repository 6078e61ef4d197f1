/* server.c - libmicrohttpd glue: request lifecycle, dispatch, access log,
 * metrics.
 *
 * Lifecycle of a request:
 *   1st call   allocate the request (arena, body buffer) and return MHD_YES
 *              without answering: answering here makes MHD 0.9.75 close
 *              keep-alive connections (see STACK-NOTES);
 *   next calls append upload data, counting but dropping bytes past the cap;
 *   last call  route, authenticate, check role and CSRF, parse JSON, run
 *              the handler, queue the answer;
 *   completed  access-log line, metrics, free everything. */
#include "http/http.h"
#include "http/sse.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "kefu_config.h"
#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

enum { BODY_MAX = 1 << 20 };

static atomic_uint_fast64_t req_seq;
static char rid_prefix[9];
static int access_log_on = 1;
static int64_t started_ms;

/* Metrics: counts per status, a latency histogram, requests in flight. */
static const double lat_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
enum { NBOUNDS = sizeof(lat_bounds) / sizeof(lat_bounds[0]) };
static atomic_uint_fast64_t m_status[600];
static atomic_uint_fast64_t m_lat[NBOUNDS + 1];
static atomic_uint_fast64_t m_lat_sum_us;
static atomic_int_fast64_t m_inflight;

static void lang_from_headers(http_req *r)
{
	const char *al = http_header(r, "Accept-Language");
	if (al && *al) {
		r->lang_en = (al[0] == 'e' || al[0] == 'E') && (al[1] == 'n' || al[1] == 'N');
		return;
	}
	r->lang_en = r->user.lang && !strncmp(r->user.lang, "en", 2);
}

static int unsafe_method(const char *m)
{
	return strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "OPTIONS");
}

static int check_csrf(http_req *r)
{
	if (!r->user.id || r->via_token || !unsafe_method(r->method))
		return 0;
	const char *h = http_header(r, "X-CSRF-Token");
	if (h && r->csrf && strlen(h) == strlen(r->csrf) && !strcmp(h, r->csrf))
		return 0;
	return http_fail(r, KF_ECSRF, "X-CSRF-Token",
			 "缺少或错误的 CSRF 令牌（请求头 X-CSRF-Token）",
			 "Missing or wrong CSRF token (header X-CSRF-Token)");
}

static int parse_body(http_req *r)
{
	if (!r->body.len)
		return 0;
	const char *ct = http_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0)
		return http_fail(r, KF_EMEDIA, NULL, "请求体必须是 JSON（Content-Type: application/json）",
				 "The body must be JSON (Content-Type: application/json)");
	json_error_t je;
	r->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
	if (!r->json)
		return http_fail(r, KF_EJSON, NULL, "JSON 格式错误（第 %d 行第 %d 列）：%s",
				 "Malformed JSON (line %d, column %d): %s", je.line, je.column, je.text);
	if (!json_is_object(r->json))
		return http_fail(r, KF_EJSON, NULL, "请求体必须是 JSON 对象",
				 "The body must be a JSON object");
	return 0;
}

static int dispatch(http_req *r)
{
	int code;
	lang_from_headers(r);
	if (r->body_too_big)
		return http_fail(r, KF_ETOOBIG, NULL, "请求体超过 %zu KiB 上限",
				 "The request body exceeds the %zu KiB limit",
				 (r->upload_max ? r->upload_max : BODY_MAX) / 1024);
	if (r->upload)
		rewind(r->upload);
	const char *allow = NULL;
	const struct route *rt =
		http_route_find(r->a, r->method, r->path, r->params, &r->nparams, &code, &allow);
	if (allow)
		http_add_header(r, "Allow", allow);
	if (!rt && code == KF_ENOROUTE && strncmp(r->path, "/api/", 5) &&
	    (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) && http_static_serve(r) == 0)
		return 0;
	if (!rt)
		return http_fail(r, code, NULL, NULL, NULL);
	r->db = db_thread();
	if (!r->db)
		return http_fail(r, KF_EDB, NULL, NULL, NULL);
	/* The customer portal (anonymous routes under /api/portal/) never runs as a
	 * member of staff, even from a browser signed in to kefu: no session is
	 * read, so no CSRF token is asked and no staff data can leak into it. */
	int portal = rt->role == ROLE_ANON && !strncmp(r->path, "/api/portal/", 12);
	if (!portal && (code = http_authenticate(r)) < 0)
		return code;
	lang_from_headers(r);
	if ((code = http_require_role(r, rt->role)) < 0)
		return code;
	if ((code = check_csrf(r)) < 0)
		return code;
	if (!r->upload_max && (code = parse_body(r)) < 0)
		return code;
	code = rt->fn(r);
	if (r->db->in_tx) /* a handler that forgot: never leave a transaction open */
		db_rollback(r->db);
	return code;
}

static void add_headers(struct MHD_Response *resp, http_req *r)
{
	if (r->resp_type)
		MHD_add_response_header(resp, "Content-Type", r->resp_type);
	MHD_add_response_header(resp, "X-Request-Id", r->rid);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
	if (!strncmp(r->path, "/api/", 5))
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	for (int i = 0; i < r->nhdr; i++)
		MHD_add_response_header(resp, r->hdr_name[i], r->hdr_value[i]);
	if (r->status == 429)
		MHD_add_response_header(resp, "Retry-After", "900");
}

static enum MHD_Result answer(struct MHD_Connection *c, http_req *r)
{
	int code = dispatch(r);
	if (r->stream) /* the handler made this a server-sent event stream */
		return (enum MHD_Result)sse_respond(c, r);
	if (code < 0 || !r->status)
		http_problem(r, code < 0 ? code : KF_EINTERNAL);
	struct MHD_Response *resp;
	if (r->resp_fd > 0) { /* a file answer (exports): MHD reads and closes it */
		resp = MHD_create_response_from_fd(r->resp_len, r->resp_fd);
		r->resp_fd = 0;
	} else {
		resp = MHD_create_response_from_buffer(
			r->resp_len, r->resp,
			r->resp && !r->resp_static ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	}
	if (!r->resp_static)
		r->resp = NULL; /* owned by the response now */
	if (!resp)
		return MHD_NO;
	add_headers(resp, r);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Routes listed in app_route_bodies take files: their body goes to a
 * temporary file (never whole into memory), up to their limit. */
static void upload_limit(http_req *r)
{
	if (strcmp(r->method, "POST") && strcmp(r->method, "PUT"))
		return;
	const char *params[HTTP_MAX_PARAMS], *allow = NULL;
	int np = 0, code = 0;
	const struct route *rt = http_route_find(r->a, r->method, r->path, params, &np, &code, &allow);
	for (const struct route_body *b = app_route_bodies; rt && b->method; b++)
		if (!strcmp(b->method, rt->method) && !strcmp(b->pattern, rt->pattern))
			r->upload_max = b->max;
}

static void spool(http_req *r, const char *data, size_t n)
{
	if (r->body_too_big)
		return;
	if (!r->upload)
		r->upload = tmpfile();
	if (!r->upload || r->upload_len + n > r->upload_max ||
	    fwrite(data, 1, n, r->upload) != n) {
		r->body_too_big = 1;
		if (r->upload)
			fclose(r->upload);
		r->upload = NULL;
		return;
	}
	r->upload_len += n;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	http_req *r = *con_cls;
	if (!r) {
		arena *a = arena_new();
		r = arena_zalloc(a, sizeof(*r));
		r->a = a;
		r->conn = c;
		r->method = arena_strdup(a, method);
		r->path = arena_strdup(a, url);
		r->started_us = util_mono_us();
		buf_init(&r->body, BODY_MAX);
		kf_err_clear(&r->err);
		const char *given = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id");
		uint64_t n = atomic_fetch_add(&req_seq, 1) + 1;
		if (given && *given && strlen(given) < sizeof(r->rid) && !strpbrk(given, " \r\n\""))
			snprintf(r->rid, sizeof(r->rid), "%s", given);
		else
			snprintf(r->rid, sizeof(r->rid), "%s-%llx", rid_prefix, (unsigned long long)n);
		atomic_fetch_add(&m_inflight, 1);
		*con_cls = r;
		upload_limit(r);
		return MHD_YES;
	}
	if (*upload_size && r->upload_max) {
		spool(r, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->body_too_big && buf_append(&r->body, upload, *upload_size) < 0) {
			r->body_too_big = 1;
			buf_release(&r->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	return answer(c, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	http_req *r = *con_cls;
	if (!r)
		return;
	int64_t us = util_mono_us() - r->started_us;
	int st = r->status > 0 && r->status < 600 ? r->status : 0;
	atomic_fetch_add(&m_status[st], 1);
	size_t b = 0;
	while (b < NBOUNDS && (double)us / 1e6 > lat_bounds[b])
		b++;
	atomic_fetch_add(&m_lat[b], 1);
	atomic_fetch_add(&m_lat_sum_us, (uint64_t)us);
	atomic_fetch_sub(&m_inflight, 1);
	if (access_log_on) {
		char line[512];
		int n = snprintf(line, sizeof(line), "access %s %s %.200s %d %zu %.3fms user=%lld%s\n",
				 r->rid, r->method, r->path, st, r->resp_len, (double)us / 1000.0,
				 (long long)r->user.id,
				 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
		if (n > 0)
			fwrite(line, 1, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1, stderr);
	}
	if (!r->resp_static)
		free(r->resp);
	if (r->upload)
		fclose(r->upload);
	if (r->resp_fd > 0)
		close(r->resp_fd);
	json_decref(r->json);
	buf_release(&r->body);
	arena_free(r->a);
	*con_cls = NULL;
}

static long rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, rss = 0;
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * sysconf(_SC_PAGESIZE);
}

void http_metrics_render(buf *out)
{
	buf_puts(out, "# HELP kefu_http_requests_total HTTP requests answered, by status.\n"
		      "# TYPE kefu_http_requests_total counter\n");
	for (int s = 0; s < 600; s++) {
		uint64_t v = atomic_load(&m_status[s]);
		if (v)
			buf_printf(out, "kefu_http_requests_total{code=\"%d\"} %llu\n", s,
				   (unsigned long long)v);
	}
	buf_puts(out, "# HELP kefu_http_request_duration_seconds Time to answer.\n"
		      "# TYPE kefu_http_request_duration_seconds histogram\n");
	uint64_t cum = 0;
	for (int b = 0; b <= NBOUNDS; b++) {
		cum += atomic_load(&m_lat[b]);
		if (b < NBOUNDS)
			buf_printf(out, "kefu_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
				   lat_bounds[b], (unsigned long long)cum);
		else
			buf_printf(out, "kefu_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
				   (unsigned long long)cum);
	}
	buf_printf(out, "kefu_http_request_duration_seconds_sum %.6f\n",
		   (double)atomic_load(&m_lat_sum_us) / 1e6);
	buf_printf(out, "kefu_http_request_duration_seconds_count %llu\n", (unsigned long long)cum);
	buf_printf(out,
		   "# TYPE kefu_http_requests_in_flight gauge\nkefu_http_requests_in_flight %lld\n",
		   (long long)atomic_load(&m_inflight));
	buf_printf(out, "# TYPE kefu_process_resident_memory_bytes gauge\n"
			"kefu_process_resident_memory_bytes %ld\n",
		   rss_bytes());
	buf_printf(out, "# TYPE kefu_process_start_time_seconds gauge\n"
			"kefu_process_start_time_seconds %lld\n",
		   (long long)(started_ms / 1000));
	buf_printf(out, "# TYPE kefu_build_info gauge\nkefu_build_info{version=\"%s\",revision=\"%s\"} 1\n",
		   KEFU_VERSION, KEFU_GIT_REV);
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
	const char *colon = strrchr(s, ':');
	if (!colon)
		return -1;
	char host[64];
	size_t hl = (size_t)(colon - s);
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	int64_t port;
	if (util_parse_i64(colon + 1, &port) < 0 || port < 0 || port > 65535)
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (!*host || !strcmp(host, "localhost"))
		return inet_pton(AF_INET, "127.0.0.1", &sa->sin_addr) == 1 ? 0 : -1;
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

int http_serve(const struct http_options *o)
{
	struct sockaddr_in sa;
	if (parse_listen(o->listen, &sa) < 0)
		return log_error("cannot parse listen address '%s' (expected HOST:PORT, e.g. 127.0.0.1:8080)",
				 o->listen);
	util_random_hex(rid_prefix, 4);
	http_static_setup(o->web_dir);
	access_log_on = o->access_log;
	started_ms = util_now_ms();
	if (sse_start() < 0)
		return -1;

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME, /* SSE */
		0, NULL, NULL, on_request, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)(o->threads > 0 ? o->threads : 2), MHD_OPTION_NOTIFY_COMPLETED, on_completed,
		NULL, MHD_OPTION_CONNECTION_TIMEOUT, 120u, MHD_OPTION_CONNECTION_LIMIT, 4096u,
		MHD_OPTION_END);
	if (!d)
		return log_error("cannot listen on %s (is another program using the port?)", o->listen);
	log_info("kefu %s (%s) serving on http://%s/ with %d worker threads", KEFU_VERSION,
		 KEFU_GIT_REV, o->listen, o->threads > 0 ? o->threads : 2);
	int sig = 0;
	sigwait(&set, &sig);
	log_info("received %s, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
	sse_close_all(); /* no stream may stay suspended past MHD_stop_daemon */
	MHD_stop_daemon(d);
	sse_stop();
	return 0;
}
