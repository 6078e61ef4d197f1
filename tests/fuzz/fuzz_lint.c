/* fuzz_lint.c - the text checks run on what agents and customers write:
 * the service-language checker (core/lint.c) and the emotion classifier
 * (core/emotion.c).
 *
 * Input: "PHRASE\nTEXT".  PHRASE becomes an admin's custom rule and an
 * exception to a built-in one (lint_set_add copies both), TEXT is checked.
 * Invariants: findings lie inside the text, start before they end, come in
 * text order and (for UTF-8 input, as the API takes it) do not start inside
 * a character; the total does not
 * depend on how many findings the caller has room for; the classifier's
 * probabilities are a distribution whose maximum is the label and its
 * confidence; cues are at most EMO_MAX_CUES, with valid UTF-8 text. */
#include "tests/fuzz/fuzz.h"

#include <math.h>

#include "core/emotion.h"
#include "core/lint.h"

/* utf8: the text and the admin's phrases are valid UTF-8, as the API
 * makes them; then findings start at character boundaries. */
static void check_lint(const struct lint_set *s, const char *text, size_t len, int utf8)
{
	struct lint_finding f[32];
	int n = lint_check(s, text, len, f, 32);
	FUZZ_CHECK(n >= 0, "lint_check %d", n);
	for (int i = 0; i < n && i < 32; i++) {
		FUZZ_CHECK(f[i].rule && f[i].rule->id, "finding without a rule");
		FUZZ_CHECK(f[i].start >= 0 && f[i].start < f[i].end && (size_t)f[i].end <= len,
			   "finding %d..%d of %zu", f[i].start, f[i].end, len);
		FUZZ_CHECK(!utf8 || ((unsigned char)text[f[i].start] & 0xC0) != 0x80,
			   "finding starts inside a character");
		FUZZ_CHECK(i == 0 || f[i].start >= f[i - 1].start, "findings out of order");
	}
	struct lint_finding one;
	FUZZ_CHECK(lint_check(s, text, len, &one, 1) == n, "total depends on room");
	FUZZ_CHECK(lint_check(s, text, len, NULL, 0) == n, "total depends on room");
}

/* utf8: the text is valid UTF-8 (as the API takes it); then so are the
 * cues quoted from it. */
static void check_emotion(const char *text, size_t len, int utf8)
{
	struct emotion_result r;
	emotion_classify(text, len, &r);
	FUZZ_CHECK(r.label >= 0 && r.label < EMO__COUNT, "label %d", r.label);
	double sum = 0;
	for (int e = 0; e < EMO__COUNT; e++) {
		FUZZ_CHECK(r.prob[e] >= 0 && r.prob[e] <= 1 && !isnan(r.prob[e]), "p[%d] = %g", e,
			   r.prob[e]);
		FUZZ_CHECK(r.prob[e] <= r.prob[r.label] + 1e-12, "label is not the most probable");
		sum += r.prob[e];
	}
	FUZZ_CHECK(fabs(sum - 1) < 1e-9, "probabilities sum to %g", sum);
	FUZZ_CHECK(r.confidence == r.prob[r.label], "confidence %g", r.confidence);
	FUZZ_CHECK(r.ncues >= 0 && r.ncues <= EMO_MAX_CUES, "%d cues", r.ncues);
	for (int i = 0; i < r.ncues; i++) {
		FUZZ_CHECK(memchr(r.cues[i].text, 0, sizeof(r.cues[i].text)), "cue not terminated");
		FUZZ_CHECK(!utf8 || fuzz_utf8_str(r.cues[i].text), "cue [%s] is not UTF-8",
			   r.cues[i].text);
		FUZZ_CHECK(r.cues[i].emotion >= 0 && r.cues[i].emotion < EMO__COUNT && r.cues[i].what,
			   "cue %d", i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lint_set *builtin;
	if (!builtin)
		builtin = lint_set_new();
	char *phrase, *text;
	fuzz_split(data, size, '\n', &phrase, &text);
	/* the text may hold NULs: lint and emotion take a length */
	const uint8_t *nl = memchr(data, '\n', size);
	const char *t = nl ? (const char *)nl + 1 : "";
	size_t len = nl ? size - (size_t)(nl + 1 - data) : 0;

	int utf8 = fuzz_utf8_ok((const char *)data, size);
	check_lint(builtin, t, len, utf8);
	struct lint_set *s = lint_set_new();
	FUZZ_CHECK(s, "lint_set_new");
	if (*phrase) {
		lint_set_add(s, "custom", "trigger", phrase, LINT_WARNING, "请改用积极表达", "Say it positively");
		lint_set_add(s, "custom", "exception", phrase, LINT_INFO, NULL, NULL);
		int nb;
		const struct lint_rule_info *b = lint_builtin(&nb);
		if (nb > 0) {
			lint_set_add(s, b[(unsigned char)phrase[0] % nb].id, "trigger", phrase, LINT_ERROR, NULL, NULL);
			lint_set_add(s, b[(unsigned char)phrase[0] % nb].id, "exception", text, LINT_ERROR, NULL, NULL);
			if (phrase[0] & 1)
				lint_set_add(s, b[0].id, "disable", "", LINT_ERROR, NULL, NULL);
		}
	}
	check_lint(s, t, len, utf8);
	lint_set_free(s);

	check_emotion(t, len, utf8);
	check_emotion((const char *)data, size, utf8);
	free(phrase);
	free(text);
	return 0;
}
