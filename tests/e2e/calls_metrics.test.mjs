// Hotline metrics on a scripted day of calls (by interval, queue, agent, day), Erlang C
// and staffing through the API, the forecast from history, shift plans, quality checks
// with mystery-customer audits, and outbound call lists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, adminSession, userSession, createCustomer, newPhone, assertProblem,
	assertStatus,
} from './lib.mjs';
import { pbxToken, agentWithExtension, post } from './calls_fixtures.mjs';

let srv, admin, pbx, a1, a2, sup;
const calls = {};

/** UTC ms of a wall-clock time in Asia/Shanghai (UTC+8, no DST). */
function sh(date, hm, s = 0) {
	const [y, mo, d] = date.split('-').map(Number);
	const [h, mi] = hm.split(':').map(Number);
	return Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3600_000;
}

const DAY = '2025-06-02'; // a Monday

function ev(type, id, date, hm, s, extra = {}) {
	return { type, call_id: id, at: sh(date, hm, s), ...extra };
}

/** The scripted day: six calls in two queues, two agents signing in and out. */
function scriptedDay(date, tag) {
	const q1 = '售后', q2 = '咨询';
	return [
		ev('agent_login', undefined, date, '08:55', 0, { agent: '1001', call_id: undefined, event_id: `${tag}-l1` }),
		ev('agent_not_ready', undefined, date, '09:40', 0, { agent: '1001', call_id: undefined, event_id: `${tag}-p1` }),
		ev('agent_ready', undefined, date, '09:50', 0, { agent: '1001', call_id: undefined, event_id: `${tag}-u1` }),
		ev('agent_logout', undefined, date, '10:30', 0, { agent: '1001', call_id: undefined, event_id: `${tag}-o1` }),
		ev('agent_login', undefined, date, '09:00', 0, { agent: '1002', call_id: undefined, event_id: `${tag}-l2` }),
		ev('agent_logout', undefined, date, '10:30', 0, { agent: '1002', call_id: undefined, event_id: `${tag}-o2` }),
		// 09:00-09:30
		ev('offered', `${tag}-c1`, date, '09:00', 0, { queue: q1, caller: '13900000001' }),
		ev('answered', `${tag}-c1`, date, '09:00', 10, { agent: '1001' }),
		ev('ended', `${tag}-c1`, date, '09:05', 10),
		ev('offered', `${tag}-c2`, date, '09:10', 0, { queue: q1, caller: '13900000002' }),
		ev('answered', `${tag}-c2`, date, '09:10', 30, { agent: '1002' }),
		ev('ended', `${tag}-c2`, date, '09:12', 30),
		ev('offered', `${tag}-c3`, date, '09:20', 0, { queue: q1, caller: '13900000003' }),
		ev('abandoned', `${tag}-c3`, date, '09:20', 3),
		ev('offered', `${tag}-c4`, date, '09:25', 0, { queue: q1, caller: '13900000004' }),
		ev('abandoned', `${tag}-c4`, date, '09:26', 0),
		ev('ended', `${tag}-c4`, date, '09:26', 1),
		// 09:30-10:00: 60 s on hold
		ev('offered', `${tag}-c5`, date, '09:31', 0, { queue: q1, caller: '13900000005' }),
		ev('answered', `${tag}-c5`, date, '09:31', 5, { agent: '1001' }),
		ev('held', `${tag}-c5`, date, '09:32', 0, { agent: '1001' }),
		ev('resumed', `${tag}-c5`, date, '09:33', 0, { agent: '1001' }),
		ev('ended', `${tag}-c5`, date, '09:36', 5),
		// 10:00-10:30: answered at exactly 20 s
		ev('offered', `${tag}-c6`, date, '10:00', 0, { queue: q2, caller: '13900000006' }),
		ev('answered', `${tag}-c6`, date, '10:00', 20, { agent: '1002' }),
		ev('ended', `${tag}-c6`, date, '10:01', 20),
	];
}

