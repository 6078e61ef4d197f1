// The customer file: create, read, validation, duplicates, update with versions, archive,
// masking, orders, audit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, adminSession, userSession, createCustomer, listAll,
	assertProblem, assertStatus, newPhone, rand,
} from './lib.mjs';

let srv, admin, supervisor, agentA, agentB;

before(async () => {
	srv = await startServer('customers');
	admin = await adminSession(srv);
	supervisor = await userSession(srv, admin, { role: 'supervisor', display_name: '主管周' });
	agentA = await userSession(srv, admin, { role: 'agent', display_name: '客服甲' });
	agentB = await userSession(srv, admin, { role: 'agent', display_name: '客服乙' });
});

after(async () => {
	await srv?.stop();
});

async function countByName(name) {
	const items = await listAll(admin, `/api/customers?archived=1&q=${encodeURIComponent(name)}`);
	const live = await listAll(admin, `/api/customers?q=${encodeURIComponent(name)}`);
	return new Set([...items, ...live].filter((c) => c.name === name).map((c) => c.id)).size;
}

function fullCustomer(phone) {
	return {
		name: '杭州明远贸易有限公司',
		kind: 'organization',
		source: 'external',
		lifecycle: 'general',
		chain_role: 'intermediate',
		value_class: 'key',
		industry: '批发零售',
		company: '明远贸易',
		address: '浙江省杭州市西湖区文三路 100 号',
		phone: phone.local,
		email: 'service@mingyuan.example.cn',
		wechat: 'mingyuan_trade',
		birthday: '1978-09-12',
		standing: '本地知名经销商，年营业额约两千万元',
		hobbies: '茶道、围棋',
		memorable: '2019 年展会上一起解决了物流延误',
		notes: '喜欢上午沟通',
		contacts: [
			{ name: '陈经理', role: '采购经理', phone: '+8613900001111', email: 'chen@mingyuan.example.cn', wechat: 'chen_mgr' },
			{ name: '刘会计', role: '财务', phone: '+8613700002222', email: 'liu@mingyuan.example.cn', wechat: 'liu_acc' },
		],
		dates: [
			{ kind: 'anniversary', label: '合作周年', date: '2015-06-01' },
			{ kind: 'birthday', label: '陈经理生日', date: '03-08' },
		],
		preferences: { '联系时间': '上午', '发票': '增值税专用发票' },
		dnd: [{ days: [6, 7], start: '00:00', end: '23:59', note: '周末勿扰' }, { days: [1, 2, 3, 4, 5], start: '12:00', end: '14:00', note: '午休' }],
		tags: ['经销商', '华东'],
	};
}

test('create a full customer file: every field comes back, phone normalised to E.164', async () => {
	const phone = newPhone();
	const body = { ...fullCustomer(phone), owner_id: agentA.user.id };
	const r = await api(admin, 'POST', '/api/customers', body);
	assertStatus(r, 201, 'create customer');
	const c = r.json;
	assert.equal(typeof c.id, 'number');
	assert.equal(c.phone, phone.e164);
	assert.equal(c.phone_masked, false);
	for (const k of ['name', 'kind', 'source', 'lifecycle', 'chain_role', 'value_class', 'industry', 'company',
		'address', 'email', 'wechat', 'birthday', 'standing', 'hobbies', 'memorable', 'notes'])
		assert.equal(c[k], body[k], `field ${k}`);
	assert.equal(c.contacts.length, 2);
	assert.deepEqual(c.contacts.map((x) => [x.name, x.role, x.phone, x.email, x.wechat]),
		body.contacts.map((x) => [x.name, x.role, x.phone, x.email, x.wechat]));
	assert.deepEqual(c.dates.map((x) => [x.kind, x.label, x.date]), body.dates.map((x) => [x.kind, x.label, x.date]));
	assert.deepEqual(c.preferences, body.preferences);
	assert.deepEqual(c.dnd.map((x) => [x.days, x.start, x.end, x.note]), body.dnd.map((x) => [x.days, x.start, x.end, x.note]));
	assert.deepEqual([...c.tags].sort(), [...body.tags].sort());
	assert.deepEqual(c.owner, { id: agentA.user.id, display_name: '客服甲' });
	assert.ok('tier' in c, 'tier present');
	assert.equal(typeof c.created_at, 'number');
	assert.ok(Math.abs(c.created_at - Date.now()) < 60_000, 'created_at is epoch ms, now');
	assert.equal(typeof c.updated_at, 'number');
	assert.equal(c.archived_at, null);
	assert.equal(typeof c.version, 'number');

	const g = await api(admin, 'GET', `/api/customers/${c.id}`);
	assertStatus(g, 200, 'get customer');
	assert.deepEqual(g.json, c, 'GET returns what POST returned');
});

