// kefu migrate-db: a demo database copied from SQLite to PostgreSQL, verified by the tool
// (counts and checksums per table), by independent counts, and by `kefu serve` on the target
// answering the same customers as on the source.  Runs in the PostgreSQL pass only (it needs
// KEFU_TEST_PG_URL); the source is always a fresh SQLite file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BIN, IS_PG, pgUrlWithDb, login, api, assertStatus, rand, strongPassword } from './lib.mjs';

const PG_BASE = process.env.KEFU_TEST_PG_URL;
const skip = !IS_PG || !PG_BASE ? 'needs the PostgreSQL pass (KEFU_TEST_PG_URL)' : false;
let dir, src, dst, dstName;
const adminPassword = strongPassword();

function run(cmd, args, env = {}) {
	return new Promise((resolve) => {
		execFile(cmd, args, { env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 16 << 20 },
			(err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout: String(stdout), stderr: String(stderr) }));
	});
}

async function psql(sql) {
	const r = await run(process.env.PSQL || 'psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', PG_BASE, '-c', sql]);
	assert.equal(r.code, 0, r.stderr);
}

function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
	});
}

// Background jobs off: a segment recompute at start would touch updated_at on one side only.
async function serve(dbUrl) {
	const port = await freePort();
	const child = spawn(BIN, ['serve', '--db', dbUrl, '--listen', `127.0.0.1:${port}`, '--no-access-log'],
		{ stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KEFU_JOBS_INTERVAL: '0' } });
	let stderr = '';
	child.stderr.on('data', (d) => { stderr += d; });
	const exited = new Promise((r) => child.on('exit', (code) => r(code)));
	const url = `http://127.0.0.1:${port}`;
	for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
		try {
			if ((await fetch(`${url}/healthz`)).status === 200)
				return { url, stop: () => { child.kill('SIGTERM'); return exited; } };
		} catch { /* not yet */ }
		await new Promise((r) => setTimeout(r, 50));
	}
	child.kill('SIGKILL');
	throw new Error(`kefu serve --db ${dbUrl} not healthy:\n${stderr}`);
}

before(async () => {
	if (skip)
		return;
	dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-migrate-db-'));
	src = `sqlite:${path.join(dir, 'src.db')}`;
	let r = await run(BIN, ['init', '--db', src], { KEFU_ADMIN_PASSWORD: adminPassword });
	assert.equal(r.code, 0, r.stderr);
	r = await run(BIN, ['demo', '--db', src, '--customers', '500', '--seed', '7'], { KEFU_DEMO_PASSWORD: strongPassword() });
	assert.equal(r.code, 0, r.stderr);
	dstName = `kefu_e2e_migrate_db_${process.pid}_${rand(3)}`;
	await psql(`CREATE DATABASE "${dstName}"`);
	dst = pgUrlWithDb(PG_BASE, dstName);
});

after(async () => {
	if (dstName && !process.env.KEFU_TEST_KEEP)
		await psql(`DROP DATABASE IF EXISTS "${dstName}" WITH (FORCE)`);
	if (dir && !process.env.KEFU_TEST_KEEP)
		rmSync(dir, { recursive: true, force: true });
});

// "customers   500  0123abcd... ok" lines of the tool's report, by table.
function report(stdout) {
	const rows = {};
	for (const m of stdout.matchAll(/^(\w+) +(\d+) +([0-9a-f]{16}) (ok|MISMATCH)$/gm))
		rows[m[1]] = { rows: Number(m[2]), sum: m[3], ok: m[4] === 'ok' };
	return rows;
}

test('migrate-db copies SQLite into an empty PostgreSQL database, every table equal', { skip }, async () => {
	const r = await run(BIN, ['migrate-db', '--from', src, '--to', dst, '--batch', '100']);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /all equal/);
	const rows = report(r.stdout);
	assert.ok(Object.keys(rows).length >= 40, `tables reported: ${Object.keys(rows).length}`);
	for (const [name, t] of Object.entries(rows))
		assert.ok(t.ok, `${name} differs`);
	// Independent counts on both sides.
	for (const table of ['customers', 'orders', 'users', 'customer_tags', 'business_days']) {
		const a = await run('sqlite3', [path.join(dir, 'src.db'), `SELECT COUNT(*) FROM ${table}`]);
		const b = await run(process.env.PSQL || 'psql', ['-X', '-At', dst, '-c', `SELECT COUNT(*) FROM ${table}`]);
		assert.equal(Number(a.stdout), Number(b.stdout), table);
		assert.equal(rows[table].rows, Number(a.stdout), table);
	}
	assert.equal(rows.customers.rows, 500);
});

test('the target refuses a second copy; usage errors exit 2', { skip }, async () => {
	const r = await run(BIN, ['migrate-db', '--from', src, '--to', dst]);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /refusing/);
	assert.equal((await run(BIN, ['migrate-db', '--from', src])).code, 2);
	assert.equal((await run(BIN, ['migrate-db', '--from', src, '--to', dst, '--batch', '0'])).code, 2);
});

test('kefu serve on the target answers the same customers, and new rows get new ids', { skip }, async () => {
	const a = await serve(src), b = await serve(dst);
	try {
		const sa = await login(a.url, 'admin', adminPassword);
		const sb = await login(b.url, 'admin', adminPassword);
		const la = await api(sa, 'GET', '/api/customers?limit=20');
		const lb = await api(sb, 'GET', '/api/customers?limit=20');
		assertStatus(la, 200);
		assertStatus(lb, 200);
		const items = la.json.items ?? la.json.data ?? la.json;
		assert.ok(Array.isArray(items) && items.length === 20, JSON.stringify(la.json).slice(0, 200));
		assert.deepEqual(lb.json.items ?? lb.json.data ?? lb.json, items);
		const id = items[0].id;
		const ga = await api(sa, 'GET', `/api/customers/${id}`);
		const gb = await api(sb, 'GET', `/api/customers/${id}`);
		assertStatus(gb, 200);
		assert.deepEqual(gb.json, ga.json);
		// The identity sequence continues after the copied ids.
		const c = await api(sb, 'POST', '/api/customers', { name: '迁移后新客户', phone: '13900000001' });
		assertStatus(c, 201);
		assert.ok(c.json.id > 500, `new id ${c.json.id}`);
	} finally {
		assert.equal(await a.stop(), 0);
		assert.equal(await b.stop(), 0);
	}
});