before(async () => {
	srv = await startServer('calls_metrics');
	admin = await adminSession(srv);
	pbx = (await pbxToken(srv, admin)).session;
	a1 = await agentWithExtension(srv, admin, '1001', { display_name: '坐席一' });
	a2 = await agentWithExtension(srv, admin, '1002', { display_name: '坐席二' });
	sup = await userSession(srv, admin, { role: 'supervisor' });
	const res = await post(pbx, scriptedDay(DAY, 'd0'));
	for (const c of res.calls)
		calls[c.call_id.split('-')[1]] = c.id;
	// first-contact resolution said on two calls (no wrap-up code: no after-call work)
	assertStatus(await api(a1, 'PATCH', `/api/calls/${calls.c1}`, { fcr: true }), 200, 'fcr c1');
	assertStatus(await api(a2, 'PATCH', `/api/calls/${calls.c2}`, { fcr: false }), 200, 'fcr c2');
});

after(async () => {
	await srv?.stop();
});

async function metrics(q) {
	return assertStatus(await api(sup, 'GET', `/api/hotline/metrics?${q}`), 200, `metrics ${q}`);
}

function row(rows, pred) {
	const r = rows.find(pred);
	assert.ok(r, `row missing in ${JSON.stringify(rows).slice(0, 600)}`);
	return r;
}

test('metrics per 30-minute interval on the scripted day', async () => {
	const m = await metrics(`from=${DAY}&to=${DAY}&group=interval`);
	assert.equal(m.timezone, 'Asia/Shanghai');
	assert.deepEqual(m.config, { sl_seconds: 20, sl_target_pct: 80, short_abandon_s: 5, interval_min: 30 });
	const i0900 = row(m.rows, (r) => r.interval === '09:00');
	assert.equal(i0900.offered, 4);
	assert.equal(i0900.answered, 2);
	assert.equal(i0900.abandoned, 2);
	assert.equal(i0900.short_abandoned, 1);
	assert.equal(i0900.answered_in_sl, 1);
	assert.equal(i0900.service_level, 0.3333);
	assert.equal(i0900.abandon_rate, 0.5);
	assert.equal(i0900.asa_s, 20);
	assert.equal(i0900.aht_s, 210);
	assert.equal(i0900.fcr, 0.5);
	const i0930 = row(m.rows, (r) => r.interval === '09:30');
	assert.deepEqual([i0930.offered, i0930.answered, i0930.service_level, i0930.asa_s, i0930.aht_s, i0930.fcr],
		[1, 1, 1, 5, 300, null]);
	const i1000 = row(m.rows, (r) => r.interval === '10:00');
	assert.deepEqual([i1000.offered, i1000.service_level, i1000.asa_s, i1000.aht_s], [1, 1, 20, 60]);
	// 08:30 had agent time but no calls
	const i0830 = row(m.rows, (r) => r.interval === '08:30');
	assert.equal(i0830.offered, 0);
	assert.equal(i0830.staffed_s, 300);
	const t = m.total;
	assert.deepEqual([t.offered, t.answered, t.abandoned, t.short_abandoned, t.answered_in_sl],
		[6, 4, 2, 1, 3]);
	assert.equal(t.service_level, 0.6);
	assert.equal(t.asa_s, 16.25);
	assert.equal(t.aht_s, 195);
	// occupancy: 780 s handling of 10,500 s signed in and ready (85 + 90 minutes)
	assert.equal(t.busy_s, 780);
	assert.equal(t.staffed_s, 10_500);
	assert.equal(t.occupancy, Number((780 / 10_500).toFixed(4)));
});

