// One function per API call used by the UI.
import { api } from './http.js';

export { ApiError, onUnauthorized, getCsrf, setCsrf } from './http.js';

export const login = (username, password) => api('POST', '/api/session', { body: { username, password } });
export const logout = () => api('DELETE', '/api/session');
/** quiet401: the route guard asks whether there is a session at all. */
export const getMe = (opts = {}) => api('GET', '/api/me', opts);
export const patchMe = (body) => api('PATCH', '/api/me', { body });

export const listCustomers = (query, opts = {}) => api('GET', '/api/customers', { query, ...opts });
export const getCustomer = (id) => api('GET', `/api/customers/${id}`);
export const createCustomer = (body) => api('POST', '/api/customers', { body });
export const patchCustomer = (id, body) => api('PATCH', `/api/customers/${id}`, { body });
export const archiveCustomer = (id) => api('DELETE', `/api/customers/${id}`);
export const listOrders = (id, query) => api('GET', `/api/customers/${id}/orders`, { query });
export const createOrder = (id, body) => api('POST', `/api/customers/${id}/orders`, { body });
export const listAudit = (id, query) => api('GET', `/api/customers/${id}/audit`, { query });
export const assignCustomers = (body) => api('POST', '/api/customers/assign', { body });
export const personalData = (id) => api('GET', `/api/customers/${id}/personal-data`);
export const eraseCustomer = (id, body) => api('POST', `/api/customers/${id}/erase`, { body });
export const revealPhone = (id, body) => api('POST', `/api/customers/${id}/reveal-phone`, { body });

export const listUsers = () => api('GET', '/api/users');
export const listDepartments = () => api('GET', '/api/departments');
export const createUser = (body) => api('POST', '/api/users', { body });
export const patchUser = (id, body) => api('PATCH', `/api/users/${id}`, { body });
export const createDepartment = (body) => api('POST', '/api/departments', { body });
