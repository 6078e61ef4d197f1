#include "core/phone.h"

#include <stdio.h>
#include <string.h>

#include "core/validate.h"
#include "lib/common.h"

enum {
	E164_MIN = 8,     /* digits, country code included */
	E164_MAX = 15,
	SCAN_MAX = 20,    /* digits kept while scanning; more is "too long" */
	ECHO_SIZE = 48,   /* bytes of the user's input quoted back */
};

enum scan_rc { SCAN_OK, SCAN_EMPTY, SCAN_BADCHAR, SCAN_TOOLONG };

/* What to tell the user. */
enum bad { BAD_EMPTY, BAD_CHARS, BAD_INTL, BAD_CN };

enum cn_kind { CN_NONE, CN_MOBILE, CN_SERVICE, CN_LANDLINE };

struct scan {
	char d[SCAN_MAX + 1];
	size_t n;
	int plus;
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

/* Keeps the digits and remembers a leading '+'; separators are dropped, one
 * pair of parentheses is allowed ("(010) 1234 5678", "(+86) 138...").  A bad
 * character wins over a length problem: it says more about what went wrong. */
static enum scan_rc scan(const char *in, struct scan *sc)
{
	int depth = 0, parens = 0, seen = 0, toolong = 0;

	sc->n = 0;
	sc->plus = 0;
	for (const char *p = in; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '\t')
			continue;
		seen = 1;
		if (is_digit(c)) {
			if (sc->n < SCAN_MAX)
				sc->d[sc->n++] = c;
			else
				toolong = 1;
		} else if (c == '+') {
			if (sc->n || sc->plus)
				return SCAN_BADCHAR;
			sc->plus = 1;
		} else if (c == '(') {
			if (depth || parens)
				return SCAN_BADCHAR;
			depth = parens = 1;
		} else if (c == ')') {
			if (!depth)
				return SCAN_BADCHAR;
			depth = 0;
		} else if (c != '-' && c != '.') {
			return SCAN_BADCHAR;
		}
	}
	sc->d[sc->n] = '\0';
	if (depth)
		return SCAN_BADCHAR;
	if (!seen)
		return SCAN_EMPTY;
	if (!sc->n)
		return SCAN_BADCHAR;
	return toolong ? SCAN_TOOLONG : SCAN_OK;
}

/* Classifies a Chinese national number written without the trunk "0".
 * Landlines: area code "10" or "2X" (2 digits) or "3XX".."9XX" (3 digits),
 * then 7 or 8 digits. */
static enum cn_kind cn_classify(const char *nat, size_t n, size_t *area_len)
{
	if (!all_digits(nat, n))
		return CN_NONE;
	if (n == 11 && nat[0] == '1' && nat[1] >= '3')
		return CN_MOBILE;
	if (n == 10 && (!strncmp(nat, "400", 3) || !strncmp(nat, "800", 3)))
		return CN_SERVICE;
	size_t area;
	if (nat[0] == '2' || (nat[0] == '1' && nat[1] == '0'))
		area = 2;
	else if (nat[0] >= '3' && nat[0] <= '9')
		area = 3;
	else
		return CN_NONE;
	if (n < area + 7 || n > area + 8)
		return CN_NONE;
	if (area_len)
		*area_len = area;
	return CN_LANDLINE;
}

static int fail(kf_err *e, const char *in, enum bad why)
{
	char echo[ECHO_SIZE];

	valid_excerpt(in, echo, sizeof(echo));
	if (why == BAD_EMPTY)
		return kf_fail(e, KF_EINVAL, "phone", "请填写电话号码",
			       "the phone number is missing");
	if (why == BAD_CHARS)
		return kf_fail(e, KF_EINVAL, "phone",
			       "电话号码格式不正确：“%s”只能包含数字、空格和 - . ( )，+ 只能在开头",
			       "invalid phone number: \"%s\"; use only digits, spaces and - . ( ), with + only at the start",
			       echo);
	if (why == BAD_INTL)
		return kf_fail(e, KF_EINVAL, "phone",
			       "电话号码格式不正确：“%s”（国际号码为国家代码加号码，共 8 到 15 位数字）",
			       "invalid phone number: \"%s\" (an international number has 8 to 15 digits, country code included)",
			       echo);
	return kf_fail(e, KF_EINVAL, "phone",
		       "电话号码格式不正确：“%s”（手机号 11 位，固话需带区号，国外号码以 + 或 00 开头）",
		       "invalid phone number: \"%s\" (a Chinese mobile has 11 digits, a landline needs its area code, a foreign number starts with + or 00)",
		       echo);
}

static int put(const char *prefix, const char *digits, char *out, size_t outlen, kf_err *e)
{
	int n = snprintf(out, outlen, "%s%s", prefix, digits);
	if (n < 0 || (size_t)n >= outlen) {
		out[0] = '\0';
		return kf_fail(e, KF_EINTERNAL, "phone", "电话号码缓冲区太小",
			       "phone number buffer too small");
	}
	return 0;
}

