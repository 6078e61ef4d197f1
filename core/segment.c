/* segment.c - Pareto, pyramid, RFM, lifecycle and key-account rules; see
 * segment.h for the contract and the treatment of ties. */
#include "core/segment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/common.h"

static const char *const tier_codes[SEG_NTIERS] = {"top", "high", "mid",
						   "low", "inactive", "potential"};
static const char *const stage_codes[SEG_NSTAGES] = {"potential", "temporary", "general",
						     "loyal"};

const char *seg_tier_code(int tier)
{
	return tier >= 0 && tier < SEG_NTIERS ? tier_codes[tier] : "";
}

int seg_tier_parse(const char *code)
{
	for (int i = 0; code && i < SEG_NTIERS; i++)
		if (!strcmp(tier_codes[i], code))
			return i;
	return -1;
}

const char *seg_stage_code(int stage)
{
	return stage >= 0 && stage < SEG_NSTAGES ? stage_codes[stage] : "";
}

int seg_stage_parse(const char *code)
{
	for (int i = 0; code && i < SEG_NSTAGES; i++)
		if (!strcmp(stage_codes[i], code))
			return i;
	return -1;
}

/* ---- settings ---------------------------------------------------------------- */

void seg_settings_default(struct seg_settings *s)
{
	*s = (struct seg_settings){
		.window_months = 12,
		.inactive_months = 12,
		.rank_by = SEG_BY_REVENUE,
		.top_bp = 100,
		.high_bp = 400,
		.mid_bp = 1500,
		.lifecycle_auto = 1,
		.loyal_min_orders = 2,
		.loyal_min_r = 4,
		.loyal_min_f = 4,
		.temporary_max_orders = 1,
		.temporary_max_r = 1,
		.inactive_is_temporary = 1,
		.key_min_tier = SEG_HIGH,
		.key_min_orders = 3,
		.key_min_history_months = 6,
		.auto_recompute = 1,
		.recompute_hour = 2,
	};
}

static int range(kf_err *e, const char *field, int v, int lo, int hi)
{
	if (v >= lo && v <= hi)
		return 0;
	return kf_fail(e, KF_EINVAL, field, "%s 应在 %d 到 %d 之间", "%s must be between %d and %d",
		       field, lo, hi);
}

int seg_settings_check(const struct seg_settings *s, kf_err *e)
{
	struct {
		const char *field;
		int v, lo, hi;
	} const rules[] = {
		{"window_months", s->window_months, 1, 120},
		{"inactive_months", s->inactive_months, 1, 120},
		{"rank_by", s->rank_by, SEG_BY_REVENUE, SEG_BY_MARGIN},
		{"top_pct", s->top_bp, 1, 10000},
		{"high_pct", s->high_bp, 0, 10000},
		{"mid_pct", s->mid_bp, 0, 10000},
		{"lifecycle_auto", s->lifecycle_auto, 0, 1},
		{"loyal_min_orders", s->loyal_min_orders, 1, 1000},
		{"loyal_min_r", s->loyal_min_r, 1, 5},
		{"loyal_min_f", s->loyal_min_f, 1, 5},
		{"temporary_max_orders", s->temporary_max_orders, 0, 1000},
		{"temporary_max_r", s->temporary_max_r, 0, 5},
		{"inactive_is_temporary", s->inactive_is_temporary, 0, 1},
		{"key_min_tier", s->key_min_tier, SEG_TOP, SEG_MID},
		{"key_min_orders", s->key_min_orders, 1, 1000},
		{"key_min_history_months", s->key_min_history_months, 0, 120},
		{"auto_recompute", s->auto_recompute, 0, 1},
		{"recompute_hour", s->recompute_hour, 0, 23},
	};
	for (size_t i = 0; i < KF_ARRAY_LEN(rules); i++)
		if (range(e, rules[i].field, rules[i].v, rules[i].lo, rules[i].hi) < 0)
			return KF_EINVAL;
	if (s->top_bp + s->high_bp + s->mid_bp > 10000)
		return kf_fail(e, KF_EINVAL, "mid_pct",
			       "顶层、高层、中层的比例之和不能超过 100%%",
			       "The top, high and middle shares together cannot exceed 100%%");
	return 0;
}

/* ---- calendar ---------------------------------------------------------------- */

