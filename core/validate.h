/* validate.h - yes/no checks on the small text formats of the API.
 *
 * Each function answers 1 (valid) or 0 (invalid), never reports why, and
 * accepts NULL as invalid.  The caller turns a 0 into a kf_err naming the
 * field, because only it knows which field and what to tell the user.  Pure:
 * no allocation, no locale, no state. */
#ifndef KF_CORE_VALIDATE_H
#define KF_CORE_VALIDATE_H

#include <stddef.h>

/* "YYYY-MM-DD", a real calendar date (leap years counted) with the year in
 * 1900..2100; or "MM-DD" without a year (birthdays, anniversaries), where
 * 02-29 is allowed.  Exactly those lengths: no spaces, no single digits. */
int valid_date(const char *s);

/* "HH:MM", 00:00..23:59, plus "24:00" meaning the end of the day.  On
 * success stores minutes since midnight (0..1440) in *minutes unless it is
 * NULL; on failure leaves *minutes alone. */
int valid_hhmm(const char *s, int *minutes);

/* A pragmatic e-mail check, not RFC 5322: at most 254 bytes of valid UTF-8,
 * exactly one '@', a local part of 1..64 bytes without spaces, quotes or
 * brackets and without leading, trailing or doubled dots, and a domain of
 * at least two dot-separated labels (letters, digits, hyphens or non-ASCII;
 * no label starting or ending with '-'; the last one 2+ characters and not
 * all digits). */
int valid_email(const char *s);

/* 1 if s is well-formed UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF), contains no control characters except '\n' and '\t'
 * (C0, DEL and C1 are refused, and so is '\r'), and has at most max_chars
 * code points.  If nchars is not NULL it receives the number of code points
 * whenever s is well-formed, even when that is over max_chars (so the
 * caller can say "N of at most M"), and 0 otherwise. */
int valid_utf8_len(const char *s, size_t max_chars, size_t *nchars);

/* The length in bytes (1..4) of the code point that s starts with, if it is
 * one valid_utf8_len would accept; 0 at the terminating NUL or if it is
 * malformed or a refused control character.  For walking or cutting text
 * without splitting a character. */
size_t valid_utf8_char(const char *s);

/* Copies untrusted text into out so it can be quoted in an error message:
 * malformed bytes and refused controls become '?', '\n' and '\t' become
 * spaces, and text that does not fit is cut at a character boundary and
 * ends with "…".  Always NUL-terminates when outlen > 0; NULL gives "". */
void valid_excerpt(const char *s, char *out, size_t outlen);

#endif
