// Cases (issue 4): one complaint walked through the whole loop by an agent and a supervisor,
// every illegal step refused with 409 (403 for a supervisor's step) naming the allowed steps,
// the timeline showing every event with its actor; the simple flow; validation; scoping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, adminSession, assertProblem, assertStatus, createCustomer,
} from './lib.mjs';
import {
	DAY, department, staff, createCase, getCase, step, ok, phone, assertAllowed,
} from './cases_fixtures.mjs';

process.env.KEFU_JOBS_INTERVAL = '0';

let srv, admin, intake, aftersales, agent, fixer, outsider, supervisor, intakeSup, flow;

before(async () => {
	srv = await startServer('cases');
	admin = await adminSession(srv);
	intake = await department(admin, '客服一部');
	aftersales = await department(admin, '售后服务部');
	const other = await department(admin, '其他部门');
	agent = await staff(srv, admin, { display_name: '李晓雯', department_id: intake, capability: 4 });
	fixer = await staff(srv, admin, { display_name: '黄丽', department_id: aftersales, capability: 3 });
	outsider = await staff(srv, admin, { display_name: '外人', department_id: other, capability: 5 });
	supervisor = await staff(srv, admin, { role: 'supervisor', display_name: '王主管', department_id: aftersales });
	intakeSup = await staff(srv, admin, { role: 'supervisor', display_name: '赵主管', department_id: intake });
	flow = assertStatus(await api(agent, 'GET', '/api/case-flow'), 200);
});

after(async () => {
	await srv?.stop();
});

const complaintActions = () => [...new Set(flow.transitions.filter((t) => t.flow === 'complaint').map((t) => t.action))];

/** Every action the user may not take now is refused, naming what may be taken instead. */
async function everyIllegalStepRefused(session, id) {
	const now = assertStatus(await api(session, 'GET', `/api/cases/${id}/transitions`), 200);
	const allowed = now.allowed.map((a) => a.action);
	for (const action of complaintActions()) {
		if (allowed.includes(action))
			continue;
		const res = await step(session, id, action);
		const row = flow.transitions.find((t) => t.flow === 'complaint' && t.from === now.state && t.action === action);
		// A step that exists for a higher role is forbidden; anything else conflicts with the state.
		const status = row && row.role === 'supervisor' && session.user.role === 'agent' ? 403 : 409;
		const p = assertAllowed(res, status, allowed);
		assert.equal(p.state, now.state);
		assertProblem(res, status);
	}
	const after = await getCase(session, id);
	assert.equal(after.state, now.state, 'refused steps change nothing');
	assert.equal(after.version, now.version, 'refused steps change nothing');
	return allowed;
}

test('the case-flow document lists states, actions, transitions and vocabularies', async () => {
	assert.ok(flow.states.find((s) => s.state === 'intake' && s.label_zh === '受理'));
	assert.ok(flow.states.find((s) => s.state === 'archived' && s.open === false));
	assert.ok(flow.transitions.find((t) => t.from === 'planning' && t.action === 'approve_plan' && t.role === 'supervisor'));
	const judge = flow.transitions.find((t) => t.action === 'judge_justified');
	assert.deepEqual(judge.required.sort(), ['demand_reasonable', 'department_id', 'investigation_due_at']);
	assert.deepEqual(flow.vocabularies.emotion.map((e) => e.code).sort(), ['angry', 'anxious', 'calm', 'loud', 'sad']);
	assert.equal(flow.vocabularies.checklist.length, 6);
	assert.equal(flow.vocabularies.checklist[0].zh, '道歉受理');
	assert.deepEqual(flow.vocabularies.after_sales.map((e) => e.code),
		['return_exchange', 'repair', 'installation', 'tech_support']);
});

