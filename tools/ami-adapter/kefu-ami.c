/* kefu-ami.c - the reference adapter between Asterisk and kefu: reads the
 * Asterisk Manager Interface (AMI) over TCP and posts what happens on the
 * phones to kefu's POST /api/cti/events.
 *
 *   kefu-ami --ami HOST:PORT --user NAME --url http://KEFU/api/cti/events
 *            [--batch-ms 200] [--max-batch 500] [--channels] [--verbose]
 *   secrets from the environment: KEFU_AMI_SECRET (manager.conf), KEFU_TOKEN (a kefu API
 *   token of a supervisor account kept for the PBX)
 *
 * A separate small program rather than a kefu verb: it runs beside Asterisk,
 * needs neither the database nor kefu's libraries, and restarts on its own.
 *
 * Mapping (Asterisk 12+ names; call_id is the Linkedid, the same on every
 * channel of one call):
 *   QueueCallerJoin     offered      caller, queue
 *   AgentCalled         ringing      agent (the queue member's interface)
 *   AgentConnect        answered     agent
 *   AgentComplete       ended
 *   QueueCallerAbandon  abandoned
 *   Hold / Unhold       held / resumed
 *   BlindTransfer, AttendedTransfer   transferred (target: the extension)
 *   Hangup              ended, for the call's first channel (Uniqueid = Linkedid)
 *   QueueMemberAdded / QueueMemberRemoved   agent_login / agent_logout
 *   QueueMemberPause    agent_not_ready (Paused: 1) / agent_ready (Paused: 0)
 * With --channels, calls that never pass a queue are reported too:
 *   Newchannel (first channel) offered; Newstate Ringing / Up on another
 *   channel of the call: ringing / answered by that channel's device.
 *
 * Delivery: events are batched (up to --max-batch, or --batch-ms after the
 * first) and posted as {"events": [...]}.  Each has an event_id that hashes
 * the AMI message (set timestampevents=yes in manager.conf: then the same
 * message is the same event whatever run of the adapter posts it), so a
 * batch posted again after a timeout changes nothing in kefu.  Failed posts are retried with backoff (up to
 * 30 s); kefu's 4xx answers are logged and the batch dropped.  A lost AMI
 * connection is reopened every 2 s.  SIGTERM/SIGINT: flush, then exit 0. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

enum { MAX_FIELDS = 64, LINE_MAX_LEN = 4096, QUEUE_CAP = 100000 };

struct opts {
	const char *ami, *user, *secret, *url, *token;
	int batch_ms, max_batch, channels, verbose;
};

struct msg { /* one AMI message: Key: Value lines */
	int n;
	char *key[MAX_FIELDS], *val[MAX_FIELDS];
};

static volatile sig_atomic_t stopping;
static struct opts o = {NULL, NULL, NULL, NULL, NULL, 200, 500, 0, 0};
static json_t *pending;   /* events not yet accepted by kefu */
static int64_t first_at;  /* when the oldest pending event was queued (ms, monotonic) */
static int64_t run_id;
static uint64_t counter;

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("kefu-ami: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* ---------------------------------------------------------------- AMI socket */

struct conn {
	int fd;
	char buf[65536];
	size_t len;
};

static int ami_connect(struct conn *c)
{
	char host[256];
	const char *colon = strrchr(o.ami, ':');
	if (!colon || (size_t)(colon - o.ami) >= sizeof(host))
		return -1;
	memcpy(host, o.ami, (size_t)(colon - o.ami));
	host[colon - o.ami] = '\0';
	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, colon + 1, &hints, &res) != 0)
		return -1;
	int fd = -1;
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
		if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	c->fd = fd;
	c->len = 0;
	return fd < 0 ? -1 : 0;
}

static int send_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads what the socket has (waiting up to timeout_ms); -1 on EOF/error. */
static int fill(struct conn *c, int timeout_ms)
{
	struct pollfd p = {c->fd, POLLIN, 0};
	int r = poll(&p, 1, timeout_ms);
	if (r <= 0)
		return 0;
	if (c->len == sizeof(c->buf))
		c->len = 0; /* a message longer than the buffer: drop it */
	ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
	if (n < 0 && errno == EINTR)
		return 0;
	if (n <= 0)
		return -1;
	c->len += (size_t)n;
	return 1;
}

static void msg_free(struct msg *m)
{
	for (int i = 0; i < m->n; i++) {
		free(m->key[i]);
		free(m->val[i]);
	}
	m->n = 0;
}

