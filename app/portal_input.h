/* portal_input.h - what the customer portal's forms send, read and
 * checked without a database (portal_input.c); portal.c applies the
 * limits, finds the survey or card, and stores. */
#ifndef KF_APP_PORTAL_INPUT_H
#define KF_APP_PORTAL_INPUT_H

#include "app/app.h"

enum { PORTAL_TEXT_MAX = 2000 /* characters of a text answer */ };

/* POST /api/portal/inquiries.  Strings point into the request's JSON. */
struct portal_inquiry {
	const char *type; /* inquiry, complaint or suggestion */
	const char *name; /* NULL or "" if not given */
	const char *subject, *description;
	char phone[32]; /* E.164 */
};

/* Returns 0 with *q filled, 1 when a bot filled the hidden field (the
 * submission is to look accepted; *q is not filled), or a kf_code with
 * r->err naming the field. */
int portal_inquiry_read(http_req *r, struct portal_inquiry *q);

/* POST /api/portal/cards/{slug}: the known keys, the hidden field (1,
 * as above) and the optional phone (phone "" when none). */
int portal_card_read(http_req *r, char phone[32]);

/* POST /api/portal/surveys/{token}: the known keys only. */
int portal_survey_read(http_req *r);

/* The scores and first comment of an answer. */
struct portal_answers {
	int csat, nps, effort; /* -1 when not answered */
	const char *comment;   /* "" when none */
};

/* Checks answers ({key: value}) against a template's questions (as
 * survey_questions_check accepts them); fails naming answers.KEY. */
int portal_answers_check(http_req *r, json_t *questions, json_t *answers,
			 struct portal_answers *out);

/* PUT /api/portal-settings: every key but whether the actor exists (the
 * caller asks the users table for *actor when it is not NULL or ""). */
int portal_settings_read(http_req *r, const char **actor);

#endif