test('one complaint through the whole loop, with every illegal step refused and a full timeline', async () => {
	// 受理: an angry caller we do not know yet; the case gets a number and an owner.
	const tel = phone();
	let c = await createCase(agent, {
		type: 'complaint', channel: 'phone', subject: '空调修了三次还是不制冷', emotion: 'angry',
		demand: '要求退货并赔偿', description: '客户情绪激动，已耐心倾听', severity: 'major',
		customer: { phone: tel, name: '陈先生' }, tags: ['空调', '重复维修'],
	});
	assert.match(c.number, /^C\d{6}-\d{4,}$/);
	assert.equal(c.state, 'intake');
	assert.equal(c.customer.name, '陈先生');
	assert.equal(c.customer.phone, `+86${tel}`);
	assert.equal(c.department.id, intake, "the creator's department");
	assert.equal(c.assignee.id, agent.user.id, 'auto-assigned to the capable agent of the department');
	assert.equal(c.required_capability, 3);
	assert.equal(c.sla.policy.name, '投诉 Complaints');
	assert.equal(typeof c.sla.first_response.due_at, 'number');
	assert.deepEqual(c.allowed_actions.sort(), ['accept', 'wait_customer'].sort());
	const id = c.id;
	await everyIllegalStepRefused(agent, id);
	// A supervisor of the intake department sees cancel as well.
	assert.deepEqual((await getCase(intakeSup, id)).allowed_actions.sort(), ['accept', 'cancel', 'wait_customer']);

	// The six conversation steps, ticked as the agent goes.
	for (const s of flow.vocabularies.checklist) {
		c = assertStatus(await api(agent, 'POST', `/api/cases/${id}/checklist`, { step: s.code }), 200);
	}
	assert.ok(c.checklist.every((s) => s.done));
	c = assertStatus(await api(agent, 'POST', `/api/cases/${id}/checklist`, { step: 'thank', done: false }), 200);
	assert.equal(c.checklist.find((s) => s.step === 'thank').done, false);
	c = assertStatus(await api(agent, 'POST', `/api/cases/${id}/checklist`, { step: 'thank', done: true }), 200);
	assertProblem(await api(agent, 'POST', `/api/cases/${id}/checklist`, { step: 'smile' }), 422, 'invalid', 'step');

	c = await ok(agent, id, 'accept', { note: '已致歉并受理，承诺今天内给出判定' });
	assert.equal(c.state, 'assessment');
	assert.equal(typeof c.first_response_at, 'number', 'accepting is the first response');
	assert.equal(c.sla.first_response.status, 'met');
	assert.equal(typeof c.accepted_at, 'number');
	await everyIllegalStepRefused(agent, id);

	// 判定: justified, but the demand (refund after the warranty) is unreasonable: a recorded judgement.
	assertProblem(await step(agent, id, 'judge_justified', { demand_reasonable: true }), 422, 'invalid', 'department_id');
	assertProblem(await step(agent, id, 'judge_justified', {
		department_id: aftersales, investigation_due_at: Date.now() + 2 * DAY, demand_reasonable: false,
	}), 422, 'invalid', 'demand_note');
	assertProblem(await step(agent, id, 'judge_justified', {
		department_id: 999999, investigation_due_at: Date.now() + 2 * DAY, demand_reasonable: true,
	}), 422, 'invalid', 'department_id');
	assertProblem(await step(agent, id, 'judge_justified', {
		department_id: aftersales, investigation_due_at: Date.now() - 3 * DAY, demand_reasonable: true,
	}), 422, 'invalid', 'investigation_due_at');
	const agreed = Date.now() + 2 * DAY;
	c = await ok(agent, id, 'judge_justified', {
		department_id: aftersales, investigation_due_at: agreed, demand_reasonable: false,
		demand_note: '已过保修期，退货超出行业标准；可免费再修一次', note: '与客户约定两天内调查完毕',
	});
	assert.equal(c.state, 'planning');
	assert.equal(c.justified, true);
	assert.equal(c.demand_reasonable, false);
	assert.match(c.demand_note, /行业标准/);
	assert.equal(c.investigation_due_at, agreed);
	assert.equal(c.department.id, aftersales, 'the responsible department');
	await everyIllegalStepRefused(agent, id);

	// 方案: the responsible department (now able to see the case) and the agent propose.
	assert.equal((await api(fixer, 'GET', `/api/cases/${id}`)).status, 200, 'the responsible department sees it');
	assertProblem(await api(fixer, 'POST', `/api/cases/${id}/plans`, { kind: 'fix-it' }), 422, 'invalid', 'plan.kind');
	assertProblem(await api(fixer, 'POST', `/api/cases/${id}/plans`, { kind: 'repair' }), 422, 'invalid', 'plan.description');
	c = assertStatus(await api(fixer, 'POST', `/api/cases/${id}/plans`, {
		kind: 'repair', description: '派高级技师上门免费更换压缩机', amount_fen: 0,
	}), 201);
	c = await ok(agent, id, 'propose_plan', { plan: { kind: 'compensation', description: '赔偿 500 元', amount_fen: 50000 } });
	assert.equal(c.pending_plans, 2);
	assert.equal(c.plans.length, 2);
	const [repair, money] = c.plans;
	assert.equal(repair.proposed_by.id, fixer.user.id);
	assert.equal(money.amount_fen, 50000);
	// An agent may not decide; the refusal still names the agent's steps.
	assertAllowed(await api(agent, 'POST', `/api/cases/${id}/plans/${repair.id}/approve`, {}), 403,
		['propose_plan', 'wait_customer']);
	await everyIllegalStepRefused(agent, id);
	// The supervisor's "awaiting my approval" view and count.
	const approval = assertStatus(await api(supervisor, 'GET', '/api/cases?view=approval'), 200);
	assert.deepEqual(approval.items.map((x) => x.id), [id]);
	assert.equal(assertStatus(await api(supervisor, 'GET', '/api/cases/counts'), 200).approval, 1);
	assertProblem(await api(agent, 'GET', '/api/cases?view=approval'), 403, 'forbidden');
	// Reject one with a reason, approve the other.
	assertProblem(await api(supervisor, 'POST', `/api/cases/${id}/plans/${money.id}/reject`, {}), 422, 'invalid', 'reason');
	c = assertStatus(await api(supervisor, 'POST', `/api/cases/${id}/plans/${money.id}/reject`,
		{ reason: '金额超出授权，先修理' }), 200);
	assert.equal(c.state, 'planning');
	assert.equal(c.pending_plans, 1);
	assertAllowed(await api(supervisor, 'POST', `/api/cases/${id}/plans/${money.id}/approve`, {}), 409);
	const other = await createCase(agent, { type: 'complaint', channel: 'web', subject: '别的投诉', customer: { phone: phone() } });
	assertProblem(await api(supervisor, 'POST', `/api/cases/${other.id}/plans/${repair.id}/approve`, {}), 404);
	c = assertStatus(await api(supervisor, 'POST', `/api/cases/${id}/plans/${repair.id}/approve`, { note: '同意' }), 200);
	assert.equal(c.state, 'handling');
	assert.equal(c.approved_plan_id, repair.id);
	assert.equal(c.plans.find((p) => p.id === repair.id).status, 'approved');
	assert.equal(c.plans.find((p) => p.id === repair.id).decided_by.id, supervisor.user.id);
	assert.equal(c.plans.find((p) => p.id === money.id).status, 'rejected');
	assert.equal(c.plans.find((p) => p.id === money.id).decision_note, '金额超出授权，先修理');
	await everyIllegalStepRefused(agent, id);

	// 处理: keep the customer informed; waiting on them stops the clock, their answer restarts it.
	c = await ok(fixer, id, 'wait_customer', { note: '等客户确认上门时间' });
	assert.equal(c.paused, true);
	assert.equal(c.sla.resolution.status, 'paused');
	assert.equal(c.sla.due_at, null, 'a paused case is not due');
	assertAllowed(await step(fixer, id, 'wait_customer'), 409, ['customer_replied', 'finish_handling']);
	const msg = assertStatus(await api(agent, 'POST', `/api/cases/${id}/events`,
		{ kind: 'customer', body: '客户：明天上午在家' }), 201);
	assert.equal(msg.public, true);
	c = await getCase(agent, id);
	assert.equal(c.paused, false, "the customer's answer resumes the clock");
	assert.equal(c.state, 'handling');
	assertStatus(await api(fixer, 'POST', `/api/cases/${id}/events`, { kind: 'reply', body: '师傅明天 10 点到' }), 201);
	assertStatus(await api(fixer, 'POST', `/api/cases/${id}/events`, { kind: 'note', body: '压缩机型号 X-200' }), 201);
	assertProblem(await step(fixer, id, 'finish_handling', { result: '   ' }), 422, 'invalid', 'result');
	c = await ok(fixer, id, 'finish_handling', { result: '已更换压缩机，试机正常' });
	assert.equal(c.state, 'follow_up');
	assert.equal(typeof c.resolved_at, 'number', 'the resolution target is met when handling is done');
	assert.equal(c.sla.resolution.status, 'met');
	assert.equal(typeof c.handled_at, 'number');

	// 回访 then 归档: the archive waits for the follow-up; the root cause must be an active one.
	const refused = assertAllowed(await step(agent, id, 'archive', { root_cause_id: 1 }), 409,
		['record_follow_up', 'rework', 'wait_customer']);
	assert.equal(refused.field, 'outcome');
	assertProblem(await step(agent, id, 'record_follow_up', { outcome: 'happy' }), 422, 'invalid', 'outcome');
	c = await ok(agent, id, 'record_follow_up', { outcome: 'satisfied', note: '客户表示满意，感谢回访' });
	assert.equal(c.follow_up_outcome, 'satisfied');
	assert.equal(typeof c.followed_up_at, 'number');
	const causes = assertStatus(await api(agent, 'GET', '/api/root-causes?active=1'), 200).items;
	const quality = causes.find((x) => x.code === 'product_quality');
	const gone = assertStatus(await api(admin, 'POST', '/api/root-causes',
		{ code: `old_${Date.now() % 100000}`, name_zh: '旧原因', name_en: 'Old', active: false }), 201);
	assertProblem(await step(agent, id, 'archive', { root_cause_id: gone.id }), 422, 'invalid', 'root_cause_id');
	c = await ok(agent, id, 'archive', { root_cause_id: quality.id });
	assert.equal(c.state, 'archived');
	assert.equal(c.open, false);
	assert.equal(c.root_cause.code, 'product_quality');
	assert.equal(typeof c.archived_at, 'number');
	assert.deepEqual(c.allowed_actions, ['reopen']);
	await everyIllegalStepRefused(agent, id);

	// The timeline: every event, in order, each with its actor.
	const tl = assertStatus(await api(agent, 'GET', `/api/cases/${id}/events`), 200).items;
	const kinds = tl.map((e) => (e.kind === 'transition' ? e.data.action : e.kind));
	assert.deepEqual(kinds, [
		'created', ...Array(6).fill('checklist'), 'checklist', 'checklist', 'accept', 'judge_justified',
		'propose_plan', 'propose_plan', 'reject_plan', 'approve_plan', 'wait_customer', 'customer_replied',
		'customer', 'reply', 'note', 'finish_handling', 'record_follow_up', 'archive',
	]);
	const actorOf = (k) => tl.filter((e) => (e.kind === 'transition' ? e.data.action : e.kind) === k).map((e) => e.actor.id);
	assert.deepEqual(actorOf('created'), [agent.user.id]);
	assert.deepEqual(actorOf('approve_plan'), [supervisor.user.id]);
	assert.deepEqual(actorOf('reject_plan'), [supervisor.user.id]);
	assert.deepEqual(actorOf('propose_plan'), [fixer.user.id, agent.user.id]);
	assert.deepEqual(actorOf('finish_handling'), [fixer.user.id]);
	for (const e of tl) {
		assert.ok(e.actor && e.actor.display_name, `event ${e.kind} has an actor`);
		assert.equal(typeof e.at, 'number');
	}
	assert.equal(tl.find((e) => e.kind === 'note').public, false, 'notes are internal');
	assert.equal(tl.find((e) => e.data.action === 'reject_plan').public, false);
	assert.equal(tl.find((e) => e.data.action === 'accept').public, true, 'status changes are public');
	assert.equal(tl.find((e) => e.data.action === 'judge_justified').data.fields.demand_note, '已过保修期，退货超出行业标准；可免费再修一次');
	assert.equal(tl.find((e) => e.data.action === 'accept').body, '已致歉并受理，承诺今天内给出判定');
	// Paging the timeline.
	const page1 = assertStatus(await api(agent, 'GET', `/api/cases/${id}/events?limit=5`), 200);
	assert.equal(page1.items.length, 5);
	const page2 = assertStatus(await api(agent, 'GET', `/api/cases/${id}/events?limit=5&cursor=${page1.next_cursor}`), 200);
	assert.deepEqual(page2.items.map((e) => e.id), tl.slice(5, 10).map((e) => e.id));
	// The audit log has the steps too.
	const audit = assertStatus(await api(admin, 'GET', `/api/customers/${c.customer.id}/audit`), 200);
	assert.ok(audit.items.length >= 1, 'the customer created on the fly is audited');

	// The customer comes back: reopen (with a reason) goes to assessment again.
	assertProblem(await step(agent, id, 'reopen'), 422, 'invalid', 'reason');
	c = await ok(agent, id, 'reopen', { reason: '一周后又不制冷' });
	assert.equal(c.state, 'assessment');
	assert.equal(c.open, true);
	assert.equal(c.reopen_count, 1);
	assert.equal(c.resolved_at, null);
	assert.equal(c.follow_up_outcome, null);
	assert.equal(typeof c.reopened_at, 'number');
	assert.equal(typeof c.sla.resolution.due_at, 'number', 'a new resolution target');
});

