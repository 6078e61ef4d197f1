/* fuzz_reportq.c - the query strings of the reports and the exports, read
 * without a database: the format (app/report_export.c: rep_format, with
 * the Accept header), the period (rep_range: dates in China time or epoch
 * milliseconds), the customer-value reports' filter (rep_filter, the
 * customer list's conditions), and the exports' filters (app/exports.c:
 * export_case_filters, export_owner_period).
 *
 * Input: byte 0 picks the caller (role and department), the rest is a
 * query string, split on '&' and '=' and unescaped with libmicrohttpd's
 * MHD_http_unescape as in fuzz_router; MHD_lookup_connection_value is
 * replaced by a lookup in that table (the first value of a name wins),
 * headers by the parameter named "~" and the header's name ("~Accept").
 *
 * Invariants: a refusal names a parameter and has a negative code; the
 * format is the one asked for (json, csv, xlsx) or, when none is, what
 * the Accept header names; a period starts before it ends, and what is
 * not given is the default; the SQL conditions have exactly as many '?'
 * as arguments, within the arrays the handlers give, and quote nothing
 * from the query into the SQL.
 *
 * Not reached without a database: Chinese text in q (the search index). */
#include "tests/fuzz/fuzz.h"

#include <microhttpd.h>

#include "app/case.h"
#include "app/customer.h"
#include "app/report.h"

enum { MAX_ARGS = 64 };
static const int64_t NOW = 1764000000000LL, DAY = 86400000LL;

static struct {
	char *name[MAX_ARGS], *value[MAX_ARGS];
	int n;
} args;

static const char *lookup(const char *key)
{
	for (int i = 0; i < args.n; i++)
		if (!strcmp(args.name[i], key))
			return args.value[i];
	return NULL;
}

const char *MHD_lookup_connection_value(struct MHD_Connection *c, enum MHD_ValueKind kind,
					const char *key)
{
	(void)c;
	if (kind == MHD_GET_ARGUMENT_KIND)
		return lookup(key);
	if (kind == MHD_HEADER_KIND) {
		char h[64];
		snprintf(h, sizeof(h), "~%s", key);
		return lookup(h);
	}
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

static void check_refusal(http_req *r, int rc, const char *const *params)
{
	FUZZ_CHECK(rc < 0 && r->err.code == rc, "code %d, error %d", rc, r->err.code);
	FUZZ_CHECK(r->err.field, "refusal names no parameter: %s", r->err.en);
	FUZZ_CHECK(fuzz_utf8_str(r->err.zh) && fuzz_utf8_str(r->err.en), "message is not UTF-8");
	int known = !params;
	for (; params && *params; params++)
		known |= !strcmp(*params, r->err.field);
	FUZZ_CHECK(known, "refusal names %s", r->err.field);
	memset(&r->err, 0, sizeof(r->err));
}

/* where has as many '?' as n arguments, n <= max, and no quote. */
static void check_sql(const char *where, int n, int max)
{
	int marks = 0;
	for (const char *p = where; p && *p; p++) {
		marks += *p == '?';
		FUZZ_CHECK(*p != '\'' || !strncmp(p, "'\\'", 3) || (p > where && !strncmp(p - 2, "'\\'", 3)),
			   "a quote in the SQL: %s", where);
	}
	FUZZ_CHECK(marks == n && n <= max, "%d placeholders, %d arguments (at most %d): %s", marks, n,
		   max, where);
}

static void format(http_req *r)
{
	int fmt = -1;
	int rc = rep_format(r, &fmt);
	const char *f = lookup("format"), *acc = lookup("~Accept");
	static const char *const params[] = {"format", NULL};
	if (rc < 0) {
		FUZZ_CHECK(f && *f, "refused without a format");
		return check_refusal(r, rc, params);
	}
	int want = f && *f ? (!strcmp(f, "csv") ? REP_CSV : !strcmp(f, "xlsx") ? REP_XLSX : REP_JSON)
		   : acc && strstr(acc, "spreadsheetml") ? REP_XLSX
		   : acc && strstr(acc, "text/csv")	 ? REP_CSV
							 : REP_JSON;
	FUZZ_CHECK(!(f && *f) || !strcmp(f, "json") || !strcmp(f, "csv") || !strcmp(f, "xlsx"),
		   "format %s accepted", f);
	FUZZ_CHECK(fmt == want, "format %d, not %d", fmt, want);
}

static void range(http_req *r)
{
	int64_t from = -1, to = -1, dfrom = NOW - 30 * DAY;
	int rc = rep_range(r, dfrom, NOW, &from, &to);
	static const char *const params[] = {"from", "to", NULL};
	if (rc < 0)
		return check_refusal(r, rc, params);
	FUZZ_CHECK(from < to, "from %lld, to %lld", (long long)from, (long long)to);
	const char *f = lookup("from"), *t = lookup("to");
	if (!f || !*f)
		FUZZ_CHECK(from == dfrom, "from %lld without one", (long long)from);
	else
		FUZZ_CHECK(from >= 0, "from %lld", (long long)from);
	if (!t || !*t)
		FUZZ_CHECK(to == NOW, "to %lld without one", (long long)to);
}

static void filter(http_req *r)
{
	for (int i = 0; i < args.n; i++)
		if (!strcmp(args.name[i], "q"))
			for (const char *p = args.value[i]; *p; p++)
				if ((unsigned char)*p >= 0x80)
					args.name[i] = "q-skipped";
	struct rep_filter f;
	memset(&f, 0, sizeof(f));
	int rc = rep_filter(r, &f);
	if (rc < 0)
		return check_refusal(r, rc, NULL);
	FUZZ_CHECK(f.where && *f.where, "no condition");
	check_sql(f.where, f.n, 16);
}

static void exports(http_req *r)
{
	static const char *const case_params[] = {"state",   "type",	     "priority",   "channel",
						  "open",    "assignee",     "created_from", "created_to",
						  NULL};
	static const char *const period_params[] = {"assignee", "from", "to", NULL};
	db_val a[EXPORT_MAX_ARGS];
	int n = 0;
	buf w;
	buf_init(&w, 1 << 16);
	int rc = export_case_filters(r, &w, a, &n);
	if (rc < 0)
		check_refusal(r, rc, case_params);
	else
		check_sql(w.data, n, EXPORT_MAX_ARGS);
	buf_release(&w);

	n = 0;
	buf_init(&w, 1 << 16);
	buf_puts(&w, "1 = 1");
	rc = export_owner_period(r, "f.assignee_id", "f.due_at", &w, a, &n);
	if (rc < 0)
		check_refusal(r, rc, period_params);
	else
		check_sql(w.data, n, EXPORT_MAX_ARGS);
	buf_release(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *q = fuzz_strndup(data + 1, size - 1);
	arena *a = arena_new();
	parse_query(a, q);
	http_req r;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.method = "GET";
	r.path = "/api/reports";
	r.user.id = 7;
	r.user.role = data[0] % 4;
	r.user.department_id = data[0] / 4 % 2 ? 2 : 0;
	format(&r);
	range(&r);
	filter(&r);
	exports(&r);
	arena_free(a);
	free(q);
	return 0;
}
