// Pure logic of the follow-ups module: due buckets, relative due times, rest hours and
// do-not-disturb windows (the same rules as core/calltime.c), paging, fulfilment rates and
// the parameters each generation rule takes. No I/O: tested in web/tests/followups.test.js.

export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Outcomes of a visit, in the order the record form offers them (app/followups.c). */
export const OUTCOMES = ['satisfied', 'so_so', 'not_satisfied', 'unreachable'];
/** Kinds of visit: by hand, and one per generation rule (app/followup_jobs.c). */
export const KINDS = ['manual', 'case_handled', 'first_contact', 'key_account', 'birthday', 'anniversary', 'maintenance', 'winback', 'festival'];
/** The record fields a visit needs before it can be closed, in the API's order. */
export const RECORD_FIELDS = ['outcome', 'evaluation', 'suggestions', 'next_step'];

/** The company's rest hours, every day: the default until the settings are read
 * (GET /api/hotline/settings rest_hours; zone.js calls setRestWindows). */
export const REST_WINDOWS = [
	{ days: [], start: '12:00', end: '14:00' },
	{ days: [], start: '21:00', end: '09:00' },
];

/** Replaces the rest hours with the company's setting ([{start, end}]); ignores junk. */
export function setRestWindows(list) {
	if (!Array.isArray(list)) return;
	const ok = list.filter((w) => w && hhmm(w.start) >= 0 && hhmm(w.end) >= 0).map((w) => ({ days: [], start: w.start, end: w.end }));
	REST_WINDOWS.splice(0, REST_WINDOWS.length, ...ok);
}

/** Which parameters each rule reads (app/followup_jobs.c); the others are ignored there. */
export const RULE_PARAMS = {
	case_handled: ['days', 'delay_hours'],
	first_contact: ['days'],
	key_account: ['months'],
	birthday: ['lead_days'],
	anniversary: ['lead_days'],
	maintenance: ['months', 'lead_days'],
	winback: ['days'],
	festival: ['lead_days'],
};
/** Bounds of each parameter (app/followup_rules.c). */
export const PARAM_RANGE = {
	days: [1, 3650],
	delay_hours: [0, 720],
	months: [1, 120],
	lead_days: [0, 60],
};

/** The end (exclusive) of the local day holding ms. */
export function endOfDay(ms) {
	const d = new Date(ms);
	d.setHours(24, 0, 0, 0);
	return d.getTime();
}

/**
 * Where a visit or commitment stands at `now`: 'done' (closed, kept or broken), 'overdue'
 * (open and past due), 'today' (open, due before the end of today) or 'upcoming'.
 */
export function bucketOf(item, now) {
	if (item.state !== 'open') return 'done';
	if (item.due_at < now) return 'overdue';
	if (item.due_at < endOfDay(now)) return 'today';
	return 'upcoming';
}

/** Counts per bucket: { overdue, today, upcoming, done }. */
export function bucketCounts(items, now) {
	const c = { overdue: 0, today: 0, upcoming: 0, done: 0 };
	for (const it of items || []) c[bucketOf(it, now)]++;
	return c;
}

/**
 * How far `due` is from `now`, in the largest whole unit: { key, n } with key one of
 * dueIn.minutes / hours / days or overdueBy.minutes / hours / days (i18n keys under
 * followups.rel). Less than a minute counts as one.
 */
export function relativeDue(due, now) {
	const late = due < now;
	const d = Math.abs(due - now);
	let unit = 'minutes';
	let n = Math.max(1, Math.floor(d / MINUTE));
	if (d >= DAY) {
		unit = 'days';
		n = Math.floor(d / DAY);
	} else if (d >= HOUR) {
		unit = 'hours';
		n = Math.floor(d / HOUR);
	}
	return { key: `${late ? 'overdueBy' : 'dueIn'}.${unit}`, n };
}

/** "HH:MM" (00:00–24:00) → minutes, or -1 (calltime_parse_hhmm). */
export function hhmm(s) {
	const m = /^(\d\d):(\d\d)$/.exec(s || '');
	if (!m) return -1;
	const h = Number(m[1]);
	const mi = Number(m[2]);
	if (mi > 59 || h > 24 || (h === 24 && mi)) return -1;
	return h * 60 + mi;
}

const WEEKDAYS = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const zoneFormats = new Map();

/** The wall clock of ms in time zone tz: { weekday: 1 (Mon)..7, minute: 0..1439 }. */
export function zonedParts(ms, tz) {
	let f = zoneFormats.get(tz);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
		zoneFormats.set(tz, f);
	}
	const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
	return { weekday: WEEKDAYS[p.weekday], minute: (Number(p.hour) % 24) * 60 + Number(p.minute) };
}

function applies(w, weekday) {
	return !w.days || !w.days.length || w.days.includes(weekday);
}

/**
 * Whether a local wall-clock minute on a weekday is inside window w ({days, start, end}),
 * an overnight window (end <= start) counting from the day it began (core/calltime.c).
 */
export function insideWindow(weekday, minute, w) {
	const s = hhmm(w.start);
	const e = hhmm(w.end);
	if (s < 0 || e < 0 || s === e) return false;
	if (e > s) return applies(w, weekday) && minute >= s && minute < e;
	const prev = weekday === 1 ? 7 : weekday - 1;
	return (applies(w, weekday) && minute >= s) || (applies(w, prev) && minute < e);
}

