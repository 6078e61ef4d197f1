// The customer list: filters, search, paging that visits every customer exactly once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, adminSession, userSession, listAll, assertProblem, assertStatus, newPhone,
} from './lib.mjs';

let srv, admin, agent, agent2;
const N = 120;
const created = []; // what we created, in creation order: {id, ...body}

const LIFECYCLES = ['potential', 'temporary', 'general', 'loyal'];
const CHAIN = ['intermediate', 'terminal', 'public'];
const INDUSTRIES = ['制造业', '零售', '教育'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨'];

before(async () => {
	srv = await startServer('list');
	admin = await adminSession(srv);
	agent = await userSession(srv, admin, { role: 'agent' });
	agent2 = await userSession(srv, admin, { role: 'agent' });
	for (let i = 0; i < N; i++) {
		const p = newPhone();
		const body = {
			name: `${SURNAMES[i % 6]}${['先生', '女士'][i % 2]}${i}号`,
			kind: i % 5 === 0 ? 'organization' : 'person',
			source: i % 4 === 0 ? 'internal' : 'external',
			lifecycle: LIFECYCLES[i % 4],
			chain_role: CHAIN[i % 3],
			value_class: i % 10 === 0 ? 'key' : 'ordinary',
			industry: INDUSTRIES[i % 3],
			company: i % 5 === 0 ? `华东精密仪器${i}厂` : `个体${i}`,
			phone: p.local,
			tags: i % 3 === 0 ? ['回头客', `批次${i % 2}`] : [`批次${i % 2}`],
		};
		if (i % 6 === 0)
			body.owner_id = agent.user.id;
		else if (i % 6 === 1)
			body.owner_id = agent2.user.id;
		const r = await api(admin, 'POST', '/api/customers', body);
		assertStatus(r, 201, `create customer ${i}`);
		created.push({ ...body, id: r.json.id, phone: p.e164, digits: p.digits });
	}
});

after(async () => {
	await srv?.stop();
});

const ids = (items) => items.map((x) => x.id);
const desc = (arr) => [...arr].sort((a, b) => b - a);

async function page(session, query) {
	const r = await api(session, 'GET', `/api/customers${query}`);
	assertStatus(r, 200, `GET /api/customers${query}`);
	return r.json;
}

test('list items have the documented fields, newest first, default limit 50', async () => {
	const p = await page(admin, '');
	assert.equal(p.items.length, 50, 'default limit 50');
	assert.equal(typeof p.next_cursor, 'string');
	assert.deepEqual(ids(p.items), desc(ids(created)).slice(0, 50), 'newest (highest id) first');
	const it = p.items[0];
	for (const k of ['id', 'name', 'kind', 'company', 'industry', 'phone', 'lifecycle', 'source', 'chain_role',
		'value_class', 'tier', 'owner', 'tags', 'updated_at'])
		assert.ok(k in it, `item.${k} missing: ${JSON.stringify(it)}`);
	const mine = created[created.length - 1];
	assert.equal(it.name, mine.name);
	assert.equal(it.phone, mine.phone);
	assert.deepEqual([...it.tags].sort(), [...mine.tags].sort());
	const owned = p.items.find((x) => x.id === created.find((c) => c.owner_id === agent.user.id && x.id === c.id)?.id);
	if (owned)
		assert.equal(owned.owner.id, agent.user.id);
	const all = await page(admin, '?limit=200');
	assert.equal(all.items.length, N);
	assert.equal(all.next_cursor, null, 'no more pages');
});

test('paging with next_cursor visits every customer exactly once, in order', async () => {
	for (const limit of [1, 7, 50, 119, 120]) {
		const seen = [];
		let cursor = null, pages = 0;
		do {
			const p = await page(admin, `?limit=${limit}${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
			assert.ok(p.items.length <= limit);
			if (p.next_cursor)
				assert.equal(p.items.length, limit, 'only the last page is short');
			seen.push(...ids(p.items));
			cursor = p.next_cursor;
			pages++;
			assert.ok(pages <= N + 1, 'paging ends');
		} while (cursor);
		assert.equal(new Set(seen).size, seen.length, `limit ${limit}: no duplicates`);
		assert.deepEqual(seen, desc(ids(created)), `limit ${limit}: every customer once, newest first`);
		assert.ok(pages <= Math.ceil(N / limit) + 1, `limit ${limit}: ${pages} pages`);
	}
});

test('paging with a filter visits exactly the matching customers', async () => {
	const want = desc(ids(created.filter((c) => c.lifecycle === 'loyal' && c.source === 'external')));
	const got = ids(await listAll(admin, '/api/customers?lifecycle=loyal&source=external', 4));
	assert.deepEqual(got, want);
});

async function walkWith(tag, between) {
	const q = `?limit=25&tag=${encodeURIComponent(tag)}`;
	const seen = [];
	let p = await page(admin, q);
	seen.push(...ids(p.items));
	await between(seen);
	let cursor = p.next_cursor;
	while (cursor) {
		p = await page(admin, `${q}&cursor=${encodeURIComponent(cursor)}`);
		seen.push(...ids(p.items));
		cursor = p.next_cursor;
	}
	return seen;
}

test('paging is stable while customers are added', async () => {
	const want = desc(ids(created.filter((c) => c.tags.includes('批次0'))));
	let extra;
	const seen = await walkWith('批次0', async () => {
		extra = await api(admin, 'POST', '/api/customers', { name: '翻页中新增', tags: ['批次0'] });
		assertStatus(extra, 201);
	});
	assert.deepEqual(seen, want, 'each original customer exactly once, the newer one not at all');
	assert.equal((await api(admin, 'DELETE', `/api/customers/${extra.json.id}`)).status, 204);
});

test('paging is stable while a customer already seen is archived', async () => {
	const want = desc(ids(created.filter((c) => c.tags.includes('批次0'))));
	const seen = await walkWith('批次0', async (s) => {
		assert.equal((await api(admin, 'DELETE', `/api/customers/${s[0]}`)).status, 204);
		created.find((c) => c.id === s[0]).archived = true;
	});
	assert.deepEqual(seen, want, 'nothing skipped');
});

const live = () => created.filter((c) => !c.archived);

test('enum filters: lifecycle, source, chain_role, value_class, kind, industry', async () => {
	const checks = [
		['lifecycle', 'potential'], ['lifecycle', 'loyal'], ['source', 'internal'], ['chain_role', 'public'],
		['value_class', 'key'], ['kind', 'organization'], ['industry', '教育'],
	];
	for (const [k, v] of checks) {
		const got = ids(await listAll(admin, `/api/customers?${k}=${encodeURIComponent(v)}`));
		const want = desc(ids(live().filter((c) => c[k] === v)));
		assert.deepEqual(got, want, `${k}=${v}`);
	}
	const combo = ids(await listAll(admin, '/api/customers?kind=person&value_class=ordinary&chain_role=terminal'));
	assert.deepEqual(combo, desc(ids(live().filter((c) => c.kind === 'person' && c.value_class === 'ordinary' && c.chain_role === 'terminal'))));
});

test('tag filter', async () => {
	const got = ids(await listAll(admin, `/api/customers?tag=${encodeURIComponent('回头客')}`));
	assert.deepEqual(got, desc(ids(live().filter((c) => c.tags.includes('回头客')))));
	assert.deepEqual(await listAll(admin, `/api/customers?tag=${encodeURIComponent('不存在的标签')}`), []);
});

test('owner filter: an id, me, none', async () => {
	const byId = ids(await listAll(admin, `/api/customers?owner=${agent.user.id}`));
	assert.deepEqual(byId, desc(ids(live().filter((c) => c.owner_id === agent.user.id))));
	const me = ids(await listAll(agent2, '/api/customers?owner=me'));
	assert.deepEqual(me, desc(ids(live().filter((c) => c.owner_id === agent2.user.id))));
	const none = ids(await listAll(admin, '/api/customers?owner=none'));
	assert.deepEqual(none, desc(ids(live().filter((c) => !c.owner_id))));
	assert.deepEqual(await listAll(admin, '/api/customers?owner=me'), [], 'admin owns none');
});

test('GET /api/customers/count: the exact number the same filters list', async () => {
	const count = async (s, query) => assertStatus(await api(s, 'GET', `/api/customers/count${query}`), 200, query).count;
	for (const [s, query] of [
		[admin, ''], [agent, '?owner=me'], [agent2, '?owner=me'], [admin, '?owner=none'],
		[admin, `?tag=${encodeURIComponent('回头客')}`], [admin, '?value_class=key&kind=organization'],
		[admin, `?q=${encodeURIComponent('女士')}`], [admin, '?archived=1'], [admin, '?owner=me'],
	]) {
		const listed = (await listAll(s, `/api/customers${query}`)).length;
		assert.equal(await count(s, query), listed, `count${query}`);
	}
	assert.equal(await count(agent, '?owner=me'), live().filter((c) => c.owner_id === agent.user.id).length);
	assert.ok(await count(agent, '?owner=me') > 0);
	// It follows changes at once (no cache): a new customer of mine counts.
	const before = await count(agent, '?owner=me');
	const p = newPhone();
	const c = assertStatus(await api(agent, 'POST', '/api/customers', { name: '计数客户', phone: p.local, tags: [] }), 201);
	created.push({ name: '计数客户', tags: [], phone: p.e164, digits: p.digits, id: c.id, owner_id: c.owner?.id, kind: c.kind,
		source: c.source, lifecycle: c.lifecycle, chain_role: c.chain_role, value_class: c.value_class, industry: c.industry, company: c.company });
	assert.equal(c.owner?.id, agent.user.id, 'an agent owns the customers they create');
	assert.equal(await count(agent, '?owner=me'), before + 1);
	// Not paged; bad filters are refused like the list's.
	assertProblem(await api(admin, 'GET', '/api/customers/count?cursor=abc'), 422, 'invalid', 'cursor');
	assertProblem(await api(admin, 'GET', '/api/customers/count?limit=5'), 422, 'invalid', 'limit');
	assertProblem(await api(admin, 'GET', '/api/customers/count?owner=somebody'), 422, 'invalid', 'owner');
	assert.equal((await api({ base: srv.url }, 'GET', '/api/customers/count')).status, 401);
});

test('q matches name, phone digits and company by substring', async () => {
	// Name: a Chinese two-character substring.
	const byName = ids(await listAll(admin, `/api/customers?q=${encodeURIComponent('女士')}`));
	assert.deepEqual(byName, desc(ids(live().filter((c) => c.name.includes('女士')))));
	const exact = live()[37];
	assert.ok(ids(await listAll(admin, `/api/customers?q=${encodeURIComponent(exact.name)}`)).includes(exact.id));
	// Phone digits: the last 8 digits of one number, and the full number with +86.
	const target = live()[42];
	const byPhone = ids(await listAll(admin, `/api/customers?q=${target.digits.slice(3)}`));
	assert.deepEqual(byPhone, [target.id], `q=${target.digits.slice(3)}`);
	assert.deepEqual(ids(await listAll(admin, `/api/customers?q=${target.digits}`)), [target.id]);
	// Company.
	const byCompany = ids(await listAll(admin, `/api/customers?q=${encodeURIComponent('精密仪器')}`));
	assert.deepEqual(byCompany, desc(ids(live().filter((c) => c.company.includes('精密仪器')))));
	// q combines with the filters (AND).
	const both = ids(await listAll(admin, `/api/customers?q=${encodeURIComponent('女士')}&lifecycle=temporary`));
	assert.deepEqual(both, desc(ids(live().filter((c) => c.name.includes('女士') && c.lifecycle === 'temporary'))));
	assert.deepEqual(await listAll(admin, `/api/customers?q=${encodeURIComponent('查无此人')}`), []);
	// One Chinese character; paging through a search.
	const one = ids(await listAll(admin, `/api/customers?q=${encodeURIComponent('王')}`, 3));
	assert.deepEqual(one, desc(ids(live().filter((c) => c.name.includes('王')))));
	// Characters that mean something to SQL LIKE are taken literally.
	assert.deepEqual(await listAll(admin, '/api/customers?q=%25'), [], 'q=% matches nothing');
	assert.deepEqual(await listAll(admin, '/api/customers?q=_'), [], 'q=_ matches nothing');
});

test('tier filter accepts the pyramid tiers', async () => {
	for (const t of ['top', 'high', 'mid', 'low', 'inactive', 'potential']) {
		const items = await listAll(admin, `/api/customers?tier=${t}`);
		assert.ok(items.every((x) => x.tier === t), `tier=${t}`);
	}
});

test('archived=1 lists archived customers only; archived=0 is the default', async () => {
	const arch = await listAll(admin, '/api/customers?archived=1');
	assert.ok(arch.length >= 1);
	for (const a of arch) {
		const g = await api(admin, 'GET', `/api/customers/${a.id}`);
		assert.equal(typeof g.json.archived_at, 'number', `item ${a.id} is archived`);
	}
	const zero = ids(await listAll(admin, '/api/customers?archived=0'));
	const dflt = ids(await listAll(admin, '/api/customers'));
	assert.deepEqual(zero, dflt);
	assert.ok(!dflt.some((id) => ids(arch).includes(id)));
});

test('bad filter values are 422 naming the parameter', async () => {
	const bad = [
		['lifecycle', 'vip'], ['source', 'partner'], ['chain_role', 'retail'], ['value_class', 'gold'],
		['tier', 'platinum'], ['kind', 'robot'], ['owner', 'abc'], ['owner', '-1'], ['archived', '2'],
		['archived', 'yes'], ['limit', '0'], ['limit', '201'], ['limit', 'ten'], ['limit', '-5'], ['limit', '1.5'],
		['cursor', 'not-a-cursor!!'],
	];
	for (const [k, v] of bad) {
		const r = await api(admin, 'GET', `/api/customers?${k}=${encodeURIComponent(v)}`);
		assertProblem(r, 422, 'invalid', k);
	}
	// The limits themselves are fine.
	assert.equal((await page(admin, '?limit=1')).items.length, 1);
	assert.equal((await page(admin, '?limit=200')).items.length, live().length);
});

test('agents may list all customers; phones of others\' customers are masked', async () => {
	const items = await listAll(agent, '/api/customers');
	assert.equal(items.length, live().length);
	for (const it of items) {
		const c = created.find((x) => x.id === it.id);
		if (c.owner_id === agent.user.id)
			assert.equal(it.phone, c.phone, 'own customer in full');
		else
			assert.equal(it.phone, `+86 ${c.digits.slice(0, 3)}****${c.digits.slice(7)}`, 'others masked');
	}
});
