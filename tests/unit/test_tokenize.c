/* Tests of core/tokenize.h and core/snippet.h with real Chinese sentences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include <cmocka.h>

#include "core/snippet.h"
#include "core/tokenize.h"

/* Tokens of a text as one string: "pos:text" separated by spaces, with
 * co-located tokens marked "pos=text". */
struct dump {
	buf b;
	const char *src;
};

static int dump_cb(void *ctx, const tok *t)
{
	struct dump *d = ctx;
	buf_printf(&d->b, "%s%d%c%.*s", d->b.len ? " " : "", t->pos, t->colocated ? '=' : ':', t->len,
		   t->text);
	return 0;
}

static char *tokens_of(const char *s)
{
	struct dump d = {.src = s};
	buf_init(&d.b, 1 << 20);
	assert_int_equal(tok_run(s, strlen(s), 0, dump_cb, &d), 0);
	return buf_detach(&d.b, NULL);
}

static int has_token(const char *s, const char *want)
{
	char *all = tokens_of(s);
	int found = 0;
	for (char *p = all; (p = strstr(p, want)); p++)
		if ((p[-1] == ':' || p[-1] == '=') && (p[strlen(want)] == ' ' || !p[strlen(want)]))
			found = 1;
	free(all);
	return found;
}

static char *norm(const char *s)
{
	buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(tok_normalize(s, strlen(s), &b), 0);
	return b.data ? buf_detach(&b, NULL) : strdup("");
}

static void normalises_width_case_and_script(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"ＡＢＣ１２３", "abc123"},
		{"Ｈｅｌｌｏ，世界！", "hello,世界!"},
		{"iPhone 15 PRO", "iphone 15 pro"},
		{"我的手機這兩天一接電話就斷線", "我的手机这两天一接电话就断线"},
		{"請儘快處理，謝謝", "请尽快处理,谢谢"},
		{"客服態度很差，我要投訴", "客服态度很差,我要投诉"},
		{"e\xcc\x81t\xc3\xa9", "\xc3\xa9t\xc3\xa9"}, /* e + combining acute composes */
		{"Straße", "strasse"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *n = norm(cases[i][0]);
		assert_string_equal(n, cases[i][1]);
		free(n);
	}
}

static void bigrams_positions_and_words(void **state)
{
	(void)state;
	char *t = tokens_of("投诉处理");
	assert_string_equal(t, "0:投诉 0=#投诉 1:诉处 2:处理 2=#处理 3:理");
	free(t);
	t = tokens_of("iPhone 15 Pro 蓝牙耳机连不上");
	assert_string_equal(t, "0:iphone 1:15 2:pro 3:蓝牙 3=#蓝牙 4:牙耳 5:耳机 5=#耳机 6:机连 "
			       "7:连不 7=#连不上 8:不上 9:上");
	free(t);
	t = tokens_of("天");
	assert_string_equal(t, "0:天");
	free(t);
	t = tokens_of("，。！  ？");
	assert_string_equal(t, "");
	free(t);
}

static void two_character_words_are_tokens_whatever_icu_says(void **state)
{
	(void)state;
	/* ICU splits 断|线 here; the bigram still makes 断线 a token. */
	assert_true(has_token("我的手机这两天一接电话就断线", "断线"));
	assert_true(has_token("我的手機這兩天一接電話就斷線", "断线"));
	assert_true(has_token("客服态度很差，我要投诉到消协", "投诉"));
	assert_true(has_token("客服态度很差，我要投诉到消协", "消协"));
	assert_true(has_token("这是第三次投诉了", "投诉"));
	/* Punctuation ends a run: no bigram across it. */
	assert_false(has_token("请投，诉", "投诉"));
}

struct spanrec {
	int start, end, mid, pos;
	char text[80];
};

static int find_cb(void *ctx, const tok *t)
{
	struct spanrec *r = ctx;
	if ((int)strlen(r->text) == t->len && !memcmp(r->text, t->text, (size_t)t->len)) {
		r->start = t->start;
		r->end = t->end;
		r->mid = t->mid;
		r->pos = t->pos;
		return 1;
	}
	return 0;
}

static void offsets_point_into_the_original(void **state)
{
	(void)state;
	const char *s = "您好！我的手機這兩天一接電話就斷線。";
	struct spanrec r = {.text = "断线"};
	assert_int_equal(tok_run(s, strlen(s), 0, find_cb, &r), 1);
	assert_int_equal(r.end - r.start, 6);
	assert_memory_equal(s + r.start, "斷線", 6);
	assert_memory_equal(s + r.mid, "線", 3);
	const char *w = "型号ＸＹ２００，不能开机";
	struct spanrec r2 = {.text = "xy200"};
	assert_int_equal(tok_run(w, strlen(w), 0, find_cb, &r2), 1);
	assert_memory_equal(w + r2.start, "ＸＹ２００", r2.end - r2.start);
}

