/* reply.c - building answers: JSON, problem+json, and reading request parts. */
#include "http/http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "core/validate.h"
#include "lib/common.h"
#include "lib/util.h"

static void set_body(http_req *r, int status, const char *type, char *data, size_t len)
{
	if (!r->resp_static)
		free(r->resp);
	r->resp_static = 0;
	r->status = status;
	r->resp = data;
	r->resp_len = len;
	r->resp_type = type;
}

int http_json(http_req *r, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!s) {
		http_problem(r, KF_EINTERNAL);
		return 0;
	}
	set_body(r, status, "application/json", s, strlen(s));
	return 0;
}

void http_add_header(http_req *r, const char *name, const char *value)
{
	if (r->nhdr < (int)KF_ARRAY_LEN(r->hdr_name)) {
		r->hdr_name[r->nhdr] = name;
		r->hdr_value[r->nhdr++] = value;
	}
}

int http_static_body(http_req *r, int status, const char *type, const void *data, size_t len)
{
	set_body(r, status, type, (char *)data, len);
	r->resp_static = 1;
	return 0;
}

int http_json_buf(http_req *r, int status, buf *b)
{
	size_t n;
	char *s = buf_detach(b, &n);
	set_body(r, status, "application/json", s, n);
	return 0;
}

int http_no_content(http_req *r)
{
	set_body(r, 204, NULL, NULL, 0);
	return 0;
}

int http_text(http_req *r, int status, const char *type, const char *text, size_t len)
{
	char *copy = malloc(len + 1);
	if (!copy) {
		http_problem(r, KF_EINTERNAL);
		return 0;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	set_body(r, status, type, copy, len);
	return 0;
}

void http_problem(http_req *r, int code)
{
	if (code >= 0)
		code = KF_EINTERNAL;
	const struct kf_code_info *ci = kf_code_info(code);
	const char *detail = NULL;
	if (r->err.code == code)
		detail = r->lang_en ? r->err.en : r->err.zh;
	if (!detail || !*detail)
		detail = r->lang_en ? ci->title_en : ci->title_zh;
	/* jansson takes UTF-8 only: a message cut inside a character would
	 * leave the client a bare 500 instead of the error that names the
	 * field.  Messages are built cut at boundaries; this is the net. */
	char safe[sizeof(r->err.zh) + 8];
	valid_excerpt(detail, safe, sizeof(safe));
	detail = safe;
	json_t *o = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "type", "about:blank", "title",
			      r->lang_en ? ci->title_en : ci->title_zh, "status", ci->status,
			      "code", ci->name, "detail", detail, "request_id", r->rid);
	if (r->err.code == code && r->err.field)
		json_object_set_new(o, "field", json_string(r->err.field));
	if (r->err.code == code && r->err.ref_id)
		json_object_set_new(o, "existing_id", json_integer(r->err.ref_id));
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!s) {
		set_body(r, 500, "application/problem+json", NULL, 0);
		return;
	}
	set_body(r, ci->status, "application/problem+json", s, strlen(s));
}

int http_fail(http_req *r, int code, const char *field, const char *zh, const char *en, ...)
{
	va_list ap;
	r->err.code = code;
	r->err.field = field;
	r->err.ref_id = 0;
	va_start(ap, en);
	vsnprintf(r->err.zh, sizeof(r->err.zh), zh ? zh : "", ap);
	va_end(ap);
	va_start(ap, en);
	vsnprintf(r->err.en, sizeof(r->err.en), en ? en : "", ap);
	va_end(ap);
	kf_msg_fit(r->err.zh, sizeof(r->err.zh));
	kf_msg_fit(r->err.en, sizeof(r->err.en));
	return code;
}

const char *http_query(http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_client_ip(http_req *r)
{
	const union MHD_ConnectionInfo *ci =
		r->conn ? MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS) : NULL;
	char peer[INET6_ADDRSTRLEN] = "";
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	int loopback = 0;
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		inet_ntop(AF_INET, &in->sin_addr, peer, sizeof(peer));
		loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, peer, sizeof(peer));
		loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	/* Behind the local proxy (etc/nginx/kefu.conf), the last address of
	 * X-Forwarded-For is the one nginx saw; earlier ones are the client's
	 * word and not trusted. */
	const char *xff = loopback ? http_header(r, "X-Forwarded-For") : NULL;
	if (xff && *xff) {
		const char *last = strrchr(xff, ',');
		last = last ? last + 1 : xff;
		while (*last == ' ')
			last++;
		size_t n = strcspn(last, " ");
		if (n && n < INET6_ADDRSTRLEN)
			return arena_strndup(r->a, last, n);
	}
	return arena_strdup(r->a, peer[0] ? peer : "unknown");
}

const char *http_cookie(http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int http_param_id(http_req *r, int i, int64_t *id)
{
	if (i >= r->nparams || util_parse_i64(r->params[i], id) < 0 || *id <= 0)
		return http_fail(r, KF_ENOTFOUND, "id", "记录不存在（编号无效）",
				 "Not found (invalid id)");
	return 0;
}

int http_require_role(http_req *r, int min)
{
	if (r->user.role >= min)
		return 0;
	if (!r->user.id)
		return http_fail(r, KF_EAUTH, NULL, "请先登录", "Sign-in required");
	if (min >= ROLE_ADMIN)
		return http_fail(r, KF_EFORBIDDEN, NULL, "此操作需要管理员角色",
				 "This action requires the admin role");
	return http_fail(r, KF_EFORBIDDEN, NULL, "此操作需要主管或管理员角色",
			 "This action requires the supervisor or admin role");
}

static const char *const role_names[] = {"anonymous", "agent", "supervisor", "admin"};

const char *role_name(int role)
{
	return role >= 0 && role <= ROLE_ADMIN ? role_names[role] : "anonymous";
}

int role_parse(const char *s)
{
	for (int i = ROLE_AGENT; i <= ROLE_ADMIN; i++)
		if (s && !strcmp(s, role_names[i]))
			return i;
	return -1;
}
