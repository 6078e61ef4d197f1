/* demo_extras.c - see demo_extras.h. */
#include "cli/demo_extras.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/calls.h"
#include "app/mail.h"
#include "core/bizcal.h"
#include "core/callsim.h"
#include "core/demo.h"
#include "lib/arena.h"
#include "lib/common.h"
#include "lib/util.h"

enum { MAX_AGENTS = 16, NIV = 48, IV_S = 1800, DAY_CALLS = 900, MAX_PHONES = 500 };
#define HOUR_MS 3600000LL
#define DAY_MS (24 * HOUR_MS)

/* Standard answers as a service department writes them. */
static const struct article {
	const char *category, *title, *answer;
	const char *questions[3], *tags[3];
} articles[] = {
	{"after_sales", "七天无理由退货的条件",
	 "您好，自签收之日起7天内，商品及包装完好、配件齐全、不影响二次销售的，可以申请七天无理由退货。"
	 "请在订单详情页点击“申请售后”，选择“退货”，我们会在1个工作日内审核，审核通过后安排快递上门取件。"
	 "退款在仓库收货后3个工作日内原路退回。定制类、已激活的数码产品除外。",
	 {"能退货吗", "七天无理由怎么退", "退货运费谁出"}, {"退货", "七天无理由"}},
	{"after_sales", "保修期与保修范围",
	 "整机保修一年，主要部件（压缩机、电机）保修三年，以购买发票日期为准。保修期内非人为损坏免费维修；"
	 "人为损坏、进水、私自拆修不在保修范围内，可提供有偿维修，先报价后维修。",
	 {"保修多久", "过保了还能修吗", "哪些不保修"}, {"保修", "维修"}},
	{"after_sales", "预约上门维修",
	 "您可以通过热线、微信公众号或网站预约上门维修。请提供产品型号、购买日期和故障现象，"
	 "我们会在24小时内联系您确认上门时间，城区一般48小时内上门。师傅上门前30分钟会电话联系您。",
	 {"怎么预约维修", "师傅什么时候上门", "维修要多久"}, {"维修", "上门"}},
	{"delivery", "配送时效与查询物流",
	 "现货商品下单后24小时内发货，江浙沪次日达，其他地区一般2到4天送达，偏远地区5到7天。"
	 "您可以在订单详情页查看物流单号和实时轨迹。如超过预计时间未送达，请告诉我们订单号，我们帮您催件。",
	 {"什么时候发货", "快递到哪了", "为什么还没到"}, {"物流", "配送"}},
	{"delivery", "大件商品送装一体",
	 "空调、冰箱、洗衣机等大件商品提供送装一体服务：送货当天由安装师傅一同上门安装，"
	 "标准安装免费，需加长管线或打孔的按公示价格收费，师傅会先告知费用，经您同意后再施工。",
	 {"送货包安装吗", "安装收费吗"}, {"安装", "大件"}},
	{"pricing", "价格保护政策",
	 "自签收之日起15天内，如同一商品在本店降价，您可以申请价格保护，差价以优惠券或原路退款的方式返还。"
	 "秒杀、限时抢购、清仓商品不参加价格保护。",
	 {"买贵了能退差价吗", "降价了怎么办"}, {"价保", "差价"}},
	{"pricing", "发票开具",
	 "我们默认开具电子普通发票，下单时填写抬头和税号即可，发货后发送到您的邮箱，"
	 "也可以在订单详情页下载。需要增值税专用发票的企业客户，请提供开票资料，我们在5个工作日内寄出。",
	 {"怎么开发票", "发票在哪下载", "能开专票吗"}, {"发票"}},
	{"account", "修改收货地址",
	 "订单未发货前，可以在订单详情页直接修改收货地址；已发货的订单，请尽快联系我们，"
	 "我们会联系快递公司尝试改址，改址可能产生额外运费并延迟送达。",
	 {"地址填错了", "能改地址吗"}, {"地址", "订单"}},
	{"account", "会员积分规则",
	 "每消费1元累计1积分，评价晒单另得积分。100积分可抵扣1元，积分有效期为获得之日起两年。"
	 "退货时对应积分会扣回。积分明细可在“我的-积分”中查看。",
	 {"积分怎么用", "积分会过期吗"}, {"积分", "会员"}},
	{"technical", "路由器无法联网的排查",
	 "请按以下步骤排查：1. 检查光猫指示灯是否正常；2. 将路由器断电30秒后重启；"
	 "3. 用网线连接电脑，登录管理页面检查上网方式和宽带账号密码；4. 仍无法联网可恢复出厂设置后重新配置。"
	 "如以上步骤无效，我们为您安排远程协助或换新检测。",
	 {"路由器连不上网", "WiFi没有网络"}, {"路由器", "网络"}},
	{"technical", "空调不制冷的常见原因",
	 "请先确认：模式为制冷、设定温度低于室温、滤网已清洁、室外机通风良好。"
	 "开机15分钟后出风口仍不凉，可能是缺氟或电气故障，我们将安排师傅上门检测，保修期内免费。",
	 {"空调不凉", "空调不制冷怎么办"}, {"空调", "故障"}},
	{"complaints", "投诉受理与处理时限",
	 "非常抱歉给您带来不好的体验。您的投诉我们已受理，工单号会短信发送给您。"
	 "我们会在24小时内联系您核实情况，一般投诉5个工作日内给出处理方案，处理结果会回访确认您是否满意。",
	 {"我要投诉", "投诉多久有结果"}, {"投诉", "时限"}},
	{"complaints", "服务态度投诉的处理",
	 "对于服务人员态度问题，我们深表歉意。我们会调取录音和服务记录核实，"
	 "核实属实将对相关人员进行培训考核，并向您书面致歉；给您造成损失的，按公司补偿标准处理。",
	 {"客服态度差", "师傅态度不好"}, {"投诉", "服务态度"}},
	{"competitors", "与同类产品相比的优势",
	 "我们的产品采用一级能效变频压缩机，整机保修一年、主要部件保修三年，全国2000多个服务网点，"
	 "城区48小时上门。购买前可以到门店体验，也可以申请样机试用。",
	 {"和别家比有什么优势", "为什么选你们"}, {"产品", "对比"}},
	{"product", "产品说明书与使用指南",
	 "各型号的电子版说明书可以在官网“服务支持-下载中心”按型号查询下载，"
	 "也可以关注公众号发送型号获取。常见使用问题有视频教程，我们也可以为您发送链接。",
	 {"说明书丢了", "怎么使用"}, {"说明书"}},
};

