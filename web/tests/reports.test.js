// The reports module's pure logic: periods (China days, presets, the URL), the chart options
// built from API answers, the segmentation rules form, the export file name.
import { describe, expect, it } from 'vitest';
import { chinaDay, dayStart, matchPreset, presetRange, readCaseType, readPeriod, weekRanges } from '../src/modules/reports/period.js';
import {
	categoryTrend,
	categoryTrendOption,
	commitmentsOption,
	complaintsOption,
	followUpsOption,
	migrationMatrix,
	paretoDeciles,
	paretoOption,
	pct,
	pyramidOption,
	rfmCells,
	rfmOption,
	sankeyOption,
	shortMoney,
	weeklyOption,
	workloadOption,
} from '../src/modules/reports/charts.js';
import { lowShare, settingsPatch, validateSettings } from '../src/modules/reports/settings.js';
import { dispositionName } from '../src/modules/reports/api.js';
import { commitmentsLink, periodMs, workloadLink } from '../src/modules/reports/links.js';

const t = (k, p) => (p ? `${k}${JSON.stringify(p)}` : k);
// 2026-11-25 17:30 UTC is 2026-11-26 01:30 in China.
const NOW = Date.UTC(2026, 10, 25, 17, 30);

describe('periods', () => {
	it('counts days in China time', () => {
		expect(chinaDay(NOW)).toBe('2026-11-26');
		expect(chinaDay(Date.UTC(2026, 10, 25, 15, 59))).toBe('2026-11-25');
		expect(dayStart('2026-11-26')).toBe(Date.UTC(2026, 10, 25, 16, 0));
		expect(dayStart('2026-02-30')).toBeNull();
		expect(dayStart('26-1-1')).toBeNull();
	});

	it('gives the presets as whole days, both included', () => {
		expect(presetRange('last30', NOW)).toEqual({ from: '2026-10-28', to: '2026-11-26' });
		expect(presetRange('last90', NOW)).toEqual({ from: '2026-08-29', to: '2026-11-26' });
		expect(presetRange('thisQuarter', NOW)).toEqual({ from: '2026-10-01', to: '2026-11-26' });
		expect(presetRange('lastQuarter', NOW)).toEqual({ from: '2026-07-01', to: '2026-09-30' });
		expect(presetRange('thisYear', NOW)).toEqual({ from: '2026-01-01', to: '2026-11-26' });
		expect(presetRange('last12m', NOW)).toEqual({ from: '2025-11-27', to: '2026-11-26' });
		// Across a year: the first quarter's "last quarter" is last year's fourth.
		expect(presetRange('lastQuarter', Date.UTC(2026, 1, 10))).toEqual({ from: '2025-10-01', to: '2025-12-31' });
		expect(presetRange('nope', NOW)).toBeNull();
	});

	it('reads the period of the URL, or falls back to the preset', () => {
		expect(readPeriod({ from: '2026-07-01', to: '2026-09-30' }, 'last90', NOW)).toEqual({ from: '2026-07-01', to: '2026-09-30', preset: 'lastQuarter' });
		expect(readPeriod({ from: '2026-07-03', to: '2026-09-30' }, 'last90', NOW).preset).toBe('');
		expect(readPeriod({ from: '2026-09-30', to: '2026-07-01' }, 'last90', NOW)).toEqual({ from: '2026-08-29', to: '2026-11-26', preset: 'last90' });
		expect(readPeriod({ from: 'x' }, 'last30', NOW).preset).toBe('last30');
		expect(matchPreset('2026-01-01', '2026-11-26', NOW)).toBe('thisYear');
	});

	it('reads the case type', () => {
		expect(readCaseType({ type: 'after_sales' }, 'all')).toBe('after_sales');
		expect(readCaseType({ type: 'bogus' }, 'complaint')).toBe('complaint');
	});
});

