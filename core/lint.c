/* lint.c - the rules of the service-language checker and the matcher
 * (see lint.h). */
#include "core/lint.h"

#include <stdlib.h>
#include <string.h>

#include "lib/common.h"

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Praise that "不过/但是/可是" would cancel, and those conjunctions. */
static const char *const praise[] = {
	"很好",   "不错",   "非常好", "很棒",   "说得对", "说的对", "有道理", "很有道理",
	"很理解", "理解您", "感谢您", "谢谢您", "建议很好", "很合理", "是对的", "没错",
	"很重要", "很专业", "辛苦了", "很满意", NULL,
};
static const char *const buts[] = {"不过", "但是", "可是", NULL};
/* "不过" that is no conjunction: 忙不过来, 比不过, 只不过 (softening). */
static const char *const but_exceptions[] = {"不过来", "比不过", "说不过", "只不过", "再好不过",
					     "不过是", NULL};
/* How far after the praise a "but" still cancels it, in bytes (about 24
 * characters: the rest of the sentence and the start of the next). */
enum { PRAISE_REACH = 72 };

static const struct lint_rule_info builtin[] = {
	{"cannot", LINT_ERROR, "说“我不能”", "Says \"I can't\"",
	 "改说能做什么：“我来看看我们能为您做些什么。”",
	 "Say what can be done instead: \"Let me see what we can do for you.\"",
	 L("我不能", "我们不能", "我没法", "我们没法", "我没办法", "我们没办法"),
	 L("不能再让", "不能辜负", "不能让这种", "不能让同样")},
	{"will_not", LINT_ERROR, "说“我不会做”", "Says \"I won't\"",
	 "说出您能做的：“我可以为您……”",
	 "Tell the customer what you can do for them instead.",
	 L("我不会", "我们不会", "这个我不会"),
	 L("不会再", "不会让", "不会忘", "不会辜负", "不会推", "不会拖", "不会放弃", "不会敷衍",
	   "不会收取", "不会泄露", "不会影响", "不会额外", "不会有")},
	{"not_my_job", LINT_ERROR, "说“这不是我应该做的”", "Says \"that's not my job\"",
	 "改说：“我很愿意为您做。”", "Say \"I'm glad to do it for you.\"",
	 L("这不是我应该做的", "这不是我该做的", "不是我应该做的", "这不是我的工作", "这不归我管",
	   "不归我管", "不归我们管", "这不是我的职责", "这不是我负责的", "不关我的事",
	   "不关我们的事", "这不是我们的事"),
	 L(NULL)},
	{"cannot_do", LINT_ERROR, "说“我做不了”", "Says \"I can't do it\"",
	 "告诉客户您能做什么，并表示乐意帮忙：“这件事我可以先为您……，我很乐意帮您。”",
	 "Tell what you can do and that you are glad to help.",
	 L("我想我做不了", "我做不了", "我们做不了", "我办不了", "我们办不了", "我处理不了",
	   "我们处理不了", "我帮不了", "我们帮不了", "我解决不了", "我们解决不了"),
	 L(NULL)},
	{"praise_but", LINT_WARNING, "赞同之后用“不过/但是”", "\"But\" right after praise",
	 "不要用“不过/但是”否定前面的肯定，改为说明原因：“因为……”",
	 "\"But\" cancels the praise before it: give the reason instead (\"because...\").",
	 buts, but_exceptions},
	{"no_way", LINT_WARNING, "说“不行”", "Says \"no way\"",
	 "说明可以怎样做：“这样做可能会……，我们可以为您……”",
	 "Explain what would work instead of a flat \"no\".",
	 L("不行"),
	 L("如果不行", "要是不行", "实在不行", "万一不行", "行不行", "不行的话", "不行动",
	   "不行吗", "若不行")},
	{"dont_know", LINT_WARNING, "说“不知道”", "Says \"I don't know\"",
	 "改说：“我帮您查一下，确认后马上回复您。”",
	 "Say \"Let me find out for you and get back to you right away.\"",
	 L("不知道", "不清楚"),
	 L("您不知道", "你不知道", "如果不知道", "不知道您", "不知道是否", "不知道能否",
	   "不知道可否", "客户不知道", "并不知道", "您不清楚", "你不清楚", "如果不清楚",
	   "有不清楚", "哪里不清楚", "不清楚的地方", "您可能不知道")},
	{"not_allowed", LINT_WARNING, "说“不可以”", "Says \"not allowed\"",
	 "说明可以怎样办：“按规定需要……，我们可以为您……”",
	 "Explain the rule and what can be done instead.",
	 L("不可以"),
	 L("可不可以", "不可以吗", "是不是不可以", "有没有不可以")},
	{"blame", LINT_ERROR, "指责客户或推给产品、第三方", "Blames the customer or the product",
	 "不要指责客户或推卸责任：先致歉，再说明原因并给出方案：“给您带来不便非常抱歉，我们一起看看怎么解决。”",
	 "Never blame the customer, the product or a third party: apologise, explain, offer a "
	 "solution.",
	 L("那是你手机的问题", "是你手机的问题", "是您手机的问题", "是你的手机有问题",
	   "是你自己的问题", "是您自己的问题", "是你的问题", "是您的问题", "你自己操作不当",
	   "您自己操作不当", "你操作不当", "您操作不当", "你自己弄坏", "您自己弄坏", "你用错了",
	   "您用错了", "你不会用", "您不会用", "谁让你", "怪你自己", "怪您自己", "是产品本身的问题",
	   "产品就是这样", "东西就是这样", "是厂家的问题", "是快递的问题", "是物流的问题",
	   "不是我们的问题", "不是我们的责任", "跟我们没关系", "和我们没关系", "与我们无关"),
	 L(NULL)},
	{"send_away", LINT_ERROR, "把客户推走", "Sends the customer away",
	 "不要让客户自己去找：由您联系相关部门并跟进：“我来帮您联系……，并在……之前回复您。”",
	 "Do not send the customer elsewhere: contact the right department yourself and follow "
	 "up.",
	 L("你去找", "您去找", "你去问", "您去问", "你找别人", "您找别人", "你自己去", "您自己去",
	   "你自己联系", "您自己联系", "你打别的电话", "您打别的电话", "别找我", "找别的部门",
	   "你去别的地方", "您去别的地方", "去找厂家", "找厂家去", "去找商家", "找商家去",
	   "你问别人", "您问别人"),
	 L("我去找", "我帮您去找", "我替您去找", "我们去找")},
	{"argue", LINT_WARNING, "与客户争辩或不耐烦", "Argues or sounds impatient",
	 "保持耐心，换一种方式解释：“可能我刚才没说清楚，我再为您说明一下。”",
	 "Stay patient and explain again in other words; never argue.",
	 L("我已经说过了", "我都说了", "我说过了", "你听不懂吗", "您听不懂吗", "听不懂吗",
	   "你到底想怎样", "你想怎么样", "爱买不买", "随便你", "你爱怎样就怎样", "不可能的事"),
	 L(NULL)},
	{"hang_up", LINT_WARNING, "挂断客户电话", "Hangs up on the customer",
	 "不要主动挂断：确认客户没有其他问题后，礼貌道别，等客户先挂机。",
	 "Never hang up on a customer: check they have no other question and let them hang up "
	 "first.",
	 L("我挂了", "我先挂了", "先挂了啊", "我要挂了"),
	 L(NULL)},
	{"promise", LINT_INFO, "轻易承诺", "Promises lightly",
	 "只承诺能做到的，并说明时间：“我会在……之前给您答复。”",
	 "Promise only what can be kept, with a time: \"I will get back to you by...\".",
	 L("肯定没问题", "绝对没问题", "百分之百", "我保证", "我向您保证", "包在我身上"),
	 L(NULL)},
};

