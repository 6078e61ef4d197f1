/* callmetrics.c - hotline figures; see callmetrics.h. */
#include "core/callmetrics.h"

#include "lib/common.h"

void callm_add(struct callm_acc *a, const struct callm_call *c, const struct callm_config *cfg)
{
	a->offered++;
	if (c->answered) {
		a->answered++;
		if (c->wait_ms >= 0) {
			a->wait_ms_sum += c->wait_ms;
			a->wait_n++;
			if (c->wait_ms <= (int64_t)cfg->sl_seconds * 1000)
				a->answered_in_sl++;
		}
	} else if (c->abandoned) {
		a->abandoned++;
		if (cfg->short_abandon_s > 0 && c->wait_ms >= 0 &&
		    c->wait_ms < (int64_t)cfg->short_abandon_s * 1000)
			a->short_abandoned++;
	}
	if (c->handle_ms >= 0) {
		a->handle_ms_sum += c->handle_ms;
		a->handled++;
	}
	if (c->fcr >= 0) {
		a->fcr_known++;
		a->fcr_yes += c->fcr > 0;
	}
}

void callm_merge(struct callm_acc *into, const struct callm_acc *from)
{
	into->offered += from->offered;
	into->answered += from->answered;
	into->abandoned += from->abandoned;
	into->short_abandoned += from->short_abandoned;
	into->answered_in_sl += from->answered_in_sl;
	into->wait_ms_sum += from->wait_ms_sum;
	into->wait_n += from->wait_n;
	into->handle_ms_sum += from->handle_ms_sum;
	into->handled += from->handled;
	into->fcr_yes += from->fcr_yes;
	into->fcr_known += from->fcr_known;
	into->busy_ms += from->busy_ms;
	into->staffed_ms += from->staffed_ms;
}

static double ratio(int64_t num, int64_t den)
{
	return den > 0 ? (double)num / (double)den : -1;
}

void callm_figures(const struct callm_acc *a, struct callm_figures *out)
{
	out->service_level = ratio(a->answered_in_sl, a->offered - a->short_abandoned);
	out->abandon_rate = ratio(a->abandoned, a->offered);
	out->asa_s = a->wait_n ? (double)a->wait_ms_sum / (double)a->wait_n / 1000.0 : -1;
	out->aht_s = a->handled ? (double)a->handle_ms_sum / (double)a->handled / 1000.0 : -1;
	out->fcr = ratio(a->fcr_yes, a->fcr_known);
	out->occupancy = ratio(a->busy_ms, a->staffed_ms);
	if (out->occupancy > 1)
		out->occupancy = 1; /* handling while "paused" still counts as busy */
}

void callm_spread(int64_t start, int64_t end, int64_t origin, int64_t len, int64_t *buckets,
		  int nb)
{
	if (end <= start || len <= 0 || nb <= 0)
		return;
	int64_t first = (start - origin) / len;
	if (start < origin)
		first = 0;
	for (int64_t i = first; i < nb; i++) {
		int64_t b0 = origin + i * len, b1 = b0 + len;
		if (b0 >= end)
			break;
		int64_t s = start > b0 ? start : b0, e = end < b1 ? end : b1;
		if (e > s)
			buckets[i] += e - s;
	}
}

static size_t push_span(struct callm_span *out, size_t n, size_t max, int64_t s, int64_t e)
{
	if (e <= s)
		return n;
	if (n && out[n - 1].end >= s) {
		if (e > out[n - 1].end)
			out[n - 1].end = e;
		return n;
	}
	if (n < max)
		out[n++] = (struct callm_span){s, e};
	return n;
}

size_t callm_staffed_spans(const struct callm_agent_event *ev, size_t n, int64_t until,
			   struct callm_span *out, size_t max)
{
	int in = 0, paused = 0;
	int64_t from = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int was = in && !paused;
		switch (ev[i].type) {
		case CALLM_LOGIN:
			if (!in)
				paused = 0; /* a fresh sign-in starts ready */
			in = 1;
			break;
		case CALLM_LOGOUT:
			in = 0;
			paused = 0;
			break;
		case CALLM_PAUSE:
			paused = 1;
			break;
		case CALLM_UNPAUSE:
			paused = 0;
			break;
		default:
			break;
		}
		int now = in && !paused;
		if (!was && now)
			from = ev[i].at;
		else if (was && !now)
			k = push_span(out, k, max, from, ev[i].at);
	}
	if (in && !paused)
		k = push_span(out, k, max, from, until);
	return k;
}
