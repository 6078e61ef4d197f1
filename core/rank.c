/* rank.c - the words of a text as an any-of plan, and BM25 (rank.h). */
#include "core/rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/common.h"

/* Words of customer-service text that say nothing about the subject. */
static const char *const stopwords[] = {
	"您好", "你好", "谢谢", "感谢", "请问", "麻烦", "我们", "你们", "他们", "您们", "自己",
	"我的", "你的", "您的", "他的", "她的", "已经是",
	"这个", "那个", "这些", "那些", "什么", "怎么", "怎么办", "为什么", "可以", "已经",
	"没有", "就是", "还是", "但是", "因为", "所以", "如果", "然后", "现在", "一下", "一个",
	"一直", "不是", "知道", "觉得", "时候", "问题", "情况", "客服", "这样", "那样", "还有",
	"或者", "而且", "以及", "the", "and", "for", "you", "your", "are", "with", "this", "that",
	"please", "thanks", "thank", "hello",
};

int rank_stopword(const char *word)
{
	for (size_t i = 0; i < KF_ARRAY_LEN(stopwords); i++)
		if (!strcmp(word, stopwords[i]))
			return 1;
	return 0;
}

struct cand {
	struct tok_group g;
	int count, len, first;
	int word; /* an ICU word (else only a bigram of the text) */
};

struct plan_ctx {
	struct cand *c;
	int n, cap, seen;
	int cjk_chars;
};

/* Characters that make a bigram a grammatical one (的手, 了吗), not a word. */
static const char *const function_chars[] = {"的", "了", "是", "我", "你", "他", "她", "它", "们",
					     "吗", "呢", "吧", "啊", "这", "那", "在", "和", "与",
					     "就", "也", "都", "很", "还", "又", "么", "呀", "哦",
					     "嗯", "把", "被", "给", "让", "对", "说", "有", "没",
					     "不", "一", "个", NULL};

static int has_function_char(const char *bigram)
{
	for (const char *const *f = function_chars; *f; f++)
		if (strstr(bigram, *f))
			return 1;
	return 0;
}

static int cand_add(struct plan_ctx *p, const struct tok_group *g, int len, int word)
{
	for (int i = 0; i < p->n; i++) {
		struct tok_group *h = &p->c[i].g;
		int same = h->kind == g->kind && h->n == g->n;
		for (int k = 0; same && k < g->n; k++)
			same = !strcmp(h->tok[k], g->tok[k]);
		if (same) {
			p->c[i].count++;
			p->c[i].word |= word;
			return 0;
		}
	}
	if (p->n == p->cap) {
		int cap = p->cap ? p->cap * 2 : 32;
		struct cand *c = realloc(p->c, (size_t)cap * sizeof(*c));
		if (!c)
			return -1;
		p->c = c;
		p->cap = cap;
	}
	p->c[p->n++] = (struct cand){*g, 1, len, p->seen++, word};
	return 0;
}

/* A CJK word "#w" as the phrase of its bigrams. */
static int cjk_word(struct plan_ctx *p, const char *w, int len)
{
	char word[TOK_MAX_BYTES + 4];
	memcpy(word, w, (size_t)len);
	word[len] = '\0';
	if (rank_stopword(word))
		return 0;
	struct tok_group g = {.kind = TOKQ_PHRASE, .cjk = 1};
	int offs[TOK_MAX_BYTES + 1], nch = 0;
	for (int i = 0; i < len && nch < TOK_MAX_BYTES; i++)
		if (((unsigned char)word[i] & 0xC0) != 0x80)
			offs[nch++] = i;
	offs[nch] = len;
	for (int i = 0; i + 1 < nch && g.n < TOK_MAX_PHRASE; i++) {
		int a = offs[i], b = offs[i + 2];
		memcpy(g.tok[g.n], word + a, (size_t)(b - a));
		g.tok[g.n++][b - a] = '\0';
	}
	if (g.n == 1)
		g.kind = TOKQ_TERM;
	return g.n ? cand_add(p, &g, nch, 1) : 0;
}

static int plan_cb(void *ctx, const tok *t)
{
	struct plan_ctx *p = ctx;
	if (t->kind == TOK_CJKWORD)
		return cjk_word(p, t->text + 1, t->len - 1);
	if (t->kind == TOK_BIGRAM || t->kind == TOK_UNIGRAM)
		p->cjk_chars++;
	if (t->kind == TOK_BIGRAM) {
		/* ICU does not always see a word (退货 in 退货运费 became 退|货运),
		 * so bigrams are candidates too; which are kept is decided at the
		 * end, when their counts are known. */
		struct tok_group g = {.kind = TOKQ_TERM, .cjk = 1, .n = 1};
		memcpy(g.tok[0], t->text, (size_t)t->len);
		g.tok[0][t->len] = '\0';
		if (has_function_char(g.tok[0]) || rank_stopword(g.tok[0]))
			return 0;
		return cand_add(p, &g, 2, 0);
	}
	if (t->kind != TOK_WORD || t->len < 2)
		return 0;
	struct tok_group g = {.kind = TOKQ_TERM, .n = 1};
	memcpy(g.tok[0], t->text, (size_t)t->len);
	g.tok[0][t->len] = '\0';
	if (rank_stopword(g.tok[0]))
		return 0;
	/* Numbers alone (dates, amounts) suggest little unless long (models). */
	int digits = 1;
	for (int i = 0; i < t->len; i++)
		digits &= t->text[i] >= '0' && t->text[i] <= '9';
	if (digits && t->len < 4)
		return 0;
	return cand_add(p, &g, t->len, 1);
}

static int cand_cmp(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	if (a->count != b->count)
		return b->count - a->count;
	if (a->len != b->len)
		return b->len - a->len;
	return a->first - b->first;
}

enum { SHORT_TEXT = 30 }; /* CJK characters */

int rank_plan(const char *text, size_t len, struct tok_query *q)
{
	memset(q, 0, sizeof(*q));
	q->any = 1;
	struct plan_ctx p = {0};
	int rc = tok_run(text, len, 0, plan_cb, &p);
	if (rc == 0) {
		if (p.n) /* qsort of a NULL array is undefined even for 0 items */
			qsort(p.c, (size_t)p.n, sizeof(*p.c), cand_cmp);
		/* A bigram that is no ICU word stays if it recurs, or if the
		 * text is short (a subject line: every pair may be the word). */
		for (int i = 0; i < p.n && q->ngroups < TOK_MAX_GROUPS; i++)
			if (p.c[i].word || p.c[i].count >= 2 || p.cjk_chars <= SHORT_TEXT)
				q->group[q->ngroups++] = p.c[i].g;
	}
	free(p.c);
	return rc < 0 ? -1 : 0;
}

double rank_bm25(const double *tf, const int *df, int ngroups, long ndocs, double dl, double avgdl)
{
	const double k1 = 1.2, b = 0.75;
	double score = 0, norm = avgdl > 0 ? dl / avgdl : 1;
	for (int g = 0; g < ngroups; g++) {
		if (tf[g] <= 0)
			continue;
		double idf = log(1.0 + ((double)ndocs - df[g] + 0.5) / (df[g] + 0.5));
		score += idf * tf[g] * (k1 + 1) / (tf[g] + k1 * (1 - b + b * norm));
	}
	return score;
}
