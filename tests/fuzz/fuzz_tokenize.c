/* fuzz_tokenize.c - core/tokenize.c and core/tok_query.c: the Chinese
 * tokenizer behind both search backends, and the query plans written for
 * FTS5 and PostgreSQL.
 *
 * Invariants: tokens are valid UTF-8 of at most TOK_MAX_BYTES (+1 for the
 * '#' of a CJK word), their spans lie inside the text in order, positions
 * never go back; tok_fit's prefix gives the same tokens; the normalised
 * text is valid UTF-8; the FTS5 and tsquery strings are valid UTF-8 and,
 * read back with their quoting rules, hold exactly the plan's tokens in
 * order with nothing but operators between them (no injection into the
 * MATCH or tsquery syntax); match spans lie inside the text, in order. */
#include "tests/fuzz/fuzz.h"

#include "core/tokenize.h"

struct run {
	size_t len;
	int last_pos, n;
	int below; /* tokens at positions below this go into the digest */
	int max_seen;
	uint64_t digest;
};

static int on_tok(void *ctx, const tok *t)
{
	struct run *r = ctx;
	int max = TOK_MAX_BYTES + (t->kind == TOK_CJKWORD ? 1 : 0);
	FUZZ_CHECK(t->len > 0 && t->len <= max, "token of %d bytes", t->len);
	FUZZ_CHECK(fuzz_utf8_ok(t->text, (size_t)t->len), "token is not UTF-8");
	FUZZ_CHECK(t->start >= 0 && t->start < t->end && (size_t)t->end <= r->len,
		   "span %d..%d of %zu", t->start, t->end, r->len);
	FUZZ_CHECK(t->pos >= r->last_pos, "position %d after %d", t->pos, r->last_pos);
	/* mid == start when one written character normalises to two (NFKC: ヿ → コト) */
	FUZZ_CHECK(t->kind != TOK_BIGRAM || (t->mid >= t->start && t->mid < t->end),
		   "bigram middle %d outside %d..%d", t->mid, t->start, t->end);
	r->last_pos = t->pos;
	r->max_seen = t->pos > r->max_seen ? t->pos : r->max_seen;
	if (t->pos >= r->below || t->kind == TOK_CJKWORD)
		return 0;
	r->n++;
	for (int i = 0; i < t->len; i++)
		r->digest = (r->digest ^ (unsigned char)t->text[i]) * 1099511628211ULL;
	r->digest = (r->digest ^ (uint64_t)(t->pos * 31 + t->start)) * 1099511628211ULL;
	return 0;
}

#define RUN(len, below) {(len), 0, 0, (below), -1, 1469598103934665603ULL}

/* Reads the quoted strings of a query back (q: the quote character; the
 * quote doubles; with backslash set, a backslash escapes the next byte)
 * into toks, checking that only the bytes of ops appear between them. */
static int unquote(const char *s, char q, int backslash, const char *ops, char toks[][TOK_MAX_BYTES + 8],
		   int max)
{
	int n = 0;
	while (*s) {
		if (*s != q) {
			FUZZ_CHECK(strchr(ops, *s), "byte %02x outside quotes in a query", (unsigned char)*s);
			s++;
			continue;
		}
		s++;
		FUZZ_CHECK(n < max, "too many tokens");
		size_t k = 0;
		for (;;) {
			FUZZ_CHECK(*s, "unterminated quote");
			if (*s == q && s[1] == q) {
				s += 2;
				toks[n][k++] = q;
			} else if (*s == q) {
				s++;
				break;
			} else if (backslash && *s == '\\') {
				FUZZ_CHECK(s[1], "backslash at the end");
				toks[n][k++] = s[1];
				s += 2;
			} else {
				toks[n][k++] = *s++;
			}
			FUZZ_CHECK(k < TOK_MAX_BYTES + 6, "quoted token too long");
		}
		toks[n++][k] = 0;
	}
	return n;
}

static char got[TOK_MAX_GROUPS * TOK_MAX_PHRASE * 2][TOK_MAX_BYTES + 8];

