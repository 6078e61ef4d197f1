import { describe, expect, it } from 'vitest';
import {
	markSegments,
	decodeEntities,
	highlight,
	queryWords,
	lintSegments,
	groupResults,
	resultPath,
	isSearchShortcut,
	pageCursor,
	diffText,
	linesToList,
	fieldOf,
	lintReportTable,
	fmtAvg,
} from '../src/modules/kb/text.js';

const join = (segs) => segs.map((s) => s.text).join('');
const marked = (segs) => segs.filter((s) => s.mark).map((s) => s.text);

describe('markSegments: the server snippets without v-html', () => {
	it('splits on <mark> and decodes the escaped text', () => {
		const segs = markSegments('客户<mark>投诉</mark>通话 &lt;b&gt;粗&lt;/b&gt; &amp; <mark>断线</mark>');
		expect(marked(segs)).toEqual(['投诉', '断线']);
		expect(join(segs)).toBe('客户投诉通话 <b>粗</b> & 断线');
	});
	it('keeps other tag-looking text as literal text, never markup', () => {
		const segs = markSegments('<img src=x onerror=alert(1)><mark>a</mark>');
		expect(segs[0]).toEqual({ text: '<img src=x onerror=alert(1)>', mark: false });
		expect(segs[1]).toEqual({ text: 'a', mark: true });
	});
	it('decodes an entity once only (no double decoding)', () => {
		expect(decodeEntities('&amp;lt;')).toBe('&lt;');
		expect(decodeEntities('&#25237;&#x8bc9;')).toBe('投诉');
		expect(decodeEntities('&unknown;')).toBe('&unknown;');
	});
	it('empty input gives no segments', () => {
		expect(markSegments('')).toEqual([]);
		expect(markSegments(null)).toEqual([]);
	});
});

describe('highlight: query words in plain text', () => {
	it('Chinese runs match as substrings', () => {
		const segs = highlight('我的手机这两天一接电话就断线', '断线');
		expect(marked(segs)).toEqual(['断线']);
		expect(join(segs)).toBe('我的手机这两天一接电话就断线');
	});
	it('Latin words are case-insensitive; every occurrence is marked', () => {
		expect(marked(highlight('VIP customer, vip again', 'vip'))).toEqual(['VIP', 'vip']);
	});
	it('several words, overlapping marks merge', () => {
		expect(marked(highlight('退款申请退款', '退款 款申'))).toEqual(['退款申', '退款']);
		expect(queryWords(' 退款  refund 退款 ')).toEqual(['refund', '退款']);
	});
	it('special characters are text, not markup nor regex', () => {
		const segs = highlight('<i>a.b</i>', 'a.b');
		expect(join(segs)).toBe('<i>a.b</i>');
		expect(marked(segs)).toEqual(['a', 'b']);
	});
	it('no words: one plain segment', () => {
		expect(highlight('abc', '  ')).toEqual([{ text: 'abc', mark: false }]);
	});
});

describe('lintSegments: findings inline', () => {
	const text = '我不能帮您退款，那是你手机的问题';
	it('marks each finding at its UTF-16 offsets', () => {
		const segs = lintSegments(text, [
			{ rule: 'blame', start: 8, end: 16 },
			{ rule: 'cannot', start: 0, end: 3 },
		]);
		expect(join(segs)).toBe(text);
		expect(segs.filter((s) => s.finding).map((s) => [s.text, s.finding.rule])).toEqual([
			['我不能', 'cannot'],
			['那是你手机的问题', 'blame'],
		]);
	});
	it('overlaps do not repeat text; bad offsets are ignored', () => {
		const segs = lintSegments('abcdef', [
			{ rule: 'x', start: 1, end: 4 },
			{ rule: 'y', start: 3, end: 5 },
			{ rule: 'z', start: 4, end: 4 },
		]);
		expect(join(segs)).toBe('abcdef');
		expect(segs.filter((s) => s.finding).map((s) => s.text)).toEqual(['bcd', 'e']);
	});
	it('characters outside the BMP count as two units, like the API', () => {
		const segs = lintSegments('😀不知道', [{ rule: 'dont_know', start: 2, end: 5 }]);
		expect(marked(segs)).toEqual(['不知道']);
	});
});

