// Chinese search (issue 8): kefu's own tokens on both backends.  Every run creates the same
// records in the same order, so the ids asserted here are the ids on SQLite and on PostgreSQL:
// a query finds the same records on either.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, adminSession, userSession, assertProblem, assertStatus, IS_PG,
} from './lib.mjs';
import { createCase, department, phone } from './cases_fixtures.mjs';

let srv, admin, sup, agentA, agentB;
const cust = {};
const kase = {};

async function search(session, query, type, extra = '') {
	const t = type ? `&type=${type}` : '';
	const r = await api(session, 'GET', `/api/search?q=${encodeURIComponent(query)}${t}${extra}`);
	return assertStatus(r, 200, `search ${query} ${type || ''}`);
}

const ids = (items) => items.map((x) => x.id);
const sorted = (a) => [...a].sort((x, y) => x - y);

async function customer(session, body) {
	const r = await api(session, 'POST', '/api/customers', body);
	return assertStatus(r, 201, `customer ${body.name}`);
}

before(async () => {
	srv = await startServer('search');
	admin = await adminSession(srv);
	const deptA = await department(admin, '客服一部');
	const deptB = await department(admin, '客服二部');
	sup = await userSession(srv, admin, { role: 'supervisor' });
	agentA = await userSession(srv, admin, { role: 'agent', department_id: deptA });
	agentB = await userSession(srv, admin, { role: 'agent', department_id: deptB });

	cust.wang = await customer(agentA, { name: '王小明', company: '华东精密仪器厂', notes: '老客户，去年投诉过一次物流。' });
	cust.li = await customer(agentA, { name: '李晓雯', notes: '我的手机这两天一接电话就断线' });
	cust.zhang = await customer(agentA, { name: '張偉', company: '深圳蓝牙科技', notes: '喜欢 iPhone 15 Pro' });
	cust.html = await customer(agentA, { name: '赵六', notes: '<i>急</i>请回电' });

	const c = (body) => createCase(agentA, { channel: 'phone', customer_id: cust.wang.id, ...body });
	kase.signal = await c({ type: 'complaint', subject: '手机信号问题', description: '我的手机这两天一接电话就断线，已经影响工作了。' });
	kase.complaintTitle = await c({ type: 'complaint', subject: '投诉：客服态度差，投诉处理太慢', description: '第三次投诉了，希望尽快给我一个投诉处理结果。' });
	kase.complaintBody = await c({ type: 'complaint', subject: '物流太慢', description: '包裹十天没到，我要投诉。' });
	kase.inquiry = await c({ type: 'inquiry', subject: '发票怎么开', description: '请问电子发票在哪里下载？' });
	kase.replied = await c({ type: 'after_sales', subtype: 'repair', subject: '洗衣机漏水', description: '洗衣机底部漏水。' });
	// Words in a reply count: the reply is part of the case's text.
	assertStatus(await api(agentA, 'POST', `/api/cases/${kase.replied.id}/events`,
		{ kind: 'customer', body: '修了还是漏，我要投诉到消协！' }), 201, 'customer message');
	kase.traditional = await c({ type: 'complaint', subject: '寬頻斷線', description: '家裡的寬頻每天晚上都會斷線。' });
	kase.otherDept = await createCase(agentB, { type: 'complaint', channel: 'web', subject: '二部的投诉', description: '投诉内容', customer: { phone: phone() } });
});

after(async () => {
	await srv?.stop();
});

test('a two-character query 投诉 finds every case containing 投诉, and only those', async () => {
	const r = await search(sup, '投诉', 'case');
	const want = [kase.complaintTitle.id, kase.complaintBody.id, kase.replied.id, kase.otherDept.id];
	assert.deepEqual(sorted(ids(r.items)), sorted(want), JSON.stringify(r.items.map((x) => x.subject)));
	assert.equal(r.total, want.length);
	assert.equal(r.total_capped, false);
	assert.equal(r.next_cursor, null);
	// The same records whatever the backend: the ids are fixed by the order of creation.
	assert.deepEqual(sorted(ids(r.items)), [2, 3, 5, 7], `${IS_PG ? 'PostgreSQL' : 'SQLite'} ids`);
});

