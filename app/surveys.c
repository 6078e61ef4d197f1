/* surveys.c - satisfaction surveys for staff (DOMAIN §4, issue 6):
 * templates (CSAT 1-5, NPS 0-10, effort 1-7, single and multiple choice,
 * free text), the rules that send them after a case or a visit closes,
 * invitations (one-time links, the token never stored, only its hash)
 * and the responses.  Campaigns are in survey_campaigns.c. */
#include "app/survey.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/followup.h"
#include "app/mail.h"
#include "core/satisfaction.h"
#include "lib/common.h"
#include "lib/util.h"

/* ---------------------------------------------------------------- shared */

const char *survey_secret(db *d, arena *a)
{
	for (int pass = 0; pass < 2; pass++) {
		db_stmt *st;
		if (db_query(d, "SELECT value FROM settings WHERE key = 'survey.secret'", DB_ARGS(),
			     &st) < 0)
			return NULL;
		const char *v = db_step(st) == DB_ROW ? arena_strdup(a, db_col_text(st, 0)) : NULL;
		db_done(st);
		if (v && *v)
			return v;
		char rnd[65];
		util_random_hex(rnd, 32);
		/* Two servers may race: the first insert wins, both read it back. */
		if (db_exec(d,
			    "INSERT INTO settings (key, value) VALUES ('survey.secret', ?)"
			    " ON CONFLICT (key) DO NOTHING",
			    DB_ARGS(DBT(rnd))) < 0)
			return NULL;
	}
	return NULL;
}

const char *survey_link(db *d, arena *a, int64_t invitation_id)
{
	const char *secret = survey_secret(d, a);
	if (!secret)
		return NULL;
	char tok[SAT_TOKEN_MAX];
	sat_token_make(secret, invitation_id, tok);
	return arena_printf(a, "/portal/s/%s", tok);
}

/* E-mails the link (see survey_invite_insert); 0 when there is nothing to
 * do or it is queued, < 0 on failure. */
static int deliver(db *d, arena *a, const struct survey_invite *in, int64_t id, const char *tok)
{
	json_t *s = portal_settings_load(d);
	const char *base = arena_strdup(a, json_string_value(json_object_get(s, "base_url")));
	const char *company = arena_strdup(a, json_string_value(json_object_get(s, "company_name")));
	json_decref(s);
	if (!*base)
		return 0;
	db_stmt *st;
	const char *email = "", *name = "";
	if (db_query(d, "SELECT email, name FROM customers WHERE id = ?", DB_ARGS(DBI(in->customer_id)),
		     &st) < 0)
		return DB_EFAIL;
	if (db_step(st) == DB_ROW) {
		email = arena_strdup(a, db_col_text(st, 0));
		name = arena_strdup(a, db_col_text(st, 1));
	}
	db_done(st);
	if (!*email)
		return 0;
	size_t bl = strlen(base);
	const char *url = arena_printf(a, "%.*s/portal/s/%s", (int)(bl && base[bl - 1] == '/' ? bl - 1 : bl),
				       base, tok);
	int64_t days = (in->expires_at - util_now_ms() + SURVEY_DAY_MS - 1) / SURVEY_DAY_MS;
	const char *subject = arena_printf(a, "%s满意度调查 / Satisfaction survey", company);
	const char *text = arena_printf(
		a,
		"%s，您好：\n\n感谢您使用我们的服务。请用一分钟告诉我们您的感受，您的意见会直接送到服务主管：\n\n"
		"%s\n\n链接 %lld 天内有效，只能提交一次。\n\n"
		"Thank you for using our service. Please tell us in one minute how it went:\n%s\n"
		"(valid for %lld days, one answer)\n",
		name, url, (long long)days, url, (long long)days);
	int64_t mail_id;
	int rc = mail_queue_plain(d, a, in->customer_id, in->case_id, email, subject, text, &mail_id);
	if (rc <= 0)
		return rc;
	return db_exec(d, "UPDATE survey_invitations SET delivery = 'email' WHERE id = ?",
		       DB_ARGS(DBI(id)));
}

