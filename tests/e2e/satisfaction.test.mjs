// Satisfaction (issue 6): the loop case closed → invitation by the rule → answered through
// the portal with the one-time link → score in the report → low score → follow-up; the
// N-day limit; templates, campaigns with a preview, expectation sheets and their gaps,
// competitor scores, the report as CSV.  Times are relative to the server's clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, anon, adminSession, userSession, createCustomer, assertProblem, assertStatus,
	newPhone, rand,
} from './lib.mjs';

let srv, admin, sup, agent, pub, dept;

before(async () => {
	srv = await startServer('satisfaction');
	admin = await adminSession(srv);
	const d = await api(admin, 'POST', '/api/departments', { name: `客服部${rand(2)}` });
	dept = assertStatus(d, 201, 'department').id;
	sup = await userSession(srv, admin, { role: 'supervisor', department_id: dept });
	agent = await userSession(srv, admin, { role: 'agent', department_id: dept, display_name: '王小明' });
	pub = anon(srv.url);
});

after(async () => {
	await srv?.stop();
});

async function runJobs() {
	const r = assertStatus(await api(admin, 'POST', '/api/jobs/run'), 200, 'jobs');
	return r;
}

/** An inquiry of the customer, resolved and closed by the agent. */
async function closedCase(customerId, subject = '发票开错了') {
	const c = assertStatus(await api(agent, 'POST', '/api/cases',
		{ type: 'inquiry', channel: 'phone', subject, customer_id: customerId, assignee_id: agent.user.id }), 201, 'case');
	assertStatus(await api(agent, 'POST', `/api/cases/${c.id}/transitions`,
		{ action: 'resolve', resolution: '已重新开具发票' }), 200, 'resolve');
	return assertStatus(await api(agent, 'POST', `/api/cases/${c.id}/transitions`, { action: 'close' }), 200, 'close');
}

function tokenOf(inv) {
	assert.match(inv.url, /^\/portal\/s\/\d+-[0-9a-f]{32}$/, `url ${inv.url}`);
	return inv.url.slice('/portal/s/'.length);
}

