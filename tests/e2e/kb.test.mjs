// The knowledge base of standard answers (issue 8): categories, drafts, review, versions,
// use counts, ratings, search and suggestions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, adminSession, userSession, assertProblem, assertStatus } from './lib.mjs';
import { createCase, phone } from './cases_fixtures.mjs';

let srv, admin, sup, agent, agent2;
let cats;

before(async () => {
	srv = await startServer('kb');
	admin = await adminSession(srv);
	sup = await userSession(srv, admin, { role: 'supervisor' });
	agent = await userSession(srv, admin, { role: 'agent' });
	agent2 = await userSession(srv, admin, { role: 'agent' });
	const r = assertStatus(await api(agent, 'GET', '/api/kb/categories'), 200);
	cats = Object.fromEntries(r.items.map((c) => [c.code, c]));
});

after(async () => {
	await srv?.stop();
});

const answer = (fields = {}) => ({
	category_id: cats.after_sales.id,
	title: '七天无理由退货怎么办理？',
	questions: ['能退货吗', '买了不想要了怎么退', '退货运费谁出'],
	answer: '您好，签收后七天内商品完好可申请无理由退货：在订单页点击“申请退货”，我们会安排快递上门取件，运费由我们承担。',
	tags: ['退货', '售后'],
	...fields,
});

async function kbSearch(session, q) {
	const r = await api(session, 'GET', `/api/search?type=kb&q=${encodeURIComponent(q)}`);
	return assertStatus(r, 200, `search kb ${q}`).items.map((x) => x.id);
}

test('categories are seeded: 价格咨询, 投诉处理, 竞品比较, 产品, 售后政策', () => {
	for (const [code, zh] of [['pricing', '价格咨询'], ['complaints', '投诉处理'], ['competitors', '竞品比较'],
		['product', '产品'], ['after_sales', '售后政策']])
		assert.equal(cats[code]?.name_zh, zh);
	assert.equal(typeof cats.pricing.name_en, 'string');
});

test('draft → submit → reject with a reason → edit → approve: the review loop', async () => {
	let a = assertStatus(await api(agent, 'POST', '/api/kb', answer()), 201);
	assert.equal(a.status, 'draft');
	assert.equal(a.published, null);
	assert.equal(a.latest.version_no, 1);
	assert.equal(a.latest.state, 'draft');
	assert.deepEqual(a.latest.questions, ['能退货吗', '买了不想要了怎么退', '退货运费谁出']);
	assert.equal(a.owner.id, agent.user.id);
	assert.deepEqual(await kbSearch(agent, '无理由退货'), [], 'a draft is not found by agents');

	// Only the author (or a supervisor) submits; only a supervisor decides.
	assertProblem(await api(agent2, 'POST', `/api/kb/${a.id}/versions/1/submit`), 403);
	a = assertStatus(await api(agent, 'POST', `/api/kb/${a.id}/versions/1/submit`), 200);
	assert.equal(a.latest.state, 'pending');
	assert.ok(a.latest.submitted_at > 0);
	assertProblem(await api(agent, 'POST', `/api/kb/${a.id}/versions/1/approve`), 403);
	const queue = assertStatus(await api(sup, 'GET', '/api/kb?status=pending'), 200);
	assert.ok(queue.items.some((x) => x.id === a.id && x.pending_version_no === 1));
	assertProblem(await api(sup, 'POST', `/api/kb/${a.id}/versions/1/reject`, {}), 422, 'invalid', 'reason');
	a = assertStatus(await api(sup, 'POST', `/api/kb/${a.id}/versions/1/reject`, { reason: '请写明退货时限从签收日算起' }), 200);
	assert.equal(a.latest.state, 'rejected');
	assert.equal(a.latest.reject_reason, '请写明退货时限从签收日算起');
	assert.equal(a.latest.reviewer.id, sup.user.id);
	assertProblem(await api(sup, 'POST', `/api/kb/${a.id}/versions/1/approve`), 409, 'conflict', 'state');

	// An edit is a new version over the latest; only the fields given change.
	a = assertStatus(await api(agent, 'POST', `/api/kb/${a.id}/versions`, {
		answer: '您好，自签收之日起七天内商品完好，可申请无理由退货：在订单页点击“申请退货”，快递上门取件，运费由我们承担。',
		note: '写明从签收日算起', submit: true,
	}), 201);
	assert.equal(a.latest.version_no, 2);
	assert.equal(a.latest.state, 'pending');
	assert.equal(a.latest.title, '七天无理由退货怎么办理？');
	a = assertStatus(await api(sup, 'POST', `/api/kb/${a.id}/versions/2/approve`), 200);
	assert.equal(a.status, 'published');
	assert.equal(a.published.version_no, 2);
	assert.match(a.published.answer, /自签收之日起/);
	assert.deepEqual(await kbSearch(agent, '无理由退货'), [a.id]);
	assert.deepEqual(await kbSearch(agent, '退货运费'), [a.id], 'question variants are searched');

	const hist = assertStatus(await api(agent, 'GET', `/api/kb/${a.id}/versions`), 200);
	assert.deepEqual(hist.items.map((v) => [v.version_no, v.state]), [[2, 'published'], [1, 'rejected']]);
	const v1 = assertStatus(await api(agent, 'GET', `/api/kb/${a.id}/versions/1`), 200);
	assert.match(v1.answer, /签收后七天内/);
	assert.equal(v1.note, '');
	assertProblem(await api(agent, 'GET', `/api/kb/${a.id}/versions/9`), 404);
});

