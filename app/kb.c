/* kb.c - standard answers and their categories: list, create, read,
 * change owner or category, archive; and the pieces kb_versions.c shares
 * (content validation, inserting a version, publishing). */
#include "app/kb.h"

#include <string.h>

#include "app/search.h"
#include "core/validate.h"
#include "lib/common.h"
#include "lib/util.h"

/* ------------------------------------------------------------------ shared writers */

void kb_write_user(jw *w, db_stmt *st, int id_col, int name_col)
{
	if (db_col_null(st, id_col)) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, id_col));
	jw_key(w, "display_name");
	jw_str(w, db_col_text(st, name_col));
	jw_obj_end(w);
}

void kb_write_rating(http_req *r, jw *w, int64_t sum, int64_t n)
{
	jw_obj(w);
	jw_key(w, "average");
	if (n)
		jw_raw(w, arena_printf(r->a, "%.2f", (double)sum / (double)n));
	else
		jw_null(w);
	jw_key(w, "count");
	jw_int(w, n);
	jw_obj_end(w);
}

static void write_opt_time(jw *w, db_stmt *st, int col)
{
	if (db_col_null(st, col))
		jw_null(w);
	else
		jw_int(w, db_col_int(st, col));
}

void kb_write_version(jw *w, db_stmt *st, int full)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, 0));
	jw_key(w, "version_no");
	jw_int(w, db_col_int(st, 1));
	jw_key(w, "state");
	jw_str(w, db_col_text(st, 2));
	jw_key(w, "title");
	jw_str(w, db_col_text(st, 3));
	if (full) {
		jw_key(w, "questions");
		jw_raw(w, db_col_text(st, 4));
		jw_key(w, "answer");
		jw_str(w, db_col_text(st, 5));
		jw_key(w, "tags");
		jw_raw(w, db_col_text(st, 6));
	}
	jw_key(w, "category_id");
	jw_int(w, db_col_int(st, 7));
	jw_key(w, "note");
	jw_str(w, db_col_text(st, 8));
	jw_key(w, "author");
	kb_write_user(w, st, 9, 10);
	jw_key(w, "created_at");
	jw_int(w, db_col_int(st, 11));
	jw_key(w, "submitted_at");
	write_opt_time(w, st, 12);
	jw_key(w, "reviewer");
	kb_write_user(w, st, 13, 14);
	jw_key(w, "reviewed_at");
	write_opt_time(w, st, 15);
	jw_key(w, "reject_reason");
	jw_str(w, db_col_text(st, 16));
	jw_obj_end(w);
}

/* ------------------------------------------------------------------ content */

int kb_category_exists(http_req *r, int64_t id)
{
	int64_t one;
	int rc = db_query_int(r->db, "SELECT 1 FROM kb_categories WHERE id = ?", DB_ARGS(DBI(id)),
			      &one);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW)
		return http_fail(r, KF_EINVAL, "category_id", "知识库分类 %lld 不存在",
				 "Knowledge-base category %lld does not exist", (long long)id);
	return 0;
}

/* ------------------------------------------------------------------ versions and publishing */

int kb_version_insert(http_req *r, int64_t id, int no, const struct kb_content *c,
		      const char *state, int64_t *version_id)
{
	int64_t now = util_now_ms();
	int rc = db_exec(r->db,
			 "UPDATE kb_versions SET state = 'superseded' WHERE answer_id = ?"
			 " AND state IN ('draft', 'pending')",
			 DB_ARGS(DBI(id)));
	if (rc < 0)
		return rc;
	int pending = !strcmp(state, "pending");
	db_stmt *st;
	rc = db_query(r->db,
		      "INSERT INTO kb_versions (answer_id, version_no, category_id, title, questions,"
		      " answer, tags, note, state, author_id, created_at, submitted_at)"
		      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		      DB_ARGS(DBI(id), DBI(no), DBI(c->category_id), DBT(c->title), DBT(c->questions),
			      DBT(c->answer), DBT(c->tags), DBT(c->note), DBT(state), DBI(r->user.id),
			      DBI(now), pending ? DBI(now) : DBNULL),
		      &st);
	if (rc < 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW)
		*version_id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_EFAIL;
	rc = db_exec(r->db,
		     "UPDATE kb_answers SET latest_version_no = ?, updated_at = ?,"
		     " title = CASE WHEN status = 'published' THEN title ELSE ? END WHERE id = ?",
		     DB_ARGS(DBI(no), DBI(now), DBT(c->title), DBI(id)));
	return rc < 0 ? rc : 0;
}

