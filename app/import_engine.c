/* import_engine.c - stage, check and commit of an import job (import.h).
 *
 * Customer rows are validated by customer_validate, the validator of POST
 * /api/customers, through a thin adapter: a request-shaped struct with the
 * job's arena, connection and actor, so an imported customer obeys exactly
 * the rules of one typed in.  A row is first validated whole; only when
 * that fails is each field validated alone, so that every problem of the
 * row is listed, not just the first.
 *
 * The commit is one transaction over all checked rows (read back in
 * batches by line), so an import is written entirely or not at all; a
 * duplicate (by phone for customers, by customer and order number for
 * orders) is looked up at commit time, which also catches duplicates
 * within the file: the second row finds the first. */
#include "app/import.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/customer.h"
#include "core/classes.h"
#include "core/phone.h"
#include "core/validate.h"
#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

enum { ST_UNCHECKED = 0, ST_OK = 1, ST_BAD = 2, ST_DUP = 3 };
#define TZ_SHANGHAI_MIN 480

struct run {
	db *d;
	int64_t job;
	const struct imp_opts *o;
	const struct imp_progress *p;
	arena *a;        /* per batch */
	arena *keep;     /* for the whole run: header, mapping */
	http_req req;    /* the adapter customer_validate takes */
	const char *field[IMP_MAX_COLS]; /* the mapping: column -> field or NULL */
	const char *header[IMP_MAX_COLS];
	int ncols;
	int check;       /* validate while staging */
	int header_seen;
	json_t *headers, *sample;
	int64_t rows, ok, bad, problems, dup_existing, dup_in_file;
	int64_t batch;   /* rows in the open transaction */
	int64_t total_hint;
	int64_t batch_delay_ms;
};

/* ---------------------------------------------------------------- helpers */

static void progress(struct run *r, const char *phase, int64_t done, int64_t total)
{
	if (r->p && r->p->fn)
		r->p->fn(r->p->ctx, phase, done, total);
}

static int cancelled(struct run *r)
{
	return r->p && r->p->cancelled && r->p->cancelled(r->p->ctx);
}

static void run_init(struct run *r, db *d, int64_t job, const struct imp_opts *o,
		     const struct imp_progress *p)
{
	memset(r, 0, sizeof(*r));
	r->d = d;
	r->job = job;
	r->o = o;
	r->p = p;
	r->a = arena_new();
	r->keep = arena_new();
	r->req.a = r->a;
	r->req.db = d;
	r->req.user.id = o->actor;
	r->req.user.role = o->actor_role ? o->actor_role : ROLE_ADMIN;
	kf_err_clear(&r->req.err);
	/* PostgreSQL caches a generic plan after five runs of a statement,
	 * planned while import_rows and customers were small: a sequential
	 * scan that turns a million-row import quadratic.  Plan each run. */
	if (d->kind == DB_PG)
		db_exec(d, "SET plan_cache_mode = force_custom_plan", DB_ARGS());
	/* A test hook: slows each batch so that cancelling can be shown. */
	const char *delay = getenv("KEFU_IMPORT_BATCH_DELAY_MS");
	int64_t v;
	if (delay && util_parse_i64(delay, &v) == 0 && v > 0 && v < 10000)
		r->batch_delay_ms = v;
}

static void run_release(struct run *r)
{
	if (r->d->kind == DB_PG && !r->d->in_tx)
		db_exec(r->d, "RESET plan_cache_mode", DB_ARGS());
	arena_free(r->a);
	arena_free(r->keep);
	json_decref(r->headers);
	json_decref(r->sample);
}

static void new_batch_arena(struct run *r)
{
	arena_free(r->a);
	r->a = arena_new();
	r->req.a = r->a;
}

static int db_failed(kf_err *e, db *d)
{
	log_error("import: database: %s", db_errmsg(d));
	return kf_fail(e, KF_EDB, NULL, "数据库错误：%s", "Database error: %s", db_errmsg(d));
}

static int has_fffd(const char *s)
{
	return strstr(s, "\xEF\xBF\xBD") != NULL;
}

static const char *col_name(struct run *r, int col)
{
	return col >= 0 && col < r->ncols && r->header[col] ? r->header[col] : "";
}

static int problem(struct run *r, int64_t line, int col, const char *field, const char *value,
		   const char *zh, const char *en)
{
	char excerpt[160];
	valid_excerpt(value ? value : "", excerpt, sizeof(excerpt));
	r->problems++;
	return db_exec(r->d,
		       "INSERT INTO import_problems (job_id, line, col, column_name, field, value,"
		       " message_zh, message_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		       DB_ARGS(DBI(r->job), DBI(line), DBI(col + 1), DBT(col_name(r, col)),
			       DBT(field ? field : ""), DBT(excerpt), DBT(zh), DBT(en))) < 0
		       ? -1
		       : 0;
}

/* The column mapped to a field (by the field's name up to '[' or '.';
 * owner_id is the owner column), or -1. */
static int col_of_field(struct run *r, const char *f)
{
	if (!f)
		return -1;
	size_t n = strcspn(f, "[.");
	if (n == 8 && !strncmp(f, "owner_id", 8))
		f = "owner", n = 5;
	for (int c = 0; c < r->ncols; c++)
		if (r->field[c] && strlen(r->field[c]) == n && !strncmp(r->field[c], f, n))
			return c;
	return -1;
}

/* ---------------------------------------------------------------- mapping */

static int set_mapping(struct run *r, json_t *mapping, kf_err *e)
{
	for (int c = 0; c < IMP_MAX_COLS; c++)
		r->field[c] = NULL;
	size_t i;
	json_t *v;
	json_array_foreach(mapping, i, v)
	{
		if (i >= IMP_MAX_COLS)
			break;
		if (json_is_string(v) && *json_string_value(v))
			r->field[i] = arena_strdup(r->keep, json_string_value(v));
	}
	KF_UNUSED(e);
	return 0;
}

