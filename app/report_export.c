/* report_export.c - report tables as files: .xlsx through libxlsxwriter
 * and CSV; the format negotiation and the date range every report takes.
 *
 * libxlsxwriter 1.1 writes only to a named file, so the workbook goes to
 * a private temporary file (and its own scratch files beside it, in
 * constant-memory mode so a 100,000-row export stays small), is read
 * back, and removed.  Money is written as yuan numbers with a #,##0.00
 * format and shares as fractions with 0.00%, so Excel can compute on
 * them; CSV carries the same numbers as text (shares in percent). */
#include "app/report.h"
#include "app/customer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/segment.h"
#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

enum { CSV_MAX = 256 << 20 };
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

void rep_init(struct rep_table *t, arena *a, const char *name, const char *title_zh,
	      const char *title_en, const struct rep_col *cols, int ncols)
{
	*t = (struct rep_table){.a = a, .name = name, .title_zh = title_zh, .title_en = title_en,
				.cols = cols, .ncols = ncols};
}

struct rep_cell *rep_row(struct rep_table *t)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct rep_cell *c = arena_alloc(t->a, cap * (size_t)t->ncols * sizeof(*c));
		if (t->nrows)
			memcpy(c, t->cells, t->nrows * (size_t)t->ncols * sizeof(*c));
		t->cells = c;
		t->cap = cap;
	}
	struct rep_cell *row = &t->cells[t->nrows++ * (size_t)t->ncols];
	memset(row, 0, (size_t)t->ncols * sizeof(*row));
	return row;
}

void rep_info(struct rep_table *t, const char *key, const char *value)
{
	if (t->ninfo < REP_MAX_INFO) {
		t->info_k[t->ninfo] = key;
		t->info_v[t->ninfo++] = value;
	}
}

const char *rep_time_text(arena *a, int64_t ms)
{
	if (!ms)
		return "";
	char day[11];
	seg_format_day(ms, day);
	int64_t tod = ((ms + 8 * 3600000LL) % 86400000LL + 86400000LL) % 86400000LL;
	return arena_printf(a, "%s %02d:%02d", day, (int)(tod / 3600000), (int)(tod / 60000 % 60));
}

/* ---- negotiation and range --------------------------------------------------- */

int rep_format(http_req *r, int *fmt)
{
	const char *f = http_query(r, "format");
	*fmt = REP_JSON;
	if (f && *f) {
		if (!strcmp(f, "csv"))
			*fmt = REP_CSV;
		else if (!strcmp(f, "xlsx"))
			*fmt = REP_XLSX;
		else if (strcmp(f, "json"))
			return http_fail(r, KF_EINVAL, "format", "format 只能是 json、csv 或 xlsx",
					 "format must be json, csv or xlsx");
		return 0;
	}
	const char *acc = http_header(r, "Accept");
	if (acc && strstr(acc, "spreadsheetml"))
		*fmt = REP_XLSX;
	else if (acc && strstr(acc, "text/csv"))
		*fmt = REP_CSV;
	return 0;
}

static int parse_when(const char *s, int is_to, int64_t *out)
{
	if (seg_parse_day(s, out) == 0) {
		if (is_to)
			*out += 86400000LL; /* the whole day */
		return 0;
	}
	return util_parse_i64(s, out) == 0 && *out >= 0 ? 0 : -1;
}

int rep_range(http_req *r, int64_t dflt_from, int64_t dflt_to, int64_t *from, int64_t *to)
{
	const char *f = http_query(r, "from"), *t = http_query(r, "to");
	*from = dflt_from;
	*to = dflt_to;
	if (f && *f && parse_when(f, 0, from) < 0)
		return http_fail(r, KF_EINVAL, "from", "from 应为日期 YYYY-MM-DD 或毫秒时间戳",
				 "from must be a date YYYY-MM-DD or epoch milliseconds");
	if (t && *t && parse_when(t, 1, to) < 0)
		return http_fail(r, KF_EINVAL, "to", "to 应为日期 YYYY-MM-DD 或毫秒时间戳",
				 "to must be a date YYYY-MM-DD or epoch milliseconds");
	if (*from >= *to)
		return http_fail(r, KF_EINVAL, "to", "结束时间必须晚于开始时间",
				 "The end must come after the start");
	return 0;
}

