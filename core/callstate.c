/* callstate.c - derive a call from its events; see callstate.h. */
#include "core/callstate.h"

#include <string.h>

#include "lib/common.h"

static const char *const type_names[CTI_NTYPES] = {
	"offered", "ringing", "answered", "held", "resumed", "transferred", "abandoned", "ended",
};

static const char *const state_names[] = {
	"unknown", "queued", "ringing", "talking", "held", "ended", "abandoned",
};

const char *cti_type_name(int t)
{
	return t >= 0 && t < CTI_NTYPES ? type_names[t] : NULL;
}

int cti_type_parse(const char *s)
{
	for (int i = 0; s && i < CTI_NTYPES; i++)
		if (!strcmp(s, type_names[i]))
			return i;
	return -1;
}

const char *call_state_name(int s)
{
	return s >= 0 && s < (int)KF_ARRAY_LEN(state_names) ? state_names[s] : "unknown";
}

static int cmp_events(const struct cti_event *a, const struct cti_event *b)
{
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	if (a->agent_id != b->agent_id)
		return a->agent_id < b->agent_id ? -1 : 1;
	return strcmp(a->agent ? a->agent : "", b->agent ? b->agent : "");
}

/* Insertion sort of indexes: a call has a handful of events. */
static void sort_order(const struct cti_event *ev, size_t n, size_t *order)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = i, v = i;
		while (j > 0 && cmp_events(&ev[order[j - 1]], &ev[v]) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = v;
	}
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static void apply(struct call_summary *s, const struct cti_event *e, int64_t *hold_from)
{
	if (!*s->caller && *nz(e->caller))
		s->caller = e->caller;
	if (!*s->queue && *nz(e->queue))
		s->queue = e->queue;
	if (s->ended_at && e->type != CTI_ENDED && e->type != CTI_ABANDONED)
		return; /* nothing happens to a call after its end */
	switch (e->type) {
	case CTI_OFFERED:
		if (!s->offered_at)
			s->offered_at = e->at;
		if (e->agent_id && !s->answered_at) /* offered straight to an agent */
			s->ringing_agent_id = e->agent_id;
		break;
	case CTI_RINGING:
		if (!s->ringing_at)
			s->ringing_at = e->at;
		if (!s->answered_at)
			s->ringing_agent_id = e->agent_id;
		break;
	case CTI_ANSWERED:
		if (!s->answered_at) {
			s->answered_at = e->at;
			s->first_agent_id = e->agent_id;
		}
		s->agent_id = e->agent_id;
		s->agent = nz(e->agent);
		break;
	case CTI_HELD:
		if (s->answered_at && *hold_from < 0)
			*hold_from = e->at;
		break;
	case CTI_RESUMED:
		if (*hold_from >= 0) {
			s->hold_ms += e->at - *hold_from;
			*hold_from = -1;
		}
		break;
	case CTI_TRANSFERRED:
		s->transfers++;
		break;
	case CTI_ABANDONED:
	case CTI_ENDED:
		if (!s->ended_at || e->at < s->ended_at) {
			if (*hold_from >= 0) {
				s->hold_ms += e->at - *hold_from;
				*hold_from = -1;
			}
			s->ended_at = e->at;
		}
		break;
	default:
		break;
	}
}

static void finish(struct call_summary *s, int holding, int saw_abandon)
{
	int over = s->ended_at != 0;
	s->live = !over;
	s->abandoned = over && !s->answered_at && (saw_abandon || s->offered_at);
	if (s->abandoned)
		s->state = CALL_ABANDONED;
	else if (over)
		s->state = CALL_ENDED;
	else if (s->answered_at)
		s->state = holding ? CALL_HELD : CALL_TALKING;
	else if (s->ringing_at)
		s->state = CALL_RINGING;
	else if (s->offered_at)
		s->state = CALL_QUEUED;
	else
		s->state = CALL_UNKNOWN;
	int64_t until = s->answered_at ? s->answered_at : s->abandoned ? s->ended_at : 0;
	if (s->offered_at && until) /* two sources' clocks may disagree: never negative */
		s->wait_ms = until > s->offered_at ? until - s->offered_at : 0;
	if (s->answered_at && over) {
		s->talk_ms = s->ended_at - s->answered_at - s->hold_ms;
		if (s->talk_ms < 0)
			s->talk_ms = 0;
	}
}

void callstate_derive(const struct cti_event *ev, size_t n, size_t *order,
		      struct call_summary *out)
{
	memset(out, 0, sizeof(*out));
	out->wait_ms = -1;
	out->talk_ms = -1;
	out->agent = out->queue = out->caller = "";
	sort_order(ev, n, order);
	int64_t hold_from = -1;
	int saw_abandon = 0;
	for (size_t i = 0; i < n; i++) {
		const struct cti_event *e = &ev[order[i]];
		if (i && cmp_events(&ev[order[i - 1]], e) == 0)
			continue; /* the same event twice counts once */
		saw_abandon |= e->type == CTI_ABANDONED;
		apply(out, e, &hold_from);
	}
	finish(out, hold_from >= 0, saw_abandon);
}
