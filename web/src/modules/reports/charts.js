// ECharts options built from the API's report answers. Pure (no ECharts import, no DOM):
// each builder takes the answer and { t, lang } and returns the option, so the charts are
// tested without a browser. Labels come from the API in both languages (label_zh/label_en)
// or through t(); money is in fen and shown in yuan.

export const TIER_COLORS = {
	top: '#b91c1c',
	high: '#ea580c',
	mid: '#2563eb',
	low: '#60a5fa',
	inactive: '#9ca3af',
	potential: '#d1d5db',
	new: '#0d9488',
};
export const DIRECTION_COLORS = { up: '#16a34a', down: '#dc2626', same: '#94a3b8', new: '#14b8a6' };
const INK = '#374151';
const MUTED = '#6b7280';
const PRIMARY = '#2563eb';
const ACCENT = '#f59e0b';

export const label = (o, lang) => (lang === 'en' ? o.label_en : o.label_zh) || o.label_zh || o.label_en || o.key || '';

/** 100001 → "100,001" (grouped the same way in both languages). */
export const num = (n) => Number(n || 0).toLocaleString('en-US');

/** 0.8196 → "82.0%"; null → "—". */
export function pct(x, digits = 1) {
	if (x === null || x === undefined || !Number.isFinite(Number(x))) return '—';
	return `${(Number(x) * 100).toFixed(digits)}%`;
}

/** Yuan, shortened for axes: 12345600 fen → "12.3万" (zh) or "123.5K" (en). */
export function shortMoney(fen, lang) {
	const y = Number(fen || 0) / 100;
	const a = Math.abs(y);
	if (lang === 'en') {
		if (a >= 1e9) return `¥${(y / 1e9).toFixed(1)}B`;
		if (a >= 1e6) return `¥${(y / 1e6).toFixed(1)}M`;
		if (a >= 1e3) return `¥${(y / 1e3).toFixed(1)}K`;
		return `¥${y.toFixed(0)}`;
	}
	if (a >= 1e8) return `¥${(y / 1e8).toFixed(1)}亿`;
	if (a >= 1e4) return `¥${(y / 1e4).toFixed(1)}万`;
	return `¥${y.toFixed(0)}`;
}

const LIGHT_TIERS = ['low', 'inactive', 'potential'];

const base = () => ({
	textStyle: { fontFamily: 'inherit', color: INK },
	tooltip: { confine: true },
});

/* ---- Pareto --------------------------------------------------------------------- */

/** The point of the curve nearest to share x of the customers. */
function nearest(points, x) {
	let best = points[0];
	for (const p of points) if (Math.abs(p.x - x) < Math.abs(best.x - x)) best = p;
	return best;
}

/**
 * The curve cut in ten bands of customers (best 10% first): for each, the customers, the
 * revenue it brings, its share and the cumulative share. Bands come from the API's points.
 */
export function paretoDeciles(data) {
	const pts = data?.points || [];
	if (pts.length < 2 || !data.customers) return [];
	const total = data.total_fen || 0;
	const out = [];
	let prev = { customers: 0, value_fen: 0, x: 0, y: 0 };
	for (let k = 1; k <= 10; k++) {
		const p = k === 10 ? pts[pts.length - 1] : nearest(pts, k / 10);
		const value = p.value_fen - prev.value_fen;
		out.push({
			band: k,
			rankFrom: prev.customers + 1,
			rankTo: p.customers,
			customers: p.customers - prev.customers,
			value_fen: value,
			share: total ? value / total : 0,
			cum_share: p.y,
		});
		prev = p;
	}
	return out;
}

