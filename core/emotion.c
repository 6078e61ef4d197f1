/* emotion.c - the lexicon, the cues and the scoring of emotion.h. */
#include "core/emotion.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tokenize.h"
#include "lib/common.h"

struct entry {
	const char *phrase; /* normalised: simplified, half-width punctuation */
	enum emotion e;
	double w;
};

#define A EMO_ANGRY
#define X EMO_ANXIOUS
#define S EMO_SAD
#define LD EMO_LOUD
#define C EMO_CALM

static const struct entry words[] = {
	/* angry: grievance, contempt, accusations */
	{"过分", A, 1.3}, {"欺骗", A, 1.6}, {"骗子", A, 1.8}, {"骗人", A, 1.5}, {"骗我", A, 1.5},
	{"坑人", A, 1.5}, {"忽悠", A, 1.2}, {"垃圾", A, 1.6}, {"无耻", A, 1.8}, {"恶心", A, 1.2},
	{"破服务", A, 1.5}, {"什么破", A, 1.2}, {"态度恶劣", A, 1.8}, {"态度极差", A, 1.8},
	{"态度太差", A, 1.5}, {"什么态度", A, 1.5}, {"差劲", A, 1.2}, {"太差", A, 1.0},
	{"最差", A, 1.0}, {"这么差", A, 1.0}, {"敷衍", A, 1.2}, {"糊弄", A, 1.2}, {"推卸", A, 1.3},
	{"推来推去", A, 1.3}, {"踢皮球", A, 1.0}, {"凭什么", A, 1.6}, {"岂有此理", A, 2.0},
	{"不像话", A, 1.5}, {"受够了", A, 1.8}, {"离谱", A, 1.3}, {"气死", A, 1.8}, {"生气", A, 1.3},
	{"愤怒", A, 1.8}, {"气愤", A, 1.5}, {"不满", A, 1.2}, {"讨个说法", A, 1.5},
	{"给个说法", A, 1.3}, {"一个说法", A, 1.3}, {"要求赔偿", A, 1.0}, {"赔偿", A, 0.5},
	{"投诉", A, 0.7}, {"干什么吃的", A, 1.8}, {"当回事", A, 0.9}, {"当傻子", A, 1.6},
	{"好欺负", A, 1.6}, {"没完", A, 1.3}, {"黑心", A, 1.8}, {"霸王条款", A, 1.8},
	{"欺诈", A, 1.8}, {"假货", A, 1.3}, {"翻新机", A, 0.8}, {"抢劫", A, 1.6}, {"刁难", A, 1.3},
	{"不认账", A, 1.3}, {"耍我", A, 1.5}, {"放屁", A, 1.8}, {"一塌糊涂", A, 1.1},
	{"一问三不知", A, 1.1}, {"什么意思", A, 1.0}, {"什么道理", A, 1.2}, {"倒闭", A, 1.2},
	{"追究", A, 1.3}, {"不承认", A, 1.0}, {"故意", A, 0.9}, {"有什么用", A, 1.0},
	{"只会说", A, 1.0}, {"还要我怎样", A, 1.3}, {"不负责", A, 1.0}, {"负责任", A, 0.5},
	{"所作所为", A, 1.0}, {"不给我", A, 0.6}, {"这就是你们的服务", A, 1.3}, {"收场", A, 1.2},
	{"说不是你们的问题", A, 1.2}, {"不会用", A, 0.6}, {"再也不会买", A, 0.8}, {"太不", A, 0.6},
	{"极差", A, 1.3}, {"严肃处理", A, 1.3}, {"泄露", A, 0.6}, {"一直在敷衍", A, 0.5},
	{"不解决", A, 0.8}, {"是不是觉得", A, 0.9}, {"还有没有人管", A, 1.0}, {"没人管", A, 1.0},
	{"到底有没有", A, 1.0}, {"每次都", A, 0.6},
	/* angry: threats to escalate (DOMAIN §2: 消协, the media, a lawyer) */
	{"消协", A, 2.5}, {"消费者协会", A, 2.5}, {"12315", A, 2.5}, {"工商局", A, 2.5},
	{"市场监管", A, 2.5}, {"媒体", A, 2.2}, {"曝光", A, 2.2}, {"报社", A, 2.2},
	{"电视台", A, 2.2}, {"起诉", A, 2.5}, {"律师", A, 2.2}, {"法院", A, 2.2}, {"法庭", A, 2.2},
	{"报警", A, 2.2}, {"举报", A, 2.0}, {"让所有人都知道", A, 1.8},
	/* anxious: urgency, worry, deadlines */
	{"着急", X, 1.6}, {"很急", X, 1.6}, {"急死", X, 1.8}, {"急用", X, 1.6}, {"急需", X, 1.4},
	{"急!", X, 1.4}, {"加急", X, 1.3}, {"急疯", X, 1.8}, {"尽快", X, 1.1}, {"赶紧", X, 1.0},
	{"马上", X, 0.5}, {"快点", X, 0.9}, {"能不能快", X, 1.2}, {"担心", X, 1.6}, {"害怕", X, 1.6},
	{"怕", X, 0.6}, {"很慌", X, 1.6}, {"慌", X, 0.7}, {"万一", X, 0.8}, {"怎么办", X, 1.3},
	{"来不及", X, 1.6}, {"等不了", X, 1.2}, {"明天就", X, 1.1}, {"今天就", X, 0.8},
	{"今天必须", X, 1.0}, {"之前必须", X, 1.0}, {"截止", X, 1.2}, {"什么时候能", X, 1.0},
	{"还要等多久", X, 1.2}, {"还要多久", X, 1.0}, {"多久能", X, 0.6}, {"耽误", X, 1.0},
	{"求助", X, 1.2}, {"求求", X, 1.3}, {"帮帮忙", X, 0.9}, {"马上要", X, 1.1}, {"航班", X, 0.6},
	{"上飞机", X, 0.8}, {"会不会", X, 0.7}, {"焦虑", X, 1.8}, {"坐立不安", X, 1.8},
	{"催一下", X, 0.8}, {"快来不及", X, 0.6}, {"就要用", X, 1.0}, {"要用", X, 0.4},
	{"到底什么时候", X, 1.0}, {"才好", X, 0.5}, {"一个人在家", X, 0.8}, {"被困", X, 1.2},
	{"走失", X, 1.2}, {"盗刷", X, 1.2}, {"冻结", X, 0.8}, {"还饿着", X, 1.0}, {"急", X, 0.4},
	/* sad: disappointment, hurt, resignation */
	{"失望", S, 1.6}, {"大失所望", S, 1.8}, {"伤心", S, 1.8}, {"难过", S, 1.8}, {"委屈", S, 1.8},
	{"心寒", S, 1.8}, {"寒心", S, 1.8}, {"无奈", S, 1.4}, {"唉", S, 1.3}, {"哎", S, 0.9},
	{"算了", S, 1.1}, {"没想到", S, 0.8}, {"倒霉", S, 1.3}, {"心疼", S, 1.4}, {"心累", S, 1.6},
	{"累了", S, 0.9}, {"遗憾", S, 1.4}, {"可惜", S, 1.3}, {"后悔", S, 1.3}, {"辜负", S, 1.3},
	{"不抱希望", S, 1.6}, {"无话可说", S, 1.4}, {"没什么好说", S, 1.3}, {"不知道该说什么", S, 1.4},
	{"不想说了", S, 1.3}, {"难受", S, 1.4}, {"不好受", S, 1.4}, {"不是滋味", S, 1.4},
	{"低落", S, 1.6}, {"失落", S, 1.6}, {"无助", S, 1.6}, {"无力", S, 1.4}, {"受伤", S, 1.6},
	{"绝望", S, 1.8}, {"教训", S, 0.9}, {"白白", S, 0.8}, {"就这样吧", S, 1.1},
	{"老客户", S, 0.5}, {"老用户", S, 0.5}, {"信任", S, 0.5}, {"感情", S, 0.6},
	{"也没用", S, 0.9}, {"不会当回事", S, 0.5}, {"搞砸", S, 0.9}, {"被骗", S, 0.5},
	{"不会再买", S, 1.2},
	/* neutral: words that contain a cue but are none (报警器 is no 报警) */
	{"报警器", C, 0.0},
	/* loud: making a scene, demanding the boss, shouting */
	{"叫你们经理", LD, 2.0}, {"经理", LD, 0.8}, {"领导", LD, 0.9}, {"主管", LD, 0.8},
	{"负责人", LD, 0.6}, {"老板", LD, 0.7}, {"店长", LD, 0.9}, {"能做主", LD, 1.3},
	{"能管事", LD, 1.3}, {"说了算", LD, 1.1}, {"评评理", LD, 2.0}, {"大家来看", LD, 2.0},
	{"大家快来看", LD, 2.0}, {"大家都来看", LD, 2.0}, {"喂喂", LD, 1.5}, {"听见没有", LD, 1.6},
	{"听到没有", LD, 1.6}, {"听得见吗", LD, 1.2}, {"听不听得见", LD, 1.4}, {"听清楚", LD, 1.2},
	{"大声", LD, 1.3}, {"吵", LD, 1.0}, {"闭嘴", LD, 2.0}, {"不走了", LD, 1.3}, {"开门", LD, 1.2},
	{"给我等着", LD, 1.4}, {"等着吧", LD, 0.8}, {"录音", LD, 0.9}, {"最后一遍", LD, 1.3},
	{"最后一次", LD, 1.1}, {"有人吗", LD, 1.1}, {"有没有人", LD, 1.1}, {"聋", LD, 1.6},
	{"我不听", LD, 1.3}, {"试试", LD, 0.6}, {"给我听", LD, 1.4}, {"都给我", LD, 1.0},
	{"出来", LD, 0.7}, {"别躲", LD, 1.0}, {"当面", LD, 0.8}, {"人工服务", LD, 0.6},
	{"你们听着", LD, 1.2}, {"快来人", LD, 1.4}, {"现在就过来", LD, 1.0}, {"欺负人", LD, 0.8},
	/* calm: courtesy, plain questions */
	{"谢谢", C, 0.8}, {"感谢", C, 0.8}, {"您好", C, 0.6}, {"你好", C, 0.5}, {"请问", C, 0.9},
	{"麻烦", C, 0.3}, {"想了解", C, 0.9}, {"想咨询", C, 0.9}, {"咨询", C, 0.5}, {"想问", C, 0.6},
	{"请帮", C, 0.6}, {"不着急", C, 1.6}, {"没关系", C, 1.1}, {"方便的时候", C, 1.1},
	{"可以吗", C, 0.4}, {"好的", C, 0.6}, {"明白了", C, 0.9}, {"知道了", C, 0.6},
	{"预约", C, 0.5}, {"请您", C, 0.5}, {"想确认", C, 0.8}, {"需要什么", C, 0.6},
	{"该怎么操作", C, 0.7}, {"在哪里", C, 0.4}, {"能否", C, 0.3},
};

