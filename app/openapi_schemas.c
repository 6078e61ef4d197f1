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


#define OBJ "{\"type\":\"object\"}"
#define QUESTION                                                                                  \
	"{\"type\":\"object\",\"required\":[\"key\",\"kind\",\"text_zh\"],\"properties\":{\"key\":" STR "," \
	"\"kind\":{\"enum\":[\"csat\",\"nps\",\"effort\",\"single\",\"multiple\",\"text\"]},\"text_zh\":" STR "," \
	"\"text_en\":" STR ",\"required\":" BOOL ",\"options\":{\"type\":\"array\",\"items\":{\"type\":\"object\"," \
	"\"properties\":{\"key\":" STR ",\"zh\":" STR ",\"en\":" STR "}}}}}"
#define TEMPLATE_IN                                                                               \
	"{\"type\":\"object\",\"properties\":{\"name\":" STR ",\"description\":" STR ",\"active\":" BOOL "," \
	"\"questions\":{\"type\":\"array\",\"items\":" QUESTION "}}}"
#define TEMPLATE                                                                                  \
	"{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"name\":" STR ",\"description\":" STR "," \
	"\"questions\":{\"type\":\"array\",\"items\":" QUESTION "},\"active\":" BOOL ",\"responses\":" INT "," \
	"\"created_at\":" INT ",\"updated_at\":" INT "}}"
#define INVITATION                                                                                \
	"{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"template_id\":" INT ",\"customer_id\":" INT "," \
	"\"customer_name\":" STR ",\"source\":{\"enum\":[\"case\",\"visit\",\"campaign\",\"manual\"]}," \
	"\"state\":{\"enum\":[\"pending\",\"answered\",\"expired\",\"suppressed\"]},\"case_id\":" NINT "," \
	"\"case_number\":" NSTR ",\"followup_id\":" NINT ",\"campaign_id\":" NINT ",\"agent_id\":" NINT "," \
	"\"created_at\":" INT ",\"expires_at\":" INT ",\"used_at\":" NINT ",\"response_id\":" NINT "," \
	"\"delivery\":{\"enum\":[\"\",\"email\"]}," \
	"\"url\":{\"type\":\"string\",\"nullable\":true,\"description\":\"/portal/s/<token>: the one-time link (null when suppressed)\"}}}"
#define CAMPAIGN_IN                                                                               \
	"{\"type\":\"object\",\"properties\":{\"name\":" STR ",\"template_id\":" INT "," \
	"\"filter\":{\"type\":\"object\",\"description\":\"kind, source, lifecycle, chain_role, value_class, tier, industry, tag, owner_id\"}," \
	"\"period\":{\"enum\":[\"once\",\"monthly\",\"quarterly\",\"yearly\"]},\"state\":{\"enum\":[\"draft\",\"active\",\"stopped\"]}," \
	"\"expires_days\":" INT "}}"
#define SCORES                                                                                    \
	"{\"type\":\"object\",\"properties\":{\"key\":" STR ",\"label\":" STR ",\"responses\":" INT ",\"low\":" INT "," \
	"\"csat_n\":" INT ",\"satisfied\":" INT ",\"csat_bp\":" NINT ",\"nps_n\":" INT ",\"promoters\":" INT "," \
	"\"passives\":" INT ",\"detractors\":" INT ",\"nps_bp\":" NINT ",\"effort_n\":" INT ",\"effort_x100\":" NINT "}}"
#define SHEET_ITEM                                                                                \
	"{\"type\":\"object\",\"properties\":{\"attribute\":" STR ",\"expected_level\":" INT "," \
	"\"expected_words\":" STR ",\"perceived_level\":" NINT ",\"perceived_words\":" STR ",\"gap\":" NINT "}}"
#define SHEET                                                                                     \
	"{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"customer_id\":" INT ",\"customer_name\":" STR "," \
	"\"case_id\":" NINT ",\"title\":" STR ",\"items\":{\"type\":\"array\",\"items\":" SHEET_ITEM "}," \
	"\"gap_total\":" INT ",\"gap_mean_x100\":" NINT ",\"gap_worst\":" NINT ",\"alert\":" BOOL "," \
	"\"followup_id\":" NINT ",\"created_at\":" INT ",\"updated_at\":" INT "}}"
