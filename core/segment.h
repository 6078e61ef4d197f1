/* segment.h - customer value segmentation (DOMAIN §1, §6): the 80/20
 * Pareto curve, the customer pyramid, RFM scores, the lifecycle stage
 * derived from them, and the key-account suggestion.
 *
 * Pure: it works on arrays of per-customer aggregates that the caller
 * builds (app/segment_job.c does it with one GROUP BY over orders), so
 * every rule can be tested without a database.  Nothing here does I/O;
 * segment_compute and seg_pareto allocate scratch memory and free it
 * before returning.
 *
 * Ties are treated alike everywhere: customers with equal values get the
 * same tier and the same score, whatever their order in the input.
 *  - Pyramid: a buyer's rank is the number of buyers with a strictly
 *    greater value ("competition ranking"), so a tie at a cut-off goes up.
 *  - RFM: a score is the quintile of the tie group's middle position,
 *    1 + floor(5 * (below + equal/2) / n); one customer alone scores 3,
 *    and n distinct values split exactly into fifths when 5 divides n. */
#ifndef KF_CORE_SEGMENT_H
#define KF_CORE_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Tiers, best first; codes are those of the "tier" set in core/classes.c. */
enum seg_tier { SEG_TOP, SEG_HIGH, SEG_MID, SEG_LOW, SEG_INACTIVE, SEG_POTENTIAL, SEG_NTIERS };
/* Lifecycle stages; codes are those of the "lifecycle" set. */
enum seg_stage { SEG_STAGE_POTENTIAL, SEG_STAGE_TEMPORARY, SEG_STAGE_GENERAL, SEG_STAGE_LOYAL,
		 SEG_NSTAGES };
/* What ranks buyers in the pyramid. */
enum seg_by { SEG_BY_REVENUE, SEG_BY_MARGIN };

const char *seg_tier_code(int tier);
/* The tier with this code, or -1. */
int seg_tier_parse(const char *code);
const char *seg_stage_code(int stage);
int seg_stage_parse(const char *code);

/* The rules, as an administrator configures them.  Shares are in basis
 * points (1% = 100) so that cut-offs like 0.5% are exact. */
struct seg_settings {
	int window_months;   /* revenue, margin and frequency are counted over this */
	int inactive_months; /* a buyer with no order for this long is inactive */
	int rank_by;         /* enum seg_by */
	int top_bp, high_bp, mid_bp; /* top 1%, next 4%, next 15%; the rest of the buyers: low */
	int lifecycle_auto;  /* the recompute writes the lifecycle (else it only suggests) */
	/* loyal: at least loyal_min_orders orders ever, R >= loyal_min_r, F >= loyal_min_f */
	int loyal_min_orders, loyal_min_r, loyal_min_f;
	/* temporary: at most temporary_max_orders orders ever, or R <= temporary_max_r
	 * (0 turns the recency rule off), or inactive when inactive_is_temporary;
	 * everyone else who bought is general */
	int temporary_max_orders, temporary_max_r, inactive_is_temporary;
	/* key account suggested: tier at or above key_min_tier, at least key_min_orders
	 * orders ever, the first one at least key_min_history_months ago */
	int key_min_tier, key_min_orders, key_min_history_months;
	/* the jobs thread recomputes once a day at this hour, China time */
	int auto_recompute, recompute_hour;
};

void seg_settings_default(struct seg_settings *s);
/* 0, or KF_EINVAL naming the first field out of range (the JSON key). */
int seg_settings_check(const struct seg_settings *s, kf_err *e);

/* One customer's aggregates.  A customer with orders_total == 0 never
 * bought (the other fields are then ignored). */
struct seg_cust {
	int64_t id;
	int64_t revenue_fen;   /* sum of amounts in the window */
	int64_t margin_fen;    /* sum of the margins known in the window */
	int64_t orders;        /* orders in the window */
	int64_t orders_total;  /* orders ever */
	int64_t first_order_ms;
	int64_t last_order_ms;
};

