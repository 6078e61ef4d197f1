// SLAs on a Chinese business calendar (issue 4): the calendar's text format (errors name the
// line), due times over HTTP on the real 2025 calendar (the Friday before 端午节, National
// Day), due times on cases, policies, the clock pausing while the case waits on the
// customer, and breach escalation by the job: once per breach, also with two instances.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, api, adminSession, assertProblem, assertStatus, createCustomer, rand } from './lib.mjs';
import {
	MIN, HOUR, DAY, localDate, shanghai, department, staff, createCase, getCase, ok, phone,
	roundTheClock, floorMinute,
} from './cases_fixtures.mjs';

process.env.KEFU_JOBS_INTERVAL = '0';

let srv, admin, dept, agent, sup;

before(async () => {
	srv = await startServer('cases-sla');
	admin = await adminSession(srv);
	dept = await department(admin, '投诉处理组');
	agent = await staff(srv, admin, { display_name: '杨洋', department_id: dept, capability: 5 });
	sup = await staff(srv, admin, { role: 'supervisor', display_name: '王主管', department_id: dept });
});

after(async () => {
	await srv?.stop();
});

const CN2025 = `# 2025 年中国法定节假日（国务院办公厅通知）
hours mon-fri 09:00-12:00,13:00-18:00
2025-01-01 holiday 元旦
2025-01-26 workday 春节调休
2025-01-28..2025-02-04 holiday 春节
2025-02-08 workday 春节调休
2025-04-04..2025-04-06 holiday 清明节
2025-04-27 workday 劳动节调休
2025-05-01..2025-05-05 holiday 劳动节
2025-05-31..2025-06-02 holiday 端午节
2025-09-28 workday 国庆节、中秋节调休
2025-10-01..2025-10-08 holiday 国庆节、中秋节
2025-10-11 workday 国庆节、中秋节调休
`;

async function due(start, minutes) {
	return assertStatus(await api(agent, 'GET', `/api/calendar/due?start=${start}&minutes=${minutes}`), 200);
}

/** The dated days of a calendar file, expanded: [{date, kind, name}]. */
function fileDays(text) {
	const out = [];
	for (const raw of text.split('\n')) {
		const line = raw.replace(/#.*/, '').trim();
		const m = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))? (holiday|workday) ?(.*)$/.exec(line);
		if (!m)
			continue;
		for (let t = Date.parse(m[1]); t <= Date.parse(m[2] || m[1]); t += DAY)
			out.push({ date: new Date(t).toISOString().slice(0, 10), kind: m[3], name: m[4] });
	}
	return out;
}

test('the seeded calendar is the 2025 and 2026 notices, as in docs/calendars', async () => {
	const seeded = assertStatus(await api(agent, 'GET', '/api/calendar'), 200);
	const files = ['docs/calendars/cn-2025.txt', 'docs/calendars/cn-2026.txt']
		.flatMap((f) => fileDays(readFileSync(f, 'utf8')));
	assert.deepEqual(seeded.days, files);
	assert.equal(seeded.days.filter((d) => d.date.startsWith('2026')).length, 33 + 6);
	// 2026: National Day 10/1-10/7, Saturday 10/10 worked.
	assert.equal((await due(shanghai(2026, 9, 30, 17, 0), 480)).due_local, '2026-10-08 17:00');
	assert.equal((await due(shanghai(2026, 10, 9, 17, 0), 120)).due_local, '2026-10-10 10:00');
	// Spring Festival 2/15-2/23 with the Saturdays 2/14 and 2/28 worked.
	assert.equal((await due(shanghai(2026, 2, 13, 17, 0), 120)).due_local, '2026-02-14 10:00');
	assert.equal((await due(shanghai(2026, 2, 14, 17, 0), 120)).due_local, '2026-02-24 10:00');
});

