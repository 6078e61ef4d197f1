/* exports.c - lists as files: customers and cases to .xlsx (libxlsxwriter)
 * and CSV (UTF-8 with a BOM, so Excel reads Chinese right), customers and
 * their contacts to vCard 4.0 (RFC 6350).
 *
 *   GET /api/exports/customers?format=csv|xlsx|vcf&...   the filters of GET /api/customers
 *   GET /api/exports/cases?format=csv|xlsx&...           state, type, priority, channel,
 *                                                        open, assignee, created_from/to
 *   GET /api/customers/{id}/vcard                        one customer and its contacts
 *
 * Streaming: rows are read in keyset batches of EXP_BATCH (never the whole
 * list in memory) and written to an unlinked temporary file, which the
 * server then sends (r->resp_fd) and closes.  libxlsxwriter runs in its
 * constant-memory mode.  Headers are in the caller's language; classified
 * values are written as their labels (an export imports back unchanged). */
#include "app/customer.h"
#include "app/case.h"
#include "app/report.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/classes.h"
#include "core/mask.h"
#include "core/validate.h"
#include "core/vcard.h"
#include "lib/common.h"
#include "lib/util.h"

enum { EXP_BATCH = 1000, EXP_MAX_COLS = 32 };
enum exp_format { EXP_CSV, EXP_XLSX, EXP_VCF };
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define TZ_OFFSET_MS (8LL * 3600 * 1000) /* China keeps UTC+8 all year */

struct col {
	const char *zh, *en;
	const char *cls; /* classification set: write the label */
	int kind;        /* 0 text, 1 integer, 2 time (epoch ms), 3 JSON string array */
};

struct writer {
	enum exp_format fmt;
	int en;
	FILE *csv;
	char xpath[64];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	lxw_row_t row;
	int ncol;
};

/* ---------------------------------------------------------------- writers */

static int format_param(http_req *r, int vcf_ok, enum exp_format *f)
{
	const char *v = http_query(r, "format");
	if (!v || !strcmp(v, "xlsx"))
		*f = EXP_XLSX;
	else if (!strcmp(v, "csv"))
		*f = EXP_CSV;
	else if (vcf_ok && !strcmp(v, "vcf"))
		*f = EXP_VCF;
	else
		return http_fail(r, KF_EINVAL, "format", vcf_ok ? "format 只能是 xlsx、csv 或 vcf" : "format 只能是 xlsx 或 csv",
				 vcf_ok ? "format must be xlsx, csv or vcf" : "format must be xlsx or csv");
	return 0;
}

static int w_open(struct writer *w, enum exp_format fmt, int en, const char *sheet)
{
	memset(w, 0, sizeof(*w));
	w->fmt = fmt;
	w->en = en;
	if (fmt != EXP_XLSX) {
		w->csv = tmpfile();
		if (w->csv && fmt == EXP_CSV)
			fputs("\xEF\xBB\xBF", w->csv);
		return w->csv ? 0 : -1;
	}
	snprintf(w->xpath, sizeof(w->xpath), "/tmp/kefu-export-XXXXXX");
	int fd = mkstemp(w->xpath);
	if (fd < 0)
		return -1;
	close(fd);
	lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
	w->wb = workbook_new_opt(w->xpath, &o);
	if (!w->wb) {
		unlink(w->xpath);
		return -1;
	}
	w->ws = workbook_add_worksheet(w->wb, sheet);
	w->bold = workbook_add_format(w->wb);
	format_set_bold(w->bold);
	return 0;
}

/* CSV: quote when needed; a cell that a spreadsheet would run as a formula
 * (=, @, or +/- not followed by a digit) gets a leading apostrophe. */
static void csv_cell(FILE *f, int first, const char *s)
{
	if (!first)
		fputc(',', f);
	int formula = s[0] == '=' || s[0] == '@' ||
		      ((s[0] == '+' || s[0] == '-') && !(s[1] >= '0' && s[1] <= '9'));
	int quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	if (quote)
		fputc('"', f);
}

static void w_text(struct writer *w, int col, const char *s)
{
	if (w->fmt == EXP_XLSX) {
		if (*s)
			worksheet_write_string(w->ws, w->row, (lxw_col_t)col, s, w->row ? NULL : w->bold);
	} else {
		csv_cell(w->csv, col == 0, s);
	}
}

