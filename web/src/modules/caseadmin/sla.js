// SLA policies in the browser (pure): which policy applies to a case (the rule of
// core/sla.c), the type × priority matrix the settings page shows, business-time texts,
// and the editor's draft ⇄ the API's body (targets in business minutes).

export const MATCH_KEYS = ['case_type', 'priority', 'value_class', 'tier'];

const wild = (v) => v === null || v === undefined || v === '';

/** -1 when the policy does not match; else a score, higher is more specific (core/sla.c). */
export function policyScore(p, c) {
	let count = 0;
	let weight = 0;
	for (let i = 0; i < 4; i++) {
		const want = p[MATCH_KEYS[i]];
		if (wild(want)) continue;
		const have = c[MATCH_KEYS[i]];
		if (wild(have) || want !== have) return -1;
		count++;
		weight |= 8 >> i;
	}
	return count * 16 + weight;
}

/** The active policy that applies to a case {case_type, priority, value_class, tier}, or null. */
export function matchPolicy(policies, c) {
	let best = null;
	let bestScore = -1;
	const active = (policies || []).filter((p) => p.active).sort((a, b) => a.id - b.id);
	for (const p of active) {
		const s = policyScore(p, c);
		if (s > bestScore) {
			best = p;
			bestScore = s;
		}
	}
	return best;
}

/**
 * The matrix: one row per case type, one cell per priority, each with the policy that
 * applies for the given customer value class and tier ('' = a customer with neither).
 */
export function policyMatrix(policies, types, priorities, valueClass = '', tier = '') {
	return types.map((type) => ({
		type,
		cells: priorities.map((priority) => ({ priority, policy: matchPolicy(policies, { case_type: type, priority, value_class: valueClass, tier }) })),
	}));
}

/** Business minutes → {d, h, m} with d in working days of `dayMin` minutes (0: no days). */
export function splitMinutes(min, dayMin = 0) {
	let rest = Math.max(0, Math.round(Number(min) || 0));
	const d = dayMin > 0 ? Math.floor(rest / dayMin) : 0;
	rest -= d * dayMin;
	return { d, h: Math.floor(rest / 60), m: rest % 60 };
}

/**
 * Business minutes in words through t(): 90 → "1 小时 30 分钟" / "1 h 30 min", 480 → "8 小时",
 * 0 → "无目标". Keys: caseadmin.dur.{none,h,m,hm}.
 */
export function durationText(min, t) {
	if (!min) return t('caseadmin.dur.none');
	const { h, m } = splitMinutes(min);
	if (!m) return t('caseadmin.dur.h', { h });
	if (!h) return t('caseadmin.dur.m', { m });
	return t('caseadmin.dur.hm', { h, m });
}

/** The editor's draft of a policy (targets in hours, wildcards as ''). */
export function policyDraft(p) {
	return {
		name: p?.name || '',
		case_type: p?.case_type || '',
		priority: p?.priority || '',
		value_class: p?.value_class || '',
		tier: p?.tier || '',
		first_response_h: p ? minutesToHours(p.first_response_min) : 4,
		resolution_h: p ? minutesToHours(p.resolution_min) : 24,
		active: p ? !!p.active : true,
	};
}

export const minutesToHours = (min) => Math.round((Number(min) / 60) * 100) / 100;
export const hoursToMinutes = (h) => (h === null || h === undefined || h === '' || Number.isNaN(Number(h)) ? null : Math.round(Number(h) * 60));

/**
 * Checks a draft before sending: {field: message key} for what is wrong (the API checks
 * again; its field names are used so its own messages land in the same places).
 */
export function checkDraft(d) {
	const err = {};
	if (!d.name.trim()) err.name = 'caseadmin.sla.nameRequired';
	for (const f of ['first_response', 'resolution']) {
		const m = hoursToMinutes(d[`${f}_h`]);
		if (m === null) err[`${f}_min`] = 'caseadmin.sla.targetRequired';
		else if (m < 0 || m > 525600) err[`${f}_min`] = 'caseadmin.sla.targetRange';
	}
	return err;
}

/** The body of POST (all fields) or PATCH (only what changed from `orig`). */
export function policyBody(d, orig = null) {
	const body = {
		name: d.name.trim(),
		case_type: d.case_type || null,
		priority: d.priority || null,
		value_class: d.value_class || null,
		tier: d.tier || null,
		first_response_min: hoursToMinutes(d.first_response_h),
		resolution_min: hoursToMinutes(d.resolution_h),
		active: !!d.active,
	};
	if (!orig) return body;
	const out = {};
	for (const [k, v] of Object.entries(body)) if ((orig[k] ?? null) !== v) out[k] = v;
	return out;
}

/** True when another active policy matches exactly the same cases (the newer one never applies). */
export function sameScope(policies, d, selfId = null) {
	return (policies || []).find((p) => p.active && p.id !== selfId && MATCH_KEYS.every((k) => (p[k] || '') === (d[k] || ''))) || null;
}
