/* cti_input.c - reading the events of POST /api/cti/events: the body is
 * one event or {"events": [...]}; each event is checked for its known
 * fields, its type, its strings and numbers, and given its key within the
 * call (the source's event_id, else type:seq, else type@time).  No
 * database: cti.c resolves agent extensions and ids afterwards. */
#include "app/cti_input.h"

#include <stdlib.h>
#include <string.h>

#include "core/callstate.h"
#include "core/phone.h"
#include "lib/common.h"
#include "lib/util.h"

const char *const cti_agent_types[CTI_AG_NTYPES] = {"agent_login", "agent_logout", "agent_ready",
						    "agent_not_ready"};
const char *const cti_agent_states[CTI_AG_NTYPES] = {"ready", "logged_out", "ready", "not_ready"};

static const char *const event_keys[] = {"type",   "call_id", "event_id", "seq",       "at",
					 "caller", "callee",  "queue",    "agent",     "agent_id",
					 "target", "reason",  "direction", "data",     NULL};

static int fail_field(http_req *r, const char *prefix, const char *field, const char *zh,
		      const char *en)
{
	const char *f = prefix ? arena_printf(r->a, "%s.%s", prefix, field) : field;
	/* both formats take the same arguments: each skips the other's text */
	return http_fail(r, KF_EINVAL, f, "%s：%s%.0s", "%s: %.0s%s", f, zh, en);
}

/* A caller number in E.164 when it reads as one, else as given (a PBX may
 * say "anonymous"). */
static const char *norm_phone(http_req *r, const char *s)
{
	if (!s || !*s)
		return "";
	char e164[PHONE_E164_SIZE];
	if (phone_normalize(s, e164, sizeof(e164), NULL) == 0)
		return arena_strdup(r->a, e164);
	return s;
}

static int parse_type(http_req *r, struct cti_input *e, const char *type, const char *prefix)
{
	e->type = cti_type_parse(type);
	if (e->type >= 0)
		return 0;
	for (int i = 0; i < CTI_AG_NTYPES; i++)
		if (!strcmp(type, cti_agent_types[i])) {
			e->is_agent = 1;
			e->type = i;
			return 0;
		}
	return fail_field(r, prefix, "type",
			  "应为 offered、ringing、answered、held、resumed、transferred、abandoned、ended"
			  " 或 agent_login、agent_logout、agent_ready、agent_not_ready",
			  "one of offered, ringing, answered, held, resumed, transferred, abandoned,"
			  " ended, agent_login, agent_logout, agent_ready, agent_not_ready");
}

static int parse_strings(http_req *r, json_t *o, struct cti_input *e, const char **event_id,
			 const char *prefix)
{
	struct {
		const char *key;
		size_t max;
		const char **dst;
	} f[] = {{"call_id", 128, &e->call_key}, {"event_id", 128, event_id},
		 {"caller", 40, &e->caller},     {"callee", 40, &e->callee},
		 {"queue", 64, &e->queue},       {"agent", 64, &e->agent},
		 {"target", 64, &e->target},     {"reason", 100, &e->reason},
		 {"direction", 10, &e->direction}};
	for (size_t i = 0; i < KF_ARRAY_LEN(f); i++) {
		int rc = in_str(r, o, f[i].key, f[i].max, 0, f[i].dst, NULL);
		if (rc < 0) {
			if (prefix)
				r->err.field = arena_printf(r->a, "%s.%s", prefix, f[i].key);
			return rc;
		}
	}
	return 0;
}

static int parse_numbers(http_req *r, json_t *o, struct cti_input *e, const char *prefix)
{
	struct {
		const char *key;
		int64_t lo, hi;
		int64_t *dst;
	} f[] = {{"seq", 0, INT64_MAX, &e->seq},
		 {"at", 946684800000LL, 4102444800000LL, &e->at},
		 {"agent_id", 1, INT64_MAX, &e->agent_id}};
	for (size_t i = 0; i < KF_ARRAY_LEN(f); i++) {
		int rc = in_int(r, o, f[i].key, f[i].lo, f[i].hi, 0, f[i].dst, NULL);
		if (rc < 0) {
			if (prefix)
				r->err.field = arena_printf(r->a, "%s.%s", prefix, f[i].key);
			return rc;
		}
	}
	return 0;
}

