// mailserver.mjs - real mail servers for the e-mail tests: Debian's dovecot (IMAP) with a
// throwaway configuration on a loopback port and two users (the service mailbox kefu polls,
// and a customer), and an SMTP sink (aiosmtpd) that delivers into those mailboxes through
// dovecot-lda.  Also a plain IMAP reader (curl) to look into a mailbox as its owner would.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync, chownSync, rmSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
	});
}

async function waitPort(port, ms = 10_000) {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		const ok = await new Promise((res) => {
			const c = net.connect(port, '127.0.0.1', () => { c.destroy(); res(true); });
			c.on('error', () => res(false));
		});
		if (ok)
			return;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`nothing listens on ${port}`);
}

export const USERS = { service: 'svc-Pw1', customer: 'cust-Pw2' };

/** Starts dovecot and the SMTP sink; returns {imapPort, smtpPort, deliver(user, raw), stop()}. */
export async function startMailServers() {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'kefu-mail-'));
	chmodSync(dir, 0o777);
	const imapPort = await freePort(), smtpPort = await freePort();
	// Mail is stored as nobody when the tests run as root (dovecot refuses uid 0).
	const root = process.getuid() === 0;
	const uid = root ? 65534 : process.getuid(), gid = root ? 65534 : process.getgid();
	for (const d of ['run', 'state', 'mail', 'home', 'sent']) {
		mkdirSync(path.join(dir, d));
		if (root && (d === 'mail' || d === 'home'))
			chownSync(path.join(dir, d), uid, gid);
	}
	const user = os.userInfo().username;
	const conf = path.join(dir, 'dovecot.conf');
	writeFileSync(conf, `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
first_valid_uid = 1
default_internal_user = ${root ? 'dovecot' : user}
default_login_user = ${root ? 'dovenull' : user}
${root ? '' : `default_internal_group = ${execFileSync('id', ['-gn']).toString().trim()}\n`}service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
`);
	writeFileSync(path.join(dir, 'passwd'), Object.entries(USERS).map(([u, p]) => `${u}:{PLAIN}${p}`).join('\n') + '\n');
	chmodSync(path.join(dir, 'passwd'), 0o644);
	// dovecot forks into the background: its output must not be a pipe we wait on
	execFileSync('/usr/sbin/dovecot', ['-c', conf], { stdio: 'ignore' });
	const sink = spawn('/usr/bin/python3', [new URL('./smtp_sink.py', import.meta.url).pathname, String(smtpPort), path.join(dir, 'sent'), conf],
		{ stdio: ['ignore', 'pipe', 'pipe'] });
	let sinkErr = '';
	sink.stderr.on('data', (d) => { sinkErr += d; });
	try {
		await waitPort(imapPort);
		await waitPort(smtpPort);
	} catch (e) {
		throw new Error(`${e.message}\ndovecot: ${safeRead(path.join(dir, 'dovecot.log'))}\nsink: ${sinkErr}`);
	}
	return {
		dir, imapPort, smtpPort, conf,
		imapUrl: `imap://127.0.0.1:${imapPort}/INBOX`,
		smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
		/** Delivers a raw message into a user's INBOX, as the MTA would. */
		deliver(to, raw) {
			execFileSync('/usr/lib/dovecot/dovecot-lda', ['-c', conf, '-d', to, '-f', 'sender@example.cn'], { input: raw });
		},
		/** The raw messages in a user's INBOX, read over IMAP. */
		async mailbox(userName) {
			const url = `imap://127.0.0.1:${imapPort}/INBOX`;
			const auth = `${userName}:${USERS[userName]}`;
			const search = await curl(['-s', url, '-u', auth, '-X', 'UID SEARCH ALL']);
			const uids = (search.match(/SEARCH([\d ]*)/)?.[1] || '').trim().split(/\s+/).filter(Boolean);
			const out = [];
			for (const u of uids)
				out.push(await curl(['-s', `${url};UID=${u}`, '-u', auth]));
			return out;
		},
		async stop() {
			sink.kill('SIGTERM');
			try {
				execFileSync('kill', [readFileSync(path.join(dir, 'run', 'master.pid'), 'utf8').trim()]);
			} catch { /* already gone */ }
			await new Promise((r) => setTimeout(r, 200));
			if (!process.env.KEFU_TEST_KEEP)
				rmSync(dir, { recursive: true, force: true });
		},
	};
}

function safeRead(p) {
	try { return readFileSync(p, 'utf8'); } catch { return ''; }
}

function curl(args) {
	return new Promise((resolve, reject) => {
		execFile('curl', args, { maxBuffer: 64 << 20 }, (err, stdout) => (err ? reject(err) : resolve(String(stdout))));
	});
}

/** A header of a raw message (unfolded), or undefined. */
export function header(raw, name) {
	const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
	const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head);
	return m ? m[1].trim() : undefined;
}

/** Decodes RFC 2047 encoded words (B and Q, UTF-8 and GB2312/GBK). */
export function decodeWords(s) {
	// Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
	return s.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=(?:\s+(?==\?))?/g, (_, cs, enc, text) => {
		const bytes = enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64')
			: Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
		return new TextDecoder(/gb/i.test(cs) ? 'gb18030' : cs).decode(bytes);
	});
}
