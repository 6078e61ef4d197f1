// The service-language checker and the emotion triage (issue 8): findings with their span and
// the positive form, the admins' lexicon, the QA report per agent and week, and emotions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, adminSession, userSession, assertProblem, assertStatus } from './lib.mjs';
import { createCase, phone } from './cases_fixtures.mjs';

let srv, admin, sup, agent, agent2;

before(async () => {
	srv = await startServer('lint');
	admin = await adminSession(srv);
	sup = await userSession(srv, admin, { role: 'supervisor' });
	agent = await userSession(srv, admin, { role: 'agent' });
	agent2 = await userSession(srv, admin, { role: 'agent' });
});

after(async () => {
	await srv?.stop();
});

async function lint(session, text) {
	return assertStatus(await api(session, 'POST', '/api/lint', { text }), 200, `lint ${text}`);
}

test('each forbidden phrase of DOMAIN §2 is flagged in a realistic reply, with the positive form', async () => {
	const cases = [
		['不好意思，这个我不能帮您退。', 'cannot', '我不能'],
		['这种安装我不会做。', 'will_not', '我不会'],
		['这不是我应该做的，您找别人吧。', 'not_my_job', '这不是我应该做的'],
		['我想我做不了这个主。', 'cannot_do', '我想我做不了'],
		['您的建议很好，不过我们暂时不会改。', 'praise_but', '不过'],
		['不行，过了保修期了。', 'no_way', '不行'],
		['这个我也不知道。', 'dont_know', '不知道'],
		['拆封后就不可以退了。', 'not_allowed', '不可以'],
		['那是你手机的问题，跟我们的卡没关系。', 'blame', '那是你手机的问题'],
		['你去找厂家吧，我们管不了。', 'send_away', '你去找厂家'],
	];
	for (const [text, rule, words] of cases) {
		const r = await lint(agent, text);
		const f = r.findings.find((x) => x.rule === rule);
		assert.ok(f, `${rule} in ${text}: ${JSON.stringify(r.findings)}`);
		assert.equal(f.text, words);
		// start/end count UTF-16 units: what a JavaScript string index means.
		assert.equal(text.slice(f.start, f.end), words);
		assert.equal(Buffer.from(text).subarray(f.byte_start, f.byte_end).toString(), words);
		assert.ok(f.suggestion_zh.length > 0 && f.explain_en.length > 0 && f.title_zh.length > 0);
		assert.ok(['error', 'warning', 'info'].includes(f.severity));
	}
	const r = await lint(agent, '我不知道，这不是我应该做的，你去找别人。');
	assert.deepEqual(r.findings.map((x) => x.rule), ['dont_know', 'not_my_job', 'send_away']);
	assert.equal(r.total, 3);
	assert.equal(r.counts.error + r.counts.warning + r.counts.info, 3);
});

test('the same words in harmless uses are not flagged', async () => {
	for (const text of [
		'不知道您现在方便接听电话吗？',
		'如果您不知道订单号，我可以用手机号帮您查。',
		'我们不会再让这种情况发生。',
		'实在不行的话，我们为您换一台新的。',
		'请问可不可以留一个联系电话？',
		'感谢您的耐心，我马上为您处理，今天下午五点前回复您。',
		'🙂 好的，没问题。',
	]) {
		const r = await lint(agent, text);
		assert.deepEqual(r.findings, [], `${text}: ${JSON.stringify(r.findings)}`);
	}
	// Offsets stay right after characters outside the BMP.
	const t = '🙂🙂我不能';
	const f = (await lint(agent, t)).findings[0];
	assert.equal(t.slice(f.start, f.end), '我不能');
});

test('admins edit the lexicon: a house rule, an exception, a rule turned off', async () => {
	assertProblem(await api(agent, 'POST', '/api/lint/phrases', { rule: 'custom', kind: 'trigger', phrase: '没空' }), 403);
	assertProblem(await api(admin, 'POST', '/api/lint/phrases', { rule: 'custom', kind: 'trigger', phrase: '没空' }), 422, 'invalid', 'suggestion_zh');
	assertProblem(await api(admin, 'POST', '/api/lint/phrases', { rule: 'nope', kind: 'trigger', phrase: 'x' }), 422, 'invalid', 'rule');
	assertProblem(await api(admin, 'POST', '/api/lint/phrases', { rule: 'cannot', kind: 'maybe', phrase: 'x' }), 422, 'invalid', 'kind');
	const house = assertStatus(await api(admin, 'POST', '/api/lint/phrases',
		{ rule: 'custom', kind: 'trigger', phrase: '我没空', severity: 'warning', suggestion_zh: '我现在就为您处理。', suggestion_en: 'Say you will handle it now.' }), 201);
	let r = await lint(agent, '今天我没空，明天再说。');
	assert.deepEqual(r.findings.map((x) => [x.rule, x.text, x.suggestion_zh]), [['custom', '我没空', '我现在就为您处理。']]);
	assertProblem(await api(admin, 'POST', '/api/lint/phrases',
		{ rule: 'custom', kind: 'trigger', phrase: '我没空', suggestion_zh: '重复' }), 409);

	const exc = assertStatus(await api(admin, 'POST', '/api/lint/phrases', { rule: 'dont_know', kind: 'exception', phrase: '不知道会不会下雨' }), 201);
	assert.deepEqual((await lint(agent, '明天我也不知道会不会下雨。')).findings, []);
	const off = assertStatus(await api(admin, 'POST', '/api/lint/phrases', { rule: 'no_way', kind: 'disable' }), 201);
	assert.deepEqual((await lint(agent, '不行。')).findings, []);

	const rules = assertStatus(await api(agent, 'GET', '/api/lint/rules'), 200);
	assert.ok(rules.rules.length >= 10);
	assert.equal(rules.rules.find((x) => x.id === 'no_way').disabled, true);
	assert.ok(rules.rules.find((x) => x.id === 'dont_know').exceptions.includes('不知道您'));
	assert.deepEqual(rules.phrases.map((p) => p.id), [house.id, exc.id, off.id]);

	for (const p of [house, exc, off])
		assert.equal((await api(admin, 'DELETE', `/api/lint/phrases/${p.id}`)).status, 204);
	assertProblem(await api(admin, 'DELETE', `/api/lint/phrases/${off.id}`), 404);
	assert.equal((await lint(agent, '不行。')).findings[0].rule, 'no_way');
	assert.deepEqual((await lint(agent, '今天我没空。')).findings, []);
});