test('a complaint judged not justified is closed with the explanation recorded', async () => {
	const c0 = await createCase(agent, { type: 'complaint', channel: 'wechat', subject: '快递太慢', customer: { phone: phone() } });
	await ok(agent, c0.id, 'accept');
	assertProblem(await step(agent, c0.id, 'judge_unjustified', { demand_reasonable: true }), 422, 'invalid', 'explanation');
	const c = await ok(agent, c0.id, 'judge_unjustified', {
		explanation: '已按承诺时效送达，向客户说明了物流规则，客户表示理解', demand_reasonable: true,
	});
	assert.equal(c.state, 'closed');
	assert.equal(c.open, false);
	assert.equal(c.justified, false);
	assert.match(c.explanation, /客户表示理解/);
	assert.equal(typeof c.closed_at, 'number');
	assert.equal(typeof c.resolved_at, 'number');
	assert.deepEqual(c.allowed_actions, ['reopen']);
	// A supervisor cancels a duplicate.
	const dup = await createCase(agent, { type: 'complaint', channel: 'phone', subject: '重复来电', customer_id: c.customer.id });
	assertAllowed(await step(agent, dup.id, 'cancel', { reason: '重复' }), 403, ['accept', 'wait_customer']);
	const cancelled = await ok(intakeSup, dup.id, 'cancel', { reason: '与 ' + c.number + ' 重复' });
	assert.equal(cancelled.state, 'closed');
});