test('the real 2025 calendar: imported, then the Friday before 端午节 and National Day', async () => {
	const imp = assertStatus(await api(admin, 'POST', '/api/calendar/import', { text: CN2025, mode: 'replace' }), 200);
	assert.equal(imp.imported_days, 33);
	assert.equal(imp.timezone, 'Asia/Shanghai');
	assert.deepEqual(imp.hours[0], { weekday: 1, intervals: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }] });
	assert.deepEqual(imp.hours[5].intervals, []);
	assert.ok(imp.days.some((d) => d.date === '2025-01-26' && d.kind === 'workday' && d.name === '春节调休'));
	// Created Friday 2025-05-30 16:00 with an 8-business-hour target: Tuesday 16:00.
	let r = await due(shanghai(2025, 5, 30, 16, 0), 480);
	assert.equal(r.due_at, shanghai(2025, 6, 3, 16, 0));
	assert.equal(r.due_local, '2025-06-03 16:00');
	assert.equal(r.start_local, '2025-05-30 16:00');
	// Across National Day: Tuesday 9/30 17:00 + 8 h is Thursday 10/9 17:00.
	r = await due(shanghai(2025, 9, 30, 17, 0), 480);
	assert.equal(r.due_local, '2025-10-09 17:00');
	// Sunday 9/28 and Saturday 10/11 are worked.
	assert.equal((await due(shanghai(2025, 9, 26, 17, 0), 480)).due_local, '2025-09-28 17:00');
	assert.equal((await due(shanghai(2025, 10, 10, 17, 0), 120)).due_local, '2025-10-11 10:00');
	// Lunch break and an end that lands on 12:00.
	assert.equal((await due(shanghai(2025, 3, 10, 11, 30), 30)).due_local, '2025-03-10 12:00');
	assert.equal((await due(shanghai(2025, 3, 10, 11, 30), 31)).due_local, '2025-03-10 13:01');
	// Business minutes between two times.
	const b = assertStatus(await api(agent, 'GET',
		`/api/calendar/due?start=${shanghai(2025, 5, 30, 16, 0)}&end=${shanghai(2025, 6, 3, 16, 0)}`), 200);
	assert.equal(b.minutes, 480);
	// The export is the same format and reads back.
	const ex = await api(agent, 'GET', '/api/calendar/export');
	assert.equal(ex.status, 200);
	assert.match(ex.headers.get('content-type'), /^text\/plain/);
	assert.match(ex.text, /^hours mon-fri 09:00-12:00,13:00-18:00$/m);
	assert.match(ex.text, /^2025-10-01\.\.2025-10-08 holiday 国庆节、中秋节$/m);
	assertStatus(await api(admin, 'POST', '/api/calendar/import', { text: ex.text, mode: 'replace' }), 200);
	assert.equal((await due(shanghai(2025, 5, 30, 16, 0), 480)).due_local, '2025-06-03 16:00');
});

test('calendar errors name the line; only admins change the calendar', async () => {
	const bad = await api(admin, 'POST', '/api/calendar/import', {
		text: '# 日历\nhours mon-fri 09:00-12:00\n2025-02-30 holiday 不存在的日子\n',
	});
	const p = assertProblem(bad, 422, 'invalid', 'text');
	assert.equal(p.line, 3);
	assert.match(p.detail, /第 3 行/);
	const en = await api(admin, 'POST', '/api/calendar/import', { text: 'hours funday 09:00-10:00\n' },
		{ headers: { 'Accept-Language': 'en' } });
	assert.match(assertProblem(en, 422).detail, /^line 1: invalid weekdays/);
	const twice = await api(admin, 'POST', '/api/calendar/import', {
		text: '2026-05-01..2026-05-05 holiday 劳动节\n2026-05-03 workday 调休\n',
	});
	assert.equal(assertProblem(twice, 422).line, 2);
	assertProblem(await api(admin, 'POST', '/api/calendar/import', { text: 'hours mon-sun off\n' }), 422, 'invalid', 'text');
	assertProblem(await api(admin, 'POST', '/api/calendar/import', { text: '', mode: 'all' }), 422, 'invalid');
	assertProblem(await api(agent, 'POST', '/api/calendar/import', { text: CN2025 }), 403, 'forbidden');
	assertProblem(await api(agent, 'PUT', '/api/calendar', { days: [] }), 403, 'forbidden');
	assertProblem(await api(admin, 'PUT', '/api/calendar', { timezone: 'Mars/Olympus' }), 422, 'invalid', 'timezone');
	assertProblem(await api(admin, 'PUT', '/api/calendar', { hours: [{ weekday: 8, intervals: [] }] }), 422, 'invalid', 'hours[0]');
	assertProblem(await api(admin, 'PUT', '/api/calendar',
		{ hours: [{ weekday: 1, intervals: [{ start: '12:00', end: '09:00' }] }] }), 422, 'invalid', 'hours[0].intervals');
	assertProblem(await api(admin, 'PUT', '/api/calendar', { days: [{ date: '2026-13-01', kind: 'holiday' }] }), 422, 'invalid', 'days[0]');
	// Merge adds dates and keeps the others.
	const before = assertStatus(await api(agent, 'GET', '/api/calendar'), 200);
	const merged = assertStatus(await api(admin, 'POST', '/api/calendar/import', { text: '2030-01-01 holiday 元旦\n' }), 200);
	assert.equal(merged.days.length, before.days.length + 1);
	assert.deepEqual(merged.hours, before.hours, 'a file without hours keeps them');
});

