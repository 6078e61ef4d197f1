// kefu.conf: `kefu config check`, `kefu serve --config` (and $KEFU_CONFIG, flags winning
// over the file), `kefu doctor` on a running installation (and its mail server: the SMTP sink of
// tests/e2e/smtp_sink.py greeting, a server refusing, nothing listening).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer, BIN, IS_PG, adminSession, api, assertStatus } from './lib.mjs';

let srv, dir;

// The environment without the variables that would override the file.
function cleanEnv(extra = {}) {
	const env = { ...process.env };
	delete env.KEFU_DB;
	delete env.KEFU_LISTEN;
	delete env.KEFU_CONFIG;
	return { ...env, ...extra };
}

function run(args, env = cleanEnv()) {
	return new Promise((resolve) => {
		execFile(BIN, args, { env, timeout: 30_000 }, (err, stdout, stderr) =>
			resolve({ code: err ? err.code : 0, stdout: String(stdout), stderr: String(stderr) }));
	});
}

function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
	});
}

// Starts `kefu serve ARGS`, waits until http://127.0.0.1:PORT/healthz answers 200.
async function serveUntilHealthy(args, port, env = cleanEnv()) {
	const child = spawn(BIN, ['serve', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
	let stderr = '';
	child.stderr.on('data', (d) => { stderr += d; });
	const exited = new Promise((r) => child.on('exit', (code) => r(code)));
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		try {
			const res = await fetch(`http://127.0.0.1:${port}/healthz`);
			const body = await res.json();
			if (res.status === 200)
				return { child, body, exited, stop: async () => { child.kill('SIGTERM'); return exited; } };
		} catch { /* not up yet */ }
		await new Promise((r) => setTimeout(r, 50));
	}
	child.kill('SIGKILL');
	throw new Error(`kefu serve ${args.join(' ')} not healthy on ${port}:\n${stderr}`);
}

function writeConf(name, text) {
	const f = path.join(dir, name);
	writeFileSync(f, text);
	return f;
}

before(async () => {
	srv = await startServer('config');
	dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-config-'));
});

after(async () => {
	await srv?.stop();
	if (dir)
		rmSync(dir, { recursive: true, force: true });
});

test('config check names each bad line and exits 2', async () => {
	const f = writeConf('bad.conf', '# a comment\nlisten = 127.0.0.1:8080\nlisen = 1.2.3.4:80\n' +
		'threads = lots\ndb = mysql://x\nlisten = 127.0.0.1:9\n');
	const r = await run(['config', 'check', f]);
	assert.equal(r.code, 2, r.stderr);
	assert.match(r.stderr, /bad\.conf:3: unknown key 'lisen'/);
	assert.match(r.stderr, /bad\.conf:4: threads: 'lots'/);
	assert.match(r.stderr, /bad\.conf:5: db: /);
	assert.match(r.stderr, /bad\.conf:6: listen: already set on line 2/);
	assert.match(r.stderr, /4 errors/);
	const missing = await run(['config', 'check', path.join(dir, 'nope.conf')]);
	assert.equal(missing.code, 1);
	assert.equal((await run(['config', 'check'])).code, 2, 'no file and no $KEFU_CONFIG is a usage error');
});

test('config check accepts the sample etc/kefu.conf', async () => {
	const r = await run(['config', 'check', 'etc/kefu.conf']);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /ok/);
});

test('serve --config reads db and listen; flags and $KEFU_LISTEN win over the file', async () => {
	const port = await freePort();
	const f = writeConf('kefu.conf', `db = ${srv.dbUrl}\nlisten = 127.0.0.1:${port}\nthreads = 2\naccess_log = no\n`);
	assert.equal((await run(['config', 'check', f])).code, 0);

	const a = await serveUntilHealthy(['--config', f], port);
	assert.equal(a.body.db, IS_PG ? 'postgres' : 'sqlite');
	assert.equal(await a.stop(), 0);

	const b = await serveUntilHealthy([], port, cleanEnv({ KEFU_CONFIG: f }));
	assert.equal(await b.stop(), 0);

	const flagPort = await freePort();
	const c = await serveUntilHealthy([`--config=${f}`, '--listen', `127.0.0.1:${flagPort}`], flagPort);
	assert.equal(await c.stop(), 0);

	const envPort = await freePort();
	const d = await serveUntilHealthy(['--config', f], envPort, cleanEnv({ KEFU_LISTEN: `127.0.0.1:${envPort}` }));
	assert.equal(await d.stop(), 0);
});

