import { describe, expect, it } from 'vitest';
import {
	addableKinds,
	answerText,
	competitorRows,
	csatText,
	effortText,
	groupLabel,
	groupOption,
	move,
	newQuestion,
	npsParts,
	npsText,
	questionsBody,
	radarOption,
	readDashQuery,
	scoreToApi,
	tone,
	trendOption,
} from '../src/modules/satisfaction/scores.js';
import { campaignBody, cleanFilter } from '../src/modules/satisfaction/campaigns.js';

const t = (k, p) => (p ? `${k}:${JSON.stringify(p)}` : k);

describe('satisfaction figures', () => {
	it('formats basis points, NPS and effort, and null as a dash', () => {
		expect(csatText(8750)).toBe('87.5%');
		expect(csatText(null)).toBe('—');
		expect(npsText(4250)).toBe('+42.5');
		expect(npsText(-1000)).toBe('-10.0');
		expect(npsText(0)).toBe('0.0');
		expect(effortText(235)).toBe('2.35');
		expect(effortText(undefined)).toBe('—');
	});
	it('tones the tiles by the usual thresholds', () => {
		expect(tone('csat', 9000)).toBe('good');
		expect(tone('csat', 6000)).toBe('bad');
		expect(tone('nps', -100)).toBe('bad');
		expect(tone('effort', 250)).toBe('good');
		expect(tone('effort', 550)).toBe('bad');
		expect(tone('csat', null)).toBe('');
	});
	it('splits the NPS answers into shares', () => {
		const p = npsParts({ nps_n: 4, promoters: 2, passives: 1, detractors: 1 });
		expect(p.map((x) => x.share)).toEqual([0.5, 0.25, 0.25]);
		expect(npsParts({ nps_n: 0 }).every((x) => x.share === 0)).toBe(true);
	});
	it('reads the dashboard query with defaults for unknown values', () => {
		expect(readDashQuery({})).toEqual({ by: 'agent', granularity: 'week', measure: 'csat' });
		expect(readDashQuery({ by: 'tier', granularity: 'day', measure: 'nps' })).toEqual({ by: 'tier', granularity: 'day', measure: 'nps' });
		expect(readDashQuery({ by: 'x; drop', granularity: 'year' })).toEqual({ by: 'agent', granularity: 'week', measure: 'csat' });
	});
});

describe('satisfaction charts', () => {
	const rows = [
		{ key: '2026-10', label: '2026-10', csat_bp: 8000, nps_bp: -500, effort_x100: 300 },
		{ key: '2026-11', label: '2026-11', csat_bp: null, nps_bp: 2000, effort_x100: null },
	];
	it('draws the trend in display units, gaps as null', () => {
		const o = trendOption(rows, { t });
		expect(o.xAxis.data).toEqual(['2026-10', '2026-11']);
		expect(o.series[0].data).toEqual([80, null]);
		expect(o.series[1].data).toEqual([-5, 20]);
		expect(o.series[2].data).toEqual([3, null]);
		expect(o.series[2].yAxisIndex).toBe(1);
	});
	it('leaves groups without answers out of the bar chart', () => {
		const o = groupOption(rows, 'csat', { t });
		expect(o.yAxis.data).toEqual(['2026-10']);
		expect(o.series[0].data).toEqual([80]);
		expect(o.series[0].label.formatter({ dataIndex: 0 })).toBe('80.0%');
	});
	it('draws expected against perceived on the radar', () => {
		const o = radarOption([{ attribute: '速度', expected_x100: 450, perceived_x100: 300 }, { attribute: '态度', expected_x100: 400, perceived_x100: 420 }], { t });
		expect(o.radar.indicator.map((x) => x.name)).toEqual(['速度', '态度']);
		expect(o.series[0].data[0].value).toEqual([4.5, 4]);
		expect(o.series[0].data[1].value).toEqual([3, 4.2]);
	});
	it('compares us with the latest score of each competitor for the measure', () => {
		const r = competitorRows({ csat_bp: 8600 }, [
			{ competitor: 'A', period: '2026-Q3', measure: 'csat', score: 8000 },
			{ competitor: 'A', period: '2026-Q4', measure: 'csat', score: 8200 },
			{ competitor: 'B', period: '2026', measure: 'nps', score: 3000 },
		], 'csat', 'Us');
		expect(r).toEqual([
			{ name: 'Us', value: 8600, period: '', us: true },
			{ name: 'A', value: 8200, period: '2026-Q4', us: false },
		]);
	});
	it('turns a typed competitor score into the API unit', () => {
		expect(scoreToApi('csat', 87.5)).toBe(8750);
		expect(scoreToApi('nps', -12)).toBe(-1200);
		expect(scoreToApi('effort', 2.35)).toBe(235);
		expect(scoreToApi('csat', null)).toBe(null);
	});
});

