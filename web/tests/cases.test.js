// The cases module's pure logic: inbox state ⇄ URL ⇄ API, the loop as a stepper, step bodies,
// due times, lint segments, phone digits, event summaries.
import { describe, expect, it } from 'vitest';
import {
	actionBody,
	apiCaseQuery,
	buildCaseQuery,
	dueState,
	emptyActionForm,
	eventSummary,
	lintSegments,
	parseCaseQuery,
	phoneComplete,
	phoneDigits,
	spanParts,
	stepperSteps,
	yuanInput,
} from '../src/modules/cases/logic.js';

describe('inbox state and the URL', () => {
	it('defaults to my open cases, first page', () => {
		expect(parseCaseQuery({})).toEqual({ view: 'mine', filters: {}, sort: '', limit: 50, cursor: '' });
		expect(buildCaseQuery(parseCaseQuery({}))).toEqual({});
	});

	it('keeps known values only and round-trips', () => {
		const q = { view: 'overdue', type: 'complaint', priority: ['urgent', 'low'], bogus: 'x', sort: 'due', limit: '100', cursor: 'd1.2', q: ' C251125 ' };
		const s = parseCaseQuery(q);
		expect(s).toEqual({ view: 'overdue', filters: { type: 'complaint', priority: 'urgent', q: 'C251125' }, sort: 'due', limit: 100, cursor: 'd1.2' });
		expect(parseCaseQuery(buildCaseQuery(s))).toEqual(s);
	});

	it('keeps the periods a report links with (epoch ms) and passes them to the API', () => {
		const s = parseCaseQuery({ view: 'all', assignee: '7', closed_from: '1764000000000', closed_to: '1764600000000', created_from: 'soon' });
		expect(s.filters).toEqual({ assignee: '7', closed_from: '1764000000000', closed_to: '1764600000000' });
		expect(parseCaseQuery(buildCaseQuery(s))).toEqual(s);
		expect(apiCaseQuery(s)).toMatchObject({ view: 'all', assignee: '7', closed_from: '1764000000000', closed_to: '1764600000000' });
	});

	it('drops unknown views, sorts, limits and bad ids', () => {
		const s = parseCaseQuery({ view: 'nope', sort: 'random', limit: '7', customer_id: 'abc', open: 'maybe' });
		expect(s).toEqual({ view: 'mine', filters: {}, sort: '', limit: 50, cursor: '' });
	});

	it('a customer narrows "all" and becomes the API view customer', () => {
		const s = parseCaseQuery({ view: 'mine', customer_id: '42' });
		expect(s.view).toBe('all');
		expect(apiCaseQuery(s)).toEqual({ view: 'customer', customer_id: '42', limit: 50, sort: undefined, cursor: undefined });
	});

	it('the queue is the department view without an assignee', () => {
		const q = apiCaseQuery(parseCaseQuery({ view: 'queue', assignee: '7' }));
		expect(q.view).toBe('department');
		expect(q.assignee).toBe('none');
	});

	it('a department is named only in the department views', () => {
		expect(apiCaseQuery(parseCaseQuery({ view: 'overdue', department_id: '3' })).department_id).toBe('3');
		expect(apiCaseQuery(parseCaseQuery({ view: 'queue', department_id: '3' }))).toMatchObject({ view: 'department', department_id: '3', assignee: 'none' });
		expect(apiCaseQuery(parseCaseQuery({ view: 'mine', department_id: '3' })).department_id).toBeUndefined();
		expect(parseCaseQuery({ department_id: 'x' }).filters).toEqual({});
	});

	it('"mine" sends no assignee and no customer', () => {
		const q = apiCaseQuery({ view: 'mine', filters: { assignee: 'none', type: 'praise' }, limit: 20, cursor: 'q1.1' });
		expect(q).toEqual({ view: 'mine', type: 'praise', limit: 20, sort: undefined, cursor: 'q1.1' });
	});
});

