/* qa.c - quality checks (质检, DOMAIN §5): supervisors score calls and
 * written replies against an editable checklist (greeting with company
 * and agent number, listening, the six complaint steps, service
 * language, correct answer, resolution); mystery customers' audits of the
 * hotline are evaluations with the same checklist.  Scores per agent and
 * week sit beside their hotline figures (GET /api/hotline/agent-weeks). */
#include "app/calls.h"

#include <stdlib.h>
#include <string.h>

#include "lib/common.h"
#include "lib/util.h"

/* ---------------------------------------------------------------- checklist */

int qa_items_list(http_req *r)
{
	db_stmt *st;
	const char *all = http_query(r, "all");
	if (db_query(r->db,
		     "SELECT id, code, label_zh, label_en, max_score, active, sort_order FROM qa_items"
		     " WHERE active = 1 OR ? = 1 ORDER BY sort_order, id",
		     DB_ARGS(DBI(all && !strcmp(all, "1"))), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	while (db_step(st) == DB_ROW)
		json_array_append_new(
			items, json_pack("{s:I, s:s, s:s, s:s, s:i, s:b, s:I}", "id",
					 (json_int_t)db_col_int(st, 0), "code", db_col_text(st, 1),
					 "label_zh", db_col_text(st, 2), "label_en", db_col_text(st, 3),
					 "max_score", (int)db_col_int(st, 4), "active",
					 (int)db_col_int(st, 5), "sort_order",
					 (json_int_t)db_col_int(st, 6)));
	db_done(st);
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

int qa_items_create(http_req *r)
{
	struct coded_row c;
	int rc;
	if ((rc = hotline_coded_input(r, 1, 1, &c)) < 0)
		return rc;
	int64_t now = util_now_ms();
	rc = db_exec(r->db,
		     "INSERT INTO qa_items (code, label_zh, label_en, max_score, active, sort_order,"
		     " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		     DB_ARGS(DBT(c.code), DBT(c.label_zh), DBT(c.label_en), DBI(c.max_score),
			     DBI(c.active), DBI(c.sort_order), DBI(now), DBI(now)));
	if (rc < 0)
		return app_db_fail(r, rc, "code");
	rc = qa_items_list(r);
	if (rc == 0)
		r->status = 201;
	return rc;
}

int qa_items_patch(http_req *r)
{
	int64_t id;
	struct coded_row c;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0 || (rc = hotline_coded_input(r, 0, 1, &c)) < 0)
		return rc;
	if (c.code)
		return http_fail(r, KF_EINVAL, "code", "代码创建后不能修改（评分记录引用它）",
				 "A code cannot change once created (evaluations refer to it)");
	rc = db_exec(r->db,
		     "UPDATE qa_items SET label_zh = COALESCE(?, label_zh), label_en = COALESCE(?, label_en),"
		     " max_score = CASE WHEN ? = 1 THEN ? ELSE max_score END,"
		     " active = CASE WHEN ? = 1 THEN ? ELSE active END,"
		     " sort_order = CASE WHEN ? = 1 THEN ? ELSE sort_order END, updated_at = ? WHERE id = ?",
		     DB_ARGS(DBT(c.label_zh), DBT(c.label_en), DBI(c.has_max), DBI(c.max_score),
			     DBI(c.has_active), DBI(c.active), DBI(c.has_sort), DBI(c.sort_order),
			     DBI(util_now_ms()), DBI(id)));
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc == 0)
		return http_fail(r, KF_ENOTFOUND, "id", "质检项目不存在", "No such checklist item");
	return qa_items_list(r);
}

/* ---------------------------------------------------------------- evaluations */