test('断线 finds "我的手机这两天一接电话就断线" (ICU alone splits 断|线)', async () => {
	const r = await search(sup, '断线', 'case');
	assert.ok(ids(r.items).includes(kase.signal.id), JSON.stringify(r.items));
	const hit = r.items.find((x) => x.id === kase.signal.id);
	assert.match(hit.snippet_html, /一接电话就<mark>断线<\/mark>/);
	assert.equal(hit.number, kase.signal.number);
	assert.equal(hit.customer.id, cust.wang.id);
	const cs = await search(sup, '断线', 'customer');
	assert.deepEqual(ids(cs.items), [cust.li.id]);
	assert.match(cs.items[0].snippet_html, /<mark>断线<\/mark>/);
});

test('traditional and simplified, full-width and half-width, upper and lower case meet', async () => {
	// The case was written in traditional characters; the query is simplified, and back.
	let r = await search(sup, '断线', 'case');
	assert.ok(ids(r.items).includes(kase.traditional.id));
	assert.match(r.items.find((x) => x.id === kase.traditional.id).snippet_html, /<mark>斷線<\/mark>/);
	r = await search(sup, '寬頻', 'case');
	assert.deepEqual(ids(r.items), [kase.traditional.id]);
	r = await search(sup, 'ＩＰＨＯＮＥ', 'customer');
	assert.deepEqual(ids(r.items), [cust.zhang.id]);
	r = await search(sup, '张伟', 'customer'); // 張偉 in the file
	assert.deepEqual(ids(r.items), [cust.zhang.id]);
	assert.match(r.items[0].title_html, /<mark>張偉<\/mark>/);
});

test('sub-word queries match across ICU word boundaries; a Chinese query is a substring', async () => {
	let r = await search(sup, '诉处', 'case'); // across 投诉|处理
	assert.deepEqual(ids(r.items), [kase.complaintTitle.id]);
	r = await search(sup, '投诉处理', 'case');
	assert.deepEqual(ids(r.items), [kase.complaintTitle.id]);
	r = await search(sup, '处理投诉', 'case'); // the same characters in another order: no match
	assert.deepEqual(ids(r.items), []);
	r = await search(sup, '投诉 物流', 'case'); // two words: both must be there
	assert.deepEqual(ids(r.items), [kase.complaintBody.id]);
});

test('results are ranked: a word in the subject weighs more than in the text', async () => {
	// Texts of the same length, so that only where the word is differs.
	const c = (subject, description) => createCase(agentA, { type: 'inquiry', channel: 'web', customer_id: cust.li.id, subject, description });
	const body = await c('冰箱问题', '买的冰箱保修卡找不到了');
	const title = await c('保修卡丢', '买的冰箱发票找不到了');
	const r = await search(sup, '保修卡', 'case');
	assert.deepEqual(ids(r.items), [title.id, body.id], JSON.stringify(r.items.map((x) => [x.id, x.score])));
	assert.ok(r.items[0].score > r.items[1].score);
	assert.match(r.items[0].title_html, /<mark>保修卡<\/mark>/);
	assert.match(r.items[1].snippet_html, /<mark>保修卡<\/mark>/);
	const all = await search(sup, '投诉', 'case');
	for (let i = 1; i < all.items.length; i++)
		assert.ok(all.items[i - 1].score >= all.items[i].score, 'scores descend');
});

test('snippets are HTML-escaped around the marks', async () => {
	const r = await search(sup, '回电', 'customer');
	assert.deepEqual(ids(r.items), [cust.html.id]);
	assert.equal(r.items[0].snippet_html, '&lt;i&gt;急&lt;/i&gt;请<mark>回电</mark>');
});

test('agents find only the cases they may see', async () => {
	const a = await search(agentA, '投诉', 'case');
	assert.ok(!ids(a.items).includes(kase.otherDept.id), 'another department\'s case is not found');
	assert.ok(ids(a.items).includes(kase.complaintBody.id));
	const b = await search(agentB, '投诉', 'case');
	assert.deepEqual(ids(b.items), [kase.otherDept.id]);
});

test('without type: the first results of each kind, for the global search box', async () => {
	const r = await search(sup, '断线');
	assert.deepEqual(r.groups.map((g) => g.type), ['customer', 'case', 'kb']);
	const g = Object.fromEntries(r.groups.map((x) => [x.type, x]));
	assert.deepEqual(ids(g.customer.items), [cust.li.id]);
	assert.ok(ids(g.case.items).includes(kase.signal.id));
	for (const x of g.case.items)
		assert.equal(x.type, 'case');
});

