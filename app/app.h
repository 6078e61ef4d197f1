/* app.h - shared pieces of the application layer: input decoding with
 * field-naming errors, the audit log, accounts, and the handlers that
 * app/routes.c lists. */
#ifndef KF_APP_H
#define KF_APP_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"

#define APP_SESSION_COOKIE "kefu_session"
#define APP_SESSION_TTL_MS (12LL * 3600 * 1000)
#define APP_LOGIN_WINDOW_MS (15LL * 60 * 1000)
#define APP_LOGIN_MAX_FAILURES 5

/* input.c: read a field of a JSON object, or fail naming it.
 * Each returns 0 when the field is absent (and *present = 0), 0 with the
 * value when valid, or a negative kf_code with r->err filled.  A JSON null
 * reads as absent-but-present: *present = 1 and *out = NULL / 0. */
int in_str(http_req *r, json_t *o, const char *key, size_t max_chars, int required,
	   const char **out, int *present);
int in_int(http_req *r, json_t *o, const char *key, int64_t min, int64_t max, int required,
	   int64_t *out, int *present);
int in_bool(http_req *r, json_t *o, const char *key, int *out, int *present);
/* Fails on the first key of o that is not in allowed (NULL-terminated). */
int in_only_keys(http_req *r, json_t *o, const char *const *allowed, const char *prefix);
/* Copies a kf_err from core into the request. */
int in_err(http_req *r, const kf_err *e);
/* Query parameter as an integer in [min,max], or the default when absent. */
int in_query_int(http_req *r, const char *name, int64_t min, int64_t max, int64_t dflt,
		 int64_t *out);
/* Cursor tokens for keyset pagination (opaque to clients). */
int in_cursor(http_req *r, int64_t *after_id);
char *out_cursor(http_req *r, int64_t id);

/* audit.c */
int audit_write(db *d, const char *entity, int64_t entity_id, const char *action,
		int64_t actor_id, json_t *changes);
/* {field: [before, after]} for every key of `after` whose value differs. */
json_t *audit_diff(json_t *before, json_t *after);

/* accounts.c */
int account_hash_password(const char *pw, char *out, size_t outlen);
int account_check_password(const char *hash, const char *pw);
int account_create(db *d, const char *username, const char *display_name, const char *role,
		   int64_t department_id, int capability, const char *password, kf_err *e,
		   int64_t *id);
int account_set_password(db *d, int64_t user_id, const char *password, kf_err *e);
json_t *account_json(db *d, int64_t user_id);

/* POST /api/tokens (tokens.c) and POST /api/departments (departments.c):
 * the one field, name (1 to 64 characters), read without a database;
 * *name points into r->json. */
int token_input_read(http_req *r, const char **name);
int department_input_read(http_req *r, const char **name);

/* Handlers, one group per resource file. */
int session_create(http_req *r);
int session_delete(http_req *r);
int me_get(http_req *r);
int me_patch(http_req *r);
int tokens_create(http_req *r);
int tokens_list(http_req *r);
int tokens_delete(http_req *r);
int users_list(http_req *r);
int users_create(http_req *r);
int users_get(http_req *r);
int users_patch(http_req *r);
int departments_list(http_req *r);
int departments_create(http_req *r);
int customers_list(http_req *r);
int customers_count(http_req *r);
int customers_create(http_req *r);
int customers_get(http_req *r);
int customers_patch(http_req *r);
int customers_archive(http_req *r);
int customers_assign(http_req *r);
int customer_orders_list(http_req *r);
int customer_orders_create(http_req *r);
int customer_audit_list(http_req *r);
int customer_personal_data(http_req *r); /* customer_privacy.c */
int customer_erase(http_req *r);
int customer_reveal_phone(http_req *r);
int system_healthz(http_req *r);
int system_metrics(http_req *r);
int system_root(http_req *r);
int openapi_get(http_req *r);
/* Customer value segmentation (segment_*.c) and the reports (reports_*.c). */
int segment_settings_get(http_req *r);
int segment_settings_patch(http_req *r);
int segment_recompute_post(http_req *r);
int segment_runs_list(http_req *r);
int segment_keys_list(http_req *r);
int segment_keys_confirm(http_req *r);
int segment_keys_reject(http_req *r);
int segment_customer_get(http_req *r);
int segment_customer_lifecycle_auto(http_req *r);
int report_pareto(http_req *r);
int report_pareto_customers(http_req *r);
int report_pyramid(http_req *r);
int report_rfm(http_req *r);
int report_tier_migration(http_req *r);
int report_complaints(http_req *r);
int report_cases_weekly(http_req *r);
int report_follow_ups(http_req *r);
int report_commitments(http_req *r);
int report_agent_workload(http_req *r);
int report_tier_migration_customers(http_req *r);

/* Cases (工单) and the complaint loop: cases.c, case_*.c, sla_policies.c,
 * calendar.c, root_causes.c, notifications.c, jobs_api.c (issue 4). */