static const char *const escalations[] = {"消协",   "消费者协会", "12315", "工商局", "市场监管",
					  "媒体",   "曝光",       "报社",  "电视台", "起诉",
					  "律师",   "法院",       "法庭",  "报警",   "举报",
					  NULL};

/* Words right before a phrase that strengthen it, and that negate it. */
static const char *const intensifiers[] = {"太", "非常", "特别", "极其", "简直", "真的", "很",
					   "超级", "实在", "十分", "好", NULL};
static const char *const negations[] = {"不", "没", "别", "不用", "无需", "不必", NULL};

/* Structural cues (added after the first held-out evaluation showed the
 * word lexicon alone misses most unseen phrasing; see bench/RESULTS.md):
 * they describe the shape of a complaint rather than its words. */
static const char *const problems[] = {"坏了", "没到", "还没", "不了", "不能", "失败", "错",
				       "丢", "漏", "停机", "卡住", "没声音", "不热", "延误",
				       "没见", "不见", "不行", "没人", "没有", "不好", "又", NULL};
static const char *const deadlines[] = {"今天", "今晚", "明天", "明早", "后天", "马上",
					"下午", "上午", "晚上", "点前", "之前", "只剩", "还剩",
					"到期", "截止", "赶时间", "来得及", "就要", "立刻", NULL};
