/* import_read.c - rows out of an uploaded file, streaming.
 *
 * CSV: the encoding is decided from the first 64 KiB: a byte-order mark
 * (UTF-8 or UTF-16), else valid UTF-8, else GB18030 (the superset of GBK
 * and GB2312 that Chinese Excel writes as "CSV").  Non-UTF-8 input goes
 * through iconv chunk by chunk; a byte sequence iconv cannot read becomes
 * U+FFFD, which the check reports on its row.  The delimiter (, ; or tab)
 * is sniffed from the header line.
 *
 * .xlsx (a zip of XML parts, read with minizip and expat): the shared
 * strings are loaded (they are what cells refer to), then the first
 * worksheet is parsed as a stream, one row at a time.  Numbers are given
 * as Excel stores them (dates as serial day numbers, which the date
 * parsers of core/impfield.c understand). */
#include "app/import.h"

#include <errno.h>
#include <expat.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unzip.h>

#include "core/csv.h"
#include "core/validate.h"
#include "lib/common.h"

enum { CHUNK = 64 * 1024 };

/* ---------------------------------------------------------------- CSV */

struct csv_ctx {
	imp_row_fn fn;
	void *ctx;
	int rc;
};

static int on_csv_row(void *ctx, int64_t rec, char **cells, int n, int flags)
{
	struct csv_ctx *c = ctx;
	KF_UNUSED(flags); /* cut rows still reach the check, which flags them too long */
	c->rc = c->fn(c->ctx, rec, cells, n);
	return c->rc;
}

/* Valid UTF-8 except possibly a sequence cut at the end of the sample. */
static int looks_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (!len)
			return 0;
		if (i + len > n)
			return 1;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

/* Converts in[0..*inlen) and feeds the UTF-8 to the parser; leaves an
 * incomplete trailing sequence in place (*inlen is what remains). */
static int feed_converted(iconv_t cd, char *in, size_t *inlen, csv *p, int last)
{
	char out[CHUNK * 2];
	char *ip = in;
	size_t il = *inlen;
	while (il > 0) {
		char *op = out;
		size_t ol = sizeof(out) - 4;
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		int err = errno; /* before the row callbacks (database calls) touch it */
		int rc = csv_feed(p, out, (size_t)(op - out));
		if (rc)
			return rc;
		if (r != (size_t)-1 || err == E2BIG)
			continue;
		if (err == EINVAL && !last)
			break; /* a character cut by the chunk: wait for the rest */
		/* EILSEQ (or a truncated end): one replacement character, skip a byte */
		if ((rc = csv_feed(p, "\xEF\xBF\xBD", 3)))
			return rc;
		ip++;
		il--;
	}
	memmove(in, ip, il);
	*inlen = il;
	return 0;
}

