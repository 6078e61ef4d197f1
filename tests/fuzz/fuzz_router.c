/* fuzz_router.c - what kefu makes of a request line before a handler
 * runs: route matching (http/router.c, over the real app_routes table),
 * and the query parameters the list endpoints read (app/input.c:
 * in_query_int, in_cursor / out_cursor; app/customer_list.c: the filter of
 * GET /api/customers, which turns parameters into SQL with placeholders).
 *
 * Input: byte 0 picks the method, the rest is the request target
 * "PATH?QUERY".  libmicrohttpd splits and unescapes the query string in
 * the server; here it is split on '&' and '=' and unescaped with
 * libmicrohttpd's own MHD_http_unescape, and MHD_lookup_connection_value
 * is replaced by a lookup in that table (the first value of a name wins,
 * as in libmicrohttpd).
 *
 * Invariants: a found route has the method asked (or GET for HEAD), as
 * many parameters as its pattern has placeholders, each non-empty without
 * '/', and the pattern with the parameters put back is the path; a 405
 * lists methods, none of them the one asked; parsed integers are in their
 * range; a cursor that parses is written back by out_cursor to one that
 * parses to the same id; the customer filter has exactly as many '?' as
 * arguments, at most 16, and quotes nothing from the input into the SQL. */
#include "tests/fuzz/fuzz.h"

#include <microhttpd.h>

#include "app/customer.h"

enum { MAX_ARGS = 64 };

static struct {
	char *name[MAX_ARGS], *value[MAX_ARGS];
	int n;
} args;

const char *MHD_lookup_connection_value(struct MHD_Connection *c, enum MHD_ValueKind kind,
					const char *key)
{
	(void)c;
	if (kind != MHD_GET_ARGUMENT_KIND)
		return NULL;
	for (int i = 0; i < args.n; i++)
		if (!strcmp(args.name[i], key))
			return args.value[i];
	return NULL;
}

static void parse_query(arena *a, const char *q)
{
	args.n = 0;
	while (*q && args.n < MAX_ARGS) {
		size_t l = strcspn(q, "&");
		char *pair = arena_strndup(a, q, l);
		char *eq = strchr(pair, '=');
		if (eq)
			*eq++ = 0;
		MHD_http_unescape(pair);
		if (eq)
			MHD_http_unescape(eq);
		args.name[args.n] = pair;
		args.value[args.n++] = eq ? eq : arena_strdup(a, "");
		q += l + (q[l] == '&');
	}
}

static void check_route(arena *a, const char *method, const char *path)
{
	const char *params[HTTP_MAX_PARAMS] = {0}, *allow = NULL;
	int np = -1, code = 1;
	const struct route *rt = http_route_find(a, method, path, params, &np, &code, &allow);
	if (!rt) {
		FUZZ_CHECK(code == KF_EMETHOD || code == KF_ENOROUTE, "code %d", code);
		if (code == KF_EMETHOD) {
			FUZZ_CHECK(allow && *allow, "405 without Allow");
			FUZZ_CHECK(!strstr(allow, method) || !strcmp(method, "HEAD"),
				   "Allow [%s] lists %s", allow, method);
		}
		return;
	}
	FUZZ_CHECK(code == 0, "found with code %d", code);
	FUZZ_CHECK(!strcmp(rt->method, method) ||
			   (!strcmp(method, "HEAD") && !strcmp(rt->method, "GET")),
		   "%s answered by a %s route", method, rt->method);
	int holes = 0;
	for (const char *p = rt->pattern; (p = strchr(p, '{')); p++)
		holes++;
	FUZZ_CHECK(np == holes, "%d params for %s", np, rt->pattern);
	/* put the parameters back into the pattern: the path again */
	buf b;
	buf_init(&b, 1 << 16);
	int k = 0;
	for (const char *p = rt->pattern; *p;) {
		if (*p == '{') {
			FUZZ_CHECK(params[k] && *params[k] && !strchr(params[k], '/'), "param %d", k);
			buf_puts(&b, params[k++]);
			p = strchr(p, '}') + 1;
		} else {
			buf_putc(&b, *p++);
		}
	}
	FUZZ_CHECK(!strcmp(b.data ? b.data : "", path), "%s rebuilt as %s", path, b.data);
	buf_release(&b);
}

static void check_query(http_req *r)
{
	int64_t v;
	if (in_query_int(r, "limit", 1, 200, 50, &v) == 0)
		FUZZ_CHECK(v >= 1 && v <= 200, "limit %lld", (long long)v);
	else
		FUZZ_CHECK(r->err.code == KF_EINVAL && r->err.field, "limit error");
	if (in_query_int(r, "offset", -5, INT64_MAX, 0, &v) == 0)
		FUZZ_CHECK(v >= -5, "offset %lld", (long long)v);

	int64_t id;
	if (in_cursor(r, &id) == 0 && id > 0) {
		char *c = out_cursor(r, id);
		int saved = args.n;
		args.name[0] = "cursor"; /* the first value of a name wins */
		args.value[0] = c;
		args.n = args.n ? args.n : 1;
		int64_t back;
		FUZZ_CHECK(in_cursor(r, &back) == 0 && back == id, "cursor %s does not give back %lld",
			   c, (long long)id);
		args.n = saved;
	}
}

static void check_filter(http_req *r)
{
	/* Chinese search text goes to the search index, which needs a database:
	 * leave such q out. */
	for (int i = 0; i < args.n; i++)
		if (!strcmp(args.name[i], "q"))
			for (const char *p = args.value[i]; *p; p++)
				if ((unsigned char)*p >= 0x80)
					args.name[i] = "q-skipped";
	struct customer_filter f;
	memset(&f, 0, sizeof(f));
	buf_init(&f.where, 1 << 16);
	if (customer_list_filter(r, &f) == 0) {
		int marks = 0;
		for (const char *p = f.where.data; p && *p; p++) {
			marks += *p == '?';
			FUZZ_CHECK(*p != '\'' || !strncmp(p, "'\\'", 3) || (p > f.where.data && !strncmp(p - 2, "'\\'", 3)),
				   "a quote in the SQL: %s", f.where.data);
		}
		FUZZ_CHECK(marks == f.n && f.n <= 16, "%d placeholders, %d arguments: %s", marks, f.n,
			   f.where.data);
	} else {
		FUZZ_CHECK(r->err.code < 0, "failed without an error");
	}
	buf_release(&f.where);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET", "POST", "PATCH", "PUT", "DELETE", "HEAD"};
	if (size < 1)
		return 0;
	const char *method = methods[data[0] % 6];
	char *target = fuzz_strndup(data + 1, size - 1);
	arena *a = arena_new();
	char *q = strchr(target, '?');
	if (q)
		*q++ = 0;
	check_route(a, method, target);
	parse_query(a, q ? q : "");

	http_req r;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.method = method;
	r.path = target;
	r.user.id = 7;
	r.user.role = data[0] / 6 % 4;
	check_query(&r);
	memset(&r.err, 0, sizeof(r.err));
	check_filter(&r);

	arena_free(a);
	free(target);
	return 0;
}
