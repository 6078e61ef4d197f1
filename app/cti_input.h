/* cti_input.h - the events of a POST /api/cti/events body, read and
 * validated without a database (cti_input.c); cti.c resolves the agents
 * and stores them. */
#ifndef KF_APP_CTI_INPUT_H
#define KF_APP_CTI_INPUT_H

#include "app/app.h"

enum { CTI_BATCH_MAX = 1000 };

enum cti_agent_ev { CTI_AG_LOGIN, CTI_AG_LOGOUT, CTI_AG_READY, CTI_AG_NOT_READY, CTI_AG_NTYPES };
extern const char *const cti_agent_types[CTI_AG_NTYPES];
extern const char *const cti_agent_states[CTI_AG_NTYPES];

/* One event.  Strings point into the request's JSON or arena; caller and
 * callee are E.164 when they read as a number, else as given ("" if
 * absent); queue, agent, target and reason are "" if absent; direction is
 * NULL, "inbound" or "outbound".  An agent event given only agent_id is
 * named "user:ID". */
struct cti_input {
	int is_agent;
	int type; /* enum cti_type (core/callstate.h), or enum cti_agent_ev */
	const char *call_key, *ekey, *caller, *callee, *queue, *agent, *target, *reason, *direction;
	const char *data; /* compact JSON object text, or NULL */
	int64_t seq, at, agent_id;
};

/* The events of the body: r->json itself (one event, *list NULL) or its
 * only field "events" (an array).  Returns their number (1 to
 * CTI_BATCH_MAX), or a kf_code with r->err naming the field. */
int cti_input_count(http_req *r, json_t **list);
/* Reads event o (prefix: "events[i]" in a batch, NULL for a single
 * event; refusals name prefix.field).  now: the time of an event without
 * "at".  Returns 0, or a kf_code with r->err naming the field. */
int cti_input_read(http_req *r, json_t *o, const char *prefix, int64_t now, struct cti_input *e);

#endif