test('defaults for a minimal customer', async () => {
	const r = await api(agentA, 'POST', '/api/customers', { name: '最小客户' });
	assertStatus(r, 201, 'agent creates a minimal customer');
	const c = r.json;
	assert.equal(c.name, '最小客户');
	for (const k of ['kind', 'source', 'lifecycle', 'chain_role', 'value_class'])
		assert.equal(typeof c[k], 'string', `${k} has a default`);
	assert.deepEqual(c.contacts, []);
	assert.deepEqual(c.dates, []);
	assert.deepEqual(c.tags, []);
	assert.deepEqual(c.dnd, []);
	assert.deepEqual(c.preferences, {});
	assert.equal(c.archived_at, null);
});

test('phone formats normalise to the same E.164 number; a second live customer with it is 409', async () => {
	const p = newPhone();
	const first = await createCustomer(admin, { name: '号码甲', phone: p.digits });
	assert.equal(first.phone, p.e164);
	for (const variant of [p.local, `+86 ${p.local}`, `+86-${p.digits.slice(0, 3)}-${p.digits.slice(3, 7)}-${p.digits.slice(7)}`, p.e164]) {
		const r = await api(admin, 'POST', '/api/customers', { name: '号码乙', phone: variant });
		const prob = assertProblem(r, 409, 'conflict', 'phone');
		assert.equal(prob.existing_id, first.id, `existing_id for ${variant}: ${r.text}`);
	}
	assert.equal(await countByName('号码乙'), 0, 'nothing written');
});

test('invalid phone numbers are 422 on phone', async () => {
	for (const bad of ['abc', '123', '1381234567890123', '138-1234-567x', '+86 12']) {
		const r = await api(admin, 'POST', '/api/customers', { name: '坏号码', phone: bad });
		assertProblem(r, 422, 'invalid', 'phone');
	}
	assert.equal(await countByName('坏号码'), 0);
});

test('name is required, 1..100 characters (not bytes)', async () => {
	assertProblem(await api(admin, 'POST', '/api/customers', { company: '无名' }), 422, 'invalid', 'name');
	assertProblem(await api(admin, 'POST', '/api/customers', { name: '' }), 422, 'invalid', 'name');
	assertProblem(await api(admin, 'POST', '/api/customers', { name: null }), 422, 'invalid', 'name');
	assertProblem(await api(admin, 'POST', '/api/customers', { name: '长'.repeat(101) }), 422, 'invalid', 'name');
	const ok = await createCustomer(admin, { name: '长'.repeat(100) });
	assert.equal(ok.name, '长'.repeat(100));
});

