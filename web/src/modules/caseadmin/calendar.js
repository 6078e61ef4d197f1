// The business calendar in the browser (pure, no I/O): which days work and for how long,
// month grids for the year view, the dated days PUT /api/calendar takes, and local time in
// the business time zone. Mirrors core/bizcal.c: a dated holiday has no hours; a dated
// workday (调休) has the hours of the first weekday that has any (Monday).

const pad = (n) => String(n).padStart(2, '0');

/** "09:30" → 570; "24:00" → 1440; anything else → null. */
export function parseHM(s) {
	const m = /^(\d{2}):(\d{2})$/.exec(String(s || '').trim());
	if (!m) return null;
	const h = Number(m[1]);
	const mi = Number(m[2]);
	if (mi > 59 || h > 24 || (h === 24 && mi)) return null;
	return h * 60 + mi;
}

/** 570 → "09:30". */
export function formatHM(min) {
	return `${pad(Math.floor(min / 60))}:${pad(min % 60)}`;
}

/** Working minutes of a day's intervals [{start, end}]. */
export function intervalsMinutes(intervals) {
	return (intervals || []).reduce((sum, iv) => {
		const a = parseHM(iv.start);
		const b = parseHM(iv.end);
		return a === null || b === null || b <= a ? sum : sum + b - a;
	}, 0);
}

/** 1 (Monday) … 7 (Sunday) of a civil date. */
export function isoWeekday(y, m, d) {
	const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
	return w === 0 ? 7 : w;
}

export const dateKey = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;

export function daysInMonth(y, m) {
	return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** "2031-03-07" → {y, m, d} (or null). */
export function parseDate(s) {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(s || ''));
	if (!m) return null;
	const y = Number(m[1]);
	const mo = Number(m[2]);
	const d = Number(m[3]);
	if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
	return { y, m: mo, d };
}

/**
 * The calendar of GET /api/calendar made ready for lookups:
 * { week: [intervals of Mon … Sun], makeup: intervals of a 调休 day, dated: Map(date → {kind, name}) }.
 */
export function indexCalendar(cal) {
	const week = [[], [], [], [], [], [], []];
	for (const h of cal?.hours || []) if (h.weekday >= 1 && h.weekday <= 7) week[h.weekday - 1] = h.intervals || [];
	const makeup = week.find((iv) => iv.length) || [];
	const dated = new Map();
	for (const d of cal?.days || []) dated.set(d.date, { kind: d.kind, name: d.name || '' });
	return { week, makeup, dated };
}

/**
 * What a date is: kind 'work' (a normal working day), 'rest' (a weekday without hours),
 * 'holiday' (a dated public holiday) or 'makeup' (a dated make-up workday, 调休), with its
 * intervals, working minutes and the name of the dated day.
 */
export function dayStatus(idx, y, m, d) {
	const key = dateKey(y, m, d);
	const weekday = isoWeekday(y, m, d);
	const dated = idx.dated.get(key);
	if (dated && dated.kind === 'holiday') return { date: key, weekday, kind: 'holiday', name: dated.name, intervals: [], minutes: 0 };
	if (dated && dated.kind === 'workday') return { date: key, weekday, kind: 'makeup', name: dated.name, intervals: idx.makeup, minutes: intervalsMinutes(idx.makeup) };
	const iv = idx.week[weekday - 1];
	return { date: key, weekday, kind: iv.length ? 'work' : 'rest', name: '', intervals: iv, minutes: intervalsMinutes(iv) };
}

/**
 * A month as weeks of 7 cells, Monday first. Cells outside the month are null, so the grid
 * always starts on a Monday and has 4 to 6 rows.
 */
export function monthGrid(idx, y, m) {
	const n = daysInMonth(y, m);
	const lead = isoWeekday(y, m, 1) - 1;
	const cells = Array.from({ length: lead }, () => null);
	for (let d = 1; d <= n; d++) cells.push({ day: d, ...dayStatus(idx, y, m, d) });
	while (cells.length % 7) cells.push(null);
	const weeks = [];
	for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
	return weeks;
}

/** A year in numbers: working days, their minutes, holidays and make-up days (dated ones of the year). */
export function yearSummary(idx, y) {
	const out = { workdays: 0, minutes: 0, holidays: 0, makeups: 0 };
	for (let m = 1; m <= 12; m++) {
		for (let d = 1, n = daysInMonth(y, m); d <= n; d++) {
			const s = dayStatus(idx, y, m, d);
			if (s.kind === 'holiday') out.holidays++;
			if (s.kind === 'makeup') out.makeups++;
			if (s.minutes > 0) {
				out.workdays++;
				out.minutes += s.minutes;
			}
		}
	}
	return out;
}

/**
 * The dated days of the calendar with one date changed, for PUT /api/calendar {days}:
 * change = {kind: 'holiday'|'workday', name} sets it, null removes it (the weekday rule
 * applies again). Sorted by date.
 */
export function withDay(days, date, change) {
	const rest = (days || []).filter((d) => d.date !== date).map((d) => ({ date: d.date, kind: d.kind, name: d.name || '' }));
	if (change) rest.push({ date, kind: change.kind, name: (change.name || '').trim() });
	return rest.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The week's hours for PUT /api/calendar {hours}: 7 entries, empty intervals dropped. */
export function hoursBody(week) {
	return week.map((ivs, i) => ({ weekday: i + 1, intervals: ivs.filter((iv) => iv.start && iv.end).map((iv) => ({ start: iv.start, end: iv.end })) }));
}

/** The years a calendar has dated days for, with the current one, ascending. */
export function calendarYears(cal, current) {
	const ys = new Set([current]);
	for (const d of cal?.days || []) ys.add(Number(d.date.slice(0, 4)));
	return [...ys].sort((a, b) => a - b);
}

// --- time in the business time zone ---

/** The offset of `zone` from UTC at `ms`, in ms (Asia/Shanghai: +8 h). */
export function zoneOffset(ms, zone) {
	const f = new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	});
	const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
	const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
	return asUtc - Math.floor(ms / 1000) * 1000;
}

/** "2031-03-07 17:00" read in `zone` → UTC ms, or null when it is not a date and time. */
export function zonedToUtc(text, zone) {
	const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(String(text || '').trim());
	if (!m || !parseDate(`${m[1]}-${m[2]}-${m[3]}`)) return null;
	const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
	if (Number(m[4]) > 23 || Number(m[5]) > 59) return null;
	let ms = guess - zoneOffset(guess, zone);
	// Around a daylight-saving change the offset at the answer may differ from the guess's.
	ms = guess - zoneOffset(ms, zone);
	return ms;
}

/** UTC ms → "2031-03-07 17:00" in `zone`. */
export function utcToZoned(ms, zone) {
	const local = ms + zoneOffset(ms, zone);
	const d = new Date(local);
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