// A Pareto answer as the API gives it: 101 points, 200 buyers, the first 10 bring half.
function pareto() {
	const points = [];
	for (let i = 0; i <= 100; i++) {
		const customers = i * 2;
		const y = i <= 10 ? i * 0.05 : 0.5 + (i - 10) * (0.5 / 90);
		points.push({ customers, value_fen: Math.round(y * 1000000), x: i / 100, y });
	}
	return { customers: 200, total_fen: 1000000, top20_share: 0.5 + 10 * (0.5 / 90), points, by: 'revenue' };
}

describe('chart options', () => {
	it('cuts the Pareto curve in ten bands that add up', () => {
		const bands = paretoDeciles(pareto());
		expect(bands).toHaveLength(10);
		expect(bands[0]).toMatchObject({ band: 1, rankFrom: 1, rankTo: 20, customers: 20, value_fen: 500000 });
		expect(bands[0].share).toBeCloseTo(0.5);
		expect(bands[9].rankTo).toBe(200);
		expect(bands.reduce((a, b) => a + b.value_fen, 0)).toBe(1000000);
		expect(bands.reduce((a, b) => a + b.customers, 0)).toBe(200);
		expect(bands[9].cum_share).toBe(1);
		expect(paretoDeciles({ customers: 0, points: [{ customers: 0, value_fen: 0, x: 0, y: 0 }] })).toEqual([]);
	});

	it('draws the Pareto as bars (percent per band) and the cumulative line with the 80% mark', () => {
		const o = paretoOption(pareto(), { t, lang: 'zh-CN' });
		expect(o.xAxis.data[0]).toBe('0–10%');
		expect(o.series[0].type).toBe('bar');
		expect(o.series[0].data[0].value).toBe(50);
		expect(o.series[1].type).toBe('line');
		expect(o.series[1].data[9]).toBe(100);
		expect(o.series[1].markLine.data[0].yAxis).toBe(80);
		// The top 20% (two bands) stand out.
		expect(o.series[0].data[0].itemStyle.color).not.toBe(o.series[0].data[5].itemStyle.color);
	});

	const pyr = {
		tiers: ['top', 'high', 'mid', 'low', 'inactive', 'potential'].map((tier, i) => ({
			tier,
			label_zh: `层${i}`,
			label_en: `Tier${i}`,
			customers: (i + 1) * 10,
			customer_share: 0.1,
			revenue_fen: 1000 * (6 - i),
			revenue_share: 0.2,
			key_accounts: 0,
		})),
	};

	it('draws the pyramid with the top tier at the apex, in the UI language', () => {
		const o = pyramidOption(pyr, { t, lang: 'en' });
		const d = o.series[0].data;
		expect(o.series[0].type).toBe('funnel');
		expect(o.series[0].sort).toBe('none');
		expect(d.map((x) => x.name)).toEqual(['Tier0', 'Tier1', 'Tier2', 'Tier3', 'Tier4', 'Tier5']);
		expect(d[0].value).toBeLessThan(d[5].value);
		expect(o.series[0].label.formatter({ dataIndex: 0 })).toBe('Tier0  10 · 20.0%');
		expect(pyramidOption(pyr, { t, lang: 'zh-CN' }).series[0].data[0].name).toBe('层0');
	});

	it('puts the RFM grid on F × R cells, by customers or revenue', () => {
		const grid = [
			{ r: 5, f: 5, customers: 3, revenue_fen: 12300 },
			{ r: 1, f: 2, customers: 7, revenue_fen: 100 },
		];
		expect(rfmCells({ grid })).toEqual([
			[4, 4, 3],
			[1, 0, 7],
		]);
		expect(rfmCells({ grid }, 'revenue')[0]).toEqual([4, 4, 123]);
		const o = rfmOption({ grid }, { t, lang: 'zh-CN' });
		expect(o.visualMap.max).toBe(7);
		expect(o.series[0].data[1].label.color).toBe('#fff'); // the darkest cell
	});

	const mig = {
		nodes: [
			{ name: 'from:new', side: 'from', tier: 'new', label_zh: '新客户', label_en: 'New', customers: 3 },
			{ name: 'from:high', side: 'from', tier: 'high', label_zh: '高层', label_en: 'High', customers: 2 },
			{ name: 'to:top', side: 'to', tier: 'top', label_zh: '顶层', label_en: 'Top', customers: 1 },
			{ name: 'to:low', side: 'to', tier: 'low', label_zh: '低层', label_en: 'Low', customers: 4 },
		],
		links: [
			{ source: 'from:new', target: 'to:low', from: 'new', to: 'low', customers: 3, direction: 'new' },
			{ source: 'from:high', target: 'to:top', from: 'high', to: 'top', customers: 1, direction: 'up' },
			{ source: 'from:high', target: 'to:low', from: 'high', to: 'low', customers: 1, direction: 'down' },
		],
	};

	it('lays the migration out as a matrix and a Sankey coloured by direction', () => {
		const m = migrationMatrix(mig);
		expect(m.rows.map((r) => r.from)).toEqual(['new', 'high']);
		expect(m.cols.map((c) => c.tier)).toEqual(['top', 'low']);
		expect(m.rows[0].cells.map((c) => c.customers)).toEqual([0, 3]);
		expect(m.rows[1].cells.map((c) => c.direction)).toEqual(['up', 'down']);
		const o = sankeyOption(mig, { t, lang: 'en' });
		expect(o.series[0].links).toHaveLength(3);
		expect(o.series[0].links[1].lineStyle.color).not.toBe(o.series[0].links[2].lineStyle.color);
		expect(o.series[0].data[0].label.formatter()).toBe('New 3');
		expect(sankeyOption({ ...mig, nodes: [{ ...mig.nodes[0], customers: 100001 }] }, { t, lang: 'zh-CN' }).series[0].data[0].label.formatter()).toBe('新客户 100,001');
		expect(o.series[0].data[0].label.position).toBe('left');
		expect(o.series[0].data[2].label.position).toBe('right');
	});

	it('draws complaints largest first with the cumulative share, weeks with compliance', () => {
		const o = complaintsOption(
			{
				items: [
					{ key: 'a', label_zh: '甲', label_en: 'A', cases: 6, share: 0.6, cum_share: 0.6 },
					{ key: '', label_zh: '未分类', label_en: 'Unclassified', cases: 4, share: 0.4, cum_share: 1 },
				],
			},
			{ t, lang: 'en' },
		);
		expect(o.xAxis.data).toEqual(['A', 'Unclassified']);
		expect(o.series[1].data).toEqual([60, 100]);
		const w = weeklyOption(
			{
				weeks: [
					{ week: '2026-11-16', received: 3, resolved: 2, first_response: { compliance: 0.5 }, resolution: { compliance: null } },
					{ week: '2026-11-23', received: 0, resolved: 0, first_response: { compliance: null }, resolution: { compliance: 1 } },
				],
			},
			{ t },
		);
		expect(w.xAxis.data).toEqual(['11-16', '11-23']);
		expect(w.series[2].data).toEqual([50, null]);
		expect(w.series[3].data).toEqual([null, 100]);
	});

	it('draws the follow-up steps and outcomes', () => {
		const o = followUpsOption(
			{ handled: 10, followed_up: 8, within_3_days: 5, key_accounts: { handled: 2, followed_up: 1 }, outcomes: [{ outcome: 'satisfied', label_zh: '满意', label_en: 'Satisfied', cases: 6 }] },
			{ t, lang: 'zh-CN' },
		);
		expect(o.series[0].data.map((d) => d.value)).toEqual([10, 8, 5, 2, 1]);
		expect(o.series[1].data).toEqual([expect.objectContaining({ name: '满意', value: 6 })]);
	});

	it('formats shares and short amounts in both languages', () => {
		expect(pct(0.8196)).toBe('82.0%');
		expect(pct(null)).toBe('—');
		expect(shortMoney(123456700, 'zh-CN')).toBe('¥123.5万');
		expect(shortMoney(12345670000, 'zh-CN')).toBe('¥1.2亿');
		expect(shortMoney(123456700, 'en')).toBe('¥1.2M');
		expect(shortMoney(5000, 'en')).toBe('¥50');
	});
});

