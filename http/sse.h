/* sse.h - server-sent events (text/event-stream) over libmicrohttpd.
 *
 * A handler turns its request into a stream with sse_stream(): the
 * connection stays open, subscribed for a user and a set of topics, and
 * whatever sse_publish() sends to that user (or topic) is written to it.
 * Idle streams get a comment line every 15 s, which keeps proxies from
 * closing them and lets the server notice a browser that went away (the
 * write fails, libmicrohttpd closes the connection and the subscription
 * is dropped).
 *
 * How it streams: the response is MHD_create_response_from_callback; the
 * callback hands over pending bytes, or, when there are none, suspends
 * the connection (MHD_suspend_connection) so no worker thread spins or
 * blocks; sse_publish appends to the buffer and resumes it.  Needs a
 * daemon started with MHD_ALLOW_SUSPEND_RESUME.
 *
 * This is one process's fan-out.  Delivery across several kefu instances
 * (PostgreSQL LISTEN/NOTIFY) is app/live.c's job, which calls
 * sse_publish on each instance.  Thread-safe: publish from any thread. */
#ifndef KF_HTTP_SSE_H
#define KF_HTTP_SSE_H

#include <stddef.h>
#include <stdint.h>

#include "http/http.h"

enum sse_topic {
	SSE_TOPIC_USER = 1u << 0,      /* events addressed to the subscriber (screen pops, call states) */
	SSE_TOPIC_WALLBOARD = 1u << 1, /* the live queue board, sent to all who asked */
};

enum { SSE_KEEPALIVE_S = 15, SSE_MAX_SUBSCRIBERS = 2000, SSE_MAX_PENDING = 1 << 20 };

/* Makes r a stream for user_id with the topics given (a mask of
 * enum sse_topic); `initial` (may be NULL) is sent first, e.g. a replay of
 * missed events.  The handler returns 0 after this; the server then
 * answers 200 text/event-stream instead of a body.  Returns 0, or
 * KF_ETHROTTLED (r->err filled) when too many streams are open. */
int sse_stream(http_req *r, int64_t user_id, unsigned topics, const char *initial, size_t len);

/* Queues `frame` (an already formatted event, see sse_frame) on every
 * local stream subscribed to `topic` and, for SSE_TOPIC_USER, belonging
 * to user_id.  Returns how many streams got it. */
int sse_publish(unsigned topic, int64_t user_id, const char *frame, size_t len);

/* Appends one event to b: "id: <id>\n" (when id > 0), "event: <name>\n",
 * "data: <data>\n\n".  data must be one line (compact JSON is). */
int sse_frame(buf *b, int64_t id, const char *name, const char *data);

/* Streams open now on this instance subscribed to topic. */
int sse_count(unsigned topic);

/* Server lifecycle (http/server.c): start the keep-alive thread; before
 * MHD_stop_daemon, end every stream (and wait up to 2 s for them to
 * close); after it, stop the thread. */
int sse_start(void);
void sse_close_all(void);
void sse_stop(void);

/* For http/server.c: queues the stream response of a request on which a
 * handler called sse_stream. */
struct MHD_Connection;
int sse_respond(struct MHD_Connection *c, http_req *r);

#endif
