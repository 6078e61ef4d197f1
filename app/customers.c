/* customers.c - the customer file (DOMAIN §1): create, read, update,
 * archive, and the filtered, cursor-paginated list.
 *
 * Reading a file is one row: the nested parts (contacts, dates,
 * preferences, do-not-disturb windows, tags) are JSON documents in it.
 * Every change is written to the audit log in the same transaction.
 * Agents see phone numbers unmasked only on the customers they own. */
#include "app/customer.h"

#include <stdlib.h>
#include <string.h>

#include "app/case.h"
#include "core/mask.h"
#include "lib/jw.h"
#include "lib/common.h"
#include "lib/util.h"

/* Columns read for a whole file, in the order of file_cols[] below. */
#define FILE_SELECT                                                                              \
	"SELECT c.id, c.name, c.kind, c.source, c.lifecycle, c.chain_role, c.value_class,"       \
	" c.industry, c.company, c.address, c.phone, c.email, c.wechat, c.birthday,"             \
	" c.standing, c.hobbies, c.memorable, c.notes, c.contacts, c.dates, c.preferences,"      \
	" c.dnd, c.tags, c.owner_id, c.tier, u.display_name, c.created_at, c.updated_at,"        \
	" c.archived_at, c.version FROM customers c LEFT JOIN users u ON u.id = c.owner_id"

enum { COL_PHONE = 10, COL_JSON_FIRST = 18, COL_JSON_LAST = 22, COL_OWNER = 23 };

static json_t *owner_json(db_stmt *st, int id_col, int name_col)
{
	if (db_col_null(st, id_col))
		return json_null();
	return json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, id_col), "display_name",
			 db_col_text(st, name_col));
}

