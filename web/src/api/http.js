// The JSON API client: CSRF token, language, problem+json errors, session expiry.
import { currentLang, t } from '../i18n/index.js';

const CSRF_KEY = 'kefu.csrf';

/** An API failure: status, code, detail (already in the UI language), field, existingId. */
export class ApiError extends Error {
	constructor(status, problem = {}) {
		super(problem.detail || problem.title || `HTTP ${status}`);
		this.status = status;
		this.code = problem.code || (status ? `http_${status}` : 'network');
		this.title = problem.title || '';
		this.detail = problem.detail || problem.title || '';
		this.field = problem.field || null;
		this.existingId = problem.existing_id ?? null;
	}
}

let unauthorizedHandler = null;
/** Called once per 401 from any request but the login itself. */
export function onUnauthorized(fn) {
	unauthorizedHandler = fn;
}

export function getCsrf() {
	try {
		return sessionStorage.getItem(CSRF_KEY) || '';
	} catch {
		return '';
	}
}

export function setCsrf(tok) {
	try {
		if (tok) sessionStorage.setItem(CSRF_KEY, tok);
		else sessionStorage.removeItem(CSRF_KEY);
	} catch {
		/* storage unavailable: the token lives as long as the page */
	}
}

export function queryString(query) {
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(query || {})) {
		if (v === undefined || v === null || v === '') continue;
		p.set(k, String(v));
	}
	const s = p.toString();
	return s ? `?${s}` : '';
}

/**
 * api('GET', '/api/customers', { query }) → parsed JSON (null for 204).
 * { raw: Blob|File, contentType } sends a file as the body instead of JSON.
 * Throws ApiError. A 401 (except on POST /api/session, or with quiet401) also calls the unauthorized handler,
 * which sends the user to the login page and back afterwards.
 */
export async function api(method, path, { body, raw, contentType, query, signal, quiet401 = false } = {}) {
	const headers = { Accept: 'application/json', 'Accept-Language': currentLang() };
	if (method !== 'GET' && method !== 'HEAD') {
		const tok = getCsrf();
		if (tok) headers['X-CSRF-Token'] = tok;
	}
	let payload;
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		payload = JSON.stringify(body);
	} else if (raw !== undefined) {
		// A file as the body (e.g. an import): sent as is.
		headers['Content-Type'] = contentType || 'application/octet-stream';
		payload = raw;
	}
	let res;
	try {
		res = await fetch(path + queryString(query), {
			method,
			headers,
			body: payload,
			credentials: 'same-origin',
			signal,
		});
	} catch (e) {
		if (e && e.name === 'AbortError') throw e;
		throw new ApiError(0, { code: 'network', detail: t('errors.network') });
	}
	if (res.status === 204) return null;
	const type = res.headers.get('content-type') || '';
	let data = null;
	let unreadable = false;
	if (type.includes('json')) {
		try {
			data = await res.json();
		} catch {
			unreadable = true;
		}
	}
	// A success whose body is not JSON is a server fault, not an empty answer.
	if (res.ok && (unreadable || (data === null && res.status !== 204)))
		throw new ApiError(res.status, { code: 'bad_response', detail: t('errors.server') });
	if (res.ok) return data;
	const problem = data && typeof data === 'object' ? data : { detail: t('errors.server') };
	if (!problem.detail && res.status >= 500) problem.detail = t('errors.server');
	const err = new ApiError(res.status, problem);
	if (res.status === 401 && !quiet401 && !(method === 'POST' && path === '/api/session') && unauthorizedHandler)
		unauthorizedHandler(err);
	throw err;
}
