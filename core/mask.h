/* mask.h - contact details shown to people who may not see them in full.
 *
 * Lists, exports and logs show masked phones and e-mails; only the customer
 * file, for users allowed to see it, shows them whole.  Masking is for
 * recognition ("is this the 5678 one?"), not identification: a masked phone
 * never shows more than 7 digits.  Pure functions: the result is written to
 * the caller's buffer, always NUL-terminated when outlen > 0, and cut (at a
 * character boundary) if it does not fit; MASK_SIZE suffices for any
 * normalised phone. */
#ifndef KF_CORE_MASK_H
#define KF_CORE_MASK_H

#include <stddef.h>

#define MASK_SIZE 32

/* "+8613812345678" -> "+86 138****5678": a Chinese mobile keeps its first 3
 * and last 4 digits.  Any other "+..." number keeps its country code and
 * the last 4 digits of the national number ("+44 ******7890"), or only half
 * of it when it has fewer than 8 digits.  Input that is not E.164 (no '+',
 * fewer than 8 digits) keeps no country code, only that tail.  Characters
 * other than digits are dropped; NULL or "" gives "". */
void mask_phone(const char *e164, char *out, size_t outlen);

/* "zhangsan@example.com" -> "z***@example.com": the first character of the
 * local part (none if it has only one), always three stars whatever its
 * length, then the domain as it is.  Text without '@' is treated as a local
 * part alone ("z***"); a domain that is not clean UTF-8 becomes "***";
 * NULL or "" gives "". */
void mask_email(const char *in, char *out, size_t outlen);

#endif
