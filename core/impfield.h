/* impfield.h - what an imported column can be, and how spreadsheet text
 * becomes a value: the fields of each import kind with their labels, the
 * header names that suggest them (姓名 / 客户名称 / name → name), and the
 * parsers for what Chinese spreadsheets hold (amounts "¥1,234.50", dates
 * "2024/3/5", "2024年3月5日" or Excel serial numbers, classification
 * labels "忠诚" for codes).  Pure: no I/O, no allocation. */
#ifndef KF_CORE_IMPFIELD_H
#define KF_CORE_IMPFIELD_H

#include <stddef.h>
#include <stdint.h>

enum impf_kind { IMPF_CUSTOMERS, IMPF_ORDERS };

struct impf_field {
	const char *name;  /* the target: a customer JSON field or an order column */
	const char *zh, *en;
	int required;
	const char *cls;   /* classification set for codes, or NULL */
};

/* The fields of a kind, terminated by {0}. */
const struct impf_field *impf_fields(enum impf_kind k);
/* The field called name, or NULL. */
const struct impf_field *impf_field(enum impf_kind k, const char *name);
/* "customers" / "orders" → kind; -1 otherwise. */
int impf_kind_parse(const char *s);
/* The field a header suggests, or NULL when none is clear.  Spaces, case,
 * '_' '-' and a bracketed unit such as "（元）" are ignored. */
const char *impf_suggest(enum impf_kind k, const char *header);

/* Yuan with up to two decimals, optional "¥"/"￥"/"元", thousands commas
 * and a sign → fen.  0, or -1 if it is not an amount or out of ±10^12 fen. */
int impf_amount_fen(const char *s, int64_t *fen);
/* A date as people or Excel write it → "YYYY-MM-DD" (year 1900..2100), or
 * "MM-DD" when no year is given (birthdays).  0, or -1. */
int impf_date(const char *s, char out[11]);
/* A date with an optional time ("2024-03-05 14:30[:00]", or an Excel
 * serial with a fraction) in the local time of a zone tz_min minutes east
 * of UTC → epoch milliseconds.  0, or -1. */
int impf_datetime_ms(const char *s, int tz_min, int64_t *ms);
/* The code of a classification value given as its code or its Chinese or
 * English label (and a few common synonyms: 企业 → organization, 大客户 →
 * key), or NULL. */
const char *impf_class_code(const char *set, const char *text);
/* Splits a tag list on , ， 、 ; ； and spaces: calls fn for each non-empty
 * tag (start, length in bytes). */
void impf_split_tags(const char *s, void (*fn)(void *ctx, const char *t, size_t n), void *ctx);
/* Trims leading and trailing blanks (ASCII spaces, tabs, line breaks,
 * U+3000 ideographic space, U+00A0) in place; returns the new start. */
char *impf_trim(char *s);

#endif
