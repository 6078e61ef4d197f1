// Campaign forms: the periods and the customer filter as the API takes them. Pure.
export const PERIODS = ['once', 'monthly', 'quarterly', 'yearly'];
export const FILTER_ENUMS = ['tier', 'value_class', 'lifecycle', 'kind', 'source', 'chain_role'];
const FILTER_TEXT = ['industry', 'tag'];

/** The filter without empty choices (the API refuses empty strings). */
export function cleanFilter(f) {
	const out = {};
	for (const k of [...FILTER_ENUMS, ...FILTER_TEXT]) {
		const v = typeof f?.[k] === 'string' ? f[k].trim() : '';
		if (v) out[k] = v;
	}
	return out;
}

/** The POST body of a new campaign. */
export function campaignBody(form) {
	return {
		name: (form.name || '').trim(),
		template_id: form.template_id,
		period: PERIODS.includes(form.period) ? form.period : 'once',
		expires_days: form.expires_days,
		filter: cleanFilter(form.filter),
	};
}
