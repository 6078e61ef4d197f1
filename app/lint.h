/* lint.h - the service-language checker over HTTP (app/lint.c) and its
 * QA report (app/lint_report.c); the rules are core/lint.h, extended by
 * the admins' phrases in lint_phrases. */
#ifndef KF_APP_LINT_H
#define KF_APP_LINT_H

#include "app/app.h"
#include "core/lint.h"

/* The built-in rules plus the admins' phrases; NULL on a database error
 * (r->err filled).  Freed with the request. */
struct lint_set *lint_load(http_req *r);

/* Records the findings in agents' replies written since the last call
 * (case_events of kind 'reply', past the watermark 'lint_events' in
 * search_state), at most `budget` events.  Returns the number of events
 * read, or < 0.  Runs its own transaction when there is something to
 * record: the caller must hold none. */
int lint_sweep(db *d, const struct lint_set *s, int budget);

/* UTF-16 code units in the first `bytes` bytes of UTF-8 text (what a
 * JavaScript string index counts). */
int lint_utf16_len(const char *text, int bytes);

#endif
