// Users, roles and departments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, anon, bearer, login, adminSession, createUser, userSession,
	createCustomer, assertProblem, assertStatus, strongPassword,
} from './lib.mjs';

let srv, admin, supervisor, agent;

before(async () => {
	srv = await startServer('users');
	admin = await adminSession(srv);
	supervisor = await userSession(srv, admin, { role: 'supervisor' });
	agent = await userSession(srv, admin, { role: 'agent' });
});

after(async () => {
	await srv?.stop();
});

async function usernames(session = admin) {
	const r = await api(session, 'GET', '/api/users');
	assertStatus(r, 200, 'list users');
	return r.json.items.map((u) => u.username);
}

test('admin creates users; the answer has the fields and no password', async () => {
	const pw = strongPassword();
	const r = await api(admin, 'POST', '/api/users',
		{ username: 'lisi', display_name: '李四', role: 'agent', password: pw });
	assertStatus(r, 201, 'create user');
	const u = r.json;
	assert.equal(u.username, 'lisi');
	assert.equal(u.display_name, '李四');
	assert.equal(u.role, 'agent');
	assert.equal(u.capability, 3, 'capability defaults to 3');
	assert.equal(u.disabled, false);
	assert.equal(u.department_id, null);
	assert.equal(typeof u.id, 'number');
	assert.ok(!r.text.includes(pw), 'password not echoed');
	assert.ok(!('password' in u) && !('password_hash' in u));
	const s = await login(srv.url, 'lisi', pw);
	assert.equal(s.user.role, 'agent');
	assert.equal(s.user.display_name, '李四');
});

test('duplicate username is 409 conflict on username; nothing written', async () => {
	const before_ = (await usernames()).length;
	const r = await api(admin, 'POST', '/api/users',
		{ username: 'lisi', display_name: '另一个李四', role: 'agent', password: strongPassword() });
	assertProblem(r, 409, 'conflict', 'username');
	assert.equal((await usernames()).length, before_);
});

test('user validation: role, capability, password, username, department', async () => {
	const base = () => ({ username: 'wangwu', display_name: '王五', role: 'agent', password: strongPassword() });
	assertProblem(await api(admin, 'POST', '/api/users', { ...base(), role: 'boss' }), 422, 'invalid', 'role');
	assertProblem(await api(admin, 'POST', '/api/users', { ...base(), capability: 0 }), 422, 'invalid', 'capability');
	assertProblem(await api(admin, 'POST', '/api/users', { ...base(), capability: 6 }), 422, 'invalid', 'capability');
	assertProblem(await api(admin, 'POST', '/api/users', { ...base(), capability: 2.5 }), 422, 'invalid', 'capability');
	assertProblem(await api(admin, 'POST', '/api/users', { ...base(), capability: '3' }), 422, 'invalid', 'capability');
	assertProblem(await api(admin, 'POST', '/api/users', { ...base(), password: 'abc12' }), 422, 'invalid', 'password');
	assertProblem(await api(admin, 'POST', '/api/users', { ...base(), password: 'wangwu2024x' }), 422, 'invalid', 'password');
	const nou = base();
	delete nou.username;
	assertProblem(await api(admin, 'POST', '/api/users', nou), 422, 'invalid', 'username');
	assertProblem(await api(admin, 'POST', '/api/users', { ...base(), username: '' }), 422, 'invalid', 'username');
	assertProblem(await api(admin, 'POST', '/api/users', { ...base(), department_id: 999999 }), 422, 'invalid', 'department_id');
	assertProblem(await api(admin, 'POST', '/api/users', { ...base(), shoe_size: 42 }), 422, 'invalid', 'shoe_size');
	assert.ok(!(await usernames()).includes('wangwu'), 'nothing written');
});

