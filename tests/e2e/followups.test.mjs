// Follow-up visits (回访, issue 5): call times never in rest hours or the customer's
// do-not-disturb windows; complete records only; "not satisfied" opens a case; visits
// generated after a case is handled (once, however often the scan runs); overdue visits and
// commitments escalated to the supervisor once.  Fixed local dates for the rest-hour rules,
// times relative to the server's clock for the rest: nothing depends on the hour of the run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, adminSession, userSession, createCustomer, assertProblem, assertStatus, rand, IS_PG,
} from './lib.mjs';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const SH = 8 * HOUR; // Asia/Shanghai, no DST
const shanghai = (y, mo, d, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi) - SH;

/** Whether a UTC time is in the company's rest hours or one of the DND windows (same rules as the server). */
function blocked(ms, dnd = []) {
	const local = new Date(ms + SH);
	const min = local.getUTCHours() * 60 + local.getUTCMinutes();
	const wd = local.getUTCDay() || 7;
	const prevWd = wd === 1 ? 7 : wd - 1;
	const windows = [{ days: [], s: 720, e: 840 }, { days: [], s: 1260, e: 540 },
		...dnd.map((w) => ({ days: w.days, s: hm(w.start), e: hm(w.end) }))];
	return windows.some((w) => {
		const on = (d) => !w.days.length || w.days.includes(d);
		if (w.e > w.s)
			return on(wd) && min >= w.s && min < w.e;
		return (on(wd) && min >= w.s) || (on(prevWd) && min < w.e);
	});
}
function hm(s) {
	const [h, m] = s.split(':').map(Number);
	return h * 60 + m;
}

let srv, admin, sup, agent, dept, cust, dndCust;
const DND = [{ days: [4], start: '14:00', end: '15:30' }, { days: [5], start: '09:00', end: '10:00' }];

before(async () => {
	srv = await startServer('followups');
	admin = await adminSession(srv);
	dept = assertStatus(await api(admin, 'POST', '/api/departments', { name: `回访${rand(2)}` }), 201).id;
	sup = await userSession(srv, admin, { role: 'supervisor', department_id: dept });
	agent = await userSession(srv, admin, { role: 'agent', department_id: dept });
	cust = await createCustomer(agent, { name: '王回访' });
	dndCust = await createCustomer(agent, { name: '赵勿扰', dnd: DND });
});

after(async () => {
	await srv?.stop();
});

const callTime = async (customer, at) =>
	assertStatus(await api(agent, 'GET', `/api/followups/call-time?customer_id=${customer.id}&at=${at}`), 200).call_at;

test('the proposed call time skips rest hours, across midnight and weekdays, and the customer DND', async () => {
	// 2026-12-03 is a Thursday
	assert.equal(await callTime(cust, shanghai(2026, 12, 3, 10, 0)), shanghai(2026, 12, 3, 10, 0));
	assert.equal(await callTime(cust, shanghai(2026, 12, 3, 12, 30)), shanghai(2026, 12, 3, 14, 0));
	assert.equal(await callTime(cust, shanghai(2026, 12, 3, 21, 30)), shanghai(2026, 12, 4, 9, 0));
	assert.equal(await callTime(cust, shanghai(2026, 12, 4, 3, 0)), shanghai(2026, 12, 4, 9, 0));
	// the customer's own windows: Thursday 14:00-15:30, Friday 09:00-10:00
	assert.equal(await callTime(dndCust, shanghai(2026, 12, 3, 12, 30)), shanghai(2026, 12, 3, 15, 30));
	assert.equal(await callTime(dndCust, shanghai(2026, 12, 3, 22, 0)), shanghai(2026, 12, 4, 10, 0));
	// Wednesday's 14:00 is free for this customer
	assert.equal(await callTime(dndCust, shanghai(2026, 12, 2, 13, 0)), shanghai(2026, 12, 2, 14, 0));
	assertProblem(await api(agent, 'GET', '/api/followups/call-time'), 422, 'invalid', 'customer_id');
});