test('paging walks every match once, newest first among equals', async () => {
	const made = [];
	for (let i = 0; i < 23; i++)
		made.push((await customer(agentA, { name: `翻页客户${i}`, notes: '回访记录：满意' })).id);
	const seen = [];
	let cursor = null, pages = 0;
	do {
		const r = await search(sup, '回访记录', 'customer', `&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
		assert.equal(r.total, 23);
		seen.push(...ids(r.items));
		cursor = r.next_cursor;
		pages++;
	} while (cursor);
	assert.equal(pages, 3);
	assert.deepEqual(sorted(seen), sorted(made));
	assert.equal(new Set(seen).size, 23);
	// All tie: newest first.
	assert.deepEqual(seen, sorted(made).reverse());
});

test('the index follows changes: an edit, an archive', async () => {
	const c = await customer(agentA, { name: '钱七', notes: '想了解以旧换新' });
	assert.deepEqual(ids((await search(sup, '以旧换新', 'customer')).items), [c.id]);
	assertStatus(await api(agentA, 'PATCH', `/api/customers/${c.id}`, { notes: '想了解分期付款' }), 200);
	assert.deepEqual(ids((await search(sup, '以旧换新', 'customer')).items), []);
	assert.deepEqual(ids((await search(sup, '分期付款', 'customer')).items), [c.id]);
	const del = await api(agentA, 'DELETE', `/api/customers/${c.id}`);
	assert.equal(del.status, 204);
	assert.deepEqual(ids((await search(sup, '分期付款', 'customer')).items), [], 'archived customers are not found');
	// A reply added to a case is found.
	assertStatus(await api(agentA, 'POST', `/api/cases/${kase.inquiry.id}/events`,
		{ kind: 'reply', body: '您好，电子发票可在订单详情页下载，谢谢。' }), 201);
	assert.deepEqual(ids((await search(sup, '订单详情页', 'case')).items), [kase.inquiry.id]);
});

test('phone numbers are searchable in their usual forms, and stay masked', async () => {
	const c = await customer(sup, { name: '孙八', phone: '139 1234 5678', owner_id: sup.user.id });
	for (const q of ['13912345678', '139 1234 5678', '5678'])
		assert.ok(ids((await search(agentA, q, 'customer')).items).includes(c.id), q);
	const hit = (await search(agentA, '13912345678', 'customer')).items.find((x) => x.id === c.id);
	assert.equal(hit.phone_masked, true);
	assert.ok(!JSON.stringify(hit).includes('12345678'), 'the full number does not leak in a result');
});

test('bad queries are 422 naming the parameter', async () => {
	assertProblem(await api(sup, 'GET', '/api/search'), 422, 'invalid', 'q');
	assertProblem(await api(sup, 'GET', `/api/search?q=${'长'.repeat(101)}`), 422, 'invalid', 'q');
	assertProblem(await api(sup, 'GET', '/api/search?q=x&type=orders'), 422, 'invalid', 'type');
	assertProblem(await api(sup, 'GET', '/api/search?q=x&type=case&cursor=zz'), 422, 'invalid', 'cursor');
	assertProblem(await api(sup, 'GET', '/api/search?q=x&type=case&limit=500'), 422, 'invalid', 'limit');
	// Punctuation only: nothing to search for, an empty answer.
	const r = await search(sup, '，。！', 'case');
	assert.deepEqual(r.items, []);
	const anon = await api({ base: srv.url }, 'GET', '/api/search?q=x');
	assert.equal(anon.status, 401);
});

test('the search job of POST /api/jobs/run indexes what was written without indexing', async () => {
	// Cases are indexed by the catch-up, not in their own transaction: the job does it
	// in the background so the first search after a write (or a bulk load) need not.
	const c = await createCase(agentA, { type: 'inquiry', channel: 'phone', customer_id: cust.li.id,
		subject: '积分兑换', description: '会员积分能否兑换延保服务？' });
	const run = assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200, 'jobs/run');
	assert.equal(run.ok, true);
	assert.equal(run.jobs.search?.ran, true, JSON.stringify(run.jobs));
	const n = Number(/^indexed (\d+) records$/.exec(run.jobs.search.result)?.[1]);
	assert.ok(n >= 1, run.jobs.search.result);
	// Nothing left: a second run indexes nothing, and the case is found.
	const again = assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200, 'jobs/run again');
	assert.equal(again.jobs.search.result, 'indexed 0 records');
	assert.deepEqual(ids((await search(sup, '延保服务', 'case')).items), [c.id]);
});
