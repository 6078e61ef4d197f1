/* kb_versions.c - an answer's history and review: every edit is a new
 * version (draft → pending → published | rejected); older versions stay
 * readable, and any of them can be the base of a new edit (restore). */
#include "app/kb.h"

#include <string.h>

#include "lib/common.h"
#include "lib/util.h"

struct vrow {
	int64_t id, author_id;
	int no;
	const char *state;
	struct kb_content c;
};

/* Version `no` of answer id (or the latest when no == 0). */
static int read_version(http_req *r, int64_t id, int no, struct vrow *v)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT v.id, v.version_no, v.state, v.category_id, v.title, v.questions,"
		     " v.answer, v.tags, v.author_id FROM kb_versions v WHERE v.answer_id = ?"
		     " AND v.version_no = CASE WHEN ? > 0 THEN ? ELSE (SELECT latest_version_no"
		     " FROM kb_answers WHERE id = ?) END",
		     DB_ARGS(DBI(id), DBI(no), DBI(no), DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		v->id = db_col_int(st, 0);
		v->no = (int)db_col_int(st, 1);
		v->state = arena_strdup(r->a, db_col_text(st, 2));
		v->c.category_id = db_col_int(st, 3);
		v->c.title = arena_strdup(r->a, db_col_text(st, 4));
		v->c.questions = arena_strdup(r->a, db_col_text(st, 5));
		v->c.answer = arena_strdup(r->a, db_col_text(st, 6));
		v->c.tags = arena_strdup(r->a, db_col_text(st, 7));
		v->c.note = "";
		v->author_id = db_col_null(st, 8) ? 0 : db_col_int(st, 8);
	}
	db_done(st);
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc != DB_ROW)
		return http_fail(r, KF_ENOTFOUND, "version_no", "标准回答 %lld 没有第 %d 版",
				 "Standard answer %lld has no version %d", (long long)id, no);
	return 0;
}

static int path_ids(http_req *r, int64_t *id, int *no, const char **status)
{
	int64_t n = 0;
	int rc;
	if ((rc = http_param_id(r, 0, id)) < 0 || (rc = kb_answer_status(r, *id, status)) < 0)
		return rc;
	if (no) {
		if ((rc = http_param_id(r, 1, &n)) < 0)
			return rc;
		if (n > 1000000)
			return http_fail(r, KF_ENOTFOUND, "version_no", "版本不存在",
					 "No such version");
		*no = (int)n;
	}
	return 0;
}

