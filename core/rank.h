/* rank.h - relevance of a few candidate documents to a text, for the
 * knowledge base's suggestions: the words of the text as an any-of plan,
 * and BM25 computed in C.
 *
 * Both database backends find the same candidates (documents containing
 * any word of the plan); ranking them here, rather than with FTS5's bm25
 * or PostgreSQL's ts_rank (which has no inverse document frequency),
 * makes suggestions identical on both.  Pure: no I/O. */
#ifndef KF_CORE_RANK_H
#define KF_CORE_RANK_H

#include <stddef.h>

#include "core/tokenize.h"

/* Field weights of a document's term frequencies. */
#define RANK_W_TITLE 4.0
#define RANK_W_BODY 1.0
#define RANK_W_EXTRA 2.0

/* The plan of a text's meaningful words, matching any of them: each ICU
 * word of two or more CJK characters as the phrase of its bigrams (so a
 * document matches whatever ICU made of its own text), each other word of
 * two or more characters as a term, and CJK bigrams that are no ICU word
 * when they recur or the text is short (ICU misses words: 退货 in
 * 退货运费); common words (您好, 我们, 问题...) and grammatical bigrams
 * (的手) left out; the most frequent (then longest, then first) when there
 * are more than TOK_MAX_GROUPS.  q->any is set.  0 or -1. */
int rank_plan(const char *text, size_t len, struct tok_query *q);

/* 1 if a normalised word is too common to suggest anything. */
int rank_stopword(const char *word);

/* BM25 (k1 = 1.2, b = 0.75) of one document: tf[g] its weighted
 * frequency of group g, df[g] the number of documents containing g among
 * ndocs, dl its length and avgdl the average length, in token positions. */
double rank_bm25(const double *tf, const int *df, int ngroups, long ndocs, double dl, double avgdl);

#endif
