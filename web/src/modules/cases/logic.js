// Pure logic of the cases module (no Vue, no fetch), unit-tested in web/tests/cases.test.js:
// the inbox state ⇄ URL query ⇄ API query, the complaint loop as stepper steps, due times
// in words, the lint findings as text segments, phone digits, event summaries.

/* ------------------------------------------------------------ inbox state and the URL */

// The inbox views: 'queue' is the department's unassigned cases (view=department&assignee=none).
export const VIEWS = ['mine', 'department', 'queue', 'overdue', 'approval', 'all'];
export const DEFAULT_VIEW = 'mine';
export const FILTER_KEYS = ['q', 'type', 'state', 'priority', 'channel', 'emotion', 'assignee', 'customer_id', 'department_id', 'open'];
// Periods (epoch ms, [from, to)) that the reports' numbers link with; no control of their own.
export const RANGE_KEYS = ['created_from', 'created_to', 'closed_from', 'closed_to'];
// The views that look at one department (supervisors and admins may name another one).
export const DEPT_VIEWS = ['department', 'queue', 'overdue', 'approval'];
export const SORTS = ['queue', 'newest', 'oldest', 'updated', 'due'];
export const LIMITS = [20, 50, 100, 200];
export const DEFAULT_LIMIT = 50;

/** The API's default sort of a view (case_list.c). */
export function defaultSort(view, filters = {}) {
	if (view === 'overdue') return 'due';
	if (view === 'all') return 'newest';
	if (view === 'mine' || view === 'department' || view === 'queue' || view === 'approval') return filters.customer_id ? 'newest' : 'queue';
	return 'newest';
}

const first = (v) => (Array.isArray(v) ? v[0] : v);
const clean = (v) => (v === undefined || v === null ? '' : String(v).trim());

/** Route query → { view, filters, sort, limit, cursor } with only known, non-empty values. */
export function parseCaseQuery(query = {}) {
	let view = clean(first(query.view));
	if (!VIEWS.includes(view)) view = DEFAULT_VIEW;
	const filters = {};
	for (const k of [...FILTER_KEYS, ...RANGE_KEYS]) {
		const v = clean(first(query[k]));
		if (v) filters[k] = v;
	}
	for (const k of ['customer_id', 'department_id', ...RANGE_KEYS]) if (filters[k] && !/^\d+$/.test(filters[k])) delete filters[k];
	if (filters.open && !['1', '0', 'all'].includes(filters.open)) delete filters.open;
	// a customer's cases are a view of their own in the API: only "all" narrows to one customer
	if (filters.customer_id) view = 'all';
	let sort = clean(first(query.sort));
	if (!SORTS.includes(sort)) sort = '';
	let limit = Number(first(query.limit));
	if (!LIMITS.includes(limit)) limit = DEFAULT_LIMIT;
	const cursor = clean(first(query.cursor));
	return { view, filters, sort, limit, cursor };
}

/** State → route query (defaults left out, stable key order). */
export function buildCaseQuery({ view = DEFAULT_VIEW, filters = {}, sort = '', limit = DEFAULT_LIMIT, cursor = '' }) {
	const q = {};
	if (view && view !== DEFAULT_VIEW) q.view = view;
	for (const k of [...FILTER_KEYS, ...RANGE_KEYS]) {
		const v = clean(filters[k]);
		if (v) q[k] = v;
	}
	if (sort) q.sort = sort;
	if (limit && limit !== DEFAULT_LIMIT) q.limit = String(limit);
	if (cursor) q.cursor = cursor;
	return q;
}

/** State → GET /api/cases query. */
export function apiCaseQuery({ view, filters = {}, sort, limit, cursor }) {
	const q = { ...filters, limit, sort: sort || undefined, cursor: cursor || undefined };
	if (view === 'queue') {
		q.view = 'department';
		q.assignee = 'none';
	} else if (filters.customer_id) {
		q.view = 'customer';
	} else {
		q.view = view;
	}
	if (q.view === 'mine') delete q.assignee; // the API ignores it there
	if (q.view !== 'customer') delete q.customer_id;
	if (!DEPT_VIEWS.includes(view) || q.view === 'customer') delete q.department_id;
	return q;
}

/* ------------------------------------------------------------ the loop as a stepper */

export const LOOP = ['intake', 'assessment', 'planning', 'handling', 'follow_up', 'archived'];
export const SIMPLE = ['open', 'resolved', 'closed'];
// When the case reached each step of the loop (the moment columns of a case).
const LOOP_MOMENT = { intake: 'received_at', assessment: 'accepted_at', planning: 'judged_at', handling: 'plan_approved_at', follow_up: 'handled_at', archived: 'archived_at' };

/**
 * The stepper of a case: [{ state, status: 'finish' | 'process' | 'wait' | 'error', at }] and
 * `ended`: 'unjustified' (closed at the judgement), 'cancelled', or ''.
 */