test('the loop: closed case → link → answered on the portal → report → low score → follow-up', async () => {
	// A webhook listening for low scores (nothing listens: nothing is sent).
	const hook = assertStatus(await api(admin, 'POST', '/api/webhooks', { name: '低分提醒', url: 'http://127.0.0.1:9/low', kind: 'json', events: ['survey.low_score'] }), 201);
	const cust = await createCustomer(agent, { name: '赵满意', phone: newPhone().local });
	const c = await closedCase(cust.id);
	await runJobs();
	const invs = assertStatus(await api(agent, 'GET', `/api/survey-invitations?case_id=${c.id}`), 200).items;
	assert.equal(invs.length, 1, JSON.stringify(invs));
	const inv = invs[0];
	assert.equal(inv.source, 'case');
	assert.equal(inv.state, 'pending');
	assert.equal(inv.customer_id, cust.id);
	assert.equal(inv.agent_id, agent.user.id);
	assert.equal(inv.case_number, c.number);
	assert.ok(inv.expires_at > Date.now() + 13 * 86400_000);
	// a second run creates nothing more
	await runJobs();
	assert.equal(assertStatus(await api(agent, 'GET', `/api/survey-invitations?case_id=${c.id}`), 200).items.length, 1);

	const token = tokenOf(inv);
	const form = assertStatus(await api(pub, 'GET', `/api/portal/surveys/${token}`), 200, 'survey form');
	assert.equal(form.case_number, c.number);
	assert.deepEqual(form.questions.map((q) => q.kind), ['csat', 'nps', 'effort', 'text']);
	// csat is required; a score off the scale names the answer
	assertProblem(await api(pub, 'POST', `/api/portal/surveys/${token}`, { answers: { nps: 3 } }), 422, 'invalid', 'answers.csat');
	assertProblem(await api(pub, 'POST', `/api/portal/surveys/${token}`, { answers: { csat: 6 } }), 422, 'invalid', 'answers.csat');
	assertProblem(await api(pub, 'POST', `/api/portal/surveys/${token}`, { answers: { csat: 2, color: 'red' } }), 422, 'invalid', 'answers.color');

	const before_ = assertStatus(await api(sup, 'GET', '/api/reports/satisfaction?by=agent'), 200);
	assertStatus(await api(pub, 'POST', `/api/portal/surveys/${token}`,
		{ answers: { csat: 2, nps: 4, effort: 6, comment: '等了太久' } }), 201, 'answer');

	// answered: used once
	const again = assertProblem(await api(pub, 'POST', `/api/portal/surveys/${token}`, { answers: { csat: 5 } }), 410, 'gone', 'token');
	assert.match(again.detail, /已经提交/);
	const againEn = assertProblem(await api(pub, 'GET', `/api/portal/surveys/${token}`, undefined,
		{ headers: { 'Accept-Language': 'en' } }), 410, 'gone');
	assert.match(againEn.detail, /answered already/);
	const inv2 = assertStatus(await api(agent, 'GET', `/api/survey-invitations?case_id=${c.id}`), 200).items[0];
	assert.equal(inv2.state, 'answered');

	// the response, its answers and the follow-up the low score opened
	const resp = assertStatus(await api(agent, 'GET', `/api/survey-responses?customer_id=${cust.id}`), 200).items;
	assert.equal(resp.length, 1);
	assert.equal(resp[0].csat, 2);
	assert.equal(resp[0].nps, 4);
	assert.equal(resp[0].effort, 6);
	assert.equal(resp[0].comment, '等了太久');
	assert.equal(resp[0].low, true);
	assert.equal(resp[0].case_id, c.id);
	assert.ok(resp[0].followup_id, 'a low score opens a follow-up');
	assert.deepEqual(resp[0].answers.map((a) => a.key), ['csat', 'nps', 'effort', 'comment']);
	const lows = assertStatus(await api(agent, 'GET', '/api/survey-responses?low=1'), 200).items;
	assert.ok(lows.some((x) => x.id === resp[0].id) && lows.every((x) => x.low), 'low=1 lists low scores only');
	const fu = assertStatus(await api(agent, 'GET', `/api/followups/${resp[0].followup_id}`), 200);
	assert.equal(fu.kind, 'low_score');
	// ... and a survey.low_score delivery was queued with the response, in its transaction.
	const dl = assertStatus(await api(admin, 'GET', `/api/webhooks/${hook.id}/deliveries`), 200).items;
	const low = dl.filter((d) => d.event === 'survey.low_score');
	assert.equal(low.length, 1, JSON.stringify(dl));
	assert.equal(low[0].payload.response_id, resp[0].id);
	assert.equal(low[0].payload.followup_id, resp[0].followup_id);
	assert.equal(low[0].payload.csat, 2);
	assertStatus(await api(admin, 'DELETE', `/api/webhooks/${hook.id}`), 204);
	assert.equal(fu.customer_id, cust.id);
	assert.equal(fu.assignee_id, agent.user.id);
	assert.equal(fu.case_id, c.id, 'the visit is about the case');
	assert.equal(fu.state, 'open');
	assert.match(fu.title, /CSAT 2/);
	const mine = assertStatus(await api(agent, 'GET', '/api/followups?view=mine'), 200).items;
	assert.ok(mine.some((f) => f.id === fu.id));

	// the score is in the report, by agent and in the total
	const rep = assertStatus(await api(sup, 'GET', '/api/reports/satisfaction?by=agent'), 200);
	const row = rep.rows.find((x) => x.key === String(agent.user.id));
	assert.ok(row, JSON.stringify(rep.rows));
	assert.equal(row.label, '王小明');
	assert.equal(row.responses, 1);
	assert.equal(row.csat_bp, 0);
	assert.equal(row.nps_bp, -10000);
	assert.equal(row.detractors, 1);
	assert.equal(row.effort_x100, 600);
	assert.equal(row.low, 1);
	assert.equal(rep.total.responses, before_.total.responses + 1);
	// by period (this month) and by case type
	const byType = assertStatus(await api(sup, 'GET', '/api/reports/satisfaction?by=case_type'), 200);
	assert.ok(byType.rows.find((x) => x.key === 'inquiry').responses >= 1);
	const byDay = assertStatus(await api(sup, 'GET', '/api/reports/satisfaction?by=period&granularity=day'), 200);
	assert.match(byDay.rows.at(-1).key, /^\d{4}-\d{2}-\d{2}$/);
	// CSV like the other reports
	const csv = await api(sup, 'GET', '/api/reports/satisfaction?by=agent&format=csv');
	assert.equal(csv.status, 200);
	assert.match(csv.headers.get('content-type'), /text\/csv/);
	assert.ok(csv.text.includes('王小明'), csv.text.slice(0, 300));
	assertProblem(await api(sup, 'GET', '/api/reports/satisfaction?by=colour'), 422, 'invalid', 'by');
	assertProblem(await api(agent, 'GET', '/api/reports/satisfaction'), 403);
});

