// Bad requests: each is a 4xx application/problem+json naming the problem, and nothing is
// written. Also the language of the messages and the request id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, anon, adminSession, userSession, createCustomer, listAll, rawRequest,
	assertProblem, assertStatus, CJK, newPhone,
} from './lib.mjs';

let srv, admin, agent;

before(async () => {
	srv = await startServer('errors');
	admin = await adminSession(srv);
	agent = await userSession(srv, admin, { role: 'agent' });
});

after(async () => {
	await srv?.stop();
});

async function allCustomerIds() {
	const live = await listAll(admin, '/api/customers');
	const arch = await listAll(admin, '/api/customers?archived=1');
	return [...live, ...arch].map((c) => c.id).sort((a, b) => a - b);
}

/** Runs fn and asserts the set of customers did not change. */
async function writesNothing(fn) {
	const before_ = await allCustomerIds();
	await fn();
	assert.deepEqual(await allCustomerIds(), before_, 'nothing was written');
}

test('malformed JSON is 400 malformed_json', async () => {
	await writesNothing(async () => {
		for (const body of ['{"name": ', '{name: "x"}', '{"name": "x",}', "{'name': 'x'}", '{"name": "x"} trailing']) {
			const r = await api(admin, 'POST', '/api/customers', body);
			assertProblem(r, 400, 'malformed_json');
		}
		// An empty body: either not JSON (400) or no fields (422 on name).
		const empty = await api(admin, 'POST', '/api/customers', '');
		if (empty.status === 400)
			assertProblem(empty, 400, 'malformed_json');
		else
			assertProblem(empty, 422, 'invalid', 'name');
	});
	const c = await createCustomer(admin, { name: '改坏', notes: '原来的备注' });
	assertProblem(await api(admin, 'PATCH', `/api/customers/${c.id}`, '{"notes": "x"'), 400, 'malformed_json');
	const g = await api(admin, 'GET', `/api/customers/${c.id}`);
	assert.equal(g.json.notes, '原来的备注');
	assert.equal(g.json.version, c.version);
});

