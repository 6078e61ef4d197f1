// Satisfaction figures and charts, pure (no ECharts import, no DOM). The API gives rates in
// basis points (csat_bp 8750 = 87.5 %), NPS in basis points (−10000..10000 = −100..+100) and
// effort in hundredths (effort_x100 235 = 2.35 on 1–7). `null` means nothing was answered.

const INK = '#374151';
const MUTED = '#6b7280';
export const COLORS = { csat: '#2563eb', nps: '#16a34a', effort: '#f59e0b', promoters: '#16a34a', passives: '#cbd5e1', detractors: '#dc2626', us: '#2563eb', them: '#94a3b8' };

export const GROUPS = ['agent', 'department', 'case_type', 'channel', 'tier'];
export const GRANULARITIES = ['day', 'week', 'month'];
export const MEASURES = ['csat', 'nps', 'effort'];

const isNum = (x) => x !== null && x !== undefined && Number.isFinite(Number(x));

/** 8750 → "87.5%"; null → "—". */
export const csatText = (bp) => (isNum(bp) ? `${(Number(bp) / 100).toFixed(1)}%` : '—');
/** 4250 → "+42.5"; −1000 → "-10.0"; null → "—". */
export const npsText = (bp) => (isNum(bp) ? `${bp > 0 ? '+' : ''}${(Number(bp) / 100).toFixed(1)}` : '—');
/** 235 → "2.35"; null → "—". */
export const effortText = (x) => (isNum(x) ? (Number(x) / 100).toFixed(2) : '—');

/** A measure's value in its display unit (CSAT %, NPS points, effort 1–7), or null. */
export function measureValue(measure, v) {
	if (!isNum(v)) return null;
	return measure === 'effort' ? Number(v) / 100 : Number(v) / 100;
}
export const measureText = (measure, v) => (measure === 'csat' ? csatText(v) : measure === 'nps' ? npsText(v) : effortText(v));

/** The measure of a scores row in the API's unit. */
export const rowMeasure = (row, measure) => (measure === 'csat' ? row?.csat_bp : measure === 'nps' ? row?.nps_bp : row?.effort_x100);

/** Tone of a KPI tile: good / bad / '' by usual thresholds (CSAT 85 %, NPS 0/30, effort 3/5). */
export function tone(measure, v) {
	if (!isNum(v)) return '';
	if (measure === 'csat') return v >= 8500 ? 'good' : v < 7000 ? 'bad' : '';
	if (measure === 'nps') return v >= 3000 ? 'good' : v < 0 ? 'bad' : '';
	return v <= 300 ? 'good' : v >= 500 ? 'bad' : '';
}

/** Promoters / passives / detractors with their shares (0..1) of the NPS answers. */
export function npsParts(total) {
	const n = Number(total?.nps_n || 0);
	return ['promoters', 'passives', 'detractors'].map((k) => ({ key: k, count: Number(total?.[k] || 0), share: n ? Number(total?.[k] || 0) / n : 0 }));
}

/** The dashboard's URL query: grouping, granularity and measure of the group chart. */
/**
 * The name of a row of the scores by group. Channels and case types come as codes (named by
 * `vocabLabel(by, code)`), tiers by the customer classes (`tierLabel(code)`, null when not
 * one); a row without a name reads as such: no agent or department comes as key "0" and an
 * empty label, a missing code as an empty key.
 */
export function groupLabel(by, r, { t, vocabLabel, tierLabel }) {
	const none = !r.key || ((by === 'agent' || by === 'department') && String(r.key) === '0');
	if (none && !r.label) return t('sat.unnamed', { by: t(`sat.by.${by}`) });
	if (by === 'channel' || by === 'case_type') return vocabLabel(by, r.key) || r.label;
	if (by === 'tier') return tierLabel(r.key) || r.label || r.key;
	return r.label || r.key;
}

export function readDashQuery(q) {
	return {
		by: GROUPS.includes(q.by) ? q.by : 'agent',
		granularity: GRANULARITIES.includes(q.granularity) ? q.granularity : 'week',
		measure: MEASURES.includes(q.measure) ? q.measure : 'csat',
	};
}

const base = () => ({ textStyle: { fontFamily: 'inherit', color: INK }, tooltip: { confine: true } });

