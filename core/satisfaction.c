/* satisfaction.c - see satisfaction.h. */
#include "core/satisfaction.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/bizcal.h"
#include "lib/common.h"

static const char *const kind_names[SAT_NKINDS] = {"csat",   "nps",      "effort",
						   "single", "multiple", "text"};

int sat_kind_parse(const char *name)
{
	for (int i = 0; name && i < SAT_NKINDS; i++)
		if (!strcmp(kind_names[i], name))
			return i;
	return -1;
}

const char *sat_kind_name(int kind)
{
	return kind >= 0 && kind < SAT_NKINDS ? kind_names[kind] : NULL;
}

int sat_scale(int kind, int *lo, int *hi)
{
	switch (kind) {
	case SAT_CSAT:
		*lo = 1, *hi = 5;
		return 0;
	case SAT_NPS:
		*lo = 0, *hi = 10;
		return 0;
	case SAT_EFFORT:
		*lo = 1, *hi = 7;
		return 0;
	default:
		return -1;
	}
}

void sat_add(struct sat_tally *t, int csat, int nps, int effort)
{
	if (csat >= 1 && csat <= 5)
		t->csat[csat]++;
	if (nps >= 0 && nps <= 10)
		t->nps[nps]++;
	if (effort >= 1 && effort <= 7)
		t->effort[effort]++;
}

void sat_merge(struct sat_tally *into, const struct sat_tally *t)
{
	for (int i = 0; i < 6; i++)
		into->csat[i] += t->csat[i];
	for (int i = 0; i < 11; i++)
		into->nps[i] += t->nps[i];
	for (int i = 0; i < 8; i++)
		into->effort[i] += t->effort[i];
}

int64_t sat_ratio_bp(int64_t num, int64_t den)
{
	int64_t x = num * 10000, q = x / den, rem = x % den;
	/* halves away from zero: compare twice the remainder with the divisor */
	if (rem < 0)
		rem = -rem;
	if (2 * rem >= den)
		q += x < 0 ? -1 : 1;
	return q;
}

void sat_scores(const struct sat_tally *t, struct sat_scores *s)
{
	memset(s, 0, sizeof(*s));
	for (int v = 1; v <= 5; v++) {
		s->csat_n += t->csat[v];
		if (v >= 4)
			s->satisfied += t->csat[v];
	}
	for (int v = 0; v <= 10; v++) {
		s->nps_n += t->nps[v];
		if (v >= 9)
			s->promoters += t->nps[v];
		else if (v >= 7)
			s->passives += t->nps[v];
		else
			s->detractors += t->nps[v];
	}
	int64_t sum = 0;
	for (int v = 1; v <= 7; v++) {
		s->effort_n += t->effort[v];
		sum += t->effort[v] * v;
	}
	if (s->csat_n)
		s->csat_bp = sat_ratio_bp(s->satisfied, s->csat_n);
	if (s->nps_n)
		s->nps_bp = sat_ratio_bp(s->promoters - s->detractors, s->nps_n);
	if (s->effort_n) { /* hundredths: sum * 100 / n, rounded half up (all positive) */
		int64_t x = sum * 100, q = x / s->effort_n;
		if (2 * (x % s->effort_n) >= s->effort_n)
			q++;
		s->effort_x100 = q;
	}
}

int sat_is_low(int csat, int nps)
{
	return (csat >= 1 && csat <= 2) || (nps >= 0 && nps <= 6);
}

int sat_gap(int expected, int perceived)
{
	return perceived - expected;
}

const char *sat_period_label(const char *period, int32_t day, char out[16])
{
	int y, m, d;
	bizcal_civil_from_days(day, &y, &m, &d);
	if (!period || y < 0 || y > 9999)
		return NULL;
	unsigned short yy = (unsigned short)y, mm = (unsigned short)m;
	if (!strcmp(period, "once"))
		snprintf(out, 16, "once");
	else if (!strcmp(period, "monthly"))
		snprintf(out, 16, "%04hu-%02hu", yy, (unsigned short)(mm % 100));
	else if (!strcmp(period, "quarterly"))
		snprintf(out, 16, "%04hu-Q%hu", yy, (unsigned short)((mm + 2) / 3 % 10));
	else if (!strcmp(period, "yearly"))
		snprintf(out, 16, "%04hu", yy);
	else
		return NULL;
	return out;
}

enum { MAC_HEX = 32 };

static void mac_hex(const char *secret, int64_t id, char out[MAC_HEX + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char msg[40];
	int n = snprintf(msg, sizeof(msg), "survey:%lld", (long long)id);
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, (unsigned long long)n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, MAC_HEX + 1, mac, MAC_HEX / 2);
}

void sat_token_make(const char *secret, int64_t id, char out[SAT_TOKEN_MAX])
{
	char mac[MAC_HEX + 1];
	mac_hex(secret, id, mac);
	snprintf(out, SAT_TOKEN_MAX, "%lld-%s", (long long)id, mac);
}

int sat_token_check(const char *secret, const char *token, int64_t *id)
{
	if (!token)
		return -1;
	const char *dot = strchr(token, '-');
	if (!dot || dot == token || dot - token > 18 || strlen(dot + 1) != MAC_HEX)
		return -1;
	int64_t v = 0;
	for (const char *p = token; p < dot; p++) {
		if (*p < '0' || *p > '9' || (p == token && *p == '0'))
			return -1;
		v = v * 10 + (*p - '0');
	}
	for (const char *p = dot + 1; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return -1;
	char want[MAC_HEX + 1];
	mac_hex(secret, v, want);
	if (sodium_memcmp(want, dot + 1, MAC_HEX) != 0)
		return -2;
	*id = v;
	return 0;
}
