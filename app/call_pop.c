/* call_pop.c - the screen pop: what an agent sees the moment a call rings
 * (DOMAIN §5: "the agent grasps the problem quickly").
 *
 * Built from a handful of indexed reads, outside any transaction: the
 * call, the caller's customer file (a summary, masked like everywhere
 * else), their open cases, due commitments and last visit, their recent
 * calls.  An unknown number gets a prefilled "new customer + new case".
 *
 * Sections that belong to other parts of kefu (cases, commitments,
 * visits) are read only when their tables exist; each says whether it is
 * available, so the UI can tell "none" from "not known". */
#include "app/calls.h"

#include <stdatomic.h>
#include <string.h>

#include "core/mask.h"
#include "core/phone.h"
#include "lib/common.h"
#include "lib/util.h"

/* Tables other migrations create (0002 cases, 0007 follow-ups); seen once, they stay. */
static const char *const known_tables[] = {"cases", "commitments", "followups", NULL};
static atomic_int table_seen[8];

int hotline_table_exists(db *d, const char *name)
{
	int slot = -1;
	for (int i = 0; known_tables[i]; i++)
		if (!strcmp(known_tables[i], name))
			slot = i;
	if (slot >= 0 && atomic_load(&table_seen[slot]))
		return 1;
	int64_t one = 0;
	int rc = db_query_int(
		d,
		d->kind == DB_PG
			? "SELECT 1 FROM information_schema.tables WHERE table_name = ?"
			  " AND table_schema = current_schema()"
			: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
		DB_ARGS(DBT(name)), &one);
	if (rc == DB_ROW && slot >= 0)
		atomic_store(&table_seen[slot], 1);
	return rc == DB_ROW;
}

static void w_int_or_null(jw *w, db_stmt *st, int col)
{
	if (db_col_null(st, col))
		jw_null(w);
	else
		jw_int(w, db_col_int(st, col));
}

struct pop_call {
	int64_t id, customer_id, case_id;
	char caller[40];
};

static int write_call(db *d, int64_t call_id, jw *w, struct pop_call *pc)
{
	db_stmt *st;
	if (db_query(d,
		     "SELECT id, call_key, direction, state, queue, caller, callee, customer_id,"
		     " case_id, offered_at, ringing_at, answered_at, agent_id FROM calls WHERE id = ?",
		     DB_ARGS(DBI(call_id)), &st) < 0)
		return -1;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc < 0 ? rc : KF_ENOTFOUND;
	}
	pc->id = db_col_int(st, 0);
	pc->customer_id = db_col_null(st, 7) ? 0 : db_col_int(st, 7);
	pc->case_id = db_col_null(st, 8) ? 0 : db_col_int(st, 8);
	snprintf(pc->caller, sizeof(pc->caller), "%s", db_col_text(st, 5));
	char disp[PHONE_DISPLAY_SIZE];
	phone_display(pc->caller, disp, sizeof(disp));
	jw_key(w, "call");
	jw_obj(w);
	static const char *const names[] = {"id", "call_id", "direction", "state", "queue"};
	for (int i = 0; i < 5; i++) {
		jw_key(w, names[i]);
		if (i == 0)
			jw_int(w, db_col_int(st, 0));
		else
			jw_str(w, db_col_text(st, i));
	}
	jw_key(w, "caller");
	jw_str(w, pc->caller);
	jw_key(w, "caller_display");
	jw_str(w, disp);
	jw_key(w, "callee");
	jw_str(w, db_col_text(st, 6));
	jw_key(w, "case_id");
	w_int_or_null(w, st, 8);
	jw_key(w, "offered_at");
	w_int_or_null(w, st, 9);
	jw_key(w, "ringing_at");
	w_int_or_null(w, st, 10);
	jw_key(w, "answered_at");
	w_int_or_null(w, st, 11);
	jw_obj_end(w);
	db_done(st);
	return 0;
}

