/* tokenize.h - kefu's own tokenizer for Chinese and mixed text, the one
 * source of search tokens for both backends (SQLite FTS5 through a custom
 * tokenizer, PostgreSQL through a tsvector built from the same tokens).
 *
 * Normalisation, per code point (so byte offsets into the original text
 * survive for highlighting): NFKC with case folding (full-width Ａ１！ become
 * a1!, Latin letters lower case) and traditional → simplified Chinese by
 * ICU's "Traditional-Simplified" transliterator, applied through a table of
 * the CJK ideographs it changes, built once per process (ICU maps every
 * ideograph one to one, so a table gives its exact result; ~35 ms at first
 * use, then a lookup per character instead of ~7 µs per sentence).
 *
 * Segmentation: ICU word boundaries (ubrk, locale zh) over the normalised
 * text.  Then:
 *   - a word of Latin letters, digits or another spaced script is one token
 *     (TOK_WORD), cut to TOK_MAX_BYTES;
 *   - consecutive CJK characters (Han and kana) form a run c1..cn; every
 *     character position i gets one token: the bigram c(i)c(i+1) for i < n
 *     (TOK_BIGRAM), and for the last character the unigram c(n)
 *     (TOK_UNIGRAM).  Bigrams make two-character words (投诉, 断线) and
 *     sub-word queries (诉处 across 投诉|处理) match whatever ICU's
 *     dictionary decided; the unigram makes single characters findable by
 *     prefix (every character starts a bigram or is the unigram);
 *   - every ICU word of two or more CJK characters is also reported as a
 *     token "#word" (TOK_CJKWORD), co-located with the bigram where it
 *     starts, for callers that want ICU's words (suggestions choose the
 *     words of a text by them).  The search indexes do not store them and
 *     queries do not use them: ranking whole-word hits (和平 in 世界和平
 *     above 和平 in 和平台) with them made queries three times slower at a
 *     million cases (an OR per query word), for a small gain.
 * Positions count one per character of a run and one per word, so a CJK
 * query run becomes a phrase of its bigrams at consecutive positions: the
 * query matches exactly the texts that contain it as a substring.
 *
 * Queries (tok_query_*) are tokenized by the same function and then
 * grouped: each Latin/number word is a required term, each CJK run of two
 * or more characters a required phrase of its bigrams, a single CJK
 * character a required prefix term.  tok_query_fts5 and tok_query_tsquery write
 * that plan for each backend; matching is "every required group is in the
 * document" on both, so both find the same records.
 *
 * Thread safety: every function may be called from any thread; each
 * thread keeps its own ICU break iterator and scratch buffers (freed when
 * the thread exits, or by tok_thread_release).  No I/O. */
#ifndef KF_CORE_TOKENIZE_H
#define KF_CORE_TOKENIZE_H

#include <stddef.h>

#include "lib/buf.h"

enum {
	TOK_MAX_BYTES = 64,      /* longer words are cut (at a character boundary) */
	TOK_MAX_INPUT = 4 << 20, /* longer texts are tokenized up to here */
	TOK_MAX_GROUPS = 16,     /* query groups kept; the rest of a query is ignored */
	TOK_MAX_PHRASE = 32,     /* bigrams in one query phrase */
};

enum tok_kind { TOK_WORD, TOK_BIGRAM, TOK_UNIGRAM, TOK_CJKWORD };

typedef struct tok {
	const char *text; /* normalised UTF-8, not NUL-terminated */
	int len;          /* bytes of text */
	int start, end;   /* byte span in the original text */
	int mid;          /* TOK_BIGRAM: where its second character starts (== start when
			   * one written character normalises to both); else end */
	int pos;          /* 0-based position; co-located tokens share one */
	int colocated;    /* 1 for TOK_CJKWORD: same position as the token before */
	enum tok_kind kind;
} tok;

/* Called for each token in order; a non-zero return stops tokenizing and
 * is returned by tok_run.  t and its text are valid during the call only. */
typedef int (*tok_cb)(void *ctx, const tok *t);

/* Tokenizes len bytes of text (invalid UTF-8 counts as separators) until
 * max_pos positions have been given out (<= 0: no limit).  Returns 0, the
 * callback's non-zero value, or -1 if ICU failed or memory ran out. */
int tok_run(const char *text, size_t len, int max_pos, tok_cb cb, void *ctx);

