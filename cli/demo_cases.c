/* demo_cases.c - realistic demo cases, in bulk (see demo_cases.h).
 *
 * Cases are spread over the past two years (or the span given) in time order (ids grow with
 * time), mostly closed or archived; about half of the last fortnight's and
 * one in a hundred older ones are still open, so every agent has an inbox
 * of a few thousand at 1,000,000 cases.  Numbers, SLA policies and due
 * times are computed as the API does (policies matched by core/sla.c, the
 * business calendar and time zone from the database); targets already
 * missed are marked escalated so that the breach job does not wake up to
 * thousands of historical breaches. */
#include "cli/demo_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/case.h"
#include "app/tz.h"
#include "core/demo.h"
#include "core/sla.h"
#include "lib/arena.h"
#include "lib/common.h"
#include "lib/util.h"

enum { BATCH = 1000, MAX_AGENTS = 64, MAX_CAUSES = 64, MAX_POLICIES = 64 };
#define RECENT_MS (14LL * 86400000)

struct agent {
	int64_t id, dept;
};

struct gen {
	db *d;
	arena *a;
	struct demo_rng rng;
	int64_t now;
	struct agent agents[MAX_AGENTS];
	int nagents;
	int64_t *cust;
	unsigned char *cust_key, *cust_tier;
	size_t ncust;
	struct sla_policy pol[MAX_POLICIES];
	size_t npol;
	int64_t causes[MAX_CAUSES];
	int ncauses;
	struct case_clock clock;
	int32_t day;
	int64_t seq;
	char day_text[40];
	unsigned open_turn[2]; /* open states are dealt in turn, so each one has cases */
};

static const char *const tiers[] = {"top", "high", "mid", "low", "inactive", "potential"};

/* Subjects by type, as customers put them. */
static const char *const subjects[][6] = {
	{"咨询发票开具流程", "询问产品保修期", "咨询会员积分规则", "门店营业时间", "如何修改收货地址", "询问退款进度"},
	{"空调维修后仍不制冷", "送货延误三天未通知", "客服电话长时间无人接听", "收到的商品有划痕", "安装师傅态度恶劣",
	 "重复扣款未退还"},
	{"洗衣机漏水需上门维修", "申请七天无理由退货", "热水器安装预约", "冰箱噪音大申请换货", "路由器无法联网",
	 "电视遥控器失灵"},
	{"建议延长热线服务时间", "希望增加微信预约", "建议简化退货流程", "希望提供上门回收", "建议短信通知进度",
	 "建议增加英文说明书"},
	{"表扬维修师傅认真负责", "感谢客服耐心解答", "送货员服务热情", "安装迅速规范", "回访及时贴心",
	 "处理投诉专业"},
};
static const char *const types[] = {"inquiry", "complaint", "after_sales", "suggestion", "praise"};
static const int type_weight[] = {40, 20, 25, 10, 5};
static const char *const priorities[] = {"low", "normal", "high", "urgent"};
static const int prio_weight[] = {20, 55, 18, 7};
static const char *const channels[] = {"phone", "web", "email", "wechat", "visit", "api"};
static const int channel_weight[] = {45, 15, 10, 22, 5, 3};
static const char *const emotions[] = {"calm", "angry", "anxious", "sad", "loud"};
static const int emotion_weight[] = {55, 15, 20, 5, 5};
static const char *const subtypes[] = {"return_exchange", "repair", "installation", "tech_support"};
static const char *const complaint_open[] = {"intake", "assessment", "planning", "handling", "follow_up"};
static const char *const simple_open[] = {"open", "open", "open", "pending", "resolved"};

static int pick(struct gen *g, const int *weights, int n)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += weights[i];
	int r = (int)demo_below(&g->rng, (uint64_t)total);
	for (int i = 0; i < n; i++) {
		if (r < weights[i])
			return i;
		r -= weights[i];
	}
	return n - 1;
}

