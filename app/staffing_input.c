/* staffing_input.c - reading the bodies of the staffing routes: the
 * targets and either the calls per half hour or the day to forecast, and
 * shift patterns (start and length on half hours, breaks within the shift,
 * weekdays).  No database: call_staffing.c forecasts and stores. */
#include "app/staffing_input.h"

#include <stdio.h>
#include <string.h>

#include "app/calls.h"
#include "core/calltime.h"
#include "lib/common.h"

static int json_double(http_req *r, json_t *o, const char *key, double lo, double hi, double dflt,
		       double *out, const char *field)
{
	json_t *v = json_object_get(o, key);
	*out = dflt;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v) || json_number_value(v) < lo || json_number_value(v) > hi)
		return http_fail(r, KF_EINVAL, field ? field : key, "字段 %s 应为 %g 到 %g 之间的数",
				 "The field %s must be a number from %g to %g", field ? field : key, lo,
				 hi);
	*out = json_number_value(v);
	return 0;
}


static const char *const staffing_keys[] = {"date",          "intervals", "aht_s",  "sl_pct",
					    "target_s",      "shrinkage_pct", "max_occupancy_pct",
					    "patience_s",    "weeks",     "queue",  "pattern_ids",
					    "use_shrinkage", NULL};

static int read_intervals(http_req *r, json_t *list, struct staffing_in *in)
{
	if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > STAFF_NIV)
		return http_fail(r, KF_EINVAL, "intervals", "intervals 应为 1 到 48 个时段",
				 "intervals must list 1 to 48 half hours");
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		const char *f = arena_printf(r->a, "intervals[%zu]", i);
		const char *start = json_string_value(json_object_get(o, "start"));
		int m = calltime_parse_hhmm(start);
		if (!json_is_object(o) || m < 0 || m % 30 || m >= 1440)
			return http_fail(r, KF_EINVAL, arena_printf(r->a, "%s.start", f),
					 "时段开始应为整点或半点 HH:MM", "start must be HH:00 or HH:30");
		int iv = m / 30, rc;
		double calls, aht;
		if ((rc = json_double(r, o, "calls", 0, 1e6, 0, &calls,
				      arena_printf(r->a, "%s.calls", f))) < 0 ||
		    (rc = json_double(r, o, "aht_s", 1, 86400, in->default_aht, &aht,
				      arena_printf(r->a, "%s.aht_s", f))) < 0)
			return rc;
		in->calls[iv] = calls;
		in->aht_s[iv] = aht;
	}
	return 0;
}

int staffing_input_read(http_req *r, struct staffing_in *in)
{
	int rc;
	json_t *o = r->json ? r->json : json_object();
	memset(in, 0, sizeof(*in));
	in->day = -1;
	double sl, target, shrink, maxocc, weeks;
	if (r->json && (rc = in_only_keys(r, o, staffing_keys, NULL)) < 0)
		goto out;
	if ((rc = json_double(r, o, "aht_s", 1, 86400, 180, &in->default_aht, NULL)) < 0 ||
	    (rc = json_double(r, o, "sl_pct", 1, 99.9, 80, &sl, NULL)) < 0 ||
	    (rc = json_double(r, o, "target_s", 0, 3600, 20, &target, NULL)) < 0 ||
	    (rc = json_double(r, o, "shrinkage_pct", 0, 90, 30, &shrink, NULL)) < 0 ||
	    (rc = json_double(r, o, "max_occupancy_pct", 0, 100, 0, &maxocc, NULL)) < 0 ||
	    (rc = json_double(r, o, "patience_s", 0, 86400, 0, &in->patience_s, NULL)) < 0 ||
	    (rc = json_double(r, o, "weeks", 1, STAFF_MAX_WEEKS, 4, &weeks, NULL)) < 0)
		goto out;
	in->t = (struct erlang_target){sl / 100, target, 0, maxocc / 100};
	in->shrinkage = shrink / 100;
	json_t *list = json_object_get(o, "intervals");
	if (list) {
		in->given = 1;
		rc = read_intervals(r, list, in);
		goto out;
	}
	const char *d = json_string_value(json_object_get(o, "date"));
	in->day = d ? hotline_parse_date(d) : -1;
	if (d && in->day < 0) {
		rc = http_fail(r, KF_EINVAL, "date", "date 应为日期 YYYY-MM-DD，或给出 intervals",
			       "date must be a date YYYY-MM-DD, or give intervals");
		goto out;
	}
	const char *q = json_string_value(json_object_get(o, "queue"));
	in->queue = q && *q ? q : NULL;
	in->weeks = (int)weeks;
	rc = 0;
out:
	if (!r->json)
		json_decref(o);
	return rc;
}

