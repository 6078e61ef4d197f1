/* callstate.h - a call's state derived from the set of its telephony events.
 *
 * A PBX (or its adapter) reports each call as events: offered to a queue,
 * ringing at an agent, answered, held, resumed, transferred, ended,
 * abandoned.  They may arrive twice (retries) or out of order (several
 * adapters, several kefu instances).  The call's state is therefore never
 * updated step by step: it is recomputed from all the call's events,
 * ordered by their own time (then by a fixed rank of their type), so the
 * same set gives the same call whatever the order of arrival.
 *
 * Pure: no I/O, no allocation. */
#ifndef KF_CORE_CALLSTATE_H
#define KF_CORE_CALLSTATE_H

#include <stddef.h>
#include <stdint.h>

/* In the order used to break ties between events of the same millisecond. */
enum cti_type {
	CTI_OFFERED,     /* the call reached a queue (or an agent directly) */
	CTI_RINGING,     /* it alerts an agent: the screen pop */
	CTI_ANSWERED,    /* an agent took it */
	CTI_HELD,
	CTI_RESUMED,
	CTI_TRANSFERRED, /* to another agent or queue (target) */
	CTI_ABANDONED,   /* the caller hung up before an answer */
	CTI_ENDED,       /* the call is over */
	CTI_NTYPES
};

/* "offered" ... "ended" as the API spells them; NULL if out of range. */
const char *cti_type_name(int t);
/* The type for a name, or -1. */
int cti_type_parse(const char *s);

struct cti_event {
	int type;            /* enum cti_type */
	int64_t at;          /* when it happened, epoch ms */
	int64_t seq;         /* the source's sequence number, last tie-break */
	int64_t agent_id;    /* kefu user, 0 if none or unknown */
	const char *agent;   /* the PBX's agent or extension, "" if none */
	const char *queue;   /* "" if none */
	const char *caller;  /* "" if none */
};

enum call_state {
	CALL_UNKNOWN,   /* only events that do not place the call (e.g. held) */
	CALL_QUEUED,    /* offered, waiting */
	CALL_RINGING,   /* alerting an agent */
	CALL_TALKING,   /* answered */
	CALL_HELD,      /* answered and on hold */
	CALL_ENDED,     /* answered, then over */
	CALL_ABANDONED, /* over without an answer */
};

const char *call_state_name(int s);

struct call_summary {
	int state;             /* enum call_state */
	int live;              /* not over yet */
	int abandoned;
	int64_t offered_at;    /* 0 when unknown (no offered event yet) */
	int64_t ringing_at;    /* first alert */
	int64_t answered_at;   /* first answer */
	int64_t ended_at;      /* end or abandon */
	int64_t wait_ms;       /* offered -> answered, or -> abandoned; -1 unknown */
	int64_t talk_ms;       /* answered -> ended, less hold; -1 unknown */
	int64_t hold_ms;
	int transfers;
	int64_t first_agent_id; /* the agent who answered first */
	int64_t agent_id;       /* the agent on the call last (after transfers) */
	const char *agent;      /* the PBX name of agent_id's side, "" if none */
	int64_t ringing_agent_id; /* the agent alerted (or offered to) last before the answer */
	const char *queue;     /* the queue it was offered to first, "" if none */
	const char *caller;    /* first non-empty caller */
};

/* Derives the summary from n events (any order; duplicates allowed).
 * `order` is scratch room for n indexes.  Strings in the summary point
 * into the events. */
void callstate_derive(const struct cti_event *ev, size_t n, size_t *order,
		      struct call_summary *out);

#endif
