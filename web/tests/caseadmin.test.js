// The pure logic of the case settings and the bell: calendar days and month grids, local time
// in the business zone, SLA policy matching (core/sla.c's rule), texts and bodies.
import { describe, expect, it } from 'vitest';
import { dayStatus, formatHM, hoursBody, indexCalendar, intervalsMinutes, isoWeekday, monthGrid, parseDate, parseHM, utcToZoned, withDay, yearSummary, zonedToUtc, calendarYears } from '../src/modules/caseadmin/calendar.js';
import { checkDraft, durationText, matchPolicy, policyBody, policyDraft, policyMatrix, sameScope, splitMinutes } from '../src/modules/caseadmin/sla.js';
import { ago, badgeText, markAllRead, markRead, notificationLink, pollDue } from '../src/modules/caseadmin/notify.js';
import { capableAgents, departmentRows } from '../src/modules/caseadmin/depts.js';

const WORK = [
	{ start: '09:00', end: '12:00' },
	{ start: '13:00', end: '18:00' },
];
const CAL = {
	timezone: 'Asia/Shanghai',
	hours: [1, 2, 3, 4, 5, 6, 7].map((w) => ({ weekday: w, intervals: w <= 5 ? WORK : [] })),
	days: [
		{ date: '2026-10-01', kind: 'holiday', name: '国庆节' },
		{ date: '2026-10-02', kind: 'holiday', name: '国庆节' },
		{ date: '2026-10-10', kind: 'workday', name: '国庆节调休' },
	],
};

describe('calendar', () => {
	it('reads and writes HH:MM', () => {
		expect(parseHM('09:30')).toBe(570);
		expect(parseHM('24:00')).toBe(1440);
		expect(parseHM('24:01')).toBeNull();
		expect(parseHM('9:30')).toBeNull();
		expect(parseHM('10:60')).toBeNull();
		expect(formatHM(570)).toBe('09:30');
		expect(intervalsMinutes(WORK)).toBe(480);
		expect(intervalsMinutes([{ start: '18:00', end: '09:00' }])).toBe(0);
	});

	it('knows weekdays and dates', () => {
		expect(isoWeekday(2026, 10, 1)).toBe(4); // Thursday
		expect(isoWeekday(2031, 3, 2)).toBe(7); // Sunday
		expect(parseDate('2028-02-29')).toEqual({ y: 2028, m: 2, d: 29 });
		expect(parseDate('2027-02-29')).toBeNull();
	});

	it('tells what a day is: dated days win over the week, a make-up day has Monday hours', () => {
		const idx = indexCalendar(CAL);
		expect(dayStatus(idx, 2026, 10, 1)).toMatchObject({ kind: 'holiday', name: '国庆节', minutes: 0 });
		expect(dayStatus(idx, 2026, 10, 10)).toMatchObject({ kind: 'makeup', weekday: 6, minutes: 480 });
		expect(dayStatus(idx, 2026, 10, 11)).toMatchObject({ kind: 'rest', minutes: 0 });
		expect(dayStatus(idx, 2026, 10, 12)).toMatchObject({ kind: 'work', minutes: 480 });
	});

	it('builds Monday-first month grids', () => {
		const idx = indexCalendar(CAL);
		const oct = monthGrid(idx, 2026, 10); // 1 October 2026 is a Thursday
		expect(oct[0].slice(0, 3)).toEqual([null, null, null]);
		expect(oct[0][3]).toMatchObject({ day: 1, kind: 'holiday' });
		expect(oct.every((w) => w.length === 7)).toBe(true);
		expect(oct.flat().filter(Boolean)).toHaveLength(31);
		const feb = monthGrid(idx, 2027, 2); // 1 Feb 2027 is a Monday, 28 days: four full weeks
		expect(feb).toHaveLength(4);
		expect(feb[0][0].day).toBe(1);
		expect(monthGrid(idx, 2026, 3)).toHaveLength(6); // 1 March 2026 is a Sunday
	});

	it('sums a year', () => {
		const s = yearSummary(indexCalendar(CAL), 2026);
		// 2026 has 261 weekdays; two are holidays, one Saturday works.
		expect(s).toEqual({ workdays: 260, minutes: 260 * 480, holidays: 2, makeups: 1 });
	});

	it('changes one dated day for PUT /api/calendar', () => {
		const add = withDay(CAL.days, '2026-09-30', { kind: 'workday', name: ' 调休 ' });
		expect(add.map((d) => d.date)).toEqual(['2026-09-30', '2026-10-01', '2026-10-02', '2026-10-10']);
		expect(add[0]).toEqual({ date: '2026-09-30', kind: 'workday', name: '调休' });
		const change = withDay(CAL.days, '2026-10-10', { kind: 'holiday', name: '' });
		expect(change.find((d) => d.date === '2026-10-10').kind).toBe('holiday');
		expect(change).toHaveLength(3);
		expect(withDay(CAL.days, '2026-10-02', null).map((d) => d.date)).toEqual(['2026-10-01', '2026-10-10']);
		expect(CAL.days).toHaveLength(3); // not changed in place
	});

	it('writes the week for PUT and lists years', () => {
		const idx = indexCalendar(CAL);
		const body = hoursBody(idx.week.map((iv, i) => (i === 5 ? [{ start: '10:00', end: '' }] : iv)));
		expect(body).toHaveLength(7);
		expect(body[0]).toEqual({ weekday: 1, intervals: WORK });
		expect(body[5]).toEqual({ weekday: 6, intervals: [] });
		expect(calendarYears(CAL, 2031)).toEqual([2026, 2031]);
	});

	it('converts wall time in the business zone to UTC and back', () => {
		expect(zonedToUtc('2031-03-07 17:00', 'Asia/Shanghai')).toBe(Date.UTC(2031, 2, 7, 9, 0));
		expect(zonedToUtc('2031-03-07 00:30', 'Asia/Shanghai')).toBe(Date.UTC(2031, 2, 6, 16, 30));
		expect(utcToZoned(Date.UTC(2031, 2, 6, 16, 30), 'Asia/Shanghai')).toBe('2031-03-07 00:30');
		// A zone with daylight saving: 2031-07-01 12:00 in Berlin is 10:00 UTC, in January 11:00.
		expect(zonedToUtc('2031-07-01 12:00', 'Europe/Berlin')).toBe(Date.UTC(2031, 6, 1, 10, 0));
		expect(zonedToUtc('2031-01-15 12:00', 'Europe/Berlin')).toBe(Date.UTC(2031, 0, 15, 11, 0));
		expect(zonedToUtc('2031-02-30 12:00', 'Asia/Shanghai')).toBeNull();
		expect(zonedToUtc('', 'Asia/Shanghai')).toBeNull();
	});
});