static json_t *nullable_int(db_stmt *st, int col)
{
	return db_col_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

static json_t *file_from_row(db_stmt *st)
{
	json_t *c = json_object();
	json_object_set_new(c, "id", json_integer(db_col_int(st, 0)));
	for (int i = 1; i <= COL_JSON_LAST; i++) {
		const char *name = customer_fields[i - 1].name;
		if (i == COL_PHONE) {
			json_object_set_new(c, name, db_col_null(st, i) ? json_null()
									: json_string(db_col_text(st, i)));
		} else if (i >= COL_JSON_FIRST) {
			json_t *doc = json_loads(db_col_text(st, i), 0, NULL);
			json_object_set_new(c, name, doc ? doc : json_null());
		} else {
			json_object_set_new(c, name, json_string(db_col_text(st, i)));
		}
	}
	json_object_set_new(c, "owner_id", nullable_int(st, COL_OWNER));
	json_object_set_new(c, "owner", owner_json(st, COL_OWNER, 25));
	json_object_set_new(c, "tier", json_string(db_col_text(st, 24)));
	json_object_set_new(c, "created_at", json_integer(db_col_int(st, 26)));
	json_object_set_new(c, "updated_at", json_integer(db_col_int(st, 27)));
	json_object_set_new(c, "archived_at", nullable_int(st, 28));
	json_object_set_new(c, "version", json_integer(db_col_int(st, 29)));
	return c;
}

static void mask_in(json_t *o)
{
	json_t *p = json_object_get(o, "phone");
	if (json_is_string(p)) {
		char m[48];
		mask_phone(json_string_value(p), m, sizeof(m));
		json_object_set_new(o, "phone", json_string(m));
	}
}

int customer_masked_for(http_req *r, int64_t owner_id)
{
	return r->user.role < ROLE_SUPERVISOR && owner_id != r->user.id;
}

json_t *customer_load(http_req *r, int64_t id)
{
	db_stmt *st;
	if (db_query(r->db, FILE_SELECT " WHERE c.id = ?", DB_ARGS(DBI(id)), &st) < 0) {
		app_db_fail(r, DB_EFAIL, NULL);
		return NULL;
	}
	json_t *c = NULL;
	int rc = db_step(st);
	if (rc == DB_ROW)
		c = file_from_row(st);
	db_done(st);
	if (rc < 0) {
		app_db_fail(r, rc, NULL);
		return NULL;
	}
	if (!c) {
		http_fail(r, KF_ENOTFOUND, "id", "客户 %lld 不存在", "Customer %lld does not exist",
			  (long long)id);
		return NULL;
	}
	return c;
}

static void write_phone(jw *w, const char *e164, int masked)
{
	char m[48];
	if (masked) {
		mask_phone(e164, m, sizeof(m));
		e164 = m;
	}
	jw_str(w, e164);
}

/* Contacts are stored validated; only a masked view needs them parsed. */
static void write_contacts(jw *w, const char *doc, int masked)
{
	if (!*doc)
		doc = "[]";
	json_t *cs = masked ? json_loads(doc, 0, NULL) : NULL;
	if (!cs) {
		jw_raw(w, doc);
		return;
	}
	size_t i;
	json_t *c;
	json_array_foreach(cs, i, c) mask_in(c);
	char *s = json_dumps(cs, JSON_COMPACT);
	jw_raw(w, s ? s : "[]");
	free(s);
	json_decref(cs);
}

int customer_respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, FILE_SELECT " WHERE c.id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "客户 %lld 不存在",
					  "Customer %lld does not exist", (long long)id);
	}
	int64_t owner = db_col_null(st, COL_OWNER) ? 0 : db_col_int(st, COL_OWNER);
	int masked = customer_masked_for(r, owner);
	buf b;
	buf_init(&b, 1 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "id");
	jw_int(&w, db_col_int(st, 0));
	for (int i = 1; i <= COL_JSON_LAST; i++) {
		jw_key(&w, customer_fields[i - 1].name);
		if (i == COL_PHONE && db_col_null(st, i))
			jw_null(&w);
		else if (i == COL_PHONE)
			write_phone(&w, db_col_text(st, i), masked);
		else if (!strcmp(customer_fields[i - 1].name, "contacts"))
			write_contacts(&w, db_col_text(st, i), masked);
		else if (i >= COL_JSON_FIRST && *db_col_text(st, i))
			jw_raw(&w, db_col_text(st, i));
		else if (i >= COL_JSON_FIRST) /* never emit an empty value */
			jw_raw(&w, customer_fields[i - 1].type == CF_PREFS ? "{}" : "[]");
		else
			jw_str(&w, db_col_text(st, i));
	}
	jw_key(&w, "owner_id");
	if (owner)
		jw_int(&w, owner);
	else
		jw_null(&w);
	jw_key(&w, "owner");
	if (owner) {
		jw_obj(&w);
		jw_key(&w, "id");
		jw_int(&w, owner);
		jw_key(&w, "display_name");
		jw_str(&w, db_col_text(st, 25));
		jw_obj_end(&w);
	} else {
		jw_null(&w);
	}
	jw_key(&w, "tier");
	jw_str(&w, db_col_text(st, 24));
	jw_key(&w, "created_at");
	jw_int(&w, db_col_int(st, 26));
	jw_key(&w, "updated_at");
	jw_int(&w, db_col_int(st, 27));
	jw_key(&w, "archived_at");
	if (db_col_null(st, 28))
		jw_null(&w);
	else
		jw_int(&w, db_col_int(st, 28));
	jw_key(&w, "version");
	jw_int(&w, db_col_int(st, 29));
	jw_key(&w, "phone_masked");
	jw_bool(&w, masked && !db_col_null(st, COL_PHONE));
	jw_obj_end(&w);
	db_done(st);
	if (jw_failed(&w)) {
		buf_release(&b);
		return http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, status, &b);
}

int customer_exists(http_req *r, int64_t id)
{
	int64_t one;
	int rc = db_query_int(r->db, "SELECT 1 FROM customers WHERE id = ?", DB_ARGS(DBI(id)), &one);
	return rc < 0 ? rc : rc == DB_ROW;
}

int customer_set_tags(db *d, int64_t id, json_t *tags)
{
	if (db_exec(d, "DELETE FROM customer_tags WHERE customer_id = ?", DB_ARGS(DBI(id))) < 0)
		return -1;
	size_t i;
	json_t *t;
	json_array_foreach(tags, i, t)
	{
		if (db_exec(d, "INSERT INTO customer_tags (tag, customer_id) VALUES (?, ?)",
			    DB_ARGS(DBT(json_string_value(t)), DBI(id))) < 0)
			return -1;
	}
	return 0;
}

/* 409 naming the existing customer when another live one has this phone. */
static int phone_taken(http_req *r, json_t *vals, int64_t self)
{
	json_t *p = json_object_get(vals, "phone");
	if (!json_is_string(p))
		return 0;
	int64_t other;
	int rc = db_query_int(r->db,
			      "SELECT id FROM customers WHERE phone = ? AND archived_at IS NULL AND id <> ?",
			      DB_ARGS(DBT(json_string_value(p)), DBI(self)), &other);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW)
		return 0;
	http_fail(r, KF_ECONFLICT, "phone", "该电话号码已属于客户 %lld",
		  "This phone number already belongs to customer %lld", (long long)other);
	r->err.ref_id = other;
	return KF_ECONFLICT;
}