describe('segmentation rules', () => {
	const ok = {
		window_months: 12,
		inactive_months: 12,
		rank_by: 'revenue',
		top_pct: 1,
		high_pct: 4,
		mid_pct: 15,
		lifecycle_auto: true,
		loyal_min_orders: 2,
		loyal_min_r: 4,
		loyal_min_f: 4,
		temporary_max_orders: 1,
		temporary_max_r: 1,
		inactive_is_temporary: true,
		key_min_tier: 'high',
		key_min_orders: 3,
		key_min_history_months: 6,
		auto_recompute: true,
		recompute_hour: 2,
	};

	it('accepts the defaults and names each mistake under its field', () => {
		expect(validateSettings(ok)).toEqual({});
		expect(validateSettings({ ...ok, window_months: 0 }).window_months).toEqual({ key: 'segments.error.range', params: { min: 1, max: 120 } });
		expect(validateSettings({ ...ok, loyal_min_r: 2.5 }).loyal_min_r.key).toBe('segments.error.integer');
		expect(validateSettings({ ...ok, top_pct: 0.125 }).top_pct.key).toBe('segments.error.decimals');
		expect(validateSettings({ ...ok, top_pct: 0 }).top_pct.key).toBe('segments.error.range');
		expect(validateSettings({ ...ok, recompute_hour: null }).recompute_hour.key).toBe('segments.error.required');
		expect(validateSettings({ ...ok, key_min_tier: 'low' }).key_min_tier.key).toBe('segments.error.choice');
		expect(validateSettings({ ...ok, mid_pct: 95.01 }).mid_pct.key).toBe('segments.error.sum');
		expect(validateSettings({ ...ok, top_pct: 0.5, high_pct: 4.5, mid_pct: 95 })).toEqual({});
	});

	it('sends only what changed, and tells what is left for the low tier', () => {
		expect(settingsPatch(ok, { ...ok, top_pct: 2, lifecycle_auto: false })).toEqual({ top_pct: 2, lifecycle_auto: false });
		expect(settingsPatch(ok, { ...ok })).toEqual({});
		expect(lowShare(ok)).toBe(80);
		expect(lowShare({ top_pct: 0.5, high_pct: 4.25, mid_pct: 15 })).toBe(80.25);
	});
});