int rep_filter(http_req *r, struct rep_filter *f)
{
	struct customer_filter cf = {.n = 0};
	buf_init(&cf.where, 4096);
	int rc = customer_report_filter(r, &cf);
	if (rc == 0) {
		f->where = arena_strdup(r->a, cf.where.data ? cf.where.data : "1 = 1");
		memcpy(f->args, cf.args, sizeof(f->args));
		f->n = cf.n;
		f->narrowed = cf.narrowed;
		f->scope = NULL;
		/* one condition, on the customer type or the department: the
		 * recompute counted it ahead */
		static const char *const params[] = {"kind",	     "source", "lifecycle", "chain_role",
						     "value_class", "tier",   "industry",  "tag",
						     "owner",	     "department_id"};
		int given = 0;
		const char *last = NULL, *v;
		for (size_t i = 0; i < KF_ARRAY_LEN(params); i++)
			if ((v = http_query(r, params[i])) && *v) {
				given++;
				last = params[i];
			}
		if (given == 1 && f->narrowed && (!strcmp(last, "kind") || !strcmp(last, "department_id")))
			f->scope = arena_printf(r->a, "%s=%s", last, http_query(r, last));
	}
	buf_release(&cf.where);
	return rc;
}

json_t *rep_scope(json_t *summary, const struct rep_filter *f)
{
	return f->scope ? json_object_get(json_object_get(summary, "scopes"), f->scope) : NULL;
}

db_val *rep_args(http_req *r, const struct rep_filter *f, const db_val *pre, int npre,
		 const db_val *post, int npost, int *n)
{
	*n = npre + f->n + npost;
	db_val *a = arena_alloc(r->a, (size_t)(*n ? *n : 1) * sizeof(*a));
	for (int i = 0; i < npre; i++)
		a[i] = pre[i];
	for (int i = 0; i < f->n; i++)
		a[npre + i] = f->args[i];
	for (int i = 0; i < npost; i++)
		a[npre + f->n + i] = post[i];
	return a;
}

/* ---- CSV --------------------------------------------------------------------- */

static void csv_text(buf *b, const char *s)
{
	if (!s)
		return;
	/* A leading = + - @ makes Excel run the cell as a formula: neutralise
	 * it, since names come from users. */
	int formula = strchr("=+-@\t\r", s[0]) && s[0];
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

static void csv_fen(buf *b, int64_t fen)
{
	uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	buf_printf(b, "%s%llu.%02llu", fen < 0 ? "-" : "", (unsigned long long)(a / 100),
		   (unsigned long long)(a % 100));
}

static void csv_cell(buf *b, arena *a, const struct rep_col *c, const struct rep_cell *v)
{
	switch (c->kind) {
	case REP_INT:
		buf_printf(b, "%lld", (long long)v->i);
		break;
	case REP_FEN:
		csv_fen(b, v->i);
		break;
	case REP_SHARE:
		buf_printf(b, "%.2f", v->d * 100.0);
		break;
	case REP_TIME:
		buf_puts(b, rep_time_text(a, v->i));
		break;
	default:
		csv_text(b, v->s);
	}
}

static const char *header(const struct rep_table *t, int i, int en)
{
	const struct rep_col *c = &t->cols[i];
	const char *name = en ? c->en : c->zh;
	if (c->kind == REP_FEN)
		return arena_printf(t->a, en ? "%s (yuan)" : "%s（元）", name);
	if (c->kind == REP_SHARE)
		return arena_printf(t->a, en ? "%s (%%)" : "%s（%%）", name);
	return name;
}

static int csv_build(const struct rep_table *t, int en, buf *b)
{
	buf_puts(b, "\xEF\xBB\xBF");
	for (int i = 0; i < t->ncols; i++) {
		if (i)
			buf_putc(b, ',');
		csv_text(b, header(t, i, en));
	}
	buf_puts(b, "\r\n");
	for (size_t r = 0; r < t->nrows; r++) {
		for (int i = 0; i < t->ncols; i++) {
			if (i)
				buf_putc(b, ',');
			csv_cell(b, t->a, &t->cols[i], &t->cells[r * (size_t)t->ncols + (size_t)i]);
		}
		if (buf_puts(b, "\r\n") < 0)
			return -1;
	}
	return 0;
}

/* ---- xlsx -------------------------------------------------------------------- */

struct xfmt {
	lxw_format *bold, *money, *share;
};

static void xlsx_cell(lxw_worksheet *ws, arena *a, lxw_row_t row, lxw_col_t col,
		      const struct rep_col *c, const struct rep_cell *v, const struct xfmt *f)
{
	switch (c->kind) {
	case REP_INT:
		worksheet_write_number(ws, row, col, (double)v->i, NULL);
		break;
	case REP_FEN:
		worksheet_write_number(ws, row, col, (double)v->i / 100.0, f->money);
		break;
	case REP_SHARE:
		worksheet_write_number(ws, row, col, v->d, f->share);
		break;
	case REP_TIME:
		worksheet_write_string(ws, row, col, rep_time_text(a, v->i), NULL);
		break;
	default:
		worksheet_write_string(ws, row, col, v->s ? v->s : "", NULL);
	}
}

static void xlsx_sheets(lxw_workbook *wb, const struct rep_table *t, int en)
{
	struct xfmt f = {workbook_add_format(wb), workbook_add_format(wb), workbook_add_format(wb)};
	format_set_bold(f.bold);
	format_set_num_format(f.money, "#,##0.00");
	format_set_num_format(f.share, "0.00%");
	lxw_worksheet *ws = workbook_add_worksheet(wb, en ? t->title_en : t->title_zh);
	lxw_worksheet *info = t->ninfo ? workbook_add_worksheet(wb, en ? "Parameters" : "参数") : NULL;
	for (int i = 0; i < t->ncols; i++) {
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, t->cols[i].kind == REP_TEXT ? 24 : 16,
				     NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)i, header(t, i, en), f.bold);
	}
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t r = 0; r < t->nrows; r++)
		for (int i = 0; i < t->ncols; i++)
			xlsx_cell(ws, t->a, (lxw_row_t)(r + 1), (lxw_col_t)i, &t->cols[i],
				  &t->cells[r * (size_t)t->ncols + (size_t)i], &f);
	if (info) {
		worksheet_set_column(info, 0, 1, 28, NULL);
		for (int i = 0; i < t->ninfo; i++) {
			worksheet_write_string(info, (lxw_row_t)i, 0, t->info_k[i], f.bold);
			worksheet_write_string(info, (lxw_row_t)i, 1, t->info_v[i], NULL);
		}
	}
}

