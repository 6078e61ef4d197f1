// The permission matrix, generated from the routes table (app/routes.c, read as source):
// every route is called as anonymous, agent, supervisor and admin, and the answer must say
// that the caller is let in exactly when the route's least role allows it — 401 for nobody,
// 403 for a role too low, anything else (200, 201, 404 for an id that does not exist, 422
// for an empty body…) for a role high enough. Ids in paths are ids that do not exist, so
// nothing real is changed. Each role calls with a browser session (cookie + CSRF token) and
// again with an API token; a customer's survey link presented as a token counts as anonymous.
// The count of calls is printed for bench/RESULTS.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, api, anon, bearer, adminSession, userSession } from './lib.mjs';

const RANK = { ROLE_ANON: 0, ROLE_AGENT: 1, ROLE_SUPERVISOR: 2, ROLE_ADMIN: 3 };
// Routes the matrix cannot call blindly: signing in and out change the caller's own session
// (session.test.mjs covers them), and the event stream never ends (its 401 is checked below).
const SPECIAL = new Set(['POST /api/session', 'DELETE /api/session', 'GET /api/events/stream']);
// Routes for machines: only an API token is let in, never a browser session.
const TOKEN_ONLY = new Set(['POST /api/cti/events']);
// Routes open to anyone at the router that authenticate by themselves (a calendar app holds
// a feed token in the URL): anonymous without that token gets 401.
const SELF_AUTH = new Set(['GET /api/calendar/mine.ics']);

function routesTable() {
	const src = readFileSync(new URL('../../app/routes.c', import.meta.url), 'utf8');
	const table = src.slice(src.indexOf('app_routes[] = {'), src.indexOf('{0, 0, 0, 0, 0}'));
	return [...table.matchAll(/\{"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)",\s*\w+,\s*(ROLE_\w+)/g)].map((m) => ({
		method: m[1],
		path: m[2],
		rank: RANK[m[3]],
	}));
}

/** A concrete path: numeric parameters become an id that does not exist, names a name that does not. */
const concrete = (p) => p.replace(/\{(\w+)\}/g, (_, name) => (/^(rule|slug|token|name|code)$/.test(name) ? 'no-such-thing' : '987654321'));

let srv;
const callers = [];

before(async () => {
	srv = await startServer('permissions');
	const admin = await adminSession(srv);
	callers.push({ name: 'anonymous', rank: 0, s: anon(srv.url) });
	callers.push({ name: 'agent', rank: 1, s: await userSession(srv, admin, { role: 'agent' }) });
	callers.push({ name: 'supervisor', rank: 2, s: await userSession(srv, admin, { role: 'supervisor' }) });
	callers.push({ name: 'admin', rank: 3, s: admin });
	// A customer holding a survey link (the portal's only credential) presents it as a Bearer
	// token: it must count for nothing outside the portal.
	const cust = await api(admin, 'POST', '/api/customers', { name: '门户令牌客户' });
	assert.equal(cust.status, 201, cust.text);
	const inv = await api(admin, 'POST', '/api/survey-invitations', { customer_id: cust.json.id });
	assert.equal(inv.status, 201, inv.text);
	const link = inv.json.link || inv.json.url || inv.json.path || '';
	const surveyToken = inv.json.token || link.split('/').pop();
	assert.ok(surveyToken, `a survey token in ${inv.text}`);
	callers.push({ name: 'portal (survey token)', rank: 0, foreign: true, s: bearer(srv.url, surveyToken) });
	// The same three roles again with API tokens (Bearer, no cookie, no CSRF).
	for (const c of callers.slice(1, 4)) {
		const res = await api(c.s, 'POST', '/api/tokens', { name: `matrix-${c.name}` });
		assert.equal(res.status, 201, res.text);
		callers.push({ name: `${c.name} token`, rank: c.rank, token: true, s: bearer(srv.url, res.json.token) });
	}
});

after(async () => {
	await srv?.stop();
});

test('every route lets in exactly the roles the routes table names', async () => {
	const routes = routesTable().filter((r) => !SPECIAL.has(`${r.method} ${r.path}`));
	assert.ok(routes.length > 150, `read ${routes.length} routes`);
	const wrong = [];
	let calls = 0;
	for (const r of routes) {
		for (const c of callers) {
			const res = await api(c.s, r.method, concrete(r.path), r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
			calls++;
			let allowed = c.rank >= r.rank && (c.token || !TOKEN_ONLY.has(`${r.method} ${r.path}`));
			// A credential that is not an API token is refused wherever the server reads
			// credentials; only the portal, which reads none, lets it through.
			if (c.foreign) allowed = r.path.startsWith('/api/portal/');
			let ok;
			if (allowed) ok = res.status !== 401 && res.status !== 403 && res.status < 500;
			else ok = res.status === (c.rank === 0 ? 401 : 403);
			if (TOKEN_ONLY.has(`${r.method} ${r.path}`) && !allowed && c.rank >= r.rank) ok = res.status === 403;
			if (SELF_AUTH.has(`${r.method} ${r.path}`) && c.rank === 0) ok = res.status === 401;
			if (!ok) wrong.push(`${c.name} ${r.method} ${r.path} → ${res.status} ${res.text.slice(0, 120)}`);
			if (!allowed && res.status >= 400) {
				// A refusal is a problem+json that names no data.
				assert.match(res.headers.get('content-type') || '', /^application\/problem\+json/, `${c.name} ${r.method} ${r.path}`);
			}
		}
	}
	assert.deepEqual(wrong, []);
	console.log(`permission matrix: ${routes.length} routes × ${callers.length} callers = ${calls} calls, all as the table says`);
});

test('the special routes: the event stream refuses anonymous callers', async () => {
	const res = await api(callers[0].s, 'GET', '/api/events/stream');
	assert.equal(res.status, 401);
	const bad = await api(callers[0].s, 'DELETE', '/api/session');
	assert.ok(bad.status === 401 || bad.status === 204, `anonymous sign-out: ${bad.status}`);
});

// (Anonymous routes — the customer portal — read no session at all, so there is nothing to forge.)
test('a cookie session without the CSRF token is refused on every unsafe route', async () => {
	const agent = callers[1].s;
	const unsafe = routesTable().filter((r) => r.method !== 'GET' && r.rank === 1 && !SPECIAL.has(`${r.method} ${r.path}`));
	const wrong = [];
	for (const r of unsafe) {
		const res = await api(agent, r.method, concrete(r.path), r.method === 'DELETE' ? undefined : {}, { csrf: false });
		if (res.status !== 403 || res.json?.code !== 'csrf') wrong.push(`${r.method} ${r.path} → ${res.status}`);
	}
	assert.deepEqual(wrong, []);
});

test('every answer carries the security headers', async () => {
	for (const p of ['/', '/api/me', '/api/customers', '/login']) {
		const res = await api(callers[1].s, 'GET', p);
		assert.equal(res.headers.get('x-content-type-options'), 'nosniff', p);
		assert.match(res.headers.get('content-security-policy') || '', /frame-ancestors 'none'/, p);
		assert.match(res.headers.get('content-security-policy') || '', /default-src 'self'/, p);
		assert.ok(res.headers.get('referrer-policy'), p);
	}
});