/** CSAT and NPS (left, −100..100) and effort (right, 1–7) per period. */
export function trendOption(rows, { t }) {
	const names = { csat: t('sat.kpi.csat'), nps: t('sat.kpi.nps'), effort: t('sat.kpi.effort') };
	return {
		...base(),
		legend: { top: 0, data: Object.values(names) },
		tooltip: { trigger: 'axis', confine: true },
		grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
		xAxis: { type: 'category', data: rows.map((r) => r.label || r.key), axisLabel: { color: MUTED } },
		yAxis: [
			{ type: 'value', min: -100, max: 100, axisLabel: { color: MUTED }, splitLine: { lineStyle: { type: 'dashed' } } },
			{ type: 'value', min: 1, max: 7, axisLabel: { color: MUTED }, splitLine: { show: false } },
		],
		series: [
			{ name: names.csat, type: 'line', connectNulls: true, itemStyle: { color: COLORS.csat }, data: rows.map((r) => measureValue('csat', r.csat_bp)) },
			{ name: names.nps, type: 'line', connectNulls: true, itemStyle: { color: COLORS.nps }, data: rows.map((r) => measureValue('nps', r.nps_bp)) },
			{ name: names.effort, type: 'line', yAxisIndex: 1, connectNulls: true, lineStyle: { type: 'dashed' }, itemStyle: { color: COLORS.effort }, data: rows.map((r) => measureValue('effort', r.effort_x100)) },
		],
	};
}

/** A donut of promoters, passives and detractors. */
export function npsOption(total, { t }) {
	const parts = npsParts(total);
	return {
		...base(),
		tooltip: { trigger: 'item', confine: true, formatter: '{b}: {c} ({d}%)' },
		legend: { bottom: 0 },
		series: [
			{
				type: 'pie',
				radius: ['45%', '70%'],
				top: 0,
				bottom: 28,
				label: { formatter: '{b}\n{d}%' },
				data: parts.map((p) => ({ name: t(`sat.nps.${p.key}`), value: p.count, itemStyle: { color: COLORS[p.key] } })),
			},
		],
	};
}

/** One bar per group (agent, department…) for the measure; rows without answers are left out. */
export function groupOption(rows, measure, { t }) {
	const kept = rows.filter((r) => isNum(rowMeasure(r, measure)));
	return {
		...base(),
		tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' } },
		grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
		xAxis: { type: 'value', axisLabel: { color: MUTED }, splitLine: { lineStyle: { type: 'dashed' } }, ...(measure === 'csat' ? { min: 0, max: 100 } : measure === 'nps' ? { min: -100, max: 100 } : { min: 1, max: 7 }) },
		yAxis: { type: 'category', inverse: true, data: kept.map((r) => r.label || r.key), axisLabel: { color: INK, width: 120, overflow: 'truncate' } },
		series: [
			{
				name: t(`sat.kpi.${measure}`),
				type: 'bar',
				barMaxWidth: 22,
				itemStyle: { color: COLORS[measure], borderRadius: [0, 3, 3, 0] },
				label: { show: true, position: 'right', formatter: (p) => measureText(measure, rowMeasure(kept[p.dataIndex], measure)) },
				data: kept.map((r) => measureValue(measure, rowMeasure(r, measure))),
			},
		],
	};
}

/** The expectation-gap radar: expected against perceived level (1–5) per attribute. */
export function radarOption(items, { t }) {
	return {
		...base(),
		legend: { bottom: 0, data: [t('sat.gap.expected'), t('sat.gap.perceived')] },
		radar: { indicator: items.map((x) => ({ name: x.attribute, min: 0, max: 5 })), radius: '62%', axisName: { color: INK } },
		series: [
			{
				type: 'radar',
				data: [
					{ name: t('sat.gap.expected'), value: items.map((x) => (x.expected_x100 ?? 0) / 100), itemStyle: { color: COLORS.them }, areaStyle: { opacity: 0.1 } },
					{ name: t('sat.gap.perceived'), value: items.map((x) => (x.perceived_x100 ?? 0) / 100), itemStyle: { color: COLORS.us }, areaStyle: { opacity: 0.2 } },
				],
			},
		],
	};
}

/**
 * Our score against each competitor's latest entered score for a measure:
 * [{ name, value (API unit), period, us }] — us first.
 */
export function competitorRows(total, competitors, measure, usName) {
	const latest = new Map();
	for (const c of competitors || []) {
		if (c.measure !== measure) continue;
		const prev = latest.get(c.competitor);
		if (!prev || String(c.period) > String(prev.period)) latest.set(c.competitor, c);
	}
	const out = [{ name: usName, value: rowMeasure(total, measure) ?? null, period: '', us: true }];
	for (const c of latest.values()) out.push({ name: c.competitor, value: c.score, period: c.period, us: false });
	return out;
}

export function competitorOption(rows, measure) {
	return {
		...base(),
		tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' } },
		grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
		xAxis: { type: 'category', data: rows.map((r) => (r.period ? `${r.name} (${r.period})` : r.name)), axisLabel: { color: INK, interval: 0 } },
		yAxis: { type: 'value', axisLabel: { color: MUTED }, splitLine: { lineStyle: { type: 'dashed' } } },
		series: [
			{
				type: 'bar',
				barMaxWidth: 40,
				label: { show: true, position: 'top', formatter: (p) => measureText(measure, rows[p.dataIndex].value) },
				data: rows.map((r) => ({ value: measureValue(measure, r.value), itemStyle: { color: r.us ? COLORS.us : COLORS.them } })),
			},
		],
	};
}