test('a new draft does not change what agents see until it is approved; older versions restore', async () => {
	let a = assertStatus(await api(sup, 'POST', '/api/kb', answer({
		category_id: cats.pricing.id, title: '会员价和促销价能叠加吗？', questions: ['优惠能叠加吗'],
		answer: '会员价与促销价不叠加，系统会自动按更低的价格结算。', tags: ['价格'], publish: true,
	})), 201);
	assert.equal(a.status, 'published', 'a supervisor may publish at once');
	assert.equal(a.published.version_no, 1);
	a = assertStatus(await api(agent, 'POST', `/api/kb/${a.id}/versions`, { answer: '会员价可以和满减券一起使用。' }), 201);
	assert.equal(a.latest.version_no, 2);
	assert.equal(a.latest.state, 'draft');
	assert.equal(a.published.version_no, 1);
	assert.deepEqual(await kbSearch(agent, '满减券'), [], 'the draft text is not searchable');
	assert.deepEqual(await kbSearch(agent, '更低的价格'), [a.id]);
	// A stale edit is refused; restoring version 1 makes version 3.
	assertProblem(await api(agent, 'POST', `/api/kb/${a.id}/versions`, { answer: 'x', base_version: 1 }), 409, 'conflict', 'base_version');
	a = assertStatus(await api(agent, 'POST', `/api/kb/${a.id}/versions`, { from_version: 1, note: '恢复第 1 版' }), 201);
	assert.equal(a.latest.version_no, 3);
	assert.equal(a.latest.answer, '会员价与促销价不叠加，系统会自动按更低的价格结算。');
	const hist = assertStatus(await api(agent, 'GET', `/api/kb/${a.id}/versions`), 200);
	assert.deepEqual(hist.items.map((v) => [v.version_no, v.state]), [[3, 'draft'], [2, 'superseded'], [1, 'published']]);
});

test('inserting an answer counts its use; ratings are one per agent, averaged', async () => {
	const a = assertStatus(await api(sup, 'POST', '/api/kb', answer({
		category_id: cats.complaints.id, title: '客户情绪激动时如何安抚', questions: ['客户很生气怎么办'],
		answer: '先道歉并表示理解：“给您带来不便，非常抱歉。”耐心倾听，不打断，再说明处理方案和时间。', publish: true,
	})), 201);
	const kase = await createCase(agent, { type: 'complaint', channel: 'phone', subject: '客户很生气', customer: { phone: phone() } });
	let u = assertStatus(await api(agent, 'POST', `/api/kb/${a.id}/use`, { case_id: kase.id }), 200);
	assert.equal(u.usage_count, 1);
	assert.equal(u.version_no, 1);
	assert.match(u.answer, /非常抱歉/);
	u = assertStatus(await api(agent2, 'POST', `/api/kb/${a.id}/use`), 200);
	assert.equal(u.usage_count, 2);

	let r = assertStatus(await api(agent, 'PUT', `/api/kb/${a.id}/rating`, { stars: 4 }), 200);
	assert.deepEqual(r.rating, { average: 4, count: 1 });
	r = assertStatus(await api(agent2, 'PUT', `/api/kb/${a.id}/rating`, { stars: 2, comment: '太长了' }), 200);
	assert.deepEqual(r.rating, { average: 3, count: 2 });
	r = assertStatus(await api(agent, 'PUT', `/api/kb/${a.id}/rating`, { stars: 5 }), 200);
	assert.deepEqual(r.rating, { average: 3.5, count: 2 }, 'rating again replaces the first');
	assert.equal(r.my_rating, 5);
	assertProblem(await api(agent, 'PUT', `/api/kb/${a.id}/rating`, { stars: 6 }), 422, 'invalid', 'stars');
	const got = assertStatus(await api(agent2, 'GET', `/api/kb/${a.id}`), 200);
	assert.equal(got.usage_count, 2);
	assert.equal(got.my_rating, 2);
	assert.deepEqual(got.rating, { average: 3.5, count: 2 });

	const draft = assertStatus(await api(agent, 'POST', '/api/kb', answer({ title: '草稿' })), 201);
	assertProblem(await api(agent, 'POST', `/api/kb/${draft.id}/use`), 409);
	assertProblem(await api(agent, 'PUT', `/api/kb/${draft.id}/rating`, { stars: 3 }), 409);
});