static const char *const requests[] = {"能不能", "能否", "吗?", "请", "帮我", "帮忙", "怎么办",
				       "怎么做", "要不要", NULL};
static const char *const dependants[] = {"老人", "孩子", "宝宝", "女儿", "儿子", "我妈", "我爸",
					 "父母", "医院", "药", "一个人", NULL};
static const char *const expectations[] = {"本来", "原本", "本以为", "原以为", "以前", "曾经",
					   "期待", NULL};
static const char *const feelings[] = {"心里", "心情", "想哭", NULL};
static const char *const resignations[] = {"只能", "随便吧", "就这样", "罢了", "也罢", "吧。",
					   NULL};

enum { CALM_BASE = 1 };

static const char *const names[EMO__COUNT] = {"calm", "angry", "anxious", "sad", "loud"};
static const char *const names_zh[EMO__COUNT] = {"平静", "愤怒", "焦虑", "悲伤", "喧哗"};

const char *emotion_name(enum emotion e)
{
	return (unsigned)e < EMO__COUNT ? names[e] : "calm";
}

const char *emotion_name_zh(enum emotion e)
{
	return (unsigned)e < EMO__COUNT ? names_zh[e] : "平静";
}

int emotion_parse(const char *s)
{
	for (int i = 0; s && i < EMO__COUNT; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static void cue(struct emotion_result *r, enum emotion e, const char *what, const char *text,
		int len, double w, double *score)
{
	score[e] += w;
	if (r->ncues == EMO_MAX_CUES)
		return;
	struct emotion_cue *c = &r->cues[r->ncues++];
	c->emotion = e;
	c->what = what;
	c->weight = w;
	snprintf(c->text, sizeof(c->text), "%.*s", len, text);
}

/* Whether text[0..at) ends with one of the strings. */
static const char *ends_with(const char *text, size_t at, const char *const *list)
{
	for (const char *const *p = list; *p; p++) {
		size_t n = strlen(*p);
		if (n <= at && !memcmp(text + at - n, *p, n))
			return *p;
	}
	return NULL;
}

static int is_escalation(const char *phrase)
{
	for (const char *const *p = escalations; *p; p++)
		if (!strcmp(*p, phrase))
			return 1;
	return 0;
}

static int by_length(const void *pa, const void *pb)
{
	const struct entry *a = *(const struct entry *const *)pa, *b = *(const struct entry *const *)pb;
	size_t la = strlen(a->phrase), lb = strlen(b->phrase);
	return la != lb ? (la < lb ? 1 : -1) : (a < b ? -1 : a > b);
}

/* Every occurrence of every lexicon phrase, longest first: a phrase inside
 * a longer one already counted (担心 in 不担心, 急 in 着急) is not counted
 * again.  A negation right before a phrase cancels it. */
static void lexicon(const char *n, size_t len, struct emotion_result *r, double *score)
{
	enum { USED_MAX = 8192 };
	char used[USED_MAX];
	const struct entry *order[KF_ARRAY_LEN(words)];
	size_t lim = len < USED_MAX ? len : USED_MAX;
	memset(used, 0, lim);
	for (size_t i = 0; i < KF_ARRAY_LEN(words); i++)
		order[i] = &words[i];
	qsort(order, KF_ARRAY_LEN(words), sizeof(order[0]), by_length);
	for (size_t i = 0; i < KF_ARRAY_LEN(words); i++) {
		const struct entry *w = order[i];
		size_t m = strlen(w->phrase);
		for (const char *p = n; (p = memmem(p, len - (size_t)(p - n), w->phrase, m)); p += m) {
			size_t at = (size_t)(p - n);
			if (at + m <= lim && (used[at] || used[at + m - 1]))
				continue;
			if (at + m <= lim)
				memset(used + at, 1, m);
			if (ends_with(n, at, negations) && w->e != EMO_CALM)
				continue;
			double weight = w->w * (ends_with(n, at, intensifiers) ? 1.4 : 1.0);
			cue(r, w->e, is_escalation(w->phrase) ? "escalation" : "word", p, (int)m, weight,
			    score);
		}
	}
}

static int is_bang(const char *p)
{
	return *p == '!';
}

/* Runs of ! and ?, and ?! together. */
static void punctuation(const char *n, size_t len, struct emotion_result *r, double *score)
{
	int runs2 = 0;
	for (size_t i = 0; i < len;) {
		if (n[i] != '!' && n[i] != '?') {
			i++;
			continue;
		}
		size_t j = i;
		int bangs = 0, qs = 0;
		while (j < len && (n[j] == '!' || n[j] == '?')) {
			bangs += is_bang(n + j);
			qs += n[j] == '?';
			j++;
		}
		int run = (int)(j - i);
		if (bangs && qs)
			cue(r, EMO_ANGRY, "punctuation", n + i, run, 0.8, score);
		else if (bangs >= 3)
			cue(r, EMO_LOUD, "punctuation", n + i, run, 1.2, score);
		else if (bangs == 2)
			cue(r, EMO_LOUD, "punctuation", n + i, run, 0.7, score);
		else if (bangs == 1)
			score[EMO_ANGRY] += 0.25;
		else if (qs >= 2)
			cue(r, EMO_LOUD, "punctuation", n + i, run, 0.6, score);
		if (bangs >= 2 || qs >= 2)
			runs2++;
		i = j;
	}
	if (runs2 >= 2)
		cue(r, EMO_LOUD, "punctuation", "!!…!!", 9, 0.4 * (runs2 > 4 ? 4 : runs2), score);
}

/* Shouting: a Latin word in capitals (on the text as written). */
static void capitals(const char *text, size_t len, struct emotion_result *r, double *score)
{
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && text[j] >= 'A' && text[j] <= 'Z')
			j++;
		if (j - i >= 3) {
			cue(r, EMO_LOUD, "shouting", text + i, (int)(j - i), 1.0, score);
			return;
		}
		i = j > i ? j : i + 1;
	}
}

