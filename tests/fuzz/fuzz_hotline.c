/* fuzz_hotline.c - the bodies of the hotline's staffing and settings
 * routes: the first byte chooses the route, jansson parses the rest as the
 * server does (JSON_REJECT_DUPLICATES, an object), then
 * app/staffing_input.c, app/call_settings_input.c or app/call_settings.c
 * reads it.  No database.
 *
 *   byte % 5 == 0   POST /api/hotline/staffing and /shift-plan (seeds: A to E)
 *               1   POST /api/hotline/shift-patterns
 *               2   PATCH /api/hotline/shift-patterns/{id}, over a stored
 *                   pattern taken from the second byte
 *               3   PATCH /api/hotline/settings, over the defaults
 *               4   wrap-up codes and QA items (create or change, with or
 *                   without max_score, from the second byte)
 *
 * Invariants: a refusal names a field and has a negative code; accepted
 * staffing targets are finite and within their ranges, given intervals
 * have calls and handling times within theirs; a pattern starts on a half
 * hour, lasts whole half hours and ends by midnight, its breaks lie within
 * it on half hours with the minutes given, its days are distinct weekdays
 * in order; settings stay within their ranges with at most
 * HOTLINE_REST_MAX rest windows; a code has only lower-case letters,
 * digits, _ and -, and labels and scores within their limits. */
#include "tests/fuzz/fuzz.h"

#include <math.h>

#include "app/calls.h"
#include "app/staffing_input.h"
#include "core/calltime.h"
#include "core/validate.h"

static void check_refusal(const http_req *r, int rc)
{
	FUZZ_CHECK(rc < 0 && r->err.code == rc, "code %d, error %d", rc, r->err.code);
	FUZZ_CHECK(r->err.field, "refusal names no field: %s", r->err.en);
	FUZZ_CHECK(fuzz_utf8_str(r->err.zh) && fuzz_utf8_str(r->err.en), "message is not UTF-8");
}

static void check_range(const char *what, double v, double lo, double hi)
{
	FUZZ_CHECK(isfinite(v) && v >= lo && v <= hi, "%s = %g not in [%g, %g]", what, v, lo, hi);
}

static void staffing(http_req *r)
{
	struct staffing_in in;
	int rc = staffing_input_read(r, &in);
	if (rc < 0)
		return check_refusal(r, rc);
	check_range("sl", in.t.sl, 0.01, 0.999);
	check_range("target_s", in.t.target_s, 0, 3600);
	check_range("max_occupancy", in.t.max_occupancy, 0, 1);
	check_range("shrinkage", in.shrinkage, 0, 0.9);
	check_range("patience_s", in.patience_s, 0, 86400);
	check_range("aht_s", in.default_aht, 1, 86400);
	FUZZ_CHECK(in.given == (json_object_get(r->json, "intervals") != NULL), "given");
	if (in.given) {
		FUZZ_CHECK(in.day == -1, "a day with intervals");
		for (int i = 0; i < STAFF_NIV; i++) {
			check_range("calls", in.calls[i], 0, 1e6);
			FUZZ_CHECK(in.aht_s[i] == 0 || (in.aht_s[i] >= 1 && in.aht_s[i] <= 86400),
				   "aht_s[%d] = %g", i, in.aht_s[i]);
		}
	} else {
		FUZZ_CHECK(in.weeks >= 1 && in.weeks <= STAFF_MAX_WEEKS, "weeks %d", in.weeks);
		FUZZ_CHECK(in.day >= -1, "day %lld", (long long)in.day);
		FUZZ_CHECK(!in.queue || *in.queue, "empty queue");
	}
}

