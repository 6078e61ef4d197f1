/* satisfaction.h - the measures of satisfaction (DOMAIN §4), pure:
 * the score scales of a survey's questions, CSAT / NPS / effort over a
 * tally of answers, what counts as a low score, the expectation gap
 * (perceived − expected), the period a campaign sends in, and the
 * one-time survey tokens (an HMAC of the invitation id under the
 * installation's secret, so a tampered link is refused before any lookup).
 *
 * Rates are basis points (10000 = 100 %), averages hundredths, both
 * rounded to the nearest with halves away from zero. */
#ifndef KF_CORE_SATISFACTION_H
#define KF_CORE_SATISFACTION_H

#include <stddef.h>
#include <stdint.h>

/* The kinds of question a template may ask. */
enum sat_kind { SAT_CSAT, SAT_NPS, SAT_EFFORT, SAT_SINGLE, SAT_MULTIPLE, SAT_TEXT, SAT_NKINDS };

/* -1 for an unknown name. */
int sat_kind_parse(const char *name);
const char *sat_kind_name(int kind);
/* The scale of a scored kind in [*lo, *hi]; -1 for a kind without one. */
int sat_scale(int kind, int *lo, int *hi);

/* Answers counted per value; a value outside its scale is ignored. */
struct sat_tally {
	int64_t csat[6];    /* 1..5 */
	int64_t nps[11];    /* 0..10 */
	int64_t effort[8];  /* 1..7 */
};
/* Counts one response; -1 for a measure not answered. */
void sat_add(struct sat_tally *t, int csat, int nps, int effort);
void sat_merge(struct sat_tally *into, const struct sat_tally *t);

struct sat_scores {
	int64_t csat_n, satisfied;                    /* satisfied: 4 or 5 */
	int64_t nps_n, promoters, passives, detractors; /* 9-10, 7-8, 0-6 */
	int64_t effort_n;
	/* valid only when the matching n > 0 */
	int64_t csat_bp;   /* satisfied / csat_n */
	int64_t nps_bp;    /* (promoters − detractors) / nps_n, −10000..10000 */
	int64_t effort_x100; /* the mean, 100..700 */
};
void sat_scores(const struct sat_tally *t, struct sat_scores *s);

/* num * 10000 / den (or * 100) rounded half away from zero; den > 0. */
int64_t sat_ratio_bp(int64_t num, int64_t den);

/* A score that opens a follow-up: CSAT <= 2 or NPS <= 6 (-1: not answered). */
int sat_is_low(int csat, int nps);

/* The expectation gap of one attribute: perceived − expected (−4..4). */
int sat_gap(int expected, int perceived);
/* A gap large enough to act on (a follow-up is raised). */
#define SAT_GAP_ALERT (-2)

/* The label of the period containing a local day (days since 1970-01-01)
 * for a campaign's period: "once" → "once", "monthly" → "2026-11",
 * "quarterly" → "2026-Q4", "yearly" → "2026".  NULL for an unknown period;
 * out has room for 16 bytes. */
const char *sat_period_label(const char *period, int32_t day, char out[16]);

/* Tokens: "<id>-<32 hex of HMAC-SHA256(secret, "survey:<id>")>" (no dot:
 * the web server treats a last path segment with a dot as a file).  The
 * secret is any string (the installation's, from settings). */
enum { SAT_TOKEN_MAX = 64 };
void sat_token_make(const char *secret, int64_t id, char out[SAT_TOKEN_MAX]);
/* 0 with *id when the token is well formed and its MAC matches; -1 when
 * malformed, -2 when the MAC does not match (tampered).  Constant time in
 * the MAC comparison. */
int sat_token_check(const char *secret, const char *token, int64_t *id);

#endif
