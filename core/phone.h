/* phone.h - phone numbers in one canonical form (E.164, "+8613812345678").
 *
 * Customers are found and de-duplicated by phone, so every number is stored
 * normalised: the same phone typed as "138 1234 5678", "+86 138-1234-5678"
 * or "0086 13812345678" must become the same string.  Numbers without a
 * country code are read as Chinese (mobile, landline with area code, or a
 * 400/800 service number); anything else must be written with "+" or "00".
 * Pure functions on caller-provided buffers. */
#ifndef KF_CORE_PHONE_H
#define KF_CORE_PHONE_H

#include <stddef.h>

#include "core/err.h"

/* Room for any E.164 number: '+', at most 15 digits, NUL. */
#define PHONE_E164_SIZE 17
/* Room for any phone_display result. */
#define PHONE_DISPLAY_SIZE 32

/* Normalises in to E.164 in out (outlen >= PHONE_E164_SIZE always suffices).
 * Accepted: digits with spaces, tabs, '-', '.' and one pair of parentheses
 * as separators; a leading "+" or "00" before a country code (8..15 digits
 * in all; for +86 the national number is checked like a Chinese one, and a
 * trunk "0" after it is dropped); without either, an 11-digit mobile 1[3-9]..,
 * a landline "0" + 2-3 digit area code + 7-8 digits, or a 10-digit 400/800
 * number, all read as +86.
 * Returns 0, or KF_EINVAL with field "phone" and a message for the user
 * (out is then ""), or KF_EINTERNAL if outlen is too small.  e may be NULL. */
int phone_normalize(const char *in, char *out, size_t outlen, kf_err *e);

/* 1 if e164 is a normalised Chinese mobile number ("+861[3-9]" + 9 digits). */
int phone_is_cn_mobile(const char *e164);

/* The number of digits of the country code e164 starts with (1..3, from the
 * ITU zone table), or 0 if e164 does not start with '+' and a digit. */
size_t phone_country_code_len(const char *e164);

/* Formats a normalised number for people: "+86 138 1234 5678" for Chinese
 * mobiles, "+86 10 1234 5678" / "+86 755 123 4567" for landlines,
 * "+86 400 123 4567" for service numbers; any other string is copied as it
 * is.  The result is truncated to outlen (PHONE_DISPLAY_SIZE suffices for
 * any normalised number); NULL is shown as "". */
void phone_display(const char *e164, char *out, size_t outlen);

#endif