test('metrics per queue, per agent and per day', async () => {
	const q = await metrics(`from=${DAY}&group=queue`);
	const after = row(q.rows, (r) => r.queue === '售后');
	assert.deepEqual([after.offered, after.answered, after.service_level], [5, 3, 0.5]);
	const info = row(q.rows, (r) => r.queue === '咨询');
	assert.deepEqual([info.offered, info.answered, info.service_level], [1, 1, 1]);
	assert.equal(after.occupancy, null, 'agent time is not split by queue');

	const a = await metrics(`from=${DAY}&group=agent`);
	const r1 = row(a.rows, (r) => r.agent?.id === a1.user.id);
	assert.equal(r1.agent.display_name, '坐席一');
	assert.deepEqual([r1.answered, r1.aht_s, r1.asa_s, r1.busy_s, r1.staffed_s], [2, 300, 7.5, 600, 5100]);
	assert.equal(r1.occupancy, Number((600 / 5100).toFixed(4)));
	const r2 = row(a.rows, (r) => r.agent?.id === a2.user.id);
	assert.deepEqual([r2.answered, r2.aht_s, r2.service_level, r2.busy_s, r2.staffed_s], [2, 90, 0.5, 180, 5400]);
	const none = row(a.rows, (r) => r.agent === null);
	assert.deepEqual([none.offered, none.abandoned], [2, 2]);

	const per = await metrics(`from=${DAY}&group=interval,agent&agent_id=${a1.user.id}`);
	const x = row(per.rows, (r) => r.interval === '09:00' && r.agent?.id === a1.user.id);
	assert.deepEqual([x.answered, x.busy_s, x.staffed_s, x.occupancy], [1, 300, 1800, 0.1667]);
	assert.ok(per.rows.every((r) => r.agent?.id === a1.user.id), 'filtered to one agent');

	const d = await metrics(`from=2025-06-01&to=2025-06-03&group=day`);
	assert.deepEqual(d.rows.map((r) => [r.day, r.offered]), [[DAY, 6]]);
	const w = await metrics(`from=${DAY}&group=week,queue`);
	assert.ok(w.rows.every((r) => r.week === DAY));

	assertProblem(await api(sup, 'GET', '/api/hotline/metrics?group=colour'), 422, 'invalid', 'group');
	assertProblem(await api(sup, 'GET', '/api/hotline/metrics?from=2025-01-01&to=2025-12-31'), 422, 'invalid', 'to');
	assertProblem(await api(sup, 'GET', '/api/hotline/metrics?from=June'), 422, 'invalid', 'from');
	assertProblem(await api(a1, 'GET', '/api/hotline/metrics'), 403, 'forbidden');
});

test('the service-level settings change the figures', async () => {
	let r = await api(admin, 'PATCH', '/api/hotline/settings', { sl_seconds: 10, short_abandon_s: 0 });
	assertStatus(r, 200, 'settings');
	try {
		const m = await metrics(`from=${DAY}&group=interval`);
		// within 10 s: c1 (10 s) and c5 (5 s) of 6 offered, none short
		assert.equal(m.total.answered_in_sl, 2);
		assert.equal(m.total.short_abandoned, 0);
		assert.equal(m.total.service_level, Number((2 / 6).toFixed(4)));
	} finally {
		r = await api(admin, 'PATCH', '/api/hotline/settings', { sl_seconds: 20, short_abandon_s: 5 });
		assertStatus(r, 200);
	}
	assertProblem(await api(admin, 'PATCH', '/api/hotline/settings', { sl_seconds: 0 }), 422, 'invalid', 'sl_seconds');
	assertProblem(await api(sup, 'PATCH', '/api/hotline/settings', { sl_seconds: 30 }), 403, 'forbidden');
});

