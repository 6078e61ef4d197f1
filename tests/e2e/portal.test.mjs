// The customer portal (issue 6): no login, no staff session read; an inquiry or complaint
// becomes a case (customer found or created by phone), limited per address and per phone,
// a honeypot drops bots silently; tracking by number + phone shows only public moments;
// opinion cards by slug; the service page is the admins' settings.  A distinctive internal
// note and the agent's full name must never appear in any portal answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, anon, adminSession, userSession, createCustomer, assertProblem, assertStatus,
	newPhone, rand,
} from './lib.mjs';

const SECRET_NOTE = `内部备注-客户难缠-勿外传-${rand(4)}`;
const AGENT_NAME = `欧阳娜娜${rand(2)}`;
let srv, admin, sup, agent, pub;
const portalTexts = []; // every portal answer's text, checked at the end

before(async () => {
	srv = await startServer('portal');
	admin = await adminSession(srv);
	sup = await userSession(srv, admin, { role: 'supervisor' });
	agent = await userSession(srv, admin, { role: 'agent', display_name: AGENT_NAME });
	pub = anon(srv.url);
});

after(async () => {
	await srv?.stop();
});

/** A portal call from a given client address (the server trusts X-Forwarded-For from the
 * loopback, as behind the packaged nginx); every answer is kept for the leak check. */
async function portal(method, path, body, ip = '198.51.100.7', headers = {}) {
	const r = await api(pub, method, path, body, { headers: { 'X-Forwarded-For': ip, ...headers } });
	portalTexts.push(`${method} ${path}: ${r.text}`);
	return r;
}

test('the service page is what admins wrote', async () => {
	const empty = assertStatus(await portal('GET', '/api/portal/service'), 200);
	assert.equal(empty.hotline, '');
	assertProblem(await api(sup, 'PUT', '/api/portal-settings', { hotline: '400' }), 403);
	assertProblem(await api(admin, 'PUT', '/api/portal-settings', { complaint_email: 'nope' }), 422, 'invalid', 'complaint_email');
	assertProblem(await api(admin, 'PUT', '/api/portal-settings', { contacts: [{ role: '经理' }] }), 422, 'invalid', 'contacts[0].name');
	assertProblem(await api(admin, 'PUT', '/api/portal-settings', { actor: 'nobody_here' }), 422, 'invalid', 'actor');
	const s = assertStatus(await api(admin, 'PUT', '/api/portal-settings', {
		company_name: '示例电器', hotline: '400-800-1234', complaint_email: 'tousu@example.com',
		contacts: [{ name: '投诉主管 刘', role: '投诉处理', phone: '010-88886666' }],
		pledge: '我们承诺：问题公开、公平地解决，百分之百满意。', limit_per_phone: 3,
	}), 200);
	assert.equal(s.limit_per_phone, 3);
	assert.equal(s.show_agent_names, false);
	const page = assertStatus(await portal('GET', '/api/portal/service'), 200);
	assert.equal(page.hotline, '400-800-1234');
	assert.equal(page.complaint_email, 'tousu@example.com');
	assert.equal(page.contacts[0].phone, '010-88886666');
	assert.match(page.pledge, /百分之百/);
	assert.equal(page.actor, undefined, 'internal settings stay internal');
	assert.equal(page.limit_per_ip, undefined);
});