export function paretoOption(data, { t, lang }) {
	const bands = paretoDeciles(data);
	const names = bands.map((b) => `${(b.band - 1) * 10}–${b.band * 10}%`);
	return {
		...base(),
		grid: { left: 56, right: 56, top: 48, bottom: 56 },
		legend: { top: 4, data: [t('reports.pareto.bandShare'), t('reports.pareto.cumShare')] },
		tooltip: {
			trigger: 'axis',
			confine: true,
			axisPointer: { type: 'shadow' },
			formatter: (ps) => {
				const b = bands[ps[0].dataIndex];
				return [
					`<b>${t('reports.pareto.band', { band: names[ps[0].dataIndex] })}</b>`,
					t('reports.pareto.tipCustomers', { n: num(b.customers), from: num(b.rankFrom), to: num(b.rankTo) }),
					`${t('reports.pareto.bandShare')}: ${pct(b.share)} (${shortMoney(b.value_fen, lang)})`,
					`${t('reports.pareto.cumShare')}: ${pct(b.cum_share)}`,
				].join('<br/>');
			},
		},
		xAxis: {
			type: 'category',
			data: names,
			name: t('reports.pareto.xAxis'),
			nameLocation: 'middle',
			nameGap: 32,
			axisLabel: { color: MUTED },
		},
		yAxis: [
			{ type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%', color: MUTED }, splitLine: { lineStyle: { type: 'dashed' } } },
			{ type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%', color: MUTED }, splitLine: { show: false } },
		],
		series: [
			{
				name: t('reports.pareto.bandShare'),
				type: 'bar',
				barWidth: '62%',
				data: bands.map((b) => ({
					value: +(b.share * 100).toFixed(2),
					band: b.band,
					itemStyle: { color: b.band <= 2 ? PRIMARY : '#93b4ee', borderRadius: [3, 3, 0, 0] },
				})),
				label: { show: true, position: 'top', color: INK, formatter: (p) => `${p.value.toFixed(1)}%` },
			},
			{
				name: t('reports.pareto.cumShare'),
				type: 'line',
				yAxisIndex: 1,
				smooth: false,
				symbolSize: 7,
				data: bands.map((b) => +(b.cum_share * 100).toFixed(2)),
				itemStyle: { color: ACCENT },
				lineStyle: { width: 2.5 },
				markLine: {
					silent: true,
					symbol: 'none',
					lineStyle: { color: '#ef4444', type: 'dashed' },
					label: { formatter: '80%', color: '#ef4444', position: 'insideStartTop' },
					data: [{ yAxis: 80 }],
				},
			},
		],
	};
}

/* ---- pyramid -------------------------------------------------------------------- */

export function pyramidOption(data, { t, lang }) {
	const tiers = data?.tiers || [];
	const n = tiers.length;
	return {
		...base(),
		tooltip: {
			trigger: 'item',
			confine: true,
			formatter: (p) => {
				const x = tiers[p.dataIndex];
				return [
					`<b>${label(x, lang)}</b>`,
					`${t('reports.col.customers')}: ${num(x.customers)} (${pct(x.customer_share)})`,
					`${t('reports.col.revenue')}: ${shortMoney(x.revenue_fen, lang)} (${pct(x.revenue_share)})`,
					`${t('reports.col.keyAccounts')}: ${x.key_accounts}`,
				].join('<br/>');
			},
		},
		series: [
			{
				type: 'funnel',
				maxSize: '100%',
				sort: 'none',
				left: '4%',
				width: '92%',
				top: 8,
				bottom: 8,
				minSize: '18%',
				gap: 3,
				// A fixed step per level, the apex on top: the shape is the pyramid, the numbers
				// are in the labels.
				data: tiers.map((x, i) => ({
					name: label(x, lang),
					value: i + 1,
					tier: x.tier,
					itemStyle: { color: TIER_COLORS[x.tier] || MUTED, borderColor: '#fff' },
					label: { color: LIGHT_TIERS.includes(x.tier) ? INK : '#fff' },
				})),
				label: {
					position: 'inside',
					fontSize: 13,
					formatter: (p) => {
						const x = tiers[p.dataIndex];
						return `${label(x, lang)}  ${num(x.customers)} · ${pct(x.revenue_share)}`;
					},
				},
				labelLine: { show: false },
			},
		],
	};
}

/** Share of customers against share of revenue, per tier (the 80/20 in one picture). */
export function tierShareOption(data, { t, lang }) {
	const tiers = data?.tiers || [];
	return {
		...base(),
		grid: { left: 8, right: 40, top: 36, bottom: 8, containLabel: true },
		legend: { top: 4, data: [t('reports.pyramid.customerShare'), t('reports.pyramid.revenueShare')] },
		tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${v}%` },
		xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%', color: MUTED }, splitLine: { lineStyle: { type: 'dashed' } } },
		yAxis: { type: 'category', inverse: true, data: tiers.map((x) => label(x, lang)), axisTick: { show: false } },
		series: [
			{
				name: t('reports.pyramid.customerShare'),
				type: 'bar',
				data: tiers.map((x) => +(x.customer_share * 100).toFixed(1)),
				itemStyle: { color: '#94a3b8' },
				label: { show: true, position: 'right', formatter: '{c}%', color: MUTED },
			},
			{
				name: t('reports.pyramid.revenueShare'),
				type: 'bar',
				data: tiers.map((x) => ({ value: +(x.revenue_share * 100).toFixed(1), itemStyle: { color: TIER_COLORS[x.tier] } })),
				label: { show: true, position: 'right', formatter: '{c}%', color: INK },
			},
		],
	};
}

/* ---- RFM ------------------------------------------------------------------------ */

/** The 5×5 grid as heatmap cells [f-1, r-1, value]. */
export function rfmCells(data, metric = 'customers') {
	return (data?.grid || []).map((c) => [c.f - 1, c.r - 1, metric === 'revenue' ? Math.round(c.revenue_fen / 100) : c.customers]);
}

export function rfmOption(data, { t, lang, metric = 'customers' }) {
	const cells = rfmCells(data, metric);
	const max = Math.max(1, ...cells.map((c) => c[2]));
	const fmt = (v) => (metric === 'revenue' ? shortMoney(v * 100, lang) : String(v));
	return {
		...base(),
		grid: { left: 64, right: 24, top: 16, bottom: 88 },
		tooltip: {
			confine: true,
			formatter: (p) => `R${p.value[1] + 1} · F${p.value[0] + 1}<br/>${t(`reports.rfm.metric.${metric}`)}: ${fmt(p.value[2])}`,
		},
		xAxis: {
			type: 'category',
			data: [1, 2, 3, 4, 5].map((f) => `F${f}`),
			name: t('reports.rfm.fAxis'),
			nameLocation: 'middle',
			nameGap: 26,
			splitArea: { show: true },
		},
		yAxis: {
			type: 'category',
			data: [1, 2, 3, 4, 5].map((r) => `R${r}`),
			name: t('reports.rfm.rAxis'),
			nameLocation: 'middle',
			nameGap: 40,
			splitArea: { show: true },
		},
		visualMap: {
			min: 0,
			max,
			calculable: false,
			orient: 'horizontal',
			left: 'center',
			bottom: 4,
			itemHeight: 160,
			text: [fmt(max), '0'],
			textGap: 8,
			inRange: { color: ['#f1f5f9', '#93c5fd', '#1d4ed8'] },
			formatter: (v) => fmt(Math.round(v)),
		},
		series: [
			{
				type: 'heatmap',
				// Dark cells get white numbers.
				data: cells.map((c) => ({ value: c, label: { color: c[2] > max * 0.55 ? '#fff' : INK } })),
				label: { show: true, formatter: (p) => (p.value[2] ? fmt(p.value[2]) : '') },
				itemStyle: { borderColor: '#fff', borderWidth: 2 },
				emphasis: { itemStyle: { shadowBlur: 6, shadowColor: 'rgba(0,0,0,.25)' } },
			},
		],
	};
}

/** Lifecycle stages: customers now against what the rules suggest. */
export function lifecycleOption(data, { t, lang }) {
	const lc = data?.lifecycle || [];
	return {
		...base(),
		grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
		legend: { top: 4, data: [t('reports.rfm.current'), t('reports.rfm.suggested')] },
		tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' } },
		xAxis: { type: 'category', data: lc.map((x) => label(x, lang)), axisTick: { show: false } },
		yAxis: { type: 'value', splitLine: { lineStyle: { type: 'dashed' } } },
		series: [
			{ name: t('reports.rfm.current'), type: 'bar', data: lc.map((x) => x.customers), itemStyle: { color: '#94a3b8' } },
			{ name: t('reports.rfm.suggested'), type: 'bar', data: lc.map((x) => x.suggested), itemStyle: { color: PRIMARY } },
		],
	};
}

/* ---- tier migration ------------------------------------------------------------- */

/** The from × to matrix of the flows: rows (from tiers present), cols (to tiers), counts. */
export function migrationMatrix(data) {
	const order = ['new', 'top', 'high', 'mid', 'low', 'inactive', 'potential'];
	const links = data?.links || [];
	const nodes = data?.nodes || [];
	const present = (side) => order.filter((k) => nodes.some((n) => n.side === side && n.tier === k));
	const rows = present('from');
	const cols = present('to');
	const cell = {};
	for (const l of links) cell[`${l.from}>${l.to}`] = l;
	return {
		rows: rows.map((from) => ({
			from,
			node: nodes.find((n) => n.side === 'from' && n.tier === from),
			cells: cols.map((to) => cell[`${from}>${to}`] || { from, to, customers: 0, direction: '' }),
		})),
		cols: cols.map((to) => nodes.find((n) => n.side === 'to' && n.tier === to)),
	};
}

export function sankeyOption(data, { t, lang }) {
	const nodes = data?.nodes || [];
	const byName = Object.fromEntries(nodes.map((n) => [n.name, n]));
	return {
		...base(),
		tooltip: {
			trigger: 'item',
			confine: true,
			formatter: (p) => {
				if (p.dataType === 'edge') {
					const l = p.data;
					return `${label(byName[l.source], lang)} → ${label(byName[l.target], lang)}<br/>${t('reports.migration.customersN', { n: num(l.value) })} · ${t(`reports.migration.dir.${l.direction}`)}`;
				}
				const n = byName[p.name];
				return `${t(`reports.migration.side.${n.side}`)}: ${label(n, lang)}<br/>${t('reports.migration.customersN', { n: num(n.customers) })}`;
			},
		},
		series: [
			{
				type: 'sankey',
				left: 90,
				right: 90,
				top: 12,
				bottom: 12,
				nodeWidth: 16,
				nodeGap: 10,
				layoutIterations: 0, // keep the tiers in their order, best on top
				draggable: false,
				emphasis: { focus: 'adjacency' },
				data: nodes.map((n) => ({
					name: n.name,
					itemStyle: { color: TIER_COLORS[n.tier] || MUTED },
					label: {
						position: n.side === 'from' ? 'left' : 'right',
						formatter: () => `${label(n, lang)} ${num(n.customers)}`,
						color: INK,
					},
				})),
				links: (data?.links || []).map((l) => ({
					source: l.source,
					target: l.target,
					value: l.customers,
					from: l.from,
					to: l.to,
					direction: l.direction,
					lineStyle: { color: DIRECTION_COLORS[l.direction] || MUTED, opacity: 0.35 },
				})),
			},
		],
	};
}

/* ---- cases ---------------------------------------------------------------------- */

/** Complaints (or cases) by one dimension: bars largest first, the cumulative line. */
export function complaintsOption(data, { t, lang }) {
	const items = data?.items || [];
	return {
		...base(),
		grid: { left: 48, right: 56, top: 40, bottom: 8, containLabel: true },
		legend: { top: 4, data: [t('reports.col.cases'), t('reports.col.cumShare')] },
		tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' } },
		xAxis: {
			type: 'category',
			data: items.map((x) => label(x, lang)),
			axisLabel: { interval: 0, rotate: items.length > 6 ? 30 : 0, color: MUTED, width: 110, overflow: 'truncate' },
		},
		yAxis: [
			{ type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
			{ type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
		],
		series: [
			{
				name: t('reports.col.cases'),
				type: 'bar',
				barMaxWidth: 48,
				data: items.map((x) => x.cases),
				itemStyle: { color: '#f97316', borderRadius: [3, 3, 0, 0] },
				label: { show: true, position: 'top', color: INK },
			},
			{
				name: t('reports.col.cumShare'),
				type: 'line',
				yAxisIndex: 1,
				data: items.map((x) => +(x.cum_share * 100).toFixed(1)),
				itemStyle: { color: PRIMARY },
				tooltip: { valueFormatter: (v) => `${v}%` },
			},
		],
	};
}

/**
 * Cases per week split by category: the `top` largest categories of the period, the rest as
 * one "other" series. perWeek: the complaints answers of each week, in week order.
 */
export function categoryTrend(perWeek, top = 5) {
	const total = new Map();
	const labels = new Map();
	for (const w of perWeek)
		for (const x of w.items || []) {
			total.set(x.key, (total.get(x.key) || 0) + x.cases);
			labels.set(x.key, x);
		}
	const keys = [...total.keys()].sort((a, b) => total.get(b) - total.get(a) || a.localeCompare(b));
	const shown = keys.slice(0, top);
	const series = shown.map((k) => ({ key: k, item: labels.get(k), data: perWeek.map((w) => (w.items || []).find((x) => x.key === k)?.cases || 0) }));
	if (keys.length > top)
		series.push({ key: '*other', item: null, data: perWeek.map((w) => (w.items || []).filter((x) => !shown.includes(x.key)).reduce((a, x) => a + x.cases, 0)) });
	return series;
}

const TREND_COLORS = ['#f97316', '#2563eb', '#16a34a', '#a855f7', '#eab308', '#94a3b8'];

export function categoryTrendOption(weeks, perWeek, { t, lang }) {
	const series = categoryTrend(perWeek);
	return {
		...base(),
		grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
		legend: { top: 4, type: 'scroll' },
		tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' } },
		xAxis: { type: 'category', data: weeks.map((w) => w.week.slice(5)), axisLabel: { color: MUTED } },
		yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
		series: series.map((s, i) => ({
			name: s.item ? label(s.item, lang) : t('reports.complaints.other'),
			type: 'bar',
			stack: 'cases',
			barMaxWidth: 26,
			data: s.data,
			itemStyle: { color: TREND_COLORS[i % TREND_COLORS.length] },
		})),
	};
}

const compliance = (c) => (c && c.compliance !== null && c.compliance !== undefined ? +(c.compliance * 100).toFixed(1) : null);

/** Weekly volumes (bars) and SLA compliance (lines, right axis). */
export function weeklyOption(data, { t }) {
	const weeks = data?.weeks || [];
	return {
		...base(),
		grid: { left: 48, right: 56, top: 40, bottom: 8, containLabel: true },
		legend: { top: 4 },
		tooltip: { trigger: 'axis', confine: true },
		xAxis: { type: 'category', data: weeks.map((w) => w.week.slice(5)), axisLabel: { color: MUTED } },
		yAxis: [
			{ type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
			{ type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
		],
		series: [
			{ name: t('reports.weekly.received'), type: 'bar', data: weeks.map((w) => w.received), itemStyle: { color: '#93c5fd' }, barMaxWidth: 28 },
			{ name: t('reports.weekly.resolved'), type: 'bar', data: weeks.map((w) => w.resolved), itemStyle: { color: PRIMARY }, barMaxWidth: 28 },
			{
				name: t('reports.weekly.frCompliance'),
				type: 'line',
				yAxisIndex: 1,
				connectNulls: true,
				data: weeks.map((w) => compliance(w.first_response)),
				itemStyle: { color: '#16a34a' },
				tooltip: { valueFormatter: (v) => (v === null || v === undefined ? '—' : `${v}%`) },
			},
			{
				name: t('reports.weekly.resCompliance'),
				type: 'line',
				yAxisIndex: 1,
				connectNulls: true,
				data: weeks.map((w) => compliance(w.resolution)),
				itemStyle: { color: ACCENT },
				tooltip: { valueFormatter: (v) => (v === null || v === undefined ? '—' : `${v}%`) },
			},
		],
	};
}

/** The follow-up funnel (handled → followed up → within three days) and the outcomes. */
export function followUpsOption(data, { t, lang }) {
	const steps = [
		{ name: t('reports.followUps.handled'), value: data?.handled || 0, color: '#94a3b8' },
		{ name: t('reports.followUps.followed'), value: data?.followed_up || 0, color: PRIMARY },
		{ name: t('reports.followUps.timely'), value: data?.within_3_days || 0, color: '#16a34a' },
		{ name: t('reports.followUps.keyHandled'), value: data?.key_accounts?.handled || 0, color: '#fca5a5' },
		{ name: t('reports.followUps.keyFollowed'), value: data?.key_accounts?.followed_up || 0, color: '#b91c1c' },
	];
	const outcomes = data?.outcomes || [];
	const OUT = { satisfied: '#16a34a', neutral: '#f59e0b', unsatisfied: '#dc2626', unreachable: '#9ca3af' };
	return {
		...base(),
		tooltip: { trigger: 'item', confine: true },
		grid: { left: 8, right: '44%', top: 16, bottom: 8, containLabel: true },
		xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
		yAxis: { type: 'category', inverse: true, data: steps.map((s) => s.name), axisTick: { show: false } },
		series: [
			{
				type: 'bar',
				barMaxWidth: 22,
				data: steps.map((s) => ({ value: s.value, itemStyle: { color: s.color, borderRadius: [0, 3, 3, 0] } })),
				label: { show: true, position: 'right', color: INK },
			},
			{
				type: 'pie',
				stillShowZeroSum: false,
				center: ['80%', '52%'],
				radius: ['38%', '62%'],
				data: outcomes.map((o) => ({ name: label(o, lang), value: o.cases, itemStyle: { color: OUT[o.outcome] || MUTED } })),
				label: { formatter: '{b}\n{c}', color: INK },
			},
		],
	};
}

/* ---- commitment fulfilment and agent workload ------------------------------------ */

// The outcomes of a week's promises, stacked in this order (settled first, then still open).
export const COMMIT_PARTS = [
	{ key: 'kept_on_time', msg: 'onTime', color: '#16a34a' },
	{ key: 'kept_late', msg: 'late', color: '#86efac' },
	{ key: 'broken', msg: 'broken', color: '#dc2626' },
	{ key: 'overdue', msg: 'overdue', color: '#f59e0b' },
	{ key: 'pending', msg: 'pending', color: '#cbd5e1' },
];

/** Stacked bars per week of the due date, and the week's fulfilment rate as a line. */
export function commitmentsOption(data, { t }) {
	const weeks = data?.weeks || [];
	return {
		...base(),
		grid: { left: 48, right: 56, top: 40, bottom: 8, containLabel: true },
		legend: { top: 4 },
		tooltip: { trigger: 'axis', confine: true },
		xAxis: { type: 'category', data: weeks.map((w) => w.week.slice(5)), axisLabel: { color: MUTED } },
		yAxis: [
			{ type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
			{ type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
		],
		series: [
			...COMMIT_PARTS.map((p) => ({
				name: t(`reports.commitments.${p.msg}`),
				type: 'bar',
				stack: 'made',
				barMaxWidth: 28,
				data: weeks.map((w) => w[p.key]),
				itemStyle: { color: p.color },
			})),
			{
				name: t('reports.commitments.rate'),
				type: 'line',
				yAxisIndex: 1,
				connectNulls: true,
				data: weeks.map((w) => (w.rate === null || w.rate === undefined ? null : Math.round(w.rate * 1000) / 10)),
				itemStyle: { color: PRIMARY },
				tooltip: { valueFormatter: (v) => (v === null || v === undefined ? '—' : `${v}%`) },
			},
		],
	};
}

// The parts of an agent's load drawn as horizontal bars (what is on the desk, what came in).
export const WORKLOAD_PARTS = [
	{ key: 'open', msg: 'open', color: PRIMARY },
	{ key: 'overdue', msg: 'overdue', color: '#dc2626' },
	{ key: 'assigned', msg: 'assigned', color: '#93c5fd' },
	{ key: 'closed', msg: 'closed', color: '#16a34a' },
];

/** Horizontal bars per agent, in the answer's order (the most loaded on top). */
export function workloadOption(data, { t }) {
	const agents = data?.agents || [];
	return {
		...base(),
		grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
		legend: { top: 4 },
		tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
		xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
		yAxis: { type: 'category', inverse: true, data: agents.map((a) => a.name), axisTick: { show: false } },
		series: WORKLOAD_PARTS.map((p) => ({
			name: t(`reports.workload.${p.msg}`),
			type: 'bar',
			barMaxWidth: 14,
			data: agents.map((a) => a[p.key]),
			itemStyle: { color: p.color },
		})),
	};
}