int kb_publish(http_req *r, int64_t id, int64_t version_id)
{
	int64_t now = util_now_ms();
	int rc = db_exec(r->db,
			 "UPDATE kb_versions SET state = 'superseded' WHERE answer_id = ?"
			 " AND state = 'published' AND id <> ?",
			 DB_ARGS(DBI(id), DBI(version_id)));
	if (rc >= 0)
		rc = db_exec(r->db,
			     "UPDATE kb_versions SET state = 'published', reviewer_id = ?,"
			     " reviewed_at = ?, submitted_at = COALESCE(submitted_at, ?) WHERE id = ?",
			     DB_ARGS(DBI(r->user.id), DBI(now), DBI(now), DBI(version_id)));
	if (rc >= 0)
		rc = db_exec(r->db,
			     "UPDATE kb_answers SET status = 'published', published_version_id = ?,"
			     " title = (SELECT title FROM kb_versions WHERE id = ?),"
			     " category_id = (SELECT category_id FROM kb_versions WHERE id = ?),"
			     " published_at = ?, updated_at = ?, archived_at = NULL WHERE id = ?",
			     DB_ARGS(DBI(version_id), DBI(version_id), DBI(version_id), DBI(now),
				     DBI(now), DBI(id)));
	if (rc >= 0)
		rc = search_index_kb(r->db, id);
	return rc < 0 ? rc : 0;
}

int kb_answer_status(http_req *r, int64_t id, const char **status)
{
	db_stmt *st;
	if (db_query(r->db, "SELECT status FROM kb_answers WHERE id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *s = db_col_text(st, 0);
		*status = !strcmp(s, "published") ? "published"
			  : !strcmp(s, "archived") ? "archived"
						   : "draft";
	}
	db_done(st);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW)
		return http_fail(r, KF_ENOTFOUND, "id", "标准回答 %lld 不存在",
				 "Standard answer %lld does not exist", (long long)id);
	return 0;
}

/* ------------------------------------------------------------------ categories */

int kb_categories_list(http_req *r)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT k.id, k.code, k.name_zh, k.name_en, k.sort_order,"
		     " (SELECT COUNT(*) FROM kb_answers a WHERE a.category_id = k.id"
		     " AND a.status = 'published') FROM kb_categories k ORDER BY k.sort_order, k.id",
		     DB_ARGS(), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(
			items, json_pack("{s:I, s:s, s:s, s:s, s:i, s:I}", "id",
					 (json_int_t)db_col_int(st, 0), "code", db_col_text(st, 1),
					 "name_zh", db_col_text(st, 2), "name_en", db_col_text(st, 3),
					 "sort_order", (int)db_col_int(st, 4), "published",
					 (json_int_t)db_col_int(st, 5)));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

int kb_categories_create(http_req *r)
{
	const char *code, *zh, *en;
	int64_t sort;
	int rc = kb_category_read(r, &code, &zh, &en, &sort);
	if (rc < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db,
		     "INSERT INTO kb_categories (code, name_zh, name_en, sort_order, created_at)"
		     " VALUES (?, ?, ?, ?, ?) RETURNING id",
		     DB_ARGS(DBT(code), DBT(zh), DBT(en), DBI(sort), DBI(util_now_ms())), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return app_db_fail(r, rc < 0 ? rc : DB_EFAIL, "code");
	return http_json(r, 201,
			 json_pack("{s:I, s:s, s:s, s:s, s:i, s:i}", "id", (json_int_t)id, "code", code,
				   "name_zh", zh, "name_en", en, "sort_order", (int)sort, "published",
				   0));
}

/* ------------------------------------------------------------------ answers */

static const char *const create_keys[] = {"category_id", "title", "questions", "answer", "tags",
					  "note", "owner_id", "submit", "publish", NULL};

/* Who owns a new answer: the creator, unless a supervisor names someone. */
static int read_owner(http_req *r, json_t *in, int64_t *owner)
{
	int present, rc;
	if ((rc = in_int(r, in, "owner_id", 1, INT64_MAX, 0, owner, &present)) < 0)
		return rc;
	if (!present || !*owner) {
		*owner = r->user.id;
		return 0;
	}
	if (*owner != r->user.id && r->user.role < ROLE_SUPERVISOR)
		return http_fail(r, KF_EFORBIDDEN, "owner_id", "只有主管可以指定负责人",
				 "Only a supervisor may name the owner");
	int64_t one;
	rc = db_query_int(r->db, "SELECT 1 FROM users WHERE id = ?", DB_ARGS(DBI(*owner)), &one);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW)
		return http_fail(r, KF_EINVAL, "owner_id", "用户 %lld 不存在",
				 "User %lld does not exist", (long long)*owner);
	return 0;
}