const POLICIES = [
	{ id: 1, name: 'default', case_type: null, priority: null, value_class: null, tier: null, first_response_min: 240, resolution_min: 1440, active: true },
	{ id: 2, name: 'complaints', case_type: 'complaint', priority: null, value_class: null, tier: null, first_response_min: 60, resolution_min: 2400, active: true },
	{ id: 3, name: 'high', case_type: null, priority: 'high', value_class: null, tier: null, first_response_min: 120, resolution_min: 960, active: true },
	{ id: 4, name: 'urgent', case_type: null, priority: 'urgent', value_class: null, tier: null, first_response_min: 30, resolution_min: 480, active: true },
	{ id: 5, name: 'key', case_type: null, priority: null, value_class: 'key', tier: null, first_response_min: 60, resolution_min: 960, active: true },
	{ id: 6, name: 'key urgent complaints', case_type: 'complaint', priority: 'urgent', value_class: 'key', tier: null, first_response_min: 15, resolution_min: 480, active: true },
	{ id: 7, name: 'old', case_type: 'praise', priority: null, value_class: null, tier: null, first_response_min: 1, resolution_min: 1, active: false },
];

describe('SLA policies', () => {
	it('picks the most specific active policy; ties go to the one naming the type', () => {
		const m = (c) => matchPolicy(POLICIES, c)?.name;
		expect(m({ case_type: 'inquiry', priority: 'normal' })).toBe('default');
		expect(m({ case_type: 'complaint', priority: 'normal' })).toBe('complaints');
		// complaint (type) and high (priority) both name one: the type wins.
		expect(m({ case_type: 'complaint', priority: 'high' })).toBe('complaints');
		expect(m({ case_type: 'inquiry', priority: 'high', value_class: 'key' })).toBe('high');
		expect(m({ case_type: 'complaint', priority: 'urgent', value_class: 'key' })).toBe('key urgent complaints');
		expect(m({ case_type: 'praise', priority: 'low' })).toBe('default'); // the praise policy is inactive
		expect(matchPolicy([], { case_type: 'praise' })).toBeNull();
	});

	it('builds the type × priority matrix for a value class', () => {
		const rows = policyMatrix(POLICIES, ['inquiry', 'complaint'], ['normal', 'urgent'], 'key');
		expect(rows.map((r) => r.cells.map((c) => c.policy.name))).toEqual([
			['key', 'urgent'],
			['complaints', 'key urgent complaints'],
		]);
	});

	it('says business durations', () => {
		const t = (k, p = {}) => `${k}:${Object.values(p).join(',')}`;
		expect(durationText(0, t)).toBe('caseadmin.dur.none:');
		expect(durationText(480, t)).toBe('caseadmin.dur.h:8');
		expect(durationText(45, t)).toBe('caseadmin.dur.m:45');
		expect(durationText(90, t)).toBe('caseadmin.dur.hm:1,30');
		expect(splitMinutes(1500, 480)).toEqual({ d: 3, h: 1, m: 0 });
	});

	it('turns the draft into bodies and checks it', () => {
		const d = policyDraft(POLICIES[2]);
		expect(d).toMatchObject({ case_type: '', priority: 'high', first_response_h: 2, resolution_h: 16 });
		expect(policyBody(d, POLICIES[2])).toEqual({});
		d.resolution_h = 12.25;
		d.value_class = 'key';
		expect(policyBody(d, POLICIES[2])).toEqual({ resolution_min: 735, value_class: 'key' });
		const fresh = policyDraft(null);
		fresh.name = '  售后紧急 ';
		fresh.case_type = 'after_sales';
		expect(policyBody(fresh)).toEqual({ name: '售后紧急', case_type: 'after_sales', priority: null, value_class: null, tier: null, first_response_min: 240, resolution_min: 1440, active: true });
		expect(checkDraft({ ...fresh, name: ' ', first_response_h: null, resolution_h: -1 })).toEqual({
			name: 'caseadmin.sla.nameRequired',
			first_response_min: 'caseadmin.sla.targetRequired',
			resolution_min: 'caseadmin.sla.targetRange',
		});
		expect(checkDraft(fresh)).toEqual({});
	});

	it('finds a policy with exactly the same conditions', () => {
		expect(sameScope(POLICIES, { case_type: 'complaint' })?.id).toBe(2);
		expect(sameScope(POLICIES, { case_type: 'complaint' }, 2)).toBeNull();
		expect(sameScope(POLICIES, { case_type: 'praise' })).toBeNull(); // only the inactive one
	});
});