static int read_csv(FILE *f, const unsigned char *head, size_t nhead, imp_row_fn fn, void *ctx,
		    const char **encoding, kf_err *e)
{
	const char *from = NULL;
	size_t skip = 0;
	if (nhead >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3)) {
		*encoding = "utf-8-bom";
		skip = 3;
	} else if (nhead >= 2 && !memcmp(head, "\xFF\xFE", 2)) {
		*encoding = "utf-16le";
		from = "UTF-16LE";
		skip = 2;
	} else if (nhead >= 2 && !memcmp(head, "\xFE\xFF", 2)) {
		*encoding = "utf-16be";
		from = "UTF-16BE";
		skip = 2;
	} else if (looks_utf8(head, nhead)) {
		*encoding = "utf-8";
	} else {
		*encoding = "gb18030";
		from = "GB18030";
	}
	iconv_t cd = (iconv_t)-1;
	if (from && (cd = iconv_open("UTF-8", from)) == (iconv_t)-1)
		return kf_fail(e, KF_EINTERNAL, "file", "无法转换编码 %s", "Cannot convert from %s", from);
	struct csv_ctx c = {fn, ctx, 0};
	csv p;
	if (csv_init(&p, ',', on_csv_row, &c) < 0) {
		if (cd != (iconv_t)-1)
			iconv_close(cd);
		return kf_fail(e, KF_EINTERNAL, NULL, "内存不足", "Out of memory");
	}
	char *in = malloc(CHUNK * 2);
	size_t have = nhead - skip;
	memcpy(in, head + skip, have);
	int first = 1, rc = 0, eof = 0;
	while (!rc) {
		if (!eof && have < CHUNK) {
			size_t got = fread(in + have, 1, CHUNK, f);
			have += got;
			eof = got == 0;
		}
		if (first) {
			/* sniff on what the header looks like once decoded; for UTF-16
			 * the tab Excel's "Unicode text" uses is the usual answer */
			p.delim = from && !strncmp(from, "UTF-16", 6) ? '\t' : csv_sniff(in, have);
			first = 0;
		}
		if (cd == (iconv_t)-1) {
			rc = csv_feed(&p, in, have);
			have = 0;
		} else {
			rc = feed_converted(cd, in, &have, &p, eof);
		}
		if (eof && (!have || cd == (iconv_t)-1))
			break;
	}
	if (!rc)
		rc = csv_finish(&p);
	csv_release(&p);
	free(in);
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	if (rc && c.rc)
		return kf_fail(e, c.rc < 0 ? c.rc : KF_EINTERNAL, NULL, "导入中止", "Import stopped");
	if (ferror(f))
		return kf_fail(e, KF_EINVAL, "file", "文件读取失败", "The file could not be read");
	return 0;
}

/* ---------------------------------------------------------------- xlsx */

struct strs {
	char **v;
	size_t n, cap;
};

struct sst_ctx {
	struct strs *s;
	buf cur;
	int in_si, in_t, in_rph;
};

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sst_ctx *c = ud;
	KF_UNUSED(atts);
	if (!strcmp(name, "si")) {
		c->in_si = 1;
		buf_reset(&c->cur);
	} else if (!strcmp(name, "rPh")) {
		c->in_rph = 1; /* phonetic guides (furigana) are not the text */
	} else if (!strcmp(name, "t") && c->in_si && !c->in_rph) {
		c->in_t = 1;
	}
}

static void sst_end(void *ud, const XML_Char *name)
{
	struct sst_ctx *c = ud;
	if (!strcmp(name, "t")) {
		c->in_t = 0;
	} else if (!strcmp(name, "rPh")) {
		c->in_rph = 0;
	} else if (!strcmp(name, "si")) {
		c->in_si = 0;
		struct strs *s = c->s;
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 1024;
			s->v = realloc(s->v, s->cap * sizeof(*s->v));
		}
		s->v[s->n++] = strdup(c->cur.data ? c->cur.data : "");
	}
}

static void sst_text(void *ud, const XML_Char *t, int len)
{
	struct sst_ctx *c = ud;
	if (c->in_t)
		buf_append(&c->cur, t, (size_t)len);
}

/* Streams the current zip entry through an expat parser. */
static int parse_entry(unzFile z, XML_Parser xp)
{
	char *chunk = malloc(CHUNK);
	int n, rc = 0;
	while ((n = unzReadCurrentFile(z, chunk, CHUNK)) > 0) {
		if (XML_Parse(xp, chunk, n, 0) == XML_STATUS_ERROR) {
			rc = -1;
			break;
		}
	}
	if (!rc && (n < 0 || XML_Parse(xp, chunk, 0, 1) == XML_STATUS_ERROR))
		rc = -1;
	free(chunk);
	return rc;
}