describe('search results', () => {
	const res = {
		groups: [
			{ type: 'kb', items: [{ type: 'kb', id: 7 }], total: 1 },
			{ type: 'case', items: [], total: 0 },
			{ type: 'customer', items: [{ type: 'customer', id: 1 }, { type: 'customer', id: 2 }], total: 98, total_capped: false },
		],
	};
	it('groups in a fixed order, empty groups dropped, flat list for the keyboard', () => {
		const g = groupResults(res);
		expect(g.groups.map((x) => x.type)).toEqual(['customer', 'kb']);
		expect(g.groups[0].total).toBe(98);
		expect(g.flat.map((x) => `${x.type}${x.id}`)).toEqual(['customer1', 'customer2', 'kb7']);
		expect(g.empty).toBe(false);
		expect(groupResults({ groups: [] }).empty).toBe(true);
		expect(groupResults(null).empty).toBe(true);
	});
	it('result links', () => {
		expect(resultPath({ type: 'customer', id: 3 })).toBe('/customers/3');
		expect(resultPath({ type: 'case', id: 4 })).toBe('/cases/4');
		expect(resultPath({ type: 'kb', id: 5 })).toBe('/kb/5');
	});
	it('page cursors are offsets', () => {
		expect(pageCursor(1, 20)).toBe('');
		expect(pageCursor(3, 20)).toBe('o40');
	});
	it('"/" opens the search unless the user is typing', () => {
		expect(isSearchShortcut({ key: '/', target: { tagName: 'DIV' } })).toBe(true);
		expect(isSearchShortcut({ key: '/', target: { tagName: 'INPUT' } })).toBe(false);
		expect(isSearchShortcut({ key: '/', target: { tagName: 'DIV', isContentEditable: true } })).toBe(false);
		expect(isSearchShortcut({ key: '/', ctrlKey: true, target: { tagName: 'DIV' } })).toBe(false);
		expect(isSearchShortcut({ key: 'a', target: { tagName: 'DIV' } })).toBe(false);
	});
});

describe('diffText', () => {
	const rebuild = (d, side) => d.filter((x) => x.op === '=' || x.op === side).map((x) => x.text).join('');
	it('a small change in Chinese text', () => {
		const a = '我们会在24小时内回复您。';
		const b = '我们会在12小时内电话回复您。';
		const d = diffText(a, b);
		expect(rebuild(d, '-')).toBe(a);
		expect(rebuild(d, '+')).toBe(b);
		expect(d.filter((x) => x.op === '+').map((x) => x.text).join('')).toContain('电话');
	});
	it('identical and empty texts', () => {
		expect(diffText('同样', '同样')).toEqual([{ text: '同样', op: '=' }]);
		expect(diffText('', '')).toEqual([]);
		expect(diffText('', '新')).toEqual([{ text: '新', op: '+' }]);
	});
	it('falls back to lines for big texts, still exact', () => {
		const a = Array.from({ length: 50 }, (_, i) => `第${i}行内容\n`).join('');
		const b = a.replace('第10行内容', '第10行改过').replace('第40行内容\n', '');
		const d = diffText(a, b, 100);
		expect(rebuild(d, '-')).toBe(a);
		expect(rebuild(d, '+')).toBe(b);
	});
});

describe('knowledge-base lists and forms', () => {
	it('question variants one per line', () => {
		expect(linesToList(' 多少钱 \n\n价格\r\n多少钱')).toEqual(['多少钱', '价格']);
	});
	it('API field paths map to form items', () => {
		expect(fieldOf('questions[2]')).toBe('questions');
		expect(fieldOf('title')).toBe('title');
		expect(fieldOf(null)).toBe('');
	});
});

describe('lint report table', () => {
	it('agents × weeks with rates and rules summed', () => {
		const rep = {
			agents: [
				{
					user: { id: 3, display_name: '李晓雯' },
					replies: 40,
					total: 3,
					error: 2,
					warning: 1,
					info: 0,
					weeks: [{ week: '2026-W47', monday: '2026-11-16', count: 3, rules: { cannot: 2, dont_know: 1 } }],
				},
				{
					user: { id: 4, display_name: '张伟' },
					replies: 10,
					total: 5,
					error: 5,
					warning: 0,
					info: 0,
					weeks: [
						{ week: '2026-W48', monday: '2026-11-23', count: 2, rules: { blame: 2 } },
						{ week: '2026-W46', monday: '2026-11-09', count: 3, rules: { blame: 1, cannot: 2 } },
					],
				},
			],
		};
		const t = lintReportTable(rep);
		expect(t.weeks.map((w) => w.week)).toEqual(['2026-W46', '2026-W47', '2026-W48']);
		expect(t.rows.map((r) => r.user.id)).toEqual([4, 3]);
		expect(t.rows[0].weeks).toEqual([3, 0, 2]);
		expect(t.rows[0].per100).toBe(50);
		expect(t.rows[1].per100).toBe(7.5);
		expect(t.rows[0].rules).toEqual([
			{ rule: 'blame', count: 3 },
			{ rule: 'cannot', count: 2 },
		]);
		expect(lintReportTable({ agents: [] })).toEqual({ weeks: [], rows: [] });
	});
});

describe('rating averages', () => {
	it('one decimal, whatever the JSON number looks like', () => {
		expect(fmtAvg(4)).toBe('4.0');
		expect(fmtAvg(3.6666)).toBe('3.7');
		expect(fmtAvg('4.50')).toBe('4.5');
		expect(fmtAvg(null)).toBe('');
	});
});
