// Session fixation and secrets in logs: a session id chosen by someone else is never adopted
// at sign-in; the server's log (access log and everything else on stderr) never holds a
// password, a session id, a CSRF token or an API token, even for requests that carry them in
// the URL by mistake.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, anon, bearer, adminSession, createUser, login, assertStatus } from './lib.mjs';

let srv, admin;

before(async () => {
	srv = await startServer('security');
	admin = await adminSession(srv);
});

after(async () => {
	await srv?.stop();
});

test('signing in never adopts a session id the browser already had', async () => {
	const u = await createUser(admin, { role: 'agent' });
	const planted = 'kefu_session=' + 'a'.repeat(64);
	const res = await api(anon(srv.url), 'POST', '/api/session', { username: u.username, password: u.password }, { headers: { Cookie: planted } });
	assert.equal(res.status, 200);
	const set = res.headers.getSetCookie().find((c) => c.startsWith('kefu_session='));
	assert.ok(set, 'a new session cookie is set');
	assert.notEqual(set.split(';')[0], planted, 'the planted id is not adopted');
	assert.equal((await api({ base: srv.url, cookie: planted }, 'GET', '/api/me')).status, 401, 'the planted id does not authenticate');
	// Two sign-ins of the same user get two different ids.
	const a = await login(srv.url, u.username, u.password);
	const b = await login(srv.url, u.username, u.password);
	assert.notEqual(a.cookie, b.cookie);
});

test('no password, session id, CSRF token or API token reaches the log', async () => {
	const u = await createUser(admin, { role: 'agent' });
	const s = await login(srv.url, u.username, u.password);
	const tok = assertStatus(await api(s, 'POST', '/api/tokens', { name: 'log-check' }), 201).token;
	await api(bearer(srv.url, tok), 'GET', '/api/me');
	// Secrets in the query string by mistake, and a failed login with a wrong password.
	await api(anon(srv.url), 'GET', `/api/me?token=${tok}&password=${encodeURIComponent(u.password)}`);
	await api(anon(srv.url), 'POST', '/api/session', { username: u.username, password: `${u.password}-wrong` });
	await api(s, 'PATCH', '/api/me', { lang: 'en' });
	await new Promise((f) => setTimeout(f, 300));
	const log = srv.procs.map((p) => p.stderr + p.stdout).join('\n');
	assert.ok(log.includes('/api/me'), 'the access log is there to be read');
	const sid = s.cookie.split('=')[1];
	for (const [what, secret] of [
		['password', u.password],
		['session id', sid],
		['CSRF token', s.csrf],
		['API token', tok],
		['admin password', srv.adminPassword],
	])
		assert.ok(!log.includes(secret), `the log holds the ${what}`);
});