static int load_refs(struct gen *g)
{
	db_stmt *st;
	if (db_query(g->d,
		     "SELECT id, department_id FROM users WHERE role = 'agent' AND disabled = 0"
		     " AND department_id IS NOT NULL ORDER BY id LIMIT 64",
		     DB_ARGS(), &st) < 0)
		return -1;
	while (g->nagents < MAX_AGENTS && db_step(st) == DB_ROW) {
		g->agents[g->nagents].id = db_col_int(st, 0);
		g->agents[g->nagents++].dept = db_col_int(st, 1);
	}
	db_done(st);
	int64_t count = 0;
	db_query_int(g->d, "SELECT COUNT(*) FROM customers WHERE archived_at IS NULL", DB_ARGS(), &count);
	g->cust = malloc((size_t)(count + 1) * sizeof(int64_t));
	g->cust_key = malloc((size_t)count + 1);
	g->cust_tier = malloc((size_t)count + 1);
	if (!g->cust || !g->cust_key || !g->cust_tier ||
	    db_query(g->d, "SELECT id, value_class, tier FROM customers WHERE archived_at IS NULL ORDER BY id",
		     DB_ARGS(), &st) < 0)
		return -1;
	while (g->ncust < (size_t)count && db_step(st) == DB_ROW) {
		g->cust[g->ncust] = db_col_int(st, 0);
		g->cust_key[g->ncust] = !strcmp(db_col_text(st, 1), "key");
		g->cust_tier[g->ncust] = 5;
		for (unsigned char t = 0; t < KF_ARRAY_LEN(tiers); t++)
			if (!strcmp(db_col_text(st, 2), tiers[t]))
				g->cust_tier[g->ncust] = t;
		g->ncust++;
	}
	db_done(st);
	if (db_query(g->d, "SELECT id FROM root_causes WHERE active = 1 ORDER BY id LIMIT 64", DB_ARGS(),
		     &st) < 0)
		return -1;
	while (g->ncauses < MAX_CAUSES && db_step(st) == DB_ROW)
		g->causes[g->ncauses++] = db_col_int(st, 0);
	db_done(st);
	if (db_query(g->d,
		     "SELECT id, case_type, priority, value_class, tier, first_response_min, resolution_min"
		     " FROM sla_policies WHERE active = 1 ORDER BY id LIMIT 64",
		     DB_ARGS(), &st) < 0)
		return -1;
	while (g->npol < MAX_POLICIES && db_step(st) == DB_ROW) {
		struct sla_policy *p = &g->pol[g->npol++];
		p->id = db_col_int(st, 0);
		p->case_type = arena_strdup(g->a, db_col_text(st, 1));
		p->priority = arena_strdup(g->a, db_col_text(st, 2));
		p->value_class = arena_strdup(g->a, db_col_text(st, 3));
		p->tier = arena_strdup(g->a, db_col_text(st, 4));
		p->first_response_min = db_col_int(st, 5);
		p->resolution_min = db_col_int(st, 6);
	}
	db_done(st);
	kf_err e;
	kf_err_clear(&e);
	/* The calendar around a year ago covers the two years of cases. */
	if (case_clock_load(g->d, g->a, g->now - 365LL * 86400000, &g->clock, &e) < 0) {
		fprintf(stderr, "kefu demo: %s\n", e.en);
		return -1;
	}
	return g->nagents && g->ncust ? 0 : -2;
}

/* Writes the day's last number so that the API continues after it. */
static int flush_day(struct gen *g)
{
	if (!g->seq)
		return 0;
	return db_exec(g->d,
		       "INSERT INTO case_day_seq (on_date, n) VALUES (?, ?) ON CONFLICT (on_date)"
		       " DO UPDATE SET n = excluded.n",
		       DB_ARGS(DBT(g->day_text), DBI(g->seq)));
}

static int next_number(struct gen *g, int64_t t, char *out, size_t len)
{
	int64_t local;
	kf_err e;
	if (tz_local_min(g->clock.zone, t, &local, &e) < 0)
		return -1;
	int32_t day = (int32_t)bizcal_floor_div(local, 1440);
	int y, m, d;
	bizcal_civil_from_days(day, &y, &m, &d);
	if (day != g->day) {
		if (flush_day(g) < 0)
			return -1;
		g->day = day;
		snprintf(g->day_text, sizeof(g->day_text), "%04d-%02d-%02d", y, m, d);
		g->seq = 0;
		db_query_int(g->d, "SELECT n FROM case_day_seq WHERE on_date = ?", DB_ARGS(DBT(g->day_text)),
			     &g->seq);
	}
	return case_number_format(y, m, d, ++g->seq, out, len);
}

static int64_t plus(struct gen *g, int64_t t, int64_t minutes)
{
	int64_t out = 0;
	kf_err e;
	if (minutes <= 0 || case_clock_add(&g->clock, t, minutes, &out, &e) < 0)
		return 0;
	return out;
}