test('due times on a case follow the calendar, counted from when the customer got in touch', async () => {
	await roundTheClock(admin);
	const received = Date.now() - 30 * MIN;
	let c = await createCase(agent, { type: 'inquiry', channel: 'phone', subject: '何时发货', customer: { phone: phone() }, received_at: received });
	assert.equal(c.received_at, received);
	assert.equal(c.sla.policy.name, '默认 Default');
	assert.equal(c.sla.first_response.target_min, 240);
	assert.equal(c.sla.first_response.due_at, floorMinute(received) + 240 * MIN);
	assert.equal(c.sla.resolution.due_at, floorMinute(received) + 1440 * MIN);
	assert.equal(c.sla.due_at, c.sla.first_response.due_at, 'the earliest pending target');
	// A holiday on a local date the 24-hour target spans at least 12 hours
	// of, whatever the time of day the test runs, is skipped by it.
	const tomorrow = localDate(received + DAY / 2);
	assertStatus(await api(admin, 'PUT', '/api/calendar', { days: [{ date: tomorrow, kind: 'holiday', name: '测试假日' }] }), 200);
	c = await createCase(agent, { type: 'inquiry', channel: 'phone', subject: '又一问', customer: { phone: phone() }, received_at: received });
	let t = floorMinute(received), left = 1440;
	while (left > 0) {
		if (localDate(t) !== tomorrow)
			left--;
		t += MIN;
	}
	assert.equal(c.sla.resolution.due_at, t);
	assert.ok(c.sla.resolution.due_at > floorMinute(received) + 1440 * MIN);
	// A reply is the first response; the list shows the remaining target.
	assertStatus(await api(agent, 'POST', `/api/cases/${c.id}/events`, { kind: 'reply', body: '您好，已为您查询' }), 201);
	c = await getCase(agent, c.id);
	assert.equal(c.sla.first_response.status, 'met');
	assert.equal(c.sla.due_at, c.sla.resolution.due_at);
	const list = assertStatus(await api(agent, 'GET', '/api/cases?view=mine&limit=200'), 200);
	const item = list.items.find((x) => x.id === c.id);
	assert.equal(item.sla_due_at, c.sla.resolution.due_at);
	assert.equal(item.resolve_due_at, c.sla.resolution.due_at);
	assert.equal(item.overdue, false);
});

test('SLA policies: admins keep them; the most specific one applies to new cases', async () => {
	await roundTheClock(admin);
	const key = await createCustomer(admin, { name: `大客户${rand(2)}`, value_class: 'key', phone: `136${String(Date.now() % 1e8).padStart(8, '0')}` });
	const bad = [
		[{ name: 'x', first_response_min: 1, resolution_min: 2, priority: 'asap' }, 'priority'],
		[{ name: 'x', first_response_min: 1, resolution_min: 2, value_class: 'vip' }, 'value_class'],
		[{ name: 'x', first_response_min: 1, resolution_min: 2, tier: 'gold' }, 'tier'],
		[{ name: 'x', first_response_min: -1, resolution_min: 2 }, 'first_response_min'],
		[{ name: 'x', first_response_min: 1 }, 'resolution_min'],
		[{ first_response_min: 1, resolution_min: 2 }, 'name'],
		[{ name: 'x', first_response_min: 1, resolution_min: 2, colour: 1 }, 'colour'],
	];
	for (const [body, field] of bad)
		assertProblem(await api(admin, 'POST', '/api/sla-policies', body), 422, 'invalid', field);
	assertProblem(await api(agent, 'POST', '/api/sla-policies', { name: 'x', first_response_min: 1, resolution_min: 2 }), 403);
	const p = assertStatus(await api(admin, 'POST', '/api/sla-policies', {
		name: '关键客户建议', case_type: 'suggestion', value_class: 'key', first_response_min: 5, resolution_min: 10,
	}), 201);
	assert.equal(p.priority, null);
	assert.equal(p.active, true);
	const received = Date.now() - 2 * MIN;
	let c = await createCase(agent, { type: 'suggestion', channel: 'web', subject: '建议', customer_id: key.id, received_at: received });
	assert.equal(c.sla.policy.id, p.id);
	assert.equal(c.sla.resolution.due_at, floorMinute(received) + 10 * MIN);
	const patched = assertStatus(await api(admin, 'PATCH', `/api/sla-policies/${p.id}`, { resolution_min: 20, priority: 'low' }), 200);
	assert.equal(patched.resolution_min, 20);
	assert.equal(patched.priority, 'low');
	c = await createCase(agent, { type: 'suggestion', channel: 'web', subject: '建议2', customer_id: key.id, received_at: received });
	assert.equal(c.sla.policy.name, '关键客户 Key accounts', 'normal priority: the key-account policy');
	assert.equal((await api(admin, 'DELETE', `/api/sla-policies/${p.id}`)).status, 204);
	const all = assertStatus(await api(agent, 'GET', '/api/sla-policies'), 200).items;
	assert.equal(all.find((x) => x.id === p.id).active, false);
	assertProblem(await api(admin, 'PATCH', '/api/sla-policies/999999', { name: 'y' }), 404);
	assertProblem(await api(admin, 'DELETE', '/api/sla-policies/999999'), 404);
});