test('wrong JSON types, unknown enum values and unknown fields are 422 naming the field', async () => {
	const cases = [
		[{ name: 5 }, 'name'],
		[{ name: ['x'] }, 'name'],
		[{ name: '类型', phone: 13812345678 }, 'phone'],
		[{ name: '类型', tags: '重要' }, 'tags'],
		[{ name: '类型', tags: [1, 2] }, 'tags'],
		[{ name: '类型', contacts: {} }, 'contacts'],
		[{ name: '类型', preferences: ['a'] }, 'preferences'],
		[{ name: '类型', owner_id: 'me' }, 'owner_id'],
		[{ name: '类型', kind: 'robot' }, 'kind'],
		[{ name: '类型', source: 'partner' }, 'source'],
		[{ name: '类型', lifecycle: 'vip' }, 'lifecycle'],
		[{ name: '类型', chain_role: 'retail' }, 'chain_role'],
		[{ name: '类型', value_class: 'gold' }, 'value_class'],
		[{ name: '类型', kind: 'PERSON' }, 'kind'],
		[{ name: '类型', favourite_colour: 'red' }, 'favourite_colour'],
		[{ name: '类型', birthday: '1990-13-01' }, 'birthday'],
		[{ name: '类型', birthday: '02-30' }, 'birthday'],
		[{ name: '类型', birthday: '1990/05/17' }, 'birthday'],
		[{ name: '类型', owner_id: 987654 }, 'owner_id'],
	];
	for (const [body, field] of cases) {
		const r = await api(admin, 'POST', '/api/customers', body);
		assertProblem(r, 422, 'invalid', field);
	}
	assert.equal(await countByName('类型'), 0, 'nothing written');
});

test('nested values are validated too (dates, dnd, contacts)', async () => {
	const cases = [
		[{ dates: [{ kind: 'wedding', label: 'x', date: '2020-01-01' }] }, 'dates'],
		[{ dates: [{ kind: 'other', label: 'x', date: '2020-02-31' }] }, 'dates'],
		[{ dnd: [{ days: [0], start: '12:00', end: '13:00' }] }, 'dnd'],
		[{ dnd: [{ days: [8], start: '12:00', end: '13:00' }] }, 'dnd'],
		[{ dnd: [{ days: [1], start: '25:00', end: '26:00' }] }, 'dnd'],
		[{ dnd: [{ days: [1], start: '12:60', end: '13:00' }] }, 'dnd'],
		[{ contacts: [{ role: '无名联系人' }] }, 'contacts'],
		[{ contacts: [{ name: '坏号', phone: 'abc' }] }, 'contacts'],
		[{ preferences: { a: 1 } }, 'preferences'],
	];
	for (const [extra, prefix] of cases) {
		const r = await api(admin, 'POST', '/api/customers', { name: '嵌套', ...extra });
		const p = assertProblem(r, 422, 'invalid');
		assert.ok(typeof p.field === 'string' && p.field.startsWith(prefix),
			`field should name ${prefix}...: ${JSON.stringify(extra)} -> ${r.text}`);
	}
	assert.equal(await countByName('嵌套'), 0, 'nothing written');
	const ok = await createCustomer(admin, { name: '嵌套好', birthday: '02-29', dates: [{ kind: 'other', label: '闰日', date: '2024-02-29' }] });
	assert.equal(ok.birthday, '02-29');
});

test('GET of a missing customer is 404 not_found', async () => {
	assertProblem(await api(admin, 'GET', '/api/customers/987654321'), 404, 'not_found');
	assertProblem(await api(agentA, 'GET', '/api/customers/987654321'), 404, 'not_found');
	assertProblem(await api(admin, 'PATCH', '/api/customers/987654321', { name: 'x' }), 404, 'not_found');
	assertProblem(await api(admin, 'DELETE', '/api/customers/987654321'), 404, 'not_found');
	const r = await api(admin, 'GET', '/api/customers/abc');
	assert.ok(r.status === 404 || r.status === 422, `non-numeric id: ${r.status} ${r.text}`);
	assertProblem(r, r.status);
});

