/* fuzz_bizcal.c - core/bizcal.c: the business calendar file format
 * (docs/calendars/cn-2026.txt and the like) and the business-minute arithmetic on what it
 * defines.
 *
 * Invariants: a refusal's message is valid UTF-8; a file that parses formats into text that parses again to
 * the same calendar (hours and dated days, names included), and that
 * formats to the same text; the text is valid UTF-8 when the input was;
 * bizcal_format's length answer is exact; and for a calendar with working
 * time, bizcal_between(start, bizcal_add(start, m)) == m. */
#include "tests/fuzz/fuzz.h"

#include "core/bizcal.h"

enum { CAP = 2048 };

static struct bizcal_day st1[CAP], st2[CAP];

static void same(const struct bizcal *a, const struct bizcal *b, const char *text)
{
	for (int w = 0; w < 7; w++) {
		FUZZ_CHECK(a->nhours[w] == b->nhours[w], "weekday %d: %d vs %d intervals\n%s", w + 1,
			   a->nhours[w], b->nhours[w], text);
		for (int i = 0; i < a->nhours[w]; i++)
			FUZZ_CHECK(a->hours[w][i].start == b->hours[w][i].start &&
					   a->hours[w][i].end == b->hours[w][i].end,
				   "weekday %d interval %d differs\n%s", w + 1, i, text);
	}
	FUZZ_CHECK(a->ndays == b->ndays, "%zu vs %zu days\n%s", a->ndays, b->ndays, text);
	for (size_t i = 0; i < a->ndays; i++) {
		FUZZ_CHECK(a->days[i].day == b->days[i].day && a->days[i].kind == b->days[i].kind,
			   "day %zu differs\n%s", i, text);
		FUZZ_CHECK(!strcmp(a->days[i].name, b->days[i].name), "name [%s] became [%s]\n%s",
			   a->days[i].name, b->days[i].name, text);
	}
}

static char *format(const struct bizcal *c)
{
	size_t n = bizcal_format(c, NULL, 0);
	char *s = malloc(n + 1);
	FUZZ_CHECK(s, "malloc");
	FUZZ_CHECK(bizcal_format(c, s, n + 1) == n && strlen(s) == n, "format length");
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	struct bizcal a, b;
	int line = 0;
	kf_err e;
	kf_err_clear(&e);
	bizcal_init(&a, st1, CAP);
	if (bizcal_parse(&a, text, &line, &e) != 0) {
		FUZZ_CHECK(e.code < 0 && line >= 0, "error %d at line %d", e.code, line);
		/* the API sends the message as JSON: it must be UTF-8 whatever the file */
		FUZZ_CHECK(fuzz_utf8_str(e.zh) && fuzz_utf8_str(e.en), "message is not UTF-8: %s", e.en);
		free(text);
		return 0;
	}
	char *f1 = format(&a);
	if (fuzz_utf8_str(text))
		FUZZ_CHECK(fuzz_utf8_str(f1), "formatted text is not UTF-8\n%s", f1);

	bizcal_init(&b, st2, CAP);
	kf_err_clear(&e);
	int rc = bizcal_parse(&b, f1, &line, &e);
	FUZZ_CHECK(rc == 0, "formatted calendar does not parse (line %d: %s)\n%s", line, e.en, f1);
	same(&a, &b, f1);
	char *f2 = format(&b);
	FUZZ_CHECK(!strcmp(f1, f2), "format is not stable\n%s\n--\n%s", f1, f2);

	if (bizcal_has_hours(&a)) {
		/* start and minutes from the input's bytes, within a few years of 2026 */
		uint64_t h = 1469598103934665603ULL;
		for (size_t i = 0; i < size; i++)
			h = (h ^ data[i]) * 1099511628211ULL;
		int64_t start = 29000000 + (int64_t)(h % 3000000);
		int64_t minutes = (int64_t)((h >> 32) % 200000);
		int64_t end;
		kf_err_clear(&e);
		if (bizcal_add(&a, start, minutes, &end, &e) == 0) {
			FUZZ_CHECK(end >= start, "add went back");
			int64_t between = bizcal_between(&a, start, end);
			FUZZ_CHECK(between == minutes, "add %lld gave %lld business minutes",
				   (long long)minutes, (long long)between);
			FUZZ_CHECK(bizcal_between(&a, end, start) == -minutes, "between is not antisymmetric");
		}
	}
	free(f1);
	free(f2);
	free(text);
	return 0;
}
