/* mailcheck.h - what `kefu doctor` needs to check the outgoing mail server:
 * the host and port of the mail.smtp_url setting, and whether the first reply
 * a server sends is its 220 greeting.  Pure: no sockets here. */
#ifndef KF_CORE_MAILCHECK_H
#define KF_CORE_MAILCHECK_H

#include <stddef.h>

enum { MAILCHECK_HOST_SIZE = 256, MAILCHECK_PORT_SIZE = 8 };

struct smtp_addr {
	char host[MAILCHECK_HOST_SIZE]; /* without the brackets of an IPv6 literal */
	char port[MAILCHECK_PORT_SIZE]; /* decimal; the scheme's default when the URL has none */
	int tls;                        /* smtps:// (TLS from the first byte): 1 */
};

/* Parses smtp://[USER[:PASS]@]HOST[:PORT][/...] or smtps://...; the ports
 * default to 25 and 465.  Returns 0, or -1 (a is then unspecified) for
 * another scheme, an empty host, a port outside 1..65535. */
int smtp_url_parse(const char *url, struct smtp_addr *a);

/* The first reply of a server, len bytes received so far: 1 when it is a
 * complete 220 greeting (its "220-" continuation lines and its last "220 "
 * line, each ending in LF), 0 when more bytes are needed, -1 when it is
 * another reply (554 "no service here", say) or not SMTP at all. */
int smtp_greeting(const char *buf, size_t len);

#endif