static void w_int(struct writer *w, int col, int64_t v)
{
	if (w->fmt == EXP_XLSX) {
		worksheet_write_number(w->ws, w->row, (lxw_col_t)col, (double)v, NULL);
	} else {
		char n[24];
		snprintf(n, sizeof(n), "%lld", (long long)v);
		csv_cell(w->csv, col == 0, n);
	}
}

static void w_row_end(struct writer *w)
{
	if (w->fmt != EXP_XLSX)
		fputs("\r\n", w->csv);
	w->row++;
}

static void w_header(struct writer *w, const struct col *cols, int n)
{
	for (int i = 0; i < n; i++) {
		w_text(w, i, w->en ? cols[i].en : cols[i].zh);
		if (w->fmt == EXP_XLSX)
			worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].kind == 2 ? 17 : 14, NULL);
	}
	w_row_end(w);
	w->ncol = n;
}

/* Closes the file and answers with it. */
static int w_send(http_req *r, struct writer *w, const char *base)
{
	int fd = -1;
	if (w->fmt == EXP_XLSX) {
		lxw_error e = workbook_close(w->wb);
		w->wb = NULL;
		if (e == LXW_NO_ERROR)
			fd = open(w->xpath, O_RDONLY | O_CLOEXEC);
		unlink(w->xpath);
	} else if (fflush(w->csv) == 0) {
		fd = dup(fileno(w->csv));
	}
	if (w->csv)
		fclose(w->csv);
	w->csv = NULL;
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		if (fd >= 0)
			close(fd);
		return http_fail(r, KF_EINTERNAL, NULL, "导出文件生成失败", "The export file could not be written");
	}
	const char *ext = w->fmt == EXP_XLSX ? "xlsx" : w->fmt == EXP_CSV ? "csv" : "vcf";
	char day[16];
	time_t t = (time_t)((util_now_ms() + TZ_OFFSET_MS) / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	r->status = 200;
	r->resp_type = w->fmt == EXP_XLSX ? XLSX_TYPE
		       : w->fmt == EXP_CSV ? "text/csv; charset=utf-8"
					   : "text/vcard; charset=utf-8";
	r->resp_fd = fd;
	r->resp_len = (size_t)sb.st_size;
	http_add_header(r, "Content-Disposition",
			arena_printf(r->a, "attachment; filename=\"%s-%s.%s\"", base, day, ext));
	return 0;
}

static void w_abort(struct writer *w)
{
	if (w->wb) {
		workbook_close(w->wb);
		unlink(w->xpath);
	}
	if (w->csv)
		fclose(w->csv);
	w->wb = NULL;
	w->csv = NULL;
}

static const char *label(const char *set, const char *code, int en)
{
	const struct class_value *v = class_value(class_find(set), code);
	return v ? (en ? v->en : v->zh) : code;
}

static const char *local_time(arena *a, int64_t ms)
{
	time_t t = (time_t)((ms + TZ_OFFSET_MS) / 1000);
	struct tm tm;
	char s[20];
	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%d %H:%M", &tm);
	return arena_strdup(a, s);
}

static const char *join_tags(arena *a, const char *json)
{
	json_t *arr = json_loads(json, 0, NULL);
	buf b;
	buf_init(&b, 4096);
	size_t i;
	json_t *t;
	json_array_foreach(arr, i, t) buf_printf(&b, "%s%s", i ? "、" : "", json_string_value(t));
	json_decref(arr);
	const char *s = arena_strdup(a, b.data ? b.data : "");
	buf_release(&b);
	return s;
}

/* Writes one cell of a row read by a generic SELECT. */
static void w_cell(http_req *r, struct writer *w, const struct col *c, int i, db_stmt *st, int sc)
{
	if (db_col_null(st, sc))
		w_text(w, i, "");
	else if (c->kind == 1)
		w_int(w, i, db_col_int(st, sc));
	else if (c->kind == 2)
		w_text(w, i, local_time(r->a, db_col_int(st, sc)));
	else if (c->kind == 3)
		w_text(w, i, join_tags(r->a, db_col_text(st, sc)));
	else if (c->cls)
		w_text(w, i, label(c->cls, db_col_text(st, sc), w->en));
	else
		w_text(w, i, db_col_text(st, sc));
}

/* ---------------------------------------------------------------- customers */

