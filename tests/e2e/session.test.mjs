// Sign-in, sign-out, the current user, login throttling, API tokens, CSRF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, anon, bearer, login, adminSession, createUser, userSession,
	assertProblem, assertStatus, strongPassword,
} from './lib.mjs';

let srv, admin;

before(async () => {
	srv = await startServer('session');
	admin = await adminSession(srv);
});

after(async () => {
	await srv?.stop();
});

test('login returns the user, a CSRF token and a strict HttpOnly session cookie', async () => {
	const res = await api(anon(srv.url), 'POST', '/api/session', { username: 'admin', password: srv.adminPassword });
	assertStatus(res, 200, 'login');
	const b = res.json;
	for (const k of ['id', 'username', 'display_name', 'role', 'department_id', 'lang'])
		assert.ok(k in b.user, `user.${k} missing: ${res.text}`);
	assert.equal(b.user.username, 'admin');
	assert.equal(b.user.role, 'admin');
	assert.equal(typeof b.user.id, 'number');
	assert.ok(!('password' in b.user) && !('password_hash' in b.user), 'no password in the user');
	assert.equal(typeof b.csrf_token, 'string');
	assert.ok(b.csrf_token.length >= 16, 'csrf token long enough');
	assert.ok(b.expires_at !== undefined && b.expires_at !== null, 'expires_at');
	if (typeof b.expires_at === 'number')
		assert.ok(b.expires_at > Date.now(), `expires_at ${b.expires_at} in the future (epoch ms)`);
	const sc = res.headers.getSetCookie().find((c) => c.startsWith('kefu_session='));
	assert.ok(sc, `Set-Cookie kefu_session: ${res.headers.getSetCookie()}`);
	const attrs = sc.split(';').slice(1).map((a) => a.trim().toLowerCase());
	assert.ok(attrs.includes('httponly'), `HttpOnly in ${sc}`);
	assert.ok(attrs.includes('samesite=strict'), `SameSite=Strict in ${sc}`);
	assert.ok(attrs.includes('path=/'), `Path=/ in ${sc}`);
	const value = sc.split(';')[0].slice('kefu_session='.length);
	assert.ok(value.length >= 16, 'session id long enough');
	assert.ok(res.headers.get('x-request-id'), 'X-Request-Id');
});

test('GET /api/me returns the signed-in user; anonymous gets 401', async () => {
	const me = await api(admin, 'GET', '/api/me');
	assertStatus(me, 200, 'me');
	for (const k of ['id', 'username', 'display_name', 'role', 'department_id', 'lang', 'capability'])
		assert.ok(k in me.json, `me.${k} missing: ${me.text}`);
	assert.equal(me.json.username, 'admin');
	assert.equal(me.json.id, admin.user.id);
	assertProblem(await api(anon(srv.url), 'GET', '/api/me'), 401, 'unauthenticated');
	assertProblem(await api({ base: srv.url, cookie: 'kefu_session=not-a-session' }, 'GET', '/api/me'), 401, 'unauthenticated');
});

test('wrong password and unknown user are both 401 login_failed', async () => {
	assertProblem(await api(anon(srv.url), 'POST', '/api/session', { username: 'admin', password: 'Wrong-pass-1' }),
		401, 'login_failed');
	const r = await api(anon(srv.url), 'POST', '/api/session', { username: 'nobody_here', password: 'Whatever-123' });
	assertProblem(r, 401, 'login_failed');
	assert.equal(r.headers.getSetCookie().filter((c) => /^kefu_session=[^;]+/.test(c) && !/Max-Age=0/i.test(c)).length, 0,
		'no session cookie on failure');
});

test('login with a missing field is a 422 naming it', async () => {
	assertProblem(await api(anon(srv.url), 'POST', '/api/session', { password: 'x1234567' }), 422, 'invalid', 'username');
	assertProblem(await api(anon(srv.url), 'POST', '/api/session', { username: 'admin' }), 422, 'invalid', 'password');
});

test('5 failed logins within 15 minutes lock the user name: 429 even with the right password', async () => {
	const u = await createUser(admin, { role: 'agent' });
	for (let i = 1; i <= 5; i++) {
		const r = await api(anon(srv.url), 'POST', '/api/session', { username: u.username, password: `Wrong-${i}-pass` });
		assertProblem(r, 401, 'login_failed');
	}
	const locked = await api(anon(srv.url), 'POST', '/api/session', { username: u.username, password: u.password });
	assertProblem(locked, 429, 'too_many_attempts');
	// Other users are not affected.
	await login(srv.url, 'admin', srv.adminPassword);
});