/* Repetition: one character three times (啊啊啊, 喂喂喂), or a short word
 * said three times or more (退货！退货！退货). */
static void repetition(const char *n, size_t len, struct emotion_result *r, double *score)
{
	for (size_t i = 0; i + 9 <= len; i++) {
		unsigned char c = (unsigned char)n[i];
		if (c < 0xE0 || c > 0xEF)
			continue;
		if (!memcmp(n + i, n + i + 3, 3) && !memcmp(n + i, n + i + 6, 3)) {
			cue(r, EMO_LOUD, "repetition", n + i, 9, 1.0, score);
			return;
		}
	}
	for (size_t i = 0; i + 6 <= len; i += 3) {
		unsigned char c = (unsigned char)n[i], c2 = (unsigned char)n[i + 3];
		/* two three-byte characters (Chinese), not one and a piece of
		 * whatever follows it (ž, ϡ take two bytes) */
		if (c < 0xE0 || c > 0xEF || c2 < 0xE0 || c2 > 0xEF)
			continue;
		int times = 0;
		for (const char *p = n; (p = memmem(p, len - (size_t)(p - n), n + i, 6)); p += 6)
			times++;
		if (times >= 3) {
			cue(r, EMO_LOUD, "repetition", n + i, 6, 1.0, score);
			return;
		}
	}
}