test('a visit planned at 12:30 or in the customer DND is refused with the first allowed time', async () => {
	const due = shanghai(2026, 12, 5, 18, 0);
	const p = assertProblem(await api(agent, 'POST', '/api/followups',
		{ customer_id: cust.id, due_at: due, call_at: shanghai(2026, 12, 3, 12, 30) }), 422, 'invalid', 'call_at');
	assert.match(p.detail, /休息/);
	assert.match(p.detail, /2026-12-03 14:00/, 'the first allowed time as a local date and time');
	assert.doesNotMatch(p.detail, /\d{13}/, 'no epoch milliseconds in the message');
	const q = assertProblem(await api(agent, 'POST', '/api/followups',
		{ customer_id: dndCust.id, due_at: due, call_at: shanghai(2026, 12, 3, 14, 30) }), 422, 'invalid', 'call_at');
	assert.match(q.detail, /15:30/);
	const f = assertStatus(await api(agent, 'POST', '/api/followups',
		{ customer_id: dndCust.id, due_at: due, call_at: shanghai(2026, 12, 3, 16, 0), title: '新品使用回访' }), 201);
	assert.equal(f.kind, 'manual');
	assert.equal(f.assignee_id, agent.user.id);
	assert.equal(f.department_id, dept);
	assert.equal(f.state, 'open');
	assert.equal(f.call_at, shanghai(2026, 12, 3, 16, 0));
	// moving it into rest time is refused too
	assertProblem(await api(agent, 'PATCH', `/api/followups/${f.id}`, { call_at: shanghai(2026, 12, 3, 21, 15) }),
		422, 'invalid', 'call_at');
	// without a call time the first allowed one from now is proposed
	const g = assertStatus(await api(agent, 'POST', '/api/followups', { customer_id: dndCust.id, due_at: Date.now() + DAY }), 201);
	assert.ok(!blocked(g.call_at, DND), `proposed ${new Date(g.call_at).toISOString()} is callable`);
	assertProblem(await api(agent, 'POST', '/api/followups', { customer_id: 999999, due_at: due }), 422, 'invalid', 'customer_id');
	assertProblem(await api(agent, 'POST', '/api/followups', { customer_id: cust.id }), 422, 'invalid', 'due_at');
});

test('a visit closes only with a complete record; the 422 names what is missing', async () => {
	const f = assertStatus(await api(agent, 'POST', '/api/followups', { customer_id: cust.id, due_at: Date.now() + DAY }), 201);
	const p = assertProblem(await api(agent, 'POST', `/api/followups/${f.id}/close`), 422, 'invalid', 'outcome');
	for (const name of ['outcome', 'evaluation', 'suggestions', 'next_step'])
		assert.match(p.detail, new RegExp(name));
	assertProblem(await api(agent, 'PATCH', `/api/followups/${f.id}`, { outcome: 'happy' }), 422, 'invalid', 'outcome');
	assertStatus(await api(agent, 'PATCH', `/api/followups/${f.id}`, { outcome: 'satisfied', evaluation: '很满意，安装师傅准时' }), 200);
	const q = assertProblem(await api(agent, 'POST', `/api/followups/${f.id}/close`), 422, 'invalid', 'suggestions');
	assert.match(q.detail, /suggestions, next_step/);
	assert.doesNotMatch(q.detail, /outcome/);
	assertStatus(await api(agent, 'PATCH', `/api/followups/${f.id}`, { suggestions: '希望多些颜色', next_step: '三个月后保养提醒' }), 200);
	const done = assertStatus(await api(agent, 'POST', `/api/followups/${f.id}/close`), 200);
	assert.equal(done.state, 'done');
	assert.equal(done.outcome, 'satisfied');
	assert.equal(done.result_case_id, null);
	assert.equal(done.closed_by, agent.user.id);
	assertProblem(await api(agent, 'POST', `/api/followups/${f.id}/close`), 409, 'conflict');
	assertProblem(await api(agent, 'PATCH', `/api/followups/${f.id}`, { evaluation: 'x' }), 409, 'conflict');
});

test('a visit closed "not satisfied" opens a case for the customer, linked to the visit', async () => {
	const f = assertStatus(await api(agent, 'POST', '/api/followups', { customer_id: cust.id, due_at: Date.now() + DAY }), 201);
	assertStatus(await api(agent, 'PATCH', `/api/followups/${f.id}`,
		{ outcome: 'not_satisfied', evaluation: '维修后仍有异响', suggestions: '希望换新', next_step: '转售后处理' }), 200);
	const done = assertStatus(await api(agent, 'POST', `/api/followups/${f.id}/close`), 200);
	assert.equal(typeof done.result_case_id, 'number');
	const c = assertStatus(await api(agent, 'GET', `/api/cases/${done.result_case_id}`), 200);
	assert.equal(c.customer_id ?? c.customer?.id, cust.id);
	assert.equal(c.type, 'complaint');
	assert.match(c.subject, new RegExp(`#${f.id}`));
});