static const char *const promises[] = {
	"三个工作日内安排师傅上门检修", "明天下午五点前回电告知退款进度", "本周内补发缺少的配件",
	"两天内寄出增值税专用发票", "核实后给予100元补偿券", "周五前反馈投诉调查结果",
	"协调物流今天内改派送达", "一周内完成旧机回收",
};
static const char *const visit_titles[] = {
	"维修完成后满意度回访", "投诉处理结果回访", "新购空调安装回访", "会员生日关怀回访",
	"大客户季度回访", "退货办理结果回访",
};

struct staff {
	struct auth_user u;
	int64_t cust[8];
	int ncust;
};

struct ctx {
	db *d;
	arena *a;
	struct demo_rng rng;
	int64_t now;
	struct auth_user sup;
	struct staff ag[MAX_AGENTS];
	int nag;
};

static int load_user(struct ctx *x, const char *username, struct auth_user *u)
{
	db_stmt *st;
	if (db_query(x->d,
		     "SELECT id, username, display_name, role, COALESCE(department_id, 0), capability"
		     " FROM users WHERE username = ? AND disabled = 0",
		     DB_ARGS(DBT(username)), &st) < 0)
		return -1;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		u->id = db_col_int(st, 0);
		u->username = arena_strdup(x->a, db_col_text(st, 1));
		u->display_name = arena_strdup(x->a, db_col_text(st, 2));
		u->lang = "zh-CN";
		u->role = role_parse(db_col_text(st, 3));
		u->department_id = db_col_int(st, 4);
		u->capability = (int)db_col_int(st, 5);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

static int load_staff(struct ctx *x)
{
	if (load_user(x, "zhuguan", &x->sup) < 0) {
		fprintf(stderr, "kefu demo: the demo supervisor zhuguan is missing\n");
		return -1;
	}
	for (int i = 1; i <= 8 && x->nag < MAX_AGENTS; i++) {
		struct staff *s = &x->ag[x->nag];
		if (load_user(x, arena_printf(x->a, "agent%02d", i), &s->u) < 0)
			continue;
		db_stmt *st;
		if (db_query(x->d,
			     "SELECT id FROM customers WHERE owner_id = ? AND archived_at IS NULL"
			     " ORDER BY id LIMIT 8",
			     DB_ARGS(DBI(s->u.id)), &st) < 0)
			return -1;
		while (s->ncust < 8 && db_step(st) == DB_ROW)
			s->cust[s->ncust++] = db_col_int(st, 0);
		db_done(st);
		x->nag++;
	}
	return x->nag ? 0 : -1;
}

/* Runs a handler as u; 0 or < 0 (the message printed). */
static int call(struct ctx *x, const struct auth_user *u, int (*fn)(http_req *), json_t *body,
		json_t **out, const char *what)
{
	kf_err e;
	kf_err_clear(&e);
	json_t *res = NULL;
	arena *a = arena_new(); /* the request's own, freed with what it holds */
	int rc = mail_call(x->d, a, u, fn, body, NULL, &res, &e);
	json_decref(body);
	if (rc < 0) {
		fprintf(stderr, "kefu demo: %s: %s%s%s\n", what, e.en, e.field ? " field " : "",
			e.field ? e.field : "");
		arena_free(a);
		return -1;
	}
	arena_free(a);
	if (out)
		*out = res;
	else
		json_decref(res);
	return 0;
}

static json_t *strings(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static int add_kb(struct ctx *x, int *made)
{
	for (size_t i = 0; i < KF_ARRAY_LEN(articles); i++) {
		const struct article *ar = &articles[i];
		int64_t cat;
		if (db_query_int(x->d, "SELECT id FROM kb_categories WHERE code = ?",
				 DB_ARGS(DBT(ar->category)), &cat) != DB_ROW)
			continue; /* a category an admin removed */
		json_t *body = json_pack("{s:I, s:s, s:s, s:o, s:o, s:b}", "category_id", (json_int_t)cat,
					 "title", ar->title, "answer", ar->answer, "questions",
					 strings(ar->questions, 3), "tags", strings(ar->tags, 3),
					 "publish", 1);
		if (call(x, &x->sup, kb_create, body, NULL, "knowledge base") < 0)
			return -1;
		(*made)++;
	}
	return 0;
}

/* Per agent: visits due yesterday (overdue), today, tomorrow and the day
 * after; promises due yesterday (overdue), in a few hours, tomorrow and in
 * three days.  The API refuses promises due in the past, so the overdue
 * ones are made due soon and then moved back, as if made days ago. */
static int add_followups(struct ctx *x, int *visits, int *promised)
{
	static const int64_t visit_due[] = {-DAY_MS, 3 * HOUR_MS, DAY_MS, 2 * DAY_MS};
	static const int64_t promise_due[] = {-DAY_MS, 4 * HOUR_MS, DAY_MS + 2 * HOUR_MS, 3 * DAY_MS};
	for (int i = 0; i < x->nag; i++) {
		struct staff *s = &x->ag[i];
		for (int k = 0; k < 4 && k < s->ncust; k++) {
			int64_t due = x->now + visit_due[k] + (int64_t)demo_below(&x->rng, HOUR_MS);
			const char *title = visit_titles[demo_below(&x->rng, KF_ARRAY_LEN(visit_titles))];
			json_t *b = json_pack("{s:I, s:s, s:I}", "customer_id", (json_int_t)s->cust[k],
					      "title", title, "due_at", (json_int_t)due);
			if (call(x, &s->u, followups_create, b, NULL, "follow-up visit") < 0)
				return -1;
			(*visits)++;
		}
		for (int k = 0; k < 4 && 4 + k < s->ncust; k++) {
			int64_t due = x->now + (promise_due[k] > 0 ? promise_due[k] : HOUR_MS);
			const char *what = promises[demo_below(&x->rng, KF_ARRAY_LEN(promises))];
			json_t *b = json_pack("{s:I, s:s, s:I}", "customer_id", (json_int_t)s->cust[4 + k],
					      "content", what, "due_at", (json_int_t)due);
			json_t *out = NULL;
			if (call(x, &s->u, commitments_create, b, &out, "commitment") < 0)
				return -1;
			int64_t id = json_integer_value(json_object_get(out, "id"));
			json_decref(out);
			if (promise_due[k] < 0 &&
			    db_exec(x->d,
				    "UPDATE commitments SET due_at = ?, created_at = ?, updated_at = ?"
				    " WHERE id = ?",
				    DB_ARGS(DBI(x->now + promise_due[k]), DBI(x->now - 3 * DAY_MS),
					    DBI(x->now - 3 * DAY_MS), DBI(id))) < 0)
				return -1;
			(*promised)++;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ the hotline */

struct calls_out {
	json_t *events; /* the batch being filled */
	long calls, events_total;
};

static int flush_events(struct ctx *x, struct calls_out *o)
{
	if (!json_array_size(o->events))
		return 0;
	o->events_total += (long)json_array_size(o->events);
	json_t *body = json_pack("{s:o}", "events", o->events);
	o->events = json_array();
	/* a supervisor's token is what the PBX posts with */
	return call(x, &x->sup, cti_events_post, body, NULL, "hotline events");
}

static int add_event(struct ctx *x, struct calls_out *o, json_t *ev, int64_t at)
{
	json_object_set_new(ev, "at", json_integer(at));
	json_array_append_new(o->events, ev);
	return json_array_size(o->events) >= 1000 ? flush_events(x, o) : 0;
}

static int cmp_call(const void *a, const void *b)
{
	const struct callsim_call *p = a, *q = b;
	return p->offered_ms < q->offered_ms ? -1 : p->offered_ms > q->offered_ms;
}

/* One local day from start_ms: the agents sign in at 08:00 and out at
 * 21:00 (one stays the night); calls that have not ended by now are left
 * out, as are the sign-outs still to come. */
static int one_day(struct ctx *x, struct calls_out *o, int64_t start_ms, const char **phones,
		   int nphones, uint64_t seed)
{
	double per_iv[NIV];
	int agents[NIV];
	callsim_day_curve(DAY_CALLS, per_iv);
	for (int k = 0; k < NIV; k++)
		agents[k] = k >= 16 && k < 42 ? x->nag : 1;
	size_t max = DAY_CALLS * 2 + 1000;
	struct callsim_call *cs = malloc(max * sizeof(*cs));
	struct callsim_params p = {seed, start_ms, NIV, IV_S, per_iv, agents, 200, 90};
	long n = cs ? callsim_run(&p, cs, max) : -1;
	if (n < 0) {
		free(cs);
		return -1;
	}
	qsort(cs, (size_t)n, sizeof(*cs), cmp_call);
	int rc = 0;
	for (int a = 0; a < x->nag && rc == 0; a++) {
		int all_day = a == 0;
		int64_t in = start_ms + (all_day ? 0 : 16 * IV_S * 1000LL);
		int64_t out = start_ms + (all_day ? DAY_MS : 42 * IV_S * 1000LL);
		if (in <= x->now)
			rc = add_event(x, o, json_pack("{s:s, s:I}", "type", "agent_login", "agent_id",
						       (json_int_t)x->ag[a].u.id), in);
		if (rc == 0 && out <= x->now)
			rc = add_event(x, o, json_pack("{s:s, s:I}", "type", "agent_logout", "agent_id",
						       (json_int_t)x->ag[a].u.id), out);
	}
	for (long i = 0; i < n && rc == 0; i++) {
		const struct callsim_call *c = &cs[i];
		if (c->ended_ms > x->now)
			continue;
		char id[48];
		snprintf(id, sizeof(id), "demo-%llu-%ld", (unsigned long long)seed, i);
		/* a third of the callers are known customers */
		const char *caller = nphones && demo_below(&x->rng, 3) == 0
					     ? phones[demo_below(&x->rng, (uint64_t)nphones)]
					     : arena_printf(x->a, "+86139%08llu",
							    (unsigned long long)demo_below(&x->rng, 100000000));
		rc = add_event(x, o, json_pack("{s:s, s:s, s:s, s:s}", "type", "offered", "call_id", id,
					       "caller", caller, "queue", "热线"),
			       c->offered_ms);
		if (rc == 0 && !c->answered_ms) {
			rc = add_event(x, o, json_pack("{s:s, s:s}", "type", "abandoned", "call_id", id),
				       c->ended_ms);
		} else if (rc == 0) {
			json_int_t uid = (json_int_t)x->ag[c->agent % x->nag].u.id;
			rc = add_event(x, o, json_pack("{s:s, s:s, s:I}", "type", "ringing", "call_id", id,
						       "agent_id", uid),
				       c->answered_ms);
			if (rc == 0)
				rc = add_event(x, o, json_pack("{s:s, s:s, s:I}", "type", "answered",
							       "call_id", id, "agent_id", uid),
					       c->answered_ms);
			if (rc == 0)
				rc = add_event(x, o, json_pack("{s:s, s:s}", "type", "ended", "call_id", id),
					       c->ended_ms);
		}
		o->calls++;
	}
	free(cs);
	return rc;
}

static int add_calls(struct ctx *x, uint64_t seed, long *calls, long *events)
{
	/* the agents' extensions, as the hotline settings show them */
	for (int a = 0; a < x->nag; a++)
		if (db_exec(x->d,
			    "INSERT INTO call_agents (user_id, extension, agent_no, updated_at)"
			    " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
			    DB_ARGS(DBI(x->ag[a].u.id), DBT(arena_printf(x->a, "80%02d", a + 1)),
				    DBT(arena_printf(x->a, "A%03d", a + 1)), DBI(x->now))) < 0)
			return -1;
	const char *phones[MAX_PHONES];
	int nphones = 0;
	db_stmt *st;
	if (db_query(x->d,
		     "SELECT phone FROM customers WHERE phone IS NOT NULL AND archived_at IS NULL"
		     " ORDER BY id LIMIT 500",
		     DB_ARGS(), &st) < 0)
		return -1;
	while (nphones < MAX_PHONES && db_step(st) == DB_ROW)
		phones[nphones++] = arena_strdup(x->a, db_col_text(st, 0));
	db_done(st);
	struct hotline_settings hs;
	hotline_settings_load(x->d, &hs);
	int64_t today = bizcal_floor_div(hotline_local_min(&hs, x->now), 1440);
	struct calls_out o = {json_array(), 0, 0};
	int rc = 0;
	for (int64_t day = today - 1; day <= today && rc == 0; day++)
		rc = one_day(x, &o, hotline_utc_ms(&hs, day * 1440), phones, nphones,
			     seed ^ (uint64_t)day);
	if (rc == 0)
		rc = flush_events(x, &o);
	json_decref(o.events);
	*calls = o.calls;
	*events = o.events_total;
	return rc;
}

int demo_extras(db *d, uint64_t seed, struct demo_extras_stats *stats)
{
	struct ctx x;
	memset(&x, 0, sizeof(x));
	memset(stats, 0, sizeof(*stats));
	x.d = d;
	x.a = arena_new();
	x.now = util_now_ms();
	demo_seed(&x.rng, seed ^ 0xe7a5);
	int rc = load_staff(&x);
	if (rc == 0)
		rc = add_kb(&x, &stats->kb);
	if (rc == 0)
		rc = add_followups(&x, &stats->followups, &stats->commitments);
	if (rc == 0)
		rc = add_calls(&x, seed, &stats->calls, &stats->events);
	arena_free(x.a);
	return rc;
}