test('at most one survey per customer in N days; a high score opens nothing', async () => {
	const cust = await createCustomer(agent, { name: '钱频繁', phone: newPhone().local });
	const c1 = await closedCase(cust.id, '第一次');
	await runJobs();
	const c2 = await closedCase(cust.id, '第二次');
	await runJobs();
	const all = assertStatus(await api(agent, 'GET', `/api/survey-invitations?customer_id=${cust.id}`), 200).items;
	assert.equal(all.length, 2);
	const first = all.find((i) => i.case_id === c1.id), second = all.find((i) => i.case_id === c2.id);
	assert.equal(first.state, 'pending');
	assert.equal(second.state, 'suppressed');
	assert.equal(second.url, null);
	// min_days 0: every closed case is surveyed
	const rule = assertStatus(await api(sup, 'PATCH', '/api/survey-rules/case_closed', { min_days: 0 }), 200);
	assert.equal(rule.min_days, 0);
	const c3 = await closedCase(cust.id, '第三次');
	await runJobs();
	const third = assertStatus(await api(agent, 'GET', `/api/survey-invitations?case_id=${c3.id}`), 200).items[0];
	assert.equal(third.state, 'pending');
	assertStatus(await api(pub, 'POST', `/api/portal/surveys/${tokenOf(first)}`, { answers: { csat: 5, nps: 10 } }), 201);
	const r = assertStatus(await api(agent, 'GET', `/api/survey-responses?customer_id=${cust.id}`), 200).items[0];
	assert.equal(r.low, false);
	assert.equal(r.followup_id, null);
	assertStatus(await api(sup, 'PATCH', '/api/survey-rules/case_closed', { min_days: 30 }), 200);
	assertProblem(await api(sup, 'PATCH', '/api/survey-rules/case_closed', { min_days: 400 }), 422, 'invalid', 'min_days');
	assertProblem(await api(sup, 'PATCH', '/api/survey-rules/nope', { min_days: 1 }), 404);
	assertProblem(await api(agent, 'PATCH', '/api/survey-rules/case_closed', { min_days: 1 }), 403);
});

test('a closed visit sends its survey too', async () => {
	const cust = await createCustomer(agent, { name: '孙回访', phone: newPhone().local });
	const f = assertStatus(await api(agent, 'POST', '/api/followups',
		{ customer_id: cust.id, due_at: Date.now() + 86400_000 }), 201);
	assertStatus(await api(agent, 'PATCH', `/api/followups/${f.id}`,
		{ outcome: 'satisfied', evaluation: '满意', suggestions: '无', next_step: '无' }), 200);
	assertStatus(await api(agent, 'POST', `/api/followups/${f.id}/close`), 200);
	await runJobs();
	const invs = assertStatus(await api(agent, 'GET', `/api/survey-invitations?customer_id=${cust.id}`), 200).items;
	assert.equal(invs.length, 1);
	assert.equal(invs[0].source, 'visit');
	assert.equal(invs[0].followup_id, f.id);
});

