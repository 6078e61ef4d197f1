/* calltime.c - rest hours and do-not-disturb windows; see calltime.h. */
#include "core/calltime.h"

#include "lib/common.h"

const struct calltime_window calltime_rest_default[2] = {
	{0, 12 * 60, 14 * 60},
	{0, 21 * 60, 9 * 60},
};

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int calltime_weekday(int64_t local_min)
{
	int64_t day = floor_div(local_min, 1440);
	/* 1970-01-01 was a Thursday (4). */
	int64_t wd = (day + 3) % 7;
	if (wd < 0)
		wd += 7;
	return (int)wd + 1;
}

static int applies(const struct calltime_window *w, int weekday)
{
	return w->days == 0 || (w->days >> weekday) & 1u;
}

/* Whether t is inside w, counting a window that began the day before. */
static int inside(int64_t t, const struct calltime_window *w)
{
	int64_t day = floor_div(t, 1440);
	int m = (int)(t - day * 1440);
	int wd = calltime_weekday(t);
	int prev_wd = wd == 1 ? 7 : wd - 1;
	if (w->end_min > w->start_min)
		return applies(w, wd) && m >= w->start_min && m < w->end_min;
	/* overnight: from start to midnight today, or from midnight to end
	 * when it started yesterday */
	return (applies(w, wd) && m >= w->start_min) || (applies(w, prev_wd) && m < w->end_min);
}

int calltime_blocked(int64_t t, const struct calltime_window *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (inside(t, &w[i]))
			return 1;
	return 0;
}

/* The first minute after t at which window w (t inside it) is over. */
static int64_t window_end(int64_t t, const struct calltime_window *w)
{
	int64_t day = floor_div(t, 1440);
	int m = (int)(t - day * 1440);
	if (w->end_min > w->start_min)
		return day * 1440 + w->end_min;
	if (m >= w->start_min && applies(w, calltime_weekday(t)))
		return (day + 1) * 1440 + w->end_min;
	return day * 1440 + w->end_min;
}

int64_t calltime_next_allowed(int64_t t, const struct calltime_window *w, size_t n,
			      int64_t horizon_min)
{
	int64_t limit = t + horizon_min;
	while (t <= limit) {
		int64_t next = t;
		for (size_t i = 0; i < n; i++)
			if (inside(t, &w[i])) {
				int64_t e = window_end(t, &w[i]);
				if (e > next)
					next = e;
			}
		if (next == t)
			return t;
		t = next;
	}
	return -1;
}

int calltime_parse_hhmm(const char *s)
{
	if (!s || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] != ':' ||
	    s[3] < '0' || s[3] > '9' || s[4] < '0' || s[4] > '9' || s[5])
		return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m))
		return -1;
	return h * 60 + m;
}
