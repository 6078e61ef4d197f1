import { describe, expect, it } from 'vitest';
import {
	addDays,
	agentTiles,
	apiCallQuery,
	buildCallQuery,
	companyDay,
	createPopTracker,
	dayRange,
	duration,
	durationMs,
	endOf,
	num,
	parseCallQuery,
	patternBody,
	pct,
	qaRatio,
	toCsv,
	validateErlang,
	wallboardTiles,
} from '../src/modules/hotline/logic.js';

describe('durations and ratios', () => {
	it('formats seconds as m:ss and h:mm:ss', () => {
		expect(duration(0)).toBe('0:00');
		expect(duration(45)).toBe('0:45');
		expect(duration(185)).toBe('3:05');
		expect(duration(3723)).toBe('1:02:03');
		expect(duration(11.6)).toBe('0:12');
		expect(duration(-3)).toBe('0:00');
		expect(duration(null)).toBe('—');
		expect(duration(undefined)).toBe('—');
		expect(duration('x')).toBe('—');
		expect(durationMs(155000)).toBe('2:35');
		expect(durationMs(0)).toBe('0:00');
		expect(durationMs(null)).toBe('—');
	});
	it('formats ratios as percentages and numbers without trailing zeros', () => {
		expect(pct(0.8531)).toBe('85.3%');
		expect(pct(1)).toBe('100.0%');
		expect(pct(0, 0)).toBe('0%');
		expect(pct(null)).toBe('—');
		expect(num(7.84)).toBe('7.8');
		expect(num(10)).toBe('10');
		expect(num(null)).toBe('—');
	});
});

describe('wallboard tiles', () => {
	const wb = {
		waiting: 3,
		longest_wait_s: 47,
		agents: { available: 5, on_call: 12, ringing: 1, not_ready: 2, signed_in: 20 },
		today: { offered: 812, answered: 790, abandoned: 22, service_level: 0.8531, abandon_rate: 0.0271, asa_s: 11.2, sl_seconds: 20, sl_target_pct: 80 },
	};
	const byKey = (tiles) => Object.fromEntries(tiles.map((t) => [t.key, t]));

	it('shows the queue and the day, with a level from the targets', () => {
		const t = byKey(wallboardTiles(wb));
		expect(t.waiting).toMatchObject({ text: '3', level: 'warn' });
		expect(t.longest_wait).toMatchObject({ text: '0:47', level: 'bad' });
		expect(t.service_level).toMatchObject({ text: '85.3%', level: 'ok', target: 80, seconds: 20 });
		expect(t.abandon_rate).toMatchObject({ text: '2.7%', level: 'ok' });
		expect(t.offered.text).toBe('812');
		expect(t.asa.text).toBe('0:11');
	});
	it('turns red when callers wait with nobody free or the day is far under target', () => {
		const t = byKey(
			wallboardTiles({
				...wb,
				longest_wait_s: 12,
				agents: { ...wb.agents, available: 0 },
				today: { ...wb.today, service_level: 0.65, abandon_rate: 0.12 },
			}),
		);
		expect(t.waiting.level).toBe('bad');
		expect(t.longest_wait.level).toBe('warn');
		expect(t.service_level.level).toBe('bad');
		expect(t.abandon_rate.level).toBe('bad');
		expect(byKey(wallboardTiles({ ...wb, today: { ...wb.today, service_level: 0.75 } })).service_level.level).toBe('warn');
	});
	it('survives an empty day', () => {
		const t = byKey(wallboardTiles({ waiting: 0, agents: {}, today: { service_level: null, abandon_rate: null, asa_s: null } }));
		expect(t.waiting.level).toBe('ok');
		expect(t.service_level).toMatchObject({ text: '—', level: 'neutral' });
		expect(t.asa.text).toBe('—');
		expect(wallboardTiles(null)).toHaveLength(8);
		expect(agentTiles(wb).map((a) => a.value)).toEqual([5, 1, 12, 2, 20]);
	});
});

describe('Erlang calculator inputs', () => {
	it('accepts the textbook case and leaves empty optional fields out', () => {
		const r = validateErlang({ calls: '100', aht_s: 180, interval_min: 30, sl_pct: 80, target_s: 20, shrinkage_pct: '', max_occupancy_pct: '', patience_s: '' });
		expect(r.errors).toEqual({});
		expect(r.query).toEqual({ calls: 100, aht_s: 180, interval_min: 30, sl_pct: 80, target_s: 20 });
	});
	it('names the field that is missing, not a number or out of range', () => {
		const r = validateErlang({ calls: '', aht_s: '0', interval_min: 30, sl_pct: '100', target_s: 'abc', shrinkage_pct: 95, patience_s: 60 });
		expect(r.query).toBeNull();
		expect(r.errors.calls).toEqual({ key: 'required' });
		expect(r.errors.aht_s).toEqual({ key: 'range', min: 1, max: 86400 });
		expect(r.errors.sl_pct.key).toBe('range');
		expect(r.errors.target_s).toEqual({ key: 'number' });
		expect(r.errors.shrinkage_pct.key).toBe('range');
		expect(r.errors.patience_s).toBeUndefined();
		expect(r.errors.interval_min).toBeUndefined();
	});
});

