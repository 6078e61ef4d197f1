#include "core/validate.h"

#include <stdint.h>
#include <string.h>

#include "lib/common.h"

enum {
	EMAIL_MAX = 254,       /* RFC 5321 path limit, less the angle brackets */
	EMAIL_LOCAL_MAX = 64,
	EMAIL_LABEL_MAX = 63,
};

/* Decodes one code point; returns its length in bytes, or 0 if malformed.
 * A truncated sequence stops at the NUL, which is not a continuation byte. */
static size_t utf8_decode(const unsigned char *p, uint32_t *out)
{
	unsigned char c = p[0];
	uint32_t cp;
	size_t n;

	if (c < 0x80) {
		*out = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) { /* 0xc0, 0xc1 could only be overlong */
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (n == 3 && cp < 0x800)
		return 0;
	if (n == 4 && (cp < 0x10000 || cp > 0x10ffff))
		return 0;
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;
	*out = cp;
	return n;
}

static int is_refused_control(uint32_t cp)
{
	if (cp < 0x20)
		return cp != '\n' && cp != '\t';
	return cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

size_t valid_utf8_char(const char *s)
{
	uint32_t cp;

	if (!s || !*s)
		return 0;
	size_t n = utf8_decode((const unsigned char *)s, &cp);
	if (!n || is_refused_control(cp))
		return 0;
	return n;
}

int valid_utf8_len(const char *s, size_t max_chars, size_t *nchars)
{
	size_t count = 0;

	if (nchars)
		*nchars = 0;
	if (!s)
		return 0;
	while (*s) {
		size_t n = valid_utf8_char(s);
		if (!n)
			return 0;
		s += n;
		count++;
	}
	if (nchars)
		*nchars = count;
	return count <= max_chars;
}

/* Two ASCII digits as a number, or -1. */
static int two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* year 0 means "no year": February then has 29 days. */
static int days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month != 2)
		return days[month - 1];
	if (year == 0)
		return 29;
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return leap ? 29 : 28;
}

static int valid_month_day(const char *s, int year)
{
	int month = two_digits(s);
	int day = two_digits(s + 3);

	if (s[2] != '-' || month < 1 || month > 12 || day < 1)
		return 0;
	return day <= days_in_month(year, month);
}

int valid_date(const char *s)
{
	if (!s)
		return 0;
	size_t len = strlen(s);
	if (len == 5)
		return valid_month_day(s, 0);
	if (len != 10 || s[4] != '-')
		return 0;
	int hi = two_digits(s), lo = two_digits(s + 2);
	if (hi < 0 || lo < 0)
		return 0;
	int year = hi * 100 + lo;
	if (year < 1900 || year > 2100)
		return 0;
	return valid_month_day(s + 5, year);
}

int valid_hhmm(const char *s, int *minutes)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return 0;
	int h = two_digits(s), m = two_digits(s + 3);
	if (h < 0 || m < 0 || m > 59)
		return 0;
	if (h > 24 || (h == 24 && m != 0))
		return 0;
	if (minutes)
		*minutes = h * 60 + m;
	return 1;
}

static int valid_email_local(const char *s, size_t len)
{
	if (len < 1 || len > EMAIL_LOCAL_MAX)
		return 0;
	if (s[0] == '.' || s[len - 1] == '.')
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || strchr("\"(),:;<>[\\]", c))
			return 0;
		if (c == '.' && s[i + 1] == '.')
			return 0;
	}
	return 1;
}

static int is_label_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c >= 0x80;
}

static int valid_email_domain(const char *s)
{
	size_t labels = 0;
	const char *last = s;

	for (const char *p = s;; p++) {
		if (*p != '.' && *p != '\0') {
			if (!is_label_byte((unsigned char)*p))
				return 0;
			continue;
		}
		size_t n = (size_t)(p - last);
		if (n < 1 || n > EMAIL_LABEL_MAX || last[0] == '-' || p[-1] == '-')
			return 0;
		labels++;
		if (*p == '\0')
			break;
		last = p + 1;
	}
	if (labels < 2 || strlen(last) < 2)
		return 0;
	/* "user@10.0.0.1" is an address, not a mail domain. */
	for (const char *p = last; *p; p++)
		if (*p < '0' || *p > '9')
			return 1;
	return 0;
}

int valid_email(const char *s)
{
	if (!s || strlen(s) > EMAIL_MAX || !valid_utf8_len(s, EMAIL_MAX, NULL))
		return 0;
	const char *at = strchr(s, '@');
	if (!at || strchr(at + 1, '@'))
		return 0;
	return valid_email_local(s, (size_t)(at - s)) && valid_email_domain(at + 1);
}

void valid_excerpt(const char *s, char *out, size_t outlen)
{
	static const char ellipsis[] = "…";
	size_t used = 0, budget;

	if (!outlen)
		return;
	out[0] = '\0';
	if (!s)
		return;
	/* Replacement is byte for byte, so the excerpt is as long as s. */
	budget = outlen - 1;
	/* Keep room for the "…" when cutting, unless out is too small for it. */
	int ell = strlen(s) > budget && budget >= sizeof(ellipsis) - 1;
	if (ell)
		budget -= sizeof(ellipsis) - 1;
	while (*s) {
		size_t n = valid_utf8_char(s);
		if (used + (n ? n : 1) > budget)
			break;
		if (!n) {
			out[used++] = '?';
			s++;
			continue;
		}
		if (*s == '\n' || *s == '\t')
			out[used] = ' ';
		else
			memcpy(out + used, s, n);
		used += n;
		s += n;
	}
	if (ell) {
		memcpy(out + used, ellipsis, sizeof(ellipsis) - 1);
		used += sizeof(ellipsis) - 1;
	}
	out[used] = '\0';
}