static const struct col customer_cols[] = {
	{"编号", "ID", NULL, 1},
	{"客户名称", "Name", NULL, 0},
	{"手机", "Phone", NULL, 0},
	{"客户类型", "Type", "kind", 0},
	{"客户来源", "Source", "source", 0},
	{"生命周期", "Lifecycle", "lifecycle", 0},
	{"供应链角色", "Supply-chain role", "chain_role", 0},
	{"客户价值", "Value", "value_class", 0},
	{"客户层级", "Tier", "tier", 0},
	{"行业", "Industry", NULL, 0},
	{"公司", "Company", NULL, 0},
	{"地址", "Address", NULL, 0},
	{"邮箱", "E-mail", NULL, 0},
	{"微信", "WeChat", NULL, 0},
	{"生日", "Birthday", NULL, 0},
	{"标签", "Tags", NULL, 3},
	{"负责人", "Owner", NULL, 0},
	{"备注", "Notes", NULL, 0},
	{"创建时间", "Created", NULL, 2},
	{"更新时间", "Updated", NULL, 2},
};

#define CUSTOMER_EXPORT_SELECT                                                                   \
	"SELECT c.id, c.name, c.phone, c.kind, c.source, c.lifecycle, c.chain_role,"             \
	" c.value_class, c.tier, c.industry, c.company, c.address, c.email, c.wechat,"           \
	" c.birthday, c.tags, u.display_name, c.notes, c.created_at, c.updated_at, c.owner_id,"  \
	" c.contacts FROM customers c LEFT JOIN users u ON u.id = c.owner_id"

static void vcard_customer(http_req *r, buf *b, db_stmt *st, int masked);

