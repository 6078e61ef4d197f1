// fake_ami.mjs - a scripted Asterisk Manager Interface server for testing the adapter
// (tools/ami-adapter/kefu-ami) without Asterisk.  It speaks AMI over TCP: the banner,
// the Login action (checking user and secret), then the scripted events, each an object of
// AMI fields written as "Key: Value\r\n" lines ended by an empty line.
//
// As a module:   const ami = await startFakeAmi({ user, secret, script });
//                await ami.loggedIn; ... ami.close();
// From a shell:  node tests/ami/fake_ami.mjs PORT SCRIPT.json [USER SECRET]
//                (SCRIPT.json: an array of events; {"delay_ms": N} entries pause)
import net from 'node:net';
import { readFileSync } from 'node:fs';

function frame(fields) {
	return Object.entries(fields).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
}

function parseMessages(buf) {
	const out = [];
	let i;
	while ((i = buf.text.indexOf('\r\n\r\n')) >= 0) {
		const block = buf.text.slice(0, i);
		buf.text = buf.text.slice(i + 4);
		const m = {};
		for (const line of block.split('\r\n')) {
			const c = line.indexOf(':');
			if (c > 0)
				m[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
		}
		out.push(m);
	}
	return out;
}

/**
 * Starts the server on a free port (or opts.port).  Resolves with
 * {port, loggedIn (a promise), sent (events written so far), close()}.
 * Every connection that logs in gets the whole script.
 */
export function startFakeAmi({ user = 'kefu', secret = 'secret', script = [], port = 0 } = {}) {
	let resolveLogin;
	const loggedIn = new Promise((r) => { resolveLogin = r; });
	const state = { sent: 0, logins: 0, sockets: new Set() };
	const server = net.createServer((sock) => {
		state.sockets.add(sock);
		sock.on('close', () => state.sockets.delete(sock));
		sock.on('error', () => {});
		sock.write('Asterisk Call Manager/5.0.1\r\n');
		const buf = { text: '' };
		sock.on('data', async (d) => {
			buf.text += d.toString('utf8');
			for (const m of parseMessages(buf)) {
				if ((m.action || '').toLowerCase() !== 'login')
					continue;
				if (m.username !== user || m.secret !== secret) {
					sock.write(frame({ Response: 'Error', ActionID: m.actionid || '', Message: 'Authentication failed' }));
					sock.end();
					return;
				}
				sock.write(frame({ Response: 'Success', ActionID: m.actionid || '', Message: 'Authentication accepted' }));
				sock.write(frame({ Event: 'FullyBooted', Privilege: 'system,all', Status: 'Fully Booted' }));
				state.logins++;
				resolveLogin();
				for (const ev of script) {
					if (ev.delay_ms) {
						await new Promise((r) => setTimeout(r, ev.delay_ms));
						continue;
					}
					if (sock.destroyed)
						return;
					sock.write(frame(ev));
					state.sent++;
				}
			}
		});
	});
	return new Promise((resolve, reject) => {
		server.on('error', reject);
		server.listen(port, '127.0.0.1', () => {
			resolve({
				port: server.address().port,
				loggedIn,
				state,
				close() {
					for (const s of state.sockets)
						s.destroy();
					return new Promise((r) => server.close(() => r()));
				},
			});
		});
	});
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const [port, file, user, secret] = process.argv.slice(2);
	const script = JSON.parse(readFileSync(file, 'utf8'));
	const ami = await startFakeAmi({ port: Number(port), script, user, secret });
	process.stderr.write(`fake AMI on 127.0.0.1:${ami.port}\n`);
}
