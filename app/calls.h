/* calls.h - the hotline (DOMAIN §5), shared by its files:
 *
 *   cti.c            POST /api/cti/events: telephony events in, calls derived
 *   cti_input.c      reading and checking those events (no database)
 *   calls.c          call records: list, read, wrap-up, outbound records
 *   call_pop.c       the screen pop (customer file, open cases, ...)
 *   live.c           live events: SSE stream, publish (NOTIFY on PostgreSQL)
 *   call_metrics.c   queue metrics and the wallboard
 *   call_staffing.c  Erlang C/A, forecast, staffing, shift patterns and plan
 *   call_settings.c  hotline settings, wrap-up codes, agent extensions
 *   call_settings_input.c, staffing_input.c  their bodies read (no database)
 *   qa.c             quality checks and mystery-customer audits
 *   call_lists.c     outbound call lists
 *
 * Calls are derived from their events (core/callstate.h); metrics and
 * staffing are computed in core/ (callmetrics.h, erlang.h, staffing.h). */
#ifndef KF_APP_CALLS_H
#define KF_APP_CALLS_H

#include "app/app.h"
#include "core/callmetrics.h"
#include "core/calltime.h"
#include "lib/jw.h"

/* ---------------------------------------------------------------- settings */

enum { HOTLINE_REST_MAX = 4 };

struct hotline_settings {
	int sl_seconds;       /* answered within T seconds (default 20) */
	int sl_target_pct;    /* the target share (default 80) */
	int short_abandon_s;  /* abandons shorter than this are "short" (default 5) */
	int acw_cap_s;        /* a wrap-up later than this after the call measures no after-call work (600) */
	char timezone[64];    /* settings.business_timezone, default Asia/Shanghai */
	/* The company's rest hours (no calls proposed or planned in them): default
	 * 12:00-14:00 and 21:00-09:00 every day; settings "hotline".rest_hours. */
	struct calltime_window rest[HOTLINE_REST_MAX];
	int nrest;
};

/* The windows in which a customer must not be called: the company's rest
 * hours, then the customer's do-not-disturb windows (dnd_json:
 * [{days:[1..7], start:"HH:MM", end:"HH:MM"}]), at most max in all. */
size_t hotline_call_windows(const struct hotline_settings *s, const char *dnd_json,
			    struct calltime_window *w, size_t max);

/* Reads the settings (defaults for what is missing); never fails. */
void hotline_settings_load(db *d, struct hotline_settings *s);
/* Applies the body of PATCH /api/hotline/settings (r->json) to s; fails
 * naming the field (rest_hours[i].start).  No database
 * (call_settings_input.c). */
int hotline_settings_read(http_req *r, struct hotline_settings *s);
/* rest_hours: [{start:"HH:MM", end:"HH:MM"}], 0..HOTLINE_REST_MAX windows,
 * every day.  Returns the count, or -1 (*bad the index, -1 if the list
 * itself is malformed, and *field "start" or "end"). */
int hotline_rest_parse(json_t *arr, struct calltime_window *w, int *bad, const char **field);
/* The company-local minute of a UTC time (falls back to UTC+8 if the zone
 * cannot be used). */
int64_t hotline_local_min(const struct hotline_settings *s, int64_t utc_ms);
/* The UTC ms of a company-local minute. */
int64_t hotline_utc_ms(const struct hotline_settings *s, int64_t local_min);
/* Parses "YYYY-MM-DD" into local days since 1970-01-01; -1 if malformed. */
int64_t hotline_parse_date(const char *s);
/* Writes "YYYY-MM-DD" for a local day number. */
void hotline_format_date(int64_t day, char out[11]);

/* A coded list entry (wrap-up codes, QA items): code, two labels, order,
 * active, and for QA items a maximum score.  Reads r->json; fails naming
 * the field.  creating: code and labels are required. */
struct coded_row {
	const char *code, *label_zh, *label_en;
	int64_t sort_order, max_score;
	int active, has_active, has_sort, has_max;
};
int hotline_coded_input(http_req *r, int creating, int with_max, struct coded_row *c);

/* POST /api/call-lists (call_list_input.c, no database): name required;
 * purpose NULL (followup), "callback" or "campaign"; either from_followups
 * or customer_ids, 1 to CALL_LIST_MAX_ITEMS positive integers; due_before
 * a day after now when not given.  Strings and ids point into r->json. */
enum { CALL_LIST_MAX_ITEMS = 5000 };
struct call_list_input {
	const char *name, *purpose;
	int64_t assignee, due_before;
	int from_followups;
	json_t *ids;
};
int call_list_input_read(http_req *r, int64_t now, struct call_list_input *in);

/* PATCH /api/call-list-items/{id}: status pending, skipped or done; only a
 * supervisor gives assignee_id (has_assignee: the key was given). */
struct call_list_item_input {
	const char *status, *note;
	int64_t assignee;
	int has_assignee;
};
int call_list_item_input_read(http_req *r, struct call_list_item_input *in);

