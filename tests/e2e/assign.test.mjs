// Assignment of customers to agents, balanced by current load and capability.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, adminSession, userSession, createUser, createCustomer,
	assertProblem, assertStatus,
} from './lib.mjs';

let srv, admin, supervisor, agent;

before(async () => {
	srv = await startServer('assign');
	admin = await adminSession(srv);
	supervisor = await userSession(srv, admin, { role: 'supervisor' });
	agent = await userSession(srv, admin, { role: 'agent', capability: 3 });
});

after(async () => {
	await srv?.stop();
});

async function customers(n, prefix, extra = {}) {
	const out = [];
	for (let i = 0; i < n; i++)
		out.push(await createCustomer(admin, { name: `${prefix}${i}`, ...extra }));
	return out;
}

async function ownerOf(id) {
	const r = await api(admin, 'GET', `/api/customers/${id}`);
	assertStatus(r, 200);
	return r.json.owner ? r.json.owner.id : null;
}

async function userRow(id) {
	const r = await api(admin, 'GET', `/api/users/${id}`);
	assertStatus(r, 200);
	return r.json;
}

function tally(assignments) {
	const t = {};
	for (const a of assignments)
		t[a.owner_id] = (t[a.owner_id] || 0) + 1;
	return t;
}

test('capability 1 and 3 with no customers receive 1 and 3 of 4', async () => {
	const a1 = await createUser(admin, { role: 'agent', capability: 1, display_name: '新人' });
	const a3 = await createUser(admin, { role: 'agent', capability: 3, display_name: '老手' });
	const cs = await customers(4, '均衡甲');
	const r = await api(supervisor, 'POST', '/api/customers/assign',
		{ customer_ids: cs.map((c) => c.id), agent_ids: [a1.user.id, a3.user.id] });
	assertStatus(r, 200, 'assign');
	const { assignments, loads } = r.json;
	assert.equal(assignments.length, 4);
	assert.deepEqual(assignments.map((a) => a.customer_id).sort((x, y) => x - y), cs.map((c) => c.id).sort((x, y) => x - y));
	assert.deepEqual(tally(assignments), { [a1.user.id]: 1, [a3.user.id]: 3 });
	assert.deepEqual(loads, { [a1.user.id]: 1, [a3.user.id]: 3 });
	for (const a of assignments)
		assert.equal(await ownerOf(a.customer_id), a.owner_id, 'the customer file shows the new owner');
	assert.equal((await userRow(a1.user.id)).customers, 1);
	assert.equal((await userRow(a3.user.id)).customers, 3);

	// Each assignment is in the customer's audit, by the supervisor.
	for (const a of assignments) {
		const au = await api(admin, 'GET', `/api/customers/${a.customer_id}/audit`);
		assertStatus(au, 200);
		const e = au.json.items[0];
		assert.equal(e.action, 'assign', au.text);
		assert.equal(e.actor.id, supervisor.user.id);
		const key = Object.keys(e.changes).find((k) => k.startsWith('owner'));
		assert.ok(key, `changes name the owner: ${JSON.stringify(e.changes)}`);
		const [from, to] = e.changes[key];
		assert.equal(from, null);
		assert.ok(to === a.owner_id || to?.id === a.owner_id, `audit new owner: ${JSON.stringify(e.changes)}`);
	}
});

test('current load counts: the idle agent gets the new customers', async () => {
	const b1 = await createUser(admin, { role: 'agent', capability: 2 });
	const b2 = await createUser(admin, { role: 'agent', capability: 2 });
	await customers(4, '已有', { owner_id: b2.user.id });
	const cs = await customers(4, '均衡乙');
	const r = await api(supervisor, 'POST', '/api/customers/assign',
		{ customer_ids: cs.map((c) => c.id), agent_ids: [b1.user.id, b2.user.id] });
	assertStatus(r, 200, 'assign');
	assert.deepEqual(tally(r.json.assignments), { [b1.user.id]: 4 });
	assert.equal((await userRow(b1.user.id)).customers, 4);
	assert.equal((await userRow(b2.user.id)).customers, 4);
});

test('proportional to capability over a larger batch', async () => {
	const c2 = await createUser(admin, { role: 'agent', capability: 2 });
	const c5 = await createUser(admin, { role: 'agent', capability: 5 });
	const c1 = await createUser(admin, { role: 'agent', capability: 1 });
	const cs = await customers(16, '均衡丙');
	const r = await api(admin, 'POST', '/api/customers/assign',
		{ customer_ids: cs.map((c) => c.id), agent_ids: [c2.user.id, c5.user.id, c1.user.id] });
	assertStatus(r, 200, 'admin may assign too');
	assert.deepEqual(tally(r.json.assignments), { [c2.user.id]: 4, [c5.user.id]: 10, [c1.user.id]: 2 });
});