export function stepperSteps(c) {
	if (!c) return { steps: [], ended: '' };
	if (c.flow === 'complaint') {
		let cur = LOOP.indexOf(c.state);
		let ended = '';
		if (c.state === 'closed') {
			// how far it got before it was closed
			const reached = LOOP.reduce((n, s, i) => (c[LOOP_MOMENT[s]] ? i : n), 0);
			ended = c.justified === false ? 'unjustified' : 'cancelled';
			cur = ended === 'unjustified' ? 1 : reached;
		}
		const steps = LOOP.map((state, i) => {
			let status = i < cur ? 'finish' : i === cur ? 'process' : 'wait';
			if (state === 'archived' && c.state === 'archived') status = 'finish';
			if (ended && i === cur) status = 'error';
			return { state, status, at: i <= cur ? c[LOOP_MOMENT[state]] || (state === 'intake' ? c.created_at : null) || null : null };
		});
		return { steps, ended };
	}
	const idx = c.state === 'pending' ? 0 : SIMPLE.indexOf(c.state);
	const steps = SIMPLE.map((state, i) => ({
		state,
		status: i < idx || (state === 'closed' && c.state === 'closed') ? 'finish' : i === idx ? 'process' : 'wait',
		at: state === 'open' ? c.received_at || c.created_at : state === 'resolved' ? c.resolved_at : c.closed_at,
	}));
	return { steps, ended: c.state === 'closed' && !c.resolved_at ? 'cancelled' : '' };
}

/* ------------------------------------------------------------ steps and their forms */

// What each action's form asks for (besides the optional note); the API says which are required.
export const ACTION_FIELDS = {
	accept: [],
	judge_justified: ['demand_reasonable', 'demand_note', 'department_id', 'investigation_due_at', 'explanation'],
	judge_unjustified: ['explanation', 'demand_reasonable', 'demand_note'],
	propose_plan: ['plan.kind', 'plan.description', 'plan.amount_fen'],
	approve_plan: ['plan_id'],
	reject_plan: ['plan_id', 'reason'],
	finish_handling: ['result'],
	record_follow_up: ['outcome'],
	rework: ['reason'],
	archive: ['root_cause_id'],
	wait_customer: [],
	customer_replied: [],
	resolve: ['resolution'],
	close: [],
	reopen: ['reason'],
	cancel: ['reason'],
};
// Steps taken with one click (no form beyond a confirmation).
export const ONE_CLICK = new Set(['accept', 'wait_customer', 'customer_replied', 'close']);
// Steps offered elsewhere on the page (the plans card), not as buttons of the stepper.
export const PLAN_DECISIONS = new Set(['approve_plan', 'reject_plan']);

/** A fresh form for an action. */
export function emptyActionForm(action, c = {}) {
	return {
		note: '',
		justified: action === 'judge_unjustified' ? false : true,
		demand_reasonable: true,
		demand_note: '',
		department_id: c.department?.id ?? null,
		investigation_due_at: null,
		explanation: '',
		plan: { kind: '', description: '', amount_yuan: '' },
		reason: '',
		result: '',
		outcome: '',
		root_cause_id: null,
		resolution: '',
	};
}

/** "12.5" → 1250 (fen); '' → undefined; anything else → NaN (reported under plan.amount_fen). */
export function yuanInput(v) {
	const s = clean(v).replace(/[,，¥\s]/g, '');
	if (!s) return undefined;
	if (!/^\d+(\.\d{1,2})?$/.test(s)) return NaN;
	const [i, f = ''] = s.split('.');
	return Number(i) * 100 + Number((f + '00').slice(0, 2));
}

/**
 * The body of POST /api/cases/{id}/transitions for an action and its form ({error: {field,
 * key}} for what the UI can tell before asking). The judgement form picks its action from
 * form.justified.
 */
export function actionBody(action, form, version) {
	const body = { action };
	if (version) body.version = version;
	if (form.note && form.note.trim()) body.note = form.note.trim();
	const txt = (k) => {
		if (form[k] && String(form[k]).trim()) body[k] = String(form[k]).trim();
	};
	switch (action) {
		case 'judge_justified':
		case 'judge_unjustified':
			body.action = form.justified ? 'judge_justified' : 'judge_unjustified';
			body.demand_reasonable = !!form.demand_reasonable;
			if (!form.demand_reasonable) txt('demand_note');
			txt('explanation');
			if (form.justified) {
				if (form.department_id) body.department_id = Number(form.department_id);
				if (form.investigation_due_at) body.investigation_due_at = Number(form.investigation_due_at);
			}
			break;
		case 'propose_plan': {
			const amount = yuanInput(form.plan.amount_yuan);
			if (Number.isNaN(amount)) return { error: { field: 'plan.amount_fen', key: 'cases.err.amount' } };
			body.plan = { kind: form.plan.kind, description: clean(form.plan.description) };
			if (amount !== undefined) body.plan.amount_fen = amount;
			break;
		}
		case 'archive':
			if (form.root_cause_id) body.root_cause_id = Number(form.root_cause_id);
			break;
		case 'record_follow_up':
			if (form.outcome) body.outcome = form.outcome;
			break;
		default:
			for (const k of ['reason', 'result', 'resolution']) if ((ACTION_FIELDS[action] || []).includes(k)) txt(k);
	}
	return { body };
}