test('tampered, unknown and expired links are refused in both languages', async () => {
	const cust = await createCustomer(agent, { name: '李过期', phone: newPhone().local });
	const inv = assertStatus(await api(agent, 'POST', '/api/survey-invitations',
		{ customer_id: cust.id, expires_days: 1 }), 201, 'manual link');
	const token = tokenOf(inv);
	const [id, mac] = token.split('-');
	const flip = mac.slice(0, -1) + (mac.at(-1) === 'a' ? 'b' : 'a');
	for (const bad of [`${id}-${flip}`, `${Number(id) + 1}-${mac}`, 'abc', `${id}-${mac}x`, `${id}.${mac}`]) {
		const p = assertProblem(await api(pub, 'GET', `/api/portal/surveys/${encodeURIComponent(bad)}`), 404, 'not_found', 'token');
		assert.match(p.detail, /链接无效/);
		assertProblem(await api(pub, 'POST', `/api/portal/surveys/${encodeURIComponent(bad)}`, { answers: { csat: 5 } }), 404);
	}
	const en = assertProblem(await api(pub, 'GET', `/api/portal/surveys/${id}-${flip}`, undefined,
		{ headers: { 'Accept-Language': 'en-US' } }), 404);
	assert.match(en.detail, /not valid/);
	const form = assertStatus(await api(pub, 'GET', `/api/portal/surveys/${token}`), 200);
	assert.ok(form.expires_at > Date.now() && form.expires_at <= Date.now() + 86400_000 + 5000);
	// a link whose time is up
	const short = assertStatus(await api(agent, 'POST', '/api/survey-invitations',
		{ customer_id: cust.id, expires_at: Date.now() + 1500 }), 201);
	assertProblem(await api(agent, 'POST', '/api/survey-invitations',
		{ customer_id: cust.id, expires_at: Date.now() - 1000 }), 422, 'invalid', 'expires_at');
	assertStatus(await api(pub, 'GET', `/api/portal/surveys/${tokenOf(short)}`), 200);
	await new Promise((res) => setTimeout(res, 2000));
	const gone = assertProblem(await api(pub, 'GET', `/api/portal/surveys/${tokenOf(short)}`), 410, 'gone', 'token');
	assert.match(gone.detail, /过期/);
	assertProblem(await api(pub, 'POST', `/api/portal/surveys/${tokenOf(short)}`, { answers: { csat: 5 } }), 410, 'gone');
	const goneEn = assertProblem(await api(pub, 'GET', `/api/portal/surveys/${tokenOf(short)}`, undefined,
		{ headers: { 'Accept-Language': 'en' } }), 410);
	assert.match(goneEn.detail, /expired/);
	const st = assertStatus(await api(agent, 'GET', `/api/survey-invitations?customer_id=${cust.id}`), 200).items;
	assert.equal(st.find((i) => i.id === short.id).state, 'expired');
});

test('templates: questions checked naming the field; frozen once answered; archived not deleted', async () => {
	const bad = (questions) => api(sup, 'POST', '/api/survey-templates', { name: '门店调查', questions });
	assertProblem(await bad([]), 422, 'invalid', 'questions');
	assertProblem(await bad([{ key: 'q1', kind: 'stars', text_zh: '评分' }]), 422, 'invalid', 'questions[0].kind');
	assertProblem(await bad([{ key: 'q1', kind: 'csat', text_zh: 'a' }, { key: 'q1', kind: 'text', text_zh: 'b' }]),
		422, 'invalid', 'questions[1].key');
	assertProblem(await bad([{ key: 'a', kind: 'csat', text_zh: 'a' }, { key: 'b', kind: 'csat', text_zh: 'b' }]),
		422, 'invalid', 'questions[1].kind');
	assertProblem(await bad([{ key: 'a', kind: 'single', text_zh: '渠道', options: [{ key: 'x', zh: 'X' }] }]),
		422, 'invalid', 'questions[0].options');
	assertProblem(await bad([{ key: 'a', kind: 'text' }]), 422, 'invalid', 'questions[0].text_zh');
	assertProblem(await api(agent, 'POST', '/api/survey-templates', { name: 'x', questions: [] }), 403);
	const t = assertStatus(await bad([
		{ key: 'csat', kind: 'csat', text_zh: '满意吗？', required: true },
		{ key: 'where', kind: 'single', text_zh: '从哪里知道我们？', options: [{ key: 'friend', zh: '朋友' }, { key: 'ad', zh: '广告' }] },
		{ key: 'liked', kind: 'multiple', text_zh: '喜欢什么？', options: [{ key: 'speed', zh: '速度' }, { key: 'manner', zh: '态度' }, { key: 'price', zh: '价格' }] },
	]), 201, 'template');
	assert.equal(t.active, true);
	assert.equal(t.questions.length, 3);
	// a link with this template, answered with choices
	const cust = await createCustomer(agent, { name: '周选择', phone: newPhone().local });
	const inv = assertStatus(await api(agent, 'POST', '/api/survey-invitations', { customer_id: cust.id, template_id: t.id }), 201);
	const tok = tokenOf(inv);
	assertProblem(await api(pub, 'POST', `/api/portal/surveys/${tok}`, { answers: { csat: 4, where: 'tv' } }), 422, 'invalid', 'answers.where');
	assertProblem(await api(pub, 'POST', `/api/portal/surveys/${tok}`, { answers: { csat: 4, liked: 'speed' } }), 422, 'invalid', 'answers.liked');
	assertStatus(await api(pub, 'POST', `/api/portal/surveys/${tok}`,
		{ answers: { csat: 4, where: 'friend', liked: ['speed', 'manner'] } }), 201);
	const r = assertStatus(await api(agent, 'GET', `/api/survey-responses?customer_id=${cust.id}`), 200).items[0];
	assert.deepEqual(r.answers.map((a) => [a.key, a.value ?? a.text]), [['csat', 4], ['where', 'friend'], ['liked', 'speed,manner']]);
	// the results per question
	const res = assertStatus(await api(sup, 'GET', `/api/reports/survey-results?template_id=${t.id}`), 200);
	assert.equal(res.responses, 1);
	const [qc, qw, ql] = res.questions;
	assert.equal(qc.answered, 1);
	assert.deepEqual(qc.histogram.map((h) => h.count), [0, 0, 0, 1, 0]);
	assert.equal(qc.score, 10000);
	assert.deepEqual(qw.options, { friend: 1, ad: 0 });
	assert.deepEqual(ql.options, { speed: 1, manner: 1, price: 0 });
	assertProblem(await api(sup, 'GET', '/api/reports/survey-results'), 422, 'invalid', 'template_id');
	assertProblem(await api(agent, 'GET', `/api/reports/survey-results?template_id=${t.id}`), 403);
	// the questions are frozen now; the name is not
	assertProblem(await api(sup, 'PATCH', `/api/survey-templates/${t.id}`,
		{ questions: [{ key: 'x', kind: 'text', text_zh: '新' }] }), 409, 'conflict', 'questions');
	assert.equal(assertStatus(await api(sup, 'PATCH', `/api/survey-templates/${t.id}`, { name: '门店调查 2' }), 200).name, '门店调查 2');
	assert.equal((await api(sup, 'DELETE', `/api/survey-templates/${t.id}`)).status, 204);
	const got = assertStatus(await api(agent, 'GET', `/api/survey-templates/${t.id}`), 200);
	assert.equal(got.active, false);
	assert.equal(got.responses, 1);
	assert.ok(!assertStatus(await api(agent, 'GET', '/api/survey-templates?active=1'), 200).items.some((x) => x.id === t.id));
});