/* The value of a validated field as a statement argument; JSON documents
 * are stored as their text, which `keep` holds until the statement ran. */
static db_val field_arg(json_t *v, char **keep)
{
	if (json_is_null(v))
		return DBNULL;
	if (json_is_integer(v))
		return DBI(json_integer_value(v));
	if (json_is_string(v))
		return DBT(json_string_value(v));
	*keep = json_dumps(v, JSON_COMPACT);
	return DBT(*keep);
}

static int do_insert(http_req *r, json_t *vals, int64_t *id)
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
		args[n] = field_arg(v, &keep[n]);
		n++;
	}
	int64_t now = util_now_ms();
	buf_puts(&sql, "created_by, created_at, updated_at) VALUES (");
	for (int i = 0; i < n + 3; i++)
		buf_puts(&sql, i ? ", ?" : "?");
	buf_puts(&sql, ") RETURNING id");
	args[n++] = DBI(r->user.id);
	args[n++] = DBI(now);
	args[n++] = DBI(now);
	db_stmt *st;
	int rc = db_query(r->db, sql.data, args, n, &st);
	if (rc == 0) {
		rc = db_step(st);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
	}
	for (int i = 0; i < n; i++)
		free(keep[i]);
	buf_release(&sql);
	return rc == DB_ROW ? 0 : rc < 0 ? rc : DB_EFAIL;
}

