/* fuzz_csv.c - core/csv.c, the streaming CSV reader of the importer.
 *
 * Input: byte 0 picks the delimiter, the next 16 bytes the chunk sizes;
 * the rest is the file.  The file is read twice, in one piece and in
 * chunks of those sizes, and both reads must hand over the same records
 * (a digest of every cell and flag), with record numbers counting up from
 * 1, at most CSV_MAX_COLS cells and CSV_MAX_RECORD bytes per record.
 * csv_sniff must answer one of the three delimiters. */
#include "tests/fuzz/fuzz.h"

#include "core/csv.h"

struct seen {
	uint64_t digest;
	int64_t rows;
};

static void mix(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		*h = (*h ^ c[i]) * 1099511628211ULL;
}

static int on_row(void *ctx, int64_t rec, char **cells, int ncells, int flags)
{
	struct seen *s = ctx;
	FUZZ_CHECK(rec == s->rows + 1, "record %lld after %lld", (long long)rec, (long long)s->rows);
	FUZZ_CHECK(ncells >= 0 && ncells <= CSV_MAX_COLS, "%d cells", ncells);
	FUZZ_CHECK((flags & ~(CSV_TOO_LONG | CSV_TOO_WIDE | CSV_UNCLOSED)) == 0, "flags %x", flags);
	s->rows = rec;
	size_t total = 0;
	for (int i = 0; i < ncells; i++) {
		size_t n = strlen(cells[i]);
		total += n;
		mix(&s->digest, cells[i], n + 1);
	}
	FUZZ_CHECK(total <= CSV_MAX_RECORD, "record of %zu bytes", total);
	mix(&s->digest, &ncells, sizeof ncells);
	mix(&s->digest, &flags, sizeof flags);
	return 0;
}

static void read_all(char delim, const uint8_t *d, size_t n, const uint8_t *chunks, size_t nchunks,
		     struct seen *s)
{
	csv p;
	memset(s, 0, sizeof(*s));
	FUZZ_CHECK(csv_init(&p, delim, on_row, s) == 0, "csv_init");
	size_t i = 0, k = 0;
	while (i < n) {
		size_t c = nchunks ? (size_t)chunks[k++ % nchunks] + 1 : n;
		if (c > n - i)
			c = n - i;
		FUZZ_CHECK(csv_feed(&p, (const char *)d + i, c) == 0, "csv_feed");
		i += c;
	}
	FUZZ_CHECK(csv_finish(&p) == 0, "csv_finish");
	csv_release(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = {',', ';', '\t'};
	if (size < 1)
		return 0;
	char delim = delims[data[0] % 3];
	size_t nchunks = size - 1 < 16 ? size - 1 : 16;
	const uint8_t *chunks = data + 1, *d = data + 1 + nchunks;
	size_t n = size - 1 - nchunks;

	struct seen whole, cut;
	read_all(delim, d, n, NULL, 0, &whole);
	read_all(delim, d, n, chunks, nchunks, &cut);
	FUZZ_CHECK(whole.rows == cut.rows, "%lld rows whole, %lld in chunks", (long long)whole.rows,
		   (long long)cut.rows);
	FUZZ_CHECK(whole.digest == cut.digest, "chunked read differs");

	char s = csv_sniff((const char *)d, n);
	FUZZ_CHECK(s == ',' || s == ';' || s == '\t', "sniffed %d", s);
	return 0;
}
