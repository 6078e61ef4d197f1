/* buf.h - a growable byte buffer with a hard maximum.
 *
 * Invariants: `data` is NUL-terminated whenever `data != NULL`, `len` never
 * counts the terminator, and `len <= max`.  An append that would pass `max`
 * fails with -1 and leaves the buffer as it was, so input can never make us
 * allocate without bound.  A zeroed struct is not valid: use buf_init. */
#ifndef KF_BUF_H
#define KF_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
} buf;

void buf_init(buf *b, size_t max);
/* Frees the storage; the buffer may be used again after buf_init. */
void buf_release(buf *b);
void buf_reset(buf *b);
int buf_append(buf *b, const void *p, size_t n);
int buf_puts(buf *b, const char *s);
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Hands the storage to the caller (who frees it) and re-initialises b. */
char *buf_detach(buf *b, size_t *len);

#endif