static void pattern(http_req *r, int creating, unsigned b)
{
	int cur_start = 0, cur_minutes = 0;
	if (!creating) {
		cur_start = (int)(b % 48) * 30;
		cur_minutes = 30 * (1 + (int)(b / 48) % (48 - cur_start / 30));
	}
	struct pattern_in p;
	int rc = pattern_input_read(r, creating, cur_start, cur_minutes, &p);
	if (rc < 0)
		return check_refusal(r, rc);
	FUZZ_CHECK(p.start >= 0 && p.start < 1440 && p.start % 30 == 0, "start %d", p.start);
	FUZZ_CHECK(p.minutes >= 30 && p.minutes % 30 == 0 && p.start + p.minutes <= 1440,
		   "%d minutes from %d", p.minutes, p.start);
	FUZZ_CHECK(p.max_count >= 0 && p.max_count <= 10000, "max_count %d", p.max_count);
	if (p.name) {
		size_t n;
		FUZZ_CHECK(fuzz_utf8_str(p.name) && valid_utf8_len(p.name, 60, &n), "name");
		FUZZ_CHECK(!creating || n > 0, "empty name");
	}
	json_t *given = json_object_get(r->json, "breaks");
	size_t i;
	json_t *x;
	FUZZ_CHECK(json_is_array(p.breaks) && json_array_size(p.breaks) <= 8, "breaks");
	json_array_foreach(p.breaks, i, x)
	{
		int s = calltime_parse_hhmm(json_string_value(json_object_get(x, "start")));
		json_int_t m = json_integer_value(json_object_get(x, "minutes"));
		FUZZ_CHECK(s >= p.start && s % 30 == 0 && m >= 30 && m % 30 == 0 &&
				   s + m <= p.start + p.minutes,
			   "break %zu at %d for %lld outside %d+%d", i, s, (long long)m, p.start, p.minutes);
		json_int_t asked = json_integer_value(json_object_get(json_array_get(given, i), "minutes"));
		FUZZ_CHECK(m == asked, "break %zu of %lld minutes stored as %lld", i, (long long)asked,
			   (long long)m);
	}
	FUZZ_CHECK(json_is_array(p.days) && json_array_size(p.days) >= 1 && json_array_size(p.days) <= 7,
		   "days");
	json_int_t last = 0;
	json_array_foreach(p.days, i, x)
	{
		json_int_t d = json_integer_value(x);
		FUZZ_CHECK(d > last && d <= 7, "days out of order at %zu", i);
		last = d;
	}
	pattern_in_free(&p);
}

static void settings(http_req *r)
{
	struct hotline_settings s = {20, 80, 5, 600, "Asia/Shanghai",
				     {{0, 12 * 60, 14 * 60}, {0, 21 * 60, 9 * 60}}, 2};
	int rc = hotline_settings_read(r, &s);
	if (rc < 0)
		return check_refusal(r, rc);
	check_range("sl_seconds", s.sl_seconds, 1, 3600);
	check_range("sl_target_pct", s.sl_target_pct, 1, 99);
	check_range("short_abandon_s", s.short_abandon_s, 0, 600);
	check_range("acw_cap_s", s.acw_cap_s, 0, 7200);
	FUZZ_CHECK(s.nrest >= 0 && s.nrest <= HOTLINE_REST_MAX, "%d rest windows", s.nrest);
	for (int i = 0; i < s.nrest; i++)
		FUZZ_CHECK(s.rest[i].start_min >= 0 && s.rest[i].start_min < 1440 && s.rest[i].end_min >= 0 &&
				   s.rest[i].end_min <= 1440 && s.rest[i].start_min != s.rest[i].end_min,
			   "rest window %d: %d-%d", i, s.rest[i].start_min, s.rest[i].end_min);
}

static void coded(http_req *r, unsigned b)
{
	int creating = (int)(b & 1), with_max = (int)(b >> 1 & 1);
	struct coded_row c;
	int rc = hotline_coded_input(r, creating, with_max, &c);
	if (rc < 0)
		return check_refusal(r, rc);
	if (creating)
		FUZZ_CHECK(c.code && c.label_zh && c.label_en, "missing on create");
	if (c.code)
		FUZZ_CHECK(*c.code && strspn(c.code, "abcdefghijklmnopqrstuvwxyz0123456789_-") ==
						strlen(c.code),
			   "code %s", c.code);
	size_t n;
	FUZZ_CHECK(!c.label_zh || valid_utf8_len(c.label_zh, 100, &n), "label_zh");
	FUZZ_CHECK(!c.label_en || valid_utf8_len(c.label_en, 100, &n), "label_en");
	check_range("sort_order", (double)c.sort_order, -100000, 100000);
	check_range("max_score", (double)c.max_score, 1, 100);
	FUZZ_CHECK(c.active == 0 || c.active == 1, "active %d", c.active);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	unsigned route = data[0] % 5, b = data[1];
	json_error_t je;
	json_t *in = json_loadb((const char *)data + 2, size - 2, JSON_REJECT_DUPLICATES, &je);
	if (!in)
		return 0;
	if (!json_is_object(in)) {
		json_decref(in);
		return 0;
	}
	arena *a = arena_new();
	http_req r;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.user.id = 2;
	r.user.role = ROLE_SUPERVISOR;
	r.json = in;
	switch (route) {
	case 0: staffing(&r); break;
	case 1: pattern(&r, 1, b); break;
	case 2: pattern(&r, 0, b); break;
	case 3: settings(&r); break;
	default: coded(&r, b); break;
	}
	arena_free(a);
	json_decref(in);
	return 0;
}