test('campaigns: preview of the filtered customers, send once per period', async () => {
	const tag = `调查${rand(3)}`;
	const a = await createCustomer(agent, { name: '吴甲', tags: [tag] });
	const b = await createCustomer(agent, { name: '郑乙', tags: [tag] });
	await createCustomer(agent, { name: '冯丙' });
	const tpl = assertStatus(await api(sup, 'GET', '/api/survey-templates?active=1'), 200).items[0].id;
	assertProblem(await api(sup, 'POST', '/api/survey-campaigns', { name: 'x', template_id: tpl, filter: { colour: 'red' } }),
		422, 'invalid', 'filter.colour');
	assertProblem(await api(sup, 'POST', '/api/survey-campaigns', { name: 'x', template_id: tpl, filter: { tier: 'gold' } }),
		422, 'invalid', 'filter.tier');
	assertProblem(await api(sup, 'POST', '/api/survey-campaigns', { name: 'x', template_id: tpl, period: 'weekly' }),
		422, 'invalid', 'period');
	const m = assertStatus(await api(sup, 'POST', '/api/survey-campaigns',
		{ name: '季度满意度', template_id: tpl, filter: { tag }, period: 'quarterly' }), 201);
	assert.equal(m.state, 'draft');
	const p = assertStatus(await api(sup, 'GET', `/api/survey-campaigns/${m.id}/preview`), 200);
	assert.equal(p.count, 2);
	assert.deepEqual(p.items.map((x) => x.id).sort((x, y) => x - y), [a.id, b.id].sort((x, y) => x - y));
	const s1 = assertStatus(await api(sup, 'POST', `/api/survey-campaigns/${m.id}/send`), 200);
	assert.equal(s1.created, 2);
	assert.match(s1.period, /^\d{4}-Q[1-4]$/);
	const s2 = assertStatus(await api(sup, 'POST', `/api/survey-campaigns/${m.id}/send`), 200);
	assert.equal(s2.created, 0, 'the same period is not sent twice');
	const got = assertStatus(await api(sup, 'GET', `/api/survey-campaigns/${m.id}`), 200);
	assert.equal(got.state, 'active');
	assert.equal(got.last_period, s1.period);
	assert.equal(got.sent_count, 2);
	const invs = assertStatus(await api(agent, 'GET', `/api/survey-invitations?campaign_id=${m.id}`), 200).items;
	assert.equal(invs.length, 2);
	assert.ok(invs.every((i) => i.source === 'campaign' && i.state === 'pending'));
	// the job sends active periodic campaigns once per period too: nothing new now
	await runJobs();
	assert.equal(assertStatus(await api(agent, 'GET', `/api/survey-invitations?campaign_id=${m.id}`), 200).items.length, 2);
	assert.equal(assertStatus(await api(sup, 'PATCH', `/api/survey-campaigns/${m.id}`, { state: 'stopped' }), 200).state, 'stopped');
	assertProblem(await api(agent, 'GET', '/api/survey-campaigns'), 403);
});

