// The follow-ups module's pure logic: due buckets, relative due times, rest hours and
// do-not-disturb windows as core/calltime.c judges them, paging, fulfilment rates, the
// record a visit needs before closing, script variables.
import { describe, expect, it } from 'vitest';
import {
	queryRange,
	rangeLabel,
	DAY,
	HOUR,
	MINUTE,
	blockedReason,
	bucketCounts,
	bucketOf,
	endOfDay,
	fulfilment,
	hhmm,
	insertVariable,
	insideWindow,
	lastAndNext,
	missingRecord,
	paginate,
	percent,
	readableTimes,
	recordPatch,
	relativeDue,
	sumStats,
	windowSpan,
	zonedParts,
} from '../src/modules/followups/logic.js';

// 2026-03-11 is a Wednesday. Instants built in UTC so the tests hold in any local zone.
const SH = 'Asia/Shanghai';
const sh = (h, m = 0, day = 11) => Date.UTC(2026, 2, day, h - 8, m); // Shanghai wall clock → ms

describe('due buckets', () => {
	const now = new Date(2026, 2, 11, 10, 0).getTime(); // local 10:00
	it('sorts open items into overdue, today and upcoming by the local day, closed ones into done', () => {
		expect(bucketOf({ state: 'open', due_at: now - MINUTE }, now)).toBe('overdue');
		expect(bucketOf({ state: 'open', due_at: now }, now)).toBe('today');
		expect(bucketOf({ state: 'open', due_at: new Date(2026, 2, 11, 23, 59).getTime() }, now)).toBe('today');
		expect(bucketOf({ state: 'open', due_at: new Date(2026, 2, 12, 0, 0).getTime() }, now)).toBe('upcoming');
		expect(bucketOf({ state: 'done', due_at: now - DAY }, now)).toBe('done');
		expect(bucketOf({ state: 'kept', due_at: now + DAY }, now)).toBe('done');
		expect(bucketOf({ state: 'broken', due_at: now - DAY }, now)).toBe('done');
	});
	it('counts per bucket', () => {
		const items = [
			{ state: 'open', due_at: now - HOUR },
			{ state: 'open', due_at: now - DAY },
			{ state: 'open', due_at: now + HOUR },
			{ state: 'open', due_at: now + 3 * DAY },
			{ state: 'done', due_at: now },
		];
		expect(bucketCounts(items, now)).toEqual({ overdue: 2, today: 1, upcoming: 1, done: 1 });
		expect(bucketCounts([], now)).toEqual({ overdue: 0, today: 0, upcoming: 0, done: 0 });
	});
	it('ends the day at local midnight', () => {
		expect(endOfDay(now)).toBe(new Date(2026, 2, 12, 0, 0).getTime());
	});
});

describe('relative due time', () => {
	const now = 1_800_000_000_000;
	it('uses the largest whole unit, late or not', () => {
		expect(relativeDue(now + 30 * 1000, now)).toEqual({ key: 'dueIn.minutes', n: 1 });
		expect(relativeDue(now + 59 * MINUTE, now)).toEqual({ key: 'dueIn.minutes', n: 59 });
		expect(relativeDue(now + 3 * HOUR + 59 * MINUTE, now)).toEqual({ key: 'dueIn.hours', n: 3 });
		expect(relativeDue(now + 2 * DAY + 5 * HOUR, now)).toEqual({ key: 'dueIn.days', n: 2 });
		expect(relativeDue(now - 90 * MINUTE, now)).toEqual({ key: 'overdueBy.hours', n: 1 });
		expect(relativeDue(now - 5 * DAY, now)).toEqual({ key: 'overdueBy.days', n: 5 });
	});
});