test('Erlang C through the API: the textbook 100 calls, 180 s, 80/20 needs 14 agents', async () => {
	const e = assertStatus(await api(a1, 'GET',
		'/api/hotline/erlang?calls=100&aht_s=180&interval_min=30&sl_pct=80&target_s=20&shrinkage_pct=30'), 200);
	assert.equal(e.agents, 14);
	assert.equal(e.scheduled, 20);
	assert.equal(e.traffic, 10);
	assert.equal(e.service_level, 0.8884);
	assert.equal(e.occupancy, 0.7143);
	assert.ok(Math.abs(e.asa_s - 7.8) < 0.05, `ASA ${e.asa_s}`);
	const t13 = e.table.find((x) => x.agents === 13);
	assert.equal(t13.service_level, 0.7956);
	assert.equal(e.erlang_a, null);
	const a = assertStatus(await api(a1, 'GET', '/api/hotline/erlang?calls=100&aht_s=180&patience_s=120'), 200);
	assert.ok(a.erlang_a.agents <= 14, 'impatient callers need no more agents');
	assert.ok(a.erlang_a.abandon_rate > 0 && a.erlang_a.abandon_rate < 0.1);
	assertProblem(await api(a1, 'GET', '/api/hotline/erlang?calls=-5'), 422, 'invalid', 'calls');
	assertProblem(await api(a1, 'GET', '/api/hotline/erlang?sl_pct=100'), 422, 'invalid', 'sl_pct');
});

test('staffing per interval for given volumes, and a shift plan with its gaps', async () => {
	const intervals = [];
	for (let h = 8; h < 18; h++)
		for (const m of ['00', '30'])
			intervals.push({ start: `${String(h).padStart(2, '0')}:${m}`, calls: h >= 9 && h < 12 ? 100 : 40 });
	let r = await api(sup, 'POST', '/api/hotline/staffing', { intervals, aht_s: 180, sl_pct: 80, target_s: 20, shrinkage_pct: 30 });
	const s = assertStatus(r, 200, 'staffing');
	assert.equal(s.source, 'given');
	const at10 = s.intervals.find((x) => x.start === '10:00');
	assert.deepEqual([at10.agents, at10.scheduled], [14, 20]);
	const at3 = s.intervals.find((x) => x.start === '03:00');
	assert.deepEqual([at3.calls, at3.agents], [0, 0]);
	assert.equal(s.totals.peak_scheduled, 20);
	r = await api(sup, 'POST', '/api/hotline/staffing', { intervals: [{ start: '09:10', calls: 5 }] });
	assertProblem(r, 422, 'invalid', 'intervals[0].start');

	r = await api(sup, 'POST', '/api/hotline/shift-plan', { intervals, aht_s: 180, shrinkage_pct: 30 });
	const p = assertStatus(r, 200, 'shift plan');
	assert.ok(p.agents > 0);
	for (const iv of p.intervals)
		assert.equal(iv.gap, iv.cover - iv.need);
	const short = p.intervals.filter((iv) => iv.gap < 0);
	assert.equal(p.short_intervals, short.length);
	// the seeded patterns start at 08:00 at the earliest and end by 21:00: 08:00-18:00 is covered
	for (const iv of p.intervals.filter((x) => x.start >= '08:00' && x.start < '18:00'))
		assert.ok(iv.gap >= 0, `covered at ${iv.start}: ${JSON.stringify(iv)}`);
	// a pattern of our own, used alone
	const pat = assertStatus(await api(sup, 'POST', '/api/hotline/shift-patterns',
		{ name: '测试班 09-12', start: '09:00', minutes: 180, breaks: [] }), 201, 'pattern');
	assertProblem(await api(sup, 'POST', '/api/hotline/shift-patterns',
		{ name: '坏班', start: '09:10', minutes: 60 }), 422, 'invalid', 'start');
	assertProblem(await api(sup, 'POST', '/api/hotline/shift-patterns',
		{ name: '坏休息', start: '09:00', minutes: 120, breaks: [{ start: '12:00', minutes: 30 }] }), 422, 'invalid', 'breaks[0]');
	// a break's minutes beyond an int: neither wrapped to 30 (2^32 + 30) nor overflowing past the shift's end
	for (const minutes of [4294967326, 2147483640])
		assertProblem(await api(sup, 'POST', '/api/hotline/shift-patterns',
			{ name: '坏休息', start: '09:00', minutes: 120, breaks: [{ start: '09:30', minutes }] }), 422, 'invalid', 'breaks[0]');
	r = await api(sup, 'POST', '/api/hotline/shift-plan', { intervals, pattern_ids: [pat.id], use_shrinkage: false });
	const only = assertStatus(r, 200);
	assert.deepEqual(only.patterns.map((x) => [x.id, x.count]), [[pat.id, 14]]);
	assert.equal(only.intervals.find((x) => x.start === '08:00').gap, -only.intervals.find((x) => x.start === '08:00').need);
	assert.ok(only.short_intervals > 0);
	assertStatus(await api(sup, 'PATCH', `/api/hotline/shift-patterns/${pat.id}`, { active: false }), 200);
	assert.equal((await api(sup, 'DELETE', `/api/hotline/shift-patterns/${pat.id}`)).status, 204);
});

