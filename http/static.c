/* static.c - serving the web UI: embedded files (precompressed, ETag,
 * immutable caching for hashed names) or, with --web-dir, a directory read
 * per request for front-end development.  Paths that are not files fall
 * back to index.html so the single-page app's own routes work on reload. */
#include "http/http.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/static.h"
#include "lib/common.h"

static const char *web_dir;

void http_static_setup(const char *dir)
{
	web_dir = dir && *dir ? dir : NULL;
}

int http_static_present(void)
{
	return web_dir != NULL || web_nfiles > 0;
}

static const struct web_file *find(const char *path)
{
	size_t lo = 0, hi = web_nfiles;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(path, web_files[mid].path);
		if (!c)
			return &web_files[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int accepts_gzip(http_req *r)
{
	const char *ae = http_header(r, "Accept-Encoding");
	return ae && strstr(ae, "gzip");
}

/* A path with an extension in its last segment names a file: no fallback. */
static int looks_like_file(const char *path)
{
	const char *slash = strrchr(path, '/');
	return strchr(slash ? slash : path, '.') != NULL;
}

static int serve_embedded(http_req *r)
{
	const struct web_file *f = find(r->path);
	if (!f && !looks_like_file(r->path))
		f = find("/index.html");
	if (!f)
		return KF_ENOROUTE;
	http_add_header(r, "ETag", f->etag);
	http_add_header(r, "Vary", "Accept-Encoding");
	http_add_header(r, "Cache-Control",
			f->immutable ? "public, max-age=31536000, immutable" : "no-cache");
	const char *inm = http_header(r, "If-None-Match");
	if (inm && !strcmp(inm, f->etag))
		return http_static_body(r, 304, NULL, NULL, 0);
	if (f->gz && accepts_gzip(r)) {
		http_add_header(r, "Content-Encoding", "gzip");
		return http_static_body(r, 200, f->type, f->gz, f->gz_len);
	}
	return http_static_body(r, 200, f->type, f->data, f->len);
}

static const char *type_of(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		     {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
		     {".png", "image/png"},                 {".json", "application/json"},
		     {".ico", "image/x-icon"},              {".woff2", "font/woff2"}};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < KF_ARRAY_LEN(types); i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static int read_file(http_req *r, const char *rel)
{
	const char *full = arena_printf(r->a, "%s%s", web_dir, rel);
	int fd = open(full, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (64 << 20)) {
		close(fd);
		return -1;
	}
	char *data = malloc((size_t)st.st_size + 1);
	ssize_t got = data ? read(fd, data, (size_t)st.st_size) : -1;
	close(fd);
	if (got != st.st_size) {
		free(data);
		return -1;
	}
	http_add_header(r, "Cache-Control", "no-cache");
	/* http_text copies; one extra copy is fine for development. */
	http_text(r, 200, type_of(rel), data, (size_t)got);
	free(data);
	return 0;
}

static int serve_dir(http_req *r)
{
	/* No "..", no hidden files: only what the build put there. */
	if (strstr(r->path, "/.") || strstr(r->path, "\\"))
		return KF_ENOROUTE;
	if (read_file(r, r->path) == 0)
		return 0;
	if (!looks_like_file(r->path) && read_file(r, "/index.html") == 0)
		return 0;
	return KF_ENOROUTE;
}

int http_static_serve(http_req *r)
{
	if (!strcmp(r->path, "/") || !*r->path) {
		r->path = "/index.html";
	}
	if (web_dir)
		return serve_dir(r);
	return web_nfiles ? serve_embedded(r) : KF_ENOROUTE;
}
