// Webhooks against a local HTTP receiver that records every request and fails the first
// attempts: HMAC-SHA256 signatures, retries with backoff until delivered, the WeCom and
// DingTalk robot formats (DingTalk signed in the URL), events from new cases, key-account
// complaints and e-mail, and the admin API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import {
	startServer, api, adminSession, userSession, createCustomer, assertProblem, assertStatus, rand,
} from './lib.mjs';

let srv, admin, agent, receiver;
const got = []; // {path, query, headers, body, status}
const failFirst = new Map(); // path -> remaining failures

before(async () => {
	receiver = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const u = new URL(req.url, 'http://x');
			const left = failFirst.get(u.pathname) || 0;
			const status = left > 0 ? 500 : 200;
			if (left > 0)
				failFirst.set(u.pathname, left - 1);
			got.push({ path: u.pathname, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
			res.writeHead(status, { 'Content-Type': 'application/json' });
			res.end(u.pathname.startsWith('/robot') ? '{"errcode":0,"errmsg":"ok"}' : '{}');
		});
	});
	await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
	process.env.KEFU_CHANNELS_TICK_MS = '50';
	process.env.KEFU_WEBHOOK_BACKOFF_MS = '120';
	srv = await startServer('webhooks');
	delete process.env.KEFU_CHANNELS_TICK_MS;
	delete process.env.KEFU_WEBHOOK_BACKOFF_MS;
	admin = await adminSession(srv);
	agent = await userSession(srv, admin, { role: 'agent' });
});

after(async () => {
	await srv?.stop();
	receiver?.close();
});

const base = () => `http://127.0.0.1:${receiver.address().port}`;

async function until(fn, what, ms = 20_000) {
	const deadline = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v)
			return v;
		assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

let hook; // the generic JSON webhook, with its secret

test('a generic JSON webhook: signed, retried with backoff until the receiver takes it', async () => {
	const r = await api(admin, 'POST', '/api/webhooks', { name: '工单系统', url: `${base()}/hook`, kind: 'json', events: ['ping', 'case.created', 'complaint.key_account', 'mail.received'] });
	assertStatus(r, 201, 'create');
	assert.match(r.json.secret, /^[0-9a-f]{64}$/, 'the generated secret is shown once');
	assert.equal(r.json.has_secret, true);
	hook = r.json;
	const listed = (await api(admin, 'GET', '/api/webhooks')).json.items.find((x) => x.id === hook.id);
	assert.equal(listed.secret, undefined, 'never listed');
	failFirst.set('/hook', 2);
	const t = await api(admin, 'POST', `/api/webhooks/${hook.id}/test`);
	assertStatus(t, 202);
	const ok = await until(() => got.find((g) => g.path === '/hook' && g.status === 200 && JSON.parse(g.body).event === 'ping'), 'the ping');
	const attempts = got.filter((g) => g.path === '/hook' && JSON.parse(g.body).event === 'ping');
	assert.deepEqual(attempts.map((a) => a.status), [500, 500, 200], 'two failures, then delivered');
	const body = JSON.parse(ok.body);
	assert.equal(body.id, t.json.delivery_id);
	assert.equal(ok.headers['x-kefu-event'], 'ping');
	assert.equal(ok.headers['x-kefu-delivery'], String(t.json.delivery_id));
	const ts = ok.headers['x-kefu-timestamp'];
	const expect = 'sha256=' + createHmac('sha256', hook.secret).update(`${ts}.${ok.body}`).digest('hex');
	assert.equal(ok.headers['x-kefu-signature'], expect, 'HMAC-SHA256 over timestamp.body');
	const dl = (await api(admin, 'GET', `/api/webhooks/${hook.id}/deliveries`)).json.items.find((x) => x.id === t.json.delivery_id);
	assert.equal(dl.status, 'done');
	assert.equal(dl.attempts, 3);
	assert.equal(dl.last_status, 200);
	// backoff: the gaps between attempts grow
	const times = attempts.map((a) => Number(a.headers['x-kefu-timestamp']));
	assert.ok(times[2] - times[1] > times[1] - times[0], `backoff grows: ${times}`);
});