int survey_invite_insert(db *d, arena *a, const struct survey_invite *in, int64_t now,
			 int64_t *id)
{
	*id = 0;
	const char *secret = survey_secret(d, a);
	if (!secret)
		return DB_EFAIL;
	db_stmt *st;
	if (db_query(d,
		     "INSERT INTO survey_invitations (template_id, customer_id, source, source_key,"
		     " status, case_id, followup_id, campaign_id, agent_id, department_id, case_type,"
		     " channel, tier, created_by, created_at, expires_at) SELECT ?, c.id, ?, ?, ?, ?, ?,"
		     " ?, ?, ?, ?, ?, c.tier, ?, ?, ? FROM customers c WHERE c.id = ?"
		     " ON CONFLICT (source_key) DO NOTHING RETURNING id",
		     DB_ARGS(DBI(in->template_id), DBT(in->source), DBT(in->source_key),
			     DBT(in->status ? in->status : "sent"),
			     in->case_id ? DBI(in->case_id) : DBNULL,
			     in->followup_id ? DBI(in->followup_id) : DBNULL,
			     in->campaign_id ? DBI(in->campaign_id) : DBNULL,
			     in->agent_id ? DBI(in->agent_id) : DBNULL,
			     in->department_id ? DBI(in->department_id) : DBNULL,
			     DBT(in->case_type ? in->case_type : ""), DBT(in->channel ? in->channel : ""),
			     in->created_by ? DBI(in->created_by) : DBNULL, DBI(now), DBI(in->expires_at),
			     DBI(in->customer_id)),
		     &st) < 0)
		return DB_EFAIL;
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc < 0)
		return rc;
	if (!*id)
		return 0;
	char tok[SAT_TOKEN_MAX], hash[65];
	sat_token_make(secret, *id, tok);
	util_sha256_hex(tok, hash);
	rc = db_exec(d, "UPDATE survey_invitations SET token_hash = ? WHERE id = ?",
		     DB_ARGS(DBT(hash), DBI(*id)));
	if (rc >= 0 && in->deliver && (!in->status || !strcmp(in->status, "sent")))
		rc = deliver(d, a, in, *id, tok);
	return rc < 0 ? rc : 1;
}

int64_t survey_default_template(db *d)
{
	int64_t id = 0;
	return db_query_int(d, "SELECT id FROM survey_templates WHERE active = 1 ORDER BY id LIMIT 1",
			    DB_ARGS(), &id) == DB_ROW
		       ? id
		       : 0;
}

int64_t survey_followup(db *d, const char *kind, const char *key, int64_t customer_id,
			int64_t case_id, int64_t agent_id, const char *title, int64_t now)
{
	db_stmt *st;
	if (db_query(d,
		     "SELECT c.dnd, COALESCE(u.id, o.id, 0), COALESCE(u.department_id, o.department_id)"
		     " FROM customers c LEFT JOIN users u ON u.id = ? AND u.disabled = 0"
		     " LEFT JOIN users o ON o.id = c.owner_id AND o.disabled = 0 WHERE c.id = ?",
		     DB_ARGS(agent_id ? DBI(agent_id) : DBNULL, DBI(customer_id)), &st) < 0)
		return DB_EFAIL;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc < 0 ? rc : 0;
	}
	char *dnd = strdup(db_col_text(st, 0));
	int64_t assignee = db_col_int(st, 1);
	int64_t dept = db_col_null(st, 2) ? 0 : db_col_int(st, 2);
	db_done(st);
	int64_t call_at = followup_callable_from(d, dnd, now);
	free(dnd);
	if (!call_at)
		call_at = now;
	/* the follow-ups module's own keyed insert, then the row by its key */
	rc = followup_insert_keyed(d, customer_id, kind, key, case_id, assignee, dept, title,
				   now + SURVEY_DAY_MS, call_at, now);
	if (rc <= 0)
		return rc;
	int64_t id = 0;
	rc = db_query_int(d, "SELECT id FROM followups WHERE rule_key = ?", DB_ARGS(DBT(key)), &id);
	return rc < 0 ? rc : id;
}

/* ---------------------------------------------------------------- templates */

static int bad_q(http_req *r, size_t i, const char *field, const char *zh, const char *en)
{
	/* both formats take the same arguments: the English skips the Chinese */
	int rc = http_fail(r, KF_EINVAL, NULL, "第 %zu 个问题：%s", "Question %zu: %.0s%s", i + 1, zh,
			   en);
	r->err.field = arena_printf(r->a, "questions[%zu].%s", i, field);
	return rc;
}

static int key_ok(const char *k)
{
	size_t n = strlen(k);
	if (!n || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)k[i]) && !isdigit((unsigned char)k[i]) && k[i] != '_')
			return 0;
	return 1;
}