/* digits follow a '+' or "00". */
static int normalize_intl(const char *in, const char *d, size_t n, char *out,
			  size_t outlen, kf_err *e)
{
	if (n >= 2 && d[0] == '8' && d[1] == '6') {
		const char *nat = d + 2;
		if (*nat == '0') /* "+86 (0)10 ..." : the trunk prefix is not part of E.164 */
			nat++;
		if (cn_classify(nat, strlen(nat), NULL) == CN_NONE)
			return fail(e, in, BAD_CN);
		return put("+86", nat, out, outlen, e);
	}
	if (n < E164_MIN || n > E164_MAX || d[0] == '0')
		return fail(e, in, BAD_INTL);
	return put("+", d, out, outlen, e);
}

/* No country code: a Chinese number, and a landline must keep its "0". */
static int normalize_cn(const char *in, const char *d, size_t n, char *out,
			size_t outlen, kf_err *e)
{
	if (d[0] == '0') {
		if (cn_classify(d + 1, n - 1, NULL) != CN_LANDLINE)
			return fail(e, in, BAD_CN);
		return put("+86", d + 1, out, outlen, e);
	}
	enum cn_kind k = cn_classify(d, n, NULL);
	if (k != CN_MOBILE && k != CN_SERVICE)
		return fail(e, in, BAD_CN);
	return put("+86", d, out, outlen, e);
}

int phone_normalize(const char *in, char *out, size_t outlen, kf_err *e)
{
	kf_err scratch;
	struct scan sc;

	if (!e)
		e = &scratch;
	if (!out || !outlen)
		return kf_fail(e, KF_EINTERNAL, "phone", "电话号码缓冲区太小",
			       "phone number buffer too small");
	out[0] = '\0';
	enum scan_rc rc = scan(in ? in : "", &sc);
	if (rc == SCAN_EMPTY)
		return fail(e, in, BAD_EMPTY);
	if (rc == SCAN_BADCHAR)
		return fail(e, in, BAD_CHARS);
	int intl = sc.plus || (sc.n >= 2 && sc.d[0] == '0' && sc.d[1] == '0');
	if (rc == SCAN_TOOLONG)
		return fail(e, in, intl ? BAD_INTL : BAD_CN);
	if (sc.plus)
		return normalize_intl(in, sc.d, sc.n, out, outlen, e);
	if (intl)
		return normalize_intl(in, sc.d + 2, sc.n - 2, out, outlen, e);
	return normalize_cn(in, sc.d, sc.n, out, outlen, e);
}

int phone_is_cn_mobile(const char *e164)
{
	if (!e164 || strncmp(e164, "+86", 3) != 0)
		return 0;
	return cn_classify(e164 + 3, strlen(e164 + 3), NULL) == CN_MOBILE;
}

/* ITU-T E.164 zones 2-9 that use two-digit country codes; zones 1 and 7
 * use one digit, every other code has three. */
static const unsigned char cc2[] = {
	20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49,
	51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84,
	86, 90, 91, 92, 93, 94, 95, 98,
};

size_t phone_country_code_len(const char *e164)
{
	if (!e164 || e164[0] != '+' || !is_digit(e164[1]) || e164[1] == '0')
		return 0;
	const char *d = e164 + 1;
	size_t len = 3;
	if (d[0] == '1' || d[0] == '7') {
		len = 1;
	} else if (is_digit(d[1])) {
		unsigned char two = (unsigned char)((d[0] - '0') * 10 + (d[1] - '0'));
		for (size_t i = 0; i < KF_ARRAY_LEN(cc2); i++)
			if (cc2[i] == two)
				len = 2;
	}
	return all_digits(d, len) ? len : 0;
}

void phone_display(const char *e164, char *out, size_t outlen)
{
	size_t area = 0;

	if (!out || !outlen)
		return;
	if (!e164) {
		out[0] = '\0';
		return;
	}
	enum cn_kind k = CN_NONE;
	const char *nat = e164 + 3;
	if (!strncmp(e164, "+86", 3))
		k = cn_classify(nat, strlen(nat), &area);
	switch (k) {
	case CN_MOBILE:
		snprintf(out, outlen, "+86 %.3s %.4s %.4s", nat, nat + 3, nat + 7);
		break;
	case CN_SERVICE:
		snprintf(out, outlen, "+86 %.3s %.3s %.4s", nat, nat + 3, nat + 6);
		break;
	case CN_LANDLINE: {
		const char *sub = nat + area;
		int head = strlen(sub) == 7 ? 3 : 4;
		snprintf(out, outlen, "+86 %.*s %.*s %s", (int)area, nat, head, sub, sub + head);
		break;
	}
	default:
		snprintf(out, outlen, "%s", e164);
	}
}
