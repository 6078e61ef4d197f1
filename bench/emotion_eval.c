/* emotion_eval.c - accuracy of core/emotion.c on the labelled set
 * (tests/data/emotion_labelled.tsv): per split, per label, and the
 * confusion matrix, as markdown.  Built and run by bench/emotion.sh.
 *
 * Usage: emotion_eval FILE [--errors]   (FILE may be several files catenated) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/emotion.h"
#include "core/tokenize.h"

enum { SPLITS = 3 };

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: emotion_eval FILE [--errors]\n");
		return 2;
	}
	int errors = argc > 2 && !strcmp(argv[2], "--errors");
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	static const char *const splits[SPLITS] = {"dev", "heldout", "heldout2"};
	int conf[SPLITS][EMO__COUNT][EMO__COUNT] = {{{0}}};
	int total[SPLITS] = {0}, right[SPLITS] = {0};
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		char *label = line, *split = strchr(label, '\t'), *text;
		if (!split || !(text = strchr(split + 1, '\t')))
			continue;
		*split++ = '\0';
		*text++ = '\0';
		int want = emotion_parse(label), s = 0;
		for (int k = 0; k < SPLITS; k++)
			if (!strcmp(split, splits[k]))
				s = k;
		if (want < 0)
			continue;
		struct emotion_result r;
		emotion_classify(text, strlen(text), &r);
		conf[s][want][r.label]++;
		total[s]++;
		right[s] += (int)r.label == want;
		if (errors && (int)r.label != want)
			printf("%s\t%s→%s\t%.2f\t%s\n", split, label, emotion_name(r.label), r.confidence,
			       text);
	}
	fclose(f);
	if (errors)
		return 0;
	printf("| split | sentences | correct | accuracy |\n|---|--:|--:|--:|\n");
	for (int s = 0; s < SPLITS; s++)
		printf("| %s | %d | %d | %.1f%% |\n", splits[s], total[s], right[s],
		       total[s] ? 100.0 * right[s] / total[s] : 0);
	for (int s = 0; s < SPLITS; s++) {
		printf("\nConfusion matrix, %s split (rows: label, columns: predicted):\n\n| |",
		       splits[s]);
		for (int p = 0; p < EMO__COUNT; p++)
			printf(" %s |", emotion_name((enum emotion)p));
		printf(" recall |\n|---|");
		for (int p = 0; p <= EMO__COUNT; p++)
			printf("--:|");
		printf("\n");
		for (int l = 0; l < EMO__COUNT; l++) {
			int n = 0;
			printf("| %s %s |", emotion_name((enum emotion)l), emotion_name_zh((enum emotion)l));
			for (int p = 0; p < EMO__COUNT; p++) {
				printf(" %d |", conf[s][l][p]);
				n += conf[s][l][p];
			}
			printf(" %.0f%% |\n", n ? 100.0 * conf[s][l][l] / n : 0);
		}
		printf("| precision |");
		for (int p = 0; p < EMO__COUNT; p++) {
			int n = 0;
			for (int l = 0; l < EMO__COUNT; l++)
				n += conf[s][l][p];
			if (n)
				printf(" %.0f%% |", 100.0 * conf[s][p][p] / n);
			else
				printf(" – |");
		}
		printf(" |\n");
	}
	tok_thread_release();
	return 0;
}
