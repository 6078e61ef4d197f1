/* case_input.h - the validated fields of a case, as cases.c's create and
 * change use them (case_input.c reads them from the request). */
#ifndef KF_APP_CASE_INPUT_H
#define KF_APP_CASE_INPUT_H

#include "app/case.h"

/* Strings point into the request's JSON or arena.  On create every class
 * and text field is set (defaults filled); on change only those given
 * are non-NULL. */
struct case_input {
	const char *type, *subtype, *channel, *stage, *priority, *severity, *emotion;
	const char *subject, *description, *demand;
	const char *tags; /* validated JSON array text */
	int64_t customer_id;
	const char *customer_phone; /* E.164, to find or create the customer */
	const char *customer_name;
	int64_t assignee_id, department_id; /* 0 with has_*: null (clear) */
	int has_assignee, has_department;
	int64_t required_capability; /* 0: computed */
	int64_t received_at;
	int auto_assign;
	int emotion_given; /* the caller named the emotion (else the default) */
};

/* 0, or a kf_code with r->err naming the field. */
int case_input_read(http_req *r, json_t *in, int creating, struct case_input *ci, int64_t now);
/* The slot of a class or text field by its JSON name (NULL if none). */
const char **case_input_slot(struct case_input *ci, const char *key);

#endif
