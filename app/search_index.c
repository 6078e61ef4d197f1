/* search_index.c - what the index holds for each kind of record, and how
 * it follows the records (see app/search.h): the documents of customers,
 * cases and standard answers, the catch-up over the change feeds, and the
 * full rebuild. */
#include "app/search.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

enum { DOC_MAX = 1 << 20 };

/* Appends text and a newline when text is not empty. */
static void line(buf *b, const char *text)
{
	if (text && *text) {
		buf_puts(b, text);
		buf_putc(b, '\n');
	}
}

/* The string members `key` of a JSON array of objects (or the strings of
 * an array of strings when key is NULL), one per line. */
static void json_lines(buf *b, const char *doc, const char *key)
{
	json_t *a = json_loads(doc, 0, NULL);
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		json_t *s = key ? json_object_get(v, key) : v;
		if (json_is_string(s))
			line(b, json_string_value(s));
	}
	json_decref(a);
}

/* A phone in E.164 as the forms people type: all digits, the national
 * number, 3-4-4 groups and the last four digits. */
static void phone_forms(buf *b, const char *e164)
{
	if (!e164 || !*e164)
		return;
	char digits[32];
	size_t n = 0;
	for (const char *p = e164; *p && n + 1 < sizeof(digits); p++)
		if (*p >= '0' && *p <= '9')
			digits[n++] = *p;
	digits[n] = '\0';
	buf_printf(b, "%s ", digits);
	const char *national = !strncmp(e164, "+86", 3) ? digits + 2 : digits;
	size_t nn = strlen(national);
	buf_printf(b, "%s ", national);
	if (nn == 11)
		buf_printf(b, "%.3s %.4s %.4s ", national, national + 3, national + 7);
	if (nn >= 4)
		buf_printf(b, "%s", national + nn - 4);
	buf_putc(b, '\n');
}

/* ------------------------------------------------------------------ customers */

