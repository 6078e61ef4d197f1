/* classes.h - the closed vocabularies of the customer file (DOMAIN §1).
 *
 * Each classification (lifecycle, tier, ...) is a table of values with a
 * stable code (stored in the database, used in the API and in SQL CHECKs)
 * and labels in Chinese and English (shown to people).  Add a value here
 * and everything that lists or checks values follows.  All strings are
 * static and live for the whole program; nothing here allocates. */
#ifndef KF_CORE_CLASSES_H
#define KF_CORE_CLASSES_H

#include <stddef.h>

#include "core/err.h"

struct class_value {
	const char *code; /* e.g. "loyal" */
	const char *zh;   /* e.g. "忠诚" */
	const char *en;   /* e.g. "Loyal" */
};

struct class_set {
	const char *name; /* e.g. "lifecycle"; matches the column / JSON field */
	const char *zh;   /* label of the classification itself */
	const char *en;
	const struct class_value *values;
	size_t n;
};

/* The sets: kind, source, lifecycle, chain_role, value_class, tier, role,
 * date_kind. */
extern const struct class_set class_sets[];
extern const size_t class_nsets;

/* The set called name, or NULL (also for NULL). */
const struct class_set *class_find(const char *name);
/* The value of s with this code (exact, case-sensitive), or NULL. */
const struct class_value *class_value(const struct class_set *s, const char *code);
/* 0 if code is a value of the set named set; KF_EINVAL with the given field
 * (e.g. "lifecycle") and a message listing the allowed codes if not (code
 * NULL or "" included); KF_EINTERNAL if there is no set of that name, which
 * is a bug in the caller.  e may be NULL. */
int class_check(const char *set, const char *field, const char *code, kf_err *e);

#endif
