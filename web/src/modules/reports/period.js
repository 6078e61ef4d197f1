// Report periods: the presets a supervisor picks (last 30 days, last quarter…) and the
// period kept in the URL query (?from=YYYY-MM-DD&to=YYYY-MM-DD). Days are China days, as
// the API reads them (its `to` includes the whole day). Pure: `now` is passed in.

const DAY = 86400000;
const CST = 8 * 3600000; // China Standard Time, no daylight saving

export const PRESETS = ['last30', 'last90', 'thisQuarter', 'lastQuarter', 'thisYear', 'last12m'];

const pad = (n) => String(n).padStart(2, '0');

/** The China calendar date of an instant: { y, m (1-12), d }. */
export function chinaDate(ms) {
	const d = new Date(Number(ms) + CST);
	return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}

/** { y, m, d } (month may overflow, day 0 is the last day of the month before) → "YYYY-MM-DD". */
export function dayText(y, m, d) {
	const t = new Date(Date.UTC(y, m - 1, d));
	return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** The China day of an instant as "YYYY-MM-DD". */
export function chinaDay(ms) {
	const c = chinaDate(ms);
	return dayText(c.y, c.m, c.d);
}

/** "YYYY-MM-DD" → the instant its China day starts (ms), or null when it is not a date. */
export function dayStart(s) {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
	if (!m) return null;
	const ms = Date.UTC(+m[1], +m[2] - 1, +m[3]);
	if (dayText(+m[1], +m[2], +m[3]) !== s) return null; // 2026-02-30
	return ms - CST;
}

/** A preset's days, both included: { from, to } as "YYYY-MM-DD". */
export function presetRange(name, now) {
	const c = chinaDate(now);
	const today = dayText(c.y, c.m, c.d);
	const q0 = Math.floor((c.m - 1) / 3) * 3 + 1; // first month of this quarter
	switch (name) {
		case 'last30':
			return { from: chinaDay(now - 29 * DAY), to: today };
		case 'last90':
			return { from: chinaDay(now - 89 * DAY), to: today };
		case 'thisQuarter':
			return { from: dayText(c.y, q0, 1), to: today };
		case 'lastQuarter':
			return { from: dayText(c.y, q0 - 3, 1), to: dayText(c.y, q0, 0) };
		case 'thisYear':
			return { from: dayText(c.y, 1, 1), to: today };
		case 'last12m':
			return { from: dayText(c.y, c.m - 12, c.d + 1), to: today };
		default:
			return null;
	}
}

/** The preset that gives exactly these days, or ''. */
export function matchPreset(from, to, now) {
	return PRESETS.find((p) => {
		const r = presetRange(p, now);
		return r.from === from && r.to === to;
	}) || '';
}

/**
 * The period of the URL query: both days valid and from ≤ to, else the fallback preset.
 * Returns { from, to, preset } (preset '' for a custom period).
 */
export function readPeriod(query, fallback, now) {
	const from = typeof query.from === 'string' ? query.from : '';
	const to = typeof query.to === 'string' ? query.to : '';
	const a = dayStart(from);
	const b = dayStart(to);
	if (a !== null && b !== null && a <= b) return { from, to, preset: matchPreset(from, to, now) };
	const r = presetRange(fallback, now);
	return { ...r, preset: fallback };
}

/** The period as API query parameters (the API takes the same days). */
export const periodQuery = (p) => (p ? { from: p.from, to: p.to } : {});

/** The case types a service report can cover ('all' first), as the API names them. */
export const CASE_TYPES = ['all', 'complaint', 'inquiry', 'after_sales', 'suggestion', 'praise'];

/** The case type of the URL query, or the report's default. */
export function readCaseType(query, dflt) {
	return CASE_TYPES.includes(query.type) ? query.type : dflt;
}

/**
 * The days of each report week (from the weekly report's week_start, China Monday 00:00),
 * clipped to the period: [{ week: "2026-11-16", from, to }] as "YYYY-MM-DD".
 */
export function weekRanges(weekStarts, period) {
	return weekStarts.map((ms) => {
		const from = chinaDay(ms);
		const to = chinaDay(ms + 6 * DAY);
		return { week: from, from: from < period.from ? period.from : from, to: to > period.to ? period.to : to };
	});
}