test('a handled case gets one visit due within 3 days, called outside rest hours and DND', async () => {
	let c = assertStatus(await api(agent, 'POST', '/api/cases',
		{ type: 'inquiry', channel: 'phone', subject: '怎么开发票', customer_id: dndCust.id }), 201);
	c = assertStatus(await api(agent, 'POST', `/api/cases/${c.id}/transitions`, { action: 'resolve', resolution: '已开票' }), 200);
	const handled = c.resolved_at;
	assert.equal(typeof handled, 'number');
	assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	const list = assertStatus(await api(agent, 'GET', `/api/followups?case_id=${c.id}`), 200).items;
	assert.equal(list.length, 1, 'one visit however often the scan runs');
	const f = list[0];
	assert.equal(f.kind, 'case_handled');
	assert.equal(f.rule_key, `case:${c.id}`);
	assert.equal(f.customer_id, dndCust.id);
	assert.equal(f.assignee_id, c.assignee?.id ?? c.assignee_id ?? null);
	assert.equal(f.due_at, handled + 3 * DAY);
	assert.ok(f.call_at >= handled + DAY, 'proposed a day after handling, or later');
	assert.ok(f.call_at < handled + DAY + 2 * DAY, 'and not much later');
	assert.ok(!blocked(f.call_at, DND), `call at ${new Date(f.call_at + SH).toISOString()} local is callable`);
});

test('workbench views and overdue escalation to the supervisor, once', async () => {
	const soon = assertStatus(await api(agent, 'POST', '/api/followups', { customer_id: cust.id, due_at: Date.now() + 2 * DAY }), 201);
	const late = assertStatus(await api(agent, 'POST', '/api/followups', { customer_id: cust.id, due_at: Date.now() + 800 }), 201);
	const promise = assertStatus(await api(agent, 'POST', '/api/commitments',
		{ customer_id: cust.id, content: '今天寄出配件', due_at: Date.now() + 800 }), 201);
	await new Promise((res) => setTimeout(res, 1000));
	const due = assertStatus(await api(agent, 'GET', '/api/followups?view=mine_due'), 200);
	assert.ok(due.items.some((x) => x.id === soon.id));
	assert.ok(!due.items.some((x) => x.id === late.id));
	const od = assertStatus(await api(agent, 'GET', '/api/followups?view=mine_overdue'), 200);
	assert.ok(od.items.some((x) => x.id === late.id && x.overdue === true));
	assertProblem(await api(agent, 'GET', '/api/followups?view=overdue'), 403, 'forbidden');
	assertStatus(await api(sup, 'GET', '/api/followups?view=overdue'), 200);
	assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	const notes = assertStatus(await api(sup, 'GET', '/api/notifications'), 200).items;
	const fuNotes = notes.filter((n) => n.kind === 'followup_overdue' && n.data?.id === late.id);
	assert.equal(fuNotes.length, 1, 'the overdue visit is escalated once');
	const cmNotes = notes.filter((n) => n.kind === 'commitment_overdue' && n.data?.id === promise.id);
	assert.equal(cmNotes.length, 1, 'the overdue commitment is escalated once');
	const got = assertStatus(await api(agent, 'GET', `/api/followups/${late.id}`), 200);
	assert.equal(typeof got.escalated_at, 'number');
	const cm = assertStatus(await api(agent, 'GET', `/api/commitments/${promise.id}`), 200);
	assert.equal(typeof cm.escalated_at, 'number');
});

test('closed visits newest first (mine_done, done), filtered by assignee and kind', async () => {
	const other = await userSession(srv, admin, { role: 'agent', department_id: dept });
	const rec = { outcome: 'so_so', evaluation: '还行', suggestions: '无', next_step: '下月再访' };
	const close = async (s, id) => {
		assertStatus(await api(s, 'PATCH', `/api/followups/${id}`, rec), 200);
		return assertStatus(await api(s, 'POST', `/api/followups/${id}/close`), 200);
	};
	// Closed in the order a, b: b is the latest, though due first.
	const a = assertStatus(await api(agent, 'POST', '/api/followups', { customer_id: cust.id, due_at: Date.now() + 3 * DAY }), 201);
	const b = assertStatus(await api(agent, 'POST', '/api/followups', { customer_id: cust.id, due_at: Date.now() + DAY }), 201);
	const open = assertStatus(await api(agent, 'POST', '/api/followups', { customer_id: cust.id, due_at: Date.now() + DAY }), 201);
	const c = assertStatus(await api(other, 'POST', '/api/followups', { customer_id: cust.id, due_at: Date.now() + DAY }), 201);
	await close(agent, a.id);
	await new Promise((res) => setTimeout(res, 5));
	await close(agent, b.id);
	await close(other, c.id);
	const mine = assertStatus(await api(agent, 'GET', '/api/followups?view=mine_done&limit=2'), 200);
	assert.equal(mine.view, 'mine_done');
	assert.deepEqual(mine.items.map((x) => x.id), [b.id, a.id]);
	assert.ok(!mine.items.some((x) => x.id === open.id || x.id === c.id));
	assertProblem(await api(agent, 'GET', '/api/followups?view=done'), 403, 'forbidden', 'view');
	const team = assertStatus(await api(sup, 'GET', `/api/followups?view=done&assignee_id=${other.user.id}`), 200);
	assert.deepEqual(team.items.map((x) => x.id), [c.id]);
	const byAgent = assertStatus(await api(sup, 'GET', `/api/followups?view=due&assignee_id=${agent.user.id}`), 200);
	assert.ok(byAgent.items.some((x) => x.id === open.id));
	assert.ok(byAgent.items.every((x) => x.assignee_id === agent.user.id));
	const manual = assertStatus(await api(sup, 'GET', '/api/followups?view=all&kind=manual&limit=500'), 200);
	assert.ok(manual.items.length > 0 && manual.items.every((x) => x.kind === 'manual'));
	const none = assertStatus(await api(sup, 'GET', '/api/followups?view=all&kind=birthday&customer_id=' + cust.id), 200);
	assert.deepEqual(none.items, []);
	assertProblem(await api(sup, 'GET', '/api/followups?view=all&assignee_id=x'), 422, 'invalid', 'assignee_id');
});