int imp_mapping_check(db *d, int64_t job, enum impf_kind kind, json_t *mapping, kf_err *e)
{
	KF_UNUSED(d);
	KF_UNUSED(job);
	if (!json_is_array(mapping) || json_array_size(mapping) > IMP_MAX_COLS)
		return kf_fail(e, KF_EINVAL, "mapping", "mapping 必须是与表头对应的数组（字段名或 null）",
			       "mapping must be an array aligned with the header (field names or null)");
	int used[64] = {0};
	size_t i;
	json_t *v;
	json_array_foreach(mapping, i, v)
	{
		if (json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
			continue;
		const struct impf_field *f = json_is_string(v) ? impf_field(kind, json_string_value(v)) : NULL;
		if (!f)
			return kf_fail(e, KF_EINVAL, "mapping", "第 %zu 列的目标字段无效",
				       "Column %zu maps to an unknown field", i + 1);
		int idx = (int)(f - impf_fields(kind));
		if (used[idx]++)
			return kf_fail(e, KF_EINVAL, "mapping", "字段「%s」被映射了两次",
				       "The field %s is mapped twice", f->zh, f->name);
	}
	for (const struct impf_field *f = impf_fields(kind); f->name; f++)
		if (f->required && !used[f - impf_fields(kind)])
			return kf_fail(e, KF_EINVAL, "mapping", "必须为「%s」选择一列",
				       "A column must be mapped to %s", f->zh, f->en);
	if (kind == IMPF_ORDERS && !used[0] && !used[1])
		return kf_fail(e, KF_EINVAL, "mapping", "必须为「客户手机/电话」或「客户编号」选择一列",
			       "A column must be mapped to the customer phone or the customer id");
	return 0;
}

/* ---------------------------------------------------------------- customers */

struct tag_acc {
	json_t *arr;
};

static void add_tag(void *ctx, const char *t, size_t n)
{
	struct tag_acc *acc = ctx;
	json_array_append_new(acc->arr, json_stringn(t, n));
}

static const char *class_labels(arena *a, const char *set)
{
	const struct class_set *cs = class_find(set);
	buf b;
	buf_init(&b, 1024);
	for (size_t i = 0; cs && i < cs->n; i++)
		buf_printf(&b, "%s%s", i ? "、" : "", cs->values[i].zh);
	char *s = arena_strdup(a, b.data ? b.data : "");
	buf_release(&b);
	return s;
}

static int owner_id(struct run *r, const char *v, int64_t *id)
{
	int rc = db_query_int(r->d,
			      "SELECT id FROM users WHERE (username = ? OR display_name = ?) AND disabled = 0"
			      " ORDER BY id LIMIT 1",
			      DB_ARGS(DBT(v), DBT(v)), id);
	return rc;
}

/* The cell values of a row as the JSON customer_validate takes; problems
 * with the spreadsheet's own forms (labels, dates, users) are reported
 * here.  Returns the number of problems, or -1 on a database error. */
static int customer_input(struct run *r, int64_t line, char **cells, int n, json_t *in)
{
	int bad = 0;
	for (int c = 0; c < n && c < IMP_MAX_COLS; c++) {
		const char *f = r->field[c];
		if (!f)
			continue;
		char *v = impf_trim(cells[c]);
		if (!*v)
			continue;
		const struct impf_field *def = impf_field(IMPF_CUSTOMERS, f);
		char date[11];
		int64_t uid;
		int rc = 0;
		if (has_fffd(v)) {
			rc = problem(r, line, c, f, v, "含有无法识别的字符（文件编码可能不对）",
				     "Contains characters that cannot be read (wrong file encoding?)");
			bad++;
		} else if (def && def->cls) {
			const char *code = impf_class_code(def->cls, v);
			if (code) {
				json_object_set_new(in, f, json_string(code));
			} else {
				const char *labels = class_labels(r->a, def->cls);
				char zh[400], en[400];
				snprintf(zh, sizeof(zh), "「%s」不是有效的%s（可填：%s）", v, def->zh, labels);
				snprintf(en, sizeof(en), "'%s' is not a valid %s (one of: %s)", v, def->en, labels);
				rc = problem(r, line, c, f, v, zh, en);
				bad++;
			}
		} else if (!strcmp(f, "birthday")) {
			if (impf_date(v, date) == 0) {
				json_object_set_new(in, f, json_string(date));
			} else {
				rc = problem(r, line, c, f, v, "日期无法识别（例如 1990-05-20 或 5月20日）",
					     "Unrecognised date (e.g. 1990-05-20 or 05-20)");
				bad++;
			}
		} else if (!strcmp(f, "tags")) {
			struct tag_acc acc = {json_array()};
			impf_split_tags(v, add_tag, &acc);
			json_object_set_new(in, f, acc.arr);
		} else if (!strcmp(f, "owner")) {
			int q = owner_id(r, v, &uid);
			if (q < 0)
				return -1;
			if (q == DB_ROW) {
				json_object_set_new(in, "owner_id", json_integer(uid));
			} else {
				rc = problem(r, line, c, f, v, "没有这个用户（填写用户名或姓名）",
					     "No such user (give the user name or display name)");
				bad++;
			}
		} else {
			json_object_set_new(in, f, json_string(v));
		}
		if (rc < 0)
			return -1;
	}
	return bad;
}

/* Validates the row's values one field at a time to list every problem. */
static int each_field(struct run *r, int64_t line, char **cells, int n, json_t *in, int whole)
{
	const char *k;
	json_t *v;
	int found = 0;
	json_object_foreach(in, k, v)
	{
		json_t *one = json_pack("{s:O}", k, v);
		json_t *ok = customer_validate(&r->req, one, 0, NULL);
		json_decref(one);
		if (ok) {
			json_decref(ok);
			continue;
		}
		int c = col_of_field(r, r->req.err.field ? r->req.err.field : k);
		if (problem(r, line, c, k, c >= 0 && c < n ? cells[c] : "", r->req.err.zh, r->req.err.en) < 0)
			return -1;
		found++;
	}
	if (!found && whole) { /* a rule across fields: report it on the row */
		json_t *all = customer_validate(&r->req, in, 1, NULL);
		if (all)
			json_decref(all);
		else if (problem(r, line, col_of_field(r, r->req.err.field), r->req.err.field, "",
				 r->req.err.zh, r->req.err.en) < 0)
			return -1;
	}
	return 0;
}

static int check_customer(struct run *r, int64_t line, char **cells, int n, json_t **vals,
			  const char **phone)
{
	json_t *in = json_object();
	int bad = customer_input(r, line, cells, n, in);
	if (bad < 0) {
		json_decref(in);
		return -1;
	}
	if (!json_object_get(in, "name") && !bad) {
		int c = col_of_field(r, "name");
		if (problem(r, line, c, "name", "", "缺少客户名称", "The customer name is missing") < 0) {
			json_decref(in);
			return -1;
		}
		bad++;
	}
	json_t *out = bad ? NULL : customer_validate(&r->req, in, 1, NULL);
	if (!out && !bad) {
		if (each_field(r, line, cells, n, in, 1) < 0) {
			json_decref(in);
			return -1;
		}
		bad++;
	} else if (bad) {
		/* the spreadsheet-level problems are listed; list the rest too */
		json_t *rest = json_object();
		const char *k;
		json_t *v;
		json_object_foreach(in, k, v) json_object_set(rest, k, v);
		int rc = each_field(r, line, cells, n, rest, 0);
		json_decref(rest);
		if (rc < 0) {
			json_decref(in);
			return -1;
		}
	}
	json_decref(in);
	if (bad) {
		json_decref(out);
		return ST_BAD;
	}
	*vals = out;
	json_t *p = json_object_get(out, "phone");
	*phone = json_is_string(p) ? arena_strdup(r->a, json_string_value(p)) : NULL;
	return ST_OK;
}

/* ---------------------------------------------------------------- orders */

static int find_customer_by_phone(struct run *r, const char *e164, int64_t *id)
{
	return db_query_int(r->d, "SELECT id FROM customers WHERE phone = ? AND archived_at IS NULL",
			    DB_ARGS(DBT(e164)), id);
}

static int check_order(struct run *r, int64_t line, char **cells, int n, json_t **vals,
		       const char **key)
{
	const char *v[16] = {0};
	int col[16];
	const struct impf_field *fs = impf_fields(IMPF_ORDERS);
	for (int i = 0; i < 16; i++)
		col[i] = -1;
	for (int c = 0; c < n && c < IMP_MAX_COLS; c++) {
		const struct impf_field *f = impf_field(IMPF_ORDERS, r->field[c]);
		if (!f)
			continue;
		v[f - fs] = impf_trim(cells[c]);
		col[f - fs] = c;
	}
	enum { PHONE, CID, NO, PRODUCT, AMOUNT, MARGIN, AT, NOTE };
	int bad = 0, rc = 0;
	int64_t cid = 0, amount = 0, margin = 0, at = 0;
	size_t chars;
#define PROBLEM(i, zh, en)                                                                         \
	do {                                                                                       \
		bad++;                                                                             \
		if (problem(r, line, col[i], fs[i].name, v[i], zh, en) < 0)                        \
			return -1;                                                                 \
	} while (0)
	for (int i = 0; i <= NOTE; i++)
		if (v[i] && has_fffd(v[i]))
			PROBLEM(i, "含有无法识别的字符（文件编码可能不对）",
				"Contains characters that cannot be read (wrong file encoding?)");
	if (bad)
		return ST_BAD;
	if (v[CID] && *v[CID]) {
		int64_t one;
		if (util_parse_i64(v[CID], &cid) < 0 || cid <= 0)
			PROBLEM(CID, "客户编号应为正整数", "The customer id must be a positive integer");
		else if ((rc = db_query_int(r->d, "SELECT 1 FROM customers WHERE id = ?",
					    DB_ARGS(DBI(cid)), &one)) < 0)
			return -1;
		else if (rc != DB_ROW)
			PROBLEM(CID, "没有这个客户编号", "No customer with this id");
	} else if (v[PHONE] && *v[PHONE]) {
		char e164[PHONE_E164_SIZE];
		kf_err pe;
		kf_err_clear(&pe);
		if (phone_normalize(v[PHONE], e164, sizeof(e164), &pe) < 0)
			PROBLEM(PHONE, pe.zh, pe.en);
		else if ((rc = find_customer_by_phone(r, e164, &cid)) < 0)
			return -1;
		else if (rc != DB_ROW)
			PROBLEM(PHONE, "没有使用该电话的客户（请先导入客户）",
				"No customer has this phone (import the customers first)");
	} else {
		PROBLEM(col[CID] >= 0 ? CID : PHONE, "缺少客户手机/电话或客户编号",
			"The customer phone or id is missing");
	}
	if (!v[NO] || !*v[NO])
		PROBLEM(NO, "缺少订单号", "The order number is missing");
	else if (!valid_utf8_len(v[NO], 64, &chars))
		PROBLEM(NO, "订单号最多 64 个字符", "Order numbers are at most 64 characters");
	if (v[PRODUCT] && !valid_utf8_len(v[PRODUCT], 200, &chars))
		PROBLEM(PRODUCT, "产品名称最多 200 个字符", "Products are at most 200 characters");
	if (v[NOTE] && !valid_utf8_len(v[NOTE], 1000, &chars))
		PROBLEM(NOTE, "备注最多 1000 个字符", "Notes are at most 1000 characters");
	if (!v[AMOUNT] || !*v[AMOUNT])
		PROBLEM(AMOUNT, "缺少金额", "The amount is missing");
	else if (impf_amount_fen(v[AMOUNT], &amount) < 0 || amount < 0)
		PROBLEM(AMOUNT, "金额格式不正确（例如 1234.50）", "Invalid amount (e.g. 1234.50)");
	int has_margin = v[MARGIN] && *v[MARGIN];
	if (has_margin && impf_amount_fen(v[MARGIN], &margin) < 0)
		PROBLEM(MARGIN, "毛利格式不正确（例如 120.00）", "Invalid margin (e.g. 120.00)");
	else if (has_margin && margin > amount && !bad)
		PROBLEM(MARGIN, "毛利不能大于金额", "The margin cannot exceed the amount");
	if (!v[AT] || !*v[AT])
		PROBLEM(AT, "缺少下单日期", "The order date is missing");
	else if (impf_datetime_ms(v[AT], TZ_SHANGHAI_MIN, &at) < 0 || at < 0 || at > 4102444800000LL)
		PROBLEM(AT, "日期无法识别（例如 2024-03-05 或 2024/3/5 14:30）",
			"Unrecognised date (e.g. 2024-03-05 or 2024/3/5 14:30)");
#undef PROBLEM
	if (bad)
		return ST_BAD;
	json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:I, s:s}", "customer_id", (json_int_t)cid,
			      "order_no", v[NO], "product", v[PRODUCT] ? v[PRODUCT] : "", "amount_fen",
			      (json_int_t)amount, "ordered_at", (json_int_t)at, "note",
			      v[NOTE] ? v[NOTE] : "");
	if (has_margin)
		json_object_set_new(o, "margin_fen", json_integer(margin));
	*vals = o;
	*key = arena_printf(r->a, "%lld:%s", (long long)cid, v[NO]);
	return ST_OK;
}