int kb_create(http_req *r)
{
	if (!r->json)
		return http_fail(r, KF_EINVAL, "title", "缺少必填字段 title", "The field title is required");
	int rc, publish;
	int64_t owner, id = 0, vid = 0;
	const char *state;
	struct kb_content base = {0}, c;
	if ((rc = in_only_keys(r, r->json, create_keys, NULL)) < 0 ||
	    (rc = kb_content_read(r, r->json, &base, &c)) < 0 ||
	    (rc = kb_category_exists(r, c.category_id)) < 0 ||
	    (rc = read_owner(r, r->json, &owner)) < 0)
		return rc;
	if ((publish = kb_read_intent(r, r->json, &state)) < 0)
		return publish;
	int64_t now = util_now_ms();
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	db_stmt *st;
	if (db_query(r->db,
		     "INSERT INTO kb_answers (category_id, title, owner_id, created_by, created_at,"
		     " updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		     DB_ARGS(DBI(c.category_id), DBT(c.title), DBI(owner), DBI(r->user.id), DBI(now),
			     DBI(now)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = kb_version_insert(r, id, 1, &c, state, &vid);
	if (rc >= 0 && publish)
		rc = kb_publish(r, id, vid);
	if (rc >= 0) {
		json_t *ch = json_pack("{s:[ns], s:[ns]}", "title", c.title, "state",
				       publish ? "published" : state);
		rc = audit_write(r->db, "kb_answer", id, "create", r->user.id, ch);
		json_decref(ch);
	}
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return kb_respond(r, id, 201);
}

int kb_get(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	return kb_respond(r, id, 200);
}

/* The version fields of one version, by id, into the open object. */
static int write_version_by_id(http_req *r, jw *w, int64_t vid)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT " KB_VERSION_COLS " FROM kb_versions v" KB_VERSION_JOINS " WHERE v.id = ?",
		     DB_ARGS(DBI(vid)), &st) < 0)
		return DB_EFAIL;
	int rc = db_step(st);
	if (rc == DB_ROW)
		kb_write_version(w, st, 1);
	else
		jw_null(w);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int kb_respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT a.id, a.status, a.title, a.category_id, k.code, k.name_zh, k.name_en,"
		     " a.owner_id, o.display_name, a.published_version_id, a.latest_version_no,"
		     " a.usage_count, a.rating_sum, a.rating_count, a.created_by, cb.display_name,"
		     " a.created_at, a.updated_at, a.published_at, a.archived_at,"
		     " (SELECT stars FROM kb_ratings WHERE answer_id = a.id AND user_id = ?),"
		     " (SELECT id FROM kb_versions WHERE answer_id = a.id AND version_no ="
		     " a.latest_version_no) FROM kb_answers a JOIN kb_categories k ON k.id = a.category_id"
		     " LEFT JOIN users o ON o.id = a.owner_id LEFT JOIN users cb ON cb.id = a.created_by"
		     " WHERE a.id = ?",
		     DB_ARGS(DBI(r->user.id), DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "标准回答 %lld 不存在",
					  "Standard answer %lld does not exist", (long long)id);
	}
	buf b;
	buf_init(&b, 1 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "id");
	jw_int(&w, id);
	jw_key(&w, "status");
	jw_str(&w, db_col_text(st, 1));
	jw_key(&w, "title");
	jw_str(&w, db_col_text(st, 2));
	jw_key(&w, "category");
	jw_obj(&w);
	jw_key(&w, "id");
	jw_int(&w, db_col_int(st, 3));
	jw_key(&w, "code");
	jw_str(&w, db_col_text(st, 4));
	jw_key(&w, "name_zh");
	jw_str(&w, db_col_text(st, 5));
	jw_key(&w, "name_en");
	jw_str(&w, db_col_text(st, 6));
	jw_obj_end(&w);
	jw_key(&w, "owner");
	kb_write_user(&w, st, 7, 8);
	jw_key(&w, "latest_version_no");
	jw_int(&w, db_col_int(st, 10));
	jw_key(&w, "usage_count");
	jw_int(&w, db_col_int(st, 11));
	jw_key(&w, "rating");
	kb_write_rating(r, &w, db_col_int(st, 12), db_col_int(st, 13));
	jw_key(&w, "my_rating");
	if (db_col_null(st, 20))
		jw_null(&w);
	else
		jw_int(&w, db_col_int(st, 20));
	jw_key(&w, "created_by");
	kb_write_user(&w, st, 14, 15);
	jw_key(&w, "created_at");
	jw_int(&w, db_col_int(st, 16));
	jw_key(&w, "updated_at");
	jw_int(&w, db_col_int(st, 17));
	jw_key(&w, "published_at");
	write_opt_time(&w, st, 18);
	jw_key(&w, "archived_at");
	write_opt_time(&w, st, 19);
	int64_t pub = db_col_null(st, 9) ? 0 : db_col_int(st, 9);
	int64_t latest = db_col_null(st, 21) ? 0 : db_col_int(st, 21);
	db_done(st);
	jw_key(&w, "published");
	rc = pub ? write_version_by_id(r, &w, pub) : (jw_null(&w), 0);
	jw_key(&w, "latest");
	if (rc >= 0)
		rc = latest ? write_version_by_id(r, &w, latest) : (jw_null(&w), 0);
	jw_obj_end(&w);
	if (rc < 0 || jw_failed(&w)) {
		buf_release(&b);
		return rc < 0 ? app_db_fail(r, rc, NULL) : http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, status, &b);
}