describe('days in the company time zone and the calls list URL', () => {
	it('maps a day to its Shanghai midnight-to-midnight range', () => {
		const [a, b] = dayRange('2025-06-02');
		expect(new Date(a).toISOString()).toBe('2025-06-01T16:00:00.000Z');
		expect(b - a).toBe(86400000);
		expect(dayRange('2025-6-2')).toBeNull();
		expect(companyDay(Date.UTC(2025, 5, 1, 17, 0))).toBe('2025-06-02');
		expect(addDays('2025-06-30', 1)).toBe('2025-07-01');
		expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
	});
	it('round-trips the filters and drops what is malformed', () => {
		const s = parseCallQuery({ from: '2025-06-02', to: 'bad', agent: 'me', direction: 'sideways', live: '1', limit: '50', cursor: '12' });
		expect(s).toEqual({ filters: { from: '2025-06-02', agent: 'me', live: '1' }, limit: 50, cursor: '12' });
		expect(buildCallQuery(s)).toEqual({ from: '2025-06-02', agent: 'me', live: '1', limit: '50', cursor: '12' });
		expect(buildCallQuery({ filters: {}, limit: 20 })).toEqual({});
		expect(parseCallQuery({ limit: '7' }).limit).toBe(20);
		expect(parseCallQuery({ state: 'ended', wrapup: 'none', outcome: 'busy' }).filters).toEqual({ state: 'ended', wrapup: 'none', outcome: 'busy' });
		expect(parseCallQuery({ state: 'flying', wrapup: 'Bad Code', outcome: 'maybe' }).filters).toEqual({});
	});
	it('turns days into offered_since/offered_until for the API (until = the end of the last day)', () => {
		const q = apiCallQuery({ filters: { from: '2025-06-02', to: '2025-06-03', agent: '4', direction: 'outbound', wrapup: 'none', outcome: 'busy' }, limit: 20, cursor: '' });
		expect(q).toEqual({ limit: 20, offered_since: dayRange('2025-06-02')[0], offered_until: dayRange('2025-06-04')[0], agent_id: '4', direction: 'outbound', wrapup_code: 'none', outcome: 'busy' });
	});
});

describe('screen pops', () => {
	it('are shown once per call, however often the stream delivers them', () => {
		const p = createPopTracker(3);
		expect(p.accept(12)).toBe(true);
		expect(p.accept('12')).toBe(false);
		expect(p.accept(13)).toBe(true);
		expect(p.accept(null)).toBe(false);
		p.accept(14);
		p.accept(15);
		expect(p.size).toBe(3);
		expect(p.has(12)).toBe(false);
		expect(p.has(15)).toBe(true);
	});
});

describe('shift patterns and QA sheets', () => {
	it('builds the pattern body from start and end', () => {
		const r = patternBody({ name: ' 早班 ', start: '08:00', end: '16:30', breaks: [{ start: '11:30', minutes: 30 }, { start: '' }], days: [3, 1, 2], max_count: '' });
		expect(r.body).toEqual({ name: '早班', start: '08:00', minutes: 510, breaks: [{ start: '11:30', minutes: 30 }], days: [1, 2, 3], max_count: 0, active: true });
		expect(patternBody({ name: 'x', start: '08:15', end: '12:00', days: [1] }).error).toEqual({ field: 'start', key: 'halfHour' });
		expect(patternBody({ name: 'x', start: '12:00', end: '08:00', days: [1] }).error).toEqual({ field: 'end', key: 'afterStart' });
		expect(patternBody({ name: 'x', start: '17:00', end: '24:00', days: [1] }).body.minutes).toBe(420);
		expect(patternBody({ name: '', start: '08:00', end: '12:00', days: [1] }).error.field).toBe('name');
		expect(patternBody({ name: 'x', start: '08:00', end: '12:00', days: [] }).error.field).toBe('days');
		expect(endOf('08:00', 510)).toBe('16:30');
		expect(endOf('17:00', 420)).toBe('24:00');
	});
	it('scores a sheet only when every item has a score', () => {
		const items = [
			{ code: 'greeting', max_score: 10 },
			{ code: 'language', max_score: 20 },
		];
		expect(qaRatio(items, { greeting: 10, language: 5 })).toBe(0.5);
		expect(qaRatio(items, { greeting: 10 })).toBeNull();
	});
});

describe('CSV export', () => {
	it('quotes what needs it, defuses formulas and starts with a BOM for Excel', () => {
		const csv = toCsv(['时段', '来电', '服务水平'], [['09:00', 4, 0.8], ['a,b', null, '=1+1'], ['say "hi"', -2, 'x\ny']]);
		expect(csv).toBe('\uFEFF时段,来电,服务水平\r\n09:00,4,0.8\r\n"a,b",,\'=1+1\r\n"say ""hi""",-2,"x\ny"\r\n');
	});
});