test('a complaint from the portal becomes a case; tracking shows only public moments', async () => {
	const ph = newPhone();
	assertProblem(await portal('POST', '/api/portal/inquiries', { type: 'complaint', subject: '漏水' }), 422, 'invalid', 'phone');
	assertProblem(await portal('POST', '/api/portal/inquiries', { type: 'refund', phone: ph.local, subject: 'x' }), 422, 'invalid', 'type');
	assertProblem(await portal('POST', '/api/portal/inquiries', { type: 'complaint', phone: '12', subject: 'x' }), 422, 'invalid', 'phone');
	assertProblem(await portal('POST', '/api/portal/inquiries', { type: 'complaint', phone: ph.local, subject: 'x', customer_id: 1 }), 422, 'invalid', 'customer_id');
	const sub = assertStatus(await portal('POST', '/api/portal/inquiries', {
		type: 'complaint', name: '林顾客', phone: ph.local, subject: '洗衣机漏水', description: '新买三天就漏水', website: '',
	}), 201, 'inquiry');
	assert.equal(sub.received, true);
	assert.match(sub.number, /^C\d{6}-\d{4}$/);
	// staff see a web complaint of a customer created by phone
	const who = assertStatus(await api(sup, 'GET', `/api/customers?q=${ph.digits}`), 200).items;
	assert.equal(who.length, 1, 'one customer, created by phone');
	const theirs = assertStatus(await api(sup, 'GET', `/api/cases?view=customer&customer_id=${who[0].id}`), 200).items;
	const c = theirs.find((x) => x.number === sub.number);
	assert.ok(c, `the case exists: ${JSON.stringify(theirs).slice(0, 300)}`);
	const full = assertStatus(await api(sup, 'GET', `/api/cases/${c.id}`), 200);
	assert.equal(full.type, 'complaint');
	assert.equal(full.channel, 'web');
	const cust = assertStatus(await api(sup, 'GET', `/api/customers/${who[0].id}`), 200);
	assert.equal(cust.name, '林顾客');
	assert.equal(cust.phone, ph.e164);
	// the same phone again: the same customer
	const sub2 = assertStatus(await portal('POST', '/api/portal/inquiries',
		{ type: 'inquiry', phone: ph.e164, subject: '保修期多久' }), 201);
	const c2 = assertStatus(await api(sup, 'GET', `/api/customers/${who[0].id}`), 200);
	assert.equal(assertStatus(await api(sup, 'GET', `/api/customers?q=${ph.digits}`), 200).items.length, 1);
	assert.notEqual(sub2.number, sub.number);

	// staff work on it: an internal note, a reply, an assignment to the agent
	assertStatus(await api(sup, 'PATCH', `/api/cases/${c.id}`, { assignee_id: agent.user.id, version: full.version }), 200);
	assertStatus(await api(agent, 'POST', `/api/cases/${c.id}/events`, { kind: 'note', body: SECRET_NOTE }), 201, 'note');
	assertStatus(await api(agent, 'POST', `/api/cases/${c.id}/events`,
		{ kind: 'reply', body: '您好，我们已安排师傅明天上门检查。' }), 201, 'reply');

	assertProblem(await portal('GET', `/api/portal/track?number=${sub.number}`), 422, 'invalid', 'phone');
	const wrong = assertProblem(await portal('GET', `/api/portal/track?number=${sub.number}&phone=${newPhone().digits}`), 404, 'not_found');
	const none = assertProblem(await portal('GET', `/api/portal/track?number=C000000-0000&phone=${ph.digits}`), 404, 'not_found');
	assert.equal(wrong.detail, none.detail, 'another phone and no case look the same');
	const t = assertStatus(await portal('GET', `/api/portal/track?number=${sub.number}&phone=${ph.digits}`), 200, 'track');
	assert.equal(t.number, sub.number);
	assert.equal(t.type, 'complaint');
	assert.equal(t.subject, '洗衣机漏水');
	assert.equal(t.open, true);
	const kinds = t.timeline.map((e) => e.kind);
	assert.ok(kinds.includes('created'));
	assert.ok(kinds.includes('reply'));
	assert.ok(!kinds.includes('note') && !kinds.includes('assignment'), kinds.join());
	const reply = t.timeline.find((e) => e.kind === 'reply');
	assert.match(reply.text, /明天上门/);
	assert.equal(reply.by, `客服 ${String(agent.user.id).padStart(3, '0')}`);
	const en = assertStatus(await portal('GET', `/api/portal/track?number=${sub.number}&phone=${ph.digits}`, undefined,
		'198.51.100.7', { 'Accept-Language': 'en' }), 200);
	assert.equal(en.timeline.find((e) => e.kind === 'reply').by, `Agent ${String(agent.user.id).padStart(3, '0')}`);
	// a case staff opened (not from the portal) keeps its subject to itself
	const own = await createCustomer(agent, { name: '内部建单', phone: newPhone().local });
	const staffCase = assertStatus(await api(agent, 'POST', '/api/cases',
		{ type: 'inquiry', channel: 'phone', subject: `难缠客户-${SECRET_NOTE}`, customer_id: own.id }), 201);
	const ownPhone = assertStatus(await api(agent, 'GET', `/api/customers/${own.id}`), 200).phone;
	const t2 = assertStatus(await portal('GET',
		`/api/portal/track?number=${staffCase.number}&phone=${encodeURIComponent(ownPhone)}`), 200);
	assert.equal(t2.subject, '');

	// configured: full names may show
	assertStatus(await api(admin, 'PUT', '/api/portal-settings', { show_agent_names: true }), 200);
	const t3 = assertStatus(await api(pub, 'GET', `/api/portal/track?number=${sub.number}&phone=${ph.digits}`), 200);
	assert.equal(t3.timeline.find((e) => e.kind === 'reply').by, AGENT_NAME);
	assertStatus(await api(admin, 'PUT', '/api/portal-settings', { show_agent_names: false }), 200);
});