test('reassignment moves a customer and is audited with the old and new owner', async () => {
	const d1 = await createUser(admin, { role: 'agent', capability: 3 });
	const d2 = await createUser(admin, { role: 'agent', capability: 3 });
	const [c] = await customers(1, '转交', { owner_id: d1.user.id });
	const r = await api(supervisor, 'POST', '/api/customers/assign', { customer_ids: [c.id], agent_ids: [d2.user.id] });
	assertStatus(r, 200);
	assert.deepEqual(r.json.assignments, [{ customer_id: c.id, owner_id: d2.user.id }]);
	assert.equal(await ownerOf(c.id), d2.user.id);
	assert.equal((await userRow(d1.user.id)).customers, 0);
	const au = await api(admin, 'GET', `/api/customers/${c.id}/audit`);
	const e = au.json.items[0];
	assert.equal(e.action, 'assign');
	const key = Object.keys(e.changes).find((k) => k.startsWith('owner'));
	const [from, to] = e.changes[key];
	assert.ok(from === d1.user.id || from?.id === d1.user.id, JSON.stringify(e.changes));
	assert.ok(to === d2.user.id || to?.id === d2.user.id, JSON.stringify(e.changes));
});

test('without agent_ids: only active agents receive customers', async () => {
	const off = await createUser(admin, { role: 'agent', capability: 5 });
	assertStatus(await api(admin, 'PATCH', `/api/users/${off.user.id}`, { disabled: true }), 200);
	const cs = await customers(6, '默认');
	const r = await api(supervisor, 'POST', '/api/customers/assign', { customer_ids: cs.map((c) => c.id) });
	assertStatus(r, 200, 'assign to all agents');
	assert.equal(r.json.assignments.length, 6);
	const users = (await api(admin, 'GET', '/api/users')).json.items;
	for (const a of r.json.assignments) {
		const u = users.find((x) => x.id === a.owner_id);
		assert.ok(u, `owner ${a.owner_id} exists`);
		assert.equal(u.role, 'agent', 'only agents');
		assert.equal(u.disabled, false, 'only active agents');
	}
	assert.equal((await userRow(off.user.id)).customers, 0);
});

test('an agent may not assign: 403 forbidden, nothing changes', async () => {
	const cs = await customers(2, '越权分配');
	const r = await api(agent, 'POST', '/api/customers/assign', { customer_ids: cs.map((c) => c.id), agent_ids: [agent.user.id] });
	assertProblem(r, 403, 'forbidden');
	for (const c of cs)
		assert.equal(await ownerOf(c.id), null);
	const au = await api(admin, 'GET', `/api/customers/${cs[0].id}/audit`);
	assert.ok(!au.json.items.some((e) => e.action === 'assign'));
});

test('bad assign requests are 4xx naming the field and assign nothing', async () => {
	const cs = await customers(2, '坏分配');
	const good = cs.map((c) => c.id);
	assertProblem(await api(supervisor, 'POST', '/api/customers/assign', {}), 422, 'invalid', 'customer_ids');
	assertProblem(await api(supervisor, 'POST', '/api/customers/assign', { customer_ids: [] }), 422, 'invalid', 'customer_ids');
	assertProblem(await api(supervisor, 'POST', '/api/customers/assign', { customer_ids: 'all' }), 422, 'invalid', 'customer_ids');
	assertProblem(await api(supervisor, 'POST', '/api/customers/assign', { customer_ids: ['x'] }), 422, 'invalid', 'customer_ids');
	assertProblem(await api(supervisor, 'POST', '/api/customers/assign', { customer_ids: good, agent_ids: 'all' }), 422, 'invalid', 'agent_ids');
	assertProblem(await api(supervisor, 'POST', '/api/customers/assign', { customer_ids: good, agent_ids: [987654] }), 422, 'invalid', 'agent_ids');
	// A missing customer among good ones: refused as a whole.
	const r = await api(supervisor, 'POST', '/api/customers/assign', { customer_ids: [...good, 987654321], agent_ids: [agent.user.id] });
	assert.ok(r.status === 404 || r.status === 422, `missing customer: ${r.status} ${r.text}`);
	assertProblem(r, r.status);
	for (const id of good)
		assert.equal(await ownerOf(id), null, 'nothing assigned');
});