describe('exports', () => {
	it('takes the file name the server gives', () => {
		expect(dispositionName('attachment; filename="kefu-pareto-2026-11-26.xlsx"', 'x')).toBe('kefu-pareto-2026-11-26.xlsx');
		expect(dispositionName("attachment; filename*=UTF-8''kefu-%E6%8A%A5%E8%A1%A8.csv", 'x')).toBe('kefu-报表.csv');
		expect(dispositionName(null, 'kefu-rfm.csv')).toBe('kefu-rfm.csv');
	});
});

describe('complaints over time', () => {
	it('cuts the period in its report weeks (China Mondays), clipped to the period', () => {
		// Monday 2026-11-16 00:00 and 2026-11-23 00:00 China time.
		const w1 = Date.UTC(2026, 10, 15, 16);
		const w2 = w1 + 7 * 86400000;
		expect(weekRanges([w1, w2], { from: '2026-11-18', to: '2026-11-26' })).toEqual([
			{ week: '2026-11-16', from: '2026-11-18', to: '2026-11-22' },
			{ week: '2026-11-23', from: '2026-11-23', to: '2026-11-26' },
		]);
	});

	it('stacks the largest categories per week, the rest as one', () => {
		const item = (key, cases) => ({ key, label_zh: key, label_en: key.toUpperCase(), cases });
		const perWeek = [{ items: [item('a', 5), item('b', 1), item('c', 1)] }, { items: [item('b', 4), item('d', 2)] }];
		const s = categoryTrend(perWeek, 2);
		expect(s.map((x) => x.key)).toEqual(['a', 'b', '*other']);
		expect(s[0].data).toEqual([5, 0]);
		expect(s[1].data).toEqual([1, 4]);
		expect(s[2].data).toEqual([1, 2]);
		const o = categoryTrendOption([{ week: '2026-11-16' }, { week: '2026-11-23' }], perWeek, { t, lang: 'en' });
		expect(o.series.map((x) => x.name)).toEqual(['A', 'B', 'D', 'C']);
		expect(o.series.every((x) => x.stack === 'cases')).toBe(true);
		expect(o.xAxis.data).toEqual(['11-16', '11-23']);
	});
});

