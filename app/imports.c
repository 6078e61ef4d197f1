/* imports.c - the import wizard's API (import.h has the engine):
 *
 *   GET  /api/imports/fields?kind=        the target fields to map columns to
 *   POST /api/imports?kind=&filename=     the file as the body: read into a job
 *   GET  /api/imports                     recent jobs
 *   GET  /api/imports/{id}                a job: header, sample, mapping, progress
 *   POST /api/imports/{id}/check          the dry run (mapping, duplicates)
 *   GET  /api/imports/{id}/problems       what the dry run found, row by row
 *   POST /api/imports/{id}/commit         write it, all or nothing
 *   POST /api/imports/{id}/cancel         stop or discard
 *
 * Check and commit run in the background (import_job.c); the UI polls the
 * job.  Supervisors see their own jobs, admins all. */
#include "app/import.h"

#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "lib/common.h"
#include "lib/util.h"

static int kind_param(http_req *r, const char *v, enum impf_kind *k)
{
	int x = impf_kind_parse(v ? v : "customers");
	if (x < 0)
		return http_fail(r, KF_EINVAL, "kind", "kind 只能是 customers 或 orders",
				 "kind must be customers or orders");
	*k = (enum impf_kind)x;
	return 0;
}

static int dup_param(http_req *r, const char *v, int *merge)
{
	if (!v || !strcmp(v, "skip"))
		*merge = 0;
	else if (!strcmp(v, "merge"))
		*merge = 1;
	else
		return http_fail(r, KF_EINVAL, "duplicates", "duplicates 只能是 merge 或 skip",
				 "duplicates must be merge or skip");
	return 0;
}

int imports_fields(http_req *r)
{
	enum impf_kind k = IMPF_CUSTOMERS;
	int rc;
	if ((rc = kind_param(r, http_query(r, "kind"), &k)) < 0)
		return rc;
	json_t *arr = json_array();
	for (const struct impf_field *f = impf_fields(k); f->name; f++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "name", f->name, "zh",
						     f->zh, "en", f->en, "required", f->required));
	return http_json(r, 200, json_pack("{s:s, s:o}", "kind", k == IMPF_ORDERS ? "orders" : "customers",
					   "fields", arr));
}

/* The job as JSON, with this process's live progress when it runs here,
 * and a job whose runner died reported as failed. */
static json_t *job_view(http_req *r, int64_t id)
{
	json_t *j = imp_job_json(r->db, id);
	if (!j)
		return NULL;
	const char *st = json_string_value(json_object_get(j, "status"));
	int64_t done, total;
	const char *phase;
	if (imp_job_running(id, &done, &total, &phase)) {
		json_object_set_new(j, "progress", json_pack("{s:I, s:I, s:s}", "done", (json_int_t)done,
							     "total", (json_int_t)total, "phase", phase));
	} else if (!strcmp(st, "checking") || !strcmp(st, "importing")) {
		json_t *hb = json_object_get(j, "heartbeat_at");
		int64_t age = util_now_ms() - (json_is_integer(hb) ? json_integer_value(hb) : 0);
		/* one process on SQLite: not running here means not running */
		if (r->db->kind == DB_SQLITE || age > 10 * 60 * 1000) {
			kf_err e;
			kf_fail(&e, KF_EINTERNAL, NULL, "运行该导入的服务已停止，请重新开始",
				"The server running this import stopped; start again");
			imp_job_finish(r->db, id, "failed", &e);
			json_decref(j);
			j = imp_job_json(r->db, id);
		}
	}
	return j;
}

static int load_visible(http_req *r, int64_t *id, json_t **job)
{
	int rc;
	if ((rc = http_param_id(r, 0, id)) < 0)
		return rc;
	*job = job_view(r, *id);
	json_t *by = *job ? json_object_get(*job, "created_by") : NULL;
	if (!*job || (r->user.role < ROLE_ADMIN &&
		      (!json_is_integer(by) || json_integer_value(by) != r->user.id))) {
		json_decref(*job);
		*job = NULL;
		return http_fail(r, KF_ENOTFOUND, "id", "导入任务 %lld 不存在",
				 "Import job %lld does not exist", (long long)*id);
	}
	return 0;
}

