/* jw.h - a streaming JSON writer into a buf, for the hot read paths.
 *
 * jansson builds a tree of small allocations and then serialises it; for
 * lists of rows that costs more than the query.  jw writes straight into a
 * buffer, with commas placed for the caller.  jw_raw inserts text that is
 * already JSON (documents we stored after validating them).  The caller
 * keeps nesting balanced; the buffer's own maximum bounds the output, and
 * jw_failed reports whether any write was refused. */
#ifndef KF_JW_H
#define KF_JW_H

#include <stdint.h>

#include "lib/buf.h"

enum { JW_MAX_DEPTH = 16 };

typedef struct jw {
	buf *b;
	int depth;
	int after_key;
	int failed;
	int count[JW_MAX_DEPTH]; /* values so far at each open level */
} jw;

void jw_init(jw *w, buf *b);
void jw_obj(jw *w);
void jw_obj_end(jw *w);
void jw_arr(jw *w);
void jw_arr_end(jw *w);
void jw_key(jw *w, const char *k);
void jw_str(jw *w, const char *s);
void jw_int(jw *w, int64_t v);
void jw_bool(jw *w, int v);
void jw_null(jw *w);
void jw_raw(jw *w, const char *json);
int jw_failed(const jw *w);

#endif
