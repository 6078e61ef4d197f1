/* openapi_schemas.c - request and response schemas for /api/openapi.json.
 *
 * openapi.c generates an operation for every route of the routes table
 * (so none can be missing); this registry adds what a table of handlers
 * cannot know: query parameters, the request body and the answer's shape.
 * One row per (method, pattern); the schemas are JSON Schema text written
 * as OpenAPI 3.0 takes them, checked to parse by the e2e test (a row that
 * does not parse is skipped and reported as x-kefu-schema-error).  A route
 * without a row keeps the generic description. */
#include "app/app.h"

#include <string.h>

#include "lib/common.h"

struct op_schema {
	const char *method, *pattern;
	const char *query;    /* JSON array of OpenAPI parameter objects, or NULL */
	const char *request;  /* requestBody object, or NULL */
	const char *response; /* the success response object, or NULL */
	const char *status;   /* its status code */
};

#define STR "{\"type\":\"string\"}"
#define INT "{\"type\":\"integer\"}"
#define BOOL "{\"type\":\"boolean\"}"
#define NSTR "{\"type\":\"string\",\"nullable\":true}"
#define NINT "{\"type\":\"integer\",\"nullable\":true}"
#define JSONBODY(s) "{\"required\":true,\"content\":{\"application/json\":{\"schema\":" s "}}}"
#define JSONRESP(d, s) "{\"description\":\"" d "\",\"content\":{\"application/json\":{\"schema\":" s "}}}"
#define FILERESP(d, t) "{\"description\":\"" d "\",\"content\":{" t "}}"
#define Q(n, d) "{\"name\":\"" n "\",\"in\":\"query\",\"description\":\"" d "\",\"schema\":{\"type\":\"string\"}}"
#define ITEMS(s) "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":" s "}}}"

#define IMPORT_JOB                                                                                \
	"{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"kind\":{\"enum\":[\"customers\",\"orders\"]}," \
	"\"filename\":" STR ",\"encoding\":{\"enum\":[\"utf-8\",\"utf-8-bom\",\"utf-16le\",\"utf-16be\",\"gb18030\",\"xlsx\"]}," \
	"\"status\":{\"enum\":[\"parsing\",\"uploaded\",\"checking\",\"checked\",\"importing\",\"done\",\"failed\",\"cancelled\"]}," \
	"\"headers\":{\"type\":\"array\",\"items\":" STR "},\"sample\":{\"type\":\"array\",\"items\":{\"type\":\"array\",\"items\":" STR "}}," \
	"\"suggested_mapping\":{\"type\":\"array\",\"items\":" NSTR "},\"mapping\":{\"type\":\"array\",\"items\":" NSTR "}," \
	"\"duplicates\":{\"enum\":[\"skip\",\"merge\"]},\"rows\":" INT "," \
	"\"progress\":{\"type\":\"object\",\"properties\":{\"done\":" INT ",\"total\":" INT ",\"phase\":{\"enum\":[\"check\",\"commit\"]}}}," \
	"\"summary\":{\"type\":\"object\",\"properties\":{\"ok\":" INT ",\"bad\":" INT ",\"problems\":" INT ",\"duplicates_existing\":" INT ",\"duplicates_in_file\":" INT "}}," \
	"\"result\":{\"type\":\"object\",\"properties\":{\"inserted\":" INT ",\"merged\":" INT ",\"skipped\":" INT "}}," \
	"\"error\":{\"type\":\"object\",\"nullable\":true,\"properties\":{\"zh\":" STR ",\"en\":" STR "}}," \
	"\"created_by\":" NINT ",\"created_at\":" INT ",\"updated_at\":" INT ",\"finished_at\":" NINT ",\"heartbeat_at\":" NINT "}}"

#define WEBHOOK                                                                                   \
	"{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"name\":" STR ",\"url\":" STR ","       \
	"\"kind\":{\"enum\":[\"json\",\"wecom\",\"dingtalk\"]},\"events\":{\"type\":\"array\",\"items\":" STR "}," \
	"\"active\":" BOOL ",\"has_secret\":" BOOL ",\"secret\":{\"type\":\"string\",\"description\":\"only in the answer to POST, when generated\"}," \
	"\"created_at\":" INT ",\"updated_at\":" INT "}}"

