// Customer file ⇄ editable draft ⇄ API body.

/** The fields each section of the customer page edits (PATCH sends only these). */
export const SECTIONS = {
	basic: ['name', 'kind', 'industry', 'company', 'address', 'phone', 'email', 'wechat', 'birthday', 'standing', 'hobbies', 'memorable', 'notes'],
	classification: ['source', 'lifecycle', 'chain_role', 'value_class', 'owner_id'],
	contacts: ['contacts'],
	dates: ['dates'],
	preferences: ['preferences'],
	dnd: ['dnd'],
	tags: ['tags'],
};

const TEXT = SECTIONS.basic.filter((f) => f !== 'kind');

/** The section that shows an API error field ("contacts[0].phone" → "contacts"). */
export function sectionOf(field) {
	if (!field) return null;
	const head = String(field).split(/[.[]/)[0];
	for (const [s, fields] of Object.entries(SECTIONS)) if (fields.includes(head)) return s;
	return null;
}

export function emptyDraft() {
	return {
		name: '',
		kind: 'person',
		industry: '',
		company: '',
		address: '',
		phone: '',
		email: '',
		wechat: '',
		birthday: '',
		standing: '',
		hobbies: '',
		memorable: '',
		notes: '',
		source: 'external',
		lifecycle: 'potential',
		chain_role: 'terminal',
		value_class: 'ordinary',
		owner_id: null,
		contacts: [],
		dates: [],
		preferences: [],
		dnd: [],
		tags: [],
	};
}

/** A deep, editable copy of a customer file (preferences as rows). */
export function toDraft(c) {
	const d = emptyDraft();
	for (const f of TEXT) d[f] = c[f] ?? '';
	for (const f of ['kind', 'source', 'lifecycle', 'chain_role', 'value_class']) if (c[f]) d[f] = c[f];
	d.owner_id = c.owner_id ?? c.owner?.id ?? null;
	d.contacts = (c.contacts || []).map((x) => ({ name: x.name || '', role: x.role || '', phone: x.phone || '', email: x.email || '', wechat: x.wechat || '' }));
	d.dates = (c.dates || []).map((x) => ({ kind: x.kind || 'other', label: x.label || '', date: x.date || '' }));
	d.preferences = Object.entries(c.preferences || {}).map(([name, text]) => ({ name, text: String(text ?? '') }));
	d.dnd = (c.dnd || []).map((x) => ({ days: [...(x.days || [])], start: x.start || '', end: x.end || '', note: x.note || '' }));
	d.tags = [...(c.tags || [])];
	return d;
}

const trim = (s) => (typeof s === 'string' ? s.trim() : s);
const blank = (o) => Object.values(o).every((v) => v === '' || v === null || v === undefined || (Array.isArray(v) && !v.length));

/** The API value of one draft field. */
export function bodyValue(d, f) {
	switch (f) {
		case 'contacts':
			return d.contacts.map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, trim(v)]))).filter((x) => !blank(x));
		case 'dates':
			return d.dates.map((x) => ({ kind: x.kind, label: trim(x.label), date: trim(x.date) })).filter((x) => x.label || x.date);
		case 'preferences': {
			const o = {};
			for (const r of d.preferences) {
				const k = trim(r.name);
				if (k || trim(r.text)) o[k] = trim(r.text);
			}
			return o;
		}
		case 'dnd':
			return d.dnd.map((x) => ({ days: [...x.days].sort((a, b) => a - b), start: x.start || '', end: x.end || '', note: trim(x.note) }));
		case 'tags':
			return [...new Set(d.tags.map(trim).filter(Boolean))];
		case 'owner_id':
			return d.owner_id === '' || d.owner_id === undefined ? null : d.owner_id;
		default:
			return trim(d[f]);
	}
}

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The PATCH body for a section: only the fields that changed (null: nothing changed). */
export function patchBody(draft, customer, fields) {
	const base = toDraft(customer);
	const body = {};
	for (const f of fields) {
		const v = bodyValue(draft, f);
		if (!same(v, bodyValue(base, f))) body[f] = v;
	}
	return Object.keys(body).length ? body : null;
}

/** The POST body for a new customer: empty optional values left out. */
export function createBody(draft, { withOwner }) {
	const body = {};
	for (const fields of Object.values(SECTIONS))
		for (const f of fields) {
			if (f === 'owner_id' && !withOwner) continue;
			const v = bodyValue(draft, f);
			if (v === '' || v === null || (Array.isArray(v) && !v.length) || (f === 'preferences' && !Object.keys(v).length)) continue;
			body[f] = v;
		}
	return body;
}
