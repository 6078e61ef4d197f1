// kefu backup / kefu restore, and upgrades from the first schema version, on the backend the
// suite runs on (SQLite: the online backup API; PostgreSQL: pg_dump / pg_restore):
//  - a backup taken while writers write restores to a database where everything written
//    before it is, nothing written after it is, and the admin can sign in;
//  - restore refuses to overwrite a database holding data without --force, and refuses a
//    file that is not a backup, leaving the target as it was;
//  - a database created at schema version 1 with a customer in it migrates to the current
//    schema and serves that customer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BIN, IS_PG, api, adminSession, assertStatus, createCustomer, login, pgUrlWithDb, rand, startServer } from './lib.mjs';

const TMP = mkdtempSync(path.join(os.tmpdir(), 'kefu-backup-'));
const extraDbs = [];
const serves = [];
let srv;

function run(cmd, args, env = {}) {
	return new Promise((resolve) => {
		const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		p.stdout.on('data', (d) => (out += d));
		p.stderr.on('data', (d) => (out += d));
		p.on('exit', (code) => resolve({ code, out }));
		p.on('error', (e) => resolve({ code: -1, out: String(e) }));
	});
}
const kefu = (...args) => run(BIN, args);

/** A new, empty database of the suite's kind. */
async function newDb() {
	if (!IS_PG) return `sqlite:${path.join(TMP, `db-${rand(4)}.db`)}`;
	const name = `kefu_e2e_backup_${process.pid}_${rand(4)}`.toLowerCase();
	const r = await run(process.env.PSQL || 'psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', process.env.KEFU_TEST_PG_URL, '-c', `CREATE DATABASE "${name}"`]);
	assert.equal(r.code, 0, r.out);
	extraDbs.push(name);
	return pgUrlWithDb(process.env.KEFU_TEST_PG_URL, name);
}

/** SQL straight into a database (sqlite3 or psql). */
async function sql(url, text) {
	const r = IS_PG
		? await run(process.env.PSQL || 'psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', text])
		: await run('sqlite3', [url.slice('sqlite:'.length), text]);
	assert.equal(r.code, 0, r.out);
}

function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

/** kefu serve on an existing database; returns its base URL. */
async function serve(url) {
	const port = await freePort();
	const p = spawn(BIN, ['serve', '--db', url, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
	let err = '';
	p.stderr.on('data', (d) => (err += d));
	serves.push(p);
	const base = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 200; i++) {
		try {
			if ((await fetch(`${base}/healthz`)).ok) return base;
		} catch {
			/* not yet */
		}
		await new Promise((f) => setTimeout(f, 50));
	}
	throw new Error(`kefu serve on ${url} did not come up: ${err}`);
}

before(async () => {
	srv = await startServer('backup');
});

after(async () => {
	for (const p of serves) p.kill('SIGTERM');
	await srv?.stop();
	for (const name of extraDbs)
		await run(process.env.PSQL || 'psql', ['-X', '-q', process.env.KEFU_TEST_PG_URL, '-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
	rmSync(TMP, { recursive: true, force: true });
});

test('a backup taken under writes restores to exactly what was there, and the admin signs in', async () => {
	const admin = await adminSession(srv);
	const before = await createCustomer(admin, { name: `备份前${rand(4)}`, contacts: [{ name: '联系人', phone: '13900001111' }] });
	// Writers keep writing while the copy is taken.
	const stop = { now: false };
	const writer = (async () => {
		while (!stop.now) await createCustomer(admin, { name: `备份中${rand(6)}` });
	})();
	const file = path.join(TMP, 'kefu.backup');
	const b = await kefu('backup', '--db', srv.dbUrl, '--out', file);
	stop.now = true;
	await writer;
	assert.equal(b.code, 0, b.out);
	assert.match(b.out, /backup: .*schema version \d+, checked/);
	assert.notEqual((await kefu('backup', '--db', srv.dbUrl, '--out', file)).code, 0, 'an existing file is never overwritten');
	const afterIt = await createCustomer(admin, { name: `备份后${rand(4)}` });

	const target = await newDb();
	const r = await kefu('restore', '--db', target, '--from', file);
	assert.equal(r.code, 0, r.out);
	const again = await kefu('restore', '--db', target, '--from', file);
	assert.equal(again.code, 1);
	assert.match(again.out, /--force/);

	const base = await serve(target);
	const s = await login(base, 'admin', srv.adminPassword);
	const got = assertStatus(await api(s, 'GET', `/api/customers/${before.id}`), 200);
	assert.equal(got.name, before.name);
	assert.equal(got.contacts.length, 1);
	assert.equal((await api(s, 'GET', `/api/customers/${afterIt.id}`)).status, 404, 'written after the backup: not in it');
	console.log(`backup: restored into ${IS_PG ? 'PostgreSQL' : 'SQLite'}, customer ${before.id} there, ${afterIt.id} not`);
});

test('restore refuses a file that is not a backup and leaves the target alone', async () => {
	const junk = path.join(TMP, 'junk.backup');
	writeFileSync(junk, 'this is not a database\n'.repeat(100));
	const target = await newDb();
	const r = await kefu('restore', '--db', target, '--from', junk);
	assert.equal(r.code, 1, r.out);
	assert.match(r.out, /not an SQLite database|not a dump/);
	const missing = await kefu('restore', '--db', target, '--from', path.join(TMP, 'nothing-here'));
	assert.equal(missing.code, 1);
	assert.match(missing.out, /cannot read/);
});

test('a database at schema version 1 migrates to the current schema and keeps its data', async () => {
	const url = await newDb();
	const m1 = await kefu('migrate', '--db', url, '--to', '1');
	assert.equal(m1.code, 0, m1.out);
	assert.match(m1.out, /schema version 1 of \d+/);
	const now = Date.now();
	await sql(url, `INSERT INTO customers (name, phone, created_at, updated_at) VALUES ('老版本客户', '+8613900002222', ${now}, ${now})`);
	const m = await kefu('migrate', '--db', url);
	assert.equal(m.code, 0, m.out);
	assert.match(m.out, /schema is current/);
	const st = await kefu('migrate', '--db', url, '--status');
	assert.match(st.out, /\(current\)/);
	const init = await run(BIN, ['init', '--db', url], { KEFU_ADMIN_PASSWORD: srv.adminPassword });
	assert.equal(init.code, 0, init.out);
	const base = await serve(url);
	const s = await login(base, 'admin', srv.adminPassword);
	const list = assertStatus(await api(s, 'GET', '/api/customers?limit=10'), 200);
	const c = list.items.find((x) => x.name === '老版本客户');
	assert.ok(c, 'the customer of schema version 1 is listed');
	const one = assertStatus(await api(s, 'GET', `/api/customers/${c.id}`), 200);
	assert.equal(one.lifecycle, 'potential');
});