test('malformed JSON writes nothing', async () => {
	await writesNothing(async () => {
		assertProblem(await api(admin, 'POST', '/api/customers', '{"name": "半截'), 400, 'malformed_json');
		assertProblem(await api(admin, 'POST', '/api/customers', Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
			400, 'malformed_json');
	});
});

test('hostile JSON: deep nesting, NUL in strings, huge numbers', async () => {
	await writesNothing(async () => {
		const deep = await api(admin, 'POST', '/api/customers', '{"name":"深","tags":' + '['.repeat(100000) + ']'.repeat(100000) + '}');
		assert.ok(deep.status === 400 || deep.status === 422, `deep nesting: ${deep.status} ${deep.text.slice(0, 300)}`);
		assertProblem(deep, deep.status);
		const deepObj = await api(admin, 'POST', '/api/customers', '{"name":"深","preferences":' + '{"a":'.repeat(50000) + '1' + '}'.repeat(50001));
		assert.ok(deepObj.status === 400 || deepObj.status === 422, `deep objects: ${deepObj.status} ${deepObj.text.slice(0, 300)}`);
		const big = await api(admin, 'POST', '/api/customers', '{"name":"大数","owner_id":1e400}');
		assert.ok(big.status === 400 || big.status === 422, `1e400: ${big.status} ${big.text.slice(0, 300)}`);
		// Beyond int64: a number the parser cannot hold (400) or a bad owner_id (422).
		for (const n of ['1e20', '100000000000000000000', '92233720368547758070']) {
			const huge = await api(admin, 'POST', '/api/customers', `{"name":"大数","owner_id":${n}}`);
			if (huge.status === 400)
				assertProblem(huge, 400, 'malformed_json');
			else
				assertProblem(huge, 422, 'invalid', 'owner_id');
		}
	});
	const nul = await api(admin, 'POST', '/api/customers', '{"name":"a\\u0000b"}');
	if (nul.status === 201)
		assert.equal(nul.json.name, 'a\u0000b', 'a NUL is kept, not truncated');
	else
		assertProblem(nul, nul.status);
	const c = await createCustomer(admin, { name: '订单大数' });
	for (const amount of ['1e20', '9223372036854775808', '1e400', '-0.0001'])
		assert.ok([400, 422].includes((await api(admin, 'POST', `/api/customers/${c.id}/orders`,
			`{"order_no":"N1","amount_fen":${amount},"ordered_at":1700000000000}`)).status), `amount_fen ${amount}`);
	const list = await api(admin, 'GET', `/api/customers/${c.id}/orders`);
	assert.deepEqual(list.json.items, [], 'no order written');
});

test('odd ids in paths are 404 or 422, never 5xx', async () => {
	for (const id of ['0', '-1', '99999999999999999999', '1.5', '1e3', '%20', 'null', '１']) {
		const r = await api(admin, 'GET', `/api/customers/${id}`);
		assert.ok(r.status === 404 || r.status === 422, `/api/customers/${id}: ${r.status} ${r.text}`);
		assertProblem(r, r.status);
	}
});

test('405 names the allowed methods in Allow', async () => {
	const r = await api(admin, 'PUT', '/api/customers', { name: 'x' });
	assertProblem(r, 405, 'method_not_allowed');
	const allow = (r.headers.get('allow') || '').split(',').map((m) => m.trim().toUpperCase());
	assert.ok(allow.includes('GET') && allow.includes('POST'), `Allow: ${r.headers.get('allow')}`);
});

test('a JSON body that is not an object is rejected', async () => {
	await writesNothing(async () => {
		for (const body of ['[]', '"name"', '42', 'null']) {
			const r = await api(admin, 'POST', '/api/customers', body);
			assert.ok(r.status === 400 || r.status === 422, `${body}: ${r.status} ${r.text}`);
			assertProblem(r, r.status);
		}
	});
});

test('wrong JSON types and missing name are 422 invalid naming the field', async () => {
	await writesNothing(async () => {
		assertProblem(await api(admin, 'POST', '/api/customers', { name: 5 }), 422, 'invalid', 'name');
		assertProblem(await api(admin, 'POST', '/api/customers', { name: true }), 422, 'invalid', 'name');
		assertProblem(await api(admin, 'POST', '/api/customers', { name: { zh: '名' } }), 422, 'invalid', 'name');
		assertProblem(await api(admin, 'POST', '/api/customers', {}), 422, 'invalid', 'name');
		assertProblem(await api(admin, 'POST', '/api/customers', { company: '只有公司' }), 422, 'invalid', 'name');
		assertProblem(await api(admin, 'POST', '/api/customers', { name: '类型错', lifecycle: 3 }), 422, 'invalid', 'lifecycle');
	});
});

test('invalid phone is 422 on phone', async () => {
	await writesNothing(async () => {
		assertProblem(await api(admin, 'POST', '/api/customers', { name: '坏号', phone: '12345' }), 422, 'invalid', 'phone');
		assertProblem(await api(admin, 'POST', '/api/customers', { name: '坏号', phone: 'call me' }), 422, 'invalid', 'phone');
	});
});

test('a 10 MB body is 413 body_too_large and nothing is written', async () => {
	await writesNothing(async () => {
		const big = JSON.stringify({ name: '超大请求', notes: '备'.repeat(3.5 * 1024 * 1024) });
		assert.ok(Buffer.byteLength(big) > 10 * 1000 * 1000);
		const r = await rawRequest(srv.url, 'POST', '/api/customers', {
			Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf, 'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(big),
		}, big);
		assertProblem(r, 413, 'body_too_large');
	});
	// The server still answers.
	assertStatus(await api(admin, 'GET', '/api/me'), 200);
});

test('just over 1 MiB is 413; chunked bodies are capped too', async () => {
	await writesNothing(async () => {
		const body = JSON.stringify({ name: '略超', notes: 'x'.repeat(1024 * 1024) });
		const r = await rawRequest(srv.url, 'POST', '/api/customers', {
			Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf, 'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(body),
		}, body);
		assertProblem(r, 413, 'body_too_large');
		const chunked = await rawRequest(srv.url, 'POST', '/api/customers', {
			Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf, 'Content-Type': 'application/json',
			'Transfer-Encoding': 'chunked',
		}, JSON.stringify({ name: '分块超大', notes: 'y'.repeat(2 * 1024 * 1024) }));
		assertProblem(chunked, 413, 'body_too_large');
	});
});

test('unknown route is 404 no_route; wrong method is 405 method_not_allowed', async () => {
	assertProblem(await api(admin, 'GET', '/api/nope'), 404, 'no_route');
	assertProblem(await api(anon(srv.url), 'GET', '/api/nope'), 404, 'no_route');
	assertProblem(await api(admin, 'GET', '/api/customers/1/nothing'), 404, 'no_route');
	await writesNothing(async () => {
		assertProblem(await api(admin, 'POST', '/api/nope', { name: 'x' }), 404, 'no_route');
		assertProblem(await api(admin, 'PUT', '/api/customers', { name: '放' }), 405, 'method_not_allowed');
		assertProblem(await api(admin, 'DELETE', '/api/customers'), 405, 'method_not_allowed');
	});
	assertProblem(await api(admin, 'DELETE', '/api/departments'), 405, 'method_not_allowed');
	assertProblem(await api(admin, 'POST', '/healthz', {}), 405, 'method_not_allowed');
});

test('not signed in is 401 unauthenticated; nothing written', async () => {
	await writesNothing(async () => {
		assertProblem(await api(anon(srv.url), 'GET', '/api/customers'), 401, 'unauthenticated');
		assertProblem(await api(anon(srv.url), 'POST', '/api/customers', { name: '匿名' }), 401, 'unauthenticated');
		assertProblem(await api(anon(srv.url), 'POST', '/api/customers', { name: '匿名' },
			{ headers: { 'X-CSRF-Token': admin.csrf } }), 401, 'unauthenticated');
	});
});

test('missing or wrong CSRF token with a cookie session is 403 csrf; nothing written', async () => {
	await writesNothing(async () => {
		assertProblem(await api(admin, 'POST', '/api/customers', { name: '无令牌' }, { csrf: false }), 403, 'csrf');
		assertProblem(await api(admin, 'POST', '/api/customers', { name: '错令牌' }, { headers: { 'X-CSRF-Token': 'x' + admin.csrf } }), 403, 'csrf');
		assertProblem(await api(admin, 'POST', '/api/customers', { name: '空令牌' }, { headers: { 'X-CSRF-Token': '' } }), 403, 'csrf');
	});
	const c = await createCustomer(admin, { name: '防伪', notes: '原样' });
	assertProblem(await api(admin, 'PATCH', `/api/customers/${c.id}`, { notes: '被改' }, { csrf: false }), 403, 'csrf');
	assertProblem(await api(admin, 'DELETE', `/api/customers/${c.id}`, undefined, { csrf: false }), 403, 'csrf');
	const g = await api(admin, 'GET', `/api/customers/${c.id}`);
	assert.equal(g.json.notes, '原样');
	assert.equal(g.json.archived_at, null);
});

test('an agent calling a supervisor route is 403 forbidden; nothing written', async () => {
	const c = await createCustomer(admin, { name: '待分配' });
	const r = await api(agent, 'POST', '/api/customers/assign', { customer_ids: [c.id], agent_ids: [agent.user.id] });
	assertProblem(r, 403, 'forbidden');
	assert.equal((await api(admin, 'GET', `/api/customers/${c.id}`)).json.owner, null, 'owner unchanged');
	assertProblem(await api(agent, 'GET', '/api/users'), 403, 'forbidden');
	assertProblem(await api(agent, 'POST', '/api/departments', { name: '越权部门' }), 403, 'forbidden');
	const deps = await api(admin, 'GET', '/api/departments');
	assert.ok(!deps.json.items.some((d) => d.name === '越权部门'));
});

test('a body with a non-JSON content type is 415; nothing written', async () => {
	await writesNothing(async () => {
		const body = JSON.stringify({ name: '纯文本' });
		for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
			const r = await api(admin, 'POST', '/api/customers', body, { headers: { 'Content-Type': ct } });
			assertProblem(r, 415, 'unsupported_media_type');
		}
		const none = await api(admin, 'POST', '/api/customers', body, { headers: { 'Content-Type': null } });
		assertProblem(none, 415, 'unsupported_media_type');
	});
	const ok = await api(admin, 'POST', '/api/customers', { name: '带字符集' },
		{ headers: { 'Content-Type': 'application/json; charset=utf-8' } });
	assertStatus(ok, 201, 'application/json; charset=utf-8 is JSON');
});

