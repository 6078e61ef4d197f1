// One function per API call of the cases module (app/case*.c, app/root_causes.c, app/lint.c).
import { api } from '../../api/http.js';

export const listCases = (query, opts = {}) => api('GET', '/api/cases', { query, ...opts });
export const caseCounts = (opts = {}) => api('GET', '/api/cases/counts', opts);
export const takeNextCase = () => api('POST', '/api/cases/next');
export const createCase = (body) => api('POST', '/api/cases', { body });
export const getCase = (id, opts = {}) => api('GET', `/api/cases/${id}`, opts);
export const patchCase = (id, body) => api('PATCH', `/api/cases/${id}`, { body });
export const listEvents = (id, query) => api('GET', `/api/cases/${id}/events`, { query });
export const addEvent = (id, body) => api('POST', `/api/cases/${id}/events`, { body });
export const getTransitions = (id) => api('GET', `/api/cases/${id}/transitions`);
export const step = (id, body) => api('POST', `/api/cases/${id}/transitions`, { body });
export const approvePlan = (id, pid, body = {}) => api('POST', `/api/cases/${id}/plans/${pid}/approve`, { body });
export const rejectPlan = (id, pid, body) => api('POST', `/api/cases/${id}/plans/${pid}/reject`, { body });
export const tickChecklist = (id, body) => api('POST', `/api/cases/${id}/checklist`, { body });
export const caseFlow = () => api('GET', '/api/case-flow');
export const rootCauses = () => api('GET', '/api/root-causes');
export const departments = () => api('GET', '/api/departments');
export const lint = (text, opts = {}) => api('POST', '/api/lint', { body: { text }, ...opts });
export const searchCustomers = (query, opts = {}) => api('GET', '/api/customers', { query, ...opts });
export const getCustomer = (id) => api('GET', `/api/customers/${id}`);
/** Links the hotline call the case was created from (the screen pop's ?call_id=) to it. */
export const linkCall = (callId, caseId) => api('PATCH', `/api/calls/${callId}`, { body: { case_id: caseId } });
/** A reply to the customer by e-mail: queued, threaded onto the case's last message, recorded as a reply. */
export const mailCustomer = (id, body) => api('POST', `/api/cases/${id}/mail`, { body });