int imports_create(http_req *r)
{
	struct imp_opts o = {.actor = r->user.id, .actor_role = r->user.role};
	int rc;
	const char *fname = http_query(r, "filename");
	size_t n;
	if ((rc = kind_param(r, http_query(r, "kind"), &o.kind)) < 0 ||
	    (rc = dup_param(r, http_query(r, "duplicates"), &o.merge)) < 0)
		return rc;
	if (fname && !valid_utf8_len(fname, 200, &n))
		return http_fail(r, KF_EINVAL, "filename", "文件名最多 200 个字符",
				 "File names are at most 200 characters");
	if (!r->upload || !r->upload_len)
		return http_fail(r, KF_EINVAL, "file", "请求体应为要导入的文件（CSV 或 .xlsx）",
				 "The body must be the file to import (CSV or .xlsx)");
	int64_t id;
	kf_err e;
	kf_err_clear(&e);
	if (imp_job_create(r->db, &o, fname ? fname : "", &id, &e) < 0 ||
	    imp_stage(r->db, id, r->upload, NULL, &o, NULL, &e) < 0) {
		if (e.code == KF_EINVAL) { /* the file's fault: keep the job as failed */
			imp_job_finish(r->db, id, "failed", &e);
			imp_job_discard_rows(r->db, id);
		}
		r->err = e;
		return e.code;
	}
	json_t *j = job_view(r, id);
	return j ? http_json(r, 201, j) : app_db_fail(r, DB_EFAIL, NULL);
}

