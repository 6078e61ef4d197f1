/* staffing.c - forecast and shift planning; see staffing.h. */
#include "core/staffing.h"

#include <string.h>

#include "lib/common.h"

int staff_forecast(const double *hist, const int *present, int weeks, int nint, double *out)
{
	for (int i = 0; i < nint; i++)
		out[i] = 0;
	double wsum = 0;
	int used = 0;
	for (int w = 0; w < weeks; w++) {
		if (present && !present[w])
			continue;
		double weight = weeks - w;
		for (int i = 0; i < nint; i++)
			out[i] += weight * hist[w * nint + i];
		wsum += weight;
		used++;
	}
	if (wsum > 0)
		for (int i = 0; i < nint; i++)
			out[i] /= wsum;
	return used;
}

int staff_pattern_covers(const struct shift_pattern *p, int i)
{
	int k = i - p->start;
	if (k < 0 || k >= p->length)
		return 0;
	return !((p->breaks[k / 64] >> (k % 64)) & 1);
}

static int worked(const struct shift_pattern *p)
{
	int n = 0;
	for (int k = 0; k < p->length; k++)
		n += staff_pattern_covers(p, p->start + k);
	return n;
}

/* The pattern to add for short interval i: most short intervals filled
 * per interval worked; -1 if none works at i (or all are at their cap). */
static int best_pattern(const int *need, const int *cover, const struct shift_pattern *pat,
			int npat, const int *count, int i)
{
	int best = -1;
	double best_score = -1;
	for (int p = 0; p < npat; p++) {
		if (!staff_pattern_covers(&pat[p], i) || (pat[p].max_count && count[p] >= pat[p].max_count))
			continue;
		int fills = 0, w = 0;
		for (int k = pat[p].start; k < pat[p].start + pat[p].length; k++) {
			if (!staff_pattern_covers(&pat[p], k))
				continue;
			w++;
			fills += cover[k] < need[k];
		}
		double score = (double)fills / (double)w;
		if (score > best_score + 1e-12) {
			best = p;
			best_score = score;
		}
	}
	return best;
}

static void add_shift(struct shift_plan *out, const struct shift_pattern *p, int idx, int sign)
{
	out->count[idx] += sign;
	for (int k = p->start; k < p->start + p->length; k++)
		if (staff_pattern_covers(p, k))
			out->cover[k] += sign;
}

/* Drops shifts (latest patterns first) whose every worked interval has
 * more cover than needed. */
static void prune(const int *need, const struct shift_pattern *pat, int npat, struct shift_plan *out)
{
	for (int p = npat - 1; p >= 0; p--) {
		while (out->count[p] > 0) {
			int spare = 1;
			for (int k = pat[p].start; k < pat[p].start + pat[p].length && spare; k++)
				if (staff_pattern_covers(&pat[p], k) && out->cover[k] <= need[k])
					spare = 0;
			if (!spare)
				break;
			add_shift(out, &pat[p], p, -1);
		}
	}
}

int staff_plan(const int *need, int nint, const struct shift_pattern *pat, int npat,
	       struct shift_plan *out)
{
	memset(out, 0, sizeof(*out));
	if (nint <= 0 || nint > STAFF_MAX_INTERVALS || npat < 0 || npat > STAFF_MAX_PATTERNS)
		return -1;
	for (int p = 0; p < npat; p++)
		if (pat[p].start < 0 || pat[p].length <= 0 || pat[p].length > 128 ||
		    pat[p].start + pat[p].length > nint || worked(&pat[p]) == 0)
			return -1;
	int blocked[STAFF_MAX_INTERVALS] = {0};
	int64_t budget = 0;
	for (int i = 0; i < nint; i++)
		budget += need[i] > 0 ? need[i] : 0;
	for (int64_t step = 0; step <= budget; step++) {
		int worst = -1, deficit = 0;
		for (int i = 0; i < nint; i++)
			if (!blocked[i] && need[i] - out->cover[i] > deficit) {
				deficit = need[i] - out->cover[i];
				worst = i;
			}
		if (worst < 0)
			break;
		int p = best_pattern(need, out->cover, pat, npat, out->count, worst);
		if (p < 0) {
			blocked[worst] = 1;
			continue;
		}
		add_shift(out, &pat[p], p, +1);
	}
	prune(need, pat, npat, out);
	for (int i = 0; i < nint; i++) {
		out->gap[i] = out->cover[i] - need[i];
		out->short_intervals += out->gap[i] < 0;
	}
	for (int p = 0; p < npat; p++) {
		out->agents += out->count[p];
		out->agent_intervals += (int64_t)out->count[p] * worked(&pat[p]);
	}
	return 0;
}