const struct lint_rule_info *lint_builtin(int *n)
{
	*n = (int)KF_ARRAY_LEN(builtin);
	return builtin;
}

static const char *const severity_names[] = {"error", "warning", "info"};

const char *lint_severity_name(enum lint_severity s)
{
	return (unsigned)s < KF_ARRAY_LEN(severity_names) ? severity_names[s] : "info";
}

int lint_severity_parse(const char *s)
{
	for (size_t i = 0; s && i < KF_ARRAY_LEN(severity_names); i++)
		if (!strcmp(s, severity_names[i]))
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------------ sets */

struct phrase {
	int rule; /* index into rules */
	int exception;
	char *text;
};

struct lint_set {
	struct lint_rule_info *rules; /* built-in first, then custom ones */
	int nrules;
	int *disabled;
	struct phrase *extra; /* admins' phrases */
	int nextra;
	char **owned; /* strings to free */
	int nowned;
};

static char *own(struct lint_set *s, const char *str)
{
	char *c = strdup(str ? str : "");
	char **o = realloc(s->owned, (size_t)(s->nowned + 1) * sizeof(*o));
	if (!c || !o) {
		free(c);
		if (o)
			s->owned = o;
		return NULL;
	}
	s->owned = o;
	s->owned[s->nowned++] = c;
	return c;
}

struct lint_set *lint_set_new(void)
{
	struct lint_set *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->nrules = (int)KF_ARRAY_LEN(builtin);
	s->rules = malloc(sizeof(builtin));
	s->disabled = calloc((size_t)s->nrules, sizeof(int));
	if (!s->rules || !s->disabled) {
		lint_set_free(s);
		return NULL;
	}
	memcpy(s->rules, builtin, sizeof(builtin));
	return s;
}

void lint_set_free(struct lint_set *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nowned; i++)
		free(s->owned[i]);
	free(s->owned);
	free(s->extra);
	free(s->rules);
	free(s->disabled);
	free(s);
}