int customers_create(http_req *r)
{
	if (!r->json)
		return http_fail(r, KF_EINVAL, "name", "缺少必填字段 name（客户名称）",
				 "The field name (customer name) is required");
	json_t *vals = customer_validate(r, r->json, 1, NULL);
	if (!vals)
		return r->err.code;
	/* An agent's new customer is theirs unless a supervisor decides. */
	if (!json_object_get(vals, "owner_id") && r->user.role == ROLE_AGENT)
		json_object_set_new(vals, "owner_id", json_integer(r->user.id));
	int64_t id = 0;
	int rc;
	if (db_begin(r->db) < 0) {
		json_decref(vals);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	/* The unique index decides a duplicate phone (also between concurrent
	 * requests); only then is the existing customer looked up to name it. */
	rc = do_insert(r, vals, &id);
	if (rc == 0 && json_object_get(vals, "tags"))
		rc = customer_set_tags(r->db, id, json_object_get(vals, "tags"));
	if (rc == 0) {
		json_t *changes = audit_diff(NULL, vals);
		rc = audit_write(r->db, "customer", id, "create", r->user.id, changes);
		json_decref(changes);
	}
	if (rc == DB_EUNIQUE) {
		db_rollback(r->db);
		rc = phone_taken(r, vals, 0);
		json_decref(vals);
		return rc < 0 ? rc : app_db_fail(r, DB_EUNIQUE, "phone");
	}
	json_decref(vals);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return customer_respond(r, id, 201);
}

int customers_get(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	return customer_respond(r, id, 200);
}

static int do_update(http_req *r, int64_t id, int64_t version, json_t *vals)
{
	buf sql;
	buf_init(&sql, 8192);
	db_val args[40];
	char *keep[40] = {0};
	int n = 0;
	buf_puts(&sql, "UPDATE customers SET ");
	for (size_t i = 0; i < customer_nfields; i++) {
		json_t *v = json_object_get(vals, customer_fields[i].name);
		if (!v)
			continue;
		buf_printf(&sql, "%s = ?, ", customer_fields[i].name);
		args[n] = field_arg(v, &keep[n]);
		n++;
	}
	buf_puts(&sql, "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?");
	args[n++] = DBI(util_now_ms());
	args[n++] = DBI(id);
	args[n++] = DBI(version);
	int rc = db_exec(r->db, sql.data, args, n);
	for (int i = 0; i < n; i++)
		free(keep[i]);
	buf_release(&sql);
	return rc;
}

static const char *const patch_extra[] = {"version", NULL};

int customer_value_class_changed(db *d, int64_t id, json_t *pair, int64_t actor)
{
	const char *from = json_string_value(json_array_get(pair, 0));
	const char *to = json_string_value(json_array_get(pair, 1));
	int was = from && !strcmp(from, "key"), is = to && !strcmp(to, "key");
	if (!pair || was == is)
		return 0;
	arena *a = arena_new();
	int rc = case_customer_key_changed(d, a, id, is, actor, util_now_ms());
	arena_free(a);
	return rc;
}

int customers_patch(http_req *r)
{
	int64_t id, want_version;
	int rc, has_version;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	if ((rc = in_int(r, r->json, "version", 1, INT64_MAX, 0, &want_version, &has_version)) < 0)
		return rc;
	json_t *vals = customer_validate(r, r->json, 0, patch_extra);
	if (!vals)
		return r->err.code;
	if (db_begin(r->db) < 0) {
		json_decref(vals);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	json_t *before = customer_load(r, id);
	if (!before) {
		db_rollback(r->db);
		json_decref(vals);
		return r->err.code;
	}
	int64_t version = json_integer_value(json_object_get(before, "version"));
	json_t *changes = audit_diff(before, vals);
	json_decref(before);
	json_decref(vals);
	vals = NULL;
	if (has_version && want_version != version) {
		db_rollback(r->db);
		json_decref(changes);
		return http_fail(r, KF_ECONFLICT, "version",
				 "客户资料已被他人修改（当前版本 %lld），请刷新后重试",
				 "The file was changed meanwhile (now version %lld); reload and retry",
				 (long long)version);
	}
	/* Only what changed is written, so the audit shows real changes and
	 * an identical PATCH leaves the version alone. */
	json_t *newvals = json_object();
	const char *k;
	json_t *pair;
	json_object_foreach(changes, k, pair) json_object_set(newvals, k, json_array_get(pair, 1));
	rc = 0;
	if (json_object_size(newvals)) {
		if ((rc = phone_taken(r, newvals, id)) < 0)
			goto out;
		rc = do_update(r, id, version, newvals);
		if (rc == 0)
			rc = http_fail(r, KF_ECONFLICT, "version", "客户资料已被他人修改，请刷新后重试",
				       "The file was changed meanwhile; reload and retry");
		if (rc > 0 && json_object_get(newvals, "tags"))
			rc = customer_set_tags(r->db, id, json_object_get(newvals, "tags"));
		if (rc >= 0)
			rc = customer_value_class_changed(r->db, id, json_object_get(changes, "value_class"),
							  r->user.id);
		if (rc >= 0)
			rc = audit_write(r->db, "customer", id,
					 json_object_get(newvals, "owner_id") ? "assign" : "update",
					 r->user.id, changes);
		if (rc == DB_EUNIQUE)
			rc = app_db_fail(r, rc, "phone");
		else if (rc < 0 && rc != KF_ECONFLICT)
			rc = app_db_fail(r, rc, NULL);
	}
out:
	json_decref(changes);
	json_decref(newvals);
	if (rc < 0) {
		db_rollback(r->db);
		return rc;
	}
	if (db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return customer_respond(r, id, 200);
}

int customers_archive(http_req *r)
{
	int64_t id, owner = 0;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	db_stmt *st;
	if (db_query(r->db, "SELECT owner_id, archived_at FROM customers WHERE id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_step(st);
	int archived = 0;
	if (rc == DB_ROW) {
		owner = db_col_null(st, 0) ? 0 : db_col_int(st, 0);
		archived = !db_col_null(st, 1);
	}
	db_done(st);
	if (rc != DB_ROW) {
		db_rollback(r->db);
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "客户 %lld 不存在",
					  "Customer %lld does not exist", (long long)id);
	}
	if (r->user.role < ROLE_SUPERVISOR && owner != r->user.id) {
		db_rollback(r->db);
		return http_fail(r, KF_EFORBIDDEN, NULL, "只有负责人或主管可以归档客户",
				 "Only the owner or a supervisor may archive a customer");
	}
	if (!archived) {
		int64_t now = util_now_ms();
		rc = db_exec(r->db,
			     "UPDATE customers SET archived_at = ?, updated_at = ?, version = version + 1"
			     " WHERE id = ?",
			     DB_ARGS(DBI(now), DBI(now), DBI(id)));
		json_t *ch = json_pack("{s:[nI]}", "archived_at", (json_int_t)now);
		if (rc >= 0)
			rc = audit_write(r->db, "customer", id, "archive", r->user.id, ch);
		json_decref(ch);
		if (rc < 0 || db_commit(r->db) < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
	} else {
		db_rollback(r->db);
	}
	return http_no_content(r);
}
