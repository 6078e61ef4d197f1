/* http.h - what a request handler sees: the request, its user, its arena,
 * and the calls that answer it.
 *
 * A handler runs once per request, after the body is complete, routing is
 * done, the role checked and a JSON body parsed.  It either answers
 * (http_json / http_no_content / http_text) and returns 0, or returns a
 * negative kf_code with r->err filled, and the server answers with
 * application/problem+json.  Everything a handler allocates from r->a is
 * freed when the request ends. */
#ifndef KF_HTTP_H
#define KF_HTTP_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "lib/arena.h"
#include "lib/buf.h"
#include "store/db.h"

enum role { ROLE_ANON = 0, ROLE_AGENT = 1, ROLE_SUPERVISOR = 2, ROLE_ADMIN = 3 };
/* Routes a customer-portal token (later issues) may call; never a staff route. */

struct auth_user {
	int64_t id;
	const char *username;
	const char *display_name;
	const char *lang;
	int role;
	int64_t department_id; /* 0 when none */
	int capability;
};

enum { HTTP_MAX_PARAMS = 4 };

typedef struct http_req {
	arena *a;
	void *conn; /* struct MHD_Connection */
	const char *method;
	const char *path;
	const char *params[HTTP_MAX_PARAMS]; /* path parameters, in pattern order */
	int nparams;
	buf body;
	int body_too_big;
	json_t *json; /* parsed body when the route takes one; owned by the request */
	struct auth_user user; /* id 0: anonymous */
	int via_token;         /* authenticated by Bearer token (no CSRF needed) */
	const char *csrf;      /* the session's CSRF token */
	int lang_en;           /* answer in English */
	char rid[20];
	db *db;
	kf_err err;
	/* the answer */
	int status;
	char *resp;
	size_t resp_len;
	const char *resp_type;
	int resp_static;   /* resp points to memory that outlives the request */
	const char *set_cookie;
	const char *hdr_name[6], *hdr_value[6];
	int nhdr;
	int64_t started_us;
	void *stream; /* set by sse_stream(): answer with an event stream (http/sse.c) */
	/* Uploads (routes in app_route_bodies): the body spooled to an unlinked
	 * temporary file, rewound before the handler runs; NULL if empty. */
	FILE *upload;
	size_t upload_len, upload_max;
	int resp_fd; /* > 0: answer with this file's resp_len bytes (the server closes it) */
} http_req;

typedef int (*http_handler)(http_req *r);

struct route {
	const char *method;
	const char *pattern; /* "/api/customers/{id}" */
	http_handler fn;
	int role;            /* minimum role */
	const char *summary; /* one line for the OpenAPI document */
};

/* Routes whose body is a file rather than JSON, with their own size limit:
 * the body is spooled to r->upload instead of held in memory (1 MiB cap). */
struct route_body {
	const char *method, *pattern;
	size_t max;
};

/* The application's routes, terminated by {0}; see app/routes.c. */
extern const struct route app_routes[];
/* The routes that take files, terminated by {0}; see app/routes.c. */
extern const struct route_body app_route_bodies[];

/* Answers with JSON (takes the reference to body). */
int http_json(http_req *r, int status, json_t *body);
/* Answers with the JSON text in b (takes its storage; b is left empty). */
int http_json_buf(http_req *r, int status, buf *b);
int http_no_content(http_req *r);
/* Answers with a copy of text. */
int http_text(http_req *r, int status, const char *type, const char *text, size_t len);
/* Adds a response header (both strings must outlive the request). */
void http_add_header(http_req *r, const char *name, const char *value);
/* Answers with memory that outlives the request (embedded files). */
int http_static_body(http_req *r, int status, const char *type, const void *data, size_t len);
/* Renders r->err (or code alone, with its title) as problem+json. */
void http_problem(http_req *r, int code);
/* Fills r->err and returns code: `return http_fail(r, KF_EINVAL, "name", zh, en)`. */
int http_fail(http_req *r, int code, const char *field, const char *zh, const char *en, ...);

const char *http_query(http_req *r, const char *name);
const char *http_header(http_req *r, const char *name);
const char *http_cookie(http_req *r, const char *name);
/* The client's address: the peer, or behind a proxy on the loopback the
 * last X-Forwarded-For entry (the one the proxy added).  In the arena. */
const char *http_client_ip(http_req *r);
/* The path parameter i as an id > 0; fills r->err and returns < 0 otherwise. */
int http_param_id(http_req *r, int i, int64_t *id);

/* Requires a signed-in user with role >= min; fills r->err otherwise. */
int http_require_role(http_req *r, int min);

const char *role_name(int role);
int role_parse(const char *s);

/* Server. */
struct http_options {
	const char *listen;  /* HOST:PORT */
	int threads;
	int access_log;
	const char *web_dir; /* serve the UI from this directory instead of the embedded copy */
};

/* The web UI (http/static.c): embedded files, or a directory in development.
 * Answers GET/HEAD for paths outside /api/; returns KF_ENOROUTE if it has
 * nothing to say. */
void http_static_setup(const char *web_dir);
int http_static_serve(http_req *r);
/* 1 if a UI is available (embedded or from a directory). */
int http_static_present(void);
int http_serve(const struct http_options *o); /* returns at SIGINT/SIGTERM */

/* Metrics (http/server.c) for /metrics. */
void http_metrics_render(buf *out);

/* Authentication (http/auth.c): resolves the cookie or bearer token. */
int http_authenticate(http_req *r);

/* Routing (http/router.c). Returns the route, or NULL with *code set and,
 * for KF_EMETHOD, *allow listing the methods the path answers. */
const struct route *http_route_find(arena *a, const char *method, const char *path,
				    const char **params, int *nparams, int *code, const char **allow);

#endif