test('PATCH updates a subset, bumps the version, and honours an optional version', async () => {
	const p = newPhone();
	const c = await createCustomer(admin, { name: '版本客户', phone: p.local, lifecycle: 'potential', tags: ['a'] });
	const r1 = await api(admin, 'PATCH', `/api/customers/${c.id}`, { lifecycle: 'loyal', notes: '升级为忠诚客户' });
	assertStatus(r1, 200, 'patch');
	assert.equal(r1.json.lifecycle, 'loyal');
	assert.equal(r1.json.notes, '升级为忠诚客户');
	assert.equal(r1.json.name, '版本客户', 'other fields unchanged');
	assert.equal(r1.json.phone, p.e164);
	assert.deepEqual(r1.json.tags, ['a']);
	assert.equal(r1.json.version, c.version + 1);
	assert.ok(r1.json.updated_at >= c.updated_at);
	assert.equal(r1.json.created_at, c.created_at);

	// Stale version: 409, nothing changed.
	const stale = await api(admin, 'PATCH', `/api/customers/${c.id}`, { version: c.version, lifecycle: 'temporary' });
	assertProblem(stale, 409, 'conflict');
	let g = await api(admin, 'GET', `/api/customers/${c.id}`);
	assert.equal(g.json.lifecycle, 'loyal');
	assert.equal(g.json.version, c.version + 1);

	const r2 = await api(admin, 'PATCH', `/api/customers/${c.id}`, { version: r1.json.version, tags: ['b', 'c'], phone: null });
	assertStatus(r2, 200, 'patch with the right version');
	assert.deepEqual([...r2.json.tags].sort(), ['b', 'c']);
	assert.equal(r2.json.phone, null, 'phone cleared');
	assert.equal(r2.json.version, c.version + 2);

	// Invalid PATCH: 422, nothing changed.
	assertProblem(await api(admin, 'PATCH', `/api/customers/${c.id}`, { lifecycle: 'vip', notes: '不应写入' }), 422, 'invalid', 'lifecycle');
	assertProblem(await api(admin, 'PATCH', `/api/customers/${c.id}`, { name: '' }), 422, 'invalid', 'name');
	assertProblem(await api(admin, 'PATCH', `/api/customers/${c.id}`, { name: null }), 422, 'invalid', 'name');
	assertProblem(await api(admin, 'PATCH', `/api/customers/${c.id}`, { bogus: 1 }), 422, 'invalid', 'bogus');
	assertProblem(await api(admin, 'PATCH', `/api/customers/${c.id}`, { version: 'x' }), 422, 'invalid', 'version');
	g = await api(admin, 'GET', `/api/customers/${c.id}`);
	assert.equal(g.json.notes, '升级为忠诚客户');
	assert.equal(g.json.version, c.version + 2);
});

test('PATCH to another customer\'s phone is 409 on phone', async () => {
	const p1 = newPhone(), p2 = newPhone();
	const a = await createCustomer(admin, { name: '占号甲', phone: p1.local });
	const b = await createCustomer(admin, { name: '占号乙', phone: p2.local });
	const r = await api(admin, 'PATCH', `/api/customers/${b.id}`, { phone: p1.digits });
	const prob = assertProblem(r, 409, 'conflict', 'phone');
	assert.equal(prob.existing_id, a.id);
	assert.equal((await api(admin, 'GET', `/api/customers/${b.id}`)).json.phone, p2.e164);
	// Setting one's own number again is fine.
	assertStatus(await api(admin, 'PATCH', `/api/customers/${b.id}`, { phone: p2.local }), 200, 'same phone');
	assertProblem(await api(admin, 'PATCH', `/api/customers/${b.id}`, { phone: 'abc' }), 422, 'invalid', 'phone');
});

test('archive: DELETE sets archived_at, the list hides it, archived=1 shows it, the phone is free again', async () => {
	const p = newPhone();
	const tag = 't' + rand(3);
	const c = await createCustomer(admin, { name: '归档客户', phone: p.local, tags: [tag] });
	const d = await api(admin, 'DELETE', `/api/customers/${c.id}`);
	assert.equal(d.status, 204, `archive: ${d.status} ${d.text}`);
	const g = await api(admin, 'GET', `/api/customers/${c.id}`);
	assertStatus(g, 200, 'GET an archived customer');
	assert.equal(typeof g.json.archived_at, 'number');
	assert.ok(Math.abs(g.json.archived_at - Date.now()) < 60_000);
	const live = await listAll(admin, `/api/customers?tag=${tag}`);
	assert.deepEqual(live.map((x) => x.id), [], 'list excludes archived');
	const arch = await listAll(admin, `/api/customers?tag=${tag}&archived=1`);
	assert.deepEqual(arch.map((x) => x.id), [c.id], 'archived=1 lists it');
	const again = await createCustomer(admin, { name: '新客户同号', phone: p.digits });
	assert.equal(again.phone, p.e164);
	assert.notEqual(again.id, c.id);
	// Audit records the archive.
	const au = await api(admin, 'GET', `/api/customers/${c.id}/audit`);
	assertStatus(au, 200);
	assert.equal(au.json.items[0].action, 'archive');
});

