// The e-mail channel against real servers: dovecot (IMAP) and an SMTP sink that delivers
// into dovecot mailboxes.  A GBK message with a GB2312-encoded subject becomes a case; the
// agent's reply reaches the customer's mailbox threaded; the customer's answer comes back to
// the same case; attachments, the pipe (kefu mail-in), duplicates, settings and errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
	startServer, api, adminSession, userSession, assertProblem, assertStatus, rand, BIN,
} from './lib.mjs';
import { gbk } from './files.mjs';
import { startMailServers, header, decodeWords, USERS } from './mailserver.mjs';

let srv, mail, admin, agent;

before(async () => {
	mail = await startMailServers();
	process.env.KEFU_CHANNELS_TICK_MS = '200';
	srv = await startServer('mail');
	delete process.env.KEFU_CHANNELS_TICK_MS;
	admin = await adminSession(srv);
	agent = await userSession(srv, admin, { role: 'supervisor', display_name: '客服小李' });
	const put = await api(admin, 'PUT', '/api/mail/settings', {
		imap_url: mail.imapUrl, imap_user: 'service', imap_password: USERS.service,
		smtp_url: mail.smtpUrl, from_address: 'service@kefu.test', from_name: '客服中心',
		poll_seconds: '3600',
	});
	assertStatus(put, 200, 'mail settings');
});

after(async () => {
	await srv?.stop();
	await mail?.stop();
});

function crlf(lines) {
	return lines.join('\r\n');
}

/** A message as a Chinese mail client sends it: GB2312 subject, GBK body. */
function gbkMessage({ id, subject, body, from = '=?GB2312?B?1cXI/Q==?= <customer@example.cn>', extra = [] }) {
	const head = Buffer.from(crlf([
		`From: ${from}`,
		'To: service@kefu.test',
		`Subject: ${subject}`,
		`Message-ID: <${id}>`,
		'Date: Tue, 05 Mar 2024 10:00:00 +0800',
		...extra,
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=GBK',
		'Content-Transfer-Encoding: 8bit',
		'', '',
	]));
	return Buffer.concat([head, gbk(body)]);
}

async function poll() {
	const r = await api(admin, 'POST', '/api/mail/poll');
	assertStatus(r, 200, 'poll');
	return r.json.fetched;
}

async function until(fn, what, ms = 15_000) {
	const deadline = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v)
			return v;
		assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

let first; // {mailId, caseId, number}

test('a GBK e-mail with a GB2312-encoded subject, fetched over IMAP, becomes a case', async () => {
	const id = `gbk-${rand(4)}@example.cn`;
	// =?GB2312?B?...?= is 空调不制冷
	mail.deliver('service', gbkMessage({ id, subject: '=?GB2312?B?v9W197K71sbA5A==?=', body: '你好，家里的空调不制冷，请尽快派人维修。\r\n电话 13800138000\r\n' }));
	assert.equal(await poll(), 1);
	const list = await api(admin, 'GET', '/api/mail/messages?limit=10');
	const m = list.json.items.find((x) => x.message_id === id);
	assert.ok(m, 'stored');
	assert.equal(m.subject, '空调不制冷');
	assert.equal(m.from, 'customer@example.cn');
	assert.equal(m.from_name, '张三');
	assert.match(m.text, /家里的空调不制冷/);
	assert.ok(m.case_id, 'on a case');
	const c = assertStatus(await api(admin, 'GET', `/api/cases/${m.case_id}`), 200);
	assert.equal(c.subject, '空调不制冷');
	assert.equal(c.channel, 'email');
	assert.match(c.description, /家里的空调不制冷/);
	assert.equal(c.customer.name, '张三');
	first = { mailId: m.id, caseId: m.case_id, number: c.number };
	// Polling again fetches nothing: the message is \Seen, and its id is known.
	assert.equal(await poll(), 0);
});