test('the simple flow: inquiry open → pending (clock stops) → customer answers → resolved → closed → reopened', async () => {
	let c = await createCase(agent, { type: 'inquiry', channel: 'email', subject: '发票怎么开', customer: { phone: phone() } });
	assert.equal(c.state, 'open');
	assert.equal(c.flow, 'simple');
	assert.equal(c.checklist.length, 6);
	assertProblem(await api(agent, 'POST', `/api/cases/${c.id}/checklist`, { step: 'thank' }), 409, 'conflict', 'step');
	assertAllowed(await step(agent, c.id, 'accept'), 409, ['wait_customer', 'resolve']);
	c = await ok(agent, c.id, 'wait_customer', { note: '请客户提供订单号' });
	assert.equal(c.state, 'pending');
	assert.equal(c.paused, true);
	assert.equal(typeof c.first_response_at, 'number', 'asking the customer is a response');
	assertStatus(await api(agent, 'POST', `/api/cases/${c.id}/events`, { kind: 'customer', body: '订单号 123' }), 201);
	c = await getCase(agent, c.id);
	assert.equal(c.state, 'open', 'the answer reopens the pending case');
	assert.equal(c.paused, false);
	assertProblem(await step(agent, c.id, 'resolve'), 422, 'invalid', 'resolution');
	c = await ok(agent, c.id, 'resolve', { resolution: '已开具电子发票并发送至邮箱' });
	assert.equal(c.state, 'resolved');
	assert.equal(c.open, true);
	c = await ok(agent, c.id, 'close');
	assert.equal(c.state, 'closed');
	assert.equal(c.open, false);
	c = await ok(agent, c.id, 'reopen', { reason: '客户说没收到' });
	assert.equal(c.state, 'open');
	assert.equal(c.reopen_count, 1);
});