test('a customer who becomes a key account: open cases get the key-account policy and its due times', async () => {
	await roundTheClock(admin);
	const policies = assertStatus(await api(agent, 'GET', '/api/sla-policies'), 200).items;
	const keyPolicy = policies.find((x) => x.name === '关键客户 Key accounts');
	const cust = await createCustomer(admin, { name: `成长客户${rand(2)}` });
	const received = Date.now() - 2 * MIN;
	const open = await createCase(agent, { type: 'inquiry', channel: 'phone', subject: '报价', customer_id: cust.id, received_at: received });
	const closed = await createCase(agent, { type: 'inquiry', channel: 'phone', subject: '已结', customer_id: cust.id, received_at: received });
	await ok(agent, closed.id, 'resolve', { resolution: '已解答' });
	await ok(agent, closed.id, 'close');
	assert.notEqual(open.sla.policy.id, keyPolicy.id);
	const c0 = assertStatus(await api(admin, 'GET', `/api/customers/${cust.id}`), 200);
	assertStatus(await api(admin, 'PATCH', `/api/customers/${cust.id}`, { value_class: 'key', version: c0.version }), 200);
	const k = await getCase(agent, open.id);
	assert.equal(k.key_account, true);
	assert.equal(k.sla.policy.id, keyPolicy.id);
	assert.equal(k.sla.resolution.due_at, floorMinute(received) + keyPolicy.resolution_min * MIN, 'counted again from receipt');
	assert.equal(k.version, open.version + 1);
	const tl = assertStatus(await api(agent, 'GET', `/api/cases/${open.id}/events`), 200).items;
	const ev = tl.find((e) => e.kind === 'update' && e.data.key_account === 1);
	assert.ok(ev, JSON.stringify(tl.map((e) => [e.kind, e.data])));
	assert.equal(ev.data.sla_policy_id, keyPolicy.id);
	assert.equal(ev.actor.id, admin.user.id);
	const cl = await getCase(agent, closed.id);
	assert.equal(cl.key_account, false, 'a closed case keeps what it had');
	assert.equal(cl.sla.policy.id, closed.sla.policy.id);
	// Back to ordinary: the policy the case had before, due times counted again.
	assertStatus(await api(admin, 'PATCH', `/api/customers/${cust.id}`, { value_class: 'ordinary' }), 200);
	const o = await getCase(agent, open.id);
	assert.equal(o.key_account, false);
	assert.equal(o.sla.policy.id, open.sla.policy.id);
	assert.equal(o.sla.resolution.due_at, open.sla.resolution.due_at);
});

test('waiting on the customer stops the clock: no overdue, no escalation', async () => {
	await roundTheClock(admin);
	const c = await createCase(agent, { type: 'complaint', channel: 'phone', subject: '等客户照片', customer: { phone: phone() }, received_at: Date.now() - 3 * HOUR });
	assert.equal(c.sla.first_response.status, 'breached');
	const paused = await ok(agent, c.id, 'wait_customer', { note: '请客户发照片' });
	assert.equal(paused.paused, true);
	assert.equal(paused.sla.due_at, null);
	assert.equal(paused.sla.first_response.status, 'breached', 'missed before the pause: stays missed');
	const overdue = assertStatus(await api(agent, 'GET', '/api/cases?view=overdue&limit=200'), 200);
	assert.ok(!overdue.items.some((x) => x.id === c.id), 'a paused case is not in the overdue view');
	assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	const tl = assertStatus(await api(agent, 'GET', `/api/cases/${c.id}/events`), 200).items;
	assert.ok(!tl.some((e) => e.kind === 'sla_breach'), 'not escalated while paused');
	const resumed = await ok(agent, c.id, 'customer_replied');
	assert.equal(resumed.paused, false);
	assert.equal(typeof resumed.sla.paused_biz_min, 'number');
});

