#include "core/sla.h"

#include <string.h>

#include "lib/common.h"

static int wild(const char *s)
{
	return !s || !*s;
}

/* -1: does not match; else a score, higher more specific. */
static int score(const struct sla_policy *p, const char *type, const char *prio,
		 const char *value, const char *tier)
{
	const char *want[4] = {p->case_type, p->priority, p->value_class, p->tier};
	const char *have[4] = {type, prio, value, tier};
	int count = 0, weight = 0;
	for (int i = 0; i < 4; i++) {
		if (wild(want[i]))
			continue;
		if (!have[i] || strcmp(want[i], have[i]))
			return -1;
		count++;
		weight |= 8 >> i;
	}
	return count * 16 + weight;
}

int sla_policy_match(const struct sla_policy *p, size_t n, const char *case_type,
		     const char *priority, const char *value_class, const char *tier)
{
	int best = -1, best_score = -1;
	for (size_t i = 0; i < n; i++) {
		int s = score(&p[i], case_type, priority, value_class, tier);
		if (s > best_score) {
			best_score = s;
			best = (int)i;
		}
	}
	return best;
}

enum sla_status sla_status(int64_t due, int64_t done, int64_t paused_at, int64_t now)
{
	if (!due)
		return SLA_NONE;
	if (done)
		return done <= due ? SLA_MET : SLA_MISSED;
	if (paused_at)
		return due <= paused_at ? SLA_BREACHED : SLA_PAUSED;
	return now > due ? SLA_BREACHED : SLA_RUNNING;
}

const char *sla_status_name(enum sla_status s)
{
	static const char *const names[] = {"none", "running", "paused", "breached", "met", "missed"};
	return (unsigned)s < KF_ARRAY_LEN(names) ? names[s] : "none";
}

int64_t sla_pause(const struct bizcal *c, int64_t now, int64_t due)
{
	return bizcal_between(c, now, due);
}

int sla_resume(const struct bizcal *c, int64_t now, int64_t left, int64_t old_due, int64_t *due,
	       kf_err *e)
{
	if (left <= 0) {
		*due = old_due;
		return 0;
	}
	return bizcal_add(c, now, left, due, e);
}

int64_t sla_next_due(int64_t fr_due, int64_t fr_done, int64_t res_due, int64_t res_done)
{
	int64_t a = fr_due && !fr_done ? fr_due : 0;
	int64_t b = res_due && !res_done ? res_due : 0;
	if (a && b)
		return a < b ? a : b;
	return a ? a : b;
}