describe('rest hours and do-not-disturb windows', () => {
	it('parses HH:MM like calltime_parse_hhmm', () => {
		expect(hhmm('09:30')).toBe(570);
		expect(hhmm('24:00')).toBe(1440);
		expect(hhmm('24:01')).toBe(-1);
		expect(hhmm('9:30')).toBe(-1);
		expect(hhmm('12:60')).toBe(-1);
		expect(hhmm('')).toBe(-1);
	});
	it('reads the wall clock of the company zone, whatever the browser zone', () => {
		expect(zonedParts(sh(12, 30), SH)).toEqual({ weekday: 3, minute: 750 });
		expect(zonedParts(sh(0, 5, 16), SH)).toEqual({ weekday: 1, minute: 5 }); // Monday 00:05
		expect(zonedParts(Date.UTC(2026, 2, 11, 16, 0), SH)).toEqual({ weekday: 4, minute: 0 }); // Thu 00:00
	});
	it('judges same-day and overnight windows, the overnight part by the day it began', () => {
		const lunch = { days: [], start: '12:00', end: '14:00' };
		expect(insideWindow(3, 12 * 60, lunch)).toBe(true);
		expect(insideWindow(3, 14 * 60, lunch)).toBe(false);
		const friNight = { days: [5], start: '22:00', end: '08:00' };
		expect(insideWindow(5, 23 * 60, friNight)).toBe(true);
		expect(insideWindow(6, 7 * 60, friNight)).toBe(true); // Saturday morning, begun Friday
		expect(insideWindow(5, 7 * 60, friNight)).toBe(false); // Friday morning: Thursday has none
		const sunNight = { days: [7], start: '23:00', end: '01:00' };
		expect(insideWindow(1, 30, sunNight)).toBe(true); // Monday 00:30, begun Sunday
		expect(insideWindow(3, 10 * 60, { days: [], start: '10:00', end: '10:00' })).toBe(false); // empty
		expect(insideWindow(3, 10 * 60, { days: [], start: 'x', end: '11:00' })).toBe(false);
	});
	it('names why a call is refused: company rest hours first, then the customer’s window', () => {
		const dnd = [{ days: [1, 2, 3, 4, 5], start: '15:00', end: '16:30' }];
		expect(blockedReason(sh(12, 30), SH, dnd)).toBe('rest');
		expect(blockedReason(sh(13, 59), SH, [])).toBe('rest');
		expect(blockedReason(sh(14, 0), SH, [])).toBe(null);
		expect(blockedReason(sh(21, 0), SH, [])).toBe('rest');
		expect(blockedReason(sh(8, 59), SH, [])).toBe('rest');
		expect(blockedReason(sh(9, 0), SH, [])).toBe(null);
		expect(blockedReason(sh(15, 10), SH, dnd)).toBe('dnd');
		expect(blockedReason(sh(16, 30), SH, dnd)).toBe(null);
		expect(blockedReason(sh(15, 10, 14), SH, dnd)).toBe(null); // Saturday
		// The same instant is 23:10 in Shanghai but 16:10 in Berlin (rest vs allowed).
		expect(blockedReason(Date.UTC(2026, 2, 11, 15, 10), SH, [])).toBe('rest');
		expect(blockedReason(Date.UTC(2026, 2, 11, 15, 10), 'Europe/Berlin', [])).toBe(null);
	});
	it('formats a window, marking the next day for an overnight one', () => {
		const t = (k, p) => (k === 'followups.nextDay' ? `次日 ${p.time}` : k);
		expect(windowSpan({ start: '12:00', end: '14:00' }, t)).toBe('12:00–14:00');
		expect(windowSpan({ start: '21:00', end: '09:00' }, t)).toBe('21:00–次日 09:00');
	});
});

describe('paging', () => {
	const list = Array.from({ length: 45 }, (_, i) => i);
	it('slices a page and clamps the page number', () => {
		expect(paginate(list, 1, 20)).toMatchObject({ page: 1, pages: 3, total: 45 });
		expect(paginate(list, 3, 20).rows).toEqual([40, 41, 42, 43, 44]);
		expect(paginate(list, 9, 20).page).toBe(3);
		expect(paginate(list, 0, 20).rows[0]).toBe(0);
		expect(paginate([], 1, 20)).toEqual({ rows: [], page: 1, pages: 1, total: 0 });
	});
});

describe('fulfilment', () => {
	const now = 1_800_000_000_000;
	it('counts an overdue open promise as not kept, like the stats endpoint', () => {
		const items = [
			{ state: 'kept', due_at: now - DAY },
			{ state: 'kept', due_at: now + DAY },
			{ state: 'kept', due_at: now },
			{ state: 'broken', due_at: now - DAY },
			{ state: 'open', due_at: now - HOUR },
			{ state: 'open', due_at: now + HOUR },
		];
		expect(fulfilment(items, now)).toEqual({ kept: 3, broken: 1, overdue: 1, pending: 1, rate_bp: 6000 });
		expect(fulfilment([{ state: 'open', due_at: now + 1 }], now).rate_bp).toBe(null);
	});
	it('sums the per-agent rows', () => {
		expect(
			sumStats([
				{ kept: 2, broken: 0, overdue: 1, pending: 4 },
				{ kept: 5, broken: 1, overdue: 0, pending: 0 },
			]),
		).toEqual({ kept: 7, broken: 1, overdue: 1, pending: 4, rate_bp: 7777 });
		expect(sumStats([]).rate_bp).toBe(null);
	});
	it('shows basis points as a percentage', () => {
		expect(percent(6000)).toBe('60%');
		expect(percent(7777)).toBe('77.8%');
		expect(percent(10000)).toBe('100%');
		expect(percent(0)).toBe('0%');
		expect(percent(null)).toBe('—');
	});
});

