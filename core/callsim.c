/* callsim.c - the simulated hotline day; see callsim.h.
 *
 * First come, first served with hang-ups needs no event queue: taking the
 * calls in order of arrival, each is answered by the agent who can take
 * it earliest (free and on duty), unless its caller's patience runs out
 * first, in which case it takes nobody's time.  Calls ahead of it were
 * all placed already, so this is the exact FCFS schedule. */
#include "core/callsim.h"

#include <math.h>
#include <string.h>

#include "lib/common.h"

enum { SIM_MAX_AGENTS = 4096 };

uint64_t callsim_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in (0, 1]. */
static double unit(uint64_t *s)
{
	return ((double)(callsim_rand(s) >> 11) + 1.0) / 9007199254740992.0;
}

static double expo(uint64_t *s, double mean)
{
	return -log(unit(s)) * mean;
}

static int on_duty(const struct callsim_params *p, int agent, int k)
{
	if (k >= p->intervals)
		k = p->intervals - 1;
	return agent < p->agents[k];
}

/* Earliest time >= x (seconds from start) at which agent j is on duty. */
static double duty_from(const struct callsim_params *p, int j, double x)
{
	int k = (int)floor(x / p->interval_s);
	if (k < 0)
		k = 0;
	if (on_duty(p, j, k))
		return x;
	for (int kk = k + 1; kk < p->intervals; kk++)
		if (on_duty(p, j, kk))
			return (double)kk * p->interval_s;
	return INFINITY;
}

static int max_agents(const struct callsim_params *p)
{
	int m = 0;
	for (int k = 0; k < p->intervals; k++)
		if (p->agents[k] > m)
			m = p->agents[k];
	return m;
}

long callsim_run(const struct callsim_params *p, struct callsim_call *out, size_t max)
{
	if (!p || p->intervals <= 0 || p->interval_s <= 0 || !p->calls || !p->agents ||
	    !(p->aht_s > 0) || p->patience_s < 0)
		return -1;
	int na = max_agents(p);
	if (na > SIM_MAX_AGENTS)
		return -1;
	double free_at[SIM_MAX_AGENTS];
	for (int j = 0; j < na; j++)
		free_at[j] = 0;
	uint64_t rs = p->seed;
	size_t n = 0;
	double day_end = (double)p->intervals * p->interval_s;
	for (int k = 0; k < p->intervals; k++) {
		double rate = p->calls[k] / p->interval_s;
		if (!(rate > 0))
			continue;
		double t = (double)k * p->interval_s;
		for (;;) {
			t += expo(&rs, 1.0 / rate);
			if (t >= (double)(k + 1) * p->interval_s)
				break;
			if (n >= max)
				return -1;
			double patience = p->patience_s > 0 ? expo(&rs, p->patience_s) : INFINITY;
			double handle = expo(&rs, p->aht_s);
			int best = -1;
			double start = INFINITY;
			for (int j = 0; j < na; j++) {
				double s = duty_from(p, j, free_at[j] > t ? free_at[j] : t);
				if (s < start) {
					start = s;
					best = j;
				}
			}
			struct callsim_call *c = &out[n++];
			c->offered_ms = p->start_ms + (int64_t)llround(t * 1000);
			c->interval = k;
			if (best < 0 || start - t > patience) {
				double gone = isfinite(patience) ? t + patience : day_end;
				c->answered_ms = 0;
				c->ended_ms = p->start_ms + (int64_t)llround(gone * 1000);
				c->agent = -1;
				continue;
			}
			free_at[best] = start + handle;
			c->answered_ms = p->start_ms + (int64_t)llround(start * 1000);
			c->ended_ms = p->start_ms + (int64_t)llround((start + handle) * 1000);
			if (c->ended_ms <= c->answered_ms)
				c->ended_ms = c->answered_ms + 1;
			c->agent = best;
		}
	}
	return (long)n;
}

void callsim_day_curve(double total, double out[48])
{
	/* Relative weight per half hour: two Gaussian bumps over a business-day
	 * plateau that ramps up from 07:30 and down after 20:00 (logistic
	 * edges, as call volumes do), a lunch dip, little at night. */
	double sum = 0;
	for (int i = 0; i < 48; i++) {
		double h = i / 2.0 + 0.25;
		double up = 1.0 / (1.0 + exp(-(h - 8.25) * 3)), down = 1.0 / (1.0 + exp((h - 20.75) * 3));
		double w = 0.02 + 0.5 * up * down;
		w += 1.0 * exp(-pow((h - 10.0) / 1.3, 2)) + 0.8 * exp(-pow((h - 15.0) / 1.6, 2));
		if (h >= 12 && h < 13.5)
			w *= 0.75;
		out[i] = w;
		sum += w;
	}
	for (int i = 0; i < 48; i++)
		out[i] = total * out[i] / sum;
}