/* Takes one complete message (ended by an empty line) off the buffer. */
static int next_msg(struct conn *c, struct msg *m)
{
	char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
	size_t sep = 4;
	char *alt = memmem(c->buf, c->len, "\n\n", 2);
	if (!end || (alt && alt < end)) {
		end = alt;
		sep = 2;
	}
	if (!end)
		return 0;
	m->n = 0;
	char *p = c->buf;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		size_t ll = (size_t)(le - p);
		if (ll && p[ll - 1] == '\r')
			ll--;
		char *colon = memchr(p, ':', ll);
		if (colon && m->n < MAX_FIELDS) {
			char *v = colon + 1;
			while (v < p + ll && *v == ' ')
				v++;
			m->key[m->n] = strndup(p, (size_t)(colon - p));
			m->val[m->n] = strndup(v, (size_t)(p + ll - v));
			m->n++;
		}
		p = nl ? nl + 1 : end;
	}
	size_t used = (size_t)(end - c->buf) + sep;
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	return 1;
}

static const char *get(const struct msg *m, const char *k)
{
	for (int i = 0; i < m->n; i++)
		if (!strcasecmp(m->key[i], k))
			return m->val[i];
	return NULL;
}

static int ami_login(struct conn *c)
{
	char req[1024];
	int n = snprintf(req, sizeof(req),
			 "Action: Login\r\nActionID: kefu-login\r\nUsername: %s\r\nSecret: %s\r\nEvents: on\r\n\r\n",
			 o.user, o.secret ? o.secret : "");
	if (n < 0 || (size_t)n >= sizeof(req) || send_all(c->fd, req, (size_t)n) < 0)
		return -1;
	/* The banner ("Asterisk Call Manager/...") is one line without a blank
	 * line after it: drop it, then wait for the login response. */
	static const char banner[] = "Asterisk Call Manager";
	int64_t deadline = mono_ms() + 5000;
	while (mono_ms() < deadline) {
		char *nl = memchr(c->buf, '\n', c->len);
		if (nl && c->len >= sizeof(banner) - 1 && !memcmp(c->buf, banner, sizeof(banner) - 1)) {
			size_t used = (size_t)(nl - c->buf) + 1;
			memmove(c->buf, c->buf + used, c->len - used);
			c->len -= used;
		}
		struct msg m = {0};
		if (next_msg(c, &m)) {
			const char *resp = get(&m, "Response");
			int ok = resp && !strcasecmp(resp, "Success");
			if (resp && !ok)
				logf_("AMI login refused: %s", get(&m, "Message") ? get(&m, "Message") : "?");
			msg_free(&m);
			if (resp)
				return ok ? 0 : -1;
			continue;
		}
		if (fill(c, 200) < 0)
			return -1;
	}
	logf_("AMI login: no answer");
	return -1;
}

/* ---------------------------------------------------------------- mapping */

/* "SIP/1001-0000002a" -> "SIP/1001": a channel's device. */
static void device_of(const char *channel, char *out, size_t n)
{
	snprintf(out, n, "%s", channel ? channel : "");
	char *dash = strrchr(out, '-');
	if (dash && strchr(out, '/'))
		*dash = '\0';
}

static int64_t event_time(const struct msg *m)
{
	const char *ts = get(m, "Timestamp"); /* manager.conf timestampevents=yes */
	if (ts) {
		char *end;
		double t = strtod(ts, &end);
		if (end != ts && t > 946684800.0)
			return (int64_t)(t * 1000.0 + 0.5);
	}
	return wall_ms();
}

/* An event's id: a hash of the AMI message (with its Timestamp, the same
 * message delivered twice, even by another run, is the same event), plus
 * the receive time when the message has no Timestamp, and the kefu type
 * (one message may give two events). */
static void event_id(const struct msg *m, const char *type, char *out, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < m->n; i++)
		for (const char *parts[2] = {m->key[i], m->val[i]}, **pp = parts; pp < parts + 2; pp++)
			for (const char *p = *pp;; p++) {
				h = (h ^ (unsigned char)*p) * 1099511628211ull;
				if (!*p)
					break;
			}
	for (const char *p = type; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	if (!get(m, "Timestamp"))
		snprintf(out, n, "ami-%016llx-%lld-%llu", (unsigned long long)h, (long long)run_id,
			 (unsigned long long)++counter);
	else
		snprintf(out, n, "ami-%016llx", (unsigned long long)h);
}

static void queue_event(json_t *e, const struct msg *m)
{
	char id[96];
	event_id(m, json_string_value(json_object_get(e, "type")), id, sizeof(id));
	json_object_set_new(e, "event_id", json_string(id));
	json_object_set_new(e, "at", json_integer(event_time(m)));
	if (json_array_size(pending) >= QUEUE_CAP) {
		logf_("kefu unreachable and %d events queued: dropping the oldest", QUEUE_CAP);
		json_array_remove(pending, 0);
	}
	if (!json_array_size(pending))
		first_at = mono_ms();
	json_array_append_new(pending, e);
	if (o.verbose) {
		char *s = json_dumps(e, JSON_COMPACT);
		logf_("queued %s", s ? s : "?");
		free(s);
	}
}