/* PATCH: the owner (supervisors) and nothing else; content changes are
 * new versions (POST /api/kb/{id}/versions). */
int kb_patch(http_req *r)
{
	static const char *const keys[] = {"owner_id", NULL};
	int64_t id, owner;
	int rc, present;
	const char *status;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	if ((rc = in_only_keys(r, r->json, keys, NULL)) < 0 ||
	    (rc = kb_answer_status(r, id, &status)) < 0 ||
	    (rc = in_int(r, r->json, "owner_id", 1, INT64_MAX, 1, &owner, &present)) < 0 ||
	    (rc = read_owner(r, r->json, &owner)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *ch = json_pack("{s:[nI]}", "owner_id", (json_int_t)owner);
	rc = db_exec(r->db, "UPDATE kb_answers SET owner_id = ?, updated_at = ? WHERE id = ?",
		     DB_ARGS(DBI(owner), DBI(util_now_ms()), DBI(id)));
	if (rc >= 0)
		rc = audit_write(r->db, "kb_answer", id, "update", r->user.id, ch);
	json_decref(ch);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return kb_respond(r, id, 200);
}

/* DELETE (supervisors): archived answers leave search and suggestions;
 * their versions stay for the record. */
int kb_archive(http_req *r)
{
	int64_t id;
	int rc;
	const char *status;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = kb_answer_status(r, id, &status)) < 0)
		return rc;
	if (!strcmp(status, "archived"))
		return http_no_content(r);
	int64_t now = util_now_ms();
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_exec(r->db,
		     "UPDATE kb_answers SET status = 'archived', archived_at = ?, updated_at = ?"
		     " WHERE id = ?",
		     DB_ARGS(DBI(now), DBI(now), DBI(id)));
	if (rc >= 0)
		rc = db_exec(r->db,
			     "UPDATE kb_versions SET state = 'superseded' WHERE answer_id = ?"
			     " AND state IN ('draft', 'pending')",
			     DB_ARGS(DBI(id)));
	if (rc >= 0)
		rc = search_index_kb(r->db, id);
	json_t *ch = json_pack("{s:[sn]}", "status", status);
	if (rc >= 0)
		rc = audit_write(r->db, "kb_answer", id, "archive", r->user.id, ch);
	json_decref(ch);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_no_content(r);
}