async function breaches(session, caseId) {
	const n = assertStatus(await api(session, 'GET', '/api/notifications?limit=200'), 200);
	return n.items.filter((x) => x.kind === 'sla_breach' && x.case_id === caseId);
}

test('a breach is escalated once to the supervisor, with a timeline entry; overdue view and count', async () => {
	await roundTheClock(admin);
	const c = await createCase(agent, { type: 'complaint', channel: 'phone', subject: '超时未响应', customer: { phone: phone() }, received_at: Date.now() - 3 * HOUR });
	assert.equal(c.department.id, dept);
	assert.equal(c.sla.first_response.status, 'breached');
	assert.equal(c.sla.overdue, true);
	const ov = assertStatus(await api(sup, 'GET', '/api/cases?view=overdue'), 200);
	assert.equal(ov.sort, 'due');
	assert.ok(ov.items.some((x) => x.id === c.id && x.overdue));
	const mine = assertStatus(await api(agent, 'GET', '/api/cases?view=overdue'), 200);
	assert.ok(mine.items.some((x) => x.id === c.id));
	assert.ok(assertStatus(await api(sup, 'GET', '/api/cases/counts'), 200).overdue >= 1);
	assertProblem(await api(agent, 'POST', '/api/jobs/run'), 403);
	const run = assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	assert.equal(run.jobs.sla_breach.ran, true);
	assert.match(run.jobs.sla_breach.result, /escalated [1-9]/);
	let got = await breaches(sup, c.id);
	assert.equal(got.length, 1, 'one notification for the supervisor');
	assert.match(got[0].title_zh, /首次响应超时/);
	assert.equal(got[0].case_number, c.number);
	assert.equal(got[0].data.target, 'first_response');
	const tl = assertStatus(await api(sup, 'GET', `/api/cases/${c.id}/events`), 200).items;
	const ev = tl.filter((e) => e.kind === 'sla_breach');
	assert.equal(ev.length, 1);
	assert.equal(ev[0].actor, null, 'the system escalated it');
	assert.equal(ev[0].data.target, 'first_response');
	// Idempotent: more runs, no more escalations.
	assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	assert.equal((await breaches(sup, c.id)).length, 1);
	// The supervisor reads it.
	assert.equal((await api(sup, 'POST', `/api/notifications/${got[0].id}/read`)).status, 204);
	got = await breaches(sup, c.id);
	assert.equal(typeof got[0].read_at, 'number');
	assertProblem(await api(agent, 'POST', `/api/notifications/${got[0].id}/read`), 404);
	const all = assertStatus(await api(sup, 'POST', '/api/notifications/read-all'), 200);
	assert.equal(typeof all.updated, 'number');
	assert.equal(assertStatus(await api(sup, 'GET', '/api/notifications?unread=1'), 200).unread, 0);
});

test('several instances on one database escalate each breach once', async () => {
	await roundTheClock(admin);
	const second = await srv.spawnServe();
	const c = await createCase(agent, { type: 'complaint', channel: 'phone', subject: '两台服务器', customer: { phone: phone() }, received_at: Date.now() - 5 * HOUR });
	const admin2 = { ...admin, base: second };
	const runs = await Promise.all([
		api(admin, 'POST', '/api/jobs/run'), api(admin2, 'POST', '/api/jobs/run'),
		api(admin, 'POST', '/api/jobs/run'), api(admin2, 'POST', '/api/jobs/run'),
	]);
	for (const r of runs)
		assertStatus(r, 200, 'jobs/run');
	assert.equal((await breaches(sup, c.id)).length, 1);
	const tl = assertStatus(await api(sup, 'GET', `/api/cases/${c.id}/events`), 200).items;
	assert.equal(tl.filter((e) => e.kind === 'sla_breach').length, 1);
});

test('a case without a department escalates to the heads of service (admins)', async () => {
	await roundTheClock(admin);
	const loner = await staff(srv, admin, { display_name: '无部门' });
	const c = await createCase(loner, { type: 'inquiry', channel: 'phone', subject: '无人认领', customer: { phone: phone() }, received_at: Date.now() - 2 * DAY });
	assert.equal(c.department, null);
	assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	const got = await breaches(admin, c.id);
	assert.equal(got.length, 2, 'first response and resolution both passed');
	assert.deepEqual(got.map((n) => n.data.target).sort(), ['first_response', 'resolution']);
});