test('details are Chinese by default and English with Accept-Language: en', async () => {
	const zh = assertProblem(await api(admin, 'POST', '/api/customers', { name: 5 }), 422, 'invalid', 'name');
	assert.match(zh.detail, CJK, `default detail in Chinese: ${zh.detail}`);
	const zh2 = assertProblem(await api(admin, 'POST', '/api/customers', { name: 5 },
		{ headers: { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' } }), 422, 'invalid', 'name');
	assert.match(zh2.detail, CJK);
	for (const al of ['en', 'en-US,en;q=0.9', 'en-GB']) {
		const en = assertProblem(await api(admin, 'POST', '/api/customers', { name: 5 },
			{ headers: { 'Accept-Language': al } }), 422, 'invalid', 'name');
		assert.doesNotMatch(en.detail, CJK, `English detail for ${al}: ${en.detail}`);
		assert.match(en.detail, /[A-Za-z]{3}/);
	}
	// Every kind of error is translated, not only validation.
	const cases = [
		() => api(anon(srv.url), 'GET', '/api/customers', undefined),
		() => api(admin, 'GET', '/api/nope', undefined),
		() => api(admin, 'GET', '/api/customers/987654321', undefined),
		() => api(admin, 'POST', '/api/customers', '{', undefined),
		() => api(anon(srv.url), 'POST', '/api/session', { username: 'admin', password: 'Wrong-pass-9' }),
		() => api(agent, 'GET', '/api/users', undefined),
		() => api(admin, 'GET', '/api/customers?lifecycle=vip', undefined),
	];
	for (const mk of cases) {
		const d = await mk();
		assert.ok(d.status >= 400, d.text);
		assert.match(d.json.detail, CJK, `default Chinese: ${d.text}`);
	}
	const enCases = [
		['GET', '/api/nope', undefined, admin],
		['GET', '/api/customers/987654321', undefined, admin],
		['POST', '/api/customers', '{', admin],
		['GET', '/api/users', undefined, agent],
		['GET', '/api/customers?lifecycle=vip', undefined, admin],
	];
	for (const [m, p, b, s] of enCases) {
		const d = await api(s, m, p, b, { headers: { 'Accept-Language': 'en' } });
		assert.ok(d.status >= 400, d.text);
		assert.doesNotMatch(d.json.detail, CJK, `English: ${d.text}`);
	}
});

test('every response has an X-Request-Id, distinct per request', async () => {
	const seen = new Set();
	const reqs = [
		() => api(anon(srv.url), 'GET', '/healthz'),
		() => api(admin, 'GET', '/api/me'),
		() => api(admin, 'GET', '/api/customers?limit=1'),
		() => api(admin, 'GET', '/api/nope'),
		() => api(anon(srv.url), 'GET', '/api/me'),
		() => api(admin, 'POST', '/api/customers', '{'),
		() => api(admin, 'POST', '/api/customers', { name: '编号' }),
		() => api(admin, 'PUT', '/api/customers', { name: '编号' }),
		() => api(anon(srv.url), 'GET', '/metrics'),
	];
	for (const mk of reqs) {
		const r = await mk();
		const id = r.headers.get('x-request-id');
		assert.ok(id && id.length >= 4, `X-Request-Id on ${r.status}: ${[...r.headers].join('; ')}`);
		assert.ok(!seen.has(id), `request ids are distinct: ${id}`);
		seen.add(id);
	}
});

test('unknown fields and duplicate phone do not leave a half-written customer', async () => {
	const p = newPhone();
	await createCustomer(admin, { name: '先到', phone: p.local });
	await writesNothing(async () => {
		const r = await api(admin, 'POST', '/api/customers', {
			name: '后到', phone: p.digits, contacts: [{ name: '联系人', phone: newPhone().e164 }], tags: ['半截'],
		});
		assertProblem(r, 409, 'conflict', 'phone');
		assertProblem(await api(admin, 'POST', '/api/customers', { name: '多字段', tags: ['半截'], extra: 1 }), 422, 'invalid', 'extra');
	});
	assert.deepEqual(await listAll(admin, `/api/customers?tag=${encodeURIComponent('半截')}`), []);
});

// Found by tests/fuzz (fuzz_case): messages that quote the caller's text were cut inside a
// Chinese character, jansson refused to encode them, and the client got a bare 500.
test('a refused Chinese value is quoted whole: 422 naming the field, never a bare 500', async () => {
	const c = await api(agent, 'POST', '/api/cases', {
		type: 'complaint', channel: 'phone', emotion: '客户说已经是第三次报修了', subject: '断线',
		customer: { phone: newPhone().local },
	});
	const p = assertProblem(c, 422, 'invalid', 'emotion');
	assert.match(p.detail, /客户说已经…/);
	const s = await api(agent, 'GET', `/api/cases?state=${encodeURIComponent('已经关闭了的工单'.repeat(4))}`);
	assertProblem(s, 422, 'invalid', 'state');
	await writesNothing(async () => {
		const k = await api(admin, 'POST', '/api/customers', { name: '张三', ['字'.repeat(120)]: 1 });
		assertProblem(k, 422, 'invalid');
	});
});