test('the portal ignores a staff session and needs no CSRF token', async () => {
	// a signed-in browser (cookie, no CSRF header) may still use the portal, as a customer
	const r = await api(agent, 'POST', '/api/portal/inquiries',
		{ type: 'inquiry', phone: newPhone().local, subject: '营业时间' }, { csrf: false, headers: { 'X-Forwarded-For': '198.51.100.99' } });
	assertStatus(r, 201, 'portal with a cookie');
	// and the staff API still wants one
	assertProblem(await api(agent, 'POST', '/api/commitments', {}, { csrf: false }), 403, 'csrf');
});

test('rate limits per address and per phone; the honeypot drops bots silently', async () => {
	const ph = newPhone();
	// per phone: 3 (set above), from different addresses
	for (let i = 0; i < 3; i++)
		assertStatus(await portal('POST', '/api/portal/inquiries',
			{ type: 'inquiry', phone: ph.local, subject: `问题${i}` }, `203.0.113.${10 + i}`), 201);
	const lim = assertProblem(await portal('POST', '/api/portal/inquiries',
		{ type: 'inquiry', phone: ph.local, subject: '再问' }, '203.0.113.50'), 429, 'too_many_attempts');
	assert.match(lim.detail, /频繁/);
	// per address: 10 by default, with different phones
	const ip = '192.0.2.77';
	for (let i = 0; i < 10; i++)
		assertStatus(await portal('POST', '/api/portal/inquiries',
			{ type: 'inquiry', phone: newPhone().local, subject: `地址${i}` }, ip), 201);
	assertProblem(await portal('POST', '/api/portal/inquiries',
		{ type: 'inquiry', phone: newPhone().local, subject: '第十一次' }, ip), 429);
	// a bot: accepted in appearance, nothing stored
	const botPhone = newPhone();
	const bot = assertStatus(await portal('POST', '/api/portal/inquiries',
		{ type: 'complaint', phone: botPhone.local, subject: '广告', website: 'http://spam.example' }, '192.0.2.200'), 201);
	assert.equal(bot.received, true);
	assert.equal(bot.number, null);
	const custs = assertStatus(await api(sup, 'GET', `/api/customers?q=${botPhone.digits}`), 200).items;
	assert.equal(custs.length, 0, 'no customer for the bot');
});