test('expectation sheets: gaps per attribute and customer; a large negative gap raises a follow-up', async () => {
	const cust = await createCustomer(agent, { name: '陈期望', phone: newPhone().local });
	const s = assertStatus(await api(agent, 'POST', '/api/expectation-sheets', {
		customer_id: cust.id, title: '空调安装',
		items: [
			{ attribute: '准时', expected_level: 5, expected_words: '约好的时间到' },
			{ attribute: '整洁', expected_level: 3, expected_words: '不留垃圾' },
		],
	}), 201, 'sheet');
	assert.equal(s.gap_mean_x100, null);
	assert.equal(s.alert, false);
	assert.equal(s.followup_id, null);
	assertProblem(await api(agent, 'PATCH', `/api/expectation-sheets/${s.id}`,
		{ items: [{ attribute: '准时', expected_level: 5, perceived_level: 9 }] }), 422, 'invalid', 'items[0].perceived_level');
	assertProblem(await api(agent, 'PATCH', `/api/expectation-sheets/${s.id}`,
		{ items: [{ attribute: '准时', expected_level: 5 }, { attribute: '准时', expected_level: 3 }] }), 422, 'invalid', 'items[1].attribute');
	const p = assertStatus(await api(agent, 'PATCH', `/api/expectation-sheets/${s.id}`, {
		items: [
			{ attribute: '准时', expected_level: 5, expected_words: '约好的时间到', perceived_level: 2, perceived_words: '迟到两小时' },
			{ attribute: '整洁', expected_level: 3, expected_words: '不留垃圾', perceived_level: 4 },
		],
	}), 200);
	assert.deepEqual(p.items.map((i) => i.gap), [-3, 1]);
	assert.equal(p.gap_total, -2);
	assert.equal(p.gap_mean_x100, -100);
	assert.equal(p.gap_worst, -3);
	assert.equal(p.alert, true);
	assert.ok(p.followup_id);
	const fu = assertStatus(await api(agent, 'GET', `/api/followups/${p.followup_id}`), 200);
	assert.equal(fu.kind, 'expectation_gap');
	// saved again: still one follow-up
	const p2 = assertStatus(await api(agent, 'PATCH', `/api/expectation-sheets/${s.id}`, { title: '空调安装（复核）' }), 200);
	assert.equal(p2.followup_id, p.followup_id);
	const list = assertStatus(await api(agent, 'GET', `/api/expectation-sheets?customer_id=${cust.id}`), 200).items;
	assert.equal(list.length, 1);
	assert.equal(list[0].items.length, 2);
	const gaps = assertStatus(await api(sup, 'GET', '/api/reports/expectation-gaps'), 200).items;
	const onTime = gaps.find((g) => g.attribute === '准时');
	assert.equal(onTime.expected_x100, 500);
	assert.equal(onTime.perceived_x100, 200);
	assert.equal(onTime.gap_x100, -300);
	assert.equal(onTime.large_negative, 1);
});

