// The data module's API calls: imports, exports, webhooks, mail settings.
import { api, queryString } from '../../api/http.js';

export const importFields = (kind) => api('GET', '/api/imports/fields', { query: { kind } });
export const listImports = (query) => api('GET', '/api/imports', { query });
export const getImport = (id, opts = {}) => api('GET', `/api/imports/${id}`, opts);
/** The file itself is the body; kind, filename and duplicates go in the query. */
export const uploadImport = (file, query) =>
	api('POST', '/api/imports', { raw: file, contentType: file.type || 'application/octet-stream', query: { ...query, filename: file.name } });
export const checkImport = (id, body) => api('POST', `/api/imports/${id}/check`, { body });
export const commitImport = (id, body) => api('POST', `/api/imports/${id}/commit`, { body });
export const cancelImport = (id) => api('POST', `/api/imports/${id}/cancel`, { body: {} });
export const importProblems = (id, query) => api('GET', `/api/imports/${id}/problems`, { query });

/** Exports are downloads: a URL for a plain link (the session cookie goes with it). */
export const exportUrl = (what, query) => `/api/exports/${what}${queryString(query)}`;

export const webhookEvents = () => api('GET', '/api/webhooks/events');
export const listWebhooks = () => api('GET', '/api/webhooks');
export const createWebhook = (body) => api('POST', '/api/webhooks', { body });
export const patchWebhook = (id, body) => api('PATCH', `/api/webhooks/${id}`, { body });
export const deleteWebhook = (id) => api('DELETE', `/api/webhooks/${id}`);
export const testWebhook = (id) => api('POST', `/api/webhooks/${id}/test`, { body: {} });
export const webhookDeliveries = (id, query) => api('GET', `/api/webhooks/${id}/deliveries`, { query });

export const getMailSettings = () => api('GET', '/api/mail/settings');
export const putMailSettings = (body) => api('PUT', '/api/mail/settings', { body });
export const pollMail = () => api('POST', '/api/mail/poll', { body: {} });