test('create: the customer by id, by a known phone, or new; validation names the field', async () => {
	const known = await createCustomer(admin, { name: '老客户', phone: '138 0000 1111', value_class: 'key' });
	const byPhone = await createCase(agent, { type: 'after_sales', subtype: 'repair', channel: 'visit', subject: '洗衣机漏水', customer: { phone: '+86 138-0000-1111' } });
	assert.equal(byPhone.customer.id, known.id, 'found by the normalised phone');
	assert.equal(byPhone.key_account, true);
	assert.equal(byPhone.required_capability, 2, 'a key account needs one level more');
	const byId = await createCase(agent, { type: 'praise', channel: 'api', subject: '表扬师傅', customer_id: known.id });
	assert.equal(byId.customer.id, known.id);
	const fresh = await createCase(agent, { type: 'suggestion', channel: 'web', subject: '建议增加夜间热线', customer: { phone: '13911112222' } });
	assert.equal(fresh.customer.name, '来电客户 2222');
	const bad = [
		[{ channel: 'phone', subject: 'x', customer_id: known.id }, 'type'],
		[{ type: 'gripe', channel: 'phone', subject: 'x', customer_id: known.id }, 'type'],
		[{ type: 'inquiry', subject: 'x', customer_id: known.id }, 'channel'],
		[{ type: 'inquiry', channel: 'fax', subject: 'x', customer_id: known.id }, 'channel'],
		[{ type: 'inquiry', channel: 'phone', customer_id: known.id }, 'subject'],
		[{ type: 'inquiry', channel: 'phone', subject: '', customer_id: known.id }, 'subject'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x'.repeat(201), customer_id: known.id }, 'subject'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x', customer_id: known.id, emotion: 'furious' }, 'emotion'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x', customer_id: known.id, priority: 'asap' }, 'priority'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x', customer_id: known.id, subtype: 'repair' }, 'subtype'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x' }, 'customer_id'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x', customer_id: known.id, customer: { phone: '13911112222' } }, 'customer_id'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x', customer: { phone: '12345' } }, 'customer.phone'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x', customer: { name: '无号码' } }, 'customer.phone'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x', customer: { phone: '13911112222', age: 3 } }, 'customer.age'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x', customer_id: 999999 }, 'customer_id'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x', customer_id: known.id, received_at: Date.now() + DAY }, 'received_at'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x', customer_id: known.id, tags: ['a,b'] }, 'tags'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x', customer_id: known.id, department_id: 999999 }, 'department_id'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x', customer_id: known.id, assignee_id: 999999 }, 'assignee_id'],
		[{ type: 'inquiry', channel: 'phone', subject: 'x', customer_id: known.id, colour: 'red' }, 'colour'],
	];
	for (const [body, field] of bad)
		assertProblem(await api(agent, 'POST', '/api/cases', body), 422, 'invalid', field);
	// Messages come in both languages.
	const en = await api(agent, 'POST', '/api/cases', { type: 'inquiry', channel: 'fax', subject: 'x', customer_id: known.id },
		{ headers: { 'Accept-Language': 'en' } });
	assert.match(assertProblem(en, 422).detail, /channel/);
	assert.match(assertProblem(await api(agent, 'POST', '/api/cases', { type: 'inquiry', channel: 'fax', subject: 'x', customer_id: known.id }), 422).detail, /渠道/);
	// Agents hand cases only to themselves.
	assertProblem(await api(agent, 'POST', '/api/cases', { type: 'inquiry', channel: 'phone', subject: 'x', customer_id: known.id, assignee_id: fixer.user.id }),
		403, 'forbidden', 'assignee_id');
	const mine = await createCase(agent, { type: 'inquiry', channel: 'phone', subject: '我来处理', customer_id: known.id, assignee_id: agent.user.id });
	assert.equal(mine.assignee.id, agent.user.id);
	// Unknown actions and stale versions.
	assertProblem(await step(agent, mine.id, 'teleport'), 422, 'invalid', 'action');
	assertProblem(await step(agent, mine.id, 'resolve', { resolution: 'x', version: mine.version + 5 }), 409, 'conflict', 'version');
});

