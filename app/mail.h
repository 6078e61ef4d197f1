/* mail.h - the e-mail channel: messages in (IMAP polling, a pipe from the
 * MTA, or an HTTP upload), parsed with GMime, threaded onto cases; replies
 * and notifications out by SMTP, with the headers mail clients thread on.
 *
 * Every message is a mail_messages row; attachments are mail_attachments
 * rows (base64 text in the database, so every instance serves them and a
 * backup holds them; at most MAIL_MAX_ATTACHMENT bytes each).  Settings
 * live in the settings table under "mail.*". */
#ifndef KF_APP_MAIL_H
#define KF_APP_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"

enum { MAIL_MAX_MESSAGE = 25 << 20, MAIL_MAX_ATTACHMENT = 10 << 20, MAIL_MAX_ATTACHMENTS = 20 };

struct mail_att {
	char *filename, *content_type;
	unsigned char *data;
	size_t size;
};

/* A parsed message; all text UTF-8 (encoded words and GBK/GB2312 bodies
 * converted), ids without angle brackets. */
struct mail_in {
	char *message_id, *in_reply_to, *references; /* references: ids separated by spaces */
	char *from_addr, *from_name, *to_addr, *subject, *text, *html;
	int64_t date_ms;
	struct mail_att att[MAIL_MAX_ATTACHMENTS];
	int natt;
};

/* mail_parse.c */
int mail_parse(const char *raw, size_t len, struct mail_in *m, kf_err *e);
void mail_in_release(struct mail_in *m);
/* A reply body for people: the new text above the quoted history
 * ("在 ... 写道：", "On ... wrote:", "> " lines, "-----原始邮件-----"). */
char *mail_strip_quoted(const char *text);

/* Outbound: builds an RFC 5322 message (UTF-8, encoded Subject, threading
 * headers); the caller frees it. */
char *mail_compose(const char *from_name, const char *from_addr, const char *to_addr,
		   const char *subject, const char *text, const char *message_id,
		   const char *in_reply_to, const char *references);

/* mail_in.c: stores a raw message, threads it (In-Reply-To / References,
 * then a case number in the subject), and opens a case for a new
 * conversation (customer found or created by e-mail address).  *mail_id
 * and *case_id (0 if none) say where it went; a message seen before (same
 * Message-ID) is a success with *mail_id of the first copy and *dup = 1. */
int mail_receive(db *d, const char *raw, size_t len, int64_t *mail_id, int64_t *case_id,
		 int *dup, kf_err *e);

/* mail_out.c */
/* Queues a reply to message `to_mail` (its sender), threaded, recorded on
 * its case as the agent's reply.  *id is the queued message. */
int mail_queue_reply(db *d, const struct auth_user *u, int64_t to_mail, const char *text,
		     int64_t *id, kf_err *e);
/* Queues a notification about a case to its customer's address (or to),
 * recorded on the case as a reply, threaded onto the case's last message. */
int mail_queue_notice(db *d, const struct auth_user *u, int64_t case_id, const char *to,
		      const char *subject, const char *text, int64_t *id, kf_err *e);
/* Queues a message that starts its own thread (a survey link, say), in
 * the caller's transaction; on the case's mail list when case_id is set.
 * Returns 1 with *id, 0 (nothing queued) when no sender address is
 * configured or `to` is empty, < 0 on failure. */
int mail_queue_plain(db *d, arena *a, int64_t customer_id, int64_t case_id, const char *to,
		     const char *subject, const char *text, int64_t *id);
/* Sends due outbound messages (claimed with a lease); returns how many
 * were attempted, or < 0. */
int mail_send_due(db *d, const char *holder, int64_t now, int limit);
/* Polls the IMAP mailbox when configured and due (mail.poll_seconds);
 * returns messages stored, or < 0. */
int mail_poll_due(db *d, const char *holder, int64_t now);
/* Polls now, whatever the interval. */
int mail_poll(db *d, int *fetched, kf_err *e);

/* Runs an HTTP use case of another module (cases, customers) as user u
 * through a request-shaped adapter; *out is its JSON answer. */
int mail_call(db *d, arena *a, const struct auth_user *u, int (*fn)(http_req *), json_t *body,
	      const char *param, json_t **out, kf_err *e);

/* Settings ("mail.imap_url" ...), "" when unset; strings in arena a. */
const char *mail_setting(db *d, arena *a, const char *key);
/* Checks the body of PUT /api/mail-settings (known keys, lengths, URL
 * schemes, the poll interval); no database. */
int mail_settings_read(http_req *r);

#endif