static int options_check(http_req *r, size_t i, json_t *q)
{
	json_t *opts = json_object_get(q, "options"), *o;
	size_t j, k;
	if (!json_is_array(opts) || json_array_size(opts) < 2 || json_array_size(opts) > 20)
		return bad_q(r, i, "options", "选择题需要 2 到 20 个选项",
			     "a choice needs 2 to 20 options");
	json_array_foreach(opts, j, o)
	{
		const char *key = json_string_value(json_object_get(o, "key"));
		const char *zh = json_string_value(json_object_get(o, "zh"));
		if (!json_is_object(o) || !key || !key_ok(key))
			return bad_q(r, i, "options", "每个选项需要 key（小写字母、数字、下划线）",
				     "every option needs a key (lower-case letters, digits, _)");
		if (!zh || !*zh || strlen(zh) > 300)
			return bad_q(r, i, "options", "每个选项需要中文文字 zh（最多 300 字节）",
				     "every option needs its Chinese text zh (at most 300 bytes)");
		for (k = 0; k < j; k++)
			if (!strcmp(key, json_string_value(json_object_get(json_array_get(opts, k), "key"))))
				return bad_q(r, i, "options", "选项的 key 重复", "an option key is repeated");
	}
	return 0;
}

static const char *const q_keys[] = {"key", "kind", "text_zh", "text_en", "required", "options",
				     NULL};

int survey_questions_check(http_req *r, json_t *qs)
{
	json_t *q;
	size_t i;
	int seen[SAT_NKINDS] = {0};
	if (!json_is_array(qs) || json_array_size(qs) < 1 || json_array_size(qs) > 30)
		return http_fail(r, KF_EINVAL, "questions", "问卷需要 1 到 30 个问题",
				 "A survey has 1 to 30 questions");
	json_array_foreach(qs, i, q)
	{
		if (!json_is_object(q))
			return bad_q(r, i, "kind", "问题必须是对象", "a question is an object");
		const char *bad = NULL;
		const char *k;
		json_t *v;
		json_object_foreach(q, k, v)
		{
			int known = 0;
			for (const char *const *a = q_keys; *a; a++)
				known |= !strcmp(*a, k);
			if (!known)
				bad = k;
		}
		if (bad)
			return bad_q(r, i, arena_strdup(r->a, bad), "不认识的字段", "unknown field");
		const char *key = json_string_value(json_object_get(q, "key"));
		const char *kind_s = json_string_value(json_object_get(q, "kind"));
		const char *zh = json_string_value(json_object_get(q, "text_zh"));
		json_t *en = json_object_get(q, "text_en"), *req = json_object_get(q, "required");
		if (!key || !key_ok(key))
			return bad_q(r, i, "key", "key 只能是小写字母、数字和下划线（1-32 个）",
				     "key is 1-32 lower-case letters, digits or _");
		for (size_t j = 0; j < i; j++)
			if (!strcmp(key, json_string_value(json_object_get(json_array_get(qs, j), "key"))))
				return bad_q(r, i, "key", "问题的 key 重复", "the key is repeated");
		int kind = sat_kind_parse(kind_s);
		if (kind < 0)
			return bad_q(r, i, "kind",
				     "kind 只能是 csat、nps、effort、single、multiple 或 text",
				     "kind is csat, nps, effort, single, multiple or text");
		if (kind <= SAT_EFFORT && seen[kind]++)
			return bad_q(r, i, "kind", "每种评分题（csat、nps、effort）最多一个",
				     "at most one question of each scored kind (csat, nps, effort)");
		if (!zh || !*zh || strlen(zh) > 1000)
			return bad_q(r, i, "text_zh", "请写出问题的中文文字（最多 1000 字节）",
				     "write the question in Chinese (at most 1000 bytes)");
		if (en && !json_is_null(en) && (!json_is_string(en) || strlen(json_string_value(en)) > 1000))
			return bad_q(r, i, "text_en", "英文文字必须是字符串（最多 1000 字节）",
				     "text_en is a string of at most 1000 bytes");
		if (req && !json_is_boolean(req))
			return bad_q(r, i, "required", "required 必须是 true 或 false",
				     "required is true or false");
		if (kind == SAT_SINGLE || kind == SAT_MULTIPLE) {
			int rc = options_check(r, i, q);
			if (rc < 0)
				return rc;
		} else if (json_object_get(q, "options")) {
			return bad_q(r, i, "options", "只有选择题有选项", "only choices have options");
		}
	}
	return 0;
}

