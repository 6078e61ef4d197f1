/* router.c - matches a method and path against the routes table.
 *
 * Patterns are literal segments and `{name}` placeholders, each matching
 * one non-empty segment.  A path that matches some pattern with another
 * method gives 405 rather than 404, so clients learn the route exists. */
#include "http/http.h"

#include <string.h>

#include "lib/common.h"

static int match(arena *a, const char *pat, const char *path, const char **params, int *np)
{
	int n = 0;
	while (*pat && *path) {
		if (*pat != '/' || *path != '/')
			return 0;
		pat++;
		path++;
		const char *pe = strchr(pat, '/');
		const char *se = strchr(path, '/');
		size_t pl = pe ? (size_t)(pe - pat) : strlen(pat);
		size_t sl = se ? (size_t)(se - path) : strlen(path);
		if (pl >= 2 && pat[0] == '{') {
			if (sl == 0 || n >= HTTP_MAX_PARAMS)
				return 0;
			params[n++] = arena_strndup(a, path, sl);
		} else if (pl != sl || memcmp(pat, path, pl) != 0) {
			return 0;
		}
		pat += pl;
		path += sl;
	}
	if (*pat || *path)
		return 0;
	*np = n;
	return 1;
}

const struct route *http_route_find(arena *a, const char *method, const char *path,
				    const char **params, int *nparams, int *code, const char **allow)
{
	int path_seen = 0;
	buf methods;
	buf_init(&methods, 256);
	for (const struct route *rt = app_routes; rt->method; rt++) {
		int np = 0;
		if (!match(a, rt->pattern, path, params, &np))
			continue;
		if (strcmp(rt->method, method) != 0 &&
		    !(strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
			path_seen = 1;
			if (!strstr(methods.data ? methods.data : "", rt->method))
				buf_printf(&methods, "%s%s", methods.len ? ", " : "", rt->method);
			continue;
		}
		*nparams = np;
		*code = 0;
		buf_release(&methods);
		return rt;
	}
	*code = path_seen ? KF_EMETHOD : KF_ENOROUTE;
	*allow = path_seen ? arena_strdup(a, methods.data) : NULL;
	buf_release(&methods);
	return NULL;
}