test('masking: an agent sees other agents\' customers\' phones masked; owner, supervisor and admin see them', async () => {
	const p = newPhone();
	const contactPhone = newPhone();
	const c = await createCustomer(admin, {
		name: '遮蔽客户', phone: p.local, owner_id: agentA.user.id,
		contacts: [{ name: '联系人王', role: '经理', phone: contactPhone.e164 }],
	});
	const view = async (s) => {
		const r = await api(s, 'GET', `/api/customers/${c.id}`);
		assertStatus(r, 200);
		return r.json;
	};
	const a = await view(agentA);
	assert.equal(a.phone, p.e164, 'owner sees the number');
	assert.equal(a.phone_masked, false);
	assert.equal(a.contacts[0].phone, contactPhone.e164);

	const b = await view(agentB);
	assert.equal(b.phone, p.masked, 'other agent sees it masked');
	assert.equal(b.phone_masked, true);
	assert.equal(b.contacts[0].phone, contactPhone.masked, 'contacts masked too');
	assert.ok(!JSON.stringify(b).includes(p.digits), 'full number nowhere in the masked view');
	assert.ok(!JSON.stringify(b).includes(contactPhone.digits), 'full contact number nowhere in the masked view');

	for (const s of [supervisor, admin]) {
		const v = await view(s);
		assert.equal(v.phone, p.e164);
		assert.equal(v.phone_masked, false);
		assert.equal(v.contacts[0].phone, contactPhone.e164);
	}

	// The list masks the same way.
	const itemFor = async (s) => (await listAll(s, `/api/customers?q=${encodeURIComponent('遮蔽客户')}`)).find((x) => x.id === c.id);
	assert.equal((await itemFor(agentB)).phone, p.masked);
	assert.equal((await itemFor(agentA)).phone, p.e164);
	assert.equal((await itemFor(supervisor)).phone, p.e164);

	// The PATCH answer to an agent who is not the owner is masked as well.
	const pr = await api(agentB, 'PATCH', `/api/customers/${c.id}`, { notes: '乙改了备注' });
	assertStatus(pr, 200, 'agent patches a customer');
	assert.equal(pr.json.phone, p.masked);
	assert.equal(pr.json.phone_masked, true);
	// ...and the masked value was not written back.
	assert.equal((await view(admin)).phone, p.e164);

	// Unowned customer: agents see it masked.
	const u = await createCustomer(admin, { name: '无主客户', phone: newPhone().local });
	const ua = await api(agentA, 'GET', `/api/customers/${u.id}`);
	assert.equal(ua.json.phone_masked, true);
	assert.match(ua.json.phone, /^\+86 1\d\d\*{4}\d{4}$/);
});

test('an agent saving a masked file back does not overwrite the real numbers', async () => {
	const p = newPhone(), cp = newPhone();
	const c = await createCustomer(admin, {
		name: '回存客户', phone: p.local, owner_id: agentA.user.id,
		contacts: [{ name: '联系人李', role: '采购', phone: cp.e164 }],
	});
	const seen = (await api(agentB, 'GET', `/api/customers/${c.id}`)).json;
	assert.equal(seen.phone_masked, true);
	// What a form would send back: the masked phone and contacts, plus one real change.
	const r = await api(agentB, 'PATCH', `/api/customers/${c.id}`,
		{ phone: seen.phone, contacts: seen.contacts.map(({ name, role, phone }) => ({ name, role, phone })), notes: '回存' });
	assert.ok(r.status === 200 || r.status === 422 || r.status === 403, `masked round trip: ${r.status} ${r.text}`);
	const full = (await api(admin, 'GET', `/api/customers/${c.id}`)).json;
	assert.equal(full.phone, p.e164, 'phone not overwritten by its mask');
	assert.equal(full.contacts[0].phone, cp.e164, 'contact phone not overwritten by its mask');
});