static int load_shared(unzFile z, struct strs *s)
{
	if (unzLocateFile(z, "xl/sharedStrings.xml", 0) != UNZ_OK)
		return 0; /* a workbook with inline strings only */
	if (unzOpenCurrentFile(z) != UNZ_OK)
		return -1;
	struct sst_ctx c = {.s = s};
	buf_init(&c.cur, CSV_MAX_RECORD);
	XML_Parser xp = XML_ParserCreate("UTF-8");
	XML_SetUserData(xp, &c);
	XML_SetElementHandler(xp, sst_start, sst_end);
	XML_SetCharacterDataHandler(xp, sst_text);
	int rc = parse_entry(z, xp);
	XML_ParserFree(xp);
	buf_release(&c.cur);
	unzCloseCurrentFile(z);
	return rc;
}

struct sheet_ctx {
	struct strs *sst;
	imp_row_fn fn;
	void *ctx;
	int rc;
	int64_t row;
	int col;     /* current cell's column, 0-based */
	char type;   /* 's' shared, 'i' inline, 'b' bool, 'e' error, 'n' number/str */
	int in_v, in_t;
	buf val;
	buf cells;   /* the row's cells, NUL-separated */
	size_t offs[IMP_MAX_COLS];
	int ncells;
};

static int col_of(const char *ref)
{
	int c = 0;
	for (; *ref >= 'A' && *ref <= 'Z'; ref++)
		c = c * 26 + (*ref - 'A' + 1);
	return c - 1;
}

static const char *attr(const XML_Char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (!strcmp(atts[i], name))
			return atts[i + 1];
	return NULL;
}

static void sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sheet_ctx *c = ud;
	if (!strcmp(name, "row")) {
		/* Line numbers go up, as the import's rows are keyed by them: a row
		 * without r, or with one that is not past the last (a file written
		 * by hand or by a careless tool), is the next line. */
		const char *r = attr(atts, "r");
		long long n = r ? atoll(r) : 0;
		c->row = n > c->row && n <= INT32_MAX ? n : c->row + 1;
		buf_reset(&c->cells);
		c->ncells = 0;
	} else if (!strcmp(name, "c")) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t");
		c->col = r ? col_of(r) : c->ncells;
		c->type = !t ? 'n' : !strcmp(t, "s") ? 's' : !strcmp(t, "inlineStr") ? 'i'
			: !strcmp(t, "b") ? 'b' : !strcmp(t, "e") ? 'e' : 'n';
		buf_reset(&c->val);
	} else if (!strcmp(name, "v")) {
		c->in_v = 1;
	} else if (!strcmp(name, "t") && c->type == 'i') {
		c->in_t = 1;
	}
}

/* Excel stores 1234.56 as 1234.5599999999999: print numbers back with 15
 * significant digits, as Excel shows them. */
static const char *number_text(const char *v, char *tmp, size_t n)
{
	char *end;
	double d = strtod(v, &end);
	if (!*v || *end || !strpbrk(v, ".eE"))
		return v;
	snprintf(tmp, n, "%.15g", d);
	return tmp;
}

static void put_cell(struct sheet_ctx *c)
{
	if (c->col < 0 || c->col >= IMP_MAX_COLS || c->col < c->ncells)
		return;
	while (c->ncells < c->col) { /* empty cells in between */
		c->offs[c->ncells++] = c->cells.len;
		buf_putc(&c->cells, '\0');
	}
	const char *v = c->val.data ? c->val.data : "";
	char tmp[64];
	if (c->type == 's') {
		long i = atol(v);
		v = i >= 0 && (size_t)i < c->sst->n ? c->sst->v[i] : "";
	} else if (c->type == 'b') {
		v = !strcmp(v, "1") ? "TRUE" : "FALSE";
	} else if (c->type == 'n') {
		v = number_text(v, tmp, sizeof(tmp));
	}
	c->offs[c->ncells++] = c->cells.len;
	buf_puts(&c->cells, v);
	buf_putc(&c->cells, '\0'); /* the NUL separates the cells */
}

