// The customer list's state lives in the URL query so a view can be bookmarked and shared:
//   ?q=&kind=&source=&lifecycle=&chain_role=&value_class=&tier=&owner=&tag=&industry=&department_id=
//   &archived=1&limit=&cursor= (industry and department_id come from links, e.g. the reports)
// The cursors of the pages before the current one are kept in history.state (back/forward
// and reload keep them; a shared link starts with "first page" available instead).
export const FILTER_KEYS = ['q', 'kind', 'source', 'lifecycle', 'chain_role', 'value_class', 'tier', 'owner', 'tag', 'industry', 'department_id', 'archived'];
export const LIMITS = [20, 50, 100, 200];
export const DEFAULT_LIMIT = 50;

const first = (v) => (Array.isArray(v) ? v[0] : v);

/** Route query → { filters, limit, cursor } with only known, non-empty values. */
export function parseListQuery(query) {
	const filters = {};
	for (const k of FILTER_KEYS) {
		const v = first(query[k]);
		if (v !== undefined && v !== null && String(v).trim() !== '') filters[k] = String(v).trim();
	}
	if (filters.archived && filters.archived !== '1') delete filters.archived;
	let limit = Number(first(query.limit));
	if (!LIMITS.includes(limit)) limit = DEFAULT_LIMIT;
	const cursor = first(query.cursor) ? String(first(query.cursor)) : '';
	return { filters, limit, cursor };
}

/** { filters, limit, cursor } → route query (defaults left out, stable key order). */
export function buildListQuery({ filters = {}, limit = DEFAULT_LIMIT, cursor = '' }) {
	const q = {};
	for (const k of FILTER_KEYS) {
		const v = filters[k];
		if (v !== undefined && v !== null && String(v).trim() !== '') q[k] = String(v).trim();
	}
	if (limit && limit !== DEFAULT_LIMIT) q.limit = String(limit);
	if (cursor) q.cursor = cursor;
	return q;
}

/** The API query for a list view. */
export function apiListQuery({ filters, limit, cursor }) {
	return { ...filters, limit, cursor: cursor || undefined };
}