test('departments: admin creates, duplicates conflict, everyone lists, others may not create', async () => {
	const r = await api(admin, 'POST', '/api/departments', { name: '售后服务部' });
	assertStatus(r, 201, 'create department');
	assert.equal(r.json.name, '售后服务部');
	assert.equal(typeof r.json.id, 'number');
	assertProblem(await api(admin, 'POST', '/api/departments', { name: '售后服务部' }), 409, 'conflict');
	assertProblem(await api(admin, 'POST', '/api/departments', {}), 422, 'invalid', 'name');
	assertProblem(await api(admin, 'POST', '/api/departments', { name: '' }), 422, 'invalid', 'name');
	assertProblem(await api(supervisor, 'POST', '/api/departments', { name: '投诉组' }), 403, 'forbidden');
	assertProblem(await api(agent, 'POST', '/api/departments', { name: '投诉组' }), 403, 'forbidden');
	assertProblem(await api(anon(srv.url), 'GET', '/api/departments'), 401, 'unauthenticated');
	const list = await api(agent, 'GET', '/api/departments');
	assertStatus(list, 200, 'agent lists departments');
	const names = list.json.items.map((d) => d.name);
	assert.ok(names.includes('售后服务部'));
	assert.ok(!names.includes('投诉组'), 'forbidden create wrote nothing');
	assert.equal(names.filter((n) => n === '售后服务部').length, 1);

	const u = await createUser(admin, { role: 'agent', department_id: r.json.id });
	assert.equal(u.user.department_id, r.json.id);
});

test('listing users: supervisor and admin yes, agent 403, anonymous 401', async () => {
	const r = await api(supervisor, 'GET', '/api/users');
	assertStatus(r, 200, 'supervisor lists users');
	const me = r.json.items.find((u) => u.id === agent.user.id);
	assert.ok(me, 'agent listed');
	for (const k of ['id', 'username', 'display_name', 'role', 'department_id', 'capability', 'disabled', 'customers'])
		assert.ok(k in me, `users[].${k} missing: ${JSON.stringify(me)}`);
	assert.ok(r.json.items.some((u) => u.username === 'admin' && u.role === 'admin'));
	assert.ok(!r.text.includes('argon2'), 'no password hashes');
	assertProblem(await api(agent, 'GET', '/api/users'), 403, 'forbidden');
	assertProblem(await api(anon(srv.url), 'GET', '/api/users'), 401, 'unauthenticated');

	const one = await api(supervisor, 'GET', `/api/users/${agent.user.id}`);
	assertStatus(one, 200, 'get user');
	assert.equal(one.json.username, agent.user.username);
	assertProblem(await api(agent, 'GET', `/api/users/${agent.user.id}`), 403, 'forbidden');
	assertProblem(await api(supervisor, 'GET', '/api/users/987654'), 404, 'not_found');
});

test('only admin creates and edits users', async () => {
	const body = { username: 'sup_made', display_name: '越权', role: 'admin', password: strongPassword() };
	assertProblem(await api(supervisor, 'POST', '/api/users', body), 403, 'forbidden');
	assertProblem(await api(agent, 'POST', '/api/users', body), 403, 'forbidden');
	assert.ok(!(await usernames()).includes('sup_made'), 'nothing written');
	assertProblem(await api(supervisor, 'PATCH', `/api/users/${agent.user.id}`, { role: 'admin' }), 403, 'forbidden');
	assertProblem(await api(agent, 'PATCH', `/api/users/${agent.user.id}`, { role: 'admin' }), 403, 'forbidden');
	const one = await api(admin, 'GET', `/api/users/${agent.user.id}`);
	assert.equal(one.json.role, 'agent', 'role unchanged');
});

