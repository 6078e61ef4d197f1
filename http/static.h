/* static.h - the web UI's files as embedded by scripts/embed_web.py. */
#ifndef KF_HTTP_STATIC_H
#define KF_HTTP_STATIC_H

#include <stddef.h>

struct web_file {
	const char *path; /* "/index.html", "/assets/index-3f2a.js" */
	const char *type;
	const unsigned char *data;
	size_t len;
	const unsigned char *gz; /* NULL when not worth compressing */
	size_t gz_len;
	const char *etag; /* quoted */
	int immutable;    /* hashed name: cache for a year */
};

/* Sorted by path, terminated by a NULL path. */
extern const struct web_file web_files[];
extern const size_t web_nfiles;

#endif
