/* case_rules.h - the closed vocabularies of a case (type, channel,
 * priority, emotion, ...) and the small rules that give a case its number,
 * its place in a queue and the capability it needs.
 *
 * Vocabularies use core/classes.h's shape: a stable code (stored, used in
 * the API) with labels in Chinese and English.  Pure: nothing here does
 * I/O or allocates; every string is static. */
#ifndef KF_CORE_CASE_RULES_H
#define KF_CORE_CASE_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "core/classes.h"
#include "core/err.h"

/* The sets: case_type, after_sales (subtype of after_sales cases), channel,
 * priority, severity, emotion, stage, outcome (follow-up), plan_kind,
 * checklist (the six conversation steps, in order). */
extern const struct class_set case_sets[];
extern const size_t case_nsets;

const struct class_set *case_set(const char *name);
/* As class_check, over case_sets. */
int case_class_check(const char *set, const char *field, const char *code, kf_err *e);
/* The index of code in the set (its order: priority low=0 .. urgent=3,
 * checklist step 0..5), or -1. */
int case_class_index(const char *set, const char *code);

enum { CASE_CHECKLIST_STEPS = 6, CASE_CHECKLIST_ALL = (1 << CASE_CHECKLIST_STEPS) - 1 };

/* Case numbers an agent can read over the phone: "C" + the local date of
 * creation as YYMMDD + "-" + the day's sequence number, at least four
 * digits: C250530-0042, C250530-12345.  Unique because the sequence is
 * per local day.  Writes into out (CASE_NUMBER_SIZE suffices); returns 0,
 * or KF_EINVAL for a date outside 2000..2099 or seq < 1. */
#define CASE_NUMBER_SIZE 24
int case_number_format(int year, int month, int day, int64_t seq, char *out, size_t outlen);
/* 1 if s looks like a case number (any case of the leading C; spaces and
 * '-' optional when typed: "c 250530 0042" → "C250530-0042"), writing the
 * canonical form to out; 0 otherwise. */
int case_number_parse(const char *s, char *out, size_t outlen);

/* The place of a case in every queue, smaller first: key accounts before
 * others, then priority (urgent first; an angry customer's case counts one
 * band higher, urgent at most), then the resolution due time (earliest
 * first; a case with none sorts after those with one).  One integer so that
 * keyset pagination over a queue is one index range. */
int64_t case_queue_rank(int key_account, int priority_index, int angry, int64_t due_ms);
/* How much smaller a key account's rank is than the same case's for an
 * ordinary customer: a customer becoming (or ceasing to be) a key account
 * moves their open cases by exactly this much. */
#define CASE_RANK_KEY_STEP (((int64_t)4) << 34)

/* The capability level (1..5) an agent needs for a case: complaints 3,
 * other types 1; high priority at least 3, urgent at least 4; a key
 * account adds one (at most 5). */
int case_required_capability(const char *type, const char *priority, int key_account);

#endif
