// The segmentation rules as a form: the fields in groups, their ranges (those of
// core/segment.c seg_settings_check, so most mistakes show before the request), and the
// PATCH body (only what changed). The server validates again and names the field.

export const GROUPS = [
	{ key: 'window', fields: ['window_months', 'inactive_months', 'rank_by'] },
	{ key: 'pyramid', fields: ['top_pct', 'high_pct', 'mid_pct'] },
	{
		key: 'lifecycle',
		fields: ['lifecycle_auto', 'loyal_min_orders', 'loyal_min_r', 'loyal_min_f', 'temporary_max_orders', 'temporary_max_r', 'inactive_is_temporary'],
	},
	{ key: 'key', fields: ['key_min_tier', 'key_min_orders', 'key_min_history_months'] },
	{ key: 'schedule', fields: ['auto_recompute', 'recompute_hour'] },
];

/** kind: int | pct (percent, two decimals) | bool | choice; min/max as the server checks. */
export const FIELDS = {
	window_months: { kind: 'int', min: 1, max: 120 },
	inactive_months: { kind: 'int', min: 1, max: 120 },
	rank_by: { kind: 'choice', options: ['revenue', 'margin'] },
	top_pct: { kind: 'pct', min: 0.01, max: 100 },
	high_pct: { kind: 'pct', min: 0, max: 100 },
	mid_pct: { kind: 'pct', min: 0, max: 100 },
	lifecycle_auto: { kind: 'bool' },
	loyal_min_orders: { kind: 'int', min: 1, max: 1000 },
	loyal_min_r: { kind: 'int', min: 1, max: 5 },
	loyal_min_f: { kind: 'int', min: 1, max: 5 },
	temporary_max_orders: { kind: 'int', min: 0, max: 1000 },
	temporary_max_r: { kind: 'int', min: 0, max: 5 },
	inactive_is_temporary: { kind: 'bool' },
	key_min_tier: { kind: 'choice', options: ['top', 'high', 'mid'] },
	key_min_orders: { kind: 'int', min: 1, max: 1000 },
	key_min_history_months: { kind: 'int', min: 0, max: 120 },
	auto_recompute: { kind: 'bool' },
	recompute_hour: { kind: 'int', min: 0, max: 23 },
};

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

/**
 * The problems of a draft: { field: { key, params } } with i18n keys under
 * segments.error.*; empty when it may be sent.
 */
export function validateSettings(draft) {
	const errs = {};
	for (const [name, f] of Object.entries(FIELDS)) {
		const v = draft[name];
		if (f.kind === 'bool') continue;
		if (f.kind === 'choice') {
			if (!f.options.includes(v)) errs[name] = { key: 'segments.error.choice', params: {} };
			continue;
		}
		if (v === null || v === undefined || v === '' || !isNum(v)) {
			errs[name] = { key: 'segments.error.required', params: {} };
			continue;
		}
		if (f.kind === 'int' && !Number.isInteger(v)) errs[name] = { key: 'segments.error.integer', params: {} };
		else if (f.kind === 'pct' && Math.abs(v * 100 - Math.round(v * 100)) > 1e-6) errs[name] = { key: 'segments.error.decimals', params: {} };
		else if (v < f.min || v > f.max) errs[name] = { key: 'segments.error.range', params: { min: f.min, max: f.max } };
	}
	const sum = [draft.top_pct, draft.high_pct, draft.mid_pct];
	if (!errs.top_pct && !errs.high_pct && !errs.mid_pct && sum.every(isNum) && Math.round(sum.reduce((a, b) => a + b, 0) * 100) > 10000)
		errs.mid_pct = { key: 'segments.error.sum', params: {} };
	return errs;
}

/** The keys of draft that differ from the stored settings (the PATCH body). */
export function settingsPatch(stored, draft) {
	const out = {};
	for (const name of Object.keys(FIELDS)) if (draft[name] !== stored[name]) out[name] = draft[name];
	return out;
}

/** The share of buyers left for the low tier once the top, high and middle cut-offs are taken. */
export function lowShare(draft) {
	const s = (Number(draft.top_pct) || 0) + (Number(draft.high_pct) || 0) + (Number(draft.mid_pct) || 0);
	return Math.max(0, Math.round((100 - s) * 100) / 100);
}