static json_t *call_event(const char *type, const struct msg *m)
{
	const char *call = get(m, "Linkedid");
	if (!call || !*call)
		call = get(m, "Uniqueid");
	if (!call || !*call)
		return NULL;
	return json_pack("{s:s, s:s}", "type", type, "call_id", call);
}

static void set_str(json_t *e, const char *k, const char *v)
{
	if (v && *v && strcasecmp(v, "<unknown>"))
		json_object_set_new(e, k, json_string(v));
}

/* The queue member: Interface, else MemberName, else the device of DestChannel. */
static void set_agent(json_t *e, const struct msg *m)
{
	char dev[128];
	const char *a = get(m, "Interface");
	if (!a)
		a = get(m, "MemberName");
	if (!a && get(m, "DestChannel")) {
		device_of(get(m, "DestChannel"), dev, sizeof(dev));
		a = dev;
	}
	set_str(e, "agent", a);
}

static void map_queue_call(const char *ev, const struct msg *m)
{
	static const struct {
		const char *ami, *type;
		int agent;
	} t[] = {{"QueueCallerJoin", "offered", 0}, {"Join", "offered", 0},
		 {"AgentCalled", "ringing", 1},      {"AgentConnect", "answered", 1},
		 {"AgentComplete", "ended", 1},      {"QueueCallerAbandon", "abandoned", 0}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (strcasecmp(ev, t[i].ami))
			continue;
		json_t *e = call_event(t[i].type, m);
		if (!e)
			return;
		set_str(e, "queue", get(m, "Queue"));
		if (!strcmp(t[i].type, "offered"))
			set_str(e, "caller", get(m, "CallerIDNum"));
		if (t[i].agent)
			set_agent(e, m);
		queue_event(e, m);
		return;
	}
}

static void map_agent_state(const char *ev, const struct msg *m)
{
	const char *type = NULL;
	if (!strcasecmp(ev, "QueueMemberAdded"))
		type = "agent_login";
	else if (!strcasecmp(ev, "QueueMemberRemoved"))
		type = "agent_logout";
	else if (!strcasecmp(ev, "QueueMemberPause") || !strcasecmp(ev, "QueueMemberPaused")) {
		const char *p = get(m, "Paused");
		type = p && !strcmp(p, "1") ? "agent_not_ready" : "agent_ready";
	}
	if (!type)
		return;
	json_t *e = json_pack("{s:s}", "type", type);
	set_agent(e, m);
	if (!json_object_get(e, "agent")) {
		json_decref(e);
		return;
	}
	set_str(e, "reason", get(m, "PausedReason") ? get(m, "PausedReason") : get(m, "Reason"));
	queue_event(e, m);
}

/* The call's first channel: its Uniqueid is the Linkedid. */
static int first_channel(const struct msg *m)
{
	const char *u = get(m, "Uniqueid"), *l = get(m, "Linkedid");
	return u && l && !strcmp(u, l);
}

static void map_channel(const char *ev, const struct msg *m)
{
	json_t *e = NULL;
	char dev[128];
	if (!strcasecmp(ev, "Hangup") && first_channel(m)) {
		e = call_event("ended", m);
	} else if (!strcasecmp(ev, "Hold") || !strcasecmp(ev, "Unhold")) {
		e = call_event(strcasecmp(ev, "Hold") ? "resumed" : "held", m);
	} else if (!strcasecmp(ev, "BlindTransfer") || !strcasecmp(ev, "AttendedTransfer")) {
		const char *call = get(m, "TransfereeLinkedid");
		if (!call)
			call = get(m, "TransfererLinkedid");
		if (call)
			e = json_pack("{s:s, s:s}", "type", "transferred", "call_id", call);
		if (e)
			set_str(e, "target", get(m, "Extension"));
	} else if (o.channels && !strcasecmp(ev, "Newchannel") && first_channel(m)) {
		e = call_event("offered", m);
		if (e)
			set_str(e, "caller", get(m, "CallerIDNum"));
	} else if (o.channels && !strcasecmp(ev, "Newstate") && !first_channel(m)) {
		const char *st = get(m, "ChannelStateDesc");
		if (st && (!strcasecmp(st, "Ringing") || !strcasecmp(st, "Up"))) {
			e = call_event(strcasecmp(st, "Up") ? "ringing" : "answered", m);
			device_of(get(m, "Channel"), dev, sizeof(dev));
			if (e)
				set_str(e, "agent", dev);
		}
	}
	if (e)
		queue_event(e, m);
}

static void map(const struct msg *m)
{
	const char *ev = get(m, "Event");
	if (!ev)
		return;
	map_queue_call(ev, m);
	map_agent_state(ev, m);
	map_channel(ev, m);
}