describe('the complaint loop as a stepper', () => {
	const base = { flow: 'complaint', created_at: 1 };
	const statuses = (c) => stepperSteps(c).steps.map((s) => s.status);

	it('marks the steps done, current and to come', () => {
		expect(statuses({ ...base, state: 'intake' })).toEqual(['process', 'wait', 'wait', 'wait', 'wait', 'wait']);
		expect(statuses({ ...base, state: 'planning', accepted_at: 2, judged_at: 3 })).toEqual(['finish', 'finish', 'process', 'wait', 'wait', 'wait']);
		expect(statuses({ ...base, state: 'archived', archived_at: 9 })).toEqual(['finish', 'finish', 'finish', 'finish', 'finish', 'finish']);
	});

	it('a complaint judged not justified ends at the judgement', () => {
		const r = stepperSteps({ ...base, state: 'closed', justified: false, accepted_at: 2, judged_at: 3 });
		expect(r.ended).toBe('unjustified');
		expect(r.steps.map((s) => s.status)).toEqual(['finish', 'error', 'wait', 'wait', 'wait', 'wait']);
	});

	it('the loop starts when the customer got in touch', () => {
		const r = stepperSteps({ ...base, state: 'assessment', received_at: 0.5, accepted_at: 2 });
		expect(r.steps.map((s) => s.at)).toEqual([0.5, 2, null, null, null, null]);
		expect(stepperSteps({ ...base, state: 'intake' }).steps[0].at).toBe(1);
	});

	it('a cancelled complaint ends where it got to', () => {
		const r = stepperSteps({ ...base, state: 'closed', justified: true, accepted_at: 2, judged_at: 3 });
		expect(r.ended).toBe('cancelled');
		expect(r.steps.map((s) => s.status)).toEqual(['finish', 'finish', 'error', 'wait', 'wait', 'wait']);
	});

	it('the simple flow: open (or pending) → resolved → closed', () => {
		const s = (c) => stepperSteps({ flow: 'simple', ...c }).steps.map((x) => x.status);
		expect(s({ state: 'pending' })).toEqual(['process', 'wait', 'wait']);
		expect(s({ state: 'resolved', resolved_at: 5 })).toEqual(['finish', 'process', 'wait']);
		expect(s({ state: 'closed', resolved_at: 5 })).toEqual(['finish', 'finish', 'finish']);
		expect(stepperSteps({ flow: 'simple', state: 'closed' }).ended).toBe('cancelled');
	});
});

describe('step bodies', () => {
	it('a justified judgement names the department and the investigation time', () => {
		const f = { ...emptyActionForm('judge_justified', { department: { id: 3 } }), investigation_due_at: 1700000000000 };
		expect(actionBody('judge_justified', f, 4).body).toEqual({ action: 'judge_justified', version: 4, demand_reasonable: true, department_id: 3, investigation_due_at: 1700000000000 });
	});

	it('an unreasonable demand is recorded with its note; not justified needs no department', () => {
		const f = { ...emptyActionForm('judge_justified'), justified: false, demand_reasonable: false, demand_note: ' 已过保修期 ', explanation: '说明', department_id: 3 };
		expect(actionBody('judge_justified', f).body).toEqual({ action: 'judge_unjustified', demand_reasonable: false, demand_note: '已过保修期', explanation: '说明' });
	});

	it('a plan carries its amount in fen; a bad amount is named before asking', () => {
		const f = emptyActionForm('propose_plan');
		f.plan = { kind: 'refund', description: ' 退款 ', amount_yuan: '1,299.5' };
		expect(actionBody('propose_plan', f).body).toEqual({ action: 'propose_plan', plan: { kind: 'refund', description: '退款', amount_fen: 129950 } });
		f.plan.amount_yuan = '12.345';
		expect(actionBody('propose_plan', f).error).toEqual({ field: 'plan.amount_fen', key: 'cases.err.amount' });
		f.plan.amount_yuan = '';
		expect(actionBody('propose_plan', f).body.plan).toEqual({ kind: 'refund', description: '退款' });
	});

	it('texts and ids of the other steps', () => {
		const f = { ...emptyActionForm('archive'), root_cause_id: '5', reason: 'x', note: ' 好 ' };
		expect(actionBody('archive', f).body).toEqual({ action: 'archive', root_cause_id: 5, note: '好' });
		expect(actionBody('reject_plan', { ...f, reason: ' 金额过高 ' }).body).toEqual({ action: 'reject_plan', reason: '金额过高', note: '好' });
		expect(actionBody('record_follow_up', { ...emptyActionForm(), outcome: 'satisfied' }).body).toEqual({ action: 'record_follow_up', outcome: 'satisfied' });
		expect(actionBody('finish_handling', { ...emptyActionForm(), result: '' }).body).toEqual({ action: 'finish_handling' });
	});

	it('yuan as typed', () => {
		expect(yuanInput('')).toBeUndefined();
		expect(yuanInput('¥ 20')).toBe(2000);
		expect(yuanInput('0.05')).toBe(5);
		expect(yuanInput('-1')).toBeNaN();
	});
});