static int customer_doc(db *d, int64_t id, int *found, struct search_doc *doc, buf *t, buf *b,
			buf *x)
{
	db_stmt *st;
	int rc = db_query(d,
			  "SELECT name, company, industry, address, standing, hobbies, memorable, notes,"
			  " contacts, phone, email, wechat, tags, archived_at, version, updated_at"
			  " FROM customers WHERE id = ?",
			  DB_ARGS(DBI(id)), &st);
	if (rc < 0)
		return rc;
	rc = db_step(st);
	*found = rc == DB_ROW;
	if (rc == DB_ROW) {
		const char *name = db_col_text(st, 0), *company = db_col_text(st, 1);
		buf_puts(t, name);
		if (*company && strcmp(company, name))
			buf_printf(t, " %s", company);
		for (int i = 1; i <= 7; i++)
			line(b, db_col_text(st, i));
		json_lines(b, db_col_text(st, 8), "name");
		json_lines(b, db_col_text(st, 8), "role");
		phone_forms(x, db_col_text(st, 9));
		line(x, db_col_text(st, 10));
		line(x, db_col_text(st, 11));
		json_lines(x, db_col_text(st, 12), NULL);
		json_t *cs = json_loads(db_col_text(st, 8), 0, NULL);
		size_t i;
		json_t *c;
		json_array_foreach(cs, i, c)
		{
			phone_forms(x, json_string_value(json_object_get(c, "phone")));
			line(x, json_string_value(json_object_get(c, "email")));
			line(x, json_string_value(json_object_get(c, "wechat")));
		}
		json_decref(cs);
		doc->hidden = !db_col_null(st, 13);
		doc->src_version = db_col_int(st, 14);
		doc->src_mark = db_col_int(st, 15);
		rc = 0;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ cases */

static int cases_state = -1; /* -1 unknown, 0 absent, 1 present */

int search_has_cases(db *d)
{
	int s = __atomic_load_n(&cases_state, __ATOMIC_ACQUIRE);
	if (s >= 0)
		return s;
	int64_t one;
	int rc = db_query_int(d,
			      d->kind == DB_PG
				      ? "SELECT 1 WHERE to_regclass('case_events') IS NOT NULL"
				      : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
					"'case_events'",
			      DB_ARGS(), &one);
	if (rc < 0)
		return 0;
	/* Only presence is remembered: a migration may add the tables later. */
	if (rc == DB_ROW)
		__atomic_store_n(&cases_state, 1, __ATOMIC_RELEASE);
	return rc == DB_ROW;
}

/* Title: number and subject.  Body: what was said (description, demand,
 * every timeline entry with text, in order).  Extra: tags and the
 * customer's name and company, so "张三 断线" finds 张三's case. */
static int case_doc(db *d, int64_t id, int *found, struct search_doc *doc, buf *t, buf *b, buf *x)
{
	db_stmt *st;
	int rc = db_query(d,
			  "SELECT c.number, c.subject, c.description, c.demand, c.explanation,"
			  " c.handling_result, c.resolution, c.tags, c.version, cu.name, cu.company"
			  " FROM cases c LEFT JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?",
			  DB_ARGS(DBI(id)), &st);
	if (rc < 0)
		return rc;
	rc = db_step(st);
	*found = rc == DB_ROW;
	if (rc == DB_ROW) {
		buf_printf(t, "%s %s", db_col_text(st, 0), db_col_text(st, 1));
		for (int i = 2; i <= 6; i++)
			line(b, db_col_text(st, i));
		json_lines(x, db_col_text(st, 7), NULL);
		line(x, db_col_text(st, 9));
		line(x, db_col_text(st, 10));
		doc->src_version = db_col_int(st, 8);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : 0;
	if ((rc = db_query(d,
			   "SELECT id, body FROM case_events WHERE case_id = ? AND body <> ''"
			   " AND kind <> 'created' ORDER BY id",
			   DB_ARGS(DBI(id)), &st)) < 0)
		return rc;
	doc->src_mark = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		doc->src_mark = db_col_int(st, 0);
		line(b, db_col_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		return rc;
	/* The mark is the newest event of any kind, so that the catch-up can
	 * tell a case whose timeline moved on. */
	int64_t last = 0;
	rc = db_query_int(d, "SELECT COALESCE(MAX(id), 0) FROM case_events WHERE case_id = ?",
			  DB_ARGS(DBI(id)), &last);
	doc->src_mark = last;
	return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ knowledge base */

static int kb_doc(db *d, int64_t id, int *found, struct search_doc *doc, buf *t, buf *b, buf *x)
{
	db_stmt *st;
	int rc = db_query(d,
			  "SELECT v.title, v.questions, v.answer, v.tags, k.name_zh, k.name_en,"
			  " v.version_no FROM kb_answers a JOIN kb_versions v"
			  " ON v.id = a.published_version_id JOIN kb_categories k ON k.id = v.category_id"
			  " WHERE a.id = ? AND a.status = 'published'",
			  DB_ARGS(DBI(id)), &st);
	if (rc < 0)
		return rc;
	rc = db_step(st);
	*found = rc == DB_ROW;
	if (rc == DB_ROW) {
		line(t, db_col_text(st, 0));
		json_lines(t, db_col_text(st, 1), NULL);
		buf_puts(b, db_col_text(st, 2));
		json_lines(x, db_col_text(st, 3), NULL);
		line(x, db_col_text(st, 4));
		line(x, db_col_text(st, 5));
		doc->src_version = db_col_int(st, 6);
		doc->src_mark = 0;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ one record */

typedef int (*doc_fn)(db *d, int64_t id, int *found, struct search_doc *doc, buf *t, buf *b,
		      buf *x);

static const doc_fn doc_fns[SEARCH__COUNT] = {customer_doc, case_doc, kb_doc};

static int index_one(db *d, enum search_kind k, int64_t id)
{
	buf t, b, x;
	buf_init(&t, DOC_MAX);
	buf_init(&b, DOC_MAX);
	buf_init(&x, DOC_MAX);
	struct search_doc doc = {.id = id};
	int found = 0;
	int rc = doc_fns[k](d, id, &found, &doc, &t, &b, &x);
	if (rc == 0) {
		doc.title = t.data ? t.data : "";
		doc.body = b.data ? b.data : "";
		doc.extra = x.data ? x.data : "";
		rc = found ? search_put(d, k, &doc) : search_remove(d, k, id);
	}
	buf_release(&t);
	buf_release(&b);
	buf_release(&x);
	return rc;
}

int search_index_customer(db *d, int64_t customer_id)
{
	return index_one(d, SEARCH_CUSTOMER, customer_id);
}

int search_index_case(db *d, int64_t case_id)
{
	return index_one(d, SEARCH_CASE, case_id);
}

int search_index_kb(db *d, int64_t answer_id)
{
	return index_one(d, SEARCH_KB, answer_id);
}

/* ------------------------------------------------------------------ catching up */

/* The current version and mark of a record, as its document would have
 * them; DB_DONE if the record is gone. */
static int source_version(db *d, enum search_kind k, int64_t id, int64_t *version, int64_t *mark)
{
	static const char *const sql[SEARCH__COUNT] = {
		"SELECT version, updated_at FROM customers WHERE id = ?",
		"SELECT version, (SELECT COALESCE(MAX(e.id), 0) FROM case_events e"
		" WHERE e.case_id = c.id) FROM cases c WHERE c.id = ?",
		"SELECT v.version_no, 0 FROM kb_answers a JOIN kb_versions v"
		" ON v.id = a.published_version_id WHERE a.id = ? AND a.status = 'published'",
	};
	db_stmt *st;
	int rc = db_query(d, sql[k], DB_ARGS(DBI(id)), &st);
	if (rc < 0)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*version = db_col_int(st, 0);
		*mark = db_col_int(st, 1);
	}
	db_done(st);
	return rc;
}

/* 1 if the index does not hold the record as it is now. */
static int stale(db *d, enum search_kind k, int64_t id)
{
	int64_t sv = 0, sm = 0, iv = 0, im = 0;
	int src = source_version(d, k, id, &sv, &sm);
	int idx = search_indexed(d, k, id, &iv, &im);
	if (src < 0 || idx < 0)
		return src < 0 ? src : idx;
	if (src != DB_ROW)
		return idx == DB_ROW; /* gone: stale if still indexed */
	return idx != DB_ROW || sv != iv || sm != im;
}

struct todo {
	enum search_kind kind[SEARCH_REFRESH_BUDGET];
	int64_t id[SEARCH_REFRESH_BUDGET];
	int n, max;
};

static int todo_add(struct todo *t, enum search_kind k, int64_t id)
{
	for (int i = 0; i < t->n; i++)
		if (t->kind[i] == k && t->id[i] == id)
			return 0;
	if (t->n == t->max)
		return 1; /* full */
	t->kind[t->n] = k;
	t->id[t->n++] = id;
	return 0;
}

static int state_get(db *d, const char *name, int64_t *v)
{
	*v = 0;
	int rc = db_query_int(d, "SELECT value FROM search_state WHERE name = ?", DB_ARGS(DBT(name)), v);
	return rc < 0 ? rc : 0;
}

static int state_set(db *d, const char *name, int64_t v)
{
	int rc = db_exec(d,
			 "INSERT INTO search_state (name, value) VALUES (?, ?)"
			 " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
			 DB_ARGS(DBT(name), DBI(v)));
	return rc < 0 ? rc : 0;
}

/* Records above the highest id indexed (bulk loads write no feed). */
static int scan_new(db *d, enum search_kind k, const char *table, const char *cond,
		    struct todo *t)
{
	int64_t max = search_max_id(d, k);
	if (max < 0)
		return (int)max;
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE id > ?%s ORDER BY id LIMIT %d", table,
		 cond, t->max - t->n + 1);
	db_stmt *st;
	int rc = db_query(d, sql, DB_ARGS(DBI(max)), &st);
	if (rc < 0)
		return rc;
	while ((rc = db_step(st)) == DB_ROW && !todo_add(t, k, db_col_int(st, 0)))
		;
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* A change feed (audit_log or case_events) past its watermark: every id
 * row names a record that may have changed.  *mark becomes the new
 * watermark: the last id before a gap younger than SEARCH_GAP_MS, or
 * before the first row that did not fit. */
static int scan_feed(db *d, const char *sql, int64_t from, int64_t now, struct todo *t,
		     int64_t *mark)
{
	db_stmt *st;
	int rc = db_query(d, sql, DB_ARGS(DBI(from)), &st);
	if (rc < 0)
		return rc;
	int64_t expect = from + 1;
	int held = 0;
	*mark = from;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0), at = db_col_int(st, 3);
		if (id != expect && at > now - SEARCH_GAP_MS)
			held = 1; /* an older id may still commit */
		expect = id + 1;
		int k = search_kind_parse(db_col_text(st, 1));
		int64_t rid = db_col_int(st, 2);
		int r = 0;
		if (k >= 0 && (r = stale(d, k, rid)) < 0) {
			rc = r;
			break;
		}
		if (r && todo_add(t, k, rid))
			break;
		if (!held)
			*mark = id;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int collect(db *d, struct todo *t, int64_t *audit_mark, int64_t *event_mark)
{
	int64_t now = util_now_ms(), from;
	int rc, cases = search_has_cases(d);
	if ((rc = scan_new(d, SEARCH_CUSTOMER, "customers", "", t)) < 0 ||
	    (rc = scan_new(d, SEARCH_KB, "kb_answers", " AND status = 'published'", t)) < 0 ||
	    (cases && (rc = scan_new(d, SEARCH_CASE, "cases", "", t)) < 0))
		return rc;
	if ((rc = state_get(d, "audit", &from)) < 0 ||
	    (rc = scan_feed(d,
			    "SELECT id, entity, entity_id, at FROM audit_log WHERE id > ?"
			    " ORDER BY id LIMIT 5000",
			    from, now, t, audit_mark)) < 0)
		return rc;
	*event_mark = 0;
	if (!cases)
		return 0;
	if ((rc = state_get(d, "case_events", &from)) < 0)
		return rc;
	return scan_feed(d,
			 "SELECT id, 'case', case_id, at FROM case_events WHERE id > ?"
			 " ORDER BY id LIMIT 5000",
			 from, now, t, event_mark);
}

int search_refresh(db *d, int budget)
{
	if (search_setup(d) < 0)
		return DB_EFAIL;
	struct todo *t = calloc(1, sizeof(*t));
	if (!t)
		return DB_EFAIL;
	t->max = budget < 1 ? 1 : budget > SEARCH_REFRESH_BUDGET ? SEARCH_REFRESH_BUDGET : budget;
	int64_t audit_mark = 0, event_mark = 0, old_audit = 0, old_event = 0;
	int rc = collect(d, t, &audit_mark, &event_mark);
	if (rc == 0)
		rc = state_get(d, "audit", &old_audit);
	if (rc == 0)
		rc = state_get(d, "case_events", &old_event);
	int moved = audit_mark > old_audit || event_mark > old_event;
	if (rc < 0 || (!t->n && !moved)) {
		free(t);
		return rc < 0 ? rc : 0;
	}
	/* In the caller's transaction if it holds one (SQLite's writer lock
	 * must not be taken twice by one thread), else in our own. */
	int own = !d->in_tx;
	if (own && (rc = db_begin(d)) < 0) {
		free(t);
		return rc;
	}
	for (int i = 0; i < t->n && rc >= 0; i++)
		rc = index_one(d, t->kind[i], t->id[i]);
	if (rc >= 0 && audit_mark > old_audit)
		rc = state_set(d, "audit", audit_mark);
	if (rc >= 0 && event_mark > old_event)
		rc = state_set(d, "case_events", event_mark);
	if (rc < 0)
		log_error("search: catching up failed: %s", db_errmsg(d));
	if (own && rc < 0)
		db_rollback(d);
	else if (own)
		rc = db_commit(d);
	int n = t->n;
	free(t);
	return rc < 0 ? rc : n;
}

int search_job_run(db *d, int64_t now, char *summary, size_t len)
{
	KF_UNUSED(now);
	int n, total = 0, rounds = 0;
	int64_t until = util_mono_us() + SEARCH_JOB_BUDGET_MS * 1000LL;
	while ((n = search_refresh(d, SEARCH_REFRESH_BUDGET)) > 0) {
		total += n;
		/* bounded, so that a server stopping waits for one round at most
		 * a few seconds; the next run goes on */
		if (++rounds == 50 || util_mono_us() > until)
			break;
	}
	if (n < 0) {
		snprintf(summary, len, "error: %.150s", db_errmsg(d));
		return -1;
	}
	snprintf(summary, len, "indexed %d records", total);
	return total;
}

/* ------------------------------------------------------------------ rebuilding */

static const char *const rebuild_sql[SEARCH__COUNT] = {
	"SELECT id FROM customers WHERE id > ? ORDER BY id LIMIT 1000",
	"SELECT id FROM cases WHERE id > ? ORDER BY id LIMIT 1000",
	"SELECT id FROM kb_answers WHERE id > ? AND status = 'published' ORDER BY id LIMIT 1000",
};

static long rebuild_kind(db *d, enum search_kind k, long done,
			 void (*progress)(long done, void *ctx), void *ctx)
{
	int rc = db_begin(d);
	if (rc == 0 && (rc = search_clear(d, k)) == 0)
		rc = db_commit(d);
	else if (rc == 0)
		db_rollback(d);
	if (rc < 0)
		return rc;
	int64_t after = 0, ids[1000];
	for (;;) {
		db_stmt *st;
		int n = 0;
		if ((rc = db_query(d, rebuild_sql[k], DB_ARGS(DBI(after)), &st)) < 0)
			return rc;
		while ((rc = db_step(st)) == DB_ROW)
			ids[n++] = db_col_int(st, 0);
		db_done(st);
		if (rc < 0)
			return rc;
		if (!n)
			return done;
		if ((rc = db_begin(d)) < 0)
			return rc;
		for (int i = 0; i < n && rc >= 0; i++)
			rc = index_one(d, k, ids[i]);
		if (rc < 0) {
			db_rollback(d);
			return rc;
		}
		if ((rc = db_commit(d)) < 0)
			return rc;
		after = ids[n - 1];
		done += n;
		if (progress)
			progress(done, ctx);
	}
}

long search_reindex(db *d, int kind, void (*progress)(long done, void *ctx), void *ctx,
		    struct search_reindex_stats *stats)
{
	if (search_setup(d) < 0)
		return DB_EFAIL;
	/* The feeds' watermarks first: whatever changes during the rebuild is
	 * caught up afterwards. */
	int64_t audit = 0, events = 0;
	int rc = db_query_int(d, "SELECT COALESCE(MAX(id), 0) FROM audit_log", DB_ARGS(), &audit);
	int cases = search_has_cases(d);
	if (rc >= 0 && cases)
		rc = db_query_int(d, "SELECT COALESCE(MAX(id), 0) FROM case_events", DB_ARGS(),
				  &events);
	if (rc < 0)
		return rc;
	long done = 0;
	for (int k = 0; k < SEARCH__COUNT; k++) {
		if ((kind >= 0 && k != kind) || (k == SEARCH_CASE && !cases))
			continue;
		long before = done;
		int64_t t0 = util_mono_us();
		if ((done = rebuild_kind(d, k, done, progress, ctx)) < 0)
			return done;
		if (stats) {
			stats->n[k] = done - before;
			stats->secs[k] = (double)(util_mono_us() - t0) / 1e6;
		}
	}
	if (kind < 0) {
		if ((rc = db_begin(d)) < 0)
			return rc;
		rc = state_set(d, "audit", audit);
		if (rc >= 0)
			rc = state_set(d, "case_events", events);
		if (rc < 0) {
			db_rollback(d);
			return rc;
		}
		if ((rc = db_commit(d)) < 0)
			return rc;
	}
	return done;
}
