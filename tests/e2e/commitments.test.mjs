// Commitments (承诺, issue 5): recorded with due date, maker and source; the workbench views;
// kept / broken recorded once; the fulfilment rate per agent and department.
// Times are relative to the server's clock (Date.now() here), never to the hour of day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, adminSession, userSession, createCustomer, assertProblem, assertStatus, rand,
} from './lib.mjs';

const HOUR = 3600_000;
let srv, admin, sup, agentA, agentB, dept, cust, other;

before(async () => {
	srv = await startServer('commitments');
	admin = await adminSession(srv);
	const d = await api(admin, 'POST', '/api/departments', { name: `售后${rand(2)}` });
	dept = assertStatus(d, 201, 'department').id;
	sup = await userSession(srv, admin, { role: 'supervisor', department_id: dept });
	agentA = await userSession(srv, admin, { role: 'agent', department_id: dept });
	agentB = await userSession(srv, admin, { role: 'agent' });
	cust = await createCustomer(agentA, { name: '张承诺' });
	other = await createCustomer(agentA, { name: '李别人' });
});

after(async () => {
	await srv?.stop();
});

const promise = (s, body) => api(s, 'POST', '/api/commitments', body);

test('a commitment records content, due date, maker, department and source case', async () => {
	const c = assertStatus(await api(agentA, 'POST', '/api/cases',
		{ type: 'complaint', channel: 'phone', subject: '耳机没声音', customer_id: cust.id }), 201, 'case');
	const due = Date.now() + 48 * HOUR;
	const r = assertStatus(await promise(agentA,
		{ customer_id: cust.id, case_id: c.id, content: '两天内上门更换耳机', due_at: due }), 201, 'create');
	assert.equal(r.customer_id, cust.id);
	assert.equal(r.customer_name, '张承诺');
	assert.equal(r.case_id, c.id);
	assert.equal(r.followup_id, null);
	assert.equal(r.content, '两天内上门更换耳机');
	assert.equal(r.due_at, due);
	assert.equal(r.made_by, agentA.user.id);
	assert.equal(r.department_id, dept);
	assert.equal(r.state, 'open');
	assert.equal(r.overdue, false);
	const g = assertStatus(await api(agentB, 'GET', `/api/commitments/${r.id}`), 200, 'get');
	assert.equal(g.id, r.id);
	const byCase = assertStatus(await api(agentB, 'GET', `/api/commitments?case_id=${c.id}`), 200);
	assert.deepEqual(byCase.items.map((x) => x.id), [r.id]);
	// a case of another customer is refused, naming the field
	assertProblem(await promise(agentA, { customer_id: other.id, case_id: c.id, content: 'x', due_at: due }),
		422, 'invalid', 'case_id');
});

test('validation names the field; nothing is written', async () => {
	const due = Date.now() + HOUR;
	const before_ = assertStatus(await api(agentA, 'GET', '/api/commitments?view=mine'), 200).items.length;
	assertProblem(await promise(agentA, { content: 'x', due_at: due }), 422, 'invalid', 'customer_id');
	assertProblem(await promise(agentA, { customer_id: 999999, content: 'x', due_at: due }), 422, 'invalid', 'customer_id');
	assertProblem(await promise(agentA, { customer_id: cust.id, due_at: due }), 422, 'invalid', 'content');
	assertProblem(await promise(agentA, { customer_id: cust.id, content: '  ', due_at: due }), 422, 'invalid', 'content');
	assertProblem(await promise(agentA, { customer_id: cust.id, content: 'x' }), 422, 'invalid', 'due_at');
	const past = assertProblem(await promise(agentA, { customer_id: cust.id, content: 'x', due_at: Date.now() - 2 * HOUR }),
		422, 'invalid', 'due_at');
	assert.match(past.detail, /期限/);
	assertProblem(await promise(agentA, { customer_id: cust.id, content: 'x', due_at: due, followup_id: 999999 }),
		422, 'invalid', 'followup_id');
	assertProblem(await promise(agentA, { customer_id: cust.id, content: 'x', due_at: due, colour: 'red' }),
		422, 'invalid', 'colour');
	assert.equal(assertStatus(await api(agentA, 'GET', '/api/commitments?view=mine'), 200).items.length, before_);
});

test('workbench views: my due, my overdue; supervisors see everyone', async () => {
	const soon = assertStatus(await promise(agentB,
		{ customer_id: other.id, content: '明天回电话说明进度', due_at: Date.now() + 24 * HOUR }), 201);
	// A promise due in a second becomes overdue without waiting on the hour of the day.
	const quick = assertStatus(await promise(agentB,
		{ customer_id: other.id, content: '马上寄出发票', due_at: Date.now() + 1000 }), 201);
	await new Promise((res) => setTimeout(res, 1200));
	const due = assertStatus(await api(agentB, 'GET', '/api/commitments?view=mine_due'), 200);
	assert.equal(due.view, 'mine_due');
	assert.deepEqual(due.items.map((x) => x.id), [soon.id]);
	const od = assertStatus(await api(agentB, 'GET', '/api/commitments?view=mine_overdue'), 200);
	assert.deepEqual(od.items.map((x) => x.id), [quick.id]);
	assert.equal(od.items[0].overdue, true);
	// agent A's own lists do not show B's promises
	const aDue = assertStatus(await api(agentA, 'GET', '/api/commitments?view=mine_due'), 200);
	assert.ok(aDue.items.every((x) => x.made_by === agentA.user.id));
	assertProblem(await api(agentA, 'GET', '/api/commitments?view=overdue'), 403, 'forbidden', 'view');
	assertProblem(await api(agentA, 'GET', '/api/commitments?view=soon'), 422, 'invalid', 'view');
	const all = assertStatus(await api(sup, 'GET', '/api/commitments?view=overdue'), 200);
	assert.ok(all.items.some((x) => x.id === quick.id));
	// due order
	const mine = assertStatus(await api(agentB, 'GET', '/api/commitments?view=mine'), 200);
	assert.deepEqual(mine.items.map((x) => x.id), [quick.id, soon.id]);
});