#define WEBHOOK_IN                                                                                \
	"{\"type\":\"object\",\"properties\":{\"name\":" STR ",\"url\":" STR ",\"kind\":{\"enum\":[\"json\",\"wecom\",\"dingtalk\"]}," \
	"\"secret\":" STR ",\"events\":{\"type\":\"array\",\"items\":" STR "},\"active\":" BOOL "}}"

#define MAIL_MSG                                                                                  \
	"{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"direction\":{\"enum\":[\"in\",\"out\"]}," \
	"\"message_id\":" STR ",\"in_reply_to\":" STR ",\"from\":" STR ",\"from_name\":" STR ",\"to\":" STR "," \
	"\"subject\":" STR ",\"text\":" STR ",\"html\":" STR ",\"thread_id\":" INT ",\"case_id\":" NINT "," \
	"\"status\":{\"enum\":[\"received\",\"pending\",\"sent\",\"failed\"]},\"attempts\":" INT ",\"error\":" STR "," \
	"\"created_by\":" NINT ",\"created_at\":" INT ",\"sent_at\":" NINT "," \
	"\"attachments\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"filename\":" STR ",\"content_type\":" STR ",\"size\":" INT "}}}}}"

#define MAIL_SETTINGS                                                                             \
	"{\"type\":\"object\",\"properties\":{\"imap_url\":" STR ",\"imap_user\":" STR ",\"smtp_url\":" STR "," \
	"\"smtp_user\":" STR ",\"from_address\":" STR ",\"from_name\":" STR ",\"poll_seconds\":" STR ",\"actor\":" STR "}}"

#define CUSTOMER_FILTERS                                                                          \
	Q("q", "name, company or phone") "," Q("kind", "") "," Q("source", "") "," Q("lifecycle", "") "," \
	Q("chain_role", "") "," Q("value_class", "") "," Q("tier", "") "," Q("industry", "") ","  \
	Q("tag", "") "," Q("owner", "a user id, me or none") "," Q("archived", "0 or 1")

