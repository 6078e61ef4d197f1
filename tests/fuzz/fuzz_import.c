/* fuzz_import.c - the importer's reading side, everything before the
 * database: app/import_read.c (encoding detection: BOM, UTF-16, UTF-8 or
 * GB18030 through iconv; delimiter sniffing; .xlsx through minizip and
 * expat) and the cell parsers of core/impfield.c that the check applies.
 *
 * The input is the uploaded file (in a memfd, because the .xlsx reader
 * opens it by path).  Invariants: the encoding is one of the names the API
 * documents; line numbers go up; at most IMP_MAX_COLS cells; cells of a
 * converted file (GB18030, UTF-16) are valid UTF-8; each cell's parsed
 * forms are in range and round-trip where they can: a parsed date is a
 * valid date and parses to itself, an amount is within ±10^12 fen, a
 * classification code is a code of its set, a suggested field exists,
 * tags lie inside the cell, trimming only shortens. */
#include "tests/fuzz/fuzz.h"

#include <sys/mman.h>
#include <unistd.h>

#include "app/import.h"
#include "core/validate.h"

struct rows {
	const char *encoding;
	int64_t last;
};

static void on_tag(void *ctx, const char *t, size_t n)
{
	const char *cell = ctx;
	FUZZ_CHECK(n > 0, "empty tag");
	FUZZ_CHECK(t >= cell && t + n <= cell + strlen(cell), "tag outside its cell");
}

static void check_cell(const char *cell, int col)
{
	int64_t fen;
	if (impf_amount_fen(cell, &fen) == 0)
		FUZZ_CHECK(fen >= -1000000000000LL && fen <= 1000000000000LL, "amount %lld",
			   (long long)fen);

	char d[11], d2[11];
	if (impf_date(cell, d) == 0) {
		FUZZ_CHECK(valid_date(d), "impf_date gave %s", d);
		FUZZ_CHECK(impf_date(d, d2) == 0 && !strcmp(d, d2), "%s does not parse to itself", d);
	}
	int64_t ms;
	(void)impf_datetime_ms(cell, col * 60 - 720, &ms);

	static const char *const sets[] = {"kind", "source", "lifecycle", "chain_role",
					   "value_class"};
	const char *set = sets[col % 5];
	const char *code = impf_class_code(set, cell);
	if (code)
		FUZZ_CHECK(impf_class_code(set, code) && !strcmp(impf_class_code(set, code), code),
			   "code %s of %s is not its own code", code, set);

	for (int k = IMPF_CUSTOMERS; k <= IMPF_ORDERS; k++) {
		const char *f = impf_suggest(k, cell);
		if (f)
			FUZZ_CHECK(impf_field(k, f) != NULL, "suggested unknown field %s", f);
	}
	impf_split_tags(cell, on_tag, (void *)cell);

	size_t n = strlen(cell);
	char *copy = strdup(cell);
	char *t = impf_trim(copy);
	FUZZ_CHECK(t >= copy && strlen(t) <= n, "trim grew the cell");
	free(copy);
}

static int on_row(void *ctx, int64_t line, char **cells, int ncells)
{
	struct rows *r = ctx;
	FUZZ_CHECK(line > r->last, "line %lld after %lld", (long long)line, (long long)r->last);
	FUZZ_CHECK(ncells >= 0 && ncells <= IMP_MAX_COLS, "%d cells", ncells);
	r->last = line;
	int converted = r->encoding && (!strcmp(r->encoding, "gb18030") ||
					 !strncmp(r->encoding, "utf-16", 6));
	for (int i = 0; i < ncells; i++) {
		if (converted)
			FUZZ_CHECK(fuzz_utf8_str(cells[i]), "cell %d of line %lld is not UTF-8", i,
				   (long long)line);
		check_cell(cells[i], i);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-import", 0);
	FUZZ_CHECK(fd >= 0, "memfd_create");
	FUZZ_CHECK(write(fd, data, size) == (ssize_t)size, "write");
	FILE *f = fdopen(fd, "rb");
	FUZZ_CHECK(f && fseek(f, 0, SEEK_SET) == 0, "fdopen");

	struct rows r = {NULL, 0};
	kf_err e;
	kf_err_clear(&e);
	/* imp_read names the encoding before it hands over the first row. */
	int rc = imp_read(f, on_row, &r, &r.encoding, &e);
	const char *enc = r.encoding;
	if (rc == 0) {
		static const char *const names[] = {"utf-8", "utf-8-bom", "utf-16le", "utf-16be",
						    "gb18030", "xlsx"};
		int known = 0;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			known |= enc && !strcmp(enc, names[i]);
		FUZZ_CHECK(known, "encoding %s", enc ? enc : "(null)");
	} else {
		FUZZ_CHECK(rc < 0 && e.code == rc, "failed with %d but error %d", rc, e.code);
	}
	fclose(f);
	return 0;
}