static int write_customer(db *d, int64_t id, int64_t user_id, int role, jw *w)
{
	db_stmt *st;
	if (db_query(d,
		     "SELECT c.id, c.name, c.kind, c.company, c.industry, c.phone, c.tier, c.value_class,"
		     " c.lifecycle, c.owner_id, u.display_name, c.tags, c.notes, c.dnd, c.birthday,"
		     " c.memorable, c.preferences, c.archived_at,"
		     " (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id),"
		     " (SELECT COALESCE(SUM(o.amount_fen), 0) FROM orders o WHERE o.customer_id = c.id),"
		     " (SELECT MAX(o.ordered_at) FROM orders o WHERE o.customer_id = c.id)"
		     " FROM customers c LEFT JOIN users u ON u.id = c.owner_id WHERE c.id = ?",
		     DB_ARGS(DBI(id)), &st) < 0)
		return -1;
	int rc = db_step(st);
	jw_key(w, "customer");
	if (rc != DB_ROW) {
		jw_null(w);
		db_done(st);
		return rc < 0 ? rc : 0;
	}
	int64_t owner = db_col_null(st, 9) ? 0 : db_col_int(st, 9);
	int masked = role < ROLE_SUPERVISOR && owner != user_id;
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, 0));
	static const char *const text[] = {NULL, "name", "kind", "company", "industry"};
	for (int i = 1; i <= 4; i++) {
		jw_key(w, text[i]);
		jw_str(w, db_col_text(st, i));
	}
	jw_key(w, "phone");
	if (db_col_null(st, 5)) {
		jw_null(w);
	} else {
		char m[MASK_SIZE];
		if (masked)
			mask_phone(db_col_text(st, 5), m, sizeof(m));
		jw_str(w, masked ? m : db_col_text(st, 5));
	}
	jw_key(w, "phone_masked");
	jw_bool(w, masked && !db_col_null(st, 5));
	static const char *const cls[] = {"tier", "value_class", "lifecycle"};
	for (int i = 0; i < 3; i++) {
		jw_key(w, cls[i]);
		jw_str(w, db_col_text(st, 6 + i));
	}
	jw_key(w, "owner");
	if (owner) {
		jw_obj(w);
		jw_key(w, "id");
		jw_int(w, owner);
		jw_key(w, "display_name");
		jw_str(w, db_col_text(st, 10));
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "tags");
	jw_raw(w, db_col_text(st, 11));
	jw_key(w, "notes");
	jw_str(w, db_col_text(st, 12));
	jw_key(w, "dnd");
	jw_raw(w, db_col_text(st, 13));
	jw_key(w, "birthday");
	jw_str(w, db_col_text(st, 14));
	jw_key(w, "memorable");
	jw_str(w, db_col_text(st, 15));
	jw_key(w, "preferences");
	jw_raw(w, db_col_text(st, 16));
	jw_key(w, "archived");
	jw_bool(w, !db_col_null(st, 17));
	jw_key(w, "orders");
	jw_obj(w);
	jw_key(w, "count");
	jw_int(w, db_col_int(st, 18));
	jw_key(w, "total_fen");
	jw_int(w, db_col_int(st, 19));
	jw_key(w, "last_at");
	w_int_or_null(w, st, 20);
	jw_obj_end(w);
	jw_obj_end(w);
	db_done(st);
	return 0;
}

/* Open cases, newest first (cases.customer_id is indexed). */
static int write_open_cases(db *d, int64_t customer_id, jw *w)
{
	int have = customer_id && hotline_table_exists(d, "cases");
	jw_key(w, "open_cases_available");
	jw_bool(w, hotline_table_exists(d, "cases"));
	jw_key(w, "open_cases");
	jw_arr(w);
	db_stmt *st;
	if (have && db_query(d,
			     "SELECT id, number, type, subject, state, priority, created_at, sla_due_at,"
			     " assignee_id FROM cases WHERE customer_id = ? AND is_open = 1"
			     " ORDER BY id DESC LIMIT 10",
			     DB_ARGS(DBI(customer_id)), &st) == 0) {
		while (db_step(st) == DB_ROW) {
			jw_obj(w);
			jw_key(w, "id");
			jw_int(w, db_col_int(st, 0));
			static const char *const k[] = {NULL, "number", "type", "subject", "state",
							"priority"};
			for (int i = 1; i <= 5; i++) {
				jw_key(w, k[i]);
				jw_str(w, db_col_text(st, i));
			}
			jw_key(w, "created_at");
			w_int_or_null(w, st, 6);
			jw_key(w, "sla_due_at");
			w_int_or_null(w, st, 7);
			jw_key(w, "assignee_id");
			w_int_or_null(w, st, 8);
			jw_obj_end(w);
		}
		db_done(st);
	}
	jw_arr_end(w);
	return 0;
}

static void w_user(jw *w, db_stmt *st, int id_col, int name_col)
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