/* The byte length of the longest prefix of text whose tokens all have a
 * position below max_pos (max_pos >= 1): text cut there gives the tokens
 * tok_run gives the whole text with that max_pos, except at the last
 * position, where a CJK run that the cut shortens ends in a unigram where
 * the whole text has a bigram (the next character is not in the prefix),
 * and but for the "#word" tokens, which follow ICU's reading of the whole
 * run.  The cut is at a written character: when the one at the limit
 * normalises to several positions (㍿ → 株式会社), all of them go.
 * len if it all fits; -1 on error. */
long tok_fit(const char *text, size_t len, int max_pos);

/* Normalises text as the tokenizer does (for tests and for lexicons that
 * compare normalised forms); appends NUL-terminated UTF-8 to out. */
int tok_normalize(const char *text, size_t len, buf *out);

/* ---- queries ---- */

enum tok_group_kind { TOKQ_TERM, TOKQ_PHRASE, TOKQ_PREFIX };

struct tok_group {
	enum tok_group_kind kind;
	int cjk;                        /* made of CJK characters (bigrams, unigram) */
	int n;                          /* tokens: 1 for TERM and PREFIX */
	char tok[TOK_MAX_PHRASE][TOK_MAX_BYTES + 4];
};

struct tok_query {
	int any;                         /* match any group (suggestions) rather than all */
	int ngroups;                     /* 0: nothing searchable in the text */
	struct tok_group group[TOK_MAX_GROUPS];
};

/* Builds the plan of a query text.  Returns 0 (q->ngroups may be 0) or -1. */
int tok_query_parse(const char *text, size_t len, struct tok_query *q);

/* An FTS5 MATCH expression for the plan, for a table whose tokenizer is
 * kefu's (which takes each quoted string of a query as one token):
 * "a" AND "b1" + "b2" AND "c"*; with q->any set, "a" OR "b1" + "b2" OR ... */
int tok_query_fts5(const struct tok_query *q, buf *out);
/* A PostgreSQL tsquery literal for the same plan, to be cast with
 * CAST(? AS tsquery): 'a' & ('b1' <-> 'b2') & 'c':*; with q->any,
 * 'a' | ('b1' <-> 'b2') | ... */
int tok_query_tsquery(const struct tok_query *q, buf *out);

/* The tsquery PostgreSQL ranks with (ts_rank): every token of the plan
 * joined by | ('a' | 'b1' | 'b2' | 'c':*).  ts_rank of an OR sums the
 * tokens' weighted frequencies, as kefu_rank does on SQLite
 * (store/fts_sqlite.h); ts_rank of the matching query itself would rank by
 * distances between the groups instead. */
int tok_query_tsquery_rank(const struct tok_query *q, buf *out);

/* ---- documents for PostgreSQL ---- */

/* Appends the tokens of text (but "#word"s) to a tsvector literal under
 * construction: every token with its positions (offset + pos + 1, PostgreSQL counts
 * from 1) and weight letter ('A'..'D'; 'D' writes none).  Call
 * tok_tsvector_begin, then _add once per field with increasing offsets
 * that leave a gap of at least 2 between fields (so no phrase spans two
 * fields, as in FTS5 where phrases stay within a column), then _end. */
struct tok_tsv;
struct tok_tsv *tok_tsvector_begin(void);
int tok_tsvector_add(struct tok_tsv *v, const char *text, size_t len, int max_pos, int offset,
		     char weight);
/* Writes the literal into out and frees v. */
int tok_tsvector_end(struct tok_tsv *v, buf *out);

/* ---- matching, for snippets ---- */

struct tok_span {
	int start, end; /* bytes in the original text */
};

/* Finds where the required groups of q occur in text (tokenized with
 * max_pos): up to max spans, in text order, overlapping spans merged.
 * Returns the number found, or -1. */
int tok_match_spans(const struct tok_query *q, const char *text, size_t len, int max_pos,
		    struct tok_span *spans, int max);

/* How often each group of q occurs in text: counts[g] for g < ngroups,
 * and *npos the number of token positions of the text.  0 or -1. */
int tok_count_groups(const struct tok_query *q, const char *text, size_t len, int *counts,
		     int *npos);

/* Frees the calling thread's ICU iterator and buffers now. */
void tok_thread_release(void);

#endif
