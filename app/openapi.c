/* openapi.c - /api/openapi.json, generated from the routes table so the
 * description cannot drift from what the server answers. */
#include "app/app.h"

#include <string.h>

#include "kefu_config.h"
#include "lib/common.h"

static const char *lower(arena *a, const char *m)
{
	char *s = arena_strdup(a, m);
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

static json_t *parameters(const char *pattern)
{
	json_t *ps = json_array();
	for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		if (!e)
			break;
		json_array_append_new(ps, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1,
						    (size_t)(e - p - 1), "in", "path", "required", 1,
						    "schema", "type", "integer"));
	}
	return ps;
}

int openapi_get(http_req *r)
{
	json_t *paths = json_object();
	for (const struct route *rt = app_routes; rt->method; rt++) {
		json_t *item = json_object_get(paths, rt->pattern);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt->pattern, item);
		}
		json_t *op = json_pack(
			"{s:s, s:o, s:s, s:{s:{s:s}, s:{s:s}}}", "summary", rt->summary, "parameters",
			parameters(rt->pattern), "x-kefu-role", role_name(rt->role), "responses",
			"default", "description", "application/problem+json on errors", "2XX",
			"description", "success");
		if (rt->role > ROLE_ANON)
			json_object_set_new(op, "security",
					    json_pack("[{s:[]}, {s:[]}]", "session", "bearer"));
		openapi_schema_apply(rt->method, rt->pattern, op); /* openapi_schemas.c */
		json_object_set_new(item, lower(r->a, rt->method), op);
	}
	json_t *doc = json_pack(
		"{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}}}", "openapi",
		"3.0.3", "info", "title", "kefu API", "version", KEFU_VERSION, "description",
		"客服管理系统 API. Errors are application/problem+json with a stable code.", "paths",
		paths, "components", "securitySchemes", "session", "type", "apiKey", "in", "cookie",
		"name", APP_SESSION_COOKIE, "bearer", "type", "http", "scheme", "bearer");
	return http_json(r, 200, doc);
}