describe('notifications', () => {
	it('shows the badge and the link', () => {
		expect(badgeText(0)).toBe('');
		expect(badgeText(7)).toBe('7');
		expect(badgeText(100)).toBe('99+');
		expect(notificationLink({ case_id: 42 })).toBe('/cases/42');
		expect(notificationLink({ case_id: null })).toBeNull();
		const visit = { case_id: null, data: { entity: 'followups', id: 64, user_id: 5 } };
		expect(notificationLink(visit)).toBeNull(); // no follow-up module
		expect(notificationLink(visit, (r) => r === 'followup')).toBe('/followups/64');
		expect(notificationLink({ case_id: null, data: { entity: 'commitments', id: 3 } }, (r) => r === 'commitments')).toBe('/commitments');
	});

	it('says how old a notification is', () => {
		const now = 1_000_000_000;
		expect(ago(now - 30_000, now)).toEqual({ key: 'now', n: 0 });
		expect(ago(now - 5 * 60_000, now)).toEqual({ key: 'min', n: 5 });
		expect(ago(now - 3 * 3600_000, now)).toEqual({ key: 'hour', n: 3 });
		expect(ago(now - 50 * 3600_000, now)).toEqual({ key: 'day', n: 2 });
	});

	it('marks read without touching the others', () => {
		const items = [
			{ id: 1, read_at: null },
			{ id: 2, read_at: 5 },
			{ id: 3, read_at: null },
		];
		expect(markRead(items, 1, 9).map((n) => n.read_at)).toEqual([9, 5, null]);
		expect(markAllRead(items, 9).map((n) => n.read_at)).toEqual([9, 5, 9]);
		expect(items[0].read_at).toBeNull();
	});

	it('polls only when visible and due', () => {
		expect(pollDue(0, 1000, 60000)).toBe(true);
		expect(pollDue(1000, 30000, 60000)).toBe(false);
		expect(pollDue(1000, 61000, 60000)).toBe(true);
		expect(pollDue(1000, 61000, 60000, false)).toBe(false);
	});
});

describe('departments', () => {
	it('groups people and counts capable agents', () => {
		const rows = departmentRows(
			[
				{ id: 1, name: '客服一部' },
				{ id: 2, name: '投诉处理组' },
			],
			[
				{ id: 10, role: 'supervisor', department_id: 1, capability: 5 },
				{ id: 11, role: 'agent', department_id: 1, capability: 2 },
				{ id: 12, role: 'agent', department_id: 1, capability: 4 },
				{ id: 13, role: 'agent', department_id: 1, capability: 5, disabled: true },
				{ id: 14, role: 'admin', department_id: null, capability: 5 },
			],
		);
		expect(rows.map((r) => [r.id, r.members.length, r.supervisors, r.agents])).toEqual([
			[1, 4, 1, 2],
			[2, 0, 0, 0],
			[null, 1, 0, 0],
		]);
		expect([1, 2, 3, 4, 5].map((l) => capableAgents(rows[0], l))).toEqual([2, 2, 1, 1, 0]);
		expect(departmentRows([{ id: 1, name: 'x' }], [])).toHaveLength(1);
	});
});