describe('commitment fulfilment and agent workload', () => {
	const t = (k) => k;
	const week = (w, o) => ({ week: w, week_start: 0, made: 0, kept_on_time: 0, kept_late: 0, broken: 0, overdue: 0, pending: 0, rate: null, ...o });

	it('stacks the outcomes of each week and draws the rate in percent', () => {
		const o = commitmentsOption({ weeks: [week('2026-11-16', { made: 3, kept_on_time: 2, broken: 1, rate: 2 / 3 }), week('2026-11-23', { pending: 1 })] }, { t });
		expect(o.xAxis.data).toEqual(['11-16', '11-23']);
		const bars = o.series.filter((s) => s.type === 'bar');
		expect(bars.map((s) => s.stack)).toEqual(['made', 'made', 'made', 'made', 'made']);
		expect(bars.map((s) => s.data)).toEqual([[2, 0], [0, 0], [1, 0], [0, 0], [0, 1]]);
		expect(o.series.at(-1).data).toEqual([66.7, null]);
	});

	it('draws one row of bars per agent, in the answer order', () => {
		const o = workloadOption({ agents: [{ name: '甲', open: 5, overdue: 1, assigned: 7, closed: 2 }, { name: '乙', open: 1, overdue: 0, assigned: 0, closed: 3 }] }, { t });
		expect(o.yAxis.data).toEqual(['甲', '乙']);
		expect(o.yAxis.inverse).toBe(true);
		expect(o.series.map((s) => s.data)).toEqual([[5, 1], [1, 0], [7, 0], [2, 3]]);
	});

	it('links a figure to its list with the period in epoch ms, the last day included', () => {
		const period = { from: '2026-11-01', to: '2026-11-30' };
		const from = String(Date.UTC(2026, 9, 31, 16)), to = String(Date.UTC(2026, 10, 30, 16));
		expect(periodMs(period)).toEqual({ from: Number(from), to: Number(to) });
		expect(commitmentsLink('kept_late', { period, userId: 7, departmentId: 3 })).toEqual({
			name: 'commitments', query: { scope: 'team', tab: 'kept', timing: 'late', due_from: from, due_to: to, agent: '7', dept: '3' },
		});
		expect(commitmentsLink('made', { period }).query).toEqual({ scope: 'team', tab: 'all', due_from: from, due_to: to });
		expect(workloadLink('closed', { period, userId: 7 })).toEqual({ name: 'cases', query: { view: 'all', assignee: '7', closed_from: from, closed_to: to } });
		expect(workloadLink('overdue', { period, userId: 7 })).toEqual({ name: 'cases', query: { view: 'overdue', assignee: '7' } });
		expect(workloadLink('visits', { period, userId: 7 }).query).toMatchObject({ tab: 'done', agent: '7', closed_from: from });
		expect(workloadLink('calls', { period, userId: 7 }).query).toEqual({ agent: '7', direction: 'inbound', from: '2026-11-01', to: '2026-11-30' });
		expect(workloadLink('replies', { period, userId: 7 })).toBe(null);
	});
});