test('admin edits a user: display_name, role, capability, department, password', async () => {
	const u = await createUser(admin, { role: 'agent' });
	const dep = await api(admin, 'POST', '/api/departments', { name: '热线一组' });
	assertStatus(dep, 201);
	const r = await api(admin, 'PATCH', `/api/users/${u.user.id}`,
		{ display_name: '赵六', role: 'supervisor', capability: 5, department_id: dep.json.id });
	assertStatus(r, 200, 'patch user');
	assert.equal(r.json.display_name, '赵六');
	assert.equal(r.json.role, 'supervisor');
	assert.equal(r.json.capability, 5);
	assert.equal(r.json.department_id, dep.json.id);
	const g = await api(admin, 'GET', `/api/users/${u.user.id}`);
	assert.equal(g.json.role, 'supervisor');
	assert.equal(g.json.capability, 5);

	assertProblem(await api(admin, 'PATCH', `/api/users/${u.user.id}`, { role: 'root' }), 422, 'invalid', 'role');
	assertProblem(await api(admin, 'PATCH', `/api/users/${u.user.id}`, { capability: 9 }), 422, 'invalid', 'capability');
	assertProblem(await api(admin, 'PATCH', `/api/users/${u.user.id}`, { disabled: 'yes' }), 422, 'invalid', 'disabled');
	assertProblem(await api(admin, 'PATCH', `/api/users/${u.user.id}`, { password: 'weak' }), 422, 'invalid', 'password');
	assertProblem(await api(admin, 'PATCH', '/api/users/987654', { display_name: 'x' }), 404, 'not_found');

	const pw = strongPassword();
	assertStatus(await api(admin, 'PATCH', `/api/users/${u.user.id}`, { password: pw }), 200, 'reset password');
	assertProblem(await api(anon(srv.url), 'POST', '/api/session', { username: u.username, password: u.password }),
		401, 'login_failed');
	const s = await login(srv.url, u.username, pw);
	assert.equal(s.user.role, 'supervisor');
});

test('customers count in the user list follows ownership', async () => {
	const u = await createUser(admin, { role: 'agent' });
	let row = (await api(admin, 'GET', '/api/users')).json.items.find((x) => x.id === u.user.id);
	assert.equal(row.customers, 0);
	await createCustomer(admin, { name: '计数客户甲', owner_id: u.user.id });
	const c2 = await createCustomer(admin, { name: '计数客户乙', owner_id: u.user.id });
	row = (await api(admin, 'GET', '/api/users')).json.items.find((x) => x.id === u.user.id);
	assert.equal(row.customers, 2);
	assert.equal((await api(admin, 'GET', `/api/users/${u.user.id}`)).json.customers, 2);
	assert.equal((await api(admin, 'DELETE', `/api/customers/${c2.id}`)).status, 204);
	row = (await api(admin, 'GET', '/api/users')).json.items.find((x) => x.id === u.user.id);
	assert.equal(row.customers, 1, 'archived customers do not count');
});

test('a disabled user cannot sign in and their sessions and tokens stop working', async () => {
	const u = await createUser(admin, { role: 'agent' });
	const s = await login(srv.url, u.username, u.password);
	const t = await api(s, 'POST', '/api/tokens', { name: 'before-disable' });
	assertStatus(t, 201);
	const b = bearer(srv.url, t.json.token);
	assertStatus(await api(b, 'GET', '/api/me'), 200);

	const d = await api(admin, 'PATCH', `/api/users/${u.user.id}`, { disabled: true });
	assertStatus(d, 200, 'disable');
	assert.equal(d.json.disabled, true);
	assertProblem(await api(s, 'GET', '/api/me'), 401);
	assertProblem(await api(b, 'GET', '/api/me'), 401);
	assertProblem(await api(b, 'POST', '/api/customers', { name: '停用后' }), 401);
	assertProblem(await api(anon(srv.url), 'POST', '/api/session', { username: u.username, password: u.password }),
		403, 'account_disabled');
	const list = (await api(admin, 'GET', '/api/users')).json.items.find((x) => x.id === u.user.id);
	assert.equal(list.disabled, true);

	assertStatus(await api(admin, 'PATCH', `/api/users/${u.user.id}`, { disabled: false }), 200, 'enable');
	await login(srv.url, u.username, u.password);
});

test('a demoted user loses the role at once, also on an existing session', async () => {
	const s = await userSession(srv, admin, { role: 'supervisor' });
	assertStatus(await api(s, 'GET', '/api/users'), 200);
	assertStatus(await api(admin, 'PATCH', `/api/users/${s.user.id}`, { role: 'agent' }), 200);
	assertProblem(await api(s, 'GET', '/api/users'), 403, 'forbidden');
});
