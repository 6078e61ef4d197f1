// lib.mjs - the end-to-end harness: starts the real kefu binary on a fresh database and
// speaks to it over HTTP.
//
// Environment:
//   KEFU_BIN            the binary (default build/kefu, relative to the current directory)
//   KEFU_TEST_DB        sqlite (default) or pg
//   KEFU_TEST_PG_URL    for pg: a URL of the test server (e.g. what scripts/pg-temp.sh start
//                       prints); every test file creates its own database on that server
//   KEFU_TEST_KEEP=1    keep the databases (and print where they are) for inspection
//   KEFU_TEST_VERBOSE=1 echo the server's stderr as it comes
//
// Each test file calls startServer() once (in a before hook) and srv.stop() in an after
// hook; stop() fails if the server did not exit cleanly (exit code 0 on SIGTERM) or if a
// sanitizer reported anything.
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

export const BIN = process.env.KEFU_BIN || 'build/kefu';
export const DB_KIND = (process.env.KEFU_TEST_DB || 'sqlite').toLowerCase();
export const IS_PG = DB_KIND === 'pg' || DB_KIND === 'postgres' || DB_KIND === 'postgresql';

const SANITIZER_MARKS = ['ERROR: AddressSanitizer', 'runtime error:', 'LeakSanitizer',
	'ERROR: UndefinedBehaviorSanitizer', 'WARNING: ThreadSanitizer'];

export function rand(n = 6) {
	return randomBytes(n).toString('hex');
}

/** A password that passes the policy and contains no user name. */
export function strongPassword() {
	return 'Kf-' + randomBytes(9).toString('base64url').replace(/[-_]/g, 'x') + '7q';
}

// ---------------------------------------------------------------- databases

function run(cmd, args, opts = {}) {
	return new Promise((resolve) => {
		execFile(cmd, args, { timeout: 60_000, maxBuffer: 64 << 20, ...opts },
			(err, stdout, stderr) => resolve({
				code: err ? (typeof err.code === 'number' ? err.code : -1) : 0,
				signal: err?.signal ?? null, stdout: String(stdout), stderr: String(stderr),
				err,
			}));
	});
}

function psqlBin() {
	return process.env.PSQL || 'psql';
}

/** Replaces the database name in postgresql://user@/DB?query (or with a host). */
export function pgUrlWithDb(url, db) {
	const m = /^(postgres(?:ql)?:\/\/[^/?]*)(?:\/[^?]*)?(\?.*)?$/.exec(url);
	if (!m)
		throw new Error(`KEFU_TEST_PG_URL is not a postgresql:// URL: ${url}`);
	return `${m[1]}/${db}${m[2] || ''}`;
}

