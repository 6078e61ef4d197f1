// Pure text helpers of the knowledge-base module: highlighted snippets as segments (rendered
// without v-html), client-side highlighting of query words, lint findings over a text, search
// result groups, and a small text diff for the version history. No DOM, no API: tested in
// web/tests/kb.test.js.

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#34': '"' };

/** Decodes the few entities the server's escaper writes (and numeric ones). */
export function decodeEntities(s) {
	return String(s).replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (all, name) => {
		const k = name.toLowerCase();
		if (ENTITIES[k] !== undefined) return ENTITIES[k];
		if (k.startsWith('#x')) return safeCodePoint(parseInt(k.slice(2), 16), all);
		if (k.startsWith('#')) return safeCodePoint(parseInt(k.slice(1), 10), all);
		return all;
	});
}

function safeCodePoint(n, fallback) {
	return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : fallback;
}

/**
 * The server's escaped HTML with <mark>…</mark> (title_html, snippet_html) → segments
 * [{ text, mark }]. Any other tag-looking text stays literal text: nothing from the server is
 * ever interpreted as HTML, the template prints the segments as text.
 */
export function markSegments(html) {
	const out = [];
	if (html === null || html === undefined) return out;
	const parts = String(html).split(/(<mark>|<\/mark>)/);
	let mark = false;
	for (const p of parts) {
		if (p === '<mark>') mark = true;
		else if (p === '</mark>') mark = false;
		else if (p) push(out, decodeEntities(p), mark);
	}
	return out;
}

function push(out, text, mark, extra) {
	if (!text) return;
	const last = out[out.length - 1];
	if (last && last.mark === mark && !extra && !last.finding) last.text += text;
	else out.push(extra ? { text, mark, ...extra } : { text, mark });
}

/**
 * The words of a query for highlighting plain text: runs of CJK characters as they are
 * (substring matches, as the server's bigram phrases), other words of 1+ letters or digits,
 * case-insensitive. Longest first so that overlapping words prefer the longer one.
 */
export function queryWords(q) {
	const words = new Set();
	for (const m of String(q || '').normalize('NFKC').matchAll(/[\p{Script=Han}]+|[\p{L}\p{N}]+/gu)) words.add(m[0].toLowerCase());
	return [...words].sort((a, b) => b.length - a.length);
}

/** Plain text with the query's words marked → segments [{ text, mark }]. */
export function highlight(text, q) {
	const s = String(text ?? '');
	const words = queryWords(q);
	if (!s || !words.length) return s ? [{ text: s, mark: false }] : [];
	const lower = s.toLowerCase();
	const hits = new Array(s.length).fill(false);
	for (const w of words) {
		let i = lower.indexOf(w);
		while (i >= 0) {
			for (let k = i; k < i + w.length; k++) hits[k] = true;
			i = lower.indexOf(w, i + w.length);
		}
	}
	const out = [];
	let start = 0;
	for (let i = 1; i <= s.length; i++) {
		if (i === s.length || hits[i] !== hits[start]) {
			push(out, s.slice(start, i), hits[start]);
			start = i;
		}
	}
	return out;
}

/**
 * A text and the findings of POST /api/lint (start/end in UTF-16 units, as JS strings count)
 * → segments [{ text, mark, finding? }]; overlapping findings: the first in text order wins
 * the overlap, the next one starts after it.
 */
export function lintSegments(text, findings) {
	const s = String(text ?? '');
	const fs = [...(findings || [])]
		.filter((f) => Number.isInteger(f.start) && Number.isInteger(f.end) && f.end > f.start)
		.sort((a, b) => a.start - b.start || b.end - a.end);
	const out = [];
	let at = 0;
	for (const f of fs) {
		const start = Math.max(f.start, at);
		const end = Math.min(f.end, s.length);
		if (end <= start) continue;
		push(out, s.slice(at, start), false);
		out.push({ text: s.slice(start, end), mark: true, finding: f });
		at = end;
	}
	push(out, s.slice(at), false);
	return out;
}

export const SEARCH_KINDS = ['customer', 'case', 'kb'];

/**
 * GET /api/search (no type) → the groups in a fixed order, empty ones dropped, each
 * { type, items, total, capped }, and a flat list of the items in display order (for the
 * keyboard: ↑ ↓ move over it).
 */
export function groupResults(res) {
	const byType = new Map((res?.groups || []).map((g) => [g.type, g]));
	const groups = [];
	for (const type of SEARCH_KINDS) {
		const g = byType.get(type);
		if (!g || !g.items?.length) continue;
		groups.push({ type, items: g.items, total: g.total ?? g.items.length, capped: !!g.total_capped });
	}
	const flat = groups.flatMap((g) => g.items);
	return { groups, flat, empty: flat.length === 0 };
}

/** Where a search result leads. */
export function resultPath(item) {
	if (!item) return '/';
	if (item.type === 'customer') return `/customers/${item.id}`;
	if (item.type === 'case') return `/cases/${item.id}`;
	return `/kb/${item.id}`;
}