test('serve refuses a configuration file with errors', async () => {
	const f = writeConf('broken.conf', 'threads = 0\n');
	const r = await run(['serve', '--config', f]);
	assert.equal(r.code, 2);
	assert.match(r.stderr, /broken\.conf:1: threads/);
});

test('doctor: all good against a running server, fails when nothing answers', async () => {
	const port = Number(new URL(srv.url).port);
	const f = writeConf('doctor.conf', `db = ${srv.dbUrl}\nlisten = 127.0.0.1:${port}\n`);
	const r = await run(['doctor', '--config', f]);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /^ok +database/m);
	assert.match(r.stdout, /^ok +schema +version \d+, current/m);
	assert.match(r.stdout, /^ok +disk/m);
	assert.match(r.stdout, /^ok +clock/m);
	assert.match(r.stdout, /^ok +server .*"status":"ok"/m);

	const dead = await freePort();
	const r2 = await run(['doctor', '--config', f, '--listen', `127.0.0.1:${dead}`]);
	assert.equal(r2.code, 1);
	assert.match(r2.stdout, /^FAIL +server/m);

	if (!IS_PG) {
		const r3 = await run(['doctor', '--db', `sqlite:${path.join(dir, 'absent.db')}`, '--listen', `127.0.0.1:${port}`]);
		assert.equal(r3.code, 1);
		assert.match(r3.stdout, /^FAIL +database .*does not exist/m);
	}
});

// Starts tests/e2e/smtp_sink.py on a free port (it delivers nothing here: doctor only connects).
async function startSink() {
	const port = await freePort();
	const child = spawn('/usr/bin/python3', [new URL('./smtp_sink.py', import.meta.url).pathname, String(port),
		dir, '/dev/null'], { stdio: ['ignore', 'pipe', 'inherit'] });
	await new Promise((resolve, reject) => {
		child.stdout.on('data', (d) => { if (String(d).includes('ready')) resolve(); });
		child.on('exit', (code) => reject(new Error(`smtp_sink.py exited with ${code}`)));
	});
	return { port, stop: () => new Promise((r) => { child.on('exit', r); child.kill('SIGTERM'); }) };
}

test('doctor: the mail server of the mail settings greets with 220; skipped when none is set', async () => {
	const port = Number(new URL(srv.url).port);
	const f = writeConf('doctor-mail.conf', `db = ${srv.dbUrl}\nlisten = 127.0.0.1:${port}\n`);
	const admin = await adminSession(srv);
	const setSmtp = async (url) => assertStatus(await api(admin, 'PUT', '/api/mail/settings', { smtp_url: url }), 200, 'mail settings');

	const none = await run(['doctor', '--config', f]);
	assert.equal(none.code, 0, none.stdout);
	assert.match(none.stdout, /^skip +mail +no SMTP server in the mail settings/m);

	const sink = await startSink();
	// A refusing server (554) and nothing listening at all.
	const refusing = net.createServer((c) => c.end('554 5.3.2 no service here\r\n'));
	await new Promise((r) => refusing.listen(0, '127.0.0.1', r));
	try {
		await setSmtp(`smtp://service:s3cret-pw@127.0.0.1:${sink.port}/kefu.test`);
		const good = await run(['doctor', '--config', f]);
		assert.equal(good.code, 0, good.stdout);
		assert.match(good.stdout, new RegExp(`^ok +mail +smtp://127\\.0\\.0\\.1:${sink.port}: 220 `, 'm'));
		assert.doesNotMatch(good.stdout, /s3cret/, 'the password in the URL is not printed');

		await setSmtp(`smtp://127.0.0.1:${refusing.address().port}`);
		const bad = await run(['doctor', '--config', f]);
		assert.equal(bad.code, 1, bad.stdout);
		assert.match(bad.stdout, /^FAIL +mail +.*not with an SMTP greeting \(220\): 554 5\.3\.2 no service here$/m);

		const dead = await freePort();
		await setSmtp(`smtp://127.0.0.1:${dead}`);
		const down = await run(['doctor', '--config', f]);
		assert.equal(down.code, 1, down.stdout);
		assert.match(down.stdout, new RegExp(`^FAIL +mail +smtp://127\\.0\\.0\\.1:${dead}: cannot connect \\(Connection refused\\)`, 'm'));
		assert.match(down.stdout, /^ok +server /m, 'only the mail line fails');
	} finally {
		await setSmtp('');
		await sink.stop();
		refusing.close();
	}
});
