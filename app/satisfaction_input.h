/* satisfaction_input.h - the bodies of the competitor scores and
 * expectation sheets, read and checked without a database
 * (satisfaction_input.c); satisfaction.c checks what they name and stores. */
#ifndef KF_APP_SATISFACTION_INPUT_H
#define KF_APP_SATISFACTION_INPUT_H

#include "app/app.h"

/* POST /api/competitor-scores (creating: every field but source required)
 * and PATCH /api/competitor-scores/{id} (score and source only).  Strings
 * point into the request's JSON; NULL when not given. */
struct competitor_input {
	const char *competitor, *period, *measure, *source;
	int64_t score;
	int has_score;
};
int competitor_input_read(http_req *r, int creating, struct competitor_input *c);
/* 0 if score is within the scale of measure (csat 0..10000, nps
 * -10000..10000, effort 100..700, in hundredths), else KF_EINVAL naming
 * measure or score. */
int competitor_score_check(http_req *r, const char *measure, int64_t score);

/* POST /api/expectation-sheets (creating: customer_id and items required)
 * and PATCH /api/expectation-sheets/{id}.  items: the body's array, 1 to
 * 30 distinct attributes (NULL when a change gives none). */
struct sheet_input {
	int64_t customer_id, case_id;
	const char *title;
	json_t *items;
};
int sheet_input_read(http_req *r, int creating, struct sheet_input *s);

#endif