test('orders: create, validate, list newest first', async () => {
	const c = await createCustomer(admin, { name: '订单客户' });
	const t0 = Date.UTC(2024, 0, 10, 2, 0, 0);
	const made = [];
	for (let i = 0; i < 3; i++) {
		const r = await api(admin, 'POST', `/api/customers/${c.id}/orders`, {
			order_no: `SO-2024-${1000 + i}`, product: `空气净化器 X${i}`, amount_fen: 129900 + i,
			margin_fen: 30000, ordered_at: t0 + i * 86400_000, note: i === 0 ? '首单' : '',
		});
		assertStatus(r, 201, 'create order');
		made.push(r.json);
	}
	const o = made[0];
	assert.equal(o.customer_id, c.id);
	assert.equal(o.order_no, 'SO-2024-1000');
	assert.equal(o.product, '空气净化器 X0');
	assert.equal(o.amount_fen, 129900);
	assert.equal(o.margin_fen, 30000);
	assert.equal(o.ordered_at, t0);
	assert.equal(o.note, '首单');
	assert.equal(typeof o.id, 'number');
	assert.equal(typeof o.created_at, 'number');
	const noMargin = await api(admin, 'POST', `/api/customers/${c.id}/orders`,
		{ order_no: 'SO-2024-2000', amount_fen: 0, ordered_at: t0 + 5 * 86400_000 });
	assertStatus(noMargin, 201, 'order without margin, zero amount');

	const bad = [
		[{ order_no: 'X1', amount_fen: 12.5, ordered_at: t0 }, 'amount_fen'],
		[{ order_no: 'X2', amount_fen: '100', ordered_at: t0 }, 'amount_fen'],
		[{ order_no: 'X3', amount_fen: -1, ordered_at: t0 }, 'amount_fen'],
		[{ order_no: 'X4', ordered_at: t0 }, 'amount_fen'],
		[{ amount_fen: 100, ordered_at: t0 }, 'order_no'],
		[{ order_no: '', amount_fen: 100, ordered_at: t0 }, 'order_no'],
		[{ order_no: 'X5', amount_fen: 100 }, 'ordered_at'],
		[{ order_no: 'X6', amount_fen: 100, ordered_at: '2024-01-01' }, 'ordered_at'],
		[{ order_no: 'X7', amount_fen: 100, ordered_at: t0, margin_fen: 1.5 }, 'margin_fen'],
		[{ order_no: 'X8', amount_fen: 100, ordered_at: t0, colour: 'red' }, 'colour'],
	];
	for (const [body, field] of bad)
		assertProblem(await api(admin, 'POST', `/api/customers/${c.id}/orders`, body), 422, 'invalid', field);

	const list = await api(admin, 'GET', `/api/customers/${c.id}/orders`);
	assertStatus(list, 200, 'list orders');
	assert.ok('next_cursor' in list.json);
	assert.deepEqual(list.json.items.map((x) => x.order_no),
		['SO-2024-2000', 'SO-2024-1002', 'SO-2024-1001', 'SO-2024-1000'], 'newest first, nothing invalid written');
	assert.deepEqual(list.json.items[3], o);

	assertProblem(await api(admin, 'POST', '/api/customers/987654321/orders',
		{ order_no: 'Z', amount_fen: 1, ordered_at: t0 }), 404, 'not_found');
	assertProblem(await api(admin, 'GET', '/api/customers/987654321/orders'), 404, 'not_found');
	// Agents may read and add orders too.
	assertStatus(await api(agentA, 'GET', `/api/customers/${c.id}/orders`), 200);
});