static void sh_end(void *ud, const XML_Char *name)
{
	struct sheet_ctx *c = ud;
	if (!strcmp(name, "v")) {
		c->in_v = 0;
	} else if (!strcmp(name, "t")) {
		c->in_t = 0;
	} else if (!strcmp(name, "c")) {
		put_cell(c);
	} else if (!strcmp(name, "row") && !c->rc) {
		char *cells[IMP_MAX_COLS];
		int empty = 1;
		for (int i = 0; i < c->ncells; i++) {
			cells[i] = c->cells.data + c->offs[i];
			empty &= !cells[i][0];
		}
		if (!empty)
			c->rc = c->fn(c->ctx, c->row, cells, c->ncells);
	}
}

static void sh_text(void *ud, const XML_Char *t, int len)
{
	struct sheet_ctx *c = ud;
	if (c->in_v || c->in_t)
		buf_append(&c->val, t, (size_t)len);
}

static int locate_sheet(unzFile z)
{
	if (unzLocateFile(z, "xl/worksheets/sheet1.xml", 0) == UNZ_OK)
		return 0;
	/* Renamed sheets: the first worksheet part in the archive. */
	for (int rc = unzGoToFirstFile(z); rc == UNZ_OK; rc = unzGoToNextFile(z)) {
		char name[256];
		if (unzGetCurrentFileInfo64(z, NULL, name, sizeof(name), NULL, 0, NULL, 0) == UNZ_OK &&
		    !strncmp(name, "xl/worksheets/sheet", 19))
			return 0;
	}
	return -1;
}

static int read_xlsx(FILE *f, imp_row_fn fn, void *ctx, kf_err *e)
{
	char path[64];
	fflush(f);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(f));
	unzFile z = unzOpen64(path);
	if (!z)
		return kf_fail(e, KF_EINVAL, "file", "无法打开 .xlsx 文件（文件损坏或不是 Excel 工作簿）",
			       "Cannot open the .xlsx file (damaged, or not an Excel workbook)");
	struct strs sst = {0};
	int rc = load_shared(z, &sst);
	struct sheet_ctx c = {.sst = &sst, .fn = fn, .ctx = ctx};
	buf_init(&c.val, CSV_MAX_RECORD);
	buf_init(&c.cells, CSV_MAX_RECORD + IMP_MAX_COLS);
	if (rc == 0 && (locate_sheet(z) < 0 || unzOpenCurrentFile(z) != UNZ_OK))
		rc = -1;
	else if (rc == 0) {
		XML_Parser xp = XML_ParserCreate("UTF-8");
		XML_SetUserData(xp, &c);
		XML_SetElementHandler(xp, sh_start, sh_end);
		XML_SetCharacterDataHandler(xp, sh_text);
		rc = parse_entry(z, xp);
		XML_ParserFree(xp);
		unzCloseCurrentFile(z);
	}
	unzClose(z);
	for (size_t i = 0; i < sst.n; i++)
		free(sst.v[i]);
	free(sst.v);
	buf_release(&c.val);
	buf_release(&c.cells);
	if (c.rc)
		return kf_fail(e, c.rc < 0 ? c.rc : KF_EINTERNAL, NULL, "导入中止", "Import stopped");
	if (rc < 0)
		return kf_fail(e, KF_EINVAL, "file", "无法读取 .xlsx 工作表（文件损坏？）",
			       "Cannot read the .xlsx worksheet (damaged file?)");
	return 0;
}

int imp_read(FILE *f, imp_row_fn fn, void *ctx, const char **encoding, kf_err *e)
{
	unsigned char *head = malloc(CHUNK);
	size_t n = fread(head, 1, CHUNK, f);
	int rc;
	if (n >= 4 && !memcmp(head, "PK\x03\x04", 4)) {
		*encoding = "xlsx";
		rc = read_xlsx(f, fn, ctx, e);
	} else if (n == 0) {
		rc = kf_fail(e, KF_EINVAL, "file", "文件是空的", "The file is empty");
	} else {
		rc = read_csv(f, head, n, fn, ctx, encoding, e);
	}
	free(head);
	return rc;
}