/* ---------------------------------------------------------------- one row */

/* Checks a row; stores its state, values and dedup key.  -1 on a database
 * error. */
static int check_row(struct run *r, int64_t line, char **cells, int n, int insert)
{
	json_t *vals = NULL;
	const char *key = NULL;
	int st = r->o->kind == IMPF_ORDERS ? check_order(r, line, cells, n, &vals, &key)
					   : check_customer(r, line, cells, n, &vals, &key);
	if (st < 0)
		return -1;
	if (st == ST_OK && key) {
		int64_t one;
		int rc = db_query_int(r->d,
				      "SELECT 1 FROM import_rows WHERE job_id = ? AND phone = ? AND line < ?"
				      " LIMIT 1",
				      DB_ARGS(DBI(r->job), DBT(key), DBI(line)), &one);
		if (rc == DB_ROW) {
			st = ST_DUP;
			r->dup_in_file++;
		} else if (rc == DB_DONE) {
			if (r->o->kind == IMPF_ORDERS) {
				json_t *cid = json_object_get(vals, "customer_id");
				rc = db_query_int(r->d,
						  "SELECT 1 FROM orders WHERE customer_id = ? AND order_no = ?"
						  " LIMIT 1",
						  DB_ARGS(DBI(json_integer_value(cid)),
							  DBT(json_string_value(json_object_get(vals, "order_no")))),
						  &one);
			} else {
				rc = db_query_int(r->d,
						  "SELECT 1 FROM customers WHERE phone = ? AND archived_at IS NULL",
						  DB_ARGS(DBT(key)), &one);
			}
			if (rc == DB_ROW) {
				st = ST_DUP;
				r->dup_existing++;
			}
		}
		if (rc < 0) {
			json_decref(vals);
			return -1;
		}
	}
	if (st == ST_BAD)
		r->bad++;
	else
		r->ok++;
	char *text = vals ? json_dumps(vals, JSON_COMPACT) : NULL;
	json_decref(vals);
	int rc;
	if (insert) {
		json_t *arr = json_array();
		for (int c = 0; c < n; c++)
			json_array_append_new(arr, json_string(cells[c]));
		char *cs = json_dumps(arr, JSON_COMPACT);
		json_decref(arr);
		rc = db_exec(r->d,
			     "INSERT INTO import_rows (job_id, line, cells, vals, phone, state)"
			     " VALUES (?, ?, ?, ?, ?, ?)",
			     DB_ARGS(DBI(r->job), DBI(line), DBT(cs ? cs : "[]"), DBT(text), DBT(key),
				     DBI(st)));
		free(cs);
	} else {
		rc = db_exec(r->d,
			     "UPDATE import_rows SET vals = ?, phone = ?, state = ? WHERE job_id = ? AND line = ?",
			     DB_ARGS(DBT(text), DBT(key), DBI(st), DBI(r->job), DBI(line)));
	}
	free(text);
	return rc < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- batches */

static int batch_begin(struct run *r)
{
	new_batch_arena(r);
	r->batch = 0;
	return db_begin(r->d);
}

static int job_counts(struct run *r, const char *status)
{
	int64_t now = util_now_ms();
	return db_exec(r->d,
		       "UPDATE import_jobs SET status = COALESCE(CAST(? AS TEXT), status),"
		       " total_rows = ?, done_rows = ?, ok_rows = ?, bad_rows = ?, problem_count = ?,"
		       " dup_existing = ?, dup_in_file = ?, heartbeat_at = ?, updated_at = ? WHERE id = ?",
		       DB_ARGS(DBT(status), DBI(r->total_hint ? r->total_hint : r->rows), DBI(r->rows),
			       DBI(r->ok), DBI(r->bad), DBI(r->problems), DBI(r->dup_existing),
			       DBI(r->dup_in_file), DBI(now), DBI(now), DBI(r->job)));
}

/* Ends a batch: progress written and committed, the next one begun. */
static int batch_next(struct run *r, const char *phase, kf_err *e)
{
	if (job_counts(r, NULL) < 0 || db_commit(r->d) < 0)
		return db_failed(e, r->d);
	progress(r, phase, r->rows, r->total_hint);
	if (r->batch_delay_ms)
		usleep((useconds_t)(r->batch_delay_ms * 1000));
	if (cancelled(r))
		return kf_fail(e, KF_ECONFLICT, NULL, "导入已取消", "The import was cancelled");
	if (batch_begin(r) < 0)
		return db_failed(e, r->d);
	return 0;
}

/* ---------------------------------------------------------------- stage */

struct stage_ctx {
	struct run *r;
	kf_err *e;
	json_t *given; /* the mapping the caller gave, or NULL */
};

static void header_row(struct run *r, char **cells, int n, json_t *given, json_t *suggested)
{
	r->ncols = n < IMP_MAX_COLS ? n : IMP_MAX_COLS;
	r->headers = json_array();
	for (int c = 0; c < r->ncols; c++) {
		const char *h = impf_trim(cells[c]);
		r->header[c] = arena_strdup(r->keep, h);
		json_array_append_new(r->headers, json_string(h));
		const char *s = impf_suggest(r->o->kind, h);
		/* a field goes to its first matching column only */
		for (int k = 0; s && k < c; k++)
			if (json_is_string(json_array_get(suggested, (size_t)k)) &&
			    !strcmp(json_string_value(json_array_get(suggested, (size_t)k)), s))
				s = NULL;
		json_array_append_new(suggested, s ? json_string(s) : json_null());
	}
	KF_UNUSED(given);
}

/* The CLI's --map: {"header text" or "#N": field or null} over the
 * suggestions.  Keys naming no column are ignored here (cli reports them). */
static json_t *resolve_overrides(struct run *r, json_t *suggested, json_t *over)
{
	json_t *m = json_deep_copy(suggested);
	const char *k;
	json_t *v;
	json_object_foreach(over, k, v)
	{
		int col = -1;
		int64_t num;
		if (k[0] == '#' && util_parse_i64(k + 1, &num) == 0 && num >= 1 && num <= r->ncols)
			col = (int)num - 1;
		for (int c = 0; c < r->ncols && col < 0; c++)
			if (!strcmp(r->header[c], k))
				col = c;
		if (col < 0)
			continue;
		/* the field leaves any column the suggestions gave it */
		for (int c = 0; json_is_string(v) && c < r->ncols; c++)
			if (json_equal(json_array_get(m, (size_t)c), v))
				json_array_set_new(m, (size_t)c, json_null());
		json_array_set(m, (size_t)col, v);
	}
	return m;
}

static int on_stage_row(void *ctx, int64_t line, char **cells, int n)
{
	struct stage_ctx *s = ctx;
	struct run *r = s->r;
	if (!r->header_seen) {
		json_t *suggested = json_array();
		header_row(r, cells, n, s->given, suggested);
		json_t *mapping = s->given ? s->given : suggested;
		if (json_is_object(s->given))
			mapping = resolve_overrides(r, suggested, s->given);
		char *h = json_dumps(r->headers, JSON_COMPACT), *sg = json_dumps(suggested, JSON_COMPACT),
		     *m = json_dumps(mapping, JSON_COMPACT);
		int rc = db_exec(r->d,
				 "UPDATE import_jobs SET headers = ?, suggested = ?, mapping = ? WHERE id = ?",
				 DB_ARGS(DBT(h), DBT(sg), DBT(m), DBI(r->job)));
		free(h);
		free(sg);
		free(m);
		if (r->check) {
			if (imp_mapping_check(r->d, r->job, r->o->kind, mapping, s->e) < 0) {
				json_decref(suggested);
				return s->e->code;
			}
			set_mapping(r, mapping, s->e);
		}
		if (mapping != s->given && mapping != suggested)
			json_decref(mapping);
		json_decref(suggested);
		r->header_seen = 1;
		return rc < 0 ? db_failed(s->e, r->d) : 0;
	}
	if (r->rows < IMP_SAMPLE_ROWS) {
		json_t *row = json_array();
		for (int c = 0; c < n; c++)
			json_array_append_new(row, json_string(cells[c]));
		json_array_append_new(r->sample, row);
	}
	r->rows++;
	int rc;
	if (r->check) {
		rc = check_row(r, line, cells, n, 1);
	} else {
		json_t *arr = json_array();
		for (int c = 0; c < n; c++)
			json_array_append_new(arr, json_string(cells[c]));
		char *cs = json_dumps(arr, JSON_COMPACT);
		json_decref(arr);
		rc = db_exec(r->d, "INSERT INTO import_rows (job_id, line, cells) VALUES (?, ?, ?)",
			     DB_ARGS(DBI(r->job), DBI(line), DBT(cs ? cs : "[]")));
		free(cs);
	}
	if (rc < 0)
		return db_failed(s->e, r->d);
	if (++r->batch >= IMP_BATCH)
		return batch_next(r, "stage", s->e);
	return 0;
}

int imp_job_create(db *d, const struct imp_opts *o, const char *filename, int64_t *id, kf_err *e)
{
	int64_t now = util_now_ms();
	db_stmt *st;
	if (db_query(d,
		     "INSERT INTO import_jobs (kind, filename, status, duplicates, created_by, created_at,"
		     " updated_at, heartbeat_at) VALUES (?, ?, 'parsing', ?, ?, ?, ?, ?) RETURNING id",
		     DB_ARGS(DBT(o->kind == IMPF_ORDERS ? "orders" : "customers"), DBT(filename),
			     DBT(o->merge ? "merge" : "skip"), o->actor ? DBI(o->actor) : DBNULL,
			     DBI(now), DBI(now), DBI(now)),
		     &st) < 0)
		return db_failed(e, d);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : db_failed(e, d);
}

int imp_stage(db *d, int64_t job, FILE *f, json_t *mapping, const struct imp_opts *o,
	      const struct imp_progress *p, kf_err *e)
{
	struct run r;
	run_init(&r, d, job, o, p);
	r.check = mapping != NULL;
	r.sample = json_array();
	struct stage_ctx s = {&r, e, mapping};
	const char *enc = "";
	int rc = batch_begin(&r) < 0 ? db_failed(e, d) : 0;
	if (rc == 0) {
		rc = imp_read(f, on_stage_row, &s, &enc, e);
	}
	if (rc == 0 && !r.header_seen)
		rc = kf_fail(e, KF_EINVAL, "file", "文件中没有数据（第一行应为表头）",
			     "The file has no data (the first row must be the header)");
	if (rc == 0 && r.rows == 0)
		rc = kf_fail(e, KF_EINVAL, "file", "文件只有表头，没有数据行",
			     "The file has a header but no data rows");
	if (rc == 0) {
		char *sm = json_dumps(r.sample, JSON_COMPACT);
		r.total_hint = r.rows;
		if (job_counts(&r, r.check ? "checked" : "uploaded") < 0 ||
		    db_exec(d, "UPDATE import_jobs SET sample = ?, encoding = ? WHERE id = ?",
			    DB_ARGS(DBT(sm), DBT(enc), DBI(job))) < 0 ||
		    db_commit(d) < 0)
			rc = db_failed(e, d);
		free(sm);
		progress(&r, "stage", r.rows, r.rows);
	}
	if (d->in_tx)
		db_rollback(d);
	run_release(&r);
	return rc;
}

/* ---------------------------------------------------------------- check */

struct staged {
	int64_t line;
	char *cells;
	char *vals;
	int state;
};

/* Reads up to IMP_BATCH staged rows after `after` into the batch arena. */
static int read_batch(struct run *r, int64_t after, int committed, struct staged *rows, int *n)
{
	db_stmt *st;
	*n = 0;
	int rc = committed
			 ? db_query(r->d,
				    "SELECT line, cells, vals, state FROM import_rows WHERE job_id = ?"
				    " AND line > ? AND state IN (1, 3) ORDER BY line LIMIT ?",
				    DB_ARGS(DBI(r->job), DBI(after), DBI(IMP_BATCH)), &st)
			 : db_query(r->d,
				    "SELECT line, cells, vals, state FROM import_rows WHERE job_id = ?"
				    " AND line > ? ORDER BY line LIMIT ?",
				    DB_ARGS(DBI(r->job), DBI(after), DBI(IMP_BATCH)), &st);
	if (rc < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct staged *s = &rows[(*n)++];
		s->line = db_col_int(st, 0);
		s->cells = arena_strdup(r->a, db_col_text(st, 1));
		s->vals = arena_strdup(r->a, db_col_text(st, 2));
		s->state = (int)db_col_int(st, 3);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int load_job(struct run *r, const char *want, kf_err *e)
{
	db_stmt *st;
	if (db_query(r->d, "SELECT status, headers, mapping, total_rows FROM import_jobs WHERE id = ?",
		     DB_ARGS(DBI(r->job)), &st) < 0)
		return db_failed(e, r->d);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc < 0 ? db_failed(e, r->d)
			      : kf_fail(e, KF_ENOTFOUND, "id", "导入任务不存在", "No such import job");
	}
	int ok = !strcmp(db_col_text(st, 0), want);
	json_t *h = json_loads(db_col_text(st, 1), 0, NULL);
	json_t *m = json_loads(db_col_text(st, 2), 0, NULL);
	r->total_hint = db_col_int(st, 3);
	db_done(st);
	if (ok) {
		size_t i;
		json_t *v;
		r->ncols = 0;
		json_array_foreach(h, i, v) if (i < IMP_MAX_COLS)
		{
			r->header[i] = arena_strdup(r->keep, json_string_value(v));
			r->ncols = (int)i + 1;
		}
		set_mapping(r, m, e);
	}
	json_decref(h);
	json_decref(m);
	return ok ? 0 : kf_fail(e, KF_ECONFLICT, "status", "导入任务状态不允许此操作",
				"The import job is not in a state that allows this");
}

int imp_check(db *d, int64_t job, const struct imp_opts *o, const struct imp_progress *p,
	      kf_err *e)
{
	struct run r;
	run_init(&r, d, job, o, p);
	int rc = load_job(&r, "checking", e);
	if (rc == 0 && (db_exec(d, "DELETE FROM import_problems WHERE job_id = ?", DB_ARGS(DBI(job))) < 0))
		rc = db_failed(e, d);
	struct staged *rows = malloc(IMP_BATCH * sizeof(*rows));
	int64_t after = 0;
	while (rc == 0) {
		if (batch_begin(&r) < 0) {
			rc = db_failed(e, d);
			break;
		}
		int n;
		if (read_batch(&r, after, 0, rows, &n) < 0) {
			rc = db_failed(e, d);
			break;
		}
		for (int i = 0; i < n && rc == 0; i++) {
			json_t *arr = json_loads(rows[i].cells, 0, NULL);
			char *cells[IMP_MAX_COLS];
			int nc = 0;
			size_t k;
			json_t *v;
			json_array_foreach(arr, k, v) if (nc < IMP_MAX_COLS) cells[nc++] =
				arena_strdup(r.a, json_string_value(v));
			json_decref(arr);
			r.rows++;
			if (check_row(&r, rows[i].line, cells, nc, 0) < 0)
				rc = db_failed(e, d);
			after = rows[i].line;
		}
		if (rc == 0 && n < IMP_BATCH) {
			if (job_counts(&r, "checked") < 0 || db_commit(d) < 0)
				rc = db_failed(e, d);
			break;
		}
		if (rc == 0 && (job_counts(&r, NULL) < 0 || db_commit(d) < 0))
			rc = db_failed(e, d);
		progress(&r, "check", r.rows, r.total_hint);
		if (rc == 0 && r.batch_delay_ms)
			usleep((useconds_t)(r.batch_delay_ms * 1000));
		if (rc == 0 && cancelled(&r))
			rc = kf_fail(e, KF_ECONFLICT, NULL, "导入已取消", "The import was cancelled");
	}
	if (d->in_tx)
		db_rollback(d);
	progress(&r, "check", r.rows, r.total_hint);
	free(rows);
	run_release(&r);
	return rc;
}

/* ---------------------------------------------------------------- commit */

struct counts {
	int64_t inserted, merged, skipped;
};

static db_val val_arg(json_t *v, char **keep)
{
	if (!v || json_is_null(v))
		return DBNULL;
	if (json_is_integer(v))
		return DBI(json_integer_value(v));
	if (json_is_string(v))
		return DBT(json_string_value(v));
	*keep = json_dumps(v, JSON_COMPACT);
	return DBT(*keep);
}

static int insert_customer(struct run *r, json_t *vals, int64_t *id)
{
	buf sql;
	buf_init(&sql, 8192);
	db_val args[40];
	char *keep[40] = {0};
	int n = 0;
	buf_puts(&sql, "INSERT INTO customers (");
	for (size_t i = 0; i < customer_nfields; i++) {
		json_t *v = json_object_get(vals, customer_fields[i].name);
		if (!v)
			continue;
		buf_printf(&sql, "%s, ", customer_fields[i].name);
		args[n] = val_arg(v, &keep[n]);
		n++;
	}
	int64_t now = util_now_ms();
	buf_puts(&sql, "created_by, created_at, updated_at) VALUES (");
	for (int i = 0; i < n + 3; i++)
		buf_puts(&sql, i ? ", ?" : "?");
	buf_puts(&sql, ") RETURNING id");
	args[n++] = r->o->actor ? DBI(r->o->actor) : DBNULL;
	args[n++] = DBI(now);
	args[n++] = DBI(now);
	db_stmt *st;
	int rc = db_query(r->d, sql.data, args, n, &st);
	if (rc == 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
	}
	for (int i = 0; i < n; i++)
		free(keep[i]);
	buf_release(&sql);
	return rc == DB_ROW ? 0 : -1;
}

/* Merges: the imported non-empty fields replace the stored ones; tags are
 * added to the customer's.  Only real changes are written and audited. */
static int merge_customer(struct run *r, int64_t id, json_t *vals)
{
	buf sql;
	buf_init(&sql, 8192);
	buf_puts(&sql, "SELECT ");
	int n = 0;
	const char *names[40];
	for (size_t i = 0; i < customer_nfields; i++)
		if (json_object_get(vals, customer_fields[i].name)) {
			buf_printf(&sql, "%s%s", n ? ", " : "", customer_fields[i].name);
			names[n++] = customer_fields[i].name;
		}
	buf_puts(&sql, " FROM customers WHERE id = ?");
	db_stmt *st;
	json_t *before = json_object();
	int rc = n ? db_query(r->d, sql.data, DB_ARGS(DBI(id)), &st) : -1;
	if (rc == 0 && (rc = db_step(st)) == DB_ROW) {
		for (int i = 0; i < n; i++) {
			json_t *v;
			if (db_col_null(st, i))
				v = json_null();
			else if (!strcmp(names[i], "owner_id"))
				v = json_integer(db_col_int(st, i));
			else if (!strcmp(names[i], "tags") || !strcmp(names[i], "contacts"))
				v = json_loads(db_col_text(st, i), 0, NULL);
			else
				v = json_string(db_col_text(st, i));
			json_object_set_new(before, names[i], v ? v : json_null());
		}
		rc = 0;
	}
	if (n)
		db_done(st);
	buf_release(&sql);
	if (rc < 0) {
		json_decref(before);
		return -1;
	}
	json_t *after = json_deep_copy(vals);
	json_t *tags = json_object_get(after, "tags"), *old = json_object_get(before, "tags");
	if (json_is_array(tags) && json_is_array(old)) { /* union, the stored ones first */
		json_t *u = json_deep_copy(old);
		size_t i, j;
		json_t *t, *x;
		json_array_foreach(tags, i, t)
		{
			int dup = 0;
			json_array_foreach(u, j, x) dup |= json_equal(x, t);
			if (!dup && json_array_size(u) < 20)
				json_array_append(u, t);
		}
		json_object_set_new(after, "tags", u);
	}
	json_t *changes = audit_diff(before, after);
	json_decref(before);
	rc = 0;
	if (json_object_size(changes)) {
		buf_init(&sql, 8192);
		db_val args[44];
		char *keep[44] = {0};
		int k = 0;
		const char *key;
		json_t *pair;
		buf_puts(&sql, "UPDATE customers SET ");
		json_object_foreach(changes, key, pair)
		{
			buf_printf(&sql, "%s = ?, ", key);
			args[k] = val_arg(json_array_get(pair, 1), &keep[k]);
			k++;
		}
		buf_puts(&sql, "updated_at = ?, version = version + 1 WHERE id = ?");
		args[k++] = DBI(util_now_ms());
		args[k++] = DBI(id);
		rc = db_exec(r->d, sql.data, args, k) < 0 ? -1 : 0;
		for (int i = 0; i < k; i++)
			free(keep[i]);
		buf_release(&sql);
		if (rc == 0 && json_object_get(changes, "tags"))
			rc = customer_set_tags(r->d, id, json_object_get(after, "tags"));
		if (rc == 0)
			rc = customer_value_class_changed(r->d, id, json_object_get(changes, "value_class"),
							  r->o->actor);
		json_object_set_new(changes, "import_job", json_integer(r->job));
		if (rc == 0)
			rc = audit_write(r->d, "customer", id, "import_merge", r->o->actor, changes);
	}
	json_decref(changes);
	json_decref(after);
	return rc;
}

/* PostgreSQL: the customer, its tags and its audit row in one statement
 * (one round trip instead of four); a duplicate phone inserts nothing.
 * 1 inserted, 0 duplicate, -1 error. */
static int pg_insert_all(struct run *r, json_t *vals, int64_t *id)
{
	buf sql;
	buf_init(&sql, 8192);
	db_val args[48];
	char *keep[48] = {0};
	int n = 0;
	buf_puts(&sql, "WITH c AS (INSERT INTO customers (");
	for (size_t i = 0; i < customer_nfields; i++) {
		json_t *v = json_object_get(vals, customer_fields[i].name);
		if (!v)
			continue;
		buf_printf(&sql, "%s, ", customer_fields[i].name);
		args[n] = val_arg(v, &keep[n]);
		n++;
	}
	int64_t now = util_now_ms();
	buf_puts(&sql, "created_by, created_at, updated_at) VALUES (");
	for (int i = 0; i < n + 3; i++)
		buf_puts(&sql, i ? ", ?" : "?");
	buf_puts(&sql, ") ON CONFLICT (phone) WHERE archived_at IS NULL DO NOTHING RETURNING id),"
		       " t AS (INSERT INTO customer_tags (tag, customer_id) SELECT x, c.id FROM c,"
		       " json_array_elements_text(CAST(? AS JSON)) x),"
		       " a AS (INSERT INTO audit_log (entity, entity_id, action, actor_id, changes, at)"
		       " SELECT 'customer', c.id, 'import', CAST(? AS BIGINT), CAST(? AS TEXT),"
		       " CAST(? AS BIGINT) FROM c) SELECT id FROM c");
	args[n++] = r->o->actor ? DBI(r->o->actor) : DBNULL;
	args[n++] = DBI(now);
	args[n++] = DBI(now);
	json_t *tags = json_object_get(vals, "tags");
	keep[n] = tags ? json_dumps(tags, JSON_COMPACT) : strdup("[]");
	args[n] = DBT(keep[n]);
	n++;
	json_t *changes = audit_diff(NULL, vals);
	json_object_set_new(changes, "import_job", json_integer(r->job));
	keep[n] = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(changes);
	args[n++] = r->o->actor ? DBI(r->o->actor) : DBNULL;
	args[n] = DBT(keep[n - 1] ? keep[n - 1] : "{}");
	/* keep[n - 1] is the changes text: move it to its own slot */
	keep[n] = keep[n - 1];
	keep[n - 1] = NULL;
	n++;
	args[n++] = DBI(now);
	db_stmt *st;
	int rc = db_query(r->d, sql.data, args, n, &st);
	if (rc == 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
	}
	for (int i = 0; i < n; i++)
		free(keep[i]);
	buf_release(&sql);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int commit_customer(struct run *r, json_t *vals, struct counts *k)
{
	json_t *p = json_object_get(vals, "phone");
	int64_t id = 0;
	int rc = DB_DONE;
	if (r->d->kind == DB_PG) {
		int ins = pg_insert_all(r, vals, &id);
		if (ins != 0) {
			k->inserted += ins > 0;
			return ins < 0 ? -1 : 0;
		}
	}
	if (json_is_string(p) && (rc = find_customer_by_phone(r, json_string_value(p), &id)) < 0)
		return -1;
	if (rc == DB_ROW) {
		if (!r->o->merge) {
			k->skipped++;
			return 0;
		}
		k->merged++;
		return merge_customer(r, id, vals);
	}
	if (insert_customer(r, vals, &id) < 0)
		return -1;
	/* A new customer has no tags to replace: insert them (customer_set_tags
	 * would first delete). */
	json_t *tags = json_object_get(vals, "tags"), *t;
	size_t ti;
	json_array_foreach(tags, ti, t)
	{
		if (db_exec(r->d, "INSERT INTO customer_tags (tag, customer_id) VALUES (?, ?)",
			    DB_ARGS(DBT(json_string_value(t)), DBI(id))) < 0)
			return -1;
	}
	json_t *changes = audit_diff(NULL, vals);
	json_object_set_new(changes, "import_job", json_integer(r->job));
	rc = audit_write(r->d, "customer", id, "import", r->o->actor, changes);
	json_decref(changes);
	k->inserted++;
	return rc;
}

static int commit_order(struct run *r, json_t *o, struct counts *k)
{
	int64_t cid = json_integer_value(json_object_get(o, "customer_id"));
	const char *no = json_string_value(json_object_get(o, "order_no"));
	json_t *margin = json_object_get(o, "margin_fen");
	int64_t oid = 0;
	int rc = db_query_int(r->d,
			      "SELECT id FROM orders WHERE customer_id = ? AND order_no = ? ORDER BY id LIMIT 1",
			      DB_ARGS(DBI(cid), DBT(no)), &oid);
	if (rc < 0)
		return -1;
	if (rc == DB_ROW && !r->o->merge) {
		k->skipped++;
		return 0;
	}
	db_val prod = DBT(json_string_value(json_object_get(o, "product")));
	db_val note = DBT(json_string_value(json_object_get(o, "note")));
	db_val amount = DBI(json_integer_value(json_object_get(o, "amount_fen")));
	db_val at = DBI(json_integer_value(json_object_get(o, "ordered_at")));
	db_val mg = margin ? DBI(json_integer_value(margin)) : DBNULL;
	if (rc == DB_ROW) {
		k->merged++;
		rc = db_exec(r->d,
			     "UPDATE orders SET product = ?, amount_fen = ?, margin_fen = ?, ordered_at = ?,"
			     " note = ? WHERE id = ?",
			     DB_ARGS(prod, amount, mg, at, note, DBI(oid)));
	} else {
		k->inserted++;
		rc = db_exec(r->d,
			     "INSERT INTO orders (customer_id, order_no, product, amount_fen, margin_fen,"
			     " ordered_at, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			     DB_ARGS(DBI(cid), DBT(no), prod, amount, mg, at, note,
				     r->o->actor ? DBI(r->o->actor) : DBNULL, DBI(util_now_ms())));
	}
	if (rc < 0)
		return -1;
	json_t *ch = json_pack("{s:s, s:O, s:I}", "order_no", no, "amount_fen",
			       json_object_get(o, "amount_fen"), "import_job", (json_int_t)r->job);
	rc = audit_write(r->d, "customer", cid, "order", r->o->actor, ch);
	json_decref(ch);
	return rc;
}

int imp_commit(db *d, int64_t job, const struct imp_opts *o, const struct imp_progress *p,
	       kf_err *e)
{
	struct run r;
	run_init(&r, d, job, o, p);
	int rc = load_job(&r, "importing", e);
	int64_t total = 0;
	if (rc == 0 && db_query_int(d, "SELECT ok_rows FROM import_jobs WHERE id = ?", DB_ARGS(DBI(job)),
				    &total) != DB_ROW)
		rc = db_failed(e, d);
	struct counts k = {0, 0, 0};
	struct staged *rows = malloc(IMP_BATCH * sizeof(*rows));
	int64_t after = 0, done = 0;
	/* One transaction for everything: all or nothing. */
	if (rc == 0 && db_begin(d) < 0)
		rc = db_failed(e, d);
	while (rc == 0) {
		new_batch_arena(&r);
		int n;
		if (read_batch(&r, after, 1, rows, &n) < 0) {
			rc = db_failed(e, d);
			break;
		}
		for (int i = 0; i < n && rc == 0; i++) {
			json_t *vals = json_loads(rows[i].vals, 0, NULL);
			if (!vals)
				rc = kf_fail(e, KF_EINTERNAL, NULL, "第 %lld 行的数据损坏",
					     "The data of line %lld is damaged", (long long)rows[i].line);
			else if ((o->kind == IMPF_ORDERS ? commit_order(&r, vals, &k)
							 : commit_customer(&r, vals, &k)) < 0)
				rc = db_failed(e, d);
			json_decref(vals);
			after = rows[i].line;
			done++;
		}
		progress(&r, "commit", done, total);
		if (rc || n < IMP_BATCH)
			break;
		if (r.batch_delay_ms)
			usleep((useconds_t)(r.batch_delay_ms * 1000));
		if (cancelled(&r))
			rc = kf_fail(e, KF_ECONFLICT, NULL, "导入已取消，未写入任何数据",
				     "The import was cancelled; nothing was written");
	}
	int64_t now = util_now_ms();
	if (rc == 0 &&
	    (db_exec(d,
		     "UPDATE import_jobs SET status = 'done', inserted = ?, merged = ?, skipped = ?,"
		     " done_rows = ?, finished_at = ?, updated_at = ?, heartbeat_at = ? WHERE id = ?",
		     DB_ARGS(DBI(k.inserted), DBI(k.merged), DBI(k.skipped), DBI(done), DBI(now),
			     DBI(now), DBI(now), DBI(job))) < 0 ||
	     db_commit(d) < 0))
		rc = db_failed(e, d);
	if (d->in_tx)
		db_rollback(d);
	free(rows);
	run_release(&r);
	return rc;
}

/* ---------------------------------------------------------------- jobs */

void imp_job_finish(db *d, int64_t job, const char *status, const kf_err *e)
{
	if (d->in_tx)
		db_rollback(d);
	int64_t now = util_now_ms();
	db_exec(d,
		"UPDATE import_jobs SET status = ?, error_zh = ?, error_en = ?, finished_at = ?,"
		" updated_at = ? WHERE id = ?",
		DB_ARGS(DBT(status), DBT(e ? e->zh : ""), DBT(e ? e->en : ""), DBI(now), DBI(now),
			DBI(job)));
}

int imp_job_discard_rows(db *d, int64_t job)
{
	/* In slices, so that other writers get their turn. */
	for (;;) {
		int n = db_exec(d,
				"DELETE FROM import_rows WHERE job_id = ? AND line IN (SELECT line FROM"
				" import_rows WHERE job_id = ? ORDER BY line LIMIT 5000)",
				DB_ARGS(DBI(job), DBI(job)));
		if (n <= 0)
			return n;
	}
}

static json_t *loads_or(const char *s, json_t *dflt)
{
	json_t *v = json_loads(s, 0, NULL);
	if (v) {
		json_decref(dflt);
		return v;
	}
	return dflt;
}

json_t *imp_job_json(db *d, int64_t job)
{
	db_stmt *st;
	if (db_query(d,
		     "SELECT id, kind, filename, encoding, status, headers, sample, suggested, mapping,"
		     " duplicates, total_rows, done_rows, ok_rows, bad_rows, problem_count,"
		     " dup_existing, dup_in_file, inserted, merged, skipped, error_zh, error_en,"
		     " created_by, created_at, updated_at, finished_at, heartbeat_at"
		     " FROM import_jobs WHERE id = ?",
		     DB_ARGS(DBI(job)), &st) < 0)
		return NULL;
	json_t *j = NULL;
	if (db_step(st) == DB_ROW) {
		j = json_pack(
			"{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:I,"
			" s:{s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I}}",
			"id", (json_int_t)db_col_int(st, 0), "kind", db_col_text(st, 1), "filename",
			db_col_text(st, 2), "encoding", db_col_text(st, 3), "status", db_col_text(st, 4),
			"headers", loads_or(db_col_text(st, 5), json_array()), "sample",
			loads_or(db_col_text(st, 6), json_array()), "suggested_mapping",
			loads_or(db_col_text(st, 7), json_array()), "mapping",
			loads_or(db_col_text(st, 8), json_array()), "duplicates", db_col_text(st, 9),
			"rows", (json_int_t)db_col_int(st, 10), "progress", "done",
			(json_int_t)db_col_int(st, 11), "total", (json_int_t)db_col_int(st, 10),
			"summary", "ok", (json_int_t)db_col_int(st, 12), "bad",
			(json_int_t)db_col_int(st, 13), "problems", (json_int_t)db_col_int(st, 14),
			"duplicates_existing", (json_int_t)db_col_int(st, 15), "duplicates_in_file",
			(json_int_t)db_col_int(st, 16), "result", "inserted",
			(json_int_t)db_col_int(st, 17), "merged", (json_int_t)db_col_int(st, 18),
			"skipped", (json_int_t)db_col_int(st, 19));
		json_object_set_new(j, "error",
				    *db_col_text(st, 20) ? json_pack("{s:s, s:s}", "zh", db_col_text(st, 20),
								     "en", db_col_text(st, 21))
							 : json_null());
		json_object_set_new(j, "created_by", db_col_null(st, 22) ? json_null()
								       : json_integer(db_col_int(st, 22)));
		json_object_set_new(j, "created_at", json_integer(db_col_int(st, 23)));
		json_object_set_new(j, "updated_at", json_integer(db_col_int(st, 24)));
		json_object_set_new(j, "finished_at", db_col_null(st, 25) ? json_null()
									: json_integer(db_col_int(st, 25)));
		json_object_set_new(j, "heartbeat_at", db_col_null(st, 26) ? json_null()
									 : json_integer(db_col_int(st, 26)));
	}
	db_done(st);
	return j;
}
