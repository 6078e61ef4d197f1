/* customer_orders.c - a customer's transactions (交易记录), amounts in fen. */
#include "app/customer.h"

#include <stdio.h>
#include <string.h>

#include "lib/common.h"
#include "lib/util.h"

static const char *const order_keys[] = {"order_no", "product", "amount_fen", "margin_fen",
					 "ordered_at", "note", NULL};

static json_t *order_row(db_stmt *st)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:I, s:o, s:I, s:s, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "customer_id", (json_int_t)db_col_int(st, 1),
			 "order_no", db_col_text(st, 2), "product", db_col_text(st, 3), "amount_fen",
			 (json_int_t)db_col_int(st, 4), "margin_fen",
			 db_col_null(st, 5) ? json_null() : json_integer(db_col_int(st, 5)),
			 "ordered_at", (json_int_t)db_col_int(st, 6), "note", db_col_text(st, 7),
			 "created_at", (json_int_t)db_col_int(st, 8));
}

#define ORDER_COLS "id, customer_id, order_no, product, amount_fen, margin_fen, ordered_at, note, created_at"

static int need_customer(http_req *r, int64_t *id)
{
	int rc;
	if ((rc = http_param_id(r, 0, id)) < 0)
		return rc;
	rc = customer_exists(r, *id);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (!rc)
		return http_fail(r, KF_ENOTFOUND, "id", "客户 %lld 不存在", "Customer %lld does not exist",
				 (long long)*id);
	return 0;
}

int customer_orders_create(http_req *r)
{
	int64_t cid, amount, margin, at;
	const char *no, *product, *note;
	int rc, has_margin;
	if ((rc = need_customer(r, &cid)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "order_no", "缺少必填字段 order_no",
				 "The field order_no is required");
	/* 10^12 fen is ten billion yuan: larger is a typo. */
	if ((rc = in_only_keys(r, r->json, order_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "order_no", 64, 1, &no, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "product", 200, 0, &product, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "amount_fen", 0, 1000000000000LL, 1, &amount, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "margin_fen", -1000000000000LL, 1000000000000LL, 0, &margin,
			 &has_margin)) < 0 ||
	    (rc = in_int(r, r->json, "ordered_at", 0, 4102444800000LL, 1, &at, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "note", 1000, 0, &note, NULL)) < 0)
		return rc;
	if (has_margin && margin > amount)
		return http_fail(r, KF_EINVAL, "margin_fen", "毛利不能大于金额",
				 "The margin cannot exceed the amount");
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	db_stmt *st;
	int64_t id = 0;
	if (db_query(r->db,
		     "INSERT INTO orders (customer_id, order_no, product, amount_fen, margin_fen,"
		     " ordered_at, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
		     " RETURNING id",
		     DB_ARGS(DBI(cid), DBT(no), DBT(product ? product : ""), DBI(amount),
			     has_margin && json_is_integer(json_object_get(r->json, "margin_fen"))
				     ? DBI(margin)
				     : DBNULL,
			     DBI(at), DBT(note ? note : ""), DBI(r->user.id), DBI(util_now_ms())),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return app_db_fail(r, rc, NULL);
	json_t *ch = json_pack("{s:s, s:I}", "order_no", no, "amount_fen", (json_int_t)amount);
	rc = audit_write(r->db, "customer", cid, "order", r->user.id, ch);
	json_decref(ch);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (db_query(r->db, "SELECT " ORDER_COLS " FROM orders WHERE id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *o = db_step(st) == DB_ROW ? order_row(st) : NULL;
	db_done(st);
	return o ? http_json(r, 201, o) : app_db_fail(r, DB_EFAIL, NULL);
}

/* Newest by order date first (an old order entered later sorts by its
 * date); the cursor holds the last (ordered_at, id) seen. */
static int order_cursor(http_req *r, int64_t *at, int64_t *id)
{
	const char *s = http_query(r, "cursor");
	unsigned long long a, i;
	char tail;
	*at = INT64_MAX;
	*id = INT64_MAX;
	if (!s || !*s)
		return 0;
	if (strlen(s) > 40 || sscanf(s, "o%llx.%llx%c", &a, &i, &tail) != 2 || a > INT64_MAX ||
	    i > INT64_MAX)
		return http_fail(r, KF_EINVAL, "cursor", "分页游标无效", "Invalid pagination cursor");
	*at = (int64_t)a;
	*id = (int64_t)i;
	return 0;
}

int customer_orders_list(http_req *r)
{
	int64_t cid, limit, at, after;
	int rc;
	if ((rc = need_customer(r, &cid)) < 0 ||
	    (rc = in_query_int(r, "limit", 1, 200, 50, &limit)) < 0 ||
	    (rc = order_cursor(r, &at, &after)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT " ORDER_COLS " FROM orders WHERE customer_id = ?"
		     " AND (ordered_at < ? OR (ordered_at = ? AND id < ?))"
		     " ORDER BY ordered_at DESC, id DESC LIMIT ?",
		     DB_ARGS(DBI(cid), DBI(at), DBI(at), DBI(after), DBI(limit + 1)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int64_t last = 0, last_at = 0, n = 0;
	int more = 0;
	while (db_step(st) == DB_ROW) {
		if (n == limit) {
			more = 1;
			break;
		}
		last = db_col_int(st, 0);
		last_at = db_col_int(st, 6);
		json_array_append_new(items, order_row(st));
		n++;
	}
	db_done(st);
	return http_json(r, 200,
			 json_pack("{s:o, s:o}", "items", items, "next_cursor",
				   more ? json_string(arena_printf(r->a, "o%llx.%llx",
								   (unsigned long long)last_at,
								   (unsigned long long)last))
					: json_null()));
}