#define DAY_MS 86400000LL
#define CST_MS (8LL * 3600000LL) /* China Standard Time, UTC+8, no DST since 1991 */

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int month_days(int64_t y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

int64_t seg_months_before(int64_t now_ms, int months)
{
	int64_t local = now_ms + CST_MS;
	int64_t day = floor_div(local, DAY_MS), tod = local - day * DAY_MS;
	int64_t y;
	int m, d;
	civil_from_days(day, &y, &m, &d);
	int64_t idx = y * 12 + (m - 1) - months;
	y = floor_div(idx, 12);
	m = (int)(idx - y * 12) + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	return days_from_civil(y, m, d) * DAY_MS + tod - CST_MS;
}

/* 00:00 China time of day d of month m of year y, both allowed to
 * overflow as in JavaScript's Date.UTC (month 0 is December of the year
 * before, day 0 the last day of the month before). */
static int64_t day_rolled(int64_t y, int m, int d)
{
	int64_t idx = y * 12 + (m - 1);
	int64_t yy = floor_div(idx, 12);
	int mm = (int)(idx - yy * 12) + 1;
	return (days_from_civil(yy, mm, 1) + d - 1) * DAY_MS - CST_MS;
}

void seg_presets(int64_t now_ms, struct seg_period out[SEG_NPRESETS])
{
	int64_t local = now_ms + CST_MS, day = floor_div(local, DAY_MS), y;
	int m, d;
	civil_from_days(day, &y, &m, &d);
	int64_t today = day * DAY_MS - CST_MS, tomorrow = today + DAY_MS;
	int q0 = (m - 1) / 3 * 3 + 1;
	out[0] = (struct seg_period){"last30", today - 29 * DAY_MS, tomorrow};
	out[1] = (struct seg_period){"last90", today - 89 * DAY_MS, tomorrow};
	out[2] = (struct seg_period){"thisQuarter", day_rolled(y, q0, 1), tomorrow};
	out[3] = (struct seg_period){"lastQuarter", day_rolled(y, q0 - 3, 1), day_rolled(y, q0, 1)};
	out[4] = (struct seg_period){"thisYear", day_rolled(y, 1, 1), tomorrow};
	out[5] = (struct seg_period){"last12m", day_rolled(y, m - 12, d + 1), tomorrow};
}

int64_t seg_day_ms(int64_t y, int m, int d)
{
	return days_from_civil(y, m, d) * DAY_MS - CST_MS;
}

int64_t seg_last_hour_at(int64_t now_ms, int hour)
{
	int64_t local = now_ms + CST_MS;
	int64_t at = floor_div(local, DAY_MS) * DAY_MS + hour * 3600000LL;
	if (at > local)
		at -= DAY_MS;
	return at - CST_MS;
}

int seg_parse_day(const char *s, int64_t *ms)
{
	int y, m, d, n = 0;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    s[4] != '-' || s[7] != '-' || y < 1970 || m < 1 || m > 12 || d < 1 ||
	    d > month_days(y, m))
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*ms = seg_day_ms(y, m, d);
	return 0;
}

void seg_format_day(int64_t ms, char out[11])
{
	int64_t y;
	int m, d;
	char tmp[40];
	civil_from_days(floor_div(ms + CST_MS, DAY_MS), &y, &m, &d);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", (int)(y % 10000), m, d);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

/* ---- ranking ----------------------------------------------------------------- */

struct keyed {
	int64_t key;
	size_t i;
};

static int by_key_desc(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

enum { FIELD_R, FIELD_F, FIELD_M, FIELD_MARGIN };

static void set_score(struct seg_result *o, int field, uint8_t q)
{
	if (field == FIELD_R)
		o->r = q;
	else if (field == FIELD_F)
		o->f = q;
	else
		o->m = q;
}

/* Scores k[0..n) (sorted best first) into out[].field: the quintile of
 * the middle of each tie group, counted from the bottom. */
static void quintiles(const struct keyed *k, size_t n, int field, struct seg_result *out)
{
	for (size_t j = 0; j < n;) {
		size_t e = j;
		while (e < n && k[e].key == k[j].key)
			e++;
		size_t equal = e - j, below = n - e;
		uint8_t q = (uint8_t)(1 + (2 * below + equal) * 5 / (2 * n));
		for (size_t t = j; t < e; t++)
			set_score(&out[k[t].i], field, q);
		j = e;
	}
}

static int pyramid_tier(const struct seg_settings *s, size_t ahead, size_t n, int64_t value)
{
	if (value <= 0)
		return SEG_LOW;
	/* ahead / n < share, in integers: no rounding at the cut-offs */
	uint64_t pos = (uint64_t)ahead * 10000;
	uint64_t top = (uint64_t)n * (uint64_t)s->top_bp;
	uint64_t high = top + (uint64_t)n * (uint64_t)s->high_bp;
	uint64_t mid = high + (uint64_t)n * (uint64_t)s->mid_bp;
	return pos < top ? SEG_TOP : pos < high ? SEG_HIGH : pos < mid ? SEG_MID : SEG_LOW;
}

/* Tiers of the active buyers k[0..n), sorted best first. */
static void pyramid(const struct keyed *k, size_t n, const struct seg_settings *s,
		    struct seg_result *out)
{
	for (size_t j = 0; j < n;) {
		size_t e = j;
		while (e < n && k[e].key == k[j].key)
			e++;
		int t = pyramid_tier(s, j, n, k[j].key);
		for (size_t x = j; x < e; x++)
			out[k[x].i].tier = (uint8_t)t;
		j = e;
	}
}

static int stage_of(const struct seg_cust *c, const struct seg_result *o,
		    const struct seg_settings *s)
{
	if (c->orders_total <= 0)
		return SEG_STAGE_POTENTIAL;
	int lapsed = s->inactive_is_temporary && o->tier == SEG_INACTIVE;
	if (!lapsed && c->orders_total >= s->loyal_min_orders && o->r >= s->loyal_min_r &&
	    o->f >= s->loyal_min_f)
		return SEG_STAGE_LOYAL;
	if (lapsed || c->orders_total <= s->temporary_max_orders || o->r <= s->temporary_max_r)
		return SEG_STAGE_TEMPORARY;
	return SEG_STAGE_GENERAL;
}

/* Sorts the buyers (orders_total > 0) by `field` into k; returns how many. */
static size_t sort_buyers(const struct seg_cust *c, size_t n, struct keyed *k, int field,
			  int active_only, int64_t inactive_before)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (c[i].orders_total <= 0 || (active_only && c[i].last_order_ms < inactive_before))
			continue;
		int64_t v = field == FIELD_R   ? c[i].last_order_ms
			  : field == FIELD_F ? c[i].orders
			  : field == FIELD_M ? c[i].revenue_fen
					     : c[i].margin_fen;
		k[m++] = (struct keyed){v, i};
	}
	if (m)
		qsort(k, m, sizeof(*k), by_key_desc);
	return m;
}