static void max_pos_and_fit(void **state)
{
	(void)state;
	const char *s = "客户反映手机一接电话就断线，已经是第三次投诉了。请尽快处理 iPhone 15 的问题";
	char *all = tokens_of(s);
	for (int max = 1; max < 40; max++) {
		long cut = tok_fit(s, strlen(s), max);
		assert_true(cut >= 0 && cut <= (long)strlen(s));
		char *part = strndup(s, (size_t)cut);
		char *pt = tokens_of(part);
		/* Every token of the cut text has a position below max. */
		for (char *p = pt; *p;) {
			int pos = atoi(p);
			assert_true(pos < max);
			p = strchr(p, ' ');
			if (!p)
				break;
			p++;
		}
		free(pt);
		free(part);
	}
	free(all);
	assert_int_equal(tok_fit(s, strlen(s), 1000), (long)strlen(s));
}

static void query_plans(void **state)
{
	(void)state;
	struct tok_query q;
	buf f, p;
	buf_init(&f, 1 << 16);
	buf_init(&p, 1 << 16);

	assert_int_equal(tok_query_parse("投诉", strlen("投诉"), &q), 0);
	assert_int_equal(q.ngroups, 1);
	assert_int_equal(q.group[0].kind, TOKQ_TERM);
	assert_string_equal(q.group[0].tok[0], "投诉");
	tok_query_fts5(&q, &f);
	tok_query_tsquery(&q, &p);
	assert_string_equal(f.data, "\"投诉\"");
	assert_string_equal(p.data, "'投诉'");

	buf_reset(&f);
	buf_reset(&p);
	assert_int_equal(tok_query_parse("诉处", strlen("诉处"), &q), 0);
	assert_int_equal(q.ngroups, 1);
	tok_query_fts5(&q, &f);
	assert_string_equal(f.data, "\"诉处\"");

	buf_reset(&f);
	buf_reset(&p);
	assert_int_equal(tok_query_parse("投訴處理 iPhone", strlen("投訴處理 iPhone"), &q), 0);
	assert_int_equal(q.ngroups, 2);
	assert_int_equal(q.group[0].kind, TOKQ_PHRASE);
	tok_query_fts5(&q, &f);
	tok_query_tsquery(&q, &p);
	assert_string_equal(f.data, "\"投诉\" + \"诉处\" + \"处理\" AND \"iphone\"");
	assert_string_equal(p.data, "('投诉' <-> '诉处' <-> '处理') & 'iphone'");
	buf_reset(&p);
	tok_query_tsquery_rank(&q, &p);
	assert_string_equal(p.data, "'投诉' | '诉处' | '处理' | 'iphone'");

	buf_reset(&f);
	buf_reset(&p);
	assert_int_equal(tok_query_parse("天", strlen("天"), &q), 0);
	assert_int_equal(q.group[0].kind, TOKQ_PREFIX);
	tok_query_fts5(&q, &f);
	tok_query_tsquery(&q, &p);
	assert_string_equal(f.data, "\"天\"*");
	assert_string_equal(p.data, "'天':*");

	/* Repeated words count once; punctuation and quotes are no syntax. */
	buf_reset(&f);
	buf_reset(&p);
	assert_int_equal(tok_query_parse("don't \"x\" don't OR AND", strlen("don't \"x\" don't OR AND"), &q), 0);
	tok_query_fts5(&q, &f);
	tok_query_tsquery(&q, &p);
	assert_string_equal(f.data, "\"don't\" AND \"x\" AND \"or\" AND \"and\"");
	assert_string_equal(p.data, "'don''t' & 'x' & 'or' & 'and'");

	assert_int_equal(tok_query_parse("，。！", strlen("，。！"), &q), 0);
	assert_int_equal(q.ngroups, 0);
	buf_release(&f);
	buf_release(&p);
}

static void tsvector_literal(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 1 << 16);
	struct tok_tsv *v = tok_tsvector_begin();
	assert_int_equal(tok_tsvector_add(v, "投诉", strlen("投诉"), 0, 0, 'A'), 0);
	assert_int_equal(tok_tsvector_add(v, "再投诉 it's", strlen("再投诉 it's"), 0, 10, 'D'), 0);
	assert_int_equal(tok_tsvector_end(v, &b), 0);
	assert_string_equal(b.data, "'it''s':14 '再投':11 '投诉':1A,12 '诉':2A,13");
	buf_release(&b);
}

