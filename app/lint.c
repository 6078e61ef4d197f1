/* lint.c - POST /api/lint (check a reply draft), the rules, and the
 * admins' lexicon (lint_phrases: GET, POST, DELETE). */
#include "app/lint.h"

#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "lib/common.h"
#include "lib/jw.h"
#include "lib/util.h"

enum { TEXT_MAX = 5000, FINDINGS_MAX = 200, PHRASE_MAX = 50 };

static void free_set(void *p)
{
	lint_set_free(p);
}

struct lint_set *lint_load(http_req *r)
{
	struct lint_set *s = lint_set_new();
	if (!s) {
		http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
		return NULL;
	}
	arena_on_release(r->a, free_set, s);
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT rule, kind, phrase, severity, suggestion_zh, suggestion_en"
		     " FROM lint_phrases ORDER BY id",
		     DB_ARGS(), &st) < 0) {
		app_db_fail(r, DB_EFAIL, NULL);
		return NULL;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int sev = lint_severity_parse(db_col_text(st, 3));
		/* A row naming a rule this build does not have is skipped. */
		lint_set_add(s, db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2),
			     sev < 0 ? LINT_WARNING : (enum lint_severity)sev, db_col_text(st, 4),
			     db_col_text(st, 5));
	}
	db_done(st);
	if (rc < 0) {
		app_db_fail(r, rc, NULL);
		return NULL;
	}
	return s;
}

int lint_utf16_len(const char *text, int bytes)
{
	int n = 0;
	for (int i = 0; i < bytes; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c & 0xC0) == 0x80)
			continue;
		n += c >= 0xF0 ? 2 : 1;
	}
	return n;
}

static void write_finding(jw *w, const char *text, const struct lint_finding *f)
{
	jw_obj(w);
	jw_key(w, "rule");
	jw_str(w, f->rule->id);
	jw_key(w, "severity");
	jw_str(w, lint_severity_name(f->rule->severity));
	jw_key(w, "start");
	jw_int(w, lint_utf16_len(text, f->start));
	jw_key(w, "end");
	jw_int(w, lint_utf16_len(text, f->end));
	jw_key(w, "byte_start");
	jw_int(w, f->start);
	jw_key(w, "byte_end");
	jw_int(w, f->end);
	jw_key(w, "text");
	char *m = strndup(text + f->start, (size_t)(f->end - f->start));
	jw_str(w, m ? m : "");
	free(m);
	jw_key(w, "title_zh");
	jw_str(w, f->rule->title_zh);
	jw_key(w, "title_en");
	jw_str(w, f->rule->title_en);
	jw_key(w, "suggestion_zh");
	jw_str(w, f->rule->suggestion_zh);
	jw_key(w, "explain_en");
	jw_str(w, f->rule->explain_en);
	jw_obj_end(w);
}

/* POST /api/lint {text}: the findings, in text order. */
int lint_post(http_req *r)
{
	static const char *const keys[] = {"text", NULL};
	const char *text;
	int rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "text", "缺少必填字段 text", "The field text is required");
	if ((rc = in_only_keys(r, r->json, keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "text", TEXT_MAX, 1, &text, NULL)) < 0)
		return rc;
	struct lint_set *s = lint_load(r);
	if (!s)
		return r->err.code;
	struct lint_finding *f = arena_alloc(r->a, FINDINGS_MAX * sizeof(*f));
	int total = lint_check(s, text, strlen(text), f, FINDINGS_MAX);
	int n = total < FINDINGS_MAX ? total : FINDINGS_MAX, counts[3] = {0};
	buf b;
	buf_init(&b, 4 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "findings");
	jw_arr(&w);
	for (int i = 0; i < n; i++) {
		write_finding(&w, text, &f[i]);
		counts[f[i].rule->severity]++;
	}
	jw_arr_end(&w);
	jw_key(&w, "total");
	jw_int(&w, total);
	jw_key(&w, "counts");
	jw_obj(&w);
	for (int i = 0; i < 3; i++) {
		jw_key(&w, lint_severity_name((enum lint_severity)i));
		jw_int(&w, counts[i]);
	}
	jw_obj_end(&w);
	jw_obj_end(&w);
	if (jw_failed(&w)) {
		buf_release(&b);
		return http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}

static void write_list(jw *w, const char *const *list)
{
	jw_arr(w);
	for (; list && *list; list++)
		jw_str(w, *list);
	jw_arr_end(w);
}

static int disabled_in_db(http_req *r, const char *rule)
{
	int64_t one;
	return db_query_int(r->db, "SELECT 1 FROM lint_phrases WHERE rule = ? AND kind = 'disable'",
			    DB_ARGS(DBT(rule)), &one) == DB_ROW;
}

