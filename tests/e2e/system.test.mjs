// Health, metrics, the OpenAPI document, concurrency, restarts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, anon, adminSession, createCustomer, listAll, assertStatus, assertProblem,
	IS_PG, newPhone,
} from './lib.mjs';

let srv, admin;

before(async () => {
	srv = await startServer('system');
	admin = await adminSession(srv);
});

after(async () => {
	await srv?.stop();
});

test('GET /healthz is 200 ok and names the database', async () => {
	const r = await api(anon(srv.url), 'GET', '/healthz');
	assertStatus(r, 200, 'healthz');
	assert.match(r.headers.get('content-type') || '', /^application\/json/);
	assert.equal(r.json.status, 'ok');
	assert.equal(r.json.db, IS_PG ? 'postgres' : 'sqlite');
	assert.ok(r.headers.get('x-request-id'));
});

function metricSum(text, name) {
	let sum = 0, found = false;
	for (const line of text.split('\n')) {
		if (line.startsWith('#') || !line.trim())
			continue;
		const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
		assert.ok(m, `not a Prometheus sample line: ${JSON.stringify(line)}`);
		if (m[1] === name) {
			found = true;
			sum += Number(m[3]);
		}
	}
	assert.ok(found, `${name} in /metrics`);
	return sum;
}

test('GET /metrics is Prometheus text with kefu_http_requests_total, counting requests', async () => {
	const r = await api(anon(srv.url), 'GET', '/metrics');
	assertStatus(r, 200, 'metrics');
	assert.match(r.headers.get('content-type') || '', /^text\/plain/);
	assert.match(r.text, /^# TYPE kefu_http_requests_total counter$/m);
	const n0 = metricSum(r.text, 'kefu_http_requests_total');
	for (let i = 0; i < 5; i++)
		await api(admin, 'GET', '/api/me');
	await api(admin, 'GET', '/api/nope');
	const n1 = metricSum((await api(anon(srv.url), 'GET', '/metrics')).text, 'kefu_http_requests_total');
	assert.ok(n1 >= n0 + 6, `counter grew by at least 6: ${n0} -> ${n1}`);
});

const ROUTES = [
	['get', '/healthz'], ['get', '/metrics'],
	['post', '/api/session'], ['delete', '/api/session'],
	['get', '/api/me'], ['patch', '/api/me'],
	['get', '/api/tokens'], ['post', '/api/tokens'], ['delete', '/api/tokens/{id}'],
	['get', '/api/users'], ['post', '/api/users'], ['get', '/api/users/{id}'], ['patch', '/api/users/{id}'],
	['get', '/api/departments'], ['post', '/api/departments'],
	['get', '/api/customers'], ['post', '/api/customers'],
	['get', '/api/customers/{id}'], ['patch', '/api/customers/{id}'], ['delete', '/api/customers/{id}'],
	['get', '/api/customers/{id}/orders'], ['post', '/api/customers/{id}/orders'],
	['get', '/api/customers/{id}/audit'], ['post', '/api/customers/assign'],
	['get', '/api/openapi.json'],
];

test('GET /api/openapi.json is OpenAPI 3 and lists every route', async () => {
	const r = await api(admin, 'GET', '/api/openapi.json');
	assertStatus(r, 200, 'openapi');
	const doc = r.json;
	assert.match(String(doc.openapi), /^3\./);
	assert.ok(doc.info && typeof doc.info.title === 'string' && doc.info.version, 'info');
	assert.ok(doc.paths && typeof doc.paths === 'object');
	const missing = ROUTES.filter(([m, p]) => !(doc.paths[p] && doc.paths[p][m])).map(([m, p]) => `${m.toUpperCase()} ${p}`);
	assert.deepEqual(missing, [], 'routes missing from the OpenAPI document');
	for (const [p, ops] of Object.entries(doc.paths))
		for (const [m, op] of Object.entries(ops))
			if (['get', 'post', 'put', 'patch', 'delete'].includes(m))
				assert.ok(op && op.responses && typeof op.responses === 'object', `${m} ${p} has responses`);
});

test('concurrent writes and reads all succeed', async () => {
	const N = 40;
	const phones = Array.from({ length: N }, () => newPhone());
	const results = await Promise.all([
		...phones.map((p, i) => api(admin, 'POST', '/api/customers', { name: `并发${i}`, phone: p.local, tags: ['并发'] })),
		...Array.from({ length: 20 }, () => api(admin, 'GET', '/api/customers?limit=20')),
		...Array.from({ length: 10 }, () => api(admin, 'GET', '/api/me')),
	]);
	const bad = results.filter((r) => r.status >= 300);
	assert.deepEqual(bad.map((r) => `${r.status} ${r.text.slice(0, 200)}`), [], 'all succeeded');
	const items = await listAll(admin, `/api/customers?tag=${encodeURIComponent('并发')}`);
	assert.equal(items.length, N);
	// The same phone from many requests at once: exactly one wins.
	const p = newPhone();
	const race = await Promise.all(Array.from({ length: 8 }, (_, i) =>
		api(admin, 'POST', '/api/customers', { name: `抢号${i}`, phone: p.local })));
	const won = race.filter((r) => r.status === 201);
	assert.equal(won.length, 1, `one winner: ${race.map((r) => r.status)}`);
	for (const r of race.filter((x) => x.status !== 201))
		assertProblem(r, 409, 'conflict', 'phone');
});

test('concurrent updates with the same version: exactly one wins', async () => {
	const c = await createCustomer(admin, { name: '并发改' });
	const res = await Promise.all(Array.from({ length: 6 }, (_, i) =>
		api(admin, 'PATCH', `/api/customers/${c.id}`, { version: c.version, notes: `第${i}次` })));
	const ok = res.filter((r) => r.status === 200);
	assert.equal(ok.length, 1, `statuses ${res.map((r) => r.status)}: ${res.map((r) => r.text.slice(0, 120)).join(' | ')}`);
	for (const r of res.filter((x) => x.status !== 200))
		assertProblem(r, 409, 'conflict');
	const g = await api(admin, 'GET', `/api/customers/${c.id}`);
	assert.equal(g.json.version, c.version + 1);
	assert.equal(g.json.notes, ok[0].json.notes);
});

test('data and sessions survive a restart', async () => {
	const c = await createCustomer(admin, { name: '重启前', tags: ['持久'] });
	const base = await srv.restart();
	admin.base = base;
	const me = await api(admin, 'GET', '/api/me');
	assertStatus(me, 200, 'the session survives a restart (sessions live in the database)');
	const g = await api(admin, 'GET', `/api/customers/${c.id}`);
	assertStatus(g, 200);
	assert.equal(g.json.name, '重启前');
});

test('two servers on one database share sessions and data', { skip: !IS_PG && 'PostgreSQL only' }, async () => {
	const base2 = await srv.spawnServe();
	const s2 = { ...admin, base: base2 };
	assertStatus(await api(s2, 'GET', '/api/me'), 200, 'session made on server 1 works on server 2');
	const c = await createCustomer(s2, { name: '二号服务器建' });
	const g = await api(admin, 'GET', `/api/customers/${c.id}`);
	assertStatus(g, 200);
	assert.equal(g.json.name, '二号服务器建');
	const out = await api(s2, 'DELETE', '/api/session');
	assert.equal(out.status, 204);
	assertProblem(await api(admin, 'GET', '/api/me'), 401, 'unauthenticated');
	admin = await adminSession(srv);
});
