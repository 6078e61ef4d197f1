/* customer_privacy.c - the personal-data duties of China's PIPL (个人信息保护法):
 *
 *   GET  /api/customers/{id}/personal-data   everything held about one customer, in one
 *                                            JSON document (supervisors; audited)
 *   POST /api/customers/{id}/erase           {reason}: anonymise the customer and what
 *                                            was written about them (admins; audited)
 *   POST /api/customers/{id}/reveal-phone    {reason?}: the full number of a customer an
 *                                            agent sees masked (audited)
 *
 * The export walks a table of sections (one SELECT each, columns typed by a
 * letter: i integer, t text, j JSON text) so a new table that holds personal
 * data is one line here.  Erasure keeps the figures (orders' amounts, cases'
 * types and times: the reports stay true) and removes the person: names,
 * numbers, addresses, free texts, mail, and the old values in the audit log;
 * the customer is archived, the search index rebuilt for the customer and its
 * cases, and one audit entry records who erased it, when and why.  A
 * customer with open cases or open commitments is not erased (409): finish
 * them first. */
#include "app/customer.h"

#include <string.h>

#include "app/search.h"
#include "lib/common.h"
#include "lib/util.h"

struct section {
	const char *name;
	const char *sql; /* one parameter: the customer id */
	const char *cols;
	const char *types;
};

#define CASES_OF "SELECT id FROM cases WHERE customer_id = ?"

static const struct section sections[] = {
	{"orders",
	 "SELECT id, order_no, product, amount_fen, margin_fen, ordered_at, note, created_at"
	 " FROM orders WHERE customer_id = ? ORDER BY id",
	 "id,order_no,product,amount_fen,margin_fen,ordered_at,note,created_at", "ittiiiti"},
	{"cases",
	 "SELECT id, number, type, subtype, channel, state, subject, description, emotion, demand,"
	 " tags, created_at, closed_at FROM cases WHERE customer_id = ? ORDER BY id",
	 "id,number,type,subtype,channel,state,subject,description,emotion,demand,tags,created_at,"
	 "closed_at",
	 "itttttttttjii"},
	{"case_events",
	 "SELECT id, case_id, kind, actor_id, is_public, body, data, at FROM case_events"
	 " WHERE case_id IN (" CASES_OF ") ORDER BY id",
	 "id,case_id,kind,actor_id,is_public,body,data,at", "iitiitji"},
	{"case_plans",
	 "SELECT id, case_id, kind, description, amount_fen, status, proposed_at, decided_at,"
	 " decision_note FROM case_plans WHERE case_id IN (" CASES_OF ") ORDER BY id",
	 "id,case_id,kind,description,amount_fen,status,proposed_at,decided_at,decision_note",
	 "iittitiit"},
	{"followups",
	 "SELECT id, kind, title, due_at, state, outcome, evaluation, suggestions, next_step,"
	 " created_at, closed_at FROM followups WHERE customer_id = ? ORDER BY id",
	 "id,kind,title,due_at,state,outcome,evaluation,suggestions,next_step,created_at,closed_at",
	 "ittitttttii"},
	{"commitments",
	 "SELECT id, case_id, content, due_at, state, resolution_note, created_at, resolved_at"
	 " FROM commitments WHERE customer_id = ? ORDER BY id",
	 "id,case_id,content,due_at,state,resolution_note,created_at,resolved_at", "iitittii"},
	{"calls",
	 "SELECT id, direction, caller, callee, case_id, offered_at, answered_at, ended_at, talk_ms"
	 " FROM calls WHERE customer_id = ? ORDER BY id",
	 "id,direction,caller,callee,case_id,offered_at,answered_at,ended_at,talk_ms", "itttiiiii"},
	{"call_list_items",
	 "SELECT id, list_id, phone, status, outcome, note, created_at FROM call_list_items"
	 " WHERE customer_id = ? ORDER BY id",
	 "id,list_id,phone,status,outcome,note,created_at", "iitttti"},
	{"mail",
	 "SELECT id, direction, from_addr, from_name, to_addr, subject, text_body, case_id,"
	 " created_at FROM mail_messages WHERE customer_id = ? ORDER BY id",
	 "id,direction,from_addr,from_name,to_addr,subject,text_body,case_id,created_at",
	 "ittttttii"},
	{"survey_invitations",
	 "SELECT id, source, status, case_id, created_at, expires_at, used_at, delivery"
	 " FROM survey_invitations WHERE customer_id = ? ORDER BY id",
	 "id,source,status,case_id,created_at,expires_at,used_at,delivery", "ittiiiit"},
	{"survey_responses",
	 "SELECT id, kind, csat, nps, effort, comment, contact_phone, created_at FROM survey_responses"
	 " WHERE customer_id = ? ORDER BY id",
	 "id,kind,csat,nps,effort,comment,contact_phone,created_at", "itiiitti"},
	{"survey_answers",
	 "SELECT a.id, a.response_id, a.question_key, a.value_int, a.value_text FROM survey_answers a"
	 " JOIN survey_responses r ON r.id = a.response_id WHERE r.customer_id = ? ORDER BY a.id",
	 "id,response_id,question_key,value_int,value_text", "iitit"},
	{"expectation_items",
	 "SELECT i.id, i.sheet_id, s.title, i.attribute, i.expected_level, i.expected_words,"
	 " i.perceived_level, i.perceived_words FROM expectation_items i"
	 " JOIN expectation_sheets s ON s.id = i.sheet_id WHERE s.customer_id = ? ORDER BY i.id",
	 "id,sheet_id,title,attribute,expected_level,expected_words,perceived_level,perceived_words",
	 "iittitit"},
	{"history",
	 "SELECT id, action, actor_id, changes, at FROM audit_log"
	 " WHERE entity = 'customer' AND entity_id = ? ORDER BY id",
	 "id,action,actor_id,changes,at", "itiji"},
};

