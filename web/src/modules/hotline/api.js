// The hotline's API calls (docs/hotline-api.md), one function each.
import { api } from '../../api/http.js';

const o = (signal) => (signal ? { signal } : {});

// Calls and screen pops
export const listCalls = (query, signal) => api('GET', '/api/calls', { query, ...o(signal) });
export const getCall = (id, signal) => api('GET', `/api/calls/${id}`, o(signal));
export const callEvents = (id, signal) => api('GET', `/api/calls/${id}/events`, o(signal));
export const callPop = (id, signal) => api('GET', `/api/calls/${id}/pop`, o(signal));
export const wrapUp = (id, body) => api('PATCH', `/api/calls/${id}`, { body });
export const recordCall = (body) => api('POST', '/api/calls', { body });

// Customers (the pop's "new customer" for an unknown number)
export const createCustomer = (body) => api('POST', '/api/customers', { body });

// Wallboard, metrics, staffing
export const wallboard = (signal) => api('GET', '/api/hotline/wallboard', o(signal));
export const metrics = (query, signal) => api('GET', '/api/hotline/metrics', { query, ...o(signal) });
export const agentWeeks = (query, signal) => api('GET', '/api/hotline/agent-weeks', { query, ...o(signal) });
export const erlang = (query, signal) => api('GET', '/api/hotline/erlang', { query, ...o(signal) });
export const forecast = (query, signal) => api('GET', '/api/hotline/forecast', { query, ...o(signal) });
export const staffing = (body) => api('POST', '/api/hotline/staffing', { body });
export const shiftPlan = (body) => api('POST', '/api/hotline/shift-plan', { body });
export const shiftPatterns = () => api('GET', '/api/hotline/shift-patterns');
export const createPattern = (body) => api('POST', '/api/hotline/shift-patterns', { body });
export const patchPattern = (id, body) => api('PATCH', `/api/hotline/shift-patterns/${id}`, { body });
export const deletePattern = (id) => api('DELETE', `/api/hotline/shift-patterns/${id}`);

// Settings, wrap-up codes, agents' extensions
export const settings = () => api('GET', '/api/hotline/settings');
export const patchSettings = (body) => api('PATCH', '/api/hotline/settings', { body });
export const wrapupCodes = (all = false) => api('GET', '/api/hotline/wrapup-codes', { query: all ? { all: 1 } : {} });
export const createWrapupCode = (body) => api('POST', '/api/hotline/wrapup-codes', { body });
export const patchWrapupCode = (id, body) => api('PATCH', `/api/hotline/wrapup-codes/${id}`, { body });
export const agents = () => api('GET', '/api/hotline/agents');
export const putAgent = (userId, body) => api('PUT', `/api/hotline/agents/${userId}`, { body });
export const deleteAgent = (userId) => api('DELETE', `/api/hotline/agents/${userId}`);

// Quality checks
export const qaItems = (all = false) => api('GET', '/api/qa/items', { query: all ? { all: 1 } : {} });
export const createQaItem = (body) => api('POST', '/api/qa/items', { body });
export const patchQaItem = (id, body) => api('PATCH', `/api/qa/items/${id}`, { body });
export const qaEvaluations = (query, signal) => api('GET', '/api/qa/evaluations', { query, ...o(signal) });
export const qaEvaluation = (id) => api('GET', `/api/qa/evaluations/${id}`);
export const createEvaluation = (body) => api('POST', '/api/qa/evaluations', { body });

// Outbound call lists
export const callLists = () => api('GET', '/api/call-lists');
export const createCallList = (body) => api('POST', '/api/call-lists', { body });
export const callListItems = (id, query) => api('GET', `/api/call-lists/${id}/items`, { query });
export const patchCallListItem = (id, body) => api('PATCH', `/api/call-list-items/${id}`, { body });