#define T(v) ((v) ? DBI(v) : DBNULL)

static int one(struct gen *g, int64_t t)
{
	int ti = pick(g, type_weight, 5), pi = pick(g, prio_weight, 4);
	const char *type = types[ti], *prio = priorities[pi];
	size_t ci = (size_t)demo_below(&g->rng, g->ncust);
	int key = g->cust_key[ci];
	const struct agent *ag = &g->agents[demo_below(&g->rng, (uint64_t)g->nagents)];
	int64_t age = g->now - t;
	int open = (int)demo_below(&g->rng, 100) < (age < RECENT_MS ? 55 : 1);
	int complaint = ti == 1;
	int pol = sla_policy_match(g->pol, g->npol, type, prio, key ? "key" : "ordinary",
				   tiers[g->cust_tier[ci]]);
	int64_t fr_min = pol >= 0 ? g->pol[pol].first_response_min : 0;
	int64_t res_min = pol >= 0 ? g->pol[pol].resolution_min : 0;
	int64_t fr_due = plus(g, t, fr_min), res_due = plus(g, t, res_min);
	char number[CASE_NUMBER_SIZE];
	if (next_number(g, t, number, sizeof(number)) < 0)
		return -1;
	/* What happened since. */
	int64_t fr_at = t + (int64_t)demo_below(&g->rng, (uint64_t)(fr_min ? fr_min : 60) * 90000);
	int64_t resolved = 0, closed = 0, paused = 0, cause = 0;
	const char *state;
	if (!open) {
		resolved = t + (int64_t)demo_below(&g->rng, (uint64_t)(res_min ? res_min : 480) * 150000);
		closed = resolved + (int64_t)demo_below(&g->rng, 2 * 86400000ULL);
		if (closed > g->now)
			closed = resolved = g->now - 60000;
		if (fr_at > resolved)
			fr_at = resolved;
		state = complaint ? (demo_below(&g->rng, 10) ? "archived" : "closed") : "closed";
		if (complaint && !strcmp(state, "archived") && g->ncauses)
			cause = g->causes[demo_below(&g->rng, (uint64_t)g->ncauses)];
	} else {
		unsigned turn = g->open_turn[complaint]++ % 5;
		state = complaint ? complaint_open[turn] : simple_open[turn];
		if (fr_at > g->now || !strcmp(state, "intake"))
			fr_at = 0;
		if (!strcmp(state, "pending"))
			paused = g->now - (int64_t)demo_below(&g->rng, 86400000);
		if (!strcmp(state, "follow_up") || !strcmp(state, "resolved"))
			resolved = g->now - (int64_t)demo_below(&g->rng, (uint64_t)(age > 0 ? age : 1));
	}
	struct case_row c = {0};
	c.is_open = open;
	c.paused_at = paused;
	c.fr_due = fr_due;
	c.res_due = res_due;
	c.first_response_at = fr_at;
	c.resolved_at = resolved;
	c.key_account = key;
	c.priority = prio;
	/* Targets missed before today count as escalated already. */
	c.escalated = (fr_due && !fr_at && fr_due < g->now ? 1 : 0) |
		      (res_due && !resolved && res_due < g->now ? 2 : 0);
	int64_t due, check, rank;
	case_derive(&c, &due, &check, &rank);
	const char *subject = subjects[ti][demo_below(&g->rng, 6)];
	const char *subtype = ti == 2 ? subtypes[demo_below(&g->rng, 4)] : "";
	int cap = case_required_capability(type, prio, key);
	db_stmt *st;
	int rc = db_query(
		g->d,
		"INSERT INTO cases (number, type, subtype, channel, priority, state, is_open, customer_id,"
		" key_account, subject, emotion, assignee_id, department_id, required_capability,"
		" created_by, root_cause_id, sla_policy_id, sla_start_at, first_response_due_at,"
		" resolve_due_at, paused_at, escalated, sla_due_at, sla_check_at, queue_rank, received_at,"
		" created_at, updated_at, first_response_at, resolved_at, closed_at, archived_at,"
		" state_changed_at, justified)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		" ?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(DBT(number), DBT(type), DBT(subtype),
			DBT(channels[pick(g, channel_weight, 6)]), DBT(prio), DBT(state), DBI(open),
			DBI(g->cust[ci]), DBI(key), DBT(subject), DBT(emotions[pick(g, emotion_weight, 5)]),
			DBI(ag->id), DBI(ag->dept), DBI(cap), DBI(ag->id), T(cause),
			pol >= 0 ? DBI(g->pol[pol].id) : DBNULL, DBI(t), T(fr_due), T(res_due), T(paused),
			DBI(c.escalated), T(due), T(check), DBI(rank), DBI(t), DBI(t),
			DBI(open ? g->now - 60000 : closed), T(fr_at), T(resolved), T(closed),
			T(!strcmp(state, "archived") ? closed : 0), DBI(open ? t : closed),
			complaint && !open ? DBI(1) : DBNULL),
		&st);
	if (rc < 0)
		return rc;
	int64_t id = 0;
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (!id)
		return -1;
	rc = db_exec(g->d,
		     "INSERT INTO case_events (case_id, kind, actor_id, is_public, body, data, at)"
		     " VALUES (?, 'created', ?, 1, ?, '{}', ?)",
		     DB_ARGS(DBI(id), DBI(ag->id), DBT(subject), DBI(t)));
	if (rc >= 0 && !open)
		rc = db_exec(g->d,
			     "INSERT INTO case_events (case_id, kind, actor_id, is_public, body, data, at)"
			     " VALUES (?, 'transition', ?, 1, '', ?, ?)",
			     DB_ARGS(DBI(id), DBI(ag->id),
				     DBT(complaint ? "{\"action\":\"archive\",\"to\":\"archived\"}"
						   : "{\"action\":\"close\",\"to\":\"closed\"}"),
				     DBI(closed)));
	return rc < 0 ? rc : 0;
}