test('change a case: fields, priority (new targets), assignee (with notification); audit and timeline', async () => {
	const cust = await createCustomer(admin, { name: '改工单客户' });
	let c = await createCase(agent, { type: 'inquiry', channel: 'phone', subject: '原主题', customer_id: cust.id });
	const due0 = c.sla.resolution.due_at;
	c = assertStatus(await api(agent, 'PATCH', `/api/cases/${c.id}`, { subject: '新主题', emotion: 'anxious', version: c.version }), 200);
	assert.equal(c.subject, '新主题');
	assert.equal(c.emotion, 'anxious');
	assertProblem(await api(agent, 'PATCH', `/api/cases/${c.id}`, { subject: '旧版本', version: 1 }), 409, 'conflict', 'version');
	// The same values again change nothing: no new version, no timeline entry.
	const same = assertStatus(await api(agent, 'PATCH', `/api/cases/${c.id}`, { subject: '新主题', emotion: 'anxious', tags: [] }), 200);
	assert.equal(same.version, c.version);
	assertProblem(await api(agent, 'PATCH', `/api/cases/${c.id}`, { type: 'complaint' }), 422, 'invalid', 'type');
	c = assertStatus(await api(agent, 'PATCH', `/api/cases/${c.id}`, { priority: 'urgent' }), 200);
	assert.equal(c.sla.policy.name, '紧急 Urgent');
	assert.ok(c.sla.resolution.due_at < due0, 'urgent is due sooner');
	assert.equal(c.required_capability, 1);
	// A supervisor hands it to someone; the new assignee is told.
	c = assertStatus(await api(intakeSup, 'PATCH', `/api/cases/${c.id}`, { assignee_id: outsider.user.id }), 200);
	assert.equal(c.assignee.id, outsider.user.id);
	const notes = assertStatus(await api(outsider, 'GET', '/api/notifications?unread=1'), 200);
	assert.ok(notes.items.some((n) => n.kind === 'assigned' && n.case_id === c.id && n.case_number === c.number));
	assert.ok(notes.unread >= 1);
	assertProblem(await api(agent, 'PATCH', `/api/cases/${c.id}`, { assignee_id: agent.user.id }), 403, 'forbidden', 'assignee_id');
	const tl = assertStatus(await api(intakeSup, 'GET', `/api/cases/${c.id}/events`), 200).items;
	assert.ok(tl.some((e) => e.kind === 'assignment' && e.data.to === outsider.user.id && e.actor.id === intakeSup.user.id));
	assert.ok(tl.some((e) => e.kind === 'update' && e.data.subject === '新主题'));
	assert.equal(tl.filter((e) => e.kind === 'update' && 'subject' in e.data).length, 1, 'one update of the subject');
});