static int rule_index(const struct lint_set *s, const char *id)
{
	for (int i = 0; i < (int)KF_ARRAY_LEN(builtin); i++)
		if (!strcmp(s->rules[i].id, id))
			return i;
	return -1;
}

static int add_phrase(struct lint_set *s, int rule, int exception, const char *phrase)
{
	char *t = own(s, phrase);
	struct phrase *e = realloc(s->extra, (size_t)(s->nextra + 1) * sizeof(*e));
	if (!t || !e) {
		if (e)
			s->extra = e;
		return -1;
	}
	s->extra = e;
	s->extra[s->nextra++] = (struct phrase){rule, exception, t};
	return 0;
}

static int add_custom(struct lint_set *s, const char *phrase, enum lint_severity sev,
		      const char *zh, const char *en)
{
	struct lint_rule_info *r = realloc(s->rules, (size_t)(s->nrules + 1) * sizeof(*r));
	int *d = realloc(s->disabled, (size_t)(s->nrules + 1) * sizeof(*d));
	if (r)
		s->rules = r;
	if (d)
		s->disabled = d;
	if (!r || !d)
		return -1;
	const char *z = own(s, zh && *zh ? zh : "请换一种积极的说法。");
	const char *e = own(s, en && *en ? en : "Use positive wording instead.");
	if (!z || !e)
		return -1;
	s->rules[s->nrules] = (struct lint_rule_info){"custom", sev, "服务用语规范（自定义）",
						      "House rule", z, e, NULL, NULL};
	s->disabled[s->nrules] = 0;
	s->nrules++;
	return add_phrase(s, s->nrules - 1, 0, phrase);
}

int lint_set_add(struct lint_set *s, const char *rule, const char *kind, const char *phrase,
		 enum lint_severity severity, const char *suggestion_zh, const char *suggestion_en)
{
	if (!strcmp(rule, "custom"))
		return !strcmp(kind, "trigger") && phrase && *phrase
			       ? add_custom(s, phrase, severity, suggestion_zh, suggestion_en)
			       : -1;
	int i = rule_index(s, rule);
	if (i < 0)
		return -1;
	if (!strcmp(kind, "disable")) {
		s->disabled[i] = 1;
		return 0;
	}
	if (!phrase || !*phrase)
		return -1;
	if (!strcmp(kind, "trigger"))
		return add_phrase(s, i, 0, phrase);
	if (!strcmp(kind, "exception"))
		return add_phrase(s, i, 1, phrase);
	return -1;
}

/* ------------------------------------------------------------------ matching */

/* Every finding of a check, kept whole whatever room the caller has: a
 * match is merged with an earlier one of its rule at the same place, which
 * must be found even when the caller keeps only the first few. */
struct hits {
	struct lint_finding *all;
	int n, cap, total;
};