static void progress(int64_t done, int64_t total, int64_t started_us)
{
	double secs = (double)(util_mono_us() - started_us) / 1e6;
	int width = 30, fill = total ? (int)(done * width / total) : width;
	char bar[31];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	fprintf(stderr, "\r  [%s] %3d%%  %lld/%lld 工单  %.0f/s ", bar,
		(int)(total ? done * 100 / total : 100), (long long)done, (long long)total,
		secs > 0 ? (double)done / secs : 0.0);
}

int64_t demo_cases(db *d, int64_t n, int span_days, uint64_t seed, int tty)
{
	const int64_t span = (int64_t)span_days * 86400000;
	struct gen *g = calloc(1, sizeof(*g));
	if (!g)
		return -1;
	g->d = d;
	g->a = arena_new();
	g->now = util_now_ms();
	g->day = INT32_MIN;
	demo_seed(&g->rng, seed ^ 0xca5e5);
	int64_t added = 0, started = util_mono_us();
	int rc = load_refs(g);
	if (rc == -2)
		fprintf(stderr, "kefu demo: cases need agents with a department and customers\n");
	int64_t start = g->now - span;
	for (int64_t i = 0; i < n && rc >= 0; i += BATCH) {
		if ((rc = db_begin(d)) < 0)
			break;
		for (int64_t j = i; j < n && j < i + BATCH && rc >= 0; j++) {
			/* evenly over the span, in time order */
			int64_t t = start + (int64_t)((double)span * (double)j / (double)n);
			rc = one(g, t);
			added += rc >= 0;
		}
		if (rc >= 0 && (i + BATCH >= n))
			rc = flush_day(g);
		if (rc < 0 || (rc = db_commit(d)) < 0)
			break;
		if (tty)
			progress(i + BATCH < n ? i + BATCH : n, n, started);
	}
	if (tty)
		fputc('\n', stderr);
	/* The agents' loads, counted once. */
	if (rc >= 0 && added) {
		rc = db_exec(d,
			     "INSERT INTO case_load (user_id, open_cases) SELECT assignee_id, COUNT(*)"
			     " FROM cases WHERE is_open = 1 AND assignee_id IS NOT NULL GROUP BY assignee_id"
			     " ON CONFLICT (user_id) DO UPDATE SET open_cases = excluded.open_cases",
			     DB_ARGS());
	}
	if (rc < 0) {
		db_rollback(d);
		fprintf(stderr, "kefu demo: cases failed: %s\n", db_errmsg(d));
	}
	free(g->cust);
	free(g->cust_key);
	free(g->cust_tier);
	arena_free(g->a);
	free(g);
	return rc < 0 ? rc : added;
}
