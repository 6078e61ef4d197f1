// Case views and queues (issue 4): my open cases (key accounts first, then priority, then due),
// department, customer; filters, sorts and keyset pages; counts per view; automatic assignment
// to the least-loaded capable agent; taking the next case from the department queue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, adminSession, assertProblem, assertStatus, createCustomer, rand } from './lib.mjs';
import { department, staff, createCase, ok, phone } from './cases_fixtures.mjs';

process.env.KEFU_JOBS_INTERVAL = '0';

let srv, admin, dept, solo, sup, keyCust, plainCust;
const made = [];

before(async () => {
	srv = await startServer('cases-views');
	admin = await adminSession(srv);
	dept = await department(admin, '客服二部');
	solo = await staff(srv, admin, { display_name: '刘芳', department_id: dept, capability: 5 });
	sup = await staff(srv, admin, { role: 'supervisor', department_id: dept });
	keyCust = await createCustomer(admin, { name: `关键客户${rand(2)}`, value_class: 'key' });
	plainCust = await createCustomer(admin, { name: `普通客户${rand(2)}` });
	const plan = [
		['low', plainCust], ['urgent', plainCust], ['normal', keyCust], ['high', plainCust],
		['low', keyCust], ['normal', plainCust], ['urgent', keyCust], ['normal', plainCust],
	];
	for (const [priority, cust] of plan) {
		const c = await createCase(solo, {
			type: made.length % 3 === 0 ? 'complaint' : 'inquiry', channel: 'phone', priority,
			subject: `排队测试${made.length} ${priority}`, customer_id: cust.id,
		});
		assert.equal(c.assignee.id, solo.user.id);
		made.push(c);
	}
});

after(async () => {
	await srv?.stop();
});

const ids = (items) => items.map((x) => x.id);
const rankOf = { urgent: 0, high: 1, normal: 2, low: 3 };

test('my open cases: key accounts first, then priority, then due; every page in order', async () => {
	const page = assertStatus(await api(solo, 'GET', '/api/cases?view=mine'), 200);
	assert.equal(page.view, 'mine');
	assert.equal(page.sort, 'queue');
	const want = [...made].sort((a, b) => (b.key_account - a.key_account) || (rankOf[a.priority] - rankOf[b.priority]) ||
		(a.sla.resolution.due_at - b.sla.resolution.due_at) || (a.id - b.id));
	assert.deepEqual(ids(page.items), ids(want));
	assert.equal(page.items[0].key_account, true);
	assert.equal(page.items[0].priority, 'urgent');
	for (const limit of [1, 2, 3, 7]) {
		const seen = [];
		let cursor = null;
		do {
			const p = assertStatus(await api(solo, 'GET', `/api/cases?view=mine&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`), 200);
			seen.push(...ids(p.items));
			cursor = p.next_cursor;
		} while (cursor);
		assert.deepEqual(seen, ids(want), `limit ${limit}`);
	}
	const it = page.items[0];
	for (const k of ['id', 'number', 'type', 'priority', 'state', 'open', 'paused', 'subject', 'customer', 'assignee',
		'sla_due_at', 'first_response_due_at', 'resolve_due_at', 'overdue', 'key_account', 'created_at', 'updated_at'])
		assert.ok(k in it, `item.${k}`);
	assert.equal(it.customer.id, keyCust.id);
	assert.equal(it.assignee.id, solo.user.id);
});

test('sorts, filters and bad parameters', async () => {
	const all = ids(made);
	const newest = assertStatus(await api(solo, 'GET', '/api/cases?view=mine&sort=newest&limit=3'), 200);
	assert.deepEqual(ids(newest.items), [...all].reverse().slice(0, 3));
	const next = assertStatus(await api(solo, 'GET', `/api/cases?view=mine&sort=newest&limit=3&cursor=${newest.next_cursor}`), 200);
	assert.deepEqual(ids(next.items), [...all].reverse().slice(3, 6));
	assertProblem(await api(solo, 'GET', `/api/cases?view=mine&sort=oldest&cursor=${newest.next_cursor}`), 422, 'invalid', 'cursor');
	assert.deepEqual(ids(assertStatus(await api(solo, 'GET', '/api/cases?view=mine&sort=oldest'), 200).items), all);
	const upd = assertStatus(await api(solo, 'GET', '/api/cases?view=mine&sort=updated&limit=100'), 200);
	assert.equal(upd.items.length, made.length);
	const dueSorted = assertStatus(await api(solo, 'GET', '/api/cases?view=mine&sort=due&limit=100'), 200).items;
	for (let i = 1; i < dueSorted.length; i++)
		assert.ok(dueSorted[i - 1].sla_due_at <= dueSorted[i].sla_due_at);
	// Filters.
	const urgent = assertStatus(await api(solo, 'GET', '/api/cases?view=mine&priority=urgent'), 200).items;
	assert.deepEqual(ids(urgent).sort(), ids(made.filter((c) => c.priority === 'urgent')).sort());
	const complaints = assertStatus(await api(solo, 'GET', '/api/cases?view=mine&type=complaint&state=intake'), 200).items;
	assert.deepEqual(ids(complaints).sort(), ids(made.filter((c) => c.type === 'complaint')).sort());
	const byNumber = assertStatus(await api(solo, 'GET', `/api/cases?view=all&q=${encodeURIComponent(made[3].number.toLowerCase().replace('-', ' '))}`), 200).items;
	assert.deepEqual(ids(byNumber), [made[3].id]);
	const bySubject = assertStatus(await api(solo, 'GET', `/api/cases?view=all&q=${encodeURIComponent('排队测试5')}`), 200).items;
	assert.deepEqual(ids(bySubject), [made[5].id]);
	assert.deepEqual(assertStatus(await api(solo, 'GET', '/api/cases?view=all&q=%25'), 200).items, []);
	for (const [k, v] of [['view', 'everything'], ['sort', 'random'], ['state', 'lost'], ['open', '2'], ['limit', '0'],
		['limit', '201'], ['assignee', 'abc'], ['priority', 'asap'], ['type', 'gripe'], ['cursor', 'zzz'],
		['created_from', 'yesterday']])
		assertProblem(await api(solo, 'GET', `/api/cases?${k}=${encodeURIComponent(v)}`), 422, 'invalid', k);
	assertProblem(await api(solo, 'GET', '/api/cases?view=customer'), 422, 'invalid', 'customer_id');
});