/* The customer's open commitments (DOMAIN §2: every promise kept), the
 * soonest due first, overdue ones flagged (follow-ups, migration 0007). */
static void pop_commitments(db *d, int64_t customer_id, jw *w)
{
	int have = hotline_table_exists(d, "commitments");
	jw_key(w, "commitments_available");
	jw_bool(w, have);
	jw_key(w, "commitments_due");
	jw_arr(w);
	db_stmt *st;
	int64_t now = util_now_ms();
	if (have && customer_id &&
	    db_query(d,
		     "SELECT c.id, c.content, c.due_at, c.case_id, c.followup_id, c.made_by,"
		     " u.display_name FROM commitments c LEFT JOIN users u ON u.id = c.made_by"
		     " WHERE c.customer_id = ? AND c.state = 'open' ORDER BY c.due_at, c.id LIMIT 10",
		     DB_ARGS(DBI(customer_id)), &st) == 0) {
		while (db_step(st) == DB_ROW) {
			jw_obj(w);
			jw_key(w, "id");
			jw_int(w, db_col_int(st, 0));
			jw_key(w, "content");
			jw_str(w, db_col_text(st, 1));
			jw_key(w, "due_at");
			jw_int(w, db_col_int(st, 2));
			jw_key(w, "overdue");
			jw_bool(w, db_col_int(st, 2) < now);
			jw_key(w, "case_id");
			w_int_or_null(w, st, 3);
			jw_key(w, "followup_id");
			w_int_or_null(w, st, 4);
			jw_key(w, "made_by");
			w_user(w, st, 5, 6);
			jw_obj_end(w);
		}
		db_done(st);
	}
	jw_arr_end(w);
}

static void write_visit(jw *w, db_stmt *st, int done)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_int(w, db_col_int(st, 0));
	jw_key(w, "kind");
	jw_str(w, db_col_text(st, 1));
	jw_key(w, "title");
	jw_str(w, db_col_text(st, 2));
	jw_key(w, done ? "closed_at" : "due_at");
	jw_int(w, db_col_int(st, 3));
	if (done) {
		static const char *const k[] = {"outcome", "evaluation", "suggestions", "next_step"};
		for (int i = 0; i < 4; i++) {
			jw_key(w, k[i]);
			jw_str(w, db_col_text(st, 4 + i));
		}
		jw_key(w, "by");
		w_user(w, st, 8, 9);
	} else {
		jw_key(w, "call_at");
		jw_int(w, db_col_int(st, 4));
	}
	jw_obj_end(w);
}

/* The customer's last finished visit (回访) and the next one planned. */
static void pop_last_visit(db *d, int64_t customer_id, jw *w)
{
	int have = hotline_table_exists(d, "followups");
	jw_key(w, "last_visit_available");
	jw_bool(w, have);
	db_stmt *st;
	jw_key(w, "last_visit");
	if (have && customer_id &&
	    db_query(d,
		     "SELECT f.id, f.kind, f.title, f.closed_at, COALESCE(f.outcome, ''), f.evaluation,"
		     " f.suggestions, f.next_step, f.closed_by, u.display_name FROM followups f"
		     " LEFT JOIN users u ON u.id = f.closed_by"
		     " WHERE f.customer_id = ? AND f.state = 'done' ORDER BY f.closed_at DESC LIMIT 1",
		     DB_ARGS(DBI(customer_id)), &st) == 0) {
		if (db_step(st) == DB_ROW)
			write_visit(w, st, 1);
		else
			jw_null(w);
		db_done(st);
	} else {
		jw_null(w);
	}
	jw_key(w, "next_visit");
	if (have && customer_id &&
	    db_query(d,
		     "SELECT id, kind, title, due_at, call_at FROM followups"
		     " WHERE customer_id = ? AND state = 'open' ORDER BY due_at LIMIT 1",
		     DB_ARGS(DBI(customer_id)), &st) == 0) {
		if (db_step(st) == DB_ROW)
			write_visit(w, st, 0);
		else
			jw_null(w);
		db_done(st);
	} else {
		jw_null(w);
	}
}

