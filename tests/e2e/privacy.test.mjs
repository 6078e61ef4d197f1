// PIPL duties: everything held about one customer in one document (supervisors, audited);
// erasure on request (admins; refused while cases or commitments are open; afterwards no
// trace of the person in the file, the cases, the timeline, the search index or the audit
// log's old values, while the figures stay); revealing a masked phone (audited).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, adminSession, userSession, assertStatus, assertProblem, newPhone, rand } from './lib.mjs';

let srv, admin, sup, owner, other, cust, phone, caseId;
const SECRET = `机密备注${rand(6)}`;
const NAME = `隐私测试客户${rand(4)}`;

before(async () => {
	srv = await startServer('privacy');
	admin = await adminSession(srv);
	sup = await userSession(srv, admin, { role: 'supervisor' });
	owner = await userSession(srv, admin, { role: 'agent' });
	other = await userSession(srv, admin, { role: 'agent' });
	phone = newPhone();
	cust = assertStatus(
		await api(owner, 'POST', '/api/customers', {
			name: NAME,
			phone: phone.local,
			email: 'privacy@example.com',
			address: '上海市徐汇区某路 1 号',
			notes: '喜欢下午来电',
			owner_id: owner.user.id,
			contacts: [{ name: '家属王女士', phone: newPhone().local }],
		}),
		201,
	);
	assertStatus(await api(owner, 'POST', `/api/customers/${cust.id}/orders`, { order_no: `NO${rand(5)}`, amount_fen: 123400, ordered_at: Date.now() - 86400000, note: '送货到家' }), 201);
	const c = assertStatus(await api(owner, 'POST', '/api/cases', { type: 'inquiry', channel: 'phone', subject: `${NAME}询问保修`, customer_id: cust.id }), 201);
	caseId = c.id;
	assertStatus(await api(owner, 'POST', `/api/cases/${caseId}/events`, { kind: 'note', body: SECRET }), 201);
});

after(async () => {
	await srv?.stop();
});

test('a supervisor exports everything held about the customer, and the export is audited', async () => {
	assertProblem(await api(owner, 'GET', `/api/customers/${cust.id}/personal-data`), 403);
	const doc = assertStatus(await api(sup, 'GET', `/api/customers/${cust.id}/personal-data`), 200);
	assert.equal(doc.kind, 'kefu.personal-data');
	assert.equal(doc.customer.name, NAME);
	assert.equal(doc.customer.phone, phone.e164, 'unmasked in the export');
	assert.equal(doc.orders.length, 1);
	assert.equal(doc.orders[0].note, '送货到家');
	assert.equal(doc.cases.length, 1);
	assert.ok(doc.case_events.some((e) => e.body === SECRET), 'the timeline is in it');
	for (const k of ['case_plans', 'followups', 'commitments', 'calls', 'call_list_items', 'mail', 'survey_invitations', 'survey_responses', 'survey_answers', 'expectation_items', 'history']) assert.ok(Array.isArray(doc[k]), k);
	const audit = assertStatus(await api(sup, 'GET', `/api/customers/${cust.id}/audit`), 200).items;
	assert.equal(audit[0].action, 'personal_data_export');
	assertProblem(await api(sup, 'GET', '/api/customers/987654321/personal-data'), 404);
	// Before any erasure, search finds the customer and the case by the name (the erasure test
	// below checks that it no longer does).
	const found = assertStatus(await api(admin, 'GET', `/api/search?q=${encodeURIComponent(NAME)}`), 200);
	assert.ok(found.groups.find((g) => g.type === 'customer').items.length >= 1, JSON.stringify(found).slice(0, 500));
});

test('another agent sees the phone masked and reveals it on the record', async () => {
	const seen = assertStatus(await api(other, 'GET', `/api/customers/${cust.id}`), 200);
	assert.notEqual(seen.phone, phone.e164);
	const r = assertStatus(await api(other, 'POST', `/api/customers/${cust.id}/reveal-phone`, { reason: '客户来电核实身份' }), 200);
	assert.equal(r.phone, phone.e164);
	assert.equal(r.contacts.length, 1);
	const audit = assertStatus(await api(sup, 'GET', `/api/customers/${cust.id}/audit`), 200).items;
	const rev = audit.find((a) => a.action === 'phone_reveal');
	assert.ok(rev, 'revealing is audited');
	assert.equal(rev.actor.id, other.user.id);
	assertProblem(await api(other, 'POST', `/api/customers/${cust.id}/reveal-phone`, { reason: 'x'.repeat(300) }), 422, undefined, 'reason');
});

test('erasure: admins only, with a reason, not while a case is open; then nothing of the person is left', async () => {
	assertProblem(await api(sup, 'POST', `/api/customers/${cust.id}/erase`, { reason: '客户要求' }), 403);
	assertProblem(await api(admin, 'POST', `/api/customers/${cust.id}/erase`, {}), 422, undefined, 'reason');
	const open = assertProblem(await api(admin, 'POST', `/api/customers/${cust.id}/erase`, { reason: '客户要求删除' }), 409, undefined, 'cases');
	assert.match(open.detail, /1/);
	// Close the case, then erase.
	assertStatus(await api(owner, 'POST', `/api/cases/${caseId}/transitions`, { action: 'resolve', resolution: '已答复保修政策' }), 200);
	assertStatus(await api(owner, 'POST', `/api/cases/${caseId}/transitions`, { action: 'close' }), 200);
	const gone = assertStatus(await api(admin, 'POST', `/api/customers/${cust.id}/erase`, { reason: '客户书面要求删除个人信息' }), 200);
	assert.equal(gone.name, '已删除客户');
	assert.equal(gone.phone, null);
	assert.deepEqual(gone.contacts, []);
	assert.equal(gone.email, '');
	assert.ok(gone.archived_at, 'archived');

	const doc = assertStatus(await api(sup, 'GET', `/api/customers/${cust.id}/personal-data`), 200);
	const text = JSON.stringify(doc);
	for (const s of [NAME, phone.e164, phone.digits, 'privacy@example.com', '徐汇区', '家属王女士', SECRET, '送货到家', '询问保修'])
		assert.ok(!text.includes(s), `"${s}" is gone`);
	// The figures stay: the order's amount, the case's type and times.
	assert.equal(doc.orders[0].amount_fen, 123400);
	assert.equal(doc.cases[0].type, 'inquiry');
	// The erasure itself is on the record, with its reason and nothing else.
	const erase = doc.history.find((h) => h.action === 'erase');
	assert.deepEqual(erase.changes, { reason: '客户书面要求删除个人信息' });

	// Search finds nothing by the old name or number any more.
	const s1 = assertStatus(await api(admin, 'GET', `/api/search?q=${encodeURIComponent(NAME)}`), 200);
	assert.deepEqual(s1.groups.map((g) => g.items.length), [0, 0, 0], JSON.stringify(s1).slice(0, 800));
	const s2 = assertStatus(await api(admin, 'GET', `/api/customers?q=${phone.digits}&archived=1`), 200);
	assert.equal(s2.items.length, 0);
	// The number is free again for a new customer.
	assertStatus(await api(owner, 'POST', '/api/customers', { name: '新客户', phone: phone.local }), 201);
});