describe('survey templates', () => {
	it('adds questions with unused keys and options for choices', () => {
		const qs = [newQuestion('single', [])];
		expect(qs[0]).toMatchObject({ key: 'single', kind: 'single' });
		expect(qs[0].options).toHaveLength(2);
		qs.push(newQuestion('single', qs));
		expect(qs[1].key).toBe('single_2');
		expect(newQuestion('text', []).options).toBeUndefined();
	});
	it('offers each scored kind once', () => {
		expect(addableKinds([{ kind: 'csat' }, { kind: 'text' }])).toEqual(['nps', 'effort', 'single', 'multiple', 'text']);
	});
	it('sends questions without empty English and options only on choices', () => {
		const body = questionsBody([
			{ key: 'csat', kind: 'csat', text_zh: '满意吗', text_en: '', required: true, options: [{ key: 'x', zh: 'x' }] },
			{ key: 'why', kind: 'single', text_zh: '原因', text_en: 'Why', required: false, options: [{ key: 'a', zh: '慢', en: '' }, { key: 'b', zh: '贵', en: 'Dear' }] },
		]);
		expect(body[0]).toEqual({ key: 'csat', kind: 'csat', text_zh: '满意吗', required: true });
		expect(body[1].text_en).toBe('Why');
		expect(body[1].options).toEqual([{ key: 'a', zh: '慢' }, { key: 'b', zh: '贵', en: 'Dear' }]);
	});
	it('moves a question within bounds', () => {
		expect(move([1, 2, 3], 0, 1)).toEqual([2, 1, 3]);
		expect(move([1, 2, 3], 0, -1)).toEqual([1, 2, 3]);
	});
	it('shows an answer with its option labels', () => {
		const q = { kind: 'multiple', options: [{ key: 'a', zh: '慢', en: 'Slow' }, { key: 'b', zh: '贵' }] };
		expect(answerText({ value: null, text: 'a,b' }, q, 'zh-CN')).toBe('慢、贵');
		expect(answerText({ value: null, text: 'a,b' }, q, 'en')).toBe('Slow, 贵');
		expect(answerText({ value: 2, text: '' }, { kind: 'csat' }, 'en')).toBe('2');
		expect(answerText({ value: null, text: '太慢' }, { kind: 'text' }, 'en')).toBe('太慢');
	});
});

describe('survey campaigns', () => {
	it('drops empty filter choices and unknown keys', () => {
		expect(cleanFilter({ tier: 'top', value_class: '', tag: '  ', industry: ' 餐饮 ', evil: 'x' })).toEqual({ tier: 'top', industry: '餐饮' });
	});
	it('builds the body with a known period', () => {
		expect(campaignBody({ name: ' 季度 ', template_id: 3, period: 'weird', expires_days: 14, filter: {} })).toEqual({ name: '季度', template_id: 3, period: 'once', expires_days: 14, filter: {} });
	});
});

describe('portal settings and opinion cards', () => {
	it('sends the editable settings with the empty contact rows left out', async () => {
		const { portalBody } = await import('../src/modules/satisfaction/campaigns.js');
		const b = portalBody({ company_name: ' 某公司 ', hotline: '400-800-1234 ', contacts: [{ name: '张经理', phone: '138' }, { name: '', role: '', phone: '', email: '' }], pledge: '24 小时回复', show_agent_names: 0, actor: 'admin', limit_per_ip: 20, limit_per_phone: 5 });
		expect(b.company_name).toBe('某公司');
		expect(b.hotline).toBe('400-800-1234');
		expect(b.contacts).toEqual([{ name: '张经理', role: '', phone: '138', email: '' }]);
		expect(b.show_agent_names).toBe(false);
		expect('actor' in b).toBe(false);
	});
	it('makes a slug the URL accepts', async () => {
		const { slugify } = await import('../src/modules/satisfaction/campaigns.js');
		expect(slugify(' Store 01 / Nanjing Rd ')).toBe('store-01-nanjing-rd');
		expect(slugify('--ab--')).toBe('ab');
	});
});