int case_flow_get(http_req *r);
int cases_list(http_req *r);
int cases_create(http_req *r);
int cases_counts(http_req *r);
int cases_next(http_req *r);
int cases_get(http_req *r);
int cases_patch(http_req *r);
int case_events_list(http_req *r);
int case_events_create(http_req *r);
int case_transitions_get(http_req *r);
int case_transitions_post(http_req *r);
int case_plans_list(http_req *r);
int case_plans_create(http_req *r);
int case_plans_approve(http_req *r);
int case_plans_reject(http_req *r);
int case_checklist_tick(http_req *r);
int sla_policies_list(http_req *r);
int sla_policies_create(http_req *r);
int sla_policies_patch(http_req *r);
int sla_policies_delete(http_req *r);
int calendar_get(http_req *r);
int calendar_put(http_req *r);
int calendar_import(http_req *r);
int calendar_export(http_req *r);
int calendar_due(http_req *r);
int root_causes_list(http_req *r);
int root_causes_create(http_req *r);
int root_causes_patch(http_req *r);
int notifications_list(http_req *r);
int notifications_read(http_req *r);
int notifications_read_all(http_req *r);
int jobs_run_api(http_req *r);
/* Set by jobs_start (jobs/scheduler.c): runs the background jobs now. */
extern int (*app_jobs_hook)(db *d, int64_t now, int wait_ms, json_t **report);

/* Data in and out (issue 10): imports.c, exports.c, webhooks.c, mail*.c. */
#define IMPORT_BODY_MAX ((size_t)512 << 20) /* uploads of files to import */
#define MAIL_BODY_MAX ((size_t)25 << 20)    /* raw e-mail messages */
int imports_fields(http_req *r);
int imports_list(http_req *r);
int imports_create(http_req *r);
int imports_get(http_req *r);
int imports_check(http_req *r);
int imports_problems(http_req *r);
int imports_commit(http_req *r);
int imports_cancel(http_req *r);
int exports_customers(http_req *r);
int exports_cases(http_req *r);
int exports_followups(http_req *r);
int exports_survey_responses(http_req *r);
int customers_vcard(http_req *r);
int webhooks_events(http_req *r);
int webhooks_list(http_req *r);
int webhooks_create(http_req *r);
int webhooks_patch(http_req *r);
int webhooks_delete(http_req *r);
int webhooks_test(http_req *r);
int webhooks_deliveries(http_req *r);
int mail_settings_get(http_req *r);
int mail_settings_put(http_req *r);
int mail_poll_now(http_req *r);
int mail_inbound(http_req *r);
int mail_messages_list(http_req *r);
int mail_messages_get(http_req *r);
int mail_attachments_get(http_req *r);
int mail_messages_reply(http_req *r);
int mail_case_notify(http_req *r);
/* openapi_schemas.c: adds query parameters, request and response schemas
 * to the OpenAPI operation of a route when the registry has them. */
void openapi_schema_apply(const char *method, const char *pattern, json_t *op);

/* Search, knowledge base, service language and emotion (issue 8). */
int search_get(http_req *r);
int kb_categories_list(http_req *r);
int kb_categories_create(http_req *r);
int kb_list(http_req *r);
int kb_create(http_req *r);
int kb_get(http_req *r);
int kb_patch(http_req *r);
int kb_archive(http_req *r);
int kb_versions_list(http_req *r);
int kb_versions_create(http_req *r);
int kb_version_get(http_req *r);
int kb_version_submit(http_req *r);
int kb_version_approve(http_req *r);
int kb_version_reject(http_req *r);
int kb_use(http_req *r);
int kb_rate(http_req *r);
int kb_suggest(http_req *r);
int kb_case_suggestions(http_req *r);
int lint_post(http_req *r);
int lint_rules_get(http_req *r);
int lint_phrases_create(http_req *r);
int lint_phrases_delete(http_req *r);
int lint_report(http_req *r);
int emotion_post(http_req *r);

/* Follow-ups, commitments and scripts (issue 5). */
int commitments_list(http_req *r);
int commitments_create(http_req *r);
int commitments_stats(http_req *r);
int commitments_get(http_req *r);
int commitments_outcome(http_req *r);
int followups_list(http_req *r);
int followups_create(http_req *r);
/* calendar_feed.c */
int calendar_feed(http_req *r);
int calendar_token_get(http_req *r);
int calendar_token_create(http_req *r);
int calendar_token_delete(http_req *r);
int followups_call_time(http_req *r);
int followups_get(http_req *r);
int followups_patch(http_req *r);
int followups_close(http_req *r);
int followups_script(http_req *r);
int followup_rules_list(http_req *r);
int followup_rules_patch(http_req *r);
int followups_coverage(http_req *r);
int scripts_list(http_req *r);
int scripts_create(http_req *r);
int scripts_patch(http_req *r);

/* Maps a failed db call to a problem: 503 for the database, 409 for a
 * unique violation (the caller names the field). */
int app_db_fail(http_req *r, int rc, const char *field);

#endif
