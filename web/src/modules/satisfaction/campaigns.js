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

/** The portal settings an administrator edits, as PUT takes them (contacts without empty rows). */
export function portalBody(s) {
	return {
		company_name: (s.company_name || '').trim(),
		hotline: (s.hotline || '').trim(),
		complaint_email: (s.complaint_email || '').trim(),
		contacts: (s.contacts || []).filter((c) => c.name || c.role || c.phone || c.email).map((c) => ({ name: c.name || '', role: c.role || '', phone: c.phone || '', email: c.email || '' })),
		pledge: s.pledge || '',
		show_agent_names: !!s.show_agent_names,
		base_url: (s.base_url || '').trim(),
		limit_per_ip: s.limit_per_ip,
		limit_per_phone: s.limit_per_phone,
	};
}

/** A store's slug from its name typed in Latin letters: lower case, digits and - only. */
export const slugify = (s) =>
	String(s || '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 40);