/**
 * Why the customer may not be called at ms (company zone tz): 'rest' (company rest hours),
 * 'dnd' (the customer's do-not-disturb windows) or null when the call is allowed.
 */
export function blockedReason(ms, tz, dnd) {
	const { weekday, minute } = zonedParts(ms, tz);
	if (REST_WINDOWS.some((w) => insideWindow(weekday, minute, w))) return 'rest';
	if ((dnd || []).some((w) => insideWindow(weekday, minute, w))) return 'dnd';
	return null;
}

/** "12:00–14:00", with "次日" / "next day" for an overnight window (t: i18n). */
export function windowSpan(w, t) {
	const overnight = hhmm(w.end) <= hhmm(w.start);
	return `${w.start}–${overnight ? t('followups.nextDay', { time: w.end }) : w.end}`;
}

/** The page (1-based) of a list, and how many pages there are. */
export function paginate(items, page, size) {
	const list = items || [];
	const pages = Math.max(1, Math.ceil(list.length / size));
	const p = Math.min(Math.max(1, page), pages);
	return { rows: list.slice((p - 1) * size, p * size), page: p, pages, total: list.length };
}

/**
 * Commitments counted as app/commitments.c counts them: kept, broken, overdue (open and
 * past due), pending (open, not yet due) and the fulfilment rate kept / (kept + broken +
 * overdue) in basis points, null when nothing counts yet.
 */
export function fulfilment(items, now) {
	const c = { kept: 0, broken: 0, overdue: 0, pending: 0 };
	for (const m of items || []) {
		if (m.state === 'kept') c.kept++;
		else if (m.state === 'broken') c.broken++;
		else if (m.due_at < now) c.overdue++;
		else c.pending++;
	}
	const denom = c.kept + c.broken + c.overdue;
	return { ...c, rate_bp: denom ? Math.floor((c.kept * 10000) / denom) : null };
}

/** Sums per-agent rows of GET /api/commitments/stats into one, with the rate. */
export function sumStats(rows) {
	const c = { kept: 0, broken: 0, overdue: 0, pending: 0 };
	for (const r of rows || []) for (const k of Object.keys(c)) c[k] += Number(r[k]) || 0;
	const denom = c.kept + c.broken + c.overdue;
	return { ...c, rate_bp: denom ? Math.floor((c.kept * 10000) / denom) : null };
}

/** Basis points → "87.5%" (one decimal, none when whole); null → "—". */
export function percent(bp) {
	if (bp === null || bp === undefined) return '—';
	return `${(Number(bp) / 100).toFixed(1).replace(/\.0$/, '')}%`;
}

/** The latest closed visit and the next open one of a customer's visits. */
export function lastAndNext(visits) {
	let last = null;
	let next = null;
	for (const v of visits || []) {
		if (v.state === 'done') {
			if (!last || (v.closed_at || 0) > (last.closed_at || 0)) last = v;
		} else if (v.state === 'open' && (!next || v.due_at < next.due_at)) next = v;
	}
	return { last, next };
}

/**
 * The record fields still empty (whitespace counts as empty), in the order the API checks
 * them: what keeps a visit from being closed.
 */
export function missingRecord(rec) {
	return RECORD_FIELDS.filter((f) => !String(rec?.[f] ?? '').trim());
}

/** Only the record fields that differ from the visit as loaded (a PATCH body), or null. */
export function recordPatch(draft, visit) {
	const body = {};
	for (const f of RECORD_FIELDS) {
		const v = draft[f] ?? '';
		const was = visit[f] ?? '';
		if (f === 'outcome' ? v && v !== was : v !== was) body[f] = v;
	}
	return Object.keys(body).length ? body : null;
}

/** Splices `{{name}}` into text at [start, end) (a textarea's selection): { text, caret }. */
export function insertVariable(text, start, end, name) {
	const s = text || '';
	const a = Math.max(0, Math.min(start ?? s.length, s.length));
	const b = Math.max(a, Math.min(end ?? a, s.length));
	const ins = `{{${name}}}`;
	return { text: s.slice(0, a) + ins + s.slice(b), caret: a + ins.length };
}

/**
 * Older servers ended the refusal of a call time with the first allowed time in epoch ms
 * ("…最早可在 14:00 之后（1795654800000）"): shown as a date and time instead (fmt: ms → text).
 */
export function readableTimes(text, fmt) {
	return String(text || '').replace(/\b\d{13}\b/g, (m) => fmt(Number(m)));
}

/**
 * A period the reports link with, from two query keys (epoch ms, [from, to)): { from, to }
 * (0 for an absent end), or null when neither is a whole number.
 */
export function queryRange(query, fromKey, toKey) {
	const read = (v) => (typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : 0);
	const from = read(query?.[fromKey]), to = read(query?.[toKey]);
	return from || to ? { from, to } : null;
}

/** A period's China days, both included: "2026-11-01 – 2026-11-30" ("…" for an open end). */
export function rangeLabel(r) {
	const day = (ms) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
	return `${r.from ? day(r.from) : '…'} – ${r.to ? day(r.to - 1) : '…'}`;
}