test('WeCom and DingTalk robots: their message formats, DingTalk signed in the URL', async () => {
	const we = await api(admin, 'POST', '/api/webhooks', { name: '企业微信群', url: `${base()}/robot/wecom?key=abc`, kind: 'wecom', events: ['*'] });
	assertStatus(we, 201);
	assert.equal(we.json.secret, undefined);
	const secret = 'SEC' + rand(8);
	const dt = await api(admin, 'POST', '/api/webhooks', { name: '钉钉群', url: `${base()}/robot/ding?access_token=t1`, kind: 'dingtalk', secret, events: ['case.created', 'complaint.key_account'] });
	assertStatus(dt, 201);
	// A key account's complaint: case.created and complaint.key_account.
	const cust = await createCustomer(admin, { name: '重要客户王总', value_class: 'key' });
	const c = await api(admin, 'POST', '/api/cases', { type: 'complaint', channel: 'phone', subject: '设备故障导致停产', customer_id: cust.id, priority: 'urgent' });
	assertStatus(c, 201, 'case');
	const w = await until(() => got.find((g) => g.path === '/robot/wecom' && g.body.includes('关键客户投诉')), 'the WeCom message');
	const wb = JSON.parse(w.body);
	assert.equal(wb.msgtype, 'markdown');
	assert.match(wb.markdown.content, new RegExp(`\\*\\*关键客户投诉\\*\\* ${c.json.number}`));
	assert.match(wb.markdown.content, /客户：重要客户王总（关键客户）/);
	assert.equal(w.query.get('key'), 'abc');
	const d = await until(() => got.find((g) => g.path === '/robot/ding' && g.body.includes('新工单')), 'the DingTalk message');
	const db = JSON.parse(d.body);
	assert.equal(db.msgtype, 'markdown');
	assert.equal(db.markdown.title, '新工单');
	assert.match(db.markdown.text, new RegExp(`### 新工单 ${c.json.number}`));
	const ts = d.query.get('timestamp');
	assert.equal(d.query.get('access_token'), 't1');
	assert.equal(d.query.get('sign'), createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64'));
	// The generic hook got both events too, with the case in the payload.
	const kc = await until(() => got.find((g) => g.path === '/hook' && g.status === 200 && JSON.parse(g.body).event === 'complaint.key_account'), 'the JSON event');
	const data = JSON.parse(kc.body).data;
	assert.equal(data.case.number, c.json.number);
	assert.equal(data.case.key_account, true);
	assert.equal(data.case.customer.name, '重要客户王总');
});

test('an inactive webhook receives nothing; PATCH, DELETE; validation; admins only', async () => {
	const h = await api(admin, 'POST', '/api/webhooks', { name: '停用', url: `${base()}/off`, kind: 'json', secret: 'x', events: ['case.created'], active: false });
	assertStatus(h, 201);
	const cust = await createCustomer(admin, { name: '普通客户' });
	await api(admin, 'POST', '/api/cases', { type: 'inquiry', channel: 'phone', subject: '咨询', customer_id: cust.id });
	await until(() => got.find((g) => g.path === '/hook' && g.body.includes('"subject":"咨询"')), 'the active hook');
	assert.equal(got.filter((g) => g.path === '/off').length, 0);
	const p = await api(admin, 'PATCH', `/api/webhooks/${h.json.id}`, { active: true, name: '启用' });
	assertStatus(p, 200);
	assert.equal(p.json.active, true);
	assert.equal(p.json.name, '启用');
	assert.equal(p.json.url, `${base()}/off`);
	assertStatus(await api(admin, 'DELETE', `/api/webhooks/${h.json.id}`), 204);
	assertProblem(await api(admin, 'DELETE', `/api/webhooks/${h.json.id}`), 404, 'not_found');
	assertProblem(await api(admin, 'POST', '/api/webhooks', { name: 'x', url: 'ftp://x', kind: 'json', events: ['ping'] }), 422, 'invalid', 'url');
	assertProblem(await api(admin, 'POST', '/api/webhooks', { name: 'x', url: 'http://x', kind: 'slack', events: ['ping'] }), 422, 'invalid', 'kind');
	assertProblem(await api(admin, 'POST', '/api/webhooks', { name: 'x', url: 'http://x', kind: 'json', events: ['nope'] }), 422, 'invalid', 'events');
	assertProblem(await api(admin, 'POST', '/api/webhooks', { name: 'x', url: 'http://x', kind: 'json' }), 422, 'invalid', 'events');
	assertProblem(await api(agent, 'GET', '/api/webhooks'), 403, 'forbidden');
	const ev = (await api(admin, 'GET', '/api/webhooks/events')).json.items;
	assert.ok(ev.some((e) => e.name === 'case.overdue' && e.zh === '工单超时'));
});

test('case events come from the case itself: assigned, state changed, closed, overdue', async () => {
	const events = ['case.assigned', 'case.state_changed', 'case.closed', 'case.overdue'];
	const h = assertStatus(await api(admin, 'POST', '/api/webhooks', { name: '工单流转', url: `${base()}/flow`, kind: 'json', events }), 201);
	const names = (await api(admin, 'GET', '/api/webhooks/events')).json.items.map((e) => e.name);
	for (const e of events)
		assert.ok(names.includes(e), `${e} is declared`);
	const cust = await createCustomer(admin, { name: '流转客户' });
	const c = assertStatus(await api(admin, 'POST', '/api/cases', { type: 'inquiry', channel: 'phone', subject: '流转测试',
		customer_id: cust.id, assignee_id: agent.user.id }), 201, 'case');
	const deliveries = async () => (await api(admin, 'GET', `/api/webhooks/${h.id}/deliveries`)).json.items;
	// Queued in the transaction of the change: the rows are there when the answer comes.
	let rows = await deliveries();
	assert.deepEqual(rows.map((x) => x.event), ['case.assigned']);
	assertStatus(await api(agent, 'POST', `/api/cases/${c.id}/transitions`, { action: 'resolve', resolution: '已解答' }), 200);
	rows = await deliveries();
	assert.deepEqual(rows.map((x) => x.event).sort(), ['case.assigned', 'case.state_changed']);
	assertStatus(await api(agent, 'POST', `/api/cases/${c.id}/transitions`, { action: 'close' }), 200);
	rows = await deliveries();
	assert.deepEqual(rows.map((x) => x.event).sort(), ['case.assigned', 'case.closed', 'case.state_changed', 'case.state_changed']);
	const closed = await until(() => got.find((g) => g.path === '/flow' && g.status === 200 && JSON.parse(g.body).event === 'case.closed'), 'case.closed');
	const data = JSON.parse(closed.body).data;
	assert.equal(data.case.id, c.id);
	assert.equal(data.case.state, 'closed');
	assert.deepEqual(data.transition, { ...data.transition, action: 'close', from: 'resolved', to: 'closed', by: agent.user.id });
	const assigned = JSON.parse(got.find((g) => g.path === '/flow' && JSON.parse(g.body).event === 'case.assigned').body).data;
	assert.deepEqual(assigned.assignment, { from: null, to: agent.user.id, by: admin.user.id, auto: false });
	// A breach found by the SLA job: case.overdue, once.
	const late = assertStatus(await api(admin, 'POST', '/api/cases', { type: 'complaint', channel: 'phone', subject: '超时投诉',
		customer_id: cust.id, received_at: Date.now() - 30 * 86400000 }), 201, 'late case');
	assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200);
	const overdue = await until(async () => {
		const l = got.filter((g) => g.path === '/flow' && g.status === 200 && JSON.parse(g.body).event === 'case.overdue');
		return l.length ? l : null;
	}, 'case.overdue');
	const od = JSON.parse(overdue[0].body).data;
	assert.equal(od.case.id, late.id);
	assert.ok(['first_response', 'resolution'].includes(od.target));
	const targets = (await deliveries()).filter((x) => x.event === 'case.overdue');
	assert.ok(targets.length >= 1 && targets.length <= 2, 'one per target missed, never again');
});

test('a receiver that keeps failing: the delivery is given up after the last attempt', async () => {
	const h = await api(admin, 'POST', '/api/webhooks', { name: '坏的', url: `${base()}/broken`, kind: 'json', events: ['ping'] });
	failFirst.set('/broken', 1000);
	const t = await api(admin, 'POST', `/api/webhooks/${h.json.id}/test`);
	const dead = await until(async () => {
		const d = (await api(admin, 'GET', `/api/webhooks/${h.json.id}/deliveries`)).json.items.find((x) => x.id === t.json.delivery_id);
		return d.status === 'dead' ? d : null;
	}, 'the delivery to be given up', 60_000);
	assert.equal(dead.attempts, 8);
	assert.equal(dead.last_status, 500);
	assert.match(dead.last_error, /HTTP 500/);
});