test("the agent's reply reaches the customer's mailbox, threaded", async () => {
	const r = await api(agent, 'POST', `/api/mail/messages/${first.mailId}/reply`, { text: '张先生您好：\n我们已安排师傅明天上午上门维修，给您带来不便深表歉意。' });
	assertStatus(r, 202, 'reply');
	assert.equal(r.json.status, 'pending');
	assert.match(r.json.in_reply_to, /^gbk-/);
	// The worker sends it; the sink delivers it into the customer's INBOX.
	const inbox = await until(async () => {
		const box = await mail.mailbox('customer');
		return box.length ? box : null;
	}, 'the reply in the customer mailbox');
	const raw = inbox[inbox.length - 1];
	const orig = (await api(admin, 'GET', `/api/mail/messages/${first.mailId}`)).json.message_id;
	assert.equal(header(raw, 'In-Reply-To'), `<${orig}>`);
	assert.match(header(raw, 'References'), new RegExp(`<${orig.replace(/[.]/g, '\\.')}>`));
	assert.match(header(raw, 'Message-ID'), /^<kefu\.[0-9a-f]+@kefu\.test>$/);
	assert.match(header(raw, 'Subject'), /=\?utf-8\?b\?/i, 'the subject is an encoded word');
	assert.equal(decodeWords(header(raw, 'Subject')), `Re: 空调不制冷 [${first.number}]`);
	assert.match(header(raw, 'Content-Type'), /text\/plain; charset=utf-8/i);
	assert.match(decodeWords(header(raw, 'From')), /客服中心 <service@kefu\.test>/);
	const body = Buffer.from(raw.split(/\r?\n\r?\n/).slice(1).join('\n').replace(/\s+/g, ''), 'base64').toString('utf8');
	assert.match(body, /已安排师傅明天上午上门维修/);
	const sent = (await api(admin, 'GET', `/api/mail/messages?case_id=${first.caseId}`)).json.items;
	assert.deepEqual(sent.map((x) => [x.direction, x.status]), [['in', 'received'], ['out', 'sent']]);
	const events = (await api(admin, 'GET', `/api/cases/${first.caseId}/events`)).json;
	const items = events.items || events;
	assert.ok(items.some((e) => e.kind === 'reply' && /上门维修/.test(e.body)), 'the reply is on the case');
});

test("the customer's answer (In-Reply-To, or only the case number) comes back to the same case", async () => {
	const out = (await api(admin, 'GET', `/api/mail/messages?case_id=${first.caseId}`)).json.items.find((x) => x.direction === 'out');
	mail.deliver('service', gbkMessage({
		id: `ans-${rand(4)}@example.cn`, subject: `=?GB2312?B?${gbk('回复：空调不制冷').toString('base64')}?=`,
		body: '好的，明天上午在家。\r\n\r\n在 2024年3月5日 客服中心 写道：\r\n> 我们已安排师傅\r\n',
		extra: [`In-Reply-To: <${out.message_id}>`, `References: <${out.in_reply_to}> <${out.message_id}>`],
	}));
	mail.deliver('service', gbkMessage({
		id: `num-${rand(4)}@example.cn`, subject: `=?UTF-8?Q?=E8=A1=A5=E5=85=85_${first.number}?=`,
		body: '补充：室外机有异响。',
	}));
	await until(async () => (await api(admin, 'POST', '/api/mail/poll')).json.fetched >= 0 &&
		(await api(admin, 'GET', `/api/mail/messages?case_id=${first.caseId}`)).json.items.length === 4, 'both answers on the case');
	const msgs = (await api(admin, 'GET', `/api/mail/messages?case_id=${first.caseId}`)).json.items;
	assert.equal(msgs[2].subject, '回复：空调不制冷');
	assert.equal(msgs[3].subject, `补充 ${first.number}`);
	assert.equal(new Set(msgs.map((x) => x.thread_id)).size <= 2, true);
	const events = (await api(admin, 'GET', `/api/cases/${first.caseId}/events`)).json;
	const bodies = (events.items || events).filter((e) => e.kind === 'customer').map((e) => e.body);
	assert.ok(bodies.includes('好的，明天上午在家。'), `quoted history stripped: ${JSON.stringify(bodies)}`);
	assert.ok(bodies.includes('补充：室外机有异响。'));
});

