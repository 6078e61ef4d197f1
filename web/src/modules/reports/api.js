// The API calls of the reports and customer-value module, one function each.
import { api, ApiError, queryString } from '../../api/http.js';
import { currentLang, t } from '../../i18n/index.js';

/** GET /api/reports/<name> (pareto, pyramid, rfm, tier-migration, complaints, cases-weekly, follow-ups). */
export const getReport = (name, query, opts = {}) => api('GET', `/api/reports/${name}`, { query, ...opts });
/** The ranking behind the Pareto curve: { limit, cursor } or { limit, from_rank }. */
export const paretoCustomers = (query, opts = {}) => api('GET', '/api/reports/pareto/customers', { query, ...opts });
export const migrationCustomers = (query, opts = {}) => api('GET', '/api/reports/tier-migration/customers', { query, ...opts });

export const getSegmentSettings = () => api('GET', '/api/segments/settings');
export const patchSegmentSettings = (body) => api('PATCH', '/api/segments/settings', { body });
export const recompute = () => api('POST', '/api/segments/recompute');
export const listRuns = (query) => api('GET', '/api/segments/runs', { query });
export const listKeySuggestions = (query) => api('GET', '/api/segments/key-suggestions', { query });
export const confirmKey = (id, note) => api('POST', `/api/segments/key-suggestions/${id}/confirm`, { body: note ? { note } : {} });
export const rejectKey = (id, note) => api('POST', `/api/segments/key-suggestions/${id}/reject`, { body: note ? { note } : {} });

export const getCustomerSegment = (id, opts = {}) => api('GET', `/api/customers/${id}/segment`, opts);
export const lifecycleAuto = (id) => api('POST', `/api/customers/${id}/segment/lifecycle-auto`);

/** The file name of a Content-Disposition header (filename*=UTF-8'' or filename=). */
export function dispositionName(h, fallback) {
	const star = /filename\*=UTF-8''([^;]+)/i.exec(h || '');
	if (star) return decodeURIComponent(star[1]);
	const plain = /filename="?([^";]+)"?/i.exec(h || '');
	return plain ? plain[1] : fallback;
}

/**
 * Downloads a report as a file (format csv or xlsx): fetched with the UI language (the
 * sheet's headers follow it), then saved under the name the server gives.
 */
export async function downloadReport(name, query, format) {
	const res = await fetch(`/api/reports/${name}${queryString({ ...query, format })}`, {
		headers: { 'Accept-Language': currentLang() },
		credentials: 'same-origin',
	}).catch(() => {
		throw new ApiError(0, { code: 'network', detail: t('errors.network') });
	});
	if (!res.ok) {
		const p = await res.json().catch(() => ({}));
		throw new ApiError(res.status, p);
	}
	const blob = await res.blob();
	const file = dispositionName(res.headers.get('content-disposition'), `kefu-${name}.${format}`);
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = file;
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10000);
	return file;
}