/* ---------------------------------------------------------------- posting */

static size_t sink(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* Posts up to max_batch pending events.  Returns 1 if sent (or dropped as
 * refused), 0 if nothing to send, -1 to retry later. */
static int flush(CURL *h, struct curl_slist *hdrs)
{
	size_t n = json_array_size(pending);
	if (!n)
		return 0;
	if (n > (size_t)o.max_batch)
		n = (size_t)o.max_batch;
	json_t *batch = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(batch, json_array_get(pending, i));
	json_t *body = json_pack("{s:o}", "events", batch);
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!text)
		return -1;
	curl_easy_setopt(h, CURLOPT_URL, o.url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, text);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
	CURLcode rc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	free(text);
	if (rc != CURLE_OK || status >= 500 || status == 429 || status == 0) {
		logf_("posting %zu events failed (%s, HTTP %ld); will retry", n,
		      rc != CURLE_OK ? curl_easy_strerror(rc) : "server", status);
		return -1;
	}
	if (status >= 400)
		logf_("kefu refused %zu events (HTTP %ld): dropped", n, status);
	else if (o.verbose)
		logf_("posted %zu events", n);
	for (size_t i = 0; i < n; i++)
		json_array_remove(pending, 0);
	first_at = mono_ms();
	return 1;
}

/* ---------------------------------------------------------------- main loop */

static void usage(void)
{
	fprintf(stderr,
		"usage: kefu-ami --ami HOST:PORT --user NAME --url URL [--batch-ms N] [--max-batch N]\n"
		"                [--channels] [--verbose]\n"
		"       env: KEFU_AMI_SECRET (the AMI user's secret), KEFU_TOKEN (kefu API token)\n");
}

static int parse_args(int argc, char **argv)
{
	static const struct option lo[] = {{"ami", 1, 0, 'a'},       {"user", 1, 0, 'u'},
					   {"url", 1, 0, 'l'},       {"batch-ms", 1, 0, 'b'},
					   {"max-batch", 1, 0, 'm'}, {"channels", 0, 0, 'c'},
					   {"verbose", 0, 0, 'v'},   {"help", 0, 0, 'h'},
					   {0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'a': o.ami = optarg; break;
		case 'u': o.user = optarg; break;
		case 'l': o.url = optarg; break;
		case 'b': o.batch_ms = atoi(optarg); break;
		case 'm': o.max_batch = atoi(optarg); break;
		case 'c': o.channels = 1; break;
		case 'v': o.verbose = 1; break;
		default: usage(); return -1;
		}
	}
	o.secret = getenv("KEFU_AMI_SECRET");
	o.token = getenv("KEFU_TOKEN");
	if (!o.ami || !o.user || !o.url || !o.token || o.batch_ms < 0 || o.max_batch < 1 ||
	    o.max_batch > 1000) {
		usage();
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (parse_args(argc, argv) < 0)
		return 2;
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	CURL *h = curl_easy_init();
	char auth[600];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", o.token);
	struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	hdrs = curl_slist_append(hdrs, auth);
	pending = json_array();
	run_id = wall_ms();
	struct conn c = {-1, {0}, 0};
	int64_t retry_at = 0, backoff = 250;
	while (!stopping) {
		if (c.fd < 0) {
			if (ami_connect(&c) < 0 || ami_login(&c) < 0) {
				if (c.fd >= 0)
					close(c.fd);
				c.fd = -1;
				logf_("cannot reach AMI at %s; retrying in 2 s", o.ami);
				for (int i = 0; i < 20 && !stopping; i++)
					usleep(100000);
				continue;
			}
			logf_("connected to AMI at %s", o.ami);
		}
		int64_t now = mono_ms();
		int due = json_array_size(pending) &&
			  (json_array_size(pending) >= (size_t)o.max_batch || now - first_at >= o.batch_ms);
		if (due && now >= retry_at) {
			if (flush(h, hdrs) < 0) {
				retry_at = now + backoff;
				backoff = backoff * 2 > 30000 ? 30000 : backoff * 2;
			} else {
				backoff = 250;
			}
		}
		struct msg m = {0};
		while (next_msg(&c, &m)) {
			map(&m);
			msg_free(&m);
		}
		if (fill(&c, json_array_size(pending) ? 20 : 200) < 0) {
			logf_("AMI connection lost; reconnecting");
			close(c.fd);
			c.fd = -1;
		}
	}
	/* Stopping: one last try to deliver what is queued. */
	for (int i = 0; i < 20 && json_array_size(pending); i++)
		if (flush(h, hdrs) < 0)
			usleep(250000);
	if (json_array_size(pending))
		logf_("%zu events not delivered", json_array_size(pending));
	if (c.fd >= 0)
		close(c.fd);
	json_decref(pending);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	curl_global_cleanup();
	return 0;
}
