#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/classes.h"
#include "core/demo.h"
#include "core/phone.h"
#include "core/validate.h"

#define NOW_MS 1773446400000LL /* 2026-03-14 00:00:00 UTC */
#define SEED 20260314u
#define SAMPLE 20000

/* ---- helpers ------------------------------------------------------------ */

/* 1 if s[0..n) is well-formed UTF-8: no overlong forms, no surrogates,
 * nothing above U+10FFFF, no stray continuation bytes. */
static int utf8_ok(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The field is NUL-terminated inside its array and valid UTF-8.  With
 * headroom, it also leaves at least one byte unused, which shows that the
 * generator did not have to cut it. */
static void check_field(const char *f, size_t cap, int headroom)
{
	const char *nul = memchr(f, '\0', cap);
	assert_non_null(nul);
	size_t len = (size_t)(nul - f);
	assert_true(utf8_ok(f, len));
	if (headroom)
		assert_true(len + 1 < cap);
}

#define CHECK(field, headroom) check_field((field), sizeof(field), (headroom))

/* y-m-d of day z since 1970-01-01, counted the slow way, as a check on the
 * generator's closed-form conversion. */
static void civil_slow(int64_t z, int *y, int *m, int *d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	*y = 1970;
	for (;;) {
		int leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
		if (z < 365 + leap)
			break;
		z -= 365 + leap;
		(*y)++;
	}
	int leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	for (*m = 1;; (*m)++) {
		int md = mdays[*m - 1] + (*m == 2 && leap);
		if (z < md)
			break;
		z -= md;
	}
	*d = (int)z + 1;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int cmp_desc(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x < y) - (x > y);
}

/* ---- the random numbers --------------------------------------------------- */

static void rng_matches_splitmix64(void **state)
{
	(void)state;
	struct demo_rng r;
	demo_seed(&r, 0);
	/* the published first outputs of splitmix64 seeded with 0 */
	assert_true(demo_next(&r) == 0xE220A8397B1DCDAFULL);
	assert_true(demo_next(&r) == 0x6E789E6AA1B965F4ULL);
	assert_true(demo_next(&r) == 0x06C45D188009454FULL);
}

static void below_is_in_range_and_even(void **state)
{
	(void)state;
	struct demo_rng r;
	demo_seed(&r, 42);
	assert_true(demo_below(&r, 0) == 0);
	for (int i = 0; i < 1000; i++) {
		assert_true(demo_below(&r, 1) == 0);
		assert_true(demo_below(&r, 7) < 7);
		assert_true(demo_below(&r, (1ULL << 63) + 1) <= (1ULL << 63));
		assert_true(demo_below(&r, UINT64_MAX) < UINT64_MAX);
	}
	/* 6 buckets of 60,000 draws: each within 3% of 10,000 */
	unsigned counts[6] = {0};
	for (int i = 0; i < 60000; i++)
		counts[demo_below(&r, 6)]++;
	for (int i = 0; i < 6; i++)
		assert_true(counts[i] > 9700 && counts[i] < 10300);
	/* a bound just above 2^63 is where modulo would be most biased:
	 * the upper half must come up about half the time */
	unsigned upper = 0;
	for (int i = 0; i < 10000; i++)
		upper += demo_below(&r, (1ULL << 63) + (1ULL << 62)) >= (1ULL << 62) * 3 / 2;
	assert_true(upper > 4700 && upper < 5300);
}

/* ---- customers ------------------------------------------------------------- */

static void same_inputs_same_customer(void **state)
{
	(void)state;
	struct demo_customer *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	assert_non_null(a);
	assert_non_null(b);
	for (uint64_t i = 0; i < 2000; i += 7) {
		demo_customer(SEED, i, NOW_MS, a);
		memset(b, 0x5a, sizeof(*b)); /* whatever b held must not matter */
		demo_customer(SEED, i, NOW_MS, b);
		assert_memory_equal(a, b, sizeof(*a));
	}
	/* another order of calls gives the same customer */
	demo_customer(SEED, 5, NOW_MS, a);
	demo_customer(SEED, 999, NOW_MS, b);
	demo_customer(SEED, 5, NOW_MS, b);
	assert_memory_equal(a, b, sizeof(*a));
	/* other seeds and indexes give other customers */
	demo_customer(SEED + 1, 5, NOW_MS, b);
	assert_string_not_equal(a->phone, b->phone);
	demo_customer(SEED, 6, NOW_MS, b);
	assert_string_not_equal(a->phone, b->phone);
	free(a);
	free(b);
}

static int phone_format_ok(const char *p)
{
	return strlen(p) == 14 && !strncmp(p, "+861", 4) && p[4] >= '3' && p[4] <= '9' &&
	       all_digits(p + 3, 11);
}

static void phones_are_unique_and_mobile(void **state)
{
	(void)state;
	enum { N = 200000, SLOTS = 1 << 19 };
	uint64_t *set = calloc(SLOTS, sizeof(*set));
	struct demo_customer *c = malloc(sizeof(*c));
	assert_non_null(set);
	assert_non_null(c);
	for (uint64_t i = 0; i < N; i++) {
		demo_customer(SEED, i, NOW_MS, c);
		assert_true(phone_format_ok(c->phone));
		uint64_t v = strtoull(c->phone + 3, NULL, 10); /* 11 digits, never 0 */
		size_t h = (size_t)((v * 0x9E3779B97F4A7C15ULL) >> 45) & (SLOTS - 1);
		while (set[h]) {
			if (set[h] == v)
				fail_msg("index %llu repeats phone %s", (unsigned long long)i, c->phone);
			h = (h + 1) & (SLOTS - 1);
		}
		set[h] = v;
	}
	/* the mapping is one-to-one on the whole space, so far indexes too */
	char seen[2][20];
	demo_customer(SEED, DEMO_PHONE_SPACE - 1, NOW_MS, c);
	memcpy(seen[0], c->phone, sizeof(seen[0]));
	demo_customer(SEED, DEMO_PHONE_SPACE - 2, NOW_MS, c);
	memcpy(seen[1], c->phone, sizeof(seen[1]));
	assert_true(phone_format_ok(seen[0]) && phone_format_ok(seen[1]));
	assert_string_not_equal(seen[0], seen[1]);
	free(set);
	free(c);
}

static void strings_are_utf8_and_fit(void **state)
{
	(void)state;
	struct demo_customer *c = malloc(sizeof(*c));
	assert_non_null(c);
	for (uint64_t i = 0; i < SAMPLE; i++) {
		memset(c, 0xff, sizeof(*c)); /* no stale NUL can hide a missing one */
		demo_customer(SEED, i, NOW_MS, c);
		CHECK(c->name, 1);
		CHECK(c->kind, 0);
		CHECK(c->company, 1);
		CHECK(c->industry, 0);
		CHECK(c->address, 1);
		CHECK(c->phone, 1);
		CHECK(c->email, 1);
		CHECK(c->wechat, 1);
		CHECK(c->birthday, 0);
		CHECK(c->source, 0);
		CHECK(c->lifecycle, 0);
		CHECK(c->chain_role, 0);
		CHECK(c->value_class, 0);
		CHECK(c->hobbies, 1);
		assert_true(c->ntags >= 0 && c->ntags <= 3);
		for (int t = 0; t < c->ntags; t++) {
			CHECK(c->tags[t], 0);
			assert_true(c->tags[t][0] != '\0');
			for (int u = 0; u < t; u++)
				assert_string_not_equal(c->tags[t], c->tags[u]);
		}
		assert_true(c->norders >= 0 && c->norders <= DEMO_MAX_ORDERS);
		for (int j = 0; j < c->norders; j++) {
			CHECK(c->orders[j].order_no, 0);
			CHECK(c->orders[j].product, 1);
			assert_true(c->orders[j].product[0] != '\0');
		}

		int person = !strcmp(c->kind, "person");
		assert_true(person || !strcmp(c->kind, "organization"));
		if (person) {
			size_t n = utf8_chars(c->name);
			assert_true(n >= 2 && n <= 3);
			assert_true(strlen(c->name) == 3 * n); /* all Chinese */
		} else {
			assert_string_equal(c->name, c->company);
			assert_true(c->industry[0] != '\0');
			assert_true(c->hobbies[0] == '\0' && c->birthday[0] == '\0');
		}
		assert_true(c->company[0] != '\0' || c->industry[0] == '\0');
		assert_true(strstr(c->address, "市") && strstr(c->address, "号"));
	}
	free(c);
}

/* What the API accepts from a person typing, the demo must produce. */
static void accepted_by_the_api_checks(void **state)
{
	(void)state;
	struct demo_customer *c = malloc(sizeof(*c));
	assert_non_null(c);
	for (uint64_t i = 0; i < SAMPLE; i++) {
		demo_customer(SEED, i, NOW_MS, c);
		assert_int_equal(class_check("kind", "kind", c->kind, NULL), 0);
		assert_int_equal(class_check("source", "source", c->source, NULL), 0);
		assert_int_equal(class_check("lifecycle", "lifecycle", c->lifecycle, NULL), 0);
		assert_int_equal(class_check("chain_role", "chain_role", c->chain_role, NULL), 0);
		assert_int_equal(class_check("value_class", "value_class", c->value_class, NULL), 0);
		assert_true(phone_is_cn_mobile(c->phone));
		if (c->email[0] && !valid_email(c->email))
			fail_msg("invalid e-mail %s", c->email);
		if (c->birthday[0] && !valid_date(c->birthday))
			fail_msg("invalid birthday %s", c->birthday);
	}
	free(c);
}

static void orders_are_sane(void **state)
{
	(void)state;
	struct demo_customer *c = malloc(sizeof(*c));
	assert_non_null(c);
	const int64_t nows[] = {NOW_MS, 1700000000123LL};
	for (size_t w = 0; w < sizeof(nows) / sizeof(nows[0]); w++) {
		int64_t now = nows[w];
		for (uint64_t i = 0; i < SAMPLE; i++) {
			demo_customer(SEED, i, now, c);
			if (!strcmp(c->lifecycle, "potential"))
				assert_int_equal(c->norders, 0);
			else
				assert_true(c->norders >= 1);
			for (int j = 0; j < c->norders; j++) {
				const struct demo_order *o = &c->orders[j];
				assert_true(o->ordered_at_ms >= now - DEMO_HISTORY_MS);
				assert_true(o->ordered_at_ms <= now);
				if (j > 0)
					assert_true(o->ordered_at_ms >= c->orders[j - 1].ordered_at_ms);
				assert_true(o->amount_fen >= 5000 && o->amount_fen <= 50000000);
				assert_true(o->margin_fen > 0 && o->margin_fen < o->amount_fen);
				assert_true(o->margin_fen * 100 >= o->amount_fen * 5 - 100);
				assert_true(o->margin_fen * 100 <= o->amount_fen * 40);

				/* SO + the China-time date + '-' + a number unique per seed */
				const char *no = o->order_no;
				assert_true(strlen(no) >= 17);
				assert_true(!strncmp(no, "SO", 2) && all_digits(no + 2, 8) && no[10] == '-');
				assert_true(all_digits(no + 11, strlen(no + 11)));
				assert_true(strtoull(no + 11, NULL, 10) == i * DEMO_MAX_ORDERS + (uint64_t)j + 1);
				int y, m, d;
				civil_slow((o->ordered_at_ms + 8 * 3600000LL) / 86400000LL, &y, &m, &d);
				char want[9];
				want[0] = (char)('0' + y / 1000), want[1] = (char)('0' + y / 100 % 10);
				want[2] = (char)('0' + y / 10 % 10), want[3] = (char)('0' + y % 10);
				want[4] = (char)('0' + m / 10), want[5] = (char)('0' + m % 10);
				want[6] = (char)('0' + d / 10), want[7] = (char)('0' + d % 10);
				want[8] = '\0';
				assert_memory_equal(no + 2, want, 8);
			}
		}
	}
	free(c);
}

static void distribution_looks_like_a_real_company(void **state)
{
	(void)state;
	struct demo_customer *c = malloc(sizeof(*c));
	int64_t *totals = calloc(SAMPLE, sizeof(*totals));
	assert_non_null(c);
	assert_non_null(totals);
	int persons = 0, key = 0, email = 0, wechat = 0, birthday = 0, internal = 0, wang = 0;
	int lifecycle[4] = {0};
	static const char *const stages[] = {"potential", "temporary", "general", "loyal"};
	int64_t revenue = 0, key_revenue = 0;
	for (uint64_t i = 0; i < SAMPLE; i++) {
		demo_customer(SEED, i, NOW_MS, c);
		int person = !strcmp(c->kind, "person");
		persons += person;
		key += !strcmp(c->value_class, "key");
		email += c->email[0] != '\0';
		wechat += c->wechat[0] != '\0';
		birthday += person && c->birthday[0] != '\0';
		internal += !strcmp(c->source, "internal");
		wang += person && !strncmp(c->name, "王", strlen("王"));
		for (int s = 0; s < 4; s++)
			lifecycle[s] += !strcmp(c->lifecycle, stages[s]);
		for (int j = 0; j < c->norders; j++)
			totals[i] += c->orders[j].amount_fen;
		revenue += totals[i];
		if (!strcmp(c->value_class, "key"))
			key_revenue += totals[i];
	}
	assert_true(persons > SAMPLE * 70 / 100 && persons < SAMPLE * 80 / 100);
	assert_true(key >= SAMPLE * 2 / 100 && key <= SAMPLE * 10 / 100);
	assert_true(email > SAMPLE * 40 / 100 && email < SAMPLE * 60 / 100);
	assert_true(wechat > SAMPLE * 25 / 100 && wechat < SAMPLE * 42 / 100);
	assert_true(birthday > persons * 50 / 100 && birthday < persons * 70 / 100);
	assert_true(internal > SAMPLE * 3 / 100 && internal < SAMPLE * 15 / 100);
	assert_true(wang > persons * 5 / 100 && wang < persons * 11 / 100);
	for (int s = 0; s < 4; s++)
		if (s != 2)
			assert_true(lifecycle[2] > lifecycle[s]);
	assert_true(lifecycle[2] >= SAMPLE * 60 / 100 && lifecycle[2] <= SAMPLE * 80 / 100);
	assert_true(lifecycle[0] > 0 && lifecycle[1] > 0 && lifecycle[3] > 0);

	/* the 80/20 rule: the top fifth holds most of the revenue */
	qsort(totals, SAMPLE, sizeof(*totals), cmp_desc);
	int64_t top = 0;
	for (int i = 0; i < SAMPLE / 5; i++)
		top += totals[i];
	assert_true(top * 100 >= revenue * 60);
	/* and key accounts, a few percent of customers, bring a large share */
	assert_true(key_revenue * 100 >= revenue * 25);
	free(totals);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rng_matches_splitmix64),
		cmocka_unit_test(below_is_in_range_and_even),
		cmocka_unit_test(same_inputs_same_customer),
		cmocka_unit_test(phones_are_unique_and_mobile),
		cmocka_unit_test(strings_are_utf8_and_fit),
		cmocka_unit_test(accepted_by_the_api_checks),
		cmocka_unit_test(orders_are_sane),
		cmocka_unit_test(distribution_looks_like_a_real_company),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
