// Service reports over cases: complaints by root cause / department / channel / emotion,
// volumes and SLA compliance by week, follow-up coverage; JSON and the files.
//
// The fixture: one complaint walked through the whole loop (phone, angry, accepted in time,
// handled, followed up, archived with the root cause product_quality), two more complaints
// left at intake (web calm, WeChat anxious) and one inquiry by phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, adminSession, assertProblem, assertStatus } from './lib.mjs';
import { DAY, department, staff, createCase, ok, phone } from './cases_fixtures.mjs';

process.env.KEFU_JOBS_INTERVAL = '0';
let srv, admin, intake, aftersales, agent, fixer, supervisor;
let full;

async function download(session, path, headers = {}) {
	const res = await fetch(session.base + path, { headers: { Cookie: session.cookie, ...headers } });
	return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

before(async () => {
	srv = await startServer('reports-cases');
	admin = await adminSession(srv);
	intake = await department(admin, '客服一部');
	aftersales = await department(admin, '售后服务部');
	agent = await staff(srv, admin, { display_name: '李晓雯', department_id: intake, capability: 4 });
	fixer = await staff(srv, admin, { display_name: '黄丽', department_id: aftersales, capability: 3 });
	supervisor = await staff(srv, admin, { role: 'supervisor', display_name: '王主管', department_id: aftersales });

	full = await createCase(agent, {
		type: 'complaint', channel: 'phone', subject: '空调不制冷', emotion: 'angry',
		customer: { phone: phone(), name: '陈先生' },
	});
	const id = full.id;
	await ok(agent, id, 'accept', { note: '已受理' });
	await ok(agent, id, 'judge_justified', {
		department_id: aftersales, investigation_due_at: Date.now() + 2 * DAY, demand_reasonable: true,
	});
	const c = await ok(agent, id, 'propose_plan', { plan: { kind: 'repair', description: '上门维修' } });
	assertStatus(await api(supervisor, 'POST', `/api/cases/${id}/plans/${c.plans[0].id}/approve`, { note: '同意' }), 200);
	await ok(fixer, id, 'finish_handling', { result: '已修好' });
	await ok(agent, id, 'record_follow_up', { outcome: 'satisfied', note: '满意' });
	const causes = assertStatus(await api(agent, 'GET', '/api/root-causes?active=1'), 200).items;
	await ok(agent, id, 'archive', { root_cause_id: causes.find((x) => x.code === 'product_quality').id });

	await createCase(agent, { type: 'complaint', channel: 'web', subject: '网页投诉', emotion: 'calm', customer: { phone: phone() } });
	await createCase(agent, { type: 'complaint', channel: 'wechat', subject: '微信投诉', emotion: 'anxious', customer: { phone: phone() } });
	await createCase(agent, { type: 'inquiry', channel: 'phone', subject: '咨询价格', customer: { phone: phone() } });
});

after(async () => {
	await srv?.stop();
});

const pick = (r) => Object.fromEntries(r.items.map((x) => [x.key, x.cases]));

test('complaints by channel, emotion, root cause and department', async () => {
	const ch = assertStatus(await api(supervisor, 'GET', '/api/reports/complaints?by=channel'), 200);
	assert.equal(ch.by, 'channel');
	assert.equal(ch.type, 'complaint');
	assert.equal(ch.total, 3);
	assert.deepEqual(pick(ch), { phone: 1, web: 1, wechat: 1 });
	assert.equal(ch.items.find((x) => x.key === 'phone').label_zh, '电话热线');
	assert.ok(Math.abs(ch.items[2].cum_share - 1) < 1e-12);

	const em = assertStatus(await api(supervisor, 'GET', '/api/reports/complaints?by=emotion'), 200);
	assert.deepEqual(pick(em), { angry: 1, anxious: 1, calm: 1 });
	assert.equal(em.items.find((x) => x.key === 'angry').label_en, 'Angry');

	const rc = assertStatus(await api(supervisor, 'GET', '/api/reports/complaints'), 200); // by root cause
	assert.equal(rc.by, 'root_cause');
	assert.deepEqual(rc.items.map((x) => [x.key, x.cases]), [['', 2], ['product_quality', 1]]);
	assert.equal(rc.items[0].label_zh, '未分类');
	assert.equal(rc.items[1].label_zh, '产品质量问题');

	const dep = assertStatus(await api(supervisor, 'GET', '/api/reports/complaints?by=department'), 200);
	assert.deepEqual(pick(dep), { [String(intake)]: 2, [String(aftersales)]: 1 });

	const all = assertStatus(await api(supervisor, 'GET', '/api/reports/complaints?by=channel&type=all'), 200);
	assert.equal(all.total, 4);
	assert.equal(pick(all).phone, 2);
	const none = assertStatus(await api(supervisor, 'GET', '/api/reports/complaints?from=2000-01-01&to=2000-12-31'), 200);
	assert.equal(none.total, 0);
	assert.deepEqual(none.items, []);

	assertProblem(await api(supervisor, 'GET', '/api/reports/complaints?by=colour'), 422, 'invalid', 'by');
	assertProblem(await api(supervisor, 'GET', '/api/reports/complaints?type=gossip'), 422, 'invalid', 'type');
	assertProblem(await api(agent, 'GET', '/api/reports/complaints'), 403);
});

test('case volumes and SLA compliance by week', async () => {
	const w = assertStatus(await api(supervisor, 'GET', '/api/reports/cases-weekly'), 200);
	assert.equal(w.type, null);
	assert.ok(w.weeks.length >= 13 && w.weeks.length <= 15, `${w.weeks.length} weeks in three months`);
	const last = w.weeks.at(-1);
	assert.equal(last.received, 4);
	assert.equal(new Date(last.week_start + 8 * 3600000).getUTCDay(), 1, 'weeks start on Monday, China time');
	assert.equal(last.week, new Date(last.week_start + 8 * 3600000).toISOString().slice(0, 10));
	assert.equal(w.totals.received, 4);
	assert.equal(w.totals.resolved, 1);
	assert.equal(w.totals.first_response.met, 1);
	assert.equal(w.totals.first_response.breached, 0);
	assert.equal(w.totals.first_response.compliance, 1);
	assert.equal(w.totals.resolution.met, 1);
	assert.equal(w.weeks[0].received, 0);
	assert.equal(w.weeks[0].first_response.compliance, null);
	const c = assertStatus(await api(supervisor, 'GET', '/api/reports/cases-weekly?type=complaint'), 200);
	assert.equal(c.totals.received, 3);

	const r = await download(supervisor, '/api/reports/cases-weekly?format=csv');
	assert.equal(r.status, 200);
	assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
	const lines = r.bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
	assert.equal(lines[0], '周（周一）,受理,已解决,首次响应达标,首次响应超时,首次响应达标率（%）,解决达标,解决超时,解决达标率（%）');
	assert.equal(lines.length, w.weeks.length + 1);
	assert.equal(lines.at(-1), `${last.week},4,1,1,0,100.00,1,0,100.00`);
});

test('follow-up coverage and timeliness', async () => {
	const f = assertStatus(await api(supervisor, 'GET', '/api/reports/follow-ups'), 200);
	assert.equal(f.handled, 1);
	assert.equal(f.followed_up, 1);
	assert.equal(f.coverage, 1);
	assert.equal(f.within_3_days, 1);
	assert.equal(f.timely_share, 1);
	assert.equal(f.key_accounts.handled, 0);
	assert.equal(f.key_accounts.coverage, null);
	assert.equal(f.outcomes.find((o) => o.outcome === 'satisfied').cases, 1);
	assert.equal(f.outcomes.find((o) => o.outcome === 'unsatisfied').cases, 0);
	const x = await download(supervisor, '/api/reports/follow-ups?format=xlsx');
	assert.equal(x.status, 200);
	assert.equal(x.bytes.subarray(0, 2).toString('latin1'), 'PK');
	assert.ok(x.bytes.includes('xl/workbook.xml'));
	assert.match(x.headers.get('content-disposition'), /^attachment; filename="kefu-follow-ups-\d{4}-\d{2}-\d{2}\.xlsx"$/);
	const empty = assertStatus(await api(supervisor, 'GET', '/api/reports/follow-ups?from=2000-01-01&to=2000-01-02'), 200);
	assert.equal(empty.handled, 0);
	assert.equal(empty.coverage, null);
});

test('complaints as a file', async () => {
	const r = await download(supervisor, '/api/reports/complaints?by=channel&format=csv');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-disposition'), /^attachment; filename="kefu-cases-by-channel-\d{4}-\d{2}-\d{2}\.csv"$/);
	const lines = r.bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
	assert.equal(lines[0], '分类,工单数,占比（%）,累计占比（%）');
	assert.equal(lines.length, 4);
	assert.equal(lines[1], '电话热线,1,33.33,33.33');
	assert.equal(lines[3], '微信,1,33.33,100.00');
});