#define COMPETITOR                                                                                \
	"{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"competitor\":" STR ",\"period\":" STR "," \
	"\"measure\":{\"enum\":[\"csat\",\"nps\",\"effort\"]},\"score\":" INT ",\"source\":" STR "}}"
#define PORTAL_SETTINGS                                                                           \
	"{\"type\":\"object\",\"properties\":{\"company_name\":" STR ",\"hotline\":" STR ",\"complaint_email\":" STR "," \
	"\"pledge\":" STR ",\"contacts\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"name\":" STR "," \
	"\"role\":" STR ",\"phone\":" STR ",\"email\":" STR "}}},\"show_agent_names\":" BOOL ",\"actor\":" STR "," \
	"\"limit_per_ip\":" INT ",\"limit_per_phone\":" INT ",\"base_url\":" STR "}}"
#define PUBLIC_SURVEY                                                                             \
	"{\"type\":\"object\",\"properties\":{\"title\":" STR ",\"questions\":{\"type\":\"array\",\"items\":" QUESTION "}," \
	"\"expires_at\":" INT ",\"case_number\":" STR "}}"
#define ANSWERS_IN                                                                                \
	"{\"type\":\"object\",\"required\":[\"answers\"],\"properties\":{\"answers\":{\"type\":\"object\"," \
	"\"description\":\"question key -> score (integer), option key (single), option keys (multiple) or text\"}," \
	"\"phone\":" STR ",\"website\":{\"type\":\"string\",\"description\":\"leave empty (a bot trap)\"}}}"