test('a notification about a case reaches its customer, threaded onto the conversation', async () => {
	const before = (await mail.mailbox('customer')).length;
	const n = await api(agent, 'POST', `/api/cases/${first.caseId}/mail`, { text: '您的空调已修好，欢迎回访评价。' });
	assertStatus(n, 202, 'notify');
	assert.equal(n.json.to, 'customer@example.cn');
	const box = await until(async () => {
		const b = await mail.mailbox('customer');
		return b.length > before ? b : null;
	}, 'the notification');
	const raw = box[box.length - 1];
	assert.equal(decodeWords(header(raw, 'Subject')), `[${first.number}] 空调不制冷`);
	const last = (await api(admin, 'GET', `/api/mail/messages?case_id=${first.caseId}`)).json.items.filter((x) => x.id !== n.json.id).pop();
	assert.equal(header(raw, 'In-Reply-To'), `<${last.message_id}>`);
	// A case without e-mail so far goes to the customer's address, unthreaded.
	const cust = assertStatus(await api(admin, 'POST', '/api/customers', { name: '电话客户', email: 'customer@example.cn' }), 201);
	const c = assertStatus(await api(admin, 'POST', '/api/cases', { type: 'inquiry', channel: 'phone', subject: '电话咨询', customer_id: cust.id }), 201);
	const n2 = await api(admin, 'POST', `/api/cases/${c.id}/mail`, { subject: '咨询结果', text: '已为您查询。' });
	assertStatus(n2, 202);
	assert.equal(n2.json.subject, `咨询结果 [${c.number}]`);
	assert.equal(n2.json.in_reply_to, '');
	const nomail = assertStatus(await api(admin, 'POST', '/api/customers', { name: '无邮箱客户' }), 201);
	const c2 = assertStatus(await api(admin, 'POST', '/api/cases', { type: 'inquiry', channel: 'phone', subject: '无邮箱', customer_id: nomail.id }), 201);
	assertProblem(await api(admin, 'POST', `/api/cases/${c2.id}/mail`, { text: 'x' }), 422, 'invalid', 'to');
	assertProblem(await api(admin, 'POST', `/api/cases/${c2.id}/mail`, { text: 'x', to: 'not-an-address' }), 422, 'invalid', 'to');
});