static int count_in(const char *n, size_t len, const char *const *list)
{
	int k = 0;
	for (const char *const *p = list; *p; p++) {
		size_t m = strlen(*p);
		for (const char *q = n; (q = memmem(q, len - (size_t)(q - n), *p, m)); q += m)
			k++;
	}
	return k;
}

static double capped(int k, double each, double cap)
{
	double v = k * each;
	return v > cap ? cap : v;
}

/* "你们" in a sentence that states a problem and ends in ? or !: the
 * reproach of a rhetorical question or an outburst. */
static int reproaches(const char *n, size_t len)
{
	int k = 0;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && n[i] != '?' && n[i] != '!' && strncmp(n + i, "。", 3))
			continue;
		size_t m = i - start;
		if (i < len && (n[i] == '?' || n[i] == '!') && memmem(n + start, m, "你们", 6) &&
		    count_in(n + start, m, problems))
			k++;
		start = i + 1;
	}
	return k;
}

/* A short word said again and again, apart: 快点!快点!, 喂?喂?, 来人!来人! */
static int repeated_calls(const char *n, size_t len)
{
	for (size_t w = 3; w <= 6; w += 3)
		for (size_t i = 0; i + 2 * w + 1 <= len; i++) {
			unsigned char c = (unsigned char)n[i];
			if (c < 0xE0 || c > 0xEF)
				continue;
			size_t j = i + w;
			if (j < len && (n[j] == '!' || n[j] == '?' || n[j] == ',') &&
			    j + 1 + w <= len && !memcmp(n + i, n + j + 1, w))
				return 1;
		}
	return 0;
}