static const struct op_schema schemas[] = {
	{"GET", "/api/imports/fields", "[" Q("kind", "customers or orders") "]", NULL,
	 JSONRESP("the fields", "{\"type\":\"object\",\"properties\":{\"kind\":" STR ",\"fields\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"name\":" STR ",\"zh\":" STR ",\"en\":" STR ",\"required\":" BOOL "}}}}}"),
	 "200"},
	{"GET", "/api/imports", "[" Q("limit", "1-100") "]", NULL, JSONRESP("recent jobs", ITEMS(IMPORT_JOB)), "200"},
	{"POST", "/api/imports",
	 "[" Q("kind", "customers (default) or orders") "," Q("filename", "the file's name, for people") ","
	 Q("duplicates", "skip (default) or merge") "]",
	 "{\"required\":true,\"description\":\"the file itself: CSV (UTF-8, UTF-8 with BOM, UTF-16, GBK/GB18030) or .xlsx, up to 512 MiB\","
	 "\"content\":{\"application/octet-stream\":{\"schema\":{\"type\":\"string\",\"format\":\"binary\"}}}}",
	 JSONRESP("the job, read and waiting for a mapping (status uploaded)", IMPORT_JOB), "201"},
	{"GET", "/api/imports/{id}", NULL, NULL, JSONRESP("the job", IMPORT_JOB), "200"},
	{"POST", "/api/imports/{id}/check", NULL,
	 JSONBODY("{\"type\":\"object\",\"properties\":{\"mapping\":{\"type\":\"array\",\"description\":\"aligned with headers: a field name or null\",\"items\":" NSTR "},\"duplicates\":{\"enum\":[\"skip\",\"merge\"]}}}"),
	 JSONRESP("started (status checking); poll GET /api/imports/{id}", IMPORT_JOB), "202"},
	{"GET", "/api/imports/{id}/problems", "[" Q("limit", "1-1000") "," Q("cursor", "next_cursor of the previous page") "]", NULL,
	 JSONRESP("problems in file order", "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"line\":" INT ",\"column\":" INT ",\"column_name\":" STR ",\"field\":" STR ",\"value\":" STR ",\"message_zh\":" STR ",\"message_en\":" STR "}}},\"next_cursor\":" NSTR "}}"),
	 "200"},
	{"POST", "/api/imports/{id}/commit", NULL,
	 JSONBODY("{\"type\":\"object\",\"properties\":{\"duplicates\":{\"enum\":[\"skip\",\"merge\"]}}}"),
	 JSONRESP("started (status importing); poll GET /api/imports/{id}", IMPORT_JOB), "202"},
	{"POST", "/api/imports/{id}/cancel", NULL, NULL, JSONRESP("the job", IMPORT_JOB), "200"},
	{"GET", "/api/exports/customers", "[" Q("format", "xlsx (default), csv or vcf") "," CUSTOMER_FILTERS "]", NULL,
	 FILERESP("the file (Content-Disposition: attachment)",
		  "\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\":{},\"text/csv\":{},\"text/vcard\":{}"),
	 "200"},
	{"GET", "/api/exports/cases",
	 "[" Q("format", "xlsx (default) or csv") "," Q("state", "") "," Q("type", "") "," Q("priority", "") ","
	 Q("channel", "") "," Q("open", "1, 0 or all") "," Q("assignee", "a user id or me") ","
	 Q("created_from", "epoch ms") "," Q("created_to", "epoch ms") "]",
	 NULL,
	 FILERESP("the file", "\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\":{},\"text/csv\":{}"),
	 "200"},
	{"GET", "/api/customers/{id}/vcard", NULL, NULL, FILERESP("vCard 4.0", "\"text/vcard\":{}"), "200"},
	{"GET", "/api/webhooks/events", NULL, NULL,
	 JSONRESP("events", ITEMS("{\"type\":\"object\",\"properties\":{\"name\":" STR ",\"zh\":" STR ",\"en\":" STR "}}")), "200"},
	{"GET", "/api/webhooks", NULL, NULL, JSONRESP("webhooks", ITEMS(WEBHOOK)), "200"},
	{"POST", "/api/webhooks", NULL, JSONBODY(WEBHOOK_IN), JSONRESP("the webhook", WEBHOOK), "201"},
	{"PATCH", "/api/webhooks/{id}", NULL, JSONBODY(WEBHOOK_IN), JSONRESP("the webhook", WEBHOOK), "200"},
	{"DELETE", "/api/webhooks/{id}", NULL, NULL, "{\"description\":\"deleted\"}", "204"},
	{"POST", "/api/webhooks/{id}/test", NULL, NULL,
	 JSONRESP("queued", "{\"type\":\"object\",\"properties\":{\"delivery_id\":" INT "}}"), "202"},
	{"GET", "/api/webhooks/{id}/deliveries", "[" Q("limit", "1-200") "]", NULL,
	 JSONRESP("latest first", ITEMS("{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"event\":" STR ",\"status\":{\"enum\":[\"pending\",\"done\",\"dead\"]},\"attempts\":" INT ",\"next_at\":" NINT ",\"last_status\":" NINT ",\"last_error\":" STR ",\"created_at\":" INT ",\"delivered_at\":" NINT ",\"payload\":{\"type\":\"object\"}}}")),
	 "200"},
	{"GET", "/api/mail/settings", NULL, NULL, JSONRESP("settings (has_imap_password, has_smtp_password instead of the passwords)", MAIL_SETTINGS), "200"},
	{"PUT", "/api/mail/settings", NULL, JSONBODY(MAIL_SETTINGS), JSONRESP("settings", MAIL_SETTINGS), "200"},
	{"POST", "/api/mail/poll", NULL, NULL,
	 JSONRESP("polled", "{\"type\":\"object\",\"properties\":{\"fetched\":" INT "}}"), "200"},
	{"POST", "/api/mail/inbound", NULL,
	 "{\"required\":true,\"content\":{\"message/rfc822\":{\"schema\":{\"type\":\"string\",\"format\":\"binary\"}}}}",
	 JSONRESP("stored (200 when seen before)", "{\"type\":\"object\",\"properties\":{\"mail_id\":" INT ",\"case_id\":" NINT ",\"duplicate\":" BOOL "}}"),
	 "201"},
	{"GET", "/api/mail/messages", "[" Q("case_id", "") "," Q("thread_id", "") "," Q("limit", "1-200") "]", NULL,
	 JSONRESP("oldest first", ITEMS(MAIL_MSG)), "200"},
	{"GET", "/api/mail/messages/{id}", NULL, NULL, JSONRESP("the message", MAIL_MSG), "200"},
	{"POST", "/api/mail/messages/{id}/reply", NULL,
	 JSONBODY("{\"type\":\"object\",\"required\":[\"text\"],\"properties\":{\"text\":" STR "}}"),
	 JSONRESP("queued (status pending)", MAIL_MSG), "202"},
	{"GET", "/api/mail/attachments/{id}", NULL, NULL, FILERESP("the bytes", "\"application/octet-stream\":{}"), "200"},
	{"POST", "/api/cases/{id}/mail", NULL,
	 JSONBODY("{\"type\":\"object\",\"required\":[\"text\"],\"properties\":{\"text\":" STR ",\"subject\":" STR ",\"to\":" STR "}}"),
	 JSONRESP("queued (status pending)", MAIL_MSG), "202"},
	{"GET", "/api/customers", "[" CUSTOMER_FILTERS "," Q("limit", "1-200") "," Q("cursor", "next_cursor") "]", NULL, NULL, NULL},
	{"GET", "/api/calendar/mine.ics", "[" Q("token", "the personal calendar token (POST /api/me/calendar-token); or a session or Bearer API token") "]", NULL,
	 FILERESP("iCalendar (RFC 5545): my open visits and commitments", "\"text/calendar\":{}"), "200"},
	{"GET", "/api/me/calendar-token", NULL, NULL,
	 JSONRESP("whether I have one (never the secret)", "{\"type\":\"object\",\"properties\":{\"exists\":" BOOL ",\"created_at\":" INT ",\"last_used_at\":" INT "}}"),
	 "200"},
	{"POST", "/api/me/calendar-token", NULL, NULL,
	 JSONRESP("the token, shown once, and the feed's path with it", "{\"type\":\"object\",\"properties\":{\"token\":" STR ",\"path\":" STR ",\"created_at\":" INT "}}"),
	 "201"},
	{"GET", "/api/customers/count", "[" CUSTOMER_FILTERS "]", NULL,
	 JSONRESP("the exact number of customers matching the filters", "{\"type\":\"object\",\"properties\":{\"count\":" INT "}}"),
	 "200"},
	{0, 0, 0, 0, 0, 0},
};

void openapi_schema_apply(const char *method, const char *pattern, json_t *op)
{
	for (const struct op_schema *s = schemas; s->method; s++) {
		if (strcmp(s->method, method) || strcmp(s->pattern, pattern))
			continue;
		json_error_t je;
		json_t *q = s->query ? json_loads(s->query, 0, &je) : NULL;
		json_t *req = s->request ? json_loads(s->request, 0, &je) : NULL;
		json_t *resp = s->response ? json_loads(s->response, 0, &je) : NULL;
		if ((s->query && !q) || (s->request && !req) || (s->response && !resp)) {
			json_object_set_new(op, "x-kefu-schema-error", json_string(je.text));
		} else {
			if (q)
				json_array_extend(json_object_get(op, "parameters"), q);
			if (req)
				json_object_set(op, "requestBody", req);
			if (resp)
				json_object_set(json_object_get(op, "responses"), s->status, resp);
		}
		json_decref(q);
		json_decref(req);
		json_decref(resp);
		return;
	}
}