/* ------------------------------------------------------------ SLA in words */

/** Minutes in words: { key, n } with key 'min' | 'hour' | 'day' (the biggest unit that fits). */
export function spanParts(ms) {
	const min = Math.max(0, Math.round(Math.abs(ms) / 60000));
	if (min < 60) return { unit: 'min', n: min };
	if (min < 48 * 60) return { unit: 'hour', n: Math.floor(min / 60), rest: min % 60 };
	return { unit: 'day', n: Math.floor(min / 1440), rest: Math.floor((min % 1440) / 60) };
}

/** A due time against now: { state: 'none' | 'paused' | 'overdue' | 'soon' | 'ok', ms }. */
export function dueState(dueAt, now, { paused = false, soonMs = 2 * 3600000 } = {}) {
	if (paused) return { state: 'paused', ms: 0 };
	if (dueAt === null || dueAt === undefined) return { state: 'none', ms: 0 };
	const ms = Number(dueAt) - now;
	if (ms < 0) return { state: 'overdue', ms: -ms };
	return { state: ms <= soonMs ? 'soon' : 'ok', ms };
}

/* ------------------------------------------------------------ service language */

/**
 * The text cut at the findings of POST /api/lint (start/end in UTF-16 units, as JS strings
 * count): [{ text, finding? }]. Overlapping findings: the first one wins.
 */
export function lintSegments(text, findings = []) {
	const out = [];
	let pos = 0;
	const sorted = [...findings].filter((f) => f.end > f.start).sort((a, b) => a.start - b.start);
	for (const f of sorted) {
		if (f.start < pos || f.end > text.length) continue;
		if (f.start > pos) out.push({ text: text.slice(pos, f.start) });
		out.push({ text: text.slice(f.start, f.end), finding: f });
		pos = f.end;
	}
	if (pos < text.length) out.push({ text: text.slice(pos) });
	return out;
}

/* ------------------------------------------------------------ phone numbers */

/** What was typed, digits only (a leading +86 / 0086 dropped): '138-0013 8000' → '13800138000'. */
export function phoneDigits(s) {
	let d = clean(s).replace(/[^\d+]/g, '');
	d = d.replace(/^(\+|00)86/, '').replace(/\+/g, '');
	return d;
}

/** A number complete enough to look a customer up or create one: a mobile, or a fixed line. */
export function phoneComplete(d) {
	if (/^1\d{10}$/.test(d)) return true;
	return /^0\d{9,11}$/.test(d) || /^[2-9]\d{6,7}$/.test(d);
}

/* ------------------------------------------------------------ the timeline */

// The fields of a change the timeline names (the others are the server's bookkeeping).
export const UPDATE_FIELDS = ['subject', 'description', 'demand', 'priority', 'emotion', 'severity', 'stage', 'channel', 'subtype', 'tags', 'department_id', 'assignee_id', 'required_capability', 'first_response_due_at', 'resolve_due_at'];

/**
 * An event of GET /api/cases/{id}/events in words: { key, params } for t(), and `tone`
 * (primary, success, warning, danger, info) for the dot.
 */
export function eventSummary(ev) {
	const d = ev.data || {};
	switch (ev.kind) {
		case 'created':
			return { key: d.customer_created ? 'cases.ev.createdNewCustomer' : 'cases.ev.created', params: { number: d.number || '' }, tone: 'primary' };
		case 'transition':
			if (d.from === d.to) return { key: `cases.ev.act.${d.action}`, params: {}, tone: d.action === 'reject_plan' ? 'danger' : 'info' };
			return { key: 'cases.ev.transition', params: { action: d.action, from: d.from, to: d.to }, tone: d.to === 'closed' || d.to === 'archived' ? 'success' : 'primary' };
		case 'reply':
			return { key: 'cases.ev.reply', params: {}, tone: 'success' };
		case 'note':
			return { key: 'cases.ev.note', params: {}, tone: 'info' };
		case 'customer':
			return { key: 'cases.ev.customer', params: {}, tone: 'warning' };
		case 'assignment':
			if (d.taken) return { key: 'cases.ev.taken', params: {}, tone: 'info' };
			if (!d.to) return { key: 'cases.ev.unassigned', params: {}, tone: 'info' };
			return { key: 'cases.ev.assigned', params: { to: d.to }, tone: 'info' };
		case 'update':
			return { key: 'cases.ev.update', params: { fields: Object.keys(d).filter((k) => UPDATE_FIELDS.includes(k)).join(', ') }, tone: 'info' };
		case 'checklist':
			return { key: d.done ? 'cases.ev.ticked' : 'cases.ev.unticked', params: { step: d.step }, tone: 'info' };
		case 'sla_breach':
			return { key: 'cases.ev.breach', params: { target: d.target || '' }, tone: 'danger' };
		default:
			return { key: 'cases.ev.other', params: { kind: ev.kind }, tone: 'info' };
	}
}