test('the customer view and the department view; counts per view', async () => {
	const kc = assertStatus(await api(solo, 'GET', `/api/cases?view=customer&customer_id=${keyCust.id}`), 200);
	assert.equal(kc.sort, 'newest');
	assert.deepEqual(ids(kc.items), ids(made.filter((c) => c.customer.id === keyCust.id)).reverse());
	const dv = assertStatus(await api(sup, 'GET', '/api/cases?view=department&limit=100'), 200);
	assert.deepEqual(ids(dv.items).sort(), ids(made).sort());
	let counts = assertStatus(await api(solo, 'GET', '/api/cases/counts'), 200);
	assert.equal(counts.mine, made.length);
	assert.equal(counts.department, made.length);
	assert.equal(counts.queue, 0);
	assert.equal(counts.overdue, 0);
	assert.equal(counts.approval, null, 'agents do not approve');
	assert.equal(counts.capped_at, 10000);
	// Closing one takes it out of "mine" (open) and of the count.
	const c = made[1];
	await ok(solo, c.id, c.type === 'complaint' ? 'accept' : 'resolve', { resolution: '已答复' });
	if (c.type !== 'complaint')
		await ok(solo, c.id, 'close');
	counts = assertStatus(await api(solo, 'GET', '/api/cases/counts'), 200);
	assert.equal(counts.mine, made.length - 1);
	const mine = assertStatus(await api(solo, 'GET', '/api/cases?view=mine&limit=100'), 200);
	assert.ok(!ids(mine.items).includes(c.id));
	const closed = assertStatus(await api(solo, 'GET', '/api/cases?view=mine&open=0'), 200);
	assert.deepEqual(ids(closed.items), [c.id]);
	const supCounts = assertStatus(await api(sup, 'GET', '/api/cases/counts'), 200);
	assert.equal(supCounts.approval, 0);
	assert.equal(supCounts.department, made.length - 1);
});

test('automatic assignment: the least-loaded agent with the needed capability; the queue', async () => {
	const d = await department(admin, '售后服务部');
	const novice = await staff(srv, admin, { display_name: '新人', department_id: d, capability: 2 });
	const expert = await staff(srv, admin, { display_name: '老手', department_id: d, capability: 4 });
	const off = await staff(srv, admin, { display_name: '停用', department_id: d, capability: 5 });
	assertStatus(await api(admin, 'PATCH', `/api/users/${off.user.id}`, { disabled: true }), 200);
	const mk = (body) => createCase(admin, { channel: 'phone', subject: '分配测试', customer: { phone: phone() }, department_id: d, ...body });
	const a = await mk({ type: 'inquiry' });
	assert.equal(a.assignee.id, novice.user.id, 'equal loads: the first agent');
	const b = await mk({ type: 'inquiry' });
	assert.equal(b.assignee.id, expert.user.id, 'the less loaded one');
	const c = await mk({ type: 'complaint' });
	assert.equal(c.required_capability, 3);
	assert.equal(c.assignee.id, expert.user.id, 'a complaint needs capability 3, even though the expert is busier');
	const e = await mk({ type: 'inquiry', priority: 'urgent', customer_id: undefined });
	assert.equal(e.required_capability, 4);
	assert.equal(e.assignee.id, expert.user.id);
	// Nobody qualifies: the case waits in the department queue.
	const q = await mk({ type: 'complaint', priority: 'urgent', required_capability: 5 });
	assert.equal(q.assignee, null);
	const manual = await mk({ type: 'inquiry', auto_assign: false });
	assert.equal(manual.assignee, null);
	const supD = await staff(srv, admin, { role: 'supervisor', department_id: d });
	assert.equal(assertStatus(await api(supD, 'GET', '/api/cases/counts'), 200).queue, 2);
	// The queue: the next case the caller is capable of, key accounts and priority first.
	const took = assertStatus(await api(novice, 'POST', '/api/cases/next'), 200);
	assert.equal(took.id, manual.id, 'the capability-5 case is beyond a novice');
	assert.equal(took.assignee.id, novice.user.id);
	assert.equal((await api(novice, 'POST', '/api/cases/next')).status, 204);
	const tl = assertStatus(await api(novice, 'GET', `/api/cases/${manual.id}/events`), 200).items;
	assert.ok(tl.some((x) => x.kind === 'assignment' && x.data.taken === true && x.actor.id === novice.user.id));
	// Loads follow closing: the novice closes both, and is least loaded again.
	await ok(novice, a.id, 'resolve', { resolution: '已解答' });
	await ok(novice, a.id, 'close');
	await ok(novice, manual.id, 'resolve', { resolution: '已解答' });
	await ok(novice, manual.id, 'close');
	const f = await mk({ type: 'suggestion' });
	assert.equal(f.assignee.id, novice.user.id);
	assertProblem(await api(admin, 'POST', '/api/cases/next'), 422, 'invalid', 'department_id');
});