/* Whether an occurrence of an exception of rule i overlaps [a, b). */
static int excepted(const struct lint_set *s, int i, const char *text, size_t len, int a, int b)
{
	const char *const *ex = s->rules[i].exceptions;
	for (int k = 0; ex && ex[k]; k++) {
		size_t n = strlen(ex[k]);
		for (const char *p = text; (p = memmem(p, len - (size_t)(p - text), ex[k], n)); p++)
			if (p - text < b && p - text + (long)n > a)
				return 1;
	}
	for (int k = 0; k < s->nextra; k++) {
		if (s->extra[k].rule != i || !s->extra[k].exception)
			continue;
		size_t n = strlen(s->extra[k].text);
		for (const char *p = text; (p = memmem(p, len - (size_t)(p - text), s->extra[k].text, n));
		     p++)
			if (p - text < b && p - text + (long)n > a)
				return 1;
	}
	return 0;
}

static void record(struct hits *h, const struct lint_set *s, int i, int a, int b)
{
	/* One finding per place and rule: a longer trigger at the same spot
	 * ("我想我做不了" over "我做不了") wins. */
	for (int k = 0; k < h->n; k++) {
		struct lint_finding *f = &h->all[k];
		if (f->rule == &s->rules[i] && a < f->end && b > f->start) {
			if (b - a > f->end - f->start) {
				f->start = a < f->start ? a : f->start;
				f->end = b > f->end ? b : f->end;
			}
			return;
		}
	}
	h->total++;
	if (h->n == h->cap) {
		int cap = h->cap ? h->cap * 2 : 16;
		struct lint_finding *all = realloc(h->all, (size_t)cap * sizeof(*all));
		if (!all)
			return; /* counted, not kept */
		h->all = all;
		h->cap = cap;
	}
	h->all[h->n++] = (struct lint_finding){&s->rules[i], a, b, 0};
}

static void match_phrase(const struct lint_set *s, int i, const char *text, size_t len,
			 const char *phrase, struct hits *h)
{
	size_t n = strlen(phrase);
	if (!n)
		return;
	for (const char *p = text; (p = memmem(p, len - (size_t)(p - text), phrase, n)); p += n) {
		int a = (int)(p - text), b = a + (int)n;
		if (!excepted(s, i, text, len, a, b))
			record(h, s, i, a, b);
	}
}

/* "不过/但是/可是" within PRAISE_REACH bytes after a praise. */
static void match_praise_but(const struct lint_set *s, int i, const char *text, size_t len,
			     struct hits *h)
{
	for (const char *const *b = buts; *b; b++) {
		size_t n = strlen(*b);
		for (const char *p = text; (p = memmem(p, len - (size_t)(p - text), *b, n)); p += n) {
			int a = (int)(p - text), end = a + (int)n, praised = 0;
			for (const char *const *pr = praise; *pr && !praised; pr++) {
				size_t m = strlen(*pr);
				int from = a - PRAISE_REACH - (int)m;
				const char *q = text + (from > 0 ? from : 0);
				const char *hit = memmem(q, (size_t)(text + a - q), *pr, m);
				praised = hit && hit + m <= p;
			}
			if (praised && !excepted(s, i, text, len, a, end))
				record(h, s, i, a, end);
		}
	}
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct lint_finding *a = pa, *b = pb;
	return a->start != b->start ? a->start - b->start : a->end - b->end;
}

int lint_check(const struct lint_set *s, const char *text, size_t len, struct lint_finding *out,
	       int max)
{
	struct hits h = {NULL, 0, 0, 0};
	for (int i = 0; i < s->nrules; i++) {
		if (s->disabled[i])
			continue;
		if (!strcmp(s->rules[i].id, "praise_but")) {
			match_praise_but(s, i, text, len, &h);
			continue;
		}
		for (const char *const *t = s->rules[i].triggers; t && *t; t++)
			match_phrase(s, i, text, len, *t, &h);
		for (int k = 0; k < s->nextra; k++)
			if (s->extra[k].rule == i && !s->extra[k].exception)
				match_phrase(s, i, text, len, s->extra[k].text, &h);
	}
	if (h.n > 1)
		qsort(h.all, (size_t)h.n, sizeof(*h.all), finding_cmp);
	if (h.n > 0 && max > 0) /* out may be NULL when max is 0 (counting only) */
		memcpy(out, h.all, (size_t)(h.n < max ? h.n : max) * sizeof(*out));
	free(h.all);
	return h.total;
}