describe('due times', () => {
	const now = 1_000_000_000_000;
	it('overdue, soon, ok, paused, none', () => {
		expect(dueState(now - 60000, now)).toEqual({ state: 'overdue', ms: 60000 });
		expect(dueState(now + 3600000, now).state).toBe('soon');
		expect(dueState(now + 5 * 3600000, now).state).toBe('ok');
		expect(dueState(now - 1, now, { paused: true }).state).toBe('paused');
		expect(dueState(null, now).state).toBe('none');
	});
	it('spans in the biggest unit that fits', () => {
		expect(spanParts(59 * 60000)).toEqual({ unit: 'min', n: 59 });
		expect(spanParts(-(3 * 60 + 5) * 60000)).toEqual({ unit: 'hour', n: 3, rest: 5 });
		expect(spanParts((50 * 60) * 60000)).toEqual({ unit: 'day', n: 2, rest: 2 });
	});
});

describe('service-language hints', () => {
	it('cuts the text at the findings (UTF-16 offsets)', () => {
		const text = '您好😀，我不能帮您，不过可以试试';
		const i = text.indexOf('我不能');
		const j = text.indexOf('不过');
		const segs = lintSegments(text, [
			{ start: j, end: j + 2, rule: 'but' },
			{ start: i, end: i + 3, rule: 'cannot' },
			{ start: i + 1, end: i + 2, rule: 'overlap' },
		]);
		expect(segs.map((s) => [s.text, s.finding?.rule])).toEqual([
			['您好😀，', undefined],
			['我不能', 'cannot'],
			['帮您，', undefined],
			['不过', 'but'],
			['可以试试', undefined],
		]);
		expect(lintSegments('abc', [])).toEqual([{ text: 'abc' }]);
	});
});

describe('phone numbers as typed', () => {
	it('digits without the country code', () => {
		expect(phoneDigits('+86 138-0013 8000')).toBe('13800138000');
		expect(phoneDigits('0086 13800138000')).toBe('13800138000');
		expect(phoneDigits('010-6234 5678')).toBe('01062345678');
	});
	it('complete numbers', () => {
		expect(phoneComplete('13800138000')).toBe(true);
		expect(phoneComplete('1380013800')).toBe(false);
		expect(phoneComplete('01062345678')).toBe(true);
		expect(phoneComplete('62345678')).toBe(true);
		expect(phoneComplete('123')).toBe(false);
	});
});

describe('timeline events in words', () => {
	it('names each kind', () => {
		expect(eventSummary({ kind: 'created', data: { number: 'C1', customer_created: true } }).key).toBe('cases.ev.createdNewCustomer');
		expect(eventSummary({ kind: 'transition', data: { action: 'accept', from: 'intake', to: 'assessment' } })).toEqual({
			key: 'cases.ev.transition',
			params: { action: 'accept', from: 'intake', to: 'assessment' },
			tone: 'primary',
		});
		expect(eventSummary({ kind: 'transition', data: { action: 'reject_plan', from: 'planning', to: 'planning' } })).toMatchObject({ key: 'cases.ev.act.reject_plan', tone: 'danger' });
		expect(eventSummary({ kind: 'assignment', data: { from: null, to: 3, taken: true } }).key).toBe('cases.ev.taken');
		expect(eventSummary({ kind: 'assignment', data: { from: 3, to: null } }).key).toBe('cases.ev.unassigned');
		expect(eventSummary({ kind: 'checklist', data: { step: 'thank', done: false } })).toMatchObject({ key: 'cases.ev.unticked', params: { step: 'thank' } });
		expect(eventSummary({ kind: 'sla_breach', data: { target: 'resolution' } }).tone).toBe('danger');
		expect(eventSummary({ kind: 'update', data: { priority: ['normal', 'high'] } }).params.fields).toBe('priority');
	});
});