/** The "/" shortcut applies unless the user is typing somewhere or holds a modifier. */
export function isSearchShortcut(e) {
	if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return false;
	const el = e.target;
	if (!el) return true;
	const tag = (el.tagName || '').toLowerCase();
	return !(tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable);
}

/** Page n (1-based) of a paged search → the API cursor ("o<offset>"). */
export const pageCursor = (page, size) => (page > 1 ? `o${(page - 1) * size}` : '');

/**
 * A diff of two texts as segments [{ text, op: '=' | '+' | '-' }]: by characters when the
 * texts are small enough for an LCS table, else by lines. Common prefix and suffix are taken
 * off first, so a small edit in a long answer stays cheap.
 */
export function diffText(a, b, maxCells = 2_000_000) {
	a = String(a ?? '');
	b = String(b ?? '');
	if (a === b) return a ? [{ text: a, op: '=' }] : [];
	let p = 0;
	while (p < a.length && p < b.length && a[p] === b[p]) p++;
	let s = 0;
	while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
	const midA = a.slice(p, a.length - s);
	const midB = b.slice(p, b.length - s);
	const out = [];
	add(out, a.slice(0, p), '=');
	let units;
	if ((midA.length + 1) * (midB.length + 1) <= maxCells) units = [Array.from(midA), Array.from(midB)];
	else units = [splitLines(midA), splitLines(midB)];
	if ((units[0].length + 1) * (units[1].length + 1) > maxCells) {
		add(out, midA, '-');
		add(out, midB, '+');
	} else {
		for (const d of lcsDiff(units[0], units[1])) add(out, d.text, d.op);
	}
	add(out, a.slice(a.length - s), '=');
	return out;
}

function splitLines(s) {
	return s.match(/[^\n]*\n|[^\n]+/g) || [];
}

function add(out, text, op) {
	if (!text) return;
	const last = out[out.length - 1];
	if (last && last.op === op) last.text += text;
	else out.push({ text, op });
}

function lcsDiff(x, y) {
	const n = x.length;
	const m = y.length;
	// len[i][j]: LCS of x[i..] and y[j..], in one typed array.
	const w = m + 1;
	const len = new Uint32Array((n + 1) * w);
	for (let i = n - 1; i >= 0; i--)
		for (let j = m - 1; j >= 0; j--)
			len[i * w + j] = x[i] === y[j] ? len[(i + 1) * w + j + 1] + 1 : Math.max(len[(i + 1) * w + j], len[i * w + j + 1]);
	const out = [];
	let i = 0;
	let j = 0;
	while (i < n && j < m) {
		if (x[i] === y[j]) {
			add(out, x[i], '=');
			i++;
			j++;
		} else if (len[(i + 1) * w + j] >= len[i * w + j + 1]) add(out, x[i++], '-');
		else add(out, y[j++], '+');
	}
	while (i < n) add(out, x[i++], '-');
	while (j < m) add(out, y[j++], '+');
	return out;
}

/** Questions typed one per line → the API's array (trimmed, empty lines and repeats dropped). */
export function linesToList(text) {
	const seen = new Set();
	const out = [];
	for (const l of String(text || '').split(/\r?\n/)) {
		const s = l.trim();
		if (s && !seen.has(s)) {
			seen.add(s);
			out.push(s);
		}
	}
	return out;
}

/** An API field path of the editor ("questions[2]", "tags[0]") → the form item it belongs to. */
export function fieldOf(path) {
	if (!path) return '';
	const m = /^([a-z_]+)/.exec(path);
	return m ? m[1] : path;
}

/**
 * GET /api/reports/lint → rows for a table of agents × ISO weeks: the weeks present (sorted),
 * and per agent the count of each week (0 when absent), findings per 100 replies, and the
 * rules summed over the period, most frequent first.
 */
export function lintReportTable(report) {
	const agents = report?.agents || [];
	const weekSet = new Map();
	for (const a of agents) for (const w of a.weeks || []) weekSet.set(w.week, w.monday);
	const weeks = [...weekSet.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([week, monday]) => ({ week, monday }));
	const rows = agents.map((a) => {
		const byWeek = new Map((a.weeks || []).map((w) => [w.week, w.count]));
		const rules = new Map();
		for (const w of a.weeks || []) for (const [r, n] of Object.entries(w.rules || {})) rules.set(r, (rules.get(r) || 0) + n);
		return {
			user: a.user,
			replies: a.replies || 0,
			total: a.total || 0,
			error: a.error || 0,
			warning: a.warning || 0,
			info: a.info || 0,
			per100: a.replies ? Math.round((a.total / a.replies) * 1000) / 10 : null,
			weeks: weeks.map((w) => byWeek.get(w.week) || 0),
			rules: [...rules.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([rule, count]) => ({ rule, count })),
		};
	});
	rows.sort((x, y) => y.total - x.total || (x.user?.display_name || '').localeCompare(y.user?.display_name || ''));
	return { weeks, rows };
}

/** A rating average as the API sends it (a JSON number, e.g. 4 or 3.67) → "4.0", "3.7"; null → "". */
export function fmtAvg(avg) {
	if (avg === null || avg === undefined || avg === '') return '';
	const n = Number(avg);
	return Number.isFinite(n) ? n.toFixed(1) : '';
}