test('who sees a case: the assignee, the creator, its department; not other departments', async () => {
	const c = await createCase(agent, { type: 'inquiry', channel: 'phone', subject: '本部门的事', customer: { phone: phone() } });
	assert.equal((await api(agent, 'GET', `/api/cases/${c.id}`)).status, 200);
	assert.equal((await api(intakeSup, 'GET', `/api/cases/${c.id}`)).status, 200);
	assert.equal((await api(admin, 'GET', `/api/cases/${c.id}`)).status, 200);
	assertProblem(await api(outsider, 'GET', `/api/cases/${c.id}`), 404, 'not_found');
	assertProblem(await api(supervisor, 'GET', `/api/cases/${c.id}`), 404, 'not_found');
	assertProblem(await step(outsider, c.id, 'resolve', { resolution: 'x' }), 404, 'not_found');
	assertProblem(await api(outsider, 'GET', `/api/cases/${c.id}/events`), 404, 'not_found');
	const all = assertStatus(await api(outsider, 'GET', '/api/cases?view=all&limit=200'), 200);
	assert.ok(!all.items.some((x) => x.id === c.id));
	assertProblem(await api(outsider, 'GET', `/api/cases?view=department&department_id=${intake}`), 403, 'forbidden', 'department_id');
	assertProblem(await api(agent, 'GET', '/api/cases/abc'), 404);
	assertProblem(await api(agent, 'GET', '/api/cases/999999'), 404, 'not_found');
});

