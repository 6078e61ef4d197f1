/* demo_extras.h - `kefu demo --extras`: what every screen of a fresh
 * installation needs to show something (the Makefile's `run` passes it):
 * published standard answers of the knowledge base, follow-up visits and
 * commitments due around today (some overdue), the agents' PBX extensions
 * and a day and a half of hotline calls (yesterday and today until now,
 * from core/callsim.h).  The cases come from demo_cases (cli/demo.c asks
 * for a few hundred over the last two months).
 *
 * Everything but the calls' timing goes through the API's own handlers
 * (run in-process as the demo supervisor and agents through mail_call),
 * so the rows are what the API would have written: versions, audit,
 * numbering.  Needs the demo staff and customers. */
#ifndef KF_CLI_DEMO_EXTRAS_H
#define KF_CLI_DEMO_EXTRAS_H

#include <stdint.h>

#include "store/db.h"

struct demo_extras_stats {
	int kb, followups, commitments;
	long calls, events;
};

/* 0, or < 0 with a message on stderr. */
int demo_extras(db *d, uint64_t seed, struct demo_extras_stats *st);

#endif