test('kept or broken is recorded once, by the maker or a supervisor', async () => {
	const a = assertStatus(await promise(agentA, { customer_id: cust.id, content: '周五前退款', due_at: Date.now() + HOUR }), 201);
	const b = assertStatus(await promise(agentA, { customer_id: cust.id, content: '送一张优惠券', due_at: Date.now() + HOUR }), 201);
	assertProblem(await api(agentB, 'POST', `/api/commitments/${a.id}/outcome`, { outcome: 'kept' }), 403, 'forbidden');
	assertProblem(await api(agentA, 'POST', `/api/commitments/${a.id}/outcome`, { outcome: 'maybe' }), 422, 'invalid', 'outcome');
	const k = assertStatus(await api(agentA, 'POST', `/api/commitments/${a.id}/outcome`, { outcome: 'kept', note: '已到账' }), 200);
	assert.equal(k.state, 'kept');
	assert.equal(k.resolved_by, agentA.user.id);
	assert.equal(k.resolution_note, '已到账');
	assert.equal(typeof k.resolved_at, 'number');
	assertProblem(await api(agentA, 'POST', `/api/commitments/${a.id}/outcome`, { outcome: 'broken' }), 409, 'conflict', 'outcome');
	const br = assertStatus(await api(sup, 'POST', `/api/commitments/${b.id}/outcome`, { outcome: 'broken' }), 200);
	assert.equal(br.state, 'broken');
	assert.equal(br.resolved_by, sup.user.id);
	assertProblem(await api(agentA, 'POST', '/api/commitments/999999/outcome', { outcome: 'kept' }), 404, 'not_found');
});

test('fulfilment rate per agent and per department', async () => {
	const s = assertStatus(await api(sup, 'GET', '/api/commitments/stats?by=agent'), 200);
	const a = s.items.find((x) => x.user_id === agentA.user.id);
	// agent A: one kept, one broken, one open not yet due (the first test's)
	assert.deepEqual({ kept: a.kept, broken: a.broken, overdue: a.overdue, pending: a.pending },
		{ kept: 1, broken: 1, overdue: 0, pending: 1 });
	assert.equal(a.rate_bp, 5000);
	const b = s.items.find((x) => x.user_id === agentB.user.id);
	// agent B: one overdue (counts as not kept), one pending
	assert.deepEqual({ kept: b.kept, overdue: b.overdue, pending: b.pending }, { kept: 0, overdue: 1, pending: 1 });
	assert.equal(b.rate_bp, 0);
	const d = assertStatus(await api(sup, 'GET', '/api/commitments/stats?by=department'), 200);
	const row = d.items.find((x) => x.department_id === dept);
	assert.equal(row.kept, 1);
	assert.equal(row.rate_bp, 5000);
	const none = d.items.find((x) => x.department_id === null);
	assert.equal(none.overdue, 1);
	// a window with nothing in it
	const empty = assertStatus(await api(sup, 'GET', '/api/commitments/stats?from=1&to=2'), 200);
	assert.deepEqual(empty.items, []);
	assertProblem(await api(sup, 'GET', '/api/commitments/stats?by=team'), 422, 'invalid', 'by');
	assertProblem(await api(agentA, 'GET', '/api/commitments/stats'), 403);
});

// After the rate test: these add to agent B's counts.
test('kept and broken ones newest first (mine_resolved, resolved), filtered by maker', async () => {
	const mk = async (s, content) => assertStatus(await promise(s, { customer_id: other.id, content, due_at: Date.now() + 5 * HOUR }), 201);
	const x = await mk(agentB, '先登记的');
	const y = await mk(agentB, '后登记的');
	const z = await mk(agentB, '还没结果');
	assertStatus(await api(agentB, 'POST', `/api/commitments/${x.id}/outcome`, { outcome: 'kept' }), 200);
	await new Promise((res) => setTimeout(res, 5));
	assertStatus(await api(agentB, 'POST', `/api/commitments/${y.id}/outcome`, { outcome: 'broken', note: '缺货' }), 200);
	const mine = assertStatus(await api(agentB, 'GET', '/api/commitments?view=mine_resolved'), 200);
	assert.equal(mine.view, 'mine_resolved');
	const ids = mine.items.map((m) => m.id);
	assert.ok(ids.indexOf(y.id) >= 0 && ids.indexOf(y.id) < ids.indexOf(x.id), 'the latest resolved first');
	assert.ok(!ids.includes(z.id));
	assert.ok(mine.items.every((m) => m.state !== 'open' && m.made_by === agentB.user.id));
	assertProblem(await api(agentB, 'GET', '/api/commitments?view=resolved'), 403, 'forbidden', 'view');
	const byB = assertStatus(await api(sup, 'GET', `/api/commitments?view=resolved&made_by=${agentB.user.id}`), 200);
	assert.deepEqual(byB.items.map((m) => m.id), ids);
	const dueA = assertStatus(await api(sup, 'GET', `/api/commitments?view=due&made_by=${agentA.user.id}`), 200);
	assert.ok(dueA.items.every((m) => m.made_by === agentA.user.id));
	assert.ok(!dueA.items.some((m) => m.id === z.id));
});