static int read_file(const char *path, buf *out)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	char chunk[65536];
	size_t n;
	int rc = 0;
	while (rc == 0 && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		rc = buf_append(out, chunk, n);
	if (ferror(fp))
		rc = -1;
	fclose(fp);
	return rc;
}

static int xlsx_build(const struct rep_table *t, int en, buf *out)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char *path = arena_printf(t->a, "%s/kefu-report-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0)
		return log_error("report: cannot create a temporary file in %s", dir);
	close(fd);
	lxw_workbook_options opt = {.constant_memory = 1, .tmpdir = (char *)dir};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	int rc = -1;
	if (wb) {
		lxw_doc_properties props = {.title = (char *)(en ? t->title_en : t->title_zh),
					    .author = (char *)"kefu"};
		workbook_set_properties(wb, &props);
		xlsx_sheets(wb, t, en);
		lxw_error err = workbook_close(wb);
		if (err != LXW_NO_ERROR)
			log_error("report: xlsx: %s", lxw_strerror(err));
		else
			rc = read_file(path, out);
	}
	unlink(path);
	return rc;
}

int rep_json(http_req *r, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(12));
	json_decref(o);
	if (!s)
		return http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	int rc = http_text(r, 200, "application/json", s, strlen(s));
	free(s);
	return rc;
}

int rep_send(http_req *r, struct rep_table *t, int fmt)
{
	buf b;
	buf_init(&b, CSV_MAX);
	int rc = fmt == REP_XLSX ? xlsx_build(t, r->lang_en, &b) : csv_build(t, r->lang_en, &b);
	if (rc < 0) {
		buf_release(&b);
		return http_fail(r, KF_EINTERNAL, NULL, "导出文件失败", "The export failed");
	}
	char day[11];
	seg_format_day(util_now_ms(), day);
	http_add_header(r, "Content-Disposition",
			arena_printf(r->a, "attachment; filename=\"kefu-%s-%s.%s\"", t->name, day,
				     fmt == REP_XLSX ? "xlsx" : "csv"));
	rc = http_text(r, 200, fmt == REP_XLSX ? XLSX_TYPE : "text/csv; charset=utf-8", b.data,
		       b.len);
	buf_release(&b);
	return rc;
}