int kb_versions_list(http_req *r)
{
	int64_t id;
	int rc;
	const char *status;
	if ((rc = path_ids(r, &id, NULL, &status)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT " KB_VERSION_COLS " FROM kb_versions v" KB_VERSION_JOINS
		     " WHERE v.answer_id = ? ORDER BY v.version_no DESC",
		     DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	buf b;
	buf_init(&b, 8 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "items");
	jw_arr(&w);
	while ((rc = db_step(st)) == DB_ROW)
		kb_write_version(&w, st, 0);
	db_done(st);
	jw_arr_end(&w);
	jw_obj_end(&w);
	if (rc < 0 || jw_failed(&w)) {
		buf_release(&b);
		return rc < 0 ? app_db_fail(r, rc, NULL) : http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}

int kb_version_get(http_req *r)
{
	int64_t id;
	int no, rc;
	const char *status;
	if ((rc = path_ids(r, &id, &no, &status)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT " KB_VERSION_COLS " FROM kb_versions v" KB_VERSION_JOINS
		     " WHERE v.answer_id = ? AND v.version_no = ?",
		     DB_ARGS(DBI(id), DBI(no)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "version_no", "标准回答 %lld 没有第 %d 版",
					  "Standard answer %lld has no version %d", (long long)id, no);
	}
	buf b;
	buf_init(&b, 1 << 20);
	jw w;
	jw_init(&w, &b);
	kb_write_version(&w, st, 1);
	db_done(st);
	return http_json_buf(r, 200, &b);
}

static const char *const edit_keys[] = {"category_id", "title", "questions", "answer",
					"tags", "note", "from_version", "base_version",
					"submit", "publish", NULL};

/* POST /api/kb/{id}/versions: the fields given over the base version (the
 * latest, or from_version to restore an older one). */
int kb_versions_create(http_req *r)
{
	int64_t id, from, base_no, vid = 0;
	int rc, publish, has_base;
	const char *status, *state;
	if ((rc = path_ids(r, &id, NULL, &status)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	if ((rc = in_only_keys(r, r->json, edit_keys, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "from_version", 1, 1000000, 0, &from, NULL)) < 0 ||
	    (rc = in_int(r, r->json, "base_version", 1, 1000000, 0, &base_no, &has_base)) < 0)
		return rc;
	if ((publish = kb_read_intent(r, r->json, &state)) < 0)
		return publish;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	struct vrow latest, base;
	if ((rc = read_version(r, id, 0, &latest)) < 0 ||
	    (rc = from ? read_version(r, id, (int)from, &base) : 0) < 0) {
		db_rollback(r->db);
		return rc;
	}
	if (!from)
		base = latest;
	if (has_base && base_no && base_no != latest.no) {
		db_rollback(r->db);
		return http_fail(r, KF_ECONFLICT, "base_version",
				 "这条标准回答已有更新的第 %d 版，请在最新版本上修改",
				 "This answer has a newer version %d meanwhile; edit the latest", latest.no);
	}
	struct kb_content c;
	if ((rc = kb_content_read(r, r->json, &base.c, &c)) < 0 ||
	    (c.category_id != base.c.category_id && (rc = kb_category_exists(r, c.category_id)) < 0)) {
		db_rollback(r->db);
		return rc;
	}
	rc = kb_version_insert(r, id, latest.no + 1, &c, state, &vid);
	if (rc >= 0 && publish)
		rc = kb_publish(r, id, vid);
	json_t *ch = json_pack("{s:[nI], s:[ns]}", "version_no", (json_int_t)latest.no + 1, "state",
			       publish ? "published" : state);
	if (rc >= 0)
		rc = audit_write(r->db, "kb_answer", id, "edit", r->user.id, ch);
	json_decref(ch);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return kb_respond(r, id, 201);
}

/* Moves version {no} from state `from` by `action`; see the three
 * handlers below. */
static int review(http_req *r, const char *action)
{
	int64_t id;
	int no, rc;
	const char *status, *reason = "";
	if ((rc = path_ids(r, &id, &no, &status)) < 0)
		return rc;
	int rejecting = !strcmp(action, "reject");
	if (rejecting) {
		if (!r->json)
			return http_fail(r, KF_EINVAL, "reason", "请填写退回原因",
					 "Give the reason for rejecting");
		if ((rc = in_str(r, r->json, "reason", KB_REASON_MAX, 1, &reason, NULL)) < 0)
			return rc;
	}
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	struct vrow v;
	if ((rc = read_version(r, id, no, &v)) < 0) {
		db_rollback(r->db);
		return rc;
	}
	const char *need = !strcmp(action, "submit") ? "draft" : "pending";
	if (strcmp(v.state, need)) {
		db_rollback(r->db);
		return http_fail(r, KF_ECONFLICT, "state", "第 %d 版的状态是 %s，不能执行此操作（需要 %s）",
				 "Version %d is %s; this needs it to be %s", no, v.state, need);
	}
	if (!strcmp(action, "submit") && r->user.role < ROLE_SUPERVISOR && v.author_id != r->user.id) {
		db_rollback(r->db);
		return http_fail(r, KF_EFORBIDDEN, NULL, "只有作者或主管可以提交审核",
				 "Only the author or a supervisor may submit for review");
	}
	int64_t now = util_now_ms();
	if (!strcmp(action, "submit"))
		rc = db_exec(r->db,
			     "UPDATE kb_versions SET state = 'pending', submitted_at = ? WHERE id = ?",
			     DB_ARGS(DBI(now), DBI(v.id)));
	else if (rejecting)
		rc = db_exec(r->db,
			     "UPDATE kb_versions SET state = 'rejected', reviewer_id = ?, reviewed_at = ?,"
			     " reject_reason = ? WHERE id = ?",
			     DB_ARGS(DBI(r->user.id), DBI(now), DBT(reason), DBI(v.id)));
	else
		rc = kb_publish(r, id, v.id);
	json_t *ch = json_pack("{s:I, s:[ss], s:s}", "version_no", (json_int_t)no, "state", v.state,
			       !strcmp(action, "submit") ? "pending"
			       : rejecting		 ? "rejected"
							 : "published",
			       "reason", reason);
	if (rc >= 0)
		rc = audit_write(r->db, "kb_answer", id, action, r->user.id, ch);
	json_decref(ch);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return kb_respond(r, id, 200);
}

int kb_version_submit(http_req *r)
{
	return review(r, "submit");
}

int kb_version_approve(http_req *r)
{
	return review(r, "approve");
}

int kb_version_reject(http_req *r)
{
	return review(r, "reject");
}