static void check_plan(const struct tok_query *q, const buf *b, char quote, int backslash,
		       const char *ops, int dedup)
{
	FUZZ_CHECK(fuzz_utf8_ok(b->data ? b->data : "", b->len), "query is not UTF-8");
	int n = unquote(b->data ? b->data : "", quote, backslash, ops, got,
			(int)(sizeof(got) / sizeof(got[0])));
	int k = 0;
	for (int g = 0; g < q->ngroups; g++)
		for (int i = 0; i < q->group[g].n; i++) {
			int dup = 0;
			for (int h = 0; dedup && h < k; h++)
				dup |= !strcmp(got[h], q->group[g].tok[i]);
			if (dup)
				continue;
			FUZZ_CHECK(k < n, "query has %d tokens, the plan more", n);
			FUZZ_CHECK(!strcmp(got[k], q->group[g].tok[i]), "token [%s] read back as [%s]",
				   q->group[g].tok[i], got[k]);
			k++;
		}
	FUZZ_CHECK(k == n, "query has %d tokens, the plan %d", n, k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct run r = RUN(size, INT32_MAX);
	int max_pos = 1 + (size ? data[0] % 40 : 0); /* tok_fit takes a limit; 0 fits nothing */

	FUZZ_CHECK(tok_run(text, size, 0, on_tok, &r) == 0, "tok_run failed");

	/* The prefix tok_fit keeps has tokens below max_pos only, the same as
	 * the whole text's but near the cut (tokenize.h): the last position, or
	 * the last few when the written character at the cut normalises to
	 * several (㍿ → 株式会社), all of them lost with it. */
	struct run lim = RUN(size, max_pos);
	FUZZ_CHECK(tok_run(text, size, max_pos, on_tok, &lim) == 0, "tok_run failed");
	FUZZ_CHECK(lim.max_seen < max_pos, "position %d with max_pos %d", lim.max_seen, max_pos);
	long fit = tok_fit(text, size, max_pos);
	FUZZ_CHECK(fit >= 0 && (size_t)fit <= size, "tok_fit %ld of %zu", fit, size);
	struct run pre = RUN((size_t)fit, max_pos);
	FUZZ_CHECK(tok_run(text, (size_t)fit, 0, on_tok, &pre) == 0, "tok_run failed");
	FUZZ_CHECK(pre.max_seen < max_pos, "the prefix has position %d, max_pos %d", pre.max_seen,
		   max_pos);
	FUZZ_CHECK(pre.max_seen >= lim.max_seen - 18, "the prefix keeps %d positions of %d",
		   pre.max_seen + 1, lim.max_seen + 1);
	struct run lim2 = RUN(size, pre.max_seen), pre2 = RUN((size_t)fit, pre.max_seen);
	FUZZ_CHECK(tok_run(text, size, max_pos, on_tok, &lim2) == 0, "tok_run failed");
	FUZZ_CHECK(tok_run(text, (size_t)fit, 0, on_tok, &pre2) == 0, "tok_run failed");
	FUZZ_CHECK(pre2.n == lim2.n && pre2.digest == lim2.digest,
		   "the prefix tok_fit gives has other tokens before its last position (%d vs %d)",
		   pre2.n, lim2.n);

	buf b;
	buf_init(&b, 64 << 20);
	FUZZ_CHECK(tok_normalize(text, size, &b) == 0, "tok_normalize failed");
	FUZZ_CHECK(fuzz_utf8_ok(b.data ? b.data : "", b.len), "normalised text is not UTF-8");
	buf_release(&b);

	static struct tok_query q;
	FUZZ_CHECK(tok_query_parse(text, size, &q) == 0, "tok_query_parse failed");
	FUZZ_CHECK(q.ngroups >= 0 && q.ngroups <= TOK_MAX_GROUPS, "%d groups", q.ngroups);
	for (int any = 0; any < 2; any++) {
		q.any = any;
		buf_init(&b, 1 << 20);
		FUZZ_CHECK(tok_query_fts5(&q, &b) == 0, "fts5 failed");
		check_plan(&q, &b, '"', 0, " ANDOR+*", 0);
		buf_release(&b);
		buf_init(&b, 1 << 20);
		FUZZ_CHECK(tok_query_tsquery(&q, &b) == 0, "tsquery failed");
		check_plan(&q, &b, '\'', 1, " &|()<->:*", 0);
		buf_release(&b);
	}
	buf_init(&b, 1 << 20);
	FUZZ_CHECK(tok_query_tsquery_rank(&q, &b) == 0, "tsquery_rank failed");
	check_plan(&q, &b, '\'', 1, " |:*", 1);
	buf_release(&b);

	q.any = 0;
	struct tok_span sp[8];
	int ns = tok_match_spans(&q, text, size, 0, sp, 8);
	FUZZ_CHECK(ns >= 0, "tok_match_spans failed");
	for (int i = 0; i < ns && i < 8; i++) {
		FUZZ_CHECK(sp[i].start >= 0 && sp[i].start < sp[i].end && (size_t)sp[i].end <= size,
			   "span %d..%d", sp[i].start, sp[i].end);
		FUZZ_CHECK(i == 0 || sp[i].start >= sp[i - 1].end, "spans overlap or go back");
	}
	int counts[TOK_MAX_GROUPS], npos;
	FUZZ_CHECK(tok_count_groups(&q, text, size, counts, &npos) == 0, "tok_count_groups failed");
	int total = 0;
	for (int g = 0; g < q.ngroups; g++) {
		FUZZ_CHECK(counts[g] >= 0, "count %d", counts[g]);
		total += counts[g];
	}
	FUZZ_CHECK(ns == 0 || total > 0, "%d spans but no group counted", ns);
	return 0;
}