#define TPL_SELECT                                                                                 \
	"SELECT t.id, t.name, t.description, t.questions, t.active, t.created_at, t.updated_at,"  \
	" (SELECT COUNT(*) FROM survey_responses s WHERE s.template_id = t.id)"                    \
	" FROM survey_templates t"

static json_t *tpl_json(db_stmt *st)
{
	json_t *q = json_loads(db_col_text(st, 3), 0, NULL);
	return json_pack("{s:I, s:s, s:s, s:o, s:b, s:I, s:I, s:I}", "id",
			 (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "description",
			 db_col_text(st, 2), "questions", q ? q : json_array(), "active",
			 (int)db_col_int(st, 4), "created_at", (json_int_t)db_col_int(st, 5),
			 "updated_at", (json_int_t)db_col_int(st, 6), "responses",
			 (json_int_t)db_col_int(st, 7));
}

static int tpl_respond(http_req *r, int64_t id, int status)
{
	db_stmt *st;
	if (db_query(r->db, TPL_SELECT " WHERE t.id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? tpl_json(st) : NULL;
	db_done(st);
	if (!o)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "问卷模板 %lld 不存在",
					  "Survey template %lld does not exist", (long long)id);
	return http_json(r, status, o);
}

int survey_templates_get(http_req *r)
{
	int64_t id;
	int rc = http_param_id(r, 0, &id);
	return rc < 0 ? rc : tpl_respond(r, id, 200);
}

/* GET /api/survey-templates?active=1 */
int survey_templates_list(http_req *r)
{
	const char *a = http_query(r, "active");
	int only_active = a && !strcmp(a, "1");
	db_stmt *st;
	if (db_query(r->db, TPL_SELECT " WHERE t.active >= ? ORDER BY t.active DESC, t.id",
		     DB_ARGS(DBI(only_active)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, tpl_json(st));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

static const char *const tpl_keys[] = {"name", "description", "questions", "active", NULL};

/* POST /api/survey-templates {name, description, questions} */
int survey_templates_create(http_req *r)
{
	const char *name, *desc = NULL;
	int rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "name", "缺少必填字段 name", "The field name is required");
	if ((rc = in_only_keys(r, r->json, tpl_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name", 100, 1, &name, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "description", 2000, 0, &desc, NULL)) < 0 ||
	    (rc = survey_questions_check(r, json_object_get(r->json, "questions"))) < 0)
		return rc;
	char *q = json_dumps(json_object_get(r->json, "questions"), JSON_COMPACT);
	int64_t now = util_now_ms(), id = 0;
	db_stmt *st;
	if (db_begin(r->db) < 0) {
		free(q);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	rc = db_query(r->db,
		      "INSERT INTO survey_templates (name, description, questions, created_by,"
		      " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		      DB_ARGS(DBT(name), DBT(desc ? desc : ""), DBT(q), DBI(r->user.id), DBI(now),
			      DBI(now)),
		      &st);
	if (rc < 0) {
		free(q);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	/* the text is bound without a copy: freed after the step */
	if ((rc = db_step(st)) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	free(q);
	if (rc != DB_ROW || audit_write(r->db, "survey_template", id, "create", r->user.id, NULL) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return tpl_respond(r, id, 201);
}

/* PATCH /api/survey-templates/{id}: name, description, active; the
 * questions only while nobody has answered (answers keep their meaning). */
int survey_templates_patch(http_req *r)
{
	int64_t id, answered = 0, active = -1;
	const char *name = NULL, *desc = NULL;
	int rc, has_active = 0, b = 0;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EJSON, NULL, "请求体必须是 JSON 对象", "The body is a JSON object");
	json_t *qs = json_object_get(r->json, "questions");
	if ((rc = in_only_keys(r, r->json, tpl_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "name", 100, 0, &name, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "description", 2000, 0, &desc, NULL)) < 0 ||
	    (rc = in_bool(r, r->json, "active", &b, &has_active)) < 0 ||
	    (qs && (rc = survey_questions_check(r, qs)) < 0))
		return rc;
	if (name && !*name)
		return http_fail(r, KF_EINVAL, "name", "名称不能为空", "The name must not be empty");
	if (has_active)
		active = b;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_query_int(r->db,
			  "SELECT (SELECT COUNT(*) FROM survey_responses WHERE template_id = t.id)"
			  " FROM survey_templates t WHERE t.id = ?",
			  DB_ARGS(DBI(id)), &answered);
	if (rc != DB_ROW) {
		db_rollback(r->db);
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "问卷模板 %lld 不存在",
					  "Survey template %lld does not exist", (long long)id);
	}
	if (qs && answered) {
		db_rollback(r->db);
		return http_fail(r, KF_ECONFLICT, "questions",
				 "已有 %lld 份答卷，问题不能再改；请复制为新模板",
				 "%lld responses exist, so the questions cannot change; copy it to a new template",
				 (long long)answered);
	}
	char *q = qs ? json_dumps(qs, JSON_COMPACT) : NULL;
	int64_t now = util_now_ms();
	rc = db_exec(r->db,
		     "UPDATE survey_templates SET name = COALESCE(CAST(? AS TEXT), name),"
		     " description = COALESCE(CAST(? AS TEXT), description),"
		     " questions = COALESCE(CAST(? AS TEXT), questions),"
		     " active = COALESCE(CAST(? AS INTEGER), active), updated_at = ? WHERE id = ?",
		     DB_ARGS(DBT(name), DBT(desc), DBT(q), active >= 0 ? DBI(active) : DBNULL, DBI(now),
			     DBI(id)));
	free(q);
	if (rc != 1 || audit_write(r->db, "survey_template", id, "update", r->user.id, r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return tpl_respond(r, id, 200);
}

/* DELETE /api/survey-templates/{id}: archived (inactive), never removed. */
int survey_templates_archive(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_exec(r->db, "UPDATE survey_templates SET active = 0, updated_at = ? WHERE id = ?",
		     DB_ARGS(DBI(util_now_ms()), DBI(id)));
	if (rc == 0) {
		db_rollback(r->db);
		return http_fail(r, KF_ENOTFOUND, "id", "问卷模板 %lld 不存在",
				 "Survey template %lld does not exist", (long long)id);
	}
	if (rc < 0 || audit_write(r->db, "survey_template", id, "archive", r->user.id, NULL) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return http_no_content(r);
}

/* ---------------------------------------------------------------- rules */

static json_t *rule_json(db_stmt *st)
{
	return json_pack("{s:s, s:b, s:o, s:I, s:I, s:I}", "rule", db_col_text(st, 0), "enabled",
			 (int)db_col_int(st, 1), "template_id",
			 db_col_null(st, 2) ? json_null() : json_integer(db_col_int(st, 2)),
			 "min_days", (json_int_t)db_col_int(st, 3), "expires_days",
			 (json_int_t)db_col_int(st, 4), "updated_at", (json_int_t)db_col_int(st, 5));
}

static int rules_answer(http_req *r, const char *one)
{
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT rule, enabled, template_id, min_days, expires_days, updated_at FROM"
		     " survey_rules WHERE rule = COALESCE(CAST(? AS TEXT), rule) ORDER BY rule",
		     DB_ARGS(DBT(one)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, rule_json(st));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	if (one) {
		json_t *o = json_incref(json_array_get(items, 0));
		json_decref(items);
		return http_json(r, 200, o);
	}
	return http_json(r, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/survey-rules: case_closed and visit_closed. */
int survey_rules_list(http_req *r)
{
	return rules_answer(r, NULL);
}

/* PATCH /api/survey-rules/{rule} {enabled, template_id (null: the
 * default), min_days 0-365, expires_days 1-90} */
int survey_rules_patch(http_req *r)
{
	const char *rule = r->params[0];
	struct survey_rule_input in;
	int64_t x;
	int rc;
	if (strcmp(rule, "case_closed") && strcmp(rule, "visit_closed"))
		return http_fail(r, KF_ENOTFOUND, "rule", "规则只有 case_closed 和 visit_closed",
				 "The rules are case_closed and visit_closed");
	if ((rc = survey_rule_input_read(r, &in)) < 0)
		return rc;
	int64_t tpl = in.template_id, min_days = in.min_days, exp_days = in.expires_days;
	int en = in.enabled, has_en = in.has_enabled, has_tpl = in.has_template;
	if (tpl && db_query_int(r->db, "SELECT id FROM survey_templates WHERE id = ? AND active = 1",
				DB_ARGS(DBI(tpl)), &x) != DB_ROW)
		return http_fail(r, KF_EINVAL, "template_id", "问卷模板 %lld 不存在或已停用",
				 "Survey template %lld does not exist or is archived", (long long)tpl);
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_exec(r->db,
		     "UPDATE survey_rules SET enabled = COALESCE(CAST(? AS INTEGER), enabled),"
		     " template_id = CASE WHEN ? = 1 THEN CAST(? AS BIGINT) ELSE template_id END,"
		     " min_days = COALESCE(CAST(? AS INTEGER), min_days),"
		     " expires_days = COALESCE(CAST(? AS INTEGER), expires_days), updated_at = ?"
		     " WHERE rule = ?",
		     DB_ARGS(has_en ? DBI(en) : DBNULL, DBI(has_tpl), tpl ? DBI(tpl) : DBNULL,
			     min_days >= 0 ? DBI(min_days) : DBNULL,
			     exp_days >= 0 ? DBI(exp_days) : DBNULL, DBI(util_now_ms()), DBT(rule)));
	if (rc != 1 || audit_write(r->db, "survey_rule", 0, rule, r->user.id, r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return rules_answer(r, rule);
}

/* ---------------------------------------------------------------- invitations */

#define INV_SELECT                                                                                 \
	"SELECT i.id, i.template_id, i.customer_id, c.name, i.source, i.status, i.case_id,"       \
	" i.followup_id, i.campaign_id, i.agent_id, i.created_at, i.expires_at, i.used_at,"       \
	" (SELECT s.id FROM survey_responses s WHERE s.invitation_id = i.id), k.number, i.delivery" \
	" FROM survey_invitations i JOIN customers c ON c.id = i.customer_id"                      \
	" LEFT JOIN cases k ON k.id = i.case_id"

static json_t *opt_int(db_stmt *st, int i)
{
	return db_col_null(st, i) ? json_null() : json_integer(db_col_int(st, i));
}

static json_t *inv_json(http_req *r, db_stmt *st, int64_t now, const char *secret)
{
	int64_t id = db_col_int(st, 0);
	const char *status = db_col_text(st, 5);
	const char *state = strcmp(status, "sent") ? status
			    : !db_col_null(st, 12)  ? "answered"
			    : db_col_int(st, 11) <= now ? "expired"
							: "pending";
	json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o}",
			      "id", (json_int_t)id, "template_id", (json_int_t)db_col_int(st, 1),
			      "customer_id", (json_int_t)db_col_int(st, 2), "customer_name",
			      db_col_text(st, 3), "source", db_col_text(st, 4), "state", state,
			      "case_id", opt_int(st, 6), "followup_id", opt_int(st, 7), "campaign_id",
			      opt_int(st, 8), "agent_id", opt_int(st, 9), "created_at",
			      (json_int_t)db_col_int(st, 10), "expires_at",
			      (json_int_t)db_col_int(st, 11), "used_at", opt_int(st, 12),
			      "response_id", opt_int(st, 13));
	json_object_set_new(o, "case_number", db_col_null(st, 14) ? json_null()
								  : json_string(db_col_text(st, 14)));
	json_object_set_new(o, "delivery", json_string(db_col_text(st, 15)));
	char tok[SAT_TOKEN_MAX];
	sat_token_make(secret, id, tok);
	json_object_set_new(o, "url", !strcmp(status, "sent")
					      ? json_string(arena_printf(r->a, "/portal/s/%s", tok))
					      : json_null());
	return o;
}

static int inv_respond(http_req *r, int64_t id, int status)
{
	const char *secret = survey_secret(r->db, r->a);
	db_stmt *st;
	if (!secret || db_query(r->db, INV_SELECT " WHERE i.id = ?", DB_ARGS(DBI(id)), &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int rc = db_step(st);
	json_t *o = rc == DB_ROW ? inv_json(r, st, util_now_ms(), secret) : NULL;
	db_done(st);
	if (!o)
		return rc < 0 ? app_db_fail(r, rc, NULL)
			      : http_fail(r, KF_ENOTFOUND, "id", "邀请 %lld 不存在",
					  "Invitation %lld does not exist", (long long)id);
	return http_json(r, status, o);
}

/* GET /api/survey-invitations?customer_id=&case_id=&campaign_id=&limit=&cursor= ;
 * newest first. */
int survey_invitations_list(http_req *r)
{
	int64_t limit, customer_id, case_id, campaign_id, after;
	int rc;
	if ((rc = in_query_int(r, "limit", 1, 500, 50, &limit)) < 0 ||
	    (rc = in_query_int(r, "customer_id", 0, INT64_MAX, 0, &customer_id)) < 0 ||
	    (rc = in_query_int(r, "case_id", 0, INT64_MAX, 0, &case_id)) < 0 ||
	    (rc = in_query_int(r, "campaign_id", 0, INT64_MAX, 0, &campaign_id)) < 0 ||
	    (rc = in_cursor(r, &after)) < 0)
		return rc;
	const char *secret = survey_secret(r->db, r->a);
	db_stmt *st;
	if (!secret || db_query(r->db,
		     INV_SELECT " WHERE i.id < ? AND i.customer_id = COALESCE(CAST(? AS BIGINT), i.customer_id)"
				" AND COALESCE(i.case_id, 0) = COALESCE(CAST(? AS BIGINT), COALESCE(i.case_id, 0))"
				" AND COALESCE(i.campaign_id, 0) = COALESCE(CAST(? AS BIGINT),"
				" COALESCE(i.campaign_id, 0)) ORDER BY i.id DESC LIMIT ?",
		     DB_ARGS(DBI(after ? after : INT64_MAX), customer_id ? DBI(customer_id) : DBNULL,
			     case_id ? DBI(case_id) : DBNULL, campaign_id ? DBI(campaign_id) : DBNULL,
			     DBI(limit + 1)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int64_t now = util_now_ms(), last = 0;
	while ((rc = db_step(st)) == DB_ROW && (int64_t)json_array_size(items) < limit) {
		last = db_col_int(st, 0);
		json_array_append_new(items, inv_json(r, st, now, secret));
	}
	int more = rc == DB_ROW;
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	return http_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor",
					   more ? json_string(out_cursor(r, last)) : json_null()));
}

/* POST /api/survey-invitations {customer_id, template_id?, case_id?,
 * expires_days? | expires_at?}: a link made by hand (to send by SMS or
 * WeChat). */
int survey_invitations_create(http_req *r)
{
	struct survey_invitation_input body;
	int64_t now = util_now_ms(), id, x;
	int rc;
	if ((rc = survey_invitation_input_read(r, now, &body)) < 0)
		return rc;
	int64_t customer_id = body.customer_id, tpl = body.template_id, case_id = body.case_id;
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	struct survey_invite in = {.customer_id = customer_id, .source = "manual", .status = "sent",
				   .created_by = r->user.id, .agent_id = r->user.id,
				   .department_id = r->user.department_id};
	if (db_query_int(r->db, "SELECT id FROM customers WHERE id = ? AND archived_at IS NULL",
			 DB_ARGS(DBI(customer_id)), &x) != DB_ROW) {
		rc = http_fail(r, KF_EINVAL, "customer_id", "客户 %lld 不存在",
			       "Customer %lld does not exist", (long long)customer_id);
		goto fail;
	}
	in.template_id = tpl ? tpl : survey_default_template(r->db);
	if (!in.template_id ||
	    db_query_int(r->db, "SELECT id FROM survey_templates WHERE id = ? AND active = 1",
			 DB_ARGS(DBI(in.template_id)), &x) != DB_ROW) {
		rc = http_fail(r, KF_EINVAL, "template_id", "问卷模板不存在或已停用",
			       "The survey template does not exist or is archived");
		goto fail;
	}
	if (case_id) {
		db_stmt *st;
		if (db_query(r->db,
			     "SELECT customer_id, type, channel, assignee_id, department_id FROM cases"
			     " WHERE id = ?",
			     DB_ARGS(DBI(case_id)), &st) < 0)
			return app_db_fail(r, DB_EFAIL, NULL);
		rc = db_step(st);
		if (rc == DB_ROW && db_col_int(st, 0) == customer_id) {
			in.case_id = case_id;
			in.case_type = arena_strdup(r->a, db_col_text(st, 1));
			in.channel = arena_strdup(r->a, db_col_text(st, 2));
			in.agent_id = db_col_null(st, 3) ? 0 : db_col_int(st, 3);
			in.department_id = db_col_null(st, 4) ? 0 : db_col_int(st, 4);
		}
		db_done(st);
		if (!in.case_id) {
			rc = http_fail(r, KF_EINVAL, "case_id", "工单 %lld 不存在或不属于该客户",
				       "Case %lld does not exist or is another customer's",
				       (long long)case_id);
			goto fail;
		}
	}
	char rnd[17];
	util_random_hex(rnd, 8);
	in.source_key = arena_printf(r->a, "manual:%s", rnd);
	in.expires_at = body.expires_at;
	if (survey_invite_insert(r->db, r->a, &in, now, &id) != 1 ||
	    audit_write(r->db, "survey_invitation", id, "create", r->user.id, r->json) < 0 ||
	    db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return inv_respond(r, id, 201);
fail:
	db_rollback(r->db);
	return rc;
}

/* ---------------------------------------------------------------- responses */

static json_t *answers_of(db *d, int64_t response_id)
{
	json_t *a = json_array();
	db_stmt *st;
	if (db_query(d,
		     "SELECT question_key, kind, value_int, value_text FROM survey_answers"
		     " WHERE response_id = ? ORDER BY id",
		     DB_ARGS(DBI(response_id)), &st) < 0)
		return a;
	while (db_step(st) == DB_ROW)
		json_array_append_new(
			a, json_pack("{s:s, s:s, s:o, s:s}", "key", db_col_text(st, 0), "kind",
				     db_col_text(st, 1), "value", opt_int(st, 2), "text",
				     db_col_text(st, 3)));
	db_done(st);
	return a;
}

/* GET /api/survey-responses?customer_id=&low=1&limit=&cursor= ; newest first,
 * with their answers. */
int survey_responses_list(http_req *r)
{
	int64_t limit, customer_id, after, low;
	int rc;
	if ((rc = in_query_int(r, "limit", 1, 200, 50, &limit)) < 0 ||
	    (rc = in_query_int(r, "customer_id", 0, INT64_MAX, 0, &customer_id)) < 0 ||
	    (rc = in_query_int(r, "low", 0, 1, 0, &low)) < 0 || (rc = in_cursor(r, &after)) < 0)
		return rc;
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT s.id, s.kind, s.invitation_id, s.source_id, s.template_id, s.customer_id,"
		     " c.name, s.csat, s.nps, s.effort, s.agent_id, u.display_name, s.case_type,"
		     " s.channel, s.tier, s.comment, s.followup_id, s.created_at, i.case_id, s.contact_phone"
		     " FROM survey_responses s LEFT JOIN customers c ON c.id = s.customer_id"
		     " LEFT JOIN users u ON u.id = s.agent_id"
		     " LEFT JOIN survey_invitations i ON i.id = s.invitation_id WHERE s.id < ?"
		     " AND COALESCE(s.customer_id, 0) = COALESCE(CAST(? AS BIGINT), COALESCE(s.customer_id, 0))"
		     " AND (? = 0 OR (s.csat BETWEEN 1 AND 2) OR (s.nps BETWEEN 0 AND 6))"
		     " ORDER BY s.id DESC LIMIT ?",
		     DB_ARGS(DBI(after ? after : INT64_MAX), customer_id ? DBI(customer_id) : DBNULL,
			     DBI(low), DBI(limit + 1)),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	json_t *items = json_array();
	int64_t last = 0;
	while ((rc = db_step(st)) == DB_ROW && (int64_t)json_array_size(items) < limit) {
		last = db_col_int(st, 0);
		json_t *o = json_pack(
			"{s:I, s:s, s:o, s:o, s:I, s:o, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:s,"
			" s:s, s:o, s:I, s:o}",
			"id", (json_int_t)last, "kind", db_col_text(st, 1), "invitation_id",
			opt_int(st, 2), "source_id", opt_int(st, 3), "template_id",
			(json_int_t)db_col_int(st, 4), "customer_id", opt_int(st, 5), "customer_name",
			db_col_text(st, 6), "csat", opt_int(st, 7), "nps", opt_int(st, 8), "effort",
			opt_int(st, 9), "agent_id", opt_int(st, 10), "agent_name", db_col_text(st, 11),
			"case_type", db_col_text(st, 12), "channel", db_col_text(st, 13), "tier",
			db_col_text(st, 14), "comment", db_col_text(st, 15), "followup_id",
			opt_int(st, 16), "created_at", (json_int_t)db_col_int(st, 17), "case_id",
			opt_int(st, 18));
		json_object_set_new(o, "contact_phone", json_string(db_col_text(st, 19)));
		json_object_set_new(o, "low",
				    json_boolean(sat_is_low(db_col_null(st, 7) ? -1 : (int)db_col_int(st, 7),
							    db_col_null(st, 8) ? -1 : (int)db_col_int(st, 8))));
		json_array_append_new(items, o);
	}
	int more = rc == DB_ROW;
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return app_db_fail(r, rc, NULL);
	}
	size_t i;
	json_t *o;
	json_array_foreach(items, i, o)
	{
		json_object_set_new(o, "answers",
				    answers_of(r->db, json_integer_value(json_object_get(o, "id"))));
	}
	return http_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor",
					   more ? json_string(out_cursor(r, last)) : json_null()));
}