test('suggestions: the most relevant published answers for a text and for an open case', async () => {
	const mk = async (f) => assertStatus(await api(sup, 'POST', '/api/kb', answer({ ...f, publish: true })), 201);
	const bt = await mk({ category_id: cats.technical.id, title: '蓝牙耳机连不上手机怎么办', questions: ['耳机配对失败', '蓝牙搜不到耳机'], answer: '请先将耳机放回充电盒长按按钮 5 秒重置，再在手机蓝牙设置里删除旧配对后重新连接。', tags: ['蓝牙', '耳机'] });
	const price = await mk({ category_id: cats.competitors.id, title: '我们的耳机和其他品牌比有什么优势', questions: ['比别家贵在哪'], answer: '我们的耳机续航 30 小时，提供两年保修。', tags: ['竞品'] });
	let r = assertStatus(await api(agent, 'GET', `/api/kb/suggest?text=${encodeURIComponent('我的蓝牙耳机突然连不上手机了，重新配对也不行')}`), 200);
	assert.equal(r.items[0].id, bt.id, JSON.stringify(r.items.map((x) => [x.id, x.title, x.score])));
	assert.ok(r.items[0].matched.includes('蓝牙'));
	assert.ok(r.items[0].score > 0);
	const ids = r.items.map((x) => x.id);
	assert.ok(!ids.includes(price.id) || ids.indexOf(price.id) > 0);
	// Long texts go in the body.
	r = assertStatus(await api(agent, 'POST', '/api/kb/suggest', { text: '耳机配对失败，'.repeat(200), limit: 3 }), 200);
	assert.equal(r.items[0].id, bt.id);
	assert.ok(r.items.length <= 3);
	// A case: subject, description and the customer's words.
	const kase = await createCase(agent, { type: 'after_sales', channel: 'phone', subject: '耳机问题', description: '蓝牙搜不到耳机', customer: { phone: phone() } });
	r = assertStatus(await api(agent, 'GET', `/api/cases/${kase.id}/suggestions`), 200);
	assert.equal(r.case_id, kase.id);
	assert.equal(r.items[0].id, bt.id);
	assertProblem(await api(agent, 'GET', '/api/kb/suggest'), 422, 'invalid', 'text');
	assertProblem(await api(agent, 'GET', '/api/cases/999999/suggestions'), 404);
	// Archived answers are no longer suggested or found.
	assert.equal((await api(agent, 'DELETE', `/api/kb/${bt.id}`)).status, 403);
	assert.equal((await api(sup, 'DELETE', `/api/kb/${bt.id}`)).status, 204);
	r = assertStatus(await api(agent, 'GET', `/api/kb/suggest?text=${encodeURIComponent('蓝牙耳机连不上')}`), 200);
	assert.ok(!r.items.some((x) => x.id === bt.id));
	assert.deepEqual(await kbSearch(agent, '充电盒'), []);
	const got = assertStatus(await api(agent, 'GET', `/api/kb/${bt.id}`), 200);
	assert.equal(got.status, 'archived');
});

test('lists filter by category and words; the owner changes only by a supervisor', async () => {
	const r = assertStatus(await api(agent, 'GET', `/api/kb?category_id=${cats.pricing.id}`), 200);
	assert.ok(r.items.length >= 1);
	for (const x of r.items) {
		assert.equal(x.category.id, cats.pricing.id);
		assert.equal(x.status, 'published');
	}
	const w = assertStatus(await api(agent, 'GET', `/api/kb?q=${encodeURIComponent('叠加')}`), 200);
	assert.equal(w.items.length, 1);
	assert.equal(w.items[0].title, '会员价和促销价能叠加吗？');
	const drafts = assertStatus(await api(agent, 'GET', '/api/kb?status=draft'), 200);
	assert.ok(drafts.items.every((x) => x.status === 'draft'));
	const id = w.items[0].id;
	assertProblem(await api(agent, 'PATCH', `/api/kb/${id}`, { owner_id: agent.user.id }), 403);
	const p = assertStatus(await api(sup, 'PATCH', `/api/kb/${id}`, { owner_id: agent2.user.id }), 200);
	assert.equal(p.owner.id, agent2.user.id);
});