static void write_recent_calls(db *d, const struct pop_call *pc, jw *w)
{
	jw_key(w, "recent_calls");
	jw_arr(w);
	db_stmt *st;
	if (pc->customer_id &&
	    db_query(d,
		     "SELECT c.id, c.direction, c.state, c.offered_at, c.answered_at, c.ended_at,"
		     " c.wrapup_code, c.agent_id, u.display_name, c.created_at FROM calls c"
		     " LEFT JOIN users u ON u.id = c.agent_id WHERE c.customer_id = ? AND c.id <> ?"
		     " ORDER BY c.id DESC LIMIT 5",
		     DB_ARGS(DBI(pc->customer_id), DBI(pc->id)), &st) == 0) {
		while (db_step(st) == DB_ROW) {
			jw_obj(w);
			jw_key(w, "id");
			jw_int(w, db_col_int(st, 0));
			jw_key(w, "direction");
			jw_str(w, db_col_text(st, 1));
			jw_key(w, "state");
			jw_str(w, db_col_text(st, 2));
			jw_key(w, "at");
			jw_int(w, db_col_null(st, 3) ? db_col_int(st, 9) : db_col_int(st, 3));
			jw_key(w, "wrapup_code");
			if (db_col_null(st, 6))
				jw_null(w);
			else
				jw_str(w, db_col_text(st, 6));
			jw_key(w, "agent");
			if (db_col_null(st, 7)) {
				jw_null(w);
			} else {
				jw_obj(w);
				jw_key(w, "id");
				jw_int(w, db_col_int(st, 7));
				jw_key(w, "display_name");
				jw_str(w, db_col_text(st, 8));
				jw_obj_end(w);
			}
			jw_obj_end(w);
		}
		db_done(st);
	}
	jw_arr_end(w);
}

/* For an unknown number: what the "new customer + new case" form starts with. */
static void write_suggestion(const struct pop_call *pc, jw *w)
{
	jw_key(w, "suggest");
	if (pc->customer_id) {
		jw_null(w);
		return;
	}
	char disp[PHONE_DISPLAY_SIZE];
	phone_display(pc->caller, disp, sizeof(disp));
	jw_obj(w);
	jw_key(w, "customer");
	jw_obj(w);
	jw_key(w, "phone");
	jw_str(w, pc->caller);
	jw_key(w, "kind");
	jw_str(w, "person");
	jw_key(w, "source");
	jw_str(w, "external");
	jw_obj_end(w);
	jw_key(w, "case");
	jw_obj(w);
	jw_key(w, "channel");
	jw_str(w, "phone");
	jw_key(w, "type");
	jw_str(w, "inquiry");
	jw_key(w, "call_id");
	jw_int(w, pc->id);
	jw_key(w, "subject");
	char subject[96];
	snprintf(subject, sizeof(subject), "来电 %s", *disp ? disp : "未知号码");
	jw_str(w, subject);
	jw_obj_end(w);
	jw_obj_end(w);
}

int pop_write(db *d, int64_t call_id, int64_t user_id, int user_role, buf *out)
{
	jw w;
	jw_init(&w, out);
	jw_obj(&w);
	struct pop_call pc;
	memset(&pc, 0, sizeof(pc));
	int rc = write_call(d, call_id, &w, &pc);
	if (rc < 0)
		return rc;
	jw_key(&w, "unknown_caller");
	jw_bool(&w, pc.customer_id == 0);
	if (pc.customer_id)
		rc = write_customer(d, pc.customer_id, user_id, user_role, &w);
	else {
		jw_key(&w, "customer");
		jw_null(&w);
	}
	if (rc < 0)
		return rc;
	write_open_cases(d, pc.customer_id, &w);
	pop_commitments(d, pc.customer_id, &w);
	pop_last_visit(d, pc.customer_id, &w);
	write_recent_calls(d, &pc, &w);
	write_suggestion(&pc, &w);
	jw_key(&w, "published_at");
	jw_int(&w, util_now_ms());
	jw_obj_end(&w);
	return jw_failed(&w) ? KF_EINTERNAL : 0;
}

int calls_pop_get(http_req *r)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(r, 0, &id)) < 0)
		return rc;
	buf b;
	buf_init(&b, 1 << 20);
	rc = pop_write(r->db, id, r->user.id, r->user.role, &b);
	if (rc == KF_ENOTFOUND) {
		buf_release(&b);
		return http_fail(r, KF_ENOTFOUND, "id", "通话 %lld 不存在", "Call %lld does not exist",
				 (long long)id);
	}
	if (rc < 0) {
		buf_release(&b);
		return app_db_fail(r, DB_EFAIL, NULL);
	}
	return http_json_buf(r, 200, &b);
}
