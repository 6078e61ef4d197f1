/* call_settings_input.c - reading the hotline's settings: service-level
 * target, short abandons, the cap on after-call work and the company's
 * rest hours.  No database: call_settings.c loads and stores them. */
#include "app/calls.h"

#include <string.h>

#include "core/calltime.h"
#include "lib/common.h"

/* rest_hours: [{start:"HH:MM", end:"HH:MM"}], 0..HOTLINE_REST_MAX windows,
 * every day.  Returns the count, or -1 (and *bad the index) if malformed. */
int hotline_rest_parse(json_t *arr, struct calltime_window *w, int *bad, const char **field)
{
	if (!json_is_array(arr) || json_array_size(arr) > HOTLINE_REST_MAX) {
		*bad = -1;
		return -1;
	}
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o)
	{
		int st = calltime_parse_hhmm(json_string_value(json_object_get(o, "start")));
		int en = calltime_parse_hhmm(json_string_value(json_object_get(o, "end")));
		if (st < 0 || en < 0 || st == en || st >= 1440) {
			*bad = (int)i;
			*field = st < 0 || st >= 1440 ? "start" : "end";
			return -1;
		}
		w[i] = (struct calltime_window){0, st, en};
	}
	return (int)json_array_size(arr);
}

static const char *const settings_keys[] = {"sl_seconds", "sl_target_pct", "short_abandon_s",
					    "acw_cap_s", "rest_hours", NULL};

int hotline_settings_read(http_req *r, struct hotline_settings *s)
{
	int rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	if ((rc = in_only_keys(r, r->json, settings_keys, NULL)) < 0)
		return rc;
	struct {
		const char *key;
		int64_t lo, hi;
		int *dst;
	} f[] = {{"sl_seconds", 1, 3600, &s->sl_seconds},
		 {"sl_target_pct", 1, 99, &s->sl_target_pct},
		 {"short_abandon_s", 0, 600, &s->short_abandon_s},
		 {"acw_cap_s", 0, 7200, &s->acw_cap_s}};
	for (size_t i = 0; i < KF_ARRAY_LEN(f); i++) {
		int64_t v;
		int present;
		if ((rc = in_int(r, r->json, f[i].key, f[i].lo, f[i].hi, 0, &v, &present)) < 0)
			return rc;
		if (present && json_is_integer(json_object_get(r->json, f[i].key)))
			*f[i].dst = (int)v;
	}
	json_t *rest = json_object_get(r->json, "rest_hours");
	if (rest) {
		struct calltime_window w[HOTLINE_REST_MAX];
		int bad = -1, nr;
		const char *field = "";
		if ((nr = hotline_rest_parse(rest, w, &bad, &field)) < 0) {
			if (bad < 0)
				return http_fail(r, KF_EINVAL, "rest_hours",
						 "rest_hours 应为最多 %d 个时段的列表",
						 "rest_hours is a list of at most %d windows",
						 (int)HOTLINE_REST_MAX, (int)HOTLINE_REST_MAX);
			const char *fname = arena_printf(r->a, "rest_hours[%d].%s", bad, field);
			return http_fail(r, KF_EINVAL, fname, "%s 应为 HH:MM，且开始与结束不能相同",
					 "%s must be HH:MM, and a window cannot start where it ends", fname,
					 fname);
		}
		memcpy(s->rest, w, sizeof(w[0]) * (size_t)nr);
		s->nrest = nr;
	}
	return 0;
}