/* What segment_compute decides for one customer. */
struct seg_result {
	uint8_t tier;  /* enum seg_tier */
	uint8_t r, f, m; /* 1..5; 0 for a customer who never bought */
	uint8_t stage; /* enum seg_stage */
	uint8_t key;   /* 1 when the rules suggest a key account */
};

/* The instant `months` calendar months before now_ms, in China time
 * (UTC+8, no daylight saving): the same day of the month and time of day,
 * clamped to the month's last day (31 May - 3 months = 29 Feb in a leap
 * year).  months >= 0. */
int64_t seg_months_before(int64_t now_ms, int months);
/* 00:00 China time of a calendar date (m 1..12, d 1..31, not checked). */
int64_t seg_day_ms(int64_t y, int m, int d);
/* The last instant at or before now_ms that is hour:00 China time. */
int64_t seg_last_hour_at(int64_t now_ms, int hour);
/* Parses "YYYY-MM-DD" (a real date) into 00:00 China time of that day;
 * returns 0 or -1. */
int seg_parse_day(const char *s, int64_t *ms);
/* "YYYY-MM-DD" of the China date of ms, into out[11]. */
void seg_format_day(int64_t ms, char out[11]);

/* The report periods a supervisor picks from (the web UI's presets, same
 * names and days): whole China days, [from, to) in ms, `to` the start of
 * the day after the last one.  The recompute stores the report figures of
 * each as of its run, so the pages answer them without scanning orders. */
enum { SEG_NPRESETS = 6 };
struct seg_period {
	const char *name; /* last30 last90 thisQuarter lastQuarter thisYear last12m */
	int64_t from, to;
};
void seg_presets(int64_t now_ms, struct seg_period out[SEG_NPRESETS]);

/* Segments n customers: out[i] is for c[i].  Recency is the last order,
 * frequency and monetary value the orders and revenue in the window;
 * scores and tiers are relative to the buyers given.  Returns 0, or -1
 * if scratch memory could not be allocated. */
int segment_compute(const struct seg_cust *c, size_t n, const struct seg_settings *s,
		    int64_t now_ms, struct seg_result *out);

/* The Pareto curve of a population: customers sorted by value, best
 * first; x the share of customers, y the share of the total value. */
enum { SEG_PARETO_STEPS = 100 };

struct seg_pareto_point {
	int64_t customers; /* the best `customers` customers ... */
	int64_t value;     /* ... bring this much */
	double x, y;       /* customers / n, value / total (0 when total <= 0) */
};

struct seg_pareto {
	int64_t customers; /* n */
	int64_t total;     /* sum of the values */
	int64_t top20_customers; /* ceil(n / 5) */
	int64_t top20_value;
	double top20_share;  /* top20_value / total; 0 when total <= 0 */
	int64_t customers_80;  /* fewest customers bringing >= 80% of the total (0 if total <= 0) */
	double customers_80_share; /* customers_80 / n */
	size_t npoints;
	/* n + 1 points (k = 0..n) when n <= SEG_PARETO_STEPS, else one per
	 * percent of customers: k = ceil(n * p / 100), p = 0..100. */
	struct seg_pareto_point points[SEG_PARETO_STEPS + 1];
};

/* Fills out from n values (sorted in place, largest first).  Values may
 * be negative (a margin): the curve may then pass above 1. */
void seg_pareto(int64_t *values, size_t n, struct seg_pareto *out);

/* Tier migration: counts of customers by (tier before, tier after).  The
 * extra "from" state SEG_MIG_NEW is for customers created after the
 * start of the period. */
enum { SEG_MIG_NEW = SEG_NTIERS, SEG_MIG_FROM = SEG_NTIERS + 1 };

struct seg_migration {
	int64_t flow[SEG_MIG_FROM][SEG_NTIERS];
	int64_t up, down, same; /* moved to a better tier, a worse one, stayed */
};

void seg_migration_init(struct seg_migration *m);
/* Adds one customer; from may be SEG_MIG_NEW (counted in neither up nor
 * down).  Tiers out of range are ignored. */
void seg_migration_add(struct seg_migration *m, int from, int to);
/* Whether moving from -> to is a move up (1), down (-1) or neither (0). */
int seg_tier_direction(int from, int to);

#endif
