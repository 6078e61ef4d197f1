// The customer list's first page is requested by the router as soon as the route is known,
// in parallel with the session check and the loading of the page's code; the page then takes
// the answer instead of asking again. Only for the next mount, and only if fresh.
import * as API from '../api/index.js';

let pending = null; // { key, at, promise }

const keyOf = (q) => JSON.stringify(Object.entries(q).filter(([, v]) => v !== undefined && v !== '').sort());

export function prefetchList(query) {
	const key = keyOf(query);
	const promise = API.listCustomers(query, { quiet401: true }).catch(() => null);
	pending = { key, at: Date.now(), promise };
}

/** The prefetched answer for this query (or null), once. */
export function takePrefetched(query) {
	const p = pending;
	pending = null;
	if (!p || p.key !== keyOf(query) || Date.now() - p.at > 5000) return null;
	return p.promise;
}
