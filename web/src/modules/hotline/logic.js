// Pure logic of the hotline pages (no Vue, no fetch), tested in web/tests/hotline.test.js:
// durations and ratios as shown, the wallboard's tiles, the Erlang calculator's inputs, the
// calls list's URL state, days in the company's time zone, screen pops seen once.

/** Seconds → "0:45", "3:05", "1:02:03"; null/undefined/NaN → "—". Negative counts as 0. */
export function duration(sec) {
	if (sec === null || sec === undefined || sec === '') return '—';
	const n = Number(sec);
	if (!Number.isFinite(n)) return '—';
	const s = Math.max(0, Math.round(n));
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const r = String(s % 60).padStart(2, '0');
	return h ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
}

/** Milliseconds → duration(); 0 ms stays "0:00". */
export function durationMs(ms) {
	if (ms === null || ms === undefined) return '—';
	return duration(Number(ms) / 1000);
}

/** A ratio 0..1 → "85.3%" (digits after the point); null → "—". */
export function pct(ratio, digits = 1) {
	if (ratio === null || ratio === undefined || ratio === '') return '—';
	const n = Number(ratio);
	if (!Number.isFinite(n)) return '—';
	return `${(n * 100).toFixed(digits)}%`;
}

/** A number with at most `digits` decimals, trailing zeros dropped; null → "—". */
export function num(v, digits = 1) {
	if (v === null || v === undefined || v === '') return '—';
	const n = Number(v);
	if (!Number.isFinite(n)) return '—';
	return String(Number(n.toFixed(digits)));
}

/**
 * The wallboard's tiles from GET /api/hotline/wallboard (or the SSE `wallboard` event):
 * [{key, value, text, level}] where level is 'ok' | 'warn' | 'bad' | 'neutral' and `text`
 * is what the tile shows (durations as m:ss, ratios as %). The thresholds follow the
 * service-level settings: a caller waiting longer than the SL threshold is 'bad'; the day's
 * service level under target is 'warn', more than 10 points under is 'bad'; abandonment over
 * 5% is 'warn', over 10% 'bad'; calls waiting with nobody available is 'bad'.
 */
export function wallboardTiles(wb) {
	const today = wb?.today || {};
	const agents = wb?.agents || {};
	const slSec = Number(today.sl_seconds) || 20;
	const target = (Number(today.sl_target_pct) || 80) / 100;
	const waiting = Number(wb?.waiting) || 0;
	const longest = Number(wb?.longest_wait_s) || 0;
	const available = Number(agents.available) || 0;
	const sl = today.service_level ?? null;
	const ab = today.abandon_rate ?? null;
	const level = {
		waiting: waiting === 0 ? 'ok' : available === 0 ? 'bad' : 'warn',
		longest: longest === 0 ? 'ok' : longest > slSec ? 'bad' : 'warn',
		sl: sl === null ? 'neutral' : sl >= target ? 'ok' : sl >= target - 0.1 ? 'warn' : 'bad',
		abandon: ab === null ? 'neutral' : ab <= 0.05 ? 'ok' : ab <= 0.1 ? 'warn' : 'bad',
	};
	return [
		{ key: 'waiting', value: waiting, text: String(waiting), level: level.waiting },
		{ key: 'longest_wait', value: longest, text: duration(longest), level: level.longest },
		{ key: 'service_level', value: sl, text: pct(sl), level: level.sl, target: today.sl_target_pct ?? 80, seconds: slSec },
		{ key: 'abandon_rate', value: ab, text: pct(ab), level: level.abandon },
		{ key: 'offered', value: today.offered ?? 0, text: String(today.offered ?? 0), level: 'neutral' },
		{ key: 'answered', value: today.answered ?? 0, text: String(today.answered ?? 0), level: 'neutral' },
		{ key: 'abandoned', value: today.abandoned ?? 0, text: String(today.abandoned ?? 0), level: 'neutral' },
		{ key: 'asa', value: today.asa_s ?? null, text: duration(today.asa_s), level: 'neutral' },
	];
}

/** The agents' tiles: available, ringing, on a call, not ready, signed in. */
export function agentTiles(wb) {
	const a = wb?.agents || {};
	return ['available', 'ringing', 'on_call', 'not_ready', 'signed_in'].map((k) => ({ key: k, value: Number(a[k]) || 0 }));
}

/**
 * The Erlang calculator's fields, their limits (those of GET /api/hotline/erlang) and
 * defaults. `required` fields must be filled; the others may stay empty (not sent).
 */