describe('a customer’s visits', () => {
	it('finds the last closed and the next open visit', () => {
		const v = [
			{ id: 1, state: 'done', closed_at: 100, due_at: 50 },
			{ id: 2, state: 'done', closed_at: 300, due_at: 60 },
			{ id: 3, state: 'open', due_at: 900 },
			{ id: 4, state: 'open', due_at: 500 },
		];
		const r = lastAndNext(v);
		expect(r.last.id).toBe(2);
		expect(r.next.id).toBe(4);
		expect(lastAndNext([])).toEqual({ last: null, next: null });
	});
});

describe('the visit record', () => {
	it('lists the empty fields in the order the API checks them', () => {
		expect(missingRecord({ outcome: '', evaluation: ' ', suggestions: 'ok', next_step: '' })).toEqual(['outcome', 'evaluation', 'next_step']);
		expect(missingRecord({ outcome: 'satisfied', evaluation: 'a', suggestions: 'b', next_step: 'c' })).toEqual([]);
	});
	it('patches only what changed, never clearing an outcome', () => {
		const visit = { outcome: null, evaluation: '', suggestions: 'x', next_step: '' };
		expect(recordPatch({ outcome: '', evaluation: '', suggestions: 'x', next_step: '' }, visit)).toBe(null);
		expect(recordPatch({ outcome: 'so_so', evaluation: 'fine', suggestions: 'x', next_step: '' }, visit)).toEqual({ outcome: 'so_so', evaluation: 'fine' });
		expect(recordPatch({ outcome: 'so_so', evaluation: '', suggestions: '', next_step: '' }, { ...visit, outcome: 'so_so' })).toEqual({ suggestions: '' });
	});
});

describe('script variables', () => {
	it('inserts {{name}} at the selection and puts the caret after it', () => {
		expect(insertVariable('您好，', 3, 3, 'customer_name')).toEqual({ text: '您好，{{customer_name}}', caret: 20 });
		expect(insertVariable('abXXcd', 2, 4, 'product')).toEqual({ text: 'ab{{product}}cd', caret: 13 });
		expect(insertVariable('', undefined, undefined, 'company').text).toBe('{{company}}');
	});
});

describe('the API\'s refusal of a call time', () => {
	it('shows the first allowed time as a date, not epoch milliseconds', () => {
		const fmt = (ms) => new Date(ms).toISOString().slice(0, 16);
		expect(readableTimes('最早可在 14:00 之后（1795654800000）', fmt)).toBe('最早可在 14:00 之后（2026-11-26T01:00）');
		expect(readableTimes('客户 12 不存在', fmt)).toBe('客户 12 不存在');
	});
});

import { REST_WINDOWS as RW, setRestWindows } from '../src/modules/followups/logic.js';

describe('company rest hours from the settings', () => {
	it('replaces the default windows, ignoring junk, and keeps them on bad input', () => {
		const before = RW.map((w) => ({ ...w }));
		setRestWindows([{ start: '12:00', end: '13:00' }, { start: 'x', end: '13:00' }]);
		expect(RW).toEqual([{ days: [], start: '12:00', end: '13:00' }]);
		setRestWindows('nonsense');
		expect(RW).toEqual([{ days: [], start: '12:00', end: '13:00' }]);
		setRestWindows(before);
		expect(RW.length).toBe(2);
	});
});

describe('the periods the reports link with', () => {
	it('reads whole epoch milliseconds, either end optional', () => {
		expect(queryRange({ due_from: '1764000000000', due_to: '1764604800000' }, 'due_from', 'due_to')).toEqual({ from: 1764000000000, to: 1764604800000 });
		expect(queryRange({ due_to: '5' }, 'due_from', 'due_to')).toEqual({ from: 0, to: 5 });
		expect(queryRange({ due_from: 'soon', due_to: '-1' }, 'due_from', 'due_to')).toBe(null);
		expect(queryRange({}, 'due_from', 'due_to')).toBe(null);
	});
	it('labels China days, the end exclusive', () => {
		// 2026-11-01 00:00 and 2026-12-01 00:00 China time
		expect(rangeLabel({ from: Date.UTC(2026, 9, 31, 16), to: Date.UTC(2026, 10, 30, 16) })).toBe('2026-11-01 – 2026-11-30');
		expect(rangeLabel({ from: 0, to: Date.UTC(2026, 10, 30, 16) })).toBe('… – 2026-11-30');
	});
});
