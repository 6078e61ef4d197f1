/* demo.h - a deterministic generator of realistic Chinese demo customers.
 *
 * `kefu demo --customers N` fills a fresh database so the product can be
 * shown and measured with data that looks like a real company's: common
 * surnames at their real frequency, real provinces, cities and districts,
 * carrier mobile prefixes, and a transaction history in which about 20% of
 * the customers bring most of the revenue (DOMAIN §1).
 *
 * Pure: no I/O, no allocation, no global mutable state.  Customer number i
 * depends only on (seed, i, now_ms), so customers can be generated in any
 * order, in parallel, and again later with the same result on any platform
 * (only integer arithmetic is used).  Every string is NUL-terminated UTF-8
 * that fits its array. */
#ifndef KF_CORE_DEMO_H
#define KF_CORE_DEMO_H

#include <stdint.h>

/* splitmix64: any seed, including 0, is a good seed. */
struct demo_rng {
	uint64_t s;
};

void demo_seed(struct demo_rng *r, uint64_t seed);
uint64_t demo_next(struct demo_rng *r);
/* Uniform in [0, n) without modulo bias (Lemire); 0 when n is 0. */
uint64_t demo_below(struct demo_rng *r, uint64_t n);

/* Orders lie in [now_ms - DEMO_HISTORY_MS, now_ms]. */
#define DEMO_HISTORY_MS (1095LL * 86400000LL)
/* Phones are unique for the first DEMO_PHONE_SPACE indexes of a seed (40
 * carrier prefixes x 10^8 numbers); past that they repeat. */
#define DEMO_PHONE_SPACE 4000000000ULL
/* A key account ("key") is judged over the whole history, not one order:
 * at least two orders in DEMO_HISTORY_MS that add up to this much (4-5% of
 * customers). */
#define DEMO_KEY_REVENUE_FEN 3000000LL /* 30,000 元 */

struct demo_order {
	char order_no[32];     /* "SO20260314-000123": the date in China time,
	                        * then index * DEMO_MAX_ORDERS + j + 1, so
	                        * no two orders share a number */
	char product[96];
	int64_t amount_fen;    /* 50 元 .. 500,000 元 */
	int64_t margin_fen;    /* 5% .. 40% of amount_fen */
	int64_t ordered_at_ms; /* UTC ms; orders are sorted oldest first */
};

enum { DEMO_MAX_ORDERS = 12 };

struct demo_customer {
	char name[64];        /* person: 2-3 character name; org: = company */
	char kind[16];        /* "person" (~75%) or "organization" */
	char company[96];     /* person: employer, may be ""; org: its name */
	char industry[32];    /* of the employer or the organisation; "" for a
	                       * person without employer */
	char address[160];    /* 省市区 + road + number (+ building, room) */
	char phone[20];       /* "+861[3-9]XXXXXXXXX", unique per index */
	char email[96];       /* ~50%, else "" */
	char wechat[32];      /* ~33%, else "" */
	char birthday[11];    /* "YYYY-MM-DD" for ~60% of persons, else "" */
	char source[16];      /* "external" or "internal" (~8%) */
	char lifecycle[16];   /* "potential", "temporary", "general", "loyal" */
	char chain_role[16];  /* "intermediate", "terminal", "public" */
	char value_class[16]; /* "key" or "ordinary" */
	char hobbies[64];     /* 0-2 hobbies joined by "、" (persons only) */
	char tags[3][16];
	int ntags;
	struct demo_order orders[DEMO_MAX_ORDERS];
	int norders;          /* 0 for potential customers */
};

/* Fills c with customer number `index` (0-based).  The same
 * (seed, index, now_ms) always gives the same customer. */
void demo_customer(uint64_t seed, uint64_t index, int64_t now_ms, struct demo_customer *c);

#endif