test('a customer who becomes a key account moves their open cases up every queue, and back', async () => {
	const d = await department(admin, '大客户部');
	const agent = await staff(srv, admin, { department_id: d, capability: 5 });
	const other = await createCustomer(admin, { name: `其他客户${rand(2)}` });
	const rising = await createCustomer(admin, { name: `成长客户${rand(2)}` });
	const mk = (cust, priority) => createCase(agent, { type: 'inquiry', channel: 'phone', priority,
		subject: `升级测试 ${priority}`, customer_id: cust.id });
	const o1 = await mk(other, 'urgent');
	const r1 = await mk(rising, 'low');
	const r2 = await mk(rising, 'normal');
	await ok(agent, r2.id, 'resolve', { resolution: '已解答' });
	await ok(agent, r2.id, 'close');
	const mine = async () => ids(assertStatus(await api(agent, 'GET', '/api/cases?view=mine'), 200).items);
	const key = async (id) => assertStatus(await api(agent, 'GET', `/api/cases/${id}`), 200).key_account;
	assert.deepEqual(await mine(), [o1.id, r1.id], 'urgent before low');
	const c = assertStatus(await api(admin, 'GET', `/api/customers/${rising.id}`), 200);
	assertStatus(await api(admin, 'PATCH', `/api/customers/${rising.id}`, { value_class: 'key', version: c.version }), 200);
	assert.deepEqual(await mine(), [r1.id, o1.id], 'a key account comes first, whatever the priority');
	assert.equal(await key(r1.id), true);
	assert.equal(await key(r2.id), false, 'a closed case is history: it stays as it was');
	// Another change of the file leaves the queue alone; going back to ordinary restores it.
	assertStatus(await api(admin, 'PATCH', `/api/customers/${rising.id}`, { notes: '签了年框' }), 200);
	assert.deepEqual(await mine(), [r1.id, o1.id]);
	assertStatus(await api(admin, 'PATCH', `/api/customers/${rising.id}`, { value_class: 'ordinary' }), 200);
	assert.deepEqual(await mine(), [o1.id, r1.id]);
	assert.equal(await key(r1.id), false);
});

test('an angry customer rises one priority band in the queue; calmed down, back', async () => {
	const agent = await staff(srv, admin, { display_name: '情绪测试', department_id: dept, capability: 5 });
	const cust = await createCustomer(admin, { name: `情绪客户${rand(2)}` });
	// The calm one first: by due time alone it would lead the angry one made after it.
	const calmNormal = await createCase(agent, { type: 'inquiry', channel: 'phone', priority: 'normal', emotion: 'calm', subject: '平静的普通优先级', customer_id: cust.id });
	const angryNormal = await createCase(agent, { type: 'inquiry', channel: 'phone', priority: 'normal', emotion: 'angry', subject: '愤怒的普通优先级', customer_id: cust.id });
	const queue = async () => ids(assertStatus(await api(agent, 'GET', '/api/cases?view=mine&sort=queue&limit=50'), 200).items);
	let q = await queue();
	assert.ok(q.indexOf(angryNormal.id) < q.indexOf(calmNormal.id), `angry first: ${JSON.stringify(q)}`);
	// Calmed down: back in the normal band, behind the earlier one.
	assertStatus(await api(agent, 'PATCH', `/api/cases/${angryNormal.id}`, { emotion: 'calm', version: angryNormal.version }), 200);
	q = await queue();
	assert.ok(q.indexOf(calmNormal.id) < q.indexOf(angryNormal.id), `by due again: ${JSON.stringify(q)}`);
});
