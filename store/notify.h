/* notify.h - PostgreSQL LISTEN on a dedicated connection, in a thread.
 *
 * Several kefu instances share one PostgreSQL; an event published on one
 * (NOTIFY channel, payload, sent at commit) must reach the browsers
 * connected to the others.  Each instance runs one listener: a thread with
 * its own connection that LISTENs and calls back for every notification.
 * A lost connection is reopened (after 1 s, then again); the callback gets
 * NULL then, meaning "notifications may have been missed".
 *
 * The callback runs on the listener thread; it may use db_thread() (its
 * own connection, not the listening one). */
#ifndef KF_STORE_NOTIFY_H
#define KF_STORE_NOTIFY_H

typedef void (*notify_fn)(const char *payload, void *arg);
typedef struct notify_listener notify_listener;

/* Starts listening on channel (an identifier: letters, digits, _) of the
 * database at url.  Returns NULL if the thread cannot start; a database
 * that is down is retried in the background. */
notify_listener *notify_listen(const char *url, const char *channel, notify_fn fn, void *arg);
/* 1 once the LISTEN is in place (tests and start-up wait for it). */
int notify_ready(notify_listener *l);
/* Stops the thread, closes the connection, frees l. */
void notify_stop(notify_listener *l);

#endif