/* ---- templates -------------------------------------------------------------------- */

export const KINDS = ['csat', 'nps', 'effort', 'single', 'multiple', 'text'];
export const CHOICE = (kind) => kind === 'single' || kind === 'multiple';

/** A new question of a kind, with a key not yet used in the list. */
export function newQuestion(kind, questions) {
	const used = new Set((questions || []).map((q) => q.key));
	let key = kind;
	for (let i = 2; used.has(key); i++) key = `${kind}_${i}`;
	const q = { key, kind, text_zh: '', text_en: '', required: false };
	if (CHOICE(kind)) q.options = [{ key: 'a', zh: '', en: '' }, { key: 'b', zh: '', en: '' }];
	return q;
}

/** The questions as the API takes them: no empty English, options only on choices. */
export function questionsBody(questions) {
	return questions.map((q) => {
		const o = { key: q.key, kind: q.kind, text_zh: q.text_zh, required: !!q.required };
		if (q.text_en) o.text_en = q.text_en;
		if (CHOICE(q.kind)) o.options = (q.options || []).map((x) => (x.en ? { key: x.key, zh: x.zh, en: x.en } : { key: x.key, zh: x.zh }));
		return o;
	});
}

/** Kinds that may still be added: at most one of each scored kind. */
export function addableKinds(questions) {
	const have = new Set((questions || []).map((q) => q.kind));
	return KINDS.filter((k) => !['csat', 'nps', 'effort'].includes(k) || !have.has(k));
}

/** Moves item i by d (−1 up, +1 down) in a copy of the list. */
export function move(list, i, d) {
	const j = i + d;
	if (j < 0 || j >= list.length) return list.slice();
	const out = list.slice();
	[out[i], out[j]] = [out[j], out[i]];
	return out;
}

/* ---- responses ------------------------------------------------------------------ */

/** One answer as text: the option labels of a choice, the score, or the words. */
export function answerText(a, question, lang) {
	const opt = (k) => {
		const o = (question?.options || []).find((x) => x.key === k);
		return o ? (lang === 'en' && o.en) || o.zh : k;
	};
	if (question && CHOICE(question.kind)) {
		const keys = Array.isArray(a.value) ? a.value : String(a.text ?? a.value ?? '').split(/[,\s]+/).filter(Boolean);
		return keys.length ? keys.map(opt).join(lang === 'en' ? ', ' : '、') : '—';
	}
	if (a.text) return a.text;
	return a.value === null || a.value === undefined ? '—' : String(a.value);
}

/** The question's text in the UI language (Chinese when there is no English). */
export const questionText = (q, lang) => (q ? (lang === 'en' && q.text_en) || q.text_zh : '');

/** A score typed in its display unit (CSAT %, NPS points, effort 1–7) in the API's unit. */
export const scoreToApi = (measure, v) => (v === null || v === undefined || v === '' || !Number.isFinite(Number(v)) ? null : Math.round(Number(v) * 100));
/** The display range of a measure's score. */
export const SCORE_RANGE = { csat: [0, 100], nps: [-100, 100], effort: [1, 7] };

/* ---- a template's results -------------------------------------------------------- */

/** The options of a choice question with their counts, in the template's order (unknown keys last). */
export function optionCounts(question, counts, lang) {
	const c = { ...(counts || {}) };
	const out = (question?.options || []).map((o) => {
		const n = Number(c[o.key] || 0);
		delete c[o.key];
		return { key: o.key, label: (lang === 'en' && o.en) || o.zh, count: n };
	});
	for (const [k, n] of Object.entries(c)) out.push({ key: k, label: k, count: Number(n || 0) });
	return out;
}

/** Bars of value → count (a score's histogram, or a choice's options). */
export function barsOption(names, counts, color = COLORS.csat) {
	return {
		...base(),
		tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' } },
		grid: { left: 8, right: 8, top: 16, bottom: 4, containLabel: true },
		xAxis: { type: 'category', data: names.map(String), axisLabel: { color: INK, interval: 0 } },
		yAxis: { type: 'value', minInterval: 1, axisLabel: { color: MUTED }, splitLine: { lineStyle: { type: 'dashed' } } },
		series: [{ type: 'bar', barMaxWidth: 32, itemStyle: { color, borderRadius: [3, 3, 0, 0] }, label: { show: true, position: 'top' }, data: counts }],
	};
}
