/* snippet.h - a short excerpt of a text around the places a search query
 * matched, as HTML: everything escaped, the matches in <mark>...</mark>,
 * "…" where the text was cut.  The same function serves both database
 * backends, so a record shows the same snippet on either.
 *
 * The result is safe to insert as HTML (v-html): the only markup in it is
 * <mark> and </mark>.  Pure: no I/O. */
#ifndef KF_CORE_SNIPPET_H
#define KF_CORE_SNIPPET_H

#include <stddef.h>

#include "core/tokenize.h"
#include "lib/buf.h"

/* Appends to out an excerpt of at most max_chars characters of text
 * (newlines and tabs shown as spaces) containing the first span and as
 * many of the following ones as fit; with no spans, the beginning of the
 * text.  spans are sorted and do not overlap (tok_match_spans gives them
 * so).  Returns 0 or -1 if out is full. */
int snippet_html(const char *text, size_t len, const struct tok_span *spans, int nspans,
		 int max_chars, buf *out);

#endif
