// `kefu demo`: without flags only staff, customers and orders (the browser suite loads 100,000
// customers and must stay fast); with --extras (what `make run` passes) every module has
// something to show: cases in every state, published standard answers, visits and promises due
// around today (some overdue), and the hotline's calls of yesterday and today.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, api, adminSession, login, assertStatus, BIN, CJK } from './lib.mjs';

process.env.KEFU_JOBS_INTERVAL = '0';

let srv, admin;
const PASSWORD = 'Demo-pass-12';

function demo(args) {
	return new Promise((resolve) => {
		execFile(BIN, ['demo', '--db', srv.dbUrl, ...args], { env: { ...process.env, KEFU_DEMO_PASSWORD: PASSWORD }, timeout: 120_000 },
			(err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout: String(stdout), stderr: String(stderr) }));
	});
}

before(async () => {
	srv = await startServer('demo');
	admin = await adminSession(srv);
});

after(async () => {
	await srv?.stop();
});

const total = async (s, path) => assertStatus(await api(s, 'GET', path), 200, path);

test('kefu demo without --extras: staff, customers and orders only', async () => {
	const r = await demo(['--customers', '300']);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /300 customers added/);
	assert.doesNotMatch(r.stdout, /cases added|standard answers/);
	const sup = await login(srv.url, 'zhuguan', PASSWORD);
	assert.equal((await total(sup, '/api/cases?view=all&limit=1')).items.length, 0);
	assert.equal((await total(sup, '/api/kb?status=published')).items.length, 0);
	assert.equal((await total(sup, '/api/calls?limit=1')).items.length, 0);
});

test('kefu demo --extras: cases in every state, answers, visits, promises and calls', async () => {
	const r = await demo(['--customers', '0', '--extras']);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /600 cases added/);
	const m = /(\d+) standard answers, (\d+) follow-up visits, (\d+) commitments, (\d+) calls/.exec(r.stdout);
	assert.ok(m, r.stdout);
	const [kb, visits, promises, calls] = m.slice(1).map(Number);
	assert.ok(kb >= 10 && visits >= 16 && promises >= 16 && calls > 100, r.stdout);
	const sup = await login(srv.url, 'zhuguan', PASSWORD);
	const agent = await login(srv.url, 'agent01', PASSWORD);
	// Every state of both workflows has cases.
	const states = new Set();
	let cursor = null;
	do {
		const p = await total(admin, `/api/cases?view=all&open=all&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
		p.items.forEach((c) => states.add(c.state));
		cursor = p.next_cursor;
	} while (cursor);
	for (const s of ['open', 'pending', 'resolved', 'closed', 'intake', 'assessment', 'handling', 'follow_up', 'archived'])
		assert.ok(states.has(s), `a case in state ${s}: ${[...states]}`);
	assert.ok((await total(agent, '/api/cases?view=mine')).items.length > 0, 'agent01 has an inbox');
	// Published standard answers, in Chinese.
	const answers = (await total(agent, '/api/kb?status=published&limit=100')).items;
	assert.equal(answers.length, kb);
	assert.ok(answers.every((a) => CJK.test(a.title)));
	// Visits and promises around today, some overdue.
	assert.ok((await total(agent, '/api/followups?view=mine_overdue')).items.length >= 1);
	assert.ok((await total(agent, '/api/followups?view=mine_due')).items.length >= 1);
	assert.ok((await total(agent, '/api/commitments?view=mine_overdue')).items.length >= 1);
	assert.ok((await total(agent, '/api/commitments?view=mine_due')).items.length >= 1);
	// The hotline: answered and abandoned calls, some from known customers, with agents.
	const cs = (await total(sup, '/api/calls?limit=200')).items;
	assert.ok(cs.length > 50, `${cs.length} calls`);
	assert.ok(cs.some((c) => c.agent?.id === agent.user.id || c.agent_id === agent.user.id), JSON.stringify(cs[0]));
	assert.ok(cs.some((c) => c.customer), 'some callers are customers');
	// Run again with --if-empty: nothing is added.
	const again = await demo(['--customers', '10', '--extras', '--if-empty']);
	assert.equal(again.code, 0, again.stderr);
	assert.match(again.stdout, /nothing added/);
	assert.equal((await total(agent, '/api/kb?status=published&limit=100')).items.length, kb);
});
