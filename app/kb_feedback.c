/* kb_feedback.c - what agents do with a published answer: insert it into
 * a reply (counted, with the case when given) and rate it (1-5 stars, one
 * rating per agent, changed by rating again). */
#include "app/kb.h"

#include <string.h>

#include "lib/common.h"
#include "lib/util.h"

static int require_published(http_req *r, int64_t id)
{
	const char *status;
	int rc = kb_answer_status(r, id, &status);
	if (rc < 0)
		return rc;
	if (strcmp(status, "published"))
		return http_fail(r, KF_ECONFLICT, "id", "标准回答 %lld 尚未发布（%s）",
				 "Standard answer %lld is not published (%s)", (long long)id, status);
	return 0;
}

/* POST /api/kb/{id}/use {case_id?}: counts the use and answers with the
 * text to insert, so that the count and the text are of the same version. */
int kb_use(http_req *r)
{
	static const char *const keys[] = {"case_id", NULL};
	int64_t id, case_id = 0;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (r->json && ((rc = in_only_keys(r, r->json, keys, NULL)) < 0 ||
			(rc = in_int(r, r->json, "case_id", 1, INT64_MAX, 0, &case_id, NULL)) < 0))
		return rc;
	if ((rc = require_published(r, id)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT v.id, v.version_no, v.title, v.answer FROM kb_answers a JOIN kb_versions v"
		     " ON v.id = a.published_version_id WHERE a.id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	int64_t vid = db_col_int(st, 0), no = db_col_int(st, 1);
	const char *title = arena_strdup(r->a, db_col_text(st, 2));
	const char *answer = arena_strdup(r->a, db_col_text(st, 3));
	db_done(st);
	rc = db_exec(r->db, "UPDATE kb_answers SET usage_count = usage_count + 1 WHERE id = ?",
		     DB_ARGS(DBI(id)));
	if (rc >= 0)
		rc = db_exec(r->db,
			     "INSERT INTO kb_usage (answer_id, version_id, user_id, case_id, at)"
			     " VALUES (?, ?, ?, ?, ?)",
			     DB_ARGS(DBI(id), DBI(vid), DBI(r->user.id), case_id ? DBI(case_id) : DBNULL,
				     DBI(util_now_ms())));
	int64_t count = 0;
	if (rc >= 0)
		rc = db_query_int(r->db, "SELECT usage_count FROM kb_answers WHERE id = ?",
				  DB_ARGS(DBI(id)), &count);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_json(r, 200,
			 json_pack("{s:I, s:I, s:s, s:s, s:I}", "id", (json_int_t)id, "version_no",
				   (json_int_t)no, "title", title, "answer", answer, "usage_count",
				   (json_int_t)count));
}

/* PUT /api/kb/{id}/rating {stars, comment?}: the agent's one rating. */
int kb_rate(http_req *r)
{
	static const char *const keys[] = {"stars", "comment", NULL};
	int64_t id, stars;
	const char *comment;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "stars", "请给出 1 到 5 星", "Give 1 to 5 stars");
	if ((rc = in_only_keys(r, r->json, keys, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "stars", 1, 5, 1, &stars, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "comment", 200, 0, &comment, NULL)) < 0 ||
	    (rc = require_published(r, id)) < 0)
		return rc;
	int64_t now = util_now_ms(), old = 0;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_query_int(r->db, "SELECT stars FROM kb_ratings WHERE answer_id = ? AND user_id = ?",
			  DB_ARGS(DBI(id), DBI(r->user.id)), &old);
	int had = rc == DB_ROW;
	if (rc >= 0)
		rc = db_exec(r->db,
			     "INSERT INTO kb_ratings (answer_id, user_id, stars, comment, created_at,"
			     " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (answer_id, user_id)"
			     " DO UPDATE SET stars = excluded.stars, comment = excluded.comment,"
			     " updated_at = excluded.updated_at",
			     DB_ARGS(DBI(id), DBI(r->user.id), DBI(stars), DBT(comment ? comment : ""),
				     DBI(now), DBI(now)));
	if (rc >= 0)
		rc = db_exec(r->db,
			     "UPDATE kb_answers SET rating_sum = rating_sum + ?,"
			     " rating_count = rating_count + ? WHERE id = ?",
			     DB_ARGS(DBI(stars - (had ? old : 0)), DBI(had ? 0 : 1), DBI(id)));
	int64_t sum = 0, n = 0;
	db_stmt *st;
	if (rc >= 0 && (rc = db_query(r->db,
				      "SELECT rating_sum, rating_count FROM kb_answers WHERE id = ?",
				      DB_ARGS(DBI(id)), &st)) >= 0) {
		if ((rc = db_step(st)) == DB_ROW) {
			sum = db_col_int(st, 0);
			n = db_col_int(st, 1);
		}
		db_done(st);
	}
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	buf b;
	buf_init(&b, 4096);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "id");
	jw_int(&w, id);
	jw_key(&w, "rating");
	kb_write_rating(r, &w, sum, n);
	jw_key(&w, "my_rating");
	jw_int(&w, stars);
	jw_obj_end(&w);
	return http_json_buf(r, 200, &b);
}