export const ERLANG_FIELDS = {
	calls: { min: 0, max: 1e6, required: true, def: 100 },
	aht_s: { min: 1, max: 86400, required: true, def: 180 },
	interval_min: { min: 1, max: 1440, required: true, def: 30 },
	sl_pct: { min: 1, max: 99.9, required: true, def: 80 },
	target_s: { min: 0, max: 3600, required: true, def: 20 },
	shrinkage_pct: { min: 0, max: 90, required: false, def: 30 },
	max_occupancy_pct: { min: 0, max: 100, required: false, def: '' },
	patience_s: { min: 0, max: 86400, required: false, def: '' },
};

export function erlangDefaults() {
	return Object.fromEntries(Object.entries(ERLANG_FIELDS).map(([k, f]) => [k, f.def]));
}

/**
 * Checks the calculator's form. → { errors: {field: {key, min, max}}, query } where `query`
 * holds the numbers to send (empty optional fields left out) and is null when any error.
 * Error keys: 'required', 'number', 'range'.
 */
export function validateErlang(form) {
	const errors = {};
	const query = {};
	for (const [k, f] of Object.entries(ERLANG_FIELDS)) {
		const raw = form?.[k];
		const s = raw === null || raw === undefined ? '' : String(raw).trim();
		if (s === '') {
			if (f.required) errors[k] = { key: 'required' };
			continue;
		}
		if (!/^-?\d+(\.\d+)?$/.test(s)) {
			errors[k] = { key: 'number' };
			continue;
		}
		const n = Number(s);
		if (n < f.min || n > f.max) {
			errors[k] = { key: 'range', min: f.min, max: f.max };
			continue;
		}
		query[k] = n;
	}
	return { errors, query: Object.keys(errors).length ? null : query };
}

/** The company's time zone offset in minutes (Asia/Shanghai: +8 h, no daylight saving). */
export const TZ_OFFSET_MIN = 480;

/** "2025-06-02" → [start, end) in epoch ms for that day in the company's time zone; null if not a day. */
export function dayRange(day, offsetMin = TZ_OFFSET_MIN) {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || '');
	if (!m) return null;
	const start = Date.UTC(+m[1], +m[2] - 1, +m[3]) - offsetMin * 60000;
	if (Number.isNaN(start)) return null;
	return [start, start + 86400000];
}

/** Epoch ms → "YYYY-MM-DD" in the company's time zone. */
export function companyDay(ms, offsetMin = TZ_OFFSET_MIN) {
	const d = new Date(Number(ms) + offsetMin * 60000);
	return d.toISOString().slice(0, 10);
}

/** "YYYY-MM-DD" plus n days. */
export function addDays(day, n) {
	const r = dayRange(day, 0);
	if (!r) return day;
	return new Date(r[0] + n * 86400000).toISOString().slice(0, 10);
}

// The calls list's filters as they stand in the URL (/hotline/calls?from=…&agent=me…).
export const CALL_FILTERS = ['from', 'to', 'agent', 'direction', 'queue', 'customer_id', 'live', 'state', 'wrapup', 'outcome'];
export const CALL_STATES = ['queued', 'ringing', 'talking', 'held', 'ended', 'abandoned'];
export const CALL_OUTCOMES = ['reached', 'no_answer', 'busy', 'voicemail', 'wrong_number', 'refused', 'failed'];
export const CALL_LIMITS = [20, 50, 100];

/** The route's query → {filters, limit, cursor}; unknown or malformed values are dropped. */
export function parseCallQuery(q) {
	const filters = {};
	const one = (v) => (Array.isArray(v) ? v[0] : v);
	for (const k of CALL_FILTERS) {
		const v = one(q?.[k]);
		if (v === undefined || v === null || v === '') continue;
		const s = String(v);
		if ((k === 'from' || k === 'to') && !dayRange(s)) continue;
		if (k === 'direction' && s !== 'inbound' && s !== 'outbound') continue;
		if (k === 'agent' && s !== 'me' && !/^\d+$/.test(s)) continue;
		if (k === 'customer_id' && !/^\d+$/.test(s)) continue;
		if (k === 'live' && s !== '1') continue;
		if (k === 'state' && !CALL_STATES.includes(s)) continue;
		if (k === 'outcome' && !CALL_OUTCOMES.includes(s)) continue;
		if (k === 'wrapup' && !/^[a-z0-9_-]{1,40}$/.test(s)) continue;
		filters[k] = s;
	}
	const l = Number(one(q?.limit));
	const limit = CALL_LIMITS.includes(l) ? l : 20;
	const cursor = one(q?.cursor) || '';
	return { filters, limit, cursor: /^\d+$/.test(cursor) ? cursor : '' };
}

/** {filters, limit, cursor} → the route's query (defaults left out). */
export function buildCallQuery({ filters = {}, limit = 20, cursor = '' }) {
	const q = {};
	for (const k of CALL_FILTERS) if (filters[k]) q[k] = String(filters[k]);
	if (limit !== 20) q.limit = String(limit);
	if (cursor) q.cursor = String(cursor);
	return q;
}