static int read_breaks(http_req *r, json_t *v, int start, int minutes, json_t **out)
{
	if (!json_is_array(v) || json_array_size(v) > 8)
		return http_fail(r, KF_EINVAL, "breaks", "breaks 应为最多 8 个 {start, minutes}",
				 "breaks must be at most 8 of {start, minutes}");
	json_t *arr = json_array();
	size_t i;
	json_t *b;
	json_array_foreach(v, i, b)
	{
		int s = calltime_parse_hhmm(json_string_value(json_object_get(b, "start")));
		json_t *m = json_object_get(b, "minutes");
		/* in range before it is an int: neither wrapped nor overflowing s + mins */
		json_int_t mins = json_is_integer(m) ? json_integer_value(m) : -1;
		if (s < 0 || s % 30 || mins <= 0 || mins > 1440 || mins % 30 || s < start ||
		    s + mins > start + minutes) {
			json_decref(arr);
			return http_fail(r, KF_EINVAL, arena_printf(r->a, "breaks[%zu]", i),
					 "休息应在班次内，按半小时对齐（start 为 HH:00/HH:30，minutes 为 30 的倍数）",
					 "A break lies within the shift on half hours (start HH:00/HH:30, minutes a multiple of 30)");
		}
		char hm[16];
		snprintf(hm, sizeof(hm), "%02d:%02d", s / 60, s % 60);
		json_array_append_new(arr, json_pack("{s:s, s:i}", "start", hm, "minutes", (int)mins));
	}
	*out = arr;
	return 0;
}

static int read_days(http_req *r, json_t *v, json_t **out)
{
	int seen[8] = {0};
	if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 7)
		goto bad;
	size_t i;
	json_t *d;
	json_array_foreach(v, i, d)
	{
		if (!json_is_integer(d) || json_integer_value(d) < 1 || json_integer_value(d) > 7 ||
		    seen[json_integer_value(d)]++)
			goto bad;
	}
	*out = json_array();
	for (int k = 1; k <= 7; k++)
		if (seen[k])
			json_array_append_new(*out, json_integer(k));
	return 0;
bad:
	return http_fail(r, KF_EINVAL, "days", "days 应为 1（周一）到 7（周日）的不重复整数",
			 "days must be distinct integers from 1 (Monday) to 7 (Sunday)");
}

static const char *const pattern_keys[] = {"name",   "start",     "minutes", "breaks",
					   "days",   "max_count", "active",  NULL};

void pattern_in_free(struct pattern_in *p)
{
	json_decref(p->breaks);
	json_decref(p->days);
}

/* Reads a pattern; on PATCH, `cur` holds the stored start and length so
 * breaks can be checked against the result. */
int pattern_input_read(http_req *r, int creating, int cur_start, int cur_minutes,
		       struct pattern_in *p)
{
	int rc;
	const char *start = NULL;
	int64_t minutes = 0, maxc = 0;
	memset(p, 0, sizeof(*p));
	if (!r->json)
		return http_fail(r, KF_EINVAL, "name", "缺少必填字段 name", "The field name is required");
	if ((rc = in_only_keys(r, r->json, pattern_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name", 60, creating, &p->name, &p->has[0])) < 0 ||
	    (rc = in_str(r, r->json, "start", 5, creating, &start, &p->has[1])) < 0 ||
	    (rc = in_int(r, r->json, "minutes", 30, 1440, creating, &minutes, &p->has[2])) < 0 ||
	    (rc = in_int(r, r->json, "max_count", 0, 10000, 0, &maxc, &p->has[5])) < 0 ||
	    (rc = in_bool(r, r->json, "active", &p->active, &p->has[6])) < 0)
		return rc;
	p->start = start ? calltime_parse_hhmm(start) : cur_start;
	p->minutes = p->has[2] ? (int)minutes : cur_minutes;
	p->max_count = (int)maxc;
	if (p->start < 0 || p->start % 30 || p->start >= 1440)
		return http_fail(r, KF_EINVAL, "start", "start 应为整点或半点 HH:MM",
				 "start must be HH:00 or HH:30");
	if (p->minutes % 30 || p->start + p->minutes > 1440)
		return http_fail(r, KF_EINVAL, "minutes", "minutes 应为 30 的倍数，且班次不跨过午夜",
				 "minutes must be a multiple of 30 and the shift must end by midnight");
	json_t *br = json_object_get(r->json, "breaks");
	p->has[3] = br != NULL;
	if (br && (rc = read_breaks(r, br, p->start, p->minutes, &p->breaks)) < 0)
		return rc;
	json_t *days = json_object_get(r->json, "days");
	p->has[4] = days != NULL;
	if (days && (rc = read_days(r, days, &p->days)) < 0) {
		pattern_in_free(p);
		return rc;
	}
	if (!p->breaks)
		p->breaks = json_array();
	if (!p->days)
		p->days = json_pack("[iiiiiii]", 1, 2, 3, 4, 5, 6, 7);
	if (!p->has[6])
		p->active = 1;
	return 0;
}

