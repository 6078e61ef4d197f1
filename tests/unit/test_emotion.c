/* Tests of core/emotion.h on realistic complaint texts, and an accuracy
 * floor on the labelled sets of tests/data (a regression guard; the
 * evaluation itself is bench/emotion.sh, reported in bench/RESULTS.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/emotion.h"
#include "core/tokenize.h"
#include "core/validate.h"

static enum emotion label(const char *text)
{
	struct emotion_result r;
	emotion_classify(text, strlen(text), &r);
	return r.label;
}

static void is(const char *text, enum emotion want)
{
	struct emotion_result r;
	emotion_classify(text, strlen(text), &r);
	if (r.label != want)
		fail_msg("\"%s\": %s (%.2f), expected %s", text, emotion_name(r.label), r.confidence,
			 emotion_name(want));
	double sum = 0;
	for (int e = 0; e < EMO__COUNT; e++)
		sum += r.prob[e];
	assert_true(sum > 0.999 && sum < 1.001);
	assert_true(r.confidence == r.prob[r.label]);
}

static void realistic_texts(void **state)
{
	(void)state;
	is("你们这是什么破服务！买了不到一个月就坏了，我要投诉到消协！", EMO_ANGRY);
	is("再不给我退款，我就去12315投诉，还要找媒体曝光你们！", EMO_ANGRY);
	is("凭什么让我自己出运费？明明是你们发错了货！", EMO_ANGRY);
	is("明天就要用了，快递还没到，很着急，能不能帮我催一下？", EMO_ANXIOUS);
	is("孩子发烧了，体温计坏了，能不能尽快送一个过来？", EMO_ANXIOUS);
	is("唉，一直很信任你们，没想到这么让人失望。", EMO_SAD);
	is("算了，我也不想再折腾了，就当自己倒霉吧。", EMO_SAD);
	is("喂！喂！听得见吗？！叫你们经理来接电话！！！", EMO_LOUD);
	is("大家都来看看啊！叫你们领导出来！！", EMO_LOUD);
	is("HELLO??? 有没有人！！！", EMO_LOUD);
	is("您好，我想咨询一下这款空调的保修期是多久，谢谢。", EMO_CALM);
	is("", EMO_CALM);
}

static void negation_and_intensity(void **state)
{
	(void)state;
	is("不着急，你们方便的时候派人来看看就行。", EMO_CALM);
	is("我没生气，只是想问一下进度。", EMO_CALM);
	is("别担心，东西已经收到了，谢谢。", EMO_CALM);
	/* 报警器 is a device, not a threat to call the police. */
	assert_int_not_equal(label("燃气报警器的电池怎么换？"), EMO_ANGRY);
	struct emotion_result a, b;
	emotion_classify("我很失望", strlen("我很失望"), &a);
	emotion_classify("我失望", strlen("我失望"), &b);
	assert_true(a.prob[EMO_SAD] > b.prob[EMO_SAD]);
}

static void traditional_and_full_width(void **state)
{
	(void)state;
	is("你們這是欺騙消費者！我要去消協投訴！", EMO_ANGRY);
	is("急死了!!!明天就要用", EMO_ANXIOUS);
}

static void cues_are_reported(void **state)
{
	(void)state;
	struct emotion_result r;
	const char *t = "太过分了！我要找律师起诉你们！";
	emotion_classify(t, strlen(t), &r);
	assert_int_equal(r.label, EMO_ANGRY);
	int escalation = 0;
	for (int i = 0; i < r.ncues; i++)
		escalation += !strcmp(r.cues[i].what, "escalation");
	assert_int_equal(escalation, 2);
	assert_int_equal(emotion_parse("anxious"), EMO_ANXIOUS);
	assert_int_equal(emotion_parse("furious"), -1);
	assert_string_equal(emotion_name_zh(EMO_LOUD), "喧哗");
}

/* Accuracy on a labelled file: correct / total for one split. */
static double accuracy(const char *path, const char *split)
{
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	char line[4096];
	int total = 0, right = 0;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = '\0';
		char *s = strchr(line, '\t'), *text;
		if (!s || !(text = strchr(s + 1, '\t')))
			continue;
		*s++ = '\0';
		*text++ = '\0';
		if (strcmp(s, split))
			continue;
		total++;
		right += (int)label(text) == emotion_parse(line);
	}
	fclose(f);
	assert_true(total >= 100);
	return (double)right / total;
}

/* The data files, found from this source file's path. */
static const char *data(const char *name)
{
	static char path[1024];
	const char *slash = strrchr(__FILE__, '/');
	int dir = slash ? (int)(slash - __FILE__) : 0;
	snprintf(path, sizeof(path), "%.*s%s../data/%s", dir, __FILE__, dir ? "/" : "", name);
	return path;
}

/* Found by tests/fuzz/fuzz_lint: a "word said three times" was taken as
 * six bytes from a Chinese character on, so a Chinese character followed
 * by two-byte ones (ž, ϡ) gave a cue cut inside a character. */
static void repetition_cue_is_whole_characters(void **state)
{
	(void)state;
	const char *t = "谽ŽϠ，谽ŽϠ，谽ŽϠ，谽ŽϠ";
	struct emotion_result r;
	emotion_classify(t, strlen(t), &r);
	for (int i = 0; i < r.ncues; i++)
		assert_true(valid_utf8_len(r.cues[i].text, 100, NULL));
	/* and the word the rule is for is still found */
	const char *u = "退货！退货！退货！";
	emotion_classify(u, strlen(u), &r);
	int rep = 0;
	for (int i = 0; i < r.ncues; i++)
		rep |= !strcmp(r.cues[i].what, "repetition") && strstr(r.cues[i].text, "退货");
	assert_true(rep);
}

static void accuracy_floor(void **state)
{
	(void)state;
	/* dev was in view while the lexicon was written: near perfect.  The
	 * held-out sets measure generalisation; these floors only catch a
	 * change that makes it worse (bench/RESULTS.md has the numbers). */
	assert_true(accuracy(data("emotion_labelled.tsv"), "dev") >= 0.95);
	assert_true(accuracy(data("emotion_heldout2.tsv"), "heldout2") >= 0.45);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(realistic_texts),
		cmocka_unit_test(negation_and_intensity),
		cmocka_unit_test(traditional_and_full_width),
		cmocka_unit_test(cues_are_reported),
		cmocka_unit_test(repetition_cue_is_whole_characters),
		cmocka_unit_test(accuracy_floor),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tok_thread_release();
	return rc;
}