int imports_list(http_req *r)
{
	db_stmt *st;
	int64_t limit;
	int rc;
	if ((rc = in_query_int(r, "limit", 1, 100, 20, &limit)) < 0)
		return rc;
	if (db_query(r->db,
		     "SELECT id FROM import_jobs WHERE (created_by = ? OR CAST(? AS BIGINT) = 1)"
		     " ORDER BY id DESC LIMIT ?",
		     DB_ARGS(DBI(r->user.id), DBI(r->user.role >= ROLE_ADMIN), DBI(limit)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int64_t ids[100];
	int n = 0;
	while (n < 100 && db_step(st) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *j = imp_job_json(r->db, ids[i]);
		if (j) {
			json_object_del(j, "sample");
			json_array_append_new(items, j);
		}
	}
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

int imports_get(http_req *r)
{
	int64_t id;
	json_t *j;
	int rc = load_visible(r, &id, &j);
	return rc < 0 ? rc : http_json(r, 200, j);
}

static const char *const check_keys[] = {"mapping", "duplicates", NULL};

/* Moves the job from one of `from` to `to`; 409 if it is elsewhere. */
static int transition(http_req *r, int64_t id, const char *from1, const char *from2, const char *to)
{
	int n = db_exec(r->db,
			"UPDATE import_jobs SET status = ?, error_zh = '', error_en = '', updated_at = ?,"
			" heartbeat_at = ? WHERE id = ? AND status IN (?, ?)",
			DB_ARGS(DBT(to), DBI(util_now_ms()), DBI(util_now_ms()), DBI(id), DBT(from1),
				DBT(from2)));
	if (n < 0)
		return app_db_fail(r, n, NULL);
	if (n == 0)
		return http_fail(r, KF_ECONFLICT, "status", "导入任务当前状态不允许此操作",
				 "The import job is not in a state that allows this");
	return 0;
}

static int start(http_req *r, int64_t id, const char *phase, const char *back,
		 const struct imp_opts *o)
{
	kf_err e;
	kf_err_clear(&e);
	if (imp_job_start(id, phase, o, &e) < 0) {
		db_exec(r->db, "UPDATE import_jobs SET status = ? WHERE id = ?", DB_ARGS(DBT(back), DBI(id)));
		r->err = e;
		return e.code;
	}
	json_t *j = job_view(r, id);
	return j ? http_json(r, 202, j) : app_db_fail(r, DB_EFAIL, NULL);
}

static int opts_of(http_req *r, json_t *job, struct imp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->actor = r->user.id;
	o->actor_role = r->user.role;
	int k = impf_kind_parse(json_string_value(json_object_get(job, "kind")));
	o->kind = k < 0 ? IMPF_CUSTOMERS : (enum impf_kind)k;
	o->merge = !strcmp(json_string_value(json_object_get(job, "duplicates")), "merge");
	json_t *d = r->json ? json_object_get(r->json, "duplicates") : NULL;
	if (d && !json_is_string(d))
		return http_fail(r, KF_EINVAL, "duplicates", "duplicates 只能是 merge 或 skip",
				 "duplicates must be merge or skip");
	return d ? dup_param(r, json_string_value(d), &o->merge) : 0;
}

int imports_check(http_req *r)
{
	int64_t id;
	json_t *job;
	int rc = load_visible(r, &id, &job);
	if (rc < 0)
		return rc;
	struct imp_opts o;
	json_t *mapping = r->json ? json_object_get(r->json, "mapping") : NULL;
	kf_err e;
	kf_err_clear(&e);
	if ((r->json && (rc = in_only_keys(r, r->json, check_keys, NULL)) < 0) ||
	    (rc = opts_of(r, job, &o)) < 0) {
		json_decref(job);
		return rc;
	}
	if (!mapping)
		mapping = json_object_get(job, "mapping");
	if (imp_mapping_check(r->db, id, o.kind, mapping, &e) < 0) {
		json_decref(job);
		r->err = e;
		return e.code;
	}
	char *m = json_dumps(mapping, JSON_COMPACT);
	json_decref(job);
	rc = db_exec(r->db, "UPDATE import_jobs SET mapping = ?, duplicates = ? WHERE id = ? AND status IN ('uploaded', 'checked')",
		     DB_ARGS(DBT(m), DBT(o.merge ? "merge" : "skip"), DBI(id)));
	free(m);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if ((rc = transition(r, id, "uploaded", "checked", "checking")) < 0)
		return rc;
	return start(r, id, "check", "uploaded", &o);
}

int imports_commit(http_req *r)
{
	int64_t id;
	json_t *job;
	int rc = load_visible(r, &id, &job);
	if (rc < 0)
		return rc;
	struct imp_opts o;
	static const char *const keys[] = {"duplicates", NULL};
	if ((r->json && (rc = in_only_keys(r, r->json, keys, NULL)) < 0) ||
	    (rc = opts_of(r, job, &o)) < 0) {
		json_decref(job);
		return rc;
	}
	json_decref(job);
	if (db_exec(r->db, "UPDATE import_jobs SET duplicates = ? WHERE id = ? AND status = 'checked'",
		    DB_ARGS(DBT(o.merge ? "merge" : "skip"), DBI(id))) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if ((rc = transition(r, id, "checked", "checked", "importing")) < 0)
		return rc;
	return start(r, id, "commit", "checked", &o);
}

int imports_cancel(http_req *r)
{
	int64_t id;
	json_t *job;
	int rc = load_visible(r, &id, &job);
	if (rc < 0)
		return rc;
	json_decref(job);
	if (!imp_job_cancel(id)) {
		kf_err e;
		kf_fail(&e, KF_ECONFLICT, NULL, "导入已取消", "The import was cancelled");
		int n = db_exec(r->db,
				"UPDATE import_jobs SET status = 'cancelled', cancel_requested = 1,"
				" error_zh = ?, error_en = ?, finished_at = ?, updated_at = ?"
				" WHERE id = ? AND status IN ('uploaded', 'checked', 'checking', 'importing')",
				DB_ARGS(DBT(e.zh), DBT(e.en), DBI(util_now_ms()), DBI(util_now_ms()), DBI(id)));
		if (n < 0)
			return app_db_fail(r, n, NULL);
		if (n > 0)
			imp_job_discard_rows(r->db, id);
	}
	json_t *j = job_view(r, id);
	return j ? http_json(r, 200, j) : app_db_fail(r, DB_EFAIL, NULL);
}

int imports_problems(http_req *r)
{
	int64_t id, limit, after;
	json_t *job;
	int rc = load_visible(r, &id, &job);
	if (rc < 0)
		return rc;
	json_decref(job);
	if ((rc = in_query_int(r, "limit", 1, 1000, 100, &limit)) < 0 ||
	    (rc = in_cursor(r, &after)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT id, line, col, column_name, field, value, message_zh, message_en"
		     " FROM import_problems WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?",
		     DB_ARGS(DBI(id), DBI(after), DBI(limit + 1)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int64_t last = 0, n = 0;
	int more = 0;
	while (db_step(st) == DB_ROW) {
		if (n == limit) {
			more = 1;
			break;
		}
		last = db_col_int(st, 0);
		json_array_append_new(
			items, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "line",
					 (json_int_t)db_col_int(st, 1), "column", (json_int_t)db_col_int(st, 2),
					 "column_name", db_col_text(st, 3), "field", db_col_text(st, 4),
					 "value", db_col_text(st, 5), "message_zh", db_col_text(st, 6),
					 "message_en", db_col_text(st, 7)));
		n++;
	}
	db_done(st);
	return http_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor",
					   more ? json_string(out_cursor(r, last)) : json_null()));
}