test('bad input names the field', async () => {
	assertProblem(await api(agent, 'POST', '/api/kb', { title: 'x', answer: 'y' }), 422, 'invalid', 'category_id');
	assertProblem(await api(agent, 'POST', '/api/kb', answer({ category_id: 99999 })), 422, 'invalid', 'category_id');
	assertProblem(await api(agent, 'POST', '/api/kb', answer({ title: '' })), 422, 'invalid', 'title');
	assertProblem(await api(agent, 'POST', '/api/kb', answer({ questions: ['ok', 3] })), 422, 'invalid', 'questions');
	assertProblem(await api(agent, 'POST', '/api/kb', answer({ tags: 'x' })), 422, 'invalid', 'tags');
	assertProblem(await api(agent, 'POST', '/api/kb', answer({ publish: true })), 403, undefined, 'publish');
	assertProblem(await api(agent, 'POST', '/api/kb', answer({ color: 'red' })), 422, 'invalid', 'color');
	assertProblem(await api(agent, 'GET', '/api/kb?status=secret'), 422, 'invalid', 'status');
	assertProblem(await api(agent, 'GET', '/api/kb/999999'), 404);
	assertProblem(await api(agent, 'POST', '/api/kb/categories', { code: 'x', name_zh: 'x', name_en: 'x' }), 403);
	const c = assertStatus(await api(admin, 'POST', '/api/kb/categories', { code: 'billing', name_zh: '账单', name_en: 'Billing' }), 201);
	assert.equal(c.code, 'billing');
	assertProblem(await api(admin, 'POST', '/api/kb/categories', { code: 'billing', name_zh: '账单', name_en: 'Billing' }), 409);
});

test('sort=usage and sort=rating: most used / best rated first, paged by offset', async () => {
	// Three answers of one word (so the other tests' answers stay out), used and rated differently.
	const word = '琴瑟笙箫';
	const mk = async (title) =>
		assertStatus(await api(sup, 'POST', '/api/kb', answer({ title: `${word}${title}`, category_id: cats.product.id, publish: true })), 201);
	const a = await mk('甲'); // used once, rated 2
	const b = await mk('乙'); // used three times, unrated
	const c = await mk('丙'); // used twice, rated 5 and 4
	for (const [x, n] of [[a, 1], [b, 3], [c, 2]])
		for (let i = 0; i < n; i++) assertStatus(await api(agent, 'POST', `/api/kb/${x.id}/use`, {}), 200);
	assertStatus(await api(agent, 'PUT', `/api/kb/${a.id}/rating`, { stars: 2 }), 200);
	assertStatus(await api(agent, 'PUT', `/api/kb/${c.id}/rating`, { stars: 5 }), 200);
	assertStatus(await api(agent2, 'PUT', `/api/kb/${c.id}/rating`, { stars: 4 }), 200);
	const ids = async (query) => assertStatus(await api(agent, 'GET', `/api/kb?q=${encodeURIComponent(word)}&${query}`), 200);
	assert.deepEqual((await ids('sort=usage')).items.map((x) => x.id), [b.id, c.id, a.id]);
	assert.deepEqual((await ids('sort=rating')).items.map((x) => x.id), [c.id, a.id, b.id]);
	assert.deepEqual((await ids('')).items.map((x) => x.id), [c.id, b.id, a.id], 'newest first by default');
	// Pages of one: offset cursors, the same order, no row twice.
	const seen = [];
	let cursor = '';
	for (let i = 0; i < 5; i++) {
		const p = await ids(`sort=usage&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
		seen.push(...p.items.map((x) => x.id));
		if (!p.next_cursor) break;
		assert.match(p.next_cursor, /^o\d+$/);
		cursor = p.next_cursor;
	}
	assert.deepEqual(seen, [b.id, c.id, a.id]);
	assertProblem(await api(agent, 'GET', '/api/kb?sort=best'), 422, 'invalid', 'sort');
	assertProblem(await api(agent, 'GET', '/api/kb?sort=usage&cursor=c1f'), 422, 'invalid', 'cursor');
});