static int load_items(http_req *r, struct qa_item *items, int max, int *n)
{
	db_stmt *st;
	*n = 0;
	if (db_query(r->db, "SELECT id, code, max_score FROM qa_items WHERE active = 1", DB_ARGS(),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	while (db_step(st) == DB_ROW && *n < max) {
		items[*n].id = db_col_int(st, 0);
		snprintf(items[*n].code, sizeof(items[*n].code), "%s", db_col_text(st, 1));
		items[*n].max = (int)db_col_int(st, 2);
		(*n)++;
	}
	db_done(st);
	return 0;
}

static int read_scores(http_req *r, json_t *v, json_t **out, int64_t *permille)
{
	struct qa_item items[QA_ITEMS_MAX];
	int n, rc;
	if ((rc = load_items(r, items, QA_ITEMS_MAX, &n)) < 0)
		return rc;
	return qa_scores_read(r, v, items, n, out, permille);
}

/* The call's agent (and time) when none is given; the case exists. */
static int resolve_refs(http_req *r, struct qa_eval_input *e)
{
	int rc;
	if (e->call_id) {
		db_stmt *st;
		if (db_query(r->db, "SELECT first_agent_id, COALESCE(answered_at, offered_at, created_at)"
				    " FROM calls WHERE id = ?",
			     DB_ARGS(DBI(e->call_id)), &st) < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
		rc = db_step(st);
		if (rc == DB_ROW) {
			if (!e->agent_id && !db_col_null(st, 0))
				e->agent_id = db_col_int(st, 0);
			if (!e->contacted_at)
				e->contacted_at = db_col_int(st, 1);
		}
		db_done(st);
		if (rc != DB_ROW)
			return http_fail(r, KF_EINVAL, "call_id", "通话 %lld 不存在",
					 "Call %lld does not exist", (long long)e->call_id);
	}
	if (e->case_id) {
		int64_t one;
		rc = hotline_table_exists(r->db, "cases")
			     ? db_query_int(r->db, "SELECT 1 FROM cases WHERE id = ?",
					    DB_ARGS(DBI(e->case_id)), &one)
			     : DB_DONE;
		if (rc != DB_ROW)
			return http_fail(r, KF_EINVAL, "case_id", "工单 %lld 不存在",
					 "Case %lld does not exist", (long long)e->case_id);
	}
	if (e->agent_id) {
		int64_t one;
		if (db_query_int(r->db, "SELECT 1 FROM users WHERE id = ?", DB_ARGS(DBI(e->agent_id)),
				 &one) != DB_ROW)
			return http_fail(r, KF_EINVAL, "agent_id", "用户 %lld 不存在",
					 "User %lld does not exist", (long long)e->agent_id);
	}
	if (!strcmp(e->kind, "reply") && !e->agent_id)
		return http_fail(r, KF_EINVAL, "agent_id", "评书面答复需要 agent_id（答复人）",
				 "A reply evaluation needs agent_id (who replied)");
	if (!e->contacted_at)
		e->contacted_at = util_now_ms();
	return 0;
}

#define EVAL_COLS                                                                                  \
	"e.id, e.kind, e.call_id, e.case_id, e.case_event_id, e.agent_id, a.display_name,"         \
	" e.evaluator_id, v.display_name, e.scores, e.score_permille, e.comment, e.shopper,"       \
	" e.scenario, e.contacted_at, e.created_at FROM qa_evaluations e"                          \
	" LEFT JOIN users a ON a.id = e.agent_id LEFT JOIN users v ON v.id = e.evaluator_id"

static json_t *opt_id(db_stmt *st, int c)
{
	return db_col_null(st, c) ? json_null() : json_integer(db_col_int(st, c));
}

static json_t *eval_row(db_stmt *st)
{
	json_t *scores = json_loads(db_col_text(st, 9), 0, NULL);
	json_t *agent = db_col_null(st, 5) ? json_null()
					   : json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, 5),
						       "display_name", db_col_text(st, 6));
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:{s:I, s:s}, s:o, s:f, s:s, s:s, s:s, s:I, s:I}",
			 "id", (json_int_t)db_col_int(st, 0), "kind", db_col_text(st, 1), "call_id",
			 opt_id(st, 2), "case_id", opt_id(st, 3), "case_event_id", opt_id(st, 4),
			 "agent", agent, "evaluator", "id", (json_int_t)db_col_int(st, 7),
			 "display_name", db_col_text(st, 8), "scores", scores ? scores : json_array(),
			 "score", (double)db_col_int(st, 10) / 1000.0, "comment", db_col_text(st, 11),
			 "shopper", db_col_text(st, 12), "scenario", db_col_text(st, 13),
			 "contacted_at", (json_int_t)db_col_int(st, 14), "created_at",
			 (json_int_t)db_col_int(st, 15));
}

