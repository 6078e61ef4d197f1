/* kb.h - the knowledge base of standard answers (知识库, 标准回答; DOMAIN
 * §5 touch points), shared by kb.c (answers and categories), kb_input.c
 * (reading their bodies, without a database),
 * kb_versions.c (edits, history, review), kb_feedback.c (use and ratings)
 * and kb_suggest.c (suggestions from a text or a case).
 *
 * An answer's content lives in versions: every edit is a new version,
 * written as a draft, submitted, and approved (published) or rejected
 * with a reason by a supervisor.  Agents use, find and rate only the
 * published version; everyone on the staff may read every version (the
 * knowledge base is the company's own; review decides what reaches
 * customers).  Publishing puts the answer in the search index
 * (search_index_kb), archiving takes it out. */
#ifndef KF_APP_KB_H
#define KF_APP_KB_H

#include "app/app.h"
#include "lib/jw.h"

enum {
	KB_TITLE_MAX = 200,
	KB_QUESTION_MAX = 200,
	KB_QUESTIONS_MAX = 20,
	KB_ANSWER_MAX = 10000,
	KB_TAG_MAX = 30,
	KB_TAGS_MAX = 20,
	KB_NOTE_MAX = 500,
	KB_REASON_MAX = 500,
};

/* The content of a version as validated input (strings live in r->a;
 * questions and tags are compact JSON arrays). */
struct kb_content {
	int64_t category_id;
	const char *title, *questions, *answer, *tags, *note;
};

/* Reads the content fields present in `in` over `base` (NULL members of
 * base are required).  0 or < 0 with r->err filled.  No database
 * (kb_input.c): the caller checks a category_id that changed with
 * kb_category_exists. */
int kb_content_read(http_req *r, json_t *in, const struct kb_content *base, struct kb_content *out);
/* 0 if the category exists, else KF_EINVAL naming category_id. */
int kb_category_exists(http_req *r, int64_t id);
/* The body of POST /api/kb/categories (kb_input.c): code of lower-case
 * letters, digits and _, both names, sort_order (0 if not given). */
int kb_category_read(http_req *r, const char **code, const char **name_zh, const char **name_en,
		     int64_t *sort_order);

/* Inserts version `no` of answer id with state ('draft', 'pending' or
 * 'published'); older draft and pending versions become superseded.
 * Sets *version_id.  Runs in the caller's transaction. */
int kb_version_insert(http_req *r, int64_t id, int no, const struct kb_content *c,
		      const char *state, int64_t *version_id);
/* Publishes version_id of answer id (the previous one becomes
 * superseded), updates the answer row and the search index. */
int kb_publish(http_req *r, int64_t id, int64_t version_id);

/* Reads "submit" and "publish" (supervisors only) of an edit: *state is
 * the state to insert ('draft' or 'pending'); returns 1 when the version
 * is to be published at once, 0, or < 0 with r->err filled. */
int kb_read_intent(http_req *r, json_t *in, const char **state);

/* 404 unless the answer exists; *status gets its status (static string). */
int kb_answer_status(http_req *r, int64_t id, const char **status);

/* Answers with the whole answer (GET /api/kb/{id}). */
int kb_respond(http_req *r, int64_t id, int status);
/* Writes a version as a JSON object; st is a row of KB_VERSION_COLS. */
void kb_write_version(jw *w, db_stmt *st, int full);
#define KB_VERSION_COLS                                                                            \
	"v.id, v.version_no, v.state, v.title, v.questions, v.answer, v.tags, v.category_id,"     \
	" v.note, v.author_id, au.display_name, v.created_at, v.submitted_at, v.reviewer_id,"     \
	" rv.display_name, v.reviewed_at, v.reject_reason"
#define KB_VERSION_JOINS                                                                           \
	" LEFT JOIN users au ON au.id = v.author_id LEFT JOIN users rv ON rv.id = v.reviewer_id"

/* Writes {"id", "display_name"} or null. */
void kb_write_user(jw *w, db_stmt *st, int id_col, int name_col);
/* Writes {"average", "count"} from a sum and a count. */
void kb_write_rating(http_req *r, jw *w, int64_t sum, int64_t n);

/* The most relevant published answers for a text (kb_suggest.c); writes
 * {"items": [...]} members into the open object w. */
int kb_suggest_write(http_req *r, jw *w, const char *text, int limit);

#endif