test('forecast from the same weekday of past weeks, and staffing from it', async () => {
	// one more Monday of history a week earlier: 2 calls at 09:00
	await post(pbx, [
		ev('offered', 'h1', '2025-05-26', '09:05', 0, { queue: '售后' }),
		ev('answered', 'h1', '2025-05-26', '09:05', 10, { agent: '1001' }),
		ev('ended', 'h1', '2025-05-26', '09:08', 10),
		ev('offered', 'h2', '2025-05-26', '09:15', 0, { queue: '售后' }),
		ev('abandoned', 'h2', '2025-05-26', '09:16', 0),
	]);
	const f = assertStatus(await api(sup, 'GET', '/api/hotline/forecast?date=2025-06-09&weeks=2'), 200);
	assert.equal(f.weekday, 1);
	assert.equal(f.weeks_used, 2);
	const at9 = f.intervals.find((x) => x.start === '09:00');
	assert.equal(at9.calls, 3.33); // (2 x 4 + 1 x 2) / 3
	assert.ok(at9.aht_s > 0);
	assert.equal(f.intervals.find((x) => x.start === '03:00').calls, 0);
	const s = assertStatus(await api(sup, 'POST', '/api/hotline/staffing', { date: '2025-06-09', weeks: 2 }), 200);
	assert.equal(s.source, 'forecast');
	assert.ok(s.intervals.find((x) => x.start === '09:00').agents >= 1);
});