static int eval_respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, "SELECT " EVAL_COLS " WHERE e.id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *o = NULL;
	int64_t agent = 0;
	if (db_step(st) == DB_ROW) {
		o = eval_row(st);
		agent = db_col_null(st, 5) ? 0 : db_col_int(st, 5);
	}
	db_done(st);
	if (!o || (r->user.role < ROLE_SUPERVISOR && agent != r->user.id)) {
		json_decref(o);
		return http_fail(r, KF_ENOTFOUND, "id", "质检记录不存在", "No such evaluation");
	}
	return http_json(r, status, o);
}

int qa_evaluations_create(http_req *r)
{
	struct qa_eval_input e;
	json_t *scores = NULL;
	int64_t permille = 0;
	int rc;
	if ((rc = qa_eval_input_read(r, &e)) < 0 || (rc = resolve_refs(r, &e)) < 0 ||
	    (rc = read_scores(r, json_object_get(r->json, "scores"), &scores, &permille)) < 0)
		return rc;
	char *text = json_dumps(scores, JSON_COMPACT);
	json_decref(scores);
	int64_t id = 0, now = util_now_ms();
	db_stmt *st;
	rc = db_query(r->db,
		      "INSERT INTO qa_evaluations (kind, call_id, case_id, case_event_id, agent_id,"
		      " evaluator_id, scores, score_permille, comment, shopper, scenario, contacted_at,"
		      " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		      DB_ARGS(DBT(e.kind), e.call_id ? DBI(e.call_id) : DBNULL,
			      e.case_id ? DBI(e.case_id) : DBNULL,
			      e.case_event_id ? DBI(e.case_event_id) : DBNULL,
			      e.agent_id ? DBI(e.agent_id) : DBNULL, DBI(r->user.id), DBT(text),
			      DBI(permille), DBT(e.comment ? e.comment : ""),
			      DBT(e.shopper ? e.shopper : ""), DBT(e.scenario ? e.scenario : ""),
			      DBI(e.contacted_at), DBI(now)),
		      &st);
	if (rc < 0) {
		free(text);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	rc = db_step(st); /* the text is bound, not copied: freed after the step */
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	free(text);
	if (rc != DB_ROW)
		return app_db_fail(r, rc, NULL);
	return eval_respond(r, id, 201);
}

int qa_evaluations_get(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	return eval_respond(r, id, 200);
}

/* Supervisors see all; an agent sees the evaluations of their own work. */
int qa_evaluations_list(http_req *r)
{
	int64_t agent, limit, after, since, until;
	int rc;
	if ((rc = in_query_int(r, "agent_id", 1, INT64_MAX, 0, &agent)) < 0 ||
	    (rc = in_query_int(r, "limit", 1, 200, 50, &limit)) < 0 ||
	    (rc = in_query_int(r, "since", 0, INT64_MAX, 0, &since)) < 0 ||
	    (rc = in_query_int(r, "until", 0, INT64_MAX, 0, &until)) < 0 || (rc = in_cursor(r, &after)) < 0)
		return rc;
	if (r->user.role < ROLE_SUPERVISOR)
		agent = r->user.id;
	const char *kind = http_query(r, "kind");
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT " EVAL_COLS " WHERE (CAST(? AS BIGINT) = 0 OR e.agent_id = ?)"
		     " AND (CAST(? AS TEXT) IS NULL OR e.kind = ?) AND (CAST(? AS BIGINT) = 0 OR e.id < ?)"
		     " AND e.contacted_at >= ? AND (CAST(? AS BIGINT) = 0 OR e.contacted_at < ?)"
		     " ORDER BY e.id DESC LIMIT ?",
		     DB_ARGS(DBI(agent), DBI(agent), DBT(kind && *kind ? kind : NULL),
			     DBT(kind && *kind ? kind : NULL), DBI(after), DBI(after), DBI(since),
			     DBI(until), DBI(until), DBI(limit + 1)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int64_t last = 0, n = 0;
	while (db_step(st) == DB_ROW) {
		if (++n > limit)
			break;
		last = db_col_int(st, 0);
		json_array_append_new(items, eval_row(st));
	}
	db_done(st);
	return http_json(r, 200,
			 json_pack("{s:o, s:o}", "items", items, "next_cursor",
				   n > limit ? json_string(out_cursor(r, last)) : json_null()));
}