test('opinion cards by slug, linked to a customer by phone; a low score opens a follow-up', async () => {
	const tpl = assertStatus(await api(sup, 'POST', '/api/survey-templates', {
		name: '门店意见卡', questions: [
			{ key: 'csat', kind: 'csat', text_zh: '您对本店服务满意吗？', required: true },
			{ key: 'note', kind: 'text', text_zh: '意见或建议' },
		],
	}), 201).id;
	assertProblem(await api(sup, 'POST', '/api/opinion-sources', { slug: 'Bad Slug', name: 'x', template_id: tpl }), 422, 'invalid', 'slug');
	const slug = `store-${rand(2)}`;
	const src = assertStatus(await api(sup, 'POST', '/api/opinion-sources', { slug, name: '朝阳门店', template_id: tpl }), 201);
	assert.equal(src.url, `/portal/card/${slug}`);
	assertProblem(await api(sup, 'POST', '/api/opinion-sources', { slug, name: '重复', template_id: tpl }), 409, 'conflict', 'slug');
	const card = assertStatus(await portal('GET', `/api/portal/cards/${slug}`), 200);
	assert.equal(card.title, '朝阳门店');
	assert.equal(card.questions.length, 2);
	assertProblem(await portal('GET', '/api/portal/cards/no-such-store'), 404, 'not_found', 'slug');
	assertProblem(await portal('POST', `/api/portal/cards/${slug}`, { answers: { note: 'x' } }), 422, 'invalid', 'answers.csat');
	// a text answer is at most 2000 characters, counted as characters (not bytes)
	assertProblem(await portal('POST', `/api/portal/cards/${slug}`, { answers: { csat: 4, note: 'a'.repeat(2001) } }), 422, 'invalid', 'answers.note');
	assertStatus(await portal('POST', `/api/portal/cards/${slug}`, { answers: { csat: 4, note: '长'.repeat(2000) } }), 201);
	// anonymous
	assertStatus(await portal('POST', `/api/portal/cards/${slug}`, { answers: { csat: 5, note: '很好' } }), 201);
	// an unknown phone is kept on the response for a call back
	const stranger = newPhone();
	assertStatus(await portal('POST', `/api/portal/cards/${slug}`, { answers: { csat: 3 }, phone: stranger.local }), 201);
	const recent = assertStatus(await api(agent, 'GET', '/api/survey-responses?limit=20'), 200).items;
	const kept = recent.find((x) => x.kind === 'card' && x.contact_phone === stranger.e164);
	assert.ok(kept, 'the phone is kept');
	assert.equal(kept.customer_id, null);
	// with a known customer's phone: linked, and the low score opens a visit
	const ph = newPhone();
	const cust = await createCustomer(agent, { name: '门店老客', phone: ph.local });
	assertStatus(await portal('POST', `/api/portal/cards/${slug}`, { answers: { csat: 1, note: '排队太久' }, phone: ph.local }), 201);
	const rs = assertStatus(await api(agent, 'GET', `/api/survey-responses?customer_id=${cust.id}`), 200).items;
	assert.equal(rs.length, 1);
	assert.equal(rs[0].kind, 'card');
	assert.equal(rs[0].source_id, src.id);
	assert.ok(rs[0].followup_id);
	const fu = assertStatus(await api(agent, 'GET', `/api/followups/${rs[0].followup_id}`), 200);
	assert.equal(fu.kind, 'low_score');
	const srcs = assertStatus(await api(agent, 'GET', '/api/opinion-sources'), 200).items;
	assert.equal(srcs.find((x) => x.id === src.id).responses, 4);
	// switched off: gone from the portal
	assertStatus(await api(sup, 'PATCH', `/api/opinion-sources/${src.id}`, { active: false }), 200);
	assertProblem(await portal('GET', `/api/portal/cards/${slug}`), 404);
	assertProblem(await api(sup, 'PATCH', `/api/opinion-sources/${src.id}`, { slug: 'other' }), 422, 'invalid', 'slug');
});

test('surveys through the portal never show staff data', async () => {
	const ph = newPhone();
	const cust = await createCustomer(agent, { name: '钱问卷', phone: ph.local });
	const c = assertStatus(await api(agent, 'POST', '/api/cases',
		{ type: 'inquiry', channel: 'phone', subject: '咨询', customer_id: cust.id }), 201);
	assertStatus(await api(agent, 'POST', `/api/cases/${c.id}/events`, { kind: 'note', body: SECRET_NOTE }), 201);
	const inv = assertStatus(await api(agent, 'POST', '/api/survey-invitations', { customer_id: cust.id, case_id: c.id }), 201);
	const token = inv.url.slice('/portal/s/'.length);
	const form = assertStatus(await portal('GET', `/api/portal/surveys/${token}`), 200);
	assert.equal(form.case_number, c.number);
	assertStatus(await portal('POST', `/api/portal/surveys/${token}`, { answers: { csat: 4 } }), 201);
	assertProblem(await portal('POST', `/api/portal/surveys/${token}`, { answers: { csat: 4 } }), 410);
	assertProblem(await portal('GET', `/api/portal/surveys/${token}x`), 404);
});

test('no portal answer ever contained an internal note or an agent\'s full name', async () => {
	assert.ok(portalTexts.length > 25, `portal answers checked: ${portalTexts.length}`);
	const kinds = new Set(portalTexts.map((t) => t.split(':')[0].replace(/\?.*/, '').replace(/\/[^/]*\d[^/]*$/, '/…')));
	for (const must of ['GET /api/portal/service', 'POST /api/portal/inquiries', 'GET /api/portal/track'])
		assert.ok([...kinds].some((k) => k.startsWith(must)), `${must} was called`);
	for (const t of portalTexts) {
		assert.ok(!t.includes(SECRET_NOTE), `internal note leaked: ${t.slice(0, 300)}`);
		assert.ok(!t.includes('内部备注'), `internal note leaked: ${t.slice(0, 300)}`);
		assert.ok(!t.includes(AGENT_NAME), `agent's name leaked: ${t.slice(0, 300)}`);
	}
});