/* Streams the filtered customers, id descending like the list. */
static int export_customers_rows(http_req *r, struct writer *w, struct customer_filter *f)
{
	int64_t after = INT64_MAX;
	int base = f->n;
	buf vc;
	buf_init(&vc, 1 << 20);
	for (;;) {
		f->n = base;
		f->args[f->n++] = DBI(after);
		f->args[f->n++] = DBI(EXP_BATCH);
		const char *sql = arena_printf(r->a, CUSTOMER_EXPORT_SELECT " WHERE %s AND c.id < ?"
						      " ORDER BY c.id DESC LIMIT ?", f->where.data);
		db_stmt *st;
		if (db_query(r->db, sql, f->args, f->n, &st) < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
		int n = 0, rc;
		while ((rc = db_step(st)) == DB_ROW) {
			n++;
			after = db_col_int(st, 0);
			int64_t owner = db_col_null(st, 20) ? 0 : db_col_int(st, 20);
			int masked = customer_masked_for(r, owner);
			if (w->fmt == EXP_VCF) {
				buf_reset(&vc);
				vcard_customer(r, &vc, st, masked);
				fwrite(vc.data, 1, vc.len, w->csv);
				continue;
			}
			for (int i = 0; i < (int)KF_ARRAY_LEN(customer_cols); i++) {
				if (i == 2 && masked && !db_col_null(st, 2)) {
					char m[48];
					mask_phone(db_col_text(st, 2), m, sizeof(m));
					w_text(w, i, m);
				} else {
					w_cell(r, w, &customer_cols[i], i, st, i);
				}
			}
			w_row_end(w);
		}
		db_done(st);
		if (rc < 0) {
			buf_release(&vc);
			return app_db_fail(r, rc, NULL);
		}
		if (n < EXP_BATCH)
			break;
	}
	buf_release(&vc);
	return 0;
}

int exports_customers(http_req *r)
{
	enum exp_format fmt;
	int rc;
	if ((rc = format_param(r, 1, &fmt)) < 0)
		return rc;
	struct customer_filter f = {.n = 0};
	buf_init(&f.where, 4096);
	if ((rc = customer_list_filter(r, &f)) < 0) {
		buf_release(&f.where);
		return rc;
	}
	struct writer w;
	if (w_open(&w, fmt, r->lang_en, r->lang_en ? "Customers" : "客户") < 0) {
		buf_release(&f.where);
		return http_fail(r, KF_EINTERNAL, NULL, "无法创建导出文件", "Cannot create the export file");
	}
	if (fmt != EXP_VCF)
		w_header(&w, customer_cols, (int)KF_ARRAY_LEN(customer_cols));
	rc = export_customers_rows(r, &w, &f);
	buf_release(&f.where);
	if (rc < 0) {
		w_abort(&w);
		return rc;
	}
	return w_send(r, &w, fmt == EXP_VCF ? "contacts" : "customers");
}

/* ---------------------------------------------------------------- vCard */

static void vcard_customer(http_req *r, buf *b, db_stmt *st, int masked)
{
	int org = !strcmp(db_col_text(st, 3), "organization");
	int64_t id = db_col_int(st, 0);
	const char *name = db_col_text(st, 1);
	vcard_begin(b);
	vcard_raw(b, "KIND", NULL, org ? "org" : "individual");
	vcard_text(b, "FN", NULL, name);
	if (org) {
		buf n;
		buf_init(&n, 4096);
		vcard_escape(&n, name);
		vcard_raw(b, "ORG", NULL, n.data);
		buf_release(&n);
	} else if (*db_col_text(st, 10)) {
		buf n;
		buf_init(&n, 4096);
		vcard_escape(&n, db_col_text(st, 10));
		vcard_raw(b, "ORG", NULL, n.data);
		buf_release(&n);
	}
	if (!masked && !db_col_null(st, 2))
		vcard_raw(b, "TEL", "VALUE=uri;TYPE=\"voice,cell\"",
			  arena_printf(r->a, "tel:%s", db_col_text(st, 2)));
	vcard_text(b, "EMAIL", NULL, db_col_text(st, 12));
	if (*db_col_text(st, 11)) {
		buf a;
		buf_init(&a, 4096);
		buf_puts(&a, ";;");
		vcard_escape(&a, db_col_text(st, 11));
		buf_puts(&a, ";;;;");
		vcard_raw(b, "ADR", NULL, a.data);
		buf_release(&a);
	}
	const char *bd = db_col_text(st, 14);
	if (strlen(bd) == 10)
		vcard_raw(b, "BDAY", NULL, arena_printf(r->a, "%.4s%.2s%.2s", bd, bd + 5, bd + 8));
	else if (strlen(bd) == 5)
		vcard_raw(b, "BDAY", NULL, arena_printf(r->a, "--%.2s%.2s", bd, bd + 3));
	const char *tags = join_tags(r->a, db_col_text(st, 15));
	if (*tags) {
		json_t *arr = json_loads(db_col_text(st, 15), 0, NULL);
		buf c;
		buf_init(&c, 4096);
		size_t i;
		json_t *t;
		json_array_foreach(arr, i, t)
		{
			if (i)
				buf_putc(&c, ',');
			vcard_escape(&c, json_string_value(t));
		}
		vcard_raw(b, "CATEGORIES", NULL, c.data);
		buf_release(&c);
		json_decref(arr);
	}
	vcard_text(b, "NOTE", NULL, db_col_text(st, 17));
	vcard_raw(b, "UID", NULL, arena_printf(r->a, "urn:kefu:customer:%lld", (long long)id));
	time_t rev = (time_t)(db_col_int(st, 19) / 1000);
	struct tm tm;
	char revs[20];
	gmtime_r(&rev, &tm);
	strftime(revs, sizeof(revs), "%Y%m%dT%H%M%SZ", &tm);
	vcard_raw(b, "REV", NULL, revs);
	vcard_end(b);
	/* Each contact person: a vCard of their own, tied to the customer. */
	json_t *cs = json_loads(db_col_text(st, 21), 0, NULL);
	size_t i;
	json_t *c;
	json_array_foreach(cs, i, c)
	{
		vcard_begin(b);
		vcard_raw(b, "KIND", NULL, "individual");
		vcard_text(b, "FN", NULL, json_string_value(json_object_get(c, "name")));
		buf o;
		buf_init(&o, 4096);
		vcard_escape(&o, *db_col_text(st, 10) && !org ? db_col_text(st, 10) : name);
		vcard_raw(b, "ORG", NULL, o.data);
		buf_release(&o);
		vcard_text(b, "ROLE", NULL, json_string_value(json_object_get(c, "role")));
		json_t *p = json_object_get(c, "phone");
		if (!masked && json_is_string(p))
			vcard_raw(b, "TEL", "VALUE=uri;TYPE=\"voice,cell\"",
				  arena_printf(r->a, "tel:%s", json_string_value(p)));
		vcard_text(b, "EMAIL", NULL, json_string_value(json_object_get(c, "email")));
		vcard_raw(b, "RELATED", "TYPE=colleague",
			  arena_printf(r->a, "urn:kefu:customer:%lld", (long long)id));
		vcard_raw(b, "UID", NULL,
			  arena_printf(r->a, "urn:kefu:customer:%lld:contact:%zu", (long long)id, i));
		vcard_end(b);
	}
	json_decref(cs);
}

int customers_vcard(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db, CUSTOMER_EXPORT_SELECT " WHERE c.id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = db_step(st)) != DB_ROW) {
		db_done(st);
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "客户 %lld 不存在",
					  "Customer %lld does not exist", (long long)id);
	}
	int64_t owner = db_col_null(st, 20) ? 0 : db_col_int(st, 20);
	buf b;
	buf_init(&b, 1 << 20);
	vcard_customer(r, &b, st, customer_masked_for(r, owner));
	db_done(st);
	http_add_header(r, "Content-Disposition",
			arena_printf(r->a, "attachment; filename=\"customer-%lld.vcf\"", (long long)id));
	rc = http_text(r, 200, "text/vcard; charset=utf-8", b.data, b.len);
	buf_release(&b);
	return rc;
}