test('two servers on one PostgreSQL: every generated visit and escalation exists once', { skip: !IS_PG && 'PostgreSQL only' }, async () => {
	const base2 = await srv.spawnServe();
	const admin2 = { ...admin, base: base2 };
	const ids = [];
	for (let i = 0; i < 6; i++) {
		const c = assertStatus(await api(agent, 'POST', '/api/cases',
			{ type: 'inquiry', channel: 'phone', subject: `并发${i}`, customer_id: cust.id }), 201);
		assertStatus(await api(agent, 'POST', `/api/cases/${c.id}/transitions`, { action: 'resolve', resolution: '已答复' }), 200);
		ids.push(c.id);
	}
	const late = assertStatus(await api(agent, 'POST', '/api/followups', { customer_id: cust.id, due_at: Date.now() + 500 }), 201);
	await new Promise((res) => setTimeout(res, 700));
	const runs = [];
	for (let i = 0; i < 4; i++)
		runs.push(api(admin, 'POST', '/api/jobs/run'), api(admin2, 'POST', '/api/jobs/run'));
	for (const r of await Promise.all(runs))
		assertStatus(r, 200, 'jobs run');
	for (const id of ids) {
		const v = assertStatus(await api(agent, 'GET', `/api/followups?case_id=${id}`), 200).items;
		assert.equal(v.length, 1, `case ${id} has one visit`);
	}
	const notes = assertStatus(await api(sup, 'GET', '/api/notifications?limit=200'), 200).items;
	assert.equal(notes.filter((n) => n.kind === 'followup_overdue' && n.data?.id === late.id).length, 1);
});

test('the company rest hours are a setting: changed, they move every proposed call time', async () => {
	const callTime = async (c, at) => assertStatus(await api(agent, 'GET', `/api/followups/call-time?customer_id=${c.id}&at=${at}`), 200).call_at;
	const before = assertStatus(await api(sup, 'GET', '/api/hotline/settings'), 200);
	assert.deepEqual(before.rest_hours, [{ start: '12:00', end: '14:00' }, { start: '21:00', end: '09:00' }]);
	assertProblem(await api(sup, 'PATCH', '/api/hotline/settings', { rest_hours: [] }), 403);
	assertProblem(await api(admin, 'PATCH', '/api/hotline/settings', { rest_hours: [{ start: '12:00', end: '12:00' }] }), 422, 'invalid', 'rest_hours[0].end');
	assertProblem(await api(admin, 'PATCH', '/api/hotline/settings', { rest_hours: [{ start: '25:00', end: '13:00' }] }), 422, 'invalid', 'rest_hours[0].start');
	assertProblem(await api(admin, 'PATCH', '/api/hotline/settings', { rest_hours: 'noon' }), 422, 'invalid', 'rest_hours');
	// A shorter lunch (12:00-13:00) and no evening rest: 13:30 and 22:00 are callable.
	const s = assertStatus(await api(admin, 'PATCH', '/api/hotline/settings', { rest_hours: [{ start: '12:00', end: '13:00' }] }), 200);
	assert.deepEqual(s.rest_hours, [{ start: '12:00', end: '13:00' }]);
	assert.equal(await callTime(cust, shanghai(2026, 12, 3, 12, 30)), shanghai(2026, 12, 3, 13, 0));
	assert.equal(await callTime(cust, shanghai(2026, 12, 3, 22, 0)), shanghai(2026, 12, 3, 22, 0));
	assertStatus(await api(agent, 'POST', '/api/followups', { customer_id: cust.id, due_at: shanghai(2026, 12, 5, 18, 0), call_at: shanghai(2026, 12, 3, 13, 30) }), 201);
	assertStatus(await api(admin, 'PATCH', '/api/hotline/settings', { rest_hours: before.rest_hours }), 200);
	assert.equal(await callTime(cust, shanghai(2026, 12, 3, 12, 30)), shanghai(2026, 12, 3, 14, 0));
});
