// The API calls of the follow-ups module (回访, 承诺, 话术, 回访规则): one function each.
import { api } from '../../api/http.js';

// Follow-up visits (app/followups.c)
export const listFollowups = (query, opts = {}) => api('GET', '/api/followups', { query, ...opts });
export const getFollowup = (id) => api('GET', `/api/followups/${id}`);
export const createFollowup = (body) => api('POST', '/api/followups', { body });
export const patchFollowup = (id, body) => api('PATCH', `/api/followups/${id}`, { body });
export const closeFollowup = (id) => api('POST', `/api/followups/${id}/close`);
export const followupScript = (id) => api('GET', `/api/followups/${id}/script`);
/** The first time >= at (default now) the customer may be called: {at, call_at, allowed}. */
export const callTime = (customerId, at, opts = {}) =>
	api('GET', '/api/followups/call-time', { query: { customer_id: customerId, at }, ...opts });
export const coverage = (query) => api('GET', '/api/followups/coverage', { query });
export const followUpReport = (query) => api('GET', '/api/reports/follow-ups', { query });

// Rules and scripts (app/followup_rules.c, app/scripts.c)
export const listRules = () => api('GET', '/api/followup-rules');
export const patchRule = (rule, body) => api('PATCH', `/api/followup-rules/${encodeURIComponent(rule)}`, { body });
export const listScripts = () => api('GET', '/api/scripts');
export const createScript = (body) => api('POST', '/api/scripts', { body });
export const patchScript = (id, body) => api('PATCH', `/api/scripts/${id}`, { body });

// Commitments (app/commitments.c)
export const listCommitments = (query, opts = {}) => api('GET', '/api/commitments', { query, ...opts });
export const createCommitment = (body) => api('POST', '/api/commitments', { body });
export const commitmentOutcome = (id, body) => api('POST', `/api/commitments/${id}/outcome`, { body });
export const commitmentStats = (query) => api('GET', '/api/commitments/stats', { query });

// Shared with the core pages
export const getCustomer = (id) => api('GET', `/api/customers/${id}`);
export const searchCustomers = (q, opts = {}) => api('GET', '/api/customers', { query: { q, limit: 20 }, ...opts });
export const hotlineSettings = () => api('GET', '/api/hotline/settings');