test('quality checks: the checklist, a scored call, a mystery-customer audit, per agent and week', async () => {
	const items = assertStatus(await api(a1, 'GET', '/api/qa/items'), 200).items;
	assert.deepEqual(items.map((i) => i.code), ['greeting', 'listening', 'six_steps', 'language', 'correct', 'resolution']);
	const full = items.map((i) => ({ code: i.code, score: i.max_score }));
	const half = items.map((i) => ({ item_id: i.id, score: Math.floor(i.max_score / 2) }));
	let r = await api(sup, 'POST', '/api/qa/evaluations', { kind: 'call', call_id: calls.c1, scores: full, comment: '规范' });
	const e1 = assertStatus(r, 201, 'evaluation');
	assert.equal(e1.score, 1);
	assert.equal(e1.agent.id, a1.user.id, 'the agent who answered');
	assert.equal(e1.contacted_at, sh(DAY, '09:00', 10));
	r = await api(sup, 'POST', '/api/qa/evaluations', { kind: 'call', call_id: calls.c5, scores: half });
	const e2 = assertStatus(r, 201);
	assert.ok(e2.score > 0.4 && e2.score < 0.5, `half marks: ${e2.score}`);
	r = await api(sup, 'POST', '/api/qa/evaluations', { kind: 'call', call_id: calls.c1, scores: full.slice(1) });
	assertProblem(r, 422, 'invalid', 'scores');
	r = await api(sup, 'POST', '/api/qa/evaluations', { kind: 'call', call_id: calls.c1, scores: [{ code: 'greeting', score: 99 }, ...full.slice(1)] });
	assertProblem(r, 422, 'invalid', 'scores[0].score');
	// a mystery customer audits the hotline: same checklist, the shopper named
	r = await api(sup, 'POST', '/api/qa/evaluations', { kind: 'mystery', scores: full, scenario: '询问退货政策' });
	assertProblem(r, 422, 'invalid', 'shopper');
	r = await api(sup, 'POST', '/api/qa/evaluations', {
		kind: 'mystery', shopper: '第三方评估公司', scenario: '询问退货政策', agent_id: a2.user.id,
		contacted_at: sh(DAY, '15:00'), scores: half,
	});
	const m = assertStatus(r, 201, 'mystery');
	assert.equal(m.kind, 'mystery');
	assert.equal(m.shopper, '第三方评估公司');
	assertProblem(await api(a1, 'POST', '/api/qa/evaluations', { kind: 'call', call_id: calls.c1, scores: full }), 403, 'forbidden');
	// agents see their own evaluations only
	const mine = assertStatus(await api(a1, 'GET', '/api/qa/evaluations'), 200).items;
	assert.ok(mine.length === 2 && mine.every((x) => x.agent.id === a1.user.id));
	assertProblem(await api(a1, 'GET', `/api/qa/evaluations/${m.id}`), 404);
	// beside the hotline figures, per agent and week
	const w = assertStatus(await api(sup, 'GET', `/api/hotline/agent-weeks?from=${DAY}&to=2025-06-08`), 200);
	const w1 = row(w.rows, (x) => x.agent.id === a1.user.id);
	assert.equal(w1.week, DAY);
	assert.equal(w1.hotline.answered, 2);
	assert.equal(w1.qa.evaluations, 2);
	assert.equal(w1.qa.score, Number(((1000 + e2.score * 1000) / 2 / 1000).toFixed(4)));
	const w2 = row(w.rows, (x) => x.agent.id === a2.user.id);
	assert.equal(w2.qa.evaluations, 1);
	// the checklist is editable
	r = await api(admin, 'POST', '/api/qa/items', { code: 'empathy', label_zh: '表达同理心', label_en: 'Shows empathy', max_score: 5 });
	assertStatus(r, 201);
	r = await api(sup, 'POST', '/api/qa/evaluations', { kind: 'call', call_id: calls.c2, scores: full });
	assertProblem(r, 422, 'invalid', 'scores');
	const empathy = assertStatus(await api(a1, 'GET', '/api/qa/items'), 200).items.find((i) => i.code === 'empathy');
	assertStatus(await api(admin, 'PATCH', `/api/qa/items/${empathy.id}`, { active: false }), 200);
});

