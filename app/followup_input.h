/* followup_input.h - the bodies of the follow-up, commitment and call
 * script routes, read and checked without a database (followup_input.c,
 * commitment_input.c, script_input.c); followups.c, commitments.c and
 * scripts.c check what they name (customer, case, assignee, DND) and
 * store. */
#ifndef KF_APP_FOLLOWUP_INPUT_H
#define KF_APP_FOLLOWUP_INPUT_H

#include "app/app.h"

/* POST /api/followups (creating) and PATCH /api/followups/{id}.  Strings
 * point into the request's JSON; NULL when not given.  has_*: the key was
 * given (a null clears nothing: its value is 0). */
struct followup_input {
	int64_t customer_id, case_id, assignee_id, due_at, call_at;
	int has_call, has_due, has_assignee;
	const char *title, *outcome, *evaluation, *suggestions, *next_step;
};

/* The outcomes of a visit, NULL-terminated. */
extern const char *const followup_outcomes[];

/* 0, or a kf_code with r->err naming the field.  On create customer_id
 * and due_at are required; evaluation, suggestions, next_step and outcome
 * are only for a change. */
int followup_input_read(http_req *r, int creating, struct followup_input *fi);

/* POST /api/commitments: now is the time a due date is checked against
 * (a minute of grace). */
struct commitment_input {
	int64_t customer_id, case_id, followup_id, due_at; /* 0: none */
	const char *content;                               /* not blank */
};
int commitment_input_read(http_req *r, int64_t now, struct commitment_input *ci);

/* POST /api/commitments/{id}/outcome: outcome "kept" or "broken"; note
 * NULL when not given. */
int commitment_outcome_read(http_req *r, const char **outcome, const char **note);

/* POST /api/scripts (creating: name and body required) and PATCH
 * /api/scripts/{id} (script_input.c).  Strings point into the request's
 * JSON (NULL when not given); branches is the body's object or NULL. */
struct script_input {
	const char *kind, *name, *body;
	json_t *branches;
	int active, has_active;
};
int script_input_read(http_req *r, int creating, struct script_input *s);

#endif