test('emotion at intake: the classifier suggests it when the agent names none; the agent decides', async () => {
	const cust = await createCustomer(admin, { name: '情绪客户' });
	const angry = '修了三次还是坏的，你们简直太过分了！！我要去消协投诉！';
	// No emotion named: the classifier's reading becomes the case's, marked as a suggestion.
	const s = await createCase(agent, { type: 'complaint', channel: 'phone', subject: '空调又坏了', description: angry, customer_id: cust.id });
	assert.equal(s.emotion, 'angry');
	assert.equal(s.emotion_source, 'suggested');
	assert.equal(s.emotion_suggestion.emotion, 'angry');
	assert.ok(s.emotion_suggestion.confidence > 0.2 && s.emotion_suggestion.confidence <= 1, JSON.stringify(s.emotion_suggestion));
	// Named: the agent's choice is the case's emotion; the reading is kept beside it.
	const a = await createCase(agent, { type: 'complaint', channel: 'phone', subject: '空调又坏了', description: angry, emotion: 'calm', customer_id: cust.id });
	assert.equal(a.emotion, 'calm');
	assert.equal(a.emotion_source, 'agent');
	assert.equal(a.emotion_suggestion.emotion, 'angry');
	// A calm inquiry reads calm.
	const q = await createCase(agent, { type: 'inquiry', channel: 'web', subject: '发票', description: '您好，请问电子发票在哪里下载？谢谢。', customer_id: cust.id });
	assert.equal(q.emotion, 'calm');
	assert.equal(q.emotion_source, 'suggested');
	// Confirming the suggestion (the same value) makes it the agent's; a new version, audited.
	const c = assertStatus(await api(agent, 'PATCH', `/api/cases/${s.id}`, { emotion: 'angry', version: s.version }), 200);
	assert.equal(c.emotion, 'angry');
	assert.equal(c.emotion_source, 'agent');
	assert.equal(c.version, s.version + 1);
	const tl = assertStatus(await api(agent, 'GET', `/api/cases/${s.id}/events`), 200).items;
	assert.ok(tl.some((e) => e.kind === 'update' && e.data.emotion_source === 'agent'), JSON.stringify(tl.map((e) => e.data)));
	// Then the same PATCH changes nothing.
	assert.equal(assertStatus(await api(agent, 'PATCH', `/api/cases/${s.id}`, { emotion: 'angry' }), 200).version, c.version);
});