test('multipart mail: text, HTML and an attachment with a Chinese file name', async () => {
	const pdf = Buffer.from('%PDF-1.4 发票 invoice');
	const raw = crlf([
		'From: Li Si <lisi@example.cn>', 'To: service@kefu.test',
		'Subject: =?UTF-8?B?' + Buffer.from('发票问题').toString('base64') + '?=',
		`Message-ID: <mp-${rand(4)}@example.cn>`, 'MIME-Version: 1.0',
		'Content-Type: multipart/mixed; boundary="b1"', '',
		'--b1', 'Content-Type: multipart/alternative; boundary="b2"', '',
		'--b2', 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64', '',
		Buffer.from('发票抬头开错了，请重开。').toString('base64'),
		'--b2', 'Content-Type: text/html; charset=UTF-8', '', '<p>发票抬头开错了，请重开。</p>',
		'--b2--',
		'--b1', 'Content-Type: application/pdf',
		"Content-Disposition: attachment; filename*=UTF-8''%E5%8F%91%E7%A5%A8.pdf",
		'Content-Transfer-Encoding: base64', '', pdf.toString('base64'),
		'--b1--', '',
	]);
	const r = await api(admin, 'POST', '/api/mail/inbound', Buffer.from(raw), { headers: { 'Content-Type': 'message/rfc822' } });
	assertStatus(r, 201, 'inbound');
	assert.ok(r.json.case_id);
	const m = (await api(admin, 'GET', `/api/mail/messages/${r.json.mail_id}`)).json;
	assert.equal(m.subject, '发票问题');
	assert.equal(m.text, '发票抬头开错了，请重开。');
	assert.match(m.html, /<p>发票抬头开错了/);
	assert.equal(m.attachments.length, 1);
	assert.equal(m.attachments[0].filename, '发票.pdf');
	assert.equal(m.attachments[0].content_type, 'application/pdf');
	assert.equal(m.attachments[0].size, pdf.length);
	const res = await fetch(`${srv.url}/api/mail/attachments/${m.attachments[0].id}`, { headers: { Cookie: admin.cookie } });
	assert.equal(res.status, 200);
	assert.match(res.headers.get('content-disposition'), /filename\*=UTF-8''%E5%8F%91%E7%A5%A8\.pdf/);
	assert.deepEqual(Buffer.from(await res.arrayBuffer()), pdf);
	// The same message again is a duplicate, not a second case.
	const again = await api(admin, 'POST', '/api/mail/inbound', Buffer.from(raw), { headers: { 'Content-Type': 'message/rfc822' } });
	assertStatus(again, 200);
	assert.equal(again.json.duplicate, true);
	assert.equal(again.json.mail_id, r.json.mail_id);
});

test('kefu mail-in: the pipe an MTA delivers to', async () => {
	const raw = gbkMessage({ id: `pipe-${rand(4)}@example.cn`, subject: '=?GB2312?B?' + gbk('管道投递').toString('base64') + '?=', body: '通过管道投递的邮件', from: 'wangwu@example.cn' });
	const out = await new Promise((resolve) => {
		const p = execFile(BIN, ['mail-in', '--db', srv.dbUrl], (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
		p.stdin.end(raw);
	});
	assert.equal(out.code, 0, out.stderr);
	assert.match(out.stdout, /^mail \d+ case C\d{6}-\d{4,}\n$/);
	const bad = await new Promise((resolve) => {
		const p = execFile(BIN, ['mail-in', '--db', srv.dbUrl], (err) => resolve(err ? err.code : 0));
		p.stdin.end('this is not a message without a sender');
	});
	assert.equal(bad, 65, 'EX_DATAERR: the MTA bounces it');
});

test('settings hide passwords; errors name the field; agents see only their cases\' mail', async () => {
	const s = (await api(admin, 'GET', '/api/mail/settings')).json;
	assert.equal(s.has_imap_password, true);
	assert.equal(s.imap_password, undefined);
	assert.equal(s.from_address, 'service@kefu.test');
	assertProblem(await api(admin, 'PUT', '/api/mail/settings', { imap_url: 'http://x' }), 422, 'invalid', 'imap_url');
	assertProblem(await api(admin, 'PUT', '/api/mail/settings', { poll_seconds: '0' }), 422, 'invalid', 'poll_seconds');
	assertProblem(await api(admin, 'PUT', '/api/mail/settings', { bogus: 'x' }), 422, 'invalid', 'bogus');
	const plain = await userSession(srv, admin, { role: 'agent' });
	assertProblem(await api(plain, 'GET', '/api/mail/settings'), 403, 'forbidden');
	assertProblem(await api(plain, 'GET', `/api/mail/messages/${first.mailId}`), 404, 'not_found');
	assertProblem(await api(plain, 'POST', `/api/mail/messages/${first.mailId}/reply`, { text: 'x' }), 404, 'not_found');
	assertProblem(await api(admin, 'POST', `/api/mail/messages/${first.mailId}/reply`, {}), 422, 'invalid', 'text');
	assertProblem(await api(admin, 'POST', '/api/mail/inbound', Buffer.from('no headers at all'), { headers: { 'Content-Type': 'message/rfc822' } }), 422, 'invalid');
});
