/* lint.h - the service-language checker (服务用语检查, DOMAIN §2): finds
 * negative or forbidden phrasing in a reply draft and offers the positive
 * form.
 *
 * The rules are a table (lint.c): each has an id, a severity, the phrases
 * that trigger it, exceptions, and what to say instead (Chinese) with an
 * English explanation.  An exception is a phrase that, where it overlaps
 * a match, shows the words are used harmlessly: "不知道" is flagged, but
 * not inside "不知道您是否方便" or "如果您不知道密码"; "我不会" is, but not
 * inside "我们不会再让这种情况发生".  One rule is not a phrase list:
 * praise_but flags "不过/但是/可是" shortly after praise (it cancels the
 * praise) and offers "因为……" instead.
 *
 * Admins extend the table without a release (lint_phrases in the
 * database): more triggers or exceptions for a rule, rules of their own
 * (rule "custom" with its own suggestion), or a built-in rule turned off.
 * A lint_set is the built-in table plus those; it is immutable once
 * built, so one set may serve many checks.  Matching is on the text as
 * written (agents type simplified Chinese); offsets are bytes.  Pure: no
 * I/O. */
#ifndef KF_CORE_LINT_H
#define KF_CORE_LINT_H

#include <stddef.h>

enum lint_severity { LINT_ERROR, LINT_WARNING, LINT_INFO };

/* A rule as the API shows it. */
struct lint_rule_info {
	const char *id;
	enum lint_severity severity;
	const char *title_zh, *title_en;   /* what is wrong */
	const char *suggestion_zh;         /* the positive form to use instead */
	const char *explain_en;            /* the same advice in English */
	const char *const *triggers;       /* built-in phrases, NULL-terminated */
	const char *const *exceptions;
};

struct lint_finding {
	const struct lint_rule_info *rule; /* owned by the set */
	int start, end;                    /* bytes of the text */
	int disabled_by_admin;             /* never set in findings; see lint_set_add */
};

struct lint_set;

/* The built-in rules (for listing them): *n gets their number. */
const struct lint_rule_info *lint_builtin(int *n);
const char *lint_severity_name(enum lint_severity s);
/* "error", "warning", "info"; -1 for others. */
int lint_severity_parse(const char *s);

/* A set with the built-in rules; NULL if out of memory. */
struct lint_set *lint_set_new(void);
/* Adds an admin's entry: kind "trigger" (phrase joins rule, or with rule
 * "custom" makes a rule of its own with severity and suggestion),
 * "exception" (phrase guards rule's matches), "disable" (rule off).
 * The strings are copied.  0, or -1 for an unknown rule or kind. */
int lint_set_add(struct lint_set *s, const char *rule, const char *kind, const char *phrase,
		 enum lint_severity severity, const char *suggestion_zh, const char *suggestion_en);
void lint_set_free(struct lint_set *s);

/* Checks text: up to max findings in text order; returns how many there
 * are in all (so > max means some were left out).  out may be NULL when
 * max is 0, to count only. */
int lint_check(const struct lint_set *s, const char *text, size_t len, struct lint_finding *out,
	       int max);

#endif
