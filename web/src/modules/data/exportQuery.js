// The query string of an export download from the export form's state: only the filters set,
// with the names the API reads (GET /api/exports/customers: the customer list's filters;
// GET /api/exports/cases: state, type, priority, channel, open, assignee, created_from/to).

const CUSTOMER_KEYS = ['lifecycle', 'value_class', 'tier', 'owner', 'tag', 'q'];
const CASE_KEYS = ['state', 'type', 'priority', 'channel', 'assignee'];

const set = (v) => v !== undefined && v !== null && String(v).trim() !== '';

export function exportQuery(what, form) {
	const q = { format: form.format || 'xlsx' };
	if (what === 'customers') {
		for (const k of CUSTOMER_KEYS) if (set(form[k])) q[k] = String(form[k]).trim();
		return q;
	}
	for (const k of CASE_KEYS) if (set(form[k])) q[k] = String(form[k]);
	if (form.open === '1' || form.open === '0') q.open = form.open;
	const [from, to] = Array.isArray(form.period) ? form.period : [];
	if (set(from)) q.created_from = String(Number(from));
	// The end day is included: up to the start of the next day.
	if (set(to)) q.created_to = String(Number(to) + 86400000);
	return q;
}

/** The customer list's filters (its URL state) as an export query. */
export function listExportQuery(filters, format) {
	const q = { format };
	for (const [k, v] of Object.entries(filters || {})) if (set(v)) q[k] = String(v);
	return q;
}