test('outbound lists respect rest hours and do-not-disturb windows; results flow back', async () => {
	const evening = await createCustomer(admin, {
		name: '只在傍晚', phone: newPhone().local,
		dnd: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '18:00', note: '上班' }],
	});
	const plain = await createCustomer(admin, { name: '普通客户', phone: newPhone().local });
	const nophone = await createCustomer(admin, { name: '无电话' });
	let r = await api(sup, 'POST', '/api/call-lists', {
		name: '六月回访', customer_ids: [evening.id, plain.id, nophone.id], assignee_id: a1.user.id,
	});
	const list = assertStatus(r, 201, 'list');
	assert.equal(list.items, 2);
	assert.deepEqual(list.skipped, [{ customer_id: nophone.id, reason: 'no_phone' }]);
	const items = assertStatus(await api(a1, 'GET', `/api/call-lists/${list.id}/items`), 200).items;
	assert.equal(items.length, 2);
	const localHm = (ms) => new Date(ms + 8 * 3600_000).toISOString().slice(11, 16);
	for (const it of items) {
		const hm = localHm(it.next_allowed_at);
		assert.ok(!(hm >= '12:00' && hm < '14:00') && !(hm >= '21:00' || hm < '09:00'), `${it.customer.name} at ${hm}: not in rest hours`);
		if (it.customer.id === evening.id)
			assert.ok(hm >= '18:00' && hm < '21:00', `evening-only customer proposed at ${hm}`);
		assert.equal(it.phone_masked, false, 'the assignee sees the number');
	}
	const item = items.find((x) => x.customer.id === plain.id);
	r = await api(a1, 'POST', '/api/calls', { customer_id: plain.id, list_item_id: item.id, outcome: 'no_answer' });
	assertStatus(r, 201);
	let again = assertStatus(await api(a1, 'GET', `/api/call-lists/${list.id}/items`), 200).items.find((x) => x.id === item.id);
	assert.deepEqual([again.status, again.attempts, again.outcome], ['pending', 1, 'no_answer']);
	r = await api(a1, 'POST', '/api/calls', { customer_id: plain.id, list_item_id: item.id, outcome: 'reached', notes: '满意' });
	const c = assertStatus(r, 201);
	again = assertStatus(await api(a1, 'GET', `/api/call-lists/${list.id}/items`), 200).items.find((x) => x.id === item.id);
	assert.deepEqual([again.status, again.attempts, again.call_id], ['done', 2, c.id]);
	r = await api(a1, 'POST', '/api/calls', { customer_id: plain.id, list_item_id: item.id, outcome: 'reached' });
	assertProblem(r, 409, 'conflict', 'list_item_id');
	const lists = assertStatus(await api(a1, 'GET', '/api/call-lists'), 200).items;
	const l = lists.find((x) => x.id === list.id);
	assert.deepEqual([l.pending, l.done], [1, 1]);
	assertStatus(await api(a1, 'PATCH', `/api/call-list-items/${items.find((x) => x.customer.id === evening.id).id}`, { status: 'skipped', note: '客户出国' }), 204);
});

test('a call list from the follow-up visits due; a missed call marks its visit unreachable', async () => {
	const c1 = await createCustomer(admin, { name: '回访甲', phone: newPhone().local, owner_id: a2.user.id });
	const c2 = await createCustomer(admin, { name: '回访乙', phone: newPhone().local, owner_id: a2.user.id });
	const soon = Date.now() + 3600_000;
	const v1 = assertStatus(await api(a2, 'POST', '/api/followups', { customer_id: c1.id, due_at: soon }), 201);
	const v2 = assertStatus(await api(a2, 'POST', '/api/followups', { customer_id: c2.id, due_at: soon }), 201);
	assertStatus(await api(a2, 'POST', '/api/followups', { customer_id: c2.id, due_at: Date.now() + 30 * 86400_000 }), 201);
	let r = await api(sup, 'POST', '/api/call-lists', { name: '今日回访', from_followups: true, assignee_id: a2.user.id });
	const list = assertStatus(r, 201, 'list from follow-ups');
	assert.equal(list.items, 2, 'the visits due, not the one a month away');
	const items = assertStatus(await api(a2, 'GET', `/api/call-lists/${list.id}/items`), 200).items;
	assert.deepEqual(items.map((i) => [i.source, i.source_id]).sort(), [['followup', v1.id], ['followup', v2.id]].sort());
	const i1 = items.find((i) => i.source_id === v1.id);
	assertStatus(await api(a2, 'POST', '/api/calls', { customer_id: c1.id, list_item_id: i1.id, outcome: 'no_answer' }), 201);
	const fu = assertStatus(await api(a2, 'GET', `/api/followups/${v1.id}`), 200);
	assert.equal(fu.outcome, 'unreachable');
	r = await api(sup, 'POST', '/api/call-lists', { name: 'x', from_followups: true, customer_ids: [c1.id] });
	assertProblem(r, 422, 'invalid', 'customer_ids');
});
