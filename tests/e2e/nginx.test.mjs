// etc/nginx/kefu.conf, run as it is shipped (ports and paths substituted) by Debian's nginx
// on loopback with a self-signed certificate (openssl), in front of kefu: the UI index, a
// login whose cookie is Secure (X-Forwarded-Proto), an API call with that cookie, /healthz.
// Runs on both backends when an nginx binary is found ($KEFU_TEST_NGINX, else /usr/sbin/nginx:
// nginx-light, which scripts/deps.sh installs for `make test`; or `apt-get download nginx && dpkg -x`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer, login } from './lib.mjs';

const NGINX = process.env.KEFU_TEST_NGINX || '/usr/sbin/nginx';
const skip = !existsSync(NGINX) ? `no nginx at ${NGINX}` : false;
let srv, dir, nginx, port, ca;

function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => { const { port: p } = s.address(); s.close(() => resolve(p)); });
	});
}

// The shipped site file with this test's ports and certificate, inside a minimal nginx.conf.
function nginxConf(kefuPort) {
	let site = readFileSync('etc/nginx/kefu.conf', 'utf8')
		.replace('server 127.0.0.1:8080;', `server 127.0.0.1:${kefuPort};`)
		.replace('listen 443 ssl http2;', `listen 127.0.0.1:${port} ssl http2;`)
		.replace('/etc/ssl/kefu/fullchain.pem', path.join(dir, 'cert.pem'))
		.replace('/etc/ssl/kefu/privkey.pem', path.join(dir, 'key.pem'))
		.replace(/server \{\s*listen 80;[\s\S]*$/, ''); // no port-80 redirect in a test
	assert.ok(site.includes(`127.0.0.1:${port} ssl`), 'the listen line was substituted');
	const t = (n) => path.join(dir, n);
	return `${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${t('nginx.pid')};
error_log ${t('error.log')} warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path ${t('body')};
    proxy_temp_path ${t('proxy')};
    fastcgi_temp_path ${t('fastcgi')};
    uwsgi_temp_path ${t('uwsgi')};
    scgi_temp_path ${t('scgi')};
${site}
}
`;
}

function req(method, urlPath, { headers = {}, body } = {}) {
	return new Promise((resolve, reject) => {
		const data = body === undefined ? undefined : JSON.stringify(body);
		const r = https.request({
			host: '127.0.0.1', port, method, path: urlPath, ca, servername: 'localhost',
			headers: { ...headers, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}) },
		}, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (d) => { text += d; });
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
		});
		r.on('error', reject);
		r.end(data);
	});
}

before(async () => {
	if (skip)
		return;
	srv = await startServer('nginx');
	dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-nginx-'));
	chmodSync(dir, 0o755);
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
		'-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
		'-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
	ca = readFileSync(path.join(dir, 'cert.pem'));
	port = await freePort();
	writeFileSync(path.join(dir, 'nginx.conf'), nginxConf(new URL(srv.url).port));
	const args = ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'];
	execFileSync(NGINX, ['-t', ...args.slice(0, 6)], { stdio: 'pipe' });
	nginx = spawn(NGINX, args, { stdio: 'ignore' });
	for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
		try {
			if ((await req('GET', '/healthz')).status === 200)
				return;
		} catch { /* not up yet */ }
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`nginx did not answer on ${port}: ${readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
});

after(async () => {
	if (nginx) {
		const exited = new Promise((r) => nginx.on('exit', r));
		nginx.kill('SIGQUIT');
		await exited;
	}
	await srv?.stop();
	if (dir)
		rmSync(dir, { recursive: true, force: true });
});

test('through nginx over TLS: healthz and the UI index', { skip }, async () => {
	const h = await req('GET', '/healthz');
	assert.equal(h.status, 200);
	assert.equal(JSON.parse(h.text).status, 'ok');
	const idx = await req('GET', '/');
	assert.equal(idx.status, 200);
	assert.match(idx.text, /<html/i);
});

test('login through nginx sets a Secure cookie; directly it does not; the cookie works', { skip }, async () => {
	const r = await req('POST', '/api/session', { body: { username: 'admin', password: srv.adminPassword } });
	assert.equal(r.status, 200, r.text);
	const sc = [].concat(r.headers['set-cookie'] || []).find((c) => c.startsWith('kefu_session='));
	assert.ok(sc, 'a session cookie');
	assert.match(sc, /;\s*Secure/i);
	const direct = await login(srv.url, 'admin', srv.adminPassword);
	assert.doesNotMatch(direct.setCookie, /Secure/i);
	const me = await req('GET', '/api/customers?limit=5', { headers: { Cookie: sc.split(';')[0] } });
	assert.equal(me.status, 200, me.text);
	assert.ok(Array.isArray(JSON.parse(me.text).items));
});
