/* emotion.h - emotion triage of incoming customer text (DOMAIN §2 intake:
 * angry 愤怒, anxious 焦虑, sad 悲伤, loud 喧哗, calm 平静), so that a case's
 * emotion field is pre-filled and angry customers rise in the queue.
 *
 * A lexicon and cues, no model: words and phrases of each emotion with
 * weights (凭什么, 太过分 → angry; 着急, 来不及 → anxious; 失望, 心寒 →
 * sad; 叫你们经理 → loud), strong cues (threats to escalate to 消协, 12315,
 * the media or a lawyer), intensifiers before a word (太, 非常, 简直),
 * rhetorical questions (难道, 到底…？), and punctuation: runs of ！ and ？,
 * shouting in capitals, repeated characters.  Negations guard the words
 * (不着急 is not anxious).  Words are matched on the text normalised as
 * search does it (core/tokenize.h: traditional → simplified, full-width →
 * half-width), capitals on the text as written.  The scores become probabilities (softmax,
 * calm starting from a base score), and the label is the most probable;
 * confidence is its probability.  Accuracy on the labelled set in
 * tests/data/emotion_labelled.tsv is in bench/RESULTS.md.  Pure: no I/O. */
#ifndef KF_CORE_EMOTION_H
#define KF_CORE_EMOTION_H

#include <stddef.h>

enum emotion { EMO_CALM, EMO_ANGRY, EMO_ANXIOUS, EMO_SAD, EMO_LOUD, EMO__COUNT };

enum { EMO_MAX_CUES = 16 };

struct emotion_cue {
	enum emotion emotion;
	const char *what; /* "word", "escalation", "punctuation", "shouting", "repetition" */
	char text[40];    /* the words or marks, normalised (simplified, half-width) */
	double weight;
};

struct emotion_result {
	enum emotion label;
	double confidence;               /* probability of label, 0..1 */
	double prob[EMO__COUNT];
	struct emotion_cue cues[EMO_MAX_CUES];
	int ncues;
};

/* "calm", "angry", "anxious", "sad", "loud" (the values of cases.emotion). */
const char *emotion_name(enum emotion e);
const char *emotion_name_zh(enum emotion e);
/* -1 for an unknown name. */
int emotion_parse(const char *s);

void emotion_classify(const char *text, size_t len, struct emotion_result *out);

#endif