test('a successful login before the limit does not lock', async () => {
	const u = await createUser(admin, { role: 'agent' });
	for (let i = 1; i <= 3; i++)
		assertProblem(await api(anon(srv.url), 'POST', '/api/session', { username: u.username, password: `Nope-${i}-pass` }),
			401, 'login_failed');
	await login(srv.url, u.username, u.password);
});

test('DELETE /api/session signs out: the cookie stops working', async () => {
	const s = await login(srv.url, 'admin', srv.adminPassword);
	assertStatus(await api(s, 'GET', '/api/me'), 200);
	// Without the CSRF token the sign-out is refused and the session lives on.
	assertProblem(await api(s, 'DELETE', '/api/session', undefined, { csrf: false }), 403, 'csrf');
	assertStatus(await api(s, 'GET', '/api/me'), 200);
	const out = await api(s, 'DELETE', '/api/session');
	assert.equal(out.status, 204, `logout: ${out.status} ${out.text}`);
	assert.equal(out.text, '');
	assertProblem(await api(s, 'GET', '/api/me'), 401, 'unauthenticated');
	// Other sessions of the same user still work.
	assertStatus(await api(admin, 'GET', '/api/me'), 200);
});

test('PATCH /api/me changes lang and display_name; bad lang is 422', async () => {
	const s = await userSession(srv, admin, { role: 'agent' });
	const r = await api(s, 'PATCH', '/api/me', { lang: 'en', display_name: '小王 Wang' });
	assertStatus(r, 200, 'patch me');
	assert.equal(r.json.lang, 'en');
	assert.equal(r.json.display_name, '小王 Wang');
	const me = await api(s, 'GET', '/api/me');
	assert.equal(me.json.lang, 'en');
	assert.equal(me.json.display_name, '小王 Wang');
	assertProblem(await api(s, 'PATCH', '/api/me', { lang: 'fr' }), 422, 'invalid', 'lang');
	assertStatus(await api(s, 'PATCH', '/api/me', { lang: 'zh-CN' }), 200);
	assert.equal((await api(s, 'GET', '/api/me')).json.lang, 'zh-CN');
	assertProblem(await api(s, 'PATCH', '/api/me', { nickname: 'x' }), 422, 'invalid', 'nickname');
	assertProblem(await api(s, 'PATCH', '/api/me', { display_name: '' }), 422, 'invalid', 'display_name');
	// A user cannot raise their own role through /api/me.
	const esc = await api(s, 'PATCH', '/api/me', { role: 'admin' });
	assert.ok(esc.status >= 400 && esc.status < 500, `role via /api/me: ${esc.status} ${esc.text}`);
	assert.equal((await api(s, 'GET', '/api/me')).json.role, 'agent');
});

test('password change enforces the policy and replaces the password', async () => {
	const u = await createUser(admin, { role: 'agent', username: 'zhangsan' });
	const s = await login(srv.url, u.username, u.password);
	const weak = ['short1', 'abcdefghijk', '12345678901', 'zhangsan123', 'xZhangSan99', 'password1', 'qwerty123'];
	for (const pw of weak) {
		const r = await api(s, 'PATCH', '/api/me', { password: { current: u.password, new: pw } });
		assertProblem(r, 422, 'invalid', 'password');
	}
	// Wrong current password: refused, nothing changed.
	const wrong = await api(s, 'PATCH', '/api/me', { password: { current: 'Not-the-pw-1', new: strongPassword() } });
	assert.ok(wrong.status >= 400 && wrong.status < 500, `wrong current password: ${wrong.status} ${wrong.text}`);
	assertProblem(wrong, wrong.status);
	await login(srv.url, u.username, u.password);

	const next = strongPassword();
	assertStatus(await api(s, 'PATCH', '/api/me', { password: { current: u.password, new: next } }), 200, 'change password');
	assertProblem(await api(anon(srv.url), 'POST', '/api/session', { username: u.username, password: u.password }),
		401, 'login_failed');
	await login(srv.url, u.username, next);
});

