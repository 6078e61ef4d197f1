/* mailcheck.c - the SMTP URL and greeting checks of `kefu doctor` (see mailcheck.h). */
#include "core/mailcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int smtp_url_parse(const char *url, struct smtp_addr *a)
{
	const char *p;
	if (!strncmp(url, "smtp://", 7)) {
		p = url + 7;
		a->tls = 0;
	} else if (!strncmp(url, "smtps://", 8)) {
		p = url + 8;
		a->tls = 1;
	} else {
		return -1;
	}
	size_t auth_len = strcspn(p, "/?#");
	const char *at = memchr(p, '@', auth_len); /* user[:password]@ */
	if (at) {
		const char *last = at;
		while ((at = memchr(last + 1, '@', auth_len - (size_t)(last + 1 - p))))
			last = at; /* a password may contain '@' only escaped, but be lenient */
		auth_len -= (size_t)(last + 1 - p);
		p = last + 1;
	}
	const char *end = p + auth_len, *port = NULL;
	const char *h = p;
	size_t hlen;
	if (*p == '[') {
		const char *close = memchr(p, ']', auth_len);
		if (!close)
			return -1;
		h = p + 1;
		hlen = (size_t)(close - h);
		if (close + 1 < end) {
			if (close[1] != ':')
				return -1;
			port = close + 2;
		}
	} else {
		const char *colon = memchr(p, ':', auth_len);
		hlen = (size_t)((colon ? colon : end) - p);
		if (colon)
			port = colon + 1;
	}
	if (!hlen || hlen >= sizeof(a->host))
		return -1;
	memcpy(a->host, h, hlen);
	a->host[hlen] = '\0';
	if (!port) {
		snprintf(a->port, sizeof(a->port), "%s", a->tls ? "465" : "25");
		return 0;
	}
	size_t plen = (size_t)(end - port);
	if (!plen || plen > 5)
		return -1;
	long n = 0;
	for (size_t i = 0; i < plen; i++) {
		if (port[i] < '0' || port[i] > '9')
			return -1;
		n = n * 10 + (port[i] - '0');
	}
	if (n < 1 || n > 65535)
		return -1;
	snprintf(a->port, sizeof(a->port), "%ld", n);
	return 0;
}

int smtp_greeting(const char *buf, size_t len)
{
	size_t i = 0;
	while (i < len) {
		const char *line = buf + i;
		size_t rest = len - i;
		/* The code and the separator, as far as they have arrived. */
		for (size_t k = 0; k < 3 && k < rest; k++)
			if (line[k] != "220"[k])
				return -1;
		if (rest < 4)
			return 0;
		if (line[3] != ' ' && line[3] != '-' && line[3] != '\r' && line[3] != '\n')
			return -1;
		const char *nl = memchr(line, '\n', rest);
		if (!nl)
			return 0;
		if (line[3] != '-')
			return 1; /* the last line */
		i += (size_t)(nl - line) + 1;
	}
	return 0;
}