/* The rows of one section as an array of objects. */
static json_t *section_rows(db *d, const struct section *s, int64_t cid, int *err)
{
	char cols[512];
	const char *names[24];
	int n = 0;
	snprintf(cols, sizeof(cols), "%s", s->cols);
	for (char *p = cols, *name; n < 24 && (name = strsep(&p, ","));)
		names[n++] = name;
	db_stmt *st;
	if ((size_t)n != strlen(s->types) || db_query(d, s->sql, DB_ARGS(DBI(cid)), &st) < 0) {
		*err = 1;
		return NULL;
	}
	json_t *rows = json_array();
	while (db_step(st) == DB_ROW) {
		json_t *o = json_object();
		for (int i = 0; i < n && s->types[i]; i++) {
			json_t *v;
			if (db_col_null(st, i))
				v = json_null();
			else if (s->types[i] == 'i')
				v = json_integer(db_col_int(st, i));
			else if (s->types[i] == 'j' && (v = json_loads(db_col_text(st, i), 0, NULL)))
				;
			else
				v = json_string(db_col_text(st, i));
			json_object_set_new(o, names[i], v ? v : json_null());
		}
		json_array_append_new(rows, o);
	}
	db_done(st);
	return rows;
}

int customer_personal_data(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	json_t *file = customer_load(r, id);
	if (!file)
		return r->err.code;
	json_t *doc = json_pack("{s:s, s:I, s:I, s:o}", "kind", "kefu.personal-data", "generated_at",
				(json_int_t)util_now_ms(), "generated_by", (json_int_t)r->user.id, "customer",
				file);
	int err = 0;
	for (size_t i = 0; i < KF_ARRAY_LEN(sections) && !err; i++) {
		json_t *rows = section_rows(r->db, &sections[i], id, &err);
		if (rows)
			json_object_set_new(doc, sections[i].name, rows);
	}
	if (err) {
		json_decref(doc);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	/* Who looked at everything about a person is itself on the record. */
	if (audit_write(r->db, "customer", id, "personal_data_export", r->user.id, NULL) < 0) {
		json_decref(doc);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	return http_json(r, 200, doc);
}

/* Statements of the erasure, each with the customer id as its only parameter. */
static const char *const erase_sql[] = {
	"UPDATE customers SET name = '已删除客户', phone = NULL, email = '', wechat = '',"
	" address = '', company = '', birthday = '', standing = '', hobbies = '', memorable = '',"
	" notes = '', contacts = '[]', dates = '[]', preferences = '{}', dnd = '[]', tags = '[]'"
	" WHERE id = ?",
	"DELETE FROM customer_tags WHERE customer_id = ?",
	"UPDATE orders SET note = '' WHERE customer_id = ?",
	"UPDATE case_events SET body = '', data = '{}' WHERE case_id IN (" CASES_OF ")",
	"UPDATE case_plans SET description = '[已删除]', decision_note = '' WHERE case_id IN (" CASES_OF ")",
	"UPDATE cases SET subject = '[已删除]', description = '', demand = '', tags = '[]'"
	" WHERE customer_id = ?",
	"UPDATE followups SET title = '', evaluation = '', suggestions = '', next_step = ''"
	" WHERE customer_id = ?",
	"UPDATE commitments SET content = '[已删除]', resolution_note = '' WHERE customer_id = ?",
	"UPDATE calls SET caller = '', callee = '' WHERE customer_id = ?",
	"UPDATE call_list_items SET phone = '', note = '' WHERE customer_id = ?",
	"DELETE FROM mail_attachments WHERE mail_id IN (SELECT id FROM mail_messages WHERE customer_id = ?)",
	"UPDATE mail_messages SET from_addr = '', from_name = '', to_addr = '', subject = '',"
	" text_body = '', html_body = '', raw = '' WHERE customer_id = ?",
	"UPDATE survey_answers SET value_text = '' WHERE response_id IN"
	" (SELECT id FROM survey_responses WHERE customer_id = ?)",
	"UPDATE survey_responses SET comment = '', contact_phone = '' WHERE customer_id = ?",
	"UPDATE expectation_items SET expected_words = '', perceived_words = '' WHERE sheet_id IN"
	" (SELECT id FROM expectation_sheets WHERE customer_id = ?)",
	"UPDATE expectation_sheets SET title = '' WHERE customer_id = ?",
	"UPDATE audit_log SET changes = '{}' WHERE entity = 'customer' AND entity_id = ?",
};

static const char *const erase_keys[] = {"reason", NULL};

int customer_erase(http_req *r)
{
	int64_t id, open_cases = 0, open_commitments = 0;
	const char *reason;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "reason", "请填写删除原因（例如客户的删除请求）",
				 "Give the reason (e.g. the customer's request)");
	if ((rc = in_only_keys(r, r->json, erase_keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "reason", 500, 1, &reason, NULL)) < 0)
		return rc;
	json_t *file = customer_load(r, id);
	if (!file)
		return r->err.code;
	json_decref(file);
	if (db_query_int(r->db, "SELECT COUNT(*) FROM cases WHERE customer_id = ? AND is_open = 1",
			 DB_ARGS(DBI(id)), &open_cases) < 0 ||
	    db_query_int(r->db,
			 "SELECT COUNT(*) FROM commitments WHERE customer_id = ? AND state = 'open'",
			 DB_ARGS(DBI(id)), &open_commitments) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	if (open_cases)
		return http_fail(r, KF_ECONFLICT, "cases", "该客户还有 %lld 个未结工单，请先处理完毕",
				 "The customer has %lld open cases: finish them first",
				 (long long)open_cases);
	if (open_commitments)
		return http_fail(r, KF_ECONFLICT, "commitments",
				 "该客户还有 %lld 个未兑现的承诺，请先处理完毕",
				 "The customer has %lld open commitments: settle them first",
				 (long long)open_commitments);
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	int64_t now = util_now_ms();
	rc = 0;
	for (size_t i = 0; i < KF_ARRAY_LEN(erase_sql) && rc >= 0; i++)
		rc = db_exec(r->db, erase_sql[i], DB_ARGS(DBI(id)));
	if (rc >= 0)
		rc = db_exec(r->db,
			     "UPDATE customers SET archived_at = COALESCE(archived_at, ?), updated_at = ?,"
			     " version = version + 1 WHERE id = ?",
			     DB_ARGS(DBI(now), DBI(now), DBI(id)));
	if (rc >= 0)
		rc = search_index_customer(r->db, id);
	if (rc >= 0) {
		db_stmt *st;
		int64_t ids[512];
		int n = 0, more = 1;
		/* The cases' index entries hold their old subjects: rebuild them. */
		for (int64_t after = 0; rc >= 0 && more;) {
			if (db_query(r->db, "SELECT id FROM cases WHERE customer_id = ? AND id > ? ORDER BY id LIMIT 512",
				     DB_ARGS(DBI(id), DBI(after)), &st) < 0) {
				rc = -1;
				break;
			}
			n = 0;
			while (n < 512 && db_step(st) == DB_ROW)
				ids[n++] = db_col_int(st, 0);
			db_done(st);
			more = n == 512;
			for (int i = 0; i < n && rc >= 0; i++)
				rc = search_index_case(r->db, ids[i]);
			if (n)
				after = ids[n - 1];
		}
	}
	if (rc >= 0) {
		json_t *ch = json_pack("{s:s}", "reason", reason);
		rc = audit_write(r->db, "customer", id, "erase", r->user.id, ch);
		json_decref(ch);
	}
	if (rc < 0 || db_commit(r->db) < 0) {
		db_rollback(r->db);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	json_t *after = customer_load(r, id);
	return after ? http_json(r, 200, after) : r->err.code;
}

static const char *const reveal_keys[] = {"reason", NULL};

int customer_reveal_phone(http_req *r)
{
	int64_t id;
	const char *reason = NULL;
	int rc, has_reason = 0;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	if (r->json && ((rc = in_only_keys(r, r->json, reveal_keys, NULL)) < 0 ||
			(rc = in_str(r, r->json, "reason", 200, 0, &reason, &has_reason)) < 0))
		return rc;
	json_t *file = customer_load(r, id);
	if (!file)
		return r->err.code;
	json_t *phone = json_incref(json_object_get(file, "phone"));
	json_t *contacts = json_incref(json_object_get(file, "contacts"));
	json_decref(file);
	json_t *ch = json_pack("{s:s}", "reason", has_reason && reason ? reason : "");
	rc = audit_write(r->db, "customer", id, "phone_reveal", r->user.id, ch);
	json_decref(ch);
	if (rc < 0) {
		json_decref(phone);
		json_decref(contacts);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	return http_json(r, 200, json_pack("{s:o, s:o}", "phone", phone ? phone : json_null(), "contacts",
					   contacts ? contacts : json_array()));
}