/** The URL state → GET /api/calls query: days to offered_since/offered_until (the call's day is
 * when it was offered; until = the start of the day after `to`). */
export function apiCallQuery({ filters = {}, limit = 20, cursor = '' }, offsetMin = TZ_OFFSET_MIN) {
	const q = { limit };
	if (filters.from) q.offered_since = dayRange(filters.from, offsetMin)[0];
	if (filters.to) q.offered_until = dayRange(filters.to, offsetMin)[1];
	if (filters.agent) q.agent_id = filters.agent;
	if (filters.direction) q.direction = filters.direction;
	if (filters.queue) q.queue = filters.queue;
	if (filters.customer_id) q.customer_id = filters.customer_id;
	if (filters.live) q.live = 1;
	if (filters.state) q.state = filters.state;
	if (filters.wrapup) q.wrapup_code = filters.wrapup;
	if (filters.outcome) q.outcome = filters.outcome;
	if (cursor) q.cursor = cursor;
	return q;
}

/**
 * Screen pops seen by this page: a pop is shown once per call, whatever the number of times
 * the stream delivers it (a reconnect replays what came after Last-Event-ID; the server may
 * send a new pop when a transferred call rings at us again — that one is the same call).
 * `max` bounds the memory of a page left open for days.
 */
export function createPopTracker(max = 500) {
	const seen = new Map();
	return {
		/** True the first time a call id is offered, false afterwards. */
		accept(callId) {
			if (callId === null || callId === undefined) return false;
			const k = String(callId);
			if (seen.has(k)) return false;
			seen.set(k, Date.now());
			if (seen.size > max) seen.delete(seen.keys().next().value);
			return true;
		},
		has: (callId) => seen.has(String(callId)),
		get size() {
			return seen.size;
		},
	};
}

/**
 * A shift pattern's form → the API body: end time → minutes (a multiple of 30, by midnight),
 * breaks kept when they have a start. Returns {body} or {error: {field, key}}.
 */
export function patternBody(f) {
	const hm = (s) => {
		const m = /^(\d{2}):(\d{2})$/.exec(s || '');
		return m ? +m[1] * 60 + +m[2] : null;
	};
	const start = hm(f.start);
	let end = f.end === '24:00' ? 1440 : hm(f.end);
	if (!String(f.name || '').trim()) return { error: { field: 'name', key: 'required' } };
	if (start === null || start % 30) return { error: { field: 'start', key: 'halfHour' } };
	if (end === null || end % 30) return { error: { field: 'end', key: 'halfHour' } };
	if (end <= start) return { error: { field: 'end', key: 'afterStart' } };
	const breaks = [];
	for (const [i, b] of (f.breaks || []).entries()) {
		if (!b.start) continue;
		const bs = hm(b.start);
		if (bs === null || bs % 30) return { error: { field: `breaks[${i}].start`, key: 'halfHour' } };
		breaks.push({ start: b.start, minutes: Number(b.minutes) || 30 });
	}
	if (!f.days?.length) return { error: { field: 'days', key: 'required' } };
	return {
		body: {
			name: String(f.name).trim(),
			start: f.start,
			minutes: end - start,
			breaks,
			days: [...f.days].map(Number).sort(),
			max_count: Number(f.max_count) || 0,
			active: f.active !== false,
		},
	};
}

/** "08:00" + minutes → "16:30" ("24:00" at midnight). */
export function endOf(start, minutes) {
	const m = /^(\d{2}):(\d{2})$/.exec(start || '');
	if (!m) return '';
	const e = +m[1] * 60 + +m[2] + Number(minutes || 0);
	return `${String(Math.floor(e / 60)).padStart(2, '0')}:${String(e % 60).padStart(2, '0')}`;
}

/** QA: the total of a score sheet as a ratio of the maximum, null when nothing is scored. */
export function qaRatio(items, scores) {
	let got = 0;
	let max = 0;
	for (const it of items || []) {
		const s = scores?.[it.code];
		if (s === null || s === undefined || s === '') return null;
		got += Number(s);
		max += Number(it.max_score);
	}
	return max ? got / max : null;
}

/**
 * A table as CSV for Excel: a BOM (so Excel reads UTF-8 Chinese), CRLF line ends, cells
 * quoted when they hold a comma, a quote or a line break; cells that a spreadsheet would run
 * as a formula (=, +, -, @ first) get a leading apostrophe. `header` and `rows` are arrays of
 * cells (strings or numbers; null → empty).
 */
export function toCsv(header, rows) {
	const cell = (v) => {
		if (v === null || v === undefined) return '';
		let s = String(v);
		if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
		return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
	};
	return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
