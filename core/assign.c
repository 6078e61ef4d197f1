#include "core/assign.h"

#include "core/err.h"
#include "lib/common.h"

enum { CAP_MIN = 1, CAP_MAX = 5 };

/* (load + 1) * capability must fit in int64_t for every load we reach. */
#define LOAD_MAX (INT64_MAX / (CAP_MAX + 1) - 1)

static int check(const struct assign_agent *agents, size_t nagents, size_t ncustomers)
{
	if (ncustomers > (uint64_t)LOAD_MAX)
		return KF_EINVAL;
	for (size_t i = 0; i < nagents; i++) {
		const struct assign_agent *a = &agents[i];
		if (a->capability < CAP_MIN || a->capability > CAP_MAX)
			return KF_EINVAL;
		if (a->load < 0 || a->load > LOAD_MAX - (int64_t)ncustomers)
			return KF_EINVAL;
	}
	return 0;
}

/* 1 if agent a is a better choice than b: (la+1)/ca < (lb+1)/cb, compared
 * as (la+1)*cb < (lb+1)*ca so no rounding can reorder agents. */
static int better(const struct assign_agent *a, const struct assign_agent *b)
{
	int64_t lhs = (a->load + 1) * b->capability;
	int64_t rhs = (b->load + 1) * a->capability;

	if (lhs != rhs)
		return lhs < rhs;
	return a->load < b->load;
}

int assign_balance(struct assign_agent *agents, size_t nagents, size_t ncustomers,
		   size_t *out_agent_index)
{
	if (!agents || !nagents || (ncustomers && !out_agent_index))
		return KF_EINVAL;
	if (check(agents, nagents, ncustomers) < 0)
		return KF_EINVAL;
	for (size_t c = 0; c < ncustomers; c++) {
		size_t best = 0;
		/* Strictly better only, so equal agents keep the lower index. */
		for (size_t i = 1; i < nagents; i++)
			if (better(&agents[i], &agents[best]))
				best = i;
		agents[best].load++;
		out_agent_index[c] = best;
	}
	return 0;
}