test('API tokens: create, use without CSRF, list without secrets, revoke', async () => {
	const s = await userSession(srv, admin, { role: 'agent' });
	assertProblem(await api(s, 'POST', '/api/tokens', {}), 422, 'invalid', 'name');
	const c = await api(s, 'POST', '/api/tokens', { name: 'crm-sync' });
	assertStatus(c, 201, 'create token');
	assert.equal(c.json.name, 'crm-sync');
	assert.equal(typeof c.json.token, 'string');
	assert.ok(c.json.token.length >= 20, 'token long enough');
	assert.ok(c.json.id !== undefined);
	const b = bearer(srv.url, c.json.token);

	const me = await api(b, 'GET', '/api/me');
	assertStatus(me, 200, 'me by bearer');
	assert.equal(me.json.id, s.user.id);
	// Unsafe method with a bearer token: no CSRF header needed.
	const made = await api(b, 'POST', '/api/customers', { name: '令牌客户' });
	assertStatus(made, 201, 'create customer by bearer');
	assertStatus(await api(b, 'PATCH', '/api/me', { display_name: 'Token User' }), 200, 'patch me by bearer');

	const list = await api(s, 'GET', '/api/tokens');
	assertStatus(list, 200, 'list tokens');
	const item = list.json.items.find((t) => t.id === c.json.id);
	assert.ok(item, `token in list: ${list.text}`);
	for (const k of ['id', 'name', 'created_at', 'last_used_at'])
		assert.ok(k in item, `token.${k}: ${list.text}`);
	assert.ok(!('token' in item), 'secret not listed');
	assert.ok(!list.text.includes(c.json.token), 'secret not anywhere in the list');
	assert.equal(typeof item.created_at, 'number');
	assert.equal(typeof item.last_used_at, 'number', `last_used_at set after use: ${list.text}`);

	// Someone else's tokens are not visible.
	const other = await api(admin, 'GET', '/api/tokens');
	assertStatus(other, 200);
	assert.ok(!other.json.items.some((t) => t.id === c.json.id), 'other users do not see the token');

	const del = await api(s, 'DELETE', `/api/tokens/${c.json.id}`);
	assert.equal(del.status, 204, `revoke: ${del.status} ${del.text}`);
	assertProblem(await api(b, 'GET', '/api/me'), 401, 'unauthenticated');
	const after = await api(s, 'GET', '/api/tokens');
	assert.ok(!after.json.items.some((t) => t.id === c.json.id), 'revoked token gone from the list');
	assertProblem(await api(bearer(srv.url, 'kf_' + 'x'.repeat(40)), 'GET', '/api/me'), 401, 'unauthenticated');
});

test('a user cannot revoke another user\'s token', async () => {
	const s = await userSession(srv, admin, { role: 'agent' });
	const t = await api(admin, 'POST', '/api/tokens', { name: 'admin-tool' });
	assertStatus(t, 201);
	const r = await api(s, 'DELETE', `/api/tokens/${t.json.id}`);
	assert.ok(r.status === 404 || r.status === 403, `foreign token delete: ${r.status} ${r.text}`);
	assertProblem(r, r.status);
	assertStatus(await api(bearer(srv.url, t.json.token), 'GET', '/api/me'), 200, 'token still works');
});

test('cookie sessions need the CSRF token on unsafe methods; nothing is written without it', async () => {
	const s = await userSession(srv, admin, { role: 'agent' });
	assertProblem(await api(s, 'POST', '/api/tokens', { name: 'no-csrf' }, { csrf: false }), 403, 'csrf');
	assertProblem(await api(s, 'POST', '/api/tokens', { name: 'bad-csrf' }, { headers: { 'X-CSRF-Token': 'wrong' } }), 403, 'csrf');
	// Another session's token is not this session's token.
	assertProblem(await api(s, 'POST', '/api/tokens', { name: 'other-csrf' }, { headers: { 'X-CSRF-Token': admin.csrf } }), 403, 'csrf');
	assertProblem(await api(s, 'PATCH', '/api/me', { display_name: 'x' }, { csrf: false }), 403, 'csrf');
	const list = await api(s, 'GET', '/api/tokens');
	assertStatus(list, 200);
	assert.deepEqual(list.json.items, [], `no token was created: ${list.text}`);
	assert.notEqual((await api(s, 'GET', '/api/me')).json.display_name, 'x');
});