/* POST /api/qa/evaluations (qa_input.c, no database): the kind (call,
 * reply or mystery) with what it needs (call_id, case_id, shopper); qa.c
 * checks that the call, case and agent exist. */
struct qa_eval_input {
	const char *kind, *comment, *shopper, *scenario;
	int64_t call_id, case_id, case_event_id, agent_id, contacted_at;
};
int qa_eval_input_read(http_req *r, struct qa_eval_input *e);

/* An active QA item as the scores are checked against it. */
enum { QA_ITEMS_MAX = 64 };
struct qa_item {
	int64_t id;
	char code[48];
	int max;
};

/* scores, [{"item_id" or "code", "score"}], against the n active items:
 * each exactly once, a score from 0 to its maximum.  On success *out is
 * the stored form (a new array, in the body's order) and *permille the
 * total in per-mille of the maximum. */
int qa_scores_read(http_req *r, json_t *scores, const struct qa_item *items, int n, json_t **out,
		   int64_t *permille);

/* The kefu user for a PBX agent name, 0 if unmapped (< 0 on error). */
int64_t hotline_agent_user(db *d, const char *extension);

/* ---------------------------------------------------------------- live events */

/* Sends `event` with JSON `data` to a user's open streams on every
 * instance: on PostgreSQL through NOTIFY (each instance's listener thread
 * delivers locally), on SQLite directly.  persist: also kept an hour in
 * live_events, so a reconnecting browser gets it (Last-Event-ID) and
 * payloads of any size cross instances.  Must be called outside a
 * transaction (after commit).  Returns the live event id (persisted) or 0,
 * < 0 on failure. */
int64_t live_send(db *d, int64_t user_id, const char *event, const char *data, int persist);

/* Several live events sent together (e.g. the pops of one batch of
 * telephony events): what needs the database goes in one transaction. */
struct live_msg {
	int64_t user_id;
	const char *event; /* a static name */
	char *data;        /* a copy, freed by live_batch_send */
	int persist;
	int64_t id;
};
struct live_batch {
	struct live_msg *m;
	size_t n, cap;
};
void live_batch_init(struct live_batch *b);
/* Copies data; returns 0 or -1 (out of memory). */
int live_batch_add(struct live_batch *b, int64_t user_id, const char *event, const char *data,
		   int persist);
/* Sends and empties the batch (outside a transaction).  0, or -1 if the
 * database part failed (nothing was delivered then). */
int live_batch_send(db *d, struct live_batch *b);

/* Starts / stops the instance's live threads (PostgreSQL listener,
 * wallboard ticker); called by `kefu serve` around http_serve. */
int live_start(const char *db_url);
void live_stop(void);

/* ---------------------------------------------------------------- calls */

/* The call as the API shows it, into w (masked for the viewer). */
int call_write(http_req *r, jw *w, int64_t call_id);
/* Answers with one call. */
int call_respond(http_req *r, int64_t call_id, int status);

/* ---------------------------------------------------------------- screen pop */

/* Writes the screen pop of a call for a user (the object documented in
 * docs/ARCHITECTURE.md, "The hotline").  Outside a transaction. */
int pop_write(db *d, int64_t call_id, int64_t user_id, int user_role, buf *out);
/* 1 if a table exists (cached per process once seen). */
int hotline_table_exists(db *d, const char *name);

/* ---------------------------------------------------------------- wallboard */

/* The wallboard snapshot as JSON into out. */
int wallboard_write(db *d, buf *out);

/* Handlers. */
int cti_events_post(http_req *r);
int calls_list(http_req *r);
int calls_get(http_req *r);
int calls_patch(http_req *r);
int calls_create(http_req *r);
int calls_events_list(http_req *r);
int calls_pop_get(http_req *r);
int live_stream(http_req *r);
int hotline_metrics_get(http_req *r);
int hotline_wallboard_get(http_req *r);
int hotline_agent_weeks_get(http_req *r);
int hotline_erlang_get(http_req *r);
int hotline_forecast_get(http_req *r);
int hotline_staffing_post(http_req *r);
int shift_patterns_list(http_req *r);
int shift_patterns_create(http_req *r);
int shift_patterns_patch(http_req *r);
int shift_patterns_delete(http_req *r);
int hotline_shift_plan_post(http_req *r);
int hotline_settings_get(http_req *r);
int hotline_settings_patch(http_req *r);
int wrapup_codes_list(http_req *r);
int wrapup_codes_create(http_req *r);
int wrapup_codes_patch(http_req *r);
int call_agents_list(http_req *r);
int call_agents_put(http_req *r);
int call_agents_delete(http_req *r);
int qa_items_list(http_req *r);
int qa_items_create(http_req *r);
int qa_items_patch(http_req *r);
int qa_evaluations_create(http_req *r);
int qa_evaluations_list(http_req *r);
int qa_evaluations_get(http_req *r);
int call_lists_create(http_req *r);
int call_lists_list(http_req *r);
int call_list_items_list(http_req *r);
int call_list_items_patch(http_req *r);

#endif