static void structure(const char *n, size_t len, struct emotion_result *r, double *score)
{
	int problem = count_in(n, len, problems), request = count_in(n, len, requests);
	if (problem)
		cue(r, EMO_CALM, "problem", "", 0, -capped(problem, 0.35, 1.2), score);
	int k = reproaches(n, len);
	if (k)
		cue(r, EMO_ANGRY, "reproach", "你们…?", 10, capped(k, 1.0, 2.0), score);
	if (problem || request) {
		if ((k = count_in(n, len, deadlines)))
			cue(r, EMO_ANXIOUS, "deadline", "", 0, capped(k, 0.5, 1.5), score);
		if ((k = count_in(n, len, dependants)))
			cue(r, EMO_ANXIOUS, "dependants", "", 0, capped(k, 0.5, 1.0), score);
	}
	if ((k = count_in(n, len, expectations)))
		cue(r, EMO_SAD, "expectation", "", 0, capped(k, 0.7, 1.4), score);
	if ((k = count_in(n, len, feelings)))
		cue(r, EMO_SAD, "feeling", "", 0, capped(k, 0.7, 1.4), score);
	if ((k = count_in(n, len, resignations)))
		cue(r, EMO_SAD, "resignation", "", 0, capped(k, 0.8, 1.6), score);
	int bangs = 0;
	for (size_t i = 0; i < len; i++)
		bangs += n[i] == '!';
	if (bangs >= 3)
		cue(r, EMO_LOUD, "exclamations", "!", 1, 0.8, score);
	if (repeated_calls(n, len))
		cue(r, EMO_LOUD, "repetition", "", 0, 1.2, score);
}

void emotion_classify(const char *text, size_t len, struct emotion_result *out)
{
	memset(out, 0, sizeof(*out));
	double score[EMO__COUNT] = {0};
	score[EMO_CALM] = CALM_BASE;
	buf nb;
	buf_init(&nb, 1 << 20);
	const char *n = text;
	size_t nlen = len;
	if (tok_normalize(text, len, &nb) == 0 && nb.data) {
		n = nb.data;
		nlen = nb.len;
	}
	lexicon(n, nlen, out, score);
	punctuation(n, nlen, out, score);
	capitals(text, len, out, score);
	repetition(n, nlen, out, score);
	structure(n, nlen, out, score);
	buf_release(&nb);
	double max = score[0], sum = 0;
	for (int e = 1; e < EMO__COUNT; e++)
		if (score[e] > max)
			max = score[e];
	for (int e = 0; e < EMO__COUNT; e++)
		sum += exp(score[e] - max);
	for (int e = 0; e < EMO__COUNT; e++)
		out->prob[e] = exp(score[e] - max) / sum;
	/* Ties go to the emotion that needs attention first. */
	static const enum emotion order[] = {EMO_ANGRY, EMO_LOUD, EMO_ANXIOUS, EMO_SAD, EMO_CALM};
	out->label = EMO_CALM;
	double best = -1;
	for (size_t i = 0; i < KF_ARRAY_LEN(order); i++)
		if (score[order[i]] > best) {
			best = score[order[i]];
			out->label = order[i];
		}
	out->confidence = out->prob[out->label];
}
