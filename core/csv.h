/* csv.h - a streaming CSV reader (RFC 4180 as spreadsheets write it).
 *
 * Bytes are fed in chunks of any size; each complete record is handed to
 * the caller's callback as an array of NUL-terminated cells, valid only
 * during the call.  Quoted fields may hold the delimiter, doubled quotes
 * and line breaks; CRLF, LF and CR all end a record.  Memory is bounded:
 * a record longer than CSV_MAX_RECORD bytes or wider than CSV_MAX_COLS
 * cells is cut and flagged, never grown without limit.  The reader knows
 * nothing about encodings: feed it UTF-8.  Pure: no I/O. */
#ifndef KF_CORE_CSV_H
#define KF_CORE_CSV_H

#include <stddef.h>
#include <stdint.h>

enum { CSV_MAX_COLS = 256, CSV_MAX_RECORD = 1 << 20 };

/* Flags of a record handed to the callback. */
enum {
	CSV_TOO_LONG = 1, /* cut at CSV_MAX_RECORD bytes */
	CSV_TOO_WIDE = 2, /* cells past CSV_MAX_COLS dropped */
	CSV_UNCLOSED = 4, /* the input ended inside a quoted field */
};

/* Called once per record; rec counts records from 1.  Return 0 to go on,
 * non-zero to stop (csv_feed then returns that value). */
typedef int (*csv_row_fn)(void *ctx, int64_t rec, char **cells, int ncells, int flags);

typedef struct csv {
	char delim;
	csv_row_fn fn;
	void *ctx;
	int64_t rec;
	int state;
	int flags;
	char *data; /* the record's cells, each NUL-terminated */
	size_t len;
	size_t start; /* where the current cell begins in data */
	size_t offs[CSV_MAX_COLS];
	int ncells;
	int stopped;
} csv;

/* delim: ',' ';' or '\t'.  Returns 0, or -1 if out of memory. */
int csv_init(csv *p, char delim, csv_row_fn fn, void *ctx);
void csv_release(csv *p);
/* Returns 0, or the callback's non-zero answer (then stop feeding). */
int csv_feed(csv *p, const char *data, size_t n);
/* Ends the input: hands over a last record without a line break. */
int csv_finish(csv *p);

/* The delimiter a header line most likely uses (',' ';' or '\t'), counting
 * outside quotes up to the first line break of sample. */
char csv_sniff(const char *sample, size_t n);

#endif