/* GET /api/lint/rules: the built-in rules and the admins' phrases. */
int lint_rules_get(http_req *r)
{
	int n, rc;
	const struct lint_rule_info *rules = lint_builtin(&n);
	buf b;
	buf_init(&b, 4 << 20);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "rules");
	jw_arr(&w);
	for (int i = 0; i < n; i++) {
		const struct lint_rule_info *ru = &rules[i];
		jw_obj(&w);
		jw_key(&w, "id");
		jw_str(&w, ru->id);
		jw_key(&w, "severity");
		jw_str(&w, lint_severity_name(ru->severity));
		jw_key(&w, "title_zh");
		jw_str(&w, ru->title_zh);
		jw_key(&w, "title_en");
		jw_str(&w, ru->title_en);
		jw_key(&w, "suggestion_zh");
		jw_str(&w, ru->suggestion_zh);
		jw_key(&w, "explain_en");
		jw_str(&w, ru->explain_en);
		jw_key(&w, "triggers");
		write_list(&w, ru->triggers);
		jw_key(&w, "exceptions");
		write_list(&w, ru->exceptions);
		jw_key(&w, "disabled");
		jw_bool(&w, disabled_in_db(r, ru->id));
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "phrases");
	jw_arr(&w);
	db_stmt *st;
	if (db_query(r->db,
		     "SELECT p.id, p.rule, p.kind, p.phrase, p.severity, p.suggestion_zh,"
		     " p.suggestion_en, p.created_by, u.display_name, p.created_at FROM lint_phrases p"
		     " LEFT JOIN users u ON u.id = p.created_by ORDER BY p.id",
		     DB_ARGS(), &st) < 0) {
		buf_release(&b);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	while ((rc = db_step(st)) == DB_ROW) {
		static const char *const cols[] = {"rule", "kind", "phrase", "severity",
						   "suggestion_zh", "suggestion_en"};
		jw_obj(&w);
		jw_key(&w, "id");
		jw_int(&w, db_col_int(st, 0));
		for (int i = 0; i < 6; i++) {
			jw_key(&w, cols[i]);
			jw_str(&w, db_col_text(st, i + 1));
		}
		jw_key(&w, "created_by");
		if (db_col_null(st, 7)) {
			jw_null(&w);
		} else {
			jw_obj(&w);
			jw_key(&w, "id");
			jw_int(&w, db_col_int(st, 7));
			jw_key(&w, "display_name");
			jw_str(&w, db_col_text(st, 8));
			jw_obj_end(&w);
		}
		jw_key(&w, "created_at");
		jw_int(&w, db_col_int(st, 9));
		jw_obj_end(&w);
	}
	db_done(st);
	jw_arr_end(&w);
	jw_obj_end(&w);
	if (rc < 0 || jw_failed(&w)) {
		buf_release(&b);
		return rc < 0 ? app_db_fail(r, rc, NULL) : http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}

static int known_rule(const char *rule)
{
	int n;
	const struct lint_rule_info *rules = lint_builtin(&n);
	for (int i = 0; i < n; i++)
		if (!strcmp(rules[i].id, rule))
			return 1;
	return !strcmp(rule, "custom");
}

/* POST /api/lint/phrases (admins). */
int lint_phrases_create(http_req *r)
{
	static const char *const keys[] = {"rule",	  "kind",	   "phrase", "severity",
					   "suggestion_zh", "suggestion_en", NULL};
	const char *rule, *kind, *phrase, *sev, *zh, *en;
	int rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "rule", "缺少必填字段 rule", "The field rule is required");
	if ((rc = in_only_keys(r, r->json, keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "rule", 40, 1, &rule, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "kind", 20, 1, &kind, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "phrase", PHRASE_MAX, 0, &phrase, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "severity", 10, 0, &sev, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "suggestion_zh", 300, 0, &zh, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "suggestion_en", 300, 0, &en, NULL)) < 0)
		return rc;
	if (!known_rule(rule))
		return http_fail(r, KF_EINVAL, "rule", "没有名为 %s 的规则", "There is no rule %s", rule);
	if (strcmp(kind, "trigger") && strcmp(kind, "exception") && strcmp(kind, "disable"))
		return http_fail(r, KF_EINVAL, "kind", "kind 只能是 trigger、exception 或 disable",
				 "kind must be trigger, exception or disable");
	if (strcmp(kind, "disable") && (!phrase || !*phrase))
		return http_fail(r, KF_EINVAL, "phrase", "请填写词语", "The phrase is required");
	if (!strcmp(rule, "custom") && strcmp(kind, "trigger"))
		return http_fail(r, KF_EINVAL, "kind", "自定义规则只能添加触发词",
				 "A custom rule takes triggers only");
	if (!strcmp(rule, "custom") && (!zh || !*zh))
		return http_fail(r, KF_EINVAL, "suggestion_zh", "自定义规则需要填写建议说法",
				 "A custom rule needs its suggestion");
	if (sev && *sev && lint_severity_parse(sev) < 0)
		return http_fail(r, KF_EINVAL, "severity", "severity 只能是 error、warning 或 info",
				 "severity must be error, warning or info");
	if (!strcmp(kind, "disable"))
		phrase = "";
	db_stmt *st;
	if (db_query(r->db,
		     "INSERT INTO lint_phrases (rule, kind, phrase, severity, suggestion_zh,"
		     " suggestion_en, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
		     " RETURNING id",
		     DB_ARGS(DBT(rule), DBT(kind), DBT(phrase ? phrase : ""),
			     DBT(sev && *sev ? sev : "warning"), DBT(zh ? zh : ""), DBT(en ? en : ""),
			     DBI(r->user.id), DBI(util_now_ms())),
		     &st) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_EUNIQUE ? http_fail(r, KF_ECONFLICT, "phrase", "这条词语已经存在",
						    "This entry exists already")
					: app_db_fail(r, rc < 0 ? rc : DB_EFAIL, NULL);
	return http_json(r, 201,
			 json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "rule",
				   rule, "kind", kind, "phrase", phrase ? phrase : "", "severity",
				   sev && *sev ? sev : "warning", "suggestion_zh", zh ? zh : "",
				   "suggestion_en", en ? en : ""));
}

/* DELETE /api/lint/phrases/{id} (admins). */
int lint_phrases_delete(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	rc = db_exec(r->db, "DELETE FROM lint_phrases WHERE id = ?", DB_ARGS(DBI(id)));
	if (rc < 0)
		return app_db_fail(r, rc, NULL);
	if (rc == 0)
		return http_fail(r, KF_ENOTFOUND, "id", "词语 %lld 不存在", "Entry %lld does not exist",
				 (long long)id);
	return http_no_content(r);
}
