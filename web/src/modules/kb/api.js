// The API calls of the search, knowledge-base and service-language module (app/search*.c,
// app/kb*.c, app/lint*.c): one function per call.
import { api } from '../../api/http.js';

/** GET /api/search: without type the first `limit` of each kind; with type one kind, paged. */
export const search = (query, opts = {}) => api('GET', '/api/search', { query, ...opts });

export const listCategories = () => api('GET', '/api/kb/categories');
export const createCategory = (body) => api('POST', '/api/kb/categories', { body });

/** GET /api/kb?status=&category_id=&owner=&q=&cursor=&limit= */
export const listAnswers = (query, opts = {}) => api('GET', '/api/kb', { query, ...opts });
export const getAnswer = (id) => api('GET', `/api/kb/${id}`);
export const createAnswer = (body) => api('POST', '/api/kb', { body });
export const patchAnswer = (id, body) => api('PATCH', `/api/kb/${id}`, { body });
export const archiveAnswer = (id) => api('DELETE', `/api/kb/${id}`);

export const listVersions = (id) => api('GET', `/api/kb/${id}/versions`);
export const getVersion = (id, no) => api('GET', `/api/kb/${id}/versions/${no}`);
/** A new version over the latest (or from_version): { ...content, base_version, submit?, publish? }. */
export const createVersion = (id, body) => api('POST', `/api/kb/${id}/versions`, { body });
export const submitVersion = (id, no) => api('POST', `/api/kb/${id}/versions/${no}/submit`);
export const approveVersion = (id, no) => api('POST', `/api/kb/${id}/versions/${no}/approve`);
export const rejectVersion = (id, no, reason) => api('POST', `/api/kb/${id}/versions/${no}/reject`, { body: { reason } });

/** Counts a use and answers with the published text: { id, version_no, title, answer, usage_count }. */
export const useAnswer = (id, caseId) => api('POST', `/api/kb/${id}/use`, { body: caseId ? { case_id: caseId } : {} });
export const rateAnswer = (id, stars) => api('PUT', `/api/kb/${id}/rating`, { body: { stars } });

export const caseSuggestions = (caseId, opts = {}) => api('GET', `/api/cases/${caseId}/suggestions`, { query: { limit: 5 }, ...opts });

export const lintText = (text, opts = {}) => api('POST', '/api/lint', { body: { text }, ...opts });
export const lintRules = () => api('GET', '/api/lint/rules');
export const createPhrase = (body) => api('POST', '/api/lint/phrases', { body });
export const deletePhrase = (id) => api('DELETE', `/api/lint/phrases/${id}`);
/** GET /api/reports/lint?from=&to= (epoch ms). */
export const lintReport = (query) => api('GET', '/api/reports/lint', { query });
