/* assign.h - balanced bulk assignment of new customers to agents.
 *
 * DOMAIN §1: a supervisor assigns the day's new customers, balancing the
 * number of customers per agent with each agent's capability.  An agent of
 * capability 3 should end up with about three times the customers of an
 * agent of capability 1.  Greedy, deterministic, integer-only: the same
 * input always gives the same plan, so a preview equals the real run. */
#ifndef KF_CORE_ASSIGN_H
#define KF_CORE_ASSIGN_H

#include <stddef.h>
#include <stdint.h>

struct assign_agent {
	int64_t id;     /* not used here; carried for the caller */
	int capability; /* 1..5 */
	int64_t load;   /* customers the agent has now; updated in place */
};

/* Gives each of ncustomers, in order, to the agent that minimises
 * (load + 1) / capability, i.e. whose share would stay the lowest after
 * taking it; ties go to the lower load, then the lower index.  Adds each
 * choice to that agent's load and writes its index into
 * out_agent_index[i], which must have room for ncustomers entries.
 * Returns 0, or KF_EINVAL with nothing changed if agents or
 * out_agent_index is NULL (out_agent_index may be NULL when ncustomers is
 * 0), nagents is 0, a capability is outside 1..5, or a load is negative or
 * so large that load + ncustomers could overflow the comparison.
 * Cost: O(ncustomers * nagents). */
int assign_balance(struct assign_agent *agents, size_t nagents, size_t ncustomers,
		   size_t *out_agent_index);

#endif