test('the QA report counts findings in sent replies per agent and per week', async () => {
	const kase = await createCase(agent, { type: 'complaint', channel: 'phone', subject: '退款慢', customer: { phone: phone() } });
	const reply = (s, body) => api(s, 'POST', `/api/cases/${kase.id}/events`, { kind: 'reply', body });
	assertStatus(await reply(agent, '这个我不知道，您去找财务吧。'), 201);
	assertStatus(await reply(agent, '不行，规定就是这样。'), 201);
	assertStatus(await reply(sup, '给您带来不便非常抱歉，我们今天之内为您退款。'), 201);
	// Notes and the customer's own words are not replies.
	assertStatus(await api(agent, 'POST', `/api/cases/${kase.id}/events`, { kind: 'note', body: '客户说不知道单号' }), 201);
	assertStatus(await api(agent, 'POST', `/api/cases/${kase.id}/events`, { kind: 'customer', body: '不行，我不知道' }), 201);
	assertProblem(await api(agent, 'GET', '/api/reports/lint'), 403);
	const r = assertStatus(await api(sup, 'GET', '/api/reports/lint'), 200);
	assert.equal(r.timezone, 'Asia/Shanghai');
	assert.equal(r.pending, false);
	assert.equal(r.agents.length, 1, JSON.stringify(r.agents));
	const a = r.agents[0];
	assert.equal(a.user.id, agent.user.id);
	assert.equal(a.replies, 2);
	assert.equal(a.total, 3); // 不知道, 您去找, 不行
	assert.equal(a.weeks.length, 1);
	assert.match(a.weeks[0].week, /^\d{4}-W\d{2}$/);
	assert.match(a.weeks[0].monday, /^\d{4}-\d{2}-\d{2}$/);
	assert.equal(new Date(a.weeks[0].monday + 'T00:00:00Z').getUTCDay(), 1, 'weeks start on Monday');
	assert.deepEqual(a.weeks[0].rules, { dont_know: 1, send_away: 1, no_way: 1 });
	// Asking again counts nothing twice.
	const again = assertStatus(await api(sup, 'GET', '/api/reports/lint'), 200);
	assert.equal(again.agents[0].total, 3);
	const none = assertStatus(await api(sup, 'GET', `/api/reports/lint?from=1000&to=2000`), 200);
	assert.deepEqual(none.agents, []);
	assertProblem(await api(sup, 'GET', '/api/reports/lint?from=5&to=4'), 422, 'invalid', 'from');
});

test('emotion triage: angry, anxious, sad, loud, calm, with the cues it saw', async () => {
	const e = async (text) => assertStatus(await api(agent, 'POST', '/api/emotion', { text }), 200);
	let r = await e('你们太过分了！再不退款我就去消协投诉，还要找媒体曝光！');
	assert.equal(r.emotion, 'angry');
	assert.equal(r.emotion_zh, '愤怒');
	assert.ok(r.confidence > 0.5 && r.confidence <= 1);
	assert.ok(r.cues.some((c) => c.what === 'escalation' && c.text === '消协'));
	const sum = Object.values(r.probabilities).reduce((a, b) => a + b, 0);
	assert.ok(Math.abs(sum - 1) < 0.01);
	assert.equal((await e('明天就要用了，快递还没到，很着急，能不能帮我催一下？')).emotion, 'anxious');
	assert.equal((await e('唉，一直很信任你们，没想到这么让人失望。')).emotion, 'sad');
	assert.equal((await e('喂！喂！听得见吗？！叫你们经理来接电话！！！')).emotion, 'loud');
	assert.equal((await e('您好，请问发票怎么开？谢谢。')).emotion, 'calm');
	assertProblem(await api(agent, 'POST', '/api/emotion', {}), 422, 'invalid', 'text');
});