test('orders are listed by when they were ordered, also when entered later', async () => {
	// Reading of "newest first" for orders: the newest order is the one ordered last, so an
	// old order entered today (a historical import) goes to the end of the list.
	const c = await createCustomer(admin, { name: '补录订单客户' });
	for (const [no, day] of [['B-2', 2], ['B-3', 3], ['B-1', 1]]) {
		const r = await api(admin, 'POST', `/api/customers/${c.id}/orders`,
			{ order_no: no, amount_fen: 100, ordered_at: Date.UTC(2022, 2, day) });
		assertStatus(r, 201);
	}
	const list = await api(admin, 'GET', `/api/customers/${c.id}/orders`);
	assertStatus(list, 200);
	assert.deepEqual(list.json.items.map((x) => x.order_no), ['B-3', 'B-2', 'B-1']);
	const paged = await listAll(admin, `/api/customers/${c.id}/orders`, 1);
	assert.deepEqual(paged.map((x) => x.order_no), ['B-3', 'B-2', 'B-1']);
});

test('orders page with next_cursor', async () => {
	const c = await createCustomer(admin, { name: '多订单客户' });
	const ids = [];
	for (let i = 0; i < 7; i++) {
		const r = await api(admin, 'POST', `/api/customers/${c.id}/orders`,
			{ order_no: `P-${i}`, amount_fen: 100 * i, ordered_at: Date.UTC(2023, 5, 1 + i) });
		assertStatus(r, 201);
		ids.push(r.json.id);
	}
	const seen = await listAll(admin, `/api/customers/${c.id}/orders`, 3);
	assert.deepEqual(seen.map((x) => x.order_no), ['P-6', 'P-5', 'P-4', 'P-3', 'P-2', 'P-1', 'P-0']);
});

test('audit: create, update and archive with actor and changes, newest first', async () => {
	const c = await createCustomer(agentA, { name: '审计客户', lifecycle: 'potential', value_class: 'ordinary' });
	assertStatus(await api(supervisor, 'PATCH', `/api/customers/${c.id}`, { lifecycle: 'loyal', value_class: 'key' }), 200);
	// A PATCH that changes nothing need not be audited; a failed one must not be.
	assertProblem(await api(supervisor, 'PATCH', `/api/customers/${c.id}`, { lifecycle: 'nope' }), 422);
	assert.equal((await api(admin, 'DELETE', `/api/customers/${c.id}`)).status, 204);

	const r = await api(admin, 'GET', `/api/customers/${c.id}/audit`);
	assertStatus(r, 200, 'audit');
	assert.ok('next_cursor' in r.json);
	const items = r.json.items;
	assert.deepEqual(items.map((x) => x.action), ['archive', 'update', 'create'], r.text);
	const [arch, upd, cre] = items;
	assert.deepEqual(cre.actor, { id: agentA.user.id, display_name: '客服甲' });
	assert.deepEqual(upd.actor, { id: supervisor.user.id, display_name: '主管周' });
	assert.equal(arch.actor.id, admin.user.id);
	assert.deepEqual(upd.changes.lifecycle, ['potential', 'loyal']);
	assert.deepEqual(upd.changes.value_class, ['ordinary', 'key']);
	assert.ok(!('name' in upd.changes), 'unchanged fields are not listed');
	for (const it of items) {
		assert.equal(typeof it.at, 'number');
		assert.ok(it.id !== undefined);
	}
	assert.ok(items[0].at >= items[1].at && items[1].at >= items[2].at);
	assertProblem(await api(admin, 'GET', '/api/customers/987654321/audit'), 404, 'not_found');
});

test('audit of a phone change as seen by an agent who is not the owner is masked', async () => {
	const p1 = newPhone(), p2 = newPhone();
	const c = await createCustomer(admin, { name: '审计遮蔽', phone: p1.local, owner_id: agentA.user.id });
	assertStatus(await api(admin, 'PATCH', `/api/customers/${c.id}`, { phone: p2.local }), 200);
	const full = await api(admin, 'GET', `/api/customers/${c.id}/audit`);
	assertStatus(full, 200);
	assert.deepEqual(full.json.items[0].changes.phone, [p1.e164, p2.e164]);
	const masked = await api(agentB, 'GET', `/api/customers/${c.id}/audit`);
	if (masked.status === 200) {
		assert.ok(!masked.text.includes(p1.digits) && !masked.text.includes(p2.digits),
			`agent B must not see full numbers in the audit: ${masked.text}`);
	} else {
		assertProblem(masked, 403, 'forbidden');
	}
});