/* ---------------------------------------------------------------- cases */

static const struct col case_cols[] = {
	{"工单号", "Number", NULL, 0},
	{"类型", "Type", NULL, 0},
	{"渠道", "Channel", NULL, 0},
	{"优先级", "Priority", NULL, 0},
	{"状态", "State", NULL, 0},
	{"主题", "Subject", NULL, 0},
	{"客户", "Customer", NULL, 0},
	{"关键客户", "Key account", NULL, 1},
	{"情绪", "Emotion", NULL, 0},
	{"处理人", "Assignee", NULL, 0},
	{"受理时间", "Received", NULL, 2},
	{"首次响应", "First response", NULL, 2},
	{"解决时间", "Resolved", NULL, 2},
	{"关闭时间", "Closed", NULL, 2},
	{"处理时限", "Due", NULL, 2},
};

int export_case_filters(http_req *r, buf *where, db_val *args, int *n)
{
	static const struct {
		const char *param, *column;
	} eq[] = {{"state", "c.state"}, {"type", "c.type"}, {"priority", "c.priority"},
		  {"channel", "c.channel"}};
	const char *vis = case_visible_sql(r, args, n);
	buf_puts(where, vis);
	for (size_t i = 0; i < KF_ARRAY_LEN(eq); i++) {
		const char *v = http_query(r, eq[i].param);
		size_t len;
		if (!v || !*v)
			continue;
		if (!valid_utf8_len(v, 32, &len))
			return http_fail(r, KF_EINVAL, eq[i].param, "参数 %s 无效", "Invalid parameter %s",
					 eq[i].param, eq[i].param);
		buf_printf(where, " AND %s = ?", eq[i].column);
		args[(*n)++] = DBT(v);
	}
	const char *open = http_query(r, "open");
	if (open && (!strcmp(open, "0") || !strcmp(open, "1"))) {
		buf_puts(where, " AND c.is_open = ?");
		args[(*n)++] = DBI(open[0] - '0');
	} else if (open && *open && strcmp(open, "all")) {
		return http_fail(r, KF_EINVAL, "open", "参数 open 应为 1、0 或 all",
				 "The parameter open is 1, 0 or all");
	}
	const char *as = http_query(r, "assignee");
	int64_t uid;
	if (as && !strcmp(as, "me")) {
		buf_puts(where, " AND c.assignee_id = ?");
		args[(*n)++] = DBI(r->user.id);
	} else if (as && *as && util_parse_i64(as, &uid) == 0 && uid > 0) {
		buf_puts(where, " AND c.assignee_id = ?");
		args[(*n)++] = DBI(uid);
	} else if (as && *as) {
		return http_fail(r, KF_EINVAL, "assignee", "参数 assignee 应为用户编号或 me",
				 "The parameter assignee is a user id or me");
	}
	int64_t from, to;
	int rc;
	if ((rc = in_query_int(r, "created_from", 0, INT64_MAX, 0, &from)) < 0 ||
	    (rc = in_query_int(r, "created_to", 0, INT64_MAX, 0, &to)) < 0)
		return rc;
	if (from) {
		buf_puts(where, " AND c.created_at >= ?");
		args[(*n)++] = DBI(from);
	}
	if (to) {
		buf_puts(where, " AND c.created_at < ?");
		args[(*n)++] = DBI(to);
	}
	return 0;
}

/* One export of rows read newest first in keyset batches: `sql` is a SELECT
 * of the ncols columns of cols and then the row id, with a "%s" where the
 * conditions go (where.data, its n args) and "x.id < ? ORDER BY x.id DESC
 * LIMIT ?" after them.  Releases where. */