describe('expectation sheets', () => {
	it('sends every row in order, perceived levels only when given', async () => {
		const { itemsBody, newItem } = await import('../src/modules/satisfaction/expectations.js');
		const rows = [
			{ ...newItem(), attribute: ' 响应速度 ', expected_level: 5, expected_words: '当天回复' },
			{ ...newItem(), attribute: '' },
			{ ...newItem(), attribute: '价格', expected_level: 3, perceived_level: 1, perceived_words: ' 太贵 ' },
		];
		expect(itemsBody(rows)).toEqual([
			{ attribute: '响应速度', expected_level: 5, expected_words: '当天回复' },
			{ attribute: '', expected_level: 4, expected_words: '' },
			{ attribute: '价格', expected_level: 3, expected_words: '', perceived_level: 1, perceived_words: '太贵' },
		]);
	});
	it('reads a gap and its tone', async () => {
		const { gapOf, gapText, gapTone } = await import('../src/modules/satisfaction/expectations.js');
		expect(gapOf({ expected_level: 4, perceived_level: 2 })).toBe(-2);
		expect(gapOf({ expected_level: 4, perceived_level: null })).toBe(null);
		expect(gapText(-2)).toBe('−2');
		expect(gapText(1)).toBe('+1');
		expect(gapTone(-2)).toBe('bad');
		expect(gapTone(-1)).toBe('warn');
		expect(gapTone(0)).toBe('good');
		expect(gapTone(null)).toBe('');
	});
});

describe("a template's results", () => {
	it('counts the options in the template order, unknown keys last', async () => {
		const { optionCounts, barsOption } = await import('../src/modules/satisfaction/scores.js');
		const q = { options: [{ key: 'speed', zh: '速度', en: 'Speed' }, { key: 'price', zh: '价格' }] };
		expect(optionCounts(q, { price: 3, old: 1 }, 'en')).toEqual([
			{ key: 'speed', label: 'Speed', count: 0 },
			{ key: 'price', label: '价格', count: 3 },
			{ key: 'old', label: 'old', count: 1 },
		]);
		const o = barsOption([1, 2], [4, 0]);
		expect(o.xAxis.data).toEqual(['1', '2']);
		expect(o.series[0].data).toEqual([4, 0]);
	});
});

describe('the names of the groups', () => {
	const names = { t, vocabLabel: (by, k) => ({ channel: { phone: '电话' } })[by]?.[k] || '', tierLabel: (k) => (k === 'high' ? '高层' : null) };

	it('reads a row without an agent or a department (key "0") as such, not as "0"', () => {
		expect(groupLabel('agent', { key: '0', label: '' }, names)).toBe('sat.unnamed:{"by":"sat.by.agent"}');
		expect(groupLabel('department', { key: '0', label: '' }, names)).toBe('sat.unnamed:{"by":"sat.by.department"}');
		expect(groupLabel('channel', { key: '', label: '' }, names)).toBe('sat.unnamed:{"by":"sat.by.channel"}');
	});

	it('names agents and departments by their label, codes by the vocabularies and classes', () => {
		expect(groupLabel('agent', { key: '7', label: '李晓雯' }, names)).toBe('李晓雯');
		expect(groupLabel('department', { key: '2', label: '客服一部' }, names)).toBe('客服一部');
		expect(groupLabel('channel', { key: 'phone', label: 'phone' }, names)).toBe('电话');
		expect(groupLabel('channel', { key: 'fax', label: 'fax' }, names)).toBe('fax');
		expect(groupLabel('tier', { key: 'high', label: 'high' }, names)).toBe('高层');
		expect(groupLabel('tier', { key: 'other', label: 'other' }, names)).toBe('other');
	});
});
