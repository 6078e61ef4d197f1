/* fuzz.h - what every libFuzzer target in tests/fuzz shares: a check that
 * aborts with a message (so libFuzzer keeps the input as a crash file), a
 * strict UTF-8 test written independently of core/validate.c, and a small
 * deterministic byte source for targets that take choices (chunk sizes,
 * flags) from the front of their input.  Header-only: each target is one
 * .c file that includes it. */
#ifndef KF_FUZZ_H
#define KF_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                                  \
	do {                                                                                   \
		if (!(cond)) {                                                                 \
			fprintf(stderr, "fuzz check failed at %s:%d: %s: ", __FILE__, __LINE__, \
				#cond);                                                        \
			fprintf(stderr, __VA_ARGS__);                                          \
			fputc('\n', stderr);                                                   \
			abort();                                                               \
		}                                                                              \
	} while (0)

/* 1 if s[0..n) is well-formed UTF-8: shortest forms only, no surrogates,
 * nothing above U+10FFFF.  NUL bytes are allowed (they are well-formed). */
static inline int fuzz_utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		unsigned c = *p++;
		if (c < 0x80)
			continue;
		int more;
		unsigned cp, min;
		if ((c & 0xE0) == 0xC0)
			more = 1, cp = c & 0x1F, min = 0x80;
		else if ((c & 0xF0) == 0xE0)
			more = 2, cp = c & 0x0F, min = 0x800;
		else if ((c & 0xF8) == 0xF0)
			more = 3, cp = c & 0x07, min = 0x10000;
		else
			return 0;
		if (e - p < more)
			return 0;
		while (more--) {
			if ((*p & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (*p++ & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
	}
	return 1;
}

static inline int fuzz_utf8_str(const char *s)
{
	return s ? fuzz_utf8_ok(s, strlen(s)) : 1;
}

/* Choices taken from the front of the input; 0 once it is used up. */
struct fuzz_src {
	const uint8_t *p;
	size_t n;
};

static inline unsigned fuzz_byte(struct fuzz_src *s)
{
	if (!s->n)
		return 0;
	s->n--;
	return *s->p++;
}

/* A NUL-terminated copy of data[0..n) (callers free it). */
static inline char *fuzz_strndup(const uint8_t *data, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, data, n);
	s[n] = 0;
	return s;
}

/* Splits the input at the first occurrence of sep (a byte): *a gets the
 * part before, *b the rest; without sep, *a is everything and *b "". */
static inline void fuzz_split(const uint8_t *data, size_t size, uint8_t sep, char **a, char **b)
{
	const uint8_t *m = memchr(data, sep, size);
	size_t na = m ? (size_t)(m - data) : size;
	*a = fuzz_strndup(data, na);
	*b = m ? fuzz_strndup(m + 1, size - na - 1) : fuzz_strndup(data, 0);
}

#endif