static int export_rows(http_req *r, enum exp_format fmt, const char *base, const char *sheet_zh,
		       const char *sheet_en, const struct col *cols, int ncols, const char *sql_fmt,
		       buf *where, db_val *args, int n)
{
	struct writer w;
	if (w_open(&w, fmt, r->lang_en, r->lang_en ? sheet_en : sheet_zh) < 0) {
		buf_release(where);
		return http_fail(r, KF_EINTERNAL, NULL, "无法创建导出文件", "Cannot create the export file");
	}
	w_header(&w, cols, ncols);
	const char *sql = arena_printf(r->a, sql_fmt, where->data ? where->data : "1 = 1");
	buf_release(where);
	int64_t after = INT64_MAX;
	int base_n = n, rc;
	for (rc = 0; rc == 0;) {
		n = base_n;
		args[n++] = DBI(after);
		args[n++] = DBI(EXP_BATCH);
		db_stmt *st;
		if (db_query(r->db, sql, args, n, &st) < 0) {
			rc = app_db_fail(r, DB_EFAIL, NULL);
			break;
		}
		int got = 0, s;
		while ((s = db_step(st)) == DB_ROW) {
			got++;
			after = db_col_int(st, ncols);
			for (int i = 0; i < ncols; i++)
				w_cell(r, &w, &cols[i], i, st, i);
			w_row_end(&w);
		}
		db_done(st);
		if (s < 0)
			rc = app_db_fail(r, s, NULL);
		if (got < EXP_BATCH)
			break;
	}
	if (rc < 0) {
		w_abort(&w);
		return rc;
	}
	return w_send(r, &w, base);
}

int exports_cases(http_req *r)
{
	enum exp_format fmt;
	int rc;
	if ((rc = format_param(r, 0, &fmt)) < 0)
		return rc;
	buf where;
	buf_init(&where, 4096);
	db_val args[24];
	int n = 0;
	if ((rc = export_case_filters(r, &where, args, &n)) < 0) {
		buf_release(&where);
		return rc;
	}
	return export_rows(
		r, fmt, "cases", "工单", "Cases", case_cols, (int)KF_ARRAY_LEN(case_cols),
		"SELECT c.number, c.type, c.channel, c.priority, c.state, c.subject, cu.name,"
		" c.key_account, c.emotion, u.display_name, c.received_at, c.first_response_at,"
		" c.resolved_at, c.closed_at, c.sla_due_at, c.id FROM cases c"
		" JOIN customers cu ON cu.id = c.customer_id LEFT JOIN users u ON u.id = c.assignee_id"
		" WHERE %s AND c.id < ? ORDER BY c.id DESC LIMIT ?",
		&where, args, n);
}

/* ---------------------------------------------------------------- visits, survey answers */

/* ?assignee=me|ID and ?from=&to= (epoch ms) on `time_col`, into where/args. */
int export_owner_period(http_req *r, const char *assignee_col, const char *time_col, buf *where,
			db_val *args, int *n)
{
	const char *as = http_query(r, "assignee");
	int64_t uid, from, to;
	int rc;
	if (as && !strcmp(as, "me")) {
		buf_printf(where, " AND %s = ?", assignee_col);
		args[(*n)++] = DBI(r->user.id);
	} else if (as && *as && util_parse_i64(as, &uid) == 0 && uid > 0) {
		buf_printf(where, " AND %s = ?", assignee_col);
		args[(*n)++] = DBI(uid);
	} else if (as && *as) {
		return http_fail(r, KF_EINVAL, "assignee", "参数 assignee 应为用户编号或 me",
				 "The parameter assignee is a user id or me");
	}
	if ((rc = in_query_int(r, "from", 0, INT64_MAX, 0, &from)) < 0 ||
	    (rc = in_query_int(r, "to", 0, INT64_MAX, 0, &to)) < 0)
		return rc;
	if (from) {
		buf_printf(where, " AND %s >= ?", time_col);
		args[(*n)++] = DBI(from);
	}
	if (to) {
		buf_printf(where, " AND %s < ?", time_col);
		args[(*n)++] = DBI(to);
	}
	return 0;
}