/* The event's key within its call (or among agent events). */
static const char *event_key(http_req *r, const struct cti_input *e, const char *event_id,
			     int has_seq)
{
	const char *type = e->is_agent ? cti_agent_types[e->type] : cti_type_name(e->type);
	if (event_id && *event_id)
		return arena_printf(r->a, "id:%s", event_id);
	if (e->is_agent)
		return arena_printf(r->a, "%s:%s@%lld", e->agent, type, (long long)e->at);
	if (has_seq)
		return arena_printf(r->a, "%s:%lld", type, (long long)e->seq);
	return arena_printf(r->a, "%s@%lld", type, (long long)e->at);
}

int cti_input_read(http_req *r, json_t *o, const char *prefix, int64_t now, struct cti_input *e)
{
	int rc;
	const char *type = NULL, *event_id = NULL;
	memset(e, 0, sizeof(*e));
	if (!json_is_object(o))
		return http_fail(r, KF_EINVAL, prefix ? prefix : NULL, "事件必须是 JSON 对象",
				 "An event must be a JSON object");
	if ((rc = in_only_keys(r, o, event_keys, prefix)) < 0)
		return rc;
	if ((rc = in_str(r, o, "type", 20, 1, &type, NULL)) < 0) {
		if (prefix)
			r->err.field = arena_printf(r->a, "%s.type", prefix);
		return rc;
	}
	if ((rc = parse_type(r, e, type, prefix)) < 0 ||
	    (rc = parse_strings(r, o, e, &event_id, prefix)) < 0 ||
	    (rc = parse_numbers(r, o, e, prefix)) < 0)
		return rc;
	json_t *data = json_object_get(o, "data");
	if (data && !json_is_object(data) && !json_is_null(data))
		return fail_field(r, prefix, "data", "必须是对象", "must be an object");
	if (!e->is_agent && (!e->call_key || !*e->call_key))
		return fail_field(r, prefix, "call_id", "通话事件必须有 call_id",
				  "call events need a call_id");
	if (e->direction && strcmp(e->direction, "inbound") && strcmp(e->direction, "outbound"))
		return fail_field(r, prefix, "direction", "应为 inbound 或 outbound",
				  "must be inbound or outbound");
	e->caller = norm_phone(r, e->caller);
	e->callee = norm_phone(r, e->callee);
	e->queue = e->queue ? e->queue : "";
	e->agent = e->agent ? e->agent : "";
	e->target = e->target ? e->target : "";
	e->reason = e->reason ? e->reason : "";
	if (!json_object_get(o, "at") || json_is_null(json_object_get(o, "at")))
		e->at = now;
	if (e->is_agent && !*e->agent && !e->agent_id)
		return fail_field(r, prefix, "agent", "坐席事件必须有 agent 或 agent_id",
				  "agent events need agent or agent_id");
	if (e->is_agent && !*e->agent)
		e->agent = arena_printf(r->a, "user:%lld", (long long)e->agent_id);
	json_t *seq = json_object_get(o, "seq");
	e->ekey = event_key(r, e, event_id, seq && !json_is_null(seq));
	if (data && json_is_object(data)) {
		char *text = json_dumps(data, JSON_COMPACT);
		e->data = text ? arena_strdup(r->a, text) : NULL;
		free(text);
	}
	return 0;
}

int cti_input_count(http_req *r, json_t **list)
{
	*list = NULL;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "type", "请求体为空：应为一个事件或 {\"events\": [...]}",
				 "Empty body: send one event or {\"events\": [...]}");
	json_t *l = json_object_get(r->json, "events");
	if (l && (!json_is_array(l) || json_object_size(r->json) != 1))
		return http_fail(r, KF_EINVAL, "events", "events 必须是数组（且不能有其他字段）",
				 "events must be an array (and the only field)");
	size_t n = l ? json_array_size(l) : 1;
	if (n == 0 || n > CTI_BATCH_MAX)
		return http_fail(r, KF_EINVAL, "events", "每次 1 到 %d 个事件",
				 "1 to %d events per request", CTI_BATCH_MAX);
	*list = l;
	return (int)n;
}
