/* webhook.h - events out to webhooks (generic JSON signed with
 * HMAC-SHA256, 企业微信 and 钉钉 group robots), through an outbox.
 *
 * webhook_emit writes one webhook_outbox row per active webhook that
 * listens to the event, in the caller's transaction: an event exists only
 * if the change that caused it committed, and is delivered even if the
 * process dies right after.  Any instance's worker (jobs/channels.c)
 * claims due rows with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), so
 * several instances never deliver a row twice at once; a failed delivery
 * is retried with exponential backoff up to WEBHOOK_MAX_ATTEMPTS. */
#ifndef KF_APP_WEBHOOK_H
#define KF_APP_WEBHOOK_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"
#include "store/db.h"

enum { WEBHOOK_MAX_ATTEMPTS = 8 };

/* Queues event with payload (not consumed) for every webhook listening to
 * it.  Returns the number of deliveries queued, or < 0 on a database error. */
int webhook_emit(db *d, const char *event, json_t *payload);
/* The body of POST/PATCH /api/webhooks: fills the values given (NULL when
 * absent, *active -1); *events is the event list's JSON (malloc'd, NULL
 * when absent; the caller frees it).  On create name, url, kind and events
 * are required.  No database. */
int webhook_config_read(http_req *r, int creating, const char **name, const char **url,
			const char **kind, const char **secret, char **events, int64_t *active);
/* The payload of a case event: {"case": {id, number, type, priority,
 * channel, subject, key_account, customer: {id, name}, assignee_id,
 * created_at}}; NULL if the case does not exist. */
json_t *webhook_case_payload(db *d, int64_t case_id);
/* For the cases module, in the transaction of the change: queues event
 * with the case's payload (above) plus the members of extra (may be NULL;
 * not consumed), reading the case only when some webhook listens.  The
 * case events: case.created, complaint.key_account (a key account's
 * complaint, at creation), case.assigned {assignment}, case.state_changed
 * {transition}, case.closed {transition} (closed or archived), case.overdue
 * {target, due_at}.  Returns the number queued, or < 0. */
int webhook_emit_case(db *d, const char *event, int64_t case_id, json_t *extra);

/* Delivers up to `limit` due deliveries claimed for holder; returns how
 * many were attempted, or < 0 on a database error. */
int webhook_deliver_due(db *d, const char *holder, int64_t now, int limit);

#endif