static const struct col visit_cols[] = {
	{"编号", "No.", NULL, 1},	     {"类型", "Kind", NULL, 0},
	{"标题", "Title", NULL, 0},	     {"客户", "Customer", NULL, 0},
	{"负责人", "Assignee", NULL, 0},     {"应回访", "Due", NULL, 2},
	{"建议通话", "Call at", NULL, 2},    {"状态", "State", NULL, 0},
	{"结果", "Outcome", NULL, 0},	     {"评价", "Evaluation", NULL, 0},
	{"建议", "Suggestions", NULL, 0},    {"下一步", "Next step", NULL, 0},
	{"完成时间", "Closed", NULL, 2},
};

/* GET /api/exports/followups?format=&state=open|done&assignee=&from=&to= (due) */
int exports_followups(http_req *r)
{
	enum exp_format fmt;
	int rc, n = 0;
	if ((rc = format_param(r, 0, &fmt)) < 0)
		return rc;
	buf where;
	buf_init(&where, 1024);
	db_val args[16];
	buf_puts(&where, "1 = 1");
	const char *state = http_query(r, "state");
	if (state && *state) {
		if (strcmp(state, "open") && strcmp(state, "done")) {
			buf_release(&where);
			return http_fail(r, KF_EINVAL, "state", "参数 state 应为 open 或 done",
					 "The parameter state is open or done");
		}
		buf_puts(&where, !strcmp(state, "open") ? " AND f.closed_at IS NULL" : " AND f.closed_at IS NOT NULL");
	}
	if ((rc = export_owner_period(r, "f.assignee_id", "f.due_at", &where, args, &n)) < 0) {
		buf_release(&where);
		return rc;
	}
	return export_rows(r, fmt, "followups", "回访", "Visits", visit_cols,
			   (int)KF_ARRAY_LEN(visit_cols),
			   "SELECT f.id, f.kind, f.title, cu.name, u.display_name, f.due_at, f.call_at,"
			   " f.state, f.outcome, f.evaluation, f.suggestions, f.next_step, f.closed_at, f.id"
			   " FROM followups f JOIN customers cu ON cu.id = f.customer_id"
			   " LEFT JOIN users u ON u.id = f.assignee_id"
			   " WHERE %s AND f.id < ? ORDER BY f.id DESC LIMIT ?",
			   &where, args, n);
}

static const struct col survey_cols[] = {
	{"编号", "No.", NULL, 1},	   {"来源", "Source", NULL, 0},	 {"客户", "Customer", NULL, 0},
	{"工单", "Case", NULL, 0},	   {"满意度 (1-5)", "CSAT (1-5)", NULL, 1},
	{"推荐意愿 (0-10)", "NPS (0-10)", NULL, 1},   {"费力度 (1-7)", "Effort (1-7)", NULL, 1},
	{"意见", "Comment", NULL, 0},	   {"处理人", "Agent", NULL, 0},  {"渠道", "Channel", NULL, 0},
	{"提交时间", "Answered", NULL, 2},
};

/* GET /api/exports/survey-responses?format=&low=1&assignee=&from=&to= (answered) */
int exports_survey_responses(http_req *r)
{
	enum exp_format fmt;
	int rc, n = 0;
	if ((rc = format_param(r, 0, &fmt)) < 0)
		return rc;
	buf where;
	buf_init(&where, 1024);
	db_val args[16];
	buf_puts(&where, "1 = 1");
	const char *low = http_query(r, "low");
	if (low && !strcmp(low, "1"))
		buf_puts(&where, " AND ((s.csat IS NOT NULL AND s.csat <= 2) OR (s.nps IS NOT NULL AND s.nps <= 6))");
	if ((rc = export_owner_period(r, "s.agent_id", "s.created_at", &where, args, &n)) < 0) {
		buf_release(&where);
		return rc;
	}
	return export_rows(r, fmt, "survey-responses", "满意度回答", "Survey answers", survey_cols,
			   (int)KF_ARRAY_LEN(survey_cols),
			   "SELECT s.id, s.kind, cu.name, c.number, s.csat, s.nps, s.effort, s.comment,"
			   " u.display_name, s.channel, s.created_at, s.id FROM survey_responses s"
			   " LEFT JOIN customers cu ON cu.id = s.customer_id"
			   " LEFT JOIN survey_invitations i ON i.id = s.invitation_id"
			   " LEFT JOIN cases c ON c.id = i.case_id LEFT JOIN users u ON u.id = s.agent_id"
			   " WHERE %s AND s.id < ? ORDER BY s.id DESC LIMIT ?",
			   &where, args, n);
}