int segment_compute(const struct seg_cust *c, size_t n, const struct seg_settings *s,
		    int64_t now_ms, struct seg_result *out)
{
	struct keyed *k = malloc((n ? n : 1) * sizeof(*k));
	if (!k)
		return -1;
	int64_t inactive_before = seg_months_before(now_ms, s->inactive_months);
	int64_t history_before = seg_months_before(now_ms, s->key_min_history_months);
	if (n)
		memset(out, 0, n * sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i].tier = c[i].orders_total <= 0			 ? SEG_POTENTIAL
			      : c[i].last_order_ms < inactive_before ? SEG_INACTIVE
								      : SEG_LOW;
	size_t m = sort_buyers(c, n, k, s->rank_by == SEG_BY_MARGIN ? FIELD_MARGIN : FIELD_M, 1,
			       inactive_before);
	pyramid(k, m, s, out);
	for (int f = FIELD_R; f <= FIELD_M; f++) { /* over every buyer, active or not */
		m = sort_buyers(c, n, k, f, 0, 0);
		quintiles(k, m, f, out);
	}
	free(k);
	for (size_t i = 0; i < n; i++) {
		out[i].stage = (uint8_t)stage_of(&c[i], &out[i], s);
		out[i].key = c[i].orders_total > 0 && out[i].tier <= s->key_min_tier &&
			     c[i].orders_total >= s->key_min_orders &&
			     c[i].first_order_ms <= history_before;
	}
	return 0;
}

/* ---- Pareto ------------------------------------------------------------------ */

static int cmp_desc(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x > y ? -1 : x < y;
}

static double ratio(int64_t a, int64_t b)
{
	return b > 0 ? (double)a / (double)b : 0.0;
}

void seg_pareto(int64_t *values, size_t n, struct seg_pareto *out)
{
	memset(out, 0, sizeof(*out));
	if (n) /* values may be NULL when there are none */
		qsort(values, n, sizeof(*values), cmp_desc);
	int64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += values[i];
	out->customers = (int64_t)n;
	out->total = total;
	out->top20_customers = (int64_t)((n + 4) / 5);
	size_t steps = n <= SEG_PARETO_STEPS ? n : SEG_PARETO_STEPS;
	int64_t cum = 0;
	size_t taken = 0;
	for (size_t p = 0; p <= steps; p++) {
		/* k = ceil(n * p / steps): the smallest group reaching p percent */
		size_t want = steps ? (n * p + steps - 1) / steps : 0;
		while (taken < want)
			cum += values[taken++];
		out->points[p] = (struct seg_pareto_point){(int64_t)want, cum, ratio((int64_t)want, (int64_t)n),
							   ratio(cum, total)};
	}
	out->npoints = steps + 1;
	cum = 0;
	for (size_t i = 0; i < n; i++) {
		cum += values[i];
		if ((int64_t)i + 1 == out->top20_customers)
			out->top20_value = cum;
		/* cum / total >= 80%, in integers */
		if (total > 0 && !out->customers_80 && (__int128)cum * 5 >= (__int128)total * 4)
			out->customers_80 = (int64_t)i + 1;
	}
	out->top20_share = ratio(out->top20_value, total);
	out->customers_80_share = ratio(out->customers_80, (int64_t)n);
}

/* ---- migration --------------------------------------------------------------- */

void seg_migration_init(struct seg_migration *m)
{
	memset(m, 0, sizeof(*m));
}

int seg_tier_direction(int from, int to)
{
	if (from < 0 || from >= SEG_NTIERS || to < 0 || to >= SEG_NTIERS || from == to)
		return 0;
	return to < from ? 1 : -1;
}

void seg_migration_add(struct seg_migration *m, int from, int to)
{
	if (from < 0 || from >= SEG_MIG_FROM || to < 0 || to >= SEG_NTIERS)
		return;
	m->flow[from][to]++;
	if (from == SEG_MIG_NEW)
		return;
	int d = seg_tier_direction(from, to);
	if (d > 0)
		m->up++;
	else if (d < 0)
		m->down++;
	else
		m->same++;
}