test('competitor scores: entered by hand, checked, in the report', async () => {
	const name = `竞品${rand(2)}`;
	assertProblem(await api(sup, 'POST', '/api/competitor-scores', { competitor: name, period: '2026-13', measure: 'nps', score: 10 }),
		422, 'invalid', 'period');
	assertProblem(await api(sup, 'POST', '/api/competitor-scores', { competitor: name, period: '2026-11', measure: 'csat', score: -5 }),
		422, 'invalid', 'score');
	assertProblem(await api(agent, 'POST', '/api/competitor-scores', { competitor: name, period: '2026-11', measure: 'nps', score: 10 }), 403);
	const c = assertStatus(await api(sup, 'POST', '/api/competitor-scores',
		{ competitor: name, period: '2026-Q4', measure: 'nps', score: 2150, source: '行业报告' }), 201);
	assertProblem(await api(sup, 'POST', '/api/competitor-scores',
		{ competitor: name, period: '2026-Q4', measure: 'nps', score: 1 }), 409, 'conflict', 'period');
	assert.equal(assertStatus(await api(sup, 'PATCH', `/api/competitor-scores/${c.id}`, { score: 2000 }), 200).score, 2000);
	const rep = assertStatus(await api(sup, 'GET', '/api/reports/satisfaction'), 200);
	assert.ok(rep.competitors.some((x) => x.competitor === name && x.score === 2000 && x.period === '2026-Q4'));
	assert.equal((await api(sup, 'DELETE', `/api/competitor-scores/${c.id}`)).status, 204);
	assertProblem(await api(sup, 'DELETE', `/api/competitor-scores/${c.id}`), 404);
});

test('with the portal address and a sender set, a rule\'s link is e-mailed to the customer', async () => {
	assertProblem(await api(admin, 'PUT', '/api/portal-settings', { base_url: 'kefu.example.com' }), 422, 'invalid', 'base_url');
	assertStatus(await api(admin, 'PUT', '/api/portal-settings', { base_url: 'https://kefu.example.com/', company_name: '示例电器' }), 200);
	assertStatus(await api(admin, 'PUT', '/api/mail/settings', { from_address: 'service@kefu.test', from_name: '客服中心' }), 200, 'mail settings');
	const withMail = await createCustomer(agent, { name: '何邮件', phone: newPhone().local, email: `he${rand(3)}@example.com` });
	const without = await createCustomer(agent, { name: '何无邮', phone: newPhone().local });
	const c1 = await closedCase(withMail.id, '邮件送链接');
	const c2 = await closedCase(without.id, '没有邮箱');
	await runJobs();
	const i1 = assertStatus(await api(agent, 'GET', `/api/survey-invitations?case_id=${c1.id}`), 200).items[0];
	const i2 = assertStatus(await api(agent, 'GET', `/api/survey-invitations?case_id=${c2.id}`), 200).items[0];
	assert.equal(i1.delivery, 'email');
	assert.equal(i2.delivery, '', 'no address: staff pass the link on');
	const mails = assertStatus(await api(agent, 'GET', `/api/mail/messages?case_id=${c1.id}`), 200).items;
	assert.equal(mails.length, 1, JSON.stringify(mails).slice(0, 400));
	assert.equal(mails[0].direction, 'out');
	assert.equal(mails[0].to, withMail.email);
	assert.match(mails[0].subject, /示例电器满意度调查/);
	assert.ok(mails[0].text.includes(`https://kefu.example.com${i1.url}`), mails[0].text);
	// the mailed link works
	const tok = i1.url.slice('/portal/s/'.length);
	assertStatus(await api(pub, 'GET', `/api/portal/surveys/${tok}`), 200);
});

test('null days leave a survey rule as it is, and give a link made by hand its 14 days', async () => {
	const before = assertStatus(await api(sup, 'GET', '/api/survey-rules'), 200).items.find((x) => x.rule === 'case_closed');
	assertStatus(await api(sup, 'PATCH', '/api/survey-rules/case_closed', { min_days: 10, expires_days: 20 }), 200);
	const rule = assertStatus(await api(sup, 'PATCH', '/api/survey-rules/case_closed', { min_days: null, expires_days: null }), 200);
	assert.equal(rule.min_days, 10);
	assert.equal(rule.expires_days, 20);
	assertStatus(await api(sup, 'PATCH', '/api/survey-rules/case_closed', { min_days: before.min_days, expires_days: before.expires_days }), 200);
	const cust = await createCustomer(agent, { name: '周默认', phone: newPhone().local });
	const t0 = Date.now();
	const inv = assertStatus(await api(agent, 'POST', '/api/survey-invitations', { customer_id: cust.id, expires_days: null }), 201);
	assert.ok(inv.expires_at >= t0 + 14 * 86400_000 && inv.expires_at <= Date.now() + 14 * 86400_000, `expires_at ${inv.expires_at}`);
});