async function psql(url, sql) {
	const r = await run(psqlBin(), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', sql]);
	if (r.code !== 0)
		throw new Error(`psql ${sql}: exit ${r.code}: ${r.stderr || r.err}`);
}

async function makeDatabase(label) {
	if (IS_PG) {
		const base = process.env.KEFU_TEST_PG_URL;
		if (!base)
			throw new Error('KEFU_TEST_DB=pg needs KEFU_TEST_PG_URL (see scripts/pg-temp.sh)');
		const name = `kefu_e2e_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${rand(3)}`
			.slice(0, 63);
		await psql(base, `CREATE DATABASE "${name}"`);
		return {
			url: pgUrlWithDb(base, name),
			async drop() {
				await psql(base, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
			},
		};
	}
	const dir = mkdtempSync(path.join(os.tmpdir(), `kefu-e2e-${label}-`));
	return {
		url: `sqlite:${path.join(dir, 'kefu.db')}`,
		async drop() {
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

// ---------------------------------------------------------------- the server

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.unref();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

function sanitizerReport(text) {
	return SANITIZER_MARKS.some((m) => text.includes(m));
}

function tail(text, n = 4000) {
	return text.length > n ? '...' + text.slice(-n) : text;
}

async function runInit(dbUrl, adminPassword) {
	const r = await run(BIN, ['init', '--db', dbUrl], {
		env: { ...process.env, KEFU_ADMIN_PASSWORD: adminPassword },
	});
	const out = r.stdout + r.stderr;
	if (r.code !== 0 || sanitizerReport(out))
		throw new Error(`${BIN} init --db ${dbUrl} failed (exit ${r.code}, signal ${r.signal}):\n${tail(out)}`);
}

class Server {
	constructor(db, adminPassword, label) {
		this.db = db;
		this.dbUrl = db.url;
		this.adminPassword = adminPassword;
		this.label = label;
		this.procs = [];
	}

	/** Starts one more `kefu serve` on this database; returns its base URL. */
	async spawnServe() {
		let lastErr;
		for (let attempt = 0; attempt < 3; attempt++) {
			const port = await freePort();
			const url = `http://127.0.0.1:${port}`;
			const p = { url, stderr: '', stdout: '', exited: null };
			p.child = spawn(BIN, ['serve', '--db', this.dbUrl, '--listen', `127.0.0.1:${port}`], {
				env: process.env, stdio: ['ignore', 'pipe', 'pipe'],
			});
			p.exit = new Promise((resolve) => {
				p.child.on('exit', (code, signal) => { p.exited = { code, signal }; resolve(p.exited); });
				p.child.on('error', (e) => { p.exited = { code: -1, signal: null, error: e }; resolve(p.exited); });
			});
			p.child.stdout.on('data', (d) => { p.stdout += d; });
			p.child.stderr.on('data', (d) => {
				p.stderr += d;
				if (process.env.KEFU_TEST_VERBOSE)
					process.stderr.write(`[${this.label}] ${d}`);
			});
			try {
				await waitHealthy(p, 10_000);
				this.procs.push(p);
				return url;
			} catch (e) {
				lastErr = e;
				if (p.exited === null) {
					p.child.kill('SIGKILL');
					await p.exit;
				}
				// Retry only when someone else took the port in the meantime.
				if (!/address already in use|EADDRINUSE|bind/i.test(p.stderr))
					break;
			}
		}
		throw lastErr;
	}

	/** SIGTERM to every server; throws if one did not exit 0 or a sanitizer spoke. */
	async stopServes() {
		const problems = [];
		const procs = this.procs;
		this.procs = [];
		for (const p of procs) {
			if (p.exited === null)
				p.child.kill('SIGTERM');
			const timer = setTimeout(() => { if (p.exited === null) p.child.kill('SIGKILL'); }, 15_000);
			const { code, signal } = await p.exit;
			clearTimeout(timer);
			const out = p.stdout + p.stderr;
			if (code !== 0)
				problems.push(`kefu serve (${p.url}) exited with code ${code}, signal ${signal} after SIGTERM`);
			if (sanitizerReport(out))
				problems.push(`kefu serve (${p.url}): sanitizer report`);
			if (problems.length)
				problems.push(`stderr of ${p.url}:\n${tail(out, 8000)}`);
		}
		if (problems.length)
			throw new Error(problems.join('\n'));
	}

	/** Stops the servers, then starts one again on the same database (no init). */
	async restart() {
		await this.stopServes();
		this.url = await this.spawnServe();
		return this.url;
	}

	async stop() {
		try {
			await this.stopServes();
		} finally {
			if (process.env.KEFU_TEST_KEEP)
				process.stderr.write(`[${this.label}] kept database ${this.dbUrl}\n`);
			else
				await this.db.drop().catch((e) => process.stderr.write(`[${this.label}] drop: ${e}\n`));
		}
	}
}

async function waitHealthy(p, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	let last = 'no answer';
	while (Date.now() < deadline) {
		if (p.exited)
			throw new Error(`kefu serve exited early (code ${p.exited.code}, signal ${p.exited.signal}):\n${tail(p.stdout + p.stderr)}`);
		try {
			const res = await fetch(`${p.url}/healthz`, { signal: AbortSignal.timeout(2000) });
			await res.text();
			if (res.status === 200)
				return;
			last = `status ${res.status}`;
		} catch (e) {
			last = String(e.cause?.code || e.message);
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`kefu serve not healthy within ${timeoutMs} ms (${last}):\n${tail(p.stdout + p.stderr)}`);
}

/**
 * Creates a fresh database, runs `kefu init` and `kefu serve`, waits for /healthz.
 * Returns {url, dbUrl, adminPassword, stop(), restart(), spawnServe()}.
 */
export async function startServer(label = 'e2e') {
	const db = await makeDatabase(label);
	const adminPassword = 'Adm1n-' + randomBytes(12).toString('base64url').replace(/[-_]/g, 'z') + '9';
	const srv = new Server(db, adminPassword, label);
	try {
		await runInit(db.url, adminPassword);
		srv.url = await srv.spawnServe();
	} catch (e) {
		await srv.stopServes().catch(() => {});
		if (!process.env.KEFU_TEST_KEEP)
			await db.drop().catch(() => {});
		throw e;
	}
	return srv;
}

// ---------------------------------------------------------------- the client

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A session for anonymous calls. */
export function anon(base) {
	return { base };
}

/** A session authenticated by an API token (no cookie, no CSRF). */
export function bearer(base, token) {
	return { base, token };
}

/**
 * Calls the API. body: an object (sent as JSON), a string or Buffer (sent as is, with
 * Content-Type: application/json unless opts.headers says otherwise), or undefined.
 * opts.headers adds or overrides headers (a null value removes one); opts.csrf === false
 * leaves the CSRF header out. Returns {status, headers, json, text}.
 */
export async function api(session, method, urlPath, body, opts = {}) {
	const headers = {};
	if (session.cookie)
		headers.Cookie = session.cookie;
	if (session.token)
		headers.Authorization = `Bearer ${session.token}`;
	if (session.cookie && session.csrf && UNSAFE.has(method) && opts.csrf !== false)
		headers['X-CSRF-Token'] = session.csrf;
	let payload;
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
	}
	for (const [k, v] of Object.entries(opts.headers || {})) {
		for (const have of Object.keys(headers))
			if (have.toLowerCase() === k.toLowerCase())
				delete headers[have];
		if (v !== null && v !== undefined)
			headers[k] = v;
	}
	const res = await fetch(session.base + urlPath, { method, headers, body: payload, redirect: 'manual' });
	const text = await res.text();
	let json = null;
	const ct = res.headers.get('content-type') || '';
	if (/json/i.test(ct) && text.length) {
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined; // said JSON, was not: tests see json === undefined
		}
	}
	return { status: res.status, headers: res.headers, json, text };
}

/** Signs in; asserts success. Returns {base, cookie, csrf, user}. */
export async function login(base, username, password, opts = {}) {
	const res = await api(anon(base), 'POST', '/api/session', { username, password }, opts);
	assert.equal(res.status, 200, `login ${username}: ${res.status} ${res.text}`);
	const setCookies = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie')];
	const sc = setCookies.find((c) => c && /^\s*kefu_session=/.test(c));
	assert.ok(sc, `login ${username}: no kefu_session cookie in ${JSON.stringify(setCookies)}`);
	const cookie = sc.split(';')[0].trim();
	return { base, cookie, csrf: res.json.csrf_token, user: res.json.user, setCookie: sc, body: res.json };
}

/**
 * Asserts that res is an RFC 9457 problem with this status (and code, and field when given).
 * Returns the problem.
 */
export function assertProblem(res, status, code, field) {
	const ctx = `${res.status} ${res.text.slice(0, 600)}`;
	assert.equal(res.status, status, `expected status ${status}, got ${ctx}`);
	assert.match(res.headers.get('content-type') || '', /^application\/problem\+json/i,
		`expected application/problem+json, got ${res.headers.get('content-type')}: ${ctx}`);
	const p = res.json;
	assert.ok(p && typeof p === 'object', `problem body is not JSON: ${ctx}`);
	assert.equal(p.status, status, `problem.status: ${ctx}`);
	if (code !== undefined)
		assert.equal(p.code, code, `problem.code: ${ctx}`);
	assert.equal(typeof p.title, 'string', `problem.title: ${ctx}`);
	assert.ok(p.title.length > 0, `problem.title empty: ${ctx}`);
	assert.equal(typeof p.detail, 'string', `problem.detail: ${ctx}`);
	assert.ok(p.detail.length > 0, `problem.detail empty: ${ctx}`);
	assert.ok(p.type === 'about:blank' || /^https?:\/\//.test(p.type), `problem.type: ${ctx}`);
	assert.equal(typeof p.request_id, 'string', `problem.request_id: ${ctx}`);
	assert.equal(p.request_id, res.headers.get('x-request-id'), `problem.request_id vs X-Request-Id: ${ctx}`);
	if (field !== undefined)
		assert.ok(fieldNames(p.field, field), `problem.field should name ${field}: ${ctx}`);
	return p;
}

/**
 * Whether the problem's field names `want`: exactly, or an element or member of it
 * ("tags[0]", "contacts[1].phone", "password.new" all name tags / contacts / password).
 */
export function fieldNames(got, want) {
	return typeof got === 'string' && (got === want || got.startsWith(want + '[') || got.startsWith(want + '.'));
}

/** Asserts a 2xx-class status, with the body in the message. */
export function assertStatus(res, status, what = '') {
	assert.equal(res.status, status, `${what} expected ${status}, got ${res.status} ${res.text.slice(0, 800)}`);
	return res.json;
}

export const CJK = /[\u3400-\u9fff]/;

// ---------------------------------------------------------------- fixtures

let seq = 0;

/** Admin creates a user; returns {user, password, username}. */
export async function createUser(admin, fields = {}) {
	const username = fields.username || `u${++seq}_${rand(3)}`;
	const password = fields.password || strongPassword();
	const body = { username, display_name: `用户${seq}`, role: 'agent', password, ...fields };
	const res = await api(admin, 'POST', '/api/users', body);
	assertStatus(res, 201, `create user ${username}`);
	return { user: res.json, username, password };
}

/** Creates a user and signs them in; returns the session with .password. */
export async function userSession(srv, admin, fields = {}) {
	const u = await createUser(admin, fields);
	const s = await login(srv.url, u.username, u.password);
	s.password = u.password;
	return s;
}

export async function adminSession(srv) {
	return login(srv.url, 'admin', srv.adminPassword);
}

let phoneSeq = Math.floor(Math.random() * 1e6);

/** A fresh valid mainland mobile number, as "1xx xxxx xxxx" and its E.164 form. */
export function newPhone() {
	phoneSeq = (phoneSeq + 7919) % 1e8;
	const digits = '139' + String(phoneSeq).padStart(8, '0');
	return {
		local: `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`,
		e164: `+86${digits}`,
		masked: `+86 ${digits.slice(0, 3)}****${digits.slice(7)}`,
		digits,
	};
}

export async function createCustomer(session, fields = {}) {
	const res = await api(session, 'POST', '/api/customers', { name: `客户${rand(2)}`, ...fields });
	assertStatus(res, 201, `create customer ${JSON.stringify(fields).slice(0, 200)}`);
	return res.json;
}

/** Walks every page of a list; returns all items. */
export async function listAll(session, urlPath, limit = 200) {
	const items = [];
	let cursor = null;
	for (let i = 0; i < 10_000; i++) {
		const sep = urlPath.includes('?') ? '&' : '?';
		const res = await api(session, 'GET',
			`${urlPath}${sep}limit=${limit}${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
		assertStatus(res, 200, `GET ${urlPath}`);
		items.push(...res.json.items);
		cursor = res.json.next_cursor;
		if (!cursor)
			return items;
	}
	throw new Error(`${urlPath}: paging did not end`);
}

/**
 * Sends a raw request with node:http (for bodies the server may refuse before reading
 * them whole). Resolves with {status, headers, text, json, writeError}.
 */
export function rawRequest(base, method, urlPath, headers, body) {
	return new Promise((resolve, reject) => {
		const u = new URL(base + urlPath);
		let writeError = null;
		let done = false;
		const req = http.request({ host: u.hostname, port: u.port, method, path: u.pathname + u.search, headers });
		req.on('response', (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				done = true;
				const text = Buffer.concat(chunks).toString('utf8');
				let json = null;
				try { json = JSON.parse(text); } catch { /* not JSON */ }
				const h = new Headers();
				for (const [k, v] of Object.entries(res.headers))
					h.set(k, Array.isArray(v) ? v.join(', ') : String(v));
				resolve({ status: res.statusCode, headers: h, text, json, writeError });
			});
			res.on('error', (e) => { if (!done) reject(e); });
		});
		req.on('error', (e) => {
			// The server may answer and close before it read all of a huge body.
			writeError = e;
			setTimeout(() => { if (!done) reject(new Error(`no response: ${e.message}`)); }, 2000);
		});
		req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
		if (body)
			req.write(body);
		req.end();
	});
}