static void spans(const char *text, const char *query, const char *want)
{
	struct tok_query q;
	struct tok_span sp[16];
	assert_int_equal(tok_query_parse(query, strlen(query), &q), 0);
	int n = tok_match_spans(&q, text, strlen(text), 0, sp, 16);
	assert_true(n >= 0);
	buf b;
	buf_init(&b, 4096);
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s%.*s", i ? "|" : "", sp[i].end - sp[i].start, text + sp[i].start);
	assert_string_equal(b.data ? b.data : "", want);
	buf_release(&b);
}

static void match_spans(void **state)
{
	(void)state;
	spans("我的手机这两天一接电话就断线", "断线", "断线");
	spans("我的手機這兩天一接電話就斷線", "断线", "斷線");
	spans("投诉处理流程", "诉处", "诉处");
	spans("三天后答复，天天如此", "天", "天|天天");
	spans("投诉了又投诉", "投诉", "投诉|投诉");
	spans("iPhone 断线 与 iphone", "IPHONE 断线", "iPhone|断线|iphone");
	spans("投诉和处理", "投诉处理", "");
}

static void snippet(const char *text, const char *query, int max, const char *want)
{
	struct tok_query q;
	struct tok_span sp[16];
	assert_int_equal(tok_query_parse(query, strlen(query), &q), 0);
	int n = tok_match_spans(&q, text, strlen(text), 0, sp, 16);
	buf b;
	buf_init(&b, 1 << 16);
	assert_int_equal(snippet_html(text, strlen(text), sp, n, max, &b), 0);
	assert_string_equal(b.data ? b.data : "", want);
	buf_release(&b);
}

static void snippets(void **state)
{
	(void)state;
	snippet("我的手机这两天一接电话就断线", "断线", 40, "我的手机这两天一接电话就<mark>断线</mark>");
	snippet("客户说：<b>蓝牙</b> & 断线", "蓝牙", 40,
		"客户说：&lt;b&gt;<mark>蓝牙</mark>&lt;/b&gt; &amp; 断线");
	snippet("第一句话没有关键词。第二句话也没有。第三句：客户投诉手机断线，要求退货。", "断线", 12,
		"…第三句：客户投诉手机<mark>断线</mark>…");
	snippet("没有匹配的文字在这里", "投诉", 5, "没有匹配的…");
	snippet("投诉", "投诉", 1, "<mark>投</mark>…");
	snippet("投诉\n\n", "投诉", 10, "<mark>投诉</mark>");
}

static void *thread_tokens(void *arg)
{
	char *t = tokens_of(arg);
	tok_thread_release();
	return t;
}

static void threads_agree(void **state)
{
	(void)state;
	const char *s = "客服態度很差，我要投訴到消協！iPhone 15 Pro";
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, thread_tokens, (void *)s);
	char *mine = tokens_of(s);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(th[i], &r);
		assert_string_equal(r, mine);
		free(r);
	}
	free(mine);
}

static void bad_input_is_harmless(void **state)
{
	(void)state;
	const char bad[] = "\xff\xfe投\xe6\x8a诉\xc0\xaf abc\x01\x7f";
	char *t = tokens_of(bad);
	assert_non_null(strstr(t, "abc"));
	free(t);
	char *n = norm("");
	assert_string_equal(n, "");
	free(n);
	/* A long run of combining marks. */
	buf b;
	buf_init(&b, 1 << 20);
	buf_putc(&b, 'a');
	for (int i = 0; i < 500; i++)
		buf_puts(&b, "\xcc\x81");
	char *t2 = tokens_of(b.data);
	free(t2);
	buf_release(&b);
}

/* Found by tests/fuzz/fuzz_tokenize: one written character that
 * normalises to two (NFKC: ヿ → コト) makes a bigram whose second character
 * starts where it does; a prefix match on it was highlighted as an empty
 * span. */
static void one_character_two_kana(void **state)
{
	(void)state;
	const char *s = "我们的\u30ff事";
	struct tok_query q;
	assert_int_equal(tok_query_parse("\u30b3", strlen("\u30b3"), &q), 0); /* コ */
	assert_int_equal(q.ngroups, 1);
	struct tok_span sp[4];
	int n = tok_match_spans(&q, s, strlen(s), 0, sp, 4);
	assert_int_equal(n, 1);
	assert_int_equal(sp[0].start, 9);
	assert_int_equal(sp[0].end, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalises_width_case_and_script),
		cmocka_unit_test(bigrams_positions_and_words),
		cmocka_unit_test(two_character_words_are_tokens_whatever_icu_says),
		cmocka_unit_test(offsets_point_into_the_original),
		cmocka_unit_test(max_pos_and_fit),
		cmocka_unit_test(one_character_two_kana),
		cmocka_unit_test(query_plans),
		cmocka_unit_test(tsvector_literal),
		cmocka_unit_test(match_spans),
		cmocka_unit_test(snippets),
		cmocka_unit_test(threads_agree),
		cmocka_unit_test(bad_input_is_harmless),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tok_thread_release();
	return rc;
}