#define RECEIVED "{\"type\":\"object\",\"properties\":{\"received\":" BOOL "}}"

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
	 Q("created_from", "epoch ms") "," Q("created_to", "epoch ms") "," Q("closed_from", "epoch ms") "," Q("closed_to", "epoch ms") "]",
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
	{"GET", "/api/survey-templates", "[" Q("active", "1: only active ones") "]", NULL, JSONRESP("templates", ITEMS(TEMPLATE)), "200"},
	{"POST", "/api/survey-templates", NULL, JSONBODY(TEMPLATE_IN), JSONRESP("the template", TEMPLATE), "201"},
	{"GET", "/api/survey-templates/{id}", NULL, NULL, JSONRESP("the template", TEMPLATE), "200"},
	{"PATCH", "/api/survey-templates/{id}", NULL, JSONBODY(TEMPLATE_IN), JSONRESP("the template", TEMPLATE), "200"},
	{"PATCH", "/api/survey-rules/{rule}", NULL,
	 JSONBODY("{\"type\":\"object\",\"properties\":{\"enabled\":" BOOL ",\"template_id\":" NINT ",\"min_days\":" INT ",\"expires_days\":" INT "}}"),
	 JSONRESP("the rule", "{\"type\":\"object\",\"properties\":{\"rule\":{\"enum\":[\"case_closed\",\"visit_closed\"]},\"enabled\":" BOOL ",\"template_id\":" NINT ",\"min_days\":" INT ",\"expires_days\":" INT "}}"),
	 "200"},
	{"POST", "/api/survey-campaigns", NULL, JSONBODY(CAMPAIGN_IN), JSONRESP("the campaign", OBJ), "201"},
	{"GET", "/api/survey-campaigns/{id}/preview", "[" Q("limit", "1-200") "]", NULL,
	 JSONRESP("who it would reach now", "{\"type\":\"object\",\"properties\":{\"count\":" INT ",\"capped\":" BOOL ",\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"id\":" INT ",\"name\":" STR ",\"tier\":" STR ",\"value_class\":" STR "}}}}}"),
	 "200"},
	{"POST", "/api/survey-campaigns/{id}/send", NULL, NULL,
	 JSONRESP("sent for the current period", "{\"type\":\"object\",\"properties\":{\"campaign_id\":" INT ",\"period\":" STR ",\"created\":" INT "}}"),
	 "200"},
	{"GET", "/api/survey-invitations", "[" Q("customer_id", "") "," Q("case_id", "") "," Q("campaign_id", "") "," Q("limit", "1-500") "," Q("cursor", "next_cursor") "]",
	 NULL, JSONRESP("newest first", "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":" INVITATION "},\"next_cursor\":" NSTR "}}"), "200"},
	{"POST", "/api/survey-invitations", NULL,
	 JSONBODY("{\"type\":\"object\",\"required\":[\"customer_id\"],\"properties\":{\"customer_id\":" INT ",\"template_id\":" INT ",\"case_id\":" INT ",\"expires_days\":" INT ",\"expires_at\":" INT "}}"),
	 JSONRESP("the invitation with its link", INVITATION), "201"},
	{"GET", "/api/survey-responses", "[" Q("customer_id", "") "," Q("low", "1: only low scores") "," Q("limit", "1-200") "," Q("cursor", "next_cursor") "]",
	 NULL, NULL, NULL},
	{"GET", "/api/reports/satisfaction",
	 "[" Q("by", "period (default), agent, department, case_type, channel or tier") "," Q("granularity", "day, week or month (by=period)") ","
	 Q("from", "YYYY-MM-DD or epoch ms") "," Q("to", "YYYY-MM-DD or epoch ms") "," Q("format", "json (default), csv or xlsx") "]",
	 NULL,
	 JSONRESP("CSAT (share of 4-5), NPS (% promoters - % detractors) in basis points, mean effort in hundredths",
		  "{\"type\":\"object\",\"properties\":{\"by\":" STR ",\"rows\":{\"type\":\"array\",\"items\":" SCORES "},\"total\":" SCORES ",\"competitors\":{\"type\":\"array\",\"items\":" COMPETITOR "}}}"),
	 "200"},
	{"GET", "/api/reports/survey-results", "[" Q("template_id", "required") "," Q("from", "") "," Q("to", "") "]", NULL,
	 JSONRESP("per question: histogram and score (csat_bp, nps_bp or effort_x100) of scored ones, options {key: count} of choices, latest texts",
		  "{\"type\":\"object\",\"properties\":{\"template_id\":" INT ",\"name\":" STR ",\"responses\":" INT ",\"questions\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"key\":" STR ",\"kind\":" STR ",\"answered\":" INT ",\"histogram\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"value\":" INT ",\"count\":" INT "}}},\"score\":" NINT ",\"options\":{\"type\":\"object\"},\"latest\":{\"type\":\"array\",\"items\":" STR "}}}}}}"),
	 "200"},
	{"GET", "/api/reports/commitments",
	 "[" Q("from", "YYYY-MM-DD or epoch ms (due time)") "," Q("to", "YYYY-MM-DD or epoch ms") "," Q("department_id", "the maker's department") ","
	 Q("owner_id", "the maker") "," Q("by", "owner (default) or week: the rows of the file") "," Q("format", "json (default), csv or xlsx") "]",
	 NULL, NULL, NULL},
	{"GET", "/api/reports/agent-workload",
	 "[" Q("from", "YYYY-MM-DD or epoch ms") "," Q("to", "YYYY-MM-DD or epoch ms") "," Q("department_id", "the agents' department") ","
	 Q("format", "json (default), csv or xlsx") "]",
	 NULL, NULL, NULL},
	{"GET", "/api/reports/expectation-gaps", "[" Q("from", "") "," Q("to", "") "]", NULL,
	 JSONRESP("per attribute", ITEMS("{\"type\":\"object\",\"properties\":{\"attribute\":" STR ",\"n\":" INT ",\"customers\":" INT ",\"expected_x100\":" INT ",\"perceived_x100\":" INT ",\"gap_x100\":" INT ",\"large_negative\":" INT "}}")),
	 "200"},
	{"GET", "/api/competitor-scores", "[" Q("competitor", "") "," Q("measure", "csat, nps or effort") "]", NULL, JSONRESP("scores", ITEMS(COMPETITOR)), "200"},
	{"POST", "/api/competitor-scores", NULL,
	 JSONBODY("{\"type\":\"object\",\"required\":[\"competitor\",\"period\",\"measure\",\"score\"],\"properties\":{\"competitor\":" STR ",\"period\":{\"type\":\"string\",\"description\":\"2026, 2026-11 or 2026-Q4\"},\"measure\":{\"enum\":[\"csat\",\"nps\",\"effort\"]},\"score\":{\"type\":\"integer\",\"description\":\"csat 0..10000 bp, nps -10000..10000 bp, effort 100..700 (hundredths)\"},\"source\":" STR "}}"),
	 JSONRESP("the score", COMPETITOR), "201"},
	{"GET", "/api/expectation-sheets", "[" Q("customer_id", "") "," Q("limit", "1-200") "]", NULL, JSONRESP("newest first", ITEMS(SHEET)), "200"},
	{"POST", "/api/expectation-sheets", NULL,
	 JSONBODY("{\"type\":\"object\",\"required\":[\"customer_id\",\"items\"],\"properties\":{\"customer_id\":" INT ",\"case_id\":" INT ",\"title\":" STR ",\"items\":{\"type\":\"array\",\"items\":" SHEET_ITEM "}}}"),
	 JSONRESP("the sheet with its gaps", SHEET), "201"},
	{"GET", "/api/expectation-sheets/{id}", NULL, NULL, JSONRESP("the sheet with its gaps", SHEET), "200"},
	{"PATCH", "/api/expectation-sheets/{id}", NULL,
	 JSONBODY("{\"type\":\"object\",\"properties\":{\"title\":" STR ",\"items\":{\"type\":\"array\",\"items\":" SHEET_ITEM "}}}"),
	 JSONRESP("the sheet; a gap of -2 or worse raises a follow-up once", SHEET), "200"},
	{"GET", "/api/portal-settings", NULL, NULL, JSONRESP("settings", PORTAL_SETTINGS), "200"},
	{"PUT", "/api/portal-settings", NULL, JSONBODY(PORTAL_SETTINGS), JSONRESP("settings", PORTAL_SETTINGS), "200"},
	{"GET", "/api/portal/service", NULL, NULL,
	 JSONRESP("the service page", "{\"type\":\"object\",\"properties\":{\"company_name\":" STR ",\"hotline\":" STR ",\"complaint_email\":" STR ",\"pledge\":" STR ",\"contacts\":{\"type\":\"array\",\"items\":" OBJ "}}}"),
	 "200"},
	{"POST", "/api/portal/inquiries", NULL,
	 JSONBODY("{\"type\":\"object\",\"required\":[\"type\",\"phone\",\"subject\"],\"properties\":{\"type\":{\"enum\":[\"inquiry\",\"complaint\",\"suggestion\"]},\"name\":" STR ",\"phone\":" STR ",\"subject\":" STR ",\"description\":" STR ",\"website\":{\"type\":\"string\",\"description\":\"leave empty (a bot trap)\"}}}"),
	 JSONRESP("received; 429 past the limits per address and phone", "{\"type\":\"object\",\"properties\":{\"received\":" BOOL ",\"number\":" NSTR "}}"),
	 "201"},
	{"GET", "/api/portal/track", "[" Q("number", "the case number") "," Q("phone", "the phone given") "]", NULL,
	 JSONRESP("the case's public moments", "{\"type\":\"object\",\"properties\":{\"number\":" STR ",\"type\":" STR ",\"state\":" STR ",\"label\":" STR ",\"subject\":" STR ",\"received_at\":" INT ",\"closed_at\":" NINT ",\"open\":" BOOL ",\"timeline\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"kind\":{\"enum\":[\"created\",\"reply\",\"customer\",\"transition\"]},\"at\":" INT ",\"text\":" STR ",\"by\":" STR ",\"state\":" STR ",\"label\":" STR "}}}}}"),
	 "200"},
	{"GET", "/api/portal/surveys/{token}", NULL, NULL, JSONRESP("the survey; 404 invalid or tampered, 410 answered or expired", PUBLIC_SURVEY), "200"},
	{"POST", "/api/portal/surveys/{token}", NULL, JSONBODY(ANSWERS_IN), JSONRESP("stored; 410 when used or expired", RECEIVED), "201"},
	{"GET", "/api/portal/cards/{slug}", NULL, NULL, JSONRESP("the card", PUBLIC_SURVEY), "200"},
	{"POST", "/api/portal/cards/{slug}", NULL, JSONBODY(ANSWERS_IN), JSONRESP("stored", RECEIVED), "201"},
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
