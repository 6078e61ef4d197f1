// Commitment fulfilment and agent workload (issue 7): the numbers for a fixture made here,
// the period's edges, the filters, CSV and xlsx equal to JSON, and the list filters that the
// reports' numbers link to.
//
// The fixture, relative to the server's clock: agent A (department A) promises five things:
// one kept before it is due, one kept after it was due, one broken, one left overdue and one
// not yet due; agent B (department B) promises one thing not yet due.  A handles a case to the
// end (a reply, closed), has one more open case, closes a follow-up visit and records an
// answered hotline call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, adminSession, userSession, createCustomer, assertProblem, assertStatus, rand,
} from './lib.mjs';
import { unzip, sheetRows, parseCsv } from './xlsx.mjs';
import { pbxToken, agentWithExtension, post, callId } from './calls_fixtures.mjs';

process.env.KEFU_JOBS_INTERVAL = '0';
const HOUR = 3600_000;
let srv, admin, sup, agentA, agentB, deptA, deptB, cust;
const c = {}; // the commitments by name
let t0, tEnd, closedCase, openCase, visit;

async function download(session, path) {
	const res = await fetch(session.base + path, { headers: { Cookie: session.cookie } });
	return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const promise = async (s, content, due_at) =>
	assertStatus(await api(s, 'POST', '/api/commitments', { customer_id: cust.id, content, due_at }), 201, content);
const outcome = async (s, id, o) =>
	assertStatus(await api(s, 'POST', `/api/commitments/${id}/outcome`, { outcome: o }), 200, o);

before(async () => {
	srv = await startServer('reports-service');
	admin = await adminSession(srv);
	deptA = assertStatus(await api(admin, 'POST', '/api/departments', { name: `客服${rand(3)}` }), 201).id;
	deptB = assertStatus(await api(admin, 'POST', '/api/departments', { name: `售后${rand(3)}` }), 201).id;
	sup = await userSession(srv, admin, { role: 'supervisor' });
	agentA = await agentWithExtension(srv, admin, '1001', { department_id: deptA, display_name: '甲坐席' });
	agentB = await userSession(srv, admin, { role: 'agent', department_id: deptB, display_name: '乙坐席' });
	cust = await createCustomer(agentA, { name: '张承诺' });

	// Due already (creation allows a minute of slack): three distinct due times.
	const past = Date.now() - 30_000;
	c.late = await promise(agentA, '回电说明进度', past);
	c.broken = await promise(agentA, '寄出发票', past + 1);
	c.overdue = await promise(agentA, '上门检修', past + 2);
	c.onTime = await promise(agentA, '一小时内回电', Date.now() + HOUR);
	c.pending = await promise(agentA, '两小时内回电', Date.now() + 2 * HOUR);
	c.other = await promise(agentB, '明天回电', Date.now() + HOUR);
	await outcome(agentA, c.late.id, 'kept');
	await outcome(agentA, c.broken.id, 'broken');
	await outcome(agentA, c.onTime.id, 'kept');
	t0 = c.late.due_at;
	tEnd = c.pending.due_at + 1;

	closedCase = assertStatus(await api(agentA, 'POST', '/api/cases', {
		type: 'inquiry', channel: 'phone', subject: '咨询保修', customer_id: cust.id, assignee_id: agentA.user.id,
	}), 201, 'case');
	assertStatus(await api(agentA, 'POST', `/api/cases/${closedCase.id}/events`, { kind: 'reply', body: '您好，保修期为两年。' }), 201, 'reply');
	openCase = assertStatus(await api(agentA, 'POST', '/api/cases', {
		type: 'inquiry', channel: 'web', subject: '咨询价格', customer_id: cust.id, assignee_id: agentA.user.id,
	}), 201, 'case');

	visit = assertStatus(await api(agentA, 'POST', '/api/followups', { customer_id: cust.id, due_at: Date.now() + HOUR }), 201);
	assertStatus(await api(agentA, 'PATCH', `/api/followups/${visit.id}`, {
		outcome: 'satisfied', evaluation: '满意', suggestions: '无', next_step: '无',
	}), 200);
	visit = assertStatus(await api(agentA, 'POST', `/api/followups/${visit.id}/close`), 200);

	// an inbound call A answered (60 s of talk), and one outbound call A made (not a hotline call)
	const pbx = await pbxToken(srv, admin);
	const now = Date.now(), id = callId();
	await post(pbx.session, [
		{ type: 'offered', call_id: id, at: now - 100_000, queue: '售后', caller: '13900000001' },
		{ type: 'answered', call_id: id, at: now - 90_000, agent: '1001' },
		{ type: 'ended', call_id: id, at: now - 30_000 },
	]);
	assertStatus(await api(agentA, 'POST', '/api/calls', {
		callee: '13900000002', outcome: 'reached', started_at: now - 90_000, answered_at: now - 80_000, ended_at: now - 20_000,
	}), 201, 'outbound call');
});

after(async () => {
	await srv?.stop();
});

/** Resolves and closes a case of the simple flow; returns it. */
async function closeCase(session, id) {
	for (const [action, fields] of [['resolve', { resolution: '已解答' }], ['close', {}]])
		assertStatus(await api(session, 'POST', `/api/cases/${id}/transitions`, { action, ...fields }), 200, action);
	const k = assertStatus(await api(session, 'GET', `/api/cases/${id}`), 200);
	assert.equal(k.state, 'closed');
	return k;
}

test('commitment fulfilment: the six counts, the rate, by week and by maker', async () => {
	const q = `from=${t0}&to=${tEnd}`;
	const r = assertStatus(await api(sup, 'GET', `/api/reports/commitments?${q}`), 200);
	assert.equal(r.from, t0);
	assert.equal(r.to, tEnd);
	assert.deepEqual(r.totals, {
		made: 6, kept_on_time: 1, kept_late: 1, broken: 1, overdue: 1, pending: 2, due: 4, rate: 0.25,
	});
	assert.deepEqual(r.owners.map((o) => [o.user_id, o.name, o.made, o.pending, o.rate]),
		[[agentA.user.id, '甲坐席', 5, 1, 0.25], [agentB.user.id, '乙坐席', 1, 1, null]]);
	const sum = (k) => r.weeks.reduce((s, w) => s + w[k], 0);
	for (const k of ['made', 'kept_on_time', 'kept_late', 'broken', 'overdue', 'pending'])
		assert.equal(sum(k), r.totals[k], k);
	assert.ok(r.weeks.length >= 1 && r.weeks.length <= 2);
	for (const w of r.weeks)
		assert.equal(new Date(w.week_start + 8 * HOUR).getUTCDay(), 1, 'weeks start on Monday, China time');

	// the edges: from is inclusive, to exclusive
	const edge = assertStatus(await api(sup, 'GET', `/api/reports/commitments?from=${t0 + 1}&to=${c.pending.due_at}`), 200);
	assert.equal(edge.totals.made, 4);
	assert.equal(edge.totals.kept_late, 0);
	assert.equal(edge.totals.pending, 1); // B's, due before A's last one
	const just = assertStatus(await api(sup, 'GET', `/api/reports/commitments?from=${t0}&to=${t0 + 1}`), 200);
	assert.deepEqual([just.totals.made, just.totals.kept_late, just.totals.rate], [1, 1, 0]);

	// filters: the maker's department, the maker
	const a = assertStatus(await api(sup, 'GET', `/api/reports/commitments?${q}&department_id=${deptA}`), 200);
	assert.equal(a.department_id, deptA);
	assert.equal(a.totals.made, 5);
	assert.deepEqual(a.owners.map((o) => o.user_id), [agentA.user.id]);
	const b = assertStatus(await api(sup, 'GET', `/api/reports/commitments?${q}&owner_id=${agentB.user.id}`), 200);
	assert.deepEqual([b.totals.made, b.totals.due, b.totals.rate], [1, 0, null]);
	const none = assertStatus(await api(sup, 'GET', '/api/reports/commitments?from=2000-01-01&to=2000-01-31'), 200);
	assert.equal(none.totals.made, 0);
	assert.deepEqual(none.owners, []);
	assert.equal(none.weeks.every((w) => w.made === 0), true);
});

test('commitment fulfilment as CSV and xlsx, by maker and by week', async () => {
	const q = `from=${t0}&to=${tEnd}`;
	const r = assertStatus(await api(sup, 'GET', `/api/reports/commitments?${q}`), 200);
	const csv = await download(sup, `/api/reports/commitments?${q}&format=csv`);
	assert.equal(csv.status, 200);
	assert.match(csv.headers.get('content-disposition'), /filename="kefu-commitments-\d{4}-\d{2}-\d{2}\.csv"/);
	const rows = parseCsv(csv.bytes.subarray(3).toString('utf8'));
	assert.deepEqual(rows[0], ['承诺人', '承诺数', '按时兑现', '逾期兑现', '未兑现', '逾期未处理', '未到期', '已到期', '兑现率（%）']);
	const line = (name, o) => [name, o.made, o.kept_on_time, o.kept_late, o.broken, o.overdue, o.pending, o.due,
		(o.rate === null ? 0 : o.rate * 100).toFixed(2)].map(String);
	assert.deepEqual(rows.slice(1), [...r.owners.map((o) => line(o.name, o)), line('合计', r.totals)]);

	const x = sheetRows(unzip((await download(sup, `/api/reports/commitments?${q}&format=xlsx`)).bytes));
	assert.equal(x[0][0], '承诺人');
	assert.equal(x.length, r.owners.length + 2);
	assert.deepEqual(x[1].slice(0, 8), [r.owners[0].name, 5, 1, 1, 1, 1, 1, 4]);
	assert.ok(Math.abs(x[1][8] - 0.25) < 1e-12);
	assert.deepEqual(x.at(-1).slice(0, 8), ['合计', 6, 1, 1, 1, 1, 2, 4]);

	const wk = parseCsv((await download(sup, `/api/reports/commitments?${q}&by=week&format=csv`)).bytes.subarray(3).toString('utf8'));
	assert.equal(wk[0][0], '周（周一）');
	assert.deepEqual(wk.slice(1, -1).map((w) => [w[0], Number(w[1])]), r.weeks.map((w) => [w.week, w.made]));
	assert.deepEqual(wk.at(-1).slice(0, 2), ['合计', '6']);
});

test('commitment fulfilment: bad parameters name the field; agents may not', async () => {
	assertProblem(await api(sup, 'GET', '/api/reports/commitments?from=2026-13-01'), 422, 'invalid', 'from');
	assertProblem(await api(sup, 'GET', '/api/reports/commitments?from=2026-02-01&to=2026-01-01'), 422, 'invalid', 'to');
	assertProblem(await api(sup, 'GET', '/api/reports/commitments?department_id=x'), 422, 'invalid', 'department_id');
	assertProblem(await api(sup, 'GET', '/api/reports/commitments?owner_id=0'), 422, 'invalid', 'owner_id');
	assertProblem(await api(sup, 'GET', '/api/reports/commitments?by=colour'), 422, 'invalid', 'by');
	assertProblem(await api(sup, 'GET', '/api/reports/commitments?format=pdf'), 422, 'invalid', 'format');
	assertProblem(await api(agentA, 'GET', '/api/reports/commitments'), 403);
});

test('the commitments list filters behind the numbers: maker, department, state, due range', async () => {
	const list = async (q) => assertStatus(await api(sup, 'GET', `/api/commitments?view=all&${q}`), 200).items.map((x) => x.id);
	const range = `due_from=${t0}&due_to=${tEnd}`;
	assert.deepEqual(await list(`made_by=${agentA.user.id}&${range}`),
		[c.late.id, c.broken.id, c.overdue.id, c.onTime.id, c.pending.id]);
	assert.deepEqual(await list(`${range}&state=kept_on_time`), [c.onTime.id]);
	assert.deepEqual(await list(`${range}&state=kept_late`), [c.late.id]);
	assert.deepEqual(await list(`${range}&state=kept`), [c.late.id, c.onTime.id]);
	assert.deepEqual(await list(`${range}&state=broken`), [c.broken.id]);
	assert.deepEqual(await list(`${range}&department_id=${deptB}`), [c.other.id]);
	assert.deepEqual(await list(`due_from=${t0 + 1}&due_to=${t0 + 2}`), [c.broken.id]);
	const overdue = assertStatus(await api(sup, 'GET', `/api/commitments?view=overdue&${range}`), 200).items.map((x) => x.id);
	assert.deepEqual(overdue, [c.overdue.id]);
	assertProblem(await api(sup, 'GET', '/api/commitments?view=all&state=lost'), 422, 'invalid', 'state');
	assertProblem(await api(sup, 'GET', '/api/commitments?view=all&due_from=soon'), 422, 'invalid', 'due_from');
	assertProblem(await api(sup, 'GET', '/api/commitments?view=all&due_to=-1'), 422, 'invalid', 'due_to');
	assertProblem(await api(sup, 'GET', '/api/commitments?view=all&department_id=x'), 422, 'invalid', 'department_id');
});

test('agent workload: per agent, with totals, sorted by load', async () => {
	const from = t0 - 600_000;
	const before_ = await closeCase(agentA, closedCase.id);
	const to = Date.now() + 3 * HOUR;
	const q = `from=${from}&to=${to}`;
	const r = assertStatus(await api(sup, 'GET', `/api/reports/agent-workload?${q}`), 200);
	const a = r.agents.find((x) => x.user_id === agentA.user.id);
	assert.ok(a, JSON.stringify(r.agents));
	assert.equal(a.name, '甲坐席');
	assert.equal(a.department_id, deptA);
	assert.deepEqual({ ...a, user_id: 0, name: '', department_id: 0 }, {
		user_id: 0, name: '', department_id: 0,
		assigned: 2, closed: 1, open: 1, overdue: 0, replies: 1, visits: 1,
		commitments_due: 5, commitments_kept: 2, calls: 1, aht_s: 60,
	});
	const b = r.agents.find((x) => x.user_id === agentB.user.id);
	assert.deepEqual([b.assigned, b.open, b.commitments_due, b.commitments_kept, b.calls, b.aht_s], [0, 0, 1, 0, 0, null]);
	assert.equal(r.agents.indexOf(a) < r.agents.indexOf(b), true, 'more open cases first');
	for (const k of ['assigned', 'closed', 'open', 'replies', 'visits', 'commitments_due', 'calls'])
		assert.equal(r.totals[k], r.agents.reduce((s, x) => s + x[k], 0), k);
	assert.ok(before_.closed_at >= from);

	// the period's edges: what happened before `from` or at `to` is out; "now" figures stay
	const later = assertStatus(await api(sup, 'GET', `/api/reports/agent-workload?from=${Date.now() + HOUR}&to=${to}`), 200);
	const la = later.agents.find((x) => x.user_id === agentA.user.id);
	assert.deepEqual([la.assigned, la.closed, la.open, la.replies, la.visits, la.calls, la.commitments_due],
		[0, 0, 1, 0, 0, 0, 1]);
	const upTo = assertStatus(await api(sup, 'GET', `/api/reports/agent-workload?from=${from}&to=${c.pending.due_at}`), 200);
	assert.equal(upTo.agents.find((x) => x.user_id === agentA.user.id).commitments_due, 4);

	const onlyB = assertStatus(await api(sup, 'GET', `/api/reports/agent-workload?${q}&department_id=${deptB}`), 200);
	assert.deepEqual(onlyB.agents.map((x) => x.user_id), [agentB.user.id]);
	assert.equal(onlyB.totals.commitments_due, 1);

	// A supervisor of one department counts the cases they may see, as their case list lists them.
	const supB = await userSession(srv, admin, { role: 'supervisor', department_id: deptB });
	const rb = assertStatus(await api(supB, 'GET', `/api/reports/agent-workload?${q}`), 200);
	const ab = rb.agents.find((x) => x.user_id === agentA.user.id) || { assigned: 0, closed: 0, open: 0 };
	const listed = async (qs) => assertStatus(await api(supB, 'GET', `/api/cases?view=all&assignee=${agentA.user.id}&${qs}`), 200).items.length;
	assert.equal(ab.assigned, await listed(`created_from=${from}&created_to=${to}`), 'assigned as listed');
	assert.equal(ab.closed, await listed(`closed_from=${from}&closed_to=${to}`), 'closed as listed');
	assert.equal(ab.open, await listed('open=1'), 'open as listed');
	assert.ok(ab.assigned < a.assigned, 'department A\'s cases are not department B\'s supervisor\'s');

	assertProblem(await api(sup, 'GET', '/api/reports/agent-workload?to=yesterday'), 422, 'invalid', 'to');
	assertProblem(await api(sup, 'GET', '/api/reports/agent-workload?department_id=-3'), 422, 'invalid', 'department_id');
	assertProblem(await api(agentA, 'GET', '/api/reports/agent-workload'), 403);
});

test('agent workload as CSV and xlsx; the case and visit lists behind it', async () => {
	const from = t0 - 600_000, to = Date.now() + 3 * HOUR;
	const q = `from=${from}&to=${to}`;
	const r = assertStatus(await api(sup, 'GET', `/api/reports/agent-workload?${q}`), 200);
	const rows = parseCsv((await download(sup, `/api/reports/agent-workload?${q}&format=csv`)).bytes.subarray(3).toString('utf8'));
	assert.equal(rows[0][0], '坐席');
	assert.equal(rows[0][10], '平均处理时长（秒）');
	const line = (name, o) => [name, o.assigned, o.closed, o.open, o.overdue, o.replies, o.visits, o.commitments_due,
		o.commitments_kept, o.calls, o.aht_s ?? 0].map(String);
	assert.deepEqual(rows.slice(1), [...r.agents.map((o) => line(o.name, o)), line('合计', r.totals)]);
	const x = sheetRows(unzip((await download(sup, `/api/reports/agent-workload?${q}&format=xlsx`)).bytes));
	assert.deepEqual(x.slice(1).map((row) => row.map(String)), rows.slice(1));

	// the numbers' lists: cases assigned (created in the period), closed in the period, open now
	const cases = async (qs) => assertStatus(await api(sup, 'GET', `/api/cases?view=all&${qs}`), 200).items.map((k) => k.id).sort();
	const me = `assignee=${agentA.user.id}`;
	assert.deepEqual(await cases(`${me}&created_from=${from}&created_to=${to}`), [closedCase.id, openCase.id].sort());
	assert.deepEqual(await cases(`${me}&closed_from=${from}&closed_to=${to}`), [closedCase.id]);
	assert.deepEqual(await cases(`${me}&closed_from=${to}`), []);
	assert.deepEqual(await cases(`${me}&open=1`), [openCase.id]);
	assertProblem(await api(sup, 'GET', '/api/cases?view=all&closed_from=x'), 422, 'invalid', 'closed_from');
	assertProblem(await api(sup, 'GET', '/api/cases?view=all&closed_to=-5'), 422, 'invalid', 'closed_to');

	const visits = async (qs) => assertStatus(await api(sup, 'GET', `/api/followups?view=done&${qs}`), 200).items.map((f) => f.id);
	assert.deepEqual(await visits(`assignee_id=${agentA.user.id}&closed_from=${from}&closed_to=${to}`), [visit.id]);
	assert.deepEqual(await visits(`assignee_id=${agentA.user.id}&closed_from=${visit.closed_at + 1}`), []);
	assert.deepEqual(await visits(`assignee_id=${agentA.user.id}&closed_to=${visit.closed_at}`), []);
	assertProblem(await api(sup, 'GET', '/api/followups?view=done&closed_from=x'), 422, 'invalid', 'closed_from');
	assertProblem(await api(sup, 'GET', '/api/followups?view=done&closed_to=x'), 422, 'invalid', 'closed_to');
});
