/* webhook_fmt.h - what a webhook delivery looks like on the wire: the
 * body for each kind of receiver and its signature.
 *
 *   json      {"id", "event", "created_at", "data"}; headers X-Kefu-Event,
 *             X-Kefu-Delivery, X-Kefu-Timestamp and X-Kefu-Signature:
 *             "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body)
 *   wecom     a 企业微信 group robot: {"msgtype":"markdown","markdown":{"content"}}
 *   dingtalk  a 钉钉 group robot: {"msgtype":"markdown","markdown":{"title","text"}},
 *             signed in the URL: &timestamp=ms&sign=urlencode(base64(
 *             HMAC-SHA256(secret, timestamp + "\n" + secret)))
 * Pure (libsodium's HMAC only); strings are written into caller buffers. */
#ifndef KF_CORE_WEBHOOK_FMT_H
#define KF_CORE_WEBHOOK_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

/* The events kefu sends, with labels for people; NULL-terminated. */
struct webhook_event {
	const char *name, *zh, *en;
};
extern const struct webhook_event webhook_events[];
const struct webhook_event *webhook_event_find(const char *name);

/* What a person in the group reads about the event (any may be NULL). */
struct webhook_summary {
	const char *number, *subject, *customer, *priority, *text, *from;
	int key_account;
};

/* Writes the body for a receiver kind ("json", "wecom", "dingtalk") into
 * out; data_json is the event's payload, already JSON.  0, or -1 for an
 * unknown kind or a full buffer. */
int webhook_body(buf *out, const char *kind, int64_t id, const char *event, int64_t created_at,
		 const char *data_json, const struct webhook_summary *s);
/* out: 72 bytes: "sha256=" + 64 hex + NUL. */
void webhook_sign(const char *secret, int64_t ts_ms, const char *body, char out[72]);
/* The DingTalk signature, URL-encoded, into out (>= 128 bytes). */
void webhook_dingtalk_sign(const char *secret, int64_t ts_ms, char *out, size_t outlen);

#endif
